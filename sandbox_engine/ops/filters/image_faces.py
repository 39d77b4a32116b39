"""Face detection with the Haar cascade that ships inside OpenCV, and the face filters
(image_face_ratio_filter, image_face_count_filter; Data-Juicer 1.4.3 semantics).

`detect_faces` is shared with the face-blur mappers (images and video frames).
"""
from __future__ import annotations

import os
from typing import Any

from pydantic import Field

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.fields import STATS
from sandbox_engine.ops.base import AnyOrAll, Batch, Filter, FilterArgs, column, ensure_stats, register_op
from sandbox_engine.ops.filters.image_basic import load_images
from sandbox_engine.ops.media_fields import any_or_all_field, bound_field, meta
from sandbox_engine.models import cached

DEFAULT_CASCADE = "haarcascade_frontalface_alt.xml"
DETECT_DEFAULTS = {"scaleFactor": 1.1, "minNeighbors": 3, "minSize": None, "maxSize": None}


def cascade_path(cv_classifier: str, op: str) -> str:
    import cv2

    path = cv_classifier or os.path.join(cv2.data.haarcascades, DEFAULT_CASCADE)
    if not os.path.isfile(path):
        raise ModelUnavailableError(
            f"operator {op!r}: argument 'cv_classifier' = {cv_classifier!r} is not a file; give the "
            f"path of an OpenCV Haar cascade XML, or '' for {DEFAULT_CASCADE}, which ships inside "
            f"opencv-python ({cv2.data.haarcascades})")
    return path


def load_cascade(path: str) -> Any:
    import cv2

    def make():
        c = cv2.CascadeClassifier(path)
        if c.empty():
            raise ModelUnavailableError(f"{path!r} is not a valid OpenCV cascade classifier file")
        return c

    return cached(("haar", path), make)


def detect_faces(image: Any, classifier: Any, kwargs: dict) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) boxes of faces in a PIL RGB image, clipped to the image."""
    import cv2
    import numpy as np

    bgr = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    kw = {k: v for k, v in kwargs.items() if v is not None}
    boxes = classifier.detectMultiScale(gray, **kw)
    H, W = gray.shape
    out = []
    for x, y, w, h in (boxes if len(boxes) else []):
        x, y = max(0, int(x)), max(0, int(y))
        w, h = min(int(w), W - x), min(int(h), H - y)
        out.append((x, y, w, h))
    return out


def detect_kwargs(extra: dict | None) -> dict:
    kw = dict(DETECT_DEFAULTS)
    for k, v in (extra or {}).items():
        if k in kw:
            kw[k] = tuple(v) if isinstance(v, list) else v
    return kw


class FaceArgsBase(FilterArgs):
    model_config = {**FilterArgs.model_config, "extra": "allow"}  # detectMultiScale kwargs pass through

    cv_classifier: str = Field("", description="OpenCV Haar cascade XML ('' = the frontal-face cascade "
                                               "shipped with OpenCV).", json_schema_extra=meta("path"))


class _FaceFilter(Filter):
    modality = "image"

    def setup(self) -> None:
        self.classifier = load_cascade(cascade_path(self.args.cv_classifier, self.name))
        self.kwargs = detect_kwargs(self.args.model_extra)

    def faces(self, paths: list[str], context: dict | None) -> list[list[tuple]]:
        return [detect_faces(im, self.classifier, self.kwargs)
                for im in load_images(paths, context, self.image_key)]

    def _keep_row(self, vals: list, lo: Any, hi: Any) -> bool:
        return self.keep_many(vals, lo, hi, self.args.any_or_all)


class FaceRatioArgs(FaceArgsBase):
    min_ratio: float = bound_field(0.0, "ratio", "min", "Minimum largest-face area / image area.")
    max_ratio: float = bound_field(0.4, "ratio", "max", "Maximum largest-face area / image area.")
    any_or_all: AnyOrAll = any_or_all_field("image")


@register_op
class ImageFaceRatioFilter(_FaceFilter):
    name = "image_face_ratio_filter"
    Args = FaceRatioArgs
    stats_keys = ("face_ratios",)
    description = ("Detects faces with OpenCV's Haar cascade and keeps samples whose images' largest face "
                   "covers a fraction of the image area within [min_ratio, max_ratio] (0 without faces). "
                   "Use it to drop close-up portraits, or to keep only images showing a face.")
    example = "image_face_ratio_filter: {max_ratio: 0.4}  # a passport-style close-up is dropped"
    requests = ("drop images where a face covers more than 40% of the picture", "remove face close-ups",
                "keep images whose largest face ratio is below 0.3", "filter out portrait photos dominated by a face",
                "删除人脸占画面超过40%的图片", "去掉人脸特写图片", "保留最大人脸面积比例低于0.3的图片",
                "过滤掉以人脸为主的肖像照片")
    situations = (
        "too many selfies where the face fills almost the whole frame, we want people shown in context",
        "the fashion dataset needs full-body shots, not headshots cropped tight to the face",
        "自拍大头照里脸几乎占满整个画面，不想要",
        "穿搭数据要全身照，只拍到脸部的大特写去掉",
        "the scene-understanding set is swamped with passport-style mugshots where the head takes up nearly the "
        "whole picture",
        "the influencer scrape is mostly extreme close-up beauty shots, a giant face and nothing of the surroundings",
        "the avatar generator needs pictures where the face is big and prominent, not tiny distant figures",
        "网红美妆图大多是怼脸拍的超近景，一张大脸占满屏，看不到环境",
        "做头像生成需要脸在画面里足够大、足够显眼的图，远处的小人影不行",
        "场景理解数据里混了很多证件照式的大头像，脑袋几乎撑满整张图",
    )

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        images = column(batch, self.image_key)
        for i in self.missing_rows(stats):
            paths = list(images[i] or [])
            ratios = []
            for p, im, boxes in zip(paths, load_images(paths, context, self.image_key),
                                    self.faces(paths, context)):
                area = max((w * h for _, _, w, h in boxes), default=0)
                ratios.append(area / (im.width * im.height))
            stats[i]["face_ratios"] = ratios
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        return [self._keep_row(s["face_ratios"], a.min_ratio, a.max_ratio) for s in batch[STATS]]


class FaceCountArgs(FaceArgsBase):
    min_face_count: int = bound_field(1, "count", "min", "Minimum number of faces per image.")
    max_face_count: int = bound_field(1, "count", "max", "Maximum number of faces per image.")
    any_or_all: AnyOrAll = any_or_all_field("image")


@register_op
class ImageFaceCountFilter(_FaceFilter):
    name = "image_face_count_filter"
    Args = FaceCountArgs
    stats_keys = ("face_counts",)
    description = ("Counts faces with OpenCV's Haar cascade and keeps samples whose images hold between "
                   "min_face_count and max_face_count faces (default exactly one). Use it for single-person "
                   "data, or with max_face_count 0 to drop images showing people.")
    example = "image_face_count_filter: {min_face_count: 1, max_face_count: 1}  # a group photo is dropped"
    requests = ("keep only images with exactly one face", "drop images with more than two faces",
                "remove pictures that contain no faces", "only keep group photos with at least 3 faces",
                "只保留恰好有一张人脸的图片", "删除超过两张人脸的图片", "去掉没有人脸的图片",
                "只保留至少有3张人脸的合照",
                "只留单人照，合照和多人的照片不要")
    situations = (
        "photos of documents where the person holding the page shows their face; pages with people in them are not wanted",
        "拍文件的照片里经常有人脸入镜，有人出现的照片都不要",
        "for the ID-photo model every picture must show exactly one person, no group shots",
        "we want team and family photos where several people are in the frame together",
        "做证件照模型，每张图必须只有一个人，合影不要",
        "想找全家福、团建合照这种好几个人同框的照片",
        "the scenery set should be free of people, yet tourists keep showing up in the landscape pictures",
        "the single-subject portrait model gets confused by photos where somebody else is standing next to the subject",
        "crowded concert and subway photos with a sea of heads are useless for our single-person pose dataset",
        "风景图库里老是有游客入镜，做风景生成的话画面里最好不出现任何人物",
        "单人写真数据里混进了不少身边还站着别人的照片，模型学乱了",
        "演唱会、地铁这种人山人海的照片，对单人姿态数据没用",
    )

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        images = column(batch, self.image_key)
        for i in self.missing_rows(stats):
            stats[i]["face_counts"] = [len(b) for b in self.faces(list(images[i] or []), context)]
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        return [self._keep_row(s["face_counts"], a.min_face_count, a.max_face_count) for s in batch[STATS]]
