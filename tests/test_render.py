"""The whole path with the fake engine: article → MP3 → feed, as `papercast render` does it."""
from __future__ import annotations

import json

import feedparser
import pytest
from mutagen.id3 import ID3

from audio.engines.fake import FakeEngine
from audio.measure import decoded_duration, loudness_and_true_peak


@pytest.fixture
def rendered(show, article, cli):
    assert cli("add", article).code == 0
    result = cli("render")
    assert result.code == 0, result.err
    return show


def only_entry(show):
    feed = feedparser.parse((show / "output" / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    [entry] = feed.entries
    return feed, entry


def test_render_publishes_an_mp3_and_a_feed_that_points_at_it(rendered, cli):
    feed, entry = only_entry(rendered)
    [enclosure] = entry.enclosures
    mp3 = rendered / "output" / "episodes" / "night-trains-return-to-the-alps.mp3"
    assert enclosure.href == "https://example.org/pod/episodes/night-trains-return-to-the-alps.mp3"
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == mp3.stat().st_size
    assert entry.title == "Night trains return to the Alps"
    assert entry.guidislink is False
    assert feed.feed.title == "Test Show"


def test_itunes_duration_matches_the_decoded_audio_within_one_percent(rendered):
    _, entry = only_entry(rendered)
    hours, minutes, seconds = (int(part) for part in entry.itunes_duration.split(":"))
    listed = hours * 3600 + minutes * 60 + seconds
    real = decoded_duration(rendered / "output" / "episodes" / "night-trains-return-to-the-alps.mp3")
    assert abs(listed - real) <= max(1.0, 0.01 * real)


def test_episode_is_mastered_to_podcast_loudness(rendered):
    integrated, true_peak = loudness_and_true_peak(
        rendered / "output" / "episodes" / "night-trains-return-to-the-alps.mp3")
    # On the loudness aimed at, not only within Apple's ±1: the codec's own scaling is made up for.
    assert integrated == pytest.approx(-16.0, abs=0.3)
    assert true_peak <= -1.0


def test_mp3_carries_tags_and_chapters(rendered):
    tags = ID3(rendered / "output" / "episodes" / "night-trains-return-to-the-alps.mp3")
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Night trains return to the Alps"
    assert str(tags["TPE1"]) == "Travel desk"
    assert str(tags["TALB"]) == "Test Show"
    chapters = tags.getall("CHAP")  # in file order: players that ignore the CTOC read them so
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [
        "Introduction", "Night trains return to the Alps", "What changed"]
    assert chapters[0].start_time == 0
    assert all(a.end_time == b.start_time for a, b in zip(chapters, chapters[1:]))
    [toc] = tags.getall("CTOC")
    assert toc.child_element_ids == [c.element_id for c in chapters]


def test_the_cover_is_drawn_in_the_background_while_the_first_render_speaks(show, article, cli, monkeypatch):
    import threading

    from feeds import cover

    monkeypatch.setattr(cover, "_ahead", {})  # none left over from another test's render
    drawn_by = []
    draw = cover._draw
    monkeypatch.setattr(cover, "_draw", lambda title, size: drawn_by.append(threading.current_thread().name)
                        or draw(title, size))
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    assert drawn_by == ["cover"]
    [picture] = ID3(show / "output" / "episodes" / "night-trains-return-to-the-alps.mp3").getall("APIC")
    assert picture.data == (show / "output" / "cover.jpg").read_bytes()  # the cover drawn ahead
    assert cli("render", "--force").code == 0
    assert drawn_by == ["cover"]  # the cover is current: neither drawn nor drawn ahead


def test_rendering_again_synthesises_nothing_and_keeps_the_feed_byte_identical(rendered, cli):
    feed_before = (rendered / "output" / "feed.xml").read_bytes()
    FakeEngine.calls.clear()
    result = cli("render")
    assert result.code == 0
    assert "nothing to render" in result.out
    assert FakeEngine.calls == []
    assert (rendered / "output" / "feed.xml").read_bytes() == feed_before


def test_an_episode_built_again_is_the_same_mp3_to_the_byte(rendered, cli):
    import shutil

    mp3 = rendered / "output" / "episodes" / "night-trains-return-to-the-alps.mp3"
    first = mp3.read_bytes()
    for kept in ("takes", "nothing"):  # mastered again from the cached takes; then from nothing at all
        for name in ("renders", "mastered") if kept == "takes" else ("",):
            shutil.rmtree(rendered / "cache" / name)
        assert cli("render", "--force", "1").code == 0
        assert mp3.read_bytes() == first, f"rebuilt from {kept}"


def test_forced_rerender_uses_the_cache_and_keeps_the_guid(rendered, cli):
    _, before = only_entry(rendered)
    FakeEngine.calls.clear()
    result = cli("render", "--force", "1")
    assert result.code == 0, result.err
    assert FakeEngine.calls == []  # every take came from the cache
    _, after = only_entry(rendered)
    assert after.id == before.id
    assert after.published == before.published


def test_a_new_speed_synthesises_again_but_keeps_the_guid(rendered, cli):
    _, before = only_entry(rendered)
    FakeEngine.calls.clear()
    assert cli("render", "--force", "--speed", "1.5", "1").code == 0
    assert FakeEngine.calls  # a take is never served for different settings
    _, after = only_entry(rendered)
    assert after.id == before.id


def test_timeline_is_recorded_for_transcripts(rendered, cli):
    listing = json.loads(cli("list", "--json").out)
    assert listing[0]["status"] == "rendered"
    vtt = (rendered / "output" / "transcripts" / "night-trains-return-to-the-alps.vtt").read_text()
    assert vtt.startswith("WEBVTT")
    assert "After a decade away, sleeper trains are running again" in " ".join(vtt.split())


def test_pauses_follow_the_script(show, article, cli):
    from papercast.catalog import Catalog

    cli("add", article)
    cli("render")
    with Catalog(show / "papercast.db") as catalog:
        timeline = json.loads(catalog.get(1).timeline)
    captions = timeline["captions"]
    gaps = {text: round(next_start - end, 2)
            for (start, end, text), (next_start, _, _) in zip(captions, captions[1:])}
    assert gaps["The first train left on Sunday evening, full."] == pytest.approx(0.8 + 0.03, abs=0.04)
    assert gaps["After a decade away, sleeper trains are running again between Zurich and Vienna."] == \
        pytest.approx(0.3 + 0.03, abs=0.04)


def test_an_episode_file_the_catalog_does_not_describe_is_rendered_again(rendered, cli):
    # What a re-render killed between replacing the MP3 and recording it leaves behind.
    mp3 = rendered / "output" / "episodes" / "night-trains-return-to-the-alps.mp3"
    mp3.write_bytes(mp3.read_bytes() + b"\0" * 1000)
    FakeEngine.calls.clear()
    result = cli("render")
    assert result.code == 0, result.err
    assert "rendered episode 1" in result.out
    assert FakeEngine.calls == []
    _, entry = only_entry(rendered)
    assert int(entry.enclosures[0].length) == mp3.stat().st_size


def test_an_unavailable_engine_fails_the_first_episode_and_leaves_the_rest_pending(show, article, cli, monkeypatch,
                                                                                   tmp_path):
    second = tmp_path / "second.txt"
    second.write_text("Harbour study promised\n\nThe council will study the old harbour wall this winter.\n")
    cli("add", article)
    cli("add", second)
    monkeypatch.setattr(FakeEngine, "available", classmethod(lambda cls: (False, "no tones today: try later")))
    result = cli("-q", "render")
    assert result.code == 1
    assert result.err == "error: episode 1 failed: engine 'fake' is not available: no tones today: try later\n"
    statuses = [row["status"] for row in json.loads(cli("list", "--json").out)]
    assert statuses == ["failed", "pending"]
