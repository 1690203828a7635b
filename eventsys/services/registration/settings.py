"""The event's registration settings: read, created, locked (see the package doc), and the window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

import eventsys.cache  # noqa: F401 - moves Event.updated_at on every change of the form (the key)
from eventsys import i18n
from eventsys.extensions import db
from eventsys.kept import WorkerCache
from eventsys.models import Event
from eventsys.models.events import STATUS_CANCELLED
from eventsys.models.registration import (
    DEFAULT_FIELD_MODES,
    HOLDING_PLACE,
    REG_WAITLISTED,
    CustomQuestion,
    Registration,
    RegistrationSettings,
)
from eventsys.models.types import utcnow
from eventsys.services.errors import RegistrationClosed
from eventsys.services.event_rows import attached_row

# ------------------------------------------------------------------------- settings


def default_settings(event: Event) -> RegistrationSettings:
    """Transient settings with the defaults (not added to the session)."""
    return RegistrationSettings(
        event_id=event.id,
        enabled=True,
        capacity=None,
        moderation=False,
        waitlist_enabled=True,
        retention_months=12,
        field_modes=dict(DEFAULT_FIELD_MODES),
        networking_themes=[],
        ticket_counter=0,
        held_count=0,
        waiting_count=0,
        email_message="",
        translations={},
        event=event,  # for the main language of `email_message` (no backref: stays transient)
    )


def load_settings(event: Event) -> RegistrationSettings:
    """The event's settings, or unsaved defaults when the organiser never changed them."""
    settings = db.session.scalar(
        select(RegistrationSettings).where(RegistrationSettings.event_id == event.id)
    )
    return settings if settings is not None else default_settings(event)


def ensure_settings(event: Event) -> RegistrationSettings:
    """The stored settings row, created with defaults if needed (safe when two requests race)."""
    settings = db.session.scalar(
        select(RegistrationSettings).where(RegistrationSettings.event_id == event.id)
    )
    if settings is not None:
        return settings
    insert = (
        postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    )
    values = {
        "event_id": event.id, "enabled": True, "moderation": False, "waitlist_enabled": True,
        "retention_months": 12, "field_modes": dict(DEFAULT_FIELD_MODES), "networking_themes": [],
        "ticket_counter": 0, "updated_at": utcnow(),
        # The triggers keep the counters from now on; they start from any rows already there.
        "held_count": _count_registrations(event, HOLDING_PLACE).scalar_subquery(),
        "waiting_count": _count_registrations(event, (REG_WAITLISTED,)).scalar_subquery(),
    }  # fmt: skip
    db.session.execute(
        insert(RegistrationSettings)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["event_id"])
    )
    return db.session.scalars(
        select(RegistrationSettings).where(RegistrationSettings.event_id == event.id)
    ).one()


def lock_event(event: Event) -> RegistrationSettings:
    """Serialise every change of seats for this event until the transaction ends (see module doc)."""
    query = (
        select(RegistrationSettings)
        .where(RegistrationSettings.event_id == event.id)
        .execution_options(populate_existing=True)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        settings = db.session.scalars(query.with_for_update()).one_or_none()
        if settings is None:
            ensure_settings(event)
            settings = db.session.scalars(query.with_for_update()).one()
        return settings
    # SQLite: make a write the first statement so the connection holds the write lock from here on.
    touch = (
        update(RegistrationSettings)
        .where(RegistrationSettings.event_id == event.id)
        .values(ticket_counter=RegistrationSettings.ticket_counter)
        .execution_options(synchronize_session=False)
    )
    if not db.session.execute(touch).rowcount:
        ensure_settings(event)
        db.session.execute(touch)  # the row exists now, so this write takes the lock
    return db.session.scalars(query).one()


_SETTINGS = RegistrationSettings.__table__
# Built once, so SQLAlchemy reuses its compiled form: these run on every submission.
# What a submission reads of the locked row: the window, the rules of allocation, the counters
# and the ticket just drawn. The rest (the form's make-up, the e-mail paragraph: JSON to decode)
# was read before the lock, and loads if anything reads it from the object.
_SETTINGS_KEYS = ["id", "event_id", "enabled", "opens_at", "closes_at", "capacity", "moderation",
                  "waitlist_enabled", "ticket_counter", "held_count", "waiting_count"]  # fmt: skip
_LOCK_DRAWING_TICKET = (
    update(_SETTINGS)
    .where(_SETTINGS.c.event_id == bindparam("locked_event_id"))
    .values(ticket_counter=_SETTINGS.c.ticket_counter + 1)
    .returning(*(_SETTINGS.c[key] for key in _SETTINGS_KEYS))
)


def _lock_drawing_ticket(event: Event) -> RegistrationSettings:
    """`lock_event` and `_draw_ticket` in one statement, for a submission.

    `UPDATE … SET ticket_counter = ticket_counter + 1 … RETURNING` locks the settings row like
    `SELECT … FOR UPDATE` on PostgreSQL (and, as the first write, takes SQLite's write lock) and
    returns the fresh row, with the ticket just drawn in `ticket_counter`: the settings from here
    on are that row (the columns a submission reads), as an object of the session, whatever the
    checks read before the lock. A ticket drawn for a submission that turns out to be a duplicate is
    never used: tickets order people, they need not be consecutive."""
    db.session.flush()  # Core statements below do not autoflush
    connection = db.session.connection()
    row = connection.execute(_LOCK_DRAWING_TICKET, {"locked_event_id": event.id}).one_or_none()
    if row is None:  # no settings row yet: the general path creates it
        settings = lock_event(event)
        _draw_ticket(settings)
        return settings
    settings = db.session.identity_map.get(identity_key(RegistrationSettings, row.id))
    if settings is not None:  # already in the session: refreshed with the row
        for key, value in zip(_SETTINGS_KEYS, row, strict=True):
            set_committed_value(settings, key, value)
        return settings
    return attached_row(RegistrationSettings, _SETTINGS_KEYS, row, shared=False)


def _draw_ticket(settings: RegistrationSettings) -> int:
    settings.ticket_counter = (settings.ticket_counter or 0) + 1
    return settings.ticket_counter


def event_questions(event: Event) -> list[CustomQuestion]:
    """The custom questions, in order."""
    return list(
        db.session.scalars(
            select(CustomQuestion)
            .where(CustomQuestion.event_id == event.id)
            .order_by(CustomQuestion.position, CustomQuestion.id)
        )
    )


# ------------------------------------------------------------------------- the form, kept


@dataclass(frozen=True)
class SettingsSnapshot:
    """The settings as a submission's checks read them before the lock: immutable values kept
    per worker, not an ORM object (the defaults when the event has no settings row yet)."""

    enabled: bool
    opens_at: datetime | None
    closes_at: datetime | None
    field_modes: Mapping[str, str]
    networking_themes: tuple[str, ...]

    mode = RegistrationSettings.mode


@dataclass(frozen=True)
class QuestionSnapshot:
    """A custom question as the checks read it."""

    id: int
    label: str
    kind: str
    options: tuple[str, ...]
    required: bool


_FORMS = WorkerCache("eventsys.registration.form_snapshots", entries=64)


def _settings_and_questions(event: Event) -> tuple[SettingsSnapshot, tuple[QuestionSnapshot, ...]]:
    """What the checks before the lock read of the settings and the questions, read once per
    worker for each version of the event: `Event.updated_at`, which every change of the
    questions or of the settings (bar their counters) moves in the same transaction (see
    eventsys/cache.py). What is decided under the lock reads the locked row itself."""
    db.session.flush()  # a change not yet flushed moves the version when it is
    key = (event.id, event.updated_at)
    found = _FORMS.get(key)
    if found is None:
        rows = db.session.execute(_SETTINGS_AND_QUESTIONS, {"event_id": event.id}).all()
        if rows:
            settings, questions = rows[0][0], [q for _settings, q in rows if q is not None]
        else:
            settings, questions = default_settings(event), event_questions(event)
        found = (
            SettingsSnapshot(
                enabled=settings.enabled,
                opens_at=settings.opens_at,
                closes_at=settings.closes_at,
                field_modes=MappingProxyType(dict(settings.field_modes or {})),
                networking_themes=tuple(settings.networking_themes or ()),
            ),
            tuple(
                QuestionSnapshot(q.id, q.label, q.kind, tuple(q.options or ()), q.required)
                for q in questions
            ),
        )
        _FORMS.put(key, found)
    return found


_SETTINGS_AND_QUESTIONS = (
    select(RegistrationSettings, CustomQuestion)
    .outerjoin(CustomQuestion, CustomQuestion.event_id == RegistrationSettings.event_id)
    .where(RegistrationSettings.event_id == bindparam("event_id"))
    .order_by(CustomQuestion.position, CustomQuestion.id)
)


# ------------------------------------------------------------------------- window


def registration_state(
    event: Event, settings: RegistrationSettings, now: datetime | None = None
) -> tuple[bool, str]:
    """(open?, reason) where reason is '' or a message for people."""
    now = now or utcnow()
    if event.status == STATUS_CANCELLED:
        return False, _("Cet événement est annulé : les inscriptions sont fermées.")
    if not settings.enabled:
        return False, _("Cet événement ne prend pas d'inscriptions en ligne.")
    if settings.opens_at and now < settings.opens_at:
        return False, _(
            "Les inscriptions ouvriront le %(date)s à %(time)s.",
            date=_format_day(settings.opens_at, event),
            time=_format_time(settings.opens_at, event),
        )
    if settings.closes_at and now >= settings.closes_at:
        return False, _(
            "Les inscriptions sont closes depuis le %(date)s à %(time)s.",
            date=_format_day(settings.closes_at, event),
            time=_format_time(settings.closes_at, event),
        )
    if now.astimezone(event.tz).date() > event.end_date:
        return False, _("Cet événement est terminé : les inscriptions sont closes.")
    return True, ""


def _check_open(event: Event, settings: RegistrationSettings, now: datetime) -> None:
    is_open, reason = registration_state(event, settings, now)
    if not is_open:
        raise RegistrationClosed(reason)


def _format_day(value: datetime, event: Event) -> str:
    return i18n.format_day(value, get_locale(), event.tz, "long")


def _format_time(value: datetime, event: Event) -> str:
    return i18n.format_time(value, get_locale(), event.tz)


def _count_registrations(event: Event, statuses: Sequence[str]) -> Any:
    return (
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(statuses))
    )
