"""Written text → the words an engine should say: the show's lexicon, then spoken-text normalization."""
from __future__ import annotations

from pathlib import Path
from typing import Callable


def speakable_for(lexicon_path: Path | None, *, phonemes: bool) -> Callable[[str, str], str]:
    from audio.normalize import normalize

    if lexicon_path is None or not lexicon_path.is_file():
        return lambda text, language: normalize(text, language)
    from audio.lexicon import Lexicon

    lexicon = Lexicon.load(lexicon_path)
    return lambda text, language: normalize(lexicon.apply(text, phonemes=phonemes), language)
