"""A show is a folder holding papercast.toml; commands find it from the current folder upward, like git."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from papercast import config
from papercast.errors import PapercastError

SHOW_ENV = "PAPERCAST_SHOW"
CODEC_GAIN_FILE = "codec.json"  # in the cache folder


@dataclass(frozen=True)
class Show:
    root: Path
    settings: config.Settings

    @property
    def output(self) -> Path:
        return (self.root / self.settings.show.output).resolve()

    @property
    def catalog_path(self) -> Path:
        return self.root / "papercast.db"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def codec_gain_path(self) -> Path:
        """What the encoder does to the level, measured once per ffmpeg and settings (audio.export)."""
        return self.cache_dir / CODEC_GAIN_FILE

    @property
    def lexicon_path(self) -> Path:
        return self.root / "lexicon.toml"


def find_root(start: Path | None = None, explicit: str | None = None) -> Path:
    given = explicit or os.environ.get(SHOW_ENV)
    if given:
        root = Path(given).expanduser()
        if not (root / config.CONFIG_FILE).is_file():
            raise PapercastError(f"{root} is not a show (no {config.CONFIG_FILE}): run `papercast init {root}`")
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / config.CONFIG_FILE).is_file():
            return folder
    raise PapercastError(
        "no show here: run `papercast init NAME` to create one, or cd into a show folder (or use --show PATH)"
    )


def open_show(explicit: str | None = None) -> Show:
    root = find_root(explicit=explicit)
    return Show(root, config.load(root))


def init(folder: Path, title: str, base_url: str, email: str = "") -> Show:
    if (folder / config.CONFIG_FILE).exists():
        raise PapercastError(f"{folder} is already a show: edit {folder / config.CONFIG_FILE} instead")
    folder.mkdir(parents=True, exist_ok=True)
    text = config.template(title, base_url.rstrip("/"), email)
    config.from_dict(tomllib.loads(text), folder / config.CONFIG_FILE)  # refuse a bad base_url
    (folder / config.CONFIG_FILE).write_text(text, encoding="utf-8")
    (folder / ".gitignore").write_text("papercast.db*\ncache/\n.lock\ntoken\n", encoding="utf-8")
    show = Show(folder.resolve(), config.load(folder))
    show.output.mkdir(parents=True, exist_ok=True)
    return show
