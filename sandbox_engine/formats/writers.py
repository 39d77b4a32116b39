"""Atomic batch writers for JSONL, JSON (an array, as Data-Juicer exports .json) and Parquet.

Everything goes to a hidden temporary file beside the target; `commit()` renames it into place, so a
crash never leaves half a file and an existing output stays intact until the new one is complete.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable

from sandbox_engine.atomic import commit, temp_path_for, temp_prefix
from sandbox_engine.errors import DataFormatError
from sandbox_engine.formats.jsonio import dumps_bytes

WRITE_FORMATS = {".jsonl": "jsonl", ".json": "json", ".parquet": "parquet"}


def format_of(path: str | os.PathLike) -> str:
    suffix = Path(path).suffix.lower()
    try:
        return WRITE_FORMATS[suffix]
    except KeyError:
        raise DataFormatError(f"export_path {str(path)!r}: cannot write {suffix or 'files without a suffix'}; "
                              f"use one of {', '.join(WRITE_FORMATS)}") from None


def _rows(batch: dict[str, list], drop: set[str]) -> Iterable[dict]:
    keys = [k for k in batch if k not in drop]
    cols = [batch[k] for k in keys]
    n = len(cols[0]) if cols else 0
    for i in range(n):
        yield {k: c[i] for k, c in zip(keys, cols)}


class BatchWriter:
    """Write column batches to `path`; the file appears only on `commit()` (or leaving a `with`
    block without an error). `drop` names columns left out of the output."""

    def __init__(self, path: str | os.PathLike, fmt: str | None = None,
                 drop: Iterable[str] = ()) -> None:
        self.path = Path(path)
        self.fmt = fmt or format_of(self.path)
        self.drop = set(drop)
        self.rows = 0
        self._tmp = temp_path_for(self.path)
        self._fh = None
        self._parts: list[Path] = []
        self._parts_dir: Path | None = None
        if self.fmt in ("jsonl", "json"):
            self._fh = open(self._tmp, "wb")  # UTF-8 bytes straight from orjson
            if self.fmt == "json":
                self._fh.write(b"[")
        elif self.fmt == "parquet":
            self._parts_dir = Path(tempfile.mkdtemp(prefix=temp_prefix(self.path.name + ".parts"),
                                                    dir=self.path.parent))
        else:
            raise DataFormatError(f"unknown output format {self.fmt!r}")

    def write(self, batch: dict[str, list]) -> None:
        if self.fmt == "parquet":
            self._write_parquet_part(batch)
            return
        lines = [dumps_bytes(row) for row in _rows(batch, self.drop)]
        if not lines:
            return
        if self.fmt == "json":
            self._fh.write((b"\n" if self.rows == 0 else b",\n") + b",\n".join(lines))
        else:
            self._fh.write(b"\n".join(lines) + b"\n")
        self.rows += len(lines)

    def write_rows(self, rows: list[dict]) -> None:
        from sandbox_engine.batches import rows_to_batch

        self.write(rows_to_batch(rows))

    def _write_parquet_part(self, batch: dict[str, list]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = {k: v for k, v in batch.items() if k not in self.drop}
        n = len(next(iter(data.values()))) if data else 0
        if n == 0:
            return
        try:
            table = pa.Table.from_pydict(data)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
            raise DataFormatError(f"{self.path}: cannot store these rows as Parquet: {err}") from None
        table = _drop_empty_structs(table)
        part = self._parts_dir / f"{len(self._parts):06d}.parquet"
        pq.write_table(table, part)
        self._parts.append(part)
        self.rows += n

    def commit(self) -> Path:
        if self.fmt == "parquet":
            self._merge_parquet()
        else:
            if self.fmt == "json":
                self._fh.write(b"\n]\n" if self.rows else b"]\n")
            self._fh.close()
        commit(self._tmp, self.path)
        self._cleanup_parts()
        return self.path

    def abort(self) -> None:
        if self._fh is not None and not self._fh.closed:
            self._fh.close()
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)
        self._cleanup_parts()

    def _cleanup_parts(self) -> None:
        if self._parts_dir is not None:
            shutil.rmtree(self._parts_dir, ignore_errors=True)

    def _merge_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._parts:
            pq.write_table(pa.table({}), self._tmp)
            return
        schemas = [pq.read_schema(p) for p in self._parts]
        try:
            schema = pa.unify_schemas(schemas, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
            raise DataFormatError(f"{self.path}: columns change type between batches: {err}") from None
        with pq.ParquetWriter(self._tmp, schema) as writer:
            for p in self._parts:
                writer.write_table(_conform(pq.read_table(p), schema))

    def __enter__(self) -> "BatchWriter":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def _drop_empty_structs(table: Any) -> Any:
    """Parquet cannot store a struct without fields (a column of `{}`): store nulls instead."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_struct(field.type) and field.type.num_fields == 0:
            table = table.set_column(i, pa.field(field.name, pa.null()),
                                     pa.nulls(table.num_rows))
    return table


def _conform(table: Any, schema: Any) -> Any:
    import pyarrow as pa

    for field in schema:
        if field.name not in table.column_names:
            table = table.append_column(field, pa.nulls(table.num_rows, type=field.type))
    table = table.select(schema.names)
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pa.Table.from_pylist(table.to_pylist(), schema=schema)


def write_rows(path: str | os.PathLike, rows: list[dict], fmt: str | None = None) -> Path:
    """Write a list of row dicts atomically (format from the suffix)."""
    with BatchWriter(path, fmt) as w:
        if rows:
            w.write_rows(rows)
    return Path(path)
