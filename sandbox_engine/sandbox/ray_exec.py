"""Proxy experiments (train + evaluate one pool with one seed) as Ray tasks, or in process.

A local Ray starts with usage stats off, its temp dir under the work dir (or a short /tmp path when the
work dir is too deep for unix sockets), an object store sized for the box and one torch thread per task.
On a machine with CUDA each task asks for a share of a GPU. A failed trial comes back as {'error': ...}.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import traceback
from pathlib import Path
from typing import Any

Trial = dict[str, Any]  # {trainer: {type,...}, evaluator: {type,...} | None, dataset_path, seed, out_dir, tag}


def run_trial(trial: Trial) -> dict:
    """Train on one pool with one seed, then evaluate; never raises."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    out = {"tag": trial.get("tag"), "dataset_path": trial["dataset_path"], "seed": trial["seed"]}
    try:
        import torch

        torch.set_num_threads(1)
        from sandbox_engine.sandbox.trainers import get_component

        tr_cfg = dict(trial["trainer"])
        trainer = get_component(tr_cfg.pop("type"), "trainer")(**tr_cfg)
        res = trainer.train(trial["dataset_path"], Path(trial["out_dir"]), int(trial["seed"]))
        out.update(res)
        if trial.get("evaluator"):
            ev_cfg = dict(trial["evaluator"])
            evaluator = get_component(ev_cfg.pop("type"), "evaluator")(**ev_cfg)
            out["metrics"] = evaluator.evaluate(res["model_path"], Path(trial["out_dir"]))
    except Exception as err:  # a failed experiment is reported, not fatal
        out["error"] = f"{type(err).__name__}: {err}"
        out["traceback"] = traceback.format_exc(limit=5)
    return out


def _ray_temp_dir(work_dir: str) -> str:
    cand = os.path.join(os.path.abspath(work_dir), ".ray")
    # Ray puts sockets at <tmp>/session_<date>_<pid>/sockets/plasma_store: keep the whole path < 108 chars
    if len(cand) + 60 < 108:
        return cand
    h = hashlib.sha1(cand.encode()).hexdigest()[:8]
    return os.path.join(tempfile.gettempdir(), f"jbray_{h}")


def init_ray(work_dir: str, address: str | None = None, num_cpus: int | None = None) -> None:
    import ray

    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    # Ray renices workers to 15 by default: on a shared box the experiments would then starve
    os.environ.setdefault("RAY_worker_niceness", "0")
    if ray.is_initialized():
        return
    env = {"env_vars": {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
                        "RAY_USAGE_STATS_ENABLED": "0", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}}
    if address:
        ray.init(address=address, runtime_env=env, log_to_driver=False)
        return
    tmp = _ray_temp_dir(work_dir)
    os.makedirs(tmp, exist_ok=True)
    try:
        import psutil

        avail = psutil.virtual_memory().available
    except ImportError:
        avail = 8 << 30
    store = int(max(80 << 20, min(2 << 30, avail * 0.1)))
    ray.init(num_cpus=num_cpus or os.cpu_count() or 1, include_dashboard=False, _temp_dir=tmp,
             object_store_memory=store, log_to_driver=False, runtime_env=env, configure_logging=False)


def run_trials(trials: list[Trial], *, parallel: bool = True, work_dir: str = ".",
               address: str | None = None, num_cpus: int | None = None) -> list[dict]:
    """Run trials; results in the same order as `trials`."""
    if not trials:
        return []
    if not parallel:
        return [run_trial(t) for t in trials]
    import ray

    init_ray(work_dir, address, num_cpus)
    gpus = ray.cluster_resources().get("GPU", 0)
    wants_gpu = gpus > 0
    task = ray.remote(num_cpus=1, num_gpus=(min(1.0, gpus / max(1, len(trials))) if wants_gpu else 0),
                      max_retries=0)(run_trial)
    refs = []
    for t in trials:
        t = dict(t)
        if not wants_gpu:
            for k in ("trainer", "evaluator"):
                if t.get(k) and t[k].get("device", "auto") == "auto":
                    t[k] = {**t[k], "device": "cpu"}
        refs.append(task.remote(t))
    out = []
    for t, ref in zip(trials, refs):
        try:
            out.append(ray.get(ref))
        except Exception as err:  # worker died
            out.append({"tag": t.get("tag"), "dataset_path": t["dataset_path"], "seed": t["seed"],
                        "error": f"{type(err).__name__}: {err}"})
    return out


def shutdown() -> None:
    try:
        import ray

        if ray.is_initialized():
            ray.shutdown()
    except ImportError:
        pass
