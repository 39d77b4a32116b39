"""The built-in planner: the goal suite's floor, the quantity parser, and recipes the engine accepts."""
import pytest

from agent.planner import builtin_planner
from agent.planner.goal_parser import find_quantities, prepare, split_clauses
from evals.run_planner_eval import load_goals, score


@pytest.fixture(scope="module")
def planner():
    return builtin_planner(use_catalog=False)


def plan(planner, goal):
    return planner.plan(goal).recipe["process"]


def test_goal_suite_floor(planner):
    goals = load_goals()
    assert len(goals) >= 60
    res = score(goals, lambda g: plan(planner, g))
    assert res["exact"] >= 0.9, [f["goal"] for f in res["failures"]]
    assert res["op_precision"] >= 0.95 and res["op_recall"] >= 0.95


def test_goal_suite_floor_with_catalog_retriever(tmp_path, monkeypatch):
    monkeypatch.setenv("JUICEBOX_HOME", str(tmp_path))
    p = builtin_planner(use_catalog=True, vector=False)
    res = score(load_goals(), lambda g: p.plan(g).recipe["process"])
    assert res["exact"] >= 0.9


@pytest.mark.parametrize("text,bound,value,hi,unit", [
    ("at least 50 characters", "lower", 50, None, "char"),
    ("under 2k", "upper", 2000, None, None),
    ("between 50 and 2,000 chars", "range", 50, 2000, "char"),
    ("30%", "none", 0.3, None, "pct"),
    ("fewer than 5 words", "upper", 5, None, "word"),
    ("alnum ratio above 0.6", "lower", 0.6, None, None),
    ("2k+ characters", "lower", 2000, None, "char"),
    ("500 characters or more", "lower", 500, None, "char"),
])
def test_quantities(text, bound, value, hi, unit):
    q, = find_quantities(prepare(text))
    assert (q.bound, q.value, q.hi, q.unit) == (bound, value, hi, unit)


def test_sizes_keep_their_unit(planner):
    assert plan(planner, "drop images larger than 10 MB") == [{"image_size_filter": {"max_size": "10MB"}}]


def test_clauses_do_not_split_ranges():
    parts = [t for _, t in split_clauses(prepare("keep texts between 50 and 2,000 chars, then dedupe"))]
    assert parts == ["keep texts between 50 and 2000 chars", "dedupe"]


@pytest.mark.parametrize("goal,expected", [
    ("Keep only English", [{"language_id_score_filter": {"lang": "en"}}]),
    ("keep Chinese text with a language score of at least 0.9",
     [{"language_id_score_filter": {"lang": "zh", "min_score": 0.9}}]),
    ("remove samples where meta.score is below 0.3",
     [{"specified_numeric_field_filter": {"field_key": "meta.score", "min_value": 0.3}}]),
    ("drop texts shorter than 50 characters", [{"text_length_filter": {"min_len": 50}}]),
    ("keep texts shorter than 50 characters", [{"text_length_filter": {"max_len": 50}}]),
])
def test_polarity_languages_and_fields(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_order_follows_data_juicer_recipes(planner):
    steps = plan(planner, "randomly keep 1000 samples, dedupe, drop texts under 10 words, strip html")
    assert [next(iter(s)) for s in steps] == ["clean_html_mapper", "words_num_filter",
                                              "document_deduplicator", "random_selector"]


def test_each_step_is_justified(planner):
    out = planner.plan("remove emails and drop texts under 20 chars")
    assert len(out.justifications) == len(out.recipe["process"]) == 2
    assert all(j.strip() for j in out.justifications)


def test_planned_arguments_are_valid_for_registered_ops(planner):
    """Every drafted step of the suite builds in the engine (right argument names and types)."""
    from sandbox_engine.ops.base import OPERATORS, load_builtin_ops

    load_builtin_ops()
    checked = 0
    for g in load_goals():
        for step in plan(planner, g["goal"]):
            (op, args), = step.items()
            if op in OPERATORS:
                fields = OPERATORS[op].Args.model_fields
                assert set(args) <= set(fields), (op, args)
                OPERATORS[op].Args(**args)  # types and ranges
                checked += 1
    assert checked > 50


def test_unmatched_words_add_nothing(planner):
    assert plan(planner, "hello there, how are you") == []


def test_share_of_the_data_is_a_target_not_a_dedup_threshold():
    from agent.planner import builtin_planner

    goal = ("strip HTML, remove near-duplicates. Overall, keep at least 55% of the data.")
    process = builtin_planner().plan(goal).recipe["process"]
    assert {"document_minhash_deduplicator": {}} in process
    follow = builtin_planner().plan("remove near duplicate pages, threshold 0.8").recipe["process"]
    assert follow == [{"document_minhash_deduplicator": {"jaccard_threshold": 0.8}}]
