"""Public pages: home with the session-code box, event pages, programme."""

from eventsys.blueprints.public.views import bp

__all__ = ["bp"]
