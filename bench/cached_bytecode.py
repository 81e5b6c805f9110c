"""The environment for timing reunify as a fresh process: with its bytecode cached.

An installed reunify runs from bytecode (pip compiles it on install), as its libraries do;
a shell that sets PYTHONDONTWRITEBYTECODE would otherwise charge every timed run for
compiling reunify's sources. The bytecode goes to `folder`, not beside the sources.
"""

from __future__ import annotations

import os
from pathlib import Path


def with_bytecode(folder: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder)
    return env
