"""Mastering that streams: peaks are tamed take by take, relative to each take's own loudness, so that
one gain for the whole episode reaches the target loudness without pushing peaks past the ceiling."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from audio.chunk import Format
from audio.loudness import KWeighting, weighted_loudness

# Apple asks for −16 LUFS with true peaks at or below −1 dBTP: at most 15 dB from loudness to peak.
# Takes are held near 13 dB (12 aimed: two settling rounds land about 1 dB above it) so
# sentence-to-sentence loudness differences and MP3 overshoot still fit.
PEAK_TO_LOUDNESS_DB = 12.0
HOLD_SECONDS = 0.02  # gain stays down this long around a peak: no ripple at speech frequencies
SMOOTH_SECONDS = 0.01
SETTLE_ROUNDS = 2  # each round moves the ceiling by what the last one took off the loudness
GAIN_BLOCK = 8  # samples per step of the taming gain (0.36 ms at 22.05 kHz; it moves over 10 ms)


def take_loudness(pcm: bytes, rate: int) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    return weighted_take_loudness(KWeighting(rate)(samples), rate)


def weighted_take_loudness(weighted: np.ndarray, rate: int) -> float:
    loudness = weighted_loudness(weighted, rate)
    if loudness == float("-inf"):  # shorter than one 400 ms block: plain mean square
        power = float(np.mean(weighted * weighted)) if len(weighted) else 0.0
        loudness = -0.691 + 10 * np.log10(power) if power > 0 else float("-inf")
    return loudness


@dataclass(frozen=True)
class Tamed:
    pcm: bytes
    weighted: np.ndarray  # K-weighted samples, for the episode's loudness meter
    peak: float  # highest true peak (2× oversampled), linear full scale


def tame_take(pcm: bytes, fmt: Format, peak_to_loudness_db: float = PEAK_TO_LOUDNESS_DB) -> Tamed:
    """The tamed take, with its K-weighted samples and its true peak.

    True peaks (2× oversampled) that stand more than `peak_to_loudness_db` above the take's loudness are
    lowered with a look-ahead gain that never exceeds what each peak needs. Lowering peaks lowers the
    loudness a little too, so the gain is worked out again against the tamed take's loudness (from the
    same peaks and the same K-weighted take: each is computed once). The gain moves slowly, so it is
    worked out per block of GAIN_BLOCK samples and interpolated."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    weighted = KWeighting(fmt.rate)(samples)
    loudness = weighted_take_loudness(weighted, fmt.rate)
    peaks = true_peaks(samples)
    ceiling = 10 ** ((loudness + peak_to_loudness_db) / 20)
    if loudness == float("-inf") or peaks.max() <= ceiling:
        return Tamed(pcm, weighted, float(peaks.max(initial=0.0)))
    nearby = nearby_peaks(peaks, fmt.rate)
    gain = peak_gain(nearby, ceiling, fmt.rate, len(samples))
    for _ in range(SETTLE_ROUNDS):
        # A gain smoothed over 10 ms and the K-weighting filters commute to within 0.01 dB of
        # loudness, so the weighted take is scaled rather than filtered again.
        settled = weighted_take_loudness(weighted * gain, fmt.rate)
        gain = peak_gain(nearby, 10 ** ((settled + peak_to_loudness_db) / 20), fmt.rate, len(samples))
    # The gain moves over milliseconds, the peaks between samples over a fraction of one: scaling the
    # peaks found before taming gives the tamed take's to within a hundredth of a dB.
    return Tamed(to_pcm(samples * gain), weighted * gain, float((peaks * gain).max()))


def true_peaks(samples: np.ndarray) -> np.ndarray:
    """Each sample's peak with the peak between it and the next, as a 2× oversampled signal shows it.
    (4× finds at most a few tenths of a dB more on speech; the encoder's limiter guards that margin.)"""
    if not len(samples):  # a take that was all silence, trimmed away
        return samples
    between = np.convolve(samples, HALF_SAMPLE_SINC)[HALF_TAPS:HALF_TAPS + len(samples)]
    return np.maximum(np.abs(samples), np.abs(between))


def _half_sample_sinc(half_taps: int) -> np.ndarray:
    """Interpolation filter for the point half-way between two samples: sinc at the half-integers,
    Blackman-windowed, summing to one so a constant stays constant."""
    offsets = np.arange(2 * half_taps) - (half_taps - 0.5)
    taps = np.sinc(offsets) * np.blackman(2 * half_taps + 2)[1:-1]
    return taps / taps.sum()


HALF_TAPS = 16
HALF_SAMPLE_SINC = _half_sample_sinc(HALF_TAPS)
# What a tamed take depends on besides its audio, for the cache of mastered takes: change the version
# whenever the taming writes different samples for the same take.
TAMING = (f"taming 1: {PEAK_TO_LOUDNESS_DB} {HOLD_SECONDS} {SMOOTH_SECONDS} {SETTLE_ROUNDS} {GAIN_BLOCK} "
          f"{HALF_TAPS}")


def hold_and_smooth(rate: int) -> tuple[int, int]:
    return max(3, int(rate * HOLD_SECONDS) | 1), max(2, int(rate * SMOOTH_SECONDS) // 2)


def nearby_peaks(peaks: np.ndarray, rate: int) -> np.ndarray:
    """Per block of GAIN_BLOCK samples, the highest peak within reach of any of its samples: over the
    hold and the smoothing on both sides, and a block more each way for the interpolation between
    blocks. It does not depend on the ceiling, so each settling round reuses it."""
    hold, half_smooth = hold_and_smooth(rate)
    blocks = -(-len(peaks) // GAIN_BLOCK)
    block_peaks = np.zeros(blocks * GAIN_BLOCK)
    block_peaks[: len(peaks)] = peaks
    block_peaks = block_peaks.reshape(blocks, GAIN_BLOCK).max(axis=1)
    reach = -(-(hold + 2 * half_smooth) // GAIN_BLOCK) + 2
    return -moving_minimum(-block_peaks, reach)


def peak_gain(nearby: np.ndarray, ceiling: float, rate: int, length: int) -> np.ndarray:
    """The gain for each of `length` samples. Per block: the gain the highest peak nearby needs, then a
    mean over at most `smooth` (two boxcars make a triangle), so at every block no more than its own
    peaks need; between block centres the gain is interpolated, never below both neighbours' needs."""
    _, half_smooth = hold_and_smooth(rate)
    smooth_blocks = max(1, half_smooth // GAIN_BLOCK)
    gain = np.minimum(1.0, ceiling / np.maximum(nearby, 1e-9))
    gain = np.minimum(moving_mean(moving_mean(gain, smooth_blocks), smooth_blocks), 1.0)
    centres = np.arange(len(gain)) * GAIN_BLOCK + (GAIN_BLOCK - 1) / 2
    return np.interp(np.arange(length), centres, gain)


def moving_minimum(values: np.ndarray, size: int) -> np.ndarray:
    """The minimum over a centred window of `size` at every position, the edges extended (as
    scipy.ndimage.minimum_filter1d with mode="nearest"), in linear time (van Herk / Gil-Werman:
    running minima forward and backward within blocks of `size`)."""
    blocks = -(-(len(values) + size - 1) // size)
    rows = extended(values, size // 2, blocks * size).reshape(blocks, size)
    forward = np.minimum.accumulate(rows, axis=1).ravel()
    backward = np.minimum.accumulate(rows[:, ::-1], axis=1)[:, ::-1].ravel()
    # The window starting at i ends at i + size − 1: at most one block boundary lies inside it.
    return np.minimum(backward[: len(values)], forward[size - 1:size - 1 + len(values)])


def moving_mean(values: np.ndarray, size: int) -> np.ndarray:
    """The mean over a centred window of `size`, the edges extended (as uniform_filter1d, "nearest")."""
    padded = extended(values, size // 2 + 1, len(values) + size)
    padded[0] = 0.0  # one extra leading zero, so sums[i] is the sum of the i values before position i
    sums = np.cumsum(padded)
    return (sums[size:] - sums[:-size]) / size


def extended(values: np.ndarray, before: int, length: int) -> np.ndarray:
    """`values` with its first value repeated `before` times ahead and its last to make `length`."""
    out = np.empty(length)
    out[:before] = values[0]
    out[before:before + len(values)] = values
    out[before + len(values):] = values[-1]
    return out


def to_pcm(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 32767 / 32768) * 32768.0).round().astype("<i2").tobytes()
