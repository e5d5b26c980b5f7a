"""Turn encoded audio (MP3, WAV, anything ffmpeg reads) that an engine returns into mono 16-bit PCM."""
from __future__ import annotations

import io
import struct
import subprocess
from typing import Sequence

from audio.chunk import AudioChunk
from audio.errors import AudioError
from audio.ffmpeg import ffmpeg_path


def decode_to_pcm(data: bytes, rate: int | None = None) -> AudioChunk:
    """Decode any container ffmpeg reads to mono s16le, at `rate` or else the source's own rate."""
    resample = ["-ar", str(rate)] if rate else []
    # WAV rather than raw s16le on stdout, so the source's rate arrives in the header.
    command = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
               "-ac", "1", *resample, "-c:a", "pcm_s16le", "-f", "wav", "pipe:1"]
    result = subprocess.run(command, input=data, capture_output=True)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise AudioError(f"ffmpeg could not decode the engine's audio ({detail[0]}): "
                         "check the engine's output or update ffmpeg")
    return read_wav(result.stdout)


def decode_pieces(pieces: Sequence[bytes]) -> AudioChunk:
    """Encoded files that follow one another (an online engine's answers for one take) as one mono
    s16le chunk at their own rate. Each is decoded in this process by libsndfile (the soundfile
    package: MP3, WAV, FLAC, Ogg) in about a millisecond, where starting an ffmpeg costs 20-100 ms of
    CPU; whatever libsndfile cannot read here goes to ffmpeg, all the pieces in one call."""
    try:
        chunks = [_decode_in_process(piece) for piece in pieces]
    except _NotReadHere:
        return decode_to_pcm(b"".join(pieces))
    first = chunks[0]
    if any(chunk.rate != first.rate for chunk in chunks):
        raise AudioError("the engine changed sample rate within one take: report this engine as broken")
    return AudioChunk(first.rate, 2, 1, b"".join(chunk.data for chunk in chunks))


class _NotReadHere(Exception):
    pass


def _decode_in_process(data: bytes) -> AudioChunk:
    try:
        import soundfile
    except (ImportError, OSError):  # not installed, or no libsndfile for this platform
        raise _NotReadHere from None
    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="int16", always_2d=True)
    except (RuntimeError, TypeError, ValueError):  # a format this libsndfile lacks (MP3 before 1.1), or garbage
        raise _NotReadHere from None
    if samples.shape[1] > 1:  # downmixed as ffmpeg's -ac 1 does: the channels' mean
        samples = samples.mean(axis=1).round().astype("<i2")
    return AudioChunk(rate, 2, 1, samples.astype("<i2").tobytes())


def read_wav(data: bytes) -> AudioChunk:
    """PCM from a RIFF/WAV byte string, including streamed WAVs whose size fields are placeholders."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError("engine returned audio that is not WAV: check the engine's output format")
    fmt = None
    position = 12
    while position + 8 <= len(data):
        chunk_id, size = struct.unpack_from("<4sI", data, position)
        body = position + 8
        if chunk_id == b"fmt ":
            fmt = struct.unpack_from("<HHIIHH", data, body)
        elif chunk_id == b"data":
            if fmt is None:
                break
            encoding, channels, rate, _, _, bits = fmt
            if encoding not in (1, 0xFFFE) or bits != 16:
                raise AudioError(f"engine returned {bits}-bit WAV (format {encoding}): "
                                 "only 16-bit PCM is read; decode it with decode_to_pcm instead")
            # Writers streaming to a pipe cannot know the length, so the data runs to the end.
            pcm = data[body:body + size] if body + size <= len(data) else data[body:]
            frame = channels * 2
            return AudioChunk(rate, 2, channels, pcm[: len(pcm) - len(pcm) % frame])
        position = body + size + size % 2
    raise AudioError("engine returned a WAV without format or data: check the engine's output")
