"""Accounts: registration, confirmation, sign-in, password reset, profile."""


def init_app(app) -> None:
    """Register this feature with the app: its pages."""
    from twinning.auth.views import bp

    app.register_blueprint(bp)
