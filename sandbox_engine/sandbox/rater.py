"""A learned data rater in the spirit of Alchemist: a small MLP over cheap per-sample features, trained
jointly with the tiny proxy LM so that samples whose training signal lowers the loss on the clean
reference split get higher ratings.

The update is a one-step-lookahead meta-gradient (learning to reweight): for a batch, weights
w = B * softmax(rater(features)); the LM takes a virtual SGD step theta' = theta - inner_lr * grad(mean(w * l_i));
the rater descends d L_val(theta') / d rater (second order through the virtual step). Then the LM takes its
real AdamW step on the weighted loss with the (detached) updated weights. The rating of a sample is the
rater's final score (a logit; higher = better), written to `meta.rating` (or `rating_key`).
"""
from __future__ import annotations

import math
import random
import zlib
from pathlib import Path
from typing import Any

from pydantic import Field

from sandbox_engine.sandbox.demo_data import read_jsonl, resolve_demo_path, write_jsonl
from sandbox_engine.sandbox.pools import STATS, load_pool, stat_value
from sandbox_engine.sandbox.trainers.base import Component, ComponentArgs, register_component

_HAND = ("log_len", "alpha", "digit", "upper", "space", "punct", "vowel", "uniq_words", "word_len", "lines")


def hand_features(text: str) -> list[float]:
    """Cheap character/word ratios that need no analyzer run."""
    n = max(len(text), 1)
    words = text.split()
    letters = [c for c in text if c.isalpha()]
    return [math.log1p(len(text)), len(letters) / n, sum(c.isdigit() for c in text) / n,
            sum(c.isupper() for c in text) / n, sum(c.isspace() for c in text) / n,
            sum((not c.isalnum()) and not c.isspace() for c in text) / n,
            sum(c in "aeiouAEIOU" for c in letters) / max(len(letters), 1),
            len(set(words)) / max(len(words), 1), sum(map(len, words)) / max(len(words), 1) / 10,
            math.log1p(text.count("\n"))]


def features(rows: list[dict], text_key: str = "text", hash_dim: int = 256):
    """(N, F) float32: z-scored hand features and numeric __dj__stats__, then hashed bag of words
    (crc32 buckets, log counts, L2-normalised). Returns (matrix, feature names)."""
    import numpy as np

    texts = [str(r.get(text_key) or "") for r in rows]
    stats = sorted({k for r in rows for k in (r.get(STATS) or {}) if stat_value(r, k) is not None})
    dense = np.array([hand_features(t) + [stat_value(r, k) if stat_value(r, k) is not None else np.nan
                                          for k in stats] for t, r in zip(texts, rows)], dtype=np.float64)
    dense = dense.reshape(len(rows), len(_HAND) + len(stats))
    mu = np.nanmean(dense, axis=0) if len(rows) else 0
    sd = np.nanstd(dense, axis=0) if len(rows) else 1
    dense = np.nan_to_num((dense - mu) / np.where(sd > 0, sd, 1.0))
    bow = np.zeros((len(rows), hash_dim))
    for i, t in enumerate(texts):
        for w in t.lower().split():
            bow[i, zlib.crc32(w.encode("utf-8")) % hash_dim] += 1.0
    bow = np.log1p(bow)
    bow /= np.maximum(np.linalg.norm(bow, axis=1, keepdims=True), 1e-9)
    names = list(_HAND) + [f"stat:{k}" for k in stats] + [f"bow{j}" for j in range(hash_dim)]
    return np.concatenate([dense, bow], axis=1).astype(np.float32), names


class RaterArgs(ComponentArgs):
    dataset_path: str = Field(description="jsonl to rate (analyzer output with __dj__stats__ adds features).")
    reference: str = Field("demo:text_reference", description="Clean held-out jsonl: the validation signal.")
    text_key: str = Field("text", description="Field holding the text.")
    tokenizer_data: str | None = Field(None, description="jsonl to train the shared BPE tokenizer on "
                                       "(default: dataset_path).")
    rating_key: str = Field("meta.rating", description="Dotted field the rating is written to.")
    vocab_size: int = Field(2000, ge=300, description="BPE vocabulary size.")
    n_layer: int = Field(1, ge=1, description="Proxy LM layers.")
    n_embd: int = Field(64, ge=16, description="Proxy LM hidden size.")
    n_head: int = Field(2, ge=1, description="Proxy LM attention heads.")
    seq_len: int = Field(48, ge=8, description="Tokens per sample.")
    batch_size: int = Field(16, ge=2, description="Training samples per step (the softmax runs over them).")
    val_batch_size: int = Field(32, ge=1, description="Reference samples per meta step.")
    steps: int = Field(100, ge=1, description="Joint training steps.")
    lr: float = Field(2e-3, gt=0, description="Proxy LM learning rate (AdamW).")
    rater_lr: float = Field(1e-2, gt=0, description="Rater learning rate (Adam).")
    inner_lr: float = Field(0.5, gt=0, description="SGD step size of the virtual lookahead step.")
    hidden: int = Field(32, ge=1, description="Rater MLP hidden units.")
    hash_dim: int = Field(256, ge=8, description="Hashed bag-of-words buckets.")
    max_reference: int = Field(400, ge=1, description="Use at most this many reference samples.")
    seed: int = Field(0, description="Seed of both networks and of batch sampling.")
    device: str = Field("auto", description="'auto' (cuda when available), 'cpu' or 'cuda'.")


def train_rater(rows: list[dict], ref_texts: list[str], a: RaterArgs, tokenizer_data: str) -> dict:
    """Joint training; returns {'ratings': [float per row], 'history': [...], 'feature_names': [...]}."""
    from sandbox_engine.sandbox.lm_steps import build_lm, encode_aligned, sample_losses, token_loss
    from sandbox_engine.sandbox.trainers.base import device, seed_everything
    from sandbox_engine.sandbox.trainers.lm import TinyLMArgs, get_tokenizer

    import torch

    seed_everything(a.seed)
    dev = device(a.device)
    feats_np, names = features(rows, a.text_key, a.hash_dim)
    feats = torch.from_numpy(feats_np).to(dev)
    lm_args = TinyLMArgs(text_key=a.text_key, vocab_size=a.vocab_size, n_layer=a.n_layer, n_embd=a.n_embd,
                         n_head=a.n_head, seq_len=a.seq_len, batch_size=a.batch_size, steps=a.steps, lr=a.lr)
    tok = get_tokenizer(tokenizer_data, a.text_key, a.vocab_size)
    ids, mask = encode_aligned(tok, [str(r.get(a.text_key) or "") for r in rows], a.seq_len)
    vids, vmask = encode_aligned(tok, ref_texts[: a.max_reference], a.seq_len)
    ids, mask, vids, vmask = ids.to(dev), mask.to(dev), vids.to(dev), vmask.to(dev)
    model = build_lm(tok.get_vocab_size(), lm_args, dropout=0.0, eager=True).to(dev).train()
    rater = torch.nn.Sequential(torch.nn.Linear(feats.shape[1], a.hidden), torch.nn.Tanh(),
                                torch.nn.Linear(a.hidden, 1)).to(dev)
    torch.nn.init.zeros_(rater[2].weight)  # start uniform: every sample weighs the same
    torch.nn.init.zeros_(rater[2].bias)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 20) * (1 - s / a.steps))
    ropt = torch.optim.Adam(rater.parameters(), lr=a.rater_lr)
    gen = torch.Generator().manual_seed(a.seed)
    bsz = min(a.batch_size, len(rows))
    history = []
    for step in range(a.steps):
        idx = torch.randperm(len(rows), generator=gen)[:bsz]
        vidx = torch.randint(0, len(vids), (min(a.val_batch_size, len(vids)),), generator=gen)
        x, m, f = ids[idx], mask[idx], feats[idx]
        # meta step: virtual SGD step of the LM under the rater's weights, then the validation loss
        params = dict(model.named_parameters())
        w = torch.softmax(rater(f).squeeze(-1), 0) * bsz
        inner = (w * sample_losses(model, x, m, params)).mean()
        grads = torch.autograd.grad(inner, list(params.values()), create_graph=True)
        ahead = {k: p - a.inner_lr * g for (k, p), g in zip(params.items(), grads)}
        val = token_loss(model, vids[vidx], vmask[vidx], ahead)
        ropt.zero_grad(set_to_none=True)
        rgrads = torch.autograd.grad(val, list(rater.parameters()))
        for p, g in zip(rater.parameters(), rgrads):
            p.grad = g
        ropt.step()
        # real step of the LM with the updated (detached) weights
        with torch.no_grad():
            w = torch.softmax(rater(f).squeeze(-1), 0) * bsz
        loss = (w * sample_losses(model, x, m)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        history.append({"step": step + 1, "train_loss": float(loss.detach()), "val_loss_ahead": float(val.detach())})
    with torch.no_grad():
        ratings = rater(feats).squeeze(-1).cpu().tolist()
    return {"ratings": ratings, "history": history, "feature_names": names}


def set_field(row: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    cur = row
    for p in parts[:-1]:
        nxt = cur.get(p)
        if not isinstance(nxt, dict):
            nxt = cur[p] = {}
        cur = nxt
    cur[parts[-1]] = value


def rate_dataset(a: RaterArgs, out_path: str | Path) -> dict:
    """Rate every sample of `a.dataset_path`; writes the rows with the rating field to `out_path`."""
    rows = load_pool(a.dataset_path)
    if not rows:
        raise ValueError(f"learned_rater: {a.dataset_path} is empty")
    ref = [str(r.get(a.text_key) or "") for r in read_jsonl(resolve_demo_path(a.reference))]
    res = train_rater(rows, [t for t in ref if t], a, resolve_demo_path(a.tokenizer_data or a.dataset_path))
    for r, s in zip(rows, res["ratings"]):
        set_field(r, a.rating_key, float(s))
    path = write_jsonl(out_path, rows)
    h = res["history"]
    k = max(1, len(h) // 10)
    return {"rated_path": str(path), "num": len(rows), "rating_key": a.rating_key,
            "val_loss_first": sum(x["val_loss_ahead"] for x in h[:k]) / k,
            "val_loss_last": sum(x["val_loss_ahead"] for x in h[-k:]) / k}


@register_component("learned_rater")
class LearnedRater(Component):
    kind = "data_executor"
    description = ("Alchemist-style learned data rater: an MLP over cheap features (text ratios, the analyzer's "
                   "stats, hashed bag of words) trained jointly with a tiny proxy LM by a one-step-lookahead "
                   "meta-gradient, so samples that lower the clean reference loss get higher ratings.")
    outputs = "[rated data set path (rating in meta.rating), {num, val_loss_first, val_loss_last}]"
    Args = RaterArgs

    def run(self, export_path: Path) -> list[Any]:
        from sandbox_engine.sandbox.pools import _stem

        info = rate_dataset(self.args, Path(export_path) / f"{_stem(self.args.dataset_path)}_rated.jsonl")
        return [info["rated_path"], info]


# ---- comparison: top-k vs shift-gaussian vs random pools of equal size ----

class SelectionComparisonArgs(ComponentArgs):
    rated_dataset: str = Field(description="jsonl with a rating per sample (learned_rater's output).")
    field_key: str = Field("meta.rating", description="Dotted rating field.")
    select_ratio: float = Field(0.5, gt=0, le=1, description="Share of samples each pool keeps.")
    mu_shift: float = Field(0.2, ge=0, le=1, description="shift_gaussian_selector's centre.")
    sigma: float = Field(0.2, gt=0, description="shift_gaussian_selector's width.")
    trainer: dict = Field(description="Trainer config {type: tiny_lm, ...}.")
    evaluator: dict = Field(description="Evaluator config {type: lm_perplexity, ...}.")
    seeds: list[int] = Field([0, 1, 2], description="Training seeds.")
    selection_seed: int = Field(42, description="Seed of the shift-gaussian draw and of the random pool.")
    parallel: bool = Field(False, description="Run the trainings as Ray tasks.")


def selection_pools(rows: list[dict], a: SelectionComparisonArgs, out_dir: Path) -> dict[str, str]:
    """Three pools of equal size: top-k by rating, shift-gaussian around a shifted centre, random."""
    from sandbox_engine import process_samples

    topk = process_samples(rows, [{"topk_specified_field_selector": {"field_key": a.field_key,
                                                                     "top_ratio": a.select_ratio}}])
    shift = process_samples(rows, [{"shift_gaussian_selector": {
        "field_key": a.field_key, "select_ratio": a.select_ratio, "mu_shift": a.mu_shift, "sigma": a.sigma,
        "seed": a.selection_seed}}])
    n = min(len(topk), len(shift))
    rnd = random.Random(a.selection_seed).sample(rows, n)
    out_dir = Path(out_dir)
    return {"topk": str(write_jsonl(out_dir / "pool_topk.jsonl", topk[:n])),
            "shift_gaussian": str(write_jsonl(out_dir / "pool_shift_gaussian.jsonl", shift[:n])),
            "random": str(write_jsonl(out_dir / "pool_random.jsonl", rnd))}


def compare_selections(a: SelectionComparisonArgs, out_dir: str | Path, work_dir: str | None = None) -> dict:
    """Train the proxy LM on each pool with each seed; {metric, lower_is_better, seeds, size, arms:
    {arm: {mean, std, runs}}, markdown} ready for report.md."""
    from sandbox_engine.sandbox.compare import LOWER_IS_BETTER
    from sandbox_engine.sandbox.hooks import aggregate
    from sandbox_engine.sandbox.ray_exec import run_trials
    from sandbox_engine.sandbox.trainers import get_component

    out_dir = Path(out_dir)
    rows = load_pool(a.rated_dataset)
    pools = selection_pools(rows, a, out_dir)
    trials = [{"trainer": a.trainer, "evaluator": a.evaluator, "dataset_path": p, "seed": s,
               "out_dir": str(out_dir / "models" / f"{arm}_s{s}"), "tag": arm}
              for arm, p in pools.items() for s in a.seeds]
    res = run_trials(trials, parallel=a.parallel, work_dir=str(work_dir or out_dir))
    metric = getattr(get_component(a.evaluator["type"], "evaluator"), "primary_metric", "") or "perplexity"
    size = len(load_pool(pools["topk"]))
    out: dict[str, Any] = {"metric": metric, "lower_is_better": metric in LOWER_IS_BETTER, "seeds": len(a.seeds),
                           "size": size, "total": len(rows), "select_ratio": a.select_ratio,
                           "mu_shift": a.mu_shift, "sigma": a.sigma, "arms": {}}
    for arm in pools:
        agg = aggregate([r for r in res if r.get("tag") == arm])
        out["arms"][arm] = {"mean": agg["metrics"].get(metric), "std": agg["metrics_std"].get(metric),
                            "seeds": agg["seeds"], "errors": agg["errors"], "dataset_path": pools[arm]}
    out["markdown"] = comparison_markdown(out)
    return out


def comparison_markdown(c: dict) -> str:
    lines = [f"Pools of {c['size']} of {c['total']} samples (ratio {c['select_ratio']}), proxy LM held-out "
             f"{c['metric']} ({'lower' if c['lower_is_better'] else 'higher'} is better), mean ± std over "
             f"{c['seeds']} seeds:", "", f"| selection | {c['metric']} |", "|---|---|"]
    for arm, v in c["arms"].items():
        val = "failed" if v["mean"] is None else f"{v['mean']:.2f} ± {v['std']:.2f}"
        label = {"shift_gaussian": f"shift-gaussian (mu_shift {c['mu_shift']}, sigma {c['sigma']})",
                 "topk": "top-k by rating"}.get(arm, arm)
        lines.append(f"| {label} | {val} |")
    return "\n".join(lines)


@register_component("rating_selection_comparison")
class RatingSelectionComparison(Component):
    kind = "data_executor"
    description = ("Compares selections by a learned rating at equal size: top-k, shift-gaussian (a window "
                   "below the top) and random; trains the proxy LM on each over seeds.")
    outputs = "[{metric, lower_is_better, seeds, size, arms: {topk, shift_gaussian, random: {mean, std}}, markdown}]"
    Args = SelectionComparisonArgs

    def run(self, export_path: Path) -> list[Any]:
        return [compare_selections(self.args, Path(export_path) / "rating_selection")]


__all__ = ["RaterArgs", "train_rater", "rate_dataset", "features", "LearnedRater", "compare_selections",
           "SelectionComparisonArgs", "RatingSelectionComparison"]
