"""Every command at a real terminal: progress bars, prompts with their choices, colour.

Each test runs `python -m reunify` on a pseudo-terminal of its own (tests/terminal.py),
as a person at a keyboard would, and reads what the screen showed and what was written.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from reunify.records import Case
from reunify.records import load_case
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result
from tests.terminal import COLOUR
from tests.terminal import needs_pty
from tests.terminal import reunify_env
from tests.terminal import run_on_a_terminal

pytestmark = needs_pty


# A terminal that can draw (TERM=dumb is one where rich draws no progress bar).
XTERM = reunify_env(TERM="xterm-256color")


def copy_sample(tmp_path: Path, name: str, into: str = "") -> Path:
    folder = tmp_path / into / name if into else tmp_path / name
    shutil.copytree(SAMPLES / name, folder)
    return folder


def flat(text: str) -> str:
    return " ".join(text.split())


def load(folder: Path) -> Case:
    case, problems = load_case(folder)
    assert case is not None, problems
    return case


# -- batch work shows a progress bar and finishes ---------------------------------------


def test_render_of_one_case_at_a_terminal(tmp_path: Path) -> None:
    case = copy_sample(tmp_path, "03-medium-agreement-review")
    out = tmp_path / "out"

    code, shown = run_on_a_terminal(["render", case, "--out", out], env=XTERM)

    assert code == 0, shown
    assert "internal error" not in shown and "Traceback" not in shown
    assert "Rendering" in shown and "━" in shown  # the progress bar was drawn
    written = sorted(p.name for p in out.glob("*.docx"))
    assert "return_home_assessment.docx" in written and len(written) == 11  # no front sheet under s20
    assert any("Maisie" in p.text for p in Document(str(out / "chronology.docx")).paragraphs) or \
        any("Maisie" in cell.text for t in Document(str(out / "chronology.docx")).tables
            for row in t.rows for cell in row.cells)


def test_render_of_a_caseload_at_a_terminal(tmp_path: Path) -> None:
    for name in ("03-medium-agreement-review", "04-high-over-six-months", "06-home-under-care-order"):
        copy_sample(tmp_path, name, into="cases")
    out = tmp_path / "out"

    code, shown = run_on_a_terminal(["render", tmp_path / "cases", "--doc", "chronology", "--doc",
                                     "monitoring_form", "--out", out], env=XTERM)

    assert code == 0, shown
    assert "Rendering" in shown and "━" in shown
    for name in ("03-medium-agreement-review", "04-high-over-six-months", "06-home-under-care-order"):
        assert sorted(p.name for p in (out / name).glob("*.docx")) == ["chronology.docx", "monitoring_form.docx"]
        Document(str(out / name / "chronology.docx"))  # opens as Word


def test_caseload_at_a_terminal(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "cases")

    code, shown = run_on_a_terminal(["caseload", tmp_path / "cases"], env=XTERM)

    assert code == 0, shown
    assert "Traceback" not in shown
    for folder in SAMPLES.iterdir():
        if (folder / "case.yaml").is_file():
            assert load(folder).case.reference in shown  # every case has its row
    assert "M.T." in shown and "Maisie" not in shown  # initials, not names


def test_walkthrough_at_a_terminal_pauses_between_stages(tmp_path: Path) -> None:
    code, shown = run_on_a_terminal(["walkthrough", "06"], answers=[("Press a key to go on", "")] * 4)

    assert code == 0, shown
    assert "Traceback" not in shown
    assert "(stage 1 of 5)" in shown and "(stage 5 of 5)" in shown


def test_walkthrough_without_pauses_at_a_terminal() -> None:
    code, shown = run_on_a_terminal(["walkthrough", "06", "--no-pause"])

    assert code == 0, shown
    assert "(stage 5 of 5)" in shown


def test_new_asks_for_the_essentials(tmp_path: Path) -> None:
    folder = tmp_path / "ab-0001"
    code, shown = run_on_a_terminal(["new", folder], answers=[
        ("Case reference", "AB-0001"), ("Child's name", "Robin Example"),
        ("Child's date of birth", "2017-03-04"), ("Legal status code", "V2"), ("Placement code", "U6"),
        ("Social worker's name", "Sam Rivers"), ("Team manager's name", "Tara Moss"),
    ])

    assert code == 0, shown
    case = load(folder)
    assert case.case.reference == "AB-0001"
    assert [member.name for member in case.case.team] == ["Sam Rivers", "Tara Moss"]


# -- each recording command asks for a missing --by, listing the team ----------------------


def second(cli: Callable[..., Result], case: Path, role: str) -> None:
    """A second team member with `role`, so that who did it is a choice to ask for."""
    added = cli("team", "add", "Lee Second", case, "--role", role, "--id", "second", "--from", "2026-01-05")
    assert added.code == 0, added.err


def test_done_takes_the_one_member_with_the_role_and_says_so(tmp_path: Path) -> None:
    case = copy_sample(tmp_path, "01-newly-identified-s20")

    code, shown = run_on_a_terminal(["done", "supervision_discussion", case],
                                    answers=[("Date it was done", "2026-11-20")])

    assert code == 0, shown
    assert "Who did it" not in shown
    assert "by tm-greaves, the only team manager on the case" in shown
    assert load(case).events.steps[-1].by == "tm-greaves"


def test_done_asks_who_and_when_listing_the_team(tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = copy_sample(tmp_path, "01-newly-identified-s20")
    second(cli, case, "team_manager")

    code, shown = run_on_a_terminal(["done", "supervision_discussion", case],
                                    answers=[("Who did it", "tm-greaves"), ("Date it was done", "2026-11-20")])

    assert code == 0, shown
    before_prompt = shown[:shown.index("Who did it")]
    assert "tm-greaves" in before_prompt and "Team manager" in before_prompt  # the choices, with roles
    done = load(case).events.steps[-1]
    assert (done.step, done.by, done.date.isoformat()) == ("supervision_discussion", "tm-greaves", "2026-11-20")


def test_done_asks_for_the_step_listing_those_ready(tmp_path: Path) -> None:
    case = copy_sample(tmp_path, "01-newly-identified-s20")

    code, shown = run_on_a_terminal(["done", "--by", "tm-greaves", "--date", "2026-11-20"],
                                    answers=[("Which step", "supervision_discussion")], cwd=case)

    assert code == 0, shown
    assert "supervision_discussion" in shown[:shown.index("Which step")]
    assert load(case).events.steps[-1].step == "supervision_discussion"


def test_decide_asks_outcome_and_who_listing_the_choices(tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = copy_sample(tmp_path, "01-newly-identified-s20")
    assert cli("done", "supervision_discussion", case, "--by", "tm-greaves", "--date", "2026-11-20").code == 0
    second(cli, case, "team_manager")

    code, shown = run_on_a_terminal(["decide", "D1", case], answers=[
        ("Outcome", "pursue"), ("Who made the decision", "tm-greaves"), ("Date of the decision", "2026-11-21"),
        ("Why", "A return home looks possible."),
    ])

    assert code == 0, shown
    assert "not_pursue" in shown[:shown.index("Outcome")]
    decision = next(d for d in load(case).decisions.decisions if d.id == "D1")
    assert (decision.outcome, decision.by, decision.date.isoformat()) == ("pursue", "tm-greaves", "2026-11-21")


def test_classify_asks_level_rationale_and_who(tmp_path: Path) -> None:
    case = copy_sample(tmp_path, "03-medium-agreement-review")

    code, shown = run_on_a_terminal(["classify", "RC2", case], answers=[
        ("Level", "medium"), ("Why this level", "Goals mostly met; drinking reduced."),
        ("Who recommended it", "tm-moorcroft, sw-mistry"), ("Date of the classification", "2026-11-20"),
        ("Factors of the risk classification table found", "change_sustained, support_engaged"),
    ])

    assert code == 0, shown
    assert "severe" in shown[:shown.index("Level")].lower()  # the four levels listed
    assert "support_engaged" in shown[:shown.index("Factors of the risk")]  # the factors listed
    item = next(c for c in load(case).risk.classifications if c.id == "RC2")
    assert (item.level, list(item.recommended_by)) == ("medium", ["tm-moorcroft", "sw-mistry"])
    assert list(item.factors) == ["change_sustained", "support_engaged"]


def test_classify_confirm_asks_for_the_manager(tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = copy_sample(tmp_path, "03-medium-agreement-review")
    assert cli("classify", "RC2", case, "--level", "medium", "--rationale", "Goals met.", "--recommended-by",
               "tm-moorcroft", "--date", "2026-11-20").code == 0
    second(cli, case, "service_manager")

    code, shown = run_on_a_terminal(["classify", "RC2", case, "--confirm"], answers=[
        ("Which manager confirms the level", "sm-chandler"), ("Date of the confirmation", "2026-11-21"),
    ])

    assert code == 0, shown
    listing = shown[:shown.index("Which manager")]
    assert listing.index("sm-chandler") < listing.index("sw-mistry")  # the service manager first
    item = next(c for c in load(case).risk.classifications if c.id == "RC2")
    assert item.confirmed_by == "sm-chandler"


def test_exit_asks_why_and_who(tmp_path: Path) -> None:
    case = copy_sample(tmp_path, "03-medium-agreement-review")

    code, shown = run_on_a_terminal(["exit", case], answers=[
        ("Why it ended", "family_withdrew"), ("Who records it", "sw-mistry"), ("Date it ended", "2026-11-20"),
    ])

    assert code == 0, shown
    assert "The family withdrew from the process" in shown[:shown.index("Why it ended")]
    ended = load(case).events.exit
    assert ended is not None and (ended.reason, ended.by) == ("family_withdrew", "sw-mistry")


def test_visit_asks_who_visited(tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = copy_sample(tmp_path, "06-home-under-care-order")
    second(cli, case, "social_worker")

    code, shown = run_on_a_terminal(["visit", case, "--date", "2026-11-20", "--announced", "--seen-alone"],
                                    answers=[("Who visited", "sw-wainwright")])

    assert code == 0, shown
    assert load(case).events.visits[-1].by == "sw-wainwright"


def test_sdq_asks_who_recorded_it(tmp_path: Path) -> None:
    case = copy_sample(tmp_path, "06-home-under-care-order")

    code, shown = run_on_a_terminal(["sdq", case, "--total", "12"],
                                    answers=[("Date completed", "2026-11-20"), ("Who recorded it", "sw-wainwright")])

    assert code == 0, shown
    score = load(case).events.sdq[-1]
    assert (score.total, score.by, score.date.isoformat()) == (12, "sw-wainwright", "2026-11-20")


# -- colour follows the terminal and NO_COLOR ---------------------------------------------


def test_colour_at_a_terminal_and_none_with_no_color(tmp_path: Path) -> None:
    case = copy_sample(tmp_path, "04-high-over-six-months")
    coloured = reunify_env(NO_COLOR="", TERM="xterm-256color")

    code, shown = run_on_a_terminal(["next", case, "--today", TODAY], env=coloured, raw=True)
    assert code == 0, shown
    assert COLOUR.search(shown), "no colour at a colour terminal"

    code, shown = run_on_a_terminal(["next", case, "--today", TODAY],
                                    env=reunify_env(NO_COLOR="1", TERM="xterm-256color"), raw=True)
    assert code == 0, shown
    assert not COLOUR.search(shown), "colour although NO_COLOR is set"


@pytest.mark.parametrize("args", [["--version"], ["-h"], ["next", "-h"], ["--show-completion", "bash"]])
def test_the_conventions_people_expect(args: list[str]) -> None:
    code, shown = run_on_a_terminal(args, env=reunify_env(SHELL="/bin/bash"))
    assert code == 0, shown
    assert "No such option" not in shown
    if args == ["--version"]:
        assert shown.strip().startswith("reunify ")


@pytest.mark.parametrize("args", [
    ["next"], ["status"], ["check"], ["timeline"], ["render", "--list"], ["genogram", "--out", "{tmp}/g"],
    ["workflow", "show"], ["fidelity"], ["sample"], ["anonymise", ".", "{tmp}/copy", "--seed", "1"],
    ["init", "{tmp}/caseload", "--no-git"],
])
def test_every_other_command_at_a_terminal(args: list[str], tmp_path: Path) -> None:
    case = copy_sample(tmp_path, "06-home-under-care-order")
    code, shown = run_on_a_terminal([a.replace("{tmp}", str(tmp_path)) for a in args], env=XTERM, cwd=case)
    assert code == 0, shown
    assert "Traceback" not in shown and "internal error" not in shown
    assert shown.strip()
