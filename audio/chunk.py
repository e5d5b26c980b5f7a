"""PCM audio as it travels between engines, stitcher and encoder."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudioChunk:
    """Raw little-endian signed PCM and its format (as piper's own AudioChunk)."""

    rate: int
    width: int  # bytes per sample
    channels: int
    data: bytes

    @property
    def frames(self) -> int:
        return len(self.data) // (self.width * self.channels)

    @property
    def duration(self) -> float:
        return self.frames / self.rate


@dataclass(frozen=True)
class Format:
    """The PCM format of a whole episode while it is stitched."""

    rate: int
    width: int = 2
    channels: int = 1

    @property
    def frame_bytes(self) -> int:
        return self.width * self.channels
