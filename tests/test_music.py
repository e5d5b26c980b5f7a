"""Intro and outro music, with generated tones: the fake engine speaks at 200–600 Hz, the intro music is a
1 kHz tone and the outro a 1.5 kHz one, so each can be measured in the finished MP3 on its own."""
from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from audio.decode import decode_to_pcm
from audio.ffmpeg import ffmpeg_path
from audio.measure import loudness_and_true_peak
from audio.music import FADE_OUT_SECONDS, LEAD_SECONDS
from papercast.catalog import Catalog

INTRO_HZ, OUTRO_HZ = 1000, 1500
EPISODE = "output/episodes/night-trains-return-to-the-alps.mp3"


def make_tone(path, frequency, seconds):
    subprocess.run([ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", f"sine=frequency={frequency}:duration={seconds}", "-ac", "2", str(path)], check=True)


def set_music(show, intro="", outro=""):
    config = show / "papercast.toml"
    text = config.read_text()
    assert 'music = ""' in text and 'outro_music = ""' in text
    config.write_text(text.replace('\nmusic = ""', f'\nmusic = "{intro}"')
                      .replace('outro_music = ""', f'outro_music = "{outro}"'))


def timeline(show):
    with Catalog(show / "papercast.db") as catalog:
        return json.loads(catalog.get(1).timeline)


def decoded(show):
    chunk = decode_to_pcm((show / EPISODE).read_bytes())
    return np.frombuffer(chunk.data, "<i2").astype(float) / 32768.0, chunk.rate


def tone_db(samples, rate, frequency, start, end):
    """Level (dBFS amplitude) of one frequency between two times, by correlation with it."""
    part = samples[int(start * rate):int(end * rate)]
    window = np.hanning(len(part))
    t = np.arange(len(part)) / rate
    amplitude = 2 * abs(np.sum(part * window * np.exp(-2j * np.pi * frequency * t))) / window.sum()
    return 20 * np.log10(max(amplitude, 1e-9))


def band_rms_db(samples, rate, low, high, start, end):
    part = samples[int(start * rate):int(end * rate)]
    spectrum = np.fft.rfft(part * np.hanning(len(part)))
    freqs = np.fft.rfftfreq(len(part), 1 / rate)
    energy = np.sum(np.abs(spectrum[(freqs >= low) & (freqs <= high)]) ** 2)
    return 10 * np.log10(max(energy, 1e-12))


@pytest.fixture
def with_music(show, article, cli):
    make_tone(show / "jingle.mp3", INTRO_HZ, 12)
    make_tone(show / "outro.flac", OUTRO_HZ, 4)
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    without = timeline(show)
    set_music(show, "jingle.mp3", "outro.flac")
    result = cli("render", "--force", "1")
    assert result.code == 0, result.err
    return show, without, timeline(show)


def test_intro_music_plays_alone_then_speech_starts_where_the_timeline_says(with_music):
    show, without, mixed = with_music
    samples, rate = decoded(show)
    first_word = mixed["captions"][0][0]
    assert first_word == pytest.approx(without["captions"][0][0] + LEAD_SECONDS, abs=0.002)
    assert tone_db(samples, rate, INTRO_HZ, 0.3, LEAD_SECONDS - 0.2) > -30
    speech_band = [band_rms_db(samples, rate, 180, 650, t, t + 0.05) for t in np.arange(0.0, first_word + 0.3, 0.05)]
    onset = 0.05 * next(i for i, level in enumerate(speech_band) if level > max(speech_band) - 20)
    assert onset == pytest.approx(first_word, abs=0.06)


def test_every_caption_moves_by_the_lead_in_and_chapters_follow(with_music):
    _, without, mixed = with_music
    for before, after in zip(without["captions"], mixed["captions"]):
        assert after[0] == pytest.approx(before[0] + LEAD_SECONDS, abs=0.002)
        assert after[2] == before[2]
    assert mixed["chapters"][0]["start"] == 0.0
    for before, after in zip(without["chapters"][1:], mixed["chapters"][1:]):
        assert after["start"] == pytest.approx(before["start"] + LEAD_SECONDS, abs=0.002)


def test_intro_music_ducks_under_the_spoken_intro_then_fades_out(with_music):
    show, _, mixed = with_music
    samples, rate = decoded(show)
    alone = tone_db(samples, rate, INTRO_HZ, 0.3, LEAD_SECONDS - 0.2)
    first_start, first_end = mixed["captions"][0][:2]
    under = tone_db(samples, rate, INTRO_HZ, first_start + 0.2, first_end - 0.2)
    assert under - alone == pytest.approx(-18, abs=1.5)
    intro_end = mixed["captions"][1][1]  # "By Travel desk.", the spoken intro's last line
    after_fade = tone_db(samples, rate, INTRO_HZ, intro_end + FADE_OUT_SECONDS + 0.1, intro_end + FADE_OUT_SECONDS + 0.4)
    assert after_fade < alone - 50


def test_outro_music_fades_in_after_the_last_word(with_music):
    show, _, mixed = with_music
    samples, rate = decoded(show)
    last_start, last_end = mixed["captions"][-1][:2]
    assert tone_db(samples, rate, OUTRO_HZ, last_start, last_end - 0.05) < -60
    assert tone_db(samples, rate, OUTRO_HZ, last_end + 1.6, last_end + 2.4) > -30
    assert len(samples) / rate >= last_end + 3.5  # the outro is heard to its end


def test_the_mix_is_mastered_to_podcast_loudness(with_music):
    show, _, _ = with_music
    integrated, true_peak = loudness_and_true_peak(show / EPISODE)
    assert -17.0 <= integrated <= -15.0
    assert true_peak <= -1.0


def published(show):
    return {p.relative_to(show): p.read_bytes() for p in sorted((show / "output").rglob("*")) if p.is_file()}


@pytest.mark.parametrize("setting, make, message", [
    ("jingle.ogg", lambda path: path.write_text("not audio at all"),
     "intro music jingle.ogg cannot be read: give a WAV, FLAC or MP3 file"),
    ("jingle.mp3", lambda path: None,
     "intro music jingle.mp3 is not in the show folder: put it beside papercast.toml or correct the [intro] setting"),
])
def test_unreadable_music_is_one_line_and_leaves_the_published_show_alone(show, article, cli, setting, make,
                                                                         message):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    before = published(show)
    make(show / setting)
    set_music(show, setting)
    result = cli("-q", "render", "--force", "1")
    assert result.code == 1
    assert result.err == f"error: episode 1 failed: {message}\n"
    assert published(show) == before


def test_unreadable_outro_music_is_named_as_outro(show, article, cli):
    (show / "end.wav").write_bytes(b"RIFF0000WAVEjunk")
    set_music(show, outro="end.wav")
    assert cli("add", article).code == 0
    result = cli("-q", "render")
    assert result.code == 1
    assert result.err == "error: episode 1 failed: outro music end.wav cannot be read: give a WAV, FLAC or MP3 file\n"


def test_music_longer_than_a_jingle_is_refused(show, article, cli):
    make_tone(show / "album.mp3", INTRO_HZ, 61)
    set_music(show, "album.mp3")
    assert cli("add", article).code == 0
    result = cli("-q", "render")
    assert result.code == 1
    assert result.err == "error: episode 1 failed: intro music album.mp3 is 61 seconds long: give a clip of at most 60 seconds\n"
