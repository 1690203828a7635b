"""Badges and check-in (placeholder: the check-in area replaces this file)."""

from flask import Blueprint

bp = Blueprint("checkin", __name__, template_folder="templates")
