"""Commands that share the published show: serve output/ over HTTP, and the private feed's token."""
from __future__ import annotations

import typer

from papercast.cli import app, echo, open_show

token_app = typer.Typer(help="The private feed's secret URL.", no_args_is_help=True)
app.add_typer(token_app, name="token")


@app.command()
def serve(
    port: int = typer.Option(8000, "--port", help="Port to listen on (0: any free one)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; 0.0.0.0 lets phones on your network subscribe."),
) -> None:
    """Serve output/ so podcast apps can subscribe (privately, after `papercast token rotate`); Ctrl-C stops."""
    from papercast import token
    from papercast.serve import elsewhere_hint, serve as run

    show = open_show()
    secret = token.current(show.root)
    hint = elsewhere_hint(show.settings.show.base_url, host, port) if port else None
    run(show.output, host=host, port=port, token=secret,
        on_ready=lambda message: echo("\n".join(filter(None, [message, hint]))))


@token_app.command("rotate")
def rotate_token() -> None:
    """Make the feed private under a new secret URL; the old one stops working at once."""
    from papercast import token
    from papercast.library import republish

    show = open_show()
    secret = token.rotate(show.root)
    path, _, url = republish(show)
    echo(f"the feed is now private: subscribe at {url} (the token is kept in {show.root / token.TOKEN_FILE})")
