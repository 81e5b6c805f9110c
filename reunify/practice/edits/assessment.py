"""Recording the answer to a domain of the Return Home Assessment.

The domains and their questions are the workflow's (`assessment_domains`). An answer
about each parent goes in the parent's section (`parents: - person: ... domains:`), any
other under `domains:` at the top: the family's file for a domain about the family (in a
sibling group's folder), the child's own file for a domain about the child. As every
recording does, it holds the case's lock, checks first, then writes once, round-trip.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reunify.core.errors import FieldError
from reunify.core.errors import ReunifyError
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import add_entry
from reunify.core.yamlio import block
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import set_last
from reunify.core.yamlio import write_new_file
from reunify.practice.edits.plans import ASSESSMENT
from reunify.practice.edits.plans import _header
from reunify.practice.edits.plans import _parent
from reunify.practice.recording import Recorded
from reunify.practice.recording import locked
from reunify.practice.recording import one_child
from reunify.practice.recording import open_case
from reunify.practice.recording import text_or_none
from reunify.records import Case
from reunify.records.family import family_file
from reunify.records.family import family_of
from reunify.records.family import is_family_folder
from reunify.records.validation import did_you_mean
from reunify.workflow import Workflow
from reunify.workflow.domains import AssessmentDomain


def domain_of(workflow: Workflow, domain_id: str) -> AssessmentDomain:
    """The workflow's domain `domain_id`, or an error listing the domains."""
    found = workflow.assessment_domains.get(domain_id)
    if found is None:
        known = list(workflow.assessment_domains)
        raise ReunifyError(f"unknown assessment domain '{domain_id}'" + did_you_mean(domain_id, known)
                           + (" (domains: " + ", ".join(known) + ")" if known else
                              " (the workflow defines no assessment domains)"))
    return found


def current_answer(case: Case, domain_id: str, person: str | None) -> str | None:
    """The answer recorded now, for the editor to start from."""
    if person is None:
        return case.assessment.domains.get(domain_id)
    parent = next((p for p in case.assessment.parents if p.person == person), None)
    return parent.domains.get(domain_id) if parent else None


def _file_for(folder: Path, domain: AssessmentDomain) -> Path:
    """Where a new answer about the child or the family belongs."""
    if is_family_folder(folder):  # never a domain about the child: refused before
        return family_file(folder, ASSESSMENT)
    family = family_of(folder)
    if family is not None and domain.about != "child":
        return family_file(family, ASSESSMENT)
    return folder / ASSESSMENT


def _set_answer(mapping: CommentedMap, domain_id: str, text: str) -> None:
    """`domains: {domain_id: text}` in `mapping`, in place when the mapping holds answers."""
    answers = mapping.get("domains")
    if isinstance(answers, CommentedMap) and answers:
        answers[domain_id] = block(text)
    elif "domains" in mapping:  # an empty `{}` would keep flow style
        mapping["domains"] = CommentedMap([(domain_id, block(text))])
    else:
        set_last(mapping, "domains", CommentedMap([(domain_id, block(text))]))


@locked
def answer_domain(folder: Path, domain_id: str, text: str, *, today: dt.date,
                  parent: str | None = None) -> Recorded:
    """Write the answer to one domain of the assessment, replacing what it held."""
    case, workflow = open_case(folder, today)
    domain = domain_of(workflow, domain_id)
    if domain.about == "child":
        one_child(folder, "an answer about the child")
    value = text_or_none(text)
    if value is None:
        raise ReunifyError("the answer is empty; nothing written")
    if domain.per_parent:
        if not parent:
            raise FieldError("parent", f" is needed: '{domain_id}' is answered for each parent")
        return _answer_for_parent(folder, case, domain_id, domain, value, parent)
    if parent:
        raise FieldError("parent", f": '{domain_id}' is about the {domain.about}, not each parent")
    current = case.assessment.domains.get(domain_id)
    path = case.source(ASSESSMENT, ("domains", domain_id))[0] if current is not None else _file_for(folder, domain)
    if not path.exists():
        write_new_file(path, _header(ASSESSMENT, path))
    with edit_file(path) as edit:
        _set_answer(edit.data, domain_id, value)
    return Recorded(path, ("replaced" if current is not None else "recorded")
                    + f" the answer to '{domain.title}'")


def _answer_for_parent(folder: Path, case: Case, domain_id: str, domain: AssessmentDomain, value: str,
                       who: str) -> Recorded:
    person = _parent(case, who, "parent")
    index = next((i for i, p in enumerate(case.assessment.parents) if p.person == person.id), None)
    if index is None:
        path = _file_for(folder, domain)
        if not path.exists():
            write_new_file(path, _header(ASSESSMENT, path))
        with edit_file(path) as edit:
            add_entry(edit.data, "parents", {"person": person.id,
                                             "domains": CommentedMap([(domain_id, block(value))])})
        return Recorded(path, f"added a parent's section to the assessment, with the answer to '{domain.title}'")
    current = case.assessment.parents[index].domains.get(domain_id)
    path, (_, at) = case.source(ASSESSMENT, ("parents", index))
    with edit_file(path) as edit:
        _set_answer(edit.data["parents"][at], domain_id, value)
    return Recorded(path, ("replaced" if current is not None else "recorded")
                    + f" the answer to '{domain.title}' for a parent")
