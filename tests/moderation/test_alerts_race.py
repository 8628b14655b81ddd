"""Posts that arrive together still give one alert per moderator that counts them all (PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_association, make_member, make_user
from tests.racing import live_session, race  # noqa: F401 (live_session replaces the rolled-back session)
from twinning.core.extensions import db
from twinning.moderation.alerts import WAITING
from twinning.notifications.models import Notification


def test_parallel_posts_give_one_alert_with_the_full_count(session):
    live = session
    admin = make_user(live.session, email=live.email("admin"))
    association = make_association(live.session, admin=admin, slug=live.slug("alerts"))
    members = [make_member(live.session, association, email=live.email(f"m{i}")) for i in range(6)]
    url = f"/a/{association.slug}/proposals/new"
    admin_id = admin.id
    live.session.commit()
    clients = [live.client(member) for member in members]

    responses = race(
        *(
            lambda client=client, i=i: client.post(
                url, data={"title": f"Idee {i}", "summary": "Kurz", "body": "Lang"}
            )
            for i, client in enumerate(clients)
        )
    )

    assert [r.status_code for r in responses] == [302] * 6, [r.status_code for r in responses]
    db.session.remove()
    alerts = list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == admin_id, Notification.kind == WAITING)
        )
    )
    assert [alert.params["count"] for alert in alerts] == [6]
