"""`juicebox analyze` on a Data-Juicer recipe file."""
import json

import pandas as pd
from typer.testing import CliRunner

from agent.cli import app


def test_analyze_writes_tables_plots_and_samples_with_stats(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative paths resolve against the CWD, as in Data-Juicer
    rows = [{"text": "hello world this is fine"}, {"text": "short"},
            {"text": "another sample of text, a long one indeed"}]
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "r.yaml").write_text(
        "dataset_path: d.jsonl\nexport_path: out/an.jsonl\npercentiles: [0.1]\nprocess:\n"
        "  - text_length_filter: {min_len: 10}\n  - alphanumeric_filter:\n"
        "  - words_num_filter: {min_num: 2}\n")
    res = CliRunner().invoke(app, ["analyze", str(tmp_path / "r.yaml")])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    overall = pd.read_csv(out / "analysis" / "overall.csv", index_col=0)
    assert set(overall.columns) == {"text_len", "alnum_ratio", "num_words"}
    assert overall.at["max", "text_len"] == 41 and overall.at["count", "num_words"] == 3
    for m in ("pearson", "spearman", "kendall"):
        assert (out / "analysis" / f"{m}-corr.png").exists()
    exported = [json.loads(line) for line in (out / "an.jsonl").read_text().splitlines()]
    assert len(exported) == 3  # nothing filtered
    assert exported[1]["__dj__stats__"] == {"text_len": 5, "alnum_ratio": 1.0, "num_words": 1}


def test_analyze_bad_recipe_exits_2_without_traceback(tmp_path):
    (tmp_path / "r.yaml").write_text("dataset_path: d.jsonl\nprocess:\n  - text_lenght_filter:\n")
    res = CliRunner().invoke(app, ["analyze", str(tmp_path / "r.yaml")])
    assert res.exit_code == 2
    assert "text_length_filter" in res.output and "Traceback" not in res.output
