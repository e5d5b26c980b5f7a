"""Plain records the feed is built from. feeds/ knows nothing of synthesis or the catalog."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Caption:
    """One spoken sentence and when it is heard (seconds from the episode's start)."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Show:
    title: str
    base_url: str  # absolute http(s) URL where output/ is published, no trailing slash
    description: str = ""
    author: str = ""
    email: str = ""  # itunes:owner e-mail
    language: str = "en"
    category: str = "News"  # Apple's category list
    subcategory: str | None = None
    explicit: bool = False
    type: str = "episodic"  # or "serial"
    link: str | None = None  # the show's website; defaults to base_url
    image: str | None = None  # file name of the cover inside output/, e.g. "cover.jpg"
    copyright: str | None = None
    locked: bool = True  # podcast:locked — refuse imports to other hosts
    feed_file: str = "feed.xml"
    # The newest episode's time, or a fixed time for an empty show: keeps the feed reproducible.
    updated: datetime | None = None
    # podcast:guid is assigned once and follows the show even when its feed URL moves;
    # None derives it from the current feed URL as the Podcasting 2.0 spec describes.
    podcast_guid: str | None = None

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/{self.feed_file}"

    def url(self, relative: str) -> str:
        """Absolute URL of a file inside output/."""
        return f"{self.base_url}/{relative}"


@dataclass(frozen=True)
class Episode:
    guid: str  # never changes once published
    number: int
    slug: str
    title: str
    published_at: datetime  # timezone-aware
    audio: str  # path inside output/, e.g. "episodes/belarus-coup.mp3"
    bytes: int
    duration: float  # seconds
    description: str = ""
    link: str | None = None  # the article's own URL
    author: str | None = None  # the article's byline
    voice: str | None = None  # which engine and voice read it, e.g. "piper/en_US-joe-medium"
    captions: tuple[Caption, ...] = field(default=(), compare=False)
    chapters: tuple[Chapter, ...] = field(default=(), compare=False)
