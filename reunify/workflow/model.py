"""Typed models of a workflow file: stages, steps, roles, decisions, risk levels, rules."""

# (no postponed annotations: they slow pydantic model building)

import functools
import re
from collections.abc import Callable
from typing import Annotated
from typing import Any
from typing import Literal
from typing import get_args

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints

from reunify.records.models import ListOf
from reunify.workflow.domains import AssessmentDomain
from reunify.workflow.domains import CautionaryFactor
from reunify.workflow.for_children import ForChildren
from reunify.workflow.for_children import Words
from reunify.workflow.grammar import Condition
from reunify.workflow.grammar import Deadline
from reunify.workflow.grammar import Span
from reunify.workflow.grammar import parse_condition
from reunify.workflow.grammar import parse_deadline
from reunify.workflow.grammar import parse_span

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
Levels = Literal["low", "medium", "high", "severe"]
LEVEL_NAMES: tuple[str, ...] = ("low", "medium", "high", "severe")
# The roles a step can be marked with (`marks:`), each on one step at most, for the code to
# find it by: its id is the workflow's to choose. The engine cannot work without the first.
Mark = Literal["return_home", "assessment_planning", "planning_meeting", "police_checks", "panel"]
MARKS: tuple[str, ...] = get_args(Mark)
REQUIRED_MARKS: dict[str, str] = {"return_home": "the step that records the child's return home"}


class Part(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Role(Part):
    title: Text
    manager: bool = False


class RiskLevel(Part):
    label: Text
    meaning: Text
    follows: Text | None = None
    # What the documents for the child say about this level: one text, or one per age band.
    for_children: Words | None = None
    # The factors of the risk classification table that indicate this level, by id (each
    # id used once across the levels); a classification records those found.
    factors: dict[Name, Text] = {}


class ClassificationDef(Part):
    title: Text
    confirmed_by: Name | None = None  # the role that confirms it; unset: any manager
    source: Text | None = None
    # Recorded again as often as needed, numbered on: RC3, then RC4, RC5, ...
    repeats: bool = False


class DecisionOutcome(Part):
    title: Text
    when: Text | None = None
    path: Name | None = None
    ends: bool = False
    requires: ListOf[Name | dict[Name, Any]] = []  # gates the outcome requires (formerly `needs:`)

    @functools.cached_property
    def condition(self) -> Condition | None:
        return parse_condition(self.when) if self.when else None


class DecisionDef(Part):
    title: Text
    by: Name
    ratified_by: Name | None = None
    outcomes: dict[Name, DecisionOutcome]


class PathDef(Part):
    title: Text


class SustainedRule(Part):
    levels: list[Levels]
    period: Text = Field(alias="for")
    source: Text | None = None

    @functools.cached_property
    def span(self) -> Span:
        return parse_span(self.period)


class AfterRule(Part):
    after: Text
    source: Text | None = None

    @functools.cached_property
    def span(self) -> Span:
        return parse_span(self.after)


class ForRule(Part):
    period: Text = Field(alias="for")
    source: Text | None = None

    @functools.cached_property
    def span(self) -> Span:
        return parse_span(self.period)


class VisitRule(Part):
    """How often a child must be visited while its conditions hold, from the placement's start
    (or from the return home, for a child who left care when they went home)."""

    title: Text
    when: ListOf[Text] = []  # conditions that must all hold on the day
    start: Literal["placement", "return"] = "placement"
    first: Text  # the first visit within this long of the placement's start
    every: Text  # then at most this long between visits...
    period: Text | None = Field(default=None, alias="for")  # ...for this long from the start
    until_review: bool = False  # ...or until the first review after the start
    then: Text | None = None  # and at most this long after that
    source: Text

    @functools.cached_property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(parse_condition(text) for text in self.when)

    def span(self, name: Literal["first", "every", "period", "then"]) -> Span | None:
        text = getattr(self, name)
        return parse_span(text) if text else None


class ReviewRule(Part):
    """Child-in-care reviews while the child is looked after: first, second, then every."""

    meeting: Name = "cic_review"
    also: ListOf[Name] = []  # other meetings that are a review too (the review after a breakdown)
    first: Text = "20 working days"
    second: Text = "3 months"
    then: Text = "6 months"
    source: Text | None = None

    def span(self, name: Literal["first", "second", "then"]) -> Span:
        return parse_span(getattr(self, name))


class SourcedRule(Part):
    source: Text | None = None


class CycleRule(Part):
    """Meetings held at most `every` apart (the first within `first` of the return home)
    while the conditions hold: team-around-the-child meetings, child in need reviews."""

    title: Text
    meetings: ListOf[Name]  # the meeting kinds that count (the first one is the one due)
    role: Name
    when: ListOf[Text] = []
    first: Text
    every: Text
    source: Text

    @functools.cached_property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(parse_condition(text) for text in self.when)

    def span(self, name: Literal["first", "every"]) -> Span:
        return parse_span(getattr(self, name))


class ReclassifyRule(Part):
    """Classify the risk again at most `every` apart after the return, until involvement ends."""

    every: Text
    until: Name | None = None  # the step that ends it (end of involvement)
    source: Text | None = None

    @functools.cached_property
    def span(self) -> Span:
        return parse_span(self.every)


class NominatedOfficerRule(Part):
    """The role that approves a placement with parents before it starts (the nominated
    officer): the approvals by this role are shown as the nominated officer's."""

    role: Name
    source: Text | None = None


class Rules(Part):
    high_becomes_severe: AfterRule = AfterRule(after="6 months")
    sustained_before_return: SustainedRule = SustainedRule.model_validate(
        {"levels": ["low", "medium"], "for": "6 months"}
    )
    support_after_return: ForRule = ForRule.model_validate({"for": "12 months"})
    involvement_until_low: ForRule = ForRule.model_validate({"for": "6 months"})
    police_check_age: int = 16
    visits: dict[Name, VisitRule] = {}
    reviews: ReviewRule | None = None
    after_return: dict[Name, CycleRule] = {}
    reclassify_after_return: ReclassifyRule | None = None
    seen_alone: SourcedRule | None = None
    nominated_officer: NominatedOfficerRule | None = None
    # SDQ total difficulties: the highest score of the "close to average" and of the
    # "borderline" band, per informant; above the second is "cause for concern".
    sdq_bands: dict[Literal["parent", "teacher", "self"], Annotated[list[int], Field(min_length=2, max_length=2)]] = {
        "parent": [13, 16], "teacher": [11, 15], "self": [15, 19],
    }


class MeetingDef(Part):
    """A kind of meeting that can be recorded; `step` is the workflow step it belongs to."""

    title: Text
    step: Name | None = None


class AnyOf(Part):
    """Conditions of which one is enough: `{any: [placement is P1, D3 is reunify]}`."""

    either: Annotated[list[Text], Field(min_length=2)] = Field(alias="any")

    @functools.cached_property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(parse_condition(text) for text in self.either)

    def __str__(self) -> str:
        return "(" + " or ".join(self.either) + ")"


class DocumentDef(Part):
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


class OutcomesPoint(Part):
    """A point in the episode at which the outcomes tool is completed."""

    title: Text
    source: Text | None = None


class OutcomesArea(Part):
    """An area the outcomes tool rates, and what is asked about it."""

    title: Text
    asks: Text | None = None


class OutcomesScalePoint(Part):
    label: Text
    meaning: Text


class OutcomesTool(Part):
    """The outcomes tool: the areas rated with the family, the scale, and when it is done."""

    title: Text = "Outcomes tool"
    source: Text | None = None
    points: Annotated[dict[Name, OutcomesPoint], Field(min_length=1)]
    scale: Annotated[dict[Annotated[int, Field(ge=0, le=99)], OutcomesScalePoint], Field(min_length=2)]
    areas: Annotated[dict[Name, OutcomesArea], Field(min_length=1)]


class Step(Part):
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


class Stage(Part):
    id: Name
    title: Text
    summary: Text | None = None
    steps: list[Step] = Field(min_length=1)


class Workflow(Part):
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
    stages: list[Stage] = Field(min_length=1)

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
