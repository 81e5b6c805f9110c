"""The server side: `reunify check` as the caseload's bare repository's pre-receive hook and
as a CI job, exactly as the README shows them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync_team import SINGLE
from tests.sync_team import git
from tests.sync_team import isolate
from tests.sync_team import make_team
from tests.sync_team import ok
from tests.sync_team import reunify

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ROOT = Path(__file__).resolve().parent.parent

# The README's example, word for word.
PRE_RECEIVE = """\
#!/bin/sh
# hooks/pre-receive in the caseload's bare repository: refuse a push whose records
# have errors. The server needs git, tar and reunify (on the PATH of the git user).
zero=$(git hash-object --stdin </dev/null | tr '0-9a-f' '0')
status=0
while read -r old new ref; do
    [ "$new" = "$zero" ] && continue                    # a branch deleted
    tree=$(mktemp -d) || exit 1
    git archive "$new" | tar -x -C "$tree"
    [ "$old" = "$zero" ] && old=$(git hash-object -t tree /dev/null)  # a new branch: all
    # the records this push changes, each standing for its case
    git diff -z --name-only --diff-filter=d "$old" "$new" -- '*.yaml' |
        (cd "$tree" && xargs -0 -r reunify check) || {
        echo "refused: $ref: reunify check found errors in the records above" >&2
        status=1
    }
    rm -rf "$tree"
done
exit $status
"""

CI_COMMAND = "reunify check reunify.yaml"  # the CI job's one step, in a checkout of the caseload


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    isolate(monkeypatch, tmp_path)
    # The hook runs this reunify, as the server's would be on its PATH.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    clones = make_team(tmp_path, ("a", "b"))
    hook = tmp_path / "remote.git" / "hooks" / "pre-receive"
    hook.write_text(PRE_RECEIVE, encoding="utf-8")
    hook.chmod(0o755)
    return clones


def push(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "push", *args], cwd=clone, capture_output=True, text=True, check=False,
                          timeout=300)


def break_a_visit(clone: Path) -> None:
    events = clone / SINGLE / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + "visits:\n  - date: 2026-11-05\n    by: nobody\n",
                      encoding="utf-8")
    git(clone, "commit", "-qam", "A visit written by hand")


def test_the_hook_lets_good_records_in(team: dict[str, Path]) -> None:
    a = team["a"]
    ok(reunify("visit", a / SINGLE, "--date", "2026-11-02", "--by", "sw-mistry", "--announced", "--seen-alone"))
    assert ok(reunify("sync", a)).text.endswith("Pushed 1 commit to origin/master.")


def test_the_hook_refuses_records_with_errors_pushed_past_reunify_sync(team: dict[str, Path],
                                                                       tmp_path: Path) -> None:
    a = team["a"]
    break_a_visit(a)
    before = git(a, "ls-remote", "origin")
    pushed = push(a)
    assert pushed.returncode != 0
    said = pushed.stderr
    assert re.search(rf"remote: {re.escape(SINGLE)}/events\.yaml:\d+:\d+: error: ", said), said
    assert "refused: refs/heads/master: reunify check found errors" in said
    assert git(a, "ls-remote", "origin") == before
    # A new branch is checked whole.
    assert push(a, "origin", "HEAD:refs/heads/elsewhere").returncode != 0
    git(a, "reset", "-q", "--hard", "HEAD~1")
    assert push(a, "origin", "HEAD:refs/heads/elsewhere").returncode == 0


def test_the_ci_job_checks_every_case_of_a_checkout(team: dict[str, Path]) -> None:
    b = team["b"]
    command = [*CI_COMMAND.split()]
    good = subprocess.run(command, cwd=b, capture_output=True, text=True, check=False, timeout=300)
    assert good.returncode == 0 and "4 cases checked" in good.stdout, good.stdout + good.stderr
    break_a_visit(b)
    bad = subprocess.run(command, cwd=b, capture_output=True, text=True, check=False, timeout=300)
    assert bad.returncode == 1 and f"{SINGLE}/events.yaml:" in bad.stdout


def test_the_readme_shows_the_hook_that_is_tested() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if "hooks/pre-receive" not in readme:
        pytest.skip("the README has no server-side section yet")
    assert PRE_RECEIVE in readme and CI_COMMAND in readme
