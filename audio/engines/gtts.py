"""Google Translate's speech through gTTS: many languages and accents, but it needs the internet.

gTTS splits the text and packs each piece into Google's request format; the requests themselves are
sent here, so that rate limiting is retried, concurrent takes share a per-host limit, and tests can
point the endpoint at a local stub through $PAPERCAST_GTTS_URL.
"""
from __future__ import annotations

import base64
import email.utils
import os
import random
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from typing import Iterator
from urllib.parse import urlsplit

import httpx
from gtts import gTTS

from audio.chunk import AudioChunk
from audio.decode import decode_to_pcm
from audio.engines.base import Engine, EngineSettings, Voice
from audio.errors import AudioError

URL_ENV = "PAPERCAST_GTTS_URL"  # replaces https://translate.google.<tld>, e.g. a test stub
ENDPOINT_PATH = "/_/TranslateWebserverUi/data/batchexecute"
HEADERS = gTTS.GOOGLE_TTS_HEADERS
# The audio sits base64-encoded in the RPC's reply line (the pattern gTTS itself matches).
AUDIO_PATTERN = re.compile(r'jQ1olc","\[\\"(.*)\\"]')
RETRYABLE = {429, 503}
PER_HOST_LIMIT = 4

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
    # Takes mostly wait on the network, so several overlap.
    concurrency = 4

    def __init__(self, settings: EngineSettings):
        super().__init__(settings)
        unknown = set(settings.options) - {"tld", "concurrency"}
        if unknown:
            raise AudioError(f"unknown gtts option(s) {', '.join(sorted(unknown))}: use only tld and concurrency, "
                             'e.g. { tld = "co.uk", concurrency = 4 }')
        limit = settings.options.get("concurrency", PER_HOST_LIMIT)
        if not isinstance(limit, int) or not 1 <= limit <= 16:
            raise AudioError(f"gtts concurrency {limit!r} is out of range: use a whole number from 1 to 16")
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
        bodies = gTTS(text, tld=self.tld, lang=self.language, lang_check=False).get_bodies()
        url = endpoint(self.tld)
        mp3 = b"".join(self._audio_for(url, body) for body in bodies)
        yield decode_to_pcm(mp3)

    def _audio_for(self, url: str, body: str) -> bytes:
        host = urlsplit(url).netloc
        unreachable = f"gTTS could not reach {host}: check your connection or use `--engine piper`"
        retry = 0
        while True:
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
