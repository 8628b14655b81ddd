"""In-app notifications and their e-mail delivery (immediately, daily digest, never)."""


def init_app(app) -> None:
    """Register this feature with the app: its pages and the profile's delivery settings."""
    from twinning.core import sections
    from twinning.notifications.views import bp, profile_section

    app.register_blueprint(bp)
    sections.add("profile", profile_section, order=80)
