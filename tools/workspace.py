"""The session's file sandbox: tools read and write only inside the workspace and the data paths the
user gave; anything else (`..`, absolute paths elsewhere, symlinks out) is refused."""
from __future__ import annotations

import os
from pathlib import Path

from sandbox_engine.errors import JuiceboxError


class WorkspaceError(JuiceboxError):
    """A tool was asked to touch a path outside the session's workspace and data paths."""


class Workspace:
    def __init__(self, root: str | os.PathLike, data_paths: list[str | os.PathLike] | None = None) -> None:
        self.root = Path(root).expanduser().resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.data_paths = [Path(p).expanduser().resolve() for p in (data_paths or [])]

    def add_data_path(self, path: str | os.PathLike) -> Path:
        p = Path(path).expanduser().resolve()
        if p not in self.data_paths:
            self.data_paths.append(p)
        return p

    def _inside(self, p: Path, base: Path) -> bool:
        return p == base or base in p.parents

    def resolve(self, path: str | os.PathLike, write: bool = False) -> Path:
        """The real path for `path` (relative paths are taken from the workspace root). Reads may
        touch the workspace and the data paths; writes only the workspace."""
        raw = Path(path).expanduser()
        p = (raw if raw.is_absolute() else self.root / raw).resolve()
        allowed = [self.root] if write else [self.root, *self.data_paths]
        if not any(self._inside(p, b) for b in allowed):
            what = "write to" if write else "read"
            raise WorkspaceError(f"refusing to {what} {str(path)!r}: outside the session workspace {self.root}"
                                 + ("" if write else f" and the data paths given ({', '.join(map(str, self.data_paths)) or 'none'})"))
        return p


def default_workspace() -> Workspace:
    """The workspace a CLI session uses: $JUICEBOX_WORKSPACE or the current directory."""
    return Workspace(os.environ.get("JUICEBOX_WORKSPACE") or os.getcwd())
