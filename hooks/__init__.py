"""diffwarden: pre-commit hooks that stop commits adding risky Python patterns or leaked secrets."""

__version__ = "0.1.0"
