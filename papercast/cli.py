"""The `papercast` command: a table of thin commands over the library. Each parses its arguments, calls
one function and prints the result; expected failures become one `error: …` line and exit code 1."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from papercast.errors import USER_ERRORS

app = typer.Typer(
    name="papercast",
    help="Turn written articles into a podcast: add articles, render episodes, publish a feed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: rich's help formatter alone would triple the start-up of every command.
    rich_markup_mode=None,
)


class State:
    show: Optional[str] = None
    quiet: bool = False
    debug: bool = False


state = State()


@app.callback()
def global_options(
    show: Optional[str] = typer.Option(None, "--show", help="The show folder (default: found from the current folder upward, or $PAPERCAST_SHOW)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only results and errors, no progress."),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback for errors."),
) -> None:
    state.show, state.quiet, state.debug = show, quiet, debug


def open_show():
    from papercast.show import open_show as find

    return find(state.show)


def echo(text: str = "") -> None:
    typer.echo(text)


@app.command()
def init(
    folder: Path = typer.Argument(..., help="Folder to create the show in."),
    title: str = typer.Option("My papercast", "--title", help="The show's title."),
    base_url: str = typer.Option("", "--base-url", help="Where output/ will be published, e.g. https://example.org/pod."),
    email: str = typer.Option("", "--email", help="The owner's e-mail, which Apple Podcasts asks for."),
) -> None:
    """Create a show: papercast.toml, the catalog and output/."""
    from papercast.show import init as create

    create(folder, title, base_url, email)
    echo(f"created show {title!r} in {folder}")
    echo(f"next: cd {folder} && papercast add ARTICLE && papercast render")
    if not base_url:
        echo(f"set base_url in {folder / 'papercast.toml'} before publishing the feed")


@app.command()
def add(
    sources: Optional[List[str]] = typer.Argument(None, help="Article files (.txt, .md, .html), URLs, or '-' for standard input."),
    from_file: Optional[str] = typer.Option(None, "--from", help="A file listing sources, one per line ('#' comments); '-' reads the list from standard input."),
    edition: Optional[str] = typer.Option(None, "--edition", help="Make ONE episode of all the sources, with this title: an intro listing them, then a chapter each."),
    engine: Optional[str] = typer.Option(None, "--engine", help="Engine for this article (see `papercast voices`)."),
    voice: Optional[str] = typer.Option(None, "--voice", help="Voice for this article."),
    speed: Optional[float] = typer.Option(None, "--speed", help="Speaking rate for this article, e.g. 1.2."),
    skip_existing: bool = typer.Option(False, "--skip-existing", help="An article already in the show is not an error."),
    replace: Optional[int] = typer.Option(None, "--replace", metavar="ID", help="The article is a new version of episode ID: same episode and GUID; render it again to hear the changes."),
) -> None:
    """Add articles to the show as pending episodes; prints each new episode's id."""
    if replace is not None:
        from papercast.revision import replace_article

        row = replace_article(open_show(), replace, sources or [])
        again = f"--force {row.id}" if row.file else str(row.id)
        echo(f"episode {row.id} now reads {row.source}: run `papercast render {again}` to hear the changes")
        return
    from papercast.sources import add_sources

    results = add_sources(open_show(), sources or [], from_file=from_file, edition=edition,
                          engine=engine, voice=voice, speed=speed)
    failed = False
    for result in results:
        if result.error:
            failed = True
            typer.echo(f"error: {result.error}", err=True)
        elif result.created:
            echo(f"added episode {result.row.id}: {result.row.title}")
        elif skip_existing:
            echo(f"episode {result.row.id} already has this article: nothing to add")
        else:
            failed = True
            typer.echo(f"error: {result.source} is already episode {result.row.id} ({result.row.title}): "
                       f"to render it again run `papercast render --force {result.row.id}`", err=True)
    if failed:
        raise typer.Exit(1)


@app.command()
def render(
    ids: Optional[List[int]] = typer.Argument(None, help="Episode ids (default: every pending episode)."),
    force: bool = typer.Option(False, "--force", help="Render again episodes already rendered (keeps their GUIDs)."),
    engine: Optional[str] = typer.Option(None, "--engine", help="Engine for this run."),
    voice: Optional[str] = typer.Option(None, "--voice", help="Voice for this run."),
    speed: Optional[float] = typer.Option(None, "--speed", help="Speaking rate for this run."),
    fallback: Optional[str] = typer.Option(None, "--fallback", help="Engine that speaks what the chosen one cannot (offline, out of quota), e.g. piper."),
    no_wait: bool = typer.Option(False, "--no-wait", help="Exit at once if another papercast is working on the show."),
) -> None:
    """Render pending episodes to MP3 and rewrite the feed."""
    from papercast.pipeline import QuietReporter, render as run

    show = open_show()
    if state.quiet:
        reporter = QuietReporter()
    else:
        from papercast.progress import ProgressReporter  # rich's live display: not loaded for --quiet

        reporter = ProgressReporter()
    with reporter:
        report = run(show, ids=ids, force=force, reporter=reporter, wait=not no_wait, fallback=fallback,
                     overrides={"engine": engine, "voice": voice, "speed": speed})
    for row in report.rendered:
        echo(f"rendered episode {row.id}: {row.file} ({format_duration(row.duration)}, {row.bytes:,} bytes)")
    for row, error in report.failed:
        typer.echo(f"error: episode {row.id} failed: {error}", err=True)
    if not report.rendered and not report.failed:
        echo("nothing to render: add an article with `papercast add FILE`")
    echo(f"feed: {relative(report.feed)}")
    for finding in report.findings:
        echo(f"check {finding.severity}: {finding.code}: {finding.message}")
    if report.failed:
        raise typer.Exit(1)


@app.command("list")
def list_episodes(as_json: bool = typer.Option(False, "--json", help="Print JSON, one object per episode.")) -> None:
    """List the show's episodes."""
    from papercast.library import episode_summaries

    summaries = episode_summaries(open_show())
    if as_json:
        echo(json.dumps(summaries, indent=2, ensure_ascii=False))
        return
    if not summaries:
        echo("no episodes yet: add one with `papercast add FILE`")
        return
    for item in summaries:
        duration = format_duration(item["duration"]) if item["duration"] else "-"
        echo(f"{item['id']:>4}  {item['status']:<8}  {duration:>8}  {item['title']}")


@app.command()
def remove(episode_id: int = typer.Argument(..., help="The episode's id (see `papercast list`).")) -> None:
    """Remove an episode: from the feed first, then its files."""
    from papercast.library import remove_episode

    row = remove_episode(open_show(), episode_id)
    echo(f"removed episode {row.id}: {row.title}")


@app.command()
def feed() -> None:
    """Rewrite feed.xml (and the site, transcripts, chapters) from the catalog."""
    from papercast.library import republish

    path, count, url = republish(open_show())
    echo(f"{relative(path)}: {count} episode{'s' if count != 1 else ''}, subscribe at {url}")


VOICES_SHOWN = 12


@app.command()
def voices(engine: Optional[str] = typer.Argument(None, help="List every voice of this engine.")) -> None:
    """List engines and their voices, and whether each is available here."""
    from papercast.library import engine_voices

    for name, ok, reason, voice_list in engine_voices(engine):
        echo(f"{name}: {'available' if ok else 'not available: ' + reason}")
        shown = voice_list if engine else voice_list[:VOICES_SHOWN]
        for item in shown:
            echo(f"  {item.name:<24} {item.language:<8} {item.description}")
        if len(voice_list) > len(shown):
            echo(f"  … and {len(voice_list) - len(shown)} more: papercast voices {name}")


@app.command()
def text(
    source: str = typer.Argument(..., help="An article file, URL, or '-'."),
    spoken: bool = typer.Option(False, "--spoken", help="Print the spoken script with its pauses instead."),
    as_json: bool = typer.Option(False, "--json", help="Print the article as one JSON object."),
) -> None:
    """Show how papercast understands an article, without synthesising anything."""
    from papercast.library import article_json, describe_article, spoken_script

    if spoken:
        echo(spoken_script(source, state.show))
    elif as_json:
        echo(json.dumps(article_json(source), indent=2, ensure_ascii=False))
    else:
        echo(describe_article(source))


def format_duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def relative(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run(argv: list[str]) -> int:
    """The one error boundary: expected failures print one line and return 1; --debug re-raises them."""
    try:
        app(args=argv, prog_name="papercast")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except USER_ERRORS as error:
        if state.debug:
            raise
        typer.echo(f"error: {error}", err=True)
        return 1
    except KeyboardInterrupt:
        typer.echo("interrupted: what was already published is unchanged", err=True)
        return 130
    return 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))


import papercast.commands  # noqa: E402,F401  (registers the command modules on `app`)
