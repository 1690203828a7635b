"""An invented national conference, written as a frab-style schedule.xml: benchmarks and tests share it.

`make_conference()` builds the programme as plain data (seeded, so every run makes the same file);
`frab_xml(conference)` writes it the way frab/pentabarf exports do (HTML abstracts escaped in the
text of <abstract>/<description>, persons with their ids, a GUID per event).

The default size is the one issue 15 asks the software to handle: 1,000 sessions, 80 rooms,
600 speakers, 5 days, HTML abstracts of 1-3 kB, and the same workshop run at the same time in
two rooms (two sessions, two ids, one title). A few titles carry emoji and Japanese, a few
speakers differ from another one only in case ("anna" and "Anna", each with their own id), some
titles hold long compound words, as real programmes do.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Paris"
FIRST_DAY = date(2027, 3, 15)

TRACKS = ("Numérique", "Eau et assainissement", "Voirie et mobilités", "Énergie", "Bâtiments",
          "Espaces verts", "Management", "Urbanisme")  # fmt: skip
TYPES = ("talk", "workshop", "plenary", "lecture", "round table", "ceremony", "concert", "visit")
SUBJECTS = (
    "la gestion patrimoniale des réseaux d'eau", "les marchés publics de travaux", "l'éclairage public sobre",
    "la rénovation énergétique des écoles", "les données ouvertes des collectivités",
    "la végétalisation des cours d'école", "le plan vélo intercommunal", "la cybersécurité des mairies",
    "la maîtrise d'ouvrage des ponts", "l'adaptation au changement climatique",
)  # fmt: skip
LONG_WORDS = ("Infrastrukturfinanzierungsgesellschaftsvertrag", "intercommunalité-départementalisation",
              "anticonstitutionnellement", "Donaudampfschifffahrtsgesellschaftskapitän")  # fmt: skip
UNUSUAL = ("🚲 Mobilités douces 🌱", "日本の地方自治体との交流 (échanges avec le Japon)", "Café ☕ et croissants 🥐")
FIRST_NAMES = ("Anna", "Camille", "Dominique", "Jean", "Marie", "Karim", "Sophie", "Yann", "Léa", "Hugo",
               "Inès", "Thomas", "Chloé", "Nicolas", "Zoé", "Mehdi", "Élodie", "Pierre", "Fatou", "Lucas")  # fmt: skip
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Garnier", "Nguyen", "Rousseau", "Faure",
              "Mercier", "Blanc", "Guérin", "Boyer", "Chevalier", "Perrin", "Morin", "Lambert", "Bonnet",
              "Fontaine", "Roux", "Müller", "Okafor", "Sato", "Kowalski", "Haddad", "Da Silva", "Le Gall",
              "Ferrand", "Lemaire", "Caron")  # fmt: skip
SENTENCES = (
    "Les collectivités territoriales engagent une transition qui transforme leurs services publics locaux.",
    "Cette session présente des retours d'expérience de villes moyennes et de métropoles.",
    "Les intervenant·es détaillent les choix techniques, les coûts et les difficultés rencontrées.",
    "Un temps d'échange avec la salle suit chaque présentation ; venez avec vos questions.",
    "La méthode s'appuie sur un diagnostic partagé, un plan pluriannuel et des indicateurs suivis.",
    "Les services techniques, les élu·es et les usagers sont associés dès l'origine du projet.",
)


@dataclass
class Person:
    id: int
    name: str


@dataclass
class Talk:
    id: int
    guid: str
    title: str
    starts_at: datetime  # aware, in TIMEZONE
    minutes: int
    room: str
    track: str
    type: str
    language: str
    abstract: str  # HTML
    persons: list[Person] = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.starts_at.date()


@dataclass
class Conference:
    title: str
    acronym: str
    days: list[date]
    rooms: list[str]
    speakers: list[Person]
    talks: list[Talk]


def _abstract(rng: random.Random, subject: str) -> str:
    """An HTML abstract of 1 to 3 kB: paragraphs, emphasis, a list and a link."""
    target = rng.randint(1100, 2700)
    parts = [f"<p>Comment aborder <strong>{subject}</strong> ? <em>Retours de terrain.</em></p>"]
    size = len(parts[0])
    while size < target - 200:
        paragraph = "<p>" + " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4))) + "</p>"
        parts.append(paragraph)
        size += len(paragraph)
    parts.append("<ul><li>diagnostic</li><li>programmation</li><li>suivi</li></ul>")
    parts.append('<p>Documents : <a href="https://example.org/docs">example.org/docs</a></p>')
    return "".join(parts)


PLACES = ("Angers", "Besançon", "Brest", "Cayenne", "Chambéry", "Colmar", "Dijon", "Fort-de-France",
          "Grenoble", "Lorient", "Mamoudzou", "Metz", "Montauban", "Nantes", "Niort", "Pau", "Poitiers",
          "Quimper", "Reims", "Saint-Denis", "Saint-Étienne", "Tarbes", "Troyes", "Valence")  # fmt: skip
STEPS = ("diagnostic", "programmation", "suivi", "concertation", "chiffrage", "marchés publics", "chantier",
         "évaluation", "maintenance", "financements", "indicateurs", "communication", "formation des agents",
         "retour d'usage", "plan pluriannuel")  # fmt: skip


def _varied_abstract(rng: random.Random, subject: str) -> str:
    """An abstract like `_abstract`, but whose paragraphs and list no other session repeats (as in a
    real programme: each speaker writes their own); `rng` is the session's own."""
    target = rng.randint(1100, 2700)
    parts = [f"<p>Comment aborder <strong>{subject}</strong> à {rng.choice(PLACES)} ? "
             f"<em>Retours de terrain, {rng.randint(2012, 2026)}.</em></p>"]  # fmt: skip
    size = len(parts[0])
    while size < target - 200:
        sentences = (f"{rng.choice(SENTENCES)[:-1]}, à {rng.choice(PLACES)} depuis {rng.randint(2008, 2025)}, "
                     f"pour {rng.randint(2, 480)} agents." for _ in range(rng.randint(2, 4)))  # fmt: skip
        paragraph = "<p>" + " ".join(sentences) + "</p>"
        parts.append(paragraph)
        size += len(paragraph)
    parts.append("<ul>" + "".join(f"<li>{step}</li>" for step in rng.sample(STEPS, rng.randint(2, 5))) + "</ul>")
    document = f"example.org/docs/{rng.getrandbits(32):08x}"
    parts.append(f'<p>Documents : <a href="https://{document}">{document}</a></p>')
    return "".join(parts)


def make_conference(*, sessions: int = 1000, rooms: int = 80, speakers: int = 600, days: int = 5,
                    seed: int = 15, twins: int = 40, varied_texts: bool = True) -> Conference:
    """A conference of `sessions` sessions spread over `days` days and `rooms` rooms, 09:00-18:30.

    `twins` workshops are run twice at the same time in two rooms (same title, own id and GUID).
    `varied_texts`: each abstract's paragraphs and list are its own; without it, abstracts are drawn
    from six sentences and share one list (many paragraphs repeat, which flatters a renderer that
    reuses repeated text). The rest of the conference is the same either way.
    No room holds two sessions at once and no speaker speaks in two places at once.
    """
    rng = random.Random(seed)
    zone = ZoneInfo(TIMEZONE)
    day_list = [FIRST_DAY + timedelta(days=n) for n in range(days)]
    room_names = [f"Salle {n + 1:02d}" if n % 10 else f"Amphithéâtre {n // 10 + 1}" for n in range(rooms)]
    people: list[Person] = []
    for n in range(speakers):
        name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
        if n >= len(FIRST_NAMES) * len(LAST_NAMES):
            name += f" {n}"
        people.append(Person(1000 + n, name))
    people[-1] = Person(1000 + speakers, "anna martin")  # not people[0], "Anna Martin": another id
    per_day = -(-sessions // days)
    slots = [(9 * 60, 60), (10 * 60 + 15, 75), (11 * 60 + 45, 45), (14 * 60, 90), (15 * 60 + 45, 60),
             (17 * 60, 90)]  # fmt: skip
    talks: list[Talk] = []
    twin_left = twins
    number = 0
    speaker_cursor = 0
    for day in day_list:
        todo = min(per_day, sessions - number)
        per_slot = -(-todo // len(slots))
        for start_minutes, minutes in slots:
            count = min(per_slot, todo)
            todo -= count
            free_rooms = rng.sample(room_names, min(rooms, count))
            slot_people = 0
            index = 0
            while index < count:
                number += 1
                twin = twin_left > 0 and index + 1 < count and rng.random() < 0.25
                subject = rng.choice(SUBJECTS)
                label = rng.choice(("Atelier", "Retour d’expérience", "Table ronde", "Exposé"))
                title = f"{label} n° {number} : {subject}"  # twins: both copies share the number
                if number % 97 == 0:
                    title += " — " + rng.choice(LONG_WORDS)
                if number % 211 == 0:
                    title = UNUSUAL[(number // 211) % len(UNUSUAL)]
                begins = datetime.combine(day, datetime.min.time(), zone) + timedelta(minutes=start_minutes)
                track = rng.choice(TRACKS)
                kind = "workshop" if twin else rng.choice(TYPES)
                abstract = _abstract(rng, subject)
                if varied_texts:
                    abstract = _varied_abstract(random.Random(seed * 100_003 + number), subject)
                for copy in range(2 if twin else 1):
                    persons = []
                    for _ in range(rng.randint(1, 3)):
                        # consecutive speakers within a slot: nobody is booked twice at once
                        persons.append(people[speaker_cursor % len(people)])
                        speaker_cursor += 1
                        slot_people += 1
                    talks.append(Talk(
                        id=number * 10 + copy, guid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        title=title, starts_at=begins, minutes=minutes - 5,
                        room=free_rooms[index], track=track, type=kind,
                        language="fr" if number % 9 else "en", abstract=abstract, persons=persons,
                    ))  # fmt: skip
                    index += 1
                twin_left -= twin
            if slot_people > len(people):
                raise ValueError("too few speakers for one time slot")
    return Conference("Rencontres nationales de l'ingénierie territoriale", "rnit27", day_list, room_names,
                      people, talks)


def _el(tag: str, text: str = "", **attrs: str) -> str:
    attributes = "".join(f" {key}={quoteattr(value)}" for key, value in attrs.items())
    return f"<{tag}{attributes}>{escape(text)}</{tag}>"


def frab_xml(conference: Conference) -> bytes:
    """The conference as frab writes a schedule.xml (day > room > event)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<schedule>", "<version>1.0</version>", "<conference>",
           _el("acronym", conference.acronym), _el("title", conference.title),
           _el("start", conference.days[0].isoformat()), _el("end", conference.days[-1].isoformat()),
           _el("days", str(len(conference.days))), _el("timeslot_duration", "00:15"),
           _el("time_zone_name", TIMEZONE), "</conference>"]  # fmt: skip
    by_day: dict[date, dict[str, list[Talk]]] = {day: {} for day in conference.days}
    for talk in conference.talks:
        by_day[talk.day].setdefault(talk.room, []).append(talk)
    for index, day in enumerate(conference.days, start=1):
        out.append(f'<day index="{index}" date="{day.isoformat()}">')
        for room in conference.rooms:
            talks = sorted(by_day[day].get(room, []), key=lambda t: t.starts_at)
            if not talks:
                continue
            out.append(f"<room name={quoteattr(room)}>")
            for talk in talks:
                hours, minutes = divmod(talk.minutes, 60)
                persons = "".join(_el("person", p.name, id=str(p.id)) for p in talk.persons)
                out.append(
                    f'<event id="{talk.id}" guid="{talk.guid}">'
                    + _el("date", talk.starts_at.isoformat()) + _el("start", talk.starts_at.strftime("%H:%M"))
                    + _el("duration", f"{hours:02d}:{minutes:02d}") + _el("room", talk.room)
                    + _el("slug", f"{conference.acronym}-{talk.id}") + _el("title", talk.title)
                    + _el("subtitle") + _el("track", talk.track) + _el("type", talk.type)
                    + _el("language", talk.language) + _el("abstract", talk.abstract) + _el("description")
                    + f"<persons>{persons}</persons><links/><attachments/></event>"
                )
            out.append("</room>")
        out.append("</day>")
    out.append("</schedule>")
    return "\n".join(out).encode("utf-8")
