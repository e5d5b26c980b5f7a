"""Editions: several articles read as one episode, opened by a list of its stories, one chapter each."""
from __future__ import annotations

import dataclasses

import articles
from articles.model import Article, Section
from papercast.catalog import Catalog
from papercast.errors import USER_ERRORS, PapercastError
from papercast.library import AddResult
from papercast.show import Show


def add_edition(show: Show, title: str, sources: list[str], **voice: object) -> list[AddResult]:
    """One pending episode of all the sources, or nothing at all: an edition missing a story is not the
    edition asked for, so every source that fails is reported and the edition is not added."""
    from audio import engines

    if not title.strip():
        raise PapercastError("the edition has no title: give one, e.g. --edition \"Monday briefing\"")
    flags = {key: value for key, value in voice.items() if value not in (None, "")}
    if "engine" in flags:
        engines.engine_class(str(flags["engine"]))
    stories, failures = [], []
    for source in sources:
        try:
            stories.append(articles.load(source))
        except USER_ERRORS as error:
            failures.append(AddResult(source, error=str(error)))
    if failures:
        return failures + [AddResult(title, error=f"edition {title!r} was not added: "
                                                  "fix the sources above or leave them out")]
    edition = dataclasses.replace(edition_article(title.strip(), stories), options=flags)
    with Catalog(show.catalog_path) as catalog:
        row, created = catalog.add("\n".join(sources), edition)
    return [AddResult(title, row, created)]


def edition_article(title: str, stories: list[Article]) -> Article:
    """The edition as one Article: its only section is the list of stories, its parts the stories."""
    languages = sorted({story.language.split("-")[0] for story in stories})
    if len(languages) > 1:
        raise PapercastError(f"edition {title!r} mixes languages ({', '.join(languages)}), but one voice reads "
                             "an edition: make one edition per language")
    return Article(title=title, sections=(Section(None, (contents([s.title for s in stories]),)),),
                   language=stories[0].language, parts=tuple(stories))


def contents(titles: list[str]) -> str:
    names = [title.rstrip(".") for title in titles]
    if len(names) <= 2:
        listed = " and ".join(names)
    else:
        listed = "; ".join(names[:-1]) + f"; and {names[-1]}"
    return f"In this edition: {listed}."
