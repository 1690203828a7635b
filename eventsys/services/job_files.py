"""The names of the files background jobs produce, in the language of the person downloading them.

A job runs in a worker, with no reader's language: the name it records is in the worker's (the
French reference). The download names the file again, in the language of the organiser who asked
for it: `sign-in-sheets-z26in001-sessions.pdf` for an English organiser, `emargement-…` in French.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import pgettext

from eventsys.i18n import download_name


def _label(kind: str) -> str | None:
    labels = {
        "badges": lambda: pgettext("nom de fichier", "badges"),
        "signin_sheets": lambda: pgettext("nom de fichier", "émargement"),
        "certificates": lambda: pgettext("nom de fichier", "attestations"),
    }
    label = labels.get(kind)
    return label() if label else None


def per_label(per: Any) -> str:
    """How the sign-in sheets are cut: one per half-day (the default) or one per session."""
    if per == "session":
        return pgettext("nom de fichier", "séances")
    return pgettext("nom de fichier", "demi-journées")


def pdf_name(kind: str, event_code: str, *parts: Any) -> str:
    """A PDF of `kind` made at once (not by a job), named like the job's: `sign-in-sheets-z26in001-12.pdf`."""
    return download_name(_label(kind) or kind, event_code, *parts, ext="pdf")


def job_file_name(kind: str, event_code: str, params: Mapping[str, Any]) -> str | None:
    """The name of a job's PDF in the current language; None for a kind that gives no PDF."""
    label = _label(kind)
    if label is None:
        return None
    if kind == "badges":
        return download_name(label, event_code, params.get("layout", "a4-8"), ext="pdf")
    if kind == "signin_sheets":
        return download_name(label, event_code, per_label(params.get("per")), ext="pdf")
    return download_name(label, event_code, ext="pdf")
