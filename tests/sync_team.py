"""A team on one caseload, with real git: a bare repository as the remote and clones of it.

Nothing depends on the machine: HOME and git's global configuration point into the
test's own folder, system configuration is off, and each clone has its own fictional
user.name and user.email. The remote is a local bare repository (a file path).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reunify.cli import main
from reunify.core.yamlio import load_file
from tests.conftest import SAMPLES
from tests.conftest import TODAY

GIT_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_AUTHOR_NAME",
                 "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                 "GIT_COMMITTER_DATE", "EMAIL", "GIT_SSH_COMMAND")

PEOPLE = {"a": ("Pat Example", "pat@example.org"), "b": ("Sam Rivers", "sam@example.org"),
          "c": ("Alex Morgan", "alex@example.org")}

SINGLE = "cases/ab-0003"  # sample 03: a parental agreement under review
FAMILY = "cases/fam-0008"  # sample 08: three brothers and sisters


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return " ".join((self.out + self.err).split())


def isolate(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """No global or system git configuration, no identity from the environment."""
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").touch()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("REUNIFY_TODAY", TODAY)
    for name in GIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=120).stdout


def reunify(*args: str | Path) -> Result:
    """`reunify ARGS` in this process (the day from REUNIFY_TODAY)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


def ok(result: Result) -> Result:
    assert result.code == 0, result.out + result.err
    return result


def identify(clone: Path, name: str) -> None:
    person, email = PEOPLE[name]
    git(clone, "config", "user.name", person)
    git(clone, "config", "user.email", email)


def make_team(root: Path, names: tuple[str, ...] = ("a", "b", "c")) -> dict[str, Path]:
    """A caseload made by `reunify init` in the first clone, shared through a bare remote,
    and cloned by the others (the second sets the driver up with `share`, the third not)."""
    remote = root / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, timeout=60)
    first = root / names[0]
    ok(reunify("init", first))
    identify(first, names[0])
    shutil.copytree(SAMPLES / "03-medium-agreement-review", first / SINGLE, ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(SAMPLES / "08-sibling-group", first / FAMILY, ignore=shutil.ignore_patterns("README.md"))
    git(first, "add", "-A")
    git(first, "commit", "-q", "-m", "The caseload")
    ok(reunify("share", first, "--remote", remote))
    ok(reunify("sync", first))
    clones = {names[0]: first}
    for index, name in enumerate(names[1:]):
        clone = root / name
        subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True, timeout=60)
        identify(clone, name)
        if index == 0:
            ok(reunify("share", clone))
        clones[name] = clone
    return clones


def entries(path: Path, *keys: str | int) -> list[dict]:  # type: ignore[type-arg]
    loaded = load_file(path)
    assert loaded.ok, loaded.problems
    value = loaded.data
    for key in keys:
        value = value[key]
    return value  # type: ignore[no-any-return]


def tree(clone: Path) -> str:
    return git(clone, "rev-parse", "HEAD^{tree}").strip()


def clean(clone: Path) -> None:
    """Nothing uncommitted, nothing unmerged, no merge in progress."""
    assert git(clone, "status", "--porcelain") == "", git(clone, "status")
    assert git(clone, "ls-files", "--unmerged") == ""
    assert not (clone / ".git" / "MERGE_HEAD").exists()


@contextlib.contextmanager
def moved(path: Path, to: Path) -> Iterator[None]:
    os.rename(path, to)
    try:
        yield
    finally:
        os.rename(to, path)
