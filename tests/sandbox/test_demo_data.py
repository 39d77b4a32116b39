import json
import os
from collections import Counter

from PIL import Image

from sandbox_engine.sandbox.demo_data import ASSETS, read_jsonl, resolve_demo_path


def test_shipped_files_are_small_and_documented():
    total = sum(p.stat().st_size for p in ASSETS.iterdir())
    assert total < 5 * 1024 * 1024
    src = (ASSETS / "SOURCES.md").read_text()
    for pkg in ("fortunes", "jargon-text", "fortunes-de", "fortunes-ru", "fortunes-zh", "dataset-fashion-mnist"):
        assert pkg in src


def test_text_demo_noise_kinds_live_only_in_the_truth_file(text_files):
    rows = read_jsonl(text_files["dataset"])
    truth = read_jsonl(text_files["truth"])
    assert [r["id"] for r in rows] == [t["id"] for t in truth]
    assert all(set(r) == {"id", "text"} for r in rows)
    kinds = Counter(t["kind"] for t in truth)
    for k in ("clean", "html", "email_link", "boilerplate", "repeated_chars", "gibberish", "near_duplicate",
              "too_short", "too_long", "other_language_zh"):
        assert kinds[k] > 0, k
    by_id = {t["id"]: t["kind"] for t in truth}
    html = [r["text"] for r in rows if by_id[r["id"]] == "html"]
    assert all(t.startswith("<!DOCTYPE html>") for t in html)
    ref = {r["text"] for r in read_jsonl(text_files["reference"])}
    assert not ref & {r["text"] for r in rows}


def test_image_demo_materialises_png_files(small_images):
    row = small_images["rows"][0]
    path = row["images"][0]
    assert os.path.isabs(path) and os.path.exists(path)
    with Image.open(path) as im:
        assert im.size[0] > 0
    truth = {t["id"]: t for t in read_jsonl(small_images["truth"])}
    kinds = Counter(t["kind"] for t in truth.values())
    assert {"clean", "swapped_caption", "blank_image", "noise_image", "odd_aspect_ratio", "duplicate"} <= set(kinds)
    odd = next(i for i, t in truth.items() if t["kind"] == "odd_aspect_ratio")
    img_dir = os.path.dirname(path)
    with Image.open(os.path.join(img_dir, f"{odd}.png")) as im:
        assert max(im.size) / min(im.size) >= 3


def test_demo_paths_resolve(small_images):
    assert resolve_demo_path("demo:text_reference").endswith("text_reference.jsonl")
    assert resolve_demo_path("plain/path.jsonl") == "plain/path.jsonl"
    import pytest

    from sandbox_engine.errors import JuiceboxError

    with pytest.raises(JuiceboxError, match="demo:text"):
        resolve_demo_path("demo:nope")
