"""Articles from someone else's RSS/Atom feed: each item's full text when the feed carries it,
otherwise the page its link points to."""
from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser
import lxml.html

from articles.errors import ArticleError
from articles.fetch import Fetched, fetch
from articles.html import extract
from articles.model import Article

COMPLETE_CHARS = 1500  # text this long is an article, not a teaser
# A teaser at least this many times longer than the summary beside it is the full text.
LONGER_THAN_SUMMARY = 2
_TEASER_ENDING = re.compile(r"(continue reading|read more|read the (full|rest)|keep reading|\[(…|\.\.\.)\]|…)"
                            r"[\s\W]*$", re.IGNORECASE)
# Entity declarations are how "billion laughs" and external-entity attacks start; feeds never need them.
_ENTITY_DECLARATION = re.compile(r"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class FeedItem:
    guid: str
    link: str | None
    title: str | None
    published: str | None  # ISO 8601 date-time in UTC
    author: str | None
    content_html: str | None  # the full article when the feed carries it, else None


def read_feed(text: str, base_url: str | None) -> list[FeedItem]:
    """Parse RSS or Atom text; relative links resolve against `base_url` (the feed's address)."""
    if _ENTITY_DECLARATION.search(text[:100_000]):
        raise ArticleError(f"{base_url or 'the feed'} declares XML entities, which feeds never need and "
                           "attacks use: ask the publisher for a plain feed or save the articles as text")
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    # A stream, never a str: given a str that looks like a path or URL, feedparser would open it.
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=headers)
    if not parsed.entries and parsed.get("bozo"):
        raise ArticleError(f"{base_url or 'the feed'} is not a readable RSS or Atom feed "
                           f"({parsed.get('bozo_exception')}): check the feed's address")
    return [_item(entry, base_url) for entry in parsed.entries]


def _item(entry: feedparser.FeedParserDict, base_url: str | None) -> FeedItem:
    link = entry.get("link")
    if link and base_url:
        link = urljoin(base_url, link)
    return FeedItem(
        guid=entry.get("id") or link or entry.get("title") or "",
        link=link,
        title=entry.get("title") or None,
        published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=entry.get("author") or None,
        content_html=_full_text(entry),
    )


def _iso(parsed) -> str | None:
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()


def _full_text(entry: feedparser.FeedParserDict) -> str | None:
    """The item's HTML when it is the whole article rather than a teaser, else None."""
    summary = entry.get("summary", "")
    candidates = [c.get("value", "") for c in entry.get("content", [])] + [summary]
    best = max(candidates, key=_text_length)
    length = _text_length(best)
    if not length or _TEASER_ENDING.search(_plain(best)[-200:]):
        return None
    if length >= COMPLETE_CHARS:
        return best
    if _plain(best) != _plain(summary) and length >= LONGER_THAN_SUMMARY * max(_text_length(summary), 150):
        return best
    return None


def _plain(html: str) -> str:
    if not html.strip():
        return ""
    return re.sub(r"\s+", " ", lxml.html.fragment_fromstring(html, create_parent="div").text_content()).strip()


def _text_length(html: str) -> int:
    return len(_plain(html))


def item_article(item: FeedItem, fetch_fn: Callable[[str], Fetched] = fetch) -> Article:
    """The item as an Article: from its own content when complete, else from the linked page.
    The feed's title, author and date describe the item on purpose, so they win over the page's."""
    if item.content_html:
        page = f"<html><head><title></title></head><body><article>{item.content_html}</article></body></html>"
        article = extract(page, url=item.link)
    elif item.link:
        fetched = fetch_fn(item.link)
        article = extract(fetched.text, url=fetched.url)
    else:
        raise ArticleError(f"feed item {item.title or item.guid!r} has neither full text nor a link: "
                           "save the article as text and add that")
    return dataclasses.replace(
        article,
        title=item.title or article.title,
        byline=item.author or article.byline,
        date=item.published[:10] if item.published else article.date,
    )
