"""Online registration (placeholder: the registration area replaces this file)."""

from flask import Blueprint, abort

bp = Blueprint("registration", __name__, template_folder="templates")


@bp.route("/e/<code>/register", methods=["GET", "POST"])
def register(code: str):
    abort(404)
