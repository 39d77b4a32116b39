"""optuna HPO over filter thresholds: search space from the data, resume from the sqlite study, improvement
over the recipe's own thresholds on real clean text mixed with real gibberish, the minimum kept share."""
from __future__ import annotations

import pytest

from sandbox_engine.sandbox.demo_data import read_jsonl, write_jsonl
from sandbox_engine.sandbox.hpo import HPOArgs, OptunaHPO, apply_params, run_hpo, search_space
from sandbox_engine.sandbox.trainers import COMPONENTS

TRAINER = dict(vocab_size=500, n_embd=32, n_layer=1, n_head=2, seq_len=32, batch_size=16, steps=40)


@pytest.fixture(scope="module")
def noisy(text_files, tmp_path_factory):
    rows = read_jsonl(text_files["dataset"])
    kind = {t["id"]: t["kind"] for t in read_jsonl(text_files["truth"])}
    clean = [r for r in rows if kind[r["id"]] == "clean"][:90]
    noise = [r for r in rows if kind[r["id"]] == "gibberish"][:60]
    d = tmp_path_factory.mktemp("hpo")
    return {"path": str(write_jsonl(d / "noisy.jsonl", clean + noise)), "reference": str(text_files["reference"]),
            "n": len(clean) + len(noise), "n_clean": len(clean)}


def _args(noisy, **kw):
    recipe = {"dataset_path": noisy["path"], "process": [{"stopwords_filter": {"min_ratio": 0.0}}]}
    return HPOArgs(**{"recipe": recipe, "reference": noisy["reference"], "trainer": TRAINER,
                      "max_reference": 100, **kw})


def test_search_space_from_quantiles(noisy):
    rows = read_jsonl(noisy["path"])
    process = [{"stopwords_filter": {"min_ratio": 0.0}}, {"text_length_filter": {}},
               {"whitespace_normalization_mapper": None}]
    space = {p.name: p for p in search_space(process, rows, _args(noisy))}
    sw = space["0.stopwords_filter.min_ratio"]  # only the threshold the step sets
    assert "0.stopwords_filter.max_ratio" not in space
    assert sw.stat == "stopwords_ratio" and sw.low == 0.0 and 0.1 < sw.high < 0.5 and sw.initial == 0.0
    lo, hi = space["1.text_length_filter.min_len"], space["1.text_length_filter.max_len"]  # sets none: both
    assert lo.is_int and hi.is_int and lo.high <= hi.low
    assert hi.high == max(len(r["text"]) for r in rows)  # the default (sys.maxsize) is clipped to the data
    assert hi.initial == hi.high
    assert not any(k.startswith("2.") for k in space)  # mappers have no thresholds
    tuned = apply_params({"process": process}, list(space.values()), {sw.name: 0.2, lo.name: 12.7})
    assert tuned["process"][0] == {"stopwords_filter": {"min_ratio": 0.2}}
    assert tuned["process"][1] == {"text_length_filter": {"min_len": 12}}
    assert process[0] == {"stopwords_filter": {"min_ratio": 0.0}}  # the input is left alone


def test_resume_and_improve(noisy, tmp_path):
    work = tmp_path / "hpo"
    first = run_hpo(_args(noisy, n_trials=2), work)
    assert first["n_trials"] == 2 and (work / "hpo_study.db").exists()
    assert first["trials"][0]["initial"] and first["trials"][0]["params"] == {"0.stopwords_filter.min_ratio": 0.0}
    # a new process reopens the same storage: 2 more trials, 4 recorded, the first two unchanged
    second = run_hpo(_args(noisy, n_trials=4), work)
    assert second["n_trials"] == 4
    assert [t["value"] for t in second["trials"][:2]] == [t["value"] for t in first["trials"]]
    # the search removes the gibberish (no stopwords) and beats the recipe's own threshold
    assert second["improved"] and second["best_value"] < second["initial_value"]
    best = second["best_recipe"]["process"][0]["stopwords_filter"]["min_ratio"]
    assert best > 0.0 and second["best_kept_ratio"] >= 0.2
    assert (work / "hpo_best_recipe.yaml").exists()
    # a finished study runs nothing more
    again = run_hpo(_args(noisy, n_trials=4), work)
    assert again["n_trials"] == 4 and again["best_value"] == second["best_value"]


def test_min_keep_ratio_rejects_trivial_answers(noisy, tmp_path):
    res = run_hpo(_args(noisy, n_trials=3, min_keep_ratio=0.95, trainer={**TRAINER, "steps": 10}), tmp_path)
    states = [t["state"] for t in res["trials"]]
    assert states[0] == "COMPLETE"  # the initial recipe keeps everything
    rejected = [t for t in res["trials"] if "rejected" in t]
    assert rejected and all(t["state"] == "PRUNED" and t["kept_ratio"] < 0.95 for t in rejected)
    assert res["best_kept_ratio"] >= 0.95


def test_stale_running_trial_is_failed_on_resume(noisy, tmp_path):
    import optuna

    db = tmp_path / "s.db"
    study = optuna.create_study(study_name="juicebox_hpo", storage=f"sqlite:///{db}")
    study.ask()  # a trial left RUNNING, as by a killed search
    res = run_hpo(_args(noisy, n_trials=1, storage=str(db), trainer={**TRAINER, "steps": 5}), tmp_path)
    states = [t["state"] for t in res["trials"]]
    assert states[0] == "FAIL" and states.count("COMPLETE") == 1


def test_component_and_errors(noisy, tmp_path):
    from sandbox_engine.errors import RecipeError

    assert COMPONENTS["optuna_hpo"] is OptunaHPO and OptunaHPO.kind == "refiner"
    with pytest.raises(RecipeError, match="optuna_hpo.*min_keep_ratio"):
        OptunaHPO(recipe={}, min_keep_ratio=0)
    comp = OptunaHPO(recipe={"dataset_path": noisy["path"], "process": [{"whitespace_normalization_mapper": None}]})
    with pytest.raises(RecipeError, match="no filter"):
        comp.run(tmp_path)
    with pytest.raises(RecipeError, match="trainer"):
        run_hpo(_args(noisy, trainer={"n_layers": 2}), tmp_path)


def test_runs_from_the_model_feedback_hook(noisy, tmp_path):
    import yaml

    from sandbox_engine.sandbox.hooks import JobContext, RefineRecipeViaModelFeedbackHook

    extra = {"type": "optuna_hpo", "recipe": {"dataset_path": noisy["path"],
                                              "process": [{"stopwords_filter": {"min_ratio": 0.0}}]},
             "reference": noisy["reference"], "trainer": {**TRAINER, "steps": 4}, "n_trials": 1, "max_reference": 20}
    RefineRecipeViaModelFeedbackHook.check("p.hpo", None, extra, set())
    path, recipe, summary = RefineRecipeViaModelFeedbackHook().run(
        JobContext("p.hpo", {}, extra, tmp_path, {"work_dir": str(tmp_path)}))
    assert yaml.safe_load(open(path)) == recipe and summary["n_trials"] == 1
    assert recipe["process"] == [{"stopwords_filter": {"min_ratio": 0.0}}]  # one trial: the recipe's own
