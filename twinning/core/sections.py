"""Page sections contributed by higher features to pages of lower ones.

A lower floor (the profile page in ``auth``, the space in ``associations``) must not
import the features above it, yet shows their content. Those features add a provider
here from their ``init_app``; the page renders what the providers return, in order.

A provider takes the page's subject (the viewer for "profile", the association for
"space") and the viewer, and returns ``(template_name, context)`` or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[object, object], tuple[str, dict] | None]
_PROVIDERS: dict[str, list[tuple[int, Provider]]] = {}


def add(page: str, provider: Provider, order: int = 50) -> None:
    """``add("space", space_section, order=20)`` shows the provider's section on every space page
    (once, however many apps the process creates)."""
    providers = _PROVIDERS.setdefault(page, [])
    if all(known is not provider for _order, known in providers):
        providers.append((order, provider))
        providers.sort(key=lambda entry: entry[0])


def sections(page: str, subject, viewer) -> list[tuple[str, dict]]:
    rendered = []
    for _order, provider in _PROVIDERS.get(page, []):
        section = provider(subject, viewer)
        if section is not None:
            rendered.append(section)
    return rendered


def init_app(app) -> None:
    app.jinja_env.globals["page_sections"] = sections
