"""The absolute imports of a Python file, and whether each is optional (DW604).

Python's own `ast` is enough here: only import statements matter, and it parses a file several
times faster than libcst. Nothing is imported or run.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple, Union

from hooks.engine.narrow import STATEMENT_LISTS
from hooks.engine.pyast import tree_of

# what an optional import is guarded by: the handlers that catch a failed import
CATCHES_IMPORT_ERROR = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)
Statement = Union[ast.Import, ast.ImportFrom]
# what may hold an import statement: statements, `except` clauses and `case` blocks


@dataclass(frozen=True)
class Imported:
    """One top-level module an import statement names."""

    module: str  # `a` of `import a.b` or `from a.b import c`
    line: int
    col: int  # 1-based, of the module's name
    optional: bool  # under `try/except ImportError` or `if TYPE_CHECKING:`


def imports_in(text: str) -> List[Imported]:
    """Every absolute import of `text`, in order; empty when Python cannot parse it."""
    tree = tree_of(text)
    if tree is None:
        return []  # the engine reports what cannot be parsed
    lines = text.splitlines()
    found: List[Imported] = []
    # (node, optional): an explicit stack, as deeply nested code would overflow recursion
    stack: List[Tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, optional = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.extend(_named(node, lines, optional))
            continue
        guarded = _guarded_parts(node)
        for child in reversed(_blocks_in(node)):
            stack.append((child, optional or any(child in part for part in guarded)))
    return sorted(found, key=lambda i: (i.line, i.col))


def _blocks_in(node: ast.AST) -> List[ast.AST]:
    """The statements, `except` clauses and `case` blocks right inside `node`, in order: read
    from the fields that hold them, as expressions hold no import and are not walked."""
    return [child for name in STATEMENT_LISTS for child in getattr(node, name, ())]


def _guarded_parts(node: ast.AST) -> Sequence[Sequence[ast.AST]]:
    """The parts of `node` (statement lists, handlers) whose imports are optional."""
    if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
        handlers: List[ast.ExceptHandler] = getattr(node, "handlers", [])
        if any(_catches_import_error(h.type) for h in handlers):
            return [getattr(node, "body", []), handlers]  # the fallback is optional too
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        return [node.body]
    return []


def _catches_import_error(caught: Optional[ast.expr]) -> bool:
    if caught is None:
        return True  # a bare `except:`
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(_last_name(name) in CATCHES_IMPORT_ERROR for name in names)


def _is_type_checking(test: ast.expr) -> bool:
    return _last_name(test) == "TYPE_CHECKING"


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _named(node: Statement, lines: List[str], optional: bool) -> List[Imported]:
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module:
            return []  # relative: the package's own module
        modules = [node.module]
    else:
        modules = [alias.name for alias in node.names]
    text = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
    # ast counts columns in UTF-8 bytes
    start = len(text.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
    found = []
    for dotted in modules:
        top = dotted.split(".", 1)[0]
        where = re.compile(rf"\b{re.escape(top)}\b").search(text, start)
        col = where.start() + 1 if where else start + 1
        if where:
            start = where.end()
        found.append(Imported(top, node.lineno, col, optional))
    return found
