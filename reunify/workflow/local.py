"""A local workflow: the reference workflow changed by an authority, without code.

A local workflow file names what it extends and says only what differs::

    extends: reference
    id: northshire
    title: Northshire reunification workflow
    roles:
      qaro: {title: Independent reviewing officer}      # rename a role
    risk_levels:
      severe: {label: Very high}                          # a local label
    rules:
      reviews: {then: 6 months}                           # change a time limit
    steps:
      midpoint_supervision: {remove: true}                # drop a step
      planning_review: {due: within 6 months of planning_meeting}
    add:
      - stage: agreement                                  # add a local step
        before: reunification_plan
        id: family_network_meeting
        title: Family network meeting
        role: social_worker
        after: [planning_meeting]

Mappings are merged key by key over the reference (a value that is not a mapping
replaces the reference's; a key set to null is removed, e.g. a meeting kind). A removed step hands its own prerequisites on to the steps
that came after it. The result is checked as any workflow is; every problem is placed
in the local file, at the entry that caused it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.resources import WORKFLOWS
from reunify.core.schema import Model
from reunify.core.yamlio import load_file
from reunify.records.validation import did_you_mean
from reunify.records.validation import validate
from reunify.workflow.load import check_workflow
from reunify.workflow.model import Workflow
from reunify.workflow.old_keys import Renamed
from reunify.workflow.old_keys import renamed_keys

MERGED_KEYS = ("roles", "risk_levels", "classifications", "decisions", "paths", "exit_reasons", "rules",
               "meetings", "documents", "outcomes_tool", "assessment_domains", "cautionary_factors",
               "for_children")
TOP_KEYS = ("extends", "id", "title", *MERGED_KEYS, "steps", "add")
STEP_POSITION = ("stage", "before")

GateArgs = Mapping[str, type[Model] | None]


def is_local(data: Any) -> bool:
    return isinstance(data, dict) and "extends" in data


def merge(base: Any, change: Any) -> Any:
    """`change` over `base`, mapping by mapping; a key set to null is removed."""
    if isinstance(base, dict) and isinstance(change, dict):
        merged = dict(base)
        for key, value in change.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = merge(base[key], value) if key in base else value
        return merged
    return change


class _Mapped:
    """Where each step of the merged workflow came from, to put problems in the local file."""

    def __init__(self) -> None:
        self.added: dict[str, int] = {}  # step id -> index under `add:`
        self.removed: list[str] = []


def load_local_workflow(path: Path, data: dict[str, Any], gates: GateArgs) -> tuple[Workflow | None, list[Problem]]:
    """The workflow `data` (loaded from `path`) describes, or its problems, placed in `path`."""
    problems = list(_check_shape(path, data))
    if problems:
        return None, problems
    data, renamed = _renamed(path, data)
    base_name = data["extends"]
    base_file = WORKFLOWS / f"{base_name}.yaml"
    base = load_file(base_file)
    if not base.ok or not isinstance(base.data, dict) or is_local(base.data):
        return None, [Problem(path, ("extends",), f"cannot extend '{base_name}'", code="workflow")]
    merged, mapped, found = _apply(path, copy.deepcopy(base.data), data)
    if found:
        return None, renamed.problems + renamed.relocate(found)
    workflow, found = validate(Workflow, merged, path)
    if workflow is not None:
        found = list(check_workflow(workflow, path, gates))
    placed = renamed.problems + renamed.relocate(_place(p, merged, data, mapped) for p in found)
    if any(p.is_error for p in placed):
        return None, placed
    return workflow, placed


def _renamed(path: Path, data: dict[str, Any]) -> tuple[dict[str, Any], Renamed]:
    """The local workflow with the old key `needs:` read as `requires:` in its step changes,
    its added steps and its decisions' outcomes (a warning at each)."""
    data, renamed = renamed_keys(data, path)
    data["steps"] = {step_id: renamed.entry(change, path, ("steps", step_id))
                     for step_id, change in (data.get("steps") or {}).items()}
    data["add"] = [renamed.entry(item, path, ("add", index)) for index, item in enumerate(data.get("add") or [])]
    return data, renamed


def _check_shape(path: Path, data: dict[str, Any]) -> list[Problem]:
    def problem(at: FieldPath, message: str, hint: str = "") -> Problem:
        return Problem(path, at, message, hint=hint, code="workflow")

    found = []
    for key in data:
        if key not in TOP_KEYS:
            found.append(problem((key,), f"unknown key '{key}'" + did_you_mean(str(key), list(TOP_KEYS)),
                                 "a local workflow has: " + ", ".join(TOP_KEYS)))
    if not isinstance(data.get("extends"), str):
        found.append(problem(("extends",), "expected the name of the workflow this one extends, e.g. 'reference'"))
    for key in MERGED_KEYS:
        if key in data and not isinstance(data[key], dict):
            found.append(problem((key,), "expected a mapping"))
    steps = data.get("steps", {})
    if not isinstance(steps, dict):
        found.append(problem(("steps",), "expected a mapping of step ids to their changes"))
    else:
        for step_id, change in steps.items():
            if not isinstance(change, dict):
                found.append(problem(("steps", step_id), "expected the step's changes, or {remove: true}"))
            elif "remove" in change and (change["remove"] is not True or len(change) > 1):
                found.append(problem(("steps", step_id, "remove"), "write 'remove: true' on its own"))
            elif "id" in change:
                found.append(problem(("steps", step_id, "id"), "a step's id cannot change; remove it and add one"))
    added = data.get("add", [])
    if not isinstance(added, list):
        found.append(problem(("add",), "expected a list of new steps"))
    else:
        for index, item in enumerate(added):
            if not isinstance(item, dict) or not isinstance(item.get("stage"), str):
                found.append(problem(("add", index), "a new step needs 'stage:' (the stage id it belongs to)"))
    return found


def _apply(path: Path, base: dict[str, Any], data: dict[str, Any]) -> tuple[dict[str, Any], _Mapped, list[Problem]]:
    mapped = _Mapped()
    found: list[Problem] = []
    merged = dict(base)
    for key in ("id", "title"):
        if key in data:
            merged[key] = data[key]
    if "id" not in data:
        merged["id"] = Path(path).stem
    for key in MERGED_KEYS:
        if key in data:
            merged[key] = merge(base.get(key, {}), data[key])
    stages = merged.get("stages", [])
    by_id = {step.get("id"): step for stage in stages for step in stage.get("steps", [])}
    for step_id, change in (data.get("steps") or {}).items():
        if step_id not in by_id:
            found.append(Problem(path, ("steps", step_id), f"unknown step '{step_id}'"
                                 + did_you_mean(str(step_id), [str(k) for k in by_id]), code="workflow"))
        elif change.get("remove"):
            mapped.removed.append(step_id)
        else:
            by_id[step_id].update(change)
    stage_ids = [stage.get("id") for stage in stages]
    for index, item in enumerate(data.get("add") or []):
        stage = next((s for s in stages if s.get("id") == item["stage"]), None)
        if stage is None:
            found.append(Problem(path, ("add", index, "stage"), f"unknown stage '{item['stage']}'"
                                 + did_you_mean(item["stage"], [str(s) for s in stage_ids]), code="workflow"))
            continue
        step = {k: v for k, v in item.items() if k not in STEP_POSITION}
        ids = [s.get("id") for s in stage["steps"]]
        before = item.get("before")
        if before is not None and before not in ids:
            found.append(Problem(path, ("add", index, "before"), f"no step '{before}' in stage '{item['stage']}'"
                                 + did_you_mean(str(before), [str(i) for i in ids]), code="workflow"))
            continue
        stage["steps"].insert(ids.index(before) if before is not None else len(ids), step)
        if isinstance(step.get("id"), str):
            mapped.added[step["id"]] = index
    _remove(merged, mapped.removed)
    return merged, mapped, found


def _remove(merged: dict[str, Any], removed: list[str]) -> None:
    """Drop steps; each hands its own prerequisites on to the steps that waited for it."""
    steps = {step.get("id"): step for stage in merged.get("stages", []) for step in stage.get("steps", [])}

    def before(step_id: str, seen: frozenset[str] = frozenset()) -> list[str]:
        if step_id not in removed or step_id in seen:
            return [step_id]
        found: list[str] = []
        for other in steps.get(step_id, {}).get("after", []) or []:
            found += before(other, seen | {step_id})
        return found

    for stage in merged.get("stages", []):
        stage["steps"] = [s for s in stage.get("steps", []) if s.get("id") not in removed]
        for step in stage["steps"]:
            after = step.get("after")
            if isinstance(after, list) and any(a in removed for a in after):
                step["after"] = list(dict.fromkeys(x for a in after for x in before(a)))
    for meeting in (merged.get("meetings") or {}).values():
        if isinstance(meeting, dict) and meeting.get("step") in removed:
            meeting["step"] = None


def _place(problem: Problem, merged: dict[str, Any], data: dict[str, Any], mapped: _Mapped) -> Problem:
    """The same problem, pointing into the local file."""
    path = problem.path
    message = problem.message
    if len(path) >= 4 and path[0] == "stages" and path[2] == "steps":
        stage_index, step_index = path[1], path[3]
        rest = path[4:]
        try:
            step_id = merged["stages"][stage_index]["steps"][step_index]["id"]
        except (KeyError, IndexError, TypeError):
            step_id = None
        if step_id in mapped.added:
            where: FieldPath = ("add", mapped.added[step_id])
            return _deepest(problem, data, (*where, *rest), message)
        changes = (data.get("steps") or {}).get(step_id)
        if isinstance(changes, dict) and rest and rest[0] in changes:
            return _deepest(problem, data, ("steps", step_id, *rest), message)
        mentioned = next((r for r in mapped.removed if re.search(rf"\b{re.escape(r)}\b", message)), None)
        message = f"step '{step_id}' (from the reference): {message}"
        if mentioned is not None:
            message = re.sub(r" \(did you mean '[^']*'\?\)", "", message)
            return _deepest(problem, data, ("steps", mentioned), message + f" ('{mentioned}' is removed here)")
        if isinstance(changes, dict):
            return _deepest(problem, data, ("steps", step_id), message)
        return _deepest(problem, data, ("extends",), message)
    return _deepest(problem, data, path, message)


def _deepest(problem: Problem, data: Any, path: FieldPath, message: str) -> Problem:
    """`path` cut to the part that exists in the local file (at least the top)."""
    node = data
    kept: list[str | int] = []
    for part in path:
        if not _holds(node, part):
            break
        node = node[part]
        kept.append(part)
    if not kept:
        kept = ["extends"] if isinstance(data, dict) and "extends" in data else []
        if path and path[0] not in ("extends",):
            message = f"{'.'.join(str(p) for p in path)}: {message}"
    return Problem(problem.file, tuple(kept), message, problem.severity, problem.hint, problem.code)


def _holds(node: Any, part: str | int) -> bool:
    if isinstance(node, list):
        return isinstance(part, int) and 0 <= part < len(node)
    return isinstance(node, dict) and part in node
