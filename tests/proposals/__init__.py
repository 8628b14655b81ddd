"""Tests of the proposals feature."""
