"""Audio filters and mappers on tones the tests write with the standard library's `wave`."""
from __future__ import annotations

import numpy as np
import pytest

from sandbox_engine import compute_stats, process_samples
from sandbox_engine.ops.filters.audio_basic import istft, load_audio, stft
from tests.ops._media import tone


@pytest.fixture(scope="module")
def tones(tmp_path_factory):
    d = tmp_path_factory.mktemp("tones")
    return {"t15": tone(d / "t15.wav", 1.5), "t05": tone(d / "t05.wav", 0.5, rate=16000, channels=2),
            "noisy": tone(d / "noisy.wav", 0.6, amp=0.05, noise=0.4),
            "clean": tone(d / "clean.wav", 0.6, amp=0.5)}


def stats(samples, op, args=None):
    return [s["__dj__stats__"] for s in compute_stats(samples, [{op: args or {}}])]


def test_duration_is_samples_over_rate(tones, tmp_path):
    st = stats([{"audios": [tones["t15"], tones["t05"]]}, {"audios": []}], "audio_duration_filter")
    assert st == [{"audio_duration": [1.5, 0.5]}, {"audio_duration": []}]
    samples = [{"audios": [tones["t15"]]}, {"audios": [tones["t05"]]}, {"audios": [str(tmp_path / "x.wav")]}]
    kept = process_samples(samples, [{"audio_duration_filter": {"min_duration": 1}}])
    assert [s["audios"] for s in kept] == [[tones["t15"]]]  # short dropped, unreadable dropped
    kept = process_samples(samples[:2], [{"audio_duration_filter": {"min_duration": 0.5, "max_duration": 1.5,
                                                                    "reversed_range": True}}])
    assert len(kept) == 2  # boundaries are kept in reversed mode too


def test_stereo_is_averaged_to_mono(tones):
    y, sr = load_audio(tones["t05"])
    assert sr == 16000 and y.ndim == 1 and len(y) == 8000


def test_size(tones):
    st = stats([{"audios": [tones["t15"]]}], "audio_size_filter")
    assert st[0]["audio_sizes"] == [44 + 2 * 12000]
    assert process_samples([{"audios": [tones["t15"]]}], [{"audio_size_filter": {"max_size": "20KB"}}]) == []
    assert process_samples([{"audios": [tones["t15"]]}], [{"audio_size_filter": {"max_size": "1MB"}}]) != []


def test_stft_round_trip_matches_librosa_conventions():
    y = np.random.default_rng(0).standard_normal(5000)
    S = stft(y)
    assert S.shape == (1025, 1 + 5000 // 512)
    back = istft(S)
    assert len(back) == 512 * (S.shape[1] - 1)
    assert np.allclose(back, y[:len(back)], atol=1e-8)


def test_nmf_snr_ranks_a_clean_tone_above_a_noisy_one(tones):
    st = stats([{"audios": [tones["clean"]]}, {"audios": [tones["noisy"]]}], "audio_nmf_snr_filter",
               {"nmf_iter_num": 100})
    clean, noisy = st[0]["audio_nmf_snr"][0], st[1]["audio_nmf_snr"][0]
    assert np.isfinite(clean) and clean > noisy


def test_gaussian_noise_and_ffmpeg_write_new_files(tones, tmp_path):
    out = process_samples([{"audios": [tones["t15"]]}], [{"audio_add_gaussian_noise_mapper": {
        "p": 1.0, "min_amplitude": 0.1, "max_amplitude": 0.1, "save_dir": str(tmp_path)}}])
    y0, _ = load_audio(tones["t15"])
    y1, sr = load_audio(out[0]["audios"][0])
    assert sr == 8000 and len(y1) == len(y0)
    assert np.std(y1 - y0) == pytest.approx(0.1, rel=0.1)
    out = process_samples([{"audios": [tones["t15"]]}], [{"audio_add_gaussian_noise_mapper": {
        "p": 0.0, "save_dir": str(tmp_path / "p0")}}])
    assert out[0]["audios"][0] != tones["t15"]  # written even without noise, as upstream
    assert np.allclose(load_audio(out[0]["audios"][0])[0], y0, atol=1e-4)
    out = process_samples([{"audios": [tones["t15"]]}], [{"audio_ffmpeg_wrapped_mapper": {
        "filter_name": "atrim", "filter_kwargs": {"end": 0.5}, "save_dir": str(tmp_path / "ff")}}])
    y2, sr2 = load_audio(out[0]["audios"][0])
    assert len(y2) / sr2 == pytest.approx(0.5, abs=0.01)
