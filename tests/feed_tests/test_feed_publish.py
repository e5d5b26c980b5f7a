from __future__ import annotations

import dataclasses
import os

import pytest

from feeds.errors import FeedError
from feeds.files import atomic_write, write_if_changed
from feeds.publish import publish


def test_atomic_write_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "deep" / "feed.xml"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(target.parent) == ["feed.xml"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_atomic_write_failure_keeps_the_old_file_and_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "feed.xml"
    target.write_bytes(b"old")

    def refuse(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["feed.xml"]


def test_write_if_changed_skips_identical_bytes(tmp_path):
    target = tmp_path / "a.txt"
    assert write_if_changed(target, b"x") is True
    before = target.stat().st_mtime_ns
    assert write_if_changed(target, b"x") is False
    assert target.stat().st_mtime_ns == before
    assert write_if_changed(target, b"y") is True


def test_publish_writes_everything_feed_last(tmp_path, show, episodes):
    changed = publish(tmp_path, show, episodes)
    names = [path.relative_to(tmp_path).as_posix() for path in changed]
    assert names[-1] == "feed.xml"
    assert set(names) == {"index.html", "feed.xml"} | {
        f"transcripts/episode-{n}.{ext}" for n in (1, 2, 3) for ext in ("vtt", "srt")} | {
        f"chapters/episode-{n}.json" for n in (1, 2, 3)}
    assert (tmp_path / "transcripts/episode-1.vtt").read_text().startswith("WEBVTT")


def test_republishing_unchanged_show_touches_nothing(tmp_path, show, episodes):
    publish(tmp_path, show, episodes)
    feed = (tmp_path / "feed.xml").read_bytes()
    stamps = {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*")}
    assert publish(tmp_path, show, episodes) == []
    assert (tmp_path / "feed.xml").read_bytes() == feed
    assert {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*")} == stamps


def test_dropped_episode_loses_its_files(tmp_path, show, episodes, make_episode):
    publish(tmp_path, show, episodes)
    (tmp_path / "transcripts" / "notes.txt").write_text("someone else's")
    uncaptioned = dataclasses.replace(episodes[0], captions=())
    changed = publish(tmp_path, show, [uncaptioned, episodes[1]])
    assert not (tmp_path / "transcripts/episode-2.vtt").exists()
    assert not (tmp_path / "chapters/episode-2.json").exists()
    assert not (tmp_path / "transcripts/episode-1.srt").exists()
    assert (tmp_path / "chapters/episode-1.json").exists()
    assert (tmp_path / "transcripts" / "notes.txt").exists()
    assert tmp_path / "transcripts/episode-2.vtt" in changed


def test_refused_feed_writes_nothing(tmp_path, show, episodes):
    with pytest.raises(FeedError):
        publish(tmp_path, dataclasses.replace(show, category="Nope"), episodes)
    assert list(tmp_path.iterdir()) == []
