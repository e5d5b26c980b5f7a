from __future__ import annotations

import dataclasses
import subprocess

import imageio_ffmpeg
import pytest

from feeds.check import check
from feeds.cover import MIN_SIDE, cover_bytes
from feeds.publish import publish
from feeds.rss import build

BASE = "https://example.com/pod"


@pytest.fixture(scope="module")
def mp3(tmp_path_factory):
    path = tmp_path_factory.mktemp("audio") / "tone.mp3"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi",
                    "-i", "sine=frequency=440:duration=1", "-b:a", "32k", str(path)], check=True)
    return path.read_bytes()


@pytest.fixture(scope="module")
def cover():
    return cover_bytes("Papers Read Aloud", MIN_SIDE)


@pytest.fixture
def published(tmp_path, mp3, cover, show, episodes):
    """A complete output folder: audio, a real cover, transcripts, chapters, feed."""
    for episode in episodes:
        (tmp_path / episode.audio).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / episode.audio).write_bytes(mp3)
    episodes = [dataclasses.replace(episode, bytes=len(mp3)) for episode in episodes]
    (tmp_path / "cover.jpg").write_bytes(cover)
    show = dataclasses.replace(show, image="cover.jpg")
    publish(tmp_path, show, episodes)
    return tmp_path, show, episodes


def codes(findings, severity=None):
    return {finding.code for finding in findings if severity in (None, finding.severity)}


def lint(published, edit=lambda text: text, **options):
    output, show, episodes = published
    feed = edit((output / "feed.xml").read_text(encoding="utf-8")).encode("utf-8")
    return check(feed, output_dir=output, **options)


def test_a_published_show_is_clean(published):
    assert lint(published) == []


def test_findings_are_one_line_and_errors_come_first(published):
    findings = lint(published, lambda t: t.replace("<language>en</language>", "")
                    .replace("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>no</itunes:explicit>"))
    assert [f.severity for f in findings] == ["error", "warning"]
    assert all("\n" not in f.message for f in findings)


def test_malformed_and_non_rss():
    assert codes(check(b"<rss><channel>")) == {"xml-malformed"}
    assert codes(check(b"<feed xmlns='http://www.w3.org/2005/Atom'/>")) == {"not-rss"}


@pytest.mark.parametrize("old, new, code", [
    ("<title>Papers Read Aloud</title>", "", "missing-title"),
    ("<description>Long reads, spoken.</description>", "", "missing-description"),
    ("<link>https://example.com/pod/</link>", "", "missing-link"),
    ("<link>https://example.com/pod/</link>", "<link>/pod/</link>", "url-not-absolute"),
    ("<language>en</language>", "", "missing-language"),
    ('<itunes:image href="https://example.com/pod/cover.jpg"/>', "", "missing-image"),
    ('<itunes:image href="https://example.com/pod/cover.jpg"/>',
     '<itunes:image href="https://example.com/pod/cover.gif"/>', "image-extension"),
    ('<itunes:image href="https://example.com/pod/cover.jpg"/>',
     '<itunes:image href="https://example.com/pod/gone.jpg"/>', "image-missing-file"),
    ('<itunes:category text="Tech News"/>', '<itunes:category text="Gadgets"/>', "invalid-category"),
    ('text="News"', 'text="Newz"', "invalid-category"),
    ("<itunes:explicit>false</itunes:explicit>", "", "missing-explicit"),
    ("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>maybe</itunes:explicit>", "explicit-value"),
    ("<itunes:email>ada@example.com</itunes:email>", "", "missing-owner-email"),
    ('<atom:link href="https://example.com/pod/feed.xml" rel="self" type="application/rss+xml"/>', "",
     "missing-self-link"),
    ("<lastBuildDate>Sun, 03 Mar 2024 08:30:00 +0000</lastBuildDate>",
     "<lastBuildDate>2024-03-03T08:30:00Z</lastBuildDate>", "date-format"),
    ("<pubDate>Sat, 02 Mar 2024 08:30:00 +0000</pubDate>", "", "missing-date"),
    ("urn:papercast:2</guid>", "urn:papercast:3</guid>", "duplicate-guid"),
    ('<guid isPermaLink="false">urn:papercast:2</guid>', "", "item-missing-guid"),
    ("<title>Episode 2</title>", "", "item-missing-title"),
    ("<itunes:duration>00:01:04</itunes:duration>", "<itunes:duration>about a minute</itunes:duration>",
     "item-duration"),
    ('type="audio/mpeg"', "", "enclosure-type"),
    ('url="https://example.com/pod/episodes/episode-2.mp3"', 'url="episodes/episode-2.mp3"', "url-not-absolute"),
    ('url="https://example.com/pod/episodes/episode-2.mp3"', 'url="https://example.com/pod/episodes/nope.mp3"',
     "enclosure-missing-file"),
    ("podcast:guid>", "podcast:nothing>", "missing-podcast-guid"),
    (">yes</podcast:locked>", ">sure</podcast:locked>", "locked-value"),
    ('url="https://example.com/pod/transcripts/episode-2.vtt"', 'url="https://example.com/pod/transcripts/x.vtt"',
     "transcript-missing-file"),
    ('url="https://example.com/pod/chapters/episode-2.json"', 'url="chapters/episode-2.json"', "url-not-absolute"),
])
def test_each_problem_is_found(published, old, new, code):
    output = (published[0] / "feed.xml").read_text(encoding="utf-8")
    assert old in output, "the test's edit must apply"
    assert code in codes(lint(published, lambda text: text.replace(old, new)))


def test_wrong_enclosure_length_is_an_error(published):
    output, show, episodes = published
    feed = build(show, [dataclasses.replace(episodes[0], bytes=episodes[0].bytes + 1)])
    finding = next(f for f in check(feed, output_dir=output) if f.code == "enclosure-length-mismatch")
    assert finding.severity == "error" and "episode-1.mp3" in finding.message
    assert "enclosure-length" in codes(lint(published, lambda t: t.replace('length="', 'length="-', 1)))


def test_podcast_guid_must_be_uuid5_and_a_moved_feed_is_noted(published, show):
    assert "podcast-guid-format" in codes(lint(published, lambda t: t.replace(
        "<podcast:guid>", "<podcast:guid>x")))
    moved = lint(published, lambda t: t.replace("https://example.com/pod/feed.xml", "https://elsewhere.example/feed.xml"))
    assert "podcast-guid-moved" in codes(moved, "info")


def test_a_bad_local_cover_is_reported_with_its_problem(published):
    from PIL import Image
    Image.new("RGB", (800, 800)).save(published[0] / "cover.jpg")
    finding = next(f for f in lint(published) if f.code == "image-invalid")
    assert "800×800 px" in finding.message


def test_legacy_explicit_and_no_episodes_are_warnings(published):
    findings = lint(published, lambda t: t.replace("<itunes:explicit>false", "<itunes:explicit>no"))
    assert codes(findings, "warning") == {"explicit-legacy"}
    output, show, episodes = published
    empty = build(dataclasses.replace(show, updated=episodes[0].published_at), [])
    assert codes(check(empty, output_dir=output), "warning") == {"no-episodes"}


def test_remote_enclosures_are_checked_with_head(published):
    output, show, episodes = published
    feed = (output / "feed.xml").read_bytes()
    calls = []

    def head(url):
        calls.append(url)
        if url.endswith("episode-3.mp3"):
            raise ConnectionError("connection refused")
        size = str(episodes[0].bytes + (1 if url.endswith("episode-2.mp3") else 0))
        return {"Content-Length": size, "Accept-Ranges": "bytes" if "episode-1" in url else "none"}

    findings = check(feed, fetch_head=head)
    by_code = {f.code: f for f in findings}
    assert "enclosure-unreachable" in by_code and "connection refused" in by_code["enclosure-unreachable"].message
    assert "episode 'Episode 2'" in by_code["enclosure-length-mismatch"].message
    assert by_code["enclosure-no-ranges"].severity == "warning"
    assert any(url.endswith("cover.jpg") for url in calls)


def test_loudness_hook(published):
    levels = {"episode-1.mp3": (-16.4, -1.5), "episode-2.mp3": (-19.0, -1.5), "episode-3.mp3": (-16.0, -0.2)}
    findings = lint(published, measure=lambda path: levels[path.name])
    assert [(f.code, f.message.split("'")[1]) for f in findings] == [("true-peak", "Episode 3"),
                                                                    ("loudness", "Episode 2")]
