"""The recipe model: loading Data-Juicer YAML as is, precise errors, dumping back."""
import textwrap
from pathlib import Path

import pytest
import yaml

from sandbox_engine.errors import OpArgumentError, RecipeError, UnknownOpError
from sandbox_engine.recipe import Recipe, load_recipe, recipe_from_dict

DEMO_RECIPE = Path(__file__).parent / "data" / "engine" / "demo_recipe.yaml"


def _write(tmp_path: Path, text: str, name: str = "recipe.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return p


def test_loads_dj_recipe_with_defaults():
    r = load_recipe(DEMO_RECIPE)
    assert r.project_name == "engine-demo" and r.np == 1 and r.text_key == "text"
    assert r.op_names() == ["whitespace_normalization_mapper", "text_length_filter",
                            "document_deduplicator", "words_num_filter"]
    assert r.steps()[0] == ("whitespace_normalization_mapper", {})
    assert r.trace_num == 10 and r.executor_type == "default" and r.image_key == "images"
    ops = r.build_ops()
    assert [op.name for op in ops] == r.op_names() and ops[1].args.min_len == 10
    assert r.work_path() == Path("./outputs/engine-demo")


def test_text_keys_list_uses_first_and_passes_it_to_ops(tmp_path):
    p = _write(tmp_path, """
        dataset_path: d.jsonl
        text_keys: [content, other]
        image_key: pics
        process:
          - text_length_filter: {min_len: 3}
    """)
    r = load_recipe(p)
    op = r.build_ops()[0]
    assert r.text_key == "content" and op.args.text_key == "content" and op.args.image_key == "pics"


def test_known_dj_keys_accepted_unknown_key_rejected_with_line(tmp_path):
    ok = _write(tmp_path, """
        project_name: p
        dataset_path: d.jsonl
        export_path: out.jsonl
        use_cache: false
        ds_cache_dir: null
        op_fusion: true
        fusion_strategy: probe
        export_in_parallel: false
        percentiles: [0.1, 0.9]
        hpo_config: null
        process: []
    """, "ok.yaml")
    assert load_recipe(ok).percentiles == [0.1, 0.9]
    bad = _write(tmp_path, """
        project_name: p
        dataset_path: d.jsonl
        export_pth: out.jsonl
    """)
    with pytest.raises(RecipeError, match=r"recipe\.yaml:3: unknown recipe key 'export_pth'\. "
                                          r"did you mean 'export_path'"):
        load_recipe(bad)


def test_unknown_op_names_file_line_and_closest(tmp_path):
    p = _write(tmp_path, """
        dataset_path: d.jsonl
        process:
          - whitespace_normalization_mapper:
          - text_lenght_filter:
              min_len: 3
    """)
    with pytest.raises(UnknownOpError, match=r"recipe\.yaml:4 \(process\[1\]\): unknown operator "
                                             r"'text_lenght_filter'\. did you mean 'text_length_filter'"):
        load_recipe(p)


def test_unknown_argument_points_at_its_line(tmp_path):
    p = _write(tmp_path, """
        dataset_path: d.jsonl
        process:
          - text_length_filter:
              min_len: 3
              max_lenn: 10
    """)
    with pytest.raises(OpArgumentError, match=r"recipe\.yaml:5 \(process\[0\]\): operator "
                                              r"'text_length_filter': unknown argument 'max_lenn'\. "
                                              r"did you mean 'max_len'"):
        load_recipe(p)


def test_invalid_value_names_op_argument_value_and_rule(tmp_path):
    p = _write(tmp_path, """
        dataset_path: d.jsonl
        process:
          - text_length_filter:
              min_len: ten
    """)
    with pytest.raises(OpArgumentError, match=r"recipe\.yaml:4 .*'text_length_filter'.*argument "
                                              r"'min_len' = 'ten': Input should be a valid integer"):
        load_recipe(p)
    q = _write(tmp_path, """
        dataset_path: d.jsonl
        np: -2
    """, "np.yaml")
    with pytest.raises(RecipeError, match=r"np\.yaml:2: key 'np' = -2: Input should be greater"):
        load_recipe(q)
    e = _write(tmp_path, """
        dataset_path: d.jsonl
        executor_type: spark
    """, "ex.yaml")
    with pytest.raises(RecipeError, match=r"ex\.yaml:2: key 'executor_type' = 'spark'.*'default'"):
        load_recipe(e)


def test_malformed_yaml_and_process(tmp_path):
    p = _write(tmp_path, """
        dataset_path: d.jsonl
        process:
          - text_length_filter: {min_len: 3
    """)
    with pytest.raises(RecipeError, match=r"recipe\.yaml:\d+: invalid YAML"):
        load_recipe(p)
    q = _write(tmp_path, """
        process:
          - text_length_filter: {}
            words_num_filter: {}
    """, "two.yaml")
    with pytest.raises(RecipeError, match=r"two\.yaml:1: process\[0\]: each step must be a mapping "
                                          r"with exactly one op name"):
        load_recipe(q)
    with pytest.raises(RecipeError, match="must be a YAML mapping"):
        load_recipe(_write(tmp_path, "- a\n- b\n", "list.yaml"))
    with pytest.raises(RecipeError, match="does not exist"):
        load_recipe(tmp_path / "missing.yaml")


def test_dump_round_trips_as_dj_yaml(tmp_path):
    r = load_recipe(DEMO_RECIPE)
    text = r.to_yaml()
    data = yaml.safe_load(text)
    assert data["process"][0] == {"whitespace_normalization_mapper": {}}
    assert all(isinstance(s, dict) and len(s) == 1 for s in data["process"])
    assert data["dataset_path"] == "demo.jsonl" and data["np"] == 1
    assert set(data) <= set(Recipe.model_fields)
    again = recipe_from_dict(data)
    assert again.steps() == r.steps() and again.export_path == r.export_path
    out = r.dump(tmp_path / "dumped.yaml")
    assert load_recipe(out, validate_ops=False).steps() == r.steps()


def test_relative_dataset_path_falls_back_to_recipe_folder(tmp_path, monkeypatch):
    from sandbox_engine.dataset import DataSource

    monkeypatch.chdir(tmp_path)
    r = load_recipe(DEMO_RECIPE)
    src = DataSource(r.dataset_spec(), base_dir=r.base_dir)
    assert src.files == [DEMO_RECIPE.parent / "demo.jsonl"]
    (tmp_path / "demo.jsonl").write_text('{"text": "cwd wins"}\n')  # Data-Juicer: CWD first
    assert DataSource(r.dataset_spec(), base_dir=r.base_dir).files == [Path("demo.jsonl")]


def test_dataset_config_form_and_signature(tmp_path):
    r = recipe_from_dict({"dataset": {"configs": [{"type": "local", "path": "a.jsonl", "weight": 0.5},
                                                  {"type": "local", "path": "b.jsonl"}]},
                          "process": [{"text_length_filter": {"min_len": 3}}]})
    assert r.dataset_spec() == [(0.5, "a.jsonl"), (1.0, "b.jsonl")]
    with pytest.raises(RecipeError, match="only .*type: local"):
        recipe_from_dict({"dataset": {"configs": [{"type": "huggingface", "path": "x/y"}]}}).dataset_spec()
    sig = r.process_signature()
    r2 = recipe_from_dict({"process": [{"text_length_filter": {"min_len": 4}}]})
    assert len(sig) == 1 and sig != r2.process_signature()
