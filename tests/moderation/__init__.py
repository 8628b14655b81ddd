"""Tests of the moderation feature."""
