from __future__ import annotations

import re

from feeds.model import Caption
from feeds.transcripts import LINE_LENGTH, srt, vtt

LONG = ("The committee met on Tuesday to discuss the proposal, which had been circulating among "
        "members for several weeks before anyone was willing to put their name to it.")
TIMING = re.compile(r"(\d\d):(\d\d):(\d\d)[.,](\d{3}) --> (\d\d):(\d\d):(\d\d)[.,](\d{3})")


def seconds(match, offset):
    hours, minutes, whole, millis = (int(match.group(offset + i)) for i in range(4))
    return hours * 3600 + minutes * 60 + whole + millis / 1000


def cues(text):
    return [block.split("\n") for block in text.strip().split("\n\n")]


def test_vtt_short_captions():
    text = vtt([Caption(0, 1.5, "Hello there."), Caption(61.25, 3725.5, "Bye.")])
    assert text == ("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello there.\n\n"
                    "00:01:01.250 --> 01:02:05.500\nBye.\n")


def test_srt_numbers_cues_and_uses_commas():
    text = srt([Caption(0, 1.5, "Hello there."), Caption(2, 3, "Bye.")])
    assert text == "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n2\n00:00:02,000 --> 00:00:03,000\nBye.\n"


def test_long_caption_is_split_into_short_lines_and_proportional_cues():
    for render, skip in ((vtt, 1), (srt, 0)):
        blocks = cues(render([Caption(10.0, 20.0, LONG)]))[skip:]
        assert len(blocks) > 1
        times, texts = [], []
        for block in blocks:
            lines = block[1:] if render is vtt else block[2:]
            timing = block[0] if render is vtt else block[1]
            assert 1 <= len(lines) <= 2
            assert all(len(line) <= LINE_LENGTH for line in lines)
            match = TIMING.fullmatch(timing)
            times.append((seconds(match, 1), seconds(match, 5)))
            texts.append(" ".join(lines))
        assert " ".join(texts) == LONG
        assert times[0][0] == 10.0 and times[-1][1] == 20.0
        assert all(a[1] == b[0] for a, b in zip(times, times[1:]))  # contiguous, no gaps
        share = [(end - start) / 10.0 for start, end in times]
        characters = [len(text.replace(" ", "")) for text in texts]
        for fraction, count in zip(share, characters):
            assert abs(fraction - count / sum(characters)) < 0.03


def test_markup_and_arrows_cannot_break_a_vtt_cue():
    text = vtt([Caption(0, 1, "a --> b <c> & d\x00")])
    assert text.endswith("a --&gt; b &lt;c&gt; &amp; d\n")
    assert text.count("-->") == 1


def test_empty_captions_are_skipped():
    assert vtt([Caption(0, 1, "  \n ")]) == "WEBVTT\n"
    assert srt([]) == ""
