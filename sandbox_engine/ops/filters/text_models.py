"""Text filters backed by a model: language id, token count, perplexity, embedding similarity.

Models come from files on disk (see sandbox_engine/models); each op checks at construction that its
model is there (ModelUnavailableError otherwise) and loads it on the first batch, once per process.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import Field

from sandbox_engine.errors import ModelUnavailableError, OpArgumentError
from sandbox_engine.fields import STATS
from sandbox_engine.ops.base import (MAXSIZE, Batch, Filter, FilterArgs, TextStatFilter, column,
                                     ensure_stats, register_op)


# -- language_id_score_filter --------------------------------------------------------------------

class LanguageIDArgs(FilterArgs):
    lang: str | list[str] = Field("", description="Language code(s) to keep (fastText codes such as "
                                                  "'en', 'zh'); empty: any language.",
                                  json_schema_extra={"measure": "language"})
    min_score: float = Field(0.8, description="Lowest confidence (0-1) of the predicted language kept.",
                             json_schema_extra={"measure": "probability", "bound": "min"})


@register_op
class LanguageIDScoreFilter(Filter):
    name = "language_id_score_filter"
    modality = "text"
    Args = LanguageIDArgs
    stats_keys = ("lang", "lang_score")
    cost = "model"
    description = ("Predicts each text's language with fastText's lid.176 model and keeps samples "
                   "whose top language is one of `lang` (any language when empty) with a confidence "
                   "of at least min_score. Use it to build single-language corpora and to drop code, "
                   "tables and gibberish, which no language claims confidently.")
    example = "language_id_score_filter: {lang: en, min_score: 0.8}  # a French page is dropped"
    requests = ("keep only English documents", "drop texts that are not in Chinese",
                "keep French and German pages with language confidence above 0.9",
                "remove samples whose language identification score is below 0.8",
                "filter out text whose language cannot be identified confidently",
                "only keep samples detected as Spanish",
                "只保留中文文本", "删除非英文的文档", "保留语言识别置信度不低于0.8的样本",
                "过滤掉语种识别不明确的内容", "只要日语和韩语的数据")
    situations = (
        "we're only training the Japanese storefront model, pages in other languages are useless",
        "the multilingual crawl mixes in Russian and Arabic pages we can't use for an English chatbot",
        "our Vietnamese news crawl picked up English ads and Thai spam pages that don't belong",
        "many tweets are such a jumble of code-switching and gibberish that you can't even tell what tongue they're in",
        "for the German legal assistant, anything not written in German is dead weight",
        "我们只做日本站的模型，别的语种都用不上",
        "多语言爬虫混进了俄语和阿拉伯语页面，中文客服模型用不上",
        "我们做的是纯英文写作助手，中文、西班牙文的内容混进来只会添乱",
        "有些推文几种文字夹杂着乱码，根本看不出是哪国话",
        "客服语料本来应该全是中文，结果掺了不少日文和韩文的工单",
    )

    def setup(self) -> None:
        from sandbox_engine.models import langid

        self._path = langid.model_path()  # raises ModelUnavailableError when not installed
        lang = self.args.lang
        self._langs = [lang] if isinstance(lang, str) and lang else list(lang or [])

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        from sandbox_engine.models import langid

        stats = ensure_stats(batch)
        todo = self.missing_rows(stats)
        if todo:
            texts = column(batch, self.text_key)
            preds = langid.predict([texts[i] or "" for i in todo], langid.load(self._path))
            for i, (lang, score) in zip(todo, preds):
                stats[i]["lang"] = lang
                stats[i]["lang_score"] = score
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        return [(not self._langs or s["lang"] in self._langs)
                and self.keep(s["lang_score"], self.args.min_score, None)
                for s in batch[STATS]]


# -- token_num_filter -----------------------------------------------------------------------------

class TokenNumArgs(FilterArgs):
    hf_tokenizer: str = Field("EleutherAI/pythia-6.9b-deduped",
                              description="A local tokenizer.json (or a folder holding one); a hub "
                                          "name falls back to the shipped all-MiniLM-L6-v2 tokenizer.",
                              json_schema_extra={"measure": "path"})
    min_num: int = Field(10, description="Fewest tokens kept: texts with fewer tokens are dropped.",
                         json_schema_extra={"measure": "tokens", "bound": "min"})
    max_num: int = Field(MAXSIZE, description="Most tokens kept: texts with more tokens are dropped.",
                         json_schema_extra={"measure": "tokens", "bound": "max"})


@register_op
class TokenNumFilter(TextStatFilter):
    name = "token_num_filter"
    modality = "text"
    Args = TokenNumArgs
    stats_keys = ("num_token",)
    stat_key, min_arg, max_arg = "num_token", "min_num", "max_num"
    cost = "model"
    description = ("Counts the tokens of each text with a Hugging Face `tokenizers` tokenizer (special "
                   "tokens not counted) and keeps samples whose count lies between min_num and "
                   "max_num: the budget measure a training run actually sees. Offline, a hub name maps "
                   "to the shipped all-MiniLM-L6-v2 WordPiece tokenizer; point hf_tokenizer at a "
                   "tokenizer.json for your model's exact counts.")
    example = "token_num_filter: {min_num: 10, max_num: 2048}  # 'Hi there' (2 tokens) is dropped"
    requests = ("throw out samples shorter than 12 tokens", "keep documents of at most 2048 tokens",
                "remove samples longer than the 4096-token context window",
                "token length must be in the range 64-16384",
                "get rid of texts that tokenize to too many tokens",
                "删除少于十个token的文本", "保留词元数不超过2048的样本", "过滤掉token数超过4096的文档",
                "只保留词元数量在32到8192之间的数据")
    situations = (
        "some chat transcripts overflow the model's context at fine-tuning time and should be left out",
        "our training budget is counted in tokens and a few giant legal filings eat most of it",
        "after tokenization some samples come out as barely a handful of pieces, practically empty inputs for SFT",
        "the GPU sequence limit is what matters, and the longest API docs blow past what the model can ingest in one pass",
        "the trainer silently truncates the longest code files, wasting compute on cut-off halves",
        "有些对话记录超出了模型微调时的上下文长度，不要了",
        "训练预算按token算，几份超长法律文书就吃掉一大半",
        "分词之后有些样本只剩寥寥几个词元，喂给模型等于空输入",
        "显存限制了序列长度，最长的那些接口文档一次根本塞不进模型",
        "训练框架会把超长的代码文件悄悄截断，后半截全浪费了",
    )

    def setup(self) -> None:
        from sandbox_engine.models import tokenizer

        self._path = tokenizer.resolve(self.args.hf_tokenizer)

    def text_stats(self, texts: list[str], context: dict | None = None) -> list[int]:
        from sandbox_engine.models import tokenizer

        return tokenizer.count_tokens(tokenizer.load(self._path), texts)


# -- perplexity_filter ------------------------------------------------------------------------------

class PerplexityArgs(FilterArgs):
    lang: str = Field("en", description="Language code of the text; 'en' has a shipped model.",
                      json_schema_extra={"measure": "language"})
    min_ppl: float = Field(0, description="Lowest perplexity kept: texts scoring lower are dropped.",
                           json_schema_extra={"measure": "perplexity", "bound": "min"})
    max_ppl: float = Field(1500, description="Highest perplexity kept: texts scoring higher (less fluent) "
                                             "are dropped.",
                           json_schema_extra={"measure": "perplexity", "bound": "max"})
    model_path: str | None = Field(None, description="Extension: an ARPA n-gram model file (plain or "
                                                     ".gz, e.g. from KenLM's lmplz or NgramLM.save) "
                                                     "to use instead of the shipped English model.",
                                   json_schema_extra={"measure": "path"})


@register_op
class PerplexityFilter(TextStatFilter):
    name = "perplexity_filter"
    modality = "text"
    Args = PerplexityArgs
    stats_keys = ("perplexity",)
    stat_key, min_arg, max_arg = "perplexity", "min_ppl", "max_ppl"
    cost = "model"
    description = ("Scores each text with a word trigram language model (Kneser-Ney, trained on "
                   "shipped clean English prose on first use) and keeps samples whose perplexity lies "
                   "between min_ppl and max_ppl. Fluent prose scores low; keyword lists, boilerplate, "
                   "symbol runs and other languages score high. Pass model_path to use your own ARPA "
                   "model (e.g. for another language).")
    example = "perplexity_filter: {lang: en, max_ppl: 1500}  # 'zxq vbn ##@@' is dropped"
    requests = ("perplexity over 1800 marks junk; remove those samples",
                "remove disfluent, low-quality text by language model perplexity",
                "keep documents whose perplexity is below 1000",
                "filter out samples the language model finds too surprising",
                "keep only perplexity between 50 and 800",
                "删除困惑度高于1500的文本", "保留困惑度低于1000的文档", "用语言模型困惑度过滤不通顺的内容",
                "困惑度过高的样本去掉")
    situations = (
        "the machine-translated pages read awkwardly and ungrammatically, keep only text that flows naturally",
        "spun articles from content farms are word salad that no native speaker would write",
        "the OCR'd old newspapers are riddled with misread words, so many sentences come out as nonsense",
        "the auto-generated product blurbs are grammatically broken, the kind of text that sounds bizarre to a reader",
        "the chatbot keeps picking up garbled sentences from low-quality forums; it should only learn naturally fluent English",
        "机翻的网页读起来很别扭、语句不通，只留通顺的",
        "内容农场的洗稿文章前言不搭后语，像是胡乱拼的",
        "老报纸的OCR结果错字连篇，一句话读下来不知所云",
        "自动生成的商品简介语法混乱，读着完全不像人话",
        "有些论坛帖子语句颠三倒四，模型学了只会说胡话",
    )

    def setup(self) -> None:
        from sandbox_engine.models import ngram_lm

        a = self.args
        if a.model_path:
            if not Path(a.model_path).expanduser().is_file():
                raise ModelUnavailableError(
                    f"operator 'perplexity_filter': argument 'model_path' = {a.model_path!r} does not "
                    "exist; give an ARPA n-gram model file (plain or .gz)")
        elif a.lang != "en":
            raise ModelUnavailableError(
                f"operator 'perplexity_filter': argument 'lang' = {a.lang!r} has no shipped language "
                "model (only 'en' does). Train one on text of that language with "
                "sandbox_engine.models.ngram_lm.train(...).save('lm.arpa') (or use any ARPA model, "
                "e.g. from KenLM's lmplz) and pass it as model_path.")
        elif not ngram_lm.ASSET.exists():
            raise ModelUnavailableError(f"the shipped reference text {ngram_lm.ASSET} is missing")

    def _model(self):
        from sandbox_engine.models import ngram_lm

        if self.args.model_path:
            return ngram_lm.load_model(self.args.model_path)
        return ngram_lm.default_model("en")

    def text_stats(self, texts: list[str], context: dict | None = None) -> list[float]:
        return self._model().perplexities(texts)


# -- text_embd_similarity_filter -----------------------------------------------------------------------

class TextEmbdSimilarityArgs(FilterArgs):
    api_or_hf_model: str = Field("text-embedding-v4", description="Embedding model: a local Hugging "
                                 "Face model folder, else the shipped all-MiniLM-L6-v2.",
                                 json_schema_extra={"measure": "path"})
    is_hf_model: bool = Field(False, description="Accepted for compatibility (no API is called here).")
    api_endpoint: str = Field("embeddings", description="Accepted for compatibility; unused offline.")
    response_path: str = Field("data.0.embedding", description="Accepted for compatibility; unused.")
    model_params: dict | None = Field(None, description="Accepted for compatibility; unused.")
    min_score: float = Field(0.1, description="Lowest cosine similarity to the validation set kept (-1 to 1).",
                             json_schema_extra={"measure": "similarity", "bound": "min"})
    max_score: float = Field(1.0, description="Highest cosine similarity to the validation set kept (-1 to 1).",
                             json_schema_extra={"measure": "similarity", "bound": "max"})
    valid_dataset: list[dict] | str | None = Field(None, description="Reference samples (a list of "
                                                   "dicts with the text key) or a JSON/JSONL file.",
                                                   json_schema_extra={"measure": "path"})
    ebd_dim: int = Field(4096, description="Embedding size of an API model; the local model's own "
                                           "size is used here.",
                         json_schema_extra={"measure": "count"})
    pooling: str | None = Field(None, description="'mean' (default), 'cls' or 'last' token pooling.",
                                json_schema_extra={"measure": "choice", "cues": {
                                    "mean": ["mean pooling", "average of the tokens", "平均池化"],
                                    "cls": ["CLS token", "cls pooling", "CLS池化"],
                                    "last": ["last token", "last-token pooling", "最后一个token"]}})
    input_template: str | None = Field(None, description="Template with {text}, applied before "
                                                         "embedding.",
                                       json_schema_extra={"measure": "text"})


@register_op
class TextEmbdSimilarityFilter(Filter):
    name = "text_embd_similarity_filter"
    modality = "text"
    Args = TextEmbdSimilarityArgs
    stats_keys = ("text_embd_similarity",)
    cost = "model"
    description = ("Embeds each text (all-MiniLM-L6-v2 sentence embeddings, offline) and keeps samples "
                   "whose cosine similarity to the mean embedding of a validation set lies between "
                   "min_score and max_score: a quick way to keep data close to a target task.")
    example = ("text_embd_similarity_filter: {valid_dataset: [{text: 'How do I bake bread?'}], "
               "min_score: 0.3}  # a stock-market report is dropped")
    requests = ("keep texts semantically similar to my reference examples",
                "drop documents whose embedding similarity to the validation set is below 0.3",
                "filter out samples that are off-topic compared with these examples",
                "keep data close to the target task by cosine similarity of embeddings",
                "remove texts that are near-identical to the validation set, similarity above 0.95",
                "保留与参考样本语义相似的文本", "删除与验证集向量相似度低于0.3的文档",
                "过滤掉和目标任务示例无关的样本", "按嵌入余弦相似度筛选接近示例的数据")
    situations = (
        "we're tuning a medical chatbot and most of the crawl has nothing to do with our clinical examples",
        "keep only forum posts that resemble the support tickets we labeled as in scope",
        "we have a small hand-picked set of legal Q&A pairs as the gold standard, and the web dump should look like them",
        "the recipe assistant only cares about content resembling our seed examples; sports and politics are noise",
        "the crawl strayed far from the topic of our sample programming tutorials",
        "我们做医疗问答，爬来的数据大多跟手头的临床样例八竿子打不着",
        "只留跟我们标好的那批客服样例内容相近的帖子",
        "我们手里有一小批精挑细选的法律问答当标杆，爬来的数据要在内容上贴近它们",
        "做菜谱助手，跟种子样例不沾边的体育新闻、娱乐八卦都是噪声",
        "抓下来的数据跑偏了，和我们给的编程教程样例主题差得很远",
    )

    def setup(self) -> None:
        from sandbox_engine.models import embeddings

        a = self.args
        if a.pooling not in (None, "mean", "cls", "last"):
            raise self.bad_arg("pooling", a.pooling, "allowed: None, 'mean', 'cls', 'last'")
        if a.input_template is not None and "{text}" not in a.input_template:
            raise self.bad_arg("input_template", a.input_template, "it must contain '{text}'")
        self._path = embeddings.resolve(a.api_or_hf_model)
        self._valid = None
        self._valid_samples = self._read_valid(a.valid_dataset)

    def _read_valid(self, valid: list[dict] | str | None) -> list[dict] | None:
        if valid is None or isinstance(valid, list):
            return valid
        p = Path(valid).expanduser()
        if not p.is_file():
            raise self.bad_arg("valid_dataset", valid, "give a list of samples or a JSON/JSONL file")
        text = p.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
            return data if isinstance(data, list) else [data]
        except json.JSONDecodeError:
            return [json.loads(ln) for ln in text.splitlines() if ln.strip()]

    def _texts(self, texts: list[Any]) -> list[str]:
        tpl = self.args.input_template
        return [tpl.format(text=t or "") if tpl else (t or "") for t in texts]

    def _embed(self, texts: list[Any]):
        from sandbox_engine.models import embeddings

        return embeddings.load(self._path).embed(self._texts(texts), pooling=self.args.pooling or "mean")

    def prepare_valid_feature(self, samples: list[dict] | None = None) -> None:
        """Embed the validation samples (the sandbox may hand new ones) and keep their mean."""
        samples = samples if samples is not None else self._valid_samples
        if not samples:
            raise OpArgumentError("operator 'text_embd_similarity_filter': argument 'valid_dataset' is "
                                  "empty; give reference samples (a list of dicts with the text key "
                                  "or a JSON/JSONL file)")
        emb = self._embed([s.get(self.text_key) for s in samples])
        mean = emb.mean(axis=0)
        import numpy as np

        self._valid = mean / max(float(np.linalg.norm(mean)), 1e-12)

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        stats = ensure_stats(batch)
        todo = self.missing_rows(stats)
        if todo:
            if self._valid is None:
                self.prepare_valid_feature()
            texts = column(batch, self.text_key)
            sims = self._embed([texts[i] for i in todo]) @ self._valid
            for i, v in zip(todo, sims):
                stats[i]["text_embd_similarity"] = float(v)
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        return [self.keep(s["text_embd_similarity"], a.min_score, a.max_score) for s in batch[STATS]]
