"""Recording the decisions and the risk classifications: a decision (with, at the same
meeting, the confirmation of the classification it rests on), its ratification, a risk
classification and its confirmation. Each checks everything first and writes once under
the case's lock, as `reunify.practice.recording` describes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec

from reunify.core.errors import FieldError
from reunify.core.errors import Refused
from reunify.core.errors import ReunifyError
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import Locator
from reunify.engine.facts import Facts
from reunify.engine.judged import decision_findings
from reunify.engine.judged import facts_on
from reunify.practice.recording import Recorded
from reunify.practice.recording import _append
from reunify.practice.recording import _blockers
from reunify.practice.recording import _set_fields
from reunify.practice.recording import check_date
from reunify.practice.recording import describe_problem
from reunify.practice.recording import locked
from reunify.practice.recording import one_child
from reunify.practice.recording import open_case
from reunify.practice.recording import team_member
from reunify.practice.recording import text_or_none
from reunify.practice.skeleton import DECISIONS_HEADER
from reunify.practice.skeleton import RISK_HEADER
from reunify.records import Case
from reunify.records import models as m
from reunify.records.family import target
from reunify.records.validation import did_you_mean
from reunify.workflow import Workflow


@locked
def record_decision(folder: Path, decision_id: str, *, outcome: str, date: dt.date, by: str,
                    today: dt.date, reason: str | None = None, confirm: bool = False) -> Recorded:
    """Record a decision; with `confirm`, first the same manager's confirmation, that day,
    of the risk classification it rests on (one command for what happens at one meeting)."""
    one_child(folder)
    case, workflow = open_case(folder, today)
    definition = workflow.decisions.get(decision_id)
    if definition is None:
        raise ReunifyError(f"unknown decision '{decision_id}'" + did_you_mean(decision_id, list(workflow.decisions)))
    chosen = definition.outcomes.get(outcome)
    if chosen is None:
        raise ReunifyError(f"unknown outcome for {decision_id}" + did_you_mean(outcome, list(definition.outcomes))
                           + " (outcomes: " + ", ".join(definition.outcomes) + ")")
    member = team_member(case, by)
    check_date(case, date, today)
    required = workflow.roles[definition.by]
    if member.role != definition.by:
        raise Refused(f"{decision_id} is made by the {required.title.lower()}; `by` is not one")
    facts = Facts(case, workflow, today)
    if decision_id in facts.decisions:
        raise Refused(f"{decision_id} is already recorded; change decisions.yaml by hand if it was wrong")
    confirming = _confirming(case, workflow, member, date) if confirm else None
    if confirming is not None:
        case = confirming[2]
        facts = Facts(case, workflow, today)
    step = workflow.step_for("decision", decision_id)
    if step is not None:
        reasons: list[str] = _blockers(case, workflow, step, folder, date, today, by=member.id, outcome=outcome)
    else:
        locator = Locator()
        reasons = [describe_problem(f.problem, locator, folder) if f.problem is not None else f.message
                   for f in decision_findings(facts_on(facts, date), decision_id, outcome, member.id)]
    if reasons:
        raise Refused(f"{decision_id} cannot be recorded as '{outcome}' yet; nothing was changed", reasons)
    also: tuple[Path, ...] = ()
    if confirming is not None:
        where = case.source("risk.yaml", ("classifications", confirming[0]))
        _set_fields(where, {"confirmed_by": member.id, "confirmed": date})
        also = (where[0],)
    entry = {"id": decision_id, "date": date, "by": member.id, "outcome": outcome, "reason": reason}
    path = target(folder, "decisions.yaml", "decisions")
    _append(path, "decisions", entry, DECISIONS_HEADER)
    summary = f"recorded {decision_id}: {chosen.title} ({date.isoformat()})"
    if confirming is not None:
        summary = f"recorded the confirmation of {confirming[1]} and " + summary.removeprefix("recorded ")
    if definition.ratified_by:
        summary += f"; it needs ratifying by the {workflow.roles[definition.ratified_by].title.lower()}"
    return Recorded(path, summary, also=also)


def _confirming(case: Case, workflow: Workflow, member: m.TeamMember,
                date: dt.date) -> tuple[int, str, Case]:
    """The latest classification not yet confirmed, as `member` confirming it on `date`
    would leave the case: its index, its id, and the case with the confirmation."""
    items = list(case.risk.classifications)
    open_ = [(i, c) for i, c in enumerate(items) if c.confirmed is None and c.date <= date]
    if not open_:
        raise Refused("`confirm`: there is no risk classification waiting for confirmation on that date")
    index, item = max(open_, key=lambda pair: (pair[1].date, pair[0]))
    definition = workflow.classification(item.id)
    wanted = definition.confirmed_by if definition is not None else None
    if wanted in workflow.roles and member.role != wanted:
        raise Refused(f"{item.id} is confirmed by the {workflow.roles[wanted].title.lower()}; `by` is not one")
    if wanted is None and member.role not in workflow.managers():
        raise Refused("a risk classification is confirmed by a manager")
    items[index] = item.model_copy(update={"confirmed_by": member.id, "confirmed": date})
    changed = msgspec.structs.replace(case, risk=case.risk.model_copy(update={"classifications": items}))
    return index, item.id, changed


@locked
def ratify_decision(folder: Path, decision_id: str, *, date: dt.date, by: str, today: dt.date) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    definition = workflow.decisions.get(decision_id)
    if definition is None or definition.ratified_by is None:
        raise ReunifyError(f"{decision_id} is not ratified in this workflow")
    member = team_member(case, by)
    check_date(case, date, today)
    if member.role != definition.ratified_by:
        raise Refused(f"{decision_id} is ratified by the {workflow.roles[definition.ratified_by].title.lower()}")
    facts = Facts(case, workflow, today)
    found = facts.decisions.get(decision_id)
    if found is None:
        raise Refused(f"{decision_id} is not recorded yet")
    if found[1].ratified is not None:
        raise Refused(f"{decision_id} was already ratified on {found[1].ratified.isoformat()}")
    if date < found[1].date:
        raise FieldError("date", " is before the decision was made")
    path, keys = case.source("decisions.yaml", ("decisions", found[0]))
    _set_fields((path, keys), {"ratified_by": member.id, "ratified": date})
    return Recorded(path, f"recorded the ratification of {decision_id} on {date.isoformat()}")


@locked
def record_classification(folder: Path, classification_id: str, *, level: str, rationale: str,
                          recommended_by: list[str], date: dt.date, today: dt.date,
                          factors: list[str] | None = None, for_child: str | None = None) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    if workflow.classification(classification_id) is None:
        raise ReunifyError(f"unknown classification '{classification_id}'"
                           + did_you_mean(classification_id, list(workflow.classifications)))
    level = level.strip().lower()
    labels = {v.label.casefold(): k for k, v in workflow.risk_levels.items()}
    level = labels.get(level.casefold(), level)
    if level not in workflow.risk_levels:
        raise FieldError("level", " must be one of: " + ", ".join(v.label for v in workflow.risk_levels.values()))
    if not rationale.strip():
        raise FieldError("rationale", " must say why this level was chosen")
    members = [team_member(case, who, "recommended_by").id for who in recommended_by]
    if not members:
        raise FieldError("recommended_by", " must name who recommended the level")
    found = _risk_factors(workflow, factors or [])
    check_date(case, date, today)
    facts = Facts(case, workflow, today)
    if classification_id in facts.classifications:
        raise Refused(f"{classification_id} is already recorded; change risk.yaml by hand if it was wrong "
                      "(`for_child` on its own adds or changes what the child is told)")
    step = workflow.step_for("classification", classification_id)
    if step is not None:
        reasons = _blockers(case, workflow, step, folder, date, today)
        if reasons:
            raise Refused(f"{classification_id} cannot be recorded yet; nothing was changed", reasons)
    entry = {"id": classification_id, "date": date, "level": level, "rationale": rationale.strip(),
             "recommended_by": CommentedSeq(members)}
    if found:
        entry["factors"] = CommentedSeq(found)
    said = text_or_none(for_child)
    if said is not None:  # what the child is told, after the rationale
        items = list(entry.items())
        entry = dict([*items[:4], ("for_child", said), *items[4:]])
    path = target(folder, "risk.yaml", "classifications")
    _append(path, "classifications", entry, RISK_HEADER)
    return Recorded(path, f"recorded {classification_id}: {workflow.level_label(level)} ({date.isoformat()})")


def _risk_factors(workflow: Workflow, given: list[str]) -> list[str]:
    """The factor ids of the risk classification table given as `factors`, each once."""
    from reunify.workflow.domains import factor_levels

    known = factor_levels(workflow.risk_levels)
    found = list(dict.fromkeys(f.strip() for f in given if f.strip()))
    for factor in found:
        if factor not in known:
            raise FieldError("factors", f": unknown risk factor '{factor}'" + did_you_mean(factor, list(known))
                               + ("; 'reunify workflow show' lists each level's factors" if known
                                  else "; the workflow's risk levels define no factors"))
    return found


@locked
def confirm_classification(folder: Path, classification_id: str, *, by: str, date: dt.date,
                           today: dt.date) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    member = team_member(case, by)
    check_date(case, date, today)
    facts = Facts(case, workflow, today)
    found = facts.classifications.get(classification_id)
    if found is None:
        raise Refused(f"{classification_id} is not recorded yet")
    definition = workflow.classification(classification_id)
    wanted = definition.confirmed_by if definition is not None else None
    if wanted in workflow.roles and member.role != wanted:
        raise Refused(f"{classification_id} is confirmed by the {workflow.roles[wanted].title.lower()}; "
                      "`by` is not one")
    if wanted is None and member.role not in workflow.managers():
        raise Refused("a risk classification is confirmed by a manager")
    if found[1].confirmed is not None:
        raise Refused(f"{classification_id} was already confirmed on {found[1].confirmed.isoformat()}")
    if date < found[1].date:
        raise FieldError("date", " is before the classification was recommended")
    path, keys = case.source("risk.yaml", ("classifications", found[0]))
    _set_fields((path, keys), {"confirmed_by": member.id, "confirmed": date})
    return Recorded(path, f"recorded the confirmation of {classification_id} on {date.isoformat()}")
