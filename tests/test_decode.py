import io
import subprocess
import sys
import wave

import numpy as np
import pytest

from audio.decode import decode_pieces, decode_to_pcm, read_wav
from audio.errors import AudioError
from audio.ffmpeg import ffmpeg_path
from pcm_signals import RATE, dominant_frequency, tone


def test_decode_wav_resamples_to_mono_at_requested_rate():
    stereo_wav = _wav(np.repeat(np.frombuffer(tone(440, 1.0, 44100).data, "<i2"), 2), 44100, 2)
    chunk = decode_to_pcm(stereo_wav, rate=22050)
    assert (chunk.rate, chunk.width, chunk.channels) == (22050, 2, 1)
    assert chunk.duration == pytest.approx(1.0, abs=0.01)
    assert dominant_frequency(chunk) == pytest.approx(440, abs=5)


def test_decode_keeps_source_rate_when_none_requested():
    chunk = decode_to_pcm(_wav(np.frombuffer(tone(440, 0.5, 16000).data, "<i2"), 16000, 1))
    assert chunk.rate == 16000


def test_decode_rejects_garbage_with_audio_error():
    with pytest.raises(AudioError, match="ffmpeg could not decode"):
        decode_to_pcm(b"this is not audio at all" * 10)


def test_read_wav_accepts_streamed_placeholder_sizes():
    pcm = tone(440, 0.25).data
    streamed = bytearray(_wav(np.frombuffer(pcm, "<i2"), RATE, 1))
    streamed[4:8] = b"\xff\xff\xff\xff"
    streamed[40:44] = b"\xff\xff\xff\xff"
    chunk = read_wav(bytes(streamed))
    assert chunk.data == pcm


def _wav(samples: np.ndarray, rate: int, channels: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


def _mp3(samples: np.ndarray, rate: int, channels: int = 1) -> bytes:
    command = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar", str(rate),
               "-ac", str(channels), "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", "pipe:1"]
    return subprocess.run(command, input=samples.astype("<i2").tobytes(), capture_output=True, check=True).stdout


def test_pieces_are_decoded_one_by_one_and_joined_as_ffmpeg_would_decode_each():
    loud = _mp3(np.frombuffer(tone(440, 0.5, 24000).data, "<i2"), 24000)
    quiet = _mp3(np.zeros(12000), 24000)
    chunk = decode_pieces([loud, quiet, loud])
    expected = [np.frombuffer(decode_to_pcm(piece).data, "<i2") for piece in (loud, quiet, loud)]
    assert (chunk.rate, chunk.width, chunk.channels) == (24000, 2, 1)
    samples = np.frombuffer(chunk.data, "<i2").astype(int)
    assert len(samples) == sum(map(len, expected))
    assert np.abs(samples - np.concatenate(expected)).max() <= 1  # the same decoder but for rounding
    middle = slice(len(expected[0]) + 2000, len(expected[0]) + len(expected[1]) - 2000)
    assert np.abs(samples[middle]).max() < 50 < np.abs(samples[:len(expected[0])]).max()


def test_pieces_in_stereo_are_downmixed():
    left = np.frombuffer(tone(440, 0.5, 24000).data, "<i2").astype(int)
    stereo = _mp3(np.stack([left, np.zeros_like(left)], axis=1).reshape(-1), 24000, channels=2)
    chunk = decode_pieces([stereo])
    assert chunk.channels == 1
    assert dominant_frequency(chunk) == pytest.approx(440, abs=5)


def test_pieces_go_to_ffmpeg_when_soundfile_cannot_read_them(monkeypatch):
    loud = _mp3(np.frombuffer(tone(440, 0.5, 24000).data, "<i2"), 24000)
    read_here = decode_pieces([loud, loud])
    monkeypatch.setitem(sys.modules, "soundfile", None)  # as on a machine without it: ImportError
    by_ffmpeg = decode_pieces([loud, loud])
    assert by_ffmpeg.rate == 24000 and by_ffmpeg.duration == pytest.approx(read_here.duration, abs=0.1)
    with pytest.raises(AudioError, match="ffmpeg could not decode"):
        decode_pieces([b"this is not audio at all" * 10])
