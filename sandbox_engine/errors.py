"""Error classes. Every bad-input error subclasses ValueError so callers can catch one thing.

Messages name the place (file and line, op position), the op and argument, and what would be valid.
"""
from __future__ import annotations

import difflib
from typing import Iterable


class JuiceboxError(ValueError):
    """Base of all bad-input errors (exit code 2 on the CLI)."""


class UnknownOpError(JuiceboxError):
    """A recipe names an operator that is not registered."""


class OpArgumentError(JuiceboxError):
    """An operator got an unknown argument or an invalid value."""


class RecipeError(JuiceboxError):
    """A recipe or config file is malformed."""


class DataFormatError(JuiceboxError):
    """A data file cannot be read as the format it claims."""


class ModelUnavailableError(JuiceboxError):
    """An operator needs a model that is not installed; we never download."""


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The closest valid names for a did-you-mean hint."""
    return difflib.get_close_matches(name, list(candidates), n=n, cutoff=0.5)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    near = closest(name, candidates)
    return f" did you mean {', '.join(repr(c) for c in near)}?" if near else ""
