"""Arguments from an operator's Args metadata: each stated value goes to the argument that takes it.

A number goes to an argument whose declared `measure` matches the number's unit, on the side the
polarity table says (the only place a bound side is decided); a language to a `language` argument, a
dotted field to a `field` argument, quoted text to `pattern` / `text` / `chars` / `values` arguments, and
flag or choice arguments follow the `cues` the argument declares. Only stated arguments are written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from agent.planner import lexicon as L
from agent.planner.clauses import Clause, Verb
from agent.planner.quantities import Cmp, Quantity

# measures a bare ratio or percentage can fill; measures a plain count can fill
RATIO_LIKE = {"ratio", "probability", "similarity", "percentile", "score"}
NUMERIC = {"characters", "words", "tokens", "lines", "ratio", "pixels", "bytes", "perplexity", "score", "probability",
           "similarity", "count", "seconds", "frames", "fps", "hertz", "decibels", "aspect_ratio", "percentile",
           "hamming_distance", "bits", "number"}
# width or height named as such ('wider than 1920', '宽度'); WIDTH_RE/HEIGHT_RE below also read 'short', 'high'
DIM_WORDS_RE = re.compile(r"\b(?:wide|wider|widest|width|narrower|tall|taller|tallest|height)\b|宽度|高度", re.I)
WIDTH_RE = re.compile(r"\b(?:wide|wider|widest|width|widths|across|narrow|narrower)\b|宽", re.I)
HEIGHT_RE = re.compile(r"\b(?:tall|taller|high|higher|height|heights|short|shorter|vertical)\b|高(?!于|於)|垂直|竖直|纵向", re.I)


@dataclass
class ArgMeta:
    name: str
    type: str
    default: Any
    measure: str = ""
    bound: str = ""
    cues: dict = field(default_factory=dict)
    description: str = ""
    choices: tuple = ()
    of: str = ""  # "removed": the setting bounds what the operator removes, so a removal's number is its own side

    @property
    def words(self) -> set[str]:
        return set(self.name.lower().split("_"))


def place_bound(verb: Verb | None, cmp: Cmp) -> str | None:
    """The polarity table: keep X >= N or remove X < N -> min; keep X <= N or remove X > N -> max;
    keep between -> range; remove between -> reversed range."""
    verb = verb or "keep"
    table = {("keep", "ge"): "min", ("remove", "le"): "min", ("keep", "le"): "max", ("remove", "ge"): "max",
             ("keep", "range"): "range", ("remove", "range"): "reversed", ("keep", "eq"): "range",
             ("filter", "ge"): "max", ("filter", "le"): "min", ("filter", "range"): "range"}
    return table.get((verb, cmp))


def flip(verb: Verb | None) -> Verb:
    """The verb of a negated range: removing what is outside keeps what is inside."""
    return "keep" if verb in ("remove", "filter") else "remove"


def opaque(a: ArgMeta) -> bool:
    """A bare number that bounds nothing ('seed'): it takes a value only when the request names it."""
    return a.measure == "number" and not a.bound


_SAMPLE_UNIT_RE = re.compile(r"\b(?:" + "|".join(L.SAMPLE_WORDS + [r"examples?", r"entry", r"items?", r"pairs?", r"files?"]) +
                             r")\b|条|篇|份", re.I)


def plausible(q: Quantity, a: ArgMeta) -> bool:
    """A whole number above 1 said without '%' is not a ratio, probability or similarity."""
    if a.measure in ("ratio", "probability", "similarity", "percentile") and q.measure is None and not q.percent:
        return all(not isinstance(v, (int, float)) or v <= 1 for v in q.values)
    if a.measure == "percentile" and q.measure != "percentile" and not q.percent:
        return False  # 'meta.score between 0.4 and 0.6' bounds values; percentiles are said as such
    if a.measure == "aspect_ratio" and not q.fractions:
        return all(not isinstance(v, (int, float)) or 0 < v <= 10 for v in q.values)  # '1080' is a height
    if a.measure == "count" and q.measure == "count" and _SAMPLE_UNIT_RE.search(q.text) and "sample" not in a.description.lower():
        return False  # 'two documents that differ only in case' counts samples, not hash bands
    if a.measure in ("pixels", "characters", "words", "tokens", "lines", "count", "frames", "bytes") and q.fractions:
        return False  # 'wider than 2:1' is an aspect ratio, not 2 px
    if a.measure in ("pixels", "characters", "words", "tokens", "lines", "count", "frames") and q.measure is None:
        return all(not isinstance(v, (int, float)) or v >= 1 for v in q.values)  # 'half the videos' is no radius
    return True


def fits(q: Quantity, a: ArgMeta) -> bool:
    """Can this argument take this number at all (by measure and type)?"""
    if a.measure not in NUMERIC or a.type.startswith("list"):
        return False
    vals = [v for v in q.values if isinstance(v, (int, float))]
    if "int" in a.type and "float" not in a.type and any(not float(v).is_integer() for v in vals) and a.measure != "bytes":
        return False
    if q.measure is None:
        return True
    if q.measure == a.measure:
        return True
    if q.measure == "ratio":
        return a.measure in RATIO_LIKE
    if q.measure == "count":
        return a.measure in ("count", "number")
    # '4-word shingles', '5-character grams': a size in tokens that is no bound counts what a token is said to be
    return a.measure == "tokens" and not a.bound and q.measure in ("words", "characters")


def convert(value: Any, a: ArgMeta, q: Quantity) -> Any:
    if a.measure == "bytes":
        if isinstance(value, str):
            return value
        return int(value) if float(value).is_integer() else value
    if isinstance(value, str):
        return value
    if a.type == "str" and q.fractions and value in q.values:  # an aspect ratio as written: '16/9'
        return q.fractions[q.values.index(value)]
    if a.type == "str":  # e.g. an aspect ratio written '16/9': a number is still a valid one
        return str(int(value)) if float(value).is_integer() else str(value)
    if a.measure in ("ratio", "probability", "similarity", "percentile") and not q.percent and 1 < value <= 100 \
            and q.measure is None:
        value = value / 100.0  # 'more than 25 special characters (percent)' said without '%'
    if "int" in a.type and "float" not in a.type:
        return int(round(value))
    return int(value) if float(value).is_integer() else value


# words of argument names that name no argument on their own
_GENERIC_ARG_WORDS = ("min", "max", "num", "ratio", "len", "key")

# words that begin argument words but abbreviate nothing ('over 800' is not 'overlap')
_NOT_ABBREVIATIONS = {"over", "under", "least", "most", "more", "less", "than", "samp", "imag", "vide", "text", "word",
                      "char", "leng", "thre", "numb", "tota", "fram", "audi", "mode", "size", "time"}


def name_hint(text: str, start: int, end: int, args: list[ArgMeta]) -> ArgMeta | None:
    """An argument named next to the number ('window size 5', 'jaccard 0.8', '128 permutations',
    'min_len=5'): the nearest mention of its name or of a distinctive word of it wins."""
    best, best_d = None, 10 ** 6
    low = text.lower().replace("-", " ")
    for a in args:
        words = [a.name.lower()] + [w for w in a.words if len(w) > 2 and w not in _GENERIC_ARG_WORDS]
        pats = [rf"(?<![a-z]){re.escape(w)}(?:s|es|d|ed)?(?![a-z])" for w in words]  # 'lasting' is not 'last'
        # '128 perms' (a word of 4+ letters that begins an argument word), '汉明距离5' (its Chinese name)
        pats += [rf"(?<![a-z]){re.escape(w[:k])}s?(?![a-z])" for w in words[1:] if len(w) > 6 for k in (4, 5)
                 if w[:k] not in _NOT_ABBREVIATIONS]
        terse = len(a.name) <= 2  # 'p' is named by what it measures: 'probability', '概率'
        pats += [re.escape(zh) for w in words[1:] + ([a.measure] if terse else []) for zh in L.ARG_WORDS_ZH.get(w, ())]
        pats += [rf"(?<![a-z]){re.escape(syn)}(?![a-z])" for w in words[1:] for syn in L.ARG_WORDS_EN.get(w, ())]
        if terse and len(a.measure) > 6:
            pats.append(rf"(?<![a-z]){re.escape(a.measure[:-1])}\w*")
        for pat in pats:
            for m in re.finditer(pat, low):
                d = start - m.end() if m.end() <= start else (m.start() - end if m.start() >= end else 0)
                if m.start() >= end:
                    # ('from its frames with 4 candidate captions': the noun right after a count names what is counted)
                    # ('生成两条候选文字描述': the noun a few characters after a Chinese count and its measure word)
                    d = 1 if re.fullmatch(r"\s*(?:[a-z]+\s+)?|\s*[条个张段篇句份组]?[\u4e00-\u9fff]{0,4}", low[end:m.start()]) else \
                        d * 2 + 1 if d > 3 else d
                if 0 <= d <= 28 and (d < best_d or (d == best_d and best is not None and _side_said(a, low, start, end) and
                                                    not _side_said(best, low, start, end))):
                    best, best_d = a, d
    return best


_SIDE_WORDS = {"min": r"\bmin(?:imum)?\b|\blowest\b|\bsmallest\b|最小|最低|下限", "max": r"\bmax(?:imum)?\b|\bhighest\b|\blargest\b|最大|最高|上限"}


def _side_said(a: ArgMeta, low: str, start: int, end: int) -> bool:
    """'最大振幅0.03', 'maximum amplitude 0.03': the min_/max_ of a pair said next to it."""
    side = a.name.split("_", 1)[0]
    return side in _SIDE_WORDS and bool(re.search(_SIDE_WORDS[side], low[max(0, start - 16):end]))


def mentions(text: str, args: list[ArgMeta]) -> bool:
    """The text names one of these arguments by a distinctive word of its name, in English or Chinese."""
    low = text.lower()
    for a in args:
        for w in a.words:
            if len(w) > 3 and w not in _GENERIC_ARG_WORDS + ("text", "words"):
                if re.search(rf"(?<![a-z]){re.escape(w)}", low) or any(z in text for z in L.ARG_WORDS_ZH.get(w, ())) or \
                        any(re.search(rf"(?<![a-z]){re.escape(syn)}(?![a-z])", low) for syn in L.ARG_WORDS_EN.get(w, ())):
                    return True
    return False


SHARE_OF_SAMPLES_RE = re.compile(r"\s*(?:of\s+(?:the|all|our|my|these|those)?\s*(?:\w+\s+)?(?:clips?|samples?|images?|pictures?|photos?|videos?|"
                                 r"recordings?|audios?|files?|texts?|documents?|items?|them|rest|remainder|remaining\s+ones|others)\b|的(?:样本|图片|图像|视频|音频|录音|文本|数据))", re.I)


# 'randomly pick 30%', '随机挑三成': a share picked at random is how often a mapper applies
RANDOM_PICK_RE = re.compile(r"\b(?:randomly|at random)\s+(?:pick(?:ed)?|select(?:ed)?|choose|chosen|sample[ds]?|take)\s*(?:about\s+|roughly\s+)?$|"
                            r"随机(?:地)?(?:挑|选|抽|取)(?:出|选)?(?:大约|约)?\s*$", re.I)


def bind_quantity(q: Quantity, verb: Verb | None, args: list[ArgMeta], clause_text: str, rel_start: int,
                  out: dict[str, Any], can_reverse: bool = True) -> bool:
    """Write one quantity into `out` (argument -> value); False when no argument takes it."""
    cands = [a for a in args if fits(q, a)]
    cands = [a for a in cands if plausible(q, a)] or cands
    cands = [a for a in cands if not opaque(a) or name_hint(clause_text, rel_start, rel_start + len(q.text), [a])]
    if not cands:
        return False
    if q.cmp == "range" and q.negated:
        verb = flip(verb)
    before = clause_text[:rel_start]
    hinted = name_hint(clause_text, rel_start, rel_start + len(q.text), cands)
    if hinted is None and q.cmp == "none" and (SHARE_OF_SAMPLES_RE.match(clause_text[rel_start + len(q.text):]) or
                                               RANDOM_PICK_RE.search(before[-12:])):
        # 'add Gaussian noise to 30% of the clips': a share of the samples is how often a mapper applies
        hinted = next((a for a in cands if a.measure == "probability" and not a.bound), None)
    explicit = re.search(r"\b(min|max)_\w+\s*(?:=|:)?\s*$", before[-24:])
    if explicit:
        hinted = next((a for a in cands if a.name == explicit.group(0).split("=")[0].split(":")[0].strip()), hinted)
    if q.dim or any(a.measure == "pixels" for a in cands):
        near = clause_text[max(0, rel_start - 24):rel_start + len(q.text) + 24]
        right = clause_text[rel_start + len(q.text):rel_start + len(q.text) + 14]  # '512 pixels wide and 384 tall'
        pairs = (("width", WIDTH_RE), ("height", HEIGHT_RE))
        said_next = any(rx.match(right.strip()) for _, rx in pairs)  # 'wide and high' after it: both
        left = re.split(r"\d", clause_text[max(0, rel_start - 24):rel_start])[-1]  # back to the number before
        said_before = [(m.end(), d) for d, rx in pairs for m in rx.finditer(left)]
        said_in = [d for d, rx in pairs if rx.search(q.text)]  # 'wider than 1280' read with its comparator
        dims = ([q.dim] if q.dim else  # '宽或高小于256', 'width and height at least', 'wider or taller than 4096'
                ["width", "height"] if BOTH_DIMS_RE.search(left + q.text) else
                said_in if len(said_in) == 1 else
                [d for d, rx in pairs if rx.search(right)] if said_next else
                [max(said_before)[1]] if said_before else  # 'wider than 1280 or taller than 720'
                [d for d, rx in pairs if rx.search(near)])
        if dims:
            cands = [a for a in cands if any(d in a.name for d in dims)] or cands
            if hinted is not None and hinted not in cands and any(d in hinted.name for d in ("width", "height")):
                hinted = None  # 'narrower than 1,366 pixels (height doesn't matter)': the comparator says the side
    side = place_bound(verb, q.cmp)
    if any(a.of == "removed" for a in cands) and q.cmp in ("ge", "le"):
        # 'strip tables with three or more columns', 'but only tables with 3 or more columns': the setting bounds
        # what the operator removes, so the number is read as said (X >= N is min = N), whatever the verb
        side = place_bound("keep", q.cmp)
    bounded = [a for a in cands if a.bound in ("min", "max")]
    if hinted is not None and not hinted.bound and not explicit and q.cmp != "none" and \
            any(a.bound == side or side in ("range", "reversed") for a in bounded):
        hinted = None  # 'ratio over 0.3' bounds what is kept; 'rep_len' is not a bound
    if hinted is not None and not hinted.bound and not explicit and side in ("min", "max") and \
            re.match(r"(?:min|max)_", hinted.name):
        # ('an amplitude of at most 0.01': both ends are named by 'amplitude'; the comparator says which one)
        hinted = next((a for a in cands if a.name == f"{side}_{hinted.name[4:]}"), hinted)
    if q.cmp == "range" and hinted is not None and not hinted.bound:
        # 'an amplitude from 0.005 to 0.02': a range fills the setting's own min_/max_ pair
        stem_ = re.sub(r"^(?:min|max|lower|upper|low|high)_", "", hinted.name)
        lo = next((a for a in cands if not a.bound and re.fullmatch(rf"(?:min|lower|low)_{re.escape(stem_)}", a.name)), None)
        hi = next((a for a in cands if not a.bound and re.fullmatch(rf"(?:max|upper|high)_{re.escape(stem_)}", a.name)), None)
        if lo and hi:
            out[lo.name], out[hi.name] = convert(q.low, lo, q), convert(q.high, hi, q)
            return True
    if hinted is not None and (not hinted.bound or side is None or side in ("range", "reversed") or hinted.bound == side):
        if q.cmp in ("range", "eq") and hinted.bound:
            pass
        else:
            out[hinted.name] = convert(q.value if q.cmp != "range" else q.low, hinted, q)
            return True
    if side in ("range", "reversed") and bounded:
        lows = [a for a in bounded if a.bound == "min"]
        highs = [a for a in bounded if a.bound == "max"]
        if not lows or not highs or (side == "reversed" and not can_reverse):
            return False
        lo_v, hi_v = (q.value, q.value) if q.cmp == "eq" else (q.low, q.high)
        for lo in lows:
            out[lo.name] = convert(lo_v, lo, q)
        for hi in highs:
            out[hi.name] = convert(hi_v, hi, q)
        if side == "reversed":
            out["reversed_range"] = True
        return True
    if side in ("min", "max") and bounded:
        chosen = [a for a in bounded if a.bound == side]
        if not chosen:
            return False  # the operator cannot keep that side: never put it on the other one
        for a in chosen:
            out[a.name] = convert(q.value, a, q)
        return True
    unbounded = [a for a in cands if not a.bound]
    if unbounded and q.cmp == "range":
        lo = next((a for a in unbounded if re.match(r"(?:min|lower|low)_", a.name)), None)
        hi = next((a for a in unbounded if re.match(r"(?:max|upper|high)_", a.name)), None)
        if lo and hi:
            out[lo.name], out[hi.name] = convert(q.low, lo, q), convert(q.high, hi, q)
            return True
    if unbounded and side in ("min", "max"):
        named = [a for a in unbounded if a.name.startswith(side + "_")]
        if named and (len(named) == 1 or not q.dim):  # 'resize so no video is taller than 720' -> max_height
            for a in named[:1] if len(named) == 1 else named:
                out[a.name] = convert(q.value, a, q)
            return True
    if unbounded:
        exact = [a for a in unbounded if a.measure == q.measure]
        if not exact and q.measure is None and isinstance(q.value, (int, float)):
            whole = float(q.value).is_integer() and q.value > 1
            exact = [a for a in unbounded if (a.measure in RATIO_LIKE) != whole]
        exact = exact or unbounded
        a = exact[0]
        if a.name in out and len(exact) > 1:
            a = next((x for x in exact if x.name not in out), a)
        out[a.name] = convert(q.value if q.cmp != "range" else q.low, a, q)
        return True
    return False


BOTH_DIMS_RE = re.compile(r"(?:宽度?|\bwidth|\bwider|\bwide)\s*(?:和|或者?|与|及|、|and|or|&|/)\s*(?:高度?|height\b|high\b|tall\b|taller\b|higher\b)|"
                          r"(?:高度?|\bheight|\bhigh|\btall|\btaller|\bhigher)\s*(?:和|或者?|与|及|、|and|or|&|/)\s*(?:宽度?|width\b|wide\b|wider\b)", re.I)


def _stems(text: str) -> list[str]:
    """Stemmed words; a final 'e' goes too, so that 'ignore' meets 'ignoring' and 'normalise' 'normalising'."""
    from tools.retrieval import stem

    # (an adverb stays whole: 'evenly sampled' is not 'even its cleanest sampled frame')
    return [s[:-1] if len(s) > 4 and s.endswith("e") else s for s in (w if len(w) > 5 and w.endswith("ly") else stem(w)
                                                                         for w in re.findall(r"[a-z0-9]+", text.lower())
                                                                         if w not in _DETERMINERS)]


_CLAUSE_BREAK_WORDS = {"whose", "whos", "which", "that", "where", "who", "when", "if", "than"}  # (stemmed: "whos")
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "your", "my"}  # 'keeping its aspect ratio' = 'the'


def cue_in(phrase: str, text: str) -> bool:
    """A cue phrase appears in the text: Chinese as a substring, English word by word (stemmed, in order)."""
    p = phrase.lower().strip()
    if not p:
        return False
    if not re.search(r"[a-z]", p):
        if p in text.lower():
            return True
        chars = [ch for ch in p if not ch.isspace()]  # '繁体转简体' in '把繁体中文转换成简体': in order, close together
        pos, start = -1, None
        for ch in chars:
            pos = text.find(ch, pos + 1)
            if pos < 0:
                return False
            start = pos if start is None else start
        return pos - start <= (3 * len(chars) if len(chars) > 2 else 2)  # ('按词' is not in '按脏话词的比重')
    ps, ts = _stems(p), _stems(text)
    if not ps:
        return False
    for i, t in enumerate(ts):  # the cue's words in order, at most 3 other words between two of them
        if t != ps[0]:
            continue
        j, k = i, 1
        while k < len(ps):
            # (not across a relative clause: 'every pair whose CLIP image…' does not say 'every image')
            nxt = next((x for x in range(j + 1, min(len(ts), j + 5)) if ts[x] == ps[k] and
                        not _CLAUSE_BREAK_WORDS & set(ts[j + 1:x])), None)
            if nxt is None:
                break
            j, k = nxt, k + 1
        if k == len(ps):
            return True
    return False


_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def _stem(word: str) -> str:
    """'tokenization' -> 'tokeniz', so that 'tokenizing on punctuation' names the argument too."""
    from tools.retrieval import stem

    s = stem(word)
    return s if len(s) >= 4 else word


def named_choice(a: ArgMeta, text: str) -> Any:
    """The value of a choice argument the clause writes outright: an identifier ('AdaptiveDetector',
    'all_keyframes'), a quoted value, a Latin word inside Chinese ('分词方式用punctuation'), or a plain word
    next to the argument's own name ('punctuation tokenization', 'method: whash')."""
    values = list(a.choices) or [v for v in a.cues if a.measure == "choice"]
    for v in sorted(values, key=lambda v: -len(str(v))):
        s = str(v)
        if len(s) < 3:
            continue
        # 'pixel_diversity' is also said 'by pixel diversity'
        for m in re.finditer(r"(?<![A-Za-z0-9_])" + re.escape(s).replace("_", r"[_\s-]") + r"(?:ly|ed|s)?(?![A-Za-z0-9_])", text, re.I):
            around = text[max(0, m.start() - 30):m.end() + 30].lower()
            if (re.search(r"[A-Z0-9_]", s[1:]) or text[m.start() - 1:m.start()] in ("'", '"', "`", "‘", "“")
                    or _CJK_RE.search(text) or any(_stem(w) in around or w[:5] in around  # ('splitting tokens on punctuation')
                                                   for w in a.name.lower().split("_") if len(w) > 3)):
                return v
    return None


def cue_values(clause_text: str, args: list[ArgMeta], verb: Verb | None = None, defaults: bool = False) -> dict[str, Any]:
    """Flag and choice arguments whose declared cues appear in the clause (only when not the default, unless
    `defaults`); `verb`: the clause's verb where the text itself has none ('英文字母、数字' after '都去掉')."""
    out: dict[str, Any] = {}
    said = clause_text
    ruled_out = _RULED_OUT_RE.sub(lambda m: " " * len(m.group(0)), clause_text)  # '… rather than key frames'
    for a in args:
        clause_text = ruled_out if a.measure == "choice" else said  # a flag reads its own negations
        named = named_choice(a, clause_text) if a.measure == "choice" else None
        if named is not None:
            out[a.name] = named  # 'Scene splitting with the AdaptiveDetector': written as stated, default or not
            continue
        if not a.cues:
            continue
        best, best_len = None, 0
        for value, phrases in a.cues.items():
            for p in phrases or ():
                p_low = str(p).lower()
                # a cue said as written outranks one read from characters spread apart ('台湾的…大陆的说法' says
                # '大陆的说法', not '台湾的说法')
                rank = len(p_low) + (1000 if a.measure == "choice" and _CJK_RE.search(p_low) and p_low in clause_text.lower() else 0)
                if a.measure == "choice" and (_generic_cue(p_low, value, a.cues) or _EVALUATIVE_CUE_RE.search(p_low)):
                    # 'keeping the aspect ratio' is said of every value: a value's own words win; 'the worst frame'
                    # is the highest or the lowest score by what the score means: 'that is the maximum' says which
                    rank = len(p_low) / 100
                if rank > best_len and (cue_in(p_low, clause_text) or _verb_object_cue(p_low, clause_text, verb)):
                    best, best_len = value, rank
                    if value in ("true", "false") and _negated_between(p_low, clause_text):
                        best = "false" if value == "true" else "true"  # '标点符号不保留' is '标点保留' said with 不
        if best is None:
            named = _flag_by_name(a, clause_text) if a.measure == "flag" or "bool" in a.type else None
            if named is not None and (named != a.default or defaults):
                out[a.name] = named  # "don't keep the original samples" -> keep_original_sample: false
            continue
        v: Any = best
        if a.measure == "flag" or "bool" in a.type:
            v = str(best).lower() in ("true", "1", "yes")
            if v != a.default or defaults:  # a flag is written when it changes something
                out[a.name] = v
        else:
            out[a.name] = v  # a choice the user stated ('simplified to traditional') is written as stated
    return out


def _cue_words(phrase: str) -> set[str]:
    return {re.sub(r"(?:ing|ed|es|s)$", "", w) for w in re.findall(r"[a-z]{3,}", phrase.lower())} - {"the", "and", "with", "but"}


def _generic_cue(phrase: str, value: Any, cues: dict) -> bool:
    """An English cue whose words all belong to a cue of another value ('keeping the aspect ratio' beside 'keep
    aspect ratio and cover') says nothing that picks its own value."""
    words = _cue_words(phrase)
    return bool(words) and not _CJK_RE.search(phrase) and any(
        words <= _cue_words(str(q)) for v, qs in cues.items() if v != value for q in qs or ())


_EVALUATIVE_CUE_RE = re.compile(r"\b(?:best|worst|most severe|most explicit)\b|最好|最差|最严重")
_RULED_OUT_RE = re.compile(r"\b(?:don'?t|do not|never|without)\s+[\w-]+(?:\s+(?:it|them))?\b(?=\s*[),.;]|\s*$)|"
                           r"(?:^|(?<=[(,;:])|\band\b|\bbut\b)\s*no\s+[\w-]+(?=\s*[),.;]|\s*$)|"  # '(no redis, no caption check)'
                           r"\b(?:rather than|instead of|as opposed to|not)\s+(?:(?:the|a|an|using|by|with)\s+)?[\w-]+(?:\s+[\w-]+)?(?=\s*\))|"
                           r"\b(?:rather than|instead of|as opposed to)\s+(?:(?:the|a|an|using|by|with)\s+)?[\w-]+(?:\s+[\w-]+)?|"
                           # ('Not the default NFC though — NFD'): the value named after 'not' and before a turn
                           r"\bnot\s+(?:the\s+)?(?:default|usual|standard)?\s*[\w-]+(?=\s*(?:\bthough\b|\bbut\b|[—–]|;|,\s*(?:but|rather|instead)\b))|"
                           r"(?<!是)(?:而|并)?不是[^，。,;；)）]{1,8}|而非[^，。,;；]{1,8}|"
                           r"(?:不要|别|不用|无需|不必)\s*(?:取|用|按|算|采用|使用)[^，。,;；)）]{1,8}", re.I)


_OTHER_ASIDE_RE = re.compile(r"\b(?:other|others|rest|besides|excluding|except)\b|其他|其它|其余|以外|之外", re.I)


def _in_other_aside(text: str, pos: int) -> bool:
    """Is this position inside a bracketed aside about the other values ('(the other values are "bot" and
    "system")')? Those are what the step leaves out, not its values."""
    open_ = max(text.rfind("(", 0, pos), text.rfind("（", 0, pos))
    if open_ < 0 or max(text.rfind(")", 0, pos), text.rfind("）", 0, pos)) > open_:
        return False
    return bool(_OTHER_ASIDE_RE.search(text[open_:pos]))


def _negated_between(cue: str, text: str) -> bool:
    """A Chinese cue said with a negation inside it ('标点符号不保留' for '标点保留'): the flag's other value."""
    if re.search(r"[a-z]", cue) or re.search("[不别没]", cue) or cue in text:
        return False
    span = _in_order_span("".join(ch for ch in cue if not ch.isspace()), text)
    return span is not None and bool(re.search("[不别没]", text[span[0]:span[1]]))


def _in_order(chars: str, text: str) -> int | None:
    """Where a Chinese phrase's characters appear in the text in order, close together (at most twice its
    length in all), or None."""
    span = _in_order_span(chars, text)
    return span[0] if span else None


def _in_order_span(chars: str, text: str) -> tuple[int, int] | None:
    """The stretch of text (start, end) that `_in_order` finds, or None."""
    for first in [i for i, ch in enumerate(text) if ch == chars[0]]:
        pos = first
        for ch in chars[1:]:
            pos = text.find(ch, pos + 1)
            if pos < 0 or pos - first >= 2 * len(chars):
                break
        else:
            return first, pos + 1
    return None


def _verb_object_cue(cue: str, text: str, verb: Verb | None = None) -> bool:
    """A cue 'verb + object' ('remove digits', '去掉数字') said another way: the object named anywhere in the
    text under a verb of the same side ('英文字母、数字统统去掉', 'digits should be dropped as well')."""
    from agent.planner.clauses import KEEP_RE, REMOVE_RE, verb_at

    for rx, side in ((KEEP_RE, "keep"), (REMOVE_RE, "remove")):
        m = rx.match(cue)
        if not m:
            continue
        obj = re.sub(r"\s+(?:too|as well|also)$|也$", "", cue[m.end():].strip())
        if _CJK_RE.search(obj):  # '保留没有章节的文本' said as '没有章节标题的文档别删': the object's own words in order
            obj = re.sub(r"的?(?:文本|文档|样本|数据|文章|内容)$", "", obj)
        if len(obj) < 2:
            return False
        at = _in_order(obj, text) if _CJK_RE.search(obj) else None
        found = re.search(rf"\b{re.escape(obj)}", text, re.I) if at is None and not _CJK_RE.search(obj) else None
        if at is None and not found:
            return False
        said = verb_at(text, at if at is not None else found.start(), verb)
        if at is not None:  # '只删整行的注释，行内注释保留': the object first, then its own verb
            end = at + len(obj)
            while end < len(text) and text[end - 1] != obj[-1]:
                end += 1
            after = re.match(r"[要都也就请可以得]{0,3}", text[end:end + 6])
            rest = text[end + after.end():]
            for rx2, side2 in ((KEEP_RE, "keep"), (REMOVE_RE, "remove")):
                if rx2.match(rest):
                    said = side2
        return said == side or (side == "remove" and said == "filter")
    return False


_NEGATION_BEFORE = re.compile(r"(?:\b(?:don'?t|do not|doesn'?t|not|never|no need to|without)\s+(?:\w+\s+)?|不要|不用|别|无需|不)$",
                              re.I)


def _flag_by_name(a: ArgMeta, text: str) -> bool | None:
    """A flag whose name's words the clause says in order ('keep ... original ... sample'): True, or
    False when a negation comes right before them; None when the clause does not name it."""
    words = [w for w in a.name.lower().split("_") if len(w) > 2]
    if len(words) == 1 and "_" not in a.name and len(words[0]) >= 6:
        # 'it no longer lowercases the text': a flag named by one verb, said with a negation before it
        m = re.search(rf"\b{re.escape(words[0])}(?:s|d|ing)?\b", text, re.I)
        if m and re.search(r"(?:\bno longer|\bnot|n't|\bnever|\bwithout|\bstop(?:s|ped)?)\s+(?:\w+\s+){0,1}$",
                           text[max(0, m.start() - 20):m.start()], re.I):
            return False
        return None
    if len(words) < 2:
        return None
    gap = r"\w*\W+(?:\w+\W+){0,3}?"
    m = re.search(r"\b" + gap.join(re.escape(w) for w in words), text, re.I)
    if not m and any(w in L.ARG_WORDS_EN for w in words):  # 'horizontally mirrored' names horizontal_flip
        m = re.search(r"\b" + gap.join("(?:" + "|".join(re.escape(x) for x in (w, *L.ARG_WORDS_EN.get(w, ()))) + ")"
                                         for w in words), text, re.I)
    if not m and len(words) > 2:  # 'keep the uncut originals' names keep_original_sample without 'sample'
        m = re.search(r"\b" + gap.join(re.escape(w) for w in words[:-1]), text, re.I)
    if not m and len(words) > 2 and words[0] in _VERB_FORMS:
        # 'the uncut originals don't need to be kept': the object first, then its verb, negated or not
        # ("we don't need the full talk kept around": the object in other words, the negation before it)
        objs = ["(?:" + "|".join(re.escape(x) for x in (w, *L.ARG_WORDS_EN.get(w, ()))) + ")" for w in words[1:-1]]
        m = re.search(r"\b" + gap.join(objs) + r"\w*\W+(?:\w+\W+){0,6}?" + _VERB_FORMS[words[0]], text, re.I)
        if m:
            verb = list(re.finditer(_VERB_FORMS[words[0]], text[:m.end()], re.I))[-1]
            return not re.search(r"(?:\bnot|n't|\bnever|\bno need to)\s+(?:\w+\s+){0,5}$", text[max(0, verb.start() - 40):verb.start()], re.I)
    if not m and words[0] in _VERB_FORMS and len(words) > 2:
        # '… keep only the captioned copies, not the originals', 'discard the originals': the object said with a
        # negation or a removal, without the verb of the flag's name
        obj = rf"(?:the\s+|their\s+|any\s+|its\s+)?(?:\w+\s+)?{re.escape(words[1])}"
        if re.search(rf"(?:\bnot|\bno|\bwithout|\bminus|\bdrop|\bdiscard|\bdelete|\bremove|\bthrow away)\s+{obj}", text, re.I):
            return False
    if not m:
        return _flag_by_name_zh(words, text)
    return not _NEGATION_BEFORE.search(text[max(0, m.start() - 16):m.start()])


_VERB_FORMS = {"keep": r"\b(?:keep|kept|retain\w*|preserv\w*)\b"}


def _flag_by_name_zh(words: list[str], text: str) -> bool | None:
    """'原视频不要保留' names keep_original_sample through the Chinese words of its name: True, or False when a
    negation comes right before the word that says keep."""
    zh = [L.ARG_WORDS_ZH.get(w) for w in words]
    if sum(1 for z in zh if z) < 2:
        return None
    spots = []
    for z in zh:
        if not z:
            continue
        found = [m for alt in z for m in re.finditer(re.escape(alt), text)]
        if not found:
            return None
        spots.append(min(found, key=lambda m: m.start()))
    if max(m.start() for m in spots) - min(m.start() for m in spots) > 12:
        return None
    verb = next((m for w, m in zip([w for w, z in zip(words, zh) if z], spots) if w in ("keep", "drop", "remove")), spots[0])
    return not re.search(r"(?:不要|不用|别|无需|不必|不)\s*$", text[max(0, verb.start() - 4):verb.start()])


# words before 'filter' that are not a filter's name ("the filter", "ffmpeg's filter")
_NOT_NAMES = {"the", "a", "an", "its", "this", "that", "ffmpeg", "same", "one", "each", "every", "any", "some", "my",
              "our", "your", "custom", "default", "following", "video", "audio", "image", "text"}
_OP_NAME_WORDS = {"mapper", "filter", "wrapped", "deduplicator", "selector", "grouper", "aggregator", "from", "with", "frames"}
_FOLLOWERS = {"filter", "with", "on", "to", "for", "in", "at", "and", "or", "as", "by", "from", "into", "over", "using", "via", "filters",
              "command", "call", "run", "pass", "step", "options", "args", "arguments"}
SPACE_RE = re.compile(r"(?:换成|替换成|改成|改为|为)\s*(?:一个|1个|一个普通的?|普通)?\s*空格|\b(?:with|by|to|into)\s+(?:a\s+)?(?:single\s+|plain\s+)?space\b", re.I)
EMPTY_RE = re.compile(r"\b(?:an? )?(?:empty string|nothing|blank|empty)\b|空字符串|空串|空白", re.I)
REPLACE_RE = re.compile(r"\b(?:replac\w*|substitut\w*|swap\w*|turn\w*|chang\w*|convert\w*|becom(?:e|es|ing)|became)\b|替换|换成|改为|改成|变成|"
                        r"(?:-{1,2}>|=>|→|⇒)\s*(?=['\"“‘「\[<])", re.I)  # "links -> '[URL]'"
INTO_RE = re.compile(r"(?:\b(?:with|as|into|to|by|for|becomes?|become)|成|为|-{1,2}>|=>|→|⇒)\s*$", re.I)  # right before the new text


def bind_roles(c: Clause, args: list[ArgMeta], out: dict[str, Any], used_langs: set[int], op: str = "") -> None:
    """Languages, fields, expressions, quoted values, symbols and regexes into the arguments whose
    measure names that role."""
    by = {m: [a for a in args if a.measure == m] for m in ("language", "field", "values", "text", "pattern", "chars", "path")}
    option_args = [a for a in by["values"] if "dict" in a.type]
    if c.options and option_args and not set(c.options) & {a.name for a in args}:
        out[option_args[0].name] = dict(c.options)  # 'I=-16 and TP=-1.5' -> filter_kwargs
        by["values"] = [a for a in by["values"] if a is not option_args[0]]
    for a in by["text"]:
        if a.name.endswith("_name") and a.name not in out:  # "ffmpeg's loudnorm filter" -> filter_name: loudnorm
            noun = a.name[:-5]
            nouns = "|".join([re.escape(noun) + r"\b"] + [re.escape(z) for z in L.ARG_WORDS_ZH.get(noun, ())])
            m = re.search(rf"(?<![A-Za-z0-9_'])([A-Za-z][A-Za-z0-9_]*)(?:\s+|\s*(?=[\u4e00-\u9fff]))(?:{nouns})", c.text, re.I)
            if not (m and m.group(1).lower() not in _NOT_NAMES) and "_wrapped_" in op:
                # 'an ffmpeg highpass': a name right after the tool the operator's own name says it wraps
                tools = [t for t in op.split("_") if len(t) > 3 and t.lower() not in _OP_NAME_WORDS | {"audio", "video", "image", "text"}]
                m = next((m for t in tools for m in [re.search(rf"\b{re.escape(t)}(?:'s)?(?:\s+|\s*的\s*)([A-Za-z][A-Za-z0-9_]*)\b", c.text, re.I)]
                          if m and m.group(1).lower() not in _NOT_NAMES | _FOLLOWERS), None)
            if m and m.group(1).lower() not in _NOT_NAMES:
                out[a.name] = m.group(1)
                by["text"] = [x for x in by["text"] if x is not a]
    for url, _, _ in c.urls:  # 'the redis backend at redis://10.0.0.5:6379': the argument whose default is such an address
        scheme = url.split("://", 1)[0].lower() + "://"
        a = next((a for a in args if isinstance(a.default, str) and a.default.lower().startswith(scheme) and a.name not in out), None)
        if a is not None:
            out[a.name] = url
    regions = [a for a in args if a.measure == "region"]
    if regions and c.regions:  # 'in the region 0.85,0,1,0.1'
        out[regions[0].name] = [r for r, _, _ in c.regions] if "list" in regions[0].type else c.regions[0][0]
    for path in c.paths:  # a folder goes to a '*_dir' argument, a file to a model or file path
        is_file = bool(re.search(r"\.[A-Za-z0-9]{1,6}$", path))
        cands = [a for a in by["path"] if a.name not in out and a.name.endswith("_dir") != is_file]
        if cands:
            out[cands[0].name] = path
    langs = [code for code, s, e, names_data in c.languages if c.start + s not in used_langs and not names_data]
    if by["language"] and langs:
        a = by["language"][0]
        codes = list(dict.fromkeys(langs))
        out[a.name] = codes[0] if len(codes) == 1 or "list" not in a.type else codes
        used_langs.update(c.start + s for _, s, _, _ in c.languages)  # where in the request: each said once
    fields = [f for f, _, _ in c.fields]
    if by["field"] and fields:
        a = by["field"][0]
        out[a.name] = fields if a.type.startswith("list") else fields[0]
    if c.expression and by["text"] and not any(a.bound for a in args):
        from agent.planner.clauses import verb_at

        expr = c.expression[0]
        # ('写个条件过滤：meta.likes > 100 …，满足的才留下': a bare 'filter' keeps what the condition says)
        bare_filter = re.search(r"(?:\bfilter(?:s|ed|ing)?|过滤)\W*(?:by|on|with|using|按|用)?\W*$", c.text[:c.expression[1]], re.I)
        if op.endswith("_filter") and verb_at(c.text, c.expression[1], c.verb) == "remove" and not bare_filter:
            expr = f"not ({expr})"  # 'drop rows where meta.end_ts < meta.start_ts': the filter keeps the rest
        out[by["text"][0].name] = expr
        return
    quoted = [q for q, s, e in c.quoted if q not in fields and not _in_other_aside(c.text, s)]
    # '替换成"***"', 'swapped for "[X]"': a quoted value right after the word that names the new text is that text
    new_text = next((q for q, s, e in c.quoted if q not in fields and REPLACE_RE.search(c.text[:s]) and
                     INTO_RE.search(c.text[:s])), None)
    if new_text is not None and by["text"] and by["text"][0].name not in out and not c.placeholders:
        out[by["text"][0].name] = new_text
        quoted = [q for q in quoted if q != new_text]
        if not (by["pattern"] and (quoted or c.regexes)):
            return
    if c.placeholders and by["text"] and (REPLACE_RE.search(c.text) or re.search(
            r"(?:\b(?:with|as|into|to|by|for)\s*|成|为)\s*$", c.text[:c.text.find(c.placeholders[0])], re.I)):
        out[by["text"][0].name] = c.placeholders[0]
        quoted = [q for q in quoted if q not in c.placeholders]
        if not (by["pattern"] and (quoted or c.regexes)):
            return
    if by["pattern"] and not (quoted or c.regexes) and c.named_chars and by["pattern"][0].name not in out:
        out[by["pattern"][0].name] = c.named_chars[0]  # 'break at single newlines' -> '\n'
    if by["pattern"] and (quoted or c.regexes):
        pats = c.regexes + [q for q in quoted if q not in c.regexes]
        out[by["pattern"][0].name] = pats[0]
        if by["text"] and REPLACE_RE.search(c.text) and by["text"][0].name not in out:
            rest = [q for q in quoted if q != pats[0]]
            if rest:
                out[by["text"][0].name] = rest[0]
            elif EMPTY_RE.search(c.text):
                out[by["text"][0].name] = ""
            elif SPACE_RE.search(c.text):
                out[by["text"][0].name] = " "  # '替换成一个空格', 'with a single space'
        return
    if by["chars"] and (quoted or c.symbols):
        a = by["chars"][0]
        items = quoted or [c.symbols]
        out[a.name] = items if "list" in a.type and "str" not in a.type else "".join(items)
        return
    if by["values"]:
        a = by["values"][0]
        items = quoted or c.suffixes or next((w for w in c.word_lists if not set(w) & set(fields)), [])
        if not quoted and c.suffixes and "suffix" not in a.name:
            # ('remove comments from the .tex files': a document type, 'tex', not a suffix; the default says nothing)
            items = [x.lstrip(".") for x in items]
            if items in ([a.default], a.default):
                return
        if a.name.split("_")[-1] == "args":  # command-line arguments are options ('-an'), not words ('black and white')
            items = [x for x in items if str(x).startswith("-")]
        if items:
            out[a.name] = list(items) if "list" in a.type or len(items) > 1 else items[0]
        return
    # ('long strings of keywords ('cheap flights london paris deals ...')', 'such as "lol"'): quoted examples of what
    # the data holds, cut short or said as examples, are no text for an argument
    examples = {q for q, s, e in c.quoted if re.search(r"(?:\.\.\.|…)\s*$", q) or
                re.search(r"(?:\b(?:like|such as|e\.g\.,?|for example|for instance)|比如|例如|像)\s*[(（]?\s*['\"“‘「]?$", c.text[:s], re.I)}
    quoted = [q for q in quoted if q not in examples]
    if by["text"] and quoted:
        out[by["text"][0].name] = quoted[0]
