"""JSON and JSON-lines reading (streamed) and encoding.

Reading follows what Data-Juicer gets from HuggingFace `datasets` (Arrow): a number field holding both
ints and floats reads as floats everywhere (`Promoter`), found by a first pass (`scan_json`).
"""
from __future__ import annotations

import contextlib
import gzip
import io
import json
import zlib
from pathlib import Path
from typing import IO, Any, Iterator

from sandbox_engine.errors import DataFormatError

try:  # orjson is much faster; the stdlib gives the error messages
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None

_CHUNK = 1 << 20


def open_binary(path: str | Path) -> IO[bytes]:
    """Open a (possibly .gz / .zst compressed) file for reading bytes."""
    p = str(path)
    if p.endswith(".gz"):
        return gzip.open(p, "rb")
    if p.endswith(".zst"):
        import zstandard

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(p, "rb")))
    return open(p, "rb")


def open_text(path: str | Path) -> IO[str]:
    """Open a (possibly .gz / .zst compressed) UTF-8 text file for reading."""
    return io.TextIOWrapper(open_binary(path), encoding="utf-8")


@contextlib.contextmanager
def reading(path: Path, where: Any = None):
    """Turn decoding and decompression failures while reading `path` into a DataFormatError naming
    the file (and the line, when `where()` gives one)."""
    try:
        yield
    except DataFormatError:
        raise
    except UnicodeDecodeError as err:
        line = where() if where else None
        raise DataFormatError(f"{path}{f':{line}' if line else ''}: not UTF-8 text (byte "
                              f"{err.object[err.start:err.start + 1]!r} at offset {err.start}); "
                              "re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)") from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        line = where() if where else None
        raise DataFormatError(f"{path}{f' after line {line}' if line else ''}: the compressed file is "
                              f"truncated or corrupt ({err}); re-create or re-download it") from None
    except OSError as err:
        if isinstance(err, (FileNotFoundError, PermissionError, IsADirectoryError)):
            raise
        raise DataFormatError(f"{path}: cannot be read: {err}") from None
    except Exception as err:  # zstandard.ZstdError and other decompressor failures
        if type(err).__name__ != "ZstdError":
            raise
        raise DataFormatError(f"{path}: the compressed file is truncated or corrupt ({err})") from None


def loads(text: str | bytes) -> Any:
    if _orjson is not None:
        try:
            return _orjson.loads(text)
        except _orjson.JSONDecodeError:
            pass  # fall through: big ints, or a real error the stdlib explains better
    return json.loads(text)


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return obj.tolist()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if isinstance(obj, bytes):
        return obj.decode("utf-8", errors="replace")
    return str(obj)


def dumps_bytes(obj: Any) -> bytes:
    """`dumps(obj)` as UTF-8 bytes (what the writers put in files, without a decode/encode trip)."""
    if _orjson is not None:
        try:
            return _orjson.dumps(obj, default=_json_default,
                                 option=_orjson.OPT_SERIALIZE_NUMPY | _orjson.OPT_NON_STR_KEYS)
        except TypeError:
            pass  # ints beyond 64 bits
    return json.dumps(obj, ensure_ascii=False, default=_json_default).encode("utf-8")


def dumps(obj: Any) -> str:
    """One compact JSON document, non-ASCII kept as is (Data-Juicer exports with force_ascii=False)."""
    if _orjson is not None:
        try:
            return _orjson.dumps(obj, default=_json_default,
                                 option=_orjson.OPT_SERIALIZE_NUMPY | _orjson.OPT_NON_STR_KEYS).decode()
        except TypeError:
            pass  # ints beyond 64 bits
    return json.dumps(obj, ensure_ascii=False, default=_json_default)


def _bad(path: Path, line: int, msg: str) -> DataFormatError:
    return DataFormatError(f"{path}:{line}: {msg}")


def iter_jsonl(path: Path) -> Iterator[dict]:
    """Rows of a JSON-lines file. A bad line raises DataFormatError naming the file and line."""
    lineno = 0
    with reading(path, lambda: lineno), open_binary(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = loads(raw)  # bytes: orjson checks UTF-8 itself, the stdlib fallback raises
            except UnicodeDecodeError as err:
                raise _bad(path, lineno, f"not UTF-8 text (byte {raw[err.start:err.start + 1]!r} at "
                                         f"column {err.start + 1}); re-encode the file as UTF-8") from None
            except json.JSONDecodeError as err:
                raise _bad(path, lineno, f"invalid JSON at column {err.colno}: {err.msg}; each line "
                                         "must hold one JSON object") from None
            except RecursionError:
                raise _bad(path, lineno, "JSON nested too deeply") from None
            if not isinstance(obj, dict):
                raise _bad(path, lineno, f"each line must be a JSON object {{...}}, got "
                                         f"{type(obj).__name__}")
            yield obj


def _first_char(path: Path) -> str:
    with reading(path), open_text(path) as fh:
        while True:
            chunk = fh.read(4096)
            if not chunk:
                return ""
            s = chunk.lstrip()
            if s:
                return s[0]


def iter_json(path: Path) -> Iterator[dict]:
    """Rows of a .json file: a JSON array of objects (streamed), JSON lines, or one object."""
    first = _first_char(path)
    if first == "[":
        yield from _iter_array(path)
    elif first == "{":
        try:
            yield from iter_jsonl(path)
        except DataFormatError:
            # a pretty-printed single object spans lines: read it whole
            with reading(path), open_text(path) as fh:
                try:
                    obj = json.load(fh)
                except json.JSONDecodeError as err:
                    raise _bad(path, err.lineno, f"invalid JSON at column {err.colno}: {err.msg}") from None
                except RecursionError:
                    raise _bad(path, 1, "JSON nested too deeply") from None
            if not isinstance(obj, dict):
                raise _bad(path, 1, f"expected a JSON object, got {type(obj).__name__}")
            yield obj
    elif first:
        raise _bad(path, 1, "expected a JSON array '[...]' or JSON objects, got "
                            f"{first!r}")


def _iter_array(path: Path) -> Iterator[dict]:
    """Stream the objects of a top-level JSON array without loading the whole file."""
    dec = json.JSONDecoder()
    with reading(path), open_text(path) as fh:
        buf, pos, line_base, eof, chunk = "", 0, 1, False, _CHUNK

        def more() -> bool:
            nonlocal buf, pos, line_base, eof
            if eof:
                return False
            data = fh.read(chunk)
            if not data:
                eof = True
                return False
            line_base += buf.count("\n", 0, pos)
            buf, pos = buf[pos:] + data, 0
            return True

        def peek() -> str:
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n":
                    pos += 1
                if pos < len(buf):
                    return buf[pos]
                if not more():
                    return ""

        def where() -> int:
            return line_base + buf.count("\n", 0, pos)

        if peek() != "[":
            raise _bad(path, where(), "expected '['")
        pos += 1
        expect_value = True
        def closing() -> None:  # after the closing ']': only whitespace may follow
            nonlocal pos
            pos += 1
            rest = peek()
            if rest:
                raise _bad(path, where(), f"unexpected {rest!r} after the end of the JSON array")

        if peek() == "]":
            closing()
            return
        while True:
            c = peek()
            if not c:
                raise _bad(path, where(), "unexpected end of file inside the JSON array")
            if not expect_value:
                if c == "]":
                    closing()
                    return
                if c != ",":
                    raise _bad(path, where(), f"expected ',' or ']' between array items, got {c!r}")
                pos += 1
                expect_value = True
                continue
            while True:
                try:
                    obj, end = dec.raw_decode(buf, pos)
                except json.JSONDecodeError as err:
                    if more():
                        chunk *= 2
                        continue
                    line = line_base + buf.count("\n", 0, err.pos)
                    raise _bad(path, line, f"invalid JSON: {err.msg}") from None
                except RecursionError:
                    raise _bad(path, where(), "JSON nested too deeply") from None
                if end == len(buf) and more():  # a number cut at the chunk boundary
                    continue
                break
            if not isinstance(obj, dict):
                raise _bad(path, where(), f"array items must be JSON objects, got {type(obj).__name__}")
            pos = end
            expect_value = False
            yield obj


# -- int/float promotion ------------------------------------------------------------------------

_SKIP = (str, bool, type(None))


def _walk(value: Any, path: tuple, kinds: dict[tuple, int]) -> None:
    t = type(value)  # exact types: orjson/json give no subclasses, and this is the scan's hot path
    if t in _SKIP:
        return
    if t is int:
        kinds[path] = kinds.get(path, 0) | 1
    elif t is float:
        kinds[path] = kinds.get(path, 0) | 2
    elif t is dict:
        for k, v in value.items():
            if type(v) not in _SKIP:
                _walk(v, path + (k,), kinds)
    elif t is list:
        sub = path + ("[]",)
        for v in value:
            if type(v) not in _SKIP:
                _walk(v, sub, kinds)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        kinds[path] = kinds.get(path, 0) | 1
    elif isinstance(value, float):
        kinds[path] = kinds.get(path, 0) | 2
    elif isinstance(value, dict):
        for k, v in value.items():
            _walk(v, path + (k,), kinds)
    elif isinstance(value, list):
        for v in value:
            _walk(v, path + ("[]",), kinds)


class Promoter:
    """Turns ints into floats at the field paths where a file mixes both (as Arrow would)."""

    def __init__(self, paths: set[tuple]) -> None:
        self.tree: dict = {}
        for p in paths:
            node = self.tree
            for seg in p:
                node = node.setdefault(seg, {})

    def __bool__(self) -> bool:
        return bool(self.tree)

    def row(self, row: dict) -> dict:
        for k, sub in self.tree.items():
            if k in row:
                row[k] = self._fix(row[k], sub)
        return row

    def _fix(self, v: Any, node: dict) -> Any:
        if not node:  # a leaf
            return float(v) if isinstance(v, int) and not isinstance(v, bool) else v
        if isinstance(v, dict):
            for k, sub in node.items():
                if k in v:
                    v[k] = self._fix(v[k], sub)
        elif isinstance(v, list) and "[]" in node:
            sub = node["[]"]
            return [self._fix(x, sub) for x in v]
        return v


class RowScan:
    """What one pass over the rows tells: count, keys in first-seen order, mixed int/float paths."""

    def __init__(self) -> None:
        self.count = 0
        self.keys: dict[str, None] = {}
        self._kinds: dict[tuple, int] = {}

    def add(self, row: dict) -> None:
        self.count += 1
        keys, kinds = self.keys, self._kinds
        for k, v in row.items():
            if k not in keys:
                keys[k] = None
            if type(v) not in _SKIP:
                _walk(v, (k,), kinds)

    def promoter(self) -> Promoter:
        return Promoter({p for p, kind in self._kinds.items() if kind == 3})
