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

    def process_text(self, text: str) -> str:
        return _BIBLIOGRAPHY.sub("", text)


class RemoveCommentsArgs(OpArgs):
    doc_type: str | list[str] = Field("tex", description="Document type(s) the comments follow "
                                                        "(LaTeX '%' comments).")
    inline: bool = Field(True, description="Remove comments at the end of a line.")
    multiline: bool = Field(True, description="Remove whole lines that start with '%'.")


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

    def process_text(self, text: str) -> str:
        if self.args.multiline:
            text = _COMMENT_LINE.sub("", text)
        if self.args.inline:
            text = _COMMENT_INLINE.sub("", text)
        return text


class RemoveHeaderArgs(OpArgs):
    drop_no_head: bool = Field(True, description="Empty the text when it has no section header.")


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

    def process_text(self, text: str) -> str:
        if not _HEADER.search(text):
            return "" if self.args.drop_no_head else text
        return _HEADER.sub(r"\2", text)
