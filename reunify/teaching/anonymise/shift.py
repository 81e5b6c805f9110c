"""The date shift: every date of a copy moved back by one random number of whole weeks.

One shift for the whole case keeps ages and intervals; whole weeks keep weekdays and
working-day deadlines meaning what they did. Dates written in free text move too, in the
words they were written in ("Tuesday 3rd March 2026", "03/03/2026", "March 2026", "in
March", "2026"); one that cannot be moved exactly (a day and month without a year, a
two-digit year, a day that does not exist) is left to the caller to replace.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from reunify.records import Case
from reunify.records import models as m
from reunify.records.fields import walk_record
from reunify.teaching.anonymise.words import cased

MIN_WEEKS, MAX_WEEKS = 29, 285  # 203 to 1995 days back

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORDINAL = r"(?:st|nd|rd|th)"
_YEAR = r"(?:19|20)\d\d"

# Each form once with named groups (to take a match apart) and once without (to find it).
_DATE_FORMS = {
    "iso": r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})",
    "numeric": r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})",
    "dmy": (rf"(?:(?P<wd>{_WEEKDAY})\.?,?\s+(?:the\s+)?)?(?P<d>{_DAY})(?P<sfx>{_ORDINAL})?\s+(?:of\s+)?"
            rf"(?i:(?P<m>{_MONTH})),?\s+(?P<y>{_YEAR})"),
    "mdy": (rf"(?:(?P<wd>{_WEEKDAY})\.?,?\s+)?(?i:(?P<m>{_MONTH}))\s+(?P<d>{_DAY})(?P<sfx>{_ORDINAL})?,?\s+"
            rf"(?P<y>{_YEAR})"),
    "my": rf"(?i:(?P<m>{_MONTH})),?\s+(?:of\s+)?(?P<y>{_YEAR})",
    # A day and month with no year cannot be shifted exactly.
    "dm": rf"(?:{_WEEKDAY}\.?,?\s+(?:the\s+)?)?{_DAY}{_ORDINAL}?\s+(?:of\s+)?{_MONTH}",
    "md": rf"(?:{_WEEKDAY}\.?,?\s+)?{_MONTH}\s+{_DAY}{_ORDINAL}",
}
_DATE_PARSERS = {form: re.compile(pattern) for form, pattern in _DATE_FORMS.items()}
DATE_ANY = "|".join(re.sub(r"\(\?P<\w+>", "(?:", pattern) for pattern in _DATE_FORMS.values())
DATE_WITH_YEAR = "|".join(re.sub(r"\(\?P<\w+>", "(?:", _DATE_FORMS[form])
                          for form in ("iso", "numeric", "dmy", "mdy", "my"))


def draw_shift(rng: random.Random, case: Case) -> dt.timedelta:
    """Whole weeks back; never one that lands a date of the copy on a real date of birth."""
    births = {p.born for p in case.people.people if p.born}
    dates = {mark.value for name in m.FILE_MODELS
             for mark in walk_record(getattr(case, name.removesuffix(".yaml"))) if mark.date}
    for _ in range(100):
        shift = dt.timedelta(weeks=-rng.randint(MIN_WEEKS, MAX_WEEKS))
        if not any(day + shift in births for day in dates):
            break
    return shift


def move_date(text: str, shift: dt.timedelta) -> str | None:
    """A date written in text (found with DATE_ANY), moved by the shift and written the same way;
    None when that cannot be done exactly."""
    for form, parser in _DATE_PARSERS.items():
        parts = parser.fullmatch(text)
        if parts is None:
            continue
        if form in ("dm", "md") or (form == "numeric" and len(parts.group("y")) == 2):
            return None
        groups = parts.groupdict()
        try:
            month = int(groups["m"]) if groups["m"].isdigit() else _month_number(groups["m"])
            day = dt.date(int(groups["y"]), month, 15 if form == "my" else int(groups["d"]))
        except ValueError:
            return None
        moved = day + shift
        new: dict[str, str] = {"y": str(moved.year)}
        if form in ("iso", "numeric"):
            new["m"] = str(moved.month).zfill(len(groups["m"]))
            new["d"] = str(moved.day).zfill(len(groups["d"]))
        else:
            new["m"] = _month_like(moved.month, groups["m"])
        if form in ("dmy", "mdy"):
            new["d"] = str(moved.day).zfill(len(groups["d"]))
            if groups["sfx"]:
                new["sfx"] = _ordinal(moved.day)
            if groups["wd"]:
                weekday = WEEKDAYS[moved.weekday()]
                new["wd"] = weekday if len(groups["wd"]) > 4 else weekday[:3]
        return _respan(parts, new)
    return None


def move_month(text: str, shift: dt.timedelta) -> str:
    """A month named on its own ("in March"), moved by the shift as if it were the middle of it."""
    word = re.findall(r"[A-Za-z]+", text)[-1]
    moved = dt.date(2001, MONTHS.index(word) + 1, 15) + shift
    return text[: len(text) - len(word)] + MONTHS[moved.month - 1]


def move_year(text: str, shift: dt.timedelta) -> str:
    """A year on its own, moved by the shift as if it were the middle of it."""
    return str((dt.date(int(text), 7, 2) + shift).year)


def _month_number(word: str) -> int:
    short = word.rstrip(".")[:3].lower()
    return next(number for number, name in enumerate(MONTHS, 1) if name[:3].lower() == short)


def _month_like(month: int, like: str) -> str:
    """The month's name written like `like`: in full or short (with its dot), in its case."""
    name = MONTHS[month - 1]
    bare = like.rstrip(".")
    word = name if bare.capitalize() in MONTHS else name[:3] + like[len(bare):]
    return cased(bare, word)


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _respan(found: re.Match[str], values: dict[str, str]) -> str:
    """The matched text with the named groups in `values` replaced."""
    text = found.string
    spans = sorted((found.span(group), value) for group, value in values.items() if found.group(group))
    pieces, last = [], 0
    for (start, end), value in spans:
        pieces += [text[last:start], value]
        last = end
    return "".join([*pieces, text[last:]])
