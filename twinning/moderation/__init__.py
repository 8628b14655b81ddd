"""Moderation of any kind of content: queue, decisions, reports, audit log."""


def init_app(app) -> None:
    """Register this feature with the app: its pages and the space's note of what waits for a decision."""
    from twinning.core import sections
    from twinning.moderation.views import bp, space_section

    app.register_blueprint(bp)
    sections.add("space", space_section, order=90)
