import math

import numpy as np
import pytest

from audio.chunk import AudioChunk
from audio.errors import AudioError
from audio.stretch import atempo_chain, stretch
from pcm_signals import RATE, dominant_frequency, tone


def test_speed_one_returns_the_same_chunk():
    chunk = tone(440, 0.5)
    assert stretch(chunk, 1.0) is chunk


@pytest.mark.parametrize("speed", [0.8, 1.25, 1.5])
def test_stretch_changes_duration_and_keeps_pitch(speed):
    chunk = tone(440, 2.0)
    faster = stretch(chunk, speed)
    assert (faster.rate, faster.width, faster.channels) == (RATE, 2, 1)
    assert faster.duration == pytest.approx(2.0 / speed, rel=0.03)
    assert dominant_frequency(faster) == pytest.approx(440, abs=5)


@pytest.mark.parametrize("speed", [3.0, 4.5, 0.3, 0.2])
def test_chain_stays_within_atempo_range_and_multiplies_to_speed(speed):
    steps = atempo_chain(speed)
    assert all(0.5 <= step <= 2.0 for step in steps)
    assert math.prod(steps) == pytest.approx(speed)


def test_large_factor_is_chained():
    chunk = tone(300, 4.0)
    quick = stretch(chunk, 4.0)
    assert quick.duration == pytest.approx(1.0, rel=0.05)
    assert dominant_frequency(quick) == pytest.approx(300, abs=5)


def test_stereo_stays_stereo():
    mono = np.frombuffer(tone(440, 1.0).data, "<i2")
    stereo = AudioChunk(RATE, 2, 2, np.repeat(mono, 2).tobytes())
    result = stretch(stereo, 2.0)
    assert result.channels == 2
    assert result.duration == pytest.approx(0.5, rel=0.05)


def test_non_positive_speed_is_an_error_that_names_the_fix():
    with pytest.raises(AudioError, match="speed must be above 0"):
        stretch(tone(440, 0.2), 0)
