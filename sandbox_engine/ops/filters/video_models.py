"""Video filters backed by a model (Data-Juicer 1.4.3 semantics, frames sampled as upstream):

- video_frames_text_similarity_filter: the frames through the CLIP the image ops use (a local open_clip
  checkpoint), chunk-level;
- video_nsfw_filter: the frames through the shipped open_nsfw model (or a local .onnx);
- video_watermark_filter, video_aesthetics_filter: local Hugging Face checkpoints (`models.local_hf`);
- video_ocr_area_ratio_filter: EasyOCR's CRAFT detector from a local model folder;
- video_motion_score_raft_filter: torchvision's RAFT-large with its weights file on disk;
- video_tagging_from_frames_filter: RAM++ tags (see mappers/video_models.py).
A model that is not on disk is a clear ModelUnavailableError at construction, naming what to provide.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from sandbox_engine.errors import DataFormatError, ModelUnavailableError
from sandbox_engine.ops.base import AnyOrAll, Batch, FilterArgs, column, ensure_stats, register_op
from sandbox_engine.ops.filters.video_basic import VideoFilter, VideoMotionArgs, motion_score
from sandbox_engine.ops.media_fields import (any_or_all_field, bound_field, compat_flag, flip_field,
                                             frame_num_field, meta, model_field, reduce_field,
                                             sampling_field)
from sandbox_engine.ops.video_io import VIDEO_TOKEN, chunks_with_media, frame_images, strip_tokens

Sampling = Literal["all_keyframes", "uniform"]
Reduce = Literal["avg", "max", "min"]


def reduce(values: list[float], mode: str) -> float:
    if not values:
        return 0.0
    if mode == "max":
        return float(max(values))
    if mode == "min":
        return float(min(values))
    return float(sum(values) / len(values))


def flipped(images: list, horizontal: bool, vertical: bool) -> list:
    from PIL import ImageOps

    out = []
    for im in images:
        if horizontal:
            im = ImageOps.mirror(im)
        if vertical:
            im = ImageOps.flip(im)
        out.append(im)
    return out


class _FrameScoreFilter(VideoFilter):
    """Per distinct video: sample frames, score each, reduce; keep by [min_score, max_score]."""

    cost = "model"

    def frame_scores(self, images: list) -> list[float]:
        raise NotImplementedError

    def values(self, paths: list[str]) -> list[float]:
        a = self.args
        cache: dict[str, float] = {}
        for p in dict.fromkeys(paths):
            images = frame_images(p, a.frame_sampling_method, a.frame_num)
            cache[p] = reduce(self.frame_scores(images), a.reduce_mode)
        return [cache[p] for p in paths]

    def keep_value(self, v: Any) -> bool:
        return self.keep(v, self.args.min_score, self.args.max_score)


# -- video_frames_text_similarity_filter ------------------------------------------------------------------

class FramesTextSimArgs(FilterArgs):
    hf_clip: str = model_field("openai/clip-vit-base-patch32", "A local open_clip checkpoint folder "
                               "(open_clip_config.json + weights), as image_text_similarity_filter takes")
    trust_remote_code: bool = compat_flag()
    min_score: float = bound_field(0.1, "similarity", "min", "Minimum frames-text similarity.")
    max_score: float = bound_field(1.0, "similarity", "max", "Maximum frames-text similarity.")
    frame_sampling_method: Sampling = sampling_field()
    frame_num: int = frame_num_field()
    horizontal_flip: bool = flip_field("horizontal")
    vertical_flip: bool = flip_field("vertical")
    any_or_all: AnyOrAll = any_or_all_field("chunk")
    reduce_mode: Reduce = reduce_field()


@register_op
class VideoFramesTextSimilarityFilter(VideoFilter):
    name = "video_frames_text_similarity_filter"
    modality = "multimodal"
    Args = FramesTextSimArgs
    stats_keys = ("video_frames_text_similarity",)
    cost = "GPU"
    description = ("Scores how well each text chunk matches the frames of its videos with a CLIP model "
                   "(cosine similarity of frame and text embeddings, reduced over frames by avg, max or "
                   "min) and keeps samples whose chunks score in [min_score, max_score]. Frames are the key "
                   "frames or frame_num uniform ones. Needs a local open_clip checkpoint (hf_clip).")
    example = "video_frames_text_similarity_filter: {hf_clip: ./tiny_clip, min_score: 0.2}"
    requests = ("drop videos whose caption does not match the frames", "keep clips whose frames are similar "
                "to the text with similarity above 0.2", "remove video-text pairs with mismatched captions",
                "filter videos by CLIP similarity between frames and caption",
                "删除字幕与画面不匹配的视频", "保留画面与文本相似度高于0.2的视频", "去掉视频和描述不对应的样本",
                "用CLIP相似度按帧和文本过滤视频")
    situations = (
        "the scraped title next to each video often has nothing to do with what the video shows",
        "爬来的视频标题经常和画面内容毫不相干",
        "the titles of many short videos are clickbait that has nothing to do with what's shown",
        "livestream clips were paired with the wrong product descriptions during export",
        "很多短视频标题是标题党，跟画面内容毫无关系",
        "导出时直播切片配错了商品文案，画面和文字对不上",
        "after a bug in the merge script the descriptions slipped by one row, so a cooking clip is described as a "
        "football match",
        "the scraped text for many videos is boilerplate like 'like and subscribe' and says nothing about what "
        "the footage shows",
        "our text-to-video retrieval model gets dragged off course by pairs whose narration talks about things "
        "never seen on screen",
        "合并脚本出了bug，描述整体错位了一行，做菜的视频配上了足球比赛的文字",
        "很多视频的文案是“点赞关注”之类的套话，和镜头里拍的东西八竿子打不着",
        "做文字搜视频的检索模型，说的和拍的不是一回事的样本会把结果带偏",
    )

    def setup(self) -> None:
        from sandbox_engine.models import clip

        clip.resolve(self.args.hf_clip, self.name)

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        from sandbox_engine.models import clip

        a = self.args
        stats = ensure_stats(batch)
        texts, videos = column(batch, a.text_key), column(batch, a.video_key)
        frames: dict[str, list] = {}
        for i in self.missing_rows(stats):
            paths = list(videos[i] or [])
            if not paths:
                stats[i][self.stats_keys[0]] = []
                continue
            try:
                vals = []
                for chunk, vids in chunks_with_media(texts[i] or "", paths, VIDEO_TOKEN):
                    ims = []
                    for v in vids:
                        if v not in frames:
                            frames[v] = frame_images(v, a.frame_sampling_method, a.frame_num)
                        ims.extend(flipped(frames[v], a.horizontal_flip, a.vertical_flip))
                    if not ims:
                        vals.append(0.0)
                        continue
                    sims = clip.load(a.hf_clip).similarity(strip_tokens(chunk), ims)
                    vals.append(reduce(sims.flatten().tolist(), a.reduce_mode))
            except DataFormatError:
                vals = None
            stats[i][self.stats_keys[0]] = vals
        return batch

    def keep_value(self, v: Any) -> bool:
        return self.keep(v, self.args.min_score, self.args.max_score)


# -- video_nsfw_filter --------------------------------------------------------------------------------------

class VideoNSFWArgs(FilterArgs):
    hf_nsfw_model: str = model_field("Falconsai/nsfw_image_detection", "A local .onnx open_nsfw-style "
                                     "model; any other name uses the shipped Yahoo open_nsfw model")
    trust_remote_code: bool = compat_flag()
    min_score: float = bound_field(0.0, "probability", "min", "Minimum NSFW probability.")
    max_score: float = bound_field(0.5, "probability", "max", "Maximum NSFW probability.")
    frame_sampling_method: Sampling = sampling_field()
    frame_num: int = frame_num_field()
    reduce_mode: Reduce = reduce_field()
    any_or_all: AnyOrAll = any_or_all_field()


@register_op
class VideoNSFWFilter(_FrameScoreFilter):
    name = "video_nsfw_filter"
    Args = VideoNSFWArgs
    stats_keys = ("video_nsfw_score",)
    description = ("Scores sampled frames of each video with Yahoo's open_nsfw classifier (ONNX, offline), "
                   "reduces them (avg, max or min) and keeps samples whose videos score between min_score "
                   "and max_score. A sample without videos is kept.")
    example = "video_nsfw_filter: {max_score: 0.3, reduce_mode: max}"
    requests = ("remove NSFW videos", "drop video clips with adult content probability above 0.3",
                "filter out videos that are not safe for work", "keep only safe videos",
                "删除色情视频", "去掉成人内容概率高于0.3的视频片段", "过滤掉不适合工作场合的视频", "只保留安全的视频")
    situations = (
        "some livestream recordings contain nudity that can't appear in our dataset",
        "the short-video crawl picked up explicit adult clips mixed among the dance videos",
        "有些直播录像里出现了裸露画面",
        "短视频爬取混进了黄色片段",
        "the model will ship inside a kids' education app, so footage with porn or sexual scenes has no place in "
        "the training clips",
        "moderators report that some movie excerpts in the crawl contain sex scenes and full frontal shots",
        "a bunch of cam-site recordings sneaked into the vlog scrape; they're R-rated and totally inappropriate "
        "for a workplace demo",
        "模型要用在少儿教育产品里，训练视频里不能出现涉黄、暴露的镜头",
        "审核同事反馈抓来的电影片段里有床戏和露点镜头",
        "vlog数据里混进了一些擦边的秀场直播录屏，尺度太大，完全不适合公开演示",
    )

    def setup(self) -> None:
        from sandbox_engine.models import nsfw

        self._path = nsfw.resolve(self.args.hf_nsfw_model)

    def frame_scores(self, images: list) -> list[float]:
        from sandbox_engine.models import nsfw

        return nsfw.load(self._path).scores(images) if images else []


# -- video_watermark_filter ----------------------------------------------------------------------------------

class VideoWatermarkArgs(FilterArgs):
    hf_watermark_model: str = model_field("amrul-hzz/watermark_detector", "A local image-classification "
                                          "checkpoint folder whose label 1 is 'watermark'")
    trust_remote_code: bool = compat_flag()
    prob_threshold: float = Field(0.8, description="Keep videos whose watermark probability is at most this.",
                                  json_schema_extra=meta("probability", "max"))
    frame_sampling_method: Sampling = sampling_field()
    frame_num: int = frame_num_field()
    reduce_mode: Reduce = reduce_field()
    any_or_all: AnyOrAll = any_or_all_field()


@register_op
class VideoWatermarkFilter(_FrameScoreFilter):
    name = "video_watermark_filter"
    Args = VideoWatermarkArgs
    stats_keys = ("video_watermark_prob",)
    cost = "GPU"
    description = ("Scores sampled frames with a watermark classifier (a local Hugging Face image "
                   "classification checkpoint such as amrul-hzz/watermark_detector), reduces the "
                   "probabilities and keeps videos at or below prob_threshold.")
    example = "video_watermark_filter: {hf_watermark_model: ./watermark_detector, prob_threshold: 0.8}"
    requests = ("remove videos with watermarks", "drop clips whose watermark probability is above 0.8",
                "filter out watermarked videos", "删除带水印的视频", "去掉水印概率高于0.8的视频片段",
                "过滤掉有水印的视频")
    situations = (
        "clips re-uploaded from short-video apps carry the platform's logo, drop those videos",
        "a lot of the scraped footage has a TV channel mark in the corner, we'd rather not train on it at all",
        "从短视频平台搬运来的片子都带平台logo，整条不要",
        "很多抓来的影片带着电视台标志，这类视频直接剔除",
        "our generator started painting a semi-transparent stock-site stamp onto its outputs, because the "
        "training clips were full of preview footage carrying that overlay",
        "lots of the downloaded b-roll is the free preview version with a diagonal watermark grid over the whole "
        "frame; there's no cleaning that, those clips are simply useless",
        "legal says nothing bearing another company's branded overlay may enter the corpus, and there's plenty of "
        "clean footage anyway",
        "生成模型开始在视频上画出半透明的图库印记，因为训练素材里全是带这种印记的预览片",
        "下载的素材很多是免费预览版，整个画面铺满斜着的水印网格，根本没法修，这些片子没用",
        "版權部門說帶有別家標識的影片一律不能進語料，反正乾淨的素材也夠多",
    )

    def setup(self) -> None:
        from sandbox_engine.models.local_hf import local_model_dir

        self.folder = local_model_dir(self.args.hf_watermark_model, self.name, "hf_watermark_model",
                                      "a watermark image classifier", "amrul-hzz/watermark_detector")

    def frame_scores(self, images: list) -> list[float]:
        from sandbox_engine.models import local_hf

        return local_hf.load(local_hf.ImageClassifier, self.folder, self.args.accelerator).positive_probs(images)

    def keep_value(self, v: Any) -> bool:
        ok = v <= self.args.prob_threshold
        return (not ok) if self.args.reversed_range else ok


# -- video_aesthetics_filter ------------------------------------------------------------------------------

class VideoAestheticsArgs(FilterArgs):
    hf_scorer_model: str = model_field("", "A local simple-aesthetics-predictor checkpoint folder "
                                       "(CLIP vision tower + linear head)")
    trust_remote_code: bool = compat_flag()
    min_score: float = bound_field(0.4, "score", "min", "Minimum aesthetics score (0..1 for shunk031 models).")
    max_score: float = bound_field(1.0, "score", "max", "Maximum aesthetics score.")
    frame_sampling_method: Sampling = sampling_field("uniform")
    frame_num: int = frame_num_field()
    any_or_all: AnyOrAll = any_or_all_field()
    reduce_mode: Reduce = reduce_field()


@register_op
class VideoAestheticsFilter(_FrameScoreFilter):
    name = "video_aesthetics_filter"
    Args = VideoAestheticsArgs
    stats_keys = ("video_frames_aesthetics_score",)
    cost = "GPU"
    description = ("Scores sampled frames with a CLIP-based aesthetics predictor (a local "
                   "simple-aesthetics-predictor checkpoint; shunk031 scores are divided by 10 to ~0..1), "
                   "reduces them and keeps videos in [min_score, max_score].")
    example = "video_aesthetics_filter: {hf_scorer_model: ./aesthetics-predictor-v2-linear, min_score: 0.5}"
    requests = ("keep only beautiful videos with an aesthetics score above 0.5", "drop ugly low-aesthetic video clips",
                "filter videos by visual aesthetics score", "只保留美学分数高于0.5的视频", "删除画面不美观的视频片段",
                "按视觉美学分数过滤视频")
    situations = (
        "for a cover-picking model we only want videos whose picture looks pleasant and good",
        "只想留画面看着舒服、好看的视频",
        "for the travel ad generator we want cinematic, beautifully shot footage, not dull phone video",
        "lots of the user-uploaded clips look cheap and washed out, the promo model needs good-looking visuals",
        "做旅游宣传片生成，只要拍得有电影感、画面漂亮的素材",
        "很多用户上传的视频画面灰蒙蒙的，看着很廉价",
        "the text-to-video outputs look amateurish, probably because it learned from badly framed, poorly lit "
        "home movies",
        "we're curating a showcase of gorgeous landscape shots, and the murky, awkwardly composed clips drag the "
        "collection down",
        "the brand's mood-film generator should only ever learn from visually pleasing footage with tasteful "
        "colour grading",
        "文生视频模型出来的画面总有股业余感，大概是学了太多构图随意、光线昏暗的家庭录像",
        "想挑一批好看的风景镜头做精选集，那些构图别扭、色彩发脏的片段拉低了整体水准",
        "品牌要的是高级感，调色难看、画面土气的视频放进来就不对味",
    )

    def setup(self) -> None:
        from sandbox_engine.models.local_hf import local_model_dir

        self.folder = local_model_dir(self.args.hf_scorer_model, self.name, "hf_scorer_model",
                                      "a CLIP aesthetics predictor",
                                      "shunk031/aesthetics-predictor-v2-sac-logos-ava1-l14-linearMSE")

    def frame_scores(self, images: list) -> list[float]:
        from sandbox_engine.models import local_hf

        return local_hf.load(local_hf.AestheticsScorer, self.folder, self.args.accelerator).scores(images)


# -- video_ocr_area_ratio_filter --------------------------------------------------------------------------

class VideoOCRArgs(FilterArgs):
    min_area_ratio: float = bound_field(0, "ratio", "min", "Minimum text area / frame area.")
    max_area_ratio: float = bound_field(1.0, "ratio", "max", "Maximum text area / frame area.")
    frame_sample_num: int = frame_num_field(3)
    languages_to_detect: list[str] = Field(["ch_sim", "en"], description="EasyOCR language codes.",
                                           json_schema_extra=meta("language"))
    any_or_all: AnyOrAll = any_or_all_field()


def quad_area(pts: list) -> float:
    def tri(a, b, c):
        return abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2

    p1, p2, p3, p4 = pts
    return tri(p1, p2, p3) + tri(p3, p4, p1)


def ocr_area(horizontal: list, free: list) -> float:
    """EasyOCR detect() boxes: [xmin, xmax, ymin, ymax] (inverted ones skipped) and free quads."""
    total = 0.0
    for xmin, xmax, ymin, ymax in horizontal:
        if xmax < xmin or ymax < ymin:
            continue
        total += (xmax - xmin) * (ymax - ymin)
    return total + sum(quad_area(q) for q in free)


@register_op
class VideoOcrAreaRatioFilter(VideoFilter):
    name = "video_ocr_area_ratio_filter"
    Args = VideoOCRArgs
    stats_keys = ("video_ocr_area_ratio",)
    cost = "GPU"
    description = ("Detects text in frame_sample_num uniform frames with EasyOCR's CRAFT detector and keeps "
                   "videos whose mean detected text area / frame area lies in [min_area_ratio, "
                   "max_area_ratio]: drops slides, subtitled screencasts and ads. Needs easyocr and its "
                   "detector weights on disk (EASYOCR_MODULE_PATH or ~/.EasyOCR/model/craft_mlt_25k.pth).")
    example = "video_ocr_area_ratio_filter: {max_area_ratio: 0.1}"
    requests = ("drop videos with lots of on-screen text", "remove clips where text covers more than 10% of the frame",
                "filter out slide and subtitle heavy videos", "删除画面中文字很多的视频",
                "去掉文字面积超过画面10%的视频片段", "过滤掉以幻灯片和字幕为主的视频")
    situations = (
        "recorded talks where the screen barely shows any text are no use for reading text off the screen",
        "录下来的讲座里很多画面几乎没有文字，对识别屏幕文字没用",
        "a lot of the scraped clips are lecture slides or karaoke lyrics filling the screen",
        "we want natural scenes, not news clips covered in tickers and big captions",
        "很多抓来的视频是网课PPT或者满屏歌词",
        "我们要自然场景，不要屏幕上铺满滚动字幕和大字标题的新闻片段",
        "the generation model keeps hallucinating garbled letters, since many training videos are infomercials "
        "plastered with price tags and promo copy",
        "a big share of the short-video crawl is 'story time' posts where a wall of overlaid text covers a blurry "
        "background",
        "screen recordings of spreadsheets and code editors got mixed into what should be real-world camera footage",
        "生成模型老是画出乱码一样的字，训练视频里很多是贴满价格和促销文案的带货广告",
        "短视频里有不少是整屏大段文字配模糊背景的图文号内容",
        "本该是实拍画面的数据里混进了大量表格、代码编辑器之类的录屏",
    )

    def setup(self) -> None:
        try:
            import easyocr
        except ImportError:
            raise ModelUnavailableError(
                f"operator {self.name!r} needs EasyOCR: `pip install easyocr`, and its CRAFT detector "
                "weights craft_mlt_25k.pth in ~/.EasyOCR/model/ (or $EASYOCR_MODULE_PATH/model/); "
                "nothing is downloaded at run time") from None
        root = Path(os.environ.get("EASYOCR_MODULE_PATH", "~/.EasyOCR")).expanduser() / "model"
        if not (root / "craft_mlt_25k.pth").is_file():
            raise ModelUnavailableError(
                f"operator {self.name!r}: EasyOCR's detector weights {root / 'craft_mlt_25k.pth'} are missing; "
                "copy craft_mlt_25k.pth there (nothing is downloaded at run time)")
        self.reader = easyocr.Reader(self.args.languages_to_detect, recognizer=False, gpu=False,
                                     model_storage_directory=str(root), download_enabled=False)

    def values(self, paths: list[str]) -> list[float]:
        import numpy as np

        out = []
        for p in paths:
            ims = frame_images(p, "uniform", self.args.frame_sample_num)
            ratios = []
            for im in ims:
                horizontal, free = self.reader.detect(np.asarray(im))
                ratios.append(ocr_area(horizontal[0], free[0]) / (im.width * im.height))
            out.append(float(np.mean(ratios)) if ratios else float("nan"))
        return out

    def keep_value(self, v: Any) -> bool:
        return self.keep(v, self.args.min_area_ratio, self.args.max_area_ratio)


# -- video_motion_score_raft_filter ------------------------------------------------------------------------

RAFT_FILE = "raft_large_C_T_SKHT_V2-ff5fadd5.pth"


class VideoMotionRaftArgs(VideoMotionArgs):
    min_score: float = bound_field(1.0, "score", "min", "Minimum mean RAFT flow magnitude.")
    max_score: float = bound_field(sys.float_info.max, "score", "max", "Maximum motion score.")
    divisible: int = Field(8, ge=1, description="Resized sides are floored to a multiple of this.",
                           json_schema_extra=meta("number"))


@register_op
class VideoMotionScoreRaftFilter(VideoFilter):
    name = "video_motion_score_raft_filter"
    Args = VideoMotionRaftArgs
    stats_keys = ("video_motion_score",)
    cost = "GPU"
    description = ("The motion score of video_motion_score_filter with RAFT optical flow (torchvision "
                   "raft_large, C_T_SKHT_V2 weights from the torch hub cache on disk) instead of "
                   "Farneback: the same frame sampling, resizing and mean flow magnitude.")
    example = "video_motion_score_raft_filter: {min_score: 1.0}"
    requests = ("drop static videos using RAFT optical flow", "keep clips whose RAFT motion score is above 1",
                "measure video motion with a neural optical flow model", "用RAFT光流删除静态视频",
                "保留RAFT运动分数大于1的视频片段", "用神经网络光流模型衡量视频运动")
    situations = (
        "subtle movements like breathing or swaying leaves get missed, judge motion with a stronger deep model",
        "we have a GPU and want a precise estimate of how much the dancers move in each clip",
        "慢节奏纪录片里细微的动作容易被误判为静止，要用更准的深度模型判断",
        "有GPU可用，想更精确地衡量舞蹈视频里的动作幅度",
        "in our night-time CCTV the classic flow estimate is fooled by flickering lights and compression noise "
        "and calls frozen scenes moving; we have GPUs to spare for a more reliable neural judgement",
        "on low-texture shots like a white wall or fog the cheap motion measure reads almost nothing even while "
        "the camera pans",
        "for a premium video-generation corpus how much things move matters a lot, and our GPU cluster can afford "
        "the heavy deep-learning motion estimate",
        "夜间监控有灯光闪烁和压缩噪点，传统算法会把静止画面误判成在动，我们有显卡，想判断得更靠谱",
        "白墙、雾天这种没什么纹理的画面，普通的运动估计明明镜头在平移却算成几乎不动",
        "做高质量视频生成数据，对动态程度的判断要求很高，GPU集群跑得起更重的深度网络来估计运动",
    )

    def setup(self) -> None:
        import torch

        path = Path(torch.hub.get_dir()) / "checkpoints" / RAFT_FILE
        if not path.is_file():
            raise ModelUnavailableError(
                f"operator {self.name!r} needs torchvision's RAFT-large weights at {path} "
                f"({RAFT_FILE}, Raft_Large_Weights.C_T_SKHT_V2); nothing is downloaded at run time")
        self.weights = path

    def flow_fn(self):
        import numpy as np
        import torch

        from sandbox_engine.compat import ensure_torchvision
        from sandbox_engine.models import cached

        ensure_torchvision()
        from torchvision.models.optical_flow import raft_large

        def make():
            m = raft_large(weights=None)
            m.load_state_dict(torch.load(str(self.weights), map_location="cpu", weights_only=True))
            return m.eval()

        model = cached(("raft", str(self.weights)), make)

        def prep(bgr):
            t = torch.from_numpy(np.ascontiguousarray(bgr[:, :, ::-1])).permute(2, 0, 1).float() / 255.0
            return ((t - 0.5) / 0.5)[None]

        def flow(prev_bgr, bgr, prev_gray, gray):
            with torch.inference_mode():
                out = model(prep(prev_bgr), prep(bgr))[-1][0]
            return out.permute(1, 2, 0).numpy()

        return flow

    def values(self, paths: list[str]) -> list[float]:
        fn = self.flow_fn()
        cache = {p: motion_score(p, self.args, fn) for p in dict.fromkeys(paths)}
        return [cache[p] for p in paths]

    def keep_value(self, v: Any) -> bool:
        return self.keep(v, self.args.min_score, self.args.max_score)

