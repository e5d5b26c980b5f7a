"""`papercast cache`: how big the take cache is and how often renders hit it; `cache prune` trims it."""
from __future__ import annotations

import typer

from papercast.cli import app, echo, open_show

cache_app = typer.Typer(help="The take cache: size and hit rate; prune it to a size.", no_args_is_help=False)
app.add_typer(cache_app, name="cache")


def megabytes(size: int) -> str:
    return f"{size / 10**6:,.1f} MB"


@cache_app.callback(invoke_without_command=True)
def show_cache(context: typer.Context) -> None:
    """Print the cache's size, its number of takes and the hit rate of renders so far."""
    if context.invoked_subcommand is not None:
        return
    from papercast.cache_admin import summary

    found = summary(open_show())
    echo(f"cache: {megabytes(found.bytes)} in {found.takes:,} take{'s' if found.takes != 1 else ''}")
    if found.hit_rate is None:
        echo("hit rate: - (no render counted yet)")
    else:
        echo(f"hit rate: {found.hit_rate:.0%} ({found.hits:,} hits, {found.misses:,} misses)")


@cache_app.command()
def prune(
    max_size: str = typer.Option("2GB", "--max-size", help="Keep at most this much, e.g. 2GB or 500MB."),
) -> None:
    """Remove the least recently used takes until the cache fits in --max-size."""
    from papercast.cache_admin import parse_size, prune as trim

    result = trim(open_show(), parse_size(max_size))
    echo(f"removed {result.removed:,} take{'s' if result.removed != 1 else ''} ({megabytes(result.freed)}); "
         f"kept {result.kept:,} ({megabytes(result.kept_bytes)})")
