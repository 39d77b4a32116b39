"""The web page's side of a Conversation: one turn at a time, each event turned into JSON for the page
(charts drawn here as SVG), after a run the analyzer's stats histograms of the recipe's filters, and
`/refine` (the sandbox loop with the proxy LM, whose perplexity per iteration the page plots)."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from agent.conversation import Conversation, Event, recipe_yaml
from agent.web import charts

STATS_SAMPLES = 5_000  # the stats histograms are drawn over at most the first this many input samples

Put = Callable[[dict[str, Any]], None]


class Busy(RuntimeError):
    """Another turn is still running."""


class WebChat:
    def __init__(self, conv: Conversation, refine_iters: int = 3, **refine_overrides: Any) -> None:
        self.conv = conv
        self.refine_iters = refine_iters
        self.refine_overrides = refine_overrides  # ExperimentSettings fields for /refine (tests: tiny runs)
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    def info(self) -> dict[str, Any]:
        c = self.conv
        return {"session": c.id, "planner": c.planner_name, "data_path": c.data_path, "work_dir": c.work_dir,
                "resumed": c.resumed, "status": c.status, "ready": c.ready, "busy": self.busy}

    def opening(self) -> list[dict[str, Any]]:
        """What the page shows when it opens: the session, and where a resumed session was (its pending
        plan, or its last run's result)."""
        with self._lock:
            events = [event_json(ev) for ev in self.conv.start_events()]
            if self.conv.resumed:
                self.conv.wait_ready()
                vals = self.conv.state()
                if not vals["pending"] and vals.get("runs"):
                    events.append(event_json(self.conv._run_event(vals), vals))
            return events

    def turn(self, text: str, put: Put) -> None:
        """Send one line; each event goes to `put` as it comes (streamed text included). A run whose
        revision comes back for approval (a goal with a target, /refine) shows its result before the
        revised plan; after a run, the analyzer's stats histograms follow."""
        if not self._lock.acquire(blocking=False):
            raise Busy("the previous message is still being answered; wait for it to finish")
        try:
            before = self._run_marker()
            shown: list[dict[str, Any]] = []

            def show_run(ev: Event) -> None:
                vals = self.conv.session.values
                shown.append(vals)
                put(event_json(ev, vals))

            def on_event(ev: Event) -> None:
                if ev.kind == "run_result":
                    show_run(ev)
                    return
                if ev.kind == "plan" and ev.payload.get("pending") and not shown and self._run_marker() != before:
                    show_run(self.conv._run_event(self.conv.state()))
                put(event_json(ev))

            self.conv.on_event = on_event
            if text.split()[:1] == ["/refine"]:
                self.refine(text, on_event)
            else:
                self.conv.send(text)
            if shown:
                for ev in stats_events(shown[-1]):
                    put(ev)
        finally:
            self.conv.on_event = None
            self._lock.release()

    def _run_marker(self) -> Any:
        try:
            self.conv.wait_ready()
            runs = self.conv.session.values.get("runs") or []
        except Exception:  # noqa: BLE001 - the turn itself says what failed
            return None
        return (len(runs), runs[-1].get("run_dir") if runs else None, runs[-1].get("seconds") if runs else None)

    def refine(self, text: str, emit: Callable[[Event], None]) -> None:
        """`/refine [--quick] [GOAL]`: `juicebox refine` in the page. Plan, run, train the proxy LM on the
        refined data, a random subset of equal size and the full data, check, revise; each revision waits
        for approval. Without GOAL it refines the session's goal."""
        from agent.conversation import TRACE_NUM
        from agent.refine_loop import settings_for

        conv = self.conv
        arg = text.split(None, 1)[1].strip() if len(text.split(None, 1)) > 1 else ""
        quick = arg.startswith("--quick")
        arg = arg[len("--quick"):].strip() if quick else arg
        try:
            conv.wait_ready()
            conv.session.history.add(text)
            vals = conv.session.values
            goal, data = arg or vals.get("goal"), conv.data_path or vals.get("data_path")
            if not goal:
                emit(Event(kind="notice", text="Usage: /refine [--quick] GOAL (or type a goal first, then /refine)."))
                return
            if not data:
                emit(Event(kind="notice", text="No data set: /data PATH first (or start with --data PATH)."))
                return
            settings = settings_for(None, quick, **self.refine_overrides)
            emit(Event(kind="notice", text=f"Refining '{goal}': each iteration runs the recipe, trains the tiny proxy LM "
                       f"({len(settings.seeds)} seed(s), {settings.steps} steps) on the refined data, a random subset of "
                       f"equal size and the full data, checks the goal and revises (at most {self.refine_iters} "
                       "iterations; each revision waits for you)."))
            conv._drive(lambda: conv.session.ask(goal, data, conv._say(emit), work_dir=conv.next_run_dir(),
                                                 trace_num=TRACE_NUM, experiment=settings.model_dump(),
                                                 refine_mode=True, max_iters=self.refine_iters), emit)
        except Exception as err:  # noqa: BLE001 - as Conversation.send: said on the page
            from sandbox_engine.errors import JuiceboxError

            clear = isinstance(err, (JuiceboxError, FileNotFoundError, ValueError))
            emit(Event(kind="error", text=str(err) if clear else f"{type(err).__name__}: {err}",
                       payload={"type": type(err).__name__}))
        if conv.session is not None:
            conv._save_info(conv._goal_now())  # /sessions lists the refined goal

    def recipe_yaml(self) -> str | None:
        if not self.conv.ready or self.conv.session is None:
            return None
        with self._lock:
            recipe = self.conv.session.values.get("recipe")
        return recipe_yaml(recipe) if recipe and recipe.get("process") else None


def event_json(ev: Event, vals: dict[str, Any] | None = None) -> dict[str, Any]:
    """An event as the page gets it; plots as inline SVG."""
    out = ev.model_dump(mode="json")
    p = ev.payload
    if ev.kind == "histogram":
        out["svg"] = charts.histogram(p.get("bins") or [], p.get("title", ""))
    elif ev.kind == "run_result":
        runs = p.get("runs") or []
        last = runs[-1] if runs else {}
        out["summary"] = {k: last.get(k) for k in ("num_in", "num_out", "kept_ratio", "per_op")}
        out["charts"] = [c for c in (
            charts.bar_chart([(o["op"], o["removed"]) for o in last.get("per_op") or []],
                             f"samples removed per op (iteration {last.get('iteration', 0) + 1})"),
            charts.perplexity_chart(runs)) if c]
    return out


def stats_events(vals: dict[str, Any]) -> list[dict[str, Any]]:
    """The analyzer's stats of the last run's filters over the input data, one histogram per stat."""
    runs = vals.get("runs") or []
    data = vals.get("data_path")
    if not runs or not data:
        return []
    last = runs[-1]
    recipe = {k: v for k, v in (last.get("recipe") or vals.get("recipe") or {}).items()
              if k not in ("export_path", "work_dir")}
    work = Path(last.get("run_dir") or vals.get("work_dir") or ".")
    try:
        res = analyze_head({**recipe, "dataset_path": data}, str(work), STATS_SAMPLES)
    except Exception as err:  # noqa: BLE001 - the run's result stands; say why the plots are missing
        return [{"kind": "notice", "text": f"No stats histograms: {err}", "payload": {}}]
    n_in = last.get("num_in") or res.num_samples
    over = (f"the {res.num_samples} input samples" if res.num_samples >= n_in
            else f"the first {res.num_samples} of {n_in} input samples")
    out = []
    for stat in res.stats.columns:
        bins = charts.bins_of(list(res.stats[stat].dropna()))
        if not bins:
            continue
        op = res.stat_to_op.get(stat)
        marks = bounds_of(recipe, op) if list(res.stat_to_op.values()).count(op) == 1 else {}
        title = f"{stat}{f' ({op})' if op else ''} over {over}"
        out.append({"kind": "histogram", "text": "", "svg": charts.histogram(bins, title, marks=marks),
                    "payload": {"title": title, "bins": bins, "stat": stat, "op": op, "marks": marks}})
    return out


def analyze_head(recipe: dict[str, Any], work_dir: str, limit: int) -> Any:
    """The engine's analyzer (stats of every filter, nothing dropped; analysis/overall.csv written under
    work_dir) over the first `limit` samples of the recipe's data set."""
    from sandbox_engine.analyzer import analyze_batches
    from sandbox_engine.dataset import DataSource
    from sandbox_engine.ops.base import batch_len
    from sandbox_engine.recipe import recipe_from_dict

    rec = recipe_from_dict(recipe)
    source = DataSource(rec.dataset_spec(), base_dir=rec.base_dir)

    def head() -> Any:
        left = limit
        for batch in source.batches(1000):
            n = batch_len(batch)
            yield batch if n <= left else {k: v[:left] for k, v in batch.items()}
            left -= min(n, left)
            if left <= 0:
                return

    return analyze_batches(head(), rec.build_ops(), work_dir, plots=False)


def bounds_of(recipe: dict[str, Any], op: str | None) -> dict[str, float]:
    """The numeric min_* / max_* arguments of `op` in the recipe (its thresholds on its one stat)."""
    out: dict[str, float] = {}
    for step in recipe.get("process") or []:
        name, args = next(iter(step.items())) if isinstance(step, dict) else (str(step), {})
        if name != op:
            continue
        for arg, v in (args or {}).items():
            if arg.startswith(("min_", "max_")) and isinstance(v, (int, float)) and not isinstance(v, bool):
                out[arg] = float(v)
    return out
