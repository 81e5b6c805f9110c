"""The framework's assessment content in a case: answers to the assessment's domains and
the risk classification table's factors checked against the workflow, and the cautionary
factors found in the records.

`cautions` is a pure function of the facts: the documents list what it finds, and
`reunify next` notes it when a classification is due. Its checks register with
`reunify.engine.checks`, as every check does.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from collections.abc import Sequence

import msgspec

from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.engine.checks import ERROR
from reunify.engine.checks import NOTE
from reunify.engine.checks import _p
from reunify.engine.checks import check
from reunify.engine.facts import Facts
from reunify.records.validation import did_you_mean
from reunify.workflow.domains import CautionaryFactor
from reunify.workflow.domains import factor_levels

ASSESSMENT = "assessment.yaml"


@check
def check_domain_answers(facts: Facts) -> Iterator[Problem]:
    """Each answer under `domains:` names a domain of the workflow, in the right place: a
    domain about each parent in the parent's section, any other at the top."""
    domains = facts.workflow.assessment_domains
    known = list(domains)
    hint = "domains: " + ", ".join(known) if known else "the workflow defines no assessment domains"
    for key in facts.case.assessment.domains:
        at: FieldPath = ("domains", key)
        domain = domains.get(key)
        if domain is None:
            yield _p(facts, ASSESSMENT, at, "unknown assessment domain" + did_you_mean(key, known), hint=hint)
        elif domain.per_parent:
            yield _p(facts, ASSESSMENT, at, f"'{key}' is answered for each parent",
                     hint="write it under the parent's section: parents: - person: ... domains:")
    for index, parent in enumerate(facts.case.assessment.parents):
        for key in parent.domains:
            at = ("parents", index, "domains", key)
            domain = domains.get(key)
            if domain is None:
                yield _p(facts, ASSESSMENT, at, "unknown assessment domain" + did_you_mean(key, known), hint=hint)
            elif not domain.per_parent:
                yield _p(facts, ASSESSMENT, at, f"'{key}' is about the {domain.about}, not a parent",
                         hint="write it under 'domains:' at the top of assessment.yaml")


@check
def check_classification_factors(facts: Facts) -> Iterator[Problem]:
    """The factors a classification found are factors of the workflow's risk levels, each once."""
    levels = factor_levels(facts.workflow.risk_levels)
    known = list(levels)
    for index, item in enumerate(facts.case.risk.classifications):
        seen: set[str] = set()
        for number, factor in enumerate(item.factors):
            at: FieldPath = ("classifications", index, "factors", number)
            if factor not in levels:
                yield _p(facts, "risk.yaml", at, "unknown risk factor" + did_you_mean(factor, known),
                         ERROR, hint="'reunify workflow show' lists each level's factors" if known
                         else "the workflow's risk levels define no factors")
            elif factor in seen:
                yield _p(facts, "risk.yaml", at, f"factor '{factor}' is listed twice", ERROR)
            seen.add(factor)


# -- the cautionary factors ------------------------------------------------------------------


class Evidence(msgspec.Struct, frozen=True):
    """A record that shows a cautionary factor: its kind ("chronology", "risk_factor",
    "breakdown"), its date (None: undated), the record file and the field in it, what it
    says (the entry's event, the risk factor), and whose it is (a parent's, for a risk
    factor; for a breakdown, the day of the return home that broke down)."""

    kind: str
    day: dt.date | None
    file: str
    path: FieldPath
    says: str = ""
    person: str | None = None
    returned: dt.date | None = None


class Caution(msgspec.Struct, frozen=True):
    """A cautionary factor the records show, with every record that shows it (dated first)."""

    id: str
    title: str
    source: str | None
    evidence: tuple[Evidence, ...]


@functools.lru_cache(maxsize=64)
def _words(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w.strip()) for w in words if w.strip()) + ")", re.IGNORECASE)


def _evidence(facts: Facts, factor: CautionaryFactor) -> list[Evidence]:
    case = facts.case
    found: list[Evidence] = []
    codes = set(factor.chronology_factors)
    for index, entry in enumerate(case.chronology.entries):
        if codes & set(entry.factors):
            found.append(Evidence("chronology", entry.date, "chronology.yaml", ("entries", index, "factors"),
                                  entry.event))
    pattern = _words(tuple(factor.risk_factor_words))
    if pattern is not None:
        for index, parent in enumerate(case.assessment.parents):
            for number, text in enumerate(parent.risk_factors):
                if pattern.search(text):
                    found.append(Evidence("risk_factor", None, ASSESSMENT, ("parents", index, "risk_factors", number),
                                          text, parent.person))
    broke = facts.breakdown if factor.breakdown else None
    if broke is not None and facts.return_date is not None:
        found.append(Evidence("breakdown", broke[0], "case.yaml", broke[1], returned=facts.return_date))
    dated = sorted((e for e in found if e.day is not None), key=lambda e: e.day or dt.date.min)
    return dated + [e for e in found if e.day is None]


def cautions(facts: Facts) -> list[Caution]:
    """The cautionary factors the records show (seed 002: reunification is to be considered
    cautiously where one is present), each with the records that show it."""
    found = []
    for factor_id, factor in facts.workflow.cautionary_factors.items():
        evidence = _evidence(facts, factor)
        if evidence:
            found.append(Caution(factor_id, factor.title, factor.source, tuple(evidence)))
    return found


def caution_notes(facts: Facts, classifying: Sequence[str]) -> list[Problem]:
    """A note for each cautionary factor while a classification is due (`classifying`: the
    classifications that can be recorded now), pointing at the latest record showing it."""
    if not classifying:
        return []
    notes = []
    for caution in cautions(facts):
        latest = max(caution.evidence, key=lambda e: e.day or dt.date.min)
        count = len(caution.evidence)
        notes.append(_p(facts, latest.file, latest.path,
                        f"cautionary factor for {', '.join(classifying)}: {caution.title.lower()}; "
                        "reunification is to be considered cautiously", NOTE,
                        hint=f"shown by {count} record{'s' if count != 1 else ''}, listed in the Return Home "
                        "Assessment and the risk classification record" + (f" ({caution.source})"
                                                                          if caution.source else ""),
                        code="caution"))
    return notes
