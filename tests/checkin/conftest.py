"""Fixtures of the check-in tests: an event of today with a programme, people registered, tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from eventsys.extensions import db as _db


@pytest.fixture
def today() -> Any:
    from zoneinfo import ZoneInfo

    return datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris")).date()


@pytest.fixture
def desk_event(make_event, make_session, make_room, make_speaker, make_user, today) -> Any:
    """Today's published training day Z26IN 001 with a morning, a lunch, a workshop (2 seats) and an afternoon."""
    from eventsys.services import programme

    owner = make_user("organiser@example.org", name="Organisatrice")
    event = make_event(owner=owner, code="Z26IN 001", title="Journée voirie", start_date=today, end_date=today,
                       venue_name="CNFPT Évry")  # fmt: skip
    room = make_room(event, "Salle Garonne")
    speaker = make_speaker(event, "Camille Durand", email="camille.durand@example.org")
    event.opening = make_session(event, "Ouverture", "09:00", "09:30", type="opening", room=room,
                                 speakers=[(speaker, "speaker")])  # fmt: skip
    event.talk = make_session(event, "Ponts et chaussées", "09:30", "12:30", room=room)
    event.lunch = make_session(event, "Déjeuner", "12:30", "14:00", type="meal")
    event.workshop = make_session(event, "Atelier béton", "14:00", "16:00", type="workshop", room=room,
                                  requires_registration=True, capacity=2)  # fmt: skip
    programme.publish_event(event)
    _db.session.commit()
    event.owner = owner
    return event


@pytest.fixture
def register(app) -> Callable[..., Any]:
    """register(event, first, last, email=None, sessions=(), **fields) → a confirmed Registration."""
    from eventsys.services import registration as reg

    counter = {"n": 0}

    def make(
        event,
        first: str = "Camille",
        last: str = "Martin",
        email: str | None = None,
        sessions=(),
        **fields: Any,
    ):
        counter["n"] += 1
        data = reg.RegistrationInput(
            first_name=first,
            last_name=last,
            email=email or f"person{counter['n']}@ville-exemple.fr",
            organisation=fields.pop("organisation", "Ville d'Exemple"),
            language=fields.pop("language", "fr"),
            sessions=[s.id for s in sessions],
            consent=True,
            **fields,
        )
        outcome = reg.register_attendee(
            event, data, source="organiser", by_organiser=True, notify=False
        )
        _db.session.commit()
        return outcome.registration

    return make


@pytest.fixture
def badge_of(app) -> Callable[..., str]:
    """The QR text of a registration's current badge."""
    from eventsys.services import checkin as svc

    def make(registration) -> str:
        token = svc.badge_token(registration)
        _db.session.commit()
        return token

    return make


@pytest.fixture
def staff_token(app) -> Callable[..., str]:
    """staff_token(event, label="Accueil 1", expires_at=None, revoked=False) → the raw token."""
    from eventsys.services import checkin as svc

    def make(event, label: str = "Accueil 1", expires_at=None, revoked: bool = False) -> str:
        token, raw = svc.issue_staff_token(event, label, expires_at=expires_at)
        if revoked:
            svc.revoke_staff_token(token)
        _db.session.commit()
        return raw

    return make
