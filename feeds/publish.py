"""Writing the feed and everything beside it into output/.

Each file is replaced atomically and only when its bytes change, so a re-render of an unchanged
show touches nothing. feed.xml is written last: whoever reads it can already fetch what it names.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from feeds import rss
from feeds.chapters import chapters_json
from feeds.files import write_if_changed
from feeds.layout import CHAPTERS, SITE_FILE, TRANSCRIPTS, chapters_path, transcript_path
from feeds.model import Episode, Show
from feeds.site import site_html
from feeds.transcripts import srt, vtt

_OWNED = {TRANSCRIPTS: (".vtt", ".srt"), CHAPTERS: (".json",)}


def publish(output: Path, show: Show, episodes: Sequence[Episode]) -> list[Path]:
    """Write transcripts, chapters, index.html and feed.xml; return the files that changed.

    Transcript and chapter files of episodes no longer listed are removed (and returned too).
    The cover is not written here: see `feeds.cover.ensure_cover`, whose file name goes in `show.image`.
    """
    feed = rss.build(show, episodes)  # first: a show the feed refuses must not half-publish
    files: dict[str, bytes] = {}
    for episode in episodes:
        if episode.captions:
            files[transcript_path(episode, "vtt")] = vtt(episode.captions).encode("utf-8")
            files[transcript_path(episode, "srt")] = srt(episode.captions).encode("utf-8")
        if episode.chapters:
            files[chapters_path(episode)] = chapters_json(episode).encode("utf-8")
    files[SITE_FILE] = site_html(show, episodes).encode("utf-8")
    files[show.feed_file] = feed

    changed = [output / relative for relative, data in files.items() if write_if_changed(output / relative, data)]
    return changed + _remove_unlisted(output, set(files))


def _remove_unlisted(output: Path, listed: set[str]) -> list[Path]:
    removed = []
    for folder, suffixes in _OWNED.items():
        if not (output / folder).is_dir():
            continue
        for path in sorted((output / folder).iterdir()):
            if path.suffix in suffixes and f"{folder}/{path.name}" not in listed:
                path.unlink()
                removed.append(path)
    return removed
