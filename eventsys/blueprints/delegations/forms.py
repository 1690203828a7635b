"""Forms of the delegation pages: the group (head's and organiser's), members, language pairs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Optional

from eventsys.models.delegation import MEMBER_ROLES
from eventsys.services import delegations as dl
from eventsys.services.delegations.status import role_labels

MEMBER_ROWS = 6
PAIR_ROWS = 2
# Languages offered for interpreting pairs, besides the interface's: those of the network's partners.
PAIR_LANGUAGES = ("fr", "en", "de", "es", "it", "nl", "pt", "ar", "pl", "ro", "wo", "ln")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class MemberForm(Form):
    first_name = StringField(_l("Prénom"))
    last_name = StringField(_l("Nom"))
    email = EmailField(_l("E-mail (facultatif)"))
    language = SelectField(_l("Langue du badge et des e-mails"), validate_choice=False)
    role = SelectField(_l("Rôle"), validate_choice=False)

    def is_blank(self) -> bool:
        return not any(
            (f.data or "").strip() for f in (self.first_name, self.last_name, self.email)
        )


class PairForm(Form):
    source = SelectField(_l("De la langue"), validate_choice=False)
    target = SelectField(_l("Vers la langue"), validate_choice=False)
    sessions = MultiCheckboxField(
        _l("Sessions où l'interprétation est nécessaire"), coerce=int, validate_choice=False
    )


class DelegationForm(FlaskForm):
    name = StringField(_l("Nom de la délégation"))
    country = SelectField(_l("Pays"), validate_choice=False)
    institution = StringField(_l("Institution ou association"))
    head_first_name = StringField(_l("Prénom du chef de délégation"))
    head_last_name = StringField(_l("Nom du chef de délégation"))
    head_email = EmailField(_l("E-mail du chef de délégation"))
    head_language = SelectField(
        _l("Langue des e-mails du chef de délégation"), validate_choice=False
    )
    arrival_at = DateTimeLocalField(_l("Arrivée"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    departure_at = DateTimeLocalField(
        _l("Départ"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    travel_notes = StringField(_l("Voyage (train, vol, hôtel)"))
    sessions = MultiCheckboxField(
        _l("Sessions auxquelles toute la délégation participe"), coerce=int, validate_choice=False
    )
    all_or_none = BooleanField(
        _l(
            "Tous ou personne : si la délégation ne tient pas en entier, elle attend en entier, à une seule position de la liste d'attente"
        )
    )
    members = FieldList(FormField(MemberForm), min_entries=MEMBER_ROWS)
    pairs = FieldList(FormField(PairForm), min_entries=PAIR_ROWS)
    consent = BooleanField(
        _l(
            "J'ai l'accord des membres pour transmettre leurs données, utilisées pour gérer leur inscription et conservées selon la durée indiquée par l'organisateur."
        )
    )
    website = StringField(
        _l("Ne remplissez pas ce champ"), render_kw={"autocomplete": "off", "tabindex": "-1"}
    )


class MembersForm(FlaskForm):
    """The head's page: new members (blank rows ignored)."""

    members = FieldList(FormField(MemberForm), min_entries=2)


class ReplaceForm(FlaskForm):
    member = FormField(MemberForm)


class ActionForm(FlaskForm):
    """A button that posts (CSRF only)."""


def _language_choices(codes: Sequence[str]) -> list[tuple[str, str]]:
    locale = Locale.parse(str(get_locale() or "fr"))
    return [(code, locale.languages.get(code, code)) for code in codes]


def country_choices() -> list[tuple[str, str]]:
    locale = Locale.parse(str(get_locale() or "fr"))
    codes = [code for code in locale.territories if dl.is_country(code)]
    return [("", "—")] + sorted(
        ((c, locale.territories[c]) for c in codes), key=lambda pair: pair[1]
    )


def fill_choices(
    form: Any,
    languages: Sequence[str],
    sessions: Sequence[tuple[int, str]],
    registrable: Sequence[tuple[int, str]],
) -> None:
    """Put the choices (in the page's language) into a delegation or members form."""
    roles = [(key, str(label)) for key, label in role_labels().items() if key in MEMBER_ROLES]
    if hasattr(form, "country"):
        form.country.choices = country_choices()
        form.head_language.choices = _language_choices(languages)
        form.sessions.choices = list(registrable)
        pair_languages = [
            ("", "—"),
            *_language_choices(list(dict.fromkeys([*languages, *PAIR_LANGUAGES]))),
        ]
        for pair in form.pairs:
            pair.source.choices = pair.target.choices = pair_languages
            pair.sessions.choices = list(sessions)
    entries = (
        form.members
        if hasattr(form, "members") and isinstance(form.members, FieldList)
        else [form.member]
    )
    for member in entries:
        member.language.choices = _language_choices(languages)
        member.role.choices = roles


def member_inputs(entries: Any) -> tuple[list[dl.MemberInput], list[int]]:
    """Filled member rows as inputs, and the row index of each (blank rows are skipped)."""
    inputs, rows = [], []
    for row, entry in enumerate(entries):
        if entry.is_blank():
            continue
        inputs.append(member_input(entry))
        rows.append(row)
    return inputs, rows


def member_input(entry: Any) -> dl.MemberInput:
    return dl.MemberInput(
        first_name=entry.first_name.data or "", last_name=entry.last_name.data or "", email=entry.email.data or "",
        language=entry.language.data or "", role=entry.role.data or "engineer",
    )  # fmt: skip


def _aware(value: datetime | None, tz: str) -> datetime | None:
    return value.replace(tzinfo=ZoneInfo(tz)) if value is not None else None


def delegation_input(
    form: DelegationForm, tz: str
) -> tuple[dl.DelegationInput, list[int], list[int]]:
    """The service's input, with the form rows of the members and of the pairs it lists."""
    members, rows = member_inputs(form.members)
    pairs, pair_rows = [], []
    for row, pair in enumerate(form.pairs):
        if not pair.source.data and not pair.target.data:
            continue
        pairs.append(
            dl.PairInput(pair.source.data or "", pair.target.data or "", pair.sessions.data or [])
        )
        pair_rows.append(row)
    data = dl.DelegationInput(
        name=form.name.data or "", country=form.country.data or "", institution=form.institution.data or "",
        head_first_name=form.head_first_name.data or "", head_last_name=form.head_last_name.data or "",
        head_email=form.head_email.data or "", head_language=form.head_language.data or "",
        members=members, all_or_none=bool(form.all_or_none.data), interpreting=pairs,
        sessions=form.sessions.data or [], arrival_at=_aware(form.arrival_at.data, tz),
        departure_at=_aware(form.departure_at.data, tz), travel_notes=form.travel_notes.data or "",
        consent=bool(form.consent.data),
    )  # fmt: skip
    return data, rows, pair_rows


def show_errors(
    form: Any, error: Any, member_rows: Sequence[int] = (), pair_rows: Sequence[int] = ()
) -> None:
    """Put each service error next to its field: `members.3.email` is the email of the row that
    held the fourth filled member."""
    errors = error.params.get("errors") if hasattr(error, "params") else None
    if not errors:
        form.form_errors.append(str(error))
        return
    for name, messages in errors.items():
        target = _field(form, name, member_rows, pair_rows)
        if target is None:
            form.form_errors.extend(str(m) for m in messages)
        else:
            target.errors = list(target.errors or []) + [str(m) for m in messages]


def _field(form: Any, name: str, member_rows: Sequence[int], pair_rows: Sequence[int]) -> Any:
    parts = name.split(".")
    if parts[0] == "members" and len(parts) >= 2 and parts[1].isdigit():
        index = int(parts[1])
        if hasattr(form, "member"):  # the replacement form: one member
            entry = form.member
        else:
            row = member_rows[index] if index < len(member_rows) else None
            if row is None or row >= len(form.members):
                return None
            entry = form.members[row]
        field_name = parts[2] if len(parts) > 2 else "first_name"
        return entry[field_name] if field_name in entry._fields else entry.first_name
    if (
        parts[0] == "interpreting"
        and len(parts) >= 2
        and parts[1].isdigit()
        and hasattr(form, "pairs")
    ):
        index = int(parts[1])
        row = pair_rows[index] if index < len(pair_rows) else None
        if row is None:
            return None
        return form.pairs[row].sessions if parts[-1] == "sessions" else form.pairs[row].source
    if hasattr(form, parts[0]) and parts[0] not in ("members", "pairs"):
        return getattr(form, parts[0])
    return None


class VisitForm(FlaskForm):
    """A technical visit's practical details."""

    meeting_point = StringField(_l("Point de rendez-vous"))
    meeting_time = StringField(_l("Heure du rendez-vous (hh:mm)"))
    transport = StringField(_l("Transport"))
    site = StringField(_l("Site visité (nom et adresse)"))
    host = StringField(_l("Accueil sur place (personne, fonction)"))


class TripDayForm(FlaskForm):
    """One day of a study trip: its site and time zone, meeting point and time, transport, host."""

    day = DateField(_l("Date"), validators=[Optional()])
    site = StringField(_l("Lieu (ville, site)"))
    address = TextAreaField(_l("Adresse"))
    timezone = StringField(_l("Fuseau horaire (exemple : Europe/Brussels)"))
    meeting_point = StringField(_l("Point de rendez-vous"))
    meeting_time = StringField(_l("Heure du rendez-vous (hh:mm)"))
    transport = StringField(_l("Transport"))
    host = StringField(_l("Accueil sur place (personne, fonction)"))
    notes = TextAreaField(_l("Informations pratiques"))


class ArrangementsForm(FlaskForm):
    """The organiser's settings of one delegation: the head's deadline, arrival and departure."""

    changes_until = DateTimeLocalField(_l("Changements par le chef de délégation jusqu'au"), format="%Y-%m-%dT%H:%M",
                                       validators=[Optional()])  # fmt: skip
    arrival_at = DateTimeLocalField(_l("Arrivée"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    departure_at = DateTimeLocalField(
        _l("Départ"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    travel_notes = StringField(_l("Voyage (train, vol, hôtel)"))


def arrangements_form(delegation: Any, tz: str) -> ArrangementsForm:
    """The form filled with the delegation's values, shown in the event's time zone."""
    form = ArrangementsForm()
    if not form.is_submitted():
        zone = ZoneInfo(tz)
        for name in ("changes_until", "arrival_at", "departure_at"):
            value = getattr(delegation, name)
            form[name].data = value.astimezone(zone).replace(tzinfo=None) if value else None
        form.travel_notes.data = delegation.travel_notes
    return form


def aware(value: datetime | None, tz: str) -> datetime | None:
    return _aware(value, tz)
