"""Forms of the check-in area: badge printing, desk tokens, access code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

LAYOUT_CHOICES = [
    ("a4-8", _l("A4, 8 badges par feuille (90 × 60 mm, traits de coupe)")),
    ("a6", _l("A6, un badge par page (porte-badge A6)")),
    ("id1", _l("Carte 85,6 × 54 mm (imprimante à badges)")),
    ("a6-folded", _l("A4 plié en A6, avec le programme de la personne au dos")),
]
SCOPE_CHOICES = [
    ("all", _l("Toutes les inscriptions confirmées")),
    ("selection", _l("Seulement les personnes cochées ci-dessous")),
]
BILINGUAL_CHOICES = [
    ("", _l("Non : les libellés dans la langue de chaque personne")),
    ("fr", _l("Oui, avec le français")),
    ("en", _l("Oui, avec l'anglais")),
    ("de", _l("Oui, avec l'allemand")),
    ("es", _l("Oui, avec l'espagnol")),
    ("it", _l("Oui, avec l'italien")),
]


def _options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class BadgeForm(FlaskForm):
    layout = RadioField(
        _l("Format"), choices=_options(LAYOUT_CHOICES), default="a4-8", validators=[InputRequired()]
    )
    scope = RadioField(
        _l("Badges à imprimer"),
        choices=_options(SCOPE_CHOICES),
        default="all",
        validators=[InputRequired()],
    )
    bilingual = SelectField(
        _l("Libellés bilingues"),
        choices=_options(BILINGUAL_CHOICES),
        default="",
        validators=[Optional()],
    )


class StaffTokenForm(FlaskForm):
    label = StringField(
        _l("Nom du poste ou de la personne"),
        validators=[InputRequired(), Length(max=100)],
        description=_l("Par exemple « Accueil 1 » ou « Porte salle Garonne »."),
    )
    expires_at = DateTimeLocalField(
        _l("Expire le"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l(
            "Heure locale de l'événement. Vide : le lendemain de l'événement à 23 h 59."
        ),
    )


class AccessForm(FlaskForm):
    token = StringField(_l("Code d'accès"), validators=[InputRequired(), Length(max=100)])


class ActionForm(FlaskForm):
    """A POST button: CSRF only."""
