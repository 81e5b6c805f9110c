"""Free text scrubbed: names, ids, places, contact details and identity numbers replaced, dates moved.

Names and places go as whole words, with or without accents ("Zoe" for "Zoë" and back),
with their possessive and plural, and in initials ("K. Thornbury", "KT"); a name that is
also an ordinary word (Will, Hope, Frank) goes only where it is capitalised, so "We hope
Will will attend" keeps "hope" and "will". Emails, UK phone numbers, postcodes and
addresses become [email], [phone], [postcode] and [address] (a household's own address
its fictional one); NHS numbers (with a valid check digit) and National Insurance numbers
become [NHS number] and [NI number]. A date written after "DOB" or "date of birth" becomes
[date of birth]; other dates move by the shift, or become [date] when they cannot exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from reunify.records import Case
from reunify.teaching.anonymise.names import Names
from reunify.teaching.anonymise.patterns import DOB_PARSER
from reunify.teaching.anonymise.patterns import FIXED_PATTERNS
from reunify.teaching.anonymise.patterns import KINDS
from reunify.teaching.anonymise.patterns import NOT_LETTER_AFTER
from reunify.teaching.anonymise.patterns import NOT_LETTER_BEFORE
from reunify.teaching.anonymise.patterns import WORD
from reunify.teaching.anonymise.patterns import accented_alternation
from reunify.teaching.anonymise.patterns import alternation
from reunify.teaching.anonymise.patterns import flexible
from reunify.teaching.anonymise.shift import move_date
from reunify.teaching.anonymise.shift import move_month
from reunify.teaching.anonymise.shift import move_year
from reunify.teaching.anonymise.words import cased
from reunify.teaching.anonymise.words import fold


class Scrubber:
    """The free text of one copy scrubbed, with one pattern for every kind of thing it replaces."""

    def __init__(self, case: Case, names: Names, shift: dt.timedelta, reference: str,
                 counts: Counter[str]) -> None:
        """`reference`: the copy's case reference, for the original's wherever it is written."""
        self.case = case
        self.names = names
        self.shift = shift
        self.reference = reference
        self.counts = counts
        self._patterns: dict[frozenset[str], re.Pattern[str]] = {}

    def scrub(self, text: str, skip: frozenset[str] = frozenset()) -> str:
        """Free text without names, ids, places, contact details or unshifted dates."""
        return self._pattern(skip).sub(lambda found: self._replace(found, skip), text)

    def _pattern(self, skip: frozenset[str]) -> re.Pattern[str]:
        if skip not in self._patterns:
            names = self.names
            patterns = dict(FIXED_PATTERNS)
            if names.addresses:
                patterns["address"] = "(?i:" + alternation(names.original_addresses()) + ")"
            patterns["reference"] = rf"(?<![\w-])(?i:{flexible(self.case.case.reference)})(?![\w-])"
            # Ids of one word are names, and get their case from the text; the rest as written.
            ids = [old for old in names.ids if not re.fullmatch(WORD, old)]
            if ids:
                patterns["id"] = rf"(?<![\w.-])(?:{alternation(ids)})(?![\w-])"
            if names.first_initials:
                families = accented_alternation({family for _, family in names.first_initials})
                patterns["initial"] = (rf"(?<![\w.'’])(?P<i_letter>[B-HJ-Z](?:\.|(?=[ \t]))|[AI]\.)[ \t]*"
                                       rf"(?=(?P<i_family>(?i:{families})){NOT_LETTER_AFTER})")
            if names.initials:
                forms = {form for old in names.initials for form in (old, ".".join(old) + ".")}
                patterns["initials"] = rf"(?<![\w.'’])(?:{alternation(forms)})(?!\w)"
            words = names.variants()
            loose = {w for w in words if fold(w) in names.name_keys - names.strict_keys}
            strict = {form for w in words if fold(w) in names.strict_keys for form in (_title(w), w.upper())}
            options = [rf"(?P<n_word>(?i:{accented_alternation(loose)}))(?P<n_plural>(?i:s))?"] if loose else []
            options += [rf"(?P<n_strict>{accented_alternation(strict, exact=True)})"] if strict else []
            if options:
                patterns["name"] = rf"{NOT_LETTER_BEFORE}(?:{'|'.join(options)}){NOT_LETTER_AFTER}"
            places = {form for w in words if fold(w) in names.place_keys for form in (_title(w), w.upper())}
            if places:
                patterns["place"] = (rf"{NOT_LETTER_BEFORE}(?:{accented_alternation(places, exact=True)})"
                                     rf"{NOT_LETTER_AFTER}")
            self._patterns[skip] = re.compile("|".join(
                f"(?P<k_{kind}>{patterns[kind]})" for kind in KINDS if kind in patterns and kind not in skip))
        return self._patterns[skip]

    def _replace(self, found: re.Match[str], skip: frozenset[str]) -> str:
        kind = next(k for k in KINDS if f"k_{k}" in found.re.groupindex and found.group(f"k_{k}") is not None)
        text = found.group(0)
        names = self.names
        if kind == "email":
            self.counts["emails"] += 1
            return "[email]"
        if kind == "phone":
            if not _is_phone(text):
                return self.scrub(text, skip | {"phone"})
            self.counts["phone_numbers"] += 1
            return "[phone]"
        if kind == "nhs_number":
            if not _is_nhs_number(text):
                return self.scrub(text, skip | {"nhs_number"})
            self.counts["identity_numbers"] += 1
            return "[NHS number]"
        if kind == "ni_number":
            self.counts["identity_numbers"] += 1
            return "[NI number]"
        if kind == "dob":
            self.counts["dates_of_birth"] += 1
            parts = DOB_PARSER.fullmatch(text)
            return (parts.group("label") if parts else "") + "[date of birth]"
        if kind == "address":
            self.counts["addresses"] += 1
            return names.address(text)
        if kind == "reference":
            self.counts["references"] += 1
            return self.reference
        if kind == "date":
            moved = move_date(text, self.shift)
            if moved is None:
                self.counts["dates_replaced"] += 1
                return "[date]." if text.endswith(".") else "[date]"
            self.counts["dates_in_text"] += 1
            return moved
        if kind == "street" and not re.search(r"\d", text) and any(
                fold(w) in names.name_keys for w in re.findall(WORD, text)):
            return self.scrub(text, skip | {"street"})  # "Lois Lane" is a person
        if kind in ("street", "postcode"):
            self.counts["addresses"] += 1
            return f"[{'address' if kind == 'street' else 'postcode'}]"
        if kind == "id":
            self.counts["names"] += 1
            return names.ids[text]
        if kind == "initial":
            self.counts["names"] += 1
            letter = found.group("i_letter")[0]
            new = names.first_initials.get((letter, fold(found.group("i_family")))) or names.letter(letter)
            return new + text[1:]
        if kind == "initials":
            self.counts["names"] += 1
            new = names.initials[text.replace(".", "")]
            return ".".join(new) + "." if "." in text else new
        if kind == "name":
            self.counts["names"] += 1
            groups = found.groupdict()
            word = groups.get("n_word") or groups["n_strict"]
            return cased(word, names.words[fold(word)]) + (groups.get("n_plural") or "")
        if kind == "place":
            self.counts["places"] += 1
            return cased(text, names.words[fold(text)])
        self.counts["dates_in_text"] += 1
        if kind == "month":
            return move_month(text, self.shift)
        return move_year(text, self.shift)  # a year on its own


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _is_phone(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if text.lstrip(" (").startswith(("+", "00")):
        national = digits.removeprefix("00").removeprefix("44").removeprefix("0")
        return len(national) in (9, 10)
    return digits.startswith("0") and len(digits) in (10, 11)


def _is_nhs_number(text: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the others."""
    digits = [int(d) for d in re.sub(r"\D", "", text)]
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and digits[9] == check % 11
