"""Exports and imports (placeholder: the exports area replaces this file)."""

from flask import Blueprint, abort

bp = Blueprint("exports", __name__, template_folder="templates")


@bp.route("/e/<code>/programme.ics")
def programme_ics(code: str):
    abort(404)


@bp.route("/e/<code>/programme.pdf")
def programme_pdf(code: str):
    abort(404)


@bp.route("/e/<code>/schedule.xml")
def schedule_xml(code: str):
    abort(404)


@bp.route("/e/<code>/schedule.json")
def schedule_json(code: str):
    abort(404)
