"""Check-in and badges over JSON: scanning apps at the desk, badge PDFs for organisers.

Check-in accepts a desk token (`evst_…`, issued by an organiser for one event, expires, revocable)
or the API token of an organiser or staff member of the event. Badge PDFs need an organiser's
API token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import marshmallow as ma
from flask import Response, g
from flask_babel import gettext as _
from flask_smorest import Api
from marshmallow import fields, validate

from eventsys.blueprints.api.common import (
    BEARER,
    ApiBlueprint,
    api_error,
    bearer_token,
    raise_domain,
)
from eventsys.blueprints.api.schemas import MAX_ID, ErrorSchema
from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.checkin import CHECKIN_RESULTS, INVALID_REASONS
from eventsys.models.registration import Registration
from eventsys.render.badges import LAYOUTS, ROLES, render_badges
from eventsys.security import can_manage, can_staff, user_for_token
from eventsys.services import checkin as svc
from eventsys.services.errors import DomainError, StaffTokenInvalid
from eventsys.services.programme import find_event

CODE = "<string(maxlength=64):code>"
REGISTRATION = f"<int(min=1, max={MAX_ID}):registration_id>"
BADGE_LANGUAGES = ("fr", "en", "de", "es", "it")

blp = ApiBlueprint(
    "checkins_api",
    __name__,
    url_prefix="/api/v1/events",
    description=(
        "On-site check-in by scanning the QR code of a badge, and badge PDFs. A check-in is "
        "idempotent by its `nonce`: send the same nonce again (a retry, an offline queue) and the "
        "first answer comes back, counted once."
    ),
)

AUTH_ERRORS = {
    401: "`invalid_token` (missing or unknown token), `staff_token_expired`, `staff_token_revoked`: "
    "the desk needs a new token.",
    403: "`forbidden`: the token is for another event, or its account has no suitable role on this event.",
    404: "`event_not_found`, `registration_not_found`, `not_found` (unknown session), `no_badges`, "
    "`checkin_not_found`.",
    409: "`nonce_reused`: this nonce was already used for a different scan.",
    422: "`validation_error` (see `details`) or `invalid_checkin`.",
}


# ------------------------------------------------------------------ authentication


def desk_token_required(view: Callable) -> Callable:
    """A desk token (g.staff_token) or an account's API token (g.api_user), checked before the body."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        raw = bearer_token()
        g.api_user = g.staff_token = None
        if raw.startswith("evst_"):
            try:
                g.staff_token = svc.check_staff_token(svc.find_staff_token(raw))
            except StaffTokenInvalid as error:
                api_error(401, error.code, str(error))
        else:
            g.api_user = user_for_token(raw) if raw else None
            if g.api_user is None:
                api_error(
                    401,
                    "invalid_token",
                    _("Un jeton d'API valide est nécessaire (Authorization: Bearer …)."),
                )
        return view(*args, **kwargs)

    return wrapper


def _desk_event(code: str) -> tuple[Event, svc.Actor]:
    event = find_event(code)
    if event is None:
        api_error(404, "event_not_found", _("Aucun événement ne porte ce code de session."))
    if g.staff_token is not None:
        if g.staff_token.event_id != event.id:
            api_error(403, "forbidden", _("Ce jeton d'accueil est celui d'un autre événement."))
        svc.touch_staff_token(g.staff_token)
        return event, svc.Actor(token_id=g.staff_token.id, device=g.staff_token.label)
    if not can_staff(g.api_user, event):
        api_error(403, "forbidden", _("Le compte de ce jeton n'a pas de rôle sur cet événement."))
    return event, svc.Actor(user_id=g.api_user.id)


def _organiser_event(code: str) -> Event:
    event = find_event(code)
    if event is None:
        api_error(404, "event_not_found", _("Aucun événement ne porte ce code de session."))
    if g.api_user is None or not can_manage(g.api_user, event):
        api_error(
            403,
            "forbidden",
            _("Seul un jeton d'organisateur de cet événement donne accès aux badges."),
        )
    return event


def documented(*statuses: int) -> Callable:
    """Bearer token (desk or API) required; error statuses documented with this module's codes."""

    def decorator(func: Callable) -> Callable:
        wrapped = desk_token_required(func)
        for status in sorted(set(statuses)):
            wrapped = blp.alt_response(
                status, schema=ErrorSchema, description=AUTH_ERRORS.get(status, "")
            )(wrapped)
        return blp.doc(security=BEARER)(wrapped)

    return decorator


# ------------------------------------------------------------------ schemas


class CheckInIn(ma.Schema):
    qr = fields.String(
        required=True,
        validate=validate.Length(min=1, max=svc.MAX_SCAN_CHARS),
        metadata={
            "description": "The text read from the badge's QR code (spaces and line breaks are forgiven)."
        },
    )
    nonce = fields.String(
        required=True,
        validate=validate.Regexp(f"^{svc.NONCE_RE.pattern}$"),
        metadata={
            "description": "A client-generated id of this scan (e.g. a UUID): resending it never counts twice."
        },
    )
    session = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=validate.Range(1, MAX_ID),
        metadata={
            "description": "Check in to this session (at a room door) rather than at the event's entrance."
        },
    )
    device = fields.String(
        load_default="",
        validate=validate.Length(max=svc.DEVICE_MAX),
        metadata={"description": "Name of the desk or device, kept in the check-in history."},
    )


class AttendeeOut(ma.Schema):
    first_name = fields.String()
    last_name = fields.String()
    organisation = fields.String()
    role = fields.String(metadata={"description": "One of " + ", ".join(ROLES) + "."})


class CheckInOut(ma.Schema):
    result = fields.String(required=True, validate=validate.OneOf(CHECKIN_RESULTS))
    attendee = fields.Nested(
        AttendeeOut,
        metadata={
            "description": "Only what the desk needs; absent for `invalid` and `wrong_event`."
        },
    )
    checked_in_at = fields.String(
        allow_none=True,
        metadata={
            "description": "ISO 8601 (UTC) time of the check-in that counts; null when none."
        },
    )
    reason = fields.String(
        metadata={
            "description": "For `invalid`: " + ", ".join(INVALID_REASONS) + ". "
            "For `not_confirmed`: `session` when the person has no seat in that session."
        }
    )
    replayed = fields.Boolean(
        metadata={"description": "True when this nonce had already been received."}
    )


class UndoIn(ma.Schema):
    nonce = fields.String(required=True, validate=validate.Regexp(f"^{svc.NONCE_RE.pattern}$"))


class UndoOut(ma.Schema):
    undone = fields.Boolean(
        metadata={"description": "False when that scan had not counted anyone."}
    )
    result = fields.String()
    session = fields.Integer(allow_none=True)


class SummaryArgs(ma.Schema):
    session = fields.Integer(strict=False, validate=validate.Range(1, MAX_ID))


class SummaryOut(ma.Schema):
    checked_in = fields.Integer(
        data_key="in", metadata={"description": "People checked in (today, or in the session)."}
    )
    expected = fields.Integer()


class BadgeArgs(ma.Schema):
    format = fields.String(load_default=None, validate=validate.OneOf(LAYOUTS))
    bilingual = fields.String(
        load_default=None,
        validate=validate.OneOf(BADGE_LANGUAGES),
        metadata={"description": "Second label language."},
    )


PDF = {"type": "string", "format": "binary"}


def _pdf(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ routes


@blp.route(f"/{CODE}/checkins", methods=["POST"])
@documented(401, 403, 404, 409, 422)
@blp.arguments(CheckInIn)
@blp.response(200, CheckInOut)
def create_checkin(data: dict[str, Any], code: str):
    """Check a scanned badge in: `ok`, `already_checked_in`, `invalid`, `wrong_event`, `cancelled`, `not_confirmed`.

    Every scan is kept in the history, whatever its result. The same `nonce` twice returns the
    first answer (with `replayed: true`) and counts once.
    """
    event, actor = _desk_event(code)
    if data["device"].strip():
        actor = svc.Actor(actor.user_id, actor.token_id, data["device"])
    try:
        answer = svc.check_in(
            event, data["qr"], data["nonce"], session_id=data["session"], actor=actor
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise_domain(error)
    return answer


@blp.route(f"/{CODE}/checkins/undo", methods=["POST"])
@documented(401, 403, 404, 422)
@blp.arguments(UndoIn)
@blp.response(200, UndoOut)
def undo_checkin(data: dict[str, Any], code: str):
    """Undo a scan by its nonce: the person no longer counts as present (the scan stays in the history)."""
    event, _actor = _desk_event(code)
    try:
        answer = svc.undo_check_in(event, data["nonce"])
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if error.code == "not_found":
            api_error(404, "checkin_not_found", str(error))
        raise_domain(error)
    return answer


@blp.route(f"/{CODE}/checkins/summary", methods=["GET"])
@documented(401, 403, 404)
@blp.arguments(SummaryArgs, location="query")
@blp.response(200, SummaryOut)
def checkin_summary(args: dict[str, Any], code: str):
    """How many people are in (today at the entrance, or in `session`) and how many are expected."""
    event, _actor = _desk_event(code)
    try:
        session = svc.event_session(event, args.get("session"))
    except DomainError as error:
        raise_domain(error)
    counts = svc.counters(event, session)
    if db.session.dirty:
        db.session.commit()  # the desk token's last use
    return {"checked_in": counts["in"], "expected": counts["expected"]}


@blp.route(f"/{CODE}/registrations/{REGISTRATION}/badge.pdf", methods=["GET"])
@documented(401, 403, 404)
@blp.arguments(BadgeArgs, location="query")
@blp.response(200, PDF, content_type="application/pdf", description="The badge as PDF.")
def registration_badge(args: dict[str, Any], code: str, registration_id: int):
    """One person's badge (`?format=a6` by default; `a4-8`, `id1`, `a6-folded`), organisers only."""
    event = _organiser_event(code)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        api_error(
            404,
            "registration_not_found",
            _("Aucune inscription ne porte ce numéro pour cet événement."),
        )
    if registration.status not in ("confirmed", "pending"):
        api_error(
            404,
            "no_badges",
            _("Il n'y a pas de badge pour une inscription annulée, refusée ou en liste d'attente."),
        )
    layout = args["format"] or "a6"
    data = svc.badge_data(event, [registration], with_programme=layout == "a6-folded")
    body = render_badges(data, layout, svc.badge_options(event, args["bilingual"]))
    db.session.commit()
    return _pdf(body, f"badge-{event.code.lower()}-{registration.id}.pdf")


@blp.route(f"/{CODE}/badges.pdf", methods=["GET"])
@documented(401, 403, 404)
@blp.arguments(BadgeArgs, location="query")
@blp.response(
    200, PDF, content_type="application/pdf", description="Every confirmed person's badge, one PDF."
)
def event_badges(args: dict[str, Any], code: str):
    """Badges of every confirmed registration, sorted by name (`?format=a4-8` by default), organisers only."""
    event = _organiser_event(code)
    registrations = svc.badge_registrations(event)
    if not registrations:
        api_error(
            404, "no_badges", _("Aucune inscription confirmée : il n'y a pas de badge à imprimer.")
        )
    layout = args["format"] or "a4-8"
    data = svc.badge_data(event, registrations, with_programme=layout == "a6-folded")
    body = render_badges(data, layout, svc.badge_options(event, args["bilingual"]))
    db.session.commit()
    return _pdf(body, f"badges-{event.code.lower()}-{layout}.pdf")


def register(api: Api) -> None:
    """Attach this module's blueprint to the API."""
    api.register_blueprint(blp)
