"""Peak memory of rendering a 3-hour article against a 10-minute one, with the fake engine.

    .venv/bin/python bench/memory.py

Each render runs in its own process, started by a small watcher process that reports its children's
peak RSS (getrusage RUSAGE_CHILDREN: the render and the ffmpeg it starts). The fake engine has no
model, so all of the 3-hour render's peak counts against the 400 MB allowance.
"""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from benchlib import PAPERCAST, Row, new_show, papercast, report

RATIO = 1.2
ALLOWANCE_MB = 400
# The fake engine speaks each word for 0.3 s (audio/engines/fake.py), plus the script's pauses.
WORDS_PER_MINUTE = 190
WATCH = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
VOCABULARY = ("the council voted on a plan to rebuild the harbour wall after winter storms while "
              "residents asked who would pay and engineers warned that tides were rising faster than "
              "expected across the whole northern coast this year").split()


def article_text(minutes: int, seed: int = 7) -> str:
    """Sentences of 8 to 20 words in paragraphs of five, with a heading every 20 minutes or so."""
    words = random.Random(seed)
    paragraphs, count = [], 0
    while count < minutes * WORDS_PER_MINUTE:
        if len(paragraphs) % 25 == 0:
            paragraphs.append(f"Part {len(paragraphs) // 25 + 1}")
        sentences = []
        for _ in range(5):
            sentence = [words.choice(VOCABULARY) for _ in range(words.randint(8, 20))]
            count += len(sentence)
            sentences.append(" ".join(sentence).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return f"A long read of {minutes} minutes\n\n" + "\n\n".join(paragraphs) + "\n"


def peak_mb(minutes: int) -> tuple[float, float]:
    """(peak RSS in MB, episode duration in minutes) of rendering a `minutes`-long article."""
    with new_show("fake") as show:
        source = show / f"long-{minutes}.txt"
        source.write_text(article_text(minutes), encoding="utf-8")
        papercast("add", source, cwd=show)
        kilobytes = subprocess.run([sys.executable, "-c", WATCH, str(PAPERCAST), "--quiet", "render"], cwd=show,
                                   check=True, capture_output=True, text=True).stdout.split()[-1]
        listed = papercast("list", cwd=show).stdout.split()
        duration = listed[2].split(":")
        seconds = sum(int(part) * 60**power for power, part in enumerate(reversed(duration)))
        return int(kilobytes) / 1024, seconds / 60


def measure() -> list[Row]:
    short, short_minutes = peak_mb(10)
    long, long_minutes = peak_mb(180)
    return [
        Row(f"peak RSS, {long_minutes:.0f}-min vs {short_minutes:.0f}-min render ({long:.0f} vs {short:.0f} MB)",
            long / short, RATIO),
        Row(f"peak RSS, {long_minutes:.0f}-min render (fake engine: no model)", long, ALLOWANCE_MB, unit="MB"),
    ]


if __name__ == "__main__":
    report(measure())
