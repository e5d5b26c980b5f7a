"""Editions: `papercast add A B C --edition TITLE` makes one episode, a chapter per story."""
from __future__ import annotations

import json

import pytest
from mutagen.id3 import ID3

from httpstub import stub_server  # noqa: F401 (pytest fixture)

STORIES = [
    ("Night trains return", "https://news.example/trains",
     "Sleeper trains run again between Zurich and Vienna. The first one left full on Sunday."),
    ("Harbour study promised", "https://news.example/harbour",
     "The council will study the bay. Nobody expects the report before next winter."),
    ("Market hall becomes flats", "https://news.example/market",
     "The old market hall is being turned into flats. Most residents welcome the change."),
]


@pytest.fixture
def story_files(tmp_path) -> list[str]:
    paths = []
    for number, (title, url, body) in enumerate(STORIES, start=1):
        path = tmp_path / f"story{number}.md"
        path.write_text(f"---\ntitle: {title}\nurl: {url}\n---\n\n{body}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.fixture
def edition(show, cli, story_files):
    result = cli("add", *story_files, "--edition", "Monday briefing")
    assert (result.code, result.out) == (0, "added episode 1: Monday briefing\n"), result.err
    rendered = cli("render")
    assert rendered.code == 0, rendered.err
    return show


def test_an_edition_is_one_episode(edition, cli):
    listed = json.loads(cli("list", "--json").out)
    assert [(e["id"], e["title"], e["status"]) for e in listed] == [(1, "Monday briefing", "rendered")]


def test_mp3_chapters_are_the_intro_then_each_story_in_order_with_its_link(edition):
    tags = ID3(edition / "output" / "episodes" / "monday-briefing.mp3")
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [
        "Introduction", "Night trains return", "Harbour study promised", "Market hall becomes flats"]
    assert [c.sub_frames["WXXX:chapter url"].url for c in chapters[1:]] == [url for _, url, _ in STORIES]
    assert chapters[0].start_time == 0
    assert all(a.end_time == b.start_time and a.start_time < b.start_time for a, b in zip(chapters, chapters[1:]))


def test_chapters_json_lists_the_same_chapters(edition):
    document = json.loads((edition / "output" / "chapters" / "monday-briefing.json").read_text())
    assert [(c["title"], c.get("url")) for c in document["chapters"]] == [
        ("Introduction", None), *((title, url) for title, url, _ in STORIES)]
    starts = [c["startTime"] for c in document["chapters"]]
    assert starts == sorted(starts) and len(set(starts)) == 4


def test_transcript_spans_the_intro_the_transitions_and_every_story(edition):
    lines = (edition / "output" / "transcripts" / "monday-briefing.vtt").read_text().splitlines()
    vtt = " ".join(" ".join(line for line in lines if "-->" not in line).split())
    spoken_in_order = [
        "Monday briefing.",
        "In this edition: Night trains return; Harbour study promised; and Market hall becomes flats.",
        "Night trains return.", "Sleeper trains run again",
        "Next: Harbour study promised.", "The council will study the bay.",
        "Next: Market hall becomes flats.", "Most residents welcome the change.",
    ]
    positions = [vtt.find(line) for line in spoken_in_order]
    assert -1 not in positions, spoken_in_order[positions.index(-1)]
    assert positions == sorted(positions)


def test_an_edition_can_include_web_pages(show, cli, story_files, stub_server):
    stub_server.route("/ferry", body=(
        "<html lang='en'><head><title>Ferry returns</title></head><body><article><h1>Ferry returns</h1>"
        "<p>The island ferry is running again after a winter of repairs to its old engines.</p>"
        "<p>Islanders say the crossing was missed more than anyone expected it would be.</p>"
        "</article></body></html>"))
    assert cli("add", story_files[0], stub_server.url("/ferry"), "--edition", "Island news").code == 0
    assert cli("render").code == 0
    document = json.loads((show / "output" / "chapters" / "island-news.json").read_text())
    assert [(c["title"], c.get("url")) for c in document["chapters"]][1:] == [
        (STORIES[0][0], STORIES[0][1]), ("Ferry returns", stub_server.url("/ferry"))]


def test_a_failing_story_adds_no_edition_and_names_each_problem(show, cli, story_files, tmp_path):
    missing = tmp_path / "missing.md"
    result = cli("add", story_files[0], missing, "--edition", "Monday briefing")
    assert result.code == 1
    assert result.err == (f"error: {missing}: no such file: check the path\n"
                          "error: edition 'Monday briefing' was not added: fix the sources above or leave them out\n")
    assert json.loads(cli("list", "--json").out) == []


def test_the_same_edition_is_not_added_twice(show, cli, story_files):
    assert cli("add", *story_files, "--edition", "Monday briefing").code == 0
    again = cli("add", *story_files, "--edition", "Monday briefing")
    assert again.code == 1
    assert again.err.startswith("error: Monday briefing is already episode 1 (Monday briefing)")


def test_an_edition_in_two_languages_is_refused(show, cli, story_files, tmp_path):
    german = tmp_path / "de.md"
    german.write_text("---\ntitle: Nachtzug\nlanguage: de\n---\n\nDer Nachtzug fährt wieder.\n", encoding="utf-8")
    result = cli("add", story_files[0], german, "--edition", "Monday briefing")
    assert result.code == 1
    assert result.err == ("error: edition 'Monday briefing' mixes languages (de, en), but one voice reads an "
                          "edition: make one edition per language\n")


def test_contents_read_naturally_for_two_stories():
    from papercast.edition import contents

    assert contents(["A.", "B"]) == "In this edition: A and B."
    assert contents(["A", "B", "C"]) == "In this edition: A; B; and C."
