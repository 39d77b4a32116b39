"""OP fusion: identical results to the unfused run, cheap filters first, picklable."""
import pickle
import random

from sandbox_engine.apply import run_ops_on_batch
from sandbox_engine.batches import rows_to_batch
from sandbox_engine.fusion import FusedFilters, fuse_ops
from sandbox_engine.recipe_process import build_ops

PROCESS = [
    {"whitespace_normalization_mapper": None},
    {"words_num_filter": {"min_num": 3}},
    {"stopwords_filter": {"min_ratio": 0.2}},
    {"character_repetition_filter": {"max_ratio": 0.4}},
    {"text_length_filter": {"min_len": 15, "max_len": 400}},
    {"clean_email_mapper": None},
    {"alphanumeric_filter": {"min_ratio": 0.5}},
    {"word_repetition_filter": {"rep_len": 2, "max_ratio": 0.5}},
]


def _samples(n=300, seed=0):
    rng = random.Random(seed)
    words = "the a of and to data model train clean text is in for with on quality".split()
    out = []
    for i in range(n):
        k = rng.randint(0, 60)
        t = " ".join(rng.choice(words) for _ in range(k))
        if i % 7 == 0:
            t = "aaaa" * rng.randint(1, 40)
        if i % 11 == 0:
            t += " mail me at someone@example.com !!!"
        out.append({"text": t, "id": i})
    return out


def test_fused_equals_unfused_including_stats():
    samples = _samples()
    plain = run_ops_on_batch(build_ops(PROCESS), rows_to_batch(samples), batch_size=64)
    ops = build_ops(PROCESS)
    fused = fuse_ops(ops, rows_to_batch(samples[:100]))
    assert sum(isinstance(o, FusedFilters) for o in fused) == 2  # runs of 4 and of 2 filters
    assert len(fused) == 4
    got = run_ops_on_batch(fused, rows_to_batch(samples), batch_size=64)
    assert got["id"] == plain["id"] and got["text"] == plain["text"]
    assert [list(s) for s in got["__dj__stats__"]] == [list(s) for s in plain["__dj__stats__"]]
    assert got["__dj__stats__"] == plain["__dj__stats__"]
    assert 0 < len(got["id"]) < len(samples)


def test_cheapest_filter_runs_first_and_fused_step_pickles():
    samples = _samples(200)
    fused = fuse_ops(build_ops(PROCESS), rows_to_batch(samples))
    step = next(o for o in fused if isinstance(o, FusedFilters))
    names = [f.name for f in step.members]
    assert set(names) == {"words_num_filter", "stopwords_filter", "character_repetition_filter",
                          "text_length_filter"}
    # len() is far cheaper than counting character n-grams
    assert names.index("text_length_filter") < names.index("character_repetition_filter")
    clone = pickle.loads(pickle.dumps(step))
    assert [f.name for f in clone.members] == names


def test_fusion_without_probe_sample_keeps_working():
    samples = _samples(50)
    fused = fuse_ops(build_ops(PROCESS))
    got = run_ops_on_batch(fused, rows_to_batch(samples))
    plain = run_ops_on_batch(build_ops(PROCESS), rows_to_batch(samples))
    assert got["id"] == plain["id"]


def test_executor_op_fusion_gives_identical_files_and_selector_order(tmp_path):
    import json

    from sandbox_engine import process_samples
    from sandbox_engine.executor import run_recipe
    from sandbox_engine.recipe import load_recipe

    samples = _samples(400)
    for s in samples:
        s["meta"] = {"q": (s["id"] * 37) % 101}
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(s) + "\n" for s in samples))
    steps = "".join(f"  - {name}: {json.dumps(args or {})}\n" for step in PROCESS
                    for name, args in step.items())
    steps += "  - topk_specified_field_selector: {field_key: meta.q, topk: 50}\n"
    outs = {}
    for fusion in ("false", "true"):
        rec = tmp_path / f"r_{fusion}.yaml"
        rec.write_text(f"dataset_path: {tmp_path / 'd.jsonl'}\n"
                       f"export_path: {tmp_path / fusion / 'o.jsonl'}\nnp: 2\nop_fusion: {fusion}\n"
                       f"keep_stats_in_res_ds: true\nprocess:\n{steps}")
        run_recipe(load_recipe(rec))
        outs[fusion] = (tmp_path / fusion / "o.jsonl").read_text()
    assert outs["true"] == outs["false"]
    rows = [json.loads(line) for line in outs["true"].splitlines()]
    process = PROCESS + [{"topk_specified_field_selector": {"field_key": "meta.q", "topk": 50}}]
    mem = process_samples(samples, process)
    assert [r["id"] for r in rows] == [r["id"] for r in mem]  # the selector's order, both routes
    qs = [r["meta"]["q"] for r in rows]
    assert qs == sorted(qs, reverse=True) and len(rows) == 50
