"""The engine benchmark runs end to end (so it can't rot), and the fast paths it relies on give
exactly the plain-Python answers."""
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sandbox_engine.ops.filters import ngram_counts
from sandbox_engine.ops.filters.ngram_counts import char_rep_ratios, word_rep_ratios
from sandbox_engine.ops.filters.text_basic import count_alnum, count_special
from sandbox_engine.ops.text_utils import special_characters, split_words

ROOT = Path(__file__).resolve().parent.parent


def _char_rep(text, n):  # Data-Juicer's character_repetition_filter, verbatim in spirit
    counts = Counter(text[i:i + n] for i in range(len(text) - n + 1))
    if not counts:
        return 0.0
    freqs = sorted(counts.values(), reverse=True)
    once = sum(1 for f in freqs if f == 1)
    k = min(int(len(freqs) ** 0.5), len(freqs) - once)
    return sum(freqs[:k]) / sum(freqs)


def _word_rep(words, n):
    counts = Counter(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    total = sum(counts.values())
    return sum(c for c in counts.values() if c > 1) / total if total else 0.0


def _texts(k=300, seed=3):
    rng = random.Random(seed)
    vocab = "the a of data model clean text is in for with on quality x y".split()
    out = ["", "a", "abcabcabcabc", "😀😀😀😀😀😀😀😀😀😀😀😀x", "\ud800 lone surrogate text here",
           "Ünïcödé tëxt wïth äccents, ñ and 中文字符 and ４５６ digits", "\t\n  \u00a0 spaces\tand\ttabs\n"]
    for _ in range(k):
        t = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 80)))
        if rng.random() < 0.2:
            t += "!?" * rng.randint(0, 30)
        out.append(t)
    return out


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10])
def test_char_and_word_repetition_match_plain_counting(n):
    texts = _texts()
    assert char_rep_ratios(texts, n) == [_char_rep(t, n) for t in texts]
    words = [split_words(t.lower()) for t in texts]
    assert word_rep_ratios(words, n) == [_word_rep(w, n) for w in words]


def test_hash_collisions_fall_back_to_exact_counts(monkeypatch):
    # a degenerate hash (every window hashes to its last item) collides all the time: the check
    # against each group's first window must catch it and count those documents exactly
    import numpy as np

    monkeypatch.setattr(ngram_counts, "_BASE", np.uint64(0))
    texts = _texts(80, seed=5)
    assert char_rep_ratios(texts, 4) == [_char_rep(t, 4) for t in texts]
    words = [split_words(t) for t in texts]
    assert word_rep_ratios(words, 3) == [_word_rep(w, 3) for w in words]


def test_character_counts_match_per_character_checks():
    sc = special_characters()
    for t in _texts(50) + ["", "abc123", "a_b-c", "½ ² Ⅻ ٣", "\x00\x7f\x80"]:
        assert count_alnum(t) == sum(map(str.isalnum, t))
        assert count_special(t) == sum(1 for c in t if c in sc)


def test_split_words_matches_regex_split():
    import re

    for t in _texts(50) + ["a\tb\nc  d", "\t\n", " x ", "\u00a0y\u2009z\r\nw"]:
        assert split_words(t) == [w for w in re.split(r" |\n|\t", t) if w]


def test_benchmark_runs_end_to_end(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(ROOT / "evals" / "bench_engine.py"), "--rows", "2000",
                           "--quick", "--np", "1", "--skip-ray", "--json", str(out)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "x baseline" in proc.stdout and "memory flatness" in proc.stdout
    res = json.loads(out.read_text())
    assert res["rows"] == 2000
    assert res["text_fused"]["identical"] is True
    assert 0 < res["text"]["rows_out"] < 2000  # the noise is really filtered
    assert res["minhash"]["rows_out"] < 2000   # and near-duplicates really found
    for case in ("baseline", "text", "text_fused", "minhash"):
        assert res[case]["peak_rss"] > 0 and res[case]["rate"] > 0
