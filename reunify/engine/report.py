"""An evaluation as plain data: `Evaluation.to_data()`, which `next --json` and `status
--json` print, and the pieces the text and the site build from (a step's command, a
problem with its place).

The text output and the JSON output are built from the same evaluation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from msgspec.structs import replace

from reunify.core.problems import Problem
from reunify.core.yamlio import Locator
from reunify.engine.due import Due
from reunify.engine.evaluate import Evaluation
from reunify.engine.evaluate import StepState
from reunify.engine.gates import STANDS_FOR
from reunify.engine.summary import child_summary
from reunify.engine.summary import key_dates
from reunify.records.fields import schema_path
from reunify.records.models import FILE_MODELS


def located(problems: list[Problem], locator: Locator | None = None) -> list[Problem]:
    """Problems with lines and columns, sorted by file and position."""
    locator = locator or Locator()
    return sorted((locator.locate(p) for p in problems), key=lambda p: p.sort_key())


def shown_field(problem: Problem) -> str:
    """The field path of a problem in a record file as far as the schema names it.

    Keys that come from the file (an unknown key, a timetable key) are left off: they may
    be personal data. The line and column point at them.
    """
    model = FILE_MODELS.get(problem.file.name)
    if model is None:
        return problem.field_name()
    return replace(problem, path=schema_path(model, problem.path)).field_name()


def problem_data(problem: Problem) -> dict[str, Any]:
    return {
        "file": str(problem.file),
        "line": problem.line,
        "column": problem.column,
        "severity": str(problem.severity),
        "field": shown_field(problem),
        "message": problem.message,
        "hint": problem.hint or None,
        "code": problem.code or None,
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def record_command(state: StepState) -> str | None:
    """The command that records the step once nothing is missing (None for a decision
    recorded and waiting for its ratification: the ratification is what is left)."""
    kind, record_id = state.step.kind
    if kind == "decision" and any(p.message.startswith(f"{record_id} is recorded but not yet ratified")
                                  for p in state.missing):
        return None
    by = state.who_ids[0] if len(state.who_ids) == 1 else "NAME"
    # --by is left off where the command takes the one member with the role itself.
    by_option = "" if len(state.who_ids) == 1 else " --by NAME"
    if kind == "decision":
        outcome = "|".join(state.outcomes) or "OUTCOME"
        return f"reunify decide {record_id} --outcome {outcome} --date YYYY-MM-DD{by_option}"
    if kind == "classification":
        return f"reunify classify {record_id} --level LEVEL --rationale TEXT --recommended-by {by}"
    if kind == "meeting" and state.meeting is not None:  # recording the meeting marks the step done
        return f"reunify meeting {state.meeting} --date YYYY-MM-DD --attendee {by}"
    gates = {name for name, _ in state.step.gate_specs()}
    for gate, (file, key, command) in STANDS_FOR.items():
        # A record still to be made that marks the step done when it is made.
        if gate in gates and any(p.file.name == file and p.path[:1] == (key,) for p in state.missing):
            return command.format(by=by)
    return f"reunify done {state.step.id} --date YYYY-MM-DD{by_option}"


def _completes(state: StepState, problem: Problem) -> bool:
    """Whether `problem` is the missing record that, made, marks the step done too."""
    gates = {name for name, _ in state.step.gate_specs()}
    return any(gate in gates and problem.file.name == file and problem.path[:1] == (key,)
               for gate, (file, key, _) in STANDS_FOR.items())


def command_for(state: StepState) -> str | None:
    """A command that works on the case now: the step's own when nothing is missing, else
    the one that supplies the first missing thing (a ratification, a confirmation), else
    None (what is missing is written in the records, and 'missing' says where)."""
    # The record that completes the step comes last: first what it still lacks.
    trigger = [p for p in state.missing if _completes(state, p)]
    for problem in [p for p in state.missing if p not in trigger] + trigger:
        command = command_in(problem.hint)
        if command is not None:
            kind = state.step.kind[0]
            if (kind == "decision" and len(state.missing) == 1 and command.startswith("reunify classify ")
                    and " --confirm" in command and state.state == "ready"):
                # The manager confirms the level and decides at one meeting: one command.
                decide = record_command(state)
                return f"{decide} --confirm" if decide is not None else command
            return command
    if state.missing or state.state != "ready":
        return None
    return record_command(state)


def command_in(hint: str) -> str | None:
    """The command a hint names ("run 'reunify classify RC1 --confirm --by sm'")."""
    start = hint.find("'reunify ")
    if start < 0:
        return hint if hint.startswith("reunify ") else None
    end = hint.find("'", start + 1)
    return hint[start + 1:end] if end > start else None


def step_data(ev: Evaluation, state: StepState, locator: Locator) -> dict[str, Any]:
    step = state.step
    role = ev.workflow.roles.get(step.role)
    data: dict[str, Any] = {
        "step": step.id,
        "title": step.title,
        "stage": state.stage.id,
        "state": state.state,
        "optional": step.optional,
        "role": step.role,
        "role_title": role.title if role else step.role,
        "who": list(state.who),
        "due": _date(state.due),
        "due_rule": state.due_rule,
        "overdue": state.overdue,
        "not_before": _date(state.earliest),
    }
    if state.done is not None:
        data["done"] = {"date": state.done.date.isoformat(), "by": _team_id(ev, state.done.by),
                        "override": state.done.override}
    if state.waiting_on:
        data["waiting_on"] = list(state.waiting_on)
        data["waiting_why"] = [str(why) for why in state.waiting_why]
    if state.reason:
        data["reason"] = state.reason
    if state.not_applicable is not None:
        data["not_applicable"] = str(state.not_applicable)
    if state.state in ("ready", "waiting"):
        data["missing"] = [problem_data(p) for p in located(list(state.missing), locator)]
        data["command"] = command_for(state)
        data["then"] = record_command(state)
        data["priority"] = state.step.priority
    if step.documents:
        data["documents"] = list(step.documents)
    return data


def due_data(due: Due) -> dict[str, Any]:
    return {
        "what": due.what,
        "date": due.date.isoformat(),
        "kind": due.kind,
        "overdue": due.overdue,
        "upcoming": due.upcoming,
        "rule": due.rule,
        "rule_text": due.rule_text,
        "source": due.source,
        "role": due.role,
        "step": due.step,
        "command": due.command,
    }


def header_data(ev: Evaluation) -> dict[str, Any]:
    stages = ev.workflow.stages
    stage = ev.stage
    return {
        "case": str(ev.case.folder),
        "today": ev.today.isoformat(),
        "child": child_summary(ev.facts),
        "workflow": ev.workflow.id,
        "stage": {"number": stages.index(stage) + 1, "of": len(stages), "id": stage.id,
                  "title": stage.title} if stage else None,
        "status": ev.status,
        "case_status": str(ev.case_status),
        "path": ev.facts.path,
        "risk": ev.facts.level,
    }


def next_data(ev: Evaluation) -> dict[str, Any]:
    locator = Locator()
    return {
        **header_data(ev),
        "next": [step_data(ev, s, locator) for s in ev.next],
        "more": ev.more,
        "overdue": [due_data(d) for d in ev.schedule.overdue],
        "coming_up": [step_data(ev, s, locator) for s in ev.coming_up],
        # Visits, reviews and classifications falling due soon, as the text lists them.
        "upcoming": [due_data(d) for d in ev.schedule.dues if d.upcoming and d.step is None],
        "attention": [problem_data(p) for p in located(ev.attention, locator)],
        "errors": sum(1 for p in ev.problems if p.is_error),
    }


def _team_id(ev: Evaluation, who: str | None) -> str | None:
    """A team member's id; one that names no one (which 'check' reports) is left out (None)."""
    member = ev.case.member(who) if who else None
    return member.id if member is not None else None


def status_data(ev: Evaluation) -> dict[str, Any]:
    locator = Locator()
    return {
        **header_data(ev),
        "stages": [
            {"id": stage.id, "title": stage.title,
             "steps": [step_data(ev, s, locator) for s in ev.steps if s.stage.id == stage.id]}
            for stage in ev.workflow.stages
        ],
        "risk_history": [
            {"id": c.id if ev.workflow.classification(c.id) is not None else None, "date": c.date.isoformat(),
             "level": c.level, "label": ev.workflow.level_label(c.level),
             "recommended_by": [_team_id(ev, who) for who in c.recommended_by],
             "confirmed_by": _team_id(ev, c.confirmed_by), "confirmed": _date(c.confirmed)}
            for c in ev.facts.risk_history
        ],
        "key_dates": [{"what": what, "date": when.isoformat()} for what, when in key_dates(ev.facts)],
        "deadlines": [due_data(d) for d in ev.schedule.dues],
        "overrides": [
            {"step": s.step.id, "date": s.done.date.isoformat(), "by": _team_id(ev, s.done.by),
             "reason": s.done.override}
            for s in ev.steps if s.done is not None and s.done.override
        ],
        "problems": [problem_data(p) for p in located(ev.problems, locator)],
    }
