"""`reunify walkthrough`: every sample a stage at a time, as it stood on each stage's day."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reunify.engine import evaluate
from reunify.engine.asof import case_as_of
from reunify.practice.in_force import load_checked
from reunify.practice.in_force import workflow_for
from reunify.records import load_case
from reunify.records.fields import walk_record
from reunify.records.models import FILE_MODELS
from reunify.teaching.walkthrough import load_notes
from reunify.teaching.walkthrough import stage_days
from reunify.workflow import REFERENCE
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result

SAMPLE_06 = SAMPLES / "06-home-under-care-order"
PROMPT = "Press a key to go on, q to stop"
EVERY_SAMPLE = sorted(p for p in SAMPLES.iterdir() if (p / "case.yaml").is_file())

# The day of each stage reached by 2026-11-23, worked out by hand from each events.yaml
# (and decisions.yaml, risk.yaml): the last step done in the stage; today for the stage
# the case is in now; the exit's date for the stage a case ended in.
DAYS = {
    "01-newly-identified-s20": ["2026-11-23"],
    "02-mid-assessment": ["2026-11-23"],
    "03-medium-agreement-review": ["2026-06-26", "2026-07-24", "2026-10-28", "2026-11-23"],
    "04-high-over-six-months": ["2026-04-10", "2026-05-08", "2026-06-30", "2026-11-23"],
    "05-severe-permanence": ["2026-08-21", "2026-11-23"],
    # return_home_assessment, finalise_assessment, monitor_progress, cpag, today
    "06-home-under-care-order": ["2025-06-27", "2025-07-25", "2025-10-07", "2026-06-18", "2026-11-23"],
    # ... and the family withdrew (exit) before the planning meeting of stage 3
    "07-ended-part-way": ["2026-07-24", "2026-09-04", "2026-10-06"],
}

Cli = Callable[..., Result]


def flat(text: str) -> str:
    """Text with every run of whitespace made one space: wrapping does not matter."""
    return " ".join(text.split())


def walk_json(cli: Cli, *args: str | Path) -> dict[str, Any]:
    result = cli("walkthrough", *args, "--json")
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


# Every sample ------------------------------------------------------------------------


@pytest.mark.parametrize("sample", EVERY_SAMPLE, ids=lambda p: p.name)
def test_every_sample_shows_each_stage_reached_with_its_day_steps_documents_and_note(cli: Cli, sample: Path) -> None:
    data = walk_json(cli, sample)
    text = cli("walkthrough", sample, "--no-pause")
    assert text.code == 0, text.err
    shown = flat(text.out)
    stages = data["stages"]
    assert [s["day"] for s in stages] == DAYS[sample.name]
    assert [s["number"] for s in stages] == list(range(1, len(stages) + 1))
    assert PROMPT not in text.out
    for stage in stages:
        assert f"{stage['title']} (stage {stage['number']} of 5)" in shown
        assert f"The day: {stage['day']}" in shown
        assert stage["errors"] == 0, stage["number"]
        assert stage["note"], f"no teaching note for {stage['id']}"
        assert flat(stage["note"]) in shown
        for note in stage["step_notes"]:
            assert flat(f"{note['title']}: {note['note']}") in shown
        for item in stage["recorded"]:
            assert item["date"] <= stage["day"]
            assert flat(f"{item['date']} {item['title']}") in shown
            assert item["by"] and item["by"] in shown
        for document in stage["documents"]:
            assert document["since"] <= stage["day"]
            assert document["title"] in shown
        for step in stage["next"]:
            assert step["title"] in shown
    # A case open today ends at today; a case that ended, at the day it ended.
    assert stages[-1]["day_is"] == ("ended" if sample.name.startswith("07") else "today")


def test_the_steps_recorded_and_the_documents_of_a_stage(cli: Cli) -> None:
    stages = walk_json(cli, SAMPLE_06)["stages"]
    first, second, _, fourth, fifth = stages
    assert [r["step"] for r in first["recorded"]] == [
        "identify", "qaro_discussion", "supervision_discussion", "decision_1", "assessment_planning",
        "meet_child", "genogram", "police_checks", "support_needs", "midpoint_supervision", "chronology",
        "return_home_assessment"]
    decision_1 = first["recorded"][3]
    assert (decision_1["date"], decision_1["by"], decision_1["outcome"]) == (
        "2025-04-08", "Aisha Karim", "Follow the framework to explore a return home")
    rc1 = second["recorded"][0]
    assert (rc1["step"], rc1["outcome"], rc1["approval"]) == ("rc1_meeting", "High", "confirmed 2025-07-15 by Peter Lockwood")
    d3 = next(r for r in fourth["recorded"] if r["step"] == "decision_3")
    assert (d3["date"], d3["approval"]) == ("2026-05-19", "ratified 2026-05-26 by Caroline Hurst")
    assert [d["title"] for d in first["documents"]] == [
        "Reunification monitoring form", "Accessible risk classification table", "Genogram",
        "Analytical chronology", "Chronology (court version)", "Return Home Assessment"]
    assert all(d["new"] for d in first["documents"])
    assert [d["title"] for d in second["documents"] if d["new"]] == ["Risk classification record",
                                                                    "Young person's report"]
    assert [d["title"] for d in fourth["documents"] if d["new"]] == ["Placed with parents front sheet", "CPAG pack"]
    assert not [d for d in fifth["documents"] if d["new"]]
    assert [e["title"] for e in fifth["events"]].count("Visit") == 4


def test_a_case_that_ended_part_way_stops_at_the_stage_it_ended_in(cli: Cli) -> None:
    stages = walk_json(cli, SAMPLES / "07-ended-part-way")["stages"]
    last = stages[-1]
    assert (last["id"], last["day_is"]) == ("agreement", "ended")
    assert last["recorded"] == []
    assert [e["kind"] for e in last["events"]] == ["exit"]
    assert last["header"]["stage"] is None
    assert last["header"]["status"].startswith("the case ended part way on 2026-10-06")
    assert [s["step"] for s in last["next"]] == ["close"]


# As of the day -----------------------------------------------------------------------


def test_stage_one_of_sample_06_shows_nothing_from_later(cli: Cli) -> None:
    stage = walk_json(cli, SAMPLE_06)["stages"][0]
    assert stage["day"] == "2025-06-27"
    child = stage["header"]["child"]
    assert child["legal_status"].startswith("C1")  # the care order came on 2025-08-28
    assert child["placement"].startswith("U6")  # P1 only from the return on 2026-07-06
    assert child["risk"] == "not classified"  # RC1 came on 2025-07-08
    assert child["age"] == "7y 5m"
    done = {s["step"] for s in stage["steps"] if s["state"] == "done"}
    assert "return_home_assessment" in done
    assert all(s["done"]["date"] <= "2025-06-27" for s in stage["steps"] if "done" in s)
    assert all(e["date"] <= "2025-06-27" for e in stage["events"])
    assert "Risk classification record" not in [d["title"] for d in stage["documents"]]
    assert [s["step"] for s in stage["next"]] == ["rc1_meeting"]
    assert stage["next"][0]["due"] == "2025-07-08"  # the case timetable
    text = flat(cli("walkthrough", SAMPLE_06, "--stage", "1").out)
    assert "Risk classification meeting (RC1) due 2025-07-08" in text
    for later in ("(RC1): High", "risk: High", "P1 (placed", "C2 (full care order)", "Decision 2",
                  "Record the child's return home", "Visit:", "Risk classification record"):
        assert later not in text


def _by_hand_as_on_2025_06_27(folder: Path) -> None:
    """Delete from a copy of sample 06 every record made after 2025-06-27, by editing the text."""

    def cut(name: str, marker: str, keep: str = "") -> None:
        text = (folder / name).read_text(encoding="utf-8")
        assert marker in text, (name, marker)
        (folder / name).write_text(text[:text.index(marker)] + keep, encoding="utf-8")

    def drop(name: str, lines: str) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        assert lines in text, (name, lines)
        (folder / name).write_text(text.replace(lines, ""), encoding="utf-8")

    drop("case.yaml", "  - code: C2  # full care order; it stays in force while Ollie is placed at home\n"
                      "    from: 2025-08-28\n")
    drop("case.yaml", "  - code: P1  # placed with own parent(s)\n    from: 2026-07-06\n    carer: natalie\n")
    drop("case.yaml", "  - kind: no_contact\n    with: [scott]\n    made: 2025-08-28\n")  # made with the care order
    drop("case.yaml", "    court: Family Court at Ashcombe Vale\n")
    cut_lines = ("      Made with the care order (Children Act 1989, section 34(4)): the local authority may\n"
                 "      refuse contact between Ollie and his father while the care order is in force.\n")
    drop("case.yaml", "    terms: >-\n" + cut_lines)
    cut("chronology.yaml", "  - date: 2025-08-28")
    cut("assessment.yaml", "signed_off:")
    cut("decisions.yaml", "  - id: D2")
    for name in ("risk.yaml", "agreement.yaml", "plan.yaml"):  # RC1, the agreement and the plan came later
        (folder / name).unlink()
    cut("events.yaml", "  # Stage 2", keep="""
meetings:
  - meeting: cic_review
    date: 2025-03-18
    attendees: [sw-wainwright, qaro-ashby, natalie]
  - meeting: cic_review
    date: 2025-06-12
    attendees: [sw-wainwright, qaro-ashby, natalie]
sdq:
  - {date: 2025-06-20, total: 19, informant: parent, by: sw-wainwright}
""")


def test_what_next_showed_on_a_stage_day_is_next_on_the_records_of_that_day(cli: Cli, tmp_path: Path) -> None:
    stage = walk_json(cli, SAMPLE_06)["stages"][0]
    copy = tmp_path / "06-as-on-2025-06-27"
    shutil.copytree(SAMPLE_06, copy)
    _by_hand_as_on_2025_06_27(copy)
    checked = cli("check", copy, today=stage["day"])
    assert checked.code == 0, checked.out
    result = cli("next", copy, "--json", today=stage["day"])
    assert result.code == 0, result.err
    then = json.loads(result.out)
    assert stage["header"]["child"] == then["child"]
    assert stage["header"]["status"] == then["status"]
    assert stage["header"]["stage"]["id"] == then["stage"]["id"]

    def steps(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(s["step"], s["title"], s["who"], s["due"], s["overdue"], s["not_before"]) for s in items]

    assert steps(stage["next"]) == steps(then["next"])
    assert steps(stage["coming_up"]) == steps(then["coming_up"])
    assert [(d["what"], d["date"]) for d in stage["overdue"]] == [(d["what"], d["date"]) for d in then["overdue"]]
    assert [a["message"] for a in stage["attention"]] == [a["message"] for a in then["attention"]]
    assert stage["errors"] == then["errors"] == 0


def test_the_records_as_of_each_day_hold_nothing_dated_later() -> None:
    """Every date that records something that happened, in every record file, is on or before the day."""
    for sample in EVERY_SAMPLE:
        case, _ = load_case(sample)
        assert case is not None
        workflow, _ = workflow_for(case)
        assert workflow is not None
        full = evaluate(case, workflow, dt.date.fromisoformat(TODAY))
        for place in stage_days(full):
            then = case_as_of(case, place.day)
            for name in FILE_MODELS:
                record = getattr(then, name.removesuffix(".yaml"))
                later = [m for m in walk_record(record)
                         if m.date in ("happened", "born") and m.value > place.day]
                assert not later, (sample.name, place.number, name, later)
            ev = evaluate(then, workflow, place.day)
            assert not [p for p in ev.problems if p.is_error], (sample.name, place.number)


# Options -----------------------------------------------------------------------------


def test_stage_shows_only_that_stage(cli: Cli) -> None:
    everything = walk_json(cli, SAMPLE_06)
    only = walk_json(cli, SAMPLE_06, "--stage", "2")
    assert only["stages"] == [everything["stages"][1]]
    result = cli("walkthrough", SAMPLE_06, "--stage", "2")
    assert result.code == 0, result.err
    assert "(stage 2 of 5)" in result.out
    assert "(stage 1 of 5)" not in result.out and "(stage 3 of 5)" not in result.out
    assert PROMPT not in result.out


@pytest.mark.parametrize(("sample", "stage", "message"), [
    (SAMPLE_06, "6", "--stage: no stage 6; the workflow has stages 1 to 5"),
    (SAMPLE_06, "0", "--stage: no stage 0; the workflow has stages 1 to 5"),
    (SAMPLES / "01-newly-identified-s20", "2", "--stage: the case has not reached stage 2; it has reached only stage 1"),
    (SAMPLES / "07-ended-part-way", "4", "--stage: the case has not reached stage 4; it has reached stages 1 to 3"),
])
def test_a_stage_out_of_range_exits_2_with_a_message(cli: Cli, sample: Path, stage: str, message: str) -> None:
    for extra in ((), ("--json",)):
        result = cli("walkthrough", sample, "--stage", stage, *extra)
        assert result.code == 2
        assert message in flat(result.err)
        assert result.out == ""


@pytest.mark.parametrize("name", ["06", "6", "06-home-under-care-order", "home-under-care-order"])
def test_a_bundled_sample_by_number_or_name(cli: Cli, name: str) -> None:
    assert walk_json(cli, name)["case"] == str(SAMPLE_06)


def test_an_unknown_sample_exits_2(cli: Cli) -> None:
    result = cli("walkthrough", "99")
    assert result.code == 2
    assert "no sample case of that name" in result.err
    assert "06-home-under-care-order" in flat(result.err)


def test_json_holds_the_same_stages_as_the_text(cli: Cli) -> None:
    data = walk_json(cli, SAMPLES / "04-high-over-six-months")
    shown = flat(cli("walkthrough", SAMPLES / "04-high-over-six-months").out)
    assert data["today"] == TODAY
    assert shown.count("(stage ") == len(data["stages"]) == 4
    last = data["stages"][-1]
    # On the day the walkthrough ends, High has lasted over six months: the warning shows.
    assert any("High since 2026-04-21" in a["message"] for a in last["attention"])
    assert "High since 2026-04-21" in shown
    assert {"number", "day", "next", "recorded", "documents", "note"} <= set(last)


def test_teaching_notes_cover_every_stage_and_name_real_steps() -> None:
    notes, problems = load_notes()
    assert notes is not None, problems
    workflow, _ = load_checked(REFERENCE)
    assert workflow is not None
    assert set(notes.stages) == {stage.id for stage in workflow.stages}
    assert set(notes.steps) <= set(workflow.steps)
    for text in [*notes.stages.values(), *notes.steps.values()]:
        assert len(text) < 700  # short: read aloud to a room


# A real terminal ---------------------------------------------------------------------


class Terminal:
    """A command in a detached tmux session on a server of its own, read from the screen.

    The command's exit status is read from the screen, where the shell echoes it: tmux
    can close a pane before it has collected the status (seen under load).
    """

    TIMEOUT = 20.0
    EXITED = re.compile(r"\[exited (\d+)\]")

    def __init__(self, tmux: str, folder: Path) -> None:
        config = folder / "tmux.conf"
        config.write_text("set -g remain-on-exit on\nset -g history-limit 10000\n", encoding="utf-8")
        self.base = [tmux, "-u", "-L", f"reunify-test-{os.getpid()}-{uuid.uuid4().hex[:8]}", "-f", str(config)]
        self.session = "walkthrough"
        # The server passes its environment to the command: no sizes left over from the test run.
        self.env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX", "TMUX_PANE")}

    def tmux(self, *args: str) -> str:
        result = subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=10, check=False,
                                env=self.env)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    def start(self, command: str) -> None:
        shell = f"{command}; echo \"[exited $?]\""
        self.tmux("new-session", "-d", "-s", self.session, "-x", "120", "-y", "50", "-c", str(ROOT), shell)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.session)

    def ended(self) -> str | None:
        """The command's exit status once it has ended, else None."""
        found = self.EXITED.search(self.screen())
        return found.group(1) if found else None

    def wait_for(self, what: str, ready: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + self.TIMEOUT
        while True:
            text = self.screen()
            if ready(text):
                return text
            if self.EXITED.search(text) or time.monotonic() > deadline:
                pytest.fail(f"{what} did not appear; the screen:\n{text}")
            time.sleep(0.05)

    def wait_until_ended(self) -> str:
        deadline = time.monotonic() + self.TIMEOUT
        while (status := self.ended()) is None:
            if time.monotonic() > deadline:
                pytest.fail(f"the command did not end; the screen:\n{self.screen()}")
            time.sleep(0.05)
        return status

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=10, check=False, env=self.env)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed; .ci/run installs it")
    screen = Terminal(tmux, tmp_path)
    try:
        yield screen
    finally:
        screen.kill()


def _walkthrough_command(*extra: str) -> str:
    return shlex.join([sys.executable, "-m", "reunify", "walkthrough", str(SAMPLE_06), "--today", TODAY, *extra])


def test_on_a_terminal_it_waits_for_a_key_between_stages_and_q_stops(terminal: Terminal) -> None:
    terminal.start(_walkthrough_command())
    first = terminal.wait_for("the first stage and the prompt",
                              lambda text: "(stage 1 of 5)" in text and PROMPT in text)
    assert "(stage 2 of 5)" not in first
    assert terminal.ended() is None
    terminal.tmux("send-keys", "-t", terminal.session, "Space")
    second = terminal.wait_for("the second stage and the prompt after it",
                               lambda text: "(stage 2 of 5)" in text
                               and text.rfind(PROMPT) > text.find("(stage 2 of 5)"))
    assert second.count(PROMPT) == 1  # the first prompt went once answered
    assert "(stage 3 of 5)" not in second
    terminal.tmux("send-keys", "-t", terminal.session, "q")
    assert terminal.wait_until_ended() == "0"
    assert "(stage 3 of 5)" not in terminal.screen()


def test_on_a_terminal_with_input_from_elsewhere_it_never_waits(terminal: Terminal) -> None:
    terminal.start(_walkthrough_command() + " </dev/null")
    assert terminal.wait_until_ended() == "0"
    screen = terminal.screen()
    assert "(stage 5 of 5)" in screen
    assert PROMPT not in screen
