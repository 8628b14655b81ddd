"""Associations, their spaces, memberships, invitations and partner cities."""


def init_app(app) -> None:
    """Register this feature with the app: its pages and the profile's list of one's associations."""
    from twinning.associations import intents
    from twinning.associations.views import bp, my_associations_section
    from twinning.core import sections

    app.register_blueprint(bp)
    sections.add("profile", my_associations_section, order=10)
    intents.register_intents()
