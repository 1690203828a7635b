"""On-site staff: badges, scan page, attendance documents."""

from eventsys.blueprints.checkin import desk as _desk  # noqa: F401 - registers its routes
from eventsys.blueprints.checkin.views import bp

__all__ = ["bp"]
