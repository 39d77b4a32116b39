"""A small chat data set: 30 distinct long texts, 6 short ones, a Chinese and a French text, 2 exact
duplicates (40 samples)."""
from __future__ import annotations

import json
from pathlib import Path

SHORT = ["ok", "hi there", "tiny text", "no", "short one!", "yes yes"]


def mini_rows() -> list[dict]:
    rows = [{"text": f"Sample number {i} talks about cleaning web text for small language models, carefully."}
            for i in range(30)]
    rows += [{"text": s} for s in SHORT]
    rows.append({"text": "这是一段关于数据清洗的中文文本，用来测试语言识别。"})
    rows.append({"text": "Ceci est un texte en français sur le nettoyage des données web."})
    rows += [dict(rows[3]), dict(rows[5])]  # samples 39 and 40 repeat samples 4 and 6
    return rows


def write_mini(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in mini_rows()) + "\n", encoding="utf-8")
    return path
