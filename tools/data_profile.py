"""Look at a data set before planning: what is in it, and what that means for the recipe.

`profile_dataset` reads a sample through the engine's readers (every supported format) and measures
fields, the text key, modality, languages (fastText lid.176, as language_id_score_filter), the shares
of samples with HTML, e-mails, links, IPs, exact duplicates, near-empty, very long, garbled and
symbol-heavy texts, and the length distribution. `suggest_ops` / `irrelevant_ops` turn those
measurements into operators to add or drop (one rule table keyed by op name), and `calibrate` sets
the thresholds a user did not state from the data's own stats (a percentile, or k-sigma), with a
note per change. Reasons and notes are said in English or Chinese (`lang`), one MESSAGES entry each.
"""
from __future__ import annotations

import copy
import math
import os
import random
import re
import zlib
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, NamedTuple

from pydantic import BaseModel, Field, PrivateAttr

from sandbox_engine.errors import JuiceboxError, OpArgumentError

EXACT_COUNT_BYTES = 32 << 20  # data sets up to this size are read whole: exact count, uniform sample
NEAR_EMPTY_CHARS = 10
SPECIAL_RATIO = 0.4  # special characters include whitespace: prose is ~0.2-0.3
SCAN_CHARS = 100_000  # pattern checks read the first 100k characters of each text
NO_BOUND = 1e15  # a max at or above this (sys.maxsize, '1TB') bounds nothing

HTML_RE = re.compile(r"<\s*(?:!doctype|html|head|body|div|span|p|a|br|hr|img|script|style|table|tr|td|th|"
                     r"ul|ol|li|h[1-6]|meta|link|title|strong|em|b|i|iframe|form|input|button|nav|"
                     r"footer|header|section|article)\b[^>]*>|</\s*[a-z][a-z0-9]*\s*>", re.I)
LINK_RE = re.compile(r"\bhttps?://\S+|\bwww\d{0,3}\.\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|"
                     r"io|info|biz|cn|de|uk|ru|jp|fr)/\S*", re.I)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LATEX_RE = re.compile(r"\\(?:documentclass|section|subsection|begin\{|bibitem|newcommand|def\\|cite\{|usepackage)")
DJ_TOKEN_RE = re.compile(r"<\|?__dj__\w+\|?>")  # Data-Juicer's special tokens (<__dj__image> ...)
IP_HINT_RE = re.compile(r"\d\.\d|[0-9a-fA-F]:[0-9a-fA-F]")


def _email_re() -> re.Pattern:
    from sandbox_engine.ops.mappers.clean import EMAIL_PATTERN

    return re.compile(EMAIL_PATTERN)


def _ip_re() -> re.Pattern:
    from sandbox_engine.ops.mappers.clean import IP_PATTERN

    return re.compile(r"(?<![\d.])(?:" + IP_PATTERN + r")(?![\d.])")


# -- the profile ----------------------------------------------------------------------------------
class Distribution(BaseModel):
    min: float = 0
    p5: float = 0
    p25: float = 0
    median: float = 0
    p75: float = 0
    p95: float = 0
    max: float = 0
    mean: float = 0

    @classmethod
    def of(cls, values: list[float]) -> "Distribution":
        if not values:
            return cls()
        import numpy as np

        a = np.asarray(values, dtype=float)
        p = np.percentile(a, [0, 5, 25, 50, 75, 95, 100])
        return cls(min=p[0], p5=p[1], p25=p[2], median=p[3], p75=p[4], p95=p[5], max=p[6], mean=a.mean())


class Shares(BaseModel):
    """Fractions (0..1) of the sampled samples with text showing each property."""

    html: float = 0.0
    email: float = 0.0
    link: float = 0.0
    ip: float = 0.0
    exact_duplicate: float = Field(0.0, description="Samples whose text repeats an earlier sample's.")
    near_empty: float = Field(0.0, description=f"Texts under {NEAR_EMPTY_CHARS} non-blank characters.")
    very_long: float = Field(0.0, description="Texts over 10x the median length and over 2,000 characters.")
    garbled: float = Field(0.0, description="Mojibake, U+FFFD replacement or control characters.")
    special_chars: float = Field(0.0, description=f"Texts with over {SPECIAL_RATIO:.0%} special characters.")
    latex: float = 0.0
    copyright: float = 0.0
    duplicate_media: float = Field(0.0, description="Samples whose media paths repeat an earlier sample's.")


class DataProfile(BaseModel):
    path: str
    samples: int = Field(description="Samples in the data set (see samples_exact).")
    samples_exact: bool = Field(description="True: counted; False: estimated from the file sizes.")
    sampled: int = Field(description="Samples read for this profile.")
    sample_kind: Literal["all", "uniform", "head"] = "all"
    fields: dict[str, str] = Field(default_factory=dict)
    text_key: str | None = None
    media_keys: dict[str, str] = Field(default_factory=dict, description="modality -> field.")
    modality: Literal["text", "image-text", "image", "video", "audio", "dialog"] = "text"
    languages: dict[str, float] = Field(default_factory=dict, description="Share per fastText language.")
    shares: Shares = Field(default_factory=Shares)
    chars: Distribution = Field(default_factory=Distribution)
    words: Distribution = Field(default_factory=Distribution)

    _rows: list[dict] = PrivateAttr(default_factory=list)

    @property
    def rows(self) -> list[dict]:
        """The sampled rows (not serialised)."""
        return self._rows

    def main_language(self) -> str | None:
        return next(iter(self.languages), None)

    def summary(self) -> list[str]:
        """Plain-language lines for the user."""
        count = f"{self.samples:,}" if self.samples_exact else f"about {self.samples:,} (estimated)"
        out = [f"{count} samples; profiled {self.sampled:,} ({self.sample_kind}); modality {self.modality}; "
               f"text field {self.text_key!r}"]
        out.append("fields: " + ", ".join(f"{k} ({v})" for k, v in self.fields.items()))
        if self.languages:
            out.append("languages: " + ", ".join(f"{k} {v:.0%}" for k, v in list(self.languages.items())[:6]))
        if self.text_key:
            c, w = self.chars, self.words
            out.append(f"length: median {c.median:,.0f} characters (p5 {c.p5:,.0f}, p95 {c.p95:,.0f}), "
                       f"median {w.median:,.0f} words")
            found = [f"{k.replace('_', ' ')} {v:.1%}" for k, v in self.shares.model_dump().items() if v > 0]
            out.append("found: " + (", ".join(found) if found else "no HTML, e-mails, links, duplicates "
                                    "or garbled text"))
        return out


# -- reading a sample -----------------------------------------------------------------------------
def _read_sample(path: str, sample: int, seed: int = 0) -> tuple[list[dict], int, bool, str]:
    """(rows, count, exact, kind): small data sets are read whole (uniform reservoir sample, exact
    count); large JSON / parquet files are read from the head and their count estimated."""
    from sandbox_engine.dataset import DataSource, file_suffix, find_files

    p = Path(os.path.expanduser(path))
    files = find_files(p) if p.exists() else []
    size = sum(f.stat().st_size for f in files)
    big = files and size > EXACT_COUNT_BYTES and all(
        file_suffix(f) in (".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet") for f in files)
    if big:
        return _head_sample(files, sample)
    source = DataSource(path)
    count = source.count()
    rng = random.Random(seed)
    rows: list[dict] = []
    seen = 0
    for batch in source.batches(1000):
        keys = list(batch)
        for vals in zip(*batch.values()):
            seen += 1
            if len(rows) < sample:
                rows.append(dict(zip(keys, vals)))
            else:
                j = rng.randrange(seen)
                if j < sample:
                    rows[j] = dict(zip(keys, vals))
    return rows, count, True, "all" if seen <= sample else "uniform"


def _head_sample(files: list[Path], sample: int) -> tuple[list[dict], int, bool, str]:
    from sandbox_engine.dataset import file_suffix
    from sandbox_engine.formats import jsonio, tabular

    rows: list[dict] = []
    exact_rows, est_rows, exact = 0, 0.0, True
    for f in files:
        if file_suffix(f) == ".parquet":
            _, n = tabular.parquet_columns_and_count(f)
            exact_rows += n
            for b in tabular.iter_parquet_batches(f, 1000):
                if len(rows) >= sample:
                    break
                keys = list(b)
                rows.extend(dict(zip(keys, v)) for v in zip(*b.values()))
            continue
        got: list[dict] = []
        for r in jsonio.iter_jsonl(f):
            got.append(r)
            if len(got) >= max(sample - len(rows), 200):
                break
        rows.extend(got[:max(sample - len(rows), 0)])
        raw = "\n".join(jsonio.dumps(r) for r in got).encode() + b"\n"
        per_row = len(raw) / max(len(got), 1)
        if file_suffix(f) != ".jsonl":  # compressed: scale by the sample's own compression ratio
            per_row *= len(zlib.compress(raw, 6)) / max(len(raw), 1)
        est_rows += f.stat().st_size / max(per_row, 1.0)
        exact = False
    return rows[:sample], int(round(exact_rows + est_rows)), exact, "head"


# -- measuring ------------------------------------------------------------------------------------
def _type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float, str, dict)):
        return type(v).__name__
    if isinstance(v, (list, tuple)):
        inner = sorted({_type_name(x) for x in v} - {"null"})
        return f"list[{'|'.join(inner)}]" if inner else "list"
    return type(v).__name__


def _fields(rows: list[dict]) -> dict[str, str]:
    kinds: dict[str, Counter] = {}
    for r in rows:
        for k, v in r.items():
            kinds.setdefault(k, Counter())[_type_name(v)] += 1
    out = {}
    for k, c in kinds.items():
        names = [n for n, _ in c.most_common() if n != "null"] + (["null"] if "null" in c else [])
        out[k] = "|".join(names)
    return out


def _guess_text_key(rows: list[dict], fields: dict[str, str]) -> str | None:
    strings = [k for k, t in fields.items() if t.split("|")[0] == "str"]
    if "text" in strings:
        return "text"
    if not strings:
        return None
    return max(strings, key=lambda k: sum(len(r.get(k) or "") for r in rows if isinstance(r.get(k), str)))


MEDIA_KEYS = {"image": ("images", "image"), "video": ("videos", "video"), "audio": ("audios", "audio")}


def _modality(rows: list[dict], fields: dict[str, str], text_key: str | None) -> tuple[str, dict[str, str]]:
    media = {}
    for kind, keys in MEDIA_KEYS.items():
        for k in keys:
            if k in fields and any(r.get(k) for r in rows):
                media[kind] = k
                break
    if "video" in media:
        return "video", media
    if "audio" in media:
        return "audio", media
    if "image" in media:
        has_text = text_key and any(isinstance(r.get(text_key), str) and r[text_key].strip() for r in rows)
        return ("image-text" if has_text else "image"), media
    dialog = ({"query", "response"} <= set(fields) or {"instruction", "output"} <= set(fields)
              or any(k in fields and fields[k].startswith("list[dict") for k in ("messages", "conversations")))
    return ("dialog" if dialog else "text"), media


def _languages(texts: list[str]) -> dict[str, float]:
    from sandbox_engine.models import langid

    texts = [t for t in (DJ_TOKEN_RE.sub(" ", t) for t in texts) if t.strip()]
    if not texts:
        return {}
    counts = Counter(lang for lang, _ in langid.predict([t[:2000] for t in texts]))
    n = len(texts)
    shares = {k: v / n for k, v in counts.most_common()}
    kept = {k: round(v, 4) for k, v in shares.items() if v >= 0.005}
    rest = 1.0 - sum(shares[k] for k in kept)
    if rest > 1e-9:
        kept["other"] = round(rest, 4)
    return kept


def _shares(texts: list[str], char_lens: list[int], rows: list[dict], media: dict[str, str]) -> Shares:
    import ftfy.badness

    from sandbox_engine.ops.text_utils import special_characters

    n = len(texts)
    if not n:
        return Shares()
    sc = special_characters()
    email, ip = _email_re(), _ip_re()
    median = sorted(char_lens)[n // 2]
    counts: Counter = Counter()
    seen: set[str] = set()
    for full, length in zip(texts, char_lens):
        t = full[:SCAN_CHARS]
        counts["html"] += bool(HTML_RE.search(t))
        counts["email"] += "@" in t and bool(email.search(t))
        counts["link"] += ("/" in t or "www" in t) and bool(LINK_RE.search(t))
        counts["ip"] += bool(IP_HINT_RE.search(t)) and bool(ip.search(t))
        counts["exact_duplicate"] += full in seen
        seen.add(full)
        counts["near_empty"] += len(full.strip()) < NEAR_EMPTY_CHARS
        counts["very_long"] += length > max(10 * median, 2000)
        counts["garbled"] += not t.isascii() and ("\ufffd" in t or ftfy.badness.is_bad(t)) \
            or bool(CONTROL_RE.search(t))
        counts["special_chars"] += bool(t) and sum(c in sc for c in t) / len(t) > SPECIAL_RATIO
        counts["latex"] += bool(LATEX_RE.search(t))
        counts["copyright"] += "copyright" in t.lower() or "©" in t
    out = {k: round(v / n, 4) for k, v in counts.items()}
    if media:
        key = next(iter(media.values()))
        paths = [tuple(r.get(key) or ()) for r in rows if r.get(key)]
        if paths:
            out["duplicate_media"] = round((len(paths) - len(set(paths))) / len(paths), 4)
    return Shares(**out)


def profile_dataset(path: str | os.PathLike, sample: int = 2000, seed: int = 0) -> DataProfile:
    """Profile a data set from a sample of at most `sample` rows (data sets up to 32 MB are read
    whole: exact count and a uniform sample; larger JSON-lines / parquet files are sampled from the
    head and their count is estimated)."""
    if sample < 1:
        raise OpArgumentError(f"profile_dataset: sample must be >= 1, got {sample}")
    rows, count, exact, kind = _read_sample(str(path), sample, seed)
    fields = _fields(rows)
    text_key = _guess_text_key(rows, fields)
    modality, media = _modality(rows, fields, text_key)
    texts = [r.get(text_key) if isinstance(r.get(text_key), str) else "" for r in rows] if text_key else []
    char_lens = [len(t) for t in texts]
    from sandbox_engine.ops.text_utils import split_words

    prof = DataProfile(path=str(path), samples=count, samples_exact=exact, sampled=len(rows),
                       sample_kind=kind, fields=fields, text_key=text_key, media_keys=media,
                       modality=modality, languages=_languages(texts),
                       shares=_shares(texts, char_lens, rows, media),
                       chars=Distribution.of(char_lens), words=Distribution.of([len(split_words(t)) for t in texts]))
    prof._rows = rows
    return prof


def _as_profile(path_or_profile: "str | os.PathLike | DataProfile", sample: int = 2000) -> DataProfile:
    if isinstance(path_or_profile, DataProfile):
        if not path_or_profile.rows and path_or_profile.path:
            return profile_dataset(path_or_profile.path, sample=max(path_or_profile.sampled, 1))
        return path_or_profile
    return profile_dataset(path_or_profile, sample=sample)


# -- what the profile says, in English or Chinese --------------------------------------------------
LANGS = ("en", "zh")

# every sentence a rule or a calibration says: (English, Chinese) str.format templates, given the same
# fields (a template takes those it needs). Chinese ones are written without spaces: _say puts one
# between Chinese and Latin letters or digits
MESSAGES: dict[str, tuple[str, str]] = {
    "share_present": ("{pct} of your samples contain {what}", "{pct}的样本含有{what}"),
    "share_absent": ("none of the {n:,} sampled texts contains {what}", "抽样的{n:,}条文本都不含{what}"),
    "no_text": ("your data has no text field (modality {modality})", "你的数据没有文本字段（模态：{modality}）"),
    "no_language": ("no {label} text in the sample (languages: {langs})", "样本中没有{label}文本（语言：{langs}）"),
    "chunk_absent": ("every sampled text is already at most {max_len} characters (longest {longest:,.0f})",
                     "抽样的每条文本都已不超过{max_len}个字符（最长{longest:,.0f}个）"),
    "no_media": ("your data has no {kind} (modality {modality})", "你的数据中没有{kind}（模态：{modality}）"),
    "no_dups": ("none of your {n:,} texts is an exact duplicate", "你的{n:,}条文本中没有完全重复的"),
    "near_empty": ("{pct} are near-empty (under {n} characters)", "{pct}的文本几乎为空（不足{n}个字符）"),
    "very_long": ("{pct} are over 10x the median length", "{pct}的文本长度超过中位数的10倍"),
    "media_dups": ("{pct} of your samples repeat an earlier sample's media files", "{pct}的样本重复了前面样本的媒体文件"),
    "other_languages": ("you want {language}, and {pct} of your texts are in other languages ({mix})",
                        "你要的是{language}，而{pct}的文本是其他语言（{mix}）"),
    "no_stats": ("{op}: could not compute its stats on your data ({err}); thresholds unchanged",
                 "{op}：无法在你的数据上计算它的统计量（{err}），阈值未改"),
    "calibrated": ("{op}: {arg} = {new}: {how} of your data's {stat} (measured on {n:,} samples; was {old})",
                   "{op}：{arg} = {new}，取自你的数据中{stat}的{how}（在{n:,}条样本上测得；原为{old}）"),
    "stat_measure": ("{stat} ({measure})", "{stat}（{measure}）"),
    "ksigma": ("the mean {sign} {k:g} standard deviations", "均值{sign}{k:g}倍标准差"),
    "percentile": ("the {nth} percentile", "第{q:g}百分位数"),
    "list": (", ", "、"),
    "parts": ("; ", "；"),
}
# the measures of a threshold's stat, in Chinese (others are said as they are)
MEASURES_ZH = {"characters": "字符数", "chars": "字符数", "words": "词数", "tokens": "token 数", "count": "个数",
               "pixels": "像素", "bytes": "字节数", "seconds": "秒", "frames": "帧数", "fps": "帧率",
               "decibels": "分贝", "ratio": "比例", "probability": "概率", "similarity": "相似度", "score": "分数",
               "perplexity": "困惑度", "aspect_ratio": "宽高比", "percentile": "百分位"}
MODALITIES_ZH = {"text": "文本", "dialog": "对话", "image": "图片", "image-text": "图文", "audio": "音频",
                 "video": "视频"}
_CJK_LATIN_RE = re.compile(r"(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=[\u3400-\u9fff])")


def _check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGS))}, not {lang!r}")
    return LANGS.index(lang)


class Words(NamedTuple):
    """A phrase in English and in Chinese, given to _say as a field."""
    en: str
    zh: str


def _say(lang: str, key: str, **fields: Any) -> str:
    """The message `key` in `lang`, its fields filled in (a Words field in that language)."""
    i = _check_lang(lang)
    text = MESSAGES[key][i].format(**{k: v[i] if isinstance(v, Words) else v for k, v in fields.items()})
    return _CJK_LATIN_RE.sub(" ", text) if lang == "zh" else text


# -- ops for what is there, and for what is not ---------------------------------------------------
# a rule says why an op is called for (or has nothing to do), in the language asked for, or None
Rule = Callable[[DataProfile, dict, str], "str | None"]


def _pct(x: float) -> str:
    return f"{x:.1%}" if x < 0.1 else f"{x:.0%}"


def _share_rule(attr: str, what: Words, threshold: float) -> tuple[Rule, Rule]:
    def present(p: DataProfile, _args: dict, lang: str) -> str | None:
        v = getattr(p.shares, attr)
        return _say(lang, "share_present", pct=_pct(v), what=what) if v > threshold else None

    def absent(p: DataProfile, _args: dict, lang: str) -> str | None:
        if p.text_key and getattr(p.shares, attr) == 0:
            return _say(lang, "share_absent", n=p.sampled, what=what)
        return None
    return present, absent


def _modality_words(p: DataProfile) -> Words:
    return Words(p.modality, MODALITIES_ZH.get(p.modality, p.modality))


def _text_ops_on_media(p: DataProfile, _args: dict, lang: str) -> str | None:
    return None if p.text_key else _say(lang, "no_text", modality=_modality_words(p))


def _languages_absent(langs: set[str], label: Words) -> Rule:
    def absent(p: DataProfile, _args: dict, lang: str) -> str | None:
        if p.languages and not (set(p.languages) & langs):
            return _say(lang, "no_language", label=label, langs=_say(lang, "list").join(list(p.languages)[:4]))
        return None
    return absent


def _chunk_absent(p: DataProfile, args: dict, lang: str) -> str | None:
    max_len = args.get("max_len")
    if p.text_key and max_len and p.chars.max <= max_len:
        return _say(lang, "chunk_absent", max_len=max_len, longest=p.chars.max)
    return None


def _media_absent(kind: str, words: Words) -> Rule:
    def absent(p: DataProfile, _args: dict, lang: str) -> str | None:
        return None if kind in p.media_keys else _say(lang, "no_media", kind=words, modality=_modality_words(p))
    return absent


def _dups_absent(p: DataProfile, _args: dict, lang: str) -> str | None:
    if p.text_key and p.shares.exact_duplicate == 0 and p.sample_kind == "all":
        return _say(lang, "no_dups", n=p.samples)
    return None


def _size_rule(p: DataProfile, _args: dict, lang: str) -> str | None:
    parts = []
    if p.shares.near_empty > 0.01:
        parts.append(_say(lang, "near_empty", pct=_pct(p.shares.near_empty), n=NEAR_EMPTY_CHARS))
    if p.shares.very_long > 0.01:
        parts.append(_say(lang, "very_long", pct=_pct(p.shares.very_long)))
    return _say(lang, "parts").join(parts) or None


_HTML, _NO_HTML = _share_rule("html", Words("HTML tags", "HTML 标签"), 0.01)
_EMAIL, _NO_EMAIL = _share_rule("email", Words("e-mail addresses", "电子邮件地址"), 0.002)
_LINK, _NO_LINK = _share_rule("link", Words("links", "链接"), 0.01)
_IP, _NO_IP = _share_rule("ip", Words("IP addresses", "IP 地址"), 0.002)
_GARBLED, _ = _share_rule("garbled", Words("garbled characters (mojibake, U+FFFD or control characters)",
                                           "乱码字符（mojibake、U+FFFD 或控制字符）"), 0.002)
_SPECIAL, _ = _share_rule("special_chars", Words(f"over {SPECIAL_RATIO:.0%} special characters",
                                                 f"超过 {SPECIAL_RATIO:.0%} 的特殊字符"), 0.02)
_DUPS, _ = _share_rule("exact_duplicate", Words("the exact text of an earlier sample", "与前面某条样本完全相同的文本"), 0.002)
_, _NO_LATEX = _share_rule("latex", Words("LaTeX commands", "LaTeX 命令"), 1.0)
_, _NO_COPYRIGHT = _share_rule("copyright", Words("a copyright notice", "版权声明"), 1.0)
_NO_CHINESE = _languages_absent({"zh", "wuu", "yue"}, Words("Chinese", "中文"))
_NO_IMAGES = _media_absent("image", Words("images", "图片"))


def _media_dups(p: DataProfile, _args: dict, lang: str) -> str | None:
    v = p.shares.duplicate_media
    return _say(lang, "media_dups", pct=_pct(v)) if v > 0.002 else None


def _text_only(rule: Rule) -> Rule:
    """Text rules that do not apply to media data (repeated captions are not repeated samples)."""
    def check(p: DataProfile, args: dict, lang: str) -> str | None:
        return None if p.media_keys else rule(p, args, lang)
    return check


# op -> (when the data calls for it, when the data has nothing for it to do)
RULES: dict[str, tuple[Rule | None, Rule | None]] = {
    "clean_html_mapper": (_HTML, _NO_HTML),
    "clean_email_mapper": (_EMAIL, _NO_EMAIL),
    "clean_links_mapper": (_LINK, _NO_LINK),
    "clean_ip_mapper": (_IP, _NO_IP),
    "fix_unicode_mapper": (_GARBLED, None),
    "special_characters_filter": (_SPECIAL, None),
    "document_deduplicator": (_text_only(_DUPS), _dups_absent),
    "text_length_filter": (_size_rule, _text_ops_on_media),
    "image_deduplicator": (_media_dups, _NO_IMAGES),
    "chinese_convert_mapper": (None, _NO_CHINESE),
    "remove_non_chinese_character_mapper": (None, _NO_CHINESE),
    "text_chunk_mapper": (None, _chunk_absent),
    "remove_comments_mapper": (None, _NO_LATEX),
    "remove_bibliography_mapper": (None, _NO_LATEX),
    "remove_header_mapper": (None, _NO_LATEX),
    "expand_macro_mapper": (None, _NO_LATEX),
    "clean_copyright_mapper": (None, _NO_COPYRIGHT),
    "words_num_filter": (None, _text_ops_on_media),
    "perplexity_filter": (None, _text_ops_on_media),
    **{op: (None, _NO_IMAGES) for op in (
        "image_shape_filter", "image_size_filter", "image_aspect_ratio_filter", "image_nsfw_filter",
        "image_text_similarity_filter")},
}


def suggest_ops(profile: DataProfile, language: str | None = None, *, lang: str = "en") -> list[tuple[str, str]]:
    """Operators the data calls for, each with the measurement behind it (said in `lang`, 'en' or 'zh').
    With a stated `language`, a data set holding other languages gets language_id_score_filter."""
    _check_lang(lang)
    out = []
    for op, (present, _) in RULES.items():
        reason = present(profile, {}, lang) if present else None
        if reason:
            out.append((op, reason))
    if language and profile.languages:
        other = sum(v for k, v in profile.languages.items() if k != language)
        if other >= 0.01:
            mix = _say(lang, "list").join(f"{k} {v:.0%}" for k, v in list(profile.languages.items())[:5])
            out.append(("language_id_score_filter",
                        _say(lang, "other_languages", language=language, pct=_pct(other), mix=mix)))
    return out


def irrelevant_ops(profile: DataProfile, process: list[dict], *, lang: str = "en") -> list[tuple[str, str]]:
    """Operators of `process` with nothing to do on this data, each with the measurement behind it (said in
    `lang`, 'en' or 'zh')."""
    from sandbox_engine.recipe_process import parse_process

    _check_lang(lang)
    out = []
    for op, args in parse_process(copy.deepcopy(process)):
        absent = RULES.get(op, (None, None))[1]
        reason = absent(profile, args, lang) if absent else None
        if reason and (op, reason) not in out:
            out.append((op, reason))
    return out


# -- calibration ----------------------------------------------------------------------------------
MODEL_SAMPLE = 500  # rows whose stats a model-backed text op computes for calibration
MEDIA_MODEL_SAMPLE = 100  # the same for image models (an NSFW score costs ~10-50 ms per image on CPU)


def _bound(field: Any, arg: str) -> str | None:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    if extra.get("bound") in ("min", "max"):
        return extra["bound"]
    if extra.get("measure") in ("flag", "language"):
        return None
    if arg.startswith("min_") and "closed_interval" not in arg:
        return "min"
    if arg.startswith("max_") and "closed_interval" not in arg:
        return "max"
    return None


def _stat_for(arg: str, stats: list[str]) -> str | None:
    if len(stats) == 1:
        return stats[0]
    stem = arg.replace("min_", "").replace("max_", "")
    return next((s for s in stats if stem and stem in s), stats[0] if stats else None)


def _numbers(values: Iterable[Any]) -> list[float]:
    out = []
    for v in values:
        for x in (v if isinstance(v, (list, tuple)) else [v]):
            if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x):
                out.append(float(x))
    return out


def _as_number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        from sandbox_engine.ops.filters.image_basic import size_to_bytes

        try:
            return float(size_to_bytes(v))
        except JuiceboxError:
            return None
    return None


def _is_no_bound(kind: str, value: float | None, stat: str) -> bool:
    from sandbox_engine.stats_info import valid_range

    if value is None:
        return True
    lo, hi = valid_range(stat)
    return value <= lo if kind == "min" else (value >= hi or value >= NO_BOUND)


def _at_floor(kind: str, value: float, stat: str) -> bool:
    """A max at the bottom of the stat's range (or a min at its top) would drop every sample that
    shows the property at all."""
    from sandbox_engine.stats_info import valid_range

    lo, hi = valid_range(stat)
    return value <= lo if kind == "max" else value >= hi


def _unstated_for(unstated: Iterable | None, i: int, op: str) -> set[str] | None:
    if unstated is None:
        return None
    out = set()
    for item in unstated:
        who, arg = item
        if who == op or who == i:
            out.add(arg)
    return out


def calibrate(process: list[dict], path_or_profile: "str | os.PathLike | DataProfile",
              unstated: Iterable[tuple[str | int, str]] | None = None, *, method: Literal["percentile", "ksigma"] = "percentile",
              low: float = 5.0, high: float = 95.0, k: float = 3.0, lang: str = "en") -> tuple[list[dict], list[str]]:
    """Set the thresholds the user did not state from the data's own stats.

    `unstated` lists (op name or step index, argument) pairs; None means every threshold of every
    step (e.g. a reference recipe nobody has tuned). An argument moves when it bounds something
    (its Args metadata says bound min/max, else its name starts with min_/max_) and is not a no-op
    bound (a max of sys.maxsize is left alone unless the step sets it). Percentile: a min goes to the
    `low` percentile of the stat, a max to the `high` one; ksigma: mean -/+ k*std, clipped to the
    stat's valid range. Returns the new process and one plain note per change, in `lang` ('en' or 'zh')."""
    from sandbox_engine.inmemory import compute_stats
    from sandbox_engine.ops.base import get_op_class
    from sandbox_engine.recipe_process import parse_process

    _check_lang(lang)
    prof = _as_profile(path_or_profile)
    steps = parse_process(copy.deepcopy(process))
    notes: list[str] = []
    out = []
    for i, (op, args) in enumerate(steps):
        cls = get_op_class(op)
        wanted = _unstated_for(unstated, i, op)
        if args.get("reversed_range"):  # keeps what lies outside: percentiles would invert it
            out.append({op: args})
            continue
        stats = [s for s in (cls.stats_keys or ())]
        targets = []
        for arg, field in cls.Args.model_fields.items():
            kind = _bound(field, arg)
            if kind is None or not stats or (wanted is not None and arg not in wanted):
                continue
            stat = _stat_for(arg, stats)
            current = _as_number(args.get(arg, field.default))
            if arg not in args and _is_no_bound(kind, current, stat):
                continue
            targets.append((arg, field, kind))
        if targets and prof.rows:
            try:
                values = _stat_values(cls, op, args, prof, compute_stats)
            except (JuiceboxError, OSError, ValueError) as err:
                notes.append(_say(lang, "no_stats", op=op, err=err))
                values = {}
            for arg, field, kind in targets:
                stat = _stat_for(arg, [s for s in stats if values.get(s)] or stats)
                data = values.get(stat) or []
                if not data:
                    continue
                new, how = _threshold(kind, stat, data, method, low, high, k, lang)
                if _is_no_bound(kind, new, stat) or _at_floor(kind, new, stat):
                    # most samples sit at the edge of the range (e.g. no repetition at all): a
                    # percentile there says nothing about outliers, so the recipe's value stays
                    continue
                new = _fit_field(field, args.get(arg, field.default), new, kind)
                old = args.get(arg, field.default)
                if new == old:
                    continue
                args[arg] = new
                notes.append(_say(lang, "calibrated", op=op, arg=arg, new=new, how=how,
                                  stat=_stat_words(stat, field, lang), n=len(data), old=old))
        out.append({op: args})
    return out, notes


def _stat_values(cls: Any, op: str, args: dict, prof: DataProfile, compute_stats: Callable) -> dict[str, list[float]]:
    rows = prof.rows
    if getattr(cls, "cost", "") in ("model", "GPU"):
        rows = rows[:MODEL_SAMPLE if cls.modality == "text" else MEDIA_MODEL_SAMPLE]
    stat_args = {k: v for k, v in args.items()}
    stat_args.pop("reversed_range", None)
    done = compute_stats(rows, [{op: stat_args}], text_key=prof.text_key,
                         image_key=prof.media_keys.get("image"))
    stats = [s.get("__dj__stats__", {}) for s in done]
    target = args.get("lang") if op == "language_id_score_filter" else None
    if target:  # the confidence of the wanted language, on the samples predicted as it
        langs = {target} if isinstance(target, str) else set(target)
        stats = [s for s in stats if s.get("lang") in langs]
    return {k: _numbers(s.get(k) for s in stats) for k in (cls.stats_keys or ())}


def _threshold(kind: str, stat: str, data: list[float], method: str, low: float, high: float,
               k: float, lang: str = "en") -> tuple[float, str]:
    import numpy as np

    from sandbox_engine.stats_info import valid_range

    a = np.asarray(data, dtype=float)
    if method == "ksigma":
        mean, std = float(a.mean()), float(a.std())
        v = mean - k * std if kind == "min" else mean + k * std
        lo, hi = valid_range(stat)
        sign = Words("-", "减去") if kind == "min" else Words("+", "加上")
        return min(max(v, lo), hi), _say(lang, "ksigma", sign=sign, k=k)
    q = low if kind == "min" else high
    return float(np.percentile(a, q)), _say(lang, "percentile", nth=_ordinal(q), q=q)


def _fit_field(field: Any, old: Any, value: float, kind: str) -> Any:
    """The value in the argument's own type: integers round outwards (a min down, a max up) so the
    samples at the percentile are kept; sizes stay strings of bytes; ratios keep 4 decimals."""
    import typing

    kinds = set(typing.get_args(field.annotation)) or {field.annotation}
    integer = int in kinds and float not in kinds or (
        float not in kinds and isinstance(old, int) and not isinstance(old, bool))
    if isinstance(old, str):
        return str(int(math.floor(value) if kind == "min" else math.ceil(value)))
    if integer:
        return int(math.floor(value + 1e-9) if kind == "min" else math.ceil(value - 1e-9))
    return round(value, 4)


def _ordinal(q: float) -> str:
    n = int(q) if float(q).is_integer() else q
    if isinstance(n, int) and n % 100 not in (11, 12, 13):
        return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"
    return f"{n}th"


def _stat_words(stat: str, field: Any, lang: str = "en") -> str:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    measure = extra.get("measure")
    if not measure or measure in stat:
        return stat
    return _say(lang, "stat_measure", stat=stat, measure=Words(measure, MEASURES_ZH.get(measure, measure)))
