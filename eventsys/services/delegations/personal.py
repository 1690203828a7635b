"""Personal data (RGPD) of a delegation's head: what the delegation stores about them (name,
address, language) and the e-mails sent to them, to export or erase.

The members' own data goes with their registrations (services/personal_data.py). Erasing the head
keeps the delegation and its members: the head's name and address are blanked, the e-mails to
them deleted and their private link stops working (the organiser manages the group from then on).
Functions flush, never commit.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import get_locale
from sqlalchemy import delete, select

from eventsys.extensions import db
from eventsys.models.delegation import Delegation
from eventsys.models.registration import OutboxMessage
from eventsys.models.types import utcnow
from eventsys.services.countries import country_name
from eventsys.services.personal_data import email_log, event_summary

FORMAT = "eventsys.delegation-head-data/1"
MAIL_KIND = "delegation"  # the kind of the head's e-mails (services/delegations/notices.py)


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _head_mail(delegation: Delegation) -> Any:
    """The head's e-mails: their summaries, and those of the members reached through them."""
    relayed = [m.registration_id for m in delegation.members if not m.own_address]
    return (OutboxMessage.to_addr == delegation.head_email) & (
        (OutboxMessage.kind == MAIL_KIND) | OutboxMessage.registration_id.in_(relayed)
    )


def head_data(delegation: Delegation) -> dict[str, Any]:
    """Everything stored about the head of this delegation, JSON-ready."""
    event = delegation.event
    locale = get_locale()
    messages = (
        db.session.scalars(
            select(OutboxMessage).where(_head_mail(delegation)).order_by(OutboxMessage.id)
        ).all()
        if delegation.head_email
        else []
    )
    return {
        "format": FORMAT,
        "exported_at": _when(utcnow()),
        "event": event_summary(event),
        "head": {
            "first_name": delegation.head_first_name,
            "last_name": delegation.head_last_name,
            "email": delegation.head_email,
            "language": delegation.head_language,
        },
        "delegation": {
            "name": delegation.name,
            "country": delegation.country,
            "country_name": country_name(delegation.country, str(locale or "fr")),
            "institution": delegation.institution,
            "members": len(delegation.members),
            "created_at": _when(delegation.created_at),
            "updated_at": _when(delegation.updated_at),
        },
        "emails": email_log(messages),
    }


def head_erased(delegation: Delegation) -> bool:
    return not (delegation.head_email or delegation.head_first_name or delegation.head_last_name)


def erase_head(delegation: Delegation) -> None:
    """Blank the head's name and address, delete the e-mails to them, end their private link.
    Members without an address of their own were reached at the head's: nobody is written to now."""
    if delegation.head_email:
        db.session.execute(
            delete(OutboxMessage)
            .where(_head_mail(delegation))
            .execution_options(synchronize_session=False)
        )
    for member in delegation.members:
        if not member.own_address and member.registration.email == delegation.head_email:
            member.registration.email = ""
    delegation.head_first_name = ""
    delegation.head_last_name = ""
    delegation.head_email = ""
    delegation.link_secret = secrets.token_urlsafe(32)
    db.session.flush()
