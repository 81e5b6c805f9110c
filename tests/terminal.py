"""Running reunify as a person does: on a real pseudo-terminal, answering its prompts.

The cli fixture redirects stdout and stderr, so it never meets what only happens at a
terminal (progress bars, prompts, colour, a console as wide as the window). These
helpers run `python -m reunify` on a pseudo-terminal of its own and return the exit
status and everything the screen showed.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.conftest import TODAY

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7]|38;[0-9;]+)m")

needs_pty = pytest.mark.skipif(not hasattr(os, "openpty"), reason="this platform has no pseudo-terminals (os.openpty)")


def reunify_env(**extra: str) -> dict[str, str]:
    """The environment the tests run reunify in: this checkout, a fixed day, no colour."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["REUNIFY_TODAY"] = TODAY
    env["NO_COLOR"] = "1"
    env["TERM"] = "dumb"
    for name in ("REUNIFY_DEBUG", "COLUMNS", "LINES", "FORCE_COLOR"):
        env.pop(name, None)
    env.update(extra)
    return {k: v for k, v in env.items() if v != ""}


def _read_some(fd: int, deadline: float, transcript: bytes) -> bytes:
    """The next output from the terminal, b'' once the program has closed it."""
    remaining = deadline - time.monotonic()
    ready, _, _ = select.select([fd], [], [], max(remaining, 0))
    if not ready:
        pytest.fail(f"timed out waiting for the program; it printed:\n{transcript.decode(errors='replace')}")
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: every process holding the terminal has closed it
        return b""


def run_on_a_terminal(args: Sequence[str | Path], answers: Sequence[tuple[str, str]] = (),
                      timeout: float = 120.0, env: dict[str, str] | None = None,
                      cwd: Path = ROOT, raw: bool = False) -> tuple[int, str]:
    """Run `python -m reunify ARGS` on a pseudo-terminal, typing each answer once its prompt
    has appeared; the exit status and everything shown on the terminal (escape sequences
    removed, unless `raw`)."""
    master, slave = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "reunify", *map(str, args)], stdin=slave, stdout=slave,
                               stderr=slave, cwd=cwd, env=env or reunify_env(), start_new_session=True,
                               close_fds=True)
    os.close(slave)
    deadline = time.monotonic() + timeout
    transcript = b""
    try:
        searched = 0
        for prompt, answer in answers:
            while (found := ANSI.sub("", transcript.decode(errors="replace")).find(prompt, searched)) < 0:
                chunk = _read_some(master, deadline, transcript)
                if not chunk:
                    pytest.fail(f"the program ended before asking {prompt!r}:\n{transcript.decode(errors='replace')}")
                transcript += chunk
            searched = found + len(prompt)
            # A prompt that reads one key puts the terminal in raw mode after printing,
            # which throws away anything typed before: give it time, as a person does.
            time.sleep(0.3)
            os.write(master, answer.encode() + b"\n")
        while chunk := _read_some(master, deadline, transcript):
            transcript += chunk
        code = process.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    text = transcript.decode(errors="replace")
    return code, (text if raw else ANSI.sub("", text)).replace("\r\n", "\n")
