"""The edit page and the delete button of a post, for any discussion (the features own the routes)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from twinning.core.extensions import db
from twinning.core.forms import ActionForm
from twinning.core.transactions import commit
from twinning.discussion.forms import edit_form_class
from twinning.discussion.services import Discussion, delete_post, edit_post, waiting_change
from twinning.permissions import require


def edit_post_page(
    discussion: Discussion,
    post,
    *,
    back_url: str,
    changed: str,
    page_title: str,
    heading: str,
    lead: str,
    breadcrumb: list[tuple[str, str]],
):
    """GET shows the form with the text (the waiting change, if any); POST saves and goes back to the post.

    ``breadcrumb`` lists (url, label) pairs up to the discussed item; ``changed`` is the
    message once the post shows the new text.
    """
    require(f"{discussion.name}.edit", post)
    # While a change waits for a moderator, the author goes on from that change.
    waiting = waiting_change(db.session, discussion, post)
    form_class = edit_form_class(discussion)
    form = (
        form_class()
        if request.method == "POST"
        else form_class(formdata=None, data={"body": (waiting or post).body})
    )
    if form.validate_on_submit():
        done = commit(
            lambda: edit_post(
                db.session, discussion, current_user._get_current_object(), post, form.body.data
            ),
            form,
        )
        if done:
            if done.value is not None:  # the change waits
                flash(
                    _(
                        "Your change waits for moderation. Until a moderator has approved it, everyone "
                        "sees the published version."
                    ),
                    "success",
                )
            else:
                flash(changed, "success")
            return redirect(back_url)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "discussion/edit.html",
        form=form,
        page_title=page_title,
        heading=heading,
        lead=lead,
        breadcrumb=breadcrumb,
    ), status


def delete_post_action(
    discussion: Discussion,
    post,
    *,
    back_url: str,
    deleted_url: str,
    deleted: str,
    expired: Callable[[], object],
):
    """The author's delete button: a refusal goes back to the post with the reason, success to ``deleted_url``."""
    require(f"{discussion.name}.delete", post)
    if not ActionForm().validate_on_submit():
        return expired()
    done = commit(lambda: delete_post(db.session, discussion, current_user._get_current_object(), post))
    if not done:
        flash(str(done.message), "error")
        return redirect(back_url)
    flash(deleted, "success")
    return redirect(deleted_url)
