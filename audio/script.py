"""Article → script: the ordered cues an engine speaks, each with the pause that follows it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from articles.model import Article

INTRO, HEADING, SENTENCE, OUTRO = "intro", "heading", "sentence", "outro"


@dataclass(frozen=True)
class Pauses:
    """Seconds of silence after a clause piece, sentence, paragraph and section."""

    clause: float = 0.15
    sentence: float = 0.3
    paragraph: float = 0.8
    section: float = 1.5


@dataclass(frozen=True)
class ScriptSettings:
    pauses: Pauses = Pauses()
    # Placeholders: {title}, {byline} ("By …" or nothing), {site} ("From …" or nothing), {date}.
    intro: str = "{title}. {byline}. {site}."
    outro: str = ""
    max_chars: int = 250  # longer sentences are split at clause boundaries
    # Written text → what the engine should say (numbers, abbreviations, lexicon); identity by default.
    speakable: Callable[[str, str], str] = field(default=lambda text, language: text, compare=False)


@dataclass(frozen=True)
class Cue:
    text: str  # as written: what transcripts show
    spoken: str  # what the engine is given
    kind: str
    pause_after: float
    chapter: int  # index into Script.chapters


@dataclass(frozen=True)
class ChapterMark:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Script:
    cues: tuple[Cue, ...]
    chapters: tuple[ChapterMark, ...]
    language: str


def intro_lines(article: Article, template: str) -> list[str]:
    """The template's sentences filled in; a sentence whose placeholders are all empty is left out.
    The site is not said again when the byline has already named it ("By Harbour Gazette staff")."""
    byline = article.byline or ""
    if byline and not byline.lower().startswith("by "):
        byline = f"By {byline}"
    site = article.site or ""
    if site and "{byline}" in template and _names(byline, site):
        site = ""
    values = {"title": article.title, "byline": byline, "site": f"From {site}" if site else "",
              "date": article.date or ""}
    lines = []
    for part in template.split(". "):
        line = part.format(**values).strip().rstrip(".").strip()
        if line:
            lines.append(line if line[-1] in "?!…" else line + ".")
    return lines


def _names(byline: str, site: str) -> bool:
    """Whether `byline` names `site` as whole words, without its "The": "By Harbour Gazette staff" names
    "The Harbour Gazette"."""
    name = re.sub(r"^the\s+", "", site.strip(), flags=re.IGNORECASE)
    return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", byline, re.IGNORECASE) is not None


# A piece of a long sentence that ends one a quotation holds (split_long cuts there first).
_ENDS_SENTENCE = re.compile(r"[.!?…][\"”’)]*$")


def build(article: Article, settings: ScriptSettings = ScriptSettings()) -> Script:
    from audio.segment import sentences, split_long

    if article.parts:
        return build_edition(article, settings)
    pauses = settings.pauses
    language = article.language
    cues: list[Cue] = []
    chapters = [ChapterMark("Introduction", article.url)]

    def add(text: str, kind: str, pause: float, chapter: int) -> None:
        spoken = settings.speakable(text, language).strip()
        if spoken:
            cues.append(Cue(text, spoken, kind, pause, chapter))
        elif cues:  # nothing to say (a lone emoji, a footnote marker): keep the pause it would have ended
            last = cues[-1]
            cues[-1] = Cue(last.text, last.spoken, last.kind, max(last.pause_after, pause), last.chapter)

    for line in intro_lines(article, settings.intro):
        add(line, INTRO, pauses.sentence, 0)
    if cues:
        cues[-1] = _with_pause(cues[-1], pauses.section)

    for section in article.sections:
        chapters.append(ChapterMark(section.heading or article.title, article.url))
        chapter = len(chapters) - 1
        if section.heading:
            add(section.heading, HEADING, pauses.paragraph, chapter)
        for paragraph in section.paragraphs:
            for sentence in sentences(paragraph, language):
                pieces = split_long(sentence, settings.max_chars)
                for index, piece in enumerate(pieces):
                    ends = index == len(pieces) - 1 or _ENDS_SENTENCE.search(piece)
                    add(piece, SENTENCE, pauses.sentence if ends else pauses.clause, chapter)
            if cues:
                cues[-1] = _with_pause(cues[-1], pauses.paragraph)
        if cues:
            cues[-1] = _with_pause(cues[-1], pauses.section)

    if settings.outro:
        for line in intro_lines(article, settings.outro):
            add(line, OUTRO, pauses.sentence, len(chapters) - 1)
    if cues:
        cues[-1] = _with_pause(cues[-1], 0.0)  # the episode ends with the last word (plus a short tail)
    return Script(tuple(cues), tuple(chapters), language)


def build_edition(edition: Article, settings: ScriptSettings) -> Script:
    """The edition's opening (intro and its list of stories), then each story as one chapter, introduced
    by name and credited by the show's intro template without the title; the show's outro ends the whole."""
    pauses = settings.pauses
    opening = build(replace(edition, parts=()), replace(settings, outro=""))
    cues = [replace(cue, chapter=0) for cue in opening.cues]
    chapters = [ChapterMark("Introduction", edition.url)]
    story_settings = replace(settings, intro=settings.intro.replace("{title}", ""), outro="")
    for number, story in enumerate(edition.parts, start=1):
        if cues:
            cues[-1] = _with_pause(cues[-1], pauses.section)
        chapters.append(ChapterMark(story.title, story.url))
        announcement = f"{'Next: ' if number > 1 else ''}{story.title.rstrip('.')}."
        cues.append(Cue(announcement, settings.speakable(announcement, story.language).strip(), HEADING,
                        pauses.paragraph, number))
        cues += [replace(cue, chapter=number) for cue in build(story, story_settings).cues]
    if settings.outro:
        for line in intro_lines(edition, settings.outro):
            cues.append(Cue(line, settings.speakable(line, edition.language).strip(), OUTRO, pauses.sentence,
                            len(chapters) - 1))
    if cues:
        cues[-1] = _with_pause(cues[-1], 0.0)
    return Script(tuple(cues), tuple(chapters), edition.language)


def _with_pause(cue: Cue, pause: float) -> Cue:
    return Cue(cue.text, cue.spoken, cue.kind, pause, cue.chapter)
