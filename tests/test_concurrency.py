"""Two papercasts on one show: the second render waits (saying for whom) or, with --no-wait, gives up at
once; an `add` during a render goes in; the catalog is SQLite in WAL mode and stays sound."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from sample_articles import ARTICLE


def start_render(show: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "papercast", *options, "render"], cwd=show,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_lock(show: Path, process: subprocess.Popen) -> None:
    """Until `process` holds the show's lock (the lock file names its pid)."""
    lock = show / ".lock"
    while not (lock.exists() and lock.read_text().strip() == str(process.pid)):
        assert process.poll() is None, process.communicate()
        time.sleep(0.005)


@pytest.fixture
def busy_show(show, cli, tmp_path) -> Path:
    """A show with three pending articles, long enough that a render holds the lock a while."""
    for number in range(3):
        path = tmp_path / f"story-{number}.txt"
        path.write_text(ARTICLE.replace("Night trains", f"Night trains {number}") * 2)
        assert cli("add", path).code == 0
    return show


def test_catalog_is_in_wal_mode(show, cli, article):
    assert cli("add", article).code == 0
    db = sqlite3.connect(show / "papercast.db")
    try:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        db.close()


def test_a_second_render_waits_for_the_first_and_says_so(busy_show):
    first = start_render(busy_show, "-q")
    wait_for_lock(busy_show, first)
    second = start_render(busy_show)  # not quiet: it renders nothing, so waiting is all it prints
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)

    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    assert err1 == ""
    assert err2 == f"waiting for papercast pid {first.pid} to finish with this show…\n"
    assert out1.count("rendered episode") == 3
    assert "nothing to render" in out2  # the first did it all; the second found nothing left
    assert_show_sound(busy_show, rendered=3)


def test_no_wait_gives_up_at_once_with_the_holder_named(busy_show):
    first = start_render(busy_show, "-q")
    wait_for_lock(busy_show, first)
    second = subprocess.run([sys.executable, "-m", "papercast", "render", "--no-wait"], cwd=busy_show,
                            capture_output=True, text=True, timeout=120)
    still_running = first.poll() is None
    first.communicate(timeout=300)

    assert still_running  # so the refusal really was about the running render
    assert second.returncode == 1
    assert second.stderr == (f"error: the show is busy (papercast pid {first.pid} is working on it): "
                             "try again when it finishes\n")
    assert second.stdout == ""
    assert first.returncode == 0
    assert_show_sound(busy_show, rendered=3)


def test_add_during_a_render_goes_in(busy_show, cli, tmp_path):
    first = start_render(busy_show, "-q")
    wait_for_lock(busy_show, first)
    late = tmp_path / "late.txt"
    late.write_text("A late story\n\nIt arrived while the others were being read aloud, and it waited its turn.\n")
    result = cli("add", late)
    running = first.poll() is None
    first.communicate(timeout=300)

    assert running
    assert result.code == 0, result.err
    assert result.out == "added episode 4: A late story\n"
    assert first.returncode == 0
    assert cli("-q", "render").code == 0
    assert_show_sound(busy_show, rendered=4)


def assert_show_sound(show: Path, rendered: int) -> None:
    db = sqlite3.connect(show / "papercast.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        statuses = [row[0] for row in db.execute("SELECT status FROM episodes ORDER BY id")]
    finally:
        db.close()
    assert statuses == ["rendered"] * rendered
    feed = etree.fromstring((show / "output" / "feed.xml").read_bytes())
    enclosures = list(feed.iter("enclosure"))
    assert len(enclosures) == rendered
    for enclosure in enclosures:
        path = show / "output" / enclosure.get("url").removeprefix("https://example.org/pod/")
        assert path.stat().st_size == int(enclosure.get("length"))
