"""Fast child iteration over libcst nodes.

libcst's own `visit` rebuilds every node it passes through, even for read-only visitors, and
walks every whitespace token. Reading only the dataclass fields that can hold code is several
times faster; fields are read in declaration order, which is source order.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Set, Tuple

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


@lru_cache(maxsize=1)
def node_types() -> FrozenSet[type]:
    """Every concrete libcst node class. libcst's base classes are ABCs, and `isinstance` against
    an ABC is slow enough to dominate a walk; a set lookup on `type(value)` is not."""
    found: Set[type] = set()
    stack: List[type] = [cst.CSTNode]
    while stack:
        kind = stack.pop()
        found.add(kind)
        stack.extend(kind.__subclasses__())
    return frozenset(found)


@lru_cache(maxsize=None)
def subclasses_of(*bases: type) -> FrozenSet[type]:
    """The concrete node classes that are `bases` or derive from them, for `type(x) in ...`.

    Remembered, and read from each class's MRO: `issubclass` against libcst's ABCs walks their
    whole subclass tree for every class asked about."""
    return frozenset(kind for kind in node_types() if any(b in kind.__mro__ for b in bases))


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The child nodes of `node` that can hold code, in source order."""
    nodes = node_types()
    for name in _code_fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind in nodes:
            yield value
        elif kind is tuple or kind is list:
            for item in value:
                if type(item) in nodes:
                    yield item


def names_read(node: cst.CSTNode) -> Set[str]:
    """Every plain name an expression reads, attribute names excepted (`a.b(c)` -> a, c)."""
    found: Set[str] = set()
    stack: List[cst.CSTNode] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, cst.Name):
            found.add(item.value)
        elif isinstance(item, cst.Attribute):
            stack.append(item.value)
        else:
            stack.extend(children(item))
    return found


def spreads_keywords(call: cst.Call) -> bool:
    """`f(**options)`: any keyword may be in the options, so a missing one proves nothing."""
    return any(arg.star == "**" for arg in call.args)
