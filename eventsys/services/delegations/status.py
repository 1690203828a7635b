"""Where a delegation stands (from its members' registrations) and the head's private link."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from eventsys import i18n
from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.delegation import Delegation, DelegationMember
from eventsys.models.registration import (
    REG_CANCELLED,
    REG_PENDING,
    REG_REFUSED,
    REG_WAITLISTED,
    Registration,
)
from eventsys.models.types import utcnow
from eventsys.services import registration as reg
from eventsys.services.delegations.checks import DelegationInvalid, DelegationLocked
from eventsys.services.errors import InvalidLink

LINK_SALT = "eventsys.delegation-link"

STATUS_CONFIRMED = "confirmed"
STATUS_WAITLISTED = "waitlisted"
STATUS_PENDING = "pending"
STATUS_PARTIAL = "partial"  # some members hold a place, others wait
STATUS_CANCELLED = "cancelled"


@dataclass
class MemberSeat:
    member: DelegationMember
    status: str
    position: int | None


def member_seats(delegation: Delegation) -> list[MemberSeat]:
    """Each member's status and waiting-list position (one position for a group that waits)."""
    return [
        MemberSeat(m, reg.status_view(m.registration).overall, reg.event_position(m.registration))
        for m in delegation.members
    ]


def delegation_status(delegation: Delegation) -> str:
    """confirmed, pending, waitlisted, partial or cancelled, from the members' registrations."""
    statuses = {m.registration.status for m in delegation.members} - {REG_CANCELLED, REG_REFUSED}
    if not statuses:
        return STATUS_CANCELLED
    if statuses == {REG_WAITLISTED}:
        return STATUS_WAITLISTED
    if REG_WAITLISTED in statuses:
        return STATUS_PARTIAL
    if REG_PENDING in statuses:
        return STATUS_PENDING
    return STATUS_CONFIRMED


def status_label(status: str) -> str:
    return {
        STATUS_CONFIRMED: _("confirmée"),
        STATUS_WAITLISTED: _("en liste d'attente"),
        STATUS_PENDING: _("en attente de validation"),
        STATUS_PARTIAL: _("en partie en liste d'attente"),
        STATUS_CANCELLED: _("annulée"),
    }.get(status, status)


def event_delegations(event: Event) -> list[Delegation]:
    return list(
        db.session.scalars(
            select(Delegation)
            .where(Delegation.event_id == event.id)
            .order_by(Delegation.name, Delegation.id)
        )
    )


def delegation_of(registration: Registration) -> Delegation | None:
    """The delegation a registration belongs to, if any."""
    return db.session.scalar(
        select(Delegation)
        .join(DelegationMember)
        .where(DelegationMember.registration_id == registration.id)
    )


# ------------------------------------------------------------------------------- head's link


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def role_labels() -> dict[str, str]:
    """A member's role in the group, in the current language."""
    return {
        "elected": _l("Élu·e"),
        "engineer": _l("Ingénieur·e"),
        "technician": _l("Technicien·ne"),
        "interpreter": _l("Interprète"),
        "other": _l("Autre"),
    }


def link_token(delegation: Delegation) -> str:
    """The head's private link: the delegation id and its random secret, signed with SECRET_KEY."""
    return _serializer().dumps([delegation.id, delegation.link_secret])


def delegation_from_link(token: str) -> Delegation:
    """The delegation behind the head's link, or InvalidLink."""
    try:
        payload = _serializer().loads(token)
        delegation_id, secret = int(payload[0]), str(payload[1])
    except (BadSignature, TypeError, ValueError, IndexError, KeyError):
        raise InvalidLink(
            _l(
                "Ce lien n'est pas valide : il a peut-être été modifié ou mal copié. Copiez le lien complet depuis l'e-mail reçu."
            ),
            reason="tampered",
        ) from None
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or not secrets.compare_digest(delegation.link_secret, secret):
        raise InvalidLink(
            _l("Cette délégation n'existe plus ou ce lien a été remplacé."), reason="unknown"
        )
    return delegation


def changes_deadline(delegation: Delegation) -> datetime:
    """Until when the head may change the members: the organiser's date, else the close of
    registrations, else the start of the event's first day."""
    if delegation.changes_until is not None:
        return delegation.changes_until
    settings = reg.load_settings(delegation.event)
    if settings.closes_at is not None:
        return settings.closes_at
    event = delegation.event
    return datetime.combine(event.start_date, time(0, 0), tzinfo=event.tz)


def check_changes_open(delegation: Delegation, now: datetime | None = None) -> None:
    deadline = changes_deadline(delegation)
    if (now or utcnow()) >= deadline:
        raise DelegationLocked(
            _l("Les changements de membres étaient possibles jusqu'au %(date)s : contactez les organisateurs.",
               date=i18n.format_day_time(deadline, get_locale(), delegation.event.tz))
        )  # fmt: skip


def update_arrangements(
    delegation: Delegation,
    *,
    changes_until: datetime | None,
    arrival_at: datetime | None,
    departure_at: datetime | None,
    travel_notes: str,
) -> None:
    """The organiser sets the deadline of the head's changes and corrects arrival and departure."""
    if arrival_at and departure_at and departure_at < arrival_at:
        message = _("Le départ ne peut pas précéder l'arrivée.")
        raise DelegationInvalid(
            message, errors={"departure_at": [message]}, codes={"departure_at": "invalid_dates"}
        )
    delegation.changes_until = changes_until
    delegation.arrival_at, delegation.departure_at = arrival_at, departure_at
    delegation.travel_notes = " ".join(travel_notes.split())[:300]
    db.session.flush()
