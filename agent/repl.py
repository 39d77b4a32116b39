"""`juicebox chat`: a rich terminal REPL that renders a Conversation's events.

The conversation (agent.conversation) decides what a line is and answers it; this module only reads
lines and draws the events: plans as tables, run results with charts, tables, histograms, errors.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

from rich.console import Console
from rich.table import Table

from agent.conversation import Conversation, Event, recipe_yaml  # noqa: F401 - recipe_yaml: used by callers


def plan_table(recipe: dict[str, Any], justifications: list[str]) -> Table:
    table = Table(title="Plan", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("operator", style="bold")
    table.add_column("arguments")
    table.add_column("why")
    for i, step in enumerate(recipe.get("process") or []):
        name, args = (next(iter(step.items())) if isinstance(step, dict) else (str(step), {}))
        args_text = ", ".join(f"{k}={v!r}" for k, v in (args or {}).items()) or "(defaults)"
        table.add_row(str(i + 1), name, args_text, justifications[i] if i < len(justifications) else "")
    return table


def runs_table(runs: list[dict[str, Any]]) -> Table:
    table = Table(title="Runs")
    for col in ("iteration", "in", "kept", "kept %", "most removed by"):
        table.add_column(col)
    for r in runs:
        worst = max(r.get("per_op") or [], key=lambda p: p["removed"], default=None)
        table.add_row(str(r.get("iteration", 0) + 1), str(r["num_in"]), str(r["num_out"]), f"{r['kept_ratio']:.1%}",
                      f"{worst['op']} ({worst['removed']})" if worst and worst["removed"] else "-")
    return table


def run_charts(runs: list[dict[str, Any]]) -> list[str]:
    """Terminal renderings of the last run: samples removed per op, and perplexity per iteration when the
    sandbox trained proxies."""
    from agent.termplot import bar_chart, perplexity_chart

    out = []
    per_op = [(p["op"], p["removed"]) for p in runs[-1].get("per_op") or [] if p["removed"]]
    if per_op:
        out.append(bar_chart(per_op, title=f"removed per op (iteration {runs[-1].get('iteration', 0) + 1})"))
    ppl = perplexity_chart(runs)
    if ppl:
        out.append(ppl)
    return out


class Repl:
    def __init__(self, conversation: Conversation, console: Console | None = None,
                 input_fn: Callable[[str], str] | None = None) -> None:
        self.conv = conversation
        self.console = console or Console(highlight=False)
        self.input_fn = input_fn or _line_reader(conversation)
        self._streamed_open = False  # streamed text without a final newline yet
        conversation.on_event = self.render

    # -- rendering --------------------------------------------------------------------------------
    def plain(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def render(self, ev: Event) -> None:
        if ev.kind == "text" and ev.payload.get("stream"):
            self.console.print(ev.text, end="", markup=False, highlight=False, soft_wrap=True)
            self.console.file.flush()
            self._streamed_open = not ev.text.endswith("\n")
            return
        if self._streamed_open:
            self.console.print()
            self._streamed_open = False
        p = ev.payload
        if ev.kind == "plan":
            self.plain(f"Planner: {p.get('planner', '?')}")
            self.console.print(plan_table(p.get("recipe") or {}, p.get("justifications") or []))
            if p.get("pending"):
                self.plain("Awaiting approval: /approve to run it, type a change to revise it, ask a question, "
                           "/quit to leave (the session is kept).")
        elif ev.kind == "run_result":
            runs = p.get("runs") or []
            if runs:
                self.console.print(runs_table(runs))
                for chart in run_charts(runs):
                    self.plain(chart)
            self.plain(f"Outputs are in {p.get('run_dir')} (cleaned data: {p.get('output_path')})")
        elif ev.kind == "table":
            if ev.text:
                self.plain(ev.text)
            table = Table(title=p.get("title"))
            for col in p.get("columns") or []:
                table.add_column(str(col), overflow="fold")
            for row in p.get("rows") or []:
                table.add_row(*(str(c) for c in row))
            self.console.print(table)
        elif ev.kind == "histogram":
            from agent.termplot import bar_chart

            bins = p.get("bins") or []
            self.plain(bar_chart([(f"{b['low']:g}-{b['high']:g}", b["count"]) for b in bins], title=p.get("title", "")))
        elif ev.kind == "error":
            self.console.print("[bold red]error:[/] ", end="")
            self.plain(ev.text)
        elif ev.kind == "text" and p.get("yaml"):
            from rich.syntax import Syntax

            self.console.print(Syntax(p["yaml"], "yaml"))
        else:
            self.plain(ev.text)
        self.console.file.flush()

    # -- loop -------------------------------------------------------------------------------------
    def start(self) -> None:
        self.console.print(f"[bold]Juicebox chat[/] (session {self.conv.id}; planner: {self.conv.planner_name}). "
                           "/help for commands.")
        if not self.conv.ready:
            self.plain("(loading the planner, the operator catalog and its search index in the background; "
                       "you can type already)")
        for ev in self.conv.start_events():
            self.render(ev)

    def loop(self) -> None:
        try:
            self._loop()
        finally:
            if self.conv.status.startswith("building"):
                self.plain("(finishing the operator search index before leaving...)")
            self.conv.close()

    def _loop(self) -> None:
        self.start()
        while True:
            try:
                line = self.input_fn("juicebox> ").strip()
            except (EOFError, KeyboardInterrupt):
                self.plain("\nBye (session saved; `juicebox chat --resume` continues it).")
                return
            if not line:
                continue
            if line.split()[0].lower() in ("/quit", "/exit", "/q"):
                self.plain("Bye (session saved; `juicebox chat --resume` continues it).")
                return
            if not self.conv.ready:
                with self.console.status(f"{self.conv.status}...", spinner="dots"):
                    self.conv._ready.wait()  # a load failure is said by send()
            try:
                self.conv.send(line)  # events are rendered as they come (on_event)
            except KeyboardInterrupt:
                self.plain("\nInterrupted; the session is as it was before this line.")
            if self._streamed_open:
                self.console.print()
                self._streamed_open = False


def _line_reader(conv: Conversation) -> Callable[[str], str]:
    """input() with readline history (up-arrow across sessions) when on a terminal."""
    if sys.stdin.isatty():
        try:
            import readline

            readline.clear_history()
            history = conv.home / "chat_history"  # agent.session.PromptHistory's file (not imported: it is slow)
            for line in (history.read_text(encoding="utf-8").splitlines()[-1000:] if history.is_file() else []):
                readline.add_history(line)
        except ImportError:
            pass
    return input
