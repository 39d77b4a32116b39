"""Argument fields shared by the video, audio and face operators, with the planner's metadata
(`json_schema_extra`: measure, bound, cues; see sandbox_engine/ops/metadata.py)."""
from __future__ import annotations

from typing import Any

from pydantic import Field


def meta(measure: str, bound: str | None = None, cues: dict | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"measure": measure}
    if bound:
        out["bound"] = bound
    if cues:
        out["cues"] = cues
    return out


# a media deduplicator that compares the sample's text too ('连同文本一起比', 'taking the caption into account')
TEXT_TOO_CUES = ("text into account", "text matches as well", "text matches too", "its text matches", "caption into account", "considering the caption", "together with the text",
                 "along with the text", "text must match too", "考虑文本", "也看文本", "连同文字", "连同文本", "连文本一起",
                 "文字也算上", "配文也算上", "文本也算上", "连配文一起比", "and its caption are identical", "and its text are identical",
                 "and the caption are both identical", "caption text is identical too", "text is identical as well", "caption is identical as well",
                 "captions match as well", "captions match too", "caption text is the same", "配文也一样", "文字也一样", "文本也一样", "配文也相同", "文案也一模一样")


def bound_field(default: Any, measure: str, bound: str, description: str) -> Any:
    return Field(default, description=description, json_schema_extra=meta(measure, bound))


def num_field(default: Any, measure: str, description: str, **kw: Any) -> Any:
    return Field(default, description=description, json_schema_extra=meta(measure), **kw)


_SAME_ITEMS = {"image": ("photo", "picture"), "video": ("clip",), "audio": ("recording",)}  # what users call them


def any_or_all_field(what: str = "video", also: tuple[str, ...] = ()) -> Any:
    """`also`: other nouns users say for the same items ('every image in a sample' for image-text chunks)."""
    nouns = (what, *also, *_SAME_ITEMS.get(what, ()))
    return Field("any", description=f"Keep when any {what} passes, or only when all do.",
                 json_schema_extra=meta("choice", cues={
                     "any": [c for w in nouns for c in (f"any of its {w}s", f"at least one {w}", f"any one {w}")]
                     + ["任意一个", "至少一个", "任意一张图片", "至少一张图片"],
                     "all": [c for w in nouns for c in (f"all of its {w}s", f"all {w}s of a sample", f"every {w} in a sample",
                                                         f"every {w} of the sample")]
                     + [c for w in nouns for c in (f"one {w} failing", f"1 {w} failing", f"a single {w} failing",
                                                         f"if one {w} fails", f"if 1 {w} fails", f"even one {w}", f"even 1 {w}")]
                     + ["not just one", "every one of them has to pass", "one failing is enough", "sink the whole", "drop the whole sample",
                        "有一个不合格", "一个不合格就", "有一张不合格", "有一个不达标", "有一张不达标", "一张不达标", "整条样本就删", "整条样本都删", "整条样本都不要",
                        "一个不过关", "一张不过关", "一段不达标", "只要有一段", "只要有一个", "只要有一张", "each of them has to pass", "all of them must pass",
                        "全部都", "每个都", "整个帖子就删", "整个样本就删", "整条样本就删", "整个帖子都删", "the whole post goes", "the whole sample goes",
                        "drop the whole post", "样本中所有图片", "每张图片都", "每张图都得", "每张都得", "每张图都要", "每一张都", "每个视频都得", "每段都得"]}))


def save_dir_field() -> Any:
    return Field(None, description="Folder for the produced files (default: __dj__produced_data__/<op> "
                                   "beside the source, or $DJ_PRODUCED_DATA_DIR/<op>).",
                 json_schema_extra=meta("path"))


def sampling_field(default: str = "all_keyframes") -> Any:
    return Field(default, description="Which frames are used: all_keyframes, or frame_num frames at "
                                      "uniform timestamps.",
                 json_schema_extra=meta("choice", cues={
                     "all_keyframes": ["key frames", "keyframes", "关键帧"],
                     "uniform": ["uniformly sampled frames", "evenly spaced frames", "even spacing", "even intervals", "spaced evenly", "uniformly", "spaced out evenly", "evenly in time", "spread evenly",
                                 "at even intervals", "sampled evenly", "evenly sampled", "evenly across", "evenly spaced", "均匀采样", "均匀抽", "均匀", "等间隔"]}))


def frame_num_field(default: int = 3) -> Any:
    return Field(default, ge=1, description="Frames sampled per video when uniform.",
                 json_schema_extra=meta("frames"))


def reduce_field() -> Any:
    return Field("avg", description="How the frames' scores reduce to one: avg, max or min.",
                 json_schema_extra=meta("choice", cues={"avg": ["average", "mean", "平均"],
                                                        "max": ["maximum", "highest", "max over", "max across", "single most", "most explicit frame", "最大", "the best frame",
                                                                "highest-scoring frame", "最高的那一帧", "最高的一帧",
                                                                "最好的那一帧", "帧里最高", "最高的那个分数", "any single frame",
                                                                "most severe frame", "最严重的那一帧", "最严重的一帧"],
                                                        "min": ["minimum", "lowest", "min over", "min across", "最小", "the worst frame",
                                                                "lowest-scoring frame", "最低的那一帧", "最低的一帧",
                                                                "最差的那一帧", "帧里最低", "最低的那个分数", "每一帧都", "every single frame",
                                                                "every frame has to", "every frame must"]}))


def flip_field(direction: str) -> Any:
    zh = "水平翻转" if direction == "horizontal" else "垂直翻转"
    return Field(False, description=f"Also flip frames ({direction}) before scoring.",
                 json_schema_extra=meta("flag", cues={"true": [f"{direction} flip", zh]}))


def model_field(default: str, what: str) -> Any:
    return Field(default, description=f"{what} (a local path; nothing is downloaded).",
                 json_schema_extra=meta("path"))


def compat_flag(description: str = "Accepted for compatibility; unused.") -> Any:
    return Field(False, description=description, json_schema_extra=meta("flag"))
