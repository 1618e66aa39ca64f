"""Import-alias resolution: `sp.run` -> `subprocess.run`, and shadowed names -> unknown.

Python's rules, simplified to what is cheap and safe for a linter: a name is looked up from the
innermost scope outwards, skipping class bodies for code inside methods. In a function, a name
bound by anything but an import (a parameter, an assignment) is shadowed. At module level, where
`try: import x / except ImportError: x = None` is common, imports win unless the name is also
rebound to something other than None.
"""

from __future__ import annotations

import builtins
from typing import List, Optional, Sequence, Tuple

from hooks.engine.lazy import cst

from hooks.engine.bindings import Binding, Kind, ScopeBindings

BUILTIN_NAMES = frozenset(dir(builtins))


def _is_none(binding: Binding) -> bool:
    return isinstance(binding.value, cst.Name) and binding.value.value == "None"


def _from_bindings(bindings: List[Binding], at_module: bool) -> Optional[str]:
    imports = [b for b in bindings if b.kind is Kind.IMPORT]
    if not imports:
        return None
    others = [b for b in bindings if b.kind is not Kind.IMPORT]
    if at_module:
        others = [b for b in others if not (b.kind is Kind.ASSIGN and _is_none(b))]
    return None if others else imports[0].qualname


def lookup(name: str, scopes: Sequence[ScopeBindings]) -> Tuple[Optional[List[Binding]], bool]:
    """The bindings of `name` in the scope Python would find it in (None if unbound), and
    whether that scope is the module."""
    index = lookup_index(name, scopes)
    if index is None:
        return None, False
    return scopes[index].get(name), index == 0


def lookup_index(name: str, scopes: Sequence[ScopeBindings]) -> Optional[int]:
    """The index in `scopes` of the scope that binds `name` for code in the innermost one."""
    innermost = len(scopes) - 1
    for index in range(innermost, -1, -1):
        scope = scopes[index]
        if scope.is_class and index != innermost:
            continue
        if scope.get(name) is not None:
            return index
    return None


def resolve_name(name: str, scopes: Sequence[ScopeBindings]) -> Optional[str]:
    """The qualified name `name` refers to, or None when it is local, shadowed or unknown.

    Remembered in the innermost scope: the scopes around it are fixed, so the answer is too.
    """
    cache = scopes[-1].resolved if scopes else {}
    if name in cache:
        return cache[name]
    found, at_module = lookup(name, scopes)
    if found is not None:
        result = _from_bindings(found, at_module)
    else:
        result = f"builtins.{name}" if name in BUILTIN_NAMES else None
    cache[name] = result
    return result


def resolve(node: cst.BaseExpression, scopes: Sequence[ScopeBindings]) -> Optional[str]:
    """Qualified name of a Name/Attribute chain; None for calls, subscripts and unknown objects."""
    if isinstance(node, cst.Name):
        return resolve_name(node.value, scopes)
    if isinstance(node, cst.Attribute):
        base = resolve(node.value, scopes)
        return f"{base}.{node.attr.value}" if base else None
    return None
