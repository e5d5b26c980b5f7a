"""Properties over generated input (fixed seed, small budgets): text is never lost or duplicated on its way
to the engine, any Unicode makes a well-formed feed, and slugs are always safe, unique file names."""
from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone

import feedparser
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from articles.model import Article, Section
from feeds.errors import FeedError

SMALL = settings(derandomize=True, max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
# Prose-like text: words, digits, punctuation that ends or splits sentences, and odd spacing.
prose_piece = st.one_of(
    letters, letters.map(str.capitalize), st.integers(0, 10**6).map(str),
    st.sampled_from([".", ",", ";", ":", "!", "?", "…", "—", "-", "(", ")", "\"", "'", "Mr.", "e.g.", "U.S.",
                     "3.5", "Dr.", "...", "“", "”", "ü", "é", "日本", "🙂"]),
)
prose = st.lists(prose_piece, min_size=1, max_size=40).flatmap(
    lambda parts: st.lists(st.sampled_from([" ", " ", " ", "  ", "\n", "\t", ""]), min_size=len(parts),
                           max_size=len(parts)).map(lambda gaps: "".join(p + g for p, g in zip(parts, gaps))))


def visible(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- segmentation and normalisation ----------------------------------------------------------------
@SMALL
@given(prose)
def test_sentences_keep_every_character_once(paragraph):
    from audio.segment import sentences

    pieces = sentences(paragraph)
    assert visible("".join(pieces)) == visible(paragraph)
    assert all(piece.strip() for piece in pieces)


@SMALL
@given(prose, st.integers(20, 300))
def test_split_long_keeps_every_character_once(sentence, max_chars):
    from audio.segment import split_long

    pieces = split_long(sentence, max_chars)
    assert visible("".join(pieces)) == visible(sentence)


@SMALL
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12), min_size=1,
                max_size=12), st.sampled_from([" ", ", ", "; "]), st.sampled_from([".", "!", "?", ""]))
def test_normalize_never_drops_a_plain_word(words, gap, stop):
    from audio.normalize import normalize

    spoken = normalize(gap.join(words) + stop)
    said = re.findall(r"[a-z]+", spoken.lower())
    position = 0
    for word in words:  # each word is still said, in order
        assert word in said[position:], (words, spoken)
        position = said.index(word, position) + 1


# -- the script -------------------------------------------------------------------------------------
paragraph = prose.filter(lambda text: any(c.isalnum() for c in text))
sections = st.lists(st.tuples(st.one_of(st.none(), letters.map(str.capitalize)),
                              st.lists(paragraph, min_size=1, max_size=3)), min_size=1, max_size=3)


@SMALL
@given(sections, st.integers(40, 250))
def test_script_keeps_the_articles_words_in_order(parts, max_chars):
    from audio.script import HEADING, SENTENCE, ScriptSettings, build

    article = Article(title="Title", sections=tuple(Section(h, tuple(ps)) for h, ps in parts))
    script = build(article, ScriptSettings(max_chars=max_chars))
    body = [cue.text for cue in script.cues if cue.kind in (HEADING, SENTENCE)]
    written = [text for heading, ps in parts for text in ([heading] if heading else []) + ps]
    # Every word, in order (a sentence may end inside a token like ".a", so compare runs of letters).
    assert re.findall(r"\w+", " ".join(body)) == re.findall(r"\w+", " ".join(written))


# -- the feed ---------------------------------------------------------------------------------------
hostile = st.lists(st.one_of(
    st.characters(codec="utf-8"), st.characters(min_codepoint=0, max_codepoint=0x1F),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.sampled_from(["]]>", "<![CDATA[", "&", "<", "&amp;", "\u202e", "\ufeff", "\ufffe", "\uffff", "\x7f", "\x85",
                     "עברית", "عربي", "🎙️", "👩\u200d👩\u200d👧"]),
), max_size=20).map("".join)


@SMALL
@given(hostile, hostile, hostile, st.lists(st.tuples(hostile, hostile), min_size=1, max_size=3))
def test_any_unicode_makes_a_well_formed_feed(show_title, show_description, author, episodes):
    from feeds import model
    from feeds.rss import build
    from feeds.text import one_line

    show = model.Show(title=show_title, base_url="https://example.org/pod", description=show_description,
                      author=author, email="owner@example.org", image="cover.jpg",
                      updated=datetime(2024, 5, 1, tzinfo=timezone.utc))
    records = [model.Episode(guid=f"guid-{n}", number=n + 1, slug=f"episode-{n}", title=title,
                             published_at=datetime(2024, 5, 1, n, tzinfo=timezone.utc),
                             audio=f"episodes/episode-{n}.mp3", bytes=1000 + n, duration=61.5,
                             description=description, link="https://example.org/a", author=author)
               for n, (title, description) in enumerate(episodes)]
    try:
        data = build(show, records)
    except FeedError:
        # Refusing is right only for a title with nothing visible in it.
        assert not one_line(show_title) or any(not one_line(r.title) for r in records) \
            or not one_line(show_description)
        return
    etree.fromstring(data)  # well-formed, or this raises
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.bozo_exception
    assert len(parsed.entries) == len(records)


# -- slugs ------------------------------------------------------------------------------------------
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    from papercast.catalog import Catalog

    with Catalog(tmp_path_factory.mktemp("slugs") / "papercast.db") as opened:
        yield opened


@SMALL
@given(st.lists(st.one_of(hostile, st.sampled_from(["CON", "nul", "Com1", "..", "../../etc/passwd", "-", "---",
                                                    "a" * 80, "Ünïcödé", "日本語", "🙂", " lpt9 "])),
                min_size=1, max_size=8))
def test_slugs_are_safe_unique_file_names(catalog, titles):
    from papercast.catalog import slugify

    catalog.db.execute("DELETE FROM episodes")
    slugs = []
    for n, title in enumerate(titles):
        slug = catalog.unique_slug(slugify(title))
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), (title, slug)
        assert len(slug) <= 60, (title, slug)
        assert slug not in WINDOWS_RESERVED
        catalog.db.execute("INSERT INTO episodes (guid, slug, source, source_hash, article, title, added_at) "
                           "VALUES (?, ?, ?, ?, '{}', 't', 'now')", (f"g{n}", slug, "s", f"h{n}"))
        slugs.append(slug)
    assert len(set(slugs)) == len(slugs)


def test_many_episodes_with_one_long_title_get_short_unique_slugs(catalog):
    from papercast.catalog import slugify

    catalog.db.execute("DELETE FROM episodes")
    slugs = []
    for n in range(12):
        slug = catalog.unique_slug(slugify("Night trains " * 10))
        catalog.db.execute("INSERT INTO episodes (guid, slug, source, source_hash, article, title, added_at) "
                           "VALUES (?, ?, ?, ?, '{}', 't', 'now')", (f"g{n}", slug, "s", f"h{n}"))
        slugs.append(slug)
    assert len(set(slugs)) == 12
    assert all(len(slug) <= 60 and not slug.endswith("-") for slug in slugs)
    assert slugs[-1].endswith("-12")
