"""Speed-networking forms. Rules that need the database (session type, rounds, capacity) live in
services/networking.py; these forms check shapes and keep what the organiser typed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from eventsys.forms import clean_line, options
from eventsys.models.networking import MODE_KEEP_GROUPS, MODE_PAIRS, MODE_REMIX, MODE_STATIONS

_REQUIRED = _l("Ce champ est obligatoire.")

MODE_LABELS = {
    MODE_STATIONS: _l("Tables thématiques : les groupes changent de table à chaque tour et personne ne "
                      "revient à une table déjà visitée"),
    MODE_REMIX: _l("Groupes brassés : de nouveaux groupes à chaque tour, sans tables thématiques"),
    MODE_KEEP_GROUPS: _l("Groupes fixes : formés une fois, ils passent ensemble de table en table"),
    MODE_PAIRS: _l("Tête-à-tête : rencontres à deux (avec un nombre impair, une personne attend un tour)"),
}  # fmt: skip
MODE_SHORT = {
    MODE_STATIONS: _l("Tables thématiques"),
    MODE_REMIX: _l("Groupes brassés"),
    MODE_KEEP_GROUPS: _l("Groupes fixes"),
    MODE_PAIRS: _l("Tête-à-tête"),
}


class WholeNumberField(IntegerField):
    """An integer field whose conversion error is a French (translatable) sentence."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(_l("Saisissez un nombre entier, par exemple 10.")) from None


class ClockField(TimeField):
    """A time of day (HH:MM) with a French (translatable) error."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(
                _l("Saisissez une heure au format HH:MM, par exemple 12:45.")
            ) from None


class ActivityForm(FlaskForm):
    """Timing, group size and mode of a speed-networking (the session is chosen when creating it)."""

    session_id = SelectField(_l("Session du programme"), coerce=int, validate_choice=False)
    start = ClockField(_l("Début du premier tour"), validators=[InputRequired(_REQUIRED)])
    rounds = WholeNumberField(
        _l("Nombre de tours"),
        validators=[Optional(), NumberRange(min=1, max=60, message=_l("Entre 1 et 60 tours."))],
    )
    end = ClockField(_l("Ou : heure de fin"), validators=[Optional()])
    round_minutes = WholeNumberField(
        _l("Durée d'un tour (minutes)"),
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(min=1, max=240, message=_l("La durée d'un tour va de 1 à 240 minutes.")),
        ],
    )
    changeover_minutes = WholeNumberField(
        _l("Changement de table entre deux tours (minutes)"),
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(
                min=0, max=60, message=_l("Le changement de table dure de 0 à 60 minutes.")
            ),
        ],
    )
    group_size = WholeNumberField(
        _l("Taille visée des groupes"),
        validators=[
            InputRequired(_REQUIRED),
            NumberRange(min=2, max=50, message=_l("Un groupe compte de 2 à 50 personnes.")),
        ],
    )
    mode = RadioField(
        _l("Mode de rotation"),
        choices=options(MODE_LABELS.items()),
        default=MODE_STATIONS,
        validators=[InputRequired(_REQUIRED)],
    )
    avoid_same_organisation = BooleanField(
        _l("Séparer les collègues d'une même organisation"), default=True
    )


class StationForm(FlaskForm):
    name = StringField(
        _l("Nom de la table"),
        filters=[clean_line],
        validators=[
            InputRequired(_REQUIRED),
            Length(max=120, message=_l("120 caractères au maximum.")),
        ],
    )
    theme = StringField(
        _l("Thème"),
        filters=[clean_line],
        validators=[Optional(), Length(max=200, message=_l("200 caractères au maximum."))],
    )
    facilitator_id = SelectField(_l("Animé par"), coerce=str, validate_choice=False)
    capacity = WholeNumberField(
        _l("Places (facultatif)"),
        validators=[Optional(), NumberRange(min=1, max=500, message=_l("Entre 1 et 500 places."))],
    )


class WalkInForm(FlaskForm):
    name = StringField(
        _l("Nom et prénom"),
        filters=[clean_line],
        validators=[
            InputRequired(_REQUIRED),
            Length(max=200, message=_l("200 caractères au maximum.")),
        ],
    )
    organisation = StringField(
        _l("Organisation"),
        filters=[clean_line],
        validators=[Optional(), Length(max=200, message=_l("200 caractères au maximum."))],
    )
    joins_from_round = SelectField(_l("Arrive au tour"), coerce=str, validate_choice=False)


PARTICIPANT_ACTIONS = {
    "absent_from": _l("Absent·es à partir du tour choisi"),
    "joins_from": _l("Arrivent au tour choisi"),
    "present": _l("Présent·es à tous les tours"),
    "remove": _l("Retirer de la rotation"),
}


class ParticipantsForm(FlaskForm):
    """One action for the people ticked in the list."""

    action = SelectField(
        _l("Action"), choices=options(PARTICIPANT_ACTIONS.items()), validate_choice=True
    )
    round_number = SelectField(_l("Tour"), coerce=str, validate_choice=False)


class ReplanForm(FlaskForm):
    from_round = SelectField(_l("Replanifier à partir du tour"), coerce=str, validate_choice=False)


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""
