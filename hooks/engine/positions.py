"""Line and column of reported nodes, computed only around what was reported.

libcst's PositionProvider regenerates the whole module's code, which costs about as much as the
parse. Here only the top-level statements that hold a report are regenerated, each as a module of
its own, and `ast` (which knows every top-level statement's line at C speed) moves their positions
to where they sit in the file. Columns need no shift: top-level statements start at column 0.
"""

from __future__ import annotations

import ast
import sys
import warnings
from typing import Dict, Iterable, List, Mapping, Optional, Tuple

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider


def _ast_statements(module: cst.Module, text: str) -> Optional[Dict[cst.CSTNode, List[ast.stmt]]]:
    """The `ast` statements of each top-level libcst statement (`a = 1; b = 2` has two); None if
    the two disagree."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    found: Dict[cst.CSTNode, List[ast.stmt]] = {}
    index = 0
    for statement in module.body:
        if index >= len(tree.body):
            return None
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        found[statement] = tree.body[index : index + count]
        index += count
    return found if index == len(tree.body) else None


def line_spans(module: cst.Module, text: str) -> Optional[Dict[cst.CSTNode, Tuple[int, int]]]:
    """Lines each top-level statement may hold a node on: from the line after the statement
    before it to the line before the statement after it, so its decorators, comments and
    trailing blank lines are in (None if `ast` and libcst disagree).

    A report whose statement's span holds no added line is outside the change for sure, and
    needs no position.
    """
    statements = _ast_statements(module, text)
    if statements is None:
        return None
    tops = list(statements.items())
    spans: Dict[cst.CSTNode, Tuple[int, int]] = {}
    start = 1
    for index, (top, _) in enumerate(tops):
        following = tops[index + 1][1] if index + 1 < len(tops) else []
        end = _first_line(following[0]) - 1 if following else sys.maxsize
        spans[top] = (start, end)
        start = max(s.end_lineno or s.lineno for s in statements[top]) + 1
    return spans


def _first_line(statement: ast.stmt) -> int:
    decorators: List[ast.expr] = getattr(statement, "decorator_list", [])
    return min([statement.lineno, *(d.lineno for d in decorators)])


def _shift(where: CodeRange, lines: int) -> CodeRange:
    start, end = where.start, where.end
    return CodeRange((start.line + lines, start.column), (end.line + lines, end.column))


def positions(
    module: cst.Module, text: str, tops: Iterable[cst.CSTNode]
) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of every node inside the top-level statements `tops` (whole module if needed)."""
    statements = _ast_statements(module, text)
    lines = (
        None if statements is None else {top: found[0].lineno for top, found in statements.items()}
    )
    tops = list(tops)
    if lines is None or any(top not in lines for top in tops):
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found: Dict[cst.CSTNode, CodeRange] = {}
    for top in set(tops):
        alone = module.with_changes(body=[top], header=[], footer=[])
        local = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
        offset = lines[top] - local[top].start.line
        found.update((node, _shift(where, offset)) for node, where in local.items())
    return found
