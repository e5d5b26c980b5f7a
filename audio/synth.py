"""Cues → takes: each cue's speech, from the cache when the same text was spoken with the same settings."""
from __future__ import annotations

from collections import deque
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
) -> Iterator[Take]:
    """Takes in script order. Synthesis starts at once, in worker threads, and runs ahead of the caller
    (by one take for engines that take one cue at a time), so stitching and imports overlap speech;
    online engines synthesise several cues at once. Each take is cached as soon as it exists, so a
    failure later in the episode loses nothing already spoken."""
    fingerprint = engine.fingerprint()
    speed = engine.settings.speed

    def speak(cue: Cue) -> AudioChunk:
        key = take_key(fingerprint, cue.spoken)
        audio = cache.get(key)
        if audio is None:
            audio = join_chunks(list(engine.synthesize(cue.spoken)), cue.spoken)
            cache.put(key, audio)
        if not engine.native_speed and speed != 1.0:
            from audio.stretch import stretch

            audio = stretch(audio, speed)
        return audio

    workers = max(1, engine.concurrency)
    window = 2 * workers  # bounded look-ahead keeps memory flat on long articles
    pool = ThreadPoolExecutor(workers, thread_name_prefix=f"{engine.name}-take")
    queue = iter(cues)
    pending: deque = deque((cue, pool.submit(speak, cue)) for cue in islice(queue, window))
    return _in_order(pending, queue, pool, speak, on_take)


def _in_order(pending: deque, queue: Iterator[Cue], pool: ThreadPoolExecutor,
              speak: Callable[[Cue], AudioChunk], on_take: Callable[[Take], None]) -> Iterator[Take]:
    try:
        while pending:
            cue, future = pending.popleft()
            audio = future.result()
            next_cue = next(queue, None)
            if next_cue is not None:
                pending.append((next_cue, pool.submit(speak, next_cue)))
            take = Take(cue, audio)
            on_take(take)
            yield take
    finally:  # on an error, or a caller that stops early: no synthesis left running for nobody
        for _, other in pending:
            other.cancel()
        pool.shutdown(wait=True)
