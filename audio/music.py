"""Intro and outro music mixed under the stitched speech, before the episode's loudness is measured, so the
one mastering gain and the limiter see the episode as listeners will hear it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio.chunk import Format
from audio.decode import decode_to_pcm
from audio.errors import AudioError
from audio.loudness import LoudnessMeter
from audio.master import take_loudness, tame_take, true_peaks
from audio.stitch import Mark, Stitched

LEAD_SECONDS = 2.0  # intro music heard alone before the speech begins
DUCK_DB = -18.0  # intro music under the spoken intro, relative to its level alone
DUCK_SECONDS = 0.25  # the dip into the duck, ending as the first word starts
FADE_OUT_SECONDS = 1.5  # intro music after the intro's last word; also the end of a long outro
FADE_IN_SECONDS = 1.5  # outro music after the episode's last word
EDGE_SECONDS = 0.05  # a clip that ends by itself still ends without a click
MAX_SECONDS = 60  # music is a jingle, held in memory whole (and oversampled while its peaks are tamed)
PEAK_CEILING = 10 ** (-1 / 20)  # music alone never nears full scale, whatever the speech's level
BLOCK_SECONDS = 10


@dataclass(frozen=True)
class MusicFiles:
    intro: Path | None = None
    outro: Path | None = None


def load(path: Path, role: str, rate: int) -> np.ndarray:
    """The music as float samples at the episode's rate, mono, peaks tamed like speech takes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioError(f"{role} {path.name} is not in the show folder: put it beside papercast.toml "
                         f"or correct the [intro] setting") from None
    except OSError as error:
        raise AudioError(f"{role} {path.name} cannot be read ({error.strerror}): check its permissions") from None
    try:
        chunk = decode_to_pcm(data, rate)
    except AudioError:
        raise AudioError(f"{role} {path.name} cannot be read: give a WAV, FLAC or MP3 file") from None
    if chunk.duration > MAX_SECONDS:
        raise AudioError(f"{role} {path.name} is {chunk.duration:.0f} seconds long: give a clip of at most "
                         f"{MAX_SECONDS} seconds")
    pcm = tame_take(chunk.data, Format(rate)).pcm
    if take_loudness(pcm, rate) == float("-inf"):
        raise AudioError(f"{role} {path.name} is silent: give a file with sound in it")
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0


def at_loudness(music: np.ndarray, rate: int, loudness: float) -> np.ndarray:
    pcm = (music * 32768.0).astype("<i2").tobytes()
    gain = 10 ** ((loudness - take_loudness(pcm, rate)) / 20)
    gain = min(gain, PEAK_CEILING / max(float(np.abs(music).max()), 1e-9))
    return music * gain


def envelope(points: list[tuple[float, float]], frames: int, rate: int) -> np.ndarray:
    """Gain per sample, straight lines between (seconds, gain) points, the last gain held after them."""
    times = np.array([t for t, _ in points]) * rate
    return np.interp(np.arange(frames), times, [g for _, g in points])


def intro_layer(music: np.ndarray, rate: int, first_word: float, intro_end: float) -> np.ndarray:
    ducked = 10 ** (DUCK_DB / 20)
    length = min(len(music), round((intro_end + FADE_OUT_SECONDS) * rate))
    gain = envelope([(0, 1.0), (first_word - DUCK_SECONDS, 1.0), (first_word, ducked), (intro_end, ducked),
                     (intro_end + FADE_OUT_SECONDS, 0.0)], length, rate)
    return music[:length] * gain * edge_fade(length, rate)


def outro_layer(music: np.ndarray, rate: int) -> np.ndarray:
    length = len(music)
    end = length / rate
    fade_out_from = max(FADE_IN_SECONDS, end - FADE_OUT_SECONDS)
    gain = envelope([(0, 0.0), (FADE_IN_SECONDS, 1.0), (fade_out_from, 1.0), (end, 0.0)], length, rate)
    return music * gain * edge_fade(length, rate)


def edge_fade(length: int, rate: int) -> np.ndarray:
    edge = max(1, round(EDGE_SECONDS * rate))
    return np.minimum(1.0, np.arange(length, 0, -1) / edge)


def mix(speech: Path, out: Path, stitched: Stitched, intro_end: float, files: MusicFiles) -> Stitched:
    """Write speech plus music to `out` block by block; returns the mixed episode with its timeline moved
    by the intro music's lead-in. `intro_end` is when the spoken intro's last word ends, in `stitched`."""
    rate = stitched.format.rate
    speech_loudness = stitched.loudness
    if speech_loudness == float("-inf"):
        raise AudioError("the episode came out silent: try another voice or engine")
    shift = LEAD_SECONDS if files.intro else 0.0
    timeline = tuple(Mark(m.cue, m.start + shift, m.end + shift) for m in stitched.timeline)
    layers: list[tuple[int, np.ndarray]] = []  # (first frame, samples)
    if files.intro:
        music = at_loudness(load(files.intro, "intro music", rate), rate, speech_loudness)
        layers.append((0, intro_layer(music, rate, timeline[0].start, intro_end + shift)))
    if files.outro:
        music = at_loudness(load(files.outro, "outro music", rate), rate, speech_loudness)
        layers.append((round(timeline[-1].end * rate), outro_layer(music, rate)))
    offset = round(shift * rate)
    frames = max([offset + stitched.frames] + [start + len(layer) for start, layer in layers])
    block = BLOCK_SECONDS * rate
    meter = LoudnessMeter(rate)
    peak = 0.0
    with open(speech, "rb") as source, open(out, "wb") as sink:
        for first in range(0, frames, block):
            mixed = np.zeros(min(block, frames - first))
            speech_from = max(0, first - offset)  # speech is read in order, after the lead-in
            data = source.read(max(0, first + len(mixed) - offset - speech_from) * 2)
            heard = np.frombuffer(data, dtype="<i2") / 32768.0
            mixed[speech_from + offset - first:][: len(heard)] = heard
            for start, layer in layers:
                overlap_from, overlap_to = max(first, start), min(first + len(mixed), start + len(layer))
                if overlap_from < overlap_to:
                    mixed[overlap_from - first:overlap_to - first] += layer[overlap_from - start:overlap_to - start]
            data = (np.clip(mixed, -1.0, 32767 / 32768) * 32768.0).round().astype("<i2").tobytes()
            sink.write(data)
            meter.add(data)
            peak = max(peak, float(true_peaks(mixed).max(initial=0.0)))
    return Stitched(stitched.format, frames, timeline, meter.loudness(), peak)
