"""The workflow file: the reference loads clean; broken copies get file:line problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from reunify.core.yamlio import Locator
from reunify.practice.in_force import load_checked
from reunify.workflow import REFERENCE

REFERENCE_TEXT = REFERENCE.read_text(encoding="utf-8")


def test_the_reference_workflow_has_five_stages_and_every_step_of_the_procedure() -> None:
    workflow, problems = load_checked(REFERENCE)
    assert workflow is not None, problems
    assert problems == []
    assert len(workflow.stages) == 5
    for step_id in ("identify", "decision_1", "assessment_planning", "chronology", "genogram",
                    "police_checks", "midpoint_supervision", "rc1_meeting", "decision_2",
                    "parental_agreement", "reunification_plan", "rc2", "decision_3", "planning_review",
                    "cpag", "return_home", "rc3", "end_involvement", "rescind_care_order", "close"):
        assert step_id in workflow.steps


def broken(tmp_path: Path, old: str, new: str) -> list[tuple[int, str]]:
    assert old in REFERENCE_TEXT
    path = tmp_path / "local.yaml"
    path.write_text(REFERENCE_TEXT.replace(old, new, 1), encoding="utf-8")
    workflow, problems = load_checked(path)
    assert workflow is None
    locator = Locator()
    return [(locator.locate(p).line or 0, p.message) for p in problems]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("after: [qaro_discussion]", "after: [qaro_discusion]", "unknown step 'qaro_discusion' (did you mean 'qaro_discussion'?)"),
        ("requires: [chronology]", "requires: [chronolgy]", "unknown gate 'chronolgy' (did you mean 'chronology'?)"),
        ("role: chronologist\n", "role: chronologer\n", "unknown role 'chronologer'"),
        ("due: within 3 months of planning_meeting", "due: within 3 months of planing_meeting",
         "the deadline counts from an unknown step 'planing_meeting'"),
        ("due: within 3 months of planning_meeting", "due: sometime soon", "expected '<n> <unit> after <step>'"),
        ("when: RC1 is medium or high", "when: RC1 is purple", "'purple' is not a value of RC1"),
        ("records: decision D1", "records: decision D9", "unknown decision 'D9'"),
        ("after: [identify]\n", "after: [supervision_discussion]\n", "steps wait for each other in a cycle"),
    ],
)
def test_a_broken_workflow_gets_a_problem_at_the_right_line(tmp_path: Path, old: str, new: str,
                                                              expected: str) -> None:
    found = broken(tmp_path, old, new)
    text = REFERENCE_TEXT.replace(old, new, 1)
    messages = [message for _, message in found]
    assert any(expected in message for message in messages), messages
    line = next(line for line, message in found if expected in message)
    assert new.strip().split(":")[0] in text.splitlines()[line - 1] or "cycle" in expected


def test_an_unknown_key_in_a_step_gets_did_you_mean(tmp_path: Path) -> None:
    found = broken(tmp_path, "        optional: true\n", "        optinal: true\n")
    expected = "unknown field (did you mean 'optional'?)"  # the key itself is not repeated
    assert any(expected in message for _, message in found)
    line = next(line for line, message in found if expected in message)
    assert (REFERENCE_TEXT.replace("        optional: true\n", "        optinal: true\n", 1)
            .splitlines()[line - 1].strip() == "optinal: true")


def test_every_command_is_in_the_readme() -> None:
    from reunify.cli import app
    from reunify.cli.commands import load_all

    load_all()
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    names = [command.name or (command.callback.__name__ if command.callback else "") for command in app.registered_commands]
    assert len(names) >= 8
    for name in names:
        assert f"`reunify {name}" in readme, name
