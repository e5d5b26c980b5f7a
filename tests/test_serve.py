"""`papercast serve` over real HTTP on 127.0.0.1: what podcast apps need, and nothing outside output/."""
import email.utils
import http.client
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from papercast.errors import PapercastError
from papercast.serve import base_urls, elsewhere_hint, lan_addresses, listen, make_app, make_server, ready_message, serve

TOKEN = "k" * 32
SECRET = "catalog-secret"
EPISODE = random.Random(0).randbytes(1 << 20)
PUBLISHED = {
    "feed.xml": ("<rss version='2.0'/>", "application/rss+xml"),
    "index.html": ("<h1>show</h1>", "text/html; charset=utf-8"),
    "cover.jpg": ("jpeg", "image/jpeg"),
    "transcripts/one.vtt": ("WEBVTT\n", "text/vtt; charset=utf-8"),
    "transcripts/one.srt": ("1\n", "application/x-subrip"),
    "chapters/one.json": ("{}", "application/json"),
}


def make_show(root: Path) -> Path:
    """A show folder whose private files hold SECRET, with output/ as papercast publishes it, plus traps."""
    output = root / "output"
    (output / "episodes").mkdir(parents=True)
    (root / "cache").mkdir()
    for private in ("papercast.toml", "papercast.db", "token", "cache/take.pcm"):
        (root / private).write_text(SECRET)
    for name, (content, _) in PUBLISHED.items():
        (output / name).parent.mkdir(exist_ok=True)
        (output / name).write_text(content)
    (output / "episodes/one.mp3").write_bytes(EPISODE)
    for hidden in (".hidden", "episodes/.two.mp3.part", "episodes/three.mp3.tmp"):
        (output / hidden).write_text(SECRET)
    (output / "escape.toml").symlink_to(root / "papercast.toml")
    (output / "outside").symlink_to(root / "cache")
    (output / "revealed.txt").symlink_to(output / ".hidden")
    return output


@contextmanager
def running(app):
    listener = listen("127.0.0.1", 0)
    server = make_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]})
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    return make_show(tmp_path_factory.mktemp("show"))


@pytest.fixture(scope="module")
def public(output):
    with running(make_app(output, None)) as url:
        yield url


@pytest.fixture(scope="module")
def private(output):
    with running(make_app(output, TOKEN)) as url:
        yield url


def raw(url: str, target: str, method: str = "GET") -> tuple[int, bytes]:
    """A request with the target sent byte for byte, as httpx would normalise away '..' and friends."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, target)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# What podcast apps rely on


def test_a_range_request_gets_exactly_those_bytes(public):
    response = httpx.get(f"{public}/episodes/one.mp3", headers={"Range": "bytes=0-99"})

    assert response.status_code == 206
    assert response.content == EPISODE[:100]
    assert response.headers["content-range"] == f"bytes 0-99/{len(EPISODE)}"


def test_a_suffix_range_gets_the_end_of_the_file(public):
    response = httpx.get(f"{public}/episodes/one.mp3", headers={"Range": "bytes=-10"})

    assert response.status_code == 206
    assert response.content == EPISODE[-10:]


def test_head_gives_the_length_without_the_body(public):
    response = httpx.head(f"{public}/episodes/one.mp3")

    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(EPISODE)
    assert response.headers["accept-ranges"] == "bytes"
    assert response.content == b""


def test_a_range_past_the_end_is_416_with_the_size(public):
    response = httpx.get(f"{public}/episodes/one.mp3", headers={"Range": f"bytes={len(EPISODE)}-"})

    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(EPISODE)}"


def test_an_unchanged_file_is_304_by_etag(public):
    etag = httpx.get(f"{public}/feed.xml").headers["etag"]

    response = httpx.get(f"{public}/feed.xml", headers={"If-None-Match": etag})
    changed = httpx.get(f"{public}/feed.xml", headers={"If-None-Match": '"something-else"'})

    assert response.status_code == 304
    assert response.headers["etag"] == etag
    assert response.content == b""
    assert changed.status_code == 200


def test_an_unchanged_file_is_304_by_date(public):
    modified = httpx.get(f"{public}/feed.xml").headers["last-modified"]
    earlier = email.utils.formatdate(email.utils.parsedate_to_datetime(modified).timestamp() - 3600, usegmt=True)

    assert httpx.get(f"{public}/feed.xml", headers={"If-Modified-Since": modified}).status_code == 304
    assert httpx.get(f"{public}/feed.xml", headers={"If-Modified-Since": earlier}).status_code == 200


def test_clients_are_told_to_revalidate_since_files_are_republished_in_place(public):
    assert httpx.get(f"{public}/feed.xml").headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("name", [*PUBLISHED, "episodes/one.mp3"])
def test_each_published_kind_has_its_media_type(public, name):
    expected = PUBLISHED[name][1] if name in PUBLISHED else "audio/mpeg"

    response = httpx.get(f"{public}/{name}")

    assert response.status_code == 200
    assert response.headers["content-type"] == expected


def test_the_root_is_the_site(public):
    response = httpx.get(f"{public}/")

    assert response.status_code == 200
    assert response.text == PUBLISHED["index.html"][0]


def test_many_clients_seeking_at_once_each_get_their_bytes(public):
    """20 clients × 10 random ranges at once, as when several phones scrub through one episode."""
    start_together = threading.Barrier(20)

    def listener(seed: int) -> list[tuple[int, bool]]:
        chance = random.Random(seed)
        answers = []
        with httpx.Client(timeout=30) as client:
            start_together.wait()
            for _ in range(10):
                first = chance.randrange(len(EPISODE))
                last = chance.randrange(first, len(EPISODE))
                response = client.get(f"{public}/episodes/one.mp3", headers={"Range": f"bytes={first}-{last}"})
                answers.append((response.status_code, response.content == EPISODE[first:last + 1]))
        return answers

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = [answer for answers in pool.map(listener, range(20)) for answer in answers]

    assert len(answers) == 200
    assert all(answer == (206, True) for answer in answers)


# Nothing but output/, and only what is finished and public there


@pytest.mark.parametrize("target", [
    "/../papercast.toml",
    "/episodes/../../papercast.toml",
    "/%2e%2e/papercast.toml",
    "/%2E%2E/papercast.toml",
    "/%252e%252e/papercast.toml",
    "/episodes/..%2f..%2fpapercast.toml",
    "/%2f..%2fpapercast.toml",
    "//etc/passwd",
    "/..\\papercast.toml",
    "/%5c..%5cpapercast.toml",
    "/feed.xml%00",
    "/feed.xml%00.mp3",
    "/escape.toml",
    "/outside/take.pcm",
    "/revealed.txt",
    "/papercast.db",
    "/token",
    "/cache/take.pcm",
    "/.hidden",
    "/%2ehidden",
    "/episodes/.two.mp3.part",
    "/episodes/three.mp3.tmp",
])
def test_nothing_outside_or_unfinished_is_served(public, target):
    status, body = raw(public, target)

    assert status == 404
    assert SECRET.encode() not in body


@pytest.mark.parametrize("target", ["/episodes/", "/episodes", "/transcripts/"])
def test_folders_are_never_listed(public, target):
    status, body = raw(public, target)

    assert status == 404
    assert b"one." not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head_are_answered(public, method):
    response = httpx.request(method, f"{public}/feed.xml")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_an_absolute_url_as_the_target_stays_inside(public):
    status, body = raw(public, f"{public}/../papercast.toml")

    assert status == 404
    assert SECRET.encode() not in body


# Private feeds


def test_a_private_feed_is_served_under_its_token(private):
    assert httpx.get(f"{private}/{TOKEN}/feed.xml").text == PUBLISHED["feed.xml"][0]
    assert httpx.get(f"{private}/{TOKEN}/episodes/one.mp3", headers={"Range": "bytes=0-99"}).content == EPISODE[:100]
    assert httpx.get(f"{private}/{TOKEN}/").text == PUBLISHED["index.html"][0]


def test_the_token_root_redirects_to_the_site_so_its_relative_links_work(private):
    response = httpx.get(f"{private}/{TOKEN}")

    assert response.status_code in (301, 302, 307, 308)
    assert urlsplit(response.headers["location"]).path == f"/{TOKEN}/"


@pytest.mark.parametrize("target", [
    "/feed.xml", "/", f"/{TOKEN[:-1]}/feed.xml", f"/{TOKEN}x/feed.xml", f"/{TOKEN.upper()}/feed.xml",
    f"/x/{TOKEN}/feed.xml", "/%C3%A9/feed.xml", f"/{TOKEN}/../papercast.toml", f"/{TOKEN}/%2e%2e/token",
])
def test_without_the_right_token_there_is_nothing_here(private, target):
    status, body = raw(private, target)

    assert status == 404
    assert SECRET.encode() not in body


def test_a_wrong_token_is_404_for_any_method_so_the_feed_is_not_revealed(private):
    assert raw(private, "/feed.xml", method="POST")[0] == 404
    assert raw(private, f"/{TOKEN}/feed.xml", method="POST")[0] == 405


# Starting and stopping


def test_make_app_refuses_a_missing_folder(tmp_path):
    with pytest.raises(PapercastError, match="papercast render"):
        make_app(tmp_path / "output", None)


def test_make_app_refuses_to_serve_the_show_folder_itself(tmp_path):
    (tmp_path / "papercast.toml").write_text("")

    with pytest.raises(PapercastError, match=r"\[show\] output"):
        make_app(tmp_path, None)


def test_a_busy_port_names_the_fix(tmp_path):
    (tmp_path / "output").mkdir()
    with socket.create_server(("127.0.0.1", 0)) as busy:
        with pytest.raises(PapercastError, match="in use: pick another with --port"):
            serve(tmp_path / "output", port=busy.getsockname()[1], on_ready=lambda message: None)


@pytest.mark.parametrize("host", ["192.0.2.1", "no-such-host.invalid"])
def test_a_host_that_is_not_here_names_the_fix(host):
    with pytest.raises(PapercastError, match="--host"):
        listen(host, 0)


def test_the_listener_is_tcp_so_asyncio_turns_off_nagle():
    """Without TCP_NODELAY every small response waited ~40 ms for a delayed ACK (measured: 43 → 416 req/s)."""
    with listen("127.0.0.1", 0) as listener:
        assert listener.proto == socket.IPPROTO_TCP


@contextmanager
def serving_in_a_process(output: Path, errors: Path):
    """`serve` as the CLI runs it: its own process, stopped by Ctrl-C (SIGINT); yields its printed lines."""
    program = f"from pathlib import Path; from papercast.serve import serve; serve(Path({str(output)!r}), port=0, token={TOKEN!r})"
    with errors.open("w") as stderr:
        process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=stderr, text=True)
    try:
        yield process, [process.stdout.readline() for _ in range(3)]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_serve_prints_where_to_subscribe_and_stops_cleanly_on_ctrl_c(tmp_path):
    with serving_in_a_process(make_show(tmp_path), tmp_path / "stderr") as (process, lines):
        feed_url = lines[1].split("feed: ")[1].strip()
        site_url = lines[2].split("site: ")[1].strip()

        assert feed_url.endswith(f"/{TOKEN}/feed.xml")
        assert httpx.get(feed_url).text == PUBLISHED["feed.xml"][0]
        assert httpx.get(site_url).text == PUBLISHED["index.html"][0]
    assert process.returncode == 0
    assert (tmp_path / "stderr").read_text() == ""


def test_ctrl_c_during_a_download_stops_without_a_traceback(tmp_path):
    output = make_show(tmp_path)
    (output / "episodes/long.mp3").write_bytes(EPISODE * 64)
    with serving_in_a_process(output, tmp_path / "stderr") as (process, lines):
        site_url = lines[2].split("site: ")[1].strip()
        # A listener still downloading when the server stops: the server cuts the download short.
        with pytest.raises(httpx.RemoteProtocolError):
            with httpx.stream("GET", f"{site_url}episodes/long.mp3") as download:
                process.send_signal(signal.SIGINT)
                for _ in download.iter_raw(4096):
                    time.sleep(0.001)  # reading slowly, as a phone on Wi-Fi would
        process.wait(timeout=30)
    assert process.returncode == 0
    assert (tmp_path / "stderr").read_text() == ""


def test_local_urls_carry_the_token():
    assert base_urls("127.0.0.1", 8000, "T") == ["http://127.0.0.1:8000/T/"]
    assert base_urls("::1", 8000, None) == ["http://[::1]:8000/"]


def test_listening_on_every_interface_lists_the_lan_addresses_too():
    urls = base_urls("0.0.0.0", 8000, None)

    assert urls[0] == "http://127.0.0.1:8000/"
    assert urls[1:] == [f"http://{address}:8000/" for address in lan_addresses()]
    assert not any(address.startswith("127.") for address in lan_addresses())


def test_a_public_feed_on_the_lan_suggests_a_token(tmp_path):
    assert "papercast token rotate" in ready_message(tmp_path, "0.0.0.0", 8000, None)
    assert "papercast token rotate" not in ready_message(tmp_path, "0.0.0.0", 8000, TOKEN)
    assert "papercast token rotate" not in ready_message(tmp_path, "127.0.0.1", 8000, None)


def test_a_feed_pointing_at_this_server_needs_no_hint():
    assert elsewhere_hint("http://127.0.0.1:8000/", "127.0.0.1", 8000) is None
    assert elsewhere_hint("http://127.0.0.1:8000", "127.0.0.1", 8000) is None


def test_a_feed_pointing_elsewhere_suggests_this_servers_url():
    hint = elsewhere_hint("https://example.org/pod", "127.0.0.1", 8000)

    assert 'base_url = "http://127.0.0.1:8000"' in hint
    assert "papercast feed" in hint
