"""Markdown with optional YAML front matter (title, author, date, language, url, site, and render options)."""
from __future__ import annotations

import datetime as dt
import re

import yaml
from markdown_it import MarkdownIt

from articles import text_language
from articles.errors import ArticleError
from articles.model import Article, Section
from articles.plaintext import first_words

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
METADATA_KEYS = {"title", "author", "byline", "date", "language", "lang", "url", "site"}
OPTION_KEYS = {"engine", "voice", "speed"}


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group("yaml")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark else ""
        raise ArticleError(
            f"{name}: front matter is not valid YAML{where}: write it as `key: value` lines between `---` lines"
        ) from None
    if not isinstance(data, dict):
        raise ArticleError(f"{name}: front matter must be `key: value` lines between `---` lines")
    unknown = set(data) - METADATA_KEYS - OPTION_KEYS
    if unknown:
        raise ArticleError(
            f"{name}: unknown front matter key {sorted(unknown)[0]!r}: use "
            f"{', '.join(sorted(METADATA_KEYS | OPTION_KEYS))}"
        )
    return data, text[match.end():]


def body_sections(markdown: str) -> tuple[str | None, tuple[Section, ...]]:
    """Headings open sections; a leading level-1 heading is the title. Inline markup becomes plain text."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    title: str | None = None
    result: list[Section] = []
    heading: str | None = None
    body: list[str] = []
    open_tag = None
    for token in tokens:
        if token.type in ("heading_open", "paragraph_open"):
            open_tag = token.tag
        elif token.type == "inline" and open_tag:
            text = plain(token).strip()
            if not text:
                continue
            if open_tag == "h1" and title is None and not result and not body and heading is None:
                title = text
            elif open_tag.startswith("h"):
                if body or heading is not None:
                    result.append(Section(heading, tuple(body)))
                heading, body = text, []
            else:
                body.append(text)
        elif token.type in ("heading_close", "paragraph_close"):
            open_tag = None
    result.append(Section(heading, tuple(body)))
    return title, tuple(s for s in result if s.paragraphs)


def plain(inline) -> str:
    """The words a reader sees: link text without the address, code as written, breaks as spaces."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            continue
    return re.sub(r"\s+", " ", "".join(parts))


def parse(text: str, *, name: str = "text") -> Article:
    meta, body = split_front_matter(text, name)
    heading_title, sections = body_sections(body)
    if not sections:
        raise ArticleError(f"{name} has no body text: add the article's paragraphs below the front matter")
    title = str(meta.get("title") or heading_title or first_words(sections[0].paragraphs[0]))
    date = meta.get("date")
    if isinstance(date, (dt.date, dt.datetime)):
        date = date.isoformat()[:10]
    options = {key: meta[key] for key in OPTION_KEYS if key in meta}
    return Article(
        title=title,
        byline=str(meta.get("author") or meta.get("byline") or "") or None,
        date=str(date) if date else None,
        site=meta.get("site"),
        language=str(meta.get("language") or meta.get("lang")
                     or text_language(" ".join(p for s in sections for p in s.paragraphs))),
        url=meta.get("url"),
        sections=sections,
        options=options,
    )
