"""The demo mailbox: the outbox as each recipient sees their messages, in development and demo mode.

Organisers read the messages sent about the events they organise (an administrator reads them
all): decoded HTML and text, and the attached files, built by the same code that sends them.
Never in production: the pages exist only when the app runs in debug mode or with
EVENTSYS_DEMO_MAILBOX=true (dev.py demo sets it).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Select, select

from eventsys.extensions import db
from eventsys.models import Event, EventRole, User
from eventsys.models.people import ROLE_ORGANISER
from eventsys.models.registration import MAIL_PENDING, OutboxMessage, Registration
from eventsys.services.mail import ReadableMail, build_email, readable

LIST_LIMIT = 200


def enabled(app: Flask) -> bool:
    """Whether this app shows the demo mailbox: debug mode or the demo setting, never otherwise."""
    return bool(app.debug or app.config.get("DEMO_MAILBOX"))


def _visible(user: User) -> Select:
    query = select(OutboxMessage)
    if user.is_admin:
        return query
    organised = select(EventRole.event_id).where(EventRole.user_id == user.id, EventRole.role == ROLE_ORGANISER)
    return query.join(Registration, OutboxMessage.registration_id == Registration.id).where(
        Registration.event_id.in_(organised)
    )


def may_read(user: User) -> bool:
    """Organisers (of any event) and administrators."""
    if user.is_admin:
        return True
    return db.session.scalar(
        select(EventRole.id).where(EventRole.user_id == user.id, EventRole.role == ROLE_ORGANISER).limit(1)
    ) is not None


def messages_for(user: User, limit: int = LIST_LIMIT) -> list[OutboxMessage]:
    """The newest messages the user may read, newest first."""
    query = _visible(user).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def message_for(user: User, message_id: int) -> OutboxMessage | None:
    """One message the user may read, or None (unknown or someone else's)."""
    return db.session.scalar(_visible(user).where(OutboxMessage.id == message_id))


def event_of(message: OutboxMessage) -> Event | None:
    registration = db.session.get(Registration, message.registration_id) if message.registration_id else None
    return registration.event if registration is not None else None


def written(message: OutboxMessage) -> bool:
    """A notice is written when it is sent: until then there is nothing to show."""
    return bool(message.body_text) or message.status != MAIL_PENDING


def rendered(message: OutboxMessage, sender: str) -> ReadableMail:
    """The message as its recipient reads it (the attached agenda as it is now)."""
    return readable(build_email(message, sender))
