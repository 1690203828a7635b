"""Accounts, per-event roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.extensions import db
from eventsys.models.types import UTCDateTime, utcnow

ROLE_ORGANISER = "organiser"
ROLE_STAFF = "staff"
EVENT_ROLES = (ROLE_ORGANISER, ROLE_STAFF)
# Platform role: who may create events at all (granted by an administrator; administrators may).
PLATFORM_ORGANISER = "organiser"
PLATFORM_ROLES = (PLATFORM_ORGANISER,)


class User(UserMixin, db.Model):
    """A person who can log in: organiser, staff member or administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    platform_role: Mapped[str | None] = mapped_column(String(20))  # PLATFORM_ORGANISER or None
    # Part of every session and remember cookie (see get_id): bumping it ends them all at once
    # (password changed or reset, "log out everywhere").
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    roles: Mapped[list[EventRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: the id and the
        session version, so a cookie of an older version no longer loads the account."""
        return f"{self.id}:{self.session_version or 1}"

    @property
    def creates_events(self) -> bool:
        """May open new events: administrators and accounts granted the platform organiser role."""
        return bool(self.is_admin or self.platform_role == PLATFORM_ORGANISER)


class EventRole(db.Model):
    """What one account may do on one event."""

    __tablename__ = "event_roles"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="roles")
    event: Mapped[Event] = relationship(back_populates="roles")  # noqa: F821


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(raw: str) -> str:
        """Tokens are long random strings, so a fast hash is enough (no dictionary to fear)."""
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        """A new raw token, shown once."""
        return "evs_" + secrets.token_urlsafe(32)
