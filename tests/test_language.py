"""An article's language: declared, or guessed from long enough text; and a voice that speaks it."""
from __future__ import annotations

import json

import pytest

GERMAN = ("Der Nachtzug fährt wieder\n\n"
          + "Nach zehn Jahren fährt der Nachtzug wieder zwischen Zürich und Wien, und die Fahrgäste sind "
            "froh darüber. Die Betreiber sagen, dass die Nachfrage sich seit dem letzten Jahr verdoppelt hat "
            "und dass auch im Winter fast alle Plätze verkauft sind. Das ist nicht nur eine Frage des "
            "Preises, sondern auch der Ruhe auf der Reise mit dem Zug.\n")


@pytest.fixture
def german(tmp_path):
    path = tmp_path / "nachtzug.txt"
    path.write_text(GERMAN, encoding="utf-8")
    return path


def language_of(cli, path) -> str:
    result = cli("text", "--json", path)
    assert result.code == 0, result.err
    return json.loads(result.out)["language"]


def test_plain_text_without_a_language_is_recognised_when_long_enough(cli, german):
    assert language_of(cli, german) == "de"


def test_short_text_is_not_guessed_at(cli, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("Der Zug\n\nDer Zug ist nicht da und die Leute sind auf dem Weg.\n", encoding="utf-8")
    assert language_of(cli, short) == "en"


def test_markdown_declared_language_wins_and_undeclared_is_guessed(cli, tmp_path):
    body = GERMAN.split("\n\n", 1)[1]
    declared = tmp_path / "declared.md"
    declared.write_text(f"---\ntitle: Zug\nlanguage: fr\n---\n\n{body}", encoding="utf-8")
    undeclared = tmp_path / "undeclared.md"
    undeclared.write_text(f"# Zug\n\n{body}", encoding="utf-8")
    assert (language_of(cli, declared), language_of(cli, undeclared)) == ("fr", "de")


def test_web_page_language_comes_from_its_markup(cli, tmp_path):
    page = tmp_path / "page.html"
    paragraphs = ("<p>The night train runs again between Zurich and Vienna, and travellers are glad of it.</p>"
                  "<p>Operators say demand has doubled since last year across most of the routes they run.</p>")
    page.write_text("<html lang='nl-BE'><head><title>Trein</title></head><body><article><h1>Trein</h1>"
                    f"{paragraphs * 3}</article></body></html>", encoding="utf-8")
    assert language_of(cli, page) == "nl"


def test_an_article_no_voice_speaks_fails_naming_the_mapping_to_add(show, cli, german):
    assert cli("add", german).code == 0
    result = cli("render")
    assert result.code == 1
    assert result.err == ('error: episode 1 failed: the article is in German (de) but voice tone speaks English: '
                          'add `languages = { de = "fake:tone-de" }` under [voice] in papercast.toml\n')
    assert json.loads(cli("list", "--json").out)[0]["status"] == "failed"


def test_the_languages_map_chooses_the_voice(show, cli, german):
    config = show / "papercast.toml"
    config.write_text(config.read_text().replace('# languages = { de = "gtts:de" }',
                                                 'languages = { de = "fake:tone-de" }'))
    assert cli("add", german).code == 0
    result = cli("render")
    assert result.code == 0, result.err
    assert json.loads(cli("list", "--json").out)[0]["voice"] == "fake/tone-de"


def test_a_voice_chosen_for_the_article_is_trusted(show, cli, german):
    assert cli("add", german, "--voice", "tone").code == 0
    result = cli("render")
    assert result.code == 0, result.err
    assert json.loads(cli("list", "--json").out)[0]["voice"] == "fake/tone"


def test_english_articles_need_no_mapping(show, cli, article):
    assert cli("add", article).code == 0
    assert cli("render").code == 0


def test_a_language_no_engine_speaks_says_to_install_a_voice(show, cli, tmp_path):
    yoruba = tmp_path / "yoruba.md"
    yoruba.write_text("---\nlanguage: yo\n---\n\nỌkọ̀ ojú irin alẹ́ ti padà.\n", encoding="utf-8")
    assert cli("add", yoruba).code == 0
    result = cli("render")
    assert result.code == 1
    assert result.err == ("error: episode 1 failed: the article is in Yoruba (yo) but voice tone speaks English, "
                          "and no engine here has a voice for Yoruba: install one, then add "
                          '`languages = { yo = "engine:voice" }` under [voice] in papercast.toml '
                          "(see `papercast voices`)\n")
