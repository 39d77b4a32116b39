"""The agent as a LangGraph StateGraph:

understand -> retrieve -> plan -> approve (interrupt) -> act -> check -> revise -> approve ... -> answer

Each node does one job. Approval is a LangGraph `interrupt` before anything that writes data; `--yes`
gives it in advance. The act/check/revise loop is bounded by `max_iters`, and each revision says what
changed and why. The planner is the LLM one when an endpoint is configured, else the built-in one; an
unusable LLM draft falls back to the built-in planner for that turn, and an endpoint that cannot be
reached is dropped for the session, with a notice either way.
"""
from __future__ import annotations

import json
import os
from typing import Any, Literal

from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt

from agent.llm import LLMClient, LLMConfig, LLMError
from agent.nodes import engine
from agent.nodes.adapters import search_candidates
from agent import refine_loop as loop
from agent.nodes.goals import parse_target
from agent.termplot import bar_chart
from agent.nodes.planning import BUILTIN_NAME, BuiltinPlanner, LLMPlanner, prompt
from agent.planner.lexicon import has_cjk
from agent.state import AgentState

AUTO = "auto"


class Runtime:
    """What the nodes share that is not state: the planners and the LLM client (not checkpointed)."""

    def __init__(self, llm: LLMConfig | None | str = AUTO) -> None:
        config = LLMConfig.from_env() if llm == AUTO else llm
        self.client = LLMClient(config) if isinstance(config, LLMConfig) else None
        self.builtin = BuiltinPlanner()

    @property
    def planner_name(self) -> str:
        return self.client.config.describe() if self.client else BUILTIN_NAME

    def llm_failed(self, err: LLMError, what: str = "plan") -> str:
        """The notice to show. The endpoint is dropped for the session only when it cannot be reached
        (refused connection, timeout); an unusable reply falls back for this turn only."""
        if err.transport:
            url = self.client.config.base_url if self.client else "the endpoint"
            self.client = None
            why = "did not answer in time" if err.kind == "timeout" else "refused the connection"
            return (f"The LLM endpoint {url} {why} ({err}); falling back to the {BUILTIN_NAME} "
                    f"for the rest of this session.")
        return (f"The LLM's {what} was not usable ({err}); falling back to the {BUILTIN_NAME} "
                f"for this turn (the LLM stays on).")


def _in_chinese(state: AgentState) -> bool:
    """Whether the user wrote the goal in Chinese: what the run says is said in Chinese then."""
    return has_cjk(state.get("goal") or "")


def _say(text: str) -> None:
    """Stream a piece of text to whoever watches the graph (the REPL prints it as it comes)."""
    get_stream_writer()({"say": text})


def build_graph(runtime: Runtime | None = None, checkpointer: Any = None) -> Any:
    rt = runtime or Runtime()

    def understand(state: AgentState) -> dict:
        goal = state.get("goal", "").strip()
        data_path = state.get("data_path")
        dataset: dict[str, Any] = {}
        if data_path:
            dataset = engine.inspect(engine.load_samples(data_path), data_path)
        work_dir = state.get("work_dir") or os.path.join(os.getcwd(), "juicebox_runs")
        return {"target": parse_target(goal), "dataset": dataset, "work_dir": work_dir,
                "planner": rt.planner_name, "iteration": 0, "runs": [], "done": False,
                "feedback": None, "approved": False, "k": 3.0, "tool_calls": [],
                "max_iters": max(int(state.get("max_iters") or 3), 1)}

    def retrieve(state: AgentState) -> dict:
        return {"candidates": search_candidates(state["goal"])}

    def plan(state: AgentState) -> dict:
        feedback = state.get("feedback")
        notices: list[str] = []
        planned = None
        drafted_by = BUILTIN_NAME
        if rt.client is not None:
            try:
                drafted_by = rt.planner_name
                planned = LLMPlanner(rt.client).draft(state["goal"], state.get("dataset"),
                                                      state.get("candidates"), feedback)
            except LLMError as err:
                notices.append(rt.llm_failed(err))
                _say(notices[-1] + "\n")
        if planned is None:
            drafted_by = BUILTIN_NAME
            planned = rt.builtin.draft(state["goal"], state.get("dataset"), state.get("candidates"), feedback)
        for note in planned.get("notes", []):  # what the planner did not understand or changed, said
            _say(f"提示：{note}\n" if _in_chinese(state) else f"note: {note}\n")
        notices += planned.get("notes", [])
        recipe = _with_paths(planned["recipe"], state)
        why = f"re-planned after your feedback: {feedback}" if feedback else "first draft"
        versions = list(state.get("versions") or []) + [{"recipe": recipe, "why": why}]
        changes = [f"Plan revised ({why})."] if feedback else []
        return {"recipe": recipe, "justifications": planned["justifications"], "versions": versions,
                "planner": drafted_by, "feedback": None, "notices": notices, "changes": changes}

    def approve(state: AgentState) -> dict:
        if state.get("auto_approve"):
            return {"approved": True, "feedback": None}
        decision = interrupt({"kind": "approval", "recipe": state["recipe"],
                              "justifications": state.get("justifications", []),
                              "iteration": state.get("iteration", 0),
                              "question": "Run this recipe on the data? (approve / give feedback / reject)"})
        return _parse_decision(decision)

    def act(state: AgentState) -> dict:
        """Through tools/: run_recipe; in refine mode also probe_pools, analyze_dataset, train_proxy,
        evaluate and compare_runs (the sandbox experiment)."""
        i = state.get("iteration", 0)
        zh = _in_chinese(state)
        n_steps = len(state['recipe'].get('process') or [])
        _say(f"正在 {state['data_path']} 上运行 {n_steps} 个步骤（第 {i + 1} 轮）……\n" if zh else
             f"Running {n_steps} step(s) on {state['data_path']} (iteration {i + 1})...\n")
        tools = loop.Tools(state["work_dir"], [state["data_path"]])
        to_run = {**state["recipe"], "trace_num": state["trace_num"]} if state.get("trace_num") else state["recipe"]
        metrics = loop.run_step(tools, to_run, state["data_path"], i)
        metrics["recipe"] = state["recipe"]
        _say(f"保留了 {metrics['num_in']} 条中的 {metrics['num_out']} 条（{metrics['kept_ratio']:.1%}）\n" if zh else
             f"kept {metrics['num_out']} of {metrics['num_in']} samples ({metrics['kept_ratio']:.1%})\n")
        update: dict[str, Any] = {}
        if state.get("experiment"):
            settings = loop.ExperimentSettings(**state["experiment"])
            analysis = dict(state.get("analysis_cache") or {})
            arms = dict(state.get("arm_cache") or {})
            if settings.probe:
                _say("Probing: single-op pools (what each op removes on its own) and the data's stats...\n")
                metrics["probe"] = loop.probe(tools, state["recipe"], state["data_path"], i, analysis)
                _say(bar_chart([(p["op"], p["removed"]) for p in metrics["probe"]["pools"]],
                               title="removed by each op alone") + "\n")
            metrics["experiment"] = loop.experiment(tools, metrics, state["data_path"], settings, arms, _say)
            update.update(arm_cache=arms, analysis_cache=analysis)
        update["tool_calls"] = list(state.get("tool_calls") or []) + tools.calls
        update["runs"] = list(state.get("runs") or []) + [metrics]
        return update

    def check(state: AgentState) -> dict:
        runs = list(state["runs"])
        ok, verdict, problem = loop.decide(state.get("target") or {}, runs[-1], _in_chinese(state))
        runs[-1] = {**runs[-1], "verdict": verdict, "target_met": ok, "problem": problem}
        _say(verdict + "\n")
        # refine with neither a target nor an experiment: still make Data-Juicer's k-sigma pass once
        want_refine = (state.get("refine_mode") and not state.get("target") and not state.get("experiment")
                       and state.get("iteration", 0) == 0)
        done = (ok and not want_refine) or state.get("iteration", 0) + 1 >= state["max_iters"]
        return {"runs": runs, "done": done}

    def revise(state: AgentState) -> dict:
        samples = engine.load_samples(state["data_path"])
        last = state["runs"][-1]
        k = float(state.get("k") or 3.0)
        recipe, diff, reason, new_k = loop.revise(state["recipe"], samples, last, last.get("problem"), k,
                                                  state.get("target"))
        if not diff:
            note = f"No threshold could move further ({reason}); stopping with the current recipe."
            _say(note + "\n")
            return {"done": True, "changes": [note]}
        moved = "; ".join(f"{d['op']}.{d['arg']}: {_fmt(d['old'])} -> {_fmt(d['new'])}" for d in diff)
        note = f"Iteration {state['iteration'] + 1}: {moved} (why: {reason})."
        _say(note + "\n")
        versions = list(state.get("versions") or []) + [{"recipe": recipe, "why": reason}]
        return {"recipe": recipe, "versions": versions, "changes": [note], "k": new_k,
                "iteration": state["iteration"] + 1, "approved": False, "done": False}

    def answer(state: AgentState) -> dict:
        facts = _facts(state)
        text = None
        notices: list[str] = []
        if rt.client is not None and state.get("runs"):
            try:
                parts = []
                msgs = [{"role": "user", "content": prompt("graph_answer.md").format(
                    goal=state.get("goal", ""), facts=json.dumps(facts, default=str))}]
                for piece in rt.client.stream(msgs, max_tokens=200):
                    parts.append(piece)
                    _say(piece)
                _say("\n")
                text = "".join(parts)
            except LLMError as err:
                notices.append(rt.llm_failed(err, "answer"))
                _say("\n" + notices[-1] + "\n")
        if text is None:
            text = template_answer(state)
            for line in text.splitlines(keepends=True):
                _say(line)
            _say("\n")
        return {"answer": text, "notices": notices}

    g = StateGraph(AgentState)
    for name, fn in (("understand", understand), ("retrieve", retrieve), ("plan", plan), ("approve", approve),
                     ("act", act), ("check", check), ("revise", revise), ("answer", answer)):
        g.add_node(name, fn)
    g.add_edge(START, "understand")
    g.add_conditional_edges("understand", _after_understand, ["retrieve", "approve", "answer"])
    g.add_edge("retrieve", "plan")
    g.add_conditional_edges("plan", _after_plan, ["approve", "answer"])
    g.add_conditional_edges("approve", _after_approve, ["act", "plan", "answer"])
    g.add_edge("act", "check")
    g.add_conditional_edges("check", lambda s: "answer" if s.get("done") else "revise", ["revise", "answer"])
    g.add_conditional_edges("revise", lambda s: "answer" if s.get("done") else "approve", ["approve", "answer"])
    g.add_edge("answer", END)
    return g.compile(checkpointer=checkpointer)


def _after_understand(state: AgentState) -> Literal["retrieve", "approve", "answer"]:
    if state.get("skip_plan") and state.get("recipe"):
        return "approve" if state.get("data_path") else "answer"
    return "retrieve"


def _after_plan(state: AgentState) -> Literal["approve", "answer"]:
    """Without data there is nothing to run: present the recipe."""
    return "approve" if state.get("data_path") else "answer"


def _after_approve(state: AgentState) -> Literal["act", "plan", "answer"]:
    if state.get("approved"):
        return "act"
    return "plan" if state.get("feedback") else "answer"


def _parse_decision(decision: Any) -> dict:
    """Resume values: True/'yes'/'approve' run; False/'no' stop; other text is feedback; or a dict
    {approved, feedback, recipe} (an edited recipe replaces the draft)."""
    if isinstance(decision, dict):
        out: dict[str, Any] = {"approved": bool(decision.get("approved")), "feedback": decision.get("feedback")}
        if decision.get("recipe"):
            out["recipe"] = decision["recipe"]
        return out
    if isinstance(decision, bool):
        return {"approved": decision, "feedback": None}
    text = str(decision or "").strip()
    if text.lower() in {"y", "yes", "ok", "approve", "approved", "run", "go"}:
        return {"approved": True, "feedback": None}
    if text.lower() in {"", "n", "no", "reject", "stop", "cancel"}:
        return {"approved": False, "feedback": None}
    return {"approved": False, "feedback": text}


def _with_paths(recipe: dict, state: AgentState) -> dict:
    recipe = dict(recipe)
    recipe.setdefault("project_name", "juicebox")
    if state.get("data_path"):
        recipe.setdefault("dataset_path", state["data_path"])
        recipe.setdefault("export_path", os.path.join(state.get("work_dir") or ".", "processed.jsonl"))
    # put `process` last, as recipes are usually written
    process = recipe.pop("process", [])
    recipe["process"] = process
    return recipe


def _fmt(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else repr(v)


def _facts(state: AgentState) -> dict[str, Any]:
    runs = state.get("runs") or []
    return {"planner": state.get("planner"), "steps": [next(iter(s)) for s in state.get("recipe", {}).get("process", [])],
            "runs": [{**{k: r.get(k) for k in ("num_in", "num_out", "kept_ratio", "per_op", "verdict")},
                      "perplexity": {a: (r.get("experiment") or {}).get(a, {}) and
                                     {m: r["experiment"][a][m] for m in ("mean", "std")} for a in loop.ARMS}}
                     for r in runs],
            "changes": state.get("changes") or []}


def template_answer(state: AgentState) -> str:
    """The answer without an LLM: what was planned, what ran, what changed, what the numbers say (in Chinese when
    the goal was)."""
    zh = _in_chinese(state)

    def t(en: str, cn: str) -> str:
        return cn if zh else en

    recipe = state.get("recipe") or {}
    steps = [next(iter(s)) if isinstance(s, dict) else str(s) for s in recipe.get("process") or []]
    lines = [t(f"Planner: {state.get('planner', BUILTIN_NAME)}.", f"规划器：{state.get('planner', BUILTIN_NAME)}。"),
             t(f"Recipe: {len(steps)} step(s): {', '.join(steps) or 'none'}.",
               f"配方：{len(steps)} 步：{'、'.join(steps) or '无'}。")]
    runs = state.get("runs") or []
    if not runs:
        if not state.get("data_path"):
            lines.append(t("No data set given, so nothing ran; give one (--data PATH) to run it, or /save the recipe.",
                           "还没有给数据集，所以什么都没运行；用 --data PATH（或 /data PATH）给出数据即可运行，或用 /save 保存配方。"))
        elif not state.get("approved"):
            lines.append(t("Not run: approval was not given.", "未运行：没有得到确认。"))
        return "\n".join(lines)
    last = runs[-1]
    lines.append(t(f"Ran {len(runs)} iteration(s); last: kept {last['num_out']} of {last['num_in']} samples "
                   f"({last['kept_ratio']:.1%}).",
                   f"运行了 {len(runs)} 轮；最后一轮保留 {last['num_in']} 条中的 {last['num_out']} 条（{last['kept_ratio']:.1%}）。"))
    worst = max(last.get("per_op") or [], key=lambda p: p["removed"], default=None)
    if worst and worst["removed"]:
        lines.append(t(f"Most removed by {worst['op']}: {worst['removed']} sample(s).",
                       f"删得最多的是 {worst['op']}：{worst['removed']} 条。"))
    for change in state.get("changes") or []:
        lines.append(change)
    exp = last.get("experiment") or {}
    if exp.get("refined"):
        vals = [exp[a][m] for a in loop.ARMS for m in ("mean", "std")]
        lines.append(t("Proxy LM held-out perplexity (mean ± std over {} seed(s)): refined {:.1f} ± {:.1f}, random equal "
                       "size {:.1f} ± {:.1f}, full data {:.1f} ± {:.1f}.".format(len(exp["seeds"]), *vals),
                       "代理语言模型的留出困惑度（{} 个种子的均值 ± 标准差）：精炼后 {:.1f} ± {:.1f}，同样大小的随机子集 "
                       "{:.1f} ± {:.1f}，全部数据 {:.1f} ± {:.1f}。".format(len(exp["seeds"]), *vals)))
    if last.get("verdict"):
        lines.append(t(f"Check: {last['verdict']}.", f"检查：{last['verdict']}。"))
    if last.get("output_path"):
        lines.append(t(f"Output: {last['output_path']}", f"输出：{last['output_path']}"))
    return "\n".join(lines)

