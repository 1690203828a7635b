"""Registrations: per-event settings, custom questions, registrations, session choices, answers, outbox.

Seats are allocated inside a transaction that first locks the event's `RegistrationSettings` row
(see services/registration/). The numbers that allocation reads (places held and people waiting
for the event, seats taken and people waiting per session) are counters kept by the database
itself: triggers on `registrations` and `registration_choices` (models/counters.py) add and remove
each row's contribution in the same transaction as the row, whatever code changed it (the ORM,
a bulk statement, a cascade), so they cannot drift from the rows; reading them costs the same for
ten registrations as for ten thousand, where counting the rows under the lock grew with the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.extensions import db
from eventsys.models.counters import install as install_counter_triggers
from eventsys.models.events import Event
from eventsys.models.programme import ProgrammeSession
from eventsys.models.search_key import KEY_MAX, search_key
from eventsys.models.translatable import Translatable
from eventsys.models.types import UTCDateTime, utcnow

# Registration.status
REG_PENDING = "pending"  # holds a place, awaits an organiser's approval (moderation)
REG_CONFIRMED = "confirmed"
REG_WAITLISTED = "waitlisted"  # on the event's waiting list
REG_CANCELLED = "cancelled"
REG_REFUSED = "refused"
REG_STATUSES = (REG_PENDING, REG_CONFIRMED, REG_WAITLISTED, REG_CANCELLED, REG_REFUSED)
HOLDING_PLACE = (REG_PENDING, REG_CONFIRMED)
ACTIVE_STATUSES = (REG_PENDING, REG_CONFIRMED, REG_WAITLISTED)

# RegistrationChoice.status
CHOICE_CONFIRMED = "confirmed"  # has a seat in the session
CHOICE_WAITLISTED = "waitlisted"  # on the session's waiting list
CHOICE_REQUESTED = "requested"  # wished for; the person is still on the event's waiting list
CHOICE_CANCELLED = "cancelled"
CHOICE_STATUSES = (CHOICE_CONFIRMED, CHOICE_WAITLISTED, CHOICE_REQUESTED, CHOICE_CANCELLED)
LIVE_CHOICES = (CHOICE_CONFIRMED, CHOICE_WAITLISTED, CHOICE_REQUESTED)

# How the organiser wants each optional part of the form.
FIELD_REQUIRED = "required"
FIELD_OPTIONAL = "optional"
FIELD_HIDDEN = "hidden"
FIELD_MODES = (FIELD_REQUIRED, FIELD_OPTIONAL, FIELD_HIDDEN)
CONFIGURABLE_FIELDS = (
    "organisation", "organisation_type", "job_title", "sessions", "networking", "lunch", "accessibility",
)  # fmt: skip
DEFAULT_FIELD_MODES = {
    "organisation": FIELD_REQUIRED,
    "organisation_type": FIELD_OPTIONAL,
    "job_title": FIELD_OPTIONAL,
    "sessions": FIELD_OPTIONAL,
    "networking": FIELD_OPTIONAL,
    "lunch": FIELD_OPTIONAL,
    "accessibility": FIELD_OPTIONAL,
}

ORG_LOCAL_AUTHORITY = "local_authority"
ORG_OTHER = "other"
ORGANISATION_TYPES = (ORG_LOCAL_AUTHORITY, ORG_OTHER)

QUESTION_TEXT = "text"
QUESTION_CHOICE = "choice"
QUESTION_YESNO = "yesno"
QUESTION_KINDS = (QUESTION_TEXT, QUESTION_CHOICE, QUESTION_YESNO)

MAIL_PENDING = "pending"
MAIL_SENT = "sent"
MAIL_FAILED = "failed"  # gave up after the last attempt


class RegistrationSettings(Translatable, db.Model):
    """How one event takes registrations; its row is also the lock that serialises seat allocation."""

    __tablename__ = "registration_settings"
    TRANSLATABLE = ("email_message",)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    capacity: Mapped[int | None]  # None: no limit at event level
    moderation: Mapped[bool] = mapped_column(default=False)
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    retention_months: Mapped[int] = mapped_column(default=12)
    field_modes: Mapped[dict[str, str]] = mapped_column(
        JSON, default=lambda: dict(DEFAULT_FIELD_MODES)
    )
    networking_themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The organiser's own paragraph in every registration e-mail (practical details: access, what
    # to bring), in the event's main language; other languages in `translations`.
    email_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    # Monotonic ticket counter: every submission that may wait draws the next number (FIFO order).
    ticket_counter: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Kept by the database's triggers (models/counters.py); never written by the application.
    held_count: Mapped[int] = mapped_column(default=0, server_default="0")  # confirmed + pending
    waiting_count: Mapped[int] = mapped_column(default=0, server_default="0")  # event waiting list

    event: Mapped[Event] = relationship()

    def mode(self, name: str) -> str:
        """required / optional / hidden for a configurable part of the form."""
        modes = {**DEFAULT_FIELD_MODES, **(self.field_modes or {})}
        return modes.get(name, FIELD_OPTIONAL)


class CustomQuestion(Translatable, db.Model):
    """An extra question an organiser adds to the form; `options` translate position by position."""

    __tablename__ = "registration_questions"
    TRANSLATABLE = ("label", "options")

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10), default=QUESTION_TEXT)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)  # for QUESTION_CHOICE
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    event: Mapped[Event] = relationship()

    def localized_options(self, locale: Any) -> list[tuple[str, str]]:
        """(stored value, label shown) per option: answers keep the main language's wording."""
        shown = self.translation(locale, "options") or []
        return [
            (option, shown[i] if i < len(shown) and shown[i].strip() else option)
            for i, option in enumerate(self.options or [])
        ]


class Registration(db.Model):
    """One person's registration to one event (at most one per e-mail address)."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "email_key", name="uq_registrations_event_email"),
        Index("ix_registrations_event_status", "event_id", "status", "ticket"),
        # The desk's name search reads this index alone for an event's people (models/search_key.py).
        Index("ix_registrations_event_search", "event_id", "search_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=REG_CONFIRMED)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254))  # normalised, the uniqueness key
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # Name and organisation folded for search (no accents, case, hyphens): kept by `_fill_search_key`.
    search_key: Mapped[str] = mapped_column(String(KEY_MAX), default="", server_default="")
    organisation_type: Mapped[str] = mapped_column(String(20), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    lunch: Mapped[bool | None]
    accessibility: Mapped[str] = mapped_column(Text, default="")
    networking_opt_in: Mapped[bool] = mapped_column(default=False)
    networking_themes: Mapped[list[str]] = mapped_column(
        JSON, default=list
    )  # ranked, first = preferred
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(12), default="web")  # web, api, import, organiser
    ticket: Mapped[int] = mapped_column(default=0)  # FIFO ticket drawn when (re)submitted
    # Random secret of the private link; the URL carries it signed with SECRET_KEY (see services).
    link_secret: Mapped[str] = mapped_column(String(64), default="")
    link_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # approved or refused
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    choices: Mapped[list[RegistrationChoice]] = relationship(
        back_populates="registration",
        cascade="all, delete-orphan",
        order_by="RegistrationChoice.id",
    )
    answers: Mapped[list[Answer]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="Answer.question_id"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def live_choices(self) -> list[RegistrationChoice]:
        return [c for c in self.choices if c.status in LIVE_CHOICES]

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDING_PLACE

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def fill_search_key(registration: Registration) -> None:
    """Recompute the folded name the desk searches; called before every INSERT and UPDATE."""
    registration.search_key = search_key(
        registration.first_name, registration.last_name, registration.organisation
    )


@sa_event.listens_for(Registration, "before_insert")
@sa_event.listens_for(Registration, "before_update")
def _fill_search_key(_mapper: Any, _connection: Any, registration: Registration) -> None:
    fill_search_key(registration)


class RegistrationChoice(db.Model):
    """A person's wish for one session that takes registrations, with its seat or queue ticket."""

    __tablename__ = "registration_choices"
    __table_args__ = (
        UniqueConstraint(
            "registration_id", "session_id", name="uq_registration_choices_registration_session"
        ),
        Index("ix_registration_choices_session_status", "session_id", "status", "ticket"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=CHOICE_CONFIRMED)
    ticket: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="choices")
    session: Mapped[ProgrammeSession] = relationship()


class SessionSeatCount(db.Model):
    """Seats taken and people waiting in one session; kept by the database's triggers
    (models/counters.py), never written by the application. No row: nobody yet."""

    __tablename__ = "registration_session_counts"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    seats: Mapped[int] = mapped_column(default=0, server_default="0")  # choices confirmed
    waiting: Mapped[int] = mapped_column(default=0, server_default="0")  # choices waitlisted


class Answer(db.Model):
    """The answer to a custom question."""

    __tablename__ = "registration_answers"
    __table_args__ = (
        UniqueConstraint("registration_id", "question_id", name="uq_registration_answers_question"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("registration_questions.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question: Mapped[CustomQuestion] = relationship()


class OutboxMessage(db.Model):
    """An e-mail waiting to be delivered (or delivered): written in the same transaction as its cause."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30), default="")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=MAIL_PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(
        UTCDateTime()
    )  # claimed by a sender until then
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A notice to a registered person is queued as what it must say (status, waiting-list
    # positions, the link's host) and written in their language when it is sent: rendering the
    # templates stays out of the registration's locked section. Empty subject and bodies until then.
    notice: Mapped[dict[str, Any] | None] = mapped_column(JSON)


install_counter_triggers(db.metadata)
