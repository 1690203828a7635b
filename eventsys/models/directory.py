"""The network's directory of engineers (languages, what they volunteer for) and the translations
its volunteers do for events.

A profile lives across events and belongs to a verified e-mail address: it becomes `active` only
when its owner saves it from a link sent to that address (their registration's private link, an
invitation, or the confirmation e-mail of a profile a coordinator created). Languages are rows of
their own (`directory_languages`) so that a search by language pair and level is one SQL query;
roles and topics are short lists kept as JSON, filtered after the language join.

A translation request asks for one target (a programme session, or the event itself) in one
language; each volunteer asked gets an invitation with a private link. The first to accept takes
the request; the organiser publishes the submitted text into the target's `translations`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.extensions import db
from eventsys.models.events import Event
from eventsys.models.people import User
from eventsys.models.programme import ProgrammeSession
from eventsys.models.types import UTCDateTime, utcnow

PROFILE_PENDING = "pending_confirmation"
PROFILE_ACTIVE = "active"
VISIBILITY_COORDINATORS = "coordinators"
VISIBILITY_MEMBERS = "members"
VISIBILITIES = (VISIBILITY_COORDINATORS, VISIBILITY_MEMBERS)

# Request statuses, in the order a request goes through them; `closed`: its volunteer erased
# their profile before submitting.
REQUEST_ASKED = "asked"
REQUEST_ACCEPTED = "accepted"
REQUEST_SUBMITTED = "submitted"
REQUEST_PUBLISHED = "published"
REQUEST_DECLINED = "declined"
REQUEST_CLOSED = "closed"
REQUEST_STATUSES = (
    REQUEST_ASKED,
    REQUEST_ACCEPTED,
    REQUEST_SUBMITTED,
    REQUEST_PUBLISHED,
    REQUEST_DECLINED,
    REQUEST_CLOSED,
)
OPEN_REQUESTS = (REQUEST_ASKED, REQUEST_ACCEPTED)
INVITE_INVITED = "invited"
INVITE_ACCEPTED = "accepted"
INVITE_DECLINED = "declined"
INVITE_WITHDRAWN = "withdrawn"  # another volunteer accepted first, or the profile was erased
TARGET_SESSION = "session"
TARGET_EVENT = "event"
TARGET_DOCUMENT = "document"  # one attachment of a session (text holds its "source_url")


class DirectoryProfile(db.Model):
    """One engineer of the network, as they describe themselves."""

    __tablename__ = "directory_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(20), default="")
    language: Mapped[str] = mapped_column(String(8), default="fr")  # of the e-mails sent to them
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    visibility: Mapped[str] = mapped_column(String(20), default=VISIBILITY_COORDINATORS)
    show_email: Mapped[bool] = mapped_column(default=False)  # to other members
    status: Mapped[str] = mapped_column(String(24), default=PROFILE_PENDING)
    link_secret: Mapped[str] = mapped_column(String(64))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The retention period runs from the last time the person saved or confirmed their profile.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    languages: Mapped[list[DirectoryLanguage]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="DirectoryLanguage.id"
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.status == PROFILE_ACTIVE

    def level_of(self, code: str) -> str | None:
        """The level stated for a language, or None when the person does not list it."""
        return next((row.level for row in self.languages if row.code == code), None)


class DirectoryLanguage(db.Model):
    """A language a member offers, with a level (CEFR A1–C2 or native)."""

    __tablename__ = "directory_languages"
    __table_args__ = (UniqueConstraint("profile_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("directory_profiles.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(3), index=True)  # ISO 639-1
    level: Mapped[str] = mapped_column(String(8))

    profile: Mapped[DirectoryProfile] = relationship(back_populates="languages")


class DirectoryCoordinator(db.Model):
    """An account an administrator made coordinator of the directory (a platform role)."""

    __tablename__ = "directory_coordinators"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class TranslationRequest(db.Model):
    """An organiser's request to translate a session (title, abstract) or the event into a language."""

    __tablename__ = "translation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(10), default=TARGET_SESSION)
    source_language: Mapped[str] = mapped_column(String(3))
    language: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12), default=REQUEST_ASKED)
    min_level: Mapped[str] = mapped_column(String(8), default="B2")  # asked of both languages
    requester_language: Mapped[str] = mapped_column(String(8), default="fr")  # of their e-mails
    note: Mapped[str] = mapped_column(Text, default="")  # the organiser's word to volunteers
    # What the volunteer wrote, then what the organiser publishes: {field: text}.
    text: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_profiles.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    session: Mapped[ProgrammeSession | None] = relationship()
    requested_by: Mapped[User | None] = relationship()
    volunteer: Mapped[DirectoryProfile | None] = relationship()
    invitations: Mapped[list[TranslationInvitation]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="TranslationInvitation.id"
    )


class TranslationInvitation(db.Model):
    """One volunteer asked to do one request, reached through a private link."""

    __tablename__ = "translation_invitations"
    __table_args__ = (UniqueConstraint("request_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("translation_requests.id", ondelete="CASCADE"), index=True
    )
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("directory_profiles.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default=INVITE_INVITED)
    link_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    request: Mapped[TranslationRequest] = relationship(back_populates="invitations")
    profile: Mapped[DirectoryProfile] = relationship()
