"""The fictional names, places, ids and addresses of one copy, each the same wherever its original is.

Each word of a person's or team member's name, and each nickname the case gives ("known
as Kez", "Kerry (Kez)"), gets a fictional one: family members who share a surname share
the new one, and first names keep the person's sex where it is known. The proper words of
household names and addresses, of the services' providers in the plan and of schools,
services and agencies named in free text get fictional place words; each household's
address is rebuilt from them with new house numbers. Initials follow the names ("K.
Thornbury", "KT"), and ids that contain a name or place word are renamed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence

from reunify.core.schema import Model
from reunify.records import Case
from reunify.records import models as m
from reunify.teaching.anonymise.fictional import Pools
from reunify.teaching.anonymise.patterns import POSSESSIVE
from reunify.teaching.anonymise.patterns import POSTCODE
from reunify.teaching.anonymise.patterns import WORD
from reunify.teaching.anonymise.review import SENTENCE_START
from reunify.teaching.anonymise.words import ABBREVIATIONS
from reunify.teaching.anonymise.words import COMMON_WORDS
from reunify.teaching.anonymise.words import INSTITUTIONS
from reunify.teaching.anonymise.words import NOT_NAMES
from reunify.teaching.anonymise.words import NOT_PLACES
from reunify.teaching.anonymise.words import ORDINARY_NAMES
from reunify.teaching.anonymise.words import ORGANISATION_WORDS
from reunify.teaching.anonymise.words import cased
from reunify.teaching.anonymise.words import fold
from reunify.teaching.anonymise.words import plain

# Words that say who a nickname belongs to: "known as Kez", "calls herself 'Sian'".
_NICKNAME = re.compile(
    r"(?i:\b(?:known\s+as|also\s+called|aka|a\.k\.a\.?|nicknamed|nickname\s+is|calls\s+(?:herself|himself|themselves)"
    r"|goes\s+by|prefers\s+to\s+be\s+called|likes\s+to\s+be\s+called))[\s:,]+[\"“‘']?(?P<nick>[A-Z][^\W\d_]+)")
# A nickname in brackets or quotes after a name the case records: "Kerry (Kez)", 'Kerry "Kez"'.
_BRACKETED = re.compile(r"(?P<name>[^\W\d_]+)\s*[(\"“‘'][\"“‘']?(?P<nick>[A-Z][^\W\d_]+)[\"”’']?[)\"”’']")
# A school, service or agency written in free text: the capitalised words before its kind name it.
_INSTITUTION = re.compile(
    r"(?<![\w'’-])(?P<words>(?:[A-Z][^\W\d_]*(?:['’][^\W\d_]+)?[ \t]+){1,4})(?:"
    + "|".join(re.escape(word) for word in (*INSTITUTIONS, "Primary")) + r")(?![^\W\d_])")


class Names:
    """The fictional words of one copy, by the original's folded word, and what is made from them."""

    def __init__(self, case: Case, rng: random.Random, free_text: Sequence[tuple[Model, str]],
                 counts: Counter[str]) -> None:
        """`free_text`: every free-text value of the case, with the record it belongs to."""
        self.case = case
        self.rng = rng
        self.free_text = free_text
        self.counts = counts
        self.words: dict[str, str] = {}  # key of an original name or place word -> its replacement
        self._rename_words()
        self.ids = self._rename_ids()
        self.addresses: dict[str, str] = {}
        for household in case.people.households:
            if household.address:
                self.address(household.address)
        self.letters: dict[str, str] = {}
        self.first_initials, self.initials = self._initials()

    def _rename_words(self) -> None:
        people: list[tuple[str, str]] = [(p.name, p.sex) for p in self.case.people.people]
        people += [(t.name, "unknown") for t in self.case.case.team]
        names = [(*name_parts(name), sex) for name, sex in people]
        recorded = {fold(w) for given, family, _ in names for w in given + family}
        nicknames = [(word, sex) for word, sex in self._nicknames(recorded) if fold(word) not in recorded]
        self.nicknames = [word for word, _ in nicknames]
        names += [([word], [], sex) for word, sex in nicknames]
        name_keys = recorded | {fold(word) for word, _ in nicknames}
        self.name_keys = frozenset(name_keys)
        # A name that is also a word is the name only when capitalised; a nickname could be any word.
        self.strict_keys = frozenset({k for k in recorded if k in ORDINARY_NAMES} | {fold(w) for w, _ in nicknames})
        places = self.places = self._places()
        self.place_keys = frozenset(fold(w) for w in places) - name_keys
        # Never a fictional word that is in the case already: the review trusts the fictional ones.
        taken = name_keys | self.place_keys | {fold(w) for _, text in self.free_text for w in re.findall(WORD, text)}
        pools = Pools(self.rng, taken)
        for _, family, _ in names:  # family names first: a family keeps one surname
            for word in family:
                if fold(word) not in self.words:
                    self.words[fold(word)] = pools.draw("surname")
        for given, _, sex in names:
            for word in given:
                if fold(word) not in self.words:
                    kind = sex if sex in ("female", "male") else self.rng.choice(("female", "male"))
                    self.words[fold(word)] = pools.draw(kind)
        for word in places:
            if fold(word) not in self.words:
                self.words[fold(word)] = pools.draw("place")

    def _nicknames(self, recorded: set[str]) -> list[tuple[str, str]]:
        """Names the case gives as someone's nickname ("known as Kez", "Kerry (Kez)"), with that person's
        sex where it is known (a person's own notes)."""
        found: list[tuple[str, str]] = []
        for owner, text in self.free_text:
            sex = owner.sex if isinstance(owner, m.Person) else "unknown"
            matches = [*_NICKNAME.finditer(text),
                       *(match for match in _BRACKETED.finditer(text) if fold(match.group("name")) in recorded)]
            for match in matches:
                word = POSSESSIVE.sub("", match.group("nick"))
                if fold(word) not in COMMON_WORDS | NOT_NAMES and not word.isupper():
                    found.append((word, sex))
        return found

    def _places(self) -> list[str]:
        """The words that name places: of households and their addresses, of the services in the plan,
        and of schools, services and agencies written in free text ("Kelderby Primary School")."""
        words = [w for h in self.case.people.households
                 for w in place_words(h.name) + place_words(h.address or "", address=True)]
        plan = self.case.plan
        words += [w for service in [*plan.support, *plan.after_return] if service.provider
                  for w in organisation_words(service.provider)]
        for _, text in self.free_text:
            for found in _INSTITUTION.finditer(text):
                proper = organisation_words(found.group("words"))
                first = POSSESSIVE.sub("", found.group("words").split()[0])
                # "Attends Kelderby Primary School": a sentence's first word is not the school's.
                if len(proper) > 1 and proper[0] == first and SENTENCE_START.search(text, 0, found.start()):
                    proper = proper[1:]
                words += proper
        return words

    def _initials(self) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
        """Each person's first initial by (initial, family name word), and their initials written as a
        word ("KT"), each with the new person's."""
        first: dict[tuple[str, str], str] = {}
        whole: dict[str, str] = {}
        for name in [p.name for p in self.case.people.people] + [t.name for t in self.case.case.team]:
            given, family = name_parts(name)
            if not given or not family:
                continue
            for word in family:
                first.setdefault((initial(given[0]), fold(word)), initial(self.word(given[0])))
            for words in ([given[0], family[0]], [given[0], *family], [*given, *family]):
                old = "".join(initial(w) for w in words)
                if len(old) > 1 and old not in ABBREVIATIONS:
                    whole.setdefault(old, "".join(initial(self.word(w)) for w in words))
        return first, whole

    def letter(self, letter: str) -> str:
        """A fictional letter for an initial no person in the case explains, the same one each time."""
        if letter.upper() not in self.letters:
            self.letters[letter.upper()] = self.rng.choice("ABCDEFGHIJKLMNOPRSTW")
        return cased(letter, self.letters[letter.upper()])

    def _rename_ids(self) -> dict[str, str]:
        """New ids for the ids that contain a name or place word, unique among all the ids."""
        people, team, households = self.case.people.people, self.case.case.team, self.case.people.households
        defined = list(dict.fromkeys([p.id for p in people] + [t.id for t in team] + [h.id for h in households]))
        used = set(defined)
        renamed: dict[str, str] = {}
        for number, old in enumerate(defined, 1):
            new = self.rename_id(old)
            if new == old:
                continue
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}", new):
                new = f"id-{number}"
            candidate, suffix = new, 2
            while candidate in used:
                candidate, suffix = f"{new}-{suffix}", suffix + 1
            used.add(candidate)
            renamed[old] = candidate
        self.counts["ids"] = len(renamed)
        return renamed

    def rename_id(self, value: str) -> str:
        """`value` with every name and place word in it replaced (ids have no apostrophes)."""
        lookup = {k.replace("'", ""): v for k, v in self.words.items()}
        if not lookup:
            return value
        # Short words only as whole words: "jo" is in "major".
        pattern = "|".join(re.escape(k) if len(k) >= 4 else rf"(?<![a-z]){re.escape(k)}(?![a-z])"
                           for k in sorted(lookup, key=len, reverse=True))
        return re.sub(pattern, lambda w: cased(w.group(0), lookup[w.group(0).casefold()].lower()), value,
                      flags=re.I)

    def ref(self, value: str) -> str:
        """A reference renamed with what it refers to; one to nothing loses its names all the same."""
        return self.ids.get(value) or self.rename_id(value)

    def address(self, address: str) -> str:
        """A fictional address built like the original: new house numbers, street and town words."""
        key = " ".join(fold(address).split())
        if key not in self.addresses:
            parts = [part for part in (POSTCODE.sub("", p).strip() for p in address.split(",")) if part]
            text = ", ".join(parts)
            text = re.sub(r"\d+", lambda _: str(self.rng.randint(1, 120)), text)
            text = re.sub(WORD, lambda w: self.word(w.group(0)), text)
            self.addresses[key] = text
        return self.addresses[key]

    def word(self, word: str) -> str:
        new = self.words.get(fold(word))
        return word if new is None else cased(word, new)

    def person_name(self, name: str) -> str:
        """A name field: each name word replaced, initials too; titles and remarks kept."""

        def one(match: re.Match[str]) -> str:
            word = match.group(0)
            if fold(word) in self.words:
                self.counts["names"] += 1
                return cased(word, self.words[fold(word)])
            if len(word) == 1 and word.isalpha():
                return self.letter(word)
            return word

        return re.sub(WORD, one, name)

    def original_addresses(self) -> list[str]:
        return [h.address for h in self.case.people.households if h.address]

    def variants(self) -> set[str]:
        """Every original name and place word without its accents (the patterns put them back)."""
        words = {w for p in self.case.people.people for w in name_words(p.name)}
        words |= {w for t in self.case.case.team for w in name_words(t.name)}
        return {plain(w) for w in [*words, *self.nicknames, *self.places]}


def name_parts(name: str) -> tuple[list[str], list[str]]:
    """The given names and the family names in a name: not titles, not a remark in brackets.

    The last part of a name of several ("O'Brien-Hughes" in "Siân O'Brien-Hughes") is the
    family name, and so is the only part after a title ("Baby O'Brien", "Mrs Hughes");
    capitalised words in brackets are other given names ("Zoë (Zo) O'Brien").
    """
    given: list[str] = []

    def bracketed(match: re.Match[str]) -> str:
        given.extend(w for w in re.findall(WORD, match.group(0))
                     if len(w) > 1 and w[0].isupper() and fold(w) not in NOT_NAMES)
        return " "

    chunks, titled = [], False
    for chunk in re.sub(r"\([^)]*\)?", bracketed, name).split():
        words = [w for w in re.findall(WORD, chunk) if len(w) > 1 and fold(w) not in NOT_NAMES]
        if words:
            chunks.append(words)
        elif not chunks and re.search(WORD, chunk):
            titled = True
    if len(chunks) > 1 or (chunks and titled):
        return [w for words in chunks[:-1] for w in words] + given, chunks[-1]
    return [w for words in chunks for w in words] + given, []


def name_words(name: str) -> list[str]:
    given, family = name_parts(name)
    return given + family


def place_words(text: str, address: bool = False) -> list[str]:
    """The proper words of a household name ("Rowanlea" in "Hope's flat at Rowanlea Court"; every
    word when it is all in small letters) or of an address (every word that names a place)."""
    text = POSTCODE.sub(" ", text)
    words = [POSSESSIVE.sub("", w) for w in re.findall(WORD, text)]
    everything = address or text == text.lower()
    return [w for w in words
            if len(w) > 1 and (everything or w[0].isupper()) and fold(w) not in NOT_PLACES | NOT_NAMES]


def organisation_words(text: str) -> list[str]:
    """The words that say which school, service or agency it is ("Brackenbury" in "Brackenbury Recovery Hub")."""
    words = [POSSESSIVE.sub("", w) for w in re.findall(WORD, text)]
    return [w for w in words if len(w) > 1 and w[0].isupper() and w.upper() not in ABBREVIATIONS
            and fold(w) not in ORGANISATION_WORDS | NOT_PLACES | NOT_NAMES | COMMON_WORDS]


def initial(word: str) -> str:
    return fold(word)[:1].upper()
