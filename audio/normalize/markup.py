"""Language-neutral steps: typography and markup that a voice should not read as written."""
from __future__ import annotations

import re

_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U0001F1E6-\U0001F1FF\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF"
    "\uFE0E\uFE0F\u200D\u20E3]+"
)


def emoji(text, context):
    return _EMOJI.sub("", text)


# Reference marks of encyclopedias and papers: [1], [12–14], [a], [note 3], [citation needed].
_FOOTNOTE = re.compile(
    r"\s?\[(?:\d+(?:\s?[,–-]\s?\d+)*|[a-z]|(?i:(?:note|nb|fn)\s?\d+|citation needed|clarification needed"
    r"|verification needed|better source needed|according to whom\?|who\?|when\?|where\?|which\?"
    r"|dubious[^\]]*|page needed|full citation needed|sic))\](?!\w)"
)
# What is left in brackets is an editor's insertion, "[former] President", and is read as text.
_EDITORIAL = re.compile(r"\[([^\[\]]*)\]")


def footnotes(text, context):
    return _EDITORIAL.sub(r"\1", _FOOTNOTE.sub("", text))


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "‹": "'", "›": "'"})


def quotes(text, context):
    return text.translate(_QUOTES)


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?<![\w@/])(?:(?:https?|ftp)://|www\.)[^\s<>\"']+"
    r"|(?<![\w@./-])(?:[a-z0-9-]+\.)+(?:com|org|net|gov|edu|info|io|co\.uk|org\.uk|gov\.uk|ac\.uk|uk|de|fr|eu"
    r"|ru|by|ua|us|ca|au|nz|ie|in)\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]'\""
_SCHEME = re.compile(r"^(?:(?:https?|ftp)://)?(?:www\.)?", re.IGNORECASE)
_DOT = {"en": "dot", "de": "Punkt", "fr": "point", "es": "punto", "it": "punto", "pt": "ponto", "nl": "punt",
        "ru": "точка", "pl": "kropka"}
_AT = {"en": "at", "de": "at", "fr": "arobase", "es": "arroba", "it": "chiocciola", "pt": "arroba",
       "nl": "apenstaartje", "ru": "собака", "pl": "małpa"}


def urls(text, context):
    """A web address is read as its host ("example dot org") or dropped; an e-mail address likewise."""
    dot = f" {_DOT.get(context.language, 'dot')} "
    at = f" {_AT.get(context.language, 'at')} "

    def url(match):
        address = match[0].rstrip(_URL_TRAILING)
        trailing = match[0][len(address):]
        if context.urls == "drop":
            return trailing
        host = _SCHEME.sub("", address).split("/")[0].split("?")[0].split(":")[0]
        return host.replace(".", dot) + trailing

    def email(match):
        if context.urls == "drop":
            return ""
        user, host = match[0].split("@")
        return user.replace(".", dot) + at + host.replace(".", dot)

    return _URL.sub(url, _EMAIL.sub(email, text))


_SPACED_DOTS = re.compile(r"\.\s\.\s\.")
_ELLIPSIS = re.compile(r"\s*\.{3,}\s*")
_OPENING, _CLOSING = "\"'([", "\"')]"


def ellipses(text, context):
    """An ellipsis is a pause: a comma between words, a full stop where the text ends, nothing where it
    opens. Left as dots, piper's phonemizer drops it without a pause and runs the two words around it
    into one ("rudeness...one" is said "rudenesswun"), and a trailing one leaves the sentence unfinished."""
    text = _SPACED_DOTS.sub("...", text.replace("…", "..."))

    def pause(match):
        before, after = text[:match.start()], text[match.end():]
        if not before.strip(" " + _OPENING):  # "...and then": nothing to pause after
            return ""
        if before[-1] in ".?!,;:":  # "What?..." already ends or pauses
            return " " if after.strip(_CLOSING) else ""
        if not after.strip(" " + _CLOSING):
            return "."
        if match[0].count(".") > 3:  # a full stop and an ellipsis: "the end.... Next"
            return ". "
        return ", " if after[0] not in _CLOSING else ","

    return _ELLIPSIS.sub(pause, text)


# A dash between words is a pause; ranges of numbers were read as "to" by an earlier step.
_DASH = re.compile(r"\s*(?:[—–―]|--)\s*|\s+-\s+")


def dashes(text, context):
    return _DASH.sub(", ", text)


_RUNS_OF_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_STOP = re.compile(r"\s+(?=[,.;:!?])")
_COMMA_BEFORE_STOP = re.compile(r",+\s*(?=[,.;:!?])")
_LEADING_COMMA = re.compile(r"^[\s,;:]+")
_COMMA_AT_END = re.compile(r"[\s,]+$")
_COMMA_AFTER_QUOTE = re.compile(r'(^|\s)(["\'(])\s*,\s*')


def spacing(text, context):
    """One space between words and no stray commas left behind by removed or rewritten text."""
    text = _RUNS_OF_SPACE.sub(" ", text)
    text = _SPACE_BEFORE_STOP.sub("", text)
    text = _COMMA_BEFORE_STOP.sub("", text)
    text = _COMMA_AFTER_QUOTE.sub(r"\1\2", text)
    text = _LEADING_COMMA.sub("", text)
    return _COMMA_AT_END.sub("", text).strip()
