"""Speed-networking: rotation planning, itineraries, projector page."""

from eventsys.blueprints.networking import participants as _participants  # noqa: F401 - registers its routes
from eventsys.blueprints.networking import printouts as _printouts  # noqa: F401 - registers its routes
from eventsys.blueprints.networking.views import bp

__all__ = ["bp"]
