"""Synthetic PCM for audio tests: pure tones and their measured pitch."""
import math

import numpy as np

from audio.chunk import AudioChunk

RATE = 22050


def tone(frequency: float, seconds: float, rate: int = RATE) -> AudioChunk:
    t = np.arange(int(rate * seconds)) / rate
    samples = (8000 * np.sin(2 * math.pi * frequency * t)).astype("<i2")
    return AudioChunk(rate, 2, 1, samples.tobytes())


def dominant_frequency(chunk: AudioChunk) -> float:
    samples = np.frombuffer(chunk.data, "<i2").astype(float)
    spectrum = np.abs(np.fft.rfft(samples))
    return np.fft.rfftfreq(len(samples), 1 / chunk.rate)[spectrum.argmax()]
