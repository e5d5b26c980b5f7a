"""`papercast sync`: new items of a source feed become pending episodes, each only ever once."""
from __future__ import annotations

import json

from httpstub import stub_server  # noqa: F401 (pytest fixture)

SENTENCES = [
    "The harbour town woke early on Monday, as it has for three hundred years, to the sound of gulls.",
    "Fishermen say the catch has been thinner each spring, and few of their children plan to follow them.",
    "The council has promised a study of the bay, though nobody expects the report before next winter.",
    "Meanwhile the old market hall is being turned into flats, a change most residents quietly welcome.",
]
FULL_TEXT = "".join(f"<p>{s} {s}</p>" for s in SENTENCES * 3)  # long enough to be the whole article


def page(title: str) -> str:
    return (f"<html lang='en'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</article></body></html>")


def item(guid: str, title: str, link: str, date: str, content: str | None = None) -> str:
    encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return (f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
            f"<pubDate>{date} 06:00:00 +0000</pubDate><description>A short teaser.</description>{encoded}</item>")


def rss(*items: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Gazette</title>'
            f'<link>https://gazette.example/</link>{"".join(items)}</channel></rss>')


def serve_feed(stub_server, *items: str) -> str:
    stub_server.route("/feed.xml", body=rss(*items), content_type="application/rss+xml")
    return stub_server.url("/feed.xml")


def episodes(cli) -> list[dict]:
    return json.loads(cli("list", "--json").out)


def two_items(stub_server) -> str:
    """One item carrying its full text, one whose text is on its page."""
    stub_server.route("/harbour", body=page("Harbour page"))
    return serve_feed(
        stub_server,
        item("tag:2", "Market hall", stub_server.url("/harbour"), "Wed, 06 Mar 2024"),
        item("tag:1", "Gulls at dawn", stub_server.url("/gulls"), "Tue, 05 Mar 2024", FULL_TEXT),
    )


def test_sync_adds_each_new_item_as_a_pending_episode_oldest_first(show, cli, stub_server):
    feed = two_items(stub_server)
    result = cli("sync", feed)
    assert result.code == 0, result.err
    assert result.out == "added episode 1: Gulls at dawn\nadded episode 2: Market hall\nnext: papercast render\n"
    listed = episodes(cli)
    assert [(e["title"], e["status"], e["source"]) for e in listed] == [
        ("Gulls at dawn", "pending", stub_server.url("/gulls")),
        ("Market hall", "pending", stub_server.url("/harbour"))]


def test_a_second_sync_adds_nothing_and_says_so(show, cli, stub_server):
    feed = two_items(stub_server)
    assert cli("sync", feed).code == 0
    before = episodes(cli)
    again = cli("sync", feed)
    assert again.code == 0, again.err
    assert again.out == "nothing new: 2 items already in the show\n"
    assert episodes(cli) == before


def test_a_removed_episode_is_not_taken_again(show, cli, stub_server):
    feed = two_items(stub_server)
    assert cli("sync", feed).code == 0
    assert cli("remove", "1").code == 0
    again = cli("sync", feed)
    assert again.out == "nothing new: 2 items already in the show\n"
    assert [e["id"] for e in episodes(cli)] == [2]


def test_an_item_seen_under_a_new_guid_is_known_by_its_link(show, cli, stub_server):
    feed = two_items(stub_server)
    assert cli("sync", feed).code == 0
    serve_feed(stub_server, item("renumbered", "Market hall", stub_server.url("/harbour"), "Wed, 06 Mar 2024"))
    assert cli("sync", feed).out == "nothing new: 1 item already in the show\n"


def test_rendered_episode_links_to_the_items_link(show, cli, stub_server):
    stub_server.route("/moved", redirect="/harbour")
    stub_server.route("/harbour", body=page("Harbour page"))
    feed = serve_feed(stub_server, item("tag:1", "Market hall", stub_server.url("/moved"), "Wed, 06 Mar 2024"))
    assert cli("sync", feed).code == 0
    result = cli("render")
    assert result.code == 0, result.err
    import feedparser

    [entry] = feedparser.parse((show / "output" / "feed.xml").read_bytes()).entries
    assert entry.link == stub_server.url("/moved")


def test_a_failing_item_is_reported_and_the_others_go_in(show, cli, stub_server):
    stub_server.route("/harbour", body=page("Harbour page"))
    feed = serve_feed(
        stub_server,
        item("tag:2", "Gone", stub_server.url("/gone"), "Wed, 06 Mar 2024"),
        item("tag:1", "Market hall", stub_server.url("/harbour"), "Tue, 05 Mar 2024"),
    )
    result = cli("sync", feed)
    assert result.code == 1
    assert result.out == "added episode 1: Market hall\nnext: papercast render\n"
    assert result.err == f"error: {stub_server.url('/gone')}: server answered 404 Not Found: check the address\n"
    # A failed item is not remembered: once its page is back, the next sync takes it.
    stub_server.route("/gone", body=page("Back again"))
    retry = cli("sync", feed)
    assert (retry.code, retry.out) == (0, "added episode 2: Gone\nnext: papercast render\n")


def test_an_unreachable_feed_is_one_line_and_the_other_feeds_still_sync(show, cli, stub_server):
    feed = two_items(stub_server)
    result = cli("sync", stub_server.url("/missing.xml"), feed)
    assert result.code == 1
    assert result.err == (f"error: {stub_server.url('/missing.xml')}: server answered 404 Not Found: "
                          "check the address\n")
    assert len(episodes(cli)) == 2


def test_limit_takes_the_newest_items_and_leaves_the_rest_for_later(show, cli, stub_server):
    feed = two_items(stub_server)
    assert cli("sync", feed, "--limit", "1").out == "added episode 1: Market hall\nnext: papercast render\n"
    assert cli("sync", feed).out == "added episode 2: Gulls at dawn\nnext: papercast render\n"


def test_since_skips_older_items(show, cli, stub_server):
    feed = two_items(stub_server)
    assert cli("sync", feed, "--since", "2024-03-06").out == "added episode 1: Market hall\nnext: papercast render\n"


def test_sources_come_from_the_show_settings(show, cli, stub_server):
    feed = two_items(stub_server)
    config = show / "papercast.toml"
    config.write_text(config.read_text().replace("sources = []", f'sources = ["{feed}"]'))
    assert cli("sync").code == 0
    assert len(episodes(cli)) == 2


def test_sync_without_sources_says_where_to_list_them(show, cli):
    result = cli("sync")
    assert result.code == 1
    assert result.err == ('error: no source feeds to sync: give a feed\'s address, or list them as '
                          '`sources = ["https://example.org/feed.xml"]` under [sync] in papercast.toml\n')


def test_sync_holds_the_show_lock(show, cli, stub_server, monkeypatch):
    from papercast import lock

    held = []
    real_lock = lock.show_lock

    def recording_lock(root, **options):
        held.append(root)
        return real_lock(root, **options)

    monkeypatch.setattr(lock, "show_lock", recording_lock)
    assert cli("sync", two_items(stub_server)).code == 0
    assert held == [show.resolve()]
