"""The organiser's decisions on one registration: approve, refuse, promote, correct details."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.registration import (
    ACTIVE_STATUSES,
    CHOICE_CANCELLED,
    CHOICE_CONFIRMED,
    CHOICE_WAITLISTED,
    REG_CONFIRMED,
    REG_PENDING,
    REG_REFUSED,
    REG_WAITLISTED,
    Registration,
    RegistrationChoice,
)
from eventsys.models.types import utcnow
from eventsys.services.errors import InvalidTransition, RegistrationInvalid
from eventsys.services.registration.allocation import (
    _fill_sessions,
    _queue_requested,
    _set_answers,
    fill_vacancies,
)
from eventsys.services.registration.checks import RegistrationInput, _check_input
from eventsys.services.registration.notices import send_notice
from eventsys.services.registration.settings import event_questions, load_settings, lock_event


def approve_registration(
    registration: Registration, *, now: datetime | None = None
) -> Registration:
    """Moderation: a pending registration becomes confirmed (its place was already held)."""
    if registration.status != REG_PENDING:
        raise InvalidTransition(
            _l("Seule une inscription en attente de validation peut être validée.")
        )
    lock_event(registration.event)
    registration.status = REG_CONFIRMED
    registration.decided_at = now or utcnow()
    db.session.flush()
    send_notice(registration, "approved")
    return registration


def refuse_registration(
    registration: Registration, *, now: datetime | None = None
) -> list[Registration]:
    """Moderation: refuse; the freed place goes to the first person waiting. Returns those promoted."""
    if registration.status not in ACTIVE_STATUSES:
        raise InvalidTransition(_l("Cette inscription n'est plus active."))
    now = now or utcnow()
    settings = lock_event(registration.event)
    registration.status = REG_REFUSED
    registration.decided_at = now
    for choice in registration.choices:
        choice.status = CHOICE_CANCELLED
    promoted = fill_vacancies(registration.event, settings, now=now)
    send_notice(registration, "refused")
    return promoted


def promote_registration(
    registration: Registration, *, now: datetime | None = None
) -> Registration:
    """The organiser moves someone off the event's waiting list, beyond capacity if need be."""
    if registration.status != REG_WAITLISTED:
        raise InvalidTransition(
            _l("Cette personne n'est pas sur la liste d'attente de l'événement.")
        )
    settings = lock_event(registration.event)
    registration.status = REG_PENDING if settings.moderation else REG_CONFIRMED
    _queue_requested(registration)
    for other in _fill_sessions(registration.event):
        if other.id != registration.id:
            send_notice(other, "promoted")
    send_notice(registration, "promoted")
    return registration


def promote_choice(choice: RegistrationChoice) -> RegistrationChoice:
    """The organiser gives a waiting person a seat in a session, beyond capacity if need be."""
    if choice.status != CHOICE_WAITLISTED:
        raise InvalidTransition(
            _l("Cette personne n'est pas sur la liste d'attente de cette session.")
        )
    lock_event(choice.registration.event)
    choice.status = CHOICE_CONFIRMED
    db.session.flush()
    send_notice(choice.registration, "promoted")
    return choice


def update_details(registration: Registration, data: RegistrationInput) -> Registration:
    """The organiser corrects a person's details (same checks as the form, consent not asked again)."""
    event = registration.event
    settings = load_settings(event)
    clean, answers = _check_input(
        event, settings, event_questions(event), data, require_consent=False
    )
    lock_event(event)
    if clean["email_key"] != registration.email_key:
        taken = db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.email_key == clean["email_key"],
                Registration.id != registration.id,
            )
        )
        if taken is not None:
            raise RegistrationInvalid(
                _l("Une autre inscription utilise déjà cette adresse e-mail."),
                errors={"email": [_("Une autre inscription utilise déjà cette adresse e-mail.")]},
                codes={"email": "duplicate_email"},
            )
    for name, value in clean.items():
        setattr(registration, name, value)
    _set_answers(registration, answers)
    db.session.flush()
    return registration
