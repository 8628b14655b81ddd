"""Proposals, the members' supports, comments and co-sponsoring."""


def init_app(app) -> None:
    """Register this feature with the app: its pages, its content kinds for moderation, and its
    sections on the space and profile pages."""
    from twinning.proposals import follows, intents, moderation, sections
    from twinning.proposals.views import bp

    app.register_blueprint(bp)
    moderation.register_kinds()
    sections.register_sections()
    intents.register_intents()
    follows.register_followable()
