"""Build ontology/leaders.ttl, the heads of State and Government, from the UN General Debate Corpus.

Owns: the leaders vocabulary (ng:Leader and its properties, declared in the same file) and
the rules that turn the corpus's speaker list into it.

Source: `Speakers_by_session.xlsx` of the UN General Debate Corpus (UNGDC) 1946-2024, release
V13, Harvard Dataverse, doi:10.7910/DVN/0TJX8Y (CC0 1.0); Baturo, Dasandi & Mikhaylov (2017),
"Understanding state preferences with text as data: Introducing the UN General Debate corpus",
Research & Politics, doi:10.1177/2053168017712821.  One row per speech: Year, Session, ISO Code,
Country, Name of Person Speaking, Post.

Rules, in order:

1. Post.  Whitespace is collapsed and case ignored; HEAD_POSTS maps every post of a head of
   State or Government that the file uses to the office written as ng:post ("Prime Minister and
   Minister for Finance" -> "Prime Minister").  OTHER_POSTS lists the posts that look like one
   but are not (Vice-President, Deputy Prime Minister, Crown Prince ...); any other post that
   names a head-of-State word is an error, so that a new spelling is classified, not dropped.
   "Prince" is the head of State only in Monaco and Liechtenstein (elsewhere it is a title of
   ministers and heirs).  Rows without a post (most rows before 1994) are not used.
2. Country.  CODE_FIXES corrects the file's few non-ISO codes; a leader is emitted only if
   party/<ISO3> is an ng:State of ontology/parties.ttl.
3. Name.  Leading honorifics (HONORIFICS; "Sheikh" only for the Gulf monarchies, where it is a
   title, not a name), trailing commas and "of Monaco"-style suffixes are removed, and words
   the file prints in capitals are title-cased ("RAMIZ ALIA" -> "Ramiz Alia").  Names that
   differ only in case, accents, hyphens or spacing are one person; ALIASES joins the other
   spellings of one person ("Joe Biden" -> "Joseph R. Biden").  The label is the spelling
   with most diacritics, then the most frequent, then the latest.
4. Surnames (several may be given):
   - a regnal name ("Abdullah II", "Mswati III") is the surname of a monarch or pope;
   - family name first (China, both Koreas: "Xi Jinping" -> "Xi"); Viet Nam and Cambodia
     also give the last word, by which leaders there are called ("Nguyen", "Phuc");
     Japanese names are given-name first unless listed in JAPANESE_FAMILY_FIRST;
   - Myanmar names have no family name: the whole name;
   - Arabic names: the "Al X" / "Al-X" / "El X" family name when there is one ("Al Thani");
   - a particle joins the word after it ("da Silva", "de la Rúa", "van Rompuy");
   - Spanish-speaking countries: the paternal surname and the pair of surnames ("Sánchez",
     "Sánchez Pérez-Castejón"), unless the second-to-last word is a given name;
   - Portuguese-speaking countries: the last surname and, when a particle precedes it, the
     word before the particle ("Lula", "da Silva");
   - otherwise the last word; SURNAME_EXTRA adds names a leader is known by besides these.
5. Years.  ng:servedFrom and ng:servedUntil are the first and last year in which the person
   addressed the General Debate in a kept post; ng:post lists every kept post.

Run from the repository root with openpyxl importable (a development-time tool only):
    python scripts/build_leaders.py [--source PATH] [--out PATH]
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from normgraph.namespace import ID_IRI, NG_IRI, slug  # noqa: E402

SOURCE = ROOT.parent / "shared" / "corpora" / "ungdc" / "Speakers_by_session.xlsx"
OUT = ROOT / "ontology" / "leaders.ttl"
PARTIES = ROOT / "ontology" / "parties.ttl"
SOURCE_NAME = "Speakers_by_session.xlsx"
SOURCE_TEXT = ("UN General Debate Corpus 1946-2024 (UNGDC), V13, Harvard Dataverse, doi:10.7910/DVN/0TJX8Y, "
               "file Speakers_by_session.xlsx")
NG = Namespace(NG_IRI)
PARTY = ID_IRI + "party/"
LEADER = ID_IRI + "leader/"

# post as the file writes it (whitespace collapsed, case ignored) -> ng:post
HEAD_POSTS = {
    "president": "President",
    "president republic": "President",
    "constitutional president": "President",
    "first executive president": "President",
    "president and head of government": "President",
    "president and head of state": "President",
    "president and commander-in-chief of the defence forces": "President",
    "president and comander in chief of the armed forces": "President",
    "president and comander of the armed forces and minister of defence": "President",
    "president and minister for defense": "President",
    "president, head of government and minister for foreign affairs and immigration": "President",
    "president of the arab republic of egypt": "President",
    "president of the eastern republic of uruguay": "President",
    "president of the federal republic of cameroon": "President",
    "president of the federative republic of brazil": "President",
    "president of the republic of pananma": "President",
    "president of the republic of peru": "President",
    "president of the republic of venezuela": "President",
    "president of the united republic of tanzania": "President",
    "president of the people's republic of mozambique": "President",
    "president of faso and president of the council of ministers of burkina faso": "President",
    "president of the republic of malawi, minister for defense and commander-in-chief of the malawi defense "
    "force and the malawi police service": "President",
    "president of the republic of mali and chairman of the conference of heads of state of the permanent "
    "inter-state committee on drought control in the sahel": "President",
    "president of democratic kampuchea": "President",
    "acting president": "Acting President",
    "interim president": "Interim President",
    "president ad interim": "Interim President",
    "prime minister": "Prime Minister",
    "first prime minister": "First Prime Minister",
    "first vice-president and prime minister": "Prime Minister",
    "prime minister and head of government": "Prime Minister",
    "prime minister in charge of beliris and federal cultural institutions": "Prime Minister",
    "rime minister and minister for europe and foreign affairs": "Prime Minister",  # sic
    "premier of the state council": "Premier",
    "premier of the administrative council": "Premier",
    "president of the council of ministers": "President of the Council of Ministers",
    "president of the government": "President of the Government",
    "president of government": "President of the Government",
    "president of the government and minister for foreign affairs and commerce": "President of the Government",
    "head of state": "Head of State",
    "head of state and commander-in-chief of the armed forces": "Head of State",
    "head of state and head of government": "Head of State",
    "commander in chief, head of state": "Head of State",
    "prince and head of state": "Head of State",
    "acting head of state": "Acting Head of State",
    "head of government": "Head of Government",
    "head of the goverment": "Head of Government",  # sic
    "head of the federal military government": "Head of the Federal Military Government",
    "chancellor": "Chancellor",
    "king": "King",
    "king of the hasemite kingdom of jordan": "King",  # sic
    "king and president of the council of ministers": "King",
    "emperor": "Emperor",
    "amir": "Amir",
    "emir": "Amir",
    "sovereign prince": "Sovereign Prince",
    "pope": "Pope",
    "head of the church": "Pope",
    "chairman of the presidency": "Chairman of the Presidency",
    "cairman of the presidency": "Chairman of the Presidency",  # sic
    "president of the presidensy": "President of the Presidency",  # sic
    "chairman of the presidential council": "Chairman of the Presidential Council",
    "president of the presidency council of the government of national accord": "President of the Presidency Council",
    "chairman of the council of ministers": "Chairman of the Council of Ministers",
    "chairman of the council of ministers of the people's republic of albania": "Chairman of the Council of Ministers",
    "chairman of the council of ministers of the union of soviet socialist republics":
        "Chairman of the Council of Ministers",
    "chairman of the assembly presidium": "Chairman of the Presidium of the People's Assembly",
    "chairman of the supreme council": "Chairman of the Supreme Council",
    "chairman of the transitional military council": "Chairman of the Transitional Military Council",
    "chairman of the military council": "Chairman of the Military Council",
    "chairman of the military council and coucil of ministers": "Chairman of the Military Council",  # sic
    "coordinator of the junta of the government": "Coordinator of the Junta",
    "coordinator of the junta of the government of national reconstruction": "Coordinator of the Junta",
    "coordinator of the junta of the govermnent of national reconstruction": "Coordinator of the Junta",  # sic
    "president of the council of state and of the government": "President of the Council of State",
    "president of the council of the state": "President of the Council of State",
    "president of the councils of state and of ministers": "President of the Council of State",
    "president of the national council of government": "President of the National Council of Government",
    "president of the supreme national council": "President of the Supreme National Council",
    "chief advisor of the interim government and minister for foreign affairs": "Chief Adviser",
    "chief executive": "Chief Executive",
    "chief executive officer": "Chief Executive",
    "state counsellor and minister for foreign affairs": "State Counsellor",
}
# "Prime Minister and Minister for ..." / "Prime Minister, Minister for ...": the office is the first words
HEAD_PREFIXES = (("prime minister and ", "Prime Minister"), ("prime minister, ", "Prime Minister"))

# posts that name a head-of-State word but are not the office of a head of State or Government
OTHER_POSTS = {
    "vice-president", "vice president", "first vice-president", "vice president of the republic",
    "vice-president and minister for foreign affairs", "vice-president and minister for women’s affairs",
    "vice president and misnter of external relations", "first vice-president and minister for foreign affairs",
    "vice-president of the prime minister's council",
    "first vice-president of the supreme military council and commis·sioner for external affairs of "
    "equatorial guinea",
    "vice-chancellor and federal minister for foreign affairs",
    "crown prince", "chairman", "member of the presidency",
    "member of the junta of the government of national reconstruction",
    "personal representative of the head of state of the republic of the philippines",
    "special envoy of the prime minister and minister for public service",
    "president of the european council",
    "first secretary of the central committee of the polish united workers' party",
    "chairman of the united national front of kampuchea french",
    "minister at the prime minister’s office and second minister for foreign affairs and trade",
    "union minister for the office of the state counsellor", "union minister of the office of the state counsellor",
    "deputy chairman of the cabinet of ministers and minister for foreign affairs",
}
HEAD_WORDS = re.compile(r"\b(president|prime|premier|king|queen|emir|amir|sultan|prince|chancellor|chairman|"
                        r"head of|emperor|pope|monarch|junta|presidency|council of (?:state|ministers))\b")
NOT_HEAD = re.compile(r"^(deputy|vice|minister|secretary)\b|delegation|representative")
PRINCIPALITIES = {"MCO", "LIE"}  # where "Prince" is the head of State

# the file's non-ISO codes
CODE_FIXES = {"POR": "PRT", "ZFA": "ZAF", "PKR": "PRK", "DKN": "DNK", "PAR": "PRY", "CZK": "CSK"}

GULF = {"ARE", "BHR", "KWT", "OMN", "QAT", "SAU"}
HONORIFICS = (
    "his serene highness", "her serene highness", "serene highness", "his royal highness", "his majesty",
    "her majesty", "his highness", "her highness", "his holiness", "his excellency", "her excellency",
    "h.e.", "h. e.", "h.m.", "h. m.", "highness", "majesty", "excellency", "mr.", "mr,", "mr", "mrs.", "mrs",
    "ms.", "ms", "dr.", "dr", "crown prince", "king", "queen", "prince", "princess", "emir", "amir", "sultan",
    "president", "pope", "cardinal", "archbishop", "colonel", "general", "samdech", "sdech krom luong", "don",
    "sir", "dame", "major general", "commander", "the honourable", "honourable", "dato’ seri", "dato' seri",
    "dato’", "dato'", "tan sri", "haji", "alhaji", "al hadji", "al haj", "el haj", "el hadj", "lyonchoen", "lyonpo",
    "akka moha sena padei techo", "moha borvor thipadei", "m.", "mr;", "grand chief", "chief", "rt. hon.",
    "right honourable", "father", "lord",
)
GULF_HONORIFICS = ("sheikh", "shaikh", "sheikha")

# rows whose post is not the person's office in that year: (ISO3, slug of the cleaned name) ->
# (first year, last year, why)
EXCLUDED_ROWS = {
    ("QAT", "tamim-bin-hamad-bin-khalifa-al-thani"): (2006, 2006, "Crown Prince of Qatar; Amir from 2013"),
    ("BRN", "al-muhtadee-billah"): (1946, 2024, "Crown Prince of Brunei"),
    ("BRN", "al-muhtadee"): (1946, 2024, "Crown Prince of Brunei"),
    ("MAR", "moulay-rachid"): (1946, 2024, "brother of the King of Morocco"),
    ("JOR", "el-hassan-bin-talal"): (1946, 2024, "Crown Prince of Jordan"),
    ("MCO", "albert"): (1946, 2004, "Hereditary Prince of Monaco; Sovereign Prince from 2005"),
    ("MCO", "crown-prince-albert"): (1946, 2004, "Hereditary Prince of Monaco; Sovereign Prince from 2005"),
    ("KGZ", "asylbek-jeenbekov"): (2012, 2012, "Speaker of the Jogorku Kenesh"),
    ("VAT", "giovanni-lajolo"): (1946, 2024, "Secretary for Relations with States of the Holy See"),
    ("VAT", "pietro-parolin"): (1946, 2024, "Secretary of State of the Holy See"),
    ("TUV", "tomasi-puapua"): (2002, 2002, "Governor-General of Tuvalu in 2002"),
}

# other spellings of one person (ISO3, slug of the cleaned name) -> the name used
ALIASES = {
    ("USA", "joe-biden"): "Joseph R. Biden",
    ("USA", "joseph-r-biden-jr"): "Joseph R. Biden",
    ("BRA", "lula-da-silva"): "Luiz Inácio Lula da Silva",
    ("MCO", "prime-albert"): "Albert",  # sic
    ("TUR", "tayyip-erdogan"): "Recep Tayyip Erdoğan",
    ("BRA", "michael-temer"): "Michel Temer",  # sic
    ("ARG", "nestor-kirchner"): "Néstor Carlos Kirchner",
    ("ARG", "cristina-fernandez-de-kirchner"): "Cristina Fernández",
    ("ESP", "jose-luis-rodrigues-zapatero"): "Jose Luis Rodriguez Zapatero",  # sic
    ("ESP", "pedro-sanchez"): "Pedro Sánchez Pérez-Castejón",
    ("COL", "alavaro-uribe-velez"): "Álvaro Uribe Vélez",  # sic
    ("MEX", "vincete-fox"): "Vicente Fox",  # sic
    ("USA", "bill-clinton"): "William Jefferson Clinton",
    ("USA", "william-j-clinton"): "William Jefferson Clinton",
    ("USA", "george-w-bush"): "George W. Bush",
    ("JPN", "suga-yoshihide"): "Yoshihide Suga",
    ("JOR", "abdullah-ii"): "Abdullah II ibn Al Hussein",
    ("SAU", "salman-bin-abdulaziz"): "Salman bin Abdulaziz Al-Saud",
    ("HTI", "jean-baptiste-aristide"): "Jean-Bertrand Aristide",  # sic
    ("POR", "antonio-costa"): "António Luís Santos da Costa",
    ("PRT", "antonio-costa"): "António Luís Santos da Costa",
}
JAPANESE_FAMILY_FIRST = {"kishida-fumio", "suga-yoshihide"}
# names a leader is known by besides the rule's (slug of the label -> surnames)
SURNAME_EXTRA = {
    "jose-luis-rodriguez-zapatero": ("Zapatero",),
    "cristina-fernandez": ("Kirchner", "Fernández de Kirchner"),
    "antonio-luis-santos-da-costa": ("Costa",),
    "teodoro-obiang-nguema-mbasogo": ("Obiang",),
    "hassanal-bolkiah-muizzaddin-waddaulah": ("Bolkiah",),
}
FAMILY_FIRST = {"CHN", "KOR", "PRK"}
FAMILY_FIRST_OR_LAST = {"VNM", "KHM"}
NO_FAMILY_NAME = {"MMR"}
HISPANIC = {"ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "ESP", "GTM", "HND", "MEX", "NIC", "PAN",
            "PER", "PRY", "SLV", "URY", "VEN"}
LUSOPHONE = {"BRA", "PRT", "AGO", "MOZ", "CPV", "GNB", "STP", "TLS"}
PARTICLES = {"da", "de", "do", "dos", "das", "del", "de la", "van", "von", "van der", "von und zu", "di", "du",
             "le", "la", "ter", "ten"}
GIVEN_NAMES = {
    "alberto", "alejandro", "alfonso", "alfredo", "andrés", "andres", "ángel", "angel", "antonio", "arturo",
    "carlos", "césar", "cesar", "cristina", "daniel", "diego", "eduardo", "enrique", "ernesto", "felipe",
    "fernando", "francisco", "gabriel", "gerardo", "guillermo", "hugo", "ignacio", "isabel", "jaime", "javier",
    "jorge", "josé", "jose", "juan", "julio", "laura", "luis", "luís", "manuel", "maría", "maria", "mario",
    "miguel", "nicolás", "nicolas", "óscar", "oscar", "pedro", "rafael", "ramón", "ramon", "raúl", "raul",
    "ricardo", "roberto", "rodrigo", "rosa", "salvador", "sebastián", "sebastian", "sergio", "tomás", "tomas",
    "vicente", "violeta",
}
MAX_GAP = 5  # years between two spellings that may name one person
ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
SUFFIXES = {"jr", "jr.", "sr", "sr."}


@dataclass
class Person:
    iso3: str
    forms: Counter = field(default_factory=Counter)  # cleaned name -> rows
    latest: dict = field(default_factory=dict)  # cleaned name -> latest year
    posts: set = field(default_factory=set)
    years: set = field(default_factory=set)
    canonical: str | None = None

    @property
    def label(self) -> str:
        if self.canonical:
            return self.canonical
        return min(self.forms, key=lambda f: (" " not in f, -_diacritics(f), -self.forms[f], -self.latest[f], f))

    def absorb(self, other: Person) -> None:
        self.forms.update(other.forms)
        for form, year in other.latest.items():
            self.latest[form] = max(self.latest.get(form, 0), year)
        self.posts |= other.posts
        self.years |= other.years
        self.canonical = self.canonical or other.canonical


def _words(key: str) -> list[str]:
    """The words of a name slug that identify a person: initials and Jr/Sr left out."""
    return [w for w in key.split("-") if len(w) > 1 and w not in ("jr", "sr")]


def same_person(a: str, pa: Person, b: str, pb: Person) -> bool:
    """Whether two spellings (slugs) of one State's leader name one person.

    Only names used within MAX_GAP years of each other are joined: either every word of one
    is in the other ("Denzil Douglas", "Denzil L. Douglas"), or they end in the same word and
    differ by a slip of spelling ("Rossen" / "Rosen Plevneliev").
    """
    if min(abs(x - y) for x in pa.years for y in pb.years) > MAX_GAP:
        return False
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    patronymic = bool({"bin", "ibn", "bint", "ben"} & set(wa + wb))  # a son's name holds his father's
    if not patronymic and (set(wa) <= set(wb) or set(wb) <= set(wa)):
        return True
    return (wa[-1] == wb[-1] and SequenceMatcher(None, wa[0], wb[0]).ratio() >= 0.75
            and SequenceMatcher(None, a, b).ratio() >= 0.85)


def merge(people: dict[str, Person]) -> dict[str, Person]:
    """Join the spellings of one State's names that name one person (see same_person)."""
    keys = sorted(people)
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    full = [k for k in keys if len(_words(k)) > 1]
    for i, a in enumerate(full):
        for b in full[i + 1:]:
            if same_person(a, people[a], b, people[b]):
                join(a, b)
    # a bare surname ("Mitterrand") joins a full name only if it fits exactly one person
    for a in keys:
        if a in full:
            continue
        fits = {find(b) for b in full if same_person(a, people[a], b, people[b])}
        if len(fits) == 1:
            join(a, fits.pop())
    groups: dict[str, Person] = {}
    for k in keys:
        root = find(k)
        if root in groups:
            groups[root].absorb(people[k])
        else:
            groups[root] = people[k]
    return groups


def _diacritics(text: str) -> int:
    return sum(1 for c in text if not c.isascii() and c.isalpha())


def squash(text: str) -> str:
    return " ".join(str(text).split())


def classify_post(raw: object, iso3: str) -> str | None:
    """The ng:post of a head of State or Government, or None for any other post."""
    if raw is None:
        return None
    key = squash(raw).lower()
    if not key:
        return None
    if key == "prince":
        return "Sovereign Prince" if iso3 in PRINCIPALITIES else None
    if key in HEAD_POSTS:
        return HEAD_POSTS[key]
    for prefix, post in HEAD_PREFIXES:
        if key.startswith(prefix):
            return post
    if key in OTHER_POSTS or not HEAD_WORDS.search(key) or NOT_HEAD.search(key):
        return None
    raise SystemExit(f"unclassified post {raw!r}: add it to HEAD_POSTS or OTHER_POSTS")


def _title(word: str) -> str:
    """Title-case a word printed in capitals, keeping Roman numerals."""
    if not word.isupper() or len(word) < 2 or ROMAN.match(word.rstrip(".,")):
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), word)


def clean_name(raw: str, iso3: str) -> str:
    """The name without honorifics, trailing punctuation or words set in capitals."""
    name = squash(str(raw).replace("\x92", "\u2019")).strip(" ,;")
    honorifics = HONORIFICS + (GULF_HONORIFICS if iso3 in GULF else ())
    changed = True
    while changed:
        changed = False
        for h in sorted(honorifics, key=len, reverse=True):
            if name.lower().startswith(h + " "):
                name = name[len(h) + 1:].lstrip(" ,")
                changed = True
    name = name.split(",")[0].strip()  # what follows a comma is post-nominal letters or "Jr"
    name = re.sub(r"\s+(?:MP|Mp)$", "", name)
    name = re.sub(r"^(.* [IVX]+) of [A-Z][\w-]+$", r"\1", name)
    return " ".join(_title(w) for w in name.split())


def _units(name: str) -> list[str]:
    """The words of a name with particles joined to the word after them; suffixes dropped."""
    words = [w for w in name.split() if w.lower() not in SUFFIXES]
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            if i + n < len(words) and " ".join(words[i:i + n]).lower() in PARTICLES and out:
                out.append(" ".join(words[i:i + n + 1]))
                i += n + 1
                break
        else:
            out.append(words[i])
            i += 1
    return out


def surnames(label: str, iso3: str) -> list[str]:
    """The family names a text uses for the leader (see the module docstring)."""
    words = label.split()
    out: list[str] = []
    key = slug(label)
    for i, w in enumerate(words):
        if i and ROMAN.match(w) and w:
            out.append(" ".join(words[:i + 1]))
            break
    if not out:
        units = _units(label)
        if len(units) == 1:
            out = units
        elif iso3 in NO_FAMILY_NAME:
            out = [label]
        elif iso3 in FAMILY_FIRST or (iso3 == "JPN" and key in JAPANESE_FAMILY_FIRST):
            out = [units[0]]
        elif iso3 in FAMILY_FIRST_OR_LAST:
            out = [units[0], units[-1]]
        else:
            arabic = [" ".join(words[i:i + 2]) for i, w in enumerate(words[:-1]) if w.lower() in ("al", "el")]
            arabic += [w for w in words if re.match(r"(?i)(al|el)-\w", w)]
            last = units[-1]
            if arabic and label.endswith(arabic[-1]):
                out = [arabic[-1]]
            elif iso3 in HISPANIC and len(units) >= 3 and units[-2].lower() not in GIVEN_NAMES:
                out = [units[-2], f"{units[-2]} {last}"]
            elif iso3 in LUSOPHONE and len(units) >= 3 and last.split()[0].lower() in PARTICLES:
                out = [units[-2], last]
            else:
                out = [last]
    out += SURNAME_EXTRA.get(key, ())
    return list(dict.fromkeys(out))


def state_parties(path: Path) -> set[str]:
    graph = Graph().parse(path, format="turtle")
    return {str(s)[len(PARTY):] for s in graph.subjects(RDF.type, NG.State)
            if isinstance(s, URIRef) and str(s).startswith(PARTY)}


def read_rows(path: Path) -> list[tuple]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book[book.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    header = [squash(h) if h else "" for h in rows[0]]
    expected = ["Year", "Session", "ISO Code", "Country", "Name of Person Speaking", "Post"]
    if header[:6] != expected:
        raise SystemExit(f"unexpected header {header[:6]}")
    return [r[:6] for r in rows[1:] if any(c is not None for c in r[:6])]


def build(rows: list[tuple], states: set[str], report=print) -> str:
    kept_posts: Counter = Counter()
    dropped_posts: Counter = Counter()
    skipped: Counter = Counter()
    by_state: dict[str, dict[str, Person]] = defaultdict(dict)
    for year, _session, code, _country, name, post_raw in rows:
        code = squash(code or "")
        iso3 = CODE_FIXES.get(code, code)
        post = classify_post(post_raw, iso3)
        if post is None:
            dropped_posts[squash(post_raw).lower() if post_raw else "(none)"] += 1
            continue
        kept_posts[post] += 1
        if iso3 not in states:
            skipped[f"{code or '(no code)'}: no ng:State party/{iso3} in parties.ttl"] += 1
            continue
        if not name or not squash(name):
            skipped["no name"] += 1
            continue
        cleaned = clean_name(name, iso3)
        excluded = EXCLUDED_ROWS.get((iso3, slug(cleaned)))
        if excluded and excluded[0] <= int(year) <= excluded[1]:
            skipped[f"{iso3} {cleaned}: {excluded[2]}"] += 1
            continue
        canonical = ALIASES.get((code, slug(cleaned))) or ALIASES.get((iso3, slug(cleaned)))
        person = by_state[iso3].setdefault(slug(canonical or cleaned), Person(iso3))
        if canonical:
            person.canonical = canonical
        else:
            person.forms[cleaned] += 1
            person.latest[cleaned] = max(person.latest.get(cleaned, 0), int(year))
        person.posts.add(post)
        person.years.add(int(year))
    people = {(iso3, key): person for iso3 in sorted(by_state)
              for key, person in merge(by_state[iso3]).items()}
    report(f"rows: {len(rows)}")
    report(f"rows in a kept post: {sum(kept_posts.values())} ({len(kept_posts)} posts)")
    for post, n in sorted(kept_posts.items(), key=lambda kv: (-kv[1], kv[0])):
        report(f"  kept {n:5d}  {post}")
    report(f"rows in other posts or none: {sum(dropped_posts.values())} ({len(dropped_posts)} distinct)")
    for reason, n in sorted(skipped.items()):
        report(f"  skipped {n:4d}  {reason}")
    report(f"persons: {len(people)}")
    for (iso3, _), person in sorted(people.items()):
        years = sorted(person.years)
        gaps = [b - a for a, b in zip(years, years[1:], strict=False)]
        if len(person.label.split()) == 1 and gaps and max(gaps) > 15:
            report(f"  check: {person.label} ({iso3}) {years}: two people of one name?")
    return render(people)


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


HEADER = """\
# normgraph leaders: heads of State and Government who addressed the General Debate of the
# United Nations General Assembly (ng:Leader), each linked to the State they led.
#
# Built by scripts/build_leaders.py from Speakers_by_session.xlsx of the UN General Debate
# Corpus 1946-2024 (UNGDC, release V13, Harvard Dataverse, doi:10.7910/DVN/0TJX8Y, CC0 1.0;
# Baturo, Dasandi & Mikhaylov 2017, Research & Politics, doi:10.1177/2053168017712821).
# Do not edit by hand: change the script and run it again.
#
# One entry per person and State: the local name is the slug of the name plus the ISO 3166-1
# alpha-3 code (leader/joseph-r-biden-usa).  rdfs:label is the name as the corpus gives it,
# without honorifics; ng:surname the family names a text uses for the person (several when
# more than one is in use: "Lula" and "da Silva"); ng:post the offices held; ng:servedFrom and
# ng:servedUntil the first and last year in which the person addressed the General Debate in
# one of those offices, not the term of office.  Only speeches with a recorded post are used,
# and the corpus does not record posts consistently before 1994.

@prefix ng: <https://w3id.org/normgraph/ontology#> .
@prefix leader: <https://w3id.org/normgraph/id/leader/> .
@prefix party: <https://w3id.org/normgraph/id/party/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://w3id.org/normgraph/id/leader/>
    rdfs:label "normgraph leaders" ;
    rdfs:comment "%(file_comment)s" ;
    dcterms:source "%(source)s" ;
    dcterms:license <https://creativecommons.org/publicdomain/zero/1.0/> .

ng:Leader a owl:Class ;
    rdfs:label "leader" ;
    rdfs:comment "%(leader_comment)s"@en .

ng:surname a owl:DatatypeProperty ;
    rdfs:label "surname" ;
    rdfs:comment "%(surname_comment)s"@en ;
    rdfs:domain ng:Leader ;
    rdfs:range xsd:string .

ng:leaderOf a owl:ObjectProperty ;
    rdfs:label "leader of" ;
    rdfs:comment "The party (here always a State) whose head of State or Government the leader was."@en ;
    rdfs:domain ng:Leader ;
    rdfs:range ng:Party .

ng:post a owl:DatatypeProperty ;
    rdfs:label "post" ;
    rdfs:comment "The office held (\\"President\\", \\"Prime Minister\\")."@en ;
    rdfs:domain ng:Leader ;
    rdfs:range xsd:string .

ng:servedFrom a owl:DatatypeProperty ;
    rdfs:label "served from" ;
    rdfs:comment "The first year %(year_comment)s"@en ;
    rdfs:domain ng:Leader ;
    rdfs:range xsd:gYear .

ng:servedUntil a owl:DatatypeProperty ;
    rdfs:label "served until" ;
    rdfs:comment "The last year %(year_comment)s"@en ;
    rdfs:domain ng:Leader ;
    rdfs:range xsd:gYear .
"""


COMMENTS = {
    "file_comment": ("Heads of State and Government who addressed the UN General Debate, from the UNGDC speaker "
                     "list. ng:servedFrom and ng:servedUntil are the first and last years in which the person "
                     "addressed the General Debate in that post, not the exact term of office."),
    # the wording of ontology/normgraph.ttl, so that the two files agree where both declare a term
    "leader_comment": ("A head of State or Government, known by name: a stance a leader takes by name is held by "
                       "the party they lead (ontology/leaders.ttl)."),
    "surname_comment": 'A name by which texts refer to the leader (\\"Biden\\", \\"Lula\\").',
    "year_comment": "in which the leader is recorded in the office (here: addressed the General Debate in it).",
}


def render(people: dict[tuple[str, str], Person]) -> str:
    parts = [HEADER % {"source": SOURCE_TEXT, **COMMENTS}]
    entries = []
    for (iso3, _), person in people.items():
        label = person.label
        local = f"{slug(label)}-{iso3.lower()}"
        lines = [f"leader:{local}", "    a ng:Leader ;", f"    rdfs:label {_lit(label)} ;"]
        lines += [f"    ng:surname {_lit(s)} ;" for s in sorted(surnames(label, iso3))]
        lines.append(f"    ng:leaderOf party:{iso3} ;")
        lines += [f"    ng:post {_lit(p)} ;" for p in sorted(person.posts)]
        lines.append(f'    ng:servedFrom "{min(person.years)}"^^xsd:gYear ;')
        lines.append(f'    ng:servedUntil "{max(person.years)}"^^xsd:gYear ;')
        lines.append(f"    dcterms:source {_lit(SOURCE_NAME)} .")
        entries.append((local, "\n".join(lines)))
    locals_ = [e[0] for e in entries]
    dupes = sorted({x for x in locals_ if locals_.count(x) > 1})
    if dupes:
        raise SystemExit(f"two leaders share an IRI: {dupes}")
    parts += [text for _, text in sorted(entries)]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the UNGDC Speakers_by_session.xlsx")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the Turtle (ontology/leaders.ttl)")
    parser.add_argument("--parties", type=Path, default=PARTIES, help="ontology/parties.ttl")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    text = build(read_rows(args.source), state_parties(args.parties),
                 report=(lambda *_: None) if args.quiet else print)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
