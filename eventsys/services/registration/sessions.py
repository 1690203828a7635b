"""Sessions people choose: capacity, time slots, checks, and the counters read under the lock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, literal_column, select, union_all
from sqlalchemy.orm import joinedload

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.programme import SESSION_CANCELLED
from eventsys.models.registration import (
    FIELD_REQUIRED,
    HOLDING_PLACE,
    Registration,
    RegistrationSettings,
    SessionSeatCount,
)
from eventsys.services.errors import ChoiceConflict, RegistrationInvalid, SessionClosed
from eventsys.services.registration.settings import _count_registrations
from eventsys.services.registration.snapshots import session_snapshots

# ------------------------------------------------------------------------- sessions


def session_capacity(session: ProgrammeSession) -> int | None:
    """Seats of a session: its own capacity, else its room's; None means no limit."""
    if session.capacity is not None:
        return session.capacity
    return session.room.capacity if session.room is not None else None


def registrable_sessions(event: Event) -> list[ProgrammeSession]:
    """Sessions that take registrations (the person chooses among them)."""
    return list(db.session.scalars(_REGISTRABLE_SESSIONS, {"event_id": event.id}))


# Built once (read on every submission): SQLAlchemy reuses its compiled form.
_REGISTRABLE_SESSIONS = (
    select(ProgrammeSession)
    .where(
        ProgrammeSession.event_id == bindparam("event_id"),
        ProgrammeSession.requires_registration.is_(True),
        ProgrammeSession.status != SESSION_CANCELLED,
    )
    .options(joinedload(ProgrammeSession.room))
    .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
)


def group_slots(sessions: Sequence[ProgrammeSession]) -> list[list[ProgrammeSession]]:
    """Sessions grouped by overlapping time: one choice per group at most."""
    slots: list[list[ProgrammeSession]] = []
    end: datetime | None = None
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
        if slots and end is not None and session.starts_at < end:
            slots[-1].append(session)
            end = max(end, session.ends_at)
        else:
            slots.append([session])
            end = session.ends_at
    return slots


def _check_sessions(
    event: Event,
    settings: RegistrationSettings,
    wanted: Iterable[Any],
    *,
    enforce_required: bool = True,
    snapshots: bool = False,
) -> list[ProgrammeSession]:
    """The chosen sessions, checked: of this event, taking registrations, no two at once.

    With `snapshots`, they are `SessionSnapshot` values kept per version of the event (a
    submission), not ORM objects."""
    ids: list[int] = []
    for raw in wanted:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            raise RegistrationInvalid(
                _l("Session inconnue."),
                errors={"sessions": [_("Session inconnue.")]},
                codes={"sessions": "unknown_session"},
            ) from None
    ids = list(dict.fromkeys(ids))
    every_slot = enforce_required and settings.mode("sessions") == FIELD_REQUIRED
    if not (ids or every_slot):
        open_sessions: Sequence[Any] = []
    else:
        open_sessions = session_snapshots(event) if snapshots else registrable_sessions(event)
    by_id = {s.id: s for s in open_sessions}
    chosen: list[ProgrammeSession] = []
    for session_id in ids:
        session = by_id.get(session_id)
        if session is None:
            other = db.session.get(ProgrammeSession, session_id)
            if other is None or other.event_id != event.id:
                raise RegistrationInvalid(
                    _l("Session inconnue."),
                    errors={"sessions": [_("Session inconnue.")]},
                    codes={"sessions": "unknown_session"},
                )
            raise SessionClosed(
                _l("La session « %(title)s » ne prend pas d'inscriptions.", title=other.title),
                session_id=session_id,
            )
        chosen.append(session)
    for slot in group_slots(chosen):
        if len(slot) > 1:
            raise ChoiceConflict(
                _l(
                    "« %(first)s » et « %(second)s » ont lieu en même temps : choisissez-en une seule.",
                    first=slot[0].title,
                    second=slot[1].title,
                )
            )
    if every_slot:
        chosen_ids = {s.id for s in chosen}
        for slot in group_slots(open_sessions):
            if not chosen_ids & {s.id for s in slot}:
                raise RegistrationInvalid(
                    _l("Choisissez une session dans chaque créneau."),
                    errors={"sessions": [_("Choisissez une session dans chaque créneau.")]},
                    codes={"sessions": "required"},
                )
    return chosen


_SESSION_COUNTS = SessionSeatCount.__table__


def seats_taken(session_ids: Iterable[int]) -> dict[int, int]:
    """Confirmed seats per session."""
    return _session_counts(session_ids)[0]


def places_taken(event: Event) -> int:
    """Registrations holding a place (confirmed or pending approval), from the event's counter."""
    held = db.session.scalar(
        select(RegistrationSettings.held_count).where(RegistrationSettings.event_id == event.id)
    )
    if held is None:  # no settings row, so no counter yet: count (nobody registered, in practice)
        held = db.session.scalar(_count_registrations(event, HOLDING_PLACE))
    return held or 0


def _session_counts(session_ids: Iterable[int]) -> tuple[dict[int, int], dict[int, int]]:
    """(seats taken, people waiting) per session, from the sessions' counters."""
    ids = list(session_ids)
    seats, waiting = dict.fromkeys(ids, 0), dict.fromkeys(ids, 0)
    if ids:
        counts = _SESSION_COUNTS.c
        rows = db.session.execute(
            select(counts.session_id, counts.seats, counts.waiting).where(
                counts.session_id.in_(ids)
            )
        )
        for session_id, taken, queued in rows:
            seats[session_id], waiting[session_id] = taken, queued
    return seats, waiting


@dataclass
class _LockedState:
    """What a submission needs to know, read under the event lock (the event's own counters come
    with the locked settings row)."""

    existing_id: int | None  # a registration with the same e-mail (any status)
    seats: dict[int, int]  # session id -> confirmed seats
    session_waiting: dict[int, int]  # session id -> people waiting


_STATE_QUERIES: dict[bool, Any] = {}


def _state_query(session_counts: bool) -> Any:
    """The UNION ALL behind _state_under_lock, built once per shape (cached compilation)."""
    if session_counts not in _STATE_QUERIES:
        kind, zero = literal_column, literal_column("0")
        parts = [
            select(kind("'existing'"), Registration.id, zero, zero).where(
                Registration.event_id == bindparam("event_id"),
                Registration.email_key == bindparam("email_key"),
            )
        ]
        if session_counts:
            counts = _SESSION_COUNTS.c
            parts.append(
                select(kind("'session'"), counts.session_id, counts.seats, counts.waiting).where(
                    counts.session_id.in_(bindparam("session_ids", expanding=True))
                )
            )
        _STATE_QUERIES[session_counts] = union_all(*parts) if len(parts) > 1 else parts[0]
    return _STATE_QUERIES[session_counts]


def _state_under_lock(event: Event, email_key: str, session_ids: list[int]) -> _LockedState:
    """The e-mail's registration and the sessions' counters: one query (UNION ALL)."""
    params: dict[str, Any] = {"event_id": event.id, "email_key": email_key}
    if session_ids:
        params["session_ids"] = session_ids
    state = _LockedState(None, dict.fromkeys(session_ids, 0), dict.fromkeys(session_ids, 0))
    for kind, key, seats, waiting in db.session.connection().execute(
        _state_query(bool(session_ids)), params
    ):
        if kind == "existing":
            state.existing_id = key
        else:
            state.seats[key], state.session_waiting[key] = seats, waiting
    return state
