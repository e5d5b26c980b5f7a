from __future__ import annotations

import dataclasses
from pathlib import Path

from lxml import html

import feeds.site
from feeds.model import Chapter
from feeds.site import site_html

HOSTILE = "Nul\x00 <script>alert(1)</script> & \"quoted\" ]]> \u202eRTL مرحبا 🎙️ lone\ud800"


def page(show, episodes):
    return html.document_fromstring(site_html(show, episodes))


def test_nothing_is_loaded_from_elsewhere(show, episodes):
    document = page(show, episodes)
    assert document.xpath("//script[@src]") == [] and len(document.xpath("//script")) == 1  # in the page
    assert document.xpath("//link[@rel='stylesheet']") == []
    assert "@import" not in site_html(show, episodes)
    for element in document.xpath("//*[@src]"):
        assert "://" not in element.get("src")


def test_every_episode_has_a_player_with_relative_urls(show, episodes):
    articles = page(show, episodes).xpath("//article")
    assert [a.findtext("h3") for a in articles] == ["Episode 3", "Episode 2", "Episode 1"]
    audio = articles[0].find(".//audio")
    assert audio.get("src") == "episodes/episode-3.mp3"
    assert audio.get("preload") == "metadata" and "controls" in audio.attrib
    hrefs = articles[0].xpath(".//a/@href")
    assert "transcripts/episode-3.vtt" in hrefs and "chapters/episode-3.json" in hrefs
    assert "https://news.example.org/3" in hrefs
    assert articles[0].xpath(".//time/@datetime")[0] == "2024-03-03T08:30:00+00:00"
    assert "3 March 2024 · 1 min" in articles[0].text_content()


def test_chapters_listed_in_order_with_times(show, make_episode):
    episode = make_episode(1, chapters=(Chapter(3725, "Late"), Chapter(0, "Intro"), Chapter(95, "Middle")))
    chapters = page(show, [episode]).xpath("//ol[@class='chapters']/li")
    assert [li.text_content() for li in chapters] == ["0:00Intro", "1:35Middle", "1:02:05Late"]
    # Each time opens the audio there (a media fragment), with or without the page's script.
    assert [li.xpath("a/@href")[0] for li in chapters] == ["episodes/episode-1.mp3#t=0", "episodes/episode-1.mp3#t=95",
                                                          "episodes/episode-1.mp3#t=3725"]


def test_subscribe_block(show, episodes):
    document = page(show, episodes)
    assert document.get_element_by_id("feed-url").get("value") == "https://example.com/pod/feed.xml"
    hrefs = document.xpath("//section[@class='subscribe']//a/@href")
    assert hrefs == ["podcast://example.com/pod/feed.xml",
                     "overcast://x-callback-url/add?url=https%3A%2F%2Fexample.com%2Fpod%2Ffeed.xml",
                     "pktc://subscribe/example.com/pod/feed.xml", "feed.xml"]
    assert document.xpath("//link[@rel='alternate']/@href") == ["feed.xml"]
    assert document.xpath("//header/img/@src") == ["cover.jpg"]


def test_hostile_text_is_escaped(show, make_episode):
    hostile_show = dataclasses.replace(show, title=HOSTILE, description=HOSTILE)
    episode = make_episode(1, title=HOSTILE, description=HOSTILE, link="javascript:alert(1)",
                           chapters=(Chapter(0, HOSTILE),))
    text = site_html(hostile_show, [episode])
    document = html.document_fromstring(text)
    ours = (Path(feeds.site.__file__).with_name("templates") / "chapters.js").read_text(encoding="utf-8").strip()
    assert [script.text.strip() for script in document.xpath("//script")] == [ours]  # none of the text's own
    assert "javascript:" not in text
    assert document.findtext(".//h1") == "Nul <script>alert(1)</script> & \"quoted\" ]]> \u202eRTL مرحبا 🎙️ lone"
    assert document.findtext(".//article/h3") == document.findtext(".//h1")


def test_empty_show_says_so(show):
    assert "No episodes yet." in site_html(show, [])
