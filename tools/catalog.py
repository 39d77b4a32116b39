"""The catalog: every operator (built-in and custom), sandbox hook and component, searchable.

Entries come from providers (functions yielding `CatalogEntry`), so hooks and components join the
same index as operators. Retrieval is hybrid: a BM25 keyword index (with a synonym table, so "dedupe"
finds deduplicators and "mail addresses" finds clean_email_mapper) plus a chromadb vector index under
the user's data dir with an offline MiniLM embedding. The vector index is rebuilt when the entries'
content hash changes; the hash is stored in the collection metadata.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel, Field

Kind = Literal["operator", "hook", "component", "recipe"]
COLLECTION = "juicebox_catalog_ngram"


class ArgInfo(BaseModel):
    name: str
    type: str = ""
    default: Any = None
    description: str = ""
    ge: float | None = None
    le: float | None = None
    measure: str = ""  # what it measures (sandbox_engine/ops/metadata.py MEASURES)
    bound: str = ""  # "min" / "max": lower / upper bound of what is kept
    of: str = ""  # "removed": a min_/max_ pair that says what the operator removes (a table's columns), not what it keeps
    cues: dict = Field(default_factory=dict)  # value -> phrases that select it (flag/choice args)
    choices: list = Field(default_factory=list)  # the allowed values of a choice (Literal) argument


class CatalogEntry(BaseModel):
    """One thing the agent can put in a recipe or a sandbox config."""

    kind: Kind = "operator"
    name: str
    category: str = ""
    modality: str = ""
    description: str = ""
    example: str = ""
    cost: str = ""
    stats_keys: list[str] = Field(default_factory=list)
    args: list[ArgInfo] = Field(default_factory=list)
    requests: list[str] = Field(default_factory=list)  # example user requests (English and Chinese)
    situations: list[str] = Field(default_factory=list)  # symptoms and purposes that call for it (not direct asks)
    needs: str = ""  # a pattern the request must match for a planner to offer it (what it works on)
    source: str = "builtin"

    def document(self) -> str:
        """The text both retrievers index."""
        arg_text = " ".join(f"{a.name} {a.description}" for a in self.args)
        return (f"{self.name.replace('_', ' ')}. {self.kind} {self.category} {self.modality}. {self.description} "
                f"Arguments: {arg_text}. Stats: {' '.join(self.stats_keys)}."
                + (f" Requests: {' | '.join(self.requests)}." if self.requests else ""))


class Hit(BaseModel):
    name: str
    kind: Kind
    category: str
    description: str
    score: float
    keyword: float = 0.0
    vector: float = 0.0


# -- entry providers ------------------------------------------------------------------------------
BASE_ARGS = {"text_key", "image_key", "audio_key", "video_key", "query_key", "response_key", "history_key",
             "index_key", "batch_size", "num_proc", "accelerator", "work_dir", "cpu_required", "mem_required",
             "gpu_required", "turbo", "skip_op_error", "min_closed_interval", "max_closed_interval",
             "reversed_range"}


def _jsonable(v: Any) -> Any:
    try:
        json.dumps(v)
        return v
    except TypeError:
        return repr(v)


def _type_name(ann: Any) -> str:
    """'int | None' for Optional[PositiveInt] (not 'Optional'), so that readers see the number type."""
    import typing

    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _type_name(typing.get_args(ann)[0])
    if origin is typing.Union:
        return " | ".join(_type_name(a) for a in typing.get_args(ann))
    if ann is type(None):
        return "None"
    return getattr(ann, "__name__", None) or str(ann)


def op_entry(cls: Any, source: str = "builtin") -> CatalogEntry:
    from sandbox_engine.ops.metadata import is_literal

    args = []
    for n, f in cls.Args.model_fields.items():
        if n in BASE_ARGS:
            continue
        ge = le = None
        for m in f.metadata:
            ge = getattr(m, "ge", ge)
            le = getattr(m, "le", le)
        ann = _type_name(f.annotation)
        default = None if f.is_required() else _jsonable(f.default)
        extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
        args.append(ArgInfo(name=n, type=str(ann), default=default, description=f.description or "", ge=ge, le=le,
                            measure=str(extra.get("measure", "")), bound=str(extra.get("bound", "")), of=str(extra.get("of", "")),
                            cues=dict(extra.get("cues") or {}), choices=list(is_literal(f.annotation))))
    return CatalogEntry(kind="operator", name=cls.name, category=cls.category, modality=cls.modality,
                        description=cls.description, example=getattr(cls, "example", "") or "",
                        cost=getattr(cls, "cost", "") or "", stats_keys=list(cls.stats_keys or ()), args=args,
                        requests=list(getattr(cls, "requests", ()) or ()),
                        situations=list(getattr(cls, "situations", ()) or ()), needs=getattr(cls, "needs", "") or "",
                        source=source)


def operator_entries() -> Iterable[CatalogEntry]:
    from sandbox_engine.ops.base import load_builtin_ops

    from tools.custom_ops import load_custom_ops

    ops = load_builtin_ops()
    custom = load_custom_ops()
    for name in sorted(ops):
        cls = ops[name]
        yield op_entry(cls, custom.get(name, "builtin"))


def sandbox_entries() -> Iterable[CatalogEntry]:
    """Hooks and components, when the sandbox exposes a registry (`HOOKS`/`REGISTRY` dict or
    `catalog_entries()`); skipped otherwise."""
    import importlib

    for mod_name, kind in (("sandbox_engine.sandbox.hooks", "hook"), ("sandbox_engine.sandbox.components", "component")):
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            continue
        fn = getattr(mod, "catalog_entries", None)
        if callable(fn):
            for e in fn():
                yield e if isinstance(e, CatalogEntry) else CatalogEntry(kind=kind, **dict(e))
            continue
        reg = next((getattr(mod, a) for a in ("HOOKS", "HOOK_REGISTRY", "REGISTRY", "COMPONENTS")
                    if isinstance(getattr(mod, a, None), dict)), None)
        for name, obj in sorted((reg or {}).items()):
            doc = (getattr(obj, "description", None) or (obj.__doc__ or "") if not isinstance(obj, str) else obj)
            yield CatalogEntry(kind=kind, name=str(name), category=str(getattr(obj, "category", kind)),
                               description=" ".join(str(doc).split()), source="sandbox")


def component_entries() -> Iterable[CatalogEntry]:
    """Proxy-model trainers and evaluators (sandbox `extra_configs.type`), when the sandbox has them."""
    try:
        from sandbox_engine.sandbox.trainers import component_metadata
    except ImportError:
        return
    for c in component_metadata():
        yield CatalogEntry(kind="component", name=c["type"], category=c.get("kind", ""),
                           description=c.get("description", "") + (f" Outputs: {c['outputs']}" if c.get("outputs") else ""),
                           args=[ArgInfo(name=k, default=v.get("default"), description=v.get("description", ""))
                                 for k, v in (c.get("arguments") or {}).items()], source="sandbox")


def recipe_entries() -> Iterable[CatalogEntry]:
    """Reference recipes for common jobs (shipped and the user's folders), found by the job's name,
    titles, description and example requests in English and Chinese. A bad user recipe is skipped
    with a warning here (`juicebox` commands that load it directly report the error)."""
    from sandbox_engine.recipes.library import load_reference_recipes

    for r in load_reference_recipes(on_error="warn"):
        yield CatalogEntry(kind="recipe", name=r.name, category="job", modality=r.modality,
                           description=r.search_text(), example=r.title,
                           source="builtin" if r.builtin else str(r.source))


PROVIDERS: list[Callable[[], Iterable[CatalogEntry]]] = [operator_entries, sandbox_entries, component_entries, recipe_entries]
_DEFAULT_PROVIDERS = tuple(PROVIDERS)


def register_provider(fn: Callable[[], Iterable[CatalogEntry]]) -> Callable[[], Iterable[CatalogEntry]]:
    """Add a source of catalog entries (e.g. a plugin's components)."""
    if fn not in PROVIDERS:
        PROVIDERS.append(fn)
    return fn


# -- retrieval ------------------------------------------------------------------------------------
_INDEX_LOCK = threading.Lock()
REQUEST_WEIGHT = 0.6
COVERAGE_WEIGHT = 0.5
MISSING_MARK = 0.8
MARK_BONUS = 1.15
NAME_WORD_BONUS = 0.05
SIBLING_FACTOR = 0.85


class EntryIndex:
    """Every entry as vectors: its whole document and each of its example requests (tools/retrieval.py:
    words + character n-grams, any language). An entry's score for a query is the best of its requests'
    cosines blended with its document's; a query naming the entry outright scores 1."""

    def __init__(self, entries: list[CatalogEntry]) -> None:
        from tools.retrieval import Vectorizer

        self.entries = entries
        self.docs = [e.document() for e in entries]
        self.req_owner: list[int] = []
        self.reqs: list[str] = []
        for i, e in enumerate(entries):
            # the entry's own name reads as a request too ('image aspect ratio filter')
            for r in [e.name.replace("_", " ")] + list(e.requests):
                self.reqs.append(r)
                self.req_owner.append(i)
        self.vectorizer = Vectorizer(self.docs + self.reqs)
        # situations are matched only on request (`situations=True`); they do not shift the word weights
        self.sit_owner = [i for i, e in enumerate(entries) for _ in e.situations]
        self.sits = [s for e in entries for s in e.situations]
        from tools.retrieval import features, stem

        # each entry's vocabulary: the features of its name, requests and description, for query coverage
        self.vocab: list[set[str]] = [set(features(f"{e.name.replace('_', ' ')} {e.description}")) for e in entries]
        for o, r in zip(self.req_owner, self.reqs):
            self.vocab[o].update(features(r))
        self.sit_vocab: list[set[str]] = [set(v) for v in self.vocab]
        for o, s in zip(self.sit_owner, self.sits):
            self.sit_vocab[o].update(features(s))
        self.marks = self._distinctive(features)
        # words of an entry's name that hardly any other name has ('html', 'nsfw', 'bibliography')
        generic = {"filter", "mapper", "deduplicator", "selector", "grouper", "aggregator", "remove", "clean",
                   "text", "image", "video", "audio", "document", "specified", "field", "ray", "chinese", "english",
                   "non", "character", "words", "num", "ratio"}
        name_words = [set(e.name.split("_")) - generic for e in entries]
        counts = Counter(w for ws in name_words for w in ws)
        self.name_marks = [{f"w:{stem(w)}" for w in ws if counts[w] <= 2 and len(w) > 2} for ws in name_words]
        self._doc_m = None
        self._req_m = None
        self.by_name = {e.name: i for i, e in enumerate(entries)}

    def _distinctive(self, features: Callable) -> list[dict[bool, set[str]]]:
        """Per entry and script (Chinese or not): the words most of its requests use and few other
        entries know. A query with none of them is less likely about that entry."""
        from collections import defaultdict

        from tools.retrieval import has_cjk

        df: Counter = Counter(f for v in self.vocab for f in v if f.startswith(("w:", "b:")))
        per: list[dict[bool, list]] = [defaultdict(list) for _ in self.entries]
        for o, r in zip(self.req_owner, self.reqs):
            per[o][has_cjk(r)].append({f for f in features(r) if f.startswith(("w:", "b:"))})
        out = []
        for i, by_script in enumerate(per):
            marks: dict[bool, set[str]] = {}
            for script, reqs in by_script.items():
                if len(reqs) < 3:
                    continue
                counts = Counter(f for fs in reqs for f in fs)
                marks[script] = {f for f, c in counts.items() if c / len(reqs) >= 0.5 and df[f] <= max(3, len(self.entries) // 12)}
            out.append(marks)
        return out

    def items(self) -> list[tuple[str, str, Any]]:
        """(id, text, vector) of every indexed text, for the persistent (chromadb) index."""
        self._ensure()
        out = [(f"{e.kind}:{e.name}#doc", d, self._doc_m[i]) for i, (e, d) in enumerate(zip(self.entries, self.docs))]
        out += [(f"{self.entries[o].kind}:{self.entries[o].name}#r{j}", r, self._req_m[j])
                for j, (o, r) in enumerate(zip(self.req_owner, self.reqs))]
        out += [(f"{self.entries[o].kind}:{self.entries[o].name}#s{j}", s, self._sit_m[j])
                for j, (o, s) in enumerate(zip(self.sit_owner, self.sits))]
        return out

    def _ensure(self) -> None:
        # the chat builds the index in a background thread while the first turn may already search
        with _INDEX_LOCK:
            if self._req_m is None:
                doc_m = self.vectorizer.matrix(self.docs)
                self._sit_m = self.vectorizer.matrix(self.sits)
                self._req_m = self.vectorizer.matrix(self.reqs)
                self._doc_m = doc_m

    def combine(self, doc_sims: dict[int, float], req_sims: dict[int, float], query: str,
                weights: dict[str, float] | None = None, situations: bool = False) -> list[float]:
        low = query.lower()
        from tools.retrieval import has_cjk

        weights = self.vectorizer.weights(query) if weights is None else weights
        total = sum(weights.values()) or 1.0
        cjk = has_cjk(query)
        named_categories = {e.category for e, m in zip(self.entries, self.name_marks) if m & set(weights)}
        out = []
        for i, e in enumerate(self.entries):
            s = REQUEST_WEIGHT * req_sims.get(i, 0.0) + (1 - REQUEST_WEIGHT) * doc_sims.get(i, 0.0)
            vocab = self.sit_vocab[i] if situations else self.vocab[i]
            coverage = sum(w for f, w in weights.items() if f in vocab) / total
            s = (1 - COVERAGE_WEIGHT) * s + COVERAGE_WEIGHT * coverage * s ** 0.5 if s > 0 else 0.0
            if self.name_marks[i] & set(weights):
                s += NAME_WORD_BONUS
            elif self.name_marks[i] and e.category in named_categories:
                s *= SIBLING_FACTOR  # 'MinHash' named: the other deduplicators named by their own variant step back
            marks = self.marks[i].get(cjk) if self.marks else None
            if marks:
                s *= MARK_BONUS if marks & set(weights) else MISSING_MARK
            spoken = e.name.lower().replace("_", " ")
            stem_name = spoken.rsplit(" ", 1)[0] if spoken.endswith((" filter", " mapper", " deduplicator", " selector")) else spoken
            named = [n for n in (e.name.lower(), spoken if len(e.name) > 6 else "", stem_name if len(stem_name) > 12 else "")
                     if n and n in low]
            if named:  # the query names the entry; the longest name named wins ('video motion score raft')
                s = max(s, 1.0 + max(map(len, named)) / 1000)
            out.append(s)
        return out

    def scores(self, query: str, situations: bool = False) -> list[float]:
        """Each entry's score for the query; `situations=True` also matches the entries' situations."""
        import numpy as np

        self._ensure()
        weights = self.vectorizer.weights(query)
        q = self.vectorizer.vector(query, weights)
        doc = self._doc_m @ q
        req: dict[int, float] = {}
        rows = [(self.req_owner, self._req_m)] + ([(self.sit_owner, self._sit_m)] if situations else [])
        for owners, m in rows:
            if not len(owners):
                continue
            for o, s in zip(owners, (m @ q).tolist()):
                if s > req.get(o, 0.0):
                    req[o] = s
        return self.combine({i: float(v) for i, v in enumerate(np.asarray(doc).tolist())}, req, query, weights,
                            situations)


# -- the catalog ----------------------------------------------------------------------------------
def juicebox_home() -> Path:
    return Path(os.environ.get("JUICEBOX_HOME") or Path.home() / ".juicebox").expanduser()


def content_hash(entries: list[CatalogEntry]) -> str:
    blob = json.dumps([e.model_dump(mode="json") for e in entries], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class Catalog:
    """Entries from all providers, an in-memory multilingual index at once, and the same vectors in a
    persistent chromadb collection under the user's data dir (built on first use, rebuilt when the
    entries' content hash changes)."""

    def __init__(self, home: Path | None = None, providers: list | None = None) -> None:
        self.home = Path(home) if home else juicebox_home()
        self.providers = providers if providers is not None else PROVIDERS
        self.refresh()

    def refresh(self) -> None:
        cached = self._cached_entries() if self.providers is PROVIDERS else None
        if cached is not None:
            self.entries = cached
        else:
            seen: dict[tuple[str, str], CatalogEntry] = {}
            for p in self.providers:
                for e in p():
                    seen[(e.kind, e.name)] = e
            self.entries = list(seen.values())
            if self.providers is PROVIDERS:
                self._store_entries()
        self.hash = content_hash(self.entries)
        self.index = EntryIndex(self.entries)
        self._collection = None

    # entries cached on disk, so that `juicebox plan` need not import every operator (a warm start)
    def _fingerprint(self) -> str | None:
        """What the default providers read: the operator and recipe sources and the user's folders.
        None (no cache) when the user registers custom operators, which only an import can see."""
        from importlib.metadata import entry_points

        from tools.custom_ops import ENTRY_POINT_GROUP, configured_modules

        if len(PROVIDERS) != len(_DEFAULT_PROVIDERS) or configured_modules() or list(entry_points(group=ENTRY_POINT_GROUP)):
            return None
        root = Path(__file__).resolve().parents[1] / "sandbox_engine"
        files = sorted(list((root / "ops").rglob("*.py")) + list((root / "recipes").rglob("*.*")) +
                       list((root / "sandbox").glob("*.py")) + list((root / "sandbox" / "trainers").glob("*.py")))
        extra = [self.home / "recipes"] + [Path(p) for p in os.environ.get("JUICEBOX_RECIPES", "").split(os.pathsep) if p]
        for d in extra:
            if d.is_dir():
                files += sorted(d.rglob("*.*"))
        h = hashlib.sha256(str(Path(__file__).stat().st_mtime_ns).encode())
        for f in files:
            st = f.stat()
            h.update(f"{f}:{st.st_mtime_ns}:{st.st_size}".encode())
        return h.hexdigest()[:32]

    @property
    def _cache_file(self) -> Path:
        return self.home / "catalog" / "entries.json"

    def _cached_entries(self) -> list[CatalogEntry] | None:
        try:
            fp = self._fingerprint()
            if fp is None or not self._cache_file.is_file():
                return None
            data = json.loads(self._cache_file.read_text(encoding="utf-8"))
            if data.get("fingerprint") != fp:
                return None
            return [CatalogEntry.model_validate(e) for e in data["entries"]]
        except (OSError, ValueError, KeyError):
            return None

    def _store_entries(self) -> None:
        try:
            fp = self._fingerprint()
            if fp is None:
                return
            from sandbox_engine.atomic import write_text

            self._cache_file.parent.mkdir(parents=True, exist_ok=True)
            write_text(self._cache_file, json.dumps(
                {"fingerprint": fp, "entries": [e.model_dump(mode="json") for e in self.entries]}, ensure_ascii=False))
        except OSError:
            pass  # a read-only home: the catalog still works, only slower next time

    def names(self, kind: str = "operator") -> set[str]:
        return {e.name for e in self.entries if e.kind == kind}

    def get(self, name: str) -> CatalogEntry | None:
        return next((e for e in self.entries if e.name == name), None)

    # the persistent side
    @property
    def index_dir(self) -> Path:
        return self.home / "catalog"

    def _client(self):
        import chromadb
        from chromadb.config import Settings

        self.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self.index_dir), settings=Settings(anonymized_telemetry=False))

    def ensure_index(self) -> Any:
        """The chromadb collection, (re)built when the entries' content hash changed."""
        if self._collection is not None:
            return self._collection
        client = self._client()
        try:
            col = client.get_collection(COLLECTION)
            if (col.metadata or {}).get("content_hash") != self.hash:
                client.delete_collection(COLLECTION)
                col = None
        except Exception:  # noqa: BLE001 - missing or unreadable: rebuild
            col = None
        if col is None:
            col = client.create_collection(COLLECTION, embedding_function=None,
                                           metadata={"content_hash": self.hash, "hnsw:space": "cosine"})
            items = self.index.items()
            for i in range(0, len(items), 500):
                chunk = items[i:i + 500]
                col.add(ids=[c[0] for c in chunk], documents=[c[1] for c in chunk],
                        embeddings=[c[2].tolist() for c in chunk],
                        metadatas=[{"entry": c[0].split("#")[0], "part": c[0].split("#")[1][0]} for c in chunk])
        self._collection = col
        return col

    def index_is_warm(self) -> bool:
        """The persistent index is open in this process."""
        return self._collection is not None

    def vector_scores(self, query: str, situations: bool = False) -> list[float]:
        """Entry scores through the chromadb collection (the same vectors as the in-memory index)."""
        col = self.ensure_index()
        n = col.count()
        weights = self.index.vectorizer.weights(query)
        res = col.query(query_embeddings=[self.index.vectorizer.vector(query, weights).tolist()],
                        n_results=max(1, min(n, 400)), where=None if situations else {"part": {"$ne": "s"}})
        pos = {f"{e.kind}:{e.name}": i for i, e in enumerate(self.entries)}
        doc: dict[int, float] = {}
        req: dict[int, float] = {}
        for id_, dist in zip(res["ids"][0], res["distances"][0]):
            key, part = id_.split("#", 1)
            i = pos.get(key)
            if i is None:
                continue
            sim = 1.0 - float(dist)
            if part.startswith("s") and not situations:
                continue
            target = doc if part == "doc" else req
            target[i] = max(target.get(i, 0.0), sim)
        return self.index.combine(doc, req, query, weights, situations)

    def search(self, query: str, k: int = 8, vector: bool | None = None,
               kinds: tuple[str, ...] | None = None, situations: bool = False) -> list[Hit]:
        """Entries ranked for a query in any language. `vector=True` asks the chromadb index, False the
        in-memory one, None the chromadb index when it is already open (the scores agree)."""
        use_vec = self.index_is_warm() if vector is None else vector
        scores = (self.vector_scores(query, situations) if use_vec and self.entries else
                  self.index.scores(query, situations))
        hits = []
        for e, s in zip(self.entries, scores):
            if kinds and e.kind not in kinds:
                continue
            if s <= 0:
                continue
            hits.append(Hit(name=e.name, kind=e.kind, category=e.category, description=e.description,
                            score=round(s, 4), keyword=0.0 if use_vec else round(s, 4), vector=round(s, 4) if use_vec else 0.0))
        hits.sort(key=lambda h: (-h.score, h.name))
        return hits[:k]


_CATALOGS: dict[str, Catalog] = {}


def get_catalog(home: Path | None = None) -> Catalog:
    """The process-wide catalog for a data dir; refreshed when the registry changed since."""
    h = str(Path(home) if home else juicebox_home())
    cat = _CATALOGS.get(h)
    if cat is None:
        cat = _CATALOGS[h] = Catalog(Path(h))
    else:
        from sandbox_engine.ops.base import OPERATORS

        if OPERATORS and len(OPERATORS) != len(cat.names()):
            cat.refresh()
    return cat

