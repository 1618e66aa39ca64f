"""Reporters: structured findings in, bytes out."""
