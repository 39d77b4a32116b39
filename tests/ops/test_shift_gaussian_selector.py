"""shift_gaussian_selector: count, seeded draw, centre moving with mu_shift, missing ratings, bad args."""
from __future__ import annotations

import statistics

import pytest

from sandbox_engine import process_samples
from sandbox_engine.errors import JuiceboxError
from sandbox_engine.ops.base import get_op_class


def _rows(n: int = 200) -> list[dict]:
    # ratings in a scrambled order, so selection cannot lean on the input order
    return [{"text": f"s{i}", "meta": {"rating": float((i * 37) % n)}} for i in range(n)]


def _select(rows, **args):
    return process_samples(rows, [{"shift_gaussian_selector": args}])


def _rank_pos(rows, kept):
    """Rank-normalised position of each kept sample (0 = best rating)."""
    order = sorted(rows, key=lambda r: -r["meta"]["rating"])
    pos = {r["text"]: i / (len(order) - 1) for i, r in enumerate(order)}
    return [pos[r["text"]] for r in kept]


@pytest.mark.parametrize("ratio", [0.1, 0.25, 0.5, 1.0])
def test_count_is_select_ratio_times_n(ratio):
    rows = _rows(200)
    assert len(_select(rows, select_ratio=ratio, mu_shift=0.3, sigma=0.1)) == int(ratio * 200)


def test_centre_moves_with_mu_shift():
    rows = _rows(400)
    centres = []
    for mu in (0.0, 0.2, 0.5, 0.8):
        kept = _select(rows, select_ratio=0.1, mu_shift=mu, sigma=0.05)
        centres.append(statistics.median(_rank_pos(rows, kept)))
    assert centres == sorted(centres)
    for mu, c in zip((0.2, 0.5, 0.8), centres[1:]):
        assert abs(c - mu) < 0.05
    # mu_shift 0 with a narrow window is close to top-k (all picks within the top 20%)
    assert max(_rank_pos(rows, _select(rows, select_ratio=0.1, mu_shift=0.0, sigma=0.05))) < 0.2


def test_shifted_window_excludes_the_top():
    rows = _rows(400)
    kept = _select(rows, select_ratio=0.1, mu_shift=0.4, sigma=0.05)
    assert min(_rank_pos(rows, kept)) > 0.15  # the best samples are not taken


def test_seeded_and_repeatable():
    rows = _rows(200)
    a = _select(rows, select_ratio=0.2, mu_shift=0.2, sigma=0.2, seed=1)
    b = _select(rows, select_ratio=0.2, mu_shift=0.2, sigma=0.2, seed=1)
    c = _select(rows, select_ratio=0.2, mu_shift=0.2, sigma=0.2, seed=2)
    assert [r["text"] for r in a] == [r["text"] for r in b]
    assert {r["text"] for r in a} != {r["text"] for r in c}


def test_output_best_first_and_without_replacement():
    rows = _rows(100)
    kept = _select(rows, select_ratio=0.5, mu_shift=0.5, sigma=0.3)
    ratings = [r["meta"]["rating"] for r in kept]
    assert ratings == sorted(ratings, reverse=True)
    assert len({r["text"] for r in kept}) == len(kept)


def test_narrow_window_still_fills_the_count():
    rows = _rows(50)
    assert len(_select(rows, select_ratio=0.8, mu_shift=0.0, sigma=0.001)) == 40


def test_samples_without_rating_are_never_kept():
    rows = _rows(20) + [{"text": "x"}, {"text": "y", "meta": {}}]
    kept = _select(rows, select_ratio=1.0, mu_shift=0.5, sigma=1.0)
    assert len(kept) == 20 and all("rating" in r["meta"] for r in kept)


def test_other_field_key():
    rows = [{"text": str(i), "__dj__stats__": {"q": i}} for i in range(30)]
    kept = process_samples(rows, [{"shift_gaussian_selector": {"field_key": "__dj__stats__.q", "select_ratio": 0.2,
                                                               "mu_shift": 0.0, "sigma": 0.02}}])
    assert len(kept) == 6 and min(int(r["text"]) for r in kept) >= 20


def test_metadata_and_bad_args():
    cls = get_op_class("shift_gaussian_selector")
    assert cls.category == "selector" and cls.Args.model_fields["field_key"].default == "meta.rating"
    with pytest.raises(ValueError):
        _select(_rows(10), select_ratio=1.5)
    with pytest.raises(ValueError):
        _select(_rows(10), sigma=0)
    with pytest.raises(JuiceboxError):
        _select([{"text": "a", "meta": {"rating": "high"}}, {"text": "b", "meta": {"rating": 1.0}}],
                select_ratio=1.0)
