"""LaTeX source mappers: expand simple macros, drop comments, the preamble and the bibliography.

Regexes are Data-Juicer 1.4.3's (which took them from RedPajama's arXiv cleaning).
"""
from __future__ import annotations

import re

from pydantic import Field

from sandbox_engine.ops.base import Mapper, OpArgs, register_op

_NEWCOMMAND = re.compile(r"\\\bnewcommand\b\*?\{(\\[a-zA-Z0-9]+?)\}\{(.*?)\}$", re.MULTILINE)
_DEF = re.compile(r"\\def\s*(\\[a-zA-Z0-9]+?)\s*\{(.*?)\}$", re.MULTILINE)


@register_op
class ExpandMacroMapper(Mapper):
    name = "expand_macro_mapper"
    modality = "text"
    Args = OpArgs
    description = ("Inlines LaTeX macros that take no argument: every \\newcommand{\\name}{value} "
                   "or \\def\\name{value} defined in the document is replaced by its value wherever "
                   "\\name is used (not inside longer names). Macros with arguments are left alone.")
    example = "expand_macro_mapper:  # '\\def\\ours{JB}\\n\\ours works' -> ... 'JB works'"
    requests = ("expand LaTeX macros", "inline \\newcommand definitions in tex files",
                "replace custom latex commands with their definitions", "resolve \\def macros in papers",
                "展开LaTeX宏定义", "把\\newcommand自定义命令替换为其内容", "内联tex文档中的宏")
    situations = (
        "the arXiv sources use shorthand commands defined at the top, so the body is full of cryptic abbreviations",
        "math papers are full of author-defined shortcuts that are never spelled out where they are used",
        "the thesis uses \\R and \\eps everywhere, and the model never sees what those stand for",
        "in the physics preprints, homemade commands like \\ket and \\ours hide the real notation behind the author's own names",
        "the formula model learns author-specific command names that mean nothing outside one paper",
        "arXiv论文正文里到处是作者自定义的简写命令，模型看不懂",
        "数学论文正文里全是作者自己定义的缩写符号，要换回原本的写法",
        "学位论文里到处用\\R、\\eps这种自定义命令，模型根本看不到它们代表什么",
        "物理预印本里作者自造的命令名把真实符号藏了起来",
        "公式模型学到的都是只在某一篇论文里有意义的私有命令名",
    )

    def process_text(self, text: str) -> str:
        macros: dict[str, str] = {}
        for rx in (_NEWCOMMAND, _DEF):
            for m in rx.finditer(text):
                macros[m.group(1)] = m.group(2)
        for name, value in macros.items():
            # The macro must be followed by a non-alphanumeric character (kept).
            text = re.sub("(" + re.escape(name) + ")([^a-zA-Z0-9])",
                          lambda m, v=value: v + m.group(2), text)
        return text


_BIBLIOGRAPHY = re.compile(r"(\\appendix|\\begin\{references\}|\\begin\{REFERENCES\}|"
                           r"\\begin\{thebibliography\}|\\bibliography\{.*\}).*$", re.DOTALL)


@register_op
class RemoveBibliographyMapper(Mapper):
    name = "remove_bibliography_mapper"
    modality = "text"
    Args = OpArgs
    description = ("Cuts a LaTeX document at its bibliography or appendix: everything from the first "
                   "\\appendix, \\begin{references}, \\begin{thebibliography} or \\bibliography{...} "
                   "to the end is removed.")
    example = "remove_bibliography_mapper:  # 'Body\\n\\bibliography{refs}\\n...' -> 'Body\\n'"
    requests = ("remove the bibliography from LaTeX papers", "cut the references section and appendix",
                "strip everything after \\bibliography", "drop the reference list at the end of tex documents",
                "论文末尾的参考文献列表不要了", "去掉参考文献和附录部分", "截掉文末的引用列表")
    situations = (
        "the tail of each arXiv paper is a long list of cited works that adds nothing for pretraining",
        "the thesis sources end with pages of citations and supplementary material we don't need",
        "the model keeps generating fake reference entries like 'Smith et al., Proc. ...' because every paper ends with a pile of them",
        "after the conclusion, the LaTeX sources trail on into appendices and works-cited lists that swamp the actual content",
        "for the summarization corpus only the main body of each paper matters, not the trailing citation material",
        "每篇论文最后都是一长串引用文献，对预训练没用",
        "毕业论文源码结尾是大段文献和补充材料，不需要",
        "模型老爱编造“张三等，某某学报”这种引文条目，因为每篇论文末尾都有一大串",
        "结论之后，tex源码还拖着附录和文献表，篇幅比正文还长",
        "做论文摘要数据只需要正文主体，结尾那些引用出处没用",
    )

    def process_text(self, text: str) -> str:
        return _BIBLIOGRAPHY.sub("", text)


class RemoveCommentsArgs(OpArgs):
    doc_type: str | list[str] = Field("tex", description="Document type(s) the comments follow "
                                                        "(LaTeX '%' comments).",
                                      json_schema_extra={"measure": "values"})
    inline: bool = Field(True, description="Remove comments at the end of a line.",
                         json_schema_extra={"measure": "flag", "cues": {
                             "true": ["inline comments", "end-of-line comments", "行内注释", "行尾注释"],
                             "false": ["keep inline comments", "comments at the end of a line untouched", "保留行内注释"]}})
    multiline: bool = Field(True, description="Remove whole lines that start with '%'.",
                            json_schema_extra={"measure": "flag", "cues": {
                                "true": ["whole comment lines", "full-line comments", "整行注释"],
                                "false": ["keep comment lines", "lines that are entirely a comment", "whole-line comments untouched",
                                          "leave comments that take up a whole line", "keep full-line comments",
                                          "保留注释行", "保留整行注释", "整行注释不删"]}})


_COMMENT_LINE = re.compile(r"(?m)^%.*\n?", re.MULTILINE)
_COMMENT_INLINE = re.compile(r"[^\\]%.+$", re.MULTILINE)


@register_op
class RemoveCommentsMapper(Mapper):
    name = "remove_comments_mapper"
    modality = "text"
    Args = RemoveCommentsArgs
    description = ("Removes LaTeX comments: whole lines starting with '%' (multiline) and the tail "
                   "of a line after an unescaped '%' (inline; the character before the '%' goes "
                   "too, as in Data-Juicer).")
    example = "remove_comments_mapper:  # '%% note\\n\\section{A}' -> '\\section{A}'"
    needs = r"latex|\btex\b|\.tex\b|%|arxiv|papers?\b|\bsources?\b|\bcode\b|注释|论文|源码|源文件|代码"
    requests = ("erase the comments in LaTeX sources", "strip % comments from tex files",
                "delete commented-out lines in latex source", "remove inline comments after %",
                "删除LaTeX注释", "去掉tex文件中以%开头的注释行", "清除行尾的百分号注释")
    situations = (
        "the authors' TeX sources are littered with notes to each other like 'fix this later'",
        "old draft paragraphs that were disabled in the paper source still show up in our text",
        "the .tex files still carry percent-sign lines like 'TODO: the reviewer hates this' that never show up in the PDF",
        "collaborators left private remarks after % signs at line ends, including some unkind words about coauthors",
        "commented-out experiments and alternative wordings make the paper sources far noisier than the compiled paper",
        "论文源码里到处是作者之间的批注，比如“这里以后再改”",
        "论文tex里被注释掉的旧草稿段落还留在数据里",
        "tex文件里还留着百分号开头的“TODO：审稿人不喜欢这段”，编译出来的PDF里根本看不到",
        "合作者在行尾百分号后面写私下吐槽，有的还挺不客气",
        "论文源码里被屏蔽掉的实验和备选措辞，让数据比成品论文杂乱得多",
    )

    def process_text(self, text: str) -> str:
        if self.args.multiline:
            text = _COMMENT_LINE.sub("", text)
        if self.args.inline:
            text = _COMMENT_INLINE.sub("", text)
        return text


class RemoveHeaderArgs(OpArgs):
    drop_no_head: bool = Field(True, description="Empty the text when it has no section header.",
                               json_schema_extra={"measure": "flag", "cues": {
                                   "true": ["empty texts without a section", "drop documents without headers",
                                            "没有章节的文本清空"],
                                   "false": ["keep texts without a section", "keep documents without headers", "no header stay",
                                             "without a header stay", "no header are kept", "headerless ones stay",
                                             "保留没有章节的文本", "没有标题的文档也保留", "没有标题的也保留"]}})


# Data-Juicer's pattern verbatim: note the missing '|' between paragraph and subparagraph.
_HEADER = re.compile(
    r"^(.*?)("
    r"\\\bchapter\b\*?(?:\[(.*?)\])?\{(.*?)\}|"
    r"\\\bpart\b\*?(?:\[(.*?)\])?\{(.*?)\}|"
    r"\\\bsection\b\*?(?:\[(.*?)\])?\{(.*?)\}|"
    r"\\\bsubsection\b\*?(?:\[(.*?)\])?\{(.*?)\}|"
    r"\\\bsubsubsection\b\*?(?:\[(.*?)\])?\{(.*?)\}|"
    r"\\\bparagraph\b\*?(?:\[(.*?)\])?\{(.*?)\}"
    r"\\\bsubparagraph\b\*?(?:\[(.*?)\])?\{(.*?)\}"
    r")", re.DOTALL)


@register_op
class RemoveHeaderMapper(Mapper):
    name = "remove_header_mapper"
    modality = "text"
    Args = RemoveHeaderArgs
    description = ("Drops the preamble of a LaTeX document: everything before the first \\chapter, "
                   "\\part, \\section, \\subsection or \\subsubsection. A text without any such "
                   "header becomes empty unless drop_no_head is false.")
    example = "remove_header_mapper:  # '\\documentclass{a}\\n\\section{Intro}' -> '\\section{Intro}'"
    requests = ("remove the LaTeX preamble before the first section", "strip everything before \\section in tex papers",
                "drop the header of latex documents", "cut the document preamble but keep texts without sections",
                "删除LaTeX文档第一个章节之前的导言部分", "去掉tex论文开头的导言区", "删除\\section之前的内容")
    situations = (
        "every paper source opens with package imports and title setup before the actual content starts",
        "the tex files waste space on document setup, author blocks and usepackage lines",
        "the model memorized \\documentclass and a pile of font and geometry settings because every paper source begins that way",
        "the material before the first section heading (affiliations, title macros, abstract setup) is just boilerplate for us",
        "each arXiv source spends its opening on typesetting configuration instead of prose",
        "每篇论文源码开头都是一堆宏包引用和标题设置，正文还没开始",
        "tex文件前面的文档设置和作者信息白白占篇幅",
        "每篇tex一上来都是\\documentclass和字体、页边距设置，模型全背下来了",
        "第一节标题之前的单位、标题宏、作者信息，对我们来说都是样板",
        "arXiv源码开篇全是排版配置，看不到一句正文",
    )

    def process_text(self, text: str) -> str:
        if not _HEADER.search(text):
            return "" if self.args.drop_no_head else text
        return _HEADER.sub(r"\2", text)
