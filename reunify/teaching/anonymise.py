"""A copy of a case folder that is safe for training: names, ids, places, contacts and dates changed.

Each record file is loaded round-trip (key order and scalar styles survive) and changed in
one pass, with the models saying what every value is:

- names: each word of a person's or team member's name, and each nickname the case gives
  ("known as Kez"), gets a fictional one, the same word everywhere (family members who
  share a surname share the new one); first names keep the person's sex where it is known.
  Free text loses every such word as a whole word, with or without accents ("Zoe" for
  "Zoë" and back), with its possessive and plural, and in initials ("K. Thornbury", "KT");
  a name that is also an ordinary word (Will, Hope, Frank) goes only where it is
  capitalised, so "We hope Will will attend" keeps "hope" and "will". Ids that contain a
  name are renamed wherever they are used (the generic walk over references, and every
  identifier field).
- places: the proper words of household names and addresses, of the services' providers
  in the plan, and of schools, services and agencies named in free text ("Kelderby
  Primary School") get fictional ones; each household's address is rebuilt from them
  with new house numbers.
- contacts: emails, UK phone numbers (national or international, any separators),
  postcodes (any case, with or without the space) and addresses ("14 larch close", "Flat
  2, 9 Tanyard Lane", "near Tanyard Lane") in free text become [email], [phone],
  [postcode] and [address]; NHS numbers (with a valid check digit) and National Insurance
  numbers (any case and spacing) become [NHS number] and [NI number].
- dates: one random shift back, in whole weeks (weekdays and working-day deadlines keep
  their meaning), for every date field and every date written in free text, so ages and
  intervals are unchanged. A date written after "DOB" or "date of birth" becomes
  [date of birth]; a date in words that cannot be shifted exactly becomes [date].
- comments are dropped (free text that no model describes); only record files are copied.

What nothing in the case explains (a friend's name, another agency's case number) cannot
be known, so the copy's free text is then scanned for what looks like one, and each is
listed for a person to review (`reunify.teaching.review`), as it is in the copy.

The shift and the names come from a generator keyed on the seed and on the case itself,
so the same seed gives the same copy of the same case, and the copy alone does not give
the seed away. The copy is written to a temporary folder beside OUT, read back (it must
load cleanly and hold exactly what was meant), then renamed into place: whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import random
import re
import secrets
import shutil
import tempfile
import typing
import unicodedata
from collections import Counter
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic import StringConstraints

from reunify.core.files import DIR_MODE
from reunify.core.files import FILE_MODE
from reunify.core.files import make_private_folder
from reunify.core.files import write_atomic
from reunify.core.problems import FieldPath
from reunify.core.problems import ReunifyError
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import CommentedSeq

# yamlio has no public "load, change, dump to text" call (edit_file writes in place, and
# the original must never be written anywhere); these two are that call's halves.
from reunify.core.yamlio import dump_like
from reunify.core.yamlio import load_file
from reunify.core.yamlio import load_round_trip
from reunify.records import Case
from reunify.records import find_case_folder
from reunify.records import load_case
from reunify.records import models as m
from reunify.records.fields import Shape
from reunify.records.fields import model_fields
from reunify.records.fields import unwrap
from reunify.records.fields import walk_record
from reunify.teaching.review import SENTENCE_START
from reunify.teaching.review import ReviewItem
from reunify.teaching.review import review_copy
from reunify.teaching.words import ABBREVIATIONS
from reunify.teaching.words import COMMON_WORDS
from reunify.teaching.words import INSTITUTIONS
from reunify.teaching.words import ORDINARY_NAMES
from reunify.teaching.words import ORGANISATION_WORDS

__all__ = ["Anonymised", "CaseHasErrors", "anonymise_case", "check_target"]

MIN_WEEKS, MAX_WEEKS = 29, 285  # 203 to 1995 days back
FOLD_WIDTH = 84

# Made-up lists. Any resemblance of a combination to a real person or place is chance.
FEMALE = (
    "Abigail", "Alice", "Amelia", "Annabel", "Beatrice", "Bethany", "Bronwen", "Caitlin", "Carys", "Cerys",
    "Charlotte", "Chloe", "Clara", "Delyth", "Eleanor", "Eliza", "Elsie", "Emily", "Erin", "Esme", "Evie",
    "Felicity", "Florence", "Freya", "Georgia", "Harriet", "Heidi", "Imogen", "Isla", "Jasmine", "Jessica",
    "Keira", "Lacey", "Lauren", "Lucy", "Lydia", "Maddison", "Matilda", "Megan", "Millie", "Molly", "Niamh",
    "Olivia", "Orla", "Philippa", "Phoebe", "Rebecca", "Rhiannon", "Rosie", "Scarlett", "Sienna", "Sophie",
    "Tegan", "Tilly", "Verity", "Zara", "Zoe", "Annika", "Bryony", "Cressida",
)
MALE = (
    "Aaron", "Alfie", "Archie", "Arthur", "Barnaby", "Bradley", "Callum", "Cameron", "Connor", "Declan",
    "Dominic", "Dylan", "Edward", "Elliot", "Ethan", "Ewan", "Felix", "Finley", "Gethin", "Harrison",
    "Harvey", "Henry", "Hugo", "Isaac", "Jacob", "Jamie", "Joel", "Joseph", "Kieran", "Leon", "Liam",
    "Logan", "Louis", "Luke", "Nathan", "Niall", "Noah", "Oliver", "Oscar", "Owain", "Patrick", "Reece",
    "Rhys", "Rory", "Samuel", "Sebastian", "Stefan", "Theo", "Toby", "Tristan", "Tyler", "Vincent",
    "Xavier", "Zachary", "Alistair", "Bryn", "Cormac", "Desmond", "Emrys", "Fergus",
)
SURNAMES = (
    "Abernethy", "Allingham", "Bramhall", "Brightwell", "Calloway", "Carrington", "Cartwright", "Colbeck",
    "Dalrymple", "Dearden", "Eastwood", "Ellison", "Farrow", "Fenby", "Gledhill", "Goodall", "Hartigan",
    "Haworth", "Holroyd", "Hulme", "Ibbotson", "Kenyon", "Kershaw", "Lockwood", "Lumley", "Mallinson",
    "Marchbank", "Merriman", "Nettleton", "Newsome", "Oldroyd", "Ormerod", "Padgett", "Prendergast",
    "Quigley", "Rawcliffe", "Redfern", "Rigby", "Royston", "Sagar", "Scholes", "Shackleton", "Sowerby",
    "Stansfield", "Sugden", "Tattersall", "Thewlis", "Tinsley", "Uttley", "Vickers", "Wadsworth",
    "Walmsley", "Waddington", "Whiteley", "Womersley", "Yeadon", "Ackroyd", "Blezard", "Crabtree", "Dyson",
)
PLACES = (
    "Ashthorpe", "Brindlecote", "Caldermere", "Dunholt", "Elverby", "Fallowfen", "Gorsemoor", "Hartlecombe",
    "Inglemere", "Kestleford", "Larkholt", "Marrowby", "Netherholt", "Oakenthwaite", "Pellingham",
    "Quarrendon", "Ravensby", "Saltmoor", "Thistleby", "Underholt", "Wexley", "Yarrowdale", "Amberthwaite",
    "Bramblecote", "Cindermoor", "Dovecombe", "Fernthorpe", "Gildersby", "Hollowby", "Lowthorpe",
    "Millbeck", "Nettlecombe", "Orrinby", "Pendlecote", "Rushmere", "Sedgeholt", "Tansleyford", "Wolderby",
)
_SYLLABLES = ("al", "bar", "cor", "dun", "el", "fen", "gar", "hal", "ive", "jon", "kel", "lin", "mor", "nel",
              "or", "pen", "quin", "ros", "sel", "tor", "ul", "ven", "wyn", "yar")

# Words in a name field that say something about the name, not who it is.
NOT_NAMES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev", "revd", "jr", "jnr",
    "sr", "snr", "junior", "senior", "baby", "unborn", "unknown", "unnamed", "not", "known", "name",
    "surname", "forename", "withheld", "tbc", "tba", "confirmed", "be", "to", "yet", "the", "of", "and", "a",
    "an", "mum", "dad", "nan", "grandad", "grandma", "mother", "father", "parent", "child", "son",
    "daughter", "brother", "sister", "sibling", "half", "step", "grandmother", "grandfather", "aunt", "uncle",
    "cousin", "partner", "carer", "foster", "friend", "neighbour", "boy", "girl", "male", "female",
})
STREET_WORDS = (
    "Street", "St", "Road", "Rd", "Lane", "Ln", "Close", "Crescent", "Avenue", "Ave", "Drive", "Dr", "Way",
    "Court", "Ct", "Place", "Pl", "Gardens", "Grove", "Terrace", "Walk", "Row", "Hill", "Park", "Square",
    "Sq", "Mews", "View", "Rise", "Green", "Vale", "Parade", "Mount", "Gate", "Croft", "Meadow", "Meadows",
    "Estate", "Yard", "Heights", "Bank", "Chase", "Dale", "Fields", "Wood", "Lea", "Brow", "Boulevard",
    "Wharf", "Quay", "Cottages", "Cottage", "House", "Buildings", "Mansions", "Tower", "Towers", "Flats",
    "Fold", "Side", "End", "Hall", "Lodge", "Farm", "Barn", "Manor",
)
# Words of household names and addresses that name no place.
NOT_PLACES = frozenset({w.casefold() for w in STREET_WORDS} | {
    "flat", "apartment", "apt", "unit", "room", "floor", "ground", "first", "second", "top", "basement",
    "home", "foster", "family", "children's", "childrens", "residential", "hostel", "supported",
    "accommodation", "refuge", "kinship", "care", "carer", "carers", "placement", "new", "old", "north",
    "south", "east", "west", "upper", "lower", "uk", "england", "scotland", "wales", "united", "kingdom",
    "at", "in", "on", "with", "near", "a", "an",
})

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# -- patterns for free text ------------------------------------------------------------------

_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORDINAL = r"(?:st|nd|rd|th)"
_YEAR = r"(?:19|20)\d\d"

# Each form once with named groups (to take a match apart) and once without (to find it).
_DATE_FORMS = {
    "iso": r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})",
    "numeric": r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})",
    "dmy": (rf"(?:(?P<wd>{_WEEKDAY})\.?,?\s+(?:the\s+)?)?(?P<d>{_DAY})(?P<sfx>{_ORDINAL})?\s+(?:of\s+)?"
            rf"(?i:(?P<m>{_MONTH})),?\s+(?P<y>{_YEAR})"),
    "mdy": (rf"(?:(?P<wd>{_WEEKDAY})\.?,?\s+)?(?i:(?P<m>{_MONTH}))\s+(?P<d>{_DAY})(?P<sfx>{_ORDINAL})?,?\s+"
            rf"(?P<y>{_YEAR})"),
    "my": rf"(?i:(?P<m>{_MONTH})),?\s+(?:of\s+)?(?P<y>{_YEAR})",
    # A day and month with no year cannot be shifted exactly.
    "dm": rf"(?:{_WEEKDAY}\.?,?\s+(?:the\s+)?)?{_DAY}{_ORDINAL}?\s+(?:of\s+)?{_MONTH}",
    "md": rf"(?:{_WEEKDAY}\.?,?\s+)?{_MONTH}\s+{_DAY}{_ORDINAL}",
}
_DATE_PARSERS = {form: re.compile(pattern) for form, pattern in _DATE_FORMS.items()}
_DATE_ANY = "|".join(re.sub(r"\(\?P<\w+>", "(?:", pattern) for pattern in _DATE_FORMS.values())
_DATE_WITH_YEAR = "|".join(re.sub(r"\(\?P<\w+>", "(?:", _DATE_FORMS[form])
                           for form in ("iso", "numeric", "dmy", "mdy", "my"))

_DOB_LABEL = r"(?i:\b(?:d\.\s?o\.\s?b\.?|dob|date\s+of\s+birth|birth\s?date)(?!\w))"
_DOB_SEPARATOR = r"(?:\s*[:=–-]\s*|\s+(?i:is|was)\s+|\s+)?"
_DOB_PARSER = re.compile(rf"(?P<label>{_DOB_LABEL}{_DOB_SEPARATOR})(?P<date>.+)", re.S)

# Words that never stand between a house number and a street type: "3 weeks at the park".
_NOT_STREET = ("a", "an", "the", "of", "at", "in", "on", "to", "and", "or", "for", "with", "by", "from", "is",
               "was", "her", "his", "their", "my", "our", "your", "its", "this", "that", "more", "other", "new",
               "times?", "weeks?", "days?", "months?", "years?", "hours?", "minutes?", "nights?", "sessions?",
               "people", "children", "girls", "boys", "visits?", "miles", "per", "out", "bed", "bedroom(?:ed)?",
               "storey", "floor")
_STREET_NAME = r"(?!(?:" + "|".join(_NOT_STREET) + r")\b)[^\W\d_][\w'’-]*"
# Street types that name a street in any case ("14 larch close"); the rest only capitalised.
STRONG_STREET_WORDS = ("Street", "Road", "Lane", "Close", "Crescent", "Avenue", "Drive", "Way", "Court", "Place",
                       "Gardens", "Grove", "Terrace", "Mews", "Square", "Parade", "Rise", "Walk", "Row",
                       "Boulevard", "Cottages", "Wharf", "Quay")
_FLAT = r"(?i:(?:flat|apartment|apt|unit|room|suite)\.?\s+\d+[a-z]?,?\s+)?"
_ABBREVIATED = r"(?:St|Rd|Ln|Ave|Dr|Ct|Pl|Sq|Cl|Cres|Gr|Gro|Gdns|Tce|Terr|Pde|Pk)\.?"

_FIXED_PATTERNS = {
    "email": r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "phone": (r"(?<![\w+(])(?:\(?(?:\+|00)\s?44\)?[\s./-]?(?:\(0\)[\s./-]?)?|\(?0)"
              r"\d(?:[\s./-]?\)?[\s./-]?\d){7,11}(?!\d)"),
    "nhs_number": r"(?<![\w+])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w-])",
    "ni_number": (r"(?<!\w)(?i:(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?:[ -]?\d{2}){3}"
                  r"[ -]?[A-D])(?!\w)"),
    "dob": rf"{_DOB_LABEL}{_DOB_SEPARATOR}(?:{_DATE_WITH_YEAR})(?![\w/]|[.-]\d)",
    "date": rf"(?<![\w/.-])(?:{_DATE_ANY})(?![\w/]|[.-]\d)",
    "street": (
        # a house number and a street, capitalised ("14 Larch Close", "Flat 2, 9 Tanyard Ln.") ...
        rf"(?<!\w){_FLAT}\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}"
        rf"(?:{_ABBREVIATED}|(?:" + "|".join(STREET_WORDS) + r"))(?!\w)"
        # ... or in any case ("14 larch close", "unit 5, 88 MILL LANE") ...
        rf"|(?<!\w){_FLAT}(?i:\d{{1,4}}[a-z]?,?\s+(?:{_STREET_NAME}\s+){{1,3}}"
        r"(?:" + "|".join(STRONG_STREET_WORDS) + r"))(?!\w)"
        # ... or a named street without its number ("near Tanyard Lane").
        r"|(?<![\w'’-])(?!(?:The|A|An|In|On|At|Of|To|And|Or|Her|His|Their|My|Our|Your|This|That|Near|From|By"
        r"|With|For|Off|Past)\b)(?:[A-Z][^\W\d_]*(?:['’][^\W\d_]+)?\s+){1,3}"
        r"(?:Street|Road|Lane|Close|Crescent|Avenue|Drive|Grove|Terrace|Gardens|Mews|Square|Parade)(?!\w)"),
    "postcode": r"(?<!\w)(?i:(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \t]{0,2}\d[A-Z]{2})(?!\w)",
    # A month on its own ("in March"); "May" only after a word that makes it the month.
    "month": ("(?:" + "|".join(rf"(?<=\b{word}[ -])" for word in (
        "in", "In", "since", "Since", "by", "By", "from", "From", "until", "Until", "during", "During", "early",
        "Early", "late", "Late", "mid", "Mid", "of", "last", "Last", "next", "Next", "this", "This", "before",
        "Before", "after", "After")) + ")May(?!\\w)|(?<!\\w)(?:"
        + "|".join(month for month in MONTHS if month != "May") + r")(?!\w)"),
    # A year on its own, but not an Act of Parliament's, an amount or part of a number.
    "year": r"(?<![\w£$€#/.,])(?<!Act )(?<!Act, )(?:19[3-9]\d|20\d\d)(?![\w%/]|[.,]\d)",
}
_POSTCODE = re.compile(_FIXED_PATTERNS["postcode"])
_POSSESSIVE = re.compile(r"['’][sS]$")
# The order decides between matches that start at the same place.
_KINDS = ("email", "phone", "nhs_number", "ni_number", "dob", "address", "reference", "date", "street", "postcode",
          "id", "initial", "initials", "name", "place", "month", "year")


def _accented() -> dict[str, str]:
    """Letters with accents, by the letter without: a name matches with or without them ("Zoe", "Zoë")."""
    table: dict[str, str] = {}
    for point in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFKD", chr(point))[0]
        if base.isascii() and base.isalpha() and base != chr(point):
            table[base] = table.get(base, "") + chr(point)
    return table


_ACCENTED = _accented()
_MARKS = r"[\u0300-\u036f]*"  # combining accents, for text written decomposed

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


class CaseHasErrors(ReunifyError):
    """The case records have errors: nothing can be copied until `reunify check` is clean."""

    exit_code = 1


@dataclass(frozen=True)
class Anonymised:
    """What `anonymise_case` did, without a word of the original: what to review is as it is in the copy."""

    out: Path
    reference: str
    shift_days: int  # negative: every date moved this many days earlier
    replaced: dict[str, int]
    dates: dict[str, int]
    written: tuple[str, ...]
    not_copied: int
    seed: int | None
    review: tuple[ReviewItem, ...] = ()

    def data(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "reference": self.reference,
            "date_shift_days": self.shift_days,
            "replaced": dict(self.replaced),
            "dates": {"shifted_by_days": self.shift_days, **self.dates},
            "written": list(self.written),
            "not_copied": self.not_copied,
            "comments": "dropped",
            "seed": self.seed,
            "review": [item.data() for item in self.review],
        }


def anonymise_case(source: Path, out: Path, seed: int | None = None, today: dt.date | None = None) -> Anonymised:
    """Write an anonymised copy of the case in `source` to the new or empty folder `out`.

    Raises `ReunifyError` (and writes nothing) when `out` is or overlaps the case folder or
    holds anything, and `CaseHasErrors` when the records have errors (with `today`, the
    errors `reunify check` reports on that day, such as a date after it).
    """
    folder = find_case_folder(source)
    check_target(folder, out)
    case, problems = load_case(folder)
    if case is not None and today is not None:
        from reunify.engine import evaluate
        from reunify.practice.in_force import workflow_for

        workflow, workflow_problems = workflow_for(case)
        problems = problems + workflow_problems + (evaluate(case, workflow, today).problems if workflow else [])
    errors = sum(1 for p in problems if p.is_error)
    if case is None or errors:
        raise CaseHasErrors(f"the case records have {max(errors, 1)} error(s), so nothing was copied; "
                            "run 'reunify check' to see them")
    copy = _Anonymiser(case, secrets.randbits(64) if seed is None else seed)
    files = {name: copy.file_text(name) for name in m.FILE_MODELS if name in case.present}
    _write_copy(out, files, copy.expected)
    kept = set(files)
    return Anonymised(
        out=out,
        reference=copy.reference,
        shift_days=copy.shift.days,
        replaced={kind: copy.counts[kind] for kind in ("names", "ids", "references", "addresses", "places",
                                                         "phone_numbers", "emails", "identity_numbers",
                                                         "dates_of_birth")},
        dates={"fields": copy.counts["date_fields"], "in_text": copy.counts["dates_in_text"],
               "replaced": copy.counts["dates_replaced"]},
        written=tuple(files),
        not_copied=sum(1 for entry in folder.iterdir() if entry.name not in kept),
        seed=seed,
        review=tuple(copy.review()),
    )


def check_target(source: Path, out: Path) -> None:
    """Refuse an `out` that is, holds or lies inside the case folder, or is not new or empty."""
    if out.is_symlink():
        raise ReunifyError("OUT is a symbolic link; give a new or empty folder")
    target = Path(os.path.abspath(out)).resolve()
    folder = source.resolve()
    if _same(target, folder):
        raise ReunifyError("OUT is the case folder itself; give a new folder outside it")
    if any(_same(parent, folder) for parent in target.parents):
        raise ReunifyError("OUT is inside the case folder; give a folder outside it")
    if any(_same(parent, target) for parent in folder.parents):
        raise ReunifyError("the case folder is inside OUT; give a new folder outside it")
    if out.exists():
        if not out.is_dir():
            raise ReunifyError("OUT exists and is not a folder; give a new or empty folder")
        if any(out.iterdir()):
            raise ReunifyError("OUT is not empty; give a new or empty folder")


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _write_copy(out: Path, files: dict[str, str], expected: dict[str, Any]) -> None:
    """Write the files to a private folder beside `out`, check them, then rename it to `out`."""
    target = Path(os.path.abspath(out))
    try:
        make_private_folder(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ReunifyError(f"OUT cannot be created ({(exc.strerror or type(exc).__name__).lower()})") from None
    try:
        for name, text in files.items():
            write_atomic(staging / name, text.encode("utf-8"), FILE_MODE)
        for name in files:
            loaded = load_file(staging / name)
            if loaded.problems or loaded.data != expected[name]:
                raise RuntimeError(f"{name}: the anonymised copy does not read back as written")
        case, problems = load_case(staging)
        if case is None or any(p.is_error for p in problems):
            raise RuntimeError("the anonymised copy does not load cleanly")
        os.chmod(staging, DIR_MODE)
        os.replace(staging, target)  # onto a missing or empty folder only
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ReunifyError(f"the copy could not be written ({(exc.strerror or type(exc).__name__).lower()}); "
                               "nothing was left behind") from None
        raise


# -- words --------------------------------------------------------------------------------------


def _key(word: str) -> str:
    """A word as it is looked up: no accents, any case, one kind of apostrophe."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
    return plain.casefold().replace("’", "'")


def _cased(like: str, word: str) -> str:
    """`word` in the case of `like`: all capitals, all small, or as given."""
    if len(like) > 1 and like.isupper():
        return word.upper()
    if like.islower():
        return word.lower()
    return word


def _name_parts(name: str) -> tuple[list[str], list[str]]:
    """The given names and the family names in a name: not titles, not a remark in brackets.

    The last part of a name of several ("O'Brien-Hughes" in "Siân O'Brien-Hughes") is the
    family name, and so is the only part after a title ("Baby O'Brien", "Mrs Hughes");
    capitalised words in brackets are other given names ("Zoë (Zo) O'Brien").
    """
    given: list[str] = []

    def bracketed(match: re.Match[str]) -> str:
        given.extend(w for w in re.findall(_WORD, match.group(0))
                     if len(w) > 1 and w[0].isupper() and _key(w) not in NOT_NAMES)
        return " "

    chunks, titled = [], False
    for chunk in re.sub(r"\([^)]*\)?", bracketed, name).split():
        words = [w for w in re.findall(_WORD, chunk) if len(w) > 1 and _key(w) not in NOT_NAMES]
        if words:
            chunks.append(words)
        elif not chunks and re.search(_WORD, chunk):
            titled = True
    if len(chunks) > 1 or (chunks and titled):
        return [w for words in chunks[:-1] for w in words] + given, chunks[-1]
    return [w for words in chunks for w in words] + given, []


def _name_words(name: str) -> list[str]:
    given, family = _name_parts(name)
    return given + family


def _place_words(text: str, address: bool = False) -> list[str]:
    """The proper words of a household name ("Rowanlea" in "Hope's flat at Rowanlea Court"; every
    word when it is all in small letters) or of an address (every word that names a place)."""
    text = _POSTCODE.sub(" ", text)
    words = [_POSSESSIVE.sub("", w) for w in re.findall(_WORD, text)]
    everything = address or text == text.lower()
    return [w for w in words
            if len(w) > 1 and (everything or w[0].isupper()) and _key(w) not in NOT_PLACES | NOT_NAMES]


def _organisation_words(text: str) -> list[str]:
    """The words that say which school, service or agency it is ("Brackenbury" in "Brackenbury Recovery Hub")."""
    words = [_POSSESSIVE.sub("", w) for w in re.findall(_WORD, text)]
    return [w for w in words if len(w) > 1 and w[0].isupper() and w.upper() not in ABBREVIATIONS
            and _key(w) not in ORGANISATION_WORDS | NOT_PLACES | NOT_NAMES | COMMON_WORDS]


def _initial(word: str) -> str:
    return _key(word)[:1].upper()


def _free_text(record: BaseModel) -> Iterator[tuple[BaseModel, str]]:
    """Every free-text value of a record, with the record (a person, an entry) it belongs to."""
    for attribute in type(record).model_fields:
        values = [getattr(record, attribute)]
        while values:
            value = values.pop(0)
            if isinstance(value, BaseModel):
                yield from _free_text(value)
            elif isinstance(value, list | tuple):
                values[:0] = value
            elif isinstance(value, dict):
                values[:0] = value.values()
            elif isinstance(value, str) and _string_kind(type(record), attribute) == "text":
                yield record, value


class _Pools:
    """Fictional words, drawn without repeats, never one that is in the case already."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng = rng
        self.taken = taken
        self.pools: dict[str, list[str]] = {}
        for kind, words in (("female", FEMALE), ("male", MALE), ("surname", SURNAMES), ("place", PLACES)):
            pool = list(words)
            rng.shuffle(pool)
            self.pools[kind] = pool

    def draw(self, kind: str) -> str:
        pool = self.pools[kind]
        while pool:
            word = pool.pop()
            if _key(word) not in self.taken:
                self.taken.add(_key(word))
                return word
        while True:  # the lists ran out: made-up words
            word = "".join(self.rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
            if _key(word) not in self.taken:
                self.taken.add(_key(word))
                return word


# -- the copy -----------------------------------------------------------------------------------


def _generator(seed: int, case: Case) -> random.Random:
    """Keyed on the seed and on who the case is about: the copy alone does not give the seed away."""
    child = case.child
    material = "\0".join([str(seed), case.case.reference, child.name if child else "",
                          str(child.born) if child and child.born else ""])
    return random.Random(int.from_bytes(hashlib.sha256(material.encode("utf-8")).digest()[:16], "big"))


class _Anonymiser:
    """The fictional names, places and ids for one case, and the text of each file of its copy."""

    def __init__(self, case: Case, seed: int) -> None:
        self.case = case
        self.rng = _generator(seed, case)
        self.counts: Counter[str] = Counter()
        self.expected: dict[str, Any] = {}
        self.reference = f"TRAIN-{self.rng.randrange(1, 10_000):04d}"
        self.shift = self._draw_shift()
        self.free_text = [pair for name in m.FILE_MODELS
                          for pair in _free_text(getattr(self.case, name.removesuffix(".yaml")))]
        self.texts: list[tuple[str, FieldPath, str]] = []  # the copy's free text, for the review
        self._file = ""
        self.words: dict[str, str] = {}  # key of an original name or place word -> its replacement
        self._rename_words()
        self.ids = self._rename_ids()
        self.addresses: dict[str, str] = {}
        for household in case.people.households:
            if household.address:
                self._address(household.address)
        self.letters: dict[str, str] = {}
        self.first_initials, self.initials = self._initials()
        self._patterns: dict[frozenset[str], re.Pattern[str]] = {}

    def _draw_shift(self) -> dt.timedelta:
        """Whole weeks back; never one that lands a date of the copy on a real date of birth."""
        births = {p.born for p in self.case.people.people if p.born}
        dates = {mark.value for name in m.FILE_MODELS
                 for mark in walk_record(getattr(self.case, name.removesuffix(".yaml"))) if mark.date}
        for _ in range(100):
            shift = dt.timedelta(weeks=-self.rng.randint(MIN_WEEKS, MAX_WEEKS))
            if not any(day + shift in births for day in dates):
                break
        return shift

    # names, places, ids, addresses

    def _rename_words(self) -> None:
        people: list[tuple[str, str]] = [(p.name, p.sex) for p in self.case.people.people]
        people += [(t.name, "unknown") for t in self.case.case.team]
        names = [(*_name_parts(name), sex) for name, sex in people]
        recorded = {_key(w) for given, family, _ in names for w in given + family}
        nicknames = [(word, sex) for word, sex in self._nicknames(recorded) if _key(word) not in recorded]
        self.nicknames = [word for word, _ in nicknames]
        names += [([word], [], sex) for word, sex in nicknames]
        name_keys = recorded | {_key(word) for word, _ in nicknames}
        self.name_keys = frozenset(name_keys)
        # A name that is also a word is the name only when capitalised; a nickname could be any word.
        self.strict_keys = frozenset({k for k in recorded if k in ORDINARY_NAMES} | {_key(w) for w, _ in nicknames})
        places = self.places = self._places()
        self.place_keys = frozenset(_key(w) for w in places) - name_keys
        # Never a fictional word that is in the case already: the review trusts the fictional ones.
        taken = name_keys | self.place_keys | {_key(w) for _, text in self.free_text for w in re.findall(_WORD, text)}
        pools = _Pools(self.rng, taken)
        for _, family, _ in names:  # family names first: a family keeps one surname
            for word in family:
                if _key(word) not in self.words:
                    self.words[_key(word)] = pools.draw("surname")
        for given, _, sex in names:
            for word in given:
                if _key(word) not in self.words:
                    kind = sex if sex in ("female", "male") else self.rng.choice(("female", "male"))
                    self.words[_key(word)] = pools.draw(kind)
        for word in places:
            if _key(word) not in self.words:
                self.words[_key(word)] = pools.draw("place")

    def _nicknames(self, recorded: set[str]) -> list[tuple[str, str]]:
        """Names the case gives as someone's nickname ("known as Kez", "Kerry (Kez)"), with that person's
        sex where it is known (a person's own notes)."""
        found: list[tuple[str, str]] = []
        for owner, text in self.free_text:
            sex = owner.sex if isinstance(owner, m.Person) else "unknown"
            matches = [*_NICKNAME.finditer(text),
                       *(match for match in _BRACKETED.finditer(text) if _key(match.group("name")) in recorded)]
            for match in matches:
                word = _POSSESSIVE.sub("", match.group("nick"))
                if _key(word) not in COMMON_WORDS | NOT_NAMES and not word.isupper():
                    found.append((word, sex))
        return found

    def _places(self) -> list[str]:
        """The words that name places: of households and their addresses, of the services in the plan,
        and of schools, services and agencies written in free text ("Kelderby Primary School")."""
        words = [w for h in self.case.people.households
                 for w in _place_words(h.name) + _place_words(h.address or "", address=True)]
        plan = self.case.plan
        words += [w for service in [*plan.support, *plan.after_return] if service.provider
                  for w in _organisation_words(service.provider)]
        for _, text in self.free_text:
            for found in _INSTITUTION.finditer(text):
                proper = _organisation_words(found.group("words"))
                first = _POSSESSIVE.sub("", found.group("words").split()[0])
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
            given, family = _name_parts(name)
            if not given or not family:
                continue
            for word in family:
                first.setdefault((_initial(given[0]), _key(word)), _initial(self._word(given[0])))
            for words in ([given[0], family[0]], [given[0], *family], [*given, *family]):
                old = "".join(_initial(w) for w in words)
                if len(old) > 1 and old not in ABBREVIATIONS:
                    whole.setdefault(old, "".join(_initial(self._word(w)) for w in words))
        return first, whole

    def _letter(self, letter: str) -> str:
        """A fictional letter for an initial no person in the case explains, the same one each time."""
        if letter.upper() not in self.letters:
            self.letters[letter.upper()] = self.rng.choice("ABCDEFGHIJKLMNOPRSTW")
        return _cased(letter, self.letters[letter.upper()])

    def _rename_ids(self) -> dict[str, str]:
        """New ids for the ids that contain a name or place word, unique among all the ids."""
        people, team, households = self.case.people.people, self.case.case.team, self.case.people.households
        defined = list(dict.fromkeys([p.id for p in people] + [t.id for t in team] + [h.id for h in households]))
        used = set(defined)
        renamed: dict[str, str] = {}
        for number, old in enumerate(defined, 1):
            new = self._rename_id(old)
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

    def _rename_id(self, value: str) -> str:
        """`value` with every name and place word in it replaced (ids have no apostrophes)."""
        lookup = {k.replace("'", ""): v for k, v in self.words.items()}
        if not lookup:
            return value
        # Short words only as whole words: "jo" is in "major".
        pattern = "|".join(re.escape(k) if len(k) >= 4 else rf"(?<![a-z]){re.escape(k)}(?![a-z])"
                           for k in sorted(lookup, key=len, reverse=True))
        return re.sub(pattern, lambda w: _cased(w.group(0), lookup[w.group(0).casefold()].lower()), value,
                      flags=re.I)

    def _ref(self, value: str) -> str:
        """A reference renamed with what it refers to; one to nothing loses its names all the same."""
        return self.ids.get(value) or self._rename_id(value)

    def _address(self, address: str) -> str:
        """A fictional address built like the original: new house numbers, street and town words."""
        key = " ".join(_key(address).split())
        if key not in self.addresses:
            parts = [part for part in (_POSTCODE.sub("", p).strip() for p in address.split(",")) if part]
            text = ", ".join(parts)
            text = re.sub(r"\d+", lambda _: str(self.rng.randint(1, 120)), text)
            text = re.sub(_WORD, lambda w: self._word(w.group(0)), text)
            self.addresses[key] = text
        return self.addresses[key]

    def _word(self, word: str) -> str:
        new = self.words.get(_key(word))
        return word if new is None else _cased(word, new)

    def _person_name(self, name: str) -> str:
        """A name field: each name word replaced, initials too; titles and remarks kept."""

        def one(match: re.Match[str]) -> str:
            word = match.group(0)
            if _key(word) in self.words:
                self.counts["names"] += 1
                return _cased(word, self.words[_key(word)])
            if len(word) == 1 and word.isalpha():
                return self._letter(word)
            return word

        return re.sub(_WORD, one, name)

    # files

    def file_text(self, name: str) -> str:
        """The text of one record file of the copy."""
        self._file = name
        path = self.case.file(name)
        original = path.read_bytes().decode("utf-8-sig")
        yaml, data = load_round_trip(original)
        record: BaseModel = getattr(self.case, name.removesuffix(".yaml"))
        if data is not None:
            handled: set[FieldPath] = set()
            for mark in walk_record(record):  # every date and every reference, wherever it is
                value = _get(data, mark.path)
                if mark.date and isinstance(value, dt.date):
                    _set(data, mark.path, value + self.shift)
                    self.counts["date_fields"] += 1
                elif mark.ref and isinstance(value, str):
                    _set(data, mark.path, _like(value, self._ref(value)))
                handled.add(mark.path)
            self._strings(data, type(record), (), handled)
            _drop_comments(data)
        self.expected[name] = data
        if data is None:
            return ""
        text = _with_blank_lines(dump_like(yaml, data, ""))
        return text.replace("\n", "\r\n") if "\r\n" in original else text

    def _strings(self, node: Any, model: type[BaseModel], path: FieldPath, handled: set[FieldPath]) -> None:
        """Every string the walk did not handle: free text scrubbed, other ids renamed."""
        if not isinstance(node, dict):
            return
        fields = model_fields(model)
        for key in list(node):
            if key in fields:
                attribute, shape = fields[key]
                self._value(node, key, model, attribute, shape, (*path, key), handled)

    def _value(self, container: Any, slot: Any, model: type[BaseModel], attribute: str, shape: Shape,
               path: FieldPath, handled: set[FieldPath]) -> None:
        value = container[slot]
        if value is None or path in handled:
            return
        if shape.kind == "model" and shape.model is not None:
            self._strings(value, shape.model, path, handled)
        elif shape.kind in ("list", "dict") and shape.item is not None:
            slots = list(value) if isinstance(value, dict) else list(range(len(value)))
            for inner in slots:
                self._value(value, inner, model, attribute, shape.item, (*path, inner), handled)
        elif isinstance(value, str):
            new = self._string(model, attribute, value)
            if new != value:
                container[slot] = _like(value, new)
            if _string_kind(model, attribute) == "text":
                self.texts.append((self._file, path, new))
        elif isinstance(value, dt.date):  # a date no model marks: moved all the same
            container[slot] = value + self.shift
            self.counts["date_fields"] += 1

    def _string(self, model: type[BaseModel], attribute: str, value: str) -> str:
        if (model, attribute) in ((m.Person, "name"), (m.TeamMember, "name")):
            return self._person_name(value)
        if (model, attribute) == (m.Household, "address"):
            self.counts["addresses"] += 1
            return self._address(value)
        if (model, attribute) == (m.CaseFile, "reference"):
            self.counts["references"] += 1
            return self.reference
        if (model, attribute) == (m.Meeting, "attendees"):  # people or team members: unmarked refs
            return self._ref(value)
        kind = _string_kind(model, attribute)
        if kind == "identifier":
            return self.ids.get(value, value)
        if kind == "text":
            return self.scrub(value)
        return value

    # free text

    def scrub(self, text: str, skip: frozenset[str] = frozenset()) -> str:
        """Free text without names, ids, places, contact details or unshifted dates."""
        return self._pattern(skip).sub(lambda found: self._replace(found, skip), text)

    def _pattern(self, skip: frozenset[str]) -> re.Pattern[str]:
        if skip not in self._patterns:
            patterns = dict(_FIXED_PATTERNS)
            if self.addresses:
                patterns["address"] = "(?i:" + _alternation(self._original_addresses()) + ")"
            patterns["reference"] = rf"(?<![\w-])(?i:{_flexible(self.case.case.reference)})(?![\w-])"
            # Ids of one word are names, and get their case from the text; the rest as written.
            ids = [old for old in self.ids if not re.fullmatch(_WORD, old)]
            if ids:
                patterns["id"] = rf"(?<![\w.-])(?:{_alternation(ids)})(?![\w-])"
            if self.first_initials:
                families = _accented_alternation({family for _, family in self.first_initials})
                patterns["initial"] = (rf"(?<![\w.'’])(?P<i_letter>[B-HJ-Z](?:\.|(?=[ \t]))|[AI]\.)[ \t]*"
                                       rf"(?=(?P<i_family>(?i:{families})){_NOT_LETTER_AFTER})")
            if self.initials:
                forms = {form for old in self.initials for form in (old, ".".join(old) + ".")}
                patterns["initials"] = rf"(?<![\w.'’])(?:{_alternation(forms)})(?!\w)"
            words = self._variants()
            loose = {w for w in words if _key(w) in self.name_keys - self.strict_keys}
            strict = {form for w in words if _key(w) in self.strict_keys for form in (_title(w), w.upper())}
            options = [rf"(?P<n_word>(?i:{_accented_alternation(loose)}))(?P<n_plural>(?i:s))?"] if loose else []
            options += [rf"(?P<n_strict>{_accented_alternation(strict, exact=True)})"] if strict else []
            if options:
                patterns["name"] = rf"{_NOT_LETTER_BEFORE}(?:{'|'.join(options)}){_NOT_LETTER_AFTER}"
            places = {form for w in words if _key(w) in self.place_keys for form in (_title(w), w.upper())}
            if places:
                patterns["place"] = (rf"{_NOT_LETTER_BEFORE}(?:{_accented_alternation(places, exact=True)})"
                                     rf"{_NOT_LETTER_AFTER}")
            self._patterns[skip] = re.compile("|".join(
                f"(?P<k_{kind}>{patterns[kind]})" for kind in _KINDS if kind in patterns and kind not in skip))
        return self._patterns[skip]

    def _original_addresses(self) -> list[str]:
        return [h.address for h in self.case.people.households if h.address]

    def _variants(self) -> set[str]:
        """Every original name and place word without its accents (the patterns put them back)."""
        words = {w for p in self.case.people.people for w in _name_words(p.name)}
        words |= {w for t in self.case.case.team for w in _name_words(t.name)}
        return {_plain(w) for w in [*words, *self.nicknames, *self.places]}

    def _replace(self, found: re.Match[str], skip: frozenset[str]) -> str:
        kind = next(k for k in _KINDS if f"k_{k}" in found.re.groupindex and found.group(f"k_{k}") is not None)
        text = found.group(0)
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
            parts = _DOB_PARSER.fullmatch(text)
            return (parts.group("label") if parts else "") + "[date of birth]"
        if kind == "address":
            self.counts["addresses"] += 1
            return self._address(text)
        if kind == "reference":
            self.counts["references"] += 1
            return self.reference
        if kind == "date":
            return self._date(text)
        if kind == "street" and not re.search(r"\d", text) and any(
                _key(w) in self.name_keys for w in re.findall(_WORD, text)):
            return self.scrub(text, skip | {"street"})  # "Lois Lane" is a person
        if kind in ("street", "postcode"):
            self.counts["addresses"] += 1
            return f"[{'address' if kind == 'street' else 'postcode'}]"
        if kind == "id":
            self.counts["names"] += 1
            return self.ids[text]
        if kind == "initial":
            self.counts["names"] += 1
            letter = found.group("i_letter")[0]
            new = self.first_initials.get((letter, _key(found.group("i_family")))) or self._letter(letter)
            return new + text[1:]
        if kind == "initials":
            self.counts["names"] += 1
            new = self.initials[text.replace(".", "")]
            return ".".join(new) + "." if "." in text else new
        if kind == "name":
            self.counts["names"] += 1
            groups = found.groupdict()
            word = groups.get("n_word") or groups["n_strict"]
            return _cased(word, self.words[_key(word)]) + (groups.get("n_plural") or "")
        if kind == "place":
            self.counts["places"] += 1
            return _cased(text, self.words[_key(text)])
        if kind == "month":
            self.counts["dates_in_text"] += 1
            word = re.findall(r"[A-Za-z]+", text)[-1]
            moved = dt.date(2001, MONTHS.index(word) + 1, 15) + self.shift
            return text[: len(text) - len(word)] + MONTHS[moved.month - 1]
        self.counts["dates_in_text"] += 1  # a year on its own
        return str((dt.date(int(text), 7, 2) + self.shift).year)

    def review(self) -> list[ReviewItem]:
        """What the copy's free text may still hold that nothing in the case explains, as it is in the copy."""
        known = {_key(w) for w in [*self.words.values(), *self.initials.values(), *STREET_WORDS, self.reference]}
        known |= {_key(w) for w in re.findall(_WORD, self.reference)}
        known |= NOT_PLACES | NOT_NAMES | ORGANISATION_WORDS
        return review_copy(self.texts, known)

    def _date(self, text: str) -> str:
        """A date written in text, moved by the shift, or [date] when that cannot be done exactly."""
        for form, parser in _DATE_PARSERS.items():
            parts = parser.fullmatch(text)
            if parts is None:
                continue
            if form in ("dm", "md") or (form == "numeric" and len(parts.group("y")) == 2):
                break
            groups = parts.groupdict()
            try:
                month = int(groups["m"]) if groups["m"].isdigit() else _month_number(groups["m"])
                day = dt.date(int(groups["y"]), month, 15 if form == "my" else int(groups["d"]))
            except ValueError:
                break
            moved = day + self.shift
            new: dict[str, str] = {"y": str(moved.year)}
            if form in ("iso", "numeric"):
                new["m"] = str(moved.month).zfill(len(groups["m"]))
                new["d"] = str(moved.day).zfill(len(groups["d"]))
            else:
                new["m"] = _month_like(moved.month, groups["m"])
            if form in ("dmy", "mdy"):
                new["d"] = str(moved.day).zfill(len(groups["d"]))
                if groups["sfx"]:
                    new["sfx"] = _ordinal(moved.day)
                if groups["wd"]:
                    weekday = WEEKDAYS[moved.weekday()]
                    new["wd"] = weekday if len(groups["wd"]) > 4 else weekday[:3]
            self.counts["dates_in_text"] += 1
            return _respan(parts, new)
        self.counts["dates_replaced"] += 1
        return "[date]." if text.endswith(".") else "[date]"


# -- helpers ------------------------------------------------------------------------------------


def _flexible(text: str) -> str:
    """A regex for `text` that allows either apostrophe and any run of spaces."""
    return re.sub(r"\\?\s+", r"\\s+", re.escape(text)).replace("'", "['’]").replace("’", "['’]")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(_flexible(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _accented_alternation(words: Iterable[str], exact: bool = False) -> str:
    """An alternation of words (without accents) that matches each with or without accents, either
    apostrophe and any spaces; in any case unless `exact` (put it inside (?i:...) for that)."""
    return "|".join(_accented_word(w, exact) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _accented_word(word: str, exact: bool) -> str:
    parts = []
    for ch in word if exact else word.lower():
        if ch in "'’":
            parts.append("['’]")
        elif ch.isspace():
            parts.append(r"\s+")
        elif ch in _ACCENTED:
            parts.append(f"[{ch}{_ACCENTED[ch]}]{_MARKS}")
        else:
            parts.append(re.escape(ch) + (_MARKS if ch.isalpha() else ""))
    return "".join(parts)


def _plain(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


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


def _month_number(word: str) -> int:
    short = word.rstrip(".")[:3].lower()
    return next(number for number, name in enumerate(MONTHS, 1) if name[:3].lower() == short)


def _month_like(month: int, like: str) -> str:
    """The month's name written like `like`: in full or short (with its dot), in its case."""
    name = MONTHS[month - 1]
    bare = like.rstrip(".")
    word = name if bare.capitalize() in MONTHS else name[:3] + like[len(bare):]
    return _cased(bare, word)


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _respan(found: re.Match[str], values: dict[str, str]) -> str:
    """The matched text with the named groups in `values` replaced."""
    text = found.string
    spans = sorted((found.span(group), value) for group, value in values.items() if found.group(group))
    pieces, last = [], 0
    for (start, end), value in spans:
        pieces += [text[last:start], value]
        last = end
    return "".join([*pieces, text[last:]])


@functools.cache
def _string_kind(model: type[BaseModel], attribute: str) -> str:
    """'text' (free text), 'identifier' (an id or code), 'enum' or 'other', from the model."""
    info = model.model_fields[attribute]
    annotation, metadata = unwrap(info.annotation)
    metadata = [*info.metadata, *metadata]
    while typing.get_origin(annotation) in (list, dict):
        annotation, more = unwrap(typing.get_args(annotation)[-1])
        metadata += more
    if typing.get_origin(annotation) is typing.Literal:
        return "enum"
    if annotation is str:
        constraints = [c for c in metadata if isinstance(c, StringConstraints)]
        return "identifier" if any(c.pattern for c in constraints) else "text"
    return "other"


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: FieldPath, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _like(old: str, new: str) -> str:
    """`new` in the style `old` was written in (quoted, folded, literal)."""
    if new == old or type(old) is str:
        return new
    styled: Any = type(old)(new)
    if hasattr(old, "fold_pos") and "\n" not in new:
        styled.fold_pos = _folds(new)
    return typing.cast(str, styled)


def _folds(text: str, width: int = FOLD_WIDTH) -> list[int]:
    """Where to break a folded scalar's lines: at single spaces, lines of about `width`."""
    spaces = [i for i, ch in enumerate(text)
              if ch == " " and 0 < i < len(text) - 1 and not text[i - 1].isspace() and not text[i + 1].isspace()]
    folds: list[int] = []
    start, previous = 0, -1
    for space in [*spaces, len(text)]:
        if space - start > width and previous > start:
            folds.append(previous)
            start = previous + 1
        previous = space
    return folds


def _drop_comments(node: Any) -> None:
    if isinstance(node, CommentedMap | CommentedSeq):
        node.ca.comment = None
        node.ca.items.clear()
        node.ca.end = []
        if node.ca.pre is not None:
            node.ca.pre = []
    if isinstance(node, dict):
        for value in node.values():
            _drop_comments(value)
    elif isinstance(node, list):
        for value in node:
            _drop_comments(value)


def _with_blank_lines(text: str) -> str:
    """A blank line before each top-level key that follows a block (comments took theirs away)."""
    lines: list[str] = []
    for line in text.split("\n"):
        if line and not line[0].isspace() and not line.startswith("-") and lines and lines[-1][:1] in (" ", "-"):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)
