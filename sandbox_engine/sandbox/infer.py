"""Model inference over data: the per-sample loss of a trained tiny LM, as a stat pools can be built on."""
from __future__ import annotations

from pathlib import Path


def per_sample_loss(model_path: str, dataset_path: str, out: Path, text_key: str = "text",
                    max_tokens: int = 64) -> str:
    from sandbox_engine.sandbox.trainers.base import ensure_torch_stack

    ensure_torch_stack()
    import torch
    from tokenizers import Tokenizer
    from transformers import GPT2LMHeadModel

    from sandbox_engine.sandbox.demo_data import write_jsonl
    from sandbox_engine.sandbox.pools import STATS, load_pool

    torch.set_num_threads(1)
    tok = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    model = GPT2LMHeadModel.from_pretrained(model_path).eval()
    n_pos = min(max_tokens, model.config.n_positions)
    rows = load_pool(dataset_path)
    with torch.no_grad():
        for r in rows:
            ids = tok.encode(str(r.get(text_key, ""))).ids[:n_pos]
            loss = float("nan")
            if len(ids) > 1:
                x = torch.tensor([ids])
                loss = float(model(input_ids=x, labels=x).loss)
            r.setdefault(STATS, {})["proxy_loss"] = loss
    return str(write_jsonl(out, rows))
