"""Small media the video and audio tests write themselves: clips (PyAV, OpenCV) and tones (wave)."""
from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np


def frames_moving_square(n: int, w: int, h: int, speed: int = 2, side: int = 8,
                         bg: int = 0, fg: int = 255) -> list[np.ndarray]:
    """RGB frames with a textured square moving right by `speed` pixels per frame."""
    rng = np.random.default_rng(0)
    tex = rng.integers(60, 255, size=(side, side, 3), dtype=np.uint8)
    out = []
    for i in range(n):
        f = np.full((h, w, 3), bg, dtype=np.uint8)
        x = (2 + i * speed) % max(1, w - side)
        y = (h - side) // 2
        f[y:y + side, x:x + side] = tex if fg == 255 else fg
        out.append(f)
    return out


def write_clip(path: str | Path, frames: list[np.ndarray], fps: int = 10, codec: str = "mpeg4",
               gop: int | None = None, audio_hz: float | None = None) -> str:
    """Write RGB frames with PyAV (yuv420p); `gop` sets the key-frame interval."""
    import av

    path = str(path)
    h, w = frames[0].shape[:2]
    with av.open(path, "w") as out:
        s = out.add_stream(codec, rate=fps)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        if gop:
            s.codec_context.gop_size = gop
        a = None
        if audio_hz:
            a = out.add_stream("aac", rate=16000)
        for f in frames:
            for p in s.encode(av.VideoFrame.from_ndarray(f, format="rgb24")):
                out.mux(p)
        for p in s.encode():
            out.mux(p)
        if a is not None:
            n = int(16000 * len(frames) / fps)
            t = np.arange(n) / 16000
            samples = (0.3 * np.sin(2 * math.pi * audio_hz * t)).astype(np.float32)[None, :]
            for start in range(0, n, 1024):
                fr = av.AudioFrame.from_ndarray(samples[:, start:start + 1024], format="fltp", layout="mono")
                fr.sample_rate = 16000
                for p in a.encode(fr):
                    out.mux(p)
            for p in a.encode():
                out.mux(p)
    return path


def clip(path: str | Path, seconds: float = 2.0, fps: int = 10, w: int = 64, h: int = 48,
         speed: int = 2, **kw) -> str:
    return write_clip(path, frames_moving_square(int(round(seconds * fps)), w, h, speed), fps, **kw)


def write_cv2_clip(path: str | Path, frames: list[np.ndarray], fps: int = 10) -> str:
    """Write RGB frames with OpenCV's VideoWriter (mp4v), as users' tools often do."""
    import cv2

    h, w = frames[0].shape[:2]
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        vw.write(f[:, :, ::-1].copy())
    vw.release()
    return str(path)


def tone(path: str | Path, seconds: float, rate: int = 8000, hz: float = 440.0, amp: float = 0.5,
         noise: float = 0.0, channels: int = 1, seed: int = 0) -> str:
    """A 16-bit PCM WAV sine tone (plus white noise of amplitude `noise`) with the standard library."""
    rng = np.random.default_rng(seed)
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    y = amp * np.sin(2 * math.pi * hz * t) + noise * rng.standard_normal(n)
    pcm = np.clip(y * 32767, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(channels)
        wf.setsampwidth(2)
        wf.setframerate(rate)
        data = np.repeat(pcm, channels) if channels > 1 else pcm
        wf.writeframes(data.tobytes())
    return str(path)


__all__ = ["clip", "write_clip", "write_cv2_clip", "frames_moving_square", "tone"]
