"""The agent's typed state, as the LangGraph checkpointer stores it (plain JSON-able values only)."""
from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict


class AgentState(TypedDict, total=False):
    goal: str                      # the user's request in plain words
    data_path: str | None          # the data set the user gave (JSONL/JSON/parquet)
    work_dir: str                  # where runs, recipes and reports go
    auto_approve: bool             # --yes: approval given in advance
    max_iters: int                 # bound on act -> check -> revise loops
    skip_plan: bool                # run the current recipe as it is (/run)
    refine_mode: bool              # `juicebox refine`: revise even without a stated target
    planner: str                   # which planner drafted the recipe (said to the user)
    dataset: dict[str, Any]        # inspect result: size, fields, modality, a sample
    target: dict[str, Any]         # measurable target parsed from the goal (e.g. keep ratio)
    candidates: list[dict[str, Any]]  # retrieved operators {name, why}
    recipe: dict[str, Any]         # the current Data-Juicer recipe (a `process` list)
    justifications: list[str]      # one line per process step: why it is there
    versions: list[dict[str, Any]]  # every recipe version {recipe, why} (for /undo and the diff)
    approved: bool
    feedback: str | None           # the user's words when they did not approve
    runs: list[dict[str, Any]]     # metrics of each act, in order
    iteration: int
    k: float                       # current k of k-sigma revision
    trace_num: int                 # removed samples the tracer keeps per op (chat: what "show me ..." reads)
    experiment: dict[str, Any] | None  # refine: proxy experiment settings (ExperimentSettings); None: run only
    arm_cache: dict[str, Any]      # trained proxy results by pool content (unchanged pools are not retrained)
    analysis_cache: dict[str, Any]  # analyzer stats by the recipe's filter set
    tool_calls: list[str]          # the tools the act step called, in order
    done: bool                     # check found nothing more to do
    answer: str
    notices: Annotated[list[str], operator.add]   # fallbacks and warnings, said once each
    changes: Annotated[list[str], operator.add]   # what changed and why, turn by turn
