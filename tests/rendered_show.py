"""A show with two episodes rendered by the fake engine, and `papercast serve` run on it as a user runs it.

Shared by the real-client tests (browser, podcast app, transcript timing, chapters spec). The articles
use plain words only, so the words spoken are the words written (each a 0.25 s tone and a 0.05 s gap).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from papercast.cli import run

ARTICLES = {
    "night-trains.txt": """Night trains return to the Alps

by Travel desk

After a decade away, sleeper trains are running again between Zurich and Vienna. The first train left on Sunday evening, full.

Operators say demand has doubled in two years. Tickets for December are already sold out on most nights.

What changed

Cheaper couchettes and new carriages helped. Passengers also said they wanted to avoid short flights.
""",
    "quiet-rivers.txt": """Quiet rivers

by Nature desk

Rivers in the north ran slow this summer. Fishermen noticed first.

Why it matters

Low water warms fast. Fish need cool water to breed.
""",
}
SLUGS = ["night-trains-return-to-the-alps", "quiet-rivers"]


def free_port() -> int:
    """A port nothing listens on now (the OS picks it), for a base_url that must be known before serving."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def cli(*args: object) -> None:
    code = run([str(arg) for arg in args])
    assert code == 0, f"papercast {' '.join(map(str, args))} exited {code}"


def render_show(root: Path, base_url: str, engine: str = "fake", articles: dict[str, str] = ARTICLES) -> Path:
    """`papercast init`, `add` each article, `render`: the show's output/ folder."""
    cli("init", root, "--title", "Test Show", "--base-url", base_url, "--email", "owner@example.org")
    config = root / "papercast.toml"
    config.write_text(config.read_text().replace('engine = "piper"', f'engine = "{engine}"'))
    for name, text in articles.items():
        (root.parent / name).write_text(text, encoding="utf-8")
        cli("--show", root, "-q", "add", root.parent / name)
    cli("--show", root, "-q", "render")
    return root / "output"


_SHARED: dict[str, tuple[Path, int]] = {}


def shared_show(tmp_path_factory) -> tuple[Path, int]:
    """(show folder, port): the two-episode fake-engine show, rendered once per test process with
    base_url http://127.0.0.1:PORT so it can then be served on PORT. Tests must not change it."""
    if "show" not in _SHARED:
        port = free_port()
        root = tmp_path_factory.getbasetemp() / "shared-show" / "show"
        root.parent.mkdir(parents=True)
        render_show(root, f"http://127.0.0.1:{port}")
        _SHARED["show"] = root, port
    return _SHARED["show"]


@contextmanager
def serving(root: Path, port: int = 0) -> Iterator[str]:
    """`papercast serve` in its own process on 127.0.0.1, stopped with Ctrl-C; yields the site URL (ending '/')."""
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    environment.pop("PAPERCAST_SHOW", None)
    process = subprocess.Popen([sys.executable, "-m", "papercast", "--show", str(root), "serve", "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=environment)
    try:
        site = None
        for line in process.stdout:
            if "site: " in line:
                site = line.split("site: ", 1)[1].strip()
                break
        assert site, f"papercast serve did not start: {process.stderr.read() if process.poll() is not None else ''}"
        yield site
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
