"""Cheap image filters: shape, aspect ratio and file size (Data-Juicer 1.4.3 semantics).

Only image headers are read (PIL's `Image.open(...).size` is lazy), so these filters cost a few file
opens per sample. The loaders here are shared with the image deduplicator through the per-batch
context dict, so an image is opened once per batch however many image ops look at it.
"""
from __future__ import annotations

import os
import re
from typing import Any, Iterable

from pydantic import Field

from sandbox_engine.errors import DataFormatError, OpArgumentError
from sandbox_engine.fields import STATS
from sandbox_engine.ops.media_fields import any_or_all_field
from sandbox_engine.ops.base import (MAXSIZE, AnyOrAll, Batch, Filter, FilterArgs, column, ensure_stats,
                                     register_op)


def image_any_or_all() -> Any:
    """The `any_or_all` argument of the filters with one value per image, with the planner's cues."""
    return any_or_all_field("image")


# -- loading, shared with the image deduplicator ----------------------------------------------------


def _cache(context: dict | None, kind: str, image_key: str) -> dict:
    """The per-batch cache {path: value} under ``(kind, image_key)`` in the context dict."""
    if context is None:
        return {}
    return context.setdefault((kind, image_key), {})


def _open(path: str):
    from PIL import Image, UnidentifiedImageError

    try:
        return Image.open(path)
    except FileNotFoundError:
        raise DataFormatError(f"image {path!r} does not exist (relative paths are read from the "
                              f"working directory {os.getcwd()!r})") from None
    except (UnidentifiedImageError, OSError) as err:
        raise DataFormatError(f"image {path!r} cannot be read as an image: {err}") from None


def image_dims(paths: Iterable[str], context: dict | None = None,
               image_key: str = "images") -> list[tuple[int, int]]:
    """(width, height) of each image, from its header only."""
    dims = _cache(context, "image_dims", image_key)
    decoded = _cache(context, "images", image_key)
    out = []
    for p in paths:
        if p not in dims:
            if p in decoded:
                dims[p] = decoded[p].size
            else:
                with _open(p) as im:
                    dims[p] = im.size
        out.append(dims[p])
    return out


def load_images(paths: Iterable[str], context: dict | None = None,
                image_key: str = "images") -> list[Any]:
    """Decoded RGB PIL images (as Data-Juicer's load_image), cached in the context."""
    cache = _cache(context, "images", image_key)
    out = []
    for p in paths:
        if p not in cache:
            with _open(p) as im:
                cache[p] = im.convert("RGB")
        out.append(cache[p])
    return out


_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]*)\s*$")
_UNITS = {"": 0, "b": 0, "k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60, "z": 70, "y": 80}


def size_to_bytes(size: str | int | float, op: str = "image_size_filter", arg: str = "size") -> int:
    """'10KB', '1MiB', '120kb' -> bytes. KB and KiB both mean 1024 (as Data-Juicer); a bare number is
    bytes. Unlike upstream, a decimal point is honoured ('1.5MB' is 1.5 MiB, not 15 MiB)."""
    if isinstance(size, (int, float)) and not isinstance(size, bool):
        return int(size)
    m = _SIZE_RE.match(str(size))
    unit = m.group(2).lower() if m else ""
    if unit.endswith("ib"):
        unit = unit[:-2]
    elif unit.endswith("b") and len(unit) == 2:
        unit = unit[:-1]
    if not m or unit not in _UNITS:
        raise OpArgumentError(
            f"operator {op!r}: argument {arg!r} = {size!r} is not a size; write a number of bytes "
            f"or a number with a unit among B, KB, MB, GB, TB, PB, EB, ZB, YB (KiB ... YiB too; "
            f"case-insensitive, 1 KB = 1024 bytes), e.g. '120KB' or '1MiB'")
    return int(float(m.group(1)) * (1 << _UNITS[unit]))


# -- filters ------------------------------------------------------------------------------------------


class _ImageFilter(Filter):
    """A filter with one value list per sample (one value per image), reduced by any_or_all."""

    modality = "image"

    def _todo(self, batch: Batch) -> tuple[list[dict], list[int], list]:
        stats = ensure_stats(batch)
        return stats, self.missing_rows(stats), column(batch, self.image_key)

    def _keep_images(self, flags: list[bool]) -> bool:
        if not flags:
            return True
        return any(flags) if self.args.any_or_all == "any" else all(flags)


class ImageShapeArgs(FilterArgs):
    min_width: int = Field(1, description="Narrowest image kept, in pixels of width.",
                           json_schema_extra={"measure": "pixels", "bound": "min"})
    max_width: int = Field(MAXSIZE, description="Widest image kept, in pixels of width.",
                           json_schema_extra={"measure": "pixels", "bound": "max"})
    min_height: int = Field(1, description="Shortest image kept, in pixels of height.",
                            json_schema_extra={"measure": "pixels", "bound": "min"})
    max_height: int = Field(MAXSIZE, description="Tallest image kept, in pixels of height.",
                            json_schema_extra={"measure": "pixels", "bound": "max"})
    any_or_all: AnyOrAll = image_any_or_all()


@register_op
class ImageShapeFilter(_ImageFilter):
    name = "image_shape_filter"
    Args = ImageShapeArgs
    stats_keys = ("image_width", "image_height")
    description = ("Keeps samples whose images have a width and a height within the given pixel "
                   "ranges. Tiny thumbnails and icons carry little visual signal, and huge scans slow "
                   "training down; a sample without images is kept.")
    example = "image_shape_filter: {min_width: 200, min_height: 200}  # a 64x64 icon is dropped"
    requests = ("throw away pictures under 180 by 180 px", "width must reach 600 pixels or more",
                "pictures over 4500 pixels high are not wanted", "filter out tiny thumbnails and icons",
                "keep images whose width and height are between 256 and 2048 px",
                "删除宽或高小于200像素的图片", "图片宽度不能低于六百像素", "过滤掉缩略图和小图标",
                "图片高度上限为四千五百像素")
    situations = (
        "the scraped set is full of tiny favicons and avatar icons too small to see anything",
        "gigantic poster and satellite scans are so wide and tall they choke the data loader",
        "抓到的很多都是网站小图标和头像，看不清内容",
        "有些海报扫描图长宽都特别大，加载起来拖慢训练",
        "many catalogue entries only have postage-stamp preview pictures, far too low-resolution for the "
        "detector to find anything",
        "the pathology archive mixes normal scans with whole-slide images whose dimensions are enormous and "
        "blow up GPU memory",
        "sticker and emoji images pulled from chat apps are minuscule and carry no visual detail",
        "商品目录里很多只有邮票大小的预览图，分辨率低得什么都看不出",
        "病理全切片图像的尺寸巨大，一张就能把显存撑爆",
        "聊天软件里导出的表情贴图只有一丁点大，没有任何细节",
    )

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats, todo, images = self._todo(batch)
        for i in todo:
            dims = image_dims(images[i] or [], context, self.image_key)
            stats[i]["image_width"] = [w for w, _ in dims]
            stats[i]["image_height"] = [h for _, h in dims]
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        return [self._keep_images([self.keep(w, a.min_width, a.max_width)
                                   and self.keep(h, a.min_height, a.max_height)
                                   for w, h in zip(s["image_width"], s["image_height"])])
                for s in batch[STATS]]


class ImageAspectRatioArgs(FilterArgs):
    min_ratio: float = Field(0.333, description="Lowest aspect ratio kept (width / height; 0.5 = twice "
                                                "as tall as wide).",
                             json_schema_extra={"measure": "aspect_ratio", "bound": "min"})
    max_ratio: float = Field(3.0, description="Highest aspect ratio kept (width / height; 2 = twice as "
                                              "wide as tall).",
                             json_schema_extra={"measure": "aspect_ratio", "bound": "max"})
    any_or_all: AnyOrAll = image_any_or_all()


@register_op
class ImageAspectRatioFilter(_ImageFilter):
    name = "image_aspect_ratio_filter"
    Args = ImageAspectRatioArgs
    stats_keys = ("aspect_ratios",)
    description = ("Keeps samples whose images have an aspect ratio (width divided by height) within "
                   "[min_ratio, max_ratio]. Banners and long strips crop badly to the square inputs "
                   "vision encoders expect; a sample without images is kept.")
    example = "image_aspect_ratio_filter: {min_ratio: 0.5, max_ratio: 2.0}  # a 1000x100 banner is dropped"
    requests = ("anything wider than three times its height should go", "remove banners and long strips",
                "width over height has to stay within 0.4-2.5",
                "filter out images that are far from square", "get rid of very tall, narrow images",
                "删除宽高比大于3的图片", "宽高比应处于0.4和2.5之间", "过滤掉横幅和细长条图片",
                "去掉长宽比例过于悬殊的图片")
    situations = (
        "comic pages stitched together into one extremely tall strip that no model can take",
        "很多图是把十几页漫画拼成的超长条，模型处理不了",
        "the e-commerce crawl picked up lots of long promo banners and skinny sidebar ads",
        "phone screenshots of entire chat threads are extremely tall and get squashed when cropped square",
        "电商爬的图里有很多长条横幅广告",
        "整屏聊天长截图又细又长，裁成方图就没法看了",
        "panoramic landscape photos are super wide, and a square center crop cuts away most of the scene",
        "infographics and webcomics stitched into one long vertical picture get distorted when resized for the "
        "vision encoder",
        "full-page website captures look like narrow ribbons, nothing like the near-square frames the model was "
        "pre-trained on",
        "全景照片横向拉得特别宽，中心裁成方形后大部分画面都没了",
        "竖版条漫和信息长图长得离谱，缩放到模型输入尺寸后全变形了",
        "网页整页截图窄长得像一条带子，和模型预训练用的接近方形的图差太远",
    )

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats, todo, images = self._todo(batch)
        for i in todo:
            stats[i]["aspect_ratios"] = [w / h for w, h in image_dims(images[i] or [], context,
                                                                      self.image_key)]
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        return [self._keep_images([self.keep(r, a.min_ratio, a.max_ratio) for r in s["aspect_ratios"]])
                for s in batch[STATS]]


class ImageSizeArgs(FilterArgs):
    min_size: str | int = Field("0", description="Smallest image file kept, in bytes or a size such as "
                                                 "'10KB' (KB = KiB = 1024 bytes).",
                                json_schema_extra={"measure": "bytes", "bound": "min"})
    max_size: str | int = Field("1TB", description="Largest image file kept, in bytes or a size such as "
                                                   "'1MiB'.",
                                json_schema_extra={"measure": "bytes", "bound": "max"})
    any_or_all: AnyOrAll = image_any_or_all()


@register_op
class ImageSizeFilter(_ImageFilter):
    name = "image_size_filter"
    Args = ImageSizeArgs
    stats_keys = ("image_sizes",)
    description = ("Keeps samples whose image files are between min_size and max_size bytes on disk "
                   "(sizes like '10KB' or '1MiB'; KB and KiB both mean 1024 bytes). Tiny files are "
                   "often broken or placeholder images; a sample without images is kept.")
    example = "image_size_filter: {min_size: '10KB', max_size: '5MB'}  # a 2 KB placeholder is dropped"
    requests = ("image files below 8 KB are probably broken, delete them", "remove images bigger than 5 MB on disk",
                "keep pictures with a file size between 20KB and 2MB",
                "filter out broken placeholder images by file size", "get rid of huge image files",
                "删除文件大小小于10KB的图片", "去掉超过5MB的图像文件", "保留文件体积在20KB到2MB之间的图片",
                "过滤掉占用空间过大的图片文件")
    situations = (
        "some downloaded photos are zero-byte or half-written files from interrupted transfers",
        "raw camera uploads take up far too much storage in our bucket",
        "下载中断留下了一些体积极小、打不开的图片文件",
        "相机原图文件太占存储空间了",
        "dead image links returned a tiny 'image not available' placeholder gif instead of the real picture, "
        "files that weigh almost nothing",
        "the uncompressed scanner TIFFs are monstrously heavy files that make syncing the dataset crawl",
        "some of the scraped pictures are really invisible tracking beacons, files so light they can't be "
        "actual photos",
        "不少图片链接失效，下载回来的是体积小得可怜的“图片不存在”占位图",
        "扫描仪导出的无压缩TIFF文件一个比一个大，同步数据集慢得要命",
        "爬回来的图有些其实是广告追踪用的透明小文件，几乎不占空间，根本不是照片",
        "design exports slipped into the photo library as huge PNG files of tens of megabytes each, and loading them stalls training",
        "图库里混进了设计稿导出的超大PNG，一张几十兆，读数据卡得要命",
    )

    def setup(self) -> None:
        self.min_bytes = size_to_bytes(self.args.min_size, arg="min_size")
        self.max_bytes = size_to_bytes(self.args.max_size, arg="max_size")

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats, todo, images = self._todo(batch)
        for i in todo:
            sizes = []
            for p in images[i] or []:
                try:
                    sizes.append(os.path.getsize(p))
                except OSError:
                    raise DataFormatError(f"image {p!r} does not exist (relative paths are read "
                                          f"from the working directory {os.getcwd()!r})") from None
            stats[i]["image_sizes"] = sizes
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        return [self._keep_images([self.keep(v, self.min_bytes, self.max_bytes) for v in s["image_sizes"]])
                for s in batch[STATS]]
