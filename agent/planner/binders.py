"""Argument binders: turn a clause's numbers and words into an operator's arguments."""
from __future__ import annotations

import re
from typing import Any

from agent.planner.goal_parser import Quantity, _clean, polarity_at
from agent.planner.rules import OpRule


def _size(q: Quantity, hi: bool = False) -> str:
    raw = (q.raw_hi if hi else q.raw) or str(q.hi if hi else q.value)
    m = re.match(r"\s*([\d.]+)\s*([a-zA-Z]*)", raw)
    if not m:
        return raw
    num, unit = m.group(1), m.group(2) or (q.unit_text or "")
    unit = unit.strip()
    if re.fullmatch(r"bytes?", unit, re.I):
        unit = "B"
    elif unit.lower() in ("kilobytes", "kilobyte"):
        unit = "KB"
    elif unit.lower() in ("megabytes", "megabyte"):
        unit = "MB"
    elif unit.lower() in ("gigabytes", "gigabyte"):
        unit = "GB"
    else:
        unit = unit.upper().replace("IB", "iB")
    return f"{num}{unit}"


def convert(rule: OpRule, q: Quantity, arg: str, hi: bool = False) -> Any:
    v = q.hi if hi else q.value
    if rule.kind == "size":
        return _size(q, hi)
    if rule.kind == "int":
        return int(round(v))
    if "ratio" in arg and rule.units >= {"pct"} and q.unit is None and 1 < v <= 100 \
            and rule.op not in ("image_aspect_ratio_filter", "video_aspect_ratio_filter"):
        return _clean(v / 100)
    return _clean(v)


def effective_bound(q: Quantity, polarity: str) -> str:
    b = q.bound
    if b in ("lower", "upper") and polarity == "drop":
        return "upper" if b == "lower" else "lower"
    return b


def bind_min_max(rule: OpRule, text: str, qs: list[Quantity], default_pol: str,
                 min_arg: str | None = None, max_arg: str | None = None) -> dict:
    """The generic binder: a lower bound fills `min_arg`, an upper bound `max_arg`, a range both.
    'drop texts shorter than 50' is a lower bound of 50 (the polarity flips the comparator)."""
    min_arg = min_arg or rule.min_arg
    max_arg = max_arg or rule.max_arg
    args: dict[str, Any] = {}
    for q in qs:
        pol = polarity_at(text, q.start, default_pol)
        b = effective_bound(q, pol)
        if b == "range":
            if min_arg:
                args[min_arg] = convert(rule, q, min_arg)
            if max_arg:
                args[max_arg] = convert(rule, q, max_arg, hi=True)
            continue
        if b == "none":
            if pol == "drop":
                continue
            b = "lower" if min_arg else "upper"
        arg = min_arg if b == "lower" else max_arg
        if arg:
            args[arg] = convert(rule, q, arg)
    return args


_REPL = re.compile(r"\b(?:with|by|to|as|into)\s+(?:an? |the )?(?:placeholder |token |tag |string |marker )?"
                   r"(\"[^\"]*\"|'[^']*'|\[[^\]]*\]|<[^>]*>|`[^`]*`|\{[^}]*\}|[A-Z][A-Z_]{2,}\b)")


_PATTERN = re.compile(r"\b(?:regex|regular expression|pattern)\s*(?::\s*)?(\"[^\"]+\"|'[^']+'|`[^`]+`|(?![a-z]+\b)\S+)", re.I)


def replace_content_args(text: str, goal: str) -> dict:
    """'replace X with Y using the regex \\d+': pattern (quoted or a bare non-word token) and repl."""
    args: dict[str, Any] = {}
    m = _PATTERN.search(text)
    if m:
        val = m.group(1).rstrip(".,;")
        args["pattern"] = val[1:-1] if val[0] in "\"'`" and val[-1] == val[0] else val
    if re.search(r"\b(?:with|by|to)\s+(?:an?\s+)?(?:empty(?: string)?|nothing|blank|''|\"\")", text, re.I):
        args["repl"] = ""
    else:
        args.update(repl_arg(text, goal))
    return args


def repl_arg(text: str, goal: str) -> dict:
    if not re.search(r"\b(?:replac\w*|substitut\w*|mask\w*|swap\w*|turn\w*|chang\w*|convert\w*)\b", goal, re.I):
        return {}
    m = _REPL.search(text)
    if not m:
        return {}
    val = m.group(1)
    if val[0] in "\"'`" and val[-1] == val[0]:
        val = val[1:-1]
    return {"repl": val}


def chinese_mode(text: str, goal: str) -> dict:
    low = goal.lower()
    for pat, mode in ((r"traditional\W+(?:\w+\W+){0,3}(?:to|into|->)\s+(?:\w+\s+)?simplified", "t2s"),
                      (r"simplified\W+(?:\w+\W+){0,3}(?:to|into|->)\s+(?:\w+\s+)?traditional", "s2t"),
                      (r"\b(s2t|t2s|s2tw|tw2s|s2hk|hk2s|s2twp|tw2sp|t2tw|t2hk|t2jp|jp2t)\b", None),
                      (r"(?:to|into) (?:\w+ )?simplified", "t2s"), (r"(?:to|into) (?:\w+ )?traditional", "s2t"),
                      (r"simplif(?:y|ies|ied)", "t2s"), (r"traditionali[sz]e", "s2t")):
        m = re.search(pat, low)
        if m:
            return {"mode": mode or m.group(1)}
    return {}


def dedup_doc_args(text: str, goal: str) -> dict:
    args: dict[str, Any] = {}
    if re.search(r"ignor\w* (?:the )?(?:letter )?case|case[- ]?insensitiv\w*|lower-?cas\w*|regardless of (?:letter )?case|"
                 r"not case[- ]sensitive|ignor\w* (?:\w+ )?(?:and|&) case|ignor\w* capitali[sz]ation", goal, re.I):
        args["lowercase"] = True
    if re.search(r"ignor\w* (?:\w+ ){0,3}(?:punctuation|non-?(?:alpha\w*|letters?|characters?|word characters?|text)|"
                 r"special (?:char\w*|symbols)|whitespace|spaces|symbols|digits|numbers)", goal, re.I):
        args["ignore_non_character"] = True
    return args


def _int_after(pat: str, text: str) -> int | None:
    m = re.search(pat, text, re.I)
    if not m:
        return None
    for g in m.groups():
        if g:
            return int(float(g))
    return None


def minhash_args(text: str, goal: str, qs: list[Quantity]) -> dict:
    args: dict[str, Any] = {}
    n = _int_after(r"(\d+) (?:permutations|perms|hash(?:es| functions))|num_permutations\D{0,3}(\d+)|"
                   r"permutations? (?:of |= ?|: ?)?(\d+)", goal)
    if n:
        args["num_permutations"] = n
    w = _int_after(r"window(?: size)?(?: of| =|:)? (\d+)|(\d+)-(?:grams?|word shingles|token shingles)|"
                   r"shingles? (?:of|size) (\d+)|(\d+)-shingles", goal)
    if w:
        args["window_size"] = w
    b = _int_after(r"(\d+) bands|num_bands\D{0,3}(\d+)", goal)
    if b:
        args["num_bands"] = b
    r = _int_after(r"(\d+) rows per band|num_rows_per_band\D{0,3}(\d+)", goal)
    if r:
        args["num_rows_per_band"] = r
    if re.search(r"char(?:acter)?[- ]level|char(?:acter)? (?:shingles|tokeni[sz]\w*)|tokeni[sz]\w* by char", goal, re.I):
        args["tokenization"] = "character"
    elif re.search(r"punctuation[- ](?:level|tokeni[sz]\w*|based)|tokeni[sz]\w* (?:by|on) punctuation", goal, re.I):
        args["tokenization"] = "punctuation"
    if re.search(r"case[- ]sensitive", goal, re.I) and not re.search(r"not case[- ]sensitive|insensitive", goal, re.I):
        args["lowercase"] = False
    used = {args.get(k) for k in ("num_permutations", "window_size", "num_bands", "num_rows_per_band")}
    for q in qs:
        if q.bound == "range" or q.value in used and q.unit is None and q.value > 1:
            continue
        if q.unit == "pct" or (q.unit is None and 0 < q.value <= 1):
            args["jaccard_threshold"] = q.value
    return args


def simhash_args(text: str, goal: str, qs: list[Quantity]) -> dict:
    args: dict[str, Any] = {}
    h = _int_after(r"hamming(?: distance)?(?: of| =|:| <=?| up to| at most| below| under| within| less than| is| set to| equal to)* ?(\d+)|"
                   r"(\d+) (?:as|for) (?:the |a )?(?:max(?:imum)? )?hamming|"
                   r"(\d+) bits?|within (\d+) bits", goal)
    if h is not None:
        args["hamming_distance"] = h
    w = _int_after(r"window(?: size)?(?: of| =|:)? (\d+)|(\d+)-(?:grams?|word shingles)|shingles? (?:of|size) (\d+)", goal)
    if w:
        args["window_size"] = w
    b = _int_after(r"(\d+) blocks|num_blocks\D{0,3}(\d+)", goal)
    if b:
        args["num_blocks"] = b
    return args


def image_dedup_args(text: str, goal: str) -> dict:
    args: dict[str, Any] = {}
    m = re.search(r"\b(phash|dhash|ahash|whash|colorhash|crop[-_]?resistant[-_ ]hash)\b", goal, re.I)
    if m:
        args["method"] = m.group(1).lower().replace("-", "_").replace(" ", "_")
    elif re.search(r"perceptual hash", goal, re.I):
        args["method"] = "phash"
    elif re.search(r"difference hash", goal, re.I):
        args["method"] = "dhash"
    elif re.search(r"average hash", goal, re.I):
        args["method"] = "ahash"
    if re.search(r"consider\w* (?:the )?(?:text|captions?)|(?:same|identical) (?:text|captions?)|"
                 r"(?:text|captions?) (?:too|as well)|includ\w* (?:the )?(?:text|captions?)", goal, re.I):
        args["consider_text"] = True
    return args


def rep_len_arg(text: str, qs: list[Quantity]) -> tuple[dict, list[Quantity]]:
    args: dict[str, Any] = {}
    rest = []
    for q in qs:
        if q.unit == "ngram":
            args["rep_len"] = int(q.value)
        else:
            rest.append(q)
    n = _int_after(r"rep_len\D{0,3}(\d+)|n-?grams? of (?:length |size )?(\d+)|(\d+)-?grams?", text)
    if n and "rep_len" not in args:
        args["rep_len"] = n
        rest = [q for q in rest if not (q.value == n and q.bound == "none")]
    return args, rest


def chunk_args(text: str, goal: str, qs: list[Quantity]) -> dict:
    args: dict[str, Any] = {}
    for q in qs:
        if q.unit in ("word", "token", "pct"):
            continue
        before = goal[max(0, 0):]
        if re.search(r"overlap\w*\s*(?:of|=|:|by)?\s*$", text[:q.start], re.I) or \
                re.match(r"\s*(?:characters?|chars?|tokens?)?\s*(?:of )?overlap", text[q.end:], re.I):
            args["overlap_len"] = int(q.value)
        elif "max_len" not in args:
            args["max_len"] = int(q.value if q.bound != "range" else q.hi)
    if re.search(r"\b(?:on|by|at) (?:each |every )?(?:new ?lines?|line breaks?|lines)\b", goal, re.I):
        args["split_pattern"] = "\n"
    elif re.search(r"\b(?:on|by|at) (?:blank lines|paragraphs?|empty lines|double new ?lines)\b", goal, re.I):
        args["split_pattern"] = "\n\n"
    return args


def shape_args(rule: OpRule, text: str, qs: list[Quantity], default_pol: str) -> dict:
    """Width and height: 'at least 256 pixels wide', 'under 4000 px in width and height', '512x512'."""
    args: dict[str, Any] = {}
    res = re.search(r"(\d+)\s*[x×*]\s*(\d+)", text)
    if res:
        pol = polarity_at(text, res.start(), default_pol)
        q = next((q for q in qs if q.start == res.start()), None)
        bound = effective_bound(q, pol) if q else "lower"
        if bound in ("none", "range"):
            bound = "lower" if pol == "keep" else "upper"
        p = "min" if bound == "lower" else "max"
        args[f"{p}_width"], args[f"{p}_height"] = int(res.group(1)), int(res.group(2))
        qs = [q for q in qs if q.start != res.start()]
    for i, q in enumerate(qs):
        nxt = qs[i + 1].start if i + 1 < len(qs) else len(text)
        after = text[q.end:nxt].lower()
        prev_end = qs[i - 1].end if i else 0
        before = text[prev_end:q.start].lower()
        dims = []
        w_after, h_after = re.search(r"wide|width", after), re.search(r"tall|height|high\b", after)
        if re.search(r"(?:narrower|wider|thinner) than\W*$", before):  # the comparator names the side
            dims = ["width"]
        elif re.search(r"(?:shorter|taller) than\W*$", before):
            dims = ["height"]
        elif w_after and not (h_after and h_after.start() < w_after.start()) and not re.search(r"width and height|height and width|wide and (?:tall|high)\b", after):
            dims = ["width"]
        elif h_after and not re.search(r"width and height|height and width|width or height|(?:tall|high) and wide|"
                                        r"wide and (?:tall|high)\b", after):
            dims = ["height"]
        elif re.search(r"width and height|height and width|width or height|each side|both sides|both dimensions|resolution|"
                       r"wide and (?:tall|high)\b|(?:tall|high) and wide", after + " " + before):
            dims = ["width", "height"]
        elif re.search(r"(?:narrower|wider|thinner)(?: than)?\W*$", before):
            dims = ["width"]
        elif re.search(r"(?:shorter|taller)(?: than)?\W*$", before):
            dims = ["height"]
        elif re.search(r"(?:width|wide)\W*(?:\w+\W+){0,3}$", before) and not re.search(r"height", before):
            dims = ["width"]
        elif re.search(r"(?:height|tall)\W*(?:\w+\W+){0,3}$", before):
            dims = ["height"]
        else:
            dims = ["width", "height"]
        for d in dims:
            args.update(bind_min_max(rule, text, [q], default_pol, f"min_{d}", f"max_{d}"))
    return args


def field_values(text_after: str) -> list[Any]:
    """'wikipedia or arxiv', "['a', 'b']", 'one of a, b and c' -> a list of values."""
    t = text_after.strip().strip(".")
    t = re.sub(r"^(?:is |are |equal to |equals to |equals? |set to |to |== ?|= ?|: ?|in |is in |is one of |one of |is either |either |"
               r"matches |as |of |being |with value |value )+", "", t,
               flags=re.I)
    t = t.strip().strip("[](){}")
    parts = re.split(r"\s*,\s*(?:or |and )?|\s+or\s+|\s+and\s+", t)
    vals: list[Any] = []
    for p in parts:
        p = p.strip().strip("'\"`").strip()
        if not p or " " in p and not re.fullmatch(r"[\w.-]+(?: [\w.-]+)?", p):
            break
        if re.fullmatch(r"-?\d+", p):
            vals.append(int(p))
        elif re.fullmatch(r"-?\d*\.\d+", p):
            vals.append(float(p))
        else:
            vals.append(p.split(" ")[0] if " " in p else p)
    return vals
