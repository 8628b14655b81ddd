"""Registers a discussion with moderation: the post as a reportable kind, its waiting change as another."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Select

from twinning.discussion.services import Discussion, decide_change
from twinning.moderation.registry import ContentKind, kind_or_none, register_kind


def register_discussion(
    discussion: Discussion,
    *,
    association_id: Callable[[object], int],
    title: Callable[[object], str],
    url: Callable[[object], str],
    on_state_change: Callable,
    in_association: Callable[[Select, int], Select],
    load_options: tuple,
    list_url: Callable[[object], str] | None = None,
    network_wide: Callable[[object], bool] | None = None,
    edit_title: Callable[[object], str],
    edit_load_options: tuple,
) -> None:
    """Register the kinds ``<name>`` and ``<name>_edit`` once (entry points may import twice).

    What a change needs is read from its post: the association deciding, the page it is
    seen on, and the queue's filter (the change joined to its post). A decision on a change
    runs ``decide_change``; a change cannot be reported (the public reports the post).
    """
    if kind_or_none(discussion.name) is None:
        register_kind(
            ContentKind(
                name=discussion.name,
                model=discussion.model,
                association_id=association_id,
                title=title,
                url=url,
                on_state_change=on_state_change,
                in_association=in_association,
                load_options=load_options,
                list_url=list_url,
                network_wide=network_wide,
            )
        )
    if kind_or_none(f"{discussion.name}_edit") is not None:
        return
    model = discussion.model

    def changes_in(statement: Select, association: int) -> Select:
        return in_association(statement.join(model, model.id == discussion.edit_column), association)

    def decided(session, edit, actor, decision: str) -> None:
        post = edit.published_version
        decide_change(session, discussion, edit, actor, decision, link=url(post), title=title(post))

    register_kind(
        ContentKind(
            name=f"{discussion.name}_edit",
            model=discussion.edit_model,
            association_id=lambda edit: association_id(edit.published_version),
            title=edit_title,
            url=lambda edit: url(edit.published_version),
            on_state_change=decided,
            in_association=changes_in,
            load_options=edit_load_options,
            reportable=False,
        )
    )
