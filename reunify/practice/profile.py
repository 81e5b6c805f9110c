"""The caseload profile: `reunify.yaml` at the root of a caseload folder.

It is found by walking up from a case folder, as git finds its repository, and says
which workflow the caseload follows (the reference, or a local file that extends it),
the authority's name and logo that head its documents, local labels for the risk levels
and roles, the templates folder, and whether recording commands commit to git by default.
"""

from pathlib import Path
from typing import Annotated

import msgspec

from reunify.core.problems import Problem
from reunify.core.schema import Model
from reunify.core.schema import Str
from reunify.core.yamlio import load_file
from reunify.records.validation import validate
from reunify.workflow.kinds import Levels
from reunify.workflow.kinds import Name

PROFILE_FILE = "reunify.yaml"
REFERENCE = "reference"

Text = Annotated[str, Str(strip=True, min_length=1)]



class Labels(Model):
    levels: dict[Levels, Text] = {}  # e.g. severe: Very high
    roles: dict[Name, Text] = {}  # e.g. qaro: Independent reviewing officer


class GitSettings(Model):
    commit: bool = False  # recording commands commit by default


class Authority(Model):
    name: Text  # printed at the head of every document
    logo: Text | None = None  # a PNG or JPEG file, relative to this profile's folder


class ProfileFile(Model):
    workflow: Text = REFERENCE
    authority: Authority | None = None
    labels: Labels = Labels()
    templates: Text | None = None
    git: GitSettings = GitSettings()


class Profile(msgspec.Struct, frozen=True):
    path: Path
    settings: ProfileFile

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def workflow_file(self) -> Path | None:
        """The local workflow file, or None for the reference workflow."""
        name = self.settings.workflow
        return None if name == REFERENCE else self.folder / name

    @property
    def templates(self) -> Path | None:
        return self.folder / self.settings.templates if self.settings.templates else None

    @property
    def logo(self) -> Path | None:
        authority = self.settings.authority
        return self.folder / authority.logo if authority is not None and authority.logo else None


FoundProfile = tuple[Profile | None, list[Problem]]  # what `load_profile` found: the profile, its problems


def find_profile_file(start: Path) -> Path | None:
    """The nearest `reunify.yaml` in `start` or a folder above it."""
    folder = start.resolve()
    for candidate_folder in (folder, *folder.parents):
        candidate = candidate_folder / PROFILE_FILE
        if candidate.is_file():
            return candidate
    return None


def load_profile(start: Path) -> tuple[Profile | None, list[Problem]]:
    """The profile that applies to `start`, if any, and the problems in it."""
    path = find_profile_file(start)
    if path is None:
        return None, []
    loaded = load_file(path)
    if loaded.problems:
        return None, loaded.problems
    settings, problems = validate(ProfileFile, loaded.data if loaded.data is not None else {}, path)
    if settings is None:
        return None, problems
    return Profile(path, settings), problems
