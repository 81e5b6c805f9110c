"""Recording the rhythm of practice: chronology entries, meetings, visits, goal reviews,
SDQ scores and police checks.

Each command adds exactly one entry to the right file and nothing else (every comment and
every other line stays where it was, and the file stays owner-only), or refuses with one
line naming what is wrong and changes no byte. Without a terminal a missing value is an
error; on a terminal it is asked for. Recorders running at once lose nothing, because
the case folder's lock keeps them apart.

Sample case 06 (every record file, with comments) is copied to a temporary folder for
each test, made owner-only as 'reunify new' makes a case.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import io
import json
import os
import select
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reunify.core.files import folder_lock
from reunify.practice import recording
from reunify.practice import session
from reunify.records import Case
from reunify.records import load_case
from reunify.records import models as m
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result
from tests.conftest import snapshot
from tests.terminal import reunify_env
from tests.terminal import run_on_a_terminal

SAMPLE = SAMPLES / "06-home-under-care-order"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A copy of sample case 06, owner-only like a case made by 'reunify new'."""
    folder = tmp_path / "case-06"
    shutil.copytree(SAMPLE, folder)
    folder.chmod(0o700)
    for path in folder.iterdir():
        path.chmod(0o600)
    return folder


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard input is not a terminal, even when pytest runs with -s at one."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


# -- helpers -------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def comments(text: str) -> list[str]:
    """Every line with a comment on it (the entries these tests add have no '#')."""
    return [line for line in text.splitlines() if "#" in line]


def inserted(before: str, after: str) -> tuple[list[str], list[str], list[str]]:
    """(lines before, the run of lines added, lines after), asserting that `after` is
    `before` with one run of lines inserted and nothing else changed."""
    old, new = before.splitlines(), after.splitlines()
    added = len(new) - len(old)
    assert added > 0, "nothing was added"
    start = 0
    while start < len(old) and old[start] == new[start]:
        start += 1
    assert new[start + added:] == old[start:], "a line of the original changed or moved"
    return new[:start], new[start:start + added], new[start + added:]


def is_subsequence(lines: Sequence[str], within: Sequence[str]) -> bool:
    remaining = iter(within)
    return all(line in remaining for line in lines)


def load(folder: Path) -> Case:
    case, problems = load_case(folder)
    assert case is not None
    assert not [p for p in problems if p.is_error], problems
    return case


def checked(cli: Callable[..., Result], folder: Path) -> collections.Counter[tuple[str, str, str]]:
    """Run 'reunify check': it must pass with no errors; its problems, without positions."""
    result = cli("check", folder, "--json")
    assert result.code == 0, result.out + result.err
    data = json.loads(result.out)
    assert data["errors"] == 0, result.out
    return collections.Counter((Path(p["file"]).name, p["severity"], p["message"])
                               for found in data["cases"] for p in found["problems"])


def assert_one_line_error(result: Result, message: str, code: int = 2) -> None:
    """Refused with exactly one line on stderr, nothing on stdout, and no traceback."""
    assert result.code == code, result.out + result.err
    assert "Traceback" not in result.out + result.err
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: "), result.err
    assert message in lines[0], result.err


@dataclass
class Recording:
    result: Result
    before: str
    after: str


def record(cli: Callable[..., Result], folder: Path, file_name: str, *args: str | Path,
           new_warnings: Sequence[str] = ()) -> Recording:
    """Run a recording command that must succeed, checking what every one of them promises:
    exit 0 with nothing on stderr, only `file_name` changed, and only by adding lines,
    every comment kept in order, the file still owner-only, no temporary file left, and
    'reunify check' still clean (with only `new_warnings` added)."""
    path = folder / file_name
    before = path.read_text(encoding="utf-8")
    others = {k: v for k, v in snapshot(folder).items() if k != file_name}
    problems = checked(cli, folder)

    result = cli(*args)

    assert result.code == 0, result.out + result.err
    assert result.err == ""
    assert "Traceback" not in result.out
    after = path.read_text(encoding="utf-8")
    inserted(before, after)
    assert comments(after) == comments(before)
    assert mode(path) == 0o600
    assert {k: v for k, v in snapshot(folder).items() if k != file_name} == others
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], "a temporary file was left"
    expected = problems + collections.Counter(("events.yaml", "warning", w) for w in new_warnings)
    assert checked(cli, folder) == expected
    return Recording(result, before, after)


def confirmation(result: Result) -> list[str]:
    return result.out.strip().splitlines()


# -- each command writes the right entry to the right file ----------------------------------


def next_section(text: str, key: str) -> int:
    """The line index just below the list under the top-level `key:`: where the blank and
    comment lines above the next top-level key start (or the end of the file)."""
    lines = text.splitlines()
    end = lines.index(f"{key}:") + 1
    while end < len(lines) and (not lines[end] or lines[end][0] in " #"):
        end += 1
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end


def assert_appended(done: Recording, key: str, block: list[str]) -> None:
    """`block` was added at the end of the list under `key`, above the comments that
    introduce the next key, which stay where they were."""
    head, added, _ = inserted(done.before, done.after)
    assert added == block
    assert len(head) == next_section(done.before, key)


def test_chronology_inserts_the_entry_in_date_order_between_its_neighbours(
    case: Path, cli: Callable[..., Result]
) -> None:
    old = load(case).chronology.entries
    date = dt.date(2026, 10, 1)
    position = sum(1 for e in old if e.date <= date)
    assert 0 < position < len(old), "the sample has entries on both sides of 2026-10-01"

    done = record(cli, case, "chronology.yaml", "chronology", case, "--date", "2026-10-01",
                  "--event", "Class teacher phoned: Ollie settled in his new class.", "--source", "School phone call",
                  "--factor", "education", "--impact", "Ollie is calmer at school.",
                  "--analysis", "The worry about the new class has passed.")

    assert confirmation(done.result) == [
        f"added a chronology entry dated 2026-10-01 ({case / 'chronology.yaml'})"]
    _, block, tail = inserted(done.before, done.after)
    assert block == [
        "  - date: 2026-10-01",
        "    event: 'Class teacher phoned: Ollie settled in his new class.'",
        "    source: School phone call",
        "    factors:",
        "      - education",
        "    impact: Ollie is calmer at school.",
        "    analysis: The worry about the new class has passed.",
    ]
    assert tail[0] == f"  - date: {old[position].date.isoformat()}"
    new = m.ChronologyEntry(
        date=date, event="Class teacher phoned: Ollie settled in his new class.", source="School phone call",
        factors=["education"], impact="Ollie is calmer at school.", analysis="The worry about the new class has passed.")
    assert load(case).chronology.entries == [*old[:position], new, *old[position:]]


def test_chronology_on_a_date_already_there_goes_after_the_entries_of_that_day(
    case: Path, cli: Callable[..., Result]
) -> None:
    old = load(case).chronology.entries
    date = old[-2].date  # an entry with another after it
    position = sum(1 for e in old if e.date <= date)

    record(cli, case, "chronology.yaml", "chronology", case, "--date", date.isoformat(),
           "--event", "Child-in-care review held.", "--source", "Review minutes")

    new = m.ChronologyEntry(date=date, event="Child-in-care review held.", source="Review minutes")
    assert load(case).chronology.entries == [*old[:position], new, *old[position:]]


def test_chronology_before_every_entry_goes_first(case: Path, cli: Callable[..., Result]) -> None:
    old = load(case).chronology.entries

    done = record(cli, case, "chronology.yaml", "chronology", case, "--date", "2010-03-01",
                  "--event", "Natalie leaves school.", "--source", "Education record")

    head, _, _ = inserted(done.before, done.after)
    assert head[-1] == "entries:"
    new = m.ChronologyEntry(date=dt.date(2010, 3, 1), event="Natalie leaves school.", source="Education record")
    assert load(case).chronology.entries == [new, *old]


def test_meeting_appends_to_the_meetings_and_keeps_the_comment_above_the_next_key(
    case: Path, cli: Callable[..., Result]
) -> None:
    old = load(case).events.meetings

    done = record(cli, case, "events.yaml", "meeting", "tac", case, "--date", "2026-11-22",
                  "--attendee", "sw-wainwright", "--attendee", "Natalie Fairbairn", "--attendee", "natalie",
                  "--other", "Class teacher", "--decided", "Keep the support package as it is.")

    assert confirmation(done.result) == [
        f"recorded the team around the child meeting on 2026-11-22 ({case / 'events.yaml'})"]
    assert_appended(done, "meetings", [
        "  - meeting: tac",
        "    date: 2026-11-22",
        "    attendees:",
        "      - sw-wainwright",
        "      - natalie",
        "    others:",
        "      - Class teacher",
        "    decided: Keep the support package as it is.",
    ])
    assert load(case).events.meetings == [*old, m.Meeting(
        meeting="tac", date=dt.date(2026, 11, 22), attendees=["sw-wainwright", "natalie"],
        others=["Class teacher"], decided="Keep the support package as it is.")]


def test_meeting_dated_before_the_others_goes_first(case: Path, cli: Callable[..., Result]) -> None:
    old = load(case).events.meetings

    record(cli, case, "events.yaml", "meeting", "cic_review", case, "--date", "2018-02-01")

    assert load(case).events.meetings == [m.Meeting(meeting="cic_review", date=dt.date(2018, 2, 1)), *old]


def test_visit_appends_to_the_visits_and_keeps_the_comment_above_the_next_key(
    case: Path, cli: Callable[..., Result]
) -> None:
    old = load(case).events.visits

    done = record(cli, case, "events.yaml", "visit", case, "--date", "2026-11-22", "--by", "Chloe Wainwright",
                  "--unannounced", "--seen-alone", "--note", "Ollie showed me his reading book.")

    assert confirmation(done.result) == [
        f"recorded the visit on 2026-11-22 (unannounced, child seen alone) ({case / 'events.yaml'})"]
    assert_appended(done, "visits", [
        "  - date: 2026-11-22",
        "    by: sw-wainwright",
        "    announced: false",
        "    seen_alone: true",
        "    note: Ollie showed me his reading book.",
    ])
    assert load(case).events.visits == [*old, m.Visit(date=dt.date(2026, 11, 22), by="sw-wainwright",
                                                      announced=False, seen_alone=True,
                                                      note="Ollie showed me his reading book.")]


def test_visit_between_two_others_lands_between_them(case: Path, cli: Callable[..., Result]) -> None:
    old = load(case).events.visits
    date = old[0].date + dt.timedelta(days=1)
    assert date < old[1].date

    done = record(cli, case, "events.yaml", "visit", case, "--date", date.isoformat(), "--by", "sw-wainwright",
                  "--announced", "--seen-alone")

    _, block, tail = inserted(done.before, done.after)
    assert block[0] == f"  - date: {date.isoformat()}"
    assert tail[0].startswith("  - "), "the next visit follows straight after the new one"
    new = m.Visit(date=date, by="sw-wainwright", announced=True, seen_alone=True)
    assert load(case).events.visits == [old[0], new, *old[1:]]


def test_visit_without_the_child_seen_alone_is_recorded_and_flagged(
    case: Path, cli: Callable[..., Result]
) -> None:
    done = record(cli, case, "events.yaml", "visit", case, "--date", "2026-11-22", "--by", "sw-wainwright",
                  "--announced", "--not-seen-alone",
                  new_warnings=["the child was not seen alone at the visit on 2026-11-22"])

    assert confirmation(done.result) == [
        f"recorded the visit on 2026-11-22 (announced, child NOT seen alone) ({case / 'events.yaml'})",
        "a visit without the child seen alone is flagged: see the child alone at every visit",
    ]
    assert load(case).events.visits[-1] == m.Visit(date=dt.date(2026, 11, 22), by="sw-wainwright",
                                                   announced=True, seen_alone=False)


def test_goal_review_appends_to_that_goal_only(case: Path, cli: Callable[..., Result]) -> None:
    old = load(case).agreement.parents[0].goals
    assert len(old) >= 3 and old[1].reviews, "the sample's second goal has reviews and another goal after it"

    done = record(cli, case, "agreement.yaml", "goal-review", case, "--parent", "Natalie Fairbairn", "--goal", "2",
                  "--rating", " Amber ", "--evidence", "A low week near the anniversary; she called her keyworker.",
                  "--date", "2026-11-10")

    assert confirmation(done.result) == [f"recorded goal 2 as AMBER on 2026-11-10 ({case / 'agreement.yaml'})"]
    _, block, tail = inserted(done.before, done.after)
    assert block == [
        "          - date: 2026-11-10",
        "            rating: amber",
        "            evidence: A low week near the anniversary; she called her keyworker.",
    ]
    assert tail[0].startswith("      - change: "), "the review goes at the end of goal 2, before goal 3"
    goals = load(case).agreement.parents[0].goals
    assert goals[1].reviews == [*old[1].reviews, m.GoalReview(
        date=dt.date(2026, 11, 10), rating="amber",
        evidence="A low week near the anniversary; she called her keyworker.")]
    assert [g for i, g in enumerate(goals) if i != 1] == [g for i, g in enumerate(old) if i != 1]


def test_sdq_appends_to_the_scores(case: Path, cli: Callable[..., Result]) -> None:
    old = load(case).events.sdq

    done = record(cli, case, "events.yaml", "sdq", case, "--total", "11", "--informant", "Teacher",
                  "--by", "Chloe Wainwright", "--date", "2026-11-22")

    assert confirmation(done.result) == [
        f"recorded an SDQ total of 11 (close to average) on 2026-11-22 ({case / 'events.yaml'})"]
    assert_appended(done, "sdq", [
        "  - date: 2026-11-22", "    total: 11", "    informant: teacher", "    by: sw-wainwright"])
    assert load(case).events.sdq == [*old, m.SdqScore(date=dt.date(2026, 11, 22), total=11, informant="teacher",
                                                      by="sw-wainwright")]


def test_police_check_appends_to_the_checks_above_the_next_key(case: Path, cli: Callable[..., Result]) -> None:
    old = load(case).assessment.police_checks

    done = record(cli, case, "assessment.yaml", "police-check", "Keith Fairbairn", case,
                  "--result", "Nothing recorded.", "--date", "2026-11-22")

    assert confirmation(done.result) == [
        f"recorded a police check dated 2026-11-22 ({case / 'assessment.yaml'})"]
    assert_appended(done, "police_checks", [
        "  - person: keith", "    date: 2026-11-22", "    result: Nothing recorded."])
    assert load(case).assessment.police_checks == [
        *old, m.PoliceCheck(person="keith", date=dt.date(2026, 11, 22), result="Nothing recorded.")]


def test_every_command_in_turn_leaves_a_case_that_check_passes(case: Path, cli: Callable[..., Result]) -> None:
    problems = checked(cli, case)
    commands: list[tuple[str | Path, ...]] = [
        ("chronology", case, "--date", "2026-11-19", "--event", "Keith unwell; Natalie managed the school run.",
         "--source", "Phone call with Natalie"),
        ("meeting", "cic_review", case, "--date", "2026-11-19", "--attendee", "qaro-ashby", "--attendee", "ollie"),
        ("visit", case, "--date", "2026-11-20", "--by", "sw-wainwright", "--unannounced", "--seen-alone"),
        ("goal-review", case, "--parent", "natalie", "--goal", "1", "--rating", "green", "--date", "2026-11-20"),
        ("sdq", case, "--total", "9", "--date", "2026-11-21"),
        ("police-check", "natalie", case, "--result", "No convictions.", "--date", "2026-11-21"),
    ]
    for args in commands:
        result = cli(*args)
        assert result.code == 0, f"{args[0]}: {result.err}"
        assert len(confirmation(result)) == 1, result.out
    assert checked(cli, case) == problems
    case_record = load(case)
    assert case_record.chronology.entries[-1].date == dt.date(2026, 11, 19)
    assert case_record.events.meetings[-1].attendees == ["qaro-ashby", "ollie"]
    assert case_record.events.visits[-1].announced is False
    assert case_record.agreement.parents[0].goals[0].reviews[-1].rating == "green"
    assert case_record.events.sdq[-1] == m.SdqScore(date=dt.date(2026, 11, 21), total=9)
    assert case_record.assessment.police_checks[-1].person == "natalie"
    for path in case.glob("*.yaml"):
        assert mode(path) == 0o600, path.name


# -- the hint after a meeting ------------------------------------------------------------------


def test_a_meeting_whose_step_cannot_be_done_yet_says_why_and_how_to_finish(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case()  # only 'identify' is done
    events = folder / "events.yaml"
    original = events.read_text(encoding="utf-8")

    result = cli("meeting", "planning_review", folder, "--date", "2026-11-02", "--attendee", "sw",
                 "--attendee", "Jo Stone", "--decided", "Agreement to be updated.")

    assert result.code == 0, result.err
    lines = confirmation(result)
    assert lines[0] == f"recorded the reunification planning review on 2026-11-02 ({events})"
    assert lines[1].startswith("'planning_review' is not marked done yet: waiting: 'planning_meeting' is not done")
    assert lines[1].endswith("then reunify done planning_review --date 2026-11-02 --by tm")
    assert load(folder).events.steps[-1].step != "planning_review"
    assert events.read_text(encoding="utf-8").startswith(original)
    assert [x for x in load(folder).events.meetings if x.meeting != "cic_review"] == [
        m.Meeting(meeting="planning_review", date=dt.date(2026, 11, 2), attendees=["sw", "jo"],
                  decided="Agreement to be updated.")]
    checked(cli, folder)


@pytest.mark.parametrize("kind", ["planning_review", "tac"])
def test_a_meeting_for_a_step_already_done_or_with_no_step_gives_no_hint(
    kind: str, case: Path, cli: Callable[..., Result]
) -> None:
    done = record(cli, case, "events.yaml", "meeting", kind, case, "--date", "2026-11-12")

    assert len(confirmation(done.result)) == 1
    assert "not marked done" not in done.result.out


# -- invalid input is refused and changes nothing --------------------------------------------

# (the words before the case folder, the options after it, what the one-line error says)
INVALID: list[Any] = [
    pytest.param(("sdq",), ("--total", "41", "--date", "2026-11-10"),
                 "--total: input should be less than or equal to 40", id="sdq-total-41"),
    pytest.param(("sdq",), ("--total", "-1"), "--total must be a whole number from 0 to 40", id="sdq-total-negative"),
    pytest.param(("sdq",), ("--total", "12", "--informant", "granny"),
                 "--informant must be one of: parent, teacher, self", id="sdq-informant"),
    pytest.param(("sdq",), ("--total", "12", "--date", "2026-11-24"),
                 "--date 2026-11-24 is in the future (today is 2026-11-23)", id="sdq-future"),
    pytest.param(("meeting", "tak"), ("--date", "2026-11-10"),
                 "unknown meeting 'tak' (did you mean 'tac'?)", id="meeting-kind"),
    pytest.param(("meeting", "tac"), ("--date", "2026-11-10", "--attendee", "sw-wainwright", "--attendee", "natalee"),
                 "--attendee 'natalee' is neither in the case team nor in people.yaml (give an id or a name",
                 id="meeting-attendee"),
    pytest.param(("meeting", "tac"), ("--date", "2017-12-31"), "--date is before the child was born",
                 id="meeting-before-birth"),
    pytest.param(("meeting", "fgc"), ("--date", "2026-12-01"),
                 "--date 2026-12-01 is in the future (today is 2026-11-23)", id="meeting-future"),
    pytest.param(("visit",), ("--by", "sw-wainwright", "--announced", "--seen-alone", "--date", "2026-11-24"),
                 "--date 2026-11-24 is in the future (today is 2026-11-23)", id="visit-future"),
    pytest.param(("visit",), ("--by", "sw-x", "--announced", "--seen-alone"), "'sw-x' is not in the case team",
                 id="visit-unknown-by"),
    pytest.param(("goal-review",), ("--parent", "natalie", "--goal", "2", "--rating", "purple"),
                 "--rating: input should be 'red', 'amber' or 'green'", id="goal-rating"),
    pytest.param(("goal-review",), ("--parent", "natalie", "--goal", "9", "--rating", "red"),
                 "--goal must be a goal number from 1 to ", id="goal-number"),
    pytest.param(("goal-review",), ("--parent", "scott", "--goal", "1", "--rating", "red"),
                 "--parent 'scott' has no parental agreement (agreement.yaml has agreements with 1 parent:",
                 id="goal-parent"),
    pytest.param(("goal-review",), ("--parent", "natalie", "--goal", "1", "--rating", "red", "--date", "2025-08-01"),
                 "--date is before the agreement was signed", id="goal-before-agreement"),
    pytest.param(("police-check", "keit"), ("--result", "Nothing recorded.", "--date", "2026-11-10"),
                 "'keit' is not in people.yaml (give the id or the name of someone there", id="police-unknown-person"),
    pytest.param(("police-check", "keith"), ("--result", "Nothing recorded.", "--date", "2026-11-24"),
                 "--date 2026-11-24 is in the future (today is 2026-11-23)", id="police-future"),
    pytest.param(("chronology",), ("--date", "2026-11-24", "--event", "Visit", "--source", "Record"),
                 "--date 2026-11-24 is in the future (today is 2026-11-23)", id="chronology-future"),
    pytest.param(("chronology",), ("--date", "2026-02-30", "--event", "Visit", "--source", "Record"),
                 "--date: not a real calendar date", id="chronology-bad-date"),
    pytest.param(("chronology",), ("--event", "  ", "--source", "Record"), "--event:", id="chronology-blank-event"),
]


@pytest.mark.parametrize(("words", "options", "message"), INVALID)
def test_invalid_input_is_refused_in_one_line_and_changes_nothing(
    words: tuple[str, ...], options: tuple[str, ...], message: str, case: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(case)

    result = cli(*words, case, *options)

    assert_one_line_error(result, message)
    assert snapshot(case) == before


def test_goal_zero_is_refused_by_the_option_parser_and_changes_nothing(
    case: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(case)

    result = cli("goal-review", case, "--parent", "natalie", "--goal", "0", "--rating", "red")

    assert result.code == 2
    assert "Traceback" not in result.out + result.err
    assert "Invalid value for '--goal'" in result.err
    assert snapshot(case) == before


@pytest.mark.parametrize("words", [("visit", "--announced", "--seen-alone"), ("sdq", "--total", "12")])
def test_an_unknown_team_member_for_by_names_the_option(
    words: tuple[str, ...], case: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(case)

    result = cli(words[0], case, *words[1:], "--by", "sw-x")

    assert_one_line_error(result, "--by")
    assert snapshot(case) == before


def test_a_factor_that_is_not_an_identifier_is_refused_without_misquoting_the_rule(
    case: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(case)

    result = cli("chronology", case, "--event", "Visit", "--source", "Record", "--factor", "Domestic abuse")

    assert_one_line_error(result, "--factor")
    assert snapshot(case) == before
    assert "a-za-z" not in result.err


@pytest.mark.parametrize(
    "command",
    [
        ("chronology", "--date", "2026-11-10", "--event", "Visit", "--source", "Record"),
        ("meeting", "tac", "--date", "2026-11-10"),
        ("visit", "--date", "2026-11-10", "--by", "sw-wainwright", "--announced", "--seen-alone"),
        ("goal-review", "--parent", "natalie", "--goal", "1", "--rating", "red", "--date", "2026-11-10"),
        ("sdq", "--total", "12", "--date", "2026-11-10"),
        ("police-check", "keith", "--result", "Nothing recorded.", "--date", "2026-11-10"),
    ],
    ids=lambda command: str(command[0]),
)
def test_recording_is_refused_while_the_records_have_errors(
    command: tuple[str, ...], case: Path, cli: Callable[..., Result]
) -> None:
    people = case / "people.yaml"
    people.write_text(people.read_text().replace("born: 2018-01-22", "bron: 2018-01-22"))
    before = snapshot(case)
    kind_words = 2 if command[0] in ("meeting", "police-check") else 1

    result = cli(*command[:kind_words], case, *command[kind_words:])

    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.out + result.err
    assert result.err.startswith("refused: the case records have errors; fix them first (see 'reunify check')\n")
    assert any(line.startswith("  - people.yaml:") for line in result.err.splitlines())
    assert snapshot(case) == before


# -- without a terminal, a missing value is an error naming the option ---------------------

MISSING: list[Any] = [
    pytest.param(("visit",), ("--by", "sw-wainwright", "--announced"), "--seen-alone or --not-seen-alone",
                 id="visit-seen-alone"),
    pytest.param(("visit",), ("--by", "sw-wainwright", "--not-seen-alone"), "--announced or --unannounced",
                 id="visit-announced"),
]
# Without a terminal, a value that would be asked for is reported by its option.
MISSING += [
    pytest.param(words, options, option, id=name)
    for name, words, options, option in [
        ("chronology-event", ("chronology",), ("--source", "Record"), "--event"),
        ("chronology-source", ("chronology",), ("--event", "Visit"), "--source"),
        ("goal-review-parent", ("goal-review",), ("--goal", "1", "--rating", "red"), "--parent"),
        ("goal-review-rating", ("goal-review",), ("--parent", "natalie", "--goal", "1"), "--rating"),
        ("sdq-total", ("sdq",), (), "--total"),
        ("police-check-result", ("police-check", "keith"), (), "--result"),
    ]
]


@pytest.mark.usefixtures("no_terminal")
def test_without_by_a_visit_is_by_the_one_social_worker_and_says_so(case: Path, cli: Callable[..., Result]) -> None:
    result = cli("visit", case, "--announced", "--seen-alone", "--date", "2026-11-20")
    assert result.code == 0, result.err
    worker = next(t for t in load(case).case.team if t.role == "social_worker")
    assert result.out.startswith(f"by {worker.id}, the only social worker on the case")
    assert load(case).events.visits[-1].by == worker.id


@pytest.mark.usefixtures("no_terminal")
@pytest.mark.parametrize(("words", "options", "option"), MISSING)
def test_without_a_terminal_a_missing_value_is_an_error_naming_the_option(
    words: tuple[str, ...], options: tuple[str, ...], option: str, case: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(case)

    result = cli(*words, case, *options)

    assert_one_line_error(result, option)
    assert "needed" in result.err
    assert snapshot(case) == before


# -- on a real terminal, what is missing is asked for --------------------------------------


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="this platform has no pseudo-terminals (os.openpty)")
def test_on_a_terminal_visit_asks_what_is_missing(case: Path) -> None:
    before = snapshot(case)

    code, shown = run_on_a_terminal(
        ["visit", case, "--today", TODAY, "--by", "sw-wainwright", "--date", "2026-11-20"],
        [("Was the visit announced?", "n"), ("Was the child seen alone?", "y")],
    )

    assert code == 0, shown
    assert "Traceback" not in shown
    assert "recorded the visit on 2026-11-20 (unannounced, child seen alone)" in " ".join(shown.split())
    assert load(case).events.visits[-1] == m.Visit(date=dt.date(2026, 11, 20), by="sw-wainwright",
                                                   announced=False, seen_alone=True)
    assert {k for k, v in snapshot(case).items() if before[k] != v} == {"events.yaml"}
    assert mode(case / "events.yaml") == 0o600


# -- recorders at once lose nothing: the lock --------------------------------------------------


def test_eight_recorders_at_once_lose_nothing(case: Path, cli: Callable[..., Result]) -> None:
    chronology_before = (case / "chronology.yaml").read_text(encoding="utf-8").splitlines()
    events_before = (case / "events.yaml").read_text(encoding="utf-8").splitlines()
    commands: list[list[str]] = [
        ["chronology", str(case), "--date", f"2026-11-0{k}", "--event", f"Entry {k}", "--source", "Test"]
        for k in range(1, 6)
    ] + [
        ["visit", str(case), "--date", f"2026-11-1{k}", "--by", "sw-wainwright", "--seen-alone", "--announced",
         "--note", f"Visit {k}"]
        for k in range(1, 4)
    ]
    env = reunify_env()
    processes = [subprocess.Popen([sys.executable, "-m", "reunify", *args, "--today", TODAY], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for args in commands]
    try:
        outputs = [process.communicate(timeout=120) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    for args, process, (out, err) in zip(commands, processes, outputs, strict=True):
        assert process.returncode == 0, f"{args}: {out}{err}"
    case_record = load(case)
    recorded = collections.Counter(e.event for e in case_record.chronology.entries if e.source == "Test")
    assert recorded == {f"Entry {k}": 1 for k in range(1, 6)}
    assert [e.date for e in case_record.chronology.entries] == sorted(e.date for e in case_record.chronology.entries)
    notes = collections.Counter(v.note for v in case_record.events.visits if v.note and v.note.startswith("Visit "))
    assert notes == {f"Visit {k}": 1 for k in range(1, 4)}
    assert [v.date for v in case_record.events.visits] == sorted(v.date for v in case_record.events.visits)
    # Nothing that was there before was lost or changed.
    assert is_subsequence(chronology_before, (case / "chronology.yaml").read_text(encoding="utf-8").splitlines())
    assert is_subsequence(events_before, (case / "events.yaml").read_text(encoding="utf-8").splitlines())
    checked(cli, case)


# Prints a line once its imports are done, then runs the command line as 'python -m reunify'
# does: so that the test knows the recorder is running before it starts counting.
STARTED = "import sys; from reunify.cli import main; print('started', flush=True); sys.exit(main(sys.argv[1:]))"


def test_a_recorder_waits_for_the_case_lock_then_records(case: Path) -> None:
    before = snapshot(case)
    args = ["chronology", str(case), "--date", "2026-11-20", "--event", "Written once the lock was free",
            "--source", "Test", "--today", TODAY]

    with folder_lock(case):
        process = subprocess.Popen([sys.executable, "-c", STARTED, *args], cwd=ROOT, env=reunify_env(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], 60)
            assert ready, "the recorder did not start within a minute"
            assert process.stdout.readline() == "started\n"
            time.sleep(0.5)
            assert process.poll() is None, "the recorder did not wait for the lock"
            assert snapshot(case) == before, "the recorder wrote while another held the lock"
        except BaseException:
            process.kill()
            process.wait()
            raise
    out, err = process.communicate(timeout=60)

    assert process.returncode == 0, out + err
    assert "added a chronology entry dated 2026-11-20" in out
    entries = load(case).chronology.entries
    assert [e.event for e in entries].count("Written once the lock was free") == 1
    assert entries[-1].event == "Written once the lock was free"


def test_a_recorder_that_cannot_get_the_lock_says_so_and_changes_nothing(
    case: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process holds the lock (within one process the lock is re-entrant).
    short = functools.partial(folder_lock, timeout=0.2)
    monkeypatch.setattr(recording, "folder_lock", short)
    monkeypatch.setattr(session, "folder_lock", short)
    before = snapshot(case)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         "fd = os.open(sys.argv[1], os.O_RDONLY)\nfcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\ntime.sleep(60)\n", str(case)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = cli("sdq", case, "--total", "11", "--date", "2026-11-16")
    finally:
        holder.kill()
        holder.wait()

    assert_one_line_error(result, "another recording on this case is still running; try again")
    assert snapshot(case) == before


def test_the_lock_is_held_from_the_write_to_its_commit(case: Path) -> None:
    """Re-entrant within a process: the command holds it, the recording takes it again."""
    with folder_lock(case), folder_lock(case):
        pass
    with folder_lock(case, timeout=0.2):  # released: it can be taken again
        pass


# -- known problems ------------------------------------------------------------------------------

AGREEMENT = """\
agreed: 2026-10-01
parents:
  - person: jo
    goals:
      - change: Jo stays alcohol-free.
        due: 2027-01-01
    # Signed at the agreement meeting.
    signed: 2026-10-01
"""


def test_the_first_review_of_a_goal_keeps_the_comment_above_the_next_key(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case(agreement_yaml=AGREEMENT)

    result = cli("goal-review", folder, "--parent", "jo", "--goal", "1", "--rating", "amber",
                 "--date", "2026-11-10")

    assert result.code == 0, result.err
    lines = (folder / "agreement.yaml").read_text().splitlines()
    comment = lines.index("    # Signed at the agreement meeting.")
    assert lines[comment + 1] == "    signed: 2026-10-01"
    assert lines.index("        reviews:") < comment
    assert load(folder).agreement.parents[0].goals[0].reviews == [
        m.GoalReview(date=dt.date(2026, 11, 10), rating="amber")]
