"""Platform administration: approving associations, keeping the theme list."""


def init_app(app) -> None:
    """Register this feature with the app: its pages."""
    from twinning.admin.views import bp

    app.register_blueprint(bp)
