"""The tracer: removed samples, mapper edits and duplicate pairs under work_dir/trace/."""
from pathlib import Path

from sandbox_engine.dataset import load_rows
from sandbox_engine.executor import run_recipe
from sandbox_engine.ops.base import build_op
from sandbox_engine.recipe import recipe_from_dict
from sandbox_engine.tracer import TraceCollector, Tracer

DEMO = Path(__file__).parent / "data" / "engine" / "demo.jsonl"
PROCESS = [{"whitespace_normalization_mapper": None},
           {"text_length_filter": {"min_len": 10}},
           {"document_deduplicator": None}]


def _run(tmp_path, **extra):
    r = recipe_from_dict({"dataset_path": str(DEMO), "export_path": str(tmp_path / "res.jsonl"), "np": 1,
                          "open_tracer": True, "process": PROCESS, **extra})
    return run_recipe(r)


def test_trace_files_have_dj_names_and_shapes(tmp_path):
    s = _run(tmp_path)
    trace = tmp_path / "trace"
    assert sorted(p.name for p in trace.iterdir()) == [
        "duplicate-document_deduplicator.jsonl", "filter-text_length_filter.jsonl",
        "mapper-whitespace_normalization_mapper.jsonl"]
    assert sorted(s.trace_files) == sorted(str(p) for p in trace.iterdir())
    edits = load_rows(trace / "mapper-whitespace_normalization_mapper.jsonl")
    assert edits[0] == {"original text": "  Today is Sunday and it's a happy day!  ",
                        "processed_text": "Today is Sunday and it's a happy day!"}
    assert len(edits) == 2 and all(e["original text"] != e["processed_text"] for e in edits)
    removed = load_rows(trace / "filter-text_length_filter.jsonl")
    assert [r["text"] for r in removed] == ["ok", ""]
    assert [r["__dj__stats__"]["text_len"] for r in removed] == [2, 0]
    pairs = load_rows(trace / "duplicate-document_deduplicator.jsonl")
    assert len(pairs) == 2
    for p in pairs:
        assert p["dup1"]["text"] == p["dup2"]["text"] and p["dup1"]["__dj__hash"] == p["dup2"]["__dj__hash"]
    assert pairs[0]["dup1"]["meta"] == {"src": "a", "id": 1} and pairs[0]["dup2"]["meta"]["id"] == 4


def test_op_list_and_trace_num_limit_what_is_traced(tmp_path):
    _run(tmp_path, op_list_to_trace=["text_length_filter"], trace_num=1)
    files = list((tmp_path / "trace").iterdir())
    assert [p.name for p in files] == ["filter-text_length_filter.jsonl"]
    assert [r["text"] for r in load_rows(files[0])] == ["ok"]


def test_no_trace_when_closed_or_nothing_changed(tmp_path):
    r = recipe_from_dict({"dataset_path": str(DEMO), "export_path": str(tmp_path / "res.jsonl"), "np": 1,
                          "process": PROCESS})
    assert run_recipe(r).trace_files == [] and not (tmp_path / "trace").exists()
    s = _run(tmp_path / "b", process=[{"text_length_filter": {"min_len": 0}}])
    assert s.trace_files == []


def test_collector_merges_in_order_up_to_trace_num(tmp_path):
    op = build_op("text_length_filter", {"min_len": 3})
    tracer = Tracer(tmp_path, ["text_length_filter"], [], trace_num=3)
    for batch in ({"text": ["a", "bb", "long"]}, {"text": ["c", "dd"]}):
        c = tracer.collector()
        batch["__dj__stats__"] = [{"text_len": len(t)} for t in batch["text"]]
        c.filter_removed(op, batch, [len(t) >= 3 for t in batch["text"]])
        tracer.merge(c.records)
    (path,) = tracer.write()
    assert [r["text"] for r in load_rows(path)] == ["a", "bb", "c"]
    mapper = build_op("whitespace_normalization_mapper")
    c = TraceCollector(5, trace_keys=("id",))
    c.mapper_edits(mapper, {"text": [" x ", "y"], "id": [1, 2]}, {"text": ["x", "y"], "id": [1, 2]})
    assert c.records[0][3] == [{"id": 1, "original text": " x ", "processed_text": "x"}]
    c.mapper_edits(mapper, {"text": ["a b"]}, {"text": ["a", "b"]})  # sample count changed
    assert c.records[1][3] == [{"text": "a"}, {"text": "b"}]
