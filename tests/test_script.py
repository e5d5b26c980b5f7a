"""The spoken intro: the show's template filled in from the article."""
import pytest

from articles.model import Article, Section
from audio.script import ScriptSettings, build, intro_lines

TEMPLATE = ScriptSettings().intro


@pytest.mark.parametrize("byline, site, lines", [
    ("Jane Doe", "The Harbour Gazette", ["By Jane Doe.", "From The Harbour Gazette."]),
    ("by Jane Doe", "BBC News", ["by Jane Doe.", "From BBC News."]),
    # The byline already names the site: it is not said twice.
    ("Harbour Gazette staff", "The Harbour Gazette", ["By Harbour Gazette staff."]),
    ("New Worker correspondent", "New Worker", ["By New Worker correspondent."]),
    ("BBC News", "BBC News", ["By BBC News."]),
    ("Reuters and AP staff", "AP", ["By Reuters and AP staff."]),
    # Only whole words count.
    ("Apple Smith", "AP", ["By Apple Smith.", "From AP."]),
    ("Gazetteer staff", "Gazette", ["By Gazetteer staff.", "From Gazette."]),
    (None, "The Harbour Gazette", ["From The Harbour Gazette."]),
    ("Jane Doe", None, ["By Jane Doe."]),
    (None, None, []),
])
def test_intro_names_title_byline_and_site(byline, site, lines):
    article = Article(title="Ferry times change", sections=(), byline=byline, site=site)
    assert intro_lines(article, TEMPLATE) == ["Ferry times change.", *lines]


def test_the_site_is_kept_where_the_template_has_no_byline():
    article = Article(title="Ferry", sections=(), byline="Harbour Gazette staff", site="The Harbour Gazette")
    assert intro_lines(article, "{title}. {site}.") == ["Ferry.", "From The Harbour Gazette."]


def test_the_intro_ends_with_the_section_pause():
    article = Article(title="Ferry", sections=(Section(None, ("It sails.",)),), byline="Gazette staff",
                      site="Gazette")
    cues = build(article).cues
    assert [c.text for c in cues] == ["Ferry.", "By Gazette staff.", "It sails."]
    assert cues[1].pause_after == ScriptSettings().pauses.section


def test_a_long_quotation_cut_where_its_sentences_end_pauses_as_between_sentences():
    quoted = ('"We waited for the whole of the long afternoon in the square near the old station, then we '
              'walked home. Nobody had told us anything at all about the delay," she said.')
    article = Article(title="Delays", sections=(Section(None, (quoted,)),))
    cues = build(article, ScriptSettings(intro="", max_chars=110)).cues
    assert [cue.text[-12:] for cue in cues] == ["walked home.", '," she said.']
    assert cues[0].pause_after == 0.3
