"""The article papercast reads aloud: metadata plus sections of paragraphs."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    title: str
    sections: tuple[Section, ...]
    byline: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    site: str | None = None
    language: str = "en"
    url: str | None = None
    # Per-article settings from front matter (engine, voice, speed, ...), applied over the show's.
    options: dict = field(default_factory=dict, compare=False)
    # An edition: the stories read one after another in one episode; its sections are the opening.
    parts: tuple["Article", ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        return [p for s in self.sections for p in s.paragraphs]

    @property
    def text(self) -> str:
        """The whole body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    @property
    def summary(self) -> str:
        """The first paragraph, used as the episode's description."""
        return self.paragraphs[0] if self.paragraphs else ""
