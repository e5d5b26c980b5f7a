"""A progress bar per episode on standard error: cues done of total, elapsed time, time left."""
from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


class ProgressReporter:
    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("cues"),
            TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=self.console, transient=False,
        )
        self.task = None

    def __enter__(self) -> "ProgressReporter":
        return self  # the display starts with the first episode: a run that renders nothing prints nothing

    def __exit__(self, *exc) -> bool:
        if self.progress.live.is_started:
            self.progress.stop()
        return False

    def start(self, row, total: int) -> None:
        title = row.title if len(row.title) <= 40 else row.title[:39] + "…"
        if not self.progress.live.is_started:
            self.progress.start()
        self.task = self.progress.add_task(f"{row.id}: {title}", total=total)

    def advance(self) -> None:
        if self.task is not None:
            self.progress.advance(self.task)

    def finish(self, row, error: str | None) -> None:
        self.task = None

    def message(self, text: str) -> None:
        self.progress.console.print(text, markup=False, highlight=False)
