"""The organiser's settings and custom questions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.registration import (
    CONFIGURABLE_FIELDS,
    DEFAULT_FIELD_MODES,
    FIELD_MODES,
    QUESTION_CHOICE,
    QUESTION_KINDS,
    CustomQuestion,
    Registration,
    RegistrationSettings,
)
from eventsys.models.translatable import check_translations
from eventsys.services.errors import InvalidValue
from eventsys.services.registration.allocation import fill_vacancies
from eventsys.services.registration.checks import (
    EMAIL_MESSAGE_MAX,
    TEXT_MAX,
    clean_line,
    clean_text_block,
)
from eventsys.services.registration.settings import lock_event


def save_settings(
    event: Event, data: dict[str, Any], now: datetime | None = None
) -> list[Registration]:
    """Store the organiser's settings; places freed by a larger capacity go to the waiting lists."""
    settings = lock_event(event)
    capacity = data.get("capacity", settings.capacity)
    if capacity is not None and capacity < 0:
        raise InvalidValue(_l("La capacité ne peut pas être négative."), field="capacity")
    opens_at, closes_at = (
        data.get("opens_at", settings.opens_at),
        data.get("closes_at", settings.closes_at),
    )
    if opens_at and closes_at and closes_at <= opens_at:
        raise InvalidValue(
            _l("La clôture des inscriptions doit suivre leur ouverture."), field="closes_at"
        )
    retention = data.get("retention_months", settings.retention_months)
    if retention is None or not 1 <= retention <= 120:
        raise InvalidValue(
            _l("La durée de conservation doit être comprise entre 1 et 120 mois."),
            field="retention_months",
        )
    modes = {**DEFAULT_FIELD_MODES, **(settings.field_modes or {}), **data.get("field_modes", {})}
    if any(
        name not in CONFIGURABLE_FIELDS or mode not in FIELD_MODES for name, mode in modes.items()
    ):
        raise InvalidValue(_l("Réglage de champ inconnu."), field="field_modes")
    themes = [
        clean_line(t)
        for t in data.get("networking_themes", settings.networking_themes or [])
        if clean_line(t)
    ]
    if any(len(t) > TEXT_MAX for t in themes):
        raise InvalidValue(
            _l("Un thème ne doit pas dépasser 200 caractères."), field="networking_themes"
        )
    message = clean_text_block(data.get("email_message", settings.email_message))
    translations = data.get("translations")
    if translations is not None:
        problem = check_translations(translations, RegistrationSettings)
        if problem:
            raise InvalidValue(problem, field="email_message")
        translations = {
            lang: {"email_message": clean_text_block(entry.get("email_message"))}
            for lang, entry in translations.items()
        }
    for text in [message, *(e["email_message"] for e in (translations or {}).values())]:
        if len(text) > EMAIL_MESSAGE_MAX:
            raise InvalidValue(
                _l(
                    "Le message des e-mails ne doit pas dépasser %(max)d caractères.",
                    max=EMAIL_MESSAGE_MAX,
                ),
                field="email_message",
            )
    for name in ("enabled", "moderation", "waitlist_enabled"):
        if name in data:
            setattr(settings, name, bool(data[name]))
    settings.email_message = message
    if translations is not None:
        settings.set_translations(translations)
    settings.capacity, settings.opens_at, settings.closes_at = capacity, opens_at, closes_at
    settings.retention_months = retention
    settings.field_modes = modes
    settings.networking_themes = list(dict.fromkeys(themes))
    db.session.flush()
    return fill_vacancies(event, settings, now=now)


def add_question(
    event: Event, label: str, kind: str, options: Iterable[str] = (), required: bool = False
) -> CustomQuestion:
    """A new custom question at the end of the form."""
    label = clean_line(label)
    if not label or len(label) > 300:
        raise InvalidValue(
            _l("Le libellé de la question est obligatoire (300 caractères au plus)."), field="label"
        )
    if kind not in QUESTION_KINDS:
        raise InvalidValue(_l("Type de question inconnu."), field="kind")
    choices = list(dict.fromkeys(clean_line(o) for o in options if clean_line(o)))
    if kind == QUESTION_CHOICE and len(choices) < 2:
        raise InvalidValue(
            _l("Une question à choix demande au moins deux réponses possibles."), field="options"
        )
    position = db.session.scalar(
        select(func.coalesce(func.max(CustomQuestion.position), 0)).where(
            CustomQuestion.event_id == event.id
        )
    )
    question = CustomQuestion(
        event_id=event.id,
        label=label,
        kind=kind,
        options=choices if kind == QUESTION_CHOICE else [],
        required=required,
        position=(position or 0) + 1,
    )
    db.session.add(question)
    db.session.flush()
    return question


def delete_question(question: CustomQuestion) -> None:
    """Remove a question and its answers."""
    db.session.delete(question)
    db.session.flush()
