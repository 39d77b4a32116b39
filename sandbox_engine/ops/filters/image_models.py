"""Image filters backed by a model: NSFW score (open_nsfw ONNX) and image-text similarity (CLIP).

One value per image (NSFW) or per text chunk (CLIP) is stored; `any_or_all` decides for several, and a
sample without images is kept, as in Data-Juicer.
"""
from __future__ import annotations

from pydantic import Field

from sandbox_engine.fields import EOC_TOKEN, IMAGE_TOKEN, STATS
from sandbox_engine.ops.base import (AnyOrAll, Batch, Filter, FilterArgs, column, ensure_stats,
                                     register_op)
from sandbox_engine.ops.filters.image_basic import image_any_or_all, load_images


class _ScoreListFilter(Filter):
    """Keeps a sample when any/all of its scores lie in [min_score, max_score]; no score: kept."""

    stat: str = ""

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        return [self.keep_many(list(s[self.stat]), a.min_score, a.max_score, a.any_or_all)
                for s in batch[STATS]]


# -- image_nsfw_filter -------------------------------------------------------------------------------

class ImageNSFWArgs(FilterArgs):
    hf_nsfw_model: str = Field("Falconsai/nsfw_image_detection",
                               description="A local .onnx open_nsfw-style model; any other name uses "
                                           "the shipped Yahoo open_nsfw model.",
                               json_schema_extra={"measure": "path"})
    trust_remote_code: bool = Field(False, description="Accepted for compatibility; unused.",
                                    json_schema_extra={"measure": "flag"})
    min_score: float = Field(0.0, description="Lowest NSFW probability (0-1) kept.",
                             json_schema_extra={"measure": "probability", "bound": "min"})
    max_score: float = Field(0.5, description="Highest NSFW probability (0-1) kept: images scoring higher "
                                              "are dropped.",
                             json_schema_extra={"measure": "probability", "bound": "max"})
    any_or_all: AnyOrAll = image_any_or_all()


@register_op
class ImageNSFWFilter(_ScoreListFilter):
    name = "image_nsfw_filter"
    modality = "image"
    Args = ImageNSFWArgs
    stats_keys = ("image_nsfw_score",)
    stat = "image_nsfw_score"
    cost = "model"
    description = ("Scores each image with Yahoo's open_nsfw classifier (ONNX, offline) for the "
                   "probability that it is not safe for work, and keeps samples whose images score "
                   "between min_score and max_score (any or all of them). A sample without images is "
                   "kept.")
    example = "image_nsfw_filter: {max_score: 0.5}  # a sample whose image scores 0.9 is dropped"
    requests = ("make the image set safe for work", "过滤不安全的图片",
                "screen out not-safe-for-work pictures", "an nsfw probability beyond 0.6 disqualifies the image",
                "filter out pornographic or explicit images", "keep only safe-for-work images",
                "get rid of images that are adult content with probability over 0.8",
                "删除色情图片", "过滤掉不适合工作场所观看的图像", "去除NSFW概率高于0.5的图片", "只保留安全的图片")
    situations = (
        "the user-uploaded avatars include some explicit nudity that can't go into the training set",
        "scraped forum attachments contain porn pics, and the dataset must be safe to show clients",
        "用户上传的头像里混着裸露的照片",
        "论坛附件图里有黄图，数据要能给客户看",
        "the children's storybook illustration model must never see the lewd or sexually suggestive pictures "
        "hiding in the web scrape",
        "the dating-app photo dump has racy, x-rated pictures mixed in that would get our app pulled from the store",
        "a moderation audit found erotic material among the stock photos meant for a family-friendly ad campaign",
        "做儿童绘本生成，训练图里绝不能混进低俗擦边或露骨的画面",
        "社交软件导出的照片里夹杂着不雅照，模型上线会被下架",
        "网盘爬下来的图片里有不少限制级的成人内容",
    )

    def setup(self) -> None:
        from sandbox_engine.models import nsfw

        self._path = nsfw.resolve(self.args.hf_nsfw_model)

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        from sandbox_engine.models import nsfw

        stats = ensure_stats(batch)
        todo = self.missing_rows(stats)
        if not todo:
            return batch
        images = column(batch, self.image_key)
        paths = [p for i in todo for p in (images[i] or [])]
        unique = list(dict.fromkeys(paths))
        scores = dict(zip(unique, nsfw.load(self._path).scores(
            load_images(unique, context, self.image_key)))) if unique else {}
        for i in todo:
            stats[i][self.stat] = [scores[p] for p in (images[i] or [])]
        return batch


# -- image_text_similarity_filter ---------------------------------------------------------------------

class ImageTextSimilarityArgs(FilterArgs):
    hf_clip: str = Field("openai/clip-vit-base-patch32",
                         description="A local open_clip checkpoint (folder with open_clip_config.json, "
                                     "or a weights file beside one); hub names are refused.",
                         json_schema_extra={"measure": "path"})
    trust_remote_code: bool = Field(False, description="Accepted for compatibility; unused.",
                                    json_schema_extra={"measure": "flag"})
    min_score: float = Field(0.1, description="Lowest image-text (CLIP cosine) similarity kept.",
                             json_schema_extra={"measure": "similarity", "bound": "min"})
    max_score: float = Field(1.0, description="Highest image-text (CLIP cosine) similarity kept.",
                             json_schema_extra={"measure": "similarity", "bound": "max"})
    horizontal_flip: bool = Field(False, description="Mirror images left-right before scoring.",
                                  json_schema_extra={"measure": "flag", "cues": {
                                      "true": ["flip horizontally", "mirror the images", "horizontally mirrored", "mirrored version",
                                               "水平翻转", "左右镜像"]}})
    vertical_flip: bool = Field(False, description="Flip images top-bottom before scoring.",
                                json_schema_extra={"measure": "flag", "cues": {
                                    "true": ["flip vertically", "upside down", "垂直翻转", "上下翻转"]}})
    any_or_all: AnyOrAll = Field("any", description="Keep when any chunk passes, or only when all do.",
                                 json_schema_extra={"measure": "choice", "cues": {
                                     "any": ["any chunk", "at least one caption", "at least one image", "任意一段", "至少一段"],
                                     "all": ["all chunks", "every caption", "every image", "all images", "not just one",
                                             "所有段落", "每一段", "每张图都"]}})
    reduce_mode: str = Field("avg", description="How a chunk's several images reduce: avg, max, min.",
                             json_schema_extra={"measure": "choice", "cues": {
                                 "avg": ["average over the images", "mean score", "mean over", "平均分"],
                                 "max": ["best image", "maximum score", "max over", "max across", "最高分", "最高的那张"],
                                 "min": ["worst image", "minimum score", "min over", "min across", "最低分", "最低的那张"]}})


def strip_special_tokens(text: str) -> str:
    return text.replace(IMAGE_TOKEN, "").replace(EOC_TOKEN, "").strip()


@register_op
class ImageTextSimilarityFilter(_ScoreListFilter):
    name = "image_text_similarity_filter"
    modality = "multimodal"
    Args = ImageTextSimilarityArgs
    stats_keys = ("image_text_similarity",)
    stat = "image_text_similarity"
    cost = "GPU"
    description = ("Scores how well each text chunk matches its images with a CLIP model (cosine "
                   "similarity of the embeddings) and keeps samples whose chunks score between "
                   "min_score and max_score. Chunks are split on <|__dj__eoc|> and take as many images "
                   "as they hold <__dj__image> tokens. Needs a local open_clip checkpoint (hf_clip).")
    example = ("image_text_similarity_filter: {hf_clip: ./tiny_clip, min_score: 0.2}  "
               "# a caption unrelated to its image is dropped")
    requests = ("captions scoring under 0.22 CLIP similarity with their image must go",
                "remove captions that don't match their images", "keep image-text pairs that agree well",
                "filter out mismatched pictures and descriptions",
                "keep pairs with image-text similarity between 0.25 and 1",
                "删除图文相似度低于0.2的样本", "过滤掉图片和描述不匹配的数据", "保留图文一致的图像文本对",
                "去掉配文与图片无关的样本")
    situations = (
        "the web alt texts are only loosely related to their pictures, drop the weakly related ones",
        "many scraped captions are generic filler like 'image' or 'photo' that say little about the picture",
        "网页图片的alt文字和图片关系很松散，关联度低的不要",
        "很多配图文字是“图片”“截图”这类空话，跟画面内容关系不大",
        "news photos are paired with the article headline, and often the headline is about policy while the "
        "picture is just some building",
        "in the meme set the text under many pictures is an inside joke with no visible connection to the "
        "image, which muddles contrastive training",
        "text-to-image search works poorly because many picture/description pairs sit far apart semantically",
        "新闻配图和标题常常八竿子打不着，标题讲政策，图是一栋楼",
        "表情包下面的文字多是梗，和画面内容几乎不沾边，对比学习学不到东西",
        "做以文搜图，很多图片和说明文字在语义上离得很远，检索效果很差",
    )

    def setup(self) -> None:
        from sandbox_engine.models import clip

        if self.args.reduce_mode not in ("avg", "max", "min"):
            raise self.bad_arg("reduce_mode", self.args.reduce_mode, "allowed: 'avg', 'max', 'min'")
        clip.resolve(self.args.hf_clip, self.name)  # ModelUnavailableError now, not mid-run

    def _chunk_scores(self, scorer, text: str, paths: list[str], context: dict | None) -> list[float]:
        from PIL import ImageOps

        a = self.args
        images = load_images(paths, context, self.image_key)
        offset, out = 0, []
        for chunk in text.split(EOC_TOKEN):
            count = chunk.count(IMAGE_TOKEN)
            if count == 0 or len(chunk) == 0:
                continue
            chunk_images = []
            for im in images[offset:offset + count]:
                if a.horizontal_flip:
                    im = ImageOps.mirror(im)
                if a.vertical_flip:
                    im = ImageOps.flip(im)
                chunk_images.append(im)
            offset += count
            if not chunk_images:
                continue
            sims = scorer.similarity(strip_special_tokens(chunk), chunk_images)
            red = {"avg": sims.mean, "max": sims.max, "min": sims.min}[a.reduce_mode]()
            out.append(float(red))
        return out

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        from sandbox_engine.models import clip

        stats = ensure_stats(batch)
        todo = self.missing_rows(stats)
        if not todo:
            return batch
        texts, images = column(batch, self.text_key), column(batch, self.image_key)
        scorer = None
        for i in todo:
            paths = images[i] or []
            if not paths:
                stats[i][self.stat] = []
                continue
            scorer = scorer or clip.load(self.args.hf_clip)
            stats[i][self.stat] = self._chunk_scores(scorer, texts[i] or "", paths, context)
        return batch
