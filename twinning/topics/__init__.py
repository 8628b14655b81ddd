"""Platform-wide topics: the themes admins keep, and the 17 UN goals.

Goal badges and theme tags appear several times on every card of every list, so they are
built here in Python rather than by nested template macros (each a macro call, a
``get_locale()``, a ``url_for`` and a ``gettext`` per badge). The markup is exactly what the
macros in ``templates/_macros/topics.html`` produced; those macros now call these.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from twinning.core.i18n import request_locale


def _mount() -> str | None:
    """What a relative ``url_for`` depends on besides the endpoint: where the app is mounted."""
    return request.script_root if has_request_context() else None


def init_app(app) -> None:
    from twinning.topics.sdgs import GOALS, goal

    # Goal badges never change while the app runs: built once per language, mount point and
    # whether they link, then looked up. Theme names come from the database and are read
    # each time; only their addresses (fixed by the slug) are kept.
    goal_markup: dict[tuple, tuple[Markup, dict[int, Markup]]] = {}
    theme_addresses: dict[tuple[str | None, str], Markup] = {}
    theme_labels: dict[object, Markup] = {}

    def goal_badges(link: bool) -> tuple[Markup, dict[int, Markup]]:
        """(the list's aria-label, badge markup by goal number) for this request."""
        locale = request_locale()
        linked = bool(link) and "network.sdg" in current_app.view_functions
        key = (locale, _mount(), linked)
        found = goal_markup.get(key)
        if found is None:
            language = locale.language if locale is not None else ""
            badges = {}
            for entry in GOALS:
                label = f"{entry.number} · {entry.name(language)}"
                if linked:
                    badges[entry.number] = Markup('<a class="sdg-badge sdg-{}" href="{}">{}</a>').format(
                        entry.number, url_for("network.sdg", number=entry.number), label
                    )
                else:
                    badges[entry.number] = Markup('<span class="sdg-badge sdg-{}">{}</span>').format(
                        entry.number, label
                    )
            found = goal_markup[key] = (escape(gettext("Sustainable Development Goals")), badges)
        return found

    def sdg_badge(number, link=True) -> Markup:
        """One goal as a coloured badge with its number and name; nothing for an unknown number."""
        if goal(number) is None:
            return Markup("")
        return goal_badges(link)[1][number]

    def sdg_tags(numbers, link=True) -> Markup:
        """The goals as a labelled list of badges, in number order; nothing for no goals."""
        if not numbers:
            return Markup("")
        label, badges = goal_badges(link)
        # Markup.format parses its template at every call; joining the (already safe) badges
        # is several times faster on a list with a card per proposal.
        items = "".join(f"<li>{badges.get(number, '')}</li>" for number in sorted(numbers))
        return Markup(f'\n  <ul class="tag-list" aria-label="{label}">\n    {items}\n  </ul>')  # noqa: S704 (badges are Markup, label escaped)  # nosec B704

    def theme_tags(themes, link=True) -> Markup:
        """The themes as a labelled list of tags, in the given order; nothing for no themes."""
        if not themes:
            return Markup("")
        locale = request_locale()
        language = locale.language if locale is not None else ""
        linked = bool(link) and "network.theme" in current_app.view_functions
        mount = _mount()
        items = []
        for theme in themes:
            name = escape(theme.name(language))
            if linked:
                address = theme_addresses.get((mount, theme.slug))
                if address is None:
                    address = theme_addresses[(mount, theme.slug)] = escape(
                        url_for("network.theme", slug=theme.slug)
                    )
                items.append(f'\n    <li><a class="theme-tag" href="{address}">{name}</a></li>\n    ')
            else:
                items.append(f'\n    <li><span class="theme-tag">{name}</span></li>\n    ')
        label = theme_labels.get(locale)
        if label is None:
            label = theme_labels[locale] = escape(gettext("Themes"))
        joined = "".join(items)
        return Markup(f'\n  <ul class="tag-list" aria-label="{label}">\n    {joined}\n  </ul>')  # noqa: S704 (every value escaped)  # nosec B704

    app.jinja_env.globals.update(
        GOALS=GOALS, goal=goal, sdg_badge_markup=sdg_badge, sdg_tags=sdg_tags, theme_tags=theme_tags
    )
