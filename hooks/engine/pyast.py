"""Python's own tree of a file, parsed once for all its readers.

The engine (the syntax check, narrowing), the secrets hook (its literals), DW604 (imports),
the tampering and settings hooks all read the `ast` of the same text; each parse of a
1,000-line file costs several milliseconds. The last few texts' trees are kept: no reader
changes a tree.
"""

from __future__ import annotations

import ast
import functools
import warnings
from typing import Optional, Union

# what ast.parse raises on a text it cannot make a tree of (RecursionError: nesting too deep)
PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)


@functools.lru_cache(maxsize=8)
def parsed(text: str) -> Union[ast.Module, SyntaxError, ValueError, RecursionError, MemoryError]:
    """The module, or the error that says why Python has none (warnings such as invalid
    escapes are Python's business, not ours)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text)
        except PARSE_ERRORS as exc:
            return exc


def tree_of(text: str) -> Optional[ast.Module]:
    """The module, or None when Python rejects it (the engine's DW001 says so)."""
    tree = parsed(text)
    return tree if isinstance(tree, ast.Module) else None
