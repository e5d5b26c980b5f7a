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

import numpy as np
import pytest

from audio.engines import EngineSettings, create
from audio.engines import gtts as gtts_module
from audio.engines.gtts import ENDPOINT_PATH, RETRY, GttsEngine, backoff, endpoint, pieces
from audio.errors import AudioError
from audio.ffmpeg import ffmpeg_path

TONE_SECONDS = 0.5


@pytest.fixture(scope="module")
def mp3() -> bytes:
    command = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
               "-i", f"sine=frequency=440:duration={TONE_SECONDS}", "-ar", "24000", "-ac", "1",
               "-c:a", "libmp3lame", "-f", "mp3", "pipe:1"]
    return subprocess.run(command, capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def silence_mp3() -> bytes:
    command = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
               "-i", f"anullsrc=r=24000:cl=mono:d={TONE_SECONDS}", "-c:a", "libmp3lame", "-f", "mp3", "pipe:1"]
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
        if callable(answer):  # an answer chosen by the text asked for: (status, headers, body, delay)
            *answer, delay = answer(self.texts[-1])
        else:
            delay = self.delay
        time.sleep(delay)  # holds the request open so concurrent takes overlap
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
    sentence = "This sentence is long enough, with clauses and more clauses, that Google needs it in pieces."
    [chunk] = speak(f"{sentence} {sentence}")
    # Whole clauses packed up to Google's 100 characters, punctuation kept (gTTS alone sends six
    # requests here, one per clause, without their commas and periods).
    assert stub.texts == [sentence, sentence]
    assert chunk.duration == pytest.approx(TONE_SECONDS * 2, abs=0.2)


def test_pieces_are_as_few_as_fit_and_end_where_a_reader_pauses():
    limit = 40
    assert pieces("Short enough, commas and all.", limit) == ["Short enough, commas and all."]
    # Clauses are packed while they fit; the cut falls after punctuation, not after "the".
    assert pieces("One, two, three, four; then the long clause that follows them.", limit) == [
        "One, two, three, four;", "then the long clause that follows them."]
    assert pieces("He said — and meant it — that the ferry would leave at seven.", limit) == [
        "He said — and meant it —", "that the ferry would leave at seven."]
    assert pieces('"Leave," she said. "Now!" And he left the harbour at once.', limit) == [
        '"Leave," she said. "Now!"', "And he left the harbour at once."]
    # A clause longer than the limit is cut between words, a word longer than it anywhere.
    long_clause = "the ferry to the island will leave twenty minutes earlier from Monday"
    assert pieces(long_clause, limit) == ["the ferry to the island will leave", "twenty minutes earlier from Monday"]
    assert pieces("x" * 90, limit) == ["x" * 40, "x" * 40, "x" * 10]
    # That cut is needed anyway, so the comma need not be one too: two requests, not three.
    assert pieces("In short, the ferry to the island will leave twenty minutes early.", limit) == [
        "In short, the ferry to the island", "will leave twenty minutes early."]
    # Requests of even length: no word left to be spoken alone.
    assert pieces("An American plot to overthrow the Belarusian government has been foiled by Russian and "
                  "Belarusian intelligence.") == ["An American plot to overthrow the Belarusian government",
                                                  "has been foiled by Russian and Belarusian intelligence."]
    for text in (long_clause * 3, "a, " * 60, "word " * 50):
        cut = pieces(text, limit)
        assert all(len(piece) <= limit for piece in cut)
        assert " ".join(cut).split() == text.split()


def test_pieces_are_packed_after_gtts_clean_up_so_each_is_one_request():
    engine = GttsEngine(EngineSettings())

    def sent(text):
        return [json.loads(json.loads(parse_qs(body)["f.req"][0])[0][0][1])[0] for body in engine.bodies(text)]

    # gTTS's tone-mark clean-up puts a second space after each "!", which alone would push this past
    # 100 characters and into 25 requests, one per "Go!".
    assert sent("Go! " * 24 + "Go!") == ["Go! " * 24 + "Go!"]
    # Its substitutions lengthen the text ("Esq." is spoken "Esquire"): packed after them, no piece
    # grows past 100 characters on its way out.
    text = "A letter from Ann Lee, Esq. " * 3 + "arrived today."
    assert len(text) <= 100 < len(text.replace("Esq.", "Esquire"))
    cut = sent(text)
    assert len(cut) == 2 and all(len(piece) <= 100 for piece in cut)
    assert " ".join(cut) == text.replace("Esq.", "Esquire").strip()


def test_a_takes_pieces_are_in_flight_together_and_joined_in_order(serve, mp3, silence_mp3):
    # The first piece is answered last, so joining in arrival order would put the tone at the end.
    stub = serve(lambda text: (*ok(mp3), 0.6) if text.startswith("Tone") else (*ok(silence_mp3), 0.2))
    text = "Tone first, " + "then silence in several pieces, " * 6 + "the end."
    [chunk] = speak(text)
    assert len(stub.texts) >= 3
    assert stub.most_in_flight == len(stub.texts)  # all at once: the host limit has room for them
    samples = np.frombuffer(chunk.data, "<i2").astype(float)
    half = int(TONE_SECONDS * chunk.rate / 2)
    assert np.abs(samples[:half]).max() > 1000
    assert np.abs(samples[-half:]).max() < 100


def test_a_piece_that_fails_fails_the_take_and_stops_its_other_pieces(serve):
    # The other pieces are being refused with 429 and would retry; once the take has failed they stop.
    stub = serve(lambda text: (*refused(500), 0.0) if text.startswith("then") else (*refused(429, "0"), 0.3))
    with pytest.raises(AudioError, match=r"HTTP 500"):
        speak("Refused at first, " + "x" * 90 + ", then a piece that Google fails.")
    for _ in range(100):  # the stopped pieces' requests still finish
        time.sleep(0.05)
        with stub.lock:
            if stub.in_flight == 0:
                break
    assert sorted(text[:4] for text in stub.texts) == ["Refu", "then", "xxxx"]


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
    assert engine.concurrency == gtts_module.PER_HOST_LIMIT == 6  # a browser's connections to one host
    texts = [f"Take number {n}." for n in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        takes = list(pool.map(lambda text: list(engine.synthesize(text)), texts))
    assert all(len(take) == 1 and take[0].duration > 0 for take in takes)
    assert sorted(stub.texts) == sorted(texts)
    assert stub.most_in_flight == gtts_module.PER_HOST_LIMIT


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
    # Takes of several pieces each: their pieces are sent together, and still share the limit.
    texts = [f"Take {n}, " + "with a clause long enough to need a request of its own, " * 3 for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda text: list(engine.synthesize(text)), texts))
    assert len(stub.texts) >= 3 * len(texts)
    assert stub.most_in_flight == 2


def test_takes_cached_at_one_concurrency_serve_another_but_not_another_accent():
    def key(**options):
        return GttsEngine(EngineSettings(options=options)).fingerprint()

    assert key() == key(concurrency=2) == key(concurrency=16)
    assert key(tld="co.uk") == key(tld="co.uk", concurrency=3) != key()


def test_an_out_of_range_concurrency_is_named():
    with pytest.raises(AudioError, match="gtts concurrency 0 is out of range: use a whole number from 1 to 16"):
        GttsEngine(EngineSettings(options={"concurrency": 0}))
