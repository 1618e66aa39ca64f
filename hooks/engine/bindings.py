"""What each name is bound to inside one scope (module, class, function or lambda).

Collected lazily, the first time a rule asks about a name in that scope, by one pass over the
scope's own statements (nested functions and classes are their own scopes and are not entered).
This is all `names.py` and `values.py` need; libcst's ScopeProvider would cost several parses.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Dict, Hashable, List, Optional, Set, Tuple, Union

from hooks.engine.lazy import cst

from hooks.engine.tree import children, subclasses_of

ScopeNode = Union["cst.Module", "cst.FunctionDef", "cst.ClassDef", "cst.Lambda"]


class Kind(enum.Enum):
    IMPORT = "import"  # `import a.b as x`: qualified name known
    ASSIGN = "assign"  # `x = value`: the value expression is known
    AUGMENT = "augment"  # `x += value`
    PARAM = "param"  # a parameter: anything the caller passes
    OTHER = "other"  # loop targets, unpacking, with/except targets, def, class, del


@dataclass(frozen=True)
class Binding:
    kind: Kind
    qualname: str = ""
    value: Optional[cst.BaseExpression] = None


def dotted(node: cst.BaseExpression) -> str:
    """`a.b.c` as text for Name/Attribute chains, '' for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else ""
    return ""


def spelled(node: cst.BaseExpression) -> str:
    """`self.logger.info` as written, for messages; only the trailing names when the chain
    starts at a call or a subscript (`get_app().run` -> `run`)."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
    return ".".join(reversed(parts))


class _Collector:
    """One pass over a scope's own statements, recording what each name is bound to."""

    def __init__(self, bindings: Dict[str, List[Binding]], declared_global: Set[str]) -> None:
        self.bindings = bindings
        self.declared_global = declared_global

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def bind_target(self, target: cst.BaseExpression, binding: Binding) -> None:
        if isinstance(target, cst.Name):
            self.bind(target.value, binding)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind_target(element.value, Binding(Kind.OTHER))
        elif isinstance(target, cst.StarredElement):
            self.bind_target(target.value, Binding(Kind.OTHER))

    def collect(self, root: cst.CSTNode) -> None:
        # bindings live in statements: expressions are not entered, which makes this pass a
        # fraction of a walk (the price: a walrus inside an expression binds nothing here)
        expressions = subclasses_of(cst.BaseExpression)
        stack = [root]
        while stack:
            node = stack.pop()
            if type(node) in expressions and node is not root:
                continue
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                # nested scopes bind their own name here and keep their bodies to themselves
                self.bind(node.name.value, Binding(Kind.OTHER))
                continue
            if isinstance(
                node, (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
            ):
                continue
            handler = getattr(self, f"on_{type(node).__name__}", None)
            if handler is not None:
                handler(node)
            stack.extend(reversed(list(children(node))))

    def on_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.bind(alias.asname.name.value, Binding(Kind.IMPORT, full))
            else:
                top = full.split(".")[0]
                self.bind(top, Binding(Kind.IMPORT, top))

    def on_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = "" if node.relative or node.module is None else dotted(node.module)
        for alias in node.names:
            name = dotted(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            if module:
                self.bind(local, Binding(Kind.IMPORT, f"{module}.{name}"))
            else:  # relative imports name this project's code, never a risky library
                self.bind(local, Binding(Kind.OTHER))

    def on_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.bind_target(target.target, Binding(Kind.ASSIGN, value=node.value))

    def on_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.bind_target(node.target, Binding(Kind.ASSIGN, value=node.value))

    def on_AugAssign(self, node: cst.AugAssign) -> None:
        self.bind_target(node.target, Binding(Kind.AUGMENT, value=node.value))

    def on_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind_target(node.target, Binding(Kind.ASSIGN, value=node.value))

    def on_For(self, node: cst.For) -> None:
        self.bind_target(node.target, Binding(Kind.OTHER))

    def on_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.bind_target(node.asname.name, Binding(Kind.OTHER))

    def on_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.bind_target(node.name.name, Binding(Kind.OTHER))

    def on_Del(self, node: cst.Del) -> None:
        self.bind_target(node.target, Binding(Kind.OTHER))

    def on_Global(self, node: cst.Global) -> None:
        self.declared_global.update(item.name.value for item in node.names)

    def on_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared_global.update(item.name.value for item in node.names)


class ScopeBindings:
    """The bindings of one scope node, computed on first use."""

    def __init__(self, node: ScopeNode) -> None:
        self.node = node
        self.is_class = isinstance(node, cst.ClassDef)
        self._bindings: Optional[Dict[str, List[Binding]]] = None
        # name -> qualified name, as resolved from inside this scope (names.py fills it)
        self.resolved: Dict[str, Optional[str]] = {}
        # names declared global or nonlocal: looked up further out
        self.passthrough: Set[str] = set()
        # answers of walks over names asked from inside this scope (memo.py fills it)
        self.memo: Dict[Tuple[Hashable, ...], Any] = {}
        # what the engine found out about the scope once and keeps (web.py: "imports django")
        self.facts: Dict[str, bool] = {}

    def get(self, name: str) -> Optional[List[Binding]]:
        if self._bindings is None:
            self._bindings = self._collect()
        if name in self.passthrough:
            return None
        return self._bindings.get(name)

    def _collect(self) -> Dict[str, List[Binding]]:
        bindings: Dict[str, List[Binding]] = {}
        node = self.node
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            params = node.params
            every = [*params.posonly_params, *params.params, *params.kwonly_params]
            for star in (params.star_arg, params.star_kwarg):
                if isinstance(star, cst.Param):
                    every.append(star)
            for param in every:
                bindings.setdefault(param.name.value, []).append(Binding(Kind.PARAM))
        collector = _Collector(bindings, self.passthrough)
        if isinstance(node, cst.Module):
            for statement in node.body:
                collector.collect(statement)
        else:
            collector.collect(node.body)
        return bindings
