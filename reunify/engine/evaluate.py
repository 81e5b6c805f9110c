"""The engine: a case, a workflow and a day in, where the case stands out.

`evaluate` never prints and never reads the clock. Its result holds every step's state,
the next things to do, what is overdue and every problem; the CLI only formats it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from typing import Literal

import msgspec
from msgspec.structs import replace

from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.engine.checks import check_case
from reunify.engine.deadlines import Schedule
from reunify.engine.deadlines import schedule
from reunify.engine.facts import Done
from reunify.engine.facts import Facts
from reunify.engine.gates import run_gate
from reunify.engine.states import CaseStatus
from reunify.engine.states import NotApplicable
from reunify.engine.states import Waiting
from reunify.records import Case
from reunify.workflow import Step
from reunify.workflow import Workflow
from reunify.workflow.model import Stage

State = Literal["done", "ready", "waiting", "not_applicable"]
MAX_NEXT = 3


class StepState(msgspec.Struct, frozen=True):
    """One step on the day evaluated."""

    step: Step
    stage: Stage
    state: State
    done: Done | None = None
    waiting_on: tuple[str, ...] = ()
    waiting_why: tuple[Waiting, ...] = ()  # one for each of `waiting_on`
    missing: tuple[Problem, ...] = ()
    due: dt.date | None = None
    due_rule: str | None = None
    reason: str | None = None
    not_applicable: NotApplicable | None = None  # why, when the state is "not_applicable"
    who: tuple[str, ...] = ()
    who_ids: tuple[str, ...] = ()
    overdue: bool = False
    earliest: dt.date | None = None
    waiting_steps: tuple[str, ...] = ()  # the steps it waits on
    step_order: int = 0
    meeting: str | None = None  # the kind of meeting that stands for the step
    outcomes: tuple[str, ...] = ()  # a decision's outcomes, to choose from
    # How to find the other steps' states, for tracing why a step waits (set on waiting steps).
    lookup: Callable[[str], StepState | None] | None = None

    @property
    def optional(self) -> bool:
        return self.step.optional

    @property
    def urgent(self) -> bool:
        """A safeguarding or legal action, or a decision: 'next' lists these first."""
        return self.step.priority is not None or self.step.kind[0] == "decision"


class Evaluation(msgspec.Struct, frozen=True):
    case: Case
    workflow: Workflow
    today: dt.date
    facts: Facts
    steps: list[StepState]
    problems: list[Problem]
    stage: Stage | None
    status: str  # in words
    case_status: CaseStatus
    next: list[StepState] = msgspec.field(default_factory=list)
    coming_up: list[StepState] = msgspec.field(default_factory=list)
    overdue: list[StepState] = msgspec.field(default_factory=list)
    schedule: Schedule = msgspec.field(default_factory=lambda: Schedule([], []))
    more: int = 0  # steps ready but left out of `next`
    cautions: list[Problem] = msgspec.field(default_factory=list)  # cautionary factors, while a classification is due

    @property
    def closed(self) -> bool:
        return self.case_status is CaseStatus.CLOSED

    def state(self, step_id: str) -> StepState:
        return next(s for s in self.steps if s.step.id == step_id)

    def to_data(self, view: Literal["status", "next"] = "status") -> dict[str, Any]:
        """The evaluation as plain data, as `status --json` prints it (every stage and its
        steps, the risk history, key dates, deadlines, overrides, problems); with
        `view="next"`, as `next --json` does (what to do now, what is overdue and coming up)."""
        from reunify.engine import report

        return report.next_data(self) if view == "next" else report.status_data(self)

    @property
    def attention(self) -> list[Problem]:
        """Warnings from the framework's rules that the practitioner should act on."""
        return [p for p in self.problems if (p.severity is Severity.WARNING and p.code != "overdue")
                or p.code == "awaits"] + self.cautions  # "awaits": a classification waiting for its confirmation


def evaluate(case: Case, workflow: Workflow, today: dt.date) -> Evaluation:
    facts = Facts(case, workflow, today)
    states: dict[str, StepState] = {}
    for stage in workflow.stages:
        for step in stage.steps:
            states[step.id] = _evaluate_step(facts, step, stage, states.get)
    # A waiting step can say what it waits on in the end (`root_causes`).
    ordered = [replace(s, lookup=states.get) if s.state == "waiting" else s for s in states.values()]
    timing = schedule(facts, ordered)
    from reunify.engine.judged import check_records  # it judges steps with this module's judge

    problems = check_case(facts) + list(check_records(facts)) + timing.flags
    ready = sorted((s for s in ordered if s.state == "ready" and not s.optional), key=_priority)
    from reunify.engine.assessed import caution_notes

    cautions = caution_notes(facts, [s.step.kind[1] for s in ready if s.step.kind[0] == "classification"])
    far = dt.date.max
    coming = [s for s in ordered if s.state == "waiting" and not s.optional and s.due is not None
              and not s.waiting_steps and all(w is Waiting.NOT_BEFORE for w in s.waiting_why)]
    coming.sort(key=lambda s: s.due or far)
    overdue = [s for s in ordered if s.overdue]
    current_stage, status, case_status = _stage(facts, ordered)
    # Never more than three, but never a safeguarding or legal action left out.
    shown = ready[:MAX_NEXT] + [s for s in ready[MAX_NEXT:] if s.urgent]
    return Evaluation(case, workflow, today, facts, ordered, problems, current_stage, status, case_status,
                      shown, coming[:MAX_NEXT], overdue, timing, more=len(ready) - len(shown), cautions=cautions)


def _priority(state: StepState) -> tuple[int, dt.date, int]:
    """Overdue first; then safeguarding and legal actions and decisions; then the soonest due;
    then the order of the workflow."""
    group = 0 if state.overdue else 1 if state.urgent else 2
    return group, state.due or dt.date.max, state.step_order


def judge(facts: Facts, step_id: str, *, trace: bool = False) -> StepState:
    """The step as it stood on `facts.today`, as if it were not recorded: what the recording
    command would have said that day. `facts` should hold the records as of that day (see
    `Facts.as_of`) without the record being judged. With `trace`, the steps it waits on
    are evaluated with their gates, so that `root_causes` can name what they lack."""
    wf = facts.workflow
    states: dict[str, StepState | None] = {}
    limit = wf.order[step_id]

    def state_of(other: str) -> StepState | None:
        if other not in wf.steps or wf.order[other] >= limit:
            return None
        if other not in states:
            states[other] = None  # a cycle (which the workflow's checks refuse) ends here
            states[other] = _evaluate_step(facts, wf.steps[other], wf.stage_of[other], state_of, gates=trace)
        return states[other]

    step = wf.steps[step_id]
    found = _evaluate_step(facts, step, wf.stage_of[step_id], state_of, recorded=False)
    return replace(found, lookup=state_of) if trace else found


def root_causes(state: StepState, depth: int = 0) -> list[str | Problem]:
    """What a waiting step waits on in the end: the first missing artefacts of the steps
    before it (the police check, not only "the RHA is not done")."""
    found: list[str | Problem] = []
    if state.lookup is None or depth > 20:
        return found
    for other in state.waiting_steps:
        before = state.lookup(other)
        if before is None:
            continue
        if before.state == "waiting" and before.waiting_steps:
            found += root_causes(replace(before, lookup=state.lookup), depth + 1)
            found += [p for p in before.missing if p.code == "gate"]
        elif before.missing:
            found += [p for p in before.missing if p.code == "gate"]
        elif before.state == "waiting":
            found += [f"{before.step.title}: {item}" for item in before.waiting_on]
        elif before.state == "ready" and depth > 0:
            found.append(f"{before.step.title} is not recorded yet")
    return list(dict.fromkeys(found))


def _ended(facts: Facts) -> str | None:
    exit_record = facts.case.events.exit
    if exit_record is not None:
        reason = facts.workflow.exit_reasons.get(exit_record.reason, "a reason the workflow does not know")
        return f"the case ended part way on {exit_record.date.isoformat()}: {reason.lower()}"
    decision = facts.ended_by_decision
    if decision is not None:
        definition = facts.workflow.decisions.get(decision.id)
        outcome = definition.outcomes.get(decision.outcome) if definition else None
        title = outcome.title if outcome else "the episode ends"
        return f"the decision on {decision.date.isoformat()} was: {title[:1].lower()}{title[1:]}"
    return None


def _path_titles(facts: Facts, paths: tuple[str, ...]) -> str:
    return " or ".join(facts.workflow.paths[p].title.lower() if p in facts.workflow.paths else p for p in paths)


def _evaluate_step(facts: Facts, step: Step, stage: Stage, state_of: Callable[[str], StepState | None], *,
                   recorded: bool = True, gates: bool = True) -> StepState:
    """The step on `facts.today`. `recorded=False` judges it as if it were not recorded yet."""
    wf = facts.workflow
    team = [member for member in facts.case.case.team if member.role == step.role and member.active_on(facts.today)]
    ids = [member.id for member in facts.case.case.team]
    # An id two members share is a mistake 'check' reports: no command is built on it.
    base: dict[str, Any] = {"step": step, "stage": stage, "who": tuple(t.name for t in team),
                            "who_ids": tuple(t.id for t in team if ids.count(t.id) == 1),
                            "step_order": wf.order[step.id],
                            "meeting": next((kind for kind, m in wf.meetings.items() if m.step == step.id), None),
                            "outcomes": tuple(wf.decisions[step.kind[1]].outcomes)
                            if step.kind[0] == "decision" and step.kind[1] in wf.decisions else ()}
    done = facts.done_steps.get(step.id) if recorded else None
    due, due_rule = _due(facts, step)
    if done is not None:
        return StepState(state="done", done=done, due=due, due_rule=due_rule, **base)
    ended = _ended(facts)
    if ended is not None and not step.final:
        return StepState(state="not_applicable", reason=ended, not_applicable=NotApplicable.ENDED, **base)
    if step.paths and facts.path not in step.paths:
        return StepState(state="not_applicable", reason=f"only on the path: {_path_titles(facts, step.paths)}",
                         not_applicable=NotApplicable.PATH, **base)
    if step.kind[0] == "reentry":  # done by the records alone, when it happens
        return StepState(state="not_applicable", reason="only when the return breaks down",
                         not_applicable=NotApplicable.REENTRY, **base)
    waiting: list[tuple[Waiting, str]] = []
    if step.condition is not None:
        holds = facts.condition(step.condition)
        if holds is False:
            return StepState(state="not_applicable", reason=f"only when {step.when}",
                             not_applicable=NotApplicable.CONDITION, **base)
        if holds is None and not (step.condition.subject in ("return", "risk after return")
                                  and facts.return_date is None):
            waiting.append((Waiting.FACT, f"{step.condition.subject} to be recorded (applies only when {step.when})"))
    # A step that only follows steps ruled out by the path taken is ruled out with them.
    earlier = [state for other in step.after if (state := state_of(other)) is not None]
    if earlier and not step.final and all(
        b.not_applicable is NotApplicable.PATH for b in earlier
    ):
        return StepState(state="not_applicable", reason=earlier[0].reason, not_applicable=NotApplicable.PATH, **base)
    unmet: list[str] = []
    if ended is None:
        unmet = _unmet(facts, step, state_of)
        waiting += [(Waiting.STEP, f"'{other}' is not done") for other in unmet]
    if step.ready_condition is not None and facts.condition(step.ready_condition) is not True:
        waiting.append((Waiting.NOT_YET, _not_yet(facts, step)))
    earliest = None
    if step.earliest is not None:
        earliest = facts.deadline_date(step.earliest)
        if earliest is None:
            if step.earliest.step not in step.after:
                waiting.append((Waiting.STEP, f"'{step.earliest.step}' is not done"))
        elif earliest > facts.today:
            waiting.append((Waiting.NOT_BEFORE, f"not before {earliest.isoformat()} ({step.not_before})"))
    missing: tuple[Problem, ...] = ()
    if gates:
        missing = tuple(p for name, args in step.gate_specs() for p in run_gate(facts, name, args))
        missing += _record_missing(facts, step)
    overdue = due is not None and due < facts.today and not step.optional
    if waiting:
        return StepState(state="waiting", waiting_on=tuple(text for _, text in waiting),
                         waiting_why=tuple(why for why, _ in waiting), waiting_steps=tuple(unmet), missing=missing,
                         due=due, due_rule=due_rule, overdue=overdue, earliest=earliest, **base)
    return StepState(state="ready", missing=missing, due=due, due_rule=due_rule, overdue=overdue,
                     earliest=earliest, **base)


def _not_yet(facts: Facts, step: Step) -> str:
    """Why a step's `ready_when` does not hold yet, in words: 'only once risk is low for 6 months
    (Low since 2026-09-01: from 2027-03-01)'."""
    condition = step.ready_condition
    assert condition is not None
    text = f"only once {step.ready_when}"
    if condition.subject == "risk" and facts.level is not None:
        levels = {v.lower() for v in condition.values}
        label = facts.workflow.level_label(facts.level)
        if facts.level not in levels:
            return f"{text} (the risk is {label})"
        lacks = facts.held_lacks(levels, condition.span) if condition.span else None
        if lacks is not None:
            return f"{text} ({label} {lacks})" if lacks.startswith("since") else f"{text} ({lacks})"
    return text


def _unmet(facts: Facts, step: Step, state_of: Callable[[str], StepState | None]) -> list[str]:
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
        before = state_of(other)
        if before is None or before.state == "done":
            continue
        if before.state == "not_applicable":
            if before.not_applicable is NotApplicable.CONDITION:
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
        ratifier = definition.ratified_by or definition.by
        role = facts.workflow.roles[ratifier].title.lower()
        by = facts.case.only_member({ratifier})
        return (Problem(facts.file("decisions.yaml"), ("decisions", index),
                        f"{record_id} is recorded but not yet ratified by the {role}", code="gate",
                        hint=f"run 'reunify decide {record_id} --ratify --date YYYY-MM-DD --by {by}'"),)
    return ()


def _due(facts: Facts, step: Step) -> tuple[dt.date | None, str | None]:
    if step.deadline is not None:
        return facts.deadline_date(step.deadline), step.due
    planned = facts.case.events.timetable.get(step.id)
    if planned is not None:
        return planned, "the case timetable"
    return None, None


def _stage(facts: Facts, states: list[StepState]) -> tuple[Stage | None, str, CaseStatus]:
    ended = _ended(facts)
    final = [s for s in states if s.step.final]
    if ended is not None:
        closed = all(s.state == "done" for s in final)
        return None, ("closed; " if closed else "") + ended, CaseStatus.CLOSED if closed else CaseStatus.ENDED
    for wanted in ("ready", "waiting"):
        for state in states:
            if state.state == wanted and not state.optional:
                path = facts.workflow.paths.get(facts.path)
                where = f", {path.title.lower()}" if facts.path != "return" and path else ""
                return state.stage, "in progress" + where, CaseStatus.IN_PROGRESS
    return (states[-1].stage if states else None), "closed", CaseStatus.CLOSED
