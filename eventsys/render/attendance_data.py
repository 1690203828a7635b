"""What sign-in sheets and attendance certificates print: their labels in five languages and the
plain data the caller passes (attendees, local dates and times, hours attended).

Pure: no flask, no database. French is the reference; the caller may override any label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time

SIGNIN_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Feuille d'émargement",
        "date": "Date",
        "time": "Horaires",
        "place": "Lieu",
        "code": "Code session",
        "organiser": "Organisateur",
        "trainers": "Intervenant(s)",
        "number": "N°",
        "name": "Nom, prénom",
        "organisation": "Collectivité / organisme",
        "signature": "Signature",
        "registered": "Inscrits : %(count)s",
        "present": "Nombre de présents : ………",
        "trainer_signature": "Signature de l'intervenant ou du responsable de session",
        "page": "Page %(page)s / %(pages)s",
    },
    "en": {
        "title": "Attendance sign-in sheet",
        "date": "Date",
        "time": "Time",
        "place": "Place",
        "code": "Session code",
        "organiser": "Organiser",
        "trainers": "Speaker(s)",
        "number": "No.",
        "name": "Name",
        "organisation": "Organisation",
        "signature": "Signature",
        "registered": "Registered: %(count)s",
        "present": "Number present: ………",
        "trainer_signature": "Signature of the speaker or session manager",
        "page": "Page %(page)s / %(pages)s",
    },
    "de": {
        "title": "Anwesenheitsliste",
        "date": "Datum",
        "time": "Uhrzeit",
        "place": "Ort",
        "code": "Veranstaltungsnummer",
        "organiser": "Veranstalter",
        "trainers": "Referent(en)",
        "number": "Nr.",
        "name": "Name, Vorname",
        "organisation": "Organisation",
        "signature": "Unterschrift",
        "registered": "Angemeldet: %(count)s",
        "present": "Anzahl Anwesende: ………",
        "trainer_signature": "Unterschrift des Referenten oder der Sitzungsleitung",
        "page": "Seite %(page)s / %(pages)s",
    },
    "es": {
        "title": "Hoja de firmas",
        "date": "Fecha",
        "time": "Horario",
        "place": "Lugar",
        "code": "Código de sesión",
        "organiser": "Organizador",
        "trainers": "Ponente(s)",
        "number": "N.º",
        "name": "Apellidos, nombre",
        "organisation": "Organismo",
        "signature": "Firma",
        "registered": "Inscritos: %(count)s",
        "present": "Número de asistentes: ………",
        "trainer_signature": "Firma del ponente o del responsable de la sesión",
        "page": "Página %(page)s / %(pages)s",
    },
    "it": {
        "title": "Foglio firme presenze",
        "date": "Data",
        "time": "Orario",
        "place": "Luogo",
        "code": "Codice sessione",
        "organiser": "Organizzatore",
        "trainers": "Relatore/i",
        "number": "N.",
        "name": "Cognome, nome",
        "organisation": "Ente",
        "signature": "Firma",
        "registered": "Iscritti: %(count)s",
        "present": "Numero presenti: ………",
        "trainer_signature": "Firma del relatore o del responsabile della sessione",
        "page": "Pagina %(page)s / %(pages)s",
    },
}

CERTIFICATE_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Attestation de présence",
        "intro": "%(organiser)s atteste que",
        "intro_anonymous": "Nous attestons que",
        "body": "a participé à « %(event)s » %(when)s%(where)s, pour une durée de présence de %(hours)s.",
        "on": "le %(date)s",
        "from_to": "du %(start)s au %(end)s",
        "where": " à %(place)s",
        "hours_one": "%(n)s heure",
        "hours_other": "%(n)s heures",
        "code": "Code session : %(code)s",
        "issued_at": "Fait à %(place)s, le %(date)s",
        "issued": "Fait le %(date)s",
        "signature": "Signature et cachet de l'organisateur",
        "sessions": "Sessions suivies :",
        "sessions_more": "… et %(n)s autres",
    },
    "en": {
        "title": "Certificate of attendance",
        "intro": "%(organiser)s certifies that",
        "intro_anonymous": "We certify that",
        "body": "attended “%(event)s” %(when)s%(where)s, for a total attendance of %(hours)s.",
        "on": "on %(date)s",
        "from_to": "from %(start)s to %(end)s",
        "where": " in %(place)s",
        "hours_one": "%(n)s hour",
        "hours_other": "%(n)s hours",
        "code": "Session code: %(code)s",
        "issued_at": "Issued in %(place)s on %(date)s",
        "issued": "Issued on %(date)s",
        "signature": "Signature and stamp of the organiser",
        "sessions": "Sessions attended:",
        "sessions_more": "… and %(n)s more",
    },
    "de": {
        "title": "Teilnahmebestätigung",
        "intro": "%(organiser)s bestätigt, dass",
        "intro_anonymous": "Hiermit wird bestätigt, dass",
        "body": "an der Veranstaltung „%(event)s“ %(when)s%(where)s mit einer Anwesenheitsdauer "
        "von %(hours)s teilgenommen hat.",
        "on": "am %(date)s",
        "from_to": "vom %(start)s bis %(end)s",
        "where": " in %(place)s",
        "hours_one": "%(n)s Stunde",
        "hours_other": "%(n)s Stunden",
        "code": "Veranstaltungsnummer: %(code)s",
        "issued_at": "Ausgestellt in %(place)s am %(date)s",
        "issued": "Ausgestellt am %(date)s",
        "signature": "Unterschrift und Stempel des Veranstalters",
        "sessions": "Besuchte Programmpunkte:",
        "sessions_more": "… und %(n)s weitere",
    },
    "es": {
        "title": "Certificado de asistencia",
        "intro": "%(organiser)s certifica que",
        "intro_anonymous": "Se certifica que",
        "body": "asistió a «%(event)s» %(when)s%(where)s, con una duración de asistencia de %(hours)s.",
        "on": "el %(date)s",
        "from_to": "del %(start)s al %(end)s",
        "where": " en %(place)s",
        "hours_one": "%(n)s hora",
        "hours_other": "%(n)s horas",
        "code": "Código de sesión: %(code)s",
        "issued_at": "Expedido en %(place)s, el %(date)s",
        "issued": "Expedido el %(date)s",
        "signature": "Firma y sello del organizador",
        "sessions": "Sesiones a las que asistió:",
        "sessions_more": "… y %(n)s más",
    },
    "it": {
        "title": "Attestato di partecipazione",
        "intro": "%(organiser)s attesta che",
        "intro_anonymous": "Si attesta che",
        "body": "ha partecipato a «%(event)s» %(when)s%(where)s, per una durata di presenza di %(hours)s.",
        "on": "il %(date)s",
        "from_to": "dal %(start)s al %(end)s",
        "where": " a %(place)s",
        "hours_one": "%(n)s ora",
        "hours_other": "%(n)s ore",
        "code": "Codice sessione: %(code)s",
        "issued_at": "Rilasciato a %(place)s, il %(date)s",
        "issued": "Rilasciato il %(date)s",
        "signature": "Firma e timbro dell'organizzatore",
        "sessions": "Sessioni seguite:",
        "sessions_more": "… e altre %(n)s",
    },
}
FALLBACK_LANGUAGE = "fr"  # the reference language of the documents


@dataclass(frozen=True)
class SignInAttendee:
    """One line of a sign-in sheet."""

    first_name: str
    last_name: str
    organisation: str = ""


@dataclass(frozen=True)
class SignInSheetData:
    """One sign-in sheet: a session or a half-day, with the people expected to sign."""

    event_title: str
    session_title: str
    day: date
    attendees: Sequence[SignInAttendee]
    start: time | None = None  # local times
    end: time | None = None
    place: str = ""
    session_code: str = ""  # e.g. "Z26IN 001"
    organiser: str = ""
    trainers: Sequence[str] = ()
    signature_columns: Sequence[str] = ()  # e.g. ("Matin", "Après-midi"); default: one column
    blank_rows: int = 0  # extra empty lines for people not on the list
    lang: str = "fr"
    labels: Mapping[str, str] = field(default_factory=dict)  # overrides of SIGNIN_LABELS[lang]


@dataclass(frozen=True)
class CertificateData:
    """One attendance certificate; `hours` attended is computed by the caller from check-ins."""

    first_name: str
    last_name: str
    event_title: str
    start: date
    hours: float
    end: date | None = None
    organisation: str = ""
    lang: str = "fr"
    place: str = ""
    session_code: str = ""
    organiser: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    issued_place: str = ""
    issued_on: date | None = None  # defaults to the last day
    logo: bytes | None = None
    labels: Mapping[str, str] = field(default_factory=dict)  # overrides of CERTIFICATE_LABELS[lang]
    # The sessions the person was checked in at, one line each, written in `lang` by the caller
    # ("jeudi 25 juin 2026, 9 h 30 – 12 h 30 · Adapter les territoires"), in time order.
    sessions: Sequence[str] = ()


# At most this many session lines on a certificate (one A4 page): the rest are counted.
CERTIFICATE_MAX_SESSIONS = 12
