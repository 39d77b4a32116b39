"""Exact n-gram repetition counts for a whole batch at once (numpy), for the character and word
repetition filters.

Each document is a sequence of non-negative integers (code points, or word ids). Every window of `n`
items gets a 64-bit polynomial hash; windows are grouped by (document, hash) with one sort, and each
group is then checked item by item against its first window, so a hash collision can never merge two
different n-grams: a document where one occurs is counted again in plain Python. The results are
therefore exactly those of counting the n-grams in a dict, at a fraction of the cost.
"""
from __future__ import annotations

from collections import Counter
from itertools import chain, count
from typing import Sequence

import numpy as np

_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, "random" high bits: distinct n-grams rarely collide


class NgramGroups:
    """The repeated n-grams of each document (`doc`, `counts`: groups with a count above 1, sorted
    by document, then count descending), the number of distinct n-grams (`distinct`) and of windows
    (`totals`) per document, and `fallback`: documents counted in Python after a hash collision."""

    def __init__(self, doc: np.ndarray, counts: np.ndarray, distinct: np.ndarray, totals: np.ndarray,
                 fallback: dict[int, list[int]]) -> None:
        self.doc, self.counts, self.distinct, self.totals = doc, counts, distinct, totals
        self.fallback = fallback


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the high bits kept in the key."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _python_counts(seq: Sequence[int], n: int) -> list[int]:
    return list(Counter(tuple(seq[i:i + n]) for i in range(len(seq) - n + 1)).values())


def ngram_groups(values: np.ndarray, lengths: np.ndarray, n: int) -> NgramGroups:
    """Group the windows of `n` consecutive items of each document (`values` holds the documents
    one after another, `lengths` their sizes)."""
    n_docs = len(lengths)
    lengths = lengths.astype(np.int64)
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    wins = np.maximum(lengths - n + 1, 0)
    zero = np.zeros(0, np.int64)
    if not wins.any():
        return NgramGroups(zero, zero, np.zeros(n_docs, np.int64), wins, {})
    vals = values.astype(np.uint64, copy=False)
    m = len(vals) - n + 1
    with np.errstate(over="ignore"):
        h = vals[:m].copy()
        for j in range(1, n):
            h *= _BASE
            h += vals[j:m + j]
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), wins)
    starts = np.arange(len(doc_of), dtype=np.int64) + np.repeat(offsets[:-1] - (np.cumsum(wins) - wins),
                                                                wins)
    # key: the document in the top bits (exact), the hash in the rest
    dbits = max(1, int(n_docs - 1).bit_length())
    key = (doc_of.astype(np.uint64) << np.uint64(64 - dbits)) | (_mix64(h[starts]) >> np.uint64(dbits))
    order = np.argsort(key)
    s_key, s_start = key[order], starts[order]
    new = np.empty(len(order), dtype=bool)
    new[0] = True
    np.not_equal(s_key[1:], s_key[:-1], out=new[1:])
    head_pos = np.flatnonzero(new)
    counts = np.diff(np.append(head_pos, len(order)))
    # verify: each window of a repeated group equals the group's first window
    dup = np.flatnonzero(~new)
    heads = s_start[head_pos][np.cumsum(new)[dup] - 1]
    mine = s_start[dup]
    same = np.ones(len(dup), dtype=bool)
    for j in range(n):
        same &= values[mine + j] == values[heads + j]
    gdoc = (s_key[head_pos] >> np.uint64(64 - dbits)).astype(np.int64)
    distinct = np.bincount(gdoc, minlength=n_docs)
    fallback: dict[int, list[int]] = {}
    if not same.all():
        bad = np.unique((s_key[dup[~same]] >> np.uint64(64 - dbits)).astype(np.int64)).tolist()
        for d in bad:
            fallback[d] = _python_counts(values[offsets[d]:offsets[d + 1]].tolist(), n)
    rep = counts > 1
    gdoc, counts = gdoc[rep], counts[rep]
    o = np.lexsort((-counts, gdoc))
    return NgramGroups(gdoc[o], counts[o], distinct, wins, fallback)


def char_rep_ratios(texts: list[str], n: int) -> list[float]:
    """Data-Juicer's char_rep_ratio of each text: the top sqrt(#distinct) character n-grams' share of
    all n-grams (repeated ones only), 0.0 without n-grams."""
    try:
        values = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    except UnicodeError:  # pragma: no cover - not expected after surrogatepass
        return [_char_rep_python(t, n) for t in texts]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if len(values) != int(lengths.sum()):  # pragma: no cover
        return [_char_rep_python(t, n) for t in texts]
    g = ngram_groups(values, lengths, n)
    return _top_share(g, len(texts))


def _top_share(g: NgramGroups, n_docs: int) -> list[float]:
    # the top k = min(sqrt(distinct), distinct - once) n-grams are all repeated ones
    repeated = np.bincount(g.doc, minlength=n_docs)
    k = np.minimum(np.sqrt(g.distinct).astype(np.int64), repeated)
    gstart = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(repeated, out=gstart[1:])
    rank = np.arange(len(g.doc)) - gstart[g.doc]
    top = np.bincount(g.doc, weights=np.where(rank < k[g.doc], g.counts, 0), minlength=n_docs)
    out = []
    for d, (t, tot) in enumerate(zip(top.astype(np.int64).tolist(), g.totals.tolist())):
        if d in g.fallback:
            out.append(_top_share_list(g.fallback[d]))
        else:
            out.append(t / tot if tot else 0.0)
    return out


def _top_share_list(counts: list[int]) -> float:
    if not counts:
        return 0.0
    freqs = sorted(counts, reverse=True)
    once = sum(1 for f in freqs if f == 1)
    k = min(int(np.sqrt(len(freqs))), len(freqs) - once)
    total = sum(freqs)
    return sum(freqs[:k]) / total if total else 0.0


def _char_rep_python(text: str, n: int) -> float:
    return _top_share_list(list(Counter(text[i:i + n] for i in range(len(text) - n + 1)).values()))


def word_rep_ratios(words: list[list[str]], n: int) -> list[float]:
    """Data-Juicer's word_rep_ratio of each word list: the share of word n-gram occurrences whose
    n-gram occurs more than once, 0.0 without n-grams."""
    vocab: dict[str, int] = {}  # a word's id: the position of its first occurrence (all in C)
    ids = map(vocab.setdefault, chain.from_iterable(words), count())
    values = np.fromiter(ids, dtype=np.int64, count=sum(map(len, words)))
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    g = ngram_groups(values, lengths, n)
    rep = np.bincount(g.doc, weights=g.counts, minlength=len(words))
    out = []
    for d, (r, tot) in enumerate(zip(rep.astype(np.int64).tolist(), g.totals.tolist())):
        if d in g.fallback:
            c = g.fallback[d]
            t = sum(c)
            out.append(sum(x for x in c if x > 1) / t if t else 0.0)
        else:
            out.append(r / tot if tot else 0.0)
    return out
