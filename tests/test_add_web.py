"""`papercast add URL` against a local server: a page becomes an episode; a bad address changes nothing."""
from __future__ import annotations

import functools
import json

import feedparser
import pytest

from httpstub import stub_server  # noqa: F401 (pytest fixture)

STORY = ("<html lang='en'><head><title>Ferry returns | Island Post</title>"
         "<meta property='og:site_name' content='Island Post'></head><body><nav>Home News Sport</nav>"
         "<article><h1>Ferry returns</h1><p class='byline'>By Mara Quinn</p>"
         "<p>The island ferry is running again after a winter of repairs to its old engines.</p>"
         "<p>Islanders say the crossing was missed more than anyone expected it would be.</p>"
         "<p>The harbour master expects the summer timetable to start in the first week of May.</p>"
         "</article><footer>© Island Post</footer></body></html>")
NO_ARTICLE = ("<html><head><title>Island Post</title></head><body><nav><a href='/a'>News</a> "
              "<a href='/b'>Sport</a> <a href='/c'>Weather</a></nav><form><input name='q'></form></body></html>")


def test_a_web_page_becomes_an_episode_that_links_to_it(show, cli, stub_server):
    stub_server.route("/ferry", body=STORY)
    url = stub_server.url("/ferry")
    result = cli("add", url)
    assert (result.code, result.out) == (0, "added episode 1: Ferry returns\n"), result.err
    [episode] = json.loads(cli("list", "--json").out)
    assert (episode["source"], episode["status"]) == (url, "pending")
    assert cli("render").code == 0
    [entry] = feedparser.parse((show / "output" / "feed.xml").read_bytes()).entries
    assert (entry.title, entry.link) == ("Ferry returns", url)


def test_adding_the_same_page_twice_is_refused(show, cli, stub_server):
    stub_server.route("/ferry", body=STORY)
    url = stub_server.url("/ferry")
    assert cli("add", url).code == 0
    again = cli("add", url)
    assert (again.code, again.err) == (
        1, f"error: {url} is already episode 1 (Ferry returns): to render it again run "
           "`papercast render --force 1`\n")


FAILURES = {
    "404": (dict(status=404, body="gone"),
            "{url}: server answered 404 Not Found: check the address"),
    "redirect loop": (dict(redirect="/page"),
                      "{url}: too many redirects (a redirect loop): open the address in a browser and use the "
                      "address it ends at"),
    "not HTML": (dict(body=b"\x89PNG\r\n\x1a\n", content_type="image/png"),
                 "{url}: the address serves image/png, not a web page: give the address of the article page itself"),
    "no article": (dict(body=NO_ARTICLE),
                   "no article text found in {url}: it may be a paywall, a login page or an index; save the "
                   "article as text and add that"),
    "too large": (dict(body=b"<p>" + b"a" * 10_000_001),
                  "{url}: the page is larger than 10,000,000 bytes: save the article as text and add that file"),
    "timeout": (dict(body=STORY, delay=2),
                "{url}: the server did not answer in time: try again later or raise the timeout"),
}


@pytest.fixture
def published(show, cli, article):
    """A show with one rendered episode, so there is a feed that must stay as it is."""
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    return show


def state(show, cli) -> tuple[bytes, str]:
    return (show / "output" / "feed.xml").read_bytes(), cli("list", "--json").out


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_a_bad_address_is_one_line_and_changes_nothing(case, published, cli, stub_server, monkeypatch):
    import articles.fetch

    # The real limit is 20 s; the stub answers after 2 s, so a short limit shows the same path quickly.
    monkeypatch.setattr(articles.fetch, "fetch", functools.partial(articles.fetch.fetch, timeout=0.5))
    route, message = FAILURES[case]
    stub_server.route("/page", **route)
    url = stub_server.url("/page")
    before = state(published, cli)
    result = cli("add", url)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"error: {message.format(url=url)}\n"
    assert state(published, cli) == before


def test_a_bad_source_feed_is_one_line_and_changes_nothing(published, cli, stub_server):
    before = state(published, cli)
    result = cli("sync", stub_server.url("/missing.xml"))
    assert (result.code, result.err) == (
        1, f"error: {stub_server.url('/missing.xml')}: server answered 404 Not Found: check the address\n")
    assert state(published, cli) == before


def test_a_web_page_given_as_a_source_feed_is_named_as_such(published, cli, stub_server):
    stub_server.route("/ferry", body=STORY)
    url = stub_server.url("/ferry")
    before = state(published, cli)
    result = cli("sync", url)
    assert (result.code, result.err) == (
        1, f"error: {url} is a web page, not an RSS or Atom feed: give the address of the site's feed (pages "
           "link it as RSS), or add the page itself with `papercast add`\n")
    assert state(published, cli) == before
