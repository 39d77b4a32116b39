"""Video filters without a model: duration, resolution, aspect ratio and motion score
(Data-Juicer 1.4.3 semantics, `shared/specs/op-semantics-media.md`).

One stat value per video entry of the sample (motion: computed once per distinct path); `any_or_all`
decides for several; a sample without videos is kept. A video that cannot be read (missing file, no
video stream, no stored duration) drops its sample, as upstream's skipped op error does: its stat is
stored as None.
"""
from __future__ import annotations

import sys
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from sandbox_engine.errors import DataFormatError
from sandbox_engine.fields import STATS
from sandbox_engine.op_errors import OP_ERRORS
from sandbox_engine.ops.base import MAXSIZE, AnyOrAll, Batch, Filter, FilterArgs, column, ensure_stats, register_op
from sandbox_engine.ops.media_fields import any_or_all_field, bound_field, meta, num_field
from sandbox_engine.ops.video_io import duration_fraction, open_video, video_stream


class VideoFilter(Filter):
    """A filter with one list of values per sample (per video entry), reduced by any_or_all.
    Subclasses implement `values(paths)` (one value per entry, or raise DataFormatError) and
    `keep_value(value)`."""

    modality = "video"
    media_key_arg: ClassVar[str] = "video_key"

    def values(self, paths: list[str]) -> list[Any]:
        raise NotImplementedError

    def keep_value(self, value: Any) -> bool:
        raise NotImplementedError

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        media = column(batch, getattr(self.args, self.media_key_arg))
        errors: list | None = None
        for i in self.missing_rows(stats):
            try:
                vals = self.values(list(media[i] or []))
            except DataFormatError as err:
                vals = None  # upstream: the op error drops the sample (counted, see op_errors)
                errors = errors or [None] * len(stats)
                errors[i] = str(err)
            if isinstance(vals, dict):
                stats[i].update(vals)
            else:
                for key in self.stats_keys:
                    stats[i][key] = vals
        if errors:
            batch[OP_ERRORS] = errors
        return batch

    def row_flags(self, s: dict) -> list[bool] | None:
        vals = s[self.stats_keys[0]]
        return None if vals is None else [self.keep_value(v) for v in vals]

    def process_batched(self, batch: Batch) -> list[bool]:
        out = []
        for s in batch[STATS]:
            flags = self.row_flags(s)
            if flags is None:
                out.append(False)
            elif not flags:
                out.append(True)
            else:
                out.append(any(flags) if self.args.any_or_all == "any" else all(flags))
        return out


# -- video_duration_filter ------------------------------------------------------------------------------

class VideoDurationArgs(FilterArgs):
    min_duration: float = bound_field(0, "seconds", "min", "Minimum video duration in seconds.")
    max_duration: float = bound_field(MAXSIZE, "seconds", "max", "Maximum video duration in seconds.")
    any_or_all: AnyOrAll = any_or_all_field()


@register_op
class VideoDurationFilter(VideoFilter):
    name = "video_duration_filter"
    Args = VideoDurationArgs
    stats_keys = ("video_duration",)
    description = ("Keeps samples whose videos last between min_duration and max_duration seconds. The "
                   "duration is the video stream's, rounded to whole seconds (half to even) as "
                   "Data-Juicer stores it, so 2.5 s counts as 2. Clips too short to show an action or "
                   "too long for the model's context are dropped; a sample without videos is kept.")
    example = "video_duration_filter: {min_duration: 2, max_duration: 60}  # a 1-second clip is dropped"
    requests = ("drop clips shorter than 2 seconds", "keep videos between 3 and 30 seconds long",
                "remove videos longer than one minute", "filter out very short video clips",
                "删除时长少于2秒的视频", "只保留时长在3到30秒之间的视频", "去掉超过一分钟的长视频",
                "过滤掉太短的视频片段")
    situations = (
        "many uploads are accidental pocket recordings that end almost as soon as they start",
        "full livestream replays last for hours and don't suit our clip-based model, skip them",
        "很多上传是误触录下的，才开始就结束了",
        "整场直播回放动辄好几个小时，片段模型用不了，直接不要",
        "the dashcam folder is littered with blips saved the instant the engine started, they stop before "
        "anything happens",
        "our action-recognition model has to see a whole gesture, yet tons of these snippets are over before "
        "anyone finishes moving",
        "someone dumped uncut feature films and full-day conference sessions into a set meant for bite-sized "
        "clips; they're far too lengthy for the model's context and we'd rather go without them than chop them up",
        "行车记录仪里一堆刚点火就自动存下的碎片，一眨眼就没了，什么都没拍到",
        "动作识别要看到完整的动作过程，可不少短视频短得连一个动作都放不完",
        "有人把整部电影和全天会议录像也塞了进来，时长冗长得离谱，模型上下文装不下，宁可不要也不想切开",
        "failed uploads left broken stubs that last only a fraction of a second and play nothing",
        "上传中断留下了很多只有零点几秒的残缺视频，什么内容都播不出来",
    )

    def values(self, paths: list[str]) -> list[int]:
        out = []
        for p in paths:
            with open_video(p) as c:
                out.append(round(duration_fraction(c, p)))
        return out

    def keep_value(self, v: Any) -> bool:
        return self.keep(v, self.args.min_duration, self.args.max_duration)


# -- video_resolution_filter ----------------------------------------------------------------------------

class VideoResolutionArgs(FilterArgs):
    min_width: int = bound_field(1, "pixels", "min", "Minimum video width in pixels.")
    max_width: int = bound_field(MAXSIZE, "pixels", "max", "Maximum video width in pixels.")
    min_height: int = bound_field(1, "pixels", "min", "Minimum video height in pixels.")
    max_height: int = bound_field(MAXSIZE, "pixels", "max", "Maximum video height in pixels.")
    any_or_all: AnyOrAll = any_or_all_field()


def coded_size(path: str) -> tuple[int, int]:
    with open_video(path) as c:
        cc = video_stream(c, path).codec_context
        return cc.width, cc.height


@register_op
class VideoResolutionFilter(VideoFilter):
    name = "video_resolution_filter"
    Args = VideoResolutionArgs
    stats_keys = ("video_width", "video_height")
    description = ("Keeps samples whose videos have a width and a height (the coded frame size, in "
                   "pixels) within the given ranges; both must pass. Low-resolution clips teach a video "
                   "model blur; a sample without videos is kept.")
    example = "video_resolution_filter: {min_width: 320, min_height: 240}  # a 160x120 clip is dropped"
    requests = ("drop videos narrower than 640 pixels", "keep videos at least 720 pixels high",
                "remove low resolution videos below 320x240 pixels", "only keep clips up to 1920 pixels wide",
                "删除宽度小于640像素的视频", "只保留高度至少720像素的视频", "去掉分辨率低于320x240像素的视频",
                "保留宽度不超过1920像素的视频")
    situations = (
        "grainy low-res uploads from old phones teach the model blur, leave them out",
        "some clips are postage-stamp sized surveillance feeds that aren't worth keeping",
        "老手机拍的低清视频满是马赛克，直接不要",
        "有些监控画面小得像邮票，不值得保留",
        "a chunk of the crawl is thumbnail-sized preview renders that turn into blocky smears once blown up",
        "the super-resolution model needs crisp high-definition targets; standard-definition footage with too few "
        "pixels would only poison the ground truth",
        "a few cinema-grade masters have gigantic frame dimensions our decoder chokes on, and we'd rather exclude "
        "those files than spend time shrinking them",
        "爬下来的视频里混着大量缩略预览版，画面尺寸小得可怜，一放大全是糊成一团的像素块",
        "超分模型要的是清晰的高清目标画面，像素太少的标清老片只会拉低训练效果",
        "有几份影院级母带帧尺寸巨大，解码器直接吃不消，与其费劲缩小不如整条不要",
    )

    def values(self, paths: list[str]) -> dict[str, list[int]]:
        sizes = [coded_size(p) for p in paths]
        return {"video_width": [w for w, _ in sizes], "video_height": [h for _, h in sizes]}

    def row_flags(self, s: dict) -> list[bool] | None:
        ws, hs = s["video_width"], s["video_height"]
        if ws is None or hs is None:
            return None
        a = self.args
        return [self.keep(w, a.min_width, a.max_width) and self.keep(h, a.min_height, a.max_height)
                for w, h in zip(ws, hs)]


# -- video_aspect_ratio_filter --------------------------------------------------------------------------

def parse_ratio(value: str | float, op: str, arg: str) -> Fraction:
    from sandbox_engine.errors import OpArgumentError

    try:
        if isinstance(value, str):
            return Fraction(value.replace(":", "/"))
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise OpArgumentError(f"operator {op!r}: argument {arg!r} = {value!r} is not a ratio; write "
                              f"'W/H' or 'W:H' such as '9/21' or '16:9', or a number") from None


class VideoAspectRatioArgs(FilterArgs):
    min_ratio: str = Field("9/21", description="Minimum width/height, as 'W/H' or 'W:H'.",
                           json_schema_extra=meta("aspect_ratio", "min"))
    max_ratio: str = Field("21/9", description="Maximum width/height, as 'W/H' or 'W:H'.",
                           json_schema_extra=meta("aspect_ratio", "max"))
    any_or_all: AnyOrAll = any_or_all_field()


@register_op
class VideoAspectRatioFilter(VideoFilter):
    name = "video_aspect_ratio_filter"
    Args = VideoAspectRatioArgs
    stats_keys = ("video_aspect_ratios",)
    description = ("Keeps samples whose videos have an aspect ratio (width / height of the coded frame) "
                   "within [min_ratio, max_ratio], written as fractions like '9/21' or '16:9'. Ultra-wide "
                   "or tall strips crop badly; a sample without videos is kept.")
    example = "video_aspect_ratio_filter: {min_ratio: '9/16', max_ratio: '16/9'}  # a 3:1 strip is dropped"
    requests = ("keep videos with an aspect ratio between 9:16 and 16:9", "drop ultra-wide videos",
                "remove videos whose width/height ratio is above 21/9", "only keep landscape videos",
                "只保留宽高比在9:16到16:9之间的视频", "删除超宽的视频", "去掉宽高比大于21/9的视频",
                "只保留横屏视频")
    situations = (
        "the mix includes vertical phone recordings but our player is widescreen only, skip those",
        "some movie trailers are in extreme cinemascope that our model can't crop sensibly, leave them out",
        "混进了很多手机竖拍的视频，我们的播放器只支持横屏，不要这些",
        "有些电影预告片是超宽银幕格式，裁切后画面不完整，直接不用",
        "some screen recordings are weird skinny strips, like a single scrolling sidebar, and look absurd once "
        "center-cropped",
        "the sweeps from our panorama rig come out as long thin bands, those oddly proportioned files don't "
        "belong in the set",
        "the front-and-rear dashcam exports put both views side by side, so the frame is ridiculously wide; we "
        "have no use for footage shaped like that",
        "有些录屏是细细长长的一条，比如只录了侧边栏，按正方形一裁就没法看",
        "全景相机导出的视频又扁又长像一条带子，画面比例太怪，不想放进数据集",
        "前后双摄并排拼在一起的行车记录仪画面宽得离谱，这种形状的视频我们用不上",
    )

    def setup(self) -> None:
        self.lo = parse_ratio(self.args.min_ratio, self.name, "min_ratio")
        self.hi = parse_ratio(self.args.max_ratio, self.name, "max_ratio")

    def values(self, paths: list[str]) -> list[float]:
        return [w / h for w, h in (coded_size(p) for p in paths)]

    def keep_value(self, v: Any) -> bool:
        return self.keep(v, self.lo, self.hi)


# -- video_motion_score_filter --------------------------------------------------------------------------

FARNEBACK = dict(pyr_scale=0.5, levels=3, winsize=15, iterations=3, poly_n=5, poly_sigma=1.2, flags=0)


class VideoMotionArgs(FilterArgs):
    min_score: float = bound_field(0.25, "score", "min", "Minimum mean optical-flow magnitude "
                                   "(pixels per sampled frame pair, or a fraction of the diagonal if relative).")
    max_score: float = bound_field(sys.float_info.max, "score", "max", "Maximum motion score.")
    sampling_fps: float = num_field(2, "fps", "Frames per second sampled for the optical flow.", gt=0)
    size: int | tuple[int, int] | list[int] | None = num_field(
        None, "pixels", "Resize frames first: the short side becomes this (or (a, b)).")
    max_size: int | None = num_field(None, "pixels", "Cap on the long side after resizing.")
    divisible: int = num_field(1, "number", "Resized sides are floored to a multiple of this.", ge=1)
    relative: bool = Field(False, description="Divide each flow magnitude by the frame diagonal.",
                           json_schema_extra=meta("flag", cues={"true": ["relative motion", "fraction of the frame diagonal",
                                                                "relative to the frame diagonal", "相对运动", "除以画面对角线"]}))
    any_or_all: AnyOrAll = any_or_all_field()


def farneback(params: dict):
    import cv2

    return lambda prev_bgr, bgr, prev_gray, gray: cv2.calcOpticalFlowFarneback(prev_gray, gray, None,
                                                                               **params)


def motion_score(path: str, args: Any, flow_fn) -> float:
    """Data-Juicer's motion score of one video with OpenCV (sampling, resize quirks and all): the mean
    over sampled frame pairs of the mean flow magnitude; -1 when no pair could be formed."""
    import cv2
    import numpy as np

    from sandbox_engine.ops.video_io import calculate_resized_dimensions

    cap = cv2.VideoCapture(path)
    try:
        if not cap.isOpened():
            return -1.0
        fps = cap.get(cv2.CAP_PROP_FPS)
        total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
        step = round(fps / min(args.sampling_fps, fps)) if fps > 0 else 1
        step = max(min(step, total - 1), 1)
        scores: list = []
        prev = prev_bgr = None
        count = 0
        while cap.isOpened():
            ok, frame = cap.read()
            if not ok:
                break
            h, w = frame.shape[:2]
            new = calculate_resized_dimensions((h, w), args.size, args.max_size, args.divisible)
            if new != (h, w):
                # upstream passes (h', w') where OpenCV reads (width, height): kept for equal scores
                frame = cv2.resize(frame, new, interpolation=cv2.INTER_AREA)
            gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            if prev is None:
                prev, prev_bgr = gray, frame
                continue
            flow = flow_fn(prev_bgr, frame, prev, gray)
            mag, _ = cv2.cartToPolar(flow[..., 0], flow[..., 1])
            score = np.mean(mag)
            if args.relative:
                score = score / np.hypot(*flow.shape[:2])
            scores.append(score)
            prev, prev_bgr = gray, frame
            count += step
            cap.set(cv2.CAP_PROP_POS_FRAMES, count)
        return float(np.mean(scores)) if scores else -1.0
    finally:
        cap.release()


@register_op
class VideoMotionScoreFilter(VideoFilter):
    name = "video_motion_score_filter"
    Args = VideoMotionArgs
    stats_keys = ("video_motion_score",)
    description = ("Keeps samples whose videos move enough (or not too much): the motion score is the "
                   "mean Farneback optical-flow magnitude between frames sampled at sampling_fps, in "
                   "pixels (or a fraction of the frame diagonal with relative). Still images posing as "
                   "video score near 0; unreadable videos score -1. A sample without videos is kept.")
    example = "video_motion_score_filter: {min_score: 0.5}  # a static slideshow clip is dropped"
    requests = ("drop static videos with almost no motion", "keep clips with a motion score above 0.5",
                "remove videos where nothing moves", "filter out videos with too much camera shake",
                "删除几乎没有运动的静态视频", "保留运动分数高于0.5的视频片段", "去掉画面完全不动的视频",
                "过滤掉抖动过于剧烈的视频")
    situations = (
        "most of the CCTV clips barely change from frame to frame",
        "a lot of the 'videos' are just a single still image with music over it",
        "监控录像很多片段画面基本不动",
        "不少所谓的视频其实就是一张静态图配音乐",
        "a lot of the clips are a paused game screen or a frozen buffering frame for their entire length",
        "the text-to-video model keeps producing near-frozen output because the training pool is packed with "
        "talking heads that hardly budge, and we only have a plain CPU box to sort it out",
        "some handheld footage was shot while running, the picture whips around so violently that every frame is "
        "smeared",
        "好多片段从头到尾都是定格的游戏暂停画面或者卡住的缓冲画面，一帧都没变",
        "文生视频模型老是生成几乎静止的画面，训练集里全是纹丝不动的素材，手头只有一台没显卡的普通服务器",
        "有的是边跑边拍的手持视频，镜头甩来甩去晃得厉害，每一帧都是拖影",
    )

    def setup(self) -> None:
        self.flow = farneback(dict(FARNEBACK))

    def values(self, paths: list[str]) -> list[float]:
        scores: dict[str, float] = {}
        for p in dict.fromkeys(paths):
            scores[p] = motion_score(p, self.args, self.flow)
        return [scores[p] for p in paths]

    def keep_value(self, v: Any) -> bool:
        return self.keep(v, self.args.min_score, self.args.max_score)
