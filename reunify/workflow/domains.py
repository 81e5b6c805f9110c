"""The framework's assessment content, as workflow data: the Return Home Assessment's
domains and their questions, the factors of the risk classification table, and the
cautionary factors.

An authority rewords, adds or drops a domain's questions, a level's factors or a
cautionary factor in its local workflow; what needs code is only the closed vocabulary
of record fields a domain may show (the assessment's existing fields, mapped into the
domains so that nothing is recorded twice).
"""

from collections.abc import Callable
from collections.abc import Iterator
from typing import Annotated
from typing import Any
from typing import Literal

from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.schema import Len
from reunify.core.schema import Model
from reunify.core.schema import Str
from reunify.records.validation import did_you_mean
from reunify.records.values import ListOf

Text = Annotated[str, Str(strip=True, min_length=1)]
Name = Annotated[str, Str(pattern=r"[A-Za-z][A-Za-z0-9_]*", max_length=64)]

# Fields of assessment.yaml a domain about the child or the family may show, and how a
# document heads each; then those of a parent's section.
CASE_FIELDS: dict[str, str] = {
    "child_seen_alone": "Seen alone",
    "child_views": "The child's views, wishes and feelings",
    "housing": "Housing",
    "finances": "Finances",
    "school": "School",
    "support_needs": "Support needs and referrals",
    "police_checks": "Police checks",
}
PARENT_FIELDS: dict[str, str] = {
    "risk_factors": "Risk factors",
    "protective_factors": "Protective factors",
    "interaction": "How the risk and protective factors interact",
    "capacity_to_change": "Capacity to change",
}



class AssessmentDomain(Model):
    """One domain of the Return Home Assessment: what it is about and what it asks.

    `about` says whose it is: the child's own (each child of a sibling group answers it),
    the family's as a whole, or each parent's (answered parent by parent). `fields` are
    the assessment's own fields that belong to the domain, shown with its answer.
    """

    title: Text
    about: Literal["child", "family", "parent"]
    questions: Annotated[list[Text], Len(min_length=1)]
    fields: ListOf[Name] = []
    source: Text | None = None

    @property
    def per_parent(self) -> bool:
        return self.about == "parent"


class CautionaryFactor(Model):
    """A factor for which the framework asks that reunification be considered cautiously,
    and how the records show it: chronology entries with one of `chronology_factors`, a
    parent's risk factor naming one of `risk_factor_words`, or (`breakdown`) a return home
    in this case that broke down."""

    title: Text
    chronology_factors: ListOf[Name] = []
    risk_factor_words: ListOf[Text] = []
    breakdown: bool = False
    source: Text | None = None


Report = Callable[..., Problem]


def check_content(domains: dict[str, AssessmentDomain], factors: dict[str, dict[str, str]],
                  problem: Report) -> Iterator[Problem]:
    """What the models cannot see: a domain's fields in the vocabulary for whom it is about,
    no field in two domains, and each factor id of the risk levels used once."""
    shown: dict[str, str] = {}
    for domain_id, domain in domains.items():
        known = PARENT_FIELDS if domain.per_parent else CASE_FIELDS
        for index, name in enumerate(domain.fields):
            at: FieldPath = ("assessment_domains", domain_id, "fields", index)
            if name not in known:
                other = CASE_FIELDS if domain.per_parent else PARENT_FIELDS
                whose = (" (it is a field of the whole assessment, not of a parent's section)" if name in other
                         and domain.per_parent else " (it is a field of a parent's section)" if name in other else "")
                yield problem(at, f"unknown field '{name}'" + did_you_mean(name, list(known)) + whose,
                              "fields: " + ", ".join(known))
            elif name in shown:
                yield problem(at, f"'{name}' is shown by domain '{shown[name]}' already")
            else:
                shown[name] = domain_id
    first: dict[str, str] = {}
    for level, found in factors.items():
        for factor_id in found:
            if factor_id in first:
                yield problem(("risk_levels", level, "factors", factor_id),
                              f"factor '{factor_id}' is a factor of {first[factor_id]} already",
                              "each factor's id is used once, so a classification names it alone")
            else:
                first[factor_id] = level


def factor_levels(levels: dict[Any, Any]) -> dict[str, str]:
    """Each factor id of the risk classification table, and the level it indicates."""
    return {factor_id: level for level, definition in levels.items() for factor_id in definition.factors}
