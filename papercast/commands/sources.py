"""`papercast sync`: articles from source feeds."""
from __future__ import annotations

from datetime import datetime
from typing import List, Optional

import typer

from papercast.cli import app, echo, open_show


@app.command()
def sync(
    feeds: Optional[List[str]] = typer.Argument(None, help="Source RSS/Atom feeds (default: `sources` under [sync] in papercast.toml)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Take at most this many new items from each feed, the newest."),
    since: Optional[datetime] = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="Take only items published on or after this date (YYYY-MM-DD)."),
) -> None:
    """Add the new items of source feeds as pending episodes; `papercast render` then reads them."""
    from papercast.sources import sync as take_new_items

    report = take_new_items(open_show(), feeds or [], limit=limit, since=since.date() if since else None)
    for row in report.added:
        echo(f"added episode {row.id}: {row.title}")
    for failure in report.failures:
        typer.echo(f"error: {failure}", err=True)
    if report.added:
        echo("next: papercast render")
    else:
        echo(f"nothing new: {report.already_taken} item{'s' if report.already_taken != 1 else ''} "
             "already in the show")
    if report.failures:
        raise typer.Exit(1)
