"""Data I/O: every input format, mixtures, atomic writers and their round trips."""
import gzip
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sandbox_engine.dataset import (BatchWriter, DataSource, count_rows, load_rows, parse_mixture,
                                    read_batches, write_rows)
from sandbox_engine.atomic import clean_stale_temps
from sandbox_engine.errors import DataFormatError

DEMO = Path(__file__).parent / "data" / "engine" / "demo.jsonl"

ROWS = [
    {"text": "héllo wörld \U0001f600", "meta": {"src": "a", "tags": ["x", "y"]}, "n": 1,
     "__dj__stats__": {"text_len": 13}},
    {"text": "second\nline", "meta": {"src": "b", "tags": []}, "n": 2.5, "__dj__stats__": {"text_len": 11}},
    {"text": "", "meta": None, "n": None, "__dj__stats__": {"text_len": 0}},
]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_missing_keys_read_as_none_and_mixed_numbers_as_floats(tmp_path):
    p = _jsonl(tmp_path / "d.jsonl", [{"text": "a", "n": 1, "meta": {"v": [1, 2]}},
                                      {"text": "b", "n": 2.5, "meta": {"v": [3.5]}},
                                      {"text": "c", "k": 7}])
    rows = load_rows(p)
    assert rows == [{"text": "a", "n": 1.0, "meta": {"v": [1.0, 2.0]}, "k": None},
                    {"text": "b", "n": 2.5, "meta": {"v": [3.5]}, "k": None},
                    {"text": "c", "n": None, "meta": None, "k": 7}]
    assert isinstance(rows[0]["n"], float) and isinstance(rows[2]["k"], int)
    assert count_rows(p) == 3


def test_batches_are_columnar_bounded_and_share_columns(tmp_path):
    p = _jsonl(tmp_path / "d.jsonl", [{"text": str(i)} if i % 2 else {"text": str(i), "x": i}
                                      for i in range(10)])
    batches = list(read_batches(p, batch_size=4))
    assert [len(b["text"]) for b in batches] == [4, 4, 2]
    assert all(list(b) == ["text", "x"] for b in batches)
    assert batches[0]["x"] == [0, None, 2, None]


def test_bad_jsonl_line_names_file_line_and_json_error(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "ok"}\n\n{"text": "broken",}\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad\.jsonl:3: invalid JSON at column \d+: "):
        list(read_batches(p))
    p.write_text('{"text": "ok"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad\.jsonl:2: each line must be a JSON object"):
        count_rows(p)


def test_json_array_lines_and_single_object(tmp_path):
    arr = tmp_path / "a.json"
    arr.write_text(json.dumps(ROWS, indent=2, ensure_ascii=False), encoding="utf-8")
    assert load_rows(arr) == [dict(r, n=float(r["n"]) if r["n"] is not None else None) for r in ROWS]
    lines = _jsonl(tmp_path / "l.json", [{"text": "a"}, {"text": "b"}])
    assert load_rows(lines) == [{"text": "a"}, {"text": "b"}]
    one = tmp_path / "o.json"
    one.write_text('{\n  "text": "only",\n  "meta": {"a": 1}\n}\n', encoding="utf-8")
    assert load_rows(one) == [{"text": "only", "meta": {"a": 1}}]
    bad = tmp_path / "b.json"
    bad.write_text('[\n {"text": "a"},\n {"text": oops}\n]\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"b\.json:3: invalid JSON"):
        load_rows(bad)


def test_json_array_streams_across_chunk_boundaries(tmp_path, monkeypatch):
    from sandbox_engine.formats import jsonio

    monkeypatch.setattr(jsonio, "_CHUNK", 7)
    rows = [{"text": "x" * i, "n": 10 ** 12 + i} for i in range(30)]
    p = tmp_path / "a.json"
    p.write_text(json.dumps(rows), encoding="utf-8")
    assert load_rows(p) == rows


def test_csv_and_tsv_types_like_pandas(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text('text,n,x,flag,s\n"hello, world",1,1.5,True,NA\nbye,2,,False,word\nlast,3,2,true,\n',
                 encoding="utf-8")
    assert load_rows(p) == [
        {"text": "hello, world", "n": 1, "x": 1.5, "flag": True, "s": None},
        {"text": "bye", "n": 2, "x": None, "flag": False, "s": "word"},
        {"text": "last", "n": 3, "x": 2.0, "flag": True, "s": None},
    ]
    t = tmp_path / "d.tsv"
    t.write_text("text\tscore\na b\t7\nc\t\n", encoding="utf-8")
    assert load_rows(t) == [{"text": "a b", "score": 7.0}, {"text": "c", "score": None}]
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad\.csv:3: expected 2 fields, saw 3"):
        load_rows(bad)


def test_text_folder_one_sample_per_file_with_dj_suffix(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("first file\nwith two lines\n", encoding="utf-8")
    (folder / "sub" / "b.md").write_text("# title", encoding="utf-8")
    (folder / ".hidden.txt").write_text("skip me", encoding="utf-8")
    (folder / "notes.unknown").write_text("skip me too", encoding="utf-8")
    assert load_rows(folder) == [{"text": "first file\nwith two lines\n"}, {"text": "# title"}]
    assert load_rows(folder, add_suffix=True) == [
        {"text": "first file\nwith two lines\n", "__dj__suffix__": ".txt"},
        {"text": "# title", "__dj__suffix__": ".md"}]
    assert load_rows(folder, suffixes=["md"]) == [{"text": "# title"}]


def test_mixed_format_folder(tmp_path):
    folder = tmp_path / "mix"
    folder.mkdir()
    _jsonl(folder / "a.jsonl", [{"text": "from jsonl", "meta": {"k": 1}}])
    write_rows(folder / "b.parquet", [{"text": "from parquet", "score": 0.5}])
    (folder / "c.txt").write_text("from text", encoding="utf-8")
    with gzip.open(folder / "d.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write('{"text": "from gzip"}\n')
    rows = load_rows(folder, add_suffix=True)
    assert [(r["text"], r["__dj__suffix__"]) for r in rows] == [
        ("from jsonl", ".jsonl"), ("from parquet", ".parquet"), ("from text", ".txt"),
        ("from gzip", ".jsonl.gz")]
    assert rows[1] == {"text": "from parquet", "meta": None, "__dj__suffix__": ".parquet", "score": 0.5}
    assert count_rows(folder) == 4


def test_mixture_syntax_samples_by_weight_deterministically(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl", [{"text": f"a{i}"} for i in range(10)])
    b = _jsonl(tmp_path / "b.jsonl", [{"text": f"b{i}"} for i in range(4)])
    assert parse_mixture(f"0.5 {a} {b}") == [(0.5, str(a)), (1.0, str(b))]
    spec = f"0.5 {a} 2 {b}"
    src = DataSource(spec)
    rows = [r["text"] for r in load_rows(spec)]
    assert src.count() == len(rows) == 5 + 8
    assert len(set(rows[:5])) == 5 and set(rows[:5]) <= {f"a{i}" for i in range(10)}
    assert sorted(rows[5:]) == sorted([f"b{i}" for i in range(4)] * 2)
    assert rows == [r["text"] for r in load_rows(spec)]  # seeded
    assert [r["text"] for r in load_rows(f"1.0 {a} 1 {b}")] == [f"a{i}" for i in range(10)] + [
        f"b{i}" for i in range(4)]


def test_missing_and_unsupported_inputs_are_clear(tmp_path):
    with pytest.raises(DataFormatError, match="does not exist.*never downloads"):
        count_rows(tmp_path / "nope.jsonl")
    odd = tmp_path / "x.xlsx"
    odd.write_text("x")
    with pytest.raises(DataFormatError, match="unsupported data file suffix '.xlsx'"):
        count_rows(odd)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFormatError, match="no data files found"):
        count_rows(tmp_path / "empty")
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(DataFormatError, match="bad.parquet: not a readable Parquet file"):
        count_rows(bad)


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".parquet"])
def test_every_format_round_trips(tmp_path, suffix):
    path = write_rows(tmp_path / f"out{suffix}", ROWS)
    back = load_rows(path)
    expected = [dict(r, n=None if r["n"] is None else float(r["n"])) for r in ROWS]
    assert back == expected
    assert [p.name for p in tmp_path.iterdir()] == [f"out{suffix}"]  # no temp files left


def test_parquet_batches_with_changing_columns_are_unified(tmp_path):
    with BatchWriter(tmp_path / "o.parquet") as w:
        w.write({"text": ["a", "b"], "n": [1, 2]})
        w.write({"text": ["c"], "n": [1.5], "extra": [{"k": 1}]})
        w.write({"text": ["d"], "__dj__stats__": [{}]})
    assert load_rows(tmp_path / "o.parquet") == [
        {"text": "a", "n": 1.0, "extra": None, "__dj__stats__": None},
        {"text": "b", "n": 2.0, "extra": None, "__dj__stats__": None},
        {"text": "c", "n": 1.5, "extra": {"k": 1}, "__dj__stats__": None},
        {"text": "d", "n": None, "extra": None, "__dj__stats__": None}]


def test_json_export_is_an_array_and_empty_outputs_are_valid(tmp_path):
    write_rows(tmp_path / "o.json", [{"text": "a"}, {"text": "b"}])
    assert json.loads((tmp_path / "o.json").read_text()) == [{"text": "a"}, {"text": "b"}]
    for suffix in (".jsonl", ".json", ".parquet"):
        write_rows(tmp_path / f"e{suffix}", [])
        assert load_rows(tmp_path / f"e{suffix}") == []
    assert (tmp_path / "e.jsonl").read_text() == ""
    with pytest.raises(DataFormatError, match=r"cannot write \.csv"):
        write_rows(tmp_path / "o.csv", [{"text": "a"}])


def test_writer_error_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text('{"text": "old"}\n')
    with pytest.raises(RuntimeError):
        with BatchWriter(target) as w:
            w.write({"text": ["new1", "new2"]})
            raise RuntimeError("crash in the middle")
    assert target.read_text() == '{"text": "old"}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_killed_writer_never_leaves_a_partial_file(tmp_path):
    """SIGKILL while writing: the target keeps its old content (only a hidden temp file remains)."""
    target = tmp_path / "out.jsonl"
    target.write_text('{"text": "old"}\n')
    script = textwrap.dedent(f"""
        import os, signal
        from sandbox_engine.dataset import BatchWriter
        w = BatchWriter({str(target)!r})
        for i in range(50):
            w.write({{"text": [f"row {{i}}"] * 100}})
        w._fh.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text() == '{"text": "old"}\n'
    visible = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert visible == ["out.jsonl"]
    assert clean_stale_temps(tmp_path) == 1  # the dead writer's hidden temp file
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_demo_fixture_reads_with_nulls_for_missing_keys():
    rows = load_rows(DEMO)
    assert len(rows) == 12 and set(rows[0]) == {"text", "meta", "score"}
    assert rows[6]["meta"] is None and rows[7]["score"] == 1.0
    assert os.path.getsize(DEMO) > 0
