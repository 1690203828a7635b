"""WSGI entry point in a checkout: `gunicorn wsgi:app` (the same app as eventsys.wsgi:app)."""

from eventsys.wsgi import app

__all__ = ["app"]
