"""The reunify-check pre-commit hook, run by real pre-commit in a real caseload repository.

pre-commit installs the hook from a repository holding this checkout (committed to a
throwaway repository first, as pre-commit installs only committed code), exactly as an
authority's caseload would use it from its own copy of reunify.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import Result
from tests.terminal import reunify_env
from tests.test_installed import NOT_SHIPPED

GIT = shutil.which("git")
# pre-commit from the environment the tests run in (make test installs it with the dev extras).
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed: no repository to commit to")
needs_pre_commit = pytest.mark.skipif(not PRE_COMMIT.is_file(), reason="pre-commit is not installed beside "
                                      "this Python (make test installs it with the dev extras)")


def git(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert GIT is not None
    return subprocess.run([GIT, "-C", str(folder), *args], capture_output=True, text=True, check=False,
                          timeout=600, env=env)


def identity(folder: Path) -> None:
    git(folder, "config", "user.name", "Test Worker")
    git(folder, "config", "user.email", "worker@example.invalid")
    git(folder, "config", "commit.gpgsign", "false")


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout, committed to a repository of its own: (path, commit)."""
    folder = tmp_path_factory.mktemp("hooks") / "reunify"
    shutil.copytree(ROOT, folder, ignore=NOT_SHIPPED)
    git(folder, "init", "-q")
    identity(folder)
    git(folder, "add", "-A")
    made = git(folder, "commit", "-q", "-m", "reunify as it stands")
    assert made.returncode == 0, made.stderr
    return folder, git(folder, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def caseload(hook_repository: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A caseload repository with sample 03 committed and the hook installed."""
    hooks, commit = hook_repository
    folder = tmp_path_factory.mktemp("caseload") / "cases"
    folder.mkdir()
    git(folder, "init", "-q")
    identity(folder)
    (folder / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {commit}\n    hooks:\n      - id: reunify-check\n", encoding="utf-8")
    shutil.copytree(SAMPLES / "03-medium-agreement-review", folder / "ab-0003")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "REUNIFY_DEBUG")}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["REUNIFY_TODAY"] = "2026-11-23"
    env["NO_COLOR"] = "1"
    env["PATH"] = os.pathsep.join([str(PRE_COMMIT.parent), env.get("PATH", "")])
    installed = subprocess.run([PRE_COMMIT, "install"], cwd=folder, capture_output=True, text=True, check=False,
                               env=env, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git(folder, "add", "-A")
    first = git(folder, "commit", "-q", "-m", "Add case AB-0003", env=env)  # installs the hook's environment
    assert first.returncode == 0, first.stdout + first.stderr
    return folder, env


@needs_git
@needs_pre_commit
def test_committing_a_broken_record_is_refused_with_its_location(caseload: tuple[Path, dict[str, str]]) -> None:
    folder, env = caseload
    record = folder / "ab-0003" / "risk.yaml"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("level: medium", "level: mediun", 1), encoding="utf-8")
    try:
        git(folder, "add", "ab-0003/risk.yaml")
        refused = git(folder, "commit", "-q", "-m", "A typo", env=env)
        shown = refused.stdout + refused.stderr
        assert refused.returncode != 0, shown
        assert "reunify check" in shown and "Failed" in shown
        assert "ab-0003/risk.yaml:" in shown and "error:" in shown
        assert git(folder, "log", "--oneline").stdout.count("\n") == 1  # nothing was committed
    finally:
        record.write_text(good, encoding="utf-8")
        git(folder, "add", "ab-0003/risk.yaml")


@needs_git
@needs_pre_commit
def test_committing_a_good_record_passes(caseload: tuple[Path, dict[str, str]]) -> None:
    folder, env = caseload
    record = folder / "ab-0003" / "chronology.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "  - date: 2026-11-20\n    event: A quiet week.\n"
                      "    source: Case record\n", encoding="utf-8")
    git(folder, "add", "ab-0003/chronology.yaml")
    made = git(folder, "commit", "-q", "-m", "A chronology entry", env=env)
    assert made.returncode == 0, made.stdout + made.stderr
    assert git(folder, "log", "-1", "--format=%s").stdout.strip() == "A chronology entry"


# -- reunify check FILE...: what the hook runs -------------------------------------------------


def test_check_on_a_broken_file_exits_1(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(SAMPLES / "03-medium-agreement-review", case)
    (case / "case.yaml").write_text((case / "case.yaml").read_text(encoding="utf-8") + "extra: 1\n",
                                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "reunify", "check", "case/case.yaml"], cwd=tmp_path,
                          capture_output=True, text=True, check=False, env=reunify_env(), timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "case/case.yaml:" in done.stdout and "error:" in done.stdout


def test_check_of_files_checks_each_case_once(tmp_path: Path, cli: Callable[..., Result]) -> None:
    for name in ("03-medium-agreement-review", "04-high-over-six-months"):
        shutil.copytree(SAMPLES / name, tmp_path / name)
    files = [tmp_path / "03-medium-agreement-review" / "case.yaml", tmp_path / "03-medium-agreement-review" / "risk.yaml",
             tmp_path / "04-high-over-six-months" / "people.yaml", tmp_path / "03-medium-agreement-review"]
    result = cli("check", *files, "--json")
    assert result.code in (0, 1), result.err
    checked = [item["case"] for item in json.loads(result.out)["cases"]]
    assert checked == [str(tmp_path / "03-medium-agreement-review"), str(tmp_path / "04-high-over-six-months")]


def test_check_notes_a_file_in_no_case(tmp_path: Path, cli: Callable[..., Result]) -> None:
    shutil.copytree(SAMPLES / "03-medium-agreement-review", tmp_path / "case")
    (tmp_path / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    result = cli("check", tmp_path / "notes.yaml", tmp_path / "case" / "case.yaml")
    assert result.code == 0, result.out + result.err
    assert f"{tmp_path / 'notes.yaml'}: note: not in a case folder" in result.out
    assert "1 case checked: no problems" in result.out


def test_check_of_a_missing_file_exits_2(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("check", tmp_path / "gone.yaml")
    assert result.code == 2
    assert "gone.yaml: no such folder or file" in result.err


def test_check_of_a_caseload_profile_checks_every_case_under_it(tmp_path: Path, cli: Callable[..., Result]) -> None:
    # The hook passes reunify.yaml when it changes: a broken profile breaks every case.
    for name in ("03-medium-agreement-review", "06-home-under-care-order"):
        shutil.copytree(SAMPLES / name, tmp_path / "cases" / name)
    (tmp_path / "reunify.yaml").write_text("workflow: nowhere.yaml\n", encoding="utf-8")
    result = cli("check", tmp_path / "reunify.yaml")
    assert result.code == 1, result.out
    assert "reunify.yaml:1:11: error: no such workflow file" in result.out
    assert "in 2 cases" in result.out
