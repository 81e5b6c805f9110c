"""How a workflow differs from another (a local workflow from the reference), as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Literal

from reunify.core.schema import Model
from reunify.workflow.model import Step
from reunify.workflow.model import Workflow

ChangeKind = Literal["added", "removed", "changed"]
STEP_FIELDS = ("title", "role", "after", "requires", "records", "when", "path", "optional", "final", "due",
               "not_before", "source", "documents")


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    part: str  # "step", "role", "risk level", "rule", "meeting", "document", "decision", ...
    name: str  # the id of what changed
    field: str | None = None
    before: Any = None
    after: Any = None

    def describe(self) -> str:
        what = f"{self.part} '{self.name}'"
        if self.kind != "changed":
            return f"{self.kind} {what}"
        return f"{what}: {self.field} {_show(self.before)} -> {_show(self.after)}"


def _show(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _step_value(step: Step, field: str) -> Any:
    value = getattr(step, field)
    return list(value) if isinstance(value, list | tuple) else value


def compare(reference: Workflow, local: Workflow) -> list[Change]:
    changes: list[Change] = []
    ref_steps, local_steps = reference.steps, local.steps
    for step_id in ref_steps:
        if step_id not in local_steps:
            changes.append(Change("removed", "step", step_id))
            continue
        for field in STEP_FIELDS:
            before, after = _step_value(ref_steps[step_id], field), _step_value(local_steps[step_id], field)
            if before != after:
                changes.append(Change("changed", "step", step_id, field, before, after))
        ref_stage, local_stage = reference.stage_of[step_id].id, local.stage_of[step_id].id
        if ref_stage != local_stage:
            changes.append(Change("changed", "step", step_id, "stage", ref_stage, local_stage))
    changes += [Change("added", "step", step_id) for step_id in local_steps if step_id not in ref_steps]
    parts: tuple[tuple[str, Any, Any], ...] = (
        ("role", reference.roles, local.roles),
        ("risk level", reference.risk_levels, local.risk_levels),
        ("classification", reference.classifications, local.classifications),
        ("decision", reference.decisions, local.decisions),
        ("meeting", reference.meetings, local.meetings),
        ("exit reason", reference.exit_reasons, local.exit_reasons),
        ("assessment domain", reference.assessment_domains, local.assessment_domains),
        ("cautionary factor", reference.cautionary_factors, local.cautionary_factors),
    )
    for part, before_map, after_map in parts:
        changes += _compare_maps(part, dict(before_map), dict(after_map))
    changes += _compare_maps("document", {k: reference.document(k) for k in reference.documents},
                             {k: local.document(k) for k in local.documents})
    changes += _compare_dumps("rule", reference.rules.dump(), local.rules.dump())
    changes += _compare_dumps("outcomes tool", _dump(reference.outcomes_tool) or {}, _dump(local.outcomes_tool) or {})
    return changes


def _compare_maps(part: str, before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    changes = [Change("removed", part, str(k)) for k in before if k not in after]
    for key in before:
        if key in after and before[key] != after[key]:
            old, new = _dump(before[key]), _dump(after[key])
            if isinstance(old, dict) and isinstance(new, dict):
                changes += [Change("changed", part, str(key), field, old.get(field), new.get(field))
                            for field in dict.fromkeys([*old, *new]) if old.get(field) != new.get(field)]
            else:
                changes.append(Change("changed", part, str(key), "value", old, new))
    changes += [Change("added", part, str(k)) for k in after if k not in before]
    return changes


def _dump(value: Any) -> Any:
    return value.dump() if isinstance(value, Model) else value


def _compare_dumps(part: str, before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> list[Change]:
    changes: list[Change] = []
    for key in dict.fromkeys([*before, *after]):
        name = f"{prefix}{key}"
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changes += _compare_dumps(part, old, new, f"{name}.")
        elif old is None:
            changes.append(Change("added", part, name, None, None, new))
        elif new is None:
            changes.append(Change("removed", part, name, None, old, None))
        else:
            changes.append(Change("changed", part, name, "value", old, new))
    return changes
