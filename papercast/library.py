"""What the commands do, as functions: each CLI command calls one of these and prints its result."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import articles
from articles.model import Article
from papercast.catalog import Catalog, EpisodeRow
from papercast.errors import USER_ERRORS
from papercast.show import Show


@dataclass(frozen=True)
class AddResult:
    source: str
    row: EpisodeRow | None = None
    created: bool = False
    error: str | None = None


def add_articles(show: Show, sources: list[str], **voice: object) -> list[AddResult]:
    """Each source on its own: one that fails is reported and the others still go in."""
    from audio import engines

    flags = {key: value for key, value in voice.items() if value not in (None, "")}
    if "engine" in flags:
        engines.engine_class(str(flags["engine"]))
    results = []
    with Catalog(show.catalog_path) as catalog:
        for source in sources:
            try:
                article = articles.load(source)
                if flags:
                    article = dataclasses.replace(article, options=article.options | flags)
                row, created = catalog.add(source, article)
            except USER_ERRORS as error:
                results.append(AddResult(source, error=str(error)))
                continue
            results.append(AddResult(source, row, created))
    return results


def episode_summaries(show: Show) -> list[dict]:
    with Catalog(show.catalog_path) as catalog:
        rows = catalog.episodes()
    return [
        {"id": r.id, "guid": r.guid, "status": r.status, "title": r.title, "source": r.source,
         "file": r.file, "bytes": r.bytes, "duration": r.duration, "voice": r.voice,
         "added_at": r.added_at, "published_at": r.published_at, "error": r.error}
        for r in rows
    ]


def remove_episode(show: Show, episode_id: int) -> EpisodeRow:
    """Out of the feed first, then its file: the published feed never points at a missing file."""
    from papercast.lock import show_lock
    from papercast.publish import publish

    with show_lock(show.root), Catalog(show.catalog_path) as catalog:
        row = catalog.remove(episode_id)
        publish(show, catalog)
    if row.file:
        (show.output / row.file).unlink(missing_ok=True)
    return row


def republish(show: Show) -> tuple[Path, int, str]:
    from papercast.lock import show_lock
    from papercast.publish import publish, published_base_url

    with show_lock(show.root), Catalog(show.catalog_path) as catalog:
        path = publish(show, catalog)
        count = len(catalog.episodes("rendered"))
    return path, count, f"{published_base_url(show)}/{path.name}"


def engine_voices(only: str | None = None) -> list[tuple]:
    from audio import engines

    listing = []
    default_first = sorted(engines.engine_names(), key=lambda name: (name != "piper", name))
    for name in [only] if only else default_first:
        cls = engines.engine_class(name)
        ok, reason = cls.available()
        listing.append((name, ok, reason, cls.voices() if ok else []))
    return listing


def article_json(source: str) -> dict:
    article = articles.load(source)
    data = dataclasses.asdict(article)
    data.pop("options")
    data["sections"] = [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in article.sections]
    data["text"] = article.text
    return data


def describe_article(source: str) -> str:
    article = articles.load(source)
    lines = [f"title:    {article.title}"]
    for label, value in (("byline", article.byline), ("date", article.date), ("site", article.site),
                         ("language", article.language), ("url", article.url)):
        if value:
            lines.append(f"{label + ':':<10}{value}")
    for section in article.sections:
        lines.append("")
        if section.heading:
            lines += [f"## {section.heading}", ""]
        lines.append("\n\n".join(section.paragraphs))
    return "\n".join(lines)


def spoken_script(source: str, show_option: str | None) -> str:
    """Exactly what the engine will be given, cue by cue, with the pause after each."""
    from audio.script import ScriptSettings, build
    from audio.speakable import speakable_for
    from papercast.config import Settings
    from papercast.errors import PapercastError
    from papercast.show import open_show

    article: Article = articles.load(source)
    try:
        show = open_show(show_option)
        settings, lexicon = show.settings, show.lexicon_path
    except PapercastError:
        if show_option:
            raise
        settings, lexicon = Settings(), None
    script = build(article, ScriptSettings(
        pauses=settings.pauses, intro=settings.intro.template, outro=settings.intro.outro,
        max_chars=settings.audio.max_sentence_chars, speakable=speakable_for(lexicon, phonemes=False)))
    lines = []
    for cue in script.cues:
        lines.append(f"[{cue.kind} {cue.pause_after:.2f}s] {cue.spoken}")
    return "\n".join(lines)


def say(text: str, out: Path, show_option: str | None, **voice: object) -> Path:
    """Render one phrase as it would sound in an episode (lexicon, normalization, mastering) to `out`."""
    import tempfile

    from articles.model import Section
    from audio import engines
    from audio.cache import TakeCache
    from audio.engines.base import EngineSettings
    from audio.export import Tags, export_episode, mastering_gain_db
    from audio.script import ScriptSettings, build
    from audio.speakable import speakable_for
    from audio.stitch import assemble
    from audio.synth import takes
    from papercast import config
    from papercast.errors import PapercastError
    from papercast.show import CODEC_GAIN_FILE, open_show

    try:
        show = open_show(show_option)
        settings, lexicon, cache_dir = show.settings, show.lexicon_path, show.cache_dir
    except PapercastError:
        if show_option:
            raise
        settings, lexicon, cache_dir = config.Settings(), None, Path(tempfile.mkdtemp(prefix="papercast-say-"))
    if not text.strip():
        raise PapercastError("nothing to say: give the phrase in quotes, e.g. papercast say \"Skerryvore\"")
    settings = config.with_overrides(settings, **voice)
    engine = engines.create(settings.voice.engine, EngineSettings(
        voice=settings.voice.voice or None, speed=settings.voice.speed, options=settings.voice.options))
    article = Article(title=text, sections=(Section(None, (text,)),))
    script = build(article, ScriptSettings(intro="", speakable=speakable_for(lexicon, phonemes=engine.phonemes)))
    with tempfile.TemporaryDirectory() as work:
        pcm = Path(work) / "say.pcm"
        with open(pcm, "wb") as sink:
            stitched = assemble(takes(script.cues, engine, TakeCache(cache_dir / "takes")), sink)
        loudness = stitched.loudness
        gain = 0.0 if loudness == float("-inf") else mastering_gain_db(
            loudness, settings.audio.loudness, stitched.format, settings.encode, cache_dir / CODEC_GAIN_FILE)
        export_episode(pcm, stitched.format, gain, stitched.peak, out, settings.encode, Tags(title=text), [])
    return out
