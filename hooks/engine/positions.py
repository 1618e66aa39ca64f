"""Line and column of reported nodes, computed only around what was reported.

libcst's PositionProvider regenerates the whole module's code, which costs about as much as the
parse. Here only the top-level statements that hold a report are regenerated, each as a module of
its own, and `ast` (which knows every top-level statement's line at C speed) moves their positions
to where they sit in the file. Columns need no shift: top-level statements start at column 0.
"""

from __future__ import annotations

import ast
import warnings
from typing import Dict, Iterable, Mapping, Optional

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider


def _ast_lines(module: cst.Module, text: str) -> Optional[Dict[cst.CSTNode, int]]:
    """The line `ast` gives each top-level libcst statement; None if the two disagree."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    lines: Dict[cst.CSTNode, int] = {}
    index = 0
    for statement in module.body:
        if index >= len(tree.body):
            return None
        lines[statement] = tree.body[index].lineno
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return lines if index == len(tree.body) else None


def _shift(where: CodeRange, lines: int) -> CodeRange:
    start, end = where.start, where.end
    return CodeRange((start.line + lines, start.column), (end.line + lines, end.column))


def positions(
    module: cst.Module, text: str, tops: Iterable[cst.CSTNode]
) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of every node inside the top-level statements `tops` (whole module if needed)."""
    lines = _ast_lines(module, text)
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
