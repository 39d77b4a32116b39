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

    def group(self, samples: list[dict]) -> list[dict]:
        return [batch_samples(samples)] if samples else []


class ReverseGrouperArgs(OpArgs):
    batch_meta_export_path: str | None = Field(
        None, description="JSONL file to write each batched sample's __dj__batch_meta__ to.")


@register_op
class NaiveReverseGrouper(Grouper):
    name = "naive_reverse_grouper"
    modality = "any"
    Args = ReverseGrouperArgs
    description = ("Splits batched samples back into one sample per list element (the inverse of a "
                   "grouper). A batch's __dj__batch_meta__ (e.g. an aggregator's summary) is dropped "
                   "from the samples and, given batch_meta_export_path, written there as JSONL.")
    example = "naive_reverse_grouper: {batch_meta_export_path: ./outputs/batch_meta.jsonl}"

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
        None, description="Dotted fields whose values define a group (default: the text key).")


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

    def group(self, samples: list[dict]) -> list[dict]:
        keys = self.args.group_by_keys or [self.text_key]
        groups: dict[str, list[dict]] = {}
        for s in samples:
            k = json.dumps([get_field(s, key) for key in keys], sort_keys=True, ensure_ascii=False,
                           default=str)
            groups.setdefault(k, []).append(s)
        return [batch_samples(g) for g in groups.values()]
