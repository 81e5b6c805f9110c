"""Git as the audit trail: recording commits, `history`, and `check` on hand changes.

Every test runs real git in a repository of its own under a temporary folder, with the
user's own git configuration kept out (HOME is the temporary folder).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reunify.practice import audit
from tests.conftest import BASE
from tests.conftest import SAMPLES
from tests.conftest import Result
from tests.conftest import write_case
from tests.test_recording import ASSESSMENT
from tests.test_recording import CASE
from tests.test_recording import CHRONOLOGY
from tests.test_recording import DECISION_1
from tests.test_recording import EVENTS_TO_ASSESSMENT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

EVENTS_TO_SUPERVISION = """\
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
"""

GIT_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL", "GIT_CONFIG",
                 "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "EMAIL")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git configuration, no identity from the environment."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in GIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo(tmp_path: Path, isolated_git: None) -> Path:
    """An empty caseload repository with a local identity."""
    root = tmp_path / "caseload"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.name", "Pat Example")
    git(root, "config", "user.email", "pat@example.org")
    return root


def add_case(root: Path, name: str = "cases/ab-0147", **files: str) -> Path:
    """A case from the test BASE (files replaced by keyword), committed by hand."""
    merged = {**BASE, **{key.replace("_yaml", ".yaml"): text for key, text in files.items()}}
    folder = write_case(root / name, merged)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the case")
    return folder


def add_sample(root: Path, sample: str, name: str, edit: Callable[[Path], None] | None = None) -> Path:
    folder = root / name
    shutil.copytree(SAMPLES / sample, folder)
    if edit is not None:
        edit(folder)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the case")
    return folder


def without_d3(folder: Path) -> None:
    decisions = folder / "decisions.yaml"
    text = decisions.read_text(encoding="utf-8")
    decisions.write_text(text[: text.index("  - id: D3")], encoding="utf-8")


def line_of(path: Path, start: str, after: str = "") -> int:
    """The number of the first line starting (after indentation) with `start`, below `after`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= first and line.strip().startswith(start)) + 1


def audit_lines(result: Result) -> list[str]:
    return [line for line in result.out.splitlines()
            if "by hand" in line or "git history" in line or "since reunify recorded" in line]


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


# -- recording commits -----------------------------------------------------------------


def test_recordings_committed_appear_in_history_with_author_and_practitioner(
    repo: Path, cli: Callable[..., Result]
) -> None:
    folder = add_case(repo, events_yaml=EVENTS_TO_SUPERVISION)

    decided = cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "Tara Moss",
                  "--commit")
    assert decided.code == 0, decided.err
    assert "committed " in decided.out and "cases/ab-0147: decide D1 pursue by tm" in decided.out
    git(repo, "config", "user.name", "Robin Example")
    visited = cli("visit", folder, "--date", "2026-11-20", "--by", "sw", "--announced", "--seen-alone", "--commit")
    assert visited.code == 0, visited.err

    message = git(repo, "log", "-1", "--skip=1", "--format=%B")
    assert message == ("cases/ab-0147: decide D1 pursue by tm\n\nReunify-Case: cases/ab-0147\n"
                       "Reunify-Action: decide D1 pursue\nReunify-By: tm\n\n")
    everything = git(repo, "log", "--format=%B")
    assert "Ella" not in everything and "Tara" not in everything  # ids only, never names

    shown = cli("history", folder, "--json", today=None)
    assert shown.code == 0, shown.err
    commits = json.loads(shown.out)["commits"]
    assert [(c["author"], c["action"], c["by"], c["by_hand"]) for c in commits] == [
        ("Robin Example", "visit", "sw", False),
        ("Pat Example", "decide D1 pursue", "tm", False),
        ("Pat Example", None, None, True),
    ]
    assert json.loads(shown.out)["uncommitted"] == []

    text = cli("history", folder, today=None)
    assert text.code == 0
    rows = [" ".join(line.split()) for line in text.out.splitlines()]
    assert any(row.endswith("Robin Example visit sw") for row in rows), rows
    assert any(row.endswith("Pat Example decide D1 pursue tm") for row in rows), rows
    assert any(row.endswith("Pat Example edited by hand: Add the case") for row in rows), rows


def test_a_commit_holds_only_the_written_file_even_when_another_is_staged(
    repo: Path, cli: Callable[..., Result]
) -> None:
    folder = add_case(repo, events_yaml=EVENTS_TO_SUPERVISION)
    people = folder / "people.yaml"
    people.write_text(people.read_text() + "# staged by the user, not part of the decision\n")
    git(repo, "add", "--", "cases/ab-0147/people.yaml")
    (repo / "notes.txt").write_text("also staged\n")
    git(repo, "add", "notes.txt")

    result = cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm", "--commit")

    assert result.code == 0, result.err
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["cases/ab-0147/decisions.yaml"]
    assert sorted(git(repo, "diff", "--cached", "--name-only").split()) == ["cases/ab-0147/people.yaml", "notes.txt"]


def test_new_with_commit_commits_the_new_case_folder(repo: Path, cli: Callable[..., Result]) -> None:
    result = cli("new", repo / "cases" / "cd-0001", "--reference", "CD-0001", "--child", "Nia Example",
                 "--born", "2018-03-04", "--commit")

    assert result.code == 0, result.err
    committed = git(repo, "show", "--name-only", "--format=%s", "HEAD").split()
    assert committed[:2] == ["cases/cd-0001:", "new"]
    assert sorted(committed[2:]) == sorted(f"cases/cd-0001/{p.name}" for p in (repo / "cases" / "cd-0001").iterdir())
    assert "Nia" not in git(repo, "log", "--format=%B")


def test_the_profile_commits_by_default_and_no_commit_overrides_it(repo: Path, cli: Callable[..., Result]) -> None:
    folder = add_case(repo)
    (repo / "reunify.yaml").write_text("git:\n  commit: true\n")
    before = head(repo)

    result = cli("visit", folder, "--date", "2026-11-20", "--by", "sw", "--unannounced", "--seen-alone")
    assert result.code == 0, result.err
    assert head(repo) != before
    assert git(repo, "log", "-1", "--format=%s") == "cases/ab-0147: visit by sw\n"

    committed = head(repo)
    result = cli("visit", folder, "--date", "2026-11-21", "--by", "sw", "--unannounced", "--seen-alone",
                 "--no-commit")
    assert result.code == 0, result.err
    assert head(repo) == committed
    assert "2026-11-21" in (folder / "events.yaml").read_text()
    assert git(repo, "status", "--porcelain", "--", "cases").split() == ["M", "cases/ab-0147/events.yaml"]


def test_without_an_identity_the_record_is_written_with_a_warning(
    tmp_path: Path, isolated_git: None, cli: Callable[..., Result]
) -> None:
    root = tmp_path / "caseload"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.useConfigOnly", "true")
    folder = write_case(root / "case", {**BASE, "events.yaml": EVENTS_TO_SUPERVISION})

    result = cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm", "--commit")

    # The record stays written; the missing commit is a failure that says how to finish.
    assert result.code == 1
    assert "recorded D1" in result.out
    assert result.err.splitlines()[0] == ("error: the record is written but not committed: git does not know who "
                                          "you are (set user.name and user.email with 'git config')")
    assert "to commit it: git -C " in result.err and "add -- decisions.yaml" in result.err
    assert (folder / "decisions.yaml").exists()

    # The commands it prints make the commit reunify would have made: history knows it.
    git(root, "config", "user.name", "Pat Example")
    git(root, "config", "user.email", "pat@example.invalid")
    finish = result.err.split("to commit it: ", 1)[1].strip()
    subprocess.run(["bash", "-c", finish], check=True, capture_output=True)
    [change] = json.loads(cli("history", folder, "--json", today=None).out)["commits"]
    assert change["action"] == "decide D1 pursue" and change["by"] == "tm"


# -- check: decisions and classifications changed by hand ------------------------------


@pytest.mark.parametrize("committed", [False, True], ids=["uncommitted", "committed"])
@pytest.mark.parametrize(("field", "old", "new"), [("outcome", "pursue", "not_pursue"),
                                                   ("date", "2026-09-10", "2026-09-11")])
def test_a_decision_changed_by_hand_is_a_warning_at_its_field(
    repo: Path, cli: Callable[..., Result], field: str, old: str, new: str, committed: bool
) -> None:
    folder = add_case(repo, events_yaml=EVENTS_TO_SUPERVISION)
    assert cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm",
               "--commit").code == 0
    recorded = git(repo, "log", "-1", "--format=%h %as").split()
    decisions = folder / "decisions.yaml"
    decisions.write_text(decisions.read_text().replace(f"{field}: {old}", f"{field}: {new}"))
    if committed:
        git(repo, "config", "user.name", "Robin Example")
        git(repo, "commit", "-q", "-am", "Correct the decision")

    result = cli("check", folder)

    assert result.code == 0, result.out
    line = line_of(decisions, f"{field}:", after="id: D1")
    # A change made by hand and committed, and one not committed yet, are told apart.
    said = ("was changed by hand after it was recorded" if committed else "has changed since reunify recorded it")
    tail = "" if committed else ", and the change is not committed"
    assert audit_lines(result) == [
        f"{decisions}:{line}:{len(field) + 7}: warning: D1 {said} "
        f"(commit {recorded[0]} on {recorded[1]} by Pat Example){tail}"
    ]
    hint = ("first changed in commit " if committed else "commit it ('git diff' shows it), or undo it")
    assert hint in result.out
    if committed:
        assert "by Robin Example" in result.out
    problems = json.loads(cli("check", folder, "--json").out)["cases"][0]["problems"]
    assert [(p["code"], p["severity"], p["field"]) for p in problems if p["code"] == "audit"] == [
        ("audit", "warning", f"decisions[0].{field}")
    ]


def test_an_untouched_decision_gives_no_warning(repo: Path, cli: Callable[..., Result]) -> None:
    folder = add_case(repo, events_yaml=EVENTS_TO_SUPERVISION)
    assert cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm",
               "--commit").code == 0
    # Another file changed by hand, and a comment in the decisions file, are no concern.
    (folder / "people.yaml").write_text((folder / "people.yaml").read_text() + "# checked\n")
    decisions = folder / "decisions.yaml"
    decisions.write_text(decisions.read_text() + "# reviewed in supervision\n")

    result = cli("check", folder)

    assert result.code == 0, result.out
    assert audit_lines(result) == []
    assert all("overdue since" in line for line in result.out.splitlines() if ": warning: " in line), result.out


def test_a_ratification_through_reunify_is_not_a_change_by_hand(repo: Path, cli: Callable[..., Result]) -> None:
    folder = add_sample(repo, "06-home-under-care-order", "cases/ef-0006", without_d3)
    assert cli("decide", "D3", folder, "--outcome", "reunify", "--date", "2026-05-19", "--by", "sm-lockwood",
               "--commit").code == 0
    ratified = cli("decide", "D3", folder, "--ratify", "--date", "2026-05-26", "--by", "hos-hurst", "--commit")
    assert ratified.code == 0, ratified.err
    assert git(repo, "log", "-1", "--format=%(trailers:key=Reunify-Action,valueonly)").strip() == "decide D3 ratify"

    assert audit_lines(cli("check", folder)) == []

    # Changed by hand afterwards: the ratification's commit is the one it was recorded in.
    decisions = folder / "decisions.yaml"
    decisions.write_text(decisions.read_text().replace("ratified: 2026-05-26", "ratified: 2026-05-27"))
    ratification = git(repo, "log", "-1", "--format=%h").strip()
    [warning] = audit_lines(cli("check", folder))
    assert f"decisions.yaml:{line_of(decisions, 'ratified:', after='id: D3')}:" in warning
    assert f"D3 has changed since reunify recorded it (commit {ratification} on " in warning


def test_a_change_by_hand_swept_into_a_ratification_is_still_found(
    repo: Path, cli: Callable[..., Result]
) -> None:
    folder = add_sample(repo, "06-home-under-care-order", "cases/ef-0006", without_d3)
    assert cli("decide", "D3", folder, "--outcome", "reunify", "--date", "2026-05-19", "--by", "sm-lockwood",
               "--commit").code == 0
    decisions = folder / "decisions.yaml"
    decisions.write_text(decisions.read_text().replace("date: 2026-05-19", "date: 2026-05-18"))
    assert cli("decide", "D3", folder, "--ratify", "--date", "2026-05-26", "--by", "hos-hurst",
               "--commit").code == 0

    [warning] = audit_lines(cli("check", folder))
    assert f"decisions.yaml:{line_of(decisions, 'date: 2026-05-18')}:" in warning


def test_a_ratification_added_by_hand_is_a_change_by_hand(repo: Path, cli: Callable[..., Result]) -> None:
    folder = add_sample(repo, "06-home-under-care-order", "cases/ef-0006", without_d3)
    assert cli("decide", "D3", folder, "--outcome", "reunify", "--date", "2026-05-19", "--by", "sm-lockwood",
               "--commit").code == 0
    decisions = folder / "decisions.yaml"
    decisions.write_text(decisions.read_text() + "    ratified_by: hos-hurst\n    ratified: 2026-05-26\n")

    [warning] = audit_lines(cli("check", folder))
    assert f"decisions.yaml:{line_of(decisions, 'ratified_by:', after='id: D3')}:" in warning


def test_a_classification_changed_by_hand_after_confirmation(repo: Path, cli: Callable[..., Result]) -> None:
    folder = add_case(repo, case_yaml=CASE.replace("home: flat", "home: flat\ntrusted_adult: jo"),
                      events_yaml=EVENTS_TO_ASSESSMENT, decisions_yaml=DECISION_1, chronology_yaml=CHRONOLOGY,
                      assessment_yaml=ASSESSMENT)
    classified = cli("classify", "RC1", folder, "--level", "Medium", "--rationale", "Concerns remain",
                     "--recommended-by", "sw", "--recommended-by", "Tara Moss", "--date", "2026-10-25", "--commit")
    assert classified.code == 0, classified.err
    assert "cases/ab-0147: classify RC1 medium by sw, tm" in classified.out
    assert cli("classify", "RC1", folder, "--confirm", "--by", "sm", "--date", "2026-10-28", "--commit").code == 0
    assert audit_lines(cli("check", folder)) == []

    risk = folder / "risk.yaml"
    risk.write_text(risk.read_text().replace("level: medium", "level: low"))
    result = cli("check", folder)
    assert result.code == 0
    [warning] = audit_lines(result)
    assert f"risk.yaml:{line_of(risk, 'level:')}:" in warning
    assert "RC1 has changed since reunify recorded it" in warning and "not committed" in warning


def test_a_recorded_decision_removed_by_hand(repo: Path, cli: Callable[..., Result]) -> None:
    folder = add_case(repo, events_yaml=EVENTS_TO_SUPERVISION)
    assert cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm",
               "--commit").code == 0
    (folder / "decisions.yaml").write_text("decisions: []\n")

    [warning] = audit_lines(cli("check", folder))
    assert "decisions.yaml:1:1: warning: D1 was removed by hand after it was recorded" in warning


def test_entries_written_by_hand_from_the_start_are_not_audited(repo: Path, cli: Callable[..., Result]) -> None:
    folder = add_case(repo, events_yaml=EVENTS_TO_SUPERVISION, decisions_yaml=textwrap.dedent(DECISION_1))
    decisions = folder / "decisions.yaml"
    decisions.write_text(decisions.read_text().replace("2026-09-10", "2026-09-11"))

    assert audit_lines(cli("check", folder)) == []


# -- outside git, and without git ------------------------------------------------------


def test_outside_a_repository(tmp_path: Path, isolated_git: None, cli: Callable[..., Result]) -> None:
    folder = write_case(tmp_path / "case", {**BASE, "events.yaml": EVENTS_TO_SUPERVISION})

    shown = cli("history", folder, today=None)
    assert shown.code == 2
    assert shown.err.strip() == "error: not a git repository"

    result = cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm", "--commit")
    assert result.code == 1
    assert result.err.splitlines()[0] == "error: the record is written but not committed: not a git repository"
    assert "id: D1" in (folder / "decisions.yaml").read_text()

    checked = cli("check", folder)
    assert checked.code == 0, checked.out
    assert audit_lines(checked) == []
    assert checked.err == ""


def test_without_git_installed(repo: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
                               tmp_path: Path) -> None:
    folder = add_case(repo, events_yaml=EVENTS_TO_SUPERVISION)
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    assert cli("history", folder, today=None).err.strip() == "error: git is not installed"
    result = cli("decide", "D1", folder, "--outcome", "pursue", "--date", "2026-09-10", "--by", "tm", "--commit")
    assert result.code == 1
    assert result.err.splitlines()[0] == "error: the record is written but not committed: git is not installed"
    checked = cli("check", folder)
    assert checked.code == 0 and audit_lines(checked) == [] and checked.err == ""


def test_history_lists_uncommitted_files_and_a_case_never_committed(repo: Path, cli: Callable[..., Result]) -> None:
    folder = write_case(repo / "cases" / "new", BASE)

    shown = cli("history", folder, today=None)
    assert shown.code == 0, shown.err
    assert "Not committed: case.yaml, events.yaml, people.yaml" in shown.out
    assert "No commit touches this case yet." in shown.out


def test_git_that_does_not_answer_is_one_note_in_check(
    repo: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = add_case(repo, events_yaml=EVENTS_TO_SUPERVISION)

    def hang(args: list[str], **options: object) -> subprocess.CompletedProcess[bytes]:
        raise subprocess.TimeoutExpired(args, 10.0)

    monkeypatch.setattr(audit.subprocess, "run", hang)
    result = cli("check", folder)

    assert result.code == 0, result.out
    assert f"{folder}/decisions.yaml:1:1: note: the git history could not be read: git did not finish " \
           "within 10 seconds" in result.out
    assert cli("history", folder, today=None).err.strip() == "error: git did not finish within 10 seconds"


# -- a sibling group -----------------------------------------------------------------------


def test_a_childs_history_holds_the_familys_records_and_a_familys_every_childs(
        repo: Path, cli: Callable[..., Result]) -> None:
    family = repo / "cases" / "brackwell"
    assert cli("sample", "08", family, today=None).code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Add the family")
    meeting = cli("meeting", "tac", family, "--date", "2026-11-20", "--attendee", "sw-penhale", "--commit")
    assert meeting.code == 0, meeting.err
    visit = cli("visit", family / "ruby", "--date", "2026-11-21", "--announced", "--seen-alone", "--commit")
    assert visit.code == 0, visit.err

    def actions(folder: Path) -> list[str | None]:
        data = json.loads(cli("history", folder, "--json", today=None).out)
        return [commit["action"] for commit in data["commits"]]

    assert actions(family / "alfie") == ["meeting tac", None]  # the family's meeting; not Ruby's visit
    assert actions(family / "ruby") == ["visit", "meeting tac", None]
    assert actions(family) == ["visit", "meeting tac", None]
