"""Registering the people of a CSV file: bounded, in short batches, and no mail relay.

The file is read with the bounded readers (eventsys/services/safe_read.py) and refused past
`REGISTRATION_IMPORT_MAX_ROWS` rows. Rows are registered in batches of `BATCH_ROWS`, each batch
in its own transaction holding the event's lock (services.registration.lock_event) only for
its rows, so people registering on the public form wait for one batch, not for the file; a
file over `REGISTRATION_IMPORT_JOB_ROWS` rows is applied by a background job
(eventsys/jobs/kinds.py, kind "registration_import"). Confirmation e-mails of an import go out only
for a published event, at most `REGISTRATION_IMPORT_MAIL_CAP` per event in 24 hours (counted
from the outbox), and the organiser sees their number before confirming: an account that can
create an event cannot use the import to e-mail a list of addresses.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.registration import OutboxMessage, Registration
from eventsys.services import safe_read
from eventsys.services.registration import (
    IMPORT_COLUMNS,
    ImportReport,
    ImportRow,
    _import_row,
    lock_event,
    registrable_sessions,
)

BATCH_ROWS = 50


@dataclass
class ImportFile:
    """The rows of a registration CSV, or why the file as a whole cannot be used."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    error: str = ""

    @property
    def addresses(self) -> int:
        return sum(1 for _line, values in self.rows if values.get("email"))


@dataclass
class MailPlan:
    """How many confirmation e-mails an import would send, and why not more."""

    asked: bool
    count: int = 0
    reason: str = ""  # "", "unpublished" or "cap"
    cap_left: int = 0


def max_rows() -> int:
    return int(current_app.config.get("REGISTRATION_IMPORT_MAX_ROWS") or 5000)


def read_import(raw: bytes) -> ImportFile:
    """The rows of the file (line number, values by column), bounded; `error` when unusable."""
    result = ImportFile()
    limit = max_rows()
    try:
        text, _fallback = safe_read.decode_text(raw)
        if not text.strip():
            result.error = _("Le fichier est vide.")
            return result
        reader = safe_read.csv_rows(text, safe_read.sniff_delimiter(text, ";,"), max_rows=limit + 1)
        header = [cell.strip().casefold() for cell in next(reader, [])]
        columns: dict[str, int] = {}
        for name, aliases in IMPORT_COLUMNS.items():
            index = next((i for i, title in enumerate(header) if title in aliases), None)
            if index is not None:
                columns[name] = index
        if any(name not in columns for name in ("first_name", "last_name", "email")):
            result.error = _(
                "Colonnes obligatoires absentes : il faut au moins « Prénom », « Nom » et « E-mail » en première ligne."
            )
            return result
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(result.rows) == limit:
                result.error = _("Le fichier compte plus de %(limit)s lignes : découpez-le.", limit=limit)
                result.rows = []
                return result
            result.rows.append((line, {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}))
    except safe_read.Refused as refused:
        result.error = _refusal(refused)
        result.rows = []
    return result


def _refusal(refused: safe_read.Refused) -> str:
    if refused.code == "csv_field_too_long":
        return _("Ligne %(line)s : une cellule dépasse %(limit)s caractères (souvent un guillemet non refermé). "
                 "Vérifiez le fichier.", **refused.params)
    if refused.code == "too_many_columns":
        return _("Le fichier compte plus de %(limit)s colonnes : gardez seulement les colonnes utiles.", **refused.params)
    if refused.code == "encoding_invalid":
        return _("Le fichier annonce de l'%(encoding)s mais son contenu n'en est pas (longueur impaire ou caractère "
                 "incomplet) : enregistrez-le de nouveau en UTF-8.", **refused.params)
    return _("Le fichier n'est pas un CSV lisible (ligne %(line)d).", line=int(refused.params.get("line") or 0))


def mails_sent_today(event: Event, now: datetime | None = None) -> int:
    """Confirmation e-mails queued for imported registrations of this event in the last 24 hours."""
    since = (now or datetime.now(UTC)) - timedelta(days=1)
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .join(Registration, OutboxMessage.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.source == "import", OutboxMessage.created_at >= since)
    ) or 0


def mail_plan(event: Event, parsed: ImportFile, notify: bool, now: datetime | None = None) -> MailPlan:
    """The e-mails this import would send: none for an unpublished event, at most the day's cap."""
    if not notify:
        return MailPlan(asked=False)
    if not event.is_published:
        return MailPlan(asked=True, reason="unpublished")
    cap = int(current_app.config.get("REGISTRATION_IMPORT_MAIL_CAP") or 0)
    left = max(0, cap - mails_sent_today(event, now))
    count = min(parsed.addresses, left)
    return MailPlan(asked=True, count=count, reason="cap" if count < parsed.addresses else "", cap_left=left)


def apply_import(
    event: Event,
    parsed: ImportFile,
    *,
    notify: bool,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Register every row, BATCH_ROWS at a time, each batch committed (the event's lock released).

    E-mails follow mail_plan, re-checked per batch: an import running beside another one
    cannot pass the day's cap together with it."""
    report = ImportReport()
    event_id = event.id
    total = len(parsed.rows)
    for start in range(0, total, BATCH_ROWS):
        event = db.session.get(Event, event_id)
        lock_event(event)  # held until this batch's commit
        sessions_by_title = {s.title.casefold(): s.id for s in registrable_sessions(event)}
        allowance = mail_plan(event, parsed, notify, now).cap_left if notify and event.is_published else 0
        for line, values in parsed.rows[start : start + BATCH_ROWS]:
            send = allowance > 0 and bool(values.get("email"))
            row = _import_row(event, line, values, sessions_by_title, send, now)
            if send and row.outcome in ("created", "duplicate"):  # a duplicate is sent its link again
                allowance -= 1
            elif notify and row.outcome == "created" and event.is_published:
                row.message = _("Pas d'e-mail : le plafond quotidien d'e-mails d'import de l'événement est atteint.")
            report.rows.append(row)
        db.session.commit()
        if progress is not None:
            progress(min(start + BATCH_ROWS, total), total)
    return report


def report_csv(report: ImportReport) -> bytes:
    """The per-row report of a background import, as a spreadsheet to download."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Ligne"), _("Personne"), _("E-mail"), _("Résultat"), _("Détail")])
    outcomes = {"created": _("Inscrite"), "duplicate": _("Ignorée"), "rejected": _("Refusée")}
    for row in report.rows:
        writer.writerow([row.line, _safe_cell(row.name), _safe_cell(row.email), outcomes.get(row.outcome, row.outcome),
                         _safe_cell(row.message)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


__all__ = ["ImportFile", "ImportRow", "MailPlan", "apply_import", "mail_plan", "read_import", "report_csv"]
