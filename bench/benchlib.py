"""What every bench script shares: a row of the results table, timing, and the paths they start from.

Numbers on a shared machine are noisy, so every figure is a ratio against a baseline measured in the
same run, and each side is the best of several tries.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAPERCAST = BIN / "papercast"
SEED = REPO.parent / "shared" / "samples" / "new-worker-belarus.txt"
DEMO = REPO / "demo" / "sample.md"


@dataclass(frozen=True)
class Row:
    figure: str
    value: float
    target: float
    unit: str = "x"  # "x" for a ratio against a baseline, else an absolute unit such as "s" or "MB"
    at_least: bool = False  # True when the value must reach the target rather than stay under it
    note: str = ""

    @property
    def met(self) -> bool:
        return self.value >= self.target if self.at_least else self.value <= self.target


def table(rows: list[Row]) -> str:
    lines = [f"{'figure':<58} {'value':>10} {'target':>10}  met?"]
    for row in rows:
        sign = ">=" if row.at_least else "<="
        lines.append(f"{row.figure:<58} {row.value:>9.3f}{row.unit} {sign}{row.target:>7.3g}{row.unit}  "
                     f"{'yes' if row.met else 'NO'}{'  ' + row.note if row.note else ''}")
    return "\n".join(lines)


def report(rows: list[Row]) -> None:
    print(table(rows), flush=True)


def best_of(tries: int, action: Callable[[], object]) -> float:
    """The fastest of `tries` runs in seconds: the one least disturbed by other work on the machine."""
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def best_cpu_of(tries: int, action: Callable[[], object]) -> float:
    """The least CPU time (user + system, this process and its finished children) of `tries` runs: on a
    machine shared with other work, wall time mostly measures the others."""
    import resource

    def used() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    times = []
    for _ in range(tries):
        start = used()
        action()
        times.append(used() - start)
    return min(times)


def seed_article() -> Path:
    if SEED.is_file():
        return SEED
    print(f"note: {SEED} is absent (../shared is not beside this clone): using {DEMO} instead", flush=True)
    return DEMO


def papercast(*args: object, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(PAPERCAST), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                            env=env)
    if result.returncode != 0:
        raise RuntimeError(f"papercast {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result


@contextmanager
def new_show(engine: str = "piper", title: str = "Bench") -> Iterator[Path]:
    """A fresh show in a temporary folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="papercast-bench-"))
    try:
        root = folder / "show"
        papercast("init", root, "--title", title, "--base-url", "https://example.org/pod", cwd=folder)
        config = root / "papercast.toml"
        config.write_text(config.read_text().replace('engine = "piper"', f'engine = "{engine}"'))
        yield root
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def quiet_env(**extra: str) -> dict:
    return {**os.environ, **extra}
