"""Deduplicators, with Data-Juicer's own test cases and naive re-implementations of its hashing."""
import hashlib
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from sandbox_engine import process_samples
from sandbox_engine.ops.base import build_op
from sandbox_engine.ops.deduplicators.minhash import (MAX_HASH, MERSENNE_PRIME, minhash_signatures,
                                                      optimal_param)

IMG = Path(__file__).resolve().parents[1] / "data" / "images"


def texts(samples):
    return [s["text"] for s in samples]


def dedup(samples, op, **args):
    return process_samples(samples, [{op: args}])


# -- document_deduplicator ----------------------------------------------------------------------------

def test_document_english():
    ds = [{"text": "Today is Sunday and it's a happy day!"}, {"text": "Do you need a cup of coffee?"},
          {"text": "Today is sunday and it's a happy day!"},
          {"text": "This paper proposed a novel method on LLM pretraining."},
          {"text": "This paper proposed a novel method on LLM pretraining."}]
    assert dedup(ds, "document_deduplicator") == ds[:4]
    assert dedup(ds, "document_deduplicator", lowercase=True) == [ds[0], ds[1], ds[3]]


def test_document_chinese_and_non_character():
    ds = [{"text": "你好，请问你是谁"}, {"text": "欢迎来到阿里巴巴！"},
          {"text": "第九届会议\n2003年7月28日至8月8日\n牙买加金斯敦"},
          {"text": "第九届会议\n2003年7月28日至8月8日\n牙买加金斯敦"},
          {"text": "第九届会议\n时间：2003年7月28日至8月8日 牙买加金斯敦"},
          {"text": "第九届会议 2004年7月28日至8月8日 牙买加金斯敦"}]
    assert dedup(ds, "document_deduplicator") == [ds[0], ds[1], ds[2], ds[4], ds[5]]
    # whitespace, digits and ASCII punctuation are ignored; the full-width '：' is not
    assert dedup(ds, "document_deduplicator", ignore_non_character=True) == [ds[0], ds[1], ds[2], ds[4]]


def test_document_strip_empty_missing_and_trace():
    ds = [{"text": "  a b "}, {"text": "a b"}, {"text": ""}, {"text": None}, {"id": 5}, {"text": "é"}]
    assert dedup(ds, "document_deduplicator") == [ds[0], ds[2], ds[5]]
    op = build_op("document_deduplicator")
    batch = op.compute_hash_batched({"text": ["x", "y", "x", "x", "y"]})
    assert batch["__dj__hash"][0] == hashlib.md5(b"x").hexdigest()
    keep, pairs = op.keep_mask(batch["__dj__hash"], trace_num=2)
    assert keep == [True, True, False, False, False] and pairs == [(0, 2), (0, 3)]


# -- document_minhash_deduplicator --------------------------------------------------------------------

def dj_signature(shingles, num_perm=256):
    """Data-Juicer 1.4.3's compute_hash, verbatim numpy (the reference for our vectorised version)."""
    gen = np.random.RandomState(seed=42)
    perm_a, perm_b = np.array([(gen.randint(1, MERSENNE_PRIME, dtype=np.uint64),
                                gen.randint(0, MERSENNE_PRIME, dtype=np.uint64)) for _ in range(num_perm)],
                              dtype=np.uint64).T
    hv = np.array([struct.unpack("<I", hashlib.sha1(t).digest()[:4])[0] for t in shingles], dtype=np.uint64)
    phv = np.bitwise_and(((hv * np.tile(perm_a, (len(hv), 1)).T).T + perm_b) % MERSENNE_PRIME, MAX_HASH)
    return np.vstack([phv, np.ones(num_perm, dtype=np.uint64) * MAX_HASH]).min(axis=0)


def test_minhash_signatures_match_data_juicer():
    op = build_op("document_minhash_deduplicator")
    docs = ["the quick brown fox jumps over the lazy dog " * k for k in range(1, 4)]
    docs += ["Today is Sunday and it's a happy day!", "", "数据 处理 是 一个 很 重要 的 步骤 对吧"]
    sets = [set(op.tokenizer.shingles(d)) for d in docs]
    sig = minhash_signatures(sets, 256)
    for s, row in zip(sets, sig):
        assert (row == dj_signature(list(s))).all()
    assert (sig[4] == MAX_HASH).all()  # no shingle


def test_minhash_optimal_param_and_windows():
    assert optimal_param(0.7, 256) == (25, 10)
    op = build_op("document_minhash_deduplicator", {"window_size": 2})
    # Data-Juicer's range(len(tokens) - window_size + 1): L - w + 1 windows, the last one included
    assert op.tokenizer.shingles("A b  c d") == [b"a b", b"b c", b"c d"]
    assert op.tokenizer.shingles("one") == []
    op = build_op("document_minhash_deduplicator", {"tokenization": "character", "window_size": 2})
    assert op.tokenizer.shingles("abcd") == [b"ab", b"bc", b"cd"]
    op = build_op("document_minhash_deduplicator", {"tokenization": "punctuation", "window_size": 1,
                                                    "lowercase": False})
    assert op.tokenizer.shingles("Hi, you. Me") == [b"Hi", b" you", b" Me"]


def test_minhash_english():
    ds = [{"text": "Today is Sunday and it's a happy day!"}, {"text": "Do you need a cup of coffee?"},
          {"text": "Today is sunday and it's really a happy day!"}]
    ds += [{"text": "This paper proposed a novel method on LLM pretraining."}] * 3
    out = dedup(ds, "document_minhash_deduplicator", ignore_pattern=r"\p{P}")
    assert out == ds[:4]


def test_minhash_texts_without_shingle_are_dropped():
    # fewer than window_size words: no shingle, Data-Juicer's min() raises, skip_op_error drops them
    ds = [{"text": "one two three"}, {"text": "completely other words"}, {"text": ""}, {"text": None},
          {"text": "five words make one shingle"}]
    assert dedup(ds, "document_minhash_deduplicator") == [ds[4]]
    with pytest.raises(ValueError, match="document_minhash_deduplicator.*one two three.*no shingle"):
        dedup(ds, "document_minhash_deduplicator", skip_op_error=False)


def test_minhash_near_duplicates():
    base = ("Juicebox reads Data-Juicer recipes and runs them over large text collections so that "
            "people can prepare clean training data without writing much code at all today")
    ds = [{"text": base}, {"text": base + " indeed"}, {"text": base.replace("today", "now")},
          {"text": "A completely different document that talks about cooking pasta with tomatoes "
                   "garlic olive oil and basil for a quick dinner after work"}]
    assert texts(dedup(ds, "document_minhash_deduplicator")) == [base, ds[3]["text"]]
    strict = dedup(ds, "document_minhash_deduplicator", num_bands=1, num_rows_per_band=256)
    # one band of all 256 values: only identical shingle sets collide; ds[2]'s last word is in the
    # last window (L - w + 1 windows), so it differs too
    assert strict == ds


def test_minhash_chinese_character():
    ds = [{"text": "你好，请问你是谁，我们今天要一起去公园散步吗？"},
          {"text": "你好，请问你是谁，我们今天要一起去公园散步吗"},
          {"text": "欢迎来到阿里巴巴！这里是数据处理的地方。"}]
    out = dedup(ds, "document_minhash_deduplicator", tokenization="character", ignore_pattern=r"\p{P}")
    assert out == [ds[0], ds[2]]


def test_minhash_batches_consistent_and_trace():
    op = build_op("document_minhash_deduplicator", {"window_size": 2})
    docs = [f"doc {i % 7} is here and there" for i in range(40)]
    whole = op.compute_hash_batched({"text": docs})["__dj__minhash"]
    parts = op.compute_hash_batched({"text": docs[:13]})["__dj__minhash"] + \
        op.compute_hash_batched({"text": docs[13:]})["__dj__minhash"]
    assert whole == parts
    keep, pairs = op.keep_mask(whole, trace_num=3)
    assert [i for i, k in enumerate(keep) if k] == list(range(7))
    assert pairs == [(0, 7), (1, 8), (2, 9)]


def test_minhash_bad_arguments():
    with pytest.raises(ValueError, match="tokenizer_model"):
        build_op("document_minhash_deduplicator", {"tokenization": "sentencepiece"})
    with pytest.raises(ValueError, match="num_permutations"):
        build_op("document_minhash_deduplicator", {"num_bands": 30, "num_rows_per_band": 10})
    with pytest.raises(ValueError, match="tokenization"):
        build_op("document_minhash_deduplicator", {"tokenization": "bpe"})


# -- document_simhash_deduplicator --------------------------------------------------------------------

def dj_simhash(shingles):
    """simhash.compute(map(simhash.unsigned_hash, tokens)), spelled out."""
    counts = [0] * 64
    for t in shingles:
        h = struct.unpack(">Q", hashlib.md5(t).digest()[:8])[0]
        for i in range(64):
            counts[i] += 1 if (h >> i) & 1 else -1
    return sum(1 << i for i in range(64) if counts[i] > 0)


def test_simhash_values_match_reference():
    op = build_op("document_simhash_deduplicator", {"window_size": 2})
    docs = ["a b c d e f", "a b c d e g", "", "数据 处理", "x"]
    got = op.compute_hash_batched({"text": docs})["__dj__simhash"]
    assert got == [str(dj_simhash(op.tokenizer.shingles(d))) for d in docs]
    assert op.tokenizer.shingles("a b c") == [b"a b", b"b c"]  # simhash forms the last window


def test_simhash_near_duplicates():
    base = ("Juicebox reads Data-Juicer recipes and runs them over large text collections so that "
            "people can prepare clean training data without writing much code at all, every day of the "
            "week, on laptops and on clusters alike, with the same results each time it runs")
    ds = [{"text": base}, {"text": base + " again"}, {"text": base},
          {"text": "Cooking pasta with tomatoes, garlic, olive oil and basil is a quick dinner after a "
                   "long day at work, and it is also cheap, healthy and loved by children everywhere"}]
    assert dedup(ds, "document_simhash_deduplicator", window_size=3) == [ds[0], ds[3]]
    assert dedup(ds, "document_simhash_deduplicator", window_size=3, hamming_distance=0,
                 num_blocks=2) == [ds[0], ds[1], ds[3]]


def test_simhash_transitive_clusters():
    op = build_op("document_simhash_deduplicator", {"hamming_distance": 1, "num_blocks": 3})
    hashes = [str(0b000), str(0b1000), str(0b1), str(0b11), str(0b111), str((1 << 40) | (1 << 50) | 1)]
    keep, pairs = op.keep_mask(hashes, trace_num=5)
    # 0-8, 0-1, 1-3, 3-7: one chain, though 0 and 7 differ in 3 bits; the last is alone
    assert keep == [True, False, False, False, False, True]
    assert pairs == [(0, 1)]


def test_simhash_bad_blocks():
    with pytest.raises(ValueError, match="num_blocks"):
        build_op("document_simhash_deduplicator", {"num_blocks": 4, "hamming_distance": 4})


# -- image_deduplicator -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def imgs(tmp_path_factory):
    d = tmp_path_factory.mktemp("imgs")
    paths = {}
    for name in ("img1.png", "img2.jpg", "img3.jpg"):
        shutil.copy(IMG / name, d / name)
        paths[name] = str(d / name)
    for src, dup in (("img1.png", "img1_dup.png"), ("img2.jpg", "img2_dup.jpg"), ("img3.jpg", "img3_dup.jpg")):
        shutil.copy(IMG / src, d / dup)
        paths[dup] = str(d / dup)
    (d / "img3_dup_dup.jpg").symlink_to(d / "img3_dup.jpg")
    paths["img3_dup_dup.jpg"] = str(d / "img3_dup_dup.jpg")
    return paths


@pytest.mark.parametrize("method", ["phash", "dhash", "whash", "ahash"])
def test_image_dedup_cases(imgs, method):
    i1, i2, i3 = imgs["img1.png"], imgs["img2.jpg"], imgs["img3.jpg"]
    d1, d2, d3, d33 = imgs["img1_dup.png"], imgs["img2_dup.jpg"], imgs["img3_dup.jpg"], imgs["img3_dup_dup.jpg"]

    def run(lists):
        return [s["images"] for s in dedup([{"images": x} for x in lists], "image_deduplicator", method=method)]

    assert run([[i1], [i2], [i3]]) == [[i1], [i2], [i3]]
    assert run([[i1], [i2], [i2]]) == [[i1], [i2]]
    assert run([[i1], [i2], [d1]]) == [[i1], [i2]]
    assert run([[i1], [d1], [d2], [d3], [d33]]) == [[i1], [d2], [d3]]
    assert run([[i1, i2], [i2, i1], [d1, d2], [i3]]) == [[i1, i2], [i2, i1], [i3]]


def test_image_dedup_no_images_and_consider_text(imgs):
    i1, i2 = imgs["img1.png"], imgs["img2.jpg"]
    ds = [{"text": "a", "images": [i1]}, {"text": "b", "images": [i1]}, {"text": "a", "images": [i2]},
          {"text": "a", "images": []}, {"text": "a", "images": []}, {"text": "c"}]
    assert dedup(ds, "image_deduplicator") == [ds[0], ds[2], ds[3], ds[4], ds[5]]
    # with the text: equal (images, text) only; samples without images dedup by text alone
    assert dedup(ds, "image_deduplicator", consider_text=True) == [ds[0], ds[1], ds[2], ds[3], ds[5]]


def test_image_dedup_bad_method():
    with pytest.raises(ValueError, match="method"):
        build_op("image_deduplicator", {"method": "md5"})
