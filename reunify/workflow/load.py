"""Load a workflow file and check that it makes sense, with file:line problems.

Shape (types, unknown keys) is checked by the models; meaning (steps that exist, no
cycles, known roles, gates, decisions, conditions and deadlines in the vocabulary) is
checked here. Gate names are checked against the registry the caller passes in, so that
this layer does not depend on the engine.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterator
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reunify.core import codes
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.resources import WORKFLOWS
from reunify.core.schema import Model
from reunify.core.schema import SchemaError
from reunify.core.yamlio import load_file
from reunify.records.validation import did_you_mean
from reunify.records.validation import validate
from reunify.workflow import for_children
from reunify.workflow import prebuilt
from reunify.workflow.domains import check_content
from reunify.workflow.grammar import SUBJECTS
from reunify.workflow.grammar import parse_condition
from reunify.workflow.grammar import parse_span
from reunify.workflow.kinds import LEVEL_NAMES
from reunify.workflow.model import REQUIRED_MARKS
from reunify.workflow.model import Step
from reunify.workflow.model import Workflow
from reunify.workflow.model import gate_spec
from reunify.workflow.old_keys import renamed_keys

REFERENCE = WORKFLOWS / "reference.yaml"

GateArgs = Mapping[str, type[Model] | None]


def load_workflow(path: Path, gates: GateArgs) -> tuple[Workflow | None, list[Problem]]:
    """The workflow in `path` and every problem in it (None if it cannot be used); the
    bundled reference comes prebuilt when it was built from what there is now."""
    if path == REFERENCE:
        found = prebuilt.read(path, gates)
        if found is not None:
            return found, []
    return load_workflow_yaml(path, gates)


def load_workflow_yaml(path: Path, gates: GateArgs) -> tuple[Workflow | None, list[Problem]]:
    """The workflow in `path` read from its YAML and checked, never prebuilt."""
    loaded = load_file(path)
    if not loaded.exists:
        return None, [Problem(path, (), "no such workflow file", code="workflow").at(1, 1)]
    if loaded.problems:
        return None, loaded.problems
    if isinstance(loaded.data, dict) and "extends" in loaded.data:
        from reunify.workflow.local import load_local_workflow

        return load_local_workflow(path, loaded.data, gates)
    data, renamed = renamed_keys(loaded.data, path)
    workflow, problems = validate(Workflow, data, path)
    if workflow is None:
        return None, renamed.problems + renamed.relocate(problems)
    problems = renamed.problems + renamed.relocate(check_workflow(workflow, path, gates))
    if any(p.is_error for p in problems):
        return None, problems
    return workflow, problems


def check_workflow(wf: Workflow, file: Path, gates: GateArgs) -> Iterator[Problem]:
    """What the models cannot see: references between parts, cycles, the vocabulary."""
    def problem(path: FieldPath, message: str, hint: str = "") -> Problem:
        return Problem(file, path, message, hint=hint, code="workflow")

    step_ids = [s.id for stage in wf.stages for s in stage.steps]
    seen: set[str] = set()
    for s_index, stage in enumerate(wf.stages):
        for index, step in enumerate(stage.steps):
            at: FieldPath = ("stages", s_index, "steps", index)
            if step.id in seen:
                yield problem((*at, "id"), f"step '{step.id}' is defined twice")
            seen.add(step.id)
            yield from _check_step(wf, step, at, step_ids, gates, problem)
    yield from _check_marks(wf, problem)
    for name, decision in wf.decisions.items():
        at = ("decisions", name)
        for key in ("by", "ratified_by"):
            role = getattr(decision, key)
            if role is not None and role not in wf.roles:
                yield problem((*at, key), f"unknown role '{role}'" + did_you_mean(role, list(wf.roles)))
        for outcome_name, outcome in decision.outcomes.items():
            here = (*at, "outcomes", outcome_name)
            if outcome.path is not None and outcome.path not in wf.paths:
                yield problem((*here, "path"), f"unknown path '{outcome.path}'"
                              + did_you_mean(outcome.path, list(wf.paths)))
            if outcome.when:
                yield from _check_condition(wf, outcome.when, (*here, "when"), problem)
            for g_index, item in enumerate(outcome.requires):
                yield from _check_gate(item, (*here, "requires", g_index), gates, problem)
    yield from _check_cycles(wf, problem)
    yield from _check_rules(wf, step_ids, problem)
    yield from check_content(wf.assessment_domains, {level: d.factors for level, d in wf.risk_levels.items()},
                             problem)
    for at, message in for_children.check(wf.for_children, {k: v.for_children for k, v in wf.risk_levels.items()}):
        yield problem(at, message)
    for at, text in for_children.conditions(wf.for_children):
        yield from _check_condition(wf, text, at, problem)


def _check_rules(wf: Workflow, step_ids: list[str], problem: Any) -> Iterator[Problem]:
    """Periods that parse, conditions in the vocabulary, meetings and steps that exist."""
    rules = wf.rules
    periods: list[tuple[FieldPath, str | None]] = [
        (("rules", "high_becomes_severe", "after"), rules.high_becomes_severe.after),
        (("rules", "sustained_before_return", "for"), rules.sustained_before_return.period),
        (("rules", "support_after_return", "for"), rules.support_after_return.period),
        (("rules", "involvement_until_low", "for"), rules.involvement_until_low.period),
    ]
    for name, visit in rules.visits.items():
        at: FieldPath = ("rules", "visits", name)
        periods += [((*at, key), getattr(visit, attr)) for key, attr in
                    (("first", "first"), ("every", "every"), ("for", "period"), ("then", "then"))]
        for index, text in enumerate(visit.when):
            yield from _check_condition(wf, text, (*at, "when", index), problem)
        if visit.period is None and not visit.until_review and visit.then is not None:
            yield problem((*at, "then"), "'then' needs 'for' or 'until_review' to say when it starts")
        if visit.until_review and rules.reviews is None:
            yield problem((*at, "until_review"), "no child-in-care reviews are defined under rules.reviews")
    for name, cycle in rules.after_return.items():
        at = ("rules", "after_return", name)
        periods += [((*at, "first"), cycle.first), ((*at, "every"), cycle.every)]
        for index, text in enumerate(cycle.when):
            yield from _check_condition(wf, text, (*at, "when", index), problem)
        for index, kind in enumerate(cycle.meetings):
            if kind not in wf.meetings:
                yield problem((*at, "meetings", index), f"unknown meeting '{kind}'"
                              + did_you_mean(kind, list(wf.meetings)), "meetings are defined under 'meetings:'")
        if not cycle.meetings:
            yield problem((*at, "meetings"), "name at least one meeting")
        if cycle.role not in wf.roles:
            yield problem((*at, "role"), f"unknown role '{cycle.role}'" + did_you_mean(cycle.role, list(wf.roles)))
    if rules.reclassify_after_return is not None:
        periods.append((("rules", "reclassify_after_return", "every"), rules.reclassify_after_return.every))
        until = rules.reclassify_after_return.until
        if until is not None and until not in step_ids:
            yield problem(("rules", "reclassify_after_return", "until"), f"unknown step '{until}'"
                          + did_you_mean(until, step_ids))
    officer = rules.nominated_officer
    if officer is not None and officer.role not in wf.roles:
        yield problem(("rules", "nominated_officer", "role"), f"unknown role '{officer.role}'"
                      + did_you_mean(officer.role, list(wf.roles)))
    for document_id in wf.documents:
        definition = wf.document(document_id)
        for index, item in enumerate(definition.when if definition else []):
            at = ("documents", document_id, "when", index)
            for inner, text in [(None, item)] if isinstance(item, str) else enumerate(item.either):
                yield from _check_condition(wf, text, at if inner is None else (*at, "any", inner), problem)
    for name, classification in wf.classifications.items():
        role = classification.confirmed_by
        if role is not None and role not in wf.roles:
            yield problem(("classifications", name, "confirmed_by"), f"unknown role '{role}'"
                          + did_you_mean(role, list(wf.roles)))
    if rules.reviews is not None:
        at = ("rules", "reviews")
        periods += [((*at, key), getattr(rules.reviews, key)) for key in ("first", "second", "then")]
        for index, kind in enumerate(rules.reviews.also):
            if kind not in wf.meetings:
                yield problem((*at, "also", index), f"unknown meeting '{kind}'"
                              + did_you_mean(kind, list(wf.meetings)), "meetings are defined under 'meetings:'")
        if rules.reviews.meeting not in wf.meetings:
            yield problem((*at, "meeting"), f"unknown meeting '{rules.reviews.meeting}'"
                          + did_you_mean(rules.reviews.meeting, list(wf.meetings)),
                          "meetings are defined under 'meetings:'")
    for where, period in periods:
        if period is None:
            continue
        try:
            parse_span(period)
        except ValueError as exc:
            yield problem(where, str(exc))
    for informant, (close, borderline) in rules.sdq_bands.items():
        if not 0 <= close < borderline < 40:
            yield problem(("rules", "sdq_bands", informant),
                          "expected two ascending scores between 0 and 40: the top of the "
                          "'close to average' band and the top of the 'borderline' band")
    for name, meeting in wf.meetings.items():
        if meeting.step is not None and meeting.step not in step_ids:
            yield problem(("meetings", name, "step"), f"unknown step '{meeting.step}'"
                          + did_you_mean(meeting.step, step_ids))


def _check_step(
    wf: Workflow, step: Step, at: FieldPath, step_ids: list[str], gates: GateArgs, problem: Any
) -> Iterator[Problem]:
    if step.role not in wf.roles:
        yield problem((*at, "role"), f"unknown role '{step.role}'" + did_you_mean(step.role, list(wf.roles)),
                      "roles are defined under 'roles:'")
    for index, other in enumerate(step.after):
        if other == step.id:
            yield problem((*at, "after", index), "a step cannot come after itself")
        elif other not in step_ids:
            yield problem((*at, "after", index), f"unknown step '{other}'" + did_you_mean(other, step_ids))
    for index, item in enumerate(step.requires):
        yield from _check_gate(item, (*at, "requires", index), gates, problem)
    kind, record_id = step.kind
    if kind == "decision" and record_id not in wf.decisions:
        yield problem((*at, "records"), f"unknown decision '{record_id}'"
                      + did_you_mean(record_id, list(wf.decisions)))
    elif kind == "classification" and record_id not in wf.classifications:
        yield problem((*at, "records"), f"unknown classification '{record_id}'"
                      + did_you_mean(record_id, list(wf.classifications)))
    elif kind not in ("date", "meeting", "decision", "classification", "reentry") or (
        kind in ("date", "meeting", "reentry") and record_id
    ):
        yield problem((*at, "records"), "expected 'date', 'meeting', 'decision <id>', 'classification <id>' "
                      "or 'reentry'")
    for path in step.paths:
        if path not in wf.paths:
            yield problem((*at, "path"), f"unknown path '{path}'" + did_you_mean(path, list(wf.paths)))
    if step.when:
        yield from _check_condition(wf, step.when, (*at, "when"), problem)
    if step.ready_when:
        yield from _check_condition(wf, step.ready_when, (*at, "ready_when"), problem)
    for key in ("due", "not_before"):
        text = getattr(step, key)
        if text is None:
            continue
        try:
            deadline = step.deadline if key == "due" else step.earliest
        except ValueError as exc:
            yield problem((*at, key), str(exc))
            continue
        assert deadline is not None
        if deadline.step not in step_ids:
            yield problem((*at, key), f"the deadline counts from an unknown step '{deadline.step}'"
                          + did_you_mean(deadline.step, step_ids))
    for index, document in enumerate(step.documents):
        if document not in wf.documents:
            yield problem((*at, "documents", index), f"unknown document '{document}'"
                          + did_you_mean(document, list(wf.documents)))


def _check_gate(item: Any, at: FieldPath, gates: GateArgs, problem: Any) -> Iterator[Problem]:
    if isinstance(item, dict) and len(item) != 1:
        yield problem(at, "a gate with arguments is written '{name: {argument: value}}'")
        return
    name, args = gate_spec(item)
    if name not in gates:
        yield problem(at, f"unknown gate '{name}'" + did_you_mean(name, list(gates)),
                      "gates: " + ", ".join(sorted(gates)))
        return
    model = gates[name]
    if model is None:
        if args:
            yield problem(at, f"gate '{name}' takes no arguments")
        return
    try:
        model.model_validate(args)
    except SchemaError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        yield problem(at, f"gate '{name}': {where or 'arguments'}: {first['msg'].lower()}")


DERIVED_VALUES = {"return": ("home", "broken down"), "care": ("looked after", "left"),
                  "risk after return": ("risen", "not risen")}


def _check_condition(wf: Workflow, text: str, at: FieldPath, problem: Any) -> Iterator[Problem]:
    try:
        condition = parse_condition(text)
    except ValueError as exc:
        yield problem(at, str(exc))
        return
    subject = condition.subject
    if subject == "risk" or subject in wf.classifications:
        allowed: list[str] = list(LEVEL_NAMES)
        values = [v.lower() for v in condition.values]
    elif subject in wf.decisions:
        allowed = list(wf.decisions[subject].outcomes)
        values = list(condition.values)
    elif subject == "legal status":
        allowed, values = list(codes.LEGAL_STATUS), [v.upper() for v in condition.values]
    elif subject == "placement":
        allowed, values = list(codes.PLACEMENT), [v.upper() for v in condition.values]
    elif subject in DERIVED_VALUES:
        allowed, values = list(DERIVED_VALUES[subject]), [" ".join(v.lower().split()) for v in condition.values]
    elif subject == "path":
        allowed, values = list(dict.fromkeys(["return", *wf.paths])), list(condition.values)
    elif subject in wf.steps:
        allowed, values = ["done", "not done"], [" ".join(v.lower().split()) for v in condition.values]
    else:
        subjects = [*SUBJECTS, *wf.classifications, *wf.decisions]
        yield problem(at, f"unknown subject '{subject}'" + did_you_mean(subject, [*subjects, *wf.steps]),
                      "conditions name: " + ", ".join(subjects) + ", or a step id (done, not done)")
        return
    for value in values:
        if value not in allowed:
            yield problem(at, f"'{value}' is not a value of {subject}" + did_you_mean(value, allowed))


def _check_marks(wf: Workflow, problem: Any) -> Iterator[Problem]:
    """Each mark on one step at most; the marks the engine needs, each on a step."""
    marked: dict[str, str] = {}
    for step in wf.steps.values():
        if step.marks is None:
            continue
        if step.marks in marked:
            yield problem((*_step_location(wf, step.id), "marks"), f"'{step.marks}' marks step '{marked[step.marks]}' already",
                          "a mark belongs to one step only")
        marked.setdefault(step.marks, step.id)
    for mark, what in REQUIRED_MARKS.items():
        if mark not in marked:  # at the step of that id, if there is one: it lost its mark
            at = (*_step_location(wf, mark), "id") if mark in wf.steps else ("stages",)
            yield problem(at, f"no step is marked '{mark}'", f"add 'marks: {mark}' to {what}")


def _check_cycles(wf: Workflow, problem: Any) -> Iterator[Problem]:
    graph = {step.id: [a for a in step.after if a in wf.steps] for step in wf.steps.values()}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        cycle = list(dict.fromkeys(exc.args[1]))
        first = cycle[0]
        location = _step_location(wf, first)
        yield problem((*location, "after"), "steps wait for each other in a cycle: "
                      + " -> ".join([*cycle, first]), "remove one of these 'after' entries")


def _step_location(wf: Workflow, step_id: str) -> FieldPath:
    for s_index, stage in enumerate(wf.stages):
        for index, step in enumerate(stage.steps):
            if step.id == step_id:
                return ("stages", s_index, "steps", index)
    return ()
