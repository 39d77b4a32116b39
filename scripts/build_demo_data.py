"""Build the sandbox lab's shipped demo data from Debian packages (run once by a maintainer).

    apt-get install -y fortunes fortunes-de fortunes-es fortunes-it fortunes-ru fortunes-zh \
        jargon-text dataset-fashion-mnist
    python scripts/build_demo_data.py [--out sandbox_engine/assets/demo]

Text: real English quotes (fortunes) and Jargon File glosses, mixed with German/Spanish/Italian/Russian/
Chinese fortunes, plus seeded injected noise of known kinds. Image-text: a Fashion-MNIST subset with
captions from varied templates, plus injected noise. The kind of each noisy sample is written to a
separate ground-truth file; the samples themselves carry only an `id`.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import re
import tarfile
from pathlib import Path

import numpy as np

FORTUNES = Path("/usr/share/games/fortunes")
JARGON = Path("/usr/share/doc/jargon-text/jargon.txt.gz")
FMNIST = Path("/usr/share/datasets/fashion-mnist")
EN_DIRS_SKIP = {"off", "de", "es", "it", "ru", "ascii-art", "art", "chinese", "tang300", "song100"}
LANG_DIRS = {"de": "de", "es": "es", "it": "it", "ru": "ru"}
LABELS = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
          "ankle boot"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _clean(text: str) -> str:
    text = ANSI.sub("", text).replace("\r", "")
    lines = [ln.rstrip() for ln in text.split("\n")]
    return re.sub(r"[ \t]+", " ", "\n".join(lines)).strip()


def read_fortune_file(path: Path) -> list[str]:
    raw = path.read_bytes().decode("utf-8", errors="replace")
    return [t for t in (_clean(p) for p in re.split(r"\n%\n", raw)) if t and "\ufffd" not in t]


def package_files(pkg: str) -> list[Path]:
    """The fortune files a Debian package installed (from dpkg's file list)."""
    listing = Path(f"/var/lib/dpkg/info/{pkg}.list")
    paths = [Path(p) for p in listing.read_text().split("\n") if p.startswith(str(FORTUNES) + "/")]
    return sorted(p for p in paths if p.is_file() and p.suffix not in (".dat", ".u8"))


def english_fortunes() -> list[str]:
    out = []
    for f in package_files("fortunes") + package_files("fortunes-min"):
        if f.name not in EN_DIRS_SKIP:
            out += read_fortune_file(f)
    return [t for t in out if 40 <= len(t) <= 600]


def jargon_glosses() -> list[str]:
    lines = gzip.open(JARGON, "rt", encoding="utf-8", errors="replace").read().split("\n")
    out, cur = [], None
    for ln in lines:
        m = re.match(r"^   :([^:]+):\s*(.*)$", ln)
        if m:
            if cur:
                out.append(cur)
            cur = [f"{m.group(1)}: {m.group(2)}"]
        elif cur is not None:
            if ln.strip() == "" and len(cur) > 1 and sum(len(c) for c in cur) > 80:
                out.append(cur)
                cur = None
            elif ln.strip():
                cur.append(ln.strip())
    glosses = [" ".join(c) for c in out]
    return [re.sub(r"[{}]", "", g) for g in glosses if 60 <= len(g) <= 600 and "\ufffd" not in g]


def other_languages() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lang, d in LANG_DIRS.items():
        texts = []
        for f in package_files(f"fortunes-{d}"):
            if "/off/" not in str(f):
                texts += read_fortune_file(f)
        out[lang] = [t for t in texts if 30 <= len(t) <= 600]
    zh = []
    for name in ("chinese", "tang300", "song100"):
        if (FORTUNES / name).exists():
            zh += read_fortune_file(FORTUNES / name)
    out["zh"] = [t for t in zh if 15 <= len(t) <= 400]
    return out


# ---- injected text noise (each returns a new text; the kind goes to the ground-truth file) ----
BOILER = ["Click here to subscribe to our newsletter! All rights reserved. Terms of use | Privacy policy "
          "| Cookie settings. Copyright 2024. Share on Facebook Share on Twitter.",
          "Accept all cookies. We use cookies to improve your experience. Sign in | Register | "
          "Forgot password? Home > Category > Page. Back to top.",
          "Advertisement. Buy now! Limited offer! Free shipping on orders over $50. Subscribe. "
          "Unsubscribe. Contact us. About us. Sitemap."]


def noise_html(t: str, rng: random.Random) -> str:
    css = "".join(f".c{rng.randint(0, 99)}{{margin:{rng.randint(0, 9)}px;color:#{rng.randint(0, 0xffffff):06x}}}"
                  for _ in range(4))
    js = f"var _q=window._q||[];_q.push(['_id','UA-{rng.randint(10000, 99999)}-1']);function f(){{return {rng.randint(0, 9)};}}"
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Page {rng.randint(1, 999)}</title>"
            f"<style>{css}</style><script type=\"text/javascript\">{js}</script></head><body>"
            f"<div class=\"content\"><p>{t}</p></div><footer><a href=\"/home\">Home</a></footer></body></html>")


def noise_email_link(t: str, rng: random.Random) -> str:
    user = "".join(rng.choice("abcdefghijklmnop") for _ in range(7))
    extras = [f"contact {user}@example{rng.randint(1, 99)}.com", f"https://www.{user}.com/p?id={rng.randint(1, 9999)}",
              f"mailto:{user}@mail.org", f"http://{user}.net/{rng.randint(100, 999)}/index.html"]
    return f"{' | '.join(rng.sample(extras, 4))} {t}"


def noise_boilerplate(t: str, rng: random.Random) -> str:
    return " ".join(rng.choice(BOILER) for _ in range(rng.randint(2, 4)))


def noise_repeated_chars(t: str, rng: random.Random) -> str:
    parts = [rng.choice("!?.-=*~ahxz") * rng.randint(15, 60) for _ in range(rng.randint(4, 8))]
    return " ".join(parts + t.split()[:4])


def noise_gibberish(t: str, rng: random.Random, vocab: list[str]) -> str:
    n = rng.randint(20, 80)
    if rng.random() < 0.25:
        return " ".join(rng.choice(vocab) for _ in range(n))
    return " ".join("".join(rng.choice("bcdfghjklmnpqrstvwxz0123456789") for _ in range(rng.randint(3, 12)))
                    for _ in range(n))


def noise_near_duplicate(t: str, rng: random.Random) -> str:
    return t + rng.choice(["", " ", "!", ".", " (repost)"])


def noise_too_short(t: str, rng: random.Random) -> str:
    return " ".join(t.split()[: rng.randint(1, 2)])


def noise_too_long(t: str, rng: random.Random, pool: list[str]) -> str:
    chunk = " ".join(rng.sample(pool, 8))
    return (chunk + " ") * rng.randint(6, 10)


def build_text(out: Path, rng: random.Random) -> dict:
    en = english_fortunes() + jargon_glosses()
    en = sorted(set(en))
    rng.shuffle(en)
    ref, en = en[:800], en[800:]
    langs = other_languages()
    n_clean = 3200
    clean = en[:n_clean]
    vocab = sorted({w for t in clean for w in t.split()})
    samples: list[tuple[str, str]] = [(t, "clean") for t in clean]
    for lang, texts in langs.items():
        samples += [(t, f"other_language_{lang}") for t in rng.sample(texts, min(100, len(texts)))]
    kinds = {"html": 300, "email_link": 250, "boilerplate": 200, "repeated_chars": 250, "gibberish": 300,
             "near_duplicate": 160, "too_short": 160, "too_long": 80}
    for kind, n in kinds.items():
        for _ in range(n):
            base = rng.choice(clean)
            if kind == "gibberish":
                t = noise_gibberish(base, rng, vocab)
            elif kind == "too_long":
                t = noise_too_long(base, rng, clean)
            else:
                t = globals()[f"noise_{kind}"](base, rng)
            samples.append((t, kind))
    rng.shuffle(samples)
    rows, truth = [], []
    for i, (t, kind) in enumerate(samples):
        sid = f"t{i:05d}"
        rows.append({"id": sid, "text": t})
        truth.append({"id": sid, "kind": kind})
    _write_gz(out / "text_demo.jsonl.gz", rows)
    _write_gz(out / "text_demo_truth.jsonl.gz", truth)
    _write_gz(out / "text_reference.jsonl.gz", [{"id": f"r{i:04d}", "text": t} for i, t in enumerate(ref)])
    return {"samples": len(rows), "reference": len(ref)}


def _write_gz(path: Path, rows: list[dict]) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))


# ---- image-text ----
TEMPLATES = ["a photo of a {}", "a {} on a plain background", "grayscale picture of a {}",
             "product shot: {}", "a small image of a {}", "this is a {}", "an item of clothing: a {}",
             "{} in black and white", "a catalogue photo showing a {}", "a low resolution {}"]


def _idx(path: Path) -> np.ndarray:
    data = gzip.open(path).read()
    if data[2] == 8 and data[3] == 3:
        n, h, w = (int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(3))
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, h, w)
    n = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, np.uint8, offset=8)[:n]


def _png(arr: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def build_images(out: Path, rng: random.Random, n_clean: int = 2400) -> dict:
    from PIL import Image

    imgs, labels = _idx(FMNIST / "train-images-idx3-ubyte.gz"), _idx(FMNIST / "train-labels-idx1-ubyte.gz")
    timgs, tlabels = _idx(FMNIST / "t10k-images-idx3-ubyte.gz"), _idx(FMNIST / "t10k-labels-idx1-ubyte.gz")
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    pick = nrng.choice(len(imgs), n_clean + 300, replace=False)
    entries: list[tuple[np.ndarray, str, str, int]] = []
    for j in pick[:n_clean]:
        entries.append((imgs[j], rng.choice(TEMPLATES).format(LABELS[labels[j]]), "clean", int(labels[j])))
    extra = pick[n_clean:]
    for j in extra[:150]:  # swapped captions: caption of another class
        wrong = rng.choice([k for k in range(10) if k != labels[j]])
        entries.append((imgs[j], rng.choice(TEMPLATES).format(LABELS[wrong]), "swapped_caption", int(labels[j])))
    for _ in range(90):
        lab = rng.randrange(10)
        entries.append((np.full((28, 28), rng.choice([0, 255, 128]), np.uint8),
                        rng.choice(TEMPLATES).format(LABELS[lab]), "blank_image", lab))
    for _ in range(90):
        lab = rng.randrange(10)
        entries.append((nrng.integers(0, 256, (28, 28), dtype=np.uint8), rng.choice(TEMPLATES).format(LABELS[lab]),
                        "noise_image", lab))
    for j in extra[150:300]:  # odd aspect ratios: stretched
        w, h = rng.choice([(112, 20), (20, 112), (140, 28), (28, 140)])
        arr = np.asarray(Image.fromarray(imgs[j]).resize((w, h)))
        entries.append((arr, rng.choice(TEMPLATES).format(LABELS[labels[j]]), "odd_aspect_ratio", int(labels[j])))
    clean_idx = [i for i, e in enumerate(entries) if e[2] == "clean"]
    dups = [(entries[i][0], entries[i][1], "duplicate", entries[i][3]) for i in rng.sample(clean_idx, 150)]
    entries += dups
    order = list(range(len(entries)))
    rng.shuffle(order)
    rows, truth = [], []
    tar_path = out / "image_demo_images.tar.gz"
    with tarfile.open(tar_path, "w:gz") as tar:
        for k, i in enumerate(order):
            arr, cap, kind, lab = entries[i]
            sid = f"i{k:05d}"
            data = _png(arr)
            info = tarfile.TarInfo(f"{sid}.png")
            info.size, info.mtime = len(data), 0
            tar.addfile(info, io.BytesIO(data))
            rows.append({"id": sid, "text": f"<__dj__image> {cap}", "images": [f"{sid}.png"]})
            truth.append({"id": sid, "kind": kind, "label": LABELS[lab]})
    _write_gz(out / "image_demo.jsonl.gz", rows)
    _write_gz(out / "image_demo_truth.jsonl.gz", truth)
    tpick = nrng.choice(len(timgs), 600, replace=False)
    buf = io.BytesIO()
    np.savez_compressed(buf, images=timgs[tpick], labels=tlabels[tpick].astype(np.int64),
                        label_names=np.array(LABELS))
    (out / "image_reference.npz").write_bytes(buf.getvalue())
    return {"samples": len(rows), "reference": len(tpick)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "sandbox_engine/assets/demo"))
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print("text:", build_text(out, random.Random(args.seed)))
    print("image:", build_images(out, random.Random(args.seed + 1)))


if __name__ == "__main__":
    main()
