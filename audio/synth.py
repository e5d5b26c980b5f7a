"""Cues → takes: each cue's speech, from the cache when the same text was spoken with the same settings."""
from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
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
    """Takes in script order. Online engines synthesise several cues at once; each take is cached as
    soon as it exists, so a failure later in the episode loses nothing already spoken."""
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

    def emit(cue: Cue, audio: AudioChunk) -> Take:
        take = Take(cue, audio)
        on_take(take)
        return take

    if engine.concurrency <= 1:
        for cue in cues:
            yield emit(cue, speak(cue))
        return
    window = 2 * engine.concurrency  # bounded look-ahead keeps memory flat on long articles
    with ThreadPoolExecutor(engine.concurrency, thread_name_prefix=f"{engine.name}-take") as pool:
        pending: deque = deque()
        queue = iter(cues)
        for cue in queue:
            pending.append((cue, pool.submit(speak, cue)))
            if len(pending) >= window:
                break
        while pending:
            cue, future = pending.popleft()
            try:
                audio = future.result()
            except BaseException:
                for _, other in pending:
                    other.cancel()
                raise
            next_cue = next(queue, None)
            if next_cue is not None:
                pending.append((next_cue, pool.submit(speak, next_cue)))
            yield emit(cue, audio)
