"""Written text -> the words a speech engine should read: a pipeline of small named steps.

`STEPS` is the pipeline in order; a show can extend or reorder it:

    Normalizer(steps=[*STEPS, ("station_names", my_step)])

Every step is `step(text, context) -> text`. English-only steps are wrapped in `english_only`, so for
other languages only the language-neutral ones run (typography, markup, URLs, plain numbers).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from audio.errors import AudioError
from audio.normalize import markup, numbers, words


@dataclass(frozen=True)
class Context:
    language: str  # primary subtag, lower case: "en", "de", ...
    urls: str  # "brief" reads a web address as its host ("example dot org"); "drop" leaves it out


Step = Callable[[str, Context], str]
URL_MODES = ("brief", "drop")


def english_only(step: Step) -> Step:
    def run(text: str, context: Context) -> str:
        return step(text, context) if context.language == "en" else text

    run.__name__ = step.__name__
    run.__doc__ = step.__doc__
    return run


STEPS: list[tuple[str, Step]] = [
    ("emoji", markup.emoji),
    ("footnotes", markup.footnotes),
    ("quotes", markup.quotes),
    ("urls", markup.urls),
    ("ellipses", markup.ellipses),
    ("symbols", english_only(words.symbols)),
    ("number_signs", english_only(numbers.number_signs)),
    ("dates", english_only(numbers.dates)),
    ("phone_numbers", english_only(numbers.phone_numbers)),
    ("ranges", english_only(numbers.ranges)),
    ("times", english_only(numbers.times)),
    ("currency", english_only(numbers.currency)),
    ("decades", english_only(numbers.decades)),
    ("ordinals", english_only(numbers.ordinals)),
    ("fractions", english_only(numbers.fractions)),
    ("percentages", english_only(numbers.percentages)),
    ("units", english_only(numbers.units)),
    ("years", english_only(numbers.years)),
    ("numbers", numbers.numbers),
    ("abbreviations", english_only(words.abbreviations)),
    ("initials", english_only(words.initials)),
    ("capitals", english_only(words.capitals)),
    ("roman_numerals", english_only(words.roman_numerals)),
    ("acronyms", english_only(words.acronyms)),
    ("dashes", markup.dashes),
    ("spacing", markup.spacing),
]

# Piper's inline phonemes (from the lexicon) must reach the engine untouched. While the steps run,
# each block stands in the text as one private-use character that no step reads as a word or number.
_PHONEME_BLOCK = re.compile(r"\[\[.*?\]\]")
_PLACEHOLDER = "\ue000"


class Normalizer:
    def __init__(self, steps: Iterable[tuple[str, Step]] = STEPS):
        self.steps = list(steps)

    def __call__(self, text: str, language: str = "en", *, urls: str = "brief") -> str:
        if urls not in URL_MODES:
            raise AudioError(f"unknown urls mode '{urls}': use one of {', '.join(URL_MODES)}")
        context = Context(language=language.replace("_", "-").split("-")[0].lower(), urls=urls)
        blocks = _PHONEME_BLOCK.findall(text)
        text = _PHONEME_BLOCK.sub(_PLACEHOLDER, text)
        for _name, step in self.steps:
            text = step(text, context)
        restored = iter(blocks)
        return re.sub(_PLACEHOLDER, lambda _: next(restored), text)


_default = Normalizer()


def normalize(text: str, language: str = "en", *, urls: str = "brief") -> str:
    """What a speech engine should read for `text`; see the table in tests/test_normalize.py."""
    return _default(text, language, urls=urls)
