"""A rule-based sentence splitter standing in for NLTK's punkt models (no NLTK data offline).

It follows punkt's decisions for the common cases: a sentence ends at '?' or '!', or at a '.' after
an ordinary word; not after a known abbreviation, an initial, or a number followed by a lowercase
word, unless the next word is one that usually starts sentences. Closing quotes and brackets stay
with their sentence, the whitespace between sentences is dropped, trailing whitespace is cut.
Chinese (and Japanese) text ends sentences at 。！？ and their ASCII forms.
"""
from __future__ import annotations

import re

# A potential end: word material, an end character, then punctuation or whitespace + a token (punkt).
_END_CONTEXT = re.compile(r"\S*[.?!](?=(?P<after>[)\";}\]*:@'({\[!?]|\s+(?P<next>\S+)))")
_CLOSERS = re.compile(r"[\"'”’»)\]}]+")
_NUMBER = re.compile(r"^-?[.,]?\d[\d,.\-]*$")
_SHORT_CAPS = re.compile(r"^[A-Z]{1,3}$")
_SHORT_CAPS_ABBR = re.compile(r"^[A-Z]{1,3}\.")

_ABBREV_COMMON = {"e.g", "i.e", "etc", "vs", "cf", "al", "ca", "approx", "no", "nos", "vol", "pp",
                  "fig", "figs", "eq", "eqs", "ref", "refs", "sec", "ch"}
ABBREVIATIONS: dict[str, set[str]] = {
    "en": _ABBREV_COMMON | {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "corp", "co",
                            "ltd", "gen", "gov", "sen", "rep", "rev", "hon", "capt", "col", "lt",
                            "sgt", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                            "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri",
                            "sat", "sun", "dept", "univ", "assn", "bros", "est", "u.s", "u.k",
                            "a.m", "p.m", "ph.d", "u.n", "d.c"},
    "fr": _ABBREV_COMMON | {"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "st", "ste", "av", "bd",
                            "env", "p", "t", "c.-à-d", "janv", "févr", "avr", "juil", "sept",
                            "oct", "nov", "déc"},
    "es": _ABBREV_COMMON | {"sr", "sra", "srta", "dr", "dra", "d", "da", "ud", "uds", "lic", "ing",
                            "av", "avda", "pág", "núm", "ee.uu", "ej", "aprox", "tel"},
    "pt": _ABBREV_COMMON | {"sr", "sra", "srta", "dr", "dra", "prof", "profa", "av", "pág", "núm",
                            "ex", "eua", "tel", "apto"},
    "de": _ABBREV_COMMON | {"hr", "fr", "dr", "prof", "bzw", "usw", "z.b", "d.h", "u.a", "ggf",
                            "evtl", "nr", "str", "jh", "ca"},
    "it": _ABBREV_COMMON | {"sig", "sigg", "dott", "prof", "ing", "avv", "pag", "ecc", "es"},
}
_STARTERS_EN = {"The", "A", "An", "It", "In", "This", "That", "These", "Those", "He", "She", "We",
                "They", "I", "But", "And", "If", "As", "On", "At", "For", "However", "There",
                "His", "Her", "Its", "Our", "Their", "When", "What", "Which", "While", "After",
                "Before", "So", "Then", "To", "Of", "With", "By", "From", "Some", "Many", "One"}
CJK_LANGS = {"zh", "ja"}
LATIN_LANGS = set(ABBREVIATIONS) | {"nl", "da", "sv", "no", "fi", "et", "pl", "cs", "sl", "el",
                                    "tr", "ru"}
SUPPORTED_LANGS = tuple(sorted(LATIN_LANGS | CJK_LANGS))


def _is_break(word: str, nxt: str | None, lang: str) -> bool:
    """Does the candidate `word` (ending in . ? or !) end a sentence, given the next token?"""
    if word[-1] in "?!":
        return True
    if word.endswith(".."):  # ellipsis: a break only before a capitalised word
        return bool(nxt) and nxt[:1].isupper()
    body = word[:-1].lstrip("\"'“‘«([{")
    low = body.lower()
    starter = bool(nxt) and nxt.lstrip("\"'“‘«([{") in _STARTERS_EN and lang == "en"
    if low in ABBREVIATIONS.get(lang, _ABBREV_COMMON) or ("." in body and body.replace(".", "").isalpha()):
        return starter
    if _SHORT_CAPS.match(body) and nxt and _SHORT_CAPS_ABBR.match(nxt):  # 'EE. UU.', 'U. S.'
        return False
    if len(body) == 1 and body.isalpha():  # an initial
        return starter
    if _NUMBER.match(body):
        return not (nxt and nxt[:1].islower())
    return True


def split_latin(text: str, lang: str = "en") -> list[str]:
    sentences, start = [], 0
    for m in _END_CONTEXT.finditer(text):
        if m.end() <= start or not _is_break(m.group(), m.group("next"), lang):
            continue
        end = m.end()
        closers = _CLOSERS.match(text, end)
        if closers:
            end = closers.end()
        sentences.append(text[start:end])
        start = m.start("next") if m.group("next") and m.start("next") >= end else end
        while start < len(text) and text[start].isspace():
            start += 1
    sentences.append(text[start:len(text.rstrip())])
    return [s for s in sentences if s] or [""]


_CJK_END = re.compile(r"(?:[。！？!?]+|…{2}|\.{6})[”’」』）)\"']*")


def split_cjk(text: str) -> list[str]:
    sentences, start = [], 0
    for m in _CJK_END.finditer(text):
        sentences.append(text[start:m.end()])
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    sentences.append(text[start:len(text.rstrip())])
    return [s for s in sentences if s] or [""]


def split_sentences(text: str, lang: str = "en") -> list[str]:
    return split_cjk(text) if lang in CJK_LANGS else split_latin(text, lang)
