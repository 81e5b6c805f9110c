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
listed for a person to review, as it is in the copy.

The shift and the names come from a generator keyed on the seed and on the case itself,
so the same seed gives the same copy of the same case, and the copy alone does not give
the seed away. The copy is written to a temporary folder beside OUT, read back (it must
load cleanly and hold exactly what was meant), then renamed into place: whole or not at all.

The modules, from the base up:

    words         the short word lists it keeps (names that are words, the words of
                  services, common words, titles, street types), and how a word is looked up
    fictional     the made-up names and places, drawn without repeats
    shift         the date shift, and dates written in free text moved by it
    patterns      what free text is read with: contact details, identity numbers,
                  addresses, dates of birth, months and years; alternations of a case's words
    review        what is left in a copy for a person to review
    names         the fictional names, places, ids, initials and addresses of one copy
    scrubbing     free text scrubbed
    record_files  each record file changed for what its model says every value is
    copying       the whole copy: checked, written whole or not at all; the result
"""

from __future__ import annotations

from reunify.teaching.anonymise.copying import Anonymised
from reunify.teaching.anonymise.copying import CaseHasErrors
from reunify.teaching.anonymise.copying import anonymise_case
from reunify.teaching.anonymise.copying import check_target

__all__ = ["Anonymised", "CaseHasErrors", "anonymise_case", "check_target"]
