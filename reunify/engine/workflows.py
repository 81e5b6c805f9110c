"""Which workflow a case follows, loaded once per process and checked against the gates."""

from __future__ import annotations

from pathlib import Path

from reunify.engine.gates import gate_args
from reunify.problems import Problem
from reunify.records import Case
from reunify.records.validation import did_you_mean
from reunify.workflow import Workflow
from reunify.workflow import load_workflow
from reunify.workflow.load import WORKFLOWS

_cache: dict[tuple[Path, float], tuple[Workflow | None, list[Problem]]] = {}


def load_checked(path: Path) -> tuple[Workflow | None, list[Problem]]:
    """Load a workflow file with gate names checked; cached while the file is unchanged."""
    try:
        key = (path.resolve(), path.stat().st_mtime)
    except OSError:
        return load_workflow(path, gate_args())
    if key not in _cache:
        _cache[key] = load_workflow(path, gate_args())
    return _cache[key]


def bundled() -> list[str]:
    return sorted(p.stem for p in WORKFLOWS.glob("*.yaml"))


def workflow_for(case: Case) -> tuple[Workflow | None, list[Problem]]:
    name = case.case.workflow
    path = WORKFLOWS / f"{name}.yaml"
    if not path.is_file():
        problem = Problem(case.file("case.yaml"), ("workflow",), f"unknown workflow '{name}'"
                          + did_you_mean(name, bundled()), hint="workflows: " + ", ".join(bundled()),
                          code="workflow")
        return None, [problem]
    return load_checked(path)
