"""Engine benchmark: samples/second and peak RSS of the default executor, MinHash dedup and the Ray
executor, each beside a raw JSONL read+write baseline measured in the same run.

    .venv/bin/python evals/bench_engine.py                 # 200k rows (a few minutes on 2 cores)
    .venv/bin/python evals/bench_engine.py --quick         # 20k rows
    .venv/bin/python evals/bench_engine.py --rows 100000 --skip-ray --dj-venv /tmp/djvenv

The data is a deterministic synthetic English-like corpus (Zipf-distributed words with stopwords,
emails, links, character and word repetition junk, symbol soup, odd whitespace, exact and near
duplicates) written to a temporary folder. Every measurement runs in its own child process; its
peak RSS is the peak of the summed RSS of that process tree (workers included), polled from /proc.

Printed: rows/s and peak RSS per case, the ratio of rows/s to the baseline, fused vs unfused, the
memory-flatness check (recipe (a) at N/10 and N rows), and, given `--dj-venv` (a separate venv with
py-data-juicer; never a project dependency), Data-Juicer's `dj-process` on the same recipe and data:
its throughput and whether the outputs are identical.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# (a) the text recipe: 3 mappers, 7 filters and an exact dedup (11 ops; issue 2 calls it "10-op")
TEXT_RECIPE: list[dict] = [
    {"whitespace_normalization_mapper": {}},
    {"clean_email_mapper": {}},
    {"clean_links_mapper": {}},
    {"text_length_filter": {"min_len": 50, "max_len": 20000}},
    {"words_num_filter": {"min_num": 10, "max_num": 5000}},
    {"alphanumeric_filter": {"min_ratio": 0.6}},
    {"special_characters_filter": {"max_ratio": 0.3}},
    {"character_repetition_filter": {"rep_len": 10, "max_ratio": 0.4}},
    {"word_repetition_filter": {"rep_len": 5, "max_ratio": 0.3}},
    {"stopwords_filter": {"min_ratio": 0.2}},
    {"document_deduplicator": {"lowercase": False}},
]
MINHASH_RECIPE: list[dict] = [{"document_minhash_deduplicator": {"jaccard_threshold": 0.7}}]

# -- data ---------------------------------------------------------------------------------------

_STOP = ("the of and to a in is that for it as was with be by on not he i this are or his from at "
         "which but have an they you were her she there been one all we their has would when if so "
         "no will more can its who what some into them these also than other then only about").split()
_SYL = ("ka ro mi te sa lu ne po da ri fo ve ta shi mo na ge la pe ru bo di ke an en in on ar er or "
        "st th ch tr pl gr br cl").split()


def _vocab(rng: random.Random, n: int = 6000) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < n:
        words["".join(rng.choice(_SYL) for _ in range(rng.randint(1, 4)))] = None
    return list(words)


def generate(path: Path, rows: int, seed: int = 7) -> dict[str, int]:
    """Write `rows` JSONL samples to `path`; returns counts of the injected kinds of noise."""
    rng = random.Random(seed)
    content = _vocab(rng)
    vocab = _STOP + content
    # Zipf-ish: stopwords frequent, content words by rank
    weights = [30.0 / (1 + i * 0.3) for i in range(len(_STOP))] + [1.0 / (1 + i) ** 0.9
                                                                    for i in range(len(content))]
    cum, acc = [], 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    kinds = dict.fromkeys(("exact_dup", "near_dup", "email", "link", "char_rep", "word_rep",
                           "symbols", "short", "whitespace"), 0)
    recent: list[str] = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(rows):
            r = rng.random()
            if recent and r < 0.08:
                text = rng.choice(recent)
                kinds["exact_dup"] += 1
            elif recent and r < 0.11:
                ws = rng.choice(recent).split(" ")
                for _ in range(max(1, len(ws) // 25)):
                    ws[rng.randrange(len(ws))] = rng.choice(content)
                text = " ".join(ws)
                kinds["near_dup"] += 1
            else:
                parts = []
                for _ in range(rng.randint(1, 4)):
                    words = rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 60))
                    words[0] = words[0].capitalize()
                    parts.append(" ".join(words) + rng.choice(".!?."))
                text = " ".join(parts)
                x = rng.random()
                if x < 0.03:
                    text += f" Contact {rng.choice(content)}.{rng.choice(content)}@example.com today."
                    kinds["email"] += 1
                elif x < 0.08:
                    text += f" See https://www.{rng.choice(content)}.org/{rng.choice(content)}?id={i} now"
                    kinds["link"] += 1
                elif x < 0.10:
                    text += " " + rng.choice("ab!x=") * rng.randint(50, 400)
                    kinds["char_rep"] += 1
                elif x < 0.12:
                    text = " ".join([" ".join(rng.choices(vocab, cum_weights=cum, k=6))] * rng.randint(5, 30))
                    kinds["word_rep"] += 1
                elif x < 0.14:
                    text = "".join(rng.choice("#$%&*+-/<=>@[]^_{|}~0123456789 ") for _ in range(rng.randint(40, 300)))
                    kinds["symbols"] += 1
                elif x < 0.16:
                    text = " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(1, 6)))
                    kinds["short"] += 1
                elif x < 0.21:
                    text = "  " + text.replace(" ", rng.choice(["\t", "\u00a0", "  ", "\u2009"]), 3) + " \n"
                    kinds["whitespace"] += 1
                if len(recent) < 2000:
                    recent.append(text)
                else:
                    recent[rng.randrange(2000)] = text
            fh.write(json.dumps({"text": text, "meta": {"id": i, "source": "synthetic"}},
                                ensure_ascii=False) + "\n")
    return kinds


# -- child processes ----------------------------------------------------------------------------

def _child_baseline(cfg: dict) -> dict:
    """Plain json.loads / json.dumps over every line: what reading and writing alone costs."""
    n = 0
    with open(cfg["data"], encoding="utf-8") as src, open(cfg["out"], "w", encoding="utf-8") as dst:
        for line in src:
            dst.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")
            n += 1
    return {"rows_in": n, "rows_out": n}


def _child_recipe(cfg: dict) -> dict:
    sys.path.insert(0, str(ROOT))
    from sandbox_engine.executor import run_recipe

    summary = run_recipe(cfg["recipe"])
    return {"rows_in": summary.rows_in, "rows_out": summary.rows_out,
            "ops": [(o.name, o.rows_in, o.rows_out, round(o.seconds, 3)) for o in summary.ops]}


def _child_main(kind: str, cfg_json: str) -> None:
    cfg = json.loads(cfg_json)
    t0 = time.perf_counter()
    out = {"baseline": _child_baseline, "recipe": _child_recipe}[kind](cfg)
    out["seconds"] = time.perf_counter() - t0
    print("@@RESULT@@" + json.dumps(out), flush=True)


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _proc_table() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc)."""
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as fh:
                    stat = fh.read()
                out[int(d)] = int(stat[stat.rindex(b")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    return out


def _tree_rss(pid: int) -> int:
    """Summed resident memory of `pid` and all its descendants (bytes)."""
    parents = _proc_table()
    kids: dict[int, list[int]] = {}
    for p, pp in parents.items():
        kids.setdefault(pp, []).append(p)
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, ()))
        try:
            with open(f"/proc/{p}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            pass
    return total


def run_child(kind: str, cfg: dict, timeout: float = 3600) -> dict:
    """Run one measurement in a child process; adds peak tree RSS (bytes) and wall seconds."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
           "RAY_USAGE_STATS_ENABLED": "0", "PYTHONPATH": str(ROOT)}
    import resource

    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, json.dumps(cfg)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.05)

    th = threading.Thread(target=poll, daemon=True)
    th.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        done.set()
        th.join()
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    line = next((ln for ln in out.splitlines() if ln.startswith("@@RESULT@@")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{kind} failed (rc {proc.returncode}):\n{err[-3000:]}")
    res = json.loads(line[len("@@RESULT@@"):])
    res["peak_rss"] = peak[0]
    res["wall"] = wall
    res["cpu"] = cpu  # CPU seconds of the whole tree (workers it waited for included)
    return res


# -- recipes and comparisons ----------------------------------------------------------------------

def write_recipe(folder: Path, name: str, data: Path, process: list[dict], np_: int,
                 **extra: Any) -> Path:
    import yaml

    export = folder / f"{name}.jsonl"
    recipe = {"project_name": name, "dataset_path": str(data), "export_path": str(export),
              "work_dir": str(folder / f"{name}_work"), "np": np_, "process": process, **extra}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(recipe, sort_keys=False), encoding="utf-8")
    return path


def file_digest(path: Path, sort: bool = False) -> str:
    data = path.read_bytes()
    if sort:
        data = b"\n".join(sorted(data.splitlines()))
    return hashlib.sha256(data).hexdigest()


def same_rows(a: Path, b: Path, ordered: bool = True) -> bool:
    """Same samples (parsed JSON, key order aside); `ordered=False` ignores sample order."""
    def rows(p: Path) -> list[str]:
        with open(p, encoding="utf-8") as fh:
            return [json.dumps(json.loads(ln), sort_keys=True, ensure_ascii=False) for ln in fh if ln.strip()]

    ra, rb = rows(a), rows(b)
    return ra == rb if ordered else sorted(ra) == sorted(rb)


# -- Data-Juicer -------------------------------------------------------------------------------------

def run_dj(venv: Path, folder: Path, data: Path, np_: int) -> dict:
    """`dj-process` from a separate venv on the same recipe (timed by wall clock, RSS of its tree)."""
    import yaml

    export = folder / "dj_out.jsonl"
    # Data-Juicer downloads its word lists on first use; give it ours (the same lists) instead
    assets = folder / "dj_assets"
    assets.mkdir(exist_ok=True)
    shutil.copy(ROOT / "sandbox_engine" / "assets" / "wordlists" / "stopwords.json", assets / "stopwords.json")
    process = [{name: ({**(args or {}), "stopwords_dir": str(assets)} if name == "stopwords_filter" else args)
                for name, args in step.items()} for step in TEXT_RECIPE]
    recipe = {"project_name": "dj_bench", "dataset_path": str(data), "export_path": str(export),
              "np": np_, "work_dir": str(folder / "dj_work"), "open_tracer": False,
              "use_cache": False, "process": process}
    cfg = folder / "dj_recipe.yaml"
    cfg.write_text(yaml.safe_dump(recipe, sort_keys=False), encoding="utf-8")
    exe = venv / "bin" / "dj-process"
    cmd = [str(exe), "--config", str(cfg)] if exe.exists() else \
        [str(venv / "bin" / "python"), "-m", "data_juicer.tools.process_data", "--config", str(cfg)]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    env.pop("PYTHONPATH", None)
    import resource

    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    log_path = folder / "dj_log.txt"
    with open(log_path, "wb") as log_fh:  # a file, not a pipe: its progress bars would fill a pipe
        proc = subprocess.Popen(cmd, stdout=log_fh, stderr=subprocess.STDOUT, env=env, cwd=str(folder))
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.1)
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    log = log_path.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0 or not export.exists():
        return {"error": f"dj-process failed (rc {proc.returncode}): {log[-2000:]}"}
    with open(export, encoding="utf-8") as fh:
        rows_out = sum(1 for ln in fh if ln.strip())
    return {"wall": wall, "cpu": cpu, "peak_rss": peak, "rows_out": rows_out, "export": str(export)}


# -- main ------------------------------------------------------------------------------------------

def _mb(b: int) -> str:
    return f"{b / 2**20:,.0f} MiB"


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def row(self, label: str, rows: int, res: dict, base: dict | None) -> float:
        """One case: wall rows/s, rows per CPU-second, peak RSS and both ratios to the baseline.

        On a shared box wall clock follows the neighbours' load; CPU seconds (of the whole process
        tree) do not, so the CPU ratio is the steadier one."""
        rate = rows / res["wall"] if res["wall"] else 0.0
        cpu_rate = rows / res["cpu"] if res.get("cpu") else 0.0
        res["rate"], res["cpu_rate"] = rate, cpu_rate
        ratio = ""
        if base:
            ratio = f"{rate / base['rate']:5.2f}x baseline (wall)"
            if cpu_rate and base.get("cpu_rate"):
                ratio += f" {cpu_rate / base['cpu_rate']:5.2f}x (cpu)"
        line = (f"{label:<36} {rows:>9,} rows {res['wall']:7.1f} s {rate:>8,.0f}/s  "
                f"{res.get('cpu', 0):7.1f} cpu-s {cpu_rate:>8,.0f}/cpu-s  "
                f"RSS {_mb(res['peak_rss']):>9}  {ratio}")
        print(line, flush=True)
        self.lines.append(line)
        return rate

    def note(self, text: str) -> None:
        print(text, flush=True)
        self.lines.append(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=None, help="rows of the main data set (default 200000, "
                                                           "--quick 20000)")
    ap.add_argument("--quick", action="store_true", help="20k rows, and the Ray case on a tenth of them")
    ap.add_argument("--np", type=int, default=2, help="worker processes (recipe np)")
    ap.add_argument("--minhash-rows", type=int, default=None, help="rows for (b) (default: --rows)")
    ap.add_argument("--skip-ray", action="store_true", help="leave out (c), the Ray executor")
    ap.add_argument("--skip-flat", action="store_true", help="leave out the memory-flatness check")
    ap.add_argument("--dj-venv", type=Path, default=None,
                    help="a venv with py-data-juicer: also run dj-process on recipe (a)")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    ap.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        _child_main(*a.child)
        return 0
    rows = a.rows or (20_000 if a.quick else 200_000)
    folder = a.keep or Path(tempfile.mkdtemp(prefix="jb_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    rep = Report()
    results: dict[str, Any] = {"rows": rows, "np": a.np, "cpus": os.cpu_count()}
    try:
        t0 = time.perf_counter()
        data = folder / "data.jsonl"
        kinds = generate(data, rows)
        rep.note(f"data: {rows:,} rows, {data.stat().st_size / 2**20:,.1f} MiB in {folder} "
                 f"(generated in {time.perf_counter() - t0:.1f} s; noise: {kinds})")
        rep.note(f"np={a.np}, {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
        base = run_child("baseline", {"data": str(data), "out": str(folder / "baseline_out.jsonl")})
        rep.row("baseline: raw JSONL read+write", rows, base, None)
        results["baseline"] = base

        # (a) unfused and fused
        ra = run_child("recipe", {"recipe": str(write_recipe(folder, "text", data, TEXT_RECIPE, a.np))})
        rate_a = rep.row(f"(a) text recipe ({len(TEXT_RECIPE)} ops)", rows, ra, base)
        rep.note(f"    kept {ra['rows_out']:,} of {ra['rows_in']:,}; per op: "
                 + ", ".join(f"{n}:{o}" for n, _, o, _ in ra["ops"]))
        results["text"] = ra
        rf = run_child("recipe", {"recipe": str(write_recipe(folder, "text_fused", data, TEXT_RECIPE,
                                                             a.np, op_fusion=True))})
        rate_f = rep.row("(a) text recipe, op_fusion: true", rows, rf, base)
        same = file_digest(folder / "text.jsonl") == file_digest(folder / "text_fused.jsonl")
        rep.note(f"    fused/unfused throughput {rate_f / rate_a:.2f}x (wall), "
                 f"{rf['cpu_rate'] / ra['cpu_rate']:.2f}x (cpu); outputs byte-identical: {same}")
        results["text_fused"] = {**rf, "identical": same}

        # memory flatness: (a) at N/10 and N rows
        if not a.skip_flat:
            small = folder / "data_small.jsonl"
            generate(small, max(rows // 10, 1))
            rs = run_child("recipe", {"recipe": str(write_recipe(folder, "text_small", small,
                                                                 TEXT_RECIPE, a.np))})
            rep.row("(a) at N/10 rows", max(rows // 10, 1), rs, base)
            ratio = ra["peak_rss"] / rs["peak_rss"] if rs["peak_rss"] else 0.0
            rep.note(f"    memory flatness: peak RSS {_mb(rs['peak_rss'])} at {rows // 10:,} rows, "
                     f"{_mb(ra['peak_rss'])} at {rows:,} rows: ratio {ratio:.2f} for 10x the rows")
            results["flat"] = {"small": rs, "ratio": ratio}

        # (b) MinHash
        mrows = a.minhash_rows or rows
        mdata = data
        if mrows != rows:
            mdata = folder / "data_minhash.jsonl"
            generate(mdata, mrows)
        rm = run_child("recipe", {"recipe": str(write_recipe(folder, "minhash", mdata, MINHASH_RECIPE,
                                                             a.np))})
        rate_m = rep.row("(b) document_minhash_deduplicator", mrows, rm, base)
        rep.note(f"    removed {rm['rows_in'] - rm['rows_out']:,} near-duplicates; 1M documents at this "
                 f"rate: {1_000_000 / rate_m / 60:.1f} min wall here, {1_000_000 / rm['cpu_rate'] / 60:.1f} "
                 f"CPU-min ({1_000_000 / rm['cpu_rate'] / 60 / a.np:.1f} min on {a.np} idle cores)")
        results["minhash"] = rm

        # (c) Ray
        if not a.skip_ray:
            rr = run_child("recipe", {"recipe": str(write_recipe(folder, "text_ray", data, TEXT_RECIPE,
                                                                 a.np, executor_type="ray",
                                                                 ray_address="local"))})
            rate_r = rep.row("(c) text recipe on Ray", rows, rr, base)
            same_r = same_rows(folder / "text.jsonl", folder / "text_ray.jsonl", ordered=False)
            rep.note(f"    Ray/default throughput {rate_r / rate_a:.2f}x (wall; Ray's daemons' CPU is not "
                     f"counted); same samples as the default executor (order aside): {same_r}")
            results["ray"] = {**rr, "identical": same_r}

        if a.dj_venv:
            dj = run_dj(a.dj_venv, folder, data, a.np)
            if "error" in dj:
                rep.note(f"Data-Juicer: {dj['error']}")
            else:
                rep.row("Data-Juicer dj-process, recipe (a)", rows, dj, base)
                same_dj = same_rows(folder / "text.jsonl", Path(dj["export"]))
                rep.note(f"    Juicebox/Data-Juicer throughput {dj['wall'] / ra['wall']:.2f}x (wall), "
                         f"{dj['cpu'] / ra['cpu']:.2f}x (cpu); kept {ra['rows_out']:,} vs Data-Juicer's "
                         f"{dj['rows_out']:,}; outputs identical: {same_dj}")
                dj["identical"] = same_dj
            results["dj"] = dj
        if a.json:
            a.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    finally:
        if a.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
