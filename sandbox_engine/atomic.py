"""Atomic file writes: write to a temporary file in the same folder, then `os.replace` it.

A crash (even SIGKILL) at any point leaves either the old file or the complete new one, never half a
file. Temporary names start with a dot so folder readers skip them.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator


def temp_path_for(path: str | os.PathLike) -> Path:
    """A fresh temporary path beside `path` (same file system, so the rename is atomic)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
    except (AttributeError, OSError):
        pass
    os.close(fd)
    return Path(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temp_prefix(name: str) -> str:
    """Prefix of our temporary names: hidden, and carrying the pid so stale ones can be found."""
    return f".{name}.jbtmp-{os.getpid()}-"


_TMP_RE = re.compile(r"^\..*\.jbtmp-(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale_temps(folder: str | os.PathLike) -> int:
    """Remove temporary files and folders left in `folder` by killed processes (their pid is in the
    name and no longer runs). Returns how many were removed."""
    import shutil

    folder = Path(folder)
    if not folder.is_dir():
        return 0
    removed = 0
    for p in folder.iterdir():
        m = _TMP_RE.match(p.name)
        if not m or _alive(int(m.group(1))):
            continue
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
        removed += 1
    return removed


def commit(tmp: str | os.PathLike, path: str | os.PathLike, fsync: bool = True) -> None:
    """Move a finished temporary file onto its final name."""
    if fsync:
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    if fsync:
        _fsync_dir(Path(path).parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8",
                fsync: bool = True) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on success it replaces `path`, on error it is removed."""
    tmp = temp_path_for(path)
    if "b" in mode:
        encoding = None
    try:
        with open(tmp, mode, encoding=encoding) as fh:
            yield fh
        commit(tmp, path, fsync=fsync)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def write_json(path: str | os.PathLike, obj: Any, indent: int | None = 2) -> None:
    with atomic_open(path, "w") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=indent, default=str)
        fh.write("\n")
