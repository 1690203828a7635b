"""A submission, the busiest path: checks, the lock, one read and one INSERT per table."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, inspect
from sqlalchemy.orm import make_transient_to_detached

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.events import STATUS_CANCELLED
from eventsys.models.registration import (
    CHOICE_CANCELLED,
    CHOICE_WAITLISTED,
    REG_CANCELLED,
    REG_CONFIRMED,
    REG_PENDING,
    REG_WAITLISTED,
    Registration,
    RegistrationSettings,
)
from eventsys.models.types import utcnow
from eventsys.services import throttle
from eventsys.services.errors import EventFull, RegistrationClosed, SessionFull
from eventsys.services.registration.allocation import _place, _set_answers, fill_vacancies
from eventsys.services.registration.checks import RegistrationInput, _check_input
from eventsys.services.registration.links import link_token
from eventsys.services.registration.notices import send_notice
from eventsys.services.registration.sessions import (
    _check_sessions,
    _state_under_lock,
    session_capacity,
)
from eventsys.services.registration.settings import (
    _check_open,
    _lock_drawing_ticket,
    _settings_and_questions,
)
from eventsys.services.registration.status import ChoiceView, StatusView, _with_overall, status_view


@dataclass
class RegistrationOutcome:
    """The registration after a submission; `created` is False when the e-mail was already registered."""

    registration: Registration
    created: bool
    token: str
    view: StatusView | None = None  # where the person stands, when just computed


# ------------------------------------------------------------------------- registering


def register_attendee(
    event: Event,
    data: RegistrationInput,
    *,
    source: str = "web",
    by_organiser: bool = False,
    notify: bool = True,
    now: datetime | None = None,
    ticket: int | None = None,
    wait: bool = False,
) -> RegistrationOutcome:
    """Register a person: a place, a seat or a waiting-list ticket per chosen session, one e-mail.

    Submitting again with the same e-mail never creates a second registration: the existing one is
    returned (`created=False`) and its private link is e-mailed again. A group that comes all
    together or not at all registers each member with the first one's `ticket` (one position on
    the waiting lists, promoted together by `fill_vacancies`) and `wait` when it does not fit.
    """
    now = now or utcnow()
    settings, questions = _settings_and_questions(event)
    if not by_organiser:
        _check_open(event, settings, now)
    elif event.status == STATUS_CANCELLED:
        raise RegistrationClosed(_l("Cet événement est annulé : les inscriptions sont fermées."))
    clean, answers = _check_input(
        event, settings, questions, data, require_consent=not by_organiser
    )
    sessions = _check_sessions(
        event, settings, data.sessions, enforce_required=not by_organiser, snapshots=True
    )

    settings = _lock_drawing_ticket(event)
    if not by_organiser:
        _check_open(event, settings, now)  # the organiser may have closed it while we waited
    # Read under the lock: the event's counters came with its locked row; the sessions' counters
    # come with the look-up of the e-mail, in one round trip. The newcomer's ticket is the highest
    # ever drawn, so their position on any waiting list is the number already waiting there, plus one.
    state = _state_under_lock(event, clean["email_key"], [s.id for s in sessions])
    existing = None
    if state.existing_id is not None:
        existing = db.session.get(Registration, state.existing_id)
    if existing is not None and existing.status != REG_CANCELLED:
        if source == "web":
            # The public form must not tell that the address is registered: refused as a
            # newcomer would be.
            _refuse_like_a_newcomer(settings, sessions, state.seats)
        token = link_token(existing)
        # Anyone may submit someone else's address: the link goes again at most once an hour
        # (DUPLICATE_NOTICE_LIMIT, shared by every server), never as a mail bomb.
        if notify and throttle.hit(
            current_app.config["DUPLICATE_NOTICE_LIMIT"],
            "duplicate-notice",
            f"{event.id}:{existing.email}",
        ):
            send_notice(existing, "duplicate")
        return RegistrationOutcome(existing, created=False, token=token)

    held, waiting = settings.held_count, settings.waiting_count
    capacity_left = (settings.capacity is None or held < settings.capacity) and not wait
    if not capacity_left and not settings.waitlist_enabled:
        raise EventFull(_l("Cet événement est complet."))
    counts, session_waiting = state.seats, state.session_waiting
    registration = existing or Registration(event_id=event.id, choices=[], answers=[])
    with db.session.no_autoflush:
        for name, value in clean.items():
            setattr(registration, name, value)
        registration.source = source
        registration.consent_at = now if data.consent else None
        registration.ticket = ticket or settings.ticket_counter
        registration.cancelled_at = registration.decided_at = None
        registration.created_at = now
        if capacity_left:
            registration.status = REG_PENDING if settings.moderation else REG_CONFIRMED
        else:
            registration.status = REG_WAITLISTED
        for choice in registration.choices:
            choice.status = CHOICE_CANCELLED
        for session in sessions:
            _place(registration, session, settings, registration.ticket, counts,
                   queue_first=session_waiting[session.id] > 0)  # fmt: skip
        _set_answers(registration, answers)
        if not registration.link_secret:
            registration.link_secret = secrets.token_urlsafe(32)
            registration.link_issued_at = now
    registration = _store(registration)
    if any(
        session_waiting[s.id]
        and (session_capacity(s) is None or counts[s.id] < session_capacity(s))
        for s in sessions
    ):
        # Seats were added elsewhere (the programme changed a capacity) while people waited:
        # hand them out in ticket order now, the newcomer included.
        fill_vacancies(event, settings, now=now, quiet={registration.id})
        db.session.refresh(registration)
        view = status_view(registration)
        if notify:
            send_notice(registration, "received", view=view)
        return RegistrationOutcome(
            registration, created=True, token=link_token(registration), view=view
        )
    chosen = {s.id: s for s in sessions}  # the live choices are these sessions
    view = StatusView(
        registration.status,
        registration.status,
        waiting + 1 if registration.status == REG_WAITLISTED else None,
        [
            ChoiceView(
                chosen[c.session_id],
                c.status,
                session_waiting[c.session_id] + 1 if c.status == CHOICE_WAITLISTED else None,
            )
            for c in sorted(
                registration.live_choices,
                key=lambda c: (chosen[c.session_id].starts_at, c.session_id),
            )
        ],
    )
    view = _with_overall(view)
    if notify:
        send_notice(registration, "received", view=view)
    return RegistrationOutcome(
        registration, created=True, token=link_token(registration), view=view
    )


# mapper -> (INSERT … RETURNING id, [(attribute, column key, default or _SERVER, callable?)]), built
# once so that SQLAlchemy reuses the statement's compiled form
_INSERT_PLANS: dict[Any, Any] = {}
_SERVER = object()  # a column left to its server default when no value is given


def _insert_plan(mapper: Any) -> tuple[Any, list[tuple[str, str, Any, bool]]]:
    plan = _INSERT_PLANS.get(mapper)
    if plan is None:
        table = mapper.local_table
        columns = []
        for attr in mapper.column_attrs:
            column = attr.columns[0]
            if column.primary_key:
                continue
            default = column.default
            if default is None:
                value, is_callable = (_SERVER if column.server_default is not None else None), False
            else:
                value, is_callable = default.arg, default.is_callable
            columns.append((attr.key, column.key, value, is_callable))
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        plan = _INSERT_PLANS[mapper] = (statement, columns)
    return plan


def _insert_rows(objects: Sequence[Any]) -> None:
    """INSERT objects of one model built in memory, in one statement, and attach them to the
    session as if just loaded: no unit of work (its before-insert hooks do run), no reload. Every column gets its value (the
    object's, else the column's Python default), so reading an attribute later costs no query; a
    column left to a server default is left out, and loaded if it is ever read."""
    if not objects:
        return
    mapper = inspect(objects[0]).mapper
    statement, columns = _insert_plan(mapper)
    connection = db.session.connection()
    rows = []
    for obj in objects:
        state = inspect(obj)
        mapper.dispatch.before_insert(mapper, connection, state)  # as the unit of work would
        given = state.dict
        row = {}
        for key, column_key, default, is_callable in columns:
            if key not in given:
                if default is _SERVER:
                    continue
                # The object is transient: its committed state is set all at once below
                # (make_transient_to_detached), so the value goes straight into its dictionary.
                given[key] = default(None) if is_callable else default
            row[column_key] = given[key]
        rows.append(row)
    if len(rows) == 1:
        ids = [connection.execute(statement, rows[0]).scalar_one()]
    else:
        ids = connection.execute(statement, rows).scalars().all()
    for obj, new_id in zip(objects, ids, strict=True):
        obj.id = new_id
        make_transient_to_detached(obj)


def _store(registration: Registration) -> Registration:
    """Write a registration built in memory, with its choices and answers; return it, persistent.

    A new registration (the busy path) is written with one INSERT … RETURNING id per table instead
    of the unit of work: the same rows for a fraction of the work. A cancelled registration taken
    up again is already persistent: a plain flush."""
    if inspect(registration).persistent:
        db.session.flush()
        return registration
    _insert_rows([registration])
    for child in (*registration.choices, *registration.answers):
        child.registration_id = registration.id
    _insert_rows(registration.choices)
    _insert_rows(registration.answers)
    db.session.add(registration)  # with its choices and answers, as persistent, unchanged objects
    return registration


def _refuse_like_a_newcomer(
    settings: RegistrationSettings, sessions: list[ProgrammeSession], counts: dict[int, int]
) -> None:
    """The refusals `register_attendee` gives a new address for lack of room, also for a known one."""
    holds_place = settings.capacity is None or settings.held_count < settings.capacity
    if not holds_place and not settings.waitlist_enabled:
        raise EventFull(_l("Cet événement est complet."))
    if not holds_place or settings.waitlist_enabled:
        return
    for session in sessions:
        capacity = session_capacity(session)
        if capacity is not None and counts.get(session.id, 0) >= capacity:
            raise SessionFull(
                _l("La session « %(title)s » est complète.", title=session.title),
                session_id=session.id,
            )
