"""Fictional case folders for benchmarks, varied from the complete sample cases.

Each generated case starts from a sample that has every record file (03, 04 or 06, so
every document can be rendered), then gets new names (from the small made-up lists
below), a new reference and town, all its dates shifted back by the same number of
weeks, and a different shape: 5 to 20 people, 10 to 60 chronology entries, 1 to 6
goals per parent, fewer or more reviews, services and factors. A case depends only on
the seed and its index, so the first 50 of 200 cases are the same as 50 cases.

    from cases import generate_cases, unready   # with bench/ on sys.path
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reunify.core.yamlio import load_file
from reunify.documents.render import case_documents

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "reunify" / "sample_cases"
TODAY = dt.date(2026, 11, 23)
SEED = 20261123

# (sample, weight): mostly the medium-risk agreement case, plus a high-risk case and a
# child placed at home with parents (P1) under a care order.
BASES = (("03-medium-agreement-review", 2), ("04-high-over-six-months", 1), ("06-home-under-care-order", 1))
FILES = ("case.yaml", "people.yaml", "chronology.yaml", "assessment.yaml", "risk.yaml", "decisions.yaml",
         "agreement.yaml", "plan.yaml", "events.yaml")
TOWNS_IN_SAMPLES = ("Ashcombe Vale", "Brackenbury", "Westmoor")

# Small made-up lists. Any resemblance of a combination to a real person is chance.
FEMALE = ("Amber", "Bethan", "Carys", "Daisy", "Elsie", "Freya", "Gemma", "Hollie", "Imogen", "Jodie",
          "Kayleigh", "Lacey", "Megan", "Nadia", "Orla", "Poppy", "Rhiannon", "Shannon", "Tegan", "Violet",
          "Willow", "Yasmin", "Zara", "Bronwen", "Cerys", "Demi", "Esme", "Faye", "Gracie", "Isla")
MALE = ("Alfie", "Brandon", "Callum", "Declan", "Ellis", "Finley", "Gareth", "Harvey", "Idris", "Jake",
        "Kieran", "Liam", "Mason", "Nathan", "Owain", "Preston", "Reece", "Stefan", "Tyler", "Vinnie",
        "Warren", "Zach", "Aaron", "Bradley", "Craig", "Darren", "Ewan", "Frankie", "Gethin", "Harley")
SURNAMES = ("Ashgrove", "Blackwood", "Cranleigh", "Dunmore", "Ellerby", "Fairclough", "Garside", "Halloran",
            "Inchbald", "Jessop", "Kettering", "Lowther", "Marwick", "Northcott", "Oakridge", "Penhallow",
            "Quarrie", "Rushworth", "Sedgwick", "Tarrant", "Underhill", "Varley", "Whitlock", "Yardley",
            "Addington", "Brimble", "Catterall", "Dewhurst", "Elphick", "Furness", "Grimshaw", "Hebblethwaite")
TOWNS = ("Hollowmere", "Kestlebury", "Northwold", "Ravensholt", "Sallowby", "Thornmoor", "Wexcombe",
         "Eldersfield Vale", "Marsden Cross", "Oxley Heath")

FACTORS = ("domestic_abuse", "substance_misuse", "mental_health", "neglect", "bereavement")

# Extra chronology entries: (event, source, factors, impact, response, analysis).
EVENTS: tuple[tuple[str, str, list[str], str | None, str | None, str | None], ...] = (
    ("{child} misses three health appointments in a row; {mother} says she forgot.", "Health visiting record",
     ["neglect"], "{child}'s immunisations fall behind.", "Health visitor home visit.", None),
    ("School reports {child}'s attendance at {pct}% this term.", "School attendance report", ["neglect"],
     "{child} is behind in reading and maths.", "Attendance meeting with {mother}.",
     "Attendance falls each time the household is under strain."),
    ("Police called to an argument between {mother} and {father}; no injuries.", "Police notification",
     ["domestic_abuse"], "{child} heard the shouting from upstairs.", "Notification screened; letter sent.",
     "Another incident in a pattern the family does not yet recognise."),
    ("{mother} tells her GP she is drinking most evenings to cope.", "GP record", ["substance_misuse"],
     None, "Referred to community alcohol services.", None),
    ("{father} attends an alcohol assessment but not the follow-up sessions.", "Recovery service letter",
     ["substance_misuse"], None, "Service closes the referral after two missed sessions.", None),
    ("{mother} is prescribed antidepressants after a period of low mood.", "GP record", ["mental_health"],
     "{child} takes on more of the chores at home.", "GP review in six weeks.", None),
    ("Neighbour reports {child} left alone at home in the evening.", "Referral to the front door",
     ["neglect"], "{child} was frightened and hungry.", "Home visit the next day; advice given.",
     "The first report of {child} being left without supervision."),
    ("{child}'s grandparent dies; the family is deeply affected.", "Family history", ["bereavement"],
     "{child} is tearful at school for several weeks.", "School offers bereavement support.", None),
    ("Child in need review: some progress, but home conditions have slipped again.", "Child in need review",
     ["neglect"], None, "Plan continues; visits increased.", None),
    ("{child} tells a teacher that Mum and Dad were fighting at the weekend.", "School safeguarding log",
     ["domestic_abuse"], "{child} was withdrawn all day.", "Designated safeguarding lead informs the social worker.",
     "{child} is carrying worry about the adults' safety."),
    ("Family support worker reports the home is clean and routines are in place.", "Family support record",
     [], "{child} arrives at school on time all week.", None, None),
    ("{mother} completes a parenting course and says it helped her set routines.", "Course certificate",
     [], None, None, "A strength to build on."),
)

# Extra goals: (change, steps, evidence, support).
GOALS = (
    ("{name} attends every contact on time and sober.", ["Arrive ten minutes early.", "Cancel only by arrangement."],
     "Contact records.", "Family centre contact worker."),
    ("{name} keeps the home safe, clean and stocked with food.", ["Weekly budget plan.", "Shopping with the family "
     "support worker."], "Announced and unannounced visits.", "Family support worker."),
    ("{name} works openly with professionals and shares worries early.", ["Meets the social worker fortnightly.",
     "Calls the duty team if something goes wrong."], "Social worker records.", "Social worker; team manager."),
    ("{name} supports {child}'s school attendance.", ["Morning routine chart.", "Meets the class teacher each "
     "half term."], "School attendance figures.", "School family liaison officer."),
)

RELATIVES = (  # (relationship for a female, for a male, kind)
    ("sister", "brother", "sibling"),
    ("half-sister", "half-brother", "half-sibling"),
    ("maternal aunt", "maternal uncle", "mother's sibling"),
    ("paternal aunt", "paternal uncle", "father's sibling"),
    ("cousin", "cousin", "cousin"),
    ("family friend", "family friend", "friend"),
    ("neighbour", "neighbour", "friend"),
    ("health visitor", "health visitor", "professional"),
    ("youth worker", "youth worker", "professional"),
)
QUALITIES = ("close", "close", "conflict", "cut_off")

_DATE_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def generate_cases(root: Path, count: int, seed: int = SEED) -> list[Path]:
    """Write `count` varied fictional case folders under `root`; return them in order."""
    originals = {name: {file: load_file(SAMPLES / name / file).data for file in FILES} for name, _ in BASES}
    folders = []
    for index in range(count):
        rng = random.Random(seed * 1_000_003 + index)
        base = rng.choices([name for name, _ in BASES], weights=[w for _, w in BASES])[0]
        folder = root / f"case-{index + 1:04d}"
        write_case(folder, vary(_copy(originals[base]), rng, index))
        folders.append(folder)
    return folders


def unready(folders: list[Path], today: dt.date = TODAY) -> dict[Path, list[str]]:
    """Each folder that does not have every document that applies to its child ready
    (the front sheet is only for a child placed with parents), with what stops it."""
    found: dict[Path, list[str]] = {}
    for folder in folders:
        documents = case_documents(folder, today)
        problems = [f"{p.file.name} {p.path}: {p.message}" for p in documents.problems]
        problems += [f"{a.document}: {p.file.name} {p.path}: {p.message}"
                     for a in documents.available if a.applies for p in a.problems]
        if problems or documents.source is None:
            found[folder] = problems or ["the case did not load"]
    return found


def write_case(folder: Path, data: dict[str, Any]) -> None:
    folder.mkdir(parents=True)
    for file, records in data.items():
        lines = ["# Generated by bench/cases.py. Fictional: every name, place and reference is invented."]
        _emit(records, "", lines)
        (folder / file).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _emit(value: Any, indent: str, lines: list[str]) -> None:
    """Block-style YAML for plain data (much faster than a general dumper; strings JSON-quoted)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if _is_block(item):
                lines.append(f"{indent}{key}:")
                _emit(item, indent + "  ", lines)
            else:
                lines.append(f"{indent}{key}: {_scalar(item)}")
    else:
        for item in value:
            if _is_block(item):
                start = len(lines)
                _emit(item, indent + "  ", lines)
                lines[start] = f"{indent}- {lines[start][len(indent) + 2:]}"
            else:
                lines.append(f"{indent}- {_scalar(item)}")


def _is_block(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value)
    if isinstance(value, list):  # short lists of short values go on one line
        return any(isinstance(item, dict | list) or len(str(item)) > 40 for item in value)
    return False


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{}"
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def vary(data: dict[str, Any], rng: random.Random, index: int) -> dict[str, Any]:
    """One new case from a copy of a sample's records (changed in place and returned)."""
    change, pools = _rename(data, rng)
    data = _map_strings(data, change)
    _vary_people(data, rng, pools)
    _vary_chronology(data, rng)
    _vary_agreement(data, rng)
    _vary_plan_and_assessment(data, rng)
    shift = dt.timedelta(weeks=rng.randint(0, 52))  # back only: nothing that happened moves past today
    data = _map_dates(data, shift)
    first = min(s["from"] for s in data["case.yaml"]["legal_status"])
    data["case.yaml"]["reference"] = f"{rng.choice(('WBC', 'NWC', 'KBC', 'RHC'))}-RU-{first.year}-{index + 1:04d}"
    return data


# -- names --------------------------------------------------------------------------------


def _rename(data: dict[str, Any], rng: random.Random) -> tuple[Callable[[str], str], dict[str, list[str]]]:
    """New names for everyone (and a new town): the text substitution, and the names left."""
    used = {token for p in data["people.yaml"]["people"] for token in p["name"].split()}
    used |= {token for t in data["case.yaml"]["team"] for token in t["name"].split()}
    pools = {"female": [n for n in FEMALE if n not in used], "male": [n for n in MALE if n not in used],
             "surname": [n for n in SURNAMES if n not in used]}
    for pool in pools.values():
        rng.shuffle(pool)
    mapping: dict[str, str] = {}

    def first(token: str, sex: str) -> None:
        if token not in mapping:
            pool = pools[sex] if sex in ("female", "male") else pools[rng.choice(("female", "male"))]
            mapping[token] = pool.pop()

    def surname(token: str) -> None:
        if token not in mapping:
            mapping[token] = pools["surname"].pop()

    for person in data["people.yaml"]["people"]:
        tokens = person["name"].split()
        first(tokens[0], person.get("sex", "unknown"))
        for token in tokens[1:]:
            surname(token)
    for member in data["case.yaml"]["team"]:
        tokens = member["name"].split()
        first(tokens[0], "unknown")
        for token in tokens[1:]:
            surname(token)
    town = rng.choice(TOWNS)
    for place in TOWNS_IN_SAMPLES:
        mapping[place] = town if place == "Ashcombe Vale" else rng.choice(TOWNS)
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, mapping), key=len, reverse=True)) + r")(?=s?\b)")
    return (lambda text: pattern.sub(lambda m: mapping[m.group(1)], text)), pools


def _new_name(rng: random.Random, pools: dict[str, list[str]], sex: str, surname: str | None = None) -> str:
    given = pools[sex].pop() if pools[sex] else rng.choice(FEMALE if sex == "female" else MALE)
    return f"{given} {surname or (pools['surname'].pop() if pools['surname'] else rng.choice(SURNAMES))}"


# -- shape ---------------------------------------------------------------------------------


def _vary_people(data: dict[str, Any], rng: random.Random, pools: dict[str, list[str]]) -> None:
    people = data["people.yaml"]
    by_id = {p["id"]: p for p in people["people"]}
    child = by_id[data["case.yaml"]["child"]]
    parents = [by_id[p] for p in child.get("parents", [])]
    mother = next((p for p in parents if p.get("sex") == "female"), None)
    father = next((p for p in parents if p.get("sex") == "male"), None)
    family_name = child["name"].split()[-1]
    target = rng.randint(5, 20)
    number = 0
    while len(people["people"]) < target:
        number += 1
        female_word, male_word, kind = rng.choice(RELATIVES)
        sex = rng.choice(("female", "male"))
        person: dict[str, Any] = {"id": f"rel-{number}", "sex": sex,
                                  "relationship": female_word if sex == "female" else male_word}
        if kind in ("sibling", "half-sibling") and parents:
            linked = parents if kind == "sibling" else [rng.choice(parents)]
            person["name"] = _new_name(rng, pools, sex, family_name if kind == "sibling" else None)
            person["born"] = _day(rng, _adult(linked), dt.date(2025, 12, 31))
            person["parents"] = [p["id"] for p in linked]
        elif kind in ("mother's sibling", "father's sibling"):
            parent = mother if kind == "mother's sibling" else father
            if parent is None:
                continue
            person["name"] = _new_name(rng, pools, sex, parent["name"].split()[-1])
            person["born"] = _day(rng, dt.date(1975, 1, 1), dt.date(1998, 12, 31))
            if parent.get("parents"):
                person["parents"] = list(parent["parents"])
        elif kind == "cousin":
            aunts = [p for p in people["people"]
                     if p["id"].startswith("rel-") and p["relationship"].startswith(("maternal", "paternal"))]
            if not aunts:
                continue
            aunt = rng.choice(aunts)
            person["name"] = _new_name(rng, pools, sex, aunt["name"].split()[-1])
            person["born"] = _day(rng, _adult([aunt]), dt.date(2024, 12, 31))
            person["parents"] = [aunt["id"]]
        else:
            person["name"] = _new_name(rng, pools, sex)
            if kind == "friend":
                person["born"] = _day(rng, dt.date(1960, 1, 1), dt.date(1995, 12, 31))
            else:
                person["notes"] = f"Works with {child['name'].split()[0]} and the family."
        people["people"].append(person)
        if rng.random() < 0.4:
            people.setdefault("relationships", []).append(
                {"people": [child["id"], person["id"]], "quality": rng.choice(QUALITIES)})


def _vary_chronology(data: dict[str, Any], rng: random.Random) -> None:
    entries = data["chronology.yaml"]["entries"]
    target = rng.randint(10, 60)
    if target <= len(entries):
        keep = sorted(rng.sample(range(len(entries)), target))
        data["chronology.yaml"]["entries"] = [entries[i] for i in keep]
        return
    people = {p["id"]: p for p in data["people.yaml"]["people"]}
    child = people[data["case.yaml"]["child"]]
    parents = [people[p] for p in child.get("parents", [])]
    words = {"child": child["name"].split()[0],
             "mother": next((p["name"].split()[0] for p in parents if p.get("sex") == "female"), "Mum"),
             "father": next((p["name"].split()[0] for p in parents if p.get("sex") == "male"), "Dad")}
    start, end = child["born"], max(e["date"] for e in entries)
    for _ in range(target - len(entries)):
        event, source, factors, impact, response, analysis = rng.choice(EVENTS)
        fill = {**words, "pct": rng.randint(61, 92)}
        entry: dict[str, Any] = {"date": _day(rng, start, end), "event": event.format(**fill), "source": source}
        if factors:
            entry["factors"] = list(factors) + ([rng.choice(FACTORS)] if rng.random() < 0.3 else [])
        for key, text in (("impact", impact), ("response", response), ("analysis", analysis)):
            if text:
                entry[key] = text.format(**fill)
        entries.append(entry)
    entries.sort(key=lambda e: e["date"])


def _vary_agreement(data: dict[str, Any], rng: random.Random) -> None:
    agreement = data["agreement.yaml"]
    names = {p["id"]: p["name"].split()[0] for p in data["people.yaml"]["people"]}
    child = names[data["case.yaml"]["child"]]
    for parent in agreement["parents"]:
        goals = parent["goals"]
        target = rng.randint(1, 6)
        if target <= len(goals):
            goals = [goals[i] for i in sorted(rng.sample(range(len(goals)), target))]
        else:
            reviewed = [r["date"] for g in goals for r in g.get("reviews", [])]
            for change, steps, evidence, support in rng.sample(GOALS, min(target - len(goals), len(GOALS))):
                goal: dict[str, Any] = {
                    "change": change.format(name=names[parent["person"]], child=child), "steps": list(steps),
                    "evidence": evidence, "due": goals[0].get("due", agreement["review_date"]),
                    "support": support}
                if reviewed:
                    goal["reviews"] = [{"date": day, "rating": rng.choice(("green", "amber", "red")),
                                        "evidence": "Reviewed with the parent; see the case notes."}
                                       for day in sorted(set(reviewed))]
                goals.append(goal)
        for goal in goals:
            reviews = goal.get("reviews", [])
            if reviews and rng.random() < 0.3:
                goal["reviews"] = reviews[: rng.randint(1, len(reviews))]
        parent["goals"] = goals
        for key in ("strengths", "concerns"):
            if parent.get(key):
                parent[key] = _some(rng, parent[key])


def _vary_plan_and_assessment(data: dict[str, Any], rng: random.Random) -> None:
    plan = data["plan.yaml"]
    for key in ("support", "after_return", "contact"):
        if plan.get(key):
            plan[key] = _some(rng, plan[key])
    assessment = data["assessment.yaml"]
    for parent in assessment["parents"]:
        for key in ("risk_factors", "protective_factors"):
            if parent.get(key):
                parent[key] = _some(rng, parent[key])
    if assessment.get("support_needs"):
        assessment["support_needs"] = _some(rng, assessment["support_needs"])


# -- helpers -------------------------------------------------------------------------------


def _some(rng: random.Random, items: list[Any]) -> list[Any]:
    """A non-empty selection of `items`, in their order."""
    keep = sorted(rng.sample(range(len(items)), rng.randint(1, len(items))))
    return [items[i] for i in keep]


def _adult(parents: list[dict[str, Any]]) -> dt.date:
    """The earliest a child of these parents is born: when the youngest is 18."""
    born = max((p["born"] for p in parents if p.get("born")), default=dt.date(1980, 1, 1))
    return born.replace(year=born.year + 18, day=min(born.day, 28))


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _map_strings(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: _map_strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_strings(item, change) for item in value]
    return value


def _map_dates(value: Any, shift: dt.timedelta) -> Any:
    """Every date moved back by `shift`, including dates written in text."""
    if isinstance(value, dt.date):
        return value - shift
    if isinstance(value, str):
        return _DATE_TEXT.sub(lambda m: _shift_text(m, shift), value)
    if isinstance(value, dict):
        return {key: _map_dates(item, shift) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_dates(item, shift) for item in value]
    return value


def _shift_text(match: re.Match[str], shift: dt.timedelta) -> str:
    try:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return match.group(0)
    return (day - shift).isoformat()
