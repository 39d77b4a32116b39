"""The shipped demo data sets, materialised to plain files in a cache dir on first use.

The package ships packed files (a few MB); experiments and ops need jsonl files and image files on disk.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import tarfile
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "demo"


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """Where demo files go: the argument, $JUICEBOX_CACHE/demo, or ~/.cache/juicebox/demo."""
    if cache_dir:
        return Path(cache_dir)
    base = os.environ.get("JUICEBOX_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "juicebox")
    return Path(base) / "demo"


def _version(*names: str) -> str:
    """Short content hash of shipped assets: a rebuilt demo set lands in a fresh cache folder."""
    import hashlib

    h = hashlib.sha1()
    for n in names:
        h.update((ASSETS / n).read_bytes())
    return h.hexdigest()[:10]


def _gunzip(src: Path, dst: Path) -> Path:
    if not dst.exists():
        tmp = dst.with_suffix(dst.suffix + ".part")
        with gzip.open(src, "rb") as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout)
        tmp.replace(dst)
    return dst


def read_jsonl(path: str | os.PathLike) -> list[dict]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path: str | os.PathLike, rows: list[dict]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def text_demo(cache_dir: str | os.PathLike | None = None) -> dict[str, Path]:
    """Materialise the text demo: `dataset` (jsonl), `reference` (clean held-out jsonl), `truth`."""
    root = cache_root(cache_dir) / "text" / _version("text_demo.jsonl.gz", "text_reference.jsonl.gz",
                                                    "text_demo_truth.jsonl.gz")
    root.mkdir(parents=True, exist_ok=True)
    return {"dataset": _gunzip(ASSETS / "text_demo.jsonl.gz", root / "text_demo.jsonl"),
            "reference": _gunzip(ASSETS / "text_reference.jsonl.gz", root / "text_reference.jsonl"),
            "truth": _gunzip(ASSETS / "text_demo_truth.jsonl.gz", root / "text_demo_truth.jsonl")}


def image_demo(cache_dir: str | os.PathLike | None = None) -> dict[str, Path]:
    """Materialise the image-text demo: PNG files under `images/`, `dataset` jsonl with absolute image
    paths, `reference` (npz of clean held-out images + labels), `truth`."""
    root = cache_root(cache_dir) / "image" / _version("image_demo.jsonl.gz", "image_demo_images.tar.gz",
                                                      "image_reference.npz", "image_demo_truth.jsonl.gz")
    img_dir = root / "images"
    dataset = root / "image_demo.jsonl"
    if not dataset.exists():
        img_dir.mkdir(parents=True, exist_ok=True)
        with tarfile.open(ASSETS / "image_demo_images.tar.gz") as tar:
            tar.extractall(img_dir, filter="data")
        rows = read_jsonl(ASSETS / "image_demo.jsonl.gz")
        for r in rows:
            r["images"] = [str(img_dir / p) for p in r["images"]]
        write_jsonl(dataset, rows)
    ref = root / "image_reference.npz"
    if not ref.exists():
        shutil.copyfile(ASSETS / "image_reference.npz", ref)
    return {"dataset": dataset, "reference": ref,
            "truth": _gunzip(ASSETS / "image_demo_truth.jsonl.gz", root / "image_demo_truth.jsonl")}


def resolve_demo_path(value: str, cache_dir: str | os.PathLike | None = None) -> str:
    """Configs may name demo files as `demo:text`, `demo:text_reference`, `demo:image`,
    `demo:image_reference`, `demo:video`, `demo:video_reference` (and `_truth`); anything else is returned
    unchanged."""
    if not isinstance(value, str) or not value.startswith("demo:"):
        return value
    name = value[5:]
    kind, _, part = name.partition("_")
    from sandbox_engine.sandbox.video_demo import video_demo

    files = {"text": text_demo, "image": image_demo, "video": video_demo}
    if kind not in files or part not in ("", "reference", "truth"):
        from sandbox_engine.errors import RecipeError

        raise RecipeError(f"unknown demo data {value!r}; use one of demo:text, demo:text_reference, "
                          f"demo:text_truth, demo:image, demo:image_reference, demo:image_truth, demo:video, "
                          f"demo:video_reference, demo:video_truth")
    return str(files[kind](cache_dir)[part or "dataset"])
