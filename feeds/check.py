"""Lint a podcast feed against Apple Podcasts, Podcast Index (Podcasting 2.0) and RSS 2.0 rules.

Pure apart from what is injected: local files under `output_dir`, a `fetch_head(url)` returning
response headers (e.g. `lambda url: httpx.head(url, follow_redirects=True).headers`), and a
`measure(path) -> (integrated LUFS, true peak dBTP)` for loudness.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from feeds.categories import category_problem
from feeds.errors import FeedError
from feeds.ext.itunes import ITUNES_NS
from feeds.ext.podcast2 import PODCAST_NS, podcast_guid

ATOM_NS = "http://www.w3.org/2005/Atom"
NS = {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "atom": ATOM_NS}
TARGET_LUFS, LUFS_TOLERANCE, MAX_TRUE_PEAK = -16.0, 1.0, -1.0
_LANGUAGE = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")
_DURATION = re.compile(r"\d+|(\d+:)?[0-5]?\d:[0-5]\d")

FetchHead = Callable[[str], Mapping[str, str]]
Measure = Callable[[Path], tuple[float, float]]


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" (a directory will refuse or break), "warning" (degraded), "info"
    code: str
    message: str


def error(code: str, message: str) -> Finding:
    return Finding("error", code, message)


def warning(code: str, message: str) -> Finding:
    return Finding("warning", code, message)


def info(code: str, message: str) -> Finding:
    return Finding("info", code, message)


def check(feed_xml: bytes, *, output_dir: Path | None = None, fetch_head: FetchHead | None = None,
          measure: Measure | None = None) -> list[Finding]:
    """Every problem found in `feed_xml`, errors first."""
    try:
        root = etree.fromstring(feed_xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as problem:
        return [error("xml-malformed", f"the feed is not well-formed XML ({problem}); rebuild it with papercast")]
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        return [error("not-rss", "the document is not an RSS 2.0 feed (<rss version=\"2.0\"><channel>); "
                                 "rebuild it with papercast")]
    files = _Files(_base_url(channel), output_dir, fetch_head)
    findings = _one_note_for_plain_http([*_channel(channel), *_artwork(channel, files), *_podcast2(channel),
                                         *_items(channel, files, measure)])
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda finding: order[finding.severity])


def _one_note_for_plain_http(findings: list[Finding]) -> list[Finding]:
    """Every URL comes from the one base_url: one note says it, not one per link."""
    plain = [finding for finding in findings if finding.code == "url-not-https"]
    if len(plain) <= 1:
        return findings
    rest = [finding for finding in findings if finding.code != "url-not-https"]
    return rest + [info("url-not-https", f"{len(plain)} URLs are plain http, e.g. {plain[0].message}")]


class _Files:
    """Maps published URLs to files under output_dir, or asks the server with HEAD."""

    def __init__(self, base_url: str | None, output_dir: Path | None, fetch_head: FetchHead | None):
        self.base_url, self.output_dir, self.fetch_head = base_url, output_dir, fetch_head

    def local(self, url: str) -> Path | None:
        if self.output_dir is None or not self.base_url or not url.startswith(self.base_url + "/"):
            return None
        return self.output_dir / unquote(url[len(self.base_url) + 1:])

    def head(self, url: str) -> Mapping[str, str] | str:
        """The response headers, or why the request failed."""
        try:
            return self.fetch_head(url)
        except Exception as problem:  # any transport failure is a finding, not a crash
            return str(problem) or type(problem).__name__


def _channel(channel) -> Iterator[Finding]:
    for tag, why in (("title", "the show's name"), ("description", "the show's description"),
                     ("link", "the show's website"), ("language", "the language code, e.g. en")):
        if not (channel.findtext(tag) or "").strip():
            yield error(f"missing-{tag}", f"the channel has no <{tag}>; set {why} in papercast.toml")
    yield from _absolute("link", channel.findtext("link"))
    language = (channel.findtext("language") or "").strip()
    if language and not _LANGUAGE.fullmatch(language):
        yield warning("language-format", f"<language> {language!r} is not an ISO 639 code; "
                                         "use a code such as en or en-US in papercast.toml")
    self_link = channel.find("atom:link[@rel='self']", NS)
    if self_link is None:
        yield error("missing-self-link", "the channel has no <atom:link rel=\"self\">; "
                                         "set base_url in papercast.toml and rebuild")
    else:
        yield from _absolute("atom:link self", self_link.get("href"))

    categories = channel.findall("itunes:category", NS)
    if not categories:
        yield error("missing-category", "the channel has no <itunes:category>; set category in papercast.toml")
    for category in categories:
        subcategories = category.findall("itunes:category", NS) or [None]
        for sub in subcategories:
            problem = category_problem(category.get("text", ""), None if sub is None else sub.get("text"))
            if problem:
                yield error("invalid-category", problem)

    explicit = channel.findtext("itunes:explicit", namespaces=NS)
    if explicit is None:
        yield error("missing-explicit", "the channel has no <itunes:explicit>; set explicit = false "
                                        "(or true) in papercast.toml")
    elif explicit.strip() in ("yes", "no", "clean"):
        yield warning("explicit-legacy", f"<itunes:explicit> is {explicit!r}; Apple now expects "
                                         "'true' or 'false' — rebuild the feed with papercast")
    elif explicit.strip() not in ("true", "false"):
        yield error("explicit-value", f"<itunes:explicit> is {explicit!r}; it must be 'true' or 'false'")

    email = channel.findtext("itunes:owner/itunes:email", namespaces=NS)
    if not email or "@" not in email:
        yield error("missing-owner-email", "the channel has no <itunes:owner><itunes:email>; Apple "
                                           "e-mails it to verify ownership — set email in papercast.toml")
    for tag in ("pubDate", "lastBuildDate"):
        yield from _date(channel.findtext(tag), f"channel <{tag}>", required=False)
    if not channel.findall("item"):
        yield warning("no-episodes", "the feed has no episodes; Apple refuses to list a show "
                                     "without one — publish an episode first")


def _artwork(channel, files: _Files) -> Iterator[Finding]:
    image = channel.find("itunes:image", NS)
    url = image.get("href") if image is not None else None
    if not url:
        yield error("missing-image", "the channel has no <itunes:image>; give a cover in papercast.toml "
                                     "or let papercast generate one")
        return
    absolute = list(_absolute("itunes:image", url))
    yield from absolute
    if absolute:
        return
    if not url.lower().split("?")[0].endswith((".jpg", ".jpeg", ".png")):
        yield error("image-extension", f"the cover URL {url} does not end in .jpg or .png as Apple "
                                       "requires; publish the cover as cover.jpg or cover.png")
    path = files.local(url)
    if path is not None:
        if not path.is_file():
            yield error("image-missing-file", f"the cover {url} is not in the output folder ({path}); "
                                              "re-run publish so the cover is copied there")
            return
        try:
            from feeds.cover import check_cover  # Pillow only when there is a local cover to open
            check_cover(path)
        except FeedError as problem:
            yield error("image-invalid", str(problem))
    elif files.fetch_head is not None:
        headers = files.head(url)
        if isinstance(headers, str):
            yield error("image-unreachable", f"the cover {url} could not be fetched ({headers}); upload it "
                                             "with the rest of the output folder")


def _podcast2(channel) -> Iterator[Finding]:
    guid = (channel.findtext("podcast:guid", namespaces=NS) or "").strip()
    if not guid:
        yield warning("missing-podcast-guid", "the channel has no <podcast:guid>; Podcast Index uses it "
                                              "to follow the show across hosts — rebuild with papercast")
    else:
        try:
            parsed = uuid.UUID(guid)
        except ValueError:
            parsed = None
        if parsed is None or parsed.version != 5 or str(parsed) != guid.lower():
            yield error("podcast-guid-format", f"<podcast:guid> {guid!r} is not a UUIDv5; remove "
                                               "podcast_guid from papercast.toml to derive it from the feed URL")
        else:
            self_link = channel.find("atom:link[@rel='self']", NS)
            if self_link is not None and podcast_guid(self_link.get("href", "")) != str(parsed):
                yield info("podcast-guid-moved", "<podcast:guid> does not derive from this feed URL; that is "
                                                 "right only if the show moved here from another address")
    locked = channel.find("podcast:locked", NS)
    if locked is not None and (locked.text or "").strip() not in ("yes", "no"):
        yield error("locked-value", f"<podcast:locked> is {locked.text!r}; it must be 'yes' or 'no'")


def _items(channel, files: _Files, measure: Measure | None) -> Iterator[Finding]:
    seen_guids: set[str] = set()
    seen_enclosures: set[str] = set()
    for position, item in enumerate(channel.findall("item"), start=1):
        name = f"episode {(item.findtext('title') or '').strip() or f'#{position}'!r}"
        if not (item.findtext("title") or "").strip():
            yield error("item-missing-title", f"{name} has no <title>; give the article a title")
        guid = (item.findtext("guid") or "").strip()
        if not guid:
            yield error("item-missing-guid", f"{name} has no <guid>; apps use it to tell episodes apart — "
                                             "rebuild the feed with papercast")
        elif guid in seen_guids:
            yield error("duplicate-guid", f"{name} repeats the guid {guid!r}; apps will hide one of them — "
                                          "give each episode its own guid")
        seen_guids.add(guid)
        yield from _date(item.findtext("pubDate"), f"{name} <pubDate>", required=True)
        duration = (item.findtext("itunes:duration", namespaces=NS) or "").strip()
        if not _DURATION.fullmatch(duration):
            yield warning("item-duration", f"{name} has itunes:duration {duration!r}; use seconds or "
                                           "HH:MM:SS so apps show its length")
        enclosure = item.find("enclosure")
        if enclosure is None:
            yield error("item-missing-enclosure", f"{name} has no <enclosure>; an episode needs its audio — "
                                                  "render the episode before publishing")
            continue
        url = enclosure.get("url") or ""
        if url in seen_enclosures:
            yield warning("duplicate-enclosure", f"{name} uses the same audio {url} as another episode; "
                                                 "give each episode its own file")
        seen_enclosures.add(url)
        yield from _enclosure(name, enclosure, files, measure)
        for element in item.findall("podcast:transcript", NS) + item.findall("podcast:chapters", NS):
            yield from _companion(name, element, files)


def _enclosure(name: str, enclosure, files: _Files, measure: Measure | None) -> Iterator[Finding]:
    url, kind, length = enclosure.get("url"), enclosure.get("type"), enclosure.get("length")
    if not url:
        yield error("enclosure-url", f"{name} has an <enclosure> without url; rebuild the feed")
        return
    not_absolute = list(_absolute(f"{name} enclosure", url))
    yield from not_absolute
    if not kind:
        yield error("enclosure-type", f"{name}'s enclosure has no type; it must be e.g. audio/mpeg")
    elif not kind.startswith("audio/"):
        yield warning("enclosure-type", f"{name}'s enclosure type {kind!r} is not audio; use audio/mpeg for MP3")
    if not (length or "").isdigit() or int(length) == 0:
        yield error("enclosure-length", f"{name}'s enclosure length {length!r} is not the file's size in bytes; "
                                        "rebuild the feed from the catalog")
        return
    if not_absolute:
        return
    path = files.local(url)
    if path is not None:
        if not path.is_file():
            yield error("enclosure-missing-file", f"{name}'s audio {url} is not in the output folder ({path}); "
                                                  "render the episode again")
            return
        actual = path.stat().st_size
        if actual != int(length):
            yield error("enclosure-length-mismatch", f"{name}'s enclosure says {length} bytes but {path.name} has "
                                                     f"{actual}; rebuild the feed after the audio changed")
        if measure is not None:
            yield from _loudness(name, path, measure)
    elif files.fetch_head is not None:
        yield from _remote_enclosure(name, url, int(length), files.head(url))


def _remote_enclosure(name: str, url: str, length: int, headers: Mapping[str, str] | str) -> Iterator[Finding]:
    if isinstance(headers, str):
        yield error("enclosure-unreachable", f"{name}'s audio {url} could not be fetched ({headers}); "
                                             "upload the output folder")
        return
    headers = {key.lower(): value for key, value in headers.items()}
    served = headers.get("content-length")
    if served is not None and served.isdigit() and int(served) != length:
        yield error("enclosure-length-mismatch", f"{name}'s enclosure says {length} bytes but the server sends "
                                                 f"{served}; upload the current audio or rebuild the feed")
    if headers.get("accept-ranges", "").lower() != "bytes":
        yield warning("enclosure-no-ranges", f"the server of {url} does not announce byte ranges "
                                             "(Accept-Ranges: bytes); Apple requires them for seeking — "
                                             "host the files where range requests work")


def _loudness(name: str, path: Path, measure: Measure) -> Iterator[Finding]:
    lufs, true_peak = measure(path)
    if abs(lufs - TARGET_LUFS) > LUFS_TOLERANCE:
        yield error("loudness", f"{name} measures {lufs:.1f} LUFS, outside {TARGET_LUFS:.0f}±"
                                f"{LUFS_TOLERANCE:.0f}; render the episode again to re-master it")
    if true_peak > MAX_TRUE_PEAK:
        yield error("true-peak", f"{name} peaks at {true_peak:.1f} dBTP, above {MAX_TRUE_PEAK:.0f}; "
                                 "render the episode again to re-master it")


def _companion(name: str, element, files: _Files) -> Iterator[Finding]:
    tag = etree.QName(element).localname
    url = element.get("url") or ""
    if not element.get("type"):
        yield error(f"{tag}-type", f"{name}'s podcast:{tag} has no type; rebuild the feed")
    not_absolute = list(_absolute(f"{name} podcast:{tag}", url))
    yield from not_absolute
    path = None if not_absolute else files.local(url)
    if path is not None and not path.is_file():
        yield error(f"{tag}-missing-file", f"{name}'s {tag} file {url} is not in the output folder; "
                                           "re-run publish")


def _absolute(what: str, url: str | None) -> Iterator[Finding]:
    if url and not re.match(r"https?://[^/\s]+", url.strip()):
        yield error("url-not-absolute", f"{what} URL {url!r} is not an absolute http(s) URL; "
                                        "set base_url in papercast.toml to e.g. https://example.com/podcast")
    elif url and url.startswith("http://"):
        yield info("url-not-https", f"{what} URL {url} is plain http; prefer https for base_url")


def _date(text: str | None, what: str, *, required: bool) -> Iterator[Finding]:
    if text is None or not text.strip():
        if required:
            yield error("missing-date", f"{what} is missing; every episode needs a publication date")
        return
    try:
        moment = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        yield error("date-format", f"{what} {text!r} is not an RFC 822 date with a time zone "
                                   "(e.g. 'Sun, 03 Mar 2024 08:30:00 +0000'); rebuild the feed")


def _base_url(channel) -> str | None:
    self_link = channel.find("atom:link[@rel='self']", NS)
    href = self_link.get("href") if self_link is not None else None
    return href.rsplit("/", 1)[0] if href and "/" in href else None
