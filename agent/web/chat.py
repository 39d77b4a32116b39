"""The web page's side of a Conversation: one turn at a time, each event turned into JSON for the page
(charts drawn here as SVG), and after a run the analyzer's stats histograms of the recipe's filters."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from agent.conversation import Conversation, Event, recipe_yaml
from agent.web import charts

STATS_MAX_SAMPLES = 50_000  # above this the page skips the stats histograms (`juicebox analyze` has them)

Put = Callable[[dict[str, Any]], None]


class Busy(RuntimeError):
    """Another turn is still running."""


class WebChat:
    def __init__(self, conv: Conversation) -> None:
        self.conv = conv
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
        """Send one line; each event goes to `put` as it comes (streamed text included)."""
        if not self._lock.acquire(blocking=False):
            raise Busy("the previous message is still being answered; wait for it to finish")
        try:
            ran = []

            def on_event(ev: Event) -> None:
                vals = None
                if ev.kind == "run_result":
                    vals = self.conv.session.values
                    ran.append(vals)
                put(event_json(ev, vals))

            self.conv.on_event = on_event
            self.conv.send(text)
            if ran:
                for ev in stats_events(ran[-1]):
                    put(ev)
        finally:
            self.conv.on_event = None
            self._lock.release()

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
    if last.get("num_in", 0) > STATS_MAX_SAMPLES:
        return [{"kind": "notice", "text": f"Stats histograms skipped ({last['num_in']} samples; over "
                 f"{STATS_MAX_SAMPLES}): `juicebox analyze` on the saved recipe draws them.", "payload": {}}]
    from sandbox_engine.analyzer import analyze

    work = Path(last.get("run_dir") or vals.get("work_dir") or ".")
    try:
        res = analyze({**recipe, "dataset_path": data}, work_dir=str(work), export=False, plots=False,
                      progress=False)
    except Exception as err:  # noqa: BLE001 - the run's result stands; say why the plots are missing
        return [{"kind": "notice", "text": f"No stats histograms: {err}", "payload": {}}]
    out = []
    for stat in res.stats.columns:
        bins = charts.bins_of(list(res.stats[stat].dropna()))
        if not bins:
            continue
        op = res.stat_to_op.get(stat)
        title = f"{stat}{f' ({op})' if op else ''} over the {res.num_samples} input samples"
        out.append({"kind": "histogram", "text": "", "svg": charts.histogram(bins, title),
                    "payload": {"title": title, "bins": bins, "stat": stat, "op": op}})
    return out
