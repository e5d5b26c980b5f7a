"""Cut text into the units a voice speaks in one breath: sentences, and pieces of over-long sentences."""
from __future__ import annotations

import bisect
import math
import re
from functools import lru_cache

import pysbd
from pysbd.languages import LANGUAGE_CODES

_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=None)
def _segmenter(language: str) -> pysbd.Segmenter:
    primary = language.split("-")[0].split("_")[0].lower()
    # pysbd only knows some languages; English rules still split most Latin-script prose well.
    return pysbd.Segmenter(language=primary if primary in LANGUAGE_CODES else "en", clean=False)


def sentences(paragraph: str, language: str = "en") -> list[str]:
    """The sentences of one paragraph, whitespace collapsed, none empty, together holding its text.

    Pass one paragraph at a time: pysbd grows superlinearly with the length of its input.
    """
    # A line break inside a paragraph is only wrapping, but pysbd would end a sentence there.
    text = _WHITESPACE.sub(" ", paragraph).strip()
    if not text:
        return []
    pieces = _segmenter(language).segment(text)
    return _cut_like(text, [len(_WHITESPACE.sub("", p)) for p in pieces])


def _cut_like(text: str, visible_lengths: list[int]) -> list[str]:
    """Cut `text` where the pieces' visible (non-whitespace) lengths say.

    pysbd reproduces its input closely but not always exactly; cutting the original text rather than
    trusting pysbd's strings guarantees that nothing is lost or duplicated.
    """
    cuts, visible, position = [], 0, 0
    targets = iter(_running_totals(visible_lengths[:-1]))
    target = next(targets, None)
    for position, char in enumerate(text):
        if target is None:
            break
        if char.isspace():
            continue
        if visible == target:
            cuts.append(position)
            target = next(targets, None)
        visible += 1
    bounds = [0, *cuts, len(text)]
    pieces = (text[start:end].strip() for start, end in zip(bounds, bounds[1:]))
    return [piece for piece in pieces if piece]


def _running_totals(lengths: list[int]) -> list[int]:
    totals, total = [], 0
    for length in lengths:
        total += length
        totals.append(total)
    return totals


# Where a long sentence may be cut, best first. Each pattern matches the whitespace to cut at, so a
# piece keeps its punctuation and the next piece starts on a word. First the ends of sentences that a
# quotation holds, which the segmenter keeps in one ("…Lukashenko. But the practice…"); two lower-case
# letters before the stop leave out abbreviations ("Mr. Smith", "the U.S. Army").
_BREAKS = [
    re.compile(r"(?:(?<=[a-z]{2}[.!?])|(?<=[a-z]{2}[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z])"),
    re.compile(r"(?<=[;:—–…])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(
        r"\s+(?=(?:and|but|or|nor|yet|so|which|while|whereas|because|although|though|since|unless"
        r"|until|whether|where|when|who|whom|whose|that|if|then)\b)",
        re.IGNORECASE,
    ),
    re.compile(r"(?<!\.)\s+"),  # a stop inside a sentence ends an abbreviation, bound to what follows
]


def split_long(sentence: str, max_chars: int = 250) -> list[str]:
    """Pieces of `sentence`, none longer than `max_chars`, cut at the strongest clause boundary near
    where even pieces would end. Nothing is lost: joining the pieces with spaces gives the sentence
    back with its whitespace collapsed (a word longer than `max_chars` is cut inside, as last resort).
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    sentence = sentence.strip()
    if len(sentence) <= max_chars:
        return [sentence] if sentence else []
    # Every candidate cut, found once, so recursion over a huge sentence stays near linear.
    breaks = [[(m.start(), m.end()) for m in pattern.finditer(sentence)] for pattern in _BREAKS]
    breaks[0] = [cut for cut in breaks[0] if not _after_abbreviation(sentence, cut[0])]
    starts = [[start for start, _ in tier] for tier in breaks]
    pieces: list[str] = []
    _split(sentence, 0, len(sentence), max_chars, breaks, starts, pieces)
    return pieces


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    return frozenset(English.Abbreviation.ABBREVIATIONS)


def _after_abbreviation(text: str, position: int) -> bool:
    """Whether the stop before `position` ends an abbreviation ("Gen. Smith"), not a sentence."""
    word = text[:position].rstrip("\"”’)").rsplit(None, 1)[-1]
    return word.rstrip(".!?").lower() in _abbreviations()


def _split(text, start, end, max_chars, breaks, starts, out) -> None:
    length = end - start
    if length <= max_chars:
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        return
    count = math.ceil(length / max_chars)
    left_count = count // 2
    ideal = start + length * left_count / count
    # Keep pieces between half and one and a half times the even length, and never so lopsided that
    # one side would need more pieces than planned.
    slack = length / count / 2
    low = max(ideal - slack, end - max_chars * (count - left_count), start + 1)
    high = min(ideal + slack, start + max_chars * left_count)
    # One more piece than planned is better than a cut between two words of one clause (the voice ends
    # a piece as it ends a sentence), or than a cut inside a word.
    planned = _best_break(breaks, starts, low, high, ideal)
    if planned is None or planned[0] == len(breaks) - 1:
        wider = _best_break(breaks, starts, start + 1, start + max_chars, ideal)
        if wider is not None and (planned is None or wider[0] < planned[0]):
            planned = wider
    if planned is None:
        middle = int(ideal)
        cut = (middle, middle)
    else:
        cut = planned[1]
    _split(text, start, cut[0], max_chars, breaks, starts, out)
    _split(text, cut[1], end, max_chars, breaks, starts, out)


def _best_break(breaks, starts, low, high, ideal):
    """(tier, cut): the candidate cut of the highest tier within [low, high], nearest `ideal`."""
    for rank, (tier, tier_starts) in enumerate(zip(breaks, starts)):
        first = bisect.bisect_left(tier_starts, low)
        last = bisect.bisect_right(tier_starts, high)
        if first < last:
            after = min(max(bisect.bisect_left(tier_starts, ideal), first), last - 1)
            before = max(after - 1, first)
            nearest = min(before, after, key=lambda i: abs(tier_starts[i] - ideal))
            return rank, tier[nearest]
    return None
