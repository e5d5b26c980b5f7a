"""The take cache as the user sees it: its size, how often renders found their takes in it, and pruning
the least recently used takes (TakeCache.get touches a take's mtime on every hit)."""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from papercast.errors import PapercastError
from papercast.show import Show

STATS_FILE = "stats.json"
UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
         "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


@dataclass(frozen=True)
class CacheSummary:
    takes: int
    bytes: int
    hits: int
    misses: int

    @property
    def hit_rate(self) -> float | None:
        asked = self.hits + self.misses
        return self.hits / asked if asked else None


@dataclass(frozen=True)
class Pruned:
    removed: int
    freed: int
    kept: int
    kept_bytes: int


def takes_dir(show: Show) -> Path:
    return show.cache_dir / "takes"


def stats_path(show: Show) -> Path:
    return show.cache_dir / STATS_FILE


def read_stats(show: Show) -> dict:
    try:
        data = json.loads(stats_path(show).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):  # never rendered, or a file cut short: start counting again
        return {"hits": 0, "misses": 0}
    return {"hits": int(data.get("hits", 0)), "misses": int(data.get("misses", 0))}


def record_lookups(show: Show, hits: int, misses: int) -> None:
    """Add one render's cache hits and misses to the show's totals. Callers hold the show's lock."""
    stats = read_stats(show)
    stats["hits"] += hits
    stats["misses"] += misses
    show.cache_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=show.cache_dir, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(stats, out)
    os.replace(temporary, stats_path(show))


def mastered_dir(show: Show) -> Path:
    """Takes as stitched into episodes (trimmed, peaks tamed): derived from the takes, kept so that a
    re-render after an edit masters only what changed; counted in the size, pruned before the takes."""
    return show.cache_dir / "mastered"


def _files(root: Path, pattern: str = "*/*.wav") -> list[tuple[Path, os.stat_result]]:
    if not root.is_dir():
        return []
    return [(path, path.stat()) for path in root.glob(pattern) if not path.name.endswith(".tmp")]


def _mastered_files(show: Show) -> list[tuple[Path, os.stat_result]]:
    # Any file: mastered takes kept in an earlier format are never read again and must still be pruned.
    return _files(mastered_dir(show), "*/*")


def summary(show: Show) -> CacheSummary:
    takes, derived = _files(takes_dir(show)), _mastered_files(show)
    stats = read_stats(show)
    return CacheSummary(len(takes), sum(s.st_size for _, s in takes + derived), stats["hits"], stats["misses"])


def parse_size(text: str) -> int:
    """'2GB', '500 MB', '1.5GiB' or a plain number of bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    unit = match.group(2).upper() if match else None
    if unit not in UNITS:
        raise PapercastError(f"cannot read {text!r} as a size: write it like 2GB, 500MB or 1.5GiB")
    return int(float(match.group(1)) * UNITS[unit])


def prune(show: Show, max_bytes: int) -> Pruned:
    """Remove the least recently used takes until the cache holds at most `max_bytes`."""
    from papercast.lock import show_lock

    with show_lock(show.root):  # a render in progress may be reading the takes it just found
        takes = sorted(_files(takes_dir(show)), key=lambda item: item[1].st_mtime)
        # Mastered takes go first: one is remade in milliseconds from its take, a take costs synthesis,
        # and a mastered take whose take is gone is never used.
        derived = sorted(_mastered_files(show), key=lambda item: item[1].st_mtime)
        total = sum(s.st_size for _, s in derived + takes)
        freed = 0
        for path, stat in derived + takes:
            if total <= max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= stat.st_size
            freed += stat.st_size
    kept = sum(path.exists() for path, _ in takes)
    return Pruned(len(takes) - kept, freed, kept, total)
