"""The issue's must-show checks on rendered episodes, measured the way podcast directories and players do:
ffmpeg's ebur128 (loudness, true peak), silencedetect (no gap inside speech, paragraph pauses as set)
and the ID3 chapters (mutagen, and ffprobe where installed) against the timeline in the catalog."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from audio.ffmpeg import ffmpeg_path
from audio.measure import decoded_duration, loudness_and_true_peak
from papercast.catalog import Catalog
from papercast.cli import run
from sample_articles import ARTICLE

SILENCE = "silencedetect=n=-50dB:d=0.5"
PARAGRAPH_PAUSE = 0.8  # [pauses] paragraph in the show's papercast.toml, as `papercast init` writes it
# The captions each paragraph pause follows in ARTICLE: a paragraph's last sentence, and a heading.
BEFORE_PARAGRAPH_PAUSE = ["The first train left on Sunday evening, full.", "What changed"]
EDGE = 0.06  # seconds: speech edges are kept with a 15 ms margin and fade, and MP3 smears them a little


@dataclass
class Episode:
    mp3: Path
    captions: list
    chapters: list


def render(root: Path, engine: str) -> Episode:
    assert run(["init", str(root), "--title", "Quality", "--base-url", "https://example.org/q",
                "--email", "owner@example.org"]) == 0
    config = root / "papercast.toml"
    text = config.read_text()
    assert f"paragraph = {PARAGRAPH_PAUSE}" in text
    config.write_text(text.replace('engine = "piper"', f'engine = "{engine}"'))
    article = root.parent / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert run(["--show", str(root), "add", str(article)]) == 0
    assert run(["--show", str(root), "-q", "render"]) == 0
    with Catalog(root / "papercast.db") as catalog:
        row = catalog.get(1)
    timeline = json.loads(row.timeline)
    return Episode(root / "output" / row.file, timeline["captions"], timeline["chapters"])


@pytest.fixture(scope="module", params=["fake", pytest.param("piper", marks=pytest.mark.slow)])
def episode(request, tmp_path_factory) -> Episode:
    return render(tmp_path_factory.mktemp(request.param) / "show", request.param)


def silences(mp3: Path) -> list[tuple[float, float]]:
    result = subprocess.run([ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-i", str(mp3),
                             "-af", SILENCE, "-f", "null", "-"], capture_output=True, text=True, check=True)
    starts = [float(s) for s in re.findall(r"silence_start: (-?[\d.]+)", result.stderr)]
    ends = [float(e) for e in re.findall(r"silence_end: (-?[\d.]+)", result.stderr)]
    if len(ends) < len(starts):  # silence running to the end of the file
        ends.append(decoded_duration(mp3))
    return list(zip(starts, ends))


def scripted_gaps(episode: Episode) -> list[tuple[float, float]]:
    """Where the timeline says nobody speaks: the lead-in, each pause between cues, and the tail."""
    edges = [0.0] + [t for start, end, _ in episode.captions for t in (start, end)] + [float("inf")]
    return list(zip(edges[::2], edges[1::2]))


def test_loudness_is_minus_16_lufs_and_true_peak_at_most_minus_1(episode):
    integrated, true_peak = loudness_and_true_peak(episode.mp3)
    print(f"{episode.mp3.name}: I {integrated} LUFS, true peak {true_peak} dBTP")
    assert -17.0 <= integrated <= -15.0
    assert true_peak <= -1.0


def test_every_silence_lies_in_a_scripted_pause_never_inside_a_sentence(episode):
    gaps = scripted_gaps(episode)
    found = silences(episode.mp3)
    assert found, "silencedetect found no pauses at all"
    for start, end in found:
        assert any(gap_start - EDGE <= start and end <= gap_end + EDGE for gap_start, gap_end in gaps), (
            f"silence {start:.3f}-{end:.3f} s falls inside speech")


def test_paragraph_pauses_are_within_15_percent_of_the_setting(episode):
    found = silences(episode.mp3)
    ends = {text: end for _, end, text in episode.captions}
    for text in BEFORE_PARAGRAPH_PAUSE:
        [pause] = [end - start for start, end in found if abs(start - ends[text]) <= 0.1]
        print(f"pause after {text!r}: {pause:.3f} s (set {PARAGRAPH_PAUSE} s)")
        assert pause == pytest.approx(PARAGRAPH_PAUSE, rel=0.15)


def test_id3_chapters_start_where_the_timeline_says_and_where_the_section_is_heard(episode):
    tags = sorted(ID3(episode.mp3).getall("CHAP"), key=lambda chap: chap.start_time)
    assert [str(chap.sub_frames["TIT2"]) for chap in tags] == [c["title"] for c in episode.chapters]
    assert len(tags) == 3
    for chap, recorded in zip(tags, episode.chapters):
        assert abs(chap.start_time / 1000 - recorded["start"]) <= 0.05
    # Each section's first word ends a silence in the audio itself, where its chapter starts.
    silence_ends = [end for _, end in silences(episode.mp3)]
    errors = [min(abs(end - recorded["start"]) for end in silence_ends) for recorded in episode.chapters[1:]]
    print(f"chapter start vs heard onset, max error {max(errors) * 1000:.0f} ms")
    assert max(errors) <= 0.05


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe is not installed (Debian package ffmpeg)")
def test_ffprobe_lists_the_chapters_at_the_recorded_times(episode):
    result = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(episode.mp3)],
                            capture_output=True, text=True, check=True)
    # ffprobe lists CHAP frames in file order, which mutagen sets by frame size; CTOC holds the order.
    chapters = sorted(json.loads(result.stdout)["chapters"], key=lambda c: float(c["start_time"]))
    assert [c["tags"]["title"] for c in chapters] == [c["title"] for c in episode.chapters]
    for probed, recorded in zip(chapters, episode.chapters):
        assert abs(float(probed["start_time"]) - recorded["start"]) <= 0.05
