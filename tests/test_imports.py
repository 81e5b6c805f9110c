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
