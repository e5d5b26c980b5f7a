"""Bad input, through the CLI: each case fails with one exact line, exit 1, no traceback, and leaves
the published show (output/ byte for byte, the catalog as `papercast list --json` shows it) as it was.

Every case starts from a copy of one show with one rendered episode. A case may `prepare` the show
first (write a file, break a setting, add an article); the snapshot is taken after that, just before
the bad command runs. A failed `render` records its error on the episode it was rendering (that is what
`papercast list` is for): `fails` names that episode, and only its status/error may change.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image

from sample_articles import ARTICLE

# -- the table ------------------------------------------------------------------------------------
SENTENCE = "Trains run at night between the cities and people sleep on them happily."
BODY = f"A title\n\n{SENTENCE}\n"
NO_ARTICLE_HTML = ("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
                   "<a href='/about'>About</a></nav><footer>© 2024</footer></body></html>")
FM = "\n\nTrains run at night between the cities.\n"
RSS = "application/rss+xml"
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
          '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
          '<rss version="2.0"><channel><title>&lol2;</title><item><title>x</title></item></channel></rss>')
XXE = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title></item></channel></rss>')
BAD_TOML = '[show]\ntitle = "Test Show"\nbase_url "https://example.org/pod"\n'


@dataclass
class Ctx:
    show: Path
    url: Callable[[str], str]
    stub: object
    monkeypatch: pytest.MonkeyPatch

    def write(self, name: str, data: str | bytes) -> None:
        path = self.show / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def setting(self, old: str, new: str) -> None:
        config = self.show / "papercast.toml"
        text = config.read_text()
        assert old in text
        config.write_text(text.replace(old, new))


@dataclass
class Case:
    name: str
    argv: tuple[str, ...]
    message: str  # the whole of stderr: one line; {url} is the stub server, {show} the show folder
    prepare: Callable[[Ctx], None] | None = None
    fails: int | None = None  # the episode a failed render marks with its error
    breaks_config: bool = False  # `list` fails too: snapshot before `prepare`, compare after mending it


def file(name: str, data: str | bytes) -> Callable[[Ctx], None]:
    return lambda ctx: ctx.write(name, data)


def route(path: str, **options) -> Callable[[Ctx], None]:
    return lambda ctx: ctx.stub.route(path, **options)


def both(*steps: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        for step in steps:
            step(ctx)
    return run


def add_first(name: str, data: str) -> Callable[[Ctx], None]:
    """A file that `add` accepts, added before the snapshot so that `render` is the bad command."""
    def run(ctx: Ctx) -> None:
        ctx.write(name, data)
        from papercast.cli import run as cli

        assert cli(["-q", "add", name]) == 0
    return run


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gtts_offline(ctx: Ctx) -> None:
    ctx.monkeypatch.setenv("PAPERCAST_GTTS_URL", f"http://127.0.0.1:{PORT}")


def no_ffmpeg(ctx: Ctx) -> None:
    from audio.ffmpeg import ffmpeg_path

    ctx.monkeypatch.setenv("PAPERCAST_FFMPEG", "")
    ffmpeg_path.cache_clear()


def read_only_output(ctx: Ctx) -> None:
    """A folder nobody may write to; root writes anyway, so for root the OS's refusal is simulated."""
    output = ctx.show / "output"
    for folder in (output, *(p for p in output.rglob("*") if p.is_dir())):
        folder.chmod(0o555)
    if os.geteuid() == 0:
        real = tempfile.mkstemp

        def refuse(*args, dir=None, **kwargs):
            if dir is not None and Path(dir).resolve().is_relative_to(output.resolve()):
                raise PermissionError(13, "Permission denied", str(Path(dir) / "x.tmp"))
            return real(*args, dir=dir, **kwargs)
        ctx.monkeypatch.setattr(tempfile, "mkstemp", refuse)


def small_cover(ctx: Ctx) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), (200, 30, 30)).save(buffer, "PNG")
    ctx.write("bad.png", buffer.getvalue())
    ctx.setting('cover = ""', 'cover = "bad.png"')


def only_fake(ctx: Ctx) -> None:
    """Which engines speak Arabic depends on the machine (espeak does): here none is installed."""
    from audio import engines

    ctx.monkeypatch.setattr(engines, "engine_names", lambda: ["fake"])


def fast_fetch(ctx: Ctx) -> None:
    from articles.fetch import fetch

    ctx.monkeypatch.setitem(fetch.__kwdefaults__, "timeout", 0.5)


PORT = closed_port()
FIX_TOML = "fix the TOML syntax there"
GTTS = f"gTTS could not reach 127.0.0.1:{PORT}: check your connection or use `--engine piper`"
FFMPEG = "ffmpeg not found: install it (apt-get install ffmpeg) or `pip install imageio-ffmpeg`"

CASES = [
    # Files that are not articles
    Case("empty file", ("add", "empty.txt"),
         "empty.txt is empty: give papercast a file with the article's text", file("empty.txt", "")),
    Case("whitespace only", ("add", "blank.txt"),
         "blank.txt is empty: give papercast a file with the article's text", file("blank.txt", " \n\t\n \r\n")),
    Case("binary file", ("add", "photo.txt"),
         "photo.txt is not a text file: give papercast the article as text, Markdown or HTML",
         file("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))),
    Case("random bytes, no encoding fits", ("add", "noise.txt"),
         "noise.txt is not readable text: save it as UTF-8 and try again",
         file("noise.txt", bytes((i * 151 + 7) % 255 + 1 for i in range(4000)))),
    Case("50 MB of text", ("add", "huge.txt"),
         "huge.txt is 50 MB: papercast reads articles up to 5 MB; split it into several articles",
         file("huge.txt", b"word " * 10_000_000)),
    Case("only emoji", ("add", "emoji.txt"),
         "emoji.txt has no words to read aloud (only symbols or emoji): give papercast the article's text",
         file("emoji.txt", "😀😀 🎉🎉 ❤️\n\n😀😀😀 🎉🎉🎉 ✨✨ 👍👍👍.\n")),
    Case("only symbols", ("add", "symbols.txt"),
         "symbols.txt has no words to read aloud (only symbols or emoji): give papercast the article's text",
         file("symbols.txt", "*** ### @@@\n\n%%% &&& $$$ !!! ??? ;;; ::: ---.\n")),
    Case("title but no body", ("add", "title.txt"),
         "title.txt has a title but no body text: add the article's paragraphs", file("title.txt", "Just a title\n")),
    Case("missing file", ("add", "nowhere.txt"), "nowhere.txt: no such file: check the path"),
    Case("a folder", ("add", "output"), "output is a folder: give the path of an article file"),
    Case("HTML page with no article", ("add", "nav.html"),
         "no article text found in the page: it may be a paywall, a login page or an index; "
         "save the article as text and add that", file("nav.html", NO_ARTICLE_HTML)),
    # Front matter
    Case("front matter is not YAML", ("add", "broken.md"),
         "broken.md: front matter is not valid YAML at line 2, column 17: "
         "write it as `key: value` lines between `---` lines", file("broken.md", "---\ntitle: [unclosed\n---" + FM)),
    Case("front matter is a list", ("add", "list.md"),
         "list.md: front matter must be `key: value` lines between `---` lines",
         file("list.md", "---\n- a\n- b\n---" + FM)),
    Case("unknown front matter key", ("add", "colour.md"),
         "colour.md: unknown front matter key 'colour': use author, byline, date, engine, lang, language, "
         "site, speed, title, url, voice", file("colour.md", "---\ncolour: red\n---" + FM)),
    Case("front matter speed out of range", ("-q", "render"),
         "episode 2 failed: options: speed 9 is out of range: use 0.25 to 4",
         add_first("fast.md", "---\nspeed: 9\n---" + FM), fails=2),
    # The catalog
    Case("duplicate add", ("add", "again.txt"),
         "again.txt is already episode 1 (Night trains return to the Alps): "
         "to render it again run `papercast render --force 1`", file("again.txt", ARTICLE)),
    Case("remove an unknown id", ("remove", "99"), "no episode 99: see `papercast list` for the ids"),
    Case("render an unknown id", ("render", "42"), "no episode 42: see `papercast list` for the ids"),
    Case("render a rendered episode", ("render", "1"),
         "episode 1 is already rendered: add --force to render it again"),
    # Show settings
    Case("broken papercast.toml", ("list",),
         "{show}/papercast.toml: Expected '=' after a key in a key/value pair (at line 3, column 10): "
         + FIX_TOML, lambda ctx: ctx.write("papercast.toml", BAD_TOML), breaks_config=True),
    Case("unknown setting", ("list",),
         "{show}/papercast.toml [voice]: unknown setting `pitch`: use one of engine, voice, speed, "
         "languages, options", lambda ctx: ctx.setting("speed = 1.0", "pitch = 2"), breaks_config=True),
    Case("missing base_url", ("feed",),
         "{show}/papercast.toml: base_url is empty: set it to where output/ is published, "
         "e.g. https://example.org/podcast",
         lambda ctx: ctx.setting('"https://example.org/pod"', '""')),
    Case("relative base_url", ("feed",),
         "{show}/papercast.toml: base_url 'pod/' is not an absolute http(s) URL: set it to where output/ is "
         "published, e.g. https://example.org/podcast",
         lambda ctx: ctx.setting('"https://example.org/pod"', '"pod/"'), breaks_config=True),
    Case("cover too small", ("feed",),
         "bad.png is 100×100 px: Apple needs a square image of 1400–3000 px; resize it "
         "or remove `cover` from papercast.toml to get a generated one", small_cover),
    Case("read-only output folder", ("-q", "render", "--force", "1"),
         "episode 1 failed: cannot write in {show}/output/episodes (permission denied): "
         "make the folder writable or set `output` in papercast.toml", read_only_output, fails=1),
    # Engines and voices
    Case("unknown engine for add", ("add", "--engine", "nope", "other.txt"),
         "unknown engine 'nope': choose one of espeak, fake, gtts, piper (see `papercast voices`)",
         file("other.txt", BODY)),
    Case("unknown engine for render", ("-q", "render", "--force", "--engine", "nope", "1"),
         "episode 1 failed: unknown engine 'nope': choose one of espeak, fake, gtts, piper "
         "(see `papercast voices`)", fails=1),
    Case("unknown voice", ("-q", "render", "--force", "--voice", "nope", "1"),
         "episode 1 failed: engine 'fake' has no voice 'nope': choose one of tone, tone-de "
         "(see `papercast voices`)", fails=1),
    Case("Arabic, and no engine speaks it", ("-q", "render"),
         "episode 2 failed: the article is in Arabic (ar) but voice tone speaks English, and no engine here "
         "has a voice for Arabic: install one, then add `languages = {{ ar = \"engine:voice\" }}` under [voice] "
         "in papercast.toml (see `papercast voices`)",
         both(only_fake, add_first("arabic.md", "---\nlanguage: ar\n---\n\nعادت القطارات الليلية إلى جبال "
                                   "الألب بعد عقد من الغياب. غادر أول قطار مساء الأحد.\n")), fails=2),
    Case("gTTS offline", ("-q", "render", "--force", "--engine", "gtts", "1"), "episode 1 failed: " + GTTS
         + " (the takes spoken so far are cached; to finish with the offline voice run "
         "`papercast render --fallback piper 1`)",
         gtts_offline, fails=1),
    Case("ffmpeg missing", ("-q", "render", "--force", "1"), "episode 1 failed: " + FFMPEG, no_ffmpeg, fails=1),
    # The web
    Case("URL 404", ("add", "{url}/gone"), "{url}/gone: server answered 404 Not Found: check the address"),
    Case("URL times out", ("add", "{url}/slow"),
         "{url}/slow: the server did not answer in time: try again later or raise the timeout",
         both(fast_fetch, route("/slow", body="<p>late</p>", delay=2))),
    Case("URL redirects in a loop", ("add", "{url}/loop"),
         "{url}/loop: too many redirects (a redirect loop): open the address in a browser and use the "
         "address it ends at", route("/loop", redirect="/loop")),
    Case("URL too large", ("add", "{url}/big"),
         "{url}/big: the page is larger than 10,000,000 bytes: save the article as text and add that file",
         route("/big", body=b"a" * 10_000_001)),
    Case("URL is not HTML", ("add", "{url}/cat.png"),
         "{url}/cat.png: the address serves image/png, not a web page: give the address of the article "
         "page itself", route("/cat.png", body=b"\x89PNG\r\n", content_type="image/png")),
    Case("URL with no article", ("add", "{url}/home"),
         "no article text found in {url}/home: it may be a paywall, a login page or an index; "
         "save the article as text and add that", route("/home", body=NO_ARTICLE_HTML)),
    # Source feeds
    Case("source feed with a billion laughs", ("sync", "{url}/laughs.xml"),
         "{url}/laughs.xml declares XML entities, which feeds never need and attacks use: ask the publisher "
         "for a plain feed or save the articles as text", route("/laughs.xml", body=LAUGHS, content_type=RSS)),
    Case("source feed with an external entity", ("sync", "{url}/xxe.xml"),
         "{url}/xxe.xml declares XML entities, which feeds never need and attacks use: ask the publisher "
         "for a plain feed or save the articles as text", route("/xxe.xml", body=XXE, content_type=RSS)),
    Case("source feed that 404s", ("sync", "{url}/nofeed.xml"),
         "{url}/nofeed.xml: server answered 404 Not Found: check the address"),
    Case("not a web address", ("add", "http://"),
         "http://: not a usable web address (no host name): check the address"),
]


# -- the harness ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """One show with one rendered episode, made once and copied for each case."""
    from papercast.cli import run

    root = tmp_path_factory.mktemp("template") / "show"
    assert run(["init", str(root), "--title", "Test Show", "--base-url", "https://example.org/pod",
                "--email", "owner@example.org"]) == 0
    config = root / "papercast.toml"
    config.write_text(config.read_text().replace('engine = "piper"', 'engine = "fake"'))
    (root / "night-trains.txt").write_text(ARTICLE, encoding="utf-8")
    assert run(["--show", str(root), "-q", "add", str(root / "night-trains.txt")]) == 0
    assert run(["--show", str(root), "-q", "render"]) == 0
    return root


@pytest.fixture
def published(template, tmp_path, monkeypatch) -> Path:
    from audio.ffmpeg import ffmpeg_path

    root = tmp_path / "show"
    shutil.copytree(template, root)
    monkeypatch.delenv("PAPERCAST_SHOW", raising=False)
    monkeypatch.chdir(root)
    yield root
    for folder in (root / "output", *(root / "output").rglob("*")):
        if folder.is_dir():
            folder.chmod(0o755)
    ffmpeg_path.cache_clear()  # a case may have hidden ffmpeg


def snapshot(show: Path, cli) -> tuple[dict, list]:
    files = {str(p.relative_to(show)): p.read_bytes() for p in sorted((show / "output").rglob("*")) if p.is_file()}
    listing = cli("list", "--json")
    assert listing.code == 0, listing.err
    return files, json.loads(listing.out)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_fails_with_one_line_and_changes_nothing(case, published, cli, stub_server, monkeypatch):
    ctx = Ctx(published, stub_server.url, stub_server, monkeypatch)
    config = (published / "papercast.toml").read_bytes()
    if case.breaks_config:
        files_before, catalog_before = snapshot(published, cli)
    if case.prepare:
        case.prepare(ctx)
    fill = lambda text: text.format(url=stub_server.base, show=published)  # noqa: E731
    if not case.breaks_config:
        files_before, catalog_before = snapshot(published, cli)

    result = cli(*(fill(arg) for arg in case.argv))

    assert result.code == 1
    assert result.err == f"error: {fill(case.message)}\n"
    assert "Traceback" not in result.err + result.out
    if case.breaks_config:
        (published / "papercast.toml").write_bytes(config)
    files_after, catalog_after = snapshot(published, cli)
    assert files_after == files_before
    if case.fails:
        row = next(r for r in catalog_before if r["id"] == case.fails)
        row["error"] = fill(case.message).removeprefix(f"episode {case.fails} failed: ")
        if row["status"] == "pending":
            row["status"] = "failed"
    assert catalog_after == catalog_before


def test_the_table_covers_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_debug_shows_the_traceback(published):
    result = subprocess.run([sys.executable, "-m", "papercast", "--debug", "remove", "99"],
                            capture_output=True, text=True, cwd=published)
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.rstrip().endswith(
        "papercast.errors.PapercastError: no episode 99: see `papercast list` for the ids")


def test_without_debug_the_same_error_is_one_line(published):
    result = subprocess.run([sys.executable, "-m", "papercast", "remove", "99"],
                            capture_output=True, text=True, cwd=published)
    assert (result.returncode, result.stderr) == (1, "error: no episode 99: see `papercast list` for the ids\n")


def test_cp1252_text_is_read_not_rejected(published, cli):
    text = ("Café society\n\nThe café served crème brûlée to naïve guests — all of them — for €5 each. "
            "Everyone said “merci” twice.\n")
    (published / "cafe.txt").write_bytes(text.encode("cp1252"))
    result = cli("add", "cafe.txt")
    assert result.code == 0, result.err
    listing = json.loads(cli("list", "--json").out)
    assert listing[-1]["title"] == "Café society"
    spoken = cli("text", "cafe.txt")
    assert "crème brûlée to naïve guests — all of them — for €5" in spoken.out
    assert "“merci”" in spoken.out


def test_a_20000_character_sentence_without_punctuation_renders_in_pieces(published, cli):
    from audio.engines.fake import FakeEngine

    letters = "abcdefghijklmnopqrstuvwxyz"
    words, size, n = [], 0, 0
    while size < 20_000:  # long distinct words keep the audio short: the fake engine reads one tone a word
        word = "".join(letters[n // 26 ** k % 26] for k in range(3)) + "wordlonger"
        words.append(word)
        size += len(word) + 1
        n += 1
    sentence = " ".join(words)[:20_000].rstrip()
    (published / "long.txt").write_text(f"A long breath\n\n{sentence}\n")
    assert cli("add", "long.txt").code == 0
    FakeEngine.calls.clear()
    result = cli("-q", "render")
    assert result.code == 0, result.err
    pieces = [call for call in FakeEngine.calls if "word" in call]
    assert len(pieces) >= 20_000 // 250
    assert all(len(piece) <= 250 for piece in pieces)
    assert " ".join(pieces).split() == sentence.split()
    [row] = [r for r in json.loads(cli("list", "--json").out) if r["title"] == "A long breath"]
    assert row["status"] == "rendered"
    assert (published / "output" / row["file"]).stat().st_size == row["bytes"]


def test_hostile_xml_in_a_source_feed_is_refused():
    from articles.errors import ArticleError
    from articles.sourcefeed import read_feed

    for text in (LAUGHS, XXE):
        with pytest.raises(ArticleError) as raised:
            read_feed(text, "https://example.org/feed.xml")
        assert str(raised.value) == (
            "https://example.org/feed.xml declares XML entities, which feeds never need and attacks use: "
            "ask the publisher for a plain feed or save the articles as text")
