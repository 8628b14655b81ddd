"""Imports every feature's models, so the metadata is complete for Alembic and tests."""

from twinning.associations import models as associations
from twinning.auth import models as auth
from twinning.core import pagecache, transactions
from twinning.core.db import Base
from twinning.groups import models as groups
from twinning.moderation import models as moderation
from twinning.notifications import models as notifications
from twinning.proposals import models as proposals
from twinning.topics import models as topics

__all__ = [
    "Base",
    "associations",
    "auth",
    "groups",
    "moderation",
    "notifications",
    "pagecache",
    "proposals",
    "topics",
    "transactions",
]
