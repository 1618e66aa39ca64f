"""Asking git, the one way every part of the engine does: literal pathspecs, paths unquoted.

Light on purpose: the fast path (fastpath.py) asks git for the staged paths before anything
heavier is imported.
"""

from __future__ import annotations

import os
import subprocess

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Sequence


def run(args: Sequence[str], cwd: Optional[str] = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "--literal-pathspecs", "-c", "core.quotepath=off", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )


def root() -> Optional[str]:
    """The top folder of the repository here, or None outside one."""
    result = run(["rev-parse", "--show-toplevel"])
    if result.returncode != 0:
        return None
    return os.fsdecode(result.stdout.rstrip(b"\n"))
