"""The catalog: migrations recorded in the database, one episode per article."""
from __future__ import annotations

import dataclasses
import sqlite3

from articles.model import Article, Section
from papercast.catalog import Catalog

STORY = Article(title="Gulls at dawn", sections=(Section(None, ("The gulls gather before six.",)),),
                url="https://example.org/gulls")


def test_migrations_are_recorded_once(tmp_path):
    Catalog(tmp_path / "papercast.db").close()
    Catalog(tmp_path / "papercast.db").close()
    with sqlite3.connect(tmp_path / "papercast.db") as db:
        names = [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY id")]
    assert names[0] == "001_episodes.sql"
    assert len(names) == len(set(names)) >= 4


def test_the_same_text_is_one_episode(tmp_path):
    with Catalog(tmp_path / "papercast.db") as catalog:
        first, created = catalog.add("a.txt", STORY)
        again, created_again = catalog.add("b.txt", STORY)
    assert created and not created_again
    assert again.id == first.id


def test_the_same_link_is_one_episode_even_when_its_metadata_differs(tmp_path):
    # e.g. added by hand from the page, then found by sync with the feed's own date and author
    from_feed = dataclasses.replace(STORY, byline="Ana Ruiz", date="2026-11-23")
    with Catalog(tmp_path / "papercast.db") as catalog:
        first, _ = catalog.add("https://example.org/gulls", STORY)
        again, created = catalog.add("feed item", from_feed)
    assert not created and again.id == first.id
