"""Data sets on disk: read any Data-Juicer input in column batches, count rows, write outputs.

`dataset_path` is a file, a folder (every supported file inside, recursively, in name order; mixed
formats are fine), or Data-Juicer's mixture syntax ``'w1 path1 w2 path2'``: each part is sampled to
``ceil(weight * rows)`` rows after a seeded shuffle, as Data-Juicer's MixtureFormatter does (a weight
of 1 keeps the part as is).

Batches share one column set (the union over the data set), so a key missing in a row reads as None,
and number fields mixing ints and floats read as floats, as with Data-Juicer's Arrow-backed loading.
Memory is bounded by the batch size (a mixture part with a weight other than 1 is held in memory to
be shuffled).
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Iterable, Iterator

from sandbox_engine.errors import DataFormatError
from sandbox_engine.fields import SUFFIX
from sandbox_engine.formats import jsonio, tabular
from sandbox_engine.formats.writers import BatchWriter, format_of, write_rows  # noqa: F401

Batch = dict[str, list]

JSON_SUFFIXES = (".jsonl", ".json", ".jsonl.gz", ".json.gz", ".jsonl.zst", ".json.zst")
TABLE_SUFFIXES = (".parquet", ".csv", ".tsv")
# Data-Juicer's text formatter: prose and source code, one file per sample.
TEXT_SUFFIXES = (".txt", ".md", ".tex", ".rst", ".asm", ".bat", ".cmd", ".c", ".h", ".cs", ".cpp",
                 ".hpp", ".c++", ".h++", ".cc", ".hh", ".C", ".H", ".cmake", ".css", ".dockerfile",
                 ".f90", ".f", ".f03", ".f08", ".f77", ".f95", ".for", ".fpp", ".go", ".hs", ".html",
                 ".java", ".js", ".jl", ".lua", ".markdown", ".php", ".php3", ".php4", ".php5", ".phps",
                 ".phpt", ".pl", ".pm", ".pod", ".perl", ".ps1", ".psd1", ".psm1", ".py", ".rb", ".rs",
                 ".sql", ".scala", ".sh", ".bash", ".command", ".zsh", ".ts", ".tsx", ".vb", ".xml",
                 ".yaml", ".yml")
ALL_SUFFIXES = JSON_SUFFIXES + TABLE_SUFFIXES + TEXT_SUFFIXES


def file_suffix(path: Path) -> str:
    """'.jsonl', '.txt' ..., with '.jsonl.gz'-style compound suffixes for compressed files."""
    name = path.name.lower()
    for s in JSON_SUFFIXES:
        if name.endswith(s):
            return s
    return path.suffix if path.suffix in (".C", ".H") else path.suffix.lower()


def find_files(path: Path, suffixes: Iterable[str] | None = None) -> list[Path]:
    """Supported data files under a folder (recursively, sorted), hidden files skipped."""
    wanted = {s if s.startswith(".") else "." + s for s in (suffixes or ())} or set(ALL_SUFFIXES)
    if path.is_file():
        return [path]
    out = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            p = Path(root) / f
            if not f.startswith(".") and file_suffix(p) in wanted:
                out.append(p)
    return sorted(out)


class _File:
    """One data file: a cheap scan (count, columns, number promotions), then streamed rows."""

    def __init__(self, path: Path, add_suffix: bool) -> None:
        self.path = path
        self.suffix = file_suffix(path)
        self.add_suffix = add_suffix
        self._scanned = False
        self.count = 0
        self.columns: list[str] = []
        self._json_scan: jsonio.RowScan | None = None
        self._csv: tabular.CsvScan | None = None

    @property
    def kind(self) -> str:
        if self.suffix in JSON_SUFFIXES:
            return "json"
        if self.suffix in (".csv", ".tsv"):
            return "csv"
        if self.suffix == ".parquet":
            return "parquet"
        return "text"

    def scan(self) -> None:
        if self._scanned:
            return
        if self.kind == "json":
            scan = jsonio.RowScan()
            for row in self._json_rows():
                scan.add(row)
            self._json_scan, self.count, self.columns = scan, scan.count, list(scan.keys)
        elif self.kind == "csv":
            self._csv = tabular.CsvScan(self.path, "\t" if self.suffix == ".tsv" else ",")
            self.count, self.columns = self._csv.count, list(self._csv.header)
        elif self.kind == "parquet":
            self.columns, self.count = tabular.parquet_columns_and_count(self.path)
        else:
            self.count, self.columns = 1, ["text"]
        if self.add_suffix and SUFFIX not in self.columns:
            self.columns.append(SUFFIX)
        self._scanned = True

    def _json_rows(self) -> Iterator[dict]:
        if self.suffix.startswith(".jsonl"):
            return jsonio.iter_jsonl(self.path)
        return jsonio.iter_json(self.path)

    def kinds(self) -> dict[tuple, int]:
        self.scan()
        return self._json_scan._kinds if self._json_scan else {}

    def batches(self, batch_size: int, columns: list[str],
                promoter: jsonio.Promoter | None = None) -> Iterator[Batch]:
        self.scan()
        if self.kind == "parquet":
            for b in tabular.iter_parquet_batches(self.path, batch_size):
                yield self._tag(_align(b, columns))
            return
        if self.kind == "json":
            rows: Iterable[dict] = self._json_rows()
            if promoter:
                rows = (promoter.row(r) for r in rows)
        elif self.kind == "csv":
            rows = self._csv.rows()
        else:
            rows = iter([{"text": tabular.read_text_file(self.path)}])
        buf: list[dict] = []
        for r in rows:
            buf.append(r)
            if len(buf) >= batch_size:
                yield self._tag(_to_batch(buf, columns))
                buf = []
        if buf:
            yield self._tag(_to_batch(buf, columns))

    def _tag(self, batch: Batch) -> Batch:
        if self.add_suffix:
            n = len(next(iter(batch.values()))) if batch else 0
            batch[SUFFIX] = [self.suffix] * n
        return batch


def _to_batch(rows: list[dict], columns: list[str]) -> Batch:
    return {k: [r.get(k) for r in rows] for k in columns}


def _align(batch: Batch, columns: list[str]) -> Batch:
    n = len(next(iter(batch.values()))) if batch else 0
    return {k: batch[k] if k in batch else [None] * n for k in columns}


class _Plain:
    """A file or a folder of files read as one data set."""

    def __init__(self, path: Path, suffixes: Iterable[str] | None, add_suffix: bool) -> None:
        if not path.exists():
            raise DataFormatError(f"dataset_path {str(path)!r} does not exist (Juicebox reads local "
                                  "files and folders only; it never downloads data sets)")
        if path.is_file() and file_suffix(path) not in ALL_SUFFIXES:
            raise DataFormatError(f"{path}: unsupported data file suffix {file_suffix(path)!r}; "
                                  "supported: .jsonl, .json, .parquet, .csv, .tsv, text files "
                                  "(.txt, .md, code ...), optionally .gz/.zst compressed JSON")
        self.files = [_File(p, add_suffix) for p in find_files(path, suffixes)]
        if not self.files:
            raise DataFormatError(f"dataset_path {str(path)!r}: no data files found"
                                  + (f" with suffixes {list(suffixes)}" if suffixes else ""))

    def scan(self) -> None:
        for f in self.files:
            f.scan()

    def count(self) -> int:
        self.scan()
        return sum(f.count for f in self.files)

    def columns(self) -> list[str]:
        self.scan()
        seen: dict[str, None] = {}
        for f in self.files:
            for c in f.columns:
                seen.setdefault(c, None)
        return list(seen)

    def batches(self, batch_size: int, columns: list[str],
                promoter: jsonio.Promoter) -> Iterator[Batch]:
        for f in self.files:
            yield from f.batches(batch_size, columns, promoter)


def parse_mixture(spec: str) -> list[tuple[float, str]]:
    """Data-Juicer's 'w1 path1 w2 path2' (a path without a weight gets 1.0; weights below 0 are 0)."""
    parts: list[tuple[float, str]] = []
    weight: float | None = None
    for tok in spec.split():
        try:
            weight = max(float(tok), 0.0)
            continue
        except ValueError:
            pass
        parts.append((1.0 if weight is None else weight, tok))
        weight = None
    return parts


def _shuffled_indices(n: int, k: int, seed: int = 42) -> list[int]:
    """HuggingFace `shuffle(seed)` then `select` of k rows (repeating the rows when k > n)."""
    import numpy as np

    perm = np.random.default_rng(seed).permutation(n).tolist()
    reps, rest = divmod(k, n) if n else (0, 0)
    return perm * reps + perm[:rest]


class DataSource:
    """A data set to read: one path, a folder, or a weighted mixture of them."""

    def __init__(self, dataset_path: str | os.PathLike | list, suffixes: Iterable[str] | None = None,
                 add_suffix: bool = False, base_dir: str | os.PathLike | None = None) -> None:
        specs = self._specs(dataset_path)
        self.parts = [(w, _Plain(resolve_path(p, base_dir), suffixes, add_suffix)) for w, p in specs]
        self.description = str(dataset_path)

    @staticmethod
    def _specs(dataset_path: str | os.PathLike | list) -> list[tuple[float, str]]:
        if isinstance(dataset_path, (list, tuple)):
            return [(float(w), str(p)) for w, p in dataset_path]
        s = str(dataset_path).strip()
        if not s:
            raise DataFormatError("dataset_path is empty")
        if os.path.exists(s) or len(s.split()) == 1:
            return [(1.0, s)]
        return parse_mixture(s)

    @property
    def files(self) -> list[Path]:
        return [f.path for _, part in self.parts for f in part.files]

    def _sample_size(self, weight: float, part: _Plain) -> int:
        n = part.count()
        return n if weight == 1.0 else int(math.ceil(n * weight))

    def count(self) -> int:
        return sum(self._sample_size(w, p) for w, p in self.parts)

    def columns(self) -> list[str]:
        seen: dict[str, None] = {}
        for _, p in self.parts:
            for c in p.columns():
                seen.setdefault(c, None)
        return list(seen)

    def batches(self, batch_size: int = 1000) -> Iterator[Batch]:
        """Column batches of at most `batch_size` rows, all with the same columns."""
        if batch_size < 1:
            raise DataFormatError(f"batch_size must be >= 1, got {batch_size}")
        columns = self.columns()
        kinds: dict[tuple, int] = {}
        for _, p in self.parts:
            for f in p.files:
                for path, k in f.kinds().items():
                    kinds[path] = kinds.get(path, 0) | k
        promoter = jsonio.Promoter({p for p, k in kinds.items() if k == 3})
        for weight, part in self.parts:
            n, k = part.count(), self._sample_size(weight, part)
            if k == n:
                yield from part.batches(batch_size, columns, promoter)
                continue
            rows: list[dict] = []
            for b in part.batches(batch_size, columns, promoter):
                keys = list(b)
                rows.extend(dict(zip(keys, vals)) for vals in zip(*b.values()))
            picked = [rows[i] for i in _shuffled_indices(n, k)]
            for s in range(0, len(picked), batch_size):
                yield _to_batch(picked[s:s + batch_size], columns)


def resolve_path(path: str | os.PathLike, base_dir: str | os.PathLike | None = None) -> Path:
    """Data-Juicer resolves relative paths against the working directory; when that does not exist
    but the path does exist beside the recipe (`base_dir`), use that."""
    p = Path(os.path.expanduser(str(path)))
    if p.is_absolute() or p.exists() or base_dir is None:
        return p
    alt = Path(base_dir) / p
    return alt if alt.exists() else p


def open_dataset(path: str | os.PathLike, **kwargs) -> DataSource:
    return DataSource(path, **kwargs)


def read_batches(path: str | os.PathLike, batch_size: int = 1000, *,
                 suffixes: Iterable[str] | None = None, add_suffix: bool = False) -> Iterator[Batch]:
    """Stream a data set as column batches (`dict[str, list]`) of at most `batch_size` rows."""
    return DataSource(path, suffixes=suffixes, add_suffix=add_suffix).batches(batch_size)


def count_rows(path: str | os.PathLike, *, suffixes: Iterable[str] | None = None) -> int:
    return DataSource(path, suffixes=suffixes).count()


def load_rows(path: str | os.PathLike, **kwargs) -> list[dict]:
    """A whole (small) data set as a list of row dicts."""
    rows: list[dict] = []
    for b in read_batches(path, **kwargs):
        keys = list(b)
        rows.extend(dict(zip(keys, vals)) for vals in zip(*b.values()))
    return rows
