"""CSV/TSV, Parquet and plain-text readers.

CSV cells are typed per column as pandas would read them (and so as Data-Juicer gets them): ints, floats
(ints with empty cells become floats), booleans, otherwise strings; empty / NA cells read as null.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from typing import Any, Iterator

from sandbox_engine.errors import DataFormatError

_NA = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
       "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
_TRUE, _FALSE = {"True", "TRUE", "true"}, {"False", "FALSE", "false"}
_INT = re.compile(r"^[+-]?\d+$")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _kind(cell: str) -> int:
    """1 int, 2 float, 4 bool, 8 string."""
    if _INT.match(cell):
        return 1
    if cell in _TRUE or cell in _FALSE:
        return 4
    try:
        float(cell)
        return 2
    except ValueError:
        return 8


class CsvScan:
    """One pass over a CSV/TSV file: header, row count and the type of each column."""

    def __init__(self, path: Path, delimiter: str = ",") -> None:
        self.path, self.delimiter = path, delimiter
        self.header: list[str] = []
        self.count = 0
        kinds: list[int] = []
        has_na: list[bool] = []
        for row in self._records():
            if len(kinds) < len(self.header):
                kinds, has_na = [0] * len(self.header), [False] * len(self.header)
            self.count += 1
            for j, cell in enumerate(row):
                if cell in _NA:
                    has_na[j] = True
                else:
                    kinds[j] |= _kind(cell)
            for j in range(len(row), len(self.header)):
                has_na[j] = True
        self._kinds = kinds or [0] * len(self.header)
        self._has_na = has_na or [False] * len(self.header)

    def _records(self) -> Iterator[list[str]]:
        self.header = []
        with open(self.path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            try:
                for row in reader:
                    if not self.header:
                        self.header = [h if h else f"Unnamed: {i}" for i, h in enumerate(row)]
                        continue
                    if not row:
                        continue
                    if len(row) > len(self.header):
                        raise DataFormatError(
                            f"{self.path}:{reader.line_num}: expected {len(self.header)} fields, "
                            f"saw {len(row)}")
                    yield row
            except csv.Error as err:
                raise DataFormatError(f"{self.path}:{reader.line_num}: {err}") from None
            except UnicodeDecodeError as err:
                raise DataFormatError(f"{self.path}: not UTF-8 text: {err}") from None

    def _convert(self, j: int, cell: str) -> Any:
        if cell in _NA:
            return None
        kind = self._kinds[j]
        if kind == 1:
            return float(cell) if self._has_na[j] else int(cell)
        if kind in (2, 3):
            return float(cell)
        if kind == 4:
            return cell in _TRUE
        return cell

    def rows(self) -> Iterator[dict]:
        for row in self._records():
            out = dict.fromkeys(self.header)
            for j, cell in enumerate(row):
                out[self.header[j]] = self._convert(j, cell)
            yield out


# -- parquet ------------------------------------------------------------------------------------

def parquet_columns_and_count(path: Path) -> tuple[list[str], int]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises ArrowInvalid / OSError on bad files
        raise DataFormatError(f"{path}: not a readable Parquet file: {err}") from None
    return list(meta.schema_arrow.names), meta.metadata.num_rows


def iter_parquet_batches(path: Path, batch_size: int) -> Iterator[dict[str, list]]:
    """Column batches straight from Parquet row groups (no row dicts in between)."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        for rb in pf.iter_batches(batch_size=batch_size):
            yield rb.to_pydict()
    except DataFormatError:
        raise
    except Exception as err:
        raise DataFormatError(f"{path}: not a readable Parquet file: {err}") from None


# -- plain text ---------------------------------------------------------------------------------

def read_text_file(path: Path) -> str:
    """The whole file is one sample (Data-Juicer's text formatter reads with sample_by='document')."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DataFormatError(f"{path}: not UTF-8 text: {err}") from None
