"""Normalising mappers: whitespace, punctuation, unicode."""
from __future__ import annotations

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
