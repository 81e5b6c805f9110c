"""How far a local workflow departs from the reference, element by element, and why it matters.

Each core element of the framework is checked in the local workflow: kept, changed
(weakened: a longer time limit, a step done by another role) or removed, with the reason
the framework has it. The score counts a kept element as 1, a changed one as 1/2 and a
removed one as 0. Local additions are listed; they cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from reunify.workflow.compare import Change
from reunify.workflow.compare import compare
from reunify.workflow.grammar import Span
from reunify.workflow.model import Step
from reunify.workflow.model import Workflow

Status = Literal["kept", "changed", "removed"]
Found = tuple[Status, str]

_DAYS = {"day": 1.0, "working day": 1.4, "week": 7.0, "month": 30.44, "year": 365.25}


def days(span: Span) -> float:
    return span.amount * _DAYS[span.unit]


@dataclass(frozen=True)
class Element:
    id: str
    title: str
    why: str
    check: Callable[[Workflow, Workflow], Found]


@dataclass(frozen=True)
class Result:
    element: Element
    status: Status
    detail: str


@dataclass(frozen=True)
class Fidelity:
    reference: Workflow
    local: Workflow
    results: list[Result]
    changes: list[Change]

    @property
    def score(self) -> float:
        points = {"kept": 1.0, "changed": 0.5, "removed": 0.0}
        return 100 * sum(points[r.status] for r in self.results) / len(self.results) if self.results else 100.0

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def additions(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "added" and c.part == "step"]


def _counterpart(reference: Workflow, local: Workflow, step_id: str) -> Step | None:
    """The local step for the reference's `step_id`: the same id, or the step carrying its mark."""
    step = local.steps.get(step_id)
    mark = reference.steps[step_id].marks if step_id in reference.steps else None
    return step if step is not None or mark is None else local.marked(mark)


def _step(step_id: str, role: str | None = None, gate: str | None = None) -> Callable[[Workflow, Workflow], Found]:
    def check(reference: Workflow, local: Workflow) -> Found:
        step = _counterpart(reference, local, step_id)
        if step is None:
            return "removed", f"no step '{step_id}'"
        notes = []
        if role is not None and step.role != role:
            title = local.roles[step.role].title if step.role in local.roles else step.role
            notes.append(f"done by the {title.lower()}, not a {reference.roles[role].title.lower()}")
        if gate is not None and gate not in {g for g, _ in step.gate_specs()}:
            notes.append(f"no longer needs '{gate}' to be done")
        if step.optional and not reference.steps[step_id].optional:
            notes.append("made optional")
        return ("changed", "; ".join(notes)) if notes else ("kept", f"'{step.title}'")

    return check


def _limit(step_id: str) -> Callable[[Workflow, Workflow], Found]:
    def check(reference: Workflow, local: Workflow) -> Found:
        step = _counterpart(reference, local, step_id)
        if step is None:
            return "removed", f"no step '{step_id}'"
        ours, theirs = reference.steps[step_id].deadline, step.deadline
        if theirs is None:
            return "changed", "no time limit"
        if ours is not None and days(theirs.span) > days(ours.span):
            return "changed", f"{theirs} (the framework: {ours})"
        return "kept", str(theirs)

    return check


def _classification(class_id: str) -> Callable[[Workflow, Workflow], Found]:
    def check(reference: Workflow, local: Workflow) -> Found:
        if class_id not in local.classifications or local.step_for("classification", class_id) is None:
            return "removed", f"no {class_id}"
        return "kept", local.classifications[class_id].title

    return check


def _decision(decision_id: str) -> Callable[[Workflow, Workflow], Found]:
    def check(reference: Workflow, local: Workflow) -> Found:
        mine, theirs = reference.decisions[decision_id], local.decisions.get(decision_id)
        if theirs is None or local.step_for("decision", decision_id) is None:
            return "removed", f"no {decision_id}"
        notes = []
        if theirs.by != mine.by:
            notes.append(f"made by the {local.roles[theirs.by].title.lower()}, not the "
                         f"{reference.roles[mine.by].title.lower()}")
        if mine.ratified_by and theirs.ratified_by is None:
            notes.append("no ratification")
        return ("changed", "; ".join(notes)) if notes else ("kept", theirs.title)

    return check


def _rule_at_most(name: str, label: str) -> Callable[[Workflow, Workflow], Found]:
    def check(reference: Workflow, local: Workflow) -> Found:
        ours, theirs = getattr(reference.rules, name).span, getattr(local.rules, name).span
        if days(theirs) > days(ours):
            return "changed", f"{label} {theirs} (the framework: {ours})"
        return "kept", f"{label} {theirs}"

    return check


def _rule_at_least(name: str, label: str) -> Callable[[Workflow, Workflow], Found]:
    def check(reference: Workflow, local: Workflow) -> Found:
        ours, theirs = getattr(reference.rules, name).span, getattr(local.rules, name).span
        if days(theirs) < days(ours):
            return "changed", f"{label} {theirs} (the framework: {ours})"
        return "kept", f"{label} {theirs}"

    return check


def _seen_alone(reference: Workflow, local: Workflow) -> Found:
    if local.rules.seen_alone is None:
        return "removed", "a visit without the child seen alone is not flagged"
    return "kept", "a visit without the child seen alone is flagged"


def _visits(reference: Workflow, local: Workflow) -> Found:
    theirs = local.rules.visits
    missing = [name for name in reference.rules.visits if name not in theirs]
    if len(missing) == len(reference.rules.visits) and missing:
        return "removed", "no visit schedule"
    notes = [f"no '{name}' schedule" for name in missing]
    for name, rule in reference.rules.visits.items():
        if name in theirs:
            for key in ("first", "every", "then"):
                ours_span, their_span = rule.span(key), theirs[name].span(key)
                if ours_span is not None and (their_span is None or days(their_span) > days(ours_span)):
                    notes.append(f"{name}: {key} {their_span or '(none)'} (the framework: {ours_span})")
    return ("changed", "; ".join(notes)) if notes else ("kept", "as often as the law asks")


def _reviews(reference: Workflow, local: Workflow) -> Found:
    ours, theirs = reference.rules.reviews, local.rules.reviews
    if theirs is None:
        return "removed", "child-in-care reviews are not scheduled"
    if ours is None:
        return "kept", "scheduled"
    notes = [f"{key} {theirs.span(key)} (the framework: {ours.span(key)})"
             for key in ("first", "second", "then")
             if days(theirs.span(key)) > days(ours.span(key))]
    return ("changed", "; ".join(notes)) if notes else ("kept", "scheduled as the law asks")


def _police_age(reference: Workflow, local: Workflow) -> Found:
    step = _counterpart(reference, local, "police_checks")
    if step is None:
        return "removed", "no police checks step"
    age, ours = local.rules.police_check_age, reference.rules.police_check_age
    if age > ours:
        return "changed", f"everyone {age} or over (the framework: {ours} or over)"
    return "kept", f"everyone {age} or over"


def _sections(reference: Workflow, local: Workflow) -> Found:
    cut = [f"{doc_id}: {', '.join(d.omit)}" for doc_id in local.documents
           if (d := local.document(doc_id)) is not None and d.omit]
    gone = [doc_id for doc_id in reference.documents if doc_id not in local.documents]
    notes = ([f"sections left out of {'; '.join(cut)}"] if cut else []) + ([f"no {', '.join(gone)}"] if gone else [])
    return ("changed", "; ".join(notes)) if notes else ("kept", "every section")


ELEMENTS: tuple[Element, ...] = (
    Element("separate_chronologist", "A separate chronologist writes the chronology",
            "Someone who has not met the family reads the history with fewer assumptions, so patterns "
            "of harm are not explained away.", _step("chronology", role="chronologist", gate="chronology")),
    Element("child_seen_alone_at_start", "The child is seen alone and has a trusted adult",
            "The voice of the child is central; a child speaks more freely alone and needs someone to go to.",
            _step("meet_child", gate="trusted_adult")),
    Element("genogram", "A genogram of the family network",
            "The family network matters: it shows who can help and who may pose a risk.", _step("genogram")),
    Element("police_checks", "Police checks on every adult in and around the home",
            "A return is to a household, not to one parent: everyone over 16 there, and regular visitors, counts.",
            _police_age),
    Element("midpoint_supervision", "Mid-point supervision on the draft assessment",
            "A manager's challenge halfway through catches drift and bias while there is time to act on it.",
            _step("midpoint_supervision")),
    Element("return_home_assessment", "The Return Home Assessment",
            "Risk and protective factors analysed together, with the parents' capacity to change.",
            _step("return_home_assessment", gate="assessment")),
    Element("rc1", "Risk classification 1", "A shared, explicit level of risk decides what follows.",
            _classification("RC1")),
    Element("decision_2", "A service manager confirms the level", "A senior check on the level before "
            "the family is told.", _decision("D2")),
    Element("parental_agreement", "A parental agreement with SMART goals",
            "Parents know exactly what must change, how it will be evidenced and by when.",
            _step("parental_agreement", gate="agreement")),
    Element("contingency_plan", "A contingency plan", "Expect and plan for relapse: the child's "
            "permanence must not wait on a second failure.", _step("contingency_plan")),
    Element("child_communication", "The child is told and heard about next steps",
            "A child who understands the plan can say when it is not working.", _step("child_communication")),
    Element("fgc", "A family group conference is offered", "The family's own plan brings the network "
            "into keeping the child safe.", _step("fgc")),
    Element("planning_review", "The planning review within three months",
            "Child-centred timescales: a child cannot wait long for adults to change.", _limit("planning_review")),
    Element("rc2", "A second classification before a return (RC2)",
            "A return rests on change that has been seen to last, not on hope.", _classification("RC2")),
    Element("decision_3", "Decision 3 ratified by the head of service",
            "The most consequential decision gets the most senior scrutiny.", _decision("D3")),
    Element("high_becomes_severe", "High for six months becomes Severe",
            "Drift harms children: without change in six months, plan permanence elsewhere.",
            _rule_at_most("high_becomes_severe", "after")),
    Element("sustained_before_return", "Medium or Low sustained for six months before a High case returns",
            "Change must last before a child who was at high risk goes home.",
            _rule_at_least("sustained_before_return", "for")),
    Element("cpag", "The change of placement panel", "An independent look at the whole pack before "
            "the child moves.", _step("cpag")),
    Element("support_after_return", "Support for at least 12 months after the return",
            "Most returns that fail do so in the first year; support must outlast the crisis.",
            _rule_at_least("support_after_return", "for")),
    Element("rc3", "Risk classification 3 after the return", "Risk is checked again once the child "
            "is home, and a rise is escalated.", _classification("RC3")),
    Element("involvement_until_low", "Involvement until Low is sustained for six months",
            "Closing too early removes support just when it is needed.",
            _rule_at_least("involvement_until_low", "for")),
    Element("seen_alone", "The child is seen alone at every visit", "What a child cannot say in front of "
            "a parent is lost unless the child is seen alone.", _seen_alone),
    Element("visits", "Visits at least as often as the law asks", "Regular visits are how a return that "
            "is going wrong is noticed in time.", _visits),
    Element("reviews", "Child-in-care reviews on time", "Independent review keeps the plan honest and "
            "the child's voice in it.", _reviews),
    Element("documents", "Every section of the framework's documents", "Each section records something "
            "a later decision depends on.", _sections),
)


def fidelity(reference: Workflow, local: Workflow) -> Fidelity:
    results = [Result(element, *element.check(reference, local)) for element in ELEMENTS]
    return Fidelity(reference, local, results, compare(reference, local))
