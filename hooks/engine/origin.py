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
from hooks.engine.names import lookup, lookup_index, resolve
from hooks.engine.trust import Origin, Trust
from hooks.engine.values import is_constant
from hooks.engine.web import view_parameter

MAX_DEPTH = 8
# calls whose result cannot carry text an attacker shaped, whatever the sink
UNIVERSAL_SANITISERS = frozenset(
    {
        "builtins.int", "builtins.float", "builtins.bool", "builtins.len", "builtins.abs",
        "uuid.UUID",
    }
)  # fmt: skip
# calls that make a value safe for one kind of sink only: `basename` stops `../` in a path,
# not `<script>` in a page. A rule names its sink kind (`ctx.origin(x, sink="path")`).
SANITISERS_BY_SINK = {
    "shell": frozenset({"shlex.quote", "pipes.quote", "shlex.join"}),
    "path": frozenset(
        {
            "os.path.basename", "werkzeug.utils.secure_filename", "werkzeug.security.safe_join",
            "werkzeug.utils.safe_join", "flask.safe_join", "django.utils._os.safe_join",
            "django.utils.text.get_valid_filename",
        }
    ),
    "html": frozenset(
        {
            "markupsafe.escape", "html.escape", "django.utils.html.escape",
            "django.utils.html.conditional_escape", "django.utils.html.format_html",
            "flask.escape", "jinja2.escape", "bleach.clean", "nh3.clean", "cgi.escape",
            "flask.render_template", "django.shortcuts.render",
            "django.template.loader.render_to_string",
        }
    ),
    "url": frozenset({"urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode"}),
    "ldap": frozenset(
        {
            "ldap.filter.escape_filter_chars", "ldap3.utils.conv.escape_filter_chars",
            "ldap.dn.escape_dn_chars", "ldap3.utils.dn.escape_rdn",
        }
    ),
    # `%r` and repr() and json.dumps write a newline as `\n`; str.replace of "\n"/"\r" (below)
    "log": frozenset({"builtins.repr", "json.dumps", "str.replace"}),
}  # fmt: skip
SANITISERS = UNIVERSAL_SANITISERS.union(*SANITISERS_BY_SINK.values())
# calls that hand back what they were given, untrusted or not
TRANSPARENT = frozenset(
    {"builtins.str", "builtins.bytes", "builtins.repr", "builtins.format", "json.loads"}
)
# calls whose result is as trusted as the worst of their arguments: paths and URLs built from
# parts, and decoders
COMBINING = frozenset(
    {
        *(
            f"pathlib.{name}"
            for name in ("Path", "PurePath", "PosixPath", "WindowsPath", "PurePosixPath")
        ),
        "os.path.join", "posixpath.join", "os.path.abspath", "os.path.normpath",
        "os.path.realpath", "os.path.expanduser", "os.fspath", "urllib.parse.urljoin",
        "urllib.parse.unquote", "urllib.parse.unquote_plus", "base64.b64decode",
        "base64.urlsafe_b64decode",
    }
)  # fmt: skip
# methods whose result is as trusted as the object they are called on (and, for format and
# join, their arguments)
KEEPING_METHODS = frozenset(
    {
        "format", "join", "get", "strip", "lower", "upper", "replace", "encode", "decode",
        "split", "getlist", "get_json", "get_data", "json", "form", "post", "body", "text",
        "items", "values", "lstrip", "rstrip", "resolve", "absolute", "as_posix", "dict",
        "to_dict", "getone", "getall", "pop", "rsplit", "partition", "removeprefix",
        "removesuffix", "casefold", "title",
    }
)  # fmt: skip
ENVIRONMENT = frozenset({"os.environ", "os.getenv", "os.environb", "os.getenvb"})
READS = frozenset({"read", "readline", "readlines", "recv", "recvfrom", "recv_into", "read_text"})
REQUEST_OBJECTS = frozenset({"flask.request", "quart.request", "bottle.request"})
REQUEST_PARAMETERS = frozenset({"request", "req"})
# request attributes the server fills, not the client: untrusted as before, but not remote
SERVER_ATTRIBUTES = frozenset(
    {
        "user", "session", "auth", "app", "config_dict", "resolver_match", "site", "urlconf",
        "state", "method", "get_host", "build_absolute_uri", "is_secure", "scheme",
        "_messages", "current_app", "url_rule", "endpoint", "blueprint",
    }
)  # fmt: skip
NEWLINES = ("\\n", "\\r")


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
    if isinstance(node, cst.Dict):
        return [el.value for el in node.elements if isinstance(el, cst.DictElement)]
    if isinstance(node, cst.Await):
        return [node.expression]
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
        view = _view_parameter(node.value, scopes)
        if view is not None:
            return view
        return Origin(Trust.UNTRUSTED, f"parameter `{node.value}`", None)
    if binding.kind in (Kind.ASSIGN, Kind.AUGMENT) and binding.value is not None:
        return origin_of(binding.value, scopes, depth)
    if binding.kind is Kind.IMPORT:
        return SAFE
    return UNKNOWN


def _view_parameter(name: str, scopes: Sequence[ScopeBindings]) -> Optional[Origin]:
    """The origin of a web view's parameter (see web.py), None for other functions'."""
    index = lookup_index(name, scopes)
    if index is not None and isinstance(scopes[index].node, cst.FunctionDef):
        return view_parameter(scopes[: index + 1], name)
    return None


def _sanitised(
    node: cst.Call, sanitiser: str, scopes: Sequence[ScopeBindings], depth: int
) -> Origin:
    """SAFE, remembering what was cleaned and by what: a sink the sanitiser does not cover
    sees the untrusted value again (see `for_sink`)."""
    inner = SAFE
    for arg in node.args[:1]:
        inner = origin_of(arg.value, scopes, depth)
    if inner.trust is Trust.SAFE:
        return SAFE
    return replace(inner, trust=Trust.SAFE, sanitiser=sanitiser)


def _strips_newlines(node: cst.Call) -> bool:
    """`text.replace("\\n", " ")`: the log sanitiser of the issue's table."""
    first = node.args[0].value if node.args else None
    return isinstance(first, cst.SimpleString) and any(n in first.value for n in NEWLINES)


def _call(node: cst.Call, scopes: Sequence[ScopeBindings], depth: int) -> Origin:
    func = resolve(node.func, scopes)
    if func in UNIVERSAL_SANITISERS:
        return SAFE
    if func in SANITISERS:
        return _sanitised(node, func, scopes, depth)
    if func in COMBINING:
        found = SAFE
        for arg in node.args:
            found = found.worse(origin_of(arg.value, scopes, depth))
        return found
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
        if method == "replace" and _strips_newlines(node):
            found = _chain(node.func, scopes, depth)
            if found.trust is Trust.SAFE:
                return found
            return replace(found, trust=Trust.SAFE, sanitiser="str.replace")
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
                remote = base.attr.value not in SERVER_ATTRIBUTES
                text = f"`{base.value.value}.{base.attr.value}`"
                return Origin(Trust.UNTRUSTED, text, node, remote=remote)
        if isinstance(base, cst.Attribute) and dotted(base.value) == "self.request":
            # a Django class-based view's request
            remote = base.attr.value not in SERVER_ATTRIBUTES
            return Origin(Trust.UNTRUSTED, f"`self.request.{base.attr.value}`", node, remote=remote)
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


def for_sink(found: Origin, sink: str) -> Origin:
    """`found` as a sink of kind `sink` sees it: a value cleaned by another kind's sanitiser
    (`html.escape` before `open`) is untrusted again."""
    if found.sanitiser and found.sanitiser not in SANITISERS_BY_SINK.get(sink, frozenset()):
        trust = Trust.UNTRUSTED if found.source else Trust.UNKNOWN
        return replace(found, trust=trust, sanitiser="")
    return found


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
