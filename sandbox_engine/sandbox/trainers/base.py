"""Component registry: proxy trainers/evaluators (and other typed components) looked up by `type`."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from sandbox_engine.errors import RecipeError, did_you_mean

COMPONENTS: dict[str, type["Component"]] = {}


class ComponentArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Component:
    """A typed component. `kind` is 'trainer', 'evaluator' or 'trainer+evaluator'."""

    type: ClassVar[str] = ""
    kind: ClassVar[str] = ""
    description: ClassVar[str] = ""
    outputs: ClassVar[str] = ""
    Args: ClassVar[type[ComponentArgs]] = ComponentArgs

    def __init__(self, **cfg: Any) -> None:
        cfg = {k: v for k, v in cfg.items() if k != "type"}
        try:
            self.args = self.Args(**cfg)
        except ValidationError as err:
            probs = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(args)'}: {e['msg']}" for e in err.errors())
            raise RecipeError(f"component type {self.type!r}: {probs} (allowed keys: "
                              f"{', '.join(self.Args.model_fields)})") from None


class Trainer(Component):
    kind = "trainer"

    def train(self, dataset_path: str, out_dir: Path, seed: int) -> dict:
        """Train on a jsonl dataset; return at least {'model_path': ..., 'train_loss': ...}."""
        raise NotImplementedError


class Evaluator(Component):
    kind = "evaluator"
    primary_metric: ClassVar[str] = ""

    def evaluate(self, model_path: str, out_dir: Path) -> dict:
        """Evaluate a trained model; return {metric: value}."""
        raise NotImplementedError


def register_component(type_name: str):
    def deco(cls: type[Component]) -> type[Component]:
        cls.type = type_name
        COMPONENTS[type_name] = cls
        return cls

    return deco


def get_component(type_name: str, kind: str | None = None) -> type[Component]:
    from sandbox_engine.sandbox.trainers import load_builtin

    load_builtin()
    cls = COMPONENTS.get(type_name)
    if cls is None or (kind and kind not in cls.kind):
        names = [n for n, c in COMPONENTS.items() if not kind or kind in c.kind]
        raise RecipeError(f"unknown {kind or 'component'} type {type_name!r};{did_you_mean(type_name, names)} "
                          f"known: {', '.join(sorted(names))}")
    return cls


def component_metadata() -> list[dict]:
    from sandbox_engine.sandbox.trainers import load_builtin

    load_builtin()
    return [{"type": n, "kind": c.kind, "description": c.description, "outputs": c.outputs,
             "arguments": {k: {"default": repr(f.default), "description": f.description or ""}
                           for k, f in c.Args.model_fields.items()}}
            for n, c in sorted(COMPONENTS.items())]


def seed_everything(seed: int) -> None:
    ensure_torch_stack()
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    torch.set_num_threads(1)


def device(prefer: str = "auto") -> str:
    import torch

    if prefer == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return prefer



def ensure_torch_stack() -> None:
    """`transformers` and `open_clip` import torchvision, whose wheel may not match the CPU torch: apply
    the shared shim first (a no-op where torchvision imports fine)."""
    from sandbox_engine.compat.torchvision_compat import ensure_torchvision

    ensure_torchvision()


def train_contrastive(model: Any, media: Any, texts: Any, logits: Any, *, steps: int, batch_size: int, lr: float,
                      weight_decay: float, seed: int, dev: str) -> list[float]:
    """The proxies' shared loop: AdamW with a 10-step warm-up and linear decay, random batches of pairs,
    InfoNCE both ways. `logits(model, media_batch, text_batch)` gives the pair similarity matrix.
    Returns the loss of every step."""
    import torch
    import torch.nn.functional as F

    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 10) * (1 - s / steps))
    gen = torch.Generator().manual_seed(seed)
    n = len(texts)
    bs = min(batch_size, n)
    losses = []
    model.train()
    for _ in range(steps):
        idx = torch.randperm(n, generator=gen)[:bs]
        lg = logits(model, media[idx].to(dev), texts[idx].to(dev))
        target = torch.arange(bs, device=dev)
        loss = (F.cross_entropy(lg, target) + F.cross_entropy(lg.t(), target)) / 2
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    return losses


def save_trained(model: Any, args: BaseModel, out_dir: Path, losses: list[float]) -> dict:
    """model.pt + config.json in `out_dir`; the mean loss of the last tenth of the steps."""
    import torch

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out_dir / "model.pt")
    (out_dir / "config.json").write_text(args.model_dump_json())
    tail = losses[-max(1, len(losses) // 10):]
    return {"model_path": str(out_dir), "train_loss": sum(tail) / len(tail)}
