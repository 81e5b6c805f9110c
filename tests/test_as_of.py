"""Judged as of its own day: `check` and the recording commands agree on every record of
every sample and scenario; what the scenario format cannot say (the header, `more`, the
command `next` offers) is tested here on the scenario folders themselves."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from reunify.core.resources import SAMPLES
from reunify.engine import evaluate
from reunify.engine.asof import case_without
from reunify.practice import recording
from reunify.practice.in_force import workflow_for
from reunify.records import load_case
from tests.conftest import Result

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
SAMPLE_DAY = dt.date(2026, 11, 23)


def _folders() -> list[tuple[Path, dt.date]]:
    found = [(folder, SAMPLE_DAY) for folder in sorted(SAMPLES.iterdir()) if (folder / "case.yaml").is_file()]
    for folder in sorted(SCENARIOS.iterdir()):
        if (folder / "expected.yaml").is_file():
            days = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))["days"]
            found.append((folder, max(day["today"] for day in days)))
    return found


def _refused(folder: Path, today: dt.date) -> set[tuple[str, int]]:
    """Every record the recording command would have refused on its own day, with the
    record itself taken away: (file, index in its list)."""
    case, _ = load_case(folder)
    assert case is not None
    workflow, _ = workflow_for(case)
    assert workflow is not None
    refused: set[tuple[str, int]] = set()
    latest = {entry.step: index for index, entry in enumerate(case.events.steps)}
    for step_id, index in latest.items():
        entry = case.events.steps[index]
        step = workflow.steps.get(step_id)
        if step is None or step.kind[0] not in ("date", "meeting"):
            continue
        if recording._blockers(case_without(case, "step", index), workflow, step, folder, entry.date, today,
                               gates=entry.override is None):
            refused.add(("events.yaml", index))
    for index, decision in enumerate(case.decisions.decisions):
        step = workflow.step_for("decision", decision.id)
        if step is not None and recording._blockers(case_without(case, "decision", index), workflow, step, folder,
                                                     decision.date, today, by=decision.by,
                                                     outcome=decision.outcome):
            refused.add(("decisions.yaml", index))
    for index, item in enumerate(case.risk.classifications):
        step = workflow.step_for("classification", item.id)
        if step is not None and recording._blockers(case_without(case, "classification", index), workflow, step,
                                                     folder, item.date, today):
            refused.add(("risk.yaml", index))
    return refused


def _reported(cli: Any, folder: Path, today: dt.date) -> set[tuple[str, int]]:
    """Every record `check` says could not have been recorded so on its day."""
    data = json.loads(cli("check", folder, "--json", "--today", today.isoformat()).out)
    found: set[tuple[str, int]] = set()
    for case in data["cases"]:
        for problem in case["problems"]:
            if " was recorded on " in problem["message"]:
                index = int(problem["field"].split("[")[1].split("]")[0])
                found.add((Path(problem["file"]).name, index))
    return found


@pytest.mark.parametrize(("folder", "today"), _folders(), ids=lambda value: getattr(value, "name", str(value)))
def test_check_and_the_recording_commands_agree_on_every_record(cli: Any, folder: Path, today: dt.date) -> None:
    assert _reported(cli, folder, today) == _refused(folder, today)


def test_some_scenarios_hold_records_the_commands_refuse() -> None:
    """The agreement above is not empty: hand-written mistakes are among the scenarios."""
    refused = {folder.name for folder, today in _folders() if _refused(folder, today)}
    assert {"route-09a-d2-by-team-manager", "route-09b-d2-before-rc1-confirmed",
            "route-09d-d3-on-unconfirmed-rc2", "44-decision-3-a-day-too-early"} <= refused, refused


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(SCENARIOS / name, folder, ignore=shutil.ignore_patterns("expected.yaml", "README.md"))
    return folder


def test_next_offers_the_ratification_of_a_recorded_decision_3(cli: Any) -> None:
    folder = SCENARIOS / "14-decision-3-awaiting-ratification"
    today = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))["days"][0]["today"]
    data = json.loads(cli("next", folder, "--json", "--today", today.isoformat()).out)
    first = data["next"][0]
    assert first["step"] == "decision_3"
    assert first["command"].startswith("reunify decide D3 --ratify --date YYYY-MM-DD --by ")
    assert "--outcome" not in first["command"]
    text = cli("next", folder, "--today", today.isoformat()).out
    assert "reunify decide D3 --ratify" in text


def test_the_header_after_leaving_care_says_where_the_child_lives(cli: Any) -> None:
    folder = SCENARIOS / "route-06a-home-after-section-20"
    days = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))["days"]
    data = json.loads(cli("next", folder, "--json", "--today", days[0]["today"].isoformat()).out)
    child = data["child"]
    assert child["legal_status"].startswith("not looked after since ")
    assert "left care: returned home as part of care planning" in child["legal_status"]
    assert child["placement"].startswith("none since ")
    assert child["lives"].startswith("at home")
    text = cli("next", folder, "--today", days[0]["today"].isoformat()).out
    assert "Legal status not looked after since" in " ".join(text.split())


def test_the_header_on_a_care_order_says_since_when(cli: Any) -> None:
    data = json.loads(cli("next", SAMPLES / "06-home-under-care-order", "--json", "--today", "2026-11-23").out)
    assert data["child"]["legal_status"] == "C2 (full care order) since 2025-08-28"
    assert data["child"]["placement"].endswith("since 2026-07-06")
    assert data["child"]["lives"].startswith("at home with parents")


def test_next_says_how_many_it_left_out_and_never_hides_a_legal_action(cli: Any) -> None:
    folder = SCENARIOS / "route-10-next-ordering"
    days = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))["days"]
    shown = False
    for day in days:
        data = json.loads(cli("next", folder, "--json", "--today", day["today"].isoformat()).out)
        status = json.loads(cli("status", folder, "--json", "--today", day["today"].isoformat()).out)
        ready = [s for stage in status["stages"] for s in stage["steps"]
                 if s["state"] == "ready" and not s["optional"]]
        assert len(data["next"]) + data["more"] == len(ready)
        urgent = {s["step"] for s in ready if s["priority"] or s["step"].startswith("decision_")}
        assert urgent <= {s["step"] for s in data["next"]}
        if data["more"]:
            shown = True
            text = cli("next", folder, "--today", day["today"].isoformat()).out
            assert f"and {data['more']} more (reunify status)" in text
    assert shown, "no day of route-10 leaves a step out"


def test_a_refused_classification_names_the_police_check_it_waits_on(cli: Any, tmp_path: Path) -> None:
    folder = _copy(tmp_path, "03-mid-assessment")
    today = yaml.safe_load((SCENARIOS / "03-mid-assessment" / "expected.yaml").read_text(encoding="utf-8"))
    day = today["days"][-1]["today"].isoformat()
    team = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))["team"]
    manager = next(member["id"] for member in team if member["role"] == "team_manager")
    result: Result = cli("classify", "RC1", folder, "--level", "medium", "--rationale", "test",
                         "--recommended-by", manager, "--date", day, "--today", day)
    assert result.code == 1
    assert "waiting: 'return_home_assessment' is not done" in result.err
    assert "which still needs: " in result.err
    assert "police check" in result.err


def test_evaluate_is_the_same_as_of_a_day_from_the_library() -> None:
    """`Facts.as_of` is the one mechanism: the case as of a day evaluates as the walkthrough does."""
    case, _ = load_case(SAMPLES / "06-home-under-care-order")
    assert case is not None
    workflow, _ = workflow_for(case)
    assert workflow is not None
    today = evaluate(case, workflow, SAMPLE_DAY)
    before = today.facts.as_of(dt.date(2026, 7, 1))
    assert before.return_date is None
    assert today.facts.return_date == dt.date(2026, 7, 6)
    assert before.placement != "P1"


def _rescind(cli: Any, folder: Path, today: str) -> dict[str, Any]:
    status = json.loads(cli("status", folder, "--json", "--today", today).out)
    step: dict[str, Any] = next(s for stage in status["stages"] for s in stage["steps"]
                                if s["step"] == "rescind_care_order")
    return step


def test_low_held_six_months_needs_a_recent_confirmed_classification(cli: Any, tmp_path: Path) -> None:
    folder = _copy(tmp_path, "route-05b-discharge-after-low-six-months")
    assert _rescind(cli, folder, "2027-01-01")["state"] == "ready"

    # Three months after RC5 nobody has looked again: the discharge waits for RC6.
    late = _rescind(cli, folder, "2027-04-05")
    assert late["state"] == "waiting"
    assert any("(RC5) is over 3 months old: classify again" in item for item in late["waiting_on"])
    data = json.loads(cli("next", folder, "--json", "--today", "2027-04-05").out)
    assert "rescind_care_order" not in [s["step"] for s in data["next"]]
    overdue = {d["rule"]: d for d in data["overdue"]}
    assert overdue["reclassify_after_return"]["what"] == "Classify the risk again (RC6)"
    assert overdue["reclassify_after_return"]["command"].startswith("reunify classify RC6 --level LEVEL")

    # A Low no manager confirmed does not count either.
    risk = folder / "risk.yaml"
    text = risk.read_text(encoding="utf-8")
    risk.write_text(text.replace("  confirmed_by: sm-bright\n  confirmed: 2026-12-31\n", ""), encoding="utf-8")
    unconfirmed = _rescind(cli, folder, "2027-01-01")
    assert unconfirmed["state"] == "waiting"
    assert any("RC5 is not confirmed by a manager" in item for item in unconfirmed["waiting_on"])
