"""Organiser pages of the registration area: list, moderation, edit, personal data.

Settings and questions are in organiser_settings.py, import and export in organiser_files.py.

Every route needs a login and the organiser role on the event (403 otherwise).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from flask_login import login_required
from sqlalchemy import func, select

from eventsys.blueprints.registration.forms import (
    ActionForm,
    EditForm,
    EraseForm,
    FilterForm,
    choices_form,
)
from eventsys.blueprints.registration.views import _slots, bp, json_attachment, show_errors
from eventsys.extensions import db
from eventsys.forms import (
    options,
)
from eventsys.i18n import download_name
from eventsys.models import Event
from eventsys.models.registration import (
    MAIL_FAILED,
    REG_STATUSES,
    OutboxMessage,
    Registration,
    RegistrationChoice,
)
from eventsys.security import require_organiser
from eventsys.services import personal_data
from eventsys.services import registration as reg
from eventsys.services.errors import DomainError
from eventsys.services.links import external_url
from eventsys.web import LANGUAGE_NAMES, int_arg

PREFIX = "/manage/events/<int:event_id>/registrations"
PAGE_SIZE = 100
MAX_PAGE = 100_000  # ten million registrations: past that, a page number is a typing mistake


def organised_event(event_id: int) -> Event:
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


def promoted_message(count: int) -> str:
    return ngettext(
        "%(num)d personne quitte une liste d'attente.",
        "%(num)d personnes quittent une liste d'attente.",
        count,
    )


@bp.route(PREFIX, methods=["GET", "POST"])
@login_required
def organiser_list(event_id: int):
    event = organised_event(event_id)
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
    event = organised_event(event_id)
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
    event = organised_event(event_id)
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
    event = organised_event(event_id)
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
    event = organised_event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    settings = reg.lock_event(event)
    promoted = reg.fill_vacancies(event, settings)
    db.session.commit()
    flash(promoted_message(len(promoted)), "success")
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
    event = organised_event(event_id)
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
    event = organised_event(event_id)
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
    event = organised_event(event_id)
    registration = _registration(event, registration_id)
    filename = download_name(pgettext("nom de fichier", "données personnelles"), event.code, registration.id, ext="json")
    return json_attachment(personal_data.person_data(registration), filename)


@bp.route(PREFIX + "/<int:registration_id>/erase", methods=["POST"])
@login_required
def organiser_erase(event_id: int, registration_id: int):
    event = organised_event(event_id)
    registration = _registration(event, registration_id)
    form = _erase_form()
    if not form.validate_on_submit():
        edit, choices = _edit_form(registration, formdata=None), _organiser_choices_form(event, registration, formdata=None)
        return _edit_page(event, registration, edit, choices, 422, erase_form=form)
    personal_data.erase_person(registration)
    db.session.commit()
    flash(_("Les données de cette personne sont effacées."), "success")
    return redirect(url_for(".organiser_list", event_id=event.id))
