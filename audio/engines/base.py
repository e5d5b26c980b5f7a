"""The engine contract: one small class per text-to-speech engine, found through entry points."""
from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import ClassVar, Iterator

from audio.chunk import AudioChunk


@dataclass(frozen=True)
class Voice:
    engine: str
    name: str
    language: str  # BCP 47 primary tag or tag with region, e.g. "en" or "en-US"
    description: str = ""


@dataclass(frozen=True)
class EngineSettings:
    """What one render asks of an engine. Part of every take's cache key."""

    voice: str | None = None  # None: the engine's default voice
    speed: float = 1.0  # > 1 speaks faster
    language: str = "en"
    options: dict = field(default_factory=dict)  # engine-specific, e.g. {"tld": "co.uk"} for gtts


class Engine(ABC):
    name: ClassVar[str]
    default_voice: ClassVar[str]
    # Engines that honour EngineSettings.speed themselves; for the others the pipeline time-stretches.
    native_speed: ClassVar[bool] = False
    # How many synthesize() calls may run at once; online engines overlap their network waits.
    concurrency: ClassVar[int] = 1
    # Engines that read piper's inline IPA blocks, "[[ təmˈɑːtoʊ ]]", so the lexicon may hand them phonemes.
    phonemes: bool = False
    # Options that change how the engine works but not how a take sounds (e.g. requests at once): left
    # out of the cache key, so that changing them keeps every cached take.
    unheard_options: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, settings: EngineSettings):
        self.settings = settings
        self.voice = settings.voice or self.default_voice

    @classmethod
    @abstractmethod
    def available(cls) -> tuple[bool, str]:
        """(True, "") when the engine can synthesise here, else (False, how to make it available)."""

    @classmethod
    @abstractmethod
    def voices(cls) -> list[Voice]:
        """The voices this engine offers (may be empty when unavailable)."""

    @abstractmethod
    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        """Speak `text`; yields PCM chunks of one format."""

    def prepare(self, takes: int) -> None:
        """Called when a render will synthesise `takes` takes (those not in the cache): an engine with a
        model to load may start loading it in the background. Failures belong to synthesize()."""

    def version(self) -> str:
        """Changes whenever the same text would sound different (model or library upgrade)."""
        return "1"

    def fingerprint(self) -> str:
        """Identity of everything that shapes a take except its text: the cache key's other half."""
        identity = {
            "engine": self.name,
            "version": self.version(),
            "voice": self.voice,
            "settings": asdict(self.settings) | {"voice": self.voice},
        }
        identity["settings"]["options"] = {name: value for name, value in self.settings.options.items()
                                           if name not in self.unheard_options}
        if not self.native_speed:
            identity["settings"].pop("speed")  # the pipeline stretches after the cache
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
