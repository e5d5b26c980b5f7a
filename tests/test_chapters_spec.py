"""The podcast:chapters files follow JSON Chapters 1.2.0 and agree with the chapters inside the MP3.

Spec: https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/examples/chapters/jsonChapters.md
"""
from __future__ import annotations

import json
import math

import feedparser
import jsonschema
import pytest
from lxml import etree
from mutagen.id3 import ID3

from rendered_show import SLUGS, shared_show

pytestmark = pytest.mark.slow

PODCAST = "https://podcastindex.org/namespace/1.0"

# The 1.2.0 document as the spec describes it: what is required, and the type of every field it defines.
CHAPTERS_1_2_0 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "chapters"],
    "properties": {
        "version": {"const": "1.2.0"},
        "author": {"type": "string"},
        "title": {"type": "string"},
        "podcastName": {"type": "string"},
        "description": {"type": "string"},
        "fileName": {"type": "string"},
        "waypoints": {"type": "boolean"},
        "chapters": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["startTime", "title"],
                "properties": {
                    "startTime": {"type": "number", "minimum": 0},
                    "endTime": {"type": "number", "minimum": 0},
                    "title": {"type": "string", "minLength": 1},
                    "img": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "toc": {"type": "boolean"},
                    "location": {
                        "type": "object",
                        "required": ["name", "geo"],
                        "properties": {"name": {"type": "string"}, "geo": {"type": "string", "pattern": "^geo:"}},
                    },
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    root, _ = shared_show(tmp_path_factory)
    return root / "output"


def test_the_schema_itself_catches_what_it_should():
    """The schema is only worth something if it fails: a bad document of each kind is refused."""
    validator = jsonschema.Draft202012Validator(CHAPTERS_1_2_0)
    good = {"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Intro", "url": "https://example.org/"}]}
    assert validator.is_valid(good)
    for bad in (
        {**good, "version": "1.1.0"},
        {"version": "1.2.0"},
        {**good, "chapters": [{"startTime": "0", "title": "Intro"}]},
        {**good, "chapters": [{"startTime": -1, "title": "Intro"}]},
        {**good, "chapters": [{"startTime": 0, "title": 7}]},
        {**good, "chapters": [{"startTime": 0, "title": "Intro", "url": 7}]},
    ):
        assert not validator.is_valid(bad), bad


@pytest.mark.parametrize("slug", SLUGS)
def test_chapters_file_validates_against_json_chapters_1_2_0(output, slug):
    document = json.loads((output / "chapters" / f"{slug}.json").read_text(encoding="utf-8"))

    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for error in jsonschema.Draft202012Validator(CHAPTERS_1_2_0).iter_errors(document)]

    assert errors == []
    starts = [chapter["startTime"] for chapter in document["chapters"]]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "startTime must ascend"
    assert all(math.isfinite(start) for start in starts)
    assert starts[0] == 0, "the first chapter starts the episode"


@pytest.mark.parametrize("slug", SLUGS)
def test_chapters_file_start_times_equal_the_mp3_chap_frames(output, slug):
    document = json.loads((output / "chapters" / f"{slug}.json").read_text(encoding="utf-8"))
    frames = sorted(ID3(output / "episodes" / f"{slug}.mp3").getall("CHAP"), key=lambda frame: frame.start_time)

    assert len(frames) == len(document["chapters"]) >= 2
    for chapter, frame in zip(document["chapters"], frames):
        assert abs(chapter["startTime"] - frame.start_time / 1000) <= 0.050, (chapter, frame.start_time)
        assert chapter["title"] == str(frame.sub_frames["TIT2"])


def test_the_feed_links_each_episode_to_its_chapters_file(output):
    """podcast:chapters with the spec's media type, pointing at the file that exists in output/."""
    tree = etree.parse(str(output / "feed.xml"))
    links = {}
    for item in tree.iterfind("channel/item"):
        [chapters] = item.findall(f"{{{PODCAST}}}chapters")
        assert chapters.get("type") == "application/json+chapters"
        links[item.findtext("title")] = chapters.get("url")
    base = tree.findtext("channel/link")
    assert sorted(links.values()) == sorted(f"{base}chapters/{slug}.json" for slug in SLUGS)
    assert all((output / url.removeprefix(base)).is_file() for url in links.values())
    assert feedparser.parse(str(output / "feed.xml")).bozo == 0
