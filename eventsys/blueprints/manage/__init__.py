"""Organiser area: events, rooms, speakers, sessions, programme grid."""

from eventsys.blueprints.manage import places as _places  # noqa: F401 - registers its routes
from eventsys.blueprints.manage import sessions as _sessions  # noqa: F401 - registers its routes
from eventsys.blueprints.manage.views import bp

__all__ = ["bp"]
