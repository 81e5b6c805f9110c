"""The documents for the child: the accessible risk table and the young person's report.

Both speak to the child ("you"), in the words of the workflow's `for_children:` for the
child's age band on the document's day, about the stage the case is at that day: still
being assessed, a return being planned or decided, home (and for how long), back in
care, on the permanence path, ended part way, or closed. The worker's own words for the
child (`for_child:` of the classification shown) stand beside them. Nothing here prints
a rationale, a decision's reason, the assessment's text or the chronology.

A document for the child must not name an adult who is a risk to the child and lives in
or visits the home (`risk_to_child: true` in people.yaml): such a name is left out of the
document, and `render` and `check` warn at the field that holds it, without the name.
Nothing here imports the document stack.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from reunify.core.dates import age_in_years
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.documents.context import LEVEL_STYLE
from reunify.documents.context import Context
from reunify.documents.context import Source
from reunify.documents.context import day
from reunify.records import models as m
from reunify.workflow.for_children import PLACEHOLDERS
from reunify.workflow.for_children import ByBand
from reunify.workflow.for_children import ForChildren
from reunify.workflow.for_children import StageWords
from reunify.workflow.grammar import parse_condition

LEFT_OUT = "[name left out]"
TRANSITION_STAGES = ("planning", "going_home")  # the plan's next steps are shown only then


@dataclass(frozen=True)
class Piece:
    """A text from the records that a document for the child prints, and where it is."""

    text: str
    file: str
    path: FieldPath


@dataclass(frozen=True)
class Stage:
    """Where things stand for the child on the document's day."""

    id: str  # a stage of `for_children.stages`
    since: dt.date | None = None  # the day it began: the return, the breakdown, the end
    reason: str = ""  # why it ended: an exit reason or the outcome of an ending decision


# -- the words --------------------------------------------------------------------------


@functools.cache
def _reference_words() -> tuple[ForChildren | None, dict[str, ByBand | None]]:
    """The reference workflow's words, for a workflow that has none of its own."""
    from reunify.core.resources import WORKFLOWS
    from reunify.practice.in_force import load_checked

    reference, _ = load_checked(WORKFLOWS / "reference.yaml")
    if reference is None:
        return None, {}
    return reference.for_children, {k: v.for_children for k, v in reference.risk_levels.items()}


def words_of(src: Source) -> ForChildren:
    found = src.workflow.for_children or _reference_words()[0]
    assert found is not None  # the bundled reference workflow has them
    return found


def level_words(src: Source, level: str, band: str) -> str:
    definition = src.workflow.risk_levels[level]  # type: ignore[index]
    found = definition.for_children or _reference_words()[1].get(level)
    return found.text(band) if found is not None else definition.meaning


def age_band(src: Source) -> str:
    child = src.case.child
    age = age_in_years(child.born, src.today) if child is not None and child.born is not None else None
    return words_of(src).band(age)


def time_in_words(start: dt.date, end: dt.date) -> str:
    """How long from `start` to `end`, as a child would say it: '5 months', '1 year and 2 months'."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    if months >= 12:
        years, months = divmod(months, 12)
        text = f"{years} year{'s' if years != 1 else ''}"
        return text + (f" and {months} month{'s' if months != 1 else ''}" if months else "")
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''}"
    weeks = (end - start).days // 7
    return f"{weeks} week{'s' if weeks != 1 else ''}" if weeks else "less than a week"


def fill(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders filled in (never evaluated: plain replacement)."""
    for key in PLACEHOLDERS:
        text = text.replace("{" + key + "}", values.get(key, ""))
    return " ".join(text.split())


# -- where things stand -------------------------------------------------------------------


def confirmed(src: Source) -> tuple[int, m.Classification] | None:
    """The latest classification a manager has confirmed, with its index: the level in force."""
    found = [(index, item) for index, item in enumerate(src.case.risk.classifications)
             if item.confirmed is not None and item.confirmed <= src.today]
    return max(found, key=lambda pair: (pair[1].date, pair[0])) if found else None


def stage_of(src: Source) -> Stage:
    facts = src.facts
    case = src.case
    if case.events.exit is not None:
        return Stage("ended", case.events.exit.date, case.events.exit.reason)
    ending = facts.ended_by_decision
    if ending is not None:
        return Stage("ended", ending.date, ending.outcome)
    finals = [step.id for step in src.workflow.steps.values() if step.final]
    if finals and all(step in facts.done_steps for step in finals):
        return Stage("closed", max(facts.done_steps[step].date for step in finals))
    if facts.path == "permanence":
        return Stage("permanence")
    if facts.breakdown is not None:
        return Stage("back_in_care", facts.breakdown[0])
    if facts.return_state == "home":
        return Stage("home", facts.return_date)
    if facts.path == "home":  # placed with parents when the work began
        placed = [p.since for p in case.case.placements if p.code == "P1" and p.since <= src.today]
        return Stage("home", max(placed) if placed else None)
    level = confirmed(src)
    if level is None:
        return Stage("assessing")
    if level[1].level == "severe":
        return Stage("permanence")
    going = words_of(src).stages.going_home
    if going is not None and all(facts.condition(parse_condition(c)) is True for c in going.when):
        return Stage("going_home")
    return Stage("planning")


def _stage_words(src: Source, stage: Stage) -> StageWords:
    found = getattr(words_of(src).stages, stage.id)
    assert found is not None  # stage_of gives going_home only when the workflow has it
    return found  # type: ignore[no-any-return]


def _values(src: Source, stage: Stage, band: str) -> dict[str, str]:
    child = src.case.child
    values = {"name": child.name.split()[0] if child else "", "worker": src.role_holder("social_worker")}
    if stage.since is not None:
        values["date"] = day(stage.since)
        values["time"] = time_in_words(stage.since, src.today) if stage.since <= src.today else ""
    if stage.reason:
        because = words_of(src).ended_because.get(stage.reason)
        values["reason"] = because.text(band) if because is not None else ""
    return values


# -- what the records say, and names that must not be printed ------------------------------


def risky_people(src: Source) -> list[tuple[int, m.Person]]:
    """People recorded as a risk to the child who live in or regularly visit the home."""
    home = src.case.household(src.case.case.home)
    if home is None:
        return []
    around = {*home.members, *home.regular_visitors}
    return [(index, person) for index, person in enumerate(src.case.people.people)
            if person.risk_to_child and person.id in around]


def _pattern(person: m.Person) -> re.Pattern[str]:
    """The person's full name or first name as a whole word (the full name first)."""
    names = sorted({person.name, person.name.split()[0]}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def _named(text: str, people: list[tuple[int, m.Person]]) -> list[int]:
    return [index for index, person in people if _pattern(person).search(text)]


def _left_out(text: str, people: list[tuple[int, m.Person]]) -> str:
    for _, person in people:
        text = _pattern(person).sub(LEFT_OUT, text)
    return text


def _trusted_adult(src: Source) -> Piece | None:
    person = src.case.person(src.case.case.trusted_adult)
    return Piece(person.name, "case.yaml", ("trusted_adult",)) if person is not None else None


def _worker_words(src: Source, stage: Stage) -> Piece | None:
    """The worker's words for the child with the level in force, unless the stage began after
    it was given (words said before the return, or before the work ended, are out of date)."""
    level = confirmed(src)
    if level is None or level[1].for_child is None:
        return None
    if stage.since is not None and level[1].date < stage.since:
        return None
    return Piece(level[1].for_child, "risk.yaml", ("classifications", level[0], "for_child"))


def _next_steps(src: Source, stage: Stage) -> list[tuple[Piece, str]]:
    """The plan's transition steps still to come (in words for the child where the plan has
    them), only while a return is being planned or prepared."""
    if stage.id not in TRANSITION_STAGES:
        return []
    steps = []
    for index, item in enumerate(src.case.plan.transition):
        if item.date is not None and item.date < src.today:
            continue
        field = "for_child" if item.for_child is not None else "step"
        steps.append((Piece(item.for_child or item.step, "plan.yaml", ("transition", index, field)),
                      day(item.date)))
    return steps


def _pieces(src: Source, document: str) -> list[Piece]:
    """Every text from the records that `document` prints."""
    found = [_trusted_adult(src)]
    if document == "young_persons_report":
        stage = stage_of(src)
        found.append(_worker_words(src, stage))
        found += [piece for piece, _ in _next_steps(src, stage)]
    return [piece for piece in found if piece is not None]


def warnings(src: Source, document: str) -> list[Problem]:
    """A warning at each field whose text would name an adult who is a risk to the child and
    lives in or visits the home; the message names the document and the person's entry,
    never the name."""
    people = risky_people(src)
    if not people:
        return []
    definition = src.workflow.document(document)
    title = definition.title if definition is not None else document.replace("_", " ")
    problems = []
    for piece in _pieces(src, document):
        for index in _named(piece.text, people):
            file, keys = src.case.source("people.yaml", ("people", index))
            where = f"person {int(keys[1]) + 1} in {file.name}" if len(keys) > 1 else file.name
            problems.append(Problem(
                src.case.file(piece.file), piece.path,
                f"the {title[:1].lower() + title[1:]} would name someone recorded as a risk to the child who "
                f"lives in or visits the home ({where}); the name is left out of it",
                Severity.WARNING, "reword it without the name: a document for the child must not name them",
                code="for_child"))
    return problems


def child_document_warnings(src: Source) -> list[Problem]:
    """The warnings of both documents for the child, for `reunify check`."""
    return warnings(src, "young_persons_report") + warnings(src, "accessible_risk_table")


def report_warnings(src: Source) -> list[Problem]:
    return warnings(src, "young_persons_report")


def table_warnings(src: Source) -> list[Problem]:
    return warnings(src, "accessible_risk_table")


# -- the documents --------------------------------------------------------------------------


def _common(src: Source) -> tuple[str, Stage, StageWords, dict[str, str], Callable[[str], str]]:
    band = age_band(src)
    stage = stage_of(src)
    people = risky_people(src)
    return band, stage, _stage_words(src, stage), _values(src, stage, band), lambda text: _left_out(text, people)


PAST_STAGES = ("ended", "closed")  # the level is then the last one decided, not one in force


def _level(src: Source, band: str, stage: Stage) -> Context | None:
    found = confirmed(src)
    if found is None:
        return None
    item = found[1]
    colour, shape, _ = LEVEL_STYLE[item.level]
    return {"level": src.level_label(item.level), "colour": colour, "shape": shape,
            "plain": level_words(src, item.level, band), "date": day(item.confirmed),
            "now": stage.id not in PAST_STAGES}


def _heading(src: Source, band: str, values: dict[str, str]) -> Context:
    """What both documents open with: for a young child, the line to the carer."""
    trusted = _trusted_adult(src)
    people = risky_people(src)
    return {
        "young": band == "young",
        "carer": fill(words_of(src).carer, values) if band == "young" else "",
        "worker": values["worker"],
        "trusted_adult": _left_out(trusted.text, people) if trusted else "",
    }


def accessible_risk_table(src: Source) -> Context:
    band, stage, words, values, _ = _common(src)
    level = _level(src, band, stage)
    found = confirmed(src)
    rows = []
    for key, definition in src.workflow.risk_levels.items():
        colour, shape, fill_colour = LEVEL_STYLE[key]
        here = found is not None and found[1].level == key
        rows.append({"level": definition.label, "colour": colour, "shape": shape, "fill": fill_colour,
                     "plain": level_words(src, key, band), "marker": f"◀ {words.marker}" if here else ""})
    return {
        **_heading(src, band, values),
        "intro": fill(words_of(src).table.text(band), values),
        "levels": rows,
        "current": level,
        "date": level["date"] if level else "",
        "now": fill(words.now.text(band), values),
    }


def young_persons_report(src: Source) -> Context:
    band, stage, words, values, leave_out = _common(src)
    own = _worker_words(src, stage)
    return {
        **_heading(src, band, values),
        "opening": fill(words_of(src).opening.text(band), values),
        "now": fill(words.now.text(band), values),
        "level": _level(src, band, stage),
        "for_child": leave_out(own.text) if own is not None else "",
        "next": fill(words.next.text(band), values),
        "next_steps": [{"what": leave_out(piece.text), "when": when} for piece, when in _next_steps(src, stage)],
        "seen_alone": day(src.case.assessment.child_seen_alone),
    }
