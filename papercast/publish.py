"""Catalog rows and show settings → the records feeds/ publishes from; then publish them."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from feeds import model
from papercast.catalog import Catalog, EpisodeRow, utcnow
from papercast.errors import PapercastError
from papercast.show import Show


def feed_episode(row: EpisodeRow, number: int) -> model.Episode:
    article = row.to_article()
    timeline = json.loads(row.timeline or "{}")
    return model.Episode(
        guid=row.guid,
        number=number,
        slug=row.slug,
        title=row.title,
        published_at=datetime.fromisoformat(row.published_at),
        audio=row.file,
        bytes=row.bytes,
        duration=row.duration,
        description=article.summary,
        link=article.url,
        author=article.byline,
        voice=row.voice,
        captions=tuple(model.Caption(start, end, text) for start, end, text in timeline.get("captions", [])),
        chapters=tuple(model.Chapter(c["start"], c["title"], c.get("url"))
                       for c in timeline.get("chapters", [])),
    )


def feed_records(show: Show, catalog: Catalog, image: str | None) -> tuple[model.Show, list[model.Episode]]:
    from feeds.ext.podcast2 import podcast_guid

    settings = show.settings.show
    rows = catalog.episodes()
    if not settings.base_url:
        raise PapercastError(
            f"{show.root / 'papercast.toml'}: base_url is empty: set it to where output/ is published, "
            "e.g. https://example.org/podcast"
        )
    # Numbers follow publication order and never change when a later episode is removed.
    published = sorted((r for r in rows if r.status == "rendered" and r.file), key=lambda r: (r.published_at, r.id))
    episodes = [feed_episode(row, row.id) for row in published]
    # An empty show's feed is dated by the show's creation, so it too is the same on every build.
    created = datetime.fromisoformat(catalog.show_fact("created_at", lambda: utcnow().isoformat()))
    updated = max((e.published_at for e in episodes), default=created)
    feed_url = f"{settings.base_url.rstrip('/')}/feed.xml"
    guid = catalog.show_fact("podcast_guid", lambda: podcast_guid(feed_url))
    record = model.Show(
        title=settings.title, base_url=published_base_url(show), description=settings.description,
        author=settings.author, email=settings.email, language=settings.language, category=settings.category,
        subcategory=settings.subcategory or None, explicit=settings.explicit, type=settings.type,
        link=settings.link or None, image=image, updated=updated, podcast_guid=guid,
    )
    return record, episodes


def published_base_url(show: Show) -> str:
    """Where output/ is reached: base_url, under the private token's path once one is set."""
    from papercast import token

    secret = token.current(show.root)
    base = show.settings.show.base_url.rstrip("/")
    return f"{base}/{secret}" if secret else base


def cover_file(show: Show, catalog: Catalog) -> str:
    """The cover's file name in output/: the user's, checked, or one generated from the title. A
    generated cover is made again only when the title changes (drawing 3000 px takes a while)."""
    given, title = show.settings.show.cover, show.settings.show.title
    generated = show.output / "cover.jpg"
    if not given and _generated_cover_is_current(show, catalog):
        return generated.name
    from feeds.cover import ensure_cover  # Pillow: only when there is a cover to draw or check
    name = ensure_cover(show.output, title, (show.root / given) if given else None)
    catalog.set_show_fact("cover_title", "" if given else title)
    return name


def draw_cover_ahead(show: Show, catalog: Catalog) -> None:
    """When the next `cover_file` will have to draw the generated cover, start drawing it now in the
    background (a render calls this as it starts, so the drawing overlaps synthesis)."""
    if not show.settings.show.cover and not _generated_cover_is_current(show, catalog):
        from feeds.cover import draw_ahead

        draw_ahead(show.settings.show.title)


def _generated_cover_is_current(show: Show, catalog: Catalog) -> bool:
    title = show.settings.show.title
    return (show.output / "cover.jpg").is_file() and catalog.show_fact("cover_title", lambda: title) == title


def publish(show: Show, catalog: Catalog) -> Path:
    """Write feed.xml and everything beside it from the catalog; returns the feed's path."""
    from feeds.publish import publish as write_all

    record, episodes = feed_records(show, catalog, cover_file(show, catalog))
    write_all(show.output, record, episodes)
    return show.output / record.feed_file


def feed_bytes(show: Show, catalog: Catalog) -> bytes:
    from feeds.rss import build

    record, episodes = feed_records(show, catalog, cover_file(show, catalog))
    return build(record, episodes)
