"""A pending association (not yet approved by the platform) cannot send invitations."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_user
from twinning.associations import members
from twinning.associations.models import AssociationStatus, Invitation
from twinning.core.errors import NotAllowed


@pytest.fixture
def pending(session):
    founder = make_user(session, email="founder@example.org")
    association = make_association(session, slug="neu", status=AssociationStatus.PENDING, admin=founder)
    return association, founder


def test_founder_of_a_pending_association_cannot_invite(client, session, pending):
    association, founder = pending
    sign_in(client, founder.email)
    page = client.get("/a/neu/members")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "/a/neu/invitations" not in text  # no form that could only fail
    assert "sobald der Verein freigegeben ist" in text
    response = client.post("/a/neu/invitations", data={"email": "friend@example.org"})
    assert response.status_code == 403
    assert (
        session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.association_id == association.id)
        )
        == 0
    )


def test_the_service_refuses_too(ctx, session, pending):
    association, founder = pending
    with pytest.raises(NotAllowed):
        members.create_invitation(session, founder, association, "friend@example.org")
    platform_admin = make_user(session, platform_admin=True)
    with pytest.raises(NotAllowed):
        members.create_invitation(session, platform_admin, association)


def test_once_approved_the_founder_invites(client, session, pending):
    association, founder = pending
    association.status = AssociationStatus.ACTIVE
    sign_in(client, founder.email)
    assert client.post("/a/neu/invitations", data={"email": ""}).status_code == 200
