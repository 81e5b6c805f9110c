"""The time rules of a workflow (`rules:`): how long a risk level must hold, how often a
child is visited and reviewed, the meetings after the return home, when the risk is
classified again, and the SDQ bands. Their spans and conditions are parsed once, when
first asked for."""

import functools
from typing import Annotated
from typing import Literal

import msgspec

from reunify.core.schema import Len
from reunify.core.schema import Model
from reunify.records.values import ListOf
from reunify.workflow.grammar import Condition
from reunify.workflow.grammar import Span
from reunify.workflow.grammar import parse_condition
from reunify.workflow.grammar import parse_span
from reunify.workflow.kinds import Levels
from reunify.workflow.kinds import Name
from reunify.workflow.kinds import Text


class SustainedRule(Model):
    levels: list[Levels]
    period: Text = msgspec.field(name="for")
    source: Text | None = None

    @functools.cached_property
    def span(self) -> Span:
        return parse_span(self.period)


class AfterRule(Model):
    after: Text
    source: Text | None = None

    @functools.cached_property
    def span(self) -> Span:
        return parse_span(self.after)


class ForRule(Model):
    period: Text = msgspec.field(name="for")
    source: Text | None = None

    @functools.cached_property
    def span(self) -> Span:
        return parse_span(self.period)


class VisitRule(Model):
    """How often a child must be visited while its conditions hold, from the placement's start
    (or from the return home, for a child who left care when they went home)."""

    title: Text
    when: ListOf[Text] = []  # conditions that must all hold on the day
    start: Literal["placement", "return"] = "placement"
    first: Text  # the first visit within this long of the placement's start
    every: Text  # then at most this long between visits...
    period: Text | None = msgspec.field(default=None, name="for")  # ...for this long from the start
    until_review: bool = False  # ...or until the first review after the start
    then: Text | None = None  # and at most this long after that
    source: Text

    @functools.cached_property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(parse_condition(text) for text in self.when)

    def span(self, name: Literal["first", "every", "period", "then"]) -> Span | None:
        text = getattr(self, name)
        return parse_span(text) if text else None


class ReviewRule(Model):
    """Child-in-care reviews while the child is looked after: first, second, then every."""

    meeting: Name = "cic_review"
    also: ListOf[Name] = []  # other meetings that are a review too (the review after a breakdown)
    first: Text = "20 working days"
    second: Text = "3 months"
    then: Text = "6 months"
    source: Text | None = None

    def span(self, name: Literal["first", "second", "then"]) -> Span:
        return parse_span(getattr(self, name))


class SourcedRule(Model):
    source: Text | None = None


class CycleRule(Model):
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


class ReclassifyRule(Model):
    """Classify the risk again at most `every` apart after the return, until involvement ends."""

    every: Text
    until: Name | None = None  # the step that ends it (end of involvement)
    source: Text | None = None

    @functools.cached_property
    def span(self) -> Span:
        return parse_span(self.every)


class NominatedOfficerRule(Model):
    """The role that approves a placement with parents before it starts (the nominated
    officer): the approvals by this role are shown as the nominated officer's."""

    role: Name
    source: Text | None = None


class Rules(Model):
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
    sdq_bands: dict[Literal["parent", "teacher", "self"], Annotated[list[int], Len(min_length=2, max_length=2)]] = msgspec.field(
        default_factory=lambda: {"parent": [13, 16], "teacher": [11, 15], "self": [15, 19]})
