"""Imports every feature's models, so the metadata is complete for Alembic and tests."""

from twinning.auth.models import User
from twinning.db import Base

__all__ = ["Base", "User"]
