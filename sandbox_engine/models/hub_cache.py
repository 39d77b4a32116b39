"""Hugging Face hub names (e.g. 'openai/clip-vit-base-patch32') looked up in the local hub cache only.

Data-Juicer recipes name hub models; Juicebox never downloads, but a model the user already has in the
Hugging Face cache (`$HF_HUB_CACHE`, `$HF_HOME/hub`, `~/.cache/huggingface/hub`, laid out as
`models--org--name/snapshots/<revision>/`) is used as is.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def looks_like_hub_id(name: str | None) -> bool:
    """'org/name' that is not an existing local path."""
    return bool(name) and bool(_HUB_ID.match(name)) and not Path(os.path.expanduser(name)).exists()


def cache_roots() -> list[Path]:
    """The hub cache folders to look in, most specific first (existing or not)."""
    roots: list[str] = []
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(var):
            roots.append(os.environ[var])
    if os.environ.get("HF_HOME"):
        roots.append(os.path.join(os.environ["HF_HOME"], "hub"))
    if os.environ.get("XDG_CACHE_HOME"):
        roots.append(os.path.join(os.environ["XDG_CACHE_HOME"], "huggingface", "hub"))
    roots.append(os.path.join("~", ".cache", "huggingface", "hub"))
    out: list[Path] = []
    for r in roots:
        p = Path(os.path.expanduser(r))
        if p not in out:
            out.append(p)
    return out


def find_cached(repo_id: str, accept: Callable[[Path], bool] | None = None) -> Path | None:
    """The snapshot folder of `repo_id` in a local hub cache (the `main` ref's first, then the newest)
    that `accept` takes, or None."""
    if not looks_like_hub_id(repo_id):
        return None
    folder = "models--" + repo_id.replace("/", "--")
    for root in cache_roots():
        repo = root / folder
        snaps = repo / "snapshots"
        if not snaps.is_dir():
            continue
        candidates: list[Path] = []
        ref = repo / "refs" / "main"
        if ref.is_file():
            candidates.append(snaps / ref.read_text(encoding="utf-8").strip())
        candidates += sorted((p for p in snaps.iterdir() if p.is_dir()),
                             key=lambda p: p.stat().st_mtime, reverse=True)
        for snap in candidates:
            if snap.is_dir() and (accept is None or accept(snap)):
                return snap
    return None


def where_to_put(repo_id: str) -> str:
    """A sentence saying where a hub model must be for Juicebox to find it offline."""
    root = cache_roots()[0]
    return (f"put the model in the local Hugging Face cache ({root}/models--{repo_id.replace('/', '--')}"
            f"/snapshots/<revision>/, e.g. `huggingface-cli download {repo_id}` on a machine with "
            "network access, then copy the cache; HF_HUB_CACHE or HF_HOME choose another cache folder), "
            "or give the path of a local copy")
