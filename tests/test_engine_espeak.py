import shutil

import pytest

from audio.engines import EngineSettings, create
from audio.engines.espeak import MISSING, EspeakEngine, parse_voices
from audio.errors import AudioError

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason=MISSING)

LISTING = """Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  af              --/M      Afrikaans          gmw/af
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 5  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  yue             --/M      Chinese_(Cantonese) sit/yue              (zh-yue 5)(zh 8)
 5  yue             --/M      Chinese_(Cantonese_jyutping) sit/yue-Latn-jyutping
"""


def speak(text: str, **settings):
    return list(EspeakEngine(EngineSettings(**settings)).synthesize(text))


def test_voice_listing_is_parsed_into_unique_voices():
    voices = parse_voices(LISTING)
    assert [v.name for v in voices] == ["af", "en-gb", "en-us", "yue"]
    assert voices[1].description == "English (Great Britain) (M)"
    assert {v.engine for v in voices} == {"espeak"}


def test_missing_program_makes_the_engine_unavailable_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert EspeakEngine.available() == (False, "espeak-ng is not installed: apt-get install espeak-ng")
    assert EspeakEngine.voices() == []
    with pytest.raises(AudioError, match="apt-get install espeak-ng"):
        create("espeak", EngineSettings())


def test_options_are_refused():
    with pytest.raises(AudioError, match="espeak takes no options"):
        EspeakEngine(EngineSettings(options={"tld": "co.uk"}))


@needs_espeak
@pytest.mark.slow
def test_speaks_16_bit_mono_pcm_of_sensible_length():
    [chunk] = speak("The quick brown fox jumps over the lazy dog.")
    assert (chunk.rate, chunk.width, chunk.channels) == (22050, 2, 1)
    assert 1.5 < chunk.duration < 5.0


@needs_espeak
@pytest.mark.slow
def test_speed_is_native_through_words_per_minute():
    text = "Speed changes the words per minute, not the pitch."
    [normal], [faster] = speak(text), speak(text, speed=1.5)
    assert faster.duration < normal.duration * 0.8


@needs_espeak
@pytest.mark.slow
def test_text_that_looks_like_options_or_shell_is_spoken_not_run(tmp_path):
    marker = tmp_path / "ran"
    [chunk] = speak(f'--help; touch {marker} $(touch {marker}) "quoted"')
    assert chunk.duration > 1.0
    assert not marker.exists()


@needs_espeak
@pytest.mark.slow
def test_voices_come_from_the_installed_program():
    names = {v.name for v in EspeakEngine.voices()}
    assert {"en-us", "fr-fr", "de"} <= names
    assert EspeakEngine.default_voice in names
    [chunk] = speak("Déjà vu, à bientôt.", voice="fr-fr")
    assert chunk.duration > 0.5


@needs_espeak
def test_unknown_voice_is_an_error_pointing_at_the_voice_list():
    with pytest.raises(AudioError, match="espeak-ng --voices"):
        speak("hello", voice="xx-nonexistent")


@needs_espeak
def test_version_names_espeak_ng():
    assert EspeakEngine(EngineSettings()).version().startswith("eSpeak NG")
