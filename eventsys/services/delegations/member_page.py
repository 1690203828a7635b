"""What a person's private-link page adds for delegations, technical visits and study trips: the
delegation they belong to (name, country, role, head), the practical details of the technical
visits they hold or wait for, and whether the event is a study trip (an itinerary to download)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import ProgrammeSession
from eventsys.models.delegation import DelegationMember
from eventsys.models.registration import Registration
from eventsys.services import study_trips, technical_visits
from eventsys.services.countries import country_name
from eventsys.services.delegations.status import role_labels


@dataclass(frozen=True)
class VisitPanel:
    session: ProgrammeSession
    lines: list[str]


@dataclass(frozen=True)
class MemberPanel:
    delegation: str = ""
    country: str = ""
    role: str = ""
    head: str = ""
    visits: list[VisitPanel] = field(default_factory=list)
    has_trip: bool = False

    def __bool__(self) -> bool:
        return bool(self.delegation or self.visits or self.has_trip)


def member_panel(registration: Registration, language: str) -> MemberPanel:
    """The page's delegation, visits and itinerary parts for this registration, in `language`."""
    event = registration.event
    member = db.session.scalar(
        select(DelegationMember).where(DelegationMember.registration_id == registration.id)
    )
    sessions = [c.session for c in registration.live_choices]
    visits = technical_visits.visits_for(sessions)
    panels = [
        VisitPanel(session, technical_visits.visit_lines(visit, event, language))
        for session, visit in sorted(visits.items(), key=lambda item: item[0].starts_at)
    ]
    has_trip = registration.is_active and bool(study_trips.trip_days(event))
    if member is None:
        return MemberPanel(visits=panels, has_trip=has_trip)
    delegation = member.delegation
    return MemberPanel(
        delegation=delegation.name,
        country=country_name(delegation.country, language),
        role=str(role_labels().get(member.role, member.role)),
        head=delegation.head_name,
        visits=panels,
        has_trip=has_trip,
    )
