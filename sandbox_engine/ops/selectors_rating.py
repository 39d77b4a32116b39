"""Selection by a learned rating around a shifted centre (Alchemist's finding: the very top of a rating is
often narrow or over-fitted; a window a little below it, drawn with some spread, can train better)."""
from __future__ import annotations

from pydantic import Field

from sandbox_engine.errors import JuiceboxError
from sandbox_engine.ops.base import OpArgs, Selector, register_op


class ShiftGaussianArgs(OpArgs):
    field_key: str = Field("meta.rating", description="Dotted field holding the rating (higher = better).",
                           json_schema_extra={"measure": "field"})
    select_ratio: float = Field(0.5, gt=0, le=1, description="Fraction of samples to keep: int(select_ratio * N).",
                                json_schema_extra={"measure": "ratio"})
    mu_shift: float = Field(0.2, ge=0, le=1, description="Centre of the kept window in rank-normalised units: "
                            "0.0 = the top-rated sample, 1.0 = the lowest.",
                            json_schema_extra={"measure": "ratio"})
    sigma: float = Field(0.2, gt=0, description="Width of the Gaussian in rank-normalised units (0-1).",
                         json_schema_extra={"measure": "ratio"})
    seed: int = Field(42, description="Seed of the draw (repeatable runs).", json_schema_extra={"measure": "number"})


@register_op
class ShiftGaussianSelector(Selector):
    name = "shift_gaussian_selector"
    modality = "any"
    Args = ShiftGaussianArgs
    description = ("Keeps int(select_ratio * N) samples drawn without replacement, each with probability "
                   "proportional to a Gaussian (width sigma) of its rank-normalised position in the rating "
                   "ranking (0 = best, 1 = worst) around mu_shift. With mu_shift 0 it is a soft top-k; a "
                   "small shift keeps a window just below the top. Samples without the field are never kept. "
                   "Output order: best rating first.")
    example = "shift_gaussian_selector: {field_key: meta.rating, select_ratio: 0.3, mu_shift: 0.2, sigma: 0.1}"
    requests = ("softly select the top-rated half of the data with a gaussian around the best ratings",
                "sample 30% of the data with a gaussian centred just below the top rating",
                "keep a gaussian window of samples just under the best rating",
                "draw samples weighted by a gaussian over the rating ranking",
                "soft, gaussian-weighted selection by rating with some randomness",
                "按评分用高斯分布软选择前一半数据", "以略低于最高评分为中心，用高斯权重抽取30%的样本",
                "按评分排名做带随机性的高斯加权软选择", "用高斯窗口选出评分略低于顶部的样本",
                "用偏移高斯采样按评分抽样，均值偏移和 sigma 按需设置")
    situations = (
        "the very top-rated answers are probably overfit, favour ones just below the best with some randomness",
        "we want mostly highly rated data but not strictly the top, with a bit of diversity mixed in",
        "最高分的回答可能有偏差，想偏向次一档的高分数据，并带点随机",
        "想要大体是评分靠前的数据，但不死板取头部，保留一些多样性",
        "picking strictly the highest-rated responses makes the preference set monotonous; a probabilistic pick "
        "that leans toward good ratings but lets some mid-ranked ones through would be healthier",
        "the very top of the rating list is dominated by suspiciously perfect, possibly gamed reviews; the "
        "sweet spot is slightly under it, drawn with some spread",
        "for self-distillation a soft, weighted draw concentrated near the top of the judge's ranking beats a "
        "hard cutoff",
        "只取最高分的会让数据太单一，希望按评分加权抽，偏向高分但也带上一些中等的",
        "评分榜顶端那些满分评价像是刷出来的，真正想要的是稍低一点的那一档，而且抽得松散一些",
        "不想一刀切地卡分数线，而是按排名加权、概率性地挑，重心放在靠前但不是最顶端的位置",
    )

    def needed_keys(self) -> list[str]:
        return [self.args.field_key]

    def select(self, columns: dict[str, list]) -> list[bool]:
        n = len(next(iter(columns.values()))) if columns else 0
        chosen = set(self.select_indices(columns))
        return [i in chosen for i in range(n)]

    def select_indices(self, columns: dict[str, list]) -> list[int]:
        import numpy as np

        a = self.args
        vals = columns.get(a.field_key, [])
        n = len(vals)
        cand = [i for i, v in enumerate(vals) if v is not None]
        k = min(int(a.select_ratio * n), len(cand))
        if k <= 0:
            return []
        try:
            order = sorted(cand, key=lambda i: -float(vals[i]))  # stable: ties keep the earlier sample
        except (TypeError, ValueError) as err:
            raise JuiceboxError(f"operator {self.name!r}: field {a.field_key!r} must hold numbers ({err})") from None
        m = len(order)
        pos = np.arange(m) / max(m - 1, 1)
        logw = -0.5 * ((pos - a.mu_shift) / a.sigma) ** 2
        # Gumbel top-k = k successive draws without replacement, p ~ exp(logw); in log space, so a window
        # narrower than k still fills from the positions nearest the centre
        keys = logw + np.random.default_rng(a.seed).gumbel(size=m)
        picked = np.sort(np.argsort(-keys, kind="stable")[:k])
        return [order[j] for j in picked]
