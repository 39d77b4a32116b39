"""Video mappers backed by a model that no PyPI package ships (Data-Juicer 1.4.3 semantics):

- video_tagging_from_frames_mapper: RAM++ (the `ram` package from the recognize-anything repository and
  its checkpoint ram_plus_swin_large_14m.pth in Data-Juicer's asset cache);
- video_captioning_from_frames_mapper: BLIP-2 (a local Hugging Face folder).
Both load from disk only and name what to provide when it is missing.
"""
from __future__ import annotations

import copy
import os
import random
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from sandbox_engine.errors import DataFormatError, ModelUnavailableError
from sandbox_engine.fields import EOC_TOKEN, META
from sandbox_engine.ops.base import AnyOrAll, Batch, Filter, FilterArgs, Mapper, OpArgs, column, register_op
from sandbox_engine.ops.filters.video_models import flipped
from sandbox_engine.ops.mappers.video_split import batch_of, rows_of
from sandbox_engine.ops.media_fields import (any_or_all_field, compat_flag, flip_field, frame_num_field, meta, model_field,
                                             num_field, sampling_field)
from sandbox_engine.ops.video_io import VIDEO_TOKEN, chunks_with_media, frame_images, strip_tokens

RAM_FILE = "ram_plus_swin_large_14m.pth"


def assets_dir() -> Path:
    return Path(os.environ.get("DATA_JUICER_ASSETS_CACHE", "~/.cache/data_juicer/assets")).expanduser()


class RamTagger:
    """RAM++ (swin_l, 384) as upstream: frames through ram.get_transform(384) into generate_tag."""

    def __init__(self, checkpoint: Path, accelerator: str | None = None):
        import torch
        from ram import get_transform
        from ram.models import ram_plus

        self.device = "cuda" if accelerator != "cpu" and torch.cuda.is_available() else "cpu"
        self.model = ram_plus(pretrained=str(checkpoint), image_size=384, vit="swin_l").to(self.device).eval()
        self.transform = get_transform(image_size=384)

    def tags(self, images: list) -> list[str]:
        """All frames' tags, counted and sorted by count (ties by first seen)."""
        import torch

        counts: Counter = Counter()
        with torch.inference_mode():
            for im in images:
                tags = self.model.generate_tag(self.transform(im).unsqueeze(0).to(self.device))[0][0]
                for t in tags.split("|"):
                    t = t.strip()
                    if t:
                        counts[t] += 1
        return [t for t, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


def ram_checkpoint(op: str) -> Path:
    try:
        import ram  # noqa: F401
    except ImportError:
        raise ModelUnavailableError(
            f"operator {op!r} needs RAM++ (recognize-anything): install the `ram` package from the "
            f"recognize-anything repository and put {RAM_FILE} in {assets_dir()} "
            "(or $DATA_JUICER_ASSETS_CACHE); nothing is downloaded at run time") from None
    path = assets_dir() / RAM_FILE
    if not path.is_file():
        raise ModelUnavailableError(f"operator {op!r}: the RAM++ checkpoint {path} is missing; copy "
                                    f"{RAM_FILE} there (nothing is downloaded at run time)")
    return path


class TaggingArgs(OpArgs):
    frame_sampling_method: Literal["all_keyframes", "uniform"] = sampling_field()
    frame_num: int = frame_num_field()
    tag_field_name: str = Field("video_frame_tags", description="Meta key receiving one tag list per video.",
                                json_schema_extra=meta("field"))


def tag_rows(op: Any, tagger_factory, batch: Batch) -> Batch:
    """meta[tag_field_name] = one lowercased tag list per video ([[]] without videos)."""
    a = op.args
    metas = list(column(batch, META))
    videos = column(batch, a.video_key)
    tagger = None
    for i, paths in enumerate(videos):
        m = dict(metas[i] or {})
        if a.tag_field_name in m:
            continue
        paths = list(paths or [])
        if not paths:
            m[a.tag_field_name] = [[]]
        else:
            tagger = tagger or tagger_factory()
            m[a.tag_field_name] = [tagger.tags(frame_images(p, a.frame_sampling_method, a.frame_num))
                                   for p in paths]
        metas[i] = m
    batch[META] = metas
    return batch


@register_op
class VideoTaggingFromFramesMapper(Mapper):
    name = "video_tagging_from_frames_mapper"
    modality = "video"
    Args = TaggingArgs
    cost = "GPU"
    description = ("Tags what the video shows with RAM++ on its key frames (or frame_num uniform frames): "
                   "tags of all frames, sorted by how often they appear, go into meta[tag_field_name], one "
                   "list per video. Needs the RAM++ package and checkpoint on disk.")
    example = "video_tagging_from_frames_mapper: {frame_sampling_method: uniform, frame_num: 4}"
    requests = ("tag the objects shown in each video", "add content tags to the videos from their frames",
                "label what appears in every video clip", "给每个视频标注画面中的物体",
                "根据视频帧给视频添加内容标签", "标注每个视频片段里出现的东西", "从视频里抽几帧给视频打标签")
    situations = (
        "nobody knows what's in our archive videos, record which objects appear so we can search later",
        "the stock footage needs keywords listing what appears on screen, without removing any clip",
        "存档视频没人知道里面拍了什么，先记下出现的东西方便检索",
        "给素材库视频配上画面里物体的关键词，一条都不删",
        "before deciding how to rebalance the data we want an inventory of which things (dogs, cars, beaches) "
        "show up in each clip, with every clip staying",
        "the recommendation team wants labels like kitchen, cat or snow attached to each short video's metadata "
        "for later analysis",
        "our dashcam corpus has zero annotations; knowing which objects appear per clip would let us study "
        "coverage, nothing gets thrown out",
        "想先统计每个视频里都出现了哪些东西（狗、车、海滩之类），再决定怎么配比，视频全部保留",
        "推荐团队希望每条短视频的元数据里都挂上“厨房”“猫”“雪景”这类标签，留作后续分析",
        "行车记录仪数据一点标注都没有，想知道每段里出现了什么物体，但一条都不删",
    )

    def setup(self) -> None:
        self.checkpoint = ram_checkpoint(self.name)

    def tagger(self) -> RamTagger:
        from sandbox_engine.models import cached

        return cached(("ram", str(self.checkpoint)), lambda: RamTagger(self.checkpoint, self.args.accelerator))

    def process_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        return tag_rows(self, self.tagger, batch)


# -- video_captioning_from_frames_mapper -------------------------------------------------------------------

class CaptioningArgs(OpArgs):
    hf_img2seq: str = model_field("Salesforce/blip2-opt-2.7b", "A local BLIP-2 (image-to-text) checkpoint folder")
    trust_remote_code: bool = compat_flag()
    caption_num: int = num_field(1, "count", "Candidate captions per chunk.", ge=1)
    keep_candidate_mode: Literal["random_any", "similar_one_simhash", "all"] = Field(
        "random_any", description="Which candidate captions become new samples.",
        json_schema_extra=meta("choice", cues={"random_any": ["one random caption", "随机一个"],
                                                "similar_one_simhash": ["the most similar caption", "最相似的",
                                                                        "simhash最接近", "和原文最接近", "原文本最接近", "closest to the original text"],
                                                "all": ["all captions", "全部描述", "所有候选都保留", "候选都留",
                                                        "候选全部保留", "候选全留", "every candidate caption",
                                                        "keep every candidate", "keep all candidates", "条都要保留", "条都保留", "候选都要保留",
                                                        "描述都保留", "keep both captions", "keep all the candidates"]}))
    keep_original_sample: bool = Field(True, description="Keep the original sample too.",
                                       json_schema_extra=meta("flag", cues={"false": ["replace the captions",
                                                                                      "replace the original",
                                                                                      "替换原描述", "替换原样本"]}))
    prompt: str | None = Field(None, description="A prompt for the captioner.", json_schema_extra=meta("text"))
    prompt_key: str | None = Field(None, description="Field holding a per-sample prompt.",
                                   json_schema_extra=meta("field"))
    frame_sampling_method: Literal["all_keyframes", "uniform"] = sampling_field()
    frame_num: int = frame_num_field()
    horizontal_flip: bool = flip_field("horizontal")
    vertical_flip: bool = flip_field("vertical")


@register_op
class VideoCaptioningFromFramesMapper(Mapper):
    name = "video_captioning_from_frames_mapper"
    modality = "multimodal"
    Args = CaptioningArgs
    cost = "GPU"
    description = ("Writes new captions for videos: each sampled frame is captioned by a BLIP-2 model (a "
                   "local checkpoint) and the frame captions are joined with '. '; caption_num candidates "
                   "per chunk, kept by keep_candidate_mode, become new samples beside the original.")
    example = "video_captioning_from_frames_mapper: {hf_img2seq: ./blip2-opt-2.7b, caption_num: 2}"
    requests = ("generate captions for the videos from their frames", "write new descriptions for each video clip",
                "caption every video with BLIP-2", "根据视频帧为视频生成描述", "为每个视频片段写新的字幕描述",
                "用BLIP-2给每个视频生成标题", "describe what is actually on screen in every clip",
                "根据画面内容给每条视频重新写描述")
    situations = (
        "the stock footage library has no descriptions, so nobody can search for the clips",
        "the tutorial recordings arrive with empty text fields, describe in sentences what is on screen",
        "素材库里的视频都没有文字描述，没法搜索",
        "教程录屏没有配文，想根据画面内容自动写上说明",
        "the existing captions are just camera file names and junk strings, so the video-text model has no real "
        "sentences to learn from",
        "text-to-video training needs natural sentences describing each clip's visuals, and our drone archive has "
        "none at all",
        "the titles we scraped are hashtags and emojis; a sentence describing what's visible would pair much "
        "better, next to the originals",
        "现有的配文就是一串相机文件名和乱码，视频文本模型学不到像样的句子",
        "做文生视频训练需要一句句描述画面内容的文字，可航拍素材库里一条都没有",
        "抓来的标题全是话题标签和表情符号，想另外有一份描述画面的自然语句，原来的也留着",
    )

    def setup(self) -> None:
        from sandbox_engine.models.local_hf import local_model_dir

        self.folder = local_model_dir(self.args.hf_img2seq, self.name, "hf_img2seq",
                                      "a BLIP-2 image captioning model", "Salesforce/blip2-opt-2.7b")

    def caption_video(self, captioner, path: str, prompt: str | None) -> str:
        a = self.args
        frames = flipped(frame_images(path, a.frame_sampling_method, a.frame_num), a.horizontal_flip,
                         a.vertical_flip)
        return ". ".join(captioner.captions(frames, prompt))

    def new_samples(self, captioner, sample: dict) -> list[dict]:
        a = self.args
        text = sample.get(a.text_key) or ""
        videos = list(sample.get(a.video_key) or [])
        prompt = sample.get(a.prompt_key) if a.prompt_key else a.prompt
        candidates: list[str] = [""] * a.caption_num
        for chunk, vids in chunks_with_media(text, videos, VIDEO_TOKEN):
            per_chunk = []
            for _ in range(a.caption_num):
                parts = [VIDEO_TOKEN + " " + self.caption_video(captioner, v, prompt) + " " for v in vids]
                per_chunk.append("".join(parts) + EOC_TOKEN)
            if a.keep_candidate_mode == "random_any":
                per_chunk = [random.choice(per_chunk)]
            elif a.keep_candidate_mode == "similar_one_simhash":
                per_chunk = [self.most_similar(strip_tokens(chunk), per_chunk)]
            for k, c in enumerate(per_chunk):
                candidates[k] += c
        out = []
        for c in candidates:
            if c:
                new = copy.deepcopy(sample)
                new[a.text_key] = c
                out.append(new)
        return out

    @staticmethod
    def most_similar(ref: str, candidates: list[str]) -> str:
        import numpy as np

        from sandbox_engine.ops.deduplicators.simhash import simhashes

        def shingles(t: str) -> list[bytes]:
            toks = t.lower().split()
            return [" ".join(toks[i:i + 2]).encode() for i in range(max(1, len(toks) - 1))]

        hs = simhashes([shingles(ref)] + [shingles(strip_tokens(c)) for c in candidates])
        dist = [bin(int(np.uint64(hs[0]) ^ np.uint64(h))).count("1") for h in hs[1:]]
        return candidates[int(np.argmin(dist))]

    def process_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        from sandbox_engine.models import local_hf

        keys = list(batch)
        captioner = None
        out = []
        for row in rows_of(batch):
            if self.args.keep_original_sample:
                out.append(row)
            if not row.get(self.args.video_key):
                continue
            captioner = captioner or local_hf.load(local_hf.Blip2Captioner, self.folder, self.args.accelerator)
            try:
                out.extend(self.new_samples(captioner, row))
            except DataFormatError:
                continue
        return batch_of(out, keys)


# -- video_tagging_from_frames_filter (a filter on the mapper's tags; kept here beside the tagger) ---------

class TaggingFilterArgs(FilterArgs):
    tags: list[str] = Field(["people"], description="Tags to look for (lowercase).",
                            json_schema_extra=meta("values"))
    contain: Literal["any", "all"] = Field("any", description="A video passes when it has any of the tags, "
                                           "or all of them.", json_schema_extra=meta("choice", cues={
                                               "any": ["any of the tags", "任一标签", "有其中一个", "有一个就行", "任意一个"],
                                               "all": ["all of the tags", "both", "every one of the tags", "全部标签", "同时包含", "同时有", "同时含有", "同时出现", "同时被", "同时打上", "同时标有",
                                                       "都包含", "都要有", "都得有", "都有的", "两个都", "缺一不可", "each of the tags"]}))
    frame_sampling_method: Literal["all_keyframes", "uniform"] = sampling_field()
    frame_num: int = frame_num_field()
    tag_field_name: str = Field("video_frame_tags", description="Meta key holding the tags.",
                                json_schema_extra=meta("field"))
    any_or_all: AnyOrAll = any_or_all_field()


@register_op
class VideoTaggingFromFramesFilter(Filter):
    name = "video_tagging_from_frames_filter"
    modality = "video"
    Args = TaggingFilterArgs
    cost = "GPU"
    description = ("Tags each video's frames with RAM++ (as video_tagging_from_frames_mapper) and keeps "
                   "samples whose videos show any (or all) of the given tags, e.g. only videos with people. "
                   "A sample without videos gets no tags and is dropped with contain=any, as upstream.")
    example = "video_tagging_from_frames_filter: {tags: [dog, cat], contain: any}"
    requests = ("keep only videos that show people", "drop videos without a dog or a cat in them",
                "filter videos by the objects tagged in their frames", "只保留画面中有人的视频",
                "删除没有出现猫或狗的视频", "按帧中标注的物体过滤视频")
    situations = (
        "for the traffic model we only care about footage where cars actually appear",
        "the cooking dataset should only contain videos that show food on screen",
        "交通模型只要画面里真的出现了汽车的视频",
        "美食数据集只留画面里能看到食物的视频",
        "the pet-video dataset somehow contains lots of clips with no animal in sight at all, just empty living "
        "rooms",
        "for the pedestrian-detection project, footage in which no person ever shows up is useless to us",
        "the wildlife set got polluted by clips of parking lots and offices; only the ones where a bird or a deer "
        "is visible matter",
        "宠物视频数据集里混了很多压根看不到猫狗的片段，只有空荡荡的客厅",
        "行人检测项目里，从头到尾没出现过人的录像对我们毫无用处",
        "野生动物数据里混进了停车场和办公室的片子，只有能看到鸟或鹿的才有价值",
    )

    def setup(self) -> None:
        self.checkpoint = ram_checkpoint(self.name)
        self.tags_lower = [t.lower() for t in self.args.tags]

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        from sandbox_engine.models import cached

        factory = lambda: cached(("ram", str(self.checkpoint)),  # noqa: E731
                                 lambda: RamTagger(self.checkpoint, self.args.accelerator))
        try:
            return tag_rows(self, factory, batch)
        except DataFormatError:
            return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        out = []
        for m in column(batch, META):
            per_video = (m or {}).get(a.tag_field_name)
            if per_video is None:
                out.append(False)
                continue
            flags = []
            for tags in per_video:
                tags = {t.lower() for t in tags}
                ok = bool(tags & set(self.tags_lower)) if a.contain == "any" else set(self.tags_lower) <= tags
                flags.append((not ok) if a.reversed_range else ok)
            out.append(any(flags) if a.any_or_all == "any" else all(flags))
        return out
