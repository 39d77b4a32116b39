"""Near-duplicate documents by 64-bit SimHash, as Data-Juicer 1.4.3 (which uses the `simhash` package).

A shingle's hash is the first 8 bytes of its md5, big-endian (simhash's `unsigned_hash`); a bit of the
document's simhash is set where more shingles have it set than not (simhash's `compute`). Documents are
near when their Hamming distance is at most `hamming_distance`; clusters are connected components, and
the first document of each is kept. Pairs are found with simhash's block-permutation search: with
`num_blocks` > `hamming_distance` blocks, near hashes agree exactly on some `num_blocks -
hamming_distance` blocks (pigeonhole), so only hashes sharing those blocks are compared.
"""
from __future__ import annotations

import hashlib
from itertools import combinations
from typing import Literal

import numpy as np
from pydantic import Field, PositiveInt

from sandbox_engine.fields import SIMHASH
from sandbox_engine.ops.base import Batch, Deduplicator, OpArgs, column, register_op
from sandbox_engine.ops.metadata import case_cues
from sandbox_engine.ops.deduplicators.minhash import Tokenizer, clusters_keep


def unsigned_hashes(shingles: list[bytes]) -> np.ndarray:
    md5 = hashlib.md5
    buf = b"".join([md5(x).digest()[:8] for x in shingles])
    return np.frombuffer(buf, dtype=">u8").astype(np.uint64)


def simhashes(shingle_lists: list[list[bytes]]) -> np.ndarray:
    """uint64 simhash per document (0 for a document without shingles)."""
    n = len(shingle_lists)
    counts = np.fromiter((len(s) for s in shingle_lists), dtype=np.int64, count=n)
    out = np.zeros(n, dtype=np.uint64)
    nz = np.flatnonzero(counts)
    if len(nz) == 0:
        return out
    hv = unsigned_hashes([x for s in shingle_lists for x in s])
    bits = np.unpackbits(hv.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    starts = np.r_[0, np.cumsum(counts)[:-1]][nz]
    ones = np.add.reduceat(bits.astype(np.int32), starts, axis=0)        # (docs, 64)
    set_bits = (2 * ones > counts[nz][:, None]).astype(np.uint8)         # count of +1 minus -1 > 0
    out[nz] = np.packbits(set_bits, axis=1, bitorder="little").view("<u8").ravel()
    return out


def near_pairs(values: np.ndarray, num_blocks: int, max_dist: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of distinct `values` within Hamming distance `max_dist`."""
    n = len(values)
    bounds = np.linspace(0, 64, num_blocks + 1).astype(int)
    masks = [np.uint64(((1 << int(hi)) - 1) ^ ((1 << int(lo)) - 1)) for lo, hi in zip(bounds, bounds[1:])]
    src, dst = [], []
    for combo in combinations(range(num_blocks), num_blocks - max_dist):
        key = values & np.uint64(sum(int(masks[c]) for c in combo))
        order = np.argsort(key, kind="stable")
        sk = key[order]
        for off in range(1, n):
            same = sk[off:] == sk[:-off]
            if not same.any():
                break
            i, j = order[:-off][same], order[off:][same]
            dist = np.bitwise_count(values[i] ^ values[j])
            ok = dist <= max_dist
            src.append(i[ok])
            dst.append(j[ok])
    if not src:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(src), np.concatenate(dst)


class SimhashArgs(OpArgs):
    tokenization: Literal["space", "punctuation", "character"] = Field(
        "space", description="How text is split into tokens before shingling.",
        json_schema_extra={"measure": "choice", "cues": {
            "space": ["word shingles", "split on spaces", "按空格分词", "按词"],
            "punctuation": ["split on punctuation", "按标点切分", "按标点分词", "按标点切词", "按标点符号分"],
            "character": ["character shingles", "character level", "按字符", "字符级", "按字分词", "逐字切分", "按字切分", "按字切", "按单字"]}})
    window_size: PositiveInt = Field(6, description="Tokens per shingle (words, or characters with "
                                                    "character tokenization).",
                                     json_schema_extra={"measure": "tokens"})
    lowercase: bool = Field(True, description="Lowercase the text first.",
                            json_schema_extra={"measure": "flag", "cues": case_cues()})
    ignore_pattern: str | None = Field(None, description="Regex whose matches are removed first.",
                                       json_schema_extra={"measure": "pattern"})
    num_blocks: PositiveInt = Field(6, description="Blocks of the 64 bits for the pair search "
                                                   "(must exceed hamming_distance).",
                                    json_schema_extra={"measure": "count"})
    hamming_distance: int = Field(4, ge=0, description="Most differing bits (of 64) for two documents to "
                                                       "count as duplicates.",
                                  json_schema_extra={"measure": "hamming_distance"})


@register_op
class DocumentSimhashDeduplicator(Deduplicator):
    name = "document_simhash_deduplicator"
    modality = "text"
    Args = SimhashArgs
    hash_key = SIMHASH
    description = ("Removes near-duplicate documents by 64-bit SimHash of word shingles: documents whose "
                   "hashes differ in at most hamming_distance bits are linked, and only the first of "
                   "each linked group is kept. Cheaper than MinHash per document, and good at "
                   "catching copies with small edits.")
    example = "document_simhash_deduplicator: {window_size: 6, hamming_distance: 4, num_blocks: 6}"
    requests = ("find almost-identical pages via simhash fingerprints and keep one",
                "remove documents whose simhash fingerprints differ in at most 3 bits",
                "drop near duplicates within a hamming distance of 4",
                "cheap near-duplicate removal by 64-bit fingerprints",
                "simhash deduplication of web pages with small edits",
                "用SimHash去除近似重复文本", "删除SimHash汉明距离不超过3的重复文档", "基于64位指纹的相似文档去重",
                "汉明距离小于4的网页视为重复并删除")
    situations = (
        "our crawl has page copies differing by a typo or a date, and we need a cheap fingerprint pass",
        "wiki mirrors re-host the same articles with a few words changed, find those copies quickly",
        "镜像站把百科词条原样搬过去只改了几个字，想低成本快速筛掉",
        "抓取量太大，只差一两个错别字的网页副本要用轻量的指纹方法去掉",
        "recipe blogs copy each other almost word for word, with only an ingredient swapped here and there",
        "the news feed keeps every update of the same wire story, each version differing by a sentence or a timestamp",
        "job ads get re-listed every week with practically unchanged wording, and the classifier overfits to "
        "those postings",
        "招聘信息每周都重新挂一次，内容几乎没变，模型被这些广告带偏了",
        "同一条快讯一天里更新了好几版，每版只多了一句话或者改了个时间",
        "菜谱网站之间互相抄，正文差不多，只是零星换了点配料，换汤不换药",
    )

    def setup(self) -> None:
        a = self.args
        if a.num_blocks <= a.hamming_distance:
            raise self.bad_arg("num_blocks", a.num_blocks,
                               f"it must be greater than hamming_distance ({a.hamming_distance})")
        if a.num_blocks > 64:
            raise self.bad_arg("num_blocks", a.num_blocks, "at most 64 blocks of a 64-bit hash")
        self.tokenizer = Tokenizer(a.tokenization, a.window_size, a.lowercase, a.ignore_pattern,
                                   op=self.name, extra_window=1)

    def compute_hash_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        texts = column(batch, self.text_key)
        out: list[str] = []
        for s in range(0, len(texts), 4096):
            hs = simhashes([self.tokenizer.shingles(t) for t in texts[s:s + 4096]])
            out.extend(str(int(h)) for h in hs)  # a decimal string, as Data-Juicer stores it
        batch[SIMHASH] = out
        return batch

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        n = len(hashes)
        if n <= 1:
            return [True] * n, []
        values = np.array([int(h) for h in hashes], dtype=np.uint64)
        uniq, inverse = np.unique(values, return_inverse=True)
        a, b = near_pairs(uniq, self.args.num_blocks, self.args.hamming_distance)
        # rows of one hash value are linked to its first row; near hash values link their first rows
        first = np.full(len(uniq), n, dtype=np.int64)
        np.minimum.at(first, inverse, np.arange(n))
        rows = np.arange(n)
        dup = first[inverse] != rows
        src = np.concatenate([rows[dup], first[a]])
        dst = np.concatenate([first[inverse][dup], first[b]])
        return clusters_keep(n, src, dst, trace_num)
