"""The git calls of sharing a caseload: one repository, run as processes, never through a shell.

As in `reunify.practice.audit` (the audit trail's git calls): always with a time limit, never
waiting for a password, with paths NUL-separated so that none is misread. Only the
remote the user configured is ever reached (`fetch` and `push`).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reunify.practice.audit import GitError
from reunify.practice.audit import NoRepository
from reunify.practice.audit import work_tree
from reunify.practice.history import batch_blobs
from reunify.practice.history import batch_request

LOCAL_TIMEOUT = 120.0  # seconds: a commit runs the user's hooks
NETWORK_TIMEOUT = 300.0  # seconds: fetching or pushing over a slow line
ZERO = "0" * 40


@dataclass(frozen=True)
class Changed:
    """One file changed between two commits (``git diff-tree --raw``)."""

    path: str
    status: str  # A, M, D, T
    mode: str  # the new mode ('000000' when deleted)
    blob: str  # the new blob (zeros when deleted)


class Unreachable(GitError):
    """The remote could not be reached, or refused to talk."""


def _owner_only() -> None:
    os.umask(0o077)  # in the child only: records and case folders git writes are the owner's alone


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def first_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """Git's own explanation, shortened to one line."""
    for line in (_text(result.stderr) + "\n" + _text(result.stdout)).splitlines():
        line = line.strip()
        if line and not line.startswith(("hint:", "***")):
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return f"exit status {result.returncode}, nothing said"


class Repository:
    """A git work tree: its top folder and its git folder."""

    def __init__(self, folder: Path) -> None:
        self.root = work_tree(folder)
        found = self.run("rev-parse", "--git-dir")
        if found.returncode:
            raise NoRepository(first_line(found))
        path = Path(_text(found.stdout).strip())
        self.git_dir = path if path.is_absolute() else self.root / path

    def run(self, *args: str, stdin: bytes = b"", timeout: float = LOCAL_TIMEOUT,
            env: dict[str, str] | None = None, private: bool = False) -> subprocess.CompletedProcess[bytes]:
        """git ARGS in the work tree; `private`: what it writes there is owner-only, whatever the umask."""
        environment = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C", **(env or {}))
        environment.pop("GIT_MERGE_AUTOEDIT", None)
        try:
            return subprocess.run(["git", "--literal-pathspecs", *args], cwd=self.root, input=stdin,
                                  capture_output=True, timeout=timeout, env=environment, check=False,
                                  preexec_fn=_owner_only if private else None)
        except FileNotFoundError:
            raise NoRepository("git is not installed") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} did not finish within {timeout:.0f} seconds") from None
        except OSError as exc:
            raise GitError(f"git could not be run ({(exc.strerror or 'error').lower()})") from None

    def output(self, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> str:
        result = self.run(*args, stdin=stdin, env=env)
        if result.returncode:
            raise GitError(f"git {args[0]} failed: {first_line(result)}")
        return _text(result.stdout)

    # -- where things stand ---------------------------------------------------------------

    def commit_of(self, name: str) -> str | None:
        found = self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
        return _text(found.stdout).strip() or None if found.returncode == 0 else None

    def branch(self) -> str | None:
        """The branch checked out (None when HEAD is detached)."""
        found = self.run("symbolic-ref", "--quiet", "--short", "HEAD")
        return _text(found.stdout).strip() or None if found.returncode == 0 else None

    def config(self, key: str) -> str | None:
        found = self.run("config", "--get", key)
        return _text(found.stdout).strip() or None if found.returncode == 0 else None

    def remotes(self) -> list[str]:
        return self.output("remote").split()

    def in_progress(self) -> str | None:
        """What git is in the middle of, by hand (a merge, a rebase), if anything."""
        for name, what in (("MERGE_HEAD", "a merge"), ("rebase-merge", "a rebase"), ("rebase-apply", "a rebase"),
                           ("CHERRY_PICK_HEAD", "a cherry-pick"), ("REVERT_HEAD", "a revert")):
            if (self.git_dir / name).exists():
                return what
        return None

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.run("merge-base", "--is-ancestor", older, newer).returncode == 0

    def merge_base(self, ours: str, theirs: str) -> str | None:
        found = self.run("merge-base", ours, theirs)
        return _text(found.stdout).strip() or None if found.returncode == 0 else None

    def count(self, revisions: str) -> int:
        """The recordings and edits among `revisions` (merges are not counted)."""
        return int(self.output("rev-list", "--count", "--no-merges", revisions).strip() or 0)

    def authors(self, revisions: str) -> list[str]:
        return sorted(set(self.output("log", "--no-merges", "--format=%an", revisions).splitlines()) - {""})

    def changed(self, old: str, new: str) -> list[Changed]:
        """Files that differ from `old` to `new` (renames as a removal and an addition)."""
        out = self.output("diff-tree", "-r", "-z", "--raw", "--no-renames", "--no-abbrev", old, new)
        parts = iter(out.split("\0"))
        found = []
        for meta in parts:
            if not meta.startswith(":"):
                continue
            path = next(parts, "")
            _, mode, _, blob, status = meta[1:].split(" ")
            found.append(Changed(path, status[:1], mode, blob))
        return found

    def files_changed(self, old: str | None, new: str) -> list[str]:
        if old is None:
            return self.output("ls-tree", "-r", "-z", "--name-only", new).split("\0")[:-1]
        return [change.path for change in self.changed(old, new)]

    def status(self) -> Iterator[tuple[str, str]]:
        """(two-letter status, path) of each change in the work tree and index."""
        out = self.output("status", "--porcelain=v1", "-z", "--untracked-files=all")
        items = iter(out.split("\0"))
        for item in items:
            if len(item) < 4:
                continue
            if "R" in item[:2] or "C" in item[:2]:
                next(items, None)
            yield item[:2], item[3:]

    # -- objects ----------------------------------------------------------------------------

    def blobs(self, names: Sequence[str]) -> dict[str, bytes | None]:
        """The content of each object name ('commit:path' or a blob id); None where missing."""
        if not names:
            return {}
        result = self.run("cat-file", "--batch", stdin=batch_request(names))
        if result.returncode:
            raise GitError(f"git cat-file failed: {first_line(result)}")
        return batch_blobs(result.stdout, names)

    def write_blobs(self, contents: Sequence[bytes]) -> list[str]:
        """Store each content as a blob: their ids, in order (one process for all)."""
        ids = []
        for content in contents:  # --stdin takes one object; a batch would need files on disk
            ids.append(self.output("hash-object", "-w", "--stdin", stdin=content).strip())
        return ids

    def tree_with(self, commit: str, entries: Sequence[tuple[str, str, str]]) -> str:
        """The tree of `commit` with each (mode, blob, path) set (mode '0': removed)."""
        index = self.git_dir / "reunify-sync-index"
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            self.output("read-tree", commit, env=env)
            lines = "".join(f"{mode} {blob}\t{path}\0" if mode != "0" else f"0 {ZERO}\t{path}\0"
                            for mode, blob, path in entries)
            self.output("update-index", "-z", "--index-info", stdin=lines.encode("utf-8"), env=env)
            return self.output("write-tree", env=env).strip()
        finally:
            index.unlink(missing_ok=True)

    def commit_tree(self, tree: str, parents: Sequence[str], message: str) -> str:
        args = [arg for parent in parents for arg in ("-p", parent)]
        result = self.run("commit-tree", tree, *args, "-F", "-", stdin=message.encode("utf-8"))
        if result.returncode:
            said = _text(result.stderr).lower()
            if "tell me who you are" in said or "empty ident" in said or "unable to auto-detect" in said:
                raise GitError("git does not know who you are (set user.name and user.email with 'git config')")
            raise GitError(f"git could not make the merge commit: {first_line(result)}")
        return _text(result.stdout).strip()

    # -- the remote -------------------------------------------------------------------------

    def fetch(self, remote: str, branch: str) -> str | None:
        """Fetch the remote's branch: its commit, or None when the remote has no such branch yet."""
        tracking = f"refs/remotes/{remote}/{branch}"
        result = self.run("fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--no-write-fetch-head",
                          remote, f"+refs/heads/{branch}:{tracking}", timeout=NETWORK_TIMEOUT)
        if result.returncode:
            said = _text(result.stderr).lower()
            if "couldn't find remote ref" in said:
                return None
            raise Unreachable(first_line(result))
        return self.commit_of(tracking)

    def push(self, remote: str, commit: str, branch: str) -> tuple[str, list[str]]:
        """Push `commit` to the remote's branch: ('pushed' | 'behind' | 'refused', the remote's words)."""
        result = self.run("push", "--porcelain", "--no-recurse-submodules", remote, f"{commit}:refs/heads/{branch}",
                          timeout=NETWORK_TIMEOUT)
        out, said = _text(result.stdout), _text(result.stderr)
        remote_words = [line[len("remote:"):].strip() for line in said.splitlines() if line.startswith("remote:")]
        remote_words = [line for line in remote_words if line]
        flags = [line.split("\t")[0] for line in out.splitlines() if "\t" in line]
        if result.returncode == 0:
            return "pushed", remote_words
        if "!" in flags and ("[rejected]" in out or "fetch first" in out or "non-fast-forward" in out):
            return "behind", remote_words
        if "[remote rejected]" in out:
            reason = next((line.split("(", 1)[1].rstrip(")") for line in out.splitlines()
                           if "[remote rejected]" in line and "(" in line), "refused")
            return "refused", [*remote_words, f"({reason})"]
        raise Unreachable(first_line(result))
