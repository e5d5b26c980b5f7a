"""Memory stays bounded on long episodes: the stitcher writes each take out before taking the next, keeps
none of them, and the cache spares the engine on a re-render."""
from __future__ import annotations

import gc
import weakref

from audio.script import Cue
from audio.stitch import assemble
from audio.synth import Take
from audio.engines.fake import FakeEngine
from pcm_signals import tone

TAKES = 200


def many_takes(seen: list, written: list, out):
    """Takes one by one, noting at each step how many earlier takes are still alive and how much is written."""
    refs = []
    for index in range(TAKES):
        gc.collect()
        written.append(out.tell())
        seen.append(sum(ref() is not None for ref in refs))
        take = Take(Cue(f"Sentence {index}.", f"Sentence {index}.", "sentence", 0.1, 0),
                    tone(220 + index, 0.5))
        refs.append(weakref.ref(take))
        yield take
        del take


def test_the_stitcher_writes_each_take_before_asking_for_the_next_and_keeps_none(tmp_path):
    alive, written = [], []
    with open(tmp_path / "episode.pcm", "wb") as out:
        stitched = assemble(many_takes(alive, written, out), out)

    # At most the take being stitched is still held while the next one is made: never the episode.
    assert max(alive) <= 1
    # The file grows with every take, while the takes are still coming.
    assert all(later > earlier for earlier, later in zip(written, written[1:]))
    assert len(stitched.timeline) == TAKES
    assert (tmp_path / "episode.pcm").stat().st_size == stitched.frames * stitched.format.frame_bytes


def test_rendering_an_unchanged_episode_again_calls_no_engine(show, article, cli):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    assert FakeEngine.calls
    FakeEngine.calls.clear()

    assert cli("render", "--force", "1").code == 0

    assert FakeEngine.calls == []


def test_an_engine_is_prepared_only_when_a_take_must_be_spoken(tmp_path):
    from audio.cache import TakeCache
    from audio.engines.base import EngineSettings
    from audio.synth import takes

    class Counting(FakeEngine):
        prepared = 0
        to_speak: list[int] = []

        def prepare(self, takes: int) -> None:
            Counting.prepared += 1
            Counting.to_speak.append(takes)

    cues = [Cue(text, text, "sentence", 0.1, 0) for text in ("One two.", "Three four.")]
    cache = TakeCache(tmp_path / "takes")
    list(takes(cues, Counting(EngineSettings()), cache))
    assert Counting.prepared == 1
    list(takes(cues, Counting(EngineSettings()), cache))  # all cached: no model to load
    assert Counting.prepared == 1
    list(takes([*cues, Cue("Five.", "Five.", "sentence", 0.1, 0)], Counting(EngineSettings()), cache))
    assert Counting.prepared == 2
    assert Counting.to_speak == [2, 1]  # told how many takes it will speak
