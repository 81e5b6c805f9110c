"""Messages never repeat a value from a record: every kind of mistake, with personal data in it.

A distinctive fictional name and id are planted into every kind of mistake that can be
made in every record file (an unknown key, an unknown id in every reference field, an
unknown role, step, meeting, exit reason, outcome, decision, classification or code, a
duplicate id). Each mistake must still be reported by `check` at its file and line, and
no command may print what was planted: the location says where, the message says what.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reunify.records.models import FILE_MODELS
from tests.conftest import SAMPLES
from tests.conftest import Result

NAME = "Zebedee Quixotic-Farnsworth"
CODE = "Qz-7731"
PLANTED = (NAME, CODE, "Zebedee", "Quixotic", "Farnsworth", "7731")

SAMPLE = SAMPLES / "03-medium-agreement-review"

# Everything a reader runs on a case; none of them may print what was planted.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("check",),
    ("check", "--json"),
    ("next",),
    ("next", "--json"),
    ("status",),
    ("status", "--json"),
    ("timeline",),
    ("timeline", "--json"),
    ("caseload",),
    ("caseload", "--json"),
    ("render", "--list"),
    ("walkthrough", "--no-pause"),
)


@dataclass(frozen=True)
class Edit:
    """Replace the `nth` occurrence of `old` (None: append `new` to the end of the file)."""

    old: str | None
    new: str
    nth: int = 1


@dataclass(frozen=True)
class Mistake:
    file: str
    edits: tuple[Edit, ...]


def one(file: str, old: str | None, new: str, nth: int = 1) -> Mistake:
    return Mistake(file, (Edit(old, new, nth),))


def key(file: str, after: str) -> Mistake:
    """An unknown key (a name) on the line after `after`, indented like it."""
    indent = " " * (len(after) - len(after.lstrip(" -")))
    return one(file, after + "\n", f"{after}\n{indent}{NAME}: {CODE}\n")


MISTAKES: dict[str, Mistake] = {
    # Unknown keys, in every file, at the top and inside entries.
    "key-case-top": key("case.yaml", "reference: WBC-RU-2026-007"),
    "key-case-team": key("case.yaml", "  - id: sw-mistry"),
    "key-case-placement": key("case.yaml", "    carer: carol-fenwick"),
    "key-people-person": key("people.yaml", "  - id: dean"),
    "key-people-household": key("people.yaml", "  - id: dean-home"),
    "key-people-couple": key("people.yaml", "    status: separated"),
    "key-chronology-top": key("chronology.yaml", "chronologist: chron-castleton"),
    "key-chronology-entry": key("chronology.yaml", "    source: Health visiting record"),
    "key-assessment-top": key("assessment.yaml", "started: 2026-04-14"),
    "key-assessment-parent": key("assessment.yaml", "  - person: dean"),
    "key-assessment-signed-off": key("assessment.yaml", "  by: tm-moorcroft"),
    "key-risk": key("risk.yaml", "    level: medium"),
    "key-decisions": key("decisions.yaml", "    outcome: pursue"),
    "key-agreement-top": key("agreement.yaml", "agreed: 2026-09-02"),
    "key-agreement-parent": key("agreement.yaml", "  - person: kerry"),
    "key-plan-support": key("plan.yaml", "    for: [kerry, dean]"),
    "key-plan-contact": key("plan.yaml", "  - with: [kerry]"),
    "key-events-top": one("events.yaml", None, f"{NAME}: {CODE}\n"),
    "key-events-step": one("events.yaml", "{step: identify, date: 2026-03-12, by: sw-mistry}",
                           f"{{step: identify, date: 2026-03-12, by: sw-mistry, {NAME}: 1}}"),
    "key-events-meeting": key("events.yaml", "    date: 2026-03-12"),
    "key-events-sdq": one("events.yaml", "{date: 2026-05-20, total: 18,", f"{{{NAME}: 1, date: 2026-05-20, total: 18,"),
    # Values of the wrong kind.
    "bad-sex": one("people.yaml", "sex: male\n    born: 1987-04-02", f"sex: {NAME}\n    born: 1987-04-02"),
    "bad-born": one("people.yaml", "born: 1987-04-02", f"born: {NAME}"),
    "bad-person-id": one("people.yaml", "  - id: ian-fenwick", f"  - id: {NAME}"),
    "bad-parent-link": one("people.yaml", "  - id: frank\n", f"  - id: frank\n    parent_link: {CODE}\n"),
    "bad-couple-status": one("people.yaml", "status: separated", f"status: {CODE}"),
    "bad-tie-quality": one("people.yaml", "quality: conflict", f"quality: {CODE}"),
    "bad-level": one("risk.yaml", "level: medium", f"level: {CODE}"),
    "bad-rating": one("agreement.yaml", "rating: ", f"rating: {CODE}  # ", 1),
    "bad-timetable-key": one("events.yaml", "  meet_child: 2026-04-30", f"  {NAME}: 2026-04-30"),
    "bad-sdq-total": one("events.yaml", "total: 18,", f"total: {CODE},"),
    "bad-sdq-informant": one("events.yaml", "informant: parent, by: sw-mistry}", f"informant: {CODE}, by: sw-mistry}}"),
    "bad-visit-announced": one("events.yaml", None,
                               f"visits:\n  - {{date: 2026-10-01, by: sw-mistry, announced: {CODE}, seen_alone: true}}\n"),
    "bad-reference-text": one("case.yaml", "reference: WBC-RU-2026-007", "reference: [Zebedee, Quixotic-Farnsworth]"),
    # Unknown ids in every reference field.
    "ref-child": one("case.yaml", "child: maisie", f"child: {CODE}"),
    "ref-home": one("case.yaml", "home: kerry-home", f"home: {CODE}"),
    "ref-trusted-adult": one("case.yaml", "trusted_adult: joanne-pike", f"trusted_adult: {CODE}"),
    "ref-carer": one("case.yaml", "carer: carol-fenwick", f"carer: {CODE}"),
    "ref-parents": one("people.yaml", "parents: [kerry, dean]", f"parents: [kerry, {CODE}]"),
    "ref-couple": one("people.yaml", "  - people: [kerry, dean]\n    status", f"  - people: [kerry, {CODE}]\n    status"),
    "ref-relationship": one("people.yaml", "  - people: [maisie, pauline]", f"  - people: [maisie, {CODE}]"),
    "ref-household-member": one("people.yaml", "members: [kerry]", f"members: [kerry, {CODE}]"),
    "ref-household-visitor": one("people.yaml", "regular_visitors: [pauline]", f"regular_visitors: [pauline, {CODE}]"),
    "ref-chronologist": one("chronology.yaml", "chronologist: chron-castleton", f"chronologist: {CODE}"),
    "ref-assessed-parent": one("assessment.yaml", "  - person: dean", f"  - person: {CODE}"),
    "ref-police-check": one("assessment.yaml", "  - person: dean", f"  - person: {CODE}", 2),
    "ref-signed-off-by": one("assessment.yaml", "  by: tm-moorcroft", f"  by: {CODE}"),
    "ref-recommended-by": one("risk.yaml", "recommended_by: [tm-moorcroft, sw-mistry",
                              f"recommended_by: [tm-moorcroft, {CODE}"),
    "ref-confirmed-by": one("risk.yaml", "confirmed_by: sm-chandler", f"confirmed_by: {CODE}"),
    "ref-decided-by": one("decisions.yaml", "by: tm-moorcroft", f"by: {CODE}"),
    "ref-ratified-by": one("decisions.yaml", "    outcome: pursue\n",
                           f"    outcome: pursue\n    ratified_by: {CODE}\n    ratified: 2026-04-01\n"),
    "ref-agreement-parent": one("agreement.yaml", "  - person: kerry", f"  - person: {CODE}"),
    "ref-support-for": one("plan.yaml", "for: [kerry, dean]", f"for: [kerry, {CODE}]"),
    "ref-contact-with": one("plan.yaml", "  - with: [kerry]", f"  - with: [{CODE}]"),
    "ref-step-by": one("events.yaml", "{step: identify, date: 2026-03-12, by: sw-mistry}",
                       f"{{step: identify, date: 2026-03-12, by: {CODE}}}"),
    "ref-attendee": one("events.yaml", "attendees: [maisie, kerry,", f"attendees: [maisie, {CODE},"),
    "ref-visit-by": one("events.yaml", None,
                        f"visits:\n  - {{date: 2026-10-01, by: {CODE}, announced: true, seen_alone: true}}\n"),
    "ref-sdq-by": one("events.yaml", "informant: parent, by: sw-mistry}", f"informant: parent, by: {CODE}}}"),
    "ref-exit-by": one("events.yaml", None, f"exit: {{date: 2026-11-01, reason: family_withdrew, by: {CODE}}}\n"),
    # Unknown names of things the workflow or the code defines.
    "unknown-role": one("case.yaml", "role: qaro", f"role: {CODE}"),
    "unknown-step": one("events.yaml", "{step: identify,", f"{{step: {CODE},"),
    "unknown-timetable-step": one("events.yaml", "  meet_child: 2026-04-30", f"  {CODE}: 2026-04-30"),
    "unknown-meeting": one("events.yaml", "  - meeting: cic_review", f"  - meeting: {CODE}"),
    "unknown-exit-reason": one("events.yaml", None, f"exit: {{date: 2026-11-01, reason: {CODE}, by: sw-mistry}}\n"),
    "unknown-outcome": one("decisions.yaml", "outcome: pursue", f"outcome: {CODE}"),
    "unknown-outcome-ratified": one("decisions.yaml", "outcome: pursue",
                                    f"outcome: {CODE}\n    ratified: 2026-04-01\n    ratified_by: hos-ashdown"),
    "unknown-decision": one("decisions.yaml", "  - id: D1", f"  - id: {CODE}"),
    "unknown-classification": one("risk.yaml", "  - id: RC1", f"  - id: {CODE}"),
    "unknown-legal-status": one("case.yaml", "  - code: V2", f"  - code: {CODE}"),
    "unknown-placement": one("case.yaml", "  - code: U6", f"  - code: {CODE}"),
    "unknown-left-care-reason": one("case.yaml", None, f"left_care: {{date: 2026-11-01, reason: {CODE}}}\n"),
    # The same id twice.
    "duplicate-person": Mistake("people.yaml", (Edit("  - id: carol-fenwick", f"  - id: {CODE}"),
                                                Edit("  - id: ian-fenwick", f"  - id: {CODE}"))),
    "duplicate-household": Mistake("people.yaml", (Edit("  - id: dean-home", f"  - id: {CODE}"),
                                                   Edit("  - id: fenwick-foster", f"  - id: {CODE}"))),
    "duplicate-team-member": Mistake("case.yaml", (Edit("  - id: chron-castleton", f"  - id: {CODE}"),
                                                   Edit("  - id: hos-ashdown", f"  - id: {CODE}"))),
    "duplicate-classification": one("risk.yaml", "  - id: RC1", f"  - id: {CODE}\n    date: 2026-07-07\n    level: medium\n"
                                    "    rationale: x\n    recommended_by: [sw-mistry]\n  - id: {CODE}".replace("{CODE}", CODE)),
    "duplicate-decision": one("decisions.yaml", "  - id: D1", f"  - id: {CODE}\n    date: 2026-03-31\n    by: tm-moorcroft\n"
                              f"    outcome: pursue\n  - id: {CODE}"),
}


def plant(folder: Path, mistake: Mistake) -> int:
    """Make the mistake in a copy of the sample; the line the planted value ends on."""
    path = folder / mistake.file
    text = path.read_text(encoding="utf-8")
    for edit in mistake.edits:
        if edit.old is None:
            text = text.rstrip("\n") + "\n" + edit.new
            continue
        at = -1
        for _ in range(edit.nth):
            at = text.index(edit.old, at + 1)
        text = text[:at] + edit.new + text[at + len(edit.old):]
    path.write_text(text, encoding="utf-8")
    last = max(text.rfind(word) for word in (NAME, CODE, "Zebedee"))
    assert last >= 0, "nothing was planted"
    return text.count("\n", 0, last) + 1


def leaks(result: Result) -> list[str]:
    return [word for word in PLANTED if word in result.out or word in result.err]


# The views too (next, status, timeline, caseload): where a code or an id names nothing
# known, they say so ("an unknown code", "someone not in the records") rather than show
# what the field holds.


@pytest.fixture
def hostile(tmp_path: Path) -> Callable[[Mistake], tuple[Path, int]]:
    def build(mistake: Mistake) -> tuple[Path, int]:
        folder = tmp_path / "case"
        shutil.copytree(SAMPLE, folder)
        return folder, plant(folder, mistake)

    return build


def test_the_sample_is_clean(cli: Callable[..., Result]) -> None:
    """The mistakes below are made in a case with no problem of its own."""
    result = cli("check", SAMPLE)
    assert result.code == 0, result.out


def test_every_record_file_has_mistakes() -> None:
    assert {m.file for m in MISTAKES.values()} == set(FILE_MODELS)


@pytest.mark.parametrize("name", list(MISTAKES))
def test_check_locates_each_mistake_and_prints_nothing_planted(
    name: str, hostile: Callable[[Mistake], tuple[Path, int]], cli: Callable[..., Result],
) -> None:
    mistake = MISTAKES[name]
    folder, line = hostile(mistake)
    text = cli("check", folder)
    assert text.code == 1, text.out
    assert f"{folder / mistake.file}:{line}:" in text.out, text.out
    assert not leaks(text), text.out
    data = cli("check", "--json", folder)
    assert data.code == 1
    assert not leaks(data), data.out
    problems = [p for case in json.loads(data.out)["cases"] for p in case["problems"]]
    assert any(p["file"] == str(folder / mistake.file) and p["line"] == line and p["severity"] == "error"
               for p in problems), problems


def _views() -> list[object]:
    params: list[object] = []
    for name in MISTAKES:
        for command in COMMANDS:
            if command[0] == "check":
                continue
            params.append(pytest.param(name, command, id=f"{name}-{'-'.join(command)}"))
    return params


@pytest.mark.parametrize(("name", "command"), _views())
def test_no_command_prints_what_was_planted(
    name: str, command: tuple[str, ...], hostile: Callable[[Mistake], tuple[Path, int]],
    cli: Callable[..., Result],
) -> None:
    folder, _ = hostile(MISTAKES[name])
    result = cli(*command, folder)
    assert "Traceback" not in result.out + result.err
    assert not leaks(result), result.out + result.err


# The ids of sample 03: a suggestion may name a field, a step, a role or a code, never one of these.
CASE_IDS = ("maisie", "kerry", "dean", "pauline", "frank", "joanne-pike", "carol-fenwick", "ian-fenwick",
            "kerry-home", "dean-home", "fenwick-foster", "sw-mistry", "chron-castleton", "tm-moorcroft",
            "sm-chandler", "hos-ashdown", "qaro-fothergill")

NEAR_MISSES: dict[str, Mistake] = {
    "person": one("people.yaml", "parents: [kerry, dean]", "parents: [kerry, deane]"),
    "person-case": one("people.yaml", "parents: [kerry, dean]", "parents: [kerry, Dean]"),
    "household": one("case.yaml", "home: kerry-home", "home: kerry-homes"),
    "team": one("risk.yaml", "confirmed_by: sm-chandler", "confirmed_by: sm-chandlr"),
    "attendee": one("events.yaml", "attendees: [maisie, kerry,", "attendees: [maisie, kery,"),
    "duplicate": one("people.yaml", "  - id: ian-fenwick", "  - id: carol-fenwick"),
}


@pytest.mark.parametrize("name", list(NEAR_MISSES))
def test_suggestions_never_name_an_id_from_the_case(
    name: str, tmp_path: Path, cli: Callable[..., Result],
) -> None:
    """'Did you mean' names fields, steps, roles and codes; never the people in the case."""
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE, folder)
    mistake = NEAR_MISSES[name]
    path = folder / mistake.file
    edit = mistake.edits[0]
    assert edit.old is not None
    path.write_text(path.read_text(encoding="utf-8").replace(edit.old, edit.new, 1), encoding="utf-8")
    result = cli("check", "--json", folder)
    assert result.code == 1
    problems = [p for case in json.loads(result.out)["cases"] for p in case["problems"]]
    assert any(p["file"].endswith(mistake.file) and p["severity"] == "error" for p in problems)
    for problem in problems:
        text = " ".join(str(problem[k]) for k in ("field", "message", "hint"))
        named = [i for i in CASE_IDS if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text, re.IGNORECASE)]
        assert not named, problem
