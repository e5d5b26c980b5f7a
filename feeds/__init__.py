"""The podcast feed and everything published beside it, built from plain `feeds.model` records."""
