"""Typed models of a workflow file: stages, steps, roles, decisions, risk levels (its time
rules are in `reunify.workflow.rules`)."""

import functools
import re
from collections.abc import Callable
from typing import Annotated
from typing import Any
from typing import Literal
from typing import get_args

import msgspec

from reunify.core.schema import Between
from reunify.core.schema import Len
from reunify.core.schema import Model
from reunify.records.values import ListOf
from reunify.workflow.domains import AssessmentDomain
from reunify.workflow.domains import CautionaryFactor
from reunify.workflow.for_children import ForChildren
from reunify.workflow.for_children import Words
from reunify.workflow.grammar import Condition
from reunify.workflow.grammar import Deadline
from reunify.workflow.grammar import parse_condition
from reunify.workflow.grammar import parse_deadline
from reunify.workflow.kinds import Levels
from reunify.workflow.kinds import Name
from reunify.workflow.kinds import Text
from reunify.workflow.rules import Rules

# The roles a step can be marked with (`marks:`), each on one step at most, for the code to
# find it by: its id is the workflow's to choose. The engine cannot work without the first.
Mark = Literal["return_home", "assessment_planning", "planning_meeting", "police_checks", "panel"]
MARKS: tuple[str, ...] = get_args(Mark)
REQUIRED_MARKS: dict[str, str] = {"return_home": "the step that records the child's return home"}



class Role(Model):
    title: Text
    manager: bool = False


class RiskLevel(Model):
    label: Text
    meaning: Text
    follows: Text | None = None
    # What the documents for the child say about this level: one text, or one per age band.
    for_children: Words | None = None
    # The factors of the risk classification table that indicate this level, by id (each
    # id used once across the levels); a classification records those found.
    factors: dict[Name, Text] = {}


class ClassificationDef(Model):
    title: Text
    confirmed_by: Name | None = None  # the role that confirms it; unset: any manager
    source: Text | None = None
    # Recorded again as often as needed, numbered on: RC3, then RC4, RC5, ...
    repeats: bool = False


class DecisionOutcome(Model):
    title: Text
    when: Text | None = None
    path: Name | None = None
    ends: bool = False
    requires: ListOf[Name | dict[Name, Any]] = []  # gates the outcome requires (formerly `needs:`)

    @functools.cached_property
    def condition(self) -> Condition | None:
        return parse_condition(self.when) if self.when else None


class DecisionDef(Model):
    title: Text
    by: Name
    ratified_by: Name | None = None
    outcomes: dict[Name, DecisionOutcome]


class PathDef(Model):
    title: Text


class MeetingDef(Model):
    """A kind of meeting that can be recorded; `step` is the workflow step it belongs to."""

    title: Text
    step: Name | None = None


class AnyOf(Model):
    """Conditions of which one is enough: `{any: [placement is P1, D3 is reunify]}`."""

    either: Annotated[list[Text], Len(min_length=2)] = msgspec.field(name="any")

    @functools.cached_property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(parse_condition(text) for text in self.either)

    def __str__(self) -> str:
        return "(" + " or ".join(self.either) + ")"


class DocumentDef(Model):
    """A framework document as the workflow names it; `omit` switches sections off, and
    `when` names the conditions (all of them) under which it applies to a child; an entry
    `{any: [...]}` holds when one of its conditions does."""

    title: Text
    omit: ListOf[Name] = []
    when: ListOf[Text | AnyOf] = []

    @functools.cached_property
    def conditions(self) -> tuple[Condition | tuple[Condition, ...], ...]:
        """Each entry's condition; a tuple for an `any:` entry (one of them is enough)."""
        return tuple(parse_condition(item) if isinstance(item, str) else item.conditions for item in self.when)

    def failing(self, holds: Callable[[Condition], bool | None]) -> str | None:
        """The first `when` entry that does not hold (None: the document applies), `holds`
        saying whether a condition holds (None: not known yet, which is not holding)."""
        for text, item in zip(self.when, self.conditions, strict=True):
            if not (any(holds(c) is True for c in item) if isinstance(item, tuple) else holds(item) is True):
                return str(text)
        return None

    def describe_when(self) -> str:
        """The conditions in words: 'legal status is C1 or C2 and (placement is P1 or ...)'."""
        return " and ".join(str(item) for item in self.when)


class OutcomesPoint(Model):
    """A point in the episode at which the outcomes tool is completed."""

    title: Text
    source: Text | None = None


class OutcomesArea(Model):
    """An area the outcomes tool rates, and what is asked about it."""

    title: Text
    asks: Text | None = None


class OutcomesScalePoint(Model):
    label: Text
    meaning: Text


class OutcomesTool(Model):
    """The outcomes tool: the areas rated with the family, the scale, and when it is done."""

    title: Text = "Outcomes tool"
    source: Text | None = None
    points: Annotated[dict[Name, OutcomesPoint], Len(min_length=1)]
    scale: Annotated[dict[Annotated[int, Between(ge=0, le=99)], OutcomesScalePoint], Len(min_length=2)]
    areas: Annotated[dict[Name, OutcomesArea], Len(min_length=1)]


class Step(Model):
    id: Name
    marks: Mark | None = None  # the step's role that the code finds it by (see `MARKS`)
    title: Text
    role: Name
    does: Text | None = None
    after: ListOf[Name] = []
    requires: ListOf[Name | dict[Name, Any]] = []  # gates (formerly `needs:`, still read, with a warning)
    records: Text = "date"
    when: Text | None = None
    ready_when: Text | None = None  # a condition that must hold first; until it does, the step waits
    path: Name | ListOf[Name] | None = None
    priority: Literal["safeguarding", "legal"] | None = None  # listed first by 'next', never hidden
    optional: bool = False
    final: bool = False
    due: Text | None = None
    not_before: Text | None = None
    source: Text | None = None  # where the step's time limit comes from, cited with it
    documents: ListOf[Name] = []

    @functools.cached_property
    def condition(self) -> Condition | None:
        return parse_condition(self.when) if self.when else None

    @functools.cached_property
    def ready_condition(self) -> Condition | None:
        return parse_condition(self.ready_when) if self.ready_when else None

    @functools.cached_property
    def paths(self) -> tuple[str, ...]:
        """The paths the step belongs to; () for every path."""
        if self.path is None:
            return ()
        return (self.path,) if isinstance(self.path, str) else tuple(self.path)

    @functools.cached_property
    def deadline(self) -> Deadline | None:
        return parse_deadline(self.due) if self.due else None

    @functools.cached_property
    def earliest(self) -> Deadline | None:
        return parse_deadline(self.not_before) if self.not_before else None

    @functools.cached_property
    def kind(self) -> tuple[str, str]:
        """What marks the step done: ("date"|"meeting"|"decision"|"classification"|"reentry", id).

        "reentry" is done by the records themselves: the child came back into care after
        the return home (a placement other than P1, or a legal status after leaving care).
        """
        words = self.records.split()
        if len(words) == 2 and words[0] in ("decision", "classification"):
            return words[0], words[1]
        return words[0], ""

    def gate_specs(self) -> list[tuple[str, dict[str, Any]]]:
        return [gate_spec(item) for item in self.requires]


def gate_spec(item: str | dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(item, str):
        return item, {}
    ((name, args),) = item.items()
    return name, dict(args or {})


class Stage(Model):
    id: Name
    title: Text
    summary: Text | None = None
    steps: Annotated[list[Step], Len(min_length=1)]


class Workflow(Model):
    id: Name
    title: Text
    roles: dict[Name, Role]
    risk_levels: dict[Levels, RiskLevel]
    classifications: dict[Name, ClassificationDef]
    decisions: dict[Name, DecisionDef]
    paths: dict[Name, PathDef] = {}
    exit_reasons: dict[Name, Text]
    rules: Rules = Rules()
    meetings: dict[Name, MeetingDef] = {}
    documents: dict[Name, Text | DocumentDef] = {}
    # The Return Home Assessment's domains and questions, and the cautionary factors.
    assessment_domains: dict[Name, AssessmentDomain] = {}
    cautionary_factors: dict[Name, CautionaryFactor] = {}
    outcomes_tool: OutcomesTool | None = None
    for_children: ForChildren | None = None  # the words of the documents for the child
    stages: Annotated[list[Stage], Len(min_length=1)]

    @functools.cached_property
    def steps(self) -> dict[str, Step]:
        return {step.id: step for stage in self.stages for step in stage.steps}

    @functools.cached_property
    def stage_of(self) -> dict[str, Stage]:
        return {step.id: stage for stage in self.stages for step in stage.steps}

    @functools.cached_property
    def order(self) -> dict[str, int]:
        return {step_id: index for index, step_id in enumerate(self.steps)}

    def level_label(self, level: str | None) -> str:
        if level is None:
            return "not classified"
        found = self.risk_levels.get(level)  # type: ignore[call-overload]
        return found.label if found else level

    def classification(self, record_id: str) -> ClassificationDef | None:
        """The definition of a classification id: RC1, or RC5 when RC3 `repeats`."""
        found = self.classifications.get(record_id)
        if found is not None:
            return found
        base = self.repeated_from(record_id)
        if base is None:
            return None
        number = record_id[len(base.rstrip("0123456789")):]
        return self.classifications[base].model_copy(
            update={"title": re.sub(r"\d+$", number, self.classifications[base].title)})

    def repeated_from(self, record_id: str) -> str | None:
        """The repeating classification `record_id` numbers on from (RC3 for RC4), if any."""
        match = re.fullmatch(r"(.*?)(\d+)", record_id)
        if match is None:
            return None
        for key, definition in self.classifications.items():
            found = re.fullmatch(r"(.*?)(\d+)", key)
            if (definition.repeats and found is not None and found[1] == match[1]
                    and int(match[2]) > int(found[2]) and not match[2].startswith("0")):
                return key
        return None

    def marked(self, mark: str) -> Step | None:
        """The step marked `mark` (`marks: return_home`), if the workflow has one."""
        return next((s for s in self.steps.values() if s.marks == mark), None)

    def step_for(self, kind: str, record_id: str) -> Step | None:
        """The step that records decision/classification `record_id`."""
        return next((s for s in self.steps.values() if s.kind == (kind, record_id)), None)

    def document(self, document_id: str) -> DocumentDef | None:
        found = self.documents.get(document_id)
        if isinstance(found, str):
            return DocumentDef(title=found)
        return found

    def managers(self) -> set[str]:
        return {name for name, role in self.roles.items() if role.manager}
