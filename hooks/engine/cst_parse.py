"""libcst's parse, without the checks each node makes of itself.

Every libcst node checks itself when it is built (`CSTNode.__post_init__` calls `_validate`:
whitespace holds only whitespace, parentheses pair up, and so on). That guards trees that code
builds by hand. A tree that libcst's own parser builds from source text is valid by
construction (libcst's comment on `__post_init__` says as much), and the checks cost about a
fifth of the parse. So the parse runs with them off; nodes built afterwards, such as a fixer's
replacements, are checked as before.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


def parse_module(libcst: ModuleType, code: str) -> Any:
    """`libcst.parse_module(code)`, its nodes unchecked while the parser builds them."""
    base = libcst.CSTNode
    check = base.__post_init__
    base.__post_init__ = _built_by_the_parser
    try:
        return libcst.parse_module(code)
    finally:
        base.__post_init__ = check


def _built_by_the_parser(node: Any) -> None:
    """Nothing to check: the parser built the node from text Python accepts."""
