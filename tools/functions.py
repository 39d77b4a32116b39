"""The agent's tools: typed, thin doors into the engine, the analyzer and the sandbox.

Each takes its pydantic Args model and a Workspace and returns its Result model. File paths go through
the workspace (reads: workspace + the user's data paths; writes: workspace only). Where a backing
module is missing, the tool says so (ToolUnavailableError) rather than inventing a result.
"""
from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path
from typing import Any

from sandbox_engine.errors import JuiceboxError, ModelUnavailableError
from tools import schemas as S
from tools.workspace import Workspace


class ToolUnavailableError(JuiceboxError):
    """The engine part behind a tool is not installed in this build."""


def _need(module: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and module.startswith(err.name):
            raise ToolUnavailableError(f"{what} needs {module}, which this build does not have") from None
        raise


def _recipe(ws: Workspace, recipe: dict, dataset_path: str | None = None, export_path: str | None = None,
            work_dir: str | None = None):
    from sandbox_engine.recipe import recipe_from_dict

    data = copy.deepcopy(recipe)
    if dataset_path:
        data["dataset_path"] = str(ws.resolve(dataset_path))
    elif data.get("dataset_path"):
        data["dataset_path"] = str(ws.resolve(data["dataset_path"]))
    if export_path:
        data["export_path"] = str(ws.resolve(export_path, write=True))
    if work_dir:
        data["work_dir"] = str(ws.resolve(work_dir, write=True))
    return recipe_from_dict(data)


def inspect_dataset(args: S.InspectDatasetArgs, ws: Workspace) -> S.InspectDatasetResult:
    """Fields, size, a few samples and the modality of a data set."""
    from sandbox_engine.dataset import count_rows, read_batches

    p = ws.resolve(args.path)
    if not p.exists():
        raise FileNotFoundError(f"no data at {args.path!r}")
    first = next(iter(read_batches(p, batch_size=max(args.n_samples, 200))), {})
    rows = [dict(zip(first, vals)) for vals in zip(*first.values())] if first else []
    fields: dict[str, tuple[set, int]] = {}
    for r in rows:
        for k, v in r.items():
            if v is None:
                continue
            types, n = fields.get(k, (set(), 0))
            types.add(type(v).__name__)
            fields[k] = (types, n + 1)
    has_img = any(r.get("images") for r in rows)
    has_text = any(isinstance(r.get("text"), str) and r.get("text") for r in rows)
    modality = "multimodal" if has_img and has_text else "image" if has_img else "text"
    return S.InspectDatasetResult(path=str(p), num_samples=count_rows(p), modality=modality,
                                  fields=[S.FieldInfo(name=k, types=sorted(t), present=n) for k, (t, n) in fields.items()],
                                  samples=rows[:args.n_samples])


def search_operators(args: S.SearchOperatorsArgs, ws: Workspace | None = None) -> S.SearchOperatorsResult:
    """Operators (and hooks/components) for a need in plain words; hybrid keyword + vector retrieval."""
    from tools.catalog import get_catalog

    cat = get_catalog()
    warm = cat.index_is_warm()
    hits = cat.search(args.query, k=args.k, kinds=(args.kind,) if args.kind else None)
    return S.SearchOperatorsResult(hits=[S.SearchHit(**h.model_dump(include={"name", "kind", "category", "description", "score"}))
                                         for h in hits], retriever="hybrid" if warm else "keyword")


def get_operator_info(args: S.OperatorInfoArgs, ws: Workspace | None = None) -> S.OperatorInfoResult:
    """Arguments (defaults, ranges), stats keys, description and an example of one operator."""
    from sandbox_engine.errors import UnknownOpError, did_you_mean
    from tools.catalog import get_catalog

    cat = get_catalog()
    e = cat.get(args.name)
    if e is None:
        raise UnknownOpError(f"unknown operator {args.name!r}.{did_you_mean(args.name, [x.name for x in cat.entries])}")
    return S.OperatorInfoResult(name=e.name, kind=e.kind, category=e.category, modality=e.modality,
                                description=e.description, example=e.example, cost=e.cost,
                                stats_keys=e.stats_keys, args=[a.model_dump() for a in e.args])


def validate_recipe(args: S.RecipeArgs, ws: Workspace | None = None) -> S.ValidateRecipeResult:
    """Check a recipe: known ops, valid arguments and keys. Errors say what would be valid."""
    from sandbox_engine.recipe import recipe_from_dict
    from sandbox_engine.recipe_process import parse_process

    try:
        r = recipe_from_dict(copy.deepcopy(args.recipe))
    except ModelUnavailableError:
        return _validate_without_models(args.recipe)
    except JuiceboxError as err:
        return S.ValidateRecipeResult(ok=False, errors=[str(err)])
    return S.ValidateRecipeResult(ok=True, steps=[n for n, _ in parse_process(r.process)])


def _validate_without_models(recipe: dict) -> S.ValidateRecipeResult:
    """A recipe whose only fault here is a missing model is valid (it runs where the model is): each
    step is checked on its own, a missing model listed under `unavailable`, anything else an error."""
    from sandbox_engine.recipe import recipe_from_dict
    from sandbox_engine.recipe_process import parse_process

    errors, unavailable, steps = [], [], []
    for i, step in enumerate((recipe or {}).get("process") or []):
        try:
            one = recipe_from_dict(copy.deepcopy({**recipe, "process": [step]}))
            steps += [n for n, _ in parse_process(one.process)]
        except ModelUnavailableError as err:
            unavailable.append(str(err).replace("process[0]", f"process[{i}]"))
            steps += [n for n, _ in parse_process([copy.deepcopy(step)])]
        except JuiceboxError as err:
            errors.append(str(err).replace("process[0]", f"process[{i}]"))
    return S.ValidateRecipeResult(ok=not errors, errors=errors, steps=steps, unavailable=unavailable)


def run_recipe(args: S.RunRecipeArgs, ws: Workspace) -> S.RunRecipeResult:
    """Run a recipe on its data and export the result (writes data: ask the user first)."""
    from sandbox_engine.executor import run_recipe as _run

    export = args.export_path or "outputs/run/processed.jsonl"
    data = dict(args.recipe)
    if args.trace:
        data.setdefault("open_tracer", True)
    rec = _recipe(ws, data, args.dataset_path, export)
    if rec.work_dir:
        rec.work_dir = str(ws.resolve(rec.work_dir, write=True))
    kw = {"np": args.np} if args.np else {}
    s = _run(rec, progress=False, **kw)
    return S.RunRecipeResult(rows_in=s.rows_in, rows_out=s.rows_out, export_path=s.export_path, work_dir=s.work_dir,
                             seconds=round(s.seconds, 3), ops=s.dump_json()["ops"])


def analyze_dataset(args: S.AnalyzeDatasetArgs, ws: Workspace) -> S.AnalyzeDatasetResult:
    """Stats of every filter in the recipe over the data, without dropping anything."""
    from sandbox_engine.analyzer import analyze

    work = args.work_dir or "outputs/analysis"
    rec = _recipe(ws, args.recipe, args.dataset_path, work_dir=work)
    res = analyze(rec, work_dir=str(ws.resolve(work, write=True)), export=False, plots=False, progress=False)
    stats = {}
    for col in res.overall.columns:
        stats[col] = {str(i): float(v) for i, v in res.overall[col].items() if _num(v)}
    return S.AnalyzeDatasetResult(num_samples=res.num_samples, stats=stats, paths=dict(res.paths))


def _num(v: Any) -> bool:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return False
    return f == f


def explain_removed(args: S.ExplainRemovedArgs, ws: Workspace) -> S.ExplainRemovedResult:
    """Why samples were dropped: the tracer's records (filter stats, duplicate pairs) of a run."""
    trace = ws.resolve(args.work_dir) / "trace"
    if not trace.is_dir():
        raise FileNotFoundError(f"no trace/ under {args.work_dir!r}: run the recipe with open_tracer: true")
    out: list[S.RemovedSample] = []
    for f in sorted(trace.glob("*.jsonl")):
        kind, _, op = f.stem.partition("-")
        if kind not in ("filter", "duplicate") or (args.op and op.split("-")[0] != args.op):
            continue
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if args.query and args.query not in json.dumps(rec, ensure_ascii=False):
                continue
            if kind == "filter":
                stats = rec.get("__dj__stats__", {})
                reason = f"{op} dropped it: stats {stats}"
            else:
                reason = f"{op}: duplicate of an earlier sample"
            out.append(S.RemovedSample(op=op, kind=kind, sample=rec, reason=reason))
            if len(out) >= args.limit:
                return S.ExplainRemovedResult(removed=out)
    return S.ExplainRemovedResult(removed=out)


def probe_pools(args: S.ProbePoolsArgs, ws: Workspace) -> S.GenericResult:
    """Single-op pools: run each op of the recipe alone on the data; how many samples each keeps."""
    from sandbox_engine.executor import run_recipe as _run
    from sandbox_engine.recipe_process import parse_process

    pools = []
    for i, (name, op_args) in enumerate(parse_process(args.recipe.get("process"))):
        out = f"{args.work_dir}/{i:02d}_{name}/pool.jsonl"
        keep = {k: args.recipe[k] for k in ("np", "text_keys", "image_key") if k in args.recipe}
        rec = _recipe(ws, {**keep, "process": [{name: op_args}]}, args.dataset_path, out)
        s = _run(rec, progress=False)
        pools.append({"op": name, "args": op_args, "rows_in": s.rows_in, "rows_out": s.rows_out,
                      "kept_ratio": round(s.rows_out / s.rows_in, 4) if s.rows_in else 0.0, "path": s.export_path})
    return S.GenericResult(pools=pools)


def refine_recipe(args: S.RefineRecipeArgs, ws: Workspace) -> S.RefineRecipeResult:
    """Refine thresholds: k-sigma from the analyzer's mean/std (hpo/cluster when the sandbox has them)."""
    if args.method != "k_sigma":
        mod = _need("sandbox_engine.refine." + args.method, f"refine_recipe method {args.method!r}")
        fn = getattr(mod, "refine_recipe", None)
        if fn is None:
            raise ToolUnavailableError(f"sandbox_engine.refine.{args.method} has no refine_recipe()")
        res = fn(args.recipe, dataset_path=args.dataset_path)
        return S.RefineRecipeResult(recipe=res["recipe"], changes=res.get("changes", []))
    from sandbox_engine.analyzer import analyze
    from sandbox_engine.refine.ksigma import refine_ksigma

    rec = _recipe(ws, args.recipe, args.dataset_path, work_dir="outputs/refine")
    res = analyze(rec, work_dir=str(ws.resolve("outputs/refine", write=True)), export=False, plots=False, progress=False)
    process, changes = refine_ksigma(args.recipe.get("process", []), res.mean_std(), k=args.k)
    return S.RefineRecipeResult(recipe={**args.recipe, "process": process}, changes=changes)


def train_proxy(args: S.TrainProxyArgs, ws: Workspace) -> S.GenericResult:
    """Train a small proxy model on a data set (a sandbox trainer component selected by config.type)."""
    trainers = _need("sandbox_engine.sandbox.trainers", "train_proxy")
    cfg = dict(args.config)
    cls = trainers.get_component(cfg.pop("type", "lm_unigram") if "type" in cfg else _default_type(trainers, "trainer"),
                                 "trainer")
    seed = int(cfg.pop("seed", 42))
    out = ws.resolve(args.work_dir, write=True)
    out.mkdir(parents=True, exist_ok=True)
    return S.GenericResult(**cls(**cfg).train(str(ws.resolve(args.dataset_path)), out, seed))


def evaluate(args: S.EvaluateArgs, ws: Workspace) -> S.GenericResult:
    """Evaluate a trained proxy model (a sandbox evaluator component selected by config.type)."""
    trainers = _need("sandbox_engine.sandbox.trainers", "evaluate")
    cfg = dict(args.config)
    cls = trainers.get_component(cfg.pop("type") if "type" in cfg else _default_type(trainers, "evaluator"), "evaluator")
    if not args.model_path:
        raise JuiceboxError("evaluate: model_path is required (a train_proxy result's model_path)")
    out = ws.resolve("outputs/eval", write=True)
    out.mkdir(parents=True, exist_ok=True)
    if args.dataset_path:
        cfg.setdefault("dataset_path", str(ws.resolve(args.dataset_path)))
    return S.GenericResult(**cls(**cfg).evaluate(str(ws.resolve(args.model_path)), out))


def _default_type(trainers: Any, kind: str) -> str:
    trainers.load_builtin()
    names = sorted(n for n, c in trainers.COMPONENTS.items() if kind in c.kind)
    if not names:
        raise ToolUnavailableError(f"no {kind} components are registered")
    return names[0]


def compare_runs(args: S.CompareRunsArgs, ws: Workspace) -> S.CompareRunsResult:
    """Side by side: rows in/out, per-op removals and any metrics of several runs."""
    runs = []
    for r in args.runs:
        p = ws.resolve(r)
        f = p if p.is_file() else next(iter(sorted(p.glob("*summary*.json"))), None)
        if f is None:
            raise FileNotFoundError(f"no run summary JSON in {r!r}")
        data = json.loads(Path(f).read_text(encoding="utf-8"))
        rin, rout = data.get("rows_in", 0), data.get("rows_out", 0)
        runs.append({"run": r, "rows_in": rin, "rows_out": rout, "kept_ratio": round(rout / rin, 4) if rin else 0.0,
                     "ops": {o["name"]: o.get("rows_in", 0) - o.get("rows_out", 0) for o in data.get("ops", [])},
                     "metrics": data.get("metrics", {})})
    scored = [r for r in runs if r["metrics"]]
    best = None
    if scored:
        key = next(iter(scored[0]["metrics"]))
        lower = "loss" in key or "ppl" in key or "perplexity" in key
        best = (min if lower else max)(scored, key=lambda r: r["metrics"].get(key, float("inf") if lower else float("-inf")))["run"]
    return S.CompareRunsResult(runs=runs, best=best)


def save_recipe_yaml(args: S.SaveRecipeArgs, ws: Workspace) -> S.SaveRecipeResult:
    """Write a recipe as Data-Juicer YAML inside the workspace (validated first)."""
    import yaml

    v = validate_recipe(S.RecipeArgs(recipe=args.recipe))
    if not v.ok:
        raise JuiceboxError(f"save_recipe_yaml: the recipe is invalid: {'; '.join(v.errors)}")
    p = ws.resolve(args.path, write=True)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(yaml.safe_dump(args.recipe, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return S.SaveRecipeResult(path=str(p))


# -- questions about the data and a run's results -------------------------------------------------
def _rows(ws: Workspace, path: str, limit: int | None = None):
    """The data set's rows one by one (at most `limit`)."""
    from sandbox_engine.dataset import read_batches

    p = ws.resolve(path)
    if not p.exists():
        raise FileNotFoundError(f"no data at {path!r}")
    n = 0
    for batch in read_batches(p, batch_size=1000):
        keys = list(batch)
        for vals in zip(*batch.values()):
            if limit is not None and n >= limit:
                return
            n += 1
            yield dict(zip(keys, vals))


def count_samples(args: S.DataPathArgs, ws: Workspace) -> S.CountSamplesResult:
    """How many samples a data set has."""
    from sandbox_engine.dataset import count_rows

    p = ws.resolve(args.path)
    if not p.exists():
        raise FileNotFoundError(f"no data at {args.path!r}")
    return S.CountSamplesResult(path=str(p), num_samples=count_rows(p))


def count_matching(args: S.CountMatchingArgs, ws: Workspace) -> S.CountMatchingResult:
    """How many samples the filter steps keep: 'how many samples have fewer than 10 characters?' is the
    steps that keep exactly those, run on the data in memory."""
    from sandbox_engine import process_samples
    from sandbox_engine.dataset import count_rows

    checked = validate_recipe(S.RecipeArgs(recipe={"process": args.process}), ws)
    if not checked.ok:
        raise ValueError("; ".join(checked.errors) or "the steps are not a valid process list")
    rows = list(_rows(ws, args.path, limit=args.limit))
    kept = process_samples(rows, args.process)
    return S.CountMatchingResult(path=str(ws.resolve(args.path)), process=args.process, counted=len(rows),
                                 total=count_rows(ws.resolve(args.path)), kept=len(kept))


def language_counts(args: S.LanguageCountsArgs, ws: Workspace) -> S.LanguageCountsResult:
    """Which languages the texts are in: the language_id op's verdict per sample, counted per language."""
    from collections import Counter

    from sandbox_engine import compute_stats
    from sandbox_engine.dataset import count_rows

    rows = [r for r in _rows(ws, args.path, args.max_samples) if isinstance(r.get(args.text_key), str)]
    stats = compute_stats([{args.text_key: r[args.text_key]} for r in rows], [{"language_id_score_filter": {}}],
                          text_key=args.text_key) if rows else []
    counts = Counter(str((s.get("__dj__stats__") or {}).get("lang") or "unknown") for s in stats)
    return S.LanguageCountsResult(path=str(ws.resolve(args.path)), sampled=len(rows),
                                  total=count_rows(ws.resolve(args.path)), counts=dict(counts.most_common()))


def text_lengths(args: S.TextLengthsArgs, ws: Workspace) -> S.TextLengthsResult:
    """How long the texts are (characters): min, max, mean, median, 10th/90th percentiles and a histogram."""
    import statistics

    lengths = sorted(len(r[args.text_key]) for r in _rows(ws, args.path) if isinstance(r.get(args.text_key), str))
    if not lengths:
        raise JuiceboxError(f"text_lengths: no sample of {args.path!r} has a text field {args.text_key!r}")

    def pct(q: float) -> float:
        return float(lengths[min(int(q * len(lengths)), len(lengths) - 1)])

    lo, hi = lengths[0], lengths[-1]
    width = max((hi - lo) / args.bins, 1.0)
    counts = [0] * args.bins
    for n in lengths:
        counts[min(int((n - lo) / width), args.bins - 1)] += 1
    bins = [S.HistogramBin(low=round(lo + i * width, 1), high=round(lo + (i + 1) * width, 1), count=c)
            for i, c in enumerate(counts) if lo + i * width <= hi]
    return S.TextLengthsResult(path=str(ws.resolve(args.path)), count=len(lengths), min=lo, max=hi,
                               mean=round(statistics.fmean(lengths), 1), median=float(statistics.median(lengths)),
                               p10=pct(0.1), p90=pct(0.9), histogram=bins)


def profile_dataset(args: S.ProfileDatasetArgs, ws: Workspace) -> S.ProfileDatasetResult:
    """What is in a data set and how clean it is: from a sample, the shares and counts of exact duplicates,
    near-empty and very long texts, HTML, e-mails, links, IPs, garbled text ..., its languages and lengths."""
    from tools.data_profile import profile_dataset as profile

    p = ws.resolve(args.path)
    if not p.exists():
        raise FileNotFoundError(f"no data at {args.path!r}")
    prof = profile(p, sample=args.max_samples)
    shares = prof.shares.model_dump()
    if not prof.media_keys:
        shares.pop("duplicate_media", None)
    # the shares are rounded to 4 places: a count from one is exact up to 5,000 samples (max_samples' bound)
    media_key = next(iter(prof.media_keys.values()), None)
    with_media = sum(1 for r in prof.rows if r.get(media_key)) if media_key else 0
    counts = {k: round(v * (with_media if k == "duplicate_media" else prof.sampled)) for k, v in shares.items()}
    return S.ProfileDatasetResult(path=str(p), samples=prof.samples, samples_exact=prof.samples_exact,
                                  sampled=prof.sampled, sample_kind=prof.sample_kind, text_key=prof.text_key,
                                  modality=prof.modality, fields=prof.fields, languages=prof.languages,
                                  shares=shares, counts=counts, with_media=with_media,
                                  chars=prof.chars.model_dump())


def explain_sample(args: S.ExplainSampleArgs, ws: Workspace) -> S.ExplainSampleResult:
    """Why one sample was removed (or kept): the recipe replayed on it step by step, the stats of the step
    that drops it against that step's bounds; dataset-level steps (deduplicators) from the run's trace."""
    from sandbox_engine import compute_stats, process_samples
    from sandbox_engine.recipe_process import parse_process

    sample = next(iter(_rows_from(ws, args.dataset_path, args.index)), None)
    if sample is None:
        from sandbox_engine.dataset import count_rows

        raise JuiceboxError(f"explain_sample: there is no sample {args.index}; {args.dataset_path!r} has "
                            f"{count_rows(ws.resolve(args.dataset_path))} (numbered from 1)")
    tk = args.recipe.get("text_keys")
    keys = {"text_key": (tk[0] if isinstance(tk, list) and tk else tk) or None, "image_key": args.recipe.get("image_key")}
    current = [sample]
    for name, op_args in parse_process(args.recipe.get("process") or []):
        out = process_samples(current, [{name: op_args}], **keys)
        if not out:
            stats = compute_stats(current, [{name: op_args}], **keys)[0].get("__dj__stats__") or {}
            bounds = {**_default_bounds(name), **op_args}
            shown = ", ".join(f"{k} = {_short(v)}" for k, v in stats.items())
            limits = ", ".join(f"{k}={_short(v)}" for k, v in bounds.items()) or "its defaults"
            return S.ExplainSampleResult(index=args.index, sample=sample, dropped=True, op=name, kind="filter",
                                         stats=stats, bounds=bounds,
                                         reason=f"{name} removed it: {shown or 'its check failed'} (bounds: {limits})")
        current = out
    text_key = keys["text_key"] or "text"
    final_text = current[0].get(text_key) if current else None
    if args.work_dir:
        trace = ws.resolve(args.work_dir) / "trace"
        for f in sorted(trace.glob("duplicate-*.jsonl")) if trace.is_dir() else []:
            op = f.stem.partition("-")[2].split("-")[0]
            for line in f.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                if (rec.get("dup2") or {}).get(text_key) == final_text:
                    return S.ExplainSampleResult(index=args.index, sample=sample, dropped=True, op=op, kind="duplicate",
                                                 duplicate_of=rec.get("dup1"),
                                                 reason=f"{op} removed it as a duplicate of an earlier sample")
    if args.output_path and ws.resolve(args.output_path).exists():
        kept = any(r.get(text_key) == final_text for r in _rows(ws, args.output_path))
        return S.ExplainSampleResult(index=args.index, sample=sample, dropped=not kept,
                                     reason="it passed every step and is in the output" if kept else
                                     "every filter keeps it on its own; a dataset-level step (deduplicator or "
                                     "selector) removed it, beyond what the trace recorded")
    return S.ExplainSampleResult(index=args.index, sample=sample, dropped=None,
                                 reason="every filter keeps it on its own; without the run's output it is unknown "
                                 "whether a dataset-level step (deduplicator, selector) removed it")


def _rows_from(ws: Workspace, path: str, index: int):
    for i, row in enumerate(_rows(ws, path, index), 1):
        if i == index:
            yield row


def _default_bounds(op: str) -> dict[str, Any]:
    """The op's range arguments (min_*/max_*) at their defaults, from the catalog."""
    from tools.catalog import get_catalog

    entry = get_catalog().get(op)
    return {a.name: a.default for a in (entry.args if entry else [])
            if a.name.startswith(("min_", "max_")) and isinstance(a.default, (int, float))
            and abs(a.default) < 1e12}  # "no bound" sentinels (sys.maxsize, inf) say nothing


def _short(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else repr(v) if isinstance(v, str) else str(v)
