"""Speaking rate: native for engines that have it (the fake engine, like piper), a pitch-preserving stretch
after the cache for engines that do not (like gtts); from --speed on render and add, and [voice] speed."""
from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

import pytest

from audio import engines
from audio.engines.base import EngineSettings
from audio.engines.fake import FakeEngine
from papercast.catalog import Catalog


class StretchedFakeEngine(FakeEngine):
    """The fake engine as an engine without native speed: it always speaks at its one rate."""

    name = "stretched-fake"
    native_speed = False

    def synthesize(self, text):
        return FakeEngine(replace(self.settings, speed=1.0)).synthesize(text)


@pytest.fixture
def stretched_engine(monkeypatch):
    found = engines._entry_points()
    entry = SimpleNamespace(name=StretchedFakeEngine.name, load=lambda: StretchedFakeEngine)
    monkeypatch.setattr(engines, "_entry_points", lambda: {**found, StretchedFakeEngine.name: entry})


def use_engine(show, name):
    config = show / "papercast.toml"
    config.write_text(config.read_text().replace('engine = "fake"', f'engine = "{name}"'))


def speech_seconds(show, episode=1, after=0):
    """Seconds of speech in an episode: the durations of its captions after the first `after`."""
    with Catalog(show / "papercast.db") as catalog:
        captions = json.loads(catalog.get(episode).timeline)["captions"]
    return sum(end - start for start, end, _ in captions[after:])


def takes_on_disk(show):
    return len(list((show / "cache" / "takes").rglob("*.wav")))


@pytest.mark.parametrize("engine", ["fake", "stretched-fake"])
def test_render_speed_1_25_speaks_in_four_fifths_of_the_time(show, article, cli, stretched_engine, engine):
    use_engine(show, engine)
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    normal = speech_seconds(show)
    result = cli("render", "--force", "--speed", "1.25", "1")
    assert result.code == 0, result.err
    assert speech_seconds(show) / normal == pytest.approx(0.8, abs=0.03)


def test_native_speed_synthesises_again_and_caches_each_speed_apart(show, article, cli):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    cached = takes_on_disk(show)
    FakeEngine.calls.clear()
    assert cli("render", "--force", "--speed", "1.25", "1").code == 0
    assert len(FakeEngine.calls) == cached  # the engine spoke every cue again, at the new rate
    assert takes_on_disk(show) == 2 * cached


def test_stretched_speed_reuses_the_cached_take_and_stretches_it(show, article, cli, stretched_engine):
    use_engine(show, "stretched-fake")
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    cached = takes_on_disk(show)
    FakeEngine.calls.clear()
    assert cli("render", "--force", "--speed", "1.25", "1").code == 0
    assert FakeEngine.calls == []
    assert takes_on_disk(show) == cached


def test_fingerprint_includes_speed_only_for_native_engines():
    assert FakeEngine(EngineSettings(speed=1.0)).fingerprint() != FakeEngine(EngineSettings(speed=1.25)).fingerprint()
    assert (StretchedFakeEngine(EngineSettings(speed=1.0)).fingerprint()
            == StretchedFakeEngine(EngineSettings(speed=1.25)).fingerprint())


def test_show_speed_setting_and_add_speed_flag(show, article, tmp_path, cli):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    normal = speech_seconds(show, after=2)  # the body: both episodes below read the same sentences
    config = show / "papercast.toml"
    config.write_text(config.read_text().replace("speed = 1.0", "speed = 1.25"))
    assert cli("render", "--force", "1").code == 0
    assert speech_seconds(show, after=2) / normal == pytest.approx(0.8, abs=0.03)

    config.write_text(config.read_text().replace("speed = 1.25", "speed = 1.0"))
    other = tmp_path / "other.txt"
    other.write_text(article.read_text().replace("Night trains", "Sleeper trains"), encoding="utf-8")
    assert cli("add", "--speed", "1.25", other).code == 0
    assert cli("render").code == 0
    assert speech_seconds(show, episode=2, after=2) / normal == pytest.approx(0.8, abs=0.03)
