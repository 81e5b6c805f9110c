"""The framework's assessment content in the documents: the Return Home Assessment's
domains with their questions and answers, the cautionary factors with the records that
show them, and the risk classification table with each level's factors.

Pure functions of a `Source`, as every context builder is. The domains and factors are the
workflow's; the assessment's own fields (housing, the child's views, a parent's risk
factors, ...) are shown inside the domain the workflow maps them to.
"""

from __future__ import annotations

from reunify.documents.context import LEVEL_STYLE
from reunify.documents.context import Context
from reunify.documents.context import Source
from reunify.documents.context import day
from reunify.engine.assessed import Evidence
from reunify.engine.assessed import cautions
from reunify.records import models as m
from reunify.workflow import Workflow
from reunify.workflow.domains import CASE_FIELDS
from reunify.workflow.domains import PARENT_FIELDS

RHA = "return_home_assessment"

# The sections of the assessment before it was set out by domain, each still a name `omit:`
# takes: it leaves out the fields it held (wherever a domain shows them now).
FIELD_SECTIONS: dict[str, tuple[str, ...]] = {
    "parents": tuple(PARENT_FIELDS),
    "child_views": ("child_views", "child_seen_alone"),
    "housing": ("housing",),
    "finances": ("finances",),
    "school": ("school",),
    "support_needs": ("support_needs",),
    "police_checks": ("police_checks",),
}


def more_sections(workflow: Workflow) -> tuple[str, ...]:
    """The assessment's sections an `omit:` may name besides the template's own: the old
    sections' names and the workflow's domains."""
    return (*FIELD_SECTIONS, *(d for d in workflow.assessment_domains if d not in FIELD_SECTIONS))


def _omitted(src: Source) -> tuple[set[str], set[str]]:
    """The domains and the fields the workflow's `omit:` leaves out of the assessment."""
    definition = src.workflow.document(RHA)
    omit = set(definition.omit) if definition else set()
    fields = {name for section in omit & set(FIELD_SECTIONS) for name in FIELD_SECTIONS[section]}
    return omit & set(src.workflow.assessment_domains), fields


def _part(label: str, kind: str, text: str = "", entries: list[str] | None = None,
          rows: list[Context] | None = None) -> Context:
    """One field as a document shows it: `kind` is 'text' (a paragraph), 'inline' (a date
    after its label), 'list' (bullets) or 'checks' (the police checks' table)."""
    return {"label": label, "kind": kind, "text": text, "entries": entries or [], "rows": rows or []}


def _case_part(src: Source, name: str) -> Context:
    record = src.case.assessment
    label = CASE_FIELDS[name]
    if name == "child_seen_alone":
        return _part(label, "inline", day(record.child_seen_alone))
    if name == "support_needs":
        return _part(label, "list", entries=list(record.support_needs))
    if name == "police_checks":
        return _part(label, "checks", rows=[{"name": src.person_name(c.person), "date": day(c.date),
                                              "result": c.result} for c in record.police_checks])
    return _part(label, "text", getattr(record, name) or "")


def _parent_part(item: m.ParentAssessment, name: str) -> Context:
    label = PARENT_FIELDS[name]
    if name in ("risk_factors", "protective_factors"):
        return _part(label, "list", entries=list(getattr(item, name)))
    return _part(label, "text", getattr(item, name) or "")


def domains(src: Source) -> list[Context]:
    """Each domain of the assessment in the workflow's order (those `omit:` leaves out
    apart), numbered: its questions, the fields it shows and the recorded answer; for a
    domain about each parent, those parent by parent."""
    left_out, hidden = _omitted(src)
    record = src.case.assessment
    found: list[Context] = []
    for domain_id, domain in src.workflow.assessment_domains.items():
        fields = [name for name in domain.fields if name not in hidden]
        if domain_id in left_out or (domain.fields and not fields):
            continue
        parents = []
        if domain.per_parent:
            for item in record.parents:
                person = src.case.person(item.person)
                parents.append({
                    "name": src.person_name(item.person),
                    "relationship": (person.relationship or "") if person else "",
                    "parts": [_parent_part(item, name) for name in fields],
                    "answer": item.domains.get(domain_id, ""),
                })
        found.append({
            "number": str(len(found) + 1),
            "title": domain.title,
            "questions": list(domain.questions),
            "per_parent": domain.per_parent,
            "has_fields": bool(fields),
            "parts": [] if domain.per_parent else [_case_part(src, name) for name in fields],
            "answer": "" if domain.per_parent else record.domains.get(domain_id, ""),
            "parents": parents,
        })
    return found


# -- the cautionary factors ------------------------------------------------------------------


def _record(src: Source, evidence: Evidence) -> Context:
    """A record that shows a cautionary factor: its date, the record (and its file), what it says."""
    if evidence.kind == "breakdown":
        came_back = day(evidence.day)
        says = (f"The return home of {day(evidence.returned)} broke down: the child came back into care on "
                f"{came_back}.")
        return {"date": came_back, "record": f"Legal status and placements ({evidence.file})", "says": says}
    if evidence.kind == "risk_factor":
        whose = src.person_name(evidence.person)
        return {"date": "Not dated", "says": evidence.says,
                "record": f"Return Home Assessment: {whose}'s risk factors ({evidence.file})" if whose
                else f"Return Home Assessment: a parent's risk factors ({evidence.file})"}
    return {"date": day(evidence.day), "record": f"Chronology ({evidence.file})", "says": evidence.says}


def caution_rows(src: Source) -> list[Context]:
    """The cautionary factors the records show, each with the records that show it."""
    return [{"title": caution.title, "source": caution.source or "",
             "records": [_record(src, evidence) for evidence in caution.evidence]}
            for caution in cautions(src.facts)]


# -- the risk classification table -----------------------------------------------------------


def classification_table(src: Source, item: m.Classification) -> list[Context]:
    """The four levels: what each means and what follows, its factors with those this
    classification found ticked, and its own level marked."""
    found = set(item.factors)
    rows = []
    for level, definition in src.workflow.risk_levels.items():
        _, shape, fill = LEVEL_STYLE[level]
        chosen = level == item.level
        rows.append({
            "level": definition.label,
            "shape": shape,
            "fill": fill,
            "meaning": definition.meaning,
            "follows": definition.follows or "",
            "factors": [{"text": text, "found": key in found} for key, text in definition.factors.items()],
            "this_case": "This case" if chosen else "",
            "marker": f"{shape} {definition.label}" + ("  ◀ this case" if chosen else ""),
        })
    return rows
