"""The bundled fictional sample cases: one found by number or name ("06",
"06-home-under-care-order", "08/ruby" for a child of a sibling group), and one copied,
owner-only, to try the tool on.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from reunify.core.errors import CaseError
from reunify.core.errors import ReunifyError
from reunify.core.files import make_private_folder
from reunify.core.files import write_atomic
from reunify.core.resources import SAMPLES
from reunify.records import is_case_folder
from reunify.records.family import children_of
from reunify.records.family import is_family_folder


def find_sample(name: str, samples: Path = SAMPLES, *, only_samples: bool = False) -> Path:
    """A case folder: `name` as a path (unless `only_samples`), or a bundled sample by
    number or name ("06", "06-home...")."""
    path = Path(name)
    head, _, child = name.partition("/")
    if child and not path.exists() and samples.is_dir() and "/" not in child:
        # A child of a sibling-group sample: "08/ruby".
        with contextlib.suppress(CaseError):
            member = find_sample(head, samples, only_samples=True) / child
            if is_case_folder(member):
                return member
    if not only_samples and (path.exists() or "/" in name or not samples.is_dir()):
        return path
    folders = sorted(p for p in samples.iterdir() if p.is_dir() and (is_case_folder(p) or is_family_folder(p)))
    wanted = name.strip().lower()
    number, _, rest = wanted.partition("-")
    found = [p for p in folders if p.name.lower() == wanted]
    if not found and number.isdigit() and not rest:
        found = [p for p in folders if p.name.split("-", 1)[0].isdigit()
                 and int(p.name.split("-", 1)[0]) == int(number)]
    if not found:
        found = [p for p in folders if p.name.lower().split("-", 1)[-1] == wanted
                 or p.name.lower().startswith(wanted)]
    if len(found) == 1:
        return found[0]
    names = ", ".join(p.name for p in folders)
    if found:
        raise CaseError(f"'{name}' matches more than one sample case: " + ", ".join(p.name for p in found))
    raise CaseError(f"{name}: no such case folder, and no sample case of that name; samples: {names}")


def copy_sample(sample: Path, dest: Path) -> list[Path]:
    """Copy a bundled sample's record files and README to `dest`, a new or empty folder,
    owner-only. Raises `ReunifyError` (and copies nothing) when `dest` holds anything."""
    if dest.is_symlink() or (dest.exists() and (not dest.is_dir() or any(dest.iterdir()))):
        raise ReunifyError(f"{dest}: already exists and is not an empty folder")
    # A sibling group: the family's files and each child's folder.
    folders = [sample, *(children_of(sample) if is_family_folder(sample) else [])]
    files = [f for folder in folders for f in sorted(folder.iterdir())
             if f.is_file() and f.suffix in (".yaml", ".md")]
    try:
        for folder in folders:
            make_private_folder(dest / folder.relative_to(sample))
        for file in files:
            write_atomic(dest / file.relative_to(sample), file.read_bytes())
    except OSError as exc:
        raise ReunifyError(f"{dest}: cannot copy the sample ({(exc.strerror or 'error').lower()})") from None
    return [dest / file.relative_to(sample) for file in files]
