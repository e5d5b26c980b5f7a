"""A new version of an article already in the show: the same episode (GUID, number, file name) reads it."""
from __future__ import annotations

from papercast.catalog import Catalog, EpisodeRow
from papercast.errors import PapercastError
from papercast.show import Show


def replace_article(show: Show, episode_id: int, sources: list[str]) -> EpisodeRow:
    import articles

    if len(sources) != 1:
        raise PapercastError(f"--replace takes exactly one article, got {len(sources)}: "
                             f"run `papercast add FILE --replace {episode_id}`")
    article = articles.load(sources[0])
    with Catalog(show.catalog_path) as catalog:
        return catalog.replace(episode_id, sources[0], article)
