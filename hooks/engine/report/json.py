"""JSON: every field of every finding, for scripts and dashboards."""

from __future__ import annotations

import json
from typing import Sequence

from hooks import __version__
from hooks.engine.rule import Finding


def render(findings: Sequence[Finding], files_checked: int, scope: str) -> str:
    document = {
        "tool": "diffwarden",
        "version": __version__,
        "scope": scope,
        "files": files_checked,
        "findings": [f.to_dict() for f in findings],
    }
    return json.dumps(document, indent=2) + "\n"
