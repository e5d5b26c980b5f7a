"""Ingestion: any source (text or Markdown file, HTML file, URL, '-' for stdin) → `Article`."""
from __future__ import annotations

import sys
from pathlib import Path

from articles.errors import ArticleError
from articles.model import Article, Section

__all__ = ["Article", "Section", "ArticleError", "load", "parse_text", "decode"]

MAX_BYTES = 5_000_000  # about 75 hours of speech; anything larger is not one article
# Fewer words than this hold too few common words to tell one language from another by chance.
LANGUAGE_GUESS_MIN_WORDS = 40
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def load(source: str) -> Article:
    """Read one article from a path, a URL, or '-' (standard input)."""
    if is_url(source):
        from articles.fetch import fetch
        from articles.html import extract

        page = fetch(source)
        return has_words(extract(page.text, url=page.url), source)
    if source == "-":
        return has_words(parse_text(decode(sys.stdin.buffer.read(), "standard input"), name="standard input"),
                         "standard input")
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{source}: no such file: check the path") from None
    except IsADirectoryError:
        raise ArticleError(f"{source} is a folder: give the path of an article file") from None
    except PermissionError:
        raise ArticleError(f"{source}: permission denied: make the file readable") from None
    text = decode(data, source)
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        from articles.html import extract

        return has_words(extract(text, url=None), source)
    return has_words(parse_text(text, name=source, markdown=suffix in MARKDOWN_SUFFIXES or None), source)


def has_words(article: Article, name: str) -> Article:
    """An article of emoji or symbols alone would publish an episode of nothing: refuse it here."""
    if not any(character.isalnum() for character in article.text):
        raise ArticleError(f"{name} has no words to read aloud (only symbols or emoji): "
                           "give papercast the article's text")
    return article


def parse_text(text: str, *, name: str, markdown: bool | None = None) -> Article:
    """Plain text or Markdown; when unsaid, text that opens with front matter is Markdown."""
    from articles import markdown as md
    from articles import plaintext

    if not text.strip():
        raise ArticleError(f"{name} is empty: give papercast a file with the article's text")
    if markdown is None:
        markdown = bool(md.FRONT_MATTER.match(text.lstrip("\ufeff")))
    return (md.parse if markdown else plaintext.parse)(text, name=name)


def text_language(text: str, default: str = "en") -> str:
    """The language of a text that does not declare one, guessed only when the text is long enough."""
    if len(text.split()) < LANGUAGE_GUESS_MIN_WORDS:
        return default
    from articles.html import guess_language

    return guess_language(text)


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else the most likely legacy encoding; binary files are refused."""
    if len(data) > MAX_BYTES:
        raise ArticleError(
            f"{name} is {len(data) / 1e6:.0f} MB: papercast reads articles up to {MAX_BYTES // 1_000_000} MB; "
            "split it into several articles"
        )
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{name} is not a text file: give papercast the article as text, Markdown or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise ArticleError(f"{name} is not readable text: save it as UTF-8 and try again")
    # A tie goes to windows-1252, the legacy encoding of most Western text (charset_normalizer would
    # pick cp1250 and read "crème" as "crčme").
    for match in results:
        if (match.chaos, match.coherence) == (best.chaos, best.coherence) and \
                "cp1252" in (match.encoding, *match.could_be_from_charset):
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                break
    return str(best)
