"""A local HTTP server for tests, so no test reaches the internet.

Use the `stub_server` fixture (import it into a test module, or list this module in
`pytest_plugins`), register routes, and fetch `stub_server.url(path)`:

    stub_server.route("/a", body="<html>…</html>")
    stub_server.route("/slow", body="late", delay=2)
    stub_server.route("/flaky", status=[500, 200], body="ok")     # one status per request
    stub_server.route("/loop", redirect="/loop")
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    statuses: list[int]
    body: bytes
    headers: dict[str, str]
    delay: float
    redirect: str | None
    hits: int = 0

    def next_status(self) -> int:
        # A list of statuses plays out one per request; the last one repeats.
        status = self.statuses[min(self.hits, len(self.statuses) - 1)]
        self.hits += 1
        return status


@dataclass
class StubServer:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def route(
        self,
        path: str,
        *,
        body: str | bytes = b"",
        status: int | list[int] = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0,
        redirect: str | None = None,
    ) -> Route:
        """Serve `body` at `path`; content_type=None sends no Content-Type header at all."""
        all_headers = {"Content-Type": content_type} if content_type else {}
        all_headers.update(headers or {})
        route = Route(
            statuses=status if isinstance(status, list) else [status],
            body=body.encode("utf-8") if isinstance(body, str) else body,
            headers=all_headers,
            delay=delay,
            redirect=redirect,
        )
        self.routes[path] = route
        return route


def _handler_for(server: StubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            status = route.next_status()
            if route.delay:
                time.sleep(route.delay)
            if route.redirect is not None:
                self.send_response(302)
                self.send_header("Location", route.redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up early on purpose (size limit, timeout)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

    return Handler


@pytest.fixture
def stub_server():
    stub = StubServer(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(stub))
    httpd.daemon_threads = True
    stub.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    # A short poll interval keeps shutdown, and so each test's teardown, quick.
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        httpd.shutdown()
        httpd.server_close()
