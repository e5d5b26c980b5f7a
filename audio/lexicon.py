"""A show's pronunciation lexicon (lexicon.toml): respellings for every engine, IPA for engines that
take phonemes.

```toml
[words]
Lukashenko = "Loo-ka-shen-ko"      # whole word, case-insensitive
[words.NATO]
say = "nay-toe"
case_sensitive = true
[phonemes]
Feduta = "fɛˈdutə"
```
Apply the lexicon before `normalize`: entries match the text as written (NATO, not the normalised
"Nato"), and normalize passes phoneme blocks through untouched.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from audio.errors import AudioError

# Piper's inline phoneme block (piper/voice.py splits on `\[\[.*?\]\]` and passes the IPA through).
PHONEME_BLOCK = "[[ {} ]]"

_POSSESSIVE = r"(?P<possessive>['’]s\b|(?<=s)['’](?!\w))?"
# The sound of a possessive 's depends on the sound it follows, as in English spelling rules.
_SIBILANT_ENDINGS = ("s", "z", "ʃ", "ʒ", "tʃ", "dʒ")
_VOICELESS_ENDINGS = ("p", "t", "k", "f", "θ")
_STRESS_AND_LENGTH = "ˈˌːˑ"


@dataclass(frozen=True)
class Entry:
    word: str
    say: str | None = None  # respelling
    phonemes: str | None = None  # IPA
    case_sensitive: bool = False


class Lexicon:
    def __init__(self, entries: list[Entry] | tuple[Entry, ...] = ()):
        self.entries = tuple(sorted(entries, key=lambda e: (e.word, e.case_sensitive)))
        self._exact = {e.word: e for e in self.entries if e.case_sensitive}
        self._folded = {e.word.casefold(): e for e in self.entries if not e.case_sensitive}
        # Longest first, so "New York" wins over "New"; one pass, so a respelling is never rewritten.
        alternatives = [
            re.escape(e.word) if e.case_sensitive else f"(?i:{re.escape(e.word)})"
            for e in sorted(self.entries, key=lambda e: -len(e.word))
        ]
        self._pattern = (
            re.compile(rf"(?<!\w)(?P<word>{'|'.join(alternatives)})(?!\w){_POSSESSIVE}")
            if alternatives
            else None
        )

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise AudioError(f"lexicon {path} does not exist: create it or remove the setting that names it")
        except tomllib.TOMLDecodeError as error:
            raise AudioError(f"lexicon {path} is not valid TOML: {error}; fix that line") from None
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: dict, source: str = "lexicon.toml") -> Lexicon:
        unknown = set(data) - {"words", "phonemes"}
        if unknown:
            raise AudioError(f"{source}: unknown table [{sorted(unknown)[0]}]; use [words] or [phonemes]")
        merged: dict[tuple[str, bool], dict] = {}
        for word, value in data.get("words", {}).items():
            entry = _word_entry(word, value, source)
            merged.setdefault((word, entry["case_sensitive"]), {}).update(entry)
        for word, value in data.get("phonemes", {}).items():
            entry = _phoneme_entry(word, value, source)
            key = (word, entry["case_sensitive"])
            merged.setdefault(key, {}).update(entry)
        return cls([Entry(word=word, **fields) for (word, _), fields in merged.items()])

    def apply(self, text: str, phonemes: bool) -> str:
        """`text` with every lexicon word replaced: by its IPA in a piper phoneme block when
        `phonemes` and the entry has IPA, else by its respelling, else left as written."""
        if self._pattern is None:
            return text

        def replace(match: re.Match) -> str:
            word, possessive = match["word"], match["possessive"] or ""
            entry = self._exact.get(word) or self._folded.get(word.casefold())
            if entry is None:  # a case-sensitive entry matched nothing under its own case rule
                return match[0]
            if phonemes and entry.phonemes:
                return PHONEME_BLOCK.format(entry.phonemes + _possessive_sound(entry.phonemes, possessive))
            if entry.say:
                return entry.say + possessive
            return match[0]

        return self._pattern.sub(replace, text)

    def fingerprint(self) -> str:
        """Stable identity of the lexicon's content, part of every take's cache key."""
        canonical = json.dumps([asdict(e) for e in self.entries], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.entries)


def _possessive_sound(ipa: str, possessive: str) -> str:
    if not possessive.endswith("s"):  # "Jones'" adds no sound
        return ""
    sound = ipa.rstrip(_STRESS_AND_LENGTH)
    if sound.endswith(_SIBILANT_ENDINGS):
        return "ɪz"
    if sound.endswith(_VOICELESS_ENDINGS):
        return "s"
    return "z"


def _word_entry(word: str, value, source: str) -> dict:
    fields = {"say": value} if isinstance(value, str) else value
    if _valid(fields, text_keys=("say", "phonemes")):
        return _fields(fields, say="say", phonemes="phonemes")
    raise AudioError(
        f'{source}: [words] entry "{word}" must be a respelling string or a table with say = "…" '
        f'(optional phonemes = "…", case_sensitive = true|false)'
    )


def _phoneme_entry(word: str, value, source: str) -> dict:
    fields = {"ipa": value} if isinstance(value, str) else value
    if _valid(fields, text_keys=("ipa",)):
        return _fields(fields, phonemes="ipa")
    raise AudioError(
        f'{source}: [phonemes] entry "{word}" must be an IPA string or a table with ipa = "…" '
        f"(optional case_sensitive = true|false)"
    )


def _valid(fields, text_keys: tuple[str, ...]) -> bool:
    return (
        isinstance(fields, dict)
        and set(fields) <= {*text_keys, "case_sensitive"}
        and any(fields.get(key) for key in text_keys)
        and all(isinstance(fields.get(key, ""), str) for key in text_keys)
        and isinstance(fields.get("case_sensitive", False), bool)
    )


def _fields(fields: dict, **names: str) -> dict:
    """Entry fields from a validated TOML table, `names` mapping Entry field -> TOML key."""
    found = {field: fields[key] for field, key in names.items() if fields.get(key)}
    return found | {"case_sensitive": fields.get("case_sensitive", False)}
