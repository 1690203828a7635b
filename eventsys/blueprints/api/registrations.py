"""Registrations over JSON: the same rules and results as the public form, for an organiser's token."""

from __future__ import annotations

from typing import Any, NoReturn

import marshmallow as ma
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Api

from eventsys.blueprints.api.common import (
    BEARER,
    ApiBlueprint,
    answer_domain_error,
    api_error,
    event_for,
    token_required,
)
from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.registration import REG_STATUSES, Registration
from eventsys.services import registration as reg
from eventsys.services.errors import DomainError, RegistrationInvalid

blp = ApiBlueprint(
    "registrations_api",
    __name__,
    url_prefix="/api/v1/events",
    description=(
        "Registrations of an event, addressed by its session code. Same rules as the public form: "
        "capacity, waiting lists (first come, first served), moderation, one registration per e-mail."
    ),
)


class RegistrationIn(ma.Schema):
    first_name = ma.fields.String(required=True)
    last_name = ma.fields.String(required=True)
    email = ma.fields.String(
        required=True, metadata={"description": "One registration per address and event."}
    )
    organisation = ma.fields.String(load_default="")
    organisation_type = ma.fields.String(
        load_default="", metadata={"description": "`local_authority`, `other` or empty."}
    )
    job_title = ma.fields.String(load_default="")
    language = ma.fields.String(
        load_default="", metadata={"description": "Language of e-mails and badge: fr, en…"}
    )
    sessions = ma.fields.List(
        ma.fields.Integer(),
        load_default=list,
        metadata={"description": "Ids of sessions that take registrations."},
    )
    networking = ma.fields.Boolean(
        load_default=None, allow_none=True,
        metadata={"description": "Speed-networking opt-in; true when networking_themes is not empty."},
    )  # fmt: skip
    networking_themes = ma.fields.List(
        ma.fields.String(),
        load_default=list,
        metadata={"description": "Ranked themes, preferred first."},
    )
    lunch = ma.fields.Boolean(load_default=None, allow_none=True)
    accessibility = ma.fields.String(load_default="")
    consent = ma.fields.Boolean(required=True, metadata={"description": "Must be true."})
    answers = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Raw(allow_none=True), load_default=dict,
        metadata={"description": "Custom questions: {question id: text, choice or boolean}."},
    )  # fmt: skip


# One instance for every request: given the class, the parser would build one (copying every
# field) per submission.
REGISTRATION_IN = RegistrationIn()


class ChoiceOut(ma.Schema):
    session_id = ma.fields.Integer()
    title = ma.fields.String()
    status = ma.fields.String(metadata={"description": "confirmed, waitlisted or requested."})
    waitlist_position = ma.fields.Integer(allow_none=True)


class RegistrationOut(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(
        metadata={
            "description": "confirmed, waitlisted or pending (also cancelled, refused). `waitlisted` when the "
            "person waits for the event or for one of the chosen sessions."
        }
    )
    registration_status = ma.fields.String(
        metadata={"description": "The event-level status alone."}
    )
    waitlist_position = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "1-based, on the event's list or on the first session list waited on."
        },
    )
    already_registered = ma.fields.Boolean(
        metadata={
            "description": "True when the e-mail was already registered: nothing was created."
        }
    )
    first_name = ma.fields.String()
    last_name = ma.fields.String()
    email = ma.fields.String()
    organisation = ma.fields.String()
    organisation_type = ma.fields.String()
    job_title = ma.fields.String()
    language = ma.fields.String()
    lunch = ma.fields.Boolean(allow_none=True)
    accessibility = ma.fields.String()
    networking = ma.fields.Boolean()
    networking_themes = ma.fields.List(ma.fields.String())
    answers = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    choices = ma.fields.List(ma.fields.Nested(ChoiceOut))
    source = ma.fields.String()
    created_at = ma.fields.DateTime()


class RegistrationList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RegistrationOut))
    total = ma.fields.Integer()


class ListArgs(ma.Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(REG_STATUSES))
    # Bounded like database integers: PostgreSQL refuses larger ones.
    session_id = ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1))
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000))
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=2**31 - 1))


def _dump(
    registration: Registration, already: bool = False, view: reg.StatusView | None = None
) -> dict[str, Any]:
    view = view or reg.status_view(registration)
    return {
        "id": registration.id,
        "status": view.overall,
        "registration_status": registration.status,
        "waitlist_position": view.position,
        "already_registered": already,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "organisation": registration.organisation,
        "organisation_type": registration.organisation_type,
        "job_title": registration.job_title,
        "language": registration.language,
        "lunch": registration.lunch,
        "accessibility": registration.accessibility,
        "networking": registration.networking_opt_in,
        "networking_themes": list(registration.networking_themes or []),
        "answers": {str(a.question_id): a.value for a in registration.answers},
        "choices": [
            {
                "session_id": c.session.id,
                "title": c.session.title,
                "status": c.status,
                "waitlist_position": c.position,
            }
            for c in view.choices
        ],
        "source": registration.source,
        "created_at": registration.created_at,
    }


def _fail(error: DomainError) -> NoReturn:
    answer_domain_error(error, per_field=isinstance(error, RegistrationInvalid))


def _registration(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        api_error(
            404,
            "registration_not_found",
            _("Aucune inscription ne porte ce numéro pour cet événement."),
        )
    return registration


@blp.route("/<code>/registrations")
class Registrations(MethodView):
    @token_required
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, RegistrationList)
    @blp.doc(security=BEARER)
    def get(self, args: dict[str, Any], code: str):
        """List an event's registrations (organisers)."""
        event = event_for(code)
        items, total = reg.search_registrations(
            event,
            status=args.get("status", ""),
            session_id=args.get("session_id"),
            limit=args["limit"],
            offset=args["offset"],
        )
        return {"items": [_dump(r) for r in items], "total": total}

    @token_required
    @blp.arguments(REGISTRATION_IN)
    @blp.response(
        201, RegistrationOut, description="Registered (or 200 with already_registered: true)."
    )
    @blp.alt_response(
        200,
        schema=RegistrationOut,
        description="The e-mail was already registered; nothing created.",
    )
    @blp.doc(security=BEARER)
    def post(self, data: dict[str, Any], code: str):
        """Register a person: `confirmed`, `waitlisted` (with `waitlist_position`) or `pending`.

        Error codes: validation_error (422, with details.fields), registration_closed, event_full,
        session_full (when waiting lists are off), session_closed, choice_conflict.
        """
        event = event_for(code)
        themes = data["networking_themes"]
        opt_in = (
            data["networking"] if data["networking"] is not None else (True if themes else None)
        )
        request_data = reg.RegistrationInput(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            organisation_type=data["organisation_type"],
            job_title=data["job_title"],
            language=data["language"],
            sessions=data["sessions"],
            networking_opt_in=opt_in,
            networking_themes=themes,
            lunch=data["lunch"],
            accessibility=data["accessibility"],
            consent=data["consent"],
            answers=data["answers"],
        )
        try:
            outcome = reg.register_attendee(event, request_data, source="api")
            body = _dump(outcome.registration, already=not outcome.created, view=outcome.view)
            db.session.commit()
        except DomainError as error:
            _fail(error)
        return body, (201 if outcome.created else 200)


@blp.route("/<code>/registrations/<int:registration_id>")
class RegistrationItem(MethodView):
    @token_required
    @blp.response(200, RegistrationOut)
    @blp.doc(security=BEARER)
    def get(self, code: str, registration_id: int):
        """One registration."""
        return _dump(_registration(event_for(code), registration_id))

    @token_required
    @blp.response(204)
    @blp.doc(security=BEARER)
    def delete(self, code: str, registration_id: int):
        """Cancel a registration; the first person waiting is promoted and told by e-mail."""
        registration = _registration(event_for(code), registration_id)
        try:
            reg.cancel_registration(registration)
            db.session.commit()
        except DomainError as error:
            _fail(error)


def _transition(code: str, registration_id: int, action) -> dict[str, Any]:
    registration = _registration(event_for(code), registration_id)
    try:
        action(registration)
        body = _dump(registration)
        db.session.commit()
    except DomainError as error:
        _fail(error)
    return body


@blp.route("/<code>/registrations/<int:registration_id>/cancel", methods=["POST"])
@token_required
@blp.response(200, RegistrationOut)
@blp.doc(security=BEARER)
def cancel(code: str, registration_id: int):
    """Cancel a registration (same as DELETE, returning the cancelled registration)."""
    return _transition(code, registration_id, reg.cancel_registration)


@blp.route("/<code>/registrations/<int:registration_id>/approve", methods=["POST"])
@token_required
@blp.response(200, RegistrationOut)
@blp.doc(security=BEARER)
def approve(code: str, registration_id: int):
    """Moderation: approve a pending registration."""
    return _transition(code, registration_id, reg.approve_registration)


@blp.route("/<code>/registrations/<int:registration_id>/refuse", methods=["POST"])
@token_required
@blp.response(200, RegistrationOut)
@blp.doc(security=BEARER)
def refuse(code: str, registration_id: int):
    """Moderation: refuse a registration; its place goes to the first person waiting."""
    return _transition(code, registration_id, reg.refuse_registration)


def register(api: Api) -> None:
    """Attach this module's blueprints to the API."""
    api.register_blueprint(blp)
