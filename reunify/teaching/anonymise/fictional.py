"""The made-up names and places a copy is given, drawn without repeats.

Any resemblance of a combination to a real person or place is chance.
"""

from __future__ import annotations

import random

from reunify.teaching.anonymise.words import fold

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


class Pools:
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
            if fold(word) not in self.taken:
                self.taken.add(fold(word))
                return word
        while True:  # the lists ran out: made-up words
            word = "".join(self.rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
            if fold(word) not in self.taken:
                self.taken.add(fold(word))
                return word
