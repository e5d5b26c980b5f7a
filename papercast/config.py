"""Settings: `papercast.toml` for the show, front matter for one article, flags for one run — resolved here."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlparse

from audio.export import EncodeSettings
from audio.script import Pauses
from papercast.errors import PapercastError

CONFIG_FILE = "papercast.toml"


@dataclass(frozen=True)
class ShowSettings:
    title: str = "My papercast"
    description: str = "Articles read aloud, made with papercast."
    base_url: str = ""
    author: str = ""
    email: str = ""
    language: str = "en"
    category: str = "News"
    subcategory: str = ""
    explicit: bool = False
    type: str = "episodic"
    link: str = ""
    cover: str = ""  # path of the user's cover image; empty: one is generated from the title
    output: str = "output"  # publishing root, relative to the show folder


@dataclass(frozen=True)
class VoiceSettings:
    engine: str = "piper"
    voice: str = ""  # empty: the engine's default voice
    speed: float = 1.0
    # Language → "engine:voice" (or just "voice" for the show's engine), e.g. {de = "gtts:de"}.
    languages: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # engine-specific options, e.g. {tld = "co.uk"}


@dataclass(frozen=True)
class IntroSettings:
    template: str = "{title}. {byline}. {site}."
    outro: str = ""
    # WAV, FLAC or MP3 files in the show folder: music heard alone, then under the intro; after the outro.
    music: str = ""
    outro_music: str = ""


@dataclass(frozen=True)
class AudioSettings:
    bitrate: str = "64k"
    sample_rate: int = 44100
    loudness: float = -16.0  # LUFS, integrated, as Apple Podcasts asks
    max_sentence_chars: int = 250


@dataclass(frozen=True)
class SyncSettings:
    sources: list = field(default_factory=list)  # RSS/Atom feeds whose new items `papercast sync` adds


@dataclass(frozen=True)
class Settings:
    show: ShowSettings = ShowSettings()
    voice: VoiceSettings = VoiceSettings()
    pauses: Pauses = Pauses()
    intro: IntroSettings = IntroSettings()
    audio: AudioSettings = AudioSettings()
    sync: SyncSettings = SyncSettings()

    @property
    def encode(self) -> EncodeSettings:
        return EncodeSettings(bitrate=self.audio.bitrate, sample_rate=self.audio.sample_rate)


SECTIONS = {"show": ShowSettings, "voice": VoiceSettings, "pauses": Pauses, "intro": IntroSettings,
            "audio": AudioSettings, "sync": SyncSettings}


def load(show_dir: Path) -> Settings:
    path = show_dir / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PapercastError(f"{path}: {error}: fix the TOML syntax there") from None
    except UnicodeDecodeError:
        raise PapercastError(f"{path} is not UTF-8 text: save it as UTF-8") from None
    except FileNotFoundError:
        raise PapercastError(f"{path} is missing: run `papercast init` to create a show") from None
    return from_dict(data, path)


def from_dict(data: dict, path: Path | str = CONFIG_FILE) -> Settings:
    sections = {}
    for name, values in data.items():
        cls = SECTIONS.get(name)
        if cls is None:
            raise PapercastError(f"{path}: unknown section [{name}]: use {', '.join(f'[{s}]' for s in SECTIONS)}")
        if not isinstance(values, dict):
            raise PapercastError(f"{path}: `{name}` must be a [{name}] table")
        sections[name] = build(cls, values, f"{path} [{name}]")
    settings = Settings(**sections)
    validate(settings, path)
    return settings


def build(cls, values: dict, where: str):
    known = {f.name: f for f in fields(cls)}
    for key, value in values.items():
        if key not in known:
            raise PapercastError(f"{where}: unknown setting `{key}`: use one of {', '.join(known)}")
        default = getattr(cls(), key)
        if isinstance(default, bool) != isinstance(value, bool) or (
            isinstance(default, (int, float)) and not isinstance(value, (int, float))
        ) or (isinstance(default, (str, dict, list)) and not isinstance(value, type(default))):
            raise PapercastError(f"{where}: `{key}` must be {type(default).__name__}, not {value!r}")
    return cls(**values)


def validate(settings: Settings, path: Path | str) -> None:
    url = settings.show.base_url
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise PapercastError(
                f"{path}: base_url {url!r} is not an absolute http(s) URL: set it to where output/ is "
                "published, e.g. https://example.org/podcast"
            )
    if not 0.25 <= settings.voice.speed <= 4:
        raise PapercastError(f"{path}: speed {settings.voice.speed} is out of range: use 0.25 to 4")


def with_overrides(settings: Settings, **voice: object) -> Settings:
    """One run's flags (or one article's front matter) over the show's voice settings; None means unset."""
    given = {key: value for key, value in voice.items() if value not in (None, "")}
    if not given:
        return settings
    updated = replace(settings, voice=replace(settings.voice, **given))
    validate(updated, "options")
    return updated


def template(title: str, base_url: str, email: str = "") -> str:
    """The papercast.toml that `papercast init` writes: every setting, documented, with its default."""
    quote = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    return f"""# papercast show settings. Flags given to one command override these for that run.

[show]
title = {quote(title)}
description = "Articles read aloud, made with papercast."
base_url = {quote(base_url)}   # where output/ is published; enclosure URLs start with it
author = ""                    # itunes:author and owner name
email = {quote(email)}   # itunes:owner e-mail (Apple asks for it)
language = "en"
category = "News"              # from Apple's list, e.g. "Technology", "Society & Culture"
subcategory = ""               # e.g. "Tech News" under "News"
explicit = false
type = "episodic"              # or "serial"
cover = ""                     # your own square JPEG/PNG, 1400-3000 px; empty: one is generated
output = "output"              # the folder to publish (serve or upload only this)

[voice]
engine = "piper"               # see `papercast voices`
voice = ""                     # empty: the engine's default voice
speed = 1.0                    # 1.25 reads a quarter faster
# languages = {{ de = "gtts:de" }}   # voice for articles in other languages

[pauses]                       # seconds of silence
clause = 0.15
sentence = 0.3
paragraph = 0.8
section = 1.5

[intro]
template = "{{title}}. {{byline}}. {{site}}."
outro = ""
music = ""                     # e.g. "jingle.mp3" in this folder: plays alone, then softly under the intro
outro_music = ""               # fades in after the last word

[audio]
bitrate = "64k"
sample_rate = 44100
loudness = -16.0               # LUFS; Apple Podcasts asks for -16
max_sentence_chars = 250       # longer sentences are split at clause boundaries

[sync]
sources = []                   # RSS/Atom feeds to take new articles from with `papercast sync`
"""
