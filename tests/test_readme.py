"""The README is the user's manual: every command in its `console` blocks runs, in order, as shown."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def readme_commands() -> list[tuple[str, list[str]]]:
    """(command, the output lines the README shows for it), in reading order."""
    steps: list[tuple[str, list[str]]] = []
    for block in CONSOLE_BLOCK.findall((REPO / "README.md").read_text(encoding="utf-8")):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
    return steps


def test_the_readme_shows_the_two_setup_commands_first():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


@pytest.mark.slow
def test_every_readme_command_runs_as_shown(tmp_path):
    (tmp_path / "demo").mkdir()
    shutil.copy(REPO / "demo" / "article.txt", tmp_path / "demo" / "article.txt")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("PAPERCAST_SHOW", None)
    cwd = tmp_path
    steps = readme_commands()
    assert len(steps) >= 12
    for command, shown in steps:
        if command.startswith("source "):
            continue
        if command.startswith("cd "):
            cwd = cwd / command[3:]
            continue
        result = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                                timeout=600)
        shown_errors = [line for line in shown if line.startswith("error: ")]
        if shown_errors:
            assert result.returncode == 1, command
            assert result.stderr.strip().splitlines() == shown_errors, command
        else:
            assert result.returncode == 0, f"{command}\n{result.stderr}"
            assert "Traceback" not in result.stderr
