"""In-app notifications and their e-mail delivery (immediately, daily digest, never)."""


def init_app(app) -> None:
    """Register this feature with the app: its pages, the profile's delivery settings and its command."""
    from twinning.core import sections
    from twinning.notifications.cli import send_digests
    from twinning.notifications.views import bp, profile_section

    app.register_blueprint(bp)
    app.cli.add_command(send_digests)
    sections.add("profile", profile_section, order=80)
