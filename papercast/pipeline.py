"""The render pipeline: the stages that turn one catalogued article into a published episode, in order."""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from articles.model import Article
from audio import engines
from audio.cache import MasteredTakes, TakeCache
from audio.engines.base import Engine, EngineSettings
from audio.errors import AudioError, EngineUnavailable
from audio.script import Script, ScriptSettings
from papercast import config
from papercast.catalog import Catalog, EpisodeRow
from papercast.errors import USER_ERRORS, PapercastError
from papercast.show import Show


OFFLINE_ENGINE = "piper"  # what an episode can always fall back on


class Reporter(Protocol):
    def start(self, row: EpisodeRow, total: int) -> None: ...
    def advance(self) -> None: ...
    def finish(self, row: EpisodeRow, error: str | None) -> None: ...
    def message(self, text: str) -> None: ...


class QuietReporter:
    def __enter__(self): return self
    def __exit__(self, *exc): return False
    def start(self, row, total): pass
    def advance(self): pass
    def finish(self, row, error): pass
    def message(self, text): pass


@dataclass
class Job:
    """One episode on its way through the stages; each stage fills in what the next one needs."""

    show: Show
    row: EpisodeRow
    catalog: Catalog
    reporter: Reporter
    work: Path  # a private temporary folder, removed when the job ends
    overrides: dict = field(default_factory=dict)
    fallback: str | None = None  # engine that speaks the cues the chosen one could not
    fallback_engine: Engine | None = None  # that engine, with a voice for the article's language
    article: Article | None = None
    settings: config.Settings | None = None
    engine: Engine | None = None
    script: Script | None = None
    stitched: object = None
    gain_db: float = 0.0
    size: int = 0
    voices: list[str] = field(default_factory=list)  # "engine/voice" of every voice heard, in order
    reused: bool = False  # nothing changed since the last render: its MP3 stays and the stages stop here


def read_article(job: Job) -> None:
    job.article = job.row.to_article()
    article_voice = {key: job.article.options.get(key) for key in ("engine", "voice", "speed")}
    job.settings = config.with_overrides(job.show.settings, **article_voice)
    job.settings = config.with_overrides(job.settings, **job.overrides)


def choose_voice(job: Job) -> None:
    voice = job.settings.voice
    name, voice_name = voice.engine, voice.voice or None
    mapped = voice.languages.get(job.article.language) or voice.languages.get(job.article.language.split("-")[0])
    chosen = bool(job.overrides.get("voice") or "voice" in job.article.options)
    if mapped and not chosen:
        name, _, voice_name = mapped.rpartition(":")
        name = name or voice.engine
    job.engine = engines.create(name, EngineSettings(voice=voice_name, speed=voice.speed,
                                                     language=job.article.language, options=voice.options))
    if not mapped and not chosen:
        refuse_foreign_voice(job.engine, job.article.language)
    if job.fallback:
        job.fallback_engine = fallback_engine(job.fallback, job.article.language, voice.speed)


def fallback_engine(name: str, language: str, speed: float) -> Engine:
    """The fallback engine speaking the article's language: its default voice if that does, else its
    first voice that does."""
    cls = engines.engine_class(name)
    fitting = [v.name for v in cls.voices() if primary(v.language) == primary(language)]
    if not fitting:
        raise PapercastError(f"the fallback engine {name} has no voice for {language_name(language)} ({language}): "
                             f"name another with --fallback (see `papercast voices`)")
    voice = cls.default_voice if cls.default_voice in fitting else fitting[0]
    return engines.create(name, EngineSettings(voice=voice, speed=speed, language=language))


def refuse_foreign_voice(engine: Engine, language: str) -> None:
    """A voice reading another language's text is gibberish: say which mapping would fix it."""
    spoken = next((v.language for v in engine.voices() if v.name == engine.voice), None)
    if spoken is None or primary(spoken) == primary(language):
        return
    wanted = primary(language)
    candidates = [type(engine)] + [engines.engine_class(other) for other in engines.engine_names()]
    fitting = [f"{v.engine}:{v.name}" for cls in candidates if cls.available()[0]
               for v in cls.voices() if primary(v.language) == wanted]
    problem = (f"the article is in {language_name(language)} ({language}) but voice {engine.voice} speaks "
               f"{language_name(spoken)}")
    if not fitting:
        raise PapercastError(f"{problem}, and no engine here has a voice for {language_name(language)}: install "
                             f"one, then add `languages = {{ {wanted} = \"engine:voice\" }}` under [voice] in "
                             f"{config.CONFIG_FILE} (see `papercast voices`)")
    raise PapercastError(f"{problem}: add `languages = {{ {wanted} = \"{fitting[0]}\" }}` under [voice] in "
                         f"{config.CONFIG_FILE}")


def primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def language_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(primary(code)).get_language_name("en")
    except (ValueError, UnknownLocaleError):
        return code


def write_script(job: Job) -> None:
    from audio import script as scripting
    from audio.speakable import speakable_for

    settings = job.settings
    job.script = scripting.build(job.article, ScriptSettings(
        pauses=settings.pauses,
        intro=settings.intro.template,
        outro=settings.intro.outro,
        max_chars=settings.audio.max_sentence_chars,
        speakable=speakable_for(job.show.lexicon_path, phonemes=getattr(job.engine, "phonemes", False)),
    ))
    if not job.script.cues:
        raise PapercastError(f"episode {job.row.id} has nothing to say: the article has no readable words")


def reuse_unchanged(job: Job) -> None:
    from papercast.unchanged import render_key, still_published

    job.reused = still_published(job, render_key(job))
    if not job.reused and job.row.status == "rendered":
        # Re-rendering a published episode (an edited sentence, a lexicon entry) usually speaks a few
        # takes: the voice starts loading for that now, while the script is written.
        job.engine.prepare(1)


def speak(job: Job) -> None:
    from audio.synth import takes
    from papercast.cache_admin import record_lookups

    cache = TakeCache(job.show.cache_dir / "takes")
    fallback = job.fallback_engine

    def taken(take) -> None:
        if take.voice not in job.voices:
            job.voices.append(take.voice)
        job.reporter.advance()

    job.reporter.start(job.row, len(job.script.cues))
    spoken = takes(job.script.cues, job.engine, cache, taken, fallback)
    from audio.stitch import assemble  # imported (numpy, pydub) while the first takes are spoken

    try:
        with open(job.work / "episode.pcm", "wb") as pcm:
            job.stitched = assemble(spoken, pcm, cache=MasteredTakes(job.show.cache_dir / "mastered"))
    except AudioError as error:
        if fallback or job.engine.name == OFFLINE_ENGINE:
            raise
        raise AudioError(f"{error} (the takes spoken so far are cached; to finish with the offline voice "
                         f"run `papercast render --fallback {OFFLINE_ENGINE} {job.row.id}`)") from None
    finally:  # a failed render's lookups count too: they are what `papercast cache` reports
        record_lookups(job.show, cache.hits, cache.misses)


def add_music(job: Job) -> None:
    intro = job.settings.intro
    if not (intro.music or intro.outro_music):
        return
    from audio.music import MusicFiles, mix
    from audio.script import INTRO

    timeline = job.stitched.timeline
    spoken_intro = [mark for mark in timeline if job.script.cues[mark.cue].kind == INTRO]
    intro_end = spoken_intro[-1].end if spoken_intro else timeline[0].start
    files = MusicFiles(intro=job.show.root / intro.music if intro.music else None,
                       outro=job.show.root / intro.outro_music if intro.outro_music else None)
    mixed = job.work / "mixed.pcm"
    job.stitched = mix(job.work / "episode.pcm", mixed, job.stitched, intro_end, files)
    mixed.replace(job.work / "episode.pcm")


def master(job: Job) -> None:
    from audio.export import mastering_gain_db

    loudness = job.stitched.loudness  # measured while the episode was stitched (and mixed)
    if loudness == float("-inf"):
        raise AudioError(f"episode {job.row.id} came out silent: try another voice or engine")
    job.gain_db = mastering_gain_db(loudness, job.settings.audio.loudness, job.stitched.format,
                                    job.settings.encode, job.show.codec_gain_path)


def encode(job: Job) -> None:
    from audio.export import ChapterTag, Tags, export_episode

    from papercast.publish import cover_file

    settings, article = job.settings, job.article
    cover = job.show.output / cover_file(job.show, job.catalog)
    job.size = export_episode(
        job.work / "episode.pcm", job.stitched.format, job.gain_db, job.stitched.peak, episode_path(job),
        settings.encode,
        Tags(title=article.title, artist=article.byline, album=settings.show.title, date=article.date,
             comment=article.summary[:500], url=article.url, cover=cover if cover.is_file() else None),
        [ChapterTag(c["title"], c["start"], c["end"], c.get("url")) for c in chapter_times(job)],
    )


def record(job: Job) -> None:
    job.row = job.catalog.mark_rendered(
        job.row.id, file=f"episodes/{job.row.slug}.mp3", size=job.size, duration=job.stitched.duration,
        voice=" + ".join(job.voices), timeline=json.dumps(timeline_json(job), ensure_ascii=False))
    from papercast.unchanged import remember, render_key

    remember(job, render_key(job))  # again: encoding may have drawn the show's cover, which the key covers


RENDER_STAGES: list[Callable[[Job], None]] = [
    read_article,  # the article as catalogued, with its own and this run's voice settings
    choose_voice,  # engine and voice, by the article's language when the show maps languages
    reuse_unchanged,  # the same article, settings, lexicon and voice as the published MP3's: keep it, stop here
    write_script,  # cues: intro, headings, sentences; normalised for speech; pauses
    speak,  # takes from the cache or the engine, stitched into one PCM file with a timeline
    add_music,  # intro and outro music mixed in, the timeline moved by the music's lead-in
    master,  # one gain to the show's loudness, measured once over the whole episode as it was written
    encode,  # MP3 with a true-peak limit, ID3 tags and chapters, written atomically
    record,  # the catalog row: rendered, file, size, duration, timeline
]


def episode_path(job: Job) -> Path:
    return job.show.output / "episodes" / f"{job.row.slug}.mp3"


def chapter_times(job: Job) -> list[dict]:
    starts: dict[int, float] = {}
    for mark in job.stitched.timeline:
        starts.setdefault(job.script.cues[mark.cue].chapter, mark.start)
    starts[0] = 0.0
    ordered = sorted(starts.items(), key=lambda item: item[1])
    chapters = []
    for position, (index, start) in enumerate(ordered):
        end = ordered[position + 1][1] if position + 1 < len(ordered) else job.stitched.duration
        mark = job.script.chapters[index]
        chapters.append({"title": mark.title, "start": round(start, 3), "end": round(end, 3), "url": mark.url})
    return chapters


def timeline_json(job: Job) -> dict:
    cues = job.script.cues
    return {
        "captions": [[round(m.start, 3), round(m.end, 3), cues[m.cue].text] for m in job.stitched.timeline],
        "chapters": chapter_times(job),
    }


def render_episode(show: Show, catalog: Catalog, row: EpisodeRow, reporter: Reporter, overrides: dict,
                   fallback: str | None = None) -> EpisodeRow:
    work_root = show.cache_dir / "tmp"
    work_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_root) as work:
        job = Job(show, row, catalog, reporter, Path(work), overrides, fallback)
        for stage in RENDER_STAGES:
            stage(job)
            if job.reused:
                break
    return job.row


@dataclass
class RenderReport:
    rendered: list[EpisodeRow] = field(default_factory=list)
    failed: list[tuple[EpisodeRow, str]] = field(default_factory=list)
    feed: Path | None = None
    findings: list = field(default_factory=list)  # what `papercast check` says of the new feed


def render(show: Show, *, ids: list[int] | None = None, force: bool = False, reporter: Reporter = QuietReporter(),
           overrides: dict | None = None, wait: bool = True, fallback: str | None = None) -> RenderReport:
    """Render the pending episodes (or the given ones; `force` re-renders rendered ones), then publish.
    `fallback` names an engine that speaks whatever the chosen engine fails to."""
    from papercast.lock import show_lock
    from papercast.publish import draw_cover_ahead, publish

    report = RenderReport()
    with show_lock(show.root, wait=wait, on_wait=reporter.message), Catalog(show.catalog_path) as catalog:
        clear_stale_work(show)
        draw_cover_ahead(show, catalog)  # in the background: encoding and the feed need it
        for row in select(show, catalog, ids, force):
            try:
                row = render_episode(show, catalog, row, reporter, overrides or {}, fallback)
            except USER_ERRORS as error:
                catalog.mark_failed(row.id, str(error))
                report.failed.append((row, str(error)))
                reporter.finish(row, str(error))
                if isinstance(error, EngineUnavailable):
                    break  # the same engine will fail the same way for the rest
                continue
            report.rendered.append(row)
            reporter.finish(row, None)
        report.feed = publish(show, catalog)
    from feeds.check import check

    report.findings = [f for f in check(report.feed.read_bytes(), output_dir=show.output)
                       if f.severity != "info"]
    return report


def select(show: Show, catalog: Catalog, ids: list[int] | None, force: bool) -> list[EpisodeRow]:
    if ids:
        rows = [catalog.get(i) for i in ids]
        if not force:
            already = [r.id for r in rows if r.status == "rendered"]
            if already:
                raise PapercastError(
                    f"episode {already[0]} is already rendered: add --force to render it again")
        return rows
    if force:
        return catalog.episodes()
    return [r for r in catalog.episodes() if r.status in ("pending", "failed") or interrupted(show, r)]


def interrupted(show: Show, row: EpisodeRow) -> bool:
    """A re-render killed between replacing the MP3 and recording it leaves a file the catalog does not
    describe; rendering it again (from the cache) makes the two agree before the feed is written."""
    if row.status != "rendered" or not row.file:
        return False
    path = show.output / row.file
    return not path.is_file() or path.stat().st_size != row.bytes


def clear_stale_work(show: Show) -> None:
    """Work folders, half-encoded MP3s (.part), half-written published files and any half-written cache
    file (.tmp: takes, mastered takes, memos, counters) left by a killed render; only called while
    holding the show's lock, so no one is writing them now."""
    import shutil

    work_root = show.cache_dir / "tmp"
    if work_root.is_dir():
        for stale in work_root.iterdir():
            shutil.rmtree(stale, ignore_errors=True)
    for folder, pattern in ((show.output, ".*.part"), (show.output, ".*.tmp"), (show.cache_dir, "*.tmp")):
        if folder.is_dir():
            for stale in folder.rglob(pattern):
                stale.unlink(missing_ok=True)
