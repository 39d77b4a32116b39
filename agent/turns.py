"""What a line typed in the chat is: a new goal, a change to the current plan, a question (about the data,
a run's result or an operator) or a /command. English and Chinese; operators are named through the
catalog (any registered name, or a phrase such as "the length filter"), never per-operator phrase lists.

`classify_turn(text, state)` is the built-in classifier (the LLM path may override it); `parse_turn`
adds what the answer needs: the topic, the operator, a sample number, a count, the user's language.
"""
from __future__ import annotations

import re
from enum import Enum
from typing import Any, Callable, Literal, Mapping

from pydantic import BaseModel


class TurnKind(str, Enum):
    GOAL = "goal"
    PLAN_CHANGE = "plan_change"
    DATA_QUESTION = "data_question"
    RESULT_QUESTION = "result_question"
    OPERATOR_QUESTION = "operator_question"
    COMMAND = "command"


QUESTIONS = (TurnKind.DATA_QUESTION, TurnKind.RESULT_QUESTION, TurnKind.OPERATOR_QUESTION)


class Turn(BaseModel):
    kind: TurnKind
    text: str
    lang: Literal["en", "zh"] = "en"
    topic: str | None = None   # count | languages | lengths | fields | quality | overview | why_dropped
    #                            | removed_samples | removed_count | run_summary | op_info
    op: str | None = None      # the operator the line is about
    sample: int | None = None  # "sample 17" (numbered from 1)
    n: int | None = None       # "show me 5 ..."


_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMS_ZH = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# a question: it opens with a question word, or carries a question mark / particle
_ASK_EN = re.compile(r"^\s*(how|what|which|why|where|when|who|whose|is|are|was|were|does|do(?!\s+not\b)|did|has|have|"
                     r"show me|show|list|describe|tell me|explain|give me|display|count|print)\b", re.I)
_ASK_ZH = re.compile(r"多少|几[条个种行]|什么|哪些|哪个|哪种|为什么|为何|怎么|如何|显示|列出|看看|给我看|介绍一下|解释")
_MARK = re.compile(r"[?？]\s*$|[吗呢]\s*[?？]?\s*$")
# a change to the plan
_CHANGE_EN = re.compile(r"\b(also|instead|don'?t|do not|no longer|change|make it|make the|raise|lower|increase|"
                        r"decrease|loosen|tighten|stricter|looser|rather|as well|add|skip|without|keep the|"
                        r"set the|use a|replace|undo|remove the step|drop the step)\b|\btoo\s*[.!]?$", re.I)
_CHANGE_ZH = re.compile(r"再|改成|改为|改一下|不要|别|也|还要|换成|加上|调高|调低|提高|降低|放宽|收紧|去掉这")
_REQUEST = re.compile(r"^\s*(what|how) about\b|^\s*(is it possible( to)?|could you|can you|would you|will you|"
                      r"please)\b|^\s*(能不能|能否|可以|可不可以|请|麻烦|帮我)", re.I)
_ASKS_TO_SHOW = re.compile(r"\b(show|list|tell|explain|describe|give me|display|count|how many|what|which|why)\b|"
                           r"显示|列出|看看|给我看|介绍|解释|多少|几条|什么|哪些|为什么", re.I)
_ACTION = re.compile(r"\b(drop|remove|keep|filter|clean|dedup\w*|delete|strip|exclude|normali[sz]e|fix|split|only)\b|"
                     r"去掉|删除|保留|过滤|清洗|去重|剔除|只要", re.I)
_NEW_GOAL = re.compile(r"^\s*(new goal|start over|forget (that|it|the plan)|新目标|重新开始|换个目标)", re.I)
# what the question is about
_RESULT = re.compile(r"\b(removed|removal|dropped|filtered|deleted|discarded|kept|thrown|lost|left|remain\w*|"
                     r"survived|why was|why were|results?|output)\b|被(删|去|过滤|移除|丢|剔除)|"
                     r"(删|删除|去掉|去除|过滤掉?|移除|丢|剔除)(了|掉了|掉的|的)|保留了|剩下|剩了|还剩", re.I)
_COUNT = re.compile(r"\bhow many\b|\bnumber of\b|\bcount\b|\bsize\b|多少|几条|几个|数量|条数|样本数", re.I)
_LANG = re.compile(r"\blang\w*\b|语言|语种", re.I)
_LENGTH = re.compile(r"\bhow long\b|\blength|\blong are\b|\bshort are\b|长度|多长|字数|长短", re.I)
_FIELDS = re.compile(r"\bfields?\b|\bcolumns?\b|\bkeys\b|\bschema\b|字段|列名|哪些列", re.I)
# the data's quality: one pattern per share the data profile measures (tools.data_profile.Shares), and the
# general words; ASCII words are bounded by non-letters, as Chinese characters count as word characters
_ISSUES = {
    "exact_duplicate": re.compile(r"\bdup(e|es|licates?|licated|lication)?\b|\brepeat(ed|s|ing)?\b|\bidentical\b|"
                                  r"\bsame text|重复|一模一样|完全相同", re.I),
    "html": re.compile(r"(?<![a-z])html(?![a-z])|\btags?\b|\bmarkup\b|标签", re.I),
    "email": re.compile(r"(?<![a-z])e-?mails?(?![a-z])|\bmail addresses\b|邮箱|邮件地址|电子邮件|电邮", re.I),
    "link": re.compile(r"(?<![a-z])(urls?|links?|hyperlinks?)(?![a-z])|\bweb addresses\b|网址|链接|网站地址", re.I),
    "ip": re.compile(r"(?<![a-z])ips?(?![a-z])", re.I),
    "near_empty": re.compile(r"\b(near(ly)?[- ]?)?empty\b|\bblank\b|空(?![格间调气])", re.I),
    "very_long": re.compile(r"\b(very|too|extremely|overly|super|really|abnormally|excessively)[- ]long\b|超长|过长|特别长|"
                            r"非常长|太长", re.I),
    "garbled": re.compile(r"\bgarbled\b|\bmojibake\b|\bcorrupt(ed)?\b|乱码", re.I),
    "special_chars": re.compile(r"\bspecial char\w*|\bsymbols\b|特殊字符|符号", re.I),
    "latex": re.compile(r"(?<![a-z])latex(?![a-z])", re.I),
    "copyright": re.compile(r"\bcopyright\w*|版权", re.I),
}
_QUALITY = re.compile(r"\bquality\b|\bhow clean\b|\bdirty\b|\bnois(y|e)\b|\bmessy\b|\bjunk\b|\bgarbage\b|"
                      r"质量|脏|噪声|噪音|杂乱", re.I)
_SHOW = re.compile(r"\b(show|list|give|display|print|see|examples?|samples? (that|which)|some|which (samples|texts|rows|ones))\b|显示|列出|看看|给我|例子|示例", re.I)
_WHY = re.compile(r"\bwhy\b|为什么|为何|原因", re.I)
_OP_ASK = re.compile(r"\bwhat (does|do|is|are)\b|\bexplain\b|\bdescribe\b|\btell me about\b|\bhow does\b|"
                     r"\bwhat'?s\b|是什么|做什么|干什么|有什么用|什么是|作用|介绍", re.I)
_SAMPLE_NO = re.compile(r"\b(?:sample|row|line|record|example|item|document|text)\s*(?:no\.?|number|#)?\s*(\d+)\b|"
                        r"第\s*(\d+)\s*[条个行]|样本\s*#?\s*(\d+)|#(\d+)", re.I)
_N = re.compile(r"(?<![\d.])(\d+)(?![\d.])|([一两二三四五六七八九十])\s*[条个]")
_OP_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_OP_HEAD = re.compile(r"\b(filter|mapper|deduplicator|dedup|deduper|selector|grouper|aggregator|operator|op|step)s?\b", re.I)
_STOP = {"the", "a", "an", "this", "that", "by", "of", "did", "does", "do", "samples", "sample", "which", "what",
         "me", "my", "your", "were", "was", "is", "are", "removed", "dropped", "how", "many", "show", "from", "in",
         "with", "to", "for", "and", "or", "each", "every", "why", "some", "first", "last", "texts", "text"}
_SPELLED = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10}

OpSearch = Callable[[str], list[tuple[str, float]]]


def language(text: str) -> Literal["en", "zh"]:
    return "zh" if _CJK.search(text) else "en"


def _catalog_search(text: str) -> list[tuple[str, float]]:
    from tools.catalog import get_catalog

    cat = get_catalog()
    return [(h.name, h.score) for h in cat.search(text, k=10, kinds=("operator",))]


def _op_names() -> set[str]:
    from tools.catalog import get_catalog

    return get_catalog().names()


def _recipe_ops(state: Mapping[str, Any] | None) -> list[str]:
    recipe = (state or {}).get("recipe") or {}
    return [next(iter(s)) if isinstance(s, dict) else str(s) for s in recipe.get("process") or []]


def mentioned_operator(text: str, state: Mapping[str, Any] | None = None, search: OpSearch | None = None,
                       names: set[str] | None = None) -> str | None:
    """The operator a line names: a registered name written out, else a phrase ending in filter / mapper /
    deduplicator / step ... looked up in the catalog (preferring the current recipe's operators)."""
    names = names if names is not None else _op_names()
    for token in _OP_NAME.findall(text.lower()):
        if token in names:
            return token
    in_recipe = _recipe_ops(state)
    for m in _OP_HEAD.finditer(text):
        before = re.findall(r"[A-Za-z][\w-]*", text[: m.start()])[-3:]
        words: list[str] = []
        for w in reversed(before):
            if w.lower() in _STOP:
                break
            words.insert(0, w.lower())
        if not words:
            if len(in_recipe) == 1 and m.group(1).lower() in ("filter", "step", "op", "operator"):
                return in_recipe[0]  # "the filter" when the plan has one step
            continue
        phrase = words + [m.group(1).lower()]
        hits = (search or _catalog_search)(" ".join(phrase))
        for name, _score in hits:
            if name in in_recipe:
                return name
        named = [name for name, _ in hits if _names_words(name, phrase)]
        if named:  # a name made of the phrase's words, the fewest others first ("length filter" -> text_length_filter)
            return min(named, key=lambda n: len(n.split("_")))
        if hits and hits[0][1] >= 0.3:
            return hits[0][0]
    return None


def _names_words(name: str, words: list[str]) -> bool:
    """Every word of the phrase is (a prefix of) a part of the operator's name ('dedup' ~ 'deduplicator')."""
    parts = name.split("_")
    return all(any(p.startswith(w) or (w.startswith(p) and len(p) >= 4) for p in parts)
               for w in words if w not in ("step", "op", "operator"))


def _is_question(text: str) -> bool:
    """A question, not a request: "can you also drop emails?" asks for a change; "can you show me ..."
    and "how many ..." ask for an answer."""
    if _REQUEST.search(text):
        return bool(_ASKS_TO_SHOW.search(_REQUEST.sub("", text)))
    if _ASK_EN.search(text) or _ASK_ZH.search(text):
        return True
    return bool(_MARK.search(text)) and not (_CHANGE_EN.search(text) or _CHANGE_ZH.search(text)
                                             or _ACTION.search(text))


def _number(text: str) -> int | None:
    m = _N.search(_SAMPLE_NO.sub(" ", text))
    if m:
        return int(m.group(1)) if m.group(1) else _NUMS_ZH[m.group(2)]
    for word, n in _SPELLED.items():
        if re.search(rf"\b{word}\b", text, re.I):
            return n
    return None


def parse_turn(text: str, state: Mapping[str, Any] | None = None, search: OpSearch | None = None,
               names: set[str] | None = None) -> Turn:
    """The kind of the line and what answering it needs. `state`: the session's values (recipe, runs,
    pending)."""
    text = text.strip()
    lang = language(text)
    state = state or {}
    if text.startswith("/"):
        return Turn(kind=TurnKind.COMMAND, text=text, lang=lang)
    has_plan = bool(_recipe_ops(state))
    has_run = bool(state.get("runs"))
    asks_change = has_plan and bool(_CHANGE_EN.search(text) or _CHANGE_ZH.search(text) or _REQUEST.search(text))
    # a question that also names a change is still a question when it asks about the data; one naming a
    # quality issue next to an action ("does it also remove the HTML tags?") is about the plan
    topic = _data_topic(text)
    asks_data = bool(topic) and not (topic == "quality" and _ACTION.search(text))
    if _is_question(text) and not (asks_change and not (_RESULT.search(text) or asks_data
                                                        or _OP_ASK.search(text) or _WHY.search(text))):
        sample_m = _SAMPLE_NO.search(text)
        sample = next((int(g) for g in sample_m.groups() if g), None) if sample_m else None
        result_cue = bool(_RESULT.search(text)) or (sample is not None and bool(_WHY.search(text)))
        op = mentioned_operator(text, state, search, names)
        why_step = None
        if not op and not result_cue and has_plan and _WHY.search(text):
            # '为什么要去重？', 'why dedupe at all?': a why-question about a step of the plan, named in any words
            in_recipe = _recipe_ops(state)
            why_step = next((n for n, _ in (search or _catalog_search)(text) if n in in_recipe), None)
            op = why_step
        if result_cue:
            if sample is not None and (_WHY.search(text) or not _COUNT.search(text)):
                topic = "why_dropped"
            elif _COUNT.search(text):
                topic = "removed_count"
            elif _SHOW.search(text):
                topic = "removed_samples"
            else:
                topic = "run_summary"
            return Turn(kind=TurnKind.RESULT_QUESTION, text=text, lang=lang, topic=topic, op=op, sample=sample,
                        n=_number(text) if topic == "removed_samples" else None)
        if op and (_OP_ASK.search(text) or not topic or why_step):
            return Turn(kind=TurnKind.OPERATOR_QUESTION, text=text, lang=lang, topic="op_info", op=op)
        return Turn(kind=TurnKind.DATA_QUESTION, text=text, lang=lang, topic=topic or "overview")
    if has_plan and not _NEW_GOAL.search(text):
        if state.get("pending") or asks_change \
                or (mentioned_operator(text, state, search, names) in _recipe_ops(state)):
            return Turn(kind=TurnKind.PLAN_CHANGE, text=text, lang=lang)
    return Turn(kind=TurnKind.GOAL, text=_NEW_GOAL.sub("", text).lstrip(" :,.：，") or text, lang=lang)


def _data_topic(text: str) -> str | None:
    if _LANG.search(text):
        return "languages"
    if _LENGTH.search(text):
        return "lengths"
    if _FIELDS.search(text):
        return "fields"
    if _QUALITY.search(text) or quality_issues(text):
        return "quality"
    if _COUNT.search(text):
        return "count"
    return None


def quality_issues(text: str) -> list[str]:
    """The data-quality issues a line names (share names of tools.data_profile.Shares), in the order named:
    "any duplicates or emails?" -> ["exact_duplicate", "email"]."""
    found = sorted((m.start(), name) for name, rx in _ISSUES.items() if (m := rx.search(text)))
    return [name for _, name in found]


def classify_turn(text: str, state: Mapping[str, Any] | None = None) -> TurnKind:
    """The built-in classifier: goal, plan_change, data/result/operator question or command."""
    return parse_turn(text, state).kind
