"""`juicebox chat`, `juicebox refine` and `juicebox demo` (registered on import by agent.cli)."""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Optional

import typer

from agent.cli import app, friendly_errors

DEMO_GOAL = ("Clean this noisy web text for a small English language model: strip HTML, remove emails "
             "and links, keep English text between 20 and 2000 characters, drop texts with heavy character "
             "repetition or too few stopwords, and remove near-duplicates. Overall, keep at least 55% of "
             "the data.")


@app.command("chat")
@friendly_errors
def chat(name: Optional[str] = typer.Argument(None, metavar="NAME", help="Session name: with --resume the saved "
                                              "session to continue (default: the last one), else the new session's."),
         data: Optional[Path] = typer.Option(None, "--data", help="Data set (JSONL/JSON/parquet) to work on."),
         resume: bool = typer.Option(False, "--resume", help="Continue a saved session (`juicebox chat --resume "
                                     "[NAME]`); without it a new session starts. /sessions lists them."),
         session: Optional[str] = typer.Option(None, "--session", hidden=True, help="Same as NAME."),
         work_dir: Optional[Path] = typer.Option(None, "--work-dir", help="Where runs write their outputs "
                                                 "(default: ./juicebox_runs/<session>/)."),
         new: bool = typer.Option(False, "--new", hidden=True, help="Start a new session (the default now).")) -> None:
    """Talk to the agent: goals in plain words, plans to approve, questions about the data and the results,
    runs (/help inside). Paths are taken from the folder you run it in."""
    from agent.conversation import ChatError, Conversation
    from agent.repl import Repl
    from sandbox_engine.errors import JuiceboxError

    if data is not None and not data.exists():
        raise FileNotFoundError(f"--data: no such file: {data}")
    try:
        conv = Conversation(name or session, data_path=data, work_dir=work_dir, resume=resume)
    except ChatError as err:
        raise JuiceboxError(str(err)) from None
    Repl(conv).loop()


@app.command("refine")
@friendly_errors
def refine(goal: str = typer.Option(..., "--goal", help="What the data should become, in plain words."),
           data: Path = typer.Option(..., "--data", help="Data set (JSONL/JSON/parquet)."),
           max_iters: int = typer.Option(3, "--max-iters", min=1, help="Most plan/run/revise iterations."),
           yes: bool = typer.Option(False, "--yes", "-y", help="Approve every run in advance."),
           work_dir: Path = typer.Option(Path("outputs/refine"), "--work-dir", help="Where outputs go."),
           seeds: Optional[int] = typer.Option(None, "--seeds", min=1, help="Proxy training seeds (default 3)."),
           quick: bool = typer.Option(False, "--quick", help="1 seed and fewer training steps."),
           steps: Optional[int] = typer.Option(None, "--steps", min=1, help="Proxy LM optimizer steps."),
           reference: str = typer.Option("demo:text_reference", "--reference",
                                         help="Clean held-out jsonl for the proxy's perplexity."),
           no_train: bool = typer.Option(False, "--no-train", help="Only run and check the recipe, no proxy "
                                         "experiments.")) -> None:
    """The automated loop: plan, run, probe, train the proxy LM on refined / random equal size / full data,
    check against the goal, revise, until the target or N iterations. Writes the final recipe YAML, each
    version, the diff between iterations, report.md with a perplexity plot, and runs.json."""
    if not data.exists():
        raise FileNotFoundError(f"--data: no such file: {data}")
    from agent.refine_loop import settings_for

    exp = None if no_train else settings_for(seeds, quick, steps=steps, reference=reference).model_dump()
    run_refine(goal, str(data), max_iters, yes, work_dir, experiment=exp)


def run_refine(goal: str, data: str, max_iters: int, yes: bool, work_dir: Path,
               truth: Path | None = None, experiment: dict | None = None, console: Any = None) -> dict[str, Any]:
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.types import Command
    from rich.console import Console

    from agent.graph import Runtime, build_graph
    from agent.nodes.report import write_refine_outputs
    from agent.repl import plan_table, runs_table
    from agent.termplot import perplexity_chart

    console = console or Console(highlight=False)
    runtime = Runtime()
    console.print(f"[bold]juicebox refine[/] — planner: {runtime.planner_name}")
    if experiment:
        console.print(f"Sandbox experiments: tiny proxy LM ({experiment['n_layer']} layers, d={experiment['n_embd']}, "
                      f"{experiment['steps']} steps), seeds {experiment['seeds']}, held-out perplexity on "
                      f"{experiment['reference']}", markup=False)
    graph = build_graph(runtime, InMemorySaver())
    config = {"configurable": {"thread_id": "refine"}}
    work_dir = Path(work_dir).resolve()
    inp: Any = {"goal": goal, "data_path": str(Path(data).resolve()), "work_dir": str(work_dir),
                "max_iters": max_iters, "auto_approve": yes, "refine_mode": True, "experiment": experiment}
    with console.status("working...", spinner="dots") as status:
        while True:
            for mode, chunk in graph.stream(inp, config, stream_mode=["custom", "updates"]):
                if mode == "custom" and isinstance(chunk, dict) and "say" in chunk:
                    console.print(chunk["say"], end="", markup=False, soft_wrap=True)
                elif mode == "updates" and isinstance(chunk, dict):
                    node = next(iter(chunk), "")
                    status.update(f"{node} done; working...")
                    if yes and isinstance(chunk.get("plan"), dict):
                        planned = chunk["plan"]
                        console.print(plan_table(planned["recipe"], planned.get("justifications") or []))
            snap = graph.get_state(config)
            pending = next((i.value for t in snap.tasks or () for i in t.interrupts or ()), None)
            if pending is None:
                break
            status.stop()
            console.print(plan_table(pending["recipe"], pending.get("justifications") or []))
            inp = Command(resume=typer.confirm("Run this recipe?", default=True))
            status.start()
    state = dict(graph.get_state(config).values)
    if state.get("runs"):
        console.print(runs_table(state["runs"]))
        chart = perplexity_chart(state["runs"])
        if chart:
            console.print(chart, markup=False)
    if truth:
        from agent.nodes.report import truth_scores

        for r in state.get("runs") or []:
            if r.get("output_path"):
                r["truth"] = truth_scores(r["output_path"], str(truth), data)
    paths = write_refine_outputs(state, work_dir)
    state["paths"] = paths
    console.print(f"Final recipe: {paths['recipe']}\nDiff between iterations: {paths['diff']}\n"
                  f"Report: {paths['report']}" + (f"\nPlot: {paths['plot']}" if paths.get("plot") else ""),
                  markup=False)
    return state


@app.command("demo")
@friendly_errors
def demo(work_dir: Path = typer.Option(Path("outputs/demo"), "--work-dir", help="Where outputs go."),
         max_iters: int = typer.Option(3, "--max-iters", min=1),
         seeds: Optional[int] = typer.Option(None, "--seeds", min=1, help="Proxy training seeds (default 3)."),
         quick: bool = typer.Option(False, "--quick", help="1 seed and fewer training steps.")) -> None:
    """The main job end to end, offline: a goal in plain words on the shipped noisy text set ->
    plan -> approval given (--yes) -> runs, probes, proxy-model experiments and revisions -> refined
    recipe YAML + report."""
    from agent.refine_loop import settings_for

    data, truth = demo_data(work_dir)
    typer.echo(f"Goal: {DEMO_GOAL}\nData: {data}")
    run_refine(DEMO_GOAL, str(data), max_iters, True, work_dir, truth,
               experiment=settings_for(seeds, quick).model_dump())


def demo_data(work_dir: Path) -> tuple[Path, Path | None]:
    """The shipped noisy text set (and its truth labels) when present, else a small generated one."""
    try:
        from sandbox_engine.sandbox.demo_data import text_demo

        files = text_demo(Path(work_dir) / "demo_data")  # a private copy: shared caches get cleaned
        return Path(files["dataset"]), Path(files["truth"])
    except (ImportError, FileNotFoundError):
        return generate_noisy(work_dir / "noisy_demo.jsonl"), None


def generate_noisy(path: Path, n: int = 300, seed: int = 0) -> Path:
    rng = random.Random(seed)
    words = ("data model train clean text quality sample recipe filter token language corpus web page "
             "research result method useful simple paper learn").split()
    rows = []
    for i in range(n):
        kind = rng.random()
        if kind < 0.15:
            text = rng.choice(["ok", "click here", "<br>", "!!!", "home | about"])
        elif kind < 0.25:
            text = "  ".join(rng.choice("#$%&*@~^") * rng.randint(3, 9) for _ in range(rng.randint(3, 8)))
        else:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 60))).capitalize() + "."
            if rng.random() < 0.3:
                text = text.replace(" ", "   ", 3)
        rows.append({"text": text, "meta": {"id": i}})
    rows += [dict(rows[j], meta={"id": n + j}) for j in range(0, n, 7)]  # duplicates
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path
