"""Text: measured and wrapped in the bundled font, and what each person's label says."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from PIL import ImageFont

from reunify.core.dates import age_in_years
from reunify.core.resources import FONT
from reunify.documents.context import clean_text
from reunify.documents.genogram.items import AGE_SIZE
from reunify.documents.genogram.items import GREY
from reunify.documents.genogram.items import INK
from reunify.documents.genogram.items import LABEL_LIMIT
from reunify.documents.genogram.items import LABEL_WIDTH
from reunify.documents.genogram.items import LEADING
from reunify.documents.genogram.items import NAME_SIZE
from reunify.documents.genogram.items import NOTE_SIZE
from reunify.records import models as m

_MEASURE_SIZE = 64
_SPACE = re.compile(r"\s+")
ELLIPSIS = "\u2026"


@functools.lru_cache(maxsize=64)
def font(size: float) -> ImageFont.FreeTypeFont:
    """DejaVu Sans, shipped in the package: it draws every accented Latin letter itself."""
    return ImageFont.truetype(str(FONT), size)


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float) -> float:
    """The width of `text` in the genogram's font, in layout units."""
    width = font(_MEASURE_SIZE).getlength(text)
    return width * size / _MEASURE_SIZE * 1.02  # a little room: hinted text can come out wider


def one_line(text: str) -> str:
    line = _SPACE.sub(" ", clean_text(text)).strip()
    # A label longer than this cannot be laid out under a symbol anyway ('check' says so).
    return line if len(line) <= LABEL_LIMIT else line[:LABEL_LIMIT - 1] + ELLIPSIS


def wrap(text: str, size: float, width: float, most: int | None = None) -> list[str]:
    """`text` broken into lines no wider than `width`; long words are split. With `most`,
    no more lines than that, the last ending in an ellipsis when text is left out."""
    lines: list[str] = []
    current = ""
    for word in one_line(text).split(" "):
        if not word:
            continue
        trial = f"{current} {word}" if current else word
        if text_width(trial, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size) > width:
            cut = max(1, next((i for i in range(len(word), 0, -1) if text_width(word[:i], size) <= width), 1))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if most is not None and len(lines) > most:
        last = lines[most - 1]
        while last and text_width(last.rstrip(" ,;(") + ELLIPSIS, size) > width:
            last = last[:-1]
        lines = [*lines[:most - 1], last.rstrip(" ,;(") + ELLIPSIS]
    return lines


# -- what each person shows ------------------------------------------------------------------


def age_text(person: m.Person, today: dt.date) -> str:
    """The age for the people table: "10", "" if unknown, "died 2019 aged 61"."""
    if person.died is not None:
        if person.born is not None and person.born <= person.died:
            return f"died {person.died.year} aged {age_in_years(person.born, person.died)}"
        return f"died {person.died.year}"
    if person.born is None or person.born > today:
        return ""
    return str(age_in_years(person.born, today))


def age_label(person: m.Person, today: dt.date) -> str:
    if person.died is not None:
        if person.born is not None and person.born <= person.died:
            return f"{person.born.year}-{person.died.year}, aged {age_in_years(person.born, person.died)}"
        return f"Died {person.died.year}"
    if person.born is None or person.born > today:
        return ""
    years = age_in_years(person.born, today)
    if years >= 2:
        return f"Age {years}"
    months = (today.year - person.born.year) * 12 + today.month - person.born.month
    if today.day < person.born.day:
        months -= 1
    return "Age under 1 month" if months < 1 else f"Age {months} month{'s' if months > 1 else ''}"


@dataclass(frozen=True)
class Label:
    lines: tuple[tuple[str, float, str, str], ...]  # text, size, colour, class

    @property
    def height(self) -> float:
        return sum(size * LEADING for _, size, _, _ in self.lines)

    @property
    def width(self) -> float:
        return max((text_width(text, size) for text, size, _, _ in self.lines), default=0.0)


def person_label(person: m.Person, today: dt.date, scale: float = 1.0, note_lines: int | None = None) -> Label:
    """Name, age (or years of life) and relationship, each wrapped to the label's width;
    the relationship in at most `note_lines` lines (the table of people holds it whole)."""
    return _label(person.name, age_label(person, today), person.relationship or "", scale, note_lines)


# The same labels are wrapped for each way of drawing a family tried, and for each day its
# documents show: each is wrapped once.
@functools.lru_cache(maxsize=2048)
def _label(name_text: str, age: str, relationship: str, scale: float, note_lines: int | None) -> Label:
    name, age_size, note = NAME_SIZE * scale, AGE_SIZE * scale, NOTE_SIZE * scale
    lines = [(line, name, INK, "name") for line in wrap(name_text, name, LABEL_WIDTH)]
    if age:
        lines += [(line, age_size, INK, "age") for line in wrap(age, age_size, LABEL_WIDTH)]
    if relationship:
        lines += [(line, note, GREY, "relationship") for line in _relationship(relationship, note, note_lines)]
    return Label(tuple(lines))


_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")


def _relationship(text: str, size: float, most: int | None) -> list[str]:
    """The relationship in at most `most` lines: whole if it fits, else without an aside
    in brackets at its end ("(trusted adult)"), else cut short with an ellipsis."""
    lines = wrap(text, size, LABEL_WIDTH)
    if most is None or len(lines) <= most:
        return lines
    shorter = _ASIDE.sub("", one_line(text))
    if shorter and shorter != one_line(text):
        return _relationship(shorter, size, most)
    return wrap(text, size, LABEL_WIDTH, most)
