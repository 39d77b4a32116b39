"""Make `import torchvision` (and so `import open_clip`) work with a CPU torch and a CUDA torchvision.

The torchvision wheel pip resolves is a CUDA build. Its C++ extension cannot load next to the CPU
torch, so its operators are never defined, yet `torchvision/_meta_registrations.py` still registers
fake kernels for ``torchvision::nms`` / ``qnms`` and the import dies with "operator torchvision::nms
does not exist". We define just the missing schemas (no kernels: those ops stay unusable, which is
what a CPU torch without the extension would give anyway) and import again. Any other failure, and
any machine where torchvision imports fine, is left alone.
"""
from __future__ import annotations

import re
import sys
import threading

# Schemas of the torchvision operators that torchvision registers Python fakes for unconditionally.
_SCHEMAS = {
    "nms": "(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms": "(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "roi_align": ("(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, "
                  "SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor"),
}
_MISSING = re.compile(r"operator torchvision::(\w+) does not exist")
_lock = threading.Lock()
_libs: list = []  # keep torch.library.Library objects alive (dropping them undefines the ops)
patched: list[str] = []  # which schemas this process had to define (for tests and diagnostics)


def _forget_partial_import() -> None:
    for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
        del sys.modules[name]


def _define(op: str) -> None:
    import torch

    if not _libs:
        _libs.append(torch.library.Library("torchvision", "FRAGMENT"))
    _libs[0].define(f"{op}{_SCHEMAS[op]}")
    patched.append(op)


def ensure_torchvision():
    """Import torchvision, defining the missing operator schemas first if (and only if) the import
    fails with the CUDA-build/CPU-torch mismatch. Returns the torchvision module."""
    with _lock:
        mod = sys.modules.get("torchvision")
        if mod is not None and hasattr(mod, "transforms"):
            return mod
        for _ in range(len(_SCHEMAS) + 1):
            try:
                import torchvision
                return torchvision
            except RuntimeError as err:
                m = _MISSING.search(str(err))
                if not m or m.group(1) not in _SCHEMAS or m.group(1) in patched:
                    raise
                _forget_partial_import()
                _define(m.group(1))
        raise RuntimeError("torchvision still fails to import after defining its operator schemas")
