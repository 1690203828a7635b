"""Organiser pages (placeholder until the organiser area lands)."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("manage", __name__, url_prefix="/manage", template_folder="templates")


@bp.route("/")
@login_required
def events():
    return "events"
