"""What the records say, once: steps done, decisions, classifications, the path taken.

Everything the gates, checks and the engine need to know about a case on a given day is
derived here from the records; nothing derived is ever stored.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from reunify import codes
from reunify.dates import add
from reunify.problems import FieldPath
from reunify.records import Case
from reunify.records import models as m
from reunify.records.fields import Marked
from reunify.records.fields import walk_record
from reunify.workflow import Step
from reunify.workflow import Workflow
from reunify.workflow.grammar import Condition
from reunify.workflow.grammar import Deadline
from reunify.workflow.grammar import Span

EVENTS = "events.yaml"
DECISIONS = "decisions.yaml"
RISK = "risk.yaml"

LEVEL_RANK = {"low": 0, "medium": 1, "high": 2, "severe": 3}


@dataclass(frozen=True)
class Done:
    """A step recorded as done: when, by whom, where the record is, any override."""

    date: dt.date
    by: str
    file: str
    path: FieldPath
    override: str | None = None


@dataclass(frozen=True)
class Facts:
    case: Case
    workflow: Workflow
    today: dt.date

    def file(self, name: str) -> Path:
        return self.case.file(name)

    @functools.cached_property
    def marked(self) -> dict[str, list[Marked]]:
        """Every reference and date in each record file present, walked once."""
        return {name: list(walk_record(getattr(self.case, name.removesuffix(".yaml"))))
                for name in sorted(self.case.present)}

    @functools.cached_property
    def decisions(self) -> dict[str, tuple[int, m.Decision]]:
        return {d.id: (i, d) for i, d in enumerate(self.case.decisions.decisions)}

    @functools.cached_property
    def classifications(self) -> dict[str, tuple[int, m.Classification]]:
        return {c.id: (i, c) for i, c in enumerate(self.case.risk.classifications)}

    @functools.cached_property
    def risk_history(self) -> list[m.Classification]:
        return sorted(self.case.risk.classifications, key=lambda c: c.date)

    @property
    def level(self) -> str | None:
        history = self.risk_history
        return history[-1].level if history else None

    def level_since(self) -> dt.date | None:
        """The date the current level was first given, in an unbroken run."""
        history = self.risk_history
        if not history:
            return None
        since = history[-1].date
        for item in reversed(history):
            if item.level != history[-1].level:
                break
            since = item.date
        return since

    @functools.cached_property
    def events(self) -> dict[str, tuple[int, m.StepDone]]:
        found: dict[str, tuple[int, m.StepDone]] = {}
        for index, entry in enumerate(self.case.events.steps):
            found[entry.step] = (index, entry)  # the latest entry wins
        return found

    def done(self, step: Step) -> Done | None:
        kind, record_id = step.kind
        if kind == "decision" and record_id in self.decisions:
            index, decision = self.decisions[record_id]
            definition = self.workflow.decisions[record_id]
            if definition.ratified_by and decision.ratified is None:
                return None
            return Done(decision.date, decision.by, DECISIONS, ("decisions", index))
        if kind == "classification" and record_id in self.classifications:
            index, item = self.classifications[record_id]
            return Done(item.date, item.recommended_by[0], RISK, ("classifications", index))
        if step.id in self.events:
            index, entry = self.events[step.id]
            return Done(entry.date, entry.by, EVENTS, ("steps", index), entry.override)
        return None

    @functools.cached_property
    def done_steps(self) -> dict[str, Done]:
        found = {}
        for step in self.workflow.steps.values():
            done = self.done(step)
            if done is not None:
                found[step.id] = done
        return found

    @property
    def path(self) -> str:
        """'permanence' once a decision took that path, else 'return'."""
        for decision_id, (_, decision) in self.decisions.items():
            definition = self.workflow.decisions.get(decision_id)
            outcome = definition.outcomes.get(decision.outcome) if definition else None
            if outcome is not None and outcome.path:
                return outcome.path
        return "return"

    @property
    def ended_by_decision(self) -> m.Decision | None:
        for decision_id, (_, decision) in self.decisions.items():
            definition = self.workflow.decisions.get(decision_id)
            outcome = definition.outcomes.get(decision.outcome) if definition else None
            if outcome is not None and outcome.ends:
                return decision
        return None

    @property
    def legal_status(self) -> str | None:
        return self.legal_status_on(self.today)

    @property
    def placement(self) -> str | None:
        return self.placement_on(self.today)

    def legal_status_on(self, day: dt.date) -> str | None:
        items = self._legal_statuses
        current = [s for s in items if s.since <= day] or items
        return current[-1].code if current else None

    def placement_on(self, day: dt.date) -> str | None:
        items = self._placements
        current = [s for s in items if s.since <= day] or items
        return current[-1].code if current else None

    @functools.cached_property
    def _legal_statuses(self) -> list[m.LegalStatus]:
        return sorted(self.case.case.legal_status, key=lambda s: s.since)

    @functools.cached_property
    def _placements(self) -> list[m.Placement]:
        return sorted(self.case.case.placements, key=lambda s: s.since)

    @property
    def care_started(self) -> dt.date | None:
        """The start of the current period of care (the first legal status), if looked after."""
        items = self._legal_statuses
        left = self.case.case.left_care
        if not items or (left is not None and left.date <= self.today):
            return None
        return items[0].since if items[0].since <= self.today else None

    def placement_start(self, code: str) -> dt.date | None:
        """The start of the current placement, if its code is `code`."""
        current = [p for p in self._placements if p.since <= self.today]
        if not current or current[-1].code != code:
            return None
        return current[-1].since

    def step_date(self, step_id: str) -> dt.date | None:
        done = self.done_steps.get(step_id)
        return done.date if done else None

    @property
    def return_date(self) -> dt.date | None:
        return self.step_date("return_home")

    def deadline_date(self, deadline: Deadline) -> dt.date | None:
        start = self.step_date(deadline.step)
        if start is None:
            return None
        return add(start, deadline.span.amount, deadline.span.unit)

    def condition(self, condition: Condition, on: dt.date | None = None) -> bool | None:
        """True, False, or None while the subject is not known yet.

        `on` asks about legal status and placement on another day than today.
        """
        subject = condition.subject
        if subject == "risk":
            value = self.level
            values = {v.lower() for v in condition.values}
        elif subject in self.workflow.classifications:
            found = self.classifications.get(subject)
            value = found[1].level if found else None
            values = {v.lower() for v in condition.values}
        elif subject in self.workflow.decisions:
            found_decision = self.decisions.get(subject)
            value = found_decision[1].outcome if found_decision else None
            values = set(condition.values)
        elif subject == "legal status":
            value = self.legal_status_on(on or self.today)
            values = {v.upper() for v in condition.values}
        elif subject == "placement":
            value = self.placement_on(on or self.today)
            values = {v.upper() for v in condition.values}
        else:
            return None
        if value is None:
            return None
        return value in values

    def sustained(self, levels: set[str], span: Span, by: dt.date) -> dt.date | None:
        """The date from which the risk has stayed within `levels` up to `by`, if long enough.

        Returns the start of the unbroken run, or None when the latest classification on or
        before `by` is outside `levels`.
        """
        history = [c for c in self.risk_history if c.date <= by]
        if not history or history[-1].level not in levels:
            return None
        start = history[-1].date
        for item in reversed(history):
            if item.level not in levels:
                break
            start = item.date
        return start

    def was_ever(self, level: str) -> bool:
        return any(c.level == level for c in self.case.risk.classifications)

    @property
    def child_born(self) -> dt.date | None:
        child = self.case.child
        return child.born if child else None

    def describe_legal_status(self) -> str:
        code = self.legal_status
        return codes.describe(codes.LEGAL_STATUS, code) if code else "not recorded"

    def describe_placement(self) -> str:
        code = self.placement
        return codes.describe(codes.PLACEMENT, code) if code else "not recorded"
