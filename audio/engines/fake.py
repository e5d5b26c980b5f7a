"""A deterministic engine for tests: each word becomes a short tone whose pitch depends on the word."""
from __future__ import annotations

import hashlib
import math
import struct
from typing import ClassVar, Iterator

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
        gap = b"\x00\x00" * int(RATE * GAP_SECONDS / self.settings.speed)
        for word in text.split():
            pitch = 200 + int(hashlib.md5(word.encode()).hexdigest()[:4], 16) % 400
            samples = (
                int(8000 * math.sin(2 * math.pi * pitch * i / RATE) * min(1.0, i / 200, (word_frames - i) / 200))
                for i in range(word_frames)
            )
            yield AudioChunk(RATE, 2, 1, struct.pack(f"<{word_frames}h", *samples) + gap)
