"""Rendering an unchanged episode again: when nothing that shapes its MP3 has changed since the last
render, the published file is kept as it is and none of the audio work is repeated.

What shapes the MP3: the article, the settings, the engine's fingerprint, the files the render reads
(lexicon, cover, music) and papercast's own version; the script is a function of these, so the check
comes before it is written. Their digest and the episode's take keys are stored beside the take cache
when an episode is rendered; a re-render that computes the same digest, finds the episode's file as
recorded and every take still in the cache reuses the file."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

from audio.cache import TakeCache, take_key


def render_key(job) -> str:
    show = job.show
    read_files = [show.lexicon_path, *sorted(show.output.glob("cover.*"))]
    intro = job.settings.intro
    read_files += [show.root / name for name in (intro.music, intro.outro_music) if name]
    identity = {
        "papercast": version("papercast"),
        "article": job.row.article,
        # The voice's engine options shape the MP3 only through the engine's fingerprint, which leaves
        # out those that cannot change a take (gtts' concurrency).
        "settings": repr(replace(job.settings, voice=replace(job.settings.voice, options={}))),
        "engine": job.engine.fingerprint(),
        "fallback": job.fallback,
        "files": [[str(path), *_stamp(path)] for path in read_files],
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return 0, 0
    return stat.st_mtime_ns, stat.st_size


def _memo(job) -> Path:
    return job.show.cache_dir / "renders" / f"{job.row.guid}.key"


def still_published(job, key: str) -> bool:
    """True when the episode's file is the one a render with `key` made and its takes are all cached;
    the takes are touched (they stay recently used) and counted as cache hits."""
    from papercast.cache_admin import record_lookups

    row = job.row
    published = job.show.output / row.file if row.file else None
    try:
        if row.status != "rendered" or published is None or published.stat().st_size != row.bytes:
            return False
        remembered_key, *take_keys = _memo(job).read_text().split("\n")
    except FileNotFoundError:
        return False
    if remembered_key != key:
        return False
    cache = TakeCache(job.show.cache_dir / "takes")
    paths = [cache.path(take) for take in take_keys]
    if not all(path.is_file() for path in paths):
        return False  # pruned: render again, so the cache holds this episode's takes again
    for path in paths:
        os.utime(path)
    record_lookups(job.show, len(paths), 0)
    return True


def remember(job, key: str) -> None:
    """Store `key` with the keys of the takes the episode was made of (the script's cues, as spoken by
    the chosen engine)."""
    fingerprint = job.engine.fingerprint()
    takes = [take_key(fingerprint, cue.spoken) for cue in job.script.cues]
    memo = _memo(job)
    memo.parent.mkdir(parents=True, exist_ok=True)
    temporary = memo.with_suffix(".tmp")
    temporary.write_text("\n".join([key, *takes]))
    os.replace(temporary, memo)
