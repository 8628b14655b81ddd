"""gunicorn reads this file from the working directory: the checks that need its settings.

The app alone cannot see ``gunicorn -w 4``; the master can, before it starts any worker.
"""

import os


def on_starting(server) -> None:
    """Refuse per-process rate-limit counters in production when several workers serve."""
    import json

    import config

    def setting(name: str, default: str) -> str:
        value = os.environ.get(f"TWINNING_{name}", default)
        try:  # the app reads TWINNING_* as JSON literals where they parse (config.py)
            return str(json.loads(value))
        except ValueError:
            return value

    config.check_rate_limit_storage(
        setting("ENV", "development") == "production",
        setting("RATELIMIT_STORAGE_URI", "memory://"),
        server.cfg.workers,
    )
