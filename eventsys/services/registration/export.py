"""Registrations as CSV (Excel-friendly, safe from formula injection) and the labels it uses."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask_babel import gettext as _
from flask_babel import pgettext

from eventsys.models import Event
from eventsys.models.registration import (
    CHOICE_REQUESTED,
    QUESTION_YESNO,
    REG_CANCELLED,
    REG_CONFIRMED,
    REG_PENDING,
    REG_REFUSED,
    REG_WAITLISTED,
    CustomQuestion,
)
from eventsys.services.registration.counts import search_registrations, waitlist_positions
from eventsys.services.registration.settings import event_questions

# ------------------------------------------------------------------------- CSV

# Excel (French locale) opens a CSV by double-click correctly only with a BOM and semicolons;
# LibreOffice detects both in its import dialog. CRLF line ends, as RFC 4180 says.
CSV_DELIMITER = ";"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def registrations_csv(event: Event) -> bytes:
    """Every registration as CSV: UTF-8 with BOM, `;`-separated, one column per custom question."""
    registrations, _total = search_registrations(event)
    questions = event_questions(event)
    event_positions, choice_positions = waitlist_positions(event)
    status_labels = status_names()
    header = [
        _("N°"), _("Statut"), _("Position en liste d'attente"), pgettext("nom de famille", "Nom"), _("Prénom"), _("E-mail"),
        _("Organisation"), _("Type d'organisation"), _("Fonction"), _("Langue"), _("Sessions"),
        _("Déjeuner"), _("Besoins d'accessibilité"), _("Speed-networking"), _("Thèmes (par préférence)"),
        _("Inscrit le"), _("Origine"),
    ] + [q.label for q in questions]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=CSV_DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow([_cell(h) for h in header])
    yes, no = _("oui"), _("non")
    for reg in registrations:
        choices = []
        for choice in sorted(reg.live_choices, key=lambda c: c.session.starts_at):
            label = status_labels.get(choice.status, choice.status)
            if choice.id in choice_positions:
                label = _(
                    "%(status)s n°%(position)d", status=label, position=choice_positions[choice.id]
                )
            choices.append(f"{choice.session.title} ({label})")
        answers = {a.question_id: a.value for a in reg.answers}
        row = [
            reg.id,
            status_labels.get(reg.status, reg.status),
            event_positions.get(reg.id, ""),
            reg.last_name,
            reg.first_name,
            reg.email,
            reg.organisation,
            organisation_type_names().get(reg.organisation_type, ""),
            reg.job_title,
            reg.language,
            " | ".join(choices),
            "" if reg.lunch is None else (yes if reg.lunch else no),
            reg.accessibility,
            yes if reg.networking_opt_in else no,
            " > ".join(reg.networking_themes or []),
            reg.created_at.astimezone(event.tz).strftime("%d/%m/%Y %H:%M"),
            reg.source,
        ] + [_answer_text(q, answers.get(q.id, "")) for q in questions]
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _answer_text(question: CustomQuestion, value: str) -> str:
    if question.kind == QUESTION_YESNO and value:
        return _("oui") if value == "yes" else _("non")
    return value


def status_names() -> dict[str, str]:
    """Statuses as people read them."""
    return {
        REG_CONFIRMED: _("confirmée"),
        REG_PENDING: _("en attente de validation"),
        REG_WAITLISTED: _("liste d'attente"),
        REG_CANCELLED: _("annulée"),
        REG_REFUSED: _("refusée"),
        CHOICE_REQUESTED: _("souhaitée"),
    }


def organisation_type_names() -> dict[str, str]:
    return {"local_authority": _("Collectivité territoriale"), "other": _("Autre organisme")}
