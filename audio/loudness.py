"""ITU-R BS.1770 integrated loudness, measured block by block over a PCM stream of any length."""
from __future__ import annotations

import functools
import math

import numpy as np

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
# The filters' response has died out long before this (the 38 Hz high pass within ~50 ms), so
# filtering each read with this much of the audio before it equals filtering the whole stream.
FILTER_MEMORY_SECONDS = 0.5


def k_weighting(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The two BS.1770 pre-filter stages (high shelf, high pass) designed for `rate` (as libebur128)."""
    gain_db, q, fc = 3.999843853973347, 0.7071752369554196, 1681.974450955533
    k = math.tan(math.pi * fc / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = (
        np.array([(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]),
        np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]),
    )
    q, fc = 0.5003270373238773, 38.13547087602444
    k = math.tan(math.pi * fc / rate)
    a0 = 1 + k / q + k * k
    highpass = (np.array([1.0, -2.0, 1.0]), np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]))
    return [shelf, highpass]


@functools.lru_cache(maxsize=256)
def fast_length(n: int) -> int:
    """The smallest length ≥ n with no prime factor above 5: FFTs of those are fast, and they come
    closer to n than powers of two (a third of the time for a typical take)."""
    best = 1 << max(0, (n - 1).bit_length())
    fives = 1
    while fives < best:
        threes = fives
        while threes < best:
            twos = threes << max(0, (-(-n // threes) - 1).bit_length())  # the least threes·2^k ≥ n
            best = min(best, twos)
            threes *= 3
        fives *= 5
    return best


def exact_response(rate: int, size: int) -> np.ndarray:
    """Both filters' complex response at the bins of an rfft of `size`."""
    delay = np.exp(-2j * np.pi * np.fft.rfftfreq(size))  # z⁻¹ at each bin
    response = np.ones_like(delay)
    for b, a in k_weighting(rate):
        response *= (b[0] + b[1] * delay + b[2] * delay * delay) / (a[0] + a[1] * delay + a[2] * delay * delay)
    return response


@functools.lru_cache(maxsize=8)
def impulse_response(rate: int) -> np.ndarray:
    """The filters' impulse response up to FILTER_MEMORY_SECONDS, by which it has died out."""
    length = int(rate * FILTER_MEMORY_SECONDS)
    size = fast_length(4 * length)  # long enough that the tail folded back by the inverse FFT is nil
    impulse = np.fft.irfft(exact_response(rate, size), size)[:length]
    impulse.flags.writeable = False
    return impulse


@functools.lru_cache(maxsize=256)
def k_weighting_response(rate: int, size: int) -> np.ndarray:
    """The response to multiply an rfft of `size` by (cached: an episode's takes pad to a few dozen
    sizes; one FFT of the impulse response is cheaper than evaluating the filters at every bin)."""
    response = np.fft.rfft(impulse_response(rate), size)
    response.flags.writeable = False
    return response


class KWeighting:
    """The K-weighting filters applied to a stream read by read, in the frequency domain (overlap-save):
    numpy has no IIR filter, and an FFT per read is as fast as one would be."""

    def __init__(self, rate: int):
        self.rate = rate
        self.memory = np.zeros(int(rate * FILTER_MEMORY_SECONDS))

    def __call__(self, signal: np.ndarray) -> np.ndarray:
        extended = np.concatenate([self.memory, signal])
        size = fast_length(len(extended))
        filtered = np.fft.irfft(np.fft.rfft(extended, size) * k_weighting_response(self.rate, size), size)
        self.memory = extended[len(extended) - len(self.memory):]
        return filtered[len(extended) - len(signal):len(extended)]


def sub_hop(rate: int) -> int:
    """The longest run of samples, at most 5 ms, that divides the meter's 100 ms hop: a take that starts
    on a multiple of it can be metered from energies summed per run, kept with the take."""
    hop = rate // 10
    return max(size for size in range(1, max(1, rate // 200) + 1) if hop % size == 0)


def sub_hop_energies(weighted: np.ndarray, rate: int) -> np.ndarray:
    """The K-weighted signal's energy per sub-hop from its first sample; the last run may be short."""
    size = sub_hop(rate)
    runs = -(-len(weighted) // size)
    squared = np.zeros(runs * size)
    squared[: len(weighted)] = weighted * weighted
    return squared.reshape(runs, size).sum(axis=1)


class LoudnessMeter:
    """Integrated loudness of a stream fed piece by piece, as it is written: memory holds one piece
    plus one number per 100 ms of audio."""

    def __init__(self, rate: int):
        self.rate = rate
        self.weighting = KWeighting(rate)
        self.hop = rate // 10  # 100 ms: blocks of 400 ms overlap by 75 %
        self.hop_energy: list[float] = []
        self.frames = 0

    def add(self, pcm: bytes) -> None:
        """16-bit mono PCM, the stream's next samples."""
        if len(pcm) >= 2:
            weighted = self.weighting(np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2") / 32768.0)
            self._add(weighted * weighted, 1, len(weighted))

    def add_silence(self, frames: int) -> None:
        self.frames += frames

    def add_energies(self, energies: np.ndarray, frames: int) -> None:
        """A take's sub_hop_energies, `frames` long, starting here (on a multiple of sub_hop: the stitcher
        starts every take there). Its filters' ringing into the pause that follows is left out, below a
        thousandth of a dB. A stream is measured through add() or through add_energies() and
        add_silence(), not both: add() carries the filters' state from one piece to the next."""
        self._add(energies, sub_hop(self.rate), frames)

    def _add(self, energies: np.ndarray, width: int, frames: int) -> None:
        """Energies of runs of `width` samples (dividing the hop) from the current frame on."""
        if self.frames % width:
            raise ValueError(f"energies of {width}-sample runs must start on a multiple of {width}")
        if len(energies):
            first = self.frames // width
            hops = (first + np.arange(len(energies))) * width // self.hop
            sums = np.bincount(hops - hops[0], weights=energies).tolist()
            start = int(hops[0])
            if len(self.hop_energy) < start:
                self.hop_energy.extend([0.0] * (start - len(self.hop_energy)))
            if len(self.hop_energy) > start:  # the hop this piece starts in had begun
                self.hop_energy[start] += sums.pop(0)
            self.hop_energy.extend(sums)
        self.frames += frames

    def loudness(self) -> float:
        """LUFS of everything added so far; -inf for silence or under 400 ms."""
        whole = self.frames // self.hop
        energies = np.zeros(whole)
        known = min(whole, len(self.hop_energy))
        energies[:known] = self.hop_energy[:known]
        return gated_loudness(energies, self.hop)


def weighted_loudness(weighted: np.ndarray, rate: int) -> float:
    """LUFS of an already K-weighted signal held in memory (one take); -inf if silent or under 400 ms."""
    hop = rate // 10
    whole = len(weighted) // hop * hop
    return gated_loudness(np.square(weighted[:whole]).reshape(-1, hop).sum(axis=1), hop)


def gated_loudness(energies: np.ndarray, hop: int) -> float:
    """BS.1770 gating over 400 ms blocks built from the summed energy of each 100 ms hop."""
    if len(energies) < 4:
        return float("-inf")
    blocks = (energies[:-3] + energies[1:-2] + energies[2:-1] + energies[3:]) / (4 * hop)
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10 * np.log10(blocks)
    gated = blocks[loudness > ABSOLUTE_GATE]
    if not len(gated):
        return float("-inf")
    relative = -0.691 + 10 * math.log10(gated.mean()) + RELATIVE_GATE
    gated = blocks[(loudness > ABSOLUTE_GATE) & (loudness > relative)]
    return -0.691 + 10 * math.log10(gated.mean())
