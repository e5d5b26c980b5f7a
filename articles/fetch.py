"""Download one web page politely and decode it to text, or say plainly why not."""
from __future__ import annotations

import codecs
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import charset_normalizer
import httpx

from articles.errors import ArticleError

USER_AGENT = "papercast/0.1 (+https://github.com/papercast/papercast)"

# Pages and feeds are text; anything else (images, PDFs, archives) is not an article we can read.
_TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml", "application/rss+xml",
               "application/atom+xml", "application/rdf+xml", "application/json", "application/ld+json")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Fetched:
    url: str  # the final address, after redirects
    content_type: str  # media type without parameters, e.g. "text/html"; "" when the server sent none
    text: str
    headers: dict[str, str]


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    timeout: float = 20,
    max_bytes: int = 10_000_000,
    max_redirects: int = 5,
    retry_waits: Sequence[float] = (0.5, 2.0),
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """GET `url` and return its decoded text.

    Server errors (5xx) and failed connections are retried once per entry of `retry_waits`,
    sleeping that many seconds first. A given `client` is used as is (its own redirect limit).
    """
    if not urlsplit(url).hostname:  # httpx calls "http://" an unsupported protocol, which misleads
        raise ArticleError(f"{url}: not a usable web address (no host name): check the address")
    own_client = client is None
    if own_client:
        client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10)),
            max_redirects=max_redirects,
        )
    try:
        for attempt, wait in enumerate([*retry_waits, None]):
            try:
                return _get(client, url, max_bytes)
            except _Retryable as problem:
                if wait is None:
                    raise ArticleError(f"{url}: {problem} (tried {attempt + 1} times): "
                                       f"{problem.fix}") from None
                sleep(wait)
    finally:
        if own_client:
            client.close()
    raise AssertionError("unreachable: the last attempt returns or raises")


class _Retryable(Exception):
    def __init__(self, problem: str, fix: str):
        super().__init__(problem)
        self.fix = fix


def _get(client: httpx.Client, url: str, max_bytes: int) -> Fetched:
    try:
        with client.stream("GET", url, follow_redirects=True) as response:
            status = response.status_code
            if status >= 500:
                raise _Retryable(f"server answered {status} {response.reason_phrase}",
                                 "the site is having trouble; try again later")
            if status == 404 or status == 410:
                raise ArticleError(f"{url}: server answered {status} {response.reason_phrase}: "
                                   "check the address")
            if status >= 400:
                raise ArticleError(f"{url}: server answered {status} {response.reason_phrase}: "
                                   "the site refuses this reader; save the article as text and add that")
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type and not media_type.startswith(_TEXT_TYPES):
                raise ArticleError(f"{url}: the address serves {media_type}, not a web page: "
                                   "give the address of the article page itself")
            body = _read_limited(response, url, max_bytes)
            return Fetched(
                url=str(response.url),
                content_type=media_type,
                text=decode(body, response.headers.get("content-type", "")),
                headers=dict(response.headers),
            )
    except httpx.TooManyRedirects:
        raise ArticleError(f"{url}: too many redirects (a redirect loop): "
                           "open the address in a browser and use the address it ends at") from None
    except httpx.ConnectError as error:
        raise _Retryable(f"cannot connect ({error})",
                         "check the address and your network connection") from None
    except httpx.ConnectTimeout:
        raise _Retryable("connection timed out", "check your network connection or try later") from None
    except httpx.TimeoutException:
        raise ArticleError(f"{url}: the server did not answer in time: "
                           "try again later or raise the timeout") from None
    except httpx.InvalidURL as error:
        raise ArticleError(f"{url}: not a usable web address ({error}): check the address") from None
    except httpx.UnsupportedProtocol:
        raise ArticleError(f"{url}: not an http(s) address: give an address starting with https://") from None


def _read_limited(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    too_large = ArticleError(f"{url}: the page is larger than {max_bytes:,} bytes: "
                             "save the article as text and add that file")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def decode(body: bytes, content_type: str = "") -> str:
    """Decode a page: BOM, then the Content-Type charset, then <meta charset>/<?xml encoding?>,
    then a statistical guess. A declared charset that the bytes contradict is skipped."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace").lstrip("\ufeff")
    declared = []
    header_charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if header_charset:
        declared.append(header_charset.group(1))
    head = body[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        found = pattern.search(head)
        if found:
            declared.append(found.group(1).decode("ascii", errors="ignore"))
    if declared and not body.isascii() and _is_utf8(body):
        # Valid UTF-8 with non-ASCII bytes is almost never legacy text: the label is stale.
        return body.decode("utf-8")
    for encoding in declared:
        try:
            return body.decode(_browser_alias(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    guess = charset_normalizer.from_bytes(body).best()
    if guess is not None:
        return str(guess)
    return body.decode("utf-8", errors="replace")


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _browser_alias(encoding: str) -> str:
    # Browsers read pages labelled latin-1 or ascii as windows-1252, and so do their authors.
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name
