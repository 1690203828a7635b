"""gunicorn settings for a checkout: `gunicorn -c gunicorn.conf.py wsgi:app`.

The settings live in the package (eventsys/gunicorn_conf.py) so an installed eventsys has them
too: `gunicorn -c python:eventsys.gunicorn_conf eventsys.wsgi:app`.
"""

from eventsys.gunicorn_conf import *  # noqa: F403
