"""Private links: a signed token per registration, renewed when it leaked, expiring after the event."""

from __future__ import annotations

import hmac
import secrets
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from eventsys.extensions import db
from eventsys.kept import kept
from eventsys.models import Event
from eventsys.models.registration import Registration
from eventsys.models.types import utcnow
from eventsys.services.errors import InvalidLink

LINK_SALT = "eventsys.registration-link"

# ------------------------------------------------------------------------- private link


def _serializer() -> URLSafeSerializer:
    # Kept per app and key: building one (its signer, its JSON dumper) cost a tenth of a
    # millisecond on every registration.
    key = current_app.config["SECRET_KEY"]
    return kept(current_app, "eventsys.registration.link_serializer", key,
                lambda: URLSafeSerializer(key, salt=LINK_SALT))  # fmt: skip


def link_token(registration: Registration) -> str:
    """The private link's token: the registration id and its random secret, signed with SECRET_KEY.

    The secret (32 random bytes) makes the link unguessable; the signature means a stolen copy of
    the database alone cannot forge links. The same link can be e-mailed again (no rotation on a
    repeated registration, so nobody can kill someone else's link by typing their address).
    """
    if not registration.link_secret:
        registration.link_secret = secrets.token_urlsafe(32)
        registration.link_issued_at = utcnow()
        db.session.flush()
    return _serializer().dumps([registration.id, registration.link_secret])


def renew_link(registration: Registration) -> str:
    """A new private link; the old one stops working (when a link leaked)."""
    registration.link_secret = secrets.token_urlsafe(32)
    registration.link_issued_at = utcnow()
    db.session.flush()
    return link_token(registration)


def link_expiry(event: Event) -> date:
    """Last day a private link works."""
    return event.end_date + timedelta(
        days=int(current_app.config.get("REGISTRATION_LINK_DAYS_AFTER_EVENT", 30))
    )


def registration_from_link(token: str, now: datetime | None = None) -> Registration:
    """The registration behind a private link, or InvalidLink saying why (tampered, replaced, expired)."""
    try:
        payload = _serializer().loads(token)
        registration_id, secret = int(payload[0]), str(payload[1])
    except (BadSignature, TypeError, ValueError, IndexError, KeyError):
        raise InvalidLink(
            _l(
                "Ce lien n'est pas valide : il a peut-être été modifié ou mal copié. "
                "Copiez le lien complet depuis l'e-mail reçu."
            ),
            reason="tampered",
        ) from None
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise InvalidLink(
            _l(
                "Cette inscription n'existe plus : elle a pu être supprimée à la fin de la durée de conservation."
            ),
            reason="unknown",
        )
    if not registration.link_secret or not hmac.compare_digest(registration.link_secret, secret):
        raise InvalidLink(
            _l("Ce lien a été remplacé par un lien plus récent, envoyé par e-mail."),
            reason="replaced",
        )
    today = (now or utcnow()).astimezone(registration.event.tz).date()
    if today > link_expiry(registration.event):
        raise InvalidLink(
            _l("Ce lien a expiré : l'événement est terminé depuis plus d'un mois."),
            reason="expired",
        )
    return registration
