"""`reunify sync` when things go wrong: the remote vanishes, a hook refuses, the process is
killed part way, the records have errors. No recording is ever lost, and the next sync
completes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.sync_team import SINGLE
from tests.sync_team import clean
from tests.sync_team import entries
from tests.sync_team import git
from tests.sync_team import isolate
from tests.sync_team import make_team
from tests.sync_team import moved
from tests.sync_team import ok
from tests.sync_team import reunify
from tests.sync_team import tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ROOT = Path(__file__).resolve().parent.parent

# A git that stops before one subcommand (named in REUNIFY_TEST_STALL) and says so, so
# that a sync can be killed exactly there.
STALLING_GIT = """\
#!/bin/sh
for arg in "$@"; do
    case "$arg" in -*) continue ;; esac
    if [ "$arg" = "$REUNIFY_TEST_STALL" ]; then
        : > "$REUNIFY_TEST_STALLED"
        sleep 120
    fi
    break
done
exec {git} "$@"
"""


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    isolate(monkeypatch, tmp_path)
    return make_team(tmp_path, ("a", "b"))


def visit(clone: Path, day: str, *extra: str) -> None:
    ok(reunify("visit", clone / SINGLE, "--date", day, "--by", "sw-mistry", "--announced", "--seen-alone", *extra))


def visit_days(clone: Path) -> list[str]:
    return [str(v["date"]) for v in entries(clone / SINGLE / "events.yaml", "visits")]


def synced(clone: Path) -> dict:  # type: ignore[type-arg]
    result = reunify("sync", clone, "--json")
    assert result.code == 0, result.out + result.err
    data = json.loads(result.out)
    assert data["status"] in ("synced", "up to date"), data
    return data  # type: ignore[no-any-return]


def test_the_remote_vanishes_and_the_next_sync_completes(team: dict[str, Path], tmp_path: Path) -> None:
    a, b = team["a"], team["b"]
    visit(a, "2026-11-02")
    visit(a, "2026-11-03", "--no-commit")
    with moved(tmp_path / "remote.git", tmp_path / "elsewhere.git"):
        result = reunify("sync", a)
        assert result.code == 2, result.out + result.err
        assert "could not reach the remote 'origin'" in result.text and "everything recorded here is committed" \
            in result.text and "Traceback" not in result.text
        assert len(result.err.strip().splitlines()) == 1
        clean(a)  # the recording not committed is committed now, and kept
        assert {"2026-11-02", "2026-11-03"} <= set(visit_days(a))
    synced(a)
    synced(b)
    assert {"2026-11-02", "2026-11-03"} <= set(visit_days(b))


def test_a_hook_that_refuses_the_push_is_quoted_and_nothing_is_lost(team: dict[str, Path], tmp_path: Path) -> None:
    a, b = team["a"], team["b"]
    hook = tmp_path / "remote.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed for maintenance' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    visit(a, "2026-11-02")
    result = reunify("sync", a)
    assert result.code == 1, result.out + result.err
    assert "refused the push" in result.text and "pushes are closed for maintenance" in result.text
    assert "2026-11-02" in visit_days(a)
    clean(a)
    hook.unlink()
    assert synced(a)["pushed"] == 1
    synced(b)
    assert "2026-11-02" in visit_days(b)


@pytest.mark.parametrize("step", ["commit", "fetch", "commit-tree", "merge", "push"])
def test_killed_part_way_nothing_is_lost_and_the_next_sync_completes(team: dict[str, Path], tmp_path: Path,
                                                                     step: str) -> None:
    a, b = team["a"], team["b"]
    visit(b, "2026-11-09")
    synced(b)  # so that a has something to merge
    visit(a, "2026-11-02")
    visit(a, "2026-11-03", "--no-commit")  # so that a has something to commit first
    stalled = tmp_path / "stalled"
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    wrapper = bin_folder / "git"
    wrapper.write_text(STALLING_GIT.format(git=shutil.which("git")), encoding="utf-8")
    wrapper.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_folder}{os.pathsep}{os.environ['PATH']}", REUNIFY_TEST_STALL=step,
               REUNIFY_TEST_STALLED=str(stalled), PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "reunify", "sync", str(a)], env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not stalled.exists():
            assert process.poll() is None, f"the sync ended before {step}"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert {"2026-11-02", "2026-11-03"} <= set(visit_days(a))  # nothing lost by the kill
    synced(a)
    clean(a)
    synced(b)
    assert tree(a) == tree(b)
    for clone in (a, b):
        days = visit_days(clone)
        assert [day for day in days if day.startswith("2026-11")] == ["2026-11-02", "2026-11-03", "2026-11-09"]


def test_stopped_part_way_by_sigterm_says_so_and_the_next_sync_completes(team: dict[str, Path],
                                                                         tmp_path: Path) -> None:
    a, b = team["a"], team["b"]
    visit(a, "2026-11-02")
    stalled = tmp_path / "stalled"
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "git").write_text(STALLING_GIT.format(git=shutil.which("git")), encoding="utf-8")
    (bin_folder / "git").chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_folder}{os.pathsep}{os.environ['PATH']}", REUNIFY_TEST_STALL="push",
               REUNIFY_TEST_STALLED=str(stalled), PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "reunify", "sync", str(a)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not stalled.exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, said = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM and "stopped" in said and "Traceback" not in said
    synced(a)
    synced(b)
    assert "2026-11-02" in visit_days(b)


def test_errors_in_the_records_stop_the_push_and_are_shown(team: dict[str, Path]) -> None:
    a, b = team["a"], team["b"]
    events = a / SINGLE / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + "visits:\n  - date: 2026-11-05\n    by: nobody\n",
                      encoding="utf-8")
    before = git(b, "ls-remote", "origin")
    result = reunify("sync", a)
    assert result.code == 1, result.out
    assert "Not pushed" in result.text and f"{SINGLE}/events.yaml:" in result.out and "error" in result.out
    assert git(b, "ls-remote", "origin") == before
    clean(a)  # committed here, never lost
    events.write_text(events.read_text(encoding="utf-8").replace("by: nobody", "by: sw-mistry\n    announced: true\n"
                                                                 "    seen_alone: true"), encoding="utf-8")
    assert synced(a)["pushed"] == 2
    synced(b)
    assert "2026-11-05" in visit_days(b)


def test_what_is_not_committed_is_committed_first_and_other_new_files_are_left(team: dict[str, Path]) -> None:
    a = team["a"]
    visit(a, "2026-11-02", "--no-commit")
    (a / "notes.txt").write_text("fictional notes\n", encoding="utf-8")
    data = synced(a)
    assert data["committed"] == [f"{SINGLE}/events.yaml"] and data["not_shared"] == ["notes.txt"]
    assert git(a, "status", "--porcelain") == "?? notes.txt\n"
    assert "changes not committed before sync" in git(a, "log", "-1", "--format=%s")


def test_what_sync_will_not_do(team: dict[str, Path], tmp_path: Path) -> None:
    a, b = team["a"], team["b"]
    alone = tmp_path / "alone"
    alone.mkdir()
    result = reunify("sync", alone)
    assert result.code == 2 and "not in a git repository" in result.err and "Traceback" not in result.err
    git(a, "remote", "remove", "origin")
    result = reunify("sync", a)
    assert result.code == 2 and "no remote to sync with" in result.err
    # A merge started by hand is left for whoever started it.
    (b / "x.txt").write_text("one\n", encoding="utf-8")
    git(b, "add", "x.txt")
    git(b, "commit", "-qm", "x")
    git(b, "checkout", "-qb", "side", "HEAD~1")
    (b / "x.txt").write_text("two\n", encoding="utf-8")
    git(b, "add", "x.txt")
    git(b, "commit", "-qm", "x")
    subprocess.run(["git", "merge", "-q", "master"], cwd=b, capture_output=True, check=False)
    result = reunify("sync", b)
    assert result.code == 2 and "a merge is in progress" in result.err
    assert (b / ".git" / "MERGE_HEAD").exists()


def test_git_pull_by_hand_in_a_shared_clone_merges_records_by_meaning(team: dict[str, Path]) -> None:
    a, b = team["a"], team["b"]  # b ran 'reunify share': git itself uses the driver there
    visit(a, "2026-11-02")
    synced(a)
    visit(b, "2026-11-09")
    pulled = subprocess.run(["git", "pull", "-q", "--no-rebase", "--no-edit"], cwd=b, capture_output=True,
                            text=True, check=False, timeout=120)
    assert pulled.returncode == 0, pulled.stderr
    clean(b)
    assert [d for d in visit_days(b) if d.startswith("2026-11")] == ["2026-11-02", "2026-11-09"]
    # A clash: git's own markers in the file, and the record and field named.
    git(b, "push", "-q")
    synced(a)
    for clone, level in ((b, "high"), (a, "low")):
        path = clone / SINGLE / "risk.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("level: medium", f"level: {level}", 1),
                        encoding="utf-8")
        git(clone, "commit", "-qam", "RC1 corrected")
    git(b, "push", "-q")
    pulled = subprocess.run(["git", "pull", "--no-rebase", "--no-edit"], cwd=a, capture_output=True, text=True,
                            check=False, timeout=120)
    assert pulled.returncode == 1
    said = " ".join(pulled.stderr.split())
    assert (f"reunify: {SINGLE}/risk.yaml:" in said and "clash: classification RC1, the field 'level': changed "
            "here and in the other version, differently" in said), pulled.stderr
    assert "<<<<<<< here" in (a / SINGLE / "risk.yaml").read_text(encoding="utf-8")


def test_the_merge_driver_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    result = reunify("merge-driver", tmp_path / "o", tmp_path / "a", tmp_path / "b", "cases/x/events.yaml")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_what_arrives_is_owner_only_whatever_the_umask(team: dict[str, Path]) -> None:
    a, b = team["a"], team["b"]
    shutil.copytree(SAMPLES / "01-newly-identified-s20", a / "cases" / "ab-0001",
                    ignore=shutil.ignore_patterns("README.md"))
    visit(a, "2026-11-02")
    synced(a)  # commits the new case, and pushes it

    def open_umask() -> None:
        os.umask(0o022)

    done = subprocess.run([sys.executable, "-m", "reunify", "sync", str(b)], capture_output=True, text=True,
                          check=False, timeout=300, preexec_fn=open_umask, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stdout + done.stderr
    arrived = [b / "cases" / "ab-0001", *sorted((b / "cases" / "ab-0001").iterdir()), b / SINGLE / "events.yaml"]
    for path in arrived:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
