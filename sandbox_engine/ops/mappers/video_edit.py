"""Video mappers that rewrite each video into a new file: resize (aspect ratio, resolution), any ffmpeg
filter, face blur, watermark removal; and frame extraction (Data-Juicer 1.4.3 semantics).

New files are named ``{stem}__dj_hash_#H#{ext}`` (save_dir, else $DJ_PRODUCED_DATA_DIR/<op>, else
__dj__produced_data__/<op> beside the source); the sample's paths are replaced and the originals recorded
in __dj__source_file__ when it is absent. As upstream, ffmpeg-based ops map only the video stream (audio is
dropped) and frame-by-frame ops do not carry audio over. An unreadable video drops its sample.
"""
from __future__ import annotations

import json
import math
import os
import re
from fractions import Fraction
from typing import Any, Literal

from pydantic import Field

from sandbox_engine.errors import DataFormatError
from sandbox_engine.fields import META, SOURCE_FILE
from sandbox_engine.ops.base import MAXSIZE, Batch, Mapper, OpArgs, column, register_op
from sandbox_engine.ops.filters.image_faces import (cascade_path, detect_faces, detect_kwargs,
                                                    load_cascade)
from sandbox_engine.ops.filters.video_basic import coded_size, parse_ratio
from sandbox_engine.ops.mappers.image_blur import BLUR_CUES, BlurType, blur_boxes, blur_filter
from sandbox_engine.ops.media_fields import (frame_num_field, meta, num_field, sampling_field,
                                             save_dir_field)
from sandbox_engine.ops.video_io import (VIDEO_TOKEN, ffmpeg_filter, frames_uniformly, open_video,
                                         params_hash, process_each_frame, sample_frames, transfer_filename)


class VideoRewriter(Mapper):
    """Rewrites each distinct video of a sample with `rewrite(path) -> new path` (the same path when
    nothing changes)."""

    modality = "video"
    media_arg = "video_key"
    drop_on_error = True

    def rewrite(self, path: str) -> str:
        raise NotImplementedError

    def new_path(self, path: str, ext: str | None = None) -> str:
        return transfer_filename(path, self.name, self.args.model_dump(), getattr(self.args, "save_dir", None),
                                 ext=ext)

    def process_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        key = getattr(self.args, self.media_arg)
        if key not in batch:
            return batch
        keep, new_col = [], []
        sources = list(column(batch, SOURCE_FILE))
        for i, paths in enumerate(batch[key]):
            paths = list(paths or [])
            try:
                done = {p: self.rewrite(p) for p in dict.fromkeys(paths)}
            except DataFormatError:
                if not self.drop_on_error:
                    raise
                keep.append(False)
                new_col.append(paths)
                continue
            keep.append(True)
            new_paths = [done[p] for p in paths]
            if new_paths != paths and not sources[i]:
                sources[i] = paths
            new_col.append(new_paths)
        batch[key] = new_col
        if any(s is not None for s in sources):
            batch[SOURCE_FILE] = sources
        if not all(keep):
            batch = {k: [v for v, ok in zip(col, keep) if ok] for k, col in batch.items()}
        return batch


# -- resize ----------------------------------------------------------------------------------------------------

def even_up(x: int) -> int:
    return x + x % 2


def even_down(x: int) -> int:
    return x - x % 2


def rescale_to_ratio(w: int, h: int, lo: Fraction, hi: Fraction, strategy: str) -> tuple[int, int]:
    r = Fraction(w, h)
    if r < lo:
        if strategy == "increase":
            w = even_up(math.ceil(h * lo))
        else:
            h = even_down(math.floor(w / lo))
    elif r > hi:
        if strategy == "increase":
            h = even_up(math.ceil(w / hi))
        else:
            w = even_down(math.floor(h * hi))
    return max(w, 2), max(h, 2)


class ResizeAspectArgs(OpArgs):
    min_ratio: str = Field("9/21", description="Smallest width/height allowed, as 'W/H' or 'W:H'.",
                           json_schema_extra=meta("aspect_ratio"))
    max_ratio: str = Field("21/9", description="Largest width/height allowed, as 'W/H' or 'W:H'.",
                           json_schema_extra=meta("aspect_ratio"))
    strategy: Literal["increase", "decrease"] = Field(
        "increase", description="Fix an out-of-range ratio by enlarging or by shrinking one side.",
        json_schema_extra=meta("choice", cues={"increase": ["enlarge", "pad up", "放大", "by widening", "by making it taller",
                                                            "加宽", "加高", "增大宽度", "增大高度", "增加宽度", "增加高度", "补边"],
                                                "decrease": ["shrink", "crop down", "缩小", "by reducing the height",
                                                             "by reducing the width", "减小高度", "减小宽度", "降低高度", "缩减", "裁窄", "缩窄",
                                                             "不要加宽", "don't widen"]}))
    save_dir: str | None = save_dir_field()


@register_op
class VideoResizeAspectRatioMapper(VideoRewriter):
    name = "video_resize_aspect_ratio_mapper"
    Args = ResizeAspectArgs
    description = ("Rescales videos whose aspect ratio (width/height) is outside [min_ratio, max_ratio] "
                   "to the nearest bound, by enlarging (increase) or shrinking (decrease) one side to an "
                   "even number of pixels, with ffmpeg's scale filter; other videos are untouched.")
    example = "video_resize_aspect_ratio_mapper: {min_ratio: '9/16', max_ratio: '16/9', strategy: increase}"
    requests = ("stretch videos so their aspect ratio is between 9:16 and 16:9",
                "resize ultra-wide videos to at most 21:9", "fix the aspect ratio of videos by shrinking one side",
                "把视频的宽高比调整到9:16和16:9之间", "把超宽视频缩放到不超过21:9", "通过缩小一边来修正视频的宽高比", "比3:4还瘦长的视频，把比例拉回到3:4",
                "比例太窄的视频，把宽度补到16:9",
                "太扁的视频把高度加上去，加到2:1")
    situations = (
        "the vertical phone clips should be reshaped to fit our landscape player instead of being thrown away",
        "keep the ultra-wide trailers but squeeze them into a more usual frame shape",
        "竖屏拍的短视频别删，把画面比例拉成能在横屏播放器里用的",
        "超宽的预告片保留下来，把画幅调整成常规比例",
        "split-screen reaction videos glued side by side come out absurdly wide, the downstream model only takes "
        "conventional frame shapes, and we can't afford to lose any of them",
        "the encoder crashes on extremely tall, skinny screen captures; their proportions should come back into a "
        "normal range while every sample stays",
        "a mix of cinemascope and portrait clips should all end up within a sane width-to-height band, stretched "
        "or squashed as needed, nothing dropped",
        "左右分屏拼起来的reaction视频宽得离谱，下游只认常规画幅，但素材一条都不能少",
        "有些录屏又细又长，编码器一处理就报错，想把画面比例拉回正常范围，样本全都保留",
        "横的竖的各种比例的视频混在一起，都得规整到合理的画幅里，一个也别删",
    )

    def setup(self) -> None:
        self.lo = parse_ratio(self.args.min_ratio, self.name, "min_ratio")
        self.hi = parse_ratio(self.args.max_ratio, self.name, "max_ratio")

    def rewrite(self, path: str) -> str:
        w, h = coded_size(path)
        nw, nh = rescale_to_ratio(w, h, self.lo, self.hi, self.args.strategy)
        if (nw, nh) == (w, h):
            return path
        dst = self.new_path(path)
        ffmpeg_filter(path, dst, "scale", args=(nw, nh))
        return dst


class ResizeResolutionArgs(OpArgs):
    min_width: int = num_field(1, "pixels", "Smallest width allowed.", ge=1)
    max_width: int = num_field(MAXSIZE, "pixels", "Largest width allowed.", ge=1)
    min_height: int = num_field(1, "pixels", "Smallest height allowed.", ge=1)
    max_height: int = num_field(MAXSIZE, "pixels", "Largest height allowed.", ge=1)
    force_original_aspect_ratio: Literal["disable", "decrease", "increase"] = Field(
        "disable", description="ffmpeg's force_original_aspect_ratio for the scale.",
        json_schema_extra=meta("choice", cues={"disable": ["stretch", "拉伸"],
                                                "decrease": ["keep aspect ratio and fit inside", "保持比例缩小",
                                                             "shrink the other side", "scale the other side down",
                                                             "fit inside the box", "另一边等比缩小", "等比缩小",
                                                             "shrink keep aspect ratio", "decreasing the other side",
                                                             "往小了缩", "往小缩", "keeping the aspect ratio",
                                                             "keep the aspect ratio", "保持宽高比", "保持原比例", "保持比例",
                                                             "保持原来的比例", "等比例"],
                                                "increase": ["keep aspect ratio and cover", "保持比例放大",
                                                             "enlarge the other side", "scale the other side up",
                                                             "cover the whole box", "另一边等比放大", "等比放大",
                                                             "enlarge keep aspect ratio", "increasing the other side",
                                                             "growing the other side", "grow the other side",
                                                             "rather than shrinking", "另一边放大", "往大了放"]}))
    force_divisible_by: int = num_field(2, "number", "Sides become multiples of this (even, > 1).", ge=1)
    save_dir: str | None = save_dir_field()


@register_op
class VideoResizeResolutionMapper(VideoRewriter):
    name = "video_resize_resolution_mapper"
    Args = ResizeResolutionArgs
    description = ("Rescales videos whose width or height is outside the given ranges into them, keeping "
                   "the aspect ratio while it can, sides multiples of force_divisible_by (ffmpeg scale); "
                   "videos already in range are untouched.")
    example = "video_resize_resolution_mapper: {max_width: 640, max_height: 480}  # 1280x720 becomes 640x360"
    requests = ("downscale videos larger than 1280x720", "resize every video to at most 640 pixels wide",
                "upscale videos smaller than 256 pixels high", "把大于1280x720的视频缩小",
                "把所有视频缩放到宽度不超过640像素", "把高度小于256像素的视频放大")
    situations = (
        "the ultra-HD drone footage is too heavy for training, shrink the frames but keep every clip",
        "our old webcam clips are tiny, scale them up so they match the rest of the set",
        "超高清航拍素材太大了，训练吃不消，缩小画面尺寸但一条都别删",
        "老摄像头录的视频画面太小，放大到跟其他素材一致",
        "the huge action-cam exports make every epoch crawl because decoding such big frames is slow; all clips "
        "stay, just lighter",
        "a few livestream captures exceed the largest frame size the model's input pipeline accepts, and "
        "discarding them isn't an option",
        "the CCTV archive has tiny frames the detector can hardly read; bigger pictures would help, and not one "
        "recording may be removed",
        "运动相机导出的视频画面尺寸太大，解码拖慢了每一轮训练，素材都得留着，只是要变轻",
        "有几段直播录屏的画面尺寸超出了模型输入的上限，又不能扔",
        "监控存档的画面尺寸很小，检测模型看不清，想要大一点的画面，但一段都不删",
    )

    def setup(self) -> None:
        a = self.args
        if a.force_original_aspect_ratio != "disable" and (a.force_divisible_by <= 1 or
                                                           a.force_divisible_by % 2):
            raise self.bad_arg("force_divisible_by", a.force_divisible_by,
                               "it must be an even number greater than 1 unless "
                               "force_original_aspect_ratio is 'disable'")

    def target(self, w: int, h: int) -> tuple[int, int] | None:
        a = self.args
        if a.min_width <= w <= a.max_width and a.min_height <= h <= a.max_height:
            return None
        r = w / h
        fw, fh = float(w), float(h)
        if fw < a.min_width:
            fw, fh = a.min_width, a.min_width / r
        if fw > a.max_width:
            fw, fh = a.max_width, a.max_width / r
        if fh < a.min_height:
            fw, fh = a.min_height * r, a.min_height
        if fh > a.max_height:
            fw, fh = a.max_height * r, a.max_height
        d = 2 if a.force_original_aspect_ratio == "disable" else a.force_divisible_by

        def side(x: float, lo: int, hi: int) -> int:
            x = int(max(x, lo))
            x = math.ceil(x / d) * d
            x = min(x, hi)
            return x // d * d

        return side(fw, a.min_width, a.max_width), side(fh, a.min_height, a.max_height)

    def rewrite(self, path: str) -> str:
        w, h = coded_size(path)
        t = self.target(w, h)
        if t is None:
            return path
        a = self.args
        dst = self.new_path(path)
        kw: dict[str, Any] = {}
        if a.force_original_aspect_ratio != "disable":
            kw = {"force_original_aspect_ratio": a.force_original_aspect_ratio,
                  "force_divisible_by": a.force_divisible_by}
        ffmpeg_filter(path, dst, "scale", kwargs=kw, args=t)
        return dst


# -- ffmpeg wrapper ---------------------------------------------------------------------------------------------

class FfmpegWrappedArgs(OpArgs):
    filter_name: str | None = Field(None, description="An ffmpeg filter name, e.g. 'scale', 'hflip', "
                                    "'fps' (None: no change).", json_schema_extra=meta("text"))
    filter_kwargs: dict | None = Field(None, description="The filter's options, e.g. {w: 320, h: 240}.",
                                       json_schema_extra=meta("values"))
    global_args: list[str] | None = Field(None, description="Extra ffmpeg output arguments.",
                                          json_schema_extra=meta("values"))
    capture_stderr: bool = Field(True, description="Accepted for compatibility (stderr is always "
                                 "captured into the error message).", json_schema_extra=meta("flag"))
    overwrite_output: bool = Field(True, description="Accepted for compatibility (outputs are new files).",
                                   json_schema_extra=meta("flag"))
    save_dir: str | None = save_dir_field()


class _FfmpegWrapped(VideoRewriter):
    def setup(self) -> None:
        if self.args.filter_name and self.args.filter_kwargs is None:
            raise self.bad_arg("filter_kwargs", None, "give the filter's options as a mapping "
                               "(e.g. {w: 320, h: 240}); Data-Juicer fails on every sample without them")

    def rewrite(self, path: str) -> str:
        a = self.args
        if not a.filter_name:
            return path
        if not os.path.exists(path):
            raise DataFormatError(f"{path!r} does not exist")
        dst = self.new_path(path)
        ffmpeg_filter(path, dst, a.filter_name, kwargs=a.filter_kwargs, global_args=a.global_args or ())
        return dst


@register_op
class VideoFfmpegWrappedMapper(_FfmpegWrapped):
    name = "video_ffmpeg_wrapped_mapper"
    Args = FfmpegWrappedArgs
    description = ("Runs any ffmpeg filter (filter_name with filter_kwargs, e.g. scale, fps, hflip, crop) "
                   "on each video into a new file; only the filtered video stream is kept. Without "
                   "filter_name nothing changes.")
    example = "video_ffmpeg_wrapped_mapper: {filter_name: scale, filter_kwargs: {width: 320, height: 240}}"
    requests = ("run the ffmpeg scale filter on the videos", "apply an ffmpeg hflip filter to every video",
                "change the video frame rate to 10 fps with ffmpeg", "用ffmpeg的scale滤镜处理视频",
                "对每个视频应用ffmpeg水平翻转滤镜", "用ffmpeg把视频帧率改成10帧每秒")
    situations = (
        "all the webcam recordings are mirrored left to right, flip them back",
        "the recordings have black bars around the picture, crop them off",
        "摄像头录的视频左右是反的，要翻转回来",
        "录像四周有黑边，把黑边裁掉",
        "half the phone videos play sideways because the orientation flag got lost, people's heads point to the left",
        "the archived TV captures show comb-like jagged lines on every moving edge, classic interlaced broadcast "
        "material",
        "the factory-line recordings drag on and should play much faster for the timelapse model, and none may be "
        "thrown away",
        "吸顶安装的摄像头装反了，录出来的画面整个上下颠倒",
        "老电视录像一动起来边缘全是梳齿状的横纹，典型的隔行扫描素材",
        "监控录像节奏太慢，想让它像快进一样播放，但每段都要留着",
        "the transfers of old film reels pulse in brightness from frame to frame, a flicker that should be evened out without dropping any reel",
        "a restoration model learns from monochrome input, but every clip we have is in colour",
        "老胶片转出来的视频亮度一闪一闪、忽明忽暗，想把画面稳住，一段都不能删",
        "修复模型只吃黑白画面，可我们手里的素材全是彩色的",
    )


# -- face blur -----------------------------------------------------------------------------------------------------

class VideoFaceBlurArgs(OpArgs):
    model_config = {**OpArgs.model_config, "extra": "allow"}

    cv_classifier: str = Field("", description="OpenCV Haar cascade XML ('' = the frontal-face cascade "
                                               "shipped with OpenCV).", json_schema_extra=meta("path"))
    blur_type: BlurType = Field("gaussian", description="gaussian, box or mean blur.",
                                json_schema_extra=meta("choice", cues=BLUR_CUES))
    radius: float = num_field(2, "pixels", "Blur radius in pixels.", ge=0)
    save_dir: str | None = save_dir_field()


@register_op
class VideoFaceBlurMapper(VideoRewriter):
    name = "video_face_blur_mapper"
    Args = VideoFaceBlurArgs
    description = ("Finds faces in every frame with OpenCV's Haar cascade and blurs them, re-encoding the "
                   "video into a new file (audio is not carried over); a video with no face anywhere is "
                   "left as it is.")
    example = "video_face_blur_mapper: {blur_type: gaussian, radius: 6}"
    requests = ("blur faces in the videos", "anonymize people in video clips", "blur every face in each frame",
                "把视频中的人脸模糊掉", "给视频片段里的人打码", "对每一帧中的人脸做模糊处理",
                "people in the footage must not be identifiable",
                "protect the privacy of bystanders filmed in the clips",
                "视频里拍到的路人要打码，保护隐私", "让视频中的人脸无法被识别出来")
    situations = (
        "the CCTV footage we're releasing shows shoppers' faces clearly",
        "dashcam videos capture pedestrians at crossings, hide who they are before publishing",
        "要公开的商场监控录像里顾客的脸拍得很清楚",
        "行车记录仪拍到路口行人的正脸，发布前得让人认不出来",
        "the classroom recordings show the students' faces and their parents never signed a release, yet the "
        "lesson footage itself has to stay in the dataset",
        "the GDPR review flagged that passers-by in our street vlogs are recognizable",
        "the hospital hallway videos capture patients' faces; legal says the clips are usable only if nobody can "
        "be identified",
        "课堂录像里学生的脸拍得清清楚楚，家长没签授权，但课程视频本身得保留",
        "医院走廊的视频拍到了病人的正脸，法务说只有认不出是谁才能用",
        "街拍vlog里路过的人一个个都能认出来，合规审查没通过",
    )

    def setup(self) -> None:
        self.classifier = load_cascade(cascade_path(self.args.cv_classifier, self.name))
        self.kwargs = detect_kwargs(self.args.model_extra)
        self.filter = blur_filter(self.args.blur_type, self.args.radius)

    def rewrite(self, path: str) -> str:
        import av

        def blur(frame):
            im = frame.to_image()
            boxes = detect_faces(im, self.classifier, self.kwargs)
            if not boxes:
                return frame
            return av.VideoFrame.from_image(blur_boxes(im, boxes, self.filter))

        return process_each_frame(path, self.new_path(path), blur)


# -- watermark removal --------------------------------------------------------------------------------------------

_ROI = re.compile(r"^\s*[\(\[]?\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*[\)\]]?\s*$")


class RemoveWatermarkArgs(OpArgs):
    roi_strings: list[str] = Field(["0,0,0.1,0.1"], description="Regions 'x1,y1,x2,y2' where the watermark "
                                   "may be.", json_schema_extra=meta("region"))
    roi_type: Literal["ratio", "pixel"] = Field("ratio", description="ROI values as fractions or pixels.",
                                                json_schema_extra=meta("choice", cues={
                                                    "ratio": ["fractions of the frame", "比例"],
                                                    "pixel": ["pixel coordinates", "pixel positions", "in pixels", "像素坐标",
                                                              "像素位置"]}))
    roi_key: str | None = Field(None, description="Field holding per-sample ROIs (pixel mode).",
                                json_schema_extra=meta("field"))
    frame_num: int = frame_num_field(10)
    min_frame_threshold: int = num_field(7, "frames", "Frames a pixel must be marked in.", ge=1)
    detection_method: Literal["pixel_value", "pixel_diversity"] = Field(
        "pixel_value", description="Otsu on pixel values per frame, or on low diversity across frames.",
        json_schema_extra=meta("choice", cues={"pixel_value": ["bright logo", "像素值"],
                                                "pixel_diversity": ["static overlay", "像素多样性"]}))
    save_dir: str | None = save_dir_field()


@register_op
class VideoRemoveWatermarkMapper(VideoRewriter):
    name = "video_remove_watermark_mapper"
    Args = RemoveWatermarkArgs
    description = ("Removes a static watermark or logo inside given regions: a mask is found from "
                   "frame_num sampled frames (Otsu on pixel values, or low pixel diversity across "
                   "frames), dilated, and every frame is inpainted (OpenCV Navier-Stokes) into a new file.")
    example = "video_remove_watermark_mapper: {roi_strings: ['0.8,0,1,0.1']}  # a top-right logo is removed"
    requests = ("remove the watermark in the top left corner of the videos", "erase logos from video clips",
                "inpaint away a static station logo", "去掉视频左上角的水印", "擦除视频片段中的台标",
                "用修复算法去掉静止的logo")
    situations = (
        "the footage is great but has the broadcaster's logo in a corner, clean it out and keep the clips",
        "we can't afford to lose these drone videos, just get rid of the brand mark that sits in the same spot",
        "素材很好但右上角有台标，想把标去掉，视频保留",
        "这批航拍视频不能丢，只把固定位置的logo抹掉",
        "every episode of the cooking show has the channel bug burned into the same corner, and the footage is "
        "too valuable to discard",
        "the capture software stamped its small brand badge at a fixed spot on all our gameplay recordings, we "
        "want a clean picture and every clip kept",
        "the training clips are fine apart from a semi-transparent studio emblem at the top edge, which a "
        "generator trained on them would learn to copy",
        "每集烹饪节目同一个角落都压着频道角标，素材太珍贵舍不得扔",
        "录屏软件在所有游戏录像的固定位置都打了个小标志，想要干净画面，片子一条不少",
        "片子都挺好，就是顶部有个半透明的工作室标识，直接拿去训练生成模型会学着画出来",
    )

    def setup(self) -> None:
        self.rois = [self.parse_roi(r) for r in self.args.roi_strings]

    def parse_roi(self, s: str) -> tuple[float, ...]:
        m = _ROI.match(str(s))
        if not m:
            raise self.bad_arg("roi_strings", s, "each ROI is 'x1,y1,x2,y2' (optionally in () or [])")
        return tuple(float(v) for v in m.groups())

    def pixel_rois(self, w: int, h: int) -> list[tuple[int, int, int, int]]:
        out = []
        for x1, y1, x2, y2 in self.rois:
            if self.args.roi_type == "ratio":
                x1, x2 = int(min(x1, 1) * w), int(min(x2, 1) * w)
                y1, y2 = int(min(y1, 1) * h), int(min(y2, 1) * h)
            out.append((int(x1), int(y1), int(x2), int(y2)))
        return out

    def mask(self, frames: list, w: int, h: int) -> Any:
        import cv2
        import numpy as np

        rois = self.pixel_rois(w, h)
        bgrs = [cv2.cvtColor(f.to_ndarray(format="rgb24"), cv2.COLOR_RGB2BGR) for f in frames]
        mask = np.zeros((h, w), np.uint8)
        if self.args.detection_method == "pixel_value":
            counts = np.zeros((h, w), np.int32)
            for bgr in bgrs:
                fm = np.zeros((h, w), np.uint8)
                for x1, y1, x2, y2 in rois:
                    roi = cv2.cvtColor(bgr[y1:y2, x1:x2], cv2.COLOR_BGR2GRAY)
                    if roi.size == 0:
                        continue
                    _, th = cv2.threshold(roi, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
                    edge = int((th[0, :] > 0).sum() + (th[:, 0] > 0).sum())
                    if 2 * edge > th.shape[0] + th.shape[1]:
                        th = 255 - th
                    fm[y1:y2, x1:x2] |= th
                counts += fm == 255
            mask[counts >= self.args.min_frame_threshold] = 255
        else:
            stack = np.stack(bgrs).astype(np.float64)
            for x1, y1, x2, y2 in rois:
                std = stack[:, y1:y2, x1:x2].std(axis=0).sum(axis=-1)
                if std.size == 0:
                    continue
                rng = std.max() - std.min()
                scaled = ((std - std.min()) / rng * 255 if rng else np.zeros_like(std)).astype(np.uint8)
                _, th = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
                mask[y1:y2, x1:x2] |= 255 - th
        return cv2.dilate(mask, np.ones((5, 5), np.uint8))

    def rewrite(self, path: str) -> str:
        import av
        import cv2

        with open_video(path) as c:
            frames = frames_uniformly(c, self.args.frame_num)
            cc = c.streams.video[0].codec_context
            w, h = cc.width, cc.height
        if not frames:
            return path
        mask = self.mask(frames, w, h)

        def inpaint(frame):
            bgr = cv2.cvtColor(frame.to_ndarray(format="rgb24"), cv2.COLOR_RGB2BGR)
            out = cv2.inpaint(bgr, mask, 3, cv2.INPAINT_NS)
            return av.VideoFrame.from_ndarray(cv2.cvtColor(out, cv2.COLOR_BGR2RGB), format="rgb24")

        return process_each_frame(path, self.new_path(path), inpaint)


# -- frame extraction ----------------------------------------------------------------------------------------------

class ExtractFramesArgs(OpArgs):
    frame_sampling_method: Literal["all_keyframes", "uniform"] = sampling_field()
    output_format: Literal["path", "bytes"] = Field(
        "path", description="path: frames saved as JPEG files and their folder recorded in meta; bytes: "
        "JPEG bytes per video in the frame_key field.", json_schema_extra=meta("choice", cues={
            "path": ["save frames as files", "保存为文件"], "bytes": ["keep frames in memory", "保存为字节"]}))
    frame_num: int = frame_num_field(3)
    duration: float = num_field(0, "seconds", "Sample per piece of this many seconds (0: whole video).",
                                ge=0)
    frame_dir: str | None = Field(None, description="Folder for the frames (default: produced-data folder).",
                                  json_schema_extra=meta("path"))
    frame_key: str = Field("video_frames", description="Meta key (path) or field (bytes) for the result.",
                           json_schema_extra=meta("field"))


@register_op
class VideoExtractFramesMapper(Mapper):
    name = "video_extract_frames_mapper"
    modality = "video"
    Args = ExtractFramesArgs
    description = ("Extracts frames from each token-referenced video (its key frames, or frame_num frames "
                   "at uniform timestamps, per piece of `duration` seconds if set) and saves them as "
                   "frame_{i}.jpg in a folder per video, recorded in meta[frame_key] as {video: folder}; "
                   "with output_format bytes the JPEG bytes go into the frame_key field.")
    example = "video_extract_frames_mapper: {frame_sampling_method: uniform, frame_num: 4}"
    requests = ("extract key frames from every video", "save 4 evenly spaced frames of each video as images",
                "sample one frame every 2 seconds from the videos", "从每个视频中提取关键帧",
                "把每个视频均匀抽取4帧保存成图片", "每2秒从视频中抽一帧")
    situations = (
        "the thumbnail gallery needs still images pulled from each tutorial video",
        "the image classification team wants pictures taken from our dashcam footage",
        "做封面图库需要从每个教程视频里取几张静态画面",
        "图像标注团队想要从行车记录仪录像里截出的图片",
        "the annotators' labeling tool only opens pictures, not video files, so they need stills from each clip",
        "our quality checks only work on single pictures, and the lecture recordings would need individual "
        "snapshots per video",
        "for a storyboard preview each trailer should be represented by a few representative stills in its own "
        "folder",
        "标注工具只能打开图片打不开视频，标注员要每段视频的静帧",
        "质检流程只支持单张图片，课程录像得先有每个视频对应的截图",
        "做分镜预览，每个预告片要有几张代表性的画面，各自放在单独的文件夹里",
    )

    def frames(self, path: str) -> list:
        a = self.args
        with open_video(path) as c:
            if a.duration <= 0:
                return [f.to_image() for f in sample_frames(c, a.frame_sampling_method, a.frame_num)]
        return self.frames_by_seconds(path)

    def frames_by_seconds(self, path: str) -> list:
        import tempfile

        import numpy as np

        from sandbox_engine.ops.video_io import cut_video_by_seconds, get_video_duration

        a = self.args
        with open_video(path) as c:
            d = get_video_duration(c, path)
        bounds = [float(t) for t in np.arange(0, d, a.duration)]
        out = []
        with tempfile.TemporaryDirectory() as tmp:
            for k, (s, e) in enumerate(zip(bounds[:-1], bounds[1:])):
                piece = os.path.join(tmp, f"piece{k}.mp4")
                if not cut_video_by_seconds(path, piece, s, e):
                    continue
                with open_video(piece) as c:
                    out.extend(f.to_image() for f in sample_frames(c, a.frame_sampling_method, a.frame_num))
        return out

    def process_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        import io

        a = self.args
        texts, videos = column(batch, a.text_key), column(batch, a.video_key)
        metas = list(column(batch, META))
        results = list(column(batch, a.frame_key)) if a.output_format == "bytes" else None
        keep = []
        for i, paths in enumerate(videos):
            paths = list(paths or [])
            n_tok = (texts[i] or "").count(VIDEO_TOKEN)
            paths = paths[:n_tok] if n_tok else []
            if not paths:
                keep.append(False)  # upstream returns nothing for a sample without video
                continue
            m = dict(metas[i] or {})
            if a.output_format == "path" and a.frame_key in m:
                keep.append(True)
                continue
            try:
                frames = {p: self.frames(p) for p in dict.fromkeys(paths)}
            except DataFormatError:
                keep.append(False)
                continue
            keep.append(True)
            if a.output_format == "bytes":
                res = []
                for p in paths:
                    enc = []
                    for im in frames[p]:
                        buf = io.BytesIO()
                        im.save(buf, format="JPEG")
                        enc.append(buf.getvalue())
                    res.append(enc)
                results[i] = res
                continue
            dirs = {}
            for p, ims in frames.items():
                d = self.frame_folder(p)
                os.makedirs(d, exist_ok=True)
                for j, im in enumerate(ims):
                    f = os.path.join(d, f"frame_{j}.jpg")
                    if not os.path.exists(f):
                        im.save(f)
                dirs[p] = d
            m[a.frame_key] = json.dumps(dirs)
            metas[i] = m
        if a.output_format == "bytes":
            batch[a.frame_key] = results
        else:
            batch[META] = metas
        if not all(keep):
            batch = {k: [v for v, ok in zip(col, keep) if ok] for k, col in batch.items()}
        return batch

    def frame_folder(self, path: str) -> str:
        stem = os.path.splitext(os.path.basename(path))[0]
        if self.args.frame_dir:
            return os.path.join(self.args.frame_dir, stem)
        h = params_hash(self.args.model_dump(), unique=False)
        return os.path.join(os.path.dirname(os.path.abspath(path)), "__dj__produced_data__", self.name,
                            f"{stem}__dj_hash_#{h}#")

