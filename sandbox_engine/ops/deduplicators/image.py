"""Exact-match deduplication of samples by perceptual hashes of their images (imagehash).

A sample's hash is the concatenation of its distinct images' hashes in order; samples with equal hashes are
duplicates and the first is kept. As in Data-Juicer, a sample without images gets an empty hash and is
never removed, unless `consider_text` pairs the image hash with the text's md5, in which case samples
without images are deduplicated by their text.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from sandbox_engine.fields import HASH, IMAGEHASH
from sandbox_engine.ops.base import Batch, Deduplicator, OpArgs, column, register_op
from sandbox_engine.ops.deduplicators.document import DocumentDeduplicator, first_occurrence_mask
from sandbox_engine.ops.filters.image_basic import load_images
from sandbox_engine.ops.media_fields import TEXT_TOO_CUES

_METHODS = {"phash": "phash", "dhash": "dhash", "whash": "whash", "ahash": "average_hash"}


class ImageDedupArgs(OpArgs):
    method: Literal["phash", "dhash", "whash", "ahash"] = Field(
        "phash", description="Perceptual hash: phash (DCT), dhash (gradient), whash (wavelet), ahash (mean).",
        json_schema_extra={"measure": "choice", "cues": {
            "phash": ["phash", "DCT hash", "感知哈希"], "dhash": ["dhash", "difference hash", "差异哈希"],
            "whash": ["whash", "wavelet hash", "小波哈希"], "ahash": ["ahash", "average hash", "均值哈希"]}})
    consider_text: bool = Field(False, description="Only samples with equal images AND equal text are duplicates.",
                                json_schema_extra={"measure": "flag", "cues": {
                                    "true": ["same image and same text", "image and caption both repeated", "image and caption identical", "image and text identical",
                                             "图片和文本都相同", "图文都重复", "配的文字也算上", *TEXT_TOO_CUES]}})


@register_op
class ImageDeduplicator(Deduplicator):
    name = "image_deduplicator"
    modality = "image"
    Args = ImageDedupArgs
    hash_key = IMAGEHASH
    description = ("Removes samples whose images are the same picture: each image gets a perceptual hash "
                   "(robust to re-encoding and resizing), and samples with the same sequence of hashes "
                   "keep only their first occurrence. With consider_text, the text must match too. "
                   "Samples without images are kept.")
    example = "image_deduplicator: {method: phash}  # the same photo saved as PNG and JPEG: one is kept"
    requests = ("the same photo appears many times, keep one copy", "drop samples that show the same picture",
                "deduplicate photos with perceptual hashing",
                "get rid of re-encoded or resized copies of an image",
                "remove image-text pairs where both the image and the caption are repeated",
                "remove pictures that are in the folder twice",
                "删除重复的图片", "去除相同照片的样本", "用感知哈希对图像去重", "去掉图片和文字都重复的样本")
    situations = (
        "a single image is reused under different captions; copies are decided by the image alone",
        "一张图片被配上好几段不同的文字，是否重复只看图片",
        "the product photo crawl has the same shot re-uploaded by many sellers at different sizes",
        "the meme collection contains the same picture saved again and again with heavier compression",
        "很多卖家盗用同一张商品图，只是尺寸不一样",
        "表情包合集里同一张图被反复转存压缩了好几遍",
        "the stock photo library lists one picture under several IDs, once as PNG and once as JPEG, so the "
        "vision model sees it over and over",
        "in the radiology export each X-ray was saved as a thumbnail and again at full size, so one scan "
        "masquerades as several patients",
        "real-estate agencies keep reposting the exact same apartment photos, so the listing images are mostly "
        "the same few shots",
        "房产中介在不同平台反复发同一套房的同一批照片，图片数据里全是这几张",
        "医学影像导出时每张片子都存了原图和缩略图两份，同一张片子被当成了好几个样本",
        "图库里同一张照片换了个格式又上传一次，PNG和JPG各一份，其实是同一个画面",
        "the same photo was reused under many different captions, and for the vision model every reuse after the first is a repeat",
        "同一张照片配着不同的说明文字反复出现，第一次之后再出现的都算重复",
    )

    def setup(self) -> None:
        import imagehash

        self.hasher = getattr(imagehash, _METHODS[self.args.method])
        self.text_op = (DocumentDeduplicator(text_key=self.args.text_key) if self.args.consider_text
                        else None)

    def compute_hash_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        context = {} if context is None else context
        if self.text_op is not None:
            self.text_op.compute_hash_batched(batch, context)
        texts = batch[HASH] if self.text_op is not None else None
        hashes = []
        cache = context.setdefault(("imagehash", self.args.method, self.image_key), {})
        for paths in column(batch, self.image_key):
            paths = paths or []
            todo = [p for p in paths if p not in cache]
            for p, im in zip(todo, load_images(todo, context, self.image_key)):
                cache[p] = str(self.hasher(im))
            # Data-Juicer hashes the sample's loaded-images dict: a path repeated in one sample counts once
            h = "".join(cache[p] for p in dict.fromkeys(paths))
            # with consider_text the key is (image hash, text md5), never empty: Data-Juicer's tuple
            hashes.append(h if texts is None else f"{h}|{texts[len(hashes)]}")
        batch[IMAGEHASH] = hashes
        return batch

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        return first_occurrence_mask(hashes, trace_num, skip=lambda h: not h)
