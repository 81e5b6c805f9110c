"""Which workflow a case follows, loaded once per process and checked against the gates.

The caseload profile is the caller's to find (`load_profile`) and hand in: what is found
here from a case is only the workflow that profile and the case name."""

from __future__ import annotations

import functools
from pathlib import Path

from reunify.core.files import FileCache
from reunify.core.problems import Problem
from reunify.core.resources import WORKFLOWS
from reunify.engine.gates import gate_args
from reunify.practice.profile import FoundProfile
from reunify.practice.profile import Profile
from reunify.practice.profile import load_profile
from reunify.records import Case
from reunify.records.validation import did_you_mean
from reunify.workflow import Workflow
from reunify.workflow import load_workflow


def _load(path: Path) -> tuple[Workflow | None, list[Problem]]:
    return load_workflow(path, gate_args())


_workflows = FileCache(_load)


def load_checked(path: Path) -> tuple[Workflow | None, list[Problem]]:
    """Load a workflow file with gate names checked; cached while the file is unchanged."""
    try:
        return _workflows.get(path)
    except OSError:
        return _load(path)


@functools.cache
def bundled() -> list[str]:
    return sorted(p.stem for p in WORKFLOWS.glob("*.yaml"))


def workflow_for(case: Case, profile: FoundProfile | None = None) -> tuple[Workflow | None, list[Problem]]:
    """The workflow the case follows: its caseload profile's (`profile`, as `load_profile`
    found it; looked for from the case's folder when not given), else the one case.yaml
    names. A case.yaml naming a workflow that does not exist is an error either way."""
    workflow, problems, _ = workflow_in_force(case.folder, case.case.workflow, case.file("case.yaml"), profile)
    return workflow, problems


def with_labels(workflow: Workflow, profile: Profile) -> tuple[Workflow | None, list[Problem]]:
    """The workflow with the profile's local labels for risk levels and roles."""
    labels = profile.settings.labels
    problems = [Problem(profile.path, ("labels", "roles", role), f"unknown role '{role}'"
                        + did_you_mean(role, list(workflow.roles)), code="profile")
                for role in labels.roles if role not in workflow.roles]
    if problems:
        return None, problems
    if not labels.levels and not labels.roles:
        return workflow, []
    key = (id(workflow), profile.path, repr(labels))
    if key not in _labelled:
        levels = {k: v.model_copy(update={"label": labels.levels[k]}) if k in labels.levels else v
                  for k, v in workflow.risk_levels.items()}
        roles = {k: v.model_copy(update={"title": labels.roles[k]}) if k in labels.roles else v
                 for k, v in workflow.roles.items()}
        _labelled[key] = (workflow, workflow.model_copy(update={"risk_levels": levels, "roles": roles}))
    return _labelled[key][1], []


_labelled: dict[tuple[int, Path, str], tuple[Workflow, Workflow]] = {}


def workflow_in_force(folder: Path, name: str = "reference", named_in: Path | None = None,
                      found: FoundProfile | None = None) -> tuple[Workflow | None, list[Problem], Path]:
    """The workflow a caseload folder (or a case in it) follows, its problems, and its file.

    The caseload profile's workflow, with its labels, when there is a profile naming one;
    else the bundled workflow `name` (named in the file `named_in`, for its problem). `found`:
    the profile as the caller found it (`load_profile`), else it is looked for from `folder`.
    """
    profile, problems = found if found is not None else load_profile(folder)
    if name not in bundled():  # named in case.yaml: wrong whatever the profile names
        return None, [*problems, Problem(named_in or folder, ("workflow",), "unknown workflow"
                                         + did_you_mean(name, bundled()),
                                         hint="workflows: " + ", ".join(bundled()), code="workflow")], folder
    if any(p.is_error for p in problems):
        return None, problems, profile.path if profile else folder
    local = profile.workflow_file if profile is not None else None
    if local is not None:
        assert profile is not None
        path = local
        if not path.is_file():
            return None, [*problems, Problem(profile.path, ("workflow",), "no such workflow file",
                                             hint="a path relative to reunify.yaml, or 'reference'",
                                             code="profile")], path
    else:
        path = WORKFLOWS / f"{name}.yaml"
    workflow, in_file = load_checked(path)
    problems = problems + in_file
    if workflow is not None and profile is not None:
        workflow, labelled = with_labels(workflow, profile)
        problems = problems + labelled
    return workflow, problems, path
