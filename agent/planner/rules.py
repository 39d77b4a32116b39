"""Phrase rules of the built-in planner: which words name which operator, which numbers it takes.

Each `OpRule` says how an operator is named in plain words (`pats`), which quantities it accepts (by
unit), and which arguments a lower / upper bound fills. Special arguments (languages, fields, hash
methods, replacement strings) are read by small binder functions in `binders.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

CATEGORY_ORDER = {"mapper": 0, "filter": 1, "deduplicator": 2, "selector": 3, "grouper": 4}

IMG = r"(?:images?|pictures?|photos?|pics?|imgs?|visuals?|thumbnails?)"


@dataclass
class OpRule:
    op: str
    category: str
    pats: tuple[str, ...] = ()
    units: frozenset = frozenset({None})
    min_arg: str | None = None
    max_arg: str | None = None
    kind: str = "float"  # int | float | size
    guard: str | None = None  # a clause matching this does not name the op
    needs: str | None = None  # the clause (or goal) must also match this
    suppresses: tuple[str, ...] = ()
    binder: Callable | None = None
    lang_arg: bool = False

    def __post_init__(self) -> None:
        # the operator's own name ('text_length_filter', 'clean_email') always names it
        stem = self.op.rsplit("_", 1)[0] if self.op.endswith("_" + self.category) else self.op
        names = rf"{re.escape(stem)}(?:_{self.category})?" if "_" in stem else re.escape(self.op)
        pats = self.pats + (rf"(?<![\w.]){names}(?![\w.])",)
        self._re = re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None
        self._guard = re.compile(self.guard, re.I) if self.guard else None
        self._needs = re.compile(self.needs, re.I) if self.needs else None


def U(*units: str | None) -> frozenset:
    return frozenset(units)


RATIO = U(None, "pct")
CHARS = U(None, "char")

RULES: list[OpRule] = [
    # ---- mappers -------------------------------------------------------------------------------
    OpRule("clean_email_mapper", "mapper", (r"\be-?mails?\b", r"\bmail addresses\b", r"\bemail addr\w*"),
           guard=r"mail(ing)? list"),
    OpRule("clean_links_mapper", "mapper", (r"\burls?\b", r"\b(?:hyper)?links?\b", r"\bweb ?addresses\b",
                                            r"\bhttps?\b", r"\bweb links\b", r"\bwebsites? addresses\b")),
    OpRule("clean_ip_mapper", "mapper", (r"\bip(?:v4|v6)?(?: address(?:es)?)?\b", r"\bips\b")),
    OpRule("clean_html_mapper", "mapper", (r"\bhtml\b", r"\bmarkup\b", r"\bxml tags\b", r"\bweb page boilerplate\b")),
    OpRule("clean_copyright_mapper", "mapper", (r"\bcopyright", r"\blicen[cs]e (?:headers?|notices?|comments?|blocks?)")),
    OpRule("whitespace_normalization_mapper", "mapper", (r"\bwhite[- ]?spaces?\b", r"\bspacing\b",
                                                         r"\bweird spaces\b")),
    OpRule("punctuation_normalization_mapper", "mapper", (r"\bpunctuations?\b", r"full[- ]width"),
           guard=r"ignor\w*\s+(?:\w+\s+){0,2}punctuation|punctuation[- ]insensitive"),
    OpRule("fix_unicode_mapper", "mapper", (r"\bunicode\b", r"\bmojibake\b", r"\bencoding (?:errors?|issues?|problems?)",
                                            r"\bgarbled\b", r"\bbroken (?:characters|encoding|text encoding)",
                                            r"\bftfy\b")),
    OpRule("chinese_convert_mapper", "mapper", (r"\btraditional\b", r"\bsimplified\b", r"\bt2s\b", r"\bs2t\b"),
           needs=r"chinese|convert|traditional|simplified|t2s|s2t"),
    OpRule("remove_non_chinese_character_mapper", "mapper",
           (r"\bnon[- ]?chinese\b", r"\b(?:only|just) (?:the )?chinese (?:characters|chars|hanzi|letters)\b",
            r"\bchinese (?:characters|chars|hanzi) only\b", r"\b(?:everything|anything|all|characters?) (?:that is |that's |which is )?not chinese\b")),
    OpRule("remove_specific_chars_mapper", "mapper",
           (r"[◆●■►▼▲▴∆▻▷❖♡□★☆♦♣♠♥•]", r"\b(?:specific|certain|these|the following) (?:characters|chars|symbols)\b",
            r"\b(?:characters|chars|symbols) (?:like|such as)\b"),
           suppresses=("special_characters_filter",)),
    OpRule("remove_long_words_mapper", "mapper",
           (r"\b(?:long|lengthy|overlong|very long) words\b", r"\bwords (?:that are |which are )?longer than\b",
            r"\bwords (?:that are |which are )?(?:shorter|fewer) than \d+ (?:characters |chars |letters )?(?:or|and) longer than\b",
            r"\bwords (?:with|of|over|exceeding|above) (?:more than )?\d+ (?:characters|chars|letters)",
            r"\bwords (?:of|over) \d+\+? (?:characters|chars|letters)"),
           units=CHARS, min_arg="min_len", max_arg="max_len", kind="int",
           suppresses=("words_num_filter", "text_length_filter")),
    OpRule("remove_repeat_sentences_mapper", "mapper",
           (r"\b(?:repeated|duplicate|duplicated|repeating|repetitive|redundant) sentences\b",
            r"\bsentences? (?:that )?(?:repeat|are repeated)\b")),
    OpRule("remove_table_text_mapper", "mapper", (r"\btables?\b", r"\btabular\b"),
           units=U("col"), min_arg="min_col", max_arg="max_col", kind="int"),
    OpRule("remove_header_mapper", "mapper", (r"\bheaders?\b", r"\bpreamble\b"),
           guard=r"licen[cs]e header|copyright header|http header"),
    OpRule("remove_bibliography_mapper", "mapper", (r"\bbibliograph\w*", r"\breferences? (?:section|list)s?\b",
                                                    r"\bthe references\b", r"\bcitations? list")),
    OpRule("remove_comments_mapper", "mapper", (r"\bcomments?\b",), guard=r"(?:licen[cs]e|copyright) comment"),
    OpRule("expand_macro_mapper", "mapper", (r"\bmacros?\b",)),
    OpRule("sentence_split_mapper", "mapper", (r"\binto sentences\b", r"\bsentence[- ]split", r"\bone sentence per\b",
                                               r"\bsplit\w* (?:\w+ ){0,3}sentences?\b", r"\bsentence boundaries\b"),
           lang_arg=True),
    OpRule("text_chunk_mapper", "mapper", (r"\bchunks?\b", r"\bchunking\b", r"\bsplit\w* (?:\w+ ){0,3}into (?:pieces|windows|segments|passages|parts)\b",
                                           r"\bwindows? of\b"),
           units=U(None, "char"),
           guard=r"^\W*(?:(?:only|then|and|just)\s+)*(?:keep|retain|drop|remove|discard|exclude|filter|delete)\w*\s+"
                 r"(?:(?:only|the|any|all)\s+)*chunks?\b(?!\s+(?:of|into)\b)"),
    OpRule("image_face_blur_mapper", "mapper", (r"\bblur\w* (?:\w+ ){0,2}faces?\b", r"\bfaces? blur", r"\banonymi[sz]\w* (?:\w+ ){0,2}faces?\b",
                                                r"\bpixelat\w* (?:\w+ ){0,2}faces?\b"),
           suppresses=("image_face_count_filter", "image_blur_mapper")),
    OpRule("image_captioning_mapper", "mapper",
           (rf"\bcaption(?:ing)? (?:(?:the|all|every|each|our|my|these|those|new|remaining|of)\s+){{0,3}}{IMG}", rf"\b(?:generate|create|write|add|produce)\w* (?:\w+ ){{0,2}}captions?\b",
            rf"\b{IMG} caption(?:ing|er)\b", r"\bcaptioning\b", r"\bre-?caption\w*"),
           needs=IMG + r"|caption", guard=r"\bmatch\w*|\bsimilar\w*|\bscores?\b|\bclip\b|\bblip\b"),
    OpRule("image_tagging_mapper", "mapper",
           (rf"\btag\w* (?:\w+ ){{0,2}}{IMG}", rf"\b{IMG} tagging\b", rf"\b(?:add|generate)\w* (?:\w+ ){{0,2}}tags? (?:to|for) (?:\w+ ){{0,2}}{IMG}"),
           guard=r"\bvideos?\b"),
    OpRule("image_blur_mapper", "mapper", (r"\bblur\w*\b",), guard=r"\bblurr?y\b"),
    OpRule("remove_words_with_incorrect_substrings_mapper", "mapper",
           (r"\bwords (?:that )?(?:contain|containing|with) (?:the )?(?:substrings?|[\"'])",
            r"\bincorrect substrings\b", r"\bwords (?:that )?(?:contains?|containing|including|having) (?!\d)[\w.-]+ (?:or|and) "),
           suppresses=("clean_links_mapper",)),
    OpRule("replace_content_mapper", "mapper", (r"\bregex\b", r"\bregular expression\b", r"\bpattern\b"),
           guard=r"split pattern"),
    # ---- filters --------------------------------------------------------------------------------
    OpRule("alphanumeric_filter", "filter", (r"\bal(?:pha)?num(?:eric)?s?\b", r"\balpha[- ]?numerics?", r"\balnum\w*",
                                             r"\bletters and (?:digits|numbers)\b"),
           units=RATIO, min_arg="min_ratio", max_arg="max_ratio"),
    OpRule("special_characters_filter", "filter", (r"\bspecial[- ](?:characters?|chars?|symbols?)", r"\bspecial[- ]char",
                                                   r"\bnon[- ]alphanumeric symbols\b", r"\bsymbol ratio\b",
                                                   r"\b(?:digits|numbers|punctuation) (?:and|or|&) symbols\b", r"\bsymbols\b",
                                                   r"\bchar(?:acter)?s? (?:\w+ ){0,2}(?:are|is|being) special\b"),
           units=RATIO, min_arg="min_ratio", max_arg="max_ratio"),
    OpRule("character_repetition_filter", "filter",
           (r"\bchar(?:acter)?[- ]?(?:level )?(?:repetition|repeat)", r"\brepeated char(?:acter)?s?\b",
            r"\bchar(?:acter)? n-?grams?", r"\brepetitive char(?:acter)?s\b", r"\bchar rep\b",
            r"\brepeat(?:ed|ing)? (?:character|char) (?:n-?grams|sequences)"),
           units=RATIO | {"ngram", "char"}, min_arg="min_ratio", max_arg="max_ratio",
           suppresses=("text_length_filter", "word_repetition_filter")),
    OpRule("word_repetition_filter", "filter",
           (r"\bword[- ]?(?:level )?(?:repetition|repeat)", r"\brepeated words\b", r"\bword n-?grams?",
            r"\brepetitive (?:words|text|content|documents|docs|samples)\b", r"\bwords? rep\b",
            r"\brepeated (?:phrases|n-?grams)\b", r"\brepetition\b"),
           units=RATIO | {"ngram", "word"}, min_arg="min_ratio", max_arg="max_ratio",
           suppresses=("words_num_filter",)),
    OpRule("stopwords_filter", "filter", (r"\bstop[- ]?words?\b",), units=RATIO, min_arg="min_ratio",
           max_arg="max_ratio", lang_arg=True, suppresses=("words_num_filter",)),
    OpRule("flagged_words_filter", "filter",
           (r"\bflagged[- ]?words?\b", r"\btoxic\w*", r"\bprofan\w*", r"\bobscen\w*", r"\boffensive\b",
            r"\bbad words\b", r"\bswear\w*", r"\bdirty words\b", r"\bvulgar\w*", r"\bcurse words\b",
            r"\bslurs?\b", r"\bbanned words\b", r"\bblocklist(?:ed)? words\b", r"\bexplicit (?:words|language)\b"),
           units=RATIO, min_arg="min_ratio", max_arg="max_ratio", lang_arg=True,
           suppresses=("words_num_filter",)),
    OpRule("perplexity_filter", "filter", (r"\bperplexit\w*", r"\bppl\b"), units=U(None), min_arg="min_ppl",
           max_arg="max_ppl", lang_arg=True),
    OpRule("average_line_length_filter", "filter",
           (r"\b(?:average|avg|mean) (?:line[- ]length|length of (?:the |a |each )?lines?|line)\b",
            r"\blines? (?:are|is) on average\b", r"\baverage length per line\b", r"\bavg_line_length\b",
            r"\blines? averag\w*", r"\baverag\w* (?:\S+ ){0,3}(?:characters|chars) (?:per|a|each) line\b"),
           units=CHARS, min_arg="min_len", max_arg="max_len", kind="int",
           suppresses=("text_length_filter", "maximum_line_length_filter")),
    OpRule("maximum_line_length_filter", "filter",
           (r"\b(?:max(?:imum)?|longest) line(?:[- ]length)?\b", r"\blines? (?:longer|over|exceeding|above|more than)\b",
            r"\bline[- ]lengths?\b", r"\bany (?:single )?line\b",
            r"\b(?:each|every|all|no|any) (?:\w+ )?lines? (?:(?:should|must|to|may|can|are|is|be|not|need to)\s+)*(?:be\s+)?"
            r"(?:at most|under|below|no (?:longer|more) than|shorter than|up to|within|over|above|exceed\w*|more than|longer than|less than)",
            r"\blines? (?:of|with) (?:more|over) than\b", r"\blines? (?:that are |which are )?(?:too long|overly long)\b", r"\blong lines\b", r"\bmax_line_length\b"),
           units=CHARS, min_arg="min_len", max_arg="max_len", kind="int", suppresses=("text_length_filter",)),
    OpRule("token_num_filter", "filter", (r"\btokens?\b", r"\btoken count\b"), units=U(None, "token"),
           min_arg="min_num", max_arg="max_num", kind="int", guard=r"\btokeni[sz]"),
    OpRule("words_num_filter", "filter", (r"\bword[- ]?counts?\b", r"\bnumber of words\b", r"\bnum_words\b",
                                          r"\bhow many words\b"),
           units=U(None, "word"), min_arg="min_num", max_arg="max_num", kind="int"),
    OpRule("text_length_filter", "filter",
           (r"\b(?:text|document|doc|sample|content|character|char|string)s?[- ]length\b", r"\blength\b",
            r"\btoo (?:short|long)\b", r"\b(?:short|long) (?:texts?|documents?|docs?|samples?|entries|records|ones)\b",
            r"\b(?:shorter|longer) than\b", r"\bcharacters? long\b", r"\bchar(?:acter)? count\b",
            r"\bnumber of characters\b", r"\btext_len\b"),
           units=CHARS, min_arg="min_len", max_arg="max_len", kind="int",
           guard=r"\b(?:line|word|token)s? (?:length|longer|shorter)|\blength of (?:the |a |each )?(?:line|word)"),
    OpRule("suffix_filter", "filter", (r"\bsuffix\w*", r"\b(?:file )?extensions?\b",
                                       r"(?<![\w.])\.(?:txt|md|jsonl?|py|html?|pdf|csv|tex|js|java|cpp|c|go|rs|xml|yaml|yml|parquet)\b")),
    # image / video filters
    OpRule("image_nsfw_filter", "filter", (r"\bnsfw\b", r"\bporn\w*", r"\bnud(?:e|ity)\b", r"\badult (?:content|images?)",
                                           r"\bnot safe for work\b", r"\bsexual\w*", r"\bexplicit (?:images?|content|pictures?)"),
           units=RATIO, min_arg="min_score", max_arg="max_score", needs=IMG + r"|nsfw|visual|porn|nud"),
    OpRule("image_watermark_filter", "filter", (r"\bwatermark\w*",), units=RATIO, max_arg="prob_threshold",
           min_arg="prob_threshold"),
    OpRule("image_aesthetics_filter", "filter", (r"\baesthetic\w*", r"\bugly\b", r"\bbeautiful\b",
                                                 r"\bvisually (?:pleasing|appealing)", r"\bpretty\b"),
           units=RATIO, min_arg="min_score", max_arg="max_score"),
    OpRule("image_text_matching_filter", "filter",
           (r"\bblip\b", r"\bimage[- ]text match\w*", r"\btext[- ]image match\w*", r"\bmatching score\b",
            r"\b(?:captions?|texts?) (?:that )?(?:doesn't |don't |do not |does not )?match(?:es)? (?:the |their |its )?(?:images?|pictures?)",
            r"\bimages? (?:that )?(?:don't |doesn't )?match(?:es)? (?:the |their |its )?(?:captions?|texts?)"),
           units=RATIO, min_arg="min_score", max_arg="max_score", suppresses=("image_text_similarity_filter",)),
    OpRule("image_text_similarity_filter", "filter",
           (r"\bclip\b(?! ?\w*score)", r"\bclip score\b", r"\bimage[- ]text similar\w*", r"\btext[- ]image similar\w*",
            r"\bsimilarity\b", r"\bsimilar\b", r"\brelevan\w+"),
           units=RATIO, min_arg="min_score", max_arg="max_score",
           needs=r"\bclip\b|image|caption|picture|photo|pairs?\b"),
    OpRule("image_aspect_ratio_filter", "filter", (r"\baspect[- ]ratios?\b", r"\bw/h\b", r"\bwidth[- ]to[- ]height\b",
                                                   r"\bpanoram\w+|\bskinny\b"),
           units=U(None), min_arg="min_ratio", max_arg="max_ratio"),
    OpRule("image_face_ratio_filter", "filter", (r"\bface (?:ratio|area)\b", r"\bfaces? (?:\w+ ){0,2}(?:cover|covering|take up|taking up|occup\w+)",
                                                 r"\bface[- ]to[- ]image\b"),
           units=RATIO, min_arg="min_ratio", max_arg="max_ratio", suppresses=("image_face_count_filter",)),
    OpRule("image_face_count_filter", "filter", (r"\bfaces?\b", r"\bface count\b", r"\bpeople\b"),
           units=U(None, "face"), min_arg="min_face_count", max_arg="max_face_count", kind="int"),
    OpRule("image_shape_filter", "filter", (r"\bwidth\b", r"\bheight\b", r"\bwide\b", r"\btall\b", r"\bresolution\b",
                                            r"\bdimensions?\b", r"\b\d+\s*[x×]\s*\d+\b",
                                            r"\b(?:wider|taller|narrower) than\b"),
           units=U(None, "px"), kind="int", guard=r"\bvideos?\b|\bclips?\b|aspect"),
    OpRule("image_size_filter", "filter", (r"\bfile ?sizes?\b", r"\bimage sizes?\b", r"\bsize on disk\b"),
           units=U(None, "byte"), min_arg="min_size", max_arg="max_size", kind="size", guard=r"\bvideos?\b|\baudio"),
    OpRule("video_duration_filter", "filter", (r"\bvideos?\b.*\b(?:duration|long|seconds?|minutes?)\b",
                                               r"\b(?:duration|long|seconds?|minutes?)\b.*\bvideos?\b", r"\bclips?\b"),
           units=U(None, "sec"), min_arg="min_duration", max_arg="max_duration", guard=r"\bclip\b.*(?:score|similar)|resolution|width|height|aspect|\baudio\b"),
    OpRule("audio_duration_filter", "filter", (r"\baudio\b.*\b(?:duration|long|seconds?|minutes?)\b",
                                               r"\b(?:duration|long|seconds?|minutes?)\b.*\baudio\b"),
           units=U(None, "sec"), min_arg="min_duration", max_arg="max_duration"),
    OpRule("video_resolution_filter", "filter", (r"\bvideos?\b.*\b(?:resolution|width|height|wide|tall|pixels?)\b",),
           units=U(None, "px"), kind="int"),
    OpRule("video_aspect_ratio_filter", "filter", (r"\bvideos?\b.*\baspect[- ]ratio",), units=U(None),
           min_arg="min_ratio", max_arg="max_ratio", suppresses=("image_aspect_ratio_filter",)),
    OpRule("language_id_score_filter", "filter",
           (r"\blanguage (?:id|identification|score|confidence|detection|probability)\b", r"\blang[- ]?id\b",
            r"\blangid\b", r"\blang(?:uage)? score\b", r"\bfasttext\b"),
           units=RATIO, min_arg="min_score"),
    # ---- deduplicators --------------------------------------------------------------------------
    OpRule("image_deduplicator", "deduplicator",
           (rf"\b(?:duplicat\w*|dedup\w*|de-dup\w*|identical|same) (?:\w+ ){{0,2}}{IMG}",
            rf"\b{IMG} (?:\w+ ){{0,2}}(?:duplicat\w*|dedup\w*|de-dup\w*)", r"\bphash\b", r"\bdhash\b", r"\bahash\b",
            r"\bwhash\b", r"\bperceptual hash"),
           suppresses=("document_deduplicator", "document_minhash_deduplicator")),
    OpRule("video_deduplicator", "deduplicator",
           (r"\b(?:duplicat\w*|dedup\w*|de-dup\w*|identical|same) (?:\w+ ){0,2}videos?\b",
            r"\bvideos? (?:\w+ ){0,2}(?:duplicat\w*|dedup\w*|de-dup\w*)"),
           suppresses=("document_deduplicator", "document_minhash_deduplicator", "image_deduplicator")),
    OpRule("document_simhash_deduplicator", "deduplicator", (r"\bsim-?hash\b", r"\bhamming\b"),
           units=U(None), suppresses=("document_deduplicator", "document_minhash_deduplicator")),
    OpRule("document_minhash_deduplicator", "deduplicator",
           (r"\bnear[- ]?(?:duplicat\w*|dup\w*|dedup\w*|identical)", r"\bfuzzy\b", r"\bmin-?hash\w*", r"\blsh\b",
            r"\bjaccard\b", r"\bsimilar (?:documents|texts|docs|samples|content)\b", r"\balmost (?:identical|the same|duplicat\w*)",
            r"\bsemi-?duplicat\w*", r"\bnearly (?:identical|duplicat\w*)", r"\bapproximate (?:dedup\w*|duplicat\w*)"),
           units=RATIO, suppresses=("document_deduplicator", "image_text_similarity_filter")),
    OpRule("document_deduplicator", "deduplicator",
           (r"\bdedup\w*", r"\bde-dup\w*", r"\bduplicat\w*", r"\bidentical (?:documents|texts|docs|samples|copies|entries)",
            r"\bexact (?:copies|matches)\b", r"\bdupes?\b", r"\bunique (?:texts|documents|samples)\b",
            r"\bexact\b(?=\s*(?:and|or|&|\+|,|/|as well as)\s*(?:near|fuzzy|approximate))",
            r"\b(?:remove|drop|delete|discard|dedup\w*|both) (?:the |all )?exact\W*$"),
           guard=r"\bduplicat\w* sentences|\bsentences? (?:that )?(?:are )?duplicat"),
    # ---- selectors ------------------------------------------------------------------------------
    OpRule("random_selector", "selector", (r"\brandom\w*", r"\bsubsample\b", r"\bdownsample\b", r"\bsample (?:down|\d)",
                                           r"\bsample of\b"),
           units=U(None, "pct")),
]

RULES_BY_OP = {r.op: r for r in RULES}

FIELD_OPS = ("specified_numeric_field_filter", "specified_field_filter", "topk_specified_field_selector",
             "range_specified_field_selector", "frequency_specified_field_selector",
             "tags_specified_field_selector")
