"""Multilingual retrieval features for the catalog: words and character n-grams, any language, offline.

A text becomes a bag of features: Latin words (lower-cased, lightly stemmed) with their character
4-grams (so 'dedupe', 'duplicates' and 'deduplicator' meet), and for Chinese (any CJK run) character
unigrams and bigrams. Features are TF-IDF weighted and hashed into a fixed-size vector, so the same
vectors live in the chromadb index and can be compared in memory. Nothing is downloaded; no model.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from typing import Iterable

import numpy as np

DIM = 4096
NGRAM_WEIGHT = 0.5
_WORD_RE = re.compile(r"[a-z][a-z0-9]*|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
EN_STOP = frozenset(
    "a an the of to and or in on for with by from is are be been it this that these those at as into than then "
    "them their its all any each my our your me we i you us please can could would should will just so do does "
    "did have has had there here which who whose what when where how some such very really also make sure "
    "want need like get let lets okay ok hey hi data dataset set".split())
# verbs of keeping and removing, comparators and quantifiers say which side of a bound, not which
# operator: they are left to the quantity reader and the polarity table
EN_FUNCTION = frozenset(
    "keep kept keeping retain only just remove removing removed drop dropping dropped delete deleting discard filter "
    "filtering filtered out get rid throw away exclude eliminate toss ditch least most more less than fewer under "
    "over above below exceed exceeding exceeds between within maximum minimum max min no not any every must should go "
    "gone anything everything something sample samples example examples record records entry entries item items "
    "one ones whose where with without".split())
ZH_STOP = frozenset("的 了 和 与 及 是 在 把 将 我 我们 你 请 一下 这些 那些 这个 那个 这批 里 中 都 也 就 对 给 吧 呢 吗 啊 "
                    "一些 所有 帮 帮我 删 除 掉 保 留 只 要 过 滤 少 于 多 超 低 高 以 上 下 之 间 至 不 条 个 样 本 "
                    "删除 删掉 去掉 去除 过滤 保留 只要 少于 多于 超过 低于 高于 大于 小于 以上 以下 之间 至少 不超 "
                    "超过 不少 样本 数据 掉的".split())
_ZH_SPLIT = re.compile("|".join(sorted(ZH_STOP, key=len, reverse=True)))
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ers", "er", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    for suf in _SUFFIXES:
        if len(word) > len(suf) + 3 and word.endswith(suf):
            return word[: -len(suf)] + ("y" if suf == "ies" else "")
    return word


def features(text: str) -> Counter:
    """The feature bag of a text: words, their 4-grams, CJK unigrams and bigrams."""
    out: Counter = Counter()
    for m in re.finditer(r"\b([A-Z]{2,4})s\b", text):  # 'IPs', 'URLs', 'PDFs': acronyms in the plural
        out["w:" + m.group(1).lower()] += 2
    # 'de-dup', 're-encode' join; 'near-duplicates', 'image-text' are two words
    text = re.sub(r"\b([a-z]{1,3})-(?=[a-z])", r"\1", text.lower().replace("_", " ")).replace("-", " ")
    for tok in _WORD_RE.findall(text):
        if tok[0] >= "\u3400":
            # function words (删除, 保留, 少于 ...) and particles (的, 了 ...) separate the content words
            for seg in _ZH_SPLIT.split(tok):
                for ch in seg:
                    out["c:" + ch] += 1
                for a, b in zip(seg, seg[1:]):
                    out["b:" + a + b] += 2
            continue
        if tok in EN_STOP or tok in EN_FUNCTION or tok.isdigit():
            continue
        s = stem(tok)
        out["w:" + s] += 2
        padded = f"<{s}>"
        if len(s) >= 4:
            for i in range(len(padded) - 3):
                out["g:" + padded[i:i + 4]] += NGRAM_WEIGHT
    return out


def _bucket(feat: str) -> tuple[int, float]:
    h = hashlib.blake2b(feat.encode(), digest_size=8).digest()
    n = int.from_bytes(h, "little")
    return n % DIM, (1.0 if (n >> 63) & 1 else -1.0)


_BUCKETS: dict[str, tuple[int, float]] = {}


class Vectorizer:
    """TF-IDF over a corpus of texts, hashed into DIM dimensions, L2-normalised."""

    def __init__(self, corpus: Iterable[str]) -> None:
        docs = [features(t) for t in corpus]
        n = max(len(docs), 1)
        df: Counter = Counter(f for d in docs for f in d)
        self.idf = {f: math.log((1 + n) / (1 + c)) + 1.0 for f, c in df.items()}
        self.default_idf = math.log(1 + n) + 1.0

    def weights(self, text: str) -> dict[str, float]:
        return {f: (1 + math.log(tf)) * self.idf.get(f, self.default_idf) if tf >= 1 else tf * self.idf.get(f, self.default_idf)
                for f, tf in features(text).items()}

    def vector(self, text: str, weights: dict[str, float] | None = None) -> np.ndarray:
        """The text's unit vector (`weights`: its `weights(text)`, when the caller has them already)."""
        v = np.zeros(DIM, dtype=np.float32)
        for f, w in (self.weights(text) if weights is None else weights).items():
            b = _BUCKETS.get(f)
            if b is None:
                b = _BUCKETS[f] = _bucket(f)
            v[b[0]] += b[1] * w
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v

    def matrix(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vector(t) for t in texts]) if texts else np.zeros((0, DIM), dtype=np.float32)


def has_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)
