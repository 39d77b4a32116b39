"""The file executor: same samples as process_samples, exports, checkpoints, kill-and-resume."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from sandbox_engine import process_samples
from sandbox_engine.dataset import load_rows
from sandbox_engine.errors import DataFormatError, RecipeError
from sandbox_engine.executor import run_recipe
from sandbox_engine.recipe import recipe_from_dict

DATA = Path(__file__).parent / "data" / "engine"
DEMO = DATA / "demo.jsonl"
SLOW_OPS = DATA / "slow_ops.py"

PROCESS = [
    {"whitespace_normalization_mapper": None},
    {"text_length_filter": {"min_len": 10, "max_len": 10000}},
    {"document_deduplicator": {"lowercase": True, "ignore_non_character": True}},
    {"words_num_filter": {"min_num": 3}},
]


def _recipe(tmp_path: Path, process=PROCESS, **extra) -> Path:
    data = {"project_name": "t", "dataset_path": str(DEMO), "export_path": str(tmp_path / "out" / "res.jsonl"),
            "np": 1, "process": process, **extra}
    p = tmp_path / "recipe.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return p


def test_file_route_equals_process_samples(tmp_path):
    s = run_recipe(_recipe(tmp_path))
    out = load_rows(s.export_path)
    expected = process_samples(load_rows(DEMO), PROCESS)
    assert out == expected and len(out) == s.rows_out
    assert s.rows_in == 12 and 0 < s.rows_out < 12
    counts = [(o.name, o.rows_in, o.rows_out) for o in s.ops]
    assert counts[0] == ("whitespace_normalization_mapper", 12, 12)
    assert counts[-1][2] == len(out)
    assert all(counts[i][2] == counts[i + 1][1] for i in range(len(counts) - 1))
    summary = json.loads((tmp_path / "out" / "run_summary.json").read_text())
    assert summary["rows_out"] == len(out) and summary["ops"][1]["removed"] == counts[1][1] - counts[1][2]


def test_parallel_workers_keep_order_and_results(tmp_path):
    process = [{"whitespace_normalization_mapper": {"batch_size": 2}},
               {"text_length_filter": {"min_len": 5, "batch_size": 2}},
               {"document_deduplicator": None}]
    s = run_recipe(_recipe(tmp_path, process, np=2))
    assert s.np == 2
    assert load_rows(s.export_path) == process_samples(load_rows(DEMO), process)


def test_stats_file_and_keep_stats(tmp_path):
    s = run_recipe(_recipe(tmp_path))
    out = load_rows(s.export_path)
    assert all("__dj__stats__" not in r and "__dj__hash" not in r for r in out)
    stats = load_rows(s.stats_path)
    assert Path(s.stats_path).name == "res_stats.jsonl" and len(stats) == len(out)
    assert list(stats[0]) == ["__dj__stats__"] and {"text_len", "num_words"} <= set(stats[0]["__dj__stats__"])
    kept = run_recipe(_recipe(tmp_path, keep_stats_in_res_ds=True, keep_hashes_in_res_ds=True))
    rows = load_rows(kept.export_path)
    assert [r["__dj__stats__"] for r in rows] == [r["__dj__stats__"] for r in stats]
    assert all("__dj__hash" in r for r in rows)
    assert process_samples(load_rows(DEMO), PROCESS, keep_stats=True) == [
        {k: v for k, v in r.items() if k != "__dj__hash"} for r in rows]


@pytest.mark.parametrize("suffix", [".json", ".parquet"])
def test_other_export_formats(tmp_path, suffix):
    s = run_recipe(_recipe(tmp_path), export_path=str(tmp_path / f"res{suffix}"))
    assert load_rows(s.export_path) == process_samples(load_rows(DEMO), PROCESS)


def test_inputs_are_never_modified(tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_bytes(DEMO.read_bytes())
    before = data.read_bytes()
    run_recipe(_recipe(tmp_path, dataset_path=str(data)))
    assert data.read_bytes() == before
    with pytest.raises(RecipeError, match="is one of the input files"):
        run_recipe(_recipe(tmp_path, dataset_path=str(data), export_path=str(data)))
    assert data.read_bytes() == before


def test_bad_inputs(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": nope}\n')
    with pytest.raises(DataFormatError, match=r"bad\.jsonl:2: invalid JSON"):
        run_recipe(_recipe(tmp_path, dataset_path=str(bad)))
    assert not (tmp_path / "out" / "res.jsonl").exists()
    with pytest.raises(DataFormatError, match=r"cannot write \.txt"):
        run_recipe(_recipe(tmp_path, export_path=str(tmp_path / "o.txt")))


def test_recipe_object_and_folder_input(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("  a text file long enough  ")
    (folder / "b.txt").write_text("tiny")
    r = recipe_from_dict({"dataset_path": str(folder), "export_path": str(tmp_path / "o.jsonl"),
                          "add_suffix": True, "np": 1,
                          "process": [{"whitespace_normalization_mapper": None},
                                      {"text_length_filter": {"min_len": 5}}]})
    s = run_recipe(r)
    assert load_rows(s.export_path) == [{"text": "a text file long enough", "__dj__suffix__": ".txt"}]


def test_checkpoint_resume_and_invalidation(tmp_path):
    p = _recipe(tmp_path, use_checkpoint=True)
    first = run_recipe(p)
    manifest = json.loads((tmp_path / "out" / "ckpt" / "manifest.json").read_text())
    assert [d["index"] for d in manifest["done"]] == [0, 1, 2, 3]
    again = run_recipe(p)
    assert again.resumed_ops == 4 and all(o.resumed for o in again.ops)
    assert load_rows(again.export_path) == load_rows(first.export_path)
    assert [o.rows_out for o in again.ops] == [o.rows_out for o in first.ops]
    changed = PROCESS[:2] + [PROCESS[2], {"words_num_filter": {"min_num": 5}}]
    p2 = _recipe(tmp_path, changed, use_checkpoint=True)
    third = run_recipe(p2)
    assert third.resumed_ops == 3 and [o.resumed for o in third.ops] == [True, True, True, False]
    assert load_rows(third.export_path) == process_samples(load_rows(DEMO), changed)
    ckpt_files = sorted(f.name for f in (tmp_path / "out" / "ckpt").iterdir())
    assert len(ckpt_files) == 5  # four op outputs + manifest, the stale one removed


def _slow_recipe(tmp_path: Path, name: str, n: int = 60) -> Path:
    data = tmp_path / "slow.jsonl"
    if not data.exists():
        rows = [{"text": f"  sample number {i % 45} with some words  ", "id": i} for i in range(n)]
        data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / name
    recipe = {"project_name": name, "dataset_path": str(data), "export_path": str(out / "res.jsonl"),
              "np": 1, "use_checkpoint": True, "custom_operator_paths": [str(SLOW_OPS)],
              "process": [{"whitespace_normalization_mapper": None},
                          {"test_slow_upper_mapper": {"delay": 0.15, "batch_size": 4}},
                          {"text_length_filter": {"min_len": 5}},
                          {"document_deduplicator": None}]}
    p = tmp_path / f"{name}.yaml"
    p.write_text(yaml.safe_dump(recipe, sort_keys=False))
    return p


def _juicebox(*args: str) -> list[str]:
    return [sys.executable, "-c", "from agent.cli import app; app()", *args]


def test_kill_and_resume_loses_and_doubles_nothing(tmp_path):
    """SIGKILL `juicebox run` in the middle of the slow op, rerun: same samples as an uninterrupted
    run, and the first op is not run again."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    ref = _slow_recipe(tmp_path, "ref")
    done = subprocess.run(_juicebox("run", str(ref), "--no-progress"), capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    expected = load_rows(tmp_path / "ref" / "res.jsonl")
    assert len(expected) == 45 and expected[0]["text"] == "SAMPLE NUMBER 0 WITH SOME WORDS"

    run = _slow_recipe(tmp_path, "run")
    manifest = tmp_path / "run" / "ckpt" / "manifest.json"
    proc = subprocess.Popen(_juicebox("run", str(run), "--no-progress"), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if manifest.exists() and json.loads(manifest.read_text() or "{}").get("done"):
            break
        time.sleep(0.05)
    time.sleep(0.5)  # now inside the slow op (15 batches x 0.15 s)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not (tmp_path / "run" / "res.jsonl").exists()
    state = json.loads(manifest.read_text())
    assert 1 <= len(state["done"]) < 4

    again = subprocess.run(_juicebox("run", str(run), "--no-progress", "--json"), capture_output=True,
                           text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["resumed_ops"] >= 1 and summary["ops"][0]["resumed"] is True
    got = load_rows(tmp_path / "run" / "res.jsonl")
    assert got == expected
    leftovers = [p.name for d in (tmp_path / "run", tmp_path / "run" / "ckpt") for p in d.iterdir()
                 if ".jbtmp-" in p.name]
    assert leftovers == []
    assert len({r["id"] for r in got}) == len(got)
