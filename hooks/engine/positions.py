"""Line and column of reported nodes, computed only around what was reported.

libcst's PositionProvider regenerates the whole module's code, which costs about as much as the
parse. Here only the smallest statement that holds a report is regenerated, as a module of its
own: a top-level statement, or, inside classes and functions, the method or the statement of
the body that holds it. `ast` (which knows every statement's line at C speed) says where that
statement starts in the file. A statement regenerated alone lacks the indentation of the blocks
around it, on the lines that carry it (not on the inner lines of a string or of a bracket that
keep their own whitespace), so each line's column shift is read from the file: the original
line ends with the regenerated one, or the top-level way is taken instead.
"""

from __future__ import annotations

import ast
import sys
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from hooks.engine.narrow import LINE_BREAK
from hooks.engine.pyast import parsed

DEFINITIONS = (cst.ClassDef, cst.FunctionDef)


def _ast_statements(module: cst.Module, text: str) -> Optional[Dict[cst.CSTNode, List[ast.stmt]]]:
    """The `ast` statements of each top-level libcst statement (`a = 1; b = 2` has two); None if
    the two disagree."""
    tree = parsed(text)
    if not isinstance(tree, ast.Module):
        return None
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


def positions(
    module: cst.Module, text: str, chains: Iterable[Sequence[cst.CSTNode]]
) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of every node inside the statements that hold the reports: each chain runs
    from a top-level statement down to the innermost statement around a report (whole module
    if needed)."""
    statements = _ast_statements(module, text)
    chains = [tuple(chain) for chain in chains]
    if statements is None or any(chain[0] not in statements for chain in chains):
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    lines = LINE_BREAK.split(text)
    found: Dict[cst.CSTNode, CodeRange] = {}
    for unit, first_line in {_unit(chain, statements) for chain in chains}:
        placed = _regenerated(module, unit, first_line, None if unit in statements else lines)
        if placed is None:  # a line did not read as expected: the top-level way
            top = next(chain[0] for chain in chains if unit in chain)
            placed = _regenerated(module, top, statements[top][0].lineno, None)
        assert placed is not None  # a top-level statement needs no column shift
        found.update(placed)
    return found


def _unit(
    chain: Sequence[cst.CSTNode], statements: Dict[cst.CSTNode, List[ast.stmt]]
) -> Tuple[cst.CSTNode, int]:
    """The innermost statement of `chain` reached through class and function bodies only
    (where libcst's statements and `ast`'s line up one to one), and the line it starts on."""
    unit, node = chain[0], statements[chain[0]][0]
    for inner in chain[1:]:
        body = getattr(unit, "body", None)
        if not isinstance(unit, DEFINITIONS) or not isinstance(body, cst.IndentedBlock):
            break
        index = _ast_index(body.body, inner)
        inner_body: List[ast.stmt] = getattr(node, "body", [])
        if index is None or index >= len(inner_body):
            break
        unit, node = inner, inner_body[index]
    return unit, node.lineno


def _ast_index(body: Sequence[cst.BaseStatement], inner: cst.CSTNode) -> Optional[int]:
    """Where `inner` sits in `ast`'s list of the same body (`a = 1; b = 2` is two there)."""
    index = 0
    for statement in body:
        if statement is inner:
            return index
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return None


def _regenerated(
    module: cst.Module, unit: cst.CSTNode, first_line: int, lines: Optional[List[str]]
) -> Optional[Dict[cst.CSTNode, CodeRange]]:
    """Positions of the nodes of `unit`, regenerated alone and moved to where it is in the
    file; None when a line of the file does not end with its regenerated self. A top-level
    statement (`lines` None) keeps its columns: nothing indents it."""
    alone = module.with_changes(body=[unit], header=[], footer=[])
    local = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
    generated = LINE_BREAK.split(alone.code) if lines is not None else []
    offset = first_line - local[unit].start.line
    shifts: Dict[int, int] = {}

    def shift(line: int) -> int:
        if lines is None:
            return 0
        if line not in shifts:
            original = lines[line + offset - 1] if 0 < line + offset <= len(lines) else None
            own = generated[line - 1] if line <= len(generated) else None
            if original is None or own is None or not original.endswith(own):
                raise _Mismatch
            shifts[line] = len(original) - len(own)
        return shifts[line]

    try:
        return {
            node: CodeRange(
                (where.start.line + offset, where.start.column + shift(where.start.line)),
                (where.end.line + offset, where.end.column + shift(where.end.line)),
            )
            for node, where in local.items()
        }
    except _Mismatch:
        return None


class _Mismatch(Exception):
    """A regenerated line that is not the end of the file's line."""
