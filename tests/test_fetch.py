import socket

import httpx
import pytest

from articles.errors import ArticleError
from articles.fetch import USER_AGENT, decode, fetch
from httpstub import stub_server  # noqa: F401 (pytest fixture)

PAGE = "<html><head><title>T</title></head><body><p>Grüße aus Köln</p></body></html>"


def no_wait(url, **kwargs):
    return fetch(url, retry_waits=(0, 0), **kwargs)


def test_fetches_and_decodes_a_page(stub_server):
    stub_server.route("/a", body=PAGE)
    page = no_wait(stub_server.url("/a"))
    assert "Grüße aus Köln" in page.text
    assert page.content_type == "text/html"
    assert page.url == stub_server.url("/a")


def test_sends_its_own_user_agent():
    seen = {}

    def handler(request):
        seen["ua"] = request.headers["user-agent"]
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html"})

    with httpx.Client(transport=httpx.MockTransport(handler), headers={"User-Agent": USER_AGENT}) as client:
        fetch("https://example.test/a", client=client)
    assert seen["ua"].startswith("papercast/")


def test_follows_redirects_and_reports_the_final_address(stub_server):
    stub_server.route("/old", redirect="/new")
    stub_server.route("/new", body=PAGE)
    assert no_wait(stub_server.url("/old")).url == stub_server.url("/new")


def test_redirect_loop_is_named(stub_server):
    stub_server.route("/loop", redirect="/loop")
    with pytest.raises(ArticleError, match="redirect loop"):
        no_wait(stub_server.url("/loop"))


def test_404_says_check_the_address(stub_server):
    with pytest.raises(ArticleError, match=r"404 Not Found: check the address"):
        no_wait(stub_server.url("/missing"))


def test_other_4xx_is_not_retried(stub_server):
    route = stub_server.route("/forbidden", status=403)
    with pytest.raises(ArticleError, match="403"):
        no_wait(stub_server.url("/forbidden"))
    assert route.hits == 1


def test_server_error_is_retried_until_it_succeeds(stub_server):
    route = stub_server.route("/flaky", status=[500, 502, 200], body=PAGE)
    waits = []
    page = fetch(stub_server.url("/flaky"), retry_waits=(0.1, 0.2), sleep=waits.append)
    assert "Köln" in page.text
    assert route.hits == 3
    assert waits == [0.1, 0.2]


def test_persistent_server_error_gives_up_after_three_tries(stub_server):
    route = stub_server.route("/down", status=503)
    with pytest.raises(ArticleError, match=r"503 .*tried 3 times.*try again later"):
        no_wait(stub_server.url("/down"))
    assert route.hits == 3


def test_slow_server_times_out(stub_server):
    stub_server.route("/slow", body=PAGE, delay=1.0)
    with pytest.raises(ArticleError, match="did not answer in time"):
        no_wait(stub_server.url("/slow"), timeout=0.2)


def test_huge_body_is_refused(stub_server):
    stub_server.route("/huge", body=b"<p>" + b"x" * 50_000)
    with pytest.raises(ArticleError, match="larger than 1,000 bytes"):
        no_wait(stub_server.url("/huge"), max_bytes=1000)


def test_huge_streamed_body_without_length_is_cut_off():
    def handler(request):
        return httpx.Response(200, headers={"content-type": "text/html"},
                              stream=httpx.ByteStream(b"y" * 5000))

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ArticleError, match="larger than"):
            fetch("https://example.test/big", client=client, max_bytes=100)


@pytest.mark.parametrize("media_type", ["image/png", "application/pdf"])
def test_non_text_content_is_refused(stub_server, media_type):
    stub_server.route("/file", body=b"\x89PNG\r\n", content_type=media_type)
    with pytest.raises(ArticleError, match=f"serves {media_type}, not a web page"):
        no_wait(stub_server.url("/file"))


def test_connection_refused_is_named():
    with socket.socket() as sock:  # a port nobody listens on once this closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ArticleError, match=r"cannot connect.*tried 3 times.*check the address"):
        no_wait(f"http://127.0.0.1:{port}/")


def test_windows_1252_without_any_charset_is_guessed(stub_server):
    text = ("<html><body><p>The caf\u00e9\u2019s owner said \u201cwe\u2019re open\u201d \u2013 and the "
            "cr\u00e8me br\u00fbl\u00e9e was excellent. It\u2019s the best in town.</p></body></html>")
    stub_server.route("/legacy", body=text.encode("cp1252"), content_type=None)
    assert "caf\u00e9\u2019s owner said \u201cwe\u2019re open\u201d \u2013" in no_wait(stub_server.url("/legacy")).text


def test_meta_charset_is_used_when_header_has_none(stub_server):
    body = '<html><head><meta charset="windows-1252"></head><body>\u201cquoted\u201d</body></html>'
    stub_server.route("/meta", body=body.encode("cp1252"), content_type="text/html")
    assert "\u201cquoted\u201d" in no_wait(stub_server.url("/meta")).text


def test_a_wrong_header_charset_is_overruled_by_the_bytes():
    body = "<html><body>Grüße</body></html>".encode("utf-8")
    assert "Grüße" in decode(body, "text/html; charset=us-ascii")


def test_latin1_label_reads_as_windows_1252_like_browsers():
    assert decode("\u2019".encode("cp1252"), "text/html; charset=iso-8859-1") == "\u2019"
