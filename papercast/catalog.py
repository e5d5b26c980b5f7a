"""The catalog: SQLite in the show folder, with numbered migrations recorded in the database."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sqlite3
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Callable

from articles.model import Article, Section
from papercast.errors import PapercastError

SLUG_MAX = 60
# Names Windows refuses for files, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class EpisodeRow:
    id: int
    guid: str
    slug: str
    source: str
    source_hash: str
    article: str
    title: str
    status: str
    error: str | None
    file: str | None
    bytes: int | None
    duration: float | None
    voice: str | None
    timeline: str | None
    added_at: str
    published_at: str | None
    rendered_at: str | None

    def to_article(self) -> Article:
        return article_from_json(self.article)


def article_to_json(article: Article) -> str:
    return json.dumps(_article_dict(article), ensure_ascii=False, sort_keys=True)


def _article_dict(article: Article) -> dict:
    data = dataclasses.asdict(article)
    if not article.parts:
        del data["parts"]  # so articles catalogued before editions existed keep their source hash
    return data


def article_from_json(text: str) -> Article:
    return _article_from_dict(json.loads(text))


def _article_from_dict(data: dict) -> Article:
    data["sections"] = tuple(Section(s["heading"], tuple(s["paragraphs"])) for s in data["sections"])
    data["parts"] = tuple(_article_from_dict(part) for part in data.get("parts", ()))
    return Article(**data)


def source_hash(article: Article) -> str:
    """Of what is read aloud, not of how: the same article with another voice is still the same article."""
    return hashlib.sha256(article_to_json(dataclasses.replace(article, options={})).encode()).hexdigest()


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:SLUG_MAX].strip("-")
    if not slug or slug in RESERVED:
        slug = f"episode-{slug}".strip("-")
    return slug


class Catalog:
    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.migrate()
        except sqlite3.DatabaseError as error:
            self.db.close()
            raise PapercastError(
                f"{path} is not a papercast catalog ({error}): restore it from a backup or move it away"
            ) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                        "applied_at TEXT NOT NULL)")
        applied = {row[0] for row in self.db.execute("SELECT id FROM migrations")}
        folder = resources.files("papercast") / "migrations"
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".sql"):
                continue
            number = int(entry.name.split("_", 1)[0])
            if number in applied:
                continue
            with self.transaction():
                for statement in entry.read_text(encoding="utf-8").split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)",
                                (number, entry.name, utcnow().isoformat()))

    def transaction(self):
        return _Transaction(self.db)

    def show_fact(self, key: str, make: Callable[[], str]) -> str:
        """A show fact, made and stored on first use and the same ever after."""
        with self.transaction():
            row = self.db.execute("SELECT value FROM show_meta WHERE key = ?", (key,)).fetchone()
            if row:
                return row[0]
            value = make()
            self.db.execute("INSERT INTO show_meta (key, value) VALUES (?, ?)", (key, value))
        return value

    def set_show_fact(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO show_meta (key, value) VALUES (?, ?)", (key, value))

    # Episodes --------------------------------------------------------------------------------------
    def add(self, source: str, article: Article, now: datetime | None = None) -> tuple[EpisodeRow, bool]:
        """The new pending episode, or the existing one for the same article (and False)."""
        digest = source_hash(article)
        with self.transaction():
            existing = self.db.execute("SELECT * FROM episodes WHERE source_hash = ?", (digest,)).fetchone()
            if existing is None and article.url:
                existing = self.db.execute("SELECT * FROM episodes WHERE json_extract(article, '$.url') = ?",
                                           (article.url,)).fetchone()
            if existing:
                return EpisodeRow(**existing), False
            slug = self.unique_slug(slugify(article.title))
            cursor = self.db.execute(
                "INSERT INTO episodes (guid, slug, source, source_hash, article, title, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), slug, source, digest, article_to_json(article), article.title,
                 (now or utcnow()).isoformat()),
            )
        return self.get(cursor.lastrowid), True

    def unique_slug(self, slug: str) -> str:
        def taken(name: str) -> bool:
            return self.db.execute("SELECT 1 FROM episodes WHERE slug = ?", (name,)).fetchone() is not None

        candidate, number = slug, 2
        while taken(candidate):  # the suffix fits within SLUG_MAX: "a"*60 then "a"*58 + "-2"
            suffix = f"-{number}"
            candidate, number = slug[:SLUG_MAX - len(suffix)].rstrip("-") + suffix, number + 1
        return candidate

    def get(self, episode_id: int) -> EpisodeRow:
        row = self.db.execute("SELECT * FROM episodes WHERE id = ?", (episode_id,)).fetchone()
        if row is None:
            raise PapercastError(f"no episode {episode_id}: see `papercast list` for the ids")
        return EpisodeRow(**row)

    def episodes(self, status: str | None = None) -> list[EpisodeRow]:
        query, args = "SELECT * FROM episodes", ()
        if status:
            query, args = query + " WHERE status = ?", (status,)
        return [EpisodeRow(**row) for row in self.db.execute(query + " ORDER BY id", args)]

    def mark_rendered(self, episode_id: int, *, file: str, size: int, duration: float, voice: str,
                      timeline: str, now: datetime | None = None) -> EpisodeRow:
        moment = (now or utcnow()).isoformat()
        with self.transaction():
            self.db.execute(
                "UPDATE episodes SET status = 'rendered', error = NULL, file = ?, bytes = ?, duration = ?, "
                "voice = ?, timeline = ?, rendered_at = ?, published_at = COALESCE(published_at, ?) "
                "WHERE id = ?",
                (file, size, duration, voice, timeline, moment, moment, episode_id),
            )
        return self.get(episode_id)

    def mark_failed(self, episode_id: int, error: str) -> None:
        # A failed re-render keeps the published episode: only a never-rendered one becomes 'failed'.
        with self.transaction():
            self.db.execute(
                "UPDATE episodes SET status = CASE WHEN file IS NULL THEN 'failed' ELSE status END, error = ? "
                "WHERE id = ?", (error, episode_id))

    def replace(self, episode_id: int, source: str, article: Article) -> EpisodeRow:
        """Give an episode a new version of its article. GUID, slug and status stay: the published audio
        is kept until the episode is rendered again, and then takes of unchanged sentences come from the cache."""
        digest = source_hash(article)
        with self.transaction():
            old = self.get(episode_id)
            other = self.db.execute("SELECT id FROM episodes WHERE source_hash = ? AND id != ?",
                                    (digest, episode_id)).fetchone()
            if other:
                raise PapercastError(f"{source} is already episode {other[0]}: remove one of them first "
                                     f"(`papercast remove {other[0]}`)")
            article = dataclasses.replace(article, options=old.to_article().options | article.options)
            self.db.execute("UPDATE episodes SET source = ?, source_hash = ?, article = ?, title = ? WHERE id = ?",
                            (source, digest, article_to_json(article), article.title, episode_id))
        return self.get(episode_id)

    def remove(self, episode_id: int) -> EpisodeRow:
        row = self.get(episode_id)
        with self.transaction():
            self.db.execute("DELETE FROM episodes WHERE id = ?", (episode_id,))
        return row


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error: a crash never leaves half an update."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
