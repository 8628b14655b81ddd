"""The demo groups load once, whatever runs them again."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import make_association, make_member, make_user
from twinning.demo import groups as demo_groups
from twinning.groups.models import Group, GroupMembership, Thread


def test_demo_groups_are_idempotent_and_mix_cities(session):
    aachen = make_association(session, slug="aachen-reims", city="Aachen", admin=make_user(session))
    reims = make_association(session, slug="comite-jumelage-reims", city="Reims", admin=make_user(session))
    make_member(session, reims)
    for _ in range(2):
        demo_groups.load(session, "not-a-real-hash")
    climate = session.scalar(select(Group).where(Group.name == demo_groups.CLIMATE_GROUP))
    assert climate.association_id == aachen.id and climate.open_to == "everyone"
    members = session.scalar(
        select(func.count()).select_from(GroupMembership).where(GroupMembership.group_id == climate.id)
    )
    assert climate.member_count == members >= 4
    # Working groups of their own: none copied into every association, each described differently.
    working = session.execute(
        select(Group.name, Group.description, Group.association_id).where(Group.open_to == "members")
    ).all()
    assert {row.name for row in working} == {
        "Jugendaustausch Aachen–Reims",
        "Weinfest-Team",
        "Mémoire et réconciliation",
    }
    assert len({row.description for row in working}) == len(working)
    titles = set(session.scalars(select(Thread.title).where(Thread.group_id == climate.id)))
    assert "Aktionstag Klimaschutz im Mai" in titles and len(titles) == len(set(titles))
