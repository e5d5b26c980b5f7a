"""Cues → takes: each cue's speech, from the cache when the same text was spoken with the same settings."""
from __future__ import annotations

from collections import deque
import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from audio.cache import TakeCache, take_key
from audio.chunk import AudioChunk
from audio.engines.base import Engine
from audio.errors import AudioError
from audio.script import Cue


@dataclass(frozen=True)
class Take:
    cue: Cue
    audio: AudioChunk
    voice: str = ""  # "engine/voice" that spoke it, so an episode can say who read it
    key: str = ""  # what identifies its audio: the cache key, and the speed it was stretched to


def join_chunks(chunks: Sequence[AudioChunk], text: str) -> AudioChunk:
    if not chunks:
        raise AudioError(f"the engine returned no audio for {text[:60]!r}: try another voice or engine")
    first = chunks[0]
    if any((c.rate, c.width, c.channels) != (first.rate, first.width, first.channels) for c in chunks):
        raise AudioError("the engine changed audio format within one take: report this engine as broken")
    return AudioChunk(first.rate, first.width, first.channels, b"".join(c.data for c in chunks))


def takes(
    cues: Sequence[Cue],
    engine: Engine,
    cache: TakeCache,
    on_take: Callable[[Take], None] = lambda take: None,
    fallback: Engine | None = None,
) -> Iterator[Take]:
    """Takes in script order. Synthesis starts at once, in worker threads, and runs ahead of the caller
    (by one take for engines that take one cue at a time), so stitching and imports overlap speech;
    online engines synthesise several cues at once. Each take is cached as soon as it exists, so a
    failure later in the episode loses nothing already spoken.

    With a `fallback` engine, once `engine` fails (offline, out of quota) every cue it has not spoken
    before is spoken by the fallback instead; its takes already in the cache are still used."""
    primary, spare = _Speaker(engine, cache), _Speaker(fallback, cache) if fallback else None
    to_speak = sum(not cache.has(take_key(primary.fingerprint, cue.spoken)) for cue in cues)
    if to_speak:
        engine.prepare(to_speak)
    gave_up = threading.Event()

    def speak(cue: Cue) -> Take:
        if spare is None:
            return primary.speak(cue)
        if gave_up.is_set():
            return primary.cached(cue) or spare.speak(cue)
        try:
            return primary.speak(cue)
        except AudioError:
            gave_up.set()
            return spare.speak(cue)

    workers = max(1, engine.concurrency)
    window = 2 * workers  # bounded look-ahead keeps memory flat on long articles
    pool = ThreadPoolExecutor(workers, thread_name_prefix=f"{engine.name}-take")
    queue = iter(cues)
    pending: deque = deque((cue, pool.submit(speak, cue)) for cue in islice(queue, window))
    return _in_order(pending, queue, pool, speak, on_take)


class _Speaker:
    """One engine's takes: from the cache when it spoke the same text before, else synthesised and cached."""

    def __init__(self, engine: Engine, cache: TakeCache):
        self.engine, self.cache = engine, cache
        self.fingerprint = engine.fingerprint()
        self.voice = f"{engine.name}/{engine.voice}"

    def cached(self, cue: Cue) -> Take | None:
        key = take_key(self.fingerprint, cue.spoken)
        audio = self.cache.get(key)
        return None if audio is None else self.take(cue, audio, key)

    def speak(self, cue: Cue) -> Take:
        found = self.cached(cue)
        if found is not None:
            return found
        audio = join_chunks(list(self.engine.synthesize(cue.spoken)), cue.spoken)
        key = take_key(self.fingerprint, cue.spoken)
        self.cache.put(key, audio)
        return self.take(cue, audio, key)

    def take(self, cue: Cue, audio: AudioChunk, key: str) -> Take:
        speed = self.engine.settings.speed
        if not self.engine.native_speed and speed != 1.0:
            from audio.stretch import stretch

            audio = stretch(audio, speed)
            key = f"{key}@{speed}"
        return Take(cue, audio, self.voice, key)


def _in_order(pending: deque, queue: Iterator[Cue], pool: ThreadPoolExecutor,
              speak: Callable[[Cue], Take], on_take: Callable[[Take], None]) -> Iterator[Take]:
    try:
        while pending:
            _, future = pending.popleft()
            take = future.result()
            next_cue = next(queue, None)
            if next_cue is not None:
                pending.append((next_cue, pool.submit(speak, next_cue)))
            on_take(take)
            yield take
    finally:  # on an error, or a caller that stops early: no synthesis left running for nobody
        for _, other in pending:
            other.cancel()
        pool.shutdown(wait=True)
