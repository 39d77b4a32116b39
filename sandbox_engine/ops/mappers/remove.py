"""Mappers that remove parts of the text: long words, repeated sentences, tables, non-Chinese
characters and words with suspicious substrings. Data-Juicer 1.4.3's rules and regexes."""
from __future__ import annotations

import re
from pydantic import Field

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.ops.base import MAXSIZE, Mapper, OpArgs, register_op
from sandbox_engine.ops.mappers._common import merge_lines_tabs_words, split_lines_tabs_words
from sandbox_engine.ops.text_utils import special_characters, strip_chars


def _filter_words(text: str, keep) -> str:
    """Drop words failing `keep`, preserving lines and tabs (runs of spaces collapse)."""
    lines = split_lines_tabs_words(text)
    return merge_lines_tabs_words([[[w for w in part if keep(w)] for part in line] for line in lines])


class RemoveLongWordsArgs(OpArgs):
    min_len: int = Field(1, description="Shortest word length kept.")
    max_len: int = Field(MAXSIZE, description="Longest word length kept.")


@register_op
class RemoveLongWordsMapper(Mapper):
    name = "remove_long_words_mapper"
    modality = "text"
    Args = RemoveLongWordsArgs
    description = ("Drops words (space-separated) whose length is outside [min_len, max_len], both "
                   "as written and after stripping punctuation, digits and emoji at their ends, so "
                   "'word,' counts as a 4-letter word. Lines and tabs are kept; repeated spaces "
                   "collapse.")
    example = "remove_long_words_mapper: {min_len: 3, max_len: 15}  # 'a nice day' -> 'nice day'"

    def setup(self) -> None:
        self._special = special_characters()

    def _keep(self, word: str) -> bool:
        lo, hi = self.args.min_len, self.args.max_len
        return lo <= len(word) <= hi or lo <= len(strip_chars(word, self._special)) <= hi

    def process_text(self, text: str) -> str:
        return _filter_words(text, self._keep)


def split_sentence(text: str) -> list[str]:
    """Data-Juicer's sentence split for repeat detection: break after . 。 ! ！ ？ ? (and runs of
    dots or ellipses), keeping closing quotes with the sentence."""
    text = re.sub(r"([.。！!？\?])([^’”])", r"\1\n\2", text)
    text = re.sub(r"(\.{6})([^’”])", r"\1\n\2", text)
    text = re.sub(r"(\…{2})([^’”])", r"\1\n\2", text)
    text = re.sub(r"([.。!！？\?\.{6}\…{2}][’”])([^’”])", r"\1\n\2", text)
    return text.split("\n")


class RemoveRepeatSentencesArgs(OpArgs):
    lowercase: bool = Field(False, description="Compare sentences case-insensitively.")
    ignore_special_character: bool = Field(
        True, description="Compare sentences ignoring everything but letters, digits, Chinese "
                          "characters and whitespace.")
    min_repeat_sentence_length: int = Field(
        2, description="Sentences shorter than this (after the above) are never removed.")


_NOT_WORDISH = re.compile(r"[^a-zA-Z0-9\u4e00-\u9fa5\n\t ]")


@register_op
class RemoveRepeatSentencesMapper(Mapper):
    name = "remove_repeat_sentences_mapper"
    modality = "text"
    Args = RemoveRepeatSentencesArgs
    description = ("Removes sentences already seen earlier in the same text (boilerplate repeated "
                   "in a page). Sentences end at . ! ? and their Chinese forms; comparison can "
                   "ignore case and punctuation; very short sentences are always kept.")
    example = "remove_repeat_sentences_mapper:  # 'Hi there. Ok. Hi there.' -> 'Hi there. Ok.'"

    def process_text(self, text: str) -> str:
        a = self.args
        seen: set[str] = set()
        out = []
        for line in text.split("\n"):
            kept = ""
            if line:
                for sent in split_sentence(line):
                    key = sent.strip()
                    if a.lowercase:
                        key = key.lower()
                    if a.ignore_special_character:
                        key = _NOT_WORDISH.sub("", key)
                    if len(key) < a.min_repeat_sentence_length:
                        kept += sent
                    elif key not in seen:
                        kept += sent
                        seen.add(key)
            out.append(kept)
        return "\n".join(out)


class RemoveTableTextArgs(OpArgs):
    min_col: int = Field(2, ge=2, le=20, description="Fewest columns of a table.")
    max_col: int = Field(20, ge=2, le=20, description="Most columns of a table.")


@register_op
class RemoveTableTextMapper(Mapper):
    name = "remove_table_text_mapper"
    modality = "text"
    Args = RemoveTableTextArgs
    description = ("Removes plain-text tables: runs of two or more lines (after a newline) that each "
                   "hold the same number of space- or tab-separated cells, for every column count "
                   "from min_col to max_col.")
    example = "remove_table_text_mapper: {min_col: 2, max_col: 20}  # 'T:\\na b\\nc d\\n' -> 'T:\\n'"

    def setup(self) -> None:
        a = self.args
        if a.min_col > a.max_col:
            raise self.bad_arg("min_col", a.min_col, f"must not exceed max_col ({a.max_col})")
        self._res = [re.compile(r"(?<=\n)((\S+?)([ |\t](\S+?)){%d}\n+){2,}" % i)
                     for i in range(a.min_col - 1, a.max_col)]

    def process_text(self, text: str) -> str:
        for rx in self._res:
            text = rx.sub("", text)
        return text


class RemoveNonChineseArgs(OpArgs):
    keep_alphabet: bool = Field(True, description="Keep ASCII letters.")
    keep_number: bool = Field(True, description="Keep ASCII digits.")
    keep_punc: bool = Field(True, description="Keep common Chinese and ASCII punctuation.")


@register_op
class RemoveNonChineseCharacterMapper(Mapper):
    name = "remove_non_chinese_character_mapper"
    modality = "text"
    Args = RemoveNonChineseArgs
    description = ("Keeps only common Chinese characters (U+4E00..U+9FA5), optionally with ASCII "
                   "letters, digits and a set of common punctuation; everything else (emoji, "
                   "radicals, accented letters, other scripts) is deleted.")
    example = "remove_non_chinese_character_mapper: {keep_alphabet: false}  # '你好abc' -> '你好'"

    def setup(self) -> None:
        a = self.args
        pattern = "[^\u4e00-\u9fa5"
        if a.keep_alphabet:
            pattern += "A-Za-z"
        if a.keep_number:
            pattern += "0-9"
        pattern += ".， ,\\-。%《*》/•、&＆(—)（+）：？!！“”·]+" if a.keep_punc else "]"
        self._re = re.compile(pattern, re.DOTALL)

    def process_text(self, text: str) -> str:
        return self._re.sub("", text)


class RemoveIncorrectSubstringsArgs(OpArgs):
    lang: str = Field("en", description="Language of the text (for the tokenizer).")
    tokenization: bool = Field(False, description="Split words with a sentencepiece model "
                                                   "(needs a model; not shipped).")
    substrings: list[str] | None = Field(
        None, description="A word containing any of these is dropped; None: "
                          "['http', 'www', '.com', 'href', '//'].")


DEFAULT_BAD_SUBSTRINGS = ["http", "www", ".com", "href", "//"]


@register_op
class RemoveWordsWithIncorrectSubstringsMapper(Mapper):
    name = "remove_words_with_incorrect_substrings_mapper"
    modality = "text"
    Args = RemoveIncorrectSubstringsArgs
    description = ("Drops words that contain any of the given substrings (by default URL debris: "
                   "'http', 'www', '.com', 'href', '//'), checked after stripping punctuation at "
                   "the word's ends. Lines and tabs are kept.")
    example = ("remove_words_with_incorrect_substrings_mapper:  "
               "# 'see www.x.org now' -> 'see now'")

    def setup(self) -> None:
        if self.args.tokenization:
            raise ModelUnavailableError(
                f"operator {self.name!r}: tokenization=True needs a sentencepiece model for "
                f"lang {self.args.lang!r}, which is not installed (we never download); use "
                f"tokenization=False (split on whitespace).")
        subs = self.args.substrings
        self._subs = DEFAULT_BAD_SUBSTRINGS if subs is None else list(subs)
        self._special = special_characters()

    def _keep(self, word: str) -> bool:
        word = strip_chars(word, self._special)
        return all(s not in word for s in self._subs)

    def process_text(self, text: str) -> str:
        return _filter_words(text, self._keep)
