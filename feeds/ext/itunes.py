"""feedgen's iTunes extension, writing itunes:explicit as the "true"/"false" Apple asks for today.

feedgen 1.0 only accepts the retired "yes"/"no"/"clean" values.
"""
from __future__ import annotations

import lxml.etree  # noqa: F401 (feedgen.util uses lxml.etree without importing it)
from feedgen.ext.podcast import PodcastExtension
from feedgen.util import xml_elem

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"


class ItunesExtension(PodcastExtension):
    def __init__(self) -> None:
        super().__init__()
        self._explicit: bool | None = None

    def itunes_explicit(self, explicit: bool | None = None) -> bool | None:
        if explicit is not None:
            self._explicit = bool(explicit)
        return self._explicit

    def extend_rss(self, rss_feed):
        rss_feed = super().extend_rss(rss_feed)
        if self._explicit is not None:
            element = xml_elem(f"{{{ITUNES_NS}}}explicit", rss_feed[0])
            element.text = "true" if self._explicit else "false"
        return rss_feed
