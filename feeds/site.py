"""The show's web page: one self-contained index.html beside the feed.

Every link is relative, so the page works opened from disk as well as served; nothing is loaded
from elsewhere (no fonts, CSS or scripts: the one script, for chapter links, is in the page, and the
page works without it), and every piece of text is escaped.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import timezone
from html import escape
from pathlib import Path
from string import Template
from urllib.parse import quote

from feeds.layout import chapters_path, transcript_path, url_path, web_url
from feeds.model import Episode, Show
from feeds.rss import newest_first
from feeds.text import clean, one_line

_TEMPLATES = Path(__file__).with_name("templates")


def site_html(show: Show, episodes: Sequence[Episode]) -> str:
    page = Template(_TEMPLATES.joinpath("index.html").read_text(encoding="utf-8"))
    bare_feed = show.feed_url.split("://", 1)[1]
    return page.substitute(
        language=_text(show.language),
        title=_text(show.title),
        description_attribute=_text(show.description),
        description=_paragraphs(show.description),
        author=_text(show.author),
        style=_TEMPLATES.joinpath("site.css").read_text(encoding="utf-8").strip(),
        script=_TEMPLATES.joinpath("chapters.js").read_text(encoding="utf-8").strip(),
        cover=(f'<img src="{_href(show.image)}" alt="Cover art of {_text(show.title)}" width="192" height="192">'
               if show.image else ""),
        feed_url=_text(show.feed_url),
        feed_href=_href(show.feed_file),
        apple=_text(f"podcast://{bare_feed}"),
        overcast=_text(f"overcast://x-callback-url/add?url={quote(show.feed_url, safe='')}"),
        pocket_casts=_text(f"pktc://subscribe/{bare_feed}"),
        episodes="\n".join(_episode(episode) for episode in newest_first(episodes))
        or "<p>No episodes yet.</p>",
    )


def _episode(episode: Episode) -> str:
    published = episode.published_at.astimezone(timezone.utc)
    links = [f'<a href="{_href(episode.audio)}" download>Download audio</a>']
    if web_url(episode.link):
        links.append(f'<a href="{_text(web_url(episode.link))}">Read the article</a>')
    if episode.captions:
        links.append(f'<a href="{_href(transcript_path(episode, "vtt"))}">Transcript</a>')
        links.append(f'<a href="{_href(transcript_path(episode, "srt"))}">(SRT)</a>')
    if episode.chapters:
        links.append(f'<a href="{_href(chapters_path(episode))}">Chapters (JSON)</a>')
    parts = [
        f'<article id="{_text(episode.slug)}">',
        f'<h3 dir="auto">{_text(episode.title)}</h3>',
        f'<p class="meta"><time datetime="{published.isoformat()}">{published.day} {published:%B %Y}</time>'
        f" · {_spoken_length(episode.duration)}</p>",
        _paragraphs(episode.description),
        f'<audio controls preload="metadata" src="{_href(episode.audio)}"></audio>',
    ]
    if episode.chapters:
        # Each time is a media-fragment link (the audio from there, in any browser); the page's script
        # makes a click seek the player above instead.
        parts.append('<ol class="chapters">' + "".join(
            f'<li><a href="{_href(episode.audio)}#t={chapter.start:g}" data-seek="{chapter.start:g}">'
            f'<time>{_clock(chapter.start)}</time></a><span dir="auto">{_text(chapter.title)}</span></li>'
            for chapter in sorted(episode.chapters, key=lambda chapter: chapter.start)) + "</ol>")
    parts.append("<p>" + " · ".join(links) + "</p>")
    parts.append("</article>")
    return "\n".join(part for part in parts if part)


def _text(value: str | None) -> str:
    return escape(one_line(value or ""), quote=True)


def _href(relative: str) -> str:
    """A link to a file inside output/, relative to index.html (absolute URLs kept as given)."""
    if relative.startswith(("http://", "https://")):
        return _text(relative)
    return _text(url_path(relative))


def _paragraphs(text: str) -> str:
    return "".join(f'<p dir="auto">{_text(paragraph)}</p>'
                   for paragraph in clean(text).split("\n\n") if paragraph.strip())


def _spoken_length(seconds: float) -> str:
    minutes = round(seconds / 60)
    if seconds < 60:
        return f"{round(seconds)} s"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
