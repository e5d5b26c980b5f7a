"""ITU-R BS.1770 integrated loudness, measured block by block over a PCM file of any length."""
from __future__ import annotations

import math
from typing import BinaryIO

import numpy as np
from scipy.signal import lfilter, lfilter_zi

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
READ_SECONDS = 10


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


def integrated_loudness(pcm: BinaryIO, rate: int) -> float:
    """LUFS of 16-bit mono PCM read from `pcm` to its end; -inf for silence. Memory: one read buffer
    plus one number per 100 ms of audio."""
    stages = [(b, a, lfilter_zi(b, a) * 0.0) for b, a in k_weighting(rate)]
    hop = rate // 10  # 100 ms: blocks of 400 ms overlap by 75 %
    hop_energy: list[float] = []
    carry = np.zeros(0)
    while data := pcm.read(rate * READ_SECONDS * 2):
        signal = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.float64) / 32768.0
        for i, (b, a, zi) in enumerate(stages):
            signal, zi = lfilter(b, a, signal, zi=zi)
            stages[i] = (b, a, zi)
        squared = np.concatenate([carry, signal * signal])
        whole = len(squared) // hop * hop
        hop_energy.extend(squared[:whole].reshape(-1, hop).sum(axis=1).tolist())
        carry = squared[whole:]
    energies = np.asarray(hop_energy)
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
