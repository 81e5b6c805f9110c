"""What every document's context is built from, and the small pieces they share.

A context is plain data: dicts, lists and strings (dates already written out the way a
document shows them), plus `Picture` for an image. Building one is a pure function of
the case, its workflow and the day; nothing here imports the document stack.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reunify.core.dates import age_in_years
from reunify.core.dates import describe_age
from reunify.engine.facts import Facts
from reunify.records import Case
from reunify.records import models as m
from reunify.workflow import Workflow

Context = dict[str, Any]

# Characters XML 1.0 does not allow, and C1 controls Word chokes on. Tabs and line
# breaks stay: the renderer turns them into Word tabs and breaks.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text that can go into a Word document: line endings unified, illegal characters out."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Picture:
    """An image for a document (PNG or JPEG bytes), placed at `width_mm` across, or at
    `height_mm` high (its width in proportion) when that is given."""

    data: bytes
    width_mm: float
    height_mm: float | None = None


@dataclass(frozen=True)
class Letterhead:
    """The authority a document is issued by (the caseload profile's `authority:`)."""

    name: str
    logo: Picture | None = None


@dataclass(frozen=True)
class Source:
    """Everything a context builder may read: the case, its workflow and the day."""

    case: Case
    workflow: Workflow
    today: dt.date
    genogram: Picture | None = None
    letterhead: Letterhead | None = None

    @functools.cached_property
    def facts(self) -> Facts:
        return Facts(self.case, self.workflow, self.today)

    # -- people and the team --------------------------------------------------------

    def person_name(self, person_id: str | None) -> str:
        person = self.case.person(person_id)
        return person.name if person else ""

    def names(self, person_ids: Iterable[str]) -> str:
        return ", ".join(self.person_name(p) for p in person_ids)

    def member_name(self, member_id: str | None) -> str:
        member = self.case.member(member_id)
        return member.name if member else ""

    def member_names(self, member_ids: Iterable[str]) -> str:
        return ", ".join(self.member_name(t) for t in member_ids)

    def role_holder(self, role: str) -> str:
        """The name of the first team member in `role`, or an empty string."""
        return next((t.name for t in self.case.case.team if t.role == role), "")

    @functools.cached_property
    def group(self) -> list[tuple[m.Person, Facts]]:
        """Every child of the sibling group (this child alone outside a family), with the
        facts of each child's own case, in the order of their folders."""
        if self.case.family is None or len(self.case.group) < 2:
            return [(self.case.child, self.facts)] if self.case.child else []
        from reunify.records import load_case
        from reunify.records.family import children_of

        found = []
        for folder in children_of(self.case.family):
            case = self.case if folder == self.case.folder else load_case(folder)[0]
            if case is not None and case.child is not None:
                facts = self.facts if case is self.case else Facts(case, self.workflow, self.today)
                found.append((case.child, facts))
        return found

    def role_title(self, role: str) -> str:
        found = self.workflow.roles.get(role)
        return found.title if found else role.replace("_", " ").capitalize()

    def age(self, person: m.Person, on: dt.date | None = None) -> str:
        on = on or self.today
        if person.born is None:
            return ""
        if person.died is not None:
            return f"died {person.died.year} aged {age_in_years(person.born, person.died)}"
        return str(age_in_years(person.born, on))

    def child_age_on(self, on: dt.date) -> str:
        child = self.case.child
        if child is None or child.born is None:
            return ""
        return describe_age(child.born, on)

    # -- risk ---------------------------------------------------------------------

    def level_label(self, level: str | None) -> str:
        return self.workflow.level_label(level)

    def latest_classification(self) -> m.Classification | None:
        history = self.facts.risk_history
        return history[-1] if history else None


@functools.lru_cache(maxsize=4096)  # a document shows a few dozen dates, most of them in its others too
def day(value: dt.date | None) -> str:
    """A date as a document shows it: '7 July 2026'."""
    return f"{value.day} {value:%B %Y}" if value else ""


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def child_context(src: Source) -> Context:
    """The child as every document heads it."""
    child = src.case.child
    facts = src.facts
    home = src.case.household(src.case.case.home)
    return {
        "name": child.name if child else "",
        "first_name": child.name.split()[0] if child else "",
        "born": day(child.born) if child else "",
        "age": src.age(child) if child else "",
        "sex": child.sex.capitalize() if child else "",
        "legal_status": facts.describe_legal_status(),
        "placement": facts.describe_placement(),
        "home": home.name if home else "",
        "home_address": (home.address or "") if home else "",
        "trusted_adult": src.person_name(src.case.case.trusted_adult),
        **group_context(src),
    }


def group_context(src: Source) -> Context:
    """The children a shared document (the agreement, the plan) is for: every child of a
    sibling group, each with date of birth, legal status and placement; one child alone
    reads as the single-child documents do."""
    group = src.group
    alone = len(group) < 2

    def each(text: Callable[[m.Person, Facts], str]) -> str:
        if alone:
            return text(*group[0]) if group else ""
        return "\n".join(f"{person.name}: {text(person, facts)}" for person, facts in group)

    first = [person.name.split()[0] for person, _ in group]
    return {
        "label": "Child" if alone else "Children",
        "names": "\n".join(person.name for person, _ in group),
        "first_names": first[0] if len(first) == 1 else ", ".join(first[:-1]) + " and " + first[-1] if first else "",
        "births": each(lambda p, _: f"{day(p.born)} ({src.age(p)})" if p.born else "Not recorded"),
        "legal_statuses": each(lambda _, f: f.describe_legal_status()),
        "placements": each(lambda _, f: f.describe_placement()),
    }


def doc_context(src: Source, title: str) -> Context:
    """What every document's heading and footer show."""
    return {
        "title": title,
        "reference": src.case.case.reference,
        "authority": src.letterhead.name if src.letterhead else "",
        "logo": (src.letterhead.logo or "") if src.letterhead else "",
        "court_case": court_case(src),
        "date": day(src.today),
        "social_worker": src.role_holder("social_worker"),
        "team_manager": src.role_holder("team_manager"),
        "service_manager": src.role_holder("service_manager"),
        "workflow": src.workflow.title,
        # The workflow's titles for the roles the documents name (local titles too).
        "roles": {role: src.role_title(role)
                  for role in ("social_worker", "team_manager", "service_manager", "chronologist")},
    }


def court_case(src: Source) -> str:
    """'Family Court at Anytown, case number ZZ26C00001' once proceedings are under way, else ''."""
    proceedings = src.case.case.proceedings
    if proceedings is None or (proceedings.since is not None and proceedings.since > src.today):
        return ""
    return f"{proceedings.court}, case number {proceedings.case_number}"


LEVEL_STYLE: dict[str, tuple[str, str, str]] = {
    # level: (colour name, shape, fill colour as hex for Word shading)
    "low": ("Green", "●", "C6E9C3"),
    "medium": ("Amber", "▲", "FFE3A3"),
    "high": ("Red", "■", "F5B7B1"),
    "severe": ("Dark red", "◆", "D98880"),
}

RATING_STYLE: dict[str, tuple[str, str, str]] = {
    "green": ("Green", "●", "C6E9C3"),
    "amber": ("Amber", "▲", "FFE3A3"),
    "red": ("Red", "■", "F5B7B1"),
}


def levels_table(src: Source, marked: str | None) -> list[Context]:
    """The four levels, what each means and what follows, with this case's level marked."""
    rows = []
    for level, definition in src.workflow.risk_levels.items():
        colour, shape, fill = LEVEL_STYLE[level]
        rows.append({
            "level": definition.label,
            "colour": colour,
            "shape": shape,
            "fill": fill,
            "meaning": definition.meaning,
            "follows": definition.follows or "",
            "plain": definition.for_children.text("middle") if definition.for_children else definition.meaning,
            "this_case": "This case" if level == marked else "",
            "marker": f"{shape} {definition.label}" + ("  ◀ this case" if level == marked else ""),
        })
    return rows


def rating_context(rating: str) -> Context:
    colour, shape, fill = RATING_STYLE[rating]
    return {"word": colour, "shape": shape, "fill": fill, "label": f"{shape} {colour}"}


def classification_context(src: Source, item: m.Classification) -> Context:
    title = src.workflow.classification(item.id)
    return {
        "id": item.id,
        "title": title.title if title else item.id,
        "level": src.level_label(item.level),
        "date": day(item.date),
        "rationale": item.rationale,
        "recommended_by": src.member_names(item.recommended_by),
        "confirmed_by": src.member_name(item.confirmed_by),
        "confirmed": day(item.confirmed),
    }


def decision_context(src: Source, item: m.Decision) -> Context:
    definition = src.workflow.decisions.get(item.id)
    outcome = definition.outcomes.get(item.outcome) if definition else None
    return {
        "id": item.id,
        "title": definition.title if definition else item.id,
        "outcome": outcome.title if outcome else item.outcome,
        "date": day(item.date),
        "by": src.member_name(item.by),
        "reason": item.reason or "",
        "ratified_by": src.member_name(item.ratified_by),
        "ratified": day(item.ratified),
    }


def chronology_rows(src: Source) -> list[Context]:
    rows = []
    for entry in sorted(src.case.chronology.entries, key=lambda e: e.date):
        rows.append({
            "date": day(entry.date),
            "age": src.child_age_on(entry.date),
            "event": entry.event,
            "source": entry.source,
            "factors": ", ".join(factor.replace("_", " ") for factor in entry.factors),
            "impact": entry.impact or "",
            "response": entry.response or "",
            "analysis": entry.analysis or "",
        })
    return rows


def factor_counts(src: Source) -> list[Context]:
    counts: dict[str, int] = {}
    for entry in src.case.chronology.entries:
        for factor in entry.factors:
            counts[factor] = counts.get(factor, 0) + 1
    return [{"factor": factor.replace("_", " ").capitalize(), "count": str(count)}
            for factor, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def service_rows(src: Source, services: Iterable[m.Service]) -> list[Context]:
    return [{
        "service": item.service,
        "provider": item.provider or "",
        "for": src.names(item.recipients),
        "frequency": item.frequency or "",
        "from": day(item.since),
        "until": day(item.until),
    } for item in services]

