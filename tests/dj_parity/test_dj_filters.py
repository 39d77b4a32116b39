"""Replays recalled Data-Juicer 1.4.3 unit-test cases (filters, deduplicators, selectors, groupers)
through the public in-memory API, the way an acceptance harness would: samples in, list of dicts out.

Cases live in cases_filters.json: {op, args, samples, expected, compare, note, [uncertain],
[approximation]}. compare: "texts" (the kept samples' text, in order), "samples" (each output sample
restricted to the expected dict's keys), "stats" (compute_stats' __dj__stats__ restricted to the
expected keys; floats approximately), "count" (number of kept samples). Cases flagged `approximation`
depend on a model we cannot ship (pythia tokenizer, Falconsai, CLIP, KenLM) and are expected to differ.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from sandbox_engine import compute_stats, process_samples

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((Path(__file__).with_name("cases_filters.json")).read_text(encoding="utf-8"))
IMG_PREFIX = "tests/data/images/"


def _abs(v):
    """Image paths in the cases are relative to the repository root."""
    if isinstance(v, str) and v.startswith(IMG_PREFIX):
        return str(ROOT / v)
    if isinstance(v, list):
        return [_abs(x) for x in v]
    if isinstance(v, dict):
        return {k: _abs(x) for k, x in v.items()}
    return v


def _close(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-6,
                                                                                             abs_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return a == b


def run_case(case: dict):
    """(actual, expected) in the case's comparison form."""
    samples, expected = _abs(case["samples"]), _abs(case["expected"])
    process = [{case["op"]: case["args"]}]
    mode = case["compare"]
    if mode == "stats":
        out = compute_stats(samples, process)
        return [{k: s["__dj__stats__"].get(k) for k in e} for s, e in zip(out, expected)], expected
    out = process_samples(samples, process)
    if mode == "texts":
        return [s.get("text") for s in out], expected
    if mode == "count":
        return len(out), expected
    if mode == "samples":
        if len(out) != len(expected):
            return out, expected
        return [{k: s.get(k) for k in e} for s, e in zip(out, expected)], expected
    raise ValueError(f"unknown compare mode {mode!r}")


def _id(case: dict) -> str:
    return f"{case['op']}:{case['note'][:50]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_dj_case(case):
    if case.get("approximation"):
        pytest.xfail(f"known approximation: {case['approximation']}")
    actual, expected = run_case(case)
    assert _close(actual, expected), f"{case['note']}\nactual:   {actual}\nexpected: {expected}"


def test_outputs_carry_no_engine_keys():
    """Whole-sample equality must hold: no stats, hashes or other added keys in process_samples' output."""
    for case in CASES:
        if case["compare"] == "count":
            continue
        samples = _abs(case["samples"])
        in_keys = set().union(*(s.keys() for s in samples)) if samples else set()
        for s in process_samples(samples, [{case["op"]: case["args"]}]):
            assert set(s) <= in_keys, (case["note"], set(s) - in_keys)
