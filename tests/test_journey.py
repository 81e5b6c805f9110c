"""Every fact typed once, without opening YAML: whole journeys from `reunify new` to closure,
driven by `reunify next --json`, with only reunify commands.

Each journey runs once per session (the tests below read what it recorded): a sibling group
of two (one child home and followed to closure, the other on a permanence path) and a
single child accommodated under section 20 who goes home. Every command runs in-process
through the `cli` fixture with its own `--today`, so every recording is dated on or before
the day it is made. Around every command the whole folder is snapshotted: nothing changes
between commands (no hand edits) and the reading commands change nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.conftest import Result
from tests.conftest import snapshot

REFERENCE = ROOT / "reunify" / "workflow" / "reference.yaml"
READING = frozenset({"next", "status", "check"})
PLACEHOLDER = re.compile(r"^(?:[A-Z][A-Z_]*|YYYY-MM-DD)$")
FREE_TEXT = 15  # an option value longer than this is free text, typed once only


def day(date: str, days: int = 0) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


@dataclass
class Journey:
    """A case driven by reunify commands only, with every command and what it changed."""

    cli: Callable[..., Result]
    root: Path
    commands: list[list[str]] = field(default_factory=list)  # every recording command's argv
    changed: list[set[str]] = field(default_factory=list)    # the files each one changed
    proposals: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (case, today, entry)
    seen: dict[str, Any] = field(default_factory=dict)        # what later tests look at
    last: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.last = snapshot(self.root)

    def path(self, case: str) -> Path:
        return self.root / case if case else self.root

    def _run(self, argv: list[str], today: str) -> tuple[Result, set[str]]:
        before = snapshot(self.root)
        assert before == self.last, f"files changed outside reunify before {argv}: {changed(self.last, before)}"
        result = self.cli(*argv, "--today", today)
        assert "Traceback" not in result.out + result.err, result.out + result.err
        self.last = snapshot(self.root)
        return result, changed(before, self.last)

    def record(self, *args: str, today: str) -> Result:
        """A recording command: it must succeed and write something."""
        argv = list(args)
        result, files = self._run(argv, today)
        assert result.code == 0, f"reunify {shlex.join(argv)} --today {today}\n{result.out}{result.err}"
        assert files, f"reunify {shlex.join(argv)} changed no file"
        self.commands.append(argv)
        self.changed.append(files)
        return result

    def read(self, *args: str, today: str) -> Result:
        """A reading command: it changes nothing."""
        result, files = self._run(list(args), today)
        assert not files, f"reunify {shlex.join(args)} changed {files}"
        return result

    def next(self, case: str, today: str) -> dict[str, Any]:
        result = self.read("next", str(self.path(case)), "--json", today=today)
        assert result.code == 0, result.out + result.err
        data: dict[str, Any] = json.loads(result.out)
        for entry in data["next"]:
            self.proposals.append((case, today, entry))
        return data

    def status(self, case: str, today: str) -> dict[str, Any]:
        result = self.read("status", str(self.path(case)), "--json", today=today)
        assert result.code == 0, result.out + result.err
        data: dict[str, Any] = json.loads(result.out)
        return data

    def proposed(self, case: str, step: str, today: str) -> dict[str, Any]:
        """`next` on the case proposes `step` today; its entry."""
        data = self.next(case, today)
        entries: dict[str, dict[str, Any]] = {entry["step"]: entry for entry in data["next"]}
        assert step in entries, f"{case} on {today}: next proposes {sorted(entries)}, not {step!r}"
        return entries[step]

    def states(self, case: str, today: str) -> dict[str, str]:
        return {step["step"]: step["state"] for stage in self.status(case, today)["stages"]
                for step in stage["steps"]}

    def use(self, case: str, step: str, today: str, *extra: str, key: str = "command", where: str | None = None,
            also: tuple[str, ...] = (), date: str | None = None, **values: str) -> Result:
        """Run what `next` on `case` suggests for `step` (its `command`, or `then`), with the
        placeholders filled in and the case folder (`where`, default the case) appended;
        `next` on the cases `also` (the other children of a family record) proposes it too."""
        for other in also:
            self.proposed(other, step, today)
        entry = self.proposed(case, step, today)
        template = entry[key]
        assert template, f"{case}: next gives no {key} for {step!r}: {entry}"
        argv = fill(template, {"YYYY-MM-DD": date or today, **values})
        return self.record(*argv, *extra, str(self.path(case if where is None else where)), today=today)

    def deadline(self, case: str, what: str, today: str) -> dict[str, Any]:
        """The deadline `what` of the case, shown by `status` and not overdue today."""
        found: list[dict[str, Any]] = [d for d in self.status(case, today)["deadlines"] if d["what"].startswith(what)]
        assert found, f"{case} on {today}: no deadline {what!r}"
        assert not found[0]["overdue"], found[0]
        return found[0]

    def keep(self, case: str, what: str, today: str, *extra: str, where: str | None = None,
             **values: str) -> Result:
        """Meet the deadline `what` with the command `status` gives for it."""
        template = self.deadline(case, what, today)["command"]
        assert template, f"{case}: no command for {what!r}"
        argv = fill(template, {"YYYY-MM-DD": today, **values})
        return self.record(*argv, *extra, str(self.path(case if where is None else where)), today=today)

    def done_steps(self, case: str, today: str, *steps: str) -> None:
        states = self.states(case, today)
        for step in steps:
            assert states[step] == "done", f"{case} on {today}: {step} is {states[step]}"


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def fill(template: str, values: dict[str, str]) -> list[str]:
    """A suggested command as argv: placeholders (LEVEL, TEXT, YYYY-MM-DD, ...) filled in."""
    words = shlex.split(template)
    assert words[0] == "reunify", template
    argv = [values.get(word, word) if PLACEHOLDER.match(word) else word for word in words[1:]]
    # A choice ("pursue|already_home|not_pursue", a decision's outcomes) takes the OUTCOME given.
    for index, word in enumerate(argv):
        if "|" in word and argv[index - 1] == "--outcome":
            assert values.get("OUTCOME") in word.split("|"), f"{template}: {values.get('OUTCOME')} is not offered"
            argv[index] = values["OUTCOME"]
    left = [word for word in argv if PLACEHOLDER.match(word)]
    assert not left, f"{template}: no value for {left}"
    return argv


# -- the sibling group -------------------------------------------------------------------------

FAMILY = "quarrendon"
LILY = f"{FAMILY}/lily"
TOM = f"{FAMILY}/tom"


def family_setup(j: Journey) -> None:
    today = "2026-01-05"
    j.record("new", str(j.path(FAMILY)), "--family", "--reference", "FAM-0101",
             "--social-worker", "Nell Harrow", "--team-manager", "Odo Pennick", today=today)
    j.record("new", str(j.path(LILY)), "--child", "Lily Quarrendon", "--born", "2015-03-04", "--sex", "female",
             "--legal-status", "C2", "--placement", "U4", today=today)
    j.record("new", str(j.path(TOM)), "--child", "Tom Quarrendon", "--born", "2018-07-09", "--sex", "male",
             "--legal-status", "C2", "--placement", "U4", today=today)
    for name, role in (("Wynn Ashdown", "qaro"), ("Petra Voss", "service_manager"),
                       ("Hal Dunmore", "head_of_service")):
        j.record("team", "add", name, str(j.path(FAMILY)), "--role", role, today=today)


def identification(j: Journey, case: str) -> None:
    j.use(case, "identify", "2026-01-06")
    j.use(case, "qaro_discussion", "2026-01-08")
    j.use(case, "supervision_discussion", "2026-01-09")
    j.use(case, "decision_1", "2026-01-10", OUTCOME="pursue")


def family_assessment(j: Journey) -> None:
    today = "2026-01-12"
    # The chronologist is named once, with the command next gives for the planning meeting.
    entry = j.proposed(LILY, "assessment_planning", today)
    assert [m["field"] for m in entry["missing"]] == ["chronologist"]
    result = j.use(LILY, "assessment_planning", today, NAME="Ivo Brantwood", where=FAMILY)
    [j.seen["chronologist"]] = re.findall(r"as '([^']+)'", result.out)
    j.seen["chronologist_name"] = "Ivo Brantwood"
    j.proposed(TOM, "assessment_planning", today)
    j.use(LILY, "assessment_planning", today, "--attendee", "sw", key="then", where=FAMILY)
    j.done_steps(LILY, today, "assessment_planning")
    j.done_steps(TOM, today, "assessment_planning")
    j.record("assessment", "start", str(j.path(FAMILY)), "--date", today, today=today)

    today = "2026-01-14"
    j.proposed(LILY, "genogram", today)
    fam = str(j.path(FAMILY))
    j.record("person", "add", "Rhian Quarrendon", fam, "--sex", "female", "--born", "1990-02-11",
             "--relationship", "Mother", today=today)
    j.record("person", "add", "Gethin Sollis", fam, "--sex", "male", "--born", "1988-05-20",
             "--relationship", "Father", today=today)
    j.record("person", "add", "Mair Quarrendon", fam, "--sex", "female", "--born", "1962-09-30",
             "--relationship", "Maternal grandmother", today=today)
    for child in ("lily", "tom"):
        j.record("person", "change", child, fam, "--parent", "rhian", "--parent", "gethin", today=today)
    j.record("person", "change", "rhian", fam, "--parent", "mair", today=today)
    j.record("relationship", "rhian", "gethin", fam, "--couple", "cohabiting", "--since", "2013-06-01", today=today)
    j.record("relationship", "lily", "mair", fam, "--tie", "close", today=today)
    j.record("household", "add", "Larchmere Road home", fam, "--address", "7 Larchmere Road, Tollbridge",
             "--member", "rhian", "--member", "gethin", "--visitor", "mair", "--home", today=today)
    j.record("household", "add", "Grandmother's cottage", fam, "--member", "mair", today=today)
    for case in (LILY, TOM):
        j.use(case, "meet_child", today, PERSON="mair")  # the trusted adult, as next suggests

    today = "2026-01-16"
    j.proposed(LILY, "chronology", today)
    j.record("chronology", fam, "--date", "2025-09-14", "--event", "Police called to a domestic incident at home",
             "--source", "Police notification", "--factor", "domestic_abuse",
             "--impact", "Children frightened and absent from school", "--response", "Strategy discussion held",
             "--analysis", "Pattern of escalating conflict between the parents", today=today)
    j.record("chronology", fam, "--date", "2025-11-02", "--event", "Children accommodated after a second incident",
             "--source", "Social care record", "--factor", "domestic_abuse", "--factor", "substance_misuse",
             today=today)
    today = "2026-01-20"
    j.use(LILY, "chronology", today, where=FAMILY, also=(TOM,))  # by the chronologist, as next says
    j.done_steps(TOM, today, "chronology")
    j.use(LILY, "genogram", today, where=FAMILY, also=(TOM,))

    today = "2026-01-21"
    for case in (LILY, TOM):
        j.record("assessment", "seen-alone", str(j.path(case)), "--date", today, today=today)
        j.use(case, "meet_child", today)

    today = "2026-01-23"
    j.use(LILY, "support_needs", today, TEXT="Parenting programme for both parents", where=FAMILY)
    j.use(LILY, "support_needs", today, key="then", where=FAMILY, also=(TOM,))
    entry = j.proposed(TOM, "police_checks", today)
    people = sorted(re.findall(r"household person '([^']+)'", " ".join(m["message"] for m in entry["missing"])))
    assert people == ["gethin", "mair", "rhian"]
    results = {"rhian": "No trace", "gethin": "Caution 2019 for affray", "mair": "No trace"}
    for person in people:
        j.record("police-check", person, fam, "--date", today, "--result", results[person], today=today)
    j.use(TOM, "police_checks", today, where=FAMILY, also=(LILY,))

    j.use(LILY, "midpoint_supervision", "2026-01-26", "--attendee", "sw", where=FAMILY, also=(TOM,))
    j.done_steps(TOM, "2026-01-26", "midpoint_supervision")
    # The first child-in-care review, within 20 working days of coming into care.
    j.keep(LILY, "Child-in-care review", "2026-01-30", "--attendee", "sw", NAME="qaro-ashdown", where=FAMILY)

    today = "2026-02-06"
    entry = j.proposed(LILY, "return_home_assessment", today)
    assert {m["field"] for m in entry["missing"]} == {"parents", "finances", "housing", "school", "child_views"}
    j.record("assessment", "parent", "rhian", fam, "--risk-factor", "Alcohol misuse at weekends",
             "--risk-factor", "Past victim of domestic abuse",
             "--protective-factor", "Engaging with the alcohol service",
             "--interaction", "Drinking lowers her ability to protect the children from conflict",
             "--capacity-to-change", "Good insight and steady engagement since November", today=today)
    j.record("assessment", "parent", "gethin", fam, "--risk-factor", "Violence towards partner under stress",
             "--protective-factor", "Completed an anger management course",
             "--interaction", "Stress at work escalates conflict at home",
             "--capacity-to-change", "Accepts responsibility and attends weekly", today=today)
    j.record("assessment", "set", "housing", "Three-bedroom rented house in good repair", fam, today=today)
    j.record("assessment", "set", "finances", "Stable income from the father's work", fam, today=today)
    j.record("assessment", "set", "school", "Tollbridge Primary, good attendance", str(j.path(LILY)), today=today)
    j.record("assessment", "set", "school", "Tollbridge Infants, settled well", str(j.path(TOM)), today=today)
    j.record("assessment", "set", "child_views", "Lily wants to go home and misses her dog",
             str(j.path(LILY)), today=today)
    j.record("assessment", "set", "child_views", "Tom is unsure and worries about the shouting",
             str(j.path(TOM)), today=today)
    j.use(TOM, "return_home_assessment", "2026-02-10", where=FAMILY, also=(LILY,))
    j.done_steps(LILY, "2026-02-10", "return_home_assessment")


def family_classification(j: Journey) -> None:
    today = "2026-02-12"
    j.use(LILY, "rc1_meeting", today, "--recommended-by", "sw", "--date", today, LEVEL="medium",
          TEXT="Parents engaging; some risk remains from alcohol use")
    j.use(TOM, "rc1_meeting", today, "--recommended-by", "sw", "--date", today, LEVEL="severe",
          TEXT="Tom's trauma needs cannot be met at home at present")
    today = "2026-02-16"
    # Confirmation and decision in one command, as next suggests.
    entry = j.proposed(LILY, "decision_2", today)
    assert "--confirm" in entry["command"].split()
    j.use(LILY, "decision_2", today, "--reason", "Medium risk with evident change", OUTCOME="proceed")
    j.use(TOM, "decision_2", today, OUTCOME="permanence")
    today = "2026-02-18"
    j.proposed(TOM, "finalise_assessment", today)
    j.use(LILY, "finalise_assessment", today, NAME="tm", where=FAMILY)  # the sign-off, each child's
    j.done_steps(LILY, today, "finalise_assessment")
    j.done_steps(TOM, today, "finalise_assessment")
    j.proposed(TOM, "confirm_with_family", "2026-02-19")
    j.use(LILY, "confirm_with_family", "2026-02-19", where=FAMILY)


def permanence(j: Journey) -> None:
    j.use(TOM, "explain_severe", "2026-02-23")
    j.use(TOM, "permanence_plan", "2026-03-02")
    j.use(TOM, "close", "2026-03-03")


def family_agreement(j: Journey) -> None:
    fam = str(j.path(FAMILY))
    j.use(LILY, "planning_meeting", "2026-03-04", "--attendee", "sw", "--attendee", "rhian", "--attendee", "gethin",
          "--decided", "Parenting programme and alcohol support agreed", where=FAMILY)

    today = "2026-03-10"
    j.proposed(LILY, "parental_agreement", today)
    j.record("agreement", "parent", "rhian", fam, "--strength", "Loving and attentive to the children",
             "--concern", "Drinks heavily at weekends", today=today)
    j.record("goal", "add", fam, "--parent", "rhian", "--change", "Stop drinking to excess",
             "--step", "Attend the Tollbridge alcohol service weekly", "--evidence", "Negative hair strand tests",
             "--due", "2026-07-31", "--support", "Alcohol worker from Tollbridge Recovery", today=today)
    j.record("goal", "add", fam, "--parent", "gethin", "--change", "No violence or threats at home",
             "--step", "Complete the perpetrator programme", "--evidence", "Programme report and police logs",
             "--due", "2026-07-31", "--support", "A Caring Dads programme place", today=today)
    j.record("agreement", "review-date", "2026-05-20", fam, today=today)
    entry = j.proposed(LILY, "parental_agreement", today)
    assert [m["field"] for m in entry["missing"]] == ["agreed"]
    j.use(LILY, "parental_agreement", today, where=FAMILY)  # agreement sign
    j.done_steps(LILY, today, "parental_agreement")
    for parent in ("rhian", "gethin"):
        j.record("agreement", "sign", fam, "--parent", parent, "--date", today, today=today)

    today = "2026-03-16"
    j.proposed(LILY, "contingency_plan", today)
    j.use(LILY, "contingency_plan", today, TEXT="If the return cannot go ahead Lily stays with her foster carers",
          where=FAMILY)
    j.use(LILY, "child_communication", today, TEXT="Lily met her grandmother alone and shared her hopes")
    j.record("plan", "support", "Parenting programme", fam, "--provider", "Tollbridge Family Centre",
             "--for", "rhian", "--for", "gethin", "--frequency", "weekly", "--from", today,
             "--until", "2026-09-30", today=today)
    j.record("plan", "contact", fam, "--with", "rhian", "--with", "gethin",
             "--arrangement", "Saturdays ten till four at home", "--from", "2026-03-21", today=today)
    j.record("plan", "transition", "First overnight stay", fam, "--date", "2026-06-20", today=today)
    j.use(LILY, "contingency_plan", "2026-03-17")
    j.use(LILY, "child_communication", "2026-03-18")
    j.use(LILY, "reunification_plan", "2026-03-20")

    # The second child-in-care review, within three months of the first.
    j.keep(LILY, "Child-in-care review", "2026-04-28", "--attendee", "sw", NAME="qaro-ashdown", where=FAMILY)
    today = "2026-05-18"
    entry = j.proposed(LILY, "planning_review", today)
    assert {m["field"] for m in entry["missing"]} == {"parents[0].goals[0].reviews", "parents[1].goals[0].reviews"}
    j.use(LILY, "planning_review", today, "--date", today, RATING="amber",
          TEXT="Two negative tests and one missed session", where=FAMILY)
    j.record("goal-review", fam, "--parent", "gethin", "--goal", "1", "--rating", "green",
             "--evidence", "Attended every programme session", "--date", today, today=today)
    j.use(LILY, "planning_review", "2026-05-20", "--attendee", "sw",
          "--decided", "Overnight stays to begin in June", where=FAMILY)
    j.done_steps(LILY, "2026-05-20", "planning_review")
    j.use(LILY, "monitor_progress", "2026-05-21")


def family_return(j: Journey) -> None:
    today = "2026-05-22"
    j.use(LILY, "rc2", today, "--recommended-by", "sw", "--date", today, LEVEL="low",
          TEXT="Sustained change over three months, goals mostly green")
    j.use(LILY, "decision_3", "2026-05-26", OUTCOME="reunify")  # with --confirm, as next suggests
    today = "2026-05-28"
    entry = j.proposed(LILY, "decision_3", today)
    assert "--ratify" in entry["command"].split()
    j.use(LILY, "decision_3", today)
    j.use(LILY, "communicate_decision", "2026-05-29")
    j.use(LILY, "gradual_return", "2026-06-01")
    today = "2026-06-02"
    j.use(LILY, "update_plan", today, "--provider", "Tollbridge Early Help", "--for", "rhian",
          "--frequency", "fortnightly", "--from", "2026-07-01", SERVICE="Family support worker",
          date="2027-09-30", where=FAMILY)
    j.use(LILY, "update_plan", "2026-06-03")
    j.use(LILY, "cpag", "2026-06-10", "--other", "Panel chair", "--decided", "Return home approved from July",
          where=FAMILY)
    today = "2026-07-01"
    entry = j.proposed(LILY, "return_home", today)
    assert entry["command"].startswith("reunify return-home")
    j.seen["return_home_then"] = entry["then"]
    j.use(LILY, "return_home", today)
    j.done_steps(LILY, today, "return_home")
    j.seen["coming_up_text"] = j.read("next", str(j.path(LILY)), today="2026-07-02").out
    j.seen["coming_up_json"] = j.next(LILY, "2026-07-02")


def visit(j: Journey, case: str, today: str) -> None:
    """A visit due under the visits rule, unannounced (or announced) with the child seen alone."""
    deadline = j.deadline(case, "Visit the child", today)
    assert dt.date.fromisoformat(today) <= dt.date.fromisoformat(deadline["date"])
    argv = [word if word != "--announced" else "--unannounced" for word in fill(deadline["command"], {"YYYY-MM-DD": today})]
    assert "--seen-alone" in argv
    j.record(*argv, str(j.path(case)), today=today)


def after_return(j: Journey, case: str, where: str, visits: list[str], meetings: dict[str, str],
                 reclassify: list[str], qaro: str) -> None:
    """Visits, meetings, RC3 and the later classifications, the six-month review, and then
    the end of involvement (and the care order's discharge) and closure."""
    timeline: list[tuple[str, str]] = [(d, "visit") for d in visits] + [(d, k) for k, d in meetings.items()]
    timeline += [(d, f"RC{n}") for n, d in enumerate(reclassify, 3)]
    for today, what in sorted(timeline):
        if what == "visit":
            visit(j, case, today)
        elif what.startswith("RC"):
            number = int(what[2:])
            rationale = {3: "Home for five months with no incidents", 4: "Goals met and support used well",
                         5: "Low risk held at home since the winter"}[number]
            if number == 3:
                j.use(case, "rc3", today, "--recommended-by", "sw", "--date", today, LEVEL="low", TEXT=rationale)
                j.record("sdq", str(j.path(case)), "--total", "9", "--informant", "parent", "--by", "sw",
                         "--date", today, today=today)
                # The outcomes tool, every area rated, stands for the six months home review.
                j.use(case, "six_month_review", day(today, 3), *outcomes_ratings())
                confirm = day(today, 4)
            else:
                j.keep(case, f"Classify the risk again (RC{number})", today, "--recommended-by", "sw",
                       "--date", today, LEVEL="low", TEXT=rationale)
                confirm = day(today, 1)
            j.record("classify", what, str(j.path(case)), "--confirm", "--by", "tm", "--date", confirm, today=confirm)
        else:
            kind, _, _ = what.partition("#")
            title = {"tac": "Team around the child meeting", "cic": "Child-in-care review",
                     "cin": "Child in need plan review"}[kind]
            name = qaro if kind in ("cic", "cin") else "tm"
            j.keep(case, title, today, "--attendee", "sw", NAME=name, where=where)


# -- the single child --------------------------------------------------------------------------

SINGLE = "ab-0202"


def single_journey(j: Journey) -> None:
    c = SINGLE
    folder = str(j.path(c))
    today = "2026-02-02"
    j.record("new", folder, "--reference", "AB-0202", "--child", "Ezra Fenwick", "--born", "2014-08-19",
             "--sex", "male", "--legal-status", "V2", "--placement", "U6", "--social-worker", "Maud Keswick",
             "--team-manager", "Rufus Tanner", today=today)
    for name, role in (("Olwen Price", "qaro"), ("Dev Mistry", "service_manager"), ("Ines Carrow", "head_of_service")):
        j.record("team", "add", name, folder, "--role", role, today=today)
    j.use(c, "identify", "2026-02-03")
    j.use(c, "qaro_discussion", "2026-02-04")
    j.use(c, "supervision_discussion", "2026-02-05")
    j.use(c, "decision_1", "2026-02-06", OUTCOME="pursue")
    today = "2026-02-09"
    result = j.use(c, "assessment_planning", today, NAME="Bryn Talfan")
    [j.seen["chronologist"]] = re.findall(r"as '([^']+)'", result.out)
    j.seen["chronologist_name"] = "Bryn Talfan"
    j.use(c, "assessment_planning", today, "--attendee", "sw", key="then")

    today = "2026-02-11"
    j.proposed(c, "genogram", today)
    j.record("person", "add", "Carys Fenwick", folder, "--sex", "female", "--born", "1989-12-01",
             "--relationship", "Mother", today=today)
    j.record("person", "add", "Dale Orwin", folder, "--sex", "male", "--born", "1985-04-17",
             "--relationship", "Mother's partner", today=today)
    j.record("person", "add", "Bethan Fenwick", folder, "--sex", "female", "--born", "1993-06-23",
             "--relationship", "Maternal aunt", today=today)
    j.record("person", "change", "Ezra Fenwick", folder, "--parent", "carys", today=today)
    j.record("relationship", "carys", "dale", folder, "--couple", "cohabiting", "--since", "2021-01-01", today=today)
    j.record("household", "add", "Mother's flat", folder, "--address", "Flat 2, 9 Wren Court, Aldmoor",
             "--member", "carys", "--member", "dale", "--home", today=today)
    j.use(c, "meet_child", today, PERSON="bethan")
    j.record("chronology", folder, "--date", "2025-12-10", "--event", "Ezra found alone at home overnight",
             "--source", "Police notification", "--factor", "neglect", today=today)
    j.record("chronology", folder, "--date", "2026-01-20", "--event", "Accommodated with the mother's consent",
             "--source", "Social care record", "--analysis", "Neglect linked to the mother's low mood", today=today)
    today = "2026-02-16"
    j.use(c, "chronology", today)
    j.use(c, "genogram", today)
    j.record("assessment", "seen-alone", folder, "--date", today, today=today)
    j.use(c, "meet_child", today)
    j.use(c, "support_needs", today, TEXT="Counselling for the mother's low mood")
    j.use(c, "support_needs", today, key="then")
    entry = j.proposed(c, "police_checks", today)
    people = sorted(re.findall(r"household person '([^']+)'", " ".join(m["message"] for m in entry["missing"])))
    assert people == ["carys", "dale"]
    for person in people:
        j.record("police-check", person, folder, "--date", today, "--result", "No trace", today=today)
    j.use(c, "police_checks", today)
    j.keep(c, "Child-in-care review", "2026-02-25", "--attendee", "sw", NAME="qaro-price")
    j.use(c, "midpoint_supervision", "2026-03-02", "--attendee", "sw")
    today = "2026-03-09"
    j.proposed(c, "return_home_assessment", today)
    j.record("assessment", "parent", "carys", folder, "--risk-factor", "Periods of low mood and withdrawal",
             "--protective-factor", "Attends her GP and counselling",
             "--interaction", "Low mood leads to missed care of Ezra at night",
             "--capacity-to-change", "Motivated, with support from her sister", today=today)
    j.record("assessment", "set", "housing", "Two-bedroom flat, clean and warm", folder, today=today)
    j.record("assessment", "set", "finances", "Universal credit and partner's wage", folder, today=today)
    j.record("assessment", "set", "school", "Aldmoor Academy, attendance improving", folder, today=today)
    j.record("assessment", "set", "child_views", "Ezra wants to live with his mum again", folder, today=today)
    j.use(c, "return_home_assessment", "2026-03-10")

    today = "2026-03-12"
    j.use(c, "rc1_meeting", today, "--recommended-by", "sw", "--date", today, LEVEL="medium",
          TEXT="Mother engaging with help; nights still a worry")
    j.use(c, "decision_2", "2026-03-16", OUTCOME="proceed")
    j.use(c, "finalise_assessment", "2026-03-17", NAME="tm")
    j.done_steps(c, "2026-03-17", "finalise_assessment")
    j.use(c, "confirm_with_family", "2026-03-18")
    j.use(c, "planning_meeting", "2026-03-20", "--attendee", "carys", "--decided", "Counselling and a family worker")
    today = "2026-03-24"
    j.record("goal", "add", folder, "--parent", "carys", "--change", "Ezra supervised every night",
             "--step", "Evening routine agreed with the family worker", "--evidence", "Family worker's spot checks",
             "--due", "2026-07-31", "--support", "Weekly family worker sessions", today=today)
    j.record("agreement", "review-date", "2026-06-01", folder, today=today)
    j.use(c, "parental_agreement", today)
    j.use(c, "contingency_plan", today, TEXT="Ezra stays with his foster carers if the return fails")
    j.use(c, "child_communication", today, TEXT="Ezra told his aunt his hopes and fears")
    j.record("plan", "support", "Counselling service", folder, "--provider", "Aldmoor Talking Therapies",
             "--for", "carys", "--frequency", "weekly", "--from", today, "--until", "2026-09-30", today=today)
    j.record("plan", "contact", folder, "--with", "carys", "--arrangement", "Wednesday teatime and Sunday",
             "--from", "2026-03-25", today=today)
    j.record("plan", "transition", "Weekend at home", folder, "--date", "2026-06-13", today=today)
    j.use(c, "contingency_plan", "2026-03-25")
    j.use(c, "child_communication", "2026-03-25")
    j.use(c, "reunification_plan", "2026-03-26")
    j.keep(c, "Child-in-care review", "2026-05-14", "--attendee", "sw", NAME="qaro-price")
    today = "2026-05-26"
    j.use(c, "planning_review", today, "--date", today, RATING="green", TEXT="Every spot check found Ezra safe")
    j.use(c, "planning_review", "2026-05-28", "--attendee", "sw")
    j.use(c, "monitor_progress", "2026-05-29")
    today = "2026-06-01"
    j.use(c, "rc2", today, "--recommended-by", "sw", "--date", today, LEVEL="low",
          TEXT="Three months of safe nights and steady mood")
    j.use(c, "decision_3", "2026-06-03", OUTCOME="reunify")
    j.use(c, "decision_3", "2026-06-05")
    j.use(c, "communicate_decision", "2026-06-08")
    j.use(c, "gradual_return", "2026-06-10")
    today = "2026-06-12"
    j.use(c, "update_plan", today, "--provider", "Aldmoor Early Help", "--for", "carys", "--frequency", "weekly",
          "--from", "2026-07-06", SERVICE="Family worker at home", date="2027-09-30")
    j.use(c, "update_plan", "2026-06-15")
    j.use(c, "cpag", "2026-06-24", "--other", "Panel chair", "--decided", "Return agreed for early July")
    today = "2026-07-06"
    j.seen["return_home_then"] = j.proposed(c, "return_home", today)["then"]
    j.use(c, "return_home", today)
    j.done_steps(c, today, "return_home")


# -- running the journeys once -----------------------------------------------------------------

_JOURNEYS: dict[str, Journey | BaseException] = {}

FAMILY_VISITS = ["2026-07-07", "2026-08-18", "2026-09-29", "2026-11-10", "2026-12-22", "2027-02-02",
                 "2027-03-16", "2027-04-27", "2027-06-01"]
SINGLE_VISITS = ["2026-07-10", "2026-08-20", "2026-09-30", "2026-11-10", "2026-12-21", "2027-02-01",
                 "2027-03-15", "2027-04-26", "2027-06-07"]


def run_family(j: Journey) -> None:
    family_setup(j)
    for case in (LILY, TOM):
        identification(j, case)
    family_assessment(j)
    family_classification(j)
    permanence(j)
    family_agreement(j)
    family_return(j)
    after_return(j, LILY, FAMILY, FAMILY_VISITS,
                 {"tac": "2026-09-25", "cic": "2026-10-20", "tac#2": "2027-01-15", "cic#2": "2027-04-12"},
                 ["2026-12-08", "2027-03-04", "2027-06-03"], qaro="qaro-ashdown")
    today = "2027-06-09"
    j.use(LILY, "rescind_care_order", today)  # the application; the court discharges the order
    j.record("leave-care", str(j.path(LILY)), "--date", "2027-06-30", "--reason", "E8", today="2027-06-30")
    j.use(LILY, "end_involvement", "2027-07-06")
    j.use(LILY, "close", "2027-07-10")
    j.seen["end"] = "2027-07-11"


def run_single(j: Journey) -> None:
    single_journey(j)
    after_return(j, SINGLE, SINGLE, SINGLE_VISITS,
                 {"tac": "2026-09-28", "cin": "2026-12-14", "tac#2": "2027-03-10", "cin#2": "2027-06-08"},
                 ["2026-12-10", "2027-03-08", "2027-06-04"], qaro="qaro-price")
    j.use(SINGLE, "end_involvement", "2027-07-08")
    j.use(SINGLE, "close", "2027-07-12")
    j.seen["end"] = "2027-07-13"


RUNS: dict[str, Callable[[Journey], None]] = {"family": run_family, "single": run_single}


@pytest.fixture
def journey(request: pytest.FixtureRequest, cli: Callable[..., Result],
            tmp_path_factory: pytest.TempPathFactory) -> Journey:
    name: str = request.param
    if name not in _JOURNEYS:
        j = Journey(cli, tmp_path_factory.mktemp(f"journey-{name}"))
        try:
            RUNS[name](j)
        except BaseException as error:  # a journey that fails, fails every test that reads it
            _JOURNEYS[name] = error
            raise
        _JOURNEYS[name] = j
    found = _JOURNEYS[name]
    if isinstance(found, BaseException):
        raise found
    found.cli = cli  # this test's capture
    return found


BOTH = pytest.mark.parametrize("journey", ["family", "single"], indirect=True)


def cases(j: Journey) -> list[str]:
    return [LILY, TOM] if (j.root / FAMILY).exists() else [SINGLE]


def outcomes_ratings() -> list[str]:
    """Every area of the reference workflow's outcomes tool rated Good (4), as options."""
    workflow = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return [word for area in workflow["outcomes_tool"]["areas"] for word in ("--rating", f"{area}=4")]


def step_ids_standing_for_records() -> set[str]:
    """Steps a record stands for: a meeting, a decision, a classification, or the gates of
    the assessment's sign-off, the agreement, the return and the outcomes tool."""
    workflow = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    found = set()
    for stage in workflow["stages"]:
        for step in stage["steps"]:
            records = str(step.get("records", ""))
            gates = {gate if isinstance(gate, str) else next(iter(gate)) for gate in step.get("requires", [])}
            if records.split(" ")[0] in ("meeting", "decision", "classification") \
                    or gates & {"assessment_signed_off", "agreement", "return_recorded", "outcomes_since_return"}:
                found.add(step["id"])
    return found


def option_values(argv: list[str]) -> list[tuple[str, str]]:
    return [(argv[i], argv[i + 1]) for i in range(len(argv) - 1)
            if argv[i].startswith("--") and not argv[i + 1].startswith("--")]


# -- the tests ---------------------------------------------------------------------------------


@BOTH
def test_the_journey_ends_closed_and_check_is_clean(journey: Journey) -> None:
    j = journey
    end = j.seen["end"]
    result = j.read("check", str(j.root), "--json", today=end)
    data = json.loads(result.out)
    assert result.code == 0, result.out
    assert data["errors"] == 0, data
    for case in cases(j):
        status = j.status(case, end)
        assert status["status"].startswith("closed"), (case, status["status"])
        states = {s["step"]: s["state"] for stage in status["stages"] for s in stage["steps"]}
        assert states["close"] == "done"
        if case == TOM:
            assert status["path"] == "permanence"
            assert all(states[s] == "done" for s in ("decision_2", "explain_severe", "permanence_plan"))
            assert states["consider_proceedings"] == "not_applicable"  # a care order, not section 20
        else:
            assert status["path"] == "return"
            done = ("return_home", "rc3", "six_month_review", "end_involvement")
            assert all(states[s] == "done" for s in done), states
            if case == LILY:
                assert states["rescind_care_order"] == "done"
        assert j.next(case, end)["next"] == []


@BOTH
def test_no_file_is_edited_by_hand(journey: Journey) -> None:
    """Every change was made by a reunify command (checked around each one as it ran)."""
    assert len(journey.commands) == len(journey.changed) > 50
    assert snapshot(journey.root) == journey.last
    assert all(journey.changed)


@BOTH
def test_no_done_for_a_step_a_record_stands_for(journey: Journey) -> None:
    standing = step_ids_standing_for_records()
    assert {"assessment_planning", "decision_2", "rc1_meeting", "finalise_assessment", "parental_agreement",
            "cpag", "return_home", "rc3", "six_month_review"} <= standing
    done = [argv for argv in journey.commands if argv[0] == "done" and argv[1] in standing]
    assert done == []


@BOTH
def test_no_confirmation_then_decision_by_the_same_manager_on_the_same_day(journey: Journey) -> None:
    confirmations = set()
    for argv in journey.commands:
        values = dict(option_values(argv))
        if argv[0] == "classify" and "--confirm" in argv:
            confirmations.add((values.get("--date"), values.get("--by")))
        if argv[0] == "decide":
            assert (values.get("--date"), values.get("--by")) not in confirmations, argv
    assert any(argv[0] == "decide" and "--confirm" in argv for argv in journey.commands)


@BOTH
def test_no_free_text_is_typed_twice(journey: Journey) -> None:
    typed: dict[str, list[str]] = {}
    for argv in journey.commands:
        for _option, value in option_values(argv):
            if len(value) > FREE_TEXT and not value.startswith(str(journey.root)):
                typed.setdefault(value, []).append(shlex.join(argv))
    twice = {value: commands for value, commands in typed.items() if len(commands) > 1}
    assert twice == {}


@BOTH
def test_the_chronologist_is_named_once(journey: Journey) -> None:
    name, ident = journey.seen["chronologist_name"], journey.seen["chronologist"]
    naming = [argv for argv in journey.commands if name in argv or ident in argv]
    assert len(naming) == 1
    assert naming[0][:2] == ["team", "add"] and "chronologist" in naming[0]


@BOTH
def test_every_recorded_step_was_proposed_by_next(journey: Journey) -> None:
    proposed = {(case, entry["step"]) for case, _, entry in journey.proposals}
    for case in cases(journey):
        states = journey.states(case, journey.seen["end"])
        done = {step for step, state in states.items() if state == "done"}
        assert {step for step in done if (case, step) not in proposed} == set()


@BOTH
def test_next_never_proposes_done_for_a_step_a_record_stands_for(journey: Journey) -> None:
    standing = step_ids_standing_for_records()
    wrong = {(case, entry["step"], entry["then"]) for case, _, entry in journey.proposals
             if entry["then"] and entry["then"].startswith("reunify done ")
             and entry["then"].split()[2] in standing}
    assert wrong == set()


@BOTH
def test_next_never_suggests_a_hand_edit(journey: Journey) -> None:
    hand = {(entry["step"], m["message"], m["hint"]) for _, _, entry in journey.proposals for m in entry["missing"]
            if not (m["hint"] and "reunify " in m["hint"])}
    assert hand == set()


@pytest.mark.parametrize("journey", ["family"], indirect=True)
def test_next_json_shows_what_the_text_shows_coming_up(journey: Journey) -> None:
    assert "Visit the child placed with parents" in journey.seen["coming_up_text"]
    coming = [item["what"] for item in journey.seen["coming_up_json"]["upcoming"]]
    assert any("Visit the child" in str(what) for what in coming), coming


@BOTH
def test_nothing_is_due_after_the_episode_closes(journey: Journey) -> None:
    for case in cases(journey):
        if case == TOM:
            continue
        deadlines = journey.status(case, journey.seen["end"])["deadlines"]
        assert [(d["what"], d["date"], d["overdue"]) for d in deadlines if d["kind"] == "due"] == []


@pytest.mark.parametrize("journey", ["family"], indirect=True)
def test_the_family_view_lists_each_child(journey: Journey) -> None:
    j = journey
    end = j.seen["end"]
    status = j.read("status", str(j.path(FAMILY)), today=end)
    assert status.code == 0, status.out + status.err
    assert "Family quarrendon: 2 children" in status.out
    assert "Lily Quarrendon" in status.out and "Tom Quarrendon" in status.out
    data = json.loads(j.read("status", str(j.path(FAMILY)), "--json", today=end).out)
    children = {child["child"]["name"]: child for child in data["children"]}
    assert set(children) == {"Lily Quarrendon", "Tom Quarrendon"}
    assert (children["Lily Quarrendon"]["path"], children["Tom Quarrendon"]["path"]) == ("return", "permanence")
    assert all(child["stage"]["number"] == 5 and child["status"].startswith("closed") for child in children.values())
    shown = j.read("next", str(j.path(FAMILY)), today=end)
    assert shown.code == 0
    lily, tom = shown.out.index("Lily Quarrendon"), shown.out.index("Tom Quarrendon")
    assert lily < tom
    assert shown.out.count("Nothing to do: the reunification episode is closed.") == 2


@pytest.mark.parametrize("journey", ["family"], indirect=True)
def test_each_childs_conversation_is_kept(journey: Journey, cli: Callable[..., Result], tmp_path: Path) -> None:
    family = Path(shutil.copytree(journey.path(FAMILY), tmp_path / FAMILY))
    end = journey.seen["end"]
    result = cli("plan", "child-communication", "Tom told his carer what he hopes for", family / "tom", today=end)
    assert result.code == 0, result.out + result.err
    plan = (family / "plan.yaml").read_text(encoding="utf-8") + "".join(
        path.read_text(encoding="utf-8") for path in family.glob("*/plan.yaml"))
    assert "Lily met her grandmother alone" in plan
    assert "Tom told his carer" in plan
