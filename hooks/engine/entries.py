"""The console scripts of the single hooks: `diffwarden-secrets` is `entries:secrets`.

A hook's own module holds its rules, their regexes and libcst's node types; pre-commit runs
the always-run hooks on every commit, so the script must reach the fast path (which settles a
clean change from the shipped manifest) before that module is imported, or every commit pays
for it. Each name here is a `main` made on first use.
"""

from __future__ import annotations

import os

from hooks.engine.cli import main

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Optional, Sequence

HOOKS_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def __getattr__(name: str) -> Callable[[Optional[Sequence[str]]], int]:
    """`main` limited to the hook of module `hooks.<name>` (`secrets`, `shell_injection`)."""
    if name.startswith("_") or not os.path.isfile(os.path.join(HOOKS_FOLDER, f"{name}.py")):
        raise AttributeError(f"no hook module hooks.{name}")
    hook = name.replace("_", "-")

    def hook_main(argv: Optional[Sequence[str]] = None) -> int:
        return main(argv, hook=hook)

    hook_main.__doc__ = f"Run the {hook} hook alone."
    globals()[name] = hook_main
    return hook_main
