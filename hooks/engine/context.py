"""The one batched walk over a parsed file, and the context rules see during it.

A single walk keeps the scope and statement stacks and hands each node to every rule
that has a `visit_<Node>` or `leave_<Node>` method for its type: one traversal, however many rules.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple, Type

import libcst as cst

from hooks.engine import names, values
from hooks.engine.origin import for_sink, origin_of
from hooks.engine.trust import Origin
from hooks.engine.bindings import ScopeBindings
from hooks.engine.rule import OptionValue, RawReport, Rule
from hooks.engine.tree import children, subclasses_of

Handler = Callable[[cst.CSTNode], object]


class RuleContext:
    """What a rule may ask while it visits: names, values, arguments, and where it is."""

    def __init__(self) -> None:
        self.scopes: List[ScopeBindings] = []
        self.statements: List[cst.CSTNode] = []
        self.reports: List[RawReport] = []
        self._resolved: Dict[int, Optional[str]] = {}

    def add(self, report: RawReport) -> None:
        self.reports.append(report)

    def resolve(self, node: cst.BaseExpression) -> Optional[str]:
        """`sp.run` -> `subprocess.run`; None for local, shadowed or unknown names.

        Remembered per node: every rule with a `visit_Call` asks about the same callee.
        """
        key = id(node)
        if key not in self._resolved:
            self._resolved[key] = names.resolve(node, self.scopes)
        return self._resolved[key]

    def free_for(self, name: str, qualname: str) -> bool:
        """Can a fix here import `qualname` as `name`? Yes when the name is unbound (and no
        builtin) or already that import; no when it means something else in this scope."""
        found, _ = names.lookup(name, self.scopes)
        if found is None:
            return name not in names.BUILTIN_NAMES
        return names.resolve_name(name, self.scopes) == qualname

    def is_constant(self, node: cst.BaseExpression) -> bool:
        return values.is_constant(node, self.scopes)

    def origin(self, node: cst.BaseExpression, sink: str = "") -> Origin:
        """Constant, untrusted (and from what), sanitised or unknown: see origin.py. With a
        `sink` kind ("shell", "path", "html", ...), only that kind's sanitisers count."""
        found = origin_of(node, self.scopes)
        return for_sink(found, sink) if sink else found

    @staticmethod
    def argument(call: cst.Call, position: Optional[int], keyword: str) -> Optional[cst.Arg]:
        """The argument passed as `keyword=` or at `position` (before any * or ** argument)."""
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return arg
        if position is None:
            return None
        positional = []
        for arg in call.args:
            if arg.keyword is not None or arg.star:
                break
            positional.append(arg)
        return positional[position] if position < len(positional) else None

    def truthy_constant(self, arg: Optional[cst.Arg]) -> Optional[bool]:
        """True/False for an argument that is a literal truth value, None when it is computed."""
        if arg is None:
            return None
        value = arg.value
        if isinstance(value, cst.Name) and value.value in ("True", "False", "None"):
            return value.value == "True"
        if isinstance(value, cst.Integer):
            return value.evaluated_value != 0
        return None


class Walker:
    """Drives every rule over one module in a single traversal (see tree.py for why not
    libcst's own visitor)."""

    def __init__(self, rules: Sequence[Rule], ctx: RuleContext) -> None:
        self.ctx = ctx
        self.scope_types = subclasses_of(cst.Module, cst.FunctionDef, cst.ClassDef, cst.Lambda)
        self.statement_types = subclasses_of(cst.SimpleStatementLine, cst.BaseCompoundStatement)
        self.visitors: Dict[str, List[Handler]] = {}
        self.leavers: Dict[str, List[Handler]] = {}
        for rule in rules:
            for attr in dir(type(rule)):
                if attr.startswith("visit_"):
                    self.visitors.setdefault(attr[6:], []).append(getattr(rule, attr))
                elif attr.startswith("leave_"):
                    self.leavers.setdefault(attr[6:], []).append(getattr(rule, attr))

    def walk(self, root: cst.CSTNode) -> None:
        """Depth first, with an explicit stack: generated code nests deeper than Python recurses."""
        stack: List[Tuple[cst.CSTNode, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self._leave(node)
                continue
            self._enter(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(children(node))))

    def _enter(self, node: cst.CSTNode) -> None:
        kind = type(node)
        if kind in self.scope_types:
            self.ctx.scopes.append(ScopeBindings(node))  # type: ignore[arg-type]
        if kind in self.statement_types:
            self.ctx.statements.append(node)
        for handler in self.visitors.get(kind.__name__, ()):
            handler(node)

    def _leave(self, node: cst.CSTNode) -> None:
        kind = type(node)
        for handler in self.leavers.get(kind.__name__, ()):
            handler(node)
        if kind in self.statement_types:
            self.ctx.statements.pop()
        if kind in self.scope_types:
            self.ctx.scopes.pop()


def check_module(
    module: cst.Module, rules: Sequence[Tuple[Type[Rule], Dict[str, OptionValue]]]
) -> List[RawReport]:
    """Run every rule over `module` in one walk; returns what they reported, in walk order."""
    ctx = RuleContext()
    instances = [rule(ctx, options) for rule, options in rules]
    Walker(instances, ctx).walk(module)
    return ctx.reports
