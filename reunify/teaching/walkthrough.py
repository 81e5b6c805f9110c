"""A sample case a stage at a time, for trainers: each stage as it stood on its own day.

For every stage the case has reached, "the day" is when the last step of that stage was
done (never earlier than the day of the stage before); for the stage the case is in now
it is today, and for a case that ended part way the stage it ended in has the day it
ended. On that day the case is evaluated as of then: every record dated later is left
out, so that what `next` and `status` show is what they would have shown on that day.

Never prints: the command line formats what this returns, as text or as JSON. The sample
cases themselves are found and copied in `samples`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Literal

import msgspec

from reunify.core.problems import Problem
from reunify.core.resources import TEACHING
from reunify.core.schema import Model
from reunify.core.yamlio import load_file
from reunify.engine.asof import case_as_of
from reunify.engine.evaluate import Evaluation
from reunify.engine.evaluate import StepState
from reunify.engine.evaluate import evaluate
from reunify.engine.summary import child_summary
from reunify.engine.timeline import display_name
from reunify.engine.timeline import timeline
from reunify.records import Case
from reunify.records.validation import validate
from reunify.records.values import Text
from reunify.workflow import Workflow
from reunify.workflow.model import Stage

# What else happened in a stage's period, besides its steps (the chronology is history,
# and steps, decisions and classifications are listed as recorded).
PERIOD_KINDS = ("legal_status", "placement", "left_care", "meeting", "visit", "sdq", "police_check",
                "goal_review", "exit")

DayIs = Literal["last_step", "today", "ended", "carried"]
# When two reasons give a stage the same day, the first of these names it.
DAY_IS_ORDER: tuple[DayIs, ...] = ("today", "ended", "last_step", "carried")


# The stages reached and their days ---------------------------------------------------


@dataclass(frozen=True)
class StageDay:
    """A stage the case reached (numbered from 1), the day it is shown as of, and why that day."""

    number: int
    stage: Stage
    day: dt.date
    day_is: DayIs


def became_done(ev: Evaluation, state: StepState) -> dt.date | None:
    """When a step counted as done: a decision that needs ratifying, when it was ratified."""
    if state.done is None:
        return None
    kind, record_id = state.step.kind
    definition = ev.workflow.decisions.get(record_id) if kind == "decision" else None
    if definition is not None and definition.ratified_by:
        found = ev.facts.decisions.get(record_id)
        if found is not None and found[1].ratified is not None:
            return max(state.done.date, found[1].ratified)
    return state.done.date


def ending(ev: Evaluation) -> dt.date | None:
    """The day the episode ended part way (an exit, or a decision that ends it), if it did."""
    if ev.case.events.exit is not None:
        return ev.case.events.exit.date
    decision = ev.facts.ended_by_decision
    return decision.date if decision is not None else None


def stage_days(ev: Evaluation) -> list[StageDay]:
    """Every stage from the first up to the one the case is in now (or where it ended)."""
    stages = ev.workflow.stages
    index = {stage.id: number for number, stage in enumerate(stages)}
    done: dict[int, list[dt.date]] = {}
    for state in ev.steps:
        when = became_done(ev, state)
        if when is not None:
            done.setdefault(index[state.stage.id], []).append(when)
    ended = ending(ev)
    is_open = ended is None and ev.stage is not None and not ev.closed
    ended_in: int | None = None
    if is_open:
        assert ev.stage is not None
        last = index[ev.stage.id]
    else:
        if ended is not None:
            ended_in = _ended_in(ev, ended, index)
        last = max([ended_in or 0, *done.keys()])
        if ended is not None and ended_in is None:
            ended_in = last
    found: list[StageDay] = []
    previous: dt.date | None = None
    for number in range(last + 1):
        candidates: dict[DayIs, dt.date] = {}
        if number in done:
            candidates["last_step"] = max(done[number])
        if previous is not None:
            candidates["carried"] = previous
        if ended is not None and number == ended_in:
            candidates["ended"] = ended
        if is_open and number == last:
            candidates["today"] = ev.today
        if not candidates:
            candidates["today"] = ev.today
        day = max(candidates.values())
        day_is = next(k for k in DAY_IS_ORDER if candidates.get(k) == day)
        found.append(StageDay(number + 1, stages[number], day, day_is))
        previous = day
    return found


def _ended_in(ev: Evaluation, ended: dt.date, index: dict[str, int]) -> int | None:
    """The stage the case was in when it ended part way (None when only a decision says)."""
    before = case_as_of(ev.case, ended)
    before = msgspec.structs.replace(before, events=before.events.model_copy(update={"exit": None}))
    then = evaluate(before, ev.workflow, ended)
    if then.stage is None or then.closed:
        return None
    return index[then.stage.id]


# Teaching notes ----------------------------------------------------------------------


class TeachingNotes(Model):
    """Why each stage (and some steps) matter, by stage and step id."""

    stages: dict[str, Text]
    steps: dict[str, Text] = {}


def load_notes(path: Path = TEACHING) -> tuple[TeachingNotes | None, list[Problem]]:
    loaded = load_file(path)
    if not loaded.exists:
        return None, [Problem(path, (), "no such file").at(1, 1)]
    if loaded.problems:
        return None, loaded.problems
    return validate(TeachingNotes, loaded.data, path)


# One stage as of its day -------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """A step done in the stage: when, by whom, what it recorded, and who confirmed or ratified it."""

    date: dt.date
    step: str
    title: str
    by: str
    outcome: str = ""
    approval: str = ""  # "confirmed DATE by NAME", "ratified DATE by NAME"
    detail: str = ""


@dataclass(frozen=True)
class Document:
    """A framework document that existed on the day: since when, and whether it is new in this stage."""

    id: str
    title: str
    since: dt.date
    new: bool


@dataclass(frozen=True)
class StepNote:
    step: str
    title: str
    note: str


@dataclass(frozen=True)
class StageView:
    """A stage as the case stood on its day."""

    place: StageDay
    of: int
    since: dt.date | None  # the day of the stage before; what happened after it is this stage's period
    evaluation: Evaluation
    recorded: list[Recorded]
    events: list[dict[str, str]]
    documents: list[Document]
    note: str | None
    step_notes: list[StepNote]

    @property
    def stage(self) -> Stage:
        return self.place.stage

    @property
    def day(self) -> dt.date:
        return self.place.day

    def states(self) -> list[StepState]:
        return [s for s in self.evaluation.steps if s.stage.id == self.stage.id]


def view_stage(ev: Evaluation, days: list[StageDay], number: int, notes: TeachingNotes | None) -> StageView:
    """Stage `number` (from 1) of `days`, evaluated as of its day."""
    place = days[number - 1]
    since = days[number - 2].day if number > 1 else None
    then = evaluate(case_as_of(ev.case, place.day), ev.workflow, place.day)
    mine = [s for s in then.steps if s.stage.id == place.stage.id]
    recorded = sorted((_recorded(then, s) for s in mine if s.done is not None),
                      key=lambda r: (r.date, then.workflow.order[r.step]))
    events = [{"date": e.date.isoformat(), "kind": e.kind, "title": e.title, "detail": e.detail, "who": e.who}
              for e in timeline(then.facts)
              if e.kind in PERIOD_KINDS and (since is None or e.date > since)]
    step_notes = [StepNote(s.step.id, s.step.title, notes.steps[s.step.id]) for s in mine
                  if notes is not None and s.step.id in notes.steps and s.state != "not_applicable"]
    return StageView(place, len(ev.workflow.stages), since, then, recorded, events, _documents(then, since),
                     notes.stages.get(place.stage.id) if notes is not None else None, step_notes)


def _recorded(ev: Evaluation, state: StepState) -> Recorded:
    assert state.done is not None
    step = state.step
    kind, record_id = step.kind
    date = state.done.date
    if kind == "decision" and record_id in ev.facts.decisions:
        decision = ev.facts.decisions[record_id][1]
        outcome = ev.workflow.decisions[record_id].outcomes.get(decision.outcome)
        approval = ""
        if decision.ratified is not None:
            approval = f"ratified {decision.ratified.isoformat()} by {display_name(ev.case, decision.ratified_by)}"
        return Recorded(date, step.id, step.title, display_name(ev.case, decision.by),
                        outcome.title if outcome is not None else "an unknown outcome", approval, decision.reason or "")
    if kind == "classification" and record_id in ev.facts.classifications:
        item = ev.facts.classifications[record_id][1]
        approval = "not confirmed yet"
        if item.confirmed is not None:
            approval = f"confirmed {item.confirmed.isoformat()} by {display_name(ev.case, item.confirmed_by)}"
        return Recorded(date, step.id, step.title, ", ".join(display_name(ev.case, who) for who in item.recommended_by),
                        ev.workflow.level_label(item.level), approval, item.rationale)
    found = ev.facts.events.get(step.id)
    note = found[1].note if found is not None and found[1].note else ""
    parts = [note, f"manager's override: {state.done.override}" if state.done.override else ""]
    return Recorded(date, step.id, step.title, display_name(ev.case, state.done.by), "", "",
                    "; ".join(part for part in parts if part))


def _documents(ev: Evaluation, since: dt.date | None) -> list[Document]:
    """The framework documents of every step done by the day, each once, in the order they began."""
    first: dict[str, dt.date] = {}
    done = sorted((s for s in ev.steps if s.done is not None),
                  key=lambda s: (became_done(ev, s) or ev.today, ev.workflow.order[s.step.id]))
    for state in done:
        for document_id in state.step.documents:
            first.setdefault(document_id, became_done(ev, state) or ev.today)
    found = []
    for document_id, when in first.items():
        definition = ev.workflow.document(document_id)
        title = definition.title if definition is not None else document_id
        found.append(Document(document_id, title, when, since is None or when > since))
    return found


# As data -----------------------------------------------------------------------------


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _step_data(ev: Evaluation, state: StepState) -> dict[str, Any]:
    role = ev.workflow.roles.get(state.step.role)
    data: dict[str, Any] = {
        "step": state.step.id,
        "title": state.step.title,
        "state": state.state,
        "optional": state.optional,
        "role_title": role.title if role else state.step.role,
        "who": list(state.who),
        "due": _date(state.due),
        "overdue": state.overdue,
        "not_before": _date(state.earliest),
    }
    if state.done is not None:
        data["done"] = {"date": state.done.date.isoformat(), "by": display_name(ev.case, state.done.by),
                        "override": state.done.override}
    if state.waiting_on:
        data["waiting_on"] = list(state.waiting_on)
    if state.reason:
        data["reason"] = state.reason
    return data


def stage_data(view: StageView) -> dict[str, Any]:
    """One stage as plain data, for --json: the same content as the text."""
    ev = view.evaluation
    stages = ev.workflow.stages
    return {
        "number": view.place.number,
        "of": view.of,
        "id": view.stage.id,
        "title": view.stage.title,
        "day": view.day.isoformat(),
        "day_is": view.place.day_is,
        "since": _date(view.since),
        "header": {
            "child": child_summary(ev.facts),
            "stage": {"number": stages.index(ev.stage) + 1, "id": ev.stage.id, "title": ev.stage.title}
            if ev.stage is not None else None,
            "status": ev.status,
        },
        "next": [_step_data(ev, s) for s in ev.next],
        "coming_up": [_step_data(ev, s) for s in ev.coming_up],
        "overdue": [{"what": d.what, "date": d.date.isoformat(), "citation": d.citation}
                    for d in ev.schedule.overdue],
        "attention": [{"message": p.message, "hint": p.hint or None} for p in ev.attention],
        "errors": sum(1 for p in ev.problems if p.is_error),
        "steps": [_step_data(ev, s) for s in view.states()],
        "recorded": [{"date": r.date.isoformat(), "step": r.step, "title": r.title, "by": r.by,
                      "outcome": r.outcome or None, "approval": r.approval or None, "detail": r.detail or None} for r in view.recorded],
        "events": view.events,
        "documents": [{"id": d.id, "title": d.title, "since": d.since.isoformat(), "new": d.new}
                      for d in view.documents],
        "note": view.note,
        "step_notes": [{"step": n.step, "title": n.title, "note": n.note} for n in view.step_notes],
    }


def walkthrough_data(case: Case, workflow: Workflow, today: dt.date, views: list[StageView]) -> dict[str, Any]:
    return {
        "case": str(case.folder),
        "today": today.isoformat(),
        "workflow": workflow.id,
        "stages": [stage_data(view) for view in views],
    }
