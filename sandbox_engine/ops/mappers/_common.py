"""Helpers shared by the text mappers: user regexes and Data-Juicer's whitespace-preserving word split."""
from __future__ import annotations

import re

from sandbox_engine.errors import OpArgumentError


def strip_raw_prefix(pattern: str) -> str:
    """Data-Juicer accepts a pattern written as a Python raw literal (``r'...'``): drop the wrapper."""
    if len(pattern) > 2 and ((pattern.startswith("r'") and pattern.endswith("'"))
                             or (pattern.startswith('r"') and pattern.endswith('"'))):
        return pattern[2:-1]
    return pattern


def compile_pattern(op: str, arg: str, pattern: str, flags: int = 0) -> re.Pattern:
    """Compile a user's regex; a bad one is an OpArgumentError naming the op, argument and error."""
    try:
        return re.compile(pattern, flags)
    except re.error as err:
        raise OpArgumentError(f"operator {op!r}: argument {arg!r} = {pattern!r} is not a valid "
                              f"regular expression: {err}") from None


def split_on_whitespace(text: str) -> list[str]:
    """Split on single spaces and drop empties (collapses runs of spaces)."""
    return [w for w in text.split(" ") if w]


def split_lines_tabs_words(text: str) -> list[list[list[str]]]:
    """Lines, then tab-separated parts, then words: the structure the word-dropping mappers keep."""
    return [[split_on_whitespace(part) for part in line.split("\t")] for line in text.split("\n")]


def merge_lines_tabs_words(lines: list[list[list[str]]]) -> str:
    """Inverse of `split_lines_tabs_words`; empty parts and lines vanish, as in Data-Juicer."""
    joined = [[" ".join(part) for part in line if part] for line in lines]
    return "\n".join("\t".join(line) for line in joined if line)
