"""An engine that fails for good mid-render: the render stops and keeps its takes, or `--fallback` finishes it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar, Iterator

import pytest

from audio import engines
from audio.chunk import AudioChunk
from audio.engines.fake import FakeEngine
from audio.errors import AudioError


class QuotaEngine(FakeEngine):
    """Speaks like the fake engine until its quota is used up, then fails the way an online engine does."""

    name = "quota"
    default_voice = "quota-tone"
    quota: ClassVar[int] = 0
    spoken: ClassVar[list[str]] = []

    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        if QuotaEngine.quota <= 0:
            raise AudioError("quota engine is out of quota: wait a day or use `--engine piper`")
        QuotaEngine.quota -= 1
        QuotaEngine.spoken.append(text)
        return super().synthesize(text)


@pytest.fixture
def quota_engine(monkeypatch, show):
    known = engines.engine_class
    monkeypatch.setattr(engines, "engine_class", lambda name: QuotaEngine if name == "quota" else known(name))
    config = show / "papercast.toml"
    config.write_text(config.read_text().replace('engine = "fake"', 'engine = "quota"'))
    QuotaEngine.spoken = []
    return QuotaEngine


def takes_in(show: Path) -> int:
    return len(list((show / "cache" / "takes").glob("*/*.wav")))


def episode(cli) -> dict:
    return json.loads(cli("list", "--json").out)[0]


def test_a_failing_engine_stops_the_render_keeps_its_takes_and_names_the_fallback(quota_engine, show, article, cli):
    quota_engine.quota = 3
    assert cli("add", article).code == 0

    result = cli("render")

    assert result.code == 1
    assert "out of quota" in result.err and "papercast render --fallback piper 1" in result.err
    assert takes_in(show) == 3  # every take spoken before the failure is kept
    assert episode(cli)["status"] == "failed"


def test_fallback_speaks_only_what_the_first_engine_could_not(quota_engine, show, article, cli):
    quota_engine.quota = 3
    assert cli("add", article).code == 0
    assert cli("render").code == 1
    first_takes = list(quota_engine.spoken)
    FakeEngine.calls.clear()

    result = cli("render", "--fallback", "fake", "1")

    assert result.code == 0, result.err
    cues = cli("text", "--spoken", article).out.splitlines()
    # The quota engine's three cached takes are used as they are; the fallback speaks every other cue.
    assert len(FakeEngine.calls) == len(cues) - len(first_takes)
    assert not set(FakeEngine.calls) & set(first_takes)
    row = episode(cli)
    assert row["status"] == "rendered"
    assert row["voice"] == "quota/quota-tone + fake/tone"


def test_an_engine_that_never_fails_is_the_only_voice_named(quota_engine, show, article, cli):
    quota_engine.quota = 1000
    assert cli("add", article).code == 0
    assert cli("render", "--fallback", "fake").code == 0
    assert FakeEngine.calls == quota_engine.spoken  # the fake engine's own list: only the quota engine spoke
    assert episode(cli)["voice"] == "quota/quota-tone"


def test_an_unknown_fallback_engine_is_refused_with_the_choices(quota_engine, show, article, cli):
    quota_engine.quota = 1000
    assert cli("add", article).code == 0
    result = cli("render", "--fallback", "nosuch")
    assert result.code == 1
    assert "unknown engine 'nosuch'" in result.err and "fake" in result.err


def german(tmp_path) -> Path:
    path = tmp_path / "nachtzug.md"
    path.write_text("---\ntitle: Nachtzüge kehren zurück\nlanguage: de\n---\n\nDer erste Zug fuhr am Sonntag. "
                    "Er war voll.\n\nDie Nachfrage hat sich verdoppelt.\n", encoding="utf-8")
    return path


def test_the_fallback_reads_with_its_voice_for_the_articles_language(quota_engine, show, tmp_path, cli,
                                                                      monkeypatch):
    quota_engine.quota = 2
    monkeypatch.setattr(QuotaEngine, "voices", classmethod(lambda cls: [engines.Voice("quota", "quota-de", "de", "")]))
    config = show / "papercast.toml"
    config.write_text(config.read_text().replace("[voice]", '[voice]\nlanguages = { de = "quota:quota-de" }'))
    assert cli("add", german(tmp_path)).code == 0

    result = cli("render", "--fallback", "fake")

    assert result.code == 0, result.err
    assert episode(cli)["voice"] == "quota/quota-de + fake/tone-de"  # not the fake engine's English default


def test_a_fallback_without_a_voice_for_the_language_is_refused_before_anything_is_spoken(quota_engine, show,
                                                                                          tmp_path, cli,
                                                                                          monkeypatch):
    quota_engine.quota = 1000
    monkeypatch.setattr(QuotaEngine, "voices", classmethod(lambda cls: [engines.Voice("quota", "quota-fr", "fr", "")]))
    path = german(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("language: de", "language: fr"), encoding="utf-8")
    config = show / "papercast.toml"
    config.write_text(config.read_text().replace("[voice]", '[voice]\nlanguages = { fr = "quota:quota-fr" }'))
    assert cli("add", path).code == 0

    result = cli("render", "--fallback", "fake")

    assert result.code == 1
    assert result.err == ("error: episode 1 failed: the fallback engine fake has no voice for French (fr): "
                          "name another with --fallback (see `papercast voices`)\n")
    assert quota_engine.spoken == []
