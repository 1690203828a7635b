"""WSGI entry point: `gunicorn wsgi:app`."""

from eventsys import create_app

app = create_app()
