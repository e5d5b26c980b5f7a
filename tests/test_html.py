import json

import pytest

from articles.errors import ArticleError
from articles.html import Block, extract, guess_language, merge

PARAGRAPHS = [
    "The harbour town woke early on Monday, as it has for three hundred years, to the sound of gulls.",
    "Fishermen say the catch has been thinner each spring, and few of their children plan to follow them.",
    "The council has promised a study of the bay, though nobody expects the report before next winter.",
    "Meanwhile the old market hall is being turned into flats, a change most residents quietly welcome.",
]


def page(body: str, head: str = "", lang: str | None = "en") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return (f"<!DOCTYPE html><html{lang_attr}><head><title>Harbour news | The Gazette</title>{head}</head>"
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>{body}"
            "<footer>© 2024 The Gazette. All rights reserved.</footer></body></html>")


def story(extra: str = "", heading: str = "The bay") -> str:
    first, second, third, fourth = (f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"<article><h1>A morning in the harbour</h1>{first}{second}<h2>{heading}</h2>{third}{extra}{fourth}</article>"


def test_body_is_split_into_sections_at_headings():
    article = extract(page(story()))
    assert [s.heading for s in article.sections] == [None, "The bay"]
    assert article.sections[0].paragraphs == tuple(PARAGRAPHS[:2])
    assert article.sections[1].paragraphs == tuple(PARAGRAPHS[2:])


def test_navigation_and_footer_are_not_read():
    text = extract(page(story())).text
    assert "Home" not in text and "rights reserved" not in text


def test_title_comes_from_open_graph_without_site_suffix():
    head = '<meta property="og:title" content="A morning in the harbour - The Gazette">' \
           '<meta property="og:site_name" content="The Gazette">'
    article = extract(page(story(), head))
    assert article.title == "A morning in the harbour"
    assert article.site == "The Gazette"


def test_json_ld_headline_author_and_date_win_over_meta_tags():
    linked = {"@context": "https://schema.org", "@type": "NewsArticle",
              "headline": "A morning in the harbour, in full",
              "author": [{"@type": "Person", "name": "Ada Lovelace"}, {"@type": "Person", "name": "Tom Kilburn"}],
              "datePublished": "2024-03-05T06:00:00+01:00", "publisher": {"name": "Gazette Media"}}
    head = ('<meta property="og:title" content="Short title">'
            '<meta name="author" content="Somebody Else">'
            f'<script type="application/ld+json"><![CDATA[{json.dumps(linked)}]]></script>')
    article = extract(page(story(), head))
    assert article.title == "A morning in the harbour, in full"
    assert article.byline == "Ada Lovelace and Tom Kilburn"
    assert article.date == "2024-03-05"
    assert article.site == "Gazette Media"


def test_meta_author_drops_a_leading_by_and_ignores_profile_links():
    head = '<meta property="article:author" content="https://example.com/people/ada">' \
           '<meta name="author" content="By Ada Lovelace">'
    assert extract(page(story(), head)).byline == "Ada Lovelace"


def test_captions_credits_and_share_bars_are_dropped():
    figure = ('<figure><img src="a.jpg"><figcaption>Boats at dawn. Photo: J. Smith/Getty Images</figcaption></figure>'
              '<div class="share-tools">Share on Facebook Share on X</div>'
              '<p class="image-credit">Image credit: Reuters</p><p>Read more: Ten best harbours</p>')
    text = extract(page(story(extra=figure))).text
    assert "Boats at dawn" not in text
    assert "Share on" not in text
    assert "Reuters" not in text
    assert "Read more" not in text
    assert PARAGRAPHS[3] in text


def test_headed_fragments_after_the_story_are_dropped():
    box = "<h3>Monthly</h3><p>$7 / month</p><h3>Annual</h3><p>$70 / year</p>"
    article = extract(page(story(extra="") .replace("</article>", f"{box}</article>")))
    assert "$7" not in article.text
    assert article.paragraphs[-1] == PARAGRAPHS[3]


def test_a_sentence_styled_as_heading_becomes_a_paragraph():
    standfirst = "The town is changing faster than anyone there expected, and not everyone is happy about it."
    article = extract(page(story(heading=standfirst)))
    assert standfirst in article.paragraphs
    assert all(s.heading != standfirst for s in article.sections)


def test_language_comes_from_the_html_lang_attribute():
    assert extract(page(story(), lang="en-GB")).language == "en"


def test_language_is_guessed_when_the_page_does_not_say():
    german = "".join(
        f"<p>{s}</p>" for s in [
            "Die Stadt am Hafen ist seit dreihundert Jahren auf den Fischfang angewiesen und das merkt man auch heute.",
            "Die Fischer sagen, dass der Fang in jedem Frühjahr kleiner wird und dass ihre Kinder nicht bleiben wollen.",
            "Der Rat hat eine Studie über die Bucht versprochen, aber niemand erwartet den Bericht vor dem Winter.",
        ])
    assert extract(page(f"<article><h1>Hafen</h1>{german}</article>", lang=None)).language == "de"


def test_guess_language_falls_back_to_english_for_no_evidence():
    assert guess_language("12 34 56") == "en"


@pytest.mark.parametrize("body", [
    "",
    "<ul><li><a href='/a'>First story</a></li><li><a href='/b'>Second story</a></li></ul>",
])
def test_a_page_without_article_text_is_refused(body):
    with pytest.raises(ArticleError, match="no article text found in https://x.test/p: .*save the article as text"):
        extract(page(body), url="https://x.test/p")


def test_a_paywall_stub_is_refused():
    stub = ("<article><h1>A morning in the harbour</h1>"
            "<p>The harbour town woke early on Monday, as it has for three hundred years.</p>"
            "<p>Subscribe to continue reading. Already a subscriber? Log in.</p></article>")
    with pytest.raises(ArticleError, match="paywall"):
        extract(page(stub))


def test_url_gives_site_when_page_names_none():
    assert extract(page(story()), url="https://www.gazette.example/harbour").site == "gazette.example"


def blocks(*texts: str) -> list[Block]:
    return [Block(t) for t in texts]


RELATED = "Other columns: Why the tide matters, by Jo Bloggs, who writes about the sea every week."


def test_merge_keeps_opening_prose_only_trafilatura_found_and_drops_its_trailing_extras():
    precise = blocks(*PARAGRAPHS, RELATED)
    structured = blocks(*PARAGRAPHS[1:])  # readability missed the opening paragraph
    assert merge(precise, structured) == blocks(*PARAGRAPHS)


def test_merge_keeps_what_only_readability_found_inside_the_story():
    precise = blocks(PARAGRAPHS[0], PARAGRAPHS[2], PARAGRAPHS[3])
    structured = [Block(PARAGRAPHS[0]), Block("The bay", heading=True), *blocks(*PARAGRAPHS[1:])]
    assert merge(precise, structured) == structured


def test_merge_drops_short_non_prose_lines_only_trafilatura_found():
    precise = blocks("24 July 2015", "From the section Europe", *PARAGRAPHS)
    assert merge(precise, blocks(*PARAGRAPHS)) == blocks(*PARAGRAPHS)


def test_merge_trusts_trafilatura_when_readability_found_another_part_of_the_page():
    elsewhere = blocks("Comments are open on every story we publish, so tell us what you think today.") * 3
    assert merge(blocks(*PARAGRAPHS), elsewhere) == blocks(*PARAGRAPHS)


def test_merge_uses_readability_when_trafilatura_found_only_a_fragment():
    structured = blocks(*PARAGRAPHS, *(p.replace("The", "A") for p in PARAGRAPHS))
    assert merge(blocks(PARAGRAPHS[0]), structured) == structured


def test_a_drop_cap_stays_part_of_its_word():
    first = f'<p><span class="dropcap">T</span>{PARAGRAPHS[0][1:]}</p>'
    body = story().replace(f"<p>{PARAGRAPHS[0]}</p>", first)
    assert extract(page(body)).paragraphs[0] == PARAGRAPHS[0]
