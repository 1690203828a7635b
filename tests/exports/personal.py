"""A published one-day event with two parallel workshops, common sessions, a break and a planned
speed-networking, and people registered to it: what a personal agenda and a badge back show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsys.extensions import db

DAY = datetime.now(UTC).date() + timedelta(days=30)  # ahead: private links stay valid
FACILITATORS = ["Lucie Perrin", "Hugo Lemaire", "Nathalie Caron"]
FIRST = ["Alice", "Bruno", "Chloé", "David", "Émilie", "Farid", "Gaëlle", "Hugo", "Inès", "Jules"]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
]
THEMES = ["ODD et AICT", "Financements FICOL", "Cadre juridique de l'AICT"]


@dataclass
class AgendaEvent:
    event: Any
    workshop_a: Any
    workshop_b: Any
    opening: Any
    lunch: Any
    coffee: Any
    networking: Any
    activity: Any
    people: list[Any] = field(default_factory=list)  # registrations; people[0] chose workshop A


def register(event, first: str, last: str, email: str, sessions=(), *, notify: bool = False,
             opt_in: bool = True, language: str = "fr"):  # fmt: skip
    from eventsys.services import registration as reg

    outcome = reg.register_attendee(
        event,
        reg.RegistrationInput(
            first_name=first, last_name=last, email=email, organisation=f"Ville de {last}",
            language=language, sessions=[s.id for s in sessions], networking_opt_in=opt_in,
            networking_themes=list(THEMES), consent=True,
        ),
        source="organiser", by_organiser=True, notify=notify,
    )  # fmt: skip
    db.session.commit()
    return outcome


def build(make_event, make_room, make_speaker, make_session, *, people: int = 9, title: str | None = None,
          code: str = "Z26IN 041") -> AgendaEvent:  # fmt: skip
    """The event, published, with `people` registrations planned in a 3-round, 3-station rotation."""
    from eventsys.services import networking, programme
    from eventsys.services import registration as reg

    event = make_event(title=title or "Journée eau et assainissement", code=code, start_date=DAY, end_date=DAY,
                       venue_name="CNFPT Évry", timezone="Europe/Paris")  # fmt: skip
    amphi, europe, afrique = (make_room(event, "Amphithéâtre", 200), make_room(event, "Salle Europe", 30),
                              make_room(event, "Salle Afrique", 30))  # fmt: skip
    facilitators = [make_speaker(event, name) for name in FACILITATORS]
    opening = make_session(
        event, "Ouverture de la journée", "09:00", "09:30", type="opening", room=amphi
    )
    coffee = make_session(event, "Pause café", "10:30", "10:45", type="break")
    workshop_a = make_session(event, "Atelier A : réseaux d'eau", "10:45", "12:15", type="workshop", room=europe,
                              requires_registration=True, capacity=20)  # fmt: skip
    workshop_b = make_session(event, "Atelier B : assainissement", "10:45", "12:15", type="workshop",
                              room=afrique, requires_registration=True, capacity=20)  # fmt: skip
    lunch = make_session(event, "Déjeuner", "12:15", "13:45", type="meal")
    session = make_session(event, "Speed-networking des territoires", "14:00", "14:40", type="speed_networking",
                           room=amphi, speakers=[(s, "facilitator") for s in facilitators])  # fmt: skip
    reg.save_settings(event, {"networking_themes": THEMES})
    programme.publish_event(event)
    db.session.commit()
    registrations = []
    for i in range(people):
        chosen = [workshop_a] if i % 2 == 0 else [workshop_b]
        first, last = FIRST[i % len(FIRST)], LAST[i % len(LAST)]
        outcome = register(event, first, last, f"personne{i}@exemple.fr", chosen)
        registrations.append(outcome.registration)
    activity = networking.create_activity(
        event, session, {"rounds": 3, "round_minutes": 10, "changeover_minutes": 2, "mode": "stations",
                         "group_size": 3}
    )  # fmt: skip
    db.session.commit()
    networking.sync_participants(activity)
    networking.plan_activity(activity)
    db.session.commit()
    return AgendaEvent(
        event, workshop_a, workshop_b, opening, lunch, coffee, session, activity, registrations
    )


def wall_clock(moment: datetime, tz: str = "Europe/Paris") -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(tz)).strftime("%H:%M")
