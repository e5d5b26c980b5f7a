"""Start-up: `papercast --help` against `python -c "import typer"`, the floor any typer CLI pays.

    .venv/bin/python bench/startup.py
"""
from __future__ import annotations

import subprocess
import sys

from benchlib import PAPERCAST, Row, best_of, report

TRIES = 15
TARGET = 1.5


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def measure() -> list[Row]:
    floor = best_of(TRIES, lambda: run([sys.executable, "-c", "import typer"]))
    helped = best_of(TRIES, lambda: run([str(PAPERCAST), "--help"]))
    return [Row(f"papercast --help vs import typer ({helped * 1000:.0f} vs {floor * 1000:.0f} ms)",
                helped / floor, TARGET)]


if __name__ == "__main__":
    report(measure())
