"""Near-duplicate documents by MinHash + LSH, bit-compatible with Data-Juicer 1.4.3's hashing.

Shingles are hashed with the first 4 bytes of sha1 (little-endian), permuted as ``(a*h + b) mod
(2**61 - 1)`` in wrapping uint64 arithmetic and masked to 32 bits, with Data-Juicer's permutations
(``RandomState(42)``). A whole batch's shingles go through numpy as one matrix, and LSH clustering is a
graph's connected components, so a million short documents fit in minutes on two cores.

Each row's hash column holds one 64-bit digest per LSH band (a digest of that band's values), instead of
Data-Juicer's band bytes: the same buckets, a tenth of the memory.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import Field, PositiveInt

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.fields import MINHASH
from sandbox_engine.op_errors import OP_ERRORS
from sandbox_engine.ops.base import Batch, Deduplicator, OpArgs, column, register_op
from sandbox_engine.ops.metadata import case_cues

MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
_CHUNK = 1024  # shingles per matrix op: 256 x 1024 uint64 = 2 MiB, cache-sized
_NO_SHINGLE = ("no shingle: the text has fewer than window_size ({w}) tokens, so there is no MinHash "
               "(Data-Juicer raises here and, with skip_op_error, drops the sample)")


@lru_cache(maxsize=32)
def optimal_param(threshold: float, num_perm: int, fp_weight: float = 0.5,
                  fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false positive/negative areas (datasketch's rule)."""
    from scipy.integrate import quad

    def fp(b: int, r: int) -> float:
        return quad(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)[0]

    def fn(b: int, r: int) -> float:
        return quad(lambda s: 1 - (1 - (1 - s ** float(r)) ** float(b)), threshold, 1.0)[0]

    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            err = fp(b, r) * fp_weight + fn(b, r) * fn_weight
            if err < best:
                best, opt = err, (b, r)
    return opt


@lru_cache(maxsize=8)
def permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Data-Juicer's (a, b) permutation parameters: RandomState(42), drawn a, b alternately."""
    gen = np.random.RandomState(seed=42)
    pairs = np.array([(gen.randint(1, MERSENNE_PRIME, dtype=np.uint64),
                       gen.randint(0, MERSENNE_PRIME, dtype=np.uint64)) for _ in range(num_perm)],
                     dtype=np.uint64)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


def sha1_hash32(items: list[bytes]) -> np.ndarray:
    """First 4 bytes of each sha1 digest as a little-endian uint32 (Data-Juicer's sha1_hash32)."""
    sha1 = hashlib.sha1
    buf = b"".join([sha1(x).digest()[:4] for x in items])
    return np.frombuffer(buf, dtype="<u4").astype(np.uint64)


def minhash_signatures(shingle_sets: list[set[bytes]], num_perm: int) -> np.ndarray:
    """(n, num_perm) uint64 MinHash signatures; a document without shingles gets MAX_HASH everywhere.

    Works on a (num_perm, chunk) matrix per chunk of shingles, in place, and reduces per document with
    `minimum.reduceat` over the contiguous shingles of each document."""
    a, b = permutations(num_perm)
    n = len(shingle_sets)
    sig = np.full((num_perm, n), MAX_HASH, dtype=np.uint32)
    counts = np.fromiter((len(s) for s in shingle_sets), dtype=np.int64, count=n)
    total = int(counts.sum())
    if total:
        hv = sha1_hash32([x for s in shingle_sets for x in s])
        doc_of = np.repeat(np.arange(n), counts)
        x = np.empty((num_perm, min(_CHUNK, total)), dtype=np.uint64)
        q = np.empty_like(x)
        A, B, shift = a[:, None], b[:, None], np.uint64(61)
        for s in range(0, total, _CHUNK):
            h, d = hv[s:s + _CHUNK], doc_of[s:s + _CHUNK]
            xx, qq = x[:, :len(h)], q[:, :len(h)]
            np.multiply(A, h[None, :], out=xx)   # wraps mod 2**64, as Data-Juicer's numpy code does
            np.add(xx, B, out=xx)
            np.right_shift(xx, shift, out=qq)    # x mod (2**61 - 1) without a division:
            np.bitwise_and(xx, MERSENNE_PRIME, out=xx)
            np.add(xx, qq, out=xx)               # (x & P) + (x >> 61) < 2P
            if xx.max() >= MERSENNE_PRIME:       # (almost never)
                xx[xx >= MERSENNE_PRIME] -= MERSENNE_PRIME
            lo = xx.astype(np.uint32)            # & MAX_HASH
            starts = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
            ids = d[starts]
            sig[:, ids] = np.minimum(sig[:, ids], np.minimum.reduceat(lo, starts, axis=1))
    return sig.T.astype(np.uint64)


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (a bijection on uint64)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def band_digests(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) int64: a 64-bit digest of each band's `rows` values (equal bands, equal digests)."""
    out = np.empty((sig.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(bands):
            h = np.full(sig.shape[0], np.uint64(i + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for j in range(i * rows, (i + 1) * rows):
                h = _mix64(h ^ sig[:, j])
            out[:, i] = h
    return out.view(np.int64)


def clusters_keep(n: int, edges_src: np.ndarray, edges_dst: np.ndarray,
                  trace_num: int) -> tuple[list[bool], list[tuple[int, int]]]:
    """Connected components of the duplicate graph; keep the smallest index of each (Data-Juicer's
    union-find roots). Pairs: (root, first other member) per component, up to `trace_num`."""
    if len(edges_src) == 0:
        return [True] * n, []
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    g = coo_matrix((np.ones(len(edges_src), dtype=np.int8), (edges_src, edges_dst)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    _, first = np.unique(labels, return_index=True)
    root = first[labels]
    keep = root == np.arange(n)
    pairs: list[tuple[int, int]] = []
    if trace_num > 0:
        seen: set[int] = set()
        for i in np.flatnonzero(~keep):
            r = int(root[i])
            if r not in seen:
                seen.add(r)
                pairs.append((r, int(i)))
                if len(pairs) >= trace_num:
                    break
    return keep.tolist(), pairs


def bucket_edges(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges (member, smallest member) of each group of equal keys, for each column of `keys`."""
    src, dst = [], []
    idx = np.arange(keys.shape[0])
    for col in keys.T:
        order = np.argsort(col, kind="stable")
        sc = col[order]
        new = np.r_[True, sc[1:] != sc[:-1]]
        group_first = order[np.flatnonzero(new)][np.cumsum(new) - 1]  # stable: smallest index
        mask = group_first != order
        src.append(order[mask])
        dst.append(group_first[mask])
    if not src:
        return idx[:0], idx[:0]
    return np.concatenate(src), np.concatenate(dst)


class Tokenizer:
    """Data-Juicer's shingling: tokens, then `window_size` consecutive tokens joined, ``len - window + 1``
    windows (none when there are fewer tokens than the window)."""

    def __init__(self, tokenization: str, window_size: int, lowercase: bool, ignore_pattern: str | None,
                 tokenizer_model: str | None = None, op: str = "", extra_window: int = 0) -> None:
        import regex

        self.tokenization, self.w, self.lowercase = tokenization, window_size, lowercase
        self.ignore = regex.compile(ignore_pattern) if ignore_pattern else None
        self.punct = regex.compile(r"\p{P}")
        self.extra = extra_window
        self.sp = None
        if tokenization == "sentencepiece":
            self.sp = _load_tokenizer_model(tokenizer_model, op)

    def shingles(self, text: str | None) -> list[bytes]:
        text = "" if text is None else str(text)
        if self.lowercase:
            text = text.lower()
        if self.ignore is not None:
            text = self.ignore.sub("", text)
        w, n_extra = self.w, self.extra
        if self.tokenization == "character":
            return [text[i:i + w].encode() for i in range(len(text) - w + n_extra)]
        if self.tokenization == "punctuation":
            toks, sep = self.punct.split(text), " "
        elif self.tokenization == "space":
            toks, sep = [t for t in text.split(" ") if t], " "
        else:
            toks, sep = self.sp(text), ""
        end = len(toks) - 1 + n_extra  # windows start at 0 .. len - w - 1 + n_extra
        if end < w:
            return []
        return [s.encode() for s in map(sep.join, zip(*(toks[j:end] for j in range(w))))]


def _load_tokenizer_model(path: str | None, op: str):
    """A SentencePiece `.model` (needs the sentencepiece package) or a `tokenizer.json` (tokenizers)."""
    if not path:
        raise ModelUnavailableError(f"operator {op!r}: tokenization 'sentencepiece' needs argument "
                                    f"'tokenizer_model' (a SentencePiece .model file or a tokenizer.json); "
                                    f"nothing is downloaded")
    if not os.path.exists(path):
        raise ModelUnavailableError(f"operator {op!r}: tokenizer_model {path!r} does not exist")
    if path.endswith(".json"):
        from tokenizers import Tokenizer as HFTokenizer

        tok = HFTokenizer.from_file(path)
        return lambda text: tok.encode(text, add_special_tokens=False).tokens
    try:
        import sentencepiece as spm
    except ImportError:
        raise ModelUnavailableError(f"operator {op!r}: reading {path!r} needs the 'sentencepiece' "
                                    f"package (pip install sentencepiece), or give a tokenizer.json") from None
    sp = spm.SentencePieceProcessor(model_file=path)
    return lambda text: sp.encode(text, out_type=str)


class MinhashArgs(OpArgs):
    tokenization: Literal["space", "punctuation", "character", "sentencepiece"] = Field(
        "space", description="How text is split into tokens before shingling.",
        json_schema_extra={"measure": "choice", "cues": {
            "space": ["word shingles", "split on spaces", "按空格分词", "按词"],
            "punctuation": ["split on punctuation", "按标点切分", "按标点分词", "按标点切词", "按标点符号分"],
            "character": ["character shingles", "character level", "按字符", "字符级", "按字分词", "逐字切分", "按字切分", "按字切", "按单字"],
            "sentencepiece": ["sentencepiece", "subword tokens", "子词切分"]}})
    window_size: PositiveInt = Field(5, description="Tokens per shingle (words, or characters with "
                                                    "character tokenization).",
                                     json_schema_extra={"measure": "tokens"})
    lowercase: bool = Field(True, description="Lowercase the text first.",
                            json_schema_extra={"measure": "flag", "cues": case_cues()})
    ignore_pattern: str | None = Field(None, description="Regex whose matches are removed first.",
                                       json_schema_extra={"measure": "pattern"})
    num_permutations: PositiveInt = Field(256, description="MinHash permutations (signature length).",
                                          json_schema_extra={"measure": "count"})
    jaccard_threshold: float = Field(0.7, ge=0, le=1, description="Estimated Jaccard similarity (0-1) at "
                                                                  "which two documents count as duplicates.",
                                     json_schema_extra={"measure": "similarity"})
    num_bands: PositiveInt | None = Field(None, description="LSH bands (default: optimal for the threshold).",
                                          json_schema_extra={"measure": "count"})
    num_rows_per_band: PositiveInt | None = Field(None, description="Rows per LSH band (default: optimal).",
                                                  json_schema_extra={"measure": "count"})
    tokenizer_model: str | None = Field(None, description="SentencePiece model (or tokenizer.json) path.",
                                        json_schema_extra={"measure": "path"})


@register_op
class DocumentMinhashDeduplicator(Deduplicator):
    name = "document_minhash_deduplicator"
    modality = "text"
    Args = MinhashArgs
    hash_key = MINHASH
    description = ("Removes near-duplicate documents: MinHash signatures of word shingles, grouped by "
                   "locality-sensitive hashing so that documents whose estimated Jaccard similarity "
                   "exceeds jaccard_threshold fall into one cluster, of which the first is kept. Catches "
                   "boilerplate pages and lightly edited copies that exact dedup misses.")
    example = "document_minhash_deduplicator: {jaccard_threshold: 0.8, window_size: 5}"
    requests = ("remove near-duplicate documents", "drop near duplicates", "collapse documents that are almost the same into one",
                "fuzzy near-duplicate document removal with MinHash LSH", "fuzzy dedup with minhash at jaccard 0.8",
                "drop lightly edited copies of the same page",
                "deduplicate documents that are more than 70% similar",
                "cluster similar documents with LSH and keep one per cluster",
                "几乎一样的文章只留一篇", "用MinHash做模糊去重，杰卡德阈值0.8", "删除相似度超过70%的重复网页",
                "去掉稍作修改的重复文章", "对文档做近似去重",
                "drop copy-pasted texts that were reposted with small changes",
                "the same post shows up over and over with slight variations, keep one",
                "复制粘贴后改了几个字再转发的内容只保留一条", "刷屏的相似帖子只留一条")
    situations = (
        "the same novel chapter was reposted by several sites, each adding its own header and footer",
        "press releases got syndicated to dozens of outlets with slightly different intros",
        "同一章小说被好几个网站转载，只是页眉页脚不一样",
        "一篇通稿被各家媒体转发，开头稍微改了改",
        "SEO content farms spin one article by swapping in synonyms, so the corpus holds endless rewrites of "
        "the same text",
        "shops copy the manufacturer's product description and only change the store name and the price, so the "
        "listings read almost alike",
        "the model keeps parroting one template paragraph because so many scraped pages share the same body "
        "with tiny tweaks",
        "自媒体搬运别人的文章，只换了标题和几个词就当原创发，语料里同一篇文章有无数个变体",
        "各家网店的商品详情都是照抄厂家文案，只改了店名和价格，读起来大同小异",
        "大量网页正文几乎雷同，只有日期和城市名不一样，像是用模板批量生成的",
    )

    def setup(self) -> None:
        a = self.args
        self.tokenizer = Tokenizer(a.tokenization, a.window_size, a.lowercase, a.ignore_pattern,
                                   a.tokenizer_model, self.name, extra_window=1)
        if a.num_bands is None or a.num_rows_per_band is None:
            self.bands, self.rows = optimal_param(a.jaccard_threshold, a.num_permutations)
        else:
            self.bands, self.rows = a.num_bands, a.num_rows_per_band
        if self.bands * self.rows > a.num_permutations:
            raise self.bad_arg("num_bands", a.num_bands,
                               f"num_bands * num_rows_per_band must be at most num_permutations "
                               f"({a.num_permutations}), got {self.bands} * {self.rows}")

    def compute_hash_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        texts = column(batch, self.text_key)
        out: list = []
        step = 4096
        errors: list = []
        for s in range(0, len(texts), step):
            sets = [set(self.tokenizer.shingles(t)) for t in texts[s:s + step]]
            sig = minhash_signatures(sets, self.args.num_permutations)
            out.extend(band_digests(sig, self.bands, self.rows).tolist())
            errors.extend(None if x else _NO_SHINGLE.format(w=self.args.window_size) for x in sets)
        batch[MINHASH] = out
        if any(e is not None for e in errors):
            batch[OP_ERRORS] = errors  # Data-Juicer's min over no shingle raises: the sample is dropped
        return batch

    def keep_mask(self, hashes: list, trace_num: int = 0) -> tuple[list[bool], list[tuple[int, int]]]:
        n = len(hashes)
        if n <= 1:
            return [True] * n, []
        keys = np.asarray(hashes, dtype=np.int64).reshape(n, -1)
        src, dst = bucket_edges(keys)
        return clusters_keep(n, src, dst, trace_num)
