"""Where a person stands: status, waiting-list positions (computed, never stored)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from eventsys.extensions import db
from eventsys.models import ProgrammeSession
from eventsys.models.registration import (
    CHOICE_WAITLISTED,
    HOLDING_PLACE,
    REG_CONFIRMED,
    REG_WAITLISTED,
    Registration,
    RegistrationChoice,
)

# ------------------------------------------------------------------------- positions


def event_position(registration: Registration) -> int | None:
    """1-based place on the event's waiting list, or None; a group sharing a ticket has one place."""
    if registration.status != REG_WAITLISTED:
        return None
    return db.session.scalar(
        select(func.count(Registration.ticket.distinct()))
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == REG_WAITLISTED,
            Registration.ticket <= registration.ticket,
        )
    )


def choice_position(choice: RegistrationChoice) -> int | None:
    """1-based place on the session's waiting list, or None."""
    if choice.status != CHOICE_WAITLISTED:
        return None
    return db.session.scalar(
        select(func.count())
        .select_from(RegistrationChoice)
        .join(Registration)
        .where(
            RegistrationChoice.session_id == choice.session_id,
            RegistrationChoice.status == CHOICE_WAITLISTED,
            Registration.status.in_(HOLDING_PLACE),
            or_(
                RegistrationChoice.ticket < choice.ticket,
                and_(
                    RegistrationChoice.ticket == choice.ticket, RegistrationChoice.id <= choice.id
                ),
            ),
        )
    )


@dataclass
class ChoiceView:
    session: ProgrammeSession
    status: str
    position: int | None


@dataclass
class StatusView:
    """Where a person stands, in one place for pages, e-mails and the API."""

    status: str  # registration status: pending / confirmed / waitlisted / cancelled / refused
    overall: str  # what to announce: the registration status, or "waitlisted" when a session is
    position: int | None  # on the event's list, or on the first session list the person waits on
    choices: list[ChoiceView]


def status_view(registration: Registration) -> StatusView:
    """The registration's status, its waiting-list position and each session choice."""
    choices = [
        ChoiceView(c.session, c.status, choice_position(c))
        for c in sorted(
            registration.live_choices, key=lambda c: (c.session.starts_at, c.session_id)
        )
    ]
    return _with_overall(
        StatusView(registration.status, registration.status, event_position(registration), choices)
    )


def _with_overall(view: StatusView) -> StatusView:
    """A confirmed person waiting for a session is announced as waiting, with that position."""
    if view.status == REG_CONFIRMED:
        waiting = [c for c in view.choices if c.status == CHOICE_WAITLISTED]
        if waiting:
            view.overall, view.position = REG_WAITLISTED, waiting[0].position
    return view
