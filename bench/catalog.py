"""A catalog of 5,000 episodes: building the feed, and adding one more article.

    .venv/bin/python bench/catalog.py

Rows go straight into papercast.catalog.Catalog with made-up rendered data (no audio). The feed build
(papercast.publish.feed_bytes) must take at most 2 s with 5,000 episodes, the issue's absolute target;
its ratio against 10 episodes is printed too. `papercast add` (a whole process) with 5,000 episodes
must be no slower than with 10 (≤ 1.2×). Both are CPU seconds (the code is single-threaded, so on an
idle machine that is its wall time; on a shared one wall time mostly measures the other work).
"""
from __future__ import annotations

import json
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from benchlib import PAPERCAST, Row, best_cpu_of, new_show, report

BIG, SMALL = 5000, 10
TRIES = 5
FEED_SECONDS = 2.0
ADD_RATIO = 1.2


def fake_article(number: int):
    from articles.model import Article, Section

    paragraphs = tuple(f"Paragraph {p} of story {number}: the council met again on Tuesday and voted "
                       f"on item {number * 7 + p}." for p in range(6))
    return Article(title=f"Story number {number}", sections=(Section(None, paragraphs),),
                   byline="Bench desk", date="2024-05-01", url=f"https://example.org/story/{number}")


def fill(show: Path, count: int) -> None:
    from papercast.catalog import Catalog

    timeline = json.dumps({"captions": [[0.25 + 3 * i, 3.0 + 3 * i, f"Sentence {i}."] for i in range(60)],
                           "chapters": [{"title": "Story", "start": 0.0, "end": 180.0, "url": None}]})
    with Catalog(show / "papercast.db") as catalog:
        for number in range(count):
            row, _ = catalog.add(f"story-{number}.txt", fake_article(number))
            catalog.mark_rendered(row.id, file=f"episodes/{row.slug}.mp3", size=1_440_000, duration=180.0,
                                  voice="piper/en_US-joe-medium", timeline=timeline)


@contextmanager
def filled_show(count: int) -> Iterator[Path]:
    with new_show("fake") as show:
        fill(show, count)
        yield show


def feed_seconds(show: Path) -> float:
    from papercast.catalog import Catalog
    from papercast.publish import feed_bytes
    from papercast.show import open_show

    opened = open_show(str(show))
    with Catalog(opened.catalog_path) as catalog:
        feed_bytes(opened, catalog)  # the first build draws the show's cover once; that is not the feed
        return best_cpu_of(TRIES, lambda: feed_bytes(opened, catalog))


def add_seconds(show: Path) -> float:
    import subprocess

    numbers = iter(range(10**6, 2 * 10**6))

    def add_one() -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", dir=show, delete=False) as text:
            number = next(numbers)
            article = fake_article(number)
            text.write(article.title + "\n\n" + "\n\n".join(article.paragraphs) + "\n")
        subprocess.run([str(PAPERCAST), "--quiet", "add", text.name], cwd=show, check=True, capture_output=True)

    return best_cpu_of(TRIES, add_one)


def measure() -> list[Row]:
    with filled_show(SMALL) as small, filled_show(BIG) as big:
        feed_small, feed_big = feed_seconds(small), feed_seconds(big)
        add_small, add_big = add_seconds(small), add_seconds(big)
    return [
        Row(f"feed build, {BIG} episodes, CPU s ({feed_big / feed_small:.0f}x the {SMALL}-episode build)",
            feed_big, FEED_SECONDS, unit="s"),
        Row(f"papercast add, {BIG} vs {SMALL} episodes ({add_big * 1000:.0f} vs {add_small * 1000:.0f} ms)",
            add_big / add_small, ADD_RATIO),
    ]


if __name__ == "__main__":
    report(measure())
