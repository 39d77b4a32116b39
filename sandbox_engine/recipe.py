"""Data-Juicer recipes (YAML) as a pydantic model: load them as they are, check them, dump them back.

Errors name the file and line (from YAML node marks), the key / op / argument, the value and what is
allowed, with did-you-mean hints. Unknown top-level keys are errors; Data-Juicer's other known keys are
accepted (most have no effect here).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from sandbox_engine.errors import JuiceboxError, RecipeError, did_you_mean
from sandbox_engine.recipe_process import build_ops, parse_process

class Recipe(BaseModel):
    """A Data-Juicer process recipe. Field names and defaults are Data-Juicer 1.4.3's."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    project_name: str | None = None
    dataset_path: str | None = Field(None, description="File, folder or 'w1 path1 w2 path2' mixture.")
    dataset: dict[str, Any] | None = Field(None, description="Data-Juicer 1.x dataset config "
                                           "({configs: [{type: local, path, weight}]}).")
    export_path: str | None = None
    work_dir: str | None = None
    np: int = Field(4, ge=1)
    text_keys: str | list[str] = "text"
    image_key: str = "images"
    audio_key: str = "audios"
    video_key: str = "videos"
    suffixes: list[str] | str | None = None
    add_suffix: bool = False
    open_tracer: bool = False
    op_list_to_trace: list[str] = Field(default_factory=list)
    trace_num: int = Field(10, ge=0)
    trace_keys: list[str] = Field(default_factory=list)
    keep_stats_in_res_ds: bool = False
    keep_hashes_in_res_ds: bool = False
    use_checkpoint: bool = False
    op_fusion: bool = False
    executor_type: Literal["default", "local", "ray"] = "default"
    ray_address: str = "auto"
    percentiles: list[float] = Field(default_factory=list)
    export_shard_size: int = Field(0, ge=0)
    custom_operator_paths: list[str] | str | None = None
    process: list[Any] = Field(default_factory=list)

    # Known Data-Juicer keys we accept as is.
    auto: Any = None
    auto_num: Any = None
    hpo_config: Any = None
    data_probe_algo: Any = None
    data_probe_ratio: Any = None
    validators: Any = None
    generated_dataset_config: Any = None
    load_dataset_kwargs: Any = None
    export_type: Any = None
    export_aws_credentials: Any = None
    min_common_dep_num_to_combine: Any = None
    conflict_resolve_strategy: Any = None
    open_insight_mining: Any = None
    op_list_to_mine: Any = None
    adaptive_batch_size: Any = None
    job_id: Any = None
    executor_config: Any = None
    partition_size: Any = None
    max_partition_size: Any = None
    event_logging: Any = None
    intermediate_storage: Any = None
    checkpoint: Any = None
    partition: Any = None
    resource_optimization: Any = None
    debug: Any = None
    open_monitor: Any = None
    use_cache: Any = None
    ds_cache_dir: Any = None
    cache_compress: Any = None
    temp_dir: Any = None
    export_in_parallel: Any = None
    export_original_dataset: Any = None
    save_stats_in_one_file: Any = None
    fusion_strategy: Any = None
    turbo: Any = None
    skip_op_error: Any = None
    image_special_token: Any = None
    audio_special_token: Any = None
    video_special_token: Any = None
    eoc_special_token: Any = None
    config: Any = None
    cpu_required: Any = None
    mem_required: Any = None
    backup_count: Any = None

    _source: Path | None = PrivateAttr(None)
    _lines: "_LineMap | None" = PrivateAttr(None)

    # -- derived values ---------------------------------------------------------------------------
    @property
    def source(self) -> Path | None:
        return self._source

    @property
    def text_key(self) -> str:
        keys = self.text_keys
        if isinstance(keys, list):
            return keys[0] if keys else "text"
        return keys

    @property
    def base_dir(self) -> Path | None:
        return self._source.parent if self._source else None

    def steps(self) -> list[tuple[str, dict]]:
        return parse_process(self.process)

    def op_names(self) -> list[str]:
        return [name for name, _ in self.steps()]

    def build_ops(self) -> list:
        """Build (and so validate) every op, errors naming the recipe file and line."""
        self.check_op_names()
        ops = []
        defaults = {"audio_key": "audios", "video_key": "videos"}
        for i, (name, args) in enumerate(self.steps()):
            for key, default in defaults.items():
                value = getattr(self, key)
                if value != default and key not in args:
                    args[key] = value
            place = self.locate(i)
            try:
                ops.extend(build_ops([{name: args}], text_key=self.text_key, image_key=self.image_key,
                                     locate=lambda _j, p=place: p))
            except JuiceboxError as err:
                raise type(err)(self._arg_line(i, str(err), args)) from None
        return ops

    def check_op_names(self) -> None:
        """All the steps naming an operator that does not exist, in one error."""
        from sandbox_engine.errors import UnknownOpError
        from sandbox_engine.ops.base import load_builtin_ops

        registry = load_builtin_ops()
        bad = [(i, name) for i, (name, _) in enumerate(self.steps()) if name not in registry]
        if len(bad) == 1:
            (i, name), = bad
            hint = did_you_mean(name, registry)
            raise UnknownOpError(f"{self.locate(i)}: unknown operator {name!r}.{hint} "
                                 f"`juicebox ops list` shows all {len(registry)} operators; remove the "
                                 "step or write it as a custom op (custom_operator_paths).")
        unknown = [f"{self.locate(i)}: {name!r}{did_you_mean(name, registry)}" for i, name in bad]
        if unknown:
            raise UnknownOpError(f"{len(unknown)} operators of this recipe do not exist in Juicebox: "
                                 + "; ".join(unknown) + f". `juicebox ops list` shows all {len(registry)} "
                                 "operators; remove those steps or write them as custom ops "
                                 "(custom_operator_paths).")

    def locate(self, i: int) -> str:
        """'recipe.yaml:12 (process[3])' for step i (or 'process[3]' without a file)."""
        where = f"process[{i}]"
        if self._lines and i < len(self._lines.steps):
            return f"{self._source}:{self._lines.steps[i][0]} ({where})"
        return where

    def _arg_line(self, i: int, msg: str, args: dict) -> str:
        """Point at the argument's own line when the message names one."""
        if not self._lines or i >= len(self._lines.steps):
            return msg
        m = re.search(r"argument '([^'.]+)", msg)
        arg_lines = self._lines.steps[i][1]
        if m and m.group(1) in arg_lines:
            return msg.replace(f"{self._source}:{self._lines.steps[i][0]} ",
                               f"{self._source}:{arg_lines[m.group(1)]} ", 1)
        return msg

    def dataset_spec(self) -> str | list[tuple[float, str]]:
        """What to read: `dataset_path`, else the local entries of a `dataset:` config."""
        if self.dataset_path:
            return self.dataset_path
        configs = (self.dataset or {}).get("configs") or []
        parts = []
        for c in configs:
            if c.get("type", "local") != "local" or not c.get("path"):
                raise RecipeError(f"{self._where('dataset')}dataset config {c!r}: only "
                                  "{type: local, path: ...} entries are supported (no downloads)")
            parts.append((float(c.get("weight", 1.0)), c["path"]))
        if not parts:
            raise RecipeError(f"{self._where('dataset_path')}the recipe sets no dataset_path")
        return parts

    def export_file(self, override: str | None = None) -> Path:
        path = override or self.export_path
        if not path:
            raise RecipeError(f"{self._where('export_path')}the recipe sets no export_path")
        return Path(os.path.expanduser(path))

    def work_path(self, export_override: str | None = None) -> Path:
        """work_dir, defaulting to the export file's folder (as Data-Juicer does)."""
        if self.work_dir:
            return Path(os.path.expanduser(self.work_dir))
        return self.export_file(export_override).parent

    def custom_paths(self) -> list[str]:
        paths = self.custom_operator_paths or []
        return [paths] if isinstance(paths, str) else list(paths)

    def process_signature(self) -> list[str]:
        """One hash per step, each covering every step up to it (a changed step invalidates the
        checkpoints from there on)."""
        out, h = [], hashlib.sha256()
        h.update(json.dumps([self.text_key, self.image_key], default=str).encode())
        for name, args in self.steps():
            h.update(json.dumps([name, args], sort_keys=True, default=str).encode())
            out.append(h.copy().hexdigest()[:16])
        return out

    def _where(self, key: str) -> str:
        if self._lines and key in self._lines.top:
            return f"{self._source}:{self._lines.top[key]}: "
        return f"{self._source}: " if self._source else ""

    # -- dumping ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The keys that were set (plus the essentials), process as a list of single-key maps."""
        data = self.model_dump(exclude_unset=True, exclude_none=True)
        for key in ("project_name", "dataset_path", "export_path", "np", "text_keys"):
            value = getattr(self, key)
            if value is not None:
                data.setdefault(key, value)
        data["process"] = [{name: args} for name, args in self.steps()]
        order = list(type(self).model_fields)
        return {k: data[k] for k in sorted(data, key=order.index)}

    def to_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True,
                              default_flow_style=False)

    def dump(self, path: str | os.PathLike) -> Path:
        from sandbox_engine.atomic import write_text

        write_text(path, self.to_yaml())
        return Path(path)


class _LineMap:
    """1-based lines of the top-level keys, and of each process step and its arguments."""

    def __init__(self, node: Any) -> None:
        import yaml

        self.top: dict[str, int] = {}
        self.steps: list[tuple[int, dict[str, int]]] = []
        if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
            return
        for key, value in node.value if _is_mapping(node) else []:
            self.top[str(key.value)] = key.start_mark.line + 1
            if key.value == "process" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    args: dict[str, int] = {}
                    line = item.start_mark.line + 1
                    if _is_mapping(item) and item.value:
                        k, v = item.value[0]
                        line = k.start_mark.line + 1
                        if _is_mapping(v):
                            args = {str(a.value): a.start_mark.line + 1 for a, _ in v.value}
                    self.steps.append((line, args))


def _is_mapping(node: Any) -> bool:
    import yaml

    return isinstance(node, yaml.MappingNode)


def recipe_keys() -> list[str]:
    return list(Recipe.model_fields)


def load_recipe(path: str | os.PathLike, validate_ops: bool = True) -> Recipe:
    """Read a Data-Juicer recipe YAML file; with `validate_ops` every op is built once to check it."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecipeError(f"recipe file {str(path)!r} does not exist") from None
    except IsADirectoryError:
        raise RecipeError(f"recipe file {str(path)!r} is a folder; give the recipe's .yaml file") from None
    except UnicodeDecodeError as err:
        line = err.object[:err.start].count(b"\n") + 1
        raise RecipeError(f"{path}:{line}: not UTF-8 text (byte {err.object[err.start:err.start + 1]!r}); "
                          "save the recipe as UTF-8") from None
    from sandbox_engine.recipe_numbers import RecipeLoader

    try:
        node = yaml.compose(text, Loader=RecipeLoader)
        data = yaml.load(text, Loader=RecipeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise RecipeError(f"{path}{line}: invalid YAML: {getattr(err, 'problem', None) or err}") from None
    return recipe_from_dict(data if data is not None else {}, source=path, lines=_LineMap(node),
                            validate_ops=validate_ops)


def recipe_from_dict(data: Any, source: str | os.PathLike | None = None, lines: _LineMap | None = None,
                     validate_ops: bool = True) -> Recipe:
    """A Recipe from an already parsed mapping (e.g. an inline recipe in a sandbox config)."""
    where = f"{source}" if source else "recipe"
    if not isinstance(data, dict):
        raise RecipeError(f"{where}: a recipe must be a YAML mapping of keys, got {type(data).__name__}")
    at = (lambda k: f"{where}:{lines.top[k]}" if lines and k in lines.top else where)
    fields = Recipe.model_fields
    for key in data:
        if key not in fields:
            raise RecipeError(f"{at(key)}: unknown recipe key {key!r}.{did_you_mean(str(key), fields)}"
                              " (Data-Juicer's top-level keys: dataset_path, export_path, np, "
                              "text_keys, process, ...)")
    from sandbox_engine.recipe_numbers import coerce_numbers

    try:
        parse_process(data.get("process"))
    except JuiceboxError as err:
        raise type(err)(f"{at('process')}: {err}") from None
    try:
        recipe = Recipe.model_validate(coerce_numbers(fields, data))
    except ValidationError as err:
        e = err.errors()[0]
        key = str(e["loc"][0]) if e["loc"] else ""
        raise RecipeError(f"{at(key)}: key {key!r} = {e.get('input')!r}: {e['msg']}") from None
    try:
        parse_process(recipe.process)
    except JuiceboxError as err:
        raise type(err)(f"{at('process')}: {err}") from None
    recipe._source = Path(source) if source else None
    recipe._lines = lines
    if validate_ops:
        load_custom_ops(recipe.custom_paths(), base_dir=recipe.base_dir)
        recipe.build_ops()
    return recipe


_LOADED_CUSTOM: dict[str, str] = {}


def load_custom_ops(paths: list[str], base_dir: str | os.PathLike | None = None) -> list[str]:
    """Import Data-Juicer-style `custom_operator_paths` (.py files or package folders) so their
    `@register_op` classes join the registry. Worker processes call this again before building ops."""
    import importlib
    import importlib.util
    import sys

    from sandbox_engine.dataset import resolve_path

    loaded = []
    for raw in paths:
        p = resolve_path(raw, base_dir).resolve()
        key = str(p)
        if key in _LOADED_CUSTOM:
            loaded.append(_LOADED_CUSTOM[key])
            continue
        if not p.exists():
            raise RecipeError(f"custom_operator_paths: {raw!r} does not exist")
        if p.is_file():
            name = "juicebox_custom_" + hashlib.sha1(key.encode()).hexdigest()[:10] + "_" + p.stem
            spec = importlib.util.spec_from_file_location(name, p)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        else:
            if str(p.parent) not in sys.path:
                sys.path.insert(0, str(p.parent))
            name = p.name
            importlib.import_module(name)
        _LOADED_CUSTOM[key] = name
        loaded.append(name)
    return loaded
