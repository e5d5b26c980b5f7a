"""Takes on disk, keyed by everything that shapes them, so unchanged text is never synthesised twice."""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable

from audio.chunk import AudioChunk

if TYPE_CHECKING:
    import numpy as np


def take_key(fingerprint: str, spoken: str) -> str:
    return hashlib.sha256(f"{fingerprint}\0{spoken}".encode()).hexdigest()


def put_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write `path` through a temporary file beside it: a reader (or a render killed meanwhile) never
    sees half of it. A render sweeps the *.tmp a kill leaves behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw:
            write(raw)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class TakeCache:
    def __init__(self, root: Path):
        self.root = root
        self.hits = 0
        self.misses = 0
        self._counting = threading.Lock()  # takes are looked up from the synthesis worker threads

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.wav"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> AudioChunk | None:
        """The audio stored under `key`, or None; the lookup counts in the hit rate."""
        path = self.path(key)
        try:
            with wave.open(str(path), "rb") as wav:
                chunk = AudioChunk(wav.getframerate(), wav.getsampwidth(), wav.getnchannels(),
                                   wav.readframes(wav.getnframes()))
        except (FileNotFoundError, EOFError, wave.Error):
            with self._counting:
                self.misses += 1
            return None
        os.utime(path)  # least recently used takes are pruned first
        with self._counting:
            self.hits += 1
        return chunk

    def put(self, key: str, chunk: AudioChunk) -> None:
        def write(raw: BinaryIO) -> None:
            with wave.open(raw, "wb") as wav:
                wav.setnchannels(chunk.channels)
                wav.setsampwidth(chunk.width)
                wav.setframerate(chunk.rate)
                wav.writeframes(chunk.data)

        put_atomically(self.path(key), write)


@dataclass(frozen=True)
class MasteredTake:
    """A take as stitched into episodes (trimmed, peaks tamed, 16-bit mono), with what measuring it
    again would cost: its K-weighted energy per sub-hop (audio.loudness) and its true peak."""

    pcm: bytes
    energies: np.ndarray
    peak: float  # linear full scale


class MasteredTakes:
    """Mastered takes on disk, so that re-rendering an edited article masters and measures only the
    takes that changed."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.npz"

    def get(self, key: str) -> MasteredTake | None:
        import zipfile

        import numpy as np

        path = self.path(key)
        try:
            with np.load(path) as stored:
                found = MasteredTake(stored["pcm"].tobytes(), stored["energies"], float(stored["peak"]))
        except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile):  # missing or cut short
            return None
        os.utime(path)
        return found

    def put(self, key: str, take: MasteredTake) -> None:
        import numpy as np

        put_atomically(self.path(key), lambda raw: np.savez(
            raw, pcm=np.frombuffer(take.pcm, dtype="<i2"), energies=take.energies, peak=take.peak))
