"""Gates: what must exist, and be valid, before a step counts as done.

Each gate is a plain function ``(facts, args) -> problems`` registered under the name the
workflow uses in ``requires:``. A gate with arguments declares them as a small model, so a
workflow file that passes a wrong argument is caught when the workflow loads. An empty
list means the gate passes; each problem says exactly what is missing and where.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from reunify.core.dates import add
from reunify.core.dates import age_in_years
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.schema import Model
from reunify.engine.facts import Facts

CASE = "case.yaml"
PEOPLE = "people.yaml"
CHRONOLOGY = "chronology.yaml"
ASSESSMENT = "assessment.yaml"
RISK = "risk.yaml"
AGREEMENT = "agreement.yaml"
PLAN = "plan.yaml"

GateFunction = Callable[[Facts, Any], list[Problem]]


class Gate(msgspec.Struct, frozen=True):
    name: str
    function: GateFunction
    args: type[Model] | None
    summary: str


GATES: dict[str, Gate] = {}


def gate(name: str, summary: str, args: type[Model] | None = None) -> Callable[[GateFunction], GateFunction]:
    def register(function: GateFunction) -> GateFunction:
        GATES[name] = Gate(name, function, args, summary)
        return function

    return register


def gate_args() -> dict[str, type[Model] | None]:
    return {name: g.args for name, g in GATES.items()}


def run_gate(facts: Facts, name: str, args: dict[str, Any]) -> list[Problem]:
    found = GATES[name]
    parsed = found.args.model_validate(args) if found.args is not None else None
    return found.function(facts, parsed)


class _Missing:
    """Collects what a gate finds missing, all against one case."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.items: list[Problem] = []

    def add(self, file: str, path: FieldPath, message: str, hint: str = "") -> None:
        self.items.append(Problem(self.facts.file(file), path, message, hint=hint, code="gate"))



# Gates a recording command satisfies, for a step it then marks done (so the step is
# never typed twice): where the gate finds the fact missing, and the command.
STANDS_FOR: dict[str, tuple[str, str, str]] = {
    "assessment_signed_off": (ASSESSMENT, "signed_off", "reunify assessment sign-off --by {by} --date YYYY-MM-DD"),
    "agreement": (AGREEMENT, "agreed", "reunify agreement sign --date YYYY-MM-DD"),
    "return_recorded": (CASE, "placements", "reunify return-home --date YYYY-MM-DD"),
    # (the gate itself is in reunify.engine.outcomes, with the tool's check)
    "outcomes_since_return": ("events.yaml", "outcomes", "reunify outcomes --date YYYY-MM-DD"),
}

# -- assessment -------------------------------------------------------------------------


@gate("assessment_team", "the team names an assessing social worker and a chronologist")
def check_assessment_team(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    team = facts.case.case.team
    if not any(member.role == "social_worker" for member in team):
        missing.add(CASE, ("team",), "no assessing social worker in the team",
                    "add one with 'reunify team add NAME --role social_worker'")
    # The chronologist is named once: in the chronology, or as the team's chronologist.
    if facts.case.chronology.chronologist is None and not any(m.role == "chronologist" for m in team):
        missing.add(CHRONOLOGY, ("chronologist",), "no chronologist named",
                    "add one with 'reunify team add NAME --role chronologist'")
    return missing.items


@gate("trusted_adult", "a trusted adult is identified for the child")
def check_trusted_adult(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    if facts.case.case.trusted_adult is None:
        missing.add(CASE, ("trusted_adult",), "no trusted adult identified for the child",
                    "record one with 'reunify trusted-adult PERSON'")
    return missing.items


@gate("chronology", "chronology entries with date, source and event, in date order")
def check_chronology(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    entries = facts.case.chronology.entries
    if not entries:
        missing.add(CHRONOLOGY, ("entries",), "the chronology has no entries yet",
                    "run 'reunify chronology --date YYYY-MM-DD --event TEXT --source TEXT'")
    for index in range(1, len(entries)):
        if entries[index].date < entries[index - 1].date:
            missing.add(CHRONOLOGY, ("entries", index, "date"),
                        "entry is earlier than the one before it: keep entries in date order")
    if facts.child_born is None:
        missing.add(PEOPLE, ("people",), "the child's date of birth is not recorded, so ages cannot be shown",
                    f"run 'reunify person change {facts.case.case.child} --born YYYY-MM-DD'")
    return missing.items


@gate("genogram", "the child, at least one parent, households, known relationships")
def check_genogram(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    child = facts.case.child
    people = facts.case.people
    if child is None:
        missing.add(CASE, ("child",), "the child is not in people.yaml")
        return missing.items
    if not child.parents:
        index = people.people.index(child)
        missing.add(PEOPLE, ("people", index, "parents"), "the child's parents are not recorded",
                    f"run 'reunify person change {child.id} --parent PERSON --parent PERSON'")
    if not people.households:
        missing.add(PEOPLE, ("households",), "no households recorded",
                    "run 'reunify household add NAME --member PERSON --home'")
    return missing.items


def police_check_people(facts: Facts) -> list[tuple[str, FieldPath, int | None]]:
    """Everyone who needs a police check: (person id, where listed, age or None)."""
    households = facts.case.people.households
    home = facts.case.household(facts.case.case.home)
    child = facts.case.child
    parents = set(child.parents) if child else set()
    if home is not None:
        chosen = [home]
    else:
        chosen = [h for h in households if parents & set(h.members)]
    threshold = facts.workflow.rules.police_check_age
    needed: list[tuple[str, FieldPath, int | None]] = []
    seen: set[str] = set()
    for household in chosen:
        h_index = households.index(household)
        for key in ("members", "regular_visitors"):
            for index, person_id in enumerate(getattr(household, key)):
                person = facts.case.person(person_id)
                if person is None or person_id in seen or (child and person_id == child.id):
                    continue
                age = age_in_years(person.born, facts.today) if person.born else None
                if age is None or age >= threshold:
                    seen.add(person_id)
                    needed.append((person_id, ("households", h_index, key, index), age))
    return needed


@gate("police_checks", "police checks for everyone 16 or over in the household and regular visitors")
def check_police_checks(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    checked = {c.person for c in facts.case.assessment.police_checks}
    threshold = facts.workflow.rules.police_check_age
    for person_id, path, age in police_check_people(facts):
        if person_id in checked:
            continue
        if age is None:
            missing.add(PEOPLE, path, f"no police check for household person '{person_id}', whose age is "
                        "not recorded", f"run 'reunify police-check {person_id} --date YYYY-MM-DD --result TEXT' "
                        f"(or, if under {threshold}, 'reunify person change {person_id} --born YYYY-MM-DD')")
        else:
            missing.add(PEOPLE, path, f"no police check for household person '{person_id}' "
                        f"(aged {threshold} or over)",
                        f"run 'reunify police-check {person_id} --date YYYY-MM-DD --result TEXT'")
    return missing.items


@gate("support_needs", "support needs are identified")
def check_support_needs(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    if not facts.case.assessment.support_needs:
        missing.add(ASSESSMENT, ("support_needs",), "no support needs recorded",
                    "add each with 'reunify assessment support-need TEXT', or 'none identified'")
    return missing.items


@gate("assessment", "the Return Home Assessment is complete")
def check_assessment(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    assessment = facts.case.assessment
    if not assessment.parents:
        missing.add(ASSESSMENT, ("parents",), "no parent assessed yet",
                    "run 'reunify assessment parent PERSON --risk-factor TEXT --protective-factor TEXT --interaction TEXT "
                    "--capacity-to-change TEXT'")
    for index, parent in enumerate(assessment.parents):
        at: FieldPath = ("parents", index)
        if not parent.risk_factors:
            missing.add(ASSESSMENT, (*at, "risk_factors"), f"no risk factors for '{parent.person}'",
                        f"run 'reunify assessment parent {parent.person} --risk-factor TEXT'")
        if not parent.protective_factors:
            missing.add(ASSESSMENT, (*at, "protective_factors"), f"no protective factors for '{parent.person}'",
                        f"run 'reunify assessment parent {parent.person} --protective-factor TEXT'")
        if parent.interaction is None:
            missing.add(ASSESSMENT, (*at, "interaction"),
                        f"how the risk and protective factors of '{parent.person}' interact is not analysed",
                        f"run 'reunify assessment parent {parent.person} --interaction TEXT'")
        if parent.capacity_to_change is None:
            missing.add(ASSESSMENT, (*at, "capacity_to_change"),
                        f"capacity to change of '{parent.person}' not assessed",
                        f"run 'reunify assessment parent {parent.person} --capacity-to-change TEXT'")
    for key, label in (("child_views", "the child's views"), ("housing", "housing"),
                       ("finances", "finances"), ("school", "school")):
        if getattr(assessment, key) is None:
            missing.add(ASSESSMENT, (key,), f"{label} not recorded", f"run 'reunify assessment set {key}'")
    missing.items.extend(check_police_checks(facts, None))
    return missing.items


@gate("assessment_signed_off", "the team manager has signed off the assessment")
def check_assessment_signed_off(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    sign_off = facts.case.assessment.signed_off
    if sign_off is None:
        missing.add(ASSESSMENT, ("signed_off",), "the assessment is not signed off",
                    "run 'reunify assessment sign-off --by "
                    f"{facts.case.only_member(facts.workflow.managers())} --date YYYY-MM-DD'")
    else:
        member = facts.case.member(sign_off.by)
        if member is not None and member.role not in facts.workflow.managers():
            missing.add(ASSESSMENT, ("signed_off", "by"), "signed off by someone who is not a manager")
    return missing.items


# -- agreement and plan -----------------------------------------------------------------


@gate("agreement", "per parent, a goal stating the change, its evidence, a date and the support")
def check_agreement(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    agreement = facts.case.agreement
    if agreement.agreed is None:
        missing.add(AGREEMENT, ("agreed",), "the date the agreement was made is not recorded",
                    "run 'reunify agreement sign --date YYYY-MM-DD'")
    if agreement.review_date is None:
        missing.add(AGREEMENT, ("review_date",), "no review date set", "run 'reunify agreement review-date YYYY-MM-DD'")
    if not agreement.parents:
        missing.add(AGREEMENT, ("parents",), "no parent in the agreement",
                    "run 'reunify goal add --parent PERSON --change TEXT --evidence TEXT --due YYYY-MM-DD "
                    "--support TEXT'")
    for index, parent in enumerate(agreement.parents):
        at: FieldPath = ("parents", index)
        if not parent.goals:
            missing.add(AGREEMENT, (*at, "goals"), f"no goals for '{parent.person}'",
                        f"run 'reunify goal add --parent {parent.person} --change TEXT --evidence TEXT "
                        "--due YYYY-MM-DD --support TEXT'")
        for g_index, goal in enumerate(parent.goals):
            here: FieldPath = (*at, "goals", g_index)
            for key, label in (("change", "what must change"), ("evidence", "how it will be evidenced"),
                               ("due", "by when"), ("support", "the support offered")):
                if getattr(goal, key) is None:
                    missing.add(AGREEMENT, (*here, key), f"goal {g_index + 1} of '{parent.person}' does not say "
                                f"{label}", "'reunify goal add' writes a goal with all four")
    return missing.items


@gate("goal_reviews", "every goal has been reviewed at least once")
def check_goal_reviews(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    parents = facts.case.agreement.parents
    if not parents:
        missing.add(AGREEMENT, ("parents",), "no parental agreement to review",
                    "run 'reunify goal add --parent PERSON --change TEXT --evidence TEXT --due YYYY-MM-DD "
                    "--support TEXT'")
    for index, parent in enumerate(parents):
        for g_index, goal in enumerate(parent.goals):
            if not goal.reviews:
                missing.add(AGREEMENT, ("parents", index, "goals", g_index, "reviews"),
                            f"goal {g_index + 1} of '{parent.person}' has not been reviewed",
                            f"run 'reunify goal-review --parent {parent.person} --goal {g_index + 1} "
                            "--rating RATING --evidence TEXT'")
    return missing.items


@gate("contingency_plan", "a contingency plan")
def check_contingency_plan(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    if facts.case.plan.contingency is None:
        missing.add(PLAN, ("contingency",), "no contingency plan", "run 'reunify plan contingency TEXT'")
    return missing.items


@gate("child_communication", "how the child's hopes, fears and support needs were heard")
def check_child_communication(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    if facts.case.plan.child_communication is None:
        missing.add(PLAN, ("child_communication",), "the conversation with the child is not recorded",
                    "run 'reunify plan child-communication TEXT'")
    return missing.items


@gate("reunification_plan", "support services, a contact schedule and a contingency plan")
def check_reunification_plan(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    plan = facts.case.plan
    if not plan.support:
        missing.add(PLAN, ("support",), "no support services in the plan", "run 'reunify plan support SERVICE'")
    if not plan.contact:
        missing.add(PLAN, ("contact",), "no contact schedule in the plan",
                    "run 'reunify plan contact --with PERSON --arrangement TEXT'")
    missing.items.extend(check_contingency_plan(facts, None))
    return missing.items


@gate("return_support", "support after the return, planned for long enough")
def check_return_support(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    services = facts.case.plan.after_return
    span = facts.workflow.rules.support_after_return.span
    if not services:
        missing.add(PLAN, ("after_return",), "no support planned for after the return",
                    "run 'reunify plan support SERVICE --after-return --until YYYY-MM-DD'")
        return missing.items
    start = facts.return_date or facts.today
    needed = add(start, span.amount, span.unit)
    if all(s.until is not None and s.until < needed for s in services):
        missing.add(PLAN, ("after_return",), f"support after the return must last at least {span} "
                    f"(to {needed.isoformat()} or later)",
                    "add one with 'reunify plan support SERVICE --after-return --until YYYY-MM-DD'")
    return missing.items


@gate("return_recorded", "the return is recorded: placement P1, or leaving care")
def check_return_recorded(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    record = facts.case.case
    if record.left_care is None and facts.placement != "P1":
        missing.add(CASE, ("placements",), "the return is not recorded in case.yaml",
                    "record it with 'reunify return-home --date YYYY-MM-DD'")
    return missing.items


@gate("sdq_since_return", "an SDQ recorded since the child went home")
def check_sdq_since_return(facts: Facts, _: None) -> list[Problem]:
    missing = _Missing(facts)
    returned = facts.return_date
    if not any(returned is None or score.date >= returned for score in facts.case.events.sdq):
        missing.add("events.yaml", ("sdq",), "no SDQ recorded since the return home",
                    "record one with 'reunify sdq --total N'")
    return missing.items


# The gates on risk live in their own module; importing it registers them here.
from reunify.engine import risk_gates as _risk  # noqa: E402,F401
