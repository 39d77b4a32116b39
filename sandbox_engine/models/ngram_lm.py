"""A small word n-gram language model for perplexity_filter (KenLM's role in Data-Juicer).

No KenLM model ships anywhere, so we train an interpolated Kneser-Ney trigram on the shipped
English reference text (`assets/lm/reference_en.txt.xz`, built by scripts/build_lm_reference.py) on
first use (a few seconds) and keep it in memory. The trained model is stored in the standard ARPA
backoff format, so `save()`/`load()` round-trip and a user may pass an ARPA file of their own
(plain or .gz; KenLM's `lmplz` writes one). Perplexity is computed as Data-Juicer does:
``10 ** (-sum(log10 p) / (tokens + 1))`` over the whole text as one line, with </s> counted.

Tokens: NFKC, lowercased, every digit turned into 0 (as cc_net normalises for its KenLM models),
then letter runs (with inner apostrophes), digit runs and single other characters.
"""
from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.models import cached

ASSET = Path(__file__).resolve().parents[1] / "assets" / "lm" / "reference_en.txt.xz"
BOS, EOS, UNK = "<s>", "</s>", "<unk>"
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+|[^\w\s]")
_DIGIT = re.compile(r"\d")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def tokenize(text: str) -> list[str]:
    """The LM's tokens for a text (see module docstring)."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    return _TOKEN.findall(_DIGIT.sub("0", text))


class NgramLM:
    """A backoff n-gram model: log10 probabilities and backoff weights keyed by word tuples."""

    def __init__(self, order: int, logp: dict[tuple, float], bow: dict[tuple, float]):
        self.order = order
        self.logp = logp
        self.bow = bow
        self.unk = logp.get((UNK,), -7.0)

    # -- scoring -----------------------------------------------------------------------------
    def score_tokens(self, tokens: list[str]) -> float:
        """log10 P(<s> tokens </s>)."""
        if self.order == 3:
            return self._score3(tokens)
        logp, bow, keep = self.logp, self.bow, self.order - 1
        ctx: tuple = (BOS,)
        total = 0.0
        for w in (*tokens, EOS):
            acc = 0.0
            for i in range(len(ctx) + 1):
                h = ctx[i:]
                v = logp.get(h + (w,))
                if v is not None:
                    acc += v
                    break
                acc += bow.get(h, 0.0)
            else:
                acc += self.unk
            total += acc
            ctx = (ctx + (w,))[-keep:] if keep else ()
        return total

    def _score3(self, tokens: list[str]) -> float:
        """score_tokens unrolled for trigrams (the hot path: about 2x the generic loop)."""
        get, bget, unk = self.logp.get, self.bow.get, self.unk
        u, v = None, BOS
        total = 0.0
        for w in (*tokens, EOS):
            p = get((u, v, w)) if u is not None else None
            if p is None:
                b = bget((u, v), 0.0) if u is not None else 0.0
                p = get((v, w))
                if p is None:
                    p = bget((v,), 0.0) + get((w,), unk)
                p += b
            total += p
            u, v = v, w
        return total

    def perplexity(self, text: str) -> float:
        """Data-Juicer's perplexity of a text, rounded to one decimal; 0.0 for a text without
        tokens."""
        tokens = tokenize(text)
        if not tokens:
            return 0.0
        return round(10.0 ** (-self.score_tokens(tokens) / (len(tokens) + 1)), 1)

    def perplexities(self, texts: Iterable[str]) -> list[float]:
        return [self.perplexity(t or "") for t in texts]

    # -- ARPA I/O ----------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model as an ARPA file (gzipped when the name ends in .gz)."""
        path = Path(path)
        by_order: dict[int, list[tuple]] = defaultdict(list)
        for ng in self.logp:
            by_order[len(ng)].append(ng)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "wt", encoding="utf-8") as f:
            f.write("\\data\\\n")
            for n in range(1, self.order + 1):
                f.write(f"ngram {n}={len(by_order[n])}\n")
            for n in range(1, self.order + 1):
                f.write(f"\n\\{n}-grams:\n")
                for ng in sorted(by_order[n]):
                    line = f"{self.logp[ng]:.6f}\t{' '.join(ng)}"
                    if ng in self.bow:
                        line += f"\t{self.bow[ng]:.6f}"
                    f.write(line + "\n")
            f.write("\n\\end\\\n")
        return path

    @classmethod
    def load(cls, path: str | Path) -> "NgramLM":
        """Read an ARPA file (plain or .gz). A KenLM binary is refused with a clear error."""
        path = Path(path)
        with open(path, "rb") as f:
            head = f.read(64)
        if head.startswith(b"mmap lm") or (not head.startswith(b"\x1f\x8b") and b"\\data\\" not in head):
            raise ModelUnavailableError(
                f"perplexity model {str(path)!r} is not an ARPA file (a KenLM binary cannot be read "
                "here); give an ARPA file, e.g. one written by `lmplz` or by NgramLM.save().")
        opener = gzip.open if head.startswith(b"\x1f\x8b") else open
        logp: dict[tuple, float] = {}
        bow: dict[tuple, float] = {}
        order, n = 0, 0
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                if line.startswith("\\"):
                    m = re.match(r"\\(\d+)-grams:", line)
                    n = int(m.group(1)) if m else 0
                    order = max(order, n)
                    continue
                if n == 0:
                    continue
                if "\t" in line:
                    parts = line.split("\t")
                    words, rest = tuple(parts[1].split()), parts[2:]
                else:
                    parts = line.split()
                    words, rest = tuple(parts[1:1 + n]), parts[1 + n:]
                logp[words] = float(parts[0])
                if rest:
                    bow[words] = float(rest[0])
        if not logp:
            raise ModelUnavailableError(f"perplexity model {str(path)!r} holds no n-grams")
        return cls(order, logp, bow)


def train(sentences: Iterable[list[str]], order: int = 3) -> NgramLM:
    """Interpolated Kneser-Ney (one discount per order, D = n1 / (n1 + 2 n2)), in backoff form."""
    counts: list[Counter] = [Counter() for _ in range(order + 1)]
    for toks in sentences:
        seq = [BOS, *toks, EOS]
        for i in range(1, len(seq)):
            counts[order][tuple(seq[max(0, i - order + 1):i + 1])] += 1
    # Lower orders: continuation counts (distinct left extensions), raw counts for <s>-prefixed
    # n-grams (nothing can extend them to the left); top-order n-grams shorter than `order` start
    # with <s> and are moved to their own order.
    top = counts[order]
    for ng in [g for g in top if len(g) < order]:
        counts[len(ng)][ng] += top.pop(ng)
    for n in range(order, 1, -1):
        for ng in counts[n]:
            lower = ng[1:]
            if lower[0] == BOS:
                continue
            counts[n - 1][lower] += 1
    for ng in [g for g in counts[1] if g[0] == BOS]:
        del counts[1][ng]
    vocab = [g[0] for g in counts[1]] + [UNK]

    logp: dict[tuple, float] = {}
    bow: dict[tuple, float] = {}
    prob: dict[tuple, float] = {}
    for n in range(1, order + 1):
        c = counts[n]
        n1 = sum(1 for v in c.values() if v == 1)
        n2 = sum(1 for v in c.values() if v == 2)
        d = n1 / (n1 + 2 * n2) if n1 + n2 else 0.5
        total: dict[tuple, int] = defaultdict(int)
        types: dict[tuple, int] = defaultdict(int)
        for ng, v in c.items():
            total[ng[:-1]] += v
            types[ng[:-1]] += 1
        gamma = {h: d * types[h] / total[h] for h in total}
        if n == 1:
            g0 = gamma[()]
            for ng, v in c.items():
                prob[ng] = max(v - d, 0) / total[()] + g0 / len(vocab)
            prob[(UNK,)] = g0 / len(vocab)
        else:
            for ng, v in c.items():
                h = ng[:-1]
                prob[ng] = max(v - d, 0) / total[h] + gamma[h] * _backoff_prob(prob, bow, ng[1:])
        for h, g in gamma.items():
            if h:
                bow[h] = math.log10(g)
    for ng, p in prob.items():
        logp[ng] = math.log10(p)
    logp[(BOS,)] = -99.0
    bow.setdefault((BOS,), 0.0)
    return NgramLM(order, logp, bow)


def _backoff_prob(prob: dict, bow: dict, ng: tuple) -> float:
    """P(ng[-1] | ng[:-1]) from the lower orders already estimated (log-domain backoffs)."""
    acc = 0.0
    for i in range(len(ng)):
        sub = ng[i:]
        if sub in prob:
            return prob[sub] * 10.0 ** acc
        acc += bow.get(sub[:-1], 0.0)
    return prob[(UNK,)] * 10.0 ** acc


def reference_sentences(path: Path = ASSET) -> list[list[str]]:
    import lzma

    if not path.exists():
        raise ModelUnavailableError(f"the shipped reference text {path} is missing; rebuild it with "
                                    "scripts/build_lm_reference.py")
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return [tokenize(line) for line in f if line.strip()]


def default_model(lang: str = "en") -> NgramLM:
    """The model trained on the shipped reference text (English only), cached per process."""
    if lang != "en":
        raise ModelUnavailableError(
            f"perplexity_filter: no language model ships for lang={lang!r} (only 'en'); train one "
            "with sandbox_engine.models.ngram_lm.train(...).save('model.arpa') on text of that "
            "language, or give any ARPA n-gram model, and pass its path as `model_path`.")
    return cached(("ngram_lm", "en"), _load_or_train_default)


_FORMAT = "kn3-v1"  # bump when tokenize() or train() change: old cached models are then ignored


def _cache_file() -> Path:
    import hashlib
    import os

    base = os.environ.get("JUICEBOX_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or "~/.cache", "juicebox")
    digest = hashlib.sha1(ASSET.read_bytes() + _FORMAT.encode()).hexdigest()[:12]
    return Path(base).expanduser() / "lm" / f"en-{digest}.arpa"


def _load_or_train_default() -> NgramLM:
    """Load the trained default model from the user cache, or train it (seconds) and cache it.
    A cache that cannot be read or written only costs the training time."""
    path = _cache_file()
    if path.is_file():
        try:
            return NgramLM.load(path)
        except (OSError, ValueError):
            pass
    model = train(reference_sentences())
    try:
        import os
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        model.save(tmp)
        os.replace(tmp, path)
    except OSError:
        pass
    return model


def load_model(path: str | Path) -> NgramLM:
    p = Path(path).expanduser()
    if not p.is_file():
        raise ModelUnavailableError(f"perplexity model file {str(path)!r} does not exist")
    return cached(("ngram_lm", str(p.resolve())), lambda: NgramLM.load(p))
