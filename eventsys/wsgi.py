"""WSGI entry point of an installed eventsys: `gunicorn -c python:eventsys.gunicorn_conf eventsys.wsgi:app`."""

from eventsys import create_app

app = create_app()
