"""Shared fixtures: a show that renders with the fake engine, and the CLI run in-process."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from audio.engines.fake import FakeEngine
from sample_articles import ARTICLE

pytest_plugins = ["httpstub"]

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "samples" / "new-worker-belarus.txt"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="../shared/samples is not beside this clone")



@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run `papercast ARGS…` in this process through the CLI's own error boundary."""
    from papercast.cli import run

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = run([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def show(tmp_path, monkeypatch, cli) -> Path:
    """A new show using the fake engine, as the current folder."""
    monkeypatch.delenv("PAPERCAST_SHOW", raising=False)
    root = tmp_path / "show"
    result = cli("init", root, "--title", "Test Show", "--base-url", "https://example.org/pod",
                 "--email", "owner@example.org")
    assert result.code == 0, result.err
    config = root / "papercast.toml"
    config.write_text(config.read_text().replace('engine = "piper"', 'engine = "fake"'))
    monkeypatch.chdir(root)
    FakeEngine.calls.clear()
    return root


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "night-trains.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path
