"""Page sections contributed by higher features to pages of lower ones.

A lower floor (the profile page in ``auth``, the space in ``associations``) must not
import the features above it, yet shows their content. Those features register a
provider here at import time; the page renders what the providers return, in order.

A provider takes the page's subject (the viewer for "profile", the association for
"space") and the viewer, and returns ``(template_name, context)`` or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[object, object], tuple[str, dict] | None]
_PROVIDERS: dict[str, list[tuple[int, Provider]]] = {}


def register(page: str, order: int = 50) -> Callable[[Provider], Provider]:
    """Decorator: ``@register("space", order=20)`` adds a section to every space page."""

    def add(provider: Provider) -> Provider:
        _PROVIDERS.setdefault(page, []).append((order, provider))
        _PROVIDERS[page].sort(key=lambda entry: entry[0])
        return provider

    return add


def sections(page: str, subject, viewer) -> list[tuple[str, dict]]:
    rendered = []
    for _order, provider in _PROVIDERS.get(page, []):
        section = provider(subject, viewer)
        if section is not None:
            rendered.append(section)
    return rendered


def init_app(app) -> None:
    app.jinja_env.globals["page_sections"] = sections
