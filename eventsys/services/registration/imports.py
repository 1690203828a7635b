"""One row of an organiser's import file, registered as the form would (see services/registration_import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import pgettext

from eventsys.extensions import db
from eventsys.models import Event
from eventsys.services.errors import (
    ChoiceConflict,
    EventFull,
    RegistrationClosed,
    RegistrationInvalid,
    SessionClosed,
    SessionFull,
)
from eventsys.services.registration.checks import RegistrationInput
from eventsys.services.registration.status import status_view
from eventsys.services.registration.submission import register_attendee

# Header aliases accepted by the import (lower case, accents kept).
IMPORT_COLUMNS = {
    "first_name": ("prénom", "prenom", "first_name", "first name", "firstname"),
    "last_name": ("nom", "last_name", "last name", "lastname", "nom de famille"),
    "email": ("e-mail", "email", "courriel", "adresse e-mail", "mail"),
    "organisation": ("organisation", "collectivité", "collectivite", "employeur", "organisme"),
    "job_title": ("fonction", "job_title", "job title", "poste"),
    "language": ("langue", "language"),
    "sessions": ("sessions", "ateliers", "workshops"),
}


@dataclass
class ImportRow:
    line: int
    name: str
    email: str
    outcome: str  # created / duplicate / rejected
    message: str
    status: str = ""


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    error: str = ""

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "created")

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "duplicate")

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "rejected")


def _import_row(
    event: Event,
    line: int,
    values: dict[str, str],
    sessions_by_title: dict[str, int],
    notify: bool,
    now: datetime | None,
) -> ImportRow:
    name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
    session_ids: list[Any] = []
    for item in filter(None, (part.strip() for part in values.get("sessions", "").split("|"))):
        session_ids.append(item if item.isdigit() else sessions_by_title.get(item.casefold(), item))
    data = RegistrationInput(
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        email=values.get("email", ""),
        organisation=values.get("organisation", ""),
        job_title=values.get("job_title", ""),
        language=values.get("language", "").lower(),
        sessions=session_ids,
        consent=True,  # the organiser confirmed, for the whole file, that people were informed
    )
    savepoint = db.session.begin_nested()
    try:
        outcome = register_attendee(
            event, data, source="import", by_organiser=True, notify=notify, now=now
        )
    except RegistrationInvalid as error:
        savepoint.rollback()
        errors = error.params.get("errors", {})
        message = " ".join(
            _("%(label)s :", label=_import_field_label(k)) + " " + " ".join(v)
            for k, v in errors.items()
        ) or str(error)
        return ImportRow(line, name, values.get("email", ""), "rejected", message)
    except (SessionClosed, SessionFull, ChoiceConflict, EventFull, RegistrationClosed) as error:
        savepoint.rollback()
        return ImportRow(line, name, values.get("email", ""), "rejected", str(error))
    savepoint.commit()
    registration = outcome.registration
    if not outcome.created:
        return ImportRow(
            line,
            name,
            registration.email,
            "duplicate",
            _("Déjà inscrit·e : ligne ignorée."),
            registration.status,
        )
    return ImportRow(
        line, name, registration.email, "created", "", status_view(registration).overall
    )


def _import_field_label(name: str) -> str:
    labels = {
        "first_name": _("Prénom"), "last_name": pgettext("nom de famille", "Nom"), "email": _("E-mail"), "organisation": _("Organisation"),
        "job_title": _("Fonction"), "language": _("Langue"), "sessions": _("Sessions"),
    }  # fmt: skip
    return labels.get(name, name)
