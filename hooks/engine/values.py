"""Is a value constant? A cheap, intra-function answer shared by every rule.

A value is constant when it is a literal, or a name whose every binding in its scope is an
assignment of a constant (through concatenation, `%`, `.format`, f-strings and containers of
constants). Parameters, loop targets and anything computed make it not constant. Rules use this
to tell a fixed command (low severity) from one an attacker may shape (high severity).
"""

from __future__ import annotations

from typing import Sequence

from hooks.engine.lazy import cst

from hooks.engine.bindings import Kind, ScopeBindings
from hooks.engine.memo import remembered
from hooks.engine.names import lookup

MAX_DEPTH = 8
CONSTANT_NAMES = frozenset({"True", "False", "None"})


def is_constant(node: cst.BaseExpression, scopes: Sequence[ScopeBindings], depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        return False
    key = (is_constant, node, depth)
    return remembered(scopes, key, lambda: _is_constant(node, scopes, depth))


def _is_constant(node: cst.BaseExpression, scopes: Sequence[ScopeBindings], depth: int) -> bool:
    more = depth + 1
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)):
        return True
    if isinstance(node, cst.Name):
        return node.value in CONSTANT_NAMES or _name_is_constant(node.value, scopes, more)
    if isinstance(node, cst.ConcatenatedString):
        return is_constant(node.left, scopes, more) and is_constant(node.right, scopes, more)
    if isinstance(node, cst.FormattedString):
        return all(
            isinstance(part, cst.FormattedStringText) or is_constant(part.expression, scopes, more)
            for part in node.parts
            if isinstance(part, (cst.FormattedStringText, cst.FormattedStringExpression))
        )
    if isinstance(node, cst.BinaryOperation):
        return is_constant(node.left, scopes, more) and is_constant(node.right, scopes, more)
    if isinstance(node, cst.UnaryOperation):
        return is_constant(node.expression, scopes, more)
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(
            isinstance(el, cst.Element) and is_constant(el.value, scopes, more)
            for el in node.elements
        )
    if isinstance(node, cst.Dict):
        return all(
            isinstance(el, cst.DictElement)
            and is_constant(el.key, scopes, more)
            and is_constant(el.value, scopes, more)
            for el in node.elements
        )
    if isinstance(node, cst.Call):
        return _call_is_constant(node, scopes, more)
    return False


def _name_is_constant(name: str, scopes: Sequence[ScopeBindings], depth: int) -> bool:
    bindings, _ = lookup(name, scopes)
    if not bindings:
        return False
    return all(
        b.kind in (Kind.ASSIGN, Kind.AUGMENT)
        and b.value is not None
        and is_constant(b.value, scopes, depth)
        for b in bindings
    )


def _call_is_constant(node: cst.Call, scopes: Sequence[ScopeBindings], depth: int) -> bool:
    """`"...".format(consts)` and `"sep".join(consts)` are constant; other calls are not."""
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in ("format", "join")):
        return False
    return is_constant(func.value, scopes, depth) and all(
        is_constant(arg.value, scopes, depth) for arg in node.args
    )
