"""Chapters in the Podcasting 2.0 JSON Chapters format, version 1.2.0."""
from __future__ import annotations

import json

from feeds.model import Episode
from feeds.text import one_line

VERSION = "1.2.0"


def chapters_json(episode: Episode) -> str:
    """The episode's chapters file, ordered by start time as the format requires."""
    chapters = []
    for chapter in sorted(episode.chapters, key=lambda chapter: chapter.start):
        entry: dict[str, object] = {"startTime": round(max(0.0, chapter.start), 3),
                                    "title": one_line(chapter.title)}
        if chapter.url:
            entry["url"] = one_line(chapter.url)
        chapters.append(entry)
    document = {"version": VERSION, "title": one_line(episode.title), "chapters": chapters}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
