"""Commands for the assessment, the parental agreement and the reunification plan.

Each writes the fact where it belongs (the family's file or the child's), keeps the
comments and key order of the file it edits, leaves `reunify check` clean, and makes the
gates that read it pass; or it refuses, says why, and changes nothing. Every name here is
fictional.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reunify.core.yamlio import load_file
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result
from tests.conftest import snapshot
from tests.conftest import write_case
from tests.terminal import reunify_env

Cli = Callable[..., Result]


def squash(text: str) -> str:
    return " ".join(text.split())


def data(path: Path) -> dict[str, Any]:
    loaded = load_file(path).data
    assert isinstance(loaded, dict)
    return loaded


def step_of(cli: Cli, folder: Path, step_id: str) -> dict[str, Any]:
    result = cli("status", folder, "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    return next(s for stage in report["stages"] for s in stage["steps"] if s["step"] == step_id)


def problems(cli: Cli, folder: Path) -> list[str]:
    result = cli("check", folder, "--json")
    report = json.loads(result.out)
    cases = report["cases"]
    return [f"{p['file']}: {p['message']}" for case in cases for p in case["problems"] if p["severity"] == "error"]


def sample(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copytree(SAMPLES / name, tmp_path / name))


def edit(path: Path, old: str, new: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the assessment ---------------------------------------------------------------------


@pytest.fixture
def mid_assessment(tmp_path: Path) -> Path:
    """Sample case 02: the assessment written but for each parent's analysis, the
    finances and the conclusion."""
    return sample(tmp_path, "02-mid-assessment")


def test_filling_in_the_assessment_makes_its_gate_pass(mid_assessment: Path, cli: Cli) -> None:
    case = mid_assessment
    before = (case / "assessment.yaml").read_text(encoding="utf-8")
    assert step_of(cli, case, "return_home_assessment")["missing"]
    for parent in ("Shannon Hollins", "lewis"):
        result = cli("assessment", "parent", parent, case, "--interaction", "Support offsets the risk.",
                     "--capacity-to-change", "Shown by steady engagement since July.")
        assert result.code == 0, result.err
        assert "updated a parent's section of the assessment: the interaction, the capacity to change" \
            in squash(result.out)
    assert cli("assessment", "set", "finances", "Manages on a low income; no arrears.", case).code == 0
    (case.parent / "conclusion.txt").write_text("A return home can be considered.\n", encoding="utf-8")
    result = cli("assessment", "set", "conclusion", case, "--file", case.parent / "conclusion.txt")
    assert result.code == 0, result.err
    assert "recorded the conclusion of the assessment" in result.out

    written = data(case / "assessment.yaml")
    assert written["parents"][0]["interaction"] == "Support offsets the risk."
    assert written["parents"][1]["capacity_to_change"] == "Shown by steady engagement since July."
    assert written["finances"] == "Manages on a low income; no arrears."
    assert written["conclusion"] == "A return home can be considered."
    after = (case / "assessment.yaml").read_text(encoding="utf-8")
    # Comments stay, and the keys keep their order: new ones come last.
    for line in before.splitlines():
        if line.startswith("#"):
            assert line in after
    assert list(written)[:len(data(SAMPLES / "02-mid-assessment" / "assessment.yaml"))] == \
        list(data(SAMPLES / "02-mid-assessment" / "assessment.yaml"))
    assert step_of(cli, case, "return_home_assessment")["missing"] == []
    assert problems(cli, case) == []


def test_a_parent_section_is_added_then_extended_without_repeats(make_case: Callable[..., Path], cli: Cli) -> None:
    case = make_case()
    result = cli("assessment", "parent", "JO STONE", case, "--risk-factor", "Debt",
                 "--protective-factor", "Warm with Ella")
    assert result.code == 0, result.err
    assert "added a parent's section to the assessment" in result.out
    assert (case / "assessment.yaml").read_text(encoding="utf-8").startswith("# The Return Home Assessment")
    result = cli("assessment", "parent", "jo", case, "--risk-factor", "Debt", "--risk-factor", "Isolation")
    assert result.code == 0, result.err
    assert "1 risk factor" in result.out
    assert data(case / "assessment.yaml")["parents"] == [
        {"person": "jo", "risk_factors": ["Debt", "Isolation"], "protective_factors": ["Warm with Ella"]}]
    unchanged = snapshot(case)
    result = cli("assessment", "parent", "jo", case, "--risk-factor", "Debt")
    assert result.code == 1
    assert "nothing new" in result.err
    assert snapshot(case) == unchanged


def test_a_parent_must_be_in_people_and_not_the_child(make_case: Callable[..., Path], cli: Cli) -> None:
    case = make_case()
    unchanged = snapshot(case)
    result = cli("assessment", "parent", "Nobody Known", case, "--risk-factor", "Debt")
    assert result.code == 2
    assert "'Nobody Known' is not in people.yaml" in squash(result.err)
    result = cli("assessment", "parent", "ella", case, "--risk-factor", "Debt")
    assert result.code == 2
    assert "is a child of the case, not a parent" in squash(result.err)
    result = cli("assessment", "parent", "jo", case)
    assert result.code == 2
    assert "give at least one of --risk-factor" in squash(result.err)
    assert snapshot(case) == unchanged


def test_set_reads_standard_input_and_names_the_option_in_a_script(
        make_case: Callable[..., Path], cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    case = make_case()
    unchanged = snapshot(case)
    result = cli("assessment", "set", "housing", case)
    assert result.code == 2
    assert "TEXT is needed (the family's housing); or --file PATH" in squash(result.err)
    result = cli("assessment", "set", "garden", "Large", case)
    assert result.code == 2
    assert "unknown field 'garden'" in result.err and "child_views, housing" in squash(result.err)
    result = cli("assessment", "set", "housing", "Flat", case, "--file", "-")
    assert result.code == 2
    assert "give TEXT or --file, not both" in result.err
    assert snapshot(case) == unchanged
    monkeypatch.setattr(sys, "stdin", io.StringIO("Two-bed flat.\nStable tenancy.\n"))
    result = cli("assessment", "set", "housing", case, "--file", "-")
    assert result.code == 0, result.err
    assert data(case / "assessment.yaml")["housing"] == "Two-bed flat.\nStable tenancy."
    assert cli("assessment", "set", "housing", "A house now.", case).code == 0
    assert data(case / "assessment.yaml")["housing"] == "A house now."


def test_support_needs_start_and_seen_alone(make_case: Callable[..., Path], cli: Cli) -> None:
    case = make_case()
    assert cli("assessment", "support-need", "Parenting programme", case).code == 0
    result = cli("assessment", "support-need", "Debt advice", case)
    assert "added a support need (2 in all)" in result.out
    assert cli("assessment", "support-need", "Debt advice", case).code == 1
    assert cli("assessment", "start", case, "--date", "2026-09-20").code == 0
    result = cli("assessment", "start", case, "--date", "2026-09-21")
    assert result.code == 1 and "already recorded as started on 2026-09-20" in result.err
    result = cli("assessment", "seen-alone", case, "--date", "2026-09-01")
    assert result.code == 2 and "before the assessment started" in result.err
    result = cli("assessment", "seen-alone", case, "--date", "2026-12-01")
    assert result.code == 2 and "in the future" in result.err
    assert cli("assessment", "seen-alone", case, "--date", "2026-10-01").code == 0
    written = data(case / "assessment.yaml")
    assert written["support_needs"] == ["Parenting programme", "Debt advice"]
    assert written["started"].isoformat() == "2026-09-20"
    assert written["child_seen_alone"].isoformat() == "2026-10-01"
    assert step_of(cli, case, "support_needs")["missing"] == []
    assert problems(cli, case) == []


@pytest.fixture
def agreeing(tmp_path: Path) -> Path:
    """Sample case 03 without the assessment's sign-off, the date the agreement was made
    and the two steps they stand for."""
    case = sample(tmp_path, "03-medium-agreement-review")
    edit(case / "assessment.yaml", "signed_off:\n  by: tm-moorcroft\n  date: 2026-07-24\n")
    edit(case / "events.yaml", "  - {step: finalise_assessment, date: 2026-07-24, by: tm-moorcroft}\n")
    edit(case / "events.yaml", "  - step: parental_agreement\n    date: 2026-09-04\n    by: sw-mistry\n"
         "    note: Agreed with Kerry on 2026-09-02; Dean signed his part on 2026-09-04.\n")
    edit(case / "agreement.yaml", "agreed: 2026-09-02\n")
    return case


def test_sign_off_by_a_manager_completes_the_step_it_stands_for(agreeing: Path, cli: Cli) -> None:
    case = agreeing
    unchanged = snapshot(case)
    result = cli("assessment", "sign-off", case, "--by", "sw-mistry", "--date", "2026-07-24")
    assert result.code == 1
    assert "signed off by a manager; --by is a social worker" in squash(result.err)
    assert snapshot(case) == unchanged
    result = cli("assessment", "sign-off", case, "--by", "tm-moorcroft", "--date", "2026-07-24")
    assert result.code == 0, result.err
    assert "recorded the sign-off of the assessment on 2026-07-24; 'finalise_assessment' " \
           "(Finalise the Return Home Assessment) done" in squash(result.out)
    assert data(case / "assessment.yaml")["signed_off"] == {"by": "tm-moorcroft",
                                                            "date": dt.date(2026, 7, 24)}
    assert step_of(cli, case, "finalise_assessment")["state"] == "done"
    result = cli("assessment", "sign-off", case, "--by", "tm-moorcroft", "--date", "2026-07-25")
    assert result.code == 1 and "already signed off on 2026-07-24" in result.err


def test_signing_the_agreement_completes_the_step_by_the_one_social_worker(agreeing: Path, cli: Cli) -> None:
    case = agreeing
    assert cli("assessment", "sign-off", case, "--by", "tm-moorcroft", "--date", "2026-07-24").code == 0
    text = (case / "agreement.yaml").read_text(encoding="utf-8")
    result = cli("agreement", "sign", case, "--date", "2026-09-04")
    assert result.code == 0, result.err
    assert "'parental_agreement' (Agree SMART goals with the parents) done" in squash(result.out)
    events = data(case / "events.yaml")["steps"]
    assert events[-1] == {"step": "parental_agreement", "date": dt.date(2026, 9, 4),
                          "by": "sw-mistry"}
    after = (case / "agreement.yaml").read_text(encoding="utf-8")
    assert after.startswith(text.rstrip("\n")) and after.endswith("agreed: 2026-09-04\n")
    assert step_of(cli, case, "parental_agreement")["state"] == "done"
    assert problems(cli, case) == []
    result = cli("agreement", "sign", case, "--date", "2026-09-05")
    assert result.code == 1 and "already recorded as made on 2026-09-04" in result.err


def test_an_agreement_built_by_commands_passes_its_gate(make_case: Callable[..., Path], cli: Cli) -> None:
    case = make_case()
    result = cli("agreement", "parent", "Jo Stone", case, "--strength", "Loving", "--concern", "Drinking")
    assert result.code == 0, result.err
    assert "reunify goal add" in result.out
    result = cli("goal", "add", case, "--parent", "jo", "--change", "Stays alcohol-free", "--step", "Weekly keywork",
                 "--step", "Monthly tests", "--evidence", "Clear tests", "--due", "2027-03-31",
                 "--support", "Recovery service")
    assert result.code == 0, result.err
    assert "added goal 1 for a parent, due 2027-03-31" in result.out
    assert cli("agreement", "review-date", "2027-01-15", case).code == 0
    assert cli("agreement", "sign", case, "--parent", "jo", "--date", "2026-10-01").code == 0
    result = cli("agreement", "sign", case, "--parent", "jo", "--date", "2026-10-02")
    assert result.code == 1 and "already signed the agreement on 2026-10-01" in result.err
    assert cli("agreement", "sign", case, "--date", "2026-10-01").code == 0
    written = data(case / "agreement.yaml")
    assert written["parents"][0]["strengths"] == ["Loving"]
    assert written["parents"][0]["goals"][0]["steps"] == ["Weekly keywork", "Monthly tests"]
    assert written["parents"][0]["signed"].isoformat() == "2026-10-01"
    assert written["review_date"].isoformat() == "2027-01-15"
    assert (case / "agreement.yaml").read_text(encoding="utf-8").startswith("# The parental agreement")
    assert step_of(cli, case, "parental_agreement")["missing"] == []
    assert problems(cli, case) == []


def test_a_goal_for_a_parent_not_yet_in_the_agreement_adds_them(make_case: Callable[..., Path], cli: Cli) -> None:
    case = make_case()
    result = cli("goal", "add", case, "--parent", "jo", "--change", "Keeps the home safe", "--evidence", "Visits",
                 "--due", "2027-02-01", "--support", "Family support worker")
    assert result.code == 0, result.err
    assert data(case / "agreement.yaml")["parents"][0]["person"] == "jo"
    unchanged = snapshot(case)
    result = cli("goal", "add", case, "--parent", "jo", "--change", "X", "--evidence", "Y",
                 "--due", "2207-02-01", "--support", "Z")
    assert result.code == 2 and result.err.startswith("error: --due")
    result = cli("goal", "add", case, "--parent", "jo", "--change", "X")
    assert result.code == 2 and "--evidence is needed" in result.err
    assert snapshot(case) == unchanged


# -- the plan ---------------------------------------------------------------------------


def test_a_plan_built_by_commands_passes_its_gates(make_case: Callable[..., Path], cli: Cli) -> None:
    case = make_case()
    result = cli("plan", "support", "Parenting programme", case, "--provider", "Family Centre", "--for", "Jo Stone",
                 "--frequency", "weekly", "--from", "2026-12-01", "--until", "2027-03-01")
    assert result.code == 0, result.err
    assert cli("plan", "support", "Family support worker", case, "--after-return", "--for", "jo",
               "--until", "2028-06-01").code == 0
    assert cli("plan", "contact", case, "--with", "jo", "--arrangement", "Saturdays at home", "--supervised",
               "--from", "2026-12-05").code == 0
    for step, date in (("First overnight", "2027-01-10"), ("Tea after school", "2026-12-20")):
        assert cli("plan", "transition", step, case, "--date", date).code == 0
    assert cli("plan", "transition", "Move home", case).code == 0
    assert cli("plan", "contingency", "Stays with the foster carers long term.", case).code == 0
    assert cli("plan", "child-communication", "Ella wants to be home by spring.", case).code == 0
    plan = data(case / "plan.yaml")
    assert plan["support"] == [{"service": "Parenting programme", "provider": "Family Centre", "for": ["jo"],
                                "frequency": "weekly", "from": dt.date(2026, 12, 1),
                                "until": dt.date(2027, 3, 1)}]
    assert plan["after_return"][0]["service"] == "Family support worker"
    assert plan["contact"][0]["supervised"] is True
    assert [t["step"] for t in plan["transition"]] == ["Tea after school", "First overnight", "Move home"]
    assert (case / "plan.yaml").read_text(encoding="utf-8").startswith("# The reunification plan")
    for step_id in ("contingency_plan", "child_communication", "reunification_plan"):
        assert step_of(cli, case, step_id)["missing"] == [], step_id
    assert problems(cli, case) == []


def test_plan_commands_refuse_what_they_cannot_write(make_case: Callable[..., Path], cli: Cli) -> None:
    case = make_case()
    unchanged = snapshot(case)
    result = cli("plan", "support", "Counselling", case, "--from", "2027-02-01", "--until", "2027-01-01")
    assert result.code == 2 and "--until is before --from" in result.err
    result = cli("plan", "contact", case, "--with", "Someone Else", "--arrangement", "Weekly")
    assert result.code == 2 and "--with 'Someone Else' is not in people.yaml" in squash(result.err)
    result = cli("plan", "contingency", case)
    assert result.code == 2 and "TEXT is needed" in result.err
    result = cli("plan", "contingency", "   ", case)
    assert result.code == 2 and "empty" in result.err
    assert snapshot(case) == unchanged


def test_an_edit_keeps_the_comments_and_order_of_an_existing_plan(make_case: Callable[..., Path], cli: Cli) -> None:
    original = textwrap.dedent("""\
        # Our plan, kept by hand until now.
        contingency: Long-term fostering.  # agreed with the carers
        support:
          # the first service
          - service: Counselling
        contact: []
        """)
    case = make_case(plan_yaml=original)
    assert cli("plan", "contact", case, "--with", "jo", "--arrangement", "Sundays").code == 0
    assert cli("plan", "contingency", "Kinship care with an aunt.", case).code == 0
    text = (case / "plan.yaml").read_text(encoding="utf-8")
    assert text == textwrap.dedent("""\
        # Our plan, kept by hand until now.
        contingency: Kinship care with an aunt. # agreed with the carers
        support:
          # the first service
          - service: Counselling
        contact:
          - with:
              - jo
            arrangement: Sundays
        """)


# -- a sibling group --------------------------------------------------------------------


@pytest.fixture
def family(tmp_path: Path) -> Path:
    folder = write_case(tmp_path / "stones", {
        "family.yaml": """\
            # A fictional sibling group.
            reference: FAM-001
            team:
              - {id: sw, name: Sam Rivers, role: social_worker}
              - {id: tm, name: Tara Moss, role: team_manager}
            """,
        "people.yaml": """\
            people:
              - {id: ella, name: Ella Stone, sex: female, born: 2017-04-09, parents: [jo]}
              - {id: finn, name: Finn Stone, sex: male, born: 2019-08-02, parents: [jo]}
              - {id: jo, name: Jo Stone, sex: female, born: 1991-02-14}
            households:
              - {id: flat, name: Jo's flat, members: [jo]}
            """,
    })
    for child in ("ella", "finn"):
        write_case(folder / child, {"case.yaml": f"""\
            child: {child}
            legal_status: [{{code: V2, from: 2026-06-01}}]
            placements: [{{code: U6, from: 2026-06-01}}]
            home: flat
            """, "events.yaml": "steps:\n  - {step: identify, date: 2026-09-01, by: sw}\n"})
    return folder


def test_shared_facts_go_to_the_family_and_the_childs_to_the_child(family: Path, cli: Cli) -> None:
    assert cli("assessment", "parent", "jo", family / "ella", "--risk-factor", "Debt").code == 0
    assert cli("assessment", "set", "housing", "A flat.", family / "finn").code == 0
    assert cli("assessment", "set", "school", "Settled in year 4.", family / "ella").code == 0
    assert cli("plan", "contingency", "Kinship care.", family / "ella").code == 0
    shared = data(family / "assessment.yaml")
    assert shared["parents"][0]["person"] == "jo" and shared["housing"] == "A flat."
    assert (family / "assessment.yaml").read_text(encoding="utf-8").startswith("# The Return Home Assessment")
    own = data(family / "ella" / "assessment.yaml")
    assert own == {"school": "Settled in year 4."}
    assert (family / "ella" / "assessment.yaml").read_text(encoding="utf-8").startswith("# The child's part")
    assert data(family / "plan.yaml")["contingency"] == "Kinship care."
    assert not (family / "ella" / "plan.yaml").exists()
    assert problems(cli, family) == []


def test_a_childs_fact_given_the_family_folder(family: Path, cli: Cli) -> None:
    unchanged = snapshot(family)
    result = cli("assessment", "set", "child_views", "Wants to go home.", family)
    assert result.code == 2
    assert "the child's views is each child's own: give the child's folder" in squash(result.err)
    result = cli("assessment", "seen-alone", family, "--date", "2026-10-01")
    assert result.code == 2
    assert snapshot(family) == unchanged
    # A sign-off given the family folder signs off each child's assessment.
    result = cli("assessment", "sign-off", family, "--by", "Tara Moss", "--date", "2026-10-02")
    assert result.code == 0, result.err
    assert "of 2 children" in result.out
    for child in ("ella", "finn"):
        assert data(family / child / "assessment.yaml")["signed_off"]["by"] == "tm"
    assert not (family / "assessment.yaml").exists()
    assert problems(cli, family) == []


# -- the editor, at a real terminal -------------------------------------------------------

needs_script = pytest.mark.skipif(shutil.which("script") is None or sys.platform == "win32",
                                  reason="needs script(1) for a real terminal")


def run_at_terminal(command: str, editor: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = reunify_env(EDITOR=str(editor), VISUAL="")
    line = f"{sys.executable} -m reunify {command} --today {TODAY}"
    return subprocess.run(["script", "-qec", line, "/dev/null"], env=env, cwd=tmp_path, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120, check=False)


def editor_script(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o700)
    return script


@needs_script
def test_the_editor_opens_on_an_owner_only_file_and_comment_lines_are_dropped(
        make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    editor = editor_script(tmp_path, f"""\
cp "$1" {tmp_path}/seen.txt
stat -c %a "$1" > {tmp_path}/mode.txt
printf 'Ella says she misses her cat.\\n# not kept\\nShe wants weekend visits first.\\n' > "$1"
""")
    done = run_at_terminal(f"assessment set child_views {case}", editor, tmp_path)
    assert done.returncode == 0, done.stdout
    assert "recorded the child's views" in done.stdout
    assert data(case / "assessment.yaml")["child_views"] == \
        "Ella says she misses her cat.\nShe wants weekend visits first."
    assert (tmp_path / "mode.txt").read_text().strip() == "600"
    assert "# The child's views, wishes and feelings.\n# Write it above these lines." in \
        (tmp_path / "seen.txt").read_text()
    # The editor starts on what is recorded, to change it.
    editor = editor_script(tmp_path, f'cp "$1" {tmp_path}/seen.txt\nprintf "Changed.\\n" > "$1"\n')
    assert run_at_terminal(f"assessment set child_views {case}", editor, tmp_path).returncode == 0
    assert (tmp_path / "seen.txt").read_text().startswith("Ella says she misses her cat.")
    assert data(case / "assessment.yaml")["child_views"] == "Changed."


@needs_script
def test_an_empty_text_from_the_editor_writes_nothing(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    unchanged = snapshot(case)
    editor = editor_script(tmp_path, 'printf "# only a comment\\n\\n" > "$1"\n')
    done = run_at_terminal(f"plan contingency {case}", editor, tmp_path)
    assert done.returncode == 1
    assert "nothing written" in done.stdout
    assert snapshot(case) == unchanged


def test_every_new_command_has_help(cli: Cli) -> None:
    for group, commands in (("assessment", ("parent", "set", "support-need", "start", "seen-alone", "sign-off")),
                            ("agreement", ("parent", "review-date", "sign")), ("goal", ("add",)),
                            ("plan", ("support", "contact", "transition", "contingency", "child-communication"))):
        for command in commands:
            result = cli(group, command, "--help", today=None)
            assert result.code == 0, (group, command)
            assert "Usage:" in result.out


def test_the_file_is_owner_only_when_made(make_case: Callable[..., Path], cli: Cli) -> None:
    case = make_case()
    assert cli("plan", "contingency", "Kinship care.", case).code == 0
    assert stat.S_IMODE((case / "plan.yaml").stat().st_mode) == 0o600
