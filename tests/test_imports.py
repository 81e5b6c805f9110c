"""Read-only commands never import the document stack or drawing libraries."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import SAMPLES

HEAVY = ["docxtpl", "jinja2", "docx", "matplotlib", "PIL", "lxml", "svgwrite", "networkx"]

PROBE = """
import sys
from reunify.cli import main
code = main(sys.argv[1:])
heavy = [name for name in {heavy!r} if name in sys.modules]
print("HEAVY:", ",".join(heavy))
"""


def test_read_only_commands_do_not_import_the_document_stack() -> None:
    sample = next(p for p in sorted(SAMPLES.iterdir()) if (p / "case.yaml").is_file())
    for command in (["next"], ["status"], ["check"], ["next", "--json"], ["timeline"], ["walkthrough", "--no-pause"]):
        result = subprocess.run(
            [sys.executable, "-c", PROBE.format(heavy=HEAVY), *command, str(sample), "--today", "2026-11-23"],
            capture_output=True, text=True, check=False,
        )
        assert "HEAVY:" in result.stdout, result.stderr
        assert result.stdout.strip().endswith("HEAVY:"), result.stdout


LOADED = """
import io, contextlib, sys
from reunify.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
print("LOADED:", ",".join(sorted({name.split(".")[0] for name in sys.modules}
                                 | {name for name in sys.modules if name.startswith("reunify.")})))
"""


def _loaded(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True, text=True, check=False)
    assert "LOADED:" in result.stdout, result.stderr
    return set(result.stdout.rsplit("LOADED:", 1)[1].strip().split(","))


def test_help_imports_no_models_and_no_yaml_or_rich() -> None:
    loaded = _loaded("--help")
    assert not loaded & {"pydantic", "msgspec", "ruamel", "yaml", "rich", "reunify.records", "reunify.workflow",
                         "reunify.core.problems"}, loaded
    assert not {name for name in loaded if name.startswith("reunify.cli.")} - {"reunify.cli.app", "reunify.cli.commands"}


def test_a_clean_case_is_read_without_ruamel() -> None:
    # Sample 01 has nothing to locate: line numbers (ruamel, round-trip) are looked up
    # only when a problem is shown.
    clean = SAMPLES / "01-newly-identified-s20"
    for command in ("next", "check", "status"):
        loaded = _loaded(command, str(clean), "--today", "2026-11-23")
        assert "ruamel" not in loaded, command
        assert "reunify.cli.record" not in loaded, command
    # `check` places its warnings round-trip, with ruamel (`next` places its own with libyaml).
    assert "ruamel" in _loaded("check", str(SAMPLES / "02-mid-assessment"), "--today", "2026-11-23")
