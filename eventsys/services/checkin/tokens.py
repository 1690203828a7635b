"""Badge tokens (signed, with a nonce that a reissued badge replaces) and desk (staff) tokens.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import Event, User
from eventsys.models.checkin import (
    BadgeCredential,
    StaffToken,
)
from eventsys.models.registration import (
    Registration,
)
from eventsys.models.types import utcnow
from eventsys.services.checkin.common import (
    BADGE_SALT,
    DEVICE_MAX,
)
from eventsys.services.errors import (
    InvalidValue,
    StaffTokenExpired,
    StaffTokenInvalid,
    StaffTokenRevoked,
    StaffTokenWrongEvent,
)
from eventsys.services.tokens import (
    make_badge_token,
    new_badge_nonce,
)

# ------------------------------------------------------------------------- badge tokens


def badge_secret() -> bytes:
    """The key that signs badge tokens: BADGE_TOKEN_SECRET, else derived from SECRET_KEY."""
    configured = current_app.config.get("BADGE_TOKEN_SECRET")
    if configured:
        return configured if isinstance(configured, bytes) else str(configured).encode()
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else str(key).encode()
    return hmac.new(key, BADGE_SALT, hashlib.sha256).digest()


def credential_is_current(credential: BadgeCredential | None, registration: Registration) -> bool:
    return credential is not None and credential.registration_created_at == registration.created_at


def badge_credential(registration: Registration) -> BadgeCredential:
    """The registration's badge credential, drawn on first use (or after a new registration)."""
    credential = db.session.scalar(
        select(BadgeCredential).where(BadgeCredential.registration_id == registration.id)
    )
    if credential_is_current(credential, registration):
        return credential
    if credential is None:
        credential = BadgeCredential(registration_id=registration.id)
        db.session.add(credential)
    credential.nonce = new_badge_nonce()
    credential.issued_at = utcnow()
    credential.registration_created_at = registration.created_at
    db.session.flush()
    return credential


def reissue_badge(registration: Registration) -> BadgeCredential:
    """A new badge nonce: every badge printed before stops working at the desk."""
    credential = badge_credential(registration)
    old = credential.nonce
    while credential.nonce == old:
        credential.nonce = new_badge_nonce()
    credential.issued_at = utcnow()
    db.session.flush()
    return credential


def badge_token(registration: Registration) -> str:
    """The signed text of the registration's QR code."""
    credential = badge_credential(registration)
    return make_badge_token(
        badge_secret(), registration.event_id, registration.id, credential.nonce
    )


# ------------------------------------------------------------------------- staff tokens


def default_token_expiry(event: Event, now: datetime | None = None) -> datetime:
    """The end of the day after the event (local time), or 24 hours from now for a past event."""
    now = now or utcnow()
    end = datetime.combine(
        event.end_date + timedelta(days=1), time(23, 59), tzinfo=event.tz
    ).astimezone(UTC)
    return end if end > now else now + timedelta(days=1)


def issue_staff_token(
    event: Event,
    label: str = "",
    created_by: User | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[StaffToken, str]:
    """A new desk token for the event: the row and the raw value, shown once."""
    now = now or utcnow()
    expires_at = expires_at or default_token_expiry(event, now)
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be aware")
    if expires_at <= now:
        raise InvalidValue(_l("La date d'expiration doit être dans le futur."), field="expires_at")
    label = " ".join((label or "").split())[:DEVICE_MAX]
    raw = StaffToken.generate()
    token = StaffToken(
        event_id=event.id,
        label=label,
        token_hash=StaffToken.hash(raw),
        prefix=raw[:12],
        created_at=now,
        expires_at=expires_at,
        created_by_id=created_by.id if created_by is not None else None,
    )
    db.session.add(token)
    db.session.flush()
    return token, raw


def revoke_staff_token(token: StaffToken, now: datetime | None = None) -> None:
    """Stop a desk token at once (idempotent)."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        db.session.flush()


def find_staff_token(raw: str) -> StaffToken | None:
    """The staff token with that raw value, whatever its state."""
    if not raw or not raw.startswith(StaffToken.PREFIX) or len(raw) > 100:
        return None
    return db.session.scalar(
        select(StaffToken).where(StaffToken.token_hash == StaffToken.hash(raw))
    )


def check_staff_token(
    token: StaffToken | None, event: Event | None = None, now: datetime | None = None
) -> StaffToken:
    """The token if it may scan now (for `event` when given); a distinct error for each reason otherwise."""
    now = now or utcnow()
    if token is None:
        raise StaffTokenInvalid(
            _l("Ce lien d'accès n'est pas valide : demandez un nouveau lien à l'organisateur.")
        )
    if token.revoked_at is not None:
        raise StaffTokenRevoked(
            _l("Ce lien d'accès a été révoqué par l'organisateur : demandez-en un nouveau.")
        )
    if token.expires_at <= now:
        raise StaffTokenExpired(
            _l("Ce lien d'accès a expiré : demandez un nouveau lien à l'organisateur.")
        )
    if event is not None and token.event_id != event.id:
        raise StaffTokenWrongEvent(_l("Ce lien d'accès est celui d'un autre événement."))
    return token


def verify_staff_token(
    raw: str, event: Event | None = None, now: datetime | None = None
) -> StaffToken:
    """Look up and check a raw staff token; records its last use."""
    token = check_staff_token(find_staff_token(raw), event, now)
    touch_staff_token(token, now)
    return token


def touch_staff_token(token: StaffToken, now: datetime | None = None) -> None:
    """Record the token's last use, at most once a minute (a desk scans every few seconds)."""
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now


def staff_tokens(event: Event) -> list[StaffToken]:
    """The event's desk tokens, newest first."""
    return list(
        db.session.scalars(
            select(StaffToken)
            .where(StaffToken.event_id == event.id)
            .order_by(StaffToken.created_at.desc(), StaffToken.id.desc())
        )
    )
