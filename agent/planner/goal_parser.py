"""Parse a goal in plain words: clauses, quantities with units and bounds, polarity, languages, fields.

The built-in planner works clause by clause: each clause names one or a few operators and the numbers
that bound them. Numbers are read with their comparator ("at least 50", "under 2k", "between 50 and
2,000", "2k+", "30%") and the word after them (the unit), so that each number can be given to the
operator it talks about.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Bound = Literal["lower", "upper", "range", "none"]

LANGUAGES = {
    "english": "en", "chinese": "zh", "mandarin": "zh", "french": "fr", "german": "de",
    "spanish": "es", "japanese": "ja", "korean": "ko", "russian": "ru", "arabic": "ar",
    "portuguese": "pt", "italian": "it", "dutch": "nl", "vietnamese": "vi", "hindi": "hi",
    "indonesian": "id", "turkish": "tr", "polish": "pl", "swedish": "sv", "thai": "th",
    "ukrainian": "uk", "greek": "el", "hebrew": "he", "czech": "cs", "finnish": "fi",
    "danish": "da", "norwegian": "no", "hungarian": "hu", "romanian": "ro", "persian": "fa",
    "bengali": "bn", "urdu": "ur", "malay": "ms", "catalan": "ca", "basque": "eu", "tamil": "ta",
}
LANG_RE = re.compile(r"\b(" + "|".join(LANGUAGES) + r")\b", re.I)

NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "fifty": 50,
                "hundred": 100, "a hundred": 100, "a thousand": 1000, "thousand": 1000}

UNIT_WORDS = [
    ("char", r"characters?|chars?|letters?|symbols?|code ?points?"),
    ("word", r"words?"),
    ("token", r"tokens?"),
    ("line", r"lines?"),
    ("byte", r"(?:[kmgt]i?b|bytes?|kilobytes?|megabytes?|gigabytes?)(?![a-z])"),
    ("px", r"px|pixels?"),
    ("sec", r"seconds?|secs?|s(?![a-z])|minutes?|mins?"),
    ("face", r"faces?"),
    ("col", r"columns?|cols?"),
]
UNIT_RE = re.compile(r"\s*(?:" + "|".join(f"(?P<{n}>{p})" for n, p in UNIT_WORDS) + r")\b", re.I)

NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
NUM_RE = re.compile(
    rf"(?<![\w.#])(?P<num>{NUM})(?P<mult>\s*[kK](?![a-zA-Z])|M(?![a-zA-Z])|\s*million\b|\s*thousand\b)?"
    r"(?P<plus>\+)?(?P<pct>\s*(?:%|percent\b|per cent\b))?"
    r"|(?<![\w-])(?P<word>zero|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a hundred|"
    r"a thousand)(?![\w-])", re.I)

LOWER_BEFORE = (r"(?:greater|more|larger|bigger|higher|longer) than or equal(?: to)?|(?:\w+n't|not|never|cannot) (?:be )?(?:(?:less|shorter|smaller|fewer|lower) than|below|under|go below)|"
                r"min_[a-z_]+\s*(?:=|:|of|is|to)?|at least|no less than|not less than|no fewer than|no shorter than|minimum(?: of)?|"
                r"min(?:imum)?\.?|more than|greater than|larger than|bigger than|longer than|wider than|"
                r"taller than|higher than|heavier than|over|above|exceed(?:s|ing)?|>=|>|≥|upwards of|"
                r"beyond|in excess of|starting at|from|>\s*=|min(?:imum)? (?:of )?|surpass(?:es|ing)?|"
                r"of at least|is at least|be at least|needs? at least|upper than|past|gt|gte")
UPPER_BEFORE = (r"(?:less|fewer|smaller|lower|shorter) than or equal(?: to)?|(?:\w+n't|not|never|cannot) (?:be )?(?:exceed(?:s|ing)?|"
                r"(?:more|longer|greater|larger|bigger|higher) than|over|above|go (?:over|above|beyond)|surpass)|"
                r"max_[a-z_]+\s*(?:=|:|of|is|to)?|prob_threshold\s*(?:=|:|of|is|to)?|at most|no more than|not more than|no longer than|no larger than|no bigger than|"
                r"no greater than|no higher than|maximum(?: of)?|max\.?|less than|fewer than|smaller than|"
                r"shorter than|narrower than|thinner than|lower than|under|below|up to|<=|<|≤|within|not exceed(?:ing)?|capped at|"
                r"cap(?: it)? at|limit(?:ed)? to|beneath|not above|not over|lt|lte|tops|at max|cap of|limit of")
COMPARATOR_RE = re.compile(rf"(?:\b|(?<=\W))(?P<lo>{LOWER_BEFORE})\s*$|(?:\b|(?<=\W))(?P<hi>{UPPER_BEFORE})\s*$",
                           re.I)
EXACT_RE = re.compile(r"(?<!or )\b(?:exactly|precisely|equal to|equals|==)\s*$", re.I)
# 'min length 100', 'max line length 150': min/max, then the thing, then the number
GAP_COMPARATOR_RE = re.compile(r"\b(?:(?P<lo>min(?:imum)?|lowest)|(?P<hi>max(?:imum)?|highest))\.?\s+(?:[a-z_-]+\s+){1,3}"
                               r"(?:of\s+|is\s+|=\s*|:\s*)?$", re.I)
# 'words >= 5', 'tokens <= 1024': the unit named before the comparator
UNIT_BEFORE_RE = re.compile(r"\b(?:(?P<word>words?|word[ _]counts?|num_words)|(?P<token>tokens?|token[ _]counts?|num_tokens?)|"
                            r"(?P<char>char(?:acter)?s?|text_len))\s*(?:>=|<=|>|<|==?|≥|≤)\s*$", re.I)
# 'words per doc: 15 to 200', 'tokens: 128-4096': a unit label before a colon
UNIT_LABEL_RE = re.compile(r"\b(?:(?P<word>words?|word counts?)|(?P<token>tokens?|token counts?)|(?P<char>char(?:acter)?s?))"
                           r"(?:\s+(?:per|in each|for each|each|a)\s+\w+)?\s*:\s*$", re.I)
POST_LOWER = re.compile(r"^\s*(?:or (?:more|above|longer|higher|greater|bigger|larger|over|up)|and (?:up|above|over|more)|"
                        r"minimum|min\b|at (?:the )?least|plus)", re.I)
POST_UPPER = re.compile(r"^\s*(?:or (?:less|fewer|below|shorter|lower|smaller|under)|maximum|max\b|at (?:the )?most|"
                        r"tops|or so max)", re.I)
_K = r"(?:\s*[kK](?![a-zA-Z]))?"
RANGE_RE = re.compile(rf"(?:between|from)\s+(?P<a>{NUM}{_K})\s*(?P<ua>%|percent)?\s*\w*\s*(?:and|to|-|–)\s+"
                      rf"(?P<b>{NUM}{_K})|(?<![\w.])(?P<c>{NUM}{_K})\s*(?:%\s*)?(?:-|–|~|to)\s*"
                      rf"(?P<d>{NUM}{_K})(?![\w.]*\s*(?:percentile|th\b))", re.I)

DROP_CUES = (r"remove|removing|removes|drop|dropping|drops|discard\w*|delete|deleting|filter(?:ing|s)? out|"
             r"filter(?:s|ed|ing)?(?!\s+(?:out|to|for|by|down|on|in|only|just)\b)|get rid of|getting rid of|exclude|excluding|eliminate|eliminating|throw (?:away|out)|"
             r"toss(?:ed)?|thrown (?:away|out)|removed|dropped|deleted|excluded|eliminated|purged|ditched|"
             r"reject\w*|prune|pruning|weed out|purge|ditch|cut out|kill|strip out|"
             r"don't want|do not want|no \w+ (?:should|must|may|can|shall|will|is allowed to|may ever)(?: be)?|no(?! more| less| longer| fewer| shorter| larger| bigger| greater| higher)|"
             r"without|(?:is|are) (?:junk|noise|noisy|bad|useless|garbage|worthless|unwanted|low[- ]quality|not useful)|isn't|aren't|not in")
KEEP_CUES = (r"keep|keeping|kept|make sure|make|ensure|enforce|retain\w*|only|preserve|select|want|need|require\w*|must|should|limit|"
             r"restrict|cap|filter(?:ing)? (?:to|for|by|down to)|just|leave|allow|accept|pass")
POLARITY_RE = re.compile(rf"\b(?P<drop>{DROP_CUES})\b|\b(?P<keep>{KEEP_CUES})\b", re.I)

FIELD_RE = re.compile(r"`(?P<q>[A-Za-z_][\w.]*)`|(?<![\w./])(?P<d>(?:__dj__\w+__|[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)+)"
                      r"(?![\w(])")
NOT_FIELDS = {"e.g", "i.e", "etc", "vs"}


@dataclass
class Quantity:
    """A number in the goal with its comparator and unit."""

    value: float
    start: int
    end: int
    bound: Bound = "none"
    hi: float | None = None  # upper end of a range
    unit: str | None = None
    pct: bool = False
    raw: str = ""
    raw_hi: str = ""
    unit_text: str = ""

    @property
    def number(self) -> float:
        return self.value


@dataclass
class Clause:
    text: str  # original text of the clause (placeholders restored)
    low: str  # lowercased
    start: int  # offset in the prepared goal
    quantities: list[Quantity] = field(default_factory=list)


def _to_number(num: str, mult: str | None, pct: bool) -> float:
    v = float(num)
    m = (mult or "").strip().lower()
    if m in ("k", "thousand"):
        v *= 1000
    elif m in ("m", "million"):
        v *= 1_000_000
    if pct:
        v /= 100
    return _clean(v)


def _clean(v: float) -> float:
    """Integral values as int (so recipes read `min_len: 50`, not 50.0)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return round(v, 6) if isinstance(v, float) else v


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                      "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NW = "|".join(list(_UNITS) + list(_TENS))
SPELLED_RE = re.compile(rf"\b(?:a\s+)?(?:(?:{_NW}|hundred|thousand|million)(?:[\s-]+(?:and\s+)?)?)*"
                        rf"(?:{_NW}|hundred|thousand|million)\b", re.I)


def _spelled_value(words: list[str]) -> int | None:
    total, cur = 0, 0
    for w in words:
        if w in _UNITS:
            cur += _UNITS[w]
        elif w in _TENS:
            cur += _TENS[w]
        elif w == "hundred":
            cur = max(cur, 1) * 100
        elif w in _SCALES:
            total += max(cur, 1) * _SCALES[w]
            cur = 0
        elif w not in ("a", "and"):
            return None
    return total + cur


def _spelled(m: re.Match) -> str:
    """'two hundred' -> 200, 'seventy percent' -> 70 percent; lone small words ('one', 'two') are kept
    (they are often not quantities), unless a percent sign follows."""
    parts = re.split(r"(\s+and\s+)", m.group(0))
    if len(parts) > 1 and any(w in _SCALES for w in re.split(r"[\s-]+", parts[-1].lower())):
        mid = len(parts) - 2  # 'between one hundred and two thousand': two numbers
        left, right = "".join(parts[:mid]), parts[-1]
        return _spelled(SPELLED_RE.fullmatch(left)) + parts[mid] + _spelled(SPELLED_RE.fullmatch(right)) \
            if SPELLED_RE.fullmatch(left) and SPELLED_RE.fullmatch(right) else m.group(0)
    words = re.split(r"[\s-]+", m.group(0).lower())
    if re.search(r"\d[\d.]*\s*$", m.string[:m.start()]) and words[0] in _SCALES:
        return m.group(0)  # '2 thousand': read later, with its digits
    small = len([w for w in words if w not in ("a", "and")]) == 1 and words[-1] in _UNITS and _UNITS[words[-1]] <= 10
    follow = m.string[m.end():m.end() + 12].lower()
    if small and not re.match(r"\s*(?:%|percent|per cent)", follow):
        return m.group(0)
    v = _spelled_value(words)
    return m.group(0) if v is None else str(v)


def prepare(goal: str) -> str:
    """Normalise separators and symbols that would confuse splitting (thousands commas, fancy signs)."""
    goal = SPELLED_RE.sub(_spelled, goal)
    s = goal.replace("≥", ">=").replace("≤", "<=").replace("’", "'").replace("“", '"').replace("”", '"')
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)
    # '1/2' -> 0.5 (aspect ratios), not dates or paths
    s = re.sub(r"(?<![\w/.])(\d{1,3})\s*/\s*(\d{1,3})(?![\w/.])",
               lambda m: str(_clean(round(int(m.group(1)) / int(m.group(2)), 6))) if int(m.group(2)) else m.group(0), s)
    # '1 thousand', '2.5 million' -> digits (so ranges and comparators read them as numbers)
    s = re.sub(r"\b(\d+(?:\.\d+)?)\s*(thousand|million)\b",
               lambda m: str(_clean(float(m.group(1)) * (1000 if m.group(2).lower() == "thousand" else 1_000_000))),
               s, flags=re.I)
    return s


PROTECT = [r"width and height", r"height and width", r"wide and (?:tall|high)", r"(?:tall|high) and wide", r"width or height", r"height or width",
           r"images? and text", r"text and images?", r"image[- ]text", r"text[- ]image",
           r"case and punctuation", r"punctuation and case", r"emails? and urls?",
           r"(?:digits|numbers|punctuation) (?:and|or) symbols",
           r"\b(?:or|and) (?:less|more|fewer|above|below|over|under|greater|smaller|lower|higher|longer|shorter|"
           r"bigger|larger|up|so|lesser|beyond)\b", r"\bthan or equal(?: to)?\b",
           # 'words containing http or www': one value list, not two clauses
           r"\b(?:contains?|containing|including) (?:the )?(?:substrings? )?(?!\d)[\"'`]?[\w.-]+[\"'`]?(?:, [\"'`]?[\w.-]+[\"'`]?)*,? (?:or|and) [\"'`]?[\w.-]+",
           # 'samples tagged news or sports': one tag list
           r"\b(?:tagged|tags?) (?:as |with )?(?!\d)[\w.-]+(?:, [\w.-]+)*,? (?:or|and) [\w.-]+",
           # 'wider than 2048 or taller than 2048 pixels': one shape condition
           r"\b(?:wider|narrower|taller|shorter|higher) than \d+\s*(?:px|pixels?)? (?:or|and) (?:wider|narrower|taller|"
           r"shorter|higher) than \d+"]


_LANG_TOK = r"(?:" + "|".join(LANGUAGES) + r"|" + "|".join(sorted(set(LANGUAGES.values()) - {"it", "no", "id", "he", "ms", "hi"})) + r")"
LANG_LIST_RE = re.compile(rf"\b{_LANG_TOK}(?:\s*,\s*{_LANG_TOK})*,?\s+(?:and|or|&)\s+(?:{_LANG_TOK}|it|no|id)\b", re.I)


def split_clauses(goal: str) -> list[tuple[int, str]]:
    """Split a goal into clauses at ; , . : then/also/after/before/and/or (not inside ranges,
    quotes, brackets or protected phrases). Returns (offset, text) pairs."""
    s = goal
    mask = list(s)

    def blank(a: int, b: int) -> None:
        for i in range(a, b):
            if mask[i] not in " ":
                mask[i] = "_"
            else:
                mask[i] = "~"

    for m in re.finditer(r"\"[^\"]*\"|'[^']+'(?=\W|$)|\[[^\]]*\]|`[^`]*`", s):
        blank(m.start(), m.end())
    for m in re.finditer(rf"(?:between|from)\s+(?:the )?{NUM}\s*[kK]?(?:st|nd|rd|th)?\s*(?:%|percent)?\s*\w*\s*"
                         rf"(?:and|to)\s+(?:the )?{NUM}", s, re.I):
        blank(m.start(), m.end())
    for m in re.finditer(rf"(?<![\w.]){NUM}\s*[kK%]?\s+[-–]\s+{NUM}", s):
        blank(m.start(), m.end())
    for pat in PROTECT:
        for m in re.finditer(pat, s, re.I):
            blank(m.start(), m.end())
    for m in LANG_LIST_RE.finditer(s):
        blank(m.start(), m.end())
    for m in re.finditer(r"\b(?:is|are|equals?|in|either|of|as)\s+\w[\w-]*(?:\s*,\s*\w[\w-]*)*,?\s+(?:or|and)\s+\w[\w-]*",
                         s, re.I):
        if re.search(r"\d", m.group(0)) or not FIELD_RE.search(s[max(0, m.start() - 40):m.start()]):
            continue
        blank(m.start(), m.end())
    masked = "".join(mask)
    sep = re.compile(r"\s*(?:;|,|\.(?=\s|$)|:(?=\s)|\?|!|\n|\s-\s|\(|\))\s*|\s+(?:and then|then|also|plus|after(?: that)?|"
                     r"afterwards|before|finally|next|and|or|as well as|while|but|followed by|&)\s+", re.I)
    out, pos = [], 0
    for m in sep.finditer(masked):
        if m.group(0).strip() == ":" and "\n" not in m.group(0) and m.end() < len(s) and (
                len(s[pos:m.start()].split()) <= 2 or re.match(r"[\d.]+\s*[kK]?\s*(?:-|–|to)\s*[\d.]", s[m.end():])):
            continue  # 'words per doc: 15 to 200' is one clause
        if m.start() > pos:
            out.append((pos, s[pos:m.start()]))
        pos = m.end()
    if pos < len(s):
        out.append((pos, s[pos:]))
    lead = re.compile(r"^(?:(?:and then|then|and|or|also|plus|finally|next|after that|afterwards|lastly|first(?:ly)?|"
                      r"second(?:ly)?)\b[\s,]*)+", re.I)
    res = []
    for o, t in out:
        m = lead.match(t)
        if m:
            o, t = o + m.end(), t[m.end():]
        if t.strip():
            res.append((o, t))
    return res


def find_quantities(text: str) -> list[Quantity]:
    """Numbers with comparators and units, in order of appearance."""
    qs: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in RANGE_RE.finditer(text):
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        if m.group("c") and re.search(r"[x×*]\s*$", text[:m.start()]):
            continue
        lab = UNIT_LABEL_RE.search(text[:m.start()][-30:])
        pct = bool(m.group("ua")) or "%" in m.group(0) or "percent" in m.group(0).lower()
        tail = text[m.end():]
        um = UNIT_RE.match(tail)
        pm = re.match(r"\s*(%|percent\b)", tail)
        pct = pct or bool(pm)
        lo = _to_number(a.strip().rstrip("kK"), "k" if a.strip()[-1:] in "kK" else None, pct)
        hi = _to_number(b.strip().rstrip("kK"), "k" if b.strip()[-1:] in "kK" else None, pct)
        q = Quantity(lo, m.start(), m.end(), "range", hi=hi, pct=pct, raw=a.strip(), raw_hi=b.strip())
        if um:
            q.unit, q.unit_text = um.lastgroup, um.group(0).strip()
            q.raw = f"{a.strip()}{q.unit_text}" if q.unit == "byte" else q.raw
            q.raw_hi = f"{b.strip()}{q.unit_text}" if q.unit == "byte" else q.raw_hi
        elif pct:
            q.unit = "pct"
        elif lab:
            q.unit = lab.lastgroup
        if q.unit == "byte":
            ua = re.search(rf"{re.escape(a.strip())}\s*([kmgt]i?b|bytes?)", m.group(0), re.I)
            if ua:
                q.raw = a.strip() + ua.group(1)
        qs.append(q)
        taken.append((m.start(), m.end()))
    for m in NUM_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        after = text[m.end():]
        if re.match(r"(?:st|nd|rd|th)\b\s*percentile", after, re.I) or re.match(r"\s*[x×*]\s*\d", after):
            if re.match(r"\s*[x×*]\s*\d", after):
                pass
            else:
                continue
        if re.match(r"-(?:(?:char(?:acter)?|word|token)s?[- ]?(?:n-?)?grams?|(?:n-?)?grams?|shingles?)", after, re.I):
            q = Quantity(_clean(float(m.group("num"))), m.start(), m.end(), "none", unit="ngram",
                         raw=m.group(0))
            qs.append(q)
            continue
        if m.group("word"):
            value, pct, mult = NUMBER_WORDS[m.group("word").lower()], False, None
            raw = str(value)
        else:
            pct = bool(m.group("pct"))
            mult = m.group("mult")
            value = _to_number(m.group("num"), mult, pct)
            raw = m.group("num")
        q = Quantity(value, m.start(), m.end(), "none", pct=pct, raw=raw)
        if pct:
            q.unit = "pct"
        else:
            um = UNIT_RE.match(after)
            if um and not (um.lastgroup == "sec" and um.group(0).strip().lower() == "s" and mult):
                q.unit, q.unit_text = um.lastgroup, um.group(0).strip()
                if q.unit == "byte":
                    q.raw = f"{m.group('num')}{q.unit_text.replace(' ', '')}"
        before = text[:m.start()]
        cm = COMPARATOR_RE.search(before[-30:])
        ub = UNIT_BEFORE_RE.search(before[-24:])
        if q.unit is None and not pct and ub and value >= 1 and not re.search(
                r"(?:special|flagged|stop|bad|repeated|alpha\w*|non-\w+)[\s_-]*$", before[:len(before) - len(ub.group(0))].lower()[-30:]
                + ub.group(0).lower()[:0]):
            q.unit = ub.lastgroup
        if m.group("plus"):
            q.bound = "lower"
        elif EXACT_RE.search(before[-20:]) and not pct:
            q.bound, q.hi = "range", value
        elif re.search(r"\b(?:limit|cap|restrict|truncat|trim|shorten)\w*\b[^.;,]{0,40}\b(?:to|at)\s*$", before, re.I):
            q.bound = "upper"
        elif cm:
            q.bound = "lower" if cm.group("lo") else "upper"
        elif (gm := GAP_COMPARATOR_RE.search(before[-40:])) and not re.search(r"\d", gm.group(0)):
            q.bound = "lower" if gm.group("lo") else "upper"
        else:
            rest = after[len(UNIT_RE.match(after).group(0)) if UNIT_RE.match(after) else 0:]
            if POST_LOWER.match(rest) or POST_LOWER.match(after):
                q.bound = "lower"
            elif POST_UPPER.match(rest) or POST_UPPER.match(after):
                q.bound = "upper"
        qs.append(q)
    qs.sort(key=lambda q: q.start)
    # "at least 256 pixels wide and 256 pixels tall": a bare number continues the previous comparator
    for prev, q in zip(qs, qs[1:]):
        if q.bound == "none" and prev.bound in ("lower", "upper") and q.unit == prev.unit and q.unit:
            q.bound = prev.bound
    return qs


def polarity_at(text: str, pos: int, default: str = "keep") -> str:
    """'drop' or 'keep': the last polarity cue before `pos` in the clause, else `default`."""
    last = None
    for m in POLARITY_RE.finditer(text[:pos]):
        last = "drop" if m.group("drop") else "keep"
    if last is None:  # 'texts over 20k chars should be thrown away': the verb comes after the number
        for m in POLARITY_RE.finditer(text, pos):
            last = "drop" if m.group("drop") else "keep"
    return last or default


def clause_polarity(text: str, default: str) -> str:
    return polarity_at(text, len(text), default)


LANG_CODES = set(LANGUAGES.values())
_CODE = r"[A-Za-z]{2}(?:-[A-Za-z]{2,4})?"
# a bare code only counts where a language is expected: 'lang=ja', 'language: fr', 'in ja', 'en-only', 'en/zh'
CODE_CTX_RE = re.compile(rf"\blang(?:uage)?s?(?:[ _]?(?:code|id)s?)?\s*(?:=|:|==|is|of)?\s*['\"]?(?P<a>{_CODE})\b"
                         rf"|\b(?:in|only|for)\s+['\"]?(?P<b>{_CODE})['\"]?(?=\s*(?:$|[,.;)]|/|\band\b|\bor\b|\bonly\b|\btexts?\b|"
                         rf"\bdocs?\b|\bdocuments?\b|\bsamples?\b|\bdata\b|\bwith\b))"
                         rf"|\b(?P<c>{_CODE})[- ]only\b|\b(?P<d>[a-z]{{2}})(?=/[a-z]{{2}}\b)", re.I)
CODE_LIST_RE = re.compile(rf"\s*(?:/|,|\bor\b|\band\b|\+)\s*['\"]?(?P<x>{_CODE})['\"]?\b", re.I)
CODE_SEQ_RE = re.compile(r"\b[a-z]{2}(?:\s*(?:,|/|&|\+|\band\b|\bor\b)\s*[a-z]{2}\b)+(?=\s+(?:texts?|docs?|documents?|samples?|"
                         r"data|content|pages?|articles?|only)\b)")
AMBIGUOUS_CODES = {"it", "no", "id", "he", "ms", "is", "as", "or", "to", "hi", "be", "my", "so", "do", "am", "an", "us"}


def _code(tok: str, strict: bool) -> str | None:
    c = tok.lower().split("-")[0]
    if c not in LANG_CODES or (strict and (c in AMBIGUOUS_CODES or not tok.islower() and not tok.isupper())):
        return None
    return c


def find_languages(text: str) -> list[tuple[str, int, int]]:
    """Language names ('English') anywhere, ISO codes ('ja', 'zh') where a language is expected."""
    out = [(LANGUAGES[m.group(1).lower()], m.start(), m.end()) for m in LANG_RE.finditer(text)]
    for m in CODE_CTX_RE.finditer(text):
        g = next(k for k in "abcd" if m.group(k))
        explicit = g == "c" or (g == "a" and re.search(r"[=:]\s*['\"]?$", text[:m.start(g)]) is not None)
        code = _code(m.group(g), strict=not explicit)
        if code is None:
            continue
        out.append((code, m.start(g), m.end(g)))
        pos = m.end(g)
        while (lm := CODE_LIST_RE.match(text, pos)) and (c2 := _code(lm.group("x"), strict=True)):
            out.append((c2, lm.start("x"), lm.end("x")))
            pos = lm.end()
    # a bare list of codes: 'keep es, fr and it texts'
    for m in CODE_SEQ_RE.finditer(text):
        toks = [(t.group(0), t.start()) for t in re.finditer(r"\b(?!or\b)[A-Za-z]{2}\b", m.group(0))]
        codes = [t.lower() for t, _ in toks]
        if all(c in LANG_CODES for c in codes) and any(c not in AMBIGUOUS_CODES for c in codes):
            out += [(c, m.start() + p, m.start() + p + 2) for c, (_, p) in zip(codes, toks)]
    out.sort(key=lambda t: t[1])
    return [t for i, t in enumerate(out) if not any(o[1] <= t[1] < o[2] for o in out[:i])]


def find_fields(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in FIELD_RE.finditer(text):
        name = m.group("q") or m.group("d")
        if name.lower() in NOT_FIELDS or re.fullmatch(r"\d[\d.]*", name):
            continue
        if m.group("d") and not m.group("d").split(".")[0].lower() in ("meta", "__dj__stats__", "__dj__meta__", "stats") \
                and len(name.split(".")[-1]) <= 4 and name.split(".")[-1].lower() in (
                    "txt", "md", "json", "jsonl", "py", "csv", "html", "pdf", "tex", "png", "jpg"):
            continue
        out.append((name, m.start(), m.end()))
    return out
