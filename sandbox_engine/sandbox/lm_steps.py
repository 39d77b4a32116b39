"""Building blocks shared by the learned rater and the HPO objective: the tiny proxy LM of `trainers/lm.py`
(same tokenizer cache, same one-sequence-per-sample encoding) with per-sample losses and a training loop
that reports held-out loss along the way (so optuna can prune a bad trial early).

Torch is imported inside the functions: the CLI imports sandbox modules at startup.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from sandbox_engine.sandbox.trainers.base import device, ensure_torch_stack, seed_everything
from sandbox_engine.sandbox.trainers.lm import TinyLMArgs, get_tokenizer, pad_blocks


def encode_aligned(tok, texts: list[str], seq_len: int):
    """One row per text, in order (unlike `doc_blocks`, which drops texts under two tokens): a text's
    first seq_len-1 tokens + end of text. Returns (ids, mask) tensors."""
    eos = tok.token_to_id("<|endoftext|>")
    docs = [enc.ids[: seq_len - 1] + [eos] for enc in tok.encode_batch([t[: seq_len * 12] for t in texts])]
    return pad_blocks(docs, seq_len)


def build_lm(vocab_size: int, a: TinyLMArgs, dropout: float | None = None, eager: bool = False):
    """A GPT-2 with TinyLMTrainer's shape. `eager` attention supports double backward (meta-gradients)."""
    ensure_torch_stack()
    from transformers import GPT2Config, GPT2LMHeadModel

    kw: dict[str, Any] = {}
    if dropout is not None:
        kw = {"resid_pdrop": dropout, "embd_pdrop": dropout, "attn_pdrop": dropout}
    cfg = GPT2Config(vocab_size=vocab_size, n_positions=a.seq_len, n_embd=a.n_embd, n_layer=a.n_layer,
                     n_head=a.n_head, bos_token_id=0, eos_token_id=0, **kw)
    if eager:
        cfg._attn_implementation = "eager"
    return GPT2LMHeadModel(cfg)


def sample_losses(model, ids, mask, params: dict | None = None):
    """Mean next-token loss of each row (B,), optionally with substituted parameters (functional call)."""
    import torch
    import torch.nn.functional as F

    if params is None:
        logits = model(input_ids=ids, attention_mask=mask).logits
    else:
        logits = torch.func.functional_call(model, params, (ids,), {"attention_mask": mask}).logits
    tgt, m = ids[:, 1:], mask[:, 1:].to(logits.dtype)
    ce = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), tgt.reshape(-1), reduction="none")
    ce = ce.view(tgt.shape) * m
    return ce.sum(1) / m.sum(1).clamp(min=1.0)


def token_loss(model, ids, mask, params: dict | None = None):
    """Token-weighted mean loss of a batch (what `lm_perplexity` reports), differentiable."""
    import torch
    import torch.nn.functional as F

    if params is None:
        logits = model(input_ids=ids, attention_mask=mask).logits
    else:
        logits = torch.func.functional_call(model, params, (ids,), {"attention_mask": mask}).logits
    tgt, m = ids[:, 1:], mask[:, 1:].to(logits.dtype)
    ce = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), tgt.reshape(-1), reduction="none")
    return (ce.view(tgt.shape) * m).sum() / m.sum().clamp(min=1.0)


def eval_loss(model, ids, mask, batch: int = 64) -> float:
    """Held-out token loss (no grad), batched."""
    import torch

    was = model.training
    model.eval()
    total, count = 0.0, 0.0
    with torch.no_grad():
        for i in range(0, len(ids), batch):
            x, m = ids[i: i + batch], mask[i: i + batch]
            n = float(m[:, 1:].sum())
            total += float(token_loss(model, x, m)) * n
            count += n
    model.train(was)
    return total / max(count, 1.0)


def train_lm(texts: list[str], ref_texts: list[str], a: TinyLMArgs, seed: int, tokenizer_data: str,
             report: Callable[[int, float], None] | None = None, eval_every: int = 0) -> dict:
    """TinyLMTrainer's loop (AdamW, warm-up + linear decay, fixed steps) on in-memory texts; evaluates the
    held-out loss every `eval_every` steps and hands it to `report(step, perplexity)` (which may raise to
    stop, e.g. optuna.TrialPruned). Returns {'perplexity', 'loss', 'train_docs'}."""
    import torch

    seed_everything(seed)
    dev = device(a.device)
    tok = get_tokenizer(tokenizer_data, a.text_key, a.vocab_size)
    ids, mask = encode_aligned(tok, [t for t in texts if t], a.seq_len)
    if len(ids) == 0:
        raise ValueError("train_lm: no text to train on")
    vids, vmask = encode_aligned(tok, ref_texts, a.seq_len)
    vids, vmask = vids.to(dev), vmask.to(dev)
    model = build_lm(tok.get_vocab_size(), a).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 20) * (1 - s / a.steps))
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for step in range(1, a.steps + 1):
        idx = torch.randint(0, len(ids), (a.batch_size,), generator=gen)
        x, m = ids[idx].to(dev), mask[idx].to(dev)
        loss = token_loss(model, x, m)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if report and eval_every and step % eval_every == 0 and step < a.steps:
            report(step, math.exp(eval_loss(model, vids, vmask)))
    loss = eval_loss(model, vids, vmask)
    return {"perplexity": math.exp(loss), "loss": loss, "train_docs": len(ids)}
