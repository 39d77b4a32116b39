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
        "从PDF复制的文字里有看不见的空格，同样的词比对不上",
        "网页里的全角空格和零宽字符导致文本匹配出错",
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
        "中英文混杂的语料里全角逗号和半角逗号混用，统计时对不上",
        "从Word里复制的文字带着弯引号和长破折号，解析脚本处理不了",
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
                "修复unicode并做NFKC规范化")
    situations = (
        "the old forum export shows apostrophes and accents as Ã© and â€œ garbage",
        "a CSV opened with the wrong codepage turned all the accented names into gibberish",
        "用错编码打开的CSV，人名全变成了奇怪的符号",
        "法语评论里的重音字母显示成了Ã©这种怪字符",
    )

    def setup(self) -> None:
        norm = self.args.normalization
        self._norm = norm.upper() if norm else "NFC"
        if self._norm not in NORMALIZATIONS:
            raise self.bad_arg("normalization", norm, f"allowed: {', '.join(NORMALIZATIONS)}")

    def process_text(self, text: str) -> str:
        import ftfy

        return ftfy.fix_text(text, normalization=self._norm)
