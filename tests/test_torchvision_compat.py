"""The torchvision compat shim, each case in a fresh interpreter (imports are process-global)."""
import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = textwrap.dedent("""
    import json
    from sandbox_engine.compat import torchvision_compat as c
    try:
        tv = c.ensure_torchvision()
        out = {"ok": True, "patched": c.patched, "file": tv.__file__}
    except Exception as err:
        out = {"ok": False, "error": f"{type(err).__name__}: {err}", "patched": c.patched}
    print(json.dumps(out))
""")


def probe(extra_path: Path | None = None, code: str = PROBE) -> dict:
    env_path = [str(ROOT)] + ([str(extra_path)] if extra_path else [])
    cmd = [sys.executable, "-c", f"import sys; sys.path[:0] = {env_path!r}\n" + code]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def fake_torchvision(tmp_path: Path, body: str) -> Path:
    pkg = tmp_path / "torchvision"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(textwrap.dedent(body))
    return tmp_path


def test_missing_nms_schema_is_defined_then_import_succeeds(tmp_path):
    # Mimics the CUDA-wheel failure: the fake registers a fake kernel for an op nobody defined.
    root = fake_torchvision(tmp_path, """
        import torch
        torch.library.register_fake("torchvision::nms")(lambda dets, scores, iou_threshold: dets)
        transforms = "fake"
    """)
    out = probe(root)
    assert out["ok"], out
    assert out["patched"] == ["nms"]
    assert out["file"].startswith(str(tmp_path))


def test_other_import_errors_are_not_hidden(tmp_path):
    root = fake_torchvision(tmp_path, """
        raise RuntimeError("CUDA driver version is insufficient")
    """)
    out = probe(root)
    assert not out["ok"]
    assert "CUDA driver version is insufficient" in out["error"]
    assert out["patched"] == []


def test_working_torchvision_is_left_alone(tmp_path):
    root = fake_torchvision(tmp_path, """
        transforms = "fine"
    """)
    out = probe(root)
    assert out == {"ok": True, "patched": [], "file": out["file"]}


def test_real_torchvision_and_open_clip_import():
    if importlib.util.find_spec("open_clip") is None:  # importing it here would need the shim
        pytest.skip("open_clip is not installed")
    code = PROBE + textwrap.dedent("""
        import open_clip, torchvision.transforms as T
        print(json.dumps({"ok": hasattr(T, "Resize") and hasattr(open_clip, "create_model"),
                          "patched": c.patched}))
    """)
    out = probe(code=code)
    assert out["ok"], out
