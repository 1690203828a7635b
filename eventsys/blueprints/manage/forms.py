"""Organiser forms. Lengths match the model columns; rules that need the database live in services."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from eventsys.forms import (
    LANGUAGE_CHOICES,
    LANGUAGE_NAMES,
    MultiCheckboxField,
    clean_line,
    clean_text,
    options,
)
from eventsys.interchange.rows import web_link
from eventsys.models.events import (
    KIND_CONFERENCE,
    KIND_NETWORK,
    KIND_TRAINING_DAY,
    Event,
    Room,
    Speaker,
    Track,
)
from eventsys.models.people import ROLE_ORGANISER, ROLE_STAFF
from eventsys.models.programme import SESSION_CANCELLED, SESSION_SCHEDULED, ProgrammeSession
from eventsys.models.translatable import DEFAULT_LANGUAGE, DEFAULT_OFFERED
from eventsys.models.types import max_length
from eventsys.services.codes import canonical_code

LONG_TEXT = 10_000  # Text columns: no limit in the database, a sane one for people

KIND_LABELS = {
    KIND_TRAINING_DAY: _l("Journée d'actualité / formation"),
    KIND_CONFERENCE: _l("Rencontre nationale / colloque"),
    KIND_NETWORK: _l("Réunion de réseau"),
}
SESSION_TYPE_LABELS = {
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
    "technical_visit": _l("Visite technique"),
    "other": _l("Autre"),
}
SPEAKER_ROLE_LABELS = {
    "speaker": _l("Intervenant·e"),
    "moderator": _l("Modérateur·rice"),
    "facilitator": _l("Animateur·rice"),
    "chair": _l("Président·e de séance"),
}
SESSION_STATUS_LABELS = {SESSION_SCHEDULED: _l("Programmée"), SESSION_CANCELLED: _l("Annulée")}
TEAM_ROLE_LABELS = {ROLE_ORGANISER: _l("Organisateur·rice"), ROLE_STAFF: _l("Équipe d'accueil")}
@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """IANA names offered in the list (the field still accepts any valid one)."""
    return tuple(
        sorted(
            name for name in available_timezones() if "/" in name and not name.startswith("Etc/")
        )
    )


def _max(n: int) -> Length:
    return Length(max=n, message=_l("%(max)d caractères au maximum."))


def _limit(attribute: Any) -> Length:
    """The column's own length: the form says (maxlength) and checks what the database holds."""
    return _max(max_length(attribute))


_REQUIRED = _l("Ce champ est obligatoire.")


def _known_language(form: FlaskForm, field: SelectField) -> None:
    if field.data not in LANGUAGE_NAMES:
        raise ValidationError(_l("Langue inconnue : choisissez une langue de la liste."))


class EventForm(FlaskForm):
    TRANSLATED = ("title", "subtitle", "access_notes", "audience", "context")

    title = StringField(
        _l("Titre"), filters=[clean_line], validators=[DataRequired(_REQUIRED), _limit(Event.title)]
    )
    subtitle = StringField(
        _l("Sous-titre"), filters=[clean_line], validators=[Optional(), _limit(Event.subtitle)]
    )
    kind = SelectField(_l("Type d'événement"), choices=options(KIND_LABELS.items()))
    code = StringField(
        _l("Code de session"),
        filters=[clean_line],
        validators=[Optional(), _limit(Event.code_display)],
        description=_l("Par exemple Z26IN 001. Laissez vide pour qu'un code soit créé."),
    )
    start_date = DateField(
        _l("Date de début"),
        validators=[InputRequired(_REQUIRED)],
        render_kw={"autocomplete": "off"},
    )
    end_date = DateField(
        _l("Date de fin"), validators=[InputRequired(_REQUIRED)], render_kw={"autocomplete": "off"}
    )
    timezone = StringField(
        _l("Fuseau horaire"),
        filters=[clean_line],
        default="Europe/Paris",
        validators=[DataRequired(_REQUIRED), _limit(Event.timezone)],
        description=_l(
            "Nom IANA complet, par exemple Europe/Paris, America/Martinique ou Indian/Reunion."
        ),
        render_kw={"list": "timezones", "autocomplete": "off", "spellcheck": "false"},
    )
    venue_name = StringField(_l("Lieu"), filters=[clean_line], validators=[Optional(), _limit(Event.venue_name)])
    venue_address = TextAreaField(
        _l("Adresse"), filters=[clean_text], validators=[Optional(), _max(LONG_TEXT)]
    )
    access_notes = TextAreaField(
        _l("Accès et accessibilité"), filters=[clean_text], validators=[Optional(), _max(LONG_TEXT)]
    )
    audience = TextAreaField(
        _l("Public visé"), filters=[clean_text], validators=[Optional(), _max(LONG_TEXT)]
    )
    context = TextAreaField(
        _l("Contexte"), filters=[clean_text], validators=[Optional(), _max(LONG_TEXT)]
    )
    contacts = TextAreaField(
        _l("Contacts"), filters=[clean_text], validators=[Optional(), _max(LONG_TEXT)]
    )
    default_language = SelectField(
        _l("Langue principale"),
        choices=options(LANGUAGE_CHOICES),
        default=DEFAULT_LANGUAGE,
        validate_choice=False,
        validators=[_known_language],
        description=_l(
            "La langue dans laquelle les textes sont d'abord écrits ; "
            "c'est elle qui s'affiche quand une traduction manque."
        ),
    )
    languages = MultiCheckboxField(
        _l("Langues proposées"),
        choices=options(LANGUAGE_CHOICES),
        default=list(DEFAULT_OFFERED),
        validate_choice=False,
        description=_l("Les textes peuvent être traduits dans chacune de ces langues."),
    )
    restrict_languages = BooleanField(
        _l("Proposer l'interface uniquement dans ces langues"),
        default=False,
        description=_l(
            "Les pages de l'événement (programme, inscription, lien personnel) ne proposent alors "
            "que les langues cochées ci-dessus ; sinon, toutes les langues de l'interface, les "
            "textes non traduits s'affichant dans la langue principale."
        ),
    )

    def validate_code(self, field: StringField) -> None:
        if field.data and (not field.data.isascii() or canonical_code(field.data) is None):
            raise ValidationError(
                _l("Code de session invalide : 3 à 20 lettres ou chiffres, par exemple Z26IN 001.")
            )

    def validate_languages(self, field: MultiCheckboxField) -> None:
        if not field.data:
            raise ValidationError(_l("Choisissez au moins une langue."))
        if any(code not in LANGUAGE_NAMES for code in field.data):
            raise ValidationError(_l("Langue inconnue : choisissez une langue de la liste."))


STEP_FREE_YES, STEP_FREE_NO, STEP_FREE_UNKNOWN = "yes", "no", "unknown"
_STEP_FREE_VALUES = {True: STEP_FREE_YES, False: STEP_FREE_NO, None: STEP_FREE_UNKNOWN}


def _tri_state(value: Any) -> str:
    """The radio's value from the room's yes / no / not known (a checkbox's "y" reads as yes)."""
    if value in _STEP_FREE_VALUES:
        return _STEP_FREE_VALUES[value]
    return {"y": STEP_FREE_YES, "on": STEP_FREE_YES, "true": STEP_FREE_YES}.get(str(value).lower(), str(value))


def step_free_value(choice: str | None) -> bool | None:
    """yes → True, no → False, anything else → None (not known)."""
    return {STEP_FREE_YES: True, STEP_FREE_NO: False}.get(choice or "")


class RoomForm(FlaskForm):
    TRANSLATED = ("name", "location_notes")

    name = StringField(
        _l("Nom de la salle"), filters=[clean_line], validators=[DataRequired(_REQUIRED), _limit(Room.name)]
    )
    capacity = IntegerField(
        _l("Capacité (places)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000, message=_l("Nombre entre 0 et 100 000.")),
        ],
    )
    location_notes = TextAreaField(
        _l("Comment s'y rendre"), filters=[clean_text], validators=[Optional(), _max(LONG_TEXT)]
    )
    step_free = RadioField(
        _l("Accessible de plain-pied ou par ascenseur"),
        choices=options([
            (STEP_FREE_UNKNOWN, _l("Pas encore vérifié (rien n'est affiché au public)")),
            (STEP_FREE_YES, _l("Oui : de plain-pied ou par ascenseur")),
            (STEP_FREE_NO, _l("Non : marches, accès difficile en fauteuil")),
        ]),
        default=STEP_FREE_UNKNOWN,
        coerce=_tri_state,
    )
    shared = BooleanField(
        _l("Espace partagé (foyer, hall d'exposition…)"),
        description=_l("Plusieurs sessions peuvent s'y tenir en même temps : ce n'est pas une double réservation."),
    )
    position = IntegerField(
        _l("Ordre d'affichage"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=1000, message=_l("Nombre entre 0 et 1000.")),
        ],
    )


class SpeakerForm(FlaskForm):
    name = StringField(
        _l("Nom"), filters=[clean_line], validators=[DataRequired(_REQUIRED), _limit(Speaker.name)]
    )
    function = StringField(_l("Fonction"), filters=[clean_line], validators=[Optional(), _limit(Speaker.function)])
    organisation = StringField(
        _l("Organisme"), filters=[clean_line], validators=[Optional(), _limit(Speaker.organisation)]
    )
    bio = TextAreaField(
        _l("Courte biographie"), filters=[clean_text], validators=[Optional(), _max(LONG_TEXT)]
    )
    email = EmailField(
        _l("Adresse e-mail (privée)"),
        filters=[clean_line],
        validators=[
            Optional(),
            _limit(Speaker.email),
            Email(message=_l("Adresse e-mail invalide."), check_deliverability=False),
        ],
        description=_l("Jamais affichée publiquement."),
    )
    or_representative = BooleanField(
        _l("« ou son représentant » (la personne peut se faire représenter)")
    )


class TrackForm(FlaskForm):
    name = StringField(
        _l("Nom du thème"), filters=[clean_line], validators=[DataRequired(_REQUIRED), _limit(Track.name)]
    )
    colour = StringField(
        _l("Couleur"),
        default="#1f5f99",
        validators=[
            DataRequired(_REQUIRED),
            Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Couleur au format #RRVVBB.")),
        ],
        render_kw={"type": "color"},
    )


class SpeakerRowForm(Form):
    """One speaker of a session and their role (no CSRF: part of SessionForm)."""

    speaker = SelectField(_l("Intervenant·e"), choices=[], validate_choice=False)
    role = SelectField(_l("Rôle"), choices=options(SPEAKER_ROLE_LABELS.items()), default="speaker")


MAX_LINKS = 30


class LinksField(TextAreaField):
    """A session's links and documents, one a line: the address (http or https), then its title.

    `data` is the list the session stores ({"url", "title", "kind"}); a line that is not a web
    address is refused with its number, and what was typed is shown again as it was."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        lines = (
            " ".join(part for part in (str(link.get("url", "")), str(link.get("title", ""))) if part)
            for link in self.data or ()
            if isinstance(link, dict)
        )
        return "\n".join(lines)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.refused: list[int] = []
        self.data = []
        text = str(valuelist[0]) if valuelist else ""
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
            if not line.strip():
                continue
            url, _space, title = line.strip().partition(" ")
            link = web_link(url, title)
            if link is None:
                self.refused.append(number)
            else:
                self.data.append(link.as_dict())

    def pre_validate(self, form: FlaskForm) -> None:
        refused = getattr(self, "refused", [])
        if refused:
            raise ValidationError(
                _l("Ligne %(line)d : une adresse web commençant par https:// ou http:// est attendue.", line=refused[0])
            )
        if len(self.data or ()) > MAX_LINKS:
            raise ValidationError(_l("%(max)d liens au plus.", max=MAX_LINKS))


class SessionForm(FlaskForm):
    TRANSLATED = ("title", "description")

    title = StringField(
        _l("Titre"), filters=[clean_line], validators=[DataRequired(_REQUIRED), _limit(ProgrammeSession.title)]
    )
    type = SelectField(
        _l("Type de session"), choices=options(SESSION_TYPE_LABELS.items()), default="talk"
    )
    track = SelectField(_l("Thème"), choices=[], validate_choice=False)
    # The service, not the choice list, decides whether a day or a room belongs to the event,
    # so a stale or forged value gets the service's message rather than "not a valid choice".
    day = SelectField(
        _l("Jour"), choices=[], validate_choice=False, validators=[DataRequired(_REQUIRED)]
    )
    start_time = TimeField(_l("Heure de début"), validators=[InputRequired(_REQUIRED)])
    end_time = TimeField(_l("Heure de fin"), validators=[InputRequired(_REQUIRED)])
    room = SelectField(_l("Salle"), choices=[], validate_choice=False)
    capacity = IntegerField(
        _l("Participants attendus (capacité)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000, message=_l("Nombre entre 0 et 100 000.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        filters=[clean_text],
        validators=[Optional(), _max(LONG_TEXT)],
        description=_l(
            "Paragraphes séparés par une ligne vide ; Markdown accepté : *italique*, **gras**, "
            "listes « - », [lien](https://…)."
        ),
    )
    type_label = StringField(
        _l("Type affiché"),
        filters=[clean_line],
        validators=[Optional(), _limit(ProgrammeSession.type_label)],
        description=_l("Ce que le programme affiche à la place du type, par exemple « Table ronde » ; vide : le type choisi."),
    )
    links = LinksField(
        _l("Liens et documents"),
        description=_l("Un lien par ligne : l'adresse (https://…), puis son titre."),
    )
    # Asked as a consent: a new session stays "do not record" until someone says the speakers agreed.
    recording_allowed = BooleanField(_l("Les intervenant·es acceptent l'enregistrement (captation et diffusion)"))
    languages = MultiCheckboxField(_l("Langues de la session"), choices=options(LANGUAGE_CHOICES))
    requires_registration = BooleanField(_l("Inscription préalable à cette session"))
    status = SelectField(
        _l("Statut"), choices=options(SESSION_STATUS_LABELS.items()), default=SESSION_SCHEDULED
    )
    speakers = FieldList(FormField(SpeakerRowForm), min_entries=0, max_entries=60)
    add_rows = SubmitField(_l("Ajouter des lignes d'intervenants"))
    save = SubmitField(_l("Enregistrer la session"))

    def validate_languages(self, field: MultiCheckboxField) -> None:
        if not field.data:
            raise ValidationError(_l("Choisissez au moins une langue."))
        if any(code not in LANGUAGE_NAMES for code in field.data):
            raise ValidationError(_l("Langue inconnue : choisissez une langue de la liste."))


class TeamForm(FlaskForm):
    email = EmailField(
        _l("Adresse e-mail du compte"),
        filters=[clean_line],
        validators=[DataRequired(_REQUIRED), _max(254)],
    )
    role = SelectField(_l("Rôle"), choices=options(TEAM_ROLE_LABELS.items()), default=ROLE_STAFF)


class DeleteEventForm(FlaskForm):
    confirm = BooleanField(
        _l(
            "Je comprends que l'événement, son programme et ses inscriptions seront définitivement supprimés."
        ),
        validators=[DataRequired(_l("Cochez la case pour confirmer la suppression."))],
    )
