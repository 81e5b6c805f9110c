"""The framework documents: template, context builder, sections, and what each needs.

A document renders only when the records it draws on are valid and hold what it needs;
otherwise `missing` says exactly what is not there yet, as `Problem`s pointing at the
file and field to fill in, the same way `reunify check` reports problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reunify.core.problems import Problem
from reunify.documents import assessment_content
from reunify.documents import builders as b
from reunify.documents import for_child
from reunify.documents import panel
from reunify.documents.context import Context
from reunify.documents.context import Source
from reunify.records import Case
from reunify.records.validation import did_you_mean
from reunify.workflow import Workflow

Requirement = Callable[[Source], list[Problem]]


@dataclass(frozen=True)
class Signature:
    """The day a document was signed (and by whom, a team member's id): it describes the
    records as they stood that day, whenever it is rendered."""

    day: dt.date
    by: str | None
    what: str  # "signed off", "confirmed", "agreed"
    fixed: bool = True  # False: a living document (reviewed after it is made), shown as it is now


@dataclass(frozen=True)
class Document:
    id: str
    build: Callable[[Source], Context]
    files: tuple[str, ...]
    sections: tuple[str, ...] = ()
    requires: tuple[Requirement, ...] = ()
    genogram: bool = False
    signed: Callable[[Case, Workflow], Signature | None] | None = None  # None: a working document
    # Warnings about what it would print (a document for the child naming an adult who is a risk)
    warnings: Callable[[Source], list[Problem]] | None = None
    # Sections its builder leaves out, named by the workflow (the assessment's domains)
    more_sections: Callable[[Workflow], tuple[str, ...]] | None = None

    @property
    def template(self) -> str:
        return f"{self.id}.docx"

    def missing(self, src: Source) -> list[Problem]:
        return [problem for requirement in self.requires for problem in requirement(src)]


def _need(file: str, path: tuple[str, ...], message: str, hint: str,
          present: Callable[[Source], object]) -> Requirement:
    def requirement(src: Source) -> list[Problem]:
        if present(src):
            return []
        return [Problem(src.case.file(file), path, message, hint=hint, code="document")]
    return requirement


DECISION_1 = _need("decisions.yaml", ("decisions",), "Decision 1 is not recorded yet",
                   "record it with 'reunify decide D1'", lambda s: "D1" in s.facts.decisions)
CHRONOLOGY = _need("chronology.yaml", ("entries",), "the chronology has no entries yet",
                   "add them with 'reunify chronology --date YYYY-MM-DD --event TEXT --source TEXT'", lambda s: s.case.chronology.entries)
PEOPLE = _need("people.yaml", ("people",), "no family members are recorded yet",
               "add them with 'reunify person add NAME --relationship TEXT'", lambda s: len(s.case.people.people) > 1)
ASSESSMENT = _need("assessment.yaml", ("parents",), "the Return Home Assessment has no parent assessed yet",
                   "add them with 'reunify assessment parent PERSON --risk-factor TEXT --protective-factor TEXT'",
                   lambda s: s.case.assessment.parents)
CLASSIFIED = _need("risk.yaml", ("classifications",), "no risk classification is recorded yet",
                   "record RC1 with 'reunify classify RC1'", lambda s: s.case.risk.classifications)
AGREEMENT = _need("agreement.yaml", ("parents",), "the parental agreement has no parent's goals yet",
                  "add them with 'reunify goal add --parent PERSON --change TEXT --evidence TEXT --due YYYY-MM-DD --support TEXT'", lambda s: s.case.agreement.parents)
PLAN = _need("plan.yaml", ("support",), "the reunification plan has no support services yet",
             "add it with 'reunify plan support SERVICE'", lambda s: s.case.plan.support)
HOME = _need("case.yaml", ("home",), "the household the child would return to is not named",
             "name it with 'reunify household add NAME --member PERSON --home'", lambda s: s.case.case.home)

def _assessment_signed(case: Case, workflow: Workflow) -> Signature | None:
    sign_off = case.assessment.signed_off
    return Signature(sign_off.date, sign_off.by, "signed off") if sign_off is not None else None


def _classification_confirmed(case: Case, workflow: Workflow) -> Signature | None:
    """The latest classification's confirmation: the record of the level in force."""
    history = sorted(case.risk.classifications, key=lambda c: c.date)
    latest = history[-1] if history else None
    if latest is None or latest.confirmed is None:
        return None
    return Signature(latest.confirmed, latest.confirmed_by, "confirmed")


def _agreement_made(case: Case, workflow: Workflow) -> Signature | None:
    agreed = case.agreement.agreed
    # The agreement is reviewed and updated after it is made: it shows its reviews to date.
    return Signature(agreed, None, "agreed", fixed=False) if agreed is not None else None


def _panel_sat(case: Case, workflow: Workflow) -> Signature | None:
    """The day the panel sat (its meeting, or its step done): the pack is what it read."""
    held = panel.sittings(case, workflow)
    return Signature(held[0].day, held[0].by, "presented to the panel") if held else None


DOCUMENTS: dict[str, Document] = {d.id: d for d in (
    Document("monitoring_form", b.monitoring_form,
             ("case.yaml", "decisions.yaml", "risk.yaml", "events.yaml", "people.yaml"),
             ("key_dates", "decisions", "classifications", "visits", "sdq", "reviews", "outcomes_tool", "steps"),
             (DECISION_1,)),
    Document("chronology", b.chronology, ("chronology.yaml", "people.yaml"), ("factors",), (CHRONOLOGY,)),
    Document("chronology_court", b.chronology_court, ("chronology.yaml", "people.yaml"), (), (CHRONOLOGY,)),
    Document("genogram", b.genogram, ("people.yaml",), ("people",), (PEOPLE,), genogram=True),
    # The assessment's domains (the workflow's) and the fields of its old sections are shown
    # or left out by its builder; `more_sections` names them for `omit:`.
    Document("return_home_assessment", b.return_home_assessment,
             ("assessment.yaml", "people.yaml", "chronology.yaml", "risk.yaml", "case.yaml"),
             ("genogram", "chronology_summary", "cautionary_factors", "conclusion"), (ASSESSMENT,), genogram=True,
             signed=_assessment_signed, more_sections=assessment_content.more_sections),
    Document("risk_classification", b.risk_classification,
             ("risk.yaml", "chronology.yaml", "assessment.yaml", "case.yaml"),
             ("levels", "cautionary_factors", "history"), (CLASSIFIED,), signed=_classification_confirmed),
    # The documents for the child, written to the child (reunify.documents.for_child).
    Document("accessible_risk_table", for_child.accessible_risk_table,
             ("risk.yaml", "case.yaml", "people.yaml", "decisions.yaml", "events.yaml"), (),
             warnings=for_child.table_warnings),
    Document("young_persons_report", for_child.young_persons_report,
             ("risk.yaml", "case.yaml", "people.yaml", "decisions.yaml", "events.yaml", "assessment.yaml",
              "plan.yaml"),
             ("views", "next_steps", "trusted_adult"), (CLASSIFIED,), warnings=for_child.report_warnings),
    Document("parental_agreement", b.parental_agreement, ("agreement.yaml", "people.yaml", "plan.yaml"),
             ("strengths_concerns", "reviews", "communication", "contingency", "signatures"), (AGREEMENT,),
             signed=_agreement_made),
    Document("reunification_plan", b.reunification_plan, ("plan.yaml", "people.yaml"),
             ("support", "contact", "transition", "communication", "contingency", "after_return"), (PLAN,)),
    Document("pwp_front_sheet", b.pwp_front_sheet,
             ("case.yaml", "people.yaml", "assessment.yaml", "decisions.yaml", "events.yaml", "plan.yaml"),
             ("household", "decision", "visits", "contact"), (HOME,)),
    # Once the panel has sat, the pack is the papers it read, as they stood that day.
    Document("cpag_pack", panel.cpag_pack,
             ("assessment.yaml", "chronology.yaml", "decisions.yaml", "agreement.yaml", "plan.yaml",
              "case.yaml", "people.yaml", "events.yaml"),
             ("cover", "assessment", "chronology", "decisions", "agreement", "plan", "front_sheet"),
             (ASSESSMENT, CHRONOLOGY, AGREEMENT, PLAN, HOME), genogram=True, signed=_panel_sat),
)}


def unknown_sections(workflow: Workflow, file: Path) -> list[Problem]:
    """`omit:` entries of the workflow's documents that name no section of the document."""
    problems = []
    for document_id in workflow.documents:
        definition = workflow.document(document_id)
        spec = DOCUMENTS.get(document_id)
        known = (*spec.sections, *(spec.more_sections(workflow) if spec.more_sections else ())) if spec else ()
        for index, section in enumerate(definition.omit if definition else []):
            if section not in known:
                problems.append(Problem(file, ("documents", document_id, "omit", index),
                                        f"'{document_id}' has no section '{section}'" + did_you_mean(section, known),
                                        hint="sections: " + (", ".join(known) or "none"), code="workflow"))
    return problems
