"""Build the English reference corpus that perplexity_filter's language model is trained on.

Sources (Debian packages, install with `apt-get install -y fortunes debian-handbook`):
  * fortunes (fortune-mod data, BSD licence; the English files listed in FORTUNE_FILES)
  * debian-handbook, en-US HTML (Raphaël Hertzog & Roland Mas, CC-BY-SA-3.0 or GPL-2+)
Writes sandbox_engine/assets/lm/reference_en.txt.xz: one sentence per line, deduplicated.

    python scripts/build_lm_reference.py [--out PATH]
"""
from __future__ import annotations

import argparse
import lzma
import re
import unicodedata
from pathlib import Path

FORTUNE_DIR = Path("/usr/share/games/fortunes")
FORTUNE_FILES = ["art", "computers", "cookie", "definitions", "education", "food", "fortunes",
                 "goedel", "humorists", "kids", "law", "linux", "linuxcookie", "literature", "love",
                 "magic", "medicine", "miscellaneous", "news", "people", "pets", "platitudes",
                 "politics", "riddles", "science", "songs-poems", "sports", "startrek", "wisdom",
                 "work", "debian"]
HANDBOOK_DIR = Path("/usr/share/doc/debian-handbook/html/en-US")
OUT = Path(__file__).resolve().parents[1] / "sandbox_engine/assets/lm/reference_en.txt.xz"

_SENT = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z])")
_OVERSTRIKE = re.compile(r".\x08")


def clean(par: str) -> list[str]:
    """Sentences of a paragraph that look like prose (mostly letters, a few words)."""
    par = unicodedata.normalize("NFKC", _OVERSTRIKE.sub("", par))
    par = re.sub(r"\s+", " ", par).strip()
    out = []
    for s in _SENT.split(par):
        s = s.strip(" -")
        letters = sum(c.isalpha() or c == " " for c in s)
        if len(s.split()) >= 3 and letters >= 0.8 * len(s):
            out.append(s)
    return out


def fortunes() -> list[str]:
    sents = []
    for name in FORTUNE_FILES:
        raw = (FORTUNE_DIR / name).read_text(encoding="utf-8", errors="replace")
        for cookie in raw.split("\n%\n"):
            for par in re.split(r"\n\s*\n", cookie):
                lines = [ln for ln in par.splitlines() if not ln.strip().startswith("--")]
                sents.extend(clean(" ".join(lines)))
    return sents


def handbook() -> list[str]:
    from lxml import html

    sents = []
    for page in sorted(HANDBOOK_DIR.glob("*.html")):
        tree = html.parse(str(page))
        for p in tree.iter("p"):
            sents.extend(clean(p.text_content()))
    return sents


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    seen, lines = set(), []
    for s in fortunes() + handbook():
        if s not in seen:
            seen.add(s)
            lines.append(s)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(lzma.compress(data, preset=9 | lzma.PRESET_EXTREME))
    print(f"{len(lines)} sentences, {len(data.split())} words, {len(data)} bytes -> "
          f"{args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
