"""`make bench`: run every bench script and print one table of figure, value, target and whether it is met.

    .venv/bin/python bench/run.py [NAME ...]      (default: all of them; NAME as in bench/NAME.py)

Each script also runs alone (python bench/NAME.py) and prints its own rows.
"""
from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import Row, table  # noqa: E402

SCRIPTS = ["startup", "render_vs_raw", "rerender", "memory", "catalog", "gtts_render"]


def main(names: list[str]) -> int:
    rows: list[Row] = []
    broken: list[str] = []
    for name in names or SCRIPTS:
        print(f"== bench/{name}.py", flush=True)
        try:
            found = importlib.import_module(name).measure()
        except Exception:  # one broken script must not hide the others' figures
            traceback.print_exc()
            broken.append(name)
            continue
        print(table(found), flush=True)
        rows += found
    print("\n" + table(rows))
    for name in broken:
        print(f"bench/{name}.py failed: see its traceback above")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
