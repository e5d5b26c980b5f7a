"""Articles in bulk: the new items of source feeds (`papercast sync`) and lists of sources (`add --from`)."""
from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from articles.errors import ArticleError
from articles.fetch import Fetched, fetch
from articles.sourcefeed import FeedItem, item_article, read_feed
from papercast.catalog import Catalog, EpisodeRow, utcnow
from papercast.errors import USER_ERRORS, PapercastError
from papercast.library import AddResult, add_articles
from papercast.show import Show


@dataclass
class SyncReport:
    added: list[EpisodeRow] = field(default_factory=list)
    already_taken: int = 0  # items added by an earlier sync (or the same article added by hand)
    failures: list[str] = field(default_factory=list)  # one line each, naming the feed or item


def sync(show: Show, feeds: list[str], *, limit: int | None = None, since: date | None = None,
         fetch_page: Callable[[str], Fetched] = fetch) -> SyncReport:
    """Add each feed's items not taken before as pending episodes, oldest first; a failing item or feed
    is reported and the rest still go in. `limit` keeps the newest items of each feed, `since` the
    dated ones published on or after it; the items they leave out are not remembered, so a later sync
    may still take them."""
    from papercast.lock import show_lock

    feeds = feeds or show.settings.sync.sources
    if not feeds:
        raise PapercastError("no source feeds to sync: give a feed's address, or list them as "
                             '`sources = ["https://example.org/feed.xml"]` under [sync] in papercast.toml')
    report = SyncReport()
    with show_lock(show.root), Catalog(show.catalog_path) as catalog:
        for feed in feeds:
            try:
                items = feed_items(feed, fetch_page)
            except USER_ERRORS as error:
                report.failures.append(str(error))
                continue
            new = [item for item in items if not taken(catalog, feed, item)]
            report.already_taken += len(items) - len(new)
            for item in chosen(new, limit, since):
                try:
                    article = item_article(item, fetch_page)
                    # The feed's link is the story's address even when the page redirected elsewhere.
                    article = dataclasses.replace(article, url=item.link or article.url)
                    row, created = catalog.add(item.link or feed, article)
                except USER_ERRORS as error:
                    report.failures.append(str(error))
                    continue
                remember(catalog, feed, item, row.id)
                if created:
                    report.added.append(row)
                else:
                    report.already_taken += 1
    return report


def feed_items(feed: str, fetch_page: Callable[[str], Fetched]) -> list[FeedItem]:
    fetched = fetch_page(feed)
    web_page = fetched.content_type == "text/html"
    try:
        items = read_feed(fetched.text, fetched.url)
    except ArticleError:
        if not web_page:
            raise
        items = []
    # feedparser reads some web pages as feeds with no items, which would look like "nothing new".
    if not items and web_page:
        raise PapercastError(f"{feed} is a web page, not an RSS or Atom feed: give the address of the site's "
                             "feed (pages link it as RSS), or add the page itself with `papercast add`")
    return items


def taken(catalog: Catalog, feed: str, item: FeedItem) -> bool:
    found = catalog.db.execute("SELECT 1 FROM feed_items WHERE (feed = ? AND guid = ?) OR link = ?",
                               (feed, item.guid, item.link)).fetchone()
    return found is not None


def remember(catalog: Catalog, feed: str, item: FeedItem, episode_id: int) -> None:
    with catalog.transaction():
        catalog.db.execute("INSERT OR IGNORE INTO feed_items (feed, guid, link, episode_id, taken_at) "
                           "VALUES (?, ?, ?, ?, ?)", (feed, item.guid, item.link, episode_id, utcnow().isoformat()))


def chosen(items: list[FeedItem], limit: int | None, since: date | None) -> list[FeedItem]:
    """The items to take this time, oldest first so that episode numbers follow the source's order."""
    if since is not None:
        items = [item for item in items if item.published and item.published[:10] >= since.isoformat()]
    # Feeds list newest first by convention; a dated item's own date is the better witness.
    newest_first = sorted(items, key=lambda item: item.published or "", reverse=True)
    if limit is not None:
        newest_first = newest_first[:limit]
    return newest_first[::-1]


def add_sources(show: Show, sources: list[str], *, from_file: str | None = None, edition: str | None = None,
                **voice: object) -> list[AddResult]:
    """`papercast add`: the sources given and listed, each its own episode or all one edition."""
    listed = list(sources) + (read_source_list(from_file) if from_file else [])
    if not listed:
        raise PapercastError("nothing to add: give article files or URLs, or --from FILE listing them")
    if edition is not None:
        from papercast.edition import add_edition

        return add_edition(show, edition, listed, **voice)
    return add_articles(show, listed, **voice)


def read_source_list(path: str) -> list[str]:
    """Paths and URLs one per line; blank lines and lines starting with # are skipped."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PapercastError(f"{path}: no such file: check the path of the list of sources") from None
    except (IsADirectoryError, UnicodeDecodeError):
        raise PapercastError(f"{path} is not a text file: list one path or URL per line") from None
    listed = [line.strip() for line in text.splitlines()]
    listed = [line for line in listed if line and not line.startswith("#")]
    if not listed:
        raise PapercastError(f"{path} lists no sources: put one article path or URL on each line")
    return listed
