"""The get-involved page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("involve", __name__)
