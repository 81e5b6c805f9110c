"""The small word lists anonymise works from, and how it compares and writes a word.

Kept short and in one place on purpose: a person reviews what these lists let through.
"""

from __future__ import annotations

import unicodedata

# Names that are also ordinary English words. In free text only the capitalised form (and
# its possessive) is the name: "We hope Will will attend" keeps "hope" and "will".
ORDINARY_NAMES = frozenset({
    "amber", "angel", "april", "ash", "autumn", "baker", "bay", "bill", "birch", "bishop", "brook", "buck",
    "bud", "carol", "chance", "chase", "cherry", "chip", "clay", "cliff", "cook", "crystal", "daisy", "dale",
    "dawn", "dean", "destiny", "dot", "drew", "duke", "earl", "faith", "fern", "fisher", "flint", "forest",
    "fox", "frank", "frost", "ginger", "glen", "grace", "grant", "green", "guy", "hale", "harmony", "hazel",
    "heath", "heather", "hill", "holly", "honey", "hope", "hunter", "iris", "ivy", "jack", "jade", "jay",
    "jean", "jewel", "joy", "june", "justice", "king", "lance", "lark", "lee", "lily", "major", "mark",
    "marsh", "mason", "may", "melody", "miles", "moss", "nick", "norm", "page", "pat", "patience", "pearl",
    "penny", "pike", "poppy", "prince", "rain", "ray", "reed", "rich", "river", "rob", "robin", "rock",
    "rose", "ruby", "rush", "rusty", "sage", "sandy", "shepherd", "sky", "smith", "sonny", "sparrow",
    "spring", "star", "sterling", "stone", "storm", "sue", "summer", "sunny", "victor", "violet", "wade",
    "walker", "ward", "wells", "will", "winter", "wood", "woods", "wren", "young",
})

# Words in the names of schools, services and agencies that do not say which one it is.
ORGANISATION_WORDS = frozenset({
    "abuse", "academy", "adult", "adults", "advice", "advocacy", "agency", "aid", "alcohol", "and",
    "association", "authority", "borough", "boys", "bureau", "c", "care", "catholic", "center", "centre",
    "chapel", "child", "children", "children's", "childrens", "church", "citizens", "city", "clinic", "cofe",
    "college", "commissioning", "community", "contact", "council", "counselling", "county", "court",
    "district", "domestic", "drug", "drugs", "e", "early", "education", "families", "family", "first", "form",
    "foundation", "free", "general", "girls", "grammar", "group", "health", "healthcare", "help", "high",
    "hospital", "hostel", "housing", "hub", "infant", "infants", "infirmary", "integrated", "junior",
    "juniors", "lady", "learning", "leisure", "library", "local", "magistrates", "medical", "mental",
    "methodist", "metropolitan", "middle", "misuse", "mosque", "neighbourhood", "network", "nhs", "nursery",
    "of", "offending", "options", "our", "outreach", "parenting", "partnership", "pathways", "people",
    "people's", "police", "practice", "pre", "pre-school", "preschool", "primary", "prison", "probation",
    "programme", "project", "recovery", "refuge", "resource", "royal", "safeguarding", "saint", "school",
    "secondary", "service", "services", "sixth", "social", "solutions", "special", "specialist", "st",
    "start", "station", "substance", "support", "sure", "surgery", "talking", "team", "temple", "the",
    "therapies", "therapy", "trust", "unit", "university", "violence", "visiting", "wellbeing", "women's",
    "womens", "young", "youth",
})

# What ends the name of a school, service or agency written in free text ("Kelderby Primary
# School", "Brackenbury Family Centre"): the capitalised words before it name the place.
INSTITUTIONS = (
    "School", "Academy", "College", "Nursery", "Pre-School", "Preschool", "Surgery", "Hospital", "Clinic",
    "Centre", "Center", "Hub", "Practice", "Church", "Chapel", "Mosque", "Temple", "Gurdwara", "Synagogue",
    "Library", "Prison", "Hostel", "Refuge", "Infirmary", "Trust", "Foundation", "Project",
)

# Upper-case abbreviations that are never taken for a person's initials, and are not
# reported when they are left in a copy.
ABBREVIATIONS = frozenset({
    "AA", "ADHD", "AE", "AKA", "AM", "AN", "AS", "ASAP", "ASB", "ASD", "AT", "BE", "BMI", "BY", "CAMHS",
    "CAO", "CCE", "CCTV", "CGL", "CIC", "CIN", "CLA", "CP", "CPAG", "CPN", "CPS", "CSC", "CSE", "CT", "DA",
    "DASH", "DBS", "DC", "DCI", "DI", "DJ", "DNA", "DO", "DOB", "DOLS", "DS", "DSL", "DT", "DV", "DWP", "ED",
    "EET", "EHA", "EHC", "EHCP", "EPO", "ESA", "EU", "FAO", "FGC", "FSW", "FT", "GCSE", "GO", "GP", "GPS",
    "HB", "HE", "HM", "HMRC", "HOS", "HV", "ICO", "ICPC", "ICT", "ID", "IDVA", "IF", "IN", "IRO", "IS",
    "ISVA", "IT", "JP", "JSA", "KC", "KS", "LA", "LAC", "LADO", "LD", "LSCB", "MAPPA", "MARAC", "MASH", "ME",
    "MFL", "MH", "MHA", "MP", "MSP", "MY", "NA", "NB", "NEET", "NFA", "NHS", "NI", "NO", "NPS", "NRM",
    "NSPCC", "OF", "OK", "ON", "OR", "OT", "PA", "PC", "PE", "PEP", "PIP", "PLO", "PM", "PNC", "PR", "PS",
    "PSHE", "PT", "QARO", "QC", "RC", "RCPC", "RE", "RHA", "SALT", "SATS", "SDQ", "SEN", "SENCO", "SEND",
    "SGO", "SLT", "SM", "SO", "SSDA", "SU", "SW", "TA", "TAC", "TAF", "TBA", "TBC", "TM", "TO", "TV", "UASC",
    "UC", "UK", "UP", "US", "WE", "YJS", "YOS", "YOT",
})

# Words a capitalised word in a copy may be without anyone needing to look at it: titles,
# months and days, the framework's terms, kin words and the words of places and services.
COMMON_WORDS = frozenset({
    # function words (headings, quotations)
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because", "before",
    "both", "but", "by", "can", "could", "did", "do", "does", "each", "for", "from", "had", "has", "have",
    "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of",
    "ok", "okay", "on", "one", "or", "our", "please", "she", "so", "thank", "thanks", "that", "the", "their",
    "them", "then", "there", "they", "this", "three", "to", "two", "up", "was", "we", "were", "what", "when",
    "where", "which", "who", "why", "with", "would", "yes", "you", "your",
    # labels ("Tel: [phone]")
    "address", "email", "fax", "mob", "mobile", "postcode", "ref", "tel",
    # titles
    "cllr", "dame", "dc", "dr", "ds", "hhj", "honour", "insp", "judge", "justice", "miss", "mr", "mrs", "ms",
    "mx", "pc", "prof", "rev", "revd", "sgt", "sir",
    # months and days
    "apr", "april", "aug", "august", "bank", "christmas", "dec", "december", "diwali", "easter", "eid", "feb",
    "february", "friday", "half", "hanukkah", "holiday", "jan", "january", "jul", "july", "jun", "june",
    "mar", "march", "may", "monday", "new", "nov", "november", "oct", "october", "ramadan", "saturday", "sep",
    "sept", "september", "sunday", "term", "thursday", "tuesday", "wednesday", "year", "year's",
    # kin and roles written as names ("Mum said")
    "aunt", "auntie", "aunty", "baby", "dad", "daddy", "gran", "grandad", "granddad", "grandma", "grandpa",
    "mam", "mom", "mum", "mummy", "nan", "nana", "nanna", "nanny", "uncle",
    # the framework, the law and the services around a case
    "a-level", "aa", "abuse", "academy", "accident", "act", "adoption", "adviser", "advisor", "african",
    "agreement", "alcohol", "allowance", "anonymous", "around", "asian", "assessment", "assurance", "being",
    "benefit", "benefits", "british", "camhs", "care", "caribbean", "catholic", "centre", "child", "children",
    "children's", "christian", "chronology", "classification", "clinic", "college", "conference", "connected",
    "contact", "council", "course", "court", "covid", "credit", "decision", "department", "designated",
    "difficulties", "discussion", "domestic", "drug", "drugs", "duty", "early", "education", "emergency",
    "english", "european", "facebook", "family", "fostering", "framework", "freedom", "gcse", "general",
    "genogram", "goal", "goals", "god", "google", "group", "guardianship", "head", "health", "help", "high",
    "hindu", "home", "hospital", "housing", "hub", "independent", "instagram", "interim", "internet", "irish",
    "jewish", "key", "kinship", "law", "lead", "learning", "leaving", "legal", "level", "looked", "low",
    "manager", "medium", "meeting", "mental", "mentor", "misuse", "muslim", "na", "need", "needs", "nurse",
    "nursery", "officer", "order", "outline", "paediatrician", "panel", "parental", "parenting", "pathway",
    "permanence", "person", "personal", "persons", "placement", "plan", "planning", "police", "polish",
    "practice", "practitioner", "primary", "probation", "programme", "protection", "psychologist",
    "psychology", "public", "quality", "questionnaire", "reception", "recovery", "return", "reunification",
    "review", "reviewing", "risk", "romanian", "safe", "safeguarding", "safety", "sats", "school", "scottish",
    "secondary", "section", "service", "services", "severe", "signs", "sikh", "snapchat", "social", "special",
    "stage", "step", "strategy", "strengths", "substance", "supervision", "support", "surgery", "talking",
    "tax", "teacher", "team", "teams", "therapies", "therapy", "tiktok", "trust", "unit", "universal",
    "violence", "visitor", "ward", "well", "welsh", "whatsapp", "worker", "workers", "youtube", "zoom",
})

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


def plain(word: str) -> str:
    """`word` without its accents."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def fold(word: str) -> str:
    """A word as it is looked up: no accents, any case, one kind of apostrophe."""
    return plain(word).casefold().replace("’", "'")


def cased(like: str, word: str) -> str:
    """`word` in the case of `like`: all capitals, all small, or as given."""
    if len(like) > 1 and like.isupper():
        return word.upper()
    if like.islower():
        return word.lower()
    return word
