"""The built-in planner (no LLM): a goal in plain words -> a Data-Juicer recipe with justified steps.

It splits the goal into clauses, finds the operators each clause names (phrase rules, then the catalog's
retriever for clauses no rule covers), gives each number to the operator it bounds, and orders the steps
as Data-Juicer recipes do: mappers, filters, deduplicators, selectors. Only stated arguments are written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from agent.planner import binders as B
from agent.planner.goal_parser import (POLARITY_RE, Quantity, clause_polarity, find_fields, find_languages,
                                       find_quantities, prepare, split_clauses)
from agent.planner.rules import CATEGORY_ORDER, FIELD_OPS, RULES, RULES_BY_OP, OpRule

PLANNER_NAME = "built-in planner (rules + operator catalog, no LLM)"

UNIT_DEFAULT_OP = {"char": "text_length_filter", "word": "words_num_filter", "token": "token_num_filter",
                   "byte": "image_size_filter", "px": "image_shape_filter", "sec": "video_duration_filter",
                   "face": "image_face_count_filter"}
OP_CATEGORY = {**{r.op: r.category for r in RULES},
               "specified_numeric_field_filter": "filter", "specified_field_filter": "filter",
               "topk_specified_field_selector": "selector", "range_specified_field_selector": "selector",
               "frequency_specified_field_selector": "selector", "tags_specified_field_selector": "selector"}
WEAK_OPS = ("text_length_filter",)
THEM_RE = re.compile(r"^\W*(?:(?:so|and|then|please|just|we)\s+)*(?:(?P<drop>drop|remove|discard|delete|exclude|filter|toss|ditch|"
                     r"get rid of|throw|kill|purge)\w*|(?P<keep>keep|retain)\w*)\s+(?:them|those|these|it|such \w+)"
                     r"(?:\s+(?:out|away|all|please))*\W*$", re.I)
LM_RE = re.compile(r"\s*(?:-?based\s+)?(?:lm|kenlm|n-?gram model|language model|model|perplexity|ppl)\b", re.I)
DATA_NOUN_RE = re.compile(r"\s*(?:-?language\s+)?(?:texts?|docs?|documents?|samples?|data|content|pages?|articles?|corpus|"
                          r"corpora|posts?|entries|records|examples?|ones|rows|writing|only)\b", re.I)
TEXT_NOUN_RE = re.compile(r"\b(?:texts?|docs?|documents?|pages?|articles?|captions?|sentences?|paragraphs?|"
                          r"exact|near|fuzzy|minhash|simhash|jaccard)\b", re.I)
LANG_OPS = ("stopwords_filter", "flagged_words_filter", "perplexity_filter", "sentence_split_mapper")
ACTION_RE = re.compile(r"\b(?:remove|drop|delete|discard|strip|clean|filter|keep|fix|normali[sz]e|convert|split|"
                       r"exclude|get rid of|replace|expand|blur|dedup\w*|select|sample|chunk|mask|anonymi[sz]e)\b", re.I)


# 'keep at least 55% of the data': a share of the whole data set (a target), not an op's threshold
SHARE_OF_DATA_RE = re.compile(r"(?:%|\bpercent)\s*of\s+(?:the\s+|my\s+|our\s+|all\s+|this\s+|these\s+)?"
                              r"(?:data\s*set|data|corpus|samples?|examples?|records?|rows?|documents?|"
                              r"docs?|texts?)\b", re.I)


@dataclass
class Step:
    op: str
    args: dict[str, Any]
    pos: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class Mention:
    rule: OpRule
    start: int
    end: int
    qs: list[Quantity] = field(default_factory=list)


@dataclass
class PlanOutput:
    recipe: dict
    justifications: list[str]
    planner: str = PLANNER_NAME
    notes: list[str] = field(default_factory=list)


def _ident_rule(op: str) -> OpRule:
    return RULES_BY_OP.get(op) or OpRule(op, OP_CATEGORY.get(op, "filter"))


def _find_mentions(text: str, goal: str) -> list[Mention]:
    found: dict[str, Mention] = {}
    for rule in RULES:
        if rule._re is None:
            continue
        m = rule._re.search(text)
        if not m:
            continue
        if rule._guard and rule._guard.search(text):
            continue
        if rule._needs and not (rule._needs.search(text) or rule._needs.search(goal)):
            continue
        found[rule.op] = Mention(rule, m.start(), m.end())
    for m in list(found.values()):
        for s in m.rule.suppresses:
            found.pop(s, None)
    return sorted(found.values(), key=lambda m: m.start)


def _distance(q: Quantity, m: Mention) -> int:
    if q.end <= m.start:
        return m.start - q.end
    if m.end <= q.start:
        return q.start - m.end + 1
    return 0


_CMP = r"[\w.]+\s*(?:[<>]=?|==|!=)\s*(?:[\w.+-]+|'[^']*'|\"[^\"]*\")(?:\s*(?:[<>]=?)\s*[\w.+-]+)?"
_COND_RE = re.compile(rf"\b(?:conditions?|expressions?|general[_ ]field[_ ]filter|filter[_ ]condition)\b\s*(?:(?:is|of|with|where|that|being|=)\s+)?:?\s*"
                      rf"(?P<q>[\"'`]?)(?P<expr>{_CMP}(?:\s+(?:and|or)\s+{_CMP})*)(?P<q2>(?P=q))", re.I)


class BuiltinPlanner:
    """Rules first, the catalog's retriever for what the rules miss."""

    name = PLANNER_NAME

    def __init__(self, search: Callable[[str], list[tuple[str, float]]] | None = None,
                 known_ops: set[str] | None = None) -> None:
        self.search = search
        self.known_ops = known_ops

    def plan(self, goal: str) -> PlanOutput:
        g = prepare(goal)
        steps: dict[str, Step] = {}
        notes: list[str] = []
        polarity = "keep"
        last: Mention | None = None
        g = self._condition(g, steps)
        clauses = split_clauses(g)
        self._pending: list[Quantity] = []
        self._open_field: str | None = None
        for i, (off, text) in enumerate(clauses):
            # 'texts under 30 words are useless, drop them': the verb comes in the next clause
            them = THEM_RE.match(clauses[i + 1][1]) if i + 1 < len(clauses) else None
            if them and not POLARITY_RE.search(text):
                polarity = "drop" if them.group("drop") else "keep"
            polarity, last = self._clause(g, off, text, steps, polarity, last, notes)
        # 'too short (under 5 words)': the vague length step yields to the word/token count step
        if "text_length_filter" in steps and not steps["text_length_filter"].args and \
                any(steps.get(o) and steps[o].args for o in ("words_num_filter", "token_num_filter")):
            del steps["text_length_filter"]
        ordered = sorted(steps.values(), key=lambda s: (CATEGORY_ORDER.get(OP_CATEGORY.get(s.op.split("#")[0], "filter"), 1), s.pos))
        process = [{s.op.split("#")[0]: s.args} for s in ordered]
        just = [f"{s.op.split('#')[0]}: " + "; ".join(dict.fromkeys(s.reasons)) for s in ordered]
        return PlanOutput({"process": process}, just, notes=notes)

    @staticmethod
    def _condition(g: str, steps: dict[str, Step]) -> str:
        """'keep samples matching the condition: meta.age > 18 and text_len < 500' -> general_field_filter;
        the expression is blanked out so that its numbers bind to nothing else."""
        m = _COND_RE.search(g)
        if not m:
            return g
        expr = m.group("expr").strip()
        steps["general_field_filter"] = Step("general_field_filter", {"filter_condition": expr}, m.start(),
                                             [f"the stated condition {expr!r}"])
        return g[:m.start("q")] + " " * (m.end("q2") - m.start("q")) + g[m.end("q2"):]

    # -- one clause ------------------------------------------------------------------------------
    def _clause(self, goal: str, off: int, text: str, steps: dict[str, Step], pol_in: str,
                last: Mention | None, notes: list[str]) -> tuple[str, Mention | None]:
        fields = find_fields(text)
        masked = text
        for _, fs, fe in fields:
            masked = masked[:fs] + " " * (fe - fs) + masked[fe:]
        mentions = _find_mentions(masked, goal)
        # '... images ..., and remove the duplicates among them': duplicates of the images named before
        if last is not None and last.rule.op.startswith("image_") and not TEXT_NOUN_RE.search(text):
            mentions = [Mention(RULES_BY_OP["image_deduplicator"], m.start, m.end)
                        if m.rule.op == "document_deduplicator" else m for m in mentions]
        qs = find_quantities(text)
        pol_here = clause_polarity(text, pol_in)
        # 'scores are in meta.q. Keep everything scoring 0.4 or higher': a field named earlier, with no
        # condition there, takes the bounded numbers of a later clause that names nothing else
        if not fields and not mentions and self._open_field and not find_languages(masked) and \
                any(q.bound != "none" and q.unit in (None, "pct") for q in qs):
            fields = [(self._open_field, 0, 0)]
        self._open_field = None
        # dotted field names: field filters and selectors take the clause's numbers
        if fields:
            qs = self._field_ops(goal, off, text, fields, qs, steps, pol_in)
        # languages: a language-id filter unless the language belongs to a stopwords-like op
        langs = find_languages(masked)
        lang_for_op: dict[str, list[str]] = {}
        for i, (code, s, e) in enumerate(langs):
            tail = masked[_list_end(langs, i, masked):]
            if LM_RE.match(tail):  # 'English LM', 'a Chinese language model': the perplexity model's language
                ppl = next((m for m in mentions if m.rule.op == "perplexity_filter"), None)
                if ppl is not None:
                    lang_for_op.setdefault("perplexity_filter", []).append(code)
                    continue
                if "perplexity_filter" in steps:
                    steps["perplexity_filter"].args["lang"] = code
                    continue
            if not mentions and last is not None and last.rule.op in LANG_OPS and last.rule.op in steps \
                    and goal[:off].rstrip().endswith("(") and not DATA_NOUN_RE.match(tail):
                steps[last.rule.op].args["lang"] = code  # 'split into sentences (English)'
                continue
            near = [m for m in mentions if m.rule.op in LANG_OPS]
            if near and DATA_NOUN_RE.match(tail) and not any(
                    m.start >= e and m.start - e < 3 for m in near):  # 'keep Russian text with stopwords ...'
                near = []
            if near:
                lang_for_op.setdefault(near[0].rule.op, []).append(code)
                continue
            if any(m.rule.op in ("chinese_convert_mapper", "remove_non_chinese_character_mapper") for m in mentions):
                continue
            if re.search(r"(?:traditional|simplified)\s*$", text[:s], re.I):
                continue
            lid = next((m for m in mentions if m.rule.op == "language_id_score_filter"), None)
            if lid is None:
                lid = Mention(RULES_BY_OP["language_id_score_filter"], s, e)
                mentions.append(lid)
            lang_for_op.setdefault("language_id_score_filter", []).append(code)
        # give each number to the nearest operator that takes its unit
        for q in qs:
            cands = [m for m in mentions if q.unit in m.rule.units]
            if not cands and q.unit in UNIT_DEFAULT_OP:
                op = UNIT_DEFAULT_OP[q.unit]
                if q.unit in ("byte", "px") and re.search(r"\bvideos?\b", goal, re.I):
                    op = {"byte": "image_size_filter", "px": "video_resolution_filter"}[q.unit]
                if q.unit == "sec" and re.search(r"\baudio\b", text, re.I):
                    op = "audio_duration_filter"
                m = next((m for m in mentions if m.rule.op == op), None)
                if m is None:
                    m = Mention(_ident_rule(op), q.start, q.end)
                    mentions.append(m)
                cands = [m]
            if not cands and not mentions and last is not None and q.unit in last.rule.units \
                    and not (q.unit == "pct" and SHARE_OF_DATA_RE.search(text)):
                # ('..., threshold 0.8' continues the last op; 'keep 55% of the data' is a target)
                last = Mention(last.rule, 0, 0)
                mentions.append(last)
                cands = [last]
            if not cands:
                continue
            best = min(cands, key=lambda m: _distance(q, m))
            best.qs.append(q)
        if not mentions and not fields:
            # 'keep 40% of the data, chosen randomly': numbers wait for the next clause's operator
            self._pending = [q for q in qs if q.unit in (None, "pct")]
            self._fallback(goal, off, text, steps, notes)
        elif any(m.rule.op == "random_selector" and not m.qs for m in mentions) and self._pending:
            next(m for m in mentions if m.rule.op == "random_selector").qs.extend(self._pending)
            self._pending = []
        else:
            self._pending = []
        # a vague length word ('shorter than') yields to the operator that took the numbers
        if any(m.qs for m in mentions):
            mentions = [m for m in mentions if m.qs or m.rule.op not in WEAK_OPS]
        for m in mentions:
            args = self._bind(m, goal, text, pol_in, lang_for_op.get(m.rule.op, []))
            if args is None:
                continue
            key = m.rule.op
            step = steps.get(key)
            if step is None:
                step = steps[key] = Step(m.rule.op, {}, off + m.start)
            if "lang" in args and "lang" in step.args and args["lang"] != step.args["lang"]:
                langs = [*_as_list(step.args["lang"]), *_as_list(args["lang"])]
                args["lang"] = list(dict.fromkeys(langs))
            step.args.update(args)
            step.reasons.append(f"asked for in {text.strip()!r}")
        if mentions:
            last = max(mentions, key=lambda m: m.start)
        return pol_here, last

    def _bind(self, m: Mention, goal: str, text: str, pol: str, langs: list[str]) -> dict | None:
        r, op, qs = m.rule, m.rule.op, m.qs
        if op == "replace_content_mapper":
            return B.replace_content_args(text, goal)
        if op in ("clean_email_mapper", "clean_links_mapper", "clean_ip_mapper"):
            return B.repl_arg(text, goal)
        if op == "chinese_convert_mapper":
            return B.chinese_mode(text, goal)
        if op == "fix_unicode_mapper":
            n = re.search(r"\bNF(K?[CD])\b", goal, re.I)
            return {"normalization": "NF" + n.group(1).upper()} if n else {}
        if op == "remove_specific_chars_mapper":
            q = re.search(r"(?:characters|chars|symbols)\s*(?:like|such as|:)?\s*[\"'`]([^\"'`]+)[\"'`]", goal)
            if q:
                return {"chars_to_remove": q.group(1)}
            chars = "".join(dict.fromkeys(c for c in goal if not c.isalnum() and not c.isspace() and ord(c) > 127
                                          and c not in "’“”‘…—–"))
            return {"chars_to_remove": chars} if chars else {}
        if op == "text_chunk_mapper":
            return B.chunk_args(text, goal, qs)
        if op == "document_deduplicator":
            return B.dedup_doc_args(text, goal)
        if op == "document_minhash_deduplicator":
            return B.minhash_args(text, goal, qs)
        if op == "document_simhash_deduplicator":
            return B.simhash_args(text, goal, qs)
        if op == "image_deduplicator":
            return B.image_dedup_args(text, goal)
        if op == "random_selector":
            for q in qs:
                if q.unit == "pct" or (q.value < 1 and q.unit is None):
                    return {"select_ratio": q.value}
                return {"select_num": int(q.value)}
            return {}
        if op in ("image_shape_filter", "video_resolution_filter"):
            return B.shape_args(r, text, qs, pol)
        if op == "suffix_filter":
            sfx = re.findall(r"(?<![\w.])(\.[A-Za-z0-9]{1,8})\b", goal)
            sfx += ["." + w.lower() for w in re.findall(r"\b(txt|md|jsonl?|py|html?|pdf|csv|tex|xml|yaml|yml|parquet)\b"
                                                         r"(?= (?:and|or|,|files?|documents?))", goal, re.I)]
            sfx = list(dict.fromkeys(sfx))
            return {"suffixes": sfx} if sfx else {}
        if op == "remove_words_with_incorrect_substrings_mapper":
            sm = re.search(r"\b(?:contains?|containing|including|having|with)\s+(?:the\s+)?(?:substrings?\s+)?(.*)$", text, re.I)
            vals = [str(v) for v in B.field_values(sm.group(1))] if sm else []
            return {"substrings": vals} if vals else {}
        if op == "image_face_count_filter" and not qs and (nf := re.search(r"\b(?:no|without|zero) (?:\w+ )?faces?\b", text, re.I)):
            # 'remove images that have no faces' = at least one face; 'keep images without faces' = none
            return {"min_face_count": 1} if B.polarity_at(text, nf.start(), pol) == "drop" else {"max_face_count": 0}
        if op == "image_watermark_filter":
            return {"prob_threshold": qs[0].value} if qs else {}
        if op in ("character_repetition_filter", "word_repetition_filter"):
            args, rest = B.rep_len_arg(text, qs)
            args.update(B.bind_min_max(r, text, [q for q in rest if q.unit != "char"], pol))
            return args
        args: dict[str, Any] = {}
        if op == "language_id_score_filter" or (r.lang_arg and langs):
            if langs:
                uniq = list(dict.fromkeys(langs))
                args["lang"] = uniq[0] if len(uniq) == 1 else uniq
        if op == "sentence_split_mapper":
            return args
        if r.min_arg or r.max_arg:
            args.update(B.bind_min_max(r, text, qs, pol))
        return args

    # -- fields ----------------------------------------------------------------------------------
    def _field_ops(self, goal: str, off: int, text: str, fields: list, qs: list[Quantity],
                   steps: dict[str, Step], pol: str) -> list[Quantity]:
        low = text.lower()
        name, fs, fe = fields[0]
        used: list[Quantity] = []
        args: dict[str, Any] = {"field_key": name}
        rest_text = goal[off + fe:]
        if re.search(r"percentile", low):
            op = "range_specified_field_selector"
            pm = re.search(r"(\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?: percentile)?\s*(?:and|to|-)\s*(?:the )?(\d+(?:\.\d+)?)"
                           r"(?:st|nd|rd|th)? percentile", low)
            if pm:
                args["lower_percentile"] = B._clean(float(pm.group(1)) / 100)
                args["upper_percentile"] = B._clean(float(pm.group(2)) / 100)
            else:
                for q in [q for q in find_quantities(re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text))]:
                    b = B.effective_bound(q, B.polarity_at(text, q.start, pol))
                    args["lower_percentile" if b == "lower" else "upper_percentile"] = B._clean(q.value / 100)
            used = qs
        elif re.search(r"\branks?\b|\branked\b", low):
            op = "range_specified_field_selector"
            for q in qs:
                if q.bound == "range":
                    args["lower_rank"], args["upper_rank"] = int(q.value), int(q.hi)
                else:
                    b = B.effective_bound(q, B.polarity_at(text, q.start, pol))
                    args["lower_rank" if b == "lower" else "upper_rank"] = int(q.value)
            used = qs
        elif re.search(r"most (?:frequent|common|popular)|frequen", low):
            op = "frequency_specified_field_selector"
            used = self._topk(args, qs)
        elif re.search(r"\btop\b|\bhighest\b|\bbest\b|\blargest\b|\bbiggest\b|\blowest\b|\bbottom\b|\bsmallest\b|"
                       r"\bworst\b|(?<!at )\bleast\b|\bhighest-scoring\b|(?<!at )\bmost\b", low) and qs:
            op = "topk_specified_field_selector"
            used = self._topk(args, qs)
            bottom = bool(re.search(r"\blowest\b|\bbottom\b|\bsmallest\b|\bworst\b|(?<!at )\bleast\b", low))
            if used and B.polarity_at(text, used[0].start, pol) == "drop" and "top_ratio" in args:
                args["top_ratio"] = B._clean(round(1 - args["top_ratio"], 6))  # drop the bottom 10% = keep the top 90%
                bottom = not bottom
            if bottom:
                args["reverse"] = False
        elif re.search(r"\btags?\b|\btagged\b", low):
            op = "tags_specified_field_selector"
            vals = B.field_values(re.split(r"\btags?\b|\btagged\b", rest_text, maxsplit=1)[-1])
            if not vals:  # 'samples tagged news or sports in meta.tags': the values come before the field
                tm = re.search(r"\b(?:tagged(?: as| with)?|tags?)\s+(.*?)\s*(?:\b(?:in|of|from|under)\s+)?$",
                               goal[off:off + fs], re.I)
                vals = B.field_values(tm.group(1)) if tm else []
            if vals:
                args["target_tags"] = [str(v) for v in vals]
        elif [q for q in qs if q.bound != "none"]:
            op = "specified_numeric_field_filter"
            num = [q for q in qs if q.bound != "none"]
            args.update(B.bind_min_max(OpRule(op, "filter", min_arg="min_value", max_arg="max_value"),
                                       text, num, pol))
            used = num
        else:
            vals = B.field_values(rest_text)
            if not vals:
                self._open_field = name if not qs and fs != fe else None
                return qs
            op = "specified_field_filter"
            args["target_value"] = vals
            used = [q for q in qs if q.start >= fe]
        key = f"{op}#{name}"
        step = steps.setdefault(key, Step(key, {}, off + fs))
        step.args.update(args)
        step.reasons.append(f"asked for in {text.strip()!r}")
        return [q for q in qs if q not in used]

    @staticmethod
    def _topk(args: dict, qs: list[Quantity]) -> list[Quantity]:
        for q in qs:
            if q.unit == "pct":
                args["top_ratio"] = q.value
            else:
                args["topk"] = int(q.value)
            return [q]
        return []

    # -- clauses no rule covers --------------------------------------------------------------------
    def _fallback(self, goal: str, off: int, text: str, steps: dict[str, Step], notes: list[str]) -> None:
        if self.search is None or not ACTION_RE.search(text) or len(text.split()) < 2:
            return
        hits = self.search(text)
        if not hits:
            return
        op, score = hits[0]
        second = hits[1][1] if len(hits) > 1 else 0.0
        if score < 0.55 or score - second < 0.08 or op in steps:
            notes.append(f"no operator found for {text.strip()!r}")
            return
        if self.known_ops is not None and op not in self.known_ops:
            return
        OP_CATEGORY.setdefault(op, _category_of(op))
        steps[op] = Step(op, {}, off, [f"retrieved from the catalog for {text.strip()!r}"])


def _list_end(langs: list[tuple[str, int, int]], i: int, text: str) -> int:
    """End of the language list that starts at langs[i] ('English, French or German')."""
    end = langs[i][2]
    for _, s, e in langs[i + 1:]:
        if not re.fullmatch(r"\s*(?:,|/|&|\+|\band\b|\bor\b|,\s*(?:and|or))?\s*", text[end:s]):
            break
        end = e
    return end


def _as_list(v: Any) -> list:
    return list(v) if isinstance(v, list) else [v]


def _category_of(op: str) -> str:
    for cat in ("mapper", "filter", "deduplicator", "selector", "grouper", "aggregator"):
        if op.endswith(cat):
            return cat
    return "filter"
