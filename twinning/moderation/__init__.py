"""Moderation of any kind of content: queue, decisions, reports, audit log."""
