"""Setting a caseload up to be shared: record files merged by meaning, and its remote.

`reunify init` does it for a caseload it makes a git repository; `reunify share` for
one that exists (and for each colleague's clone: git's configuration is not cloned).
Nothing is fetched or pushed here: the remote is only named.
"""

from __future__ import annotations

from pathlib import Path

from reunify.core.errors import Refused
from reunify.core.errors import ReunifyError
from reunify.core.files import LockTimeout
from reunify.core.files import file_lock
from reunify.practice.audit import REPOSITORY_LOCK
from reunify.practice.audit import _clear_stale_index_lock
from reunify.sync.driver import ATTRIBUTES_FILE
from reunify.sync.driver import configure
from reunify.sync.driver import write_attributes
from reunify.sync.git import Repository
from reunify.sync.git import first_line


def set_up_driver(root: Path) -> None:
    """For `reunify init`: the record files in `.gitattributes`, the driver in git's configuration."""
    write_attributes(root)
    configure(root)


def share(repo: Repository, url: str | None, name: str = "origin") -> list[str]:
    """Set the caseload in `repo` up to be shared; what was done, in words."""
    done = []
    if write_attributes(repo.root):
        done.append(f"Listed the case record files in {ATTRIBUTES_FILE}: they are merged by meaning.")
        done.append(_commit_attributes(repo))
    configure(repo.root)
    done.append("Set git up in this clone to merge case records by meaning (git pull and git merge too).")
    if url is not None:
        if not url.strip() or url.startswith("-"):
            raise ReunifyError("--remote: not a repository address")
        if name in repo.remotes():
            if repo.config(f"remote.{name}.url") != url:
                raise Refused(f"the remote '{name}' already points elsewhere",
                              [f"change it with: git remote set-url {name} URL"])
            done.append(f"The remote '{name}' is already this address.")
        else:
            repo.output("remote", "add", "--", name, url)
            done.append(f"Added the remote '{name}' (nothing is sent until reunify sync).")
    return done


def _commit_attributes(repo: Repository) -> str:
    message = f"Case records merged by meaning ({ATTRIBUTES_FILE}, reunify share)\n"
    try:
        with file_lock(repo.git_dir / REPOSITORY_LOCK, timeout=60.0):
            _clear_stale_index_lock(repo.git_dir)
            repo.output("add", "--", ATTRIBUTES_FILE)
            made = repo.run("commit", "--quiet", "--file=-", "--only", "--", ATTRIBUTES_FILE,
                            stdin=message.encode("utf-8"))
    except LockTimeout:
        return f"{ATTRIBUTES_FILE} is not committed yet (a recording was committing): reunify sync commits it."
    if made.returncode:
        return f"{ATTRIBUTES_FILE} is not committed yet ({first_line(made)}): reunify sync commits it."
    return f"Committed {ATTRIBUTES_FILE}."
