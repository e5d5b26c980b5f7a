"""The podcast feed and everything published beside it, built from plain `feeds.model` records."""

# feedgen.util uses lxml.etree without importing it; importing a feedgen extension module first fails.
import lxml.etree  # noqa: F401
