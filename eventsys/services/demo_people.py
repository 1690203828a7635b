"""Invented people registered to the demo events, so that every organiser and desk page shows real
content from the first minute: registrations (some waiting for a full workshop), arrivals checked
in at the door, people who opted in to the speed-networking with ranked themes (more than enough
to plan a rotation at once), names with accents the desk's search must find without them.

Every name and address is invented (example.org). Registered only while the event has nobody yet,
so loading the demo twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.registration import REG_CONFIRMED, Registration
from eventsys.services import checkin, programme, registration
from eventsys.services.codes import canonical_code

FIRST_NAMES = (
    "Hélène", "Amélie", "Benoît", "Céline", "Françoise", "Jérôme", "Léa", "Loïc", "Maëlle", "Noémie",
    "Raphaël", "Sébastien", "Thérèse", "Zoé", "Anaïs", "Clément", "Gaëlle", "Joël", "Inès", "Mathéo",
)  # fmt: skip
LAST_NAMES = (
    "García", "Müller", "Lefèvre", "Dubois-Caron", "Lemaître", "Bénard", "Chevallier", "Da Silva",
    "Faure", "Giraud", "Hoarau", "Le Gall", "Marchand", "Nguyen", "Pérez", "Rousseau", "Thiébaut",
    "Vidal", "Ménard", "Öztürk", "Château", "N'Diaye",
)  # fmt: skip
ORGANISATIONS = (
    "Ville de Bellerive-sur-Loire", "Métropole du Val d'Argent", "Département de la Haute-Vallée",
    "Communauté d'agglomération de Val-de-Seine", "Région des Deux-Rives", "Ville de Saint-Aubin-les-Prés",
    "Syndicat des eaux du Lac Clair", "Communauté de communes du Pays d'Éole",
)  # fmt: skip
JOB_TITLES = (
    "Chargée de mission Europe et international", "Directeur des services techniques",
    "Ingénieure voirie et réseaux", "Responsable de la coopération décentralisée",
    "Chef de projet transition écologique", "Élue déléguée aux relations internationales",
)  # fmt: skip
# How many people each demo event gets, how many of them arrive at the door on its first day.
PEOPLE = {"Z26IN001": 52, "RNIT26": 64}
CHECKED_IN = {"Z26IN001": 23, "RNIT26": 30}


def _person(index: int, event: Event, rng: random.Random, themes: list[str], workshops: list[list[int]]):
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 7 + index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    opted_in = bool(themes) and index % 3 != 2  # two people in three, on the day with a speed-networking
    return registration.RegistrationInput(
        first_name=first,
        last_name=last,
        email=f"demo.{event.id}.{index + 1}@example.org",
        organisation=ORGANISATIONS[index % len(ORGANISATIONS)],
        organisation_type="local_authority" if index % 8 else "other",
        job_title=JOB_TITLES[index % len(JOB_TITLES)],
        language=("fr", "fr", "fr", "en", "de")[index % 5] if "de" in event.language_list else ("fr", "fr", "en")[index % 3],
        # A workshop per slot: the busier one fills up and the last people wait for a seat.
        sessions=[slot[0] if index % 5 < 2 else slot[-1] for slot in workshops],
        networking_opt_in=opted_in,
        networking_themes=rng.sample(themes, min(3, len(themes))) if opted_in else [],
        lunch=index % 6 != 0,
        consent=True,
    )


def seed_people(event: Event, today: date | None = None) -> int:
    """Register the demo's invented people to `event` unless it has registrations; how many.

    The arrivals are checked in on `today` (the event's local day when not given): the desk
    counts the people who came today, and the demo's desk is opened the day it is loaded, weeks
    before its events."""
    count = db.session.scalar(select(func.count(Registration.id)).where(Registration.event_id == event.id))
    code = canonical_code(event.code)
    if count or code not in PEOPLE:
        return 0
    rng = random.Random(event.code)  # noqa: S311 - invented demo data, the same at every load
    themes = list(registration.load_settings(event).networking_themes or [])
    workshops = [[s.id for s in slot] for slot in registration.group_slots(registration.registrable_sessions(event))]
    day = today or checkin.local_day(event, datetime.now(UTC))
    start = datetime.combine(day, time(8, 30))
    people = []
    for index in range(PEOPLE[code]):
        outcome = registration.register_attendee(
            event, _person(index, event, rng, themes, workshops), source="import", by_organiser=True,
            notify=False, now=programme.local_to_utc(event, event.start_date, time(8)) - timedelta(days=30 - index % 20),
        )  # fmt: skip
        people.append(outcome.registration)
    arrived = [p for p in people if p.status == REG_CONFIRMED][: CHECKED_IN[code]]
    for minute, person in enumerate(arrived):
        arrival = programme.local_to_utc(event, day, (start + timedelta(minutes=minute)).time())
        checkin.check_in(event, None, f"demo-{event.id}-{person.id}", registration_id=person.id,
                         actor=checkin.Actor(device="Accueil (démo)"), now=arrival)  # fmt: skip
    return len(people)
