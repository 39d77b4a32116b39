"""Image blur mappers: blur faces (OpenCV Haar cascade) or whole images (Data-Juicer 1.4.3 semantics).

Blurred images are saved as new files (``{stem}__dj_hash_#H#{ext}``) and the sample's paths replaced.
"""
from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field

from sandbox_engine.fields import SOURCE_FILE
from sandbox_engine.ops.base import Batch, Mapper, OpArgs, column, register_op
from sandbox_engine.ops.filters.image_basic import load_images
from sandbox_engine.ops.filters.image_faces import (cascade_path, detect_faces, detect_kwargs,
                                                    load_cascade)
from sandbox_engine.ops.media_fields import meta, num_field, save_dir_field
from sandbox_engine.ops.video_io import transfer_filename

BlurType = Literal["gaussian", "box", "mean"]
BLUR_CUES = {"gaussian": ["gaussian blur", "高斯模糊"], "box": ["box blur", "方框模糊"],
             "mean": ["mean blur", "均值模糊"]}


def blur_filter(blur_type: str, radius: float) -> Any:
    from PIL import ImageFilter

    if blur_type == "mean":
        return ImageFilter.BLUR
    if blur_type == "box":
        return ImageFilter.BoxBlur(radius)
    return ImageFilter.GaussianBlur(radius)


def blur_boxes(image: Any, boxes: list[tuple[int, int, int, int]], flt: Any) -> Any:
    """A copy of the PIL image with each (x, y, w, h) region blurred in place."""
    out = image.copy()
    for x, y, w, h in boxes:
        region = (x, y, x + w, y + h)
        out.paste(out.crop(region).filter(flt), region)
    return out


class BlurArgs(OpArgs):
    blur_type: BlurType = Field("gaussian", description="gaussian (GaussianBlur(radius)), box "
                                "(BoxBlur(radius)) or mean (PIL's fixed BLUR kernel).",
                                json_schema_extra=meta("choice", cues=BLUR_CUES))
    radius: float = num_field(2, "pixels", "Blur radius in pixels.", ge=0)
    save_dir: str | None = save_dir_field()


class FaceBlurArgs(BlurArgs):
    model_config = {**OpArgs.model_config, "extra": "allow"}  # detectMultiScale kwargs pass through

    cv_classifier: str = Field("", description="OpenCV Haar cascade XML ('' = the frontal-face cascade "
                                               "shipped with OpenCV).", json_schema_extra=meta("path"))


class _ImageRewriter(Mapper):
    modality = "image"

    def rewrite(self, image: Any) -> Any | None:
        """The new image, or None to leave the file as it is."""
        raise NotImplementedError

    def process_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        key = self.image_key
        if key not in batch:
            return batch
        new_col, sources = [], list(column(batch, SOURCE_FILE))
        done: dict[str, str] = {}
        for i, paths in enumerate(batch[key]):
            paths = list(paths or [])
            for p in dict.fromkeys(paths):
                if p in done:
                    continue
                (im,) = load_images([p], context, key)
                new = self.rewrite(im)
                if new is None:
                    done[p] = p
                else:
                    dst = transfer_filename(p, self.name, self.args.model_dump(), self.args.save_dir)
                    new.save(dst)
                    done[p] = dst
            new_paths = [done[p] for p in paths]
            if new_paths != paths and not sources[i]:
                sources[i] = paths
            new_col.append(new_paths)
        batch[key] = new_col
        if any(s is not None for s in sources):
            batch[SOURCE_FILE] = sources
        return batch


@register_op
class ImageFaceBlurMapper(_ImageRewriter):
    name = "image_face_blur_mapper"
    Args = FaceBlurArgs
    description = ("Finds faces with OpenCV's Haar cascade and blurs them (gaussian, box or mean), saving "
                   "a new image file and replacing the path; images without faces are left as they are. "
                   "For privacy before publishing or training on people's photos.")
    example = "image_face_blur_mapper: {blur_type: gaussian, radius: 5}"
    requests = ("blur faces in the images", "anonymize people's faces in photos with a gaussian blur",
                "hide faces in pictures for privacy", "blur every detected face with radius 5",
                "把图片中的人脸模糊掉", "用高斯模糊给照片里的人脸打码", "为了隐私隐藏图片中的人脸",
                "对检测到的每张人脸做半径5的模糊", "make sure the people in these photos cannot be recognised",
                "passers-by caught in the pictures must not be identifiable", "给照片里路人的人脸打码",
                "保护图片中人物的隐私，让人无法被认出来")
    situations = (
        "street-view captures show pedestrians' faces, which privacy law says we can't publish as is",
        "the classroom photos for the education dataset include students who never consented",
        "街景采集的照片拍到了行人的脸，直接发布不合规",
        "教室照片里有学生正脸，家长没同意不能露出来",
        "the hospital waiting-room photos show recognisable patients, and GDPR forbids releasing identifiable people",
        "the shop's snapshots of customers go to an outside vendor, and the shoppers' identities must stay hidden",
        "protest photos in the news archive could endanger demonstrators if anyone can tell who they are",
        "医院候诊区的照片里能认出病人是谁，这样的数据不能外发",
        "门店抓拍的顾客照片要交给外包团队，顾客的身份不能暴露",
        "小区门禁抓拍的照片里住户长什么样清清楚楚，直接交给第三方不合适",
    )

    def setup(self) -> None:
        self.classifier = load_cascade(cascade_path(self.args.cv_classifier, self.name))
        self.kwargs = detect_kwargs(self.args.model_extra)
        self.filter = blur_filter(self.args.blur_type, self.args.radius)

    def rewrite(self, image: Any) -> Any | None:
        boxes = detect_faces(image, self.classifier, self.kwargs)
        return blur_boxes(image, boxes, self.filter) if boxes else None


class ImageBlurArgs(BlurArgs):
    p: float = num_field(0.2, "probability", "Probability that an image is blurred.", ge=0, le=1)


@register_op
class ImageBlurMapper(_ImageRewriter):
    name = "image_blur_mapper"
    Args = ImageBlurArgs
    description = ("Blurs each distinct image with probability p (gaussian, box or mean blur), saving a "
                   "new file and replacing the path: an augmentation that teaches robustness to blur. "
                   "Unseeded, as upstream.")
    example = "image_blur_mapper: {p: 0.5, blur_type: box, radius: 3}"
    requests = ("randomly blur 20% of the images", "augment images with a gaussian blur",
                "blur half of the pictures as data augmentation", "apply a box blur of radius 3 to images",
                "随机模糊20%的图片", "用高斯模糊做图像增强", "把一半的图片模糊作为数据增强",
                "对图片应用半径为3的方框模糊")
    situations = (
        "the recognizer breaks on out-of-focus phone shots, so the training photos should include some soft ones",
        "make the classifier robust to camera shake by softening a share of the pictures",
        "识别模型遇到对焦不准的照片就失灵，训练图里要掺一些模糊的",
        "想让模型适应手抖拍虚的照片，随机把部分图片弄糊",
        "the receipt OCR model was trained on crisp scans only and falls apart on the smudgy photos customers send in",
        "the security-camera stills at deployment are soft and hazy, but every training picture is razor sharp",
        "the detector overfits to perfectly sharp studio images; some degraded, fuzzy variants would mimic "
        "real-world conditions better",
        "训练图全是清晰的棚拍图，实际部署时监控画面糊成一片，模型一看就懵",
        "用户拍的票据照片经常发虚，OCR模型只见过清晰扫描件，一遇到就识别错",
        "检测模型过拟合在锐利的高清图片上，想让它见识点朦胧、看不太清的样子",
    )

    def setup(self) -> None:
        self.filter = blur_filter(self.args.blur_type, self.args.radius)

    def rewrite(self, image: Any) -> Any | None:
        if np.random.rand() > self.args.p:
            return None
        return image.convert("RGB").filter(self.filter)
