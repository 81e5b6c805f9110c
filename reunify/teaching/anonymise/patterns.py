"""The patterns free text is read with, and the regular expressions made from a case's own words.

`FIXED_PATTERNS` finds what has a form of its own: emails, UK phone numbers, NHS and
National Insurance numbers, a date of birth after its label, dates, addresses, postcodes,
months and years. The scrubbing adds the case's own names, places, ids and reference,
made with `alternation` and `accented_alternation`, and tries the kinds in `KINDS` order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from reunify.teaching.anonymise.shift import DATE_ANY
from reunify.teaching.anonymise.shift import DATE_WITH_YEAR
from reunify.teaching.anonymise.shift import MONTHS
from reunify.teaching.anonymise.words import STREET_WORDS

WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
NOT_LETTER_AFTER = r"(?![^\W\d_])"

_DOB_LABEL = r"(?i:\b(?:d\.\s?o\.\s?b\.?|dob|date\s+of\s+birth|birth\s?date)(?!\w))"
_DOB_SEPARATOR = r"(?:\s*[:=–-]\s*|\s+(?i:is|was)\s+|\s+)?"
DOB_PARSER = re.compile(rf"(?P<label>{_DOB_LABEL}{_DOB_SEPARATOR})(?P<date>.+)", re.S)

# Words that never stand between a house number and a street type: "3 weeks at the park".
_NOT_STREET = ("a", "an", "the", "of", "at", "in", "on", "to", "and", "or", "for", "with", "by", "from", "is",
               "was", "her", "his", "their", "my", "our", "your", "its", "this", "that", "more", "other", "new",
               "times?", "weeks?", "days?", "months?", "years?", "hours?", "minutes?", "nights?", "sessions?",
               "people", "children", "girls", "boys", "visits?", "miles", "per", "out", "bed", "bedroom(?:ed)?",
               "storey", "floor")
_STREET_NAME = r"(?!(?:" + "|".join(_NOT_STREET) + r")\b)[^\W\d_][\w'’-]*"
# Street types that name a street in any case ("14 larch close"); the rest only capitalised.
STRONG_STREET_WORDS = ("Street", "Road", "Lane", "Close", "Crescent", "Avenue", "Drive", "Way", "Court", "Place",
                       "Gardens", "Grove", "Terrace", "Mews", "Square", "Parade", "Rise", "Walk", "Row",
                       "Boulevard", "Cottages", "Wharf", "Quay")
_FLAT = r"(?i:(?:flat|apartment|apt|unit|room|suite)\.?\s+\d+[a-z]?,?\s+)?"
_ABBREVIATED = r"(?:St|Rd|Ln|Ave|Dr|Ct|Pl|Sq|Cl|Cres|Gr|Gro|Gdns|Tce|Terr|Pde|Pk)\.?"

FIXED_PATTERNS = {
    "email": r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "phone": (r"(?<![\w+(])(?:\(?(?:\+|00)\s?44\)?[\s./-]?(?:\(0\)[\s./-]?)?|\(?0)"
              r"\d(?:[\s./-]?\)?[\s./-]?\d){7,11}(?!\d)"),
    "nhs_number": r"(?<![\w+])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w-])",
    "ni_number": (r"(?<!\w)(?i:(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?:[ -]?\d{2}){3}"
                  r"[ -]?[A-D])(?!\w)"),
    "dob": rf"{_DOB_LABEL}{_DOB_SEPARATOR}(?:{DATE_WITH_YEAR})(?![\w/]|[.-]\d)",
    "date": rf"(?<![\w/.-])(?:{DATE_ANY})(?![\w/]|[.-]\d)",
    "street": (
        # a house number and a street, capitalised ("14 Larch Close", "Flat 2, 9 Tanyard Ln.") ...
        rf"(?<!\w){_FLAT}\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}"
        rf"(?:{_ABBREVIATED}|(?:" + "|".join(STREET_WORDS) + r"))(?!\w)"
        # ... or in any case ("14 larch close", "unit 5, 88 MILL LANE") ...
        rf"|(?<!\w){_FLAT}(?i:\d{{1,4}}[a-z]?,?\s+(?:{_STREET_NAME}\s+){{1,3}}"
        r"(?:" + "|".join(STRONG_STREET_WORDS) + r"))(?!\w)"
        # ... or a named street without its number ("near Tanyard Lane").
        r"|(?<![\w'’-])(?!(?:The|A|An|In|On|At|Of|To|And|Or|Her|His|Their|My|Our|Your|This|That|Near|From|By"
        r"|With|For|Off|Past)\b)(?:[A-Z][^\W\d_]*(?:['’][^\W\d_]+)?\s+){1,3}"
        r"(?:Street|Road|Lane|Close|Crescent|Avenue|Drive|Grove|Terrace|Gardens|Mews|Square|Parade)(?!\w)"),
    "postcode": r"(?<!\w)(?i:(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \t]{0,2}\d[A-Z]{2})(?!\w)",
    # A month on its own ("in March"); "May" only after a word that makes it the month.
    "month": ("(?:" + "|".join(rf"(?<=\b{word}[ -])" for word in (
        "in", "In", "since", "Since", "by", "By", "from", "From", "until", "Until", "during", "During", "early",
        "Early", "late", "Late", "mid", "Mid", "of", "last", "Last", "next", "Next", "this", "This", "before",
        "Before", "after", "After")) + ")May(?!\\w)|(?<!\\w)(?:"
        + "|".join(month for month in MONTHS if month != "May") + r")(?!\w)"),
    # A year on its own, but not an Act of Parliament's, an amount or part of a number.
    "year": r"(?<![\w£$€#/.,])(?<!Act )(?<!Act, )(?:19[3-9]\d|20\d\d)(?![\w%/]|[.,]\d)",
}
POSTCODE = re.compile(FIXED_PATTERNS["postcode"])
POSSESSIVE = re.compile(r"['’][sS]$")
# The order decides between matches that start at the same place.
KINDS = ("email", "phone", "nhs_number", "ni_number", "dob", "address", "reference", "date", "street", "postcode",
         "id", "initial", "initials", "name", "place", "month", "year")


def _accented() -> dict[str, str]:
    """Letters with accents, by the letter without: a name matches with or without them ("Zoe", "Zoë")."""
    table: dict[str, str] = {}
    for point in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFKD", chr(point))[0]
        if base.isascii() and base.isalpha() and base != chr(point):
            table[base] = table.get(base, "") + chr(point)
    return table


ACCENTED = _accented()
MARKS = r"[\u0300-\u036f]*"  # combining accents, for text written decomposed


def flexible(text: str) -> str:
    """A regex for `text` that allows either apostrophe and any run of spaces."""
    return re.sub(r"\\?\s+", r"\\s+", re.escape(text)).replace("'", "['’]").replace("’", "['’]")


def alternation(words: Iterable[str]) -> str:
    return "|".join(flexible(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def accented_alternation(words: Iterable[str], exact: bool = False) -> str:
    """An alternation of words (without accents) that matches each with or without accents, either
    apostrophe and any spaces; in any case unless `exact` (put it inside (?i:...) for that)."""
    return "|".join(_accented_word(w, exact) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _accented_word(word: str, exact: bool) -> str:
    parts = []
    for ch in word if exact else word.lower():
        if ch in "'’":
            parts.append("['’]")
        elif ch.isspace():
            parts.append(r"\s+")
        elif ch in ACCENTED:
            parts.append(f"[{ch}{ACCENTED[ch]}]{MARKS}")
        else:
            parts.append(re.escape(ch) + (MARKS if ch.isalpha() else ""))
    return "".join(parts)
