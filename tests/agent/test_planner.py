"""The built-in planner: quantities in any form, the polarity table on every filter in English and Chinese,
registered operators only, honest notes, and the goal suites' floors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.planner import builtin_planner
from agent.planner.binding import place_bound
from agent.planner.quantities import normalize, read_quantities
from agent.planner.clauses import verbs
from evals.run_planner_eval import load_goals, polarity_errors, score

EVALS = Path(__file__).resolve().parents[2] / "evals"


@pytest.fixture(scope="module")
def planner(tmp_path_factory):
    import os

    os.environ.setdefault("JUICEBOX_HOME", str(tmp_path_factory.mktemp("home")))
    return builtin_planner()


def plan(planner, goal):
    return planner.plan(goal).recipe["process"]


def same_steps(got, expected):
    """The same steps with the same arguments, in any order."""
    return sorted(json.dumps(s, sort_keys=True) for s in got) == sorted(json.dumps(s, sort_keys=True) for s in expected)


@pytest.mark.parametrize("text,cmp,value,low,high,measure", [
    ("at least 50 characters", "ge", 50, None, None, "characters"),
    ("under 2k", "le", 2000, None, None, None),
    ("between 50 and 2,000 chars", "range", None, 50, 2000, "characters"),
    ("30%", "none", 0.3, None, None, "ratio"),
    ("fewer than five words", "le", 5, None, None, "words"),
    ("2k+ characters", "ge", 2000, None, None, "characters"),
    ("500 characters or more", "ge", 500, None, None, "characters"),
    ("no more than two hundred tokens", "le", 200, None, None, "tokens"),
    ("shouldn't exceed 3,000 words", "le", 3000, None, None, "words"),
    ("larger than 10 MB", "ge", "10MB", None, None, "bytes"),
    ("under 20 KiB", "le", "20KiB", None, None, "bytes"),
    ("longer than 2 minutes", "ge", 120, None, None, "seconds"),
    ("between the 10th and 90th percentile", "range", None, 0.1, 0.9, "percentile"),
    ("少于二十个字", "le", 20, None, None, "characters"),
    ("超过1500", "ge", 1500, None, None, None),
    ("两百字以上", "ge", 200, None, None, "characters"),
    ("在100到2000之间", "range", None, 100, 2000, None),
    ("不超过三千五", "le", 3500, None, None, None),
    ("1.5万个字符以下", "le", 15000, None, None, "characters"),
    ("百分之三十", "none", 0.3, None, None, "ratio"),
    ("宽度小于224像素", "le", 224, None, None, "pixels"),
    ("词数不少于10", "ge", 10, None, None, "words"),
    ("an aspect ratio from 9/16 up to 3/4", "range", None, 0.5625, 0.75, None),
    ("宽高比超过16/9", "ge", 1.777778, None, None, None),
    ("随机挑三成", "none", 0.3, None, None, "ratio"),
    ("0.55 or better", "ge", 0.55, None, None, None),
    ("max NSFW score 0.1", "le", 0.1, None, None, None),
    ("not a single image taller than 2048 px", "le", 2048, None, None, "pixels"),
    ("nothing under 5 KB", "ge", "5KB", None, None, "bytes"),
    ("clips 12 seconds long or less", "le", 12, None, None, "seconds"),
    ("720 pixels tall minimum", "ge", 720, None, None, "pixels"),
    ("pairs more similar than 0.98", "ge", 0.98, None, None, None),
    ("tops out at 4096 px", "le", 4096, None, None, "pixels"),
    ("fall short of 2 seconds", "le", 2, None, None, "seconds"),
    ("never dip beneath eighty words", "ge", 80, None, None, "words"),
    ("a ratio of 0.1 is already too much", "ge", 0.1, None, None, None),
    ("最多只能有一千个字符", "le", 1000, None, None, "characters"),
    ("顶多允许到百分之二十", "le", 0.2, None, None, "ratio"),
    ("比2MB还大", "ge", "2MB", None, None, "bytes"),
    ("连二十分贝都没到", "le", 20, None, None, "decibels"),
    ("一旦过了两千零四十八", "ge", 2048, None, None, None),
    ("超过一半", "ge", 0.5, None, None, None),
    ("宽高比最小9/16", "ge", 0.5625, None, None, None),
    ("below 720p", "le", 720, None, None, "pixels"),
    ("downscale everything to 1080p", "le", 1080, None, None, "pixels"),
    ("4K 视频", "ge", 2160, None, None, "pixels"),  # a 4K video is 2160 pixels tall or more
    # session 8: floors and ceilings said as labels, 'more than' and 'not reaching' in Chinese, 'up to' in a range
    ("ceiling: 1.5k tokens", "le", 1500, None, None, "tokens"),
    ("floor: 64 tokens", "ge", 64, None, None, "tokens"),
    ("limit: three faces per image", "le", 3, None, None, "count"),
    ("词数得有五十个打底", "ge", 50, None, None, "words"),
    ("运动分不止8的", "ge", 8, None, None, None),
    ("宽度够不上1280像素", "le", 1280, None, None, "pixels"),
    ("七成是及格线", "ge", 0.7, None, None, "ratio"),
    ("相似度能到0.3", "ge", 0.3, None, None, None),
    ("最多能到0.3", "le", 0.3, None, None, None),
    ("somewhere from 0.3 up to 0.7", "range", None, 0.3, 0.7, None),
])
def test_quantity_reader(text, cmp, value, low, high, measure):
    q, = read_quantities(normalize(text))
    assert (q.cmp, q.measure) == (cmp, measure)
    if cmp == "range":
        assert (q.low, q.high) == (low, high)
    else:
        assert q.value == value


@pytest.mark.parametrize("text,negated", [
    ("在100到200以外", True), ("不在100到200之间", True), ("not between 50 and 200 chars", True),
    ("宽高比在9:16到16:9以外", True), ("aspect ratio outside 4:3 to 16:9", True), ("between 50 and 200 chars", False),
])
def test_negated_ranges_in_both_range_readers(text, negated):
    (q,) = read_quantities(normalize(text))
    assert q.cmp == "range" and q.negated is negated


def test_dimensions_give_width_and_height():
    qs = read_quantities(normalize("at least 224x224"))
    assert [(q.dim, q.value, q.cmp) for q in qs] == [("width", 224, "ge"), ("height", 224, "ge")]


@pytest.mark.parametrize("goal,expected", [
    ("Audio recordings running past forty-five seconds aren't useful to us, please get rid of them.",
     [{"audio_duration_filter": {"max_duration": 45}}]),
    ("almost-static videos are useless to me: the motion score has to exceed 1.5",
     [{"video_motion_score_filter": {"min_score": 1.5}}]),
    ("图片高度不要超过2048像素", [{"image_shape_filter": {"max_height": 2048}}]),
    ("音频信噪比不要低于8", [{"audio_nmf_snr_filter": {"min_snr": 8}}]),
    ("a flagged-word ratio above 0.5% is not acceptable", [{"flagged_words_filter": {"max_ratio": 0.005}}]),
    ("fewer than eight words, or a token count that exceeds 4k: both kinds of sample go",
     [{"words_num_filter": {"min_num": 8}}, {"token_num_filter": {"max_num": 4000}}]),
    ("宽高比超过16/9的视频过滤掉", [{"video_aspect_ratio_filter": {"max_ratio": "16/9"}}]),
    ("電子郵件地址換成 [郵箱]", [{"clean_email_mapper": {"repl": "[郵箱]"}}]),
    ("split each video into 8-second pieces and do not keep the original samples",
     [{"video_split_by_duration_mapper": {"split_duration": 8, "keep_original_sample": False}}]),
    ("cut the clips into 4 second parts, nothing more", [{"video_split_by_duration_mapper": {"split_duration": 4}}]),
    ("Clips with a motion score below 0.3, i.e. still ones, must be removed.",
     [{"video_motion_score_filter": {"min_score": 0.3}}]),
    ("the symbols ¤ and ‡ are noise, strip them out", [{"remove_specific_chars_mapper": {"chars_to_remove": "¤‡"}}]),
    ("a face may cover at most a quarter of a picture; keep only those pictures",
     [{"image_face_ratio_filter": {"max_ratio": 0.25}}]),
    ("计算视频的运动分数，低于3的视频删掉", [{"video_motion_score_filter": {"min_score": 3}}]),
    ("按 meta.score 只要第10到第90百分位之间的样本",
     [{"range_specified_field_selector": {"field_key": "meta.score", "lower_percentile": 0.1, "upper_percentile": 0.9}}]),
    ("Blurry shots go: sharpness is not something we score. Then dedupe the pictures using ahash.",
     [{"image_deduplicator": {"method": "ahash"}}]),
    ("texts beyond 512 tokens should not survive", [{"token_num_filter": {"max_num": 512}}]),
    ("the stopword share must never drop below 20%", [{"stopwords_filter": {"min_ratio": 0.2}}]),
    ("clips that aren't at least 3 seconds long are worthless, drop them", [{"video_duration_filter": {"min_duration": 3}}]),
    ("文件小于20KB的图片，一张都别留", [{"image_size_filter": {"min_size": "20KB"}}]),
    ("Some docs have lines averaging fewer than 10 characters; others have a line over 5,000 characters. Remove both.",
     [{"average_line_length_filter": {"min_len": 10}}, {"maximum_line_length_filter": {"max_len": 5000}}]),
    ("cut every video at its key frames and do not keep the originals",
     [{"video_split_by_key_frame_mapper": {"keep_original_sample": False}}]),
    ("Clips with an aspect ratio over 21/9 are out.", [{"video_aspect_ratio_filter": {"max_ratio": "21/9"}}]),
    ("Select the 200 rows with the lowest meta.spam_score.",
     [{"topk_specified_field_selector": {"topk": 200, "field_key": "meta.spam_score", "reverse": False}}]),
    ("only samples whose meta.source is wiki, arxiv-2.1 or gh-3-mirror should remain",
     [{"specified_field_filter": {"field_key": "meta.source", "target_value": ["wiki", "arxiv-2.1", "gh-3-mirror"]}}]),
    ("删掉少于十个字的文本，顺便去重", [{"text_length_filter": {"min_len": 10}}, {"document_deduplicator": {}}]),
    ("remove every clip lasting between 5 and 9 seconds",
     [{"video_duration_filter": {"min_duration": 5, "max_duration": 9, "reversed_range": True}}]),
    # judgements, conditions and rules that say their own side
    ("Any document with fewer than 5 words is pointless for us.", [{"words_num_filter": {"min_num": 5}}]),
    ("不满五十个字符的文本，留着也是浪费。", [{"text_length_filter": {"min_len": 50}}]),
    ("Our context window is 4,096 tokens, so anything longer than that is dead weight.",
     [{"token_num_filter": {"max_num": 4096}}]),
    ("视频的NSFW分数只要高过0.2，就进不了儿童频道的数据", [{"video_nsfw_filter": {"max_score": 0.2}}]),
    ("影片宽高比不在4:3到16:9之间的，全部移除", [{"video_aspect_ratio_filter": {"min_ratio": "4/3", "max_ratio": "16/9"}}]),
    ("no word may exceed 25 characters; cut out the ones that do", [{"remove_long_words_mapper": {"max_len": 25}}]),
    ("视频宽度没有超过640像素的，画质撑不起来，直接淘汰", [{"video_resolution_filter": {"min_width": 640}}]),
    # a remark after the bound says its side: condemning what was described, or content with the rest
    ("Texts with perplexity past 3,000? Not worth a single epoch.", [{"perplexity_filter": {"max_ppl": 3000}}]),
    ("Images larger than 5 MB eat our bandwidth; the rest are fine.", [{"image_size_filter": {"max_size": "5MB"}}]),
    ("A word count under 20 usually means a headline, and headlines are not what we want.",
     [{"words_num_filter": {"min_num": 20}}]),
    ("Recordings whose SNR never gets to 10 dB sound terrible.", [{"audio_nmf_snr_filter": {"min_snr": 10}}]),
    ("If faces cover 10% of the image or less, it is not a portrait; only portraits belong here.",
     [{"image_face_ratio_filter": {"min_ratio": 0.1}}]),
    ("视频的NSFW分数哪怕只有零点零五以上，也不能留", [{"video_nsfw_filter": {"max_score": 0.05}}]),
    ("美学分数能达到零点六的图片才留下", [{"image_aesthetics_filter": {"min_score": 0.6}}]),
    ("图片宽度没到 256 像素的，一看就不清楚，删掉", [{"image_shape_filter": {"min_width": 256}}]),
])
def test_negated_and_indirect_polarity(planner, goal, expected):
    """Comparators negated in Chinese ('不要超过' is not a removal), judgements that remove ('useless',
    'not acceptable'), requirements that keep ('has to exceed'), a verb in a later piece; fractions kept as
    written for arguments that take them; quoted values spelled as the request spells them."""
    got = plan(planner, goal)
    canon = lambda steps: sorted(json.dumps(s, sort_keys=True, ensure_ascii=False) for s in steps)  # noqa: E731
    assert canon(got) == canon(expected), got


def test_polarity_table():
    assert place_bound("keep", "ge") == place_bound("remove", "le") == "min"
    assert place_bound("keep", "le") == place_bound("remove", "ge") == "max"
    assert place_bound("keep", "range") == "range" and place_bound("remove", "range") == "reversed"


def _bounded_filters(planner):
    for name, meta in sorted(planner.ops.items()):
        if meta.category != "filter":
            continue
        sides = {a.bound: a for a in meta.args if a.bound in ("min", "max")}
        if sides:
            yield name, sides


def _value(arg):
    if arg.measure == "bytes":
        return "10KB", "10KB"
    if arg.measure in ("ratio", "probability", "similarity", "percentile", "score", "aspect_ratio"):
        return "0.3", "0.3" if arg.type == "str" else 0.3
    return "50", "50" if arg.type == "str" else 50


# (template, expected side): keep above / remove below -> min; keep below / remove above -> max
TEMPLATES = [
    ("keep samples whose {t} is at least {n}", "min"), ("remove samples whose {t} is below {n}", "min"),
    ("keep samples whose {t} is at most {n}", "max"), ("drop samples whose {t} is above {n}", "max"),
    ("samples with a {t} under {n} should go", "min"), ("only keep samples with a {t} of {n} or more", "min"),
    ("保留{t}至少为{n}的样本", "min"), ("删除{t}低于{n}的样本", "min"),
    ("保留{t}不超过{n}的样本", "max"), ("删除{t}高于{n}的样本", "max"),
    ("{t}小于{n}的样本都去掉", "min"), ("只要{t}在{n}以上的数据", "min"),
]


def test_every_filter_bound_lands_on_the_right_side_in_both_languages(planner):
    """Every filter with a min/max argument x keep/remove x above/below, English and Chinese: the stated
    number goes to the bound the polarity table says, never to the other one."""
    checked, wrong = 0, []
    for name, sides in _bounded_filters(planner):
        thing = name.rsplit("_filter", 1)[0].replace("_", " ")
        for template, side in TEMPLATES:
            if side not in sides:
                continue
            text, value = _value(sides[side])
            goal = template.format(t=thing, n=text)
            steps = {op: args for s in plan(planner, goal) for op, args in s.items()}
            args = steps.get(name, {})
            other = "max" if side == "min" else "min"
            if args.get(sides[side].name) != value or (other in sides and sides[other].name in args):
                wrong.append((goal, steps))
            checked += 1
    assert checked >= 150
    assert not wrong, wrong[:10]


def test_remove_between_reverses_the_range(planner):
    assert plan(planner, "remove texts between 10 and 20 characters long") == [
        {"text_length_filter": {"min_len": 10, "max_len": 20, "reversed_range": True}}]
    assert plan(planner, "删除长度在10到20个字符之间的文本") == [
        {"text_length_filter": {"min_len": 10, "max_len": 20, "reversed_range": True}}]


def test_only_registered_operators_ever(planner):
    """Every op name any planner path produces is registered and its arguments validate: each op's own
    example requests, the tuned and held-out goal suites, and every reference recipe."""
    from sandbox_engine.ops.base import OPERATORS, load_builtin_ops

    load_builtin_ops()
    goals = [r for meta in planner.ops for r in (OPERATORS[meta].requests or ())[:2]]
    goals += [c["goal"] for d in ("goals_dev", "goals_heldout") for c in load_goals(EVALS / d)]
    goals += ["prepare my RAG corpus", "清洗一下中文网页语料", "clean this LaTeX paper dump", "dedupe my image-caption pairs"]
    seen = set()
    for g in goals:
        for step in plan(planner, g):
            (op, args), = step.items()
            assert op in OPERATORS, (g, op)
            OPERATORS[op].Args(**args)
            seen.add(op)
    assert len(seen) >= 40


def test_unknown_parts_are_said_back(planner):
    out = planner.plan("hello there, how are you")
    assert out.recipe["process"] == [] and out.notes
    out = planner.plan("drop texts shorter than 50 characters and make it sparkle like a unicorn")
    assert {"text_length_filter": {"min_len": 50}} in out.recipe["process"]
    assert any("did not understand" in n and "unicorn" in n for n in out.notes)
    zh = planner.plan("你好")
    assert zh.recipe["process"] == [] and any("没" in n for n in zh.notes)


def test_vague_job_gets_an_explained_reference_recipe(planner):
    out = planner.plan("prepare my RAG corpus")
    ops = [next(iter(s)) for s in out.recipe["process"]]
    assert out.reference and len(ops) >= 3
    assert any(o.endswith("deduplicator") for o in ops)
    assert all("reference recipe" in j for j in out.justifications)


def test_order_follows_data_juicer_recipes(planner):
    steps = plan(planner, "randomly keep 1000 samples, dedupe exact copies, drop texts under 10 words, strip html")
    assert [next(iter(s)) for s in steps] == ["clean_html_mapper", "words_num_filter",
                                              "document_deduplicator", "random_selector"]


def test_each_step_is_justified(planner):
    out = planner.plan("remove emails and drop texts under 20 chars")
    assert len(out.justifications) == len(out.recipe["process"]) == 2
    assert all(j.strip() for j in out.justifications)


@pytest.mark.parametrize("folder,floor", [("goals", 0.8), ("goals_blind", 0.8), ("goals_dev", 0.9)])
def test_goal_suite_floors(planner, folder, floor):
    """Floors a little under the measured scores (README, 'Planner evals'), so that a regression fails."""
    cases = [c for c in load_goals(EVALS / folder) if "expected" in c]
    res = score(cases, lambda g: plan(planner, g))
    assert res["exact"] >= floor, res["exact"]


@pytest.mark.parametrize("folder,en,zh,polarity,vague", [
    ("goals_heldout", 0.88, 0.93, 0.95, 0.82),
    ("goals_heldout2", 0.85, 0.9, 0.97, 0.77),
    ("goals_heldout3", 0.77, 0.83, 0.97, 0.67),
    ("goals_heldout4", 0.9, 0.97, 0.82, 0.62),  # written at the start of session 4, first pass 67/63/25/60
    ("goals_heldout5", 0.83, 0.83, 0.92, 0.67),  # first pass 47/47/25/60
    ("goals_heldout6", 0.73, 0.73, 0.97, 0.52),  # first pass 50/43/50/50
    ("goals_heldout7", 0.83, 0.83, 0.87, 0.82),  # first pass 43/60/45/80
    ("goals_heldout8", 0.73, 0.8, 0.92, 0.67),  # first pass 40/43/15/70; blind after session 5's fixes 43/47/40/70
    ("goals_heldout9", 0.97, 0.97, 0.97, None),  # first pass 65/80/60 (no vague file)
    ("goals_heldout10", 0.57, 0.9, None, 0.7),  # first pass 27/73/-/70 (no polarity file)
    ("goals_heldout11", 0.83, 0.77, 0.92, 0.72),  # blind 47/67/70/75 (session 6's honest measure), then tuned
    ("goals_heldout12", 0.83, 0.9, 0.97, 0.77),  # blind 73/67/50/75 (session 7's first pass), then tuned
    ("goals_heldout13", 0.63, 0.7, 0.87, 0.52),  # blind 60/60/45/50 at the end of session 7's other work, then tuned
    ("goals_heldout14", 0.83, 0.9, 0.67, 0.47),  # blind 40/60/25/50 (session 8's first pass), then tuned
    ("goals_heldout15", 0.7, 0.9, 0.77, 0.47),  # blind 53/87/50/45 at session 8's start and after its fixes, then tuned
    ("goals_heldout16", 0.57, 0.9, 0.62, 0.37),  # blind 40/87/60/40 at session 8's start, 60/93/55/40 at its end
    ("goals_heldout17", 0.77, 0.9, 0.62, 0.52),  # blind 60/60/30/40 at session 9's start, then tuned in sessions 9-11
    ("goals_heldout18", 0.9, 0.9, 0.97, 0.57),  # blind 67/87/55/25 at session 9's start, 67/87/55/45 at its end
    ("goals_heldout19", 0.97, 0.97, 0.97, 0.57),  # blind 67/60/75/35 at session 10's start, 67/67/80/35 at its end; tuned in 11
    ("goals_heldout20", 0.9, 0.9, 0.92, 0.52),  # blind 7/40/35/50 at session 11's start, 7/60/35/50 after suite 19's fixes
    ("goals_heldout21", 0.77, 0.7, 0.67, 0.72),  # blind 20/47/45/65 at session 11's start, 20/47/45/75 before it was read
    ("goals_heldout22", 0.9, 0.83, 0.97, 0.77),  # blind 40/47/70/65 at session 12's start, then tuned
    ("goals_heldout23", 0.97, 0.77, 0.92, 0.67),  # blind 67/60/90/60 at session 12's start, 80/60/90/60 at its end and at
    # session 13's start (never read until then), then tuned
    ("goals_heldout24", 0.97, 0.77, 0.87, 0.57),  # blind 20/40/70/45 at session 13's start, then tuned
    ("goals_heldout25", 0.7, 0.63, 0.87, 0.77),  # blind 73/53/90/75 at session 13's start, 73/53/90/80 at its end and at
    # session 14's start and end, 73/67/90/80 at session 17's end (never read)
    ("goals_heldout26", 0.77, 0.7, 0.97, 0.67),  # blind 33/67/80/60 (1 wrong side) at session 14's start, then tuned
    ("goals_heldout28", 0.9, 0.97, 0.97, 0.72),  # blind 93/60/95/65 (1 wrong side) at session 15's start, then tuned
    ("goals_heldout30", 0.97, 0.83, 0.87, 0.97),  # tuned in sessions 16-17 (its first pass was not recorded)
    ("goals_heldout31", 0.57, 0.9, 0.97, 0.92),  # blind 60/47/90/80 (2 wrong side) at session 16's start, then tuned
    ("goals_heldout32", 0.9, 0.83, 0.97, 0.92),  # blind 73/60/80/60 (3 wrong side) in session 17, then tuned
])
def test_held_out_suite_floors(planner, folder, en, zh, polarity, vague):
    """Floors under the final scores of each held-out set, and no bound on the wrong side."""
    for name, floor in (("en_free.yaml", en), ("zh.yaml", zh), ("polarity.yaml", polarity)):
        if floor is None:
            continue
        res = score(load_goals(EVALS / folder / name), lambda g: plan(planner, g))
        assert res["exact"] >= floor, (name, res["exact"])
    if vague is not None:
        res = score(load_goals(EVALS / folder / "vague.yaml"), lambda g: plan(planner, g))
        assert res["pass"] >= vague, res["pass"]
    assert polarity_errors(load_goals(EVALS / folder), lambda g: plan(planner, g)) == 0


def test_blind_suite_27_floor(planner):
    """Set 27 is kept aside unread (blind 93/87/90/70 with one bound on the wrong side at session 14's start and
    end; 93/87/90/75 with none at session 17's end): its scores must not fall, and no wrong-side bound may appear."""
    for name, floor in (("en_free.yaml", 0.9), ("zh.yaml", 0.83), ("polarity.yaml", 0.87)):
        assert score(load_goals(EVALS / "goals_heldout27" / name), lambda g: plan(planner, g))["exact"] >= floor, name
    assert score(load_goals(EVALS / "goals_heldout27" / "vague.yaml"), lambda g: plan(planner, g))["pass"] >= 0.67
    assert polarity_errors(load_goals(EVALS / "goals_heldout27"), lambda g: plan(planner, g)) == 0  # 0 since session 17


def test_blind_suite_33_floor(planner):
    """Set 33 is kept aside (only totals printed; blind 85/63/70/90 with three bounds on the wrong side at session 16's
    start, 90/63/70/90 at session 17's end): its scores must not fall, and no further wrong-side bound may appear."""
    for name, floor in (("en_free.yaml", 0.87), ("zh.yaml", 0.6), ("polarity.yaml", 0.7)):
        assert score(load_goals(EVALS / "goals_heldout33" / name), lambda g: plan(planner, g))["exact"] >= floor, name
    assert score(load_goals(EVALS / "goals_heldout33" / "vague.yaml"), lambda g: plan(planner, g))["pass"] >= 0.87
    assert polarity_errors(load_goals(EVALS / "goals_heldout33"), lambda g: plan(planner, g)) <= 3


def test_blind_suite_29_floor(planner):
    """Set 29 is kept aside unread (blind 73/60/85/80, no bound on the wrong side, at session 15's start and end;
    80/67/85/80 at session 17's end):
    its scores must not fall, and no wrong-side bound may appear."""
    for name, floor in (("en_free.yaml", 0.77), ("zh.yaml", 0.63), ("polarity.yaml", 0.82)):
        assert score(load_goals(EVALS / "goals_heldout29" / name), lambda g: plan(planner, g))["exact"] >= floor, name
    assert score(load_goals(EVALS / "goals_heldout29" / "vague.yaml"), lambda g: plan(planner, g))["pass"] >= 0.77
    assert polarity_errors(load_goals(EVALS / "goals_heldout29"), lambda g: plan(planner, g)) == 0


def test_data_aware_plans(planner, tmp_path):
    """With data: a bound nobody stated is calibrated from the data (and said), a stated one is kept, and a
    reference recipe's step for something the data does not have is dropped (and said)."""
    import json

    rows = [{"text": "word " * n} for n in range(3, 200)] + [{"text": "tiny"}] * 3
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = planner.plan("drop the too-short texts", data=str(data))
    (step,), = [list(s.items()) for s in out.recipe["process"]]
    assert step[0] == "text_length_filter" and step[1]["min_len"] > 10
    assert any("percentile" in n for n in out.notes)
    stated = planner.plan("drop texts shorter than 7 characters", data=str(data))
    assert stated.recipe["process"] == [{"text_length_filter": {"min_len": 7}}]
    job = planner.plan("prepare my RAG corpus", data=str(data))
    ops = [next(iter(s)) for s in job.recipe["process"]]
    assert "clean_html_mapper" not in ops and any("clean_html_mapper" in n for n in job.notes)


@pytest.mark.parametrize("goal,expected", [
    # a choice's value written outright, default or not; described choices keep their cues
    ("Scene splitting with the AdaptiveDetector at threshold 3, please.",
     [{"video_split_by_scene_mapper": {"detector": "AdaptiveDetector", "threshold": 3}}]),
    ("split the videos at scene cuts", [{"video_split_by_scene_mapper": {}}]),
    ("Pull five uniformly spaced frames out of each video.",
     [{"video_extract_frames_mapper": {"frame_sampling_method": "uniform", "frame_num": 5}}]),
    # an argument named by an abbreviation or by its Chinese name
    ("minhash dedup: jaccard 0.8, 128 perms. perplexity < 800.",
     [{"document_minhash_deduplicator": {"jaccard_threshold": 0.8, "num_permutations": 128}},
      {"perplexity_filter": {"max_ppl": 800}}]),
    ("用SimHash做近似去重，汉明距离设为5", [{"document_simhash_deduplicator": {"hamming_distance": 5}}]),
    # a replacement whose verb came in an earlier piece; a stem that drops its 'e'
    ("Replace every email address with <EMAIL> and every IP address with <IP>.",
     [{"clean_email_mapper": {"repl": "<EMAIL>"}}, {"clean_ip_mapper": {"repl": "<IP>"}}]),
    ("remove exact duplicates, ignoring case", [{"document_deduplicator": {"lowercase": True}}]),
    # a language the user keeps is the language filter, not a job; '-only' and 'only serves the X market' too
    ("keep only English documents", [{"language_id_score_filter": {"lang": "en"}}]),
    ("the model I'm training is Korean-only", [{"language_id_score_filter": {"lang": "ko"}}]),
    # each number takes the dimension its own comparator names; 'none is wider' bounds what is kept
    ("Downscale the videos so that none is wider than 1920 or taller than 1080.",
     [{"video_resize_resolution_mapper": {"max_width": 1920, "max_height": 1080}}]),
    ("去掉宽或高小于256像素的图片", [{"image_shape_filter": {"min_width": 256, "min_height": 256}}]),
    # Chinese flags by the words of their names, a quoted string replaced by a space, quoted value lists
    ("视频按关键帧切分，原视频不要保留", [{"video_split_by_key_frame_mapper": {"keep_original_sample": False}}]),
    ("把文本里的“&nbsp;”全部替换成一个空格", [{"replace_content_mapper": {"pattern": "&nbsp;", "repl": " "}}]),
    ("remove words containing 'http' or 'www'",
     [{"remove_words_with_incorrect_substrings_mapper": {"substrings": ["http", "www"]}}]),
])


def test_arguments_said_in_other_words(planner, goal, expected):
    canon = lambda steps: sorted(json.dumps(s, sort_keys=True, ensure_ascii=False) for s in steps)  # noqa: E731
    assert canon(plan(planner, goal)) == canon(expected)


def test_a_later_judgement_removes_what_the_sentence_described(planner):
    steps = dict(next(iter(s.items())) for s in plan(
        planner, "More than three faces in a picture is a crowd, and crowd shots are not welcome here."))
    assert steps["image_face_count_filter"] == {"max_face_count": 3}


@pytest.mark.parametrize("goal,op", [
    # the data's trouble or the user's purpose, reworded from the operators' situations (matching is by
    # shared words and characters: a paraphrase with no word in common is not found, see README)
    ("我们只做日本市场的模型", "language_id_score_filter"),
    # (reposts by other sites may differ a little: exact or near-duplicate removal both answer)
    ("the same novel chapter shows up again and again, reposted by different websites",
     ("document_deduplicator", "document_minhash_deduplicator", "document_simhash_deduplicator")),
])
def test_described_situations_imply_an_operator(planner, goal, op):
    ops = [next(iter(s)) for s in plan(planner, goal)]
    assert (op in ops) if isinstance(op, str) else (len(ops) == 1 and ops[0] in op)


def test_situations_do_not_crowd_direct_requests(planner):
    """Situations are read only for a piece that names no operation: a direct request scores the same."""
    cat = planner.catalog
    for q in ("remove duplicate documents", "删除少于五十个字的文本", "blur the faces in the photos"):
        plain = [(h.name, h.score) for h in cat.search(q, k=5, kinds=("operator",))]
        assert plain == [(h.name, h.score) for h in cat.search(q, k=5, kinds=("operator",), vector=False)]
    assert all(e.situations for e in cat.entries if e.kind == "operator")


def test_a_request_naming_nothing_gets_a_guess_said_as_one(planner):
    """Nothing named and no job: the operator whose situations the request is closest to, with a note."""
    for goal, op in (("our kids' app needs pictures that are safe for all ages", "image_nsfw_filter"),
                     ("图库里很多照片是同一张的重复导出", "image_deduplicator")):
        out = planner.plan(goal)
        assert [next(iter(s)) for s in out.recipe["process"]] == [op]
        assert any("guess" in n or "推测" in n for n in out.notes), out.notes


def test_a_request_naming_nothing_gets_its_closest_situation_even_when_close_to_another(planner):
    """Nothing named, no job, and the closest situation only a little ahead of the next: still a guess, said as
    one; an empty plan helps nobody."""
    out = planner.plan("这些论坛帖子里转发来转发去的重复内容太多了")
    ops = [next(iter(s)) for s in out.recipe["process"]]
    assert len(ops) == 1 and ops[0].startswith("document_") and ops[0].endswith("deduplicator"), ops
    assert any("推测" in n for n in out.notes), out.notes


@pytest.mark.parametrize("goal,dropping", [
    ("We index our stock-video library so people can search clips by what they show; every clip has to stay.", False),
    ("要给这批监控录像打上画面里物体的标签，方便以后检索，一条都不能删。", False),
    ("keep only the clips whose frame tags include 'dog'", True),
])
def test_a_request_that_forbids_losing_samples_gets_no_step_that_drops_them(planner, goal, dropping):
    """'every clip has to stay', '一条都不能删': operators that drop samples step back for the edit the user asks."""
    ops = [next(iter(s)) for s in planner.plan(goal).recipe["process"]]
    assert ops, goal
    cats = {planner.ops[o].category for o in ops}
    assert bool(cats & {"filter", "deduplicator", "selector"}) == dropping, ops


def test_a_job_for_another_language_steps_back(planner):
    """'clean this web crawl' is not the Chinese web job; a Chinese request for web text is."""
    assert planner.plan("clean this web crawl for pretraining").reference == "pretrain_web_en"
    assert planner.plan("清洗网页数据用于预训练").reference == "web_zh"


@pytest.mark.parametrize("goal,expected", [
    ("Run every audio file through ffmpeg's loudnorm filter with I=-16 and TP=-1.5.",
     {"audio_ffmpeg_wrapped_mapper": {"filter_name": "loudnorm", "filter_kwargs": {"I": -16, "TP": -1.5}}}),
    ("用ffmpeg的atempo滤镜处理音频，tempo设为1.5",
     {"audio_ffmpeg_wrapped_mapper": {"filter_name": "atempo", "filter_kwargs": {"tempo": 1.5}}}),
    ("只保留满足 meta.likes >= 100 and meta.reported == 0 的样本",
     {"general_field_filter": {"filter_condition": "meta.likes >= 100 and meta.reported == 0"}}),
])
def test_tool_options_and_conditions(planner, goal, expected):
    """A tool's named options go to its dict argument and the word before 'filter' is the filter's name; a
    condition with 'and' stays whole."""
    assert plan(planner, goal) == [expected]


@pytest.mark.parametrize("goal,expected", [
    ("Extract 6 frames from each clip. Save them under /tmp/frames.",
     [{"video_extract_frames_mapper": {"frame_num": 6, "frame_dir": "/tmp/frames"}}]),
    ("compute perplexity with the KenLM model at ./models/en.arpa and drop texts above 1500",
     [{"perplexity_filter": {"model_path": "./models/en.arpa", "max_ppl": 1500}}]),
    ("根据 meta.tags 字段，挑出带“体育”或“娱乐”标签的样本",
     [{"tags_specified_field_selector": {"field_key": "meta.tags", "target_tags": ["体育", "娱乐"]}}]),
    ("Split the videos into 3-second pieces; the originals don't need to be kept.",
     [{"video_split_by_duration_mapper": {"split_duration": 3, "keep_original_sample": False}}]),
    ("Drop texts under 10 words. Perplexity between 100 and 900.",
     [{"words_num_filter": {"min_num": 10}}, {"perplexity_filter": {"min_ppl": 100, "max_ppl": 900}}]),
    ("删掉少于十个字的文本；图片宽度要在100到500像素之间。",
     [{"text_length_filter": {"min_len": 10}}, {"image_shape_filter": {"min_width": 100, "max_width": 500}}]),
    ("chunk each document into pieces of at most 800 characters, breaking at blank lines",
     [{"text_chunk_mapper": {"max_len": 800, "split_pattern": "\n\n"}}]),
    ("长文档按换行切块，每块不超过500个字符", [{"text_chunk_mapper": {"split_pattern": "\n", "max_len": 500}}]),
    ("Keep images no wider than 1024 px and 768 px tall.", [{"image_shape_filter": {"max_width": 1024, "max_height": 768}}]),
    ("Our invoices are riddled with URLs. Replace each one with <URL>.", [{"clean_links_mapper": {"repl": "<URL>"}}]),
    ("then randomly sample 10% of those", [{"random_selector": {"select_ratio": 0.1}}]),
])
def test_paths_fields_flags_and_conditions_reach_their_step(planner, goal, expected):
    """A path goes to the step's folder or file argument; a piece naming only a field gives it to the next
    piece's step; a flag said in a later sentence (object first, negated verb after) sets the step before; a
    range stated in a sentence of its own is kept, whatever the sentence before removed."""
    assert plan(planner, goal) == expected


def test_signature_choices_and_ruled_out_operators(planner):
    """A choice value only one operator takes points at it ('dhash'); 'not RAFT' rules the RAFT twin out."""
    assert planner.signatures.get("dhash") == {"image_deduplicator", "ray_image_deduplicator"}
    assert "uniform" not in planner.signatures and "all" not in planner.signatures
    assert plan(planner, "near-identical product shots should go, compared by dhash") == \
        [{"image_deduplicator": {"method": "dhash"}}]
    got = plan(planner, "drop clips whose optical-flow motion score (not RAFT) is below 0.8")
    assert got == [{"video_motion_score_filter": {"min_score": 0.8}}], got


def test_named_steps_are_not_swallowed_by_a_job(planner):
    """Two steps named outright ('strip the bibliography', 'remove the comments') are the plan, even when the
    words also name a job (LaTeX papers); 'leave X alone' / 'keep the X ones' turn a remover's X flag off."""
    assert plan(planner, "Please strip the bibliography from my LaTeX papers, and remove the comments too, "
                         "but leave multi-line comments alone.") == \
        [{"remove_bibliography_mapper": {}}, {"remove_comments_mapper": {"multiline": False}}]
    assert plan(planner, "remove comments from the tex files, but keep the inline ones") == \
        [{"remove_comments_mapper": {"inline": False}}]


def test_a_later_sentence_names_the_previous_steps_arguments(planner):
    """Across a sentence break: 'a final piece' names min_last_split_duration, 'the originals are not kept'
    names keep_original_sample; neither is a step of its own."""
    got = plan(planner, "Cut each video into 20-second pieces; a final piece shorter than 4 seconds is dropped, "
                        "and the original videos are not kept.")
    assert got == [{"video_split_by_duration_mapper": {"split_duration": 20, "min_last_split_duration": 4,
                                                       "keep_original_sample": False}}], got


def test_quoted_lists_and_all_or_any_said_in_words(planner):
    """Quoted values joined by 'and' stay one list; 'both' asks for all of the tags; 'every image …, not just
    one' asks that all pass."""
    assert plan(planner, "keep only videos whose frame tags include both 'cat' and 'indoor'") == \
        [{"video_tagging_from_frames_filter": {"tags": ["cat", "indoor"], "contain": "all"}}]
    assert plan(planner, "BLIP image-text matching score at least 0.4, and every image in a sample has to pass") == \
        [{"image_text_matching_filter": {"min_score": 0.4, "any_or_all": "all"}}]


def test_a_piece_naming_another_step_after_a_bound_is_that_step(planner):
    """'those' after a step that has its bound, in a piece that clearly names another operator, is that one."""
    assert plan(planner, "drop images with an NSFW score over 0.2 and those scoring below 0.5 on aesthetics") == \
        [{"image_nsfw_filter": {"max_score": 0.2}}, {"image_aesthetics_filter": {"min_score": 0.5}}]


def test_a_region_goes_to_the_operator_that_takes_one(planner):
    """'x1,y1,x2,y2' is one region (not four numbers), for the argument that declares measure 'region'."""
    assert plan(planner, "erase the logo in the region 0,0,0.2,0.1 from every video") == \
        [{"video_remove_watermark_mapper": {"roi_strings": ["0,0,0.2,0.1"]}}]


@pytest.mark.parametrize("goal,expected", [
    ("只保留中文字符，字母、数字都删掉", {"keep_alphabet": False, "keep_number": False}),
    ("keep only the chinese characters, and the digits should be dropped too", {"keep_number": False}),
    ("只要汉字和标点，英文字母也不要", {"keep_alphabet": False}),
])
def test_flag_cues_said_as_verb_and_object(planner, goal, expected):
    """A cue 'remove digits' / '去掉数字' matches the object named under a verb of the same side, wherever the
    verb is ('字母、数字都删掉': the list's verb comes after it); the defaults said again change nothing."""
    assert plan(planner, goal) == [{"remove_non_chinese_character_mapper": expected}]


@pytest.mark.parametrize("goal,expected", [
    # a condition and its verdict in separate sentences; an apostrophe is no quote
    ("If a page's stopword ratio is 0.3 or higher, it stays. Otherwise it's gone.", {"stopwords_filter": {"min_ratio": 0.3}}),
    # a rhetorical question says 'do not keep'
    ("Why would anyone keep a document with more than 40% special characters?", {"special_characters_filter": {"max_ratio": 0.4}}),
    ("相似度连 0.3 都不到的图文对，留着干什么？", {"image_text_similarity_filter": {"min_score": 0.3}}),
    # 'unless' / '除非': the condition is what stays
    ("Delete every clip unless it is shorter than 60 seconds.", {"video_duration_filter": {"max_duration": 60}}),
    ("除非英文识别置信度达到 0.8，否则都不要。", {"language_id_score_filter": {"lang": "en", "min_score": 0.8}}),
    # 'are fine as long as they don't last longer than': a negated comparator after a verb
    ("Videos are fine as long as they don't last longer than 90 seconds.", {"video_duration_filter": {"max_duration": 90}}),
    # judgements and conditionals in Chinese: 废图, 只要…就别让它进, 才留, 才合格
    ("图片审美分数低于 0.4 的都是废图。", {"image_aesthetics_filter": {"min_score": 0.4}}),
    ("只要一段文本的困惑度超过 1500，就别让它进训练集。", {"perplexity_filter": {"max_ppl": 1500}}),
    ("文本长度在一百到五千之间的才留。", {"text_length_filter": {"min_len": 100, "max_len": 5000}}),
    ("人脸占比在百分之十到一半之间的图才合格。", {"image_face_ratio_filter": {"min_ratio": 0.1, "max_ratio": 0.5}}),
    # a kept range whose complement is removed ('不在这个范围的就删掉') is not a reversed range
    ("图片宽高比控制在 0.5 到 2 之间，不在这个范围的就删掉。", {"image_aspect_ratio_filter": {"min_ratio": 0.5, "max_ratio": 2}}),
    # a verb-less sentence about the samples just bounded is a reason, not a step
    ("Nothing under 0.3 on CLIP image-text similarity stays; such captions don't fit their images.",
     {"image_text_similarity_filter": {"min_score": 0.3}}),
])
def test_verdicts_said_around_the_bound(planner, goal, expected):
    assert plan(planner, goal) == [expected]


@pytest.mark.parametrize("goal,expected", [
    # an anaphoric piece that names a setting only another operator offers is that operator's step
    ("Keep only pictures at least 800 pixels tall, and then dedup them with phash.",
     [{"image_shape_filter": {"min_height": 800}}, {"image_deduplicator": {}}]),
    # ... while a bare 'strip them out of the text' is what happens to the words just bounded
    ("Words longer than 30 characters are junk, so strip them out of the text.", [{"remove_long_words_mapper": {"max_len": 30}}]),
    # a heading that counts its bullets counts no samples; 'podcast clips' are audio
    ("Podcast clips, two things:\n- anything shorter than 5 seconds is out\n- anything bigger than 10 MB is out",
     [{"audio_duration_filter": {"min_duration": 5}}, {"audio_size_filter": {"max_size": "10MB"}}]),
    ("Get rid of the audio clips longer than two minutes.", [{"audio_duration_filter": {"max_duration": 120}}]),
    # a fractional bound is no rank; a field's own words ('meta.rating') hint no argument
    ("From the reviews with a meta.rating of at least 4.5, keep the top 100 by meta.rating.",
     [{"specified_numeric_field_filter": {"field_key": "meta.rating", "min_value": 4.5}},
      {"topk_specified_field_selector": {"field_key": "meta.rating", "topk": 100}}]),
    # '最后一段' is 'the last piece', not 'finally'
    ("视频每 10 秒切一段，最后一段不足 3 秒的就不要了。",
     [{"video_split_by_duration_mapper": {"split_duration": 10, "min_last_split_duration": 3}}]),
    # the name right after the tool a wrapper operator wraps
    ("run an ffmpeg lowpass with f=3000 on the audio",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "lowpass", "filter_kwargs": {"f": 3000}}}]),
    ("Resize videos so none is taller than 720 px, shrinking the other side to keep the aspect ratio.",
     [{"video_resize_resolution_mapper": {"max_height": 720, "force_original_aspect_ratio": "decrease"}}]),
    # 'applied to a third of them': a setting of the step the piece points back at
    ("add gaussian noise to the recordings, amplitude 0.01 to 0.03, applied to a quarter of them",
     [{"audio_add_gaussian_noise_mapper": {"min_amplitude": 0.01, "max_amplitude": 0.03, "p": 0.25}}]),
])
def test_pieces_that_continue_or_start_a_step(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,expected", [
    # 'whatever survives' points at the data left, it keeps nothing; 'the file is out' after a bound is its verdict
    ("Once the longest line of a file tops 3,000 characters the file is out. In whatever survives, words longer "
     "than 40 characters should be deleted.",
     [{"maximum_line_length_filter": {"max_len": 3000}}, {"remove_long_words_mapper": {"max_len": 40}}]),
    ("token 数不到一百的文本就扔了。", [{"token_num_filter": {"min_num": 100}}]),
    # '最大振幅' / 'maximum amplitude': the max_ of a min_/max_ pair
    ("给音频加高斯噪声，最大振幅零点零五。", [{"audio_add_gaussian_noise_mapper": {"max_amplitude": 0.05}}]),
    ("add gaussian noise to the audio, maximum amplitude 0.05", [{"audio_add_gaussian_noise_mapper": {"max_amplitude": 0.05}}]),
    # a model named in capitals names the operators that load it; 'CLIP' is no video clip
    ("A caption that CLIP scores under 0.3 against its picture is wrong; drop those pairs.",
     [{"image_text_similarity_filter": {"min_score": 0.3}}]),
    # 'over before N seconds' is shorter than N; 'nothing' after the number is no rule
    ("Videos that are over before three seconds teach nothing, so those go.", [{"video_duration_filter": {"min_duration": 3}}]),
    # an aspect ratio written 'a:b' bounds aspect ratios, even after 'wider'
    ("drop videos wider than 21:9", [{"video_aspect_ratio_filter": {"max_ratio": "21/9"}}]),
    # a choice ruled out ('rather than the AdaptiveDetector') is not the one chosen
    ("scene-split the videos with the ContentDetector rather than the AdaptiveDetector",
     [{"video_split_by_scene_mapper": {}}]),
])
def test_sides_names_and_models(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


def test_chinese_numerals_that_are_no_numbers():
    """'一大半' (most of), '乱七八糟' (a mess) are no numbers; '一两秒', '三四个' are a small range."""
    from agent.planner.quantities import normalize, read_quantities

    assert read_quantities(normalize("库里一大半都是这种")) == []
    assert read_quantities(normalize("构图也乱七八糟")) == []
    (q,) = read_quantities(normalize("有的只有一两秒"))
    assert (q.cmp, q.low, q.high, q.measure) == ("range", 1, 2, "seconds")
    (q,) = read_quantities(normalize("二零二四年"))
    assert q.value == 2024
    # '一X就' is 'as soon as X': no number; a number with a unit before 就 stays one
    assert read_quantities(normalize("画面一动就有梳齿状的条纹")) == []
    assert read_quantities(normalize("这个文件一打开就报错")) == []
    (q,) = read_quantities(normalize("超过一分钟就删"))
    assert (q.value, q.measure) == (60, "seconds")


@pytest.mark.parametrize("goal,expected", [
    # one operator that takes every number of the piece ('40%' and '5-word') takes both
    ("If more than 30% of a page's 4-word sequences are repeats, drop it.",
     [{"word_repetition_filter": {"rep_len": 4, "max_ratio": 0.3}}]),
    # a deduplicator's method said after a vaguer dedup names which deduplicator
    ("Near-copies of the same photo should collapse to one, judged by difference hash.",
     [{"image_deduplicator": {"method": "dhash"}}]),
    # '只留一次' is 'once', no bound
    ("同一句话反复出现的只留一次，比较时不区分大小写。", [{"remove_repeat_sentences_mapper": {"lowercase": True}}]),
])
def test_one_operator_for_the_piece(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a placeholder written in lower case, after a replace verb: the operator that writes a replacement in
    ("Swap every URL for the literal token <link>.", [{"clean_links_mapper": {"repl": "<link>"}}]),
    # a verb-less aside that names an operator only faintly gives way to the clear steps
    ("Forum dump again, sorry. Replace every email address with <mail> and drop posts shorter than 20 words.",
     [{"clean_email_mapper": {"repl": "<mail>"}}, {"words_num_filter": {"min_num": 20}}]),
])
def test_faint_asides_and_placeholders(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


def test_a_share_of_the_data_is_no_setting(planner):
    """'Half the videos …' says how much of the data is affected; it is no radius or count."""
    out = plan(planner, "Half the dashcam videos show pedestrians' faces; blur them with a box blur.")
    assert out == [{"video_face_blur_mapper": {"blur_type": "box"}}]


@pytest.mark.parametrize("goal,expected", [
    ("这批语料是繁体的，帮我转成简体。", [{"chinese_convert_mapper": {"mode": "t2s"}}]),
    ("用 simhash 做近似去重，按标点分词。", [{"document_simhash_deduplicator": {"tokenization": "punctuation"}}]),
    ("用 phash 给图片去重，判断重复的时候把配的文字也算上。", [{"image_deduplicator": {"consider_text": True}}]),
    # '一句一条' is one item per sentence, no number
    ("按中文断句，一句一条。", [{"sentence_split_mapper": {"lang": "zh"}}]),
])
def test_chinese_choice_cues(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # the data, a verb and a way of asking name no step
    ("In each document, delete words longer than 30 characters.", [{"remove_long_words_mapper": {"max_len": 30}}]),
    ("Is there a way to keep only the German documents, and to drop anything over 2,048 tokens?",
     [{"language_id_score_filter": {"lang": "de"}}, {"token_num_filter": {"max_num": 2048}}]),
    # ... but a verb that names the operation does
    ("drop docs shorter than 50 chars, then dedupe", [{"text_length_filter": {"min_len": 50}}, {"document_deduplicator": {}}]),
])
def test_pieces_that_name_nothing(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,expected", [
    ("Would you really want to keep text where letters and digits make up less than 30% of the characters?",
     [{"alphanumeric_filter": {"min_ratio": 0.3}}]),
    ("A special-character ratio of 0.3 is as far as I'll go; a text that goes any higher doesn't get in.",
     [{"special_characters_filter": {"max_ratio": 0.3}}]),
    ("音频文件大于五十兆的，难道还要留着吗？", [{"audio_size_filter": {"max_size": "50MB"}}]),
    ("单词重复率只要到了零点四，基本就是复读机，这种别留。", [{"word_repetition_filter": {"max_ratio": 0.4}}]),
    ("视频高度没有四百八十像素的，没有一个是能用的。", [{"video_resolution_filter": {"min_height": 480}}]),
    ("要是画面上的文字面积不超过百分之五，那就没问题；否则这个视频就不进训练集。", [{"video_ocr_area_ratio_filter": {"max_area_ratio": 0.05}}]),
    ("If a recording's signal-to-noise ratio doesn't reach 10 dB, it has no place in the corpus.", [{"audio_nmf_snr_filter": {"min_snr": 10}}]),
    ("用 RAFT 光流算运动分，每秒采三帧，分数低于一的静态视频干掉。", [{"video_motion_score_raft_filter": {"min_score": 1, "sampling_fps": 3}}]),
    ("只留下帧标签里有 car 或者 bus 的视频。", [{"video_tagging_from_frames_filter": {"tags": ["car", "bus"]}}]),
])
def test_more_verdicts_and_units(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'otherwise' gives its verdict to the rest; with 'unless' the condition itself was turned already
    ("画面上的文字面积不超过百分之三；否则这个视频就不进训练集。", [{"video_ocr_area_ratio_filter": {"max_area_ratio": 0.03}}]),
    ("文本长度不少于两百个字符的留下，否则删掉。", [{"text_length_filter": {"min_len": 200}}]),
    ("除非困惑度低于一千，否则一律不收。", [{"perplexity_filter": {"max_ppl": 1000}}]),
])
def test_otherwise_speaks_of_the_rest(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a selector that takes no bound is no rival for the previous step's bound
    ("Run the KenLM perplexity check and throw out anything scoring above 1200.", [{"perplexity_filter": {"max_ppl": 1200}}]),
    # ... while a piece that clearly names another operator taking its number is that operator's step
    ("I only want the 500 samples with the highest meta.score, and from those just a random fifth.",
     [{"topk_specified_field_selector": {"field_key": "meta.score", "topk": 500}}, {"random_selector": {"select_ratio": 0.2}}]),
    ("Delete sentences that show up more than once in a document, treating upper and lower case as the same.",
     [{"remove_repeat_sentences_mapper": {"lowercase": True}}]),
    ("美学分数不低于零点五的图片才保留，一个样本里的每张图都得达标。", [{"image_aesthetics_filter": {"min_score": 0.5, "any_or_all": "all"}}]),
    ("视频左上角有台标，位置按比例大概是 0,0,0.2,0.1，把它抹掉。", [{"video_remove_watermark_mapper": {"roi_strings": ["0,0,0.2,0.1"]}}]),
])
def test_rivals_cues_and_regions(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,expected", [
    # an action verb only one close operator's requests begin with names it, even said weakly
    ("Keep only the French articles, and then break them into sentences using the French rules.",
     [{"language_id_score_filter": {"lang": "fr"}}, {"sentence_split_mapper": {"lang": "fr"}}]),
    # 'should be chunked' asks for an action, it keeps nothing; 'the remaining ones' are the rest
    ("Drop documents with a line longer than 2,000 characters; the remaining ones should be chunked into pieces of at "
     "most 1,024 characters.",
     [{"maximum_line_length_filter": {"max_len": 2000}}, {"text_chunk_mapper": {"max_len": 1024}}]),
])
def test_actions_said_weakly(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,expected", [
    # 'wider than N … scaled down': the number names what is changed, so it caps the result (max_); a target said
    # as 'no more than N' is the same cap
    ("Videos wider than 1920 or taller than 1080 should be scaled down, shrinking to keep the original aspect ratio.",
     [{"video_resize_resolution_mapper": {"max_width": 1920, "max_height": 1080, "force_original_aspect_ratio": "decrease"}}]),
    ("upscale videos smaller than 320 pixels wide", [{"video_resize_resolution_mapper": {"min_width": 320}}]),
    ("把视频缩放到宽度不超过1280像素", [{"video_resize_resolution_mapper": {"max_width": 1280}}]),
])
def test_resizing_caps_what_it_names(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    ("只要 meta.source 是「知乎」或「豆瓣」的样本，其他的都不要。",
     [{"specified_field_filter": {"field_key": "meta.source", "target_value": ["知乎", "豆瓣"]}}]),
    ("按 meta.score 排名，取第五十名到第五百名之间的样本。",
     [{"range_specified_field_selector": {"field_key": "meta.score", "lower_rank": 50, "upper_rank": 500}}]),
    ("图文对用 BLIP 算匹配分，低于零点五的过滤掉；算分的时候把图片水平翻转一下。",
     [{"image_text_matching_filter": {"min_score": 0.5, "horizontal_flip": True}}]),
])
def test_fields_ranks_and_rest(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a short noun phrase that only says what the data is names no step
    ("Spanish forum dump. Posts with a Spanish stopword ratio under 25% go.", [{"stopwords_filter": {"lang": "es", "min_ratio": 0.25}}]),
    # a second sentence of the previous step's own settings ('shingles' is its window)
    ("near-dup removal w/ minhash. character shingles of 5, jaccard 0.8.",
     [{"document_minhash_deduplicator": {"tokenization": "character", "window_size": 5, "jaccard_threshold": 0.8}}]),
    # suffixes kept: the operator that takes suffixes
    ("keep only files ending in .md or .rst", [{"suffix_filter": {"suffixes": [".md", ".rst"]}}]),
])
def test_scene_settings_and_suffixes(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    ("Resize the videos down so they fit inside 1280x720.", [{"video_resize_resolution_mapper": {"max_width": 1280, "max_height": 720}}]),
    ("Unless a clip's motion score reaches 2, it's basically a slideshow, so out it goes.", [{"video_motion_score_filter": {"min_score": 2}}]),
    ("Not one document with a stopword ratio under 0.2 should survive this pass.", [{"stopwords_filter": {"min_ratio": 0.2}}]),
    ("As long as a clip runs somewhere between five and sixty seconds, it's fine.", [{"video_duration_filter": {"min_duration": 5, "max_duration": 60}}]),
    ("音频文件超过二十MB的话，先不要了吧。", [{"audio_size_filter": {"max_size": "20MB"}}]),
])
def test_set11_style_verdicts(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a purpose clause ('so nothing gets stretched') is no verdict; 'resize … down' puts its numbers on the mapper
    ("Resize the videos down so they fit inside 1280x720, with force_original_aspect_ratio set to decrease so "
     "nothing gets stretched.",
     [{"video_resize_resolution_mapper": {"max_width": 1280, "max_height": 720, "force_original_aspect_ratio": "decrease"}}]),
    # a new sentence that clearly names another operator taking its number is that operator's step
    ("Keep videos whose frame-text similarity is at least 0.3. Also, no clip with an NSFW score over 0.4, please.",
     [{"video_frames_text_similarity_filter": {"min_score": 0.3}}, {"video_nsfw_filter": {"max_score": 0.4}}]),
    ("Remove the watermark in the region 0.8,0,1,0.1, then split the videos at scene changes with a detection threshold of 30.",
     [{"video_remove_watermark_mapper": {"roi_strings": ["0.8,0,1,0.1"]}}, {"video_split_by_scene_mapper": {"threshold": 30}}]),
    # the previous step's flag cue in a sentence of its own
    ("Cut every video into clips at its key frames; we don't need the full-length originals afterwards.",
     [{"video_split_by_key_frame_mapper": {"keep_original_sample": False}}]),
])
def test_purposes_new_sentences_and_flags(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,expected", [
    # percentiles said as percentages; the one field said earlier in the sentence
    ("按 meta.score 排序，只留中间那段：百分位在百分之十到百分之九十之间的样本。",
     [{"range_specified_field_selector": {"field_key": "meta.score", "lower_percentile": 0.1, "upper_percentile": 0.9}}]),
    ("完全重复的文件去掉，比较时不分大小写。", [{"document_deduplicator": {"lowercase": True}}]),
])
def test_percentiles_and_fields_said_before(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'I want it binned', 'we need them removed': what is wanted is the removal
    ("As soon as a text's special-character ratio climbs past 0.3, I want it binned.",
     [{"special_characters_filter": {"max_ratio": 0.3}}]),
    ("We need every page over 8000 characters removed.", [{"text_length_filter": {"max_len": 8000}}]),
    # what the rest gets, the described does not ('其余的都不收')
    ("平均行长在两百以内的文档可以用，其余的一律不收。", [{"average_line_length_filter": {"max_len": 200}}]),
    # '才有价值' keeps; '一概不用' removes
    ("图片宽度至少六百四十像素才有训练价值，其他的直接扔掉。", [{"image_shape_filter": {"min_width": 640}}]),
    ("文本长度不足三十个字符的，信息量太少，我们一概不用。", [{"text_length_filter": {"min_len": 30}}]),
    # a bound said once and pointed back at, in the same sentence or the next
    ("The model reads 2,048 tokens, so anything longer than that gets removed.", [{"token_num_filter": {"max_num": 2048}}]),
    ("The model reads 2,048 tokens. What good is a text whose token count goes beyond that?",
     [{"token_num_filter": {"max_num": 2048}}]),
    ("录音文件起码得有50KB，小于这个的基本都是空的，删掉。", [{"audio_size_filter": {"min_size": "50KB"}}]),
    # 'nothing gets in without …' removes; 'without' before a condition rules no operator out
    ("Nothing gets into the corpus without a language-ID score of at least 0.7.", [{"language_id_score_filter": {"min_score": 0.7}}]),
    # numbers in a quoted phrase are the user's example, not a setting; a verdict said in the next sentence
    # makes the number a bound, so the operator that bounds words takes it
    ('A post of fewer than 12 words rarely says more than "nice, 10 out of 10". Posts like that do not make the cut.',
     [{"words_num_filter": {"min_num": 12}}]),
])
def test_wanted_removals_the_rest_and_back_references(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a flag of the step just named, in the same sentence, its cue's words said in order with others between
    ("把第一个章节之前的内容去掉，没有章节的论文别删。", [{"remove_header_mapper": {"drop_no_head": False}}]),
    # a keep said again names no step; 'the photo is out' after a bound names none either
    ("去掉文本里的所有网址，其他内容照样保留。", [{"clean_links_mapper": {}}]),
    ("Suppose a photo's NSFW score is over 0.5. Then the photo is out.", [{"image_nsfw_filter": {"max_score": 0.5}}]),
    # close operators of one kind and no medium said: the one for the default medium
    ("remove duplicate answers, counting two answers as the same if they differ only in punctuation",
     [{"document_deduplicator": {"ignore_non_character": True}}]),
    # a piece that clearly names another operator taking its numbers is that operator's step
    ("Remove every video whose NSFW score is above 0.4, and then pull 6 evenly spaced frames out of each remaining clip.",
     [{"video_extract_frames_mapper": {"frame_num": 6, "frame_sampling_method": "uniform"}},
      {"video_nsfw_filter": {"max_score": 0.4}}]),
    # '每十秒' is a number; '尾巴' is the last piece; '每秒取样三帧' is fps
    ("把视频按每十秒切一段，最后不到三秒的尾巴不要。",
     [{"video_split_by_duration_mapper": {"split_duration": 10, "min_last_split_duration": 3}}]),
    ("计算运动分数时每秒取样三帧，分数低于一的视频删掉。", [{"video_motion_score_filter": {"sampling_fps": 3, "min_score": 1}}]),
])
def test_flags_keeps_said_again_and_new_steps(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,expected", [
    # a literal to remove, no operator clearly named: the operator whose own requests quote literals
    ("Every page ends with the line 'Subscribe to our newsletter'; delete it everywhere.",
     [{"replace_content_mapper": {"pattern": "Subscribe to our newsletter"}}]),
    # of two operators that are one job for different media, the one for the medium said
    ("The photo archive keeps getting the same uploads, byte-for-byte identical pictures.", [{"image_deduplicator": {}}]),
])
def test_literals_and_media_twins(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_siblings_are_no_rivals_for_a_described_trouble(planner):
    # the watermark filter and the watermark remover answer the same trouble: either is a step
    got = plan(planner, "做视频生成的数据，可好多片子右下角都带着频道的台标。")
    assert any(next(iter(s)) in ("video_watermark_filter", "video_remove_watermark_mapper") for s in got)


@pytest.mark.parametrize("goal,expected", [
    # what nobody can do asks for nothing when clear steps are said
    ("The lectures run for hours and no one can review them like that. Cut every video into 60-second pieces.",
     [{"video_split_by_duration_mapper": {"split_duration": 60}}]),
    # a bare number after a word no argument has: an option of the tool that takes a dict of them
    ("Slow the speech down with ffmpeg's atempo filter at tempo 0.8.",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "atempo", "filter_kwargs": {"tempo": 0.8}}}]),
])
def test_shares_inabilities_and_tool_options(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_half_of_every_sample_is_no_setting(planner):
    # 'half of every page …' is a share of the data, no setting of whatever the description implies
    got = plan(planner, "We crawled product forums, and half of every page is the same boilerplate. Drop pages under 40 words.")
    assert {"words_num_filter": {"min_num": 40}} in got
    assert not any(0.5 in s[next(iter(s))].values() for s in got)


@pytest.mark.parametrize("goal,expected", [
    # judgements: 'is basically noise', "won't be used", 'should not contain', '没法用'
    ("Texts that come in below 80 characters are basically noise to us.", [{"text_length_filter": {"min_len": 80}}]),
    ("Images narrower than 256 pixels won't be used.", [{"image_shape_filter": {"min_width": 256}}]),
    ("The corpus should not contain any page whose stopword ratio is below 0.2.", [{"stopwords_filter": {"min_ratio": 0.2}}]),
    ("图片宽度低于三百像素的没法用。", [{"image_shape_filter": {"min_width": 300}}]),
    # a disposal said with its subject or a verb of the lexicon ('我们就不要了', '一律清理掉', '这篇就别要了')
    ("文本长度短于六十个字符的，我们就不要了。", [{"text_length_filter": {"min_len": 60}}]),
    ("特殊字符占比超出百分之三十的样本，一律清理掉。", [{"special_characters_filter": {"max_ratio": 0.3}}]),
    ("最长的一行要是超过三千字符，这篇就别要了。", [{"maximum_line_length_filter": {"max_len": 3000}}]),
    # a variant named for its model (RAFT) answers only when the model is said
    ("视频运动分数小于一的，我们不收。", [{"video_motion_score_filter": {"min_score": 1}}]),
])
def test_more_judgements_disposals_and_model_variants(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # what 'everything except' / 'anything but' excepts gets the other verdict; 'nothing except' is 'only'
    ("Everything except posts with fewer than 15 words can stay.", [{"words_num_filter": {"min_num": 15}}]),
    ("Anything but videos longer than 90 seconds is fine.", [{"video_duration_filter": {"max_duration": 90}}]),
    ("Remove nothing except documents with a flagged-word ratio above 0.02.", [{"flagged_words_filter": {"max_ratio": 0.02}}]),
    ("除了文本长度不到三十个字符的，其他都保留。", [{"text_length_filter": {"min_len": 30}}]),
    # a floor / a ceiling; 'language ID score' names no language
    ("Set a floor of 0.6 on the language ID score.", [{"language_id_score_filter": {"min_score": 0.6}}]),
    ("Put a ceiling of 0.1 on the flagged word ratio.", [{"flagged_words_filter": {"max_ratio": 0.1}}]),
    # "we won't keep them", 'disqualifies', '均予以剔除', '跳过', '留下来也训练不了', '大于等于'
    ("Pages with a maximum line length over 4000 characters are minified code; we won't keep them.",
     [{"maximum_line_length_filter": {"max_len": 4000}}]),
    ("An NMF SNR lower than 4 dB disqualifies a recording.", [{"audio_nmf_snr_filter": {"min_snr": 4}}]),
    ("凡是困惑度大于三千的文档，均予以剔除。", [{"perplexity_filter": {"max_ppl": 3000}}]),
    ("平均行长超过三百字符的网页，多半是代码，跳过。", [{"average_line_length_filter": {"max_len": 300}}]),
    ("token数多于六千的文档，留下来也训练不了。", [{"token_num_filter": {"max_num": 6000}}]),
    ("特殊字符比例大于等于0.3的样本不要。", [{"special_characters_filter": {"max_ratio": 0.3}}]),
    # a bound stated, then its other side disposed of ('最低0.6，低于这个的删')
    ("字母数字比例最低0.6，低于这个的删。", [{"alphanumeric_filter": {"min_ratio": 0.6}}]),
])
def test_exceptions_floors_and_more_verdicts(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    ("有没有办法把大于30MB的音频去掉？", [{"audio_size_filter": {"max_size": "30MB"}}]),  # '有没有' asks, negates nothing
    ("文档至少要有八十个词，短的没用。", [{"words_num_filter": {"min_num": 80}}]),  # '要有' keeps
    ("用MinHash去重，然后困惑度高于两千的文档踢掉。",
     [{"document_minhash_deduplicator": {}}, {"perplexity_filter": {"max_ppl": 2000}}]),
    ("Anything with an image NSFW score above 0.2 must never ship.", [{"image_nsfw_filter": {"max_score": 0.2}}]),
    ("图片文件起码得有20KB，小于这个的基本是坏图，删掉。", [{"image_size_filter": {"min_size": "20KB"}}]),  # '起码得有'
])
def test_questions_musts_and_kicks(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


def _probe_ids():
    from tests.agent.polarity_probes import PROBES
    return PROBES


@pytest.mark.parametrize("goal,bounds", _probe_ids())
def test_polarity_probes_never_on_the_wrong_side(planner, goal, bounds):
    got = plan(planner, goal)
    for op, arg, value in bounds:
        other = arg.replace("min", "@").replace("max", "min").replace("@", "max")
        steps = [s[op] for s in got if op in s]
        assert not any(s.get(other) == value for s in steps if not any(a == other for _, a, _ in bounds)), got


def test_polarity_probes_mostly_bound(planner):
    from tests.agent.polarity_probes import PROBES
    hit = 0
    for goal, bounds in PROBES:
        got = plan(planner, goal)
        hit += all(any(op in s and s[op].get(arg) == value for s in got) for op, arg, value in bounds)
    assert hit / len(PROBES) >= 0.95, f"{hit}/{len(PROBES)}"


def test_acronym_plurals_are_found():
    from tools.retrieval import features
    assert "w:ip" in features("internal server IPs everywhere") and "w:url" in features("strip the URLs")
    assert "w:tag" not in features("strip HTML tags")


@pytest.mark.parametrize("goal,expected", [
    # a share of the samples is how often a mapper applies
    ("Add Gaussian noise to 20% of the recordings.", [{"audio_add_gaussian_noise_mapper": {"p": 0.2}}]),
    ("给百分之四十的音频加高斯噪声。", [{"audio_add_gaussian_noise_mapper": {"p": 0.4}}]),
    # the part a bound measures (a line) sends operators named for another part (words) back
    ("drop any document with a line longer than 700 characters", [{"maximum_line_length_filter": {"max_len": 700}}]),
])
def test_shares_of_samples_and_measured_parts(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '合影' is a picture: the face operators for images answer
    ("人脸数介于三个和八个之间的合影留下，其余的不要。", [{"image_face_count_filter": {"min_face_count": 3, "max_face_count": 8}}]),
    # the bound has its operator; a weak top hit of the same piece is no second step
    ("把网址都换成[URL]，另外少于二十个字符的帖子直接删掉。",
     [{"clean_links_mapper": {"repl": "[URL]"}}, {"text_length_filter": {"min_len": 20}}]),
])
def test_picture_nouns_and_no_weak_second_step(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '统一成' holds no '一成' (10%); '五花八门' holds no numbers
    ("统一成NFC，去掉多余空白。", [{"fix_unicode_mapper": {"normalization": "NFC"}}, {"whitespace_normalization_mapper": {}}]),
    # 'prompt_key' beside 'prompt' is an alternative, not a must: the captioning step stays
    ("Drop videos with an NSFW score above 0.6, then caption the rest from their frames.",
     [{"video_captioning_from_frames_mapper": {}}, {"video_nsfw_filter": {"max_score": 0.6}}]),
    # what follows 'i.e.' says it in the operator's terms
    ("Videos whose frames don't show what the text says, i.e. a frame-text similarity below 0.25, must go.",
     [{"video_frames_text_similarity_filter": {"min_score": 0.25}}]),
    # of close operators, the one whose own requests use the piece's action verb
    ("Break every document into sentences.", [{"sentence_split_mapper": {}}]),
])
def test_idioms_optional_fields_ie_and_actions(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


def test_idioms_hold_no_numbers():
    from agent.planner.quantities import normalize
    assert normalize("格式五花八门，四面八方，七上八下") == "格式五花八门，四面八方，七上八下"
    assert normalize("五秒到八秒，三到五个") == "5秒到8秒，3到5个"


@pytest.mark.parametrize("goal,expected", [
    # a number said first and pointed back at from the next sentence, its verdict further on
    ("Here is the cutoff: 90 characters of average line length. A page whose lines run longer than that on average "
     "is usually a table, so those pages come out of the set.", [{"average_line_length_filter": {"max_len": 90}}]),
    ("先定个数：一百个字符。比这个还短的帖子，基本都是“顶”“沙发”之类的，清掉。", [{"text_length_filter": {"min_len": 100}}]),
    # 'hang on to' keeps; "don't bother keeping", "doesn't want" remove; '不能不删' is a double negative
    ("Hang on to the videos whose motion score sits between 1 and 9.", [{"video_motion_score_filter": {"min_score": 1, "max_score": 9}}]),
    ("Who learns anything from a text whose stopword ratio is under 0.1? Don't bother keeping those.",
     [{"stopwords_filter": {"min_ratio": 0.1}}]),
    ("Say a video's NSFW score lands above 0.4. Then the team doesn't want it in the release.",
     [{"video_nsfw_filter": {"max_score": 0.4}}]),
    ("美学评分不到零点五的图片，不能不删。", [{"image_aesthetics_filter": {"min_score": 0.5}}]),
    # '砍掉' removes, '有什么看头' asks rhetorically; a lone '留' keeps; '退回去' removes
    ("字符重复率都过了0.3，这种文本还有什么看头？统统砍掉。", [{"character_repetition_filter": {"max_ratio": 0.3}}]),
    ("二十MB及以下的音频文件，留。更大的那些不放进这一批。", [{"audio_size_filter": {"max_size": "20MB"}}]),
    ("图片高度低于五百像素的，全都退回去。", [{"image_shape_filter": {"min_height": 500}}]),
])
def test_set13_style_verdicts(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # on a Ray cluster, the Ray twin takes the plain step's settings; a count in the story is no setting
    ("The photo archive sits on our Ray cluster and the same picture comes from four different shops. "
     "Dedupe the images there with phash.", [{"ray_image_deduplicator": {}}]),
    # '只要有一帧' is 'a frame', no count; '参数I=-16' is an option
    ("视频只要有一帧的水印概率超过0.7就删。", [{"video_watermark_filter": {"prob_threshold": 0.7}}]),
    ("把音频用ffmpeg的loudnorm滤镜做响度归一化，参数I=-14。",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "loudnorm", "filter_kwargs": {"I": -14}}}]),
    # quoted tags to keep are no literals to remove
    ("Select by tag: only the articles tagged 'sports' or 'health'.",
     [{"tags_specified_field_selector": {"target_tags": ["sports", "health"]}}]),
])
def test_ray_twins_story_counts_and_options(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_urls_hold_no_settings():
    from agent.planner.quantities import read_quantities
    assert read_quantities("use the redis backend at redis://10.2.0.7:6379") == []


def test_a_plan_leaves_nothing_behind_for_the_next_search(planner):
    before = planner.search("remove duplicate images")
    planner.plan("On our Ray cluster, dedupe the videos.")
    assert planner.search("remove duplicate images") == before
    assert not hasattr(planner._turn, "text")


@pytest.mark.parametrize("goal,expected", [
    # a language that says what the data is, beside another step, is that step's language or nothing
    ("remove texts with perplexity higher than 500 in English", [{"perplexity_filter": {"max_ppl": 500}}]),
    ("drop documents whose flagged-word ratio is above 3% in Chinese", [{"flagged_words_filter": {"max_ratio": 0.03, "lang": "zh"}}]),
    ("这批英文语料里，困惑度在两千以上的都删掉。", [{"perplexity_filter": {"max_ppl": 2000}}]),
    ("convert everything to simplified Chinese", [{"chinese_convert_mapper": {"mode": "t2s"}}]),
    # 'keep English …' and 'only …' still ask for the language filter
    ("keep English documents of 50 to 2000 characters",
     [{"text_length_filter": {"min_len": 50, "max_len": 2000}}, {"language_id_score_filter": {"lang": "en"}}]),
])
def test_a_language_describing_the_data(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("text,pieces", [
    ("七成是及格线，线下的作废", ["七成是及格线", "线下的作废"]),  # '及格' is a word, not 'and'
    ("参与讨论的帖子", ["参与讨论的帖子"]),
    ("删掉邮箱和链接", ["删掉邮箱", "链接"]),
])
def test_chinese_and_inside_a_word_splits_nothing(text, pieces):
    from agent.planner import clauses as C
    assert [p for h in C.hard_clauses(text) for _, p in C.soft_pieces(*h)] == pieces


@pytest.mark.parametrize("goal,expected", [
    # a condition and its consequence in one piece: '只要…就删' is 'as soon as', not 'only keep'
    ("只要某篇文章里有哪一段的字符重复率高过三成，这篇文章就给我删了。", [{"character_repetition_filter": {"max_ratio": 0.3}}]),
    # 'what I need gone' wants a removal; 'that trait' points back across sentences
    ("Noisy recordings share one trait: an NMF SNR under 8 dB. Recordings with that trait are what I need gone.",
     [{"audio_nmf_snr_filter": {"min_snr": 8}}]),
    ("Face count check (limit: four faces per image). Images over the limit are removed.",
     [{"image_face_count_filter": {"max_face_count": 4}}]),
])
def test_conditions_wants_and_back_references(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # arrows chain steps; '-> out' is a verdict, not a step
    ("web dump: strip html -> fix unicode -> drop exact duplicates",
     [{"clean_html_mapper": {}}, {"fix_unicode_mapper": {}}, {"document_deduplicator": {}}]),
    ("alnum ratio below 0.6 -> out.", [{"alphanumeric_filter": {"min_ratio": 0.6}}]),
    # a choice value with underscores, said in words
    ("remove the logo in region 0.8,0,1,0.1 of each video, detecting it by pixel diversity",
     [{"video_remove_watermark_mapper": {"roi_strings": ["0.8,0,1,0.1"], "detection_method": "pixel_diversity"}}]),
    # a field before a colon is the field of what follows
    ("meta.score: keep only the rows between the 10th and the 90th percentile.",
     [{"range_specified_field_selector": {"field_key": "meta.score", "lower_percentile": 0.1, "upper_percentile": 0.9}}]),
    # what the samples just described are, and a relative clause on the step just named, are no steps
    ("Remove any word that contains 'www' or '.net'; those are broken links.",
     [{"remove_words_with_incorrect_substrings_mapper": {"substrings": ["www", ".net"]}}]),
    # an aside in parentheses stays with its sentence ('同时' inside it splits nothing)
    ("再用 BLIP 算图文匹配分（同时考虑水平翻转后的图），低于0.4的删掉。",
     [{"image_text_matching_filter": {"horizontal_flip": True, "min_score": 0.4}}]),
])
def test_arrows_asides_field_headings_and_descriptions(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # the piece's own Chinese action verb (切块) names its operator; the quoted '。' is that operator's pattern
    ("先把链接删掉，再以句号“。”为切分点把长文切块，每块最多五百字。",
     [{"clean_links_mapper": {}}, {"text_chunk_mapper": {"split_pattern": "。", "max_len": 500}}]),
    ("然后做 SimHash 近似去重：按字切分。", [{"document_simhash_deduplicator": {"tokenization": "character"}}]),
])
def test_chinese_action_verbs(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a story before the asked-for steps sets the scene; the operator it resembles is no step
    ("Our bodycam archive is one long file per shift. Cut each file wherever the scene changes, using the adaptive "
     "detector with a threshold of 5, then write two captions per clip from its frames and keep only the captioned "
     "copies, not the originals.",
     [{"video_split_by_scene_mapper": {"detector": "AdaptiveDetector", "threshold": 5}},
      {"video_captioning_from_frames_mapper": {"caption_num": 2, "keep_original_sample": False}}]),
])
def test_a_story_sets_the_scene(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_lone_chinese_units_are_words():
    assert normalize("百科词条 千篇一律 百度") == "百科词条 千篇一律 百度"
    assert normalize("几千字的回复 三百 一百个") == "几1000字的回复 300 100个"


@pytest.mark.parametrize("goal,expected", [
    ("We're training a clip-art generator and the image scrape has lots of duplicates; dedupe the images with phash.",
     [{"image_deduplicator": {}}]),
    ("正文里夹杂着日文假名，只保留中文的文档", [{"language_id_score_filter": {"lang": "zh"}}]),
])
def test_clip_art_and_character_languages(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'A和B的X' is one noun phrase, not two requests
    ("哪个视频的画面帧和字幕文本的相似度能到0.25，哪个就留下。", [{"video_frames_text_similarity_filter": {"min_score": 0.25}}]),
    # the bounds said again about the other sides name no new step
    ("CLIP 图文相似度夹在零点二和零点三中间的图文对都不要；比零点二低的、比零点三高的都留着。",
     [{"image_text_similarity_filter": {"min_score": 0.2, "max_score": 0.3, "reversed_range": True}}]),
    # a later sentence that points back at the bounded band gives its verb; 'couldn't agree' forbids nothing
    ("Where the raters couldn't agree, meta.quality sits from 0.4 up to 0.6. Discard every sample in that murky middle.",
     [{"specified_numeric_field_filter": {"field_key": "meta.quality", "min_value": 0.4, "max_value": 0.6,
                                          "reversed_range": True}}]),
])
def test_noun_pairs_restated_bounds_and_pointing_back(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a relative path with a file name is a path
    ("把样本拆回一条一条的，批次的元信息导出到 exports/meta.jsonl。",
     [{"naive_reverse_grouper": {"batch_meta_export_path": "exports/meta.jsonl"}}]),
    # keeping clips by quoted tags asks for the filter, not the mapper of the same name
    ("Keep only the clips whose frame tags include 'dog'.", [{"video_tagging_from_frames_filter": {"tags": ["dog"]}}]),
])
def test_relative_paths_and_filter_twins(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # two quoted spellings that differ only in case say 'ignore case'; they are no values
    ("Drop exact duplicate posts, counting 'Thanks' and 'THANKS' as the same.", [{"document_deduplicator": {"lowercase": True}}]),
    ("精确去重，把“Apple”和“apple”当成一样的。", [{"document_deduplicator": {"lowercase": True}}]),
])
def test_case_examples_say_ignore_case(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'rather … than keep' keeps nothing; a verdict said first, alone; 'fails to reach'; a requirement keeps
    ("I'd rather lose some good pages than keep a single one where flagged words make up more than 2% of the text.",
     [{"flagged_words_filter": {"max_ratio": 0.02}}]),
    ("Out, every last one of them: pages with fewer than 40 words.", [{"words_num_filter": {"min_num": 40}}]),
    ("Any article that fails to reach 2k words has no place in the set.", [{"words_num_filter": {"min_num": 2000}}]),
    ("水印概率超过0.6的图片去掉；另外图片的宽和高都得至少三百像素。",
     [{"image_watermark_filter": {"prob_threshold": 0.6}}, {"image_shape_filter": {"min_width": 300, "min_height": 300}}]),
])
def test_rather_than_verdict_first_and_requirements(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("text,cmp,value,low,high,measure", [
    ("达不到三成半的", "le", 0.35, None, None, "ratio"),
    ("from two and a half to ten seconds", "range", None, 2.5, 10, "seconds"),
    ("迈过12分贝这道坎", "ge", 12, None, None, "decibels"),
])
def test_quantity_reader_halves(text, cmp, value, low, high, measure):
    test_quantity_reader(text, cmp, value, low, high, measure)


@pytest.mark.parametrize("goal,expected", [
    ("wiki dump: emails -> '[MAIL]', then exact dedup", [{"clean_email_mapper": {"repl": "[MAIL]"}}, {"document_deduplicator": {}}]),
    ("字母和数字占比达不到四成的文本，不予采用。", [{"alphanumeric_filter": {"min_ratio": 0.4}}]),
    ("Clips lasting from three to twelve seconds are to be removed; the shorter and the longer ones are both kept.",
     [{"video_duration_filter": {"min_duration": 3, "max_duration": 12, "reversed_range": True}}]),
])
def test_arrow_replacements_negated_adoption_and_other_sides(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_at_least_takes_no_verb_from_before(planner):
    # 'at least' without a verb of its own states a requirement: a removal said before does not flip it
    got = plan(planner, "先去掉重复出现的句子，另外文本长度至少三十个字。")
    assert {"text_length_filter": {"min_len": 30}} in got


@pytest.mark.parametrize("goal,expected", [
    # a setting in the next sentence goes to the step the sentence before asked for
    ("There are about 50k posts, each with a meta.votes count. I want the 2,000 most voted ones.",
     [{"topk_specified_field_selector": {"field_key": "meta.votes", "topk": 2000}}]),
    # 'width-to-height ratio' is an aspect ratio, not a width
    ("keep the images whose width-to-height ratio is between 0.6 and 1.8",
     [{"image_aspect_ratio_filter": {"min_ratio": 0.6, "max_ratio": 1.8}}]),
])
def test_settings_in_the_next_sentence_and_aspect_words(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_list_of_numbers_in_a_story_is_no_setting(planner):
    got = plan(planner, "Our dashcams record at 25, 30 and 50 frames per second, but the model expects every clip at "
                        "one and the same frame rate.")
    assert all(not args for step in got for args in step.values())


def test_numbers_in_a_list_stay_in_one_piece():
    from agent.planner import clauses as C
    assert [p for h in C.hard_clauses("shooting at 24, 30 and 60 fps") for _, p in C.soft_pieces(*h)] == \
        ["shooting at 24, 30 and 60 fps"]


def test_a_side_nothing_said_is_said_back(planner):
    """A bound whose side no verb near it says is said back for the user to check, in the user's language; a
    bound said with its verb, or as a requirement ('at least'), is not."""
    out = planner.plan("remove emails, texts over 2000 characters")
    assert out.recipe["process"][-1] == {"text_length_filter": {"max_len": 2000}}
    assert any("Check the side" in n and "remove" in n and "max_len" in n for n in out.notes), out.notes
    zh = planner.plan("先去掉重复句子，字符重复率超过0.3")
    assert any("请确认方向" in n and "删除" in n for n in zh.notes), zh.notes
    for goal in ("drop docs under 50 words", "remove emails; texts must be at least 2000 characters long"):
        assert not any("Check the side" in n for n in planner.plan(goal).notes), goal


@pytest.mark.parametrize("goal,expected", [
    # an image-text pair is an image and its text; image pairs are two images
    ("Image-caption pairs whose CLIP similarity is under 0.2 should be removed.", [{"image_text_similarity_filter": {"min_score": 0.2}}]),
    ("keep image pairs whose CLIP similarity is between 0.4 and 0.9", [{"image_pair_similarity_filter": {"min_score": 0.4, "max_score": 0.9}}]),
])
def test_compound_terms_name_their_members(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    ("每个视频均匀抽六帧打标签。", [{"video_tagging_from_frames_mapper": {"frame_sampling_method": "uniform", "frame_num": 6}}]),
    ("视频帧与文本相似度在0.25以下的去除", [{"video_frames_text_similarity_filter": {"min_score": 0.25}}]),
])
def test_tagging_from_frames_and_measures_of_two_nouns(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a quoted value right after 'with' / 'for' / 替换成 is the new text; a placeholder after 'for' needs no verb of its own
    ("把所有网址替换成“[链接]”", [{"clean_links_mapper": {"repl": "[链接]"}}]),
    ("swap every email for <MAIL> and every IP for <ADDR>", [{"clean_email_mapper": {"repl": "<MAIL>"}}, {"clean_ip_mapper": {"repl": "<ADDR>"}}]),
    # a word of the top operator's own name names it; a size in words sets a token window
    ("please dedupe the forum posts with MinHash, 3-word shingles", [{"document_minhash_deduplicator": {"window_size": 3}}]),
    # a context said anywhere picks the operator's twin for it; an address fills the argument whose default is one
    ("We run on a Ray cluster. Remove exact duplicate documents, with the redis backend at redis://192.168.1.20:6380.",
     [{"ray_document_deduplicator": {"backend": "redis", "redis_address": "redis://192.168.1.20:6380"}}]),
    # an ffmpeg option written as an expression stays as written
    ("slow the clips down with ffmpeg's setpts filter, expr=2.0*PTS", [{"video_ffmpeg_wrapped_mapper": {"filter_name": "setpts", "filter_kwargs": {"expr": "2.0*PTS"}}}]),
    # 'the whole X' is the original sample; a negation before it
    ("split each lecture into 60-second chunks, and we don't need the whole lecture kept afterwards",
     [{"video_split_by_duration_mapper": {"split_duration": 60, "keep_original_sample": False}}]),
    # media formats named without their dot are suffixes; only those the verb is about
    ("视频格式很杂，avi、wmv 都有，我们只收 mp4 和 mov", [{"suffix_filter": {"suffixes": [".mp4", ".mov"]}}]),
    ("only keep the OGG and OPUS recordings", [{"suffix_filter": {"suffixes": [".ogg", ".opus"]}}]),
])
def test_replacements_name_words_contexts_and_formats(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    ("Keep pictures showing more than six faces out of the dataset.", [{"image_face_count_filter": {"max_face_count": 6}}]),
    ("An NSFW score of 0.3 or higher counts as a fail; only the images that pass stay.", [{"image_nsfw_filter": {"max_score": 0.3}}]),
    ("不管文笔多好，只要特殊字符占比超过三成，这篇文章也不能要。", [{"special_characters_filter": {"max_ratio": 0.3}}]),
    ("音频信噪比一旦跌破十，这条音频就不要了。", [{"audio_nmf_snr_filter": {"min_snr": 10}}]),
    ("字母数字占比超过五分之四的文本才保留。", [{"alphanumeric_filter": {"min_ratio": 0.8}}]),
    ("Every row with meta.score from -3 to -1 has to go.",
     [{"specified_numeric_field_filter": {"field_key": "meta.score", "min_value": -3, "max_value": -1, "reversed_range": True}}]),
    ("凡是宽度超过高度五倍的图片都去掉", [{"image_aspect_ratio_filter": {"max_ratio": 5}}]),
    ("Remove images that are wider than 3 times their height.", [{"image_aspect_ratio_filter": {"max_ratio": 3}}]),
    # a reason asks for nothing; a bug report's labels name no step and its 'Actual' line only says how things stand
    ("Drop texts under 40 words, because then the classifier has nothing to read.", [{"words_num_filter": {"min_num": 40}}]),
    ("Expected: no document is shorter than 200 characters.\nActual: about a thousand are.\nFix: make it so.",
     [{"text_length_filter": {"min_len": 200}}]),
])
def test_sides_said_as_grades_conditions_shares_and_reports(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_every_recording_stays_drops_nothing(planner):
    """'Every X stays' / 'no X dropped' say that nothing may be lost: no filter, deduplicator or selector."""
    for goal in ("Make the podcast recordings sound warmer. Every recording stays in the set.",
                 "Blur the bystanders' faces in the bodycam clips; no footage dropped."):
        ops = [next(iter(s)) for s in planner.plan(goal).recipe["process"]]
        assert not any(o.endswith(("_filter", "_deduplicator", "_selector")) for o in ops), (goal, ops)


def test_quoted_literals_hold_no_numbers_and_quoted_symbols_are_removed(planner):
    """"they're mostly '+1' noise" gives a reason, it sets no number; a quoted symbol the text is littered with is
    removed by the operator that takes characters."""
    assert plan(planner, "Drop posts with fewer than 8 words; they're mostly '+1' spam.") == [{"words_num_filter": {"min_num": 8}}]
    assert plan(planner, "扫描件识别失败的地方全是“■”，通篇都是。") == [{"remove_specific_chars_mapper": {"chars_to_remove": "■"}}]


@pytest.mark.parametrize("goal,expected", [
    # a bound said with a verb and no medium speaks of the medium of the step just planned
    ("The lecture recordings are hours long. Split them at scene changes, then drop any piece shorter than 2 seconds.",
     [{"video_split_by_scene_mapper": {}}, {"video_duration_filter": {"min_duration": 2}}]),
    ("Turn the volume of every voice note up with ffmpeg's volume filter (volume=2), then remove any note longer than 60 seconds.",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "volume", "filter_kwargs": {"volume": 2}}}, {"audio_duration_filter": {"max_duration": 60}}]),
    # a bare number after a step that took its setting is that step's bound; the pieces a split made are samples
    ("美学分按每个视频取六帧来算，低于零点四的片段删掉。", [{"video_aesthetics_filter": {"frame_num": 6, "min_score": 0.4}}]),
    # a fragment joined to the next piece does not hide what that piece's numbers name
    ("先把网址都去掉，再用英文停用词表，删掉停用词比例低于百分之十的文章。",
     [{"clean_links_mapper": {}}, {"stopwords_filter": {"min_ratio": 0.1}}]),
])
def test_media_of_the_step_before_and_numbers_after_fragments(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_word_of_another_operators_name_is_a_new_step(planner):
    """'…, and from those a random 500': a word of another operator's own name, said after a step, names that
    operator (its number is no setting of the step before)."""
    assert plan(planner, "Take the 10% of rows with the highest meta.loss, and from those a random 500 for review.") == [
        {"topk_specified_field_selector": {"field_key": "meta.loss", "top_ratio": 0.1}}, {"random_selector": {"select_num": 500}}]


@pytest.mark.parametrize("text,value,measure", [
    ("宽高比超过十六比九", 16 / 9, None), ("占比四成五以上", 0.45, "ratio"), ("时长也得有三秒半", 3.5, "seconds"),
    ("一个半小时以内", 5400.0, "seconds"),
])
def test_chinese_ratios_tenths_and_halves(text, value, measure):
    from agent.planner.quantities import normalize, read_quantities
    q = read_quantities(normalize(text))[0]
    assert q.value == pytest.approx(value, rel=1e-4) and q.measure == measure, (text, q)


@pytest.mark.parametrize("goal,expected", [
    ("宽高比超过九比十六的视频，一律靠边站。", [{"video_aspect_ratio_filter": {"max_ratio": "9/16"}}]),
    ("库里最短的视频也得有四秒半，比这还短的都不该还在库里。", [{"video_duration_filter": {"min_duration": 4.5}}]),
])
def test_step_aside_and_the_shortest_must_have(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a refusal to accept removes; 超速 is past the line just said; 吊销 removes
    ("The archive won't accept any clip longer than 90 seconds.", [{"video_duration_filter": {"max_duration": 90}}]),
    ("音频时长就像限重：六十秒是上限，超限的音频一律注销。", [{"audio_duration_filter": {"max_duration": 60}}]),
    # a size to shrink to is the resize mapper's cap (no filter drops anything); keeping the aspect ratio fits inside
    ("shrink any video wider than 1280 px down to 1280 px wide, keeping the aspect ratio",
     [{"video_resize_resolution_mapper": {"max_width": 1280, "force_original_aspect_ratio": "decrease"}}]),
])
def test_refusals_speed_limits_and_shrinking_targets(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_no_loss_drops_guessed_filters(planner):
    """'…, and we can't afford to lose any of them': no step that drops samples unless the user gave its bound."""
    for goal in ("Half the scans are rotated sideways; fix them, we can't afford to lose any of them.",
                 "客服录音开头都有一段提示音，想去掉，录音一条都不能少。"):
        ops = [next(iter(s)) for s in planner.plan(goal).recipe["process"]]
        assert not any(o.endswith(("_filter", "_deduplicator", "_selector")) for o in ops), (goal, ops)
    kept = plan(planner, "Every clip has to stay, except those shorter than 2 seconds.")
    assert kept == [{"video_duration_filter": {"min_duration": 2}}]


def test_an_action_ruled_out_is_no_step(planner):
    """'… stretching them into another shape would ruin them': the operator that stretches is ruled out."""
    for goal in ("A third of the dashcam videos were mounted upside down and play flipped. We can't afford to lose any "
                 "of them, and stretching them to another shape would ruin them.",
                 "Some clips play sideways. Not one may be deleted, and stretching them into a new aspect ratio would "
                 "wreck them."):
        ops = [next(iter(s)) for s in planner.plan(goal).recipe["process"]]
        assert "video_resize_aspect_ratio_mapper" not in ops and not any(
            o.endswith(("_filter", "_deduplicator", "_selector")) for o in ops), ops


@pytest.mark.parametrize("goal,expected", [
    # a setting said before the step it sets; the frame the score is taken from
    ("影片美学筛选：每支取十帧评分，以分数最低的那一帧为准，低于零点四就删。",
     [{"video_aesthetics_filter": {"frame_num": 10, "reduce_mode": "min", "min_score": 0.4}}]),
    ("为每个视频生成两条描述，候选全部保留。", [{"video_captioning_from_frames_mapper": {"caption_num": 2, "keep_candidate_mode": "all"}}]),
])
def test_settings_before_their_step_and_frame_reductions(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a title line above the rest names no step
    ("Notes from Tuesday's sync\n- drop rows whose meta.score is under 3\n- then pick 500 rows at random",
     [{"specified_numeric_field_filter": {"field_key": "meta.score", "min_value": 3}}, {"random_selector": {"select_num": 500}}]),
    # 'tidy up the export' asks for no step of its own when the steps follow
    ("Can you tidy up the forum export? Swap every e-mail address for [MAIL], then remove texts over 9000 characters.",
     [{"clean_email_mapper": {"repl": "[MAIL]"}}, {"text_length_filter": {"max_len": 9000}}]),
    # a quoted sentence is read like the rest, and 'apply the rule' points back at it
    ('Our style guide, rule 7: "Any text with a special-character ratio above 0.35 is inadmissible." Apply rule 7 to '
     "the corpus.", [{"special_characters_filter": {"max_ratio": 0.35}}]),
    ('The auditor wrote: "Too many samples still have a flagged-word ratio over 0.02, and that must change."',
     [{"flagged_words_filter": {"max_ratio": 0.02}}]),
    ("The March memo says: 'We dropped every image with a watermark probability above 0.7.' Do the same for the April "
     "batch.", [{"image_watermark_filter": {"prob_threshold": 0.7}}]),
    # calling the samples a kind of intruder removes them
    ("Spam keeps getting in. Any post with more than 40% special characters is a spam post.",
     [{"special_characters_filter": {"max_ratio": 0.4}}]),
])
def test_titles_vague_openers_quoted_rules_and_labels(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # width said as a multiple of the height, English
    ("Discard pictures more than 3 times as wide as they are tall.", [{"image_aspect_ratio_filter": {"max_ratio": 3}}]),
    ("Discard pictures over twice as tall as they are wide.", [{"image_aspect_ratio_filter": {"min_ratio": 0.5}}]),
    # the reduction over a sample's images said as 'the min over'
    ("keep samples whose image-text similarity is at least 0.3, taking the min over the images of a sample",
     [{"image_text_similarity_filter": {"min_score": 0.3, "reduce_mode": "min"}}]),
    # the object first, then its own verb (topic first in Chinese)
    ("删掉注释时，行内注释保留。", [{"remove_comments_mapper": {"inline": False}}]),
    # a media deduplicator that compares the text too
    ("图片去重，连同文本一起比较。", [{"image_deduplicator": {"consider_text": True}}]),
    # a word n-gram said as 'groups of N words', and the ratio after it belongs to the same step
    ("按四个词一组统计重复，重复率超过百分之三十的删掉。", [{"word_repetition_filter": {"rep_len": 4, "max_ratio": 0.3}}]),
])
def test_multiples_reductions_topic_first_flags_and_word_groups(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a condition to remove is negated: the filter keeps what the condition holds for
    ("Throw away rows where meta.retries > meta.max_retries.",
     [{"general_field_filter": {"filter_condition": "not (meta.retries > meta.max_retries)"}}]),
    ("写个条件过滤：meta.score >= 3 and meta.year >= 2021，满足的才留下。",
     [{"general_field_filter": {"filter_condition": "meta.score >= 3 and meta.year >= 2021"}}]),
    # two fields compared in words, and a field said equal to a number
    ("Keep only rows where meta.upvotes is greater than meta.downvotes.",
     [{"general_field_filter": {"filter_condition": "meta.upvotes > meta.downvotes"}}]),
    ("Some orders claim they shipped before they were placed (meta.ship_ts earlier than meta.order_ts). Those rows are "
     "corrupt and must not be trained on.",
     [{"general_field_filter": {"filter_condition": "not (meta.ship_ts < meta.order_ts)"}}]),
    ("评分模型不要中间档：meta.grade 为五分的那些模棱两可的样本都删掉。",
     [{"general_field_filter": {"filter_condition": "not (meta.grade == 5)"}}]),
    # Taiwan's words read as the mainland's; the same number said in words and as the ffmpeg option is the option
    ("只保留寬度介於六百四十到一千九百二十之間的影片。", [{"video_resolution_filter": {"min_width": 640, "max_width": 1920}}]),
    ("用 ffmpeg 的 apad 在音訊結尾補三秒靜音（pad_dur=3）。",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "apad", "filter_kwargs": {"pad_dur": 3}}}]),
    # cutting said with another verb than the operator's own requests use; the threshold said as 门槛
    ("按关键帧把视频剪开。", [{"video_split_by_key_frame_mapper": {}}]),
    ("用场景检测切分视频，门槛设为三十。", [{"video_split_by_scene_mapper": {"threshold": 30}}]),
])
def test_conditions_fields_compared_taiwan_words_and_cutting_verbs(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_suffixes_to_remove_keep_every_other_file(planner):
    """suffix_filter keeps the suffixes it lists: files to remove become the condition that keeps the rest, and
    the engine then drops exactly those files."""
    from sandbox_engine import process_samples

    ds = [{"text": t, "__dj__suffix__": s} for t, s in (("a", ".tif"), ("b", ".png"), ("c", ".bmp"), ("d", ".jpg"))]
    for goal in ("Lots of .bmp and .tif files crept into the photo set.", "把 bmp 和 tif 格式的图片删掉",
                 "remove the .tif and .bmp files"):
        process = planner.plan(goal).recipe["process"]
        assert [next(iter(s)) for s in process] == ["general_field_filter"], (goal, process)
        assert [r["text"] for r in process_samples(ds, process)] == ["b", "d"], (goal, process)
    assert plan(planner, "only keep .png and .jpg files") == [{"suffix_filter": {"suffixes": [".png", ".jpg"]}}]


@pytest.mark.parametrize("goal,op", [
    # a sentence that only forbids losing samples names no step; an implied step whose setting is still to choose
    # stays when it is the only one
    ("Our podcast episodes are in stereo but the ASR model wants one channel. No episode may be lost.",
     "audio_ffmpeg_wrapped_mapper"),
    ("有一批歌曲录音的音调整体偏低，需要调回正常音高，所有歌曲都得保留。", "audio_ffmpeg_wrapped_mapper"),
    ("监控库里有不少录制失败的碎片视频，只有零点几秒。", "video_duration_filter"),
])
def test_no_loss_sentences_and_lone_implied_steps(planner, goal, op):
    out = planner.plan(goal)
    assert [next(iter(s)) for s in out.recipe["process"]] == [op], out.recipe


@pytest.mark.parametrize("goal,expected", [
    # a number declared as a line (red line, ceiling, floor, bar, budget, 以…为界), then the samples past it or short
    # of it: the side of the line they are on
    ("语言识别得分的底线是零点八，跌破底线的文档删除。", [{"language_id_score_filter": {"min_score": 0.8}}]),
    ("词数的上限是五千，突破上限的文章下架。", [{"words_num_filter": {"max_num": 5000}}]),
    ("Flagged words get a budget of 1% of the text. Documents that exceed that budget are removed.",
     [{"flagged_words_filter": {"max_ratio": 0.01}}]),
    ("Think of the aesthetics score as a bar set at 0.4. Images that clear the bar advance to the next round.",
     [{"image_aesthetics_filter": {"min_score": 0.4}}]),
    ("以字符重复率零点三为界：界线以上的文本删掉，界线以下的留着。", [{"character_repetition_filter": {"max_ratio": 0.3}}]),
    ("音频时长的标准是六十秒，高于它就算超标。超标的音频一律封存。", [{"audio_duration_filter": {"max_duration": 60}}]),
    ("语言识别得分达到零点七才算及格，不及格的文档撤掉。", [{"language_id_score_filter": {"min_score": 0.7}}]),
])
def test_numbers_declared_as_lines(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'too long to fit into N' is past N; 'neither smaller than A nor bigger than B' keeps between them
    ("Any post too long to fit into a 4k-token context is of no use; the ones that fit stay.",
     [{"token_num_filter": {"max_num": 4000}}]),
    ("An image is kept only if it is neither smaller than 50 KB nor bigger than 8 MB.",
     [{"image_size_filter": {"min_size": "50KB", "max_size": "8MB"}}]),
    # an exemption keeps; 'by default' frames; those not meeting the condition are the rest
    ("Every page is removed by default. The one exemption: an alphanumeric ratio of 0.7 or higher. Exempt pages stay.",
     [{"alphanumeric_filter": {"min_ratio": 0.7}}]),
    ("视频可以留，前提是时长在五到六十秒之间；不符合这个条件的删掉。", [{"video_duration_filter": {"min_duration": 5, "max_duration": 60}}]),
    # a quarter of an hour, 一刻钟, 半小时; the median among percentiles; 'then' for 'than'; 'w/'; single-letter words
    ("drop clips longer than a quarter of an hour", [{"video_duration_filter": {"max_duration": 900}}]),
    ("音频超过半小时的删掉", [{"audio_duration_filter": {"max_duration": 1800}}]),
    ("keep the rows between the median and the 75th percentile of meta.views",
     [{"range_specified_field_selector": {"field_key": "meta.views", "lower_percentile": 0.5, "upper_percentile": 0.75}}]),
    ("pls delete words longer then 30 chars and single-letter words",
     [{"remove_long_words_mapper": {"max_len": 30, "min_len": 2}}]),
    ("voice memos -> ffmpeg highpass w/ f=200", [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "highpass", "filter_kwargs": {"f": 200}}}]),
])
def test_fit_neither_exemptions_and_spoken_amounts(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a setting said for every step so far; flags said in other words
    ("Keep a product only when its pictures are at least 400 by 400 pixels and have an NSFW score under 0.2. For both "
     "checks, a single picture failing sinks the product.",
     [{"image_shape_filter": {"min_width": 400, "min_height": 400, "any_or_all": "all"}},
      {"image_nsfw_filter": {"max_score": 0.2, "any_or_all": "all"}}]),
    ("extract 6 frames from each video, spaced out evenly", [{"video_extract_frames_mapper": {"frame_num": 6, "frame_sampling_method": "uniform"}}]),
    ("drop clips whose motion, as a fraction of the frame diagonal, is under 0.01",
     [{"video_motion_score_filter": {"relative": True, "min_score": 0.01}}]),
    # a list of fields is one piece; a region of four numbers holds no thousands; 'not ratios' names nothing
    ("group the rows by meta.user_id and meta.day", [{"key_value_grouper": {"group_by_keys": ["meta.user_id", "meta.day"]}}]),
    ("inpaint the logo in the box 10,10,140,60 (pixel positions, not ratios)",
     [{"video_remove_watermark_mapper": {"roi_strings": ["10,10,140,60"], "roi_type": "pixel"}}]),
    # every single one is probability 1; a description of the data sets the scene; 'second,' is no unit
    ("add gaussian noise to every single recording, amplitude between 0.001 and 0.01",
     [{"audio_add_gaussian_noise_mapper": {"p": 1, "min_amplitude": 0.001, "max_amplitude": 0.01}}]),
    ("the scanned forms are full of junk tokens. first, drop texts shorter than 20 characters; second, exact dedup.",
     [{"text_length_filter": {"min_len": 20}}, {"document_deduplicator": {}}]),
])
def test_settings_for_every_step_fields_regions_and_scene_setting(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a heading that names an operator's settings, then the settings
    ("SimHash 去重的参数这样设：窗口长度 5，分成 6 块。", [{"document_simhash_deduplicator": {"window_size": 5, "num_blocks": 6}}]),
    # 'into one' counts nothing; a list then what happens after it; the lowest-scoring image; a bare 'score'
    ("只留 meta.score 不低于 3 的样本，然后把剩下的样本打包成一条。",
     [{"specified_numeric_field_filter": {"field_key": "meta.score", "min_value": 3}}, {"naive_grouper": {}}]),
    ("精确去重：去掉空白、数字和标点以后一样的就算重复。", [{"document_deduplicator": {"ignore_non_character": True}}]),
    ("用 CLIP 算图文相似度，取得分最低的那张作为样本的分数，低于零点三就删。",
     [{"image_text_similarity_filter": {"reduce_mode": "min", "min_score": 0.3}}]),
    ("美学评分按每个视频抽三帧来算，分数低于四的视频删除。", [{"video_aesthetics_filter": {"frame_num": 3, "min_score": 4}}]),
    # 4K is a height of 2160 or more; a size to shrink to is the resizer's, and the too-big ones are not dropped
    ("把4K视频删掉", [{"video_resolution_filter": {"max_height": 2160}}]),
    ("8K 视频太大了，想统一降到 1080p 左右", [{"video_resize_resolution_mapper": {"max_height": 1080}}]),
])
def test_setting_headings_lists_lowest_images_and_4k(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,op", [
    # noise the data has is no request to add noise; 'not a single one' and 'a whole one' count nothing
    ("Half the podcast episodes were recorded in a loud hallway and you can hear the crowd over the speaker; only clean "
     "recordings should be used for training.", "audio_nmf_snr_filter"),
    ("给录音加一点高斯噪声做数据增强。", "audio_add_gaussian_noise_mapper"),
])
def test_noise_the_data_has_is_not_noise_to_add(planner, goal, op):
    assert [next(iter(s)) for s in planner.plan(goal).recipe["process"]] == [op]


@pytest.mark.parametrize("text", ["处理过程中一条录音都不能少", "正文一个字都不能丢", "每条样本是一整本小说", "几十万字的小说"])
def test_set_phrases_with_one_count_nothing(text):
    from agent.planner.quantities import normalize, read_quantities
    assert read_quantities(normalize(text)) == [], text


def test_dates_are_no_settings_and_a_regex_for_the_pattern_to_ignore(planner):
    from agent.planner.quantities import normalize, read_quantities
    for text in ("pages dated 2023-04-17 differ", "2024/3/5 以后的数据", "2024年3月5日的日志"):
        assert read_quantities(normalize(text)) == [], text
    goal = ("Ticket: MinHash near-dup removal misses copies that differ only in a timestamp (e.g. 2022-11-03).\n"
            "Expected: use the regex `\\d{4}-\\d{2}-\\d{2}` as the pattern to ignore.")
    assert plan(planner, goal) == [{"document_minhash_deduplicator": {"ignore_pattern": "\\d{4}-\\d{2}-\\d{2}"}}]


@pytest.mark.parametrize("goal,expected", [
    # '有…要求：' names a requirement, it keeps nothing by itself; 别让…上车 / 不让进场 remove; scooping out removes
    ("这批图片有“尺寸要求”：宽度不满五百像素的，不让入库。", [{"image_shape_filter": {"min_width": 500}}]),
    ("显存就像一辆限载四千个 token 的车，超载的样本别让它上车。", [{"token_num_filter": {"max_num": 4000}}]),
    ("The middle band is every clip lasting from 5 to 9 seconds; scoop it out.",
     [{"video_duration_filter": {"min_duration": 5, "max_duration": 9, "reversed_range": True}}]),
    # a heading that clearly names an operator gives it the numbers after the colon; a line and the side of it
    ("把困惑度当成水质指标：正常范围的上限是一千五，指标偏高的文档一律清退。", [{"perplexity_filter": {"max_ppl": 1500}}]),
    ("这次语言识别得分的录取线划在零点六：分数在线上的文档录取，线下的落榜。", [{"language_id_score_filter": {"min_score": 0.6}}]),
    # three quarters of a second; 'f equals one hundred'; a frame choice ruled out in brackets; a mirrored image
    ("drop recordings shorter than three quarters of a second", [{"audio_duration_filter": {"min_duration": 0.75}}]),
    ("run the ffmpeg lowpass filter with f equals three thousand on the audio",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "lowpass", "filter_kwargs": {"f": 3000}}}]),
    ("the NSFW pass on the videos should use 4 frames spread evenly across each clip (not the key frames)",
     [{"video_nsfw_filter": {"frame_num": 4, "frame_sampling_method": "uniform"}}]),
    ("Any image with an NSFW score of 0.3 or more is grounded.", [{"image_nsfw_filter": {"max_score": 0.3}}]),
    # a quoted prompt stays the prompt
    ("caption each video from its frames with the prompt 'Describe what the person is doing.'",
     [{"video_captioning_from_frames_mapper": {"prompt": "Describe what the person is doing."}}]),
])
def test_requirements_lines_and_spoken_settings(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a word value said with '=' is an option; ringtones are audio; a regex in backticks inside Chinese brackets
    ("用 ffmpeg 的 afade 给每条铃声加三秒淡出（t=out，d=3）。",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "afade", "filter_kwargs": {"t": "out", "d": 3}}}]),
    ("把订单号（正则 `DD\\d{8}`）都换成 [订单]。", [{"replace_content_mapper": {"pattern": "DD\\d{8}", "repl": "[订单]"}}]),
    # the judging of multi-item samples said again after the bound names no step
    ("每条样本里的每张图片宽度都得在三百像素以上，只要有一张不够，整条就不要。",
     [{"image_shape_filter": {"min_width": 300, "any_or_all": "all"}}]),
])
def test_word_options_quoted_regexes_and_the_rule_for_every_item(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a quoted text said for the step before by its argument's name; 'replace the original'; words containing
    ("Caption each clip from its frames. Use the prompt 'What happens in this scene?', and the captioned sample should "
     "replace the original.",
     [{"video_captioning_from_frames_mapper": {"prompt": "What happens in this scene?", "keep_original_sample": False}}]),
    ("remove every word that has 'http' or 'www' in it", [{"remove_words_with_incorrect_substrings_mapper": {"substrings": ["http", "www"]}}]),
])
def test_quoted_values_for_named_arguments(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'scoring' alone names no operator: the score of the step just named; a flag said with a synonym of its name;
    # 'pairs' are the samples of an image-text set
    ("compute the aesthetics of each video on 3 frames, keep clips scoring at least 0.5",
     [{"video_aesthetics_filter": {"frame_num": 3, "min_score": 0.5}}]),
    ("Rate every picture against its text with the BLIP matcher, on the horizontally mirrored image, and drop pairs scoring below 0.3.",
     [{"image_text_matching_filter": {"horizontal_flip": True, "min_score": 0.3}}]),
])
def test_bare_scores_and_flag_synonyms(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a piece whose closest operator is of the same kind as the step just named, and which names none, sets that step
    ("Sample with the shifted-Gaussian selector on meta.score, keep a fifth of the rows, and use seed 3.",
     [{"shift_gaussian_selector": {"field_key": "meta.score", "select_ratio": 0.2, "seed": 3}}]),
    # ... unless 'then' starts the next step
    ("按 meta.score 挑出分数最高的百分之十的样本，再从里面随机抽三百条。",
     [{"topk_specified_field_selector": {"field_key": "meta.score", "top_ratio": 0.1}}, {"random_selector": {"select_num": 300}}]),
])
def test_settings_of_the_same_kind_of_step(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a share said as a count in a count; an English condition and its short verdict are one piece
    ("If more than 3 out of 100 characters in a post are special characters, the post is gone.",
     [{"special_characters_filter": {"max_ratio": 0.03}}]),
    ("When fewer than one in five words is a stopword, the page goes.", [{"stopwords_filter": {"min_ratio": 0.2}}]),
])
def test_shares_as_counts_and_conditions_with_their_verdict(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '两端' is no number; the verb of the number's own part after a colon, not the heading's 'only'
    ("只关心分数两端的样本：meta.score 在0.3到0.7之间的全部删掉，其余都留着。",
     [{"specified_numeric_field_filter": {"field_key": "meta.score", "min_value": 0.3, "max_value": 0.7, "reversed_range": True}}]),
    ("Only the extremes matter here: remove every row with meta.age between 20 and 40.",
     [{"specified_numeric_field_filter": {"field_key": "meta.age", "min_value": 20, "max_value": 40, "reversed_range": True}}]),
])
def test_the_verb_of_the_part_after_a_colon(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # years compared: before / after / earlier than / 早于 / 晚于 / 年以前 / 年以后
    ("drop every article whose meta.year is before 2012", [{"specified_numeric_field_filter": {"field_key": "meta.year", "min_value": 2012}}]),
    ("only keep records with meta.year after 2016", [{"specified_numeric_field_filter": {"field_key": "meta.year", "min_value": 2016}}]),
    ("meta.year 晚于2021年的都删掉", [{"specified_numeric_field_filter": {"field_key": "meta.year", "max_value": 2021}}]),
    ("把 meta.year 在2010年以前的样本去掉", [{"specified_numeric_field_filter": {"field_key": "meta.year", "min_value": 2010}}]),
])
def test_years_compared(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_strip_the_markup(planner):
    assert plan(planner, "Please strip the markup from the forum posts.") == [{"clean_html_mapper": {}}]


@pytest.mark.parametrize("goal,op", [
    # 'no <anything> may be lost' / 'every <thing> must be used': a number that only describes the data is no bound
    ("Our lecture notes go up to 300 pages; the search index needs passage-sized pieces. No lecture may be thrown away.",
     "text_chunk_mapper"),
    ("The interviews are 30 to 60 minutes each. The model wants clips of one fixed length, so cut every interview into "
     "equal-length clips; every interview must be used.", "video_split_by_duration_mapper"),
])
def test_numbers_that_describe_the_data_under_no_loss(planner, goal, op):
    assert [next(iter(s)) for s in plan(planner, goal)] == [op]


def test_an_action_verb_for_another_medium_names_nothing(planner):
    # 'converting' is also what the Chinese converter does; the audio said is the medium
    goal = "Our podcasts are stored at 48 kHz but the model expects 16 kHz, so the audio has to be converted. Keep every episode."
    assert [next(iter(s)) for s in plan(planner, goal)] == ["audio_ffmpeg_wrapped_mapper"]


@pytest.mark.parametrize("goal,expected", [
    # a number that names, by its own words, a free setting of a step planned earlier (another step in between);
    # a number of samples with no operator that picks a number of them; bits are a Hamming distance
    ("Dedupe the forum posts with SimHash. Strip the HTML first. Shingles should be 5 characters long, "
     "and two posts are duplicates when their fingerprints differ in at most 2 bits.",
     [{"clean_html_mapper": {}}, {"document_simhash_deduplicator": {"window_size": 5, "hamming_distance": 2}}]),
])
def test_settings_named_for_an_earlier_step(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,expected", [
    # a choice said as the default, or as good enough, is left out
    ("人脸打码，用默认的高斯模糊，半径设成5。", [{"image_face_blur_mapper": {"radius": 5}}]),
    ("Blur the faces in the photos; gaussian blur is fine, radius 4.", [{"image_face_blur_mapper": {"radius": 4}}]),
])
def test_choices_said_as_the_default(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,mode", [
    # a later word makes a choice said at its default more exact
    ("把这批文章从简体转成繁体，按香港的用字来。", "s2hk"),
    ("转成繁体，并且用台湾的用词。", "s2twp"),
])
def test_a_choice_made_more_exact(planner, goal, mode):
    assert plan(planner, goal) == [{"chinese_convert_mapper": {"mode": mode}}]


def test_a_heading_that_names_its_operator_takes_the_settings_after_it(planner):
    goal = "论坛帖子去重就用 SimHash 吧：按字切分，每四个字一组做 shingle，汉明距离不超过3就算重复。"
    assert plan(planner, goal) == [{"document_simhash_deduplicator": {"tokenization": "character", "window_size": 4,
                                                                      "hamming_distance": 3}}]


def test_a_setting_said_in_its_own_words_names_its_operator(planner):
    # keep_alphabet's own cue ('remove English letters'), said with a verb, names the one operator that declares it
    steps = plan(planner, "这批古文里夹杂着一些拉丁字母，请把英文字母都删除。")
    assert steps == [{"remove_non_chinese_character_mapper": {"keep_alphabet": False}}]


@pytest.mark.parametrize("goal,expected", [
    # how long every sample is ('… each'), and a number in a bracketed remark on what some samples are, are no bounds
    ("Lecture captures: the recordings are ~50 min each. Cut them into 60-second pieces.",
     [{"video_split_by_duration_mapper": {"split_duration": 60}}]),
    ("remove any audio file over 200MB (those are mostly the 5-hour raw dumps)", [{"audio_size_filter": {"max_size": "200MB"}}]),
])
def test_descriptions_of_every_sample_and_remarks(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_settings_for_the_filter_twin_and_a_ruled_out_alternative(planner):
    goal = ("only keep clips whose frame tags include 'beach'. Tags should come from 5 frames sampled uniformly, "
            "not from the key frames.")
    assert plan(planner, goal) == [{"video_tagging_from_frames_filter": {"tags": ["beach"], "frame_sampling_method": "uniform",
                                                                         "frame_num": 5}}]


@pytest.mark.parametrize("goal,expected", [
    # an address said before its step; a 'Context:' sentence says why, it asks for no step; a relative clause on the
    # bound just said names nothing
    ("Our Redis is at redis://10.1.2.3:6380. On the Ray cluster, dedupe the documents exactly through that Redis.",
     [{"ray_document_deduplicator": {"backend": "redis", "redis_address": "redis://10.1.2.3:6380"}}]),
    ("Background: the model is a speech enhancer, so it wants noisy audio. Add Gaussian noise to every clip (p = 1).",
     [{"audio_add_gaussian_noise_mapper": {"p": 1}}]),
    ("Photos need at least 3 faces, and more than 10 faces is a stadium shot, which we don't want either.",
     [{"image_face_count_filter": {"min_face_count": 3, "max_face_count": 10}}]),
])
def test_addresses_before_their_step_context_and_relative_clauses(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a resize keeping the aspect ratio ('its' = 'the'), a choice ruled out by "don't", a verb-less English title
    ("Dashcam clips for the lane model. Anything bigger than 1920x1080 should be scaled down to fit within 1920 wide "
     "and 1080 high while keeping their aspect ratio (don't stretch them).",
     [{"video_resize_resolution_mapper": {"max_width": 1920, "max_height": 1080, "force_original_aspect_ratio": "decrease"}}]),
])
def test_resizes_keeping_the_aspect_ratio_and_titles(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_wiping_verbs(planner):
    assert plan(planner, "日志里的 IP 地址全部抹掉") == [{"clean_ip_mapper": {}}]


@pytest.mark.parametrize("goal,expected", [
    # what 'only then kept' leaves out, said again in words, is no step; a removal that names its own step still is
    ("运动分数在3以上的视频才保留，几乎不动的、幻灯片那种都删掉。", [{"video_motion_score_filter": {"min_score": 3}}]),
    ("图片美学分数在0.5以上的才留，重复的图片删掉。", [{"image_aesthetics_filter": {"min_score": 0.5}}, {"image_deduplicator": {}}]),
])
def test_what_only_then_kept_leaves_out(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # the pieces a step before made, named again as what to drop, are the data: the dropping operator answers
    ("Cut the text into chunks of at most 800 characters, then drop chunks that are identical to one another.",
     [{"text_chunk_mapper": {"max_len": 800}}, {"document_deduplicator": {}}]),
    # the script to change is no language filter; 'so that only …' starts a piece of its own
    ("Turn the simplified Chinese posts into traditional Chinese.", [{"chinese_convert_mapper": {}}]),
    ("Delete the Latin letters and the digits so that only Chinese characters are left.",
     [{"remove_non_chinese_character_mapper": {"keep_alphabet": False, "keep_number": False}}]),
    ("remove every character that isn't Chinese", [{"remove_non_chinese_character_mapper": {}}]),
])
def test_pieces_made_before_scripts_and_purpose_clauses(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # pairs named before are the pairs of the later piece; 'For the …:' and 'These are …' say what the data is
    ("These are photo-text pairs. Drop the pairs with a CLIP similarity under 0.3.",
     [{"image_text_similarity_filter": {"min_score": 0.3}}]),
    ("For the photo-caption pairs: remove images narrower than 300 pixels.", [{"image_shape_filter": {"min_width": 300}}]),
    ("product photos. remove any that are narrower than 400 pixels.", [{"image_shape_filter": {"min_width": 400}}]),
    ("dashcam clips, some are night footage. drop clips shorter than 5 seconds", [{"video_duration_filter": {"min_duration": 5}}]),
    ("We have ~900 voice messages from call centers. Drop the ones longer than 10 minutes.",
     [{"audio_duration_filter": {"max_duration": 600}}]),
    ("podcast episodes: throw out anything over 200 megs", [{"audio_size_filter": {"max_size": "200MB"}}]),
])
def test_what_the_data_is_and_its_medium(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a closing '这两类都删掉' and '或者…都删掉' give their verb to the bounds before them; '一看就是…' describes them
    ("困惑度低于10的多半是模板，高于2000的多半是乱码，这两类都删掉", [{"perplexity_filter": {"min_ppl": 10, "max_ppl": 2000}}]),
    ("高超过三千像素、或者宽超过三千像素的图片都删掉", [{"image_shape_filter": {"max_height": 3000, "max_width": 3000}}]),
    ("特殊字符比例超过三成的，一看就是乱码，删掉", [{"special_characters_filter": {"max_ratio": 0.3}}]),
    ("超过两分半钟的音频删掉", [{"audio_duration_filter": {"max_duration": 150}}]),
])
def test_verbs_said_after_both_bounds_and_remarks_in_chinese(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a piece naming again what the step before counts sets that step
    ("Looking at 3-word n-grams, drop documents where over 20% of the n-grams are repeated.",
     [{"word_repetition_filter": {"rep_len": 3, "max_ratio": 0.2}}]),
    # a wish the next piece carries out ('…, so run …') is no step
    ("I want the audio to sound like an old radio, so run ffmpeg's highpass filter with f=300.",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "highpass", "filter_kwargs": {"f": 300}}}]),
    # a count of whatever the data holds, for a selector; the bound's number said again
    ("I only want the 50 sessions with the highest meta.score", [{"topk_specified_field_selector": {"topk": 50, "field_key": "meta.score"}}]),
    ("then 5k conversations picked at random", [{"random_selector": {"select_num": 5000}}]),
    ("upscale any video under 360 px tall so that it is 360 px tall", [{"video_resize_resolution_mapper": {"min_height": 360}}]),
    # a comma is no list; 'even one … drop the whole sample' asks for all of them to pass
    ("speech dataset, each sample holds several clips. if even one clip runs longer than 30 seconds, drop the whole sample.",
     [{"audio_duration_filter": {"max_duration": 30, "any_or_all": "all"}}]),
    # a quantifier makes a regex; quoted examples in brackets are no literals
    ("replace runs of 2 or more question marks with one (regex `\\?{2,}` -> `?`)",
     [{"replace_content_mapper": {"pattern": "\\?{2,}", "repl": "?"}}]),
    ("people post the same comment again and again ('nice' / 'NICE'), so remove exact duplicates, ignoring case",
     [{"document_deduplicator": {"lowercase": True}}]),
])
def test_settings_echoes_wishes_counts_and_examples(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_the_standard_cleaning_names_the_job_and_garbled_text_is_mojibake(planner):
    steps = plan(planner, "English web text for pretraining, many pages are mirrored across several sites. Do the usual cleanup.")
    ops = [next(iter(s)) for s in steps]
    assert "language_id_score_filter" in ops and len(ops) > 3  # the reference recipe, not one 'clean' operator
    assert plan(planner, "网页语料里乱码特别多") == [{"fix_unicode_mapper": {}}]


@pytest.mark.parametrize("goal,expected", [
    # a region said after its step; a count of the story said before a step is no setting of it
    ("Broadcast videos: there's a station logo at the top left; inpaint it away, the region is 10,10,200,80 in pixel "
     "coordinates.", [{"video_remove_watermark_mapper": {"roi_strings": ["10,10,200,80"], "roi_type": "pixel"}}]),
    ("forum posts gathered from seven different boards, with plenty of near-duplicates. Do a MinHash dedup with 256 "
     "permutations.", [{"document_minhash_deduplicator": {"num_permutations": 256}}]),
    # what the data has sets the scene; 'even that' is the score just named
    ("Our photo albums have several pictures per sample and a single caption. Score each picture against the caption with "
     "BLIP image-text matching, take the highest score across the pictures, and drop the sample if even that is under 0.3.",
     [{"image_text_matching_filter": {"reduce_mode": "max", "min_score": 0.3}}]),
    # an operation done 'without' is ruled out
    ("Pull 4 frames evenly spaced from every video without splitting the videos themselves.",
     [{"video_extract_frames_mapper": {"frame_num": 4, "frame_sampling_method": "uniform"}}]),
])
def test_regions_story_counts_scenes_and_operations_done_without(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a choice read off the data's description gives way to the one asked for, and '而且…也要' makes it more exact
    ("这批是台湾的繁体资料，要转成简体，而且用词也要改成大陆的说法", [{"chinese_convert_mapper": {"mode": "tw2sp"}}]),
    # '陆' alone is no numeral; a length said of no part is the text's
    ("大陆用户的评论里，长度不到十个字的删掉", [{"text_length_filter": {"min_len": 10}}]),
    # a language code set for the step, not the data's
    ("然后做一下分句，语言设成 fr", [{"sentence_split_mapper": {"lang": "fr"}}]),
    ("每条数据是多篇新闻拼在一起的，用“*****”分隔，请按这个分隔符拆成单独的样本", [{"text_chunk_mapper": {"split_pattern": "*****"}}]),
    # a choice the step already holds, said again, names no other step
    ("用 CLIP 算视频帧和文本的相似度，要求每一帧都对得上，低于0.25的删掉",
     [{"video_frames_text_similarity_filter": {"reduce_mode": "min", "min_score": 0.25}}]),
    # one English value in a Chinese sentence; '两个都' is both; how the filter tags, said after it
    ("只要画面标签里 cat 和 sofa 两个都有的视频", [{"video_tagging_from_frames_filter": {"tags": ["cat", "sofa"], "contain": "all"}}]),
    ("只保留帧标签里有 car 的视频，打标签时每个视频均匀抽 3 帧",
     [{"video_tagging_from_frames_filter": {"tags": ["car"], "frame_sampling_method": "uniform", "frame_num": 3}}]),
])
def test_chinese_descriptions_settings_and_values(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '每一段…都加' is every one; '只留一张' is one copy; '每条样本就是…' says what the data is
    ("给每一段音频都加上高斯噪声，幅度在0.001到0.01之间",
     [{"audio_add_gaussian_noise_mapper": {"p": 1, "min_amplitude": 0.001, "max_amplitude": 0.01}}]),
    ("图片先去重（一模一样的只留一张），再把宽度小于300像素的删掉", [{"image_deduplicator": {}}, {"image_shape_filter": {"min_width": 300}}]),
    ("这份数据每条样本就是一个短句，少于五个字的删掉", [{"text_length_filter": {"min_len": 5}}]),
    # two pictures of one sample are a pair; how many a sample holds is no setting
    ("每条样本有两张照片，两张照片的相似度高于0.95的删掉", [{"image_pair_similarity_filter": {"max_score": 0.95}}]),
    ("Every sample has two photos. Drop samples whose two photos have a similarity below 0.2.",
     [{"image_pair_similarity_filter": {"min_score": 0.2}}]),
    # the size bound has its filter; 'thumbnails' names no second one
    ("remove thumbnails smaller than 20KB", [{"image_size_filter": {"min_size": "20KB"}}]),
])
def test_every_one_one_copy_pairs_and_thumbnails(planner, goal, expected):
    got = plan(planner, goal)
    assert sorted(got, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,required", [
    # troubles described in the operators' situations, in other words
    ("kids' story collection: some stories are full of swear words and slurs, those have to go", "flagged_words_filter"),
    ("长视频要切短一点，但得按镜头来切，别把一个镜头从中间切断", "video_split_by_scene_mapper"),
    ("只想要画面看着舒服好看的视频", "video_aesthetics_filter"),
])
def test_troubles_described_in_other_words(planner, goal, required):
    assert [next(iter(s)) for s in plan(planner, goal)] == [required]


@pytest.mark.parametrize("goal,expected", [
    # the language the step just named keeps, said again, is no language filter; a kept default is no new step
    ("把英文字母都删了，只留中文，标点也保留", [{"remove_non_chinese_character_mapper": {"keep_alphabet": False}}]),
    ("英文字母全部去掉，只留中文，数字还是保留着", [{"remove_non_chinese_character_mapper": {"keep_alphabet": False}}]),
])
def test_what_a_character_remover_keeps_said_again(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a pass mark is a lower bound, its line named before the number; 'the failing ones' are below it
    ("每篇文档字符重复比例的天花板是0.3", [{"character_repetition_filter": {"max_ratio": 0.3}}]),
    ("图像美学分，及格线是 0.5，不合格的统统删掉", [{"image_aesthetics_filter": {"min_score": 0.5}}]),
    ("OCR'd pages: the language confidence pass mark is 0.8; drop the failing ones", [{"language_id_score_filter": {"min_score": 0.8}}]),
    ("video aesthetics: the floor is 0.45", [{"video_aesthetics_filter": {"min_score": 0.45}}]),
])
def test_pass_marks_floors_and_ceilings_named_before_the_number(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a passive verb in the next piece gives its verb to the bound ('… , a clip gets dropped')
    ("Under 2 seconds of duration, a clip gets dropped.", [{"video_duration_filter": {"min_duration": 2}}]),
    # ... and when it names the other side, that side goes
    ("limit the word count to 3000, longer documents should be thrown out", [{"words_num_filter": {"max_num": 3000}}]),
    # a length said of no part is the whole text's ('… characters long' is no word's length)
    ("Everything over 5000 characters long: get rid of it.", [{"text_length_filter": {"max_len": 5000}}]),
    # '最长' / '最短' right before a number are bounds
    ("文章最长两千个字，超出的不要", [{"text_length_filter": {"max_len": 2000}}]),
    ("每条语音最短三秒", [{"audio_duration_filter": {"min_duration": 3}}]),
])
def test_passive_verbs_and_whole_text_lengths(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # repeats inside one sample are no duplicate samples; which copy stays is said of that step
    ("Some of the reviews repeat the exact same sentence several times in one review. Keep the first one and drop the copies.",
     [{"remove_repeat_sentences_mapper": {}}]),
    ("有些帖子里同一句话在一个帖子里重复了好几遍，只留第一句，其余的都删掉。然后把链接替换成 <url>",
     [{"remove_repeat_sentences_mapper": {}}, {"clean_links_mapper": {"repl": "<url>"}}]),
])
def test_repeats_inside_one_sample_and_the_copy_that_stays(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'All of them, not a random few' puts the step before on every sample; a face is no blur's subject unless said
    ("Delete photos that are in the album twice, then blur the remaining photos. All of them, not a random few. Radius 2.",
     [{"image_blur_mapper": {"p": 1, "radius": 2}}, {"image_deduplicator": {}}]),
    ("add gaussian noise to the recordings, all of them, not a random subset", [{"audio_add_gaussian_noise_mapper": {"p": 1}}]),
    ("把照片里的人脸都模糊掉", [{"image_face_blur_mapper": {}}]),
    # a whole-line comment left where it is
    ("strip the end-of-line comments from the .tex files but leave comments that take up a whole line",
     [{"remove_comments_mapper": {"multiline": False}}]),
    # the files a step works in are no files to keep or drop
    ("remove the comments in .tex files", [{"remove_comments_mapper": {}}]),
    ("drop the .gif files", [{"general_field_filter": {"filter_condition": "not (__dj__suffix__ == '.gif')"}}]),
])
def test_every_sample_and_the_plain_variant(planner, goal, expected):
    assert sorted(plan(planner, goal), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("goal,expected", [
    # 'both a car and a bicycle' is one list of values, kept by the filter
    ("only keep clips in which both a car and a bicycle appear in the frames",
     [{"video_tagging_from_frames_filter": {"tags": ["car", "bicycle"], "contain": "all"}}]),
])
def test_both_values_are_one_list(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # the number the step holds, said again of what it makes, is no new setting; "don't just …" says how it is not to go
    ("caption each clip from its frames with 4 candidate captions and keep all 4 of them, don't only keep the best one",
     [{"video_captioning_from_frames_mapper": {"caption_num": 4, "keep_candidate_mode": "all"}}]),
])
def test_a_number_said_again_and_dont_just(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a share 'of the rest' is the step's chance; 'chosen randomly' is how it picks, no selector
    ("blur 30% of the remaining pictures, chosen randomly", [{"image_blur_mapper": {"p": 0.3}}]),
    ("recordings: add gaussian noise to 25% of the rest, picked at random, amplitude between 0.001 and 0.02",
     [{"audio_add_gaussian_noise_mapper": {"p": 0.25, "min_amplitude": 0.001, "max_amplitude": 0.02}}]),
])
def test_a_share_of_the_rest_chosen_at_random(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    ("each line of the transcript is its own row; merge the rows with the same meta.episode into one sample",
     [{"key_value_grouper": {"group_by_keys": ["meta.episode"]}}]),
    ("keep only the 200 posts with the fewest likes (meta.likes)",
     [{"topk_specified_field_selector": {"topk": 200, "field_key": "meta.likes", "reverse": False}}]),
])
def test_merging_rows_and_the_fewest(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'an image and its text' is no pair of images; '有一行' is 'a line', no count of one
    ("照片和描述文字的 CLIP 相似度不到0.25的删掉", [{"image_text_similarity_filter": {"min_score": 0.25}}]),
    ("drop samples where the image and its caption score under 0.2 on CLIP similarity",
     [{"image_text_similarity_filter": {"min_score": 0.2}}]),
    ("只要有一行长过八百个字符，整篇文档就不要了", [{"maximum_line_length_filter": {"max_len": 800}}]),
])
def test_an_image_and_its_text_and_a_line(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '不是取平均' rules the average out; the most severe frame is the maximum
    ("视频的 NSFW 分数高于0.3的删掉，按最严重的一帧来算，不是取平均",
     [{"video_nsfw_filter": {"max_score": 0.3, "reduce_mode": "max"}}]),
])
def test_ruled_out_reductions_in_chinese(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # troubles and purposes described in other words than the operators' situations
    ("our reviewers can only look at a small fair sample of the data, around 1%", [{"random_selector": {"select_ratio": 0.01}}]),
    ("行车记录仪视频：备份软件出了问题，好多段录像被原样存了两三份。", [{"video_deduplicator": {}}]),
])
def test_fair_samples_and_files_saved_twice(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # each language said is read where it is said: a second '中文' in a later clause is that clause's own
    ("先用中文的模型算困惑度，困惑度超过一千的删掉；再按中文停用词表统计停用词的占比，占比低于百分之二十的去掉",
     [{"perplexity_filter": {"lang": "zh", "max_ppl": 1000}}, {"stopwords_filter": {"lang": "zh", "min_ratio": 0.2}}]),
    # a language of a word list is the list's, not the data's; a bare bound after the step is that step's
    ("拿西班牙语的敏感词表算一下敏感词的比例，超过百分之二的评论删掉",
     [{"flagged_words_filter": {"lang": "es", "max_ratio": 0.02}}]),
    ("drop posts where words from the Spanish swear word list make up more than 3%",
     [{"flagged_words_filter": {"lang": "es", "max_ratio": 0.03}}]),
    ("按脏话词的比例筛一遍，高于百分之五的帖子不要", [{"flagged_words_filter": {"max_ratio": 0.05}}]),
])
def test_languages_of_word_lists_and_bare_bounds_after_a_step(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'one failing sinks the sample' said in other words; counting by a field names the field of the selector after it
    ("每条样本的图片宽度至少 640 像素，有一张不达标整条样本都不要",
     [{"image_shape_filter": {"min_width": 640, "any_or_all": "all"}}]),
    ("按 meta.site 统计一下，只留样本数最多的前二十个网站",
     [{"frequency_specified_field_selector": {"field_key": "meta.site", "topk": 20}}]),
    ("先按 meta.source 统计，只留条数最多的前十个来源",
     [{"frequency_specified_field_selector": {"field_key": "meta.source", "topk": 10}}]),
])
def test_one_failing_image_and_counting_by_a_field(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # the number of a resize mapper picks out the samples it changes: below the smallest ratio allowed -> min_ratio
    ("把宽高比大于 2:1 的视频调整到 2:1", [{"video_resize_aspect_ratio_mapper": {"max_ratio": "2/1"}}]),
    ("如果视频的宽高比小于 3:4，就把它调整到 3:4", [{"video_resize_aspect_ratio_mapper": {"min_ratio": "3/4"}}]),
    ("resize videos whose aspect ratio is below 9:16 to 9:16 by shrinking the height",
     [{"video_resize_aspect_ratio_mapper": {"min_ratio": "9/16", "strategy": "decrease"}}]),
])
def test_a_resize_mappers_number_names_the_samples_it_changes(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'X以外的' is 'non-X'; a flag's cue said with a negation inside ('数字不保留') is the flag's other value
    ("除了汉字之外的字符全都去掉", [{"remove_non_chinese_character_mapper": {}}]),
    ("把中文以外的字符都删掉，标点也不保留", [{"remove_non_chinese_character_mapper": {"keep_punc": False}}]),
    ("只留汉字，数字不保留", [{"remove_non_chinese_character_mapper": {"keep_number": False}}]),
])
def test_other_than_a_script_and_negated_flag_cues(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '比 N 短/长/窄…': a comparison said by its adjective after the number
    ("比三秒短的音频删掉", [{"audio_duration_filter": {"min_duration": 3}}]),
    ("时长在五秒到九秒之间的视频删掉，比五秒短的和比九秒长的都留着",
     [{"video_duration_filter": {"min_duration": 5, "max_duration": 9, "reversed_range": True}}]),
    # a piece that changes the samples to a number is the mapper's, not the filter's
    ("如果视频比 4:3 还要窄，就把它调整到 4:3", [{"video_resize_aspect_ratio_mapper": {"min_ratio": "4/3"}}]),
    ("clips with an aspect ratio above 2:1 get resized to 2:1", [{"video_resize_aspect_ratio_mapper": {"max_ratio": "2/1"}}]),
])
def test_comparisons_by_adjective_and_changing_to_a_number(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_repeats_inside_one_file_are_no_duplicates_between_samples(planner):
    # '在一个文档里重复' (any noun after the count) says repeats within one sample: no deduplicator answers
    ops = [next(iter(s)) for s in plan(planner, "有的文档里同一段话在一个文档里重复了几百遍，这种文档删掉")]
    assert ops and not any(o.endswith("deduplicator") for o in ops)


def test_reduplicated_measure_words_are_no_number():
    # '一串串数字', '一条条评论': strings of, rows of; no number one
    for text in ("满屏都是一串串数字", "一条条评论看下来"):
        assert read_quantities(normalize(text)) == []
        assert "1" not in normalize(text)


@pytest.mark.parametrize("goal,expected", [
    # programming languages named for their files are the suffixes of those files
    ("只要 Go 和 Rust 的代码文件，别的都删掉", [{"suffix_filter": {"suffixes": [".go", ".rs"]}}]),
    ("keep just the TypeScript and JavaScript sources", [{"suffix_filter": {"suffixes": [".ts", ".js"]}}]),
    ("Let it go: drop files whose longest line exceeds 1000 characters", [{"maximum_line_length_filter": {"max_len": 1000}}]),
])
def test_code_languages_name_the_suffixes_of_their_files(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_step_asked_in_its_own_words_is_the_answer_not_the_named_jobs_recipe(planner):
    # the job (a RAG corpus) says what the data is; the step asked for apart from it is what to do
    goal = "Our RAG corpus of support pages has many near-copies saved after small edits. Keep just one page from each group of near-copies."
    assert plan(planner, goal) == [{"document_minhash_deduplicator": {}}]


def test_code_a_step_works_in_is_no_file_type_to_drop(planner):
    # 'Python 代码里…' names the code the step works in: no suffix to keep or to remove
    ops = [next(iter(s)) for s in plan(planner, "把 Python 代码里重复的文件去掉")]
    assert "suffix_filter" not in ops and "general_field_filter" not in ops


@pytest.mark.parametrize("goal,expected", [
    # a setting both of whose ends the same word names ('amplitude'): the comparator picks the end
    ("给音频加高斯噪声，幅度不超过 0.02", [{"audio_add_gaussian_noise_mapper": {"max_amplitude": 0.02}}]),
    ("add gaussian noise with an amplitude of at most 0.01 to the clips",
     [{"audio_add_gaussian_noise_mapper": {"max_amplitude": 0.01}}]),
])
def test_the_comparator_picks_the_end_of_a_named_setting(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("text,value,measure", [
    # counts and fractions said as words: a dozen, a couple hundred, half a second
    ("keep posts with at least a dozen lines", 12, "lines"),
    ("under two dozen words", 24, "words"),
    ("fewer than half a dozen sentences", 6, None),
    ("longer than a couple thousand characters", 2000, "characters"),
    ("shorter than a couple of seconds", 2, "seconds"),
    ("clips under half a second", 0.5, "seconds"),
    ("不到半秒的音频", 0.5, "seconds"),
    ("gaps longer than a tenth of a second", 0.1, "seconds"),
    ("longer than 4 minutes and a half", 270, "seconds"),
])
def test_numbers_said_as_words(text, value, measure):
    qs = read_quantities(normalize(text))
    assert len(qs) == 1 and qs[0].value == value, qs
    assert measure is None or qs[0].measure == measure


def test_keep_before_a_gerund_is_going_on_not_keeping():
    # 'we keep seeing …' says what keeps happening; the removal said after it decides the side
    assert [v for _, v in verbs("We keep finding clips shorter than 2 seconds, get rid of them")] == ["remove"]
    assert [v for _, v in verbs("keep clips shorter than 2 seconds")] == ["keep"]


@pytest.mark.parametrize("goal,expected", [
    # a mapper's min_/max_ pair that bounds what it removes: the removal's number is its own side
    ("delete the plain-text tables with four columns or more", [{"remove_table_text_mapper": {"min_col": 4}}]),
    ("把不超过五列的文本表格去掉", [{"remove_table_text_mapper": {"max_col": 5}}]),
])
def test_a_setting_that_bounds_what_a_mapper_removes(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'make sure none of those …' after a description: what was described goes
    ("Audio clips with an SNR below 5 dB keep turning up. Ensure none of those stay in the set.",
     [{"audio_nmf_snr_filter": {"min_snr": 5}}]),
    ("Images with more than 6 faces. Make sure that no picture like that is left.",
     [{"image_face_count_filter": {"max_face_count": 6}}]),
])
def test_ensuring_none_of_what_was_described_removes_it(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_quote_cut_short_is_an_example_not_a_literal(planner):
    # "('buy now buy now cheap …')" shows what the pages look like; nothing is to be replaced
    ops = [next(iter(s)) for s in plan(planner, "Our crawl has pages that repeat the same words again and again ('buy now buy now cheap deals ...'). Filter those pages.")]
    assert "replace_content_mapper" not in ops and ops


@pytest.mark.parametrize("goal,expected", [
    # frames sampled for a step that samples frames itself are that step's setting, not a frame-extraction step
    ("Take 6 frames at even spacing and check them for NSFW content; videos scoring above 0.4 go.",
     [{"video_nsfw_filter": {"frame_num": 6, "frame_sampling_method": "uniform", "max_score": 0.4}}]),
    ("用均匀抽出的八帧判断水印，水印概率高于0.7的视频删掉",
     [{"video_watermark_filter": {"frame_num": 8, "frame_sampling_method": "uniform", "prob_threshold": 0.7}}]),
])
def test_frames_sampled_for_a_step_are_its_setting(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_frames_extracted_as_a_step_of_their_own_stay_one(planner):
    # 'then …' or 'save …': the frames are wanted for themselves
    for goal in ("Drop videos with a watermark probability above 0.7, then extract 8 evenly spaced frames from each",
                 "Extract 8 frames uniformly from each video and save them; drop videos with a watermark probability above 0.7"):
        assert "video_extract_frames_mapper" in [next(iter(s)) for s in plan(planner, goal)], goal


@pytest.mark.parametrize("goal,expected", [
    # a bare bound with a modal ('最少要…才留') after a step is that step's bound
    ("用 CLIP 给图文对打相似度分，至少要零点二五才保留", [{"image_text_similarity_filter": {"min_score": 0.25}}]),
    # a comparator, then 'of the whole picture', then the number ('不超过整个画面的三成')
    ("文字面积不超过整个画面的两成的视频才要", [{"video_ocr_area_ratio_filter": {"max_area_ratio": 0.2}}]),
])
def test_bounds_said_with_modal_or_whole_words(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_complaint_is_the_reason_for_the_step_asked_next(planner):
    # '视频太长了' says why; the split asked for next is the step (no duration or aspect filter from 'too long')
    assert plan(planner, "这批视频实在太长了，按每二十秒一段切开") == [{"video_split_by_duration_mapper": {"split_duration": 20}}]


def test_a_lambda_written_out_is_one_literal(planner):
    # the commas inside the lambda split nothing; it is the mapper's lambda_str as written
    goal = "add a field with the word count using lambda d: {**d, 'n_words': len(d['text'].split())}, nothing else"
    assert plan(planner, goal) == [{"python_lambda_mapper": {"lambda_str": "lambda d: {**d, 'n_words': len(d['text'].split())}"}}]
    # it ends where Python stops reading it; the next sentence is a step of its own
    assert plan(planner, "map with `lambda s: s`. Then remove duplicate documents") == [
        {"python_lambda_mapper": {"lambda_str": "lambda s: s"}}, {"document_deduplicator": {}}]


def test_a_choice_named_beside_a_word_of_its_argument_in_another_form(planner):
    # 'tokenizing by punctuation' names the tokenization argument ('tokeniz-') and its value
    assert plan(planner, "MinHash dedup of the forum posts, tokenizing by punctuation") == [
        {"document_minhash_deduplicator": {"tokenization": "punctuation"}}]


@pytest.mark.parametrize("goal,expected", [
    # a number of samples with a superlative, ranked on a named field, whatever medium the samples are
    ("Give me the 800 oldest recordings, going by meta.recorded_at.",
     [{"topk_specified_field_selector": {"topk": 800, "reverse": False, "field_key": "meta.recorded_at"}}]),
    ("保留 meta.views 最高的两千个视频", [{"topk_specified_field_selector": {"topk": 2000, "field_key": "meta.views"}}]),
    # the step said again ('just that selection') names no second step
    ("keep the 50 longest videos by meta.duration; only that selection", [{"topk_specified_field_selector": {"topk": 50, "field_key": "meta.duration"}}]),
])
def test_a_count_with_a_superlative_is_a_ranked_selection(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'For every clip,' only says which samples the step works on; it is no step of its own
    ("For every clip, generate three captions from six frames sampled uniformly, and keep all of them.",
     [{"video_captioning_from_frames_mapper": {"caption_num": 3, "frame_num": 6, "frame_sampling_method": "uniform",
                                               "keep_candidate_mode": "all"}}]),
    ("In each document, remove emails", [{"clean_email_mapper": {}}]),
])
def test_a_piece_naming_only_the_samples_is_no_step(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_piece_naming_only_the_data_is_no_step(planner):
    # '这批中文论坛帖子' says which data; the job asked after it ('简单清洗一下') answers with its reference recipe
    out = planner.plan("这批中文论坛帖子，简单清洗一下")
    assert out.reference == "light_cleanup" and "document_minhash_deduplicator" not in str(out.recipe)
    # a bound said after the data still is the step
    assert plan(planner, "这批新闻稿，去掉少于50字的") == [{"text_length_filter": {"min_len": 50}}]


@pytest.mark.parametrize("goal,expected", [
    # '正好/刚好 N' is exactly N: both bounds
    ("刚好一张脸的照片才留下", [{"image_face_count_filter": {"min_face_count": 1, "max_face_count": 1}}]),
    ("音频时长正好是10秒的留下", [{"audio_duration_filter": {"min_duration": 10, "max_duration": 10}}]),
])
def test_exactly_said_in_chinese_is_both_bounds(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # frames sampled in the piece that names the checking operator by its own name are that operator's frames; the
    # bound after it, with 'any one frame' and a remark that says it again, is its bound
    ("每段视频均匀抽三帧做 NSFW 检测，只要有一帧的分数高于0.6就删（即按各帧最大值判断）",
     [{"video_nsfw_filter": {"frame_num": 3, "frame_sampling_method": "uniform", "reduce_mode": "max", "max_score": 0.6}}]),
    ("run the NSFW check on 4 frames per video; if any frame scores above 0.7, drop the video",
     [{"video_nsfw_filter": {"frame_num": 4, "max_score": 0.7}}]),
])
def test_frames_sampled_for_the_operator_named_beside_them(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_choice_cue_said_as_written_outranks_one_spread_apart(planner):
    # '台湾的…大陆的说法': the characters of '台湾的说法' are there too, spread apart; '大陆的说法' is said as written
    assert plan(planner, "香港那边收来的帖子，台湾的用法不要，统一转成大陆的说法") == [{"chinese_convert_mapper": {"mode": "tw2sp"}}]
    assert plan(planner, "台湾的词汇统一换成大陆的说法") == [{"chinese_convert_mapper": {"mode": "tw2sp"}}]


def test_quoted_examples_of_what_the_data_has_are_no_literal(planner):
    # '像“…”这种' gives examples of the mojibake; the fix asked for is the step, nothing is removed character by character
    assert plan(planner, "好多文档编码坏了（像“Ã¤”“Ã¶”这样），用 ftfy 修一下") == [{"fix_unicode_mapper": {}}]
    assert plan(planner, "正文里有很多乱码（像“Ã¤”“Ã¶”这样），先用 ftfy 修好") == [{"fix_unicode_mapper": {}}]
    assert plan(planner, "语料里夹着乱码（像“â€œ”这种），用ftfy修复") == [{"fix_unicode_mapper": {}}]
    # quoted characters with a verb of removing still are the characters to remove
    assert plan(planner, "把“◆”“■”这种符号删掉") == [{"remove_specific_chars_mapper": {"chars_to_remove": "◆■"}}]


@pytest.mark.parametrize("goal,expected", [
    ("精确去重，大小写不一样的也当成重复", [{"document_deduplicator": {"lowercase": True}}]),
    ("精确去重，大小写不同的不算重复", [{"document_deduplicator": {}}]),
    ("删除重复句子，不管大小写", [{"remove_repeat_sentences_mapper": {"lowercase": True}}]),
])
def test_case_ignored_said_in_chinese(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '同时有/同时包含' is 'has both', inside the piece; it starts no second step
    ("视频帧标签里同时有 dog 和 ball 的才保留", [{"video_tagging_from_frames_filter": {"tags": ["dog", "ball"], "contain": "all"}}]),
    # '同时' before another verb still starts one
    ("去掉html标签，同时去掉邮箱", [{"clean_html_mapper": {}}, {"clean_email_mapper": {}}]),
])
def test_at_the_same_time_having_both(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_put_it_away_refers_to_the_step_just_named(planner):
    # '把它去掉' after the watermark's region: 'it' is the watermark the step just named removes
    assert plan(planner, "台标在左上角，像素坐标是 0,0,160,60（按像素算），请把它从视频里去掉。") == [
        {"video_remove_watermark_mapper": {"roi_strings": ["0,0,160,60"], "roi_type": "pixel"}}]


def test_a_language_argument_written_in_a_remark_is_the_steps_setting(planner):
    # '(lang=de)' beside the perplexity step is its model's language, not a language filter on the data
    assert plan(planner, "困惑度用德语模型（lang=de）来算，困惑度高于八百的文档删掉") == [{"perplexity_filter": {"lang": "de", "max_ppl": 800}}]


@pytest.mark.parametrize("goal,expected", [
    # a bound, then '、' and a word on the same samples, then the verb: the verb of the list is the step's
    ("时长在2到5秒之间、不长不短的音频删掉，其余保留", [{"audio_duration_filter": {"min_duration": 2, "max_duration": 5, "reversed_range": True}}]),
    ("把 meta.score 落在0.3到0.7之间、拿不准的样本删掉", [{"specified_numeric_field_filter": {"field_key": "meta.score", "min_value": 0.3, "max_value": 0.7, "reversed_range": True}}]),
])
def test_a_bound_listed_before_the_verb_takes_the_verb(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a bare negated action after the step says how not to do it; it names no step ('edited' is no dedup)
    ("Drop the posts with more than 5% flagged words as a whole, not edited.", [{"flagged_words_filter": {"max_ratio": 0.05}}]),
    ("Remove texts shorter than 30 characters; do not fix them.", [{"text_length_filter": {"min_len": 30}}]),
    ("少于三十个字的文本整条删掉，不要改动", [{"text_length_filter": {"min_len": 30}}]),
])
def test_a_negated_action_names_no_step(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'screen recordings' are videos; ', which is not the kind of footage we want' judges the clips just described
    ("For a text-to-video model: many clips are screen recordings that are mostly on-screen text, which is not the kind "
     "of footage we want.", [{"video_ocr_area_ratio_filter": {}}]),
    ("Drop the clips that are mostly on-screen text, which is not the kind of footage we want.",
     [{"video_ocr_area_ratio_filter": {}}]),
    ("remove the screen recordings shorter than 3 seconds", [{"video_duration_filter": {"min_duration": 3}}]),
])
def test_screen_recordings_are_videos_and_a_judgement_names_no_step(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # what may go into the set is kept; what can't go into it goes
    ("No sample longer than 2048 tokens can go into the training set.", [{"token_num_filter": {"max_num": 2048}}]),
    ("Texts over 300 words can't go into the set.", [{"words_num_filter": {"max_num": 300}}]),
    # a limit says its own side, whatever the later verb says of the other side
    ("20 words is the floor for our reviews: anything shorter than that is noise, drop it.", [{"words_num_filter": {"min_num": 20}}]),
    # 'so' / '所以' before the verb: the verb alone, on the samples just bounded
    ("宽度不到800像素的图片，因此先筛掉。", [{"image_shape_filter": {"min_width": 800}}]),
    # what would happen to the samples is a reason, no step
    ("高度没到600像素的图片，训练时会被拉伸变形，所以先删掉。", [{"image_shape_filter": {"min_height": 600}}]),
    ("Images narrower than 800 pixels would get upscaled and blurry, so drop them.", [{"image_shape_filter": {"min_width": 800}}]),
])
def test_limits_consequences_and_going_into_the_set(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a share picked at random is how often the mapper applies
    ("剩下的图片随机挑两成做高斯模糊", [{"image_blur_mapper": {"p": 0.2}}]),
    ("随机挑两成加高斯噪声，噪声幅度取0.001到0.02", [{"audio_add_gaussian_noise_mapper": {"p": 0.2, "min_amplitude": 0.001, "max_amplitude": 0.02}}]),
    # examples in an aside after the bound do not steer the step
    ("drop any scene where on-screen text covers more than 8% of the frame (title cards)",
     [{"video_ocr_area_ratio_filter": {"max_area_ratio": 0.08}}]),
])
def test_random_share_and_example_asides(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'becomes X' / '变成 X' replaces with X
    ("Every URL should become <LINK>.", [{"clean_links_mapper": {"repl": "<LINK>"}}]),
    ("邮箱地址都变成 <MAIL>", [{"clean_email_mapper": {"repl": "<MAIL>"}}]),
    # a request to do what was said names no step
    ("IP addresses should just be deleted outright. Can you set that up?", [{"clean_ip_mapper": {}}]),
    ("去掉邮箱地址，帮我弄一下吧", [{"clean_email_mapper": {}}]),
])
def test_becomes_replaces_and_a_request_to_do_it_names_no_step(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'outside the range' is the rest of a kept range
    ("音频时长要在2到30秒之间，超出这个范围的删掉", [{"audio_duration_filter": {"min_duration": 2, "max_duration": 30}}]),
    ("视频时长得在3到60秒之间，范围以外的都过滤掉。", [{"video_duration_filter": {"min_duration": 3, "max_duration": 60}}]),
    # how much data was collected is no setting
    ("we scraped 300k product photos from a few shops; drop the ones the watermark detector scores above 0.7",
     [{"image_watermark_filter": {"prob_threshold": 0.7}}]),
])
def test_outside_the_range_and_how_much_data_there_is(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_cue_said_of_every_value_gives_way_to_a_values_own_words(planner):
    # 'keeping the aspect ratio' is true of both 'decrease' and 'increase'; 'growing the other side' picks one
    assert plan(planner, "upscale videos smaller than 480x270 to at least 480 wide and 270 tall, keeping the aspect ratio "
                         "by growing the other side") == [
        {"video_resize_resolution_mapper": {"min_width": 480, "min_height": 270, "force_original_aspect_ratio": "increase"}}]
    assert plan(planner, "resize videos larger than 1280x720 down, keeping the aspect ratio") == [
        {"video_resize_resolution_mapper": {"max_width": 1280, "max_height": 720, "force_original_aspect_ratio": "decrease"}}]


def test_the_place_said_gives_each_step_its_twin_for_that_place(planner):
    # 'on Ray' said once: every step that has a Ray twin takes it, MinHash included
    assert plan(planner, "在 Ray 集群上跑：先做 MinHash 近似去重，Jaccard 相似度零点八五及以上算重复") == [
        {"ray_bts_minhash_deduplicator": {"jaccard_threshold": 0.85}}]


def test_one_of_the_samples_is_no_count(planner):
    # '一条动不动好几个小时': one recording (of many) runs for hours; no argument counts it
    assert plan(planner, "有声书的录音，一条动不动好几个小时，这种超长的不要。") == [{"audio_duration_filter": {}}]


@pytest.mark.parametrize("goal,expected", [
    # '720p' beside Chinese is 720 pixels tall
    ("只保留1080p以上的视频", [{"video_resolution_filter": {"min_height": 1080}}]),
    ("把视频缩小到480p以内", [{"video_resize_resolution_mapper": {"max_height": 480}}]),
    # a size bound when nothing may be dropped is the size to resize to
    ("素材都是4K的，训练只要1080p以内的尺寸，一条都不能丢。", [{"video_resize_resolution_mapper": {"max_height": 1080}}]),
])
def test_p_resolutions_in_chinese_and_sizes_nothing_may_be_dropped_for(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_and_before_the_last_item_of_a_listed_description_joins_it():
    # '全是表情、颜文字和标点': '和' before the last item of a '、' list; the description stays one piece
    from agent.planner import clauses as C
    text = "很多帖子几乎全是表情、颜文字和标点，这种不要"
    assert [p for h in C.hard_clauses(text) for _, p in C.soft_pieces(*h)] == ["很多帖子几乎全是表情、颜文字和标点", "这种不要"]


def test_of_two_groupers_the_one_with_the_settings_answers(planner):
    # '合并成一条' is what the key grouper does for each key, no second grouper that merges everything
    assert plan(planner, "把 meta.user_id 相同的记录合并成一条") == [{"key_value_grouper": {"group_by_keys": ["meta.user_id"]}}]


@pytest.mark.parametrize("goal,expected", [
    # the bound says which videos are changed, to that same bound: no filter of its own
    ("宽高比比十六比九还窄的视频，把宽度补上去，补到十六比九", [{"video_resize_aspect_ratio_mapper": {"min_ratio": "16/9"}}]),
    # a different bound is a filter of its own
    ("drop videos under 720p, then resize the rest to at most 1080p",
     [{"video_resize_resolution_mapper": {"max_height": 1080}}, {"video_resolution_filter": {"min_height": 720}}]),
])
def test_a_bound_that_says_what_a_resize_changes_is_no_filter(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_not_by_any_field_rules_out_the_selectors_that_go_by_one(planner):
    steps = plan(planner, "标注预算只够标一万条，从里面抽一部分送去标注，别按任何字段挑。")
    assert [op for s in steps for op in s] == ["random_selector"]



@pytest.mark.parametrize("goal,ops", [
    # goals of tuned suites 4 and 32 that each change below fixed (other wordings already passed before them):
    # quoted examples of a trouble no longer drown its description
    # (suite 32 takes either repetition filter: 'hahaha' repeats characters, 'I'm sorry I'm sorry' words)
    ("Some responses in our instruction set degenerate into the same syllable or phrase looped hundreds of times "
     "(\"hahahahaha...\", \"I'm sorry I'm sorry I'm sorry...\"). We shouldn't train on those samples.",
     [("word_repetition_filter", "character_repetition_filter")]),
    # of two filters on faces from one piece, the one the number went to answers
    ("More than three faces in a picture is a crowd, and crowd shots are not welcome here.", ["image_face_count_filter"]),
    ("我们做单人肖像生成，只要一个人的照片，合影和多人照都不要。", ["image_face_count_filter"]),
])
def test_described_trouble_and_sibling_filters(planner, goal, ops):
    got = [op for s in plan(planner, goal) for op in s]
    assert len(got) == len(ops) and all(g == o or (isinstance(o, tuple) and g in o) for g, o in zip(got, ops))


def test_new_descriptions_of_what_is_on_screen_are_captions(planner):
    assert plan(planner, "We need new descriptions of what is actually on screen for each of our clips.") == [
        {"video_captioning_from_frames_mapper": {}}]


@pytest.mark.parametrize("goal,expected", [
    # 'a chunk of the crawl' is a part of it, no chunking; a quoted example cut short is no argument's text
    ("A chunk of the crawl is keyword spam: pages that are just strings of search terms ('best cheap hotels deals ...') "
     "with no real sentences. Keep normal prose only.", [{"stopwords_filter": {}}]),
])
def test_a_chunk_of_the_data_and_quoted_examples_cut_short(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # the samples that fail the bound just said are removed; they name no step of their own
    ("视频美学分，及格线是 0.4，不合格的统统删掉", [{"video_aesthetics_filter": {"min_score": 0.4}}]),
    ("image aesthetics: the pass mark is 0.5, the failing ones go", [{"image_aesthetics_filter": {"min_score": 0.5}}]),
])
def test_the_failing_ones_are_the_other_side_of_the_bound(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a short piece whose verb names an operation ('再去重') asks for that step; it is no verb on what came before
    ("删掉少于三十个字的文本，再去重", [{"text_length_filter": {"min_len": 30}}, {"document_deduplicator": {}}]),
    ("去掉少于30个字的文本，再做去重", [{"text_length_filter": {"min_len": 30}}, {"document_deduplicator": {}}]),
])
def test_a_short_piece_naming_an_operation_is_a_step(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a comparator word and '是', then a space before the number ('及格线是 100')
    ("文本长度及格线是 100 个字符，不达标的都删掉", [{"text_length_filter": {"min_len": 100}}]),
    ("文本长度的上限是 5000 个字符", [{"text_length_filter": {"max_len": 5000}}]),
])
def test_a_bound_word_and_a_space_before_the_number(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'the worst frame' is the highest or the lowest score by what the score means; a restatement says which
    ("drop videos with a watermark, probability threshold 0.7, scored by the worst frame, i.e. the maximum over the frames",
     [{"video_watermark_filter": {"prob_threshold": 0.7, "reduce_mode": "max"}}]),
    ("视频水印检测按最差的那一帧算，也就是取最大值，概率阈值0.7",
     [{"video_watermark_filter": {"reduce_mode": "max", "prob_threshold": 0.7}}]),
])
def test_a_restatement_names_the_reduce_mode(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_command_line_arguments_are_options_not_words(planner):
    # 'black and white' is what the filter does, not ffmpeg's extra arguments
    assert plan(planner, "make every clip black and white using the ffmpeg hue filter with s=0") == [
        {"video_ffmpeg_wrapped_mapper": {"filter_kwargs": {"s": 0}, "filter_name": "hue"}}]


@pytest.mark.parametrize("goal,expected", [
    # a language word on the data an action works on is that action's language, not a language filter
    ("split the German articles into sentences", [{"sentence_split_mapper": {"lang": "de"}}]),
    ("break the French essays into sentences with the French splitter", [{"sentence_split_mapper": {"lang": "fr"}}]),
])
def test_a_language_on_the_data_an_action_works_on(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # the number of a list item is no setting; a value ruled out ('instead of the usual 500') is none either
    ("To do: 1. remove texts shorter than 40 characters; 2. drop exact duplicates.",
     [{"text_length_filter": {"min_len": 40}}, {"document_deduplicator": {}}]),
    ("keep audio with an NMF SNR of at least 8 dB, using 300 iterations rather than the default 500",
     [{"audio_nmf_snr_filter": {"min_snr": 8, "nmf_iter_num": 300}}]),
    # a number in square brackets is a token of the text ('[7]')
    ("cut the pages into chunks of at most 1500 characters; the footnote marks such as [7] or [21] go first, "
     "regex \\[\\d+\\] replaced by nothing", [{"text_chunk_mapper": {"max_len": 1500}},
                                            {"replace_content_mapper": {"pattern": "\\[\\d+\\]", "repl": ""}}]),
])
def test_numbers_that_are_no_setting(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a bracket that says the setting again in plain terms is read; '不要取平均' rules the average out
    ("remove videos whose watermark probability exceeds 0.5, judging each by its worst frame (the maximum over "
     "its frames, not the mean)", [{"video_watermark_filter": {"prob_threshold": 0.5, "reduce_mode": "max"}}]),
    ("视频 NSFW 分数高于0.3的删掉（按各帧的最大值算，不要取平均）",
     [{"video_nsfw_filter": {"max_score": 0.3, "reduce_mode": "max"}}]),
])
def test_a_bracket_restating_the_choice(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # wallpapers are images; a piece naming no medium after a step on images, in a request naming none, is images
    ("wallpaper set: aesthetics below 0.5 goes", [{"image_aesthetics_filter": {"min_score": 0.5}}]),
    ("Gaussian-blur the faces in the shop-front crops (radius 4), then drop crops narrower than 300 pixels",
     [{"image_face_blur_mapper": {"radius": 4}}, {"image_shape_filter": {"min_width": 300}}]),
])
def test_the_medium_of_images_said_otherwise(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # after a step on audio, 'clips' are audio clips; 'make them sound like …' keeps nothing
    ("Can we make the voice clips sound like an old radio? Use ffmpeg's highpass filter with f=300. And any clip "
     "over 2MB is not a voice command, so drop those.",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "highpass", "filter_kwargs": {"f": 300}}},
      {"audio_size_filter": {"max_size": "2MB"}}]),
])
def test_clips_after_an_audio_step_are_audio(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'conversation' is no form of 'convert'
    ("merge every message with the same meta.conversation_id into one sample, one whole conversation each",
     [{"key_value_grouper": {"group_by_keys": ["meta.conversation_id"]}}]),
    # a tool option with its unit is written as it is
    ("用 ffmpeg 的 volume 滤镜把音量调低，参数 volume=-6dB",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "volume", "filter_kwargs": {"volume": "-6dB"}}}]),
    # '.org' beside a word that words contain is part of a word, not a file suffix
    ("删掉所有包含 www 或 .org 的单词", [{"remove_words_with_incorrect_substrings_mapper": {"substrings": ["www", ".org"]}}]),
    # a language said of where the step works ('英文帖子里') is what the data is, no language filter
    ("英文帖子里，字符重复率高于0.3的都删掉", [{"character_repetition_filter": {"max_ratio": 0.3}}]),
])
def test_words_read_for_what_they_are(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # two bare nouns, then the verdict on both; a filter with no bound said is no answer to a removal
    ("拉丁字母和数字统统删掉，只留中文", [{"remove_non_chinese_character_mapper": {"keep_alphabet": False, "keep_number": False}}]),
    # the order said first, then what of it to keep
    ("按 meta.ppl 从低到高排序，只保留最低的两千条",
     [{"topk_specified_field_selector": {"field_key": "meta.ppl", "topk": 2000, "reverse": False}}]),
    ("rank by meta.votes, then keep the 300 with the fewest",
     [{"topk_specified_field_selector": {"field_key": "meta.votes", "topk": 300, "reverse": False}}]),
    ("挑出 meta.topic 里最冷门的二十个话题的样本",
     [{"frequency_specified_field_selector": {"field_key": "meta.topic", "topk": 20, "reverse": False}}]),
])
def test_shared_verdicts_and_rankings(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # how many values were just listed, and a number said again as 'all three', are no settings
    ("只要同时被打上 dog 和 grass 这两个标签的视频",
     [{"video_tagging_from_frames_filter": {"tags": ["dog", "grass"], "contain": "all"}}]),
    ("caption every video from its frames, 4 candidate captions each, and keep all four",
     [{"video_captioning_from_frames_mapper": {"caption_num": 4, "keep_candidate_mode": "all"}}]),
    # the size of the n-grams counted is no bound
    ("remove texts whose character repetition, measured over 8-character n-grams, is above 0.4",
     [{"character_repetition_filter": {"rep_len": 8, "max_ratio": 0.4}}]),
])
def test_counts_said_of_other_things(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '两到四千' is 2000 to 4000
    ("只要字数在两到四千之间的帖子", [{"text_length_filter": {"min_len": 2000, "max_len": 4000}}]),
    # two described sets, then one verdict on both
    ("特殊字符占比低于百分之一的，还有高于百分之三十的，统统删掉",
     [{"special_characters_filter": {"min_ratio": 0.01, "max_ratio": 0.3}}]),
    # the other end of a range, said after '、', belongs to the step whose one end was just set
    ("图文相似度不低于0.2、不高于0.85的图片才留下", [{"image_text_similarity_filter": {"min_score": 0.2, "max_score": 0.85}}]),
])
def test_ranges_said_in_parts(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'never louder than an amplitude of 0.02' is a ceiling; '2 clips in 10' is a share of the samples
    ("add gaussian noise to about two clips in ten, never louder than an amplitude of 0.02",
     [{"audio_add_gaussian_noise_mapper": {"p": 0.2, "max_amplitude": 0.02}}]),
    # a language said of where the step works is what the data is ('英文稿件里'), also before a question
    ("英文稿件里，字符数在五万开外的都删掉", [{"text_length_filter": {"max_len": 50000}}]),
    ("中文语料能不能去一下重？用 MinHash", [{"document_minhash_deduplicator": {}}]),
])
def test_ceilings_shares_and_data_languages(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # kept in ratio while grown to a floor, the other side grows too; '…的倍数' is what the sides divide by
    ("把视频放大到至少一千零八十像素高，保持比例，宽高都得是八的倍数",
     [{"video_resize_resolution_mapper": {"min_height": 1080, "force_original_aspect_ratio": "increase",
                                          "force_divisible_by": 8}}]),
    ("scale clips down to at most 854 px wide, keeping the aspect ratio",
     [{"video_resize_resolution_mapper": {"max_width": 854, "force_original_aspect_ratio": "decrease"}}]),
])
def test_resizing_in_ratio(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a number corrected in the same breath: the new one stands, the unit said again is not doubled
    ("keep images narrower than 4000 px, no wait, make that 6000 px", [{"image_shape_filter": {"max_width": 6000}}]),
    ("drop texts shorter than 50 characters. actually make it 80", [{"text_length_filter": {"min_len": 80}}]),
    ("删掉少于20个字的文本，不对，是30个字", [{"text_length_filter": {"min_len": 30}}]),
    # what was said before '算了' is taken back
    ("按关键帧把视频切成小段，原视频留着……算了，还是不留了",
     [{"video_split_by_key_frame_mapper": {"keep_original_sample": False}}]),
    # 'the huge ones, anything wider or taller than …': the second piece says which ones; no echo step
    ("throw out the huge images, anything wider or taller than 6000 px",
     [{"image_shape_filter": {"max_width": 6000, "max_height": 6000}}]),
])
def test_corrections_and_appositions(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'we need … deleted': what is wanted is the removal, however long the description between
    ("we need every recording shorter than 2 seconds or longer than 60 seconds deleted",
     [{"audio_duration_filter": {"min_duration": 2, "max_duration": 60}}]),
    # words that have to vanish are the ones over the cap
    ("any word over 30 letters has to disappear, the document stays", [{"remove_long_words_mapper": {"max_len": 30}}]),
    # the samples described by a bound, then what is done to them: those above are brought down
    ("宽高比大于二比一的视频，都要调整成二比一，缩减宽度",
     [{"video_resize_aspect_ratio_mapper": {"max_ratio": "2/1", "strategy": "decrease"}}]),
    ("videos wider than 2:1 should be resized to 2:1", [{"video_resize_aspect_ratio_mapper": {"max_ratio": "2/1"}}]),
    # the noise's amplitude is a setting of the step that adds noise, not noise to remove
    ("给音频加点高斯噪声，噪音幅度不超过0.03", [{"audio_add_gaussian_noise_mapper": {"max_amplitude": 0.03}}]),
])
def test_sides_of_removals_and_settings(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a numbered heading names no step and its numbers set nothing
    ("Question 4 (5 marks): drop every text shorter than 30 characters", [{"text_length_filter": {"min_len": 30}}]),
    ("练习题：删掉少于20个字的文本", [{"text_length_filter": {"min_len": 20}}]),
    # '及以下' is one bound, not a second request
    ("宽或高在二百像素及以下的图片都删掉", [{"image_shape_filter": {"min_width": 200, "min_height": 200}}]),
    ("only keep documents where at least half of the tokens are alphabetic",
     [{"alphanumeric_filter": {"min_ratio": 0.5, "tokenization": True}}]),
])
def test_headings_inclusive_bounds_and_alphabetic_tokens(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a bare name said as a field is the step's field; 'field recordings', 'a general field condition' are no fields
    ("extract 9 frames uniformly from each video and store them in the keyframes field",
     [{"video_extract_frames_mapper": {"frame_num": 9, "frame_sampling_method": "uniform", "frame_key": "keyframes"}}]),
    ("每个视频均匀抽五帧，结果存到 frames_out 字段里",
     [{"video_extract_frames_mapper": {"frame_num": 5, "frame_sampling_method": "uniform", "frame_key": "frames_out"}}]),
    ("Field recordings: if a recording's SNR is under 5 dB, toss it", [{"audio_nmf_snr_filter": {"min_snr": 5}}]),
])
def test_bare_field_names(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'the image and the caption are identical' is one condition, on the step said before it
    ("dedupe the images, but two samples only count as copies if the image and the caption are identical",
     [{"image_deduplicator": {"consider_text": True}}]),
    ("convert the Taiwanese traditional posts to simplified Chinese", [{"chinese_convert_mapper": {"mode": "tw2s"}}]),
])
def test_shared_predicates_and_taiwanese(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a regular expression said on its own is the pattern of the step just named; its digits set nothing
    ("replace the internal IPs with [IP]. use the regex 10\\.\\d+\\.\\d+\\.\\d+ for it",
     [{"clean_ip_mapper": {"repl": "[IP]", "pattern": "10\\.\\d+\\.\\d+\\.\\d+"}}]),
    ("把邮箱地址换成[EMAIL]，正则就用 [a-z]+@corp\\.com",
     [{"clean_email_mapper": {"repl": "[EMAIL]", "pattern": "[a-z]+@corp\\.com"}}]),
])
def test_regex_said_after_its_step(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_a_setting_said_again_goes_to_the_next_step(planner):
    # '同样按分词' before the next step sets that step; it segments words in the language the data was given
    assert plan(planner, "中文评论里脏话比例超过百分之一的删掉，按分词统计；同样按分词，以三个词为一组算词重复率，超过0.5的也删掉") == [
        {"flagged_words_filter": {"max_ratio": 0.01, "lang": "zh", "tokenization": True}},
        {"word_repetition_filter": {"rep_len": 3, "tokenization": True, "max_ratio": 0.5, "lang": "zh"}}]


@pytest.mark.parametrize("goal,expected", [
    # 'wavelet' holds no wav file: the request is about images
    ("pics -> dedupe them with the wavelet hash", [{"image_deduplicator": {"method": "whash"}}]),
    # the words that contain an unquoted symbol run go, not the symbols
    ("drop every word that contains ## from the captions", [{"remove_words_with_incorrect_substrings_mapper": {"substrings": ["##"]}}]),
    # a case the bounds of a step on the same thing already settle is no step of its own
    ("keep the portraits where the largest face covers 20% to 70% of the frame. Shots with no face at all go too.",
     [{"image_face_ratio_filter": {"min_ratio": 0.2, "max_ratio": 0.7}}]),
    # 'X only' says how far the step just named goes
    ("convert the posts from traditional to simplified Chinese. Script only.", [{"chinese_convert_mapper": {"mode": "t2s"}}]),
    # the data given is no step; a cue is not read across a relative clause
    ("Given a dump of image-caption pairs, remove every pair whose CLIP similarity is under 0.2",
     [{"image_text_similarity_filter": {"min_score": 0.2}}]),
    # steps ruled out: 'no X needed', an out-of-scope list
    ("cut the videos at scene changes. no dedup or filtering needed.", [{"video_split_by_scene_mapper": {}}]),
    ("Replace every e-mail address with [mail].\nOut of scope: deduplication, length filtering.",
     [{"clean_email_mapper": {"repl": "[mail]"}}]),
    # Markdown headings and a thread's 1/2, 2/2 numbering name nothing
    ("### Fixed\n- texts under 30 words are dropped now", [{"words_num_filter": {"min_num": 30}}]),
    ("1/2 drop clips longer than 90 seconds\n2/2 then cut the rest at key frames",
     [{"video_split_by_key_frame_mapper": {}}, {"video_duration_filter": {"max_duration": 90}}]),
    # keeping the two outer sides is the range between them reversed
    ("keep only the very short clips (2 seconds or less) and the very long ones (60 minutes or more); whatever lies in between goes",
     [{"video_duration_filter": {"min_duration": 2, "max_duration": 3600, "reversed_range": True}}]),
    # 'keeps crashing' keeps nothing; '不予入库' removes
    ("files over 40MB keep crashing the decoder, so take those images out", [{"image_size_filter": {"max_size": "40MB"}}]),
    ("分辨率宽度不到六百像素的图片，不予入库。", [{"image_shape_filter": {"min_width": 600}}]),
    # an option written by an argument's own name sets that step
    ("Resize the videos to at most 720 px tall. Keep the ratio (force_original_aspect_ratio=decrease).",
     [{"video_resize_resolution_mapper": {"max_height": 720, "force_original_aspect_ratio": "decrease"}}]),
    # money is a plain number of a field
    ("只保留 meta.price 在 5 元到 50 元之间的商品", [{"specified_numeric_field_filter": {"field_key": "meta.price", "min_value": 5, "max_value": 50}}]),
    # a share picked at random after a mapper is how often it applies
    ("给录音加高斯噪声，不用全加，随机挑三成就行", [{"audio_add_gaussian_noise_mapper": {"p": 0.3}}]),
    # the distinctive word of an operator's name said in Chinese
    ("视频美学打分用所有关键帧，分数低于0.3的删掉", [{"video_aesthetics_filter": {"frame_sampling_method": "all_keyframes", "min_score": 0.3}}]),
    # a repair ruled out: the filter, not the remover
    ("many clips carry a big channel logo; removing it never looks right, so we'd rather lose those clips than repair them",
     [{"video_watermark_filter": {}}]),
    # whole samples removed: the filter rather than the mapper of the same thing
    ("有人脸的照片都不要了", [{"image_face_count_filter": {}}]),
    # a flag named by one verb, negated
    ("dedupe with MinHash, and it should not lowercase the text first", [{"document_minhash_deduplicator": {"lowercase": False}}]),
    # 'above a probability of N'
    ("drop the videos that are above a watermark probability of 0.7", [{"video_watermark_filter": {"prob_threshold": 0.7}}]),
    # a field and the values it may hold; tags go to the tag selector
    ("keep only samples whose meta.source is \"wiki\" or \"books\"",
     [{"specified_field_filter": {"field_key": "meta.source", "target_value": ["wiki", "books"]}}]),
    # a pasted log names no step
    ("```\nERROR decoding clip_12.mp4 (1920x1080, 613 s)\n```\nPlease split the videos into 10-second pieces.",
     [{"video_split_by_duration_mapper": {"split_duration": 10}}]),
])
def test_session_21_readings(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a speaker's label names nothing
    ("A: what about the photos?\nB: dedupe them with dhash, nothing else.", [{"image_deduplicator": {"method": "dhash"}}]),
    # 'but keep the punctuation, we need it for …' is the step's default said again, and a reason
    ("把英文字母都去掉，不过标点符号得留着，分句要用。", [{"remove_non_chinese_character_mapper": {"keep_alphabet": False}}]),
    # '一条都不删' beside a range names no step
    ("把时长不在 5 到 20 秒之间的视频切成 10 秒一段，一条都不删。", [{"video_split_by_duration_mapper": {"split_duration": 10}}]),
])
def test_labels_reasons_and_no_loss_beside_numbers(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # 'an image/text set' says what kind of data, it lists no values
    ("For our image/text set: drop the samples whose NSFW score is over 0.3.", [{"image_nsfw_filter": {"max_score": 0.3}}]),
    # a chained comparison is written as it is
    ("keep the rows matching 10 <= meta.age < 65", [{"general_field_filter": {"filter_condition": "10 <= meta.age < 65"}}]),
    # a bound on a field's own value is no rank; 'the N with the most X' is a ranking
    ("keep only the posts whose meta.views is under 5000, then the 40 with the most meta.likes",
     [{"specified_numeric_field_filter": {"field_key": "meta.views", "max_value": 5000}},
      {"topk_specified_field_selector": {"field_key": "meta.likes", "topk": 40}}]),
])
def test_data_kinds_chained_conditions_and_rankings(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # a new sentence with an action of its own is a new step, whatever setting of the step before it also names
    ("remove clips with a watermark probability above 0.5, taking the minimum over frames. Then cut the rest at key frames.",
     [{"video_split_by_key_frame_mapper": {}}, {"video_watermark_filter": {"prob_threshold": 0.5, "reduce_mode": "min"}}]),
    # a field said with the Chinese word of a field argument's name, and the choice said beside it
    ("把视频里的台标去掉。台标的位置按像素坐标存在 meta.box 字段里。",
     [{"video_remove_watermark_mapper": {"roi_key": "meta.box", "roi_type": "pixel"}}]),
])
def test_new_actions_and_named_fields(planner, goal, expected):
    assert plan(planner, goal) == expected


@pytest.mark.parametrize("goal,expected", [
    # '只留汉字' after another step is a step of its own, not a qualifier of the one before
    ("去掉网址，只留汉字", [{"clean_links_mapper": {}}, {"remove_non_chinese_character_mapper": {}}]),
    # a one-character verb piece still gives its verb
    ("字数少于20的，删", [{"text_length_filter": {"min_len": 20}}]),
    # '用中文模型' is the step's language, not what the data is for
    ("困惑度超过1200的删掉，用中文模型", [{"perplexity_filter": {"max_ppl": 1200, "lang": "zh"}}]),
])
def test_qualifiers_labels_and_purposes_stay_narrow(planner, goal, expected):
    assert plan(planner, goal) == expected


def test_the_middle_said_plainly_is_left_out(planner):
    # '中间的都删掉' after two outer sides kept: the range between them, reversed (never min above max)
    assert plan(planner, "只保留特别短（两秒及以下）和特别长（一小时以上）的视频，中间的都删掉") == \
        [{"video_duration_filter": {"min_duration": 2, "max_duration": 3600, "reversed_range": True}}]


def test_session_22_words_that_hold_no_number():
    """'上一版' is the previous version, '长短不一' uneven lengths, '十几列' a guess: none of them is a setting."""
    from agent.planner.quantities import normalize, read_quantities

    for text in ("上一版的数据有问题", "录音长短不一", "表格最多也就十几列"):
        assert normalize(text) == text and read_quantities(normalize(text)) == [], text
    assert [q.value for q in read_quantities(normalize("超过三十秒的删掉"))] == [30]


def test_session_22_plural_words_end_at_a_word_edge():
    import re

    from agent.planner.lexicon import alternation

    rx = re.compile(alternation(["pics?", "videos?"]), re.I)
    assert rx.search("two pics here") and rx.search("a video")
    assert not rx.search("cherry-picking the best ones") and not rx.search("videography course")


@pytest.mark.parametrize("goal,expected", [
    # a step asked about and declined, or ticked as done, is no step; its words say nothing of the data
    ("Blur the faces in the photos with radius 9.\nDeduplicate? No.\nCaptions? Not needed.",
     [{"image_face_blur_mapper": {"radius": 9}}]),
    ("把网址都去掉。Dedup? No.", [{"clean_links_mapper": {}}]),
    ("- ✅ language filter (done yesterday, don't redo it)\n- ⬜ drop texts shorter than 40 characters",
     [{"text_length_filter": {"min_len": 40}}]),
    # 'no <action>' refuses the step; 'no duplicates' asks for the data to hold none
    ("Strip the HTML tags, no deduplication.", [{"clean_html_mapper": {}}]),
    ("Keep texts of at least 30 characters, no duplicates",
     [{"text_length_filter": {"min_len": 30}}, {"document_deduplicator": {}}]),
    ("Won't: resizing. Must: drop photos smaller than 20KB.", [{"image_size_filter": {"min_size": "20KB"}}]),
    # 'no cluster' places the work on one machine
    ("Deduplicate the photos by perceptual hash, single machine, no cluster.", [{"image_deduplicator": {}}]),
    # a diff proposes its added lines
    ("Change the recipe like this:\n```\n- keep every document\n+ keep only documents of at least 120 words\n```",
     [{"words_num_filter": {"min_num": 120}}]),
    # a table row's number is no setting; a block of '#' comment lines is no headings
    ("| # | step |\n|---|---|\n| 3 | 删掉少于十五个字的文本 |", [{"text_length_filter": {"min_len": 15}}]),
    ("# 用 SimHash 做近似去重\n# 切分方式：按字符\n# 窗口长度：四", [{"document_simhash_deduplicator": {"tokenization": "character", "window_size": 4}}]),
    # spoken Chinese: '甭要了' removes; '字儿' is '字'
    ("字儿少于十个的，甭要了", [{"text_length_filter": {"min_len": 10}}]),
    # who asks, and how each sample looks, name no step
    ("申请人：图片组 王磊\n处理方式：小于十KB的图片删掉", [{"image_size_filter": {"min_size": "10KB"}}]),
    ("Each record is one review and carries meta.status. Keep only reviews whose meta.status is \"verified\".",
     [{"specified_field_filter": {"field_key": "meta.status", "target_value": ["verified"]}}]),
    # the values of an aside about the others are what the step leaves out
    ('Keep the rows whose meta.source is "forum" (the other values are "news" and "wiki").',
     [{"specified_field_filter": {"field_key": "meta.source", "target_value": ["forum"]}}]),
    # a pattern said in brackets ends before the bracket; '\.co' in it is no file suffix
    ("Replace the order ids (pattern ORD-\\d{5}) with <order>.", [{"replace_content_mapper": {"pattern": "ORD-\\d{5}", "repl": "<order>"}}]),
    # '20KB and up' is one bound; both outer sides kept, the middle goes
    ("Only two kinds of images matter: the small ones, up to 15KB, and the big ones, 30MB and up. Everything in between goes.",
     [{"image_size_filter": {"min_size": "15KB", "max_size": "30MB", "reversed_range": True}}]),
])
def test_session_22_readings(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


@pytest.mark.parametrize("goal,expected", [
    # a predicate said after its subject and an aside: one piece
    ("If a photo's aesthetics score, averaged over all the raters, is anything short of 0.47, it goes.",
     [{"image_aesthetics_filter": {"min_score": 0.47}}]),
    # a reason after 'since' names no step ('only' there says how much)
    ("Nothing longer than 3,500 characters stays, since long posts only confuse the model.",
     [{"text_length_filter": {"max_len": 3500}}]),
    # a bare score bound right after a step that has none refers to it
    ("Aesthetics check on the videos; keep clips scoring at least 0.52.", [{"video_aesthetics_filter": {"min_score": 0.52}}]),
    # a year 'or earlier' is a bound; how a result moved is no setting
    ("Keep only the letters whose meta.year is 1899 or earlier.",
     [{"specified_numeric_field_filter": {"field_key": "meta.year", "max_value": 1899}}]),
    ("Drew 4,200 of the essays at random. The score went up 0.03 after that.", [{"random_selector": {"select_num": 4200}}]),
    # '删完之后' / '拆开以后' say when the next step runs; '只留一张' after a dedup is what dedup keeps
    ("先把重复的图片去掉，只留一张，删完之后再随机抽五百张", [{"image_deduplicator": {}}, {"random_selector": {"select_num": 500}}]),
    # a field said at its default changes nothing
    ("用偏移高斯采样，字段就用默认的 meta.rating，sigma 设为零点零五", [{"shift_gaussian_selector": {"sigma": 0.05}}]),
    # a problem described under its label, then the plan: the plan's steps (the same paragraph goes with its label)
    ("问题：有些段落里混着“□”这种方块符号；另外不少句子重复了。\n计划：把“□”这个符号删掉，重复的句子也去掉。",
     [{"remove_specific_chars_mapper": {"chars_to_remove": "□"}}, {"remove_repeat_sentences_mapper": {}}]),
    # '…, which is what the header stripper does out of the box' describes that step
    ("Strip everything before the first section heading. A paper with no heading is useless and goes, which is what "
     "the header remover does anyway.", [{"remove_header_mapper": {}}]),
    # 'the tiny ones, under 30 seconds, and the long ones, 40 minutes and up': the numbers say which ones
    ("For the podcasts keep only the tiny ones, under 30 seconds, and the long ones, 40 minutes and up. Everything in "
     "between goes.", [{"audio_duration_filter": {"min_duration": 30, "max_duration": 2400, "reversed_range": True}}]),
    ("用 MinHash 去重，按标点切词，Jaccard 阈值零点八",
     [{"document_minhash_deduplicator": {"tokenization": "punctuation", "jaccard_threshold": 0.8}}]),
])
def test_session_22_more_readings(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


def test_session_22_compound_durations():
    for text, want in (("超过一小时零五分钟的", "超过65分钟的"), ("短于两分三十秒", "短于150秒"),
                       ("longer than an hour and 10 minutes", "longer than 70 minutes"), ("over 1h05m", "over 65 minutes")):
        assert normalize(text) == want


@pytest.mark.parametrize("goal,expected", [
    # the data's language said first with a setting ('英文论坛帖子里，按分词来算'): both go to the step named next
    ("日文博客里，先分词再统计，停用词比例低于百分之八的都删掉。",
     [{"stopwords_filter": {"lang": "ja", "tokenization": True, "min_ratio": 0.08}}]),
    # a setting said for a language after the step ('日文要先分词') sets that step's language
    ("凡是含有“www”的词整个删掉，其余不动；日文要先分词再判断。",
     [{"remove_words_with_incorrect_substrings_mapper": {"lang": "ja", "tokenization": True, "substrings": ["www"]}}]),
    # 'even one', 'any … at all', '哪怕一个': not one is allowed
    ("Any essay containing even one swear word gets thrown out.", [{"flagged_words_filter": {"max_ratio": 0}}]),
    ("评论里哪怕只有一个脏词，也要整条删掉。", [{"flagged_words_filter": {"max_ratio": 0}}]),
    # '也要整条删掉' is only the verb: what is over the bound goes
    ("帖子里脏话占比超过百分之三的，也要整条删掉。", [{"flagged_words_filter": {"max_ratio": 0.03}}]),
    # the number in 'Grade 4' or '五年级' names a class, not a bound
    ("My Grade 4 pupils write stories; drop every story shorter than 40 words.", [{"words_num_filter": {"min_num": 40}}]),
    ("五年级作文，字数少于一百的删掉。", [{"text_length_filter": {"min_len": 100}}]),
])
def test_session_23_readings(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


def test_session_23_a_word_that_names_one_medium_beats_an_ambiguous_one(planner):
    # 'clips' may be videos; 'utterances' are only audio
    got = plan(planner, "The clips are spoken utterances; anything longer than 12 seconds goes.")
    assert got == [{"audio_duration_filter": {"max_duration": 12}}]


@pytest.mark.parametrize("goal,expected", [
    # 'so those go too': the verb, said last, on what the number names
    ("Anything longer than 9,000 characters is usually a pasted licence, so those go as well.",
     [{"text_length_filter": {"max_len": 9000}}]),
    # classical and dialect Chinese: '逾' is over, '去之' and '甩了' remove
    ("凡音频，其长逾十分钟者，去之。", [{"audio_duration_filter": {"max_duration": 600}}]),
    ("字母数字占比低于零点四的帖子，直接甩掉。", [{"alphanumeric_filter": {"min_ratio": 0.4}}]),
    # a piece naming only the medium is what the next steps work on, no step
    ("所有图片：宽度不足三百像素的删掉。", [{"image_shape_filter": {"min_width": 300}}]),
    # the value after 'not the default X though' is the one chosen; ftfy names its operator
    ("Please run ftfy on the scraped reviews. Not the default NFC though — NFKC.",
     [{"fix_unicode_mapper": {"normalization": "NFKC"}}]),
])
def test_session_23_more_readings(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


def test_session_23_a_verb_after_a_story_takes_the_stories_step(planner):
    # 'so they must go' names no operator: the story before it says which
    got = plan(planner, "Our skateboarding clips are full of slideshows: still pictures with a song under them. "
                        "A motion model learns nothing from those, so they must go.")
    assert got == [{"video_motion_score_filter": {}}]


@pytest.mark.parametrize("goal,expected", [
    # parts the step leaves out of its judgement are its setting, not a filter ('…不算', "don't count")
    ("删除每篇文档内重复出现的句子；短于五个字的句子不算。", [{"remove_repeat_sentences_mapper": {"min_repeat_sentence_length": 5}}]),
    ("Drop sentences repeated inside a document; sentences shorter than 8 characters don't count.",
     [{"remove_repeat_sentences_mapper": {"min_repeat_sentence_length": 8}}]),
    # '合并' is one word ('并' joins two steps only between them); '不按任何字段分组' says how the grouping goes
    ("把全部样本合并成一个批样本，不按任何字段分组。", [{"naive_grouper": {}}]),
    # '变更前：…' is the recipe as it was; what replaces it is the plan
    ("变更前：按 meta.lang 分组。变更后：随机抽一千条。", [{"random_selector": {"select_num": 1000}}]),
])
def test_session_23_settings_and_labels(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


def test_session_23_a_forms_question_names_no_step(planner):
    # 'What should be kept?:' is the form's question; its answer names the step
    got = plan(planner, "Support ticket\nWhat should be kept?: only the posts whose meta.score is at least 4\nPriority: low")
    assert got == [{"specified_numeric_field_filter": {"field_key": "meta.score", "min_value": 4}}]


@pytest.mark.parametrize("goal,expected", [
    # a bound on what is then changed to that size: the resizing mapper's upper bound, never a filter's lower one
    ("高度超过一千零八十像素的视频，压到一千零八十。", [{"video_resize_resolution_mapper": {"max_height": 1080}}]),
    ("Any video taller than 720 px, scale it down to 720.", [{"video_resize_resolution_mapper": {"max_height": 720}}]),
    # numbers spelled with 'point', and clock-style durations the text says are minutes:seconds
    ("Blur the faces in the photos with a gaussian blur of radius two point five.",
     [{"image_face_blur_mapper": {"radius": 2.5}}]),
    ("Remove recordings that run longer than 2:15 (m:ss).", [{"audio_duration_filter": {"max_duration": 135}}]),
    ("bin every clip shorter than 4 seconds", [{"video_duration_filter": {"min_duration": 4}}]),
    # 'put some … noise on them' adds it
    ("The voice notes are too clean. Put some gaussian noise on them.", [{"audio_add_gaussian_noise_mapper": {}}]),
])
def test_session_24_readings(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


def test_session_24_struck_through_text_was_taken_back(planner):
    got = plan(planner, "Split the videos at scene changes, ~~detector AdaptiveDetector~~ threshold 18.5.")
    assert got == [{"video_split_by_scene_mapper": {"threshold": 18.5}}]


def test_session_24_a_regex_with_a_space_in_a_class_is_one_pattern(planner):
    got = plan(planner, r"Replace every phone number matching \d{3}[- ]\d{4} with <PHONE>.")
    assert got == [{"replace_content_mapper": {"pattern": r"\d{3}[- ]\d{4}", "repl": "<PHONE>"}}]


def test_session_24_the_comparator_names_the_side_not_a_remark(planner):
    got = plan(planner, "Drop photos narrower than 900 pixels (the height is irrelevant).")
    assert got == [{"image_shape_filter": {"min_width": 900}}]


def test_session_24_after_thats_all_a_sign_off_names_nothing(planner):
    got = plan(planner, "Remove exact duplicate documents. That's all! See you on the 3rd, Wish you luck.")
    assert got == [{"document_deduplicator": {}}]


@pytest.mark.parametrize("goal,expected", [
    # 'Do not X' rules X out ('for length': the reason the samples must not be dropped for), no step of its own
    ("Keep only German articles. Do not deduplicate. Do not drop anything for length.",
     [{"language_id_score_filter": {"lang": "de"}}]),
    # a shopping list's '1x' / '0x' counts no setting
    ("- 1x exact dedup\n- 1x drop texts under 40 words\n- 0x anything else",
     [{"document_deduplicator": {}}, {"words_num_filter": {"min_num": 40}}]),
    # 'keep the songs themselves': the samples stay, nothing to guess
    ("Delete every word longer than 30 characters, keep the songs themselves.",
     [{"remove_long_words_mapper": {"max_len": 30}}]),
    # a field with unquoted values is the field's operator, not a tagging model's
    ("Only keep the rows whose meta.topic is tagged sports or weather.",
     [{"tags_specified_field_selector": {"field_key": "meta.topic", "target_tags": ["sports", "weather"]}}]),
    # '… are replays only' is 'merely'; 'not required' and 'off the pitch' remove
    ("The videos longer than 90 seconds are full replays only, those are not required.",
     [{"video_duration_filter": {"max_duration": 90}}]),
    ("Any post where flagged words make up more than 2% of the words is OFF THE PITCH!",
     [{"flagged_words_filter": {"max_ratio": 0.02}}]),
    ("Every photo whose width exceeds 2.5 times its height should be set aside.",
     [{"image_aspect_ratio_filter": {"max_ratio": 2.5}}]),
])
def test_session_24_more_readings(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


def test_session_24_a_heading_that_names_its_operator_is_a_new_step(planner):
    # 'BLIP image-text matching:' names its filter; it is no setting of the deduplicator before it
    got = plan(planner, "1) dedupe the images with phash.\n2) BLIP image-text matching: drop the pairs below 0.3.")
    assert same_steps(got, [{"image_deduplicator": {}}, {"image_text_matching_filter": {"min_score": 0.3}}])


def test_session_24_a_resizing_said_after_its_step_caps_it(planner):
    # 'shrinking every clip so that neither side is longer than …', said of the resizer just named, is its upper bound
    got = plan(planner, "Any clip under 2 seconds is gone. And then one resizer will rise, shrinking every clip so that "
                        "neither side is longer than 1,200 pixels, and shrinking the other side along with it.")
    resize = next(s["video_resize_resolution_mapper"] for s in got if "video_resize_resolution_mapper" in s)
    assert resize["max_width"] == 1200 and resize["max_height"] == 1200 and "min_width" not in resize


@pytest.mark.parametrize("goal,expected", [
    # a complaint before an action asked on its own is not joined to it (the complaint's 'too long' drops nothing)
    ("这些小说太长了，请把每本切成一块一块的，每块最多八百个字。", [{"text_chunk_mapper": {"max_len": 800}}]),
    ("每个视频抽俩帧算美学分，低于零点四的删掉。", [{"video_aesthetics_filter": {"frame_num": 2, "min_score": 0.4}}]),
    # what the step just named puts in place of what it finds, written as the user wrote it (full-width too)
    ("文本里的网址，一律替换为“＃＃”。", [{"clean_links_mapper": {"repl": "＃＃"}}]),
    # a count said with a superlative is the ranking selector's
    ("要评论数据中 meta.votes 最高的两千条。", [{"topk_specified_field_selector": {"field_key": "meta.votes", "topk": 2000}}]),
    # 'comments' as the data are no LaTeX comments
    ("The comments dump is noisy: drop comments shorter than 5 words.", [{"words_num_filter": {"min_num": 5}}]),
    # which pieces the next step works on; the noun after a Chinese count and its measure word names it
    ("先按场景切分视频；对切分得到的每段视频，生成三条候选描述。",
     [{"video_split_by_scene_mapper": {}}, {"video_captioning_from_frames_mapper": {"caption_num": 3}}]),
    ("相同的图片只保留一张。", [{"image_deduplicator": {}}]),
    ("视频按场景切开，检测器与阈值保持默认。", [{"video_split_by_scene_mapper": {}}]),
    ("视频里有三处台标要抹掉，区域分别是 0,0,100,50、200,0,300,50 和 0,400,100,450，按像素坐标。",
     [{"video_remove_watermark_mapper": {"roi_strings": ["0,0,100,50", "200,0,300,50", "0,400,100,450"], "roi_type": "pixel"}}]),
    # the story before '决定这样筛：' names no step
    ("昨天组会上老师说我们的图片太“脏”了。决定这样筛：美学分低于零点五的删掉。", [{"image_aesthetics_filter": {"min_score": 0.5}}]),
    # a language code as the tool writes it
    ("OCR 只识别繁体中文（ch_tra），画面文字面积占比低于百分之五的视频删掉。",
     [{"video_ocr_area_ratio_filter": {"languages_to_detect": ["ch_tra"], "min_area_ratio": 0.05}}]),
    # Wu dialect: '删脱' removes, '覅动' leaves alone
    ("宽度大于三千像素个图片，统统删脱，其他个覅动。", [{"image_shape_filter": {"max_width": 3000}}]),
])
def test_session_24_chinese_readings(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


@pytest.mark.parametrize("goal,expected", [
    # 'fails to reach' is below: what fails to reach N is dropped, min = N
    ("An image-caption pair whose CLIP similarity fails to reach 0.28 gets dropped.",
     [{"image_text_similarity_filter": {"min_score": 0.28}}]),
    # 'on it': the model the sentence before named takes the bound
    ("We trust the NSFW model. Any image scoring above 0.4 on it is removed.", [{"image_nsfw_filter": {"max_score": 0.4}}]),
    # a request in capitals names tools and options in lower case
    ("RUN FFMPEG HIGHPASS FILTER ON EVERY RECORDING WITH F=200 THEN DROP RECORDINGS SHORTER THAN 2 SECONDS",
     [{"audio_ffmpeg_wrapped_mapper": {"filter_name": "highpass", "filter_kwargs": {"f": 200}}},
      {"audio_duration_filter": {"min_duration": 2}}]),
    ("Dedupe with SimHash, splitting tokens on punctuation.", [{"document_simhash_deduplicator": {"tokenization": "punctuation"}}]),
    # a note's findings name no step; its plan does
    ("S: the model hallucinates.\nA: the stubs add noise.\nP: drop texts under 30 words.", [{"words_num_filter": {"min_num": 30}}]),
    # 'with nothing' is the empty replacement
    (r"Delete every match of the regex \d{4}-\d{4} (replace it with nothing).",
     [{"replace_content_mapper": {"pattern": r"\d{4}-\d{4}", "repl": ""}}]),
    ("Dedupe the documents exactly; nothing else needs doing.", [{"document_deduplicator": {}}]),
    # 'reproduce that selection' asks for what was said again; a heading that says what was not done names nothing
    ("We sampled 10% at random last time. Could you reproduce exactly that selection on the new batch?",
     [{"random_selector": {"select_ratio": 0.1}}]),
    ("We didn't just grab random docs: we ranked by meta.score and kept the top 500.",
     [{"topk_specified_field_selector": {"field_key": "meta.score", "topk": 500}}]),
])
def test_session_24_notes_capitals_and_references(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


@pytest.mark.parametrize("goal,expected", [
    # a quoted requirement is a bound, not a literal to delete
    ("作文要求每篇“不少于五百字”，写不够的要剔除。", [{"text_length_filter": {"min_len": 500}}]),
    # a run of symbols the samples are separated by is where a splitter splits
    ("Each file holds many recipes separated by lines of ===, and the model should see one recipe per sample.",
     [{"text_chunk_mapper": {}}]),
])
def test_session_24_requirements_and_separators(planner, goal, expected):
    assert same_steps(plan(planner, goal), expected)


def test_session_24_unified_to_a_ratio_is_a_resize(planner):
    # '统一到 4:3' changes the videos to the ratio; with no video to be lost, no filter
    got = plan(planner, "竖屏横屏混在一起，画面要统一到 4:3，一个视频都不能扔。")
    assert [next(iter(s)) for s in got] == ["video_resize_aspect_ratio_mapper"]


def test_session_24_wider_than_a_ratio_then_changed_to_it_caps_it(planner):
    # '比…还宽的视频，统一调成…': the videos described are changed to the ratio (its upper end); '不要裁…' asks nothing
    got = plan(planner, "比16:9还宽的视频，统一调成16:9，不要裁宽度。")
    assert got == [{"video_resize_aspect_ratio_mapper": {"max_ratio": "16/9"}}]


def test_session_24_a_projects_name_and_no_loss_leave_only_the_change(planner):
    # '项目：…' names the work; with no video to be lost, only the resizing is a step
    got = plan(planner, "项目：视频统一分辨率\n要做的：高度超过一千零八十像素的视频，统一缩小到一千零八十像素高。\n注意：不删除任何视频。")
    assert got == [{"video_resize_resolution_mapper": {"max_height": 1080}}]
