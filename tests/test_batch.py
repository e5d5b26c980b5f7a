"""`papercast add --from FILE`: a list of sources, each added on its own."""
from __future__ import annotations

import json

from httpstub import stub_server  # noqa: F401 (pytest fixture)

SECOND = "Ferry returns\n\nThe island ferry runs again after a winter of repairs. Islanders missed it.\n"


def titles(cli) -> list[str]:
    return [e["title"] for e in json.loads(cli("list", "--json").out)]


def test_each_listed_source_is_added_and_comments_and_blank_lines_are_skipped(show, cli, article, tmp_path):
    second = tmp_path / "ferry.txt"
    second.write_text(SECOND, encoding="utf-8")
    listing = tmp_path / "sources.txt"
    listing.write_text(f"# this week\n{article}\n\n   \n  {second}  \n# {tmp_path / 'skipped.txt'}\n")
    result = cli("add", "--from", listing)
    assert result.code == 0, result.err
    assert result.out == "added episode 1: Night trains return to the Alps\nadded episode 2: Ferry returns\n"


def test_a_failing_source_is_one_line_and_the_others_still_go_in(show, cli, article, tmp_path, stub_server):
    stub_server.route("/ferry", body=(
        "<html lang='en'><head><title>Ferry returns</title></head><body><article><h1>Ferry returns</h1>"
        "<p>The island ferry is running again after a winter of repairs to its old engines.</p>"
        "<p>Islanders say the crossing was missed more than anyone expected it would be.</p>"
        "<p>The harbour master expects the summer timetable to start in the first week of May.</p>"
        + "</article></body></html>"))
    missing = tmp_path / "missing.txt"
    listing = tmp_path / "sources.txt"
    listing.write_text(f"{missing}\n{stub_server.url('/gone')}\n{article}\n{stub_server.url('/ferry')}\n")
    result = cli("add", "--from", listing)
    assert result.code == 1
    assert result.err == (f"error: {missing}: no such file: check the path\n"
                          f"error: {stub_server.url('/gone')}: server answered 404 Not Found: check the address\n")
    assert titles(cli) == ["Night trains return to the Alps", "Ferry returns"]


def test_listed_and_given_sources_go_in_together(show, cli, article, tmp_path):
    second = tmp_path / "ferry.txt"
    second.write_text(SECOND, encoding="utf-8")
    listing = tmp_path / "sources.txt"
    listing.write_text(f"{second}\n")
    assert cli("add", article, "--from", listing).code == 0
    assert titles(cli) == ["Night trains return to the Alps", "Ferry returns"]


def test_a_list_can_come_from_standard_input(show, cli, article, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{article}\n"))
    assert cli("add", "--from", "-").code == 0
    assert titles(cli) == ["Night trains return to the Alps"]


def test_a_missing_list_is_an_error_naming_it(show, cli, tmp_path):
    result = cli("add", "--from", tmp_path / "nope.txt")
    assert (result.code, result.err) == (
        1, f"error: {tmp_path / 'nope.txt'}: no such file: check the path of the list of sources\n")


def test_a_list_of_only_comments_is_an_error(show, cli, tmp_path):
    listing = tmp_path / "sources.txt"
    listing.write_text("# nothing yet\n\n")
    result = cli("add", "--from", listing)
    assert (result.code, result.err) == (
        1, f"error: {listing} lists no sources: put one article path or URL on each line\n")


def test_add_without_any_source_says_what_to_give(show, cli):
    result = cli("add")
    assert (result.code, result.err) == (
        1, "error: nothing to add: give article files or URLs, or --from FILE listing them\n")


