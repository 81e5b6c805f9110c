"""Words for the child: what the documents for the child say, by age band and by stage.

The accessible risk table and the young person's report speak to the child ("you"), in
words for their age, about where things stand on the document's day (domain: Writing for
the child). The words are workflow data (`for_children:`, and `for_children:` on each risk
level), so an authority can reword them; this module is their model.

A text is one string for every age band, or one per band (`young`, `middle`, `older`).
Texts may hold placeholders in braces, filled in from the records: `{name}` (the child's
first name), `{worker}` (the social worker), and in some stages `{date}`, `{time}` and
`{reason}` (see `STAGE_PLACEHOLDERS`).
"""

import re
from collections.abc import Iterator
from typing import Annotated
from typing import Any

from reunify.core.problems import FieldPath
from reunify.core.schema import After
from reunify.core.schema import Before
from reunify.core.schema import Between
from reunify.core.schema import Invalid
from reunify.core.schema import Len
from reunify.core.schema import Model
from reunify.core.schema import Str
from reunify.records.values import ListOf

BANDS: tuple[str, ...] = ("young", "middle", "older")

# Every placeholder a text may hold, and what fills it in.
PLACEHOLDERS = {
    "name": "the child's first name",
    "worker": "the social worker's name",
    "date": "the day the stage began (home: the return; back in care: the day; ended: the day it ended)",
    "time": "how long the child has been home",
    "reason": "why the work ended, in the words of `ended_because`",
}
# The placeholders that have a value in each stage, besides {name} and {worker}.
STAGE_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "home": ("date", "time"),
    "back_in_care": ("date",),
    "ended": ("date", "reason"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

Name = Annotated[str, Str(pattern=r"[A-Za-z][A-Za-z0-9_]*", max_length=64)]
Text = Annotated[str, Str(strip=True, min_length=1)]


def placeholders(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def _known_placeholders(text: str) -> str:
    for found in placeholders(text):
        if found not in PLACEHOLDERS:
            raise Invalid("reunify_words", "unknown placeholder in braces; known: {known}",
                                      {"known": ", ".join("{" + p + "}" for p in PLACEHOLDERS)})
    return text


ChildText = Annotated[str, Str(strip=True, min_length=1),
                      After(_known_placeholders)]


def _every_band(value: Any) -> Any:
    """One string serves every age band."""
    return dict.fromkeys(BANDS, value) if isinstance(value, str) else value



class ByBand(Model):
    """A text for each age band: a young child (read aloud by a carer), 8 to 12, 13 and over."""

    young: ChildText
    middle: ChildText
    older: ChildText

    def text(self, band: str) -> str:
        return str(getattr(self, band))


Words = Annotated[ByBand, Before(_every_band)]


class StageWords(Model):
    """Where things stand (`now`), what happens next (`next`), and the words that mark the
    child's level in the accessible table (`marker`)."""

    now: Words
    next: Words
    marker: Text = "This is where we are"


class DecidedStage(StageWords):
    """A stage that holds when the workflow's conditions do (all of them)."""

    when: Annotated[ListOf[Text], Len(min_length=1)]


class Stages(Model):
    assessing: StageWords  # no level confirmed yet
    planning: StageWords  # a level confirmed, a return being planned
    going_home: DecidedStage | None = None  # a return decided (its `when:`), not yet made
    home: StageWords  # home since the return (or placed with parents from the start)
    back_in_care: StageWords  # the return broke down
    permanence: StageWords  # Severe, or a decision for alternative permanence
    ended: StageWords  # the work ended part way (an exit, or a decision that ends it)
    closed: StageWords  # the final step done


class ForChildren(Model):
    """What the documents for the child say, in the child's own terms."""

    young_under: Annotated[int, Between(ge=1, le=18)] = 8  # the young band: a version a carer reads aloud
    older_from: Annotated[int, Between(ge=2, le=18)] = 13
    carer: ChildText  # the one line to the carer, at the top of a young child's documents
    opening: Words  # the letter's first lines, after "Dear {name},"
    table: Words  # what the accessible table is, above it
    stages: Stages
    # Why the work ended part way, told simply and without blame: per exit reason, and per
    # outcome of a decision that ends the work.
    ended_because: dict[Name, Words] = {}

    def __post_init__(self) -> None:
        if self.young_under >= self.older_from:
            raise Invalid("reunify_words", "young_under must be below older_from")

    def band(self, age: int | None) -> str:
        """The age band of a child of `age` (the middle one when the age is not known)."""
        if age is None:
            return "middle"
        return "young" if age < self.young_under else "older" if age >= self.older_from else "middle"


def check(words: ForChildren | None, levels: dict[str, ByBand | None]) -> Iterator[tuple[FieldPath, str]]:
    """Placeholders a text has no value for (the model has checked they are known ones)."""
    plain: list[tuple[FieldPath, str]] = [(("risk_levels", level, "for_children", band), found.text(band))
                                          for level, found in levels.items() if found is not None
                                          for band in BANDS]
    if words is not None:
        plain += [(("for_children", "carer"), words.carer)]
        plain += [(("for_children", key, band), getattr(words, key).text(band))
                  for key in ("opening", "table") for band in BANDS]
        plain += [(("for_children", "ended_because", reason, band), found.text(band))
                  for reason, found in words.ended_because.items() for band in BANDS]
    for where, text in plain:
        extra = [p for p in placeholders(text) if p not in ("name", "worker")]
        if extra:
            yield where, "{" + extra[0] + "} has no value here; here: {name}, {worker}"
    if words is None:
        return
    stages = words.stages
    for stage in stages.__struct_fields__:
        found = getattr(stages, stage)
        if found is None:
            continue
        allowed = {"name", "worker", *STAGE_PLACEHOLDERS.get(stage, ())}
        for part in ("now", "next"):
            for band in BANDS:
                extra = [p for p in placeholders(getattr(found, part).text(band)) if p not in allowed]
                if extra:
                    yield (("for_children", "stages", stage, part, band),
                           "{" + extra[0] + "} has no value in this stage; here: "
                           + ", ".join("{" + p + "}" for p in sorted(allowed)))


def conditions(words: ForChildren | None) -> Iterator[tuple[FieldPath, str]]:
    """The conditions of the stages that have them, to check against the vocabulary."""
    going = words.stages.going_home if words is not None else None
    for index, text in enumerate(going.when if going is not None else []):
        yield ("for_children", "stages", "going_home", "when", index), text
