"""What an anonymised copy may still hold that anonymise could not know, for a person to review.

anonymise replaces what the case records tell it about (people, households, services) and
what has a form of its own (addresses, postcodes, phone, NHS and NI numbers, emails, dates).
A nickname nobody recorded, a friend's name or a case number in another agency's system
has neither, so the copy is scanned afterwards for what looks like one: capitalised words
that are not at the start of a sentence and not common words, the framework's terms or the
fictional words the copy was given; runs of five or more digits; ids mixing letters and
digits; emails and web addresses. Each is listed as it is in the copy (it is in the copy
anyway), with its file and field: never an original value the copy no longer holds.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from collections.abc import Iterable
from dataclasses import dataclass

from reunify.core.problems import FieldPath
from reunify.teaching.anonymise.words import ABBREVIATIONS
from reunify.teaching.anonymise.words import COMMON_WORDS
from reunify.teaching.anonymise.words import fold

__all__ = ["SENTENCE_START", "ReviewItem", "review_copy"]

CAPITALISED = "capitalised word not recognised"
SENTENCE = "starts a sentence, and is never written in lower case"
DIGITS = "number of five or more digits"
IDENTIFIER = "looks like an id or a reference number"
CONTACT = "looks like an email or web address"

_WORD = re.compile(r"(?<![\w'’/-])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w/]|-\d)")  # not part of an id
_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$", re.I)
# Where a sentence starts: the start of the text or of a line (after a bullet), or after
# a full stop, question or exclamation mark, with any quotes or brackets between.
SENTENCE_START = re.compile(
    r"(?:\A\s*|[.!?…][\"”’')\]]*\s+|\n\s*(?:[-*•]\s+|\d+[.)]\s+)?)[\"“‘'(\[]*\Z")
_DIGITS = re.compile(r"(?<![\w£$€.,/-])\d+(?:[ .-]\d+)*(?![\w%/])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})")
_IDENTIFIER = re.compile(r"(?<![\w/-])(?=[\w/-]*\d)(?=[\w/-]*[A-Za-z])[A-Za-z0-9]+(?:[/-][A-Za-z0-9]+)*(?![\w/-])")
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?://|www\.)\S+[\w/]", re.I)


@dataclass(frozen=True)
class ReviewItem:
    """Something in the copy that may identify someone: where it is, as it is in the copy, and why."""

    file: str
    field: str
    text: str
    why: str

    def data(self) -> dict[str, str]:
        return {"file": self.file, "field": self.field, "text": self.text, "why": self.why}

    def line(self) -> str:
        return f"{self.file} {self.field}: '{self.text}' ({self.why})"


def review_copy(texts: Iterable[tuple[str, FieldPath, str]], known: Collection[str]) -> list[ReviewItem]:
    """Everything in the free text of a copy (file, field path, text) that a person should look at.

    `known` holds the folded words the copy holds on purpose (its fictional names and
    places, its reference). A capitalised word at the start of a sentence is listed only
    when the same word is not recognised somewhere else, or when it is a possessive.
    """
    items: list[ReviewItem] = []
    words: list[tuple[str, str, str, bool]] = []  # file, field, word, whether it counts on its own
    unknown: set[str] = set()
    texts_seen = list(texts)
    for file, path, text in texts_seen:
        field = field_name(path)
        for found in _CONTACT.finditer(text):
            items.append(ReviewItem(file, field, found.group(0), CONTACT))
        bare = _CONTACT.sub(" ", text)
        for found in _DIGITS.finditer(bare):
            run = found.group(0)
            if sum(ch.isdigit() for ch in run) >= 5 and not _DATE.fullmatch(run):
                items.append(ReviewItem(file, field, run, DIGITS))
        for found in _IDENTIFIER.finditer(bare):
            token = found.group(0)
            digits = sum(ch.isdigit() for ch in token)
            shaped = len(token) >= 5 and (digits >= 3 or ("/" in token and digits >= 2))
            if (shaped and (any(ch.isupper() for ch in token) or "/" in token) and not _DATE.fullmatch(token)
                    and fold(token) not in known):
                items.append(ReviewItem(file, field, token, IDENTIFIER))
        for found in _WORD.finditer(bare):
            start = found.start()
            for part in re.split(r"(?<=[^\W\d_])-(?=[^\W\d_])", found.group(0)):
                if _worth_a_look(part, known):
                    alone = not (start == found.start() and SENTENCE_START.search(bare, 0, start))
                    alone = alone or bool(_POSSESSIVE.search(part))
                    words.append((file, field, part, alone))
                    if alone:
                        unknown.add(fold(_POSSESSIVE.sub("", part)))
                start += len(part) + 1
    # A capitalised word that only ever starts a sentence is listed too, unless the copy
    # also uses it in lower case: ordinary words are written so somewhere, names rarely.
    lower = {fold(w) for _, _, text in texts_seen for w in _WORD.findall(text) if w[:1].islower()}
    for file, field, word, _ in words:
        key = fold(_POSSESSIVE.sub("", word))
        if key in unknown:
            items.append(ReviewItem(file, field, word, CAPITALISED))
        elif key not in lower:
            items.append(ReviewItem(file, field, word, SENTENCE))
    return list(dict.fromkeys(items))


def field_name(path: FieldPath) -> str:
    """A field path as a reader writes it: ``entries[3].event``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _worth_a_look(word: str, known: Collection[str]) -> bool:
    """A capitalised word that is not a common word, an abbreviation or one the copy was given."""
    if len(word) < 2 or not word[0].isupper():
        return False
    bare = _POSSESSIVE.sub("", word)
    key = fold(bare)
    singular = key.removesuffix("s") if len(key) > 3 else key  # "the Carringtons", "on Tuesdays"
    if {key, singular} & (set(known) | COMMON_WORDS):
        return False
    return not (bare.isupper() and bare in ABBREVIATIONS)
