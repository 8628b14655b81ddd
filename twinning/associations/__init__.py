"""Associations, their spaces, memberships, invitations and partner cities."""
