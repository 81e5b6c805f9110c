"""`reunify site`: the caseload, each case, the outcomes and each family as static pages.

Every case is read and evaluated once, in the processes `caseload` would use, and each
worker writes its cases' pages; the caseload, outcomes and family pages are written from
the rows once every case is in. The whole site goes into a private folder beside the
one asked for and is renamed into place (`publish.staged`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reunify.core.errors import ReunifyError
from reunify.core.files import make_private_folder
from reunify.core.files import write_atomic
from reunify.core.yamlio import load_file
from reunify.practice.caseload import Outcomes
from reunify.practice.caseload import find_cases
from reunify.practice.caseload import outcomes
from reunify.practice.in_force import workflow_in_force
from reunify.practice.profile import load_profile
from reunify.records.family import FAMILY_FILE
from reunify.records.family import family_of
from reunify.site.charts import LEVELS
from reunify.site.charts import bar_chart
from reunify.site.gather import Gathered
from reunify.site.gather import Job
from reunify.site.gather import gather_all
from reunify.site.gather import gather_case
from reunify.site.gather import slug_of
from reunify.site.gather import stage_value
from reunify.site.pages import ASSETS
from reunify.site.pages import Pages
from reunify.site.publish import check_out
from reunify.site.publish import staged

# Renders each case's Word documents into a folder of its own under the folder given, and
# says which were written: {case folder: (its documents folder, document ids)}.
DocumentRenderer = Callable[[Path, list[Path]], dict[Path, tuple[Path, tuple[str, ...]]]]


@dataclass(frozen=True)
class Site:
    out: Path
    cases: int  # rows on the caseload page
    pages: int  # case pages written
    unreadable: int
    families: int


def site_templates(start: Path) -> Path | None:
    """The local templates folder the caseload profile names, if any (its `site/` holds the site's)."""
    profile, problems = load_profile(start)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ReunifyError(f"{errors[0].file}: the caseload profile has errors (run 'reunify check' on it)")
    folder = profile.templates if profile is not None else None
    if folder is not None and not folder.is_dir():
        raise ReunifyError(f"{profile.path if profile else ''}: templates: no such folder")
    return folder


def build_site(folders: list[Path], out: Path, today: dt.date, names: bool = False, jobs: int | None = None,
               render_documents: DocumentRenderer | None = None) -> Site:
    """Write the site for the cases under `folders` to `out`, whole or not at all."""
    found = find_cases(folders)
    if not found:
        raise ReunifyError("no case folders found (a case folder holds case.yaml)")
    target = check_out(out)
    templates = site_templates(found[0])
    pages = Pages.for_folder(templates)
    family_folders = sorted({group for folder in found if (group := family_of(folder)) is not None})
    with staged(target) as staging:
        for sub in ("cases", "assets", "families"):
            make_private_folder(staging / sub)
        for asset in ("site.css", "site.js"):
            write_atomic(staging / "assets" / asset, (ASSETS / asset).read_bytes())
        rendered = render_documents(staging / "documents", found) if render_documents is not None else {}
        job = Job(today, names, staging, templates, {folder: ids for folder, (_, ids) in rendered.items()},
                  bool(family_folders))
        gathered = sorted(gather_all(found, job, jobs), key=lambda g: g.row.attention_key())
        gathered = _unique_slugs(gathered, job)
        slugs = {g.row.folder: g.slug for g in gathered}
        for folder, (where, _) in rendered.items():
            if slugs.get(folder) is not None:
                os.replace(where, staging / "documents" / str(slugs[folder]))
            else:  # a case without a page has no documents in the site
                shutil.rmtree(where, ignore_errors=True)
        rows = [_row(g, names, today) for g in gathered]
        families = _families(family_folders, gathered, rows)
        common = {"families": [{"slug": f["slug"], "reference": f["reference"]} for f in families]}
        pages.write(staging / "index.html", "index", today, "", rows=rows, counts=_counts(gathered), **common)
        pages.write(staging / "outcomes.html", "outcomes", today, "", outcomes=_outcomes(gathered, found[0]),
                    **common)
        for family in families:
            pages.write(staging / "families" / f"{family['slug']}.html", "family", today, "../", family=family,
                        **common)
    unreadable = sum(1 for g in gathered if g.slug is None)
    return Site(target, len(gathered), len(gathered) - unreadable, unreadable, len(families))


def _unique_slugs(gathered: list[Gathered], job: Job) -> list[Gathered]:
    """Two cases with one reference get a page each: the later ones numbered, in caseload order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(gathered):
        if item.slug is not None:
            groups[item.slug].append(index)
    for slug, indexes in groups.items():
        if len(indexes) > 1:
            for number, index in enumerate(indexes, 1):
                gathered[index] = gather_case(gathered[index].row.folder, job, slug if number == 1 else f"{slug}-{number}")
    return gathered


def _row(item: Gathered, names: bool, today: dt.date) -> dict[str, Any]:
    row = item.row
    due = row.next_due
    return {
        "slug": item.slug, "reference": row.reference or "", "child": (row.child if names else row.initials) or "?",
        "stage": stage_value(row), "stages": row.stages, "stage_title": row.stage_title or "",
        "risk": row.risk, "risk_label": row.risk_label, "next_action": row.next_action or "",
        "next_who": row.next_who or "", "overdue": row.overdue, "upcoming": row.upcoming, "errors": row.errors,
        "due": {"iso": due.isoformat(), "text": due.isoformat(), "relative": _relative(due, today),
                "late": due < today} if due else None,
        "unreadable": row.unreadable,
    }


def _relative(day: dt.date, today: dt.date) -> str:
    from reunify.core.dates import relative_day

    return relative_day(day, today)


def _counts(gathered: list[Gathered]) -> list[dict[str, Any]]:
    rows = [g.row for g in gathered]
    readable = [row for row in rows if not row.unreadable]
    counts: list[dict[str, Any]] = [
        {"key": "cases", "label": "Cases", "value": len(rows), "level": None},
        {"key": "overdue", "label": "With something overdue", "value": sum(1 for r in rows if r.overdue), "level": None},
        {"key": "upcoming", "label": "Something due within 7 days",
         "value": sum(1 for r in rows if not r.overdue and r.upcoming), "level": None}]
    labels = {row.risk: row.risk_label for row in readable if row.risk}
    for level in (*reversed(LEVELS), "none"):
        counts.append({"key": f"risk-{level}", "level": level, "label": labels.get(level) or level.capitalize(),
                       "value": sum(1 for r in readable if (r.risk or "none") == level)})
    if any(row.unreadable for row in rows):
        counts.append({"key": "unreadable", "label": "Cannot be read", "level": None,
                       "value": sum(1 for r in rows if r.unreadable)})
    return counts


def _outcomes(gathered: list[Gathered], where: Path) -> dict[str, Any]:
    rows = [g.row for g in gathered]
    workflow, _, _ = workflow_in_force(where)
    titles = [stage.title for stage in workflow.stages] if workflow else []
    summary: Outcomes = outcomes(rows, max([len(titles)] + [row.stages or 0 for row in rows]))
    reached = [(f"Stage {n}" + (f": {titles[n - 1]}" if n <= len(titles) else ""), count)
               for n, count in summary.reached.items()]
    charts = {
        "returns": bar_chart("returns", "How far the cases have come", [
            *((f"Reached stage {n}", count) for n, count in summary.reached.items()),
            ("Returned home", summary.returns)], summary.cases),
        "still_home": bar_chart("still-home", "Children still home after the return", [
            (f"At 6 months (of {summary.home_6[1]})", summary.home_6[0]),
            (f"At 12 months (of {summary.home_12[1]})", summary.home_12[0])]),
        "exits": bar_chart("exits", "Cases that ended part way, by reason", list(summary.exits.items())),
        "days": bar_chart("days", "Days from Decision 1 to the return, each case",
                          [(f"Case {n}", days) for n, days in enumerate(summary.days_d1_to_return, 1)]),
    }
    return {"summary": summary, "titles": titles, "reached": reached, "charts": charts}


def _families(folders: list[Path], gathered: list[Gathered], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    families = []
    taken: set[str] = set()
    for folder in folders:
        members = [(g, row) for g, row in zip(gathered, rows, strict=True) if family_of(g.row.folder) == folder]
        if not members:
            continue
        data = load_file(folder / FAMILY_FILE).data
        reference = data.get("reference") if isinstance(data, dict) else None
        slug = slug_of(str(reference) if reference else None, "family")
        while slug in taken:
            slug += "-2"
        taken.add(slug)
        shared = _shared_actions([g for g, _ in members])
        families.append({"slug": slug, "reference": str(reference or "Family"), "rows": [row for _, row in members],
                         "shared": shared})
    return families


def _shared_actions(members: list[Gathered]) -> list[dict[str, Any]]:
    """Next actions every child of the family has (one meeting for them all, say)."""
    if len(members) < 2:
        return []
    first, *others = members
    keys = [{(a["step"], (a["due"] or {}).get("iso")) for a in other.shared} for other in others]
    return [action for action in first.shared if all((action["step"], (action["due"] or {}).get("iso")) in k
                                                       for k in keys)]
