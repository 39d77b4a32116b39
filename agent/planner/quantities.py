"""The quantity reader: every number in a request, in any form, with its unit and comparator.

`normalize(text)` rewrites numbers into plain digits first (spelled English, Chinese numerals, '2k',
'1.5万', '2,000', '百分之三十', full-width digits), so that `read_quantities(text)` only has to find
digits, their comparator (above / below / at least / between / 超过 / 以下 / 之间 ...) and their unit
(characters, words, pixels, MB, seconds, %, 个字, 像素 ...). Units become the `measure` names that
operator arguments declare, so a quantity can be matched to the argument that takes it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from agent.planner import lexicon as L

Cmp = Literal["ge", "le", "range", "eq", "none"]


@dataclass
class Quantity:
    """A number of the request. `value` for one bound, `low`/`high` for a range; sizes stay strings
    ('10MB'); percentages are ratios with measure 'ratio'."""

    value: float | str | None
    cmp: Cmp
    measure: str | None
    start: int
    end: int
    low: float | str | None = None
    high: float | str | None = None
    dim: str | None = None  # 'width' / 'height' for '224x224'
    percent: bool = False
    text: str = ""
    negated: bool = False  # 'not between', 'outside 0.5 to 2', '在...之外'
    fractions: tuple[str, ...] = ()  # '9/16' as written, beside each of `values`, for arguments that take it so

    @property
    def values(self) -> list:
        return [self.low, self.high] if self.cmp == "range" else [self.value]


# -- normalisation ---------------------------------------------------------------------------------
_FULLWIDTH = {c: chr(c - 0xFEE0) for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) +
              list(range(0xFF41, 0xFF5B))}
_FULLWIDTH.update({ord("％"): "%", ord("＞"): ">", ord("＜"): "<", ord("＝"): "=", ord("．"): ".", ord("～"): "~",
                   ord("－"): "-", ord("×"): "x", ord("＊"): "*", ord("＋"): "+", ord("\u3000"): " ",
                   ord("–"): "-", ord("—"): "-", ord("’"): "'", ord("‘"): "'", ord("“"): '"', ord("”"): '"'})

def as_ascii(text: str) -> str:
    """Full-width letters, digits and signs as ASCII ('＊＊＊' -> '***')."""
    return text.translate(_FULLWIDTH)


_EN_NUM_WORD = "|".join(sorted(list(L.EN_UNITS) + list(L.EN_TENS) + list(L.EN_SCALES), key=len, reverse=True))
SPELLED_RE = re.compile(rf"\b(?:a\s+(?=hundred|thousand|million))?(?:{_EN_NUM_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_EN_NUM_WORD}))*\b",
                        re.I)
FRACTION_RE = re.compile(r"\b(?:" + "|".join(sorted(L.EN_FRACTIONS, key=len, reverse=True)) + r")\b", re.I)
_ZH_NUM_CHARS = "".join(L.ZH_DIGITS) + "".join(L.ZH_SMALL) + "".join(L.ZH_LARGE)
ZH_NUM_RE = re.compile(rf"(?P<pct>百分之)?(?P<num>(?:\d+(?:\.\d+)?)?[{_ZH_NUM_CHARS}]+(?:点[{''.join(L.ZH_DIGITS)}]+)?)")
# '一些', '一下', '统一', '唯一' ...: numeral characters that are not numbers here
ZH_NOT_NUMBER_AFTER = set("些下点致样起遍般直定切旦共种律概贯同并体向边半时再组看眼听齐刀批堆群套哈")
ZH_NOT_NUMBER_BEFORE = set("统唯同单第万逐之某任每这那哪归")
MULT_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(k|K|thousand|mil|million|M|m|bn|billion|w|W)(?![A-Za-z])")
THOUSANDS_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(?![\d])")
ORDINAL_RE = re.compile(r"(?<![\w.])(\d+)(?:st|nd|rd|th)\b", re.I)
ZH_TENTHS_RE = re.compile(r"(?<![统唯同单万逐之某任每这那哪变])([一二两三四五六七八九])成(半)?(?![员本功为绩立果长熟品型像年人不])")  # not '统一成', '一成不变'
ZH_MEGA_RE = re.compile(r"(\d+(?:\.\d+)?)\s*兆(?:字节|B|b)?(?![\u4e00-\u9fff]*赫)")
FPS_RE = re.compile(r"每秒(?:钟)?(?:采|抽|取|截|采样|抽取|取样|截取|抽样)?\s*(?P<a>\d+(?:\.\d+)?)\s*帧|(?P<b>\d+(?:\.\d+)?)\s*frames? (?:per|a|each) second\b", re.I)
PCT_WORD_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:percent|per cent|pct)\b", re.I)


_UNIT_WORDS_EN = "|".join(re.escape(u) + "s?" for u in L.UNITS if re.match(r"[a-z]", u))


def _spelled_value(words: list[str]) -> float | None:
    total, current, seen = 0, 0, False
    for w in words:
        w = w.lower()
        if w in ("a", "and"):
            if w == "a":
                current = current or 1
            continue
        if w in L.EN_UNITS:
            current += L.EN_UNITS[w]
        elif w in L.EN_TENS:
            current += L.EN_TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in L.EN_SCALES:
            total += (current or 1) * L.EN_SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _zh_value(s: str) -> float | None:
    """'两百' -> 200, '1.5万' -> 15000, '三千五' -> 3500, '二十' -> 20, '一二三' -> 123 (digit strings)."""
    m = re.match(r"(\d+(?:\.\d+)?)(.*)$", s)
    if m:  # digits with a Chinese multiplier: '1.5万', '3千'
        rest = m.group(2)
        mult = 1
        for ch in rest:
            mult *= L.ZH_SMALL.get(ch) or L.ZH_LARGE.get(ch) or 1
        return float(m.group(1)) * mult
    if "点" in s:
        whole, frac = s.split("点", 1)
        w = _zh_value(whole) if whole else 0
        if w is None or not all(c in L.ZH_DIGITS for c in frac):
            return None
        return w + float("0." + "".join(str(L.ZH_DIGITS[c]) for c in frac))
    if all(c in L.ZH_DIGITS for c in s) and len(s) > 1:
        if len(s) == 2 and "零" not in s and "〇" not in s:
            return None  # '三四个' is 'three or four', '乱七八糟' no number at all
        return float("".join(str(L.ZH_DIGITS[c]) for c in s))
    total, section, number = 0, 0, 0
    last_unit = 1
    for ch in s:
        if ch in L.ZH_DIGITS:
            number = L.ZH_DIGITS[ch]
        elif ch in L.ZH_SMALL:
            unit = L.ZH_SMALL[ch]
            section += (number or 1) * unit
            number = 0
            last_unit = unit
        elif ch in L.ZH_LARGE:
            section += number
            total += section * L.ZH_LARGE[ch]
            section, number, last_unit = 0, 0, L.ZH_LARGE[ch]
        else:
            return None
    # '三千五' = 3500: a trailing digit after a unit counts in the next lower unit
    if number and last_unit >= 100 and s[-1] in L.ZH_DIGITS and len(s) >= 3 and s[-2] not in L.ZH_DIGITS:
        number *= last_unit // 10
    return float(total + section + number)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(round(v, 10))


_T2S: list = []


def simplified(text: str) -> str:
    """Traditional Chinese read as simplified (OpenCC), so one table of words serves both (Taiwan's words too)."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    if not _T2S:
        import opencc

        _T2S.extend((opencc.OpenCC("t2s"), opencc.OpenCC("tw2sp")))
    plain = _T2S[0].convert(text)
    # a traditional-Chinese request also gets Taiwan's words read as the mainland's ('影片' is '视频', '音訊' is '音频')
    return plain if plain == text else _T2S[1].convert(text)


_ZH_NUMERALS = "一二两三四五六七八九十"
# a character that is no counter, unit or link word: '五花八门' (五 + 花 + 八 + 门) is an idiom, '五秒到八秒' is not
_NOT_UNIT = r"[^\d\s个张条份篇段部首句秒分时帧岁年月天日周点成倍层行列字词位名次遍号元块米克种类项组到至或和及与跟、，,。~～\-]"
_IDIOM_NEXT = rf"{_NOT_UNIT}[{_ZH_NUMERALS}][\u4e00-\u9fff]"
_IDIOM_PREV = rf"[{_ZH_NUMERALS}]{_NOT_UNIT}$"


def _zh_int(s: str) -> str:
    return s if s.isdigit() else _fmt(_zh_value(s))


_SCRIPTS = "|".join(sorted([k for k in L.LANGUAGES if re.search(r"[\u4e00-\u9fff]", k)] + ["汉字", "中文字符"], key=len, reverse=True))


def _range_value(s: str) -> float:
    return float(s) if re.match(r"[\d.]+$", s) else (_zh_value(s) or 0.0)


def normalize(text: str) -> str:
    """Plain digits for every number; full-width characters to ASCII; keeps the text's length
    meaningful for clause splitting (Chinese punctuation is left in place)."""
    t = simplified(text.translate(_FULLWIDTH))
    # '中文以外的字符', '除了汉字之外的字符': what is not of a language or script, said as '非…' like the operators say it
    t = re.sub(rf"(?:除了?\s*)?({_SCRIPTS})\s*(?:以外|之外)的(?:所有|全部|一切)?", r"非\1", t)
    # Wu dialect: '覅' is '不要', '删脱' '删掉', '迭批' '这批' ('其他个覅动': leave the rest alone)
    t = re.sub(r"覅|勿要", "不要", t)
    t = re.sub(r"(?<=[删去扔甩])脱", "掉", t)
    t = re.sub(r"迭(?=[批个些张条])", "这", t)
    t = re.sub(r"(?<=其他|其它|别的|剩下)个(?=[\u4e00-\u9fff])", "的", t)
    # '字儿', '小段儿', '一遍儿': the spoken '儿' after a word adds nothing ('女儿', '儿童' keep theirs)
    t = re.sub(r"(?<=[\u4e00-\u9fff])(?<![女婴幼孤胎健宠患哪这那])儿(?![童歌子科女孙媳戏])", "", t)

    idioms = [(i.start(), i.end()) for i in re.finditer("|".join(L.ZH_NUMERAL_IDIOMS), t)]

    def zh(m: re.Match) -> str:
        s = m.group("num")
        start, end = m.start(), m.end()
        if any(a <= start < b for a, b in idioms):
            return m.group(0)  # '模棱两可': a set phrase, no number
        if s == "一" and (re.match(r"[个张条份篇段部首句]都", t[end:end + 2]) or re.search(r"没有?$", t[max(0, start - 2):start])):
            return m.group(0)  # '一张都别留' is 'not a single one', not the number one
        if s == "一" and (re.match(r"[\u4e00-\u9fff]一", t[end:end + 2]) or re.search(r"一[\u4e00-\u9fff]$", t[max(0, start - 2):start])):
            return m.group(0)  # '一句一条': one item per sentence, no number
        if s == "一" and t[end:end + 1] == "次" and not re.search(r"(?:于|过|少|多|到|足)\s*$", t[max(0, start - 3):start]):
            return m.group(0)  # '只留一次' is 'once', not a bound
        if s == "一" and re.match(r"([\u4e00-\u9fff])\1", t[end:end + 2]):
            return m.group(0)  # '一串串数字', '一条条': strings of, no number
        if s == "一" and re.match(r"大(?:半|堆|批|片|把|串|部分|群|截|多半)", t[end:end + 3]):
            return m.group(0)  # '一大半', '一大堆': 'most of', 'a pile of''
        if len(s) == 1 and (re.match(_IDIOM_NEXT, t[end:end + 3]) or re.search(_IDIOM_PREV, t[max(0, start - 2):start])):
            return m.group(0)  # '五花八门', '七上八下', '四面八方': an idiom, no numbers
        if s == "一" and re.search(r"(?<!至少|最少|最多|至多|起码)(?<![只仅])(?:有|抽到|抽中|抽出|查到|查出|发现|碰到|遇到|出现)$",
                                  t[max(0, start - 4):start]) and \
                re.match(r"[个张帧条段篇句处行]", t[end:end + 1]) and not re.match(r".\s*(?:以上|以下|或)", t[end:end + 4]):
            return m.group(0)  # '只要有一帧的水印概率超过0.5', '只要有一行超过…': 'a frame', 'a line', no count
        if s == "一" and re.search(r"最[\u4e00-\u9fff]{1,4}的$", t[max(0, start - 7):start]) and re.match(r"[个张帧条段篇句]", t[end:end + 1]):
            return m.group(0)  # '按最严重的一帧来算': the one frame, no count
        if s == "一" and re.match(rf"{_NOT_UNIT}{{1,2}}?[就便]", t[end:end + 4]):
            return m.group(0)  # '画面一动就有条纹', '一打开就报错': 'as soon as', no number
        if s == "一" and re.match(r"[个张条份篇段部首句本集帧秒字][\u4e00-\u9fff]{0,4}?都(?:不|别|没)", t[end:end + 9]):
            return m.group(0)  # '一条录音都不能少', '一个字都不能丢': not a single one, no count
        if s == "一" and re.search(r"(?:留|保留|剩|剩下|只要|只取)$", t[max(0, start - 2):start]) and \
                re.match(r"[个条份张篇段部首]", t[end:end + 1]) and not re.match(r".\s*(?:以上|以下|或)", t[end:end + 4]):
            return m.group(0)  # '完全相同的文件只留一个', '重复的句子只留一条': one copy, no count
        if s in ("俩", "仨") and re.search(r"[他她它咱你我们]$", t[max(0, start - 1):start]):
            return m.group(0)  # '他俩', '咱仨': the two of them, no count
        if s in ("两", "二", "俩", "兩") and re.match(r"[个者样種种]?(?:都|也都)", t[end:end + 3]):
            return m.group(0)  # '两个都得有': both, no count
        if s == "一" and (t[start - 1:start] == "不" or (t[start - 1:start] in ("上", "下") and re.match(r"[版次轮步期批个条段]", t[end:end + 1]))):
            return m.group(0)  # '长短不一', '上一版', '下一步': uneven, the previous, the next; no number
        if t[end:end + 1] == "几" and not re.search(r"\d", s):
            return m.group(0)  # '十几列', '二十几个': some ten-odd, a guess rather than a bound
        if s == "一" and t[end:end + 1] == "整":
            return m.group(0)  # '一整本小说': a whole one
        if re.match(r"[十百千万]", s) and re.search(r"[万亿]", s) and re.search(r"几$", t[max(0, start - 1):start]) and \
                not re.search(r"(?:超过|多于|少于|不到|高于|低于|以上|以下|大于|小于)", t[max(0, start - 4):end + 4]):
            return m.group(0)  # '几十万字的小说': how the data is, some tens of thousands, no setting
        if s == "一" and re.search(r"(?:成|为)$", t[max(0, start - 1):start]) and re.match(r"[条个份篇组]", t[end:end + 1]):
            return m.group(0)  # '打包成一条', '合并为一个': into one, no count
        if s == "一" and re.match(r"(?:字不差|字不漏|模一样|丝不差|样|致)", t[end:end + 3]):
            return m.group(0)  # '一字不差', '一模一样': 'word for word', 'identical'
        if len(s) == 1 and s in "壹贰叁肆伍陆柒捌玖拾佰仟" and not re.match(r"\s*[个张条份篇段部秒分帧字词行元万千百十拾佰仟]", t[end:end + 2]):
            return m.group(0)  # '大陆', '肆意': a formal numeral alone, not before a unit, is a word
        if s in ("百", "千", "万", "亿") and not re.search(r"[几上数好近成]$", t[max(0, start - 1):start]):
            return m.group(0)  # '百科', '千篇一律', '百度': a lone unit character is a word, not a number
        if s.endswith("百") and t[end:end + 2] in ("分位", "分点", "分比"):
            return m.group(0)  # '第75百分位' is the 75th percentile, not 7500
        if not re.search(r"\d", s) and not m.group("pct"):
            before = t[start - 1] if start else ""
            after = t[end] if end < len(t) else ""
            if len(s) == 1 and (after in ZH_NOT_NUMBER_AFTER or (before in ZH_NOT_NUMBER_BEFORE and not (
                    before == "每" and s != "一" and re.match(r"\s*(?:秒|分钟|小时|帧|个|张|条|段)", t[end:end + 3])))):  # '每五秒'
                return m.group(0)
            if s in ("万一", "千万", "一一") or (s[0] == "一" and after in ZH_NOT_NUMBER_AFTER):
                return m.group(0)
        if len(s) == 2 and all(c in L.ZH_DIGITS for c in s) and L.ZH_DIGITS[s[1]] == L.ZH_DIGITS[s[0]] + 1 and \
                re.match(r"\s*(?:[个秒天张条次段篇帧位名字词行句部首年周月]|分钟|小时|G|M|K|万|千|百)", t[end:end + 3]):
            return f"{L.ZH_DIGITS[s[0]]}~{L.ZH_DIGITS[s[1]]}"  # '一两秒', '三四个': 'one or two seconds'
        v = _zh_value(s)
        if v is None:
            return m.group(0)
        return _fmt(v) + ("%" if m.group("pct") else "")

    t = re.sub(r"\b(?:a|one|an)\s+(minute|hour)\s+and\s+a\s+half\b",
               lambda m: "90 seconds" if m.group(1).lower() == "minute" else "5400 seconds", t, flags=re.I)
    t = re.sub(r"(?<=\band\s)(?:an|a)\s+(hour|minute)\b", r"1 \1", t, flags=re.I)  # 'between ten minutes and an hour'
    t = re.sub(r"\b(than|over|under|past|beyond|exceeding|least|most|within)\s+(?:an|a)\s+(hour|minute)\b", r"\1 1 \2",
               t, flags=re.I)  # 'longer than a minute'
    t = re.sub(r"\bhalf\s+(?:a|an)\s+(minute|hour)\b", lambda m: "30 seconds" if m.group(1).lower() == "minute" else
               "1800 seconds", t, flags=re.I)  # 'longer than a minute and a half' is 90 s
    # 'longer than a quarter of an hour' is 900 s, 'three quarters of a minute' 45 s; '一刻钟' is 15 minutes
    t = re.sub(r"\b(a|one|three)\s+quarters?\s+of\s+(?:a|an)\s+(second|minute|hour)\b",
               lambda m: f"{_fmt((3 if m.group(1).lower() == 'three' else 1) * {'second': 0.25, 'minute': 15, 'hour': 900}[m.group(2).lower()])} seconds",
               t, flags=re.I)
    t = re.sub(r"\b([A-Za-z][A-Za-z_]{0,15})\s+equals\s+(?=[\d-]|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a hundred|one hundred)",
               r"\1=", t)  # 'with f equals one hundred' is the option f=100
    t = re.sub(r"(?:一|1)刻钟", "15分钟", t)
    t = re.sub(r"(?:三|3)刻钟", "45分钟", t)
    t = re.sub(r"(?<![\d一二两三四五六七八九十个])半(个)?(小时|分钟)", lambda m: "30分钟" if m.group(2) == "小时" else "30秒", t)
    t = re.sub(r"(?<![\d一二两三四五六七八九十个])半秒", "0.5秒", t)  # '不到半秒
    # 'the median' is the 50th percentile (said with other percentiles)
    if re.search(r"percentile|百分位", t, re.I):
        t = re.sub(r"\b(?:the\s+)?median\b", "the 50th percentile", t, flags=re.I)
        t = re.sub(r"中位数", "第50百分位", t)
    t = re.sub(r"\b(longer|shorter|more|less|fewer|bigger|smaller|larger|higher|lower|wider|taller|greater)\s+then\b", r"\1 than", t,
               flags=re.I)  # a common typo
    t = re.sub(r"(?<![A-Za-z])w/(?=\s)", "with", t)  # 'w/ nr=20'
    # a shopping list's '- 1x dedup', '- 0x anything else': one of it, none of it (no number of the step's)
    t = re.sub(r"(?m)^(\s*(?:[-•*+]\s*)?)1\s*[x×]\s+(?=[A-Za-z\u4e00-\u9fff])", r"\1", t)
    t = re.sub(r"(?m)^(\s*(?:[-•*+]\s*)?)0\s*[x×]\s+(?=[A-Za-z\u4e00-\u9fff])", r"\1no ", t)
    # 'a chunk of the crawl is spam' is a part of it, no chunking
    t = re.sub(r"\b(a|one|another)\s+(?:big\s+|large\s+|good\s+|huge\s+|sizable\s+|decent\s+|small\s+)?chunk of\b", r"\1 part of", t, flags=re.I)
    # 'delete single-letter words': words shorter than two characters
    t = re.sub(r"\b(?:single|one|1)[- ](?:letter|character|char)\s+words\b", "words shorter than 2 characters", t, flags=re.I)
    # '720p' ('720p以内': a space before the Chinese that follows, so 'tall' stays a word of its own)
    t = re.sub(r"(?<![A-Za-z0-9_.])(240|360|480|540|720|1080|1440|2160)[pP](?![A-Za-z0-9])",
               lambda m: m.group(1) + " pixels tall" + (" " if re.match(r"[\u4e00-\u9fff]", t[m.end():m.end() + 1]) else ""), t)
    t = re.sub(r"(?<![A-Za-z0-9_.])([48])[kK](?=\s*(?:(?:以上|以下|及以上|及以下|or (?:more|higher|above))\s*)?的?\s*(?:视频|影片|画质|分辨率|素材|画面|片源|video|footage|clip|resolution|UHD|master))",
               lambda m: ("2160" if m.group(1) == "4" else "4320") + " pixels tall" +
               ("" if re.match(r"\s*(?:以上|以下|及|or\b)", t[m.end():]) else " or more") + " ", t)
    # ('4K 视频' is a resolution, 2160 pixels tall or more, not 4000)
    t = re.sub(r"一半(?!以)", "0.5", t)  # '超过一半' is more than 0.5
    t = re.sub(r"(?<![百千万\d])([二两三四五六七八九十]|\d+)分之([一二两三四五六七八九十\d.]+)",  # '四分之一' is 25%
               lambda m: _fmt(round((_zh_value(m.group(2)) if not re.match(r"[\d.]+$", m.group(2)) else float(m.group(2))) * 100 /
                                    (_zh_value(m.group(1)) if not m.group(1).isdigit() else float(m.group(1))), 4)) + "%", t)
    t = re.sub(r"千分之([一二两三四五六七八九十\d.]+)",  # '千分之五' is 0.5%
               lambda m: _fmt((_zh_value(m.group(1)) if not re.match(r"[\d.]+$", m.group(1)) else float(m.group(1))) / 10) + "%", t)
    t = re.sub(r"([一二两三四五六七八九])成([一二三四五六七八九])(?![十百千万成])",  # 四成五 = 45%
               lambda m: _fmt(_zh_value(m.group(1)) * 10 + _zh_value(m.group(2))) + "%", t)
    t = ZH_TENTHS_RE.sub(lambda m: _fmt(_zh_value(m.group(1)) * 10 + (5 if m.group(2) else 0)) + "%", t)  # 三成 = 30%, 三成半 = 35%
    t = re.sub(r"(?<![\d一二两三四五六七八九十])([一二两三四五六七八九十]{1,3}|\d+)\s*比\s*([一二两三四五六七八九十]{1,3}|\d+)(?![\d一二两三四五六七八九十])",
               lambda m: f"{_zh_int(m.group(1))}:{_zh_int(m.group(2))}", t)  # '三比四', '16比9': an aspect ratio
    # '三到五千': the multiplier said once, after the second number, is both numbers' own (in Chinese; '16 to 32k
    # tokens' may mean 16)
    t = re.sub(r"(?<![\d.一二两三四五六七八九十])([一二两三四五六七八九]|\d{1,3}(?:\.\d+)?)\s*(到|至|~|～|-)\s*([一二两三四五六七八九]|\d{1,3}(?:\.\d+)?)\s*([千万])",
               lambda m: f"{m.group(1)}{m.group(4)}{m.group(2)}{m.group(3)}{m.group(4)}"
               if _range_value(m.group(1)) < _range_value(m.group(3)) else m.group(0), t)
    t = ZH_NUM_RE.sub(zh, t)
    # ('the rectangle 20,20,220,90' is a region of four numbers, no thousands)
    regions = [(r.start(), r.end()) for r in re.finditer(r"(?<![\d.,])\d*\.?\d+(?:\s*,\s*\d*\.?\d+){3}(?![\d.,]*\d)", t)]
    t = THOUSANDS_RE.sub(lambda m: m.group(0) if any(a <= m.start() < b for a, b in regions) else m.group(1).replace(",", ""), t)
    t = re.sub(r"(?<![\d.])(\d+)\s*(秒|分钟|小时)半", lambda m: f"{int(m.group(1))}.5{m.group(2)}", t)  # '两秒半' = 2.5 秒
    t = re.sub(r"(?<![\d.])(\d+)\s*分半(?:钟)?", lambda m: f"{int(m.group(1))}.5分钟", t)  # '一分半钟' = 1.5 分钟
    t = re.sub(r"(?<![\d.])(\d+)\s*个半(小时|月)", lambda m: f"{int(m.group(1))}.5{m.group(2)}", t)  # '一个半小时'
    # '宽度超过高度四倍', 'wider than 4 times its height': an aspect ratio (width / height) said as a multiple
    t = re.sub(r"宽度?(超过|大于|高于|多于|超出|不超过|不到|小于|低于)高度?的?\s*(\d+(?:\.\d+)?)\s*倍", r"宽高比\1\2", t)
    t = re.sub(r"高度?(超过|大于|高于|多于|超出)宽度?的?\s*(\d+(?:\.\d+)?)\s*倍",
               lambda m: f"宽高比低于{_fmt(round(1 / float(m.group(2)), 4))}" if float(m.group(2)) else m.group(0), t)
    t = re.sub(r"\b(?:width\s+(?:is\s+)?(more than|over|greater than|above|at least|at most|less than|under|exceeds|exceeding)|(wider than))\s+"
               r"(\d+(?:\.\d+)?)\s*(?:times|x)\s+(?:the|its|their)\s+height\b",
               lambda m: f"aspect ratio {m.group(1) or 'more than'} {m.group(3)}", t, flags=re.I)

    def as_wide_as_tall(m: re.Match) -> str:  # 'more than 2.5x as wide as they are tall', 'twice as tall as wide'
        cmp, n, dim = m.group(1) or "", 2.0 if m.group(2).lower() == "twice" else float(m.group(2)), m.group(3).lower()
        if dim == "wide":
            return f"aspect ratio {cmp or 'of'} {_fmt(n)}"
        flipped = {"more than": "less than", "over": "under", "at least": "at most", "at most": "at least",
                   "less than": "more than", "under": "over", "up to": "at least"}.get(cmp.lower(), cmp)
        return f"aspect ratio {flipped or 'of'} {_fmt(round(1 / n, 4))}" if n else m.group(0)
    t = re.sub(r"\b(?:(more than|over|at least|at most|less than|under|up to)\s+)?(\d+(?:\.\d+)?|twice)\s*(?:times|x)?\s+"
               r"as\s+(wide|tall|high)\s+as\s+(?:(?:it|they)\s+(?:is|are)\s+)?(?:tall|high|wide)\b", as_wide_as_tall, t, flags=re.I)

    def spelled(m: re.Match) -> str:
        parts = re.split(r"\s+and\s+", m.group(0))
        if len(parts) == 2:
            big = lambda ws: max([L.EN_SCALES.get(w.lower(), 1) for w in re.split(r"[\s-]+", ws)])  # noqa: E731
            if big(parts[1]) >= big(parts[0]) > 1 or (big(parts[0]) == 1 and big(parts[1]) >= 1):
                return " and ".join(spelled(re.match(r".+", p)) for p in parts)
        words = re.split(r"[\s-]+", m.group(0))
        v = _spelled_value(words)
        if v is None or (len(words) == 1 and words[0].lower() == "one" and
                         (not re.match(rf"\s*(?:%|percent|{_UNIT_WORDS_EN})\b", t[m.end():], re.I) or
                          re.search(r"\b(?:not|no|every|each|any|this|that|which|into)\s+$", t[:m.start()], re.I) and not re.match(r"\s+\w+\s+per\b", t[m.end():], re.I))):  # 'Not one doc', 'into one sample'
            return m.group(0)
        return _fmt(v)

    t = SPELLED_DECIMAL_RE.sub(_spelled_decimal, t)  # 'radius four point nine', 'zero point five'
    t = re.sub(r"\b(?:one|an?)\s+and\s+a\s+half\b", "1.5", t, flags=re.I)
    # 'a dozen' is 12, 'half a dozen' 6; 'a couple hundred' 200, 'a couple of seconds' 2 seconds
    t = re.sub(r"\bhalf\s+a\s+dozen\b", "6", t, flags=re.I)
    t = re.sub(r"\b(?:a|one)\s+dozen\b", "12", t, flags=re.I)
    t = re.sub(rf"\ba\s+couple\s+(?:of\s+)?(?=(?:hundred|thousand|million|{_UNIT_WORDS_EN})\b)", "two ", t, flags=re.I)
    t = SPELLED_RE.sub(spelled, t)
    t = re.sub(r"(?<![\d.])(\d+)\s+dozen\b", lambda m: str(int(m.group(1)) * 12), t, flags=re.I)  # 'two dozen'
    t = re.sub(r"(?<![\d.])(\d+)\s+(seconds|minutes|hours)\s+and\s+a\s+half\b", r"\1.5 \2", t, flags=re.I)
    t = re.sub(r"(?<![\d.])(\d+)\s+and\s+a\s+half\b", lambda m: m.group(1) + ".5", t, flags=re.I)  # 'two and a half'
    t = re.sub(r"\ba (random|rough|small|fair|good) (half|third|quarter|fifth|tenth|hundredth)\b", r"\1 a \2", t, flags=re.I)  # 'a random tenth'
    t = FRACTION_RE.sub(lambda m: _fmt(L.EN_FRACTIONS[m.group(0).lower()]), t)
    # 'half a second', 'a tenth of a second', 'half a megabyte': the fraction of one unit
    t = re.sub(rf"(?<![\d.])(0\.\d+)\s+(?:of\s+)?(?:a|an|one)\s+({_UNIT_WORDS_EN}|{L.SIZE_UNITS})\b",
               lambda m: f"{m.group(1)} " + (m.group(2) if re.match(r"[KMGTP]i?[Bb]$", m.group(2)) else m.group(2).rstrip("s") + "s"),
               t, flags=re.I)

    def mult(m: re.Match) -> str:
        num, suffix = float(m.group(1)), m.group(2)
        after = t[m.end():m.end() + 3]
        if suffix in ("M", "m") and re.match(r"\s*(?:B|b|iB)", after):
            return m.group(0)
        if suffix in ("m",) and not re.match(r"\s*(?:samples?|docs?|rows?|records?|examples?|texts?|$)", t[m.end():]):
            return m.group(0)  # '10m' is ten metres or minutes more often than ten million
        scale = {"k": 1e3, "K": 1e3, "thousand": 1e3, "mil": 1e6, "million": 1e6, "M": 1e6, "m": 1e6,
                 "bn": 1e9, "billion": 1e9, "w": 1e4, "W": 1e4}[suffix]
        return _fmt(num * scale)

    t = MULT_RE.sub(mult, t)
    t = IN_EVERY_RE.sub(_in_every, t)  # '1 in 100 words' is 1%
    t = re.sub(r"\b(before|after|since)\s+(?=(?:19|20)\d\d\b(?![\d.%]))",  # 'before 2015': a year compared
               lambda m: {"before": "earlier than ", "after": "later than ", "since": "at least "}[m.group(1).lower()],
               t, flags=re.I)
    t = PCT_WORD_RE.sub(lambda m: m.group(1) + "%", t)
    t = ORDINAL_RE.sub(lambda m: m.group(1), t)
    t = ZH_MEGA_RE.sub(lambda m: m.group(1) + "MB", t)  # '三十兆' is 30 MB
    t = _clock_durations(t)  # 'longer than 1:42 (minutes:seconds)' is 102 seconds
    t = FPS_RE.sub(lambda m: (m.group("a") or m.group("b")) + " fps", t)  # '每秒采四帧', '4 frames per second'
    # '一小时零五分钟' is 65 minutes, '2分30秒' 150 seconds, 'an hour and 5 minutes', '1h05m'
    for rx, unit in COMPOUND_DURATIONS:
        t = rx.sub(lambda m, unit=unit: f"{_fmt(int(m.group(1)) * 60 + float(m.group(2)))}{unit}", t)
    return t


_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
SPELLED_DECIMAL_RE = re.compile(rf"\b(?:(?P<whole>{_EN_NUM_WORD})(?:[\s-]+(?:{_EN_NUM_WORD}))*\s+)point\s+"
                                rf"(?P<frac>{_DIGIT_WORD}(?:[\s-]+{_DIGIT_WORD})*)\b", re.I)


def _spelled_decimal(m: re.Match) -> str:
    """'four point nine' -> 4.9, 'zero point zero five' -> 0.05, 'twenty one point five' -> 21.5."""
    head = m.group(0)[:m.start("frac") - m.start()]
    whole = _spelled_value(re.split(r"[\s-]+", re.sub(r"\s*point\s*$", "", head, flags=re.I).strip()))
    digits = [0 if w.lower() == "oh" else L.EN_UNITS[w.lower()] for w in re.split(r"[\s-]+", m.group("frac"))]
    if whole is None:
        return m.group(0)
    return _fmt(float(f"{int(whole)}." + "".join(str(d) for d in digits)))


# 'longer than 1:42 (minutes:seconds)', 'runs past 1:05:30': a clock-style duration, when the text says it is one
_CLOCK_RE = re.compile(r"(?<![\d.:/])(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?![\d:/])")
_CLOCK_SAID_RE = re.compile(r"\b(?:minutes?\s*:\s*seconds?|mins?\s*:\s*secs?|m{1,2}:ss|h{1,2}:mm(?::ss)?|hours?\s*:\s*minutes?)\b|分[:：]秒", re.I)
_DURATION_BEFORE_RE = re.compile(r"(?:\b(?:longer|shorter|lasts?|lasting|runs?|running|runtime|duration|play(?:s|ing)?\s+for|length)\b"
                                 r"[^.;:\d]{0,20}|时长[^。；;\d]{0,8}|(?:长于|短于|播放)[^。；;\d]{0,4})$", re.I)


def _clock_durations(t: str) -> str:
    said = bool(_CLOCK_SAID_RE.search(t))

    def sub(m: re.Match) -> str:
        if not (m.group(3) or said or _DURATION_BEFORE_RE.search(t[max(0, m.start() - 40):m.start()])):
            return m.group(0)  # '16:10' is an aspect ratio, '9:30' a time of day
        if m.group(3):
            return f"{int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))} seconds"
        return f"{int(m.group(1)) * 60 + int(m.group(2))} seconds"
    return _CLOCK_RE.sub(sub, t)


# a duration said in two units: the larger one (hours, minutes) and the rest, written in the smaller one
COMPOUND_DURATIONS = [
    (re.compile(r"(?<![\d.])(\d+)\s*(?:个)?小时\s*(?:零|又)?\s*(\d+)\s*分(?:钟)?(?![之数])"), "分钟"),
    (re.compile(r"(?<![\d.])(\d+)\s*分(?:钟)?\s*(?:零|又)?\s*(\d+(?:\.\d+)?)\s*秒"), "秒"),
    (re.compile(r"(?<![\d.])(\d+)\s*(?:hours?|hrs?|h)\s*(?:and\s+)?(\d+)\s*(?:minutes?|mins?|m)\b", re.I), " minutes"),
    (re.compile(r"(?<![\d.])(\d+)\s*(?:minutes?|mins?|m)\s*(?:and\s+)?(\d+(?:\.\d+)?)\s*(?:seconds?|secs?|s)\b", re.I), " seconds"),
]


# -- reading -----------------------------------------------------------------------------------------
NUM = r"\d+(?:\.\d+)?|\.\d+"
_UNIT_ALT = "|".join(sorted((re.escape(u) + ("(?:e?s)?" if re.match(r"[a-z]", u) else "") for u in L.UNITS),
                            key=len, reverse=True))
UNIT_AFTER_RE = re.compile(rf"\s*-?\s*(?:个|位|张)?\s*(?:[A-Za-z]+ly\s+)?(?:[A-Za-z]+(?:ed|en)\s+)?(?P<unit>{_UNIT_ALT})(?![A-Za-z])", re.I)
SIZE_AFTER_RE = re.compile(rf"\s*(?P<size>{L.SIZE_UNITS})(?![A-Za-z])")
PCT_AFTER_RE = re.compile(r"\s*%")
DIM_RE = re.compile(rf"(?P<w>{NUM})\s*(?:x|\*|by)\s*(?P<h>{NUM})(?:\s*(?:px|pixels?|像素))?", re.I)
FILLER = r"(?:\s*(?:about|around|roughly|approximately|approx\.?|some|~|约|大约|大概|左右|a|an|the|只能有|只能|能有|可以有|可以|允许到|允许|" \
         r"也就|只有|要|得|须|有|了|能|到|(?:(?<=than )|(?<=above )|(?<=below )|(?<=under )|(?<=over )|(?<=beyond ))(?:an?|the)\s+[a-z]+(?:[\s-][a-z]+)?\s+of|" \
         r"(?:整张图片?|整张图像|整幅图|整个画面|画面|全图|整张|全文|整篇|总面积|总长度?|总时长|总数)的?)\s*)*"  # '不高于整张图的一半'

GE_BEFORE_RE = re.compile(rf"(?:{L.alternation(L.GE_BEFORE)})\s*(?:是|为)?{FILLER}\s*$", re.I)  # ('及格线是 0.5')
LE_BEFORE_RE = re.compile(rf"(?:{L.alternation(L.LE_BEFORE)})\s*(?:是|为)?{FILLER}\s*$", re.I)  # ('及格线是 0.5')
# 'no images taller than ...', 'make sure no sample has more than ...': the subject is negated
NO_SUBJECT_RE = re.compile(r"\b(?:nothing|none|not (?:a )?single|not one|not any)\b(?!\s+(?:except|but|apart from|other than|besides|save)\b)|\b(?:no|none of the)\s+(?!more\b|less\b|fewer\b|longer\b|larger\b|bigger\b|greater\b|higher\b|"
                           r"lower\b|shorter\b|smaller\b|wider\b|taller\b|later\b)[a-z]+\b|(?:(?<!有)没有(?!办法)|不能有|不得有)", re.I)  # ('有没有办法' asks)
RATIO_WORDS_RE = re.compile(r"ratio|share|proportion|fraction|rate|percent|占比|比例|比率|比重|率", re.I)
EQ_BEFORE_RE = re.compile(rf"(?:{L.alternation(L.EQ_BEFORE)})\s*$", re.I)
_NOT_NEXT = r"(?!\s*(?:than|than or equal|to|of)?\s*\d)(?!\s*than\b)"
GE_AFTER_RE = re.compile(rf"^\s*(?:{L.alternation(L.GE_AFTER)}){_NOT_NEXT}", re.I)
LE_AFTER_RE = re.compile(rf"^\s*(?:{L.alternation(L.LE_AFTER)}){_NOT_NEXT}", re.I)
SIZE_ADJ_RE = re.compile(r"\s*(?:long|tall|wide|high|big|large|in length|in size|in total|"
                         r"of (?:the |a |an |its |their |each )?[a-z]+)\b", re.I)  # '5% of the picture or less'
NEGATION_RE = re.compile(r"(?:(?:\b(?:no|not|never|cannot|neither|nor)|n't)\s*(?:even\s+)?(?:(?:be|drop|fall|go|get|dip|sink|rise|climb|run|last|stretch|grow|"
                         r"reach|stay|have|contain|take|span|measure|weigh|use|score|rate)\s+)?|不能|不得|不可|不应|不要|别|没有|没|不)\s*$", re.I)
RANGE_MID = r"\s*(?:-|~|up to|to|and|through|至|到|和|与|–)\s*(?:the\s+|第)?"
RANGE_RE = re.compile(rf"(?P<pre>between|from|range of|in the range|介于|在|从)?\s*(?:the\s+)?(?<![A-Za-z0-9_.#/])(?P<a>(?:(?<![\w.-])-)?(?:{NUM}))(?P<ua>\s*%|{UNIT_AFTER_RE.pattern}|{SIZE_AFTER_RE.pattern})?"
                      rf"(?P<mid>{RANGE_MID})(?P<b>(?:(?<=\s)-)?(?:{NUM}))", re.I)  # ('from -0.2 to 0.2': a sign after a space)
UNIT_BEFORE_RE = re.compile(rf"(?:(?:number|num|count) of\s+(?P<unit2>{_UNIT_ALT})(?![A-Za-z_])|(?<![A-Za-z_])(?P<unit>{_UNIT_ALT})(?![A-Za-z_])"
                            rf"\s*(?:count|counts|number|num|数|数量|总数))[^\d,，;；]{{0,12}}$", re.I)


# a comparison that points back at the number just said: 'context is 4096 tokens, so anything longer than that'
_LINE_NOUNS = r"(?:limit|cap|line|threshold|cutoff|cut-off|cut off|mark|bar|yardstick|budget|ceiling|floor|red line|minimum|maximum)"
_ZH_LINE_NOUNS = r"(?:这条|这道|这个|那条|那道)?(?:红线|底线|天花板|上限|下限|保底线|保底|门槛|分界线|界线|标准线|标准|及格线|录取线|分数线|警戒线|线)"
BACK_REFERENCE_RE = re.compile(
    r"[^.;!?。；！？\d]{0,60}?(?:(?P<ge>\b(?:longer|more|bigger|larger|higher|greater|heavier|wider|taller)\s+than|"
    r"\b(?:over|above|beyond|past|exceeding|overspend\w*|exceed\w*|go(?:es)? over|go(?:es)? past|cross(?:es|ed)?|clear(?:s|ed)?|"
    r"break(?:s)?|top(?:s|ped)?)|超过|高于|大于|多于|长于|超出了?|越过|顶破|突破|冲破|高出)|(?P<le>\b(?:shorter|less|fewer|smaller|lower|"
    r"lighter|narrower)\s+than|\b(?:under|below|beneath|fall(?:s|ing)? short of|miss(?:es)?|knock(?:s|ed)?)|低于|小于|少于|短于|不到|"
    r"不足|够不到|达不到|够不着|跌破))\s*(?:(?:that|this|it)\b(?:\s+(?:limit|cap|line|bar|budget|threshold|mark))?|这个数?|这|它|此|"
    rf"(?:the|our|that|this)\s+{_LINE_NOUNS}\b|{_ZH_LINE_NOUNS})|"
    # '界线以下的文本扔掉', '红线以上的': the side of the line just said
    rf"[^.;!?。；！？\d]{{0,20}}?{_ZH_LINE_NOUNS}(?:(?P<le5>以下|之下|下面)|(?P<ge5>以上|之上|上面))|"
    r"[^.;!?。；！？\d]{0,30}?比(?:这个数?|这|它|此)(?:还|更)?(?:(?P<le2>短|少|低|小|窄|轻)|(?P<ge2>长|多|高|大|宽|重))|"  # '比这个还短'
    # '超了就是水文，不收', 'Everything that can't manage that … is gone': past the line, or short of it, said without a number
    r"\s*(?:(?P<ge3>超了|超过了|超出了|超标了?|一旦超了?|过了线|超速|超限|超载|越线|[^，。；\d]{0,8}?偏高的?|[^，。；\d]{0,6}?在线上的?)|(?P<le3>不够的|不及格的|不合格的|没及格的|够不上的|没到的|没达到的|达不到的|不到的|没过线的|[^，。；\d]{0,8}?偏低的?|[^，。；\d]{0,6}?线下的?))|"
    r"[^.;!?。；！？\d]{0,40}?(?P<le6>\b(?:(?:the|those|any|all)\s+(?:[a-z]+\s+)?(?:failing|failed)|(?:those|ones|any) that fail(?:ed)?)\b)|"  # 'the pass mark is 0.6; drop the failing ones'
    r"[^.;!?。；！？\d]{0,40}?(?P<le4>\b(?:can'?t|cannot|can not|doesn'?t|does not|don'?t|do not|fails? to|won'?t|couldn'?t)\s+"
    r"(?:manage|reach|meet|make|hit|clear|match|get to)\s+(?:that|this|it)\b)", re.I)


def _unit_measure(word: str) -> tuple[str | None, float]:
    w = word.lower().strip()
    for cand in (w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w):
        if cand in L.UNITS:
            return L.UNITS[cand], float(L.TIME_SCALE.get(cand, 1))
    return None, 1.0


def _size_text(num: str, unit: str) -> str:
    u = unit.strip()
    low = u.lower()
    for word, short in L.SIZE_WORDS.items():
        if low.rstrip("s") == word.rstrip("s") and len(low) > 2:
            u = short
            break
    else:
        if low in ("k", "m", "g"):
            u = L.SIZE_WORDS[low]
        elif re.fullmatch(r"[KMGTPkmgtp]i[Bb]", u):
            u = u[0].upper() + "iB"
        elif re.fullmatch(r"[KMGTPkmgtp][Bb]", u):
            u = u[0].upper() + "B"
    return f"{_fmt(float(num))}{u}"


def _unit_after(text: str, pos: int) -> tuple[str | None, float, int, str | None]:
    """(measure, scale, end, size-unit) of the unit right after a number at `pos` ('50+ words' too)."""
    plus = re.match(r"\s*\+(?=\s*[A-Za-z\u4e00-\u9fff])", text[pos:])
    if plus:
        meas, scale, end, size = _unit_after(text, pos + plus.end())
        if meas:
            return meas, scale, end, size
    m = PCT_AFTER_RE.match(text, pos)
    if m:
        return "ratio", 0.01, m.end(), None
    m = SIZE_AFTER_RE.match(text, pos)
    if m:
        return "bytes", 1.0, m.end(), m.group("size")
    m = UNIT_AFTER_RE.match(text, pos)
    if m:
        meas, scale = _unit_measure(m.group("unit"))
        if meas:
            return meas, scale, m.end(), None
    return None, 1.0, pos, None


_GREATER_ADJ, _LESSER_ADJ = "长大多高宽重晚粗厚快胖", "短小少低窄矮轻早细瘦薄慢"
_COMPARED_ADJ_RE = re.compile(rf"\s*(?:还要|还|更|要)?\s*(?P<adj>[{_GREATER_ADJ}{_LESSER_ADJ}])")


def _comparator(text: str, start: int, end: int, lo: int, num_end: int | None = None) -> tuple[Cmp, int, int]:
    before = text[max(lo, start - 40):start]
    if WINDOW_AFTER_RE.match(text[end:end + 24]):
        return "none", start, end  # 'counted over 5-word n-grams': the size of what is counted, no bound
    for pos in ([num_end] if num_end is not None and num_end != end else []) + [end]:
        after = text[pos:pos + 40]
        adj = SIZE_ADJ_RE.match(after)  # '12 seconds long or less', '1080 pixels tall minimum'
        if adj and (LE_AFTER_RE.match(after[adj.end():]) or GE_AFTER_RE.match(after[adj.end():])):
            pos, after = pos + adj.end(), after[adj.end():]
        # '绝不能比百分之十五高': a negation before 比 turns the comparison after the number around
        turned = bool(re.search(r"(?:不能|不得|不可|不应|不要|别|不)\s*比\s*$", before))
        m = _COMPARED_ADJ_RE.match(after) if re.search(r"比\s*$", before) else None
        if m:  # '比十秒短的', '比二十秒还长的': a comparison with the number, said by its adjective
            ge = m.group("adj") in _GREATER_ADJ
            return ("le" if ge == turned else "ge"), start, max(end, pos + m.end())
        m = LE_AFTER_RE.match(after)
        if m:
            return ("ge" if turned else "le"), start, max(end, pos + m.end())
        m = GE_AFTER_RE.match(after)
        if m and not (m.group(0).strip() == "多" and re.match(r"多(?:于|於)", after.strip())):
            return ("le" if turned else "ge"), start, max(end, pos + m.end())
    found = [(m.start(), -len(m.group(0)), cmp) for cmp, rx in (("le", LE_BEFORE_RE), ("ge", GE_BEFORE_RE), ("eq", EQ_BEFORE_RE))
             for m in [rx.search(before)] if m]
    if found:
        pos, _, cmp = min(found)  # the longest phrase: 'no lower than' over 'lower than', 'over before' over 'over'
        if cmp in ("ge", "le") and (NEGATION_RE.search(before[:pos]) or NO_SUBJECT_RE.search(text[lo:start - (len(before) - pos)])):
            cmp = "le" if cmp == "ge" else "ge"  # "shouldn't exceed", '不能超过', 'no document should exceed'
        return cmp, start - (len(before) - pos), end
    return "none", start, end


WINDOW_AFTER_RE = re.compile(r"\s*-?\s*(?:n-?grams?|grams?|shingles?|元组|元语法)\b", re.I)
IN_EVERY_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|one|an?)\s+(?:(?P<noun>recordings?|clips?|samples?|images?|photos?|videos?|files?|texts?|documents?|docs?|posts?)\s+)?(?:in|out of)\s+(?:every\s+|each\s+)?(\d+)(?![\d.])(?!\s*%)", re.I)


def _in_every(m: re.Match) -> str:
    """'one in a hundred', '3 out of 1000': a share, said as a count in a count."""
    n = 1.0 if not m.group(1)[0].isdigit() else float(m.group(1))
    d = float(m.group(3))
    noun = m.group("noun")  # ('3 recordings in 10': a share of the samples)
    return _fmt(round(n * 100 / d, 6)) + "%" + (f" of the {noun if noun.endswith('s') else noun + 's'}" if noun else "") \
        if d >= 2 and n < d else m.group(0)


def _num(s: str, scale: float) -> float:
    v = float(s) * scale
    return round(v, 10)


_FRAC = r"\d+(?:\.\d+)?\s*[/:]\s*\d+(?:\.\d+)?"
SLASH_FRACTION_RE = re.compile(rf"(?<![A-Za-z0-9_./:]){_FRAC}(?![A-Za-z0-9_/:]|\.\d)")
SLASH_RANGE_RE = re.compile(rf"(?P<pre>between|from|介于|在|从)?\s*(?<![A-Za-z0-9_./:])(?P<a>{_FRAC})"
                               rf"(?P<mid>{RANGE_MID}|\s*up to\s*)(?P<b>{_FRAC})(?![A-Za-z0-9_/:]|\.\d)", re.I)


_RANGE_NOT_BEFORE_RE = re.compile(r"(?:\bnot|\boutside(?: of)?|\bout of|\bbeyond|\bexcept)\s*(?:the\s+)?(?:range\s+)?(?:of\s+)?"
                                  r"(?:between\s+)?$|不在\s*$", re.I)
_RANGE_NOT_AFTER_RE = re.compile(r"\s*(?:以外|之外|范围外|范围以外)")


def _range_negated(text: str, start: int, first: int, end: int) -> tuple[bool, int]:
    """Whether a range is negated ('not between', 'outside', '不在…之间' - the '在' may be the range's own -
    or '…以外'), and the range's end past such a suffix."""
    after = _RANGE_NOT_AFTER_RE.match(text, end)
    return bool(_RANGE_NOT_BEFORE_RE.search(text[max(0, start - 24):first]) or after), (after.end() if after else end)


def _fraction(text: str) -> float:
    a, b = re.split(r"\s*[/:]\s*", text.strip())
    return round(float(a) / float(b), 6) if float(b) else float("inf")


def _frac_text(text: str) -> str:
    return re.sub(r"\s*[/:]\s*", "/", text.strip())


QUOTED_PHRASE_RE = re.compile(r'"(?=[^"]*[^\W\d_])[^"]*\s[^"]*"|“(?=[^”]*[^\W\d_])[^”]*\s[^”]*”|「(?=[^」]*[^\W\d_])[^」]{3,}」|'
                              r'『(?=[^』]*[^\W\d_])[^』]{3,}』')


def read_quantities(text: str) -> list[Quantity]:
    """Every quantity of an already `normalize`d text, in order of appearance."""
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    # a quoted phrase ('rarely says more than "great, five stars"') is words the user quotes, not a setting
    taken.extend(m.span() for m in QUOTED_PHRASE_RE.finditer(text))
    taken.extend(m.span() for m in re.finditer(r"\b[a-z][a-z0-9+.-]*://\S+", text, re.I))  # 'redis://10.2.0.7:6379' holds no setting
    # a file's name ('clip_final(1).mp4', 'IMG_0042.jpg') holds no setting
    taken.extend(m.span() for m in re.finditer(
        r"(?<![\w.])[\w()\-]*\d[\w()\-]*\.(?:mp4|mov|avi|mkv|webm|wav|mp3|flac|m4a|ogg|jpe?g|png|gif|webp|bmp|tiff?|srt|vtt|"
        r"txt|jsonl?|csv|parquet|pdf|html?)\b", text, re.I))
    # a date ('2023-04-17', '2024/3/5', '2024年3月5日') is a day, not a setting
    taken.extend(m.span() for m in re.finditer(r"(?<![\d.])(?:19|20)\d{2}([-/.])\d{1,2}\1\d{1,2}(?![\d.])|(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}[日号])?", text))

    # 'citation markers like [12] or [3]': a number in square brackets is a token of the text, no setting
    taken.extend(m.span() for m in re.finditer(r"\[\d+\]", text))
    # '1. drop …; 2. remove …', '1、…': the number of an item in a list is no setting
    taken.extend(m.span(1) if m.group(1) else m.span(2) for m in LIST_MARKER_RE.finditer(text))
    # '200 iterations instead of the usual 500': the value ruled out is no setting
    taken.extend(m.span(1) for m in RULED_OUT_NUMBER_RE.finditer(text))
    # 'the LB went up 0.004', 'accuracy improved by 2%', '分数提升了0.3': how a result moved, no setting
    taken.extend(m.span(1) for m in RESULT_CHANGE_RE.finditer(text))

    # dimensions: 224x224
    for m in DIM_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        cmp, s, e = _comparator(text, m.start(), m.end(), 0)
        for dim, g in (("width", "w"), ("height", "h")):
            out.append(Quantity(_num(m.group(g), 1), cmp, "pixels", s, e, dim=dim, text=m.group(0)))
        taken.append((m.start(), m.end()))
    # fractions: an aspect ratio from 9/16 up to 3/4, 宽高比超过16/9
    for m in SLASH_RANGE_RE.finditer(text):
        a, b = _fraction(m.group("a")), _fraction(m.group("b"))
        if a < b:
            start = m.start("pre") if m.group("pre") else m.start("a")
            negated, end = _range_negated(text, start, m.start("a"), m.end())  # '宽高比不在4:3到16:9之间'
            out.append(Quantity(None, "range", None, start, end, low=a, high=b, text=m.group(0),
                                fractions=(_frac_text(m.group("a")), _frac_text(m.group("b"))), negated=negated))
            taken.append((start, end))
    for m in SLASH_FRACTION_RE.finditer(text):
        if free(m.start(), m.end()):
            cmp, s, e = _comparator(text, m.start(), m.end(), 0)
            out.append(Quantity(_fraction(m.group(0)), cmp, None, s, e, text=text[s:e],
                                fractions=(_frac_text(m.group(0)),)))
            taken.append((m.start(), m.end()))
    # ranges: between 50 and 2000 characters, 50-2000, 在50到2000之间
    for m in RANGE_RE.finditer(text):
        if not free(m.start("a"), m.end("b")):
            continue
        mid = m.group("mid").strip().lower()
        if mid in ("and", "和", "与") and not m.group("pre") and not re.match(r"\s*之间", text[m.end("b"):]):
            continue  # '50 and 2000' only as a range after 'between'
        if mid == "-" and not m.group("pre") and re.search(r"[A-Za-z_]$", text[:m.start("a")]):
            continue
        meas_b, scale_b, end_b, size_b = _unit_after(text, m.end("b"))
        meas_a, scale_a, _, size_a = _unit_after(text, m.end("a")) if m.group("ua") else (None, 1.0, 0, None)
        meas = meas_b or meas_a
        b_bare = not meas_b
        if meas == "ratio" and not meas_b:
            meas_b, scale_b = "ratio", 0.01
        if meas == "ratio" and not meas_a:
            scale_a = 0.01
        if meas_a and not meas_b:
            scale_b = scale_a
        if meas_b and not meas_a:
            scale_a = scale_b
        if meas == "bytes":
            a = _size_text(m.group("a"), size_a or size_b)
            b = _size_text(m.group("b"), size_b or size_a)
        else:
            a, b = _num(m.group("a"), scale_a), _num(m.group("b"), scale_b)
            if meas == "ratio" and b_bare and m.group("ua") and a > b and a <= _num(m.group("b"), 1.0) <= 1:
                b = _num(m.group("b"), 1.0)  # '15% to 0.5' ('百分之十五到一半'): the second is already a fraction
            if isinstance(a, float) and isinstance(b, float) and a > b:
                continue
        end = end_b
        tail = re.match(r"\s*(?:之间|之內|之内|范围内|以内|inclusive|exclusive)", text[end:])
        if tail:
            end += tail.end()
        start = m.start("pre") if m.group("pre") else m.start("a")
        if meas == "ratio" and re.search(r"(?:百分位|分位数?|percentiles?|quantiles?)\s*(?:在|是|为|between|from|of)?\s*$",
                                         text[max(0, start - 16):start], re.I):
            meas = "percentile"  # '百分位在20%到80%之间': percentiles said as percentages
        negated, end = _range_negated(text, start, m.start("a"), end)
        out.append(Quantity(None, "range", meas, start, end, low=a, high=b, percent=meas in ("ratio", "percentile"),
                            text=text[start:end], negated=negated))
        taken.append((start, end))
    # single numbers
    for m in re.finditer(rf"(?<![A-Za-z0-9_.#/])(?<![A-Za-z]-)(?:{NUM})(?![0-9]|\.\d)", text):  # not apache-2.0, bsd-3
        if not free(m.start(), m.end()):
            continue
        meas, scale, uend, size = _unit_after(text, m.end())
        if meas == "count" and not float(m.group(0)).is_integer():
            meas = None  # 'ratio > 0.4 samples': a fraction counts no samples
        if meas == "count" and re.match(r"\s*(?:个|条|份)", text[m.end():]) and not re.match(r"\s*(?:个|条|份)\s*(?:样本|文档|文本|数据|例|记录)", text[m.end():]):
            meas = None  # '少于十个' after '词数': the bare counter word says nothing, the noun before does
        if meas is None:
            ub = UNIT_BEFORE_RE.search(text[max(0, m.start() - 30):m.start()])
            if ub and not RATIO_WORDS_RE.search(ub.group(0)) and not re.match(r"(?:\w+)\s*(?:length|长度|长)", ub.group(0)):
                meas, scale = _unit_measure(ub.group("unit") or ub.group("unit2"))
                if meas == "count":
                    meas, scale = None, 1.0
        value: float | str = _size_text(m.group(0), size) if meas == "bytes" else _num(m.group(0), scale)
        cmp, s, e = _comparator(text, m.start(), uend, 0, m.end())
        if cmp == "none":
            back = BACK_REFERENCE_RE.match(text, max(e, uend))  # 'is 4,096 tokens, so anything longer than that'
            if back:
                cmp = "ge" if back.group("ge") or back.group("ge2") or back.group("ge3") or back.group("ge5") else "le"
        out.append(Quantity(value, cmp, meas, s, max(e, uend), percent=meas == "ratio", text=text[s:max(e, uend)]))
        taken.append((m.start(), uend))
    out.sort(key=lambda q: q.start)
    for q in out:
        if UNLESS_RE.search(text[:q.start]):  # 'drop every image unless it is under 3 MB': the condition stays
            if q.cmp == "range":
                q.negated = not q.negated
            elif q.cmp in ("ge", "le"):
                q.cmp = "le" if q.cmp == "ge" else "ge"
    for a, b in zip(out, out[1:]):
        # 'no larger than 1920 wide and 1080 tall', '宽不超过1920、高1080': one comparator for both numbers
        if b.cmp == "none" and a.cmp in ("ge", "le") and _SHARED_CMP_RE.fullmatch(text[a.end:b.start]):
            b.cmp = a.cmp
    return out


LIST_MARKER_RE = re.compile(r"(?:^|(?<=[;\n：；])|(?<=(?<!\d):))\s*[(（]?(\d{1,2})(?:(?:[.)、）]|\s*[)）])(?=\s*[A-Za-z\u4e00-\u9fff])|[.)、）]\s*$)|"
                            r"(?:^|(?<=[;\n；])|(?<=(?<!\d):))\s*(\d{1,2})\s*$")  # ('窗口长度：3': a value said after its label)
RULED_OUT_NUMBER_RE = re.compile(r"(?:\b(?:instead of|rather than|in place of)\s+(?:the\s+)?(?:usual|default|standard|current)?\s*|"
                                 r"(?:而不是|而非|不用|不要用?|代替)(?:默认的?|原来的?|通常的?)?\s*)(\d[\d,]*(?:\.\d+)?)(?!\d|\.\d)", re.I)
RESULT_CHANGE_RE = re.compile(r"(?:\b(?:went|goes|go|gone|moved|jumped|ticked)\s+(?:up|down)\s+(?:by\s+)?|"
                              r"\b(?:improved|rose|climbed|gained|increased|decreased|fell|regressed)\s+(?:by\s+)?|"
                              r"(?:提升|提高|涨|下降|上升)了\s*)([+-]?\d+(?:\.\d+)?\s*%?)", re.I)
UNLESS_RE = re.compile(r"\bunless\b|\bexcept (?:when|if|where)\b|除非", re.I)
_SHARED_CMP_RE = re.compile(r"\s*(?:[A-Za-z]+\s+)?(?:and|or|&|,|，|、|和|或|与)\s*(?:(?:the|a|an)\s+)?(?:[A-Za-z]+\s+)?"
                            r"|\s*(?:wide|tall|high|long|in width|in height)?\s*(?:and|or|,|，|、|和|或|与)\s*(?:高|宽)?(?:度)?", re.I)
