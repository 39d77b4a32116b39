"""Groupers: gather samples into batched samples (each key -> a list) and back (Data-Juicer 1.4.3).

Batched samples feed aggregators, which summarise a group at once (e.g. all reviews of one product).
"""
from __future__ import annotations

import json
import os
from typing import Any

from pydantic import Field

from sandbox_engine.ops.base import Grouper, OpArgs, register_op
from sandbox_engine.ops.text_utils import get_field

BATCH_META = "__dj__batch_meta__"


def batch_samples(samples: list[dict]) -> dict[str, list]:
    """One batched sample: the first sample's keys, each mapped to the list of all samples' values."""
    return {k: [s.get(k) for s in samples] for k in samples[0]}


class NaiveGrouperArgs(OpArgs):
    pass


@register_op
class NaiveGrouper(Grouper):
    name = "naive_grouper"
    modality = "any"
    Args = NaiveGrouperArgs
    description = ("Gathers the whole data set into one batched sample, each field becoming the list of "
                   "that field's values, so that an aggregator can summarise everything at once.")
    example = "naive_grouper:  # [{text: a}, {text: b}] -> [{text: [a, b]}]"
    requests = ("group the whole data set into one batch",
                "gather all samples into a single batched sample for an aggregator",
                "put every sample into one group", "merge all rows into one list per field",
                "把整个数据集合并成一个批样本", "将所有样本聚成一组", "把每个字段的所有值收集成一个列表")
    situations = (
        "I want one overall summary of the entire survey, so all responses must go in together",
        "the aggregator should see all the feedback at once rather than sample by sample",
        "想对整份问卷结果出一个总体总结，所有回答要放在一起",
        "汇总时要一次看到全部反馈，而不是一条一条处理",
        "the LLM aggregator has to write a single executive digest of every support ticket in the file, not one "
        "note per ticket",
        "the downstream step computes a corpus-wide summary, so it expects every record packed into one big "
        "bundle, each field a list of all values",
        "for the monthly report all the app-store reviews are looked at as one whole",
        "月报里要用一段话概括这个月全部的应用商店评论，所有评论得当成一个整体",
        "后面的汇总模型一次吃进全部记录，要求每个字段都是一整列的值",
        "老板要一份覆盖全部工单的总览摘要，而不是一张工单一段",
    )

    def group(self, samples: list[dict]) -> list[dict]:
        return [batch_samples(samples)] if samples else []


class ReverseGrouperArgs(OpArgs):
    batch_meta_export_path: str | None = Field(
        None, description="JSONL file to write each batched sample's __dj__batch_meta__ to.",
        json_schema_extra={"measure": "path"})


@register_op
class NaiveReverseGrouper(Grouper):
    name = "naive_reverse_grouper"
    modality = "any"
    Args = ReverseGrouperArgs
    description = ("Splits batched samples back into one sample per list element (the inverse of a "
                   "grouper). A batch's __dj__batch_meta__ (e.g. an aggregator's summary) is dropped "
                   "from the samples and, given batch_meta_export_path, written there as JSONL.")
    example = "naive_reverse_grouper: {batch_meta_export_path: ./outputs/batch_meta.jsonl}"
    requests = ("split batched samples back into single samples", "ungroup the batches",
                "undo the grouping and export the batch meta to a file",
                "flatten grouped samples into one sample per element",
                "把批样本拆回单条样本", "取消分组", "将分组后的数据展开成单个样本并导出批元数据")
    situations = (
        "after the summary step, I need the feedback back as individual rows again",
        "the grouped batches broke the downstream filters, which expect one record per row",
        "总结完之后，要把反馈恢复成一条一条的记录",
        "分组后的批数据让后面的过滤算子没法用，得还原成单条",
        "the records came out of the aggregation stage as big list-shaped blobs, and the export format expects "
        "one review per line",
        "after the per-author rollup the individual posts are trapped inside lists, so the per-post length "
        "check can't see them",
        "the summary info attached to each bundle belongs in a separate file, while the records themselves go "
        "back to plain rows",
        "聚合之后每条记录都变成了一大坨列表，导出时需要一行一条",
        "按作者打包之后，单条帖子被裹在列表里，后面按帖子做的统计都用不了",
        "每个批次附带的汇总信息想单独存成文件，数据本身要回到一条一条的状态",
    )

    def group(self, samples: list[dict]) -> list[dict]:
        if not samples:
            return []
        out: list[dict] = []
        metas: list[Any] = []
        for sample in samples:
            if BATCH_META in sample:
                metas.append(sample[BATCH_META])
                sample = {k: v for k, v in sample.items() if k != BATCH_META}
            keys = list(sample)
            n = len(sample[keys[0]]) if keys and isinstance(sample[keys[0]], list) else 0
            for i in range(n):
                out.append({k: (sample[k][i] if isinstance(sample[k], list) and i < len(sample[k])
                                else None) for k in keys})
        path = self.args.batch_meta_export_path
        if path is not None:
            if os.path.dirname(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                for meta in metas:
                    fh.write(json.dumps(meta, ensure_ascii=False) + "\n")
        return out


class KeyValueGrouperArgs(OpArgs):
    group_by_keys: list[str] | None = Field(
        None, description="Dotted fields whose values define a group (default: the text key).",
        json_schema_extra={"measure": "field"})


@register_op
class KeyValueGrouper(Grouper):
    name = "key_value_grouper"
    modality = "any"
    Args = KeyValueGrouperArgs
    description = ("Groups samples by the values of group_by_keys (dotted fields such as "
                   "'meta.language'): each group becomes one batched sample whose fields are lists, "
                   "groups in order of first appearance. Use it before an aggregator to summarise per "
                   "product, per author or per language.")
    example = "key_value_grouper: {group_by_keys: [meta.language]}"
    requests = ("bucket samples by their meta.region value", "group the data by author", "make one batch per product id",
                "group by the values of the source and category fields",
                "merge the rows of each key into a single sample",
                "按meta.language对样本分组", "按作者字段把数据分组", "按来源和类别两个字段分组",
                "按字段把多行合并成一条样本")
    situations = (
        "each row holds one sentence and the document it came from is in a meta field, but the model needs whole documents",
        "每一行只有一句话，所属文档的编号在 meta 字段里，要把同一篇文档的句子拼回一条样本",
        "before summarizing, put all reviews of the same product together",
        "collect every message from the same customer into one bundle so we can summarize each account",
        "先把同一个商品的评论归到一起，再分别做总结",
        "同一个作者的帖子放在一块，方便逐个作者分析",
        "we want a separate digest for each hotel, so the guest reviews first have to be sorted into piles by hotel",
        "the multilingual corpus is summarised language by language, with each language's texts bundled together",
        "the per-store analysis needs every transaction of one shop in a single bundle, one bundle per store",
        "每家酒店要单独出一份点评摘要，住客评论得先按酒店归拢",
        "多语种语料要分语种各自汇总，同一种语言的文本放到一块儿",
        "按门店做经营分析，同一家店的交易记录要打包在一起，一家店一包",
    )

    def group(self, samples: list[dict]) -> list[dict]:
        keys = self.args.group_by_keys or [self.text_key]
        groups: dict[str, list[dict]] = {}
        for s in samples:
            k = json.dumps([get_field(s, key) for key in keys], sort_keys=True, ensure_ascii=False,
                           default=str)
            groups.setdefault(k, []).append(s)
        return [batch_samples(g) for g in groups.values()]
