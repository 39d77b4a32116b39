"""`juicebox chat`: a rich terminal REPL over a persisted graph session.

Plain text is a goal (or, while a plan awaits approval, feedback on it). Slash commands: /plan,
/recipe, /approve, /run, /undo, /save FILE.yaml, /history, /data PATH, /new, /help, /quit.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

from rich.console import Console
from rich.table import Table

from agent.session import Session

HELP = """Type a goal in plain words (e.g. "drop texts under 50 characters and remove duplicates").
While a plan awaits approval, plain text is feedback that re-plans it.
  /plan             the current plan, step by step, with why each step is there
  /recipe           the current recipe as YAML
  /approve          approve the pending plan and run it
  /run              run the current recipe now
  /undo             back to the previous recipe version
  /save FILE.yaml   write the current recipe
  /history          what you typed (across sessions) and this session's recipe versions
  /data PATH        use another data set for the next goal
  /new              start a fresh session
  /quit             leave (the session is saved; `juicebox chat` resumes it)"""


def recipe_yaml(recipe: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(recipe, sort_keys=False, allow_unicode=True, default_flow_style=False)


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
    def __init__(self, session: Session, data_path: str | None = None, console: Console | None = None,
                 input_fn: Callable[[str], str] | None = None) -> None:
        self.session = session
        self.data_path = data_path
        self.console = console or Console(highlight=False)
        self.input_fn = input_fn or _line_reader(session)

    # -- output ------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        self.console.print(text, end="", markup=False, highlight=False, soft_wrap=True)
        self.console.file.flush()

    def show_plan(self) -> None:
        vals = self.session.values
        if not vals.get("recipe", {}).get("process"):
            self.console.print("No plan yet: type a goal.")
            return
        self.console.print(f"Planner: {vals.get('planner', '?')}", markup=False)
        self.console.print(plan_table(vals["recipe"], vals.get("justifications") or []))

    def after_turn(self, pending: dict[str, Any] | None) -> None:
        if pending is not None:
            self.show_plan()
            self.console.print("Awaiting approval: /approve to run it, type feedback to change it, "
                               "/quit to leave (the session is kept).", markup=False)
        elif self.session.values.get("runs"):
            runs = self.session.values["runs"]
            self.console.print(runs_table(runs))
            for chart in run_charts(runs):
                self.console.print(chart, markup=False, highlight=False)

    # -- loop --------------------------------------------------------------------------------
    def start(self) -> None:
        planner = self.session.runtime.planner_name
        self.console.print(f"[bold]Juicebox chat[/] (session {self.session.id}; planner: {planner}). "
                           f"/help for commands.")
        if self.data_path:
            self.console.print(f"Data: {self.data_path}", markup=False)
        if self.session.pending() is not None:
            goal = self.session.values.get("goal", "")
            self.console.print(f"Resuming session {self.session.id} where it was: the plan for '{goal}' "
                               f"awaits approval.", markup=False)
            self.after_turn(self.session.pending())

    def loop(self) -> None:
        self.start()
        while True:
            try:
                line = self.input_fn("juicebox> ").strip()
            except (EOFError, KeyboardInterrupt):
                self.console.print("\nBye (session saved).")
                return
            if not line:
                continue
            self.session.history.add(line)
            if not self.handle(line):
                return

    def handle(self, line: str) -> bool:
        """One input line; False to leave."""
        if not line.startswith("/"):
            if self.session.pending() is not None:
                self.after_turn(self.session.resume(line, self.say))
            else:
                self.after_turn(self.session.ask(line, self.data_path, self.say))
            return True
        cmd, _, arg = line.partition(" ")
        arg = arg.strip()
        cmd = cmd.lower()
        if cmd in ("/quit", "/exit", "/q"):
            self.console.print("Bye (session saved).")
            return False
        handler = {"/plan": self.cmd_plan, "/recipe": self.cmd_recipe, "/approve": self.cmd_approve,
                   "/run": self.cmd_run, "/undo": self.cmd_undo, "/save": self.cmd_save,
                   "/history": self.cmd_history, "/data": self.cmd_data, "/new": self.cmd_new,
                   "/help": self.cmd_help}.get(cmd)
        if handler is None:
            self.console.print(f"Unknown command {cmd}. /help lists them.", markup=False)
            return True
        handler(arg)
        return True

    # -- slash commands ----------------------------------------------------------------------
    def cmd_help(self, arg: str) -> None:
        self.console.print(HELP, markup=False)

    def cmd_plan(self, arg: str) -> None:
        self.show_plan()

    def cmd_recipe(self, arg: str) -> None:
        recipe = self.session.values.get("recipe")
        if not recipe or not recipe.get("process"):
            self.console.print("No recipe yet: type a goal.")
            return
        from rich.syntax import Syntax

        self.console.print(Syntax(recipe_yaml(recipe), "yaml"))

    def cmd_approve(self, arg: str) -> None:
        if self.session.pending() is None:
            self.console.print("Nothing awaits approval. Type a goal, or /run to run the current recipe.")
            return
        self.after_turn(self.session.resume(True, self.say))

    def cmd_run(self, arg: str) -> None:
        if self.session.pending() is not None:
            self.cmd_approve(arg)
            return
        vals = self.session.values
        data = self.data_path or vals.get("data_path")
        if not vals.get("recipe", {}).get("process"):
            self.console.print("No recipe to run yet: type a goal.")
        elif not data:
            self.console.print("No data set: /data PATH first (or start with --data PATH).")
        else:
            self.after_turn(self.session.run_current(data, self.say))

    def cmd_undo(self, arg: str) -> None:
        prev = self.session.undo(self.say)
        if prev is None:
            self.console.print("Nothing to undo.")
            return
        self.console.print("Back to the previous recipe version.")
        self.show_plan()

    def cmd_save(self, arg: str) -> None:
        recipe = self.session.values.get("recipe")
        if not arg:
            self.console.print("Usage: /save FILE.yaml")
        elif not recipe or not recipe.get("process"):
            self.console.print("No recipe to save yet: type a goal.")
        else:
            path = Path(arg).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(recipe_yaml(recipe), encoding="utf-8")
            self.console.print(f"Saved the recipe to {path}", markup=False)

    def cmd_history(self, arg: str) -> None:
        lines = self.session.history.lines(last=20)
        self.console.print("You typed (last 20, all sessions):", markup=False)
        for line in lines:
            self.console.print(f"  {line}", markup=False)
        versions = self.session.values.get("versions") or []
        if versions:
            self.console.print("Recipe versions in this session:")
            for i, v in enumerate(versions, 1):
                steps = ", ".join(next(iter(s)) for s in v["recipe"].get("process") or [])
                self.console.print(f"  v{i}: {steps}  ({v['why']})", markup=False)

    def cmd_data(self, arg: str) -> None:
        if not arg or not Path(arg).expanduser().exists():
            self.console.print(f"No such data file: {arg!r}", markup=False)
            return
        self.data_path = str(Path(arg).expanduser())
        self.console.print(f"Data: {self.data_path}", markup=False)

    def cmd_new(self, arg: str) -> None:
        old = self.session
        self.session = Session(arg or Session.new_id(), home=old.home, llm=old.runtime.client.config
                               if old.runtime.client else None)
        self.console.print(f"New session {self.session.id}.", markup=False)


def _line_reader(session: Session) -> Callable[[str], str]:
    """input() with readline history (up-arrow across sessions) when on a terminal."""
    if sys.stdin.isatty():
        try:
            import readline

            readline.clear_history()
            for line in session.history.lines(last=1000):
                readline.add_history(line)
        except ImportError:
            pass
    return input
