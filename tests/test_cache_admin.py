"""`papercast cache`: size, takes and hit rate of the take cache; `cache prune` drops the least recently used."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from audio.engines.fake import FakeEngine
from papercast.cache_admin import parse_size


def takes_in(show: Path) -> list[Path]:
    return sorted((show / "cache" / "takes").glob("*/*.wav"))


def mastered_in(show: Path) -> list[Path]:
    return sorted((show / "cache" / "mastered").glob("*/*.npz"))


def test_a_new_show_has_an_empty_cache(show, cli):
    result = cli("cache")
    assert result.code == 0, result.err
    assert "0.0 MB in 0 takes" in result.out
    assert "no render counted yet" in result.out


def test_cache_reports_its_takes_and_the_hit_rate_of_renders(show, article, cli):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    synthesised = len(FakeEngine.calls)
    assert cli("render", "--force", "1").code == 0
    assert len(FakeEngine.calls) == synthesised  # the second render found every take in the cache

    result = cli("cache")
    takes = takes_in(show)
    assert len(mastered_in(show)) == len(takes)  # each take also as stitched, counted in the size
    size = sum(path.stat().st_size for path in takes + mastered_in(show))
    assert f"{size / 10**6:,.1f} MB in {len(takes)} takes" in result.out
    assert f"hit rate: 50% ({synthesised} hits, {synthesised} misses)" in result.out


def test_prune_removes_the_least_recently_used_takes_first(show, article, cli):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    takes = takes_in(show)
    for age, path in enumerate(takes):  # the first take in the list is the least recently used
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    keep = takes[-2:]
    budget = sum(path.stat().st_size for path in keep)

    result = cli("cache", "prune", "--max-size", str(budget))

    assert result.code == 0, result.err
    assert takes_in(show) == keep
    assert mastered_in(show) == []  # derived, remade in milliseconds: pruned before any take
    assert f"removed {len(takes) - 2} takes" in result.out


def test_a_pruned_take_is_synthesised_again_on_the_next_render(show, article, cli):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    assert cli("cache", "prune", "--max-size", "0").code == 0
    assert takes_in(show) == []
    FakeEngine.calls.clear()
    assert cli("render", "--force", "1").code == 0
    assert FakeEngine.calls and takes_in(show)


def test_prune_refuses_a_size_it_cannot_read(show, cli):
    result = cli("cache", "prune", "--max-size", "lots")
    assert result.code == 1
    assert "cannot read 'lots' as a size" in result.err and "2GB" in result.err


@pytest.mark.parametrize("text, size", [("2GB", 2 * 10**9), ("500 MB", 500 * 10**6), ("1.5GiB", 3 * 2**29),
                                        ("1024", 1024), ("0", 0)])
def test_sizes_read_as_people_write_them(text, size):
    assert parse_size(text) == size


def test_an_edited_article_rerenders_into_the_same_episode_speaking_only_what_changed(show, article, cli):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    before = json.loads(cli("list", "--json").out)[0]
    article.write_text(article.read_text().replace("Tickets for December are already sold out on most nights.",
                                                   "Tickets for January are still on sale."))
    FakeEngine.calls.clear()

    replaced = cli("add", article, "--replace", "1")
    assert replaced.code == 0, replaced.err
    assert "papercast render --force 1" in replaced.out
    assert cli("render", "--force", "1").code == 0

    assert FakeEngine.calls == ["Tickets for January are still on sale."]
    after = json.loads(cli("list", "--json").out)[0]
    assert (after["guid"], after["file"]) == (before["guid"], before["file"])
    assert len(json.loads(cli("list", "--json").out)) == 1


def test_replace_refuses_an_article_another_episode_already_has(show, article, tmp_path, cli):
    other = tmp_path / "other.txt"
    other.write_text("Another story\n\nSomething else happened today, and people talked about it.\n")
    assert cli("add", article, other).code == 0
    result = cli("add", other, "--replace", "1")
    assert result.code == 1
    assert "already episode 2" in result.err and "papercast remove 2" in result.err


def rendered_and_stamped(show, article, cli) -> Path:
    """Episode 1 rendered, its MP3 dated 1970 (a new render gives it a new date), engine calls cleared."""
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    mp3 = next((show / "output" / "episodes").glob("*.mp3"))
    os.utime(mp3, ns=(10**9, 10**9))
    FakeEngine.calls.clear()
    return mp3


def test_an_unchanged_episode_keeps_its_mp3_and_a_changed_setting_makes_a_new_one(show, article, cli):
    mp3 = rendered_and_stamped(show, article, cli)

    assert cli("render", "--force", "1").code == 0
    assert mp3.stat().st_mtime_ns == 10**9  # nothing that shapes it changed: the file was kept

    config = show / "papercast.toml"
    config.write_text(config.read_text().replace("loudness = -16.0", "loudness = -18.0"))
    assert cli("render", "--force", "1").code == 0
    assert mp3.stat().st_mtime_ns != 10**9
    assert FakeEngine.calls == []  # encoded again from the cached takes


def test_a_new_lexicon_entry_makes_a_new_mp3_speaking_only_the_sentences_it_changes(show, article, cli):
    mp3 = rendered_and_stamped(show, article, cli)

    (show / "lexicon.toml").write_text('[words]\ncouchettes = "koo-shets"\n', encoding="utf-8")
    assert cli("render", "--force", "1").code == 0

    assert mp3.stat().st_mtime_ns != 10**9
    assert FakeEngine.calls and all("koo-shets" in text for text in FakeEngine.calls)


def test_an_option_that_cannot_change_a_take_does_not_make_a_new_mp3(show, cli):
    from dataclasses import replace
    from types import SimpleNamespace

    from audio.engines.base import EngineSettings
    from audio.engines.gtts import GttsEngine
    from papercast.show import open_show
    from papercast.unchanged import render_key

    opened = open_show(str(show))

    def key(**options) -> str:
        settings = replace(opened.settings, voice=replace(opened.settings.voice, engine="gtts", options=options))
        job = SimpleNamespace(show=opened, settings=settings, engine=GttsEngine(EngineSettings(options=options)),
                              row=SimpleNamespace(article="{}"), fallback=None)
        return render_key(job)

    assert key(concurrency=2) == key(concurrency=6) == key()
    assert key(tld="co.uk") != key()


def test_an_edited_article_masters_again_only_the_takes_that_changed(show, article, cli, monkeypatch):
    import audio.stitch

    assert cli("add", article).code == 0
    assert cli("render").code == 0
    before = set(mastered_in(show))
    article.write_text(article.read_text().replace("full.", "full of skiers."), encoding="utf-8")
    assert cli("add", article, "--replace", "1").code == 0
    tamed = []
    real_tame = audio.stitch.tame_take
    monkeypatch.setattr(audio.stitch, "tame_take", lambda pcm, fmt: tamed.append(pcm) or real_tame(pcm, fmt))

    assert cli("render", "--force", "1").code == 0

    assert len(tamed) == 1  # the edited sentence's take; every other one came mastered from the cache
    assert len(set(mastered_in(show)) - before) == 1


def test_a_render_sweeps_the_half_written_cache_files_a_killed_render_left(show, article, cli):
    assert cli("add", article).code == 0
    assert cli("render").code == 0
    kept = sorted(p for p in (show / "cache").rglob("*") if p.is_file())
    # Each place a render writes a cache file through a temporary one (takes, mastered takes, the
    # unchanged-render memos, the hit counters): what a SIGKILL mid-write leaves behind.
    stale = [takes_in(show)[0].parent / "tmpa1.tmp", mastered_in(show)[0].parent / "tmpb2.tmp",
             show / "cache" / "renders" / "x.tmp", show / "cache" / "tmpc3.tmp"]
    for path in stale:
        path.write_bytes(b"half")

    assert cli("render", "--force", "1").code == 0

    assert [path for path in stale if path.exists()] == []
    assert sorted(p for p in (show / "cache").rglob("*") if p.is_file()) == kept
