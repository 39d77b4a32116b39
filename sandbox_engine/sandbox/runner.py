"""Run a sandbox config: pipelines of jobs in stage order, context wiring, resume, iterations, summary.

context_infos: {"iterations": [{pipeline: {meta_name: {output_name: value}}}], "finished": ["<iter>/<pipeline>"],
"jobs": [job records]}
saved to work_dir/context_infos.json after every pipeline; `resume: true` skips finished pipelines.
"""
from __future__ import annotations

import copy
import json
import operator
import os
import re
import time
from pathlib import Path
from typing import Any

from sandbox_engine.errors import RecipeError
from sandbox_engine.sandbox.config import SandboxConfig, _load_yamlish, load_sandbox_config
from sandbox_engine.sandbox.hooks import JobContext, get_hook

OPS = {"==": operator.eq, ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
TARGET = re.compile(r"^\s*(\S+)\s*(==|>=|<=|>|<)\s*(\S+)\s*$")


def set_dotted(target: dict, key: str, value: Any) -> None:
    parts = key.split(".")
    cur = target
    for p in parts[:-1]:
        if not isinstance(cur.get(p), dict):
            cur[p] = {}
        cur = cur[p]
    cur[parts[-1]] = value


def get_dotted(value: Any, parts: list[str], what: str) -> Any:
    for p in parts:
        if isinstance(value, dict) and p in value:
            value = value[p]
        elif isinstance(value, list) and re.fullmatch(r"-?\d+", p) and -len(value) <= int(p) < len(value):
            value = value[int(p)]
        else:
            raise RecipeError(f"{what}: no {p!r} there (have: {list(value) if isinstance(value, dict) else type(value).__name__})")
    return value


def _load_custom(cfg: SandboxConfig) -> None:
    import importlib.util

    for i, p in enumerate(cfg.custom_component_paths):
        path = Path(p) if os.path.isabs(p) else Path(cfg.base_dir) / p
        if not path.exists():
            raise RecipeError(f"sandbox config: custom_component_paths[{i}]: file not found: {path}")
        spec = importlib.util.spec_from_file_location(f"jb_custom_{path.stem}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)


def validate(cfg: SandboxConfig) -> None:
    """Everything that can be checked before work starts: hooks, component types, input references."""
    _load_custom(cfg)
    pipes = {p.name: p for p in cfg.pipelines}
    for p in cfg.pipelines:
        metas = [j.meta_name for _, j in p.jobs()]
        for idx, (stage, job) in enumerate(p.jobs()):
            where = f"pipeline {p.name!r}, job {job.meta_name!r} ({stage})"
            hook = get_hook(job.hook, f"{where}: key 'hook'")
            for key, ref in job.input.items():
                _check_ref(where, key, ref, idx, p.name, metas, pipes)
            hook.check(where, job.dj_configs, job.extra_configs, set(job.input) | set(job.local))
    for t in cfg.iter_targets:
        if not TARGET.match(t):
            raise RecipeError(f"sandbox config: iter_targets entry {t!r} must look like 'pipe.job.key <= 3.2' "
                              f"(OP one of == >= <= > <)")


def _check_ref(where: str, key: str, ref: Any, idx: int, pipe: str, metas: list[str], pipes: dict) -> None:
    if key.split(".")[0] not in ("dj_configs", "extra_configs"):
        raise RecipeError(f"{where}: input key {key!r} must start with 'dj_configs.' or 'extra_configs.'")
    if not isinstance(ref, str) or "." not in ref:
        raise RecipeError(f"{where}: input {key!r}: {ref!r} must be '-1.<output>' or '<pipeline>.<meta_name>.<output>'")
    head = ref.split(".")
    if re.fullmatch(r"-\d+", head[0]):
        if idx + int(head[0]) < 0:
            raise RecipeError(f"{where}: input {key!r}: {ref!r} points before the first job of the pipeline")
    elif head[0] in pipes:
        if len(head) < 3 or head[1] not in [j.meta_name for _, j in pipes[head[0]].jobs()]:
            raise RecipeError(f"{where}: input {key!r}: {ref!r}: pipeline {head[0]!r} has no job "
                              f"{head[1] if len(head) > 1 else ''!r}")
        order = list(pipes)
        if order.index(head[0]) > order.index(pipe):
            raise RecipeError(f"{where}: input {key!r}: {ref!r}: pipeline {head[0]!r} runs after {pipe!r}")
        if head[0] == pipe and metas.index(head[1]) >= idx:
            raise RecipeError(f"{where}: input {key!r}: {ref!r}: job {head[1]!r} does not run before this one "
                              f"(stages run probe, refine_recipe, execution, evaluation)")
    elif head[0] in metas and metas.index(head[0]) >= idx:
        raise RecipeError(f"{where}: input {key!r}: {ref!r}: job {head[0]!r} does not run before this one "
                          f"(stages run probe, refine_recipe, execution, evaluation)")
    elif head[0] not in metas:
        raise RecipeError(f"{where}: input {key!r}: {ref!r} names no pipeline or job (pipelines: "
                          f"{', '.join(pipes)}; jobs here: {', '.join(metas)})")


class SandboxRunner:
    def __init__(self, cfg: SandboxConfig) -> None:
        self.cfg = cfg
        self.work_dir = Path(cfg.work_dir)
        self.ctx_path = self.work_dir / "context_infos.json"
        self.context: dict[str, Any] = {"iterations": [], "finished": []}
        self.records: list[dict] = []
        self.pipes = copy.deepcopy(cfg.pipelines)

    # ---- context ----
    def _resolve(self, ref: str, it: int, pipe: str, done: list[str], where: str) -> Any:
        parts = ref.split(".")
        cur = self.context["iterations"][it]
        if re.fullmatch(r"-\d+", parts[0]):
            pos = len(done) + int(parts[0])
            if pos < 0:
                raise RecipeError(f"{where}: {ref!r}: no job that far back")
            return get_dotted(cur[pipe][done[pos]], parts[1:], f"{where}: {ref!r}")
        if parts[0] in cur and parts[0] in {p.name for p in self.pipes}:
            return get_dotted(cur[parts[0]], parts[1:], f"{where}: {ref!r}")
        if parts[0] in cur.get(pipe, {}):
            return get_dotted(cur[pipe], parts, f"{where}: {ref!r}")
        raise RecipeError(f"{where}: {ref!r} is not in the context yet (finished: "
                          f"{', '.join(f'{p}.{m}' for p, jobs in cur.items() for m in jobs) or 'nothing'})")

    def _save(self) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.context["jobs"] = self.records
        tmp = self.ctx_path.with_suffix(".json.part")
        tmp.write_text(json.dumps(self.context, indent=1, default=str))
        tmp.replace(self.ctx_path)

    # ---- run ----
    def run(self) -> dict:
        validate(self.cfg)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        if self.cfg.resume and self.ctx_path.exists():
            self.context = json.loads(self.ctx_path.read_text())
            self.records = [r for r in self.context.get("jobs", [])
                            if f"{r['iter']}/{r['pipeline']}" in self.context["finished"]]
        options = {"parallel": self.cfg.parallel, "ray_address": self.cfg.ray_address,
                   "num_cpus": self.cfg.num_cpus, "work_dir": str(self.work_dir)}
        start = time.time()
        error = None
        try:
            for it in range(self.cfg.max_iter_num):
                while len(self.context["iterations"]) <= it:
                    self.context["iterations"].append({})
                for p in self.pipes:
                    if f"{it}/{p.name}" in self.context["finished"]:
                        continue
                    self._run_pipeline(it, p, options)
                    self.context["finished"].append(f"{it}/{p.name}")
                    self._save()
                if self._targets_met(it) or it == self.cfg.max_iter_num - 1:
                    break
                self._update(it)
        except BaseException as err:
            error = f"{type(err).__name__}: {err}"
            raise
        finally:
            self._save()
            from sandbox_engine.sandbox.report import write_summary

            self.summary = write_summary(self, time.time() - start, error)
            if self.cfg.parallel and not self.cfg.ray_address:
                from sandbox_engine.sandbox.ray_exec import shutdown

                shutdown()
        return self.summary

    def _run_pipeline(self, it: int, p: Any, options: dict) -> None:
        cur = self.context["iterations"][it].setdefault(p.name, {})
        done: list[str] = []
        for stage, job in p.jobs():
            where = f"pipeline {p.name!r}, job {job.meta_name!r}"
            dj = copy.deepcopy(job.dj_configs) if isinstance(job.dj_configs, dict) else (
                {"dataset_path": job.dj_configs} if isinstance(job.dj_configs, str) else {})
            extra = copy.deepcopy(job.extra_configs) if isinstance(job.extra_configs, dict) else {}
            holder = {"dj_configs": dj, "extra_configs": extra}
            for key, ref in job.input.items():
                set_dotted(holder, key, self._resolve(ref, it, p.name, done, where))
            for key, val in job.local.items():
                set_dotted(holder, key if key.startswith(("dj_configs", "extra_configs")) else f"extra_configs.{key}", val)
            for key in ("dj_configs", "extra_configs"):  # a whole recipe / config wired in as a path
                if isinstance(holder[key], str):
                    holder[key] = _load_yamlish(holder[key], self.cfg.base_dir, f"{where}: {key}")
                if not isinstance(holder[key], dict):
                    raise RecipeError(f"{where}: {key} must be a mapping or a YAML path, got {holder[key]!r}")
            job_dir = self.work_dir / f"iter_{it}" / p.name / job.meta_name
            job_dir.mkdir(parents=True, exist_ok=True)
            ctx = JobContext(name=f"{p.name}.{job.meta_name}", dj_configs=holder["dj_configs"],
                             extra_configs=holder["extra_configs"], job_dir=job_dir, options=options)
            t0 = time.time()
            outs = get_hook(job.hook)().run(ctx)
            names = job.output or [f"res_{i}" for i in range(len(outs))]
            if len(names) < len(outs):
                names = names + [f"res_{i}" for i in range(len(names), len(outs))]
            cur[job.meta_name] = {n: v for n, v in zip(names, outs)}
            done.append(job.meta_name)
            self.records.append({"iter": it, "pipeline": p.name, "meta_name": job.meta_name, "hook": job.hook,
                                 "stage": stage, "seconds": round(time.time() - t0, 2),
                                 "outputs": cur[job.meta_name]})

    def _targets_met(self, it: int) -> bool:
        if not self.cfg.iter_targets:
            return False
        results = []
        for t in self.cfg.iter_targets:
            key, op, val = TARGET.match(t).groups()
            parts = key.split(".")
            got = get_dotted(self.context["iterations"][it], parts, f"iter_targets {t!r}")
            try:
                results.append(OPS[op](float(got), float(val)))
            except (TypeError, ValueError):
                results.append(OPS[op](str(got), val))
        return all(results) if self.cfg.iter_targets_mode == "all" else any(results)

    def _update(self, it: int) -> None:
        for src, dst in self.cfg.iter_updater.items():
            value = get_dotted(self.context["iterations"][it], src.split("."), f"iter_updater {src!r}")
            pipe, meta, *key = dst.split(".")
            for p in self.pipes:
                if p.name != pipe:
                    continue
                for _, job in p.jobs():
                    if job.meta_name == meta:
                        target = {"dj_configs": job.dj_configs if isinstance(job.dj_configs, dict) else {},
                                  "extra_configs": job.extra_configs if isinstance(job.extra_configs, dict) else {}}
                        set_dotted(target, ".".join(key), value)
                        job.dj_configs, job.extra_configs = target["dj_configs"], target["extra_configs"]
                        break
                else:
                    continue
                break
            else:
                raise RecipeError(f"iter_updater: {dst!r} names no job (use '<pipeline>.<meta_name>.<key>')")


def run_sandbox(config: str | os.PathLike | dict, work_dir: str | None = None, **overrides: Any) -> dict:
    """Load, validate and run a sandbox config; returns the summary (also in work_dir/summary.json)."""
    cfg = load_sandbox_config(config, work_dir=work_dir)
    for k, v in overrides.items():
        setattr(cfg, k, v)
    return SandboxRunner(cfg).run()
