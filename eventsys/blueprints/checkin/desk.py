"""The check-in desk: who may scan (staff tokens and access links), the scan page and its JSON calls.

Same blueprint as views.py. Staff reach the desk by a staff token kept in the signed session
cookie; the scan calls answer JSON errors with stable codes.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.blueprints.checkin.forms import AccessForm
from eventsys.blueprints.checkin.views import (
    SESSION_KEY,
    STAFF,
    bp,
    int_query_arg,
)
from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.checkin import StaffToken
from eventsys.models.events import STATUS_PUBLISHED
from eventsys.security import can_staff
from eventsys.services import checkin as svc
from eventsys.services import registration as reg
from eventsys.services.errors import DomainError, StaffTokenInvalid
from eventsys.services.programme import find_event

# ------------------------------------------------------------------ the desk: who may scan


class _Denied(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def _desk(code: str) -> tuple[Event, svc.Actor]:
    """The event and who scans, or _Denied saying why (unknown event, no access, token expired…)."""
    event = find_event(code)
    if event is None:
        raise _Denied(404, "event_not_found", _("Aucun événement ne porte ce code de session."))
    if current_user.is_authenticated and can_staff(current_user, event):
        return event, svc.Actor(user_id=current_user.id)
    token_id = (session.get(SESSION_KEY) or {}).get(str(event.id))
    if token_id is None:
        if event.status != STATUS_PUBLISHED:  # a draft exists for nobody outside its team
            raise _Denied(404, "event_not_found", _("Aucun événement ne porte ce code de session."))
        if current_user.is_authenticated:
            raise _Denied(
                403, "forbidden", _("Votre compte n'a pas de rôle d'accueil sur cet événement.")
            )
        raise _Denied(
            401,
            "login_required",
            _("Connectez-vous, ou ouvrez le lien d'accès reçu de l'organisateur."),
        )
    try:
        token = svc.check_staff_token(db.session.get(StaffToken, int(token_id)), event)
    except StaffTokenInvalid as error:
        raise _Denied(401, error.code, str(error)) from None
    except DomainError as error:
        raise _Denied(error.status, error.code, str(error)) from None
    return event, svc.Actor(token_id=token.id, device=token.label)


def _json_error(status: int, code: str, message: str, **extra: Any):
    return jsonify({"error": {"code": code, "message": message, **extra}}), status


def _desk_session(event: Event) -> ProgrammeSession | None:
    session_id = int_query_arg("session")
    if session_id is None:
        return None
    return svc.event_session(event, session_id)


@bp.route(STAFF + "/access/<token>")
def staff_access_link(code: str, token: str):
    """The link an organiser hands to a desk: remembers the token, then opens the scan page."""
    event = find_event(code)
    if event is None:
        abort(404)
    return _remember_token(event, token)


@bp.route(STAFF + "/access", methods=["POST"])
def staff_access(code: str):
    """The access code typed by hand (spaces and case forgiven)."""
    event = find_event(code)
    if event is None:
        abort(404)
    form = AccessForm()
    if not form.validate_on_submit():
        return _access_page(
            event, _("Saisissez le code d'accès reçu de l'organisateur."), 422, form
        )
    return _remember_token(event, "".join(form.token.data.split()))


def _remember_token(event: Event, raw: str):
    try:
        token = svc.verify_staff_token(raw, event)
    except DomainError as error:
        return _access_page(
            event, str(error), 401 if isinstance(error, StaffTokenInvalid) else error.status
        )
    db.session.commit()
    tokens = dict(session.get(SESSION_KEY) or {})
    tokens[str(event.id)] = token.id
    session[SESSION_KEY] = tokens
    return redirect(url_for(".scan", code=event.code))


def _access_page(event: Event | None, message: str, status: int, form: AccessForm | None = None):
    # The page names the event: for a draft, only to its team (as every public route: 404).
    if event is None or (event.status != STATUS_PUBLISHED and not can_staff(current_user, event)):
        abort(404)
    response = Response(
        render_template(
            "checkin/access.html", event=event, message=message, form=form or AccessForm()
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route(STAFF + "/scan")
def scan(code: str):
    """The scan page: camera, handheld scanner, search by name; ?session=<id> at a room door."""
    try:
        event, actor = _desk(code)
    except _Denied as denied:
        if denied.code == "event_not_found":
            abort(404)
        return _access_page(find_event(code), denied.message, denied.status)
    try:
        current = _desk_session(event)
    except DomainError:
        abort(404)
    sessions = [s for s in event.sessions if s.status != "cancelled"]
    response = Response(
        render_template(
            "checkin/scan.html",
            event=event,
            current=current,
            sessions=sessions,
            counts=svc.counters(event, current),
            desk_label=_desk_label(actor),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _desk_label(actor: svc.Actor) -> str:
    if actor.token_id is not None:
        token = db.session.get(StaffToken, actor.token_id)
        return token.label if token else ""
    return current_user.name or current_user.email


@bp.route(STAFF + "/scan/checkins", methods=["POST"])
def scan_checkin(code: str):
    """JSON {"qr"| "registration", "nonce", "session"?} → the check-in answer (see services/checkin)."""
    try:
        event, actor = _desk(code)
    except _Denied as denied:
        return _json_error(denied.status, denied.code, denied.message)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json_error(
            400, "invalid_json", _("Le corps de la requête n'est pas du JSON valide.")
        )
    session_id = data.get("session")
    registration_id = data.get("registration")
    qr = data.get("qr")
    if session_id is not None and (isinstance(session_id, bool) or not isinstance(session_id, int)):
        return _json_error(422, "invalid_checkin", _("Session invalide."))
    if registration_id is not None and (
        isinstance(registration_id, bool) or not isinstance(registration_id, int)
    ):
        return _json_error(422, "invalid_checkin", _("Inscription invalide."))
    device = data.get("device")
    if isinstance(device, str) and device.strip():
        actor = svc.Actor(actor.user_id, actor.token_id, device)
    try:
        answer = svc.check_in(
            event,
            qr,
            data.get("nonce"),
            session_id=session_id,
            registration_id=registration_id,
            actor=actor,
        )
        current = svc.event_session(event, session_id)
        answer["counters"] = svc.counters(event, current)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _json_error(error.status, error.code, str(error))
    return jsonify(answer)


@bp.route(STAFF + "/scan/undo", methods=["POST"])
def scan_undo(code: str):
    try:
        event, _actor = _desk(code)
    except _Denied as denied:
        return _json_error(denied.status, denied.code, denied.message)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json_error(
            400, "invalid_json", _("Le corps de la requête n'est pas du JSON valide.")
        )
    try:
        answer = svc.undo_check_in(event, data.get("nonce"))
        answer["counters"] = svc.counters(event, svc.event_session(event, answer["session"]))
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _json_error(error.status, error.code, str(error))
    return jsonify(answer)


@bp.route(STAFF + "/scan/search")
def scan_search(code: str):
    try:
        event, _actor = _desk(code)
        current = _desk_session(event)
    except _Denied as denied:
        return _json_error(denied.status, denied.code, denied.message)
    except DomainError as error:
        return _json_error(error.status, error.code, str(error))
    people = svc.search_attendees(event, request.args.get("q", "")[:100], current)
    names = reg.status_names()
    for person in people:
        person["status_label"] = str(names.get(person["status"], person["status"]))
    response = jsonify({"items": people})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route(STAFF + "/scan/counters")
def scan_counters(code: str):
    try:
        event, _actor = _desk(code)
        current = _desk_session(event)
    except _Denied as denied:
        return _json_error(denied.status, denied.code, denied.message)
    except DomainError as error:
        return _json_error(error.status, error.code, str(error))
    response = jsonify(svc.counters(event, current))
    response.headers["Cache-Control"] = "no-store"
    return response
