"""Foreign delegations, technical visits and study trips.

A delegation is a group that comes together: a head (who may or may not attend), a country, an
institution, members, arrival and departure, and the language pairs it needs interpreted in which
sessions. Each member holds an ordinary registration (models/registration.py): seats, waiting
lists, badges and the personal agenda are the registration's; the member row only adds the role in
the group and whether the person has an address of their own (without one, their e-mails go to the
head). A group that comes "all of us or none" shares one waiting-list ticket (services/registration).

The interpreting plan stores only the organiser's decisions (`InterpretingAssignment`): where none
was taken, the plan proposes the delegation's own interpreter (services/delegations/interpreting.py).

A technical visit is a programme session of type `technical_visit` with its practical details in
`TechnicalVisit`; a study trip is an event whose days each have their site and time zone
(`StudyTripDay`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.extensions import db
from eventsys.models.directory import DirectoryProfile
from eventsys.models.events import Event
from eventsys.models.programme import ProgrammeSession
from eventsys.models.registration import Registration
from eventsys.models.types import UTCDateTime, utcnow

ROLE_ELECTED = "elected"
ROLE_ENGINEER = "engineer"
ROLE_TECHNICIAN = "technician"
ROLE_INTERPRETER = "interpreter"
ROLE_OTHER = "other"
MEMBER_ROLES = (ROLE_ELECTED, ROLE_ENGINEER, ROLE_TECHNICIAN, ROLE_INTERPRETER, ROLE_OTHER)

TECHNICAL_VISIT = "technical_visit"  # ProgrammeSession.type of a technical visit


class Delegation(db.Model):
    """A group from abroad registered together by its head (or by an organiser for them)."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2, upper case
    institution: Mapped[str] = mapped_column(String(200), default="")
    head_first_name: Mapped[str] = mapped_column(String(100))
    head_last_name: Mapped[str] = mapped_column(String(100))
    head_email: Mapped[str] = mapped_column(String(254))
    head_language: Mapped[str] = mapped_column(String(8), default="fr")
    all_or_none: Mapped[bool] = mapped_column(default=False)
    arrival_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    departure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    travel_notes: Mapped[str] = mapped_column(String(300), default="")  # train, flight, hotel
    # The head may change the members until then (None: until registrations close).
    changes_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    link_secret: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(12), default="web")  # web, api, organiser
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    members: Mapped[list[DelegationMember]] = relationship(
        back_populates="delegation",
        cascade="all, delete-orphan",
        order_by="DelegationMember.position, DelegationMember.id",
    )
    interpreting: Mapped[list[InterpretingNeed]] = relationship(
        back_populates="delegation", cascade="all, delete-orphan", order_by="InterpretingNeed.id"
    )

    @property
    def head_name(self) -> str:
        return f"{self.head_first_name} {self.head_last_name}".strip()


class DelegationMember(db.Model):
    """One member of a delegation: their registration and their role in the group."""

    __tablename__ = "delegation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    role: Mapped[str] = mapped_column(String(20), default=ROLE_ENGINEER)
    own_address: Mapped[bool] = mapped_column(default=True)  # False: e-mails go to the head
    position: Mapped[int] = mapped_column(default=0)

    delegation: Mapped[Delegation] = relationship(back_populates="members")
    registration: Mapped[Registration] = relationship()


class InterpretingNeed(db.Model):
    """A language pair a delegation needs interpreted, and in which sessions."""

    __tablename__ = "delegation_interpreting"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )
    source_language: Mapped[str] = mapped_column(String(8))
    target_language: Mapped[str] = mapped_column(String(8))
    session_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    delegation: Mapped[Delegation] = relationship(back_populates="interpreting")


class InterpretingAssignment(db.Model):
    """The organiser's choice of interpreter for one language pair in one session."""

    __tablename__ = "interpreting_assignments"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "source_language", "target_language", name="uq_interpreting_pair"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id", ondelete="CASCADE"))
    source_language: Mapped[str] = mapped_column(String(8))
    target_language: Mapped[str] = mapped_column(String(8))
    # A delegation's interpreter, a volunteer of the directory, or someone named when both None.
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation_members.id", ondelete="SET NULL")
    )
    interpreter_name: Mapped[str] = mapped_column(String(200), default="")
    # A volunteer of the directory, linked to their profile (their name is read there; erasing
    # the profile leaves the pair without an interpreter).
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_profiles.id", ondelete="SET NULL")
    )

    session: Mapped[ProgrammeSession] = relationship()
    member: Mapped[DelegationMember | None] = relationship()
    profile: Mapped[DirectoryProfile | None] = relationship()


class TechnicalVisit(db.Model):
    """Practical details of a technical visit (a session of type `technical_visit`)."""

    __tablename__ = "technical_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"), unique=True
    )
    meeting_point: Mapped[str] = mapped_column(String(300), default="")
    meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    transport: Mapped[str] = mapped_column(String(300), default="")
    host: Mapped[str] = mapped_column(String(200), default="")  # who receives the group on site
    site: Mapped[str] = mapped_column(String(300), default="")  # name and address of the site

    session: Mapped[ProgrammeSession] = relationship()


class StudyTripDay(db.Model):
    """One day of a study trip: its site, time zone, meeting point, transport and host."""

    __tablename__ = "study_trip_days"
    __table_args__ = (UniqueConstraint("event_id", "day", name="uq_study_trip_days_event_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    site: Mapped[str] = mapped_column(String(300))
    address: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    meeting_point: Mapped[str] = mapped_column(String(300), default="")
    meeting_time: Mapped[str] = mapped_column(String(5), default="")  # "08:30", local to the day
    transport: Mapped[str] = mapped_column(String(300), default="")
    host: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship()
