"""Measure a finished episode file the way directories do: ffmpeg's EBU R128 scanner and its decoder."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from audio.errors import AudioError
from audio.ffmpeg import ffmpeg_path


def scanner_command(source: str) -> list[str]:
    """ffmpeg reading `source` (a path, or pipe:0 for its stdin) through the ebur128 filter; the
    summary goes to stderr, the per-frame lines are left out."""
    stdin = [] if source == "pipe:0" else ["-nostdin"]
    return [ffmpeg_path(), *stdin, "-hide_banner", "-nostats", "-i", source,
            "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"]


def read_summary(returncode: int, stderr: str, path: Path) -> tuple[float, float]:
    summary = stderr.rpartition("Summary:")[2]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if returncode != 0 or not integrated or not peak:
        raise AudioError(f"could not measure {path}: ffmpeg cannot read it as audio; render the episode again")
    return float(integrated.group(1)), float(peak.group(1))


def loudness_and_true_peak(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of an audio file, from ffmpeg's ebur128 filter."""
    result = subprocess.run(scanner_command(str(path)), capture_output=True, text=True)
    return read_summary(result.returncode, result.stderr, path)


def decoded_duration(path: Path) -> float:
    """Seconds of audio a player will play, counted by decoding (no ffprobe needed)."""
    result = subprocess.run(
        [ffmpeg_path(), "-nostdin", "-hide_banner", "-i", str(path), "-f", "null", "-"],
        capture_output=True, text=True,
    )
    times = re.findall(r"time=(\d+):(\d+):(\d+(?:\.\d+)?)", result.stderr)
    if result.returncode != 0 or not times:
        raise AudioError(f"could not decode {path}: render the episode again")
    hours, minutes, seconds = times[-1]
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
