"""The engine: a case, a workflow and a day in, where the case stands out.

`evaluate` never prints and never reads the clock. Its result holds every step's state,
the next things to do, what is overdue and every problem; the CLI only formats it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Literal

from reunify import codes
from reunify.dates import describe_age
from reunify.engine.checks import check_case
from reunify.engine.deadlines import Schedule
from reunify.engine.deadlines import schedule
from reunify.engine.facts import Done
from reunify.engine.facts import Facts
from reunify.engine.gates import run_gate
from reunify.problems import Problem
from reunify.problems import Severity
from reunify.records import Case
from reunify.workflow import Step
from reunify.workflow import Workflow
from reunify.workflow.model import Stage

State = Literal["done", "ready", "waiting", "not_applicable"]
MAX_NEXT = 3
PATH_REASON = "only on the path: "
CONDITION_REASON = "only when "


@dataclass(frozen=True)
class StepState:
    """One step on the day evaluated."""

    step: Step
    stage: Stage
    state: State
    done: Done | None = None
    waiting_on: tuple[str, ...] = ()
    missing: tuple[Problem, ...] = ()
    due: dt.date | None = None
    due_rule: str | None = None
    reason: str | None = None
    who: tuple[str, ...] = ()
    who_ids: tuple[str, ...] = ()
    overdue: bool = False
    earliest: dt.date | None = None

    @property
    def optional(self) -> bool:
        return self.step.optional

    @property
    def satisfied(self) -> bool:
        return self.state in ("done", "not_applicable")


@dataclass(frozen=True)
class Evaluation:
    case: Case
    workflow: Workflow
    today: dt.date
    facts: Facts
    steps: list[StepState]
    problems: list[Problem]
    stage: Stage | None
    status: str
    next: list[StepState] = field(default_factory=list)
    coming_up: list[StepState] = field(default_factory=list)
    overdue: list[StepState] = field(default_factory=list)
    schedule: Schedule = field(default_factory=lambda: Schedule([], []))

    def state(self, step_id: str) -> StepState:
        return next(s for s in self.steps if s.step.id == step_id)

    @property
    def attention(self) -> list[Problem]:
        """Warnings from the framework's rules that the practitioner should act on."""
        return [p for p in self.problems if p.severity is Severity.WARNING]


def evaluate(case: Case, workflow: Workflow, today: dt.date) -> Evaluation:
    facts = Facts(case, workflow, today)
    states: dict[str, StepState] = {}
    for stage in workflow.stages:
        for step in stage.steps:
            states[step.id] = _evaluate_step(facts, step, stage, states)
    ordered = list(states.values())
    timing = schedule(facts, ordered)
    problems = check_case(facts) + timing.flags
    ready = [s for s in ordered if s.state == "ready" and not s.optional]
    far = dt.date.max
    ready.sort(key=lambda s: (s.due or far, workflow.order[s.step.id]))
    coming = [s for s in ordered if s.state == "waiting" and not s.optional and s.due is not None
              and all(w.startswith("not before") for w in s.waiting_on)]
    coming.sort(key=lambda s: s.due or far)
    overdue = [s for s in ordered if s.overdue]
    current_stage, status = _stage(facts, ordered)
    return Evaluation(case, workflow, today, facts, ordered, problems, current_stage, status,
                      ready[:MAX_NEXT], coming[:MAX_NEXT], overdue, timing)


def _ended(facts: Facts) -> str | None:
    exit_record = facts.case.events.exit
    if exit_record is not None:
        reason = facts.workflow.exit_reasons.get(exit_record.reason, "a reason the workflow does not know")
        return f"the case ended part way on {exit_record.date.isoformat()}: {reason.lower()}"
    decision = facts.ended_by_decision
    if decision is not None:
        return f"the decision on {decision.date.isoformat()} was not to pursue reunification"
    return None


def _evaluate_step(facts: Facts, step: Step, stage: Stage, states: dict[str, StepState]) -> StepState:
    wf = facts.workflow
    team = [member for member in facts.case.case.team if member.role == step.role]
    ids = [member.id for member in facts.case.case.team]
    # An id two members share is a mistake 'check' reports: no command is built on it.
    base: dict[str, Any] = {"step": step, "stage": stage, "who": tuple(t.name for t in team),
                            "who_ids": tuple(t.id for t in team if ids.count(t.id) == 1)}
    done = facts.done_steps.get(step.id)
    due, due_rule = _due(facts, step)
    if done is not None:
        return StepState(state="done", done=done, due=due, due_rule=due_rule, **base)
    ended = _ended(facts)
    if ended is not None and not step.final:
        return StepState(state="not_applicable", reason=ended, **base)
    if step.path is not None and step.path != facts.path:
        return StepState(state="not_applicable",
                         reason=f"{PATH_REASON}{wf.paths[step.path].title.lower()}", **base)
    waiting: list[str] = []
    if step.condition is not None:
        holds = facts.condition(step.condition)
        if holds is False:
            return StepState(state="not_applicable", reason=f"{CONDITION_REASON}{step.when}", **base)
        if holds is None:
            waiting.append(f"{step.condition.subject} to be recorded (applies only when {step.when})")
    # A step that only follows steps ruled out by the path taken is ruled out with them.
    earlier = [states[o] for o in step.after if o in states]
    if earlier and not step.final and all(
        b.state == "not_applicable" and (b.reason or "").startswith(PATH_REASON) for b in earlier
    ):
        return StepState(state="not_applicable", reason=earlier[0].reason, **base)
    if ended is None:
        waiting += [f"'{other}' is not done" for other in _unmet(facts, step, states)]
    earliest = None
    if step.earliest is not None:
        earliest = facts.deadline_date(step.earliest)
        if earliest is None:
            if step.earliest.step not in step.after:
                waiting.append(f"'{step.earliest.step}' is not done")
        elif earliest > facts.today:
            waiting.append(f"not before {earliest.isoformat()} ({step.not_before})")
    missing = tuple(p for name, args in step.gate_specs() for p in run_gate(facts, name, args))
    missing += _record_missing(facts, step)
    overdue = due is not None and due < facts.today and not step.optional
    if waiting:
        return StepState(state="waiting", waiting_on=tuple(waiting), missing=missing, due=due,
                         due_rule=due_rule, overdue=overdue, earliest=earliest, **base)
    return StepState(state="ready", missing=missing, due=due, due_rule=due_rule, overdue=overdue,
                     earliest=earliest, **base)


def _unmet(facts: Facts, step: Step, states: dict[str, StepState]) -> list[str]:
    """The steps `step` still waits for.

    A step ruled out by its condition (RC2 after a Low RC1) passes its own prerequisites
    on, so that what follows it still waits for them.
    """
    unmet: list[str] = []
    pending = list(step.after)
    seen: set[str] = set()
    while pending:
        other = pending.pop(0)
        if other in seen:
            continue
        seen.add(other)
        before = states.get(other)
        if before is None or before.state == "done":
            continue
        if before.state == "not_applicable":
            if (before.reason or "").startswith(CONDITION_REASON):
                pending += facts.workflow.steps[other].after
            continue
        if before.optional and not step.optional:
            continue
        unmet.append(other)
    return unmet


def _record_missing(facts: Facts, step: Step) -> tuple[Problem, ...]:
    kind, record_id = step.kind
    if kind == "decision" and record_id in facts.decisions:
        index, _ = facts.decisions[record_id]
        definition = facts.workflow.decisions[record_id]
        role = facts.workflow.roles[definition.ratified_by or definition.by].title.lower()
        return (Problem(facts.file("decisions.yaml"), ("decisions", index),
                        f"{record_id} is recorded but not yet ratified by the {role}", code="gate"),)
    return ()


def _due(facts: Facts, step: Step) -> tuple[dt.date | None, str | None]:
    if step.deadline is not None:
        return facts.deadline_date(step.deadline), step.due
    planned = facts.case.events.timetable.get(step.id)
    if planned is not None:
        return planned, "the case timetable"
    return None, None


def _stage(facts: Facts, states: list[StepState]) -> tuple[Stage | None, str]:
    ended = _ended(facts)
    final = [s for s in states if s.step.final]
    if ended is not None:
        closed = all(s.state == "done" for s in final)
        return None, ("closed; " if closed else "") + ended
    for wanted in ("ready", "waiting"):
        for state in states:
            if state.state == wanted and not state.optional:
                path = facts.workflow.paths.get(facts.path)
                where = f", {path.title.lower()}" if facts.path != "return" and path else ""
                return state.stage, "in progress" + where
    return (states[-1].stage if states else None), "closed"


def child_summary(facts: Facts) -> dict[str, str]:
    """What the headline shows about the child: never more than the records say."""
    child = facts.case.child
    summary = {"reference": facts.case.case.reference}
    if child is not None:
        summary["name"] = child.name
        if child.born is not None:
            summary["age"] = describe_age(child.born, facts.today)
    summary["legal_status"] = facts.describe_legal_status()
    summary["placement"] = facts.describe_placement()
    level = facts.level
    summary["risk"] = facts.workflow.level_label(level)
    return summary


def known(value: str, table: Collection[str], unknown: str = "an unknown code") -> str:
    """`value` when `table` knows it, else words that do not repeat it."""
    return value if value in table else unknown


def key_dates(facts: Facts) -> list[tuple[str, dt.date]]:
    found: list[tuple[str, dt.date]] = []
    child = facts.case.child
    if child is not None and child.born is not None:
        found.append(("Child born", child.born))
    # A code or id the workflow does not know is a mistake 'check' reports; it is never
    # shown as written (a mistyped field can hold anything, a name included).
    for status in facts.case.case.legal_status:
        found.append((f"Legal status {known(status.code, codes.LEGAL_STATUS)}", status.since))
    for placement in facts.case.case.placements:
        found.append((f"Placement {known(placement.code, codes.PLACEMENT)}", placement.since))
    for decision_id, (_, decision) in facts.decisions.items():
        definition = facts.workflow.decisions.get(decision_id)
        outcome = known(decision.outcome, definition.outcomes if definition else {}, "an unknown outcome")
        found.append((f"{known(decision_id, facts.workflow.decisions, 'An unknown decision')}: {outcome}",
                      decision.date))
        if decision.ratified is not None:
            found.append((f"{decision_id} ratified", decision.ratified))
    for step_id in ("assessment_planning", "planning_meeting", "return_home"):
        done = facts.done_steps.get(step_id)
        if done is not None:
            found.append((facts.workflow.steps[step_id].title, done.date))
    left = facts.case.case.left_care
    if left is not None:
        found.append((f"Left care ({left.reason if left.reason in codes.EPISODE_ENDED else 'an unknown code'})",
                      left.date))
    if facts.case.events.exit is not None:
        found.append(("Ended part way", facts.case.events.exit.date))
    return sorted(found, key=lambda item: item[1])
