"""Mappers that remove parts of the text: long words, repeated sentences, tables, non-Chinese
characters and words with suspicious substrings. Data-Juicer 1.4.3's rules and regexes."""
from __future__ import annotations

import re
from pydantic import Field

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.ops.base import MAXSIZE, Mapper, OpArgs, register_op
from sandbox_engine.ops.mappers._common import merge_lines_tabs_words, split_lines_tabs_words
from sandbox_engine.ops.metadata import case_cues
from sandbox_engine.ops.text_utils import special_characters, strip_chars


def _filter_words(text: str, keep) -> str:
    """Drop words failing `keep`, preserving lines and tabs (runs of spaces collapse)."""
    lines = split_lines_tabs_words(text)
    return merge_lines_tabs_words([[[w for w in part if keep(w)] for part in line] for line in lines])


class RemoveLongWordsArgs(OpArgs):
    min_len: int = Field(1, description="Shortest word kept, in characters: shorter words are removed.",
                         json_schema_extra={"measure": "characters", "bound": "min"})
    max_len: int = Field(MAXSIZE, description="Longest word kept, in characters: longer words are removed.",
                         json_schema_extra={"measure": "characters", "bound": "max"})


@register_op
class RemoveLongWordsMapper(Mapper):
    name = "remove_long_words_mapper"
    modality = "text"
    Args = RemoveLongWordsArgs
    description = ("Drops words (space-separated) whose length is outside [min_len, max_len], both "
                   "as written and after stripping punctuation, digits and emoji at their ends, so "
                   "'word,' counts as a 4-letter word. Lines and tabs are kept; repeated spaces "
                   "collapse.")
    example = "remove_long_words_mapper: {min_len: 3, max_len: 15}  # 'a nice day' -> 'nice day'"
    requests = ("words over 35 characters are garbage, cut them out", "single-letter words should disappear from the text",
                "delete extremely long strings such as base64 blobs inside the text",
                "keep only words between 2 and 30 characters long", "strip overly long words",
                "删除长度超过25个字符的单词", "去掉文本中少于两个字母的词", "只保留长度在2到30个字符之间的单词",
                "清除文中超长的单词")
    situations = (
        "answers carry long base64 blobs, thousands of characters without a space, that should be cut out",
        "回复里夹着几千个字符连在一起的 base64 编码串，要把这种串删掉",
        "chat logs contain huge unbroken strings like hashes and tracking IDs in the middle of sentences",
        "crawled pages have keyboard-mash strings with no spaces that stretch across the line",
        "some emails embed inline attachment data as endless gibberish strings between normal words",
        "genome papers paste DNA sequences as gigantic unbroken runs of ACGT in the middle of sentences",
        "the vocabulary gets polluted by stray one-letter crumbs and giant glued-together strings",
        "聊天记录句子中间夹着很长的哈希串和追踪编号",
        "页面里有连成一片、没有空格的超长乱码串",
        "邮件正文里夹着内嵌附件的编码，一长串毫无意义的字符插在正常词语中间",
        "基因组论文的句子中间贴着超长的ACGT碱基序列，连成一片",
        "英文语料里散落着大量单个字母的碎屑，对词表毫无用处",
    )

    def setup(self) -> None:
        self._special = special_characters()

    def _keep(self, word: str) -> bool:
        lo, hi = self.args.min_len, self.args.max_len
        return lo <= len(word) <= hi or lo <= len(strip_chars(word, self._special)) <= hi

    def process_text(self, text: str) -> str:
        return _filter_words(text, self._keep)


def split_sentence(text: str) -> list[str]:
    """Data-Juicer's sentence split for repeat detection: break after . 。 ! ！ ？ ? (and runs of
    dots or ellipses), keeping closing quotes with the sentence."""
    text = re.sub(r"([.。！!？\?])([^’”])", r"\1\n\2", text)
    text = re.sub(r"(\.{6})([^’”])", r"\1\n\2", text)
    text = re.sub(r"(\…{2})([^’”])", r"\1\n\2", text)
    text = re.sub(r"([.。!！？\?\.{6}\…{2}][’”])([^’”])", r"\1\n\2", text)
    return text.split("\n")


class RemoveRepeatSentencesArgs(OpArgs):
    lowercase: bool = Field(False, description="Compare sentences case-insensitively.",
                            json_schema_extra={"measure": "flag", "cues": case_cues()})
    ignore_special_character: bool = Field(
        True, description="Compare sentences ignoring everything but letters, digits, Chinese "
                          "characters and whitespace.",
        json_schema_extra={"measure": "flag", "cues": {
            "true": ["ignore punctuation", "ignoring symbols", "忽略标点", "忽略特殊字符"],
            "false": ["punctuation counts", "compare punctuation too", "exactly as written", "punctuation and symbols included",
                      "标点也要相同", "标点符号也算", "原样比较", "标点不同不算重复", "标点不一样就不算重复",
                      "differ in punctuation are not duplicates", "differing punctuation makes them different"]}})
    min_repeat_sentence_length: int = Field(
        2, description="Sentences shorter than this many characters (after the above) are never removed.",
        json_schema_extra={"measure": "characters"})


_NOT_WORDISH = re.compile(r"[^a-zA-Z0-9\u4e00-\u9fa5\n\t ]")


@register_op
class RemoveRepeatSentencesMapper(Mapper):
    name = "remove_repeat_sentences_mapper"
    modality = "text"
    Args = RemoveRepeatSentencesArgs
    description = ("Removes sentences already seen earlier in the same text (boilerplate repeated "
                   "in a page). Sentences end at . ! ? and their Chinese forms; comparison can "
                   "ignore case and punctuation; very short sentences are always kept.")
    example = "remove_repeat_sentences_mapper:  # 'Hi there. Ok. Hi there.' -> 'Hi there. Ok.'"
    requests = ("a sentence said twice in the same sample should appear once",
                "delete sentences that already appeared earlier in the document",
                "drop duplicate sentences inside a page, ignoring case",
                "get rid of boilerplate sentences repeated in the same text",
                "删除文本内重复的句子", "去掉文档中已经出现过的句子", "忽略大小写删除同一篇文章里的重复句",
                "清除页面内反复出现的样板句子")
    situations = (
        "each product page repeats 'Free shipping on all orders' several times within the description",
        "the sermon transcripts have the speaker saying the same line again later in the same talk",
        "news pages we crawled repeat the 'Subscribe to our newsletter' line in the middle and again at the end of each article",
        "the auto-generated meeting summary restates the same sentence several times within one note",
        "within a single recipe post the blogger writes 'This is the best cake ever' over and over, the rest is fine",
        "users paste the exact same sentence several times in one forum post; the first copy should stay",
        "每个商品详情页里“全场包邮”这句话重复出现好几次",
        "直播带货的文字稿里同一句话在一篇里反复说",
        "新闻正文中间和结尾各来一遍“欢迎关注我们的公众号”",
        "自动生成的会议纪要同一篇里把同一句话重复说了好几次",
        "一篇食谱帖子里博主反复写“这是我做过最好吃的蛋糕”，其余内容倒是正常",
        "有人在一个帖子里把同一句话粘贴了好几遍，只该留第一遍",
    )

    def process_text(self, text: str) -> str:
        a = self.args
        seen: set[str] = set()
        out = []
        for line in text.split("\n"):
            kept = ""
            if line:
                for sent in split_sentence(line):
                    key = sent.strip()
                    if a.lowercase:
                        key = key.lower()
                    if a.ignore_special_character:
                        key = _NOT_WORDISH.sub("", key)
                    if len(key) < a.min_repeat_sentence_length:
                        kept += sent
                    elif key not in seen:
                        kept += sent
                        seen.add(key)
            out.append(kept)
        return "\n".join(out)


class RemoveTableTextArgs(OpArgs):
    min_col: int = Field(2, ge=2, le=20, description="Fewest columns of a table to remove.",
                         json_schema_extra={"measure": "count", "of": "removed"})
    max_col: int = Field(20, ge=2, le=20, description="Most columns of a table to remove.",
                         json_schema_extra={"measure": "count", "of": "removed"})


@register_op
class RemoveTableTextMapper(Mapper):
    name = "remove_table_text_mapper"
    modality = "text"
    Args = RemoveTableTextArgs
    description = ("Removes plain-text tables: runs of two or more lines (after a newline) that each "
                   "hold the same number of space- or tab-separated cells, for every column count "
                   "from min_col to max_col.")
    example = "remove_table_text_mapper: {min_col: 2, max_col: 20}  # 'T:\\na b\\nc d\\n' -> 'T:\\n'"
    requests = ("remove plain-text tables", "strip tables from the text", "delete tabular data with 2 to 10 columns",
                "get rid of rows of tab-separated cells",
                "删除文本中的表格", "去掉纯文本表格内容", "清除由制表符分隔的表格行",
                "drop tables that OCR turned into rows of jumbled cells",
                "remove garbled tables left over from PDF extraction", "去掉OCR识别出来的表格乱码",
                "删除从PDF提取时变成乱码的表格文字")
    situations = (
        "financial reports in the corpus have column-aligned figures that interrupt the narrative text",
        "the wiki dumps kept infobox rows as lines of space-separated cells",
        "sports articles include box scores laid out as rows of space-separated stats amid the story",
        "the exported lab reports have tab-aligned result grids between paragraphs of interpretation",
        "train timetables pasted into travel blogs as aligned rows break the flow of the narrative",
        "财报文本里夹着一列列对齐的数字，打断了正文",
        "百科导出的信息框变成了一行行用空格隔开的格子",
        "体育新闻中间插着一行行用空格隔开的比赛数据",
        "化验报告导出后，解读段落之间夹着一格一格对齐的结果数据",
        "旅游博客里贴的列车时刻表一行行排开，把叙述打断了",
    )

    def setup(self) -> None:
        a = self.args
        if a.min_col > a.max_col:
            raise self.bad_arg("min_col", a.min_col, f"must not exceed max_col ({a.max_col})")
        self._res = [re.compile(r"(?<=\n)((\S+?)([ |\t](\S+?)){%d}\n+){2,}" % i)
                     for i in range(a.min_col - 1, a.max_col)]

    def process_text(self, text: str) -> str:
        for rx in self._res:
            text = rx.sub("", text)
        return text


class RemoveNonChineseArgs(OpArgs):
    keep_alphabet: bool = Field(True, description="Keep ASCII letters.",
                                json_schema_extra={"measure": "flag", "cues": {
                                    "true": ["keep English letters", "keep Latin letters", "保留英文字母", "英文字母保留", "字母还是保留"],
                                    "false": ["remove English letters", "drop letters too", "去掉英文字母",
                                              "删除字母", "去掉拉丁字母", "删掉拉丁字母", "拉丁字母都删"]}})
    keep_number: bool = Field(True, description="Keep ASCII digits.",
                              json_schema_extra={"measure": "flag", "cues": {
                                  "true": ["keep digits", "keep numbers", "保留数字", "数字保留", "数字也保留", "数字还是保留"],
                                  "false": ["remove digits", "drop numbers too", "去掉数字", "删除数字"]}})
    keep_punc: bool = Field(True, description="Keep common Chinese and ASCII punctuation.",
                            json_schema_extra={"measure": "flag", "cues": {
                                "true": ["keep punctuation", "保留标点", "标点保留", "标点也保留", "标点还是保留", "leave the punctuation"],
                                "false": ["remove punctuation", "drop punctuation too", "去掉标点", "删除标点"]}})


@register_op
class RemoveNonChineseCharacterMapper(Mapper):
    name = "remove_non_chinese_character_mapper"
    modality = "text"
    Args = RemoveNonChineseArgs
    description = ("Keeps only common Chinese characters (U+4E00..U+9FA5), optionally with ASCII "
                   "letters, digits and a set of common punctuation; everything else (emoji, "
                   "radicals, accented letters, other scripts) is deleted.")
    example = "remove_non_chinese_character_mapper: {keep_alphabet: false}  # '你好abc' -> '你好'"
    requests = ("strip every character that is not Chinese from the text",
                "delete non-Chinese characters such as emoji and other scripts",
                "remove letters, digits and punctuation, leaving only Chinese characters",
                "keep only the Han characters of each text",
                "删除文本中所有非中文字符", "去掉表情和其他文字，只留汉字", "清除非汉字字符但保留数字")
    situations = (
        "the Weibo posts are cluttered with emoji, kaomoji and foreign scripts, we only want the Chinese",
        "for the Chinese font project, every non-Han symbol in the text is useless",
        "the Chinese poetry corpus picked up Latin transliterations, Cyrillic and emoji sprinkled between the verses",
        "our Mandarin character-level model gets confused by Japanese kana and Korean hangul mixed into the posts",
        "the calligraphy captions should be Han script only, yet they're peppered with symbols and accented letters",
        "微博正文里夹杂大量表情、颜文字和外文，只想留中文",
        "做汉字字体项目，文本里汉字以外的东西都没用",
        "古诗词语料里混进了拼音注音、俄文字母和表情",
        "帖子里掺着日文假名和韩文，字级模型被搞糊涂了",
        "书法数据的配文里夹着各种符号和带声调的字母，汉字以外都是噪声",
    )

    def setup(self) -> None:
        a = self.args
        pattern = "[^\u4e00-\u9fa5"
        if a.keep_alphabet:
            pattern += "A-Za-z"
        if a.keep_number:
            pattern += "0-9"
        pattern += ".， ,\\-。%《*》/•、&＆(—)（+）：？!！“”·]+" if a.keep_punc else "]"
        self._re = re.compile(pattern, re.DOTALL)

    def process_text(self, text: str) -> str:
        return self._re.sub("", text)


class RemoveIncorrectSubstringsArgs(OpArgs):
    lang: str = Field("en", description="Language code of the text (for the tokenizer).",
                      json_schema_extra={"measure": "language"})
    tokenization: bool = Field(False, description="Split words with a sentencepiece model "
                                                   "(needs a model; not shipped).",
                               json_schema_extra={"measure": "flag", "cues": {
                                   "true": ["tokenize first", "segment words", "word segmentation", "分词"],
                                   "false": ["split on whitespace", "by spaces", "按空格切分"]}})
    substrings: list[str] | None = Field(
        None, description="A word containing any of these is dropped; None: "
                          "['http', 'www', '.com', 'href', '//'].",
        json_schema_extra={"measure": "values"})


DEFAULT_BAD_SUBSTRINGS = ["http", "www", ".com", "href", "//"]


@register_op
class RemoveWordsWithIncorrectSubstringsMapper(Mapper):
    name = "remove_words_with_incorrect_substrings_mapper"
    modality = "text"
    Args = RemoveIncorrectSubstringsArgs
    description = ("Drops words that contain any of the given substrings (by default URL debris: "
                   "'http', 'www', '.com', 'href', '//'), checked after stripping punctuation at "
                   "the word's ends. Lines and tabs are kept.")
    example = ("remove_words_with_incorrect_substrings_mapper:  "
               "# 'see www.x.org now' -> 'see now'")
    requests = ("cut out any word with http or www inside", "drop URL fragments like .com and href inside words",
                "delete words that contain a given substring", "strip words with '//' in them",
                "含有http、www字样的词都去掉", "去掉含有.com等网址碎片的词", "删除含有指定子串的词语",
                "把包含某些字符串的单词删掉")
    situations = (
        "after cleaning, leftover chunks like 'wwwexamplecom' and 'hrefhttps' are stuck inside sentences",
        "bits of broken web addresses are glued onto neighboring words in the scraped text",
        "the PDF extraction left things like 'visithttp' and 'site.comfor' fused into ordinary words",
        "markup debris such as 'href=' and '//cdn' survives as odd tokens inside the sentences",
        "words with '.com' residue stuck to them are polluting the vocabulary of the crawled text",
        "清洗后句子里还粘着“wwwexamplecom”这种网址残渣",
        "爬下来的文本里有半截网址和词粘在一起",
        "PDF提取后出现“访问http”“官网.com请”这种和正常词粘连的碎片",
        "句子里残留着href=、//cdn这类标记碎屑，成了奇怪的词",
        "词表里冒出很多沾着.com残渣的怪词",
    )

    def setup(self) -> None:
        if self.args.tokenization:
            raise ModelUnavailableError(
                f"operator {self.name!r}: tokenization=True needs a sentencepiece model for "
                f"lang {self.args.lang!r}, which is not installed (we never download); use "
                f"tokenization=False (split on whitespace).")
        subs = self.args.substrings
        self._subs = DEFAULT_BAD_SUBSTRINGS if subs is None else list(subs)
        self._special = special_characters()

    def _keep(self, word: str) -> bool:
        word = strip_chars(word, self._special)
        return all(s not in word for s in self._subs)

    def process_text(self, text: str) -> str:
        return _filter_words(text, self._keep)
