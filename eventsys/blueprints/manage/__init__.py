"""Organiser area: events, rooms, speakers, sessions, programme grid."""

from eventsys.blueprints.manage.views import bp

__all__ = ["bp"]
