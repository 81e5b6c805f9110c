"""What the records say, once: steps done, decisions, classifications, the path taken.

Everything the gates, checks and the engine need to know about a case on a given day is
derived here from the records; nothing derived is ever stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from pathlib import Path

import msgspec

from reunify.core import codes
from reunify.core.dates import add
from reunify.core.problems import FieldPath
from reunify.engine.conditions import condition_holds
from reunify.records import Case
from reunify.records import models as m
from reunify.records.fields import Marked
from reunify.records.fields import walk_record
from reunify.workflow import Step
from reunify.workflow import Workflow
from reunify.workflow.grammar import Condition
from reunify.workflow.grammar import Deadline
from reunify.workflow.grammar import Span

CASE = "case.yaml"
EVENTS = "events.yaml"
DECISIONS = "decisions.yaml"
RISK = "risk.yaml"

LEVEL_RANK = {"low": 0, "medium": 1, "high": 2, "severe": 3}


class Done(msgspec.Struct, frozen=True):
    """A step recorded as done: when, by whom, where the record is, any override."""

    date: dt.date
    by: str
    file: str
    path: FieldPath
    override: str | None = None


class Facts(msgspec.Struct, frozen=True, dict=True):
    case: Case
    workflow: Workflow
    today: dt.date
    _is_as_of: bool = False  # the case already holds only what was recorded by `today`

    def file(self, name: str) -> Path:
        return self.case.file(name)

    def as_of(self, day: dt.date) -> Facts:
        """The facts of the case as its records stood at the end of `day`, judged on that day."""
        if day == self.today and self._is_as_of:
            return self
        cache = self._days
        if day not in cache:
            from reunify.engine.asof import case_as_of

            cache[day] = Facts(case_as_of(self.case, day), self.workflow, day, _is_as_of=True)
        return cache[day]

    @functools.cached_property
    def _days(self) -> dict[dt.date, Facts]:
        return {}

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
        if kind == "reentry":
            found = self.breakdown
            if found is None:
                return None
            return Done(found[0], "", CASE, found[1])
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

    @functools.cached_property
    def path(self) -> str:
        """The path the case is on: the latest decision's that set one ('permanence', 'home'),
        'breakdown' from the day a return broke down until a decision sets another, else 'return'."""
        taken: list[tuple[dt.date, int, str]] = []
        for decision_id, (_, decision) in self.decisions.items():
            definition = self.workflow.decisions.get(decision_id)
            outcome = definition.outcomes.get(decision.outcome) if definition else None
            if outcome is not None and outcome.path:
                taken.append((decision.date, 1, outcome.path))
        broke = self.breakdown
        if broke is not None and "breakdown" in self.workflow.paths:
            taken.append((broke[0], 0, "breakdown"))
        return max(taken)[2] if taken else "return"

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
        """The legal status on `day`; None when the child was not looked after then."""
        if self.left_care_on(day) is not None:
            return None
        items = self._legal_statuses
        current = [s for s in items if s.since <= day] or items
        return current[-1].code if current else None

    def placement_on(self, day: dt.date) -> str | None:
        """The placement on `day`; None when the child was not looked after then."""
        if self.left_care_on(day) is not None:
            return None
        items = self._placements
        current = [s for s in items if s.since <= day] or items
        return current[-1].code if current else None

    def status_since(self, day: dt.date) -> tuple[m.LegalStatus | None, m.Placement | None]:
        """The legal status and the placement in force on `day`, with their start dates."""
        if self.left_care_on(day) is not None:
            return None, None
        statuses = [s for s in self._legal_statuses if s.since <= day]
        placements = [p for p in self._placements if p.since <= day]
        return (statuses[-1] if statuses else None), (placements[-1] if placements else None)

    def left_care_on(self, day: dt.date) -> m.LeftCare | None:
        """The child's leaving care, when they had left by `day` and not come back into care."""
        left = self.case.case.left_care
        if left is None or left.date > day:
            return None
        if any(left.date < s.since <= day for s in self._legal_statuses):
            return None
        return left

    @functools.cached_property
    def breakdown(self) -> tuple[dt.date, FieldPath] | None:
        """When and where the records show the child back in care after the return home.

        On a care order the return is a P1 placement: a later placement of another kind ends
        it. A child who left care at the return ends it by becoming looked after again.
        """
        returned = self.return_date
        if returned is None:
            return None
        found: list[tuple[dt.date, FieldPath]] = []
        for index, placement in enumerate(self.case.case.placements):
            if returned < placement.since <= self.today and placement.code != codes.PLACED_WITH_PARENTS:
                found.append((placement.since, ("placements", index, "from")))
        left = self.case.case.left_care
        if left is not None:
            for index, status in enumerate(self.case.case.legal_status):
                if left.date < status.since <= self.today and status.since > returned:
                    found.append((status.since, ("legal_status", index, "from")))
        return min(found) if found else None

    @property
    def return_state(self) -> str | None:
        """'home', 'broken down', or None before the return home."""
        if self.return_date is None:
            return None
        return "broken down" if self.breakdown is not None else "home"

    @functools.cached_property
    def rises_after_return(self) -> list[tuple[m.Classification, m.Classification]]:
        """(the level before, the higher one) for every rise while the child was home after
        the return (after a breakdown the child is no longer home)."""
        returned = self.return_date
        if returned is None:
            return []
        broke = self.breakdown
        found = []
        for previous, current in itertools.pairwise(self.risk_history):
            if broke is not None and current.date >= broke[0]:
                break
            if current.date >= returned and LEVEL_RANK[current.level] > LEVEL_RANK[previous.level]:
                found.append((previous, current))
        return found

    def sustained_at_home(self, levels: set[str], by: dt.date) -> dt.date | None:
        """Like `sustained`; but once the child is home, only classifications made since the
        return count: the run starts at the first of them (a level found before the return
        says nothing of the child at home)."""
        start = self.sustained(levels, by)
        returned = self.return_date
        if start is None or returned is None or returned > by:
            return start
        at_home = [c.date for c in self.risk_history if returned <= c.date <= by and c.date >= start]
        return min(at_home) if at_home else None

    def held_for(self, levels: set[str], span: Span) -> bool:
        """The risk has been at these levels for `span` (at home, once the child is home),
        and it is known now: the latest classification is confirmed by a manager and, after
        the return, not older than the interval at which the risk is classified again."""
        return not self.held_lacks(levels, span)

    def held_lacks(self, levels: set[str], span: Span) -> str | None:
        """What stops `held_for`, in words; None when it holds."""
        start = self.sustained_at_home(levels, self.today)
        if start is None:
            return "no classification at these levels since the return" if self.return_date else "not at these levels"
        end = add(start, span.amount, span.unit)
        if end > self.today:
            return f"since {start.isoformat()}: from {end.isoformat()}"
        latest = [c for c in self.risk_history if c.date <= self.today][-1]
        if latest.confirmed is None:
            return f"{latest.id} is not confirmed by a manager"
        rule = self.workflow.rules.reclassify_after_return
        returned = self.return_date
        if rule is not None and returned is not None and add(latest.date, rule.span.amount, rule.span.unit) < self.today:
            return f"the latest classification ({latest.id}) is over {rule.span} old: classify again"
        return None

    def next_classification_id(self) -> str | None:
        """The id the next classification after the return takes: the repeating one (RC3)
        while it is not recorded and its step applies, else the next number (RC4, RC5, ...)."""
        wf = self.workflow
        base = next((key for key, c in wf.classifications.items() if c.repeats), None)
        if base is None:
            return None
        prefix = base.rstrip("0123456789")
        step = wf.step_for("classification", base)
        if base not in self.classifications and (step is None or not step.paths or self.path in step.paths):
            return base
        numbers = [int(key[len(prefix):]) for key in [*self.classifications, base]
                   if key.startswith(prefix) and key[len(prefix):].isdigit()]
        return f"{prefix}{max(numbers) + 1}"

    @functools.cached_property
    def _legal_statuses(self) -> list[m.LegalStatus]:
        return sorted(self.case.case.legal_status, key=lambda s: s.since)

    @functools.cached_property
    def _placements(self) -> list[m.Placement]:
        return sorted(self.case.case.placements, key=lambda s: s.since)

    @property
    def care_started(self) -> dt.date | None:
        """The start of the current period of care, if looked after: the first legal status,
        or the first after leaving care when the child came back into care."""
        items = [s for s in self._legal_statuses if s.since <= self.today]
        if not items or self.left_care_on(self.today) is not None:
            return None
        left = self.case.case.left_care
        if left is not None and left.date <= self.today:
            again = [s for s in items if s.since > left.date]
            return again[0].since if again else None
        return items[0].since

    def step_date(self, step_id: str) -> dt.date | None:
        done = self.done_steps.get(step_id)
        return done.date if done else None

    @property
    def return_date(self) -> dt.date | None:
        step = self.workflow.marked("return_home")
        if step is None or step.kind[0] == "reentry":
            return None
        done = self.done(step)
        return done.date if done else None

    def deadline_date(self, deadline: Deadline) -> dt.date | None:
        start = self.step_date(deadline.step)
        if start is None:
            return None
        return add(start, deadline.span.amount, deadline.span.unit)

    def condition(self, condition: Condition, on: dt.date | None = None) -> bool | None:
        """True, False, or None while the subject is not known yet (see `condition_holds`).

        `on` asks about legal status and placement on another day than today.
        """
        return condition_holds(self, condition, on)

    def sustained(self, levels: set[str], by: dt.date) -> dt.date | None:
        """The date from which the risk has stayed within `levels` up to `by`.

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
