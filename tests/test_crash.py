"""Kill `papercast render` (SIGKILL, with the ffmpeg it may be running) at ten moments of its work; the next
render finishes the work, and at no point does the published feed point at a missing or partial file.

The moments are milestones the test sees on disk (the lock taken, a work folder, the n-th new take, the
PCM file, an MP3 being written, the n-th new episode…), each followed by a pseudo-random few milliseconds
from a fixed seed, so the kills spread over the whole render without sleeping blindly.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from papercast.cli import run

pytestmark = pytest.mark.slow

SEED = 8
WORDS = ("river bridge lantern harbour meadow signal copper orchard winter station candle ferry "
         "granite willow compass thunder velvet pebble mirror quartz saddle timber falcon ember").split()


def article_text(rng: random.Random, title: str) -> str:
    paragraphs = []
    for _ in range(3):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 10))).capitalize() + "."
                     for _ in range(3)]
        paragraphs.append(" ".join(sentences))
    return f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"


# -- what the test watches for ----------------------------------------------------------------------
def files(folder: Path, pattern: str) -> list[Path]:
    return list(folder.rglob(pattern)) if folder.is_dir() else []


class Watch:
    def __init__(self, root: Path, pid: int):
        self.root, self.pid = root, pid
        self.takes = len(files(root / "cache" / "takes", "*.wav"))
        self.mp3s = len(files(root / "output" / "episodes", "*.mp3"))

    def locked(self) -> bool:
        try:
            return (self.root / ".lock").read_text().strip() == str(self.pid)
        except FileNotFoundError:
            return False

    def working(self) -> bool:
        return bool(files(self.root / "cache" / "tmp", "*"))

    def new_takes(self, count: int) -> bool:
        return len(files(self.root / "cache" / "takes", "*.wav")) >= self.takes + count

    def pcm(self) -> bool:
        return any(p.stat().st_size > 0 for p in files(self.root / "cache" / "tmp", "episode.pcm")
                   if p.exists())

    def encoding(self) -> bool:
        return bool(files(self.root / "output" / "episodes", ".*.part"))

    def new_mp3s(self, count: int) -> bool:
        return len(files(self.root / "output" / "episodes", "*.mp3")) >= self.mp3s + count


MOMENTS = [  # in the order a render reaches them
    ("started", lambda w: True),
    ("lock taken", Watch.locked),
    ("work folder made", Watch.working),
    ("first new take", lambda w: w.new_takes(1)),
    ("a dozen new takes", lambda w: w.new_takes(12)),
    ("episode PCM written", Watch.pcm),
    ("MP3 being encoded", Watch.encoding),
    ("first episode done", lambda w: w.new_mp3s(1)),
    ("second episode's takes", lambda w: w.new_mp3s(1) and w.new_takes(40)),
    ("second episode done", lambda w: w.new_mp3s(2)),
]


# -- checks -----------------------------------------------------------------------------------------
def assert_feed_points_at_whole_files(root: Path) -> None:
    feed = root / "output" / "feed.xml"
    if not feed.exists():
        return
    tree = etree.fromstring(feed.read_bytes())  # raises on anything not well-formed
    for enclosure in tree.iter("enclosure"):
        relative = enclosure.get("url").removeprefix("https://example.org/pod/")
        path = root / "output" / relative
        assert path.is_file(), f"the feed points at {relative}, which is missing"
        assert path.stat().st_size == int(enclosure.get("length")), f"{relative} is not the length the feed says"


def assert_catalog_intact(root: Path) -> None:
    db = sqlite3.connect(root / "papercast.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.close()


def leftovers(root: Path) -> list[str]:
    temporary = [p for p in (root / "output").rglob("*") if p.name.endswith((".part", ".tmp"))]
    temporary += files(root / "cache" / "tmp", "*")
    temporary += [p for p in files(root / "cache", "*") if p.name.endswith((".part", ".tmp"))]
    return sorted(str(p.relative_to(root)) for p in temporary)


# -- the trials -------------------------------------------------------------------------------------
@pytest.fixture
def crash_show(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("PAPERCAST_SHOW", raising=False)
    root = tmp_path / "show"
    assert run(["init", str(root), "--title", "Crash Show", "--base-url", "https://example.org/pod"]) == 0
    config = root / "papercast.toml"
    config.write_text(config.read_text().replace('engine = "piper"', 'engine = "fake"'))
    return root


def kill_at(root: Path, moment, extra: float) -> tuple[int | None, str]:
    """Start a render, wait for the moment (or the render's end), then SIGKILL it and its children."""
    process = subprocess.Popen([sys.executable, "-m", "papercast", "-q", "render"], cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    watch = Watch(root, process.pid)
    try:
        while process.poll() is None and not moment(watch):
            time.sleep(0.002)
        deadline = time.monotonic() + extra  # a pseudo-random few ms more: not always on the edge
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait()
        error = process.stderr.read().decode()
        process.stderr.close()
    return process.returncode, error


def test_a_render_killed_at_ten_moments_is_finished_by_the_next(crash_show, capsys):
    rng = random.Random(SEED)
    root = crash_show
    killed = []
    for trial, (name, moment) in enumerate(MOMENTS):
        for number in range(3):
            path = root / f"article-{trial}-{number}.txt"
            path.write_text(article_text(rng, f"Trial {trial} story {number}"))
            assert run(["--show", str(root), "-q", "add", str(path)]) == 0
        code, error = kill_at(root, lambda w, m=moment: m(w), rng.uniform(0, 0.05))
        if code == -signal.SIGKILL:
            killed.append(name)
        else:
            assert code == 0, error

        # Right after the kill: the feed is whole and names only whole files; the catalog is sound.
        assert_feed_points_at_whole_files(root)
        assert_catalog_intact(root)

        capsys.readouterr()
        assert run(["--show", str(root), "-q", "render"]) == 0, capsys.readouterr().err
        assert_feed_points_at_whole_files(root)
        assert_catalog_intact(root)
        assert leftovers(root) == []
        capsys.readouterr()
        assert run(["--show", str(root), "list", "--json"]) == 0
        listing = json.loads(capsys.readouterr().out)
        assert [row["status"] for row in listing] == ["rendered"] * 3 * (trial + 1), name
        feed = etree.fromstring((root / "output" / "feed.xml").read_bytes())
        assert len(list(feed.iter("enclosure"))) == 3 * (trial + 1)
    # Most moments must really have interrupted a render, or this test proves little.
    assert len(killed) >= 8, killed
