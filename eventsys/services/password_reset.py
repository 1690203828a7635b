"""Password reset by e-mail: a signed, expiring, single-use link; and the per-account login throttle.

The link's token is signed with the secret key and carries the account id and a fingerprint of
its current password hash and session version: once the password is set (or the account logs
out everywhere), the fingerprint changes and every earlier link stops working, so a link serves
once. Asking for a link answers the same whether or not the account exists, and sends at most
`PASSWORD_RESET_LIMIT` e-mails per address (counted across app servers, see services.throttle).
"""

from __future__ import annotations

import hashlib

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from eventsys.extensions import db
from eventsys.models import User
from eventsys.services import mail, throttle
from eventsys.services.links import external_url

RESET_SALT = "eventsys.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}:{user.session_version}".encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """A token for `reset_link`, valid PASSWORD_RESET_HOURS and until the password changes."""
    return _serializer().dumps([user.id, _fingerprint(user)])


def user_for_reset(token: str) -> User | None:
    """The account a reset token was made for, if it is genuine, not expired and not used."""
    max_age = int(float(current_app.config["PASSWORD_RESET_HOURS"]) * 3600)
    try:
        user_id, fingerprint = _serializer().loads(token, max_age=max_age)
        user = db.session.get(User, int(user_id))
    except (BadSignature, SignatureExpired, TypeError, ValueError):
        return None
    if user is None or not user.active or fingerprint != _fingerprint(user):
        return None
    return user


def request_reset(email: str, language: str) -> None:
    """Queue a reset e-mail to the account with that address, in `language`, unless that address
    was sent too many already; does nothing visible when there is no such (active) account."""
    from eventsys.security import find_user

    user = find_user(email)
    if user is None or not user.active:
        return
    if not throttle.hit(current_app.config["PASSWORD_RESET_LIMIT"], "password-reset", user.email):
        return
    link = external_url("auth.reset", token=reset_token(user))
    hours = int(float(current_app.config["PASSWORD_RESET_HOURS"]))
    with force_locale(language):
        context = {"link": link, "hours": hours, "user": user}
        subject = _("Réinitialiser votre mot de passe eventsys")
        text = render_template("auth/email/reset.txt", **context)
        html = render_template("auth/email/reset.html", **context)
    mail.queue_message(user.email, subject, text, html, kind="password_reset", language=language)


def login_allowed(email: str) -> bool:
    """Whether the account may try a password now: too many failures lock it for a while,
    whoever makes them and from wherever (the per-address limit alone lets a botnet through)."""
    return throttle.allowed(current_app.config["LOGIN_ACCOUNT_LIMIT"], "login", email)


def login_failed(email: str) -> None:
    """Count a failed password for that address (existing account or not: same answer)."""
    throttle.hit(current_app.config["LOGIN_ACCOUNT_LIMIT"], "login", email)


def login_succeeded(email: str) -> None:
    throttle.clear(current_app.config["LOGIN_ACCOUNT_LIMIT"], "login", email)
