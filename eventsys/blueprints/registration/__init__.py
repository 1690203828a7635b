"""The registration area."""

from eventsys.blueprints.registration.views import bp

__all__ = ["bp"]
