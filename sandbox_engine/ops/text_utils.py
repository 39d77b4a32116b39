"""Shared text helpers with Data-Juicer 1.4.3's exact definitions (shared/specs/op-semantics.md).

Words: split on space, newline and tab, drop empties. Refined words: optionally lowercased, stripped of
special characters at both ends, empties dropped.
"""
from __future__ import annotations

import json
import re
import string
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

_ASSETS = resources.files("sandbox_engine") / "assets"


@lru_cache(maxsize=1)
def _char_sets() -> dict:
    return json.loads((_ASSETS / "special_characters.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def special_characters() -> frozenset[str]:
    """string.punctuation + digits + whitespace + other_special + every emoji (emoji==2.2.0)."""
    import emoji

    chars = set(string.punctuation + string.digits + string.whitespace)
    chars.update(_char_sets()["other_special"])
    chars.update(emoji.EMOJI_DATA.keys())
    return frozenset(chars)


@lru_cache(maxsize=1)
def various_whitespaces() -> frozenset[str]:
    return frozenset(chr(c) for c in _char_sets()["various_whitespaces_codepoints"])


_WORD_SPLIT = re.compile(r" |\n|\t")


def split_words(text: str) -> list[str]:
    """Split on space, newline and tab; drop empty pieces (str.split is ~2x faster than the regex)."""
    if "\n" in text or "\t" in text:
        text = text.replace("\n", " ").replace("\t", " ")
    return [w for w in text.split(" ") if w]


def strip_chars(word: str, chars: frozenset[str] | set[str]) -> str:
    """Strip characters of `chars` at both ends (they may be multi-codepoint emoji: we strip by
    single characters, as Data-Juicer does)."""
    beg, end = 0, len(word)
    while beg < end and word[beg] in chars:
        beg += 1
    while end > beg and word[end - 1] in chars:
        end -= 1
    return word[beg:end]


def refine_words(words: Iterable[str], lower_case: bool = False, strip_special: bool = True,
                 use_words_aug: bool = False, words_aug_group_sizes: Iterable[int] = (2,),
                 words_aug_join_char: str = "") -> list[str]:
    """Data-Juicer's words_refinement."""
    out = [w.lower() for w in words] if lower_case else list(words)
    if strip_special:
        sc = special_characters()
        out = [s for s in (strip_chars(w, sc) for w in out) if s]
    if use_words_aug:
        aug = []
        for size in words_aug_group_sizes:
            aug += [words_aug_join_char.join(out[i:i + size]) for i in range(len(out) - size + 1)]
        out = out + aug
    return out


@lru_cache(maxsize=4)
def word_list(kind: str) -> dict[str, frozenset[str]]:
    """`stopwords` or `flagged_words`: {lang: words}, with `all` the union of all languages."""
    data = json.loads((_ASSETS / "wordlists" / f"{kind}.json").read_text(encoding="utf-8"))
    lists = {lang: frozenset(ws) for lang, ws in data.items()}
    lists["all"] = frozenset().union(*lists.values())
    return lists


def load_word_list_dir(path: str, kind: str) -> dict[str, frozenset[str]]:
    """A user's word-list folder or file in Data-Juicer's layout ({lang: [words]} JSON files)."""
    import os

    files = [path] if os.path.isfile(path) else [os.path.join(path, f) for f in sorted(os.listdir(path))
                                                   if f.endswith(".json") and kind in f]
    lists: dict[str, set[str]] = {}
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for lang, ws in json.load(fh).items():
                lists.setdefault(lang, set()).update(ws)
    out = {k: frozenset(v) for k, v in lists.items()}
    out["all"] = frozenset().union(*out.values()) if out else frozenset()
    return out


_MISSING = object()


def get_field(sample: dict, dotted: str, default: Any = None) -> Any:
    """Read a dotted field (`meta.a.b`); a plain key that itself contains dots wins."""
    if dotted in sample:
        return sample[dotted]
    cur: Any = sample
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return default
    return cur


def get_field_column(batch: dict[str, list], dotted: str) -> list:
    """A dotted field as a column of a batch (None where missing)."""
    if dotted in batch:
        return list(batch[dotted])
    head, _, rest = dotted.partition(".")
    n = len(next(iter(batch.values()))) if batch else 0
    col = batch.get(head)
    if col is None:
        return [None] * n
    if not rest:
        return list(col)
    return [get_field(v, rest) if isinstance(v, dict) else None for v in col]
