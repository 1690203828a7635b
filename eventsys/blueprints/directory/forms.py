"""Forms of the directory: a member's profile, a coordinator's search and invitation, the
administrator's grant, an organiser's translation request, the side-by-side translation."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventsys.i18n import LANGUAGE_NAMES
from eventsys.models.directory import DirectoryProfile
from eventsys.models.types import max_length
from eventsys.services.directory import vocabulary as vocab
from eventsys.services.directory.profiles import ProfileInput

LANGUAGE_ROWS = 5  # language lines offered on the form; empty ones are ignored


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _level_choices() -> list[tuple[str, str]]:
    return [("", _l("— niveau —"))] + [(level, vocab.level_label(level)) for level in vocab.LEVELS]


class ProfileForm(FlaskForm):
    first_name = StringField(
        _l("Prénom"),
        validators=[InputRequired(), Length(max=max_length(DirectoryProfile.first_name))],
    )
    last_name = StringField(
        _l("Nom"), validators=[InputRequired(), Length(max=max_length(DirectoryProfile.last_name))]
    )
    organisation = StringField(
        _l("Organisation"), validators=[Length(max=max_length(DirectoryProfile.organisation))]
    )
    job_title = StringField(
        _l("Fonction"), validators=[Length(max=max_length(DirectoryProfile.job_title))]
    )
    region = SelectField(_l("Région"), validators=[Optional()])
    language = SelectField(_l("Langue de vos e-mails"))
    roles = MultiCheckboxField(_l("Je veux bien aider pour"), choices=[])
    topics = MultiCheckboxField(_l("Thèmes"), choices=[])
    visibility = RadioField(_l("Qui peut voir mon profil"), validators=[InputRequired()])
    show_email = BooleanField(_l("Montrer mon adresse e-mail aux autres membres"))
    consent = BooleanField(
        _l(
            "J'accepte que ces informations figurent dans l'annuaire du réseau, pour être contacté·e par ses coordinateurs et les organisateurs d'événements."
        ),
        validators=[InputRequired(message=_l("Cochez la case pour figurer dans l'annuaire."))],
    )

    def __init__(self, locale: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = [("", _l("— langue —"))] + vocab.language_choices(locale)
        for code, level in self.language_rows():
            code.choices, level.choices = languages, _level_choices()
        self.region.choices = [("", _l("— non précisée —"))] + [
            (code, label) for code, label in vocab.REGIONS.items()
        ]
        self.language.choices = [
            (code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]
        ]
        self.roles.choices = list(vocab.ROLES.items())
        self.topics.choices = list(vocab.TOPICS.items())
        self.visibility.choices = list(vocab.VISIBILITY_LABELS.items())

    def language_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"lang_{i}"], self[f"level_{i}"]) for i in range(LANGUAGE_ROWS)]

    def fill(self, data: ProfileInput) -> None:
        for name in ("first_name", "last_name", "organisation", "job_title", "region", "language", "roles", "topics",
                     "visibility", "show_email"):  # fmt: skip
            self[name].data = getattr(data, name)
        for index, (code, level) in enumerate(data.languages[:LANGUAGE_ROWS]):
            self[f"lang_{index}"].data, self[f"level_{index}"].data = code, level

    def to_input(self) -> ProfileInput:
        pairs = [(code.data, level.data or "") for code, level in self.language_rows() if code.data]
        return ProfileInput(
            first_name=self.first_name.data or "", last_name=self.last_name.data or "",
            organisation=self.organisation.data or "", job_title=self.job_title.data or "",
            region=self.region.data or "", language=self.language.data or "fr", languages=pairs,
            roles=self.roles.data or [], topics=self.topics.data or [],
            visibility=self.visibility.data or "coordinators", show_email=bool(self.show_email.data),
        )  # fmt: skip


for _index in range(LANGUAGE_ROWS):
    setattr(
        ProfileForm,
        f"lang_{_index}",
        SelectField(_l("Langue %(n)d", n=_index + 1), validators=[Optional()]),
    )
    setattr(
        ProfileForm,
        f"level_{_index}",
        SelectField(_l("Niveau en langue %(n)d", n=_index + 1), validators=[Optional()]),
    )


class SearchForm(FlaskForm):
    """A GET form: no CSRF (it changes nothing), criteria only (no personal data in the URL)."""

    class Meta:
        csrf = False

    language = SelectField(_l("Langue"), validators=[Optional()])
    other_language = SelectField(_l("Deuxième langue"), validators=[Optional()])
    min_level = SelectField(_l("Niveau minimum"), validators=[Optional()])
    role = SelectField(_l("Rôle"), validators=[Optional()])
    topic = SelectField(_l("Thème"), validators=[Optional()])
    region = SelectField(_l("Région"), validators=[Optional()])

    def __init__(self, locale: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_ = [("", _l("— toutes —"))]
        languages = any_ + vocab.language_choices(locale)
        self.language.choices = self.other_language.choices = languages
        self.min_level.choices = any_ + [
            (level, vocab.level_label(level)) for level in vocab.LEVELS
        ]
        self.role.choices = any_ + list(vocab.ROLES.items())
        self.topic.choices = any_ + list(vocab.TOPICS.items())
        self.region.choices = any_ + list(vocab.REGIONS.items())


class InviteForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[InputRequired(), Length(max=254)])
    first_name = StringField(
        _l("Prénom"),
        validators=[InputRequired(), Length(max=max_length(DirectoryProfile.first_name))],
    )
    last_name = StringField(
        _l("Nom"), validators=[InputRequired(), Length(max=max_length(DirectoryProfile.last_name))]
    )
    language = SelectField(_l("Langue de l'e-mail"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [
            (code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]
        ]


class LostLinkForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[InputRequired(), Length(max=254)])


class GrantForm(FlaskForm):
    email = EmailField(
        _l("Adresse e-mail du compte"), validators=[InputRequired(), Length(max=254)]
    )


class ActionForm(FlaskForm):
    """A bare form for POST buttons (CSRF only)."""


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("Je comprends que mon profil sera supprimé définitivement."),
        validators=[InputRequired(message=_l("Cochez la case pour confirmer la suppression."))],
    )


class RequestForm(FlaskForm):
    """Step one of a request (GET, criteria only): what to translate, into which language, at what level."""

    class Meta:
        csrf = False

    target = SelectField(_l("À traduire"))
    language = SelectField(_l("Langue de la traduction"))
    min_level = SelectField(
        _l("Niveau demandé dans les deux langues"), default=vocab.TRANSLATION_LEVEL
    )


class InviteVolunteersForm(FlaskForm):
    volunteers = MultiCheckboxField(_l("Volontaires à inviter"), coerce=int, choices=[])
    note = TextAreaField(
        _l("Un mot pour les volontaires (facultatif)"), validators=[Length(max=2000)]
    )


class TranslationForm(FlaskForm):
    """The side-by-side translation: one field per source field, made by `translation_form`."""


def translation_form(
    fields: dict[str, str], limits: dict[str, int | None], **kwargs: Any
) -> FlaskForm:
    """A form with a target field for each source field (a line for titles, an area for texts)."""
    labels = {
        "title": _l("Titre"),
        "description": _l("Résumé"),
        "subtitle": _l("Sous-titre"),
        "context": _l("Présentation"),
        "url": _l("Adresse du document"),
    }

    class Form(TranslationForm):
        pass

    for name in fields:
        limit = limits.get(name)
        kind = StringField if limit else TextAreaField
        validators = [Optional()] + ([Length(max=limit)] if limit else [])
        setattr(Form, name, kind(labels.get(name, name), validators=validators))
    return Form(**kwargs)
