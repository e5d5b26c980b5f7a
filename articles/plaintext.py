"""Plain text as people paste it from a newspaper page: banner lines, a headline, a byline, the body."""
from __future__ import annotations

import re

from articles import text_language
from articles.errors import ArticleError
from articles.model import Article, Section

BYLINE = re.compile(r"^(?:by|written by|words by)\s+(?P<name>\S.{0,100})$", re.IGNORECASE)
# Alt text of a masthead image comes along when a page is copied; it names the site, not the article.
MASTHEAD_WORDS = re.compile(r"\s+(?:banner|logo|masthead|header)$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]$")
DATE_LINE = re.compile(
    r"^(?:\w+day,?\s+)?(?:\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})$"
)
HEADER_MAX_CHARS = 120


def blocks(text: str) -> list[str]:
    """Paragraphs: blank-line separated blocks, or single lines when the text has no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [re.sub(r"\s*\n\s*", " ", p).strip() for p in parts if p.strip()]


def is_header_line(block: str) -> bool:
    """Short and not ending like a sentence: a headline, banner, tagline, date or heading."""
    return len(block) <= HEADER_MAX_CHARS and not SENTENCE_END.search(block)


def parse_date(block: str) -> str | None:
    if not DATE_LINE.match(block):
        return None
    from dateutil import parser as dateparser

    try:
        return dateparser.parse(block).date().isoformat()
    except (ValueError, OverflowError):
        return None


def parse(text: str, *, name: str = "text") -> Article:
    """Split the pasted page into its header (site, title, byline, date) and body sections."""
    paragraphs = blocks(text)
    if not paragraphs:
        raise ArticleError(f"{name} is empty: give papercast a file with the article's text")

    header: list[str] = []
    while paragraphs and (is_header_line(paragraphs[0]) or BYLINE.match(paragraphs[0])):
        header.append(paragraphs.pop(0))
    if not paragraphs:  # a text of short lines only: the first is the title, the rest its body
        header, paragraphs = header[:1], header[1:]
        if not paragraphs:
            raise ArticleError(f"{name} has a title but no body text: add the article's paragraphs")

    byline = date = None
    titles: list[str] = []
    for line in header:
        if (match := BYLINE.match(line)) and byline is None:
            byline = match.group("name").strip()
        elif (found := parse_date(line)) and date is None:
            date = found
        elif byline is None:
            titles.append(line)
    # The headline is the last header line before the byline; lines above it are the paper's banner.
    title = titles[-1] if titles else first_words(paragraphs[0])
    site = MASTHEAD_WORDS.sub("", titles[0]) if len(titles) > 1 else None
    return Article(title=title, byline=byline, date=date, site=site, sections=sections(paragraphs),
                   language=text_language(" ".join(paragraphs)))


def sections(paragraphs: list[str]) -> tuple[Section, ...]:
    """Short unpunctuated lines between paragraphs are headings that open a new section."""
    result: list[Section] = []
    heading: str | None = None
    body: list[str] = []
    for index, block in enumerate(paragraphs):
        followed_by_body = index + 1 < len(paragraphs) and not is_header_line(paragraphs[index + 1])
        if is_header_line(block) and followed_by_body and len(block) <= 80:
            if body or heading is not None:
                result.append(Section(heading, tuple(body)))
            heading, body = block, []
        else:
            body.append(block)
    result.append(Section(heading, tuple(body)))
    return tuple(s for s in result if s.paragraphs)


def first_words(paragraph: str, limit: int = 8) -> str:
    words = paragraph.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")
