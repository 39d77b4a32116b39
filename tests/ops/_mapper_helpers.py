"""Run one mapper through the public API on texts (shared by the mapper tests)."""
from __future__ import annotations

from sandbox_engine import process_samples


def run_texts(op: str, args: dict | None, texts: list[str]) -> list[str]:
    out = process_samples([{"text": t} for t in texts], [{op: args or {}}])
    assert len(out) == len(texts)
    return [o["text"] for o in out]


def assert_cases(op: str, args: dict | None, cases: list[tuple[str, str]]) -> None:
    got = run_texts(op, args, [c[0] for c in cases])
    assert got == [c[1] for c in cases]
