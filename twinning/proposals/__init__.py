"""Proposals, the members' supports, comments and co-sponsoring."""
