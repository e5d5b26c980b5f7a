"""A real podcast app subscribes to the feed `papercast serve` serves, and gets the very files papercast wrote.

gPodder's command-line client `gpo` (Debian package gpodder) subscribes, updates and downloads; the
show's base_url is the served address, so the feed's enclosure URLs lead back to this server.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import feedparser
import httpx
import pytest
from lxml import etree

from rendered_show import SLUGS, serving, shared_show

pytestmark = pytest.mark.slow

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
NS = {"itunes": ITUNES, "podcast": PODCAST}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(output folder, site URL): a two-episode show whose base_url is the address it is then served on."""
    root, port = shared_show(tmp_path_factory)
    with serving(root, port) as site:
        assert site == f"http://127.0.0.1:{port}/"
        yield root / "output", site


def gpo(home: Path, *args: str) -> str:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GPODDER")}
    environment.update(HOME=str(home), GPODDER_HOME=str(home / "gpodder"),
                       GPODDER_DOWNLOAD_DIR=str(home / "downloads"), NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    done = subprocess.run(["gpo", *args], env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"gpo {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("gpo") is None, reason="gPodder's gpo is not installed (apt-get install gpodder)")
def test_gpodder_subscribes_and_downloads_each_episode_byte_for_byte(served, tmp_path):
    output, site = served

    assert "Successfully added" in gpo(tmp_path, "subscribe", f"{site}feed.xml")
    assert "2 new episodes" in gpo(tmp_path, "update")
    assert "2 episodes downloaded" in gpo(tmp_path, "download")

    downloads = {path.name: path for path in (tmp_path / "downloads").rglob("*") if path.is_file()}
    assert sorted(downloads) == sorted(f"{slug}.mp3" for slug in SLUGS)
    for slug in SLUGS:
        assert downloads[f"{slug}.mp3"].read_bytes() == (output / "episodes" / f"{slug}.mp3").read_bytes()
    listed = gpo(tmp_path, "episodes")
    assert "Night trains return to the Alps" in listed and "Quiet rivers" in listed


@pytest.mark.parametrize("slug", SLUGS)
def test_a_range_request_on_an_episode_is_206_with_exactly_those_bytes(served, slug):
    output, site = served
    mp3 = (output / "episodes" / f"{slug}.mp3").read_bytes()

    response = httpx.get(f"{site}episodes/{slug}.mp3", headers={"Range": "bytes=0-99"})

    assert response.status_code == 206
    assert len(response.content) == 100
    assert response.content == mp3[:100]
    assert response.headers["content-range"] == f"bytes 0-99/{len(mp3)}"


def test_head_gives_each_enclosure_its_length_as_the_feed_lists_it(served):
    output, site = served
    feed = feedparser.parse(httpx.get(f"{site}feed.xml").content)
    enclosures = [link for entry in feed.entries for link in entry.links if link.rel == "enclosure"]

    assert len(enclosures) == 2
    for enclosure in enclosures:
        response = httpx.head(enclosure.href)
        size = (output / "episodes" / enclosure.href.rsplit("/", 1)[1]).stat().st_size
        assert response.status_code == 200
        assert response.headers["content-type"] == "audio/mpeg"
        assert int(response.headers["content-length"]) == size == int(enclosure.length)
        assert response.content == b""


def test_feedparser_reads_back_every_extension_field(served):
    output, site = served
    feed = feedparser.parse(httpx.get(f"{site}feed.xml").content)

    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.image.href == f"{site}cover.jpg"
    assert uuid.UUID(feed.feed.podcast_guid).version == 5
    assert feed.feed.podcast_locked == {"owner": "owner@example.org"}
    by_episode = {entry.itunes_episode: entry for entry in feed.entries}
    assert sorted(by_episode) == ["1", "2"]
    for number, slug in zip(("1", "2"), SLUGS):
        entry = by_episode[number]
        hours, minutes, seconds = map(int, entry.itunes_duration.split(":"))
        assert 5 <= hours * 3600 + minutes * 60 + seconds <= 60
        assert entry.podcast_chapters == {"url": f"{site}chapters/{slug}.json", "type": "application/json+chapters"}
        assert entry.podcast_transcript["url"].startswith(f"{site}transcripts/{slug}.")


def test_what_feedparser_drops_is_there_for_lxml_and_every_link_resolves(served):
    """feedparser keeps one podcast:transcript per item, drops podcast:locked's value and reads
    itunes:explicit 'false' as None; read those with lxml, then fetch every URL the feed names."""
    output, site = served
    channel = etree.fromstring(httpx.get(f"{site}feed.xml").content).find("channel")

    assert channel.findtext("itunes:explicit", namespaces=NS) in ("true", "false")
    assert channel.findtext("podcast:locked", namespaces=NS) == "yes"
    [image] = channel.findall("itunes:image", namespaces=NS)
    cover = httpx.get(image.get("href"))
    assert cover.status_code == 200 and cover.headers["content-type"] == "image/jpeg"
    assert cover.content == (output / "cover.jpg").read_bytes()
    for item in channel.iterfind("item"):
        transcripts = {element.get("type"): element.get("url") for element in item.findall("podcast:transcript", namespaces=NS)}
        assert sorted(transcripts) == ["application/x-subrip", "text/vtt"]
        vtt = httpx.get(transcripts["text/vtt"])
        assert vtt.status_code == 200 and vtt.text.startswith("WEBVTT")
        assert httpx.get(transcripts["application/x-subrip"]).text.startswith("1\n")
        chapters = httpx.get(item.find("podcast:chapters", namespaces=NS).get("url"))
        assert json.loads(chapters.content)["version"] == "1.2.0"
        enclosure = item.find("enclosure").get("url")
        assert httpx.get(enclosure).content == (output / "episodes" / enclosure.rsplit("/", 1)[1]).read_bytes()
