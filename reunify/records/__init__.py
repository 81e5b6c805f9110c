"""Case records: typed models, loading with problems, and saving round-trip."""

from __future__ import annotations

from reunify.records.case import Case
from reunify.records.case import case_folders
from reunify.records.case import find_case_folder
from reunify.records.case import is_case_folder
from reunify.records.case import load_case
from reunify.records.case import select_cases

__all__ = ["Case", "case_folders", "find_case_folder", "is_case_folder", "load_case", "select_cases"]
