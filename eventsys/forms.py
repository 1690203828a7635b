"""Form pieces that several areas share: text cleaning, options, translated fields.

Below the blueprints: an area's forms import from here, never from another area's forms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventsys.text import one_line

LANGUAGE_CHOICES = [
    ("fr", "Français"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("it", "Italiano"),
]

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)


def clean_line(value: str | None) -> str | None:
    """One line of text, by the one rule every input path applies (eventsys/text.py)."""
    return None if value is None else one_line(value)


def clean_text(value: str | None) -> str | None:
    """Several lines of text: line breaks kept, other control characters removed."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms deprecates plain tuples)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def translation_name(name: str, lang: str) -> str:
    """The form field holding `name` in language `lang`: title__en."""
    return f"{name}__{lang}"


def with_translations(form_class: type[FlaskForm], languages: Sequence[str]) -> type[FlaskForm]:
    """The form with, for each field in TRANSLATED, one optional field per other language.

    Each added field keeps the main field's kind, filters and length limit, is labelled
    "Titre (English)" and carries a `lang` attribute so browsers and screen readers switch.
    """
    attrs: dict[str, Any] = {}
    for lang in languages:
        for name in form_class.TRANSLATED:
            base = getattr(form_class, name)
            label = base.args[0] if base.args else base.kwargs.get("label", name)
            attrs[translation_name(name, lang)] = base.field_class(
                _l(
                    "%(label)s (%(language)s)", label=label, language=LANGUAGE_NAMES.get(lang, lang)
                ),
                filters=base.kwargs.get("filters", ()),
                validators=[Optional()]
                + [v for v in base.kwargs.get("validators", ()) if isinstance(v, Length)],
                render_kw={**(base.kwargs.get("render_kw") or {}), "lang": lang},
            )
    return type(form_class.__name__, (form_class,), attrs)


def fill_translations(form: FlaskForm, obj: Any, languages: Sequence[str]) -> None:
    """Show the stored translations in the per-language fields (GET)."""
    for lang in languages:
        for name in form.TRANSLATED:
            value = obj.translation(lang, name) if obj is not None else None
            form[translation_name(name, lang)].data = value or ""


def submitted_translations(form: FlaskForm, languages: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{lang: {field: text}} from the per-language fields; an empty entry clears that language."""
    return {
        lang: {name: form[translation_name(name, lang)].data or "" for name in form.TRANSLATED}
        for lang in languages
    }


def label_main_language(form: FlaskForm, main: str, languages: Sequence[str]) -> None:
    """When other languages sit beside them, the main fields say their language too."""
    if not languages:
        return
    for name in form.TRANSLATED:
        field = form[name]
        field.label.text = _l(
            "%(label)s (%(language)s)",
            label=field.label.text,
            language=LANGUAGE_NAMES.get(main, main),
        )
        field.render_kw = {**(field.render_kw or {}), "lang": main}
