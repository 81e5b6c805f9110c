"""A sibling group (sample 08): each child's folder reads as one case, problems are reported
at the file that holds them, recordings write where the fact belongs, and a family of one
reads exactly as the single-child case it came from."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from reunify.records.case import load_case
from reunify.records.family import FAMILY_FILE
from reunify.records.family import SHARED
from tests.conftest import SAMPLES
from tests.conftest import Result
from tests.conftest import snapshot

FAMILY = SAMPLES / "08-sibling-group"
CHILDREN = ("alfie", "kai", "ruby")


@pytest.fixture
def family(tmp_path: Path) -> Path:
    """A copy of the sibling-group sample."""
    return Path(shutil.copytree(FAMILY, tmp_path / "brackwell"))


def problems(cli: Callable[..., Result], folder: Path) -> tuple[int, list[tuple[Path, int, str, str]]]:
    """`check --json` on `folder`: the exit code and every problem as (file, line, severity, message)."""
    result = cli("check", folder, "--json")
    assert "Traceback" not in result.out + result.err
    data = json.loads(result.out)
    found = [(Path(p["file"]).resolve(), p["line"], p["severity"], p["message"])
             for case in data["cases"] for p in case["problems"]]
    return result.code, found


def line_of(path: Path, text: str) -> int:
    """The number of the one line of `path` that contains `text`."""
    [number] = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return number


# -- each child at their own stage --------------------------------------------------------------


@pytest.mark.parametrize(("child", "stage", "first"), [
    ("alfie", "Stage 5 of 5: Return home and support", "Outcomes tool and SDQ at six months home"),
    ("ruby", "Stage 4 of 5: Classify the risk again and plan the return",
     "Present to the change of placement panel (CPAG)"),
    ("kai", "alternative permanence", "Plan a permanent placement"),
])
def test_each_child_shows_their_own_stage(child: str, stage: str, first: str, family: Path,
                                          cli: Callable[..., Result]) -> None:
    shown = cli("next", family / child)
    assert shown.code == 0, shown.out + shown.err
    assert stage in shown.out
    assert "1. " + first in shown.out
    status = cli("status", family / child)
    assert status.code == 0, status.out + status.err
    assert stage in status.out


def test_the_child_at_home_is_placed_with_parents_and_the_others_are_not(family: Path,
                                                                         cli: Callable[..., Result]) -> None:
    assert "Lives at home with parents" in cli("status", family / "alfie").out
    for child in ("ruby", "kai"):
        status = cli("status", family / child).out
        assert "Lives at home" not in status
        assert "Placement U6" in status
    assert "D3: reunify" in cli("status", family / "ruby").out
    assert "D3: permanence" in cli("status", family / "kai").out


def test_each_child_reads_the_shared_records_and_their_own(family: Path) -> None:
    cases = {child: load_case(family / child)[0] for child in CHILDREN}
    for child, case in cases.items():
        assert case is not None
        assert case.case.child == child
        assert case.family == family
        assert case.group == CHILDREN  # in the order of their folders
        assert [m.id for m in case.case.team][:1] == ["sw-penhale"]  # the family's team
        assert case.agreement.parents and case.plan.after_return  # the family's agreement and plan
        assert case.assessment.housing is not None and case.assessment.child_views is not None
    references = {case.case.reference for case in cases.values() if case is not None}
    assert len(references) == 3  # each child's own reference


def test_every_yaml_file_says_it_is_fictional() -> None:
    for path in sorted(FAMILY.rglob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("# Sample case 08 - fictional"), path


# -- check ---------------------------------------------------------------------------------------


def test_check_on_the_family_checks_three_cases_and_is_clean(family: Path, cli: Callable[..., Result]) -> None:
    result = cli("check", family)
    assert result.code == 0, result.out
    assert "3 cases checked: no problems" in result.out
    data = json.loads(cli("check", family, "--json").out)
    assert [Path(case["case"]).name for case in data["cases"]] == list(CHILDREN)
    assert (data["errors"], data["warnings"], data["notes"]) == (0, 0, 0)


def test_a_problem_in_a_family_file_is_reported_at_the_familys_file_and_line(family: Path,
                                                                             cli: Callable[..., Result]) -> None:
    events = family / "events.yaml"
    with events.open("a", encoding="utf-8") as handle:
        handle.write("  - meeting: tea_party\n    date: 2026-11-20\n")
    line = line_of(events, "meeting: tea_party")
    code, found = problems(cli, family)
    assert code == 1
    # Once, though every child's case reads the file, at the family's file and line.
    assert found == [(events.resolve(), line, "error", "unknown meeting")]
    assert "1 error in 3 cases" in cli("check", family).out
    text = cli("check", family / "ruby").out
    assert f"events.yaml:{line}:" in text
    assert "ruby/events.yaml" not in text


def test_a_problem_in_a_childs_file_is_reported_at_the_childs_file_and_line(family: Path,
                                                                            cli: Callable[..., Result]) -> None:
    events = family / "ruby" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace("{step: communicate_decision,", "{step: communicate_decison,"), encoding="utf-8")
    line = line_of(events, "communicate_decison")
    code, found = problems(cli, family)
    assert code == 1
    assert found == [(events.resolve(), line, "error", "unknown step (did you mean 'communicate_decision'?)")]


def test_a_field_in_both_the_familys_and_a_childs_file_is_an_error_at_the_childs(family: Path,
                                                                                  cli: Callable[..., Result]) -> None:
    child_file = family / "alfie" / "assessment.yaml"
    with child_file.open("a", encoding="utf-8") as handle:
        handle.write("\nhousing: A three-bedroom house.\n")
    code, found = problems(cli, family)
    assert code == 1
    assert found == [(child_file.resolve(), line_of(child_file, "housing:"), "error",
                      "'housing' is set in the family's assessment.yaml as well; keep it in one place")]


# -- recording -----------------------------------------------------------------------------------


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@pytest.mark.parametrize("where", ["", "alfie", "kai"])
def test_a_meeting_is_written_to_the_familys_events(where: str, family: Path, cli: Callable[..., Result]) -> None:
    before = snapshot(family)
    result = cli("meeting", "tac", family / where if where else family, "--date", "2026-11-20",
                 "--attendee", "jodie", "--attendee", "sw-penhale", "--decided", "Support continues.")
    assert result.code == 0, result.out + result.err
    assert changed(before, snapshot(family)) == {"events.yaml"}
    meetings = yaml.safe_load((family / "events.yaml").read_text(encoding="utf-8"))["meetings"]
    assert {"meeting": "tac", "date": dt.date(2026, 11, 20), "attendees": ["jodie", "sw-penhale"],
            "decided": "Support continues."} in meetings
    assert cli("check", family).code == 0


def test_a_visit_is_written_to_the_childs_events(family: Path, cli: Callable[..., Result]) -> None:
    before = snapshot(family)
    result = cli("visit", family / "alfie", "--date", "2026-11-20", "--by", "sw-penhale", "--unannounced",
                 "--seen-alone")
    assert result.code == 0, result.out + result.err
    assert changed(before, snapshot(family)) == {"alfie/events.yaml"}
    assert cli("check", family).code == 0


@pytest.mark.parametrize(("where", "written"), [("", "chronology.yaml"), ("kai", "kai/chronology.yaml")])
def test_a_chronology_entry_is_written_where_it_belongs(where: str, written: str, family: Path,
                                                        cli: Callable[..., Result]) -> None:
    before = snapshot(family)
    result = cli("chronology", family / where if where else family, "--date", "2026-11-20",
                 "--event", "Family time at the grandmother's.", "--source", "Contact record")
    assert result.code == 0, result.out + result.err
    assert changed(before, snapshot(family)) == {written}
    entries = yaml.safe_load((family / written).read_text(encoding="utf-8"))["entries"]
    assert entries[-1]["event"] == "Family time at the grandmother's."


def test_a_childs_chronology_stays_in_date_order_after_a_family_entry(family: Path,
                                                                      cli: Callable[..., Result]) -> None:
    result = cli("chronology", family, "--date", "2026-11-20", "--event", "Family time.", "--source", "Contact record")
    assert result.code == 0, result.out + result.err
    case, _ = load_case(family / "alfie")
    assert case is not None
    dates = [entry.date for entry in case.chronology.entries]
    assert dates == sorted(dates)
    assert dt.date(2026, 11, 20) in dates
    checked = cli("check", family / "alfie")
    assert checked.code == 0, checked.out


# -- a family of one -----------------------------------------------------------------------------


def split_into_family(case: Path, family: Path) -> Path:
    """Move a single-child case folder's shared keys (per SHARED) into a family folder, with
    plain YAML; the child's folder, named by the child's id, keeps the rest. A file the family
    takes whole is copied byte for byte. Returns the child's folder."""
    child_id = str(yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))["child"])
    child = family / child_id
    child.mkdir(parents=True)
    for path in sorted(case.iterdir()):
        if path.suffix != ".yaml":
            continue
        shared = SHARED.get(path.name, frozenset())
        family_name = FAMILY_FILE if path.name == "case.yaml" else path.name
        if shared is None:
            shutil.copyfile(path, family / family_name)
            continue
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ours = {k: v for k, v in data.items() if k in shared}
        theirs = {k: v for k, v in data.items() if k not in shared}
        if ours:
            (family / family_name).write_text(yaml.safe_dump(ours, sort_keys=False, allow_unicode=True),
                                              encoding="utf-8")
        if theirs:
            (child / path.name).write_text(yaml.safe_dump(theirs, sort_keys=False, allow_unicode=True),
                                           encoding="utf-8")
    return child


def same(text: str) -> str:
    """`text` with the lines and columns of file positions left out."""
    return re.sub(r"(\.yaml):\d+(:\d+)?", r"\1", text)


@pytest.mark.parametrize("sample", ["03-medium-agreement-review", "06-home-under-care-order"])
def test_a_family_of_one_reads_as_the_single_child_case(sample: str, tmp_path: Path,
                                                        cli: Callable[..., Result]) -> None:
    original = Path(shutil.copytree(SAMPLES / sample, tmp_path / "single"))
    family = tmp_path / "family"
    child = split_into_family(original, family)
    assert (family / FAMILY_FILE).is_file() and (child / "case.yaml").is_file()
    for command in ("next", "status", "check"):
        single = cli(command, original)
        split = cli(command, child)
        assert "Traceback" not in single.out + single.err + split.out + split.err
        assert split.code == single.code
        # Paths differ (the plan of 06 has a warning): a file is named from its folder, and
        # the split rewrote the files, so their lines may differ.
        assert same(split.out.replace(str(child), "CASE").replace(str(family), "CASE")) \
            == same(single.out.replace(str(original), "CASE")), command
    assert cli("check", family).code == single.code


# -- the family folder in commands ---------------------------------------------------------------


def test_the_sample_is_copied_whole_and_each_child_can_be_walked_through(tmp_path: Path,
                                                                         cli: Callable[..., Result]) -> None:
    listed = cli("sample", today=None)
    assert "08-sibling-group" in listed.out
    copied = cli("sample", "08", tmp_path / "copy", today=None)
    assert copied.code == 0, copied.err
    assert sorted(p.relative_to(tmp_path / "copy").as_posix() for p in (tmp_path / "copy").rglob("*.yaml")) == \
        sorted(p.relative_to(FAMILY).as_posix() for p in FAMILY.rglob("*.yaml"))
    assert cli("check", tmp_path / "copy").code == 0
    walked = cli("walkthrough", "08/ruby", "--no-pause")
    assert walked.code == 0, walked.err
    assert "Ruby Brackwell" in walked.out


def test_a_step_done_for_the_family_is_recorded_for_each_child_it_applies_to(family: Path,
                                                                             cli: Callable[..., Result]) -> None:
    before = snapshot(family)
    # An SDQ is each child's own: refused on the family folder, nothing written.
    refused = cli("sdq", family, "--total", "12", "--date", "2026-11-20")
    assert refused.code == 2 and "give the child's folder" in refused.err
    decided = cli("decide", "D4", family, "--outcome", "permanence", "--date", "2026-11-20")
    assert decided.code == 2 and "give the child's folder" in decided.err
    assert snapshot(family) == before


def test_each_child_keeps_their_own_conversation_about_the_plan(family: Path, cli: Callable[..., Result]) -> None:
    for child in CHILDREN:
        result = cli("plan", "child-communication", f"What {child} was told, in words {child} chose.",
                     family / child)
        assert result.code == 0, result.err
    for child in CHILDREN:
        case, problems = load_case(family / child)
        assert case is not None, problems
        assert case.plan.child_communication == f"What {child} was told, in words {child} chose."
    assert cli("check", family).code == 0
    refused = cli("plan", "child-communication", "One text for all three.", family)
    assert refused.code == 2 and "each child's own" in refused.err
