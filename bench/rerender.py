"""Re-rendering with piper: an unchanged article, and the same article with one paragraph edited.

    .venv/bin/python bench/rerender.py

First render: the seed sample in a fresh show (cold cache). Then `papercast render --force 1` on the
unchanged article (every take must come from the cache) ≤ 0.03× the first; then one paragraph near the
middle is edited in the file, `papercast add FILE --replace 1` gives the episode the new version (same
GUID), and `papercast render --force 1` must take ≤ 0.25× the first, synthesising only that paragraph.
Cache misses are read from the show's cache/stats.json, to show which takes were spoken.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

from benchlib import Row, new_show, papercast, report, seed_article

UNCHANGED, EDITED = 0.03, 0.25


def edit_one_paragraph(text: str) -> tuple[str, int]:
    """Every sentence of the paragraph nearest the middle ends differently; returns (text, sentences changed)."""
    paragraphs = text.split("\n\n")
    middle = len(paragraphs) // 2
    paragraphs[middle], changed = re.subn(r"\.(?=\s|$)", ", reports say.", paragraphs[middle].rstrip())
    return "\n\n".join(paragraphs), changed


def misses(show: Path) -> int:
    return json.loads((show / "cache" / "stats.json").read_text())["misses"]


def timed_render(show: Path, *args: str) -> float:
    start = time.perf_counter()
    papercast("--quiet", "render", *args, cwd=show)
    return time.perf_counter() - start


def measure() -> list[Row]:
    with new_show("piper") as show:
        source = show / "article.txt"
        source.write_text(seed_article().read_text(encoding="utf-8"), encoding="utf-8")
        papercast("add", source, cwd=show)
        first = timed_render(show)
        spoken = misses(show)
        unchanged = min(timed_render(show, "--force", "1") for _ in range(3))
        again = misses(show) - spoken
        edited_text, changed = edit_one_paragraph(source.read_text(encoding="utf-8"))
        source.write_text(edited_text, encoding="utf-8")
        papercast("add", source, "--replace", "1", cwd=show)
        before = misses(show)
        edited = timed_render(show, "--force", "1")
        respoken = misses(show) - before
    return [
        Row(f"re-render unchanged vs first ({unchanged:.1f} vs {first:.1f} s; {again} of {spoken} takes spoken)",
            unchanged / first, UNCHANGED),
        Row(f"re-render, 1 paragraph edited, vs first ({edited:.1f} s; {respoken} takes spoken, "
            f"{changed} sentences changed)", edited / first, EDITED),
    ]


if __name__ == "__main__":
    report(measure())
