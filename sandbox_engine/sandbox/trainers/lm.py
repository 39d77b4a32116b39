"""Tiny causal LM proxy: a 2-layer GPT-2 trained from scratch with its own byte-level BPE tokenizer,
evaluated by perplexity on a clean held-out reference split. Seconds per run on one CPU thread.

Every pool in one experiment must share a tokenizer, or perplexities are not comparable: configs set
`tokenizer_data` to the full original data set; the trained tokenizer is cached by that file's identity.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

from pydantic import Field

from sandbox_engine.sandbox.demo_data import cache_root, read_jsonl, resolve_demo_path
from sandbox_engine.sandbox.trainers.base import (ComponentArgs, Evaluator, Trainer, device,
                                                  ensure_torch_stack, register_component,
                                                  seed_everything)


def _texts(path: str, text_key: str, limit: int | None = None) -> list[str]:
    rows = read_jsonl(resolve_demo_path(path))
    out = [str(r.get(text_key, "")) for r in rows if r.get(text_key)]
    return out[:limit] if limit else out


def get_tokenizer(data_path: str, text_key: str = "text", vocab_size: int = 2000):
    """Train (or load from the cache) a byte-level BPE tokenizer on a jsonl file."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    data_path = resolve_demo_path(data_path)
    st = os.stat(data_path)
    key = hashlib.sha1(f"{os.path.abspath(data_path)}|{st.st_size}|{st.st_mtime_ns}|{text_key}|{vocab_size}"
                       .encode()).hexdigest()[:16]
    path = cache_root() / "tokenizers" / f"bpe-{key}.json"
    if path.exists():
        return Tokenizer.from_file(str(path))
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(_texts(data_path, text_key), trainer=trainer)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
    tok.save(str(tmp))
    tmp.replace(path)
    return tok


def doc_blocks(tok, texts: list[str], seq_len: int) -> list[list[int]]:
    """Each sample as its first seq_len-1 tokens + end of text: a long sample weighs no more than one block,
    so data quality, not length, decides what the model learns."""
    eos = tok.token_to_id("<|endoftext|>")
    out = []
    for enc in tok.encode_batch([t[: seq_len * 12] for t in texts]):  # a token is < 12 chars
        ids = enc.ids[: seq_len - 1] + [eos]
        if len(ids) >= 2:
            out.append(ids)
    return out


def packed_batch(docs: list[list[int]], need: int, gen):
    """Random samples (each truncated to one block) packed end to end into exactly `need` tokens: every step
    trains on the same number of tokens, whatever the pool's sample lengths."""
    import torch

    out: list[int] = []
    while len(out) < need:
        for i in torch.randint(0, len(docs), (64,), generator=gen).tolist():
            out.extend(docs[i])
            if len(out) >= need:
                break
    return torch.tensor(out[:need], dtype=torch.long)


def pad_blocks(docs: list[list[int]], seq_len: int):
    import torch

    ids = torch.zeros((len(docs), seq_len), dtype=torch.long)
    mask = torch.zeros((len(docs), seq_len), dtype=torch.long)
    for i, d in enumerate(docs):
        ids[i, : len(d)] = torch.tensor(d)
        mask[i, : len(d)] = 1
    return ids, mask


def _token_stream(tok, texts: list[str]) -> list[int]:
    eos = tok.token_to_id("<|endoftext|>")
    ids: list[int] = []
    for enc in tok.encode_batch(texts):
        ids.extend(enc.ids)
        ids.append(eos)
    return ids


class TinyLMArgs(ComponentArgs):
    text_key: str = Field("text", description="Field holding the text.")
    tokenizer_data: str | None = Field(None, description="jsonl file to train the shared BPE tokenizer on "
                                       "(default: the training data; set it so pools share one tokenizer).")
    vocab_size: int = Field(2000, ge=300, description="BPE vocabulary size.")
    n_layer: int = Field(2, ge=1, description="Transformer layers.")
    n_embd: int = Field(128, ge=16, description="Hidden size.")
    n_head: int = Field(4, ge=1, description="Attention heads.")
    seq_len: int = Field(64, ge=8, description="Training block length in tokens.")
    batch_size: int = Field(16, ge=1, description="Blocks per step.")
    steps: int = Field(200, ge=1, description="Optimizer steps (a fixed token budget for every pool).")
    lr: float = Field(2e-3, gt=0, description="Peak learning rate (AdamW, linear decay).")
    device: str = Field("auto", description="'auto' (cuda when available), 'cpu' or 'cuda'.")


@register_component("tiny_lm")
class TinyLMTrainer(Trainer):
    description = ("Trains a tiny GPT-2 causal LM (transformers config, default 2 layers, d=128) from scratch "
                   "on the pool's texts with a byte-level BPE tokenizer, for a fixed token budget.")
    outputs = "model_path (a directory with the model and tokenizer.json), train_loss"
    Args = TinyLMArgs

    def train(self, dataset_path: str, out_dir: Path, seed: int) -> dict:
        ensure_torch_stack()
        import torch
        from transformers import GPT2Config, GPT2LMHeadModel

        a = self.args
        seed_everything(seed)
        dev = device(a.device)
        tok = get_tokenizer(a.tokenizer_data or dataset_path, a.text_key, a.vocab_size)
        docs = doc_blocks(tok, _texts(dataset_path, a.text_key), a.seq_len)
        if not docs:
            raise ValueError(f"tiny_lm: {dataset_path} has no text to train on")
        cfg = GPT2Config(vocab_size=tok.get_vocab_size(), n_positions=a.seq_len, n_embd=a.n_embd,
                         n_layer=a.n_layer, n_head=a.n_head, bos_token_id=0, eos_token_id=0)
        model = GPT2LMHeadModel(cfg).to(dev)
        opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 20) * (1 - s / a.steps))
        gen = torch.Generator().manual_seed(seed)
        model.train()
        losses = []
        need = a.batch_size * a.seq_len
        for _ in range(a.steps):
            x = packed_batch(docs, need, gen).view(a.batch_size, a.seq_len).to(dev)
            loss = model(input_ids=x, labels=x).loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            losses.append(loss.item())
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(out_dir)
        tok.save(str(out_dir / "tokenizer.json"))
        tail = losses[-max(1, len(losses) // 10):]
        return {"model_path": str(out_dir), "train_loss": sum(tail) / len(tail), "train_docs": len(docs)}


class PerplexityArgs(ComponentArgs):
    reference: str = Field("demo:text_reference", description="Clean held-out jsonl (or demo:text_reference).")
    text_key: str = Field("text", description="Field holding the text.")
    seq_len: int = Field(64, ge=8, description="Evaluation block length (<= the model's n_positions).")
    max_blocks: int = Field(800, ge=1, description="Evaluate at most this many reference samples.")
    device: str = Field("auto", description="'auto', 'cpu' or 'cuda'.")


@register_component("lm_perplexity")
class PerplexityEvaluator(Evaluator):
    description = "Held-out perplexity (exp of the mean token loss) of a tiny LM on a clean reference split."
    outputs = "perplexity (lower is better), loss"
    primary_metric = "perplexity"
    Args = PerplexityArgs

    def evaluate(self, model_path: str, out_dir: Path | None = None) -> dict:
        ensure_torch_stack()
        import torch
        from tokenizers import Tokenizer
        from transformers import GPT2LMHeadModel

        a = self.args
        torch.set_num_threads(1)
        dev = device(a.device)
        tok = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        model = GPT2LMHeadModel.from_pretrained(model_path).to(dev).eval()
        seq_len = min(a.seq_len, model.config.n_positions)
        docs = doc_blocks(tok, _texts(a.reference, a.text_key), seq_len)[: a.max_blocks]
        ids, mask = pad_blocks(docs, seq_len)
        total, count = 0.0, 0
        with torch.no_grad():
            for i in range(0, len(docs), 64):
                x, m = ids[i: i + 64].to(dev), mask[i: i + 64].to(dev)
                n = int((m[:, 1:] > 0).sum())
                loss = model(input_ids=x, attention_mask=m, labels=x.masked_fill(m == 0, -100)).loss
                total += float(loss) * n
                count += n
        loss = total / count
        return {"perplexity": math.exp(loss), "loss": loss}


def _dump(obj: dict) -> str:
    return json.dumps(obj, sort_keys=True)
