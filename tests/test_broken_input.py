"""Hand-written broken cases: every one gives a clear message with file and line, never a crash.

The read-only commands (`check`, `next`, `status`) must also leave every byte of the case
folder as it was. Commands run with the temporary folder as the current folder and a
relative case path, as a practitioner would (`cd cases && reunify check ab-0147`), so that
the printed paths are short.
"""

from __future__ import annotations

import json
import re
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import BASE
from tests.conftest import Result
from tests.conftest import snapshot

CASE = textwrap.dedent(BASE["case.yaml"])
PEOPLE = textwrap.dedent(BASE["people.yaml"])
EVENTS = textwrap.dedent(BASE["events.yaml"])

# Line numbers used below (BASE, dedented):
#   case.yaml    2 reference, 5 legal_status[0].code (V2), 8 placements[0].code (U6), 10 home
#   people.yaml  2 ella, 4 ella's sex, 5 ella's born, 6 ella's parents, 7 jo, 8 jo's name,
#                10 jo's born, 11 households, 14 the household's members
#   events.yaml  4 steps[0].date


# -- reading the output ------------------------------------------------------------------

DIAGNOSTIC = re.compile(
    r"^(?P<file>\S+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|note): (?P<message>.*)$"
)


@dataclass
class Diagnostic:
    file: str
    line: int
    column: int
    severity: str
    message: str
    hint: str = ""

    @property
    def name(self) -> str:
        return Path(self.file).name


def diagnostics(text: str) -> list[Diagnostic]:
    """The `path:line:col: severity: message` entries of an output, with their hints.

    The console wraps long lines when output is not a terminal, so a line that is neither
    a new entry, a hint nor blank continues the entry or hint above it.
    """
    found: list[Diagnostic] = []
    part: str | None = None
    for raw in text.splitlines():
        match = DIAGNOSTIC.match(raw)
        if match:
            found.append(Diagnostic(match["file"], int(match["line"]), int(match["column"]),
                                    match["severity"], match["message"].strip()))
            part = "message"
        elif found and part and raw.startswith("    hint: "):
            found[-1].hint = raw.removeprefix("    hint: ").strip()
            part = "hint"
        elif found and part and raw.strip():
            setattr(found[-1], part, f"{getattr(found[-1], part)} {raw.strip()}")
        else:
            part = None
    return found


def squash(text: str) -> str:
    """Text with runs of whitespace (including the console's line wraps) as one space."""
    return " ".join(text.split())


def assert_no_crash(result: Result) -> None:
    assert result.code != 3, f"internal error (exit 3):\n{result.out}{result.err}"
    assert "Traceback" not in result.out + result.err


@dataclass(frozen=True)
class Expect:
    """One problem a broken case must report."""

    file: str
    line: int
    words: tuple[str, ...]
    severity: str = "error"


def assert_reports(text: str, expected: list[Expect]) -> None:
    """The output holds exactly the expected problems (errors and warnings), in any order."""
    found = [d for d in diagnostics(text) if d.severity in ("error", "warning")
             and not d.message.startswith("overdue since")]  # what falls due of the scaffolding
    assert sorted((d.name, d.line, d.severity) for d in found) == sorted(
        (e.file, e.line, e.severity) for e in expected
    ), text
    for want in expected:
        matches = [d for d in found if (d.name, d.line, d.severity) == (want.file, want.line, want.severity)]
        assert any(all(word in d.message for word in want.words) for d in matches), (want, text)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run commands from the temporary folder, naming cases by relative paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rel(folder: Path, base: Path) -> Path:
    return folder.relative_to(base)


# -- broken cases ------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """A broken case: its files, what `check` must say, and whether the case still loads.

    A case whose files cannot be read or validated cannot be evaluated: `next` and
    `status` then print the problems and exit 1. A case that loads but breaks a rule
    across records is shown by `next` and `status`, which point at `reunify check`.
    """

    files: dict[str, str | None]
    expected: list[Expect]
    loads: bool = False


BROKEN: dict[str, Broken] = {
    "bad indentation": Broken(
        {"people_yaml": PEOPLE.replace("    sex: female\n    born: 2017", "   sex: female\n    born: 2017")},
        [Expect("people.yaml", 4, ("invalid YAML",))],
    ),
    "unclosed bracket": Broken(
        # The parser notices the missing ']' where the next item starts.
        {"people_yaml": PEOPLE.replace("parents: [jo]", "parents: [jo")},
        [Expect("people.yaml", 7, ("invalid YAML", "']'"))],
    ),
    "text where a date is expected": Broken(
        {"people_yaml": PEOPLE.replace("born: 2017-04-09", "born: last spring")},
        [Expect("people.yaml", 5, ("expected a date", "YYYY-MM-DD"))],
    ),
    "a list where a mapping is expected": Broken(
        {"case_yaml": CASE.replace("home: flat\n", "home: flat\nleft_care:\n  - date: 2026-10-01\n    reason: E4A\n")},
        [Expect("case.yaml", 11, ("expected a mapping",))],
    ),
    "a mapping where a list is expected": Broken(
        {"people_yaml": PEOPLE.replace("parents: [jo]", "parents: {mother: jo}")},
        [Expect("people.yaml", 6, ("expected a list",))],
    ),
    "unknown key bron for born": Broken(
        {"people_yaml": PEOPLE.replace("born: 2017-04-09", "bron: 2017-04-09")},
        [Expect("people.yaml", 5, ("unknown field (did you mean 'born'?)",))],
    ),
    "unknown key refrence for reference": Broken(
        {"case_yaml": CASE.replace("reference: TEST-001", "refrence: TEST-001")},
        [
            Expect("case.yaml", 2, ("unknown field (did you mean 'reference'?)",)),
            Expect("case.yaml", 2, ("missing required field 'reference'",)),
        ],
    ),
    "impossible date 2024-02-30": Broken(
        {"people_yaml": PEOPLE.replace("born: 1991-02-14", "born: 2024-02-30")},
        [Expect("people.yaml", 10, ("not a real calendar date",))],
    ),
    "a date in the future": Broken(
        {"events_yaml": EVENTS.replace("2026-09-01", "2026-11-24")},
        [Expect("events.yaml", 4, ("in the future",))],
        loads=True,
    ),
    "a date before the child's birth": Broken(
        {"events_yaml": EVENTS.replace("2026-09-01", "2017-04-08")},
        [Expect("events.yaml", 4, ("before the child was born",))],
        loads=True,
    ),
    "unknown person id": Broken(
        {"people_yaml": PEOPLE.replace("parents: [jo]", "parents: [joe]")},
        [Expect("people.yaml", 6, ("unknown person id: no one in people.yaml has this id",))],
        loads=True,
    ),
    "empty case.yaml": Broken(
        {"case_yaml": ""},
        [Expect("case.yaml", 1, ("the case record is empty",))],
    ),
    "case.yaml with only comments": Broken(
        {"case_yaml": "# Nothing here yet.\n"},
        [Expect("case.yaml", 1, ("the case record is empty",))],
    ),
    "duplicate key": Broken(
        {"people_yaml": PEOPLE.replace("    sex: female\n    born: 1991", "    sex: female\n    sex: male\n    born: 1991")},
        [Expect("people.yaml", 10, ("a key appears twice",))],
    ),
    "a tab among space indentation": Broken(
        {"people_yaml": PEOPLE.replace("    name: Jo Stone", "\tname: Jo Stone")},
        [Expect("people.yaml", 8, ("invalid YAML", "tab"))],
    ),
    "placement P1 while the legal status is V2": Broken(
        {"case_yaml": CASE.replace("placements:\n  - code: U6\n    from: 2026-06-01\n",
                                   "placements:\n  - code: U6\n    from: 2026-06-01\n  - code: P1\n    from: 2026-10-01\n")},
        [Expect("case.yaml", 10, ("placement P1", "V2"))],
        loads=True,
    ),
    "unknown SSDA903 placement code": Broken(
        {"case_yaml": CASE.replace("code: U6", "code: U9")},
        [Expect("case.yaml", 8, ("unknown SSDA903 placement code",))],
        loads=True,
    ),
    "unknown SSDA903 legal status code": Broken(
        {"case_yaml": CASE.replace("code: V2", "code: V1")},
        [Expect("case.yaml", 5, ("unknown SSDA903 legal status code",))],
        loads=True,
    ),
    "duplicate person id": Broken(
        {"people_yaml": PEOPLE.replace("households:", "  - id: jo\n    name: Joanne Stone\nhouseholds:")},
        [Expect("people.yaml", 11, ("this person id is used twice",))],
        loads=True,
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_check_names_file_line_and_problem(
    name: str, make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path
) -> None:
    broken = BROKEN[name]
    folder = make_case(**broken.files)
    before = snapshot(folder)

    result = cli("check", rel(folder, in_tmp))

    assert_no_crash(result)
    assert result.code == 1, result.out + result.err
    assert_reports(result.out, broken.expected)
    errors = sum(1 for e in broken.expected if e.severity == "error")
    assert re.search(rf"\b{errors} error{'s' if errors != 1 else ''}(, \d+ warnings?)?(, \d+ notes?)? in 1 case",
                     squash(result.out)), result.out
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", ["next", "status"])
@pytest.mark.parametrize("name", list(BROKEN))
def test_next_and_status_on_a_broken_case(
    name: str, command: str, make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path
) -> None:
    broken = BROKEN[name]
    folder = make_case(**broken.files)
    before = snapshot(folder)

    result = cli(command, rel(folder, in_tmp))

    assert_no_crash(result)
    if broken.loads:
        # The case can be shown; the errors are counted and `check` is named.
        assert result.code == 0, result.out + result.err
        assert "TEST-001" in result.out
        errors = sum(1 for e in broken.expected if e.severity == "error")
        assert f"{errors} error(s) in the records: run 'reunify check'" in squash(result.out)
    else:
        assert result.code == 1, result.out + result.err
        assert "cannot be read until these are fixed" in result.out
        assert_reports(result.out, broken.expected)
    assert snapshot(folder) == before


def test_json_of_next_and_status_on_an_unreadable_case(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case(people_yaml=PEOPLE.replace("born: 2017-04-09", "bron: 2017-04-09"))
    for command in ("next", "status"):
        result = cli(command, folder, "--json")
        assert result.code == 1
        data = json.loads(result.out)
        [problem] = data["problems"]
        assert Path(problem["file"]).name == "people.yaml"
        assert (problem["line"], problem["severity"]) == (5, "error")
        assert "did you mean 'born'" in problem["message"]


# -- encodings and line endings ----------------------------------------------------------


def test_a_file_that_is_not_utf8(make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path) -> None:
    folder = make_case()
    (folder / "people.yaml").write_bytes(PEOPLE.replace("Jo Stone", "José Stone").encode("latin-1"))
    before = snapshot(folder)

    for command in ("check", "next", "status"):
        result = cli(command, rel(folder, in_tmp))
        assert_no_crash(result)
        assert result.code == 1
        # The byte 0xE9 is on line 8, after "    name: Jos".
        assert_reports(result.out, [Expect("people.yaml", 8, ("not UTF-8",))])
        [found] = diagnostics(result.out)
        assert found.column == 14
        assert "UTF-8" in found.hint
    assert snapshot(folder) == before


def crlf(folder: Path) -> None:
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def test_a_valid_case_with_windows_line_endings_loads_cleanly(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case()
    crlf(folder)
    assert b"\r\n" in (folder / "case.yaml").read_bytes()
    before = snapshot(folder)

    result = cli("check", folder)
    assert result.code == 0, result.out
    assert "1 case checked: no problems" in result.out

    result = cli("next", folder)
    assert result.code == 0
    assert "Discuss the child with the QARO" in result.out
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        (PEOPLE.replace("born: 2017-04-09", "bron: 2017-04-09"),
         Expect("people.yaml", 5, ("unknown field (did you mean 'born'?)",))),
        (PEOPLE.replace("    name: Jo Stone", "   name: Jo Stone"),
         Expect("people.yaml", 8, ("invalid YAML",))),
        (PEOPLE.replace("born: 1991-02-14", "born: 2024-02-30"),
         Expect("people.yaml", 10, ("not a real calendar date",))),
    ],
    ids=["unknown key", "bad indentation", "impossible date"],
)
def test_a_broken_file_with_windows_line_endings_gives_the_right_line(
    people: str, expected: Expect, make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path
) -> None:
    folder = make_case(people_yaml=people)
    crlf(folder)
    before = snapshot(folder)

    result = cli("check", rel(folder, in_tmp))

    assert_no_crash(result)
    assert result.code == 1
    assert_reports(result.out, [expected])
    assert snapshot(folder) == before


# -- YAML features that records may not use ----------------------------------------------


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A "billion laughs" document: fully expanded it would hold width**levels strings."""
    lines = ["lol0: &lol0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_fast(make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path) -> None:
    # Nine levels of nine: 387 million strings if expanded.
    folder = make_case(events_yaml=alias_bomb())
    before = snapshot(folder)

    for command in ("check", "next", "status"):
        started = time.perf_counter()
        result = cli(command, rel(folder, in_tmp))
        elapsed = time.perf_counter() - started

        assert_no_crash(result)
        assert result.code == 1
        assert elapsed < 5, f"{command} took {elapsed:.1f}s on an alias bomb"
        # The first alias is on line 2: `lol1: &lol1 [*lol0, ...`.
        assert_reports(result.out, [Expect("events.yaml", 2, ("anchors and aliases are not allowed",))])
    assert snapshot(folder) == before


def test_a_file_indented_with_tabs(make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path) -> None:
    folder = make_case(events_yaml="steps:\n\t- step: identify\n\t  date: 2026-09-01\n\t  by: sw\n")
    before = snapshot(folder)

    result = cli("check", rel(folder, in_tmp))

    assert_no_crash(result)
    assert result.code == 1
    [found] = diagnostics(result.out)
    assert (found.name, found.line, found.severity) == ("events.yaml", 2, "error")
    assert "invalid YAML" in found.message
    assert "tabs" in found.hint
    assert snapshot(folder) == before


# -- missing and empty files -------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "next", "status"])
def test_a_folder_without_case_yaml_is_not_a_case_folder(
    command: str, make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path
) -> None:
    folder = make_case(case_yaml=None)
    before = snapshot(folder)

    result = cli(command, rel(folder, in_tmp))

    assert_no_crash(result)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("error: case: not a case folder")
    if command != "check":
        assert "(no case.yaml)" in result.err
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", ["check", "next", "status"])
def test_no_such_folder(command: str, cli: Callable[..., Result], in_tmp: Path) -> None:
    result = cli(command, "no-such-case")

    assert_no_crash(result)
    assert result.code == 2
    assert "no-such-case: no such folder" in result.err
    assert not (in_tmp / "no-such-case").exists()


@pytest.mark.parametrize(
    "files",
    [
        {"events_yaml": None},
        {"events_yaml": ""},
        {"events_yaml": "# Nothing recorded yet.\n"},
        {"chronology_yaml": "", "risk_yaml": "", "decisions_yaml": "", "plan_yaml": ""},
    ],
    ids=["events.yaml missing", "events.yaml empty", "events.yaml only a comment", "other files empty"],
)
def test_missing_or_empty_optional_files_are_fine(
    files: dict[str, str | None], make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case(**files)
    before = snapshot(folder)

    result = cli("check", folder)
    assert result.code == 0, result.out
    # Without events.yaml no review is recorded: only that it is overdue is reported.
    problems = [line for line in result.out.splitlines() if ": warning: " in line or ": error: " in line]
    assert all("overdue since" in line for line in problems), result.out

    result = cli("next", folder)
    assert result.code == 0, result.out
    assert "Next" in result.out
    assert snapshot(folder) == before


# -- rules across records ----------------------------------------------------------------

PEOPLE_WITH_PARTNER = PEOPLE.replace("members: [jo]", "members: [jo, max]").replace(
    "households:", "  - id: max\n    name: Max Grey\n    born: 1988-05-05\nhouseholds:"
)


def test_household_member_over_16_without_police_check_once_assessment_started(
    make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path
) -> None:
    checked_jo = """\
        started: 2026-10-01
        police_checks:
          - person: jo
            date: 2026-10-05
            result: nothing known
        """
    folder = make_case(people_yaml=PEOPLE_WITH_PARTNER, assessment_yaml=checked_jo)
    before = snapshot(folder)

    result = cli("check", rel(folder, in_tmp))

    assert_no_crash(result)
    assert result.code == 0, "a warning alone must not fail the check"
    # households[0].members[1] is max, on line 17.
    assert_reports(result.out, [Expect("people.yaml", 17, ("no police check", "'max'", "16 or over"), "warning")])
    assert "1 warning in 1 case" in squash(result.out)
    assert snapshot(folder) == before


def test_no_police_check_warning_before_the_assessment_starts(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case(people_yaml=PEOPLE_WITH_PARTNER)

    result = cli("check", folder)

    assert result.code == 0
    assert "police check" not in result.out
    assert "no problems" in result.out


# -- personal data -----------------------------------------------------------------------

SECRET = "Zebedee Quillfeather"


@pytest.mark.parametrize(
    "files",
    [
        {"people_yaml": PEOPLE.replace("born: 1991-02-14", f"born: {SECRET}")},
        {"people_yaml": PEOPLE.replace("sex: female\n    born: 1991", f"sex: {SECRET}\n    born: 1991")},
        {"people_yaml": PEOPLE.replace("parents: [jo]", f"parents: {SECRET}")},
        {"case_yaml": CASE.replace("home: flat", f"home: {SECRET}")},
        {"events_yaml": EVENTS.replace("by: sw", f"by: [{SECRET}]")},
        {"case_yaml": CASE.replace("reference: TEST-001", f"reference: [{SECRET}]")},
    ],
    ids=["date", "choice", "list", "id", "team id as list", "text as list"],
)
def test_messages_do_not_echo_personal_data(
    files: dict[str, str], make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case(**files)
    # Each of these has the name in a field of the wrong type.
    for args in (("check",), ("check", "--json"), ("next",), ("next", "--json"), ("status",)):
        result = cli(*args, folder)
        assert_no_crash(result)
        assert result.code == 1, (args, result.out)
        shown = result.out + result.err
        assert "error" in shown
        assert "Zebedee" not in shown and "Quillfeather" not in shown, (args, shown)


# -- JSON and many cases -----------------------------------------------------------------


def test_check_json_is_parseable_with_positions(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = make_case(
        people_yaml=PEOPLE.replace("born: 2017-04-09", "bron: 2017-04-09"),
    )
    before = snapshot(folder)

    result = cli("check", folder, "--json")

    assert result.code == 1
    data = json.loads(result.out)
    assert data["errors"] == 1 and data["warnings"] == 0
    [case] = data["cases"]
    assert Path(case["case"]) == folder
    [problem] = case["problems"]
    assert Path(problem["file"]) == folder / "people.yaml"
    assert (problem["line"], problem["column"], problem["severity"]) == (5, 11, "error")
    assert problem["field"] == "people[0]"  # the unknown key is not repeated; line and column point at it
    assert problem["message"] == "unknown field (did you mean 'born'?)"
    assert snapshot(folder) == before


def test_check_json_on_a_clean_case(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    result = cli("check", make_case(), "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert (data["errors"], data["warnings"]) == (0, 0)
    assert data["cases"][0]["problems"] == []


def two_broken_cases(make_case: Callable[..., Path]) -> tuple[Path, Path]:
    first = make_case("cases/a", people_yaml=PEOPLE.replace("born: 1991-02-14", "born: 2024-02-30"))
    second = make_case("cases/b", events_yaml=EVENTS.replace("2026-09-01", "2027-01-01"))
    return first, second


def test_check_reports_two_case_folders_at_once(
    make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path
) -> None:
    first, second = two_broken_cases(make_case)

    result = cli("check", rel(first, in_tmp), rel(second, in_tmp))

    assert result.code == 1
    found = diagnostics(result.out)
    assert [(d.file, d.line) for d in found] == [("cases/a/people.yaml", 10), ("cases/b/events.yaml", 4)]
    assert "not a real calendar date" in found[0].message
    assert "in the future" in found[1].message
    assert "2 errors in 2 cases" in squash(result.out)


def test_check_expands_a_folder_of_case_folders(
    make_case: Callable[..., Path], cli: Callable[..., Result], in_tmp: Path
) -> None:
    two_broken_cases(make_case)
    clean = make_case("cases/c")
    (in_tmp / "cases" / "README.md").write_text("not a case\n")
    (in_tmp / "cases" / "notes").mkdir()

    result = cli("check", "cases")

    assert result.code == 1
    assert {d.file for d in diagnostics(result.out)} == {"cases/a/people.yaml", "cases/b/events.yaml"}
    assert "2 errors in 3 cases" in squash(result.out)

    data = json.loads(cli("check", "cases", "--json").out)
    assert [Path(c["case"]).name for c in data["cases"]] == ["a", "b", "c"]
    assert [len(c["problems"]) for c in data["cases"]] == [1, 1, 0]
    assert clean.exists()


def test_check_of_a_folder_without_case_folders(cli: Callable[..., Result], in_tmp: Path) -> None:
    (in_tmp / "empty").mkdir()
    result = cli("check", "empty")
    assert_no_crash(result)
    assert result.code == 2
    assert "not a case folder" in result.err


# -- known bugs --------------------------------------------------------------------------


def test_each_problem_is_one_line_when_piped(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    # An absolute path, as `reunify check /srv/cases/...` or a CI job would print.
    folder = make_case("a-case-folder-with-a-realistically-long-name",
                       people_yaml=PEOPLE.replace("born: 2017-04-09", "bron: 2017-04-09"))

    result = cli("check", folder)

    assert result.code == 1
    expected = f"{folder / 'people.yaml'}:5:11: error: unknown field (did you mean 'born'?)"
    assert expected in result.out.splitlines(), result.out
