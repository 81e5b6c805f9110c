"""Local adaptation, as a user meets it: a caseload profile, a local workflow, fidelity.

A caseload folder made with `reunify init` names a local workflow (Northshire's,
fictional) that renames the team manager, drops the mid-point supervision, gives the
planning review six months instead of three and adds a family network meeting. Every
command run on a case below it follows that workflow; `fidelity` and `workflow diff`
name every departure; broken local workflows and profiles get file:line errors in the
file the user wrote. Everything runs on real files under tmp_path.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import shutil
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from reunify.practice.in_force import load_checked
from reunify.workflow import REFERENCE
from tests.conftest import SAMPLES
from tests.conftest import Result
from tests.conftest import snapshot
from tests.test_documents import joined
from tests.test_documents import open_docx
from tests.test_documents import table_rows

Cli = Callable[..., Result]
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE_03 = SAMPLES / "03-medium-agreement-review"
SAMPLE_05 = SAMPLES / "05-severe-permanence"

LOCAL_WORKFLOW = """\
# Northshire's local workflow (fictional): only what differs from the reference.
extends: reference
id: northshire
title: Northshire reunification workflow
roles:
  team_manager: {title: Practice manager}
steps:
  midpoint_supervision: {remove: true}
  planning_review: {due: within 6 months of planning_meeting}
add:
  - stage: agreement
    before: parental_agreement
    id: family_network_meeting
    title: Family network meeting
    role: social_worker
    after: [planning_meeting]
"""

WORKFLOW_TITLE = "Northshire reunification workflow"
LOCAL_STEP = "family_network_meeting"
LOCAL_STEP_TITLE = "Family network meeting"
ROLE_TITLE = "Practice manager"


# -- helpers -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_profile_above(tmp_path: Path) -> None:
    """A reunify.yaml in /tmp or / would leak into every test: the search walks up to the root."""
    leaks = [p / "reunify.yaml" for p in (tmp_path, *tmp_path.parents) if (p / "reunify.yaml").exists()]
    assert leaks == [], f"a caseload profile above the test folders would apply to every case: {leaks}"


def normalise(text: str) -> str:
    return " ".join(text.split())


def line_of(text: str, pattern: str) -> int:
    """The line (from 1) where `pattern` (a regular expression, ^ at line starts) first matches."""
    found = re.search(pattern, text, re.MULTILINE)
    assert found is not None, pattern
    return text[: found.start()].count("\n") + 1


def add_months(day: dt.date, months: int) -> dt.date:
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def step_date(case: Path, step_id: str) -> dt.date:
    """When the case's events.yaml records `step_id` as done."""
    events = yaml.safe_load((case / "events.yaml").read_text(encoding="utf-8"))
    dates = [entry["date"] for entry in events["steps"] if entry["step"] == step_id]
    assert len(dates) == 1 and isinstance(dates[0], dt.date), dates
    return dates[0]


def golden_output(sample: str, command: str, folder: Path | None = None) -> str:
    """The output part of a golden file (after the command line and the exit code); the
    commands it shows name `folder` instead of the sample's folder, when given."""
    text = (GOLDEN / f"{sample}.{command}.txt").read_text(encoding="utf-8")
    first, second, rest = text.split("\n", 2)
    assert first.startswith("$ reunify") and second == "[exit 0]"
    return rest.replace(f"sample_cases/{sample}", str(folder)) if folder is not None else rest


def error_lines(result: Result) -> list[str]:
    return [line for line in (result.out + result.err).splitlines() if ": error: " in line]


def located(file: Path, line: int, fragment: str) -> str:
    """A regular expression for `FILE:LINE:COL: error: ...fragment...`."""
    return rf"^{re.escape(str(file))}:{line}:\d+: error: .*{re.escape(fragment)}"


def as_json(result: Result) -> Any:
    assert result.code == 0, result.out + result.err
    return json.loads(result.out)


@dataclass(frozen=True)
class Caseload:
    folder: Path
    profile: Path
    workflow: Path
    case: Path


def northshire(tmp_path: Path, cli: Cli) -> Caseload:
    """A caseload made with `reunify init`, following the local workflow, with sample 03 in it."""
    folder = tmp_path / "northshire"
    made = cli("init", folder, "--no-git", today=None)
    assert made.code == 0, made.out + made.err
    profile = folder / "reunify.yaml"
    text = profile.read_text(encoding="utf-8")
    assert "\nworkflow: reference\n" in text
    profile.write_text(text.replace("\nworkflow: reference\n", "\nworkflow: northshire.yaml\n"), encoding="utf-8")
    workflow = folder / "northshire.yaml"
    workflow.write_text(LOCAL_WORKFLOW, encoding="utf-8")
    case = folder / "maisie"
    shutil.copytree(SAMPLE_03, case)
    # The mid-point supervision no longer exists here: drop its entry and its timetable date.
    events = case / "events.yaml"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if "midpoint_supervision" not in line]
    assert len(lines) - len(kept) == 2
    events.write_text("".join(kept), encoding="utf-8")
    return Caseload(folder, profile, workflow, case)


@pytest.fixture
def caseload(tmp_path: Path, cli: Cli) -> Caseload:
    return northshire(tmp_path, cli)


def plain_case(tmp_path: Path, sample: Path = SAMPLE_03) -> Path:
    """A copy of a sample with no caseload profile anywhere above it."""
    case = tmp_path / "plain" / sample.name
    shutil.copytree(sample, case)
    return case


def reference_step_count() -> int:
    workflow, problems = load_checked(REFERENCE)
    assert workflow is not None, problems
    return len(workflow.steps)


def fidelity_statuses(text: str) -> list[str]:
    """The Status column of the text fidelity table, one entry per core element, in order."""
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Core element") and "Status" in line)
    column = lines[header].index("Status")
    statuses = []
    for line in lines[header + 1:]:
        if not line.strip():
            break
        word = line[column:].split(" ", 1)[0]
        if word:
            statuses.append(word)
    return statuses


def expected_score(data: dict[str, Any]) -> float:
    """What the kept/changed/removed counts imply: kept 1, changed 1/2, removed 0."""
    return 100 * (float(data["kept"]) + float(data["changed"]) / 2) / len(data["elements"])


# -- 1. the scenario: a caseload following a local workflow ------------------------


def test_the_caseload_case_is_valid_under_the_local_workflow(caseload: Caseload, cli: Cli) -> None:
    result = cli("check", caseload.case)
    assert result.code == 0, result.out + result.err
    assert "no problems" in result.out


def test_next_follows_the_local_workflow(caseload: Caseload, cli: Cli) -> None:
    result = cli("next", caseload.case)
    assert result.code == 0, result.out + result.err
    text = result.out
    assert f"{ROLE_TITLE}: Jackie Moorcroft" in text
    assert "Team manager" not in text
    assert LOCAL_STEP_TITLE in text and f"reunify done {LOCAL_STEP} " in text
    assert "mid-point" not in text.lower() and "midpoint" not in text.lower()

    due = add_months(step_date(caseload.case, "planning_meeting"), 6)
    found = re.search(r"^\d+\. Reunification planning review\s+due (\S+)", text, re.MULTILINE)
    assert found is not None, text
    assert found.group(1) == due.isoformat()

    data = as_json(cli("next", caseload.case, "--json"))
    by_step = {item["step"]: item for item in data["next"]}
    assert by_step[LOCAL_STEP]["state"] == "ready"
    assert by_step[LOCAL_STEP]["title"] == LOCAL_STEP_TITLE
    review = by_step["planning_review"]
    assert review["due"] == due.isoformat()
    assert review["due_rule"] == "within 6 months of planning_meeting"
    managed = [item for item in data["next"] if item["role"] == "team_manager"]
    assert managed and all(item["role_title"] == ROLE_TITLE for item in managed)


def test_status_follows_the_local_workflow(caseload: Caseload, cli: Cli) -> None:
    result = cli("status", caseload.case)
    assert result.code == 0, result.out + result.err
    text = result.out
    lines = text.splitlines()
    assert "Mid-point supervision" not in text and "midpoint" not in text.lower()
    # The local step sits in stage 3, where `before:` put it, and is ready.
    position = {title: next(i for i, line in enumerate(lines) if line.startswith(title))
                for title in ("3. Parental agreement", "Reunification planning meeting", LOCAL_STEP_TITLE,
                              "Agree SMART goals with the parents", "4. Classify the risk again")}
    assert list(position.values()) == sorted(position.values())
    assert lines[position[LOCAL_STEP_TITLE]].split()[-1] == "ready"

    planning_meeting = step_date(caseload.case, "planning_meeting")
    due = add_months(planning_meeting, 6)
    deadline = re.search(r"^due (\S+)\s+Reunification planning review\s+(.*)$", text, re.MULTILINE)
    assert deadline is not None, text
    assert deadline.group(1) == due.isoformat()
    assert deadline.group(2).startswith("within 6 months of")
    assert add_months(planning_meeting, 3).isoformat() not in text  # the reference's limit

    data = as_json(cli("status", caseload.case, "--json"))
    steps = [step for stage in data["stages"] for step in stage["steps"]]
    assert "midpoint_supervision" not in {step["step"] for step in steps}
    agreement = next(stage for stage in data["stages"] if stage["id"] == "agreement")
    ids = [step["step"] for step in agreement["steps"]]
    assert ids.index(LOCAL_STEP) == ids.index("planning_meeting") + 1
    assert ids.index(LOCAL_STEP) == ids.index("parental_agreement") - 1
    managed = [step for step in steps if step["role"] == "team_manager"]
    assert managed and {step["role_title"] for step in managed} == {ROLE_TITLE}
    review = next(d for d in data["deadlines"] if d["step"] == "planning_review")
    assert review["date"] == due.isoformat()
    assert review["rule_text"] == "within 6 months of planning_meeting"


def test_render_follows_the_local_workflow(caseload: Caseload, cli: Cli, tmp_path: Path) -> None:
    when = dt.date(2026, 9, 1)
    done = cli("done", LOCAL_STEP, caseload.case, "--date", when.isoformat(), "--by", "sw-mistry")
    assert done.code == 0, done.out + done.err
    out = tmp_path / "rendered"
    result = cli("render", caseload.case, "--out", out)
    assert result.code == 0, result.out + result.err
    written = sorted(out.glob("*.docx"))
    assert out / "monitoring_form.docx" in written

    # The monitoring form lists the steps done: the local one, in its stage, and no mid-point supervision.
    rows = table_rows(out / "monitoring_form.docx")
    assert ("Parental agreement and support", LOCAL_STEP_TITLE, long_date(when), "Hannah Mistry", "") in rows
    assert not any("Mid-point supervision" in cell for row in rows for cell in row)
    for path in written:
        assert "Mid-point supervision" not in joined(path), path.name


def test_rendered_documents_show_the_local_role_title(caseload: Caseload, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    result = cli("render", caseload.case, "--out", out, "--doc", "monitoring_form")
    assert result.code == 0, result.out + result.err
    rows = table_rows(out / "monitoring_form.docx")
    assert (ROLE_TITLE, "Jackie Moorcroft") in rows
    assert ("Team manager", "Jackie Moorcroft") not in rows


def test_fidelity_names_every_departure(caseload: Caseload, cli: Cli) -> None:
    data = as_json(cli("fidelity", caseload.case, "--json", today=None))
    assert Path(data["workflow"]).resolve() == caseload.workflow.resolve()
    assert data["title"] == WORKFLOW_TITLE
    elements = {item["id"]: item for item in data["elements"]}
    assert elements["midpoint_supervision"]["status"] == "removed"
    review = elements["planning_review"]
    assert review["status"] == "changed"
    assert "within 6 months of planning_meeting" in review["detail"]
    assert "within 3 months of planning_meeting" in review["detail"]
    assert data["additions"] == [LOCAL_STEP]
    expected_changes = {
        "removed step 'midpoint_supervision'",
        "step 'planning_review': due within 3 months of planning_meeting -> within 6 months of planning_meeting",
        f"added step '{LOCAL_STEP}'",
        f"role 'team_manager': title Team manager -> {ROLE_TITLE}",
    }
    assert expected_changes <= set(data["changes"])

    # The counts are the statuses; the score is what the counts imply, and below 100.
    statuses = [item["status"] for item in data["elements"]]
    assert (data["kept"], data["changed"], data["removed"]) == tuple(
        statuses.count(s) for s in ("kept", "changed", "removed"))
    assert data["kept"] + data["changed"] + data["removed"] == len(statuses)
    score = expected_score(data)
    assert data["score"] == round(score, 1)
    assert data["score"] < 100

    # The text report says the same, from the caseload folder itself.
    result = cli("fidelity", caseload.folder, today=None)
    assert result.code == 0, result.out + result.err
    assert result.out.startswith(f"Fidelity of {WORKFLOW_TITLE}")
    assert fidelity_statuses(result.out) == statuses
    midpoint_row = next(line for line in result.out.splitlines() if line.startswith("Mid-point supervision"))
    assert "removed" in midpoint_row
    text = normalise(result.out)
    assert f"Local additions: {LOCAL_STEP}" in text
    for change in data["changes"]:
        assert f"- {change}" in text
    assert (f"Fidelity {score:.0f}%: {data['kept']} kept, {data['changed']} changed, {data['removed']} removed "
            f"of {len(statuses)} core elements") in text

    # --workflow FILE reports on the file alone, wherever it is run.
    direct = as_json(cli("fidelity", caseload.case, "--workflow", caseload.workflow, "--json", today=None))
    assert direct["elements"] == data["elements"] and direct["changes"] == data["changes"]


def test_fidelity_of_the_reference_workflow_is_100(cli: Cli, tmp_path: Path) -> None:
    case = plain_case(tmp_path)
    data = as_json(cli("fidelity", case, "--json", today=None))
    assert data["score"] == 100
    assert data["kept"] == len(data["elements"]) > 0
    assert (data["changed"], data["removed"]) == (0, 0)
    assert {item["status"] for item in data["elements"]} == {"kept"}
    assert data["changes"] == [] and data["additions"] == []

    result = cli("fidelity", case, today=None)
    assert result.code == 0, result.out + result.err
    assert f"Fidelity 100%: {len(data['elements'])} kept, 0 changed, 0 removed" in result.out
    assert "Every difference" not in result.out and "Local additions" not in result.out

    same = as_json(cli("fidelity", case, "--workflow", REFERENCE, "--json", today=None))
    assert same["score"] == 100 and same["changes"] == []


def test_fidelity_docx_is_a_word_document_with_every_element(caseload: Caseload, cli: Cli, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    data = as_json(cli("fidelity", caseload.case, "--json", today=None))
    monkeypatch.chdir(tmp_path)  # a short path: a long one is wrapped at 80 columns
    report = tmp_path / "fidelity.docx"
    result = cli("fidelity", caseload.case, "--docx", report.name, today=None)
    assert result.code == 0, result.out + result.err
    assert f"Wrote {report.name}" in result.out.splitlines()
    assert stat.S_IMODE(report.stat().st_mode) == 0o600

    document = open_docx(report)
    assert document.core_properties.title == f"Fidelity of {WORKFLOW_TITLE}"
    rows = table_rows(document)
    assert ("Core element", "Status", "In this workflow", "Why it matters") in rows
    for item in data["elements"]:
        row = (item["title"], item["status"].capitalize(), item["detail"], item["why"])
        assert row in rows, row
    assert ("Mid-point supervision on the draft assessment", "Removed") in {row[:2] for row in rows}
    text = joined(document)
    assert f"{expected_score(data):.0f}%" in text
    assert f"{LOCAL_STEP_TITLE} ({LOCAL_STEP})" in text
    for change in data["changes"]:
        assert change in text


def test_workflow_show_in_the_caseload(caseload: Caseload, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(caseload.folder)
    result = cli("workflow", "show", today=None)
    assert result.code == 0, result.out + result.err
    text = result.out
    assert text.startswith(WORKFLOW_TITLE)
    assert ROLE_TITLE in text and "Team manager" not in text
    assert LOCAL_STEP_TITLE in text and LOCAL_STEP in text
    assert "Mid-point supervision" not in text and "midpoint_supervision" not in text

    # From a case in the caseload, the same workflow.
    data = as_json(cli("workflow", "show", caseload.case, "--json", today=None))
    assert Path(data["file"]).resolve() == caseload.workflow.resolve()
    assert data["title"] == WORKFLOW_TITLE
    assert data["roles"]["team_manager"] == ROLE_TITLE
    steps = {step["id"]: step for stage in data["stages"] for step in stage["steps"]}
    assert "midpoint_supervision" not in steps
    assert steps["planning_review"]["due"] == "within 6 months of planning_meeting"
    assert steps[LOCAL_STEP]["after"] == ["planning_meeting"]
    assert "midpoint_supervision" not in steps["return_home_assessment"]["after"]


def test_workflow_diff_lists_the_same_differences(caseload: Caseload, cli: Cli) -> None:
    changes = as_json(cli("fidelity", caseload.case, "--json", today=None))["changes"]
    result = cli("workflow", "diff", "--in", caseload.folder, today=None)
    assert result.code == 0, result.out + result.err
    text = normalise(result.out)
    assert text.startswith(f"{WORKFLOW_TITLE} against the reference: {len(changes)} differences")
    for change in changes:
        assert f"- {change}" in text

    data = as_json(cli("workflow", "diff", caseload.workflow, "--json", today=None))
    assert len(data["changes"]) == len(changes)
    found = {(c["kind"], c["part"], c["name"], c["field"], json.dumps(c["before"]), json.dumps(c["after"]))
             for c in data["changes"]}
    assert ("removed", "step", "midpoint_supervision", None, "null", "null") in found
    assert ("added", "step", LOCAL_STEP, None, "null", "null") in found
    assert ("changed", "step", "planning_review", "due", '"within 3 months of planning_meeting"',
            '"within 6 months of planning_meeting"') in found
    assert ("changed", "role", "team_manager", "title", '"Team manager"', f'"{ROLE_TITLE}"') in found


def test_workflow_check_accepts_the_local_workflow(caseload: Caseload, cli: Cli,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(caseload.folder)  # a short path: a long one is wrapped at 80 columns
    result = cli("workflow", "check", caseload.workflow.name, today=None)
    assert result.code == 0, result.out + result.err
    # One step removed, one added: as many steps as the reference.
    assert f"{caseload.workflow.name}: valid: 5 stages, {reference_step_count()} steps" in result.out
    assert error_lines(result) == []


# -- 2. broken local workflows: file:line errors in the local file -------------------------


HEAD = "# A broken local workflow (fictional).\nextends: reference\n"
ADDED = """\
  - stage: agreement
    id: family_network_meeting
    title: Family network meeting
    role: social_worker
    after: [planning_meeting]
"""

BROKEN: list[tuple[str, str, tuple[str, ...], str]] = [
    # (id, file text, where the error belongs (one of these lines), what the message says)
    ("unknown-step-in-after", HEAD + "add:\n" + ADDED.replace("[planning_meeting]", "[planning_meting]"),
     (r"after: \[planning_meting\]",), "unknown step 'planning_meting' (did you mean 'planning_meeting'?)"),
    ("cycle-of-reference-steps", HEAD + "steps:\n  genogram: {after: [police_checks]}\n"
     "  police_checks: {after: [genogram]}\n",
     (r"^  genogram:", r"^  police_checks:"), "steps wait for each other in a cycle"),
    ("cycle-through-an-added-step", HEAD + "steps:\n  planning_meeting: {after: [family_network_meeting]}\n"
     "add:\n" + ADDED,
     (r"^  planning_meeting:", r"after: \[planning_meeting\]"), "steps wait for each other in a cycle"),
    ("deadline-from-a-missing-step", HEAD + "add:\n" + ADDED + "    due: 2 weeks after no_such_step\n",
     (r"due: 2 weeks after no_such_step",), "the deadline counts from an unknown step 'no_such_step'"),
    ("removed-step-a-deadline-counts-from", HEAD + "steps:\n  planning_meeting: {remove: true}\n",
     (r"^  planning_meeting: \{remove",), "'planning_meeting' is removed here"),
    ("unknown-gate", HEAD + "add:\n" + ADDED + "    requires: [no_such_gate]\n",
     (r"requires: \[no_such_gate\]",), "unknown gate 'no_such_gate'"),
    ("unknown-top-level-key", HEAD + "title: Northshire\nstep:\n  midpoint_supervision: {remove: true}\n",
     (r"^step:",), "unknown key 'step' (did you mean 'steps'?)"),
    ("unknown-stage", HEAD + "add:\n" + ADDED.replace("stage: agreement", "stage: agreemnt"),
     (r"stage: agreemnt",), "unknown stage 'agreemnt' (did you mean 'agreement'?)"),
]


@pytest.mark.parametrize(("text", "where", "fragment"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_workflow_check_places_the_error_in_the_local_file(text: str, where: tuple[str, ...], fragment: str,
                                                            cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(text, encoding="utf-8")
    result = cli("workflow", "check", local, today=None)
    assert result.code == 1, result.out + result.err
    errors = error_lines(result)
    assert len(errors) == 1, result.out + result.err
    lines = {line_of(text, pattern) for pattern in where}
    assert any(re.search(located(local, line, fragment), errors[0]) for line in lines), (errors, lines)
    assert "1 error in" in result.out


@pytest.mark.parametrize(("text", "where", "fragment"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_next_on_a_case_shows_the_local_workflow_error(text: str, where: tuple[str, ...], fragment: str,
                                                       cli: Cli, make_case: Callable[..., Path],
                                                       tmp_path: Path) -> None:
    folder = tmp_path / "caseload"
    folder.mkdir()
    local = folder / "local.yaml"
    local.write_text(text, encoding="utf-8")
    (folder / "reunify.yaml").write_text("# A caseload profile (fictional).\nworkflow: local.yaml\n",
                                         encoding="utf-8")
    case = make_case("caseload/ella")
    result = cli("next", case)
    assert result.code == 1, result.out + result.err
    errors = error_lines(result)
    assert len(errors) == 1, result.out + result.err
    lines = {line_of(text, pattern) for pattern in where}
    assert any(re.search(located(local.resolve(), line, fragment), errors[0]) for line in lines), (errors, lines)
    assert "Traceback" not in result.out + result.err


# -- 3. the profile --------------------------------------------------------------------------


def test_init_creates_an_owner_only_caseload_with_a_commented_profile(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "authority" / "cases"
    result = cli("init", folder, "--no-git", today=None)
    assert result.code == 0, result.out + result.err
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    profile = folder / "reunify.yaml"
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600
    text = profile.read_text(encoding="utf-8")
    assert text.startswith("#") and sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) >= 10
    assert re.search(r"^workflow: reference$", text, re.MULTILINE)
    assert re.search(r"^  commit: false$", text, re.MULTILINE)  # no repository, so nothing to commit to
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "documents/" in ignored
    assert not (folder / ".git").exists()
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "reunify.yaml"]

    # The profile as written changes nothing: a case in it reads as the golden output says.
    shutil.copytree(SAMPLE_03, folder / SAMPLE_03.name)
    shown = cli("next", folder / SAMPLE_03.name)
    assert shown.code == 0, shown.out + shown.err
    assert shown.out == golden_output(SAMPLE_03.name, "next", folder / SAMPLE_03.name)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed: init cannot make a repository")
def test_init_makes_a_git_repository_that_ignores_documents(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    result = cli("init", folder, today=None)
    assert result.code == 0, result.out + result.err
    assert (folder / ".git").is_dir()
    assert "Made it a git repository: recording commands commit what they write" in " ".join(result.out.split())
    assert re.search(r"^  commit: true$", (folder / "reunify.yaml").read_text(encoding="utf-8"), re.MULTILINE)
    git = shutil.which("git")
    assert git is not None
    check = subprocess.run([git, "-C", str(folder), "check-ignore", "-q", "documents/monitoring_form.docx"],
                           capture_output=True, check=False, timeout=30)
    assert check.returncode == 0, check.stderr


def test_init_accepts_an_empty_folder(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir(mode=0o755)
    result = cli("init", folder, "--no-git", today=None)
    assert result.code == 0, result.out + result.err
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / "reunify.yaml").is_file()


def test_init_refuses_a_folder_that_is_not_empty(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("fictional notes\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = cli("init", folder, "--no-git", today=None)
    assert result.code == 2
    assert "already exists and is not an empty folder" in result.err
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]

    a_file = folder / "notes.txt"
    result = cli("init", a_file, "--no-git", today=None)
    assert result.code == 2
    assert snapshot(tmp_path) == before


def test_a_profile_two_levels_above_the_case_applies(cli: Cli, tmp_path: Path) -> None:
    authority = tmp_path / "authority"
    case = authority / "east-team" / "poppy"
    shutil.copytree(SAMPLE_05, case)
    (authority / "reunify.yaml").write_text("labels:\n  levels: {severe: Very high}\n", encoding="utf-8")

    shown = cli("next", case)
    assert shown.code == 0, shown.out + shown.err
    assert shown.out.splitlines()[0].endswith("risk: Very high")
    status = cli("status", case)
    assert status.code == 0, status.out + status.err
    assert status.out.splitlines()[0].endswith("risk: Very high")
    assert re.search(r"^RC1\s+\S+\s+Very high\s", status.out, re.MULTILINE), status.out
    assert as_json(cli("status", case, "--json"))["child"]["risk"] == "Very high"

    # The same case with no profile above it: the framework's label.
    plain = cli("next", plain_case(tmp_path, SAMPLE_05))
    assert plain.code == 0
    assert plain.out.splitlines()[0].endswith("risk: Severe")


INVALID_PROFILES: list[tuple[str, str, str, str]] = [
    ("unknown-key", "workflow: reference\nlabel:\n  levels: {severe: Very high}\n", r"^label:",
     "unknown field (did you mean 'labels'?)"),
    ("missing-workflow-file", "# Our caseload (fictional).\nworkflow: missing.yaml\n", r"^workflow:",
     "no such workflow file"),
    ("unknown-role-label", "labels:\n  roles:\n    no_such_role: X\n", r"no_such_role:", "unknown role 'no_such_role'"),
]


@pytest.mark.parametrize(("text", "where", "fragment"), [p[1:] for p in INVALID_PROFILES],
                         ids=[p[0] for p in INVALID_PROFILES])
def test_an_invalid_profile_gets_a_file_line_error(text: str, where: str, fragment: str, cli: Cli,
                                                   tmp_path: Path) -> None:
    folder = tmp_path / "caseload"
    case = folder / "maisie"
    shutil.copytree(SAMPLE_03, case)
    profile = folder / "reunify.yaml"
    profile.write_text(text, encoding="utf-8")
    for command in ("next", "status"):
        result = cli(command, case)
        assert result.code == 1, result.out + result.err
        errors = error_lines(result)
        assert len(errors) == 1, result.out + result.err
        assert re.search(located(profile.resolve(), line_of(text, where), fragment), errors[0]), errors


# -- 4. no profile: the reference workflow, as before --------------------------------------


def test_a_case_with_no_profile_follows_the_reference(cli: Cli, tmp_path: Path) -> None:
    case = plain_case(tmp_path)
    status = cli("status", case)
    assert status.code == 0, status.out + status.err
    assert re.search(r"^Mid-point supervision on the draft assessment\s+done", status.out, re.MULTILINE)
    shown = cli("next", case)
    assert shown.code == 0
    assert shown.out == golden_output(SAMPLE_03.name, "next", case)
    assert "Team manager: Jackie Moorcroft" in shown.out
    workflow = as_json(cli("workflow", "show", case, "--json", today=None))
    assert workflow["id"] == "reference"


def test_render_uses_the_templates_folder_the_profile_names(caseload: Caseload, cli: Cli, tmp_path: Path) -> None:
    import docx

    templates = caseload.folder / "local-templates"
    templates.mkdir()
    local = docx.Document()
    local.add_paragraph("Northshire form for {{ child.name }}: {{ doc.title }}")
    local.save(str(templates / "monitoring_form.docx"))
    text = caseload.profile.read_text(encoding="utf-8")
    caseload.profile.write_text(text.replace("# templates: templates\n", "templates: local-templates\n"),
                                encoding="utf-8")
    out = tmp_path / "rendered"

    result = cli("render", caseload.case, "--out", out, "--doc", "monitoring_form", "--doc", "chronology")

    assert result.code == 0, result.out + result.err
    assert "Northshire form for Maisie Thornbury" in joined(out / "monitoring_form.docx")
    assert "Northshire form" not in joined(out / "chronology.docx")  # no local template: the bundled one


def test_workflow_check_names_an_omitted_section_the_document_does_not_have(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    text = ("extends: reference\ndocuments:\n  return_home_assessment:\n    title: Return Home Assessment\n"
            "    omit: [finances, schol]\n")
    local.write_text(text, encoding="utf-8")

    result = cli("workflow", "check", local, today=None)

    assert result.code == 1
    errors = error_lines(result)
    assert len(errors) == 1
    assert re.match(located(local, line_of(text, "schol"),
                            "'return_home_assessment' has no section 'schol' (did you mean 'school'?)"), errors[0])
