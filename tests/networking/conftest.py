"""Fixtures of the speed-networking tests: an event with a speed-networking session, its
facilitators, themes offered at registration and people who registered and opted in."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from eventsys.extensions import db as _db

FUTURE = datetime.now(UTC).date() + timedelta(days=60)
THEMES = [
    "ODD et AICT",
    "Financements FICOL",
    "Cadre juridique de l'AICT",
    "Formation AICT",
    "Associations de la diaspora",
    "Expatriation et territoriaux",
    "Déclaration de l'APD",
]
FACILITATORS = [
    "Lucie Perrin", "Hugo Lemaire", "Nathalie Caron", "Olivier Marchand", "Fatou Sow",
    "Pierre-Yves Morel", "Inès Bouchard", "Marc Aubert", "Léa Fontaine",
]  # fmt: skip
FIRST = [
    "Alice", "Bruno", "Chloé", "David", "Émilie", "Farid", "Gaëlle", "Hugo", "Inès", "Jules",
    "Karima", "Louis", "Manon", "Nicolas", "Océane", "Paul", "Quentin", "Rose", "Samir", "Théo",
]  # fmt: skip
LAST = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Roux", "Fournier", "Girard",
]  # fmt: skip


@pytest.fixture
def app_config() -> dict[str, Any]:
    # Plans are checked for soundness, not for the last repeat: a short search keeps tests quick.
    return {"NETWORKING_TIME_LIMIT_S": 1.0}


def person_name(i: int) -> tuple[str, str]:
    return FIRST[i % len(FIRST)], LAST[(i // len(FIRST) + 3 * i) % len(LAST)]


@pytest.fixture
def register(app) -> Callable[..., Any]:
    """Register one person by the organiser's hand (no e-mail)."""
    from eventsys.services import registration as reg

    counter = {"n": 0}

    def make(event, *, opt_in: bool = True, themes: list[str] | None = None, organisation: str = "Ville d'Exemple",
             first: str | None = None, last: str | None = None):  # fmt: skip
        counter["n"] += 1
        f, ln = person_name(counter["n"])
        outcome = reg.register_attendee(
            event,
            reg.RegistrationInput(
                first_name=first or f,
                last_name=last or ln,
                email=f"personne{counter['n']}@exemple.fr",
                organisation=organisation,
                networking_opt_in=opt_in,
                networking_themes=themes or [],
            ),  # fmt: skip
            by_organiser=True,
            notify=False,
        )
        return outcome.registration

    return make


@pytest.fixture
def speed_event(make_event, make_session, make_speaker, make_user, register) -> Callable[..., Any]:
    """An event with a 12:45–14:00 speed-networking session, facilitators and opted-in people."""
    from eventsys.services import registration as reg

    def make(people: int = 40, facilitators: int = 7, owner=None, organisations: int = 13,
             day: date = FUTURE, seed: int = 1, with_themes: bool = True):  # fmt: skip
        owner = owner or make_user()
        event = make_event(owner=owner, start_date=day, end_date=day)
        speakers = [make_speaker(event, name=FACILITATORS[i]) for i in range(facilitators)]
        session = make_session(event, "Le speed-networking", "12:45", "14:00", type="speed_networking",
                               speakers=[(s, "facilitator") for s in speakers])  # fmt: skip
        themes = THEMES[:facilitators] if with_themes else []
        reg.save_settings(event, {"networking_themes": themes})
        rng = random.Random(seed)
        registrations = []
        for i in range(people):
            ranked = rng.sample(themes, min(3, len(themes))) if themes else []
            registrations.append(
                register(event, themes=ranked, organisation=f"Ville n° {i % organisations}")
            )
        _db.session.commit()
        event.owner, event.session, event.speakers_list, event.registrations = (
            owner,
            session,
            speakers,
            registrations,
        )
        return event

    return make


@pytest.fixture
def make_activity(app) -> Callable[..., Any]:
    """A speed-networking activity for the event's session (7 rounds of 9 min by default)."""
    from eventsys.services import networking as svc

    def make(event, **data: Any):
        settings = {
            "rounds": 7,
            "round_minutes": 9,
            "changeover_minutes": 1,
            "mode": "stations",
            **data,
        }
        activity = svc.create_activity(event, event.session, settings)
        _db.session.commit()
        return activity

    return make
