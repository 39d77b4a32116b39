"""Filters on plain sample fields: file suffix, a dotted field's value, a general field condition.

The first three write no stats (Data-Juicer's do not either): `compute_stats_batched` is a no-op and
`process_batched` reads the fields directly. Dotted keys (`meta.a.b`) are read with get_field_column;
a missing key reads as None.
"""
from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from sandbox_engine.field_expr import FieldExpression
from sandbox_engine.fields import STATS, SUFFIX
from sandbox_engine.ops.base import (MAXSIZE, Batch, Filter, FilterArgs, batch_len, column,
                                     ensure_stats, register_op)
from sandbox_engine.ops.text_utils import get_field_column


class SuffixArgs(FilterArgs):
    suffixes: list[str] | str | None = Field(
        default_factory=list, description="File suffixes to keep, e.g. ['.txt', '.md']; empty keeps all.",
        json_schema_extra={"measure": "values"})

    @field_validator("suffixes")
    @classmethod
    def _as_list(cls, v: Any) -> list[str]:
        return [] if v is None else [v] if isinstance(v, str) else list(v)


class StatlessFilter(Filter):
    """A filter that decides on fields and writes no stat of its own; every sample it sees still gets
    a stats dict, as with any filter."""

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        ensure_stats(batch)
        return batch


@register_op
class SuffixFilter(StatlessFilter):
    name = "suffix_filter"
    modality = "any"
    Args = SuffixArgs
    description = ("Keeps samples whose source file suffix (the reserved __dj__suffix__ field the "
                   "reader fills in) is one of the given suffixes. With no suffixes it keeps everything. "
                   "Useful when a folder mixes formats and only some carry usable text.")
    example = "suffix_filter: {suffixes: ['.txt', '.md']}  # a sample read from page.html is dropped"
    requests = ("restrict the data to files ending in .rst or .md", "drop samples read from html files",
                "only keep files with the .py extension", "filter by file suffix: .json and .jsonl",
                "remove everything that did not come from a markdown file",
                "只保留后缀为.txt和.md的文件", "删除来自.html文件的样本", "按文件扩展名过滤，只要.py",
                "只要pdf和docx格式的文件")
    situations = (
        "the docs folder mixes markdown with images and binaries, only the text files are useful",
        "the repo dump includes lockfiles and build artifacts, we only want the Go source files",
        "the shared drive export has spreadsheets, slide decks and PDFs mixed in, but only the plain .txt transcripts are usable",
        "the notebook folder mixes .ipynb checkpoints and .pyc caches with the actual scripts",
        "half the legal archive is scanned tiff images, while our text pipeline only understands the docx contracts",
        "文档目录里混着图片和二进制文件，只有markdown有用",
        "代码仓库导出里有锁文件和编译产物，只要Go源文件",
        "共享盘导出里混着表格、幻灯片和PDF，能用的只有纯文本的会议纪要",
        "字幕目录里既有.srt也有视频和封面图片，真正要的只是字幕文件",
        "法务档案大半是扫描图片格式，文本流程只认Word合同文件",
        "animated GIFs and SVG vector files got into the photo folder and the image loader cannot decode those formats",
        "图片文件夹里混进了加载器解不了的动图和矢量图格式",
    )

    def process_batched(self, batch: Batch) -> list[bool]:
        wanted = set(self.args.suffixes)
        if not wanted:
            return [True] * batch_len(batch)
        return [s in wanted for s in column(batch, SUFFIX)]


class SpecifiedFieldArgs(FilterArgs):
    field_key: str = Field("", description="Dotted field to read, e.g. 'meta.language'.",
                           json_schema_extra={"measure": "field"})
    target_value: list = Field(default_factory=list,
                               description="Allowed values; a list field must have all its elements here.",
                               json_schema_extra={"measure": "values"})


@register_op
class SpecifiedFieldFilter(StatlessFilter):
    name = "specified_field_filter"
    modality = "any"
    Args = SpecifiedFieldArgs
    description = ("Keeps samples whose field (dotted paths reach into nested dicts) holds one of the "
                   "target values; when the field is a list, every element must be a target value. "
                   "With no field or no targets it keeps everything.")
    example = ("specified_field_filter: {field_key: meta.language, target_value: [en, fr]}  "
               "# meta.language 'de' is dropped")
    requests = ("keep samples whose meta.language is en or fr",
                "only keep rows where the source field equals wikipedia",
                "drop samples whose category field is neither news nor blog",
                "filter on the field meta.label, keeping the values positive and neutral",
                "keep records whose field value is one of a, b or c",
                "只保留meta.language字段为en或fr的样本", "保留来源字段是维基百科的数据",
                "筛选类别字段取值为新闻或博客的记录", "字段取值必须在给定列表中，否则删除")
    situations = (
        "only samples whose license field is one of a few allowed values may be published",
        "只有许可证字段属于允许的那几种的样本才能对外发布",
        "the crawl mixes in sources we never licensed, keep only records from the approved publishers",
        "only reviews whose department is electronics or books matter to us",
        "patient records come from many hospital departments but the study only covers cardiology and oncology",
        "annotators marked each dialog's language in the metadata, and the Korean team only handles rows tagged ko",
        "only cases whose court-level field reads federal or supreme are relevant to the brief",
        "只用我们有授权的那几家出版社的数据，别的来源都不要",
        "只要所属类目为家电或图书的商品评论",
        "病历来自各个科室，但这项研究只涉及心内科和肿瘤科",
        "元数据里记着每条样本的来源平台，我们能用的只有标注为知乎或豆瓣的",
        "只有审级字段写着最高院或高院的判例跟这次研究相关",
    )

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        if not (a.field_key and a.target_value):
            return [True] * batch_len(batch)
        targets = a.target_value
        out = []
        for v in get_field_column(batch, a.field_key):
            values = v if isinstance(v, (list, tuple)) else [v]
            out.append(all(x in targets for x in values))
        return out


class SpecifiedNumericFieldArgs(FilterArgs):
    field_key: str = Field("", description="Dotted field holding a number (or a numeric string).",
                           json_schema_extra={"measure": "field"})
    min_value: float = Field(-MAXSIZE, description="Lowest field value kept.",
                             json_schema_extra={"measure": "number", "bound": "min"})
    max_value: float = Field(MAXSIZE, description="Highest field value kept.",
                             json_schema_extra={"measure": "number", "bound": "max"})


def _as_number(v: Any) -> float | None:
    """Data-Juicer's is_number: a falsy value (0, '', None) counts as non-numeric."""
    if not v or isinstance(v, (list, tuple, dict)):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


@register_op
class SpecifiedNumericFieldFilter(StatlessFilter):
    name = "specified_numeric_field_filter"
    modality = "any"
    Args = SpecifiedNumericFieldArgs
    description = ("Keeps samples whose numeric field (dotted path; numeric strings are parsed) lies "
                   "between min_value and max_value. Non-numeric or missing values drop the sample, "
                   "and, as in Data-Juicer, so does a value of exactly 0.")
    example = ("specified_numeric_field_filter: {field_key: meta.stars, min_value: 10}  "
               "# a sample with meta.stars 3 is dropped")
    requests = ("meta.stars has to be 10 or more", "drop rows where the score field is below 3",
                "keep records with meta.year between 2015 and 2023",
                "filter out samples whose numeric field likes exceeds 1000",
                "only keep entries whose price field is under 50",
                "保留meta.stars字段不小于10的样本", "删除评分字段低于3的数据",
                "保留年份字段在2015到2023之间的记录", "数值字段点赞数超过1000的样本过滤掉")
    situations = (
        "repos with hardly any GitHub stars are mostly abandoned homework, skip those",
        "only listings whose price falls within our bracket matter for the pricing model",
        "reviews nobody found helpful, and ones with bot-inflated vote tallies, both look unreliable",
        "the publication year in each paper's metadata matters: the old ones describe outdated methods",
        "patients whose meta.age falls outside the adult range aren't part of the trial cohort",
        "几乎没人点星的代码仓库多半是练手作业，不要",
        "定价模型只关心价格在我们区间内的商品",
        "元数据里发表年份太早的论文，方法都过时了",
        "没人点“有用”的评论和被刷票刷到离谱的评论都不太可信",
        "年龄字段不在成年人区间的病人不属于这次试验队列",
    )

    def process_batched(self, batch: Batch) -> list[bool]:
        a = self.args
        if not a.field_key:
            return [True] * batch_len(batch)
        out = []
        for v in get_field_column(batch, a.field_key):
            num = _as_number(v)
            out.append(False if num is None else self.keep(num, a.min_value, a.max_value))
        return out


class GeneralFieldArgs(FilterArgs):
    filter_condition: str = Field(
        "", description="Boolean expression over fields: comparisons (chains too), and/or/not, "
                        "constants, dotted fields such as meta.a or __dj__stats__.text_len. Empty keeps all.",
        json_schema_extra={"measure": "text"})


@register_op
class GeneralFieldFilter(Filter):
    name = "general_field_filter"
    modality = "any"
    Args = GeneralFieldArgs
    stats_keys = ("general_field_filter_condition",)
    description = ("Keeps samples for which a small boolean expression over their fields holds, e.g. "
                   "'10 < num <= 30 and meta.lang == \"en\"'. The expression is parsed by a safe grammar "
                   "(comparisons, and/or/not, constants, dotted fields, never eval); a comparison with a "
                   "missing field is false. The result is stored as a boolean stat.")
    example = ("general_field_filter: {filter_condition: \"__dj__stats__.text_len > 10 and "
               "meta.lang == 'en'\"}")
    requests = ("keep samples where num is between 10 and 30 and meta.lang is en",
                "filter with a condition: meta.score > 0.5 or meta.source == 'web'",
                "keep rows satisfying text_len > 100 and not meta.flagged",
                "drop samples that fail a boolean expression over their fields",
                "apply a custom condition combining several fields with and/or",
                "保留满足条件 meta.score > 0.5 且 meta.lang == 'zh' 的样本", "按多个字段的组合条件过滤数据",
                "用布尔表达式筛选：字段a大于3或者字段b等于x", "删除不满足自定义字段条件的记录")
    situations = (
        "I want the reviews that are from verified buyers and rated low, or else flagged by moderators",
        "the rule for what stays combines the source site, the year and whether the post was edited",
        "whether a record is usable depends on several columns at once: the language tag, the length stat and whether a human reviewed it",
        "the tickets we need are either escalated, or both closed and rated poorly by the customer",
        "the legal team's rule mixes a date range on one field with a jurisdiction check on another",
        "要同时满足来自认证买家而且评分偏低的评论，别的都不要",
        "留下来的数据要满足来源、年份和是否编辑过几个条件的组合",
        "能不能用取决于好几列一起看：语言标签、长度统计，还有是否经过人工审核",
        "需要的是要么被升级处理过、要么已关闭而且客户打了差评的工单",
        "法务给的规则是某个字段落在日期区间内，同时另一个字段的辖区要对得上",
    )

    def setup(self) -> None:
        try:
            self.expr = FieldExpression(self.args.filter_condition)
        except ValueError as err:
            raise self.bad_arg("filter_condition", self.args.filter_condition, str(err)) from None

    def compute_stats_batched(self, batch: Batch, context: dict | None = None) -> Batch:
        key = self.stats_keys[0]
        stats = ensure_stats(batch)
        todo = self.missing_rows(stats)
        if not todo:
            return batch
        if not self.expr.fields:
            value = self.expr.evaluate({})
            for i in todo:
                stats[i][key] = value
            return batch
        cols = {f: get_field_column(batch, f) for f in self.expr.fields}
        for i in todo:
            stats[i][key] = self.expr.evaluate({f: c[i] for f, c in cols.items()})
        return batch

    def process_batched(self, batch: Batch) -> list[bool]:
        return [bool(s[self.stats_keys[0]]) for s in batch[STATS]]
