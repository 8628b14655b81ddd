"""Platform-wide topics: the themes admins keep, and the 17 UN goals."""

from __future__ import annotations


def init_app(app) -> None:
    from twinning.topics.sdgs import GOALS, goal

    app.jinja_env.globals.update(GOALS=GOALS, goal=goal)
