"""Input checks: what a person (form, API, CSV row) asks for, cleaned, or every mistake listed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventsys import text as text_rule
from eventsys.models import Event
from eventsys.models.registration import (
    FIELD_HIDDEN,
    FIELD_REQUIRED,
    ORGANISATION_TYPES,
    QUESTION_CHOICE,
    QUESTION_YESNO,
    CustomQuestion,
    Registration,
    RegistrationSettings,
)
from eventsys.models.types import max_length
from eventsys.services.errors import FieldErrors, RegistrationInvalid

# Read from the columns: the form's maxlength, these checks and the database say the same.
NAME_MAX = max_length(Registration.first_name)
TEXT_MAX = max_length(Registration.organisation)
EMAIL_MESSAGE_MAX = 4000  # the organiser's paragraph in registration e-mails
LONG_TEXT_MAX = 2000
ANSWER_MAX = 1000
MAX_RANKED_THEMES = 5
_NAME_PUNCTUATION = set(" '’‘-‐.")


# ---------------------------------------------------------------------------------- inputs


@dataclass
class RegistrationInput:
    """What a person (form, API or CSV row) asks for; raw, before any check."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    organisation: str = ""
    organisation_type: str = ""
    job_title: str = ""
    language: str = ""
    sessions: Sequence[int] = ()
    networking_opt_in: bool | None = None
    networking_themes: Sequence[str] = ()
    lunch: bool | None = None
    accessibility: str = ""
    consent: bool = False
    answers: dict[int, Any] = field(default_factory=dict)
    # The uniqueness key when `email` is someone else's: a delegation member without an address of
    # their own is reached through the head's. Never set from a form.
    email_key: str = ""


class _Errors(FieldErrors):
    """field -> list of messages, plus a machine code per field for the API."""

    invalid = RegistrationInvalid
    message = _l("Le formulaire contient des erreurs : corrigez les champs signalés.")


clean_line = text_rule.one_line  # the one rule for one-line text (eventsys/text.py)
_clean_lines = text_rule.lines


def clean_text_block(value: Any) -> str:
    """Organiser's prose: NFC, control characters out, line breaks and paragraphs kept (at most
    one blank line between paragraphs), no trailing spaces."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(_clean_lines(value))).strip()


def clean_multiline(value: Any) -> str:
    """Like clean_line, line by line; blank lines collapse."""
    return "\n".join(line for line in _clean_lines(value) if line)


def _check_length(errors: _Errors, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(
            name,
            "too_long",
            _(
                "Ce champ ne doit pas dépasser %(max)d caractères (%(count)d saisis).",
                max=limit,
                count=len(value),
            ),
        )


def _check_name(errors: _Errors, name: str, raw: Any) -> str:
    value = clean_line(raw)
    if not value:
        message = _("Indiquez votre prénom.") if name == "first_name" else _("Indiquez votre nom.")
        errors.add(name, "required", message)
        return value
    _check_length(errors, name, value, NAME_MAX)
    letters = [c for c in value if unicodedata.category(c)[0] == "L"]
    allowed = all(
        unicodedata.category(c)[0] in ("L", "M")
        or c in _NAME_PUNCTUATION
        or c in text_rule.KEEP_FORMAT_CHARS
        for c in value
    )
    if not letters or not allowed:
        errors.add(
            name,
            "invalid_characters",
            _(
                "Un nom ne peut contenir que des lettres (de toute écriture), des espaces, "
                "des apostrophes, des traits d'union et des points."
            ),
        )
    return value


def normalise_email(raw: Any) -> tuple[str, str]:
    """(address as written, uniqueness key) — raises ValueError when it is not an address."""
    value = clean_line(raw)
    if not value or len(value) > 254:
        raise ValueError(value)
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from error
    return checked.normalized, checked.normalized.casefold()


def _check_email(errors: _Errors, raw: Any) -> tuple[str, str]:
    if not clean_line(raw):
        errors.add("email", "required", _("Indiquez votre adresse e-mail."))
        return "", ""
    try:
        return normalise_email(raw)
    except ValueError:
        errors.add(
            "email",
            "invalid_email",
            _("Adresse e-mail invalide : vérifiez-la (exemple : prenom.nom@ville.fr)."),
        )
        return "", ""


def languages_offered() -> list[str]:
    """Languages a person may choose for e-mails and badge."""
    return list(current_app.config["LANGUAGES"])


def _check_input(
    event: Event,
    settings: RegistrationSettings,
    questions: Sequence[CustomQuestion],
    data: RegistrationInput,
    *,
    require_consent: bool = True,
) -> tuple[dict[str, Any], dict[int, str]]:
    """Normalised personal fields and answers, or RegistrationInvalid listing every mistake."""
    errors = _Errors()
    clean: dict[str, Any] = {
        "first_name": _check_name(errors, "first_name", data.first_name),
        "last_name": _check_name(errors, "last_name", data.last_name),
    }
    clean["email"], clean["email_key"] = _check_email(errors, data.email)
    if data.email_key and clean["email"]:
        clean["email_key"] = data.email_key

    for name, limit in (("organisation", TEXT_MAX), ("job_title", TEXT_MAX)):
        mode = settings.mode(name)
        value = clean_line(getattr(data, name)) if mode != FIELD_HIDDEN else ""
        if mode == FIELD_REQUIRED and not value:
            errors.add(name, "required", _("Ce champ est obligatoire."))
        _check_length(errors, name, value, limit)
        clean[name] = value

    org_type = (
        clean_line(data.organisation_type)
        if settings.mode("organisation_type") != FIELD_HIDDEN
        else ""
    )
    if org_type and org_type not in ORGANISATION_TYPES:
        errors.add("organisation_type", "invalid_choice", _("Choix invalide."))
    elif not org_type and settings.mode("organisation_type") == FIELD_REQUIRED:
        errors.add("organisation_type", "required", _("Ce champ est obligatoire."))
    clean["organisation_type"] = org_type

    language = clean_line(data.language) or (
        event.language_list[0] if event.language_list else "fr"
    )
    if language not in languages_offered():
        language_default = current_app.config["BABEL_DEFAULT_LOCALE"]
        if data.language:
            errors.add("language", "invalid_choice", _("Langue non proposée."))
        language = language_default
    clean["language"] = language

    for name in ("lunch",):
        mode = settings.mode(name)
        value = getattr(data, name) if mode != FIELD_HIDDEN else None
        if mode == FIELD_REQUIRED and value is None:
            errors.add(name, "required", _("Répondez par oui ou par non."))
        clean[name] = value

    accessibility = (
        clean_multiline(data.accessibility)
        if settings.mode("accessibility") != FIELD_HIDDEN
        else ""
    )
    if settings.mode("accessibility") == FIELD_REQUIRED and not accessibility:
        errors.add(
            "accessibility",
            "required",
            _("Ce champ est obligatoire (écrivez « aucun » si besoin)."),
        )
    _check_length(errors, "accessibility", accessibility, LONG_TEXT_MAX)
    clean["accessibility"] = accessibility

    themes_offered = list(settings.networking_themes or [])
    networking_on = settings.mode("networking") != FIELD_HIDDEN
    opt_in = data.networking_opt_in if networking_on else None
    if networking_on and settings.mode("networking") == FIELD_REQUIRED and opt_in is None:
        errors.add("networking", "required", _("Répondez par oui ou par non."))
    ranked = (
        [clean_line(theme) for theme in data.networking_themes if clean_line(theme)]
        if opt_in
        else []
    )
    if len(set(ranked)) != len(ranked):
        errors.add(
            "networking_themes",
            "duplicate_theme",
            _("Chaque thème ne peut être classé qu'une fois."),
        )
    elif any(theme not in themes_offered for theme in ranked):
        errors.add(
            "networking_themes",
            "invalid_choice",
            _("Thème inconnu : choisissez parmi les thèmes proposés."),
        )
    elif len(ranked) > MAX_RANKED_THEMES:
        errors.add(
            "networking_themes",
            "too_many",
            _("Classez au plus %(max)d thèmes.", max=MAX_RANKED_THEMES),
        )
    clean["networking_opt_in"] = bool(opt_in)
    clean["networking_themes"] = ranked

    if require_consent and data.consent is not True:
        errors.add(
            "consent",
            "consent_required",
            _("Votre accord est nécessaire pour traiter votre inscription."),
        )

    answers = _check_answers(errors, questions, data.answers or {})
    errors.raise_if_any()
    return clean, answers


def _check_answers(
    errors: _Errors, questions: Sequence[CustomQuestion], raw: dict[Any, Any]
) -> dict[int, str]:
    known = {q.id: q for q in questions}
    given: dict[int, Any] = {}
    for key, value in raw.items():
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            question_id = -1
        if question_id not in known:
            errors.add(f"answers.{key}", "unknown_question", _("Question inconnue."))
            continue
        given[question_id] = value
    answers: dict[int, str] = {}
    for question in questions:
        value = given.get(question.id)
        name = f"answers.{question.id}"
        if question.kind == QUESTION_YESNO:
            if isinstance(value, str):
                value = {
                    "yes": True,
                    "oui": True,
                    "true": True,
                    "no": False,
                    "non": False,
                    "false": False,
                }.get(value.strip().lower(), value if value.strip() else None)
            if value is None and not question.required:
                continue
            if value not in (True, False):
                errors.add(
                    name,
                    "required" if value is None else "invalid_choice",
                    _("Répondez par oui ou par non."),
                )
                continue
            answers[question.id] = "yes" if value else "no"
            continue
        text = clean_multiline(value) if value is not None and not isinstance(value, bool) else ""
        if not text:
            if question.required:
                errors.add(name, "required", _("Ce champ est obligatoire."))
            continue
        if question.kind == QUESTION_CHOICE and text not in (question.options or []):
            errors.add(name, "invalid_choice", _("Choix invalide."))
            continue
        if len(text) > ANSWER_MAX:
            _check_length(errors, name, text, ANSWER_MAX)
            continue
        answers[question.id] = text
    return answers
