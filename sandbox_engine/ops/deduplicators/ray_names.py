"""Data-Juicer's Ray deduplicators by name (ray_basic, ray_document, ray_image, ray_video,
ray_bts_minhash). Their hashes are the local ops'; any executor runs them, and `executor_type: ray`
deduplicates globally (document and BTS MinHash through the grouped Ray shuffle). The Redis backend's
arguments are accepted and not needed: the hash sets live in the executor.

As upstream, samples without text/images/videos are not exempt: they share one empty key, so only the
first of them survives (the local image and video deduplicators keep them all).
"""
from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import Field

from sandbox_engine.fields import HASH
from sandbox_engine.op_errors import OP_ERRORS
from sandbox_engine.ops.base import Batch, Deduplicator, OpArgs, column, register_op
from sandbox_engine.ops.deduplicators.document import (DocumentDedupArgs, DocumentDeduplicator,
                                                       first_occurrence_mask)
from sandbox_engine.ops.deduplicators.image import ImageDedupArgs, ImageDeduplicator
from sandbox_engine.ops.deduplicators.minhash import DocumentMinhashDeduplicator, MinhashArgs
from sandbox_engine.ops.deduplicators.video import VideoDedupArgs, VideoDeduplicator
from sandbox_engine.ops.media_fields import meta, num_field


class RayBackendArgs(OpArgs):
    backend: Literal["ray_actor", "redis"] = Field(
        "ray_actor", description="Where upstream keeps the hash sets; accepted, the executor keeps them.",
        json_schema_extra=meta("choice", cues={"ray_actor": ["ray actors", "Ray actor"],
                                                "redis": ["redis", "Redis 数据库"]}))
    redis_address: str = Field("redis://localhost:6379", description="Accepted for compatibility; unused.",
                               json_schema_extra=meta("text"))


def _all_mask(hashes: list, trace_num: int) -> tuple[list[bool], list[tuple[int, int]]]:
    return first_occurrence_mask(hashes, trace_num)


@register_op
class RayBasicDeduplicator(Deduplicator):
    name = "ray_basic_deduplicator"
    modality = "any"
    Args = RayBackendArgs
    hash_key = HASH
    description = ("Removes samples that are exact copies of an earlier one: the md5 of the sample's text, "
                   "images, audios and videos fields identifies it, and the first occurrence is kept "
                   "(Data-Juicer's Ray base deduplicator; runs on any executor).")
    example = "ray_basic_deduplicator: {backend: ray_actor}"
    requests = ("remove exact duplicate samples on ray", "drop rows that repeat an earlier sample exactly",
                "deduplicate identical records with the ray basic deduplicator", "在Ray上删除完全重复的样本",
                "去掉与之前样本完全相同的行", "用Ray基础去重算子去掉相同记录")
    situations = (
        "the multimodal export was appended twice, so whole records repeat across text and media",
        "on our distributed cluster, drop records that are complete copies including their attachments",
        "多模态数据导出时追加了两次，整条记录连同附件都重复了",
        "在分布式集群上把连附件带文字完全一样的记录去掉",
        "a retried job on our Ray cluster wrote whole rows again, caption, image paths and audio all exactly "
        "matching an earlier row",
        "分布式任务在集群上重跑后，输出里整行记录（文字、图片、音频路径全都一样）又出现了一遍",
    )

    def compute_hash_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        a = self.args
        cols = [column(batch, k) for k in (a.text_key, a.image_key, a.audio_key, a.video_key)]
        batch[HASH] = [hashlib.md5(json.dumps(list(row), ensure_ascii=False, default=str).encode()).hexdigest()
                       for row in zip(*cols)]
        return batch

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        return _all_mask(hashes, trace_num)


class RayDocumentArgs(RayBackendArgs, DocumentDedupArgs):
    pass


@register_op
class RayDocumentDeduplicator(DocumentDeduplicator):
    name = "ray_document_deduplicator"
    Args = RayDocumentArgs
    description = DocumentDeduplicator.description + " (Data-Juicer's Ray name; the same md5.)"
    example = "ray_document_deduplicator: {lowercase: true}"
    requests = ("remove exact duplicate documents on the ray cluster", "deduplicate identical texts with ray",
                "drop repeated documents using the ray document deduplicator", "在Ray集群上删除完全重复的文档",
                "用Ray对相同文本去重", "用Ray文档去重算子去掉重复文档")
    situations = (
        "the distributed crawl job wrote the same articles from several workers, identical text in many shards",
        "across the cluster's shards there are verbatim repeats of the same posts",
        "分布式爬虫多个节点抓了同一批文章，分片里文字一字不差地重复",
        "集群各分片里有逐字相同的帖子，要在分布式环境下去掉",
        "when the ingestion job was retried on the cluster, some workers re-emitted the same texts, so verbatim "
        "copies sit in several partitions",
        "多节点并行导入时任务重试，同一批文本被不同分区各写了一遍，一字不差",
    )


class RayImageArgs(RayBackendArgs, ImageDedupArgs):
    pass


@register_op
class RayImageDeduplicator(ImageDeduplicator):
    name = "ray_image_deduplicator"
    Args = RayImageArgs
    description = ("Removes samples whose images are the same picture (the same perceptual hash string, no "
                   "Hamming tolerance), keeping the first; samples without images share one empty key, so "
                   "only the first of them survives (Data-Juicer's Ray image deduplicator).")
    example = "ray_image_deduplicator: {method: phash}"
    requests = ("remove duplicate images on ray", "deduplicate pictures with perceptual hashes using ray",
                "drop repeated photos with the ray image deduplicator", "在Ray上删除重复图片",
                "用Ray按感知哈希对图片去重", "用Ray图片去重算子去掉重复照片")
    situations = (
        "the image shards on the cluster contain the same pictures uploaded by many users",
        "the distributed photo pipeline keeps re-ingesting identical pictures from mirror sites",
        "集群上的图片分片里有大量用户重复上传的同一张图",
        "分布式图片管线从镜像站反复收进相同的照片",
        "in the catalogue shards spread over the cluster, every vendor re-saved the same product photo at a "
        "different size",
        "集群上分布式处理的表情包数据里，同一张图被各个分区反复收录",
    )

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        return _all_mask(hashes, trace_num)


class RayVideoArgs(RayBackendArgs, VideoDedupArgs):
    pass


@register_op
class RayVideoDeduplicator(VideoDeduplicator):
    name = "ray_video_deduplicator"
    Args = RayVideoArgs
    description = ("Removes samples whose videos are exact copies (md5 over the video packets), keeping the "
                   "first; samples without videos share one empty key, so only the first of them survives "
                   "(Data-Juicer's Ray video deduplicator).")
    example = "ray_video_deduplicator: {}"
    requests = ("remove duplicate videos on ray", "deduplicate video clips across the ray cluster",
                "drop repeated videos with the ray video deduplicator", "在Ray上删除重复视频",
                "在Ray集群上对视频片段去重", "用Ray视频去重算子去掉重复视频")
    situations = (
        "the cluster ingested the same livestream recordings from several mirrors",
        "the distributed video pipeline has byte-identical uploads of the same clip from different accounts",
        "集群从多个镜像收进了同一批直播录像",
        "分布式视频流水线里有不同账号上传的完全相同的片子",
        "our distributed cluster pulls clips from several CDNs, and the same video file lands unchanged in many "
        "partitions",
        "在多机集群上处理短视频时发现，同一个视频文件被不同节点原样收了好几遍",
    )

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        return _all_mask(hashes, trace_num)


class RayBtsMinhashArgs(MinhashArgs):
    union_find_parallel_num: int | Literal["auto"] = num_field("auto", "count", "Union-find actors (tuning; unused).")
    union_threshold: int = num_field(256, "count", "Tuning only; unused.")
    max_pending_edge_buffer_task: int = num_field(20, "count", "Tuning only; unused.")
    num_edge_buffer_task_returns: int = num_field(10, "count", "Tuning only; unused.")
    max_pending_filter_tasks: int = num_field(20, "count", "Tuning only; unused.")
    num_filter_task_returns: int = num_field(10, "count", "Tuning only; unused.")
    merge_batch_size: int = num_field(1000, "count", "Tuning only; unused.")
    minhash_batch_size: int | Literal["auto"] = num_field("auto", "count", "Tuning only; unused.")
    memory_per_sample: float = num_field(0.1, "number", "Tuning only; unused.")


@register_op
class RayBtsMinhashDeduplicator(DocumentMinhashDeduplicator):
    name = "ray_bts_minhash_deduplicator"
    Args = RayBtsMinhashArgs
    description = ("Removes near-duplicate documents with MinHash LSH, as document_minhash_deduplicator (the "
                   "same shingles, permutations and bands), under Data-Juicer's Ray BTS name; on "
                   "executor_type ray the band keys are grouped globally. Texts too short for one shingle "
                   "collapse to one sample. The union-find tuning arguments are accepted.")
    example = "ray_bts_minhash_deduplicator: {jaccard_threshold: 0.7}"
    requests = ("remove near duplicate documents on the ray cluster with minhash",
                "run ray bts minhash deduplication on the texts", "deduplicate similar web pages at scale with ray",
                "在Ray集群上用MinHash删除近似重复文档", "对文本运行Ray BTS MinHash去重", "用Ray大规模去除相似网页")
    situations = (
        "a web-scale crawl has tons of lightly reworded copies, far too many for one machine",
        "the billion-page corpus needs fuzzy dedup spread over many workers",
        "全网规模的爬取数据里有大量洗稿副本，单机处理不过来",
        "几十亿网页要在多台机器上分布式做模糊去重",
        "the multi-node cluster is chewing through a web dump where countless pages are the same article with "
        "minor rewording",
        "在分布式集群上处理的海量新闻里，大量稿件只是措辞稍有不同，内容大同小异",
    )

    def compute_hash_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        """As the local op, except that a text without shingles is not an op error: it keeps the all-MAX
        signature, so (as upstream's one "empty" key) the first of them survives."""
        batch = super().compute_hash_batched(batch, context)
        batch.pop(OP_ERRORS, None)
        return batch
