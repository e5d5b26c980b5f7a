"""gTTS against a stub of Google's endpoint on 127.0.0.1: no test here reaches the internet."""
import base64
import json
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from audio.engines import EngineSettings, create
from audio.engines import gtts as gtts_module
from audio.engines.gtts import ENDPOINT_PATH, RETRY, GttsEngine, backoff, endpoint
from audio.errors import AudioError
from audio.ffmpeg import ffmpeg_path

TONE_SECONDS = 0.5


@pytest.fixture(scope="module")
def mp3() -> bytes:
    command = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
               "-i", f"sine=frequency=440:duration={TONE_SECONDS}", "-ar", "24000", "-ac", "1",
               "-c:a", "libmp3lame", "-f", "mp3", "pipe:1"]
    return subprocess.run(command, capture_output=True, check=True).stdout


def rpc_reply(mp3: bytes) -> bytes:
    payload = json.dumps([base64.b64encode(mp3).decode()])
    reply = [["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]]
    return (")]}'\n\n" + json.dumps(reply, separators=(",", ":"))).encode()


class Stub:
    """Plays scripted answers in order (the last one repeats) and records what was asked."""

    def __init__(self, answers, delay: float = 0.0):
        self.answers = list(answers)
        self.delay = delay
        self.texts: list[str] = []
        self.paths: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    def answer(self, path: str, body: str):
        request = json.loads(parse_qs(body)["f.req"][0])[0][0]
        with self.lock:
            self.paths.append(path)
            self.texts.append(json.loads(request[1])[0])
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        time.sleep(self.delay)  # holds the request open so concurrent takes overlap
        with self.lock:
            self.in_flight -= 1
        return answer


@pytest.fixture
def serve(monkeypatch):
    servers = []
    waits = []
    monkeypatch.setattr(gtts_module, "wait", waits.append)

    def start(*answers, delay=0.0) -> Stub:
        stub = Stub(answers, delay)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                status, headers, content = stub.answer(self.path, body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        monkeypatch.setenv("PAPERCAST_GTTS_URL", f"http://127.0.0.1:{server.server_port}")
        stub.waits = waits
        return stub

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def ok(mp3):
    return 200, {"Content-Type": "application/json"}, rpc_reply(mp3)


def refused(status=429, retry_after=None):
    return status, ({"Retry-After": retry_after} if retry_after is not None else {}), b"slow down"


def speak(text="Hello from the stub.", **settings):
    return list(GttsEngine(EngineSettings(**settings)).synthesize(text))


def test_mp3_reply_becomes_mono_16_bit_pcm(serve, mp3):
    stub = serve(ok(mp3))
    [chunk] = speak(voice="fr")
    assert (chunk.width, chunk.channels, chunk.rate) == (2, 1, 24000)
    assert chunk.duration == pytest.approx(TONE_SECONDS, abs=0.06)
    assert stub.texts == ["Hello from the stub."]
    assert stub.paths == [ENDPOINT_PATH]


def test_long_text_is_sent_in_pieces_and_joined(serve, mp3):
    stub = serve(ok(mp3))
    text = "This sentence is long enough, with clauses and more clauses, that Google needs it in pieces. " * 2
    [chunk] = speak(text)
    assert len(stub.texts) >= 2
    assert all(len(piece) <= 100 for piece in stub.texts)
    assert chunk.duration == pytest.approx(TONE_SECONDS * len(stub.texts), abs=0.1 * len(stub.texts))


def test_retry_after_is_honoured_on_429_and_503(serve, mp3):
    stub = serve(refused(429, "2"), refused(503, "0"), ok(mp3))
    [chunk] = speak()
    assert chunk.duration > 0
    assert stub.waits == [2.0, 0.0]
    assert len(stub.texts) == 3


def test_without_retry_after_the_waits_grow_exponentially(serve, mp3):
    stub = serve(refused(503), refused(503), refused(503), ok(mp3))
    speak()
    assert len(stub.waits) == 3
    for retry, waited in enumerate(stub.waits):
        ceiling = RETRY.first_wait * 2**retry
        assert ceiling / 2 <= waited <= ceiling


def test_persistent_rate_limit_gives_up_after_the_bounded_tries(serve):
    stub = serve(refused(429, "1"))
    with pytest.raises(AudioError, match=r"rate-limited .*HTTP 429 after 5 tries.*--engine piper"):
        speak()
    assert len(stub.texts) == RETRY.tries
    assert len(stub.waits) == RETRY.tries - 1


def test_retry_after_longer_than_the_policy_fails_at_once(serve):
    stub = serve(refused(429, "3600"))
    with pytest.raises(AudioError, match="rate-limited"):
        speak()
    assert len(stub.texts) == 1
    assert stub.waits == []


def test_server_error_is_not_retried_and_names_the_fix(serve):
    stub = serve(refused(500))
    with pytest.raises(AudioError, match=r"gTTS could not reach 127\.0\.0\.1:\d+ \(HTTP 500\): "
                                         r"check your connection or use `--engine piper`"):
        speak()
    assert len(stub.texts) == 1


def test_unreachable_host_is_an_audio_error_with_the_fix(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("PAPERCAST_GTTS_URL", f"http://127.0.0.1:{closed_port}")
    with pytest.raises(AudioError) as raised:
        speak()
    assert str(raised.value) == (f"gTTS could not reach 127.0.0.1:{closed_port}: "
                                 "check your connection or use `--engine piper`")


def test_reply_without_audio_is_an_error(serve):
    serve((200, {}, b")]}'\n\n[[\"wrb.fr\",\"other\",null]]"))
    with pytest.raises(AudioError, match="no audio .* language 'en'"):
        speak()


def test_concurrent_takes_share_a_per_host_limit(serve, mp3):
    stub = serve(ok(mp3), delay=0.2)
    engine = GttsEngine(EngineSettings())
    texts = [f"Take number {n}." for n in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        takes = list(pool.map(lambda text: list(engine.synthesize(text)), texts))
    assert all(len(take) == 1 and take[0].duration > 0 for take in takes)
    assert sorted(stub.texts) == sorted(texts)
    assert stub.most_in_flight <= gtts_module.PER_HOST_LIMIT


def test_text_with_nothing_to_say_sends_nothing(serve, mp3):
    stub = serve(ok(mp3))
    assert speak(" — … ") == []
    assert stub.texts == []


def test_voice_picks_the_google_host_and_tld_option_overrides_it(monkeypatch):
    monkeypatch.delenv("PAPERCAST_GTTS_URL", raising=False)
    assert endpoint(GttsEngine(EngineSettings(voice="en-gb")).tld) == (
        "https://translate.google.co.uk" + ENDPOINT_PATH)
    assert GttsEngine(EngineSettings(options={"tld": "com.au"})).tld == "com.au"
    assert GttsEngine(EngineSettings(voice="de")).language == "de"


def test_backoff_honours_http_date_retry_after():
    from email.utils import formatdate

    assert backoff(0, formatdate(time.time() + 10, usegmt=True)) == pytest.approx(10, abs=1.5)
    assert backoff(0, formatdate(time.time() - 10, usegmt=True)) == 0.0


def test_unknown_voice_and_option_are_errors_that_name_the_choices():
    with pytest.raises(AudioError, match="choose one of .*en-gb"):
        create("gtts", EngineSettings(voice="klingon"))
    with pytest.raises(AudioError, match="use only tld"):
        GttsEngine(EngineSettings(options={"noise_scale": 0}))


def test_available_without_probing_the_network_and_lists_accents():
    assert GttsEngine.available() == (True, "")
    languages = {v.name: v.language for v in GttsEngine.voices()}
    assert languages["en-gb"] == "en-GB" and languages["en-in"] == "en-IN" and "fr" in languages
    assert GttsEngine(EngineSettings()).version().startswith("gTTS ")


def test_the_concurrency_limit_is_a_setting(serve, mp3):
    stub = serve(ok(mp3), delay=0.2)
    engine = GttsEngine(EngineSettings(options={"concurrency": 2}))
    assert engine.concurrency == 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda text: list(engine.synthesize(text)), [f"Take {n}." for n in range(8)]))
    assert stub.most_in_flight <= 2


def test_an_out_of_range_concurrency_is_named():
    with pytest.raises(AudioError, match="gtts concurrency 0 is out of range: use a whole number from 1 to 16"):
        GttsEngine(EngineSettings(options={"concurrency": 0}))
