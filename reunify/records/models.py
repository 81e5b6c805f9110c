"""Typed models of every record file in a case folder, strict: a value must have the right
type already (YAML gives dates, numbers and booleans theirs), unknown keys are errors, and
each field's value is checked as `reunify.records.values` says. Nothing derived is stored."""

import datetime as dt
from typing import Annotated
from typing import Literal

import msgspec

from reunify.core.schema import Before
from reunify.core.schema import Between
from reunify.core.schema import Len
from reunify.core.schema import Model
from reunify.records.values import BORN
from reunify.records.values import Date
from reunify.records.values import HouseholdRef
from reunify.records.values import Identifier
from reunify.records.values import Level
from reunify.records.values import ListOf
from reunify.records.values import Name
from reunify.records.values import PersonRef
from reunify.records.values import Planned
from reunify.records.values import Rating
from reunify.records.values import Sex
from reunify.records.values import TeamRef
from reunify.records.values import Text
from reunify.records.values import none_is_empty_map


class Record(Model):
    """A record of a case file, or a part of one."""


# case.yaml ---------------------------------------------------------------------------


class LegalStatus(Record):
    code: Identifier
    since: Date = msgspec.field(name="from")


class Placement(Record):
    code: Identifier
    since: Date = msgspec.field(name="from")
    carer: PersonRef | None = None


class LeftCare(Record):
    date: Date
    reason: Identifier


class TeamMember(Record):
    """Someone who records or decides; `from` and `until` bound their time on the case (a
    transfer ends one worker's time and starts another's; past records keep their ids)."""

    id: Identifier
    name: Name
    role: Identifier
    since: Date | None = msgspec.field(default=None, name="from")
    until: Date | None = None

    def active_on(self, day: dt.date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day < self.until)


class Proceedings(Record):
    """Care proceedings: the court and its case number, printed on every document a court may read."""

    court: Text
    case_number: Text
    since: Date | None = msgspec.field(default=None, name="from")


ORDER_KINDS: tuple[str, ...] = ("contact", "no_contact", "other")


class CourtOrder(Record):
    """A court order about the child's contact: a contact order, an order refusing contact
    (no contact), or another order the placement must respect (a restraining order)."""

    kind: Literal["contact", "no_contact", "other"]
    people: ListOf[PersonRef] = msgspec.field(default_factory=list, name="with")
    made: Date
    court: Text | None = None
    terms: Text
    until: Planned | None = None


class CaseFile(Record):
    reference: Text
    child: PersonRef
    workflow: Identifier = "reference"
    legal_status: ListOf[LegalStatus] = []
    placements: ListOf[Placement] = []
    left_care: LeftCare | None = None
    home: HouseholdRef | None = None
    trusted_adult: PersonRef | None = None
    proceedings: Proceedings | None = None
    orders: ListOf[CourtOrder] = []
    team: ListOf[TeamMember] = []


# people.yaml -------------------------------------------------------------------------


class Person(Record):
    id: Identifier
    name: Name
    sex: Sex = "unknown"
    born: Annotated[Date, BORN] | None = None
    died: Date | None = None
    relationship: Text | None = None
    parents: ListOf[PersonRef] = []
    parent_link: Literal["birth", "adopted", "fostered", "step"] = "birth"
    # A risk to the child: the documents for the child must not name them while they live in
    # or visit the home (`reunify check` and `render` warn).
    risk_to_child: bool = False
    notes: Text | None = None


class Couple(Record):
    people: Annotated[list[PersonRef], Len(min_length=2, max_length=2)]
    status: Literal["married", "cohabiting", "separated", "divorced"]
    since: Date | None = None


class Tie(Record):
    people: Annotated[list[PersonRef], Len(min_length=2, max_length=2)]
    quality: Literal["close", "conflict", "cut_off"]


class Household(Record):
    id: Identifier
    name: Name
    address: Text | None = None
    members: ListOf[PersonRef] = []
    regular_visitors: ListOf[PersonRef] = []


class PeopleFile(Record):
    people: ListOf[Person] = []
    couples: ListOf[Couple] = []
    relationships: ListOf[Tie] = []
    households: ListOf[Household] = []


# chronology.yaml ---------------------------------------------------------------------


class ChronologyEntry(Record):
    date: Date
    event: Text
    source: Text
    factors: ListOf[Identifier] = []
    impact: Text | None = None
    response: Text | None = None
    analysis: Text | None = None


class ChronologyFile(Record):
    chronologist: TeamRef | None = None
    entries: ListOf[ChronologyEntry] = []


# assessment.yaml ---------------------------------------------------------------------


class ParentAssessment(Record):
    person: PersonRef
    risk_factors: ListOf[Text] = []
    protective_factors: ListOf[Text] = []
    interaction: Text | None = None
    capacity_to_change: Text | None = None
    # The answers to the assessment's domains about each parent, by the workflow's domain id.
    domains: Annotated[dict[Identifier, Text], Before(none_is_empty_map)] = {}


class PoliceCheck(Record):
    person: PersonRef
    date: Date
    result: Text


class SignOff(Record):
    by: TeamRef
    date: Date


class AssessmentFile(Record):
    started: Date | None = None
    parents: ListOf[ParentAssessment] = []
    child_views: Text | None = None
    child_seen_alone: Date | None = None
    housing: Text | None = None
    finances: Text | None = None
    school: Text | None = None
    support_needs: ListOf[Text] = []
    police_checks: ListOf[PoliceCheck] = []
    # The answers to the assessment's domains about the child or the family, by domain id.
    domains: Annotated[dict[Identifier, Text], Before(none_is_empty_map)] = {}
    conclusion: Text | None = None
    signed_off: SignOff | None = None


# risk.yaml ---------------------------------------------------------------------------


class Classification(Record):
    id: Identifier
    date: Date
    level: Level
    rationale: Text
    # What the child is told about this classification, in words for the child: shown in the
    # documents for the child, which never print the rationale.
    for_child: Text | None = None
    recommended_by: Annotated[list[TeamRef], Len(min_length=1)]
    factors: ListOf[Identifier] = []  # the factors of the risk classification table found, by id
    confirmed_by: TeamRef | None = None
    confirmed: Date | None = None


class RiskFile(Record):
    classifications: ListOf[Classification] = []


# decisions.yaml ----------------------------------------------------------------------


class Decision(Record):
    id: Identifier
    date: Date
    by: TeamRef
    outcome: Identifier
    reason: Text | None = None
    ratified_by: TeamRef | None = None
    ratified: Date | None = None


class DecisionsFile(Record):
    decisions: ListOf[Decision] = []


# agreement.yaml ----------------------------------------------------------------------


class GoalReview(Record):
    date: Date
    rating: Rating
    evidence: Text | None = None


class Goal(Record):
    change: Text | None = None
    steps: ListOf[Text] = []
    evidence: Text | None = None
    due: Planned | None = None
    support: Text | None = None
    reviews: ListOf[GoalReview] = []


class ParentAgreement(Record):
    person: PersonRef
    strengths: ListOf[Text] = []
    concerns: ListOf[Text] = []
    goals: ListOf[Goal] = []
    signed: Date | None = None


class AgreementFile(Record):
    agreed: Date | None = None
    review_date: Planned | None = None
    parents: ListOf[ParentAgreement] = []


# plan.yaml ---------------------------------------------------------------------------


class Service(Record):
    service: Text
    provider: Text | None = None
    recipients: ListOf[PersonRef] = msgspec.field(default_factory=list, name="for")
    frequency: Text | None = None
    since: Planned | None = msgspec.field(default=None, name="from")
    until: Planned | None = None


class ContactArrangement(Record):
    people: ListOf[PersonRef] = msgspec.field(default_factory=list, name="with")
    arrangement: Text
    supervised: bool = False
    since: Planned | None = msgspec.field(default=None, name="from")


class TransitionStep(Record):
    step: Text
    date: Planned | None = None
    for_child: Text | None = None  # the step in words for the child (the young person's report)


class PlanFile(Record):
    support: ListOf[Service] = []
    contact: ListOf[ContactArrangement] = []
    transition: ListOf[TransitionStep] = []
    child_communication: Text | None = None
    contingency: Text | None = None
    after_return: ListOf[Service] = []


# events.yaml -------------------------------------------------------------------------


class StepDone(Record):
    step: Identifier
    date: Date
    by: TeamRef
    note: Text | None = None
    override: Text | None = None


class Exit(Record):
    date: Date
    reason: Identifier
    by: TeamRef
    note: Text | None = None


class Meeting(Record):
    """A meeting held: its kind (a key of the workflow's `meetings:`), who came, what was decided."""

    meeting: Identifier
    date: Date
    attendees: ListOf[Identifier] = []  # ids of team members or of people in people.yaml
    others: ListOf[Text] = []  # attendees who are neither, described by role ("class teacher")
    decided: Text | None = None


class Visit(Record):
    """A visit to the child: announced or not, and whether the child was seen alone."""

    date: Date
    by: TeamRef
    announced: bool
    seen_alone: bool
    note: Text | None = None


SDQ_INFORMANTS: tuple[str, ...] = ("parent", "teacher", "self")


class SdqScore(Record):
    """A Strengths and Difficulties Questionnaire: the total difficulties score (0-40)."""

    date: Date
    total: Annotated[int, Between(ge=0, le=40)]
    informant: Literal["parent", "teacher", "self"] = "parent"
    by: TeamRef | None = None


class AreaRating(Record):
    rating: Annotated[int, Between(ge=0, le=99)]  # a point of the workflow's outcomes_tool scale
    note: Text | None = None


class OutcomesCompletion(Record):
    """The outcomes tool completed with the family: when in the episode (a point of the
    workflow's `outcomes_tool`), who completed it and who took part, and each area's
    rating with a short note."""

    date: Date
    at: Identifier
    by: TeamRef
    people: ListOf[PersonRef] = msgspec.field(default_factory=list, name="with")
    areas: Annotated[dict[Identifier, AreaRating], Before(none_is_empty_map)] = {}


class EventsFile(Record):
    timetable: Annotated[dict[Identifier, Planned], Before(none_is_empty_map)] = {}
    steps: ListOf[StepDone] = []
    meetings: ListOf[Meeting] = []
    visits: ListOf[Visit] = []
    sdq: ListOf[SdqScore] = []
    outcomes: ListOf[OutcomesCompletion] = []
    exit: Exit | None = None


FILE_MODELS: dict[str, type[Record]] = {
    "case.yaml": CaseFile,
    "people.yaml": PeopleFile,
    "chronology.yaml": ChronologyFile,
    "assessment.yaml": AssessmentFile,
    "risk.yaml": RiskFile,
    "decisions.yaml": DecisionsFile,
    "agreement.yaml": AgreementFile,
    "plan.yaml": PlanFile,
    "events.yaml": EventsFile,
}
