"""The library API: everything from `import reunify` alone, on real case folders."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

import reunify

SAMPLES = Path(__file__).parent.parent / "reunify" / "sample_cases"
TODAY = dt.date(2026, 11, 23)
GIT_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
                 "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "EMAIL")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(SAMPLES / "03-medium-agreement-review", folder)
    return folder


@pytest.fixture
def repo_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case committed in a git repository of its own, with a local identity only."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in GIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "caseload"
    shutil.copytree(SAMPLES / "03-medium-agreement-review", root / "cases" / "wbc-007")
    git(root, "init", "-q")
    git(root, "config", "user.name", "Pat Example")
    git(root, "config", "user.email", "pat@example.org")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the case")
    return root / "cases" / "wbc-007"


def test_importing_the_package_loads_nothing_else() -> None:
    code = "import sys, reunify; print(sorted(m for m in sys.modules if m.startswith(('reunify.', 'pydantic', 'ruamel'))))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"


def test_load_evaluate_and_check_a_case(case: Path) -> None:
    loaded, problems = reunify.load_case(case)
    assert loaded is not None and loaded.case.reference == "WBC-RU-2026-007"
    assert not [p for p in problems if p.is_error]

    evaluation = reunify.evaluate(case, TODAY)
    assert evaluation.stage is not None
    assert [state.step.id for state in evaluation.next] == ["planning_review", "rc2"]

    assert [p for p in reunify.check([case], TODAY) if p.is_error] == []
    data = reunify.check_cases([case], TODAY).to_data()
    assert data["errors"] == 0 and data["cases"] == [{"case": str(case), "problems": []}]
    assert data["not_in_a_case"] == []


@pytest.mark.parametrize(("command", "view"), [("status", "status"), ("next", "next")])
def test_an_evaluation_as_data_is_what_the_command_prints_as_json(case: Path, command: str, view: str) -> None:
    evaluation = reunify.evaluate(case, TODAY)
    data = evaluation.to_data() if view == "status" else evaluation.to_data("next")
    printed = subprocess.run([sys.executable, "-m", "reunify", command, str(case), "--json", "--today",
                              TODAY.isoformat()], capture_output=True, text=True, check=False)
    assert printed.returncode == 0, printed.stderr
    assert json.loads(json.dumps(data)) == json.loads(printed.stdout)
    assert (data["case"], data["today"]) == (str(case), "2026-11-23")
    if view == "next":
        assert [step["step"] for step in data["next"]] == ["planning_review", "rc2"]
    else:
        assert [stage["id"] for stage in data["stages"]] == [stage.id for stage in evaluation.workflow.stages]


def test_a_case_that_cannot_be_read_raises_with_its_problems(case: Path) -> None:
    (case / "case.yaml").write_text("child: [\n", encoding="utf-8")
    with pytest.raises(reunify.Unreadable) as raised:
        reunify.evaluate(case, TODAY)
    assert raised.value.problems and raised.value.problems[0].file.name == "case.yaml"
    assert raised.value.problems[0].line is not None
    problems = reunify.check([case], TODAY)
    assert any(p.is_error and p.file.name == "case.yaml" for p in problems)


def test_record_commits_in_a_real_repository(repo_case: Path) -> None:
    root = repo_case.parent.parent
    done = reunify.record(repo_case, "visit", date=TODAY, by="Hannah Mistry", today=TODAY,
                          announced=True, seen_alone=True, commit=True)
    assert done.commit is not None and done.commit == git(root, "rev-parse", "--short", "HEAD").strip()
    assert done.recorded.files == [repo_case / "events.yaml"]
    message = git(root, "log", "-1", "--format=%B")
    assert message.startswith("cases/wbc-007: visit by sw-mistry\n")
    assert "Reunify-By: sw-mistry" in message and "Hannah" not in message  # ids only, never names
    assert git(root, "status", "--porcelain") == ""
    data = done.to_data()
    assert data["commit"] == done.commit and data["files"] == [str(repo_case / "events.yaml")]
    json.dumps(data)

    decided = reunify.record(repo_case, "meeting", "planning_review", date=TODAY, today=TODAY, commit=False)
    assert decided.commit is None
    assert git(root, "status", "--porcelain").strip() != ""  # written, not committed


def test_a_library_error_names_the_field_not_an_option(case: Path) -> None:
    before = (case / "events.yaml").read_bytes()
    with pytest.raises(reunify.ReunifyError) as raised:
        reunify.record(case, "visit", date=TODAY + dt.timedelta(days=3), by="sw-mistry", today=TODAY,
                       announced=True, seen_alone=True)
    assert getattr(raised.value, "field", None) == "date"
    assert str(raised.value).startswith("`date` 2026-11-26 is in the future")
    assert "--" not in str(raised.value)
    with pytest.raises(reunify.ReunifyError) as raised:
        reunify.record(case, "visit", date=TODAY, by="nobody-here", today=TODAY, announced=True, seen_alone=True)
    assert getattr(raised.value, "field", None) == "by"
    assert (case / "events.yaml").read_bytes() == before  # nothing written
    with pytest.raises(reunify.ReunifyError) as raised:
        reunify.record(case, "team-add", "Sam Example", role="juggler", today=TODAY)
    assert getattr(raised.value, "field", None) == "role"
    assert str(raised.value).startswith("`role` must be one of the workflow's roles")


def test_an_unknown_recording_is_named(case: Path) -> None:
    with pytest.raises(reunify.ReunifyError, match="unknown recording 'vist'"):
        reunify.record(case, "vist", today=TODAY)


def test_render_a_document_and_reopen_it(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rendering = reunify.render(case, out, TODAY, documents=["reunification_plan"])
    assert not rendering.failed, rendering.error
    assert rendering.written == [out / "reunification_plan.docx"]
    text = "\n".join(p.text for p in docx.Document(str(out / "reunification_plan.docx")).paragraphs)
    assert "WBC-RU-2026-007" in text or "Reunification" in text


def test_render_an_unknown_document_is_an_error(case: Path, tmp_path: Path) -> None:
    with pytest.raises(reunify.ReunifyError, match="unknown document"):
        reunify.render(case, tmp_path / "out", TODAY, documents=["no_such_document"])


def test_render_uses_the_caseload_profile_as_the_command_does(tmp_path: Path) -> None:
    """The authority's name from the profile heads the document, and a profile changed
    between two calls in one process is read again."""
    root = tmp_path / "caseload"
    shutil.copytree(SAMPLES / "03-medium-agreement-review", root / "03")
    profile = root / "reunify.yaml"

    def header(out: Path) -> str:
        rendering = reunify.render(root / "03", out, TODAY, documents=["reunification_plan"])
        assert not rendering.failed, rendering.error
        document = docx.Document(str(out / "reunification_plan.docx"))
        return " ".join(p.text for section in document.sections for p in section.header.paragraphs)

    profile.write_text("authority:\n  name: Northshire County Council\n", encoding="utf-8")
    assert "Northshire County Council" in header(tmp_path / "first")
    profile.write_text("authority:\n  name: Southvale Borough Council\n", encoding="utf-8")
    second = header(tmp_path / "second")
    assert "Southvale Borough Council" in second and "Northshire" not in second
