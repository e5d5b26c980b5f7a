"""Commands about what is published: check the feed."""
from __future__ import annotations

from typing import Optional

import typer

from papercast.cli import app, echo, state


@app.command()
def check(
    target: Optional[str] = typer.Argument(None, help="A feed file or URL (default: this show's output/feed.xml)."),
    no_loudness: bool = typer.Option(False, "--no-loudness", help="Skip measuring each episode's loudness."),
) -> None:
    """Lint a feed against Apple Podcasts, Podcasting 2.0 and RSS 2.0 rules; exit 1 on an error."""
    from papercast.checking import check_target, summary

    checked, findings = check_target(target, state.show, loudness=not no_loudness)
    for finding in findings:
        echo(f"{finding.severity}: {finding.code}: {finding.message}")
    echo(f"{checked}: {summary(findings)}")
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)
