"""Data-aware planning: the profile measures what is in a data set; ops are proposed or dropped
from it; unstated thresholds are calibrated from the data's own stats."""
import gzip
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import tools.data_profile as dp
from tools.data_profile import calibrate, irrelevant_ops, profile_dataset, suggest_ops

DEMO = Path(__file__).resolve().parents[2] / "sandbox_engine" / "assets" / "demo"


@pytest.fixture(scope="module")
def demo():
    return profile_dataset(DEMO / "text_demo.jsonl.gz", sample=2000)


def _truth(name):
    with gzip.open(DEMO / name, "rt", encoding="utf-8") as f:
        return {r["id"]: r["kind"] for r in map(json.loads, f)}


def test_demo_text_profile_matches_the_injected_noise(demo):
    assert demo.samples == 5400 and demo.samples_exact and demo.sampled == 2000
    assert demo.sample_kind == "uniform" and len({r["id"] for r in demo.rows}) == 2000
    assert demo.fields == {"id": "str", "text": "str"} and demo.text_key == "text" and demo.modality == "text"
    truth = _truth("text_demo_truth.jsonl.gz")
    kinds = [truth[r["id"]] for r in demo.rows]
    share = lambda *ks: sum(k in ks for k in kinds) / len(kinds)  # noqa: E731
    # HTML was injected into the 'html' kind only; the 'email_link' kind carries e-mails and links
    assert demo.shares.html == pytest.approx(share("html"), abs=0.003)
    assert demo.shares.email >= share("email_link") * 0.9 and demo.shares.link >= share("email_link") * 0.5
    # 'too_short' samples are one or two words
    assert demo.shares.near_empty <= share("too_short") + 0.002
    assert demo.shares.very_long == pytest.approx(share("too_long"), abs=0.01)
    # 100 per other language out of 5400: ~1.9% each; English (clean + English noise) leads
    assert demo.main_language() == "en" and demo.languages["en"] > 0.8
    for lang in ("de", "es", "ru", "zh"):
        assert demo.languages[lang] == pytest.approx(share(f"other_language_{lang}"), abs=0.01)
    lengths = sorted(len(r["text"]) for r in demo.rows)
    assert demo.chars.min == lengths[0] and demo.chars.max == lengths[-1]
    assert demo.chars.median == np.percentile(lengths, 50) and demo.chars.p5 == np.percentile(lengths, 5)
    assert demo.words.median < demo.chars.median
    assert any("5,400 samples" in line for line in demo.summary())


def test_demo_image_profile(tmp_path):
    prof = profile_dataset(DEMO / "image_demo.jsonl.gz", sample=500)
    assert prof.samples == 3030 and prof.sampled == 500 and prof.modality == "image-text"
    assert prof.media_keys == {"image": "images"} and prof.fields["images"] == "list[str]"
    assert prof.main_language() == "en"  # the <__dj__image> token is not read as a language
    # template captions repeat, but repeated captions are not repeated samples
    assert prof.shares.exact_duplicate > 0.5
    assert "document_deduplicator" not in dict(suggest_ops(prof))
    assert dict(irrelevant_ops(prof, [{"image_shape_filter": {}}])) == {}


ROWS = ([{"text": f"<div>Page {i} of the shop: fine shoes and boots for every season.</div>"} for i in range(4)]
        + [{"text": f"Write to team{i}@example.org about order {i} and its delivery date."} for i in range(2)]
        + [{"text": "See https://example.com/docs for the full manual of the device."}]
        + [{"text": "Server 192.168.1.20 went down at noon; users could not log in."}]
        + [{"text": "ok"}]
        + [{"text": "The same sentence repeated in several samples of the set."}] * 4
        + [{"text": f"A plain English sentence number {i} about the weather today and tomorrow."}
           for i in range(8)])


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


def test_small_file_shares_are_exact(small):
    prof = profile_dataset(small)
    n = len(ROWS)
    assert prof.samples == n and prof.sampled == n and prof.sample_kind == "all" and prof.samples_exact
    s = prof.shares
    got = (s.html, s.email, s.link, s.ip, s.exact_duplicate, s.near_empty, s.garbled)
    assert got == pytest.approx((4 / n, 2 / n, 1 / n, 1 / n, 3 / n, 1 / n, 0), abs=1e-4)
    suggested = dict(suggest_ops(prof, language="en"))
    assert {"clean_html_mapper", "clean_email_mapper", "clean_ip_mapper", "document_deduplicator"} <= set(suggested)
    assert suggested["clean_html_mapper"] == f"{4 / n:.0%} of your samples contain HTML tags"
    process = [{"clean_html_mapper": {}}, {"chinese_convert_mapper": {"mode": "t2s"}},
               {"remove_bibliography_mapper": {}}, {"image_shape_filter": {"min_width": 32}},
               {"text_chunk_mapper": {"max_len": 1000}}, {"document_deduplicator": {}}]
    dropped = dict(irrelevant_ops(prof, process))
    assert set(dropped) == {"chinese_convert_mapper", "remove_bibliography_mapper", "image_shape_filter",
                            "text_chunk_mapper"}
    assert "no Chinese text" in dropped["chinese_convert_mapper"]


def test_nothing_to_clean_means_cleaning_ops_are_irrelevant(tmp_path):
    path = tmp_path / "clean.jsonl"
    path.write_text("".join(json.dumps({"text": f"Sentence {i} is plain and unique."}) + "\n" for i in range(30)))
    prof = profile_dataset(path)
    assert suggest_ops(prof) == []
    dropped = dict(irrelevant_ops(prof, [{"clean_html_mapper": {}}, {"clean_email_mapper": {}},
                                         {"document_deduplicator": {}}, {"words_num_filter": {}}]))
    assert dropped["clean_html_mapper"] == "none of the 30 sampled texts contains HTML tags"
    assert set(dropped) == {"clean_html_mapper", "clean_email_mapper", "document_deduplicator"}


def test_language_filter_suggested_for_a_stated_language(small, tmp_path):
    path = tmp_path / "mixed.jsonl"
    rows = ROWS[-8:] + [{"text": "这是一段关于今天天气的中文句子，明天可能会下雨。"}] * 2
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    prof = profile_dataset(path)
    assert prof.languages == {"en": 0.8, "zh": 0.2}
    assert "language_id_score_filter" in dict(suggest_ops(prof, language="en"))
    assert "language_id_score_filter" not in dict(suggest_ops(prof))


def test_calibrate_takes_the_percentiles_of_the_data(demo):
    lengths = [len(r["text"]) for r in demo.rows]
    p5, p95 = np.percentile(lengths, 5), np.percentile(lengths, 95)
    process = [{"text_length_filter": {"min_len": 10, "max_len": 100000}}]
    out, notes = calibrate(process, demo, unstated=[("text_length_filter", "min_len")])
    assert out == [{"text_length_filter": {"min_len": math.floor(p5), "max_len": 100000}}]
    assert notes == [f"text_length_filter: min_len = {math.floor(p5)}: the 5th percentile of your data's "
                     "text_len (characters) (measured on 2,000 samples; was 10)"]
    assert process[0]["text_length_filter"]["min_len"] == 10  # the input is not modified
    out, notes = calibrate(process, demo)  # nothing stated: both bounds
    assert out[0]["text_length_filter"] == {"min_len": math.floor(p5), "max_len": math.ceil(p95)}
    assert len(notes) == 2 and "95th percentile" in notes[1]
    out, _ = calibrate(process, demo, unstated=[(0, "max_len")], high=99)  # by step index
    assert out[0]["text_length_filter"] == {"min_len": 10, "max_len": math.ceil(np.percentile(lengths, 99))}


def test_calibrate_ksigma_and_ratio_arguments(demo):
    from sandbox_engine.inmemory import compute_stats

    stats = [s["__dj__stats__"]["special_char_ratio"]
             for s in compute_stats(demo.rows, [{"special_characters_filter": {}}])]
    out, notes = calibrate([{"special_characters_filter": {"max_ratio": 0.25}}], demo, method="ksigma", k=2)
    want = round(min(np.mean(stats) + 2 * np.std(stats), 1.0), 4)
    assert out[0]["special_characters_filter"]["max_ratio"] == pytest.approx(want, abs=1e-4)
    assert "the mean + 2 standard deviations" in notes[0]


def test_calibrate_leaves_no_op_bounds_and_degenerate_percentiles_alone(small):
    prof = profile_dataset(small)
    # max_len defaults to sys.maxsize: no bound, so it stays; min_len's default 10 is a real bound
    out, notes = calibrate([{"text_length_filter": {}}], prof)
    assert set(out[0]["text_length_filter"]) == {"min_len"} and len(notes) == 1
    # no sample repeats words: a max at the 95th percentile would be 0 and drop any repetition
    out, notes = calibrate([{"word_repetition_filter": {"rep_len": 10, "max_ratio": 0.2}}], prof)
    assert out[0]["word_repetition_filter"]["max_ratio"] == 0.2 and notes == []
    # a reversed range keeps what lies outside it: left alone
    reversed_step = [{"text_length_filter": {"min_len": 5, "max_len": 20, "reversed_range": True}}]
    assert calibrate(reversed_step, prof) == (reversed_step, [])
    # an op with no stats (a mapper) is untouched
    assert calibrate([{"clean_html_mapper": {}}], prof) == ([{"clean_html_mapper": {}}], [])


def test_bound_from_metadata_or_name():
    from pydantic import Field
    from pydantic.fields import FieldInfo

    meta: FieldInfo = Field(3, json_schema_extra={"measure": "characters", "bound": "max"})
    assert dp._bound(meta, "shortest") == "max"
    assert dp._bound(Field(1), "min_width") == "min" and dp._bound(Field(1), "max_score") == "max"
    assert dp._bound(Field(True), "min_closed_interval") is None and dp._bound(Field(1), "rep_len") is None


def test_large_files_are_sampled_from_the_head_with_an_estimated_count(tmp_path, monkeypatch):
    monkeypatch.setattr(dp, "EXACT_COUNT_BYTES", 1)
    rows = [{"text": f"row {i} " + "word " * (i % 7), "n": i} for i in range(3000)]
    plain = tmp_path / "big.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows))
    packed = tmp_path / "big.jsonl.gz"
    with gzip.open(packed, "wt") as f:
        f.write(plain.read_text())
    for path in (plain, packed):
        prof = profile_dataset(path, sample=400)
        assert prof.sampled == 400 and prof.sample_kind == "head" and not prof.samples_exact
        assert [r["n"] for r in prof.rows[:3]] == [0, 1, 2]
        assert prof.samples == pytest.approx(3000, rel=0.25), path.name
        assert any("estimated" in line for line in prof.summary())


def test_other_formats_and_dialog_data(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("title,body\nA,This is a much longer body text of the first row.\nB,Second body text here.\n")
    prof = profile_dataset(csv)
    assert prof.text_key == "body" and prof.samples == 2 and prof.modality == "text"
    sft = tmp_path / "sft.jsonl"
    sft.write_text(json.dumps({"query": "Why?", "response": "Because the sky scatters blue light."}) + "\n")
    prof = profile_dataset(sft)
    assert prof.modality == "dialog" and prof.text_key == "response"
    with pytest.raises(Exception, match="does not exist"):
        profile_dataset(tmp_path / "missing.jsonl")


def test_profile_is_fast(demo):
    import time

    t = time.perf_counter()
    profile_dataset(DEMO / "text_demo.jsonl.gz", sample=2000)
    assert time.perf_counter() - t < 6.0  # ~1 s on 2 cores; slack for a busy CI box


# notes and reasons in the user's language: the same numbers and names, Chinese words around them
ENGLISH_WORDS = re.compile(r"\b(?:the|of|your|data|percentile|mean|standard|measured|samples?|was|none|texts?|"
                           r"contains?|exact|duplicate|sampled|languages?|no|has|images)\b", re.I)


def test_calibrate_notes_in_chinese(small):
    prof = profile_dataset(small)
    (en_out, (en,)), (zh_out, (zh,)) = (calibrate([{"text_length_filter": {}}], prof, lang=lang)
                                        for lang in ("en", "zh"))
    assert zh_out == en_out  # the language changes the words, nothing else
    new = en_out[0]["text_length_filter"]["min_len"]
    assert en.startswith(f"text_length_filter: min_len = {new}: the 5th percentile")
    assert zh == (f"text_length_filter：min_len = {new}，取自你的数据中 text_len（字符数）的第 5 百分位数"
                  f"（在 {len(ROWS)} 条样本上测得；原为 10）")
    _, (ks,) = calibrate([{"special_characters_filter": {"max_ratio": 0.25}}], prof, method="ksigma", k=2, lang="zh")
    assert "special_char_ratio 的均值加上 2 倍标准差" in ks and "原为 0.25" in ks
    _, (q,) = calibrate([{"text_length_filter": {"min_len": 10}}], prof, low=2.5, lang="zh")
    assert "第 2.5 百分位数" in q
    for note in (zh, ks, q):
        assert not ENGLISH_WORDS.search(note), note


def test_irrelevant_ops_reasons_in_chinese(small, tmp_path):
    path = tmp_path / "clean.jsonl"
    path.write_text("".join(json.dumps({"text": f"Sentence {i} is plain and unique."}) + "\n" for i in range(30)))
    process = [{"clean_html_mapper": {}}, {"document_deduplicator": {}}, {"text_chunk_mapper": {"max_len": 1000}}]
    prof = profile_dataset(path)
    zh = dict(irrelevant_ops(prof, process, lang="zh"))
    assert set(zh) == set(dict(irrelevant_ops(prof, process))) == {"clean_html_mapper", "document_deduplicator",
                                                                    "text_chunk_mapper"}
    assert zh["document_deduplicator"] == "你的 30 条文本中没有完全重复的"
    assert zh["clean_html_mapper"] == "抽样的 30 条文本都不含 HTML 标签"
    assert zh["text_chunk_mapper"].startswith("抽样的每条文本都已不超过 1000 个字符")
    small_zh = dict(irrelevant_ops(profile_dataset(small), [{"chinese_convert_mapper": {"mode": "t2s"}},
                                                            {"image_shape_filter": {}}], lang="zh"))
    assert small_zh == {"chinese_convert_mapper": "样本中没有中文文本（语言：en）",
                        "image_shape_filter": "你的数据中没有图片（模态：文本）"}
    for reason in [*zh.values(), *small_zh.values()]:
        assert not ENGLISH_WORDS.search(reason), reason
    suggested = dict(suggest_ops(profile_dataset(small), lang="zh"))
    assert suggested["clean_html_mapper"] == f"{4 / len(ROWS):.0%} 的样本含有 HTML 标签"


@pytest.mark.parametrize("lang", ["fr", "ZH", "", None])
def test_an_unknown_language_is_refused(small, lang):
    prof = profile_dataset(small)
    with pytest.raises(ValueError, match=r"\blang\b.*'en', 'zh'"):
        irrelevant_ops(prof, [{"clean_html_mapper": {}}], lang=lang)
    with pytest.raises(ValueError, match=r"\blang\b"):
        suggest_ops(prof, lang=lang)
    with pytest.raises(ValueError, match=r"\blang\b"):  # said before the data is read
        calibrate([{"text_length_filter": {}}], small.parent / "missing.jsonl", lang=lang)
