"""`papercast serve`: the show's output/ folder over HTTP, so podcast apps and phones on the LAN can subscribe.

Component: Starlette's `StaticFiles` (with its `FileResponse`), run by uvicorn. Both are widely used and
maintained, and StaticFiles already does what podcast apps depend on: single and multiple byte ranges
(206 with Content-Range, 416 with `bytes */size` when unsatisfiable, If-Range), HEAD, ETag and
Last-Modified with 304 on If-None-Match / If-Modified-Since, 405 with `Allow: GET, HEAD` for other
methods, no folder listings, and symlink targets checked against the served folder (realpath). uvicorn
is a production server (keep-alive, backpressure, graceful shutdown on Ctrl-C).

What papercast adds on top:
- MIME types fixed by extension rather than taken from the OS's mime.types (which differs between
  machines and lacks .vtt/.srt on some): audio/mpeg, application/rss+xml, text/vtt, application/x-subrip,
  application/json, image/jpeg, text/html; charset=utf-8.
- Hidden files (any path segment starting with '.') and files being written (*.part, *.tmp) are 404,
  as are paths with '..', backslashes or NUL bytes — even where normalisation would have made them safe,
  since no honest client sends them.
- `Cache-Control: no-cache`: files are replaced in place under the same name when the show is
  republished, so clients must revalidate (a cheap 304) rather than guess freshness.
- A private feed: with a token, everything lives under /<token>/ and any other URL is 404, so a stranger
  cannot even learn that a feed is here.
- Refusing to serve a show folder itself (output = "."), which would expose the catalog and settings.
"""
from __future__ import annotations

import asyncio
import errno
import hmac
import logging
import os
import socket
from pathlib import Path
from typing import Callable, Iterable

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
# StaticFiles' own reading of the request path; checking that same string is what keeps the checks and
# the file served in agreement.
from starlette._utils import get_route_path

from papercast.config import CONFIG_FILE
from papercast.errors import PapercastError

MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".xml": "application/rss+xml",  # the only XML papercast publishes is the feed
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
UNFINISHED_SUFFIXES = (".part", ".tmp")
ALL_INTERFACES = ("0.0.0.0", "::")


def is_public(segments: Iterable[str]) -> bool:
    """Whether a path inside output/ may be served: no hidden or unfinished file, nothing that could climb out."""
    for segment in segments:
        if segment.startswith(".") or "\\" in segment or "\0" in segment or segment.endswith(UNFINISHED_SUFFIXES):
            return False
    return True


class PublishedFiles(StaticFiles):
    """StaticFiles restricted to what is public in output/, with papercast's MIME types."""

    def __init__(self, output: Path) -> None:
        super().__init__(directory=output, html=True)
        self.root = os.path.realpath(output)

    def get_path(self, scope: Scope) -> str:
        if not is_public(get_route_path(scope).split("/")):
            raise HTTPException(status_code=404)
        return super().get_path(scope)

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        full_path, stat_result = super().lookup_path(path)
        # A symlink inside output/ may still point at a hidden or unfinished file there.
        if stat_result is not None and not is_public(Path(full_path).relative_to(self.root).parts):
            return "", None
        return full_path, stat_result

    def file_response(self, full_path, stat_result: os.stat_result, scope: Scope, status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        if isinstance(response, FileResponse):
            media_type = MEDIA_TYPES.get(Path(full_path).suffix.lower())
            if media_type:
                response.headers["content-type"] = media_type
        response.headers["cache-control"] = "no-cache"
        return response


class TokenGate:
    """Passes a request on only under /<token>/, with the token taken off the path; anything else is 404."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = get_route_path(scope).removeprefix("/").split("/", 1)[0]
        if not hmac.compare_digest(given.encode(), self.token):
            raise HTTPException(status_code=404)
        scope = dict(scope, root_path=scope.get("root_path", "") + "/" + given)
        await self.app(scope, receive, send)


def make_app(output: Path, token: str | None) -> Starlette:
    """The ASGI app serving `output`, privately under /<token>/ when a token is given."""
    if not output.is_dir():
        raise PapercastError(f"{output} does not exist: run `papercast render` (or `papercast feed`) to publish first")
    if (output / CONFIG_FILE).exists():
        raise PapercastError(f"{output} is a show folder, and serving it would expose the catalog: "
                             f"set [show] output in {output / CONFIG_FILE} to a subfolder such as \"output\"")
    files: ASGIApp = PublishedFiles(output)
    if token:
        files = TokenGate(files, token)
    return Starlette(routes=[Mount("/", app=files)])


def serve(output: Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          on_ready: Callable[[str], object] = print) -> None:
    """Serve `output` until Ctrl-C; `on_ready` gets the subscribe URLs once requests can be made."""
    app = make_app(output, token)
    listener = listen(host, port)
    port = listener.getsockname()[1]
    # The socket is already listening, so a client that connects now waits in the backlog until uvicorn accepts.
    on_ready(ready_message(output, host, port, token))
    try:
        make_server(app).run(sockets=[listener])
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully, then re-raises the Ctrl-C it caught; stopping is the expected end here.
        pass
    finally:
        listener.close()


class QuietCancellation(logging.Filter):
    """Ctrl-C cuts downloads still in flight (apps resume them with a Range request): not an error to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        cancelled = record.exc_info is not None and isinstance(record.exc_info[1], asyncio.CancelledError)
        return not cancelled and "graceful shutdown" not in record.getMessage()


QUIET_CANCELLATION = QuietCancellation()


def make_server(app: ASGIApp) -> uvicorn.Server:
    """uvicorn, quiet (the URLs are printed once, no access log) and quick to stop on Ctrl-C even while a
    podcast app is downloading."""
    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False, server_header=False,
                            timeout_graceful_shutdown=1)
    logging.getLogger("uvicorn.error").addFilter(QUIET_CANCELLATION)
    return uvicorn.Server(config)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound here so a busy port is a clear error and port 0 is known before uvicorn starts."""
    listener = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE)[0]
        # proto must say TCP: asyncio sets TCP_NODELAY only on such sockets, and without it every response
        # waits ~40 ms for a delayed ACK.
        listener = socket.socket(family, kind, proto)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(socket.SOMAXCONN)
        return listener
    except socket.gaierror:
        raise PapercastError(f"host {host!r} is not an address: use 127.0.0.1, 0.0.0.0 (the LAN) "
                             "or one of this machine's addresses with --host") from None
    except OSError as error:
        if listener is not None:
            listener.close()
        if error.errno == errno.EADDRINUSE:
            raise PapercastError(f"port {port} is in use: pick another with --port") from None
        if error.errno == errno.EACCES:
            raise PapercastError(f"port {port} needs administrator rights: pick one above 1023 with --port") from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise PapercastError(f"{host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 (the LAN) "
                                 "or one of its own addresses with --host") from None
        raise PapercastError(f"cannot listen on {host}:{port} ({error.strerror}): try another --host or --port") from None


def base_urls(host: str, port: int, token: str | None) -> list[str]:
    """The URLs (ending in '/') under which the show can be reached: this machine's LAN addresses too when
    listening on all interfaces."""
    hosts = ["127.0.0.1", *lan_addresses()] if host in ALL_INTERFACES else [host]
    prefix = f"{token}/" if token else ""
    return [f"http://{f'[{name}]' if ':' in name else name}:{port}/{prefix}" for name in hosts]


def elsewhere_hint(base_url: str, host: str, port: int) -> str | None:
    """A note when the feed's episode URLs (built from base_url) do not lead to this server, so players
    subscribed here would fetch audio from somewhere else; None when they do."""
    roots = base_urls(host, port, None)
    if base_url.rstrip("/") + "/" in roots:
        return None
    suggested = roots[-1].rstrip("/")  # a LAN address when there is one: the one phones can reach
    return (f"note: feed.xml points players at {base_url or '(no base_url)'}; to play episodes from this server, "
            f"set base_url = \"{suggested}\" in papercast.toml and run `papercast feed`")


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other phones can reach: the one its default route leaves from
    (what a phone on the same Wi-Fi uses), then any others its host name resolves to."""
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        # Connecting a UDP socket sends nothing; it only asks the kernel which address a packet would leave from.
        probe.connect(("10.255.255.255", 1))
        found.append(probe.getsockname()[0])
    except OSError:
        pass  # no route at all: the host name may still resolve to a LAN address
    finally:
        probe.close()
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except socket.gaierror:
        infos = []
    found.extend(info[4][0] for info in infos)
    return [address for address in dict.fromkeys(found) if not address.startswith(("127.", "0."))]


def ready_message(output: Path, host: str, port: int, token: str | None) -> str:
    lines = [f"serving {output} on {host}:{port} (Ctrl-C to stop)"]
    for url in base_urls(host, port, token):
        lines += [f"  feed: {url}feed.xml", f"  site: {url}"]
    if host in ALL_INTERFACES and not token:
        lines.append("anyone on this network can read the feed: run `papercast token rotate` to make it private")
    return "\n".join(lines)
