"""SSDA903 codes (England's children looked after data return) and what they mean.

The meanings follow the Department for Education's SSDA903 guidance; check them against
the current year's guidance before relying on them for a statutory return.
"""

from __future__ import annotations

LEGAL_STATUS: dict[str, str] = {
    "C1": "interim care order",
    "C2": "full care order",
    "D1": "freeing order granted",
    "E1": "placement order granted",
    "J1": "remanded to local authority or youth detention accommodation",
    "J2": "placed in local authority accommodation under PACE 1984",
    "J3": "sentenced to a youth rehabilitation order with a residence requirement",
    "L1": "police protection, in local authority accommodation",
    "L2": "emergency protection order",
    "L3": "child assessment order, in local authority accommodation",
    "V2": "single period of accommodation under section 20",
    "V3": "agreed series of short-term breaks (episodes recorded)",
    "V4": "agreed series of short-term breaks (agreements recorded)",
}

PLACEMENT: dict[str, str] = {
    "A3": "placed for adoption with consent, with current foster carers",
    "A4": "placed for adoption with consent, not with current foster carers",
    "A5": "placed for adoption under a placement order, with current foster carers",
    "A6": "placed for adoption under a placement order, not with current foster carers",
    "H5": "semi-independent living accommodation",
    "K1": "secure children's home",
    "K2": "children's home",
    "P1": "placed with own parent(s) or other person(s) with parental responsibility",
    "P2": "independent living",
    "P3": "residential employment",
    "R1": "residential care home",
    "R2": "NHS or other establishment providing medical or nursing care",
    "R3": "family centre or mother and baby unit",
    "R5": "young offender institution or prison",
    "S1": "residential school",
    "T0": "temporary move",
    "U1": "foster placement with relative or friend, long term",
    "U2": "foster placement with relative or friend who is an approved adopter",
    "U3": "foster placement with relative or friend, not long term",
    "U4": "foster placement with other foster carer, long term",
    "U5": "foster placement with other foster carer who is an approved adopter",
    "U6": "foster placement with other foster carer, not long term",
    "Z1": "other placement",
}

EPISODE_ENDED: dict[str, str] = {
    "E4A": "returned home as part of care planning",
    "E4B": "returned home not as part of care planning",
    "E11": "adopted, application unopposed",
    "E12": "adopted, consent dispensed with by the court",
    "E13": "left care to live with a person without parental responsibility",
    "E41": "child arrangements (residence) order granted",
    "E8": "period of care ceased for any other reason",
}

SECTION_20 = frozenset({"V2", "V3", "V4"})
PLACED_WITH_PARENTS = "P1"


def describe(table: dict[str, str], code: str) -> str:
    """'C2 (full care order)'; an unknown code (which 'check' reports) as 'an unknown code',
    never as written: a mistyped field can hold anything, a name included."""
    meaning = table.get(code)
    return f"{code} ({meaning})" if meaning else "an unknown code"
