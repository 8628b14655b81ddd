"""Tests of the notifications feature."""
