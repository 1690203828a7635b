"""Events and what belongs to them: rooms, speakers, tracks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.extensions import db
from eventsys.models.translatable import (
    CONTENT_LANGUAGES,
    DEFAULT_LANGUAGE,
    DEFAULT_OFFERED,
    Translatable,
)
from eventsys.models.types import UTCDateTime, utcnow

KIND_TRAINING_DAY = "training_day"
KIND_CONFERENCE = "conference"
KIND_NETWORK = "network_meeting"
EVENT_KINDS = (KIND_TRAINING_DAY, KIND_CONFERENCE, KIND_NETWORK)

STATUS_DRAFT = "draft"
STATUS_PUBLISHED = "published"
STATUS_CANCELLED = "cancelled"
EVENT_STATUSES = (STATUS_DRAFT, STATUS_PUBLISHED, STATUS_CANCELLED)


class Event(Translatable, db.Model):
    """A training day, a national workshop/conference or a network meeting."""

    __tablename__ = "events"
    TRANSLATABLE = ("title", "subtitle", "context", "audience", "access_notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # canonical: upper case, no spaces
    code_display: Mapped[str] = mapped_column(String(24))  # as printed: "Z26IN 001"
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(20), default=KIND_TRAINING_DAY)
    start_date: Mapped[date]
    end_date: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(Text, default="")
    access_notes: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[str] = mapped_column(Text, default="")
    # Main language: the language of the text columns (see models/translatable.py).
    default_language: Mapped[str] = mapped_column(String(8), default=DEFAULT_LANGUAGE)
    # Offered languages, comma-separated ("fr,en"); `language_list` puts the main one first.
    languages: Mapped[str] = mapped_column(String(64), default=",".join(DEFAULT_OFFERED))
    # True: the event's pages (public, registration, private link) offer only its languages in
    # the language switch; false: every interface language, content falling back to the main one.
    restrict_languages: Mapped[bool] = mapped_column(default=False)
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_DRAFT, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    rooms: Mapped[list[Room]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Room.position, Room.id"
    )
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Speaker.name"
    )
    tracks: Mapped[list[Track]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Track.name"
    )
    sessions: Mapped[list[ProgrammeSession]] = relationship(  # noqa: F821
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="ProgrammeSession.starts_at, ProgrammeSession.id",
    )
    roles: Mapped[list[EventRole]] = relationship(  # noqa: F821
        back_populates="event", cascade="all, delete-orphan"
    )

    @property
    def tz(self) -> ZoneInfo:
        """The event's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def main_language(self) -> str:
        return self.default_language or DEFAULT_LANGUAGE

    @property
    def language_list(self) -> list[str]:
        """Offered languages, main language first (the main language is always offered)."""
        codes = [code.strip() for code in (self.languages or "").split(",")]
        known = [code for code in codes if code in CONTENT_LANGUAGES]
        return list(dict.fromkeys([self.main_language, *known]))

    @property
    def other_languages(self) -> list[str]:
        """Offered languages other than the main one: those an organiser may translate into."""
        return self.language_list[1:]

    @property
    def is_published(self) -> bool:
        return self.status == STATUS_PUBLISHED


class Room(Translatable, db.Model):
    """A room of the venue."""

    __tablename__ = "rooms"
    TRANSLATABLE = ("name", "location_notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int | None]
    location_notes: Mapped[str] = mapped_column(Text, default="")
    # Reachable without steps (or by lift): True yes, False no, None not known. Not known until an
    # organiser says so: an accessibility claim nobody checked must not be published.
    step_free: Mapped[bool | None] = mapped_column(default=None)
    position: Mapped[int] = mapped_column(default=0)
    # A foyer, an exhibition hall: several sessions at once there are not a double booking.
    shared: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    event: Mapped[Event] = relationship(back_populates="rooms")


class Speaker(db.Model):
    """Someone who speaks, moderates, facilitates or chairs."""

    __tablename__ = "speakers"
    __table_args__ = (UniqueConstraint("event_id", "source_id", name="uq_speakers_event_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The person's id in the tool the programme was imported from: two people of the same name
    # (or names differing in case only) stay two people.
    source_id: Mapped[str | None] = mapped_column(String(120))
    guid: Mapped[str | None] = mapped_column(String(36))  # the person's GUID in that tool
    function: Mapped[str] = mapped_column(String(300), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")  # private: never shown publicly
    or_representative: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(back_populates="speakers")


class Track(db.Model):
    """A theme that groups sessions."""

    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    colour: Mapped[str] = mapped_column(String(7), default="#1f5f99")

    event: Mapped[Event] = relationship(back_populates="tracks")
