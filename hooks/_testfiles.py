"""What a test file holds, read with `ast`: its tests, their checks, the ways it switches off.

`ast` rather than libcst: these rules compare two whole versions of a file, need no concrete
syntax, and `ast.unparse` gives the normalised text that tells a moved check from a new one.
"""

from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

TEST_NAMES = ("test_*.py", "*_test.py", "conftest.py")
TEST_FOLDERS = frozenset({"tests", "test", "testing"})
# checks that are calls: pytest's context managers; `assert*` methods are found by name
RAISES = frozenset({"pytest.raises", "pytest.warns", "pytest.deprecated_call"})
# a parametrize whose cases are not a literal: count it as many cases, so that a refactoring
# into it is never taken for removed checks
UNKNOWN_CASES = 100


def is_test_file(path: str) -> bool:
    """`test_*.py`, `*_test.py`, `conftest.py`, or any Python file below a `tests` folder."""
    parts = path.replace("\\", "/").split("/")
    if not parts[-1].endswith(".py"):
        return False
    named = any(fnmatch.fnmatchcase(parts[-1], glob) for glob in TEST_NAMES)
    return named or any(part in TEST_FOLDERS for part in parts[:-1])


def aliases(tree: ast.Module) -> Dict[str, str]:
    """Local name -> qualified name, from the module's top-level imports."""
    table: Dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                table[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                table[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return table


def qualified(node: ast.AST, table: Dict[str, str]) -> Optional[str]:
    """`pt.mark.skip` -> `pytest.mark.skip` when `pt` is imported; None for anything else."""
    parts: List[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in table:
        return None
    return ".".join([table[node.id], *reversed(parts)])


def callee_name(call: ast.Call) -> str:
    """The last name of what is called: `assertEqual` for `self.assertEqual(...)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def is_check(node: ast.AST, table: Dict[str, str]) -> bool:
    """An `assert`, an `assert*` call (unittest, mock, numpy.testing), `pytest.raises`."""
    if isinstance(node, ast.Assert):
        return True
    if not isinstance(node, ast.Call):
        return False
    return callee_name(node).startswith("assert") or qualified(node.func, table) in RAISES


@dataclass(frozen=True)
class TestFunction:
    name: str  # `TestApi.test_get`
    node: ast.AST
    checks: int  # as written
    weight: int  # checks times the parametrized cases: what the test verifies in a run
    reduced: str  # "" or how the body no longer runs its checks


def test_functions(tree: ast.Module) -> Dict[str, TestFunction]:
    """The test functions at module level and in classes, by dotted name."""
    table = aliases(tree)
    found: Dict[str, TestFunction] = {}
    places: List[Tuple[str, List[ast.stmt]]] = [("", tree.body)]
    while places:
        prefix, body = places.pop()
        for node in body:
            if isinstance(node, ast.ClassDef):
                places.append((f"{prefix}{node.name}.", node.body))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.name.startswith("test"):
                    checks = sum(1 for inner in ast.walk(node) if is_check(inner, table))
                    reduced = _reduced(node)  # its checks never run
                    weight = 0 if reduced else checks * _cases(node, table)
                    name = prefix + node.name
                    found[name] = TestFunction(name, node, checks, weight, reduced)
    return found


def _cases(func: ast.AST, table: Dict[str, str]) -> int:
    cases = 1
    for decorator in getattr(func, "decorator_list", ()):
        if not isinstance(decorator, ast.Call):
            continue
        if not (qualified(decorator.func, table) or "").endswith("mark.parametrize"):
            continue
        values = decorator.args[1] if len(decorator.args) > 1 else None
        for keyword in decorator.keywords:
            if keyword.arg == "argvalues":
                values = keyword.value
        if isinstance(values, (ast.List, ast.Tuple)):
            cases *= max(len(values.elts), 1)
        else:
            cases *= UNKNOWN_CASES
    return cases


def _reduced(func: ast.AST) -> str:
    """How a test body skips its checks: only `pass`, or a `return` before anything else."""
    body = [
        s
        for s in getattr(func, "body", [])
        if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    if not body or all(isinstance(s, ast.Pass) for s in body):
        return "its body is now empty"
    if isinstance(body[0], ast.Return):
        return "it now returns before doing anything"
    return ""


def column(text: str, node: ast.AST) -> int:
    """1-based character column of a node (ast counts UTF-8 bytes)."""
    line = text.splitlines()[getattr(node, "lineno", 1) - 1]
    offset = getattr(node, "col_offset", 0)
    return len(line.encode("utf-8")[:offset].decode("utf-8", "replace")) + 1
