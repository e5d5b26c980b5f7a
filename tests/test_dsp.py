"""The signal arithmetic mastering rests on, against slow obvious versions of the same formulas."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from audio.loudness import KWeighting, LoudnessMeter, fast_length, k_weighting
from audio.master import moving_mean, moving_minimum, true_peaks


def direct_form_biquads(signal: np.ndarray, rate: int) -> np.ndarray:
    out = signal.astype(float)
    for b, a in k_weighting(rate):
        x1 = x2 = y1 = y2 = 0.0
        filtered = np.empty_like(out)
        for n, x in enumerate(out):
            y = b[0] * x + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
            x2, x1, y2, y1 = x1, x, y1, y
            filtered[n] = y
        out = filtered
    return out


@pytest.mark.parametrize("rate", [16000, 22050, 48000])
def test_k_weighting_read_by_read_equals_the_filters_run_sample_by_sample(rate):
    signal = np.random.default_rng(rate).normal(scale=0.2, size=rate // 2)
    weighting = KWeighting(rate)
    streamed = np.concatenate([weighting(part) for part in np.array_split(signal, [999, 1000, 6000])])
    assert np.max(np.abs(streamed - direct_form_biquads(signal, rate))) < 1e-9


def integrated_loudness(pcm: bytes, rate: int, piece_bytes: int | None = None) -> float:
    meter = LoudnessMeter(rate)
    for start in range(0, len(pcm), piece_bytes or len(pcm) or 1):
        meter.add(pcm[start:start + (piece_bytes or len(pcm))])
    return meter.loudness()


@pytest.mark.parametrize("rate", [22050, 48000])
def test_a_full_scale_997_hz_sine_measures_minus_3_lufs_and_scales_with_its_level(rate):
    t = np.arange(rate * 5) / rate
    for level_db in (0.0, -20.0):
        sine = 10 ** (level_db / 20) * 32767 / 32768 * np.sin(2 * np.pi * 997 * t)
        pcm = (sine * 32768).round().astype("<i2").tobytes()
        assert integrated_loudness(pcm, rate) == pytest.approx(level_db - 3.01, abs=0.05)


def test_silence_and_audio_shorter_than_one_block_have_no_loudness():
    assert integrated_loudness(bytes(22050 * 4), 22050) == float("-inf")
    assert integrated_loudness(b"\x10\x20" * 100, 22050) == float("-inf")


def test_loudness_fed_in_uneven_pieces_is_the_loudness_of_the_whole():
    rng = np.random.default_rng(5)
    noise = rng.normal(scale=0.1, size=22050 * 7) * np.repeat(rng.random(70), 2205)  # levels change every 100 ms
    pcm = (noise * 32768).clip(-32768, 32767).astype("<i2").tobytes()
    whole = integrated_loudness(pcm, 22050)
    assert whole > -70
    for piece in (202, 4410, 6 * 2205 + 2, 44100 * 2):
        assert integrated_loudness(pcm, 22050, piece) == pytest.approx(whole, abs=1e-9)


@pytest.mark.parametrize("length", [1, 2, 7, 100, 1001])
@pytest.mark.parametrize("size", [1, 2, 3, 8, 31])
def test_moving_minimum_and_mean_take_a_centred_window_with_the_edges_extended(length, size):
    values = np.random.default_rng(length * size).random(length)
    half = size // 2
    window = [values[min(max(i - half + k, 0), length - 1)] for i in range(length) for k in range(size)]
    windows = np.array(window).reshape(length, size)
    assert np.array_equal(moving_minimum(values, size), windows.min(axis=1))
    assert np.allclose(moving_mean(values, size), windows.mean(axis=1))


def test_true_peaks_find_the_crest_between_samples():
    # A quarter-rate sine sampled 45° off its crests: every sample reads 0.707 of the true peak.
    # Faded in and out, as every take is, and of a length FFTs dislike (a prime).
    n = np.arange(4001)
    fade = np.minimum(1.0, np.minimum(n, n[::-1]) / 400)
    sine = 0.5 * np.sin(np.pi / 2 * n + math.pi / 4) * fade
    assert np.abs(sine).max() == pytest.approx(0.5 * math.sqrt(0.5))
    assert true_peaks(sine).max() == pytest.approx(0.5, rel=0.01)


def test_fft_lengths_are_the_nearest_with_no_prime_factor_above_five():
    def five_smooth(m: int) -> bool:
        for prime in (2, 3, 5):
            while m % prime == 0:
                m //= prime
        return m == 1

    for n in [*range(1, 2000), 143000, 231525]:
        length = fast_length(n)
        assert length >= n and five_smooth(length)
        assert not any(five_smooth(m) for m in range(n, length))


def test_the_loudness_measured_while_stitching_is_the_written_episodes(tmp_path):
    from audio.script import Cue
    from audio.stitch import assemble
    from audio.synth import Take
    from pcm_signals import tone

    # Takes of different lengths, with and without pauses between them; every other one has a click
    # far above its loudness, which the master tames.
    takes = []
    for n, pause in enumerate((0.0, 0.3, 0.0, 0.8, 0.15)):
        audio = tone(150 + 40 * n, 0.3 + 0.4 * n)
        if n % 2 == 0:
            samples = np.frombuffer(audio.data, "<i2").copy()
            samples[len(samples) // 2:len(samples) // 2 + 40] = 32000
            audio = replace(audio, data=samples.tobytes())
        takes.append(Take(Cue(f"{n}", f"{n}", "sentence", pause, 0), audio))
    with open(tmp_path / "episode.pcm", "wb") as out:
        stitched = assemble(takes, out)
    written = integrated_loudness((tmp_path / "episode.pcm").read_bytes(), stitched.format.rate)
    assert stitched.loudness == pytest.approx(written, abs=0.01)


@pytest.mark.parametrize("rate", [16000, 22050, 24000, 44100, 48000])
def test_a_sub_hop_divides_the_meters_hop_and_lasts_at_most_5_ms(rate):
    from audio.loudness import sub_hop

    size = sub_hop(rate)
    assert (rate // 10) % size == 0 and size <= rate * 0.005
    assert size >= rate * 0.002  # not degenerate: a take's energies stay a few hundred numbers a second


def test_an_episode_stitched_again_from_its_mastered_takes_is_the_same_to_the_byte(tmp_path):
    from audio.cache import MasteredTakes
    from audio.loudness import sub_hop
    from audio.script import Cue
    from audio.stitch import assemble
    from audio.synth import Take
    from pcm_signals import tone

    takes = [Take(Cue(f"{n}", f"{n}", "sentence", pause, 0), tone(200 + 30 * n, 0.4 + 0.37 * n), key=f"k{n}")
             for n, pause in enumerate((0.15, 0.3, 0.0, 0.8))]
    cache = MasteredTakes(tmp_path / "mastered")
    results = []
    for attempt in ("fresh", "cached"):
        path = tmp_path / f"{attempt}.pcm"
        with open(path, "wb") as out:
            results.append((assemble(takes, out, cache=cache), path.read_bytes()))
    (first, first_pcm), (again, again_pcm) = results
    assert len(list((tmp_path / "mastered").glob("*/*.npz"))) == len(takes)
    assert again_pcm == first_pcm and again == first
    rate = first.format.rate
    assert all(round(mark.start * rate) % sub_hop(rate) == 0 for mark in first.timeline)
    samples = np.frombuffer(first_pcm, "<i2") / 32768.0
    assert 20 * math.log10(first.peak) == pytest.approx(20 * math.log10(true_peaks(samples).max()), abs=0.01)
