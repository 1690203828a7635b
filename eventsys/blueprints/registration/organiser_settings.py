"""Organiser pages of the registration area: the registration settings and the custom questions.

Every route needs a login and the organiser role on the event (403 otherwise).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from eventsys.blueprints.registration.forms import (
    FIELD_LABELS,
    ActionForm,
    bad_option_count,
    mode_values,
    question_form_class,
    question_translations,
    settings_form,
)
from eventsys.blueprints.registration.organiser import (
    PREFIX,
    organised_event,
    promoted_message,
)
from eventsys.blueprints.registration.views import bp
from eventsys.extensions import db
from eventsys.forms import (
    fill_translations,
    label_main_language,
    submitted_translations,
)
from eventsys.models import Event
from eventsys.models.registration import (
    CustomQuestion,
)
from eventsys.models.translatable import check_translations
from eventsys.services import registration as reg
from eventsys.services.errors import DomainError, InvalidValue
from eventsys.services.links import external_url
from eventsys.web import LANGUAGE_NAMES


def _parse_local(value: str | None, event: Event) -> datetime | None:
    if not value:
        return None
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(value) from None
    return local.replace(tzinfo=event.tz).astimezone(UTC)


def _format_local_input(value: datetime | None, event: Event) -> str:
    return value.astimezone(event.tz).strftime("%Y-%m-%dT%H:%M") if value else ""


@bp.route(PREFIX + "/settings", methods=["GET", "POST"])
@login_required
def organiser_settings(event_id: int):
    event = organised_event(event_id)
    settings = reg.load_settings(event)
    languages = event.other_languages
    form = settings_form(settings, languages)
    label_main_language(form, event.main_language, languages)
    if not form.is_submitted():
        form.email_message.data = settings.email_message
        fill_translations(form, settings, languages)
        form.enabled.data = settings.enabled
        form.opens_at.data = _format_local_input(settings.opens_at, event)
        form.closes_at.data = _format_local_input(settings.closes_at, event)
        form.capacity.data = settings.capacity
        form.moderation.data = settings.moderation
        form.waitlist_enabled.data = settings.waitlist_enabled
        form.retention_months.data = settings.retention_months
        form.networking_themes.data = "\n".join(settings.networking_themes or [])
    status = 200
    if form.validate_on_submit():
        try:
            opens_at = _parse_local(form.opens_at.data, event)
            closes_at = _parse_local(form.closes_at.data, event)
        except ValueError:
            form.opens_at.errors = [_("Date et heure invalides (format attendu : JJ/MM/AAAA HH:MM).")]
        else:
            data = {
                "enabled": form.enabled.data,
                "opens_at": opens_at,
                "closes_at": closes_at,
                "capacity": form.capacity.data,
                "moderation": form.moderation.data,
                "waitlist_enabled": form.waitlist_enabled.data,
                "retention_months": form.retention_months.data,
                "field_modes": mode_values(form),
                "networking_themes": (form.networking_themes.data or "").splitlines(),
                "email_message": form.email_message.data or "",
                "translations": submitted_translations(form, languages),
            }
            try:
                promoted = reg.save_settings(event, data)
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                target = error.params.get("field")
                if target in form:
                    form[target].errors = [str(error)]
                else:
                    form.form_errors.append(str(error))
            else:
                flash(_("Réglages des inscriptions enregistrés."), "success")
                if promoted:
                    flash(promoted_message(len(promoted)), "success")
                return redirect(url_for(".organiser_settings", event_id=event.id))
    if form.is_submitted():
        status = 422
    return render_template(
        "registration/organiser/settings.html",
        event=event,
        form=form,
        field_labels=FIELD_LABELS,
        questions=reg.event_questions(event),
        question_form=question_form_class(event.other_languages)(formdata=None),
        action_form=ActionForm(),
        public_url=external_url("registration.register", code=event.code),
    ), status


@bp.route(PREFIX + "/questions", methods=["POST"])
@login_required
def organiser_add_question(event_id: int):
    event = organised_event(event_id)
    form = question_form_class(event.other_languages)()
    if form.validate_on_submit():
        try:
            question = reg.add_question(event, form.label.data, form.kind.data, (form.options.data or "").splitlines(),
                                        form.required.data)  # fmt: skip
            _set_question_translations(question, question_translations(form, question.kind, event.other_languages))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("Question ajoutée au formulaire."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for(".organiser_settings", event_id=event.id) + "#questions")


def _set_question_translations(question: CustomQuestion, values: dict[str, dict[str, Any]]) -> None:
    """Store a question's other languages; answers lists must match the main one, one for one."""
    lang = bad_option_count(values, len(question.options))
    if lang is not None:
        raise InvalidValue(
            _(
                "Réponses possibles (%(language)s) : donnez une traduction par réponse, soit %(count)d lignes.",
                language=LANGUAGE_NAMES.get(lang, lang),
                count=len(question.options),
            ),
            field="options",
        )
    problem = check_translations(values, CustomQuestion)
    if problem:
        raise InvalidValue(problem, field="translations")
    question.set_translations(values)
    db.session.flush()


@bp.route(PREFIX + "/questions/<int:question_id>/translations", methods=["GET", "POST"])
@login_required
def organiser_question_translations(event_id: int, question_id: int):
    """The wording of a question in the event's other languages, side by side with the main one."""
    event = organised_event(event_id)
    question = db.session.get(CustomQuestion, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    languages = event.other_languages
    form = question_form_class(languages, translations_only=True)()
    if request.method == "GET":
        for lang in languages:
            form[f"label__{lang}"].data = question.translation(lang, "label") or ""
            form[f"options__{lang}"].data = "\n".join(question.translation(lang, "options") or [])
    status = 200
    if form.validate_on_submit():
        try:
            _set_question_translations(question, question_translations(form, question.kind, languages))
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Traductions de la question enregistrées."), "success")
            return redirect(url_for(".organiser_settings", event_id=event.id) + "#questions")
    if form.is_submitted():
        status = 422
    return render_template(
        "registration/organiser/question.html", event=event, question=question, form=form, languages=languages,
        language_names=LANGUAGE_NAMES,
    ), status  # fmt: skip


@bp.route(PREFIX + "/questions/<int:question_id>/delete", methods=["POST"])
@login_required
def organiser_delete_question(event_id: int, question_id: int):
    event = organised_event(event_id)
    question = db.session.get(CustomQuestion, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    reg.delete_question(question)
    db.session.commit()
    flash(_("Question supprimée."), "success")
    return redirect(url_for(".organiser_settings", event_id=event.id) + "#questions")
