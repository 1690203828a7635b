"""Personal data (RGPD): export and erasure of one person's registration to one event, and the
retention purge of whole events' registrations.

Every table that references `registrations.id` is covered here, by name (`COVERED_TABLES`); a test
compares that list with the schema, so a new table cannot be forgotten by the export or the
erasure. Seats are freed through the registration rules (`cancel_registration`), never here.

Functions flush, never commit: the caller (view, CLI) commits once.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from contextlib import suppress
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.checkin import BadgeCredential, CheckIn
from eventsys.models.delegation import DelegationMember, InterpretingAssignment
from eventsys.models.networking import NetworkingParticipant
from eventsys.models.registration import (
    QUESTION_CHOICE,
    QUESTION_YESNO,
    Answer,
    OutboxMessage,
    Registration,
    RegistrationChoice,
    RegistrationSettings,
)
from eventsys.models.types import utcnow
from eventsys.services import networking
from eventsys.services import registration as reg
from eventsys.services.countries import country_name
from eventsys.services.delegations.status import role_labels
from eventsys.services.errors import InvalidTransition

FORMAT = "eventsys.personal-data/1"
# Table -> what becomes of its rows when the person is erased (see erase_person).
COVERED_TABLES = {
    RegistrationChoice.__tablename__: "deleted with the registration (cascade)",
    Answer.__tablename__: "deleted with the registration (cascade)",
    BadgeCredential.__tablename__: "deleted with the registration (ON DELETE CASCADE)",
    OutboxMessage.__tablename__: "deleted (kept the address and the bodies)",
    CheckIn.__tablename__: "kept anonymous: the scans still count in the statistics",
    NetworkingParticipant.__tablename__: "deleted (plans show a removed participant)",
    DelegationMember.__tablename__: "deleted (the delegation keeps its other members; the head's "
    "own data: services/delegations/personal.py)",
}
# Registration columns given as they are, and dates; never the link's secret or internal keys.
PERSON_FIELDS = (
    "first_name", "last_name", "email", "organisation", "organisation_type", "job_title",
    "language", "lunch", "accessibility", "networking_opt_in", "source",
)  # fmt: skip
PERSON_DATES = (
    "created_at", "updated_at", "consent_at", "decided_at", "cancelled_at", "link_issued_at",
)  # fmt: skip


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _answer_text(answer: Answer, locale: Any) -> str:
    question = answer.question
    if question.kind == QUESTION_YESNO:
        return _("oui") if answer.value == "yes" else _("non")
    if question.kind == QUESTION_CHOICE:
        return dict(question.localized_options(locale)).get(answer.value, answer.value)
    return answer.value


def _networking(registration: Registration) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(NetworkingParticipant)
        .where(NetworkingParticipant.registration_id == registration.id)
        .order_by(NetworkingParticipant.id)
    ).all()
    out = []
    locale = get_locale()
    for participant in rows:
        activity = participant.activity
        view = networking.plan_view(activity)
        stops = networking.participant_itinerary(view, participant.id) if view else []
        out.append({
            "session": activity.session.localized("title", locale),
            "starts_at": _when(activity.starts_at),
            "name": participant.name,
            "organisation": participant.organisation,
            "present": participant.present,
            "absent_from_round": participant.absent_from_round,
            "joins_from_round": participant.joins_from_round,
            "rounds": [
                {"round": s.number, "starts_at": _when(s.starts_at), "ends_at": _when(s.ends_at),
                 "place": s.place, "theme": s.theme, "facilitator": s.facilitator,
                 "sitting_out": s.sitting_out, "absent": s.absent}
                for s in stops
            ],
        })  # fmt: skip
    return out


def event_summary(event: Event) -> dict[str, Any]:
    """Which event an export is about (its title in the current language)."""
    return {
        "code": event.code_display,
        "title": event.localized("title", get_locale()),
        "start_date": _when(event.start_date),
        "end_date": _when(event.end_date),
    }


def email_log(messages: Iterable[OutboxMessage]) -> list[dict[str, Any]]:
    """The e-mails queued or sent to someone: what, when, in which language (not the bodies)."""
    return [
        {
            "kind": m.kind,
            "subject": m.subject,
            "language": m.language,
            "status": m.status,
            "created_at": _when(m.created_at),
            "sent_at": _when(m.sent_at),
        }
        for m in messages
    ]


def _delegation(registration: Registration) -> dict[str, Any] | None:
    member = db.session.scalar(
        select(DelegationMember).where(DelegationMember.registration_id == registration.id)
    )
    if member is None:
        return None
    delegation = member.delegation
    return {
        "name": delegation.name,
        "country": delegation.country,
        "country_name": country_name(delegation.country, str(get_locale() or "fr")),
        "institution": delegation.institution,
        "role": member.role,
        "role_label": str(role_labels().get(member.role, member.role)),
        "head": delegation.head_name,
    }


def person_data(registration: Registration) -> dict[str, Any]:
    """Everything stored about one person for one event, JSON-ready (labels in the current language)."""
    locale = get_locale()
    event = registration.event
    names = reg.status_names()
    settings = reg.load_settings(event)
    badge = db.session.scalar(
        select(BadgeCredential).where(BadgeCredential.registration_id == registration.id)
    )
    checkins = db.session.scalars(
        select(CheckIn).where(CheckIn.registration_id == registration.id).order_by(CheckIn.id)
    ).all()
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id)
        .order_by(OutboxMessage.id)
    ).all()
    return {
        "format": FORMAT,
        "exported_at": _when(utcnow()),
        "event": event_summary(event),
        "registration": {
            "status": registration.status,
            "status_label": names.get(registration.status, registration.status),
            **{name: getattr(registration, name) for name in PERSON_FIELDS},
            "networking_themes": list(registration.networking_themes or []),
            **{name: _when(getattr(registration, name)) for name in PERSON_DATES},
        },
        "answers": [
            {"question": a.question.localized("label", locale), "answer": _answer_text(a, locale)}
            for a in sorted(
                registration.answers, key=lambda a: (a.question.position, a.question_id)
            )
        ],
        "sessions": [
            {
                "title": c.session.localized("title", locale),
                "starts_at": _when(c.session.starts_at),
                "ends_at": _when(c.session.ends_at),
                "status": c.status,
                "status_label": names.get(c.status, c.status),
                "chosen_at": _when(c.created_at),
            }
            for c in sorted(registration.choices, key=lambda c: (c.session.starts_at, c.session_id))
        ],
        "badge": {"issued_at": _when(badge.issued_at)} if badge is not None else None,
        "checkins": [
            {
                "at": _when(c.created_at),
                "day": _when(c.day),
                "session": c.session.localized("title", locale) if c.session else None,
                "result": c.result,
                "method": c.method,
                "counted": c.counts,
                "undone_at": _when(c.undone_at),
            }
            for c in checkins
        ],
        "networking": _networking(registration),
        "delegation": _delegation(registration),
        "emails": email_log(messages),
        "retention_months": settings.retention_months,
    }


def purge_outbox_of(registration_ids: Iterable[int]) -> int:
    """Delete the e-mails queued or sent to these registrations (address and bodies); how many."""
    ids = list(registration_ids)
    if not ids:
        return 0
    result = db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.registration_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _anonymise_checkins(registration_ids: list[int]) -> None:
    """Scans stay (counts per day and per session), unlinked; the presence key named the person's
    id, which a later registration could be given again (SQLite reuses the highest id)."""
    scans = db.session.scalars(
        select(CheckIn).where(CheckIn.registration_id.in_(registration_ids))
    ).all()
    for scan in scans:
        scan.registration_id = None
        if scan.counted_key is not None:
            scan.counted_key = f"erased:{scan.id}"
    db.session.flush()


def forget(registration_ids: Iterable[int]) -> None:
    """Before these registrations are deleted: remove what is about them in tables that would only
    unlink it (ON DELETE SET NULL): their e-mails and networking places go, scans are anonymised.
    Used by `erase_person` and by the retention purge."""
    ids = list(registration_ids)
    if not ids:
        return
    purge_outbox_of(ids)
    members = db.session.scalars(
        select(DelegationMember).where(DelegationMember.registration_id.in_(ids))
    ).all()
    if members:  # an interpreter's assignments go: the plan proposes someone again
        db.session.execute(
            delete(InterpretingAssignment)
            .where(InterpretingAssignment.member_id.in_([m.id for m in members]))
            .execution_options(synchronize_session=False)
        )
    for member in members:
        member.delegation.members.remove(member)
        db.session.delete(member)
    for participant in db.session.scalars(
        select(NetworkingParticipant).where(NetworkingParticipant.registration_id.in_(ids))
    ).all():
        db.session.delete(participant)
    _anonymise_checkins(ids)


def erase_person(registration: Registration) -> None:
    """Remove the person: their place goes to the people waiting (who are told), then every row
    about them is deleted or made anonymous. They get no e-mail, not even the cancellation."""
    if registration.is_active:
        with suppress(InvalidTransition):  # cancelled meanwhile: no place left to free
            reg.cancel_registration(registration, notify=False)
    forget([registration.id])
    db.session.delete(registration)
    db.session.flush()


# ------------------------------------------------------------------------- retention


def purge_expired(now: datetime | None = None) -> int:
    """Delete the registrations of events that ended longer ago than their retention period, and
    the e-mails, networking places and scan links about them (see `forget`)."""
    today = (now or utcnow()).date()
    removed = 0
    rows = db.session.execute(
        select(Event, RegistrationSettings.retention_months).outerjoin(
            RegistrationSettings, RegistrationSettings.event_id == Event.id
        )
    )
    for event, months in rows:
        if _add_months(event.end_date, months or 12) >= today:
            continue
        registrations = db.session.scalars(
            select(Registration).where(Registration.event_id == event.id)
        ).all()
        forget(r.id for r in registrations)
        for registration in registrations:
            db.session.delete(registration)
            removed += 1
    db.session.flush()
    return removed


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
