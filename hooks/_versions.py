"""Two versions of one file, line by line: what the change touched, and where old lines went.

For the rules that compare a file with its version before the change (test-tampering,
gate-tampering). git's own diff decides what the change adds; these rules already hold both
texts, and need the places of removed lines too, which an added-lines scope cannot give.
"""

from __future__ import annotations

import difflib
from typing import List, Sequence, Set, Tuple

Opcodes = Sequence[Tuple[str, int, int, int, int]]


def _opcodes(before: str, after: str) -> Opcodes:
    old, new = before.splitlines(), after.splitlines()
    return difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def touched_lines(before: str, after: str) -> List[int]:
    """New-side numbers of the lines the change adds or rewrites, and of the line where
    removed lines stood (the next line kept, or the last line)."""
    last = max(len(after.splitlines()), 1)
    touched: Set[int] = set()
    for tag, _, _, first, end in _opcodes(before, after):
        if tag in ("replace", "insert"):
            touched.update(range(first + 1, end + 1))
        elif tag == "delete":
            touched.add(min(first + 1, last))
    return sorted(touched)


def new_line_of(before: str, after: str, old_line: int) -> int:
    """Where the old `old_line` is in the new text, or where it stood if the change removed it."""
    last = max(len(after.splitlines()), 1)
    for tag, old_first, old_end, first, _ in _opcodes(before, after):
        if old_first < old_line <= old_end:
            offset = old_line - 1 - old_first if tag == "equal" else 0
            return min(first + offset + 1, last)
    return last
