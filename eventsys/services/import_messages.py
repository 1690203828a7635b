"""What the organiser reads about an imported file: one sentence per issue code, in their language.

The readers (services/importer.py, eventsys/interchange/) report issues as stable codes with
parameters; these are the sentences.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from eventsys.services.importer import ImportFileError

ISSUE_MESSAGES = {
    # whole file
    "too_large": _l("Le fichier dépasse la taille maximale de %(limit)s Mo."),
    "empty_file": _l("Le fichier est vide."),
    "unknown_format": _l(
        "Format de fichier non reconnu : envoyez un tableur CSV ou XLSX, ou un fichier de programme XML ou JSON."
    ),
    "xlsx_unreadable": _l("Ce classeur XLSX est illisible ou endommagé. Enregistrez-le de nouveau, ou exportez-le en CSV."),
    "encoding_invalid": _l(
        "Le fichier annonce de l'%(encoding)s mais son contenu n'en est pas (longueur impaire ou caractère "
        "incomplet) : enregistrez-le de nouveau en UTF-8."
    ),
    "json_too_deep": _l("Ce fichier JSON est imbriqué sur plus de %(limit)s niveaux : ce n'est pas un programme."),
    "csv_field_too_long": _l(
        "Ligne %(line)s : une cellule dépasse %(limit)s caractères (souvent un guillemet non refermé). Vérifiez le fichier."
    ),
    "csv_invalid": _l("Ce fichier CSV est mal formé (vers la ligne %(line)s)."),
    "too_many_columns": _l("Le fichier compte plus de %(limit)s colonnes : gardez seulement les colonnes utiles."),
    "xlsx_too_many_cells": _l(
        "Ce classeur contient plus de %(limit)s cellules : gardez seulement la feuille du programme, ou exportez-la en CSV."
    ),
    "xlsx_merged_too_big": _l(
        "Ce classeur fusionne des cellules sur une zone trop grande (ou plus de %(limit)s zones) : "
        "défusionnez-les, ou exportez la feuille en CSV."
    ),
    "xml_entities": _l(
        "Ce fichier XML déclare des entités ou une DTD, refusées pour des raisons de sécurité. "
        "Exportez un programme XML ordinaire."
    ),
    "xml_invalid": _l("Ce fichier XML est mal formé (vers la ligne %(line)s) : vérifiez son contenu et son encodage."),
    "xml_not_schedule": _l("Ce fichier XML n'est pas un programme au format « schedule » (frab, pretalx)."),
    "ics_invalid": _l("Ce fichier iCalendar (.ics) est mal formé : exportez de nouveau l'agenda."),
    "timezones_mixed": _l(
        "Le fichier mélange plusieurs fuseaux horaires (%(zones)s) : chaque horaire a été converti dans celui de l'événement."
    ),
    "all_day": _l("Entrée « toute la journée » (%(date)s) : indiquez une heure de début et de fin."),
    "spans_midnight": _l("Une session ne peut pas passer minuit : coupez-la en deux."),
    "recurrence_invalid": _l("Règle de répétition illisible : l'entrée n'a pas été importée."),
    "recurrence_too_long": _l("Entrée répétée plus de %(limit)s fois : elle n'a pas été importée."),
    "recurrence_outside_event": _l("Entrée répétée, mais jamais pendant les jours de l'événement."),
    "json_invalid": _l("Ce fichier JSON est mal formé (vers la ligne %(line)s)."),
    "json_not_schedule": _l("Ce fichier JSON n'est pas un programme au format « schedule » (frab, pretalx)."),
    "no_header": _l(
        "Aucune ligne d'en-tête reconnue. La première ligne doit nommer les colonnes : "
        "day, start, end, room, title, type, track, speakers, description (ou jour, début, fin, salle, titre…)."
    ),
    "missing_columns": _l("Colonnes obligatoires absentes : %(columns)s."),
    "too_many_rows": _l("Le fichier compte plus de %(limit)s lignes : découpez-le."),
    "no_rows": _l("Le fichier ne contient aucune session."),
    "encoding_fallback": _l(
        "Le fichier n'est pas en UTF-8 : il a été lu en %(encoding)s. Vérifiez les accents dans l'aperçu."
    ),
    "unknown_columns": _l("Colonnes ignorées : %(columns)s."),
    "timezone_unknown": _l("Fuseau horaire du fichier inconnu (« %(value)s ») : heures lues dans celui de l'événement."),
    "timezone_converted": _l(
        "Le fichier est à l'heure de %(source)s, l'événement à celle de %(target)s : les horaires ont été convertis."
    ),
    # rows
    "no_title_no_time": _l("Ligne ignorée : ni titre ni horaire."),
    "missing_title": _l("Titre manquant."),
    "title_truncated": _l("Titre raccourci à %(limit)s caractères."),
    "bad_day": _l("Jour « %(value)s » illisible : écrivez par exemple 25/06/2026 ou 2026-06-25."),
    "missing_day": _l("Jour manquant : l'événement dure plusieurs jours, précisez la date."),
    "day_not_in_event": _l("Le jour « %(value)s » ne fait pas partie de l'événement (du %(start)s au %(end)s)."),
    "missing_start": _l("Heure de début manquante."),
    "missing_end": _l("Heure de fin manquante."),
    "bad_time": _l("Heure « %(value)s » illisible : écrivez 9h30, 09:30 ou 09:30:00."),
    "bad_duration": _l("Durée « %(value)s » illisible : écrivez 00:45 ou 45."),
    "bad_date": _l("Date et heure « %(value)s » illisibles."),
    "end_before_start": _l("La fin (%(end)s) doit venir après le début (%(start)s)."),
    "zero_duration": _l("La session doit finir après son début."),
    "outside_event": _l("Le %(date)s est en dehors des dates de l'événement (du %(start)s au %(end)s)."),
    "missing_room": _l("Aucune salle : la session sera importée sans salle."),
    "unknown_type": _l("Type « %(value)s » inconnu : libellé conservé, classé comme « Autre »."),
    "duplicate_row": _l("Doublon de la ligne %(line)s (même titre, même horaire, même salle) : ignorée."),
    "duplicate_id": _l("Doublon de la ligne %(line)s (même identifiant) : ignorée."),
    "unsafe_html_removed": _l("Scripts, styles ou liens dangereux retirés de la description."),
    "room_clash": _l("La salle « %(room)s » est déjà occupée à ce moment par « %(other)s »."),
    "speaker_clash": _l("%(speaker)s intervient déjà à ce moment dans « %(other)s »."),
}


# Issues about a number of things: the sentence depends on the number (ngettext).
ISSUE_PLURALS = {
    "recurrence_limited": lambda n: ngettext(
        "Entrée répétée au-delà des jours de l'événement : seule %(num)d occurrence, pendant l'événement, est importée.",
        "Entrée répétée au-delà des jours de l'événement : seules ses %(num)d occurrences pendant l'événement "
        "sont importées.",
        n,
    ),
    "links_ignored": lambda n: ngettext("%(num)d lien non importé.", "%(num)d liens non importés.", n),
    "attachments_ignored": lambda n: ngettext(
        "%(num)d pièce jointe non importée.", "%(num)d pièces jointes non importées.", n
    ),
}


def issue_message(code: str, params: dict[str, Any]) -> str:
    """The sentence for an issue code, in the current language."""
    if code in ISSUE_PLURALS and isinstance(params.get("count"), int):
        return ISSUE_PLURALS[code](params["count"])
    template = ISSUE_MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def file_error_message(error: ImportFileError) -> str:
    return issue_message(error.code, error.params)


