from __future__ import annotations

import json

from feeds.chapters import chapters_json
from feeds.model import Chapter

OPTIONAL_ROOT = {"author", "title", "podcastName", "description", "fileName", "waypoints"}
OPTIONAL_CHAPTER = {"title", "img", "url", "toc", "endTime", "location"}


def assert_valid_json_chapters(document):
    """The JSON Chapters 1.2 spec's rules: required `version` (string) and `chapters` (array);
    each chapter requires a numeric `startTime`; chapters are in ascending start order."""
    assert isinstance(document["version"], str) and document["version"].startswith("1.2")
    assert isinstance(document["chapters"], list)
    assert set(document) <= {"version", "chapters"} | OPTIONAL_ROOT
    starts = []
    for chapter in document["chapters"]:
        assert isinstance(chapter["startTime"], (int, float)) and not isinstance(chapter["startTime"], bool)
        assert chapter["startTime"] >= 0
        assert set(chapter) <= {"startTime"} | OPTIONAL_CHAPTER
        for key in ("title", "url"):
            assert key not in chapter or isinstance(chapter[key], str)
        starts.append(chapter["startTime"])
    assert starts == sorted(starts)


def test_chapters_follow_the_spec(make_episode):
    episode = make_episode(1, chapters=(Chapter(95.1234, "Later", "https://e.org/x"), Chapter(0, "Intro\x07")))
    document = json.loads(chapters_json(episode))
    assert_valid_json_chapters(document)
    assert document["version"] == "1.2.0"
    assert document["chapters"] == [{"startTime": 0, "title": "Intro"},
                                    {"startTime": 95.123, "title": "Later", "url": "https://e.org/x"}]


def test_the_validator_rejects_a_chapter_without_start_time():
    try:
        assert_valid_json_chapters({"version": "1.2.0", "chapters": [{"title": "x"}]})
    except (KeyError, AssertionError):
        return
    raise AssertionError("a chapter without startTime passed validation")


def test_non_ascii_titles_are_kept(make_episode):
    episode = make_episode(1, title="Ünïcode 🎙", chapters=(Chapter(0, "مرحبا"),))
    assert "مرحبا" in chapters_json(episode)
    assert json.loads(chapters_json(episode))["title"] == "Ünïcode 🎙"
