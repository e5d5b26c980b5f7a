"""A deterministic engine for tests: each word becomes a short tone whose pitch depends on the word."""
from __future__ import annotations

import hashlib
from typing import ClassVar, Iterator

import numpy as np

from audio.chunk import AudioChunk
from audio.engines.base import Engine, Voice

RATE = 22050
WORD_SECONDS = 0.25
GAP_SECONDS = 0.05


class FakeEngine(Engine):
    name = "fake"
    default_voice = "tone"
    native_speed = True
    # Every text synthesised in this process, so tests can prove the cache was (or was not) used.
    calls: ClassVar[list[str]] = []

    @classmethod
    def available(cls) -> tuple[bool, str]:
        return True, ""

    @classmethod
    def voices(cls) -> list[Voice]:
        return [Voice("fake", "tone", "en", "test tones, one per word"),
                Voice("fake", "tone-de", "de", "test tones, one per word")]

    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        FakeEngine.calls.append(text)
        word_frames = int(RATE * WORD_SECONDS / self.settings.speed)
        gap = np.zeros(int(RATE * GAP_SECONDS / self.settings.speed))
        ramp = np.minimum(1.0, np.minimum(np.arange(word_frames), np.arange(word_frames)[::-1]) / 200)
        for word in text.split():
            pitch = 200 + int(hashlib.md5(word.encode()).hexdigest()[:4], 16) % 400
            tone = 8000 * np.sin(2 * np.pi * pitch * np.arange(word_frames) / RATE) * ramp
            yield AudioChunk(RATE, 2, 1, np.concatenate([tone, gap]).astype("<i2").tobytes())
