"""Public pages (placeholder until the public area lands)."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from eventsys.extensions import db

bp = Blueprint("public", __name__, template_folder="templates")


@bp.route("/")
def index():
    return "eventsys"


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        database = "error"
    status = 200 if database == "ok" else 503
    return jsonify({"status": "ok" if status == 200 else "degraded", "database": database}), status
