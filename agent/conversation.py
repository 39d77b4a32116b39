"""The chat's logic, with no rendering: `Conversation.send(text) -> list[Event]`.

A line is classified (agent.turns): a goal plans through the graph (LangGraph, SQLite checkpointer) and
stops at approval; a change to the plan re-plans it; questions about the data, a run's results or an
operator are answered from the tools and never replace the plan; /commands drive the session. The REPL
(agent.repl) renders the events in the terminal; a web UI can render the same events.

Paths the user types resolve against the folder the chat was started in; outputs go to
`./juicebox_runs/<session>/run-N/` unless a work dir is given. Heavy things (the graph, the operator
catalog, the search index's embedding model) load in a background thread so the prompt comes at once.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel

from agent.answers import answer_data, answer_operator, answer_result, t as _t, short as _short
from agent.events import Event, EventKind  # noqa: F401 - the chat's event model lives beside it
from agent.turns import Turn, TurnKind, parse_turn

TRACE_NUM = 1000  # removed samples the tracer keeps per op in chat runs (what "show me ..." reads)
AUTO = "auto"

HELP = """Type a goal in plain words (e.g. "drop texts under 50 characters and remove duplicates"), a change to
the plan ("also remove duplicates", "make it 50 characters"), or a question: about the data ("how many
samples?", "what languages are in here?", "how long are the texts?", "what fields are there?"), about a
run ("why was sample 17 dropped?", "show me 5 samples the length filter removed", "how many were removed
by the dedup step?") or about an operator ("what does stopwords_filter do?"). Chinese works too.
  /plan             the current plan, step by step, with why each step is there
  /recipe           the current recipe as YAML
  /approve          approve the pending plan and run it
  /run              run the current recipe now
  /undo             back to the previous recipe version
  /save FILE.yaml   write the current recipe (relative paths: from where you started the chat)
  /history          what you typed (across sessions) and this session's recipe versions
  /data PATH        use another data set
  /sessions         the saved sessions (juicebox chat --resume NAME continues one)
  /new [NAME]       start a fresh session
  /quit             leave (the session is saved; `juicebox chat --resume` continues it)"""


class SessionInfo(BaseModel):
    id: str
    created: float
    updated: float
    cwd: str
    work_dir: str
    data_path: str | None = None
    goal: str | None = None


def _home(home: str | Path | None) -> Path:
    from agent.llm import juicebox_home

    return Path(home or juicebox_home())


def sessions_dir(home: Path) -> Path:
    return home / "sessions"


def load_info(home: Path, session_id: str) -> SessionInfo | None:
    f = sessions_dir(home) / session_id / "session.json"
    return SessionInfo.model_validate_json(f.read_text(encoding="utf-8")) if f.is_file() else None


def list_sessions(home: str | Path | None = None) -> list[SessionInfo]:
    """Saved sessions, most recently used first."""
    root = sessions_dir(_home(home))
    infos = [load_info(root.parent, d.name) for d in root.iterdir() if d.is_dir()] if root.is_dir() else []
    return sorted((i for i in infos if i), key=lambda i: -i.updated)


class ChatError(ValueError):
    """A session that cannot be opened as asked (e.g. --resume of an unknown name)."""


class Conversation:
    """One chat session: its id, data path, work dir and the graph's planner runtime."""

    def __init__(self, session_id: str | None = None, *, data_path: str | Path | None = None,
                 work_dir: str | Path | None = None, resume: bool = False, home: str | Path | None = None,
                 cwd: str | Path | None = None, llm: Any = AUTO, on_event: Callable[[Event], None] | None = None,
                 background: bool = True, warm_index: bool = True) -> None:
        self.home = _home(home)
        self.cwd = Path(cwd or Path.cwd()).resolve()
        self.llm = llm
        self.on_event = on_event
        self.classifier: Callable[[str, dict], TurnKind | Turn] | None = None  # the LLM path may set one
        self.id = self._pick_id(session_id, resume)
        info = load_info(self.home, self.id)
        self.resumed = info is not None
        self.created = info.created if info else time.time()
        self.data_path = str(self.resolve(data_path)) if data_path else (info.data_path if info else None)
        if self.data_path and not Path(self.data_path).exists():
            raise FileNotFoundError(f"no such data file: {data_path or self.data_path}")
        self.work_dir = str(self.resolve(work_dir)) if work_dir else str(self.cwd / "juicebox_runs" / self.id)
        self.session: Any = None
        self.warm_index = warm_index  # also load the search index's embedding model (seconds of CPU)
        self.status = "starting"
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._save_info()
        self._loader: threading.Thread | None = None
        if background:
            self._loader = threading.Thread(target=self._load, name="juicebox-chat-load", daemon=True)
            self._loader.start()
        else:
            self._load()

    # -- setup ------------------------------------------------------------------------------------
    def _pick_id(self, session_id: str | None, resume: bool) -> str:
        if resume:
            last = self.home / "last_session"
            name = session_id or (last.read_text().strip() if last.is_file() else None)
            if not name or load_info(self.home, name) is None:
                known = ", ".join(i.id for i in list_sessions(self.home)[:8]) or "none yet"
                raise ChatError(f"--resume: no saved session named {name!r} (saved sessions: {known}); "
                                "`juicebox chat` without --resume starts a new one")
            return name
        if session_id:
            return session_id
        base = time.strftime("s%Y%m%d-%H%M%S")
        name, n = base, 1
        while (sessions_dir(self.home) / name).exists():
            n += 1
            name = f"{base}-{n}"
        return name

    def _load(self) -> None:
        """The graph session first (turns wait for it), then the catalog, the planner and the index."""
        try:
            self.status = "loading the planner graph"
            from agent.session import Session

            self.session = Session(self.id, home=self.home, llm=self.llm)
        except BaseException as err:  # noqa: BLE001 - reported on the next turn
            self._error = err
            self.status = f"failed: {err}"
            self._ready.set()
            return
        self._ready.set()
        try:
            self.status = "loading the operator catalog"
            from tools.catalog import get_catalog

            cat = get_catalog()
            from agent.nodes.adapters import _builtin_planner

            _builtin_planner()
            if not self.warm_index:
                self.status = "ready (keyword search)"
                return
            self.status = "building the operator search index"
            cat.ensure_index()
            cat.vector_scores("warm up", n=1)
            self.status = "ready"
        except Exception as err:  # noqa: BLE001 - search then works on keywords only
            self.status = f"ready (keyword search only: {err})"

    @property
    def ready(self) -> bool:
        """The graph session is loaded (turns can run; the search index may still be loading)."""
        return self._ready.is_set()

    def wait_ready(self, timeout: float | None = None) -> None:
        self._ready.wait(timeout)
        if self._error is not None:
            raise self._error

    def close(self, timeout: float = 120.0) -> bool:
        """Before the process ends: let a search index being written finish (a half-written index would be
        taken as complete next time). True when something was waited for."""
        if self._loader is None or not self._loader.is_alive() or "index" not in self.status:
            return False
        self._loader.join(timeout)
        return True

    def resolve(self, path: str | Path) -> Path:
        """A path the user typed, from the folder the chat was started in."""
        p = Path(path).expanduser()
        return (p if p.is_absolute() else self.cwd / p).resolve()

    def _save_info(self, goal: str | None = None) -> None:
        old = load_info(self.home, self.id)
        info = SessionInfo(id=self.id, created=self.created, updated=time.time(), cwd=str(self.cwd),
                           work_dir=self.work_dir, data_path=self.data_path,
                           goal=goal if goal is not None else (old.goal if old else None))
        f = sessions_dir(self.home) / self.id / "session.json"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(info.model_dump_json(indent=1), encoding="utf-8")

    @property
    def planner_name(self) -> str:
        if self.session is not None:
            return self.session.runtime.planner_name
        from agent.llm import LLMConfig

        cfg = LLMConfig.from_env() if self.llm == AUTO else self.llm
        if cfg:
            return cfg.describe()
        from agent.nodes.planning import BUILTIN_NAME

        return BUILTIN_NAME

    # -- state ------------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The session's values plus `pending` (a plan awaits approval)."""
        vals = self.session.values
        vals["pending"] = self.session.pending() is not None
        return vals

    def start_events(self) -> list[Event]:
        """What to say when the chat opens (a resumed session: where it was)."""
        events = [Event(kind="notice", text=f"Session {self.id} ({'resumed' if self.resumed else 'new'}); outputs go "
                        f"to {self.work_dir}", payload={"session": self.id, "work_dir": self.work_dir})]
        if self.data_path:
            events.append(Event(kind="notice", text=f"Data: {self.data_path}", payload={"data_path": self.data_path}))
        if self.resumed:
            self.wait_ready()
            if self.session.pending() is not None:
                vals = self.state()
                events.append(Event(kind="notice", text=f"Resuming session {self.id} where it was: the plan for "
                                    f"'{vals.get('goal', '')}' awaits approval."))
                events.append(self._plan_event(vals))
        return events

    # -- one turn ---------------------------------------------------------------------------------
    def send(self, text: str) -> list[Event]:
        """One line from the user -> the events that answer it. Failures become an error event."""
        events: list[Event] = []

        def emit(ev: Event) -> None:
            events.append(ev)
            if self.on_event:
                self.on_event(ev)

        text = text.strip()
        if not text:
            return events
        try:
            self.wait_ready()
            self.session.history.add(text)
            turn = self.classify(text)
            handler = {TurnKind.COMMAND: self._command, TurnKind.GOAL: self._goal,
                       TurnKind.PLAN_CHANGE: self._change, TurnKind.DATA_QUESTION: self._data_question,
                       TurnKind.RESULT_QUESTION: self._result_question,
                       TurnKind.OPERATOR_QUESTION: self._operator_question}[turn.kind]
            handler(turn, emit)
        except Exception as err:  # noqa: BLE001 - a failing step is said; the chat stays up
            from sandbox_engine.errors import JuiceboxError

            clear = isinstance(err, (JuiceboxError, FileNotFoundError, ValueError))
            emit(Event(kind="error", text=str(err) if clear else f"{type(err).__name__}: {err}",
                       payload={"type": type(err).__name__}))
        self._save_info(self._goal_now())
        return events

    def _goal_now(self) -> str | None:
        try:
            return self.session.values.get("goal") if self.session is not None else None
        except Exception:  # noqa: BLE001
            return None

    def classify(self, text: str) -> Turn:
        state = self.state()
        turn = parse_turn(text, state)
        if self.classifier is not None and turn.kind is not TurnKind.COMMAND:
            other = self.classifier(text, state)
            if isinstance(other, Turn):
                return other
            if other is not None and other != turn.kind:
                return turn.model_copy(update={"kind": TurnKind(other)})
        return turn

    # -- driving the graph ------------------------------------------------------------------------
    def _say(self, emit: Callable[[Event], None]) -> Callable[[str], None]:
        return lambda piece: emit(Event(kind="text", text=piece, payload={"stream": True}))

    def next_run_dir(self) -> str:
        root = Path(self.work_dir)
        n = 1
        while (root / f"run-{n}").exists():
            n += 1
        return str(root / f"run-{n}")

    def _drive(self, call: Callable[[], Any], emit: Callable[[Event], None]) -> None:
        before = self._run_marker()
        call()
        vals = self.state()
        if vals["pending"]:
            emit(self._plan_event(vals))
        elif vals.get("runs") and self._run_marker() != before:
            emit(self._run_event(vals))
        elif (vals.get("recipe") or {}).get("process"):
            emit(self._plan_event(vals))

    def _run_marker(self) -> Any:
        runs = self.session.values.get("runs") or []
        return (len(runs), runs[-1].get("run_dir") if runs else None, runs[-1].get("seconds") if runs else None)

    def _goal(self, turn: Turn, emit: Callable[[Event], None], versions: list | None = None) -> None:
        extra: dict[str, Any] = {"work_dir": self.next_run_dir(), "trace_num": TRACE_NUM}
        if versions is not None:
            extra["versions"] = versions
        self._drive(lambda: self.session.ask(turn.text, self.data_path, self._say(emit), **extra), emit)

    def _change(self, turn: Turn, emit: Callable[[Event], None]) -> None:
        if self.session.pending() is not None:
            self._drive(lambda: self.session.resume(turn.text, self._say(emit)), emit)
            return
        vals = self.session.values
        goal = f"{vals.get('goal', '').rstrip('. ')}. {turn.text}" if vals.get("goal") else turn.text
        self._goal(turn.model_copy(update={"text": goal}), emit, versions=list(vals.get("versions") or []))

    def _plan_event(self, vals: dict[str, Any]) -> Event:
        recipe = vals.get("recipe") or {}
        steps = [next(iter(s)) if isinstance(s, dict) else str(s) for s in recipe.get("process") or []]
        pending = bool(vals.get("pending"))
        text = f"Plan ({vals.get('planner', self.planner_name)}): {', '.join(steps) or 'no steps'}."
        if pending:
            text += " Awaiting approval: /approve to run it, type a change to revise it, ask a question, /quit to leave."
        return Event(kind="plan", text=text, payload={"recipe": recipe, "justifications": vals.get("justifications") or [],
                                                     "planner": vals.get("planner") or self.planner_name,
                                                     "pending": pending, "goal": vals.get("goal")})

    def _run_event(self, vals: dict[str, Any]) -> Event:
        runs = vals.get("runs") or []
        last = runs[-1]
        where = last.get("run_dir") or str(Path(last.get("output_path", "")).parent)
        text = (f"Ran on {vals.get('data_path')}: kept {last['num_out']} of {last['num_in']} samples "
                f"({last['kept_ratio']:.1%}). Outputs are in {where} (cleaned data: {last.get('output_path')}).")
        return Event(kind="run_result", text=text, payload={"runs": [_run_summary(r) for r in runs],
                                                           "output_path": last.get("output_path"),
                                                           "run_dir": where, "data_path": vals.get("data_path")})

    # -- questions --------------------------------------------------------------------------------
    def _tools(self) -> Any:
        from agent.refine_loop import Tools

        return Tools(self.work_dir, [p for p in [self.data_path, self.session.values.get("data_path")] if p])

    def _data_question(self, turn: Turn, emit: Callable[[Event], None]) -> None:
        answer_data(turn, self._tools(), self._data(turn), emit)

    def _result_question(self, turn: Turn, emit: Callable[[Event], None]) -> None:
        answer_result(turn, self._tools(), self.session.values, emit)

    def _operator_question(self, turn: Turn, emit: Callable[[Event], None]) -> None:
        answer_operator(turn, emit)

    def _data(self, turn: Turn) -> str:
        data = self.data_path or self.session.values.get("data_path")
        if not data:
            raise FileNotFoundError(_t(turn.lang, "No data set yet: start with --data PATH or type /data PATH.",
                                       "还没有数据集：启动时用 --data PATH，或输入 /data PATH。"))
        return data

    # -- commands ---------------------------------------------------------------------------------
    def _command(self, turn: Turn, emit: Callable[[Event], None]) -> None:
        cmd, _, arg = turn.text.partition(" ")
        handler = {"/plan": self.cmd_plan, "/recipe": self.cmd_recipe, "/approve": self.cmd_approve,
                   "/run": self.cmd_run, "/undo": self.cmd_undo, "/save": self.cmd_save, "/history": self.cmd_history,
                   "/data": self.cmd_data, "/new": self.cmd_new, "/sessions": self.cmd_sessions,
                   "/help": self.cmd_help}.get(cmd.lower())
        if handler is None:
            emit(Event(kind="notice", text=f"Unknown command {cmd}. /help lists them."))
            return
        handler(arg.strip(), emit)

    def cmd_help(self, arg: str, emit: Callable[[Event], None]) -> None:
        emit(Event(kind="text", text=HELP))

    def cmd_plan(self, arg: str, emit: Callable[[Event], None]) -> None:
        vals = self.state()
        if not (vals.get("recipe") or {}).get("process"):
            emit(Event(kind="notice", text="No plan yet: type a goal."))
        else:
            emit(self._plan_event(vals))

    def cmd_recipe(self, arg: str, emit: Callable[[Event], None]) -> None:
        recipe = self.session.values.get("recipe")
        if not recipe or not recipe.get("process"):
            emit(Event(kind="notice", text="No recipe yet: type a goal."))
        else:
            text = recipe_yaml(recipe)
            emit(Event(kind="text", text=text, payload={"yaml": text}))

    def cmd_approve(self, arg: str, emit: Callable[[Event], None]) -> None:
        if self.session.pending() is None:
            emit(Event(kind="notice", text="Nothing awaits approval. Type a goal, or /run to run the current recipe."))
            return
        self._drive(lambda: self.session.resume(True, self._say(emit)), emit)

    def cmd_run(self, arg: str, emit: Callable[[Event], None]) -> None:
        if self.session.pending() is not None:
            self.cmd_approve(arg, emit)
            return
        vals = self.session.values
        data = self.data_path or vals.get("data_path")
        if not (vals.get("recipe") or {}).get("process"):
            emit(Event(kind="notice", text="No recipe to run yet: type a goal."))
        elif not data:
            emit(Event(kind="notice", text="No data set: /data PATH first (or start with --data PATH)."))
        else:
            self._drive(lambda: self.session.run_current(data, self._say(emit), work_dir=self.next_run_dir(),
                                                         trace_num=TRACE_NUM), emit)

    def cmd_undo(self, arg: str, emit: Callable[[Event], None]) -> None:
        if self.session.undo(self._say(emit)) is None:
            emit(Event(kind="notice", text="Nothing to undo."))
            return
        emit(Event(kind="notice", text="Back to the previous recipe version."))
        emit(self._plan_event(self.state()))

    def cmd_save(self, arg: str, emit: Callable[[Event], None]) -> None:
        recipe = self.session.values.get("recipe")
        if not arg:
            emit(Event(kind="notice", text="Usage: /save FILE.yaml"))
        elif not recipe or not recipe.get("process"):
            emit(Event(kind="notice", text="No recipe to save yet: type a goal."))
        else:
            path = self.resolve(arg)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(recipe_yaml(_relative_paths(recipe, path.parent)), encoding="utf-8")
            emit(Event(kind="notice", text=f"Saved the recipe to {path}", payload={"path": str(path)}))

    def cmd_history(self, arg: str, emit: Callable[[Event], None]) -> None:
        lines = self.session.history.lines(last=20)
        out = ["You typed (last 20, all sessions):"] + [f"  {line}" for line in lines]
        versions = self.session.values.get("versions") or []
        if versions:
            out.append("Recipe versions in this session:")
            for i, v in enumerate(versions, 1):
                steps = ", ".join(next(iter(s)) for s in v["recipe"].get("process") or [])
                out.append(f"  v{i}: {steps}  ({v['why']})")
        emit(Event(kind="text", text="\n".join(out), payload={"typed": lines, "versions": versions}))

    def cmd_data(self, arg: str, emit: Callable[[Event], None]) -> None:
        if not arg or not self.resolve(arg).exists():
            emit(Event(kind="error", text=f"No such data file: {arg!r} (relative paths start at {self.cwd})"))
            return
        self.data_path = str(self.resolve(arg))
        emit(Event(kind="notice", text=f"Data: {self.data_path}", payload={"data_path": self.data_path}))

    def cmd_new(self, arg: str, emit: Callable[[Event], None]) -> None:
        from agent.session import Session

        old = self.session
        self.id = self._pick_id(arg or None, resume=False)
        self.created = time.time()
        self.work_dir = str(Path(self.work_dir).parent / self.id)
        self.session = Session(self.id, home=self.home, llm=old.runtime.client.config if old.runtime.client else None)
        self._save_info()
        emit(Event(kind="notice", text=f"New session {self.id}; outputs go to {self.work_dir}",
                   payload={"session": self.id, "work_dir": self.work_dir}))

    def cmd_sessions(self, arg: str, emit: Callable[[Event], None]) -> None:
        infos = list_sessions(self.home)
        rows = [[("* " if i.id == self.id else "") + i.id, time.strftime("%Y-%m-%d %H:%M", time.localtime(i.updated)),
                 i.data_path or "-", _short(i.goal or "-", 60)] for i in infos]
        emit(Event(kind="table", text=f"{len(infos)} saved session(s); `juicebox chat --resume NAME` continues one.",
                   payload={"title": "sessions", "columns": ["session", "last used", "data", "goal"], "rows": rows}))


def recipe_yaml(recipe: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(recipe, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _relative_paths(recipe: dict[str, Any], folder: Path) -> dict[str, Any]:
    """dataset_path / export_path inside the recipe's folder written relative to it (the engine reads them
    from the working directory, else beside the recipe), so the saved file travels with its folder."""
    out = dict(recipe)
    for key in ("dataset_path", "export_path"):
        value = out.get(key)
        if isinstance(value, str) and Path(value).is_absolute():
            try:
                out[key] = str(Path(value).relative_to(folder))
            except ValueError:
                pass
    return out


def _run_summary(r: dict[str, Any]) -> dict[str, Any]:
    keep = ("iteration", "num_in", "num_out", "kept_ratio", "per_op", "output_path", "run_dir", "verdict", "experiment")
    return {k: r.get(k) for k in keep if k in r}
