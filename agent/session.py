"""Chat sessions: the graph with a SQLite checkpointer under the user's data dir, so a REPL closed
mid-plan resumes where it was, and the prompt history file shared across sessions."""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable

from agent.graph import AUTO, Runtime, build_graph
from agent.llm import LLMConfig, juicebox_home

Say = Callable[[str], None]


def open_checkpointer(path: str | os.PathLike[str]) -> Any:
    """A langgraph SqliteSaver on a file (created if missing)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteSaver(sqlite3.connect(str(path), check_same_thread=False))


class PromptHistory:
    """One line per thing the user typed, kept across sessions (the REPL's up-arrow history too)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line.replace("\n", " ") + "\n")

    def lines(self, last: int | None = None) -> list[str]:
        if not self.path.is_file():
            return []
        out = self.path.read_text(encoding="utf-8").splitlines()
        return out[-last:] if last else out


class Session:
    """One conversation thread of the graph, persisted in $JUICEBOX_HOME/sessions.sqlite."""

    def __init__(self, session_id: str | None = None, home: Path | None = None,
                 llm: LLMConfig | None | str = AUTO, db_path: str | None = None) -> None:
        self.home = Path(home or juicebox_home())
        self.home.mkdir(parents=True, exist_ok=True)
        last_file = self.home / "last_session"
        if session_id is None:
            session_id = last_file.read_text().strip() if last_file.is_file() else "default"
        self.id = session_id
        last_file.write_text(session_id)
        self.runtime = Runtime(llm)
        self.checkpointer = open_checkpointer(db_path or self.home / "sessions.sqlite")
        self.graph = build_graph(self.runtime, self.checkpointer)
        self.config = {"configurable": {"thread_id": self.id}}
        self.history = PromptHistory(self.home / "chat_history")
        self.work_dir = str(self.home / "sessions" / self.id)

    @staticmethod
    def new_id() -> str:
        return time.strftime("s%Y%m%d-%H%M%S")

    # -- state --------------------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        return dict(self.graph.get_state(self.config).values or {})

    def pending(self) -> dict[str, Any] | None:
        """The approval request the graph is waiting on, if any."""
        snap = self.graph.get_state(self.config)
        for task in snap.tasks or ():
            for intr in task.interrupts or ():
                return intr.value
        return None

    # -- driving the graph --------------------------------------------------------------------
    def _run(self, inp: Any, say: Say) -> dict[str, Any] | None:
        for chunk in self.graph.stream(inp, self.config, stream_mode="custom"):
            if isinstance(chunk, dict) and "say" in chunk:  # nodes stream progress, notices, answers
                say(chunk["say"])
        return self.pending()

    def ask(self, goal: str, data_path: str | None, say: Say, **extra: Any) -> dict[str, Any] | None:
        """A new goal: plan it (and stop at approval, unless auto-approved)."""
        inp = {"goal": goal, "data_path": data_path, "work_dir": extra.pop("work_dir", self.work_dir),
               "skip_plan": False, "auto_approve": False, "versions": [], "recipe": {},
               "experiment": None, "refine_mode": False, **extra}  # a chat goal; a refine passes both
        return self._run(inp, say)

    def resume(self, decision: Any, say: Say) -> dict[str, Any] | None:
        from langgraph.types import Command

        return self._run(Command(resume=decision), say)

    def run_current(self, data_path: str | None, say: Say, **extra: Any) -> dict[str, Any] | None:
        """Run the current recipe as it is (approval given by asking for it)."""
        vals = self.values
        inp = {"goal": vals.get("goal", ""), "data_path": data_path or vals.get("data_path"),
               "work_dir": extra.pop("work_dir", None) or vals.get("work_dir") or self.work_dir, "skip_plan": True,
               "auto_approve": True, "recipe": vals.get("recipe"), "experiment": None, "refine_mode": False, **extra}
        return self._run(inp, say)

    def undo(self, say: Say) -> dict[str, Any] | None:
        """Back to the previous recipe version. Returns the recipe now current, or None."""
        vals = self.values
        versions = list(vals.get("versions") or [])
        if len(versions) < 2:
            return None
        versions.pop()
        prev = versions[-1]["recipe"]
        waiting = self.pending() is not None
        self.graph.update_state(self.config, {"recipe": prev, "versions": versions,
                                              "changes": ["Undone: back to the previous recipe version."]},
                                as_node="plan" if waiting else "answer")
        if waiting:  # re-enter approval for the restored recipe
            self._run(None, say)
        return prev

