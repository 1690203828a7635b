"""Passwords, permissions and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, has_app_context
from flask_login import current_user
from sqlalchemy import bindparam, select, update

from eventsys.extensions import db
from eventsys.models import ApiToken, Event, EventRole, User
from eventsys.models.people import PLATFORM_ROLES, ROLE_ORGANISER, ROLE_STAFF
from eventsys.services.codes import canonical_code
from eventsys.services.event_rows import event_with_role

_hasher = PasswordHasher()
# Tests hash hundreds of passwords; full-strength argon2 would cost minutes of CI for nothing.
_test_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TOKEN_USE_PRECISION = timedelta(minutes=1)  # how often a token's last use is written


def _password_hasher() -> PasswordHasher:
    if has_app_context() and current_app.config.get("TESTING") and current_app.config.get("PASSWORD_HASH_FAST"):
        return _test_hasher
    return _hasher


def hash_password(password: str) -> str:
    """An argon2id hash."""
    return _password_hasher().hash(password)


def check_password(user: User | None, password: str) -> bool:
    """True when the password matches; spends the same time when the user does not exist."""
    hasher = _password_hasher()
    if user is None:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    email: str, password: str, name: str = "", is_admin: bool = False, platform_role: str | None = None
) -> User:
    """A new account; the e-mail is stored in lower case."""
    user = User(
        email=email.strip().lower(), password_hash=hash_password(password), name=name,
        is_admin=is_admin, platform_role=platform_role,
    )  # fmt: skip
    db.session.add(user)
    db.session.flush()
    return user


PASSWORD_MIN_LENGTH = 8


def set_password(user: User, password: str) -> None:
    """A new password; every session and remember cookie of the account ends with the old one."""
    user.password_hash = hash_password(password)
    end_all_sessions(user)


def end_all_sessions(user: User) -> None:
    """Log the account out everywhere: cookies carry the session version (User.get_id), and one
    of an older version no longer loads the account (`user_for_session`)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


def user_for_session(value: str) -> User | None:
    """The account a session or remember cookie names ("<id>:<version>"), if that version is
    still current and the account active; None otherwise (logged out)."""
    user_id, _sep, version = value.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or (user.session_version or 1) != int(version):
        return None
    return user


def find_user(email: str) -> User | None:
    """The account with that e-mail, in any case."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def event_role(user: User | None, event: Event) -> str | None:
    """'organiser', 'staff' or None; administrators count as organisers everywhere."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_admin:
        return ROLE_ORGANISER
    return db.session.scalar(
        select(EventRole.role).where(EventRole.event_id == event.id, EventRole.user_id == user.id)
    )


def can_create_events(user: User | None) -> bool:
    """Creating (or copying) an event is a platform role an administrator grants: an account made
    staff of one event, or holding no role, cannot open events of its own."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.creates_events


def set_platform_role(user: User, role: str | None) -> None:
    """Grant (PLATFORM_ORGANISER) or withdraw (None) the right to create events."""
    if role is not None and role not in PLATFORM_ROLES:
        raise ValueError(f"unknown platform role {role!r}")
    user.platform_role = role
    db.session.flush()


def require_event_creator() -> None:
    """Abort with 403 unless the logged-in user may create events (login is checked by the view)."""
    if not can_create_events(current_user):
        abort(403)


def can_manage(user: User | None, event: Event) -> bool:
    """Organisers (and administrators) build the event."""
    return role_allows(event_role(user, event), ROLE_ORGANISER)


def find_event_with_role(
    raw_code: str, user: User | TokenAccount
) -> tuple[Event | None, str | None]:
    """The event named by a code typed in any form, and the (signed-in) user's role on it, in one
    query (`find_event` then `event_role` cost two round trips on every API call)."""
    code = canonical_code(raw_code)
    if code is None:
        return None, None
    known = getattr(user, "event", None)  # read with the token (TokenAccount)
    event, role = event_with_role(code, user.id, known[1:] if known and known[0] == code else None)
    if event is None:
        return None, None
    return event, ROLE_ORGANISER if user.is_admin else role


def role_allows(role: str | None, needed: str) -> bool:
    """Whether holding `role` on an event lets one act as `needed` ('organiser' or 'staff'):
    organisers do everything staff do."""
    if needed == ROLE_ORGANISER:
        return role == ROLE_ORGANISER
    return role in (ROLE_ORGANISER, ROLE_STAFF)


def can_staff(user: User | None, event: Event) -> bool:
    """Staff and organisers work the desk."""
    return role_allows(event_role(user, event), ROLE_STAFF)


def require_organiser(event: Event) -> None:
    """Abort with 403 unless the logged-in user organises the event (login is checked by the view)."""
    if not can_manage(current_user, event):
        abort(403)


def managed_events(user: User) -> list[Event]:
    """Events the user may manage, newest first."""
    query = select(Event).order_by(Event.start_date.desc(), Event.id.desc())
    if not user.is_admin:
        query = query.join(EventRole).where(EventRole.user_id == user.id, EventRole.role == ROLE_ORGANISER)
    return list(db.session.scalars(query))


def issue_api_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token: the stored row and the raw value to show once."""
    raw = ApiToken.generate()
    token = ApiToken(user=user, name=name, token_hash=ApiToken.hash(raw), prefix=raw[:12])
    db.session.add(token)
    db.session.flush()
    return token, raw


@dataclass(frozen=True)
class TokenAccount:
    """The account behind a valid bearer token, as authentication and roles need it: its id and
    whether it administers (`find_event_with_role` takes it as it takes a User)."""

    id: int
    is_admin: bool
    token_written: bool  # the token's last use was written: the request has something to commit
    # The event the call names, read with the token: (canonical code, its id, its version, the
    # account's role), the id None when no event has that code.
    event: tuple[str, int | None, datetime | None, str | None] | None = None


_TOKEN_COLUMNS = (
    ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at, ApiToken.last_used_at,
    User.id, User.active, User.is_admin,
)  # fmt: skip
# Built once (read on every API call): the token and its account's flags, as plain columns (an
# ORM query loading both objects cost most of a millisecond of CPU per call), and with them, for a
# call that names an event by its code, that event's id and version and the account's role on it
# (see services/event_rows.py): one round trip for both.
_TOKEN_ACCOUNT = (
    select(*_TOKEN_COLUMNS)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)
_TOKEN_ACCOUNT_AND_EVENT = (
    select(*_TOKEN_COLUMNS, Event.id, Event.updated_at, EventRole.role)
    .join(User, User.id == ApiToken.user_id)
    .outerjoin(Event, Event.code == bindparam("event_code"))
    .outerjoin(EventRole, (EventRole.event_id == Event.id) & (EventRole.user_id == User.id))
    .where(ApiToken.token_hash == bindparam("token_hash"))
)
_TOKEN_USED = (
    update(ApiToken.__table__)
    .where(ApiToken.__table__.c.id == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)


def account_for_token(raw: str, event_code: str | None = None) -> TokenAccount | None:
    """The active account behind a bearer token, or None (unknown, revoked or expired); with
    `event_code` (canonical), the event of that code looked up in the same query."""
    db.session.flush()  # Core statements do not autoflush
    connection = db.session.connection()
    params = {"token_hash": ApiToken.hash(raw)}
    if event_code is None:
        row = connection.execute(_TOKEN_ACCOUNT, params).first()
    else:
        row = connection.execute(_TOKEN_ACCOUNT_AND_EVENT, {**params, "event_code": event_code}).first()
    if row is None:
        return None
    token_id, revoked_at, expires_at, last_used_at, user_id, active, is_admin = row[:7]
    now = datetime.now(UTC)
    if revoked_at is not None or (expires_at and expires_at <= now) or not active:
        return None
    # Once a minute is precise enough, and writing on every call would make concurrent requests
    # with one token wait for each other on the token's row until they commit.
    written = last_used_at is None or now - last_used_at >= TOKEN_USE_PRECISION
    if written:
        connection.execute(_TOKEN_USED, {"token_id": token_id, "now": now})
    event = None if event_code is None else (event_code, *row[7:])
    return TokenAccount(user_id, bool(is_admin), written, event)


def user_for_token(raw: str) -> User | None:
    """The active account behind a bearer token, as an ORM object, or None."""
    account = account_for_token(raw)
    return db.session.get(User, account.id) if account is not None else None


def revoke_api_token(token: ApiToken) -> None:
    """Revoke a token at once."""
    token.revoked_at = datetime.now(UTC)
    db.session.flush()
