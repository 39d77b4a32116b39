"""Reference recipes: Data-Juicer recipes for common jobs, with the metadata a planner needs.

The shipped recipes live in `reference/` beside this file, their metadata in one index file
`reference/jobs.yaml` (per job: name, titles, modality, description, example requests in English and
Chinese, and a one-line reason per operator in both languages). Users add their own folders:
`$JUICEBOX_HOME/recipes/` (default `~/.juicebox/recipes/`) and every folder named in
`JUICEBOX_RECIPES` (separated by os.pathsep). A user folder may hold its own `jobs.yaml`; a recipe
without metadata is described by its file name, `project_name`, leading comment lines and op names.
A user recipe with the name of an earlier one replaces it.
"""
from __future__ import annotations

import copy
import os
import warnings
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sandbox_engine.errors import JuiceboxError, RecipeError

REFERENCE_DIR = Path(__file__).parent / "reference"
INDEX_FILE = "jobs.yaml"
RECIPE_SUFFIXES = (".yaml", ".yml")
Modality = Literal["text", "dialog", "image-text", "image", "video", "audio", "any"]


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class JobMeta(BaseModel):
    """One entry of a jobs.yaml index."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    recipe: str | None = Field(None, description="Recipe file beside jobs.yaml (default <name>.yaml).")
    title: str = Field(min_length=1)
    title_zh: str = ""
    modality: Modality = "text"
    description: str = ""
    requests: list[str] = Field(default_factory=list)
    reasons: dict[str, Reason] = Field(default_factory=dict)

    def recipe_file(self) -> str:
        return self.recipe or f"{self.name}.yaml"


class ReferenceRecipe(BaseModel):
    """A recipe for a job, with what the planner needs to pick it and explain it."""

    name: str
    title: str
    title_zh: str = ""
    modality: str = "text"
    description: str = ""
    requests: list[str] = Field(default_factory=list)
    recipe: dict[str, Any]
    reasons: dict[str, tuple[str, str]] = Field(default_factory=dict)
    source: Path
    builtin: bool = False

    def process(self) -> list[dict]:
        """The recipe's steps as a fresh list of ``{op: {args}}``."""
        from sandbox_engine.recipe_process import parse_process

        return [{name: args} for name, args in parse_process(copy.deepcopy(self.recipe.get("process", [])))]

    def op_names(self) -> list[str]:
        return [next(iter(step)) for step in self.process()]

    def reason(self, op: str, lang: str = "en") -> str:
        """Why the recipe runs `op` (lang 'en' or 'zh'); the op's own description when the recipe
        carries no reason for it."""
        if op in self.reasons:
            en, zh = self.reasons[op]
            return zh if lang == "zh" else en
        from sandbox_engine.ops.base import get_op_class

        try:
            desc = get_op_class(op).description or ""
        except JuiceboxError:
            return ""
        return desc.split(". ")[0].rstrip(".")

    def explain(self, lang: str = "en") -> list[str]:
        """One line per step: 'from the Retrieval (RAG) corpus reference recipe: text_length_filter
        drops documents too short to answer anything'."""
        out = []
        for step in self.process():
            op, args = next(iter(step.items()))
            on = (args or {}).get("text_key")
            if lang == "zh":
                field = f"（作用于 {on} 字段）" if on else ""
                out.append(f"参考配方「{self.title_zh or self.title}」：{op}{field}：{self.reason(op, 'zh')}")
            else:
                field = f" (on the '{on}' field)" if on else ""
                out.append(f"from the {self.title} reference recipe: {op}{field} {self.reason(op)}".rstrip())
        return out

    def search_text(self) -> str:
        """Text for retrieval: titles, description, example requests and the steps."""
        parts = [self.title, self.title_zh, self.description, " ".join(self.requests),
                 "Steps: " + " ".join(self.op_names())]
        return " ".join(p for p in parts if p).strip()


# -- where recipes come from ----------------------------------------------------------------------
def user_recipe_dirs() -> list[Path]:
    """`$JUICEBOX_HOME/recipes` when it exists, then the folders of JUICEBOX_RECIPES."""
    home = Path(os.environ.get("JUICEBOX_HOME") or Path.home() / ".juicebox").expanduser()
    out = [home / "recipes"] if (home / "recipes").is_dir() else []
    for raw in (os.environ.get("JUICEBOX_RECIPES") or "").split(os.pathsep):
        if raw.strip():
            p = Path(raw.strip()).expanduser()
            if not p.is_dir():
                raise RecipeError(f"JUICEBOX_RECIPES names {raw!r}, which is not a folder (give folders "
                                  f"of Data-Juicer recipe YAML files, separated by {os.pathsep!r})")
            out.append(p)
    return out


def _recipe_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix in RECIPE_SUFFIXES and p.name != INDEX_FILE
                  and not p.name.startswith("."))


def _load_index(folder: Path) -> dict[str, tuple[JobMeta, int]]:
    """jobs.yaml of a folder: recipe file name -> (metadata, line of the job entry)."""
    import yaml

    path = folder / INDEX_FILE
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise RecipeError(f"{path}{line}: invalid YAML: {getattr(err, 'problem', None) or err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise RecipeError(f"{path}: a jobs index must be a mapping with a 'jobs:' list of entries "
                          "(name, title, title_zh, modality, description, requests, reasons)")
    lines = _item_lines(node, "jobs")
    out: dict[str, tuple[JobMeta, int]] = {}
    names: set[str] = set()
    for i, raw in enumerate(data["jobs"]):
        line = lines[i] if i < len(lines) else 0
        where = f"{path}:{line}" if line else str(path)
        try:
            meta = JobMeta.model_validate(raw)
        except ValidationError as err:
            e = err.errors()[0]
            loc = ".".join(str(x) for x in e["loc"]) or "entry"
            label = raw.get("name") if isinstance(raw, dict) else None
            raise RecipeError(f"{where}: job {label or i!r}, field {loc!r}: {e['msg']} (a job has name, "
                              "title, title_zh, modality, description, requests and reasons "
                              "{op: {en, zh}})") from None
        if meta.name in names:
            raise RecipeError(f"{where}: job name {meta.name!r} appears twice in {path.name}")
        names.add(meta.name)
        if not (folder / meta.recipe_file()).is_file():
            raise RecipeError(f"{where}: job {meta.name!r}: recipe file {meta.recipe_file()!r} is not "
                              f"in {folder} (set `recipe:` to the file's name)")
        out[meta.recipe_file()] = (meta, line)
    return out


def _item_lines(node: Any, key: str) -> list[int]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _leading_comments(path: Path) -> str:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if not s.startswith("#"):
            break
        out.append(s.lstrip("#").strip())
    return " ".join(x for x in out if x)


def _guess_modality(ops: list[str]) -> str:
    from sandbox_engine.ops.base import get_op_class

    kinds = {get_op_class(op).modality for op in ops}
    has_image = bool(kinds & {"image", "multimodal"})
    if has_image:
        return "image-text" if kinds & {"text", "multimodal"} else "image"
    return "text" if "text" in kinds or not kinds else "any"


def _load_folder(folder: Path, builtin: bool, validate_ops: bool, on_error: str) -> list[ReferenceRecipe]:
    from sandbox_engine.recipe import load_recipe

    try:
        index = _load_index(folder)
    except RecipeError as err:
        if on_error == "raise":
            raise
        warnings.warn(f"reference recipes skipped: {err}", stacklevel=3)
        return []
    out = []
    for path in _recipe_files(folder):
        try:
            rec = load_recipe(path, validate_ops=validate_ops)
            out.append(_reference(path, rec, index.get(path.name), builtin))
        except JuiceboxError as err:
            if on_error == "raise":
                raise
            warnings.warn(f"reference recipe skipped: {err}", stacklevel=3)
    return out


def _reference(path: Path, rec: Any, meta: tuple[JobMeta, int] | None, builtin: bool) -> ReferenceRecipe:
    ops = rec.op_names()
    data = rec.to_dict()
    if meta is None:
        title = rec.project_name or path.stem.replace("_", " ").replace("-", " ")
        return ReferenceRecipe(name=path.stem, title=title, modality=_guess_modality(ops),
                               description=_leading_comments(path), recipe=data, source=path,
                               builtin=builtin)
    job, line = meta
    unknown = [op for op in job.reasons if op not in ops]
    if unknown:
        raise RecipeError(f"{path.parent / INDEX_FILE}:{line}: job {job.name!r} gives a reason for "
                          f"{unknown[0]!r}, which {path.name} does not run (its steps: {', '.join(ops)})")
    return ReferenceRecipe(name=job.name, title=job.title, title_zh=job.title_zh, modality=job.modality,
                           description=" ".join(job.description.split()), requests=job.requests,
                           recipe=data, reasons={op: (r.en, r.zh) for op, r in job.reasons.items()},
                           source=path, builtin=builtin)


_CACHE: dict[tuple, list[ReferenceRecipe]] = {}


def _fingerprint(folders: list[tuple[Path, bool]], validate_ops: bool, on_error: str) -> tuple:
    files = []
    for folder, _ in folders:
        for p in sorted(folder.iterdir()):
            if p.is_file():
                st = p.stat()
                files.append((str(p), st.st_mtime_ns, st.st_size))
    return (tuple((str(f), b) for f, b in folders), tuple(files), validate_ops, on_error)


def load_reference_recipes(extra_dirs: list[str | os.PathLike] | None = None, *, validate_ops: bool = True,
                           include_builtin: bool = True,
                           on_error: Literal["raise", "warn"] = "raise") -> list[ReferenceRecipe]:
    """The shipped reference recipes, then the user's (`$JUICEBOX_HOME/recipes`, JUICEBOX_RECIPES,
    `extra_dirs`); a later recipe with the same name replaces an earlier one. A bad file raises a
    RecipeError naming the file and line (or, with on_error='warn', is skipped with a warning).
    Results are cached until a file in those folders changes."""
    folders: list[tuple[Path, bool]] = [(REFERENCE_DIR, True)] if include_builtin else []
    try:
        folders += [(p, False) for p in user_recipe_dirs()]
    except RecipeError as err:
        if on_error == "raise":
            raise
        warnings.warn(f"user recipes skipped: {err}", stacklevel=2)
    for raw in extra_dirs or []:
        p = Path(raw).expanduser()
        if not p.is_dir():
            raise RecipeError(f"reference recipe folder {str(raw)!r} does not exist or is not a folder")
        folders.append((p, False))
    key = _fingerprint(folders, validate_ops, on_error)
    if key not in _CACHE:
        by_name: dict[str, ReferenceRecipe] = {}
        for folder, builtin in folders:
            for r in _load_folder(folder, builtin, validate_ops, on_error):
                by_name.pop(r.name, None)
                by_name[r.name] = r
        _CACHE.clear()
        _CACHE[key] = list(by_name.values())
    return [r.model_copy(deep=True) for r in _CACHE[key]]


def get_reference_recipe(name: str, extra_dirs: list[str | os.PathLike] | None = None) -> ReferenceRecipe:
    for r in load_reference_recipes(extra_dirs):
        if r.name == name:
            return r
    from sandbox_engine.errors import did_you_mean

    names = [r.name for r in load_reference_recipes(extra_dirs)]
    raise RecipeError(f"no reference recipe named {name!r}.{did_you_mean(name, names)} "
                      f"(available: {', '.join(names)})")
