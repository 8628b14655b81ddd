"""Pages that belong to no feature: home, imprint, privacy, health check."""


def init_app(app) -> None:
    """Register this feature with the app: its pages."""
    from twinning.pages.views import bp

    app.register_blueprint(bp)
