"""Captions as WebVTT and SubRip files, laid out for reading on a phone.

Long captions are wrapped to lines of at most `LINE_LENGTH` characters and split into cues of at
most two lines; each piece gets a share of the caption's time proportional to its characters.
"""
from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator

from feeds.model import Caption
from feeds.text import one_line

LINE_LENGTH = 42
LINES_PER_CUE = 2


def vtt(captions: Iterable[Caption]) -> str:
    blocks = ["WEBVTT"]
    for start, end, lines in _cues(captions):
        text = "\n".join(_vtt_escape(line) for line in lines)
        blocks.append(f"{_timestamp(start, '.')} --> {_timestamp(end, '.')}\n{text}")
    return "\n\n".join(blocks) + "\n"


def srt(captions: Iterable[Caption]) -> str:
    blocks = []
    for number, (start, end, lines) in enumerate(_cues(captions), start=1):
        blocks.append(f"{number}\n{_timestamp(start, ',')} --> {_timestamp(end, ',')}\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _cues(captions: Iterable[Caption]) -> Iterator[tuple[float, float, list[str]]]:
    for caption in captions:
        lines = textwrap.wrap(one_line(caption.text), LINE_LENGTH, break_long_words=True,
                              break_on_hyphens=False)
        if not lines:
            continue
        pieces = [lines[i:i + LINES_PER_CUE] for i in range(0, len(lines), LINES_PER_CUE)]
        total_characters = sum(len(line) for line in lines)
        start = max(0.0, caption.start)
        span = max(0.0, caption.end - start)
        spoken = 0
        for piece in pieces:
            piece_start = start + span * spoken / total_characters
            spoken += sum(len(line) for line in piece)
            yield piece_start, start + span * spoken / total_characters, piece


def _vtt_escape(line: str) -> str:
    # Escaping '>' also keeps a literal "-->" from being read as a cue timing line.
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _timestamp(seconds: float, decimal_mark: str) -> str:
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, fraction = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}{decimal_mark}{fraction:03d}"
