"""Organiser pages: events and their team; the access rules and helpers the area shares.

Rooms, speakers and themes are in places.py, sessions and the programme grid in sessions.py
(same blueprint).

Every route needs a login and the organiser role on the event (administrators pass). Views
validate a form, call one service, commit once; a DomainError becomes a message on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.routing import BuildError

from eventsys.blueprints.manage.forms import (
    KIND_LABELS,
    LANGUAGE_CHOICES,
    SESSION_STATUS_LABELS,
    SESSION_TYPE_LABELS,
    SPEAKER_ROLE_LABELS,
    TEAM_ROLE_LABELS,
    DeleteEventForm,
    EventForm,
    TeamForm,
    timezone_names,
)
from eventsys.extensions import db
from eventsys.forms import (
    fill_translations,
    label_main_language,
    submitted_translations,
    with_translations,
)
from eventsys.models import Event, EventRole
from eventsys.models.events import STATUS_CANCELLED, STATUS_DRAFT
from eventsys.models.translatable import DEFAULT_LANGUAGE, DEFAULT_OFFERED
from eventsys.security import managed_events, require_event_creator, require_organiser
from eventsys.services import clashes as clash_rules
from eventsys.services import print_check, programme
from eventsys.services.errors import (
    DomainError,
    DuplicateSessionCode,
    InvalidDates,
    InvalidSessionCode,
    RoomConflict,
)

bp = Blueprint("manage", __name__, url_prefix="/manage", template_folder="templates")

EMPTY_SPEAKER_ROWS = 4
Model = TypeVar("Model")


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    """Translated labels for codes shown in the organiser pages (the event's layout is also the
    frame of other areas' organiser pages, such as registrations)."""
    return {
        "event_public_url": public_url,
        "optional_url": optional_url,
        "L": {
            "kind": KIND_LABELS,
            "session_type": SESSION_TYPE_LABELS,
            "speaker_role": SPEAKER_ROLE_LABELS,
            "session_status": SESSION_STATUS_LABELS,
            "team_role": TEAM_ROLE_LABELS,
            "event_status": {
                "draft": _("Brouillon"),
                "published": _("Publié"),
                "cancelled": _("Annulé"),
            },
            "language": dict(LANGUAGE_CHOICES),
        },
    }


def event_view(func: Callable[..., Any]) -> Callable[..., Any]:
    """Login first (anonymous → login page), then the organiser role on the event (→ 403)."""

    @wraps(func)
    @login_required
    def wrapper(event_id: int, **kwargs: Any):
        event = db.get_or_404(Event, event_id)
        require_organiser(event)
        return func(event, **kwargs)

    return wrapper


def owned(model: type[Model], obj_id: int, event: Event) -> Model:
    """An object of this event, or 404: ids of another event's objects are not accepted."""
    obj = db.session.get(model, obj_id)
    if obj is None or obj.event_id != event.id:
        abort(404)
    return obj


def public_url(event: Event) -> str:
    """The public page of the event, /e/<CODE>."""
    try:
        return url_for("public.event", code=event.code)
    except BuildError:
        return "/e/" + event.code


def optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to another area's page, or None while that area is not installed."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _owner():
    return current_user._get_current_object()


def refuse_on_form(
    form: Any, error: DomainError, fields: dict[type[DomainError] | str, str], default: str
) -> None:
    """Undo what the service did and show its message on the matching field."""
    db.session.rollback()
    name = error.params.get("field")
    target = fields.get(name) if name else None
    target = target or next(
        (f for kind, f in fields.items() if isinstance(kind, type) and isinstance(error, kind)),
        default,
    )
    form[target].errors = [*(form[target].errors or []), str(error)]


# ---------------------------------------------------------------- clashes, described for people


def describe_clashes(
    event: Event, found: list[clash_rules.Clash]
) -> tuple[list[dict], dict[int, list[str]]]:
    """Sentences for the clash list, and short labels per session for the grid."""
    sessions = {s.id: s for s in event.sessions}
    rooms = {r.id: r.name for r in event.rooms}
    speakers = {s.id: s.name for s in event.speakers}
    items: list[dict] = []
    labels: dict[int, list[str]] = {}
    for clash in found:
        involved = [sessions[i] for i in clash.session_ids if i in sessions]
        if clash.kind == clash_rules.ROOM_DOUBLE_BOOKED:
            title = _("Salle occupée deux fois")
            text = _(
                "La salle « %(room)s » accueille deux sessions en même temps.",
                room=rooms.get(clash.room_id, "?"),
            )
            short = [_("Salle occupée deux fois")] * len(involved)
        elif clash.kind == clash_rules.SPEAKER_DOUBLE_BOOKED:
            name = speakers.get(clash.speaker_id, "?")
            title = _("Intervenant·e à deux endroits")
            text = _("%(name)s intervient dans deux sessions en même temps.", name=name)
            short = [_("%(name)s à deux endroits", name=name)] * len(involved)
        elif clash.kind == clash_rules.OUTSIDE_EVENT:
            title = _("Hors des dates de l'événement")
            text = _("Cette session n'a pas lieu pendant les jours de l'événement.")
            short = [_("Hors des dates de l'événement")]
        else:
            title = _("Salle trop petite")
            text = _(
                "%(expected)d participants attendus pour %(capacity)d places dans la salle « %(room)s ».",
                expected=clash.capacity or 0,
                capacity=clash.room_capacity or 0,
                room=rooms.get(clash.room_id, "?"),
            )
            short = [
                _(
                    "Salle trop petite (%(expected)d pour %(capacity)d places)",
                    expected=clash.capacity or 0,
                    capacity=clash.room_capacity or 0,
                )
            ]
        items.append({"kind": clash.kind, "title": title, "text": text, "sessions": involved})
        for session, label in zip(involved, short, strict=False):
            if label not in labels.setdefault(session.id, []):
                labels[session.id].append(label)
    return items, labels


# ---------------------------------------------------------------- events


@bp.route("/")
@login_required
def events():
    return render_template("manage/events.html", events=managed_events(_owner()))


def _event_languages(event: Event | None) -> tuple[str, list[str]]:
    """The language of the main fields and the other languages shown beside them."""
    if event is not None:
        return event.main_language, event.other_languages
    return DEFAULT_LANGUAGE, [c for c in DEFAULT_OFFERED if c != DEFAULT_LANGUAGE]


def _event_form(event: Event | None) -> EventForm:
    main, others = _event_languages(event)
    form_class = with_translations(EventForm, others)
    form = form_class(obj=event if event is not None and request.method == "GET" else None)
    if request.method == "GET" and event is not None:
        form.code.data = event.code_display
        form.languages.data = event.language_list
        fill_translations(form, event, others)
    label_main_language(form, main, others)
    return form


def _event_data(form: EventForm, event: Event | None) -> dict[str, Any]:
    old_main, others = _event_languages(event)
    new_main = form.default_language.data or old_main
    chosen = [new_main, *(form.languages.data or [])]
    previous = event.language_list if event else []
    ordered = [c for c in previous if c in chosen] + [
        c for c, _label in LANGUAGE_CHOICES if c in chosen and c not in previous
    ]
    # Texts per language as typed; when the main language changes, the new main language's
    # texts go to the columns (the old main's text stays as the fallback where one is empty).
    texts = submitted_translations(form, others)
    main_texts = {name: form[name].data or "" for name in EventForm.TRANSLATED}
    texts[old_main] = main_texts
    columns = {
        name: (texts.get(new_main) or {}).get(name) or main_texts[name]
        for name in EventForm.TRANSLATED
    }
    translations = {lang: entry for lang, entry in texts.items() if lang != new_main}
    return {
        **columns,
        "default_language": new_main,
        "translations": translations,
        "kind": form.kind.data,
        "code": form.code.data or "",
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
        "timezone": form.timezone.data,
        "venue_name": form.venue_name.data or "",
        "venue_address": form.venue_address.data or "",
        "contacts": form.contacts.data or "",
        "languages": ",".join(ordered),
        "restrict_languages": bool(form.restrict_languages.data),
    }


EVENT_ERROR_FIELDS: dict[Any, str] = {
    "timezone": "timezone",
    InvalidDates: "end_date",
    InvalidSessionCode: "code",
    DuplicateSessionCode: "code",
}


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def event_new():
    require_event_creator()
    form = _event_form(None)
    if form.validate_on_submit():
        try:
            event = programme.create_event(
                _owner(), _event_data(form, None), current_app.config["SESSION_CODE_PATTERN"]
            )
        except DomainError as error:
            refuse_on_form(form, error, EVENT_ERROR_FIELDS, "title")
        else:
            db.session.commit()
            flash(_("Événement créé avec le code %(code)s.", code=event.code_display), "success")
            return redirect(url_for("manage.event", event_id=event.id))
    return render_template(
        "manage/event_form.html",
        form=form,
        event=None,
        timezones=timezone_names(),
        tr_languages=_event_languages(None)[1],
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@event_view
def event_edit(event: Event):
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            programme.save_event(
                event, _event_data(form, event), current_app.config["SESSION_CODE_PATTERN"]
            )
        except DomainError as error:
            refuse_on_form(form, error, EVENT_ERROR_FIELDS, "title")
        else:
            db.session.commit()
            flash(_("Événement enregistré."), "success")
            return redirect(url_for("manage.event", event_id=event.id))
    return render_template(
        "manage/event_form.html",
        form=form,
        event=event,
        timezones=timezone_names(),
        tr_languages=event.other_languages,
    )


@bp.route("/events/<int:event_id>")
@event_view
def event(event: Event):
    items, _labels = describe_clashes(event, programme.event_clashes(event))
    return render_template("manage/dashboard.html", event=event, clashes=items,
                           print_problems=print_check.unprintable_entries(event))  # fmt: skip


@bp.route("/events/<int:event_id>/publish", methods=["POST"])
@event_view
def event_publish(event: Event):
    try:
        programme.publish_event(event)
    except RoomConflict as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("L'événement est publié : sa page publique est visible."), "success")
    return redirect(url_for("manage.event", event_id=event.id))


@bp.route("/events/<int:event_id>/draft", methods=["POST"])
@event_view
def event_draft(event: Event):
    programme.unpublish_event(event, STATUS_DRAFT)
    db.session.commit()
    flash(_("L'événement est repassé en brouillon."), "success")
    return redirect(url_for("manage.event", event_id=event.id))


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@event_view
def event_cancel(event: Event):
    programme.unpublish_event(event, STATUS_CANCELLED)
    db.session.commit()
    flash(_("L'événement est annulé."), "success")
    return redirect(url_for("manage.event", event_id=event.id))


@bp.route("/events/<int:event_id>/duplicate", methods=["POST"])
@event_view
def event_duplicate(event: Event):
    require_event_creator()  # a copy is a new event
    copy = programme.duplicate_event(event, _owner(), current_app.config["SESSION_CODE_PATTERN"])
    db.session.commit()
    flash(_("Copie créée en brouillon avec le code %(code)s.", code=copy.code_display), "success")
    return redirect(url_for("manage.event", event_id=copy.id))


@bp.route("/events/<int:event_id>/delete", methods=["GET", "POST"])
@event_view
def event_delete(event: Event):
    form = DeleteEventForm()
    if form.validate_on_submit():
        title = event.title
        programme.delete_event(event)
        db.session.commit()
        flash(_("L'événement « %(title)s » est supprimé.", title=title), "success")
        return redirect(url_for("manage.events"))
    return render_template("manage/event_delete.html", event=event, form=form)


# ---------------------------------------------------------------- team


@bp.route("/events/<int:event_id>/team", methods=["GET", "POST"])
@event_view
def team(event: Event):
    form = TeamForm()
    if form.validate_on_submit():
        try:
            member = programme.add_team_member(event, form.email.data, form.role.data)
        except DomainError as error:
            refuse_on_form(form, error, {"email": "email", "role": "role"}, "email")
        else:
            db.session.commit()
            flash(_("%(email)s fait partie de l'équipe.", email=member.user.email), "success")
            return redirect(url_for("manage.team", event_id=event.id))
    members = db.session.scalars(
        select(EventRole)
        .where(EventRole.event_id == event.id)
        .order_by(EventRole.role, EventRole.id)
    ).all()
    return render_template("manage/team.html", event=event, form=form, members=members)


@bp.route("/events/<int:event_id>/team/<int:member_id>/remove", methods=["POST"])
@event_view
def team_remove(event: Event, member_id: int):
    member = owned(EventRole, member_id, event)
    leaving_self = member.user_id == current_user.id
    try:
        programme.remove_team_member(event, member)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Membre retiré de l'équipe."), "success")
        if leaving_self and not current_user.is_admin:
            return redirect(url_for("manage.events"))
    return redirect(url_for("manage.team", event_id=event.id))
