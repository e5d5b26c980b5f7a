"""Where each published file lives inside output/, so the feed, the site and the writer agree."""
from __future__ import annotations

import re
from urllib.parse import quote

from feeds.errors import FeedError
from feeds.model import Episode, Show

SITE_FILE = "index.html"
TRANSCRIPTS = "transcripts"
CHAPTERS = "chapters"
_SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")


def transcript_path(episode: Episode, extension: str) -> str:
    """`transcripts/<slug>.vtt` or `.srt`, relative to output/."""
    return f"{TRANSCRIPTS}/{_slug(episode)}.{extension}"


def chapters_path(episode: Episode) -> str:
    return f"{CHAPTERS}/{_slug(episode)}.json"


def url_path(relative: str) -> str:
    """A path inside output/ as it must appear in a URL (spaces and non-ASCII percent-encoded)."""
    return quote(relative, safe="/")


def absolute_url(show: Show, relative: str) -> str:
    """The published URL of a file inside output/; an already absolute URL is kept as given."""
    if relative.startswith(("http://", "https://")):
        return relative
    return f"{show.base_url}/{url_path(relative)}"


def web_url(value: str | None) -> str | None:
    """`value` when it is an http(s) URL; anything else (javascript:, data:, bare text) is dropped
    so an article's metadata can never put a script behind a link."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _slug(episode: Episode) -> str:
    if not _SAFE_SLUG.fullmatch(episode.slug):
        raise FeedError(f"episode slug {episode.slug!r} is not a safe file name; "
                        "use lower-case letters, digits, '-', '_' or '.' only")
    return episode.slug
