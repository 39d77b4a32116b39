"""Splitting mappers: chunk a text into several samples, or put each sentence on its own line."""
from __future__ import annotations

import copy
import os
from typing import Any

from pydantic import Field

from sandbox_engine.errors import ModelUnavailableError
from sandbox_engine.ops.base import Batch, Mapper, OpArgs, register_op
from sandbox_engine.ops.mappers._common import compile_pattern
from sandbox_engine.ops.mappers.sentences import SUPPORTED_LANGS, split_sentences


class TextChunkArgs(OpArgs):
    max_len: int | None = Field(
        None, gt=0, description="Longest chunk, in characters (or tokens with `tokenizer`).",
        json_schema_extra={"measure": "characters"})
    split_pattern: str | None = Field("\n\n", description="Regex at which to split (paragraphs by "
                                                          "default).",
                                      json_schema_extra={"format": "regex", "measure": "pattern"})
    overlap_len: int = Field(
        0, ge=0, description="Characters shared by consecutive chunks cut at max_len.",
        json_schema_extra={"measure": "characters"})
    tokenizer: str | None = Field(None, description="Local path of a Hugging Face tokenizer to "
                                                    "measure lengths in tokens (never downloaded).",
                                  json_schema_extra={"measure": "path"})
    trust_remote_code: bool = Field(False, description="Passed to the tokenizer loader.",
                                    json_schema_extra={"measure": "flag"})


@register_op
class TextChunkMapper(Mapper):
    name = "text_chunk_mapper"
    modality = "text"
    Args = TextChunkArgs
    description = ("Splits each text into chunks, one sample per chunk with the other fields copied: "
                   "at a split pattern (paragraphs by default), at a maximum length with optional "
                   "overlap, or both (cut at the last pattern match that fits, else at max_len). "
                   "Use it to fit long documents into a context window or to build RAG passages.")
    example = "text_chunk_mapper: {max_len: 2000, split_pattern: '\\n\\n'}"
    requests = ("slice every document into pieces no longer than 700 characters", "cut long texts into passages for RAG",
                "chunk each text by paragraph", "split into 1000-character pieces with 100 characters of overlap",
                "break long documents into smaller chunks that fit the context window",
                "把长文档切成不超过512个字符的片段", "按段落把文本分块", "将文本切分为1000字的块，重叠100字",
                "为检索增强生成把文章切成小段", "split documents into chunks for semantic search",
                "chunk the texts before embedding them into a vector index", "把文档切块，方便做向量检索",
                "为语义搜索和建索引把长文本分段", "每条样本是几篇文章拼起来的，按分隔符拆开")
    situations = (
        "the legal contracts run dozens of pages, and the retriever needs bite-sized passages",
        "for the support knowledge-base bot, turn the product manuals into passages it can look up",
        "the textbooks are whole chapters per record, and the embedding model only reads a short window at a time",
        "long meeting transcripts have to become smaller windows with a bit of shared context at the seams",
        "our vector store works best with paragraph-sized entries, but each sample is an entire annual report",
        "合同动辄几十页，检索系统需要一小段一小段的内容",
        "给客服知识库机器人用，要把产品手册拆成可检索的段落",
        "教材每条记录就是整整一章，向量模型一次只能读很短的一段",
        "会议记录很长，得变成一小块一小块的，块与块之间还要有点衔接的重叠",
        "向量库适合段落大小的条目，可每条样本都是一整份年报",
    )

    def setup(self) -> None:
        a = self.args
        if a.max_len is None and a.split_pattern is None:
            raise self.bad_arg("max_len", None, "max_len and split_pattern cannot both be None")
        if a.max_len is not None and a.overlap_len >= a.max_len:
            raise self.bad_arg("overlap_len", a.overlap_len,
                               f"must be less than max_len ({a.max_len})")
        self._re = (compile_pattern(self.name, "split_pattern", a.split_pattern)
                    if a.split_pattern is not None else None)
        self._split_re = (compile_pattern(self.name, "split_pattern", f"({a.split_pattern})")
                          if a.split_pattern is not None else None)
        self._tok = self._load_tokenizer(a.tokenizer, a.trust_remote_code) if a.tokenizer else None

    def _load_tokenizer(self, path: str, trust: bool) -> Any:
        if not os.path.exists(path):
            raise ModelUnavailableError(
                f"operator {self.name!r}: tokenizer {path!r} is not a local tokenizer folder or file; "
                f"models are never downloaded. Give a path, or leave tokenizer unset to count "
                f"characters.")
        file = path if os.path.isfile(path) else os.path.join(path, "tokenizer.json")
        if file.endswith(".json") and os.path.isfile(file):  # the fast path: no transformers import
            from tokenizers import Tokenizer

            return _FastTokenizer(Tokenizer.from_file(file))
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=trust)

    # -- lengths in characters or tokens -----------------------------------------------------------
    def _encode(self, text: str) -> Any:
        return self._tok.encode(text, add_special_tokens=False) if self._tok else text

    def _decode(self, units: Any) -> str:
        return self._tok.decode(units) if self._tok else units

    def chunks(self, text: str) -> list[str]:
        a = self.args
        if a.max_len is None:
            return [t for t in self._split_re.split(text) if t.strip()]
        if a.split_pattern is None:
            units = self._encode(text)
            if len(units) <= a.max_len:
                return [text]
            step = a.max_len - a.overlap_len
            return [self._decode(units[s:s + a.max_len]) for s in range(0, len(units), step)]
        out = []
        while True:
            units = self._encode(text)
            if len(units) <= a.max_len:
                return out + [text]
            head = self._decode(units[:a.max_len])
            last = None
            for last in self._re.finditer(head):
                pass
            if last is None or last.end() == 0:  # no match (or no progress): cut at max_len
                out.append(head)
                rest = self._decode(units[a.max_len - a.overlap_len:])
            else:
                out.append(head[:last.start()])
                rest = text[last.end():]
            if len(rest) >= len(text):  # a decode/encode round trip that does not shrink
                return out + [rest]
            text = rest

    def process_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        key = self.text_key
        if key not in batch:
            return batch
        pieces = [[None] if t is None else self.chunks(t) for t in batch[key]]
        out: Batch = {key: [c for cs in pieces for c in cs]}
        for k, col in batch.items():
            if k == key:
                continue
            new = out[k] = []
            for v, cs in zip(col, pieces):
                if cs:
                    new.extend([v] + [_copy(v) for _ in range(len(cs) - 1)])
        return out


class _FastTokenizer:
    """A `tokenizers.Tokenizer` with the encode/decode calls used here (as transformers' has)."""

    def __init__(self, tok: Any) -> None:
        tok.no_padding()  # shipped tokenizer.json files often pad/truncate to a model's length
        tok.no_truncation()
        self.tok = tok

    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        return self.tok.encode(text, add_special_tokens=add_special_tokens).ids

    def decode(self, ids: list[int]) -> str:
        return self.tok.decode(ids)


def _copy(v: Any) -> Any:
    """Each chunk gets its own dicts and lists (a later filter writes stats into them)."""
    return copy.deepcopy(v) if isinstance(v, (dict, list)) else v


class SentenceSplitArgs(OpArgs):
    lang: str = Field("en", description=f"Language of the text: one of {', '.join(SUPPORTED_LANGS)}.",
                      json_schema_extra={"measure": "language"})


@register_op
class SentenceSplitMapper(Mapper):
    name = "sentence_split_mapper"
    modality = "text"
    Args = SentenceSplitArgs
    description = ("Puts each sentence of the text on its own line. Sentences end at . ? ! (not "
                   "after abbreviations, initials or numbers that continue the sentence) or at "
                   "。！？ for Chinese; a rule-based stand-in for NLTK's punkt splitter.")
    example = "sentence_split_mapper: {lang: en}  # 'Hi there. How are you?' -> 'Hi there.\\nHow are you?'"
    requests = ("put each sentence on its own line", "sentence-segment the corpus", "one sentence per line",
                "segment German paragraphs into separate sentences", "break text into lines at sentence boundaries",
                "split each document into sentences", "sentence splitting",
                "把文本按句子分行", "每句话单独一行", "将段落拆分成句子", "按句号、问号和感叹号断句", "分句", "按句子切分文本")
    situations = (
        "the subtitle aligner expects each sentence separately, but the transcripts are big paragraphs",
        "to build parallel translation pairs, the news articles must first be broken at sentence ends",
        "the TTS pipeline reads one utterance per row, but the audiobook scripts come as dense paragraphs",
        "our annotation tool labels sentiment sentence by sentence and chokes on multi-sentence blobs",
        "the grammar-checking dataset needs every sentence isolated, while the student essays are solid paragraphs",
        "字幕对齐工具要求一句一行，可转写稿都是整段的",
        "做平行语料对齐前，新闻稿要先逐句断开",
        "语音合成流程要求每行一句话，可有声书脚本都是大段大段的",
        "标注工具按单句打情感标签，一整段好几句话它处理不了",
        "病历的主诉和现病史写成一大段，后续信息抽取需要逐句的输入",
    )

    def setup(self) -> None:
        if self.args.lang not in SUPPORTED_LANGS:
            raise self.bad_arg("lang", self.args.lang, f"supported: {', '.join(SUPPORTED_LANGS)}")

    def process_text(self, text: str) -> str:
        return "\n".join(split_sentences(text, self.args.lang))

