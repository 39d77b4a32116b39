"""The built-in planner (no LLM): a request in plain words, English or Chinese -> a Data-Juicer recipe.

It knows no operator by name. Each clause of the request is matched against the catalog (every
operator's description, arguments and example requests, indexed with multilingual n-grams); the
clause's quantities (`quantities.py`), languages, fields and quoted values are given to the operators
whose arguments declare that measure (`binding.py`), on the side the polarity table says. A request that
names a job but not its steps gets the nearest reference recipe (`sandbox_engine/recipes/reference/`),
explained step by step. What maps to nothing is said back, never dropped silently.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from agent.planner import clauses as C
from agent.planner import lexicon as L
from agent.planner.binding import _flag_by_name as _flag_named
from agent.planner.binding import (DIM_WORDS_RE, NUMERIC, RANDOM_PICK_RE, REPLACE_RE, ArgMeta, bind_quantity, bind_roles, cue_values, fits,
                                   flip, mentions, name_hint, named_choice, opaque, place_bound, plausible)
from agent.planner.lexicon import CONTEXT_PREFIXES, MODALITY_WORDS, TARGET_RE, alternation, has_cjk
from agent.planner.quantities import BACK_REFERENCE_RE, UNLESS_RE, Quantity, as_ascii, simplified, normalize, read_quantities
from tools.retrieval import stem

PLANNER_NAME = "built-in planner (operator metadata + catalog, no LLM)"
CATEGORY_ORDER = {"mapper": 0, "filter": 1, "deduplicator": 2, "selector": 3, "grouper": 4, "aggregator": 5}
# retrieval scores: an operator named by a piece of the request; one that takes a stated value
TOP_MIN = 0.30
EVIDENCE_MIN = 0.16
AVOID_PENALTY = 0.5  # an operator for an action the user ruled out ('stretching them would ruin them')
RECIPE_MIN = 0.30
NOTHING_ELSE_MIN = 0.08  # a job recipe that clearly leads, when the request named no step at all
NOTHING_ELSE_MARGIN = 1.4
NAME_WORD_BONUS = 0.15  # an operator whose name's distinctive word the request says in Chinese
LOW_MIN = 0.12   # below TOP_MIN, an operator still counts when it is clearly ahead of the next one
MARGIN = 1.6
SITUATION_MIN = 0.15  # a described situation ('most clips barely move') implies the operator it clearly matches
SITUATION_MARGIN = 1.3
RECIPE_OTHER_LANGUAGE = 0.5
JOB_LEAD = 1.15
MEANING_MIN = 0.2  # the learned reading of a request (agent/planner/op_classifier.py) answers one that names no setting
MEANING_TOP_K = 5  # a step with no setting must be among the operators the learned reading ranks first
MEANING_ALSO = 0.1  # ... and a guessed step beside the learned reading's answer, as likely as this
MEANING_ARGS_K = 12  # a step with settings must be among the operators the learned reading ranks first this far
MEANING_KEEP = 0.05  # a step guessed by the rules stands when the learned reading gives it this much
GUESS_MIN = 0.1  # a request that names nothing at all: the closest situation, when it clearly leads, as a guess
GUESS_MARGIN = 1.0  # (nothing else found: the closest situation is a better answer than an empty plan)
NO_LOSS_PENALTY = 0.3  # a request that forbids losing samples: operators that drop samples step back
DROPPING = ("filter", "deduplicator", "selector")
NAMED_MARGIN = 1.3  # an operator this far ahead, asked to do something (not keep/remove), takes its own numbers
NOT_NAMED_RE = re.compile(r"(?:\bnot|\brather than|\binstead of|\bwithout|\bno|而不是|不是|不用|别用|不要用)\s*(?:the\s+|a\s+)?(?P<tok>[A-Za-z]{3,})",
                          re.I)
NOT_BY_FIELD_RE = re.compile(r"(?:别|不要|不|不用|无需|不能)(?:按|根据|依据|看|照)(?:任何|哪个|某个|什么)?(?:字段|属性|指标|分数|meta)|"
                             r"\b(?:not|never|without)\s+(?:by|based on|on|going by|looking at|sorted by|ranked by)\s+"
                             r"(?:any|a|one|some)\s+(?:field|column|attribute|score|metadata)\b", re.I)
LEAVE_RE = re.compile(r"\b(?:leave|let)\b[^.;]{0,40}\b(?:alone|untouched|intact|as (?:they|it) (?:are|is))\b|\bdon'?t touch|"
                      r"\bdo not touch|保持原样|不要动|别动|不动|保留", re.I)
SCOPE_AFTER_RE = re.compile(r"[^，,。；;\s]{0,6}?(?:里|当中|之中|中(?![文国]))")  # '英文评论里': where the step works
ALL_OF_BEFORE_RE = re.compile(r"(?:\ball(?:\s+of)?(?:\s+the|\s+those|\s+these|\s+them)?|全部|这|那)\s*$", re.I)
OUR_DATA_RE = re.compile(r"(?:\b(?:this|these|our|my|for (?:the|our|my|this))|这批|这些|这份|我们的|我的|这个)\s*$", re.I)
SOME_ARE_RE = re.compile(r"\W*(?:some|most|many|a few|a lot|lots|half|several|plenty|a bunch|these|those|they|this|it|all)"
                         r"(?:\s+of\s+(?:them|these|those|the\s+\w+))?\s*(?:are|were|is|was|'re|'s|look|looks|sound|sounds|come|came)\b|\W*(?:(?:这些|那些|这批|那批)[\u4e00-\u9fff]{0,4}?)?(?:有些|有的|其中有些|其中一些|一部分|大部分|大多|很多|好多|好些|许多|不少|多半)(?:都)?是", re.I)
# ('Our image sets have several photos per sample but only one caption': what the data is)
OUR_DATA_HAS_RE = re.compile(r"\W*(?:our|my|the|these|those)\s+(?:[\w-]+\s+){1,5}?(?:have|has|are|is|contain|contains|come with|hold|holds)\b|"
                             r"\W*(?:[\w-]+\s+){0,3}?(?:clips?|videos?|images?|photos?|recordings?|files?|samples?|documents?|texts?|posts?)\s+"
                             r"(?:have|has|contain|contains|come with)\s+(?![^,.;]*\b(?:more|less|fewer|over|under|above|below)\b)", re.I)
ADDITIVE_RE = re.compile(r"而且|并且|也要|还要|还得|也得|同时|\balso\b|\bas well\b|\bon top of that\b|\bmoreover\b", re.I)
SEPARATOR_RE = re.compile(r"隔开|分隔|隔断|分开的|\bseparated by\b|\bdelimited by\b|\bseparator\b|\bdelimiter\b", re.I)
SEPARATOR_RUN_RE = re.compile(r"(?<!\S)[*=#~_-]{3,}(?!\S)")  # 'separated by lines that contain only ***'
# '…, so that every example holds one whole conversation': what the step before is for
SO_THAT_RE = re.compile(r"\W*(?:so that|so as to|in order (?:to|that)|以便|好让|为的是|这样(?:一来)?(?:就|才)?能)(?![\w-])", re.I)
SO_START_RE = re.compile(r"\W*so\s+(?!that\b|as\b|far\b|much\b|many\b|long\b|few\b|little\b)", re.I)
FOR_DATA_RE = re.compile(r"\W*(?:for|on|with|in)\s+(?:our|my|the|these|this|those|all)\b|\W*(?:对于|针对|对|關於|对这|在)\s*(?:我们的|我的|这批|这些|这份|这个|這批|這些)", re.I)
ONLY_BEFORE_RE = re.compile(r"(?:\bonly|\bjust|\bnon[- ]?|\bnot|只|仅|非)\s*(?:the\s+|in\s+)?$", re.I)  # 'only English', '非中文'
SIGNATURE_BONUS = 0.3  # a choice value only one operator takes, said outright
PREV_LEAD = 1.1  # a piece names another operator than the step before only when that one is clearly ahead of it
HEADING_MIN = 0.5  # a piece before a colon names an operator only when it names it clearly
# a clause about whole samples ('texts', '文档') rather than parts of them ('words', '单词') asks for a filter
SAMPLE_NOUNS_RE = re.compile(r"\b(?:" + "|".join(L.SAMPLE_WORDS + [r"messages?", r"threads?", r"tweets?", r"answers?", r"replies",
                                                                   r"papers?", r"stories", r"passages?"]) +
                             r")\b|文本|文档|样本|数据|文章|网页|帖子|回复|回答|论文|评论|留言|消息|条目|新闻|邮件", re.I)
WITHIN_ONE_RE = re.compile(r"\b(?:in|within|inside)\s+(?:one|a single|the same|each|every|a)\s+(?:single\s+)?(?:post|document|doc|page|"
                           r"article|text|sample|message|answer|reply|note|transcript|essay|review|file)\b|"
                           r"(?:同一|一|1)\s*(?:(?:篇|个|条|段|份|页)\s*(?:帖子|文件|文档|回答|回复|文章|网页|评论|消息)?|"
                           r"(?:帖子|文件|文档|回答|回复|文章|网页|评论|消息))(?:里|中|内|当中)|(?:篇|条|页)内", re.I)
ONE_COPY_RE = re.compile(r"\W*(?:(?:and|but|then|just|only)\s+)*(?:(?:keep|leave|retain)\s+(?:only\s+|just\s+)?(?:the\s+)?(?:first|one|a single)"
                         r"(?:\s+(?:one|copy|occurrence|instance))?(?:\s+of\s+(?:them|each))?|"
                         r"(?:lose|drop|remove|delete|toss|ditch|discard)\s+(?:the\s+|any\s+|all\s+)?(?:other\s+|extra\s+)?(?:copies|duplicates|repeats|rest)|"
                         r"(?:只|仅)(?:留|保留|要)(?:第)?(?:一|1)(?:个|份|条|遍|次|句|篇)|其余的?(?:副本|重复的?)?(?:都)?(?:删掉|去掉|不要))\W*", re.I)
BOTH_VALUES_RE = re.compile(r"\b(?:both|either)\s+(?:an?\s+|the\s+)?[\w-]+\s+(?:and|or)\s+(?:an?\s+|the\s+)?[\w-]+", re.I)  # 'both a car and a bicycle'
OF_THEM_RE = re.compile(r"\s*(?:of\s+(?:them|those|these)\b|(?:个|条|段|张)?都)", re.I)
DONT_JUST_RE = re.compile(r"\s*(?:but\s+|and\s+)?(?:don'?t|do not|never)\s+(?:just|only|simply|merely)\s+\w+|"
                          r"\s*(?:但是?|而)?(?:不要|别|不用)(?:只|光|仅仅?)", re.I)
AT_RANDOM_RE = re.compile(r"\W*(?:(?:and|but)\s+)?(?:(?:picked|chosen|selected|taken|drawn)\s+)?(?:at\s+random|randomly)(?:\s+(?:picked|chosen|selected))?\W*|"
                          r"\W*(?:随机(?:挑|选|抽)(?:的|出来的)?|随便(?:挑|选)(?:的)?)\W*", re.I)
EVERYTHING_RE = re.compile(r"\W*(?:anything|everything|whatever)\b", re.I)
WORD_NOUNS_RE = re.compile(r"\bwords?\b(?! (?:count|number))|单词|词语", re.I)
# (an English word ends where the word does: 'wavelet' holds no wav file)
MODALITY_RES = {m: re.compile(rf"(?:{alternation(ws)})(?!(?<=[A-Za-z])[A-Za-z])", re.I) for m, ws in MODALITY_WORDS.items()}
AMBIGUOUS_MEDIA_RE = re.compile(r"\bclips?\b(?![-\s]?art)", re.I)  # video clips and audio clips
_INFLECTION_RE = re.compile(r"e?(?:s|d|ing|ion|ions|ations?|ers?|als?|ments?|able|i[sz](?:es?|ed|ing|ations?))?")
AMBIGUOUS_MEDIUM_WORDS_RE = re.compile(r"\b(?:clips?|recordings?)\b", re.I)  # and screen recordings are videos
_MEDIA = ("image", "video", "audio")


def modalities_of(text: str, strong: set[str] | None = None) -> set[str]:
    """The kinds of data a text talks about. In 'audio clips' the first word says the medium; 'clips' alone,
    in a request whose other words name audio and not video ('the recordings … the clips'), are audio."""
    found = sorted((m.start(), m.end(), mod) for mod, rx in MODALITY_RES.items() for m in rx.finditer(text)
                   if not (m.group(0).isupper() and AMBIGUOUS_MEDIA_RE.fullmatch(m.group(0))))  # 'CLIP' is a model
    kept = [(s, e, mod) for i, (s, e, mod) in enumerate(found)
            if not (i and found[i - 1][2] != mod and {found[i - 1][2], mod} <= set(_MEDIA) and
                    re.fullmatch(r"[\s-]*", text[found[i - 1][1]:s]))]
    said = {mod for *_, mod in kept}
    if strong is not None and said & set(_MEDIA) == {"video"} and "audio" in strong and "video" not in strong and \
            all(AMBIGUOUS_MEDIA_RE.fullmatch(text[s:e]) for s, e, mod in kept if mod == "video"):
        return said - {"video"} | {"audio"}  # ('any clip file bigger than 500KB is not a short wake word')
    return said
CONTEXT_RES = {p: re.compile(alternation(ws), re.I) for p, ws in CONTEXT_PREFIXES.items()}
_CONTEXT_DENIED_RE = re.compile(r"(?:\bno|\bnot(?:\s+on)?|\bwithout|\bnon)[\s-]+(?:(?:a|an|the|any)\s+)?$|(?:不用|不上|无需|不要|不需要|不走)\s*$", re.I)


def context_said(prefix: str, text: str) -> bool:
    """Does the request place the work in this context ('on our Ray cluster'), not refuse it ('one machine, no
    cluster')?"""
    return any(not _CONTEXT_DENIED_RE.search(text[max(0, m.start() - 16):m.start()])
               for m in CONTEXT_RES[prefix].finditer(text))
_CONTEXT_ALL_RE = re.compile(alternation([w for ws in CONTEXT_PREFIXES.values() for w in ws] + [r"run(?:s|ning)?", r"sits?", r"lives?", r"our", r"we", r"on", r"a", r"the"]), re.I)
COMPOUND_RES = [(re.compile(rx, re.I), tokens) for rx, tokens in L.COMPOUND_TERMS.items()]


@dataclass
class OpMeta:
    name: str
    category: str
    modality: str
    description: str
    args: list[ArgMeta]
    needs: str = ""  # what the request must mention for the op to be offered ('latex|tex' for LaTeX comments)

    def arg(self, name: str) -> ArgMeta | None:
        return next((a for a in self.args if a.name == name), None)

    @property
    def language_defining(self) -> bool:
        """The language is the point of this op (its language argument has no default)."""
        return any(a.measure == "language" and not a.default for a in self.args)


@dataclass
class Step:
    op: str
    args: dict[str, Any]
    pos: int
    reasons: list[str] = field(default_factory=list)
    stated: bool = True
    implied: bool = False  # found by a situation the user described, not by an operation the user named
    kept: bool = False  # a language the user said to keep ('only keep English'), not one that describes the data
    context_for: str | None = None  # implied by a piece whose words named this other operator first
    story: bool = False  # implied by a piece that asks for nothing ('Our archive is one long file per drive')
    answered_by: set[str] = field(default_factory=set)  # other operators close to the described trouble
    exclude: list[str] = field(default_factory=list)  # file suffixes the user asked to remove ('drop the .gif files')
    asked: bool = False  # a bound was said with a keep/remove verb of its own piece ('drop texts under 50'), not only
    # in a description of the data ('some are 200+ pages')
    described: set[str] = field(default_factory=set)  # choices read from a piece that asks for nothing ('台湾…繁体语料')


@dataclass
class PlanOutput:
    recipe: dict
    justifications: list[str]
    planner: str = PLANNER_NAME
    notes: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # retrieved operators, best first per piece
    retrieved: list[list[str]] = field(default_factory=list)  # each piece's ranked operators (recall@k)
    reference: str | None = None


def _signature_choices(ops: dict[str, OpMeta]) -> dict[str, set[str]]:
    """Choice values that point at their operator: held by one operator (and its Ray twin) and rare in the
    operators' descriptions ('dhash', 'ThresholdDetector'; not 'ratio' or 'uniform')."""
    owners: dict[str, set[str]] = {}
    for n, m in ops.items():
        for a in m.args:
            for c in a.choices or ():
                if isinstance(c, str) and len(c) >= 5:
                    owners.setdefault(c.lower(), set()).add(n)
    out = {}
    for word, names in owners.items():
        family = {n.removeprefix("ray_").replace("_bts_", "_") for n in names}
        spread = sum(1 for m in ops.values() if re.search(rf"\b{re.escape(word)}s?\b", " ".join(
            [m.description] + [f"{a.name} {a.description}" for a in m.args]), re.I))
        if len(family) == 1 and spread <= 2:
            out[word] = names
    return out


# verbs too common to tell one operator from another ('remove …', 'make …')
_WEAK_ACTIONS = {"keep", "remov", "drop", "delet", "filte", "get", "make", "run", "put", "take", "apply", "add"}
NOUN_AFTER_RE = re.compile(r"the|a|an|all|any|every|each|those|these|its|their|of|into|remove|drop|delete|keep|discard")
_NOT_ACTIONS = {"the", "only", "texts", "anything", "width", "sentence", "sample", "fuzzy", "words", "lines", "image"}


def _model_names(ops: dict[str, OpMeta]) -> dict[str, set[str]]:
    """The models operators load by default ('openai/clip-vit-…' -> CLIP, 'Salesforce/blip-itm-…' -> BLIP): a
    request that writes the model's name in capitals names the operators that use it."""
    name_words = {t for n in ops for t in n.split("_")}
    models: dict[str, set[str]] = {}
    for n, m in ops.items():
        for a in m.args:
            if a.measure == "path" and isinstance(a.default, str) and re.fullmatch(r"[\w.-]+/[\w.-]+", a.default):
                for tok in re.split(r"[-_./]", a.default.split("/", 1)[1].lower()):
                    if re.fullmatch(r"[a-z]{4,}", tok) and tok not in name_words:
                        models.setdefault(tok.upper(), set()).add(n)
    return {w: ns for w, ns in models.items() if len(ns) <= 3}


def op_metas(catalog: Any) -> dict[str, OpMeta]:
    out = {}
    for e in catalog.entries:
        if e.kind != "operator":
            continue
        args = [ArgMeta(a.name, a.type, a.default, getattr(a, "measure", "") or "", getattr(a, "bound", "") or "",
                        dict(getattr(a, "cues", {}) or {}), a.description,
                        tuple(getattr(a, "choices", ()) or ()), getattr(a, "of", "") or "") for a in e.args]
        out[e.name] = OpMeta(e.name, e.category, e.modality, e.description, args, getattr(e, "needs", "") or "")
    return out


class BuiltinPlanner:
    """Catalog retrieval + the operators' own argument metadata; no per-operator phrases."""

    name = PLANNER_NAME

    _turn = threading.local()  # what one plan() call knows about its whole goal (one planner serves many threads)

    def __init__(self, catalog: Any = None, vector: bool | None = None) -> None:
        if catalog is None:
            from tools.catalog import get_catalog

            catalog = get_catalog()
        self.catalog = catalog
        self.vector = vector
        from agent.planner import op_classifier

        # (trained on the built-in operators: a user's own operator is found by the rules, never vetoed by the model)
        self.classifier = op_classifier.load(op_classifier.operator_texts(catalog)) if op_classifier.enabled() else None
        self.ops = op_metas(catalog)
        self.signatures = _signature_choices(self.ops)
        # an operator named for where it runs ('ray_bts_minhash_deduplicator') and the plain operator it stands in for
        # (the same kind, the most name words shared: 'document_minhash_deduplicator')
        self.context_twins: dict[str, str] = {}
        for n, m in self.ops.items():
            prefix, rest = (n.split("_", 1) + [""])[:2]
            if prefix not in CONTEXT_RES:
                continue
            words = set(rest.split("_"))
            best = max(((len(words & set(o.split("_"))), -len(set(o.split("_")) ^ words), o) for o, om in self.ops.items()
                        if o.split("_", 1)[0] not in CONTEXT_RES and om.category == m.category and om.modality == m.modality),
                       default=(0, 0, ""))
            if best[0] >= 2:
                self.context_twins[n] = best[2]
        self.models = _model_names(self.ops)
        # verbs that begin the operators' own example requests ('normalize …', 'blur …'): a piece that uses one asks
        # for an action even when it says no keep/remove
        first_words = {e.name: [m.group(0).lower() for r in e.requests for m in [re.match(r"[A-Za-z]+", r)] if m]
                       for e in catalog.entries if e.kind == "operator"}
        firsts = Counter(w for ws in first_words.values() for w in ws)
        self.action_stems = {w[:5] for w, n in firsts.items() if n >= 2 and len(w) > 2 and w not in _NOT_ACTIONS}
        self.action_words: dict[str, set[str]] = {}  # each stem's verbs as the requests write them ('conve': convert)
        for w, n in firsts.items():
            if w[:5] in self.action_stems:
                self.action_words.setdefault(w[:5], set()).add(w)
        # the action verbs each operator's own requests begin with
        self.op_actions = {n: {w[:5] for w in ws} & self.action_stems for n, ws in first_words.items()}
        for e in catalog.entries:  # and the Chinese action verbs its Chinese requests use
            if e.kind == "operator":
                self.op_actions.setdefault(e.name, set()).update(
                    v for v in L.ZH_ACTION_VERBS if any(v in _same_actions(simplified(r)) for r in e.requests))
        self.region_takers = {n for n, m in self.ops.items() if any(a.measure == "region" for a in m.args)}
        # a variant of another operator (its name and one or more words more) answers only when those words are said:
        # a model written in capitals ('video_motion_score_raft_filter', RAFT), or a thing the lexicon knows how users
        # say ('image_face_blur_mapper', face: 'blur the photos' is the plain blur)
        self.model_variants: dict[str, set[str]] = {}
        self.thing_variants: dict[str, set[str]] = {}
        for n, m in self.ops.items():
            toks = set(n.split("_"))
            for b in self.ops:
                if b == n or not set(b.split("_")) < toks:
                    continue
                extra = toks - set(b.split("_"))
                if any(re.search(rf"\b{re.escape(t.upper())}\b", m.description) for t in extra):
                    self.model_variants[n] = extra
                elif extra <= set(L.ARG_WORDS_ZH):
                    self.thing_variants[n] = extra
        self.arg_words = {stem(w) for m in self.ops.values() for a in m.args for w in a.name.split("_")} | \
            {w for m in self.ops.values() for a in m.args for w in a.name.split("_")}
        # the operators whose own requests quote a literal to match ("replace 'foo' with 'bar'")
        self.quote_takers = {e.name for e in catalog.entries if e.kind == "operator" and e.name in self.ops and
                             any(QUOTED_LITERAL_RE.search(r) for r in e.requests) and
                             any(a.measure == "pattern" for a in self.ops[e.name].args)}
        tokens: dict[str, set[str]] = {}
        for n in self.ops:
            for tok in n.split("_"):
                tokens.setdefault(tok, set()).add(n)
        self.name_tokens = {t: ns for t, ns in tokens.items() if len(ns) <= 2 and len(t) >= 3}

    def _same_setting(self, host: Step, name: str, op: str) -> ArgMeta | None:
        """The argument of `host` that takes the setting `name` of `op`: a count of frames (whatever its name), or a
        choice of the same name."""
        mine = next((a for a in self.ops[op].args if a.name == name), None)
        if mine is None or mine.measure not in ("frames", "choice"):
            return None
        theirs = self.ops[host.op].args
        same = next((a for a in theirs if a.name == name), None) if mine.measure == "choice" else \
            next((a for a in theirs if a.measure == "frames"), None)
        return same if same is not None and same.name not in host.args else None

    def _frames_for_named(self, n: str, text: str, hits: list[tuple[str, float]], steps: dict[str, Step]) -> str:
        """'每个视频均匀抽五帧做 NSFW 检测', 'sample 8 frames and run OCR': frames sampled (a mapper that only took
        frame settings) for the operator the same piece names by its own name, which samples its own frames: that
        operator's step, with those settings."""
        s = steps[n]
        arg = {a.name: a for a in self.ops[n].args}
        if self.ops[n].category != "mapper" or not s.args or any(OUTPUT_WORDS_RE.search(r) for r in s.reasons) or \
                not any(arg[k].measure == "frames" for k in s.args if k in arg) or \
                any(arg[k].measure not in ("frames", "choice") for k in s.args if k in arg):
            return n
        for m, _ in hits[:6]:
            if m == n or m in steps or self.ops[m].modality != self.ops[n].modality or \
                    not any(a.measure == "frames" for a in self.ops[m].args):
                continue
            words = [t for t in m.split("_") if t not in _GENERIC_NAME_WORDS and len(t) >= 3]
            if not any(re.search(rf"(?<![a-z]){re.escape(t)}(?![a-z])", text, re.I) for t in words):
                continue
            host = Step(op=m, args={}, pos=s.pos, reasons=list(s.reasons), stated=s.stated, implied=s.implied)
            if all(self._same_setting(host, k, n) is not None for k in s.args if arg[k].measure == "frames"):
                for k, value in s.args.items():
                    a = self._same_setting(host, k, n)
                    if a is not None:
                        host.args[a.name] = value
                del steps[n]
                steps[m] = host
                return m
        return n

    def _takes_all_settings(self, s: Step, steps: dict[str, Step], text: str) -> Step | None:
        """The other step of the same sentence that takes the frame count `s` (a mapper) was given: `s` was only said
        as how that step looks at a video ('sample five frames evenly and run OCR on them', '标签从均匀抽取的十帧里
        识别'), unless its own output is asked for ('save the frames') or it comes as a step of its own ('then …')."""
        if self.ops[s.op].category != "mapper" or not s.args or s.implied or any(OUTPUT_WORDS_RE.search(r) for r in s.reasons):
            return None
        arg = {a.name: a for a in self.ops[s.op].args}
        if not any(arg[n].measure == "frames" for n in s.args if n in arg) or \
                any(arg[n].measure not in ("frames", "choice") for n in s.args if n in arg):
            return None
        sentence = lambda pos: next((i for i, (off, h) in enumerate(C.hard_clauses(text)) if off <= pos < off + len(h) + 1), -1)  # noqa: E731
        for host in steps.values():
            if host is s or host.implied or sentence(host.pos) != sentence(s.pos):
                continue
            if all(self._same_setting(host, n, s.op) is not None for n in s.args if arg[n].measure == "frames"):
                return host
        return None

    # -- retrieval ---------------------------------------------------------------------------------
    def search(self, text: str, k: int = 12, situations: bool = False) -> list[tuple[str, float]]:
        """Operators for a piece of the request, re-ranked by the kind of data the piece talks about
        (`situations`: also by the symptoms and purposes that call for them)."""
        hits = self.catalog.search(text, k=k + 6, vector=self.vector, kinds=("operator",), situations=situations)
        anywhere = f"{text} {getattr(self._turn, 'text', '')}"  # a context ('on our Ray cluster') said anywhere in the request
        # a piece that bounds what it keeps or removes and names no medium speaks of the medium of the step just planned ('cut the
        # recordings at key frames, then throw away any piece shorter than 3 seconds'), else of the request's
        last = getattr(self._turn, "last_media", None)
        # ('the wake-word clips … any clip file bigger than 500KB': after a step on audio, 'clips' are audio)
        strong = getattr(self._turn, "strong", None)
        own = modalities_of(text, None if strong is None else strong | ({last} if last == "audio" and not strong else set()))
        said = own or ({last} if last and C.verbs(text) and read_quantities(text) else set()) or \
            getattr(self._turn, "modalities", set())
        # the media said in words that name only one ('recordings' may be videos, 'clips' audio)
        firm = getattr(self._turn, "firm", None) or modalities_of(AMBIGUOUS_MEDIUM_WORDS_RE.sub(" ", text))
        out = []
        plain: dict[str, float] = {}
        for h in hits:
            if h.name not in self.ops:
                continue
            mod = self.ops[h.name].modality
            score = h.score
            prefix, rest = (h.name.split("_", 1) + [""])[:2]
            if prefix in CONTEXT_RES and not context_said(prefix, anywhere):
                score -= 0.45
                if rest in self.ops:  # 'ray_image_deduplicator' said without Ray: its plain twin answers
                    plain[rest] = max(plain.get(rest, 0.0), h.score)
            if mod == "multimodal":  # 'video_frames_text_…' works on videos, 'image_text_…' on images
                media = next((m for m in _MEDIA if m in h.name.split("_")), None)
                if media and said & set(_MEDIA) and media not in said:
                    score -= 0.25
            elif said and mod in ("image", "video", "audio"):
                # ('stock-photo crawl … anything narrower than 512 pixels': the request's one medium, the piece naming none)
                # (a piece naming no medium after a step on images, in a request naming no other medium: images)
                strong = said & firm or (not own and not getattr(self._turn, "modalities", set()) & set(_MEDIA))
                # ('the clips should be short utterances': 'clips' may be videos, 'utterances' are only audio)
                score += (0.1 if mod in firm or not firm & said & set(_MEDIA) else -0.1) if mod in said else \
                    -0.6 if len(said & set(_MEDIA)) == 1 and strong else -0.25
            elif said and mod == "text" and said <= {"image", "video", "audio"}:
                score -= 0.04
            elif not said and mod in ("image", "video", "audio"):
                score -= 0.1  # text is the default: media operators need their media named
            out.append((h.name, round(score, 4)))
        # ('the comments dump is cursed', '评论数据'): an operator for narrower material than its modality, not said
        out = [(n, s) for n, s in out if not self.ops[n].needs or re.search(self.ops[n].needs, anywhere, re.I)]
        avoid = getattr(self._turn, "avoid", set())
        if avoid:  # operators for an action the user ruled out step back
            out = [(n, s - AVOID_PENALTY if n in avoid else s) for n, s in out]
        if WITHIN_ONE_RE.search(text):  # 'the same sentence pasted five times in one post': repeats inside a sample
            out = [(n, s - 0.2 if self.ops[n].category == "deduplicator" else s) for n, s in out]
        if L.NO_LOSS_RE.search(anywhere):  # 'every clip has to stay', '一本书都不能少': nothing that drops samples
            out = [(n, s - NO_LOSS_PENALTY if self.ops[n].category in DROPPING else s) for n, s in out]
        if not ADDING_RE.search(anywhere):
            # ('you can hear the espresso machine over the host': noise the data has; an operator that adds
            # something, by its name, answers only a request to add it)
            out = [(n, s - AVOID_PENALTY if "_add_" in f"_{n}_" else s) for n, s in out]
        for word, owners in self.signatures.items():  # 'dedupe with dhash', 'the ThresholdDetector'
            if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text, re.I):
                out = [(n, s + SIGNATURE_BONUS if n in owners else s) for n, s in out]
                out += [(n, EVIDENCE_MIN + SIGNATURE_BONUS) for n in owners if n not in dict(out)]
        if FIELD_BOUND_RE.search(text):
            # 'the repos whose meta.age_days is at most 365': a bound on a field's own value, which an operator bounding a
            # field's number takes (not a rank or a percentile)
            out = [(n, s + 0.15 if any(a.bound and a.measure == "number" for a in self.ops[n].args) else s) for n, s in out]
        if SAMPLES_REMOVED_RE.search(text):
            # '凡是拍到人脸的图片都不要了', 'drop the photos that show a face': whole samples go, which a filter does; a
            # mapper named for the same thing (the face blur) steps back
            filter_words = set().union(*(_name_words(n) for n, _ in out if self.ops[n].category == "filter"))
            # (a mapper that removes parts of a sample, 'remove_…', steps back too: the subject is the sample, not its words)
            out = [(n, s - 0.2 if self.ops[n].category == "mapper" and (_name_words(n) & filter_words or n.startswith("remove_"))
                    else s) for n, s in out]
        for tok, words in L.NAME_WORDS_ZH.items():  # '视频美学打分': the operators named for aesthetics
            if any(w in text for w in words):
                out = [(n, s + NAME_WORD_BONUS if tok in n.split("_") else s) for n, s in out]
        for rx, tokens in COMPOUND_RES:  # 'image-text pairs' are an image and its text, not two images
            # ('For our image-caption pairs: keep the pairs whose …': the pairs the request named before)
            if rx.search(text) or (re.search(r"\bpairs?\b|[^配]对(?![齐比应])", text, re.I) and rx.search(anywhere)):
                # (an operator named for pairs of one medium is not what a pair of two media asks for)
                out = [(n, s + 0.2 if set(tokens) <= set(n.split("_")) else s - 0.2 if "pair" in n.split("_") else s)
                       for n, s in out]
        for word, owners in self.models.items():  # 'CLIP scores', 'BLIP says they match'
            if re.search(rf"(?<![A-Za-z]){word}(?![A-Za-z])", text):
                out = [(n, s + SIGNATURE_BONUS / 2 if n in owners else s) for n, s in out]
        if C.REGION_RE.search(text):  # 'x1,y1,x2,y2': the operators that take a region
            out = [(n, s + SIGNATURE_BONUS if n in self.region_takers else s) for n, s in out]
            out += [(n, EVIDENCE_MIN + SIGNATURE_BONUS) for n in self.region_takers if n not in dict(out)]
        # 'a line longer than 500 characters' measures lines: an operator named for another part (words) steps back
        parts = {k for k, rx in _PART_RES.items() if rx.search(text)}
        if parts:
            named = {n: {t.rstrip("s") for t in n.split("_")} & set(_PART_RES) for n, _ in out}
            out = [(n, s - 0.15 if named[n] and not named[n] & parts else s) for n, s in out]
        for n, extra in (self.thing_variants.items() if not situations else ()):  # 'blur the photos' names no face
            if not any(re.search(rf"\b{re.escape(t)}", anywhere, re.I) or any(z in anywhere for z in L.ARG_WORDS_ZH[t])
                       for t in extra):
                out = [(o, s - 0.2 if o == n else s) for o, s in out]
        for n, extra in self.model_variants.items():  # '视频运动分数小于1的' names no RAFT
            if not any(re.search(rf"(?<![A-Za-z]){re.escape(t)}(?![A-Za-z])", anywhere, re.I) for t in extra):
                out = [(o, s - 0.2 if o == n else s) for o, s in out]
        if NOT_BY_FIELD_RE.search(anywhere):  # '别按任何字段挑', 'not based on any field': no operator that goes by a field
            out = [(n, s - AVOID_PENALTY if "field" in n.split("_") else s) for n, s in out]
        for m in NOT_NAMED_RE.finditer(text):  # 'the OpenCV motion score (not RAFT)': that operator is ruled out
            if re.match(r"[^.;,，。；)）]{0,40}?\d", text[m.end():]):
                continue  # 'without a language-ID confidence of at least 0.9' is a condition on it
            owners = self.name_tokens.get(m.group("tok").lower(), set())
            out = [(n, s - 0.5 if n in owners else s) for n, s in out]
        said_context = {p for p in CONTEXT_RES if context_said(p, anywhere)}
        if said_context:  # '在 Ray 上跑 MinHash 近似去重': the plain operator's score goes to its twin for the place said
            scores = dict(out)
            taken = {t: n for n, t in self.context_twins.items() if n.split("_", 1)[0] in said_context and t in scores}
            out = [(n, s - 0.1 if n in taken else
                    max(s, scores[self.context_twins[n]] + 0.02) if taken.get(self.context_twins.get(n)) == n else s)
                   for n, s in out]
        if plain:
            out = [(n, max(s, plain[n]) if n in plain else s) for n, s in out]
            out += [(n, s) for n, s in plain.items() if n not in dict(out)]
        if said and said <= set(_MEDIA):
            # 'byte-for-byte identical videos': of two operators of one kind, the one for the medium said answers
            # ('document_deduplicator' and 'video_deduplicator' are twins: one name but for the medium)
            kinds = {_twin_key(n) for n, _ in out if self.ops[n].modality in said}
            lead: dict[frozenset, float] = {}  # the text twin's score, which its twin for the medium said takes over
            for n, sc in out:
                if self.ops[n].modality == "text" and _twin_key(n) in kinds:
                    lead[_twin_key(n)] = max(lead.get(_twin_key(n), 0.0), sc)
            out = [(n, s - 0.3 if self.ops[n].modality == "text" and _twin_key(n) in kinds else
                    max(s, lead.get(_twin_key(n), 0.0)) if self.ops[n].modality in said else s) for n, s in out]
        out.sort(key=lambda x: -x[1])
        if out and any(v in ("keep", "remove") for _, v in C.verbs(text)) and (C.quoted(text) or C.ZH_VALUE_RE.search(text) or
                                                                         BOTH_VALUES_RE.search(text)):
            # 'keep only the clips whose frame tags include car': a filter and the mapper of its name (the tagging
            # mapper and filter) - keeping or removing samples asks for the filter
            top_name, top_score = out[0]
            if top_name.endswith("_mapper") and (twin := _twin_of(top_name)) in self.ops:
                scores = dict(out)
                scores[twin] = max(scores.get(twin, 0.0), top_score + 0.05)
                out = list(scores.items())
        out.sort(key=lambda x: -x[1])
        return out[:k]

    def recipes(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """Reference recipes for the request; a job for one language steps back when the request neither
        names that language nor is written in it ('clean my web crawl' is not the Chinese web job)."""
        hits = self.catalog.search(text, k=k + 3, vector=self.vector, kinds=("recipe",))
        said = {code for code, *_ in C.languages(text)} | ({"zh"} if has_cjk(text) else {"en"})
        out = []
        for h in hits:
            entry = self.catalog.get(h.name)
            langs = {code for code, *_ in C.languages(entry.example if entry else "")}  # the job's title
            score = h.score * (RECIPE_OTHER_LANGUAGE if langs and not langs & said else 1.0)
            if L.NO_LOSS_RE.search(f"{text} {getattr(self._turn, 'text', '')}"):
                # 'every clip has to stay': a job counts by the steps of it that drop no sample
                ops = [o for o in self._reference_ops(h.name) if o in self.ops]
                score *= sum(self.ops[o].category not in DROPPING for o in ops) / max(len(ops), 1)
            out.append((h.name, score))
        return sorted(out, key=lambda x: -x[1])[:k]

    # -- planning ----------------------------------------------------------------------------------
    def plan(self, goal: str, data: str | None = None) -> PlanOutput:
        try:
            return self._plan(goal, data)
        finally:  # what the goal said stays with its own plan: a later search() outside a plan sees none of it
            self._turn.__dict__.clear()

    def _rule_out(self, said: str) -> None:
        """The operators of each item of a list the user rules out ('dedup or resizing', 'Captions')."""
        for item in re.split(r"\s*(?:,|;|/|\bor\b|\band\b|\bnor\b|、|和|或|及)\s*", said):
            if _content_words(item) and not read_quantities(item) and not GENERIC_ITEM_RE.match(item):
                ruled = self.search(item)
                if ruled and ruled[0][1] >= LOW_MIN:
                    # (every close operator of the kind: 'dedup' rules out exact and near deduplication)
                    kind = self.ops[ruled[0][0]].category
                    self._turn.avoid.update(n for n, sc in ruled if sc >= 0.5 * ruled[0][1] and
                                            self.ops[n].category == kind)
                    if kind == "deduplicator" and DEDUP_WORD_RE.search(item):
                        self._turn.avoid.update(n for n in self.ops if self.ops[n].category == kind)

    def _plan(self, goal: str, data: str | None = None) -> PlanOutput:
        # '~~use the AdaptiveDetector~~ stick with the default': what is struck through was taken back
        text = C.unquote_statements(C.corrected(C.without_heading(_case_examples(normalize(STRUCK_RE.sub(" ", goal))))))
        zh = has_cjk(goal)
        steps: dict[str, Step] = {}
        notes: list[str] = []
        unknown: list[str] = []
        candidates: list[str] = []
        retrieved: list[list[str]] = []
        verb: C.Verb | None = None
        used_langs: set[int] = set()
        piece_scores: list[float] = []
        named: set[str] = set()  # operators the request clearly names, each in a piece of its own
        self._turn.faint = set()  # steps only faint pieces named: dropped when clearer steps were found
        self._turn.described = set()  # language steps only a description of the data named
        self._turn.unsure = []  # (operator, bound, what was said) whose side nothing near it said
        self._turn.avoid = set()  # operators for actions the user ruled out
        # 'Captions? Not needed.', '✅ deduplicated (done last week)': steps asked about and declined, or done
        declined_ms = list(DECLINED_RE.finditer(text))
        declined = [m.span() for m in declined_ms]
        said = "".join(" " if any(s <= i < e for s, e in declined) else ch for i, ch in enumerate(text)) if declined else text
        self._turn.modalities = modalities_of(said)  # (what was declined says nothing of the data)
        self._turn.last_media = None  # the medium of the latest step planned
        self._turn.text = text
        self._turn.strong = modalities_of(AMBIGUOUS_MEDIA_RE.sub(" ", said))  # said in words that name one medium
        self._turn.firm = modalities_of(AMBIGUOUS_MEDIUM_WORDS_RE.sub(" ", said))  # ('recordings' may be videos too)
        last_ops: list[str] = []  # the latest step of any earlier clause: '...; keep only those photos'
        hards = list(C.hard_clauses(text))
        for m in declined_ms:
            self._rule_out(_unbracketed(m.group("item") or m.group("item2")))
        hards = [(o, h) for o, h in hards if not any(s <= o + len(h) - len(h.lstrip()) and o + len(h.rstrip()) <= e
                                                     for s, e in declined)] or hards
        for off, hard in hards:  # 'stretching them into a different shape would ruin them': an action ruled out
            for _, piece in ([(off, hard)] if SCOPE_LABEL_RE.match(hard) else []) + list(C.soft_pieces(off, hard)):
                if AVOID_RE.search(piece) and not read_quantities(piece):
                    for ruled in (self.search(piece), self.search(piece, situations=True)):
                        if ruled and ruled[0][1] >= LOW_MIN:
                            self._turn.avoid.add(ruled[0][0])
                # (not an aside in brackets: '(no special normalization needed)' is about the step it follows)
                for m in NOT_NEEDED_RE.finditer(_unbracketed(piece)):
                    # 'no dedup or resizing needed', 'Out of scope: deleting articles, deduplication': each one ruled out
                    self._rule_out(next((g for g in m.groups() if g), ""))
                if (done := _not_to_do(piece)) and not read_quantities(piece):
                    self._rule_out(done)  # 'Do not deduplicate.', 'Do not drop anything for length.'
                for m in WITHOUT_DOING_RE.finditer(piece):
                    # 'pull frames … without cutting the videos themselves': the operation done without is ruled out
                    done = next(g for g in m.groups() if g)
                    if m.group(0).lower().startswith(("rather", "宁")):
                        # ('…watermark across the frame … we'd rather lose those clips than try to repair them'): the
                        # mappers that would repair what the sentence names
                        # (of the request's close operators, a mapper that repairs what a filter of the same thing drops)
                        filter_words = set().union(*(_name_words(f) for f in self.ops if self.ops[f].category == "filter"))
                        self._turn.avoid.update(n for n, sc in self.search(text, k=8)[:5] if self.ops[n].category == "mapper" and
                                                sc >= LOW_MIN and _name_words(n) & filter_words)
                        continue
                    if not any(v == "keep" for _, v in C.verbs(done)):  # ('without keeping the originals' is a flag)
                        ruled = self.search(_bare_verb(done))
                        if ruled and ruled[0][1] >= LOW_MIN and self.ops[ruled[0][0]].category == "mapper":
                            # (every close operator that does it: cutting at key frames, by scene or by duration)
                            self._turn.avoid.update(n for n, sc in ruled if sc >= 0.85 * ruled[0][1] and
                                                    self.ops[n].category == "mapper")
        # '... fewer than 8 characters; ... over 3,000 characters. Filter out both.': a closing sentence that
        # only says what happens to everything named before it gives its verb to the verb-less pieces
        tail_verb = (C.verbs(hards[-1][1])[0][1] if len(hards) > 1 and _verb_only(hards[-1][1]) and
                     C.ANAPHORA_RE.search(hards[-1][1]) else None)
        tail_verb = _on_the_rest(tail_verb, hards[-1][1], text)
        prev_said = False  # the last step was given values ('... contains 'http' or '.com'; those are mangled links')
        prev_had_numbers = prev_had_bound = False  # '... tops out at 4096 px; anything wider gets removed': across sentences too
        deduped = False
        skipped_label = -1  # the last sentence of a 'Context:' or 'Problem:' paragraph skipped
        ended = False  # 'That's all!' said: what follows without a verb is a sign-off ('Back on the 14th.')
        # '…回来想了半天，决定这样筛：…', "So here's the plan: …": the story before the plan names no step
        plan_at = next((m.end() for m in PLAN_MARKER_RE.finditer(text) if C.verbs(text[m.end():]) or
                        self._asked_actions(text[m.end():])), -1)
        for h, (off, hard) in enumerate(hards):
            if ended and not C.verbs(hard) and not self._asked_actions(hard):
                continue
            if off + len(hard) <= plan_at and not any(q.cmp != "none" for q in read_quantities(hard)):
                continue
            ended = ended or bool(END_OF_REQUEST_RE.fullmatch(hard))
            if PERSON_LABEL_RE.match(hard) and not C.verbs(hard) and not read_quantities(hard):
                continue  # '申请人：视频组 刘洋', 'From: Priya (data team)': who asks, no step
            if EACH_SAMPLE_IS_RE.match(hard) and not C.verbs(hard) and not self._asked_actions(hard) and \
                    not any(q.cmp != "none" for q in read_quantities(hard)):
                continue  # 'Each row is a single message and carries meta.ticket_id': how the data looks, no step
            if h and skipped_label == h - 1 and "\n" not in text[hards[h - 1][0] + len(hards[h - 1][1]):off] and \
                    not LABEL_RE.match(hard) and not C.verbs(hard) and not self._asked_actions(hard) and \
                    not any(q.cmp != "none" for q in read_quantities(hard)) and \
                    not ((named_here := self.search(hard)) and named_here[0][1] >= HEADING_MIN):
                skipped_label = h
                continue  # '…; and the opening of every source is title, affiliations and funding boilerplate.': the same paragraph
            if (what_it_does := BEHAVIOUR_OF_RE.search(hard)) and (named_op := self.search(what_it_does.group(1))) and \
                    named_op[0][1] >= TOP_MIN and named_op[0][0] in steps:
                steps[named_op[0][0]].reasons.append(f"“{hard.strip()}”")
                continue  # '… is of no use to us and goes, which is what the header stripper does out of the box': that step
            label = LABEL_RE.match(hard)
            if label:  # 'Expected: …', 'Fix: …', '备注：…': a label of a bug report or a note names no step
                if STATE_LABEL_RE.fullmatch(label.group("label")) and not C.verbs(hard[label.end():]):
                    continue  # 'Actual: a few hundred are, and they get silently truncated': how things stand now
                if re.fullmatch(r"context|background|背景", label.group("label"), re.I) and len(hards) > 1 and \
                        (not read_quantities(hard) or not C.verbs(hard[label.end():])):
                    skipped_label = h
                    continue  # 'Context: we're training a speech denoiser, so we need noisy inputs. Add …': the why
                if PAST_LABEL_RE.fullmatch(label.group("label")) and any(
                        C.verbs(later) or self._asked_actions(later) or NEW_LABEL_RE.match(later)
                        for _, later in hards[h + 1:]):
                    skipped_label = h
                    continue  # '变更前：按 meta.topic 分组后随机抽样。变更后：…': the recipe as it was, replaced
                if re.fullmatch(r"problems?|issues?|symptoms?|问题|遇到的问题|存在的问题|现象", label.group("label"), re.I) and \
                        any(C.verbs(later) for _, later in hards[h + 1:]) and not C.verbs(hard[label.end():]):
                    skipped_label = h
                    continue  # '遇到的问题：不少章节里混着乱码…' before '明日计划：…删掉': what is wrong, the plan says what to do
                hard = " " * label.end() + hard[label.end():]
            pieces = C.soft_pieces(off, hard)
            if SCOPE_LABEL_RE.match(hard):
                continue  # 'Out of scope: deleting articles, deduplication': ruled out (see above), no step
            if last_ops and self._names_arguments_of(C.analyse(off, hard, None), last_ops, steps):
                # '… at most 480 px. Preserve the original aspect ratio by shrinking the width along with it
                # (force_original_aspect_ratio=decrease), …': a sentence that sets arguments of the step just named by
                # their own names explains that step, it names no new one
                continue
            prev_ops: list[str] = []
            # 'Word 3-gram repetition over 25%? Gone.': a sentence that is only a verb gives it to the one before
            # ('Get rid of exactly those and leave everything else': the first piece of the next sentence)
            nxt = C.soft_pieces(*hards[h + 1])[0][1] if h + 1 < len(hards) else ""
            next_verb = (C.verbs(nxt)[0][1] if nxt and not C.verbs(hard) and _verb_only(nxt) and
                         not read_quantities(hards[h + 1][1]) else None)
            next_verb = _on_the_rest(next_verb, nxt, hard)
            hard_qs = read_quantities(hard)
            said_sides = {q.cmp for q in hard_qs} & {"ge", "le"}
            # 'Max 2 faces per image; images with more are dropped': the other side goes
            next_verb = _for_the_side(next_verb, _comparative_side(nxt), said_sides)
            if h + 1 < len(hards) and not C.verbs(hard) and not next_verb and (
                    any(q.cmp != "none" for q in hard_qs) or C.analyse(0, hard, None).expression):
                next_verb = _remark(hards[h + 1][1])  # 'Perplexity past 2,500? Not worth a single training step.'
                # '0.02 is as far as I'll go; a document that goes any higher doesn't get in'
                next_verb = _for_the_side(next_verb, _comparative_side(hards[h + 1][1]), said_sides)
            if h + 1 < len(hards) and not C.verbs(hard) and not next_verb and any(q.cmp != "none" for q in hard_qs):
                # '… the score sits somewhere from 0.3 up to 0.7. …, so discard every comment in that murky middle':
                # a later piece that points back at what was bounded, with a verb and no numbers of its own
                back = [t for _, t in C.soft_pieces(*hards[h + 1]) if C.POINTS_BACK_RE.search(t) and C.verbs(t) and
                        not read_quantities(t)]
                if back:
                    next_verb = C.verbs(back[-1])[-1][1]
            if deduped:
                verb = None  # 'img dedup via ahash; nothing wider than 4096 px': removing duplicates is no side
            deduped = False
            if not C.verbs(hard) and (SYMBOL_CMP_RE.search(hard) or any(q.cmp == "range" and not q.negated for q in hard_qs)):
                # '... dedup. perplexity < 800.', '…剔除；人脸数在两个到五个之间': a stated condition is what is kept,
                # whatever came before
                verb = None
            if not C.verbs(hard) and any(q.cmp != "none" for q in hard_qs) and C.LABELLED_RE.search(hard):
                verb = "remove"  # 'Anything more than twice as wide as it is tall, …, is a banner': called an intruder
            alone: dict[int, tuple[int, str]] = {}
            pending: list[tuple[C.Clause, str]] = []  # settings said before the step they set ('每支取八帧评分，…')
            scope: list[C.Clause] = []  # the data's language with a setting, said before any step ('中文网页里，按分词统计，…')
            i = 0
            while i < len(pieces):
                p_off, p_text = pieces[i]
                clause = C.analyse(p_off, p_text, verb)
                carried = clause.verb
                if last_ops and last_ops[-1] in steps:  # '… 3 candidate captions per clip, and keeping all three': said again
                    held = [v for v in steps[last_ops[-1]].args.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
                    clause.quantities = [q for q in clause.quantities if not (
                        q.cmp == "none" and q.value in held and ALL_OF_BEFORE_RE.search(clause.masked[:q.start]))]
                # 'Our context window is 4,096 tokens, so anything longer than that ...' (in the same sentence or
                # the next: '… 4,096 tokens. What good is a document whose token count goes beyond that?')
                back_text = pieces[i + 1][1] if i + 1 < len(pieces) else nxt
                back = BACK_REFERENCE_RE.match(back_text) if back_text and clause.quantities and \
                    not C.verbs(p_text) else None
                if back:
                    back_side = "ge" if back.group("ge") or back.group("ge2") or back.group("ge3") or back.group("ge5") else "le"
                    said_sides = {q.cmp for q in clause.quantities} & {"ge", "le"}
                    for q in clause.quantities:
                        if q.cmp == "none":
                            q.cmp = back_side
                    # the verb of the piece pointing back, else of what follows it in its sentence ('…longer than that
                    # on average is nearly always a minified script, so those pages come out of the crawl')
                    back_verbs = C.verbs(back_text) or C.verbs(" ".join(t for _, t in pieces[i + 2:]) if i + 1 < len(pieces)
                                                               else hards[h + 1][1] if h + 1 < len(hards) else "")
                    if back_verbs:
                        # '字母数字比例最低0.65，低于这个的删': what goes is the other side of the stated bound
                        clause.verb = _for_the_side(back_verbs[0][1], back_side, said_sides)
                later = next((t for _, t in pieces[i + 1:] if C.verbs(t)), None) if not C.verbs(p_text) else None
                later_said_numbers = later is not None and bool(read_quantities(later))
                # 'SNR under 0.15 usually means keyword soup, and keyword soup is not what we're after'
                remark = _remark(pieces[i + 1][1]) if i + 1 < len(pieces) and \
                    any(q.cmp != "none" for q in clause.quantities) and \
                    not C.verbs(p_text) else None
                # ('nothing' after the number, 'teach the model nothing', is no rule)
                if back and back_verbs:
                    pass  # the verb of the piece that points back at the number
                elif clause.quantities and (PROHIBITION_RE.search(clause.masked[max(0, clause.quantities[0].start - 40):clause.quantities[0].start]) or
                                          NO_SUBJECT_EN_RE.search(p_text[:clause.quantities[-1].end])):
                    # 'no word may exceed 25 characters; cut out the ones that do', '...; nothing wider than 4096 px':
                    # a rule says its own side, whatever verb came before or after
                    if not C.verbs(p_text):
                        clause.verb = None
                elif clause.quantities and not C.verbs(p_text) and \
                        REQUIREMENT_RE.search(clause.masked[max(0, clause.quantities[0].start - 12):clause.quantities[0].start + 4]):
                    clause.verb = None  # '另外图片的宽和高都得至少512像素', 'must be at least': a requirement says what is kept
                elif clause.quantities and not C.verbs(p_text) and any(
                        q.cmp in ("ge", "le") and LIMIT_WORD_RE.search(q.text) for q in clause.quantities):
                    clause.verb = None  # '0.95 is the ceiling for our pairs: … above that …, so discard it': a limit says its side
                elif remark:
                    clause.verb = remark
                elif later is not None and (not clause.quantities or (
                        i + 1 < len(pieces) and later == pieces[i + 1][1] and not later_said_numbers)) and \
                        re.match(r"\s*(?:、|和|与|及)", text[p_off + len(p_text):p_off + len(p_text) + 2]):
                    # '英文字母、数字统统去掉': a list's verb comes after it ('宽高比介于0.8到1.25之间、接近正方形的图片删掉':
                    # the bound and a word on the same samples)
                    clause.verb = C.verbs(later)[0][1]
                elif later is not None and i + 1 < len(pieces) and later == pieces[i + 1][1] and \
                        re.match(r"\W*(?:或者|或是|或|以及|还有|or\b|and\b)", later, re.I) and \
                        re.search(r"都|一律|统统|全部|\b(?:both|either|all)\b", later, re.I):
                    clause.verb = C.verbs(later)[0][1]  # '高超过三千像素、或者宽超过三千像素的图片都删掉': both sides go
                elif later is None and tail_verb and not C.verbs(p_text):
                    clause.verb = tail_verb
                elif later is None and next_verb and not C.verbs(p_text):
                    clause.verb = next_verb
                elif later is not None and JUDGEMENT_RE.search(later) and not later_said_numbers:
                    # 'More than three faces in a picture is a crowd, and crowd shots are not welcome here'
                    clause.verb = "remove"
                elif later is not None and (C.ANAPHORA_RE.search(later) or PASSIVE_RE.search(later)) and \
                        not later_said_numbers:
                    # '... digits, punctuation or other symbols are to be discarded'
                    clause.verb = C.verbs(later)[0][1]  # '... between 0.4 and 0.6, so remove everything in that band'
                    # 'cap the token count at 2048, longer samples get removed': the other side goes
                    clause.verb = _for_the_side(clause.verb, _comparative_side(later),
                                                {q.cmp for q in clause.quantities} & {"ge", "le"})
                    if OUTSIDE_THAT_RE.search(later):
                        clause.verb = flip(clause.verb)  # '4:3 到 16:9 之间，不在这个范围的就删掉': the rest goes
                elif later is not None and _verb_only(later):
                    # 'docs longer than 2k characters: remove them', 'fewer than 8 words, or over 4k tokens:
                    # both go': the verb comes in a later piece that says nothing else
                    clause.verb = C.verbs(later)[0][1]
                if later is not None:
                    clause.verb = _on_the_rest(clause.verb, later, hard)
                elif clause.verb == verb and verb is not None and not C.verbs(p_text) and not remark and not back and \
                        not next_verb and not tail_verb and not clause.negative and clause.quantities and \
                        all(REQUIREMENT_CMP_RE.search(q.text) for q in clause.quantities if q.cmp in ("ge", "le")) and \
                        any(q.cmp in ("ge", "le") for q in clause.quantities):
                    # '先把网址替换掉，再去掉重复的句子，长度至少五个字的句子才参与判断', '…去掉；另外宽和高都得至少512像素': 'at
                    # least' / 'at most' without a verb of its own states a requirement; it takes no verb from before
                    clause.verb = None
                # a bound whose side nothing near it says ('…, texts over 2000 characters'): said back to be checked
                clause.unsure = clause.verb == carried and not C.verbs(p_text) and not clause.negative and \
                    any(q.cmp in ("ge", "le") and not REQUIREMENT_CMP_RE.search(q.text) for q in clause.quantities)
                hits = self.search(p_text)
                if clause.verb and not C.verbs(p_text) and hits and hits[0][1] >= TOP_MIN and \
                        self.ops[hits[0][0]].category == "mapper" and \
                        self.op_actions.get(hits[0][0], set()) & self._asked_actions(p_text):
                    clause.verb = None  # 'chunk the pages to at most 1500 characters; … are deleted': its own action
                if (aside := TRAILING_EXAMPLES_RE.search(p_text)) and clause.quantities and \
                        not re.search(r"\b(?:not|no|only|without)\b|不|没|只", aside.group(0), re.I) and \
                        (plain := self.search(p_text[:aside.start()])) and plain[0][1] > (hits[0][1] if hits else 0.0):
                    # '… covers more than 5% of the frame (title cards, credits)': examples of what the bound catches
                    # say what the samples are, not what to do; the request without them names the step more clearly
                    hits = plain
                if i in alone and any(q.cmp != "none" for q in clause.quantities) and (not hits or hits[0][1] < EVIDENCE_MIN):
                    # a fragment joined to this piece weakens what its numbers name ('再用中文脏话词表，删掉脏话比例超过1%的
                    # 文章'): the second half alone counts too
                    best_of = dict(hits)
                    for n, sc in self.search(alone[i][1]):
                        best_of[n] = max(best_of.get(n, 0.0), sc)
                    hits = sorted(best_of.items(), key=lambda x: -x[1])
                if hits:
                    piece_scores.append(hits[0][1])
                candidates.extend(n for n, _ in hits[:8] if n not in candidates)
                retrieved.append([n for n, _ in hits])
                if AT_RANDOM_RE.fullmatch(p_text) and not clause.quantities and \
                        any(a.measure == "probability" for n in prev_ops or last_ops for a in self.ops[n].args):
                    i += 1  # '… add a faint hiss to 40% of the rest, picked at random': how the step before picks, no selector
                    continue
                if EVERY_ONE_RE.search(p_text) and not clause.quantities and (prev_ops or last_ops) and \
                        (chances := [(n, a.name) for n in prev_ops or last_ops for a in self.ops[n].args
                                     if a.measure == "probability" and not a.bound]) and \
                        _content_words(EVERY_ONE_RE.sub(" ", p_text)) <= 4:
                    # '… blur every remaining image a little. All of them, not a random few.': the step before, on all
                    for n, k in chances:
                        steps[n].args.setdefault(k, 1)
                    i += 1
                    continue
                if ONE_COPY_RE.fullmatch(p_text) and not clause.quantities and not clause.quoted and \
                        (repeats := [n for n in prev_ops or last_ops if self._removes_repeats(n)]):
                    # '… the same sentence pasted five times in one post. keep the first one and lose the copies': which
                    # copy stays, said of the step that removes repeats, asks for it
                    for n in repeats:
                        steps[n].story = False
                    i += 1
                    continue
                if LIKEWISE_RE.match(p_text) and i + 1 < len(pieces) and not C.verbs(p_text) and not clause.quantities and \
                        pieces[i + 1][0] - (p_off + len(p_text)) <= 2 and (not hits or hits[0][1] < HEADING_MIN):
                    # '另外，同样按分词，以四个词为一组算词重复率…': a setting said again, for the step named next
                    pending.append((clause, p_text.strip()))
                    i += 1
                    continue
                if (prev_ops or last_ops) and not clause.quantities and (
                        (C.ANAPHORA_RE.search(p_text) and C.verbs(p_text) and not self._names_other(p_text, hits, prev_ops or last_ops) and
                         # ('…同一张主图，想去掉这些重复': an action of another kind than the step before is a step of its own)
                         not (hits and hits[0][1] >= TOP_MIN and self.ops[hits[0][0]].category == "deduplicator" and
                              DEDUP_WORD_RE.search(p_text) and
                              all(self.ops[n].category != "deduplicator" for n in prev_ops or last_ops)) and
                         (len(p_text.split()) <= 5 or _content_words(SAMPLE_NOUNS_RE.sub(" ", C.REMOVE_RE.sub(" ", C.KEEP_RE.sub(" ", p_text)))) <= 1)) or
                        ((PASSIVE_RE.search(p_text) or ZH_DISPOSE_RE.fullmatch(p_text) or C.RHETORIC_AFTER_RE.search(p_text) or
                          (JUDGEMENT_RE.search(p_text) and len(p_text.strip()) <= 8)) and
                         _verb_only(p_text)) or
                        (prev_had_numbers and BACK_REFERENCE_RE.match(p_text)) or
                        # '…别删，照样保留', '…, keep them as they are': a keep said again names no step
                        ((_verb_only(p_text) or PASSING_RE.search(p_text)) and all(v == "keep" for _, v in C.verbs(p_text)) and
                         (len(p_text.strip()) <= 4 or _names_nothing(p_text) or
                          (PASSING_RE.search(p_text) and _names_nothing(_MEDIA_NOUNS_RE.sub(" ", p_text)))) and
                         (not hits or hits[0][1] < TOP_MIN or PASSING_RE.search(p_text))) or
                        (prev_had_numbers and C.COMPARATIVE_RE.search(p_text) and hits and
                         (any(a.bound for a in self.ops[hits[0][0]].args) or _bare(p_text))) or
                        # '…2.5 to 10 seconds are to be removed; the shorter stings and the longer takes are both kept':
                        # the other sides of the bound just said, kept, with no number of their own
                        (last_ops and last_ops[-1] in steps and any(
                            a.bound and a.name in steps[last_ops[-1]].args for a in self.ops[last_ops[-1]].args) and
                         OTHER_SIDES_RE.search(p_text) and C.verbs(p_text) and
                         all(v == "keep" for _, v in C.verbs(p_text)) and not self._asked_actions(p_text)) or
                        ((C.ANAPHORA_RE.search(p_text) or re.match(r"\W*(?:which|而这|这(?:不|可))", p_text, re.I)) and
                         JUDGEMENT_RE.search(p_text) and not clause.quantities) or
                        (prev_had_bound and _remark(p_text) and (not hits or hits[0][1] < TOP_MIN)) or
                        # '及格线是 0.5，不合格的统统删掉': the samples that fail the bound just said, removed
                        (FAILING_RE.match(p_text) and C.verbs(p_text) and any(
                            a.bound and a.name in steps[n].args for n in (prev_ops or last_ops) if n in steps
                            for a in self.ops[n].args) and
                         all(v == "remove" for _, v in C.verbs(p_text)) and
                         _verb_only(FAILING_RE.sub(" ", p_text, count=1))) or
                        # '宽度没到1024像素的图片，训练时会被放大糊掉，所以先筛掉': what would happen to those samples, a reason
                        (prev_had_bound and not C.verbs(p_text) and not clause.quoted and OUTCOME_RE.search(p_text) and
                         (not hits or hits[0][1] < HEADING_MIN)) or
                        (REST_START_RE.match(p_text) and (C.verbs(p_text) or _remark(p_text)) and _verb_only(
                            REST_START_RE.sub("", p_text))) or  # '只要 tags 是「新闻」的样本，其他的都不要'
                        (prev_had_bound and _verb_only(p_text) and all(v == "remove" for _, v in C.verbs(p_text)) and
                         not self._names_other(p_text, hits, prev_ops or last_ops) and
                         (not hits or hits[0][1] < HEADING_MIN or (_bare(p_text) and not OPERATION_VERB_RE.search(p_text)))) or  # '…tops 2,500 characters, and the file is out'
                        # '…under 0.25 on CLIP similarity goes; such captions don't describe their pictures': a
                        # verb-less sentence about the samples just bounded gives the reason, it names no step
                        (prev_had_bound and ANAPHORIC_SUBJECT_RE.match(p_text) and not C.verbs(p_text) and not clause.quoted and
                         (not hits or hits[0][1] < HEADING_MIN)) or
                        # '… contains 'http' or '.com'; those are mangled links': what the samples just described are
                        (prev_said and not C.verbs(p_text) and not clause.quoted and not clause.quantities and
                         (m_subj := ANAPHORIC_SUBJECT_RE.match(p_text)) and COPULA_RE.match(p_text[m_subj.end():])) or
                        # '…, which I'd like deleted wherever it appears': a relative clause on the step just named
                        # ('Nothing else, just that selection.': the step just named, said again)
                        ((RELATIVE_RE.match(p_text) or RESTATED_RE.match(p_text)) and not clause.quantities and not clause.quoted and
                         (not hits or hits[0][0] in (prev_ops or last_ops) or hits[0][1] < HEADING_MIN)) or
                        # ('…the 500 shortest clips, going by meta.duration_s': the field of the step just named)
                        (_regex_only(clause) and any(a.measure == "pattern" and a.name not in steps[n].args
                                                     for n in (prev_ops or last_ops) if n in steps for a in self.ops[n].args)) or
                        # ('…每个视频用的提示词不一样，已经写在样本的 caption_prompt 字段里了': the field of the argument named)
                        (clause.fields and not clause.quantities and self._named_field_arg(clause, prev_ops or last_ops, steps)) or
                        (_field_only(clause) and any(a.measure == "field" and a.name not in steps[n].args
                                                     for n in (prev_ops or last_ops) if n in steps for a in self.ops[n].args)) or
                        # '…the biggest face takes up between 12% and 58% of the picture? Photos with no face, … should go':
                        # a case the bounds just said already settle, on what the same step measures, with no number
                        self._settled_by_sibling(clause, hits, prev_ops or last_ops, steps) or
                        # '…特别小的和特别大的，介于两者之间的全部删除', '…, and everything in between goes': the middle the two
                        # bounds just said leave out
                        (BETWEEN_THEM_RE.search(p_text) and not clause.quantities and any(
                            a.bound and a.name in steps[n].args for n in (prev_ops or last_ops) if n in steps
                            for a in self.ops[n].args) and _verb_only(BETWEEN_THEM_RE.sub(" ", p_text))) or
                        # '…convert them to simplified Chinese. Characters only, …': how far the step just named goes
                        (QUALIFIER_ONLY_RE.fullmatch(p_text) and not clause.quantities and not clause.quoted and
                         not C.verbs(C.ONLY_RE.sub(" ", p_text)) and not C.languages(p_text) and
                         not modalities_of(p_text) - {"text"}) or
                        (prev_had_numbers and not clause.quoted and (JUDGEMENT_RE.search(p_text) or (
                            not C.verbs(p_text) and (COPULA_RE.search(p_text) or (
                                C.NEG_RE.search(p_text) and (not hits or hits[0][1] < TOP_MIN))))))):
                    # ', delete those words' / ', longer samples get removed': it says what happens to the
                    # previous step's samples, it names no new step; it may set the step's flags
                    self._refines_previous(clause, prev_ops or last_ops, steps)
                    verb = C.verb_at(clause.masked, len(clause.masked), verb)
                    i += 1
                    continue
                if (prev_ops or last_ops) and clause.quantities and all(q.cmp in ("ge", "le", "range") for q in clause.quantities) and \
                        _words_left(clause.masked, GENERIC_SCORE_RE, QUANTIFIER_RE) == 0 and \
                        all(n in steps and not any(a.bound and a.name in steps[n].args for a in self.ops[n].args)
                            for n in prev_ops or last_ops) and \
                        self._attach_to_previous(clause, prev_ops or last_ops, steps):
                    i += 1  # '… RAFT motion score, sampled at 3 fps; keep clips scoring at least 1.6': the score just named
                    continue
                if last_ops and self._restates_bounds(clause, hits, last_ops, steps):
                    # '…夹在0.2和0.3中间的不要；比0.2低的当负样本、比0.3高的当正样本': the bounds said again, about
                    # the other sides, name no new step
                    i += 1
                    continue
                if not clause.quantities and not C.verbs(p_text) and any(rx.search(p_text) for rx in CONTEXT_RES.values()) and \
                        _content_words(SAMPLE_NOUNS_RE.sub(" ", _CONTEXT_ALL_RE.sub(" ", p_text))) <= 2:
                    i += 1  # 'We run on a Ray cluster.': where the steps run, which picks their twins, no step of its own
                    continue
                if DO_THAT_RE.fullmatch(p_text) or DO_AGAIN_RE.fullmatch(p_text):
                    i += 1  # '… deleted outright. Can you set that up?', '帮我弄一下吧': a request to do what was said
                    continue
                if INSTEAD_OF_RE.fullmatch(p_text) and not clause.quantities and not clause.quoted:
                    i += 1  # '…dropped as a whole, not edited', '整条删掉，不要改': the way not to do it, no step
                    continue
                # ('…，一条都不删' after the numbers; not 'Every clip has to stay, except those shorter than 2 seconds')
                if L.NO_LOSS_RE.search(p_text) and not [q for q in clause.quantities if not any(
                        m.start() <= q.start < m.end() for m in L.NO_LOSS_RE.finditer(clause.masked))] and \
                        not read_quantities(hard[p_off - off + len(p_text):]) and \
                        not C.verbs(L.NO_LOSS_RE.sub(" ", p_text)) and \
                        _content_words(_MEDIA_NOUNS_RE.sub(" ", SAMPLE_NOUNS_RE.sub(" ", L.NO_LOSS_RE.sub(" ", p_text)))) <= 1:
                    i += 1  # 'No recording may be lost.': what must not happen (see NO_LOSS below), no step
                    continue
                if _MEDIA_NOUNS_RE.search(p_text) and not clause.quantities and not clause.quoted and not C.verbs(p_text) and \
                        i + 1 < len(pieces) and _content_words(ALL_OF_RE.sub(" ", _MEDIA_NOUNS_RE.sub(" ", p_text))) == 0:
                    i += 1  # '凡视频，其长不足八秒者，去之', 'All videos: …': the medium the next steps are on, no step
                    continue
                if DATA_NAMED_RE.fullmatch(p_text) and not clause.quantities and not clause.quoted and not C.verbs(p_text) and \
                        i + 1 < len(pieces) and (C.verbs(pieces[i + 1][1]) or self._asked_actions(pieces[i + 1][1])) and \
                        (not hits or hits[0][1] < TOP_MIN):
                    i += 1  # '这批中文新闻稿，帮我简单清洗一下': which data the request is about, no step
                    continue
                if FOR_MODEL_RE.fullmatch(p_text) and not clause.quantities and not clause.quoted and not C.verbs(p_text):
                    i += 1  # 'For the scene-text model, …', '给OCR模型用的：…': what the data is for, no step
                    continue
                if NEEDED_FOR_RE.fullmatch(p_text) and not clause.quantities and not clause.quoted and (prev_ops or last_ops):
                    i += 1  # '…不过标点符号得留着，断句要用', '…, we need them for the segmenter': why, no step
                    continue
                if len(re.sub(r"[\s:：\-*•>]", "", p_text)) <= 1 and not clause.quantities and not C.verbs(p_text):
                    i += 1  # '甲：…', 'B: …': a speaker's label names nothing
                    continue
                if DATA_GIVEN_RE.fullmatch(p_text) and not clause.quantities and not clause.quoted and \
                        not C.verbs(p_text):
                    i += 1  # 'Given a folder of image-caption pairs', 'For a dump of forum threads:': the data, no step
                    continue
                if (prev_ops or last_ops) and self._random_share_of_previous(clause, prev_ops or last_ops, steps):
                    i += 1  # '…加点高斯噪声哈，不用每条都加，随机挑八成八就行': how often the step just named applies
                    continue
                if (ones := ONES_RE.search(p_text)) and not clause.quantities and i + 1 < len(pieces) and \
                        read_quantities(pieces[i + 1][1]) and not C.verbs(pieces[i + 1][1]) and \
                        _words_left(p_text[:ones.start()]) == 0:
                    # 'the tiny ones, up to 23KB, and the huge ones, 44MB and up': the number says which ones
                    verb = C.verb_at(clause.masked, len(clause.masked), verb)
                    i += 1
                    continue
                if KEEP_ONE_RE.fullmatch(p_text) and any(self.ops[n].category == "deduplicator" for n in (prev_ops or last_ops)):
                    i += 1  # '去掉这些重复，只留一张', 'drop the copies, keep just one': what deduplication keeps
                    continue
                if DONE_THEN_RE.fullmatch(p_text):
                    i += 1  # '删完之后，随机抽…': when the next step runs, no step of its own
                    continue
                if SCOPE_ONLY_RE.fullmatch(p_text) and not clause.quantities:
                    i += 1  # 'For each video, generate four captions …': which samples the next piece works on, no step
                    continue
                if NOT_NEEDED_RE.search(unbracketed := _unbracketed(p_text)) and not clause.quantities and \
                        not _said_outside(clause.quoted, NOT_NEEDED_RE, unbracketed) and not C.verbs(rest := NOT_NEEDED_RE.sub(" ", unbracketed)) and not self._asked_actions(rest):
                    i += 1  # 'that's it, no dedup or resizing needed': ruled out (see above), no step
                    continue
                if (prev_ops or last_ops) and len(clause.quoted) == 1 and not clause.quantities and not clause.placeholders and \
                        REPLACE_ONLY_RE.fullmatch(C.QUOTED_RE.sub(" ", p_text)) and \
                        self._replaces_in_previous(clause, prev_ops or last_ops, steps, clause.quoted[0][0]):
                    i += 1  # '语料中的全部电子邮箱地址，一律替换为“＊＊＊”': what the step just named puts in place
                    continue
                if END_OF_REQUEST_RE.fullmatch(p_text) and not clause.quantities:
                    i += 1  # '…; nothing else needs doing': the request ends here, no step
                    continue
                if DEFAULTS_ONLY_RE.fullmatch(p_text) and not clause.quantities and not clause.quoted:
                    i += 1  # '检测方式与抽帧数保持默认', '其余参数取默认值': settings left as they are, no step
                    continue
                if _not_to_do(p_text) and not clause.quantities and not clause.quoted:
                    i += 1  # 'Do not deduplicate.': ruled out (see above), no step
                    continue
                if AVOID_RE.search(p_text) and not clause.quantities and not clause.quoted:
                    i += 1  # 'stretching them into a different shape would ruin them': ruled out (see above), no step
                    continue
                if (C.REASON_START_RE.match(p_text) or SO_THAT_RE.match(p_text)) and \
                        not any(q.cmp != "none" for q in clause.quantities) and \
                        not (C.verbs(C.ONLY_RE.sub(" ", p_text)) or self._asked_actions(p_text)) and (prev_ops or last_ops or i + 1 < len(pieces)):
                    # ('…, since long rants only confuse it': 'only' says how much, no keep)
                    i += 1  # '…is a FAIL, because then the 'after' is basically a copy of the 'before'': why, not what
                    continue
                if i + 1 < len(pieces) and SO_START_RE.match(pieces[i + 1][1]) and not clause.quantities and \
                        not clause.quoted and not _verb_only(pieces[i + 1][1]) and \
                        (self._asked_actions(pieces[i + 1][1]) or C.verbs(pieces[i + 1][1])) and \
                        not self._asked_actions(p_text) and not (hits and _says_name_word(p_text, hits[0][0])):
                    i += 1  # 'I want everything to sound like a phone line, so run ffmpeg's lowpass …': the why of the next
                    continue
                if steps and prev_ops and not clause.quantities and IE_RE.match(p_text) and \
                        self._flags_of_previous(clause, prev_ops, steps):
                    i += 1  # '…按最差的那一帧算，也就是取最大值': the setting just named, said plainly
                    continue
                if steps and (prev_ops or last_ops) and not clause.quantities and not clause.quoted and \
                        DONT_JUST_RE.match(p_text) and _content_words(DONT_JUST_RE.sub(" ", p_text)) <= (3 if has_cjk(p_text) else 2) and (not hits or hits[0][1] < HEADING_MIN):
                    self._flags_of_previous(clause, prev_ops or last_ops, steps)
                    i += 1  # '…, keep all 3 of them, don't just pick one': how the step before is not to go
                    continue
                if steps and not clause.quantities and re.fullmatch(r"\s*(?:but\s+|and\s+)?not\s+(?:the\s+|a\s+)?[\w-]+(?:\s+[\w-]+)?[.!]?\s*|"
                                                                    r"\s*(?:而)?不是[\u4e00-\u9fff]{1,4}[。]?\s*", p_text, re.I):
                    self._flags_of_previous(clause, prev_ops or last_ops, steps)  # ('…, not the originals': a flag)
                    i += 1  # '… are pixel positions, not ratios': what the thing just said is not
                    continue
                if i + 1 < len(pieces) and not clause.quantities and C.verbs(p_text) and PROVISO_RE.match(pieces[i + 1][1]) and \
                        _verb_only(_MEDIA_NOUNS_RE.sub(" ", SAMPLE_NOUNS_RE.sub(" ", p_text))):
                    verb = clause.verb  # '视频可以留，前提是时长在5到60秒之间': the verb of the condition that follows
                    i += 1
                    continue
                if (clause.regexes or clause.quoted) and (prev_ops or last_ops) and \
                        self._pattern_of_previous(clause, prev_ops or last_ops, steps):
                    i += 1  # '…near-dup removal. Expected: … (use the regex `\d{4}-…` as the pattern to ignore)'
                    continue
                if len(steps) > 1 and ALL_STEPS_RE.match(p_text) and \
                        all(q.value == 1 and q.cmp == "none" for q in read_quantities(text[p_off:off + len(hard)])):
                    # 'For both checks, one photo failing is enough to sink the whole listing': a setting of every
                    # step so far that takes it; the rest of the sentence says it
                    said = text[p_off:off + len(hard)]
                    for s in steps.values():
                        flags = {k: v for k, v in cue_values(said, [a for a in self.ops[s.op].args
                                                                    if a.measure in ("flag", "choice")]).items()
                                 if k not in s.args}
                        s.args.update(flags)
                        if flags:
                            s.reasons.append(f"“{said.strip()}”")
                    break
                if steps and all(q.cmp == "none" and q.text.strip() in text[:p_off] for q in clause.quantities) and \
                        _points_back(p_text, text[:p_off]) and (not hits or hits[0][1] < HEADING_MIN):
                    i += 1  # '…"perplexity exceeds 2,000 is not admissible". Apply section 4.2 to the crawl.': what was said
                    continue
                if i and not clause.quantities and not clause.quoted and \
                        all(v == "remove" for v in ([v for _, v in C.verbs(p_text)] or [clause.verb])) and \
                        not _NEXT_STEP_RE.match(p_text) and not _ANOTHER_STEP_RE.match(p_text) and \
                        (not hits or hits[0][1] < HEADING_MIN) and \
                        any(ONLY_THEN_KEPT_RE.search(t) and read_quantities(t) for _, t in pieces[:i]):
                    # '字符重复率不超过30%的文本才保留，刷屏、复读机那种都过滤掉': what 'only then kept' leaves out,
                    # said again in words, is no step of its own
                    i += 1
                    continue
                if NOT_BY_FIELD_RE.search(p_text) and not clause.quantities and not clause.fields and (prev_ops or last_ops) and \
                        _content_words(rest := NOT_BY_FIELD_RE.sub(" ", p_text)) <= 3 and re.search(r"分组|归类|分桶|\bgroup", rest, re.I):
                    i += 1  # '…打包成一个批量样本，不按任何字段分组': the way the step just named does not work, no step
                    continue
                if EXEMPT_RE.search(p_text) and clause.quantities and steps and any(
                        self._attach_to_previous(clause, [n], steps) for n in dict.fromkeys(
                            [n for n in (prev_ops or last_ops) if n in steps] + list(reversed(steps)))):
                    i += 1  # '…；不足六个字的短句不参与判断': which parts the step just named leaves alone, its setting
                    continue
                if RULED_OUT_PIECE_RE.match(p_text) and not clause.quantities and not C.verbs(p_text):
                    # '…sampled uniformly, not from the key frames': the alternative ruled out asks for nothing (a choice
                    # said after it is the step's: 'Not the default NFC though — NFD')
                    if prev_ops or last_ops:
                        self._refines_previous(clause, prev_ops or last_ops, steps)
                    i += 1
                    continue
                if TARGET_RE.search(p_text):
                    # the share of the data to keep is the run's target (the refine loop reads it), not a step
                    notes.append(("目标：" if zh else "target for the run: ") + p_text.strip())
                    i += 1
                    continue
                if not prev_ops and last_ops and not clause.quantities and \
                        (not C.verbs(p_text) or (has_cjk(p_text) and all(v == "keep" for _, v in C.verbs(p_text)) and
                                                 len(p_text.strip()) <= 12)) and \
                        not self._asked_actions(p_text) and self._refines_previous(clause, last_ops, steps):
                    i += 1  # '… is removed. And a sample with several images is judged by its best-matching image (the max)'
                    continue
                if prev_ops and (self._belongs_to_previous(clause, hits, prev_ops, steps) or
                                 self._refines_previous(clause, prev_ops, steps) or
                                 # '…导言部分都去掉，没有章节标题的文档别删': a flag of the step just named
                                 ((not hits or hits[0][0] in prev_ops or hits[0][1] < HEADING_MIN) and
                                  self._flags_of_previous(clause, prev_ops, steps))):
                    if C.verbs(p_text):  # ('french model, toss anything over 900. … any doc … goes too': its verb goes on)
                        verb = C.verb_at(clause.masked, len(clause.masked), verb)
                    i += 1
                    continue
                # ('Also, no clip with an NSFW score over 0.2': a new sentence that clearly names another operator taking
                # its numbers is that operator's step, whatever argument words it shares with the step before)
                other = (bool(hits) and hits[0][0] not in last_ops and hits[0][1] >= HEADING_MIN and all(
                    any(fits(q, a) and (a.bound or name_hint(clause.masked, q.start, q.end, [a]) is not None)
                        for a in self.ops[hits[0][0]].args) for q in clause.quantities)) or \
                    self._names_another(clause, hits, last_ops)
                owner = next((n for n in reversed(list(steps)) if clause.quantities and hits and n != hits[0][0] and
                              not _says_name_word(p_text, hits[0][0]) and all(
                                  name_hint(clause.masked, q.start, q.end, [a for a in self.ops[n].args if a.name not in steps[n].args
                                                                            and not a.bound and fits(q, a)]) is not None
                                  for q in clause.quantities)), None)
                if owner and owner.rsplit("_", 1)[0] != hits[0][0].rsplit("_", 1)[0] and all(
                        name_hint(clause.masked, q.start, q.end, [a for a in self.ops[hits[0][0]].args if fits(q, a)])
                        is not None for q in clause.quantities):  # (the tagging mapper is no rival of the tagging filter planned)
                    owner = None  # ('…, and then pull 8 evenly spaced frames': the closest operator's own setting, named)
                if owner and self._attach_to_previous(clause, [owner], steps):
                    # ('… with SimHash. Normalise the whitespace first. Shingles should be 4 characters long': every
                    # number names, by its own words (shingle -> window), a free setting of a step already planned,
                    # whatever other operator the piece's words resemble)
                    i += 1
                    continue
                # ('…minimum over frames. Then we cut whatever is left at its key frames': an action of its own, for
                # another operator, is a new step, whatever setting of the step before its words also name)
                asked = self._asked_actions(p_text)
                acts_apart = bool(last_ops and asked and hits and hits[0][0] not in last_ops and hits[0][1] >= TOP_MIN * 0.7 and
                                  not self.op_actions.get(last_ops[-1], set()) & asked)
                if not prev_ops and last_ops and not acts_apart and (
                        (not other and self._hinted_previous(clause, last_ops, steps)) or
                        # ('BLIP image-text matching: …' names its own operator, whatever flag of the step before it cues)
                        (not (other and self._names_other_kind(p_text, hits[0][0], last_ops)) and
                         self._flags_of_previous(clause, last_ops, steps))):
                    prev_ops = last_ops  # ('…; …, so take the highest score … and drop the sample if even that is below 0.25')
                    i += 1  # '…cut into 30-second pieces; a final piece shorter than 5 s is discarded, and the
                    continue  # originals are not kept': the step before's own arguments, named
                if not prev_ops and last_ops and clause.placeholders and C.ANAPHORA_RE.search(p_text) and \
                        self._replaces_in_previous(clause, last_ops, steps):
                    i += 1  # 'Our invoices are riddled with URLs. Replace each one with <URL>.'
                    continue
                line_start, line_end = text.rfind("\n", 0, p_off) + 1, text.find("\n", p_off)
                title = text[line_start:line_end] if line_end != -1 and not text[:line_start].strip() else ""
                if title and text[line_end:].strip() and not C.verbs(title) and not self._asked_actions(title) and \
                        not re.search(r"[.!?。！？:：;；]\s*$", title) and \
                        all(q.cmp == "none" for q in read_quantities(title)) and (not hits or hits[0][1] < HEADING_MIN):
                    i += 1  # 'Minutes, data sync, 14 May' on a line of its own above the rest: a title, no step
                    continue
                heading = bool(re.match(r"\s*[:：]", text[p_off + len(p_text):p_off + len(p_text) + 3])) or \
                    p_text.rstrip().endswith((":", "："))
                back_next = i + 1 < len(pieces) and bool(clause.quantities) and bool(BACK_REFERENCE_RE.match(pieces[i + 1][1]))
                # ('For our image-caption pairs: …', '对于这批图文对：…': the data the steps after the colon are for)
                for_data = bool(FOR_DATA_RE.match(p_text)) and not C.verbs(p_text) and not self._asked_actions(p_text)
                if heading and all(q.cmp == "none" and not q.measure for q in clause.quantities) and not back_next and \
                        (not hits or hits[0][1] < HEADING_MIN or for_data) and not (_field_only(clause) and i + 1 < len(pieces)):
                    # ('meta.views: keep only …': a field before the colon is the field of what follows)  # 'Cooking clips, two things:' counts no samples
                    # 'Clean this noisy web text for a small model: ...' introduces the steps after the colon
                    verb = C.verb_at(clause.masked, len(clause.masked), verb)
                    rest_qs = read_quantities(text[p_off + len(p_text):off + len(hard)])
                    # ("we didn't just grab random docs:" names what was not done)
                    if hits and not re.search(r"\b(?:not|never|no)\b|n't\b|\binstead of\b|\brather than\b|不是|没有?|别", p_text, re.I) and (
                                (hits[0][1] >= LOW_MIN and _says_name_word(p_text, hits[0][0])) or
                                 (rest_qs and not clause.quantities and hits[0][1] >= LOW_MIN and
                                  hits[0][1] >= MARGIN * (hits[1][1] if len(hits) > 1 else 0.0) and
                                  all(any(fits(q, a) and a.bound for a in self.ops[hits[0][0]].args) for q in rest_qs))):
                        # ('把特殊字符占比当成体检指标：正常范围的上限是20%，…': the numbers after the colon are its)
                        # 'SimHash 去重参数这样设：窗口长度 4，…': the settings that follow are that operator's
                        self._add(hits[0][0], clause, [], steps, used_langs)
                        prev_ops = last_ops = [hits[0][0]]
                        prev_had_numbers = True
                    i += 1
                    continue
                if i + 1 < len(pieces) and not clause.quantities and not C.verbs(p_text) and \
                        ((_bare(p_text) and _content_words(p_text)) or _field_only(clause)) and i not in alone:
                    # '按 meta.score 排，取…' / 'based on meta.tags, pick …': the field is the next piece's
                    # '图片和配文对不上的…': a bare noun is the subject of the next piece, not a step of its own
                    n_off, n_text = pieces[i + 1]
                    pieces[i + 1] = (p_off, text[p_off:n_off + len(n_text)])
                    alone[i + 1] = (n_off, n_text)
                    i += 1
                    continue
                if i + 1 < len(pieces) and not clause.quantities and not clause.fields and not clause.quoted and \
                        IE_RE.match(pieces[i + 1][1]) and read_quantities(pieces[i + 1][1]):
                    i += 1  # 'Videos whose frames don't fit the caption, i.e. a frame-text similarity below 0.22': what
                    continue  # follows 'i.e.' says it in the operator's terms
                if i + 1 < len(pieces) and not clause.quantities and not C.verbs(p_text) and not clause.negative and \
                        DESCRIPTION_RE.match(p_text) and not clause.fields and not clause.quoted:
                    i += 1  # 'The pages are long, so they need to be cut into chunks ...': context, not a step
                    continue
                if not clause.quantities and not clause.quoted and not clause.placeholders and not clause.fields and \
                        not clause.languages and (_content_words(p_text) == 0 and not C.verbs(p_text) or _names_nothing(p_text)):
                    i += 1  # 'nothing else', 'thanks', 'In each document': names no step
                    verb = C.verb_at(clause.masked, len(clause.masked), verb)
                    continue
                if not prev_ops and not last_ops and not steps and _verb_only(p_text) and not clause.quantities and \
                        not clause.quoted and not clause.fields and not clause.languages and not self._asked_actions(p_text) and \
                        _content_words(p_text) <= (12 if has_cjk(p_text) else 7) and (not hits or hits[0][1] < TOP_MIN):
                    # '…still photos with music under them. …, so they have to go': the verb on a story that named no
                    # step yet; the story as a whole says which (the guess below), not the verb's own words
                    verb = C.verb_at(clause.masked, len(clause.masked), verb)
                    i += 1
                    continue
                fresh = set(steps)
                chosen = self._piece(clause, hits, steps, used_langs)
                chosen = [self._frames_for_named(n, p_text, hits, steps) if n not in fresh else n for n in chosen]
                # ('some are tiny phone uploads', 'Our image sets have several photos per sample': what the data is sets
                # the scene, like what it is full of)
                # ('Keeps happening on the long uploads.': a trouble that happens, told)
                describing = bool(SOME_ARE_RE.match(p_text) or OUR_DATA_HAS_RE.match(p_text) or TROUBLE_RE.search(p_text)) and \
                    not C.verbs(re.sub(r"\bonly\b", " ", p_text)) and not self._asked_actions(p_text)
                if (FULL_OF_RE.search(p_text) or describing) and not clause.quantities and not clause.quoted:
                    for n in [n for n in chosen if n not in fresh and not steps[n].args]:
                        # 'ocr'd receipts are full of junk tokens. pls delete …': how the data looks sets the scene
                        steps[n].implied = steps[n].story = True
                    for n in [n for n in chosen if n not in fresh and self.ops[n].language_defining and
                              all(getattr(self.ops[n].arg(k), "measure", "") == "language" for k in steps[n].args)]:
                        # 'The clips have on-screen text in English and Japanese, so the OCR should look for…': the
                        # languages the data is in, no language filter
                        del steps[n]
                        chosen = [c for c in chosen if c != n]
                media = [self.ops[n].modality for n in chosen if self.ops[n].modality in _MEDIA]
                if media:
                    self._turn.last_media = media[-1]
                before = prev_ops or last_ops
                if len(chosen) == 1 and len(before) == 1 and chosen[0] != before[0] and not clause.quantities and \
                        before[0] in steps and self.ops[chosen[0]].category == self.ops[before[0]].category == "deduplicator" and \
                        not steps[before[0]].args and (steps[chosen[0]].args or (
                            _name_words(chosen[0]) & set(re.findall(r"[a-z]+", p_text.lower())) and
                            not C.verbs(p_text) and not self._asked_actions(p_text) and
                            self.ops[chosen[0]].modality == self.ops[before[0]].modality)):
                    # 'Near-copies should collapse to one, judged by wavelet hash', '近似去重。算法：SimHash': the method
                    # names which deduplicator
                    del steps[before[0]]
                prev_had_numbers = bool(chosen) and bool(clause.quantities)
                prev_said = bool(chosen) and bool(clause.quantities or clause.quoted or clause.fields or clause.expression)
                prev_had_bound = prev_had_numbers and any(q.cmp != "none" for q in clause.quantities)
                if chosen and hits and hits[0][1] >= HEADING_MIN and hits[0][0] in chosen:
                    named.add(hits[0][0])
                if chosen:
                    prev_ops = last_ops = chosen
                    verb = C.verb_at(clause.masked, len(clause.masked), verb)
                    deduped = all(self.ops[n].category == "deduplicator" for n in chosen) and not clause.quantities
                    for before, said in pending:  # '每支取八帧评分，以最低的那一帧为准…': the step named after them
                        if not self._attach_to_previous(before, chosen, steps):
                            unknown.append(said)
                    pending.clear()
                    describes = all(n in self._turn.described for n in chosen)
                    if not describes:
                        for before in scope:
                            self._attach_to_previous(before, chosen, steps)
                        scope.clear()
                    elif not clause.quantities and not C.verbs(p_text) and i + 1 < len(pieces):
                        scope.append(clause)
                elif i in alone and not SETTING_LEAD_RE.search(p_text[:len(p_text) - len(alone[i][1])]) and \
                        C.verbs(alone[i][1]) and (own := self.search(alone[i][1])) and own[0][1] >= TOP_MIN:
                    # the story joined to a piece that names a step clearly on its own only weakens it ('同一张主图，
                    # 被…重新上传，想去掉这些重复'): the piece alone
                    pieces[i] = alone.pop(i)
                    continue
                elif i + 1 < len(pieces) and not clause.quantities and len(p_text.strip()) < 40 and \
                        not (C.NEG_RE.search(p_text) and self._asked_actions(pieces[i + 1][1]) and
                             not self._asked_actions(p_text) and not C.verbs(pieces[i + 1][1])) and \
                        not _not_to_do(pieces[i + 1][1]):  # ('…，不要裁宽度': what not to do joins nothing)
                    # a fragment that names nothing ('too short' before ', drop them'): join the next piece
                    # (not a complaint before an action asked on its own: '文本太长啦，请把每篇切成一块一块的')
                    n_off, n_text = pieces[i + 1]
                    pieces[i + 1] = (p_off, text[p_off:n_off + len(n_text)])
                    alone[i + 1] = (n_off, n_text)
                    i += 1
                    continue
                elif i in alone:
                    # the joined piece named nothing either: the second half on its own may
                    pieces[i] = alone.pop(i)
                    continue
                elif implied := self._situation(clause, steps, used_langs):
                    prev_ops = last_ops = implied
                    if hits and steps[implied[0]].implied:
                        steps[implied[0]].context_for = hits[0][0]
                    verb = C.verb_at(clause.masked, len(clause.masked), verb)
                else:
                    # (the settings of the step the sentence before asked for: '… meta.upvotes count. I want the 5,000 most upvoted')
                    leftovers = self._attach_to_previous(clause, prev_ops or last_ops, steps)
                    if not leftovers and len(clause.quantities) == 1 and clause.quantities[0].cmp == "none" and \
                            not self._story_count(clause.quantities[0], clause) and \
                            not NUMBER_LIST_RE.search(clause.masked) and not C.verbs(p_text) and i + 1 < len(pieces):
                        pending.append((clause, p_text.strip()))  # a setting whose step may come next
                    elif not leftovers and _meaningful(p_text) and not (
                            any(rx.search(p_text) for rx in CONTEXT_RES.values()) and not C.verbs(p_text)):
                        unknown.append(p_text.strip())  # ('The crawl sits on our Ray cluster' says where the steps run)
                    verb = clause.verb or verb
                i += 1
            unknown.extend(said for _, said in pending)
        for s in [s for s in steps.values() if s.implied and not s.args and any(
                n in s.answered_by and not steps[n].implied for n in steps)]:
            # 'half of every thread is the same post quoted over and over. … strip out the repeated sentences': a
            # step the user asked for answers the trouble described; the guess from the description goes
            del steps[s.op]
        for s in [s for s in steps.values() if not s.args and self.ops[s.op].category == "filter" and any(
                o.args and o.op != s.op and o.pos == s.pos and self.ops[o.op].category == "filter" and
                (set(o.op.split("_")) & set(s.op.split("_"))) - _GENERIC_NAME_WORDS for o in steps.values())]:
            # '… provided it shows no more than 3 faces': of two filters on the same thing (faces) from one piece, the one
            # the piece's number went to answers; its sibling, with nothing said for it, goes
            del steps[s.op]
        for s in [s for s in steps.values() if s.implied and s.context_for in steps and s.context_for != s.op and not s.args]:
            # 'Our contracts are littered with URLs. Swap each one for <LINK>': the piece set the scene for a step
            # asked for later; the situation it also resembled is no step of its own
            del steps[s.op]
        said_fields = list(dict.fromkeys(f for f, _, _ in C.fields(text)))
        if len(said_fields) == 1 and not any(said_fields[0] in str(v) for s in steps.values() for v in s.args.values()):
            for s in steps.values():  # '按 meta.score 排序，只留中间那段：百分位在…之间': the one field said, for the step on a field
                a = next((a for a in self.ops[s.op].args if a.measure == "field" and a.name not in s.args), None)
                if a is not None:
                    s.args[a.name] = said_fields[0]
                    break
        for s in [s for s in steps.values() if not s.args and self.ops[s.op].category == "grouper"
                  and any(o.op != s.op and o.args and self.ops[o.op].category == "grouper" for o in steps.values())]:
            # '把 meta.session_id 相同的记录合并成一条样本': of two groupers, the one the settings went to answers
            # ('merge into one' is what the key grouper does for each key; a run groups its samples one way)
            del steps[s.op]
        for s in list(steps.values()):
            host = self._takes_all_settings(s, steps, text)
            if host is not None:  # '均匀抽五帧做 OCR，文字面积占比超过一成的删掉': frames sampled for a step that samples its own
                for name, value in s.args.items():
                    a = self._same_setting(host, name, s.op)
                    if a is not None:
                        host.args[a.name] = value
                host.reasons.extend(s.reasons)
                host.pos = min(host.pos, s.pos)
                del steps[s.op]
        data_langs: set[str] = set()  # the languages the data was said to be in
        if any(n not in self._turn.described and not s.implied for n, s in steps.items()):
            for n in self._turn.described & set(steps):  # 'this English corpus …; perplexity over 1000 is no use'
                if not steps[n].kept and not any(k for k in steps[n].args if self.ops[n].arg(k) is not None and
                                                 self.ops[n].arg(k).bound):  # ('… identified as German with a score of at least 0.85')
                    data_langs |= {str(v) for k, v in steps[n].args.items() if getattr(self.ops[n].arg(k), "measure", "") == "language"}
                    del steps[n]
        faint = [n for n in self._turn.faint if n in steps and not steps[n].args]
        if any(n not in faint and not s.implied and s.args for n, s in steps.items()):
            for n in faint:  # 'Forum dump again, sorry. Swap every URL for <url>, …': the clear steps answer
                del steps[n]
        # '中文帖子里脏话…按分词；同样按分词，…词重复率…': a step that segments words, with no language of its own, segments
        # them in the one language another step was given
        langs = {(a.name, str(s.args[a.name])) for s in steps.values() for a in self.ops[s.op].args
                 if a.measure == "language" and a.name in s.args and s.args[a.name] != a.default}
        langs |= {("lang", v) for v in data_langs}  # ('中文网页里，按分词统计，…': the data's own language)
        if len({v for _, v in langs}) == 1:
            lang = next(iter(langs))[1]
            for s in steps.values():
                la = next((a for a in self.ops[s.op].args if a.measure == "language" and "list" not in a.type), None)
                if la is not None and la.name not in s.args and s.args.get("tokenization") is True:
                    s.args[la.name] = lang
        said_with = {}  # each piece's settings went to one step: a step that piece alone named, with none, is its echo
        for s in steps.values():
            for r in s.reasons:
                if " → " in r:
                    said_with.setdefault(r.split(" → ", 1)[0], s.op)
        for s in [s for s in steps.values() if not s.args and not s.implied and s.reasons and
                  all(r in said_with and said_with[r] != s.op for r in s.reasons)]:
            # 'anything wider or taller than 6000 px': the shape filter took the numbers; the aspect-ratio filter
            # the same words named, with nothing of its own, is the same step again
            del steps[s.op]
        for st in steps.values():
            # 'upscale to at least 720 px tall, keeping the ratio': kept while growing to a floor, the other side grows
            # too (and shrinks, kept under a ceiling)
            bounds = {k.split("_", 1)[0] for k in st.args if k.startswith(("min_", "max_")) and
                      getattr(self.ops[st.op].arg(k), "measure", "") == "pixels"}
            for k, v in list(st.args.items()):
                a = self.ops[st.op].arg(k)
                if a is not None and a.measure == "choice" and {"increase", "decrease"} <= set(a.choices) and \
                        v in ("increase", "decrease") and len(bounds) == 1:
                    st.args[k] = "increase" if bounds == {"min"} else "decrease"
        reference = None
        rec = self.recipes(text)
        best_piece = max(piece_scores or [0.0])
        # steps that only say what the data is ('an English model') leave the job to a reference recipe
        stated_numbers = bool(read_quantities(text))
        weak = not stated_numbers and all((self.ops[s.op].language_defining and not s.kept) or s.implied for s in steps.values())
        # ('Our RAG corpus … near-copies … Keep just one page from each group of near-copies.'): a step asked for
        # in words of its own, not in the words that name the job, is the answer; the job's other steps are not
        asked_apart = bool(rec) and any(self._asked_apart_from_job(s, rec[0][1]) for s in steps.values())
        weak = weak and not asked_apart
        if weak:
            best_piece = 0.0  # a language alone says what the data is, not what to do with it
        rec_clear = bool(rec) and rec[0][1] >= LOW_MIN and rec[0][1] >= MARGIN * (rec[1][1] if len(rec) > 1 else 0.0)
        if rec and not weak and not stated_numbers and len(steps) <= 2 and not named and rec[0][1] >= RECIPE_MIN * 0.7 \
                and rec[0][1] >= best_piece:
            # 'clean my Chinese web pages': the steps found are the job's own steps, the job says the rest
            ref_ops = self._reference_ops(rec[0][0])
            weak = all(s.op in ref_ops or self.ops[s.op].language_defining for s in steps.values()) and not asked_apart
            if not weak and not asked_apart and rec[0][1] >= RECIPE_MIN and rec[0][1] >= JOB_LEAD * best_piece and \
                    best_piece < HEADING_MIN and not any(s.args for s in steps.values()):
                # 'prepare image-caption pairs for CLIP training': the words that name the job named the stray
                # step too ('pairs'); the job clearly leads, so the job answers
                for name in [s.op for s in steps.values() if s.op not in ref_ops]:
                    del steps[name]
                weak = True
        # nothing else found: a job that clearly leads the others is a better answer than an empty plan
        rec_ahead = bool(rec) and rec[0][1] >= NOTHING_ELSE_MIN and rec[0][1] >= NOTHING_ELSE_MARGIN * (rec[1][1] if len(rec) > 1 else 0.0)
        if rec and ((not steps and (rec[0][1] >= RECIPE_MIN * 0.6 or rec_clear or rec_ahead)) or
                    (weak and (rec[0][1] >= RECIPE_MIN * 0.7 or rec_clear) and rec[0][1] >= best_piece)):
            reference = rec[0][0]
            self._apply_reference(reference, steps, zh)
            unknown = []
        if not steps:
            # nothing named and no job: the operator whose situations the whole request is closest to, said as a guess
            guess = self._doing_what_is_said(text, self.search(text, k=4, situations=True))
            if guess and guess[0][1] >= GUESS_MIN and guess[0][1] >= GUESS_MARGIN * self._runner_up(guess) and \
                    _content_words(text) >= 3:  # ('你好' describes nothing)
                self._add(guess[0][0], C.analyse(0, text, None), [], steps, used_langs)
                steps[guess[0][0]].implied = True
                unknown = []
        vetoed: dict[str, Step] = {}
        if self.classifier is not None and steps:
            # a step that requests meaning the same rarely ask for ('pretty' noisy is no aesthetics filter; '8 frames'
            # said of an NSFW filter's sampling asks for no second video filter) is no step: the learned reading of the
            # whole request vetoes it, a step with settings only when far down its ranking
            reading = self._learned_reading(text, k=max(MEANING_TOP_K, MEANING_ARGS_K))
            likely = {n for n, _ in reading[:MEANING_TOP_K]}
            plausible = {n for n, _ in reading[:MEANING_ARGS_K]}
            vetoed = steps
            steps = {n: s for n, s in steps.items()  # (a job's steps stay; so do operators the model does not know)
                     if (s.args and n in plausible) or not s.stated or n in likely or n not in self.classifier.classes}
        if self._meaning_answers(steps):
            # a request that names no operation ('the answers are mostly "OK."'): the operator that requests meaning
            # the same ask for, learned from the operators' own example requests and situations, in any language
            ranked = dict(self._learned_reading(text))
            top, p = next(iter(ranked.items()))
            agreed = [n for n in steps if ranked.get(n, 0.0) >= MEANING_KEEP]
            if p >= MEANING_MIN and (top in steps or agreed):
                # the guess agrees: guesses beside it stay only where the request means them too ('过滤过短文本并去重'
                # asks for two operations, and requests like it share their meaning between the two)
                also = MEANING_ALSO if top in steps else MEANING_KEEP
                steps = {n: s for n, s in steps.items() if n == top or not s.implied or ranked.get(n, 0.0) >= also}
            elif p >= MEANING_MIN and top in self.ops and top not in self._turn.avoid:
                steps = {}
                reference = None
                self._add(top, C.analyse(0, text, None), [], steps, used_langs)
                if top in steps:
                    steps[top].implied = True
                    steps[top].reasons.append(f"closest in meaning to requests for {top} (p={p:.2f})")
                unknown = []
        if self.classifier is not None and not steps and vetoed:
            steps = vetoed  # the learned reading had nothing better: the rules' reading stands
        if reference is None and steps and all(s.implied and not s.args for s in steps.values()):
            names = ", ".join(steps)
            notes.append(f"这是根据描述推测的步骤：{names}。如果不对，请说明要保留或删除什么。" if zh else
                         f"{names} {'is a guess' if len(steps) == 1 else 'are guesses'} from how you describe the data; "
                         "say what to keep or remove if it is not what you meant.")
        if data:
            notes.extend(self._fit_to_data(data, steps, zh))
        for s in list(steps.values()):
            missing = self._missing(s)
            if missing and s.implied and not s.args and len(steps) == 1:
                # ('stereo calls, but the model takes one channel': the ffmpeg step, its filter still to choose)
                notes.append((f"{s.op} 还需要 {', '.join(missing)}：请说明具体的值。" if zh else
                              f"{s.op} needs {', '.join(missing)}: say which, e.g. in quotes."))
            elif missing and s.stated and len(steps) > 1 and not s.args:
                # 'general_field_filter' without a condition would keep everything: ask instead of guessing
                del steps[s.op]
                notes.append((f"{s.op} 还需要 {', '.join(missing)}：请说明具体的值。" if zh else
                              f"{s.op} needs {', '.join(missing)}: say which, e.g. in quotes."))
        for name in [n for n in steps if n.split("_", 1)[0] in CONTEXT_RES and n.split("_", 1)[1] in steps]:
            # 'on our Ray cluster … dedupe the images with whash': one step, the Ray twin, with the settings of both
            plain = steps.pop(name.split("_", 1)[1])
            steps[name].args = {**plain.args, **steps[name].args}
            steps[name].pos = min(steps[name].pos, plain.pos)
        if any(not s.implied and s.args for s in steps.values()) and (C.verbs(text) or self._asked_actions(text)):
            # 'Our dashcam archive is one long file per drive. Cut each file wherever the scene changes, …': the
            # story before the asked-for steps sets the scene; the operator it resembled is no step
            for s in [s for s in steps.values() if s.implied and s.story and not s.args]:
                del steps[s.op]
        for n in [n for n in self._turn.avoid if n in steps and not steps[n].args]:
            del steps[n]  # ruled out by the user in so many words
        if L.NO_LOSS_RE.search(text):
            # 'every clip has to stay', '课一节都不能删': a step that would drop samples, with no bound the user said,
            # goes against what was asked
            # ('Some are 200+ pages …; no manual should be thrown away': a number that describes the data is no bound)
            for s in [s for s in steps.values() if self.ops[s.op].category == "filter" and s.args]:
                # '训练只需要720p以内的尺寸，素材一条都不能丢': a size bound nothing may be dropped for is a size to
                # resize to (the resize mapper of the medium that takes the same bounds)
                names = {a.name for a in self.ops[s.op].args if a.measure == "pixels"}
                fit = next((n for n, m in self.ops.items() if "resize" in n.split("_") and m.category == "mapper" and
                            m.modality == self.ops[s.op].modality and set(s.args) <= names <= {a.name for a in m.args}
                            and n not in steps), None)
                if fit is not None:
                    del steps[s.op]
                    steps[fit] = replace(s, op=fit)
            for s in [s for s in steps.values() if self.ops[s.op].category in DROPPING and (not s.args or (
                    not s.asked and all(a.bound for a in self.ops[s.op].args if a.name in s.args)))]:
                del steps[s.op]
        for r in [r for r in steps.values() if "resize" in r.op and self.ops[r.op].category == "mapper"]:
            caps = {k for k in r.args if k.startswith(("max_", "min_"))}
            takes = {a.name for a in self.ops[r.op].args if a.name.startswith(("max_", "min_"))}
            values = {str(v) for v in r.args.values()}
            for f in [f for f in steps.values() if self.ops[f.op].category == "filter" and
                      self.ops[f.op].modality == self.ops[r.op].modality and f.args and (set(f.args) <= caps or (
                          # ('宽高比比四比三还窄的视频，把宽度补到四比三': the bound says which videos are changed, to that bound)
                          set(f.args) <= takes and {str(v) for v in f.args.values()} <= values))]:
                # '4K 视频太大了，…想统一降到 720p': the videos too big to use are the ones to shrink, not to drop
                del steps[f.op]
        for s in [s for s in steps.values() if s.exclude and not s.args and "general_field_filter" not in steps]:
            # the suffixes to remove, as the condition that keeps every other file (suffix_filter can only list
            # what stays)
            cond = " or ".join(f"__dj__suffix__ == '{x}'" for x in s.exclude)
            del steps[s.op]
            steps["general_field_filter"] = replace(s, op="general_field_filter", args={"filter_condition": f"not ({cond})"})
        for url in URL_RE.findall(text):
            # 'our Redis lives at redis://10.0.0.5:6379. … dedup through that Redis': an address said before its step
            scheme = url.split("://", 1)[0].lower()
            for s in steps.values():
                a = next((a for a in self.ops[s.op].args if isinstance(a.default, str) and
                          a.default.lower().startswith(scheme + "://") and a.name not in s.args), None)
                if a is not None and url not in s.args.values():
                    s.args[a.name] = url
        # '只保留特别小（500KB及以下）和特别大（110MB及以上）的，介于两者之间的全部删除': a floor kept above a ceiling
        # keeps the two outer sides, which is the range between them reversed (only where the request keeps the two
        # sides or leaves out what lies between them: in 'drop texts with more than 25% special chars or less than 0.5
        # alphanumeric ratio' two filters' numbers met in one step)
        if BETWEEN_THEM_RE.search(text) or {v for _, v in C.verbs(text)} == {"keep"}:
            for s in [s for s in steps.values() if self.ops[s.op].category == "filter" and not s.args.get("reversed_range")]:
                for k in [k for k in s.args if k.startswith("min_") and "max_" + k[4:] in s.args]:
                    hi = "max_" + k[4:]
                    lo_v, hi_v = _magnitude(s.args[k]), _magnitude(s.args[hi])
                    if lo_v is not None and hi_v is not None and lo_v > hi_v:
                        s.args[k], s.args[hi] = s.args[hi], s.args[k]
                        s.args["reversed_range"] = True
        tool_codes = TOOL_LANG_CODE_RE.findall(goal)  # '只识别简体中文（ch_sim）': a language code as the tool writes it
        letters = re.findall(r"[A-Za-z]", goal)
        shouted = len(letters) > 40 and sum(ch.isupper() for ch in letters) > 0.9 * len(letters)
        for s in steps.values():  # a value quoted from a traditional-Chinese request keeps its characters
            s.args = {k: _as_written(v, goal) for k, v in s.args.items()}
            if shouted:  # 'RUN FFMPEG TREBLE FILTER … WITH G=-5': a request in capitals names tools and options in lower case
                s.args = {k: (v.lower() if isinstance(v, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", v) else
                              {(kk.lower() if isinstance(kk, str) and kk.isupper() else kk): vv for kk, vv in v.items()}
                              if isinstance(v, dict) else v) for k, v in s.args.items()}
            for a in self.ops[s.op].args:
                if a.measure == "language" and a.name in s.args and tool_codes and "list" in a.type and \
                        isinstance(a.default, list) and any("_" in str(d) for d in a.default):
                    s.args[a.name] = list(dict.fromkeys(tool_codes))
            # '做高斯模糊', 'dedup with phash': a choice said at its default changes nothing, and the recipe holds only
            # what differs from the defaults (the justification still quotes the words)
            s.args = {k: v for k, v in s.args.items()
                      if not any(a.name == k and a.measure in ("choice", "language", "field") and a.default == v for a in self.ops[s.op].args)}
        if L.NO_LOSS_RE.search(text) and any(self.ops[n].category not in DROPPING for n in steps):
            # ('项目：教学视频统一分辨率 … 注意：不删除任何视频'): with no sample to be lost, a filter given no bound, beside
            # a step that changes the samples, is no step
            steps = {n: s for n, s in steps.items() if not (self.ops[n].category == "filter" and not s.args and not s.asked)}
        ordered = sorted(steps.values(), key=lambda s: (CATEGORY_ORDER.get(self.ops[s.op].category, 1), s.pos))
        process = [{s.op: s.args} for s in ordered]
        just = [f"{s.op}: " + "; ".join(dict.fromkeys(s.reasons)) for s in ordered]
        for op, arg, said, kept in self._turn.unsure:
            if op in steps and arg in steps[op].args:  # nothing near the bound said keep or remove: say which was read
                notes.append((f"请确认方向：我把“{said}”的样本理解为要{'保留' if kept else '删除'}的（{op}.{arg}）；如果相反，请说明。")
                             if zh else
                             f"Check the side: I read the samples '{said}' as ones to {'keep' if kept else 'remove'} "
                             f"({op}.{arg}); say so if you meant the opposite.")
        for u in unknown:
            notes.append(("我没理解：“{}”。能换个说法，或说出要用的算子吗？" if zh else
                          "I did not understand: '{}'. Could you say it another way, or name the operator?").format(u))
        if not process:
            notes.append("我没能从这句话得出任何步骤：请说明要保留或删除什么（例如“删除少于50个字符的文本”）。" if zh else
                         "I found no step in this request: say what to keep or remove "
                         "(e.g. 'drop texts shorter than 50 characters').")
        return PlanOutput({"process": process}, just, notes=notes, candidates=candidates, retrieved=retrieved,
                          reference=reference)

    def _learned_reading(self, text: str, k: int = MEANING_TOP_K) -> list[tuple[str, float]]:
        """The operators the request classifier ranks first, given the media the request talks about: an operator for
        another medium is ruled out and the rest renormalised ('byte-for-byte identical pictures' reads like requests
        about videos uploaded twice, but it is about pictures)."""
        ranked = self.classifier.rank(text, k=max(12, k))
        said = modalities_of(text) & set(_MEDIA)
        if said and AMBIGUOUS_MEDIUM_WORDS_RE.search(text):
            said |= {"video", "audio"}  # ('lecture recordings' may be videos; a 'clip' like a 'still photo' is one)
        if said:
            kept = [(n, p) for n, p in ranked
                    if n not in self.ops or self.ops[n].modality not in _MEDIA or self.ops[n].modality in said]
            gone = sum(p for n, p in ranked) - sum(p for n, p in kept)
            ranked = [(n, p / max(1.0 - gone, 1e-6)) for n, p in kept]
        return ranked[:k]

    def _meaning_answers(self, steps: dict[str, Step]) -> bool:
        """Whether the learned meaning of the whole request answers it: no setting was asked for (settings read only
        from the story of a step guessed from a situation do not count)."""
        return self.classifier is not None and not any(s.args and (not s.implied or s.asked) for s in steps.values())

    # -- one piece of the request --------------------------------------------------------------------
    def _piece(self, c: C.Clause, hits: list[tuple[str, float]], steps: dict[str, Step],
               used_langs: set[int]) -> list[str]:
        if not hits:
            return []
        top_score = hits[0][1]
        floor = max(EVIDENCE_MIN, top_score * 0.45)
        if top_score >= LOW_MIN and top_score >= MARGIN * (hits[1][1] if len(hits) > 1 else 0.0) and not C.verbs(c.text):
            floor = min(floor, top_score)  # ('Box-blur the faces in the street-view crops (radius 5)': faint, but clearly ahead)
        pool = [(n, s) for n, s in hits if s >= floor]
        chosen: dict[str, list[Quantity]] = {}
        # ('just 20k sessions picked at random': a count of whatever the data holds, for a selector close by)
        said_verbs = C.verbs(c.text)
        selecting = any(self.ops[n].category == "selector" for n, _ in hits[:6]) and any(v == "keep" for _, v in said_verbs)
        qs = [q for q in c.quantities if (selecting and not _counts_quoted(q, c)) or not self._story_count(q, c)]
        # ('upscale anything under 480px tall so that it's 480 px tall': the bound's own number, said again)
        qs = [q for q in qs if not (q.cmp == "none" and any(o.cmp != "none" and o.value == q.value and q.measure in (o.measure, None)
                                                             for o in qs))]
        # ('比 9:16 还要瘦长，就…把比例拉回到 9:16': one number said twice is one setting)
        qs = [q for k, q in enumerate(qs) if not (q.cmp == "none" and any(
            o.cmp == "none" and o.value == q.value and o.measure == q.measure and o.text == q.text for o in qs[:k]))]
        # ('generating 3 candidate captions per clip and keeping all three'): a number said again as 'all three'
        qs = [q for k, q in enumerate(qs) if not (q.cmp == "none" and ALL_OF_BEFORE_RE.search(c.masked[:q.start]) and
                                                  any(o.value == q.value and o.cmp == "none" for o in qs[:k]))]
        # ('打上 cat 和 sofa 两个标签', 'the tags cat, dog and bird (all three)'): how many values were just listed
        qs = [q for q in qs if not (q.cmp == "none" and q.measure in (None, "count") and isinstance(q.value, (int, float)) and any(
            len(ws) == q.value and re.search(rf"{re.escape(ws[-1])}\W*(?:all|both|these|those|共|这|那)?\s*$", c.masked[:q.start], re.I)
            for ws in c.word_lists))]
        keep_or_remove = bool(said_verbs)
        picked = self._superlative_pick(c, qs, hits)
        if picked is not None:
            # 'the five hundred shortest clips, going by meta.duration_s', '按 meta.likes 取最高的一千条': a number of
            # samples ranked on a field is the count of the selector that ranks them
            chosen[picked[0]] = [picked[1]]
        asked = self._asked_actions(c.text)  # the piece's action verbs ('tag', '切块')
        if not keep_or_remove and not asked:
            # 'the videos are ~20 min each': how long every sample is, said with no verb, is how the data is
            qs = [q for q in qs if not EACH_AFTER_RE.match(c.masked[q.end:])]
            if EACH_HOLDS_RE.match(c.text):  # 'Each sample holds two images', '每条样本有两张图': what every sample is
                qs = [q for q in qs if q.cmp != "none"]
            if c.quantities and not qs:
                return []  # (nothing else is asked: the piece only says what the data is)
        if any(q.cmp != "none" and not _in_remark(c.masked, q.start) for q in qs):
            # 'throw out any file over 80MB (those are the 3-hour raw recordings)': a bare number in a remark in
            # brackets, beside a bound said outside them, describes the samples
            qs = [q for q in qs if not (q.cmp == "none" and _in_remark(c.masked, q.start))]
        if not any(self.ops[n].category == "selector" for n, _ in hits[:6]):
            # ('two articles count as duplicates when …': a number of samples, and no operator that picks a number of them)
            # ('We recorded ~400 voice memos': a number of the data's media files)
            qs = [q for q in qs if not (_counts_samples(q, c) or (
                q.cmp == "none" and q.measure is None and not keep_or_remove and not asked and
                _MEDIUM_NOUNS_RE.match(c.masked[q.end:].lstrip())))]
        # ('两张图的相似度低于0.6的删掉', 'the similarity of its two images'): how many items a sample holds, said of them
        qs = [q for q in qs if not (q.cmp == "none" and q.measure in (None, "count") and (
            re.match(r"\s*(?:[张个条段幅])?\s*(?:图片?|照片|图像|视频|音频|录音)(?:之间)?的", c.masked[q.end:]) or
            (re.search(r"\b(?:its|their|the|whose)\s*$", c.masked[:q.start], re.I) and
             (_MEDIUM_NOUNS_RE.search(q.text or "") or _MEDIUM_NOUNS_RE.match(c.masked[q.end:].lstrip())))))]
        listed = NUMBER_LIST_RE.search(c.masked)
        if listed and all(q.cmp == "none" for q in qs) and not keep_or_remove and not asked:
            # 'cameras shooting at 24, 30 and 60 frames per second': the data's variety, no setting
            qs = [q for q in qs if not listed.start() <= q.start < listed.end() + 12]
        takes_options = [n for n, _ in hits[:6] if any("dict" in a.type for a in self.ops[n].args)]
        named_args = {a.name for n, _ in hits[:6] for a in self.ops[n].args}
        if takes_options and not c.options:
            # "ffmpeg's atempo filter at tempo 1.25": a bare number right after a word no close operator's argument
            # has is an option of the tool that takes a dict of them
            arg_words = {w for n in named_args for w in n.split("_")}
            for q in qs:
                m = re.search(r"\b([a-z][a-z_]{2,})\s*(?:of|=|:)?\s*$", c.masked[:q.start])
                if q.cmp == "none" and q.measure is None and m and m.group(1) not in arg_words and \
                        not re.match(r"\s*[A-Za-z%]", c.masked[q.end:q.end + 2]) and m.group(1) not in ("with", "and", "the", "than", "at", "to"):
                    c.options[m.group(1)] = int(q.value) if float(q.value).is_integer() and "." not in (q.text or "") else q.value
                    c.option_spans.append((q.start, q.end))
        if c.options and takes_options and not set(c.options) & named_args:
            # "ffmpeg's loudnorm filter with I=-16": the options go to the operator that takes a dict of them
            chosen[takes_options[0]] = []
            qs = [q for q in qs if not any(s <= q.start < e for s, e in c.option_spans)]
            # '在结尾补两秒静音（pad_dur=2）': the same number said in words and as the option is the option
            qs = [q for q in qs if not (q.cmp == "none" and any(
                isinstance(v, (int, float)) and q.value is not None and not isinstance(q.value, str) and
                float(v) == float(q.value) for v in c.options.values()))]
        measured = {q.measure for q in qs if q.measure and q.measure not in ("count", "ratio")}
        measured |= {"aspect_ratio" for q in qs if q.fractions and re.search(r"\d\s*:\s*\d", q.text)}  # 'wider than 16:9'
        wide_hits: list[tuple[str, float]] = []

        def wide() -> list[tuple[str, float]]:  # the piece's longer list of operators, searched once
            if not wide_hits:
                wide_hits.extend(self.search(c.text, k=40))
            return wide_hits

        if measured:  # '少于二十个字': every operator that bounds characters takes part, however it was worded
            # ('按3个词一组统计重复': a number said without a comparator may be a setting in that unit, not a bound)
            unbounded = {q.measure for q in qs if q.cmp == "none" and q.measure in ("words", "characters", "tokens", "lines")}
            close = {n for n, _ in hits[:5]}
            pool = pool + [(n, sc) for n, sc in wide() if (n, sc) not in pool and any(
                a.measure in measured and (a.bound or (a.measure in unbounded and n in close)) for a in self.ops[n].args)]
            # ('voice memos … anything over 15 megs': a bound of the medium the request is about, whatever the piece's
            # own words found)
            media = (modalities_of(c.text) or getattr(self._turn, "modalities", set())) & set(_MEDIA)
            if media and not any(self.ops[n].modality in media and any(a.measure in measured and a.bound for a in self.ops[n].args)
                                 for n, _ in pool):
                pool = pool + [(n, EVIDENCE_MIN) for n, m in self.ops.items() if m.modality in media and
                               (n, EVIDENCE_MIN) not in pool and not n.startswith(tuple(f"{p}_" for p in CONTEXT_RES)) and
                               any(a.measure in measured and a.bound for a in m.args)]
        # ('…如果比 9:16 还要瘦长，就把比例拉回到 9:16'): a piece that changes the samples to a number is a mapper's
        sizes = bool(SHRINK_VERB_RE.search(c.text) or GROW_VERB_RE.search(c.text))
        changes_to = bool(CHANGE_TO_RE.search(c.text))
        resizing = sizes or changes_to
        if measured and (sizes and any(q.cmp in ("ge", "le") for q in qs) or changes_to and "aspect_ratio" in measured) \
                and not keep_or_remove and c.verb != "remove" and not HYPOTHETICAL_RE.search(c.text):
            # ('… would get upscaled and blurry, so drop them': what dropping spares them)
            # ('Anything wider than 1920 px, shrink it down to 1920': whatever the words found, the operators that change
            # the samples to such a number take part)
            pool = pool + [(n, sc) for n, sc in wide() if (n, sc) not in pool and self.ops[n].category == "mapper" and
                           any(fits(q, a) and plausible(q, a) and a.measure in measured and a.name.startswith(("min_", "max_"))
                               for q in qs for a in self.ops[n].args)]
        words_said = bool(WORD_NOUNS_RE.search(c.text))
        # ('Everything over 5000 characters long: get rid of it': the whole sample is the subject)
        samples_said = bool(SAMPLE_NOUNS_RE.search(c.text) or EVERYTHING_RE.match(c.text)) and not words_said
        if c.fields:  # an operator on fields takes part whatever its score
            pool = pool + [(n, sc) for n, sc in (wide() if any(q.cmp != "none" for q in qs) else hits)
                           if (n, sc) not in pool and
                           any(a.measure == "field" for a in self.ops[n].args)]
        if c.expression:
            for name, _ in hits[:6]:
                if any(a.measure == "text" for a in self.ops[name].args):
                    chosen.setdefault(name, [])
                    break
        if (c.quoted or SEPARATOR_RUN_RE.search(c.text)) and SEPARATOR_RE.search(c.text) and not any(q.cmp != "none" for q in qs):
            # '中间用五个等号“=====”隔开', 'separated by a line of dashes "-----"': a separator is where a splitter splits
            splitter = next((n for n in self.ops if any(a.measure == "pattern" and "split" in a.name for a in self.ops[n].args)
                             and self.ops[n].modality == "text"), None)
            if splitter:
                chosen.setdefault(splitter, [])
        if c.quoted and not c.placeholders and REPLACE_RE.search(c.text):
            # '把“&nbsp;”替换成一个空格': a quoted string replaced by another is the operator that takes both
            for name, _ in hits[:8]:
                if {"pattern", "text"} <= {a.measure for a in self.ops[name].args}:
                    chosen.setdefault(name, [])
                    break
        by_symbols = None
        # a piece that asks for something: a keep/remove verb, numbers, values, or a verb the operators' requests use
        asks = keep_or_remove or bool(qs or c.quoted or c.fields or c.placeholders) or \
            bool(self._actions(c.text))
        def taker(takes: Any, anywhere: bool = False) -> str | None:
            """The first close operator (any operator, `anywhere`) with an argument that takes what was said."""
            names = self.ops if anywhere else [n for n, _ in hits[:6]]
            return next((n for n in names if any(takes(a) for a in self.ops[n].args)), None)

        # ('remove comments from the .tex files': the files the step works in, not the files to keep or remove)
        scoped = bool(c.suffixes) and all(
            re.search(rf"(?:\b(?:from|in|inside|within|of|across|for)\s+(?:the\s+|all\s+|our\s+|my\s+|each\s+|every\s+)?|把|将)\s*\.?"
                      rf"{re.escape(x.lstrip('.'))}\b(?=\s*(?:files?|sources?|documents?|docs?)?\s*(?:里|中|内)?)", c.text, re.I) and
            hits and hits[0][1] >= TOP_MIN and not any(a.measure == "values" and "suffix" in a.name for a in self.ops[hits[0][0]].args)
            for x in c.suffixes)
        if c.suffixes and keep_or_remove and not chosen and not scoped:  # 'keep only files ending in .py or .java'
            by_symbols = taker(lambda a: "suffix" in a.name)
            if not by_symbols and not qs and not c.quoted:
                # 'only keep the FLAC and WAV files', '只收 wav 和 flac': media formats without their dot, whatever
                # the retrieval found
                by_symbols = taker(lambda a: a.measure == "values" and "suffix" in a.name, anywhere=True)
        listed_values = c.quoted or any(not set(ws) <= {f for f, _, _ in c.fields} for ws in c.word_lists)
        if c.fields and listed_values and keep_or_remove and not chosen and not by_symbols and not c.regexes and \
                not any(q.cmp != "none" for q in qs) and (not hits or hits[0][1] < TOP_MIN or
                                                          not any(a.measure == "field" for a in self.ops[hits[0][0]].args)):
            # 'keep only samples whose meta.platform is "douyin" or "kuaishou"': a field and the values it may hold, the
            # operator that takes both (whatever the retrieval, faint for such a piece, ranked first)
            # ('只要 meta.tags 是「新闻」或「财经」的': a field of tags, the operator that takes tags)
            tags = any("tag" in f.lower() for f, _, _ in c.fields)
            by_symbols = next((n for n, _ in wide() if any(a.measure == "field" for a in self.ops[n].args) and
                               any(a.measure == "values" and ("tag" in a.name) == tags for a in self.ops[n].args)), None)
        if c.placeholders and REPLACE_RE.search(c.text) and not chosen and not by_symbols:
            by_symbols = taker(lambda a: a.measure == "text")  # 'Swap every URL for the literal token <url>'
        if c.symbols and not qs and not by_symbols and not (EXAMPLE_RE.search(c.text) and not said_verbs) and \
                not WORDS_CONTAINING_RE.search(c.text):  # ('the words that contain @@': the words go, not the symbols)
            # 'the characters ※ and † keep showing up' ('有不少乱码（像“Ã©”这种）': examples of what the data has)
            by_symbols = taker(lambda a: a.measure == "chars")
            if not by_symbols and not chosen and any(q == c.symbols for q, _, _ in c.quoted) and hits[0][1] < TOP_MIN:
                # '识别不了的字全变成了“□”，满篇都是': a quoted symbol the text is littered with, and no operator clearly
                # named: the operator that takes characters, whatever the retrieval found
                by_symbols = taker(lambda a: a.measure == "chars", anywhere=True)
        if c.quoted and not c.placeholders and not chosen and not by_symbols and hits[0][1] < TOP_MIN and \
                (any(v == "remove" for _, v in C.verbs(c.text)) or (not keep_or_remove and c.verb == "remove")) and \
                not any(q.cmp != "none" for q in qs) and \
                not EXAMPLE_RE.search(c.text) and not self._acts_otherwise(c, hits, self.quote_takers):
            # '文本里到处是“【广告】”这几个字，全部删掉': a literal to remove, and no operator clearly named; the
            # operator whose own requests quote a literal takes it
            # ('remove every word that has 'lorem' in it': an operator whose values argument the piece names first)
            # ('delete the words that contain @@': the operator named for words that takes values)
            by_symbols = next((n for n, _ in wide() if WORDS_CONTAINING_RE.search(c.text) and "words" in n.split("_") and
                               any(a.measure == "values" for a in self.ops[n].args)), None) or \
                next((n for n, _ in wide() if mentions(c.text, [a for a in self.ops[n].args
                                                                if a.measure in ("values", "chars")])),
                     next((n for n, _ in wide() if n in self.quote_takers), None))
        if by_symbols:
            chosen.setdefault(by_symbols, [])
        unfielded = c.masked
        for _, s0, e0 in c.fields:
            unfielded = unfielded[:s0] + " " * (e0 - s0) + unfielded[e0:]
        # 'more than 40% of a page's 5-word sequences are repeats': one operator that takes every number said
        takes_all = {n for n, _ in pool if all(any(fits(q, a) and plausible(q, a) for a in self.ops[n].args) for q in qs)} \
            if len(qs) >= 2 else set()
        for q in qs:
            if picked is not None and q is picked[1]:
                continue
            verb = C.verb_at(c.masked, q.start, c.verb)
            side = place_bound(flip(verb) if q.negated else verb, q.cmp)
            best, best_s = None, -1.0
            scored: list[tuple[str, float]] = []
            near = c.masked[max(0, q.start - 24):q.end + 24]
            # 'wider than 1920': pixels ('a width-to-height ratio between 0.5 and 2' is an aspect ratio)
            dim_said = bool(DIM_WORDS_RE.search(near)) and not ASPECT_WORDS_RE.search(c.masked[max(0, q.start - 48):q.end])
            # 'shrink anything taller than 1080 px down to 1080 px': a size to change, not to drop
            resized = resizing and any(self.ops[n].category == "mapper" and any(fits(q, a) for a in self.ops[n].args)
                                       for n, _ in pool)
            counts_samples = _counts_samples(q, c)  # ('the 200 posts with the fewest likes': only a selector takes it)
            for name, sc in pool:
                meta = self.ops[name]
                if meta.category == "filter" and (resized or counts_samples):
                    continue
                fit = [a for a in meta.args if fits(q, a) and plausible(q, a) and
                       (not opaque(a) or name_hint(c.masked, q.start, q.end, [a]) is not None) and
                       (a.measure == "pixels" or q.measure or not dim_said or (a.measure == "aspect_ratio" and q.fractions))]
                if not fit:
                    continue
                s = sc
                if side in ("min", "max") and any(a.bound == side for a in fit):
                    s += 0.25
                elif side in ("range", "reversed") and {a.bound for a in fit} >= {"min", "max"}:
                    if side == "reversed" and meta.category != "filter":
                        continue  # only a filter can keep what lies outside a range
                    s += 0.25
                elif side is None and q.cmp == "none" and q.measure and any(not a.bound for a in fit):
                    s += 0.1  # 'pick the 500 rows ...': a plain count is a setting (topk), not a bound
                elif side is None and q.cmp == "none" and all(a.bound for a in fit):
                    s -= 0.15  # 'the 20 most frequent values': a number said with no comparator is rarely a bound
                elif side is not None and any(a.bound for a in fit):
                    continue  # it would only take the other side: never invert a bound
                elif side in ("min", "max") and keep_or_remove and any(
                        any(a.bound == side and fits(q, a) for a in self.ops[n].args) for n, _ in pool
                        if not (resized and self.ops[n].category == "filter")):
                    continue  # 'remove ... under 20' bounds what is kept: an operator with that bound takes it
                    # (a filter does not, when the piece resizes: '… scaled down …, keeping its aspect ratio')
                elif side in ("range", "reversed") and keep_or_remove and any(
                        {a.bound for a in self.ops[n].args if fits(q, a)} >= {"min", "max"} for n, _ in pool):
                    continue  # 'keep only the pieces that last between 3 and 20 seconds': a filter keeps a range
                if name == pool[0][0] and not (keep_or_remove or c.verb) and any(not a.bound for a in fit) and \
                        sc >= NAMED_MARGIN * (pool[1][1] if len(pool) > 1 else 0):
                    s += 0.25  # the clearly named operator takes its own number ('chunks of at most 512')
                if c.fields and any(a.measure == "field" for a in meta.args):
                    s += 0.2
                if q.cmp == "none" and (SUPERLATIVE_AFTER_RE.match(c.masked[q.end:]) or SUPERLATIVE_BEFORE_RE.search(c.masked[:q.start])) \
                        and any(a.measure == "count" and not a.bound for a in fit):
                    s += 0.2  # '最高的一千三百五十条', 'the 500 longest': a count of samples ranked, a selector's
                if q.measure and any(a.measure == q.measure for a in fit):
                    s += 0.1
                    # ('长度不到十个字的删掉': a length said of no part is the whole text's, not a line's or a word's)
                    parts = {t.rstrip("s") for t in name.split("_")} & set(_PART_RES)
                    if parts and not any(_PART_RES[p].search(c.text) for p in parts):
                        s -= 0.2
                if name_hint(unfielded, q.start, q.end, fit) is not None:  # 'meta.quality_score' names no 'score'
                    s += 0.15
                if cue_values(c.text, meta.args):
                    s += 0.1  # the clause says how one of its settings goes ('the lowest 10%')
                if name in takes_all:
                    s += 0.2
                if meta.category == "mapper" and resizing:
                    s += 0.2  # 'resize the videos down so they fit inside 1920x1080': the numbers are the mapper's
                if samples_said and meta.category == "filter":
                    s += 0.15
                elif words_said and meta.category == "mapper":
                    s += 0.1
                scored.append((name, s))
                if s > best_s:
                    best, best_s = name, s
            # '均匀抽五帧打标签': of two operators that take the number about equally well, the one whose own requests
            # use the piece's action verb (tag) and not the other's
            if best and asked and not self.op_actions.get(best, set()) & asked:
                acting = [n for n, sc in scored if sc >= best_s - 0.1 and n != best and
                          self.ops[n].modality == self.ops[best].modality and self.op_actions.get(n, set()) & asked]
                if len(acting) > 1 and any(n in steps for n in acting):
                    acting = [n for n in acting if n in steps]  # (the twin already planned: '打标签时每个视频均匀抽 3 帧')
                if len(acting) == 1:
                    best = acting[0]
            if best:
                chosen.setdefault(best, []).append(q)
        # a language naming the data ('English documents', '只保留中文') -> the op whose point is the language
        said_lang: dict[str, int] = {}
        for code, s, e, names_data in c.languages:
            if not names_data:
                continue
            if self._describes_data(c, s, chosen, hits) or (asked and not keep_or_remove and
                                                     not ONLY_BEFORE_RE.search(c.text[max(0, s - 14):s])):
                # ('split the German articles into sentences': an action on data the language describes)
                # the step's own language, when it takes one ('flagged words in Chinese' -> lang: zh)
                said_lang.setdefault(code, s)
                continue
            langs = [(n, sc) for n, sc in hits if self.ops[n].language_defining]
            best = langs[0][0] if langs else next((n for n, m in self.ops.items() if m.language_defining), None)
            if best:
                chosen.setdefault(best, [])
                if (OUR_DATA_RE.search(c.text[max(0, s - 12):s]) and not C.verbs(c.text)) or \
                        (SCOPE_AFTER_RE.match(c.text[e:]) and not ONLY_BEFORE_RE.search(c.text[max(0, s - 14):s])) or \
                        (has_cjk(c.text) and not c.text[:s].strip() and not any(v == "keep" for _, v in C.verbs(c.text))):
                    # ('中文语料能不能去一下重': the data the sentence is about, as its subject)
                    # '这批英文语料里', 'for our Chinese corpus', '英文评论里，…都删掉': what the data is
                    self._turn.described.add(best)
        if c.fields and not any(a.measure == "field" for n in chosen for a in self.ops[n].args):
            on_field = [n for n, _ in pool if any(a.measure == "field" for a in self.ops[n].args)]
            said_fields = {f for f, _, _ in c.fields}
            if any(not set(ws) <= said_fields for ws in c.word_lists):
                # 'meta.license is mit, apache-2.0 or bsd-3-clause': a field op that takes values (not a list of fields)
                on_field = [n for n in on_field if any(a.measure == "values" for a in self.ops[n].args)] or on_field
            if on_field:
                chosen.setdefault(on_field[0], [])
        top, score = hits[0]
        if top in steps and self.ops[top].category == "mapper" and any(v == "remove" for _, v in said_verbs) and \
                not qs and len(hits) > 1 and self.ops[hits[1][0]].category in DROPPING and hits[1][1] >= 0.6 * score:
            # ('Cut the text into chunks …, then drop chunks that are identical': the pieces the step before made are
            # what is dropped; the operator that drops them answers)
            hits = sorted([hits[1], (hits[0][0], hits[1][1] * 0.5)] + hits[2:], key=lambda h: -h[1])
            top, score = hits[0]
        second = hits[1][1] if len(hits) > 1 else 0.0
        confident = score >= TOP_MIN or (score >= LOW_MIN and score >= MARGIN * max(second, 1e-9))
        # 'Forum dump again, sorry': a verb-less, number-less piece that names its operator only weakly
        faint = (score < TOP_MIN and not asks) or (bool(INABILITY_RE.search(c.text)) and not keep_or_remove and not qs) or \
            (score < HEADING_MIN and not asks and not has_cjk(c.text) and not _says_name_word(c.text, top)) or \
            (score < HEADING_MIN and not asks and COMPLAINT_RE.search(c.text)) or \
            (score < TOP_MIN and self.ops[top].category == "filter" and not keep_or_remove and not qs and not asked and
             not (c.quoted or c.fields or c.word_lists))  # ('make the clips sound like a phone call': no filter makes anything)
        # ("CCTV clips for …", '视频都太长了')
        if not chosen and confident and not qs and not INABILITY_RE.search(c.text):
            # 'Break every document into sentences': of the close operators, the one whose own requests use the
            # piece's action verb answers, when the top one's do not
            # ('so the audio has to be converted': a filter, with no bound said, is no answer to an action; a mapper of
            # the medium a little further down that does it is)
            reach = 6 if self.ops[top].category == "filter" and not keep_or_remove else 3
            agree = [n for n, sc in hits[:reach] if sc * MARGIN >= score and self.op_actions.get(n, set()) & asked]
            top_named = any(t in c.text.lower() for t in top.split("_")
                            if t not in _GENERIC_NAME_WORDS and t.rstrip("s") not in _PART_RES and len(t) > 3)
            media = modalities_of(c.text) - {"text"}  # ('the audio itself needs converting': not a text converter)
            if len(agree) == 1 and agree[0] != top and not self.op_actions.get(top, set()) & asked and not top_named and \
                    not (media and self.ops[agree[0]].modality not in media and self.ops[top].modality in media):
                top, score = agree[0], dict(hits)[agree[0]]
        if not chosen and not confident and (c.quoted or (c.suffixes and keep_or_remove) or any(
                keep_or_remove or not all(C.media_format(w) for w in ws) for ws in c.word_lists)):
            # ('avi、wmv 都有' lists the formats there are, it asks for nothing)
            # 'words containing http or www', '.jpg and .png files': nothing else named, and the piece lists
            # values: the best operator that takes a list of values
            takers = [n for n, _ in pool if any(a.measure in ("values", "chars") for a in self.ops[n].args)]
            named = [n for n in takers if mentions(c.text, [a for a in self.ops[n].args if a.measure in ("values", "chars")])]
            # ('以句号“。”为切分点把长文切块': a close operator that does what the piece's action verb says answers)
            if takers and (acting := self._acts_otherwise(c, hits, {(named or takers)[0]})):
                chosen.setdefault(acting, [])
            elif takers:  # '含有「http」子串的单词': the one whose argument the piece names ('子串' -> substrings) first
                chosen.setdefault((named or takers)[0], [])
        if not chosen and not confident and score >= LOW_MIN and not INABILITY_RE.search(c.text):
            # 'dedupe the news articles with SimHash': a word of one close operator's own name, said, names it
            # (the top one only: 'average hashing' does not name the average line length filter below it)
            by_name = [n for n, sc in hits[:3] if sc >= LOW_MIN and _says_name_word(c.text, n)]
            if by_name == [top] and not any(cue_values(c.text, [a for a in self.ops[n].args if a.measure == "choice"])
                                            for n, _ in hits[1:4]):  # ('using average hashing' names the ahash method)
                chosen.setdefault(top, [])
        if not chosen and not confident and score >= LOW_MIN and not INABILITY_RE.search(c.text):
            # 'break them into sentences using the German rules': the action verb only one close operator's requests use
            # ('nobody can label them like that' says what cannot be done, it asks for nothing)
            agree = [n for n, sc in hits[:3] if sc >= LOW_MIN and self.op_actions.get(n, set()) & asked]
            media = modalities_of(c.text) - {"text"}  # (an operator for another medium than the one said is no answer)
            agree = [n for n in agree if not media or self.ops[n].modality in media | {"multimodal", "any"}]
            if len(agree) == 1:
                chosen.setdefault(agree[0], [])
        if not chosen and not confident:
            # 'dedupe the images using dhash': a choice only one nearby operator offers names it
            named = [n for n, _ in hits[:4] if cue_values(c.text, [a for a in self.ops[n].args if a.measure == "choice"])]
            if len(named) == 1:
                chosen.setdefault(named[0], [])
        if not chosen and not confident and score >= LOW_MIN and keep_or_remove and not qs and not _only_job_words(c.text):
            # 'remove duplicate tickets': the close operators are all one kind of action (deduplicators), and no
            # medium is said; the top one, for the default medium, is the step (a filter needs its bound)
            # ('Do the standard cleaning' names the job, no operation of it)
            close = [n for n, sc in hits if sc * MARGIN >= score]
            if len(close) > 1 and len({self.ops[n].category for n in close}) == 1 and self.ops[top].modality == "text" \
                    and self.ops[top].category != "filter":
                chosen.setdefault(top, [])
        outright = [n for n, _ in hits[:8] if any(named_choice(a, c.text) is not None
                                                  for a in self.ops[n].args if a.measure == "choice")]
        if not chosen and len(outright) == 1 and outright[0] != top:
            chosen.setdefault(outright[0], [])  # '相似图片用 dhash 去个重': only the image deduplicator offers dhash
        if not chosen and (not confident or self.ops[top].category == "filter") and not qs and keep_or_remove:
            # '帮我把英文字母都去掉': a setting only one close operator declares, said in its own words, names it
            # (a filter with no bound said keeps or removes nothing: '英文字母和阿拉伯数字一律去掉')
            cued = [n for n, sc in hits[:6] if sc > 0 and
                    cue_values(c.text, [a for a in self.ops[n].args if a.measure in ("flag", "choice")])]
            if len(cued) == 1:
                chosen.setdefault(cued[0], [])
        lost = any(fits(q, a) for q in qs for a in self.ops[top].args) and any(chosen.values())
        if any(nd for *_, nd in c.languages):
            # 'only keep Chinese text': the language word alone must not name a second operator
            blank = c.text
            for _, s0, e0, _ in c.languages:
                blank = blank[:s0] + " " * (e0 - s0) + blank[e0:]
            rest = SAMPLE_NOUNS_RE.sub(" ", C.KEEP_RE.sub(" ", C.REMOVE_RE.sub(" ", blank)))
            plain_hits = self.search(blank) if _meaningful(rest) and not _names_nothing(blank) else []
            if plain_hits:
                top, score = plain_hits[0]
                confident = score >= TOP_MIN and asks  # 'French forum dump.' says what the data is
                if asked and not self.op_actions.get(top, set()) & asked:
                    # ('split the German articles into sentences': the close operator that does the piece's action)
                    agree = [n for n, sc in plain_hits[:3] if sc * MARGIN >= score and self.op_actions.get(n, set()) & asked]
                    if len(agree) == 1:
                        top, score = agree[0], dict(plain_hits)[agree[0]]
            else:
                confident = False
        evidence = [sc for n, sc in hits if chosen.get(n)]
        # ('少于30个字符的帖子直接删掉': the bound has its operator; a weak top hit is no second step)
        if confident and top not in chosen and not lost and not by_symbols and (not evidence or score >= 1.5 * max(evidence)) \
                and not (self.ops[top].category == "filter" and not qs and chosen) \
                and not ((any(chosen.values()) or (c.fields and chosen)) and score < TOP_MIN) and \
                not (score < HEADING_MIN and keep_or_remove and self.ops[top].category == "filter" and
                     not any(fits(q, a) for q in qs for a in self.ops[top].args) and
                     any(v and self.ops[n].category == "filter" and self.ops[n].modality == self.ops[top].modality
                         for n, v in chosen.items())):
            # ('再把小于50KB的缩略图删了': the size bound has its filter; 'thumbnail' names no second one)
            if not (self.ops[top].language_defining and not any(nd for *_, nd in c.languages)):
                if faint and top not in steps:
                    self._turn.faint.add(top)
                chosen.setdefault(top, [])
        # 'The crawl sits on our Ray cluster. Exact-dedup the documents there': the twin for the context said
        chosen = {self._in_context(n): qs for n, qs in chosen.items()}
        # ('只要画面标签里有 dog 的视频，打标签的时候每个视频均匀抽 5 帧': how the filter planned before makes its tags)
        chosen = {(twin if n.endswith("_mapper") and (twin := _twin_of(n)) in steps and
                   quantities and all(any(fits(q, a) for a in self.ops[twin].args) for q in quantities) else n): quantities
                  for n, quantities in chosen.items()}
        for name, quantities in chosen.items():
            self._add(name, c, quantities, steps, used_langs)
            steps[name].story = False  # asked for, whatever story named it before
            a = next((a for a in self.ops[name].args if a.measure == "language"), None)
            if a is not None and said_lang and a.name not in steps[name].args and not self.ops[name].language_defining:
                codes = list(said_lang)
                steps[name].args[a.name] = codes[0] if len(codes) == 1 or "list" not in a.type else codes
                used_langs.update(c.start + s for s in said_lang.values())
            if not faint or quantities:
                self._turn.faint.discard(name)  # named clearly here, whatever named it faintly before
        return list(chosen)

    def _superlative_pick(self, c: C.Clause, qs: list[Quantity], hits: list[tuple[str, float]]) -> tuple[str, Quantity] | None:
        """A number of samples said with a superlative ('the 500 shortest', '最高的一千条') in a request that names a
        field, when the piece's own words found no selector (they found the media: 'clips'): the selector that keeps
        one count of samples ranked on a field, with that count."""
        said_fields = c.fields or C.fields(getattr(self._turn, "text", ""))
        # ('keep the 1,750 with the most meta.stars': a count said with 'with the most' is a ranking, whatever came first)
        with_most = bool(WITH_THE_MOST_RE.search(c.masked))
        if not said_fields or (any(self.ops[n].category == "selector" for n, _ in hits[:6]) and
                               not (with_most and hits and self.ops[hits[0][0]].category != "selector")):
            return None
        for q in qs:
            if q.cmp != "none" or q.measure not in (None, "count"):
                continue
            if not (SUPERLATIVE_AFTER_RE.match(c.masked[q.end:]) or SUPERLATIVE_BEFORE_RE.search(c.masked[:q.start])):
                continue
            ranked = [n for n, _ in self.search(c.text + " " + said_fields[0][0], k=40) if self.ops[n].category == "selector" and
                      {"count", "field"} <= {a.measure for a in self.ops[n].args} and
                      not any(re.match(r"(?:min|max|lower|upper)_", a.name) for a in self.ops[n].args if a.measure == "count")]
            if ranked:
                return ranked[0], q
        return None

    def _in_context(self, name: str) -> str:
        """The operator's twin for a context the request says anywhere ('on our Ray cluster' -> ray_…)."""
        text = getattr(self._turn, "text", "")
        return next((f"{p}_{name}" for p in CONTEXT_RES if f"{p}_{name}" in self.ops and context_said(p, text)), name)

    def _describes_data(self, c: C.Clause, start: int, chosen: dict[str, list[Quantity]],
                        hits: list[tuple[str, float]] | None = None) -> bool:
        """'perplexity higher than 500 in English', 'for the Chinese corpus', '这批英文语料里': a language that says
        what the data is, in a piece that asks for another step, is no language filter ('keep English documents …',
        'non-English', '只要中文' still ask for it)."""
        # ('中文语料能不能按困惑度过滤': the operator the piece clearly names is another one)
        other = any(not self.ops[n].language_defining for n in chosen) or bool(
            hits and hits[0][1] >= TOP_MIN and not self.ops[hits[0][0]].language_defining and has_cjk(c.text))
        return other and \
            not ONLY_BEFORE_RE.search(c.text[max(0, start - 14):start]) and \
            not (C.verb_at(c.masked, start, c.verb) == "keep" and C.KEEP_RE.search(c.text))

    def _names_other(self, text: str, hits: list[tuple[str, float]], prev_ops: list[str]) -> bool:
        """'…, and then dedup them by dhash': the piece names a setting only another operator offers."""
        return any(named_choice(a, text) is not None or
                   any(len(str(v)) >= 4 and re.search(rf"(?<![\w-]){re.escape(str(v))}(?![\w-])", text, re.I) for v in a.choices)
                   for n, _ in hits[:3] if n not in prev_ops for a in self.ops[n].args if a.measure == "choice")

    def _actions(self, text: str) -> set[str]:
        """The action verbs (as 5-letter stems) a piece uses that operators' requests begin with."""
        text = _same_actions(text)
        # ('remove chunks that are exact duplicates', 'into chunks'): a word after an article, a preposition or a
        # keep/remove verb is the thing acted on, not the action
        tokens = re.findall(r"[a-z]+", text.lower())
        words = {w[:5] for k, w in enumerate(tokens) if len(w) >= 3 and not (k and NOUN_AFTER_RE.fullmatch(tokens[k - 1]))
                 and self._inflects(w)}
        return (words & self.action_stems) | \
            {v for v in L.ZH_ACTION_VERBS if re.search(re.escape(v) + r"(?![成为]?了|过)", text)}  # ('之前打包成了…' is done)

    def _inflects(self, token: str) -> bool:
        """The token is a form of an action verb of its stem ('converting', 'conversion', 'dedupe' of convert and
        deduplicate), not another word that begins alike ('conversation')."""
        verbs = self.action_words.get(token[:5])
        if not verbs:
            return True  # (no action of that stem: the stems decide)
        for v in verbs:
            root = v[:-1] if v.endswith("e") else v
            if len(token) <= len(v) + 1 or (token.startswith(root) and _INFLECTION_RE.fullmatch(token[len(root):] if not
                                           token[len(root):len(root) + 1] == root[-1:] else token[len(root) + 1:])) or \
                    (v.endswith("t") and token.startswith(v[:-1] + "sion")):
                return True
        return False

    def _restates_bounds(self, c: C.Clause, hits: list[tuple[str, float]], last_ops: list[str], steps: dict[str, Step]) -> bool:
        """The piece's numbers are all bounds the step just named already holds, it names none of that step's unset
        arguments, and it names no other operator clearly (or says nothing beside its numbers)."""
        last = last_ops[-1]
        if last not in steps or not c.quantities or not all(isinstance(q.value, (int, float)) for q in c.quantities):
            return False
        held = [float(v) for v in steps[last].args.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if not all(q.cmp in ("ge", "le") and any(abs(v - float(q.value)) < 1e-9 for v in held) for q in c.quantities):
            return False
        unset = [a for a in self.ops[last].args if a.name not in steps[last].args]
        if any(name_hint(c.masked, q.start, q.end, unset) for q in c.quantities):
            return False
        if any(re.search(rx, c.masked) for a in unset for w in a.words for rx in L.ARG_PATTERNS_ZH.get(w, ())):
            return False  # '宽超过四千像素、或者高超过四千像素': the same number for another dimension
        beside = "".join(" " if any(q.start <= k < q.end for q in c.quantities) else ch for k, ch in enumerate(c.masked))
        return not hits or hits[0][0] in last_ops or hits[0][1] < HEADING_MIN or _content_words(beside) <= 1

    def _asked_actions(self, text: str) -> set[str]:
        """The piece's action verbs that ask for an operation ('tag', '切块'), not the weak ones ('keep', 'get')."""
        return self._actions(text) - _WEAK_ACTIONS

    def _acts_otherwise(self, c: C.Clause, hits: list[tuple[str, float]], takers: set[str]) -> str | None:
        """'再以句号“。”为切分点把长文切块': a close operator that does what the piece's own action verb says, when
        none of the operators that would take its quoted values does."""
        said = self._asked_actions(c.text)
        acting = [n for n, _ in hits[:3] if self.op_actions.get(n, set()) & said]
        return acting[0] if acting and not set(acting) & takers else None

    def _doing_what_is_said(self, text: str, hits: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Situation hits with the close one that does what the text's own action verb says first ('直播回放动辄几个
        小时，要剪成短片段': cutting, so the splitter, not the duration filter the story also resembles)."""
        said = self._asked_actions(text)
        if not said or not hits or self.op_actions.get(hits[0][0], set()) & said:
            return hits
        for j, (n, sc) in enumerate(hits[1:4], 1):
            if sc * SITUATION_MARGIN >= hits[0][1] and self.op_actions.get(n, set()) & said:
                return [(n, hits[0][1])] + hits[:j] + hits[j + 1:]
        return hits

    @staticmethod
    def _runner_up(hits: list[tuple[str, float]]) -> float:
        """The score of the best hit that is no sibling of the top one: the watermark filter and the watermark
        remover answer the same trouble, so neither is the other's rival."""
        own = _name_words(hits[0][0])
        top = hits[0][0]
        # (two deduplicators of one medium answer the same trouble, exact or near copies, too)
        same_kind = {n for n, _ in hits[1:] if n.endswith("_deduplicator") and top.endswith("_deduplicator") and
                     n.split("_")[0] == top.split("_")[0]}
        return next((sc for n, sc in hits[1:] if not own & set(n.split("_")) and n not in same_kind), 0.0)

    def _story_count(self, q: Quantity, c: C.Clause) -> bool:
        """'the same photo shows up from three different marketplaces': a count of things no argument is about (no
        unit, no sample, no word of any argument's name) is part of the story, not a setting."""
        if q.cmp != "none" or q.measure is not None:
            return False
        if _counts_quoted(q, c):
            return True
        if any(w.start() <= q.start < w.end() for w in WITHIN_ONE_RE.finditer(c.text)):
            return True  # '同一句话在一个帖子里重复了好几遍': in one post
        if q.value == 1 and re.fullmatch(r"[1一]\s*[条个段篇份首部本]", q.text.strip()) and \
                not re.match(r"\s*(?:的)?(?:长度|时长|大小|数量)", c.masked[q.end:]):
            return True  # '有声书的录音，一条动不动好几个小时': one of the samples, no count of anything
        if re.match(r"\s*处", c.masked[q.end:]) or q.text.rstrip().endswith("处"):
            return True  # '视频中有两处台标': how many places something is at, no setting
        if DATA_SIZE_BEFORE_RE.search(c.masked[max(0, q.start - 30):q.start]):
            return True  # 'we scraped ~200k product photos', '一共爬了两百万条': how much data there is
        m = re.match(r"\s+(?:[a-z]+\s+)?([a-z]{3,})s\b", c.masked[q.end:], re.I)
        if not m:
            return False
        noun = m.group(1).lower()
        named = [a for meta in self.ops.values() for a in meta.args if noun + "s" in a.name.split("_")]
        if named and all(a.measure not in NUMERIC for a in named):
            return True  # 'those two languages (en and ja)': how many values a list holds, no count to set
        return not {noun, noun + "s", stem(noun + "s")} & self.arg_words and noun not in L.UNITS and \
            not SAMPLE_NOUNS_RE.search(m.group(0)) and \
            not _MEDIA_NOUNS_RE.search(m.group(0)) and not C.ANAPHORA_RE.search(m.group(0))

    def _situation(self, c: C.Clause, steps: dict[str, Step], used_langs: set[int]) -> list[str]:
        """A piece that names no operation may describe the data's trouble or the user's purpose ('most of
        the CCTV clips barely move', '我们只做日本站的模型'): the operator whose situations it clearly matches."""
        if (_content_words(SAMPLE_NOUNS_RE.sub(" ", c.text)) < (3 if has_cjk(c.text) or c.quantities or C.verbs(c.text) else 4) or (C.ANAPHORA_RE.search(c.text) and C.verbs(c.text))
                or C.COMPARATIVE_RE.search(c.text) or re.search(r"[:：]\s*$", c.text) or KEEP_ITSELF_RE.search(c.text)):
            # ('keep the lyrics themselves': the samples stay, what is taken out of them was said)
            return []  # 'docs like that go', '再高就不行', 'two things:' say nothing of the data
        # ('… looped hundreds of times ("hahahahaha...", "I'm sorry I'm sorry...")'): quoted examples of the trouble
        # say less than the words that describe it
        told = re.sub(r"[(（][\s,，、;；.…]*[)）]", " ", QUOTED_LITERAL_RE.sub(" ", c.text))
        told = c.text if _content_words(told) < 6 else told
        hits = self._doing_what_is_said(told, self.search(told, k=4, situations=True))
        if not hits or hits[0][1] < SITUATION_MIN or hits[0][1] < SITUATION_MARGIN * self._runner_up(hits):
            return []
        name = hits[0][0]
        fresh = name not in steps
        # ('crawled by three different crawlers': a count of the story is no setting)
        self._add(name, c, [q for q in c.quantities if not self._story_count(q, c)], steps, used_langs)
        if fresh:
            steps[name].implied = True
            # ('Could you clean up the customer-chat export? Replace …': 'clean up' asks for no step in particular)
            plain = L.VAGUE_JOB_RE.sub(" ", c.text)
            steps[name].story = not C.verbs(plain) and not self._asked_actions(plain)
            steps[name].answered_by = {n for n, sc in hits[1:] if sc * SITUATION_MARGIN >= hits[0][1]}
        return [name]

    def _add(self, name: str, c: C.Clause, qs: list[Quantity], steps: dict[str, Step], used_langs: set[int]) -> None:
        meta = self.ops[name]
        step = steps.get(name)
        if step is None:
            step = steps[name] = Step(name, {}, c.start)
        args = step.args
        # shrinking caps a resize mapper's result, growing floors it: 'videos wider than 1280 should be scaled down'
        # and '视频太大了，缩小到不超过854x480' both give max_ (what the number names is changed, or is the target)
        # (an aspect ratio is no size: shrinking a side to reach it caps nothing)
        said_verb = bool(C.verbs(c.text))
        # ('photos with even one face in them'): the one is how few already counts, not a bound
        qs = [q for q in qs if not (q.cmp == "none" and q.value == 1 and any(
            m.start() <= q.start < m.end() for m in ANY_AT_ALL_RE.finditer(c.masked)))]
        for q in qs:
            verb = C.verb_at(c.masked, q.start, c.verb)
            if (resized := _resized(meta, c, q)) is not None:
                q, verb = resized
            elif meta.category == "mapper" and q.cmp in ("ge", "le") and not said_verb and \
                    (_CONDITION_BEFORE_RE.search(c.masked[:q.start]) or re.match(r"\s*(?:的|者)", c.masked[q.end:]) or
                     _DESCRIBED_NOUN_RE.search(c.masked[:q.start])) and \
                    any(fits(q, a) and not a.bound and a.name.startswith(("min_", "max_")) for a in meta.args):
                # ('宽高比小于 9:16 的视频调整到 9:16', 'resize videos whose ratio is above 16:9'): the number says which
                # samples the mapper changes, the others are left as they are
                verb = "remove"
            check = c.unsure and q.cmp in ("ge", "le") and not REQUIREMENT_CMP_RE.search(q.text)
            before = dict(args) if check else {}
            bind_quantity(q, verb, meta.args, c.masked, q.start, args, can_reverse=meta.category == "filter")
            step.asked = step.asked or said_verb
            if check:
                # ('no sample is longer than 4,096 tokens' reads as at most 4,096: the words said name the other side)
                side = _comparative_side(q.text, _SAID_GE_RE, _SAID_LE_RE) or q.cmp
                self._turn.unsure.extend((name, k, q.text.strip(), k.startswith("min") == (side == "ge"))
                                         for k in args if k not in before and any(a.name == k and a.bound for a in meta.args))
        if meta.language_defining:
            # ('日文假名…，只想保留纯中文内容': a language of characters is no language of the data, when one is said)
            langs = [code for code, _, e, _ in c.languages if not C.CHARACTERS_OF_RE.match(c.text[e:e + 24])] or \
                [code for code, *_ in c.languages]
            if langs:
                # 'keep only English documents' asks for the language filter itself, not for a job
                step.kept = any(C.verb_at(c.masked, s0, c.verb) == "keep" and C.KEEP_RE.search(c.text)
                                for _, s0, _, _ in c.languages)
                a = next(a for a in meta.args if a.measure == "language")
                codes = list(dict.fromkeys(langs))
                args[a.name] = codes[0] if len(codes) == 1 or "list" not in a.type else codes
                used_langs.update(c.start + s for _, s, _, _ in c.languages)
        bind_roles(c, meta.args, args, used_langs, op=name)
        chance = next((a for a in meta.args if a.measure == "probability" and not a.bound and a.name not in args), None)
        if chance is not None and EVERY_ONE_RE.search(c.text):
            args[chance.name] = 1  # 'add noise to every single remaining recording (not a random share of them)'
        caps = [a for a in meta.args if a.bound == "max" and a.measure in ("ratio", "count") and a.name not in args]
        if meta.category == "filter" and len(caps) == 1 and not any(q.cmp != "none" for q in qs) and \
                ANY_AT_ALL_RE.search(c.text) and (any(v == "remove" for _, v in C.verbs(c.text)) or
                                                   not C.verbs(c.text) and c.verb == "remove") and \
                not any(a.bound == "max" and a.name in args for a in meta.args):
            args[caps[0].name] = 0  # 'a story with even a single flagged word must not make it in': none is allowed
        said = [x for x in c.suffixes if x in (args.get("suffixes") or [])]
        if said and C.verb_at(c.text, c.text.lower().find(said[0].lstrip(".").lower()), c.verb) == "remove":
            # 'drop the .gif and .svg files': suffix_filter keeps the suffixes it lists; these are to go
            step.exclude = list(dict.fromkeys(step.exclude + said))
            del args["suffixes"]
        # a choice read off a description of the data ('台湾同事给的一批繁体语料') gives way to one the user asks for
        # ('…，要转成简体')
        asking = said_verb or bool(self._asked_actions(c.text))
        for k, v in cue_values(c.text, meta.args).items():
            if k not in args or (asking and k in step.described):
                args[k] = v
                if asking:
                    step.described.discard(k)
                else:
                    step.described.add(k)
        step.reasons.append(f"“{c.text.strip()}”" + (" → " + ", ".join(f"{k}={v}" for k, v in args.items()) if args else ""))

    def _missing(self, step: Step) -> list[str]:
        """Arguments a step cannot do without: a condition, a field, values, a replacement, empty by default."""
        args = self.ops[step.op].args
        text_is_the_point = not any(b.measure in NUMERIC or b.measure == "pattern" for b in args)
        names = {a.name for a in args}
        # ('prompt_key' beside 'prompt' is where to read a prompt from instead: an alternative, not a must)
        return [a.name for a in args if a.name not in step.args and a.default in ("", None, [], ()) and
                (a.measure in ("field", "values") or (a.measure == "text" and text_is_the_point)) and
                not (a.name.endswith("_key") and any(b != a.name and b.startswith(a.name[:-4]) for b in names))]

    def _belongs_to_previous(self, c: C.Clause, hits: list[tuple[str, float]], prev_ops: list[str],
                             steps: dict[str, Step]) -> bool:
        """The piece's numbers go to the previous step (which takes them) and it names no step of its own:
        - '用RAFT算运动分数，低于2的视频去掉': a number and a verb on the data, nothing else named;
        - 'use BLIP image-text matching and get rid of the pairs scoring below 0.35': the previous step's
          free bound, in a piece about that step's operator;
        - ', Jaccard阈值0.75' / ', with an overlap of 64': a number named for the previous step."""
        if self._named_by_word(c, hits, prev_ops):
            return False
        held = {float(v) for n in prev_ops for v in steps[n].args.values() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        echoed = [q for q in c.quantities if q.cmp == "none" and not isinstance(q.value, str) and q.value is not None and
                  float(q.value) in held and OF_THEM_RE.match(c.masked[q.end:])]
        if echoed and len(echoed) == len(c.quantities):
            # '3 captions per clip, and keep all 3 of them': the number the step holds, said again of what it makes
            c.quantities = []
            self._flags_of_previous(c, prev_ops, steps)
            return True
        asked = self._asked_actions(c.text)
        # (a filter does what its mapper twin does before it decides: the tagging filter tags)
        acts = {n: self.op_actions.get(n, set()) | (self.op_actions.get(_twin_of(n), set()) if n.endswith("_filter") else set())
                for n in prev_ops}
        if c.quantities and asked and hits and any(acts[n] & asked for n in prev_ops) and \
                not self.op_actions.get(hits[0][0], set()) & asked and all(
                    any(fits(q, a) and plausible(q, a) and a.name not in steps[n].args for n in prev_ops for a in self.ops[n].args)
                    for q in c.quantities):
            # ('只保留帧标签里有 car 的视频，打标签时每个视频均匀抽 3 帧': how the step just named does its own action)
            return self._attach_to_previous(c, prev_ops, steps)
        if (SHRINK_VERB_RE.search(c.text) or GROW_VERB_RE.search(c.text)) and \
                all(self.ops[n].category != "mapper" for n in prev_ops):
            return False  # '4K 视频太大了，…想统一降到 720p 左右': a size to change to is the resizer's, not the filter's
        if c.quantities and _bare(c.text) and all(q.measure is None or any(
                fits(q, a) and a.bound and plausible(q, a) and a.name not in steps[n].args
                for n in prev_ops for a in self.ops[n].args) for q in c.quantities) and \
                self._attach_to_previous(c, prev_ops, steps):
            # ('按脏话词的占比过滤，超过百分之一的帖子删掉': a bare bound the step just named still lacks is its)
            return True
        if self._continues_previous(c, hits, prev_ops, steps):
            return True
        if self._same_kind_setting(c, hits, prev_ops, steps):
            return True
        return not self._names_another(c, hits, prev_ops) and self._hinted_previous(c, prev_ops, steps)

    def _same_kind_setting(self, c: C.Clause, hits: list[tuple[str, float]], prev_ops: list[str],
                           steps: dict[str, Step]) -> bool:
        """'use the shifted-Gaussian selector over meta.readability, take one quarter of the rows': the piece's
        closest operator is of the same kind as the step just named (a selector after a selector), the piece says no
        word of its name, and the step just named takes every number said in a setting still free (no bound):
        a setting of that step, not a second one. (A count of samples no argument counts is part of the story:
        'two pages count as duplicates once …'.)"""
        if not hits or not c.quantities or hits[0][0] in prev_ops or _says_name_word(c.text, hits[0][0]) or \
                _NEXT_STEP_RE.match(c.text):
            return False  # ('…，再从里面随机抽五百条': 'then' starts the next step)
        kind = self.ops[hits[0][0]].category
        if kind == "filter":
            return False  # (a filter's numbers are bounds: 'NSFW above 0.3 … aesthetics under 0.5' names two)
        same = [n for n in prev_ops if self.ops[n].category == kind]
        if not same:
            return False
        qs = [q for q in c.quantities if not (_counts_samples(q, c) and kind != "selector")]  # (only a selector takes those)
        if not qs:
            return False
        for q in qs:
            if not any(fits(q, a) and plausible(q, a) and a.name not in steps[n].args and
                       (not opaque(a) or name_hint(c.masked, q.start, q.end, [a]) is not None) and
                       not a.bound for n in same for a in self.ops[n].args):
                return False
        c.quantities = qs
        return self._attach_to_previous(c, same, steps)

    def _named_by_word(self, c: C.Clause, hits: list[tuple[str, float]], prev_ops: list[str]) -> bool:
        """The piece says a word of its top operator's own name ('a random 1,000'), that operator is not the step
        before, and it takes every number said."""
        return bool(hits and c.quantities) and hits[0][0] not in prev_ops and _says_name_word(c.text, hits[0][0]) and \
            not any(_says_name_word(c.text, n) for n in prev_ops) and \
            all(any(fits(q, a) and plausible(q, a) for a in self.ops[hits[0][0]].args) for q in c.quantities)

    def _names_another(self, c: C.Clause, hits: list[tuple[str, float]], prev_ops: list[str]) -> bool:
        """'…, and then pull 8 evenly spaced frames out of each video': the piece clearly names another operator,
        one that takes all its numbers, whatever settings of the previous step its words also name ('frames')."""
        if self._named_by_word(c, hits, prev_ops):
            return True  # '…, and from those a random 1,000': a word of another operator's own name, said
        scores = dict(hits)
        asks = bool(C.verbs(c.text)) or bool(self._actions(c.text)) or \
            _content_words(re.sub(r"\d+(?:\.\d+)?", " ", c.text)) >= 3  # ('Jaccard 阈值0.75' only sets the step before)
        return bool(hits and c.quantities) and asks and hits[0][0] not in prev_ops and hits[0][1] >= TOP_MIN and \
            hits[0][1] >= 1.3 * max([scores.get(n, 0.0) for n in prev_ops] + [0.0]) and not _bare(c.text) and \
            _content_words(re.sub(r"\d+(?:\.\d+)?", " ", c.text)) >= 3 and \
            all(any(fits(q, a) and plausible(q, a) for a in self.ops[hits[0][0]].args) for q in c.quantities)

    def _names_arguments_of(self, c: C.Clause, ops: list[str], steps: dict[str, Step]) -> bool:
        """A sentence whose numbers are all options written 'name=value', each the name of an argument of one
        step just planned: those arguments' values (a choice only among its values)."""
        if not c.options or any(q.cmp not in ("none", "eq") for q in c.quantities):
            return False
        for n in reversed(ops):
            if n not in steps:
                continue
            args = {a.name: a for a in self.ops[n].args}
            if not set(c.options) <= set(args):
                continue
            values = {}
            for k, v in c.options.items():
                a = args[k]
                if a.measure == "choice" and a.choices and v not in a.choices:
                    return False
                values[k] = v
            steps[n].args.update(values)
            # ('…, and make both sides divisible by 4'): the sentence's other numbers set the same step
            opts = [m.span() for m in C.OPTION_RE.finditer(c.masked)]
            for q in c.quantities:
                if not any(s0 <= q.start < e0 for s0, e0 in opts):
                    bind_quantity(q, None, [a for a in self.ops[n].args if a.name not in steps[n].args], c.masked, q.start,
                                  steps[n].args, can_reverse=False)
            steps[n].reasons.append(f"“{c.text.strip()}”")
            return True
        return False

    def _named_field_arg(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        """A field said with the name of a field argument of the step just planned ('the prompts are in the
        caption_prompt field', '提示词写在 caption_prompt 字段里'): that argument's value."""
        rest = _without_fields(c)
        for n in [n for n in prev_ops if n in steps]:
            for a in self.ops[n].args:
                if a.measure != "field" or a.name in steps[n].args:
                    continue
                words = [w for w in a.name.split("_") if w not in ("key", "field", "name") and len(w) > 2]
                if words and all(re.search(rf"\b{w}s?\b", rest, re.I) or any(z in rest for z in L.ARG_WORDS_ZH.get(w, ()))
                                 for w in words):
                    steps[n].args[a.name] = c.fields[0][0]
                    # ('…已按像素坐标记录在 meta.logo_box 字段中': the choices said beside it)
                    steps[n].args.update({k: v for k, v in cue_values(rest, [b for b in self.ops[n].args if b.measure == "choice"]).items()
                                          if k not in steps[n].args})
                    steps[n].reasons.append(f"“{c.text.strip()}”")
                    return True
        return False

    def _random_share_of_previous(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        """A share picked at random ('随机挑八成八', 'randomly pick 30% of them'), said after a mapper that applies
        with a probability it has not been given: that probability."""
        if len(c.quantities) != 1 or c.quoted or c.fields:
            return False
        q = c.quantities[0]
        if q.measure != "ratio" or q.cmp != "none" or not RANDOM_PICK_RE.search(c.masked[:q.start]) or \
                re.search(r"\b(?:samples?|data(?:set)?|rows?|records?|examples?)\b|样本|数据", c.text, re.I):
            return False  # ('…, then randomly pick 30% of the samples': a subset of the data)
        for n in [n for n in prev_ops if n in steps and self.ops[n].category == "mapper"]:
            a = next((a for a in self.ops[n].args if a.measure == "probability" and a.name not in steps[n].args), None)
            if a is not None:
                steps[n].args[a.name] = q.value
                steps[n].reasons.append(f"“{c.text.strip()}”")
                return True
        return False

    def _settled_by_sibling(self, c: C.Clause, hits: list[tuple[str, float]], prev_ops: list[str],
                            steps: dict[str, Step]) -> bool:
        """A piece with no number, no value and no action of its own whose best operator is a filter measuring what a
        bounded step just planned measures ('face'): the case is one that step's bounds already settle."""
        if c.quantities or c.quoted or c.fields or not hits or not hits[0][0].endswith("_filter") or \
                hits[0][0] in prev_ops or self._asked_actions(c.text):
            return False
        own = _name_words(hits[0][0])
        return any(n in steps and own & _name_words(n) and n.endswith("_filter") and
                   any(a.bound and a.name in steps[n].args for a in self.ops[n].args) for n in prev_ops)

    def _refines_previous(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        """'长文档要切块，每块最多1200个字符' (each of the pieces the previous step makes), '…模糊掉，用box模糊' (a choice
        only the previous step offers): the piece sets the previous step, it names no new one."""
        if c.options and not set(c.options) & {a.name for n in prev_ops for a in self.ops[n].args}:
            for n in prev_ops:  # '..., with I=-16 and TP=-1.5' / ', tempo=1.25': more options of the previous step's tool
                dict_arg = next((a for a in self.ops[n].args if "dict" in a.type), None)
                if dict_arg is not None:
                    steps[n].args[dict_arg.name] = {**(steps[n].args.get(dict_arg.name) or {}), **c.options}
                    named: dict[str, Any] = {}  # ("… sped up with ffmpeg's atempo filter (tempo=1.25)": the tool's name too)
                    bind_roles(c, [a for a in self.ops[n].args if a.measure == "text" and a.name.endswith("_name")], named,
                               set(), op=n)
                    steps[n].args.update({k: v for k, v in named.items() if k.endswith("_name") and k not in steps[n].args})
                    steps[n].reasons.append(f"“{c.text.strip()}”")
                    return True
        if _regex_only(c):
            for n in prev_ops:  # '…换成“[内网IP]”。正则就用 192\.168\.\d+\.\d+': the pattern of the step just named
                a = next((a for a in self.ops[n].args if a.measure == "pattern" and a.name not in steps[n].args), None)
                if a is not None:
                    steps[n].args[a.name] = c.regexes[0]
                    steps[n].reasons.append(f"“{c.text.strip()}”")
                    return True
        if c.named_chars and not c.quantities and not c.quoted:
            for n in prev_ops:  # '…chunks of 1,024 characters, preferring to break at single newlines'
                a = next((a for a in self.ops[n].args if a.measure == "pattern" and a.name not in steps[n].args), None)
                if a is not None:
                    steps[n].args[a.name] = c.named_chars[0]
                    steps[n].reasons.append(f"“{c.text.strip()}”")
                    return True
        if not c.quantities:
            for n in prev_ops:  # '…remove the inline comments, but leave multi-line comment blocks alone'
                if not n.startswith(("remove_", "clean_")):
                    continue
                for a in self.ops[n].args:
                    if a.measure != "flag" or a.name in steps[n].args or "_" in a.name:
                        continue
                    joined = re.sub(r"(?<=[a-z])-(?=[a-z])", "", c.text.lower())  # 'multi-line' names multiline
                    m = re.search(rf"\b{re.escape(a.name)}s?\b", joined)
                    if not m:
                        continue
                    keeps = bool(LEAVE_RE.search(c.text)) or C.verb_at(joined, m.start(), None) == "keep"
                    value = not keeps
                    if value != a.default:
                        steps[n].args[a.name] = value
                        steps[n].reasons.append(f"“{c.text.strip()}”")
                    return True
        # '…, and use the redis backend at redis://10.0.0.5:6379': the previous step's address; '…; inpaint it away, the
        # region is 1760,0,1920,90 in pixel coordinates': where it works (with the choices said beside it)
        if c.urls and not c.quantities and \
                self._bound_in_previous(c, prev_ops, steps, lambda a: isinstance(a.default, str) and "://" in a.default):
            return True
        if c.regions and not c.quantities and self._bound_in_previous(c, prev_ops, steps, lambda a: a.measure == "region"):
            return True
        if c.paths and not c.quantities:
            for n in prev_ops:  # '…均匀抽 8 帧，存到 /data/frames 目录下': where the previous step writes or reads
                before = dict(steps[n].args)
                bind_roles(c, [a for a in self.ops[n].args if a.measure == "path"], steps[n].args, set())
                if steps[n].args != before:
                    steps[n].reasons.append(f"“{c.text.strip()}”")
                    return True
        # ('…的说法（比如“軟體”要变成“软件”）': an aside; '… by its worst frame (the maximum over the frames)' says it again)
        unbracketed = _unbracketed(c.text)
        restated = re.sub(r"[(（][^)）]*[)）]", lambda m: " " if EXAMPLE_RE.search(m.group(0)) or
                          re.search(r"['\"“‘「]", m.group(0)) else m.group(0), c.text)
        if not c.quantities and _content_words(unbracketed) <= (16 if has_cjk(c.text) else 8):
            cued = {n: cue_values(restated, [a for a in self.ops[n].args if a.measure in ("flag", "choice")], c.verb,
                                  defaults=True) for n in prev_ops}
            defaults = {a.name: a.default for n in prev_ops for a in self.ops[n].args}
            choices = {a.name for n in prev_ops for a in self.ops[n].args if a.measure == "choice"}
            # ('把简体转成繁体，要用香港的用字': a later word makes a choice said at its default more exact; '要转成简体，
            # 而且用词也要换成大陆这边的说法': one said as more to do makes any choice more exact)
            flags = {n: {k: v for k, v in f.items() if (k not in steps[n].args or steps[n].args[k] == defaults[k] or
                                                        (k in choices and ADDITIVE_RE.search(c.text)))
                         and v != defaults[k] and v != steps[n].args.get(k)} for n, f in cued.items()}
            # ('…每一帧都对得上，所以取所有帧里最低的那个分数': a choice the step already holds, said again)
            again = any(k in choices and steps[n].args.get(k) == v and v != defaults[k]
                        for n, f in cued.items() for k, v in f.items())
            # ('不过标点符号得留着': the 'but' before it says nothing of its own)
            said = re.sub(r"^\W*(?:不过|但是|但|而且|另外|可是|只是|(?:but|however|though)\b)\W*", "", c.text, flags=re.I)
            if any(cued.values()) and (named := self.search(c.text, k=4)) and \
                    named[0][0] not in prev_ops and named[0][1] >= HEADING_MIN and self._names_other_kind(c.text, named[0][0], prev_ops):
                return False  # ('…only count as duplicates if their caption text is identical. BLIP image-text matching: …')
            if any(flags.values()) or (any(cued.values()) and (_content_words(said) <= (8 if has_cjk(c.text) else 4) or again)):
                # '视频按关键帧切分，原视频不要保留', '…去重：按字符切分'; '只留汉字和标点': the default, said
                tool_langs = [code for code, _, _, names_data in c.languages if not names_data]
                for n, f in flags.items():
                    steps[n].args.update(f)
                    if f:
                        steps[n].reasons.append(f"“{c.text.strip()}”")
                    la = next((a for a in self.ops[n].args if a.measure == "language" and "list" not in a.type), None)
                    if f and tool_langs and la is not None and la.name not in steps[n].args:
                        steps[n].args[la.name] = tool_langs[0]  # ('中文要先分词再判断': the language the setting is for)
                return True
        if c.languages and not c.quantities and _content_words(c.text) <= (6 if has_cjk(c.text) else 4) and all(
                any(f"_non_{name}_" in f"_{n}_" for n in prev_ops for name, cd in L.LANGUAGES.items() if cd == code)
                for code, *_ in c.languages) and not any(v == "remove" for _, v in C.verbs(c.text)):
            return True  # '把英文字母都去掉，只留中文': the language the step just named keeps, said again
        tool_langs = [code for code, _, _, names_data in c.languages if not names_data]
        if tool_langs and not c.quantities and _content_words(c.text) <= (16 if has_cjk(c.text) else 8):
            for n in prev_ops:  # '困惑度超过一千二的都删了，用中文模型算': the language of the previous step's model
                a = next((a for a in self.ops[n].args if a.measure == "language" and a.name not in steps[n].args), None)
                if a is not None:
                    steps[n].args[a.name] = tool_langs[0]
                    steps[n].reasons.append(f"“{c.text.strip()}”")
                    return True
        if c.quantities and DISTRIBUTIVE_RE.match(c.text) and all(
                any(fits(q, a) and plausible(q, a) and a.measure == q.measure and not opaque(a)
                    for n in prev_ops for a in self.ops[n].args) for q in c.quantities):
            return self._attach_to_previous(c, prev_ops, steps)
        if not c.quantities and _content_words(c.text) <= 4 and any(
                named_choice(a, c.text) is not None for n in prev_ops for a in self.ops[n].args if a.measure == "choice"):
            for n in prev_ops:
                chosen = {a.name: v for a in self.ops[n].args if a.measure == "choice"
                          for v in [named_choice(a, c.text)] if v is not None}
                steps[n].args.update(chosen)
                if chosen:
                    steps[n].reasons.append(f"“{c.text.strip()}”")
            return True
        return False

    def _bound_in_previous(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step], takes: Any) -> bool:
        """Binds what the piece says to the arguments of the previous step that `takes`, with the flags and choices
        said beside it; whether one of them changed."""
        for n in prev_ops:
            before = dict(steps[n].args)
            bind_roles(c, [a for a in self.ops[n].args if takes(a)], steps[n].args, set())
            if steps[n].args != before:
                cued = cue_values(c.text, [a for a in self.ops[n].args if a.measure in ("flag", "choice")], c.verb)
                steps[n].args.update({k: v for k, v in cued.items() if k not in steps[n].args})
                steps[n].reasons.append(f"“{c.text.strip()}”")
                return True
        return False

    def _flags_of_previous(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        """Flags the previous step's arguments name in so many words ('the originals are not kept')."""
        if any(q.cmp != "none" or q.measure not in (None, "count") for q in c.quantities):
            return False  # ('counting two tickets as the same if …' counts no setting)
        found = {n: {a.name: v for a in self.ops[n].args if a.measure == "flag" and a.name not in steps[n].args
                     for v in [_flag_named(a, c.text)] if v is not None and v != a.default} for n in prev_ops}
        if not any(found.values()) and _content_words(c.text) <= (16 if has_cjk(c.text) else 8):
            # "we don't need the full-length originals afterwards": a cue the previous step declares
            kinds = ("flag",) if c.regions or c.quoted or c.fields or c.quantities else ("flag", "choice")
            # ('… by its worst frame, that is the maximum over the frames': a restatement says the value plainly)
            restating = bool(IE_RE.match(c.text))
            found = {n: {k: v for k, v in cue_values(c.text, [a for a in self.ops[n].args if a.measure in kinds]).items()
                         if k not in steps[n].args or restating} for n in prev_ops}
        for n, f in found.items():
            steps[n].args.update(f)
            if f:
                steps[n].reasons.append(f"“{c.text.strip()}”")
        # ('… compare sentences exactly as written, punctuation and symbols included': the flag just set, said again)
        restated = _content_words(c.text) <= (16 if has_cjk(c.text) else 8) and any(
            steps[n].args.get(k) == v for n in prev_ops
            for k, v in cue_values(c.text, [a for a in self.ops[n].args if a.measure in ("flag", "choice")]).items())
        return any(found.values()) or restated

    def _pattern_of_previous(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        """A regex or a quoted text said for a pattern or text argument of the step before, by the words of that
        argument's name ('as the pattern to ignore' -> ignore_pattern, 'with the prompt '…'' -> prompt)."""
        for n in prev_ops:
            for a in self.ops[n].args:
                value = c.regexes[0] if a.measure == "pattern" and c.regexes else \
                    c.quoted[0][0] if a.measure == "text" and c.quoted and not c.regexes else None
                words = [w for w in a.name.split("_") if w != "pattern" and len(w) > 2]
                if value is not None and a.name not in steps[n].args and words and \
                        all(re.search(rf"\b{re.escape(w[:5])}", c.text, re.I) for w in words):
                    steps[n].args[a.name] = value
                    steps[n].reasons.append(f"“{c.text.strip()}”")
                    return True
        return False

    def _names_other_kind(self, text: str, name: str, prev_ops: list[str]) -> bool:
        """The piece says a word of `name`'s own name, an operator of another kind than the steps before ('BLIP
        image-text matching: …' after a deduplicator): it names that operator, it sets none of theirs."""
        return _says_name_word(text, name) and all(self.ops[n].category != self.ops[name].category for n in prev_ops)

    def _replaces_in_previous(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step], value: str | None = None) -> bool:
        """'…riddled with URLs. Replace each one with <URL>.': the replacement of what the step before found."""
        for n in prev_ops:
            texts = [a for a in self.ops[n].args if a.measure == "text" and a.name not in steps[n].args]
            if texts and REPLACE_RE.search(c.text):
                steps[n].args[texts[0].name] = value if value is not None else c.placeholders[0]
                steps[n].reasons.append(f"“{c.text.strip()}”")
                return True
        return False

    def _removes_repeats(self, name: str) -> bool:
        """A deduplicator, or an operator that removes repeats inside a sample ('remove_repeat_sentences_mapper')."""
        return self.ops[name].category == "deduplicator" or "repeat" in name.split("_") and name.startswith("remove_")

    def _continues_previous(self, c: C.Clause, hits: list[tuple[str, float]], prev_ops: list[str],
                            steps: dict[str, Step]) -> bool:
        qs = c.quantities
        top = [n for n, _ in hits[:8]]
        # ('… and throw out anything scoring above 900' after the perplexity check: a selector that takes no bound
        # is no rival for it)
        # ('按三个词一组统计重复，重复率高于百分之二十的删掉': the step before is about as close, so no other is named)
        prev_score = max([sc for n, sc in hits if n in prev_ops] + [0.0])
        # ('…运动分数按每秒一帧来算，分数高于六的晃动视频删除': 'the score', said bare, is the one just named)
        bare_score = bool(re.match(rf"\W*(?:the\s+)?(?:{_GENERIC_MEASURE_RE.pattern})", c.text, re.I)) and \
            not _says_name_word(c.text, hits[0][0]) if hits else False
        # ('Counting 5-word n-grams, any post where more than 35% of the n-grams are repeats should go': the piece
        # names again what the step before counts)
        echo = bool(hits) and self._echoes_previous(c.text, hits[0][0], prev_ops, steps)
        names_another = bool(hits) and hits[0][0] not in prev_ops and hits[0][1] >= TOP_MIN and not bare_score and not echo and \
            hits[0][1] >= PREV_LEAD * prev_score and (not qs or any(fits(q, a) and (a.bound or q.cmp == "none") for q in qs for a in self.ops[hits[0][0]].args))
        # ('相似度不少于0.18、不超过0.9的视频才保留': a weak hit the piece's words do not name is no rival)
        rivals = [n for n, sc in hits[:3] if n not in prev_ops and sc >= TOP_MIN and (sc >= HEADING_MIN or any(
            re.search(rf"(?<![a-z]){re.escape(t)}(?![a-z])", c.text, re.I) for t in n.split("_")
            if t not in _GENERIC_NAME_WORDS and len(t) >= 4))]
        if qs and all(q.measure is None and self._other_half(q, c, prev_ops, steps) and
                      not any(fits(q, a) and a.bound for n in rivals for a in self.ops[n].args) for q in qs):
            return self._attach_to_previous(c, prev_ops, steps)  # '词数不少于二十、不超过三千': the range's other end
        if not qs or not (C.ANAPHORA_RE.search(c.text) or (any(n in top for n in prev_ops) and not names_another)):
            return False
        if names_another and hits[0][1] >= HEADING_MIN and (any(
                a.bound and a.name in steps[n].args for n in prev_ops for a in self.ops[n].args) or
                not any(a.bound for n in prev_ops for a in self.ops[n].args)):
            # '… NSFW score above 0.3 and those scoring under 0.6 on aesthetics': the step before has its bound;
            # this piece names another step
            return False
        for q in qs:
            # '…, applied to half of them': a setting of the step the piece points back at
            if not any(fits(q, a) and plausible(q, a) and a.name not in steps[n].args and
                       (a.bound or (C.ANAPHORA_RE.search(c.text) and not opaque(a)))
                       for n in prev_ops for a in self.ops[n].args):
                return False
        return self._attach_to_previous(c, prev_ops, steps)

    def _echoes_previous(self, text: str, top: str, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        """The piece repeats a word of the piece that named the step before ('5-word n-grams' … 'the n-grams'), one
        that is no sample, medium or generic measure word and no word of the top operator's own name."""
        if has_cjk(text):
            return False
        said = " ".join(r for n in prev_ops if n in steps for r in steps[n].reasons).lower()
        own = {t.rstrip("s") for t in top.split("_")}
        for w in re.findall(r"[a-z][a-z-]{3,}", text.lower()):
            if w in _FILLER or w in _FUNCTION_WORDS or C.languages(w) or SAMPLE_NOUNS_RE.fullmatch(w) or _MEDIA_NOUNS_RE.fullmatch(w) or \
                    _GENERIC_MEASURE_RE.fullmatch(w) or w.rstrip("s") in own or C.verbs(w):
                continue
            if re.search(rf"(?<![a-z-]){re.escape(w)}(?![a-z-])", said):
                return True
        return False

    def _other_half(self, q: Quantity, c: C.Clause, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        """A bare number whose side is the free bound of a previous step whose other bound was just set."""
        side = place_bound(C.verb_at(c.masked, q.start, c.verb), q.cmp)
        for n in prev_ops:
            args = self.ops[n].args
            for a in args:
                if a.bound == side and a.name not in steps[n].args and fits(q, a) and any(
                        b.bound and b.bound != side and b.measure == a.measure and b.name in steps[n].args for b in args):
                    return True
        return False

    def _hinted_previous(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        # '最后一段不足2秒': 'one piece' counts nothing, the bound does
        qs = [q for q in c.quantities if not (q.cmp == "none" and q.measure == "count" and q.value == 1)]
        if not qs:
            return False
        for q in qs:
            if not any(name_hint(c.masked, q.start, q.end, [a for a in self.ops[n].args if fits(q, a)]) for n in prev_ops):
                return False
        return self._attach_to_previous(c, prev_ops, steps)

    def _attach_to_previous(self, c: C.Clause, prev_ops: list[str], steps: dict[str, Step]) -> bool:
        """'..., and at most 2000' after a length clause: the numbers belong to the previous step."""
        qs = [q for q in c.quantities if not _counts_quoted(q, c)]
        done = False
        for name in prev_ops:  # "..., and don't keep the original samples": a flag of the previous step
            flags = {k: v for k, v in cue_values(c.text, self.ops[name].args).items() if k not in steps[name].args}
            if flags:
                steps[name].args.update(flags)
                steps[name].reasons.append(f"“{c.text.strip()}”")
                done = True
        for q in qs:
            for name in prev_ops:
                meta = self.ops[name]
                verb = C.verb_at(c.text, q.start, c.verb)
                q_said = q
                if (resized := _resized(meta, c, q)) is not None:
                    q_said, verb = resized  # ', shrinking every clip so that neither side is longer than 1,600 pixels'
                if bind_quantity(q_said, verb, meta.args, c.text, q.start, steps[name].args, can_reverse=meta.category == "filter"):
                    steps[name].reasons.append(f"“{c.text.strip()}”")
                    done = True
                    break
        return done

    # -- vague jobs and data ---------------------------------------------------------------------------
    def _apply_reference(self, name: str, steps: dict[str, Step], zh: bool) -> None:
        from sandbox_engine.recipes.library import load_reference_recipes

        ref = next((r for r in load_reference_recipes(validate_ops=False, on_error="warn") if r.name == name), None)
        if ref is None:
            return
        title = (ref.title_zh if zh and getattr(ref, "title_zh", "") else ref.title) or ref.name
        for pos, item in enumerate(ref.recipe.get("process") or []):
            op, args = (next(iter(item.items())) if isinstance(item, dict) else (str(item), {}))
            if op not in self.ops or (self.ops[op].category in DROPPING and L.NO_LOSS_RE.search(getattr(self._turn, "text", ""))):
                continue
            reason = (ref.reasons or {}).get(op)
            why = (reason[1] if zh else reason[0]) if isinstance(reason, (list, tuple)) and len(reason) == 2 else (reason or "")
            prefix = f"来自参考配方“{title}”" if zh else f"from the {title} reference recipe"
            if op in steps:
                merged = {**(args or {}), **steps[op].args}
                steps[op].args = merged
                steps[op].reasons.append(prefix)
            else:
                steps[op] = Step(op, dict(args or {}), 1000 + pos, [f"{prefix}: {why}" if why else prefix], stated=False)

    def _asked_apart_from_job(self, step: Step, job_score: float) -> bool:
        """The step was asked for with a keep or remove verb in a piece that does not name the job the request
        names elsewhere."""
        for r in step.reasons:
            piece = r.strip().strip("“”")
            if r.strip().startswith("“") and C.verbs(piece):
                rec = self.recipes(piece)
                if not rec or rec[0][1] < min(RECIPE_MIN, job_score) * 0.5:
                    return True
        return False

    def _reference_ops(self, name: str) -> set[str]:
        from sandbox_engine.recipes.library import load_reference_recipes

        ref = next((r for r in load_reference_recipes(validate_ops=False, on_error="warn") if r.name == name), None)
        return {next(iter(i)) if isinstance(i, dict) else str(i) for i in (ref.recipe.get("process") or [])} if ref else set()

    def _fit_to_data(self, data: str, steps: dict[str, Step], zh: bool) -> list[str]:
        try:
            from tools.data_profile import calibrate, irrelevant_ops, profile_dataset
        except ImportError:
            return []
        notes: list[str] = []
        try:
            prof = profile_dataset(data)
        except Exception as err:  # noqa: BLE001 - a data set we cannot read is said, the plan stays
            return [f"无法读取 {data}：{err}" if zh else f"could not inspect {data}: {err}"]
        process = [{s.op: s.args} for s in steps.values()]
        lang = "zh" if zh else "en"
        for op, why in irrelevant_ops(prof, process, lang=lang):
            if op in steps and not steps[op].stated:
                del steps[op]
                notes.append(f"已去掉 {op}：{why}" if zh else f"dropped {op}: {why}")
        # steps with no bound stated ('drop the too-short texts'); a bound the user stated is not joined by one
        # they did not ask for. A reference recipe's thresholds are generic: they are fitted to this data too
        unstated = {(s.op, a.name) for s in steps.values() for a in self.ops[s.op].args
                    if a.bound and (not s.stated or not any(b.bound and b.name in s.args for b in self.ops[s.op].args))}
        process = [{s.op: s.args} for s in steps.values()]
        new_process, cal_notes = calibrate(process, prof, unstated, lang=lang)
        kept_default: set[str] = set()
        for item in new_process:
            (op, args), = item.items()
            if op not in steps:
                continue
            step = steps[op]
            new_args = dict(args)
            if step.stated:
                # an operator the user asked for keeps its own default where the data would loosen it:
                # the data may tighten a threshold nobody stated, never relax it behind the user's back
                for a in self.ops[op].args:
                    if a.bound and a.name in new_args and a.name not in step.args and _looser(a, new_args[a.name]):
                        del new_args[a.name]
                        kept_default.add(f"{op}{'：' if zh else ': '}{a.name} =")  # as calibrate's note begins
            step.args = new_args
        notes.extend(n for n in cal_notes if not any(n.startswith(k) for k in kept_default))
        return notes


def _resized(meta: OpMeta, c: C.Clause, q: Quantity) -> tuple[Quantity, C.Verb] | None:
    """Shrinking caps a resize mapper's result, growing floors it: 'videos wider than 1280 should be scaled down'
    and '视频太大了，缩小到不超过854x480' both give max_ (what the number names is changed, or is the target); the
    quantity as the mapper takes it and the verb that places it. (An aspect ratio is no size: shrinking a side to
    reach it caps nothing.)"""
    if meta.category != "mapper" or any(a.measure == "aspect_ratio" for a in meta.args):
        return None
    cap = bool(SHRINK_VERB_RE.search(c.text))
    if not (cap or GROW_VERB_RE.search(c.text)):
        return None
    if q.cmp == "none" and re.search(r"\b(?:down|up)?\s*to\s*$|到\s*$", c.masked[:q.start]):
        return replace(q, cmp="le" if cap else "ge"), "keep"  # '… down to 1080 px high': the size it is changed to
    if q.cmp in ("ge", "le"):
        return q, "remove" if (q.cmp == "ge") == cap else "keep"
    return None


def _looser(a: ArgMeta, value: Any) -> bool:
    """Would this value keep more than the argument's default does?"""
    try:
        v, d = float(value), float(a.default)
    except (TypeError, ValueError):
        return False  # sizes and other strings: leave as calibrated
    return v < d if a.bound == "min" else v > d


def _as_written(value: Any, goal: str) -> Any:
    """A string value read from the normalised request, spelled as the request spells it ('[郵箱]' in a
    traditional-Chinese request, not the simplified '[邮箱]' the parser read)."""
    if isinstance(value, list):
        return [_as_written(v, goal) for v in value]
    if not isinstance(value, str) or not value or value in goal:
        return value
    wide = any(0xFF01 <= ord(ch) <= 0xFF5E for ch in goal)  # ('替换为“＊＊＊”': full-width characters, read as ASCII)
    if not has_cjk(value) and not wide:
        return value
    n = len(value)
    for i in range(len(goal) - n + 1):
        if simplified(goal[i:i + n]) == value or (wide and as_ascii(goal[i:i + n]) == value):
            return goal[i:i + n]
    return value


OPERATION_VERB_RE = re.compile(r"dedup|de-dup|mask|anonymi|clean|scrub|strip|去重|清洗|清理", re.I)
_ZH_REMOVE_VERBS = alternation([w for w in L.REMOVE_WORDS if L.has_cjk(w) and not re.search(r"[\\(\[?]", w) and
                                not OPERATION_VERB_RE.search(w)] + ["别要", "不留", "别留", "清理掉", "甭要", "甭留"])  # ('去重' names a step)
ZH_DISPOSE_RE = re.compile(r"\s*(?:否则|不然|要不然|要不)?\s*(?:那)?\s*(?:我们|咱们|我|大家)?\s*(?:这(?:篇|条|个|张|段|些|种|类|样的)|那(?:篇|条|个|张|段|些|种|类))?\s*"
                           r"(?:就|也|则|便|均|皆)?\s*(?:先)?\s*(?:都|全)?\s*(?:给我|帮我|替我|予以)?\s*(?:一[个张条份篇段部首句]|全部|统统|一律|一概|全|通通|直接)?都?"
                           rf"(?:{_ZH_REMOVE_VERBS})掉?(?:拉倒|算了|得了|完事|就行|就好|就完了)?(?:吧|了|啦|呢)*[。.!！]?\s*")  # '一张都别留', '一律清理掉', '这篇就别要了': removes what the pieces before name
JUDGEMENT_RE = re.compile(alternation(L.JUDGEMENT_WORDS), re.I)
# an action the user rules out: '… would ruin them', 'is not an option', '会毁了', '可不行'
WITHOUT_DOING_RE = re.compile(r"\b(?:without)\s+([a-z]+ing\b[^,.;:()]{0,40})|"
                              # 'we'd rather lose those clips than try to repair them': the repair is ruled out
                              r"\brather\s+(?:\w+\s+){1,5}?than\s+(?:try(?:ing)?\s+to\s+|bother(?:ing)?\s+to\s+)?([a-z]+(?:\s+(?:them|it|those))?)|"
                              r"(?:宁可|宁愿)[^，,。；;]{1,12}?(?:也不|而不是)(?:要|去|想)?((?:修|补|去|抹)[^，,。；;：:]{0,8})|"
                              r"(?:但|而)?不(?:要|用|必)?(?:去)?((?:切|剪|拆|裁)[^，,。；;：:]{0,12})", re.I)
SCOPE_LABEL_RE = re.compile(r"\W*(?:out of scope|not in scope|non-goals?|not needed|skip(?:ped)?|won'?t(?: have| do)?|不做|不需要(?:做)?|暂不处理|不在范围内)\s*[:：]", re.I)
# steps the user says are not wanted: 'no dedup or resizing needed', 'Out of scope: deleting articles, deduplication'
NOT_NEEDED_RE = re.compile(r"\bno\s+(?!more\b|less\b|longer\b|shorter\b)([a-z][\w ,/-]{1,50}?)\s+(?:is\s+|are\s+)?(?:needed|required|necessary|wanted)\b|"
                           r"(?:\bout of scope|\bnot in scope|\bnon-goals?|\bnot needed|\bskip(?:ped)?|\bwon'?t(?: have| do)?|不做|不需要(?:做)?|暂不处理|不在范围内)\s*[:：]\s*([^.\n;。；]+)|"
                           # 'so no Gaussian noise', '(no redis, no caption check)', 'no dedup.': a step named only to be refused
                           # (an action or a check, not a thing the data should lack: 'no duplicates' asks for dedup)
                           r"(?:^|(?<=[,;(:])|\b(?:so|and|but|please|also|then|just|plus)\b)\s*no\s+"
                           r"((?:[a-z][\w-]*\s+){0,3}?(?:[a-z-]*(?:ing|ion|ment)|dedup[a-z]*|checks?|steps?|pass(?:es)?|augment\w*))\s*(?=[,.;:!)]|$)|"
                           # 'I don't want anyone "fixing" this by adding noise augmentation'
                           r"\b(?:don'?t|do not|never)\s+(?:want|need)\b[^.;\n]{0,40}?\bby\s+([a-z]+ing\b[^,.;\n]{0,40})|"
                           r"(?:不需要|无需|不必|不用)(?:做|再|进行)?((?:去重|缩放|切分|切片|打标|加噪|模糊|转换|归一化|清洗|过滤|筛选)"
                           r"(?:(?:和|、|或)(?:去重|缩放|切分|切片|打标|加噪|模糊|转换|归一化|清洗|过滤|筛选))*)", re.I)
# 'Captions? Not needed.', 'Remove duplicates? No.': a step asked about and declined; '✅ deduplicated': done already
DECLINED_RE = re.compile(r"(?:^|(?<=[.!?;\n。！？；]))[ \t]*(?P<item>[A-Za-z][\w '/-]{2,40})\?[ \t]*(?:no|nope|not needed|not this time|none|"
                         r"not required|skip(?: it)?)\b(?!\s+(?:more|less|longer|shorter)\b)|"
                         r"^[ \t]*(?:[-*][ \t]*)?(?:✅|✔️?|☑️?|\[x\])[ \t]*(?P<item2>[^\n]+)", re.I | re.M)
DEDUP_WORD_RE = re.compile(r"dedup|duplicat|去重|重复", re.I)
# 'other cleaning', 'anything else': an item that names no operator
GENERIC_ITEM_RE = re.compile(r"\s*(?:it|this|that)\b|.*\b(?:other|else|further|more|additional|extra|anything|everything|nothing)\b", re.I)
AVOID_RE = re.compile(r"\b(?:would|will|could|might)\s+(?:totally\s+|completely\s+|just\s+)?(?:ruin|break|destroy|wreck|spoil|"
                      r"damage|mangle)\b|\bnever\s+(?:looks?|works?|comes?\s+out|turns?\s+out)\s+(?:right|well|good|clean|ok(?:ay)?)\b|"
                      r"\b(?:does|do)(?:n't|\s+not)\s+work(?:\s+well)?\b|效果(?:很|太)?差|修不好|补不好|\b(?:is|are)(?:n't| not) an option\b|会毁了|会毁掉|会弄坏|可不行|不可取|万万不可", re.I)
LABEL_RE = re.compile(r"\s*(?:[-*•]\s*)?(?P<label>expected(?: behaviou?r| result)?|actual(?: behaviou?r| result)?|observed(?: behaviou?r)?|"
                      r"current(?: behaviou?r| state)?|fix|steps(?: to reproduce)?|repro|note|context|background|problem|"
                      r"summary|issues?|symptoms?|预期(?:结果)?|期望(?:结果)?|实际(?:情况|结果)?|现状|修复|备注|背景|遇到的问题|存在的问题|"
                      r"问题|现象|变更前|变更后|修改前|修改后|改动前|改动后|原方案|新方案|原流程|新流程)\s*[:：]", re.I)
# 'Before: …' / '变更前：…' beside the change: how the recipe was, replaced by what follows
PAST_LABEL_RE = re.compile(r"变更前|修改前|改动前|原方案|原流程")
NEW_LABEL_RE = re.compile(r"\s*(?:变更后|修改后|改动后|新方案|新流程)\s*[:：]")  # what replaces it
EACH_SAMPLE_IS_RE = re.compile(r"\s*(?:each|every)\s+(?:row|sample|record|line|item|entry|example|object|json object)\s+"
                               r"(?:is|has|carries|contains|holds|comes with|looks like)\b|\s*每(?:一)?(?:条|行|个样本|个条目)(?:数据|样本|记录)?"
                               r"都?(?:是|有|带着?|包含|含有)", re.I)
# '…, which is what the header stripper does out of the box': the sentence says what a step does by itself
BEHAVIOUR_OF_RE = re.compile(r"\b(?:which|that)(?:'s|\s+is)\s+(?:exactly\s+|just\s+)?what\s+(?:the\s+|our\s+)?(.{3,40}?)\s+(?:does|do|will do)\b", re.I)
GENERIC_SCORE_RE = re.compile(r"\b(?:scor(?:e|es|ed|ing)|rated|rating|values?|of|with|a|an|the|at|that|which|whose|is|are|least|most|"
                              r"more|less|than|under|over|above|below|between|and|to|or)\b|[\d.]+%?|得分|分数|打分", re.I)
SETTING_LEAD_RE = re.compile(r"[用按以]|\b(?:by|with|using|via)\b", re.I)  # how a step is done, said before it
ONES_RE = re.compile(r"\b(?:the|those|these)\s+(?:very\s+|really\s+)?[a-z-]+\s+ones\W*$", re.I)
KEEP_ONE_RE = re.compile(r"\W*(?:(?:同|相同的?|重复的?|一样的?)[\u4e00-\u9fff]{0,3}?)?(?:只|仅)?(?:留|保留|剩|要)(?:下)?(?:一|1)(?:张|个|条|份|篇|段|部|首|本|句|次)?(?:就行|就好|即可)?\W*|"
                         r"\W*(?:and\s+)?(?:keep|leave|retain)\s+(?:just\s+|only\s+)?(?:one|1|a single)(?:\s+(?:copy|of them|instance))?\W*", re.I)
DONE_THEN_RE = re.compile(r"\W*(?:等|待)?[\u4e00-\u9fff]{1,3}?完(?:了|成|毕)?(?:之后|以后|后)?(?:再|就)?\W*|"
                          r"\W*(?:等|待)?[\u4e00-\u9fff]{1,3}?(?:好|开|掉)?了?(?:之后|以后)(?:再|就)?\W*|"
                          r"\W*(?:once|after|when)\s+(?:that|this|it|those|these|all that)(?:'s|\s+is|\s+are)?\s+(?:done|finished|over)\W*", re.I)
PERSON_LABEL_RE = re.compile(r"\s*(?:[-*•]\s*)?(?:from|to|cc|bcc|author|owner|assignee|reviewers?|requester|requested by|reported by|"
                             r"submitted by|filed by|date|申请人|负责人|提交人|审批人|联系人|经办人|作者|发件人|收件人|抄送|日期|时间|"
                             # ('项目：教学视频统一分辨率', 'Project: …'): the work's name, no step
                             r"项目(?:名称)?|标题|主题|project|title|subject)\s*[:：]", re.I)
STATE_LABEL_RE = re.compile(r"actual(?: behaviou?r| result)?|observed(?: behaviou?r)?|current(?: behaviou?r| state)?|"
                            r"实际(?:情况|结果)?|现状", re.I)
NO_SUBJECT_EN_RE = re.compile(r"\b(?:nothing|none|not (?:a )?single|not one|not any)\b(?!\s+(?:except|but|apart from|other than|besides)\b)", re.I)
# the samples that fail a bound just said ('不合格的统统删掉', 'the failing ones go')
FAILING_RE = re.compile(r"\W*(?:不合格|没通过|未通过|不达标|未达标|没达标|达不到(?:要求|标准)?|不过关)的?|"
                        r"\W*(?:(?:and\s+)?(?:drop|remove|discard|delete)\s+)?(?:the\s+|any\s+)?(?:failing|failed)\s+ones\b|"
                        r"\W*(?:the\s+)?ones\s+that\s+(?:fail|don'?t pass|do not pass|miss)(?:\s+it)?\b", re.I)
# what would become of the samples just bounded ('训练时会被放大糊掉', 'they would get stretched'): a reason, no step
OUTCOME_RE = re.compile(r"(?:就|都|也|肯定|一定|容易|可能)?(?:会|要)被?[\u4e00-\u9fff]{1,8}(?:掉|坏|糊|花|变形|拉伸|失真)|"
                            r"\b(?:would|will|'d|'ll)\s+(?:just\s+|only\s+)?(?:get|be|end up)\s+(?:\w+\s+){0,2}?"
                            r"(?:stretched|blurred|blurry|upscaled|pixelated|distorted|mangled|garbled|cut off|truncated)\b", re.I)
TRAILING_EXAMPLES_RE = re.compile(r"\s*[(（](?:e\.g\.,?\s*|like\s+|such as\s+|比如|例如|像)?[^()（）\d=:：'\"“”‘’]{2,40}[)）]\W*$", re.I)
# what comes right before a count of the data itself ('we scraped ~200k photos', '我们一共爬了两百万条')
DATA_SIZE_BEFORE_RE = re.compile(r"\b(?:we|i|they|you)(?:'ve| have| had)?\s+(?:just\s+|already\s+)?(?:scraped|crawled|collected|gathered|downloaded|"
                                 r"pulled|exported|bought|licensed|recorded|got|have|has|own)\s+(?:about\s+|around\s+|roughly\s+|some\s+|"
                                 r"over\s+|nearly\s+|almost\s+)?~?\s*$|"
                                 r"\b(?:there\s+(?:are|is|were)|there're|it'?s|that'?s|(?:the|this|our|my)\s+(?:data\s*set|set|corpus|dump|crawl)\s+(?:has|holds|contains|is))\s+"
                                 r"(?:about\s+|around\s+|roughly\s+|some\s+|over\s+|nearly\s+|almost\s+|only\s+)?~?\s*$|(?:我们|我|他们)?(?:一共|总共|共)?(?:爬|收集|采集|下载|导出|买|录|攒)了(?:大概|大约|约|差不多|将近)?\s*$", re.I)
LIMIT_WORD_RE = re.compile(r"\b(?:ceiling|floor|cap|(?:upper |lower |hard )?limit|minimum|maximum)\b|天花板|上限|下限|底线|门槛", re.I)
REQUIREMENT_CMP_RE = re.compile(r"\b(?:at least|at most|no more than|no less than|no fewer than|not more than|not less than|"
                                r"a minimum of|a maximum of|minimum|maximum)\b|至少|最多|起码|顶多|不超过|不少于|不低于|不高于|不多于|"
                                r"不小于|不大于|最少|最低|最高|打底|起步", re.I)
ASPECT_WORDS_RE = re.compile(r"\b(?:width|height)[\s-]*(?:to|/|:)[\s-]*(?:height|width)\b|\baspect\b|宽高比|长宽比|高宽比", re.I)
NUMBER_LIST_RE = re.compile(r"\d+(?:\.\d+)?(?:\s*[a-zA-Z%]{0,4})?(?:\s*,\s*\d+(?:\.\d+)?(?:\s*[a-zA-Z%]{0,4})?)*\s*,?\s*"
                            r"(?:and|or|和|或|、)\s*\d+(?:\.\d+)?")
OTHER_SIDES_RE = re.compile(r"\b(?:shorter|longer|bigger|smaller|larger|higher|lower|wider|narrower|taller|heavier|lighter|"
                            r"either (?:side|end)|both (?:sides|ends))\b|两头|两端|两边|更长|更短|更高|更低|更大|更小", re.I)
REQUIREMENT_RE = re.compile(r"\b(?:must|has to|have to|needs? to|should)\s+(?:be|have|contain|measure|run|last)\b|"
                            r"(?:得|必须|须|需要|务必|应该|应当)\s*(?:要|有|是|在)?\s*(?:至少|起码|最少|不少于|不低于|不小于|不超过|最多|至多|不高于|不大于|大于|小于|高于|低于|超过|在)",
                            re.I)
PROHIBITION_RE = re.compile(r"\b(?:may|must|should|can|shall)(?: not|n't)\b|\bcannot\b|"
                            r"\b(?:no|none of the)\s+\w+\s+(?:may|must|should|can|shall|will)\b|不得|不能|不可|不许|不准|不应", re.I)
# 'even a single flagged word', 'any face at all', '哪怕一个脏词': not one of them is allowed
ANY_AT_ALL_RE = re.compile(r"\beven\s+(?:a\s+single|one|1|a)\b|\b(?:any|a\s+single)\s+(?:\w+\s+){1,3}?at\s+all\b|\bnone\s+at\s+all\b|"
                           r"\bzero[\s-]tolerance\b|哪怕(?:只)?(?:有|就)?(?:一|1)[个张处]|只要(?:有|出现|含有?|带)(?:一|1)?[个张处]?|"
                           r"(?:一|1)个都不(?:行|能|要|准)|零容忍", re.I)
EVERY_ONE_RE = re.compile(r"\b(?:to|for|on)\s+(?:every|each)\s+single\b|\bnot (?:just )?(?:a|some) (?:random )?(?:share|fraction|subset|"
                          r"portion|part|few|handful|sample|selection)\b|\bnot (?:just )?(?:a )?random (?:ones|few|some)\b|\bwithout exception\b|(?:每一[条个段张首部幅][\u4e00-\u9fff]{0,4}|全部|所有[\u4e00-\u9fff]{0,4})都(?:要|得)?"
                          r"(?:加|做|模糊|处理|打码|翻转|转)|无一例外", re.I)
FULL_OF_RE = re.compile(r"\b(?:is|are|was|were|'re|'s)\s+(?:\w+\s+)?(?:full of|littered with|riddled with|stuffed with|packed with|"
                        r"cluttered with|polluted with|swamped with)\b|(?:全是|满是|充斥着?|塞满了?|到处是)", re.I)
DESCRIPTION_RE = re.compile(r"^\W*(?:the|our|my|these|those|its|their|all)\s+(?:\w+\s+){0,3}?(?:is|are|was|were)\s+(?:\w+\s*){1,3}\W*$", re.I)
DISTRIBUTIVE_RE = re.compile(r"^\W*(?:每(?:一)?[块段片个条份张帧节组]|(?:with\s+)?(?:each|every|per)\s+(?:chunk|piece|segment|part|block|clip|split)s?\b)", re.I)
OUTSIDE_THAT_RE = re.compile(r"\b(?:outside|not in|not within|beyond)\s+(?:of\s+)?(?:that|this|those|these|the same)\b|不在(?:这个|那个|这|此|该)", re.I)
RELATIVE_RE = re.compile(r"\s*(?:which|who|whom|whose)\b(?!\s+(?:is|are|has|have)\b)", re.I)
ANAPHORIC_SUBJECT_RE = re.compile(r"\s*(?:such|those|these|they|it)\b(?!\s+(?:is|are|was|were)\s+(?:fine|ok|okay|good|welcome|kept)\b)|\s*(?:这种|这些|这类|这样的|那些|那种|它们)", re.I)
# '..., 基本就是乱码', '..., the text is keyword junk': a piece that says what the samples just bounded are
COPULA_RE = re.compile(r"^\s*(?:基本|其实|那|一看)?(?:就是|都是|算是|属于|就算|对我们来说)|^\s*(?:一看就|明显|显然|肯定)是|^\s*(?:多半|大多|大多数|一般|通常|往往|八成|基本上|多|大概|估计)(?:都)?是|^\s*(?:the \w+ |they |it |which |[a-z]+ )?(?:is|are|means?)\b", re.I)  # ('those rows are broken')
SYMBOL_CMP_RE = re.compile(r"[<>≤≥]=?\s*\d")
CONDEMN_RE = re.compile(alternation(L.CONDEMN_WORDS), re.I)
PURPOSE_RE = re.compile(r"\bso (?:that )?(?:nothing|none|no|it|they|we|the)\b|\bto avoid\b|\bso as not to\b|以免|免得|防止", re.I)
REST_START_RE = re.compile(rf"\s*(?:{alternation(L.REST_WORDS)})(?:的)?", re.I)
REST_RE = re.compile(rf"(?:{alternation(L.REST_WORDS)})[^.;!?。；！？]{{0,24}}?(?:{alternation(L.FINE_WORDS)})", re.I)
PASSIVE_RE = re.compile(r"\b(?:must|should|has to|have to|needs? to|are to|is to|will)\s+be\b|"
                        r"\b(?:gets?|got)\s+(?:then\s+|simply\s+|just\s+)?(?:[a-z]+ed|thrown|kept|cut)\b", re.I)  # 'a recording gets removed'


def _remark(text: str) -> C.Verb | None:
    """What a remark after a stated bound does to it: 'the rest are fine', 'Not worth a single training step',
    'keyword soup is not what we're after', '看着头晕' -> remove (the complement stays; the described goes)."""
    if REST_RE.search(text):
        return "remove"
    if PURPOSE_RE.search(text):
        return None  # '…, so nothing gets stretched' says why, not what goes
    if read_quantities(text) or not CONDEMN_RE.search(text) or C.COMPARATIVE_RE.search(text):
        return None
    if all(v == "remove" for _, v in C.verbs(text)):  # none, or a negated keep: 'not what we want'
        return "remove"
    return None


SHRINK_VERB_RE = re.compile(r"\b(?:scaled?|scaling|resized?|resizing|sized) down\b|\b(?:resize|scale)\b[^.;,]{0,30}\bdown\b|\bdown-?(?:scal|siz)(?:e|es|ed|ing)\b|\bshrunk\b|"
                            r"\bshrink(?:s|ing)?\b|缩小|压缩到|压缩成|压到|压成|降到|缩到|缩成|缩放到|降为", re.I)
CHANGE_TO_RE = re.compile(r"\b(?:resized?|adjust(?:ed)?|convert(?:ed)?|chang(?:e|ed)|brought back|bring (?:\w+ )?back|"
                          r"pull(?:ed)? back)\s+(?:\w+\s+){0,3}?to\b|统一到|统一成|统一为|调整到|调整为|调成|拉回到?|改成|改为|变成|转成|转为|缩放到|补到|补成|加到|扩到|扩展到|拉到|拉宽到|拉高到", re.I)
GROW_VERB_RE = re.compile(r"\b(?:scaled?|scaling|resized?|resizing|sized) up\b|\bup-?scal(?:e|es|ed|ing)\b|\benlarge[sd]?\b|放大", re.I)
OTHERWISE_RE = re.compile(r"\s*(?:否则|不然|要不然|要不|(?:otherwise|or else|else)\b)", re.I)
_GE_WORDS_RE = re.compile(r"\b(?:higher|more|longer|bigger|larger|greater|wider|taller|above|beyond|past that|over that)\b|更高|更多|更长|更大|再高|再多|再长|再大", re.I)
_LE_WORDS_RE = re.compile(r"\b(?:lower|less|fewer|shorter|smaller|narrower|below|under that)\b|更低|更少|更短|更小|再低|再少|再短|再小", re.I)


CASE_PAIR_RE = re.compile(r"(?:\b(?:counting|treating|treat|count|with|so that)\s+)?(['\"“‘「])(?P<a>[^'\"”’」]{1,30})['\"”’」]\s*"
                          r"(?:and|&|,|vs\.?|or|和|与|跟)\s*['\"“‘「](?P<b>[^'\"”’」]{1,30})['\"”’」]"
                          r"(?:\s*(?:as|count as|are|is)?\s*(?:the same|identical|one|equal|equivalent)\b|\s*(?:当成|视为|算)?(?:一样|相同|同一个?))?",
                          re.I)


def _case_examples(text: str) -> str:
    """'counting 'Hello' and 'HELLO' as the same': two quoted spellings that differ only in case say
    'ignore case'; they are examples, not values."""
    def sub(m: re.Match) -> str:
        a, b = m.group("a"), m.group("b")
        if a == b or a.casefold() != b.casefold():
            return m.group(0)
        return "忽略大小写" if has_cjk(text) else "ignore case"
    return CASE_PAIR_RE.sub(sub, text)


def _twin_of(name: str) -> str:
    """The filter of a mapper's name and the mapper of a filter's ('video_tagging_from_frames_mapper' <-> '…_filter')."""
    for a, b in (("_mapper", "_filter"), ("_filter", "_mapper")):
        if name.endswith(a):
            return name[:-len(a)] + b
    return name


def _counts_samples(q: Quantity, c: C.Clause) -> bool:
    """'the 200 posts', 'two articles': a bare number said of samples, which only a selector takes."""
    return q.cmp == "none" and q.measure is None and bool(SAMPLE_NOUNS_RE.match(c.masked[q.end:].lstrip()))


def _twin_key(name: str) -> frozenset:
    """An operator's name without its medium: operators with the same key are one job for different media."""
    return frozenset(set(name.split("_")) - {"document", "text", "image", "video", "audio"})


def _on_the_rest(verb: C.Verb | None, said: str, context: str) -> C.Verb | None:
    """The verb a later piece or sentence gives a bound: turned when it speaks of the rest ('…不超过5%，否则就不要',
    'If it is 0.2 or lower … otherwise it goes'), unless 'unless' already turned the condition ('除非…，否则不收')."""
    if verb and OTHERWISE_RE.match(said) and not UNLESS_RE.search(context):
        return flip(verb)
    if verb and REST_START_RE.match(said) and [v for _, v in C.verbs(said)][:1] == [verb]:
        return flip(verb)  # '…以内的文档可以用，其余的都不收': what the rest gets, the described does not
    return verb


def _for_the_side(verb: C.Verb | None, side: str | None, said: set[str]) -> C.Verb | None:
    """The verb a remark gives a stated bound: turned when the remark speaks of the other side ('ge' said of a
    bound read as 'le')."""
    return flip(verb) if verb and side and said and side not in said else verb


def _comparative_side(text: str, ge_rx: re.Pattern = _GE_WORDS_RE, le_rx: re.Pattern = _LE_WORDS_RE) -> str | None:
    """Which side of a bound a remark speaks of ('anything higher …' -> 'ge'), when it says one (by other words
    when given: the comparators a number was said with)."""
    ge, le = bool(ge_rx.search(text)), bool(le_rx.search(text))
    return "ge" if ge and not le else "le" if le and not ge else None


def _verb_only(text: str) -> bool:
    """'remove them', 'please get rid of them', 'both kinds go', '都删掉': a verb on what came before,
    nothing else."""
    text = _unbracketed(text)  # '去掉（用中文停用词表）': the aside says how, not what
    # ('…的图片，所以先筛掉', '…, so drop them'): a consequence said with its verb alone
    text = re.sub(r"^\W*(?:所以|因此|因而|于是|那就|那么|故)\s*(?:先|就|都|也|得|要)?|^\W*(?:and\s+)?(?:so|therefore|thus|hence)\b[\s,]*", "", text, flags=re.I)
    # ('也要整条删掉': how firmly and that the whole sample goes, no other thing)
    text = re.sub(r"^\W*(?:(?:也|就|都|还|得|要|必须|一律|统统|直接|全部|整[条篇段份个张])\s*)+(?=\S)", "", text)
    words = [w for w in text.split() if w.lower().strip(".!,") not in ("please", "just", "also", "so")]
    if not C.verbs(text) or len(words) > (10 if C.ANAPHORA_RE.search(text) else 5):
        return False
    rest = C.REMOVE_RE.sub(" ", C.KEEP_RE.sub(" ", text))
    rest = re.sub(r"\b(?:must|should|will|has|have|had|to|be|been|gets?|got|are|is|all|them|those|these|it)\b", " ", rest, flags=re.I)
    # 'the file is out', 'the page goes' (a verb that names an operation, 'dedup the documents', is a step)
    subject_only = _content_words(re.sub(r"\b(?:files?|ones?|so)\b", " ", _MEDIUM_NOUNS_RE.sub(" ", SAMPLE_NOUNS_RE.sub(" ", rest)), flags=re.I)) == 0 and \
        not OPERATION_VERB_RE.search(text)
    # ('再去重', '再做去重': a short piece whose verb names an operation asks for that step)
    return bool(C.ANAPHORA_RE.search(text) or (len(text.strip()) <= 4 and not OPERATION_VERB_RE.search(text)) or
                ZH_DISPOSE_RE.fullmatch(text) or subject_only or
                ((C.RHETORIC_AFTER_RE.search(text) or "难道" in text) and _content_words(text) <= 8) or  # '留着干什么？'
                (PASSIVE_RE.search(text) and _content_words(rest) == 0))


ASKING_RE = re.compile(r"\b(?:is there a way to|is it possible to|can we|could we|can you|could you|would you|please|"
                       r"i want to|i'd like to|we'd like to|we need to|help me|let's|how do i|how can i|in|each|every|per|"
                       r"of|for|the|a|an|all|any|our|my|these|those|this|that)\b|请|帮我|麻烦|每个|每条|每篇|所有|那么|那|的话", re.I)


# 'only the images that pass stay', '合格的留下': the samples that passed the check just described, no new step
PASSING_RE = re.compile(r"\b(?:that|which|who)\s+(?:pass(?:es|ed)?|survived?|survives|qualif(?:y|ies|ied)|make it|made it|"
                        r"made the cut)\b|\bpassing\b|通过(?:了)?的|合格的|过关的|达标的", re.I)


def _bare_verb(text: str) -> str:
    """'cutting the videos' -> 'cut the videos', 'resizing them' -> 'resize them': the verb as requests say it."""
    m = re.match(r"([a-z]+?)([b-df-hj-np-tv-z])?\2?ing\b", text, re.I)
    if not m:
        return text
    stem = m.group(1) + (m.group(2) or "")
    if re.search(r"[b-df-hj-np-tv-z][aeiou][b-df-hj-np-tv-z]$", stem, re.I) and not m.group(0).lower().endswith(
            (stem + stem[-1] + "ing").lower()) and len(stem) <= 5:
        stem += "e"  # 'resizing' -> 'resize', 'cutting' -> 'cut'
    return stem + text[m.end():]


def _says_name_word(text: str, op: str) -> bool:
    """'with SimHash', 'MinHash 去重': a distinctive word of the operator's own name (not its medium, kind or
    mechanics) said as a word of the request."""
    return any(re.search(rf"(?<![a-z]){re.escape(t)}(?![a-z])", text, re.I) for t in op.split("_")
               if t not in _GENERIC_NAME_WORDS and t.rstrip("s") not in _PART_RES and len(t) > 4)


def _same_actions(text: str) -> str:
    """Chinese action verbs written as the one word that stands for them all ('剪成', '切成', '切开' -> '切分')."""
    for other, verb in L.ZH_ACTION_SYNONYMS.items():
        text = text.replace(other, verb)
    return text


def _names_nothing(text: str) -> bool:
    """'In each document', 'Is there a way to keep only the documents': the data, a verb and a way of asking;
    no operation named."""
    if OPERATION_VERB_RE.search(text):
        return False  # 'then dedupe', '并去重': the verb names the operation
    rest = SAMPLE_NOUNS_RE.sub(" ", C.KEEP_RE.sub(" ", C.REMOVE_RE.sub(" ", ASKING_RE.sub(" ", PASSING_RE.sub(" ", text)))))
    rest = re.sub(r"\bby default\b|默认", " ", rest, flags=re.I)  # 'Every essay is deleted by default': the frame
    # ('Which samples should stay?': a form's question, the answer after it names the step)
    return _content_words(re.sub(r"\b(?:are|is|was|were|be|been|get|gets|got|which|what|should|must|will|would|shall|may|might)\b",
                                 " ", rest, flags=re.I)) == 0


JOB_WORDS_RE = re.compile(r"\b(?:do|run|apply|give|the|a|an|it|them|this|that|all|whole|some|usual|standard|basic|normal|regular|"
                          r"common|typical|default|general|clean(?:ing|up|-up)?|tidy(?:ing)?|up|please|just|pass|job|work|"
                          r"everything|routine|full)\b|常规|标准|基本|一般|通用|的|清洗|清理|整理|处理|一下|一遍|做|下|请|帮我|全套|流程", re.I)


def _only_job_words(text: str) -> bool:
    """'Do the standard cleaning', '做一下常规清洗': the job asked for in general words, no operation of it named."""
    return _content_words(JOB_WORDS_RE.sub(" ", text)) == 0


def _meaningful(text: str) -> bool:
    return _content_words(text) >= 2


_CMP_WORDS_RE = re.compile(alternation(L.GE_BEFORE + L.LE_BEFORE + L.GE_AFTER + L.LE_AFTER), re.I)
_SAID_GE_RE = re.compile(alternation(L.GE_BEFORE + L.GE_AFTER), re.I)  # the comparator words a number was said with
_SAID_LE_RE = re.compile(alternation(L.LE_BEFORE + L.LE_AFTER), re.I)
_MEDIA_NOUNS_RE = re.compile(alternation([w for ws in MODALITY_WORDS.values() for w in ws]), re.I)
# words of operator names that say the medium, the kind or the mechanics, not the trouble an operator answers
def _unbracketed(text: str) -> str:
    """The text without its asides in brackets ('(no special normalization needed)', '（用中文停用词表）')."""
    return re.sub(r"[(（][^)）]*[)）]", " ", text)


def _said_outside(quoted: list, rx: re.Pattern, text: str) -> bool:
    """Is any quoted value said outside the matches of `rx` ('I don't want anyone "fixing" this by …' quotes inside
    what it rules out)?"""
    rest = rx.sub(" ", text)
    return any(str(q) in rest for q in quoted)


def _words_left(text: str, *more: re.Pattern) -> int:
    """The content words left once keep and remove verbs, media and sample nouns (and what `more` matches) are
    taken out: 0 for 'keep clips scoring at least 1.6' (with GENERIC_SCORE_RE), 'For the podcasts keep only'."""
    rest = SAMPLE_NOUNS_RE.sub(" ", _MEDIUM_NOUNS_RE.sub(" ", C.REMOVE_RE.sub(" ", C.KEEP_RE.sub(" ", text))))
    for rx in more:
        rest = rx.sub(" ", rest)
    return _content_words(rest)


def _name_words(name: str) -> set[str]:
    """The words of an operator's name that say what it is about ('face' in image_face_blur_mapper)."""
    return set(name.split("_")) - _GENERIC_NAME_WORDS


_GENERIC_NAME_WORDS = {"filter", "mapper", "deduplicator", "selector", "grouper", "aggregator", "video", "image", "audio",
                       "text", "document", "from", "frames", "frame", "score", "ratio", "remove", "clean", "specified",
                       "field", "num", "ray", "by", "to", "split", "words", "word", "character", "chinese", "non", "mapper"}
# how the data is too much of something ('视频都太长了', 'the clips are way too long'): a reason for the step asked next
COMPLAINT_RE = re.compile(r"太[\u4e00-\u9fff]{1,3}了|\btoo\s+(?:[a-z]+ly\s+)?[a-z]+\b", re.I)
# a count said with a superlative: 'the 500 shortest', 'the 200 most upvoted', '最高的一千条', '最短的前五百个'
_SUPERLATIVES = r"(?:most|least|top|best|worst|highest|lowest|longest|shortest|largest|smallest|biggest|fewest|newest|oldest|latest|" \
                r"earliest|cheapest|loudest|quietest|brightest|darkest|fastest|slowest|busiest|heaviest|lightest|\w+-rated)"
_WITH_THE_MOST = r"\b(?:with|having|that have|which have|that has)\s+the\s+(?:most|highest|largest|biggest|fewest|lowest|least|" \
                 r"smallest|greatest)\b"  # 'the 1,750 with the most meta.stars'
WITH_THE_MOST_RE = re.compile(_WITH_THE_MOST, re.I)
SUPERLATIVE_AFTER_RE = re.compile(rf"\s*(?:{_SUPERLATIVES})\b|\s*(?:\w+\s+)?{_WITH_THE_MOST}|\s*(?:条|个|篇|张|段|份)?[^，,。；;\d]{{0,3}}?最", re.I)
SUPERLATIVE_BEFORE_RE = re.compile(rf"\b(?:the\s+)?(?:top|bottom)\s*$|最[\u4e00-\u9fff]{{1,3}}的\s*(?:前)?\s*$", re.I)
# the step just named, said again: 'just that selection', 'only those ones', '就这些'
RESTATED_RE = re.compile(r"\W*(?:(?:and|but)\s+)?(?:just|only|simply|purely)\s+(?:that|this|those|these|the same)(?:\s+[a-z]+)?\W*$|"
                         r"\W*(?:就|只要)?(?:这些|这个|那些|那个)(?:就行|就好|就够了|即可)?\W*$", re.I)
# a piece that only says what the data is for ('For the scene-text model', '为了训练语音识别模型')
FOR_MODEL_RE = re.compile(r"\W*(?:(?:this\s+is\s+|it'?s\s+)?for|to\s+train|training)\s+(?:the|our|a|an|my|their)\s+(?:[\w-]+\s+){0,3}"
                          r"(?:model|classifier|detector|recogni[sz]er|tokenizer|encoder|captioner|llm|asr|tts)s?\W*|"
                          r"\W*(?:(?:为了|用来|用于|给)(?:训练)?|训练)[\u4e00-\u9fffA-Za-z-]{1,10}模型(?:用的?|训练用)?\W*", re.I)
# a piece that only says which data the request is given ('Given a folder of image-caption pairs')
DATA_GIVEN_RE = re.compile(r"\W*(?:given|for|with|from|on|in|we\s+have|I\s+have|there\s+is|there\s+are)\s+(?:a|an|the|this|these|our|my|some)\s+"
                           r"(?:[\w-]+\s+){0,2}(?:folder|directory|dir|set|batch|pile|bunch|dump|collection|corpus|bucket|shard|archive|export|crawl)s?\s+"
                           r"of\s+(?:[\w-]+\s+){0,3}[\w-]+\W*|"
                           r"\W*(?:给定|假设有|现有|手上有|我们有|这里有)(?:一批|一份|一堆|一些|这批|一个)[\u4e00-\u9fffA-Za-z ]{1,12}\W*", re.I)
# a piece that only names the data, before what to do with it: '这批中文新闻稿，…', 'This batch of German forum posts: …'
DATA_NAMED_RE = re.compile(r"\W*(?:这批|这些|这份|这堆|这一批|手上(?:这批|的)|我们(?:这批|的)|我的)[\u4e00-\u9fffA-Za-z ]{1,10}\W*|"
                           r"\W*(?:(?:so\s+|ok\s+|okay\s+)?(?:this|these|our|my)\s+(?:(?:batch|pile|set|lot|bunch|dump)\s+of\s+)?(?:[\w-]+\s+){0,3}[\w-]+)\W*", re.I)
# a piece that only says which samples the steps work on: 'For each video', 'in every document', '对每个视频'
SCOPE_ONLY_RE = re.compile(r"\W*(?:(?:and|then)\s+)?(?:for|in|on|across|within)\s+(?:each|every|all(?:\s+the)?|the)\s+(?:single\s+)?[a-z]+\W*|"
                           r"\W*(?:对于?|针对|在)?(?:[\u4e00-\u9fff]{1,6}?(?:所得|得到|出来|之后|后)的)?(?:每|各)(?:一)?(?:个|条|段|张|支|篇|部|份|幅|首)"
                           r"[\u4e00-\u9fff]{1,3}?(?:里|中|上|来说)?\W*", re.I)
INABILITY_RE = re.compile(r"\b(?:nobody|no one|none of us)\s+(?:can|could|will|would)\b|\b(?:can'?t|cannot|couldn'?t|unable to)\b|"
                          r"没人能|没法|无法|没办法", re.I)
# the parts of a text an operator's name may be about (its name token -> how a request says it)
_PART_RES = {"word": re.compile(r"\bwords?\b|单词|單字|单字|词语|(?<![字])词", re.I),
             "line": re.compile(r"\blines?\b|一行|(?<=\d)行|每行|行长|单行|行数|最长的行", re.I),
             "sentence": re.compile(r"\bsentences?\b|句子", re.I)}
EXAMPLE_RE = re.compile(r"之类|比如|例如|诸如|像\s*['\"“‘「]|\bsuch as\b|\blike\s+['\"“]|\be\.g\.|[(（]\s*['\"“‘「][^)）]*[/|,，、][^)）]*[)）]|"
                        r"['\"“‘「][^'\"”’」]{3,}(?:\.\.\.|…)\s*['\"”’」]", re.I)  # quoted examples ('a b a b ...': cut short), not literals
NEEDED_FOR_RE = re.compile(r"\W*(?:因为|毕竟)?[\u4e00-\u9fff]{1,6}(?:时|的时候)?(?:要用|得用|用得上|有用|需要用到?|还要用)\W*|"
                           r"\W*(?:(?:since|because|as)\s+)?(?:we|they|you)\s+(?:still\s+)?need\s+(?:it|them|those|these)\s+for\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\W*",
                           re.I)
FIELD_BOUND_RE = re.compile(r"(?:__dj__[A-Za-z0-9_]+__|[A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)+`?\s*(?:is|are|was|of|:)?\s*"
                            r"(?:at most|at least|no more than|no less than|not more than|not less than|under|over|above|below|less than|"
                            r"more than|greater than|smaller than|fewer than|<=?|>=?|不超过|超过|小于|大于|低于|高于|至少|至多|不低于|不高于)", re.I)
SAMPLES_REMOVED_RE = re.compile(r"的(?:图片|照片|图像|视频|片段|音频|录音|样本|文本|文档|帖子|文章)(?:都|全|全部|统统|一律|直接)?(?:不要|删|去掉|扔|丢掉|过滤掉|剔除)|"
                                r"\b(?:drop|remove|delete|discard|throw (?:out|away)|toss|bin|filter out|get rid of)\s+(?:all\s+|any\s+|every\s+)?"
                                r"(?:the\s+)?(?:[\w-]+\s+)?(?:images?|photos?|pictures?|clips?|videos?|recordings?|samples?|posts?)\s+"
                                r"(?:with|that|which|whose|where|containing|showing)\b|"
                                # ('Any essay containing a curse word gets thrown out', '…也要整条删掉': the subject goes)
                                r"\b(?:any|every|each|all|an?|the)\s+(?:[\w-]+\s+)?(?:" + "|".join(L.SAMPLE_WORDS + [
                                    r"stories", r"comments?", r"messages?", r"images?", r"photos?", r"pictures?", r"clips?",
                                    r"videos?", r"recordings?"]) + r")\s+(?:with|that|which|containing|showing)\b[^.;:!?]{0,80}?"
                                r"\b(?:gets?|is|are|(?:must|should|will|can)\s+be)\s+(?:thrown\s+(?:out|away)|dropped|removed|"
                                r"deleted|discarded|rejected|tossed|binned|filtered\s+out)\b|"
                                r"整(?:条|篇|段|份|个)(?:都|就)?(?:删|去掉|不要|丢|扔|剔除|过滤)", re.I)
TROUBLE_RE = re.compile(r"\b(?:keeps?|kept)\s+(?:on\s+)?[a-z]+ing\b|\bhappen(?:s|ed|ing)?\b|\bcrash(?:es|ed|ing)?\b|\bout of memory\b|"
                        r"\bOOMs?\b|老是出|总是出|一直出|经常出|老出|总出", re.I)
BETWEEN_THEM_RE = re.compile(r"介于(?:这)?(?:[两二2]者|[两二2]个|它们|这[两二2]个?|[两二2]头)之间(?:的)?|(?:这|那)?(?:[两二2]者)之间(?:的)?|夹在中间(?:的)?|(?:^|(?<=[，,；;。\s]))中间(?:的|那些|那部分)|"
                             r"\b(?:everything|anything|all|whatever|the ones?|those|what(?:'s| is)?)\s+(?:in\s+)?between(?:\s+(?:them|the two|those|these))?\b|"
                             r"\bin between\b|\bthe middle (?:ones|band|range)\b", re.I)
QUALIFIER_ONLY_RE = re.compile(r"\W*(?:(?:the\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+only|only\s+(?:the\s+)?[a-z-]+(?:\s+[a-z-]+)?)\W*", re.I)
WORDS_CONTAINING_RE = re.compile(r"\bwords?\s+(?:that\s+|which\s+)?(?:contain|containing|contains|with|having|has|have)\b|"
                                 r"(?:含有?|包含|带有?)[^，,。；;]{1,10}的(?:单)?词", re.I)
# 'i.e. …', '也就是取最大值': what follows says the same in plainer terms
IE_RE = re.compile(r"\W*(?:(?:i\.\s?e\.?|that is(?: to say)?|namely|in other words|meaning)(?=[\s,，:：]|$)|"
                   r"(?:也就是说?|换句话说|即(?![使便可将刻时]))(?=[\s,，:：\u4e00-\u9fff]|$))", re.I)
# a mapper's own output asked for ('save the frames', '把抽出来的帧存下来'): it is a step of its own
OUTPUT_WORDS_RE = re.compile(r"\b(?:save|saved|saving|store|stored|export|exported|write|written|dump|output|keep the|into (?:a |the )?"
                             r"(?:folder|dir|directory))\b|保存|存下|存到|存成|存为|导出|输出|写入|落盘", re.I)
QUOTED_LITERAL_RE = re.compile(r"'[^']+'|“[^”]+”|\"[^\"]+\"|「[^」]+」")
_GENERIC_MEASURE_RE = re.compile(alternation(L.GENERIC_MEASURE_WORDS), re.I)
_MEDIUM_NOUNS_RE = re.compile(alternation([w for m in ("image", "video", "audio") for w in MODALITY_WORDS[m]]), re.I)  # 'the image is out'



def _bare(text: str) -> bool:
    """A piece that names nothing but numbers, comparators, a verb and the data ('低于2的视频去掉')."""
    rest = re.sub(r"\d+(?:\.\d+)?%?", " ", text)
    rest = re.sub(r"[(（]\s*(?:i\.\s?e\.?|that is|namely|in other words|也就是说?|即|换句话说)[^)）]*[)）]", " ", rest, flags=re.I)  # a remark that says it again
    rest = ANY_ITEM_RE.sub(" ", rest)  # '只要有一帧的分数超过0.4就删掉', 'if any frame scores over 0.4': which items count
    rest = C.KEEP_RE.sub(" ", C.REMOVE_RE.sub(" ", _CMP_WORDS_RE.sub(" ", rest)))
    rest = SAMPLE_NOUNS_RE.sub(" ", _MEDIA_NOUNS_RE.sub(" ", rest))
    rest = _GENERIC_MEASURE_RE.sub(" ", rest)  # '分数低于1的视频删掉': 'the score' is the one just named
    rest = _PIECE_NOUNS_RE.sub(" ", rest)  # '低于1.5的片段去掉': the pieces a split made are samples too
    rest = re.sub(r"(?<![\u4e00-\u9fff])(?:需要|必须|应该|要|得|须|应|才|就|都|也|还)(?![\u4e00-\u9fff])", " ", rest)  # '最少要0.3才留'
    return _content_words(rest) == 0


# a request to do what was just said ('Can you set that up?', 'Please make it happen', '帮我弄一下吧'): no step of its own
DO_THAT_RE = re.compile(r"\W*(?:(?:so\s+)?(?:can|could|would|will) you(?:\s+please)?|please|pls)?\s*(?:set|do|handle|run|make|sort|get|put|wire|"
                        r"build|implement|take care of)(?:\s+(?:that|this|it|them|those|all|everything))*(?:\s+(?:up|out|together|going|"
                        r"happen|done|for me|for us|please))*\W*(?:(?:please|thanks?|thank you|cheers)\W*)?|"
                        r"\W*(?:能|可以|能不能|可不可以)?(?:帮我|帮忙|麻烦你?|请)?(?:弄|搞|设置|安排|处理|做|配置)(?:一下|好|起来)?(?:吗|吧|呢|哈)?\W*",
                        re.I)
# a bare negated action after the step ('…as a whole, not edited', 'rather than editing them', '不要改动'): how
# the step is not to be done
INSTEAD_OF_RE = re.compile(r"\W*(?:(?:and|but)\s+)?(?:not|never|rather than|instead of|(?:and\s+)?(?:do not|don'?t))\s+(?:be\s+)?"
                           r"(?:edit|fix|chang|rewrit|alter|modif|clean|repair|patch|touch)(?:e|s|es|ed|ing|ied|y)?"
                           r"(?:\s+(?:them|it|those|these|anything))?(?:\s+(?:in place|at all))?\W*|"
                           r"\W*(?:而不是|而非|不要|不用|别|不必|无需)(?:去|再)?(?:修改|改动|编辑|修补|修正|改写|改)(?:它们|它|内容)?\W*", re.I)
ANY_ITEM_RE = re.compile(r"(?:只要|哪怕|即使|如果)?(?:有)?(?:任何|任意|随便)?一[帧张个幅段](?:的)?|(?:每|所有|全部)(?:一)?[帧张幅](?:都)?(?:的)?|"
                         r"\b(?:any|a single|one|every|each|all(?: the)?)\s+(?:single\s+)?(?:of (?:the|its|their)\s+)?(?:frames?|images?|pictures?)\b", re.I)
_PIECE_NOUNS_RE = re.compile(r"\b(?:pieces?|segments?|chunks?|parts?|snippets?)\b|片段|片子|小段|分段", re.I)


_FIELD_LEAD_RE = re.compile(r"\b(?:by|going by|judging by|judged by|measured by|based on|using|use|according to|sort(?:ed|ing)?|rank(?:ed|ing)?|order(?:ed)?|on|the|its|"
                            r"field|key|column|values?|look at|count(?:ed|ing)?|tally|stor(?:e|ed|ing)|sav(?:e|ed|ing)|put|writ(?:e|ten|ing)|in|into|results?|"
                            r"outputs?|them|it|sample'?s?|default|unchanged)\b|默认|就|还是|保持|不变|照旧|结果|存到|存进|存入|存在|写到|写进|写入|写在|放到|放进|保存到|输出到|样本|每条|里|中|已经|了|按照?|根据|依据|依照|用|排序|排名|名次|排|字段|的|值|这个|列|看|统计|计数|一下|一遍|先|再|然后|首先", re.I)


_REGEX_LEAD_RE = re.compile(r"\b(?:use|using|with|the|a|as|regex(?:es)?|regular expression|pattern|for (?:it|that|this|them)|here|is|"
                            r"should be|would be|just|please|match(?:ing)?|by)\b|正则(?:表达式)?|模式|就用|用|就是|是|如下|这个|匹配|吧|即可|就行", re.I)


def _regex_only(c: C.Clause) -> bool:
    """A piece that gives a regular expression and nothing else ('正则就用 …', 'use the regex … for it')."""
    if len(c.regexes) != 1 or c.quoted and any(q != c.regexes[0] for q, _, _ in c.quoted) or C.verbs(c.text):
        return False
    at = c.text.find(c.regexes[0])
    if at < 0:
        return False
    rest = c.text[:at] + " " + c.text[at + len(c.regexes[0]):]
    return _content_words(_REGEX_LEAD_RE.sub(" ", rest)) == 0


def _counts_quoted(q: Quantity, c: C.Clause) -> bool:
    """'只要“抖音”和“快手”两家的数据', 'the "draft" and "stub" two tags': how many values were just quoted."""
    return bool(c.quoted) and q.cmp == "none" and q.value == len(c.quoted) and all(e <= q.start for _, _, e in c.quoted) and \
        q.start - max(e for _, _, e in c.quoted) <= 6


def _magnitude(v: Any) -> float | None:
    """A bound's size for comparing two bounds, read as the engine reads it: a number, a size ('500KB') or a ratio
    ('4/5'). (The engine's readers are imported here, on the rare request that keeps two outer sides.)"""
    from sandbox_engine.ops.filters.image_basic import size_to_bytes
    from sandbox_engine.ops.filters.video_basic import parse_ratio

    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    for read in (size_to_bytes, parse_ratio):
        try:
            return float(read(v, "", ""))
        except ValueError:
            continue
    return None


def _field_only(c: C.Clause) -> bool:
    """A piece that names a field and nothing else to do with it ('按 meta.score 排', 'based on meta.tags')."""
    return bool(c.fields) and _content_words(_FIELD_LEAD_RE.sub(" ", _without_fields(c))) == 0


def _without_fields(c: C.Clause) -> str:
    """The piece's text with the fields it names taken out."""
    rest = c.text
    for _, s, e in sorted(c.fields, key=lambda f: -f[1]):
        rest = rest[:s] + " " + rest[e:]
    return rest


SETTINGS_HEADING_RE = re.compile(r"\b(?:settings?|params?|parameters?|config(?:uration)?|options?)\b|参数|设置|配置|这样设|如下", re.I)
DONT_DO_RE = re.compile(r"\W*(?:(?:and|but|also|please|pls|just)\s+)*(?:do\s+not|don'?t|never|no\s+need\s+to|there'?s\s+no\s+need\s+to|"
                        r"you\s+(?:don'?t|do\s+not)\s+need\s+to)\s+(?P<what>[a-z][\w\s/'-]{2,60}?)[\W]*", re.I)
ZH_DONT_DO_RE = re.compile(r"\W*(?:但|而且|并且|也)?(?:不要|别|不用|不必|无需|不许|不能)(?:去)?(?P<what>(?:裁|切|剪|拆|缩|压|拉伸)[\u4e00-\u9fff]{0,6})\W*")
_KEEPING_RE = re.compile(r"(?:keep|retain|leave|preserve|save|touch|change|modify|edit|alter)\b", re.I)
_DROPPING_RE = re.compile(r"(?:lose|delete|drop|remove|discard|throw|filter|cut)\w*\b", re.I)
_FOR_REASON_RE = re.compile(r"\b(?:for|by|because of|based on|on the basis of|due to)\b", re.I)


def _not_to_do(text: str) -> str | None:
    """'Do not deduplicate.', "don't split the videos", 'Do not drop anything for length.': the operation ruled out (not
    'don't keep …', which removes, nor 'do not drop any clip', which keeps every sample)."""
    if (zh := ZH_DONT_DO_RE.fullmatch(text)):
        return zh.group("what")  # '不要裁宽度', '别切视频'
    m = DONT_DO_RE.fullmatch(text)
    if not m or _KEEPING_RE.match(m.group("what")):
        return None
    if _DROPPING_RE.match(m.group("what")) and not _FOR_REASON_RE.search(m.group("what")):
        return None
    return m.group("what")


REPLACE_ONLY_RE = re.compile(r"\W*(?:(?:and|then|also)\s+)?(?:please\s+)?(?:一律|统统|全部|全都|都|请|均)?\s*(?:replac\w*|swap\w*|substitut\w*|"
                             r"替换为|替换成|换成|改为|改成|替换)\s*(?:(?:them|it|those|these|each(?:\s+one)?|every(?:\s+one|\s+match)?|all)\s+)?"
                             r"(?:with|by|for)?\s*(?:the\s+)?(?:string|text|token|literal)?\W*", re.I)


# 'Could you reproduce exactly that selection on the new batch?': the steps said, done again, no step of its own
DO_AGAIN_RE = re.compile(r"\W*(?:(?:so\s+)?(?:can|could|would|will)\s+you(?:\s+please)?|please|pls)?\s*(?:reproduce|repeat|redo|replicate|re-?run|"
                         r"apply|do)\s+(?:exactly\s+|precisely\s+)?(?:that|this|the\s+same|it|those|these)(?:\s+[\w-]+){0,2}?"
                         r"(?:\s+(?:on|for|to|with|over)\s+(?:the\s+|our\s+|this\s+|my\s+)?(?:new\s+|next\s+|latest\s+|fresh\s+)?[\w-]+(?:\s+[\w-]+)?)?\W*", re.I)
PLAN_MARKER_RE = re.compile(r"决定(?:这样|如下|这么)(?:做|筛|处理|办|弄|来)?\s*[:：]|(?:做法|方案|计划|步骤)如下\s*[:：]|"
                            r"\b(?:so\s+)?here'?s\s+(?:the|my|our)\s+plan\s*[:：]|\b(?:the|my|our)\s+plan\s*[:：]|"
                            # a note's plan after its findings ('S: … O: … A: … P: Delete …', 'Plan: …', '处理方案：…')
                            r"^[ \t]*(?:P|Plan|Action items?|Actions|Proposed fix|处理方案|解决方案|计划|做法)\s*[:：]", re.I | re.M)
QUANTIFIER_RE = re.compile(r"\b(?:any|every|each|all)\b", re.I)  # 'Any image scoring above 0.935 on it'
TOOL_LANG_CODE_RE = re.compile(r"(?<![\w.])([a-z]{2,3}_[a-z]{2,4})(?![\w.])")
DEFAULTS_ONLY_RE = re.compile(r"\W*(?:其余|其他|其它|别的|剩下的?|所有|全部)?[\u4e00-\u9fff]{0,10}?(?:都|也|均|一律)?"
                              r"(?:保持|沿用|使用|采用|用|取|维持|按)(?:原来的|系统的?)?(?:默认|预设|預設)(?:值|的|设置|参数|配置)?(?:即可|就行|就好|就可以)?\W*")
HYPOTHETICAL_RE = re.compile(r"\b(?:would|will|could|might|may)(?:\s+\w+)?\s+(?:get|be|end\s+up)\b|会被|会变得?|就得被", re.I)
KEEP_ITSELF_RE = re.compile(r"\b(?:keep|leave|retain|preserve)s?\s+(?:the\s+|all\s+|every\s+)?(?:[\w-]+\s+){0,2}"
                            r"(?:themselves|itself|intact|untouched|as\s+(?:is|they\s+are))\b|(?:本身|原文|正文)(?:要|得|都)?(?:保留|留着)|原样保留", re.I)
END_OF_REQUEST_RE = re.compile(r"\W*(?:(?:and\s+|so\s+|ok(?:ay)?,?\s+)?(?:that'?s|that\s+is|this\s+is)\s+(?:all|it|everything)|"
                               r"nothing\s+(?:else|more)(?:\s+(?:needs?|has|is)\s+(?:to\s+)?(?:be\s+)?(?:doing|done|do|changed|touched))?|(?:all\s+)?done|the\s+end|就这些|就这样|没(?:有)?别的了?|没了|完毕|以上)"
                               r"(?:\s*(?:for\s+now|then|thanks?|thank\s+you|ty|cheers|谢谢|了|吧|啦))*\W*", re.I)
STRUCK_RE = re.compile(r"~~(?!\s)[^~\n]+?~~|<(del|s|strike)>[^<]*</\1>", re.I)
ADDING_RE = re.compile(r"\b(?:add(?:s|ed|ing)?|inject(?:s|ed|ing)?|augment\w*|mix(?:es|ed|ing)? in|overlay\w*|sprinkle\w*|noisier|"
                       r"more noise|robust\w*|hold(?:s)? up|(?:chuck|throw|put|slap|stick|lay)(?:s|ed|ing)?\s+(?:(?:a\s+)?(?:bit|touch|dash|little|some|few)\s+(?:of\s+)?)?"
                       r"(?:[\w-]+\s+){0,2}?(?:noise|hiss|blur|watermark)\w*\s+(?:on|onto|over|into)\b)\b|更嘈杂|更多噪|鲁棒|抗噪|"
                       r"加入|添加|加上|注入|叠加|混入|加(?:点|些|一点|一些)?(?:高斯)?(?:噪声|噪音|杂音)|加噪|增强|扩增", re.I)
PROVISO_RE = re.compile(r"\s*(?:前提是|条件是|但前提是|只要|provided(?: that)?|as long as|on condition that|so long as)", re.I)
ALL_STEPS_RE = re.compile(r"\s*(?:for|in|on|with)\s+(?:both|all|each)(?:\s+of\s+(?:them|these|those|the))?(?:\s+(?:checks?|steps?|"
                          r"filters?|conditions?|tests?))?\b|\s*(?:两项|两个|这两项|这两个|所有)(?:检查|步骤|条件|筛选)?都", re.I)
_POINTING_VERBS_RE = re.compile(r"\b(?:apply|applies|use|follow|enforce|implement|do|run|make|match|mirror|reflect)\b", re.I)
_DATA_NOUNS_RE = re.compile(r"\b(?:crawl|corpus|data ?set|data|collection|dump|export|everything|all of it)\b", re.I)


EACH_HOLDS_RE = re.compile(r"\W*(?:each|every)\s+(?:\w+\s+){1,3}?(?:holds?|has|have|contains?|carries|comes with|consists of|is made of)\b|"
                           r"\W*(?:这批|这份|这些|我们的|我的)?[\u4e00-\u9fff]{0,3}?每(?:一)?(?:条|个|组|份|行|篇|段)?\S{0,6}?(?:都)?(?:其实)?"
                           r"(?:有|含有?|包含|带有?|由|就是|是)", re.I)
EACH_AFTER_RE = re.compile(r"\s*(?:long\s+|in length\s+)?(?:each|apiece|a piece)\b", re.I)
# a remark in brackets that says what some samples are ('(those are the 3-hour raw recordings)')
REMARK_IN_BRACKETS_RE = re.compile(r"[(（]\s*(?:those|these|they|which|that|it|mostly|usually|i\.e\.)\s+(?:\w+\s+)?(?:are|is|were|was)\b|"
                                   r"[(（]\s*(?:这些|那些|这种|那种|它们|基本上|大多)?(?:都)?是", re.I)


def _in_remark(text: str, pos: int) -> bool:
    """Whether a position lies inside a bracketed remark on what the samples are ('(those are …)')."""
    before = text[:pos]
    start = max(before.rfind("("), before.rfind("（"))
    return start > max(before.rfind(")"), before.rfind("）")) and bool(REMARK_IN_BRACKETS_RE.match(text, start))


ONLY_THEN_KEPT_RE = re.compile(r"才(?:能|会|可以)?(?:保留|留下?|要|收|算数|进)")
# 'sentences under 6 characters are ignored', '不足六个字的短句不参与判断': left out of what the step judges, not removed
EXEMPT_RE = re.compile(r"\b(?:are|is|get|gets|be)\s+(?:ignored|skipped over|left out of (?:the )?(?:comparison|check))\b|"
                       r"\b(?:don'?t|do not|doesn'?t|does not)\s+count\b|\bare not counted\b|"
                       r"不参与(?:判断|比较|计算|去重|统计)?|不算(?:在内|进去)?(?=[。；;，,]|$)|不计入?|不考虑|忽略不计", re.I)
RULED_OUT_PIECE_RE = re.compile(r"\s*(?:but\s+)?(?:not|rather than|instead of|as opposed to)\s+(?:from|by|with|using|on|the|a|an)\b|"
                                r"\s*(?:而不是|而非|不是(?:用|按|从))", re.I)
URL_RE = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s,;，；)）]+[^\s,;，；)）.。]", re.I)
_NEXT_STEP_RE = re.compile(r"\s*(?:再|又|随后|接下来|(?:and\s+)?then\b|next\b|after that\b|afterwards\b)", re.I)
_ANOTHER_STEP_RE = re.compile(r"\s*(?:然后|接着|之后|另外|此外|并且?|同时|最后)")  # '…，另外…': a further step begins
LIKEWISE_RE = re.compile(r"\W*(?:同样|一样|也(?!就是|即|便是)|同理|照样|likewise|again|also|similarly|in the same way|the same way)(?![A-Za-z])", re.I)
_SAME_AGAIN_RE = re.compile(r"\b(?:do|make|apply|repeat|carry out)\s+the\s+same\b|照做|照此办理|照样(?:做|处理)", re.I)


def _points_back(text: str, earlier: str) -> bool:
    """'Apply section 4.2 to the crawl': a verb of carrying out, the data, and only words said before it; 'Please
    make the same change to the v3 drop': the change said before."""
    if _SAME_AGAIN_RE.search(text):
        return True
    if has_cjk(text) or not _POINTING_VERBS_RE.search(text):
        return False
    rest = _DATA_NOUNS_RE.sub(" ", SAMPLE_NOUNS_RE.sub(" ", _POINTING_VERBS_RE.sub(" ", text)))
    words = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", rest) if w.lower() not in _FILLER]
    return bool(words) and all(re.search(rf"\b{w}", earlier, re.I) for w in words)


def _content_words(text: str) -> int:
    words = re.findall(r"[A-Za-z]{3,}|[\u4e00-\u9fff]", text)
    return sum(1 for w in words if w.lower() not in _FILLER)


ALL_OF_RE = re.compile(r"凡是?|所有的?|一切的?|全部的?|每一?[个条段支部张首]|各[个类种]?|\b(?:all|every|each|the)\b", re.I)
_FUNCTION_WORDS = {"where", "which", "what", "when", "whose", "than", "should", "must", "will", "have", "has", "they", "their",
                   "there", "here", "from", "into", "onto", "over", "under", "below", "above", "less", "least", "most",
                   "each", "every", "some", "many", "much", "like", "about", "any", "anything", "everything", "whole",
                   "other", "others", "same", "because", "while", "whether", "once", "per", "cent", "percent"}
_FILLER = {"please", "thanks", "thank", "also", "nothing", "else", "more", "only", "too", "well", "the", "and", "data", "dataset", "this", "that", "them", "those",
           "all", "then", "just", "okay", "you", "can", "could", "would", "for", "with", "before", "after", "first",
           "next", "finally", "afterwards", "later", "lastly", "separately", "meanwhile", "firstly", "second", "secondly",
           "third", "thirdly", "fourth", "fifth",
           "的", "和", "与", "了", "在", "把", "将", "及", "或", "是", "并", "再", "都", "也", "就"}
# 'videos whose ratio is …', '如果宽高比小于 …': a number that picks out samples, not a target to reach
# 'videos wider than 2:1 should be resized': the samples named, then the bound that says which
_DESCRIBED_NOUN_RE = re.compile(r"\b(?:clips?|videos?|images?|photos?|pictures?|samples?|files?|recordings?|texts?|documents?|ones|"
                                r"anything|everything|those)\s*$", re.I)
_CONDITION_BEFORE_RE = re.compile(r"(?:\bwhose\b|\b(?:clips?|videos?|images?|photos?|pictures?|samples?|files?|recordings?|texts?|documents?|ones)\s+with\b|\bthat\s+(?:are|is|have|has)\b|\bif\b|\bwhere\b|\bwhen\b|如果|凡是|若|要是)"
                                  r"[^,.;，。；]*$", re.I)
