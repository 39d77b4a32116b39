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
import math
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel, Field

Kind = Literal["operator", "hook", "component"]
COLLECTION = "juicebox_catalog"


class ArgInfo(BaseModel):
    name: str
    type: str = ""
    default: Any = None
    description: str = ""
    ge: float | None = None
    le: float | None = None


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
    source: str = "builtin"

    def document(self) -> str:
        """The text both retrievers index."""
        arg_text = " ".join(f"{a.name} {a.description}" for a in self.args)
        return (f"{self.name.replace('_', ' ')}. {self.kind} {self.category} {self.modality}. {self.description} "
                f"Arguments: {arg_text}. Stats: {' '.join(self.stats_keys)}.")


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


def op_entry(cls: Any, source: str = "builtin") -> CatalogEntry:
    args = []
    for n, f in cls.Args.model_fields.items():
        if n in BASE_ARGS:
            continue
        ge = le = None
        for m in f.metadata:
            ge = getattr(m, "ge", ge)
            le = getattr(m, "le", le)
        ann = getattr(f.annotation, "__name__", None) or str(f.annotation)
        default = None if f.is_required() else _jsonable(f.default)
        args.append(ArgInfo(name=n, type=str(ann), default=default, description=f.description or "", ge=ge, le=le))
    return CatalogEntry(kind="operator", name=cls.name, category=cls.category, modality=cls.modality,
                        description=cls.description, example=getattr(cls, "example", "") or "",
                        cost=getattr(cls, "cost", "") or "", stats_keys=list(cls.stats_keys or ()), args=args,
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


PROVIDERS: list[Callable[[], Iterable[CatalogEntry]]] = [operator_entries, sandbox_entries, component_entries]


def register_provider(fn: Callable[[], Iterable[CatalogEntry]]) -> Callable[[], Iterable[CatalogEntry]]:
    """Add a source of catalog entries (e.g. a plugin's components)."""
    if fn not in PROVIDERS:
        PROVIDERS.append(fn)
    return fn


# -- keyword retrieval ----------------------------------------------------------------------------
SYNONYMS: dict[str, list[str]] = {
    r"\bdedup\w*|\bde-dup\w*|\bduplicat\w*|\bdupes?\b|\bidentical\b|\bcopies\b": ["deduplicator", "duplicate"],
    r"\bnear[- ]?dup\w*|\bfuzzy\b|\bsimilar documents\b": ["minhash", "deduplicator", "jaccard"],
    r"\bmail addresses\b|\be-?mails?\b": ["clean_email_mapper", "email"],
    r"\burls?\b|\bhyperlinks?\b|\bweb links?\b": ["clean_links_mapper", "links"],
    r"\bip addresses\b|\bips\b": ["clean_ip_mapper", "ip"],
    r"\bmarkup\b|\bhtml tags\b|\bweb pages?\b": ["clean_html_mapper", "html"],
    r"\bmojibake\b|\bgarbled\b|\bencoding\b": ["fix_unicode_mapper", "unicode"],
    r"\btoxic\w*|\bprofan\w*|\bswear\w*|\bobscen\w*|\boffensive\b": ["flagged_words_filter", "flagged"],
    r"\bnsfw\b|\bporn\w*|\bnud\w+": ["image_nsfw_filter", "nsfw"],
    r"\blength\b|\bshort\b|\blong\b|\bcharacters\b": ["text_length_filter", "length"],
    r"\bword count\b|\bnumber of words\b": ["words_num_filter", "words"],
    r"\blanguage\b|\benglish\b|\bchinese\b|\blang\b": ["language_id_score_filter", "language"],
    r"\bsymbols?\b|\bjunk characters\b": ["special_characters_filter", "special"],
    r"\brepetit\w*|\brepeated\b": ["repetition"],
    r"\bsubsample\b|\bdownsample\b|\brandom\w*": ["random_selector", "random"],
    r"\bresolution\b|\bwidth\b|\bheight\b|\bdimensions?\b": ["image_shape_filter", "width", "height"],
    r"\bfile size\b|\bmegabytes?\b|\b\d+\s*[km]b\b": ["image_size_filter", "size"],
    r"\blatex\b|\barxiv\b|\bpapers?\b": ["tex", "latex"],
    r"\bbibliograph\w*|\breferences\b": ["remove_bibliography_mapper", "bibliography"],
    r"\bchunks?\b|\bsplit\b|\bwindows?\b": ["text_chunk_mapper", "chunk", "split"],
    r"\bcopyright\b|\blicen[cs]e headers?\b": ["clean_copyright_mapper", "copyright"],
    r"\bk-?sigma\b|\brefine\b": ["refine", "ksigma"],
    r"\bprobe\b|\banaly[sz]e\b|\bstats\b": ["probe", "analyzer"],
    r"\btrain\w*\b|\bproxy model\b": ["train", "model"],
    r"\bevaluat\w*|\bmetrics?\b": ["evaluate"],
    r"\bpools?\b": ["pool", "data_pool"],
}
_SYN = [(re.compile(p, re.I), v) for p, v in SYNONYMS.items()]
_STOP = frozenset("a an the of to and or in on for with by from is are be it this that these those at as "
                  "into than then them their its all any each only keep drop remove samples sample texts "
                  "text data dataset documents docs which who whose".split())


def tokens(text: str) -> list[str]:
    out = []
    for t in re.findall(r"[a-z0-9]+", text.lower().replace("_", " ")):
        if t in _STOP:
            continue
        out.append(t[:-1] if len(t) > 4 and t.endswith("s") and not t.endswith("ss") else t)
    return out


class KeywordIndex:
    """Okapi BM25 over entry documents, with query expansion from the synonym table."""

    def __init__(self, entries: list[CatalogEntry], k1: float = 1.4, b: float = 0.6) -> None:
        self.entries = entries
        self.k1, self.b = k1, b
        self.docs = [Counter(tokens(e.document()) + tokens(e.name) * 2) for e in entries]
        self.lens = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lens) / max(len(self.lens), 1)
        df = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.by_name = {e.name: i for i, e in enumerate(entries)}

    def scores(self, query: str) -> list[float]:
        q = tokens(query)
        boost: Counter = Counter()
        for rx, extra in _SYN:
            if rx.search(query):
                for x in extra:
                    if x in self.by_name:
                        boost[self.by_name[x]] += 2.0
                    else:
                        q.extend(tokens(x))
        out = []
        for i, d in enumerate(self.docs):
            s = 0.0
            for t in q:
                f = d.get(t, 0)
                if f:
                    s += self.idf.get(t, 0.0) * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.lens[i] / self.avg))
            out.append(s + boost.get(i, 0.0))
        return out


# -- the catalog ----------------------------------------------------------------------------------
def juicebox_home() -> Path:
    return Path(os.environ.get("JUICEBOX_HOME") or Path.home() / ".juicebox").expanduser()


def content_hash(entries: list[CatalogEntry]) -> str:
    blob = json.dumps([e.model_dump(mode="json") for e in entries], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class Catalog:
    """Entries from all providers, a keyword index at once, and a chromadb vector index on demand."""

    def __init__(self, home: Path | None = None, providers: list | None = None) -> None:
        self.home = Path(home) if home else juicebox_home()
        self.providers = providers if providers is not None else PROVIDERS
        self.refresh()

    def refresh(self) -> None:
        seen: dict[tuple[str, str], CatalogEntry] = {}
        for p in self.providers:
            for e in p():
                seen[(e.kind, e.name)] = e
        self.entries = list(seen.values())
        self.hash = content_hash(self.entries)
        self.keyword = KeywordIndex(self.entries)
        self._collection = None

    def names(self, kind: str = "operator") -> set[str]:
        return {e.name for e in self.entries if e.kind == kind}

    def get(self, name: str) -> CatalogEntry | None:
        return next((e for e in self.entries if e.name == name), None)

    # vector side
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
        from tools.embedding import OfflineMiniLM

        client = self._client()
        ef = OfflineMiniLM()
        try:
            col = client.get_collection(COLLECTION, embedding_function=ef)
            if (col.metadata or {}).get("content_hash") != self.hash:
                client.delete_collection(COLLECTION)
                col = None
        except Exception:  # noqa: BLE001 - missing or unreadable: rebuild
            col = None
        if col is None:
            col = client.create_collection(COLLECTION, embedding_function=ef,
                                           metadata={"content_hash": self.hash, "hnsw:space": "cosine"})
            if self.entries:
                col.add(ids=[f"{e.kind}:{e.name}" for e in self.entries],
                        documents=[e.document() for e in self.entries],
                        metadatas=[{"kind": e.kind, "name": e.name, "category": e.category} for e in self.entries])
        self._collection = col
        return col

    def index_is_warm(self) -> bool:
        """The vector side answers fast: the model is loaded and the index matches the registry."""
        from tools.embedding import embedder_loaded

        return self._collection is not None and embedder_loaded()

    def vector_scores(self, query: str, n: int) -> dict[str, float]:
        col = self.ensure_index()
        res = col.query(query_texts=[query], n_results=min(n, max(len(self.entries), 1)))
        out = {}
        for id_, dist in zip(res["ids"][0], res["distances"][0]):
            out[id_] = max(0.0, 1.0 - float(dist))
        return out

    def search(self, query: str, k: int = 8, vector: bool | None = None,
               kinds: tuple[str, ...] | None = None) -> list[Hit]:
        """Hybrid search. `vector=None`: use the vector index when warm; True: always; False: never."""
        kw = self.keyword.scores(query)
        use_vec = self.index_is_warm() if vector is None else vector
        vec = self.vector_scores(query, n=max(30, k * 3)) if use_vec and self.entries else {}
        hits = []
        for e, s in zip(self.entries, kw):
            if kinds and e.kind not in kinds:
                continue
            kn = s / (s + 6.0)
            v = vec.get(f"{e.kind}:{e.name}", 0.0)
            score = 0.5 * kn + 0.5 * v if vec else kn
            if score <= 0:
                continue
            hits.append(Hit(name=e.name, kind=e.kind, category=e.category, description=e.description,
                            score=round(score, 4), keyword=round(kn, 4), vector=round(v, 4)))
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

        if len(OPERATORS) != len(cat.names()):
            cat.refresh()
    return cat

