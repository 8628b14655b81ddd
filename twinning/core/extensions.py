"""Extensions created unbound; ``create_app`` binds them in a fixed order."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager

from twinning.core.db import Database

db = Database()
login_manager = LoginManager()
babel = Babel()
# Storage and the on/off switch come from RATELIMIT_STORAGE_URI / RATELIMIT_ENABLED.
limiter = Limiter(key_func=get_remote_address)
