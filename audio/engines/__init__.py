"""Engines are plugins: any installed package can add one to the `papercast.engines` entry-point group."""
from __future__ import annotations

from importlib.metadata import entry_points

from audio.engines.base import Engine, EngineSettings, Voice
from audio.errors import AudioError, EngineUnavailable

GROUP = "papercast.engines"

__all__ = ["Engine", "EngineSettings", "Voice", "engine_names", "engine_class", "create"]


def _entry_points():
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def engine_names() -> list[str]:
    return sorted(_entry_points())


def engine_class(name: str) -> type[Engine]:
    found = _entry_points().get(name)
    if found is None:
        known = ", ".join(engine_names()) or "none installed"
        raise AudioError(f"unknown engine '{name}': choose one of {known} (see `papercast voices`)")
    return found.load()


def create(name: str, settings: EngineSettings) -> Engine:
    """An engine ready to synthesise, or an AudioError that says how to make it available."""
    cls = engine_class(name)
    ok, reason = cls.available()
    if not ok:
        raise EngineUnavailable(f"engine '{name}' is not available: {reason}")
    if settings.voice is not None:
        names = {v.name for v in cls.voices()}
        if names and settings.voice not in names:
            raise AudioError(
                f"engine '{name}' has no voice '{settings.voice}': choose one of "
                f"{', '.join(sorted(names))} (see `papercast voices`)"
            )
    return cls(settings)
