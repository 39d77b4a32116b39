"""Exact document deduplication: md5 of the (normalised) text, first occurrence kept."""
from __future__ import annotations

import hashlib
import re
import string
from typing import Hashable, Iterable

from pydantic import Field

from sandbox_engine.fields import HASH
from sandbox_engine.ops.base import Batch, Deduplicator, OpArgs, column, register_op
from sandbox_engine.ops.metadata import case_cues

# Data-Juicer's `ignore_non_character`: whitespace, digits and ASCII punctuation go.
_NON_CHAR = re.compile(rf"\s+|\d+|[{re.escape(string.punctuation)}]")


def first_occurrence_mask(hashes: Iterable[Hashable], trace_num: int = 0,
                          skip=lambda h: False) -> tuple[list[bool], list[tuple[int, int]]]:
    """Keep the first row of each hash value; rows where `skip(hash)` are always kept. Also returns
    up to `trace_num` (kept index, dropped index) pairs."""
    first: dict = {}
    keep, pairs = [], []
    for i, h in enumerate(hashes):
        if skip(h):
            keep.append(True)
            continue
        j = first.setdefault(h, i)
        keep.append(j == i)
        if j != i and len(pairs) < trace_num:
            pairs.append((j, i))
    return keep, pairs


class DocumentDedupArgs(OpArgs):
    lowercase: bool = Field(False, description="Lowercase the text before hashing (case-insensitive).",
                            json_schema_extra={"measure": "flag", "cues": case_cues()})
    ignore_non_character: bool = Field(
        False, description="Drop whitespace, digits and ASCII punctuation before hashing.",
        json_schema_extra={"measure": "flag", "cues": {
            "true": ["ignore punctuation", "ignoring whitespace and digits", "differ only in punctuation",
                     "only differ in whitespace", "after stripping punctuation", "once punctuation is removed",
                     "忽略标点", "忽略空格和数字", "只是标点不同", "只差在空格和数字", "去掉标点以后一样"]}})


@register_op
class DocumentDeduplicator(Deduplicator):
    name = "document_deduplicator"
    modality = "text"
    Args = DocumentDedupArgs
    hash_key = HASH
    description = ("Removes exact duplicate documents: the md5 of the stripped text (optionally "
                   "lowercased and without whitespace, digits and punctuation) identifies a document, "
                   "and only its first occurrence is kept. Cheap, and worth running before any "
                   "near-duplicate step.")
    example = "document_deduplicator: {lowercase: true}  # 'Hello!' and 'hello!' keep only the first"
    requests = ("remove duplicate documents", "drop exact duplicates", "exact dedup", "eliminate byte-for-byte identical documents", "drop identical texts, keeping the first copy",
                "deduplicate exact copies, ignoring case and punctuation",
                "get rid of repeated samples that have the same text",
                "keep only one of each identical document", "dedupe on the exact text",
                "内容完全一致的样本只留第一条", "删除重复文档", "把重复的文本删掉", "对数据做去重", "精确去重，只保留第一份", "去掉文本一模一样的样本",
                "忽略大小写和标点后去除重复文本", "drop reposts that are exact copies of an earlier post",
                "the same message was posted again and again, keep it once", "去掉一模一样的转发和复制粘贴内容",
                "刷屏的重复消息只保留一条")
    situations = (
        "the scraper ran twice over the same news site, so every article is in there twice verbatim",
        "merging the two FAQ exports left word-for-word identical entries",
        "爬虫把同一个新闻站抓了两遍，每篇文章都原封不动出现两次",
        "两份问答导出合并后有很多逐字相同的条目",
        "知识库里同一份文档被重复导入了好几次",
        "ugh, a spam bot pasted one advert into countless forum threads, every copy identical down to the last comma",
        "the survey tool glitched when people hit submit repeatedly, so the same answer sheet got stored "
        "several times, character for character",
        "the support chatbot logs contain the very same canned auto-reply thousands of times, and the model now "
        "recites it word for word",
        "问卷系统出了bug，有人连点了好几次提交，同一份回答被原样存了好几条",
        "客服日志里同一句自动回复一字不差地出现了成千上万次，模型都背下来了",
        "拼接数据分片时不小心把同一个文件读了两遍，里面的文本连标点都没变",
        "the lyrics were scraped from several sites, and copies of a song differ only in spacing and punctuation; one copy of each is enough",
        "歌词从好几个网站爬下来，同一首歌的版本只有空格和标点不同，留一份就够",
    )

    def text_hash(self, text: str | None) -> str:
        text = "" if text is None else str(text)
        if self.args.lowercase:
            text = text.lower()
        if self.args.ignore_non_character:
            text = _NON_CHAR.sub("", text)
        return hashlib.md5(text.strip().encode("utf-8")).hexdigest()

    def compute_hash_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        batch[HASH] = [self.text_hash(t) for t in column(batch, self.text_key)]
        return batch

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        return first_occurrence_mask(hashes, trace_num)
