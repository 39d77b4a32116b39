"""Exact video deduplication: md5 over the bytes of every video-stream packet (Data-Juicer 1.4.3).

A sample's hash is the md5 over its distinct videos' packets in order, so the same bitstream in another
container matches, while a re-encoded copy does not. A sample without videos gets an empty hash and is
kept, unless consider_text pairs the hash with the text's md5.
"""
from __future__ import annotations

import hashlib

from pydantic import Field

from sandbox_engine.fields import HASH, VIDEOHASH
from sandbox_engine.ops.base import Batch, Deduplicator, OpArgs, column, register_op
from sandbox_engine.ops.deduplicators.document import DocumentDeduplicator, first_occurrence_mask
from sandbox_engine.ops.media_fields import TEXT_TOO_CUES, meta
from sandbox_engine.ops.video_io import open_video


def videos_md5(paths: list[str]) -> str:
    """md5 over every video packet of the distinct paths, in order ('' without videos)."""
    if not paths:
        return ""
    md5 = hashlib.md5()
    for p in dict.fromkeys(paths):
        with open_video(p) as c:
            for packet in c.demux():
                if packet.stream.type == "video" and packet.size:
                    md5.update(bytes(packet))
    return md5.hexdigest()


class VideoDedupArgs(OpArgs):
    consider_text: bool = Field(False, description="Only samples with equal videos AND equal text are "
                                "duplicates.", json_schema_extra=meta("flag", cues={
                                    "true": ["same video and same caption", "video and caption identical", "video and text identical", "视频和文本都相同", "视频和文案都一样", *TEXT_TOO_CUES]}))


@register_op
class VideoDeduplicator(Deduplicator):
    name = "video_deduplicator"
    modality = "video"
    Args = VideoDedupArgs
    hash_key = VIDEOHASH
    description = ("Removes samples whose videos are exact copies: the md5 over every video packet's bytes "
                   "identifies a video (the same bitstream, whatever its container), and the first "
                   "occurrence is kept. With consider_text the text must match too. Samples without "
                   "videos are kept.")
    example = "video_deduplicator: {}  # the same clip listed twice: the second sample is dropped"
    requests = ("remove duplicate videos", "drop samples whose video is an exact copy of another",
                "deduplicate the video clips", "keep only the first copy of each repeated video",
                "删除重复的视频", "去掉视频与其他样本完全相同的样本", "对视频片段去重", "每个重复视频只保留第一个")
    situations = (
        "the same trending clip got uploaded by dozens of accounts without any change",
        "a sync glitch uploaded some recordings twice or three times as the very same file",
        "上传工具出了故障，有些视频原封不动地被传了好几次",
        "our dashcam archive has the identical recording saved under different file names",
        "同一个热门短视频被几十个账号原样搬运",
        "行车记录仪存档里同一段录像以不同文件名存了好几份",
        "the surveillance export re-wrapped each camera recording in a second container format, the footage "
        "inside is bit-for-bit the same",
        "the lecture archive got synced from the backup drive twice, so every class recording sits there twice, "
        "untouched",
        "the short-video training set is padded with re-uploads of the very same file, and the action "
        "classifier overweights those clips",
        "监控录像导出时，同一段视频流换了个封装格式又存了一份",
        "网课录像从备份盘同步了两次，每节课的视频都原样躺着两份",
        "短视频素材库里好多条是同一个视频文件的原样转存，训练时这些片段被反复学",
    )

    def setup(self) -> None:
        self.text_op = (DocumentDeduplicator(text_key=self.args.text_key) if self.args.consider_text
                        else None)

    def compute_hash_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        texts = None
        if self.text_op is not None:
            self.text_op.compute_hash_batched(batch, context)
            texts = batch[HASH]
        out = []
        for i, paths in enumerate(column(batch, self.args.video_key)):
            h = videos_md5(list(paths or []))
            out.append(h if texts is None else f"{h}|{texts[i]}")
        batch[VIDEOHASH] = out
        return batch

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        return first_occurrence_mask(hashes, trace_num, skip=lambda h: not h)
