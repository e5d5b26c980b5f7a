"""Measure a finished episode file the way directories do: ffmpeg's EBU R128 scanner and its decoder."""
from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

from audio.errors import AudioError
from audio.ffmpeg import ffmpeg_path


def loudness_and_true_peak(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of an audio file, from ffmpeg's ebur128 filter."""
    result = subprocess.run(
        [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-i", str(path),
         "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
        capture_output=True, text=True,
    )
    summary = result.stderr.rpartition("Summary:")[2]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if result.returncode != 0 or not integrated or not peak:
        raise AudioError(f"could not measure {path}: ffmpeg cannot read it as audio; render the episode again")
    return float(integrated.group(1)), float(peak.group(1))


# The resampler clips at full scale, so the audio is halved first and the 6 dB added back to the reading.
HEADROOM = 0.5


def peak_scanner_command(rate: int) -> list[str]:
    """ffmpeg decoding audio from its stdin and printing its true peak as BS.1770 defines it: the peak
    of the signal upsampled 4×. (ebur128=peak=true reads the same to within 0.1 dB but takes 2.5× as
    long, the loudness and its own resampler included; soxr and astats measure only the peak.)"""
    return [ffmpeg_path(), "-hide_banner", "-nostats", "-i", "pipe:0", "-af",
            f"aformat=sample_fmts=flt,volume={HEADROOM},aresample={4 * rate}:resampler=soxr,"
            "astats=measure_overall=Peak_level:measure_perchannel=none", "-f", "null", "-"]


def read_true_peak(returncode: int, stderr: str, path: Path) -> float:
    found = re.findall(r"Peak level dB:\s+(-?[\d.]+|-inf)", stderr)
    if returncode != 0 or not found:
        raise AudioError(f"could not measure {path}: ffmpeg cannot read it as audio; render the episode again")
    return float(found[-1]) - 20 * math.log10(HEADROOM)


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
