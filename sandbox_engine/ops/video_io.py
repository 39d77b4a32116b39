"""Reading, sampling, cutting and re-encoding videos (Data-Juicer 1.4.3's mm_utils, on PyAV).

Shared by the video filters, mappers and the video deduplicator. Durations are the video stream's
(`stream.duration * time_base`), not the container's, as upstream. Produced files are named as
Data-Juicer's `transfer_filename` names them: ``{dir}/{stem}__dj_hash_#{H}#{ext}``.
"""
from __future__ import annotations

import bisect
import hashlib
import os
import re
import subprocess
import time
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable

from sandbox_engine.errors import DataFormatError, ModelUnavailableError
from sandbox_engine.fields import EOC_TOKEN, IMAGE_TOKEN

VIDEO_TOKEN = "<__dj__video>"
AUDIO_TOKEN = "<__dj__audio>"
SPECIAL_TOKENS = (VIDEO_TOKEN, AUDIO_TOKEN, IMAGE_TOKEN, EOC_TOKEN)


# -- opening -------------------------------------------------------------------------------------------

def open_video(path: str):
    """A PyAV container (read). Missing or unreadable file: DataFormatError naming the path."""
    import av

    try:
        return av.open(str(path))
    except FileNotFoundError:
        raise DataFormatError(f"video {path!r} does not exist (relative paths are read from the "
                              f"working directory {os.getcwd()!r})") from None
    except av.FFmpegError as err:
        raise DataFormatError(f"video {path!r} cannot be read as a video: {err}") from None


def video_stream(container, path: str = ""):
    if not container.streams.video:
        raise DataFormatError(f"video {path or container.name!r} has no video stream")
    return container.streams.video[0]


def duration_fraction(container, path: str = "") -> Fraction:
    """The video stream's duration in seconds as an exact Fraction (None duration: an error)."""
    s = video_stream(container, path)
    if s.duration is None:
        raise DataFormatError(f"video {path or container.name!r}: its video stream stores no duration")
    return Fraction(s.duration) * Fraction(s.time_base)


def get_video_duration(container, path: str = "") -> float:
    return float(duration_fraction(container, path))


def key_frames(container) -> list:
    """The key frames of video stream 0 (the first decoded frame when none is flagged)."""
    s = video_stream(container)
    s.codec_context.skip_frame = "NONKEY"
    container.seek(0)
    frames = list(container.decode(s))
    s.codec_context.skip_frame = "DEFAULT"
    if not frames:
        container.seek(0)
        for f in container.decode(s):
            frames = [f]
            break
    return frames


def key_frame_seconds(container) -> list[float]:
    s = video_stream(container)
    return sorted(float(f.pts * s.time_base) for f in key_frames(container))


def frames_uniformly(container, frame_num: int) -> list:
    """`frame_num` frames at evenly spaced timestamps (upstream extract_video_frames_uniformly):
    n=1 takes the middle, otherwise i*D/(n-1). `stream.frames` caps n (0 when the container stores
    no frame count: then no frame comes back, as upstream)."""
    s = video_stream(container)
    n = min(frame_num, s.frames)
    if n <= 0:
        return []
    duration = get_video_duration(container)
    ts = [duration / 2] if n == 1 else [i * duration / (n - 1) for i in range(n)]
    kfs = key_frame_seconds(container)
    if not kfs or kfs[0] != 0:
        kfs = [0.0] + kfs
    groups: dict[int, list[float]] = {}
    for t in ts:
        groups.setdefault(max(0, bisect.bisect_right(kfs, t) - 1), []).append(t)
    tb = s.time_base
    out: list = []
    for g, times in sorted(groups.items()):
        if g == 0:
            container.seek(0)
        else:
            container.seek(int(kfs[g] / tb), stream=s)
        todo = list(times)
        last = None
        for frame in container.decode(s):
            last = frame
            if frame.pts is not None and frame.pts >= todo[0] / tb:
                out.append(frame)  # one frame per timestamp, never reused
                todo.pop(0)
            if not todo:
                break
        if todo and last is not None:
            out.append(last)
    return out


def sample_frames(container, method: str, frame_num: int) -> list:
    """Frames by Data-Juicer's frame_sampling_method: 'all_keyframes' or 'uniform'."""
    if method == "all_keyframes":
        return key_frames(container)
    return frames_uniformly(container, frame_num)


def frame_images(path: str, method: str, frame_num: int) -> list:
    """PIL RGB images of the sampled frames of a video file."""
    with open_video(path) as c:
        return [f.to_image() for f in sample_frames(c, method, frame_num)]


# -- produced file names -----------------------------------------------------------------------------

_HASH_RE = re.compile(r"__dj_hash_#[0-9a-f]+#")


def produced_dir(src: str, op_name: str, save_dir: str | None) -> Path:
    if save_dir:
        d = Path(os.path.abspath(save_dir))
    elif os.environ.get("DJ_PRODUCED_DATA_DIR"):
        d = Path(os.environ["DJ_PRODUCED_DATA_DIR"]) / op_name
    else:
        src_dir = os.path.dirname(os.path.abspath(src)).split("/__dj__produced_data__/")[0]
        d = Path(src_dir) / "__dj__produced_data__" / op_name
    d.mkdir(parents=True, exist_ok=True)
    return d


def params_hash(params: dict, unique: bool = True) -> str:
    """sha256 of the op's params (+ pid and UTC time when `unique`, as upstream's transfer_filename)."""
    items = sorted((k, str(v)) for k, v in params.items() if k != "save_dir")
    if unique:
        items += [("pid", str(os.getpid())), ("timestamp", str(time.time_ns()))]
    return hashlib.sha256(str(items).encode("utf-8")).hexdigest()


def transfer_filename(src: str, op_name: str, params: dict, save_dir: str | None = None,
                      suffix: str = "", ext: str | None = None) -> str:
    """``{dir}/{stem}__dj_hash_#{H}#{suffix}{ext}`` (an existing hash tag in the stem is replaced)."""
    stem, src_ext = os.path.splitext(os.path.basename(src))
    stem = _HASH_RE.sub("", stem)
    d = produced_dir(src, op_name, save_dir)
    return str(d / f"{stem}__dj_hash_#{params_hash(params)}#{suffix}{ext if ext is not None else src_ext}")


# -- cutting and re-encoding --------------------------------------------------------------------------

def _prepare(frame, index: int, rate) -> Any:
    """A decoded frame made ready for re-encoding: sequential pts at the output rate, no forced type."""
    from av.video.frame import PictureType

    frame.pts = index
    frame.time_base = Fraction(1, 1) / Fraction(rate)
    frame.pict_type = PictureType.NONE
    return frame


def _open_output(path: str, in_stream, width: int | None = None, height: int | None = None):
    import av

    out = av.open(path, "w")
    rate = in_stream.base_rate or in_stream.average_rate or 25
    codec = in_stream.codec_context.name
    try:
        ost = out.add_stream(codec, rate=rate)
    except (ValueError, av.FFmpegError):  # a decoder-only codec: fall back to mpeg4
        ost = out.add_stream("mpeg4", rate=rate)
    ost.width = width or in_stream.codec_context.width
    ost.height = height or in_stream.codec_context.height
    ost.pix_fmt = in_stream.codec_context.pix_fmt or "yuv420p"
    return out, ost


def cut_video_by_seconds(path: str, out_path: str, start: float, end: float | None = None) -> bool:
    """Re-encode the frames with start <= t <= end (end inclusive; None: to the end) into `out_path`,
    timestamps shifted by -start, audio packets in range copied. False when no frame fell inside."""
    with open_video(path) as c:
        s = video_stream(c, path)
        audio = c.streams.audio[0] if c.streams.audio else None
        out, ost = _open_output(out_path, s)
        oaudio = None
        if audio is not None:
            try:
                oaudio = out.add_stream_from_template(audio)
            except (AttributeError, ValueError):
                oaudio = None
        tb = s.time_base
        c.seek(int(start / tb) if start > 0 else 0, stream=s, backward=True, any_frame=False)
        n = 0
        for frame in c.decode(s):
            if frame.pts is None:
                continue
            t = float(frame.pts * tb)
            if t < start - 1e-9:
                continue
            if end is not None and t > end + 1e-9:
                break
            for packet in ost.encode(_prepare(frame, n, s.base_rate or s.average_rate or 25)):
                out.mux(packet)
            n += 1
        for packet in ost.encode():
            out.mux(packet)
        if oaudio is not None and n:
            c.seek(0)
            for packet in c.demux(audio):
                if packet.pts is None or packet.dts is None:
                    continue
                t = float(packet.pts * audio.time_base)
                if t < start or (end is not None and t > end):
                    continue
                shift = int(start / audio.time_base)
                packet.pts -= shift
                packet.dts -= shift
                packet.stream = oaudio
                out.mux(packet)
        out.close()
    if n == 0:
        os.remove(out_path)
    return n > 0


def process_each_frame(path: str, out_path: str, func: Callable[[Any], Any]) -> str:
    """Re-encode every frame of the video through `func(frame) -> frame`. If no frame changed, the
    input path is returned and nothing is kept; audio is not carried over (as upstream)."""
    import av

    changed = False
    with open_video(path) as c:
        s = video_stream(c, path)
        out, ost = None, None
        for index, frame in enumerate(c.decode(s)):
            new = func(frame)
            if new is not frame:
                changed = True
            if out is None:
                out, ost = _open_output(out_path, s, new.width, new.height)
            if isinstance(new, av.VideoFrame) and new.format.name != ost.pix_fmt:
                new = new.reformat(format=ost.pix_fmt)
            for packet in ost.encode(_prepare(new, index, s.base_rate or s.average_rate or 25)):
                out.mux(packet)
        if out is not None:
            for packet in ost.encode():
                out.mux(packet)
            out.close()
    if not changed:
        if os.path.exists(out_path):
            os.remove(out_path)
        return path
    return out_path


def calculate_resized_dimensions(hw: tuple[int, int], size: Any, max_size: int | None,
                                 divisible: int = 1) -> tuple[int, int]:
    """Upstream calculate_resized_dimensions: (h, w) after the short side becomes `size` (an int, or
    (a, b) with min as short), the long side is capped at `max_size`, both floored to `divisible`."""
    h, w = hw
    short, long_ = min(h, w), max(h, w)
    if isinstance(size, (list, tuple)):
        s_min, s_max = min(size), max(size)
        short, long_ = s_min, s_max
    elif size is not None:
        long_ = int(size * long_ / short)
        short = size
    if max_size is not None and long_ > max_size:
        short = int(short * max_size / long_)
        long_ = max_size
    new_h, new_w = (short, long_) if w >= h else (long_, short)
    return int(new_h / divisible) * divisible, int(new_w / divisible) * divisible


# -- ffmpeg --------------------------------------------------------------------------------------------

def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ModelUnavailableError("an ffmpeg binary is needed: install the PyPI package "
                                    "'imageio-ffmpeg' (it ships one)") from None
    return imageio_ffmpeg.get_ffmpeg_exe()


def _filter_value(v: Any) -> str:
    return str(v).replace("\\", "\\\\").replace(":", "\\:").replace(",", "\\,")


def ffmpeg_filter(src: str, dst: str, filter_name: str, kwargs: dict | None = None,
                  args: Iterable[Any] = (), global_args: Iterable[str] = (),
                  stream: str = "0") -> None:
    """What ffmpeg-python's ``ffmpeg.input(src).filter(name, *args, **kw).output(dst)`` runs: only the
    filtered stream is mapped (other streams, e.g. audio of a video, are dropped, as upstream)."""
    params = [_filter_value(a) for a in args] + [f"{k}={_filter_value(v)}" for k, v in (kwargs or {}).items()]
    spec = f"[{stream}]{filter_name}" + (("=" + ":".join(params)) if params else "") + "[s0]"
    cmd = [ffmpeg_exe(), "-i", src, "-filter_complex", spec, "-map", "[s0]", dst,
           *[str(g) for g in global_args], "-nostdin", "-v", "error", "-y"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise DataFormatError(f"ffmpeg filter {filter_name!r} failed on {src!r}: "
                              f"{res.stderr.strip()[-500:]}")


# -- chunks ----------------------------------------------------------------------------------------------

def strip_tokens(text: str) -> str:
    for tok in SPECIAL_TOKENS:
        text = text.replace(tok, "")
    return text.strip()


def chunks_with_media(text: str, paths: list[str], token: str) -> list[tuple[str, list[str]]]:
    """(chunk text, its media) for each chunk holding `token`; a chunk owns as many media entries, in
    order, as it has tokens."""
    out, offset = [], 0
    for chunk in (text or "").split(EOC_TOKEN):
        count = chunk.count(token)
        if count == 0 or len(chunk) == 0:
            continue
        out.append((chunk, paths[offset:offset + count]))
        offset += count
    return out
