"""Organiser pages of the registration area: list, moderation, edit, settings, import, export.

Every route needs a login and the organiser role on the event (403 otherwise).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from eventsys import jobs
from eventsys.blueprints.registration.forms import (
    FIELD_LABELS,
    ActionForm,
    EditForm,
    EraseForm,
    FilterForm,
    ImportConfirmForm,
    ImportForm,
    bad_option_count,
    choices_form,
    mode_values,
    question_form_class,
    question_translations,
    settings_form,
)
from eventsys.blueprints.registration.views import _slots, bp, json_attachment, show_errors
from eventsys.extensions import db
from eventsys.forms import (
    fill_translations,
    label_main_language,
    options,
    submitted_translations,
)
from eventsys.i18n import download_name
from eventsys.models import Event
from eventsys.models.registration import (
    MAIL_FAILED,
    REG_STATUSES,
    CustomQuestion,
    OutboxMessage,
    Registration,
    RegistrationChoice,
)
from eventsys.models.translatable import check_translations
from eventsys.security import require_organiser
from eventsys.services import personal_data, programme_import
from eventsys.services import registration as reg
from eventsys.services import registration_import as imports
from eventsys.services.errors import DomainError, InvalidValue
from eventsys.services.links import external_url
from eventsys.web import LANGUAGE_NAMES, int_arg

PREFIX = "/manage/events/<int:event_id>/registrations"
PAGE_SIZE = 100
MAX_PAGE = 100_000  # ten million registrations: past that, a page number is a typing mistake


def _event(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    require_organiser(event)
    return event


def _registration(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


def _back(event: Event, registration: Registration | None = None):
    if registration is not None and request.form.get("next") == "edit":
        return redirect(url_for(".organiser_edit", event_id=event.id, registration_id=registration.id))
    return redirect(url_for(".organiser_list", event_id=event.id))


def _promoted_message(count: int) -> str:
    return ngettext(
        "%(num)d personne quitte une liste d'attente.",
        "%(num)d personnes quittent une liste d'attente.",
        count,
    )


@bp.route(PREFIX, methods=["GET", "POST"])
@login_required
def organiser_list(event_id: int):
    event = _event(event_id)
    form = FilterForm()
    names = reg.status_names()
    form.status.choices = options([("", _("Tous"))] + [(s, names[s]) for s in REG_STATUSES])
    sessions = reg.registrable_sessions(event)
    form.session.choices = options([("", _("Toutes"))] + [(str(s.id), s.title) for s in sessions])
    form.organisation.choices = options([("", _("Toutes"))] + [(o, o) for o in reg.organisations(event)])
    # Status, session and organisation may come from links (?status=pending); the free-text search
    # is only POSTed so that names never land in URLs, history or logs.
    if not form.is_submitted():
        form.status.data = request.args.get("status", "")
        form.session.data = request.args.get("session", "")
        form.organisation.data = request.args.get("organisation", "")
    elif not form.validate():
        abort(400)
    page = int_arg("page", 1, maximum=MAX_PAGE)
    session_id = int_arg("session")
    registrations, total = reg.search_registrations(
        event,
        text=form.q.data or "" if form.is_submitted() else "",
        status=form.status.data or "",
        session_id=session_id,
        organisation=form.organisation.data or "",
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    event_positions, choice_positions = reg.waitlist_positions(event)
    failed_mail = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .join(Registration, OutboxMessage.registration_id == Registration.id)
        .where(Registration.event_id == event.id, OutboxMessage.status == MAIL_FAILED)
    )
    settings = reg.load_settings(event)
    return render_template(
        "registration/organiser/list.html",
        event=event,
        form=form,
        registrations=registrations,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        event_positions=event_positions,
        choice_positions=choice_positions,
        session_counts=reg.session_counts(event),
        status_counts=reg.status_counts(event),
        status_names=names,
        places_taken=reg.places_taken(event),
        settings=settings,
        failed_mail=failed_mail,
        action_form=ActionForm(),
        public_url=external_url("registration.register", code=event.code),
    )


ACTIONS = {
    "approve": reg.approve_registration,
    "refuse": reg.refuse_registration,
    "cancel": reg.cancel_registration,
    "promote": reg.promote_registration,
}


@bp.route(PREFIX + "/<int:registration_id>/<any(approve,refuse,cancel,promote):action>", methods=["POST"])
@login_required
def organiser_action(event_id: int, registration_id: int, action: str):
    event = _event(event_id)
    registration = _registration(event, registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        ACTIONS[action](registration)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(event, registration)
    messages = {
        "approve": _("Inscription validée ; la personne est prévenue par e-mail."),
        "refuse": _("Inscription refusée ; la personne est prévenue par e-mail."),
        "cancel": _("Inscription annulée ; la personne est prévenue par e-mail."),
        "promote": _("La personne quitte la liste d'attente et en est prévenue par e-mail."),
    }
    flash(messages[action], "success")
    return _back(event, registration)


@bp.route(PREFIX + "/<int:registration_id>/renew-link", methods=["POST"])
@login_required
def organiser_renew_link(event_id: int, registration_id: int):
    event = _event(event_id)
    registration = _registration(event, registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    reg.renew_link(registration)
    reg.send_notice(registration, "duplicate")
    db.session.commit()
    flash(_("Un nouveau lien personnel a été envoyé ; l'ancien ne fonctionne plus."), "success")
    return _back(event, registration)


@bp.route(PREFIX + "/choices/<int:choice_id>/promote", methods=["POST"])
@login_required
def organiser_promote_choice(event_id: int, choice_id: int):
    event = _event(event_id)
    choice = db.session.get(RegistrationChoice, choice_id)
    if choice is None or choice.registration.event_id != event.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        reg.promote_choice(choice)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Place attribuée dans « %(title)s » ; la personne est prévenue.", title=choice.session.title), "success")
    return _back(event, choice.registration)


@bp.route(PREFIX + "/fill", methods=["POST"])
@login_required
def organiser_fill(event_id: int):
    event = _event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    settings = reg.lock_event(event)
    promoted = reg.fill_vacancies(event, settings)
    db.session.commit()
    flash(_promoted_message(len(promoted)), "success")
    return _back(event)


def _edit_form(registration: Registration, **kwargs) -> EditForm:
    form = EditForm(**kwargs)
    form.language.choices = options((c, LANGUAGE_NAMES.get(c, c)) for c in reg.languages_offered())
    if not form.is_submitted():
        for name in ("first_name", "last_name", "email", "organisation", "organisation_type", "job_title", "language",
                     "accessibility"):  # fmt: skip
            form[name].data = getattr(registration, name)
        form.lunch.data = "" if registration.lunch is None else ("yes" if registration.lunch else "no")
    return form


def _erase_form(**kwargs) -> EraseForm:
    form = EraseForm(**kwargs)
    form.confirm.label.text = _("Je confirme l'effacement définitif des données de cette personne.")
    return form


def _edit_page(
    event: Event, registration: Registration, form: EditForm, choices, status: int = 200, erase_form=None
):
    return render_template(
        "registration/organiser/edit.html",
        event=event,
        registration=registration,
        form=form,
        choices_form=choices,
        view=reg.status_view(registration),
        status_names=reg.status_names(),
        action_form=ActionForm(),
        answers={a.question_id: a.value for a in registration.answers},
        questions=reg.event_questions(event),
        erase_form=erase_form or _erase_form(formdata=None),
    ), status


def _organiser_choices_form(event: Event, registration: Registration, **kwargs):
    settings = reg.load_settings(event)
    slots, slot_labels, session_labels = _slots(event, settings)
    current = {c.session_id for c in registration.live_choices}
    # The organiser may leave a slot empty whatever the public form requires.
    settings = reg.default_settings(event)
    return choices_form(settings, slots, slot_labels, session_labels, current, **kwargs)


@bp.route(PREFIX + "/<int:registration_id>", methods=["GET", "POST"])
@login_required
def organiser_edit(event_id: int, registration_id: int):
    event = _event(event_id)
    registration = _registration(event, registration_id)
    form = _edit_form(registration)
    choices = _organiser_choices_form(event, registration, formdata=None)
    if form.validate_on_submit():
        data = reg.RegistrationInput(
            first_name=form.first_name.data or "",
            last_name=form.last_name.data or "",
            email=form.email.data or "",
            organisation=form.organisation.data or "",
            organisation_type=form.organisation_type.data or "",
            job_title=form.job_title.data or "",
            language=form.language.data or "",
            lunch={"yes": True, "no": False}.get(form.lunch.data or ""),
            accessibility=form.accessibility.data or "",
            networking_opt_in=registration.networking_opt_in,
            networking_themes=registration.networking_themes,
            answers={a.question_id: a.value for a in registration.answers},
        )
        try:
            reg.update_details(registration, data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            show_errors(_FieldsAdapter(form), error)
            return _edit_page(event, db.session.get(Registration, registration_id), form, choices, 422)
        flash(_("Les informations sont enregistrées."), "success")
        return redirect(url_for(".organiser_edit", event_id=event.id, registration_id=registration.id))
    return _edit_page(event, registration, form, choices, 422 if form.is_submitted() else 200)


class _FieldsAdapter:
    """Lets show_errors place service errors on the edit form's fields."""

    def __init__(self, form: EditForm) -> None:
        self.form = form
        self.form_errors = form.form_errors

    def field_for(self, name: str) -> str | None:
        return name if name in self.form else None

    def __getitem__(self, name: str):
        return self.form[name]


@bp.route(PREFIX + "/<int:registration_id>/choices", methods=["POST"])
@login_required
def organiser_choices(event_id: int, registration_id: int):
    event = _event(event_id)
    registration = _registration(event, registration_id)
    choices = _organiser_choices_form(event, registration)
    if not choices.validate_on_submit():
        abort(400)
    force = request.form.get("force") == "1"
    try:
        reg.change_choices(registration, choices.session_ids(), by_organiser=True, force=force)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        registration = db.session.get(Registration, registration_id)
        show_errors(choices, error)
        return _edit_page(event, registration, _edit_form(registration, formdata=None), choices, 422)
    flash(_("Les sessions sont enregistrées ; la personne est prévenue par e-mail."), "success")
    return redirect(url_for(".organiser_edit", event_id=event.id, registration_id=registration.id))


@bp.route(PREFIX + "/<int:registration_id>/personal-data")
@login_required
def organiser_personal_data(event_id: int, registration_id: int):
    event = _event(event_id)
    registration = _registration(event, registration_id)
    filename = download_name(pgettext("nom de fichier", "données personnelles"), event.code, registration.id, ext="json")
    return json_attachment(personal_data.person_data(registration), filename)


@bp.route(PREFIX + "/<int:registration_id>/erase", methods=["POST"])
@login_required
def organiser_erase(event_id: int, registration_id: int):
    event = _event(event_id)
    registration = _registration(event, registration_id)
    form = _erase_form()
    if not form.validate_on_submit():
        edit, choices = _edit_form(registration, formdata=None), _organiser_choices_form(event, registration, formdata=None)
        return _edit_page(event, registration, edit, choices, 422, erase_form=form)
    personal_data.erase_person(registration)
    db.session.commit()
    flash(_("Les données de cette personne sont effacées."), "success")
    return redirect(url_for(".organiser_list", event_id=event.id))


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
    event = _event(event_id)
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
                    flash(_promoted_message(len(promoted)), "success")
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
    event = _event(event_id)
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
    event = _event(event_id)
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
    event = _event(event_id)
    question = db.session.get(CustomQuestion, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    reg.delete_question(question)
    db.session.commit()
    flash(_("Question supprimée."), "success")
    return redirect(url_for(".organiser_settings", event_id=event.id) + "#questions")


@bp.route(PREFIX + "/import", methods=["GET", "POST"])
@login_required
def organiser_import(event_id: int):
    """Upload a CSV of people: imported at once when small and silent, otherwise previewed first
    (rows, and how many confirmation e-mails would go out) and confirmed."""
    event = _event(event_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(event, form, status=422 if form.is_submitted() else 200)
    raw = form.file.data.read(int(current_app.config["IMPORT_MAX_BYTES"]) + 1)
    if len(raw) > int(current_app.config["IMPORT_MAX_BYTES"]):
        form.file.errors = [_("Le fichier dépasse la taille maximale de %(limit)s Mo.",
                              limit=int(current_app.config["IMPORT_MAX_BYTES"]) // (1024 * 1024))]
        return _import_page(event, form, status=422)
    parsed = imports.read_import(raw)
    if parsed.error:
        form.file.errors = [parsed.error]
        return _import_page(event, form, status=422)
    plan = imports.mail_plan(event, parsed, bool(form.notify.data))
    if not plan.asked and len(parsed.rows) <= _job_rows():
        report = imports.apply_import(event, parsed, notify=False)  # commits batch by batch
        return _import_page(event, form, report=report)
    token = programme_import.store_upload(raw, filename=form.file.data.filename or "", event_id=event.id,
                                 user_id=current_user.id)
    confirm = ImportConfirmForm(formdata=None, token=token, notify="y" if form.notify.data else "")
    return _import_page(event, form, preview=(parsed, plan, confirm))


@bp.route(PREFIX + "/import/confirm", methods=["POST"])
@login_required
def organiser_import_confirm(event_id: int):
    """Apply a previewed import: now, or by a background job for a big file."""
    event = _event(event_id)
    form = ImportConfirmForm()
    stored = (programme_import.load_upload(form.token.data or "", event_id=event.id, user_id=current_user.id)
              if form.validate_on_submit() else None)
    if stored is None:
        flash(_("Le fichier envoyé n'est plus disponible : envoyez-le de nouveau."), "error")
        return redirect(url_for("registration.organiser_import", event_id=event.id))
    parsed = imports.read_import(stored[0])
    notify = form.notify.data == "y"
    if len(parsed.rows) > _job_rows() and not parsed.error:
        job, created = jobs.start_job(
            "registration_import", event=event, user=current_user,
            params={"token": form.token.data, "notify": notify},
            idempotency_key=jobs.form_key(event.id, current_user.id, form.token.data),
        )  # fmt: skip
        db.session.commit()
        if created:
            jobs.dispatch(job)
        return redirect(url_for("jobs.show", uuid=job.uuid))
    programme_import.discard_upload(form.token.data)
    if parsed.error:
        flash(parsed.error, "error")
        return redirect(url_for("registration.organiser_import", event_id=event.id))
    report = imports.apply_import(event, parsed, notify=notify)
    return _import_page(event, ImportForm(formdata=None), report=report)


def _job_rows() -> int:
    return int(current_app.config.get("REGISTRATION_IMPORT_JOB_ROWS") or 200)


def _import_page(event: Event, form: ImportForm, *, status: int = 200, report=None, preview=None):
    return render_template(
        "registration/organiser/import.html", event=event, form=form, report=report, preview=preview,
        status_names=reg.status_names(), mail_cap=int(current_app.config.get("REGISTRATION_IMPORT_MAIL_CAP") or 0),
    ), status  # fmt: skip


@bp.route(PREFIX + "/export.csv")
@login_required
def organiser_export(event_id: int):
    event = _event(event_id)
    body = reg.registrations_csv(event)
    filename = download_name(pgettext("nom de fichier", "inscriptions"), event.code, ext="csv")
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/csv; charset=utf-8",
            "Cache-Control": "no-store",
        },
    )
