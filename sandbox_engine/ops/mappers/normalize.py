"""Normalising mappers: whitespace, punctuation, unicode."""
from __future__ import annotations

from pydantic import Field

from sandbox_engine.ops.base import Mapper, OpArgs, register_op
from sandbox_engine.ops.text_utils import various_whitespaces


@register_op
class WhitespaceNormalizationMapper(Mapper):
    name = "whitespace_normalization_mapper"
    modality = "text"
    Args = OpArgs
    description = ("Strips the text, then turns every unicode whitespace variant (no-break space, "
                   "em space, zero-width space ...) into a plain space.")
    example = "whitespace_normalization_mapper:  # 'a\\u3000b ' -> 'a b'"
    requests = ("normalize whitespace", "replace non-breaking and zero-width spaces with normal spaces",
                "strip the text and unify unicode spaces", "fix weird space characters",
                "规范化空白字符", "把不间断空格和零宽空格换成普通空格", "统一各种空格字符")
    situations = (
        "text pasted from PDFs has invisible spaces that make identical words compare as different",
        "the scraped French pages use odd non-breaking gaps that confuse our string matching",
        "the Wikipedia export has thin spaces and ideographic spaces between words, so the tokenizer produces weird tokens",
        "copy-pasted chat messages carry trailing blanks and zero-width joiners that make exact lookups fail",
        "em spaces and hair spaces from the typesetting system sneak into the legal texts and break our regex rules",
        "从PDF复制的文字里有看不见的空格，同样的词比对不上",
        "网页里的全角空格和零宽字符导致文本匹配出错",
        "维基导出的文本词与词之间夹着细空格和表意空格，分词器切出一堆怪词",
        "排版系统带出来的各种宽窄不一的空白字符混在文本里，正则规则匹配不上",
        "复制粘贴的聊天消息开头结尾带着空白，中间还藏着隐形的空白字符",
    )

    def setup(self) -> None:
        self._table = {ord(c): " " for c in various_whitespaces()}

    def process_text(self, text: str) -> str:
        return text.strip().translate(self._table)


# Data-Juicer's (CCNet's) table, quirks included: the full-width digit one becomes a double quote.
PUNCTUATION_MAP = {
    "，": ",", "。": ".", "、": ",", "„": '"', "”": '"', "“": '"', "«": '"', "»": '"', "１": '"',
    "」": '"', "「": '"', "《": '"', "》": '"', "´": "'", "∶": ":", "：": ":", "？": "?", "！": "!",
    "（": "(", "）": ")", "；": ";", "–": "-", "—": " - ", "．": ". ", "～": "~", "’": "'",
    "…": "...", "━": "-", "〈": "<", "〉": ">", "【": "[", "】": "]", "％": "%", "►": "-",
}


@register_op
class PunctuationNormalizationMapper(Mapper):
    name = "punctuation_normalization_mapper"
    modality = "text"
    Args = OpArgs
    description = ("Maps full-width and typographic punctuation to plain ASCII, character by "
                   "character (Chinese comma and full stop, curly quotes, guillemets, dashes, the "
                   "ellipsis ...), so that later word and punctuation statistics see one form.")
    example = "punctuation_normalization_mapper:  # '你好，世界。' -> '你好,世界.'"
    requests = ("normalize punctuation to ASCII", "convert full-width punctuation to half-width",
                "replace curly quotes and guillemets with plain quotes", "unify punctuation marks",
                "把全角标点转换成半角", "标点符号规范化", "将中文逗号句号替换为英文标点")
    situations = (
        "the bilingual sources mix curly quotes and wide commas, so our statistics see two versions of everything",
        "text copied from Word documents has smart quotes and long dashes that break our parser",
        "the Chinese and Japanese sources use wide brackets like 【】 and （）, while the English part uses ASCII ones",
        "book-title marks 《》 and guillemets get treated as separate symbols from plain quotes in our downstream counts",
        "ellipses come as a single '…' glyph in some files and as a run of periods in others",
        "中英文混杂的语料里全角逗号和半角逗号混用，统计时对不上",
        "从Word里复制的文字带着弯引号和长破折号，解析脚本处理不了",
        "中文部分用【】和（），英文部分用[]和()，同一种括号两种写法",
        "书名号和法文书名引号在下游统计里被当成了不同的符号",
        "省略号有的是“…”，有的是一串英文句点，前后对不上",
    )

    def setup(self) -> None:
        self._table = {ord(k): v for k, v in PUNCTUATION_MAP.items()}

    def process_text(self, text: str) -> str:
        return text.translate(self._table)


NORMALIZATIONS = ("NFC", "NFKC", "NFD", "NFKD")


class FixUnicodeArgs(OpArgs):
    normalization: str | None = Field(
        None, description="Unicode normalization applied after the fix: NFC (default), NFKC, NFD or NFKD.",
        json_schema_extra={"measure": "choice", "cues": {
            "NFC": ["NFC", "canonical composition", "NFC规范化"],
            "NFKC": ["NFKC", "compatibility composition", "NFKC规范化", "兼容性规范化"],
            "NFD": ["NFD", "canonical decomposition", "NFD规范化"],
            "NFKD": ["NFKD", "compatibility decomposition", "NFKD规范化"]}})


@register_op
class FixUnicodeMapper(Mapper):
    name = "fix_unicode_mapper"
    modality = "text"
    Args = FixUnicodeArgs
    description = ("Repairs mojibake and broken unicode with ftfy (text decoded with the wrong "
                   "codec, HTML entities, curly-quote debris), then applies a unicode normalization "
                   "form (NFC unless told otherwise).")
    example = "fix_unicode_mapper:  # 'âœ” No problems' -> '✔ No problems'"
    requests = ("the text is full of mojibake, repair it", "repair broken unicode", "fix text decoded with the wrong encoding",
                "clean up garbled characters like â€™", "修复乱码", "修复因编码错误而损坏的字符",
                "修复unicode并做NFKC规范化", "爬下来的网页乱码很多，修一下", "文本里到处是乱码")
    situations = (
        "the old forum export shows apostrophes and accents as Ã© and â€œ garbage",
        "a CSV opened with the wrong codepage turned all the accented names into gibberish",
        "the euro sign in the scraped price pages shows up as â‚¬ and dashes as â€”",
        "a database migration double-encoded the customer names, so José became JosÃƒÂ©",
        "some subtitles have &quot; leftovers and broken accented letters from a bad export",
        "用错编码打开的CSV，人名全变成了奇怪的符号",
        "法语评论里的重音字母显示成了Ã©这种怪字符",
        "数据库迁移时重复编码了一次，客户名字里的重音字母全成了一串怪符号",
        "西班牙语评论里欧元符号变成了â‚¬，破折号变成了â€”",
        "日文歌词导出后显示成“ã‚¢ã‚¤”这样的字符，明显是编码弄错了",
    )

    def setup(self) -> None:
        norm = self.args.normalization
        self._norm = norm.upper() if norm else "NFC"
        if self._norm not in NORMALIZATIONS:
            raise self.bad_arg("normalization", norm, f"allowed: {', '.join(NORMALIZATIONS)}")

    def process_text(self, text: str) -> str:
        import ftfy

        return ftfy.fix_text(text, normalization=self._norm)
