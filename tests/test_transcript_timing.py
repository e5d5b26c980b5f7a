"""The VTT transcript's cue times match what is heard in the published MP3.

With the fake engine every word is a 0.25 s tone followed by 0.05 s of silence, and pauses between
sentences are silence (≥ 0.3 s), so each sentence is one run of sound after ≥ 0.2 s of quiet, lasting
about words × 0.3 s. The MP3 is decoded with ffmpeg and those runs found from its energy alone.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from audio.ffmpeg import ffmpeg_path
from rendered_show import SLUGS, render_show, shared_show

pytestmark = pytest.mark.slow

RATE = 16000
FRAME = 0.01  # seconds per energy frame
MIN_SILENCE = 0.2  # seconds of quiet before a run of sound counts as an onset
WORD = 0.3  # fake engine: 0.25 s tone + 0.05 s gap per word


@dataclass(frozen=True)
class Caption:
    """One caption as a listener reads it: consecutive VTT cues with no gap between them (a long
    sentence is split into several cues that follow each other exactly)."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Run:
    start: float
    end: float


def captions(vtt: str) -> list[Caption]:
    timing = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})")
    cues = []
    for block in vtt.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        match = timing.fullmatch(lines[0])
        assert match, f"not a cue timing line: {lines[0]!r}"
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, match.groups())
        cues.append((h1 * 3600 + m1 * 60 + s1 + ms1 / 1000, h2 * 3600 + m2 * 60 + s2 + ms2 / 1000, " ".join(lines[1:])))
    joined: list[Caption] = []
    for start, end, text in cues:
        assert end > start, (start, end, text)
        if joined and abs(joined[-1].end - start) < 0.002:
            joined[-1] = Caption(joined[-1].start, end, f"{joined[-1].text} {text}")
        else:
            joined.append(Caption(start, end, text))
    return joined


def decoded(mp3: Path) -> np.ndarray:
    pcm = subprocess.run([ffmpeg_path(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(pcm, "<i2").astype(np.float64)


def sound_runs(samples: np.ndarray, quiet_db: float) -> list[Run]:
    """Stretches of sound each preceded (and followed) by at least MIN_SILENCE of quiet: quiet is a 10 ms
    frame whose RMS is more than `quiet_db` below the loudest frame's."""
    size = int(RATE * FRAME)
    frames = samples[: len(samples) // size * size].reshape(-1, size)
    rms = np.sqrt((frames ** 2).mean(axis=1))
    loud = rms > rms.max() * 10 ** (quiet_db / 20)
    runs: list[Run] = []
    quiet_frames = int(MIN_SILENCE / FRAME)
    index, count = 0, len(loud)
    while index < count:
        if not loud[index]:
            index += 1
            continue
        start = index
        # The run goes on until MIN_SILENCE of quiet in a row (or the end of the audio).
        while index < count and loud[index:index + quiet_frames].any():
            index += 1
        runs.append(Run(start * FRAME, index * FRAME))
    return runs


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    root, _ = shared_show(tmp_path_factory)
    return root / "output"


def test_sound_runs_finds_tones_after_silence():
    """The detector itself: two tones separated by 0.4 s are two runs, at their true times, and a 0.05 s gap
    inside a tone (as between the fake engine's words) does not split it."""
    t = np.arange(int(RATE * 0.5)) / RATE
    tone = 8000 * np.sin(2 * np.pi * 440 * t)
    gap = np.zeros(int(RATE * 0.05))
    samples = np.concatenate([np.zeros(int(RATE * 0.3)), tone, gap, tone, np.zeros(int(RATE * 0.4)), tone,
                              np.zeros(int(RATE * 0.3))])

    runs = sound_runs(samples, -40)

    assert len(runs) == 2
    assert runs[0].start == pytest.approx(0.3, abs=0.011) and runs[0].end == pytest.approx(1.35, abs=0.011)
    assert runs[1].start == pytest.approx(1.75, abs=0.011) and runs[1].end == pytest.approx(2.25, abs=0.011)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_caption_starts_where_its_sentence_is_heard_and_lasts_its_words(output, slug):
    shown = captions((output / "transcripts" / f"{slug}.vtt").read_text(encoding="utf-8"))
    heard = sound_runs(decoded(output / "episodes" / f"{slug}.mp3"), quiet_db=-40)

    # One run of sound per sentence: nothing heard without a caption, no caption without sound.
    assert len(heard) == len(shown), (heard, shown)
    for caption, run in zip(shown, heard):
        expected = len(caption.text.split()) * WORD
        assert abs(caption.start - run.start) <= 0.3, (caption, run)
        assert abs((caption.end - caption.start) - expected) <= 0.15, (caption, expected)
        assert abs((run.end - run.start) - expected) <= 0.15, (run, caption, expected)


PIPER_ARTICLE = """A morning walk

by Test desk

The sun rose over the hills. Birds began to sing in the trees. The town woke up slowly.
"""


def test_piper_captions_start_and_end_where_speech_does(tmp_path):
    """The real voice: each caption starts within 0.3 s of speech rising after silence, and ends within
    0.3 s of speech falling into silence."""
    from audio.engines.piper import PiperEngine

    ready, reason = PiperEngine.available()
    if not ready:
        pytest.skip(f"piper is not available: {reason}")
    output = render_show(tmp_path / "show", "https://example.org/pod", engine="piper",
                         articles={"walk.txt": PIPER_ARTICLE})
    [vtt] = (output / "transcripts").glob("*.vtt")
    [mp3] = (output / "episodes").glob("*.mp3")

    shown = captions(vtt.read_text(encoding="utf-8"))
    heard = sound_runs(decoded(mp3), quiet_db=-35)

    assert [caption.text for caption in shown][-3:] == [
        "The sun rose over the hills.", "Birds began to sing in the trees.", "The town woke up slowly."]
    for caption in shown:
        assert min(abs(caption.start - run.start) for run in heard) <= 0.3, (caption, heard)
        assert min(abs(caption.end - run.end) for run in heard) <= 0.3, (caption, heard)
