"""The organiser's overview of an event's delegations: who arrives when, how many, which languages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from eventsys.models import Event
from eventsys.models.delegation import ROLE_INTERPRETER, Delegation
from eventsys.services.countries import country_name
from eventsys.services.delegations.status import delegation_status, event_delegations


@dataclass
class DelegationRow:
    delegation: Delegation
    country: str  # name, in the page's language
    status: str
    people: int  # members who still come (not cancelled)
    interpreters: int
    languages: Counter[str]
    pairs: list[tuple[str, str]]


@dataclass
class Overview:
    rows: list[DelegationRow] = field(default_factory=list)
    people: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    arrivals: list[tuple[datetime, DelegationRow]] = field(default_factory=list)  # in time order
    no_arrival: list[DelegationRow] = field(default_factory=list)


def event_overview(event: Event, language: str) -> Overview:
    """Every delegation of the event, with totals per language and arrivals in time order."""
    summary = Overview()
    for delegation in event_delegations(event):
        coming = [m for m in delegation.members if m.registration.is_active]
        row = DelegationRow(
            delegation=delegation,
            country=country_name(delegation.country, language),
            status=delegation_status(delegation),
            people=len(coming),
            interpreters=sum(1 for m in coming if m.role == ROLE_INTERPRETER),
            languages=Counter(m.registration.language for m in coming),
            pairs=[
                (need.source_language, need.target_language) for need in delegation.interpreting
            ],
        )
        summary.rows.append(row)
        summary.people += row.people
        summary.languages.update(row.languages)
        if delegation.arrival_at is not None:
            summary.arrivals.append((delegation.arrival_at, row))
        else:
            summary.no_arrival.append(row)
    summary.arrivals.sort(key=lambda item: item[0])
    return summary
