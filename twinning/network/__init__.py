"""Views across the whole network: SDG and theme pages, dashboards, feeds."""


def init_app(app) -> None:
    """Register this feature with the app: its pages and the space's activity section."""
    from twinning.network import sections
    from twinning.network.views import bp

    app.register_blueprint(bp)
    sections.register_sections()
