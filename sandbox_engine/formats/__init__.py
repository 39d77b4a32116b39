"""File formats of Data-Juicer data sets: JSON/JSONL (optionally .gz/.zst), Parquet, CSV/TSV, plain text.

Readers stream rows (`iter_rows`) and describe a file in one cheap pass (`scan`); `writers.BatchWriter`
writes JSONL, JSON or Parquet atomically. `sandbox_engine.dataset` puts them together.
"""
