"""A delegation's badges in one PDF: each member's in their own language, with the delegation and
its country, and (folded layout) their programme with the technical visit's meeting point."""

from __future__ import annotations

from eventsys.models.delegation import Delegation
from eventsys.render.badges import LAYOUTS, render_badges
from eventsys.services import checkin


def delegation_badges(delegation: Delegation, layout: str = "a6-folded") -> bytes | None:
    """The PDF, or None when no member holds a place yet (waiting members get no badge)."""
    if layout not in LAYOUTS:
        raise ValueError(layout)
    event = delegation.event
    registrations = checkin.badge_registrations(
        event, [m.registration_id for m in delegation.members]
    )
    if not registrations:
        return None
    data = checkin.badge_data(event, registrations, with_programme=layout == "a6-folded")
    return render_badges(data, layout, checkin.badge_options(event))
