"""Links to the site's own pages, built from their endpoints, never written by hand.

Templates and views use Flask's ``url_for``. Services, which may run outside any request
(the command line, mails, stored notification links), use ``path_for``: the same path,
built from the URL map, without needing a request. Mails and feeds put ``BASE_URL`` in
front (``twinning.core.mail.absolute_url``).
"""

from __future__ import annotations

from flask import current_app


def path_for(endpoint: str, _anchor: str | None = None, **values) -> str:
    """The path of a page, e.g. ``path_for("proposals.detail", slug="town", proposal_id=3)``."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{path}#{_anchor}" if _anchor else path
