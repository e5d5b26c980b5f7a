"""The podcast RSS feed: a pure function of the show and its episodes.

Same input, byte-identical output: no clock is read, the generator string is fixed and every date
comes from the records, so re-rendering an unchanged show changes nothing a podcast app would see.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import PurePosixPath

import lxml.etree  # noqa: F401 (feedgen.util uses lxml.etree without importing it)
from feedgen.ext.podcast_entry import PodcastEntryExtension
from feedgen.feed import FeedGenerator

from feeds.categories import validate_category
from feeds.errors import FeedError
from feeds.ext.itunes import ItunesExtension
from feeds.ext.podcast2 import Podcast2EntryExtension, Podcast2Extension, podcast_guid
from feeds.layout import absolute_url, chapters_path, transcript_path, web_url
from feeds.model import Episode, Show
from feeds.text import clean, one_line

GENERATOR = "papercast"
_AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/x-m4a", ".ogg": "audio/ogg", ".opus": "audio/opus"}


def build(show: Show, episodes: Sequence[Episode]) -> bytes:
    """The RSS 2.0 feed with iTunes and Podcasting 2.0 tags, newest episode first, as UTF-8 bytes."""
    _check_show(show)
    ordered = newest_first(episodes)
    feed = FeedGenerator()
    feed.register_extension("itunes", ItunesExtension, PodcastEntryExtension)
    feed.register_extension("podcastindex", Podcast2Extension, Podcast2EntryExtension)
    _describe_channel(feed, show, ordered)
    for episode in ordered:
        _add_item(feed, show, episode)
    return feed.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def newest_first(episodes: Sequence[Episode]) -> list[Episode]:
    return sorted(episodes, key=lambda episode: (_utc(episode.published_at, episode.title), episode.number),
                  reverse=True)


def duration_hms(seconds: float) -> str:
    """itunes:duration as HH:MM:SS, rounded to the nearest second."""
    whole = max(0, round(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _describe_channel(feed: FeedGenerator, show: Show, ordered: list[Episode]) -> None:
    title = one_line(show.title)
    link = show.link or f"{show.base_url}/"
    feed.title(title)
    feed.description(clean(show.description).strip() or title)
    # feedgen writes the last link it was given as the channel's <link>.
    feed.link(href=show.feed_url, rel="self", type="application/rss+xml")
    feed.link(href=link, rel="alternate")
    feed.language(show.language)
    feed.generator(GENERATOR)
    feed.lastBuildDate(_channel_date(show, ordered))
    feed.pubDate(_channel_date(show, ordered))
    if show.copyright:
        feed.copyright(one_line(show.copyright))

    itunes = feed.itunes
    if one_line(show.author):
        itunes.itunes_author(one_line(show.author))
    if show.email:  # Apple needs it before listing the show; `papercast check` says so
        # An author of only spaces is no name: feedgen raises ValueError for an empty owner name.
        itunes.itunes_owner(name=one_line(show.author) or one_line(show.title), email=one_line(show.email))
    if show.image:
        image_url = absolute_url(show, show.image)
        itunes.itunes_image(image_url)
        feed.image(url=image_url, title=title, link=link)
    itunes.itunes_category({"cat": show.category, **({"sub": show.subcategory} if show.subcategory else {})})
    itunes.itunes_explicit(show.explicit)
    itunes.itunes_type(show.type)

    podcast = feed.podcastindex
    podcast.guid(show.podcast_guid or podcast_guid(show.feed_url))
    podcast.locked(show.locked, owner=one_line(show.email) or None)


def _add_item(feed: FeedGenerator, show: Show, episode: Episode) -> None:
    title = one_line(episode.title)
    if not title:
        raise FeedError(f"episode {episode.slug!r} has no title; give the article a title or pass --title")
    item = feed.add_entry(order="append")
    item.title(title)
    item.guid(one_line(episode.guid), permalink=False)
    item.pubDate(_utc(episode.published_at, episode.title))
    item.description(_item_description(episode))
    if web_url(episode.link):
        item.link(href=one_line(web_url(episode.link)))
    audio_type = _AUDIO_TYPES.get(PurePosixPath(episode.audio).suffix.lower(), "audio/mpeg")
    item.enclosure(absolute_url(show, episode.audio), str(episode.bytes), audio_type)

    itunes = item.itunes
    itunes.itunes_duration(duration_hms(episode.duration))
    itunes.itunes_episode(episode.number)
    itunes.itunes_episode_type("full")
    author = one_line(episode.author or show.author)
    if author:
        itunes.itunes_author(author)

    podcast = item.podcastindex
    if episode.captions:
        podcast.transcript(absolute_url(show, transcript_path(episode, "vtt")), "text/vtt", rel="captions")
        podcast.transcript(absolute_url(show, transcript_path(episode, "srt")), "application/x-subrip",
                           rel="captions")
    if episode.chapters:
        podcast.chapters(absolute_url(show, chapters_path(episode)))


def _item_description(episode: Episode) -> str:
    """HTML (escaped once more by the XML writer, as RSS expects); the article's own text is escaped
    here so a `<script>` in a description is shown, never run."""
    paragraphs = [one_line(p) for p in clean(episode.description).split("\n\n")]
    blocks = [f"<p>{html.escape(p)}</p>" for p in paragraphs if p]
    if not blocks:
        blocks.append(f"<p>{html.escape(one_line(episode.title))}</p>")
    if web_url(episode.link):
        url = html.escape(one_line(web_url(episode.link)))
        blocks.append(f'<p>Read the article: <a href="{url}">{url}</a></p>')
    if episode.voice:
        blocks.append(f"<p>Read aloud by a synthetic voice ({html.escape(one_line(episode.voice))}).</p>")
    return "\n".join(blocks)


def _channel_date(show: Show, ordered: list[Episode]) -> datetime:
    dates = [_utc(episode.published_at, episode.title) for episode in ordered[:1]]
    if show.updated is not None:
        dates.append(_utc(show.updated, show.title))
    if not dates:
        raise FeedError(f"show {show.title!r} has no episodes and no `updated` time, so the feed would "
                        "have no date; pass Show(updated=<the show's creation time>)")
    return max(dates)


def _utc(moment: datetime, owner: str) -> datetime:
    if moment.tzinfo is None:
        raise FeedError(f"the date of {owner!r} has no time zone; store dates timezone-aware (UTC)")
    return moment.astimezone(timezone.utc)


def _check_show(show: Show) -> None:
    if not show.base_url.startswith(("https://", "http://")) or show.base_url.endswith("/"):
        raise FeedError(f"base_url {show.base_url!r} must be an absolute http(s) URL without a trailing "
                        "'/'; fix base_url in papercast.toml, e.g. https://example.com/podcast")
    if not one_line(show.title):
        raise FeedError("the show has no title; set title in papercast.toml")
    if show.email and "@" not in show.email:
        raise FeedError(f"owner e-mail {show.email!r} is invalid; Apple needs it to verify "
                        "ownership — set email in papercast.toml")
    if show.type not in ("episodic", "serial"):
        raise FeedError(f"show type {show.type!r} is neither 'episodic' nor 'serial'; fix type in papercast.toml")
    validate_category(show.category, show.subcategory)
