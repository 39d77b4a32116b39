"""Selectors: choose samples over the whole data set by a field (Data-Juicer 1.4.3 semantics).

`select_indices` returns the chosen rows in Data-Juicer's output order (top-k by value, frequency by
group, random by permutation); `select` gives the same choice as keep flags in the original order.
Fields are dotted (`meta.key1.key2`). A sample lacking the field (None) is never chosen by the ranking
selectors (Data-Juicer fails on such data); the frequency selector counts None as a value, as
Data-Juicer does once a missing nested key has been read as null.
"""
from __future__ import annotations

import heapq
import json
from typing import Any, Callable

from pydantic import Field, PositiveInt

from sandbox_engine.errors import JuiceboxError
from sandbox_engine.ops.base import OpArgs, Selector, register_op

# A field no sample has: read as a column of None, it still gives the row count.
_ROWS = "__dj__selector_rows__"


class _IndexSelector(Selector):
    """Subclasses implement `select_indices`; the flags follow from it."""

    modality = "any"

    def select(self, columns: dict[str, list]) -> list[bool]:
        n = len(next(iter(columns.values()))) if columns else 0
        chosen = set(self.select_indices(columns))
        return [i in chosen for i in range(n)]

    def select_indices(self, columns: dict[str, list]) -> list[int]:
        raise NotImplementedError


class _FieldSelector(_IndexSelector):
    def needed_keys(self) -> list[str]:
        return [self.args.field_key] if self.args.field_key else [_ROWS]

    def values(self, columns: dict[str, list]) -> list:
        return columns[self.args.field_key]

    def rank_values(self, columns: dict[str, list]) -> list:
        """The values to rank by: as Data-Juicer's top-k and range selectors do, when the field holds
        lists (e.g. per-image stats) each sample ranks by the list's first element."""
        vals = self.values(columns)
        first = next((v for v in vals if v is not None), None)
        if isinstance(first, (list, tuple)):
            return [v[0] if isinstance(v, (list, tuple)) and v else None for v in vals]
        return vals

    def ranked(self, values: list, k: int, largest: bool) -> list[int]:
        """Indices of the k largest/smallest non-None values; ties keep the earlier sample first."""
        cand = [i for i, v in enumerate(values) if v is not None]
        pick: Callable = heapq.nlargest if largest else heapq.nsmallest
        try:
            return pick(int(k), cand, key=values.__getitem__)
        except TypeError as err:
            kinds = sorted({type(values[i]).__name__ for i in cand})
            raise JuiceboxError(f"operator {self.name!r}: the values of field {self.args.field_key!r} "
                                f"cannot be ordered ({', '.join(kinds)}): {err}") from None


def _count_from(ratio: float | None, cap: int | None, total: int) -> float | None:
    """Data-Juicer's rule: ratio * total capped by `cap`; `cap` alone when there is no ratio."""
    if not ratio:
        return cap or None
    num = ratio * total
    return cap if cap and cap < num else num


class TopkArgs(OpArgs):
    field_key: str = Field("", description="Dotted field to rank by, e.g. 'meta.score'.",
                           json_schema_extra={"measure": "field"})
    top_ratio: float | None = Field(None, ge=0, le=1, description="Fraction (0-1) of samples to keep.",
                                    json_schema_extra={"measure": "ratio"})
    topk: PositiveInt | None = Field(None, description="Number of samples to keep (caps top_ratio).",
                                     json_schema_extra={"measure": "count"})
    reverse: bool = Field(True, description="True: the largest values; False: the smallest.",
                          json_schema_extra={"measure": "flag", "cues": {
                              "true": ["highest", "largest", "top", "best", "最高", "最大", "最好"],
                              "false": ["lowest", "smallest", "bottom", "least", "fewest", "shortest", "oldest", "earliest",
                                        "cheapest", "最低", "最小", "最少", "最短", "最早", "最旧", "最便宜"]}})


class FrequencyArgs(TopkArgs):
    field_key: str = Field("", description="Dotted field whose values are counted, e.g. 'meta.source'.",
                           json_schema_extra={"measure": "field"})
    top_ratio: float | None = Field(None, ge=0, le=1, description="Fraction (0-1) of the distinct values "
                                                                  "whose samples are kept.",
                                    json_schema_extra={"measure": "ratio"})
    topk: PositiveInt | None = Field(None, description="Number of distinct values whose samples are kept "
                                                       "(caps top_ratio).",
                                     json_schema_extra={"measure": "count"})
    reverse: bool = Field(True, description="True: the most frequent values; False: the rarest.",
                          json_schema_extra={"measure": "flag", "cues": {
                              "true": ["most frequent", "most common", "most popular", "最常见", "出现最多", "最多见", "最热门"],
                              "false": ["rarest", "least frequent", "least common", "least popular", "最罕见", "出现最少",
                                        "最少见", "最不常见", "最稀有", "最冷门"]}})


@register_op
class TopkSpecifiedFieldSelector(_FieldSelector):
    name = "topk_specified_field_selector"
    Args = TopkArgs
    description = ("Keeps the samples with the largest (reverse: true) or smallest values of a field: "
                   "int(top_ratio * N) of them, capped by topk (topk alone when no ratio). Use it to keep "
                   "the best-scored part of a data set, e.g. by a quality stat.")
    example = ("topk_specified_field_selector: {field_key: '__dj__stats__.text_len', top_ratio: 0.1, "
               "topk: 1000}")
    requests = ("retain the 1200 entries with the biggest meta.score", "select the 10% highest-rated samples",
                "the 300 samples whose perplexity stat is smallest",
                "take the best-scored part of the data set", "pick the top 20 percent by quality score",
                "取meta.score排在最前面的一千二百条", "保留评分最高的前10%数据", "选出困惑度最低的500个样本",
                "取质量分排名前20%的数据")
    situations = (
        "annotation budget is tight, so send only the highest-rated items to the labelers",
        "rank the reviews by likes and keep just the most liked ones",
        "标注预算有限，只把质量分最高的那批送去标注",
        "按点赞数排序，只留点赞最多的那批评论",
        "we can only afford to fine-tune on the cream of the crop, the answers the reward model rated best",
        "for the bestseller analysis only the products heading the sales ranking matter",
        "the distillation run wants the elite slice of the dialogs, those at the very head of the helpfulness "
        "leaderboard",
        "精调资源有限，只想用奖励模型打分最靠前的那一小撮回答",
        "做爆款分析，只关心销量排行榜最前面的那些商品",
        "论坛帖子按热度排个序，头部那些拔尖的高热帖才是要用的",
    )

    def select_indices(self, columns: dict[str, list]) -> list[int]:
        vals = self.rank_values(columns) if self.args.field_key else []
        n = len(next(iter(columns.values()))) if columns else 0
        num = _count_from(self.args.top_ratio, self.args.topk, n)
        if n <= 1 or not self.args.field_key or num is None:
            return list(range(n))
        return self.ranked(vals, int(num), self.args.reverse)


def _hashable(v: Any) -> Any:
    try:
        hash(v)
        return v
    except TypeError:
        return json.dumps(v, sort_keys=True, default=str)


@register_op
class FrequencySpecifiedFieldSelector(_FieldSelector):
    name = "frequency_specified_field_selector"
    Args = FrequencyArgs
    description = ("Keeps the samples whose field value is among the most frequent values (reverse: "
                   "true) or the rarest: the int(top_ratio * number of distinct values) values, capped "
                   "by topk, each with all its samples, most frequent group first. Use it to focus on "
                   "the common sources, languages or tags of a data set.")
    example = "frequency_specified_field_selector: {field_key: 'meta.suffix', topk: 3}"
    requests = ("keep the samples of the 3 most frequent sources",
                "select data from the most common languages in meta.language",
                "keep only the rarest 10% of tag values",
                "focus on the 5 most frequent categories of meta.suffix",
                "keep the groups whose field value occurs most often",
                "保留出现次数最多的3个来源的样本", "只要最常见语言的数据", "选出标签取值最罕见的10%",
                "按字段值出现频率选择前5个最常见的类别")
    situations = (
        "the long tail comes from obscure sources, we only want the sites that contribute the bulk of the data",
        "focus the analysis on the handful of product categories that show up most often",
        "长尾来源太杂了，只要贡献数据最多的那几个站点",
        "只看出现最频繁的几个商品类目的数据",
        "the language field has a scattering of exotic codes with barely any rows each; the study is about the "
        "mainstream languages that dominate",
        "we're hunting for the error codes that crop up once in a blue moon in the logs, together with all "
        "their entries",
        "most tickets come from a few popular apps, and the analysis is about those heavy hitters rather than "
        "the niche apps",
        "日志里的错误码大多是常见的那几种，想专门研究那些很少冒出来的冷门错误码",
        "问卷里填的城市五花八门，只关心填写人数占大头的那几个城市",
        "作者字段里大部分帖子来自少数几个高产账号，分析要围绕这些发帖大户展开",
    )

    def select_indices(self, columns: dict[str, list]) -> list[int]:
        n = len(next(iter(columns.values()))) if columns else 0
        if n <= 1 or not self.args.field_key:
            return list(range(n))
        groups: dict[Any, list[int]] = {}
        for i, v in enumerate(self.values(columns)):
            groups.setdefault(_hashable(v), []).append(i)
        num = _count_from(self.args.top_ratio, self.args.topk, len(groups))
        if num is None:
            return list(range(n))
        ordered = sorted(groups.values(), key=len, reverse=self.args.reverse)
        return [i for g in ordered[:int(num)] for i in g]


class RangeArgs(OpArgs):
    field_key: str = Field("", description="Dotted field to rank by.", json_schema_extra={"measure": "field"})
    lower_percentile: float | None = Field(None, ge=0, le=1, description="Lowest rank kept, as a fraction "
                                                                         "(0-1) of N in ascending order.",
                                           json_schema_extra={"measure": "percentile", "bound": "min"})
    upper_percentile: float | None = Field(None, ge=0, le=1, description="Highest rank kept, as a fraction "
                                                                         "(0-1) of N in ascending order.",
                                           json_schema_extra={"measure": "percentile", "bound": "max"})
    lower_rank: PositiveInt | None = Field(None, description="Lowest rank kept, counted in samples (max with "
                                                             "the percentile).",
                                           json_schema_extra={"measure": "count", "bound": "min"})
    upper_rank: PositiveInt | None = Field(None, description="Highest rank kept, counted in samples (min with "
                                                             "the percentile).",
                                           json_schema_extra={"measure": "count", "bound": "max"})


@register_op
class RangeSpecifiedFieldSelector(_FieldSelector):
    name = "range_specified_field_selector"
    Args = RangeArgs
    description = ("Keeps the samples whose field value ranks (ascending) between a lower and an upper "
                   "bound, each given as a percentile of N or a rank (both bounds are needed; with a "
                   "percentile and a rank, the narrower one wins). Use it to cut both tails of a stat, "
                   "e.g. the middle 80% of perplexities.")
    example = ("range_specified_field_selector: {field_key: '__dj__stats__.perplexity', "
               "lower_percentile: 0.1, upper_percentile: 0.9}")
    requests = ("keep the middle 80% of samples by perplexity",
                "restrict to samples whose meta.score rank lies in the 15th-85th percentile band",
                "cut both tails of the text length distribution", "keep ranks 100 to 1000 by score",
                "drop the top and bottom 5% by quality",
                "按困惑度保留中间80%的样本", "选择meta.score排名在10%到90%分位之间的数据",
                "去掉文本长度分布两端的极端值", "保留得分排名第100到第1000的样本")
    situations = (
        "both the suspiciously short and the absurdly long outliers skew our stats, keep the typical middle",
        "the best-scored and worst-scored extremes are both unreliable, we want the middle of the pack",
        "得分最高和最低的两头都不靠谱，只要中间那一段",
        "长度分布两端的异常值都影响统计，保留中间的常规样本",
        "the reward scores at both ends look like labelling glitches, the perfect marks and the rock-bottom "
        "ones alike, so the trustworthy part is the bulk in between",
        "this curriculum stage needs moderately difficult examples, neither the easiest nor the hardest by the "
        "difficulty rating",
        "house prices in the listings have crazy outliers on both the cheap and the expensive side, and the "
        "valuation model should see the normal band",
        "房价字段两头都有离谱的极端值，估价模型只该看中间正常的那一段",
        "课程学习这一阶段需要难度居中的题目，最简单和最难的两端都不合适",
        "评分分布的头尾都像是打分出错，掐头去尾之后剩下的才可信",
    )

    def select_indices(self, columns: dict[str, list]) -> list[int]:
        a = self.args
        n = len(next(iter(columns.values()))) if columns else 0
        if n <= 1 or not a.field_key:
            return list(range(n))
        if (a.lower_percentile is None and a.lower_rank is None) or \
                (a.upper_percentile is None and a.upper_rank is None):
            return list(range(n))
        lower, upper = 0, n
        if a.lower_percentile is not None:
            lower = int(a.lower_percentile * n)
        if a.lower_rank is not None:
            lower = max(lower, a.lower_rank)
        if a.upper_percentile is not None:
            upper = int(a.upper_percentile * n)
        if a.upper_rank is not None:
            upper = min(upper, a.upper_rank)
        upper = max(lower, upper)
        vals = self.rank_values(columns)
        smallest = self.ranked(vals, upper, largest=False)
        sub = [vals[i] for i in smallest]
        return [smallest[j] for j in heapq.nlargest(upper - lower, range(len(sub)), key=sub.__getitem__)]


class TagsArgs(OpArgs):
    field_key: str = Field("", description="Dotted field holding the tag.", json_schema_extra={"measure": "field"})
    target_tags: list[Any] | None = Field(None, description="Tags to keep.", json_schema_extra={"measure": "values"})


@register_op
class TagsSpecifiedFieldSelector(_FieldSelector):
    name = "tags_specified_field_selector"
    Args = TagsArgs
    description = ("Keeps the samples whose field value is one of target_tags, in their original order. "
                   "Use it to pick samples a tagging mapper labelled, e.g. a sentiment or a topic.")
    example = "tags_specified_field_selector: {field_key: 'meta.sentiment', target_tags: [happy, sad]}"
    requests = ("choose the entries whose meta.mood tag is calm",
                "select the rows whose topic tag is sports or tech",
                "pick samples the tagger labelled 'question'", "only keep data with the tag A or B",
                "keep entries carrying one of these tags",
                "保留meta.sentiment标记为正面的样本", "选出主题标签是体育或科技的数据", "只要被打上问答标签的样本",
                "按标签字段挑选带指定标签的记录")
    situations = (
        "the sentiment tagger already ran, now pull out just the complaints",
        "after topic labelling, I only want the conversations labelled as refunds",
        "情感标注已经做完了，只挑出被标成投诉的那些",
        "话题打标后，只要标签是退款相关的对话",
        "the classifier has stamped every news item with a section label, and the finance desk cares only about "
        "the ones marked economy or markets",
        "each imaging record carries a modality label from the labelling step, and the project concerns only "
        "those marked MRI or CT",
        "the moderation pass marked each post as spam, toxic or fine; the fine-tuning set is about the posts "
        "labelled fine",
        "新闻已经按栏目打好标记了，财经组只需要标成财经和股市的那些",
        "影像记录里都有打标模型给的检查类型标记，这个项目只涉及标为核磁和CT的",
        "审核模型给每条帖子贴了“正常”“广告”“辱骂”的标签，训练只用贴了“正常”的",
    )

    def select_indices(self, columns: dict[str, list]) -> list[int]:
        n = len(next(iter(columns.values()))) if columns else 0
        if n <= 1 or not self.args.field_key or self.args.target_tags is None:
            return list(range(n))
        tags = {_hashable(t) for t in self.args.target_tags}
        return [i for i, v in enumerate(self.values(columns)) if _hashable(v) in tags]


class RandomArgs(OpArgs):
    select_ratio: float | None = Field(None, ge=0, le=1, description="Fraction (0-1) of samples to keep.",
                                       json_schema_extra={"measure": "ratio"})
    select_num: PositiveInt | None = Field(None, description="Number of samples to keep (caps the ratio).",
                                           json_schema_extra={"measure": "count"})


@register_op
class RandomSelector(_IndexSelector):
    name = "random_selector"
    Args = RandomArgs
    description = ("Keeps a random subset: int(select_ratio * N) samples, capped by select_num (select_num "
                   "alone when no ratio), drawn with a fixed seed (42) so a run is repeatable. Use it to "
                   "down-sample a large set for a quick experiment.")
    example = "random_selector: {select_num: 1000}"
    requests = ("take a small random sample to look at", "随机抽一部分样本看看",
                "draw 1500 examples at random", "a random twelfth of the data is enough",
                "down-sample to 5000 rows for a quick experiment", "pick a random subset of half the samples",
                "pick 250 rows by chance", "随机抽取1000条样本", "随机保留10%的数据",
                "下采样到5000条用于快速实验", "随机选一半的样本", "an unbiased slice of the data: 3000 samples",
                "a fair subset for a pilot run, 800 examples", "抽一个无偏的小子集，三千条左右", "随机拉五千条出来", "随机捞一批数据给质检看")
    situations = (
        "the full dump is too big to eyeball, give me an unbiased handful to spot-check",
        "our labelers only have time for a small fair share of the data, with no bias toward any kind of item",
        "标注同学只能标一小部分，得公平地抽，不偏向任何一类样本",
        "I want to sanity-check the pipeline cheaply on a slice before running it on everything",
        "数据太多看不过来，随便挑一些出来抽查一下",
        "先在一小部分数据上试跑流程，确认没问题再全量跑",
        "the annotation vendor charges per item, so the pilot batch should be a luck-of-the-draw slice, not the "
        "first rows which all come from one source",
        "my laptop runs out of memory on the whole crawl; an arbitrary smaller portion would do for debugging "
        "the tokenizer",
        "QA wants a blind, unbiased draw of the outputs so the audit isn't cherry-picked",
        "全量数据笔记本内存扛不住，调试的时候有一小撮随手抽出来的就够了",
        "质检要盲抽，不能挑着看，免得只看到好的",
        "外包标注按条收费，先试标一批，希望抽到的有代表性，而不是光拿文件开头那些",
    )

    def needed_keys(self) -> list[str]:
        return [_ROWS]

    def select_indices(self, columns: dict[str, list]) -> list[int]:
        import numpy as np

        n = len(next(iter(columns.values()))) if columns else 0
        a = self.args
        if n <= 1 or (a.select_ratio is None and a.select_num is None):
            return list(range(n))
        num = _count_from(a.select_ratio, a.select_num, n)
        num = int(num or 0)
        if num <= 0 or num >= n:  # Data-Juicer's random_sample treats 0 as "everything"
            return list(range(n))
        return np.random.default_rng(42).permutation(n)[:num].tolist()
