"""Parse only what the change touches.

libcst parses about eight times slower than `ast`. In diff scope, `ast` (C speed, exact line
ranges) finds the statements that overlap added lines; every other function, method and compound
statement is blanked out line for line, so libcst parses a much smaller text while every position
stays exact. Imports and simple module-level statements are always kept: rules need them to
resolve names and constants.
"""

from __future__ import annotations

import ast
import bisect
import io
from typing import List, Optional, Sequence, Set, Tuple

DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)
# narrowing is worth its bookkeeping only when it drops a good share of the file
MIN_SAVING = 0.3


def _span(node: ast.stmt) -> Tuple[int, int]:
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)])
    return start, node.end_lineno or node.lineno


class _Touch:
    def __init__(self, lines: Set[int]) -> None:
        self.sorted = sorted(lines)

    def __call__(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.sorted, start)
        return index < len(self.sorted) and self.sorted[index] <= end


def _has_import(node: ast.stmt) -> bool:
    stack: List[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.Import, ast.ImportFrom)):
            return True
        if current is not node and isinstance(current, (*DEFS, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(current))
    return False


def _dropped(body: Sequence[ast.stmt], touches: _Touch, nested: bool) -> List[Tuple[int, int]]:
    """Line ranges (inclusive) of the statements in `body` that need not be parsed."""
    dropped: List[Tuple[int, int]] = []
    for statement in body:
        start, end = _span(statement)
        touched = touches(start, end)
        if isinstance(statement, DEFS):
            if not touched:
                dropped.append((start, end))
        elif isinstance(statement, ast.ClassDef):
            if not touched:
                dropped.append((start, end))
            elif not nested:
                inner = _dropped(statement.body, touches, nested=True)
                if len(inner) == len(statement.body):
                    inner = inner[1:]  # a class body must keep one statement
                dropped.extend(inner)
        elif isinstance(statement, COMPOUND) or type(statement).__name__ == "Match":
            if not touched and not _has_import(statement):
                dropped.append((start, end))
    return dropped


def narrow(text: str, tree: ast.Module, lines: Set[int]) -> Optional[str]:
    """`text` with untouched statements blanked, or None when the whole text should be parsed."""
    source_lines = io.StringIO(text, newline="").readlines()
    dropped = _dropped(tree.body, _Touch(lines), nested=False)
    blank = sum(end - start + 1 for start, end in dropped)
    if blank < MIN_SAVING * len(source_lines):
        return None
    for start, end in dropped:
        for index in range(start - 1, min(end, len(source_lines))):
            line = source_lines[index]
            content = line.rstrip("\r\n")
            source_lines[index] = line[len(content) :] or "\n"
    return "".join(source_lines)
