"""The values a record's fields hold, each checked as it is read: dates within the years a
record can speak of, ids, names someone can read, text that is not blank, risk levels, and
the marks on references and dates that the generic walk (`reunify.records.fields`) reads.
"""

import datetime as dt
import unicodedata
from typing import Annotated
from typing import Any
from typing import Literal
from typing import TypeVar

from reunify.core.schema import After
from reunify.core.schema import Before
from reunify.core.schema import Between
from reunify.core.schema import Invalid
from reunify.core.schema import Str


class Ref:
    """Marks a field whose value is the id of something defined elsewhere."""

    def __init__(self, kind: Literal["person", "team", "household"]) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"Ref({self.kind!r})"


class PlannedDate:
    """Marks a date that may lie in the future (a target, a due date)."""


class Born:
    """Marks a date of birth (it may precede the child's birth)."""


PLANNED = PlannedDate()
BORN = Born()

T = TypeVar("T")


def _none_is_empty(value: Any) -> Any:
    return [] if value is None else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def none_is_empty_map(value: Any) -> Any:
    return {} if value is None else value


# Every date in a record lies in these years, so that date arithmetic (a due date a year
# on, the age on a day) can never overflow and no typo like 2062 for 2026 goes unseen.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)

# A name the documents and the genogram can lay out.
NAME_LENGTH = 200
WORD_LENGTH = 60
_INVISIBLE = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))


def visible(text: str) -> str:
    """`text` without whitespace, control and format characters (zero-width spaces, ...)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in _INVISIBLE)


def _name(value: str) -> str:
    """A name someone can read, and that fits a document and the genogram."""
    if not visible(value):
        raise Invalid("reunify_name", "the name has no visible characters")
    if len(value) > NAME_LENGTH:
        raise Invalid("reunify_name", f"the name is longer than {NAME_LENGTH} characters")
    if any(len(word) > WORD_LENGTH for word in value.split()):
        raise Invalid("reunify_name", f"a word of the name is longer than {WORD_LENGTH} characters")
    return value


ListOf = Annotated[list[T], Before(_none_is_empty)]
Date = Annotated[dt.date, Between(ge=FIRST_DATE, le=LAST_DATE)]
Name = Annotated[str, Str(strip=True, min_length=1), After(_name)]
Text = Annotated[str, Str(strip=True, min_length=1)]
Identifier = Annotated[str, Str(pattern=r"[A-Za-z0-9][A-Za-z0-9_.-]*", max_length=64)]
PersonRef = Annotated[Identifier, Ref("person")]
TeamRef = Annotated[Identifier, Ref("team")]
HouseholdRef = Annotated[Identifier, Ref("household")]
Planned = Annotated[Date, PLANNED]
Level = Annotated[Literal["low", "medium", "high", "severe"], Before(_lower)]
Rating = Annotated[Literal["red", "amber", "green"], Before(_lower)]
Sex = Annotated[Literal["male", "female", "unknown"], Before(_lower)]

LEVELS: tuple[str, ...] = ("low", "medium", "high", "severe")
