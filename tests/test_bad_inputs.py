"""Bad inputs to `juicebox run`: each ends in exit code 2 and one paragraph naming the place (file and
line, or the op and sample) and what would be valid, or, where Data-Juicer skips, in a counted skip
(run_summary.json and the screen). Never a traceback, and the input files are never changed."""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from sandbox_engine.ops.base import load_builtin_ops

GOOD = '{"text": "hello world, a fine sample"}\n{"text": "second sample here"}\n'
STEP = "- text_length_filter: {min_len: 1}"


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file()}


def run(tmp_path: Path, data: bytes | str | None, steps: str = STEP, head: str = "",
        data_name: str = "data.jsonl", recipe_text: str | None = None, args: tuple = ()):
    """Write the data and a recipe, run the CLI in-process; (exit code, output, summary or None)."""
    if data is not None:
        p = tmp_path / data_name
        p.write_bytes(data.encode() if isinstance(data, str) else data)
    recipe = tmp_path / "recipe.yaml"
    if recipe_text is None:
        recipe_text = (f"dataset_path: {tmp_path / data_name}\nexport_path: {tmp_path / 'out' / 'o.jsonl'}\n"
                       f"np: 1\n{head}process:\n  " + steps.replace("\n", "\n  ") + "\n")
    recipe.write_text(recipe_text, encoding="utf-8")
    before = _digest(tmp_path)
    res = CliRunner().invoke(app, ["run", str(recipe), "--no-progress", *args])
    after = {k: v for k, v in _digest(tmp_path).items() if k in before}
    assert after == before, "an input file was changed"
    out = res.output  # stdout and stderr together
    assert "Traceback" not in out
    assert res.exit_code in (0, 2), (res.exit_code, out, res.exception)
    summary_path = tmp_path / "out" / "run_summary.json"
    summary = json.loads(summary_path.read_text()) if res.exit_code == 0 else None
    return res.exit_code, " ".join(out.split()), summary


def fails(tmp_path, *fragments, **kw) -> str:
    code, out, _ = run(tmp_path, **kw)
    assert code == 2, out
    assert out.startswith("error:"), out
    for f in fragments:
        assert f in out, f"{f!r} not in {out!r}"
    return out


# -- data files -------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, fragments", [
    ('{"text": "a"}\n{"text": "b"\n', ["data.jsonl:2", "invalid JSON", "one JSON object"]),
    (b'{"text": "a"}\n{"text": "caf\xe9"}\n', ["data.jsonl:2", "not UTF-8", "re-encode"]),
    ('{"text": "a"}\n[1, 2]\n', ["data.jsonl:2", "JSON object", "got list"]),
    ('{"text": "a"}\n"just a string"\n', ["data.jsonl:2", "got str"]),
    ('{"text": "a"}\n' + "[" * 100000 + "\n", ["data.jsonl:2"]),
])
def test_bad_jsonl_lines(tmp_path, data, fragments):
    fails(tmp_path, *fragments, data=data)


def test_json_array_with_a_non_object(tmp_path):
    fails(tmp_path, "data.json", "JSON objects", data='[{"text": "a"},\n 3]', data_name="data.json")


def test_json_array_with_trailing_text(tmp_path):
    fails(tmp_path, "data.json:2", "after the end of the JSON array", data='[{"text": "a"}]\n{"x": 1}',
          data_name="data.json")


def test_truncated_gzip(tmp_path):
    blob = gzip.compress(GOOD.encode() * 3000)
    fails(tmp_path, "data.jsonl.gz", "truncated or corrupt", data=blob[: len(blob) // 2],
          data_name="data.jsonl.gz")


def test_truncated_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["a sample"] * 500}), tmp_path / "full.parquet")
    blob = (tmp_path / "full.parquet").read_bytes()
    (tmp_path / "full.parquet").unlink()
    fails(tmp_path, "data.parquet", "not a readable Parquet file", data=blob[: len(blob) // 2],
          data_name="data.parquet")


def test_csv_row_with_extra_fields(tmp_path):
    fails(tmp_path, "data.csv:3", "expected 1 fields", data="text\nfine\na,b\n", data_name="data.csv")


def test_missing_dataset(tmp_path):
    fails(tmp_path, "does not exist", data=None)


def test_ten_megabyte_line(tmp_path):
    big = json.dumps({"text": "word " * 2_100_000}) + "\n" + GOOD
    code, out, summary = run(tmp_path, big, steps="- words_num_filter: {min_num: 1}")
    assert code == 0 and summary["rows_out"] == 3, out


# -- samples an op cannot handle: a counted skip (Data-Juicer's skip_op_error), or a clear error ------

WRONG_TYPED = '{"text": "three words here"}\n{"text": 5}\n{"text": null}\n{"id": 4}\n'


@pytest.mark.parametrize("step", ["- words_num_filter: {min_num: 1}", "- clean_email_mapper: {}"])
def test_wrong_typed_text_is_a_counted_skip(tmp_path, step):
    code, out, summary = run(tmp_path, WRONG_TYPED, steps=step)
    assert code == 0, out
    op = summary["ops"][0]
    assert op["skipped"] == summary["rows_skipped"] == 1
    assert "text=5" in op["skip_examples"][0]
    assert f"skipped: {op['name']} (process[0]) failed on 1 sample(s)" in out


def test_wrong_typed_text_without_skip_op_error(tmp_path):
    fails(tmp_path, "operator 'words_num_filter' failed on the sample {text=5", "skip_op_error",
          data=WRONG_TYPED, steps="- words_num_filter: {min_num: 1, skip_op_error: false}")


def test_missing_images_are_a_counted_skip(tmp_path):
    data = '{"text": "a", "images": ["/nonexistent/a.png"]}\n{"text": "b", "images": []}\n'
    code, out, summary = run(tmp_path, data, steps="- image_size_filter: {min_size: 1}")
    assert code == 0 and summary["rows_out"] == 1 and summary["rows_skipped"] == 1, out
    assert "/nonexistent/a.png" in summary["ops"][0]["skip_examples"][0]


def test_missing_videos_are_a_counted_skip(tmp_path):
    if "video_duration_filter" not in load_builtin_ops():
        pytest.skip("video_duration_filter is not registered in this build")
    data = '{"text": "a", "videos": ["/nonexistent/a.mp4"]}\n{"text": "b", "videos": []}\n'
    code, out, summary = run(tmp_path, data, steps="- video_duration_filter: {min_duration: 0}")
    assert code == 0 and summary["rows_out"] == 1 and summary["rows_skipped"] == 1, out


def test_text_key_no_sample_has(tmp_path):
    fails(tmp_path, "reads field 'content' (text_key)", "The data's fields are: text", "nothing was run",
          data=GOOD, head="text_keys: content\n")


def test_field_key_no_sample_has(tmp_path):
    fails(tmp_path, "reads field 'meta.score' (field_key)", "fields are: text",
          data=GOOD, steps="- topk_specified_field_selector: {field_key: meta.score, topk: 1}")


# -- recipes ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("recipe, fragments", [
    ("dataset_path: d.jsonl\nprocess:\n  - a: [\n", ["recipe.yaml:4", "invalid YAML"]),
    ("- just\n- a list\n", ["must be a YAML mapping"]),
    ("dataset_path: d.jsonl\nprocess:\n  text_length_filter: {min_len: 1}\n",
     ["recipe.yaml:2", "must be a list of single-key mappings"]),
    ("dataset_path: d.jsonl\nprocess:\n  - text_length_filter: 5\n", ["arguments must be a mapping"]),
    ("dataset_path: d.jsonl\nprocesss: []\n", ["unknown recipe key 'processs'", "did you mean 'process'"]),
    ("dataset_path: d.jsonl\nnp: -2\nprocess: []\n",
     ["recipe.yaml:2", "'np' = -2", "greater than or equal to 1"]),
    ("dataset_path: d.jsonl\nprocess:\n  - foo_filter:\n  - bar_mapper:\n",
     ["2 operators of this recipe do not exist", "'foo_filter'", "'bar_mapper'"]),
])
def test_bad_recipes(tmp_path, recipe, fragments):
    fails(tmp_path, *fragments, data=GOOD, recipe_text=recipe)


@pytest.mark.parametrize("step, fragments", [
    ("- text_length_filter: {min_lenn: 1}", ["unknown argument 'min_lenn'", "did you mean 'min_len'"]),
    ("- text_length_filter: {min_len: abc}", ["'min_len' = 'abc'", "valid integer"]),
    ("- text_length_filter: {num_proc: 0}", ["'num_proc' = 0"]),
    ("- text_length_filter: {accelerator: gpu}", ["'accelerator' = 'gpu'"]),
    ("- words_num_filter: {lang: 5}", ["words_num_filter", "'lang'"]),
])
def test_bad_op_arguments(tmp_path, step, fragments):
    fails(tmp_path, "recipe.yaml:5", *fragments, data=GOOD, steps=step)


def test_negative_np_on_the_command_line(tmp_path):
    code, out, _ = run(tmp_path, GOOD, args=("--np", "-2"))
    assert code == 2 and "--np" in out and "greater than or equal to 1" in out


def test_export_path_equal_to_the_input(tmp_path):
    data = tmp_path / "data.jsonl"
    recipe = f"dataset_path: {data}\nexport_path: {data}\nprocess:\n  - text_length_filter:\n"
    fails(tmp_path, "is one of the input files", "never modified", data=GOOD, recipe_text=recipe)


def test_numbers_written_as_data_juicer_reads_them(tmp_path):
    code, out, summary = run(tmp_path, GOOD, steps="- text_length_filter: {min_len: '1', max_len: 2e5}\n"
                                                   "- words_num_filter: {min_num: 1_000, max_num: '1e6'}")
    assert code == 0 and summary["rows_out"] == 0, out
