"""Commands to check what is published and how it sounds: check the feed, say a phrase."""
from __future__ import annotations

from pathlib import Path
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


@app.command()
def say(
    text: str = typer.Argument(..., help="The phrase to speak, in quotes."),
    output: Path = typer.Option(Path("say.mp3"), "--output", "-o", help="Where to write the MP3."),
    engine: Optional[str] = typer.Option(None, "--engine", help="Engine (default: the show's)."),
    voice: Optional[str] = typer.Option(None, "--voice", help="Voice (default: the show's)."),
    speed: Optional[float] = typer.Option(None, "--speed", help="Speaking rate."),
) -> None:
    """Speak a phrase with the show's voice and lexicon, to check a pronunciation quickly."""
    from papercast.library import say as speak

    echo(f"wrote {speak(text, output, state.show, engine=engine, voice=voice, speed=speed)}")
