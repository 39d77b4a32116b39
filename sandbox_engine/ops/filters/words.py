"""Word-level text filters (Data-Juicer 1.4.3 definitions): word count, word n-gram repetition,
stopword and flagged-word ratios.

Words are split on space, newline and tab; the filters of one batch share them (and their refined
forms) through the `context` dict. `tokenization=True` asks Data-Juicer for a sentencepiece model that
no package ships: we accept the argument and, for text containing Han characters, segment with jieba's
full mode (every dictionary word found; its counts come closest to the sentencepiece pieces on
Data-Juicer's Chinese test cases); other text keeps whitespace words.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import Field

from sandbox_engine.ops.base import MAXSIZE, Batch, FilterArgs, TextStatFilter, column, ensure_stats, \
    register_op
from sandbox_engine.ops.filters.text_basic import shared_rows
from sandbox_engine.ops.text_utils import (load_word_list_dir, refine_words, special_characters,
                                           split_words, strip_chars, word_list)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _jieba() -> Any:
    try:
        import logging

        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokenize_words(texts: list[str], tokenization: bool = False) -> list[list[str]]:
    """Words of each text: whitespace split; with `tokenization`, Han text is segmented by jieba."""
    if not tokenization or _jieba() is None:
        return [split_words(t) for t in texts]
    jb = _jieba()
    return [jb.lcut(t, cut_all=True) if _HAN.search(t) else split_words(t) for t in texts]


def refine(words: list[str], lower_case: bool) -> list[str]:
    """Data-Juicer's words_refinement without augmentation (same result as text_utils.refine_words),
    with a fast path for words that need no stripping."""
    sc = special_characters()
    out = []
    for w in words:
        if not w:
            continue
        if lower_case:
            w = w.lower()
        if w[0] in sc or w[-1] in sc:
            w = strip_chars(w, sc)
            if not w:
                continue
        out.append(w)
    return out


class WordsArgs(FilterArgs):
    lang: str = Field("en", description="Language code of the text (picks the word list / tokenizer).",
                      json_schema_extra={"measure": "language"})
    tokenization: bool = Field(False, description="Segment words with a tokenizer instead of whitespace "
                                                  "(here: jieba for Chinese text, whitespace otherwise).",
                               json_schema_extra={"measure": "flag", "cues": {
                                   "true": ["segment words", "with jieba", "word segmentation", "分词",
                                            "结巴分词"],
                                   "false": ["split on whitespace", "by spaces", "按空格切分"]}})


class WordStatFilter(TextStatFilter):
    """A filter on a stat of the (refined) words of the text; the words are shared per batch."""

    lower_case: ClassVar[bool] = True
    shares = ("words", "refined_words")

    def augment(self, words: list[str]) -> list[str]:
        """Hook for word-list filters (words_aug); the refined words as they are by default."""
        return words

    def batch_words(self, texts: list[str], context: dict | None) -> list[list[str]]:
        """Refined words per text: split (or tokenized), optionally lower-cased, special characters
        stripped at both ends, empties dropped; both steps shared through the context."""
        tok, lower = self.args.tokenization, self.lower_case
        words = shared_rows(context, ("words_tokenized" if tok else "words", self.text_key), texts,
                            lambda ts: tokenize_words(ts, tok))
        tag = ("refined_words", self.text_key, tok, lower)
        refined = shared_rows(context, tag, texts, lambda ts: [refine(w, lower) for w in words])
        return [self.augment(w) for w in refined]

    def stat_from_words(self, words: list[str]) -> float:
        raise NotImplementedError

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        todo = self.missing_rows(stats, (self.stat_key,))
        if todo:
            texts = [t if t is not None else "" for t in column(batch, self.text_key)]
            words = self.batch_words(texts, context)
            for i in todo:
                stats[i][self.stat_key] = self.stat_from_words(words[i])
        return batch

    def text_stats(self, texts, context=None):
        return [self.stat_from_words(w) for w in self.batch_words(list(texts), None)]


class WordsNumArgs(WordsArgs):
    min_num: int = Field(10, description="Fewest words kept: texts with fewer words are dropped.",
                         json_schema_extra={"measure": "words", "bound": "min"})
    max_num: int = Field(MAXSIZE, description="Most words kept: texts with more words are dropped.",
                         json_schema_extra={"measure": "words", "bound": "max"})


@register_op
class WordsNumFilter(WordStatFilter):
    name = "words_num_filter"
    modality = "text"
    Args = WordsNumArgs
    stats_keys = ("num_words",)
    stat_key, min_arg, max_arg = "num_words", "min_num", "max_num"
    lower_case = False
    description = ("Keeps samples whose number of words lies between min_num and max_num. Words are "
                   "whitespace-separated pieces with punctuation, digits and symbols stripped from both "
                   "ends; pieces that are only symbols do not count.")
    example = "words_num_filter: {min_num: 10, max_num: 10000}  # 'Today is Sun' (3 words) is dropped"
    requests = ("anything under a dozen words goes", "keep documents of 50 to 5000 words",
                "remove samples that have more than 100000 words", "filter out one- or two-word snippets",
                "the word count must be at least 20", "get rid of extremely wordy documents",
                "删除少于十个词的文本", "文档的词语个数应介于60和6000", "过滤掉单词数超过十万的样本",
                "词语数量太少的句子去掉")
    situations = (
        "many forum replies are only a word or two like 'thanks' or 'same here'",
        "some scraped essays ramble on for tens of thousands of words",
        "tons of tweets in the set are just a hashtag and a single word, not a real sentence",
        "product Q&A answers like 'yes' or 'no idea' carry nothing to learn from",
        "a handful of wiki dumps stuff an entire book's worth of words into one record",
        "论坛回复很多只有一两个词，比如“谢谢”“顶”",
        "有些抓来的长文动辄几万个词，太啰嗦",
        "问答数据里的回答很多只有“是的”“不知道”，寥寥几个词",
        "英文推文很多就一个话题标签加个单词，成不了句子",
        "有的记录把一整本书的内容塞了进去，词数多到离谱",
    )

    def stat_from_words(self, words: list[str]) -> float:
        return len(words)


class WordRepArgs(WordsArgs):
    rep_len: int = Field(10, ge=1, description="Length of the word n-grams, in words.",
                         json_schema_extra={"measure": "words"})
    min_ratio: float = Field(0.0, description="Lowest word n-gram repetition ratio kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "min"})
    max_ratio: float = Field(0.5, description="Highest word n-gram repetition ratio kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "max"})


@register_op
class WordRepetitionFilter(WordStatFilter):
    name = "word_repetition_filter"
    modality = "text"
    Args = WordRepArgs
    stats_keys = ("word_rep_ratio",)
    stat_key, min_arg, max_arg = "word_rep_ratio", "min_ratio", "max_ratio"
    description = ("Keeps samples whose word n-gram repetition ratio lies in range: the share of "
                   "n-gram occurrences (lower-cased words, symbols stripped) that belong to n-grams "
                   "seen more than once. Catches repeated paragraphs, template spam and loops.")
    example = "word_repetition_filter: {rep_len: 10, max_ratio: 0.5}"
    requests = ("drop texts whose word 10-gram repetition ratio exceeds 0.5",
                "remove documents with repeated paragraphs",
                "filter out template spam that repeats the same phrases",
                "keep samples with a word repetition ratio below 20%",
                "get rid of looping text that says the same words over and over",
                "删除词语重复率超过0.5的文本", "过滤掉段落反复重复的文档",
                "保留单词n-gram重复比例低于20%的样本", "去除词组大量重复的模板垃圾文本")
    situations = (
        "the generated stories fall into loops, repeating the same phrase for paragraphs",
        "SEO landing pages repeat 'best cheap hotels in town' in every sentence",
        "the song lyric dump has choruses copied out again and again, so most of each song is the same recycled lines",
        "the distilled model's answers degenerate, cycling through the same few phrases until they're cut off",
        "spam posts are one block of ad phrases stamped out over and over inside the same page",
        "模型生成的故事陷入循环，同一个短语翻来覆去说",
        "SEO落地页每句话都在重复“最便宜的酒店”这几个词",
        "歌词数据里副歌被抄了一遍又一遍，整首歌大半是同样的词句",
        "蒸馏出来的回答经常陷入复读，几句话来回绕到被截断",
        "垃圾帖整篇就是同一组广告词翻来覆去地套用",
    )

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        todo = self.missing_rows(stats, (self.stat_key,))
        if todo and not self.args.tokenization:  # whitespace words never hold a space: count ids
            from sandbox_engine.ops.filters.ngram_counts import word_rep_ratios

            texts = [t if t is not None else "" for t in column(batch, self.text_key)]
            words = self.batch_words(texts, context)
            for i, v in zip(todo, word_rep_ratios([words[i] for i in todo], self.args.rep_len)):
                stats[i][self.stat_key] = v
            return batch
        return super().compute_stats_batched(batch, context)

    def text_stats(self, texts, context=None):
        if self.args.tokenization:
            return super().text_stats(texts, context)
        from sandbox_engine.ops.filters.ngram_counts import word_rep_ratios

        return word_rep_ratios(self.batch_words(list(texts), None), self.args.rep_len)

    def stat_from_words(self, words: list[str]) -> float:
        n = self.args.rep_len
        counts = Counter(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
        total = sum(counts.values())
        if not total:
            return 0.0
        return sum(c for c in counts.values() if c > 1) / total


class WordListArgs(WordsArgs):
    use_words_aug: bool = Field(False, description="Also match joined groups of consecutive words "
                                                   "(useful for languages written without spaces).",
                                json_schema_extra={"measure": "flag", "cues": {
                                    "true": ["join consecutive words", "word augmentation", "词组增强",
                                             "拼接相邻词"]}})
    words_aug_group_sizes: list[int] = Field(default_factory=lambda: [2],
                                             description="Group sizes for the word augmentation, in words.",
                                             json_schema_extra={"measure": "words"})
    words_aug_join_char: str = Field("", description="Character joining the augmented word groups.",
                                     json_schema_extra={"measure": "text"})


class WordListFilter(WordStatFilter):
    """Ratio of refined words found in a per-language word list (stopwords or flagged words)."""

    list_kind: ClassVar[str] = ""
    dir_arg: ClassVar[str] = ""

    def setup(self) -> None:
        path = getattr(self.args, self.dir_arg)
        lists = None
        if path and os.path.exists(path):
            lists = load_word_list_dir(path, self.list_kind)
            if len(lists) <= 1:  # no file for this kind there: Data-Juicer would fetch the defaults
                lists = None
        lists = lists or word_list(self.list_kind)
        if self.args.lang not in lists:
            raise self.bad_arg("lang", self.args.lang,
                               f"{self.list_kind} lists exist for: {', '.join(sorted(lists))}")
        self.words = lists[self.args.lang]

    def augment(self, words: list[str]) -> list[str]:
        a = self.args
        if not a.use_words_aug:
            return words
        return refine_words(words, strip_special=False, use_words_aug=True,
                            words_aug_group_sizes=a.words_aug_group_sizes,
                            words_aug_join_char=a.words_aug_join_char)

    def stat_from_words(self, words: list[str]) -> float:
        if not words:
            return 0.0
        listed = self.words
        return min(1.0, sum(map(listed.__contains__, words)) / len(words))


class StopwordsArgs(WordListArgs):
    min_ratio: float = Field(0.3, description="Lowest share of stopwords among the words kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "min"})
    max_ratio: float = Field(1.0, description="Highest share of stopwords among the words kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "max"})
    stopwords_dir: str | None = Field(None, description="Folder of {lang: [words]} JSON files with "
                                                        "'stopwords' in the name; default: shipped lists.",
                                      json_schema_extra={"measure": "path"})


@register_op
class StopwordsFilter(WordListFilter):
    name = "stopwords_filter"
    modality = "text"
    Args = StopwordsArgs
    stats_keys = ("stopwords_ratio",)
    stat_key, min_arg, max_arg = "stopwords_ratio", "min_ratio", "max_ratio"
    list_kind, dir_arg = "stopwords", "stopwords_dir"
    description = ("Keeps samples with enough stopwords (function words such as 'the', 'of', 'and') "
                   "for their language: real prose has many, keyword lists, tables and boilerplate "
                   "few. lang 'all' uses the union of the 13 shipped lists.")
    example = "stopwords_filter: {lang: en, min_ratio: 0.3}  # 'buy cheap pills online' is dropped"
    requests = ("require stopwords to be at least a quarter of all words",
                "remove keyword lists that have hardly any function words",
                "keep documents where at least 30% of the words are stopwords",
                "filter out samples lacking common words like 'the' and 'of'",
                "keep only natural prose with enough stopwords",
                "drop pages that are strings of keywords with no real sentences, keep normal prose",
                "删除停用词比例低于0.3的文本", "过滤掉几乎没有停用词的关键词堆砌",
                "保留停用词占比至少百分之三十的文档", "去掉虚词太少、不像自然语言的样本")
    situations = (
        "the e-commerce titles are piles of search keywords with no little connecting words",
        "many crawled pages are tag clouds, not prose people would actually write",
        "the job postings are keyword fragments like 'Python SQL AWS remote senior', nothing reads like prose",
        "the conversational model needs natural, grammatical English, but the scraped snippets are telegraphic noun strings",
        "the SEO pages are lists of search terms without any of the little glue words real writers use",
        "电商标题都是关键词堆砌，没有“的”“了”这类连接词",
        "很多页面只是标签云，不像人写的句子",
        "招聘信息很多只是“Java 分布式 高并发 五险一金”这类词的罗列，不成句",
        "对话模型需要自然的人话，可爬到的片段都是电报体的名词串",
        "应用商店的描述基本是搜索词的堆叠，缺少“是”“在”“和”这种功能词",
    )


class FlaggedArgs(WordListArgs):
    min_ratio: float = Field(0.0, description="Lowest share of flagged words among the words kept (0-1).",
                             json_schema_extra={"measure": "ratio", "bound": "min"})
    max_ratio: float = Field(0.045, description="Highest share of flagged (obscene) words kept (0-1): texts "
                                                "with more are dropped.",
                             json_schema_extra={"measure": "ratio", "bound": "max"})
    flagged_words_dir: str | None = Field(None, description="Folder of {lang: [words]} JSON files with "
                                                            "'flagged_words' in the name; default: "
                                                            "shipped lists.",
                                          json_schema_extra={"measure": "path"})


@register_op
class FlaggedWordsFilter(WordListFilter):
    name = "flagged_words_filter"
    modality = "text"
    Args = FlaggedArgs
    stats_keys = ("flagged_words_ratio",)
    stat_key, min_arg, max_arg = "flagged_words_ratio", "min_ratio", "max_ratio"
    list_kind, dir_arg = "flagged_words", "flagged_words_dir"
    description = ("Keeps samples whose share of flagged (obscene or adult) words stays at most "
                   "max_ratio, using the shipped per-language lists (lang 'all' is their union). Drops "
                   "pornographic and abusive pages.")
    example = "flagged_words_filter: {lang: en, max_ratio: 0.045}"
    requests = ("drop texts where flagged words exceed 4.5%", "remove pornographic and abusive pages",
                "filter out documents with obscene language",
                "keep samples whose share of flagged words is below 0.01",
                "get rid of adult text full of swear words", "drop the conversations that contain slurs or cursing",
                "remove documents with profanity and insults",
                "不良词汇占比高于百分之五的文本要删除", "过滤掉色情和辱骂的文字内容", "去除含有大量脏话的文档",
                "保留不良词汇占比低于百分之一的样本", "敏感词比例过高的文本删掉", "脏词占比超标的文本过滤掉")
    situations = (
        "stories meant for young children must not contain profanity or slurs",
        "给小朋友看的故事里混进了满是脏话和侮辱性词语的文章",
        "the chat logs have many threads that are nothing but slurs and sexual insults",
        "we're building a kids' reading assistant, so no crude or explicit wording can get through",
        "a good share of the fan fiction site is NSFW erotica loaded with explicit vocabulary",
        "the gaming voice-chat transcripts are wall-to-wall profanity and cussing",
        "the brand's customer-facing assistant can't risk learning vulgar or X-rated language",
        "聊天记录里有不少满嘴脏话、骂人的对话",
        "要做儿童故事数据，带粗口和黄色字眼的文本都不能要",
        "同人小说站有不少成人向内容，露骨的字眼满篇都是",
        "游戏语音转写出来满屏国骂，句句带脏字",
        "面向中小学生的写作助手，训练文本里不能有下流、低俗的用语",
    )
