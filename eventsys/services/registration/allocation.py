"""Seats and waiting lists: placing choices, handing out freed places in ticket order, changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.registration import (
    CHOICE_CANCELLED,
    CHOICE_CONFIRMED,
    CHOICE_REQUESTED,
    CHOICE_WAITLISTED,
    HOLDING_PLACE,
    LIVE_CHOICES,
    REG_CANCELLED,
    REG_CONFIRMED,
    REG_PENDING,
    REG_REFUSED,
    REG_WAITLISTED,
    Answer,
    Registration,
    RegistrationChoice,
    RegistrationSettings,
)
from eventsys.models.types import utcnow
from eventsys.services.errors import InvalidTransition, SessionFull
from eventsys.services.registration.notices import send_notice
from eventsys.services.registration.sessions import (
    _check_sessions,
    _session_counts,
    places_taken,
    seats_taken,
    session_capacity,
)
from eventsys.services.registration.settings import (
    _check_open,
    _count_registrations,
    _draw_ticket,
    load_settings,
    lock_event,
)


def _choice_for(registration: Registration, session: ProgrammeSession) -> RegistrationChoice:
    for choice in registration.choices:
        if choice.session_id == session.id:
            return choice
    choice = RegistrationChoice(session_id=session.id)
    if isinstance(session, ProgrammeSession):  # not a snapshot: the choice knows its session
        choice.session = session
    registration.choices.append(choice)
    return choice


def _place(
    registration: Registration,
    session: ProgrammeSession,
    settings: RegistrationSettings,
    ticket: int,
    counts: dict[int, int],
    *,
    force: bool = False,
    queue_first: bool = False,
) -> RegistrationChoice:
    """Give a seat, a waiting-list ticket, or (while the person waits for the event) note the wish.

    With `queue_first` (people are already waiting for this session) a newcomer never takes a
    seat directly: they queue, and fill_vacancies hands out free seats in ticket order.
    """
    choice = _choice_for(registration, session)
    choice.ticket = ticket
    if not registration.holds_place:
        choice.status = CHOICE_REQUESTED
        return choice
    capacity = session_capacity(session)
    taken = counts.get(session.id, 0)
    if force or (
        (capacity is None or taken < capacity) and not (queue_first and settings.waitlist_enabled)
    ):
        choice.status = CHOICE_CONFIRMED
        counts[session.id] = taken + 1
    elif settings.waitlist_enabled:
        choice.status = CHOICE_WAITLISTED
    else:
        raise SessionFull(
            _l("La session « %(title)s » est complète.", title=session.title), session_id=session.id
        )
    return choice


def _queue_requested(registration: Registration) -> None:
    """Someone just got a place at the event: the sessions they wished for join the waiting lists
    with the ticket of their original submission, so they keep their turn; _fill_sessions then
    gives out the free seats in ticket order."""
    for choice in registration.choices:
        if choice.status == CHOICE_REQUESTED:
            choice.status = CHOICE_WAITLISTED


def fill_vacancies(
    event: Event,
    settings: RegistrationSettings,
    now: datetime | None = None,
    quiet: set[int] | None = None,
) -> list[Registration]:
    """Promote waiting people, first come first served, while places and seats are free.

    The caller holds the event lock. Everyone promoted is told by e-mail (except those in `quiet`,
    who are told otherwise); returns them.
    """
    promoted: dict[int, Registration] = {}
    db.session.flush()
    # People already waiting keep their rights even if the organiser turned waiting lists off since.
    free = None if settings.capacity is None else settings.capacity - places_taken(event)
    if free is None or free > 0:
        query = (
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status == REG_WAITLISTED)
            .order_by(Registration.ticket, Registration.id)
            .options(selectinload(Registration.choices))
        )
        if free is not None:
            query = query.limit(free)
        waiting = db.session.scalars(query).all()
        if free is not None and waiting:
            # People sharing a ticket came as one group, all of them or none: a group cut by the
            # limit keeps its turn whole, and nobody behind it overtakes it.
            last = waiting[-1].ticket
            group = db.session.scalar(
                _count_registrations(event, (REG_WAITLISTED,)).where(Registration.ticket == last)
            )
            if group > sum(1 for r in waiting if r.ticket == last):
                waiting = [r for r in waiting if r.ticket != last]
        for registration in waiting:
            registration.status = REG_PENDING if settings.moderation else REG_CONFIRMED
            _queue_requested(registration)
            promoted[registration.id] = registration
    for registration in _fill_sessions(event):
        promoted.setdefault(registration.id, registration)
    for registration in promoted.values():
        if registration.id not in (quiet or set()):
            send_notice(registration, "promoted")
    return list(promoted.values())


def _fill_sessions(event: Event) -> list[Registration]:
    """Free seats go to the session's waiting list in ticket order; returns who got one."""
    db.session.flush()
    waiting_sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(
            ProgrammeSession.id.in_(
                select(RegistrationChoice.session_id)
                .join(Registration)
                .where(
                    Registration.event_id == event.id,
                    RegistrationChoice.status == CHOICE_WAITLISTED,
                )
                .distinct()
            )
        )
        .options(joinedload(ProgrammeSession.room))
    ).all()
    counts = seats_taken(s.id for s in waiting_sessions)
    seated: dict[int, Registration] = {}
    for session in waiting_sessions:
        capacity = session_capacity(session)
        free = None if capacity is None else capacity - counts[session.id]
        if free is not None and free <= 0:
            continue
        query = (
            select(RegistrationChoice)
            .join(Registration)
            .where(
                RegistrationChoice.session_id == session.id,
                RegistrationChoice.status == CHOICE_WAITLISTED,
                Registration.status.in_(HOLDING_PLACE),
            )
            .order_by(RegistrationChoice.ticket, RegistrationChoice.id)
        )
        if free is not None:
            query = query.limit(free)
        for choice in db.session.scalars(query).all():
            choice.status = CHOICE_CONFIRMED
            seated.setdefault(choice.registration_id, choice.registration)
    db.session.flush()
    return list(seated.values())


def change_choices(
    registration: Registration,
    session_ids: Iterable[Any],
    *,
    by_organiser: bool = False,
    force: bool = False,
    now: datetime | None = None,
    notify: bool = True,
) -> Registration:
    """Replace the person's session choices: kept ones keep their seat or ticket, new ones join the queue."""
    now = now or utcnow()
    event = registration.event
    if not registration.is_active:
        raise InvalidTransition(
            _l("Cette inscription est annulée : elle ne peut plus être modifiée.")
        )
    settings = load_settings(event)
    if not by_organiser:
        _check_open(event, settings, now)
    sessions = _check_sessions(event, settings, session_ids, enforce_required=not by_organiser)
    settings = lock_event(event)
    db.session.refresh(registration)
    wanted = {s.id: s for s in sessions}
    changed = False
    for choice in registration.choices:
        if choice.status in LIVE_CHOICES and choice.session_id not in wanted:
            choice.status = CHOICE_CANCELLED
            changed = True
    db.session.flush()
    live = {c.session_id for c in registration.choices if c.status in LIVE_CHOICES}
    added = [s for s in sessions if s.id not in live]
    if added:
        ticket = _draw_ticket(settings)
        counts, waiting = _session_counts(s.id for s in added)
        with db.session.no_autoflush:
            for session in added:
                _place(registration, session, settings, ticket, counts, force=force,
                       queue_first=waiting[session.id] > 0)  # fmt: skip
        changed = True
    db.session.flush()
    if changed:
        fill_vacancies(event, settings, now=now)
        if notify:
            send_notice(registration, "changed")
    return registration


def cancel_registration(
    registration: Registration, *, now: datetime | None = None, notify: bool = True
) -> list[Registration]:
    """Cancel: the place and seats go to the first people waiting, who are told. Returns them."""
    now = now or utcnow()
    settings = lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status in (REG_CANCELLED, REG_REFUSED):
        raise InvalidTransition(_l("Cette inscription est déjà annulée."))
    registration.status = REG_CANCELLED
    registration.cancelled_at = now
    for choice in registration.choices:
        choice.status = CHOICE_CANCELLED
    promoted = fill_vacancies(registration.event, settings, now=now)
    if notify:
        send_notice(registration, "cancelled")
    return promoted


def _set_answers(registration: Registration, answers: dict[int, str]) -> None:
    # Update rows in place: replacing them would INSERT before DELETE and hit the unique constraint.
    existing = {a.question_id: a for a in registration.answers}
    for question_id, value in answers.items():
        if question_id in existing:
            existing[question_id].value = value
        else:
            registration.answers.append(Answer(question_id=question_id, value=value))
    for question_id, answer in existing.items():
        if question_id not in answers:
            registration.answers.remove(answer)
