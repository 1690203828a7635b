"""What a delegation's head (or an organiser, or the API) sends, and the checks it must pass.

Every mistake is collected before anything is written: the group is registered whole or not at
all. Field names in the errors follow the form and the API (`country`, `members.2.email` …).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventsys import text as text_rule
from eventsys.models.delegation import MEMBER_ROLES, ROLE_ENGINEER, Delegation
from eventsys.models.types import max_length
from eventsys.services import registration as reg
from eventsys.services.countries import is_country, is_language
from eventsys.services.errors import DomainError, FieldErrors

NAME_MAX = max_length(Delegation.name)
TEXT_MAX = max_length(Delegation.travel_notes)
MAX_MEMBERS = 60
MAX_PAIRS = 10


class DelegationInvalid(DomainError):
    """The delegation has mistakes; `params["errors"]` maps each field to its messages."""

    code = "validation_error"
    status = 422


class DelegationFull(DomainError):
    """The group does not fit and the event keeps no waiting list."""

    code = "event_full"
    status = 409


class DelegationLocked(DomainError):
    """The head's link is used after the deadline for changes."""

    code = "changes_closed"
    status = 409


@dataclass
class MemberInput:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    language: str = ""
    role: str = ROLE_ENGINEER
    sessions: Sequence[int] | None = None  # None: the group's sessions


@dataclass
class PairInput:
    source: str = ""
    target: str = ""
    sessions: Sequence[Any] = ()


@dataclass
class DelegationInput:
    name: str = ""
    country: str = ""
    institution: str = ""
    head_first_name: str = ""
    head_last_name: str = ""
    head_email: str = ""
    head_language: str = ""
    members: list[MemberInput] = field(default_factory=list)
    all_or_none: bool = False
    interpreting: list[PairInput] = field(default_factory=list)
    sessions: Sequence[int] = ()  # the sessions every member attends (technical visit, workshops)
    arrival_at: datetime | None = None
    departure_at: datetime | None = None
    travel_notes: str = ""
    consent: bool = False


class Errors(FieldErrors):
    """field -> messages, with a machine code per field."""

    invalid = DelegationInvalid
    message = _l("La délégation contient des erreurs : corrigez les champs signalés.")


def fold_name(first: str, last: str) -> str:
    text = unicodedata.normalize("NFKD", f"{first} {last}".casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def check_delegation(data: DelegationInput, errors: Errors) -> dict[str, Any]:
    """The group's own fields, normalised; mistakes go to `errors`."""
    clean: dict[str, Any] = {}
    clean["name"] = text_rule.one_line(data.name)
    if not clean["name"]:
        errors.add("name", "required", _("Indiquez le nom de la délégation."))
    elif len(clean["name"]) > NAME_MAX:
        errors.add(
            "name", "too_long", _("Ce champ ne doit pas dépasser %(max)d caractères.", max=NAME_MAX)
        )
    country = text_rule.one_line(data.country).upper()
    if not country:
        errors.add("country", "required", _("Indiquez le pays de la délégation."))
    elif not is_country(country):
        errors.add(
            "country",
            "unknown_country",
            _("Pays inconnu : « %(code)s » n'est pas un code ISO 3166-1 à deux lettres (exemples : BE, IT, SN).",
              code=country[:10]),
        )  # fmt: skip
    clean["country"] = country
    clean["institution"] = text_rule.one_line(data.institution)[:NAME_MAX]
    for name, message in (
        ("head_first_name", _("Indiquez le prénom du chef de délégation.")),
        ("head_last_name", _("Indiquez le nom du chef de délégation.")),
    ):
        clean[name] = text_rule.one_line(getattr(data, name))[: reg.NAME_MAX]
        if not clean[name]:
            errors.add(name, "required", message)
    if not text_rule.one_line(data.head_email):
        errors.add("head_email", "required", _("Indiquez l'adresse e-mail du chef de délégation."))
        clean["head_email"] = ""
    else:
        try:
            clean["head_email"], _key = reg.normalise_email(data.head_email)
        except ValueError:
            errors.add("head_email", "invalid_email", _("Adresse e-mail invalide : vérifiez-la."))
            clean["head_email"] = ""
    language = text_rule.one_line(data.head_language) or "fr"
    if language not in reg.languages_offered():
        errors.add("head_language", "invalid_choice", _("Langue non proposée."))
    clean["head_language"] = language
    clean["travel_notes"] = text_rule.one_line(data.travel_notes)[:TEXT_MAX]
    clean["arrival_at"], clean["departure_at"] = data.arrival_at, data.departure_at
    if data.arrival_at and data.departure_at and data.departure_at < data.arrival_at:
        errors.add("departure_at", "invalid_dates", _("Le départ ne peut pas précéder l'arrivée."))
    clean["all_or_none"] = bool(data.all_or_none)
    return clean


def check_members(
    members: Sequence[MemberInput], errors: Errors, *, taken: dict[str, str], start: int = 0
) -> None:
    """Roles, languages and duplicates within the group and against people already registered
    (`taken`: e-mail key -> who); names and addresses are checked by the registration rules."""
    if not members:
        errors.add("members", "required", _("Ajoutez au moins un membre à la délégation."))
        return
    if len(members) > MAX_MEMBERS:
        errors.add(
            "members",
            "too_many",
            _("Une délégation compte au plus %(max)d membres.", max=MAX_MEMBERS),
        )
    seen_emails: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for index, member in enumerate(members, start=start):
        where = f"members.{index}"
        if member.role not in MEMBER_ROLES:
            errors.add(f"{where}.role", "invalid_choice", _("Rôle inconnu."))
        if member.language and member.language not in reg.languages_offered():
            errors.add(f"{where}.language", "invalid_choice", _("Langue non proposée."))
        name = fold_name(
            text_rule.one_line(member.first_name), text_rule.one_line(member.last_name)
        )
        if name in seen_names:
            errors.add(
                where, "duplicate_member",
                _("%(name)s figure deux fois dans la délégation (membre n°%(first)d et n°%(second)d).",
                  name=f"{member.first_name} {member.last_name}".strip(), first=seen_names[name] + 1, second=index + 1),
            )  # fmt: skip
        elif name.strip():
            seen_names[name] = index
        if not text_rule.one_line(member.email):
            continue
        try:
            _address, key = reg.normalise_email(member.email)
        except ValueError:
            continue  # the registration rules say what is wrong with it
        if key in seen_emails:
            errors.add(
                f"{where}.email", "duplicate_member",
                _("Cette adresse est déjà celle du membre n°%(first)d : chaque membre a sa propre adresse, "
                  "ou aucune.", first=seen_emails[key] + 1),
            )  # fmt: skip
        else:
            seen_emails[key] = index
        if key in taken:
            errors.add(
                f"{where}.email", "already_registered",
                _("%(name)s est déjà inscrit(e) à cet événement à titre individuel : annulez d'abord cette "
                  "inscription ou retirez ce membre de la liste.", name=taken[key]),
            )  # fmt: skip


def check_pairs(
    pairs: Sequence[PairInput], session_ids: set[int], errors: Errors
) -> list[tuple[str, str, list[int]]]:
    """Language pairs to interpret and the sessions where they are needed."""
    clean: list[tuple[str, str, list[int]]] = []
    seen: set[tuple[str, str]] = set()
    if len(pairs) > MAX_PAIRS:
        errors.add(
            "interpreting", "too_many", _("Au plus %(max)d paires de langues.", max=MAX_PAIRS)
        )
    for index, pair in enumerate(pairs):
        where = f"interpreting.{index}"
        source, target = (
            text_rule.one_line(pair.source).lower(),
            text_rule.one_line(pair.target).lower(),
        )
        if not is_language(source) or not is_language(target):
            errors.add(
                where,
                "unknown_language",
                _("Langue inconnue : indiquez des codes ISO 639-1 (fr, en, it…)."),
            )
            continue
        if source == target:
            errors.add(
                where, "same_language", _("Les deux langues d'une paire doivent être différentes.")
            )
            continue
        if (source, target) in seen:
            errors.add(where, "duplicate_pair", _("Cette paire de langues est déjà indiquée."))
            continue
        seen.add((source, target))
        ids: list[int] = []
        for raw in pair.sessions:
            try:
                session_id = int(raw)
            except (TypeError, ValueError):
                session_id = -1
            if session_id not in session_ids:
                errors.add(f"{where}.sessions", "unknown_session", _("Session inconnue."))
                break
            ids.append(session_id)
        clean.append((source, target, list(dict.fromkeys(ids))))
    return clean
