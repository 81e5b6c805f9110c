"""What the package carries with it: workflows, templates, sample cases, teaching notes, a font.

Everything is found through `importlib.resources`, inside the installed package, so that a
wheel or a pipx install works from any folder; nothing is looked for beside the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from reunify.core.errors import ReunifyError

__all__ = ["FONT", "SAMPLES", "TEACHING", "TEMPLATES", "WORKFLOWS", "bundled"]


def bundled(*parts: str) -> Path:
    """The path of a file or folder shipped inside the package."""
    root = files("reunify")
    if not isinstance(root, Path):  # a zipped install: the records need real folders
        raise ReunifyError("reunify is installed as a zip archive; install it from a wheel (pip or pipx)")
    return root.joinpath(*parts)


WORKFLOWS = bundled("workflow")
TEMPLATES = bundled("templates")
SAMPLES = bundled("sample_cases")
TEACHING = bundled("teaching", "teaching.yaml")
FONT = bundled("fonts", "DejaVuSans.ttf")
