from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import feedparser
import pytest
from lxml import etree

from feeds.errors import FeedError
from feeds.ext.podcast2 import podcast_guid
from feeds.rss import build, duration_hms

BASE_URL = "https://example.com/pod"
NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
      "podcast": "https://podcastindex.org/namespace/1.0", "atom": "http://www.w3.org/2005/Atom"}


def parsed(show, episodes):
    result = feedparser.parse(build(show, episodes))
    assert result.bozo == 0, result.get("bozo_exception")
    return result


def tree(show, episodes):
    return etree.fromstring(build(show, episodes))


def test_channel_fields_read_back(show, episodes):
    channel = parsed(show, episodes).feed
    assert channel.title == "Papers Read Aloud"
    assert channel.subtitle == "Long reads, spoken."
    assert channel.link == f"{BASE_URL}/"
    assert channel.language == "en"
    assert channel.author == "Ada Reader"
    assert channel.publisher_detail == {"name": "Ada Reader", "email": "ada@example.com"}
    assert channel.image.href == f"{BASE_URL}/cover.jpg"
    assert channel.tags[0].term == "News"
    assert channel.tags[1].term == "Tech News"
    assert channel.itunes_type == "episodic"
    assert channel.generator == "papercast"
    assert channel.podcast_guid == podcast_guid(f"{BASE_URL}/feed.xml")
    assert channel.podcast_locked == {"owner": "ada@example.com"}
    self_links = [link.href for link in channel.links if link.rel == "self"]
    assert self_links == [f"{BASE_URL}/feed.xml"]


def test_category_nests_subcategory_and_explicit_is_true_false(show, episodes):
    channel = tree(show, episodes).find("channel")
    category = channel.find("itunes:category", NS)
    assert category.get("text") == "News"
    assert category.find("itunes:category", NS).get("text") == "Tech News"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    explicit = tree(dataclasses.replace(show, explicit=True), episodes).find("channel")
    assert explicit.findtext("itunes:explicit", namespaces=NS) == "true"
    assert channel.findtext("podcast:locked", namespaces=NS) == "yes"


def test_items_newest_first_with_every_field(show, episodes):
    entries = parsed(show, episodes).entries
    assert [entry.title for entry in entries] == ["Episode 3", "Episode 2", "Episode 1"]
    newest = entries[0]
    assert newest.id == "urn:papercast:3"
    assert newest.guidislink is False
    assert newest.published == "Sun, 03 Mar 2024 08:30:00 +0000"
    assert newest.enclosures == [{"href": f"{BASE_URL}/episodes/episode-3.mp3", "length": "1003",
                                  "type": "audio/mpeg"}]
    assert newest.itunes_duration == "00:01:05"
    assert newest.itunes_episode == "3"
    assert newest.author == "Byline Person"
    assert newest.link == "https://news.example.org/3"
    assert "About thing 3." in newest.summary
    assert 'Read the article: <a href="https://news.example.org/3">' in newest.summary
    assert newest.podcast_chapters == {"url": f"{BASE_URL}/chapters/episode-3.json",
                                       "type": "application/json+chapters"}


def test_transcripts_in_both_formats_only_when_captioned(show, make_episode):
    item = tree(show, [make_episode(1)]).find("channel/item")
    transcripts = [(t.get("url"), t.get("type"), t.get("rel"))
                   for t in item.findall("podcast:transcript", NS)]
    assert transcripts == [(f"{BASE_URL}/transcripts/episode-1.vtt", "text/vtt", "captions"),
                           (f"{BASE_URL}/transcripts/episode-1.srt", "application/x-subrip", "captions")]
    bare = tree(show, [make_episode(1, captions=(), chapters=())]).find("channel/item")
    assert bare.findall("podcast:transcript", NS) == []
    assert bare.find("podcast:chapters", NS) is None


def test_podcast_guid_matches_the_spec_examples():
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert podcast_guid("podnews.net/rss/") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_pinned_podcast_guid_survives_a_move(episodes, make_show):
    moved = make_show(base_url="https://new-host.example/p", podcast_guid="917393e3-1b1e-5cef-ace4-edaa54e1f810")
    assert parsed(moved, episodes).feed.podcast_guid == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def test_build_is_reproducible_and_order_independent(show, episodes):
    first = build(show, episodes)
    assert build(show, episodes) == first
    assert build(show, list(reversed(episodes))) == first


def test_channel_date_is_the_newest_episode_or_show_updated(show, episodes):
    assert parsed(show, episodes).feed.published == "Sun, 03 Mar 2024 08:30:00 +0000"
    updated = dataclasses.replace(show, updated=datetime(2024, 5, 1, tzinfo=timezone.utc))
    assert parsed(updated, episodes).feed.updated == "Wed, 01 May 2024 00:00:00 +0000"
    empty = parsed(updated, []).feed
    assert empty.updated == "Wed, 01 May 2024 00:00:00 +0000"


def test_empty_show_without_a_date_names_the_fix(show):
    with pytest.raises(FeedError, match="updated"):
        build(show, [])


HOSTILE = "Nul\x00 bell\x07 ]]> <script>alert(1)</script> & \u202eRTL\u202c مرحبا 🎙️ lone\ud800surrogate \ufffe"


def test_hostile_text_gives_well_formed_xml(show, make_episode):
    hostile_show = dataclasses.replace(show, title=HOSTILE, description=HOSTILE, author=HOSTILE)
    episode = make_episode(1, title=HOSTILE, description=HOSTILE, author=HOSTILE, guid="g\x01" + HOSTILE)
    feed = parsed(hostile_show, [episode])
    title = feed.entries[0].title
    assert title.startswith("Nul bell ]]> <script>alert(1)</script> & \u202eRTL\u202c مرحبا 🎙️ lonesurrogate")
    assert "\x00" not in title and "\ud800" not in title
    # the article's markup is shown as text, never as a tag
    assert "<script>" not in feed.entries[0].summary
    assert "&lt;script&gt;" in feed.entries[0].summary


def test_unknown_category_suggests_the_right_one(show, episodes):
    with pytest.raises(FeedError, match="did you mean 'Tech News'"):
        build(dataclasses.replace(show, subcategory="tech news"), episodes)
    with pytest.raises(FeedError, match="not an Apple Podcasts category"):
        build(dataclasses.replace(show, category="Podcasts"), episodes)
    with pytest.raises(FeedError, match="has no subcategories"):
        build(dataclasses.replace(show, category="History", subcategory="Wars"), episodes)


@pytest.mark.parametrize("change, problem", [
    ({"base_url": "example.com/pod"}, "base_url"),
    ({"base_url": "https://example.com/pod/"}, "trailing"),
    ({"email": "nobody"}, "e-mail"),
    ({"type": "weekly"}, "episodic"),
])
def test_bad_show_settings_are_named(show, episodes, change, problem):
    with pytest.raises(FeedError, match=problem):
        build(dataclasses.replace(show, **change), episodes)


def test_naive_dates_are_refused(show, make_episode):
    with pytest.raises(FeedError, match="time zone"):
        build(show, [make_episode(1, published_at=datetime(2024, 1, 1))])


def test_audio_urls_are_percent_encoded(show, make_episode):
    episode = make_episode(1, audio="episodes/a b é.mp3")
    assert parsed(show, [episode]).entries[0].enclosures[0].href == f"{BASE_URL}/episodes/a%20b%20%C3%A9.mp3"


@pytest.mark.parametrize("seconds, text", [(0, "00:00:00"), (59.5, "00:01:00"), (3725.4, "01:02:05"),
                                           (36000, "10:00:00")])
def test_duration_is_hours_minutes_seconds(seconds, text):
    assert duration_hms(seconds) == text
