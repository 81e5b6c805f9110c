"""Scenario tests for the time rules (reunify/engine/deadlines.py) at a fixed `--today`.

Each scenario is a case folder written as YAML; what is asserted is what a user sees: the
text of `next` and `check`, and the `--json` of `next`, `status` and `check`. Every date
expected is worked out by hand in a comment next to the scenario, never computed with the
code under test. The values are those of the reference workflow's `rules:`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from reunify.cli import read
from tests.conftest import Result
from tests.test_rules import AGREEMENT
from tests.test_rules import ASSESSMENT
from tests.test_rules import CASE_FULL
from tests.test_rules import CHRONOLOGY
from tests.test_rules import D1
from tests.test_rules import D2_PROCEED
from tests.test_rules import PLAN
from tests.test_rules import RC1_DATE
from tests.test_rules import as_json
from tests.test_rules import decisions
from tests.test_rules import events_up_to
from tests.test_rules import risk
from tests.test_rules import section
from tests.test_rules import squash

REG_28_2 = "Care Planning, Placement and Case Review (England) Regulations 2010, reg 28(2)"
REG_28_3 = "Care Planning, Placement and Case Review (England) Regulations 2010, reg 28(3)"
REG_33 = "Care Planning, Placement and Case Review (England) Regulations 2010, reg 33"
PWP_TEXT = ("within 1 week of the placement, then at most every 6 weeks for the first year, "
            "then at most every 3 months")
ICO_TEXT = ("within 1 week of the placement, then at most every week until the first child-in-care "
            "review, then at most every 4 weeks")
REVIEWS_TEXT = ("the first within 20 working days of coming into care, the second within 3 months, "
                "then every 6 months")

# In care since Monday 2026-06-01. The first review was due 20 working days later, on Monday
# 2026-06-29 (every Monday after the 1st is five more weekdays: 8th 5, 15th 10, 22nd 15,
# 29th 20). Held on 2026-06-26; the second was then due 3 months later, 2026-09-26, and was
# held on 2026-09-24; the third is due 6 months later, 2027-03-24. So in the visit scenarios
# no review is late or overdue and only the visit rules speak.
IN_CARE = "2026-06-01"
FIRST_REVIEW = "2026-06-26"
SECOND_REVIEW = "2026-09-24"


# -- building cases ------------------------------------------------------------------------


def case_yaml(legal_status: Sequence[tuple[str, str]], placements: Sequence[tuple[str, str]]) -> str:
    """case.yaml for Ella (people.yaml of the base case) from (code, from) pairs."""
    lines = ["# A fictional case for the time rules.", "reference: TEST-TIME", "child: ella", "legal_status:"]
    lines += [f"  - {{code: {code}, from: {since}}}" for code, since in legal_status]
    lines += ["placements:"]
    lines += [f"  - {{code: {code}, from: {since}}}" for code, since in placements]
    lines += ["home: flat", "team:",
              "  - {id: sw, name: Sam Rivers, role: social_worker}",
              "  - {id: tm, name: Tara Moss, role: team_manager}"]
    return "\n".join(lines) + "\n"


def visit(date: str, *, seen_alone: bool = True, announced: bool = True) -> str:
    return (f"  - {{date: {date}, by: sw, announced: {str(announced).lower()}, "
            f"seen_alone: {str(seen_alone).lower()}}}")


def review(date: str) -> str:
    return (f"  - {{meeting: cic_review, date: {date}, attendees: [ella, sw], others: [Foster carer], "
            "decided: Care plan endorsed.}")


def events_yaml(*, identified: str, meetings: Sequence[str] = (), visits: Sequence[str] = ()) -> str:
    lines = ["# What has happened, oldest first.", "steps:",
             f"  - {{step: identify, date: {identified}, by: sw}}"]
    if meetings:
        lines += ["meetings:", *meetings]
    if visits:
        lines += ["visits:", *visits]
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the one line of `text` that contains `needle`."""
    found = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


@pytest.fixture
def time_case(make_case: Callable[..., Path]) -> Callable[..., Path]:
    """A looked-after case with the given legal status, placements, reviews and visits."""

    def build(*, legal_status: Sequence[tuple[str, str]], placements: Sequence[tuple[str, str]],
              identified: str = IN_CARE, meetings: Sequence[str] = (), visits: Sequence[str] = (),
              name: str = "case") -> Path:
        return make_case(name, case_yaml=case_yaml(legal_status, placements),
                         events_yaml=events_yaml(identified=identified, meetings=meetings, visits=visits))

    return build


# -- reading what the CLI says -------------------------------------------------------------


def deadlines(cli: Callable[..., Result], folder: Path, today: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = as_json(cli("status", folder, "--json", "--today", today))["deadlines"]
    return data


def deadline(cli: Callable[..., Result], folder: Path, today: str, rule: str) -> dict[str, Any]:
    """The one item of `status --json` deadlines with this rule."""
    found = [d for d in deadlines(cli, folder, today) if d["rule"] == rule]
    assert len(found) == 1, found
    return found[0]


def visit_deadlines(cli: Callable[..., Result], folder: Path, today: str) -> list[dict[str, Any]]:
    return [d for d in deadlines(cli, folder, today) if d["rule"].startswith("visits:")]


def check_problems(cli: Callable[..., Result], folder: Path, today: str,
                   overdue: bool = False) -> list[dict[str, Any]]:
    """Every problem `check --json` reports (what is overdue and never recorded only with
    `overdue`); check exits 0 because they are only warnings."""
    data = as_json(cli("check", folder, "--json", "--today", today))
    assert data["errors"] == 0, data
    problems: list[dict[str, Any]] = [p for case in data["cases"] for p in case["problems"]
                                      if overdue or p["code"] != "overdue"]
    return problems


def coloured_next(folder: Path, today: str, cli: Callable[..., Result],
                  monkeypatch: pytest.MonkeyPatch) -> str:
    """`next` as a colour terminal shows it, with ANSI styles, 200 columns wide."""
    screen = io.StringIO()
    monkeypatch.setattr(read, "out", Console(file=screen, force_terminal=True, color_system="standard",
                                             width=200, highlight=False))
    result = cli("next", folder, "--today", today)
    assert result.code == 0, result.err
    return screen.getvalue()


RED = "\x1b[31m"
RESET = "\x1b[0m"


# -- 1. The planning review is overdue three months after the planning meeting --------------


@pytest.fixture
def after_planning_meeting(make_case: Callable[..., Path]) -> Path:
    """The reference timeline up to monitoring progress: the planning meeting was held on
    2026-06-01, every step after it that can be done is done, and there is no planning review."""
    return make_case(
        case_yaml=CASE_FULL,
        events_yaml=events_up_to("monitor_progress"),
        chronology_yaml=CHRONOLOGY,
        assessment_yaml=ASSESSMENT,
        decisions_yaml=decisions(D1, D2_PROCEED),
        risk_yaml=risk(("RC1", RC1_DATE, "medium")),
        agreement_yaml=AGREEMENT,
        plan_yaml=PLAN,
    )


def test_a_planning_review_past_three_months_is_overdue_with_its_citation(
    after_planning_meeting: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Planning meeting 2026-06-01 + 3 months = 2026-09-01; on 2026-09-15 that is 14 days ago.
    today = "2026-09-15"

    data = as_json(cli("next", after_planning_meeting, "--json", "--today", today))

    assert [d for d in data["overdue"] if d["step"] == "planning_review"] == [
        {"what": "Reunification planning review", "date": "2026-09-01", "kind": "due", "overdue": True,
         "upcoming": False, "rule": "step:planning_review",
         "rule_text": "within 3 months of planning_meeting",
         "source": "NSPCC Reunification Practice Framework, detailed procedure step 16",
         "role": "team_manager", "step": "planning_review", "command": None}]
    text = cli("next", after_planning_meeting, "--today", today)
    assert text.code == 0, text.err
    overdue = squash(section(text.out, "Overdue"))
    assert ("- Reunification planning review: due 2026-09-01 (14 days ago) "
            "within 3 months of planning_meeting "
            "(NSPCC Reunification Practice Framework, detailed procedure step 16)") in overdue
    # On a colour terminal the date is red.
    screen = coloured_next(after_planning_meeting, today, cli, monkeypatch)
    assert f"Reunification planning review: {RED}due 2026-09-01 (14 days ago){RESET}" in screen


def test_a_planning_review_within_three_months_is_not_overdue(
    after_planning_meeting: Path, cli: Callable[..., Result]
) -> None:
    # 2026-08-31 is the day before 2026-09-01: due tomorrow, not overdue.
    data = as_json(cli("next", after_planning_meeting, "--json", "--today", "2026-08-31"))

    assert [d for d in data["overdue"] if d["step"] == "planning_review"] == []
    item = deadline(cli, after_planning_meeting, "2026-08-31", "step:planning_review")
    assert (item["date"], item["overdue"], item["upcoming"]) == ("2026-09-01", False, True)
    assert "Reunification planning review" not in section(
        cli("next", after_planning_meeting, "--today", "2026-08-31").out, "Overdue")


# -- 2. Visits to a child placed with parents: at most six weeks apart in the first year -----

# Care order (C2) and placed with parents (P1) from Monday 2026-06-01. First visit 2026-06-05,
# within the week (due by 2026-06-08). Second 2026-07-17: 2026-06-05 + 42 days (25 to the end
# of June, 17 into July), exactly six weeks, so due by 2026-07-17 and on time. The third visit
# was due by 2026-07-17 + 42 = 2026-08-28 (14 to the end of July, 28 into August). Seven weeks
# after the second is 2026-07-17 + 49 = 2026-09-04 (31 to the end of August, 4 into September).
CARE_ORDER_AT_HOME = {"legal_status": [("C2", IN_CARE)], "placements": [("P1", IN_CARE)],
                      "meetings": [review(FIRST_REVIEW)]}


def test_a_seven_week_gap_between_visits_in_the_first_year_is_flagged(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = time_case(**CARE_ORDER_AT_HOME,
                       visits=[visit("2026-06-05"), visit("2026-07-17"), visit("2026-09-04")])
    events = (folder / "events.yaml").read_text(encoding="utf-8")

    problems = check_problems(cli, folder, "2026-09-10")

    assert [(Path(p["file"]).name, p["line"], p["severity"], p["field"], p["message"]) for p in problems] == [
        ("events.yaml", line_of(events, "2026-09-04"), "warning", "visits[2].date",
         "visit 49 days after the visit on 2026-07-17: it was due by 2026-08-28")]
    assert problems[0]["hint"] == f"Visit the child placed with parents: {PWP_TEXT} ({REG_28_2})"
    text = cli("check", folder, "--today", "2026-09-10")
    assert text.code == 0, text.out
    assert (f"events.yaml:{line_of(events, '2026-09-04')}:" in text.out
            and "warning: visit 49 days after the visit on 2026-07-17: it was due by 2026-08-28" in text.out)
    assert "reg 28(2)" in text.out
    assert text.out.rstrip().endswith("1 warning in 1 case")


def test_a_six_week_gap_between_visits_in_the_first_year_is_not_flagged(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = time_case(**CARE_ORDER_AT_HOME,
                       visits=[visit("2026-06-05"), visit("2026-07-17"), visit("2026-08-28")])

    result = cli("check", folder, "--today", "2026-09-10")

    assert result.code == 0, result.out
    assert "1 case checked: no problems" in result.out, result.out
    # The next visit: 2026-08-28 + 42 days = 2026-10-09 (3 to the end of August, 30 in
    # September, 9 into October).
    assert [(d["rule"], d["date"], d["overdue"]) for d in visit_deadlines(cli, folder, "2026-09-10")] == [
        ("visits:placed_with_parents", "2026-10-09", False)]


def test_a_gap_of_six_weeks_and_a_day_is_flagged(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # The third visit one day after it was due (2026-08-28): 2026-08-29, 43 days after the second.
    folder = time_case(**CARE_ORDER_AT_HOME,
                       visits=[visit("2026-06-05"), visit("2026-07-17"), visit("2026-08-29")])

    messages = [p["message"] for p in check_problems(cli, folder, "2026-09-10")]

    assert messages == ["visit 43 days after the visit on 2026-07-17: it was due by 2026-08-28"]


def test_after_the_first_year_visits_may_be_three_months_apart(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # Placed with parents under a care order from Monday 2025-06-02; the first year ends on
    # 2026-06-02. The first visit on 2025-06-06, then each 42 days after the one before:
    # 2025-07-18 (24 to the end of June, 18), 08-29 (13, 29), 10-10 (2, 30, 10), 11-21 (21, 21),
    # 2026-01-02 (9, 31, 2), 02-13 (29, 13), 03-27 (15, 27), 05-08 (4, 30, 8). The next, on
    # 2026-06-12, is 35 days later and in the second year, so from it 3 months are allowed: the
    # visit on 2026-09-10, 90 days later (18 to the end of June, 31, 31, 10), was due by
    # 2026-09-12 and is on time. The next is due 3 months after it, on 2026-12-10.
    # Reviews: due 2025-06-30 (20 working days), held 06-27; due 09-27, held 09-26; due
    # 2026-03-26, held 03-20; due 09-20, held 09-10.
    first_year = ["2025-06-06", "2025-07-18", "2025-08-29", "2025-10-10", "2025-11-21", "2026-01-02",
                  "2026-02-13", "2026-03-27", "2026-05-08"]
    folder = time_case(legal_status=[("C2", "2025-06-02")], placements=[("P1", "2025-06-02")],
                       identified="2025-06-02",
                       meetings=[review("2025-06-27"), review("2025-09-26"), review("2026-03-20"),
                                 review("2026-09-10")],
                       visits=[visit(day) for day in [*first_year, "2026-06-12", "2026-09-10"]])

    assert check_problems(cli, folder, "2026-11-23") == []
    assert [(d["rule"], d["date"], d["overdue"]) for d in visit_deadlines(cli, folder, "2026-11-23")] == [
        ("visits:placed_with_parents", "2026-12-10", False)]


# -- 3. High for six months prompts Severe ---------------------------------------------------


@pytest.fixture
def high_since_february(make_case: Callable[..., Path]) -> Path:
    """RC1 High on 2026-02-15, confirmed the next day, the only classification; Decision 2 is next."""
    return make_case(
        case_yaml=CASE_FULL,
        events_yaml=events_up_to("rc1_meeting"),
        chronology_yaml=CHRONOLOGY,
        assessment_yaml=ASSESSMENT,
        decisions_yaml=decisions(D1),
        risk_yaml=risk(("RC1", RC1_DATE, "high")),
    )


SEVERE_MESSAGE = ("risk has been High since 2026-02-15: after 6 months the framework says classify it "
                  "as Severe")
SEVERE_SOURCE = "NSPCC Reunification Practice Framework, risk levels (High for six months becomes Severe)"


def test_a_high_classification_seven_months_old_prompts_severe(
    high_since_february: Path, cli: Callable[..., Result]
) -> None:
    # High since 2026-02-15 + 6 months = 2026-08-15; on 2026-09-15 it is seven months old.
    today = "2026-09-15"
    risk_text = (high_since_february / "risk.yaml").read_text(encoding="utf-8")

    problems = check_problems(cli, high_since_february, today)

    assert [(Path(p["file"]).name, p["line"], p["severity"], p["field"], p["message"]) for p in problems] == [
        ("risk.yaml", line_of(risk_text, "level: high"), "warning", "classifications[0].level",
         SEVERE_MESSAGE)]
    assert problems[0]["hint"] == ("hold a risk classification meeting; record it with 'reunify classify' "
                                   f"({SEVERE_SOURCE})")
    text = cli("check", high_since_february, "--today", today)
    assert text.code == 0
    assert f"warning: {SEVERE_MESSAGE}" in text.out

    attention = squash(section(cli("next", high_since_february, "--today", today).out, "Needs attention"))
    assert f"- {SEVERE_MESSAGE} (risk.yaml:{line_of(risk_text, 'level: high')})" in attention

    assert deadline(cli, high_since_february, today, "high_becomes_severe") == {
        "what": "Classify the risk again (High since 2026-02-15)", "date": "2026-08-15", "kind": "due",
        "overdue": True, "upcoming": False, "rule": "high_becomes_severe",
        "rule_text": "High for 6 months becomes Severe", "source": SEVERE_SOURCE,
        "role": "team_manager", "step": None, "command": None}


def test_a_high_classification_five_months_old_does_not_prompt_severe(
    high_since_february: Path, cli: Callable[..., Result]
) -> None:
    # On 2026-07-15 High is five months old; six months are up on 2026-08-15, in 31 days.
    today = "2026-07-15"

    result = cli("check", high_since_february, "--today", today)

    assert result.code == 0
    # (the case is built without its child-in-care reviews, which are overdue)
    assert check_problems(cli, high_since_february, today) == [], result.out
    assert "Needs attention" not in cli("next", high_since_february, "--today", today).out
    item = deadline(cli, high_since_february, today, "high_becomes_severe")
    assert (item["date"], item["overdue"], item["upcoming"]) == ("2026-08-15", False, False)


# -- 4. The child is seen alone at every visit ----------------------------------------------


def test_a_visit_where_the_child_was_not_seen_alone_is_flagged(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # Visits on 2026-06-05 (seen alone) and 2026-07-10 (not seen alone), 35 days apart: only the
    # second is flagged, and only for not seeing the child alone.
    folder = time_case(**CARE_ORDER_AT_HOME,
                       visits=[visit("2026-06-05"), visit("2026-07-10", seen_alone=False, announced=False)])
    events = (folder / "events.yaml").read_text(encoding="utf-8")

    problems = check_problems(cli, folder, "2026-07-20")

    line = line_of(events, "2026-07-10")
    assert [(Path(p["file"]).name, p["line"], p["severity"], p["field"], p["message"]) for p in problems] == [
        ("events.yaml", line, "warning", "visits[1].seen_alone",
         "the child was not seen alone at the visit on 2026-07-10")]
    # The column points at the value of `seen_alone` in the flow mapping of that visit.
    value_at = events.splitlines()[line - 1].index("seen_alone: false") + len("seen_alone: ")
    assert problems[0]["column"] == value_at + 1
    assert problems[0]["hint"] == ("see the child alone at every visit (NSPCC Reunification Practice "
                                   "Framework, detailed procedure step 18 (child seen alone every time))")
    attention = squash(section(cli("next", folder, "--today", "2026-07-20").out, "Needs attention"))
    assert f"- the child was not seen alone at the visit on 2026-07-10 (events.yaml:{line})" in attention


def test_visits_where_the_child_was_seen_alone_are_not_flagged(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = time_case(**CARE_ORDER_AT_HOME,
                       visits=[visit("2026-06-05"), visit("2026-07-10", announced=False)])

    result = cli("check", folder, "--today", "2026-07-20")

    assert result.code == 0
    assert "1 case checked: no problems" in result.out, result.out


# -- 5. Interim care order at home: weekly until the first review, then four-weekly ----------

# In care from 2026-06-01 in foster care (U6), reviewed on 2026-06-26 and 2026-09-24, placed
# with parents (P1) from Monday 2026-10-05. Visits every Sunday from 2026-10-11 (within the
# first week, due by 2026-10-12) to 2026-11-15, each seven days after the one before. Today,
# Monday 2026-11-23, is 8 days after the last visit. Weekly: due 2026-11-15 + 7 = 2026-11-22,
# yesterday. Four-weekly: 2026-11-15 + 28 = 2026-12-13 (15 to the end of November, 13 into
# December). Six-weekly: 2026-11-15 + 42 = 2026-12-27.
HOME_SINCE = "2026-10-05"
WEEKLY_VISITS = ["2026-10-11", "2026-10-18", "2026-10-25", "2026-11-01", "2026-11-08", "2026-11-15"]
TODAY = "2026-11-23"


def home_under(legal_status: str, time_case: Callable[..., Path], *extra_reviews: str) -> Path:
    return time_case(legal_status=[(legal_status, IN_CARE)], placements=[("U6", IN_CARE), ("P1", HOME_SINCE)],
                     meetings=[review(FIRST_REVIEW), review(SECOND_REVIEW), *map(review, extra_reviews)],
                     visits=[visit(day) for day in WEEKLY_VISITS])


def test_an_interim_care_order_at_home_needs_a_visit_every_week_until_a_review(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # Both reviews were held before the child went home, so none since the placement started.
    folder = home_under("C1", time_case)

    assert visit_deadlines(cli, folder, TODAY) == [
        {"what": "Visit the child placed with parents under an interim care order", "date": "2026-11-22",
         "kind": "due", "overdue": True, "upcoming": False, "rule": "visits:interim_care_order",
         "rule_text": ICO_TEXT, "source": REG_28_3, "role": "social_worker", "step": None,
         "command": "reunify visit --date YYYY-MM-DD --by sw --announced --seen-alone"}]
    overdue = as_json(cli("next", folder, "--json", "--today", TODAY))["overdue"]
    assert [(d["rule"], d["date"]) for d in overdue] == [("visits:interim_care_order", "2026-11-22")]
    text = squash(section(cli("next", folder, "--today", TODAY).out, "Overdue"))
    assert ("- Visit the child placed with parents under an interim care order: due 2026-11-22 (yesterday) "
            f"{ICO_TEXT} ({REG_28_3})") in text
    assert check_problems(cli, folder, TODAY) == []


def test_an_interim_care_order_at_home_needs_a_visit_every_four_weeks_after_a_review(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # A child-in-care review on 2026-11-02, after the placement started and before the last
    # visit: the last visit plus 4 weeks is 2026-12-13, stricter than six weeks (2026-12-27).
    folder = home_under("C1", time_case, "2026-11-02")

    found = visit_deadlines(cli, folder, TODAY)

    assert [(d["rule"], d["date"], d["overdue"], d["source"]) for d in found] == [
        ("visits:interim_care_order", "2026-12-13", False, REG_28_3)]
    assert as_json(cli("next", folder, "--json", "--today", TODAY))["overdue"] == []


def test_a_care_order_at_home_needs_a_visit_every_six_weeks(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # The same visits under a full care order (C2): six-weekly, due 2026-12-27.
    folder = home_under("C2", time_case)

    found = visit_deadlines(cli, folder, TODAY)

    assert [(d["rule"], d["date"], d["overdue"], d["source"]) for d in found] == [
        ("visits:placed_with_parents", "2026-12-27", False, REG_28_2)]
    assert as_json(cli("next", folder, "--json", "--today", TODAY))["overdue"] == []


def test_a_nine_day_gap_is_flagged_under_an_interim_care_order_but_not_a_care_order(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # Visits on 2026-10-11 and 2026-10-20, nine days apart, with no review since 2026-10-05:
    # weekly, the second was due by 2026-10-18.
    visits = [visit("2026-10-11"), visit("2026-10-20")]
    interim = time_case(legal_status=[("C1", IN_CARE)], placements=[("U6", IN_CARE), ("P1", HOME_SINCE)],
                        meetings=[review(FIRST_REVIEW), review(SECOND_REVIEW)], visits=visits)
    full = time_case(legal_status=[("C2", IN_CARE)], placements=[("U6", IN_CARE), ("P1", HOME_SINCE)],
                     meetings=[review(FIRST_REVIEW), review(SECOND_REVIEW)], visits=visits, name="full")

    flagged = check_problems(cli, interim, "2026-10-21")

    assert [(p["field"], p["message"]) for p in flagged] == [
        ("visits[1].date", "visit 9 days after the visit on 2026-10-11: it was due by 2026-10-18")]
    assert flagged[0]["hint"] == ("Visit the child placed with parents under an interim care order: "
                                  f"{ICO_TEXT} ({REG_28_3})")
    assert check_problems(cli, full, "2026-10-21") == []


# -- 6. Child-in-care reviews: 20 working days, then 3 months, then every 6 months -----------


def in_care_from(start: str, time_case: Callable[..., Path], *reviews: str) -> Path:
    """In foster care (U6) under a care order from `start`; never placed with parents."""
    return time_case(legal_status=[("C2", start)], placements=[("U6", start)], identified=start,
                     meetings=[review(day) for day in reviews])


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Saturday: the weekdays counted are Mon 5 to Fri 9 (5), 12-16 (10), 19-23 (15),
        # 26-30 (20): Friday 2026-01-30, 27 days later.
        ("2026-01-03", "2026-01-30"),
        # Sunday: the same twenty weekdays, Friday 2026-01-30, 26 days later.
        ("2026-01-04", "2026-01-30"),
        # Wednesday: Thu 8, Fri 9 (2), 12-16 (7), 19-23 (12), 26-30 (17), Mon 2, Tue 3,
        # Wed 4 February (20): 2026-02-04, four weeks later.
        ("2026-01-07", "2026-02-04"),
        # Friday: 12-16 (5), 19-23 (10), 26-30 (15), 2-6 February (20): 2026-02-06.
        ("2026-01-09", "2026-02-06"),
    ],
)
def test_the_first_review_is_due_twenty_working_days_after_care_starts(
    time_case: Callable[..., Path], cli: Callable[..., Result], start: str, due: str
) -> None:
    # No bank holiday in England falls between 2026-01-02 and 2026-02-06.
    folder = in_care_from(start, time_case)

    item = deadline(cli, folder, "2026-01-20", "reviews")

    assert item == {"what": "Child-in-care review", "date": due, "kind": "due", "overdue": False,
                    "upcoming": False, "rule": "reviews", "rule_text": REVIEWS_TEXT, "source": REG_33,
                    "role": "qaro", "step": None,
                    "command": "reunify meeting cic_review --date YYYY-MM-DD --attendee NAME"}


def test_the_first_review_is_overdue_the_day_after_it_is_due(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # In care from Saturday 2026-01-03: due Friday 2026-01-30.
    folder = in_care_from("2026-01-03", time_case)

    on_the_day = deadline(cli, folder, "2026-01-30", "reviews")
    day_after = deadline(cli, folder, "2026-01-31", "reviews")

    assert (on_the_day["date"], on_the_day["overdue"], on_the_day["upcoming"]) == ("2026-01-30", False, True)
    assert (day_after["date"], day_after["overdue"]) == ("2026-01-30", True)
    overdue = as_json(cli("next", folder, "--json", "--today", "2026-01-31"))["overdue"]
    assert [(d["rule"], d["date"]) for d in overdue] == [("reviews", "2026-01-30")]
    text = squash(section(cli("next", folder, "--today", "2026-01-31").out, "Overdue"))
    assert f"- Child-in-care review: due 2026-01-30 (yesterday) {REVIEWS_TEXT} ({REG_33})" in text


@pytest.mark.parametrize(
    ("reviews", "today", "due"),
    [
        # The first on 2026-01-28 (on time): the second within 3 months, by 2026-04-28.
        (("2026-01-28",), "2026-03-02", "2026-04-28"),
        # The second on 2026-04-27: the third within 6 months, by 2026-10-27.
        (("2026-01-28", "2026-04-27"), "2026-06-01", "2026-10-27"),
        # The third on 2026-10-20: every 6 months after the latest, by 2027-04-20.
        (("2026-01-28", "2026-04-27", "2026-10-20"), "2026-11-23", "2027-04-20"),
        # Held early (the second a month after the first): still 6 months after the latest.
        (("2026-01-28", "2026-02-27"), "2026-03-02", "2026-08-27"),
    ],
)
def test_later_reviews_are_due_three_months_after_the_first_then_every_six_months(
    time_case: Callable[..., Path], cli: Callable[..., Result], reviews: tuple[str, ...], today: str, due: str
) -> None:
    folder = in_care_from("2026-01-03", time_case, *reviews)

    item = deadline(cli, folder, today, "reviews")

    assert (item["date"], item["overdue"]) == (due, False)
    assert check_problems(cli, folder, today) == []


def test_a_late_review_is_flagged_and_the_next_counts_from_it(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # First on 2026-01-28 (due 2026-01-30, on time); the second was due 2026-01-28 + 3 months =
    # 2026-04-28 but held on 2026-05-05, 7 days late (2 to the end of April, 5 into May). The
    # third is due 6 months after the late one: 2026-11-05.
    folder = in_care_from("2026-01-03", time_case, "2026-01-28", "2026-05-05")
    events = (folder / "events.yaml").read_text(encoding="utf-8")

    problems = check_problems(cli, folder, "2026-06-01")

    assert [(Path(p["file"]).name, p["line"], p["severity"], p["field"], p["message"]) for p in problems] == [
        ("events.yaml", line_of(events, "2026-05-05"), "warning", "meetings[1].date",
         "child-in-care review held 7 days after it was due (2026-04-28)")]
    assert problems[0]["hint"] == f"reviews: {REVIEWS_TEXT} ({REG_33})"
    item = deadline(cli, folder, "2026-06-01", "reviews")
    assert (item["date"], item["overdue"]) == ("2026-11-05", False)


def test_a_late_first_review_is_flagged(time_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    # Due 2026-01-30 (from Saturday 2026-01-03), held Tuesday 2026-02-03: 4 days late. The
    # second is due 3 months later, 2026-05-03.
    folder = in_care_from("2026-01-03", time_case, "2026-02-03")

    problems = check_problems(cli, folder, "2026-02-10")

    assert [(p["field"], p["message"]) for p in problems] == [
        ("meetings[0].date", "child-in-care review held 4 days after it was due (2026-01-30)")]
    assert deadline(cli, folder, "2026-02-10", "reviews")["date"] == "2026-05-03"


# -- 7. The first visit of a placement with parents is due within a week ---------------------

# In care from 2026-06-01 (reviews on time), placed with parents from Wednesday 2026-11-18:
# the first visit is due a week later, Wednesday 2026-11-25.
PLACED_ON = "2026-11-18"


def placed_home(time_case: Callable[..., Path], legal_status: str = "C2", visits: Sequence[str] = ()) -> Path:
    return time_case(legal_status=[(legal_status, IN_CARE)], placements=[("U6", IN_CARE), ("P1", PLACED_ON)],
                     meetings=[review(FIRST_REVIEW), review(SECOND_REVIEW)], visits=visits)


@pytest.mark.parametrize("legal_status", ["C2", "C1"])
def test_the_first_visit_is_due_a_week_after_the_placement_starts(
    time_case: Callable[..., Path], cli: Callable[..., Result], legal_status: str
) -> None:
    # Today 2026-11-23: due in 2 days, so it is coming up.
    folder = placed_home(time_case, legal_status)

    found = visit_deadlines(cli, folder, "2026-11-23")

    assert [(d["date"], d["overdue"], d["upcoming"]) for d in found] == [("2026-11-25", False, True)]
    coming = squash(section(cli("next", folder, "--today", "2026-11-23").out, "Coming up"))
    assert f"- {found[0]['what']}: due 2026-11-25 (in 2 days)" in coming


def test_the_first_visit_is_overdue_a_week_and_a_day_after_the_placement(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = placed_home(time_case)

    overdue = as_json(cli("next", folder, "--json", "--today", "2026-11-26"))["overdue"]

    assert [(d["rule"], d["what"], d["date"], d["rule_text"], d["source"]) for d in overdue] == [
        ("visits:placed_with_parents", "Visit the child placed with parents", "2026-11-25", PWP_TEXT,
         REG_28_2)]


def test_a_first_visit_later_than_a_week_is_flagged(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # First visit on Friday 2026-11-27: 9 days after the start on the 18th, two days after it
    # was due.
    folder = placed_home(time_case, visits=[visit("2026-11-27")])

    problems = check_problems(cli, folder, "2026-11-30")

    assert [(p["field"], p["message"]) for p in problems] == [
        ("visits[0].date", "visit 9 days after the start of the placement: it was due by 2026-11-25")]
    # The next visit: six weeks after 2026-11-27 is 2027-01-08 (3 to the end of November, 31,
    # 8 into January).
    assert [(d["date"], d["overdue"]) for d in visit_deadlines(cli, folder, "2026-11-30")] == [
        ("2027-01-08", False)]


def test_a_first_visit_on_the_last_day_of_the_week_is_on_time(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = placed_home(time_case, visits=[visit("2026-11-25")])

    assert check_problems(cli, folder, "2026-11-30") == []


def test_a_visit_on_the_day_the_placement_starts_is_the_first_visit(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    # Placed with parents under a care order from Monday 2026-10-05 and visited that day: the
    # first visit was within a week, so the next is due within six weeks, by 2026-11-16 (26 to
    # the end of October, 16 into November). A second visit on 2026-11-10, 36 days after the
    # first, is on time.
    folder = time_case(legal_status=[("C2", IN_CARE)], placements=[("U6", IN_CARE), ("P1", HOME_SINCE)],
                       meetings=[review(FIRST_REVIEW), review(SECOND_REVIEW)], visits=[visit(HOME_SINCE)])

    assert [(d["date"], d["overdue"]) for d in visit_deadlines(cli, folder, "2026-10-20")] == [
        ("2026-11-16", False)]
    (folder / "events.yaml").write_text(events_yaml(
        identified=IN_CARE, meetings=[review(FIRST_REVIEW), review(SECOND_REVIEW)],
        visits=[visit(HOME_SINCE), visit("2026-11-10")]), encoding="utf-8")
    assert check_problems(cli, folder, "2026-11-20") == []


def test_cases_built_here_have_no_other_problems(
    time_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    """The scaffolding: a case at home with visits on time has nothing to say but its dates."""
    folder = home_under("C2", time_case)

    result = cli("check", folder, "--today", TODAY)

    assert result.code == 0, result.out
    assert "1 case checked: no problems" in result.out, result.out
