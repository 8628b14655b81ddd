"""The way in for newcomers: interests to topic groups, proposals and open associations."""


def init_app(app) -> None:
    """Register this feature with the app: its pages."""
    from twinning.involve.views import bp

    app.register_blueprint(bp)
