"""Shared small data for the sandbox tests: slices of the shipped demo sets (real text and images)."""
from __future__ import annotations

import os

import pytest

from sandbox_engine.sandbox.demo_data import image_demo, read_jsonl, text_demo, write_jsonl

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    os.environ["JUICEBOX_CACHE"] = str(root)
    return root


@pytest.fixture(scope="session")
def text_files(demo_cache):
    return text_demo()


@pytest.fixture(scope="session")
def small_text(text_files, tmp_path_factory):
    """120 real samples (clean and noisy) and 60 clean reference samples."""
    d = tmp_path_factory.mktemp("small_text")
    rows = read_jsonl(text_files["dataset"])[:120]
    ref = read_jsonl(text_files["reference"])[:60]
    return {"dataset": str(write_jsonl(d / "data.jsonl", rows)), "reference": str(write_jsonl(d / "ref.jsonl", ref)),
            "truth": str(text_files["truth"]), "rows": rows}


@pytest.fixture(scope="session")
def small_images(demo_cache, tmp_path_factory):
    files = image_demo()
    d = tmp_path_factory.mktemp("small_img")
    rows = read_jsonl(files["dataset"])[:80]
    return {"dataset": str(write_jsonl(d / "data.jsonl", rows)), "reference": str(files["reference"]),
            "truth": str(files["truth"]), "rows": rows}
