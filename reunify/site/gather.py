"""What a case page shows, from the one evaluation that also gives the case's caseload row.

`case_page` reads a case once, evaluates it once, and returns its `CaseRow` with the page
as plain data; `gather_all` does that for every case, in parallel processes for a large
caseload (as `summarise_all` does), each process rendering and writing its own pages.
Nothing here prints or reads the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reunify.core.dates import relative_day
from reunify.core.parallel import chunked
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.core.yamlio import FastLocator
from reunify.engine import report
from reunify.engine.evaluate import Evaluation
from reunify.engine.states import CaseStatus
from reunify.engine.summary import child_summary
from reunify.engine.timeline import timeline
from reunify.practice.caseload import PARALLEL_FROM
from reunify.practice.caseload import CaseRow
from reunify.practice.caseload import initials
from reunify.practice.caseload import summarise_evaluated
from reunify.site.charts import risk_chart

STATE_WORDS = {"done": "done", "ready": "ready", "waiting": "waiting", "not_applicable": "does not apply"}
_UNSAFE = re.compile(r"[^a-z0-9]+")


def slug_of(reference: str | None, fallback: str) -> str:
    """A reference made safe for a file name: 'WBC-RU-2026-004' -> 'wbc-ru-2026-004'."""
    slug = _UNSAFE.sub("-", (reference or "").lower()).strip("-")
    return slug or fallback


@dataclass(frozen=True)
class Job:
    """What every worker needs to build and write case pages."""

    today: dt.date
    names: bool
    out: Path  # the site being written (its staging folder)
    templates: Path | None  # local site templates, from the caseload profile
    documents: dict[Path, tuple[str, ...]]  # case folder -> documents rendered for it
    families: bool = False  # whether the site has family pages (the navigation links them)


@dataclass(frozen=True)
class Gathered:
    row: CaseRow
    slug: str | None  # None: no page (the case cannot be read)
    shared: tuple[dict[str, Any], ...] = ()  # next actions a family's children share


def people_named(ev: Evaluation) -> list[tuple[str, str]]:
    """(name, initials) of everyone in the child's family and household records (the
    child, brothers and sisters, parents, relatives): what the pages show as initials
    unless asked for names. A parent's name gives away the child's; the team's do not."""
    return [(person.name, initials(person.name)) for person in ev.case.people.people if person.name]


def hide_names(text: str, people: list[tuple[str, str]]) -> str:
    """`text` with each person's name written as initials: the whole name first, then the
    given names alone, then the family name alone (as its initial: "Ms C.")."""
    if not text:
        return text
    for name, short in people:
        text = text.replace(name, short)
    for name, short in people:
        words = name.split()
        given = words[:-1] or words
        for part in sorted(given, key=len, reverse=True):
            if len(part) > 1:
                text = re.sub(rf"\b{re.escape(part)}\b", short, text)
    for name, _ in people:
        family = name.split()[-1]
        if len(name.split()) > 1 and len(family) > 1:
            text = re.sub(rf"\b{re.escape(family)}\b", family[0] + ".", text)
    return text


def _day(value: dt.date | None, today: dt.date) -> dict[str, str] | None:
    if value is None:
        return None
    return {"iso": value.isoformat(), "text": f"{value.day} {value:%B %Y}", "relative": relative_day(value, today)}


def _where(problem: Problem, folder: Path) -> str:
    """path:line:col, the path from the case folder (a folder's name may carry a name)."""
    try:
        path = os.path.relpath(problem.file, folder)
    except ValueError:
        path = problem.file.name
    return f"{path}:{problem.line or 1}:{problem.column or 1}"


def page_data(ev: Evaluation, every: list[Problem], row: CaseRow, job: Job, slug: str) -> dict[str, Any]:
    """Everything the case page shows, as plain data."""
    today = job.today
    wf = ev.workflow
    locator = FastLocator()
    name = row.child if job.names else row.initials
    children = [] if job.names else people_named(ev)

    def plain(text: str) -> str:
        return hide_names(text, children) if children else text

    summary = child_summary(ev.facts)
    actions = _actions(ev, locator, today)
    coming_up = [{"title": s.step.title, "from": _day(s.earliest, today), "due": _day(s.due, today)}
                 for s in ev.coming_up]
    upcoming = [d for d in ev.schedule.dues if d.upcoming and d.step is None]
    deadlines = [{"what": plain(d.what), "due": _day(d.date, today), "rule": d.rule_text, "source": d.source,
                  "kind": "overdue" if d.overdue else "upcoming", "command": d.command}
                 for d in [*ev.schedule.overdue, *upcoming]]
    points = [{"date": c.date, "day": _day(c.date, today), "id": c.id if wf.classification(c.id) else "",
               "level": c.level, "label": wf.level_label(c.level)}
              for c in ev.facts.risk_history if c.date <= today]
    history = [{"day": _day(e.date, today), "kind": e.kind, "title": plain(e.title), "detail": plain(e.detail),
                "who": plain(e.who)} for e in timeline(ev.facts)]
    rendered = job.documents.get(row.folder)
    documents = []
    for document_id in wf.documents:
        definition = wf.document(document_id)
        documents.append({"id": document_id, "title": definition.title if definition else document_id,
                          "file": f"{document_id}.docx" if rendered and document_id in rendered else None})
    shown = [p for p in every if p.severity in (Severity.ERROR, Severity.WARNING)]
    problems = [{"where": _where(p, ev.case.folder), "severity": str(p.severity), "message": p.message}
                for p in report.located(shown, locator)]
    stage_number = wf.stages.index(ev.stage) + 1 if ev.stage is not None else None
    return {
        "slug": slug, "reference": row.reference or "", "child": name or "?",
        "summary": {
            "legal_status": summary["legal_status"], "placement": plain(summary["placement"]),
            "lives": plain(summary["lives"]), "age": summary.get("age"),
            "stage": {"number": stage_number, "of": len(wf.stages), "title": ev.stage.title} if ev.stage else None,
            "stage_value": stage_value(row), "status": ev.status, "path": ev.facts.path,
            "risk": row.risk, "risk_label": row.risk_label, "workflow": wf.title,
        },
        "next": actions, "more": ev.more, "coming_up": coming_up, "nothing_now": _nothing_now(ev),
        "deadlines": deadlines, "stages": _stages(ev, today),
        "risk_points": points, "risk_chart": risk_chart(points, today, wf.level_label),
        "history": history, "documents": documents, "documents_rendered": rendered is not None,
        "problems": problems,
    }


def _actions(ev: Evaluation, locator: FastLocator, today: dt.date) -> list[dict[str, Any]]:
    """The next steps as `next --json` gives them, with what is missing placed in its file."""
    actions = []
    for state in ev.next:
        data = report.step_data(ev, state, locator)
        command, then = data.get("command"), data.get("then")
        actions.append({
            "step": data["step"], "title": data["title"], "role": data["role_title"], "who": data["who"],
            "due": _day(state.due, today), "due_rule": data["due_rule"], "overdue": data["overdue"],
            "missing": [{"where": _where(p, ev.case.folder), "message": p.message}
                        for p in report.located(list(state.missing), locator)],
            "command": command,
            # the step's own command after the one that supplies what it lacks, as `next` shows it
            "then": then if then and (command or "").split()[:3] != then.split()[:3] else None,
        })
    return actions


def _stages(ev: Evaluation, today: dt.date) -> list[dict[str, Any]]:
    stages = []
    for number, stage in enumerate(ev.workflow.stages, 1):
        steps = [{"title": s.step.title, "optional": s.optional, "state": s.state, "word": STATE_WORDS[s.state],
                  "done": _day(s.done.date, today) if s.done else None,
                  "due": _day(s.due, today) if s.state in ("ready", "waiting") else None,
                  "overdue": s.overdue, "note": s.reason or ""}
                 for s in ev.steps if s.stage.id == stage.id]
        stages.append({"number": number, "title": stage.title, "id": stage.id, "steps": steps,
                       "current": stage is ev.stage})
    return stages


def _nothing_now(ev: Evaluation) -> str:
    """What `next` says when no step can be recorded now."""
    if ev.closed:
        return "Nothing to do: the reunification episode is closed."
    if ev.schedule.overdue:
        return "No step can be recorded yet: what is overdue comes first (below)."
    if ev.coming_up or any(d.upcoming and d.step is None for d in ev.schedule.dues):
        return "No step can be recorded yet: what is coming up is below."
    return "Nothing can be done yet."


def stage_value(row: CaseRow) -> str:
    """The stage as the caseload shows it: its number, or 'ended' or 'closed'."""
    if row.stage:
        return str(row.stage)
    if row.unreadable:
        return ""
    return "closed" if row.case_status is CaseStatus.CLOSED else "ended"


def gather_case(folder: Path, job: Job, slug: str | None = None) -> Gathered:
    """One case's row, and its page rendered and written as `cases/<slug>.html` (the slug
    from its reference unless given); no page when the case cannot be read."""
    from reunify.site.pages import Pages

    row, ev, every = summarise_evaluated(folder, job.today)
    if ev is None:
        return Gathered(row, None)
    slug = slug or slug_of(row.reference, "case")
    data = page_data(ev, every, row, job, slug)
    Pages.for_folder(job.templates).write_case(job.out, data, job.today, job.families)
    return Gathered(row, slug, tuple(data["next"]))


def _gather_chunk(folders: list[Path], job: Job) -> list[Gathered]:
    return [gather_case(folder, job) for folder in folders]


def gather_all(folders: list[Path], job: Job, workers: int | None = None) -> Iterator[Gathered]:
    """Every case gathered and its page written, in parallel processes for a large caseload."""
    return chunked(functools.partial(_gather_chunk, job=job), folders, least=PARALLEL_FROM, workers=workers)
