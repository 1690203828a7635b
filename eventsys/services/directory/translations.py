"""Translations by volunteers: an organiser asks, volunteers from the directory accept and
translate from a private link, the organiser reviews and publishes into the content's language
version (`translations` of the session or event; visitors see the main language until then).

Statuses of a request: asked → accepted (the first volunteer to accept takes it; the others'
invitations are withdrawn) → submitted → published; declined when every volunteer asked declined;
closed when its volunteer erased their profile before submitting. Functions flush, never commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.directory import (
    INVITE_ACCEPTED,
    INVITE_DECLINED,
    INVITE_INVITED,
    INVITE_WITHDRAWN,
    OPEN_REQUESTS,
    PROFILE_ACTIVE,
    REQUEST_ACCEPTED,
    REQUEST_ASKED,
    REQUEST_CLOSED,
    REQUEST_DECLINED,
    REQUEST_PUBLISHED,
    REQUEST_SUBMITTED,
    TARGET_DOCUMENT,
    TARGET_EVENT,
    TARGET_SESSION,
    DirectoryProfile,
    TranslationInvitation,
    TranslationRequest,
)
from eventsys.models.people import User
from eventsys.models.translatable import CONTENT_LANGUAGES, check_translations
from eventsys.models.types import utcnow
from eventsys.services.directory import documents, notices, search
from eventsys.services.directory import vocabulary as vocab
from eventsys.services.directory.errors import (
    TranslationInvalid,
    TranslationState,
    VolunteerRefused,
)
from eventsys.text import breaks_line

LINK_SALT = "eventsys.translation-invitation"
FIELDS = {
    TARGET_SESSION: ("title", "description"),
    TARGET_EVENT: ("title", "subtitle", "context"),
    TARGET_DOCUMENT: documents.FIELDS,
}
ROLE = "translation"


def target_of(request: TranslationRequest) -> Any:
    """The session or event whose text (or a session's document) is translated."""
    return request.event if request.target == TARGET_EVENT else request.session


def fields_of(request: TranslationRequest) -> tuple[str, ...]:
    return FIELDS[request.target]


def field_limit(model: Any, name: str) -> int | None:
    """The column's length for one-line fields (None: long text)."""
    return getattr(model.__table__.c[name].type, "length", None)


def source_texts(request: TranslationRequest) -> dict[str, str]:
    """The main language's text of each field, as the volunteer translates it (empty ones left out)."""
    target = target_of(request)
    if request.target == TARGET_DOCUMENT:
        return documents.source_texts(target, (request.text or {}).get(documents.SOURCE, ""))
    return {
        name: getattr(target, name) or ""
        for name in fields_of(request)
        if (getattr(target, name) or "").strip()
    }


def sources_and_limits(request: TranslationRequest) -> tuple[dict[str, str], dict[str, int | None]]:
    """The texts to translate and each field's length limit (None: long text)."""
    sources = source_texts(request)
    if request.target == TARGET_DOCUMENT:
        return sources, {name: documents.LIMITS[name] for name in sources}
    model = type(target_of(request))
    return sources, {name: field_limit(model, name) for name in sources}


def target_languages(event: Event) -> list[str]:
    """Languages a session or the event may be translated into: the content languages but the main one."""
    return [code for code in CONTENT_LANGUAGES if code != event.default_language]


def refusal(profile: DirectoryProfile, source: str, target: str, min_level: str) -> str | None:
    """Why this person cannot be asked for this translation, or None when they can."""
    if profile.status != PROFILE_ACTIVE:
        return _("%(name)s n'a pas encore confirmé son profil.", name=profile.name)
    if ROLE not in (profile.roles or []):
        return _("%(name)s ne s'est pas proposé·e pour la traduction.", name=profile.name)
    for code in (source, target):
        level = profile.level_of(code)
        if level is None:
            return _(
                "%(name)s ne parle pas %(language)s.",
                name=profile.name,
                language=vocab.language_name(code, _locale()),
            )
        if not vocab.level_at_least(level, min_level):
            return _(
                "%(name)s indique le niveau %(level)s en %(language)s ; le niveau demandé est %(min)s.",
                name=profile.name, level=vocab.level_label(level), language=vocab.language_name(code, _locale()),
                min=vocab.level_label(min_level),
            )  # fmt: skip
    return None


def _locale() -> str:
    return str(get_locale() or "fr")


def propose_volunteers(source: str, target: str, min_level: str) -> list[DirectoryProfile]:
    """Active volunteers for translation who speak both languages at least at `min_level`."""
    criteria = search.Criteria(
        language=source, other_language=target, min_level=min_level, role=ROLE
    )
    return search.search_profiles(criteria, limit=None)


def ask_translation(
    event: Event,
    session: ProgrammeSession | None,
    language: str,
    volunteer_ids: Iterable[int],
    requested_by: User | None,
    *,
    min_level: str = vocab.TRANSLATION_LEVEL,
    note: str = "",
    requester_language: str = "fr",
    document: int | None = None,
) -> TranslationRequest:
    """A new request, and an invitation e-mailed to each volunteer (each one checked first).

    `document`: the position, in the session's links, of the attachment to translate instead of
    the session's title and abstract."""
    language = (language or "").strip().lower()
    if language not in vocab.iso_639_1():
        raise TranslationInvalid(
            _("« %(code)s » n'est pas un code de langue ISO 639-1.", code=language[:10]),
            field="language",
            reason="invalid_language",
        )
    if language not in target_languages(event):
        raise TranslationInvalid(
            _(
                "Le contenu peut être traduit en : %(known)s.",
                known=", ".join(target_languages(event)),
            ),
            field="language",
            reason="language_not_offered",
        )
    if min_level not in vocab.LEVELS:
        raise TranslationInvalid(
            _("Niveau inconnu : %(level)s.", level=str(min_level)[:10]),
            field="min_level",
            reason="invalid_level",
        )
    if session is not None and session.event_id != event.id:
        raise TranslationInvalid(
            _("Cette session n'appartient pas à cet événement."), field="session"
        )
    attachment = None
    if document is not None:
        attachment = documents.attachment_at(session, document) if session is not None else None
        if attachment is None:
            raise TranslationInvalid(
                _("Ce document n'est pas joint à cette session."), field="document"
            )
    request = TranslationRequest(
        event=event, session=session, status=REQUEST_ASKED, text={}, target=TARGET_SESSION if session is not None else TARGET_EVENT,
        source_language=event.default_language, language=language, min_level=min_level, note=note or "",
        requested_by_id=requested_by.id if requested_by else None,
        requester_language=requester_language if requester_language in current_app.config["LANGUAGES"] else "fr",
    )  # fmt: skip
    if attachment is not None:
        request.target, request.text = TARGET_DOCUMENT, {documents.SOURCE: attachment["url"]}
    db.session.add(request)
    invite_volunteers(request, volunteer_ids)
    return request


def invite_volunteers(
    request: TranslationRequest, volunteer_ids: Iterable[int]
) -> list[TranslationInvitation]:
    """Invite more volunteers to an open request; refused as a whole if one of them does not fit."""
    if request.status not in OPEN_REQUESTS:
        raise TranslationState(_("Cette demande n'attend plus de volontaire."))
    ids = list(dict.fromkeys(int(i) for i in volunteer_ids))
    if not ids:
        raise TranslationInvalid(_("Choisissez au moins un·e volontaire."), field="volunteers")
    profiles = {
        p.id: p
        for p in db.session.scalars(select(DirectoryProfile).where(DirectoryProfile.id.in_(ids)))
    }
    already = {invitation.profile_id for invitation in request.invitations}
    for profile_id in ids:
        profile = profiles.get(profile_id)
        if profile is None:
            raise VolunteerRefused(
                _("Aucun profil de l'annuaire ne porte le numéro %(id)s.", id=profile_id),
                volunteer=profile_id,
            )
        reason = refusal(profile, request.source_language, request.language, request.min_level)
        if reason:
            raise VolunteerRefused(reason, volunteer=profile_id)
    created = []
    for profile_id in ids:
        if profile_id in already:
            continue
        invitation = TranslationInvitation(
            profile=profiles[profile_id],
            status=INVITE_INVITED,
            link_secret=secrets.token_urlsafe(32),
        )
        request.invitations.append(invitation)
        created.append(invitation)
    db.session.flush()
    for invitation in created:
        notices.translation_invited(invitation, invitation_token(invitation))
    return created


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def invitation_token(invitation: TranslationInvitation) -> str:
    return _serializer().dumps([invitation.id, invitation.link_secret])


def invitation_from_token(token: str) -> TranslationInvitation | None:
    """The invitation behind a volunteer's private link, or None."""
    try:
        invitation_id, secret = _serializer().loads(token)
        invitation = db.session.get(TranslationInvitation, int(invitation_id))
    except (BadSignature, TypeError, ValueError):
        return None
    if invitation is None or not secrets.compare_digest(invitation.link_secret, str(secret)):
        return None
    return invitation


def accept(invitation: TranslationInvitation) -> None:
    """The volunteer takes the request; the other volunteers' invitations are withdrawn."""
    request = invitation.request
    if invitation.status == INVITE_ACCEPTED:
        return
    if invitation.status != INVITE_INVITED or request.status != REQUEST_ASKED:
        raise TranslationState(
            _(
                "Cette demande n'est plus ouverte : une autre personne l'a acceptée, ou elle a été close."
            )
        )
    invitation.status, invitation.answered_at = INVITE_ACCEPTED, utcnow()
    request.status, request.volunteer_id = REQUEST_ACCEPTED, invitation.profile_id
    withdrawn = [
        other
        for other in request.invitations
        if other is not invitation and other.status == INVITE_INVITED
    ]
    for other in withdrawn:
        other.status = INVITE_WITHDRAWN
    db.session.flush()
    notices.translation_answered(request, invitation.profile, accepted=True)
    for other in withdrawn:
        notices.translation_withdrawn(other, invitation_token(other))


def decline(invitation: TranslationInvitation) -> None:
    """The volunteer cannot; when nobody asked is left, the request is declined."""
    request = invitation.request
    if invitation.status != INVITE_INVITED:
        raise TranslationState(_("Vous avez déjà répondu à cette demande."))
    invitation.status, invitation.answered_at = INVITE_DECLINED, utcnow()
    if request.status == REQUEST_ASKED and not any(
        i.status == INVITE_INVITED for i in request.invitations
    ):
        request.status = REQUEST_DECLINED
    db.session.flush()
    notices.translation_answered(request, invitation.profile, accepted=False)


def check_texts(request: TranslationRequest, texts: Mapping[str, Any]) -> dict[str, str]:
    """The translated fields, checked like the organiser's own translations (length, one line)."""
    if request.target == TARGET_DOCUMENT:
        source = (request.text or {}).get(documents.SOURCE, "")
        return documents.check(target_of(request), source, texts)
    model = type(target_of(request))
    clean = {
        name: str(texts.get(name) or "").strip()
        for name in fields_of(request)
        if name in source_texts(request)
    }
    if not any(clean.values()):
        raise TranslationInvalid(_("La traduction est vide."), field="text")
    for name, value in clean.items():
        limit = field_limit(model, name)
        if limit and breaks_line(value):
            raise TranslationInvalid(_("Le titre tient sur une seule ligne."), field=name)
        if limit and len(value) > limit:
            raise TranslationInvalid(_("%(max)d caractères au maximum.", max=limit), field=name)
    problem = check_translations({request.language: {k: v for k, v in clean.items() if v}}, model)
    if problem:
        raise TranslationInvalid(problem, field="text")
    return clean


def submit(invitation: TranslationInvitation, texts: Mapping[str, Any]) -> None:
    """The volunteer hands in the translation, once."""
    request = invitation.request
    if request.status in (REQUEST_SUBMITTED, REQUEST_PUBLISHED):
        raise TranslationState(_("Cette traduction a déjà été envoyée."))
    if invitation.status != INVITE_ACCEPTED or request.status != REQUEST_ACCEPTED:
        raise TranslationState(_("Acceptez d'abord la demande."))
    request.text = check_texts(request, texts)
    request.status, request.submitted_at = REQUEST_SUBMITTED, utcnow()
    db.session.flush()
    notices.translation_submitted(request)


def publish(request: TranslationRequest, texts: Mapping[str, Any]) -> None:
    """The organiser's reviewed text becomes the language's version of the content."""
    if request.status not in (REQUEST_SUBMITTED, REQUEST_PUBLISHED):
        raise TranslationState(_("Rien à publier : la traduction n'a pas encore été envoyée."))
    clean = check_texts(request, texts)
    target = target_of(request)
    if request.target == TARGET_DOCUMENT:
        documents.publish(target, request.language, clean)
    else:
        entry = dict((target.translations or {}).get(request.language) or {})
        entry.update({k: v for k, v in clean.items() if v})
        target.set_translations({request.language: entry}, languages=[request.language])
    if isinstance(target, ProgrammeSession):
        target.sequence = (target.sequence or 0) + 1  # calendar clients see the change
    first = request.status != REQUEST_PUBLISHED
    request.text, request.status, request.published_at = clean, REQUEST_PUBLISHED, utcnow()
    db.session.flush()
    if first and request.volunteer is not None:
        notices.translation_published(request)


def requests_for(event: Event, session: ProgrammeSession | None = None) -> list[TranslationRequest]:
    query = select(TranslationRequest).where(TranslationRequest.event_id == event.id)
    if session is not None:
        query = query.where(TranslationRequest.session_id == session.id)
    query = query.options(selectinload(TranslationRequest.invitations)).order_by(
        TranslationRequest.id.desc()
    )
    return list(db.session.scalars(query))


def requests_for_presentation(event: Event) -> list[TranslationRequest]:
    """The requests for the event's own presentation (not its sessions'), newest first."""
    return [r for r in requests_for(event) if r.target == TARGET_EVENT]


def requests_of(profile: DirectoryProfile) -> list[dict[str, Any]]:
    """The person's invitations, for their personal data download."""
    rows = db.session.scalars(
        select(TranslationInvitation)
        .where(TranslationInvitation.profile_id == profile.id)
        .order_by(TranslationInvitation.id)
    )
    return [
        {"event": i.request.event.code, "language": i.request.language, "invitation": i.status,
         "request": i.request.status, "text": i.request.text if i.request.volunteer_id == profile.id else {}}
        for i in rows
    ]  # fmt: skip


def close_for_profile(profile: DirectoryProfile) -> None:
    """Before a profile is erased: its invitations are withdrawn; a request it had taken, or that
    nobody else was asked to do, is closed. Submitted and published texts stay."""
    invitations = db.session.scalars(
        select(TranslationInvitation).where(TranslationInvitation.profile_id == profile.id)
    )
    for invitation in invitations:
        request = invitation.request
        invitation.status = INVITE_WITHDRAWN
        others_open = any(
            i.status == INVITE_INVITED for i in request.invitations if i is not invitation
        )
        if (
            request.status == REQUEST_ACCEPTED
            and request.volunteer_id == profile.id
            or request.status == REQUEST_ASKED
            and not others_open
        ):
            request.status = REQUEST_CLOSED
    db.session.flush()
