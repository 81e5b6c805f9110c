"""What the caseload profile gives every document: the authority's templates folder, and
its name and logo for the letterhead. Used alike by `reunify render`, `reunify site
--documents` and `reunify.render`."""

from __future__ import annotations

from pathlib import Path

from reunify.core.errors import ReunifyError
from reunify.documents.context import Letterhead
from reunify.documents.context import Picture
from reunify.practice.profile import Profile
from reunify.practice.profile import load_profile

LOGO_HEIGHT_MM = 12.0
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


class Authorities:
    """The profiles of the cases in one run, each read once, and each logo read once for
    all the cases below its profile. Made afresh for each run, so a changed profile is
    read again by the next."""

    def __init__(self) -> None:
        self._profiles: dict[Path, Profile | None] = {}
        self._letterheads: dict[Path, Letterhead] = {}

    def profile(self, case: Path) -> Profile | None:
        if case not in self._profiles:
            self._profiles[case] = load_profile(case)[0]
        return self._profiles[case]

    def templates(self, case: Path, given: Path | None = None) -> Path | None:
        """The templates given, else the templates folder the caseload profile names, if any."""
        if given is not None:
            return given
        profile = self.profile(case)
        folder = profile.templates if profile is not None else None
        if folder is not None and not folder.is_dir():
            raise ReunifyError(f"{profile.path if profile else ''}: templates: {folder}: no such folder")
        return folder

    def letterhead(self, case: Path) -> Letterhead | None:
        """The authority's name and logo from the caseload profile, if it names the authority."""
        profile = self.profile(case)
        if profile is None or profile.settings.authority is None:
            return None
        if profile.path not in self._letterheads:
            self._letterheads[profile.path] = _letterhead(profile)
        return self._letterheads[profile.path]


def _letterhead(profile: Profile) -> Letterhead:
    assert profile.settings.authority is not None
    logo = None
    if profile.logo is not None:
        where = f"{profile.path}: authority.logo: {profile.settings.authority.logo}"
        try:
            data = profile.logo.read_bytes()
        except OSError as exc:
            raise ReunifyError(f"{where}: {exc.strerror or 'cannot read it'}") from None
        if not data.startswith(_IMAGE_SIGNATURES):
            raise ReunifyError(f"{where}: not a PNG or JPEG image")
        logo = Picture(data, 0.0, height_mm=LOGO_HEIGHT_MM)
    return Letterhead(profile.settings.authority.name, logo)
