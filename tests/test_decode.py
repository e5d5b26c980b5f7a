import io
import wave

import numpy as np
import pytest

from audio.decode import decode_to_pcm, read_wav
from audio.errors import AudioError
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
