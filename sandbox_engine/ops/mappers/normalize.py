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

    def setup(self) -> None:
        self._table = {ord(k): v for k, v in PUNCTUATION_MAP.items()}

    def process_text(self, text: str) -> str:
        return text.translate(self._table)


NORMALIZATIONS = ("NFC", "NFKC", "NFD", "NFKD")


class FixUnicodeArgs(OpArgs):
    normalization: str | None = Field(
        None, description="Unicode normalization applied after the fix: NFC (default), NFKC, NFD or NFKD.")


@register_op
class FixUnicodeMapper(Mapper):
    name = "fix_unicode_mapper"
    modality = "text"
    Args = FixUnicodeArgs
    description = ("Repairs mojibake and broken unicode with ftfy (text decoded with the wrong "
                   "codec, HTML entities, curly-quote debris), then applies a unicode normalization "
                   "form (NFC unless told otherwise).")
    example = "fix_unicode_mapper:  # 'âœ” No problems' -> '✔ No problems'"

    def setup(self) -> None:
        norm = self.args.normalization
        self._norm = norm.upper() if norm else "NFC"
        if self._norm not in NORMALIZATIONS:
            raise self.bad_arg("normalization", norm, f"allowed: {', '.join(NORMALIZATIONS)}")

    def process_text(self, text: str) -> str:
        import ftfy

        return ftfy.fix_text(text, normalization=self._norm)
