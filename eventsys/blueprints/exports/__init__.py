"""The exports area."""

from eventsys.blueprints.exports.views import bp

__all__ = ["bp"]
