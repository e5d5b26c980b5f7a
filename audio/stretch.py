"""Pitch-preserving speed change, for engines that cannot speak faster or slower themselves."""
from __future__ import annotations

import subprocess

from audio.chunk import AudioChunk
from audio.errors import AudioError
from audio.ffmpeg import ffmpeg_path

# atempo keeps its best quality within this range; larger changes are a chain of steps inside it.
ATEMPO_MIN, ATEMPO_MAX = 0.5, 2.0


def atempo_chain(speed: float) -> list[float]:
    """Factors within atempo's range whose product is `speed`."""
    if not speed > 0:
        raise AudioError(f"speed must be above 0, got {speed}: set a speed such as 1.0 or 1.25")
    steps = []
    while speed > ATEMPO_MAX:
        steps.append(ATEMPO_MAX)
        speed /= ATEMPO_MAX
    while speed < ATEMPO_MIN:
        steps.append(ATEMPO_MIN)
        speed /= ATEMPO_MIN
    return [*steps, speed]


def stretch(chunk: AudioChunk, speed: float) -> AudioChunk:
    """`chunk` spoken `speed` times as fast, at the same pitch, rate and format."""
    if speed == 1 or not chunk.data:
        return chunk
    if chunk.width != 2:
        raise AudioError(f"stretch reads 16-bit PCM, got {8 * chunk.width}-bit: decode to s16le first")
    tempo = ",".join(f"atempo={step!r}" for step in atempo_chain(speed))
    raw = ["-f", "s16le", "-ar", str(chunk.rate), "-ac", str(chunk.channels)]
    command = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", *raw, "-i", "pipe:0",
               "-filter:a", tempo, *raw, "pipe:1"]
    result = subprocess.run(command, input=chunk.data, capture_output=True)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise AudioError(f"ffmpeg could not change the speed to {speed} ({detail[0]}): "
                         "update ffmpeg or use an engine with native speed such as piper")
    return AudioChunk(chunk.rate, chunk.width, chunk.channels, result.stdout)
