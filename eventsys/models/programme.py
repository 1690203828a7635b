"""Programme sessions and who speaks in them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.extensions import db
from eventsys.models.events import Event, Room, Speaker, Track
from eventsys.models.translatable import Translatable
from eventsys.models.types import UTCDateTime, utcnow

SESSION_TYPES = (
    "welcome",
    "opening",
    "talk",
    "plenary",
    "workshop",
    "interaction",
    "sharing",
    "speed_networking",
    "meal",
    "break",
    "closing",
    "technical_visit",
    "other",
)
SPEAKER_ROLES = ("speaker", "moderator", "facilitator", "chair")
SESSION_SCHEDULED = "scheduled"
SESSION_CANCELLED = "cancelled"


class ProgrammeSession(Translatable, db.Model):
    """One slot of the programme: a talk, a workshop, a break…"""

    __tablename__ = "programme_sessions"
    # A GUID or a source id names one session within its event: the same file imported into two
    # events gives each its own copy under the same names (issue 15).
    __table_args__ = (
        UniqueConstraint("event_id", "guid", name="uq_programme_sessions_event_guid"),
        UniqueConstraint("event_id", "source_id", name="uq_programme_sessions_event_source"),
    )
    TRANSLATABLE = ("title", "description")
    KEPT = ("links",)  # {"source", "url", "title"}: a language's version of an attachment

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    guid: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))
    # The session's id in the tool it was imported from (frab/pentabarf id, pretalx code, iCal UID).
    source_id: Mapped[str | None] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(30), default="talk")  # our kind, for the rules
    type_label: Mapped[str] = mapped_column(String(120), default="")  # what the source called it
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("tracks.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # RESTRICT: deleting a room that sessions use must be refused, never silently orphan them.
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="RESTRICT"), index=True
    )
    capacity: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[str] = mapped_column(String(64), default="fr")
    requires_registration: Mapped[bool] = mapped_column(default=False)
    # Speakers did not agree to be filmed unless the source says so.
    do_not_record: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    # [{"url", "title", "kind": "link" | "attachment"}], http(s) addresses only.
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=SESSION_SCHEDULED)
    sequence: Mapped[int] = mapped_column(default=0)  # raised on each change, for calendar clients
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="sessions")
    room: Mapped[Room | None] = relationship()
    track: Mapped[Track | None] = relationship()
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="SessionSpeaker.position, SessionSpeaker.id",
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == SESSION_CANCELLED

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class SessionSpeaker(db.Model):
    """A speaker's part in one session, with a role."""

    __tablename__ = "session_speakers"
    __table_args__ = (UniqueConstraint("session_id", "speaker_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="speaker")
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[ProgrammeSession] = relationship(back_populates="speakers")
    speaker: Mapped[Speaker] = relationship()
