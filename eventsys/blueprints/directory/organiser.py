"""An organiser's side of volunteer translations, in the event's management area: ask, see who
answered, review, edit and publish into the content's language version."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from eventsys.blueprints.directory.common import apply, bp, locale, organised_event, typed
from eventsys.blueprints.directory.forms import InviteVolunteersForm, RequestForm, translation_form
from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.directory import (
    REQUEST_ASKED,
    REQUEST_PUBLISHED,
    REQUEST_SUBMITTED,
    TranslationRequest,
)
from eventsys.services.directory import documents, translations
from eventsys.services.directory import vocabulary as vocab
from eventsys.services.errors import DomainError


def _request_form(event: Event) -> RequestForm:
    form = RequestForm(formdata=request.args if request.args else None)
    sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == event.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )
    choices = [("event", _("L'événement (titre, sous-titre, présentation)"))]
    for s in sessions:
        choices.append((f"session-{s.id}", s.title))
        choices += [
            (f"document-{s.id}-{index}", _("%(session)s — document : %(title)s", session=s.title, title=link.get("title") or link["url"]))
            for index, link in documents.attachments(s)
        ]  # fmt: skip
    form.target.choices = choices
    form.language.choices = [
        (code, vocab.language_name(code, locale())) for code in translations.target_languages(event)
    ]
    form.min_level.choices = [(level, vocab.level_label(level)) for level in vocab.LEVELS]
    return form


def _target(event: Event, value: str) -> tuple[ProgrammeSession | None, int | None]:
    """The session a request form names ("session-12", or "document-12-3" for its link at
    position 3) and the document's position; (None, None) for the event itself; 404 otherwise."""
    if value == "event":
        return None, None
    _prefix, _sep, rest = value.partition("-")
    raw, _sep, index = rest.partition("-")
    session = db.session.get(ProgrammeSession, int(raw)) if raw.isdigit() else None
    if session is None or session.event_id != event.id:
        abort(404)
    return session, (int(index) if index.isdigit() else None)


@bp.route("/manage/events/<int:event_id>/translations")
@login_required
def organiser_list(event_id: int):
    """The event's requests, and a new one: choose what and into which language, see who could do it."""
    event = organised_event(event_id)
    form = _request_form(event)
    proposed, volunteers_form = None, None
    if request.args and form.validate():
        proposed = translations.propose_volunteers(
            event.default_language, form.language.data, form.min_level.data
        )
        volunteers_form = InviteVolunteersForm()
        volunteers_form.volunteers.choices = [(p.id, p.name) for p in proposed]
    return render_template(
        "directory/organiser_list.html", event=event, form=form, proposed=proposed, volunteers_form=volunteers_form,
        requests=translations.requests_for(event), vocab=vocab, locale=locale(),
    ), (422 if request.args and form.errors else 200)  # fmt: skip


@bp.route("/manage/events/<int:event_id>/translations/new", methods=["POST"])
@login_required
def organiser_new(event_id: int):
    event = organised_event(event_id)
    form = _request_form(event)
    if not form.validate():
        flash(_("Choisissez ce qu'il faut traduire, la langue et le niveau."), "error")
        return redirect(url_for(".organiser_list", event_id=event.id))
    session, document = _target(event, form.target.data)
    volunteers_form = InviteVolunteersForm()
    proposed = translations.propose_volunteers(
        event.default_language, form.language.data, form.min_level.data
    )
    volunteers_form.volunteers.choices = [(p.id, p.name) for p in proposed]
    if not volunteers_form.validate_on_submit():
        flash(_("Choisissez au moins un·e volontaire."), "error")
        return redirect(url_for(".organiser_list", event_id=event.id, **request.args))
    try:
        created = translations.ask_translation(
            event, session, form.language.data, volunteers_form.volunteers.data, current_user,
            min_level=form.min_level.data, note=volunteers_form.note.data or "", requester_language=locale(),
            document=document,
        )  # fmt: skip
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".organiser_list", event_id=event.id, **request.args))
    flash(_("La demande est envoyée aux volontaires choisis."), "success")
    return redirect(url_for(".organiser_request", event_id=event.id, request_id=created.id))


def _owned_request(event: Event, request_id: int) -> TranslationRequest:
    found = db.session.get(TranslationRequest, request_id)
    if found is None or found.event_id != event.id:
        abort(404)
    return found


@bp.route("/manage/events/<int:event_id>/translations/<int:request_id>", methods=["GET", "POST"])
@login_required
def organiser_request(event_id: int, request_id: int):
    """One request: who was asked and answered; the text beside its source, to edit and publish."""
    event = organised_event(event_id)
    req = _owned_request(event, request_id)
    sources, limits = translations.sources_and_limits(req)
    form = translation_form(sources, limits, prefix="t")
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            response, status = apply(
                lambda: translations.publish(req, typed(form, sources)),
                _("La traduction est publiée : les visiteurs qui lisent cette langue la voient."),
                url_for(".organiser_request", event_id=event.id, request_id=req.id),
            )
            if response is not None:
                return response
    elif req.text:
        for name in sources:
            form[name].data = req.text.get(name, "")
    return render_template(
        "directory/organiser_request.html", event=event, req=req, sources=sources, limits=limits, form=form,
        can_publish=req.status in (REQUEST_SUBMITTED, REQUEST_PUBLISHED), vocab=vocab, locale=locale(),
        more=_more_volunteers(req), invite_form=InviteVolunteersForm(),
    ), status  # fmt: skip


def _more_volunteers(req: TranslationRequest) -> list[Any]:
    """Volunteers who fit a request still waiting for an answer, and were not asked yet."""
    if req.status != REQUEST_ASKED:
        return []
    asked = {i.profile_id for i in req.invitations}
    return [
        p
        for p in translations.propose_volunteers(req.source_language, req.language, req.min_level)
        if p.id not in asked
    ]


@bp.route("/manage/events/<int:event_id>/translations/<int:request_id>/invite", methods=["POST"])
@login_required
def organiser_invite(event_id: int, request_id: int):
    """Ask more volunteers while nobody has accepted."""
    event = organised_event(event_id)
    req = _owned_request(event, request_id)
    form = InviteVolunteersForm()
    form.volunteers.choices = [(p.id, p.name) for p in _more_volunteers(req)]
    back = url_for(".organiser_request", event_id=event.id, request_id=req.id)
    if not form.validate_on_submit():
        flash(_("Choisissez au moins un·e volontaire."), "error")
        return redirect(back)
    apply(
        lambda: translations.invite_volunteers(req, form.volunteers.data),
        _("La demande est envoyée aux volontaires choisis."),
        back,
    )
    return redirect(back)
