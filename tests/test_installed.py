"""reunify as a user installs it: a wheel in a fresh virtual environment, run from an
unrelated folder, with no source tree anywhere it could read from.

The wheel is built from a copy of this checkout, and the copy is deleted before the
journey starts: anything the package looks for beside itself, rather than inside,
fails here. Installing takes the dependencies from the package index (or pip's cache).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result

NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache",
                                     ".pytest_cache", ".ruff_cache")


def run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtual environment with the wheel of this checkout in it."""
    base = tmp_path_factory.mktemp("installed")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SHIPPED)
    built = run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", base / "dist", source],
                cwd=base)
    assert built.returncode == 0, built.stdout + built.stderr
    shutil.rmtree(source)
    wheels = list((base / "dist").glob("reunify-*.whl"))
    assert len(wheels) == 1, wheels
    venv.create(base / "venv", with_pip=True)
    bin_folder = base / "venv" / "bin"
    added = run([bin_folder / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheels[0]],
                cwd=base)
    assert added.returncode == 0, added.stdout + added.stderr
    return bin_folder


def user_env(bin_folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "REUNIFY_DEBUG", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join([str(bin_folder), env.get("PATH", "")])
    env["REUNIFY_TODAY"] = TODAY
    env["NO_COLOR"] = "1"
    return env


def test_the_installed_package_lives_in_the_environment(installed: Path, tmp_path: Path) -> None:
    where = run([installed / "python", "-c", "import reunify, reunify.core.resources as r; "
                 "print(reunify.__file__); print(r.TEMPLATES); print(r.SAMPLES)"], cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert str(installed.parent) in line and str(ROOT) not in line, line


def test_a_journey_with_the_installed_package(installed: Path, tmp_path: Path) -> None:
    env = user_env(installed)
    work = tmp_path / "somewhere-else"
    work.mkdir()

    def reunify(*args: str | Path, code: int = 0) -> str:
        done = run([installed / "reunify", *args], cwd=work, env=env)
        assert "Traceback" not in done.stdout + done.stderr
        assert done.returncode == code, f"reunify {' '.join(map(str, args))}: {done.stdout}{done.stderr}"
        return done.stdout

    assert reunify("--version").startswith("reunify ")

    # A new case, recorded into, and what comes next.
    reunify("new", "ab-0001", "--reference", "AB-0001", "--child", "Robin Example", "--born", "2017-03-04",
            "--legal-status", "V2", "--placement", "U6", "--social-worker", "Sam Rivers",
            "--team-manager", "Tara Moss")
    reunify("done", "identify", "ab-0001", "--by", "sw", "--date", "2026-11-02")
    reunify("chronology", "ab-0001", "--date", "2026-10-01", "--event", "Robin comes into care.",
            "--source", "Case record")
    reunify("visit", "ab-0001", "--date", "2026-11-10", "--by", "sw", "--announced", "--seen-alone")
    shown = reunify("next", "ab-0001")
    assert "Discuss the child with the QARO" in shown
    reunify("check", "ab-0001/case.yaml")
    rendered = reunify("render", "ab-0001")
    assert "accessible_risk_table.docx" in rendered
    Document(str(work / "ab-0001" / "documents" / "accessible_risk_table.docx"))

    # A bundled sample, copied out: every document that applies, and the genogram.
    reunify("sample", "03", "sample-03")
    reunify("render", "sample-03", "--out", "out")
    documents = sorted((work / "out").glob("*.docx"))
    assert len(documents) == 11  # every document but the front sheet: Maisie is under section 20
    for path in documents:
        text = " ".join(p.text for p in Document(str(path)).paragraphs)
        assert "{{" not in text and "{%" not in text, path.name
    reunify("genogram", "sample-03")
    assert (work / "sample-03" / "documents" / "genogram.png").stat().st_size > 10_000

    # The site, from the templates and assets inside the package.
    reunify("site", "sample-03", "--out", "site")
    assert 'href="assets/site.css"' in (work / "site" / "index.html").read_text(encoding="utf-8")
    assert "@media print" in (work / "site" / "assets" / "site.css").read_text(encoding="utf-8")

    # Teaching and adaptation read what ships inside the package.
    assert "(stage 5 of 5)" in reunify("walkthrough", "06", "--no-pause")
    assert "Assessment" in reunify("workflow", "show")
    assert reunify("fidelity")
    assert not list(work.glob("**/templates"))  # nothing was looked for in the working folder


def test_render_list_does_not_call_a_document_ready_without_its_template(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Result]) -> None:
    # An install that lost its templates (the failure a wheel once had) says so.
    from reunify.documents import render

    monkeypatch.setattr(render, "BUNDLED_TEMPLATES", tmp_path / "missing")
    case = SAMPLES / "03-medium-agreement-review"
    listed = json.loads(cli("render", case, "--list", "--json").out)["cases"][0]["documents"]
    assert listed and not any(item["ready"] for item in listed)
    assert not any(item["template_readable"] for item in listed)
    assert "cannot read its template" in cli("render", case, "--list").out
