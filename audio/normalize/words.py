"""English words as they are said: abbreviations, initials, capitals, Roman numerals and acronyms."""
from __future__ import annotations

import re

from num2words import num2words

_AMPERSAND = re.compile(r"\s?&\s?")
_HASHTAG = re.compile(r"(?<!\w)#(?=[^\W\d])")
_HANDLE = re.compile(r"(?<![\w.])@(?=\w)")
_ABOUT = re.compile(r"(?<!\S)~(?=\d)")
_ARITHMETIC = [(re.compile(r"(?<=\d)\s?\^\s?(?=\d)"), " to the power of "),
               (re.compile(r"(?<=\d)\s?[*×]\s?(?=\d)"), " times "),
               (re.compile(r"(?<=\d) x (?=\d)"), " by "),
               (re.compile(r"(?<=\d) [-−] (?=\d)"), " minus "),
               (re.compile(r"(?<=\d) \+ (?=\d)"), " plus "),
               (re.compile(r"(?<=\d)\s?=\s?(?=[\d-])"), " equals ")]


def symbols(text, context):
    """& -> and, #tag -> tag, @name -> at name, ~5 -> about 5, 2^15 -> 2 to the power of 15"""
    for pattern, spoken in _ARITHMETIC:
        text = pattern.sub(spoken, text)
    text = _AMPERSAND.sub(" and ", text)
    text = _HASHTAG.sub("", text)
    text = _HANDLE.sub("at ", text)
    return _ABOUT.sub("about ", text)


def _keeps_stop(match: re.Match) -> str:
    """The full stop of an abbreviation that also ends the sentence must stay."""
    return "." if not match.string[match.end():].strip(" \"')]") else ""


_TITLES = {
    "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Prof": "Professor", "Gen": "General", "Col": "Colonel",
    "Lt": "Lieutenant", "Sgt": "Sergeant", "Capt": "Captain", "Cmdr": "Commander", "Gov": "Governor",
    "Sen": "Senator", "Rep": "Representative", "Rev": "Reverend", "Hon": "Honourable", "Pres": "President",
    "Supt": "Superintendent", "Insp": "Inspector", "Det": "Detective", "Mt": "Mount", "Ft": "Fort",
}
_AFTER_NAMES = {"Jr": "Junior", "Sr": "Senior", "Inc": "Incorporated", "Ltd": "Limited", "Corp": "Corporation",
                "Co": "Company", "Bros": "Brothers", "Ave": "Avenue", "Blvd": "Boulevard", "Rd": "Road"}
_ANYWHERE = {"etc": "et cetera", "e.g": "for example", "i.e": "that is", "vs": "versus", "v": "versus",
             "approx": "approximately", "cf": "compare", "Fig": "figure", "fig": "figure", "Vol": "volume",
             "vol": "volume", "Dept": "Department", "dept": "department", "Univ": "University", "ca": "circa"}
_TITLE = re.compile(rf"\b({'|'.join(_TITLES)})\.(?=\s+[A-Z])|\b(Mr|Mrs|Ms|Dr)(?=\s+[A-Z])")
_AFTER_NAME = re.compile(rf"(?<=\w)(,?\s+)({'|'.join(_AFTER_NAMES)})\.")
_ANY = re.compile(rf"(?<![\w.])({'|'.join(re.escape(k) for k in _ANYWHERE)})\.(?!\w)|\b(vs)\b(?!\.)")
# Dr. and St. before a name are titles; after a name, with no name following, they are streets.
_BEFORE_NAME = re.compile(r"\b(Dr|St)\.(?=\s+[A-Z])")
_STREET = re.compile(r"\b([A-Z][a-z]+\s+)(Dr|St)\.")
_TITLE_OR_STREET = {"Dr": ("Doctor", "Drive"), "St": ("Saint", "Street")}


def abbreviations(text, context):
    """Mr. -> Mister, Dr. Smith -> Doctor Smith, Elm Dr. -> Elm Drive, St. Mark St. -> Saint Mark Street,
    e.g. -> for example, etc. -> et cetera"""
    text = _BEFORE_NAME.sub(lambda m: _TITLE_OR_STREET[m[1]][0], text)
    text = _STREET.sub(lambda m: m[1] + _TITLE_OR_STREET[m[2]][1] + _keeps_stop(m), text)
    text = re.sub(r"\b(Dr|St)\.", lambda m: _TITLE_OR_STREET[m[1]][0 if m[1] == "Dr" else 1] + _keeps_stop(m), text)
    text = _TITLE.sub(lambda m: _TITLES.get(m[1] or m[2]) or _TITLE_OR_STREET[m[2]][0], text)
    text = _AFTER_NAME.sub(lambda m: m[1] + _AFTER_NAMES[m[2]] + _keeps_stop(m), text)
    return _ANY.sub(lambda m: _ANYWHERE[m[1] or m[2]] + (_keeps_stop(m) if m[1] else ""), text)


# J.R.R. Tolkien, U.S., U.K.: letters with full stops are read as letters (see acronyms for the form).
_DOTTED = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,})(?!\w)")
_INITIAL = re.compile(r"(?<![\w.])([A-Z])\.(?=\s+[A-Z][a-z])")


def initials(text, context):
    """J.R.R. Tolkien -> J.R.R Tolkien, George W. Bush -> George W Bush, the U.S. -> the U.S"""
    text = _DOTTED.sub(lambda m: m[1].rstrip(".") + _keeps_stop(m), text)
    return _INITIAL.sub(r"\1", text)


# Acronyms said as words: in this list, or shaped like a word (see _looks_pronounceable).
SAID_AS_WORDS = {
    "NATO", "NASA", "UNESCO", "UNICEF", "OPEC", "FIFA", "UEFA", "NAFTA", "ASEAN", "AIDS", "COVID", "SARS", "MERS",
    "ISIS", "LASER", "RADAR", "SCUBA", "NIMBY", "OFCOM", "OFSTED", "INTERPOL", "EUROPOL", "FEMA", "SWAT", "TASER",
    "BAFTA", "NORAD", "DARPA", "CERN", "FRONTEX", "ERASMUS", "ACAS", "NICE", "GIF", "JPEG", "PIN", "RAM", "ROM",
    "WASP", "QUANGO", "ANZAC", "UNITA", "HAMAS", "SEAL", "SEALS", "ZIP",
}
# Acronyms shaped like words that are nevertheless spelled out.
SPELLED = {"USA", "ACLU", "USDA", "UCLA", "IRA", "UAE", "OSCE", "ECOWAS", "USAID", "IOU", "AOL", "UEA"}
_SAID_AS = {"OK": "okay"}
_VOWELS = set("AEIOU")
_ONSETS = {"BL", "BR", "CH", "CL", "CR", "DR", "FL", "FR", "GL", "GR", "PH", "PL", "PR", "SC", "SH", "SK", "SL",
           "SM", "SN", "SP", "ST", "SW", "TH", "TR", "TW", "WH", "WR"}
_CODAS = {"CH", "CK", "CT", "FT", "LD", "LF", "LK", "LL", "LM", "LP", "LT", "MP", "ND", "NG", "NK", "NT", "PT",
          "RD", "RK", "RM", "RN", "RP", "RS", "RT", "SH", "SK", "SP", "SS", "ST", "TH", "TS", "GH"}
_LETTER_GROUPS = re.compile(r"[AEIOU]+|[^AEIOU]+")


def _looks_pronounceable(word: str) -> bool:
    """Four or more letters that alternate like an English word: LONDON, UNESCO, but not NSPCC or OECD."""
    if len(word) < 4:
        return False
    groups = _LETTER_GROUPS.findall(word)
    vowel_groups = [g for g in groups if g[0] in _VOWELS]
    if not vowel_groups or any(len(g) > 2 for g in vowel_groups):
        return False
    for i, group in enumerate(groups):
        if group[0] in _VOWELS or len(group) == 1:
            continue
        if len(group) > 2 or (i == 0 and group not in _ONSETS) or (i == len(groups) - 1 and group not in _CODAS):
            return False
    return True


def said_as_word(word: str) -> bool:
    return word in SAID_AS_WORDS or (word not in SPELLED and _looks_pronounceable(word))


def spelled(word: str) -> str:
    """FBI -> F.B.I: letters joined by full stops. Engines say each letter; with spaces ("C I A") piper
    reads a lone "A" as the article "uh"."""
    return ".".join(word)


_CAPS_WORD = r"[A-Z][A-Z'-]*[A-Z]|[A-Z]"
_LEAD_IN = re.compile(rf"^(\W*)((?:{_CAPS_WORD})(?:[ ,]+(?:{_CAPS_WORD}))+)(?=[ ,]+[a-z]|-[a-z])")
_OPENING_WORD = re.compile(r"^(\W*)([A-Z]{2,3})(?= )")
_CAPS_TOKEN = re.compile(r"[A-Z][A-Z'-]*")
_LOWER = re.compile(r"[a-z]")


def _as_words(capitals: str) -> str:
    def word(match):
        token = match[0]
        bare = token.split("'")[0]
        if len(bare) > 1 and (bare in SPELLED or bare in SAID_AS_WORDS or (len(bare) <= 3 and not _COMMON.get(bare))):
            return token  # an acronym among the capitals stays one
        return token.capitalize()

    return _CAPS_TOKEN.sub(word, capitals)


# Short words that open newspaper stories in capitals and must not be spelled out.
_COMMON = {w: True for w in "A AN THE IN ON AT OF TO BY FOR AS IT IS WAS HE SHE WE THEY IF SO BUT AND OR NOT NO "
           "ALL ONE TWO TEN OUR HIS HER ITS MY YOU WHO HOW WHY NEW OLD BIG TOP WAR MAN MEN FEW LAST NOW THIS THAT "
           "WHEN FROM AFTER WHAT ONCE".split()}
# Of those, the ones that are also acronyms stay capitals when they open a sentence alone.
_COMMON_OPENERS = set(_COMMON) - {"IT", "WHO", "ONE", "TWO", "TEN", "MY"}


def capitals(text, context):
    """AN AMERICAN plot -> An American plot; a sentence wholly in capitals is read as words."""
    if not _LOWER.search(text) and len(text.split()) >= 3:
        return _as_words(text)
    text = _LEAD_IN.sub(lambda m: m[1] + _as_words(m[2]), text)
    # "AS Opposition Leader Bill Shorten said": a one-word lead-in that is a common word.
    return _OPENING_WORD.sub(lambda m: m[1] + (m[2].capitalize() if m[2] in _COMMON_OPENERS else m[2]), text)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN = r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_COUNTED = re.compile(
    rf"\b(World War|Chapter|Part|Volume|Book|Act|Scene|Phase|Title|Article|Section|Super Bowl|Episode|Stage"
    rf"|Type|Class|Grade|Level|Round|Apollo|Vatican) ({_ROMAN})\b(?!['-])"
)
_REGNAL = re.compile(rf"\b([A-Z][a-z]+) ({_ROMAN})\b(?=['’]s\b|(?!['’-]\w))")
# A lone I or X after a capitalised word is far more often "I" or a letter than a numeral.
_REGNAL_NAMES_FOR_I = {"Elizabeth", "Charles", "James", "Henry", "Edward", "George", "William", "Mary", "Richard",
                       "John", "Peter", "Catherine", "Nicholas", "Alexander", "Louis", "Napoleon", "Frederick",
                       "Wilhelm", "Philip", "Francis", "Leopold", "Paul", "Pius", "Victor", "Ferdinand", "Constantine"}


def roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def roman_numerals(text, context):
    """Henry VIII -> Henry the Eighth, World War II -> World War Two, Chapter IV -> Chapter Four"""

    def counted(match):
        if not match[2]:
            return match[0]
        return f"{match[1]} {num2words(roman_value(match[2])).title()}"

    def regnal(match):
        name, numeral = match[1], match[2]
        if not numeral or (numeral in ("I", "X") and name not in _REGNAL_NAMES_FOR_I):
            return match[0]
        return f"{name} the {num2words(roman_value(numeral), to='ordinal').title()}"

    return _REGNAL.sub(regnal, _COUNTED.sub(counted, text))


_ACRONYM = re.compile(r"(?<![\w.'-])([A-Z][A-Z.]*[A-Z])(?P<ending>['’]s\b|s\b)?(?![\w'])")


def acronyms(text, context):
    """NATO -> Nato, FBI -> F.B.I, US -> U.S, MPs stays (engines say a plural acronym well)."""

    def read(match):
        word, ending = match[1].replace(".", ""), match["ending"] or ""
        if word in _SAID_AS:
            return _SAID_AS[word] + ending
        if said_as_word(word):
            return word.capitalize() + ending
        if ending == "s":
            return match[0]
        return spelled(word) + ending

    return _ACRONYM.sub(read, text)
