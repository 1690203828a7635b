"""The sessions a submission chooses among, read once per worker for each version of the event.

A registration reads the event's sessions that take registrations on every submission, only to
check the choices and give seats: their ids, titles, times and capacities. `session_snapshots`
keeps them as immutable values (not ORM objects, which belong to one database session) in the
application, keyed by the event and its version: `Event.updated_at`, which any change of the
event or of its programme moves in the same transaction (sessions, rooms, speakers…; see
eventsys/cache.py, which the public page cache keys on too). An organiser's change is seen by the
very next submission: it reads the event row anyway, and a new version is a new key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select

import eventsys.cache  # noqa: F401 - moves Event.updated_at on every programme change (the key)
from eventsys.extensions import db
from eventsys.kept import WorkerCache
from eventsys.models import Event, ProgrammeSession, Room
from eventsys.models.programme import SESSION_CANCELLED

_KEPT = WorkerCache("eventsys.registration.session_snapshots", entries=64)  # a few events are open at once


@dataclass(frozen=True)
class SessionSnapshot:
    """A session that takes registrations, as a submission needs it."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None  # its own, else its room's; None: no limit
    room = None  # the capacity above is already the room's when the session has none


# Built once: SQLAlchemy reuses its compiled form.
_SNAPSHOTS = (
    select(
        ProgrammeSession.id,
        ProgrammeSession.title,
        ProgrammeSession.starts_at,
        ProgrammeSession.ends_at,
        func.coalesce(ProgrammeSession.capacity, Room.capacity),
    )
    .outerjoin(Room, Room.id == ProgrammeSession.room_id)
    .where(
        ProgrammeSession.event_id == bindparam("event_id"),
        ProgrammeSession.requires_registration.is_(True),
        ProgrammeSession.status != SESSION_CANCELLED,
    )
    .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
)


def session_snapshots(event: Event) -> tuple[SessionSnapshot, ...]:
    """The event's sessions that take registrations, in time order (as `registrable_sessions`)."""
    db.session.flush()  # a change not yet flushed moves the version when it is
    key = (event.id, event.updated_at)
    found = _KEPT.get(key)
    if found is None:
        rows = db.session.connection().execute(_SNAPSHOTS, {"event_id": event.id})
        found = tuple(SessionSnapshot(*row) for row in rows)
        _KEPT.put(key, found)
    return found
