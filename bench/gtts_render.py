"""gtts against a local stub of Google's endpoint that answers after 200 ms, as the real one roughly does.

    .venv/bin/python bench/gtts_render.py   (not gtts.py: that name would shadow the gtts package)

A whole `papercast render` of the seed sample with the gtts engine must be ≥ 3.5× faster than calling
the endpoint for each of its cues one after another (what gtts-cli does: one request per text piece,
in order). Then, with 20% of the stub's answers HTTP 429 or 503, the render must still complete and
keep every take in the cache. Wall time here: the waiting is the network's, not the CPU's.
"""
from __future__ import annotations

import base64
import json
import os
import random
import re
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchlib import Row, new_show, papercast, report, seed_article

LATENCY = 0.2
REFUSED_SHARE = 0.2
SPEEDUP = 3.5


def tone_mp3(seconds: float = 1.0) -> bytes:
    from audio.ffmpeg import ffmpeg_path

    return subprocess.run([ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                           f"sine=frequency=330:duration={seconds}", "-ar", "24000", "-ac", "1", "-c:a",
                           "libmp3lame", "-f", "mp3", "pipe:1"], capture_output=True, check=True).stdout


def rpc_reply(mp3: bytes) -> bytes:
    reply = [["wrb.fr", "jQ1olc", json.dumps([base64.b64encode(mp3).decode()]), None, None, None, "generic"]]
    return (")]}'\n\n" + json.dumps(reply, separators=(",", ":"))).encode()


class Stub:
    """Answers every request after LATENCY seconds; `refused` of them (at random) with 429 or 503."""

    def __init__(self, refused: float = 0.0):
        self.reply = rpc_reply(tone_mp3())
        self.refused = refused
        self.luck = random.Random(3)
        self.lock = threading.Lock()
        self.requests = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(LATENCY)
                with stub.lock:
                    stub.requests += 1
                    status = stub.luck.choice([429, 503]) if stub.luck.random() < stub.refused else 200
                body = stub.reply if status == 200 else b"slow down"
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> "Stub":
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def spoken_cues(show: Path, source: Path) -> list[str]:
    lines = papercast("text", "--spoken", source, cwd=show).stdout.splitlines()
    return [re.sub(r"^\[\S+ [\d.]+s\] ", "", line) for line in lines if line.startswith("[")]


def sequential(cues: list[str], url: str) -> float:
    """One request per gTTS text piece, one after another, as gtts-cli sends them."""
    import httpx
    from gtts import gTTS

    from audio.engines.gtts import ENDPOINT_PATH, HEADERS

    start = time.perf_counter()
    with httpx.Client(headers=HEADERS) as client:
        for cue in cues:
            if not any(character.isalnum() for character in cue):
                continue
            for body in gTTS(cue, lang="en", lang_check=False).get_bodies():
                client.post(url + ENDPOINT_PATH, content=body).raise_for_status()
    return time.perf_counter() - start


def render(refused: float) -> tuple[float, int, int, list[str]]:
    """(seconds, takes cached, cues, cues) of one gtts render in a fresh show against a stub."""
    with new_show("gtts") as show, Stub(refused) as stub:
        source = show / "article.txt"
        source.write_text(seed_article().read_text(encoding="utf-8"), encoding="utf-8")
        papercast("add", source, cwd=show)
        cues = spoken_cues(show, source)
        start = time.perf_counter()
        papercast("--quiet", "render", cwd=show, env={**os.environ, "PAPERCAST_GTTS_URL": stub.url})
        seconds = time.perf_counter() - start
        cached = len(list((show / "cache" / "takes").glob("*/*.wav")))
        return seconds, cached, len(set(cues)), cues


def measure() -> list[Row]:
    rendered, _, _, cues = render(0.0)
    with Stub() as stub:
        one_by_one = sequential(cues, stub.url)
    flaky, cached, distinct, _ = render(REFUSED_SHARE)
    return [
        Row(f"gtts render speed-up over sequential calls ({rendered:.1f} vs {one_by_one:.1f} s, "
            f"{LATENCY * 1000:.0f} ms latency)", one_by_one / rendered, SPEEDUP, at_least=True),
        Row(f"gtts render with {REFUSED_SHARE:.0%} HTTP 429/503: takes cached / cues ({cached}/{distinct}, "
            f"{flaky:.1f} s)", cached / distinct, 1.0, at_least=True),
    ]


if __name__ == "__main__":
    report(measure())
