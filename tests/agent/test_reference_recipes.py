"""Reference recipes for vague jobs: every shipped recipe loads, runs and is explained in both
languages; user folders join the library; bad files fail with the file and line."""
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from sandbox_engine.errors import JuiceboxError, RecipeError
from sandbox_engine.inmemory import process_samples
from sandbox_engine.ops.base import OPERATORS, load_builtin_ops
from sandbox_engine.recipe import load_recipe
from sandbox_engine.recipes.library import REFERENCE_DIR, load_reference_recipes
from tools.catalog import Catalog, recipe_entries

HAN = re.compile(r"[\u4e00-\u9fff]")
JOBS = {"pretrain_web_en", "code", "latex_papers", "rag_corpus", "sft_pairs", "web_zh", "image_text_pairs",
        "image_dedup", "light_cleanup", "speech_audio", "video_clips_t2v", "image_privacy", "video_privacy",
        "text_pii", "social_posts"}
MEDIA_JOBS = {"image_text_pairs", "image_dedup", "image_privacy", "speech_audio", "video_clips_t2v", "video_privacy"}
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("JUICEBOX_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("JUICEBOX_RECIPES", raising=False)
    return tmp_path / "home"


@pytest.fixture
def shipped(home):
    return {r.name: r for r in load_reference_recipes()}


def test_every_shipped_recipe_loads_with_registered_ops_and_bilingual_reasons(shipped):
    load_builtin_ops()
    assert set(shipped) == JOBS
    for r in shipped.values():
        assert r.builtin and r.source.parent == REFERENCE_DIR
        load_recipe(r.source)  # validates every op's arguments
        ops = r.op_names()
        assert ops and set(ops) <= set(OPERATORS), r.name
        assert set(r.reasons) == set(ops), f"{r.name}: a reason per op"
        for en, zh in r.reasons.values():
            assert en and HAN.search(zh) and not HAN.search(en)
        assert r.title and HAN.search(r.title_zh) and r.description
        assert r.modality in ("text", "dialog", "image-text", "image", "video", "audio")


def test_every_job_has_english_and_chinese_requests(shipped):
    for r in shipped.values():
        zh = [q for q in r.requests if HAN.search(q)]
        en = [q for q in r.requests if not HAN.search(q)]
        assert len(en) >= 3 and len(zh) >= 3, r.name
        assert 6 <= len(r.requests) <= 10, r.name


def test_requests_are_not_copied_from_the_eval_suites(shipped):
    goals = set()
    for f in (REPO / "evals").rglob("*.yaml"):
        for item in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and isinstance(item.get("goal"), str):
                goals.add(" ".join(item["goal"].lower().split()))
    assert goals, "the eval suites were found"
    for r in shipped.values():
        for q in r.requests:
            assert " ".join(q.lower().split()) not in goals, (r.name, q)


def test_explanations_name_the_recipe_and_each_step(shipped):
    rag = shipped["rag_corpus"]
    lines = rag.explain()
    assert len(lines) == len(rag.op_names())
    assert lines[0].startswith("from the Retrieval (RAG) corpus reference recipe: fix_unicode_mapper ")
    assert any("text_chunk_mapper splits documents" in x for x in lines)
    assert all(x.startswith("参考配方「检索增强（RAG）语料库」") for x in rag.explain("zh"))
    sft = shipped["sft_pairs"].explain()
    assert "(on the 'query' field)" in sft[0] and "(on the 'query' field)" not in sft[1]


TEXT_ROWS = [{"text": "The committee met on Tuesday to discuss the budget for the coming year. " * 8},
             {"text": "<p>Contact me at someone@example.com or visit https://example.com</p> " * 5},
             {"text": "短"}, {"text": "这是一段用于测试的中文网页文本，内容关于天气和城市生活。" * 5},
             {"text": "\\section{Intro} We study graphs. \\cite{x} % a comment\n" * 20}]


@pytest.mark.parametrize("name", sorted(JOBS - MEDIA_JOBS))
def test_text_recipes_run_on_samples(shipped, name):
    r = shipped[name]
    rows = ([{"query": "What is the capital of France?", "response": "Paris is the capital of France."},
             {"query": "What is the capital of France?", "response": "It is Paris."},
             {"query": "Hi", "response": "Hello! How can I help you today?"}]
            if name == "sft_pairs" else TEXT_ROWS)
    out = process_samples(rows, r.process(), text_key=r.recipe.get("text_keys"))
    assert isinstance(out, list) and len(out) <= len(rows) + 20  # text_chunk_mapper may add rows
    if name == "sft_pairs":
        assert [x["response"] for x in out] == ["Paris is the capital of France."]


def test_image_recipes_run_on_images(shipped, tmp_path):
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    paths = []
    for i, (w, h) in enumerate([(64, 64), (64, 64), (300, 20)]):
        p = tmp_path / f"im{i}.png"
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(p)
        paths.append(str(p))
    rows = [{"text": "<__dj__image> a blue square picture", "images": [paths[0]]},
            {"text": "<__dj__image> the same blue square again", "images": [paths[0]]},
            {"text": "<__dj__image> a long thin banner", "images": [paths[2]]}]
    out = process_samples(rows, shipped["image_dedup"].process())
    assert len(out) == 2
    out = process_samples(rows, shipped["image_text_pairs"].process())
    assert [x["text"] for x in out] == [rows[0]["text"]]  # copy and 15:1 banner dropped


def test_text_pii_replaces_contacts_and_keeps_dates(shipped):
    rows = [{"text": "Call +44 20 7946 0958 or (555) 123-4567, mail John.Doe@Example.COM from 192.168.1.20"},
            {"text": "请拨打13812345678联系客服，或发邮件到 zhang.san@qq.com"},
            {"text": "On 2024-01-15 10:30:00 ticket #12345 was opened; call 555-1234 at 12:00"}]
    out = [x["text"] for x in process_samples(rows, shipped["text_pii"].process(), text_key="text")]
    assert out == ["Call <PHONE> or <PHONE>, mail <EMAIL> from <IP>",
                   "请拨打<PHONE>联系客服，或发邮件到 <EMAIL>",
                   rows[2]["text"]]


def test_social_posts_drop_reposts_but_keep_short_posts(shipped):
    rows = [{"text": "Love this phone :) https://t.co/abc"}, {"text": "love this phone :)  https://t.co/xyz"},
            {"text": "Love this phone :("}, {"text": "好评"}, {"text": "https://spam.example/win"},
            {"text": "Rated 1/5"}, {"text": "Rated 5/5"}]
    out = [x["text"] for x in process_samples(rows, shipped["social_posts"].process(), text_key="text")]
    assert out == ["Love this phone :)", "Love this phone :(", "好评", "Rated 1/5", "Rated 5/5"]


def test_audio_recipe_runs_on_recordings(shipped, tmp_path):
    from tests.ops._media import tone

    rows = [{"audios": [tone(tmp_path / "clean.wav", 2.0, rate=16000)]},
            {"audios": [tone(tmp_path / "noisy.wav", 2.0, rate=16000, amp=0.05, noise=0.4)]},
            {"audios": [tone(tmp_path / "click.wav", 0.4, rate=16000)]},
            {"audios": [str(tmp_path / "missing.wav")]}]
    out = process_samples(rows, shipped["speech_audio"].process())
    assert [x["audios"] for x in out] == [rows[0]["audios"]]


def test_video_recipes_run_on_clips(shipped, tmp_path):
    import matplotlib
    import numpy as np
    from PIL import Image

    from tests.ops._media import clip, write_clip

    rng = np.random.default_rng(0)
    tex = rng.integers(0, 255, (60, 220, 3), dtype=np.uint8)
    tex = np.asarray(Image.fromarray(tex).resize((1760, 480)))  # a smooth texture the camera pans over
    pan = [tex[:, 4 * i:4 * i + 640].copy() for i in range(25)]
    moving = write_clip(tmp_path / "moving.mp4", pan, fps=10)
    rows = [{"videos": [moving]}, {"videos": [moving]},  # the second is a copy
            {"videos": [write_clip(tmp_path / "static.mp4", [pan[0]] * 25, fps=10)]},  # nothing moves
            {"videos": [write_clip(tmp_path / "short.mp4", pan[:10], fps=10)]},  # 1 second
            {"videos": [clip(tmp_path / "tiny.mp4", seconds=2.5, w=64, h=48)]},  # below 480p
            {"videos": [write_clip(tmp_path / "strip.mp4", [tex[:, 4 * i:4 * i + 1600].copy()
                                                            for i in range(25)], fps=10)]}]  # 10:3
    out = process_samples(rows, shipped["video_clips_t2v"].process())
    assert [x["videos"] for x in out] == [[moving]]

    face = Image.open(Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg").convert("RGB")
    face_video = write_clip(tmp_path / "face.mp4", [np.asarray(face.resize((128, 160)))] * 4, fps=4)
    out = process_samples([{"videos": [face_video]}], shipped["video_privacy"].process())
    assert out[0]["videos"][0] != face_video and Path(out[0]["videos"][0]).is_file()
    face.resize((256, 320)).save(tmp_path / "face.png")
    Image.new("RGB", (64, 64), (120, 30, 30)).save(tmp_path / "plain.png")
    rows = [{"images": [str(tmp_path / "face.png"), str(tmp_path / "plain.png")]}]
    (new_face, plain), = [x["images"] for x in process_samples(rows, shipped["image_privacy"].process())]
    assert plain == str(tmp_path / "plain.png") and new_face != str(tmp_path / "face.png")
    a = np.asarray(Image.open(tmp_path / "face.png")).astype(float)
    assert np.abs(a - np.asarray(Image.open(new_face)).astype(float)).mean() > 1.0


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_user_folders_join_the_library(home, tmp_path, monkeypatch):
    _write(home / "recipes" / "forum_posts.yaml", """
        # Forum posts: strip signatures and links,
        # then drop one-liners.
        project_name: my forum clean-up
        process:
          - clean_links_mapper:
          - words_num_filter: {min_num: 5}
        """)
    extra = tmp_path / "team_recipes"
    _write(extra / "rag.yaml", """
        process:
          - document_deduplicator:
          - text_chunk_mapper: {max_len: 500}
        """)
    _write(extra / "jobs.yaml", """
        jobs:
          - name: rag_corpus
            recipe: rag.yaml
            title: Our RAG corpus
            title_zh: 我们的RAG语料
            requests: [prepare the team RAG corpus, 准备团队RAG语料]
            reasons:
              text_chunk_mapper: {en: 500-character chunks for our retriever, zh: 检索用的500字文本块}
        """)
    monkeypatch.setenv("JUICEBOX_RECIPES", str(extra))
    lib = {r.name: r for r in load_reference_recipes()}
    forum = lib["forum_posts"]
    assert not forum.builtin and forum.title == "my forum clean-up" and forum.modality == "text"
    assert forum.description == "Forum posts: strip signatures and links, then drop one-liners."
    assert forum.op_names() == ["clean_links_mapper", "words_num_filter"]
    assert "clean_links_mapper" in forum.search_text() and "forum" in forum.search_text().lower()
    assert forum.explain()[1].startswith("from the my forum clean-up reference recipe: words_num_filter ")
    rag = lib["rag_corpus"]  # the team's recipe replaces the shipped one of the same name
    assert rag.title == "Our RAG corpus" and rag.op_names() == ["document_deduplicator", "text_chunk_mapper"]
    assert rag.reason("text_chunk_mapper", "zh") == "检索用的500字文本块"
    assert rag.reason("document_deduplicator")  # no reason given: the op's own description
    # extra_dirs too, and the catalog indexes them
    other = _write(tmp_path / "more" / "captions.yml", "process:\n  - image_deduplicator:\n")
    names = {r.name: r for r in load_reference_recipes(extra_dirs=[other.parent])}
    assert names["captions"].modality == "image"
    entries = {e.name: e for e in recipe_entries()}
    assert entries["forum_posts"].kind == "recipe" and entries["rag_corpus"].source.endswith("rag.yaml")


def test_catalog_finds_recipes_beside_operators(home):
    cat = Catalog(home, providers=[recipe_entries])
    assert cat.names("recipe") == JOBS
    hits = cat.search("turn arXiv LaTeX papers into training text", k=3, vector=False, kinds=("recipe",))
    assert hits[0].name == "latex_papers" and hits[0].kind == "recipe"


@pytest.mark.parametrize("files,message", [
    ({"bad.yaml": "process:\n  - text_length_filter: {min_len: 10}\n  - no_such_filter:\n"},
     r"bad\.yaml:3.*no_such_filter"),
    ({"bad.yaml": "process:\n  - text_length_filter: {min_len: [1, 2]}\n"}, r"bad\.yaml:2.*min_len"),
    ({"bad.yaml": "process: [\n"}, r"bad\.yaml:\d+: invalid YAML"),
    ({"a.yaml": "process:\n  - clean_html_mapper:\n",
      "jobs.yaml": "jobs:\n  - name: a\n    title: A\n  - name: b\n    requests: [x]\n"},
     r"jobs\.yaml:4: job 'b', field 'title'"),
    ({"a.yaml": "process:\n  - clean_html_mapper:\n",
      "jobs.yaml": "jobs:\n  - name: a\n    title: A\n    reasons: {clean_email_mapper: {en: x, zh: 中}}\n"},
     r"jobs\.yaml:2: job 'a' gives a reason for 'clean_email_mapper', which a\.yaml does not run"),
    ({"a.yaml": "process:\n  - clean_html_mapper:\n",
      "jobs.yaml": "jobs:\n  - name: a\n    title: A\n    recipe: missing.yaml\n"},
     r"jobs\.yaml:2: job 'a': recipe file 'missing\.yaml' is not in"),
])
def test_bad_user_files_give_clear_errors(home, tmp_path, files, message):
    folder = tmp_path / "mine"
    for name, text in files.items():
        _write(folder / name, text)
    with pytest.raises(JuiceboxError, match=message):
        load_reference_recipes(extra_dirs=[folder])
    # the catalog skips a bad user folder with a warning instead of failing every search
    with pytest.warns(UserWarning, match="skipped"):
        names = {r.name for r in load_reference_recipes(extra_dirs=[folder], on_error="warn")}
    assert JOBS <= names


def test_missing_folders_are_errors(home, tmp_path, monkeypatch):
    with pytest.raises(RecipeError, match="does not exist"):
        load_reference_recipes(extra_dirs=[tmp_path / "nope"])
    monkeypatch.setenv("JUICEBOX_RECIPES", str(tmp_path / "nope"))
    with pytest.raises(RecipeError, match="JUICEBOX_RECIPES names .*not a folder"):
        load_reference_recipes()
