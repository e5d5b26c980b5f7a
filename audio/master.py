"""Mastering that streams: peaks are tamed take by take, relative to each take's own loudness, so that
one gain for the whole episode reaches the target loudness without pushing peaks past the ceiling."""
from __future__ import annotations

import io

import numpy as np
from scipy.ndimage import minimum_filter1d
from scipy.signal import resample_poly

from audio.chunk import Format
from audio.loudness import integrated_loudness

# Apple asks for −16 LUFS with true peaks at or below −1 dBTP: at most 15 dB from loudness to peak.
# Takes are held to 13 dB so sentence-to-sentence loudness differences and MP3 overshoot still fit.
PEAK_TO_LOUDNESS_DB = 13.0
HOLD_SECONDS = 0.02  # gain stays down this long around a peak: no ripple at speech frequencies
SMOOTH_SECONDS = 0.01


def take_loudness(pcm: bytes, rate: int) -> float:
    loudness = integrated_loudness(io.BytesIO(pcm), rate)
    if loudness == float("-inf"):  # shorter than one 400 ms block: plain mean square
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
        power = float(np.mean(samples * samples)) if len(samples) else 0.0
        loudness = -0.691 + 10 * np.log10(power) if power > 0 else float("-inf")
    return loudness


def tame_peaks(pcm: bytes, fmt: Format, peak_to_loudness_db: float = PEAK_TO_LOUDNESS_DB) -> bytes:
    """Lower true peaks (4× oversampled) that stand more than `peak_to_loudness_db` above the take's
    loudness. Lowering peaks lowers the loudness a little too, so a second pass holds the ratio."""
    once = limit_relative(pcm, fmt, peak_to_loudness_db)
    if once is pcm:  # no peak stood out, so a second pass would find none either
        return pcm
    return limit_relative(once, fmt, peak_to_loudness_db)


def limit_relative(pcm: bytes, fmt: Format, peak_to_loudness_db: float) -> bytes:
    """One pass of a look-ahead gain that never exceeds what each peak needs."""
    loudness = take_loudness(pcm, fmt.rate)
    if loudness == float("-inf"):
        return pcm
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    ceiling = 10 ** ((loudness + peak_to_loudness_db) / 20)
    oversampled = np.abs(resample_poly(samples, 4, 1))
    peaks = oversampled[: 4 * len(samples)].reshape(-1, 4).max(axis=1)
    if peaks.max() <= ceiling:
        return pcm
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-9))
    hold = max(3, int(fmt.rate * HOLD_SECONDS) | 1)
    smooth = max(3, int(fmt.rate * SMOOTH_SECONDS) | 1)
    # A minimum over `hold` samples, then a mean over fewer, is at every sample ≤ what that sample needs.
    gain = minimum_filter1d(needed, size=hold + smooth, mode="nearest")
    window = np.hanning(smooth + 2)[1:-1]
    gain = np.convolve(gain, window / window.sum(), mode="same")
    gain = np.minimum(gain, 1.0)
    return (np.clip(samples * gain, -1.0, 32767 / 32768) * 32768.0).round().astype("<i2").tobytes()
