"""Data-Juicer's own published recipes (copies in tests/data/dj_recipes) load and run on Data-Juicer's
demo data: numbers such as `2e5` read as Data-Juicer reads them, refusals only with a clear message
(an operator that does not exist, a model not in the local cache, a field the data lacks)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sandbox_engine.errors import JuiceboxError, ModelUnavailableError, RecipeError, UnknownOpError
from sandbox_engine.executor import run_recipe
from sandbox_engine.models import clip
from sandbox_engine.models.hub_cache import find_cached
from sandbox_engine.recipe import load_recipe

HERE = Path(__file__).parent / "data" / "dj_recipes"
DEMO = HERE / "demo-dataset.jsonl"
TEXT_RECIPES = ["pile-europarl-refine.yaml", "pile-philpaper-refine.yaml", "redpajama-arxiv-refine.yaml",
                "stack-code-refine.yaml", "demo-process.yaml", "demo-dedup.yaml"]


@pytest.fixture(autouse=True)
def empty_hub_cache(tmp_path, monkeypatch):
    """No Hugging Face cache but the ones a test fills ($HF_HUB_CACHE, $HF_HOME/hub)."""
    from sandbox_engine.models import hub_cache

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    real = hub_cache.cache_roots
    monkeypatch.setattr(hub_cache, "cache_roots", lambda: real()[:2])


def test_cache_roots_follow_the_environment(tmp_path, monkeypatch):
    from sandbox_engine.models import hub_cache

    monkeypatch.undo()  # the fixture's patch: check the real lookup order
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "a"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "b"))
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    assert hub_cache.cache_roots()[:2] == [tmp_path / "a", tmp_path / "b" / "hub"]
    assert hub_cache.cache_roots()[-1] == Path("~/.cache/huggingface/hub").expanduser()


@pytest.mark.parametrize("name", TEXT_RECIPES)
def test_text_recipes_load(name):
    recipe = load_recipe(HERE / name)
    ops = recipe.build_ops()
    assert [op.name for op in ops] == recipe.op_names()


def test_exponent_numbers_read_as_data_juicer_reads_them():
    ops = {op.name: op for op in load_recipe(HERE / "pile-philpaper-refine.yaml").build_ops()}
    assert ops["text_length_filter"].args.max_len == 2_000_000
    assert ops["words_num_filter"].args.max_num == 200_000
    assert ops["maximum_line_length_filter"].args.max_len == 1_000_000


def test_fractional_bounds_of_integer_stats_keep_the_same_samples():
    text = (HERE / "llava-pretrain-refine.yaml").read_text(encoding="utf-8")
    step = {"image_shape_filter": {"max_width": 748.4115, "min_height": 2.5}}
    from sandbox_engine.recipe_process import build_ops

    op, = build_ops([step])
    assert (op.args.max_width, op.args.min_height) == (748, 3)
    op, = build_ops([{"image_shape_filter": {**step["image_shape_filter"], "reversed_range": True}}])
    assert (op.args.max_width, op.args.min_height) == (749, 2)  # the flags flip: open bounds
    assert "max_width: 748.4115" in text


def _run(tmp_path, name, data=DEMO, **kw):
    out = tmp_path / "out" / "result.jsonl"
    summary = run_recipe(load_recipe(HERE / name), dataset_path=str(data), export_path=str(out), np=1, **kw)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    return summary, rows


@pytest.mark.parametrize("name", ["pile-europarl-refine.yaml", "redpajama-arxiv-refine.yaml"])
def test_text_recipes_run_on_the_demo_data(tmp_path, name):
    summary, rows = _run(tmp_path, name)
    assert summary.rows_in == 6 and summary.rows_out == len(rows)
    # words_num_filter min_num 20: none of the short demo texts is long enough
    assert rows == []
    assert summary.ops[-1].name == "document_simhash_deduplicator"
    assert (tmp_path / "out" / "trace").is_dir()  # open_tracer: true


def test_stack_code_recipe_on_text_data_names_the_missing_field(tmp_path):
    with pytest.raises(RecipeError, match=r"reads field 'content' \(text_key\).*fields are: meta, text"):
        _run(tmp_path, "stack-code-refine.yaml")
    assert not (tmp_path / "out" / "result.jsonl").exists()


def test_stack_code_recipe_on_code_data(tmp_path):
    code = "def add(a, b):\n    return a + b\n" * 12 + "# " + "word " * 30 + "\n"
    data = tmp_path / "code.jsonl"
    data.write_text(json.dumps({"content": code}) + "\n" + json.dumps({"content": "x = 1"}) + "\n",
                    encoding="utf-8")
    summary, rows = _run(tmp_path, "stack-code-refine.yaml", data=data)
    assert summary.rows_in == 2
    # the one-line snippet has fewer than 20 words (words_num_filter reads `content`)
    assert summary.ops[0].rows_in == 2 and summary.ops[12].name == "words_num_filter"
    assert all("x = 1" != r["content"] for r in rows)


def test_llava_recipe_refuses_only_with_a_clear_message(tmp_path):
    with pytest.raises((ModelUnavailableError, UnknownOpError)) as info:
        load_recipe(HERE / "llava-pretrain-refine.yaml")
    msg = str(info.value)
    assert "llava-pretrain-refine.yaml:" in msg
    if isinstance(info.value, ModelUnavailableError):
        assert "openai/clip-vit-base-patch32" in msg and "models--openai--clip-vit-base-patch32" in msg


def test_hub_names_found_in_the_local_cache(tmp_path):
    snap = tmp_path / "hub" / "models--openai--clip-vit-base-patch32" / "snapshots" / "abc"
    snap.mkdir(parents=True)
    with pytest.raises(ModelUnavailableError, match="not in the local Hugging Face cache"):
        clip.resolve("openai/clip-vit-base-patch32")
    (snap / "config.json").write_text("{}", encoding="utf-8")
    assert find_cached("openai/clip-vit-base-patch32") == snap
    assert clip.resolve("openai/clip-vit-base-patch32") == (snap, None)
    shutil.rmtree(tmp_path / "hub")
    hf_home = tmp_path / "hf" / "hub" / "models--org--name" / "snapshots" / "r1"
    hf_home.mkdir(parents=True)
    (hf_home / "config.json").write_text("{}", encoding="utf-8")
    from sandbox_engine.models.local_hf import local_model_dir

    assert local_model_dir("org/name", "op", "hf_model", "a model", "org/name") == hf_home
    with pytest.raises(JuiceboxError, match="Hugging Face cache"):
        local_model_dir("org/other", "op", "hf_model", "a model", "org/other")


def test_demo_configs_run_on_the_demo_data(tmp_path):
    summary, rows = _run(tmp_path, "demo-process.yaml")  # a `dataset: {configs: [...]}` recipe
    assert summary.rows_in == 6 and rows and all(r["meta"]["src"] == "customized" for r in rows)
    summary, rows = _run(tmp_path, "demo-dedup.yaml")
    minhash = summary.ops[1]
    # punctuation tokens of the short English demo texts are fewer than window_size 5: no shingle,
    # so Data-Juicer's minhash raises on them and skip_op_error drops them (counted)
    assert minhash.name == "document_minhash_deduplicator" and minhash.skipped == minhash.rows_in > 0
    assert rows == []
