"""Podcasting 2.0 namespace (https://podcastindex.org/namespace/1.0) as a feedgen extension.

Registered with `FeedGenerator.register_extension`, so feedgen itself never changes for it.
"""
from __future__ import annotations

import re
import uuid

import lxml.etree  # noqa: F401 (feedgen.util uses lxml.etree without importing it)
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
_PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """The podcast:guid the spec derives from a feed URL: UUIDv5 of it without scheme and trailing '/'."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(_PODCAST_GUID_NAMESPACE, bare))


def _tag(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


class Podcast2Extension(BaseExtension):
    def __init__(self) -> None:
        self._guid: str | None = None
        self._locked: bool | None = None
        self._locked_owner: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def guid(self, value: str) -> None:
        self._guid = value

    def locked(self, locked: bool, owner: str | None = None) -> None:
        self._locked, self._locked_owner = locked, owner

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self._locked is not None:
            element = xml_elem(_tag("locked"), channel)
            element.text = "yes" if self._locked else "no"
            if self._locked_owner:
                element.attrib["owner"] = self._locked_owner
        if self._guid:
            xml_elem(_tag("guid"), channel).text = self._guid
        return rss_feed

    def extend_atom(self, atom_feed):
        return atom_feed


class Podcast2EntryExtension(BaseEntryExtension):
    def __init__(self) -> None:
        self._transcripts: list[dict[str, str]] = []
        self._chapters: dict[str, str] | None = None

    def transcript(self, url: str, type: str, *, rel: str | None = None,
                   language: str | None = None) -> None:
        attributes = {"url": url, "type": type}
        if language:
            attributes["language"] = language
        if rel:
            attributes["rel"] = rel
        self._transcripts.append(attributes)

    def chapters(self, url: str, type: str = "application/json+chapters") -> None:
        self._chapters = {"url": url, "type": type}

    def extend_rss(self, item):
        for attributes in self._transcripts:
            xml_elem(_tag("transcript"), item, **attributes)
        if self._chapters:
            xml_elem(_tag("chapters"), item, **self._chapters)
        return item
