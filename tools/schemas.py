"""Pydantic argument and result models of the agent's tools (their JSON schemas go to the LLM)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ToolArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InspectDatasetArgs(ToolArgs):
    path: str = Field(..., description="Data file or folder (jsonl/json/parquet/csv/txt).")
    n_samples: int = Field(3, ge=0, le=50, description="How many samples to show.")


class FieldInfo(BaseModel):
    name: str
    types: list[str]
    present: int = Field(..., description="Rows (of those read) that have the field.")


class InspectDatasetResult(BaseModel):
    path: str
    num_samples: int
    fields: list[FieldInfo]
    modality: str
    samples: list[dict[str, Any]]


class SearchOperatorsArgs(ToolArgs):
    query: str = Field(..., description="What the step should do, in plain words, e.g. 'remove duplicates'.")
    k: int = Field(8, ge=1, le=50, description="How many candidates.")
    kind: str | None = Field(None, description="operator, hook or component; None for all.")


class SearchHit(BaseModel):
    name: str
    kind: str
    category: str
    description: str
    score: float


class SearchOperatorsResult(BaseModel):
    hits: list[SearchHit]
    retriever: str = Field(..., description="keyword or hybrid (keyword + vector).")


class OperatorInfoArgs(ToolArgs):
    name: str = Field(..., description="Exact operator (or hook) name.")


class OperatorInfoResult(BaseModel):
    name: str
    kind: str
    category: str
    modality: str
    description: str
    example: str
    cost: str
    stats_keys: list[str]
    args: list[dict[str, Any]]


class DraftRecipeArgs(ToolArgs):
    goal: str = Field(..., description="The user's goal in plain words.")
    dataset_path: str | None = Field(None, description="Data to put in the recipe's dataset_path.")


class DraftRecipeResult(BaseModel):
    recipe: dict[str, Any] = Field(..., description="A Data-Juicer recipe with a `process` list.")
    justifications: list[str] = Field(..., description="One line per step: why it is there.")
    planner: str
    notes: list[str] = Field(default_factory=list)


class RecipeArgs(ToolArgs):
    recipe: dict[str, Any] = Field(..., description="A Data-Juicer recipe dict (at least `process`).")


class ValidateRecipeResult(BaseModel):
    ok: bool
    errors: list[str] = Field(default_factory=list)
    steps: list[str] = Field(default_factory=list)
    unavailable: list[str] = Field(default_factory=list, description=(
        "steps that are valid but need a model this machine does not have (what to install); they run "
        "where the model is"))


class RunRecipeArgs(ToolArgs):
    recipe: dict[str, Any] = Field(..., description="A Data-Juicer recipe dict.")
    dataset_path: str | None = Field(None, description="Overrides the recipe's dataset_path.")
    export_path: str | None = Field(None, description="Where to write (inside the workspace).")
    np: int | None = Field(None, ge=1, description="Worker processes.")
    trace: bool = Field(True, description="Record what each op removed (for explain_removed).")


class RunRecipeResult(BaseModel):
    rows_in: int
    rows_out: int
    export_path: str
    work_dir: str
    seconds: float
    ops: list[dict[str, Any]]


class AnalyzeDatasetArgs(ToolArgs):
    recipe: dict[str, Any] = Field(..., description="A recipe whose filters give the stats.")
    dataset_path: str | None = Field(None, description="Overrides the recipe's dataset_path.")
    work_dir: str | None = Field(None, description="Where analysis/ goes (inside the workspace).")


class AnalyzeDatasetResult(BaseModel):
    num_samples: int
    stats: dict[str, dict[str, float]] = Field(..., description="Per stat: count, mean, std, min, quartiles, max.")
    paths: dict[str, str] = Field(default_factory=dict)


class ExplainRemovedArgs(ToolArgs):
    work_dir: str = Field(..., description="A run's work_dir (with trace/).")
    query: str | None = Field(None, description="Text the dropped sample contains; None lists all.")
    op: str | None = Field(None, description="Only the samples this operator removed; None: every op.")
    limit: int = Field(10, ge=1, le=200)


class RemovedSample(BaseModel):
    op: str
    kind: str
    sample: dict[str, Any]
    reason: str


class ExplainRemovedResult(BaseModel):
    removed: list[RemovedSample]


class ProbePoolsArgs(ToolArgs):
    recipe: dict[str, Any] = Field(..., description="Recipe whose ops each make a single-op pool.")
    dataset_path: str = Field(..., description="Data to probe.")
    work_dir: str = Field("probe", description="Output folder inside the workspace.")


class RefineRecipeArgs(ToolArgs):
    recipe: dict[str, Any]
    dataset_path: str | None = None
    method: str = Field("k_sigma", description="k_sigma (others: hpo, cluster when the sandbox provides them).")
    k: float = Field(3.0, ge=0, description="k of k-sigma.")


class RefineRecipeResult(BaseModel):
    recipe: dict[str, Any]
    changes: list[dict[str, Any]]


class TrainProxyArgs(ToolArgs):
    dataset_path: str
    work_dir: str = "proxy"
    config: dict[str, Any] = Field(default_factory=dict, description="Trainer options (model type, steps ...).")


class EvaluateArgs(ToolArgs):
    model_path: str | None = None
    dataset_path: str | None = None
    config: dict[str, Any] = Field(default_factory=dict)


class CompareRunsArgs(ToolArgs):
    runs: list[str] = Field(..., min_length=2, description="Run work_dirs or run summary JSON files.")


class CompareRunsResult(BaseModel):
    runs: list[dict[str, Any]]
    best: str | None = None


class SaveRecipeArgs(ToolArgs):
    recipe: dict[str, Any]
    path: str = Field(..., description="YAML file inside the workspace.")


class SaveRecipeResult(BaseModel):
    path: str


class GenericResult(BaseModel):
    model_config = ConfigDict(extra="allow")


# -- questions about the data and a run's results (the chat answers them through these) -----------
class DataPathArgs(ToolArgs):
    path: str = Field(..., description="Data file or folder (jsonl/json/parquet/csv/txt).")


class CountSamplesResult(BaseModel):
    path: str
    num_samples: int


class LanguageCountsArgs(ToolArgs):
    path: str = Field(..., description="Data file or folder.")
    text_key: str = Field("text", description="The text field.")
    max_samples: int = Field(1000, ge=1, le=100_000, description="Identify the language of at most this many samples.")


class LanguageCountsResult(BaseModel):
    path: str
    sampled: int = Field(..., description="Samples whose language was identified.")
    total: int = Field(..., description="Samples in the data set.")
    counts: dict[str, int] = Field(..., description="Samples per language code, most frequent first.")


class CountMatchingArgs(ToolArgs):
    path: str = Field(..., description="Data file or folder.")
    process: list[dict[str, Any]] = Field(..., min_length=1, description="Filter steps ({op: {args}}) that describe "
                                                                           "the samples to count.")
    limit: int = Field(200_000, ge=1, description="Count over at most this many samples (the first ones).")


class CountMatchingResult(BaseModel):
    path: str
    process: list[dict[str, Any]]
    counted: int  # samples looked at (at most `limit`)
    total: int  # samples in the data set
    kept: int  # of the counted, those every step keeps


class TextLengthsArgs(ToolArgs):
    path: str = Field(..., description="Data file or folder.")
    text_key: str = Field("text", description="The text field.")
    bins: int = Field(10, ge=2, le=50, description="Histogram bins.")


class HistogramBin(BaseModel):
    low: float
    high: float
    count: int


class TextLengthsResult(BaseModel):
    path: str
    count: int = Field(..., description="Samples with a text.")
    unit: str = "characters"
    min: int
    max: int
    mean: float
    median: float
    p10: float
    p90: float
    histogram: list[HistogramBin]


class ProfileDatasetArgs(ToolArgs):
    path: str = Field(..., description="Data file or folder.")
    max_samples: int = Field(2000, ge=1, le=5000, description="Profile at most this many samples (a uniform "
                             "sample of data sets up to 32 MB; the head of larger JSON-lines / parquet files).")


class ProfileDatasetResult(BaseModel):
    path: str
    samples: int = Field(..., description="Samples in the data set (see samples_exact).")
    samples_exact: bool = Field(..., description="True: counted; False: estimated from the file sizes.")
    sampled: int = Field(..., description="Samples profiled.")
    sample_kind: Literal["all", "uniform", "head"] = Field(..., description="all of the data, a uniform sample "
                                                           "or the first samples.")
    text_key: str | None = None
    modality: str
    fields: dict[str, str]
    languages: dict[str, float] = Field(..., description="Share per language (fastText).")
    shares: dict[str, float] = Field(..., description="Fraction (0..1) of the profiled samples with each issue: "
                                     "exact_duplicate, near_empty, very_long, html, email, link, ip, garbled, "
                                     "special_chars, latex, copyright (duplicate_media: of those with media).")
    counts: dict[str, int] = Field(..., description="Profiled samples with each issue (same keys as shares).")
    with_media: int = Field(0, description="Profiled samples with media files (duplicate_media's base).")
    chars: dict[str, float] = Field(..., description="Text length (characters): min, p5, p25, median, p75, p95, "
                                    "max, mean.")


class ExplainSampleArgs(ToolArgs):
    dataset_path: str = Field(..., description="The data set the run read.")
    recipe: dict[str, Any] = Field(..., description="The recipe that ran (its `process` list).")
    index: int = Field(..., ge=1, description="The sample's number, counting from 1 (its line in a JSONL file).")
    work_dir: str | None = Field(None, description="The run's work_dir (its trace/ lists duplicates removed).")
    output_path: str | None = Field(None, description="The run's output file (to tell a kept sample).")


class ExplainSampleResult(BaseModel):
    index: int
    sample: dict[str, Any]
    dropped: bool | None = Field(..., description="True: removed; False: kept; None: could not tell.")
    op: str | None = Field(None, description="The step that removed it.")
    kind: str | None = Field(None, description="filter or duplicate.")
    stats: dict[str, Any] = Field(default_factory=dict, description="The op's stats for this sample.")
    bounds: dict[str, Any] = Field(default_factory=dict, description="The op's arguments the stats were checked against.")
    duplicate_of: dict[str, Any] | None = None
    reason: str
