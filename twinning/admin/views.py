"""Pages of the admin feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__)
