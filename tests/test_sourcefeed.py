import pytest

from articles.errors import ArticleError
from articles.fetch import fetch
from articles.sourcefeed import FeedItem, item_article, read_feed
from httpstub import stub_server  # noqa: F401 (pytest fixture)

SENTENCES = [
    "The harbour town woke early on Monday, as it has for three hundred years, to the sound of gulls.",
    "Fishermen say the catch has been thinner each spring, and few of their children plan to follow them.",
    "The council has promised a study of the bay, though nobody expects the report before next winter.",
    "Meanwhile the old market hall is being turned into flats, a change most residents quietly welcome.",
]
FULL_HTML = "".join(f"<p>{s} {s}</p>" for s in SENTENCES * 3)  # about 2,300 characters
PAGE = ("<html lang='en'><head><title>Harbour page</title></head><body><article><h1>Harbour page</h1>"
        + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</article></body></html>")


def rss(items: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Gazette</title>'
            f'<link>https://gazette.example/</link>{items}</channel></rss>')


def item(content: str | None = None, description: str = "Short teaser about the harbour.") -> str:
    encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return ("<item><title>Harbour</title><link>/2024/harbour</link><guid>tag:gazette,1</guid>"
            "<dc:creator>Ada Lovelace</dc:creator><pubDate>Tue, 05 Mar 2024 06:00:00 +0100</pubDate>"
            f"<description>{description}</description>{encoded}</item>")


def test_reads_item_fields_and_resolves_relative_links():
    [entry] = read_feed(rss(item(FULL_HTML)), "https://gazette.example/feed.xml")
    assert entry.guid == "tag:gazette,1"
    assert entry.link == "https://gazette.example/2024/harbour"
    assert entry.title == "Harbour"
    assert entry.author == "Ada Lovelace"
    assert entry.published == "2024-03-05T05:00:00+00:00"
    assert entry.content_html is not None and SENTENCES[0] in entry.content_html


def test_reads_atom():
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>G</title>'
            '<entry><id>urn:1</id><title>Harbour</title><link href="https://g.example/a"/>'
            '<updated>2024-03-05T06:00:00Z</updated><author><name>Ada</name></author>'
            f'<content type="html"><![CDATA[{FULL_HTML}]]></content></entry></feed>')
    [entry] = read_feed(atom, None)
    assert (entry.guid, entry.link, entry.author) == ("urn:1", "https://g.example/a", "Ada")
    assert entry.content_html is not None


def test_a_short_teaser_is_not_taken_for_the_article():
    [entry] = read_feed(rss(item("<p>The harbour town woke early. Continue reading…</p>")), None)
    assert entry.content_html is None


def test_a_long_excerpt_ending_in_read_more_is_not_complete():
    [entry] = read_feed(rss(item(FULL_HTML + '<p><a href="/x">Read more</a></p>')), None)
    assert entry.content_html is None


def test_content_clearly_longer_than_its_description_is_complete_even_if_short():
    content = "".join(f"<p>{s}</p>" for s in SENTENCES)  # about 400 characters
    [entry] = read_feed(rss(item(content, description="Harbour news.")), None)
    assert entry.content_html == content


def test_item_article_uses_the_feeds_content_and_metadata():
    [entry] = read_feed(rss(item(FULL_HTML)), "https://gazette.example/feed.xml")

    def must_not_fetch(url):
        raise AssertionError(f"fetched {url}")

    article = item_article(entry, must_not_fetch)
    assert article.title == "Harbour"
    assert article.byline == "Ada Lovelace"
    assert article.date == "2024-03-05"
    assert article.paragraphs[0].startswith(SENTENCES[0])


def test_item_article_fetches_the_page_when_the_feed_has_a_teaser(stub_server):
    stub_server.route("/2024/harbour", body=PAGE)
    [entry] = read_feed(rss(item()), stub_server.url("/feed.xml"))
    article = item_article(entry, lambda url: fetch(url, retry_waits=()))
    assert article.paragraphs == SENTENCES
    assert article.title == "Harbour"
    assert article.url == stub_server.url("/2024/harbour")


def test_item_without_content_or_link_is_refused():
    with pytest.raises(ArticleError, match="neither full text nor a link"):
        item_article(FeedItem("g", None, "T", None, None, None), fetch)


BILLION_LAUGHS = '''<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rss version="2.0"><channel><title>&c;</title><item><title>&c;</title><link>https://x/</link></item></channel></rss>'''


def test_entity_expansion_is_refused_before_parsing():
    with pytest.raises(ArticleError, match="declares XML entities"):
        read_feed(BILLION_LAUGHS, None)


def test_external_entities_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<rss version="2.0"><channel><title>t</title><item><title>&x;</title></item></channel></rss>')
    with pytest.raises(ArticleError, match="declares XML entities"):
        read_feed(xxe, None)


def test_text_that_looks_like_a_path_is_parsed_not_opened(tmp_path):
    secret = tmp_path / "feed.xml"
    secret.write_text(rss(item(FULL_HTML)))
    with pytest.raises(ArticleError, match="not a readable RSS or Atom feed"):
        read_feed(str(secret), None)
