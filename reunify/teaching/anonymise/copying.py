"""The whole copy: the case checked, every record file changed, written whole or not at all.

The copy is written to a private temporary folder beside OUT, read back (it must load
cleanly and hold exactly what was meant), then renamed into place. The result says what
was changed and what to review, without a word of the original.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import secrets
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reunify.core.errors import ReunifyError
from reunify.core.files import DIR_MODE
from reunify.core.files import FILE_MODE
from reunify.core.files import make_private_folder
from reunify.core.files import write_atomic
from reunify.core.problems import FieldPath
from reunify.core.yamlio import load_file
from reunify.records import Case
from reunify.records import find_case_folder
from reunify.records import load_case
from reunify.records import models as m
from reunify.teaching.anonymise.names import Names
from reunify.teaching.anonymise.patterns import WORD
from reunify.teaching.anonymise.record_files import RecordFiles
from reunify.teaching.anonymise.record_files import free_text
from reunify.teaching.anonymise.review import ReviewItem
from reunify.teaching.anonymise.review import review_copy
from reunify.teaching.anonymise.scrubbing import Scrubber
from reunify.teaching.anonymise.shift import draw_shift
from reunify.teaching.anonymise.words import NOT_NAMES
from reunify.teaching.anonymise.words import NOT_PLACES
from reunify.teaching.anonymise.words import ORGANISATION_WORDS
from reunify.teaching.anonymise.words import STREET_WORDS
from reunify.teaching.anonymise.words import fold


class CaseHasErrors(ReunifyError):
    """The case records have errors: nothing can be copied until `reunify check` is clean."""

    exit_code = 1


@dataclass(frozen=True)
class Anonymised:
    """What `anonymise_case` did, without a word of the original: what to review is as it is in the copy."""

    out: Path
    reference: str
    shift_days: int  # negative: every date moved this many days earlier
    replaced: dict[str, int]
    dates: dict[str, int]
    written: tuple[str, ...]
    not_copied: int
    seed: int | None
    review: tuple[ReviewItem, ...] = ()

    def data(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "reference": self.reference,
            "date_shift_days": self.shift_days,
            "replaced": dict(self.replaced),
            "dates": {"shifted_by_days": self.shift_days, **self.dates},
            "written": list(self.written),
            "not_copied": self.not_copied,
            "comments": "dropped",
            "seed": self.seed,
            "review": [item.data() for item in self.review],
        }


def anonymise_case(source: Path, out: Path, seed: int | None = None, today: dt.date | None = None) -> Anonymised:
    """Write an anonymised copy of the case in `source` to the new or empty folder `out`.

    Raises `ReunifyError` (and writes nothing) when `out` is or overlaps the case folder or
    holds anything, and `CaseHasErrors` when the records have errors (with `today`, the
    errors `reunify check` reports on that day, such as a date after it).
    """
    folder = find_case_folder(source)
    check_target(folder, out)
    case, problems = load_case(folder)
    if case is not None and today is not None:
        from reunify.engine import evaluate
        from reunify.practice.in_force import workflow_for

        workflow, workflow_problems = workflow_for(case)
        problems = problems + workflow_problems + (evaluate(case, workflow, today).problems if workflow else [])
    errors = sum(1 for p in problems if p.is_error)
    if case is None or errors:
        raise CaseHasErrors(f"the case records have {max(errors, 1)} error(s), so nothing was copied; "
                            "run 'reunify check' to see them")
    # One generator for everything, drawn from in this order: the same seed, the same copy.
    rng = _generator(secrets.randbits(64) if seed is None else seed, case)
    counts: Counter[str] = Counter()
    reference = f"TRAIN-{rng.randrange(1, 10_000):04d}"
    shift = draw_shift(rng, case)
    texts = [pair for name in m.FILE_MODELS for pair in free_text(getattr(case, name.removesuffix(".yaml")))]
    names = Names(case, rng, texts, counts)
    copy = RecordFiles(case, names, Scrubber(case, names, shift, reference, counts), shift, reference, counts)
    files = {name: copy.text(name) for name in m.FILE_MODELS if name in case.present}
    _write_copy(out, files, copy.expected)
    kept = set(files)
    return Anonymised(
        out=out,
        reference=reference,
        shift_days=shift.days,
        replaced={kind: counts[kind] for kind in ("names", "ids", "references", "addresses", "places",
                                                  "phone_numbers", "emails", "identity_numbers", "dates_of_birth")},
        dates={"fields": counts["date_fields"], "in_text": counts["dates_in_text"],
               "replaced": counts["dates_replaced"]},
        written=tuple(files),
        not_copied=sum(1 for entry in folder.iterdir() if entry.name not in kept),
        seed=seed,
        review=tuple(_review(names, reference, copy.texts)),
    )


def check_target(source: Path, out: Path) -> None:
    """Refuse an `out` that is, holds or lies inside the case folder, or is not new or empty."""
    if out.is_symlink():
        raise ReunifyError("OUT is a symbolic link; give a new or empty folder")
    target = Path(os.path.abspath(out)).resolve()
    folder = source.resolve()
    if _same(target, folder):
        raise ReunifyError("OUT is the case folder itself; give a new folder outside it")
    if any(_same(parent, folder) for parent in target.parents):
        raise ReunifyError("OUT is inside the case folder; give a folder outside it")
    if any(_same(parent, target) for parent in folder.parents):
        raise ReunifyError("the case folder is inside OUT; give a new folder outside it")
    if out.exists():
        if not out.is_dir():
            raise ReunifyError("OUT exists and is not a folder; give a new or empty folder")
        if any(out.iterdir()):
            raise ReunifyError("OUT is not empty; give a new or empty folder")


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _generator(seed: int, case: Case) -> random.Random:
    """Keyed on the seed and on who the case is about: the copy alone does not give the seed away."""
    child = case.child
    material = "\0".join([str(seed), case.case.reference, child.name if child else "",
                          str(child.born) if child and child.born else ""])
    return random.Random(int.from_bytes(hashlib.sha256(material.encode("utf-8")).digest()[:16], "big"))


def _review(names: Names, reference: str, texts: Iterable[tuple[str, FieldPath, str]]) -> list[ReviewItem]:
    """What the copy's free text may still hold that nothing in the case explains, as it is in the copy."""
    known = {fold(w) for w in [*names.words.values(), *names.initials.values(), *STREET_WORDS, reference]}
    known |= {fold(w) for w in re.findall(WORD, reference)}
    known |= NOT_PLACES | NOT_NAMES | ORGANISATION_WORDS
    return review_copy(texts, known)


def _write_copy(out: Path, files: dict[str, str], expected: dict[str, Any]) -> None:
    """Write the files to a private folder beside `out`, check them, then rename it to `out`."""
    target = Path(os.path.abspath(out))
    try:
        make_private_folder(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ReunifyError(f"OUT cannot be created ({(exc.strerror or type(exc).__name__).lower()})") from None
    try:
        for name, text in files.items():
            write_atomic(staging / name, text.encode("utf-8"), FILE_MODE)
        for name in files:
            loaded = load_file(staging / name)
            if loaded.problems or loaded.data != expected[name]:
                raise RuntimeError(f"{name}: the anonymised copy does not read back as written")
        case, problems = load_case(staging)
        if case is None or any(p.is_error for p in problems):
            raise RuntimeError("the anonymised copy does not load cleanly")
        os.chmod(staging, DIR_MODE)
        os.replace(staging, target)  # onto a missing or empty folder only
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ReunifyError(f"the copy could not be written ({(exc.strerror or type(exc).__name__).lower()}); "
                               "nothing was left behind") from None
        raise
