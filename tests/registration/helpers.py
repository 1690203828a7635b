"""Helpers of the registration tests."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from eventsys.extensions import db as _db
from eventsys.models.registration import OutboxMessage, Registration
from eventsys.services import delivery

FUTURE = datetime.now(UTC).date() + timedelta(days=60)


def letters(n: int) -> str:
    """A number spelt with letters (names may not contain digits): 12 -> "bc"."""
    return "".join("abcdefghij"[int(d)] for d in str(n))


def person(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """Form data of a valid registration."""
    return {
        "first_name": "Camille",
        "last_name": f"Martin-{letters(n)}",
        "email": f"camille.martin{n}@ville-exemple.fr",
        "organisation": "Ville d'Exemple",
        "organisation_type": "local_authority",
        "job_title": "Chargée de mission Europe",
        "language": "fr",
        "consent": "y",
        **overrides,
    }


def registration_input(n: int = 1, sessions=(), **overrides: Any):
    from eventsys.services.registration import RegistrationInput

    data = {
        "first_name": "Camille",
        "last_name": f"Martin-{letters(n)}",
        "email": f"camille.martin{n}@ville-exemple.fr",
        "organisation": "Ville d'Exemple",
        "consent": True,
        "sessions": list(sessions),
        **overrides,
    }
    return RegistrationInput(**data)


def outbox(to: str | None = None, kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        query = query.where(OutboxMessage.to_addr == to)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    messages = list(_db.session.scalars(query))
    for message in messages:  # as the sender writes them: what the person will read
        delivery.write_pending(message)
    return messages


def registrations(event) -> list[Registration]:
    return list(_db.session.scalars(select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)))


def slot_field(html: str, session_id: int) -> str:
    """The radio group name that offers this session in a page."""
    match = re.search(rf'name="(slot_\d+)"[^>]*value="{session_id}"', html) or re.search(
        rf'value="{session_id}"[^>]*name="(slot_\d+)"', html
    )
    assert match, f"session {session_id} not offered"
    return match.group(1)




def page(response) -> str:
    """The response body with HTML entities decoded (apostrophes come out as &#39;)."""
    return html.unescape(response.get_data(as_text=True))


PRIVATE_LINK = re.compile(r"https?://[^/\s\"<>]+(/r/[A-Za-z0-9_.\-]+)")


def private_link(email: str) -> str:
    """The private page's path as the person gets it: from the last e-mail sent to them (after a
    public registration the page only says "check your mailbox", whoever registers)."""
    messages = outbox(to=email)
    assert messages, f"no e-mail to {email}"
    match = PRIVATE_LINK.search(messages[-1].body_text)
    assert match, f"no private link in the last e-mail to {email}"
    return match.group(1)
