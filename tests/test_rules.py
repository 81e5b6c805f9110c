"""Scenario tests for the engine's rules, seen through `next`, `status` and the recording commands.

Every scenario is a case folder written as YAML at a fixed day. The records are built up to
the point the rule needs from one timeline (TIMELINE), and every artefact a done step needs
is present, so that what the engine says comes from the rule under test and not from gaps.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BASE
from tests.conftest import Result
from tests.conftest import snapshot

CASE = textwrap.dedent(BASE["case.yaml"])

# The base case with a trusted adult and a head of service (who ratifies Decision 3).
# In care since 2025-12-01, before the timeline starts.
CASE_FULL = CASE.replace("from: 2026-06-01", "from: 2025-12-01").replace(
    "home: flat", "home: flat\ntrusted_adult: jo") + """\
  - id: hs
    name: Hana Shore
    role: head_of_service
"""

# One case's history on the return path, oldest first: (step, date, by).
# Decisions and classifications are written to their own files by the helpers below.
TIMELINE: list[tuple[str, str, str]] = [
    ("identify", "2026-01-05", "sw"),
    ("qaro_discussion", "2026-01-07", "sw"),
    ("supervision_discussion", "2026-01-09", "tm"),
    ("decision_1", "2026-01-12", "tm"),
    ("assessment_planning", "2026-01-15", "tm"),
    ("meet_child", "2026-01-20", "sw"),
    ("chronology", "2026-01-25", "cr"),
    ("genogram", "2026-01-25", "sw"),
    ("support_needs", "2026-01-26", "sw"),
    ("police_checks", "2026-01-27", "sw"),
    ("midpoint_supervision", "2026-02-01", "tm"),
    ("return_home_assessment", "2026-02-10", "sw"),
    ("rc1_meeting", "2026-02-15", "tm"),
    ("decision_2", "2026-02-20", "sm"),
    ("confirm_with_family", "2026-02-25", "sw"),
    ("finalise_assessment", "2026-02-26", "tm"),
    ("planning_meeting", "2026-06-01", "tm"),
    ("parental_agreement", "2026-06-05", "sw"),
    ("contingency_plan", "2026-06-06", "sw"),
    ("child_communication", "2026-06-07", "sw"),
    ("reunification_plan", "2026-06-10", "sw"),
    ("monitor_progress", "2026-07-01", "sw"),
    ("planning_review", "2026-08-20", "tm"),
    ("rc2", "2026-08-25", "tm"),
    ("decision_3", "2027-03-01", "sm"),
    ("communicate_decision", "2027-03-05", "sw"),
    ("gradual_return", "2027-03-10", "sw"),
    ("update_plan", "2027-03-20", "sw"),
    ("cpag", "2027-03-25", "sw"),
    ("return_home", "2027-03-31", "sw"),
]
RECORDED_ELSEWHERE = {"decision_1", "decision_2", "decision_3", "rc1_meeting", "rc2"}
STEP_IDS = [step for step, _, _ in TIMELINE]
PLANNING_MEETING = "2026-06-01"
RETURN_DAY = "2027-03-31"


def events_up_to(last: str, *, skip: tuple[str, ...] = ()) -> str:
    """events.yaml with every non-decision, non-classification step of TIMELINE up to `last`."""
    lines = ["# Steps done so far, oldest first.", "steps:"]
    for step, date, by in TIMELINE[: STEP_IDS.index(last) + 1]:
        if step in RECORDED_ELSEWHERE or step in skip:
            continue
        lines += [f"  - step: {step}", f"    date: {date}", f"    by: {by}"]
    return "\n".join(lines) + "\n"


def decisions(*items: tuple[str, str, str, str]) -> str:
    """decisions.yaml from (id, date, by, outcome); D3 is ratified three days later."""
    lines = ["decisions:"]
    for decision_id, date, by, outcome in items:
        lines += [f"  - id: {decision_id}", f"    date: {date}", f"    by: {by}", f"    outcome: {outcome}"]
        if decision_id == "D3":
            lines += ["    ratified_by: hs", f"    ratified: {date[:-2]}{int(date[-2:]) + 3:02d}"]
    return "\n".join(lines) + "\n"


def risk(*items: tuple[str, str, str]) -> str:
    """risk.yaml from (id, date, level), each confirmed by the service manager a day later."""
    lines = ["classifications:"]
    for classification_id, date, level in items:
        confirmed = f"{date[:-2]}{int(date[-2:]) + 1:02d}"
        lines += [f"  - id: {classification_id}", f"    date: {date}", f"    level: {level}",
                  f"    rationale: Level {level} on the evidence so far.", "    recommended_by: [sw, tm]",
                  "    confirmed_by: sm", f"    confirmed: {confirmed}"]
    return "\n".join(lines) + "\n"


D1 = ("D1", "2026-01-12", "tm", "pursue")
D2_PROCEED = ("D2", "2026-02-20", "sm", "proceed")
D2_PERMANENCE = ("D2", "2026-02-20", "sm", "permanence")
D3_REUNIFY = ("D3", "2027-03-01", "sm", "reunify")
RC1_DATE = "2026-02-15"
RC2_DATE = "2026-08-25"

CHRONOLOGY = """\
chronologist: cr
entries:
  - date: 2016-05-01
    event: Mother moved to the area
    source: health visitor
"""

ASSESSMENT = """\
started: 2026-01-16
parents:
  - person: jo
    risk_factors: [alcohol misuse]
    protective_factors: [engaged with services]
    interaction: Protective factors hold while she is not drinking.
    capacity_to_change: Good.
child_views: Wants to go home.
housing: Stable tenancy.
finances: Managing.
school: Attends well.
support_needs: [parenting course]
police_checks:
  - person: jo
    date: 2026-01-27
    result: nothing known
signed_off:
  by: tm
  date: 2026-02-26
"""

AGREEMENT = """\
agreed: 2026-06-05
review_date: 2027-06-05
parents:
  - person: jo
    goals:
      - change: Jo stays alcohol-free.
        evidence: Test results.
        due: 2026-12-31
        support: Recovery service keyworker.
        reviews:
          - date: 2026-07-01
            rating: green
"""

PLAN = """\
support:
  - service: Family support worker
    for: [jo]
contact:
  - with: [jo]
    arrangement: Weekly overnight stays.
child_communication: Ella was seen alone and said she wants to go home after the summer.
contingency: Ella stays with her foster carer if Jo relapses.
after_return:
  - service: Statutory visits
    for: [ella, jo]
    from: 2027-03-31
    until: 2028-06-30
"""

LEFT_CARE = "left_care:\n  date: 2027-03-31\n  reason: E4A\n"


# -- helpers -------------------------------------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split())


def as_json(result: Result) -> dict[str, Any]:
    assert result.code == 0, result.out + result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def steps_of(status: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["step"]: step for stage in status["stages"] for step in stage["steps"]}


def refusal_reasons(err: str) -> list[str]:
    return [line.removeprefix("  - ") for line in err.splitlines() if line.startswith("  - ")]


def section(text: str, title: str) -> str:
    """The lines of `next`'s text output under the heading `title`, up to the next blank line."""
    lines = text.splitlines()
    if title not in lines:
        return ""
    start = lines.index(title) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[start:end])


@pytest.fixture
def full_case(make_case: Callable[..., Path]) -> Callable[..., Path]:
    """A case on the reference timeline, with every artefact in place, up to `last`."""

    def build(last: str, *, rc: tuple[tuple[str, str, str], ...] = (), dec: tuple[tuple[str, str, str, str], ...] = (),
              case_yaml: str = CASE_FULL, skip: tuple[str, ...] = ()) -> Path:
        files: dict[str, str] = {
            "case_yaml": case_yaml,
            "events_yaml": events_up_to(last, skip=skip),
            "chronology_yaml": CHRONOLOGY,
            "assessment_yaml": ASSESSMENT,
            "decisions_yaml": decisions(*dec),
            "risk_yaml": risk(*rc),
        }
        if STEP_IDS.index(last) >= STEP_IDS.index("parental_agreement"):
            # Written on the day of the agreement: earlier, their dates would lie in the future.
            files |= {"agreement_yaml": AGREEMENT, "plan_yaml": PLAN}
        return make_case(**files)

    return build


@pytest.mark.parametrize(
    ("last", "rc", "dec", "extra", "today"),
    [
        ("rc1_meeting", (("RC1", RC1_DATE, "high"),), (D1,), "", "2026-03-01"),
        ("finalise_assessment", (("RC1", RC1_DATE, "low"),), (D1, D2_PROCEED), "", "2026-03-01"),
        ("finalise_assessment", (("RC1", RC1_DATE, "severe"),), (D1, D2_PERMANENCE), "", "2026-03-01"),
        ("monitor_progress", (("RC1", RC1_DATE, "medium"),), (D1, D2_PROCEED), "", "2026-08-15"),
        ("rc2", (("RC1", RC1_DATE, "high"), ("RC2", RC2_DATE, "medium")), (D1, D2_PROCEED), "", "2026-09-01"),
        ("return_home", (("RC1", RC1_DATE, "high"), ("RC2", RC2_DATE, "medium")), (D1, D2_PROCEED, D3_REUNIFY),
         LEFT_CARE, "2027-06-01"),
    ],
)
def test_the_timeline_is_clean_at_each_point(
    full_case: Callable[..., Path], cli: Callable[..., Result],
    last: str, rc: tuple[tuple[str, str, str], ...], dec: tuple[tuple[str, str, str, str], ...],
    extra: str, today: str,
) -> None:
    """The scaffolding itself: no problems at all, so later assertions test the rules only."""
    folder = full_case(last, rc=rc, dec=dec, case_yaml=CASE_FULL + extra)

    result = cli("check", folder, "--today", today, "--json")

    assert result.code == 0, result.out
    # (the scaffolding holds no reviews or visits: what falls due of those is overdue)
    problems = [p for case in as_json(result)["cases"] for p in case["problems"] if p["code"] != "overdue"]
    assert problems == [], problems


# -- 1. High for six months becomes Severe ----------------------------------------------------


@pytest.fixture
def high_since_february(full_case: Callable[..., Path]) -> Path:
    """RC1 High on 2026-02-15, the only classification, confirmed; Decision 2 is next."""
    return full_case("rc1_meeting", rc=(("RC1", RC1_DATE, "high"),), dec=(D1,))


def test_high_for_seven_months_needs_attention_to_classify_as_severe(
    high_since_february: Path, cli: Callable[..., Result]
) -> None:
    result = cli("next", high_since_february, "--today", "2026-09-15")

    assert result.code == 0, result.err
    attention = section(result.out, "Needs attention")
    assert attention, result.out
    assert ("risk has been High since 2026-02-15: after 6 months the framework says classify it as Severe"
            in squash(attention))
    data = as_json(cli("next", high_since_february, "--json", "--today", "2026-09-15"))
    assert [(p["severity"], p["message"]) for p in data["attention"]] == [
        ("warning", "risk has been High since 2026-02-15: after 6 months the framework says classify it as Severe")
    ]
    assert data["attention"][0]["file"].endswith("risk.yaml")


def test_high_for_five_months_needs_no_attention(high_since_february: Path, cli: Callable[..., Result]) -> None:
    result = cli("next", high_since_february, "--today", "2026-07-15")

    assert result.code == 0, result.err
    assert "Needs attention" not in result.out
    assert "Severe" not in result.out
    assert as_json(cli("next", high_since_february, "--json", "--today", "2026-07-15"))["attention"] == []


def test_high_becomes_severe_on_the_day_six_months_are_up(
    high_since_february: Path, cli: Callable[..., Result]
) -> None:
    before = as_json(cli("next", high_since_february, "--json", "--today", "2026-08-14"))
    on_the_day = as_json(cli("next", high_since_february, "--json", "--today", "2026-08-15"))

    assert before["attention"] == []
    assert [p["message"] for p in on_the_day["attention"]] == [
        "risk has been High since 2026-02-15: after 6 months the framework says classify it as Severe"
    ]


def test_high_counts_from_the_first_of_an_unbroken_run_of_high(
    full_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = full_case("rc2", rc=(("RC1", RC1_DATE, "high"), ("RC2", RC2_DATE, "high")), dec=(D1, D2_PROCEED))

    data = as_json(cli("next", folder, "--json", "--today", "2026-09-15"))

    assert [p["message"] for p in data["attention"]] == [
        "risk has been High since 2026-02-15: after 6 months the framework says classify it as Severe"
    ]


def test_high_then_medium_needs_no_severe_warning(full_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = full_case("rc2", rc=(("RC1", RC1_DATE, "high"), ("RC2", RC2_DATE, "medium")), dec=(D1, D2_PROCEED))

    result = cli("next", folder, "--today", "2026-12-01")

    assert result.code == 0, result.err
    assert "classify it as Severe" not in result.out
    assert "Needs attention" not in result.out


# -- 2. The planning review is due within 3 months of the planning meeting --------------------


@pytest.fixture
def after_planning_meeting(full_case: Callable[..., Path]) -> Path:
    """The planning meeting held on 2026-06-01 and the agreement work done; no review yet."""
    return full_case("monitor_progress", rc=(("RC1", RC1_DATE, "medium"),), dec=(D1, D2_PROCEED))


def test_planning_review_is_overdue_three_months_after_the_planning_meeting(
    after_planning_meeting: Path, cli: Callable[..., Result]
) -> None:
    status = as_json(cli("status", after_planning_meeting, "--json", "--today", "2026-09-15"))

    review = steps_of(status)["planning_review"]
    assert review["state"] == "ready"
    assert review["due"] == "2026-09-01"
    assert review["due_rule"] == "within 3 months of planning_meeting"
    assert review["overdue"] is True
    deadline = [d for d in status["deadlines"] if d["step"] == "planning_review"]
    assert deadline == [{"what": "Reunification planning review", "date": "2026-09-01", "kind": "due",
                         "overdue": True, "upcoming": False, "rule": "step:planning_review",
                         "rule_text": "within 3 months of planning_meeting",
                         "source": "NSPCC Reunification Practice Framework, detailed procedure step 16",
                         "role": "team_manager", "step": "planning_review", "command": None}]

    result = cli("next", after_planning_meeting, "--today", "2026-09-15")
    assert result.code == 0, result.err
    first = section(result.out, "Next").splitlines()[0]
    assert squash(first) == "1. Reunification planning review due 2026-09-01 (14 days ago)"
    data = as_json(cli("next", after_planning_meeting, "--json", "--today", "2026-09-15"))
    assert [s["step"] for s in data["overdue"] if s["step"]] == ["planning_review"]
    assert data["next"][0]["step"] == "planning_review"


def test_planning_review_is_not_overdue_before_three_months(
    after_planning_meeting: Path, cli: Callable[..., Result]
) -> None:
    status = as_json(cli("status", after_planning_meeting, "--json", "--today", "2026-08-15"))

    review = steps_of(status)["planning_review"]
    assert review["due"] == "2026-09-01"
    assert review["overdue"] is False

    result = cli("next", after_planning_meeting, "--today", "2026-08-15")
    assert "due 2026-09-01 (in 17 days)" in squash(result.out)
    assert "Reunification planning review:" not in section(result.out, "Overdue")
    overdue = as_json(cli("next", after_planning_meeting, "--json", "--today", "2026-08-15"))["overdue"]
    assert [d for d in overdue if d["step"]] == []


def test_planning_review_is_not_overdue_on_its_due_day(after_planning_meeting: Path, cli: Callable[..., Result]) -> None:
    on_the_day = steps_of(as_json(cli("status", after_planning_meeting, "--json", "--today", "2026-09-01")))
    day_after = steps_of(as_json(cli("status", after_planning_meeting, "--json", "--today", "2026-09-02")))

    assert on_the_day["planning_review"]["overdue"] is False
    assert day_after["planning_review"]["overdue"] is True


def test_done_planning_review_is_no_longer_overdue(full_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = full_case("planning_review", rc=(("RC1", RC1_DATE, "medium"),), dec=(D1, D2_PROCEED))

    status = as_json(cli("status", folder, "--json", "--today", "2026-09-15"))

    review = steps_of(status)["planning_review"]
    assert review["state"] == "done"
    assert review["overdue"] is False
    assert all(d["step"] != "planning_review" or not d["overdue"] for d in status["deadlines"])
    assert "Reunification planning review:" not in section(cli("next", folder, "--today", "2026-09-15").out, "Overdue")


# -- 3. RC3 is due six months after the return home ------------------------------------------


@pytest.fixture
def returned_home(full_case: Callable[..., Path]) -> Path:
    """Previously High, Medium since RC2, Decision 3 to reunify, home on 2027-03-31 (left care)."""
    return full_case(
        "return_home",
        rc=(("RC1", RC1_DATE, "high"), ("RC2", RC2_DATE, "medium")),
        dec=(D1, D2_PROCEED, D3_REUNIFY),
        case_yaml=CASE_FULL + LEFT_CARE,
    )


def test_rc3_is_due_six_months_after_the_return(returned_home: Path, cli: Callable[..., Result]) -> None:
    status = as_json(cli("status", returned_home, "--json", "--today", "2027-06-01"))

    steps = steps_of(status)
    assert steps["return_home"]["state"] == "done"
    assert steps["return_home"]["done"]["date"] == RETURN_DAY
    rc3 = [d for d in status["deadlines"] if d["step"] == "rc3"]
    # 2027-03-31 plus 6 months is the last day of September; not before 5 months: 2027-08-31.
    assert [(d["what"], d["date"], d["rule_text"], d["overdue"]) for d in rc3] == [
        ("Classify the risk again (RC3)", "2027-09-30", "6 months after return_home", False)]
    assert rc3[0]["source"] == "NSPCC Reunification Practice Framework, detailed procedure step 19"
    assert steps["rc3"]["not_before"] == "2027-08-31"
    assert steps["rc3"]["waiting_on"] == ["not before 2027-08-31 (5 months after return_home)"]


def test_rc3_is_coming_up_before_five_months_have_passed(returned_home: Path, cli: Callable[..., Result]) -> None:
    result = cli("next", returned_home, "--today", "2027-06-01")

    assert result.code == 0, result.err
    coming = squash(section(result.out, "Coming up"))
    assert "Classify the risk again (RC3): from 2027-08-31, due 2027-09-30 (in 121 days)" in coming
    data = as_json(cli("next", returned_home, "--json", "--today", "2027-06-01"))
    assert "rc3" in [s["step"] for s in data["coming_up"]]
    assert "rc3" not in [s["step"] for s in data["next"]]


def test_rc3_is_ready_from_five_months_after_the_return(returned_home: Path, cli: Callable[..., Result]) -> None:
    day_before = steps_of(as_json(cli("status", returned_home, "--json", "--today", "2027-08-30")))
    from_day = as_json(cli("next", returned_home, "--json", "--today", "2027-08-31"))

    assert day_before["rc3"]["state"] == "waiting"
    assert [s["step"] for s in from_day["next"]][:1] == ["rc3"]
    assert from_day["next"][0]["due"] == "2027-09-30"
    assert "rc3" not in [s["step"] for s in from_day["coming_up"]]


def test_rc3_is_overdue_after_six_months(returned_home: Path, cli: Callable[..., Result]) -> None:
    data = as_json(cli("next", returned_home, "--json", "--today", "2027-10-01"))

    assert [s["step"] for s in data["overdue"] if s["step"] == "rc3"] == ["rc3"]
    assert "due 2027-09-30 (yesterday)" in squash(cli("next", returned_home, "--today", "2027-10-01").out)


# -- 4. Decision 3 to reunify needs Medium or Low sustained for six months after High --------


@pytest.fixture
def ready_for_d3(full_case: Callable[..., Path]) -> Path:
    """RC1 High, RC2 Medium on 2026-08-25, every step up to Decision 3 done."""
    return full_case("rc2", rc=(("RC1", RC1_DATE, "high"), ("RC2", RC2_DATE, "medium")), dec=(D1, D2_PROCEED))


def test_d3_reunify_is_refused_while_medium_has_held_under_six_months(
    ready_for_d3: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(ready_for_d3)

    result = cli("decide", "D3", ready_for_d3, "--outcome", "reunify", "--by", "sm", "--today", "2027-02-24")

    assert result.code == 1
    assert "refused: D3 cannot be recorded as 'reunify' yet; nothing was changed" in result.err
    reasons = refusal_reasons(result.err)
    assert len(reasons) == 1, result.err
    assert reasons[0].startswith("risk.yaml:")
    assert reasons[0].endswith("risk has been Low or Medium only since 2026-08-25: 6 months are needed "
                               "(from 2027-02-25)")
    assert snapshot(ready_for_d3) == before


def test_d3_reunify_is_accepted_once_medium_has_held_six_months(
    ready_for_d3: Path, cli: Callable[..., Result]
) -> None:
    result = cli("decide", "D3", ready_for_d3, "--outcome", "reunify", "--by", "sm", "--today", "2027-02-25")

    assert result.code == 0, result.err
    assert "recorded D3: Reunify (2027-02-25); it needs ratifying by the head of locality or service" in squash(
        result.out)
    written = (ready_for_d3 / "decisions.yaml").read_text(encoding="utf-8")
    assert "id: D3" in written
    assert "outcome: reunify" in written
    status = as_json(cli("status", ready_for_d3, "--json", "--today", "2027-02-25"))
    assert not [p for p in status["problems"] if p["severity"] == "error"]


def test_d3_permanence_needs_no_sustained_period(ready_for_d3: Path, cli: Callable[..., Result]) -> None:
    result = cli("decide", "D3", ready_for_d3, "--outcome", "permanence", "--by", "sm", "--today", "2026-09-01")

    assert result.code == 0, result.err


def test_d3_reunify_needs_no_sustained_period_when_never_high(
    full_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = full_case("rc2", rc=(("RC1", RC1_DATE, "medium"), ("RC2", RC2_DATE, "medium")), dec=(D1, D2_PROCEED))

    result = cli("decide", "D3", folder, "--outcome", "reunify", "--by", "sm", "--today", "2026-09-01")

    assert result.code == 0, result.err


def test_d3_is_refused_while_rc2_is_not_done(full_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = full_case("rc2", rc=(("RC1", RC1_DATE, "high"),), dec=(D1, D2_PROCEED))
    before = snapshot(folder)

    result = cli("decide", "D3", folder, "--outcome", "reunify", "--by", "sm", "--today", "2027-03-01")

    assert result.code == 1
    assert "waiting: 'rc2' is not done" in refusal_reasons(result.err)
    assert snapshot(folder) == before


def test_backdated_d3_reunify_is_refused_when_medium_had_not_held_six_months_by_then(
    ready_for_d3: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(ready_for_d3)

    result = cli("decide", "D3", ready_for_d3, "--outcome", "reunify", "--by", "sm",
                 "--date", "2027-01-10", "--today", "2027-03-01")

    assert result.code == 1, result.out
    assert snapshot(ready_for_d3) == before


# -- 5. RC2 applies only when RC1 was Medium or High ---------------------------------------


def test_rc2_does_not_apply_when_rc1_is_low_but_decision_3_does(
    full_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = full_case("planning_review", rc=(("RC1", RC1_DATE, "low"),), dec=(D1, D2_PROCEED))

    steps = steps_of(as_json(cli("status", folder, "--json", "--today", "2026-09-01")))

    assert steps["rc2"]["state"] == "not_applicable"
    assert steps["rc2"]["reason"] == "only when RC1 is medium or high"
    assert steps["decision_3"]["state"] == "ready"
    data = as_json(cli("next", folder, "--json", "--today", "2026-09-01"))
    assert [s["step"] for s in data["next"]] == ["decision_3"]
    assert data["next"][0]["command"] == "reunify decide D3 --outcome reunify|permanence --date YYYY-MM-DD"


def test_rc2_applies_when_rc1_is_medium(full_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = full_case("planning_review", rc=(("RC1", RC1_DATE, "medium"),), dec=(D1, D2_PROCEED))

    steps = steps_of(as_json(cli("status", folder, "--json", "--today", "2026-09-01")))

    assert steps["rc2"]["state"] == "ready"
    assert steps["decision_3"]["state"] == "waiting"
    assert steps["decision_3"]["waiting_on"] == ["'rc2' is not done"]
    result = cli("classify", "RC2", folder, "--level", "low", "--rationale", "Sustained change.",
                 "--recommended-by", "tm", "--today", "2026-09-01")
    assert result.code == 0, result.err


def test_rc2_waits_for_rc1_to_be_known(full_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = full_case("return_home_assessment", dec=(D1,))

    steps = steps_of(as_json(cli("status", folder, "--json", "--today", "2026-03-01")))

    assert steps["rc2"]["state"] == "waiting"
    assert "RC1 to be recorded (applies only when RC1 is medium or high)" in steps["rc2"]["waiting_on"]


def test_decision_3_still_waits_for_monitoring_when_rc1_is_low(
    full_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = full_case("finalise_assessment", rc=(("RC1", RC1_DATE, "low"),), dec=(D1, D2_PROCEED))

    steps = steps_of(as_json(cli("status", folder, "--json", "--today", "2026-03-01")))

    assert steps["monitor_progress"]["state"] == "waiting"
    assert steps["decision_3"]["state"] == "waiting"


# -- 6. Decision 2 permanence takes the case off the return path ---------------------------


def permanence_case(full_case: Callable[..., Path], legal_status: str) -> Path:
    case_yaml = CASE_FULL.replace("code: V2", f"code: {legal_status}")
    return full_case("finalise_assessment", rc=(("RC1", RC1_DATE, "severe"),), dec=(D1, D2_PERMANENCE),
                     case_yaml=case_yaml)


def test_d2_permanence_under_section_20_asks_to_consider_proceedings(
    full_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = permanence_case(full_case, "V2")

    status = as_json(cli("status", folder, "--json", "--today", "2026-03-01"))

    assert status["path"] == "permanence"
    assert status["status"] == "in progress, alternative permanence"
    steps = steps_of(status)
    assert steps["consider_proceedings"]["state"] == "ready"
    assert steps["explain_severe"]["state"] == "ready"
    assert steps["permanence_plan"]["state"] == "ready"  # side by side, not one after the other
    for step_id in ("planning_meeting", "communicate_decision", "decision_3", "rc2", "return_home", "rc3"):
        assert steps[step_id]["state"] == "not_applicable", step_id
        assert steps[step_id]["reason"].startswith("only on the path: towards a return home"), step_id
    data = as_json(cli("next", folder, "--json", "--today", "2026-03-01"))
    # A legal action comes first; the three Severe actions go side by side.
    assert [s["step"] for s in data["next"]] == ["consider_proceedings", "explain_severe", "permanence_plan"]


def test_d2_permanence_under_a_care_order_does_not_consider_proceedings(
    full_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = permanence_case(full_case, "C2")

    status = as_json(cli("status", folder, "--json", "--today", "2026-03-01"))

    steps = steps_of(status)
    assert steps["consider_proceedings"]["state"] == "not_applicable"
    assert steps["consider_proceedings"]["reason"] == "only when legal status is V2, V3 or V4"
    assert steps["planning_meeting"]["state"] == "not_applicable"
    assert steps["communicate_decision"]["state"] == "not_applicable"
    assert steps["explain_severe"]["state"] == "ready"
    assert steps["rescind_care_order"]["state"] == "not_applicable"
    data = as_json(cli("next", folder, "--json", "--today", "2026-03-01"))
    assert [s["step"] for s in data["next"]] == ["explain_severe", "permanence_plan"]


def test_d2_proceed_keeps_the_return_path(full_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = full_case("decision_2", rc=(("RC1", RC1_DATE, "medium"),), dec=(D1, D2_PROCEED))

    status = as_json(cli("status", folder, "--json", "--today", "2026-03-01"))

    steps = steps_of(status)
    assert status["path"] == "return"
    assert steps["consider_proceedings"]["state"] == "not_applicable"
    assert steps["consider_proceedings"]["reason"] == "only on the path: alternative permanence"
    assert steps["explain_severe"]["state"] == "not_applicable"
    assert steps["planning_meeting"]["state"] == "waiting"


# -- 7. Police checks: everyone 16 or over in the household, and regular visitors ----------

PEOPLE_WITH_HOUSEHOLD = """\
people:
  - id: ella
    name: Ella Stone
    sex: female
    born: 2017-04-09
    parents: [jo]
  - id: jo
    name: Jo Stone
    sex: female
    born: 1991-02-14
  - id: kai
    name: Kai Stone
    born: 2009-06-01
  - id: lou
    name: Lou Stone
    born: 2011-06-01
  - id: max
    name: Max Hale
  - id: ned
    name: Ned Hale
    born: 2010-11-23
  - id: ora
    name: Ora Hale
    born: 2010-11-24
  - id: pat
    name: Pat Lowe
    born: 1975-03-03
households:
  - id: flat
    name: Jo's flat
    members: [jo, ella, kai, lou, max, ned, ora]
    regular_visitors: [pat]
"""

ASSESSMENT_JO_CHECKED = """\
started: 2026-09-21
police_checks:
  - person: jo
    date: 2026-10-03
    result: nothing known
"""

PLANNED_EVENTS = """\
steps:
  - step: identify
    date: 2026-09-01
    by: sw
  - step: qaro_discussion
    date: 2026-09-03
    by: sw
  - step: supervision_discussion
    date: 2026-09-05
    by: tm
  - step: assessment_planning
    date: 2026-09-20
    by: tm
"""


@pytest.fixture
def household(make_case: Callable[..., Path]) -> Path:
    """After the assessment planning meeting, with only Jo checked. Today is 2026-11-23:
    Kai is 17, Lou 15, Max's age is unknown, Ned turns 16 today, Ora turns 16 tomorrow,
    Pat is an adult regular visitor."""
    return make_case(
        people_yaml=PEOPLE_WITH_HOUSEHOLD,
        events_yaml=PLANNED_EVENTS,
        decisions_yaml="decisions:\n  - id: D1\n    date: 2026-09-10\n    by: tm\n    outcome: pursue\n",
        chronology_yaml="chronologist: cr\nentries: []\n",
        assessment_yaml=ASSESSMENT_JO_CHECKED,
    )


def police_reasons(result: Result) -> dict[str, str]:
    """Person id -> message, from the refusal of `done police_checks`."""
    found = {}
    for reason in refusal_reasons(result.err):
        if "no police check for household person '" in reason:
            person = reason.split("household person '")[1].split("'")[0]
            found[person] = reason
    return found


def test_done_police_checks_lists_who_still_needs_a_check(household: Path, cli: Callable[..., Result]) -> None:
    before = snapshot(household)

    result = cli("done", "police_checks", household, "--date", "2026-11-23", "--by", "sw")

    assert result.code == 1
    assert "refused: 'police_checks' cannot be marked done yet; nothing was changed" in result.err
    reasons = police_reasons(result)
    assert sorted(reasons) == ["kai", "max", "ned", "pat"]
    assert reasons["kai"].startswith("people.yaml:")
    assert reasons["kai"].endswith("no police check for household person 'kai' (aged 16 or over)")
    assert reasons["ned"].endswith("no police check for household person 'ned' (aged 16 or over)")
    assert reasons["max"].endswith("no police check for household person 'max', whose age is not recorded")
    assert reasons["pat"].endswith("no police check for household person 'pat' (aged 16 or over)")
    assert len(refusal_reasons(result.err)) == 4
    assert snapshot(household) == before


def test_police_checks_pass_once_everyone_who_needs_one_is_checked(
    household: Path, cli: Callable[..., Result]
) -> None:
    checks = "".join(f"  - person: {p}\n    date: 2026-11-01\n    result: nothing known\n"
                     for p in ("kai", "max", "ned", "pat"))
    (household / "assessment.yaml").write_text(ASSESSMENT_JO_CHECKED + checks, encoding="utf-8")

    result = cli("done", "police_checks", household, "--date", "2026-11-20", "--by", "sw")

    assert result.code == 0, result.err
    assert "recorded 'police_checks' (Carry out police checks) as done on 2026-11-20" in squash(result.out)


def test_a_teenager_needs_a_check_from_their_sixteenth_birthday(household: Path, cli: Callable[..., Result]) -> None:
    # The step is judged on its own date: who was 16 that day needs a check.
    today = police_reasons(cli("done", "police_checks", household, "--date", "2026-11-23", "--by", "sw",
                               "--today", "2026-11-23"))
    tomorrow = police_reasons(cli("done", "police_checks", household, "--date", "2026-11-24", "--by", "sw",
                                  "--today", "2026-11-24"))
    backdated = police_reasons(cli("done", "police_checks", household, "--date", "2026-11-23", "--by", "sw",
                                   "--today", "2026-11-24"))

    assert "ora" not in today
    assert "ora" in tomorrow
    assert "ora" not in backdated
    assert "lou" not in tomorrow


def test_police_check_warnings_show_in_next_once_the_assessment_started(
    household: Path, cli: Callable[..., Result]
) -> None:
    data = as_json(cli("next", household, "--json"))

    people = sorted(p["message"].split("'")[1] for p in data["attention"] if "police check" in p["message"])
    assert people == ["kai", "max", "ned", "pat"]


# -- 8. Ending part way ------------------------------------------------------------------


def test_exit_makes_every_unfinished_step_not_applicable_but_the_closing_one(
    full_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = full_case("planning_meeting", rc=(("RC1", RC1_DATE, "medium"),), dec=(D1, D2_PROCEED))

    recorded = cli("exit", folder, "--reason", "family_withdrew", "--date", "2026-07-01", "--by", "sw",
                   "--today", "2026-07-02")
    assert recorded.code == 0, recorded.err

    status = as_json(cli("status", folder, "--json", "--today", "2026-07-02"))
    steps = steps_of(status)
    assert status["stage"] is None
    assert status["status"] == "the case ended part way on 2026-07-01: the family withdrew from the process"
    assert steps["close"]["state"] == "ready"
    assert steps["planning_meeting"]["state"] == "done"
    unfinished = {k: v for k, v in steps.items() if v["state"] != "done" and k != "close"}
    assert "parental_agreement" in unfinished
    assert "fgc" in unfinished
    assert {k: v["state"] for k, v in unfinished.items()} == dict.fromkeys(unfinished, "not_applicable")
    assert {v["reason"] for v in unfinished.values()} == {
        "the case ended part way on 2026-07-01: the family withdrew from the process"}
    assert [d["step"] for d in status["deadlines"]] == []

    data = as_json(cli("next", folder, "--json", "--today", "2026-07-02"))
    assert [s["step"] for s in data["next"]] == ["close"]
    assert data["overdue"] == []
    assert data["coming_up"] == []
    text = cli("next", folder, "--today", "2026-07-02").out
    assert "1. Close the reunification episode" in text
    assert "2. " not in text
    assert "Status: The case ended part way on 2026-07-01" in squash(text)


def test_exit_ends_even_an_overdue_step(full_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = full_case("monitor_progress", rc=(("RC1", RC1_DATE, "medium"),), dec=(D1, D2_PROCEED))
    assert cli("exit", folder, "--reason", "family_withdrew", "--date", "2026-09-10", "--by", "sw",
               "--today", "2026-09-15").code == 0

    steps = steps_of(as_json(cli("status", folder, "--json", "--today", "2026-09-15")))

    assert steps["planning_review"]["state"] == "not_applicable"
    assert steps["planning_review"]["overdue"] is False
    assert "Reunification planning review:" not in section(cli("next", folder, "--today", "2026-09-15").out, "Overdue")


def test_closing_after_an_exit_closes_the_case(full_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = full_case("planning_meeting", rc=(("RC1", RC1_DATE, "medium"),), dec=(D1, D2_PROCEED))
    assert cli("exit", folder, "--reason", "family_withdrew", "--date", "2026-07-01", "--by", "sw",
               "--today", "2026-07-02").code == 0

    closed = cli("done", "close", folder, "--date", "2026-07-02", "--by", "sw", "--today", "2026-07-02")

    assert closed.code == 0, closed.err
    status = as_json(cli("status", folder, "--json", "--today", "2026-07-03"))
    assert status["status"].startswith("closed; the case ended part way on 2026-07-01")
    assert "Nothing to do: the reunification episode is closed." in cli("next", folder, "--today", "2026-07-03").out


# -- 9. The day from REUNIFY_TODAY --------------------------------------------------------


def test_today_comes_from_reunify_today(
    after_planning_meeting: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REUNIFY_TODAY", "2026-09-15")

    status = as_json(cli("status", after_planning_meeting, "--json", today=None))
    text = cli("next", after_planning_meeting, today=None)

    assert status["today"] == "2026-09-15"
    assert steps_of(status)["planning_review"]["overdue"] is True
    assert "due 2026-09-01 (14 days ago)" in squash(text.out)


def test_today_option_wins_over_reunify_today(
    after_planning_meeting: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REUNIFY_TODAY", "2026-09-15")

    status = as_json(cli("status", after_planning_meeting, "--json", "--today", "2026-08-15"))

    assert status["today"] == "2026-08-15"
    assert steps_of(status)["planning_review"]["overdue"] is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-45", "error: REUNIFY_TODAY: not a real calendar date (month must be in 1..12)"),
        ("2026-02-30", "error: REUNIFY_TODAY: not a real calendar date (day is out of range for month)"),
        ("15/09/2026", "error: REUNIFY_TODAY: expected a date as YYYY-MM-DD"),
        ("tomorrow", "error: REUNIFY_TODAY: expected a date as YYYY-MM-DD"),
    ],
)
def test_a_bad_reunify_today_is_one_line_and_exit_2(
    after_planning_meeting: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
    value: str, message: str,
) -> None:
    monkeypatch.setenv("REUNIFY_TODAY", value)
    before = snapshot(after_planning_meeting)

    for args in (("next", after_planning_meeting), ("status", after_planning_meeting, "--json"),
                 ("done", "planning_review", after_planning_meeting, "--by", "tm")):
        result = cli(*args, today=None)
        assert result.code == 2, (args, result.out, result.err)
        assert result.err.splitlines() == [message], args
        assert result.out == ""
        assert "Traceback" not in result.err
    assert snapshot(after_planning_meeting) == before


def test_a_bad_today_option_names_the_option(after_planning_meeting: Path, cli: Callable[..., Result]) -> None:
    result = cli("next", after_planning_meeting, "--today", "2026-9-15")

    assert result.code == 2
    assert result.err.splitlines() == ["error: --today: expected a date as YYYY-MM-DD"]
