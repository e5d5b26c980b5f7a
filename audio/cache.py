"""Takes on disk, keyed by everything that shapes them, so unchanged text is never synthesised twice."""
from __future__ import annotations

import hashlib
import os
import tempfile
import wave
from pathlib import Path

from audio.chunk import AudioChunk


def take_key(fingerprint: str, spoken: str) -> str:
    return hashlib.sha256(f"{fingerprint}\0{spoken}".encode()).hexdigest()


class TakeCache:
    def __init__(self, root: Path):
        self.root = root
        self.hits = 0
        self.misses = 0

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.wav"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str, count: bool = True) -> AudioChunk | None:
        """The audio stored under `key`, or None; `count` adds the lookup to the hit rate."""
        path = self.path(key)
        try:
            with wave.open(str(path), "rb") as wav:
                chunk = AudioChunk(wav.getframerate(), wav.getsampwidth(), wav.getnchannels(),
                                   wav.readframes(wav.getnframes()))
        except (FileNotFoundError, EOFError, wave.Error):
            self.misses += count
            return None
        os.utime(path)  # least recently used takes are pruned first
        self.hits += count
        return chunk

    def put(self, key: str, chunk: AudioChunk) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as raw, wave.open(raw, "wb") as wav:
                wav.setnchannels(chunk.channels)
                wav.setsampwidth(chunk.width)
                wav.setframerate(chunk.rate)
                wav.writeframes(chunk.data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
