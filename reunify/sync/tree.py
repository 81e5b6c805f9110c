"""Two commits merged in memory: the merged tree, or the clashes that stop it.

Nothing in the work tree is touched: the merge is made from git's objects (a file
changed on one side only is taken from that side; a record file changed on both is
merged by meaning, `reunify.sync.merge`; any other file changed on both, line by line
with ``git merge-file``) and becomes a commit only when nothing clashes. The work tree
then moves to it in one fast-forward, so a sync that stops part way leaves the caseload
as it was.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from pathlib import PurePosixPath

from reunify.core.files import FILE_MODE
from reunify.core.files import write_atomic
from reunify.core.parallel import chunked
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.core.yamlio import MAX_BYTES
from reunify.core.yamlio import Locator
from reunify.sync.git import Changed
from reunify.sync.git import Repository
from reunify.sync.merge import MergedRecord
from reunify.sync.merge import is_record_file
from reunify.sync.merge import merge_record

REGULAR = ("100644", "100755")
PARALLEL_FROM = 32  # record files to merge: below this, starting processes costs more than it saves


@dataclass
class TreeMerge:
    """The merged tree (None when something clashed), and what was merged how."""

    tree: str | None
    by_meaning: list[str] = field(default_factory=list)  # record files merged entry by entry
    as_text: list[str] = field(default_factory=list)  # other files merged line by line
    clashes: list[Problem] = field(default_factory=list)


def _decoded(blob: bytes | None) -> str | None:
    if blob is None or len(blob) > MAX_BYTES:
        return None
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _file_clash(repo: Repository, path: str, message: str) -> Problem:
    return Problem(repo.root / path, (), message, Severity.ERROR, code="merge").at(1, 1)


def _text_merge(base: bytes | None, ours: bytes, theirs: bytes) -> bytes | None:
    """`git merge-file` on the three versions: the merged bytes, or None when lines clash."""
    if b"\0" in ours or b"\0" in theirs or (base is not None and b"\0" in base):
        return None  # not text
    with tempfile.TemporaryDirectory(prefix="reunify-merge-") as folder:
        paths = []
        for name, content in (("ours", ours), ("base", base or b""), ("theirs", theirs)):
            path = Path(folder) / name
            write_atomic(path, content, FILE_MODE)
            paths.append(str(path))
        result = subprocess.run(["git", "merge-file", "-p", "--quiet", *paths], capture_output=True, check=False,
                                timeout=60, env=dict(os.environ, LC_ALL="C"))
    return result.stdout if result.returncode == 0 else None


def _locate(repo: Repository, path: str, problems: list[Problem]) -> list[Problem]:
    """Clashes with the line and column of the field in this side's file (the work tree's,
    which is this side's version: everything is committed before a merge)."""
    locator = Locator()
    return [locator.locate(p) if (repo.root / path).is_file() else p.at(1, 1) for p in problems]


def _merge_chunk(jobs: list[tuple[str, str | None, str, str]]) -> list[MergedRecord]:
    return [merge_record(*job) for job in jobs]


def _merge_records(jobs: dict[str, tuple[str, str | None, str, str]]) -> dict[str, MergedRecord]:
    """Each record file merged by meaning: in parallel processes when there are many."""
    merged = chunked(_merge_chunk, list(jobs.values()), least=PARALLEL_FROM, smallest=1)
    return dict(zip(jobs, merged, strict=True))


def merge_commits(repo: Repository, base: str, ours: str, theirs: str, other: str) -> TreeMerge:
    """The tree of `ours` with the changes `theirs` made since `base`.

    `other` says where the other side is, in messages ("on the remote").
    """
    mine = {c.path: c for c in repo.changed(base, ours)}
    yours = {c.path: c for c in repo.changed(base, theirs)}
    result = TreeMerge(None)
    entries: list[tuple[str, str, str]] = []
    both: list[tuple[Changed, Changed]] = []
    for path, change in yours.items():
        here = mine.get(path)
        if here is None:
            entries.append((change.mode if change.status != "D" else "0", change.blob, path))
        elif (here.mode, here.blob) != (change.mode, change.blob):
            both.append((here, change))
    blobs = repo.blobs([name for here, _ in both for name in (f"{base}:{here.path}", here.blob)]
                       + [change.blob for _, change in both])
    jobs: dict[str, tuple[str, str | None, str, str]] = {}
    for here, change in both:
        if "D" in (here.status, change.status):
            result.clashes.append(_file_clash(repo, here.path, f"the file was removed on one side and changed on "
                                              f"the other ({'here' if here.status == 'D' else other})"))
        elif here.mode not in REGULAR or change.mode not in REGULAR:
            result.clashes.append(_file_clash(repo, here.path, f"changed here and {other}, differently"))
        elif is_record_file(PurePosixPath(here.path).name):
            texts = (_decoded(blobs[f"{base}:{here.path}"]), _decoded(blobs[here.blob]), _decoded(blobs[change.blob]))
            if texts[1] is not None and texts[2] is not None and (blobs[f"{base}:{here.path}"] is None
                                                                  or texts[0] is not None):
                jobs[here.path] = (PurePosixPath(here.path).name, texts[0], texts[1], texts[2])
    records = _merge_records(jobs)
    merged_paths: list[str] = []
    contents: list[bytes] = []
    for here, change in both:
        path = here.path
        if "D" in (here.status, change.status) or here.mode not in REGULAR or change.mode not in REGULAR:
            continue
        before, mine_bytes, yours_bytes = blobs[f"{base}:{path}"], blobs[here.blob], blobs[change.blob]
        assert mine_bytes is not None and yours_bytes is not None
        merged: bytes | None = None
        record = records.get(path, MergedRecord(None))
        if record.clashes:
            problems = [Problem(repo.root / path, c.path, c.message(other), Severity.ERROR, code="merge")
                        for c in record.clashes]
            result.clashes.extend(_locate(repo, path, problems))
            continue
        if record.text is not None:
            merged = record.text.encode("utf-8")
            if mine_bytes.startswith(b"\xef\xbb\xbf"):
                merged = b"\xef\xbb\xbf" + merged
            result.by_meaning.append(path)
        if merged is None:
            merged = _text_merge(before, mine_bytes, yours_bytes)
            if merged is None:
                result.clashes.append(_file_clash(repo, path, f"changed here and {other}, and the changes "
                                                  "cannot be merged line by line"))
                continue
            result.as_text.append(path)
        merged_paths.append(path)
        contents.append(merged)
    if result.clashes:
        return result
    for path, blob in zip(merged_paths, repo.write_blobs(contents), strict=True):
        entries.append((mine[path].mode, blob, path))
    result.tree = repo.tree_with(ours, entries)
    return result
