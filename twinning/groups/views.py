"""Pages of the groups feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("groups", __name__)
