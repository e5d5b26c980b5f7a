"""Google Translate's speech through gTTS: many languages and accents, but it needs the internet.

Google speaks at most 100 characters per request. The text is cut here into as few such pieces as
fit, at clause ends where they can be (gTTS itself would cut at every comma and drop the punctuation),
and gTTS packs each piece into Google's request format. The requests are sent here, all of a take's
at once, so that rate limiting is retried, every take shares one per-host limit, and tests can point
the endpoint at a local stub through $PAPERCAST_GTTS_URL.
"""
from __future__ import annotations

import base64
import email.utils
import os
import random
import re
import threading
import time
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from typing import Iterator
from urllib.parse import urlsplit

import httpx
from gtts import gTTS
from gtts.tokenizer import pre_processors

from audio.chunk import AudioChunk
from audio.decode import decode_pieces
from audio.engines.base import Engine, EngineSettings, Voice
from audio.errors import AudioError

URL_ENV = "PAPERCAST_GTTS_URL"  # replaces https://translate.google.<tld>, e.g. a test stub
ENDPOINT_PATH = "/_/TranslateWebserverUi/data/batchexecute"
HEADERS = gTTS.GOOGLE_TTS_HEADERS
# The audio sits base64-encoded in the RPC's reply line (the pattern gTTS itself matches).
AUDIO_PATTERN = re.compile(r'jQ1olc","\[\\"(.*)\\"]')
RETRYABLE = {429, 503}
# Requests in flight to one Google host at once by default: the six connections a browser opens to one
# host, i.e. what Google already sees from one person using translate.google.com. Google refuses too
# many with HTTP 429, retried below with backoff; more at once than a browser invites that.
PER_HOST_LIMIT = 6
MOST_AT_ONCE = 16  # the highest `concurrency` option
LIMIT = gTTS.GOOGLE_TTS_MAX_CHARS  # characters Google speaks in one request
# gTTS's own text clean-up (tone marks, hyphenated line ends, abbreviations' periods, substitutions),
# applied before the text is cut so that the pieces keep their length when gTTS packs them.
PRE_PROCESSORS = (pre_processors.tone_marks, pre_processors.end_of_line, pre_processors.abbreviations,
                  pre_processors.word_sub)
# Where a reader pauses: after a clause's punctuation (and a closing quote or bracket), or after a
# spaced dash.
_PAUSE = re.compile(r"(?:(?<=[.,;:!?…])|(?<=[.,;:!?…][\"'’”»)\]])|(?<=\s[—–-]))\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"'’”»)\]]?$")
# What a cut after a word costs, as (cuts inside a clause, requests, cuts after a clause but not a sentence).
_MID_CLAUSE, _AFTER_CLAUSE, _AFTER_SENTENCE = (1, 1, 0), (0, 1, 1), (0, 1, 0)

# name: (gTTS language, Google host's top-level domain, BCP 47 tag, description)
VOICES = {
    "en-us": ("en", "com", "en-US", "English, United States"),
    "en-gb": ("en", "co.uk", "en-GB", "English, United Kingdom"),
    "en-au": ("en", "com.au", "en-AU", "English, Australia"),
    "en-in": ("en", "co.in", "en-IN", "English, India"),
    "en-ca": ("en", "ca", "en-CA", "English, Canada"),
    "fr": ("fr", "fr", "fr-FR", "French, France"),
    "fr-ca": ("fr", "ca", "fr-CA", "French, Canada"),
    "de": ("de", "de", "de-DE", "German"),
    "es": ("es", "es", "es-ES", "Spanish, Spain"),
    "es-mx": ("es", "com.mx", "es-MX", "Spanish, Mexico"),
    "pt-br": ("pt", "com.br", "pt-BR", "Portuguese, Brazil"),
}


@dataclass(frozen=True)
class RetryPolicy:
    tries: int = 5
    first_wait: float = 1.0  # seconds; doubles with each retry
    longest_wait: float = 30.0  # a server asking for longer than this fails the take at once


RETRY = RetryPolicy()
# time.sleep, named so tests can record the waits instead of sleeping through them.
wait = time.sleep

_host_limits: dict[str, threading.BoundedSemaphore] = {}  # by host and limit
_host_limits_lock = threading.Lock()
_client: httpx.Client | None = None
_client_lock = threading.Lock()
_senders: ThreadPoolExecutor | None = None


def _host_limit(host: str, limit: int) -> threading.BoundedSemaphore:
    with _host_limits_lock:
        return _host_limits.setdefault(f"{host}/{limit}", threading.BoundedSemaphore(limit))


def _shared_client() -> httpx.Client:
    # One pooled client for every thread: httpx.Client is thread-safe and reuses connections.
    global _client
    with _client_lock:
        if _client is None:
            _client = httpx.Client(headers=HEADERS, timeout=httpx.Timeout(30.0, connect=10.0))
        return _client


def _shared_senders() -> ThreadPoolExecutor:
    # Threads that send the pieces of every take; the host limit, not this pool, caps what is in flight.
    global _senders
    with _client_lock:
        if _senders is None:
            _senders = ThreadPoolExecutor(2 * MOST_AT_ONCE, thread_name_prefix="gtts-request")
        return _senders


def pieces(text: str, limit: int = LIMIT) -> list[str]:
    """`text` in requests of at most `limit` characters, each joint where a reader pauses if it can be:
    the fewest cuts between the words of one clause first (a clause longer than `limit` needs some; a
    word longer than that is cut anywhere), then the fewest requests, then cuts after a sentence
    rather than after a comma, then requests of even length (no word left alone in the last one)."""
    words: list[tuple[str, int]] = []  # each with the cost of a cut after it
    for clause in _PAUSE.split(text.strip()):
        clause_words = clause.split()
        for index, word in enumerate(clause_words):
            parts = [word[start:start + limit] for start in range(0, len(word), limit)]
            words += [(part, _MID_CLAUSE) for part in parts[:-1]]
            if index < len(clause_words) - 1:
                words.append((parts[-1], _MID_CLAUSE))
            else:
                words.append((parts[-1], _AFTER_SENTENCE if _SENTENCE_END.search(word) else _AFTER_CLAUSE))
    # best[i]: the least cost of saying words[i:], and where its first request ends.
    best: list[tuple[tuple[int, ...], int]] = [((0, 0, 0, 0), len(words))] * (len(words) + 1)
    for start in range(len(words) - 1, -1, -1):
        length, chosen = -1, None
        for end in range(start + 1, len(words) + 1):
            length += 1 + len(words[end - 1][0])
            if length > limit and end > start + 1:
                break
            cut = _AFTER_SENTENCE if end == len(words) else words[end - 1][1]
            cost = tuple(a + b for a, b in zip((*cut, (limit - length) ** 2), best[end][0]))
            if chosen is None or cost < chosen[0]:
                chosen = (cost, end)
        best[start] = chosen
    packed, start = [], 0
    while start < len(words):
        end = best[start][1]
        packed.append(" ".join(word for word, _ in words[start:end]))
        start = end
    return packed


def endpoint(tld: str) -> str:
    base = os.environ.get(URL_ENV) or f"https://translate.google.{tld}"
    return base.rstrip("/") + ENDPOINT_PATH


def backoff(retry: int, retry_after: str | None, policy: RetryPolicy = RETRY) -> float | None:
    """Seconds to wait before retry number `retry` (0-based), or None when the server asks too much."""
    if retry_after is not None:
        asked = _seconds_from_retry_after(retry_after)
        if asked is not None:
            return max(asked, 0.0) if asked <= policy.longest_wait else None
    ceiling = min(policy.longest_wait, policy.first_wait * 2**retry)
    # Half fixed, half random, so concurrent takes that were refused together do not return together.
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _seconds_from_retry_after(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return (when - datetime.now(timezone.utc)).total_seconds()


class GttsEngine(Engine):
    name = "gtts"
    default_voice = "en-us"
    native_speed = False
    # Takes mostly wait on the network, so several overlap (as many as requests may be in flight).
    concurrency = PER_HOST_LIMIT
    unheard_options = frozenset({"concurrency"})

    def __init__(self, settings: EngineSettings):
        super().__init__(settings)
        unknown = set(settings.options) - {"tld", "concurrency"}
        if unknown:
            raise AudioError(f"unknown gtts option(s) {', '.join(sorted(unknown))}: use only tld and concurrency, "
                             'e.g. { tld = "co.uk", concurrency = 4 }')
        limit = settings.options.get("concurrency", PER_HOST_LIMIT)
        if not isinstance(limit, int) or not 1 <= limit <= MOST_AT_ONCE:
            raise AudioError(f"gtts concurrency {limit!r} is out of range: use a whole number from 1 to "
                             f"{MOST_AT_ONCE}")
        # Requests at once to one Google host; more is faster until the host answers 429.
        self.concurrency = limit
        if self.voice not in VOICES:
            raise AudioError(f"gtts has no voice '{self.voice}': choose one of {', '.join(VOICES)}")
        self.language, voice_tld, _, _ = VOICES[self.voice]
        self.tld = settings.options.get("tld", voice_tld)

    @classmethod
    def available(cls) -> tuple[bool, str]:
        # Network reachability is learnt from the first take; probing here would cost every run a request.
        return True, ""

    @classmethod
    def voices(cls) -> list[Voice]:
        return [Voice("gtts", name, tag, f"Google Translate {description} (translate.google.{tld})")
                for name, (_, tld, tag, description) in VOICES.items()]

    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        if not any(character.isalnum() for character in text):
            return  # gTTS refuses text with nothing to say, and so would Google
        yield decode_pieces(self._audio_for_all(endpoint(self.tld), self.bodies(text)))

    def bodies(self, text: str) -> list[str]:
        """The requests that speak `text`: one per piece (gTTS only packs each, as it is short enough)."""
        for clean_up in PRE_PROCESSORS:
            text = clean_up(text)
        return [body for piece in pieces(text) if any(character.isalnum() for character in piece)
                for body in gTTS(piece, tld=self.tld, lang=self.language, lang_check=False,
                                 pre_processor_funcs=[]).get_bodies()]

    def _audio_for_all(self, url: str, bodies: list[str]) -> list[bytes]:
        """Every body's audio, in order. All are asked for at once, so a long take costs about one round
        trip when the host limit has room; once one fails for good, the take's error is raised at once
        and the others stop at their next try."""
        if len(bodies) == 1:
            return [self._audio_for(url, bodies[0])]
        abandoned = threading.Event()
        asked = [_shared_senders().submit(self._audio_for, url, body, abandoned) for body in bodies]
        try:
            done, _ = futures.wait(asked, return_when=futures.FIRST_EXCEPTION)
            for future in asked:
                if future in done and future.exception() is not None:
                    future.result()  # raises the first failure in text order
            return [future.result() for future in asked]
        except BaseException:  # a failed piece, or the render interrupted
            abandoned.set()
            for future in asked:
                future.cancel()
            raise

    def _audio_for(self, url: str, body: str, abandoned: threading.Event | None = None) -> bytes:
        host = urlsplit(url).netloc
        unreachable = f"gTTS could not reach {host}: check your connection or use `--engine piper`"
        retry = 0
        while True:
            if abandoned is not None and abandoned.is_set():
                return b""  # another piece of the take failed: its error is the one raised
            last_try = retry + 1 >= RETRY.tries
            try:
                with _host_limit(host, self.concurrency):
                    response = _shared_client().post(url, content=body)
            except httpx.ConnectError:
                raise AudioError(unreachable) from None
            except httpx.TransportError:  # a timeout or a dropped connection may pass
                if last_try:
                    raise AudioError(unreachable) from None
                wait(backoff(retry, None))
                retry += 1
                continue
            if response.status_code in RETRYABLE:
                pause = backoff(retry, response.headers.get("Retry-After"))
                if pause is None or last_try:
                    raise AudioError(f"gTTS is rate-limited by {host} (HTTP {response.status_code} after "
                                     f"{retry + 1} tries): wait a few minutes or use `--engine piper`")
                wait(pause)
                retry += 1
                continue
            if response.status_code != 200:
                raise AudioError(f"gTTS could not reach {host} (HTTP {response.status_code}): "
                                 "check your connection or use `--engine piper`")
            found = AUDIO_PATTERN.search(response.text)
            if found is None:
                raise AudioError(f"gTTS got no audio from {host} for language '{self.language}': "
                                 "choose another gtts voice (see `papercast voices`) or use `--engine piper`")
            return base64.b64decode(found.group(1))

    def version(self) -> str:
        return f"gTTS {version('gTTS')}"
