"""Speed-networking pages (placeholder: the networking area replaces this file)."""

from flask import Blueprint

bp = Blueprint("networking", __name__, template_folder="templates")
