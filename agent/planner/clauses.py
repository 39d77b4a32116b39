"""A request in pieces: clauses, their keep/remove polarity, languages, fields and quoted values.

Language tables come from `lexicon.py`; nothing here knows an operator.
"""
from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from typing import Literal

from agent.planner import lexicon as L
from agent.planner.quantities import read_quantities

Verb = Literal["keep", "remove", "filter"]  # 'filter': removes what a bound names, keeps a range

HARD_SPLIT_RE = re.compile(r"[;；。！!？?\n]+|\s*(?:-{1,2}>|=>|→|⇒|➜|➔)(?!\s*['\x22“‘「\[<])(?!\s*(?:out|gone|in|keep|kept|stays?|drop(?:ped)?|delete[d]?|removed?|discard(?:ed)?|reject(?:ed)?|bin|trash|删|留|去|丢|扔|保留)\w*(?:\s+(?:too|also|as well))?\s*(?:[.;。；,，]|$))\s*|(?<!\bbecause)(?<!\bsince)(?<!\bthe)(?<!\ba)\s+(?:and then|then|after that|afterwards|finally|next)\s+|然后|接着|之后|最后(?!\s*[一1]?\s*(?:段|个|张|帧|条|片|块|截|部分|的))|再把|顺便|顺带|"
                           r"(?<=[\u4e00-\u9fff])(?<![合归兼吞一])并(?:且)?(?![入成为到列存行发])(?=[\u4e00-\u9fff])|以及|同时(?!(?:被|包含|含有|含|有|具有|具备|出现|满足|带有|带|打上|标有|标了))|另外|此外|(?<!\d)(?<!\bmin)(?<!\bmax)(?<!\bapprox)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\betc)[.](?!\d)\s+|(?<=\d)[.]\s+(?=[A-Z])", re.I)
SOFT_SPLIT_RE = re.compile(r"(?:(?<!\d)\s*,|(?<=\d)\s*,(?!\s*(?:and\s+|or\s+)?\d))\s*(?:and\s+|or\s+|then\s+)?(?!\d{3})|\s+(?:after|before|followed by)\s+(?=[a-z]+ing\b)|\s*，\s*(?!就|便|则)|、|(?<=[A-Za-z0-9\u4e00-\u9fff])\s*[:：]\s*(?=[A-Za-z]+(?:'[a-z]+)?\s+\S|[\u4e00-\u9fff]{2})|\s+(?:and|&|as well as|plus|along with)\s+|,?\s+so\s+(?:that\s+)?(?=only\b|just\b)|(?<!should)(?<!must)(?<!shall)(?<!will)(?<!can)(?<!could)(?<!would)(?<!may)\s+also\s+(?!be\b)|(?<=[\u4e00-\u9fff])(?:(?<![总缓温柔平暖饱])和(?!谐|睦)|(?<![参给赋授])与|跟(?!踪|随|着)|(?<![涉普波顾危论触企不])及(?!格|时|其|早|至|以[上下内外前后]|之[前后内外]))(?=[\u4e00-\u9fff])",
                           re.I)
# pieces that must not be split: ranges, 'wide and high', lists of values or languages
_CODE_ALT = r"(?<![\w#+./])(?:" + "|".join(sorted((re.escape(k) for k in L.CODE_LANGUAGES), key=len, reverse=True)) + r")(?![\w#+])"
_LANGS_ALT = "|".join(sorted((re.escape(k) for k in L.LANGUAGES), key=len, reverse=True))
_SYM = r"[^\w\s.,;:!?'\"`()\[\]{}<>=/\\%&*+\-，。；：！？、（）“”‘’《》【】「」『』·~…—]"
_SQ = r"(?<![A-Za-z0-9])'[^'\n]*'(?![A-Za-z0-9])"  # a quote, not an apostrophe ('document's ... it's')
_Q = rf"(?:{_SQ}|\"[^\"]*\"|“[^”]*”|「[^」]*」)"
PROTECT_RE = re.compile(r"\d\s*[A-Za-z%]*\s+(?:and|or)\s+(?:up|above|over|higher|more|greater|bigger|larger|longer|less|lower|"
                        r"below|under|fewer|smaller|shorter|beyond|upwards|downwards)\b|"  # '44MB and up': one bound
                        rf"{_CODE_ALT}(?:\s*(?:,|and|or|&|和|或|、|与|/)\s*{_CODE_ALT})+(?=\s*(?:的\s*)?(?:{L.alternation(L.CODE_FILE_WORDS)}))|{_Q}(?:\s*(?:,|and|or|&|和|或|与|、|，)\s*{_Q})+|\d\s*(?:[A-Za-z%]+\s+)?(?:and|和|与)\s*\d|(?:{_LANGS_ALT})(?:\s*(?:,|and|or|&|和|或|、|与)\s*(?:{_LANGS_ALT}))+|\((?:[a-z]{{2}}\s*,\s*)+[a-z]{{2}}\)|between\s+(?:the\s+)?[^\s,，;；]+(?:\s+[A-Za-z]+)?\s+and\s+(?:the\s+)?[^\s,，;；]+|\d\s*(?:and|和|与)\s*(?:the\s+)?\d|\b(?:width|wide)\s+and\s+(?:\d+\s*(?:px|pixels?)?\s*)?(?:height|high|tall)\b|\b(?:the\s+|its\s+|their\s+)?(?:image|video|audio|text|caption|picture|photo|clip|frame)s?\s+and\s+(?:the\s+|its\s+|their\s+)?(?:image|video|audio|text|caption|picture|photo|clip|frame)s?(?:\s+text)?\s+(?:are|were|is|both)\b|"
                        r"\b(?:height|high|tall)\s+and\s+(?:width|wide)\b|宽度?(?:和|与|及|、)高度?|高度?(?:和|与|及|、)宽度?|\b(?:min|max)\w*\s+and\s+(?:min|max)\w*|"
                        rf"(?:`[^`]*`|{_SQ}|\"[^\"]*\"|\[[^\]]*\])|"
                        r"(?:\b[\w.-]+,\s*)*\b[\w.-]+\s+or\s+[\w.-]+\b(?=\s*(?:$|[,.;)]|in\b|of\b|as\b|from\b|for\b|files?\b|suffix|should\b|must\b|are\b|is\b|will\b|only\b))|"
                        r"\.\w+\s+and\s+\.\w+|\bupper[- ]?\s*(?:and|or|/)\s*lower[- ]?\s*case\b|"
                        # 'letters and digits make up less than 40%': one subject, not two steps
                        r"\b[a-z]+s\s+and\s+[a-z]+s(?=\s+(?:together\s+|combined\s+)?(?:make|makes|account|accounts|take|takes|add|adds|form|cover)\b)|"
                        r"\b(?P<rep>again|over|more|less|round|on|time)\s+and\s+(?P=rep)\b|"  # 'again and again': one idiom
                        r"\b[\w-]+\s+and\s+(?:its|their)\s+(?:own\s+)?[\w-]+\b|"  # 'the image and its caption': one subject
                        r"\b(?:both|either)\s+(?:an?\s+|the\s+)?[\w-]+\s+(?:and|or)\s+(?:an?\s+|the\s+)?[\w-]+\b|"  # 'both a dog and a person'
                        rf"{_SYM}(?:\s*(?:,|and|or|&|和|或|、|与)\s*{_SYM})+", re.I)

KEEP_RE = re.compile(L.alternation(L.KEEP_WORDS), re.I)
REMOVE_RE = re.compile(L.alternation(L.REMOVE_WORDS + L.JUDGEMENT_WORDS), re.I)
NEG_RE = re.compile(L.alternation(L.NEGATIVE_WORDS), re.I)
NEGATED_CMP_RE = re.compile(r"(?:不要|不能|不应|别)\s*(?:{})".format(
    L.alternation([w for w in L.GE_BEFORE + L.LE_BEFORE if re.match(r"[\u4e00-\u9fff]", w)])))
NON_RE = re.compile(r"\bnon[- ]?(?=[a-z])|\bnot in\b|非", re.I)

DATA_NOUNS = r"(?:texts?|docs?|documents?|samples?|data|content|pages?|articles?|corpus|corpora|ones|entries|records|" \
             r"sentences?|posts?|writing|material|only|comments?|reviews?|replies|messages?|tweets?|threads?|books?|" \
             r"papers?|transcripts?|subtitles?|captions?|dialog(?:ue)?s?|conversations?|answers?|questions?|emails?|" \
             r"文本|文档|数据|样本|语料|内容|文章|句子|网页|的|部分|评论|帖子|回复|对话|新闻|书籍|论文|问答|字幕|邮件|留言|弹幕|小说)"
_LANG_NAMES = L.alternation(list(L.LANGUAGES))
LANG_RE = re.compile(rf"(?P<name>{_LANG_NAMES})", re.I)
LANG_CODE_RE = re.compile(r"(?:\blang(?:uage)?s?(?:[ _]?(?:code|id)s?)?|语言|语种)\s*(?:=|:|==|is|of|为|是|设成|设为|設為|设置为|选|用|set to|to)?\s*['\"`]?"
                          r"(?P<codes>[a-z]{2}(?:\s*(?:,|/|or|and|\+|、)\s*[a-z]{2})*)\b"
                          r"(?![\s-]*(?:scores?|confidence|model|filter|detect\w*|identification|得分|分数|置信))", re.I)  # 'language ID score'
FIELD_RE = re.compile(r"`(?P<q>[A-Za-z_][\w.]*)`|(?<![A-Za-z0-9_./])(?P<d>(?:__dj__[A-Za-z0-9_]+__|[A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?![A-Za-z0-9_(])")
NOT_FIELDS = {"e.g", "i.e", "etc", "vs", "u.s", "a.k.a"}
FILE_EXT = {"txt", "md", "json", "jsonl", "py", "csv", "html", "pdf", "tex", "png", "jpg", "jpeg", "yaml", "yml", "gz",
            "arpa", "bin", "parquet", "com", "org", "net", "io", "mp4", "mov", "avi", "mkv", "webm", "flv", "wmv", "m4v", "ts",
            "wav", "mp3", "flac", "m4a", "ogg", "opus", "aac", "gif", "webp", "bmp", "tif", "tiff", "heic", "svg", "srt", "vtt",
            "ass", "zip", "tar", "tgz", "xml", "tsv", "xlsx", "docx", "epub", "log", "rs", "js", "java", "cpp", "go"}
# ('3 < meta.turns <= 9': a chained comparison is written as it is)
_CMP = r"(?:-?\d+(?:\.\d+)?\s*[<>]=?\s*)?[A-Za-z_][\w.]*\s*(?:[<>]=?|==|!=)\s*(?:[\w.+-]+|'[^']*'|\"[^\"]*\")"
EXPR_RE = re.compile(rf"(?P<q>[`'\"]?)(?P<expr>{_CMP}(?:\s+(?:and|or|&&|\|\|)\s+{_CMP})*)(?P=q)")
# two fields compared in words: 'meta.end_ts is earlier than meta.start_ts', 'meta.a 大于 meta.b'
_FIELD = r"(?:__dj__[A-Za-z0-9_]+__|[A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)+"
_LT_WORDS = r"(?:earlier|smaller|lower|less|fewer|shorter|before|below|under|早于|小于|低于|少于|短于|先于)"
_GT_WORDS = r"(?:later|larger|greater|higher|more|bigger|longer|after|above|over|晚于|大于|高于|多于|长于|超过)"
WORDED_CMP_RE = re.compile(rf"(?P<a>{_FIELD})`?\s*(?:is|are|was|were|comes?|falls?)?\s*(?:(?P<lt>{_LT_WORDS})|(?P<gt>{_GT_WORDS}))"
                           rf"(?:\s*than)?\s*`?(?P<b>{_FIELD})", re.I)
# a field said equal to a number: 'meta.stars 为三星', 'where meta.rating is 3' (not 'is 3 or more', 'is 3 to 5')
WORDED_EQ_RE = re.compile(rf"(?P<a>{_FIELD})`?\s*(?:is|equals|is equal to|==|为|是|等于)\s*(?P<v>-?\d+(?:\.\d+)?)(?![\d.])"
                          r"(?!\s*(?:or\b|to\b|and\b|-|~|～|%|以上|以下|及以上|及以下|或|到|至|以内|之间|上下|左右|\+))", re.I)
SYMBOLS_RE = re.compile(rf"{_SYM}+")
_REGEX_FEATURE = r"\\[dDwWsSbB.]|\[\^?[^\]]+\]|\.\*|\.\+|\{\d+,\d*\}"  # '\d', '[^a-z]', '.*': what makes a token a regex
_REGEX_CHAR = r"(?:\[(?=[^\]\n]*\s)[^\]\n\[]{1,20}\]|\S)"  # ('[- ]': a class with a space in it is one token)
REGEX_RE = re.compile(rf"(?<![^\s'\"`])(?!\[(?:[A-Z_]+|[\u4e00-\u9fff]+)\])(?={_REGEX_CHAR}*(?:{_REGEX_FEATURE})){_REGEX_CHAR}+")
# 'I=-16', 'TP=-1.5', 'tempo设为1.5': a named option of a tool (ffmpeg's filters), not a bound
OPTION_RE = re.compile(r"(?<![A-Za-z0-9_.])(?P<k>[A-Za-z][A-Za-z0-9_]*)(?:\s*[)）])?\s*(?:=|设为|設為|设成|為|为)\s*"
                       # 'expr=0.5*PTS': an expression is written as it is
                       r"(?:(?P<e>(?=[\w.*/+^-]*[A-Za-z])-?[\w.]+(?:[*/+^-][\w.]+)+)(?![\w.*/+^-])|"
                       # 'start_threshold=-50dB': a number with its unit is written as it is
                       r"(?P<u>-?\d+(?:\.\d+)?(?:[A-Za-z]{1,3}|%))(?![\w.%])|"
                       r"(?P<v>-?\d+(?:\.\d+)?)(?!\d)(?!\.\d)|"
                       # 't=in', 'mode=reflect': a short word value, said with '=' (an option of the tool)
                       r"(?<==)\s*(?P<w>[A-Za-z][A-Za-z_]{0,11})(?!\w|\.\w))")
REGEX_FEATURE_RE = re.compile(_REGEX_FEATURE)
PLACEHOLDER_RE = re.compile(r"\[[A-Za-z_ \u4e00-\u9fff]+\]|<(?:[A-Z_]+|[\u4e00-\u9fff]+|"
                            r"(?!(?:div|span|img|table|script|style|html|head|body|code|pre)>)[a-z_]{3,})>")
_LIST_ITEM = r"\.?[A-Za-z][\w-]*(?:\.\w[\w-]*)*"
CONTAINED_LIST_RE = re.compile(rf"(?:\bcontain(?:s|ing)?|\bwith|含有|包含|含|带有|带)\s*(?P<items>{_LIST_ITEM}(?:\s*(?:,|/|\bor\b|\band\b|、|或者|或|和)\s*{_LIST_ITEM})+)"
                               rf"(?=\s*(?:的?\s*(?:单词|词|字符串|token)|\s+(?:in\s+(?:them|it)\b|$)|[\s,.;，。；]|$))", re.I)
SUFFIX_RE = re.compile(r"(?<![\w/\\])\.[A-Za-z0-9]{1,6}\b")
WORD_LIST_RE = re.compile(r"(?<![\w.])([A-Za-z][\w-]*(?:\.\w[\w-]*)*)((?:\s*(?:,|/|\bor\b|\band\b|、|或者|或|和)\s*(?:(?:a|an)\s+(?=[a-z]))?[A-Za-z][\w-]*(?:\.\w[\w-]*)*)+)")
# '/data/frames', './out', '~/models/lm.bin', 'C:\\frames': a path on disk, for an argument that takes one
URL_RE = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s,，。;；'\"`<>()（）]+?(?=[.:]?(?:$|[\s,，。;；'\"`<>()（）]))")
PATH_RE = re.compile(r"(?<![\w./:])(?:(?:~|\.{1,2}|[A-Za-z]:)?(?:[/\\][\w.\-]+)+[/\\]?|"
                     r"[A-Za-z_][\w\-]*(?:/[\w.\-]+)*/[\w\-]+\.[A-Za-z][A-Za-z0-9]{0,5})"  # 'outputs/batch_meta.jsonl'
                     r"(?=$|[\s,，。;；:：)）'\"`]|[\u4e00-\u9fff]|\.(?:\s|$))")
NAMED_CHARS_RES = [(re.compile(L.alternation([w]), re.I), ch) for w, ch in L.NAMED_CHARS.items()]
REGION_RE = re.compile(r"(?<![\d.,])\d*\.?\d+(?:\s*,\s*\d*\.?\d+){3}(?![\d.,]*\d)")
# (a run of symbols said right after 'contain', unquoted, is the value too: 'the words that contain @@', '含有##的词')
QUOTED_RE = re.compile(r"`(?P<b>[^`]+)`|(?<![A-Za-z0-9])'(?P<s>[^'\n]+)'(?![A-Za-z0-9])|\"(?P<d>[^\"]+)\"|“(?P<c>[^”]+)”|「(?P<j>[^」]+)」|"
                       r"(?:(?<=\bcontain\s)|(?<=\bcontains\s)|(?<=\bcontaining\s)|(?<=包含)|(?<=含有)|(?<=带有))"
                       r"(?P<y>[^\w\s'\"“”「」()（）\[\],.;:，。；：!?！？、]{1,8})(?=[\s,.;:)），。；的]|$)")


@dataclass
class Clause:
    text: str
    start: int
    verb: Verb | None = None
    verb_pos: int = -1
    unsure: bool = False  # the side of its bounds was taken from before (or the default), not said in or near it
    negative: bool = False
    languages: list[tuple[str, int, int, bool]] = field(default_factory=list)  # code, start, end, names the data
    fields: list[tuple[str, int, int]] = field(default_factory=list)
    quoted: list[tuple[str, int, int]] = field(default_factory=list)
    expression: tuple[str, int, int] | None = None
    symbols: str = ""
    regexes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    word_lists: list[list[str]] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    quantities: list = field(default_factory=list)  # read from `masked` once
    options: dict = field(default_factory=dict)  # 'I=-16 and TP=-1.5', 'tempo设为1.5': key -> value, for a dict argument
    option_spans: list[tuple[int, int]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    named_chars: list[str] = field(default_factory=list)  # 'at single newlines' -> '\n'
    regions: list[tuple[str, int, int]] = field(default_factory=list)  # 'the region 0.85,0,1,0.1': x1,y1,x2,y2
    urls: list[tuple[str, int, int]] = field(default_factory=list)  # 'redis://10.0.0.5:6379': an address, no numbers

    @property
    def masked(self) -> str:
        """The text with an expression and regions blanked out, so that their numbers bind to nothing else."""
        text = self.text
        # (and a quoted literal: "they're mostly '+1' noise" holds no number)
        literals = [x for x in self.quoted if len(x[0]) <= 12 and " " not in x[0].strip()]  # (a quoted sentence is read)
        for _, s, e in ([self.expression] if self.expression else []) + self.regions + self.urls + literals:
            text = text[:s] + " " * (e - s) + text[e:]
        for r in self.regexes:  # ('正则就用 192\.168\.\d{1,3}': a pattern's digits are characters to match)
            if re.search(r"\\[dDwWsSbB.]|\{\d+(?:,\d*)?\}|\[[^\]]*\]", r) and (at := text.find(r)) >= 0:
                text = text[:at] + " " * len(r) + text[at + len(r):]
        return text


# 'mp3、m4a、amr': a list of short Latin words in a Chinese sentence is one thing said, not pieces
ASCII_LIST_RE = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z0-9]{1,5}(?:\s*、\s*[A-Za-z][A-Za-z0-9]{1,5})+(?![\w.])")
ASIDE_RE = re.compile(r"[（(](?:[^（）()\n]|[（(][^（）()\n]{0,12}[）)]){1,100}[）)]")  # '（同时考虑水平翻转后的图）': an aside stays with its sentence


# a Python lambda written out ('lambda s: {**s, 'text': s['text'].lower()}'): one literal to the end of its line
LAMBDA_RE = re.compile(r"`?\blambda\s+[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*:[^\n`]+`?")


def _lambda(text: str) -> re.Match | None:
    """The lambda written in `text`, as far as Python reads it as one ('lambda d: {…}, nothing else' ends at '}')."""
    import ast

    m = LAMBDA_RE.search(text)
    if m is None:
        return None
    start = m.start() + len(m.group(0)) - len(m.group(0).lstrip("`"))
    code = text[start:m.end()].rstrip("`")
    for end in sorted({len(code)} | {i for i, ch in enumerate(code) if ch in ",;. "}, reverse=True):
        head = code[:end].rstrip()
        if re.search(r"\.\s", head):
            continue  # ('lambda s: s. Nothing more': a full stop ends the code)
        try:
            tree = ast.parse(head, mode="eval")
        except SyntaxError:
            continue
        if isinstance(tree.body, ast.Lambda):
            return re.compile(re.escape(head)).search(text, start)
    return None


def _split(text: str, rx: re.Pattern, base: int = 0) -> list[tuple[int, str]]:
    # ranges, lists and conditions ('meta.likes >= 100 and meta.reported == 0') are never split
    protected = [(m.start(), m.end()) for rx in (PROTECT_RE, EXPR_RE, REGION_RE, ASIDE_RE, URL_RE, ASCII_LIST_RE)
                 for m in rx.finditer(text)]
    if (lam := _lambda(text)) is not None:
        protected.append((lam.start(), lam.end()))
    out, last = [], 0
    for m in rx.finditer(text):
        if any(s <= m.start() < e for s, e in protected):
            continue
        out.append((base + last, text[last:m.start()]))
        last = m.end()
    out.append((base + last, text[last:]))
    return [(o, t) for o, t in out if t.strip()]


def hard_clauses(text: str) -> list[tuple[int, str]]:
    text = L.BULLET_RE.sub(lambda m: " " * len(m.group(0)), text)
    out = _split(text, HARD_SPLIT_RE)
    for i in range(len(out) - 2, -1, -1):  # '占比低于40%的，以及超过95%的，都删掉': one verdict on both
        (off, piece), (n_off, n_piece) = out[i], out[i + 1]
        head = re.split(r"[，,]", n_piece)
        if _described_set(piece.rstrip("，, ")) and len(head) >= 2 and _described_set(head[0], leading=True) and \
                _verdict_alone(head[-1]) and text[off + len(piece):n_off].strip() in ("以及", "或者", "还有", ""):
            out[i:i + 2] = [(off, text[off:n_off + len(n_piece)])]
    for i in range(len(out) - 2, -1, -1):  # 'rank by meta.votes, then keep the 300 with the fewest': one request
        (off, piece), (n_off, n_piece) = out[i], out[i + 1]
        if SORT_BY_RE.search(piece) and RANK_WORD_RE.search(n_piece) and not fields(n_piece) and \
                re.fullmatch(r"[\s,，;；]*(?:(?:and\s+)?then|然后|再)?[\s,，]*", text[off + len(piece):n_off], re.I):
            out[i:i + 2] = [(off, text[off:n_off + len(n_piece)])]
    return out


SORT_BY_RE = re.compile(rf"(?:按|根据|依照?|照)\s*`?(?:{_FIELD})`?[^，,。；;]{{0,10}}?(?:排|顺序)|\b(?:sort|order|rank)(?:ed|ing|s)?\s+"
                        rf"(?:\w+\s+){{0,3}}?by\s+`?(?:{_FIELD})", re.I)
RANK_WORD_RE = re.compile(r"最(?:低|高|小|大|少|多|短|长|早|晚|新|旧)|前\s*\d|\b(?:lowest|highest|smallest|largest|top|bottom|"
                          r"first|last|best|worst|fewest|most)\b", re.I)
OR_RE = re.compile(r"\s+or\s+|或者|或是", re.I)
APPOSITION_RE = re.compile(r"\s*(?:i\.?e\.?,?\s*|namely\s+|that is,?\s*|meaning\s+)?(?:anything|everything|any (?:\w+ )?(?:that|which|with)|"
                           r"all (?:\w+ )?(?:that|which|with)|the ones|ones|those)\b", re.I)


def soft_pieces(offset: int, text: str) -> list[tuple[int, str]]:
    """Pieces at commas and 'and'; 'A or B' only when neither side states a number (those are one bound
    each, 'under 10 or over 300', and stay together)."""
    out = []
    for off, piece in _split(text, SOFT_SPLIT_RE, offset):
        parts = _split(piece, OR_RE, off)
        listed = any(len(m.group(0).split()) >= 3 for m in WORD_LIST_RE.finditer(piece))  # 'cat 或者 dog'
        if len(parts) > 1 and not any(re.search(r"\d", p) for _, p in parts) and len(QUOTED_RE.findall(piece)) < 2 and not listed:
            out.extend(parts)
        else:
            out.append((off, piece))
    # '只要某个文件里有一行长过两千个字符，这个文件就删': a condition and its consequence are one piece
    i = 0
    while i + 1 < len(out):
        (off, piece), (n_off, n_piece) = out[i], out[i + 1]
        joint = text[off - offset + len(piece):n_off - offset].strip()
        # '画面帧和字幕文本的相似度': two nouns of one thing ('A和B的X'), not two requests
        # ('视频帧与文本相似度在0.3以下的去除': a bare noun joined to the measure of both)
        noun_pair = joint in ("和", "与", "跟", "及") and not re.search(r"\d", piece) and not verbs(piece) and (
            (re.match(r"[^\d，,。；;]{1,8}?的", n_piece) and not verbs(n_piece[:n_piece.find("的")])) or
            (len(piece.strip()) <= 6 and re.match(r"[^\d，,。；;]{1,10}?(?:相似度|匹配|一致|对应)", n_piece)))
        # '占比卡在六成以下的文本，统统淘汰': the samples described, then the verdict on them alone
        described = joint in ("，", ",") and re.search(r"的[\u4e00-\u9fff]{0,4}\s*$", piece) and \
            any(v == "keep" for _, v in verbs(piece)) and _verdict_alone(n_piece)
        # 'group the rows on meta.session_id and meta.speaker': a list of fields is one piece
        field_list = bool(re.search(rf"(?:{_FIELD})`?\s*$", piece) and re.match(rf"\s*`?(?:{_FIELD})", n_piece) and
                          re.fullmatch(r",|，|、|and|or|&|和|与|及|或", joint, re.I))
        # '去掉空白、数字和标点以后一模一样的就算重复': the items of a list, then what happens after them
        after_list = joint == "、" and bool(re.match(r"[^，,。；;、]{0,12}?(?:以后|之后)", n_piece))
        # 'if more than 1 in 100 words is flagged, the comment is out': an English condition and its short verdict
        verdict = bool(EN_CONDITION_START_RE.match(re.split(r"[:：]", piece)[-1])) and joint in (",", "，") and bool(verbs(n_piece)) and \
            len(n_piece.split()) <= 6 and not re.search(r"\d", n_piece)
        # '页面满屏都是符号和一串串数字、标点': the last item of a list the data is described by, no request of its own
        # ('全是表情、颜文字和标点': '和' before the last item of a '、' list)
        described_item = (joint == "、" or (joint in ("和", "与", "及") and "、" in piece)) and not verbs(piece) and not re.search(r"\d", n_piece) and \
            bool(re.fullmatch(r"\s*[\u4e00-\u9fff]{1,4}\s*", n_piece)) and not verbs(n_piece)
        # '按 meta.loss 从小到大排，只要最低的1.5万条', 'sort by meta.score, keep the top 500': the order, then what of it
        ranked = bool(SORT_BY_RE.search(piece)) and bool(re.fullmatch(r"[,，、;；]?\s*(?:(?:and\s+)?then|然后|再)?", joint, re.I)) and \
            bool(RANK_WORD_RE.search(n_piece)) and \
            not fields(n_piece)
        # '英文字母和阿拉伯数字一律去掉': two bare nouns, then the verdict on both
        shared_verdict = joint in ("和", "与", "及", "、") and not verbs(re.split(r"[，,]", piece)[-1]) and \
            bool(re.fullmatch(r"\s*[\u4e00-\u9fff]{1,6}", re.split(r"[，,]", piece)[-1])) and \
            bool(re.match(r"\s*[\u4e00-\u9fff]{1,8}?(?=(?:统统|通通|全部|全都|一律|一概|都|也|就)*\s*(?:去掉|删掉|删除|去除|删|去|清除|丢掉))", n_piece)) and \
            not re.search(r"\d", n_piece)
        # '占比低于40%的，还有超过95%的，都删掉': the samples described one way and another, then one verdict on all
        listed_sets = joint in ("，", ",", "、") and _described_set(piece) and _described_set(n_piece, leading=True) and \
            any(_verdict_alone(p) for _, p in out[i + 2:i + 3])
        # 'throw out the huge ones, anything wider or taller than 6000 px': the second piece says which ones
        apposition = joint in (",", "，", "—", "-", ":") and bool(verbs(piece)) and not re.search(r"\d|\bnot\b|n't\b|不|别", piece) and \
            bool(APPOSITION_RE.match(n_piece)) and bool(re.search(r"\d", n_piece)) and not verbs(n_piece)
        # '宽高比大于二比一的视频，应调整为二比一': the samples described by a bound, then what is done to them
        described_then_done = joint in ("，", ",") and _described_set(piece + "的" if re.search(r"的[\u4e00-\u9fff]{1,4}\s*$", piece) else piece) \
            and bool(re.search(r"\d", piece)) and bool(_BOUND_WORD_RE.search(piece)) and not _verdict_alone(n_piece) and bool(re.match(r"\s*(?:应该?|要|需要?|须|必须|得|都|一律|统统|全部|请)+\s*[\u4e00-\u9fff]", n_piece) or
                                               _RESIZE_TO_RE.match(n_piece)) \
            and not _BOUND_WORD_RE.search(n_piece)
        # 'a clip's CLIP similarity, averaged over its key frames, is anything short of 0.21': a predicate with its
        # bound said after the subject (and the aside between them) is one piece with it
        predicate = joint in (",", "，") and bool(re.search(r"\d", n_piece)) and (
            not re.search(r"\d", piece) or bool(PARTICIPLE_RE.match(piece))) and (
            bool(PREDICATE_RE.match(n_piece)) or bool(PARTICIPLE_RE.match(n_piece) and ASIDE_THEN_PREDICATE_RE.search(n_piece)))
        # 'Anything wider than 1920 px, shrink it down to 1920': the samples a bound describes, then the size they go to
        changed_to = bool(re.fullmatch(r"[,，;；:：\-—](?:\s*(?:then|and))?", joint, re.I)) and bool(re.search(r"\d", piece)) and \
            bool(_BOUND_WORD_RE.search(piece) or EN_BOUND_WORD_RE.search(piece)) and not verbs(piece) and \
            bool(_RESIZE_TO_EN_RE.match(n_piece))
        # '区域分别是 0,0,100,50、200,0,300,50 和 …': a list of regions is one setting
        region_list = joint in ("、", "和", "与", "及", ",", "，", "and") and bool(re.search(rf"(?:{REGION_RE.pattern})\s*$", piece)) and \
            bool(re.match(rf"\s*(?:{REGION_RE.pattern})", n_piece))
        # '检测方式与抽帧数保持默认': two settings left at their defaults together
        defaults_both = joint in ("和", "与", "及", "、") and not verbs(piece) and len(piece.strip()) <= 8 and \
            bool(re.search(r"默认|预设", n_piece)) and not re.search(r"\d", piece + n_piece)
        if (CONDITION_START_RE.match(piece) and CONSEQUENCE_RE.match(n_piece)) or verdict or changed_to or defaults_both or region_list or predicate or described_then_done or noun_pair or described or field_list or \
                after_list or described_item or shared_verdict or ranked or listed_sets or apposition:
            out[i:i + 2] = [(off, text[off - offset:n_off - offset + len(n_piece)])]
            i = max(i - 1, 0)  # (the joined piece may now join the one before it)
            continue
        i += 1
    return out


_PREDICATE = (r"(?:is|are|was|were|stays?|falls?|comes? (?:in|out))\s+(?:\w+\s+){0,3}?(?:at least|at most|above|below|under|"
              r"over|less|more|short of|higher|lower|greater|smaller|no more|no less|not|anything|[\d.]+)")
PREDICATE_RE = re.compile(rf"\s*{_PREDICATE}", re.I)  # 'is anything short of 0.21'
ASIDE_THEN_PREDICATE_RE = re.compile(rf",\s*{_PREDICATE}", re.I)  # 'averaged over its key frames, is …'
PARTICIPLE_RE = re.compile(r"\s*[a-z]+ed\b", re.I)  # 'averaged over …': an aside on the subject
_RESIZE_TO_EN_RE = re.compile(r"\s*(?:(?:then|just|please|and|so)\s+)*(?:shrink|scale|resize|downscale|downsize|upscale|cap|bring|"
                              r"reduce|squeeze)\w*\b[^.;,]{0,30}?\bto\s+\d", re.I)
EN_BOUND_WORD_RE = re.compile(r"\b(?:wider|taller|narrower|shorter|longer|larger|bigger|smaller|higher|lower|above|below|"
                              r"over|under|more than|less than|exceed\w*|beyond)\b", re.I)
# '…，压到两千八百八十': a piece that starts by changing the samples to a size
_RESIZE_TO_RE = re.compile(r"\s*(?:(?:统一|都|全部|一律|统统)?(?:等比(?:例)?)?(?:压缩?|缩小?|缩放|降|调整|调|改|拉回|放大|扩|拉)(?:到|成|为|至)|"
                           r"统一(?:到|成|为))")
_BOUND_WORD_RE = re.compile(r"大于|小于|超过|高于|低于|多于|少于|不足|不到|以上|以下|以内|之间|宽于|窄于|长于|短于|"
                            r"比[^，,。；;]{1,12}?还?要?(?:宽|窄|高|矮|长|短|大|小|多|少)")  # '比4:3还宽的视频'



def _described_set(piece: str, leading: bool = False) -> bool:
    """'占比低于40%的', '还有超过95%的': samples described by a number, with no verb of their own."""
    body = re.sub(r"^\s*(?:还有|以及|或者|或是|或|和|另外)", "", piece) if leading else piece
    return bool(re.search(r"\d", body) and re.search(r"的\s*$", body)) and not verbs(body)


_VERDICT_ADVERBS = re.compile(r"统统|通通|全部|全都|一律|一概|都|直接|一并|也|就|请|给我|掉|了|吧")


def _verdict_alone(piece: str) -> bool:
    """'统统淘汰', '一律删掉': a removal verb and its adverbs, nothing else."""
    found = verbs(piece)
    if not found or any(v != "remove" for _, v in found):
        return False
    rest = REMOVE_RE.sub("", piece)
    return not re.search(r"[\u4e00-\u9fffA-Za-z\d]", _VERDICT_ADVERBS.sub("", rest))


# 'because then the 'after' is a copy of the 'before'', '因为这种图没法标注': a reason, which asks for nothing
REASON_START_RE = re.compile(r"\W*(?:because|'?cause|as a result|since(?!\s+(?:\d|then|last|yesterday|we\s+started))|given that|seeing that|因为|由于|毕竟)(?![\w-])", re.I)
# ('语言识别分数一旦跌破零点六，这条数据就不要了': the condition word may follow a short subject)
CONDITION_START_RE = re.compile(r"[^，,。；;\d]{0,12}?(?:只要|如果|要是|一旦|假如|假若|倘若|若是?|凡是)")
EN_CONDITION_START_RE = re.compile(r"[^,;:.]{0,24}?\b(?:if|whenever|once|as soon as|any time|anytime)\b", re.I)
CONSEQUENCE_RE = re.compile(r"[^，,。；;]{0,8}?(?:就|便|则|一律|统统|一概)")


RHETORIC_BEFORE_RE = re.compile(r"\bwhy\s+(?:on earth\s+|ever\s+)?(?:would|should|do|does|did|must|keep)?\s*(?:anyone|anybody|we|you|i|they|someone|one)?\s*"
                                r"(?:\w+\s+){0,2}$|\b(?:would|do|does|should|will) (?:you|anyone|anybody|we|they|i) (?:really |honestly |actually |seriously )?"
                                r"(?:(?:want|like|wish|need) to )?$|"
                                r"(?:何必|干嘛要?|为什么要|为啥要?|何苦|难道(?:还|真)?(?:要|想)?)\s*$", re.I)
RHETORIC_AFTER_RE = re.compile(r"[着著]?(?:它们?|这些|那些)?(?:干嘛|干什么|做什么|有什么用|有啥用|何用|图什么|有什么看头|有啥看头|有什么意思|有什么意义|有啥意义|有何意义)")


EXCEPT_ALL_RE = re.compile(r"\b(?:everything|anything|all)\s+(?:else\s+)?(?:except|but|apart from|other than|besides|save)\b|"
                           r"\b(?:every|each|all)\b[^.;:!?]{0,50}?\b(?:except|apart from|other than|save for|but not)\b|"
                           r"除了?[^，,。；;]{1,40}?(?:以外|之外)?[，,]?\s*(?:都|全|一律|统统)", re.I)


VERDICT_ALONE_RE = re.compile(r"\W*(?:out|gone|away|bin (?:it|them)|out with (?:it|them))\s*(?:[,:;!.—–-]|$)", re.I)
RATHER_THAN_RE = re.compile(r"\b(?:rather|sooner)\b[^.;!?]{0,80}\bthan\s+(?:to\s+)?$|宁可[^。；;]{0,40}也不\s*$", re.I)


_ZH_PART_END = re.compile(r"[，,。；;！!？?\n]")
_ZH_LEAD_WORDS = re.compile(r"[请要只仅都就把将需得须必]|我们|你们|我|帮我|麻烦|一律|全部|统统")
_ZH_REST = re.compile(r"其他|其余|剩下|别的|另外的|其它")


def _describes_removed(text: str, s: int, e: int, found: list) -> bool:
    """A Chinese keep word with a subject before it and '的' after it, in its part of the sentence, while a later part
    removes (and not the rest): the keep word says what the removed samples are like."""
    if not L.has_cjk(text[s:e]):
        return False
    start = max([m.end() for m in _ZH_PART_END.finditer(text, 0, s)] or [0])
    end_m = _ZH_PART_END.search(text, e)
    end = end_m.start() if end_m else len(text)
    subject = _ZH_LEAD_WORDS.sub("", text[start:s])
    if sum(1 for ch in subject if "\u4e00" <= ch <= "\u9fff") < 2 or "的" not in text[e:end]:
        return False
    return any(v == "remove" and s2 >= end and not _ZH_REST.search(text[end:s2]) for s2, _, v in found)


NEGATED_ANAPHORA_RE = re.compile(r"(?:\s+sure)?\s+(?:that\s+)?(?:no|not (?:a )?single|not one|not any|none of the)\s+(?:[a-z]+\s+){0,2}?"
                                 r"(?:like (?:that|this|those|these)|of (?:that|this) (?:kind|sort|type))\b|"
                                 r"(?:\s+sure)?\s+(?:that\s+)?none of (?:those|these|them)\b", re.I)


def verbs(text: str) -> list[tuple[int, Verb]]:
    """Every keep/remove verb with its position; 'filter to/for' keeps, 'only' keeps."""
    found: list[tuple[int, int, Verb]] = []
    for m in KEEP_RE.finditer(text):
        if m.group(0) == "只要" and (re.match(r"[^。;；]{0,40}?[，,]?\s*就", text[m.end():]) or re.match(
                r"\s*(?:超过|高于|低于|大于|小于|多于|少于|高过|大过|低过|不到|不足|没到|达到|到了|过了|超了|有|抽到|抽中|查到|查出|发现|"
                r"碰到|遇到|出现|被)", text[m.end():]) or re.match(
                # '只要敏感词占比超过千分之五，这篇帖子也不能要': a measure past a number, ending the piece (no '的' makes it a
                # kind of sample to keep)
                r"[^。;；，,的]{1,16}?(?:超过|高于|低于|大于|小于|多于|少于|高过|大过|低过|不到|不足|没到|达到|跌破|突破)[^。;；，,的]{0,14}$",
                text[m.end():])):
            continue  # '只要高过0.2，就进不了' is 'as soon as', not 'only want'
        if re.match(r"(?:下来|着|著)?也", text[m.end():]):
            continue  # '留下来也训练不了': even kept, it is of no use
        if re.search(r"(?:哪怕|即使|就算|即便|纵使|\beven if)\s*$", text[:m.start()], re.I):
            continue  # '哪怕只有0.1以上，也不能留': 'even if only', not 'keep only'
        found.append((m.start(), m.end(), "keep"))
    for m in REMOVE_RE.finditer(text):
        if any(s <= m.start() < e for s, e, _ in found):
            continue
        if NEGATED_CMP_RE.match(text, m.start()):
            continue  # '不要超过 2048': the comparator is negated (the quantity reader reads it), nothing is removed
        found.append((m.start(), m.end(), "remove"))
    # 'those clips are full replays only': 'merely', said of what the samples are, keeps nothing
    found = [(s, e, v) for s, e, v in found
             if not (v == "keep" and text[s:e].lower() == "only" and re.match(r"\s*(?:[,.;:!?]|$)", text[e:]) and
                     re.search(r"\b(?:is|are|was|were)\s+(?!(?:kept|retained|preserved)\b)[^,;:.!?]{1,40}$", text[:s], re.I))]
    # 'must be at least 15' keeps; 'should be thrown away' removes: a modal before a removing verb is not 'keep'
    found = [(s, e, v) for s, e, v in found
             if not (v == "keep" and re.fullmatch(r"(?:must|should|has to|have to|needs? to) be", text[s:e], re.I)
                     and REMOVE_RE.match(text, e + 1) is not None)]
    # 'should be chunked into pieces', 'must be blurred': a modal before an action asks for the action, it keeps nothing
    found = [(s, e, v) for s, e, v in found
             if not (v == "keep" and re.fullmatch(r"(?:must|should|has to|have to|needs? to) be", text[s:e], re.I)
                     and re.match(r"\s+(?!(?:kept|retained|preserved|included|allowed|left)\b)(?:[a-z]+ed|split|cut|set|spun|broken)\b", text[e:], re.I))]
    # "doesn't want": a keep word inside a removal said with it is that removal
    found = [(s, e, v) for s, e, v in found
             if not (v == "keep" and any(v2 == "remove" and s2 < s < e2 for s2, e2, v2 in found))]
    # 'I want it binned', 'we need those removed': what is wanted is the removal, nothing is kept
    found = [(s, e, v) for s, e, v in found
             if not (v == "keep" and re.fullmatch(r"wants?|needs?|(?:would|'d) like", text[s:e], re.I)
                     and any(s2 > e and v2 == "remove" and not re.search(r"[;:!?]|,\s", text[e:s2]) and
                             (len(text[e:s2].split()) <= 8 or  # ('I want every clip shorter than 1.8 s or … removed')
                              len(text[e:s2].split()) <= 30 and re.match(r"(?:[a-z]+ed|gone|out|thrown (?:out|away))\b", text[s2:], re.I)
                              and not any(e < s3 < s2 for s3, _, _ in found))
                             for s2, _, v2 in found))]
    # 'make sure no image like that reaches her', 'ensure none of those stay': what is pointed back at goes
    found = [(s, e, "remove" if v == "keep" and NEGATED_ANAPHORA_RE.match(text, e) else v) for s, e, v in found]
    # '占比卡在六成以下的文本，统统淘汰': a keep word inside what describes the samples ('…的文本') of a later removal
    found = [(s, e, v) for s, e, v in found if not (v == "keep" and _describes_removed(text, s, e, found))]
    if not found and VERDICT_ALONE_RE.match(text):
        found.append((0, len(text), "remove"))  # 'Out, every last one of them: …': the verdict said first, alone
    found.sort()
    out: list[tuple[int, Verb]] = []
    for s, e, v in found:
        if v == "remove" and re.fullmatch(r"filter(?:s|ed|ing)?", text[s:e], re.I):
            v = "filter"
        # "don't keep" / "不要保留" -> remove; "don't remove" -> keep
        if re.search(r"(?:不能|不得|不可|不会|没法)不\s*$", text[max(0, s - 4):s]):
            pass  # '不能不删': a double negative says the verb itself
        elif (re.search(r"(?:\bdon'?t|\bdo not|\bdoesn'?t|\bdoes not|\bdidn'?t|\bnever|\bwon'?t|\bwill not|\bcan'?t|\bcannot|\bshouldn'?t|\bwouldn'?t|\bmustn'?t|"
                        r"\bdon'?t bother|\bno point(?: in)?|\bno need to|\bnot worth|不要|别|不予|不被|不)\s*$",
                        text[max(0, s - 14):s], re.I) or
                re.search(r"(?:\bnot|\bnever)(?:\s+(?!only\b|just\b)[a-z']+){1,3}\s+$", text[max(0, s - 30):s], re.I)) and \
                not text[s:e].startswith(("不", "don", "do not")):
            v = "remove" if v == "keep" else "keep"
        if RATHER_THAN_RE.search(text[max(0, s - 100):s]):
            v = "remove" if v == "keep" else "keep" if v in ("remove", "filter") else v  # "I'd rather lose … than keep …"
        if v == "keep" and (RHETORIC_BEFORE_RE.search(text[max(0, s - 40):s]) or RHETORIC_AFTER_RE.match(text, e)):
            v = "remove"  # 'Why would anyone keep …?', '这种样本留着干嘛呢': a question that says 'do not keep'
        out.append((s, v))
    if EXCEPT_ALL_RE.search(text):  # 'Everything except pages under 100 words can stay': what is excepted gets the other
        out = [(s, "remove" if v == "keep" else "keep" if v in ("remove", "filter") else v) for s, v in out]
    return out


def verb_at(text: str, pos: int, default: Verb | None) -> Verb | None:
    """The verb governing a position: the nearest one before it, else the first after it."""
    vs = verbs(text)
    # ('只研究价格两头的商品：meta.price 在100到500之间的全部剔除': the verb of the number's own part after a colon)
    lo = max(text.rfind(":", 0, pos), text.rfind("：", 0, pos)) + 1
    hi = min([i for i in (text.find(":", pos), text.find("：", pos)) if i != -1] or [len(text)])
    vs = [(p, v) for p, v in vs if lo <= p < hi] or vs
    before = [v for p, v in vs if p <= pos]
    if before:
        return before[-1]
    after = [v for p, v in vs if p > pos]
    return after[0] if after else default


CHARACTERS_OF_RE = re.compile(r"\s*(?:-?language\s+)?(?:characters?|chars?|letters?|scripts?|字符|字母|汉字|文字|假名|符号)", re.I)


def languages(text: str) -> list[tuple[str, int, int, bool]]:
    """(code, start, end, names-the-data) for language names and codes given after 'lang'."""
    out = []
    for m in LANG_RE.finditer(text):
        code = L.LANGUAGES[m.group("name").lower()]
        if m.group("name") == "中文" and re.match(r"字(?!符|母)", text[m.end():]) and re.search(r"[面中里上内框]$", text[:m.start()]):
            continue  # '画面中文字区域': 画面中 + 文字, not Chinese
        tail = text[m.end():m.end() + 24]
        head = text[max(0, m.start() - 30):m.start()]
        wide_head = text[max(0, m.start() - 60):m.start()]  # 'convert everything to simplified Chinese'
        if CHARACTERS_OF_RE.match(tail) or re.search(r"(?:characters?|chars?|letters?|scripts?|symbols?)\s+(?:that|which)\s+"
                                                     r"(?:is|are)(?:n't|\s+not)\s+(?:in\s+)?$", head, re.I):
            out.append((code, m.start(), m.end(), False))  # 'non-Chinese characters' is about characters
            continue
        if re.match(r"\s*(?:的\s*)?(?:[\w-]+\s+){0,2}?(?:(?:language\s+)?models?|lm|splitter|tokenizer|segmenter|"
                    r"dictionary|rules?|conventions?|ocr|grammar|(?:stop|flagged|swear|bad)[- ]?words?\s+lists?|规则|断句规则|分句规则|word\s*lists?|lexicon|vocabulary|模型|困惑度|分句|分词|词典|语言模型|词表|词库|词单|停用词|脏话|脏词|敏感词|屏蔽词)", tail, re.I) or \
                re.search(r"(?:\b(?:convert\w*|translat\w*|turn\w*)\s+(?:\w+\s+){0,3}?(?:in)?to|成|为)\s*(?:simplified|traditional|简体|繁体)?\s*$",
                          wide_head, re.I):
            out.append((code, m.start(), m.end(), False))  # 'the Chinese perplexity model', 'convert it to simplified Chinese'
            continue
        if re.search(r"(?:traditional|simplified|繁体|简体|繁體|簡體)\s*$", head, re.I) and \
                not re.search(r"(?:only|just|只|仅|僅)\W*(?:\w+\s+){0,2}?(?:traditional|simplified|繁体|简体|繁體|簡體)\s*$", head, re.I):
            out.append((code, m.start(), m.end(), False))  # 'convert the traditional Chinese text': the script to change
            continue
        names_data = bool(re.match(rf"\s*(?:-?language\s+)?(?:(?:web\s+|only\s+)?{DATA_NOUNS}|-?only\b|$|\W*$|[,，。;；]|(?:and|or|&|和|或)\s)", tail, re.I)) \
            or bool(re.search(r"(?:only|just|non[- ]?|not|只|仅|非)\s*$", head[-12:], re.I)) \
            or bool(re.search(r"\b(?:only|just)\s+(?:[a-z]+\s+){1,2}(?:the\s+|an?\s+)?$", head, re.I)) \
            or bool(re.match(r"[\u4e00-\u9fff]{1,4}?(?:里|当中|之中|中(?![文国]))", tail))  # 'only serves the Japanese market', '英文稿件里'

        out.append((code, m.start(), m.end(), names_data))
    codes = set(L.LANGUAGES.values())
    named = list(out)
    for m in re.finditer(r"(?<![\w.])([a-z]{2})((?:\s*(?:,|/|\bor\b|\band\b|&|、)\s*[a-z]{2}(?![\w.]))+)|(?<![\w.])([a-z]{2})(?=\s+" + DATA_NOUNS + ")", text):
        items = [m.group(1)] + re.findall(r"[a-z]{2}", m.group(2)) if m.group(1) else [m.group(3)]
        items = [x for x in items if x not in ("or", "an", "as")]
        if items and all(x in codes and (x not in L.AMBIGUOUS_CODES or len(items) > 1) for x in items):
            if not any(s <= m.start() < e for _, s, e, _ in named):
                for x in items:
                    out.append((x, m.start(), m.end(), True))
    for m in LANG_CODE_RE.finditer(text):
        for c in re.split(r"\s*(?:,|/|or|and|\+|、)\s*", m.group("codes")):
            c = c.lower()
            if c in set(L.LANGUAGES.values()) and not any(s <= m.start("codes") < e for _, s, e, _ in out):
                # ('语言设成 zh', 'lang set to de': a setting of the step, not the data's language)
                setting = bool(re.search(r"(?:设成|设为|設為|设置为|set to)\s*['\"`]?\s*$|\b(?:with|using)\s+(?:the\s+)?lang(?:uage)?\s*[=:]\s*['\"`]?\s*$",
                                         text[:m.start("codes")], re.I)) and not verbs(text[:m.start("codes")])
                # '困惑度按中文模型算（lang=zh）': an argument written out in a remark is the step's setting
                setting = setting or bool(re.match(r"lang(?:uage)?\s*=", m.group(0), re.I) and
                                          re.search(r"[(（]\s*$", text[:m.start()]))
                out.append((c, m.start("codes"), m.end("codes"), not setting))
    return sorted(out, key=lambda x: x[1])


def fields(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in FIELD_RE.finditer(text):
        name = m.group("q") or m.group("d")
        if name.lower() in NOT_FIELDS or re.fullmatch(r"[\d.]+", name):
            continue
        if m.group("d") and name.split(".")[-1].lower() in FILE_EXT and not name.startswith(("meta.", "__dj__")):
            continue
        if m.group("q") and "." not in name and not re.search(r"(?:field|key|column|字段|键)", text[max(0, m.start() - 20):m.start()] +
                                                             text[m.end():m.end() + 12], re.I):
            continue
        out.append((name, m.start(), m.end()))
    # 'in the keyframes field', '存到 keyframes 字段里', 'the field caption_prompt': a bare name said as a field
    for m in BARE_FIELD_RE.finditer(text):
        name = m.group("a") or m.group("b")
        s = m.start("a") if m.group("a") else m.start("b")
        if name.lower() in _NOT_BARE_FIELDS or any(s0 <= s < e0 for _, s0, e0 in out):
            continue
        out.append((name, s, s + len(name)))
    return sorted(out, key=lambda f: f[1])


BARE_FIELD_RE = re.compile(
    r"(?<![\w.`'\"-])(?P<a>[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+|(?<=\bthe )[A-Za-z][A-Za-z0-9]*(?=\s+(?:field|column)\b(?!\s*[-a-z]*(?<!of)(?<!in)(?<!for)(?<!and)(?<!to)(?<!on)(?<!with)\s+[a-z]))|"
    r"(?<=[\s\u4e00-\u9fff])[A-Za-z][A-Za-z0-9]*(?=\s*(?:这个)?字段))\s*(?:\bfield\b|\bcolumn\b|(?:这个)?字段)|"
    r"\b(?:field|column|字段)\s*(?:(?:named|called|名为|叫)\s*)(?P<b>[A-Za-z_][A-Za-z0-9_]*)(?![\w.`'\"])", re.I)
_NOT_BARE_FIELDS = {"the", "a", "an", "this", "that", "its", "their", "each", "same", "default", "new", "one", "own", "other",
                    "meta", "that's", "which", "text", "of", "in", "to", "into", "as", "and", "or", "is", "per", "every", "any",
                    "separate", "extra", "given", "specified", "existing", "output", "input", "right", "wrong", "field", "column"}


def unquote_statements(text: str) -> str:
    """'Reviewer 2 wrote: "The corpus still contains documents whose … is above 0.3, and …"': a quoted sentence
    is a statement to read like the rest, not a literal value; its quote marks become spaces (same length)."""
    def sub(m: re.Match) -> str:
        inner = next(g for g in m.groups() if g is not None)
        words = len(re.findall(r"[A-Za-z]+", inner)) + len(re.findall(r"[\u4e00-\u9fff]", inner)) // 2
        statement = ((re.search(r"[.!?。！？]\s*$", inner) and words >= 4) or words >= 8) and re.search(r"\d|[一二两三四五六七八九十百千万]", inner)
        # ('要求每篇“不少于八百字”', 'the spec says "at least 300 words"'): a quoted requirement is a bound, no literal
        statement = statement or (len(inner) <= 24 and re.search(r"\d", inner) and
                                  (_BOUND_WORD_RE.search(inner) or re.search(r"\b(?:at least|at most|no (?:more|less|fewer) than|"
                                                                            r"more than|less than|fewer than|under|over|up to)\b|不少于|不多于|至少|至多|最多|最少", inner, re.I)))
        return " " + inner + " " if statement and m.group(0)[0] != "`" else m.group(0)
    return QUOTED_RE.sub(sub, text)


def quoted(text: str) -> list[tuple[str, int, int]]:
    return [(next(g for g in m.groups() if g is not None), m.start(), m.end()) for m in QUOTED_RE.finditer(text)]


COMPARATIVE_RE = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:\w+er|more|less|fewer|bigger|smaller)\b(?:\s+\w+){0,5}\W*$|更|再(?:高|长|大|多|低|短|小|少)|超(?:了|出)|没到|不到|不够|不足", re.I)
# the place a bound marks out, pointed back at ('that band', 'that murky middle', 'the same window')
_BAND_NOUNS = "band|range|interval|bucket|zone|window|middle|mark|line|limit"
ANAPHORA_RE = re.compile(r"\b(?:those|these|them|they|it|such|both|the ones|each one|every one|each of them|like (?:that|this)|"
                         r"even (?:that|this)|that (?:one|score|value|number)|"
                         r"(?:whatever|anything|everything|all|the ones?|what) (?:that )?(?:got|gets|was|were|is|are|has been|have been) "
                         r"(?:marked|flagged|tagged|picked|caught|selected|found|matched)|the (?:marked|flagged|tagged) ones|"
                         rf"(?:that|this|the same) (?:[a-z]+ )?(?:{_BAND_NOUNS}|group|kind|sort|type|category|trait|property|pattern|profile|description|condition|criterion|bill))\b|这些|那些|它们|(?<=[把将])它(?!们)|这种|此类|这个|那个|这样的|这类|这[两二几三]\s*(?:种|类|样|批|部分)|两者|二者|这一段|这一档|这部分|这段|这一批|这批|(?:被|所)?(?:标记|标出|挑出|筛出|选出)(?:来)?的", re.I)


# 'that band', 'that murky middle', 'in that window', '这个区间': a place just bounded, pointed back at
POINTS_BACK_RE = re.compile(rf"\b(?:that|this|the same)\s+(?:[a-z]+\s+)?(?:{_BAND_NOUNS}|bracket|span|cutoff|threshold)\b|这个(?:区间|范围|档|段)|这(?:一|个)?(?:区间|范围|档)", re.I)


ONLY_RE = re.compile(r"\b(?:only|just|solely|exclusively)\b|只|仅|僅", re.I)
CODE_FILES_RE = re.compile(rf"(?P<names>{_CODE_ALT}(?:\s*(?:,|/|\bor\b|\band\b|&|和|与|或|、)\s*{_CODE_ALT})*)\s*(?:的\s*)?"
                           rf"(?:{L.alternation(L.CODE_FILE_WORDS)})", re.I)
FORMAT_WORD_RE = re.compile(r"(?<![\w.'/-])([A-Za-z][A-Za-z0-9]{2,4})(?![\w.'/-])")
FORMAT_CUE_RE = re.compile(r"\b(?:formats?|files?|extensions?|encod\w*|containers?|videos?|clips?|audios?|recordings?|images?|photos?|"
                           r"pictures?)\b|格式|文件|后缀|扩展名|视频|音频|图片|照片", re.I)
_NOT_FORMATS = {"mid", "ram", "snd", "ras", "rgb", "art", "jpe", "ief", "the", "and", "sofa"}


ZH_VALUE_RE = re.compile(r"(?:有|含有?|包含|带有?|出现|打上|标上|标有|标了|标为)\s*([a-z][a-z-]{1,20})\s*"
                         r"(?=的|标签|这个标签|这一标签|(?:和|与|、|或|及)\s*[a-z])")


def media_format(word: str) -> bool:
    """An audio, video or image file format by the standard library's table of file types ('wav', 'FLAC', 'mp4')."""
    w = word.lower()
    kind = mimetypes.guess_type(f"x.{w}")[0] if w not in _NOT_FORMATS else None
    return bool(kind) and kind.split("/")[0] in ("audio", "video", "image")


# '…, is a banner.', '… are probably bots': the samples described are called something; with a number said and no
# keep or remove verb, calling them a kind of thing (not a good one) marks them for removal
LABELLED_RE = re.compile(r"\b(?:is|are)\s+(?:just\s+|basically\s+|probably\s+|clearly\s+|surely\s+|most likely\s+|almost "
                         r"certainly\s+)?(?:a|an)\s+(?!(?:good|great|keeper|fine|valid|useful|real|proper|clean|solid|nice|"
                         r"must|requirement|minimum|maximum|limit)\b)[a-z-]+(?:\s+[a-z-]+)?\s*[.!;]?\s*$", re.I)


def analyse(offset: int, text: str, default: Verb | None) -> Clause:
    c = Clause(text=text, start=offset)
    vs = verbs(text)
    if vs:
        c.verb_pos, c.verb = vs[0]
    else:
        c.verb = default
    c.negative = bool(NEG_RE.search(text))
    if not vs and c.negative:
        c.verb = "remove"
    c.languages = languages(text)
    c.fields = fields(text)
    c.quoted = quoted(text)
    m = EXPR_RE.search(text)
    worded = WORDED_CMP_RE.search(text)
    if (lam := _lambda(text)) is not None:  # 'use this lambda as is: lambda s: {**s, …}': written as it is
        m = lam
        c.expression = (lam.group(0), lam.start(), lam.end())
    elif m and re.search(r"[<>=!]", m.group("expr")) and re.search(r"[A-Za-z]\w*[._]\w", m.group("expr")):
        c.expression = (m.group("expr").strip().rstrip("."), m.start(), m.end())  # (the sentence's full stop)
    elif (eq := WORDED_EQ_RE.search(text)) and not worded:
        m = eq
        c.expression = (f"{m.group('a')} == {m.group('v')}", m.start(), m.end())
    elif worded:
        m = worded
        c.expression = (f"{m.group('a')} {'<' if m.group('lt') else '>'} {m.group('b')}", m.start(), m.end())
    if c.expression:
        c.fields = [f for f in c.fields if not (m.start() <= f[1] < m.end())]
        c.languages = [x for x in c.languages if not (m.start() <= x[1] < m.end())]  # "meta.lang == 'en'"
    c.symbols = "".join(SYMBOLS_RE.findall(text))
    # '替换成[EMAIL]' in a sentence without spaces is a placeholder, not a character class
    c.regexes = [_balanced(r.strip("'\"`").split("`")[0]) for r in REGEX_RE.findall(text)
                 if REGEX_FEATURE_RE.search(PLACEHOLDER_RE.sub("", r))]  # ('`1\d{10}`）都换成': the quoted regex)
    suffixes = [(m.group(0), m.start()) for m in SUFFIX_RE.finditer(text)]
    formats = [(f".{m.group(1).lower()}", m.start()) for m in FORMAT_WORD_RE.finditer(text) if media_format(m.group(1))]
    if formats and (len({f for f, _ in formats}) >= 2 or FORMAT_CUE_RE.search(text)):
        # 'only FLAC files', '只收 wav 和 flac': media formats named without their dot
        suffixes = sorted(suffixes + [f for f in formats if f[0] not in {x for x, _ in suffixes}], key=lambda x: x[1])
    for m in CODE_FILES_RE.finditer(text):  # 'only Python and Rust source files', '只要 Python 和 Java 的源码'
        if not any(v == "keep" for _, v in vs) and not ONLY_RE.search(text[:m.start()]):
            continue  # ('把 Python 代码里重复的文件去掉': the code the step works in, not files to keep or drop)
        names = re.findall(_CODE_ALT, m.group("names"), re.I)
        suffixes += [(x, m.start()) for n in names for x in L.CODE_LANGUAGES[n.lower()] if x not in {y for y, _ in suffixes}]
    if vs and any(p > vs[-1][0] for _, p in suffixes):  # 'mp3、m4a 什么都有，只收 wav 和 flac': the ones the verb is about
        suffixes = [x for x in suffixes if x[1] > vs[-1][0]]
    c.suffixes = list(dict.fromkeys(x for x, _ in suffixes))
    c.placeholders = PLACEHOLDER_RE.findall(text)
    c.regions = [(re.sub(r"\s+", "", m.group(0)), m.start(), m.end()) for m in REGION_RE.finditer(text)]
    c.urls = [(m.group(0), m.start(), m.end()) for m in URL_RE.finditer(text)]
    # 'Half the dashcam videos show faces': a share of the data said as the subject is no setting
    c.quantities = [q for q in read_quantities(c.masked)
                    if not (q.cmp == "none" and q.measure is None and
                            re.fullmatch(r"\W*(?:(?:and|but|so|yet|while)\s+)?", c.masked[:q.start], re.I) and
                            re.match(r"\s+(?:of\s+)?(?:the|our|my|these|those|all|every|each|their|its)\b", c.masked[q.end:], re.I))]
    for m in OPTION_RE.finditer(text):
        if m.group("w"):
            c.options[m.group("k")] = m.group("w")
            c.option_spans.append((m.start("w") - 1, m.end("w")))
            continue
        if m.group("e") or m.group("u"):
            g = "e" if m.group("e") else "u"
            c.options[m.group("k")] = m.group(g)
            c.option_spans.append((m.start(g) - 1, m.end(g)))
            continue
        c.options[m.group("k")] = float(m.group("v")) if "." in m.group("v") else int(m.group("v"))
        c.option_spans.append((m.start("v") - 1, m.end("v")))
    c.paths = [m.group(0).rstrip(".") for m in PATH_RE.finditer(text) if re.search(r"[A-Za-z]", m.group(0))]
    c.named_chars = [ch for rx, ch in NAMED_CHARS_RES if rx.search(text)][:1]
    stop = {"or", "and", "the", "a", "an", "to", "in", "of", "only", "just", "also", "ones", "leave", "keep", "drop", "remove",
            # ('… dialogue dataset, each sample holds …': a comma between two parts of a sentence, no list)
            "each", "every", "so", "then", "which", "that", "this", "these", "those", "it", "they", "we", "i", "you", "but",
            "if", "when", "with", "for", "dataset", "data", "all", "any", "some", "most", "please"}
    for m in WORD_LIST_RE.finditer(PATH_RE.sub(lambda m: " " * len(m.group(0)), text)):
        items = [m.group(1)] + [re.sub(r"^(?:a|an)\s+", "", w) for w in re.split(r"\s*(?:,|/|\bor\b|\band\b|、|或者|或|和)\s*", m.group(2)) if w]
        items = [w for w in items if w.lower() not in stop]
        if all(re.fullmatch(r"(?:image|text|video|audio|caption|picture|photo)s?", w, re.I) for w in items) and \
                re.match(r"[\s-]*(?:sets?|pairs?|data(?:\s*sets?)?|corpus|samples?|collections?|dumps?|models?)\b", text[m.end():], re.I):
            continue  # 'the recipe-blog image/text set': what kind of data, no values
        if len(items) >= 2:
            c.word_lists.append(items)
    for m in CONTAINED_LIST_RE.finditer(text):
        # 'words that contain http or .com', '含有 http 或 .com 的单词': parts of words, not file suffixes
        items = [w for w in re.split(r"\s*(?:,|/|\bor\b|\band\b|、|或者|或|和)\s*", m.group("items")) if w]
        if any(w.startswith(".") for w in items) and len(items) >= 2:
            c.suffixes = [x for x in c.suffixes if x not in items]
            c.word_lists = [ws for ws in c.word_lists if not set(ws) < set(items)] + [items]
    listed = {w for ws in c.word_lists for w in ws}
    for m in ZH_VALUE_RE.finditer(text):  # '画面标签里有 dog 的视频': one English value in a Chinese sentence
        if m.group(1) not in listed and not any(m.group(1) in f for f, _, _ in c.fields):
            c.word_lists.append([m.group(1)])
    return c


# 'wider than 4000 px. hmm wait, no, make that 6000': the number said again replaces the one before it
_CORRECTION_RE = re.compile(
    r"[\s,.;:!—-]*(?:\b(?:hmm+|uh+|um+|er+|oh|oops)\b[\s,.!]*)?(?:\bwait\b[\s,.!]*)?"
    r"(?:\b(?:no|nope|actually|sorry|scratch that|correction|on second thought)\b[\s,.:!]*)+"
    r"(?:make (?:that|it)|change (?:that|it) to|i mean|it should be|should be|rather|let'?s say|say)\s+"
    r"(?P<new>\d[\d,.]*\d|\d)\b|"
    r"[\s,.;]*\b(?:wait|hmm+)?[\s,]*make that\s+(?P<new2>\d[\d,.]*\d|\d)\b|"
    r"[\s，。；,]*(?:不对|不是不是|哦不|错了|说错了|更正一下|更正)[，,：:。\s]*(?:应该是|应该|是|改成|改为|换成)?\s*(?P<new3>\d[\d.]*)", re.I)
_NUMBER_RE = re.compile(r"(?<![A-Za-z0-9_.])\d[\d,]*(?:\.\d+)?(?![\d])")
# '原视频留着……算了，还是不留了': what was said before 算了 is taken back; the verb said again with 不 wins
_TAKEN_BACK_RE = re.compile(r"(?P<said>[^，。；,;！!？?…]{2,24})(?:…+|\.{3,}|——|[，,]\s*)\s*算了[，,\s]*还是(?P<neg>[不别])(?P<verb>[\u4e00-\u9fff])[\u4e00-\u9fff]{0,3}?(?:了|吧)?")


def corrected(text: str) -> str:
    """A request with its self-corrections applied: 'anything taller than 4000 px, no, make that 6000' says 6000;
    '原视频留着……算了，还是不留了' says '原视频不留'."""
    while True:
        m = _CORRECTION_RE.search(text)
        if not m:
            break
        new = m.group("new") or m.group("new2") or m.group("new3")
        before = [n for n in _NUMBER_RE.finditer(text, max(0, m.start() - 200), m.start())]
        if not before:
            text = text[:m.start()] + " " + text[m.end():]
            continue
        old, tail = before[-1], text[m.end():]
        between = text[old.end():m.start()]
        unit = next((j for j in range(min(len(between), len(tail)), 0, -1) if between[:j].strip() and tail.startswith(between[:j])
                     and (j == len(tail) or not (tail[j - 1].isalnum() and tail[j].isascii() and tail[j].isalnum()))), 0)
        # ('不对，是30个字', 'no, make that 500 px wide': the unit said again)
        text = text[:old.start()] + new.rstrip(",.") + text[old.end():m.start()] + tail[unit:]
    def back(m: re.Match) -> str:
        said, verb = m.group("said"), m.group("verb")
        at = said.rfind(verb)
        if at <= 0:
            return m.group(0)
        return said[:at] + m.group("neg") + verb
    return _TAKEN_BACK_RE.sub(back, text)


# 'Task 3 (10 points): …', 'Methods, section 3.1 (…): …', '练习题：…', '第三条　…': a numbered heading that opens the
# request names no step; its number is no setting
HEADING_RE = re.compile(
    r"^\s*(?:(?:[A-Za-z]+\s*,\s*)?(?:task|section|step|question|exercise|part|chapter|item|problem|assignment|ticket|"
    r"requirement|article|clause|appendix|homework|q)\s*#?\s*\d+(?:\.\d+)*\b[^:：\n]{0,60}?[:：]|"
    r"[^：:\n。；]{0,8}?(?:第\s*[\d一二三四五六七八九十百]+\s*[条题步节章项款部分]+|练习题|习题|作业题?|思考题|题目|考题)"
    r"[^：:\n。；]{0,24}?(?:[：:]|\u3000|\s{2,}|(?=\s*[\u4e00-\u9fff]{2})))", re.I)


FENCE_RE = re.compile(r"^[ \t]*```[^\n]*\n(?P<body>.*?)^[ \t]*```[ \t]*(?:\n|$)", re.M | re.S)
MD_HEADING_RE = re.compile(r"^[ \t]*#{1,6}[ \t]+(?P<title>[^\n]*)(?:\n|$)", re.M)


# 'batch 7', 'sprint 12', '第3批': the name of a delivery of data, no step and no setting
BATCH_ID_RE = re.compile(r"\b(?:batch|lot|wave|sprint|milestone|drop)\s*(?:no\.?\s*|#\s*)?\d+\b(?!\s*(?:%|[a-z]))|"
                         r"第\s*[\d一二三四五六七八九十]+\s*(?:批|期|轮)(?![次数])", re.I)
# 'I teach Year 6', 'Season 2', '六年级', '三班', '第五章': a number in the name of a class, a season or a chapter
NAME_NUMBER_RE = re.compile(r"(?<![\w-])(?:Year|Grade|Class|Form|Season|Episode|Chapter|Lesson|Unit|Room|Week|Team|Group|Phase)"
                            r"\s+\d{1,2}(?![\w%.,:/-])|(?<![\d一二三四五六七八九十])[\d一二三四五六七八九十]{1,3}\s*(?:年级|班)(?![次数级])|"
                            r"第\s*[\d一二三四五六七八九十]+\s*(?:季|集|章|课|单元)")
_DIFF_LINE_RE = re.compile(r"^[ \t]*([+-])(?![+-])[ \t]*(.*)$", re.M)


# a Markdown table: the rule under its header goes; a row is read as its cells, without a leading step number
TABLE_RULE_RE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*(?:\n|$)", re.M)
TABLE_ROW_RE = re.compile(r"^[ \t]*\|(?P<cells>.*?)\|?[ \t]*$", re.M)


def _balanced(regex: str) -> str:
    """A pattern said inside brackets ('(pattern CUST-\\d{6})', 'https://t\\.co/\\w+),'): the closing bracket and the
    punctuation after it belong to the sentence."""
    while regex and regex[-1] in ").,;:）。，；" and (regex[-1] not in ")）" or regex.count("(") < regex.count(")")) and \
            not regex.endswith("\\" + regex[-1]):
        regex = regex[:-1]
    return regex


def _table_row(m: re.Match) -> str:
    cells = [c.strip() for c in m.group("cells").split("|")]
    if cells and re.fullmatch(r"(?:\d+|[一二三四五六七八九十]+|[A-Za-z])[.)、]?", cells[0]) and len(cells) > 1:
        cells = cells[1:]  # '| 1 | 先拆回… |': the row's number is no setting
    sep = "；" if any(L.has_cjk(c) for c in cells) else "; "
    return sep.join(c for c in cells if c) + ("。" if sep == "；" else ".")


def _fenced(m: re.Match) -> str:
    """A fenced block: a recipe stays; a diff says its added lines (the removed ones are what it replaces); any
    other pasted output (a log, a traceback) goes."""
    body = m.group("body")
    if re.search(r"^\s*process\s*:", body, re.M):
        return m.group(0)
    lines = [ln for ln in body.splitlines() if ln.strip()]
    diff = _DIFF_LINE_RE.findall(body)
    if lines and len(diff) == len(lines) and any(sign == "+" for sign, _ in diff):
        return "\n".join(said for sign, said in diff if sign == "+") + "\n"
    return ""


def without_heading(text: str) -> str:
    """The request with a numbered heading at its start blanked out, and its markup: a fenced block of pasted
    output (a log, a traceback; not a recipe), the '#'s of a Markdown heading and a heading that names no action
    ('### Changed') go; a numbered heading is blanked (same length)."""
    marks = re.findall(r"^[ \t]*\d+\s*/\s*(\d+)[ \t]", text, re.M)
    if len(marks) >= 2 and len(set(marks)) == 1:  # '1/3 …\n2/3 …\n3/3 …': a thread's numbering, no fraction
        text = re.sub(r"^([ \t]*)\d+\s*/\s*\d+(?=[ \t])", r"\1", text, flags=re.M)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) >= 3 and sum(bool(re.match(r"[ \t]*#+[ \t]", ln)) for ln in lines) >= 0.8 * len(lines):
        text = re.sub(r"^([ \t]*)#+[ \t]", r"\1", text, flags=re.M)  # a block of '# …' comment lines, no headings
    text = FENCE_RE.sub(_fenced, text)
    text = TABLE_RULE_RE.sub("", text)
    text = TABLE_ROW_RE.sub(_table_row, text)
    text = BATCH_ID_RE.sub(lambda m: " " * len(m.group(0)), text)
    text = NAME_NUMBER_RE.sub(lambda m: re.sub(r"[\d一二三四五六七八九十]", "某", m.group(0)) if re.search(r"[\u4e00-\u9fff]", m.group(0))
                              else " " * len(m.group(0)), text)
    text = MD_HEADING_RE.sub(lambda m: "" if not verbs(m.group("title")) else
                             m.group("title") + ("\n" if m.group(0).endswith("\n") else ""), text)
    m = HEADING_RE.match(text)
    if not m or verbs(m.group(0)):
        return text
    return " " * m.end() + text[m.end():]
