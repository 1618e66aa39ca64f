"""Fast child iteration over libcst nodes.

libcst's own `visit` rebuilds every node it passes through, even for read-only visitors, and
walks every whitespace token. Reading only the dataclass fields that can hold code is several
times faster; fields are read in declaration order, which is source order.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, Iterator, Tuple

from hooks.engine.lazy import cst

# fields that only ever hold whitespace, comments or punctuation: no rule looks inside them
TOKEN_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "semicolon", "colon", "first_colon", "second_colon", "equal",
        "dot", "relative", "operator", "lbrace", "rbrace", "lbracket", "rbracket",
        "trailing_comma", "leading_lines", "lines_after_decorators", "header", "footer",
        "trailing_whitespace", "newline", "empty_lines", "first_line", "last_line",
        "asynchronous", "comment", "separator",
    }
)  # fmt: skip
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _code_fields(kind: type) -> Tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(kind)
            if f.name not in TOKEN_FIELDS and not f.name.startswith("whitespace")
        )
        _FIELDS[kind] = names
    return names


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The child nodes of `node` that can hold code, in source order."""
    for name in _code_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item
