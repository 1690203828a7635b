"""Exports and imports of a programme, on the database side.

Turns Event/ProgrammeSession models into the plain data the pure renderers take (ical,
programme_pdf, schedule_xml, programme_csv), and applies an import plan through
services/programme.py. Flushes, never commits.

A registration's personal agenda is `registration_agenda(registration)` (built on `agenda_ics`).
"""

from __future__ import annotations

import json
import re
import secrets
import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import force_locale, get_locale, get_translations, lazy_pgettext, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys import i18n
from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession, Room, Speaker, Track
from eventsys.models.events import STATUS_CANCELLED
from eventsys.models.registration import CHOICE_CONFIRMED, Registration
from eventsys.services import clashes as clash_rules
from eventsys.services import programme
from eventsys.services.errors import ImportRejected
from eventsys.services.export_data import (
    EventData,
    ExportLabels,
    RoomData,
    SessionData,
    SpeakerPart,
    TrackData,
    fold,
    local,
)
from eventsys.services.ical import build_calendar, calendar_name
from eventsys.services.importer import WARNING, ImportFileError, ImportRow, Issue, ParsedFile
from eventsys.services.programme_csv import render_programme_csv
from eventsys.services.programme_page import sessions_query
from eventsys.services.programme_pdf import render_programme_pdf
from eventsys.services.schedule_xml import render_schedule_json, render_schedule_xml

TYPE_LABELS = {
    "welcome": lazy_pgettext("type de session", "Accueil"),
    "opening": _l("Ouverture"),
    "talk": _l("Exposé"),
    "plenary": _l("Plénière"),
    "workshop": _l("Atelier"),
    "interaction": _l("Interaction"),
    "sharing": _l("Mise en partage"),
    "speed_networking": _l("Speed-networking"),
    "meal": _l("Repas"),
    "break": _l("Pause"),
    "closing": _l("Clôture"),
    "other": _l("Autre"),
}
ROLE_LABELS = {
    "speaker": _l("intervenant·e"),
    "moderator": _l("modérateur·rice"),
    "facilitator": _l("animateur·rice"),
    "chair": _l("président·e de séance"),
}
KIND_LABELS = {
    "training_day": _l("Journée d'actualité"),
    "conference": _l("Rencontres nationales / conférence"),
    "network_meeting": _l("Rencontre de réseau"),
}


def export_labels() -> ExportLabels:
    """Every word of the exports in the current language."""
    # "and N others" is chosen by the renderer, once it has counted, possibly after force_locale
    # has ended (programme_pdf): it keeps this language's catalogue for the plural choice.
    translations = get_translations()
    return ExportLabels(
        type_labels={code: str(label) for code, label in TYPE_LABELS.items()},
        role_labels={code: str(label) for code, label in ROLE_LABELS.items()},
        kind_labels={code: str(label) for code, label in KIND_LABELS.items()},
        or_representative=_("ou son représentant"),
        cancelled=_("Annulée"),
        programme=_("Programme"),
        overview=_("Programme jour par jour"),
        detailed=_("Programme détaillé"),
        speakers_index=_("Index des intervenants"),
        rooms_access=_("Salles et accès"),
        venue=_("Lieu"),
        access=_("Accès"),
        contacts=_("Contacts"),
        session_code=_("Code de session"),
        page_of=_("Page %(page)s sur %(total)s"),
        date_range=_("du %(start)s au %(end)s"),
        and_more=lambda n: (
            translations.ngettext("et %(num)d autre", "et %(num)d autres", n) % {"num": n}
        ),
        capacity=_("Capacité : %(count)s places"),
        step_free=_("Accès de plain-pied"),
        not_step_free=_("Accès non de plain-pied"),
        no_room=_("Salle à préciser"),
        track=_("Thème"),
        type=_("Type"),
        speakers=_("Intervenants"),
        room=_("Salle"),
        rooms=_("Salles"),
        more_info=_("Informations et inscription"),
        edition=_("Version du %(date)s"),
        no_session=_("Le programme n'est pas encore publié."),
    )


# ------------------------------------------------------------- models → data


def public_root() -> str:
    """The site's address: from the request, else BASE_URL (e-mails, CLI), else localhost."""
    if has_request_context():
        return request.url_root.rstrip("/")
    return (current_app.config.get("BASE_URL") or "http://localhost").rstrip("/")


def event_url(event: Event) -> str:
    return f"{public_root()}/e/{event.code}"


def session_url(event: Event, session_id: int) -> str:
    """The session on the public programme page."""
    return f"{event_url(event)}/programme#session-{session_id}"


def load_sessions(event: Event) -> list[ProgrammeSession]:
    """The event's sessions with rooms, tracks and speakers, in a few queries."""
    return list(db.session.scalars(sessions_query(event.id)))


def _room(room: Room) -> RoomData:
    return RoomData(room.id, room.name, room.capacity, room.location_notes or "", bool(room.step_free))


def session_data(
    event: Event, session: ProgrammeSession, root: str | None = None, locale: str | None = None
) -> SessionData:
    """What the renderers need of one session; texts in `locale` where translated (else the main language)."""
    base = f"{root or public_root()}/e/{event.code}/programme"
    room = session.room
    return SessionData(
        id=session.id,
        guid=session.guid,
        title=session.localized("title", locale),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        type=session.type,
        room=RoomData(
            room.id, room.localized("name", locale), room.capacity,
            room.localized("location_notes", locale) or "", bool(room.step_free),
        ) if room else None,  # fmt: skip
        track=TrackData(session.track.id, session.track.name, session.track.colour) if session.track else None,
        description=session.localized("description", locale) or "",
        languages=tuple(session.language_list) or tuple(event.language_list),
        cancelled=session.is_cancelled or event.status == STATUS_CANCELLED,
        sequence=session.sequence or 0,
        speakers=tuple(
            SpeakerPart(
                link.speaker_id,
                link.speaker.name,
                link.role,
                link.speaker.function or "",
                link.speaker.organisation or "",
                bool(link.speaker.or_representative),
            )
            for link in session.speakers
        ),
        created_at=session.created_at,
        updated_at=session.updated_at,
        url=f"{base}#session-{session.id}",
    )


def event_data(
    event: Event, sessions: Iterable[ProgrammeSession] | None = None, locale: str | None = None
) -> EventData:
    """The event and its programme as plain data; texts in `locale` where translated (else the main language)."""
    root = public_root()
    chosen = load_sessions(event) if sessions is None else list(sessions)
    return EventData(
        code=event.code,
        code_display=event.code_display,
        title=event.localized("title", locale),
        subtitle=event.localized("subtitle", locale) or "",
        kind=event.kind,
        start_date=event.start_date,
        end_date=event.end_date,
        timezone=event.timezone,
        venue_name=event.venue_name or "",
        venue_address=event.venue_address or "",
        access_notes=event.localized("access_notes", locale) or "",
        contacts=event.contacts or "",
        languages=tuple(event.language_list) or ("fr",),
        url=f"{root}/e/{event.code}",
        rooms=tuple(
            RoomData(r.id, r.localized("name", locale), r.capacity, r.localized("location_notes", locale) or "",
                     bool(r.step_free))
            for r in event.rooms
        ),  # fmt: skip
        tracks=tuple(TrackData(t.id, t.name, t.colour) for t in event.tracks),
        sessions=tuple(session_data(event, s, root, locale) for s in chosen),
    )


# ------------------------------------------------------------------ exports


def programme_calendar(event: Event, *, room: Room | None = None, track: Track | None = None,
                       speaker: Speaker | None = None, locale: str | None = None) -> bytes:
    """The whole programme as iCalendar, or the sessions of one room, theme or speaker.

    Titles, rooms and descriptions in `locale` (default: the current one) where translated.
    """
    locale = str(locale or get_locale() or "") or None
    title = event.localized("title", locale)
    sessions = load_sessions(event)
    if room is not None:
        sessions = [s for s in sessions if s.room_id == room.id]
        name = calendar_name(title, room.localized("name", locale))
    elif track is not None:
        sessions = [s for s in sessions if s.track_id == track.id]
        name = calendar_name(title, track.name)
    elif speaker is not None:
        sessions = [s for s in sessions if any(link.speaker_id == speaker.id for link in s.speakers)]
        name = calendar_name(title, speaker.name)
    else:
        name = calendar_name(title, _("Programme"))
    data = event_data(event, sessions, locale=locale)
    return build_calendar(data, data.sessions, name=name, labels=export_labels(), generated_at=_stamp(event, sessions))


def common_session(session: ProgrammeSession) -> bool:
    """A session every attendee goes to: no registration asked, not a break, not cancelled.

    The same rule as the badge's printed programme (services/checkin.badge_data).
    """
    return (
        not session.requires_registration and session.type != "break" and not session.is_cancelled
    )


def agenda_ics(
    event: Event,
    sessions: Iterable[ProgrammeSession],
    *,
    name: str | None = None,
    extra: Iterable[SessionData] = (),
    include_common: bool = True,
    exclude: Iterable[int] = (),
    changed_at: datetime | None = None,
) -> bytes:
    """A personal agenda: the given sessions, the sessions every attendee goes to (see
    `common_session`) and `extra` items such as speed-networking rounds.

    `exclude` leaves out sessions the extra items stand for (a speed-networking session whose
    rounds are listed one by one). Works inside a request or in an app context (e-mails: the
    links then use BASE_URL).
    """
    chosen = {s.id: s for s in sessions}
    if include_common:
        for session in load_sessions(event):
            if common_session(session):
                chosen.setdefault(session.id, session)
    for session_id in exclude:
        chosen.pop(session_id, None)
    # In the reader's language (the attendee's, on their link or in their e-mail) where translated.
    locale = get_locale()
    ordered = sorted(chosen.values(), key=lambda s: (s.starts_at, s.id))
    data = event_data(event, ordered, locale=locale)
    items = [*data.sessions, *extra]
    title = name or calendar_name(data.title, _("Mon agenda"))
    stamp = _stamp(event, list(chosen.values()))
    if changed_at is not None:
        stamp = max(stamp, changed_at)
    return build_calendar(data, items, name=title, labels=export_labels(), generated_at=stamp)


def registration_agenda(registration: Registration) -> bytes:
    """One person's agenda: the sessions where they have a seat, the sessions every attendee goes
    to, and their speed-networking rounds (table, theme, facilitator) in place of the session."""
    from eventsys.services.networking import registration_itineraries

    event = registration.event
    locale = get_locale()
    chosen = [
        c.session for c in registration.choices
        if c.status == CHOICE_CONFIRMED and c.session is not None and c.session.event_id == event.id
    ]  # fmt: skip
    stamps = [c.updated_at for c in registration.choices if c.updated_at is not None]
    rounds: list[SessionData] = []
    replaced: list[int] = []
    for activity, participant, stops in registration_itineraries(registration):
        session = activity.session
        plan = activity.current_plan
        changed = [
            s
            for s in (activity.updated_at, plan.created_at if plan else None, session.updated_at)
            if s
        ]
        stamps += changed
        replaced.append(session.id)
        cancelled = session.is_cancelled or event.status == STATUS_CANCELLED
        for stop in stops:
            if stop.absent or stop.sitting_out:
                continue
            lines = []
            if stop.theme:
                lines.append(_("Thème : %(theme)s", theme=stop.theme))
            if stop.facilitator:
                lines.append(_("Animation : %(name)s", name=stop.facilitator))
            rounds.append(calendar_item(
                event,
                guid=f"{session.guid}-tour{stop.number}-p{participant.id}",
                title=_("%(activity)s, tour %(number)d : %(place)s",
                        activity=session.localized("title", locale), number=stop.number, place=stop.place),
                starts_at=stop.starts_at,
                ends_at=stop.ends_at,
                room_name=session.room.localized("name", locale) if session.room else "",
                description="\n".join(lines),
                sequence=_revision(changed),
                cancelled=cancelled,
            ))  # fmt: skip
    return agenda_ics(
        event,
        chosen,
        extra=rounds,
        exclude=replaced,
        changed_at=max(stamps) if stamps else None,
        name=calendar_name(event.localized("title", locale), _("Mon agenda")),
    )


_REVISION_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _revision(stamps: Iterable[datetime]) -> int:
    """A SEQUENCE for items without a counter of their own: seconds since 2020 of their last
    change, so it only ever grows (RFC 5545 section 3.8.7.4; fits an int32 until 2088)."""
    latest = max(stamps, default=_REVISION_EPOCH)
    return max(0, int((latest - _REVISION_EPOCH).total_seconds()))


def _stamp(event: Event, sessions: Iterable[ProgrammeSession]) -> datetime:
    """The last change: the same feed twice is byte for byte the same, so ETags work."""
    stamps = [event.updated_at, *(s.updated_at for s in sessions)]
    return max((s for s in stamps if s is not None), default=datetime.now(UTC))


def calendar_item(event: Event, *, guid: str, title: str, starts_at: datetime, ends_at: datetime,
                  room_name: str = "", description: str = "", sequence: int = 0,
                  cancelled: bool = False, type: str = "speed_networking") -> SessionData:
    """An agenda entry that is not a programme session (a speed-networking round, a table)."""
    return SessionData(
        id=0,
        guid=guid,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        type=type,
        room=RoomData(0, room_name) if room_name else None,
        description=description,
        sequence=sequence,
        cancelled=cancelled,
        url=f"{event_url(event)}/programme",
    )


def programme_pdf(event: Event, locale: str = "fr", second: str | None = None) -> bytes:
    """The printable programme booklet in the given language; with `second`, bilingual (the
    titles in `second` printed beneath)."""
    with force_locale(locale):
        labels = export_labels()
    other = event_data(event, locale=second) if second and second != locale else None
    return render_programme_pdf(event_data(event, locale=locale), labels=labels, locale=locale, second=other)


def schedule_xml(event: Event) -> bytes:
    return render_schedule_xml(event_data(event), labels=export_labels(),
                               schedule_url=f"{event_url(event)}/schedule.xml")


def schedule_json(event: Event) -> bytes:
    return render_schedule_json(event_data(event), labels=export_labels(),
                                schedule_url=f"{event_url(event)}/schedule.json")


def programme_csv(event: Event) -> bytes:
    return render_programme_csv(event_data(event))


# ------------------------------------------------------------ import messages

ISSUE_MESSAGES = {
    # whole file
    "too_large": _l("Le fichier dépasse la taille maximale de %(limit)s Mo."),
    "empty_file": _l("Le fichier est vide."),
    "unknown_format": _l(
        "Format de fichier non reconnu : envoyez un tableur CSV ou XLSX, ou un fichier de programme XML ou JSON."
    ),
    "xlsx_unreadable": _l("Ce classeur XLSX est illisible ou endommagé. Enregistrez-le de nouveau, ou exportez-le en CSV."),
    "encoding_invalid": _l(
        "Le fichier annonce de l'%(encoding)s mais son contenu n'en est pas (longueur impaire ou caractère "
        "incomplet) : enregistrez-le de nouveau en UTF-8."
    ),
    "json_too_deep": _l("Ce fichier JSON est imbriqué sur plus de %(limit)s niveaux : ce n'est pas un programme."),
    "csv_field_too_long": _l(
        "Ligne %(line)s : une cellule dépasse %(limit)s caractères (souvent un guillemet non refermé). Vérifiez le fichier."
    ),
    "csv_invalid": _l("Ce fichier CSV est mal formé (vers la ligne %(line)s)."),
    "too_many_columns": _l("Le fichier compte plus de %(limit)s colonnes : gardez seulement les colonnes utiles."),
    "xlsx_too_many_cells": _l(
        "Ce classeur contient plus de %(limit)s cellules : gardez seulement la feuille du programme, ou exportez-la en CSV."
    ),
    "xlsx_merged_too_big": _l(
        "Ce classeur fusionne des cellules sur une zone trop grande (ou plus de %(limit)s zones) : "
        "défusionnez-les, ou exportez la feuille en CSV."
    ),
    "xml_entities": _l(
        "Ce fichier XML déclare des entités ou une DTD, refusées pour des raisons de sécurité. "
        "Exportez un programme XML ordinaire."
    ),
    "xml_invalid": _l("Ce fichier XML est mal formé (vers la ligne %(line)s) : vérifiez son contenu et son encodage."),
    "xml_not_schedule": _l("Ce fichier XML n'est pas un programme au format « schedule » (frab, pretalx)."),
    "json_invalid": _l("Ce fichier JSON est mal formé (vers la ligne %(line)s)."),
    "json_not_schedule": _l("Ce fichier JSON n'est pas un programme au format « schedule » (frab, pretalx)."),
    "no_header": _l(
        "Aucune ligne d'en-tête reconnue. La première ligne doit nommer les colonnes : "
        "day, start, end, room, title, type, track, speakers, description (ou jour, début, fin, salle, titre…)."
    ),
    "missing_columns": _l("Colonnes obligatoires absentes : %(columns)s."),
    "too_many_rows": _l("Le fichier compte plus de %(limit)s lignes : découpez-le."),
    "no_rows": _l("Le fichier ne contient aucune session."),
    "encoding_fallback": _l(
        "Le fichier n'est pas en UTF-8 : il a été lu en %(encoding)s. Vérifiez les accents dans l'aperçu."
    ),
    "unknown_columns": _l("Colonnes ignorées : %(columns)s."),
    "timezone_unknown": _l("Fuseau horaire du fichier inconnu (« %(value)s ») : heures lues dans celui de l'événement."),
    "timezone_converted": _l(
        "Le fichier est à l'heure de %(source)s, l'événement à celle de %(target)s : les horaires ont été convertis."
    ),
    # rows
    "no_title_no_time": _l("Ligne ignorée : ni titre ni horaire."),
    "missing_title": _l("Titre manquant."),
    "title_truncated": _l("Titre raccourci à %(limit)s caractères."),
    "bad_day": _l("Jour « %(value)s » illisible : écrivez par exemple 25/06/2026 ou 2026-06-25."),
    "missing_day": _l("Jour manquant : l'événement dure plusieurs jours, précisez la date."),
    "day_not_in_event": _l("Le jour « %(value)s » ne fait pas partie de l'événement (du %(start)s au %(end)s)."),
    "missing_start": _l("Heure de début manquante."),
    "missing_end": _l("Heure de fin manquante."),
    "bad_time": _l("Heure « %(value)s » illisible : écrivez 9h30, 09:30 ou 09:30:00."),
    "bad_duration": _l("Durée « %(value)s » illisible : écrivez 00:45 ou 45."),
    "bad_date": _l("Date et heure « %(value)s » illisibles."),
    "end_before_start": _l("La fin (%(end)s) doit venir après le début (%(start)s)."),
    "zero_duration": _l("La session doit finir après son début."),
    "outside_event": _l("Le %(date)s est en dehors des dates de l'événement (du %(start)s au %(end)s)."),
    "missing_room": _l("Aucune salle : la session sera importée sans salle."),
    "unknown_type": _l("Type « %(value)s » inconnu : importé comme « Autre »."),
    "duplicate_row": _l("Doublon de la ligne %(line)s (même titre, même horaire) : ignorée."),
    "room_clash": _l("La salle « %(room)s » est déjà occupée à ce moment par « %(other)s »."),
    "speaker_clash": _l("%(speaker)s intervient déjà à ce moment dans « %(other)s »."),
}


# Issues about a number of things: the sentence depends on the number (ngettext).
ISSUE_PLURALS = {
    "links_ignored": lambda n: ngettext("%(num)d lien non importé.", "%(num)d liens non importés.", n),
    "attachments_ignored": lambda n: ngettext(
        "%(num)d pièce jointe non importée.", "%(num)d pièces jointes non importées.", n
    ),
}


def issue_message(code: str, params: dict[str, Any]) -> str:
    """The sentence for an issue code, in the current language."""
    if code in ISSUE_PLURALS and isinstance(params.get("count"), int):
        return ISSUE_PLURALS[code](params["count"])
    template = ISSUE_MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def file_error_message(error: ImportFileError) -> str:
    return issue_message(error.code, error.params)


# --------------------------------------------------------------- import plan

CREATE, UPDATE, REJECT = "create", "update", "reject"


@dataclass
class PlannedRow:
    row: ImportRow
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    action: str = CREATE
    target_id: int | None = None

    @property
    def messages(self) -> list[tuple[str, str]]:
        return [(issue.level, issue_message(issue.code, issue.params)) for issue in self.row.issues]

    def local_span(self, tz) -> str:
        if self.starts_at is None or self.ends_at is None:
            return ""
        lang = get_locale()
        day = i18n.format_day(self.starts_at, lang, tz, "short")
        return f"{day} {i18n.time_range(self.starts_at, self.ends_at, lang, tz)}"


@dataclass
class ImportPlan:
    kind: str
    rows: list[PlannedRow] = field(default_factory=list)
    file_issues: list[Issue] = field(default_factory=list)
    new_rooms: list[str] = field(default_factory=list)
    new_tracks: list[str] = field(default_factory=list)
    new_speakers: list[str] = field(default_factory=list)

    @property
    def file_messages(self) -> list[tuple[str, str]]:
        return [(issue.level, issue_message(issue.code, issue.params)) for issue in self.file_issues]

    @property
    def rejected(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == REJECT]

    @property
    def accepted(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action != REJECT]

    @property
    def has_errors(self) -> bool:
        return bool(self.rejected)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows for i in r.row.issues if i.level == WARNING)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    rejected: int = 0
    rooms: int = 0
    tracks: int = 0
    speakers: int = 0

    def message(self) -> str:
        """What the import did, in the current language: each count agrees with its own noun."""
        return _(
            "Import terminé : %(created)s, %(updated)s, %(rejected)s ; %(rooms)s, %(speakers)s et "
            "%(tracks)s ajoutés.",
            created=ngettext("%(num)d session créée", "%(num)d sessions créées", self.created),
            updated=ngettext("%(num)d mise à jour", "%(num)d mises à jour", self.updated),
            rejected=ngettext(
                "%(num)d ligne laissée de côté", "%(num)d lignes laissées de côté", self.rejected
            ),
            rooms=ngettext("%(num)d salle", "%(num)d salles", self.rooms),
            speakers=ngettext("%(num)d intervenant·e", "%(num)d intervenant·es", self.speakers),
            tracks=ngettext("%(num)d thème", "%(num)d thèmes", self.tracks),
        )


def _fmt(day: date) -> str:
    return i18n.format_day(day, get_locale(), width="short")


def _resolve_day(row: ImportRow, event: Event, days: list[date]) -> date | None:
    spec = row.day
    if spec is None:
        if len(days) == 1:
            return days[0]
        row.error("missing_day")
        return None
    if spec.date is not None:
        return spec.date
    if spec.day_month is not None:
        for day in days:
            if (day.day, day.month) == spec.day_month:
                return day
        row.error("day_not_in_event", value=f"{spec.day_month[0]:02d}/{spec.day_month[1]:02d}",
                  start=_fmt(event.start_date), end=_fmt(event.end_date))
        return None
    if spec.index is not None and 1 <= spec.index <= len(days):
        return days[spec.index - 1]
    row.error("day_not_in_event", value=str(spec.index), start=_fmt(event.start_date), end=_fmt(event.end_date))
    return None


def plan_import(event: Event, parsed: ParsedFile) -> ImportPlan:
    """What importing the parsed file would do to the event: nothing is written."""
    plan = ImportPlan(parsed.kind, file_issues=list(parsed.issues))
    if parsed.timezone and parsed.timezone != event.timezone and any(r.starts_at for r in parsed.rows):
        plan.file_issues.append(
            Issue("timezone_converted", WARNING, {"source": parsed.timezone, "target": event.timezone})
        )
    days = programme.event_days(event)
    tz = event.tz
    existing = load_sessions(event)
    by_guid = {s.guid: s for s in existing}
    by_title = {(fold(s.title), s.starts_at): s for s in existing}
    file_guids = [r.guid for r in parsed.rows if r.guid]
    taken = set(
        db.session.scalars(select(ProgrammeSession.guid).where(ProgrammeSession.guid.in_(file_guids)))
    ) if file_guids else set()
    seen: dict[tuple[str, datetime], int] = {}
    seen_guids: set[str] = set()
    # Our own exports name a room "to be confirmed" for sessions without one: not a real room.
    no_room = {fold(ExportLabels().no_room), fold(export_labels().no_room)}
    for row in parsed.rows:
        item = PlannedRow(row)
        plan.rows.append(item)
        if row.room and fold(row.room) in no_room:
            row.room = ""
        if row.ok:
            _plan_times(item, event, days, tz)
        if not row.ok:
            item.action = REJECT
            continue
        key = (fold(row.title), item.starts_at)
        if key in seen:
            row.error("duplicate_row", line=seen[key])
            item.action = REJECT
            continue
        seen[key] = row.line
        target = by_guid.get(row.guid) if row.guid else None
        target = target or by_title.get(key)
        if target is not None:
            item.action, item.target_id = UPDATE, target.id
        if row.guid and (row.guid in seen_guids or (row.guid in taken and row.guid not in by_guid)):
            row.guid = None  # used elsewhere: this session gets a fresh one
        if row.guid:
            seen_guids.add(row.guid)
    _plan_names(plan, event)
    _plan_clashes(plan, event, existing)
    return plan


def _plan_times(item: PlannedRow, event: Event, days: list[date], tz) -> None:
    row = item.row
    if row.starts_at is not None:
        item.starts_at = row.starts_at.astimezone(UTC)
        item.ends_at = row.ends_at.astimezone(UTC) if row.ends_at else None
    else:
        day = _resolve_day(row, event, days)
        if day is None or row.start is None or row.end is None:
            return
        item.starts_at = programme.local_to_utc(event, day, row.start)
        item.ends_at = programme.local_to_utc(event, day, row.end)
    if item.ends_at is None:
        return
    start_day, end_day = local(item.starts_at, tz).date(), local(item.ends_at, tz).date()
    if start_day < event.start_date or end_day > event.end_date:
        row.error("outside_event", date=_fmt(start_day if start_day < event.start_date else end_day),
                  start=_fmt(event.start_date), end=_fmt(event.end_date))


def _plan_names(plan: ImportPlan, event: Event) -> None:
    rooms = {fold(r.name) for r in event.rooms}
    tracks = {fold(t.name) for t in event.tracks}
    speakers = {fold(s.name) for s in event.speakers}
    for item in plan.accepted:
        row = item.row
        if row.room and fold(row.room) not in rooms:
            rooms.add(fold(row.room))
            plan.new_rooms.append(row.room)
        if row.track and fold(row.track) not in tracks:
            tracks.add(fold(row.track))
            plan.new_tracks.append(row.track)
        for person in row.speakers:
            if fold(person.name) not in speakers:
                speakers.add(fold(person.name))
                plan.new_speakers.append(person.name)


def _plan_clashes(plan: ImportPlan, event: Event, existing: list[ProgrammeSession]) -> None:
    """Warn about rooms and speakers booked twice, between imported rows or with the programme."""
    room_ids = {fold(r.name): r.id for r in event.rooms}
    speaker_ids = {fold(s.name): s.id for s in event.speakers}
    room_names = {r.id: r.name for r in event.rooms}
    speaker_names = {s.id: s.name for s in event.speakers}

    def synthetic(table: dict[str, int], names: dict[int, str], name: str) -> int:
        key = fold(name)
        if key not in table:
            table[key] = -(len(table) + 1)
            names[table[key]] = name
        return table[key]

    updated = {item.target_id for item in plan.accepted if item.target_id}
    slots, titles, planned = [], {}, {}
    for session in existing:
        if session.id in updated:
            continue
        slots.append(clash_rules.SlotData(
            id=session.id, title=session.title, type=session.type, starts_at=session.starts_at,
            ends_at=session.ends_at, room_id=session.room_id, capacity=None,
            speaker_ids=frozenset(link.speaker_id for link in session.speakers), cancelled=session.is_cancelled,
        ))  # fmt: skip
        titles[session.id] = session.title
    for item in plan.accepted:
        row = item.row
        if item.starts_at is None or item.ends_at is None:
            continue
        slot_id = -row.line
        planned[slot_id] = item
        titles[slot_id] = row.title
        slots.append(clash_rules.SlotData(
            id=slot_id, title=row.title, type=row.type, starts_at=item.starts_at, ends_at=item.ends_at,
            room_id=synthetic(room_ids, room_names, row.room) if row.room else None, capacity=None,
            speaker_ids=frozenset(synthetic(speaker_ids, speaker_names, p.name) for p in row.speakers),
            cancelled=row.cancelled,
        ))  # fmt: skip
    found = clash_rules.find_clashes(slots, date.min, date.max, event.tz, {})
    for clash in found:
        if clash.kind not in (clash_rules.ROOM_DOUBLE_BOOKED, clash_rules.SPEAKER_DOUBLE_BOOKED):
            continue
        for mine, other in (clash.session_ids, clash.session_ids[::-1]):
            if mine not in planned:
                continue
            if clash.kind == clash_rules.ROOM_DOUBLE_BOOKED:
                planned[mine].row.warn("room_clash", room=room_names.get(clash.room_id, "?"), other=titles[other])
            else:
                planned[mine].row.warn("speaker_clash", speaker=speaker_names.get(clash.speaker_id, "?"),
                                       other=titles[other])


# -------------------------------------------------------------- apply import


def apply_import(event: Event, plan: ImportPlan, *, accept_partial: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Write the plan: rooms, themes and speakers created or matched by name, sessions created
    or updated. All or nothing, unless the organiser accepted leaving the rejected rows out.
    `progress(done, total)` is told every few rows (a background job's progress bar)."""
    if plan.has_errors and not accept_partial:
        raise ImportRejected(
            ngettext(
                "%(num)d ligne en erreur : rien n'a été importé. Corrigez le fichier, ou acceptez "
                "d'importer seulement les lignes valides.",
                "%(num)d lignes en erreur : rien n'a été importé. Corrigez le fichier, ou acceptez "
                "d'importer seulement les lignes valides.",
                len(plan.rejected),
            )
        )
    if not plan.accepted:
        raise ImportRejected(_l("Aucune ligne valide à importer."))
    summary = ImportSummary(rejected=len(plan.rejected))
    rooms = {fold(r.name): r for r in event.rooms}
    tracks = {fold(t.name): t for t in event.tracks}
    speakers = {fold(s.name): s for s in event.speakers}
    position = max((r.position for r in event.rooms), default=0)
    sessions = {s.id: s for s in event.sessions}
    total = len(plan.accepted)
    for number, item in enumerate(plan.accepted):
        if progress is not None and number % 25 == 0:
            progress(number, total)
        row = item.row
        room = None
        if row.room:
            room = rooms.get(fold(row.room))
            if room is None:
                position += 1
                room = programme.save_room(event, Room(), {"name": row.room, "capacity": None, "position": position})
                rooms[fold(row.room)] = room
                summary.rooms += 1
        track = None
        if row.track:
            track = tracks.get(fold(row.track))
            if track is None:
                track = Track(event=event, name=row.track)
                db.session.add(track)
                db.session.flush()
                tracks[fold(row.track)] = track
                summary.tracks += 1
        links = []
        for person in row.speakers:
            speaker = speakers.get(fold(person.name))
            if speaker is None:
                speaker = programme.save_speaker(event, Speaker(), {
                    "name": person.name, "function": person.function, "organisation": person.organisation,
                    "bio": person.bio, "or_representative": person.or_representative,
                })  # fmt: skip
                speakers[fold(person.name)] = speaker
                summary.speakers += 1
            links.append((speaker.id, person.role))
        data = {
            "title": row.title,
            "type": row.type,
            "room_id": room.id if room else None,
            "track_id": track.id if track else None,
            "description": row.description,
            "status": "cancelled" if row.cancelled else "scheduled",
        }
        if row.language:
            data["languages"] = row.language
        if item.action == UPDATE and item.target_id in sessions:
            session = sessions[item.target_id]
            summary.updated += 1
        else:
            session = ProgrammeSession()
            if row.guid:
                session.guid = row.guid
            summary.created += 1
        programme.save_session(event, session, data, item.starts_at, item.ends_at, speakers=links)
    return summary


# ------------------------------------------------------------ upload storage

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
UPLOAD_LIFETIME = timedelta(hours=24)


def storage_dir() -> Path:
    """Where uploaded files wait between the preview and the confirmation."""
    base = current_app.config.get("STORAGE_DIR") or str(Path(current_app.instance_path) / "storage")
    path = Path(base) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(data: bytes, *, filename: str, event_id: int, user_id: int) -> str:
    """Keep an uploaded file under a random name; returns the name to confirm it with."""
    directory = storage_dir()
    purge_uploads(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.bin").write_bytes(data)
    meta = {"filename": filename[:200], "event_id": event_id, "user_id": user_id, "stored": clock.time()}
    (directory / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load_upload(token: str, *, event_id: int, user_id: int) -> tuple[bytes, str] | None:
    """The file and its name, if the token is ours, recent, and for this event and person."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    directory = storage_dir()
    try:
        meta = json.loads((directory / f"{token}.json").read_text(encoding="utf-8"))
        data = (directory / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("event_id") != event_id or meta.get("user_id") != user_id:
        return None
    if clock.time() - float(meta.get("stored", 0)) > UPLOAD_LIFETIME.total_seconds():
        return None
    return data, str(meta.get("filename", ""))


def discard_upload(token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        return
    directory = storage_dir()
    for suffix in (".bin", ".json"):
        (directory / f"{token}{suffix}").unlink(missing_ok=True)


def purge_uploads(directory: Path) -> None:
    """Forget uploads nobody confirmed within a day."""
    limit = clock.time() - UPLOAD_LIFETIME.total_seconds()
    for path in directory.glob("*.json"):
        try:
            stored = float(json.loads(path.read_text(encoding="utf-8")).get("stored", 0))
        except (OSError, ValueError):
            stored = 0
        if stored < limit:
            path.unlink(missing_ok=True)
            path.with_suffix(".bin").unlink(missing_ok=True)

