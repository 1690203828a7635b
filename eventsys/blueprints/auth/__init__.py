"""Logging in and out."""

from eventsys.blueprints.auth.views import bp

__all__ = ["bp"]
