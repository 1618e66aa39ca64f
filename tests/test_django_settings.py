"""The django-settings hook on a staged split-settings project in a real git repository."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_cli, write
from conftest import commit_all, git

BASE = "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.auth']\nALLOWED_HOSTS = ['*']\n"


def test_production_settings_are_judged_and_development_settings_are_not(repo: Path) -> None:
    write(repo / "config/settings/base.py", BASE)
    write(repo / "config/settings/production.py", "from .base import *  # noqa\n")
    write(repo / "config/settings/local.py", "from .base import *  # noqa\n")
    commit_all(repo)
    lax = "SESSION_COOKIE_SECURE = False\nSECURE_SSL_REDIRECT = False\nALLOWED_HOSTS = ['*']\n"
    for name in ("production", "local"):
        path = repo / f"config/settings/{name}.py"
        write(path, path.read_text() + lax)
    write(repo / "config/settings/base.py", BASE + "CSRF_COOKIE_SECURE = False\n")
    git(repo, "add", "-A")
    result = run_cli(repo, "--select", "DW903", "--format", "json")
    assert result.code == 1
    # base.py: only the added line (its old ALLOWED_HOSTS is not the change's); the redirect
    # counts in production settings only; local.py is for development
    assert result.findings() == [
        ("config/settings/base.py", 4, 1, "DW903"),
        ("config/settings/production.py", 2, 1, "DW903"),
        ("config/settings/production.py", 3, 1, "DW903"),
        ("config/settings/production.py", 4, 18, "DW903"),
    ]
