"""Encoding the mastered PCM: the true peak is measured on the MP3 itself, while it is written."""
from __future__ import annotations

import numpy as np
import pytest

from audio.chunk import Format
from audio.errors import AudioError
from audio.export import EncodeSettings, encode_mp3, encode_within_true_peak
from audio.measure import loudness_and_true_peak

RATE = 22050


@pytest.fixture
def speechlike_pcm(tmp_path):
    # Bursts of a harmonic-rich tone with sharp onsets: the codec overshoots on them as on plosives.
    rng = np.random.default_rng(7)
    t = np.arange(RATE * 12) / RATE
    signal = sum(np.sin(2 * np.pi * f * t + rng.random() * 6) / k for k, f in enumerate((180, 360, 900, 2500), 1))
    signal *= (np.sin(2 * np.pi * 1.5 * t) > 0) * 0.3
    path = tmp_path / "episode.pcm"
    path.write_bytes((signal * 32767).astype("<i2").tobytes())
    return path


@pytest.mark.parametrize("gain_db", [0.0, 4.0, 9.0])  # 9 dB drives the bursts into the limiter
def test_the_peak_measured_while_encoding_is_the_finished_files_as_ebur128_reads_it(speechlike_pcm, tmp_path,
                                                                                    gain_db):
    out = tmp_path / "episode.mp3"
    measured = encode_mp3(speechlike_pcm, Format(RATE), gain_db, 1.0, out, EncodeSettings(ceiling_db=0.0))
    # ebur128 prints tenths of a dB
    assert measured == pytest.approx(loudness_and_true_peak(out)[1], abs=0.1)


def test_an_encode_past_the_true_peak_maximum_is_done_again_with_less_gain(speechlike_pcm, tmp_path):
    out = tmp_path / "episode.mp3"
    strict = EncodeSettings(ceiling_db=0.0, max_true_peak_db=-6.0)  # the bursts peak near -4 dBTP
    assert encode_mp3(speechlike_pcm, Format(RATE), 0.0, 1.0, out, strict) > -6.0
    encode_within_true_peak(speechlike_pcm, Format(RATE), 0.0, 1.0, out, strict)
    assert loudness_and_true_peak(out)[1] <= -6.0


def test_an_encoder_failure_names_the_fix(speechlike_pcm, tmp_path):
    with pytest.raises(AudioError, match=r"^ffmpeg could not encode the episode \(.+\): check free disk space "
                                         r"and the bitrate setting$"):
        encode_mp3(speechlike_pcm, Format(RATE), 0.0, 1.0, tmp_path / "episode.mp3", EncodeSettings(bitrate="-5k"))


@pytest.mark.parametrize("peak", [1.0, 0.05], ids=["limited", "under the ceiling: no limiter"])
def test_the_encoder_leaves_every_sound_where_the_timeline_puts_it(tmp_path, peak):
    import subprocess

    from audio.ffmpeg import ffmpeg_path

    samples = np.zeros(RATE * 3)
    samples[RATE] = 0.5  # a click at exactly 1 s; a lookahead limiter left uncompensated moves it 5 ms
    pcm = tmp_path / "click.pcm"
    pcm.write_bytes((samples * 32767).astype("<i2").tobytes())
    out = tmp_path / "click.mp3"
    encode_mp3(pcm, Format(RATE), 0.0, peak, out, EncodeSettings())
    decoded = subprocess.run([ffmpeg_path(), "-v", "error", "-i", str(out), "-f", "f32le", "-ac", "1", "-"],
                             capture_output=True, check=True).stdout
    heard = np.abs(np.frombuffer(decoded, dtype="<f4"))
    assert np.argmax(heard) / 44100 == pytest.approx(1.0, abs=0.0005)


def test_what_the_codec_does_to_the_level_is_measured_once_per_setting_and_remembered(tmp_path, monkeypatch):
    import audio.export
    from audio.export import codec_gain_db, measure_codec_gain

    measured = []
    monkeypatch.setattr(audio.export, "measure_codec_gain",
                        lambda fmt, settings: measured.append(settings.bitrate) or measure_codec_gain(fmt, settings))
    store = tmp_path / "cache" / "codec.json"
    low = codec_gain_db(Format(RATE), EncodeSettings(bitrate="64k"), store)
    assert codec_gain_db(Format(RATE), EncodeSettings(bitrate="64k"), store) == low
    high = codec_gain_db(Format(RATE), EncodeSettings(bitrate="320k"), store)
    assert measured == ["64k", "320k"]
    # LAME scales its input by 0.95 at 128 kb/s and below, and not at 320 kb/s.
    assert low == pytest.approx(20 * np.log10(0.95), abs=0.02) and high == pytest.approx(0.0, abs=0.02)

    store.write_text('{"cut sh')  # a file a crash cut short is measured again, not trusted
    assert codec_gain_db(Format(RATE), EncodeSettings(bitrate="64k"), store) == low
    assert measured == ["64k", "320k", "64k"]


def test_a_codec_that_cannot_encode_the_test_tone_names_the_setting_to_fix():
    from audio.export import measure_codec_gain

    with pytest.raises(AudioError, match=r"^ffmpeg could not encode a test tone \(.+\): check the bitrate and "
                                         r"sample_rate under \[audio\] in papercast.toml$"):
        measure_codec_gain(Format(RATE), EncodeSettings(bitrate="-5k"))
