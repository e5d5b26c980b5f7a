"""Takes → one PCM stream with the scripted pauses, written as it comes, plus the timeline of every cue."""
from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from typing import BinaryIO, Iterable

import numpy as np

from audio.cache import MasteredTake, MasteredTakes
from audio.chunk import AudioChunk, Format
from audio.loudness import LoudnessMeter, sub_hop, sub_hop_energies
from audio.master import TAMING, tame_take

with warnings.catch_warnings():  # pydub warns when no ffmpeg is on PATH; papercast brings its own
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence
from audio.synth import Take

SILENCE_DBFS = -50.0  # below this a take's edges count as silence
EDGE_MARGIN_MS = 15  # kept around speech so soft onsets and endings are not clipped
EDGE_FADE_MS = 10
TRIMMING = f"trimming 1: {SILENCE_DBFS} {EDGE_MARGIN_MS} {EDGE_FADE_MS}"
LEAD_IN = 0.25  # seconds before the first word
TAIL = 0.6  # seconds after the last word


@dataclass(frozen=True)
class Mark:
    """Where one cue is heard: its index in the script and its speech's start and end in seconds."""

    cue: int
    start: float
    end: float


@dataclass(frozen=True)
class Stitched:
    format: Format
    frames: int
    timeline: tuple[Mark, ...]
    loudness: float  # LUFS of the whole PCM, measured as it was written
    peak: float  # its highest true peak (2× oversampled), linear full scale

    @property
    def duration(self) -> float:
        return self.frames / self.format.rate


def to_segment(audio: AudioChunk) -> AudioSegment:
    return AudioSegment(data=audio.data, sample_width=audio.width, frame_rate=audio.rate, channels=audio.channels)


def trimmed(audio: AudioChunk, fmt: Format) -> bytes:
    """The take in the episode's format, without the silence engines put around speech."""
    segment = to_segment(audio)
    if (audio.rate, audio.width, audio.channels) != (fmt.rate, fmt.width, fmt.channels):
        segment = segment.set_channels(fmt.channels).set_sample_width(fmt.width).set_frame_rate(fmt.rate)
    lead = detect_leading_silence(segment, SILENCE_DBFS)
    trail = detect_leading_silence(segment.reverse(), SILENCE_DBFS)
    if lead >= len(segment):
        return b""
    start = max(0, lead - EDGE_MARGIN_MS)
    end = min(len(segment), len(segment) - trail + EDGE_MARGIN_MS)
    # Fade the cut edges so no take starts or stops with a click against the silence between takes.
    return segment[start:end].fade_in(EDGE_FADE_MS).fade_out(EDGE_FADE_MS).raw_data


def mastered(take: Take, fmt: Format, cache: MasteredTakes | None) -> MasteredTake:
    """The take trimmed and tamed in the episode's format, measured; from `cache` when this take was
    mastered the same way before (re-rendering an edited article)."""
    key = None
    if cache is not None and take.key:
        key = hashlib.sha256(f"{take.key}\0{fmt}\0{TRIMMING}\0{TAMING}".encode()).hexdigest()
        found = cache.get(key)
        if found is not None:
            return found
    tamed = tame_take(trimmed(take.audio, fmt), fmt)
    result = MasteredTake(tamed.pcm, sub_hop_energies(tamed.weighted, fmt.rate), tamed.peak)
    if key is not None:
        cache.put(key, result)
    return result


def assemble(takes: Iterable[Take], out: BinaryIO, fmt: Format | None = None,
             cache: MasteredTakes | None = None) -> Stitched:
    """Write the episode's PCM to `out` one take at a time: memory holds one take, never the episode.
    The format is the first take's unless given; later takes are converted to it. The loudness and the
    peak are measured on the way, so mastering need not read the episode again. Every take starts on a
    multiple of the loudness meter's sub-hop (the pause before it is at most 5 ms longer), so a take's
    energies count the same wherever it lands. With a `cache`, each take is mastered once and kept there."""
    frames = 0
    timeline: list[Mark] = []
    meter: LoudnessMeter | None = None
    peak = 0.0

    def silence(count: int) -> None:
        nonlocal frames
        out.write(bytes(count * fmt.frame_bytes))
        meter.add_silence(count)
        frames += count

    for index, take in enumerate(takes):
        if fmt is None:
            fmt = Format(take.audio.rate, 2, 1)
        if index == 0:
            meter = LoudnessMeter(fmt.rate)
            silence(round(LEAD_IN * fmt.rate))
        silence(-frames % sub_hop(fmt.rate))
        speech = mastered(take, fmt, cache)
        start = frames / fmt.rate
        out.write(speech.pcm)
        length = len(speech.pcm) // fmt.frame_bytes
        meter.add_energies(speech.energies, length)
        frames += length
        peak = max(peak, speech.peak)
        timeline.append(Mark(index, start, frames / fmt.rate))
        silence(round(take.cue.pause_after * fmt.rate))
    if fmt is None:
        raise ValueError("no takes to assemble")
    silence(round(TAIL * fmt.rate))
    return Stitched(fmt, frames, tuple(timeline), meter.loudness(), peak)
