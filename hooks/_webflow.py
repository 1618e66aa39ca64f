"""Request data that reaches a sink: the shared half of the web-flow hooks.

A `FlowRule` names its sink kind ("path", "url", "html", ...) and says which calls are sinks
(`sinks`). For each sink value, the engine's value origins (hooks/engine/origin.py) tell whether
it comes from the web request (remote and untrusted) and whether a sanitiser of this kind cleaned
it; this module adds what origins cannot see, the checks that guard a value without changing it:

- `if name in ALLOWED`, `if urlparse(url).netloc not in HOSTS`, `if kind == "pdf"`
- `if not path.is_relative_to(BASE)`, `if not target.startswith(ROOT)`, `os.path.commonpath`
- `url_has_allowed_host_and_scheme(url, ...)`, `re.fullmatch(PATTERN, name)`, `name.isdigit()`
- a call to a function whose name says it checks (`is_safe_url`, `validate_host`, `allowed`)

A guard counts when it checks the name the request value entered through, or a name built from
it on the way to the sink, in a statement that comes before the sink's or is the sink's own
(`get(url) if valid(url) else None`): a check after the request has gone out guards nothing.
Order is the text's: a guard in the header of an `if` precedes every statement of its branches,
and a check later in a loop's body does not count for a sink earlier in it. One level of
helper is followed: `read(request.args["f"])` is reported when `read`, a function of the same
module, hands its parameter to a sink.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from hooks.engine.bindings import Kind, ScopeBindings, dotted
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import OptionValue, Rule
from hooks.engine.tree import names_read
from hooks.engine.trust import Origin, Trust
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

# words whose presence a remote source needs: the prefilter of every web-flow rule
# (not "django": every file of a Django project imports it, and its views all take `request`)
SOURCE_TRIGGERS = (
    "request", "flask", "fastapi", "starlette", "aiohttp", "quart", "bottle", "sanic",
)  # fmt: skip
ALL_SINKS = frozenset({"path", "url", "redirect", "html", "ldap", "xpath", "log", "session"})
# guard methods: receiver.method(...) guards the receiver's names for these sinks
GUARD_METHODS: Dict[str, FrozenSet[str]] = {
    "startswith": frozenset({"path", "url", "redirect"}),
    "is_relative_to": frozenset({"path"}),
    "relative_to": frozenset({"path"}),
    **{name: ALL_SINKS for name in ("isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha")},
    "isidentifier": ALL_SINKS,
}
# guard functions: f(value, ...) guards the names of its arguments for these sinks
GUARD_FUNCTIONS: Dict[str, FrozenSet[str]] = {
    "url_has_allowed_host_and_scheme": frozenset({"url", "redirect"}),
    "is_safe_url": frozenset({"url", "redirect"}),
    "commonpath": frozenset({"path"}),
    "commonprefix": frozenset({"path"}),
    "match": ALL_SINKS,
    "fullmatch": ALL_SINKS,
}
# a function named like a check (`is_allowed_host`, `validate_path`) guards its arguments
CHECK_NAME = lazy_re(r"allow|safe|valid|trusted|whitelist|permitted", re.IGNORECASE)
# for a session's identity, a credential check vouches for the name it checked
IDENTITY_CHECK = lazy_re(r"check|verif|authenticat", re.IGNORECASE)
# a URL or path whose literal start already fixes where it goes: "/items/", "https://api.x.org/"
FIXED_START = lazy_re(r"^(?:/[^/\\]|[a-z][a-z0-9+.-]*://[^/{}%]+/|\.{0,2}/?[\w-]+/)", re.I)
# calls that build a URL of the app itself
OWN_URLS = frozenset({"url_for", "reverse", "reverse_lazy", "resolve_url"})
MAX_DEPTH = 6


def innermost_function(ctx: RuleContext) -> Optional[cst.FunctionDef]:
    for scope in reversed(ctx.scopes):
        if isinstance(scope.node, cst.FunctionDef):
            return scope.node
    return None


def flowing_names(ctx: RuleContext, start: Iterable[str]) -> Set[str]:
    """The names `start` are built from (themselves included), followed through the function's
    assignments."""
    seen: Set[str] = set()
    todo = list(start)
    while todo and len(seen) < 64:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        bindings, at_module = lookup(name, ctx.scopes)
        if at_module or not bindings:
            continue
        for binding in bindings:
            if binding.kind in (Kind.ASSIGN, Kind.AUGMENT) and binding.value is not None:
                todo.extend(names_read(binding.value))
    return seen


def string_start(node: cst.BaseExpression) -> Optional[str]:
    """The literal text a built string starts with ("" when it starts with a value)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        return string_start(node.left)
    if isinstance(node, cst.FormattedString):
        first = node.parts[0] if node.parts else None
        return first.value if isinstance(first, cst.FormattedStringText) else ""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
        return string_start(node.left)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value == "format":
            return string_start(node.func.value)
    return None


def literal_text(ctx: RuleContext, node: cst.BaseExpression, depth: int = 0) -> str:
    """The literal parts of a built string, joined (a name is followed to its assignments):
    enough to tell an LDAP filter or an XPath expression from other text."""
    if depth > MAX_DEPTH:
        return ""
    more = depth + 1
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else ""
    if isinstance(node, cst.FormattedString):
        return "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
    if isinstance(node, (cst.ConcatenatedString, cst.BinaryOperation)):
        return literal_text(ctx, node.left, more) + literal_text(ctx, node.right, more)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value in ("format", "join"):
            return literal_text(ctx, node.func.value, more)
    if isinstance(node, cst.Name):
        bindings, _ = lookup(node.value, ctx.scopes)
        return "".join(
            literal_text(ctx, b.value, more)
            for b in bindings or ()
            if b.kind in (Kind.ASSIGN, Kind.AUGMENT) and b.value is not None
        )
    return ""


def _leftmost(node: cst.BaseExpression) -> cst.BaseExpression:
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        node = node.left
    return node


def fixed_start(ctx: RuleContext, node: cst.BaseExpression, depth: int = 0) -> bool:
    """Does the value start with literal text (or the app's own URL, `url_for(...)`) that fixes
    its host: "/items/", "https://api.example.com/"?"""
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, cst.Name):
        bindings, _ = lookup(node.value, ctx.scopes)
        values = [b.value for b in bindings or () if b.kind is Kind.ASSIGN]
        return bool(values) and all(
            v is not None and fixed_start(ctx, v, depth + 1) for v in values
        )
    first = _leftmost(node)
    if isinstance(first, cst.Call) and dotted(first.func).split(".")[-1] in OWN_URLS:
        return True
    start = string_start(node)
    return bool(start) and FIXED_START.match(start or "") is not None


class Guards:
    """The checks of one function: the names each vouches for, by the place of its statement
    (statements numbered in the order of the text), and the statement of every node."""

    def __init__(self) -> None:
        self.checks: List[Tuple[int, Set[str]]] = []
        self.order: Dict[int, int] = {}

    def next_statement(self) -> int:
        return len(self.order) + 1  # any number larger than every earlier one will do

    def add(self, statement: int, names: Set[str]) -> None:
        if names:
            self.checks.append((statement, names))

    def before(self, sink: cst.CSTNode) -> Set[str]:
        """The names checked in the sink's statement or earlier (every check when the sink is
        not in the function: a default value, a decorator)."""
        limit = self.order.get(id(sink))
        return {
            name
            for statement, names in self.checks
            if limit is None or statement <= limit
            for name in names
        }


class FlowRule(Rule):
    """A rule whose finding is request data reaching one of its sinks unguarded."""

    sink: ClassVar[str]
    triggers = SOURCE_TRIGGERS
    reads_definitions = True  # helpers one call deep, and attributes set in other methods

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        self._guards: Dict[int, Guards] = {}
        self._functions: Optional[Dict[str, cst.FunctionDef]] = None
        self._imports: Optional[Set[str]] = None

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        """(label, value) for each value `call` hands to a sink of this rule."""
        raise NotImplementedError

    def imported(self) -> Set[str]:
        """The top-level packages the module imports at its top level (`flask`, `requests`)."""
        if self._imports is None:
            module = self.ctx.scopes[0].node if self.ctx.scopes else None
            found: Set[str] = set()
            lines = [
                s for s in getattr(module, "body", ()) if isinstance(s, cst.SimpleStatementLine)
            ]
            for statement in lines:
                for small in statement.body:
                    if isinstance(small, cst.ImportFrom) and small.module is not None:
                        found.add(dotted(small.module).split(".")[0])
                    elif isinstance(small, cst.Import):
                        found.update(dotted(a.name).split(".")[0] for a in small.names)
            self._imports = found
        return self._imports

    def quiet(self, value: cst.BaseExpression, found: Origin) -> bool:
        """A rule's own reason to let an untrusted value through (none by default)."""
        return False

    def visit_Call(self, node: cst.Call) -> None:
        for label, value in self.sinks(node):
            found = self.untrusted(value)
            if found is not None:
                self.report(node, value=(value, found), sink=f"`{label}`")
                return  # one finding per call, however many of its values are tainted
        if isinstance(node.func, cst.Name):
            self._follow(node)

    def untrusted(self, value: cst.BaseExpression) -> Optional[Origin]:
        """The origin of `value` when it is request data no sanitiser or guard of this sink
        kind cleaned; None otherwise."""
        found = self.ctx.origin(value, sink=self.sink)
        if found.trust is not Trust.UNTRUSTED or not found.remote:
            return None
        if self.quiet(value, found) or self.guarded(value, found.via):
            return None
        return found

    def guarded(self, value: cst.BaseExpression, via: str) -> bool:
        """Is `via` (the name the untrusted value entered through) checked before the sink,
        itself or in a name built from it on the way there?"""
        function = innermost_function(self.ctx)
        if function is None or not via:
            return False
        key = id(function)
        if key not in self._guards:
            self._guards[key] = self._guard_names(function)
        return self._covers(self._guards[key], value, via)

    def _covers(self, guards: Guards, value: cst.BaseExpression, via: str) -> bool:
        on_the_way = guards.before(value) & flowing_names(self.ctx, names_read(value))
        return any(via in flowing_names(self.ctx, [name]) for name in on_the_way)

    def _guard_names(self, function: cst.FunctionDef) -> Guards:
        """The names some check in `function` vouches for, for this rule's sink kind, with the
        place of the statement that checks them."""
        guards = Guards()
        stack: List[Tuple[cst.CSTNode, int]] = [(function.body, 0)]
        while stack:
            node, statement = stack.pop()
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue
            if isinstance(node, (cst.BaseStatement, cst.BaseSmallStatement)):
                statement = guards.next_statement()
            guards.order[id(node)] = statement
            if isinstance(node, cst.Comparison):
                guards.add(statement, self._comparison(node))
            elif isinstance(node, cst.Call):
                guards.add(statement, self._guard_call(node))
            stack.extend((child, statement) for child in reversed(node.children))
        return guards

    def _comparison(self, node: cst.Comparison) -> Set[str]:
        """`x in ALLOWED`, `host not in HOSTS`, `kind == "pdf"`: an allowlist check."""
        guarded: Set[str] = set()
        left = node.left
        for target in node.comparisons:
            if isinstance(target.operator, (cst.In, cst.NotIn)):
                guarded |= names_read(left)
            elif isinstance(target.operator, (cst.Equal, cst.NotEqual)):
                if self.ctx.is_constant(target.comparator):
                    guarded |= names_read(left)
                elif self.ctx.is_constant(left):
                    guarded |= names_read(target.comparator)
            left = target.comparator
        return guarded

    def _guard_call(self, node: cst.Call) -> Set[str]:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else dotted(func)
        if isinstance(func, cst.Attribute) and self.sink in GUARD_METHODS.get(name, ()):
            return names_read(func.value) | {n for a in node.args for n in names_read(a.value)}
        identity = self.sink == "session" and IDENTITY_CHECK.search(name or "")
        if self.sink in GUARD_FUNCTIONS.get(name, ()) or CHECK_NAME.search(name or "") or identity:
            return {n for arg in node.args for n in names_read(arg.value)}
        return set()

    def _follow(self, call: cst.Call) -> None:
        """`helper(request.args["f"])`: report when the module's `helper` hands that parameter
        to a sink of this rule unguarded (one level deep)."""
        assert isinstance(call.func, cst.Name)
        helper = self._module_function(call.func.value)
        if helper is None:
            return
        params = [p.name.value for p in helper.params.params]
        passed: List[Tuple[str, cst.BaseExpression, Origin]] = []
        for index, arg in enumerate(call.args):
            if arg.star:
                break
            name = arg.keyword.value if arg.keyword is not None else None
            if name is None and index < len(params):
                name = params[index]
            found = self.untrusted(arg.value) if name is not None else None
            if name is not None and found is not None:
                passed.append((name, arg.value, found))
        if not passed:
            return
        for param, value, found in passed:
            label = self._sink_in(helper, param)
            if label is not None:
                sink = f"`{label}` in `{helper.name.value}()`"
                self.report(call, value=(value, found), sink=sink)
                return

    def _module_function(self, name: str) -> Optional[cst.FunctionDef]:
        module = self.ctx.scopes[0].node if self.ctx.scopes else None
        if not isinstance(module, cst.Module):
            return None
        if self._functions is None:
            self._functions = {
                s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)
            }
        if name not in self._functions:
            return None  # most calls: builtins, classes, imports (checked before any lookup)
        bindings, at_module = lookup(name, self.ctx.scopes)
        if not at_module or len(bindings or ()) != 1:
            return None  # shadowed here, or bound more than once: which one runs?
        return self._functions[name]

    def _sink_in(self, helper: cst.FunctionDef, param: str) -> Optional[str]:
        """The label of a sink in `helper` that the parameter reaches unguarded."""
        saved = self.ctx.scopes
        self.ctx.scopes = [saved[0], ScopeBindings(helper)]
        try:
            stack: List[cst.CSTNode] = [helper.body]
            while stack:
                node = stack.pop()
                if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                    continue
                if isinstance(node, cst.Call):
                    for label, value in self.sinks(node):
                        if self._reaches(helper, value, param):
                            return label
                stack.extend(node.children)
            return None
        finally:
            self.ctx.scopes = saved

    def _reaches(self, helper: cst.FunctionDef, value: cst.BaseExpression, param: str) -> bool:
        if self.ctx.origin(value, sink=self.sink).trust is not Trust.UNTRUSTED:
            return False  # constant, sanitised for this sink, or computed elsewhere
        if param not in flowing_names(self.ctx, names_read(value)):
            return False
        return not self._covers(self._guard_names(helper), value, param)
