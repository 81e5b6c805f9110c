"""The workflow format's old key `needs:` (the gates a step or a decision's outcome
requires), read as `requires:` with a warning at the key; both keys on one entry are an
error. Problems found afterwards under a renamed `requires:` point back at the `needs:`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.problems import Severity


class Renamed:
    """The entries whose old key `needs:` was read as `requires:`, and what was said of them."""

    def __init__(self) -> None:
        self.at: set[FieldPath] = set()  # the step or outcome holding the old key
        self.problems: list[Problem] = []

    def entry(self, entry: Any, file: Path, at: FieldPath) -> Any:
        """A step's or an outcome's mapping with `needs:` read as `requires:`."""
        if not isinstance(entry, dict) or "needs" not in entry:
            return entry
        self.at.add(at)
        if "requires" in entry:
            self.problems.append(Problem(file, (*at, "needs"), "both 'needs' and 'requires': 'needs' is the old "
                                         "name of 'requires'", hint="keep 'requires:' only", code="workflow"))
            return {k: v for k, v in entry.items() if k != "needs"}
        self.problems.append(Problem(file, (*at, "needs"), "'needs' is the old name of 'requires'",
                                     Severity.WARNING, "rename it to 'requires:' (the same gates, under their new name)",
                                     code="workflow"))
        return {("requires" if k == "needs" else k): v for k, v in entry.items()}

    def relocate(self, problems: Iterable[Problem]) -> list[Problem]:
        """The problems, those under a renamed `requires:` pointing at the `needs:` in the file."""
        found = []
        for p in problems:
            cut = next((len(at) for at in self.at if p.path[:len(at)] == at and p.path[len(at):len(at) + 1]
                        == ("requires",)), None)
            found.append(p if cut is None else replace(p, path=(*p.path[:cut], "needs", *p.path[cut + 1:])))
        return found


def renamed_keys(data: Any, file: Path) -> tuple[Any, Renamed]:
    """The workflow `data` with the old key `needs:` of its steps and decision outcomes read
    as `requires:` (a warning at each; an error where both are written). `data` is not changed."""
    renamed = Renamed()
    if not isinstance(data, dict):
        return data, renamed
    data = dict(data)
    if isinstance(data.get("stages"), list):
        data["stages"] = [
            {**stage, "steps": [renamed.entry(step, file, ("stages", s_index, "steps", index))
                                for index, step in enumerate(stage["steps"])]}
            if isinstance(stage, dict) and isinstance(stage.get("steps"), list) else stage
            for s_index, stage in enumerate(data["stages"])]
    if isinstance(data.get("decisions"), dict):
        data["decisions"] = {
            name: {**decision, "outcomes": {key: renamed.entry(outcome, file, ("decisions", name, "outcomes", key))
                                            for key, outcome in decision["outcomes"].items()}}
            if isinstance(decision, dict) and isinstance(decision.get("outcomes"), dict) else decision
            for name, decision in data["decisions"].items()}
    return data, renamed
