"""Recording commands: done, decide, classify, exit and new.

Each either writes exactly what it says (keeping comments, key order, line endings and
permissions) or refuses, says exactly what is missing, and changes no byte. The records a
later step needs are written into the case folder directly, not built by many commands.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reunify.records import load_case
from reunify.records import models as m
from tests.conftest import BASE
from tests.conftest import Result
from tests.conftest import snapshot

CASE = textwrap.dedent(BASE["case.yaml"])

# Up to and including the assessment planning meeting (Decision 1 is in decisions.yaml).
EVENTS_TO_PLANNING = """\
# Steps done so far, oldest first.
# Kept by hand and by 'reunify done'.
steps:
  - step: identify
    date: 2026-09-01
    by: sw
  - step: qaro_discussion   # with the QARO, by phone
    date: 2026-09-03
    by: sw
  - step: supervision_discussion
    date: 2026-09-05
    by: tm
  - step: assessment_planning
    date: 2026-09-20
    by: tm
"""

EVENTS_TO_SUPERVISION = EVENTS_TO_PLANNING.split("  - step: assessment_planning")[0]

DECISION_1 = """\
# Decisions 1 to 3.
decisions:
  - id: D1
    date: 2026-09-10
    by: tm
    outcome: pursue
"""

EMPTY_CHRONOLOGY = """\
# The analytical chronology.
chronologist: cr
entries: []
"""

CHRONOLOGY = """\
chronologist: cr
entries:
  - date: 2016-05-01
    event: Mother moved to the area
    source: health visitor
"""

# The whole assessment stage done: ready for RC1.
EVENTS_TO_ASSESSMENT = EVENTS_TO_PLANNING + """\
  - step: meet_child
    date: 2026-09-25
    by: sw
  - step: chronology
    date: 2026-10-01
    by: cr
  - step: genogram
    date: 2026-10-01
    by: sw
  - step: support_needs
    date: 2026-10-02
    by: sw
  - step: police_checks
    date: 2026-10-03
    by: sw
  - step: midpoint_supervision
    date: 2026-10-10
    by: tm
  - step: return_home_assessment
    date: 2026-10-20
    by: sw
"""

ASSESSMENT = """\
started: 2026-09-21
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
    date: 2026-10-03
    result: nothing known
"""

RC1_MEDIUM = """\
classifications:
  - id: RC1
    date: 2026-10-25
    level: medium
    rationale: Concerns remain about alcohol use.
    recommended_by: [sw]
"""


def refusal_reasons(err: str) -> list[str]:
    """The '  - reason' lines printed under 'refused: ...'."""
    return [line.removeprefix("  - ") for line in err.splitlines() if line.startswith("  - ")]


def squash(text: str) -> str:
    return " ".join(text.split())


def assert_no_crash(result: Result) -> None:
    assert result.code != 3, f"internal error (exit 3):\n{result.out}{result.err}"
    assert "Traceback" not in result.out + result.err


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def planned(make_case: Callable[..., Path]) -> Path:
    """A case just after the assessment planning meeting, with an empty chronology."""
    return make_case(events_yaml=EVENTS_TO_PLANNING, decisions_yaml=DECISION_1, chronology_yaml=EMPTY_CHRONOLOGY)


@pytest.fixture
def assessed(make_case: Callable[..., Path]) -> Path:
    """A case with the whole assessment stage done: RC1 is next."""
    return make_case(
        case_yaml=CASE.replace("home: flat", "home: flat\ntrusted_adult: jo"),
        events_yaml=EVENTS_TO_ASSESSMENT,
        decisions_yaml=DECISION_1,
        chronology_yaml=CHRONOLOGY,
        assessment_yaml=ASSESSMENT,
    )


# -- done --------------------------------------------------------------------------------


def test_done_on_a_failing_gate_lists_what_is_missing_and_changes_nothing(
    planned: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(planned)

    result = cli("done", "chronology", planned, "--date", "2026-10-01", "--by", "cr")

    assert_no_crash(result)
    assert result.code == 1
    assert "refused: 'chronology' cannot be marked done yet; nothing was changed" in result.err
    assert refusal_reasons(result.err) == ["chronology.yaml:3:1: the chronology has no entries yet"]
    assert snapshot(planned) == before


def test_done_on_a_step_still_waiting_says_on_what(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = make_case()
    before = snapshot(folder)

    result = cli("done", "supervision_discussion", folder, "--date", "2026-10-01", "--by", "tm")

    assert result.code == 1
    assert refusal_reasons(result.err) == ["waiting: 'qaro_discussion' is not done"]
    assert snapshot(folder) == before


def test_done_on_a_passing_step_appends_and_keeps_comments_and_order(
    planned: Path, cli: Callable[..., Result]
) -> None:
    events = planned / "events.yaml"
    original = events.read_text(encoding="utf-8")
    others = {k: v for k, v in snapshot(planned).items() if k != "events.yaml"}

    result = cli("done", "genogram", planned, "--date", "2026-10-01", "--by", "sw")

    assert_no_crash(result)
    assert result.code == 0, result.err
    assert "recorded 'genogram' (Draw the genogram) as done on 2026-10-01" in squash(result.out)
    text = events.read_text(encoding="utf-8")
    # Everything that was there is still there, unchanged, in the same order.
    assert text.startswith(original)
    assert text.startswith("# Steps done so far, oldest first.\n# Kept by hand and by 'reunify done'.\n")
    assert "  - step: qaro_discussion   # with the QARO, by phone\n" in text
    assert text[len(original):] == "  - step: genogram\n    date: 2026-10-01\n    by: sw\n"
    # The project's own loader reads it back with the new step last.
    case, problems = load_case(planned)
    assert case is not None and not [p for p in problems if p.is_error]
    assert case.events.steps[-1] == m.StepDone(step="genogram", date=dt.date(2026, 10, 1), by="sw")
    assert [s.step for s in case.events.steps] == [
        "identify", "qaro_discussion", "supervision_discussion", "assessment_planning", "genogram"]
    # No other file was touched.
    assert {k: v for k, v in snapshot(planned).items() if k != "events.yaml"} == others
    # And the step now shows as done.
    status = cli("status", planned, "--json")
    steps = {s["step"]: s for stage in json.loads(status.out)["stages"] for s in stage["steps"]}
    assert steps["genogram"]["state"] == "done"
    assert steps["genogram"]["done"] == {"date": "2026-10-01", "by": "sw", "override": None}


def test_done_accepts_a_team_member_by_name(planned: Path, cli: Callable[..., Result]) -> None:
    result = cli("done", "genogram", planned, "--date", "2026-10-01", "--by", "sam rivers")

    assert result.code == 0, result.err
    assert (planned / "events.yaml").read_text().endswith("  - step: genogram\n    date: 2026-10-01\n    by: sw\n")


def test_done_twice_is_refused(planned: Path, cli: Callable[..., Result]) -> None:
    assert cli("done", "genogram", planned, "--date", "2026-10-01", "--by", "sw").code == 0
    before = snapshot(planned)

    result = cli("done", "genogram", planned, "--date", "2026-10-02", "--by", "sw")

    assert result.code == 1
    assert "'genogram' is already recorded as done on 2026-10-01" in result.err
    assert snapshot(planned) == before


def test_done_with_a_date_in_the_future_is_an_error_and_changes_nothing(
    planned: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(planned)

    result = cli("done", "genogram", planned, "--date", "2026-11-24", "--by", "sw")

    assert_no_crash(result)
    assert result.code == 2
    assert "--date 2026-11-24 is in the future (today is 2026-11-23)" in squash(result.err)
    assert snapshot(planned) == before


@pytest.mark.parametrize(
    ("date", "message"),
    [("2026-02-30", "not a real calendar date"), ("1.10.2026", "expected a date as YYYY-MM-DD"),
     ("2017-04-08", "--date is before the child was born")],
)
def test_done_with_a_bad_date_is_an_error_and_changes_nothing(
    date: str, message: str, planned: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(planned)

    result = cli("done", "genogram", planned, "--date", date, "--by", "sw")

    assert_no_crash(result)
    assert result.code == 2
    assert message in result.err
    assert snapshot(planned) == before


def test_done_for_an_unknown_step_suggests_the_right_one(planned: Path, cli: Callable[..., Result]) -> None:
    before = snapshot(planned)

    result = cli("done", "genogrm", planned, "--date", "2026-10-01", "--by", "sw")

    assert_no_crash(result)
    assert result.code == 2
    assert "unknown step 'genogrm' (did you mean 'genogram'?)" in squash(result.err)
    assert snapshot(planned) == before


def test_done_by_someone_outside_the_team_is_an_error(planned: Path, cli: Callable[..., Result]) -> None:
    before = snapshot(planned)

    result = cli("done", "genogram", planned, "--date", "2026-10-01", "--by", "sx")

    assert result.code == 2
    assert "'sx' is not in the case team" in result.err
    assert snapshot(planned) == before


def test_done_is_refused_while_the_records_have_errors(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    people = textwrap.dedent(BASE["people.yaml"]).replace("born: 2017-04-09", "bron: 2017-04-09")
    folder = make_case(people_yaml=people)
    before = snapshot(folder)

    result = cli("done", "qaro_discussion", folder, "--date", "2026-10-01", "--by", "sw")

    assert_no_crash(result)
    assert result.code == 1
    assert "the case records have errors" in result.err
    assert any(r.startswith("people.yaml:5:") and "unknown field (did you mean 'born'?)" in r for r in refusal_reasons(result.err))
    assert snapshot(folder) == before


def test_override_by_a_manager_records_the_step_and_shows_everywhere(
    planned: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = cli("done", "chronology", planned, "--date", "2026-10-02", "--by", "tm",
                 "--override", "court timetable needs the assessment now")

    assert_no_crash(result)
    assert result.code == 0, result.err
    assert "recorded 'chronology'" in result.out
    assert "override" in result.out
    text = (planned / "events.yaml").read_text()
    assert text.endswith("  - step: chronology\n    date: 2026-10-02\n    by: tm\n"
                         "    override: court timetable needs the assessment now\n")

    status = cli("status", planned)
    assert status.code == 0
    assert "Manager overrides" in status.out
    assert ("- Write the analytical chronology: 2026-10-02 by tm: court timetable needs the assessment now"
            in squash(status.out))

    # A short relative path, so that the console does not wrap the location.
    monkeypatch.chdir(planned.parent)
    check = cli("check", planned.name)
    assert check.code == 0, check.out
    # The new entry is the fifth step; its override is on line 19 of events.yaml.
    assert ("case/events.yaml:19:15: note: 'chronology' marked done by a manager's override"
            in squash(check.out))
    assert "1 note in 1 case" in squash(check.out)


def test_override_by_a_non_manager_is_refused_and_changes_nothing(
    planned: Path, cli: Callable[..., Result]
) -> None:
    before = snapshot(planned)

    result = cli("done", "chronology", planned, "--date", "2026-10-02", "--by", "sw", "--override", "urgent")

    assert_no_crash(result)
    assert result.code == 1
    assert "only a manager can override a gate; --by is a social worker" in result.err
    assert snapshot(planned) == before


def test_override_without_a_reason_is_an_error(planned: Path, cli: Callable[..., Result]) -> None:
    before = snapshot(planned)

    result = cli("done", "chronology", planned, "--date", "2026-10-02", "--by", "tm", "--override", "  ")

    assert result.code == 2
    assert "--override needs the reason" in result.err
    assert snapshot(planned) == before


# -- how done writes files ---------------------------------------------------------------


def test_a_file_edited_by_done_keeps_its_permission_bits(planned: Path, cli: Callable[..., Result]) -> None:
    events = planned / "events.yaml"
    events.chmod(0o640)

    result = cli("done", "genogram", planned, "--date", "2026-10-01", "--by", "sw")

    assert result.code == 0, result.err
    assert "genogram" in events.read_text()
    assert mode(events) == 0o640
    assert not [p.name for p in planned.iterdir() if p.name.startswith(".")], "a temporary file was left behind"


def test_done_keeps_windows_line_endings(planned: Path, cli: Callable[..., Result]) -> None:
    events = planned / "events.yaml"
    original = events.read_bytes().replace(b"\n", b"\r\n")
    events.write_bytes(original)

    result = cli("done", "genogram", planned, "--date", "2026-10-01", "--by", "sw")

    assert result.code == 0, result.err
    data = events.read_bytes()
    assert data.startswith(original)
    assert data[len(original):] == b"  - step: genogram\r\n    date: 2026-10-01\r\n    by: sw\r\n"
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_done_keeps_a_byte_order_mark(planned: Path, cli: Callable[..., Result]) -> None:
    events = planned / "events.yaml"
    original = b"\xef\xbb\xbf" + events.read_bytes()
    events.write_bytes(original)

    result = cli("done", "genogram", planned, "--date", "2026-10-01", "--by", "sw")

    assert result.code == 0, result.err
    assert events.read_bytes().startswith(original)


def test_done_creates_events_yaml_when_missing(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = make_case(events_yaml=None)

    result = cli("done", "identify", folder, "--date", "2026-09-01", "--by", "sw")

    assert result.code == 0, result.err
    events = folder / "events.yaml"
    assert mode(events) == 0o600
    case, _ = load_case(folder)
    assert case is not None
    assert [(s.step, s.date, s.by) for s in case.events.steps] == [("identify", dt.date(2026, 9, 1), "sw")]
    assert cli("check", folder).code == 0


def test_done_keeps_a_comment_above_the_next_key_in_place(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    events = """\
        # Steps done so far.
        steps:
          - step: identify
            date: 2026-09-01
            by: sw

        # Planned dates, set at the assessment planning meeting.
        timetable:
          chronology: 2026-12-01
        """
    folder = make_case(events_yaml=events)

    result = cli("done", "qaro_discussion", folder, "--date", "2026-09-03", "--by", "sw")

    assert result.code == 0, result.err
    lines = (folder / "events.yaml").read_text().splitlines()
    comment = lines.index("# Planned dates, set at the assessment planning meeting.")
    assert lines[comment + 1] == "timetable:"
    assert lines.index("  - step: qaro_discussion") < comment


def test_done_keeps_the_comments_of_a_file_with_no_data_yet(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case(events_yaml="# Steps of the workflow as they are done.\n# Kept by reunify.\n")

    result = cli("done", "identify", folder, "--date", "2026-09-01", "--by", "sw")

    assert result.code == 0, result.err
    text = (folder / "events.yaml").read_text()
    assert "step: identify" in text
    assert text.startswith("# Steps of the workflow as they are done.\n# Kept by reunify.\n")


def test_override_does_not_skip_the_steps_that_come_first(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case()  # only 'identify' is done
    before = snapshot(folder)

    result = cli("done", "return_home_assessment", folder, "--date", "2026-10-01", "--by", "tm",
                 "--override", "judgement")

    assert result.code == 1
    assert any("waiting: " in r for r in refusal_reasons(result.err))
    assert snapshot(folder) == before


# -- decisions and risk classifications ---------------------------------------------------


def test_decide_d1_after_supervision_writes_decisions_yaml(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case(events_yaml=EVENTS_TO_SUPERVISION)
    assert not (folder / "decisions.yaml").exists()

    result = cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm")

    assert_no_crash(result)
    assert result.code == 0, result.err
    assert "recorded D1: Follow the framework to explore a return home (2026-09-10)" in squash(result.out)
    decisions = folder / "decisions.yaml"
    assert mode(decisions) == 0o600
    assert decisions.read_text().startswith("# ")
    case, _ = load_case(folder)
    assert case is not None
    assert case.decisions.decisions == [m.Decision(id="D1", date=dt.date(2026, 9, 10), by="tm", outcome="pursue")]
    assert cli("check", folder).code == 0
    assert "Hold the assessment planning meeting" in cli("next", folder).out


def test_decide_d1_before_supervision_is_refused(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = make_case()
    before = snapshot(folder)

    result = cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm")

    assert result.code == 1
    assert "D1 cannot be recorded as 'pursue' yet; nothing was changed" in result.err
    # The refusal traces back to the first missing thing: the QARO discussion before it.
    assert refusal_reasons(result.err) == ["waiting: 'supervision_discussion' is not done",
                                           "which still needs: Discuss the child with the QARO is not recorded yet"]
    assert snapshot(folder) == before


def test_decide_by_someone_whose_decision_it_is_not(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    folder = make_case(events_yaml=EVENTS_TO_SUPERVISION)
    before = snapshot(folder)

    result = cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "sw")

    assert result.code == 1
    assert "D1 is made by the team manager" in result.err
    assert snapshot(folder) == before


def test_decide_d2_is_refused_while_rc1_is_not_confirmed(
    assessed: Path, cli: Callable[..., Result]
) -> None:
    (assessed / "risk.yaml").write_text(RC1_MEDIUM)
    before = snapshot(assessed)

    result = cli("decide", "D2", assessed, "--outcome", "proceed", "--date", "2026-11-01", "--by", "sm")

    assert_no_crash(result)
    assert result.code == 1
    assert "D2 cannot be recorded as 'proceed' yet; nothing was changed" in result.err
    assert refusal_reasons(result.err) == ["risk.yaml:2:5: RC1 is not confirmed by the service manager"]
    assert snapshot(assessed) == before


def test_classify_confirm_then_decide_d2(assessed: Path, cli: Callable[..., Result]) -> None:
    result = cli("classify", "RC1", assessed, "--level", "medium", "--rationale", "Concerns remain",
                 "--recommended-by", "sw", "--date", "2026-10-25")
    assert_no_crash(result)
    assert result.code == 0, result.err
    assert "recorded RC1: Medium (2026-10-25)" in result.out
    risk = assessed / "risk.yaml"
    assert mode(risk) == 0o600

    result = cli("classify", "RC1", assessed, "--confirm", "--by", "sm", "--date", "2026-10-28")
    assert result.code == 0, result.err
    assert "recorded the confirmation of RC1 on 2026-10-28" in squash(result.out)
    case, _ = load_case(assessed)
    assert case is not None
    [rc1] = case.risk.classifications
    assert (rc1.id, rc1.date, rc1.level, rc1.rationale) == ("RC1", dt.date(2026, 10, 25), "medium", "Concerns remain")
    assert (list(rc1.recommended_by), rc1.confirmed_by, rc1.confirmed) == (["sw"], "sm", dt.date(2026, 10, 28))

    # Medium risk: the permanence outcome's condition does not hold.
    before = snapshot(assessed)
    result = cli("decide", "D2", assessed, "--outcome", "permanence", "--date", "2026-11-01", "--by", "sm")
    assert_no_crash(result)
    assert result.code == 1
    assert refusal_reasons(result.err) == ["outcome 'permanence' needs RC1 is severe"]
    assert snapshot(assessed) == before

    result = cli("decide", "D2", assessed, "--outcome", "proceed", "--date", "2026-11-01", "--by", "sm")
    assert result.code == 0, result.err
    assert "recorded D2: Proceed towards reunification (2026-11-01)" in squash(result.out)
    case, _ = load_case(assessed)
    assert case is not None
    assert [(d.id, d.outcome, d.by) for d in case.decisions.decisions] == [("D1", "pursue", "tm"), ("D2", "proceed", "sm")]
    # The original D1 entry and its comment are kept as they were.
    assert (assessed / "decisions.yaml").read_text().startswith(DECISION_1)
    check = cli("check", assessed)
    assert check.code == 0, check.out
    status = json.loads(cli("status", assessed, "--json").out)
    assert status["risk_history"][0]["confirmed_by"] == "sm"
    steps = {s["step"]: s["state"] for stage in status["stages"] for s in stage["steps"]}
    assert steps["decision_2"] == "done"
    assert steps["explain_severe"] == "not_applicable"


def test_confirm_by_a_non_manager_is_refused(assessed: Path, cli: Callable[..., Result]) -> None:
    (assessed / "risk.yaml").write_text(RC1_MEDIUM)
    before = snapshot(assessed)

    result = cli("classify", "RC1", assessed, "--confirm", "--by", "sw", "--date", "2026-10-28")

    assert result.code == 1
    assert "RC1 is confirmed by the service manager; --by is not one" in result.err
    assert snapshot(assessed) == before


@pytest.mark.parametrize("command", ["decide", "classify"])
def test_a_decision_dated_before_its_prerequisite_is_refused(
    command: str, make_case: Callable[..., Path], assessed: Path, cli: Callable[..., Result]
) -> None:
    args: tuple[str | Path, ...]
    if command == "decide":
        folder = make_case("d1", events_yaml=EVENTS_TO_SUPERVISION)  # supervision on 2026-09-05
        args = ("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-04", "--by", "tm")
    else:
        folder = assessed  # return_home_assessment on 2026-10-20
        args = ("classify", "RC1", folder, "--level", "medium", "--rationale", "x",
                "--recommended-by", "sw", "--date", "2026-10-15")
    before = snapshot(folder)

    result = cli(*args)

    assert result.code in (1, 2), "recorded a date that `check` reports as an error"
    assert snapshot(folder) == before
    assert cli("check", folder).code == 0


def test_d2_is_made_by_the_service_manager(assessed: Path, cli: Callable[..., Result]) -> None:
    (assessed / "risk.yaml").write_text(RC1_MEDIUM.replace("recommended_by: [sw]\n",
                                                           "recommended_by: [sw]\n    confirmed_by: sm\n"
                                                           "    confirmed: 2026-10-28\n"))
    before = snapshot(assessed)

    result = cli("decide", "D2", assessed, "--outcome", "proceed", "--date", "2026-11-01", "--by", "tm")

    assert result.code == 1
    assert "D2 is made by the service manager" in result.err
    assert snapshot(assessed) == before


# -- exit --------------------------------------------------------------------------------


def test_exit_records_the_end_and_leaves_only_the_closing_step(
    planned: Path, cli: Callable[..., Result]
) -> None:
    events = planned / "events.yaml"
    original = events.read_text()

    result = cli("exit", planned, "--reason", "family_withdrew", "--date", "2026-10-01", "--by", "sw")

    assert_no_crash(result)
    assert result.code == 0, result.err
    assert "recorded the end of the process on 2026-10-01: the family withdrew from the process" in squash(result.out)
    text = events.read_text()
    assert text.startswith(original)
    assert text[len(original):] == "exit:\n  date: 2026-10-01\n  reason: family_withdrew\n  by: sw\n"

    nxt = cli("next", planned)
    assert nxt.code == 0
    numbered = [line for line in nxt.out.splitlines() if line[:1].isdigit() and ". " in line[:4]]
    assert numbered == ["1. Close the reunification episode"]
    assert "ended part way on 2026-10-01" in squash(nxt.out)
    data = json.loads(cli("next", planned, "--json").out)
    assert [s["step"] for s in data["next"]] == ["close"]

    again = cli("exit", planned, "--reason", "plan_changed", "--date", "2026-10-02", "--by", "sw")
    assert again.code == 1
    assert "already ended part way on 2026-10-01" in again.err

    closed = cli("done", "close", planned, "--date", "2026-10-02", "--by", "sw")
    assert closed.code == 0, closed.err
    assert "Nothing to do: the reunification episode is closed." in cli("next", planned).out


def test_exit_with_an_unknown_reason(planned: Path, cli: Callable[..., Result]) -> None:
    before = snapshot(planned)

    result = cli("exit", planned, "--reason", "family_withdraw", "--date", "2026-10-01", "--by", "sw")

    assert result.code == 2
    assert "unknown exit reason 'family_withdraw' (did you mean 'family_withdrew'?)" in squash(result.err)
    assert snapshot(planned) == before


# -- new ---------------------------------------------------------------------------------

NEW_OPTIONS = ("--reference", "AB-0147", "--child", "Mia Example", "--born", "2016-05-02",
               "--legal-status", "V2", "--placement", "U6", "--social-worker", "Sam Rivers",
               "--team-manager", "Tara Moss")


def test_new_creates_an_owner_only_case_that_passes_check(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = tmp_path / "cases" / "ab-0147"

    result = cli("new", folder, *NEW_OPTIONS)

    assert_no_crash(result)
    assert result.code == 0, result.err
    assert "Created the case folder" in result.out
    assert mode(folder) == 0o700
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(m.FILE_MODELS)
    for path in folder.iterdir():
        assert mode(path) == 0o600, path.name
        assert path.read_text().startswith("# "), f"{path.name} has no explaining comment"
    check = cli("check", folder)
    assert check.code == 0, check.out
    assert "1 case checked: no problems" in check.out
    case, _ = load_case(folder)
    assert case is not None
    assert case.case.reference == "AB-0147"
    assert case.child is not None and case.child.name == "Mia Example"
    assert case.child.born == dt.date(2016, 5, 2)
    assert [t.role for t in case.case.team] == ["social_worker", "team_manager"]
    assert "Identify the child as a candidate for reunification" in cli("next", folder).out


def test_new_with_only_the_essentials(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = tmp_path / "c"

    result = cli("new", folder, "--reference", "R-2", "--child", "Bo: O'Neill #2")

    assert result.code == 0, result.err
    assert cli("check", folder).code == 0
    case, _ = load_case(folder)
    assert case is not None and case.child is not None
    assert case.child.name == "Bo: O'Neill #2"


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me\n")
    before = snapshot(folder)

    result = cli("new", folder, *NEW_OPTIONS)

    assert_no_crash(result)
    assert result.code == 2
    assert "already exists and is not an empty folder" in result.err
    assert snapshot(folder) == before


def test_new_refuses_an_existing_case(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = tmp_path / "case"
    assert cli("new", folder, *NEW_OPTIONS).code == 0
    (folder / "events.yaml").write_text("steps: []\n# my own note\n")
    before = snapshot(folder)

    result = cli("new", folder, "--reference", "OTHER", "--child", "Someone Else")

    assert result.code == 2
    assert snapshot(folder) == before


def test_new_then_done_keeps_the_skeleton_comments_and_owner_only_mode(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    folder = tmp_path / "case"
    assert cli("new", folder, *NEW_OPTIONS).code == 0
    events = folder / "events.yaml"
    comments = [line for line in events.read_text().splitlines() if line.startswith("#")]

    result = cli("done", "identify", folder, "--date", "2026-11-20", "--by", "sw")

    assert result.code == 0, result.err
    text = events.read_text()
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    assert text.endswith("steps:\n  - step: identify\n    date: 2026-11-20\n    by: sw\n")
    assert mode(events) == 0o600
    assert cli("check", folder).code == 0


def test_new_refuses_a_birth_date_in_the_future(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = tmp_path / "case"

    result = cli("new", folder, "--reference", "R", "--child", "A", "--born", "2027-01-01")

    assert result.code == 2
    assert "--born" in result.err
    assert not folder.exists()
