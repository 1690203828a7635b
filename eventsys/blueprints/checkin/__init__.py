"""On-site staff: badges, scan page, attendance documents."""

from eventsys.blueprints.checkin.views import bp

__all__ = ["bp"]
