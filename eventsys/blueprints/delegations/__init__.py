"""The delegations area: the head's form and private link, the organiser's pages (one blueprint)."""

from eventsys.blueprints.delegations import organiser as _organiser  # noqa: F401 - registers its routes
from eventsys.blueprints.delegations.views import bp

__all__ = ["bp"]
