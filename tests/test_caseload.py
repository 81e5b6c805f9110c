"""`reunify caseload`: every case under a folder on one screen, and the outcomes across them.

Run through the real CLI on copies of the bundled samples (laid out in team folders) and
on small fictional cases written inline. Expectations are worked out from the YAML
records, or from `reunify next`/`status` on the same case and day, wherever they can be.
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import io
import itertools
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

import reunify.practice.caseload
from tests.conftest import BASE
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result
from tests.conftest import write_case

Run = Callable[..., Result]

# The single-child samples; the sibling group (sample 08) has tests of its own below.
SAMPLE_DIRS = sorted(p for p in SAMPLES.iterdir() if (p / "case.yaml").is_file())
FAMILY = next(p for p in SAMPLES.iterdir() if (p / "family.yaml").is_file())
JSON_KEYS = {"case", "reference", "child", "stage", "stage_title", "status", "risk", "risk_label", "next_action",
             "next_who", "next_due", "next_due_what", "overdue", "upcoming", "errors", "warnings", "unreadable"}
CSV_HEADER = ["case", "reference", "child", "stage", "stage_title", "status", "risk_label", "next_action",
              "next_who", "next_due", "next_due_what", "overdue", "upcoming", "errors", "warnings"]
MONITORING = ["decision_1", "decision_1_outcome", "rc1", "decision_2_outcome", "rc2", "decision_3",
              "decision_3_outcome", "path", "returned_home", "return_ended", "home_at_6_months",
              "home_at_12_months", "days_decision_1_to_return", "rc3", "ended_part_way", "exit_reason", "closed"]
FORMULA_STARTS = ("=", "+", "-", "@")
WITHDREW = "The family withdrew from the process"  # the workflow's text for exit reason family_withdrew


# -- reading the records ------------------------------------------------------------------


def sample(prefix: str) -> Path:
    return next(p for p in SAMPLE_DIRS if p.name.startswith(prefix))


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def shared(folder: Path, name: str) -> Path:
    """The file holding `name` for a case: the case's own, or its family's."""
    family = folder.parent / ("family.yaml" if name == "case.yaml" else name)
    return family if (folder.parent / "family.yaml").is_file() and family.is_file() else folder / name


def child_name(folder: Path) -> str:
    child = read_yaml(folder / "case.yaml")["child"]
    people = read_yaml(shared(folder, "people.yaml"))["people"]
    name: str = next(person["name"] for person in people if person["id"] == child)
    return name


def expected_initials(name: str) -> str:
    return "".join(part[0].upper() + "." for part in name.replace("-", " ").split())


def team(folder: Path) -> list[tuple[str, str]]:
    return [(member["id"], member["name"]) for member in read_yaml(shared(folder, "case.yaml"))["team"]]


def reference(folder: Path) -> str:
    ref: str = read_yaml(folder / "case.yaml").get("reference") or read_yaml(shared(folder, "case.yaml"))["reference"]
    return ref


def d1_date(folder: Path) -> dt.date:
    day: dt.date = next(d["date"] for d in read_yaml(folder / "decisions.yaml")["decisions"] if d["id"] == "D1")
    return day


def step_date(folder: Path, step: str) -> dt.date | None:
    steps = read_yaml(folder / "events.yaml").get("steps") or []
    return next((s["date"] for s in steps if s["step"] == step), None)


# -- running and reading the output -------------------------------------------------------


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    """A copy of the single-child samples, one folder of case folders."""
    shutil.copytree(SAMPLES, tmp_path / "cases", ignore=lambda _, names: [FAMILY.name] if FAMILY.name in names else [])
    return tmp_path / "cases"


def test_a_sibling_group_is_listed_child_by_child(cli: Run, tmp_path: Path) -> None:
    root = shutil.copytree(FAMILY, tmp_path / "cases" / FAMILY.name).parent
    data = as_json(cli("caseload", root, "--json"))
    rows = {Path(row["case"]).name: row for row in data["cases"]}
    children = sorted(c.name for c in FAMILY.iterdir() if (c / "case.yaml").is_file())
    assert sorted(rows) == children
    for name in children:
        assert rows[name]["child"] == expected_initials(child_name(FAMILY / name))
        assert rows[name]["errors"] == 0
    # Each child at their own stage, as 'next' on the child's folder says.
    for name in children:
        next_data = as_json(cli("next", root / FAMILY.name / name, "--json"))
        assert rows[name]["stage"] == next_data["stage"]["number"], name


def as_json(result: Result, code: int = 0) -> dict[str, Any]:
    assert result.code == code, result.out + result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def as_csv(result: Result, code: int = 0) -> list[list[str]]:
    assert result.code == code, result.out + result.err
    return list(csv.reader(io.StringIO(result.out)))


def by_folder(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(row["case"]).name: row for row in data["cases"]}


def folder_names(data: dict[str, Any]) -> list[str]:
    return [Path(row["case"]).name for row in data["cases"]]


def text_rows(out: str) -> list[str]:
    """The caseload table's rows, each the text of all its lines (cells wrap onto several)."""
    rows: list[list[str]] = []
    column = None  # where the Reference column starts: it never wraps, so it marks a row's first line
    for line in out.splitlines():
        if not line.strip():
            break
        if line.startswith("Child"):
            column = line.index("Reference")
        elif column is not None:
            if line[column:column + 1].strip():
                rows.append([line])
            else:
                rows[-1].append(line)
    return ["\n".join(lines) for lines in rows]


def due_cell(out: str, initials: str) -> str:
    """The Next due cell of the table row that starts with `initials`, its lines joined by spaces."""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Child"))
    reference_at = lines[header].index("Reference")
    start, end = lines[header].index("Next due"), lines[header].index("Late")
    first = next(i for i in range(header + 1, len(lines)) if lines[i].startswith(initials + " "))
    cell = [lines[first][start:end]]
    for line in lines[first + 1:]:
        if not line.strip() or line[reference_at:reference_at + 1].strip():
            break  # the end of the table, or the next row
        cell.append(line[start:end])
    return squash(" ".join(cell))


def squash(text: str) -> str:
    return " ".join(text.split())


def every_output(cli: Run, folder: Path, *args: str, today: str = TODAY) -> dict[str, Result]:
    """The caseload as text, JSON and CSV, and the outcomes in all three, on the same day."""
    variants = {
        "text": [], "json": ["--json"], "csv": ["--csv"],
        "outcomes": ["--outcomes"], "outcomes json": ["--outcomes", "--json"], "outcomes csv": ["--outcomes", "--csv"],
    }
    return {name: cli("caseload", folder, *args, *extra, today=today) for name, extra in variants.items()}


# -- 1. finding the cases -----------------------------------------------------------------


def layout_in_teams(root: Path) -> dict[str, Path]:
    """Samples at several depths, plus copies where they must not be found.

    Returns where each sample that should be listed went, by its folder name.
    """
    places = {
        "01": root / "team-a", "02": root / "team-a", "03": root / "team-b" / "east" / "older",
        "04": root / "team-b", "05": root, "07": root / "team-c" / "2026",
    }
    listed = {}
    for prefix, parent in places.items():
        source = sample(prefix)
        listed[source.name] = shutil.copytree(source, parent / source.name)
    # Not to be found: a hidden folder, a case's own documents/ folder, a case inside a case.
    shutil.copytree(sample("06"), root / ".archive" / sample("06").name)
    shutil.copytree(sample("06"), listed[sample("01").name] / "documents" / "copy-of-06")
    shutil.copytree(sample("06"), listed[sample("02").name] / "old" / "nested-06")
    return listed


def test_every_case_at_any_depth_is_listed_once(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "caseload"
    listed = layout_in_teams(root)
    data = as_json(cli("caseload", root, "--json"))
    assert sorted(row["case"] for row in data["cases"]) == sorted(str(p) for p in listed.values())
    assert sorted(row["reference"] for row in data["cases"]) == sorted(reference(p) for p in listed.values())

    text = cli("caseload", root)
    assert text.code == 0, text.out + text.err
    assert len(text_rows(text.out)) == len(listed)
    assert squash(text.out.rstrip().split("\n\n")[-1]).startswith(f"{len(listed)} cases,")
    hidden = reference(sample("06"))
    assert hidden not in text.out

    # The same cases named again, through a team folder and as a case folder, are still listed once.
    again = as_json(cli("caseload", root, root / "team-a", listed[sample("03").name], "--json"))
    assert sorted(row["case"] for row in again["cases"]) == sorted(str(p) for p in listed.values())


def test_a_case_folder_can_be_given_itself(cli: Run) -> None:
    folder = sample("03")
    data = as_json(cli("caseload", folder, "--json"))
    assert [row["reference"] for row in data["cases"]] == [reference(folder)]


def test_a_folder_named_two_ways_is_listed_once(cli: Run, cases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(cases.parent)
    data = as_json(cli("caseload", cases.name, cases, "--json"))
    refs = [row["reference"] for row in data["cases"]]
    assert sorted(refs) == sorted(reference(p) for p in SAMPLE_DIRS)


@pytest.mark.parametrize("layout", ["empty", "only hidden", "only documents"])
def test_a_folder_with_no_cases_exits_2_with_one_line(cli: Run, tmp_path: Path, layout: str) -> None:
    root = tmp_path / "nothing"
    (root / "team-a").mkdir(parents=True)
    if layout == "only hidden":
        shutil.copytree(sample("03"), root / ".old" / "case")
    elif layout == "only documents":
        shutil.copytree(sample("03"), root / "documents" / "case")
    result = cli("caseload", root)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "no case folders found" in lines[0]


def test_a_missing_folder_exits_2(cli: Run, tmp_path: Path) -> None:
    result = cli("caseload", tmp_path / "no-such-folder")
    assert result.code == 2
    assert "no such folder" in result.err
    assert "Traceback" not in result.err


# -- 2. initials, not names ----------------------------------------------------------------


def test_children_are_shown_by_initials(cli: Run, cases: Path) -> None:
    maisie = child_name(sample("03"))
    assert expected_initials(maisie) == "M.T."
    outputs = every_output(cli, cases)
    for kind, result in outputs.items():
        assert result.code == 0, kind + result.err
        for folder in SAMPLE_DIRS:
            name = child_name(folder)
            assert name not in result.out, kind
            assert name not in result.err, kind
            # Not even a part of it (first name or surname) shows.
            for part in name.split():
                assert not re.search(rf"\b{re.escape(part)}\b", result.out), (kind, part)

    data = by_folder(as_json(outputs["json"]))
    assert {folder: row["child"] for folder, row in data.items()} == {
        p.name: expected_initials(child_name(p)) for p in SAMPLE_DIRS}
    rows = text_rows(outputs["text"].out)
    assert any(row.startswith("M.T. ") and reference(sample("03")) in row for row in rows)
    table = as_csv(outputs["csv"])
    column = table[0].index("child")
    assert sorted(row[column] for row in table[1:]) == sorted(expected_initials(child_name(p)) for p in SAMPLE_DIRS)


def test_names_shows_children_s_names(cli: Run, cases: Path) -> None:
    outputs = every_output(cli, cases, "--names")
    names = {p.name: child_name(p) for p in SAMPLE_DIRS}
    for kind in ("json", "csv", "outcomes json", "outcomes csv"):
        for name in names.values():
            assert name in outputs[kind].out, (kind, name)
    data = by_folder(as_json(outputs["json"]))
    assert {folder: row["child"] for folder, row in data.items()} == names
    monitoring = as_json(outputs["outcomes json"])["monitoring"]
    assert sorted(row["child"] for row in monitoring) == sorted(names.values())
    # In the table a name may wrap onto two lines; every part of it is in its row.
    rows = text_rows(outputs["text"].out)
    for folder, name in names.items():
        row = next(r for r in rows if reference(cases / folder) in r)
        assert all(part in row for part in name.split()), (name, row)


# -- 3. what needs attention first ----------------------------------------------------------


def attention_order_holds(rows: list[dict[str, Any]]) -> None:
    """Cases with something overdue (the most first) above the rest; then the soonest due."""
    for above, below in itertools.pairwise(rows):
        assert above["overdue"] >= below["overdue"], (above, below)
        if above["overdue"] == below["overdue"] == 0 and below["next_due"] is not None:
            assert above["next_due"] is not None and above["next_due"] <= below["next_due"], (above, below)


@pytest.mark.parametrize("today", [TODAY, "2026-12-01", "2027-02-01"])
def test_what_needs_attention_first_is_at_the_top(cli: Run, cases: Path, today: str) -> None:
    data = as_json(cli("caseload", cases, "--json", today=today))
    attention_order_holds(data["cases"])
    # The text lists the cases in the same order.
    rows = text_rows(cli("caseload", cases, today=today).out)
    assert [next(ref for ref in (r["reference"] for r in data["cases"]) if ref in row) for row in rows] == [
        r["reference"] for r in data["cases"]]


def test_attention_order_on_the_samples(cli: Run, cases: Path) -> None:
    order = folder_names(as_json(cli("caseload", cases, "--json")))
    # 04 is late twice and 02 once; 03 (due in three days) before 01 (due in two months),
    # although 01's folder and 02's and 03's references sort first.
    assert order.index(sample("04").name) < order.index(sample("02").name) < order.index(sample("03").name)
    assert order.index(sample("03").name) < order.index(sample("01").name)
    assert reference(sample("03")) < reference(sample("02"))


def test_overdue_case_above_one_due_soon(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "cases"
    # "aaa" came into care recently: its first review is due within days, nothing is late.
    # "zzz" came into care in June and has had no review: it is late.
    recent = {**BASE, "case.yaml": BASE["case.yaml"].replace("2026-06-01", "2026-10-27"),
              "events.yaml": BASE["events.yaml"].replace("2026-09-01", "2026-10-28")}
    write_case(root / "aaa", recent)
    write_case(root / "zzz", {**BASE, "case.yaml": BASE["case.yaml"].replace("TEST-001", "TEST-999"),
                              "events.yaml": BASE["events.yaml"].split("meetings:")[0]})
    data = as_json(cli("caseload", root, "--json"))
    rows = by_folder(data)
    assert rows["zzz"]["overdue"] > 0
    assert rows["aaa"]["overdue"] == 0 and rows["aaa"]["upcoming"] > 0
    assert folder_names(data) == ["zzz", "aaa"]
    # Nothing late in either: the one due sooner comes first.
    later = {**recent, "case.yaml": recent["case.yaml"].replace("2026-10-27", "2026-11-05")
             .replace("TEST-001", "TEST-000")}
    write_case(root / "zzz", later)
    data = as_json(cli("caseload", root, "--json"))
    rows = by_folder(data)
    assert rows["zzz"]["overdue"] == 0 and rows["aaa"]["overdue"] == 0
    assert rows["aaa"]["next_due"] < rows["zzz"]["next_due"]
    assert folder_names(data) == ["aaa", "zzz"]


def break_case_yaml(folder: Path) -> str:
    """Make case.yaml unreadable with a line that names the child; returns the name."""
    name = child_name(folder)
    with (folder / "case.yaml").open("a", encoding="utf-8") as f:
        f.write(f'note: "{name} [unclosed\nchild: [{name}\n')
    return name


def test_an_unreadable_case_is_listed_first_and_exits_1(cli: Run, cases: Path) -> None:
    broken = cases / sample("03").name
    name = break_case_yaml(broken)
    others = sorted(reference(p) for p in SAMPLE_DIRS if p.name != broken.name)

    text = cli("caseload", cases)
    assert text.code == 1
    rows = text_rows(text.out)
    assert len(rows) == len(SAMPLE_DIRS)
    assert broken.name in rows[0]
    assert "cannot be read" in squash(rows[0])
    assert sorted(ref for ref in others if any(ref in row for row in rows[1:])) == others
    assert "1 that cannot be read" in squash(text.out)

    data = as_json(cli("caseload", cases, "--json"), code=1)
    first = data["cases"][0]
    assert Path(first["case"]).name == broken.name
    assert first["unreadable"] and first["errors"] >= 1
    assert sorted(r["reference"] for r in data["cases"][1:]) == others

    table = as_csv(cli("caseload", cases, "--csv"), code=1)
    assert len(table) == 1 + len(SAMPLE_DIRS)
    assert Path(table[1][0]).name == broken.name

    # Whatever is wrong, nothing of the child's record is echoed.
    for args in ([], ["--json"], ["--csv"], ["--outcomes"], ["--outcomes", "--json"]):
        result = cli("caseload", cases, *args)
        assert result.code == 1, args
        for part in name.split():
            assert part not in result.out + result.err, (args, part)


def give_riley_an_error(cases: Path) -> str:
    """An error in sample 01's records (an unknown legal status code) that still lets it be read."""
    case_file = cases / sample("01").name / "case.yaml"
    case_file.write_text(case_file.read_text(encoding="utf-8").replace("code: V2", "code: ZZ"), encoding="utf-8")
    return sample("01").name


def test_a_case_with_errors_is_listed_above_those_without(cli: Run, cases: Path) -> None:
    folder = give_riley_an_error(cases)
    data = as_json(cli("caseload", cases, "--json"))
    rows = by_folder(data)
    assert rows[folder]["errors"] > 0 and rows[folder]["unreadable"] is None
    assert rows[folder]["reference"] == reference(sample("01"))
    assert rows[folder]["next_due"] is not None
    assert folder_names(data)[0] == folder


def test_an_unreadable_case_is_above_a_readable_case_with_errors(cli: Run, cases: Path) -> None:
    break_case_yaml(cases / sample("03").name)
    give_riley_an_error(cases)  # readable, with something due (see the test above)
    data = as_json(cli("caseload", cases, "--json"), code=1)
    assert folder_names(data)[0] == sample("03").name


# -- 4. upcoming and overdue ----------------------------------------------------------------


@pytest.mark.parametrize("today", ["2026-11-17", "2026-11-18", "2026-11-19", TODAY, "2026-11-26", "2026-12-01"])
def test_due_within_seven_days_is_upcoming(cli: Run, cases: Path, today: str) -> None:
    day = dt.date.fromisoformat(today)
    data = as_json(cli("caseload", cases, "--json", today=today))
    rows = {row["reference"]: row for row in data["cases"]}
    text = {ref: row for row in text_rows(cli("caseload", cases, today=today).out) for ref in rows if ref in row}
    for ref, row in rows.items():
        if row["next_due"] is None:
            assert "upcoming" not in text[ref]
            continue
        days = (dt.date.fromisoformat(row["next_due"]) - day).days
        soon = 0 <= days <= 7
        assert ("upcoming" in text[ref]) is soon, (ref, days, text[ref])
        if row["overdue"] == 0:
            assert (row["upcoming"] > 0) is soon, (ref, days, row)


def test_upcoming_on_the_samples(cli: Run, cases: Path) -> None:
    rows = by_folder(as_json(cli("caseload", cases, "--json")))
    maisie, riley = rows[sample("03").name], rows[sample("01").name]
    assert (dt.date.fromisoformat(maisie["next_due"]) - dt.date.fromisoformat(TODAY)).days <= 7
    assert maisie["upcoming"] > 0 and riley["upcoming"] == 0
    text = text_rows(cli("caseload", cases).out)
    assert "upcoming" in next(r for r in text if r.startswith("M.T."))
    assert "upcoming" not in next(r for r in text if r.startswith("R.P."))
    summary = squash(cli("caseload", cases).out.rstrip().split("\n\n")[-1])
    soon = sum(1 for row in rows.values() if row["overdue"] == 0 and row["upcoming"])
    assert f"{soon} with something due within 7 days" in summary


def maisie_due_cell(cli: Run, cases: Path, offset: int) -> tuple[dt.date, str]:
    """Sample 03's next due date, and its Next due cell in the table `offset` days from it."""
    due = dt.date.fromisoformat(by_folder(as_json(cli("caseload", cases, "--json")))[sample("03").name]["next_due"])
    day = (due + dt.timedelta(days=offset)).isoformat()
    assert by_folder(as_json(cli("caseload", cases, "--json", today=day)))[sample("03").name]["next_due"] == \
        due.isoformat()
    return due, due_cell(cli("caseload", cases, today=day).out, "M.T.")


@pytest.mark.parametrize(("offset", "shown"), [(-8, "in 8 days"), (-7, "in 7 days upcoming"),
                                               (-3, "in 3 days upcoming"), (0, "today upcoming"),
                                               (5, "5 days ago")])
def test_next_due_is_shown_relative_to_today(cli: Run, cases: Path, offset: int, shown: str) -> None:
    due, cell = maisie_due_cell(cli, cases, offset)
    assert cell == f"{due.isoformat()} {shown}"
    row = by_folder(as_json(cli("caseload", cases, "--json", today=(due + dt.timedelta(days=offset)).isoformat())))
    maisie = row[sample("03").name]
    assert (maisie["overdue"] > 0) is (offset > 0)
    assert (maisie["upcoming"] > 0) is (-7 <= offset <= 0)


@pytest.mark.parametrize(("offset", "shown"), [(-1, "tomorrow upcoming"), (1, "yesterday")])
def test_one_day_is_said_in_the_singular(cli: Run, cases: Path, offset: int, shown: str) -> None:
    due, cell = maisie_due_cell(cli, cases, offset)
    assert cell == f"{due.isoformat()} {shown}"


@pytest.mark.parametrize("today", [TODAY, "2026-12-01", "2027-02-01"])
def test_overdue_count_is_the_overdue_list_of_next(cli: Run, cases: Path, today: str) -> None:
    data = as_json(cli("caseload", cases, "--json", today=today))
    assert len(data["cases"]) == len(SAMPLE_DIRS)
    for row in data["cases"]:
        shown = as_json(cli("next", row["case"], "--json", today=today))
        assert row["overdue"] == len(shown["overdue"]), row["case"]
    text = text_rows(cli("caseload", cases, today=today).out)
    for row in data["cases"]:
        line = next(r for r in text if row["reference"] in r).splitlines()[0]
        assert line.split()[-1] == str(row["overdue"]), line


# -- 5. filters -----------------------------------------------------------------------------


def refs(result: Result) -> list[str]:
    return [row["reference"] for row in as_json(result)["cases"]]


def test_overdue_filter(cli: Run, cases: Path) -> None:
    every = as_json(cli("caseload", cases, "--json"))["cases"]
    late = [row["reference"] for row in every if row["overdue"] > 0]
    assert late and len(late) < len(every)
    assert refs(cli("caseload", cases, "--overdue", "--json")) == late
    rows = text_rows(cli("caseload", cases, "--overdue").out)
    assert len(rows) == len(late) and all(any(ref in row for row in rows) for ref in late)


def with_member(wanted: str) -> list[str]:
    """References of the samples whose team has `wanted` as an id, or in a name (any case)."""
    key = wanted.casefold()
    return sorted(reference(p) for p in SAMPLE_DIRS
                  if any(key == member.casefold() or key in name.casefold() for member, name in team(p)))


@pytest.mark.parametrize("wanted", ["qaro-obi", "HOS-Ashdown", "tm-rao"])
def test_worker_filter_by_id(cli: Run, cases: Path, wanted: str) -> None:
    expected = with_member(wanted)
    assert expected
    assert sorted(refs(cli("caseload", cases, "--worker", wanted, "--json"))) == expected


@pytest.mark.parametrize("wanted", ["ashdown", "GREAVES", "Pryce", "sam"])
def test_worker_filter_by_part_of_a_name(cli: Run, cases: Path, wanted: str) -> None:
    expected = with_member(wanted)
    assert expected
    assert sorted(refs(cli("caseload", cases, "--worker", wanted, "--json"))) == expected


def test_worker_filter_is_repeatable(cli: Run, cases: Path) -> None:
    expected = sorted(set(with_member("greaves")) | set(with_member("tm-rao")))
    assert len(expected) == 2
    assert sorted(refs(cli("caseload", cases, "--worker", "greaves", "--worker", "tm-rao", "--json"))) == expected


def test_no_case_matching_says_so(cli: Run, cases: Path) -> None:
    result = cli("caseload", cases, "--worker", "Nobody Atall")
    assert result.code == 0
    assert f"No cases match ({len(SAMPLE_DIRS)} cases looked at)" in result.out
    assert refs(cli("caseload", cases, "--worker", "Nobody Atall", "--json")) == []


@pytest.mark.parametrize("level", ["high", "High", "SEVERE", " medium "])
def test_risk_filter(cli: Run, cases: Path, level: str) -> None:
    every = as_json(cli("caseload", cases, "--json"))["cases"]
    expected = [row["reference"] for row in every if row["risk"] == level.strip().lower()]
    assert expected
    assert refs(cli("caseload", cases, "--risk", level, "--json")) == expected


def test_risk_filter_is_repeatable(cli: Run, cases: Path) -> None:
    every = as_json(cli("caseload", cases, "--json"))["cases"]
    expected = [row["reference"] for row in every if row["risk"] in ("high", "severe")]
    assert len(expected) == 2
    assert refs(cli("caseload", cases, "--risk", "high", "--risk", "Severe", "--json")) == expected


def test_an_unknown_risk_level_exits_2(cli: Run, cases: Path) -> None:
    result = cli("caseload", cases, "--risk", "purple")
    assert result.code == 2
    assert result.out == ""
    assert "--risk must be one of: low, medium, high, severe" in result.err


def test_filters_combine(cli: Run, cases: Path) -> None:
    every = as_json(cli("caseload", cases, "--json"))["cases"]
    ashdown = with_member("hos-ashdown")
    assert len(ashdown) == 2
    late_ashdown = [r["reference"] for r in every if r["reference"] in ashdown and r["overdue"] > 0]
    medium_ashdown = [r["reference"] for r in every if r["reference"] in ashdown and r["risk"] == "medium"]
    assert len(late_ashdown) == 1 and len(medium_ashdown) == 1 and late_ashdown != medium_ashdown
    assert refs(cli("caseload", cases, "--overdue", "--worker", "hos-ashdown", "--json")) == late_ashdown
    assert refs(cli("caseload", cases, "--risk", "medium", "--worker", "Ashdown", "--json")) == medium_ashdown
    assert refs(cli("caseload", cases, "--risk", "medium", "--worker", "ashdown", "--overdue", "--json")) == []


# -- 6. JSON and CSV ------------------------------------------------------------------------


def test_json_has_one_object_per_case(cli: Run, cases: Path) -> None:
    data = as_json(cli("caseload", cases, "--json"))
    assert data["today"] == TODAY
    assert len(data["cases"]) == len(SAMPLE_DIRS)
    for row in data["cases"]:
        assert set(row) == JSON_KEYS
        assert Path(row["case"]).parent == cases
    rows = by_folder(data)
    assert sorted(rows) == [p.name for p in SAMPLE_DIRS]
    for folder, row in rows.items():
        assert row["reference"] == reference(SAMPLES / folder)
        assert row["unreadable"] is None and row["errors"] == 0


def test_csv_has_a_header_and_one_row_per_case(cli: Run, cases: Path) -> None:
    table = as_csv(cli("caseload", cases, "--csv"))
    assert table[0] == CSV_HEADER
    assert len(table) == 1 + len(SAMPLE_DIRS)
    assert all(len(row) == len(CSV_HEADER) for row in table)
    data = as_json(cli("caseload", cases, "--json"))["cases"]
    # Same cases, same order, same values as the JSON.
    for row, item in zip(table[1:], data, strict=True):
        for column, cell in zip(CSV_HEADER, row, strict=True):
            value = item[column]
            assert cell == ("" if value is None else str(value)), (column, cell, value)


def test_csv_and_json_together_exit_2(cli: Run, cases: Path) -> None:
    result = cli("caseload", cases, "--csv", "--json")
    assert result.code == 2
    assert "choose one" in result.err


# -- 7. CSV formula injection -------------------------------------------------------------


DANGEROUS_REFERENCES = ['=HYPERLINK("http://x","y")', "+44 20 7946 0000", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)"]
DANGEROUS_NAME = "=Evil Stone"


def dangerous_cases(root: Path) -> None:
    for number, ref in enumerate(DANGEROUS_REFERENCES):
        case = BASE["case.yaml"].replace("reference: TEST-001", "reference: " + json.dumps(ref))
        write_case(root / f"case-{number}", {**BASE, "case.yaml": case})
    people = BASE["people.yaml"].replace("name: Ella Stone", "name: " + json.dumps(DANGEROUS_NAME))
    write_case(root / "case-name", {**BASE, "people.yaml": people})


@pytest.mark.parametrize("args", [["--csv"], ["--csv", "--names"], ["--outcomes", "--csv"],
                                  ["--outcomes", "--csv", "--names"]])
def test_csv_cells_never_start_like_a_formula(cli: Run, tmp_path: Path, args: list[str]) -> None:
    root = tmp_path / "cases"
    dangerous_cases(root)
    data = as_json(cli("caseload", root, "--json", "--names"))
    assert sorted(r["reference"] for r in data["cases"]) == sorted([*DANGEROUS_REFERENCES, "TEST-001"])
    assert DANGEROUS_NAME in [r["child"] for r in data["cases"]]

    table = as_csv(cli("caseload", root, *args))
    assert len(table) == 1 + len(DANGEROUS_REFERENCES) + 1
    cells = [cell for row in table for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    column = table[0].index("reference")
    assert sorted(row[column] for row in table[1:]) == sorted(
        ["'" + ref for ref in DANGEROUS_REFERENCES] + ["TEST-001"])
    child = table[0].index("child")
    if "--names" in args:
        assert "'" + DANGEROUS_NAME in [row[child] for row in table[1:]]


# -- 8. outcomes ----------------------------------------------------------------------------


def stage_reached(cli: Run, folder: Path, today: str = TODAY) -> int:
    """The furthest stage with a step done, or the stage the case is at, from `reunify status`."""
    status = as_json(cli("status", folder, "--json", today=today))
    done = [number for number, stage in enumerate(status["stages"], 1)
            if any(step["state"] == "done" for step in stage["steps"])]
    current = [status["stage"]["number"]] if status["stage"] else []
    return max(done + current, default=0)


def test_outcomes_on_the_samples(cli: Run, cases: Path) -> None:
    result = cli("caseload", cases, "--outcomes")
    assert result.code == 0, result.err
    text = squash(result.out)
    assert f"Outcomes across {len(SAMPLE_DIRS)} cases (on {TODAY})" in text

    reached = [stage_reached(cli, p) for p in SAMPLE_DIRS]
    stages = len(as_json(cli("status", SAMPLE_DIRS[0], "--json"))["stages"])
    counts = as_json(cli("caseload", cases, "--outcomes", "--json"))["reached"]
    assert counts == {str(n): sum(1 for r in reached if r >= n) for n in range(1, stages + 1)}
    for line in result.out.splitlines():
        if match := re.match(r"Reached stage (\d):", line):
            assert line.split()[-1] == str(counts[match.group(1)]), line

    returned = [p for p in SAMPLE_DIRS if step_date(p, "return_home") is not None]
    assert [p.name for p in returned] == [sample("06").name]
    assert re.search(rf"^Returned home +{len(returned)}$", result.out, re.M)
    assert re.search(r"^Alternative permanence planned +1$", result.out, re.M)
    assert re.search(r"^Ended part way +1$", result.out, re.M)
    assert re.search(rf"^  {WITHDREW} +1$", result.out, re.M)
    assert re.search(r"^Decided not to pursue reunification +0$", result.out, re.M)

    home = sample("06")
    returned_on = step_date(home, "return_home")
    assert returned_on is not None
    days = (returned_on - d1_date(home)).days
    assert f"Decision 1 to return home: median {days} days (shortest {days}, longest {days}; 1 case)" in text


def test_outcomes_monitoring_csv(cli: Run, cases: Path) -> None:
    table = as_csv(cli("caseload", cases, "--outcomes", "--csv"))
    header = table[0]
    assert header[:3] == ["case", "reference", "child"]
    assert all(column in header for column in MONITORING)
    assert len(table) == 1 + len(SAMPLE_DIRS)
    rows = {Path(row[0]).name: dict(zip(header, row, strict=True)) for row in table[1:]}
    home = sample("06")
    returned = step_date(home, "return_home")
    assert returned is not None
    row = rows[home.name]
    assert row["returned_home"] == returned.isoformat()
    assert row["decision_1"] == d1_date(home).isoformat()
    assert row["days_decision_1_to_return"] == str((returned - d1_date(home)).days)
    assert row["home_at_6_months"] == row["home_at_12_months"] == ""  # not six months home yet
    assert row["child"] == expected_initials(child_name(home))
    ended = rows[sample("07").name]
    exit_record = read_yaml(sample("07") / "events.yaml")["exit"]
    assert ended["ended_part_way"] == exit_record["date"].isoformat()
    assert ended["exit_reason"] == exit_record["reason"]
    assert rows[sample("05").name]["path"] == "permanence"
    for folder, values in rows.items():
        if folder != home.name:
            assert values["returned_home"] == "", folder


def test_outcomes_json(cli: Run, cases: Path) -> None:
    data = as_json(cli("caseload", cases, "--outcomes", "--json"))
    home = sample("06")
    returned = step_date(home, "return_home")
    assert returned is not None
    days = (returned - d1_date(home)).days
    assert data["cases"] == len(SAMPLE_DIRS)
    assert data["returned_home"] == 1
    assert data["permanence"] == 1
    assert data["not_pursued"] == 0
    assert data["ended_part_way"] == {WITHDREW: 1}
    assert data["days_decision_1_to_return"] == [days]
    assert data["median_days_decision_1_to_return"] == days
    assert data["home_at_6_months"] == {"home": 0, "of": 0}
    monitoring = {Path(row["case"]).name: row for row in data["monitoring"]}
    assert len(monitoring) == len(SAMPLE_DIRS)
    assert all(column in row for row in monitoring.values() for column in MONITORING)
    assert monitoring[home.name]["returned_home"] == returned.isoformat()
    assert monitoring[home.name]["decision_1"] == d1_date(home).isoformat()


def home_case(tmp_path: Path) -> tuple[Path, dt.date]:
    root = tmp_path / "cases"
    folder = shutil.copytree(sample("06"), root / sample("06").name)
    returned = step_date(folder, "return_home")
    assert returned is not None
    return root, returned


def six_months_after(day: dt.date) -> dt.date:
    return day.replace(year=day.year + (day.month + 6 - 1) // 12, month=(day.month + 6 - 1) % 12 + 1)


def test_still_home_six_months_after_the_return(cli: Run, tmp_path: Path) -> None:
    root, returned = home_case(tmp_path)
    today = (six_months_after(returned) + dt.timedelta(days=10)).isoformat()
    text = cli("caseload", root, "--outcomes", today=today)
    assert text.code == 0, text.err
    assert re.search(r"^Still home 6 months after the return +1 of 1$", text.out, re.M), text.out
    assert re.search(r"^Still home 12 months after the return +none home that long yet$", text.out, re.M)
    table = as_csv(cli("caseload", root, "--outcomes", "--csv", today=today))
    row = dict(zip(table[0], table[1], strict=True))
    assert row["home_at_6_months"] == "yes"
    assert row["home_at_12_months"] == ""
    assert row["return_ended"] == ""
    data = as_json(cli("caseload", root, "--outcomes", "--json", today=today))
    assert data["home_at_6_months"] == {"home": 1, "of": 1}
    assert data["monitoring"][0]["home_at_6_months"] == "yes"


def test_a_later_placement_ends_the_return(cli: Run, tmp_path: Path) -> None:
    root, returned = home_case(tmp_path)
    back = returned + dt.timedelta(days=60)
    case_file = root / sample("06").name / "case.yaml"
    original = case_file.read_text(encoding="utf-8")
    # Back into foster care (U6) two months after going home on the care order (P1).
    changed = original.replace("    carer: natalie\n", "    carer: natalie\n  - code: U6\n"
                               f"    from: {back.isoformat()}\n    carer: yvonne-hardcastle\n")
    assert changed != original
    case_file.write_text(changed, encoding="utf-8")
    today = (six_months_after(returned) + dt.timedelta(days=10)).isoformat()
    text = cli("caseload", root, "--outcomes", today=today)
    assert re.search(r"^Returned home +1$", text.out, re.M), text.out
    assert re.search(r"^Still home 6 months after the return +0 of 1$", text.out, re.M), text.out
    table = as_csv(cli("caseload", root, "--outcomes", "--csv", today=today))
    row = dict(zip(table[0], table[1], strict=True))
    assert row["returned_home"] == returned.isoformat()
    assert row["return_ended"] == back.isoformat()
    assert row["home_at_6_months"] == "no"
    data = as_json(cli("caseload", root, "--outcomes", "--json", today=today))
    assert data["home_at_6_months"] == {"home": 0, "of": 1}


def test_a_placement_not_yet_begun_does_not_end_the_return(cli: Run, tmp_path: Path) -> None:
    root, returned = home_case(tmp_path)
    case_file = root / sample("06").name / "case.yaml"
    later = six_months_after(returned) + dt.timedelta(days=100)
    case_file.write_text(case_file.read_text(encoding="utf-8").replace(
        "    carer: natalie\n", f"    carer: natalie\n  - code: U6\n    from: {later.isoformat()}\n"), encoding="utf-8")
    today = (six_months_after(returned) + dt.timedelta(days=10)).isoformat()
    table = as_csv(cli("caseload", root, "--outcomes", "--csv", today=today))
    row = dict(zip(table[0], table[1], strict=True))
    assert row["return_ended"] == ""
    assert row["home_at_6_months"] == "yes"


# -- 9. many cases in parallel ------------------------------------------------------------


def test_parallel_reading_gives_the_same_result(cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "many"
    for copy in range(10):
        for folder in SAMPLE_DIRS:
            shutil.copytree(folder, root / f"team-{copy % 3}" / f"{folder.name}-{copy:02d}")
    assert reunify.practice.caseload.PARALLEL_FROM <= 70

    pools: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    serial = cli("caseload", root, "--json", "--jobs", "1")
    assert pools == []
    parallel = cli("caseload", root, "--json", "--jobs", "2")
    assert pools == [1], "--jobs 2 on 70 cases should read them in parallel processes"
    assert as_json(parallel) == as_json(serial)
    assert len(as_json(serial)["cases"]) == 70
    outcomes = [cli("caseload", root, "--outcomes", "--json", "--jobs", jobs) for jobs in ("1", "2")]
    assert as_json(outcomes[0]) == as_json(outcomes[1])


# -- 10. read-only: no document stack ----------------------------------------------------

HEAVY = ["docxtpl", "docx", "jinja2", "lxml", "PIL"]

PROBE = """
import sys
from reunify.cli import main
code = main(sys.argv[1:])
print("HEAVY:" + ",".join(name for name in {heavy!r} if name in sys.modules))
print("CODE:" + str(code))
"""


@pytest.mark.parametrize("args", [[], ["--json"], ["--csv"], ["--outcomes"], ["--outcomes", "--csv"]])
def test_caseload_does_not_import_the_document_stack(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), "caseload", str(SAMPLES), "--today", TODAY, *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "CODE:0", result.stdout[-2000:] + result.stderr
    assert lines[-2] == "HEAVY:", lines[-2]


def test_caseload_import_time_shows_no_document_stack() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reunify", "caseload", str(SAMPLES), "--today", TODAY],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
               if line.startswith("import time:")}
    assert "reunify.practice.caseload" in modules
    assert not {module.split(".")[0] for module in modules} & set(HEAVY)
