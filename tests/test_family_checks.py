"""`check` catches a family that cannot exist, and values no document can hold.

One test per rule. Each case is the small valid case of conftest.py with one file
replaced; the line that should be reported ends with ``# <-``. Every problem is an error at
that file and line, `check` exits 1, and no message repeats what the file holds.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reunify.records import models as m
from reunify.records.validation import validate
from tests.conftest import BASE
from tests.conftest import Result

MARK = "# <-"

PEOPLE = textwrap.dedent(BASE["people.yaml"])
CASE = textwrap.dedent(BASE["case.yaml"])


@dataclass(frozen=True)
class Found:
    file: str
    line: int
    severity: str
    message: str


def marked_line(text: str) -> int:
    """The line of `text` that ends with the mark."""
    [line] = [number for number, content in enumerate(text.splitlines(), 1) if content.rstrip().endswith(MARK)]
    return line


def check(cli: Callable[..., Result], folder: Path, *extra: str) -> tuple[int, list[Found]]:
    result = cli("check", folder, "--json", *extra)
    assert "Traceback" not in result.out + result.err
    data = json.loads(result.out)
    found = [Found(Path(p["file"]).name, p["line"], p["severity"], p["message"])
             for case in data["cases"] for p in case["problems"]]
    return result.code, found


def assert_only_error(cli: Callable[..., Result], folder: Path, file: str, text: str, message: str) -> None:
    """`check` exits 1 with exactly one error: `message`, at the marked line of `file`."""
    code, found = check(cli, folder)
    errors = [f for f in found if f.severity == "error"]
    assert code == 1, found
    assert errors == [Found(file, marked_line(text), "error", message)], found


def people(*persons: str, extra: str = "") -> str:
    """people.yaml with the given people (list items, at the left margin) and more sections."""
    return "people:\n" + textwrap.indent("".join(persons), "  ") + extra


ELLA = """\
- id: ella
  name: Ella Stone
  sex: female
  born: 2017-04-09
  parents: [jo]
"""
JO = """\
- id: jo
  name: Jo Stone
  sex: female
  born: 1991-02-14
"""
HOUSEHOLD = """\
households:
  - id: flat
    name: Jo's flat
    members: [jo]
"""


def test_the_base_case_is_clean(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = make_case(people_yaml=people(ELLA, JO, extra=HOUSEHOLD))
    assert check(cli, folder) == (0, [])


# -- the family ------------------------------------------------------------------------------


def test_a_person_who_is_their_own_parent(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO.replace("born: 1991-02-14", "born: 1991-02-14\n  parents: [jo]  " + MARK),
                  extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "a person cannot be their own parent")


@pytest.mark.parametrize("generations", [2, 3, 40])
def test_parents_that_loop_back(generations: int, make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    """A parent of B, B a parent of C, ..., and the last a parent of A: reported once, at A."""
    ids = [f"g{n}" for n in range(generations)]
    loop = "".join(
        f"- id: {pid}\n  name: Person {pid.upper()}\n  parents: [{ids[(n + 1) % generations]}]"
        + (f"  {MARK}\n" if n == 0 else "\n")
        for n, pid in enumerate(ids)
    )
    text = people(ELLA, JO, loop, extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "parents form a loop: this person would be their own ancestor")


def test_a_loop_beside_a_sound_family_is_the_only_problem(make_case: Callable[..., Path],
                                                            cli: Callable[..., Result]) -> None:
    """Ella's grandmother is Jo's mother, and Jo is hers: one loop, two people; Ella is not in it."""
    text = people(ELLA, JO.replace("born: 1991-02-14", "born: 1991-02-14\n  parents: [gran]  " + MARK),
                  "- id: gran\n  name: Gran Stone\n  parents: [jo]\n", extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "parents form a loop: this person would be their own ancestor")


def test_a_couple_of_one_person(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO, extra=HOUSEHOLD + f"couples:\n  - people: [jo, jo]  {MARK}\n    status: married\n")
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "a couple of one person: the two ids are the same")


def test_a_relationship_of_one_person(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO, extra=HOUSEHOLD + f"relationships:\n  - people: [ella, ella]  {MARK}\n    quality: close\n")
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "a relationship of one person: the two ids are the same")


def test_died_before_born(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO.replace("born: 1991-02-14", f"born: 1991-02-14\n  died: 1990-05-01  {MARK}"),
                  extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "died before they were born")


GRANDPARENTS = "".join(f"- id: {pid}\n  name: Person {pid.upper()}\n" for pid in ("lee", "kim"))


def test_more_than_two_birth_parents(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA.replace("parents: [jo]", f"parents: [jo, lee, kim]  {MARK}"), JO, GRANDPARENTS,
                  extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "more than two birth parents")


@pytest.mark.parametrize("link", ["adopted", "fostered", "step"])
def test_more_than_two_parents_who_are_not_birth_parents(link: str, make_case: Callable[..., Path],
                                                         cli: Callable[..., Result]) -> None:
    text = people(ELLA.replace("parents: [jo]", f"parents: [jo, lee, kim]\n  parent_link: {link}"), JO,
                  GRANDPARENTS, extra=HOUSEHOLD)
    assert check(cli, make_case(people_yaml=text)) == (0, [])


def test_a_birth_parent_listed_twice_is_not_a_third(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA.replace("parents: [jo]", "parents: [jo, lee, jo]"), JO, GRANDPARENTS, extra=HOUSEHOLD)
    _, found = check(cli, make_case(people_yaml=text))
    assert "more than two birth parents" not in [f.message for f in found]


# -- names -----------------------------------------------------------------------------------


INVISIBLE = "the name has no visible characters"


@pytest.mark.parametrize(("name", "message"), [
    ('"\\u200b"', INVISIBLE),  # zero width space
    ('"\\u200b \\u200d\\u2060"', INVISIBLE),  # zero width space, joiner, word joiner
    ('"\\ufeff\\u202e"', INVISIBLE),  # byte order mark, right-to-left override
    ('"\\t\\u0007"', INVISIBLE),  # a tab and a bell
    ('"\\u00a0\\u3000"', "must not be empty"),  # no-break and ideographic spaces: stripped, like any space
])
def test_a_name_with_nothing_visible(name: str, message: str, make_case: Callable[..., Path],
                                     cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO.replace("name: Jo Stone", f"name: {name}  {MARK}"), extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, message)


def test_a_blank_team_member_name(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = CASE.replace("name: Sam Rivers", f'name: "\\u200b\\u200b"  {MARK}')
    folder = make_case(case_yaml=text)
    assert_only_error(cli, folder, "case.yaml", text, "the name has no visible characters")


def test_a_name_longer_than_200_characters(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    long_name = " ".join(["Bartholomew"] * 17)  # 203 characters
    assert len(long_name) > 200
    text = people(ELLA, JO.replace("name: Jo Stone", f"name: {long_name}  {MARK}"), extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "the name is longer than 200 characters")


def test_a_name_with_a_word_longer_than_60_characters(make_case: Callable[..., Path],
                                                      cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO, extra=HOUSEHOLD.replace("name: Jo's flat", f"name: Jo {'x' * 61}  {MARK}"))
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "a word of the name is longer than 60 characters")


def test_the_longest_names_that_fit(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    longest = " ".join(["y" * 60] * 3) + " " + "z" * 17  # 200 characters, no word over 60
    assert len(longest) == 200
    text = people(ELLA, JO.replace("name: Jo Stone", f"name: {longest}"), extra=HOUSEHOLD)
    assert check(cli, make_case(people_yaml=text)) == (0, [])


# -- dates and numbers -----------------------------------------------------------------------


def test_born_before_1900(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO.replace("born: 1991-02-14", f"born: 1899-12-31  {MARK}"), extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "the date must lie between 1900-01-01 and 2100-12-31")


def test_born_after_today(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO.replace("born: 1991-02-14", f"born: 2026-11-24  {MARK}"), extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "date of birth is in the future")


@pytest.mark.parametrize(("file", "text"), [
    ("events.yaml", f"steps:\n  - step: identify\n    date: 2101-01-01  {MARK}\n    by: sw\n"),
    ("events.yaml", f"timetable:\n  genogram: 9999-12-31  {MARK}\n"),
    ("case.yaml", CASE.replace("from: 2026-06-01\nplacements", f"from: 0001-01-01  {MARK}\nplacements")),
    ("risk.yaml", f"classifications:\n  - id: RC1\n    date: 9999-12-31  {MARK}\n    level: low\n"
                  "    rationale: x\n    recommended_by: [sw]\n"),
    ("agreement.yaml", f"review_date: 2101-01-01  {MARK}\n"),
])
def test_a_date_outside_1900_to_2100(file: str, text: str, make_case: Callable[..., Path],
                                     cli: Callable[..., Result]) -> None:
    assert MARK in text
    folder = make_case(**{file.replace(".yaml", "_yaml"): text})
    assert_only_error(cli, folder, file, text, "the date must lie between 1900-01-01 and 2100-12-31")
    for command in ("next", "status", "timeline"):  # they stop at the records' errors, and do not crash
        result = cli(command, folder)
        assert result.code == 1, result.out + result.err
        assert "Traceback" not in result.out + result.err


def test_the_last_day_allowed_is_a_date_the_engine_can_count_from(make_case: Callable[..., Path],
                                                                   cli: Callable[..., Result]) -> None:
    """A placement with parents on 2100-12-31 seen on that day: visits fall due after it."""
    text = CASE.replace("placements:\n  - code: U6\n    from: 2026-06-01\n",
                        "placements:\n  - code: U6\n    from: 2026-06-01\n  - code: P1\n    from: 2100-12-31\n"
                        ).replace("code: V2", "code: C2")
    folder = make_case(case_yaml=text)
    for command in ("check", "next", "status", "timeline"):
        for extra in ((), ("--json",)) if command != "timeline" else ((),):
            result = cli(command, folder, *extra, today="2100-12-31")
            assert result.code in (0, 1), result.out + result.err
            assert "Traceback" not in result.out + result.err


@pytest.mark.parametrize(("digits", "message"), [
    (100, "must be at most 40"),  # read as a number, refused by the record's bounds
    (101, "a number with too many digits"),  # refused as the file is read
    (5000, "a number with too many digits"),
])
def test_a_huge_number(digits: int, message: str, make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = f"sdq:\n  - date: 2026-10-01\n    total: {'9' * digits}  {MARK}\n"
    folder = make_case(events_yaml=text)
    assert_only_error(cli, folder, "events.yaml", text, message)


def test_a_huge_number_where_a_date_or_text_belongs(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    text = people(ELLA, JO.replace("born: 1991-02-14", f"born: {'9' * 100}  {MARK}"), extra=HOUSEHOLD)
    folder = make_case(people_yaml=text)
    assert_only_error(cli, folder, "people.yaml", text, "expected a date as YYYY-MM-DD")


def test_validation_bounds_what_no_file_could_hold() -> None:
    """Records built in Python: a 5,000-digit number and the last date there is, located, never a crash."""
    data = {"sdq": [{"date": dt.date.max, "total": 10**5000}], "exit": {"date": dt.date(9999, 12, 31),
                                                                     "reason": "other", "by": 10**5000}}
    record, problems = validate(m.EventsFile, data, Path("events.yaml"))
    assert record is None
    assert [(p.path, p.message) for p in problems] == [
        (("sdq", 0, "date"), "the date must lie between 1900-01-01 and 2100-12-31"),
        (("sdq", 0, "total"), "must be at most 40"),
        (("exit", "date"), "the date must lie between 1900-01-01 and 2100-12-31"),
        (("exit", "by"), "expected text"),
    ]


# -- decisions and classifications -----------------------------------------------------------


def test_a_classification_recorded_twice(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    entry = "    date: 2026-10-01\n    level: medium\n    rationale: x\n    recommended_by: [sw]\n"
    text = f"classifications:\n  - id: RC1\n{entry}  - id: RC1  {MARK}\n{entry}"
    folder = make_case(risk_yaml=text)
    code, found = check(cli, folder)
    assert code == 1
    assert Found("risk.yaml", marked_line(text), "error", "RC1 is recorded twice") in found, found


def test_a_decision_recorded_twice(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    entry = "    date: 2026-10-01\n    by: tm\n    outcome: pursue\n"
    text = f"decisions:\n  - id: D1\n{entry}  - id: D1  {MARK}\n{entry}"
    folder = make_case(decisions_yaml=text)
    code, found = check(cli, folder)
    assert code == 1
    assert Found("decisions.yaml", marked_line(text), "error", "D1 is recorded twice") in found, found


def test_an_unknown_id_recorded_twice_is_not_named(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    entry = "    date: 2026-10-01\n    by: tm\n    outcome: pursue\n"
    text = f"decisions:\n  - id: Dx\n{entry}  - id: Dx  {MARK}\n{entry}"
    folder = make_case(decisions_yaml=text)
    code, found = check(cli, folder)
    assert code == 1
    assert Found("decisions.yaml", marked_line(text), "error", "this decision is recorded twice") in found, found
    assert not [f for f in found if "Dx" in f.message]
