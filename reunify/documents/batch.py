"""Render many cases at once, in parallel processes; one failing case never stops the rest.

Each case is one task. Each template is compiled once, here, before the worker processes
are forked, and reused for every case they are given. Results come back as each case
finishes, so the caller can show progress; nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from reunify.core.errors import ReunifyError
from reunify.core.memory import keep_freed_memory
from reunify.core.parallel import workers_for
from reunify.core.problems import Problem
from reunify.documents.catalogue import DOCUMENTS
from reunify.documents.context import Letterhead
from reunify.documents.render import Availability
from reunify.documents.render import case_documents
from reunify.documents.render import render_case
from reunify.documents.render import template_path


@dataclass(frozen=True)
class Job:
    folder: Path
    out: Path
    today: dt.date
    documents: tuple[str, ...] = ()
    templates: Path | None = None
    as_of: dt.date | None = None  # the records as they stood on this day (default: today)
    issue: bool = False  # keep each signed document in issued/ as the record of what was issued
    letterhead: Letterhead | None = None  # the authority's name and logo, from the caseload profile


@dataclass
class CaseRendering:
    """What happened to one case: documents written, documents held back, or a failure."""

    job: Job
    written: list[Path] = field(default_factory=list)
    held_back: list[Availability] = field(default_factory=list)  # apply to the child, not ready yet
    not_applying: list[Availability] = field(default_factory=list)  # the workflow's `when:` rules them out
    warned: list[Availability] = field(default_factory=list)  # written, with a warning about what they print
    problems: list[Problem] = field(default_factory=list)
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error or self.problems)

    def to_data(self) -> dict[str, Any]:
        """The outcome as plain data (render --json)."""
        from reunify.engine.report import problem_data

        return {
            "case": str(self.job.folder),
            "written": [str(p) for p in self.written],
            "held_back": {a.document: [problem_data(p) for p in a.problems] for a in self.held_back},
            "not_applying": {a.document: a.problems[0].message for a in self.not_applying if a.problems},
            "warnings": {a.document: [problem_data(p) for p in a.warnings] for a in self.warned},
            "problems": [problem_data(p) for p in self.problems],
            "error": self.error or None,
        }


def render_job(job: Job) -> CaseRendering:
    """Render one case. Never raises for anything in the case or the templates."""
    outcome = CaseRendering(job)
    try:
        documents = case_documents(job.folder, job.today, list(job.documents) or None, as_of=job.as_of,
                                   letterhead=job.letterhead)
        outcome.problems = [p for p in documents.problems if p.is_error]
        outcome.held_back = [a for a in documents.available if not a.ready and a.applies]
        outcome.not_applying = [a for a in documents.available if not a.applies]
        outcome.written = [w.path for w in render_case(documents, job.out, job.templates, issue=job.issue)]
        outcome.warned = [a for a in documents.available if a.ready and a.warnings]  # rendering adds some
    except ReunifyError as exc:
        outcome.error = str(exc)
    except OSError as exc:
        outcome.error = f"{exc.filename or job.out}: {exc.strerror or 'cannot write'}"
    except Exception as exc:  # a bug: report the kind, never the data that caused it
        outcome.error = f"internal error ({type(exc).__name__}); run this case alone with REUNIFY_DEBUG=1"
        if os.environ.get("REUNIFY_DEBUG"):
            raise
    return outcome


def render_many(jobs: list[Job], workers: int | None = None) -> Iterator[CaseRendering]:
    """Render every job, yielding each outcome as it is done (in parallel when it helps)."""
    workers = workers_for(len(jobs), workers)
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield render_job(job)
        return
    forked = _prepare(jobs)
    # Each worker keeps what it frees for its next picture (core/memory.py): a tenth less CPU.
    with ProcessPoolExecutor(max_workers=workers, initializer=keep_freed_memory) as pool:
        try:
            futures: dict[Future[CaseRendering], Job] = {pool.submit(render_job, job): job for job in jobs}
        finally:
            if forked:  # the workers are started, all at once when forked, by the first job sent
                gc.unfreeze()
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # the worker itself died
                yield CaseRendering(futures[future], error=f"the rendering process failed ({type(exc).__name__})")


def _prepare(jobs: list[Job]) -> bool:
    """What each worker would do for itself before its first case, done once here, where
    workers are forked from this process and start with it: the Word and drawing libraries
    imported (Pillow's picture formats and the genogram's font loaded), and the templates
    the jobs use read and compiled. What this process holds is then frozen (gc.freeze),
    out of the collector's way in the workers (each collection would otherwise visit, and
    so copy, every page of it): True when workers are forked."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return False
    from PIL import Image

    import reunify.documents.genogram  # noqa: F401
    from reunify.documents.genogram.text import text_width
    from reunify.documents.templating import TemplateProblem

    Image.preinit()  # the picture formats Pillow loads when it first saves a PNG
    text_width("", 1.0)  # the font the genogram's text is measured in, read
    from reunify.documents.templating import compiled_template

    paths = {template_path(name, job.templates) for job in jobs for name in job.documents or DOCUMENTS
             if name in DOCUMENTS}  # an unknown one is each case's to report
    for path in sorted(paths):
        try:
            compiled_template(path).prepare()
        except TemplateProblem:  # its rendering says so, for each case
            continue
    gc.freeze()
    return True
