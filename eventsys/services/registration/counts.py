"""Organiser views: counts per session and status, search, organisations, waiting-list ranks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import selectinload

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.registration import (
    CHOICE_WAITLISTED,
    HOLDING_PLACE,
    LIVE_CHOICES,
    REG_STATUSES,
    REG_WAITLISTED,
    Registration,
    RegistrationChoice,
)
from eventsys.models.search_key import fold, like_patterns
from eventsys.services.registration.checks import clean_line
from eventsys.services.registration.sessions import (
    _session_counts,
    registrable_sessions,
    session_capacity,
)

# ------------------------------------------------------------------------- organiser views


@dataclass
class SessionCount:
    session: ProgrammeSession
    capacity: int | None
    confirmed: int
    waitlisted: int


def session_counts(event: Event) -> list[SessionCount]:
    """Seats and waiting people for each session that takes registrations."""
    sessions = registrable_sessions(event)
    seats, waiting = _session_counts(s.id for s in sessions)  # the counters registering reads
    return [SessionCount(s, session_capacity(s), seats[s.id], waiting[s.id]) for s in sessions]


def status_counts(event: Event) -> dict[str, int]:
    """Registrations per status."""
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    )
    counts = dict.fromkeys(REG_STATUSES, 0)
    counts.update(dict(rows.all()))
    return counts


def search_registrations(
    event: Event,
    *,
    text: str = "",
    status: str = "",
    session_id: int | None = None,
    organisation: str = "",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[Registration], int]:
    """Registrations matching the organiser's filters, with the total count."""
    query = select(Registration).where(Registration.event_id == event.id)
    if text:
        like = f"%{_escape_like(clean_line(text).casefold())}%"
        # The words as typed, in their order, anywhere in the folded name and organisation.
        phrase = fold(text)
        by_name = (
            Registration.search_key.like(like_patterns([phrase])[0], escape="\\")
            if phrase
            else false()
        )
        query = query.where(or_(Registration.email_key.like(like, escape="\\"), by_name))
    if status in REG_STATUSES:
        query = query.where(Registration.status == status)
    if session_id:
        query = query.where(
            Registration.id.in_(
                select(RegistrationChoice.registration_id).where(
                    RegistrationChoice.session_id == session_id,
                    RegistrationChoice.status.in_(LIVE_CHOICES),
                )
            )
        )
    if organisation:
        query = query.where(
            func.lower(Registration.organisation) == clean_line(organisation).casefold()
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(
        func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id
    )
    query = query.options(
        selectinload(Registration.choices).selectinload(RegistrationChoice.session),
        selectinload(Registration.answers),
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query)), total


def organisations(event: Event) -> list[str]:
    """Distinct organisations, for the filter."""
    return list(
        db.session.scalars(
            select(Registration.organisation)
            .where(Registration.event_id == event.id, Registration.organisation != "")
            .distinct()
            .order_by(Registration.organisation)
        )
    )


def waitlist_positions(event: Event) -> tuple[dict[int, int], dict[int, int]]:
    """(registration id -> event position, choice id -> session position) for the whole event."""
    event_rank = func.dense_rank().over(order_by=Registration.ticket)  # a group: one position
    rows = db.session.execute(
        select(Registration.id, event_rank).where(
            Registration.event_id == event.id, Registration.status == REG_WAITLISTED
        )
    )
    by_registration = dict(rows.all())
    session_rank = func.row_number().over(
        partition_by=RegistrationChoice.session_id,
        order_by=(RegistrationChoice.ticket, RegistrationChoice.id),
    )
    rows = db.session.execute(
        select(RegistrationChoice.id, session_rank)
        .join(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status.in_(HOLDING_PLACE),
            RegistrationChoice.status == CHOICE_WAITLISTED,
        )
    )
    return by_registration, dict(rows.all())


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
