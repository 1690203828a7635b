"""On-site check-in: badge credentials, the history of every scan, staff tokens for the desk.

A badge's QR code carries a signed token (services/tokens.py) with a per-registration nonce kept
in `BadgeCredential`: drawing a new nonce revokes every badge printed before. Each scan, good or
bad, is one `CheckIn` row; the client's nonce is unique per event so a retried request never
counts twice. A check-in that counts holds `counted_key` (unique): two scans of the same badge
racing on two desks cannot both count, on SQLite or PostgreSQL, whatever the timing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.extensions import db
from eventsys.models.events import Event
from eventsys.models.people import User
from eventsys.models.programme import ProgrammeSession
from eventsys.models.registration import Registration
from eventsys.models.types import UTCDateTime, utcnow

# CheckIn.result: what the desk is told.
RESULT_OK = "ok"
RESULT_ALREADY = "already_checked_in"
RESULT_INVALID = "invalid"
RESULT_WRONG_EVENT = "wrong_event"
RESULT_CANCELLED = "cancelled"
RESULT_NOT_CONFIRMED = "not_confirmed"
CHECKIN_RESULTS = (
    RESULT_OK, RESULT_ALREADY, RESULT_INVALID, RESULT_WRONG_EVENT, RESULT_CANCELLED, RESULT_NOT_CONFIRMED,
)  # fmt: skip

# CheckIn.reason, for `invalid`: why the text is not a valid badge of this event.
REASON_MALFORMED = "malformed"  # not a badge token: another QR code, half a code, a typo
REASON_BAD_SIGNATURE = "bad_signature"  # well formed but altered, or from another installation
REASON_UNSUPPORTED = "unsupported_version"
REASON_REVOKED = "revoked"  # a badge replaced by a newer one
REASON_UNKNOWN = "unknown"  # a genuine token whose registration no longer exists
INVALID_REASONS = (
    REASON_MALFORMED,
    REASON_BAD_SIGNATURE,
    REASON_UNSUPPORTED,
    REASON_REVOKED,
    REASON_UNKNOWN,
)

METHOD_QR = "qr"
METHOD_MANUAL = "manual"  # found by name at the desk


class BadgeCredential(db.Model):
    """The nonce printed in a registration's badge; issued on first print, replaced to revoke."""

    __tablename__ = "badge_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    nonce: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The registration's creation time when the nonce was drawn: a person who cancels and registers
    # again keeps the same row (with a new created_at), and the badges of the old registration die.
    registration_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()


class StaffToken(db.Model):
    """A secret link for one desk of one event: check-in only, expires, revocable (only a hash is kept)."""

    __tablename__ = "staff_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    event: Mapped[Event] = relationship()
    created_by: Mapped[User | None] = relationship()

    PREFIX = "evst_"

    @staticmethod
    def hash(raw: str) -> str:
        """A long random secret needs no slow hash."""
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        """A new raw token, shown once."""
        return cls.PREFIX + secrets.token_urlsafe(24)


class CheckIn(db.Model):
    """One scan at a desk or a room door, whatever its result (the history is never rewritten)."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("event_id", "nonce", name="uq_checkins_event_nonce"),
        Index("ix_checkins_event_scope", "event_id", "session_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="SET NULL"), index=True
    )
    day: Mapped[date]  # the event's local day of the scan: door attendance counts per day
    result: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(24), default="")
    method: Mapped[str] = mapped_column(String(10), default=METHOD_QR)
    nonce: Mapped[str] = mapped_column(String(64))  # the client's idempotency key
    payload_hash: Mapped[str] = mapped_column(
        String(16), default=""
    )  # to spot a nonce reused for another scan
    # Set while this scan counts as the person's presence (door: per day, session: per session).
    counted_key: Mapped[str | None] = mapped_column(String(48), unique=True)
    device: Mapped[str] = mapped_column(String(100), default="")
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    staff_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_tokens.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The first successful check-in of that person (for "already checked in since …").
    first_checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration | None] = relationship()
    session: Mapped[ProgrammeSession | None] = relationship()
    staff_user: Mapped[User | None] = relationship()
    staff_token: Mapped[StaffToken | None] = relationship()

    @property
    def counts(self) -> bool:
        return self.counted_key is not None
