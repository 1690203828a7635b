"""Organiser pages: an event's rooms, speakers and themes (tracks).

Same blueprint and rules as views.py: a login and the organiser role on the event.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from eventsys.blueprints.manage.forms import (
    RoomForm,
    SpeakerForm,
    TrackForm,
    step_free_value,
)
from eventsys.blueprints.manage.views import (
    bp,
    event_view,
    owned,
    refuse_on_form,
)
from eventsys.extensions import db
from eventsys.forms import (
    fill_translations,
    label_main_language,
    submitted_translations,
    with_translations,
)
from eventsys.models import Event, Room, SessionSpeaker, Speaker, Track
from eventsys.services import programme
from eventsys.services.errors import (
    DomainError,
    RoomInUse,
)

# ---------------------------------------------------------------- rooms, speakers, themes


def _room_data(form: RoomForm, event: Event) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "capacity": form.capacity.data,
        "location_notes": form.location_notes.data or "",
        "step_free": step_free_value(form.step_free.data),
        "shared": bool(form.shared.data),
        "position": form.position.data or 0,
        "translations": submitted_translations(form, event.other_languages),
    }


@bp.route("/events/<int:event_id>/rooms")
@event_view
def rooms(event: Event):
    return render_template("manage/rooms.html", event=event)


@bp.route("/events/<int:event_id>/rooms/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@event_view
def room_edit(event: Event, room_id: int | None = None):
    room = owned(Room, room_id, event) if room_id else Room()
    form = with_translations(RoomForm, event.other_languages)(
        obj=room if room_id and request.method == "GET" else None
    )
    if request.method == "GET" and room_id:
        fill_translations(form, room, event.other_languages)
    label_main_language(form, event.main_language, event.other_languages)
    if form.validate_on_submit():
        try:
            programme.save_room(event, room, _room_data(form, event))
        except DomainError as error:
            refuse_on_form(form, error, {"capacity": "capacity"}, "name")
        else:
            db.session.commit()
            flash(_("Salle « %(name)s » enregistrée.", name=room.name), "success")
            return redirect(url_for("manage.rooms", event_id=event.id))
    return render_template(
        "manage/item_form.html",
        event=event,
        form=form,
        item=room if room_id else None,
        kind="room",
        tr_languages=event.other_languages,
    )


@bp.route("/events/<int:event_id>/rooms/<int:room_id>/delete", methods=["GET", "POST"])
@event_view
def room_delete(event: Event, room_id: int):
    room = owned(Room, room_id, event)
    if request.method == "POST":
        name = room.name
        try:
            programme.delete_room(room)
        except RoomInUse as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Salle « %(name)s » supprimée.", name=name), "success")
        return redirect(url_for("manage.rooms", event_id=event.id))
    return render_template(
        "manage/confirm_delete.html",
        event=event,
        name=room.name,
        kind="room",
        back=url_for("manage.rooms", event_id=event.id),
    )


def _speaker_data(form: SpeakerForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "function": form.function.data or "",
        "organisation": form.organisation.data or "",
        "bio": form.bio.data or "",
        "email": (form.email.data or "").lower(),
        "or_representative": bool(form.or_representative.data),
    }


@bp.route("/events/<int:event_id>/speakers")
@event_view
def speakers(event: Event):
    return render_template("manage/speakers.html", event=event)


@bp.route("/events/<int:event_id>/speakers/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
@event_view
def speaker_edit(event: Event, speaker_id: int | None = None):
    speaker = owned(Speaker, speaker_id, event) if speaker_id else Speaker()
    form = SpeakerForm(obj=speaker if speaker_id and request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            programme.save_speaker(event, speaker, _speaker_data(form))
        except DomainError as error:
            refuse_on_form(form, error, {}, "name")
        else:
            db.session.commit()
            flash(_("Intervenant·e « %(name)s » enregistré·e.", name=speaker.name), "success")
            return redirect(url_for("manage.speakers", event_id=event.id))
    return render_template(
        "manage/item_form.html",
        event=event,
        form=form,
        item=speaker if speaker_id else None,
        kind="speaker",
    )


@bp.route("/events/<int:event_id>/speakers/<int:speaker_id>/delete", methods=["GET", "POST"])
@event_view
def speaker_delete(event: Event, speaker_id: int):
    speaker = owned(Speaker, speaker_id, event)
    if request.method == "POST":
        name = speaker.name
        programme.delete_speaker(speaker)
        db.session.commit()
        flash(_("Intervenant·e « %(name)s » supprimé·e.", name=name), "success")
        return redirect(url_for("manage.speakers", event_id=event.id))
    used = db.session.scalar(
        select(SessionSpeaker.id).where(SessionSpeaker.speaker_id == speaker.id).limit(1)
    )
    return render_template(
        "manage/confirm_delete.html",
        event=event,
        name=speaker.name,
        kind="speaker",
        used=used is not None,
        back=url_for("manage.speakers", event_id=event.id),
    )


@bp.route("/events/<int:event_id>/tracks")
@event_view
def tracks(event: Event):
    return render_template("manage/tracks.html", event=event)


@bp.route("/events/<int:event_id>/tracks/new", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/tracks/<int:track_id>/edit", methods=["GET", "POST"])
@event_view
def track_edit(event: Event, track_id: int | None = None):
    track = owned(Track, track_id, event) if track_id else Track()
    form = TrackForm(obj=track if track_id and request.method == "GET" else None)
    if form.validate_on_submit():
        programme.save_track(
            event, track, {"name": form.name.data, "colour": form.colour.data.lower()}
        )
        db.session.commit()
        flash(_("Thème « %(name)s » enregistré.", name=track.name), "success")
        return redirect(url_for("manage.tracks", event_id=event.id))
    return render_template(
        "manage/item_form.html",
        event=event,
        form=form,
        item=track if track_id else None,
        kind="track",
    )


@bp.route("/events/<int:event_id>/tracks/<int:track_id>/delete", methods=["GET", "POST"])
@event_view
def track_delete(event: Event, track_id: int):
    track = owned(Track, track_id, event)
    if request.method == "POST":
        name = track.name
        programme.delete_track(track)
        db.session.commit()
        flash(_("Thème « %(name)s » supprimé.", name=name), "success")
        return redirect(url_for("manage.tracks", event_id=event.id))
    return render_template(
        "manage/confirm_delete.html",
        event=event,
        name=track.name,
        kind="track",
        back=url_for("manage.tracks", event_id=event.id),
    )
