"""The network's directory and volunteer translations over JSON: coordinators search and add
members (who confirm from an e-mailed link); organisers ask volunteers to translate a session, or
the event's own presentation."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_smorest import Api

from eventsys.blueprints.api.common import (
    ApiBlueprint,
    api_error,
    api_user,
    documented,
    event_for,
    raise_domain,
)
from eventsys.blueprints.api.schemas import MAX_ID
from eventsys.extensions import db
from eventsys.models import ProgrammeSession
from eventsys.models.directory import DirectoryProfile, TranslationRequest
from eventsys.services.directory import notices, profiles, search, translations
from eventsys.services.directory import vocabulary as vocab
from eventsys.services.directory.errors import ProfileInvalid
from eventsys.services.errors import DomainError

directory = ApiBlueprint(
    "directory_api",
    __name__,
    url_prefix="/api/v1/directory",
    description="The network's directory of engineers, the languages they offer and what they volunteer "
    "for (coordinators only). Roles: `translation`, `interpreting`, `co_facilitation`, `hosting`; "
    "levels `A1`…`C2` and `native`; languages are ISO 639-1 codes.",
)
volunteer_translations = ApiBlueprint(
    "translations_api",
    __name__,
    url_prefix="/api/v1/events",
    description="Translations by volunteers of the directory (organisers): a session's title and abstract, "
    "or the event's own presentation (title, subtitle, description).",
)

DIRECTORY_ERRORS = {
    403: "`forbidden`: the token's account is not a coordinator of the directory.",
    404: "`profile_not_found`.",
    409: "`profile_exists`: this e-mail address already has a profile.",
    422: "`validation_error` (a malformed body), or the first mistake's code: `invalid_language` (not "
    "ISO 639-1), `invalid_level`, `invalid_role`, `invalid_topic`, `invalid_region`, `invalid_visibility`, "
    "`invalid_email`, `required`; `details.fields` lists every field with its code and messages.",
}
TRANSLATION_ERRORS = {
    403: "`forbidden`: the token's account is not an organiser of this event.",
    404: "`event_not_found` or `session_not_found`.",
    422: "`validation_error` (a malformed body), `invalid_language` (not ISO 639-1), `language_not_offered` "
    "(the main language, or not a content language), `invalid_level`, `volunteer_refused` (does not "
    "speak both languages at the level, or is not a volunteer for translation: the message says "
    "why, `details.volunteer` names them).",
}


class LanguageSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "ISO 639-1, e.g. `de`."})
    level = ma.fields.String(required=True, metadata={"description": "`A1`…`C2` or `native`."})


class ProfileOut(ma.Schema):
    id = ma.fields.Integer()
    first_name = ma.fields.String()
    last_name = ma.fields.String()
    organisation = ma.fields.String()
    region = ma.fields.String(
        metadata={"description": "ISO 3166-2:FR code (overseas included) or `abroad`."}
    )
    languages = ma.fields.List(ma.fields.Nested(LanguageSchema))
    roles = ma.fields.List(ma.fields.String())
    topics = ma.fields.List(ma.fields.String())


class ProfileDetail(ProfileOut):
    email = ma.fields.String()
    job_title = ma.fields.String()
    visibility = ma.fields.String()
    status = ma.fields.String(
        metadata={"description": "`pending_confirmation` until its owner confirms, then `active`."}
    )


class ProfileIn(ma.Schema):
    first_name = ma.fields.String(required=True)
    last_name = ma.fields.String(required=True)
    email = ma.fields.String(
        required=True, metadata={"description": "The person is sent a link to confirm."}
    )
    organisation = ma.fields.String(load_default="")
    job_title = ma.fields.String(load_default="")
    region = ma.fields.String(load_default="")
    language = ma.fields.String(
        load_default="fr", metadata={"description": "Language of the e-mails: fr, en, de, es, it."}
    )
    languages = ma.fields.List(ma.fields.Nested(LanguageSchema), load_default=list)
    roles = ma.fields.List(ma.fields.String(), load_default=list)
    topics = ma.fields.List(ma.fields.String(), load_default=list)
    visibility = ma.fields.String(
        load_default="coordinators", metadata={"description": "`coordinators` or `members`."}
    )


class Created(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String()


class SearchArgs(ma.Schema):
    language = ma.fields.String(metadata={"description": "Speaks this language (ISO 639-1)."})
    other_language = ma.fields.String(metadata={"description": "…and this one (a language pair)."})
    level = ma.fields.String(
        metadata={"description": "At least this level in the languages asked."}
    )
    role = ma.fields.String()
    topic = ma.fields.String()
    region = ma.fields.String()


class InvitationOut(ma.Schema):
    volunteer_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String(
        metadata={"description": "`invited`, `accepted`, `declined` or `withdrawn`."}
    )


class TranslationOut(ma.Schema):
    id = ma.fields.Integer()
    target = ma.fields.String(
        metadata={
            "description": "`session` (its title and abstract) or `event` (its presentation)."
        }
    )
    session_id = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "The session, or null for the event's presentation."},
    )
    language = ma.fields.String()
    min_level = ma.fields.String()
    status = ma.fields.String(
        metadata={
            "description": "`asked`, `accepted`, `submitted`, `published`, `declined` or `closed`."
        }
    )
    volunteer_id = ma.fields.Integer(allow_none=True, metadata={"description": "Who accepted it."})
    invitations = ma.fields.List(ma.fields.Nested(InvitationOut))
    text = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "What was submitted, then published."},
    )


class TranslationIn(ma.Schema):
    language = ma.fields.String(
        required=True, metadata={"description": "ISO 639-1: the language to translate into."}
    )
    volunteers = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID)),
        required=True,
        validate=ma.validate.Length(min=1, max=50),
        metadata={"description": "Directory ids of the volunteers to invite."},
    )
    min_level = ma.fields.String(
        load_default=vocab.TRANSLATION_LEVEL, metadata={"description": "Asked in both languages."}
    )
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


def _coordinator() -> None:
    if not search.is_coordinator(api_user()):
        api_error(403, "forbidden", _("Le compte de ce jeton ne coordonne pas l'annuaire."))


def _profile(profile: DirectoryProfile, detail: bool = False) -> dict[str, Any]:
    out = {
        "id": profile.id, "first_name": profile.first_name, "last_name": profile.last_name,
        "organisation": profile.organisation, "region": profile.region,
        "languages": [{"code": row.code, "level": row.level} for row in profile.languages],
        "roles": list(profile.roles or []), "topics": list(profile.topics or []),
    }  # fmt: skip
    if detail:
        out.update(
            email=profile.email,
            job_title=profile.job_title,
            visibility=profile.visibility,
            status=profile.status,
        )
    return out


@directory.route("")
class Directory(MethodView):
    @documented(directory, 403, 422, docs=DIRECTORY_ERRORS)
    @directory.arguments(SearchArgs, location="query")
    @directory.response(200, ProfileOut(many=True))
    def get(self, args: dict[str, Any]):
        """Search the active profiles (coordinators)."""
        _coordinator()
        criteria = search.Criteria(
            language=args.get("language", "").lower(), other_language=args.get("other_language", "").lower(),
            min_level=args.get("level", "") if args.get("level") in vocab.LEVELS else "",
            role=args.get("role", ""), topic=args.get("topic", ""), region=args.get("region", ""),
        )  # fmt: skip
        if args.get("level") and args["level"] not in vocab.LEVELS:
            api_error(
                422, "invalid_level", _("Niveau inconnu : %(level)s.", level=args["level"][:10])
            )
        return [_profile(p) for p in search.search_profiles(criteria)]

    @documented(directory, 403, 409, 422, docs=DIRECTORY_ERRORS)
    @directory.arguments(ProfileIn)
    @directory.response(201, Created)
    def post(self, data: dict[str, Any]):
        """Add someone to the directory (coordinators): they get a link to confirm their profile."""
        _coordinator()
        languages = [(row["code"], row["level"]) for row in data.pop("languages")]
        email = data.pop("email")
        try:
            profile = profiles.create_profile(
                email,
                profiles.ProfileInput(**data, languages=languages),
                confirmed=False,
                invited_by=api_user(),
            )
            notices.profile_invitation(
                profile, profiles.profile_token(profile), api_user().name or api_user().email
            )
            db.session.commit()
        except ProfileInvalid as error:
            db.session.rollback()
            codes, errors = error.params["codes"], error.params["errors"]
            fields = {
                name: {"code": codes[name], "messages": [str(m) for m in messages]}
                for name, messages in errors.items()
            }
            api_error(422, next(iter(codes.values())), str(error), fields=fields)
        except DomainError as error:
            db.session.rollback()
            raise_domain(error)
        return {"id": profile.id, "status": profile.status}


@directory.route(f"/<int(min=1, max={MAX_ID}):profile_id>")
class DirectoryProfileItem(MethodView):
    @documented(directory, 403, 404, docs=DIRECTORY_ERRORS)
    @directory.response(200, ProfileDetail)
    def get(self, profile_id: int):
        """One profile, pending or active, with its e-mail (coordinators)."""
        _coordinator()
        profile = db.session.get(DirectoryProfile, profile_id)
        if profile is None:
            api_error(
                404,
                "profile_not_found",
                _("Aucun profil de l'annuaire ne porte le numéro %(id)s.", id=profile_id),
            )
        return _profile(profile, detail=True)


def _translation(request: TranslationRequest) -> dict[str, Any]:
    return {
        "id": request.id, "target": request.target, "session_id": request.session_id, "language": request.language,
        "min_level": request.min_level, "status": request.status, "volunteer_id": request.volunteer_id,
        "invitations": [{"volunteer_id": i.profile_id, "status": i.status} for i in request.invitations],
        "text": dict(request.text or {}),
    }  # fmt: skip


def _session(code: str, session_id: int) -> tuple[Any, ProgrammeSession]:
    event = event_for(code)
    session = db.session.get(ProgrammeSession, session_id)
    if session is None or session.event_id != event.id:
        api_error(
            404, "session_not_found", _("Aucune session ne porte ce numéro dans cet événement.")
        )
    return event, session


@volunteer_translations.route(
    f"/<string(maxlength=64):code>/sessions/<int(min=1, max={MAX_ID}):session_id>/translations"
)
class SessionTranslations(MethodView):
    @documented(volunteer_translations, docs=TRANSLATION_ERRORS)
    @volunteer_translations.response(200, TranslationOut(many=True))
    def get(self, code: str, session_id: int):
        """The translation requests of a session, newest first (organisers)."""
        event, session = _session(code, session_id)
        return [_translation(r) for r in translations.requests_for(event, session)]

    @documented(volunteer_translations, 403, 422, docs=TRANSLATION_ERRORS)
    @volunteer_translations.arguments(TranslationIn)
    @volunteer_translations.response(201, TranslationOut)
    def post(self, data: dict[str, Any], code: str, session_id: int):
        """Ask volunteers to translate the session's title and abstract (organisers); each is e-mailed."""
        return _ask(*_session(code, session_id), data)


@volunteer_translations.route("/<string(maxlength=64):code>/translations")
class EventTranslations(MethodView):
    @documented(volunteer_translations, 403, docs=TRANSLATION_ERRORS)
    @volunteer_translations.response(200, TranslationOut(many=True))
    def get(self, code: str):
        """The translation requests of the event's presentation, newest first (organisers); a
        session's are under its own path."""
        return [_translation(r) for r in translations.requests_for_presentation(event_for(code))]

    @documented(volunteer_translations, 403, 422, docs=TRANSLATION_ERRORS)
    @volunteer_translations.arguments(TranslationIn)
    @volunteer_translations.response(201, TranslationOut)
    def post(self, data: dict[str, Any], code: str):
        """Ask volunteers to translate the event's presentation: its title, subtitle and description
        (organisers); each is e-mailed, and once published visitors in that language read it."""
        return _ask(event_for(code), None, data)


def _ask(event: Any, session: ProgrammeSession | None, data: dict[str, Any]) -> dict[str, Any]:
    try:
        request = translations.ask_translation(
            event, session, data["language"], data["volunteers"], api_user(), min_level=data["min_level"],
            note=data["note"], requester_language=str(get_locale() or "fr"),
        )  # fmt: skip
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise_domain(error)
    return _translation(request)


def register(api: Api) -> None:
    """Attach this module's blueprints to the API."""
    api.register_blueprint(directory)
    api.register_blueprint(volunteer_translations)
