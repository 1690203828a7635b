"""Registration forms. The public form is built per event (fields the organiser chose, one radio
group per time slot, custom questions); the rules themselves are checked by services/registration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from eventsys.forms import options, translation_name, with_translations
from eventsys.models.registration import (
    FIELD_HIDDEN,
    FIELD_MODES,
    FIELD_REQUIRED,
    QUESTION_CHOICE,
    QUESTION_KINDS,
    QUESTION_YESNO,
    CustomQuestion,
    RegistrationSettings,
)
from eventsys.models.translatable import language_code
from eventsys.services.registration import (
    EMAIL_MESSAGE_MAX,
    MAX_RANKED_THEMES,
    NAME_MAX,
    TEXT_MAX,
    RegistrationInput,
)
from eventsys.web import LANGUAGE_NAMES


class Flag:
    """Marks a field required for display (label, `required` attribute); the service checks it."""

    def __init__(self) -> None:
        self.field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:
        return None


YES_NO = [("yes", _l("Oui")), ("no", _l("Non"))]  # (value, label) pairs; fields get options(...)


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class _RegistrationForm(FlaskForm):
    first_name = StringField(
        _l("Prénom"), validators=[Flag()], render_kw={"autocomplete": "given-name", "maxlength": NAME_MAX}
    )
    last_name = StringField(
        lazy_pgettext("nom de famille", "Nom"), validators=[Flag()], render_kw={"autocomplete": "family-name", "maxlength": NAME_MAX}
    )
    email = EmailField(_l("Adresse e-mail"), validators=[Flag()], render_kw={"autocomplete": "email"})
    organisation = StringField(
        _l("Organisation (collectivité, établissement, entreprise…)"),
        render_kw={"autocomplete": "organization", "maxlength": TEXT_MAX},
    )
    organisation_type = RadioField(
        _l("Type d'organisation"),
        choices=options([("local_authority", _l("Collectivité territoriale")), ("other", _l("Autre organisme"))]),
        validate_choice=False,
    )
    job_title = StringField(
        _l("Fonction"), render_kw={"autocomplete": "organization-title", "maxlength": TEXT_MAX}
    )
    language = SelectField(_l("Langue de vos e-mails et de votre badge"), validate_choice=False)
    lunch = RadioField(_l("Je déjeune sur place"), choices=options(YES_NO), validate_choice=False)
    accessibility = TextAreaField(
        _l("Besoins d'accessibilité ou d'aménagement"), render_kw={"rows": 3, "maxlength": 2000}
    )
    networking = RadioField(
        _l("Je souhaite participer au speed-networking"), choices=options(YES_NO), validate_choice=False
    )
    consent = BooleanField(validators=[Flag()])
    directory_opt_in = BooleanField(
        _l("Je souhaite rejoindre l'annuaire des ingénieurs du réseau (langues, traduction, interprétariat…) : "
           "un lien pour créer mon profil me sera envoyé.")
    )
    # Honeypot: hidden from people (CSS and aria-hidden); robots fill every field.
    website = StringField(_l("Ne remplissez pas ce champ"), render_kw={"autocomplete": "off", "tabindex": "-1"})

    slot_names: list[str]
    theme_names: list[str]
    question_names: dict[int, str]

    def to_input(self) -> RegistrationInput:
        """What the person asked for, as the service expects it."""
        sessions = [int(self[name].data) for name in self.slot_names if (self[name].data or "").isdigit()]
        themes = [self[name].data for name in self.theme_names if self[name].data]
        answers: dict[int, Any] = {}
        for question_id, name in self.question_names.items():
            answers[question_id] = self[name].data
        get = lambda name: self[name].data if name in self else None  # noqa: E731
        return RegistrationInput(
            first_name=get("first_name") or "",
            last_name=get("last_name") or "",
            email=get("email") or "",
            organisation=get("organisation") or "",
            organisation_type=get("organisation_type") or "",
            job_title=get("job_title") or "",
            language=get("language") or "",
            sessions=sessions,
            networking_opt_in=_yes_no(get("networking")),
            networking_themes=themes,
            lunch=_yes_no(get("lunch")),
            accessibility=get("accessibility") or "",
            consent=bool(get("consent")),
            answers={qid: (v if v not in ("",) else None) for qid, v in answers.items()},
        )

    def field_for(self, name: str) -> str | None:
        """The form field where a service error about `name` should be shown."""
        if name in self and name not in ("sessions", "networking_themes"):
            return name
        if name == "sessions":
            return self.slot_names[0] if self.slot_names else None
        if name == "networking_themes":
            return self.theme_names[0] if self.theme_names else None
        if name.startswith("answers."):
            key = name.partition(".")[2]
            return self.question_names.get(int(key)) if key.isdigit() else None
        return None


def _slot_fields(settings, slots, slot_labels, session_labels) -> tuple[dict[str, Any], list[str]]:
    """One radio group per time slot: a person attends at most one session at a time."""
    attrs: dict[str, Any] = {}
    names: list[str] = []
    required = settings.mode("sessions") == FIELD_REQUIRED
    for index, (slot, label) in enumerate(zip(slots, slot_labels, strict=True), start=1):
        choices = [] if required else [("", _l("Je ne m'inscris à aucune session de ce créneau"))]
        choices += [(str(s.id), session_labels[s.id]) for s in slot]
        name = f"slot_{index}"
        attrs[name] = RadioField(
            label, choices=options(choices), validate_choice=False, default="", validators=[Flag()] if required else []
        )
        names.append(name)
    return attrs, names


def _in_language(text: str, lang: str, locale: Any) -> str | Markup:
    """The text, marked with its language when it is not the page's (a translation is missing)."""
    if lang == language_code(locale):
        return text
    return Markup('<span lang="{}">{}</span>').format(lang, text)


def registration_form(
    settings: RegistrationSettings,
    slots: Sequence[Sequence[Any]],
    slot_labels: Sequence[str],
    session_labels: dict[int, str],
    questions: Sequence[CustomQuestion],
    languages: Sequence[str],
    consent_label: str,
    **kwargs: Any,
) -> _RegistrationForm:
    """The form for one event, with the organiser's choices applied."""
    attrs, slot_names = _slot_fields(settings, slots, slot_labels, session_labels)
    theme_names: list[str] = []
    question_names: dict[int, str] = {}
    for name in ("organisation", "organisation_type", "job_title", "lunch", "accessibility", "networking"):
        mode = settings.mode(name)
        if mode == FIELD_HIDDEN or (name == "networking" and not settings.networking_themes):
            attrs[name] = None  # removes the field
        elif mode == FIELD_REQUIRED:
            base = getattr(_RegistrationForm, name)
            attrs[name] = base.field_class(*base.args, **{**base.kwargs, "validators": [Flag()]})
    if settings.mode("networking") != FIELD_HIDDEN and settings.networking_themes:
        themes = [("", _l("— aucun —"))] + [(t, t) for t in settings.networking_themes]
        for rank in range(1, min(MAX_RANKED_THEMES, len(settings.networking_themes)) + 1):
            name = f"theme_{rank}"
            attrs[name] = SelectField(
                _l("Thème n°%(rank)d par ordre de préférence", rank=rank), choices=options(themes), validate_choice=False
            )
            theme_names.append(name)
    locale = get_locale()
    for question in questions:
        name = f"q_{question.id}"
        validators = [Flag()] if question.required else []
        # The organiser's wording in the visitor's language; a fallback keeps its own lang attribute.
        label = _in_language(question.localized("label", locale), question.localized_language("label", locale), locale)
        if question.kind == QUESTION_YESNO:
            attrs[name] = RadioField(label, choices=options(YES_NO), validate_choice=False, validators=validators)
        elif question.kind == QUESTION_CHOICE:
            attrs[name] = RadioField(
                label, choices=options(
                    (value, _in_language(shown, question.localized_language("options", locale), locale))
                    for value, shown in question.localized_options(locale)
                ), validate_choice=False,
                validators=validators,
            )  # fmt: skip
        else:
            attrs[name] = TextAreaField(label, validators=validators, render_kw={"rows": 2, "maxlength": 1000})
        question_names[question.id] = name
    form = type("RegistrationForm", (_RegistrationForm,), attrs)(**kwargs)
    form.slot_names, form.theme_names, form.question_names = slot_names, theme_names, question_names
    form.language.choices = options((code, LANGUAGE_NAMES.get(code, code)) for code in languages)
    form.consent.label.text = consent_label
    return form


class ChoicesForm(FlaskForm):
    """Change of session choices from the private link (one radio group per slot, added per event)."""

    slot_names: list[str]

    def session_ids(self) -> list[int]:
        return [int(self[name].data) for name in self.slot_names if (self[name].data or "").isdigit()]


def choices_form(settings, slots, slot_labels, session_labels, current: set[int], **kwargs: Any) -> ChoicesForm:
    """The slot radio groups, pre-filled with the person's current choices."""
    attrs, names = _slot_fields(settings, slots, slot_labels, session_labels)
    form = type("ChoicesForm", (ChoicesForm,), attrs)(**kwargs)
    form.slot_names = names
    if not form.is_submitted():
        for name, slot in zip(names, slots, strict=True):
            chosen = [s.id for s in slot if s.id in current]
            form[name].data = str(chosen[0]) if chosen else ""
    return form


class ActionForm(FlaskForm):
    """A bare form for POST buttons (CSRF only)."""


class EraseForm(FlaskForm):
    """Erasure of a person's data: nothing happens unless the box is ticked (the organiser's
    page words the box for them)."""

    confirm = BooleanField(
        _l("Je comprends que mes données seront supprimées définitivement."),
        validators=[InputRequired(message=_l("Cochez la case pour confirmer la suppression."))],
    )


class SettingsForm(FlaskForm):
    enabled = BooleanField(_l("Inscriptions en ligne ouvertes pour cet événement"))
    opens_at = StringField(
        _l("Ouverture des inscriptions (heure de l'événement)"),
        render_kw={"type": "datetime-local"},
        validators=[Optional()],
    )
    closes_at = StringField(
        _l("Clôture des inscriptions (heure de l'événement)"),
        render_kw={"type": "datetime-local"},
        validators=[Optional()],
    )
    capacity = IntegerField(
        _l("Nombre de places pour l'événement (vide : sans limite)"),
        validators=[Optional(), NumberRange(min=0, message=_l("La capacité ne peut pas être négative."))],
    )
    moderation = BooleanField(_l("Valider chaque inscription avant de la confirmer (modération)"))
    waitlist_enabled = BooleanField(_l("Proposer une liste d'attente quand c'est complet"))
    retention_months = IntegerField(
        _l("Durée de conservation des données après l'événement (mois)"),
        validators=[InputRequired(), NumberRange(min=1, max=120)],
    )
    networking_themes = TextAreaField(
        _l("Thèmes du speed-networking (un par ligne)"), render_kw={"rows": 4}
    )
    email_message = TextAreaField(
        _l("Message ajouté aux e-mails d'inscription"),
        validators=[Length(max=EMAIL_MESSAGE_MAX, message=_l("%(max)d caractères au maximum."))],
        render_kw={"rows": 5},
    )

    TRANSLATED = ("email_message",)  # see eventsys/forms.py: with_translations


MODE_CHOICES = [
    ("required", _l("obligatoire")),
    ("optional", _l("facultatif")),
    ("hidden", _l("masqué")),
]
FIELD_LABELS = {
    "organisation": _l("Organisation"),
    "organisation_type": _l("Type d'organisation"),
    "job_title": _l("Fonction"),
    "sessions": _l("Choix des sessions (une par créneau)"),
    "networking": _l("Speed-networking"),
    "lunch": _l("Déjeuner"),
    "accessibility": _l("Besoins d'accessibilité"),
}


def settings_form(
    settings: RegistrationSettings, languages: Sequence[str] = (), **kwargs: Any
) -> SettingsForm:
    """The settings form with one mode selector per configurable part of the form, and the
    e-mail message in each of the event's other `languages`."""
    attrs = {
        f"mode_{name}": SelectField(label, choices=options(MODE_CHOICES), default=settings.mode(name))
        for name, label in FIELD_LABELS.items()
    }
    form_class = type("RegistrationSettingsForm", (with_translations(SettingsForm, languages),), attrs)
    return form_class(**kwargs)


def mode_values(form: SettingsForm) -> dict[str, str]:
    return {name: form[f"mode_{name}"].data for name in FIELD_LABELS if form[f"mode_{name}"].data in FIELD_MODES}


class QuestionForm(FlaskForm):
    TRANSLATED = ("label", "options")  # see eventsys/forms.py: with_translations

    label = StringField(
        _l("Question"), validators=[InputRequired(message=_l("Écrivez la question.")), Length(max=300, message=_l("%(max)d caractères au maximum."))]
    )
    kind = SelectField(
        _l("Type de réponse"),
        choices=options([("text", _l("texte libre")), ("choice", _l("choix dans une liste")), ("yesno", _l("oui / non"))]),
    )
    options = TextAreaField(
        _l("Réponses possibles (une par ligne, pour un choix dans une liste)"),
        render_kw={"rows": 3},
        validators=[Length(max=10_000, message=_l("%(max)d caractères au maximum."))],
    )
    required = BooleanField(_l("Réponse obligatoire"))

    def validate_kind(self, field: Any) -> None:
        if field.data not in QUESTION_KINDS:
            raise ValueError(_l("Type de question inconnu."))


def question_form_class(languages: Sequence[str], translations_only: bool = False) -> type[FlaskForm]:
    """QuestionForm with a label and answers field per other language; only those when editing."""
    full = with_translations(QuestionForm, languages)
    if not translations_only:
        return full
    names = [translation_name(name, lang) for lang in languages for name in QuestionForm.TRANSLATED]
    return type("QuestionTranslationForm", (FlaskForm,), {name: getattr(full, name) for name in names})


def question_translations(form: FlaskForm, question_kind: str, languages: Sequence[str], count: int | None = None) -> dict[str, dict[str, Any]]:
    """{lang: {"label": …, "options": [...]}} from the per-language fields of a question form."""
    values: dict[str, dict[str, Any]] = {}
    for lang in languages:
        label = form[f"label__{lang}"].data or ""
        lines = [line.strip() for line in (form[f"options__{lang}"].data or "").splitlines() if line.strip()]
        values[lang] = {"label": label.strip(), "options": lines if question_kind == "choice" else []}
    return values


def bad_option_count(values: dict[str, dict[str, Any]], count: int) -> str | None:
    """The first language whose translated answers are not one per answer of the main language."""
    for lang, entry in values.items():
        if entry.get("options") and len(entry["options"]) != count:
            return lang
    return None


class ImportForm(FlaskForm):
    file = FileField(_l("Fichier CSV"), validators=[InputRequired(message=_l("Choisissez un fichier CSV."))])
    informed = BooleanField(
        _l(
            "Je confirme que les personnes inscrites ont été informées du traitement de leurs données "
            "et de leur durée de conservation."
        ),
        validators=[InputRequired(message=_l("Cette confirmation est nécessaire."))],
    )
    notify = BooleanField(_l("Envoyer l'e-mail de confirmation à chaque personne"), default=True)


class ImportConfirmForm(FlaskForm):
    """Confirmation of a previewed registration import (the file waits on the server)."""

    token = HiddenField(validators=[InputRequired()])
    notify = HiddenField()


class EditForm(FlaskForm):
    """The organiser's edit of a registration's details."""

    first_name = StringField(_l("Prénom"), validators=[Flag()])
    last_name = StringField(lazy_pgettext("nom de famille", "Nom"), validators=[Flag()])
    email = EmailField(_l("Adresse e-mail"), validators=[Flag()])
    organisation = StringField(_l("Organisation"))
    organisation_type = SelectField(
        _l("Type d'organisation"),
        choices=options([("", "—"), ("local_authority", _l("Collectivité territoriale")), ("other", _l("Autre organisme"))]),
        validate_choice=False,
    )
    job_title = StringField(_l("Fonction"))
    language = SelectField(_l("Langue"), validate_choice=False)
    lunch = SelectField(_l("Déjeuner"), choices=options([("", "—"), *YES_NO]), validate_choice=False)
    accessibility = TextAreaField(_l("Besoins d'accessibilité"), render_kw={"rows": 3})


class FilterForm(FlaskForm):
    """Search and filters of the organiser's list (POSTed, so names never end up in URLs or logs)."""

    q = StringField(_l("Rechercher (nom, e-mail, organisation)"))
    status = SelectField(_l("Statut"), validate_choice=False)
    session = SelectField(_l("Session"), validate_choice=False)
    organisation = SelectField(_l("Organisation"), validate_choice=False)
