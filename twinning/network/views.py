"""Pages of the network feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("network", __name__)
