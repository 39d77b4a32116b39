"""Acceptance: `juicebox chat` in a real terminal (pexpect), run from a temporary folder with a relative
--data path: goal -> plan; a question about the data answered with the count (English and Chinese);
/approve runs on the relative path and says where the outputs are; "show me 3 samples the length filter
removed" shows them; /save writes into that folder; `juicebox run` runs the saved file."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.agent.chat_data import SHORT, write_mini

pexpect = pytest.importorskip("pexpect")
PROMPT = "juicebox> "


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "JUICEBOX_"))}
    env.update(JUICEBOX_HOME=str(home), JUICEBOX_PLANNER="builtin", NO_COLOR="1", TERM="dumb", COLUMNS="200",
               OMP_NUM_THREADS="1", PYTHONIOENCODING="utf-8")
    return env


def _turn(chat, line: str, *expected: str) -> str:
    """Type a line; each expected pattern must come, in order, before the next prompt. Returns what the
    chat printed."""
    chat.sendline(line)
    chat.expect_exact(line)  # the terminal's echo
    said = ""
    for pattern in expected:
        chat.expect(pattern)
        said += chat.before + chat.after
    chat.expect_exact(PROMPT)
    return said + chat.before


@pytest.mark.timeout(240)
def test_chat_session_in_a_terminal(tmp_path):
    folder = tmp_path / "project"
    write_mini(folder / "data" / "mini.jsonl")
    env = _env(tmp_path / "home")
    started = time.perf_counter()
    chat = pexpect.spawn(sys.executable, ["-m", "agent", "chat", "--data", "data/mini.jsonl"], cwd=str(folder),
                         env=env, encoding="utf-8", timeout=120, dimensions=(60, 200))
    try:
        chat.expect_exact(PROMPT, timeout=30)
        assert time.perf_counter() - started < 3.0, "the prompt must come within 3 s"

        _turn(chat, "drop texts shorter than 20 characters and remove exact duplicates",
              "text_length_filter", "min_len=20", r"\w+_deduplicator", "Awaiting approval")
        _turn(chat, "how many samples are in my data?", r"Your data has 40 samples")
        _turn(chat, "数据里有多少条样本？", "数据共有 40 条样本")
        _turn(chat, "how many exact duplicates are there?", re.escape("2 of the 40 samples (5.0%)"))
        session_dir = folder / "juicebox_runs"
        out = _turn(chat, "/approve", r"kept 32 of 40 samples", "Outputs are in ")
        assert re.search(re.escape(str(session_dir)) + r"/s[\d-]+/run-1", out.replace("\r\n", ""))

        shown = _turn(chat, "show me 3 samples the length filter removed",
                      re.escape("3 sample(s) removed by text_length_filter"))
        assert sum(s in shown for s in SHORT) >= 3 and "text_len=" in shown

        _turn(chat, "/save cleaned.yaml", "Saved the recipe to")
        chat.sendline("/quit")
        chat.expect(pexpect.EOF)
    finally:
        chat.close(force=True)
    assert chat.exitstatus == 0

    outputs = list(session_dir.glob("*/run-1/iter_1/processed.jsonl"))
    assert len(outputs) == 1 and len(outputs[0].read_text().splitlines()) == 32
    saved = folder / "cleaned.yaml"
    assert saved.is_file() and "dataset_path: data/mini.jsonl" in saved.read_text()
    run = subprocess.run([sys.executable, "-m", "agent", "run", "cleaned.yaml"], cwd=folder, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "40 -> 32" in run.stdout
