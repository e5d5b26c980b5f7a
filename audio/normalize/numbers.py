"""Numbers read as words: English steps for dates, times, money, measures and the like, and plain
numbers in any language num2words knows."""
from __future__ import annotations

import re
import unicodedata

from num2words import CONVERTER_CLASSES, num2words

# ---- reading numbers -------------------------------------------------------------------------

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DIGIT_WORDS = "zero one two three four five six seven eight nine".split()


def cardinal(number: str) -> str:
    """'1,234.5' -> 'one thousand, two hundred and thirty-four point five'; '007' and card numbers digit
    by digit."""
    whole, _, fraction = number.replace(",", "").partition(".")
    if (len(whole) > 1 and whole.startswith("0")) or len(whole) > 15:
        spoken = digits(whole)
    else:
        spoken = num2words(int(whole or "0"))
    return f"{spoken} point {digits(fraction)}" if fraction else spoken


def digits(number: str) -> str:
    return " ".join(_DIGIT_WORDS[int(d)] for d in number if d.isdigit())


def ordinal(number: str) -> str:
    return num2words(int(number.replace(",", "")), to="ordinal")


def year(number: str) -> str:
    """1981 -> nineteen eighty-one, 1905 -> nineteen oh five, 2005 -> two thousand five, 2024 -> twenty
    twenty-four: how English speakers say years, which num2words does only in British style."""
    value = int(number)
    century, rest = divmod(value, 100)
    if value < 1000 or 2000 <= value < 2010:
        return num2words(value).replace(" and ", " ")
    if rest == 0:
        return f"{num2words(century)} hundred"
    if rest < 10:
        return f"{num2words(century)} oh {num2words(rest)}"
    return f"{num2words(century)} {num2words(rest)}"


def plural(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties': the plural of a number said as words."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith("x"):
        return words + "es"
    return words + "s"


# ---- English steps, in pipeline order ----------------------------------------------------------

_NUMBER_SIGN = re.compile(rf"(?:\b(No|Nos|no|nos|pp|p)\.|#)\s?(?=\d)")
_SIGN_WORDS = {"No": "number", "no": "number", "Nos": "numbers", "nos": "numbers", "p": "page", "pp": "pages",
               None: "number"}


def number_signs(text, context):
    """No. 5, #1, p. 12, pp. 3-5"""
    return _NUMBER_SIGN.sub(lambda m: _SIGN_WORDS[m[1]] + " ", text)


_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w-]|[.,]\d)"
)


def phone_numbers(text, context):
    """+44 20 7946 0958, (555) 123-4567, 555-123-4567: digit by digit, a pause between groups."""

    def read(match):
        number = match[0]
        groups = re.findall(r"\d+", number)
        count = sum(len(g) for g in groups)
        if not 7 <= count <= 15:
            return number
        international, area = number.startswith("+"), "(" in number
        spaced_local = " " in number and groups[0].startswith("0")
        if not (international or area or spaced_local or (len(groups) >= 3 and " " not in number)):
            return number
        spoken = ", ".join(digits(group) for group in groups)
        return f"plus {spoken}" if international else spoken

    return _PHONE.sub(read, text)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_MONTH_BY_NAME = {name.lower(): i for i, name in enumerate(MONTHS, 1)}
_MONTH_BY_NAME.update({name[:3].lower(): i for i, name in enumerate(MONTHS, 1)} | {"sept": 9})
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_ISO_DATE = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH}) (?P<day>{_DAY})(?:\s?[-–](?P<last>{_DAY}))?(?!\d)(?:,? (?P<year>\d{{4}})\b)?"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<day>{_DAY})(?:\s?[-–](?P<last>{_DAY}))? (?P<month>{_MONTH})(?:,? (?P<year>\d{{4}})\b)?"
)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH}) (?=\d{{4}}\b)")


def _month(name: str) -> str:
    return MONTHS[_MONTH_BY_NAME[name.rstrip(".").lower()] - 1]


def _day(day: str) -> str:
    return ordinal(re.sub(r"\D", "", day))


def dates(text, context):
    """2024-01-03, Jan. 3, 3 January 2024, January 3-5, 2024, Sept. 2001"""

    def iso(match):
        return f"{MONTHS[int(match[2]) - 1]} {_day(match[3])}, {year(match[1])}"

    def days(match):
        spoken = _day(match["day"])
        return f"{spoken} to {_day(match['last'])}" if match["last"] else spoken

    def year_after(match):
        return f", {year(match['year'])}" if match["year"] else ""

    def month_day(match):
        return f"{_month(match['month'])} {days(match)}{year_after(match)}"

    def day_month(match):
        return f"the {days(match)} of {_month(match['month'])}{year_after(match)}"

    text = _ISO_DATE.sub(iso, text)
    text = _MONTH_DAY.sub(month_day, text)
    text = _DAY_MONTH.sub(day_month, text)
    return _MONTH_YEAR.sub(lambda m: _month(m["month"]) + " ", text)


_CURRENCY_SIGN = r"(?:US|A|C|NZ|HK)?[$£€¥]"
_RANGE_END = rf"{_CURRENCY_SIGN}?(?:\d{{1,2}}:\d\d|{NUMBER})"
# A spaced hyphen between numbers is more likely a minus sign than a range.
_RANGE = re.compile(rf"(?<![\d.,:/-])({_RANGE_END})(?:-|\s?[–—]\s?)({_RANGE_END})(?![\d:/-]|[.,]\d)")


def ranges(text, context):
    """10-12, 1990–95, $5-$10, 3:30-4:30: the dash is read as "to"."""
    return _RANGE.sub(r"\1 to \2", text)


_MERIDIEM = r"(?P<meridiem>[ap]\.m(?=\.)|[ap]\.m\b|[AP]\.M(?=\.)|[AP]\.M\b|[ap]m\b|[AP]M\b)"
_CLOCK = re.compile(rf"(?<![\d:.])(?P<hour>[01]?\d|2[0-4]):(?P<minute>[0-5]\d)(?![\d:])(?:\s?{_MERIDIEM})?")
# British style, 7.40am: a dot between hour and minute is a time only when am/pm follows.
_DOTTED_CLOCK = re.compile(rf"(?<![\d:.,])(?P<hour>1[0-2]|0?[1-9])\.(?P<minute>[0-5]\d)\s?{_MERIDIEM}")
_HOUR = re.compile(rf"(?<![\d:.,])(?P<hour>1[0-2]|0?[1-9])\s?{_MERIDIEM}")


def times(text, context):
    """3:30pm, 10 a.m., 15:45, 6:05, 7.40am: a.m. is written a.m, which engines say as letters."""

    def meridiem(match):
        return f" {match['meridiem'][0].lower()}.m" if match["meridiem"] else ""

    def clock(match):
        hour, minute = int(match["hour"]), int(match["minute"])
        if minute == 0:
            spoken = num2words(hour) + ("" if match["meridiem"] else " o'clock" if hour <= 12 else " hundred")
        elif minute < 10:
            spoken = f"{num2words(hour)} oh {num2words(minute)}"
        else:
            spoken = f"{num2words(hour)} {num2words(minute)}"
        return spoken + meridiem(match)

    text = _CLOCK.sub(clock, _DOTTED_CLOCK.sub(clock, text))
    return _HOUR.sub(lambda m: num2words(int(m["hour"])) + meridiem(m), text)


_CURRENCIES = {"$": ("dollar", "dollars", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
               "€": ("euro", "euros", "cent", "cents"), "¥": ("yen", "yen", None, None)}
_SCALES = {"k": "thousand", "thousand": "thousand", "m": "million", "mn": "million", "million": "million",
           "bn": "billion", "billion": "billion", "tn": "trillion", "trillion": "trillion"}
_MONEY = re.compile(
    rf"(?P<country>US|A|C|NZ|HK)?(?P<sign>[$£€¥])\s?(?P<amount>{NUMBER})"
    r"(?:\s?(?P<scale>k|m|mn|bn|tn)\b|\s(?P<scale_word>thousand|million|billion|trillion)\b)?"
    r"(?:/(?P<per>[a-z]+)\b)?"
)
_COUNTRY = {"US": "US", "A": "Australian", "C": "Canadian", "NZ": "New Zealand", "HK": "Hong Kong"}


def currency(text, context):
    """$4.50, £3bn, €20m, $1.2 trillion, US$5, $7/month"""

    def read(match):
        per = f" per {match['per']}" if match["per"] else ""
        return amount(match) + per

    def amount(match):
        one, many, minor_one, minor_many = _CURRENCIES[match["sign"]]
        amount = match["amount"]
        country = _COUNTRY[match["country"]] + " " if match["country"] else ""
        scale = _SCALES.get(match["scale"] or match["scale_word"] or "")
        if scale:
            return f"{cardinal(amount)} {scale} {country}{many}"
        whole, _, cents = amount.replace(",", "").partition(".")
        if len(cents) != 2 or minor_one is None:
            name = one if amount == "1" else many
            return f"{cardinal(amount)} {country}{name}"
        spoken = []
        if int(whole):
            spoken.append(f"{cardinal(whole)} {country}{one if int(whole) == 1 else many}")
        if int(cents) or not spoken:
            spoken.append(f"{num2words(int(cents))} {minor_one if int(cents) == 1 else minor_many}")
        return " ".join(spoken)

    return _MONEY.sub(read, text)


_DECADE = re.compile(r"(?<![\d,.])(1[1-9]\d0|20\d0)['’]?s\b")
_SHORT_DECADE = re.compile(r"(?:(?<=\s)|^)'?([2-9]0)['’]?s\b")


def decades(text, context):
    """1990s, '90s, the 80s"""
    text = _DECADE.sub(lambda m: plural(year(m[1])), text)
    return _SHORT_DECADE.sub(lambda m: plural(num2words(int(m[1]))), text)


_ORDINAL = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b")


def ordinals(text, context):
    """1st, 22nd, 103rd"""
    return _ORDINAL.sub(lambda m: ordinal(m[1]), text)


_VULGAR = re.compile(r"(?:(\d+)\s?)?([¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])")
_SLASHED = re.compile(r"(?<![\d/.])(?:(\d+) )?(\d{1,2})/(\d{1,3})(?![\d/]|\.\d)")
_DENOMINATORS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
_READ_AS_FRACTION = {2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100}


def _fraction(whole: str | None, numerator: int, denominator: int) -> str:
    one, many = _DENOMINATORS.get(denominator) or (ordinal(str(denominator)),) * 2
    if many == one:
        many = plural(one)
    part = f"{num2words(numerator)} {one if numerator == 1 else many}"
    if whole:
        return f"{cardinal(whole)} and {'a ' + one if numerator == 1 else part}"
    return part


def fractions(text, context):
    """1/2, 2 1/2, ¾, 1½; 24/7 and 9/11 are not fractions and are read as two numbers."""

    def vulgar(match):
        numerator, denominator = unicodedata.numeric(match[2]).as_integer_ratio()
        return _fraction(match[1], numerator, denominator)

    def slashed(match):
        numerator, denominator = int(match[2]), int(match[3])
        if 0 < numerator < denominator and denominator in _READ_AS_FRACTION:
            return _fraction(match[1], numerator, denominator)
        return f"{match[1] + ' ' if match[1] else ''}{match[2]} {match[3]}"

    return _SLASHED.sub(slashed, _VULGAR.sub(vulgar, text))


_PERCENT = re.compile(rf"(?<![\d.,])(-|−)?({NUMBER})\s?%")


def percentages(text, context):
    """5%, 3.5%, -2%"""
    return _PERCENT.sub(lambda m: ("minus " if m[1] else "") + cardinal(m[2]) + " percent", text)


# unit -> (singular, plural)
_UNITS = {
    "km/h": ("kilometer per hour", "kilometers per hour"), "kph": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"), "km²": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"), "km": ("kilometer", "kilometers"), "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"), "m": ("meter", "meters"), "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"), "g": ("gram", "grams"), "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"), "oz": ("ounce", "ounces"), "ft": ("foot", "feet"), "ml": ("milliliter", "milliliters"),
    "ha": ("hectare", "hectares"), "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"), "°": ("degree", "degrees"),
    "TB": ("terabyte", "terabytes"), "GB": ("gigabyte", "gigabytes"), "MB": ("megabyte", "megabytes"),
    "KB": ("kilobyte", "kilobytes"), "kB": ("kilobyte", "kilobytes"), "GHz": ("gigahertz", "gigahertz"),
    "MHz": ("megahertz", "megahertz"), "kHz": ("kilohertz", "kilohertz"), "Hz": ("hertz", "hertz"),
    "kWh": ("kilowatt hour", "kilowatt hours"), "kW": ("kilowatt", "kilowatts"), "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
}
_UNIT = re.compile(
    rf"(?<![\d.,\w])(-|−)?({NUMBER})\s?"
    rf"({'|'.join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))})(?![\w/²])"
)


def units(text, context):
    """5 km, 20°C, -5°C, 1 kg, 70 mph, 16GB"""

    def read(match):
        one, many = _UNITS[match[3]]
        sign = "minus " if match[1] else ""
        return f"{sign}{cardinal(match[2])} {one if match[2] == '1' else many}"

    return _UNIT.sub(read, text)


_YEAR = re.compile(r"(?<![\d,.$£€¥#-])(1[1-9]\d\d|20\d\d)(?![\d]|[.,]\d)")


def years(text, context):
    """A four-digit number from 1100 to 2099 is read as a year: 1981, 2005, 2024."""
    return _YEAR.sub(lambda m: year(m[1]), text)


_VERSION = re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?![\d.]\d)")
_SCALED = re.compile(rf"(?<![\d.,])({NUMBER})\s?(k|bn|tn)\b")
_GLUED_TO_LETTERS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_PLAIN = re.compile(rf"(?<![\d.,])(-|−)?({NUMBER})")
_PLAIN_INTEGER = re.compile(r"(?<![\d.,])\d+(?![\d.,]\d)")


def numbers(text, context):
    """Every number left: 1,234,567, 3.14, -5, 10k, version 1.8.3; G7 and MP3 become G 7 and MP 3 first."""
    if context.language != "en":
        language = context.language if context.language in CONVERTER_CLASSES else None
        if language is None:
            return text
        return _PLAIN_INTEGER.sub(lambda m: num2words(int(m[0]), lang=language), text)
    text = _VERSION.sub(lambda m: " point ".join(cardinal(part) for part in m[0].split(".")), text)
    text = _SCALED.sub(lambda m: f"{cardinal(m[1])} {_SCALES[m[2]]}", text)
    text = _GLUED_TO_LETTERS.sub(" ", text)

    def read(match):
        # A hyphen glued to a word ("COVID-19") joins; one after a space or at the start is a minus.
        start = match.start()
        minus = match[1] and (start == 0 or match.string[start - 1] in " (\"'")
        prefix = "minus " if minus else (match[1] and " ") or ""
        return prefix + cardinal(match[2])

    return _PLAIN.sub(read, text)
