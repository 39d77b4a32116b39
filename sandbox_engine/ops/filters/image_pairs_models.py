"""More model-backed image filters (Data-Juicer 1.4.3 semantics): image pair similarity (the open_clip
checkpoint the image ops use), image-text matching (a local BLIP ITM checkpoint), aesthetics and watermark
(local Hugging Face checkpoints). Models come from disk only (`models.clip`, `models.local_hf`).
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from sandbox_engine.errors import DataFormatError
from sandbox_engine.fields import IMAGE_TOKEN, STATS
from sandbox_engine.ops.base import AnyOrAll, Batch, Filter, FilterArgs, column, ensure_stats, register_op
from sandbox_engine.ops.filters.image_basic import load_images
from sandbox_engine.ops.filters.video_models import flipped, reduce
from sandbox_engine.ops.media_fields import (any_or_all_field, bound_field, compat_flag, flip_field, meta,
                                             model_field, reduce_field)
from sandbox_engine.ops.video_io import chunks_with_media, strip_tokens


class _ImageScoreFilter(Filter):
    modality = "image"
    cost = "GPU"

    def process_batched(self, batch: Batch) -> list[bool]:
        out = []
        for s in batch[STATS]:
            vals = s[self.stats_keys[0]]
            if vals is None:
                out.append(False)
                continue
            out.append(self.keep_many(list(vals), *self.bounds(), getattr(self.args, "any_or_all", "any")))
        return out

    def bounds(self) -> tuple[Any, Any]:
        return self.args.min_score, self.args.max_score


# -- image_pair_similarity_filter ----------------------------------------------------------------------------

class PairSimArgs(FilterArgs):
    hf_clip: str = model_field("openai/clip-vit-base-patch32", "A local open_clip checkpoint folder")
    trust_remote_code: bool = compat_flag()
    min_score: float = bound_field(0.1, "similarity", "min", "Minimum cosine similarity of the two images.")
    max_score: float = bound_field(1.0, "similarity", "max", "Maximum cosine similarity of the two images.")
    any_or_all: AnyOrAll = any_or_all_field("image pair")


@register_op
class ImagePairSimilarityFilter(_ImageScoreFilter):
    name = "image_pair_similarity_filter"
    Args = PairSimArgs
    stats_keys = ("image_pair_similarity",)
    description = ("For samples holding exactly two distinct images, scores their CLIP cosine similarity and "
                   "keeps pairs in [min_score, max_score] (e.g. drop near-identical before/after pairs). A "
                   "sample without exactly two distinct images is dropped, as upstream. Needs a local "
                   "open_clip checkpoint (hf_clip).")
    example = "image_pair_similarity_filter: {hf_clip: ./tiny_clip, min_score: 0.5, max_score: 0.95}"
    requests = ("keep image pairs whose similarity is between 0.5 and 0.95", "drop image pairs that are nearly identical",
                "remove pairs of images that look unrelated", "保留相似度在0.5到0.95之间的图片对",
                "删除几乎一模一样的图片对", "去掉看起来毫不相关的图片对")
    situations = (
        "in our before/after editing pairs, some edited photos look exactly like the original",
        "the paired shots sometimes show two completely different scenes instead of the same subject",
        "修图前后的两张图有些根本没改动，看起来一模一样",
        "成对的图片里有的两张拍的完全不是同一个东西",
        "the change-detection satellite pairs sometimes show the same tile with no visible change, and "
        "sometimes two unrelated places",
        "for virtual try-on, the two photos in a sample should show the same garment, yet some pairs come from "
        "different products",
        "the spot-the-difference puzzle set has picture pairs that have no difference at all",
        "遥感变化检测的前后两期影像，有的两张几乎没区别，有的干脆拍的是两个地方",
        "虚拟试衣数据里每条的两张图应该是同一件衣服，结果有些配成了不同的商品",
        "找不同游戏的素材里，有些成对的两张图其实一点差别都没有",
    )

    def setup(self) -> None:
        from sandbox_engine.models import clip

        clip.resolve(self.args.hf_clip, self.name)

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        import torch

        from sandbox_engine.models import clip

        stats = ensure_stats(batch)
        images = column(batch, self.image_key)
        for i in self.missing_rows(stats):
            paths = list(dict.fromkeys(images[i] or []))
            if len(paths) != 2:
                stats[i][self.stats_keys[0]] = None  # upstream raises: the sample is dropped
                continue
            scorer = clip.load(self.args.hf_clip)
            ims = load_images(paths, context, self.image_key)
            with torch.inference_mode():
                pix = torch.stack([scorer.preprocess(im) for im in ims])
                emb = torch.nn.functional.normalize(scorer.model.encode_image(pix), dim=-1)
            stats[i][self.stats_keys[0]] = [float(emb[0] @ emb[1])]
        return batch


# -- image_text_matching_filter --------------------------------------------------------------------------------

class ItmArgs(FilterArgs):
    hf_blip: str = model_field("Salesforce/blip-itm-base-coco", "A local BLIP image-text matching checkpoint folder")
    trust_remote_code: bool = compat_flag()
    min_score: float = bound_field(0.003, "probability", "min", "Minimum matching probability.")
    max_score: float = bound_field(1.0, "probability", "max", "Maximum matching probability.")
    horizontal_flip: bool = flip_field("horizontal")
    vertical_flip: bool = flip_field("vertical")
    any_or_all: AnyOrAll = any_or_all_field("chunk", also=("image",))
    reduce_mode: Literal["avg", "max", "min"] = reduce_field()


@register_op
class ImageTextMatchingFilter(_ImageScoreFilter):
    name = "image_text_matching_filter"
    modality = "multimodal"
    Args = ItmArgs
    stats_keys = ("image_text_matching_score",)
    description = ("Scores whether each text chunk matches its images with BLIP's image-text matching head "
                   "(probability of 'match', reduced over the chunk's images) and keeps chunks in "
                   "[min_score, max_score]. Needs a local BLIP ITM checkpoint (hf_blip).")
    example = "image_text_matching_filter: {hf_blip: ./blip-itm-base-coco, min_score: 0.3}"
    requests = ("drop image-caption pairs that BLIP says do not match", "keep images whose caption matching probability is above 0.3",
                "remove captions that do not describe their picture", "删除BLIP判断图文不匹配的样本",
                "保留图文匹配概率高于0.3的图片", "去掉描述与图片不符的字幕")
    situations = (
        "alt texts on product pages often describe a different item than the one pictured",
        "I need a yes-or-no check of whether each caption actually describes its photo",
        "商品页的图片说明经常写的是另一件商品，不是图里这个",
        "想逐条判断配的文字到底是不是在描述这张图",
        "a bug shuffled the crowd-sourced captions, so some photos now sit next to the description of a "
        "completely different photo",
        "the vision-language model hallucinates because part of its captions mention objects that simply aren't "
        "in the picture",
        "the pet adoption posts say 'golden retriever puppy' under a picture of a cat, labels and pictures got "
        "mixed up",
        "众包标注的描述因为程序错位，好些照片配上了别的照片的描述",
        "宠物领养帖写着金毛幼犬，配的却是一只猫，图和文对不上号",
        "多模态模型老是说图里有某样东西，因为训练数据里不少描述讲的是画面里根本没有的物体",
    )

    def setup(self) -> None:
        from sandbox_engine.models.local_hf import local_model_dir

        self.folder = local_model_dir(self.args.hf_blip, self.name, "hf_blip", "a BLIP image-text matching "
                                      "model", "Salesforce/blip-itm-base-coco")

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        from sandbox_engine.models import local_hf

        a = self.args
        stats = ensure_stats(batch)
        texts, images = column(batch, a.text_key), column(batch, self.image_key)
        for i in self.missing_rows(stats):
            vals = []
            try:
                for chunk, paths in chunks_with_media(texts[i] or "", list(images[i] or []), IMAGE_TOKEN):
                    ims = flipped(load_images(paths, context, self.image_key), a.horizontal_flip, a.vertical_flip)
                    if ims:
                        itm = local_hf.load(local_hf.BlipItm, self.folder, a.accelerator)
                        vals.append(reduce(itm.scores(strip_tokens(chunk), ims), a.reduce_mode))
            except DataFormatError:
                vals = None
            stats[i][self.stats_keys[0]] = vals
        return batch


# -- image_aesthetics_filter / image_watermark_filter ------------------------------------------------------------

class ImageAestheticsArgs(FilterArgs):
    hf_scorer_model: str = model_field("", "A local simple-aesthetics-predictor checkpoint folder")
    trust_remote_code: bool = compat_flag()
    min_score: float = bound_field(0.5, "score", "min", "Minimum aesthetics score (0..1 for shunk031 models).")
    max_score: float = bound_field(1.0, "score", "max", "Maximum aesthetics score.")
    any_or_all: AnyOrAll = any_or_all_field("image")


class _PerImageModelFilter(_ImageScoreFilter):
    def score_images(self, images: list) -> list[float]:
        raise NotImplementedError

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        images = column(batch, self.image_key)
        todo = self.missing_rows(stats)
        unique = list(dict.fromkeys(p for i in todo for p in (images[i] or [])))
        scores = dict(zip(unique, self.score_images(load_images(unique, context, self.image_key)))) if unique else {}
        for i in todo:
            stats[i][self.stats_keys[0]] = [scores[p] for p in (images[i] or [])]
        return batch


@register_op
class ImageAestheticsFilter(_PerImageModelFilter):
    name = "image_aesthetics_filter"
    Args = ImageAestheticsArgs
    stats_keys = ("image_aesthetics_scores",)
    description = ("Scores each image with a CLIP-based aesthetics predictor (a local "
                   "simple-aesthetics-predictor checkpoint; shunk031 scores are divided by 10 to ~0..1) and "
                   "keeps images in [min_score, max_score].")
    example = "image_aesthetics_filter: {hf_scorer_model: ./aesthetics-predictor-v2-linear, min_score: 0.5}"
    requests = ("keep only aesthetically pleasing images with a score above 0.5", "drop ugly low-quality looking pictures",
                "filter images by an aesthetics score", "只保留美学分数高于0.5的好看图片", "删除难看的低质量图片",
                "按美学评分过滤图片")
    situations = (
        "the wallpaper generator should only learn from gorgeous, well-composed photos, not snapshots",
        "a lot of the product photos are dull, badly lit phone snaps that look amateurish",
        "做壁纸生成只想要构图好看、有美感的照片",
        "很多商品图拍得灰暗土气，看着就不专业",
        "the text-to-image model keeps producing muddy, cluttered compositions because its training photos are "
        "mostly careless snapshots",
        "the hotel's marketing material calls for stunning, magazine-quality pictures, not guests' casual uploads",
        "the real-estate listing photos are crooked and cluttered and look cheap next to professional ones",
        "文生图模型出图总是杂乱难看，训练图多是随手拍的废片",
        "酒店宣传物料要杂志级别的大片，住客随手上传的照片不够格",
        "二手房源照片又歪又乱，显得很廉价，跟专业摄影差太远",
    )

    def setup(self) -> None:
        from sandbox_engine.models.local_hf import local_model_dir

        self.folder = local_model_dir(self.args.hf_scorer_model, self.name, "hf_scorer_model",
                                      "a CLIP aesthetics predictor",
                                      "shunk031/aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE")

    def score_images(self, images: list) -> list[float]:
        from sandbox_engine.models import local_hf

        return local_hf.load(local_hf.AestheticsScorer, self.folder, self.args.accelerator).scores(images)


class ImageWatermarkArgs(FilterArgs):
    hf_watermark_model: str = model_field("amrul-hzz/watermark_detector", "A local image-classification "
                                          "checkpoint folder whose label 1 is 'watermark'")
    trust_remote_code: bool = compat_flag()
    prob_threshold: float = Field(0.8, description="Keep images whose watermark probability is at most this.",
                                  json_schema_extra=meta("probability", "max"))
    any_or_all: AnyOrAll = any_or_all_field("image")


@register_op
class ImageWatermarkFilter(_PerImageModelFilter):
    name = "image_watermark_filter"
    Args = ImageWatermarkArgs
    stats_keys = ("image_watermark_prob",)
    description = ("Scores each image with a watermark classifier (a local Hugging Face image classification "
                   "checkpoint such as amrul-hzz/watermark_detector) and keeps images whose watermark "
                   "probability is at most prob_threshold.")
    example = "image_watermark_filter: {hf_watermark_model: ./watermark_detector, prob_threshold: 0.8}"
    requests = ("remove images with watermarks", "drop pictures whose watermark probability is above 0.8",
                "filter out watermarked photos", "删除带水印的图片", "去掉水印概率高于0.8的图片", "过滤掉有水印的照片")
    situations = (
        "the stock photo crawl is full of previews stamped with the agency's logo",
        "many product pictures have a seller's shop name overlaid, we don't want those photos in training",
        "图库爬来的预览图上都盖着图库的logo",
        "很多商品图上打着店铺名字，这种图不要",
        "lots of the meme pictures carry a TikTok or Weibo handle stamped in the corner by whoever reposted them",
        "the image generator started painting semi-transparent lettering over its outputs because the training "
        "photos had copyright overlays",
        "every real-estate photo has the agency's translucent brand mark slapped across the middle",
        "很多表情包图片右下角都带着转发者的抖音号或微博ID",
        "生成模型画出来的图上总有半透明的字样，训练图片上的版权印记太多了",
        "楼盘照片中间都压着中介公司的半透明标志",
    )

    def setup(self) -> None:
        from sandbox_engine.models.local_hf import local_model_dir

        self.folder = local_model_dir(self.args.hf_watermark_model, self.name, "hf_watermark_model",
                                      "a watermark image classifier", "amrul-hzz/watermark_detector")

    def score_images(self, images: list) -> list[float]:
        from sandbox_engine.models import local_hf

        return local_hf.load(local_hf.ImageClassifier, self.folder, self.args.accelerator).positive_probs(images)

    def bounds(self) -> tuple[Any, Any]:
        return None, self.args.prob_threshold
