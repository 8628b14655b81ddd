"""Accounts: registration, confirmation, sign-in, password reset, profile."""


def init_app(app) -> None:
    """Register this feature with the app: its pages and its command."""
    from twinning.auth.cli import create_admin
    from twinning.auth.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(create_admin)
