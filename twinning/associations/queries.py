"""Loading associations for views."""

from __future__ import annotations

from flask import abort, redirect, request
from sqlalchemy import select

from twinning.associations.models import Association, AssociationSlug
from twinning.extensions import db


def association_by_slug(slug: str) -> Association | None:
    return db.session.scalar(select(Association).where(Association.slug == slug))


def association_or_404(slug: str) -> Association:
    """The association for ``/a/<slug>/…``; a former slug redirects to the current address."""
    association = association_by_slug(slug)
    if association is not None:
        return association
    old = db.session.scalar(select(AssociationSlug).where(AssociationSlug.slug == slug[:80]))
    if old is None or request.method != "GET":
        abort(404)
    current = db.session.get(Association, old.association_id)
    path = request.full_path.rstrip("?").replace(f"/a/{slug}", f"/a/{current.slug}", 1)
    abort(redirect(path, code=301))
