"""executor_type: ray gives the same output as the default executor (a real Ray on 2 CPUs)."""
import json
import random

import pytest

from sandbox_engine.executor import run_recipe
from sandbox_engine.recipe import load_recipe

PROCESS = """process:
  - whitespace_normalization_mapper:
  - words_num_filter: {min_num: 3}
  - document_deduplicator:
  - text_length_filter: {min_len: 20}
  - document_minhash_deduplicator: {jaccard_threshold: 0.5}
  - document_simhash_deduplicator:
  - topk_specified_field_selector: {field_key: meta.k, topk: 300}
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("raydata")
    rng = random.Random(0)
    words = "the a of and to data model train clean text is in for with on quality".split()
    rows = []
    for i in range(1500):
        t = " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        if i % 5 == 0 and rows:
            t = rows[rng.randrange(len(rows))]["text"]  # exact duplicates
        if i % 7 == 0 and rows:
            t = rows[rng.randrange(len(rows))]["text"] + " extra"  # near duplicates
        rows.append({"text": t, "id": i, "meta": {"k": i % 3}})
    # two files, so Ray reads in parallel tasks and ids must still order globally
    (d / "in").mkdir()
    (d / "in" / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:700]))
    (d / "in" / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[700:]))
    return d


def _run(d, kind):
    path = d / f"{kind}.yaml"
    path.write_text(f"dataset_path: {d / 'in'}\nexport_path: {d / kind / 'out.jsonl'}\nnp: 2\n"
                    f"executor_type: {kind}\n" + PROCESS)
    summary = run_recipe(load_recipe(path))
    return (d / kind / "out.jsonl").read_text().splitlines(), summary


def test_ray_equals_default_executor(data_dir):
    local, s_local = _run(data_dir, "default")
    ray_out, s_ray = _run(data_dir, "ray")
    assert 0 < len(local) < 1500
    assert ray_out == local  # same samples, and here even the same order
    assert [(o.name, o.rows_in, o.rows_out) for o in s_ray.ops] == \
        [(o.name, o.rows_in, o.rows_out) for o in s_local.ops]
    dedup = {o.name: o.removed for o in s_ray.ops}
    assert dedup["document_deduplicator"] > 0 and dedup["document_minhash_deduplicator"] > 0
