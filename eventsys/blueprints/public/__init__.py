"""Public pages: home with the session-code box, event pages, programme."""

from eventsys.blueprints.public import content
from eventsys.blueprints.public.views import bp

content.register(bp)

__all__ = ["bp"]
