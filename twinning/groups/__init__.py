"""Working groups of an association and topic groups of the whole network."""


def init_app(app) -> None:
    """Register this feature with the app: its pages, its content kinds for moderation, its
    sections on the space and profile pages, and how the rules learn group roles."""
    from twinning.groups import access, follows, intents, moderation, sections
    from twinning.groups.views import bp

    app.register_blueprint(bp)
    moderation.register_kinds()
    sections.register_sections()
    access.register_rules()
    intents.register_intents()
    follows.register_followable()
