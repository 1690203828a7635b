"""Speed-networking: rotation planning, itineraries, projector page."""

from eventsys.blueprints.networking.views import bp

__all__ = ["bp"]
