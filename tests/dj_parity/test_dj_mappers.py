"""Replays Data-Juicer 1.4.3's mapper unit-test cases (recalled, in cases_mappers.json) through the
public API, comparing only the keys each expected sample names.

Cases marked `offline_impossible` need a model or API that cannot be had offline: skipped with the
reason. Cases marked `uncertain` (the recalled target may be wrong) are xfail when they differ.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox_engine import process_samples

CASES = json.loads((Path(__file__).parent / "cases_mappers.json").read_text(encoding="utf-8"))


def _fill(value, tmp: str):
    if isinstance(value, str):
        return value.replace("{tmp}", tmp)
    if isinstance(value, list):
        return [_fill(v, tmp) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, tmp) for k, v in value.items()}
    return value


def _mismatches(out: list[dict], expected: list[dict]) -> list[str]:
    if len(out) != len(expected):
        return [f"{len(out)} samples out, {len(expected)} expected: {[o.get('text') for o in out]!r}"]
    return [f"sample {i} key {k!r}: got {o.get(k)!r}, expected {v!r}"
            for i, (o, e) in enumerate(zip(out, expected)) for k, v in e.items() if o.get(k) != v]


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['op']}" for i, c in enumerate(CASES)])
def test_dj_mapper_case(case: dict, tmp_path: Path) -> None:
    if case.get("offline_impossible"):
        pytest.skip(f"{case['note']}: {case['offline_impossible']}")
    for name, src in case.get("files", {}).items():
        (tmp_path / name).write_text(src, encoding="utf-8")
    args = _fill(case["args"], str(tmp_path))
    out = process_samples(case["samples"], [{case["op"]: args}])
    problems = _mismatches(out, case["expected"])
    if problems and case.get("uncertain"):
        pytest.xfail(f"uncertain recollection ({case['note']}): {problems[0]}")
    assert not problems, f"{case['op']} {args} ({case['note']}):\n" + "\n".join(problems)


TEXT_OPS = sorted({c["op"] for c in CASES if not c["op"].startswith("python_")
                   and not c.get("offline_impossible")})


@pytest.mark.parametrize("op", TEXT_OPS)
def test_text_mapper_tolerates_missing_text(op: str) -> None:
    """A sample without text (None or a missing key) passes through a text mapper untouched."""
    args = next(c["args"] for c in CASES if c["op"] == op and not c.get("offline_impossible"))
    out = process_samples([{"text": None, "id": 1}, {"id": 2}], [{op: args}])
    assert [o.get("id") for o in out] == [1, 2]
    assert all(o.get("text") is None for o in out)
