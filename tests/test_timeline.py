"""`reunify timeline`: the case's history in date order, and the risk level over time as a chart.

Run through the real CLI, on the bundled samples and on small cases written inline.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BASE
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result

HOME = SAMPLES / "06-home-under-care-order"
NEW = SAMPLES / "01-newly-identified-s20"
DATE_ROW = re.compile(r"^(\d{4}-\d\d-\d\d)  ")

# One record of every kind, on a small fictional case (BASE: in care from 2026-06-01).
EVERY_KIND: dict[str, str] = {
    "case_yaml": BASE["case.yaml"].replace(
        "          - code: U6\n            from: 2026-06-01\n",
        "          - code: U6\n            from: 2026-06-01\n            carer: fay\n",
    ).replace("        home: flat\n", "        home: flat\n        left_care:\n          date: 2026-11-20\n"
                                    "          reason: E4A\n"),
    "people_yaml": BASE["people.yaml"].replace("        households:\n", """\
          - id: fay
            name: Fay Carter
            relationship: foster carer
        households:
"""),
    "chronology_yaml": """\
        chronologist: cr
        entries:
          - date: 2026-05-30
            event: Ella found alone at home overnight.
            source: Police notification
        """,
    "events_yaml": """\
        steps:
          - step: identify
            date: 2026-09-01
            by: sw
            note: Referred by the school.
          - step: qaro_discussion
            date: 2026-09-03
            by: tm
            override: The QARO was on leave for a month.
        meetings:
          - meeting: cic_review
            date: 2026-09-10
            attendees: [sw, jo, ella]
            others: [Class teacher]
            decided: Ella stays with her foster carer for now.
        visits:
          - date: 2026-09-12
            by: sw
            announced: false
            seen_alone: false
            note: Ella asked for her mum to stay in the room
          - date: 2026-09-20
            by: sw
            announced: true
            seen_alone: true
        sdq:
          - {date: 2026-09-15, total: 18, informant: parent, by: sw}
          - {date: 2026-09-16, total: 14, informant: teacher}
        exit:
          date: 2026-11-21
          reason: family_withdrew
          by: tm
          note: Jo moved away
        """,
    "decisions_yaml": """\
        decisions:
          - id: D1
            date: 2026-09-05
            by: tm
            outcome: pursue
            reason: Jo is engaging with services.
        """,
    "risk_yaml": """\
        classifications:
          - id: RC1
            date: 2026-10-01
            level: high
            rationale: The changes are recent.
            recommended_by: [sw, tm]
            confirmed_by: sm
            confirmed: 2026-10-08
        """,
    "assessment_yaml": """\
        police_checks:
          - person: jo
            date: 2026-09-18
            result: A caution for shoplifting in 2015.
        """,
    "agreement_yaml": """\
        parents:
          - person: jo
            goals:
              - change: Jo stays alcohol-free.
                reviews:
                  - {date: 2026-10-20, rating: amber}
              - change: Ella gets to school on time.
                reviews:
                  - {date: 2026-10-20, rating: red}
        """,
}

EVERY_KIND_EVENTS = [
    ("2026-05-30", "chronology", "Chronology", "Ella found alone at home overnight.", ""),
    ("2026-06-01", "legal_status", "Legal status", "V2 (single period of accommodation under section 20)", ""),
    ("2026-06-01", "placement", "Placement", "U6 (foster placement with other foster carer, not long term), "
                                             "carer Fay Carter", ""),
    ("2026-09-01", "step", "Identify the child as a candidate for reunification", "Referred by the school.",
     "Sam Rivers"),
    ("2026-09-03", "step", "Discuss the child with the QARO",
     "Manager's override: The QARO was on leave for a month.", "Tara Moss"),
    ("2026-09-05", "decision", "D1: Follow the framework to explore a return home", "Jo is engaging with services.",
     "Tara Moss"),
    ("2026-09-10", "meeting", "Child-in-care review", "Ella stays with her foster carer for now.",
     "Sam Rivers, Jo Stone, Ella Stone, Class teacher"),
    ("2026-09-12", "visit", "Visit", "unannounced, child NOT seen alone. Ella asked for her mum to stay in the room",
     "Sam Rivers"),
    ("2026-09-15", "sdq", "SDQ", "total 18 (cause for concern), parent's questionnaire", "Sam Rivers"),
    ("2026-09-16", "sdq", "SDQ", "total 14 (borderline), teacher's questionnaire", ""),
    ("2026-09-18", "police_check", "Police check", "Jo Stone", ""),
    ("2026-09-20", "visit", "Visit", "announced, child seen alone", "Sam Rivers"),
    ("2026-10-01", "risk", "RC1: High", "The changes are recent.", "Sam Rivers, Tara Moss"),
    ("2026-10-08", "risk", "RC1 confirmed", "High", "Sol Marsh"),
    ("2026-10-20", "goal_review", "Goal review", "Jo Stone: goal 1 AMBER, goal 2 RED", ""),
    ("2026-11-20", "left_care", "Left care", "E4A (returned home as part of care planning)", ""),
    ("2026-11-21", "exit", "Ended part way", "The family withdrew from the process. Jo moved away", "Tara Moss"),
]


def data(result: Result) -> dict[str, Any]:
    assert result.code == 0, result.out + result.err
    parsed: dict[str, Any] = json.loads(result.out)
    return parsed


def rows(events: list[dict[str, Any]]) -> list[tuple[str, str, str, str, str]]:
    return [(e["date"], e["kind"], e["title"], e["detail"], e["who"]) for e in events]


def history_dates(text: str) -> list[str]:
    """The date of each row of the history table, top to bottom."""
    history = text.split("\nHistory\n", 1)[1]
    return [m.group(1) for line in history.splitlines() if (m := DATE_ROW.match(line))]


def chart(text: str) -> dict[str, str]:
    """The chart's rows by label: what follows the '│' (trailing spaces are trimmed)."""
    found = {}
    for line in text.splitlines():
        label, bar, cells = line.partition(" │")
        if bar and label.strip() in ("Severe", "High", "Medium", "Low"):
            found[label.strip()] = cells
    return found


def axis_dates(text: str) -> list[str]:
    lines = text.splitlines()
    axis = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[axis + 1].split()


def flat(text: str) -> str:
    return " ".join(text.split())


# -- the history ---------------------------------------------------------------------------


def test_every_kind_of_record_is_an_event_with_its_text(make_case: Callable[..., Path],
                                                        cli: Callable[..., Result]) -> None:
    folder = make_case(**EVERY_KIND)
    assert rows(data(cli("timeline", folder, "--json"))["events"]) == EVERY_KIND_EVENTS


def test_the_table_shows_the_events_in_date_order(make_case: Callable[..., Path],
                                                  cli: Callable[..., Result]) -> None:
    result = cli("timeline", make_case(**EVERY_KIND))
    assert result.code == 0, result.out + result.err
    assert history_dates(result.out) == [row[0] for row in EVERY_KIND_EVENTS]
    text = flat(result.out)
    assert "2026-09-12 Visit unannounced, child NOT seen alone. Ella asked for her mum" in text
    assert "2026-09-20 Visit announced, child seen alone by Sam Rivers" in text
    assert "present: Sam Rivers, Jo Stone, Ella Stone, Class teacher" in text
    assert "2026-10-20 Goal review Jo Stone: goal 1 AMBER, goal 2 RED" in text


def test_the_sample_history_is_in_date_order_with_each_kind(cli: Callable[..., Result]) -> None:
    events = data(cli("timeline", HOME, "--json"))["events"]
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    assert {e["kind"] for e in events} == {"legal_status", "placement", "court_order", "chronology", "meeting",
                                           "visit", "sdq", "outcomes", "police_check", "goal_review", "risk",
                                           "decision", "step"}
    found = rows(events)
    assert ("2026-08-18", "visit", "Visit", "unannounced, child seen alone", "Chloe Wainwright") in found
    assert ("2026-10-02", "meeting", "Team around the child meeting", "Support package continues; school to "
            "report attendance monthly.", "Natalie Fairbairn, Keith Fairbairn, Chloe Wainwright, Class teacher, "
            "Alcohol service keyworker") in found
    assert ("2025-06-20", "sdq", "SDQ", "total 19 (cause for concern), parent's questionnaire",
            "Chloe Wainwright") in found
    assert ("2026-07-20", "sdq", "SDQ", "total 15 (borderline), parent's questionnaire", "Chloe Wainwright") in found
    assert ("2026-05-28", "meeting", "Child-in-care review", "Return home recommended to the change of placement "
            "panel.", "Ollie Fairbairn, Natalie Fairbairn, Keith Fairbairn, Chloe Wainwright, Neil Ashby") in found
    d3 = next(r for r in found if r[:3] == ("2026-05-19", "decision", "D3: Reunify"))
    assert d3[3].startswith("Medium sustained since RC2 (2025-11-11)") and d3[4] == "Peter Lockwood"
    assert ("2026-05-26", "decision", "D3 ratified", "Reunify", "Caroline Hurst") in found
    assert ("2025-08-28", "legal_status", "Legal status", "C2 (full care order)", "") in found
    assert ("2026-10-06", "goal_review", "Goal review", "Natalie Fairbairn: goal 1 GREEN, goal 3 GREEN", "") in found


def test_events_on_one_day_come_in_a_fixed_order(cli: Callable[..., Result]) -> None:
    """On the day of the return: the placement, then the chronology, then the step."""
    events = data(cli("timeline", HOME, "--json"))["events"]
    on_the_day = [(e["kind"], e["title"]) for e in events if e["date"] == "2026-07-06"]
    assert on_the_day == [("placement", "Placement"), ("chronology", "Chronology"),
                          ("step", "Record the child's return home")]
    confirmed_then_decided = [e["title"] for e in events if e["date"] == "2025-07-15"]
    assert confirmed_then_decided == ["RC1 confirmed", "D2: Proceed towards reunification"]


def test_police_check_results_are_never_shown(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    for args in ([make_case(**EVERY_KIND)], [HOME]):
        for fmt in ([], ["--json"]):
            result = cli("timeline", *args, *fmt)
            assert result.code == 0
            assert "Police check" in result.out
            for secret in ("shoplifting", "No convictions", "victim of domestic abuse", "Nothing recorded"):
                assert secret not in result.out


def test_a_decision_or_classification_step_in_events_is_not_counted_twice(
        make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    events_yaml = EVERY_KIND["events_yaml"].replace(
        "        meetings:\n",
        "          - {step: decision_1, date: 2026-09-05, by: tm}\n"
        "          - {step: rc1_meeting, date: 2026-10-01, by: tm}\n"
        "        meetings:\n")
    folder = make_case(**{**EVERY_KIND, "events_yaml": events_yaml})
    titles = [e["title"] for e in data(cli("timeline", folder, "--json"))["events"]]
    assert [t for t in titles if t.startswith(("D1", "Decision 1"))] == [
        "D1: Follow the framework to explore a return home"]
    assert [t for t in titles if "RC1" in t] == ["RC1: High", "RC1 confirmed"]


def test_nothing_after_today_is_shown(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    result = data(cli("timeline", make_case(**EVERY_KIND), "--json", "--today", "2026-09-12"))
    assert [e["date"] for e in result["events"]][-1] == "2026-09-12"
    assert result["today"] == "2026-09-12"
    assert result["risk"] == []


# -- filters -------------------------------------------------------------------------------


def test_kind_since_and_no_chronology_filter_the_history(cli: Callable[..., Result]) -> None:
    visits = data(cli("timeline", HOME, "--json", "--kind", "visit", "--kind", "sdq"))["events"]
    assert [(e["date"], e["kind"]) for e in visits] == [
        ("2025-06-20", "sdq"), ("2026-07-10", "visit"), ("2026-07-20", "sdq"), ("2026-08-18", "visit"),
        ("2026-09-28", "visit"), ("2026-09-28", "sdq"), ("2026-11-05", "visit")]
    recent = data(cli("timeline", HOME, "--json", "--since", "2026-10-01"))["events"]
    assert [(e["date"], e["kind"]) for e in recent] == [
        ("2026-10-02", "meeting"), ("2026-10-06", "chronology"), ("2026-10-06", "meeting"),
        ("2026-10-06", "goal_review"), ("2026-11-05", "chronology"), ("2026-11-05", "visit")]
    without = data(cli("timeline", HOME, "--json", "--no-chronology", "--since", "2026-10-01"))["events"]
    assert [(e["date"], e["kind"]) for e in without] == [
        ("2026-10-02", "meeting"), ("2026-10-06", "meeting"), ("2026-10-06", "goal_review"),
        ("2026-11-05", "visit")]
    text = cli("timeline", HOME, "--kind", "police_check")
    assert history_dates(text.out) == ["2025-05-14", "2025-05-14"]
    assert "High   │" in text.out  # the chart is not filtered


def test_an_unknown_kind_is_refused_with_a_suggestion(cli: Callable[..., Result]) -> None:
    result = cli("timeline", HOME, "--kind", "visits")
    assert result.code == 2
    assert "unknown kind 'visits' (did you mean 'visit'?)" in result.err
    assert "Traceback" not in result.out + result.err


def test_a_filter_that_matches_nothing_says_so(cli: Callable[..., Result]) -> None:
    result = cli("timeline", NEW, "--kind", "exit")
    assert result.code == 0
    assert "Nothing recorded that matches." in result.out


# -- the risk chart ------------------------------------------------------------------------


def test_the_chart_marks_high_then_medium_at_their_dates(cli: Callable[..., Result]) -> None:
    result = cli("timeline", HOME)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    labels = [line.partition(" │")[0].strip() for line in lines if " │" in line]
    assert labels == ["Severe", "High", "Medium", "Low"]
    bars = chart(result.out)
    assert bars["Severe"] == "" and bars["Low"] == ""
    high = bars["High"]
    medium = bars["Medium"]
    # RC1 High on 2025-07-08, RC2 Medium on 2025-11-11, today 2026-11-23: 126 of 503 days.
    expected = round(126 / 503 * 48)
    assert set(high) == {"█"} and abs(len(high) - expected) <= 1
    assert medium == " " * len(high) + "█" * (48 - len(high))
    assert axis_dates(result.out) == ["2025-07-08", "2026-03-16", TODAY]


def test_the_chart_stops_at_today_and_shows_each_level_in_its_row(
        make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    risk_yaml = """\
        classifications:
          - {id: RC1, date: 2026-01-01, level: severe, rationale: R, recommended_by: [sw]}
          - {id: RC2, date: 2026-04-01, level: medium, rationale: R, recommended_by: [sw]}
          - {id: RC3, date: 2026-07-01, level: low, rationale: R, recommended_by: [sw]}
        """
    folder = make_case(risk_yaml=risk_yaml)
    result = cli("timeline", folder, "--today", "2026-09-29")  # 271 days: 90, 91, then 90
    bars = chart(result.out)
    assert bars["High"] == ""
    severe, medium, low = (bars[level].count("█") for level in ("Severe", "Medium", "Low"))
    assert severe + medium + low == 48
    assert all(abs(n - 16) <= 1 for n in (severe, medium, low))
    assert bars["Severe"].startswith("█") and bars["Low"].endswith("█")
    assert bars["Medium"].lstrip(" ") == "█" * medium
    assert axis_dates(result.out) == ["2026-01-01", "2026-05-16", "2026-09-29"]

    earlier = cli("timeline", folder, "--today", "2026-03-01")
    assert chart(earlier.out)["Severe"] == "█" * 48
    assert data(cli("timeline", folder, "--today", "2026-03-01", "--json"))["risk"] == [
        {"from": "2026-01-01", "to": "2026-03-01", "level": "severe", "label": "Severe"}]


def test_no_classification_yet(cli: Callable[..., Result]) -> None:
    result = cli("timeline", NEW)
    assert result.code == 0
    assert "No risk classification yet." in result.out
    assert "│" not in result.out
    assert data(cli("timeline", NEW, "--json"))["risk"] == []


# -- JSON ----------------------------------------------------------------------------------


def test_json_matches_the_text(cli: Callable[..., Result]) -> None:
    parsed = data(cli("timeline", HOME, "--json"))
    assert parsed["case"] == str(HOME)
    assert parsed["today"] == TODAY
    assert parsed["risk"] == [
        {"from": "2025-07-08", "to": "2025-11-11", "level": "high", "label": "High"},
        {"from": "2025-11-11", "to": TODAY, "level": "medium", "label": "Medium"},
    ]
    for event in parsed["events"]:
        dt.date.fromisoformat(event["date"])
    text = cli("timeline", HOME)
    assert history_dates(text.out) == [e["date"] for e in parsed["events"]]


# -- broken cases --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [[], ["--json"]])
def test_a_broken_case_gives_its_problems_and_exit_1(make_case: Callable[..., Path], cli: Callable[..., Result],
                                                     fmt: list[str]) -> None:
    risk_yaml = """\
        classifications:
          - id: RC1
            date: 2026-10-01
            level: extreme
            rationale: Recent changes only.
            recommended_by: [sw]
        """
    result = cli("timeline", make_case(risk_yaml=risk_yaml), *fmt)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    if fmt:
        problems = json.loads(result.out)["problems"]
        assert [(Path(p["file"]).name, p["line"]) for p in problems] == [("risk.yaml", 4)]
    else:
        assert re.search(r"risk\.yaml:4:\d+: error: ", result.out), result.out
        assert "History" not in result.out
