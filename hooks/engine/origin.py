"""Where a value comes from: constant, untrusted (and from what), sanitised, or unknown.

Intra-function and cheap: a name is followed to its assignments in its own scope (and the
module's), never into other functions. A value is untrusted when it comes from a web request
(Flask's `request`, a view's `request` parameter), `input()`, `sys.argv`, the environment, a
file or socket read, or a parameter of the enclosing function. A sanitiser (`shlex.quote`,
`int()`, `os.path.basename`, ...) makes it safe for the sink it guards. Rules use the answer to
rank a finding and to name its source: "`cmd` comes from `request.args` (line 12)".
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional, Sequence

from hooks.engine.lazy import cst

from hooks.engine.bindings import Binding, Kind, ScopeBindings, dotted
from hooks.engine.memo import remembered
from hooks.engine.names import lookup, resolve
from hooks.engine.trust import Origin, Trust
from hooks.engine.values import is_constant

MAX_DEPTH = 8
SANITISERS = frozenset(
    {
        "shlex.quote", "pipes.quote", "builtins.int", "builtins.float", "builtins.bool",
        "builtins.len", "os.path.basename", "uuid.UUID", "werkzeug.utils.secure_filename",
        "markupsafe.escape", "html.escape", "django.utils.html.escape",
        "urllib.parse.quote", "urllib.parse.quote_plus",
    }
)  # fmt: skip
# calls that hand back what they were given, untrusted or not
TRANSPARENT = frozenset(
    {"builtins.str", "builtins.bytes", "builtins.repr", "builtins.format", "json.loads"}
)
# methods whose result is as trusted as the object they are called on (and, for format and
# join, their arguments)
KEEPING_METHODS = frozenset(
    {
        "format", "join", "get", "strip", "lower", "upper", "replace", "encode", "decode",
        "split", "getlist", "get_json", "get_data",
    }
)  # fmt: skip
ENVIRONMENT = frozenset({"os.environ", "os.getenv", "os.environb", "os.getenvb"})
READS = frozenset({"read", "readline", "readlines", "recv", "recvfrom", "recv_into", "read_text"})
REQUEST_OBJECTS = frozenset({"flask.request", "quart.request", "bottle.request"})
REQUEST_PARAMETERS = frozenset({"request", "req"})


SAFE = Origin(Trust.SAFE)
UNKNOWN = Origin(Trust.UNKNOWN)


def origin_of(node: cst.BaseExpression, scopes: Sequence[ScopeBindings], depth: int = 0) -> Origin:
    if depth > MAX_DEPTH:
        return UNKNOWN
    key = (origin_of, node, depth)  # every path from a name to its values runs through here
    return remembered(scopes, key, lambda: _origin(node, scopes, depth))


def _origin(node: cst.BaseExpression, scopes: Sequence[ScopeBindings], depth: int) -> Origin:
    if is_constant(node, scopes):
        return SAFE
    more = depth + 1
    if isinstance(node, cst.Name):
        return _name(node, scopes, more)
    if isinstance(node, cst.Call):
        return _call(node, scopes, more)
    if isinstance(node, (cst.Attribute, cst.Subscript)):
        return _chain(node, scopes, more)
    parts = _parts(node)
    if parts is None:
        return UNKNOWN
    found = SAFE
    for part in parts:
        found = found.worse(origin_of(part, scopes, more))
    return found


def _parts(node: cst.BaseExpression) -> Optional[Sequence[cst.BaseExpression]]:
    """The sub-values a compound value is built from, None for values we do not look into."""
    if isinstance(node, cst.FormattedString):
        return [p.expression for p in node.parts if isinstance(p, cst.FormattedStringExpression)]
    if isinstance(node, (cst.BinaryOperation, cst.ConcatenatedString)):
        return [node.left, node.right]
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return [element.value for element in node.elements]
    if isinstance(node, cst.IfExp):
        return [node.body, node.orelse]
    if isinstance(node, cst.BooleanOperation):
        return [node.left, node.right]
    return None


def _name(node: cst.Name, scopes: Sequence[ScopeBindings], depth: int) -> Origin:
    bindings, _ = lookup(node.value, scopes)
    if not bindings:
        return UNKNOWN
    found = SAFE
    for binding in bindings:
        found = found.worse(_binding(node, binding, scopes, depth))
    if found.trust is Trust.UNTRUSTED and not found.via:
        found = replace(found, via=node.value)
    return found


def _binding(
    node: cst.Name, binding: Binding, scopes: Sequence[ScopeBindings], depth: int
) -> Origin:
    if binding.kind is Kind.PARAM:
        if node.value in REQUEST_PARAMETERS:
            return Origin(Trust.UNTRUSTED, f"the request parameter `{node.value}`")
        return Origin(Trust.UNTRUSTED, f"parameter `{node.value}`", None)
    if binding.kind in (Kind.ASSIGN, Kind.AUGMENT) and binding.value is not None:
        return origin_of(binding.value, scopes, depth)
    if binding.kind is Kind.IMPORT:
        return SAFE
    return UNKNOWN


def _call(node: cst.Call, scopes: Sequence[ScopeBindings], depth: int) -> Origin:
    func = resolve(node.func, scopes)
    if func in SANITISERS:
        return SAFE
    if func == "builtins.input":
        return Origin(Trust.UNTRUSTED, "`input()`", node)
    if func in ENVIRONMENT:
        return Origin(Trust.UNTRUSTED, "the environment", node)
    if func in TRANSPARENT and node.args:
        return origin_of(node.args[0].value, scopes, depth)
    if isinstance(node.func, cst.Attribute):
        method = node.func.attr.value
        if method in READS:
            return _chain(node, scopes, depth)
        if method in KEEPING_METHODS:
            found = _chain(node.func, scopes, depth)
            for arg in node.args if method in ("format", "join") else ():
                found = found.worse(origin_of(arg.value, scopes, depth))
            return found
    return UNKNOWN


def _chain(node: cst.BaseExpression, scopes: Sequence[ScopeBindings], depth: int) -> Origin:
    """`request.args["x"]`, `sys.argv[1]`, `data.get("k")`: trust follows the chain's base."""
    base = node
    while isinstance(base, (cst.Attribute, cst.Subscript, cst.Call)):
        if isinstance(base, cst.Call):
            method = base.func.attr.value if isinstance(base.func, cst.Attribute) else ""
            if method in READS:
                return Origin(Trust.UNTRUSTED, f"a file or socket read (`.{method}()`)", base)
            base = base.func
            continue
        qualified = resolve(base, scopes) if isinstance(base, cst.Attribute) else None
        if qualified in ENVIRONMENT:
            return Origin(Trust.UNTRUSTED, "the environment", node)
        if qualified == "sys.argv":
            return Origin(Trust.UNTRUSTED, "`sys.argv`", node)
        if isinstance(base, cst.Attribute) and isinstance(base.value, cst.Name):
            owner = resolve(base.value, scopes)
            if owner in REQUEST_OBJECTS or _is_request_parameter(base.value, scopes):
                return Origin(Trust.UNTRUSTED, f"`{base.value.value}.{base.attr.value}`", node)
        base = base.value
    if isinstance(base, cst.Name):
        if resolve(base, scopes) == "sys.argv":
            return Origin(Trust.UNTRUSTED, "`sys.argv`", node)
        return _name(base, scopes, depth)
    return UNKNOWN


def _is_request_parameter(name: cst.Name, scopes: Sequence[ScopeBindings]) -> bool:
    if name.value not in REQUEST_PARAMETERS:
        return False
    bindings, _ = lookup(name.value, scopes)
    return bindings is not None and all(b.kind is Kind.PARAM for b in bindings)


def describe(node: cst.BaseExpression, found: Origin) -> str:
    """ "`cmd` comes from `request.args`": the phrase a rule's message ends with ('' if trusted)."""
    if found.trust is not Trust.UNTRUSTED:
        return ""
    text = found.via or dotted(node)
    if text and found.source == f"parameter `{text}`":
        return f"`{text}` is a parameter of the function"
    if not text or f"`{text}`" == found.source:
        return f"it comes from {found.source}"
    return f"`{text}` comes from {found.source}"
