"""Directory profiles: checked input, verified creation, the private link, export, erasure, purge.

A profile is only ever `active` once its owner saved it from a link that reached their mailbox:
their registration's private link (the e-mail is the registration's), or the link of the
invitation or confirmation e-mail. Until then (`pending_confirmation`) nobody searches it.
Functions flush, never commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.directory import (
    PROFILE_ACTIVE,
    PROFILE_PENDING,
    VISIBILITIES,
    VISIBILITY_COORDINATORS,
    DirectoryLanguage,
    DirectoryProfile,
)
from eventsys.models.people import User
from eventsys.models.types import max_length, utcnow
from eventsys.services.directory import vocabulary as vocab
from eventsys.services.directory.errors import ProfileExists, ProfileInvalid
from eventsys.services.directory.translations import close_for_profile, requests_of
from eventsys.services.errors import FieldErrors
from eventsys.text import one_line

LINK_SALT = "eventsys.directory-profile"
FORMAT = "eventsys.directory-profile/1"
MAX_LANGUAGES = 12
PENDING_DAYS = 30  # an invitation nobody confirmed is forgotten after that


@dataclass
class ProfileInput:
    """What a person (or a coordinator, for an invitation) says about a member."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    organisation: str = ""
    job_title: str = ""
    region: str = ""
    language: str = "fr"
    languages: list[tuple[str, str]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    visibility: str = VISIBILITY_COORDINATORS
    show_email: bool = False


class _Errors(FieldErrors):
    invalid = ProfileInvalid
    message = _l("Certaines informations du profil ne conviennent pas.")


def normalise_email(raw: Any) -> str:
    """The address as it is stored (and compared): normalised, lower case; ValueError otherwise."""
    value = one_line(raw or "")
    if not value or len(value) > 254:
        raise ValueError(value)
    try:
        return validate_email(value, check_deliverability=False).normalized.casefold()
    except EmailNotValidError as error:
        raise ValueError(str(error)) from error


def check_languages(errors: _Errors, pairs: Any) -> list[tuple[str, str]]:
    """[(code, level)] checked: ISO 639-1 codes, known levels, each language once."""
    out: list[tuple[str, str]] = []
    if not isinstance(pairs, list | tuple):
        errors.add("languages", "invalid_language", _("Les langues doivent être une liste."))
        return out
    if len(pairs) > MAX_LANGUAGES:
        errors.add("languages", "too_many", _("%(max)d langues au maximum.", max=MAX_LANGUAGES))
    for pair in list(pairs)[:MAX_LANGUAGES]:
        code, level = (
            (str(pair[0]).strip().lower(), str(pair[1]).strip()) if len(pair) == 2 else ("", "")
        )
        if code not in vocab.iso_639_1():
            errors.add(
                "languages", "invalid_language",
                _("« %(code)s » n'est pas un code de langue ISO 639-1 (deux lettres, par exemple de, en, es).",
                  code=code[:10]),
            )  # fmt: skip
        elif level.lower() != "native" and level.upper() not in vocab.LEVELS:
            errors.add(
                "languages", "invalid_level",
                _("Niveau inconnu pour %(language)s : %(level)s (niveaux possibles : A1 à C2, ou langue maternelle).",
                  language=code, level=level[:10]),
            )  # fmt: skip
        elif code in {c for c, _level in out}:
            errors.add(
                "languages",
                "duplicate_language",
                _("La langue %(code)s est indiquée deux fois.", code=code),
            )
        else:
            out.append((code, "native" if level.lower() == "native" else level.upper()))
    return out


def _check_choices(
    errors: _Errors, name: str, values: Any, known: dict[str, Any], code: str
) -> list[str]:
    values = list(values or []) if isinstance(values, list | tuple) else [values]
    wrong = [str(v)[:40] for v in values if v not in known]
    if wrong:
        errors.add(name, code, _("Valeur inconnue : %(values)s (valeurs possibles : %(known)s).",
                                 values=", ".join(wrong), known=", ".join(known)))  # fmt: skip
    return [v for v in known if v in values]  # known order, no duplicates


def check_input(
    data: ProfileInput, *, need_email: bool = False, need_languages: bool = True
) -> dict[str, Any]:
    """The profile's clean fields, or ProfileInvalid listing every mistake."""
    errors = _Errors()
    clean: dict[str, Any] = {}
    for name in ("first_name", "last_name", "organisation", "job_title"):
        value = one_line(getattr(data, name) or "")
        if len(value) > max_length(getattr(DirectoryProfile, name)):
            errors.add(
                name,
                "too_long",
                _(
                    "%(max)d caractères au maximum.",
                    max=max_length(getattr(DirectoryProfile, name)),
                ),
            )
        clean[name] = value
    for name in ("first_name", "last_name"):
        if not clean[name]:
            errors.add(
                name,
                "required",
                _("Indiquez votre prénom.") if name == "first_name" else _("Indiquez votre nom."),
            )
    if need_email or data.email:
        try:
            clean["email"] = normalise_email(data.email)
        except ValueError:
            errors.add(
                "email",
                "invalid_email",
                _("Adresse e-mail invalide : vérifiez-la (exemple : prenom.nom@ville.fr)."),
            )
    if data.region and data.region not in vocab.REGIONS:
        errors.add(
            "region", "invalid_region", _("Région inconnue : %(code)s.", code=str(data.region)[:20])
        )
    clean["region"] = data.region if data.region in vocab.REGIONS else ""
    clean["language"] = data.language if data.language in current_app.config["LANGUAGES"] else "fr"
    clean["languages"] = check_languages(errors, data.languages)
    if need_languages and not clean["languages"] and "languages" not in errors:
        errors.add("languages", "required", _("Indiquez au moins une langue et votre niveau."))
    clean["roles"] = _check_choices(errors, "roles", data.roles, vocab.ROLES, "invalid_role")
    clean["topics"] = _check_choices(errors, "topics", data.topics, vocab.TOPICS, "invalid_topic")
    if data.visibility not in VISIBILITIES:
        errors.add(
            "visibility",
            "invalid_visibility",
            _("Visibilité inconnue : %(value)s.", value=str(data.visibility)[:20]),
        )
    clean["visibility"] = (
        data.visibility if data.visibility in VISIBILITIES else VISIBILITY_COORDINATORS
    )
    clean["show_email"] = bool(data.show_email)
    errors.raise_if_any()
    return clean


def _apply(profile: DirectoryProfile, clean: dict[str, Any]) -> None:
    for name, value in clean.items():
        if name not in ("languages", "email"):
            setattr(profile, name, value)
    wanted = dict(clean["languages"])
    for row in list(profile.languages):
        if row.code not in wanted:
            profile.languages.remove(row)
        else:
            row.level = wanted.pop(row.code)
    for code, level in clean["languages"]:
        if code in wanted:
            profile.languages.append(DirectoryLanguage(code=code, level=level))


def find_profile(email: str) -> DirectoryProfile | None:
    try:
        key = normalise_email(email)
    except ValueError:
        return None
    return db.session.scalar(select(DirectoryProfile).where(DirectoryProfile.email == key))


def create_profile(
    email: str, data: ProfileInput, *, confirmed: bool, invited_by: User | None = None
) -> DirectoryProfile:
    """A new profile for an address that has none: active when its owner is the one saving it
    (their address proven by the link they came from), otherwise waiting for their confirmation."""
    data.email = email
    clean = check_input(data, need_email=True, need_languages=confirmed)
    if find_profile(clean["email"]) is not None:
        raise ProfileExists(_("Cette adresse e-mail figure déjà dans l'annuaire."))
    profile = DirectoryProfile(
        email=clean["email"], link_secret=secrets.token_urlsafe(32), status=PROFILE_PENDING,
        invited_by_id=invited_by.id if invited_by else None,
    )  # fmt: skip
    _apply(profile, clean)
    if confirmed:
        _confirm(profile)
    db.session.add(profile)
    db.session.flush()
    return profile


def _confirm(profile: DirectoryProfile) -> None:
    now = utcnow()
    profile.status = PROFILE_ACTIVE
    profile.consent_at = profile.consent_at or now
    profile.confirmed_at = now


def save_profile(profile: DirectoryProfile, data: ProfileInput) -> DirectoryProfile:
    """The owner saves their profile from its link: it is (or stays) active, its retention renewed."""
    clean = check_input(data)
    _apply(profile, clean)
    _confirm(profile)
    profile.consent_at = utcnow()
    db.session.flush()
    return profile


def input_from(profile: DirectoryProfile) -> ProfileInput:
    """The profile as a form's starting values."""
    return ProfileInput(
        first_name=profile.first_name, last_name=profile.last_name, email=profile.email,
        organisation=profile.organisation, job_title=profile.job_title, region=profile.region,
        language=profile.language, languages=[(row.code, row.level) for row in profile.languages],
        roles=list(profile.roles or []), topics=list(profile.topics or []), visibility=profile.visibility,
        show_email=profile.show_email,
    )  # fmt: skip


# ------------------------------------------------------------------ the private link


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def profile_token(profile: DirectoryProfile) -> str:
    """The private link's token: the profile id and its random secret, signed."""
    return _serializer().dumps([profile.id, profile.link_secret])


def profile_from_token(token: str) -> DirectoryProfile | None:
    """The profile behind a private link, or None (altered, replaced, erased, purged)."""
    try:
        profile_id, secret = _serializer().loads(token)
        profile = db.session.get(DirectoryProfile, int(profile_id))
    except (BadSignature, TypeError, ValueError):
        return None
    if profile is None or not secrets.compare_digest(profile.link_secret, str(secret)):
        return None
    return profile


# ------------------------------------------------------------------ personal data


def retention_months() -> int:
    return int(current_app.config.get("DIRECTORY_RETENTION_MONTHS", 36))


def expires_on(profile: DirectoryProfile) -> datetime | None:
    """When the profile will be deleted unless its owner saves it again."""
    start = profile.confirmed_at or profile.created_at
    if profile.status != PROFILE_ACTIVE:
        return start + timedelta(days=PENDING_DAYS)
    return start + timedelta(days=round(retention_months() * 30.44))


def profile_data(profile: DirectoryProfile) -> dict[str, Any]:
    """Everything kept about the person, for their download (never the link's secret)."""

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "format": FORMAT,
        "profile": {
            "first_name": profile.first_name, "last_name": profile.last_name, "email": profile.email,
            "organisation": profile.organisation, "job_title": profile.job_title, "region": profile.region,
            "language": profile.language,
            "languages": [{"code": row.code, "level": row.level} for row in profile.languages],
            "roles": list(profile.roles or []), "topics": list(profile.topics or []),
            "visibility": profile.visibility, "show_email": profile.show_email, "status": profile.status,
            "created_at": when(profile.created_at), "consent_at": when(profile.consent_at),
            "confirmed_at": when(profile.confirmed_at), "expires_at": when(expires_on(profile)),
        },
        "translation_requests": requests_of(profile),
    }  # fmt: skip


def erase_profile(profile: DirectoryProfile) -> None:
    """Delete the profile; its open translation requests are closed, the rest of them kept."""
    close_for_profile(profile)
    db.session.delete(profile)
    db.session.flush()


def purge_expired(now: datetime | None = None) -> int:
    """Erase profiles past their retention period, and invitations never confirmed; how many."""
    now = now or utcnow()
    expired = [
        profile
        for profile in db.session.scalars(select(DirectoryProfile))
        if (expiry := expires_on(profile)) is not None and expiry <= now
    ]
    for profile in expired:
        erase_profile(profile)
    return len(expired)
