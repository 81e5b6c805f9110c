"""The workflow as its authors read it, as plain data: for each step who does it, what it
does, its paths, what comes first, the gates it requires, its conditions, its deadlines
with their sources, its documents; for a decision, its outcomes and the paths they open.

`workflow show` prints this and its `--json` carries it unchanged.
"""

from __future__ import annotations

from typing import Any

from reunify.workflow.model import Stage
from reunify.workflow.model import Step
from reunify.workflow.model import Workflow
from reunify.workflow.model import gate_spec


def gate_text(item: str | dict[str, Any]) -> str:
    """A gate as written in words: 'classification (id RC1, confirmed true)'."""
    name, args = gate_spec(item)
    if not args:
        return name
    return f"{name} (" + ", ".join(f"{key} {_word(value)}" for key, value in args.items()) + ")"


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _gates(items: list[str | dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"gate": name, "arguments": args, "text": gate_text(item)}
            for item in items for name, args in [gate_spec(item)]]


def path_title(workflow: Workflow, path: str) -> str:
    found = workflow.paths.get(path)
    return found.title if found is not None else path


def step_outline(workflow: Workflow, step: Step) -> dict[str, Any]:
    """Everything an author wrote for `step`, with the titles it refers to.

    `paths` is empty for a step on every path; `outcomes` is set for a step that records a
    decision (each outcome's condition, the path it opens, the gates it requires)."""
    role = workflow.roles.get(step.role)
    kind, record_id = step.kind
    decision = workflow.decisions.get(record_id) if kind == "decision" else None
    return {
        "id": step.id, "title": step.title, "role": step.role, "role_title": role.title if role else step.role,
        "does": step.does,
        "paths": [{"id": path, "title": path_title(workflow, path)} for path in step.paths],
        "after": list(step.after),
        "requires": _gates(step.requires),
        "records": step.records,
        "when": step.when, "ready_when": step.ready_when,
        "due": step.due, "not_before": step.not_before, "source": step.source,
        "documents": [{"id": d, "title": document.title if (document := workflow.document(d)) else d}
                      for d in step.documents],
        "optional": step.optional, "final": step.final, "priority": step.priority,
        "marks": getattr(step, "marks", None),  # the role the code finds the step by
        "outcomes": None if decision is None else [
            {"id": key, "title": outcome.title, "when": outcome.when, "path": outcome.path,
             "path_title": path_title(workflow, outcome.path) if outcome.path else None,
             "ends": outcome.ends, "requires": _gates(outcome.requires)}
            for key, outcome in decision.outcomes.items()],
    }


def stage_outline(workflow: Workflow, stage: Stage) -> dict[str, Any]:
    return {"id": stage.id, "title": stage.title, "summary": stage.summary,
            "steps": [step_outline(workflow, step) for step in stage.steps]}


def outline(workflow: Workflow) -> dict[str, Any]:
    """The paths and the stages with their steps."""
    return {"paths": {key: path.title for key, path in workflow.paths.items()},
            "stages": [stage_outline(workflow, stage) for stage in workflow.stages]}
