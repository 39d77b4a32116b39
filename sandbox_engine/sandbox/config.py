"""Data-Juicer sandbox config: parse, normalise pipelines, validate every job before any work starts."""
from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sandbox_engine.errors import RecipeError

STAGES = ("probe_job_configs", "refine_recipe_job_configs", "execution_job_configs", "evaluation_job_configs")


class JobConfig(BaseModel):
    """One job: a hook with its recipe (`dj_configs`), component config (`extra_configs`) and context wiring."""

    model_config = ConfigDict(extra="forbid")

    hook: str = Field(description="Hook name, e.g. ProbeViaAnalyzerHook.")
    meta_name: str = Field("", description="The job's name in context_infos (default: <stage>_<i>).")
    dj_configs: str | dict | None = Field(None, description="A recipe: a YAML path or an inline mapping.")
    extra_configs: str | dict | None = Field(None, description="Component config (path or inline), `type` in it.")
    input: dict[str, Any] = Field(default_factory=dict, description="{dotted.key: '-1.key' | 'pipe.job.key'}.")
    output: list[str] = Field(default_factory=list, description="Names of the hook's return values.")
    local: dict[str, Any] = Field(default_factory=dict, description="{dotted.key: value} local overrides.")


class Pipeline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    probe_job_configs: list[JobConfig] = Field(default_factory=list)
    refine_recipe_job_configs: list[JobConfig] = Field(default_factory=list)
    execution_job_configs: list[JobConfig] = Field(default_factory=list)
    evaluation_job_configs: list[JobConfig] = Field(default_factory=list)

    def jobs(self) -> list[tuple[str, JobConfig]]:
        return [(stage, job) for stage in STAGES for job in getattr(self, stage)]


class SandboxConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    project_name: str = "sandbox"
    experiment_name: str = "run"
    work_dir: str = "./outputs/sandbox"
    resume: bool = False
    max_iter_num: int = Field(1, ge=1)
    iter_targets: list[str] = Field(default_factory=list)
    iter_targets_mode: Literal["all", "any"] = "all"
    iter_updater: dict[str, str] = Field(default_factory=dict)
    pipelines: list[Pipeline] = Field(default_factory=list)
    # Juicebox extensions
    ray_address: str | None = Field(None, description="Join this Ray cluster instead of starting a local one.")
    parallel: bool = Field(True, description="Run proxy experiments as parallel Ray tasks (false: in process).")
    num_cpus: int | None = Field(None, ge=1, description="CPUs for a local Ray (default: all).")
    custom_component_paths: list[str] = Field(default_factory=list, description="Python files registering "
                                              "components/hooks, imported at load.")
    base_dir: str = "."
    # Data-Juicer keys we accept and ignore
    hpo_config: Any = None
    path_k_sigma_recipe: Any = None
    path_model_feedback_recipe: Any = None


def _load_yamlish(value: Any, base_dir: str, what: str) -> Any:
    if isinstance(value, str) and value.endswith((".yaml", ".yml", ".json")):
        path = Path(value) if os.path.isabs(value) else Path(base_dir) / value
        if not path.exists():
            raise RecipeError(f"{what}: file not found: {path}")
        return yaml.safe_load(path.read_text()) or {}
    return value


def _where(stage_or_none: str | None, job: Any, i: int) -> str:
    name = job.get("meta_name") if isinstance(job, dict) else None
    return f"{stage_or_none}[{i}]" + (f" (meta_name {name!r})" if name else "")


def _pipelines(raw: dict) -> list[dict]:
    if "pipelines" not in raw:
        return [{"name": "anonymous", **{s: raw.pop(s) for s in STAGES if s in raw}}]
    pl = raw.pop("pipelines")
    for s in STAGES:
        if s in raw:
            raise RecipeError(f"sandbox config: {s!r} must live inside a pipeline when 'pipelines' is given")
    items = pl.items() if isinstance(pl, dict) else []
    if isinstance(pl, list):
        items = []
        for i, p in enumerate(pl):
            if not isinstance(p, dict) or len(p) != 1:
                raise RecipeError(f"sandbox config: pipelines[{i}] must be a single-key mapping "
                                  f"'- name: {{probe_job_configs: ...}}', got {p!r}")
            items.append(next(iter(p.items())))
    elif not isinstance(pl, dict):
        raise RecipeError("sandbox config: 'pipelines' must be a list of single-key mappings or a mapping")
    return [{"name": str(n), **(body or {})} for n, body in items]


def load_sandbox_config(source: str | os.PathLike | dict, work_dir: str | None = None) -> SandboxConfig:
    """Parse a sandbox config (YAML path or dict); errors name the pipeline, job and key at fault."""
    if isinstance(source, dict):
        raw, base = copy.deepcopy(source), str(source.get("base_dir", "."))
    else:
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"sandbox config not found: {path}")
        try:
            raw = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as err:
            raise RecipeError(f"{path}: not valid YAML: {err}") from None
        if not isinstance(raw, dict):
            raise RecipeError(f"{path}: a sandbox config must be a mapping")
        base = str(path.resolve().parent)
    raw["base_dir"] = base
    if work_dir:
        raw["work_dir"] = work_dir
    pipes = _pipelines(raw)
    for p in pipes:
        for stage in STAGES:
            jobs = p.get(stage) or []
            if not isinstance(jobs, list):
                raise RecipeError(f"pipeline {p['name']!r}: {stage} must be a list of jobs")
            for i, job in enumerate(jobs):
                where = f"pipeline {p['name']!r}, {_where(stage, job, i)}"
                if not isinstance(job, dict):
                    raise RecipeError(f"{where}: a job must be a mapping with a 'hook', got {job!r}")
                job.setdefault("meta_name", f"{stage.replace('_job_configs', '')}_{i}")
                try:
                    jobs[i] = JobConfig(**{k: (_load_yamlish(v, base, f"{where}: {k}")
                                               if k in ("dj_configs", "extra_configs") else v)
                                           for k, v in job.items()})
                except ValidationError as err:
                    raise RecipeError(f"{where}: " + "; ".join(_err(e) for e in err.errors())) from None
            p[stage] = jobs
    try:
        cfg = SandboxConfig(**raw, pipelines=[Pipeline(**p) for p in pipes])
    except ValidationError as err:
        raise RecipeError("sandbox config: " + "; ".join(_err(e) for e in err.errors())) from None
    if not os.path.isabs(cfg.work_dir):
        cfg.work_dir = str((Path(base) / cfg.work_dir).resolve()) if not work_dir else str(Path(work_dir).resolve())
    _check_names(cfg)
    return cfg


def _err(e: dict) -> str:
    loc = ".".join(str(x) for x in e["loc"])
    if e["type"] == "extra_forbidden":
        return f"unknown key {loc!r}"
    return f"key {loc!r}: {e['msg']}"


def _check_names(cfg: SandboxConfig) -> None:
    seen = set()
    for p in cfg.pipelines:
        if p.name in seen:
            raise RecipeError(f"sandbox config: two pipelines are named {p.name!r}")
        seen.add(p.name)
        names = [j.meta_name for _, j in p.jobs()]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise RecipeError(f"pipeline {p.name!r}: meta_name {sorted(dup)[0]!r} is used by several jobs")
