"""The gates on risk: a classification recorded in full, the latest one confirmed by a
manager, and the risk held at the required levels for long enough. Registered with the
others in `reunify.engine.gates`, which imports this module so that every gate is there.
"""

from __future__ import annotations

from typing import ClassVar

import msgspec

from reunify.core.dates import add
from reunify.core.problems import Problem
from reunify.core.schema import Model
from reunify.engine.facts import Facts
from reunify.engine.gates import RISK
from reunify.engine.gates import _Missing
from reunify.engine.gates import gate
from reunify.workflow.grammar import parse_span
from reunify.workflow.kinds import Flag
from reunify.workflow.kinds import Levels
from reunify.workflow.model import ClassificationDef


class ClassificationArgs(Model):
    id: str
    confirmed: Flag = False


@gate("classification", "a risk classification with level, rationale, who recommended and confirmed",
      ClassificationArgs)
def check_classification(facts: Facts, args: ClassificationArgs) -> list[Problem]:
    missing = _Missing(facts)
    found = facts.classifications.get(args.id)
    if found is None:
        missing.add(RISK, ("classifications",), f"{args.id} is not recorded",
                    f"run 'reunify classify {args.id}'")
    elif args.confirmed and (found[1].confirmed_by is None or found[1].confirmed is None):
        definition = facts.workflow.classification(args.id)
        role = facts.workflow.roles.get(definition.confirmed_by or "") if definition else None
        who = f"the {role.title.lower()}" if role else "a manager"
        missing.add(RISK, ("classifications", found[0]), f"{args.id} is not confirmed by {who}",
                    f"run 'reunify classify {args.id} --confirm --by {_one_with(facts, definition)}'")
    return missing.items


def _one_with(facts: Facts, definition: ClassificationDef | None) -> str:
    """The id of the one team member who may confirm a classification, else 'NAME'."""
    wanted = definition.confirmed_by if definition is not None else None
    return facts.case.only_member({wanted} if wanted else facts.workflow.managers())


class ConfirmedRiskArgs(Model):
    since: str | None = None  # a step: the classification must be dated on or after it


@gate("confirmed_risk", "the latest risk classification (since a step, if given) is confirmed by a manager",
      ConfirmedRiskArgs)
def check_confirmed_risk(facts: Facts, args: ConfirmedRiskArgs) -> list[Problem]:
    missing = _Missing(facts)
    history = facts.risk_history
    if args.since is not None:
        start = facts.step_date(args.since)
        history = [c for c in history if start is not None and c.date >= start]
        if not history:
            step = facts.workflow.steps.get(args.since)
            what = step.title[:1].lower() + step.title[1:] if step else args.since
            next_id = facts.next_classification_id() or "ID"
            missing.add(RISK, ("classifications",), f"no risk classification since {what}",
                        f"classify the risk again: 'reunify classify {next_id} --level LEVEL --rationale TEXT "
                        "--recommended-by NAME'")
            return missing.items
    if not history:
        missing.add(RISK, ("classifications",), "no risk classification yet", "run 'reunify classify'")
        return missing.items
    latest = history[-1]
    definition = facts.workflow.classification(latest.id)
    role = facts.workflow.roles.get(definition.confirmed_by or "") if definition else None
    who = f"the {role.title.lower()}" if role else "a manager"
    member = facts.case.member(latest.confirmed_by)
    allowed = {definition.confirmed_by} if definition is not None and definition.confirmed_by else \
        facts.workflow.managers()
    if latest.confirmed_by is None or latest.confirmed is None or (member is not None and member.role not in allowed):
        missing.add(RISK, ("classifications", facts.case.risk.classifications.index(latest)),
                    f"{latest.id} is not confirmed by {who}",
                    f"run 'reunify classify {latest.id} --confirm --by {_one_with(facts, definition)}'")
    return missing.items


class SustainedArgs(Model):
    by_attribute_name: ClassVar[bool] = True  # `period:` is read as well as `for:`
    levels: list[Levels] | None = None
    period: str | None = msgspec.field(default=None, name="for")
    only_if_ever: Levels | None = None


@gate("sustained_risk", "risk held at the required levels for long enough", SustainedArgs)
def check_sustained_risk(facts: Facts, args: SustainedArgs) -> list[Problem]:
    """With no arguments: the rule for a case that was ever High before a return."""
    missing = _Missing(facts)
    rule = facts.workflow.rules.sustained_before_return
    if args.levels is None and not facts.was_ever("high"):
        return []
    levels: set[str] = set(args.levels or rule.levels)
    span = parse_span(args.period) if args.period else rule.span
    start = facts.sustained(levels, facts.today)
    names = " or ".join(facts.workflow.level_label(level) for level in sorted(levels, key=_rank))
    if start is None:
        missing.add(RISK, ("classifications",), f"the latest risk level is not {names}")
    elif add(start, span.amount, span.unit) > facts.today:
        ready = add(start, span.amount, span.unit)
        missing.add(RISK, ("classifications",), f"risk has been {names} only since {start.isoformat()}: "
                    f"{span} are needed (from {ready.isoformat()})")
    return missing.items


def _rank(level: str) -> int:
    return ["low", "medium", "high", "severe"].index(level)
