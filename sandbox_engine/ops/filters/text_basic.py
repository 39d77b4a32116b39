"""Cheap text filters on character, word and line statistics."""
from __future__ import annotations

from pydantic import Field

from sandbox_engine.ops.base import MAXSIZE, FilterArgs, TextStatFilter, register_op


class TextLengthArgs(FilterArgs):
    min_len: int = Field(10, description="Minimum text length in characters.")
    max_len: int = Field(MAXSIZE, description="Maximum text length in characters.")


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

    def text_stats(self, texts, context=None):
        return [len(t) for t in texts]
