"""The package's layers, from the base up: each module imports only its own layer's
modules and those of the layers below it, never one above or beside it.

    core        problems, dates, files, YAML, codes, resources
    records     the record models, validation, loading a case (a family's child too)
    workflow    the workflow models, grammar, loading and local workflows
    engine      facts, gates, deadlines, evaluation, the case as of a day
    practice    recording, edits, the caseload, its profile, audit, reports, fidelity
    documents | sync | teaching | site    (side by side: none imports another)
    cli         the commands
    reunify     the package itself (the library API) and `python -m reunify`

Read from the source with `ast`, imports inside functions included, so that a lazy
import cannot hide a dependency that runs the wrong way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reunify"
LAYERS = {"core": 0, "records": 1, "workflow": 2, "engine": 3, "practice": 4,
          "documents": 5, "sync": 5, "teaching": 5, "site": 5, "cli": 6, "": 7}
MAX_LINES = 400  # no module grows past this (see README, Architecture)


def group(module: str) -> str:
    """'reunify.engine.facts' -> 'engine'; 'reunify' and 'reunify.__main__' -> ''."""
    parts = module.split(".")
    return "" if len(parts) == 1 or parts[1] == "__main__" else parts[1]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "sample_cases" in path.parts:
            continue
        parts = ("reunify", *path.relative_to(PACKAGE).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "reunify":  # from reunify import x: the submodule x
                found += [(node.lineno, f"reunify.{alias.name}") for alias in node.names]
            elif node.module.startswith("reunify."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("reunify.")]
    return found


def test_every_module_is_in_a_layer() -> None:
    assert {group(name) for name in modules()} <= set(LAYERS)


def test_no_import_runs_up_or_across_the_layers() -> None:
    wrong = []
    for name, path in modules().items():
        own = group(name)
        for line, target in imports(path):
            other = group(target)
            if other != own and (LAYERS[other] >= LAYERS[own]):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {own or 'reunify'} imports {target}")
    assert wrong == []


# A command's module is named after its command group (cli.caseload runs the caseload),
# and so is the edit behind it (practice.edits.people); those are the only repeats.
NAMED_FOR_A_COMMAND = ("reunify.cli.", "reunify.practice.edits.")


def test_no_two_modules_share_a_name_across_the_package() -> None:
    """One name, one thing: no 'fidelity.py' beside 'documents/fidelity.py'."""
    seen: dict[str, list[str]] = {}
    for name in modules():
        if not name.startswith(NAMED_FOR_A_COMMAND):
            seen.setdefault(name.rsplit(".", 1)[-1], []).append(name)
    doubles = {leaf: names for leaf, names in seen.items() if len(names) > 1}
    assert doubles == {}


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_too_long_to_read(name: str) -> None:
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"
