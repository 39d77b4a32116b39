"""Operator base classes, the argument models and the one registry.

An operator's arguments are one pydantic model (`Args`). That model is the validation, the LLM's tool
schema (`Args.model_json_schema()`), the catalog entry and the CLI help at once, so a misspelt argument
is an error here where Data-Juicer would let it slip by.

Operators work on batches of columns: ``dict[str, list]`` with one list per key, all the same length.
Rows missing a key hold ``None``. Filters write their stats into the ``__dj__stats__`` column (a list of
dicts) and decide with a list of booleans; mappers return a new batch (the row count may change);
deduplicators hash a batch, then decide globally on the whole hash column; selectors decide globally on
whole columns.
"""
from __future__ import annotations

import sys
from typing import Any, ClassVar, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sandbox_engine.errors import OpArgumentError, UnknownOpError, did_you_mean
from sandbox_engine.fields import STATS

Batch = dict[str, list]
MAXSIZE = sys.maxsize

CATEGORIES = ("mapper", "filter", "deduplicator", "selector", "grouper", "aggregator")
MODALITIES = ("text", "image", "multimodal", "audio", "video", "any")
COSTS = ("cheap", "model", "GPU")


class OpArgs(BaseModel):
    """Arguments every operator takes (Data-Juicer's base OP arguments)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, populate_by_name=True)

    text_key: str = Field("text", description="Field holding the text.")
    image_key: str = Field("images", description="Field holding the list of image paths.")
    audio_key: str = Field("audios", description="Field holding the list of audio paths.")
    video_key: str = Field("videos", description="Field holding the list of video paths.")
    query_key: str = Field("query", description="Field holding a query (dialog data).")
    response_key: str = Field("response", description="Field holding a response (dialog data).")
    history_key: str = Field("history", description="Field holding a dialog history.")
    index_key: str | None = Field(None, description="Field holding a sample index, if any.")
    batch_size: int = Field(1000, ge=1, description="Samples per batch in the hot path.")
    num_proc: int | None = Field(None, ge=1, description="Worker processes for this op, at most the "
                                 "recipe's np (None: the recipe's np).")
    accelerator: str | None = Field(None, pattern=r"^(cpu|cuda(:\d+)?)$",
                                    description="'cpu' or 'cuda' for the op's model; None: cuda when "
                                    "a GPU is visible, else cpu.")
    work_dir: str | None = Field(None, description="Where the op may write files.")
    cpu_required: float | None = Field(None, ge=0, description="CPUs one op instance needs (Ray).")
    mem_required: float | str | None = Field(None, description="Memory one op instance needs (Ray).")
    gpu_required: float | None = Field(None, ge=0, description="GPUs one op instance needs (Ray).")
    turbo: bool = Field(False, description="Accepted for compatibility; no effect.")
    skip_op_error: bool = Field(True, description="Drop (and count in run_summary.json) a sample the op "
                                "fails on; false: stop with an error naming the op and the sample.")


class FilterArgs(OpArgs):
    """Arguments every filter takes: how the [min, max] range is read."""

    min_closed_interval: bool = Field(True, description="Keep a value equal to the minimum.")
    max_closed_interval: bool = Field(True, description="Keep a value equal to the maximum.")
    reversed_range: bool = Field(False, description="Keep what falls outside the range instead.",
                                 json_schema_extra={"measure": "flag"})


AnyOrAll = Literal["any", "all"]

OPERATORS: dict[str, type["Operator"]] = {}


def register_op(cls: type["Operator"]) -> type["Operator"]:
    """Class decorator: check the metadata and add the operator to the registry.

    The planner's metadata (argument measures/bounds/cues, example requests) is checked by
    tests/ops/test_op_metadata.py with `sandbox_engine.ops.metadata.metadata_problems`, not here: a
    user's custom op without it still registers."""
    for attr in ("name", "category", "modality", "description", "Args"):
        if not getattr(cls, attr, None):
            raise TypeError(f"operator {cls.__name__} lacks class metadata {attr!r}")
    if cls.category not in CATEGORIES:
        raise TypeError(f"{cls.name}: category {cls.category!r} not in {CATEGORIES}")
    if cls.modality not in MODALITIES:
        raise TypeError(f"{cls.name}: modality {cls.modality!r} not in {MODALITIES}")
    if cls.cost not in COSTS:
        raise TypeError(f"{cls.name}: cost {cls.cost!r} not in {COSTS}")
    if cls.name in OPERATORS and OPERATORS[cls.name] is not cls:
        existing = OPERATORS[cls.name]
        if (existing.__module__, existing.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(f"operator name {cls.name!r} registered twice")
    OPERATORS[cls.name] = cls
    return cls


def load_builtin_ops() -> dict[str, type["Operator"]]:
    """Import the built-in operator modules (lazily: the CLI's --help must stay fast)."""
    from sandbox_engine.ops import builtin  # noqa: F401  (registers on import)

    return OPERATORS


def get_op_class(name: str) -> type["Operator"]:
    load_builtin_ops()
    try:
        return OPERATORS[name]
    except KeyError:
        raise UnknownOpError(
            f"unknown operator {name!r}.{did_you_mean(name, OPERATORS)} "
            f"`juicebox ops list` shows all {len(OPERATORS)} operators."
        ) from None


def format_validation_error(op_name: str, err: ValidationError, fields: Iterable[str]) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(arguments)"
        arg = str(e["loc"][0]) if e["loc"] else ""
        if e["type"] == "extra_forbidden":
            parts.append(f"unknown argument {arg!r}.{did_you_mean(arg, fields)} "
                         f"Valid arguments: {', '.join(sorted(fields))}.")
        else:
            parts.append(f"argument {loc!r} = {e.get('input')!r}: {e['msg']}")
    return f"operator {op_name!r}: " + "; ".join(parts)


class Operator:
    """Base of all operators. Construct with plain keyword arguments; they are validated at once."""

    name: ClassVar[str] = ""
    category: ClassVar[str] = ""
    modality: ClassVar[str] = "text"
    Args: ClassVar[type[OpArgs]] = OpArgs
    stats_keys: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    example: ClassVar[str] = ""
    # Example user requests (English and Chinese) that this op alone answers; the planner's catalog
    # indexes them. Argument metadata (measure, bound, cues) lives in the Args fields: see ops/metadata.py.
    requests: ClassVar[tuple[str, ...]] = ()
    # Situations that call for this op without naming it: a symptom in the data or a purpose, in the user's
    # words ('most CCTV clips barely change from frame to frame'). The planner consults them only for a part
    # of a goal that names no operation, so they widen what it understands without crowding direct requests.
    situations: ClassVar[tuple[str, ...]] = ()
    # What the op works on, when that is narrower than its modality: a regular expression the request must match for
    # the planner to offer the op at all (LaTeX comments need LaTeX sources: a 'comments dump' is no such thing).
    needs: ClassVar[str] = ""
    cost: ClassVar[Literal["cheap", "model", "GPU"]] = "cheap"
    # Intermediate values this op can share with its neighbours under op fusion (e.g. "words").
    shares: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **kwargs: Any) -> None:
        try:
            self.args = self.Args(**kwargs)
        except ValidationError as err:
            raise OpArgumentError(format_validation_error(self.name, err, self.Args.model_fields)) from None
        self.setup()

    # -- life cycle ------------------------------------------------------------------------------
    def setup(self) -> None:
        """Check the arguments together and load models. Raise OpArgumentError/ModelUnavailableError."""

    def bad_arg(self, arg: str, value: Any, allowed: str) -> OpArgumentError:
        return OpArgumentError(f"operator {self.name!r}: argument {arg!r} = {value!r} is invalid; {allowed}")

    @property
    def text_key(self) -> str:
        return self.args.text_key

    @property
    def image_key(self) -> str:
        return self.args.image_key

    def config(self) -> dict[str, Any]:
        """The arguments that differ from the defaults, as a recipe would write them."""
        return self.args.model_dump(exclude_defaults=True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.config().items())})"

    def __reduce__(self):  # rebuild in worker processes from the arguments, not the loaded models
        return (build_op, (self.name, self.args.model_dump(exclude_defaults=True)))


def build_op(name: str, args: dict[str, Any] | None = None) -> Operator:
    """Build a registered operator by name with keyword arguments."""
    return get_op_class(name)(**(args or {}))


def batch_len(batch: Batch) -> int:
    for v in batch.values():
        return len(v)
    return 0


def column(batch: Batch, key: str) -> list:
    """A column of the batch; a missing key reads as a column of None. Dotted keys are not resolved."""
    col = batch.get(key)
    return col if col is not None else [None] * batch_len(batch)


def ensure_stats(batch: Batch) -> list[dict]:
    """The stats column, created (one dict per row) when missing; None cells become dicts."""
    n = batch_len(batch)
    stats = batch.get(STATS)
    if stats is None:
        stats = [{} for _ in range(n)]
        batch[STATS] = stats
    else:
        for i, s in enumerate(stats):
            if s is None:
                stats[i] = {}
    return stats


def select_rows(batch: Batch, keep: list[bool]) -> Batch:
    return {k: [v for v, ok in zip(col, keep) if ok] for k, col in batch.items()}


class Mapper(Operator):
    """Transforms samples. Implement `process_batched` (or `process_text` for text-only edits)."""

    category = "mapper"

    def process_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        key = self.text_key
        if key in batch:
            batch[key] = [None if t is None else self.process_text(t) for t in batch[key]]
        return batch

    def process_text(self, text: str) -> str:
        raise NotImplementedError


class Filter(Operator):
    """Computes stats (`compute_stats_batched`), then decides (`process_batched` -> keep flags).

    Stats already present in a row are not computed again. `context` holds intermediate values
    shared by the ops that run on the same batch, as lists aligned with the batch rows (e.g.
    ``context[("words", text_key)]``); it is cleared after a mapper and row-filtered after a filter.
    """

    category = "filter"
    Args = FilterArgs

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        raise NotImplementedError

    def process_batched(self, batch: Batch) -> list[bool]:
        raise NotImplementedError

    def keep(self, value: Any, min_val: Any = None, max_val: Any = None) -> bool:
        """Data-Juicer's keep rule: inside [min, max] (bounds per the closed-interval flags); with
        `reversed_range` both flags are flipped first and the result negated, so the bounds stay kept
        (min=2, max=5 reversed keeps 1, 2, 5, 6)."""
        a = self.args
        min_closed, max_closed = a.min_closed_interval, a.max_closed_interval
        if a.reversed_range:
            min_closed, max_closed = not min_closed, not max_closed
        ok = True
        if min_val is not None:
            ok = ok and (value >= min_val if min_closed else value > min_val)
        if max_val is not None:
            ok = ok and (value <= max_val if max_closed else value < max_val)
        return (not ok) if a.reversed_range else ok

    def keep_many(self, values: list, min_val: Any, max_val: Any, any_or_all: str = "any") -> bool:
        """Per-item keep flags reduced by any/all; an empty list keeps the sample."""
        if not values:
            return True
        flags = [self.keep(v, min_val, max_val) for v in values]
        return any(flags) if any_or_all == "any" else all(flags)

    def missing_rows(self, stats: list[dict], keys: tuple[str, ...] | None = None) -> list[int]:
        """Rows whose stats still lack one of this op's keys."""
        keys = keys or self.stats_keys
        return [i for i, s in enumerate(stats) if any(k not in s for k in keys)]


class TextStatFilter(Filter):
    """A filter on one numeric stat of the text. Subclasses set `stat_key`, `min_arg`, `max_arg` and
    implement `text_stats(texts, context)` returning one value per text (columnar)."""

    stat_key: ClassVar[str] = ""
    min_arg: ClassVar[str] = ""
    max_arg: ClassVar[str] = ""

    def text_stats(self, texts: list[str], context: dict | None = None) -> list[float]:
        raise NotImplementedError

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        todo = self.missing_rows(stats, (self.stat_key,))
        if todo:
            texts = column(batch, self.text_key)
            # context lists are aligned with all rows of the batch: share them only then
            ctx = context if len(todo) == len(stats) else None
            values = self.text_stats([texts[i] or "" for i in todo], ctx)
            for i, v in zip(todo, values):
                stats[i][self.stat_key] = v
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        lo = getattr(self.args, self.min_arg) if self.min_arg else None
        hi = getattr(self.args, self.max_arg) if self.max_arg else None
        return [self.keep(s[self.stat_key], lo, hi) for s in batch[STATS]]


class Deduplicator(Operator):
    """Hashes each batch (`compute_hash_batched`), then keeps the first of each group of duplicates
    over the whole data set (`keep_mask`)."""

    category = "deduplicator"
    hash_key: ClassVar[str] = ""

    def compute_hash_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        raise NotImplementedError

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        """Keep flags for the whole hash column, and up to `trace_num` (kept, dropped) index pairs."""
        raise NotImplementedError


class Selector(Operator):
    """Chooses samples over the whole data set. `needed_keys` are the (dotted) fields it reads;
    `select` gets those columns for all rows and returns keep flags."""

    category = "selector"

    def needed_keys(self) -> list[str]:
        raise NotImplementedError

    def select(self, columns: dict[str, list]) -> list[bool]:
        raise NotImplementedError

    def select_indices(self, columns: dict[str, list]) -> list[int]:
        """The chosen rows in output order (Data-Juicer's selectors reorder: top-k by value, ...).
        Default: the rows `select` keeps, in their original order."""
        return [i for i, ok in enumerate(self.select(columns)) if ok]


class Grouper(Operator):
    """Groups samples into batched samples (the whole data set at once)."""

    category = "grouper"

    def group(self, samples: list[dict]) -> list[dict]:
        raise NotImplementedError
