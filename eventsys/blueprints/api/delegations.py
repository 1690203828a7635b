"""Delegations over JSON: a group registered at once, each member through the registration rules."""

from __future__ import annotations

from typing import Any, NoReturn

import marshmallow as ma
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Api

from eventsys.blueprints.api.common import (
    ApiBlueprint,
    answer_domain_error,
    api_error,
    documented,
    event_for,
)
from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.delegation import MEMBER_ROLES, Delegation
from eventsys.services import delegations as dl
from eventsys.services.errors import DomainError

blp = ApiBlueprint(
    "delegations_api",
    __name__,
    url_prefix="/api/v1/events",
    description=(
        "Foreign delegations of an event: a head, a country, members each registered like anyone "
        "(capacity, waiting lists), with an 'all of us or none' option, and interpreting needs."
    ),
)


class HeadIn(ma.Schema):
    first_name = ma.fields.String(required=True)
    last_name = ma.fields.String(required=True)
    email = ma.fields.String(
        required=True, metadata={"description": "The head's private link is e-mailed there."}
    )
    language = ma.fields.String(
        load_default="fr", metadata={"description": "Language of the head's e-mails."}
    )


class MemberIn(ma.Schema):
    first_name = ma.fields.String(required=True)
    last_name = ma.fields.String(required=True)
    email = ma.fields.String(
        load_default="", allow_none=True,
        metadata={"description": "Optional: without one, the member's e-mails go to the head."},
    )  # fmt: skip
    language = ma.fields.String(
        load_default="", metadata={"description": "Badge and e-mail language (fr, en, de, es, it)."}
    )
    role = ma.fields.String(
        load_default="engineer", metadata={"description": "One of " + ", ".join(MEMBER_ROLES) + "."}
    )


class PairIn(ma.Schema):
    source = ma.fields.String(
        required=True, data_key="from", metadata={"description": "ISO 639-1 code."}
    )
    target = ma.fields.String(
        required=True, data_key="to", metadata={"description": "ISO 639-1 code."}
    )
    sessions = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1)), load_default=list,
        metadata={"description": "Ids of the sessions where the pair is needed."},
    )  # fmt: skip


class DelegationIn(ma.Schema):
    name = ma.fields.String(required=True)
    country = ma.fields.String(
        required=True, metadata={"description": "ISO 3166-1 alpha-2 code: BE, IT, SN…"}
    )
    institution = ma.fields.String(load_default="")
    head = ma.fields.Nested(HeadIn, required=True)
    members = ma.fields.List(ma.fields.Nested(MemberIn), required=True)
    all_or_none = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "True: if the group does not fit whole, every member waits, in one position."
        },
    )
    interpreting = ma.fields.List(ma.fields.Nested(PairIn), load_default=list)
    sessions = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1)), load_default=list,
        metadata={"description": "Sessions taking registrations that every member attends."},
    )  # fmt: skip
    arrival_at = ma.fields.AwareDateTime(load_default=None, allow_none=True)
    departure_at = ma.fields.AwareDateTime(load_default=None, allow_none=True)


class MemberOut(ma.Schema):
    id = ma.fields.Integer()
    registration_id = ma.fields.Integer()
    first_name = ma.fields.String()
    last_name = ma.fields.String()
    language = ma.fields.String()
    role = ma.fields.String()
    status = ma.fields.String(
        metadata={"description": "confirmed, waitlisted, pending, cancelled…"}
    )
    waitlist_position = ma.fields.Integer(allow_none=True)


class DelegationOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    country = ma.fields.String()
    institution = ma.fields.String()
    status = ma.fields.String(
        metadata={"description": "confirmed, waitlisted, partial, pending or cancelled."}
    )
    all_or_none = ma.fields.Boolean()
    members = ma.fields.List(ma.fields.Nested(MemberOut))
    interpreting = ma.fields.List(ma.fields.Dict())


class DelegationList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DelegationOut))
    total = ma.fields.Integer()


def _dump(delegation: Delegation) -> dict[str, Any]:
    return {
        "id": delegation.id,
        "name": delegation.name,
        "country": delegation.country,
        "institution": delegation.institution,
        "status": dl.delegation_status(delegation),
        "all_or_none": delegation.all_or_none,
        "members": [
            {
                "id": seat.member.id,
                "registration_id": seat.member.registration_id,
                "first_name": seat.member.registration.first_name,
                "last_name": seat.member.registration.last_name,
                "language": seat.member.registration.language,
                "role": seat.member.role,
                "status": seat.status,
                "waitlist_position": seat.position,
            }
            for seat in dl.member_seats(delegation)
        ],
        "interpreting": [
            {
                "from": n.source_language,
                "to": n.target_language,
                "sessions": list(n.session_ids or []),
            }
            for n in delegation.interpreting
        ],
    }


def _fail(error: DomainError) -> NoReturn:
    answer_domain_error(error, per_field=bool(error.params.get("errors")))


def _delegation(event: Event, delegation_id: int) -> Delegation:
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.event_id != event.id:
        api_error(
            404,
            "delegation_not_found",
            _("Aucune délégation ne porte ce numéro pour cet événement."),
        )
    return delegation


@blp.route("/<code>/delegations")
class Delegations(MethodView):
    @documented(blp, 401, 403, 404)
    @blp.response(200, DelegationList)
    def get(self, code: str):
        """List an event's delegations (organisers)."""
        items = dl.event_delegations(event_for(code))
        return {"items": [_dump(d) for d in items], "total": len(items)}

    @documented(
        blp, 401, 403, 404, 409, 422,
        docs={
            409: "event_full (all_or_none, no waiting list), registration_closed.",
            422: "validation_error with details.fields: unknown_country, duplicate_member, already_registered, "
                 "invalid_email, unknown_language, unknown_session… (member fields as members.N.field).",
        },
    )  # fmt: skip
    @blp.arguments(DelegationIn)
    @blp.response(201, DelegationOut)
    def post(self, data: dict[str, Any], code: str):
        """Register a delegation: every member gets a registration, or nobody does."""
        event = event_for(code)
        head = data["head"]
        request_data = dl.DelegationInput(
            name=data["name"], country=data["country"], institution=data["institution"],
            head_first_name=head["first_name"], head_last_name=head["last_name"], head_email=head["email"],
            head_language=head["language"],
            members=[dl.MemberInput(first_name=m["first_name"], last_name=m["last_name"], email=m["email"] or "",
                                    language=m["language"], role=m["role"]) for m in data["members"]],
            all_or_none=data["all_or_none"],
            interpreting=[dl.PairInput(p["source"], p["target"], p["sessions"]) for p in data["interpreting"]],
            sessions=data["sessions"], arrival_at=data["arrival_at"], departure_at=data["departure_at"],
        )  # fmt: skip
        try:
            delegation = dl.register_delegation(event, request_data, source="api")
            body = _dump(delegation)
            db.session.commit()
        except DomainError as error:
            _fail(error)
        return body, 201


@blp.route("/<code>/delegations/<int:delegation_id>")
class DelegationItem(MethodView):
    @documented(blp, 401, 403, 404)
    @blp.response(200, DelegationOut)
    def get(self, code: str, delegation_id: int):
        """One delegation, with each member's registration and status."""
        return _dump(_delegation(event_for(code), delegation_id))


def register(api: Api) -> None:
    """Attach this module's blueprints to the API."""
    api.register_blueprint(blp)
