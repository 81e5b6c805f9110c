"""The engine's state as values, step roles marked in the workflow, the profile handed in.

Why a step waits or does not apply and where the case stands are values the commands
branch on (their words are unchanged); the steps the code needs are found by their
`marks:`, so a local workflow may rename them; a case.yaml naming a workflow that does
not exist is an error even under a caseload profile. Every case here is fictional.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reunify.core.resources import WORKFLOWS
from reunify.core.yamlio import load_file
from tests.conftest import ROOT
from tests.conftest import Result

Cli = Callable[..., Result]
SCENARIOS = ROOT / "tests" / "scenarios"

# The return step renamed: every step that named it names the new one.
RENAMED = """\
extends: reference
id: northshire
title: Northshire reunification workflow (fictional)
steps:
  return_home: {remove: true}
  rc3: {after: [home_again], due: 6 months after home_again, not_before: 5 months after home_again}
  six_month_review: {after: [home_again], due: 6 months after home_again, not_before: 5 months after home_again}
  end_involvement: {not_before: 12 months after home_again}
  escalate_risk: {after: [home_again]}
  breakdown: {after: [home_again]}
add:
  - stage: return_home
    before: rc3
    id: home_again
    marks: return_home
    title: Record the day the child went home
    role: social_worker
    after: [cpag, decision_1]
    path: [return, home]
    requires: [return_recorded, return_support]
"""


def _steps(cli: Cli, folder: Path, today: str) -> dict[str, dict[str, Any]]:
    result = cli("status", folder, "--json", today=today)
    assert result.code == 0, result.out + result.err
    data = json.loads(result.out)
    return {step["step"]: step for stage in data["stages"] for step in stage["steps"]}


def _caseload(tmp_path: Path, scenario: str, workflow: str) -> Path:
    """The scenario's case in a caseload whose profile names `local.yaml`, holding `workflow`."""
    caseload = tmp_path / "caseload"
    caseload.mkdir()
    (caseload / "local.yaml").write_text(workflow, encoding="utf-8")
    (caseload / "reunify.yaml").write_text("# A caseload profile (fictional).\nworkflow: local.yaml\n",
                                           encoding="utf-8")
    case = caseload / "lily"
    shutil.copytree(SCENARIOS / scenario, case, ignore=shutil.ignore_patterns("expected.yaml", "README.md"))
    return case


def test_a_closed_case_has_nothing_next_and_says_it_is_closed(cli: Cli) -> None:
    folder = SCENARIOS / "23-closed"
    result = cli("next", folder, today="2027-11-04")
    assert result.code == 0, result.err
    assert "Nothing to do: the reunification episode is closed." in result.out
    data = json.loads(cli("status", folder, "--json", today="2027-11-04").out)
    assert data["case_status"] == "closed"
    assert data["status"] == "closed"
    assert json.loads(cli("status", SCENARIOS / "22-close-next", "--json", today="2027-11-04").out)[
        "case_status"] == "in_progress"


def test_status_json_says_why_a_step_waits_and_why_one_does_not_apply(cli: Cli) -> None:
    steps = _steps(cli, SCENARIOS / "40-rc3-not-before-five-months", "2026-08-30")
    rc3 = steps["rc3"]
    assert rc3["state"] == "waiting"
    assert rc3["waiting_on"] == ["not before 2026-08-31 (5 months after return_home)"]
    assert rc3["waiting_why"] == ["not_before"]
    assert steps["rescind_care_order"]["not_applicable"] == "condition"
    assert steps["rescind_care_order"]["reason"] == "only when legal status is C1 or C2"
    assert steps["breakdown"]["not_applicable"] == "path"
    assert "not_applicable" not in rc3 and "waiting_why" not in steps["identify"]

    waiting = _steps(cli, SCENARIOS / "13-rc1-low-no-rc2", "2026-08-10")
    assert waiting["rc2"]["not_applicable"] == "condition"
    assert waiting["communicate_decision"]["waiting_why"] == ["step"]


def test_a_renamed_step_carrying_the_mark_still_records_the_return(cli: Cli, tmp_path: Path) -> None:
    case = _caseload(tmp_path, "18-return-home-next", RENAMED)
    check = cli("workflow", "check", case.parent / "local.yaml", today=None)
    assert check.code == 0, check.out + check.err

    result = cli("return-home", case, "--date", "2026-10-15", today="2026-10-15")
    assert result.code == 0, result.out + result.err
    assert "'home_again' (Record the day the child went home) done" in " ".join(result.out.split())
    events = load_file(case / "events.yaml").data
    assert dict(events["steps"][-1])["step"] == "home_again"

    # The return counts: the time rules after it run from its day, and it is a key date.
    data = json.loads(cli("status", case, "--json", today="2026-10-16").out)
    assert ["2026-10-15", "Record the day the child went home"] in [[d["date"], d["what"]]
                                                                    for d in data["key_dates"]]
    steps = {step["step"]: step for stage in data["stages"] for step in stage["steps"]}
    assert steps["home_again"]["state"] == "done"
    assert steps["rc3"]["due"] == "2027-04-15"
    assert any(d["what"] == "Support after the return continues" and d["date"] == "2027-10-15"
               for d in data["deadlines"])
    text = cli("status", case, today="2026-10-16").out
    assert "Lives at home (Rachel's home) since 2026-10-15" in text


def test_workflow_check_reports_a_missing_or_repeated_mark_where_it_is(cli: Cli, tmp_path: Path) -> None:
    whole = tmp_path / "whole.yaml"
    text = (WORKFLOWS / "reference.yaml").read_text(encoding="utf-8")
    whole.write_text(text.replace("        marks: return_home\n", ""), encoding="utf-8")
    line = whole.read_text(encoding="utf-8").splitlines().index("      - id: return_home") + 1
    result = cli("workflow", "check", whole, today=None)
    assert result.code == 1
    assert re.search(rf"whole\.yaml:{line}:\d+: error: no step is marked 'return_home'", result.out), result.out
    assert "add 'marks: return_home' to the step that records the child's return home" in result.out

    local = tmp_path / "local.yaml"
    local.write_text("extends: reference\nid: northshire\ntitle: Northshire (fictional)\nsteps:\n"
                     "  return_home: {marks: null}\n", encoding="utf-8")
    result = cli("workflow", "check", local, today=None)
    assert result.code == 1
    assert re.search(r"local\.yaml:5:\d+: error: .*no step is marked 'return_home'", result.out), result.out

    local.write_text("extends: reference\nid: northshire\ntitle: Northshire (fictional)\nsteps:\n"
                     "  rc3: {marks: return_home}\n", encoding="utf-8")
    result = cli("workflow", "check", local, today=None)
    assert result.code == 1
    assert re.search(r"local\.yaml:5:\d+: error: 'return_home' marks step 'return_home' already", result.out)

    local.write_text("extends: reference\nid: northshire\ntitle: Northshire (fictional)\nsteps:\n"
                     "  rc3: {marks: return_hom}\n", encoding="utf-8")
    result = cli("workflow", "check", local, today=None)
    assert result.code == 1
    assert re.search(r"local\.yaml:5:\d+: error: .*did you mean 'return_home'", result.out), result.out


def test_a_case_naming_an_unknown_workflow_is_an_error_under_a_profile(cli: Cli, tmp_path: Path) -> None:
    case = _caseload(tmp_path, "18-return-home-next", "extends: reference\nid: northshire\ntitle: Northshire\n")
    assert cli("next", case, today="2026-10-15").code == 0
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(text + "workflow: referense\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    for command in ("next", "status", "check"):
        result = cli(command, case, today="2026-10-15")
        assert result.code == 1, (command, result.out, result.err)
        shown = result.out + result.err
        assert re.search(rf"case\.yaml:{line}:\d+: error: unknown workflow \(did you mean 'reference'\?\)", shown), \
            (command, shown)
        assert "Traceback" not in shown
