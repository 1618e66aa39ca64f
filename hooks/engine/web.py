"""Which functions are web views, and which of their parameters the request fills.

Data and cheap shape checks for origin.py, per framework:

- Flask, Quart, Bottle, FastAPI, Starlette routers, Sanic: a function decorated with
  `@<anything>.route/get/post/...("/path", ...)` (the path literal tells a route from
  `@cache.get(key)`); every parameter but the framework's injected ones comes from the request.
- Django (and DRF): a function whose first parameter is `request`, in a module that imports
  Django's or DRF's views, responses or shortcuts, or a method named like a class-based view's
  handler (`get`, `post`, `dispatch`, `retrieve`, ...) whose first parameter after `self` is
  `request`; the parameters after it without a default are the URL's keyword arguments.
  (`handle_error(self, request, client_address)` of a socket server is no view.)

A parameter the framework converts before the view sees it (`<int:id>` in a Flask route,
`{id:int}` in Starlette's, an `int`/`UUID`/`date` annotation in FastAPI) cannot carry text and is
safe; one filled by dependency injection (`Depends(...)`) is not request data.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

from hooks.engine.lazy import cst

from hooks.engine.bindings import ScopeBindings, dotted
from hooks.engine.trust import Origin, Trust

ROUTE_METHODS = frozenset(
    {
        "route", "get", "post", "put", "patch", "delete", "head", "options", "api_route",
        "websocket", "websocket_route", "view_functions",
    }
)  # fmt: skip
# defaults that mean "the framework computes this", not "the client sends this"
INJECTED_DEFAULTS = frozenset({"Depends", "Security", "Inject", "Provide", "Provider"})
# annotations of objects the framework hands in (a `request: Request` is a request object)
INJECTED_TYPES = frozenset(
    {"Request", "Response", "WebSocket", "BackgroundTasks", "SecurityScopes", "HTTPConnection"}
)
# annotations the framework validates into values that cannot carry text
CONVERTED_TYPES = frozenset(
    {
        "int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "time", "timedelta",
        "Decimal", "PositiveInt", "NegativeInt", "conint", "confloat", "StrictInt",
        "StrictBool", "StrictFloat",
    }
)  # fmt: skip
# Flask/Werkzeug `<int:id>` and Starlette `{id:int}` converters that yield no text
CONVERTED_ROUTE = re.compile(
    r"<(?:int|float|uuid)(?:\([^)]*\))?:(\w+)>|\{(\w+):(?:int|float|uuid)\}"
)
SKIPPED = frozenset({"self", "cls"})
STR_METHODS = frozenset(name for name in dir(str) if not name.startswith("_"))
DJANGO_VIEW_MODULES = ("django.http", "django.shortcuts", "django.views", "rest_framework", "ninja")
VIEW_METHODS = frozenset(
    {
        "get", "post", "put", "patch", "delete", "head", "options", "dispatch", "list",
        "create", "retrieve", "update", "partial_update", "destroy",
    }
)  # fmt: skip
REQUEST_NAMES = frozenset({"request", "req"})


def route_path(function: cst.FunctionDef) -> Optional[str]:
    """The path of a route decorator (`@app.get("/items/{id}")`), None when there is none."""
    for decorator in function.decorators:
        call = decorator.decorator
        if not isinstance(call, cst.Call) or not call.args:
            continue
        func = call.func
        method = func.attr.value if isinstance(func, cst.Attribute) else dotted(func)
        if method not in ROUTE_METHODS:
            continue
        first = call.args[0].value
        if isinstance(first, cst.SimpleString):
            text = first.evaluated_value
            if isinstance(text, str) and (text == "" or text.startswith("/")):
                return text
    return None


def _params(function: cst.FunctionDef) -> Sequence[cst.Param]:
    params = function.params
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return found


def _annotation(param: cst.Param) -> str:
    if param.annotation is None:
        return ""
    node = param.annotation.annotation
    if isinstance(node, cst.Subscript):  # Optional[int], Annotated[int, Query()]
        inner = node.slice[0].slice if node.slice else None
        if isinstance(inner, cst.Index):
            node = inner.value
    return dotted(node)


def _injected(param: cst.Param) -> bool:
    default = param.default
    if isinstance(default, cst.Call) and dotted(default.func).split(".")[-1] in INJECTED_DEFAULTS:
        return True
    annotation = param.annotation.annotation if param.annotation is not None else None
    if isinstance(annotation, cst.Subscript):  # Annotated[Session, Depends(get_db)]
        for element in annotation.slice:
            value = element.slice.value if isinstance(element.slice, cst.Index) else None
            if isinstance(value, cst.Call) and dotted(value.func).split(".")[-1] in (
                INJECTED_DEFAULTS
            ):
                return True
    return _annotation(param).split(".")[-1] in INJECTED_TYPES


def _imports_django_views(module: ScopeBindings) -> bool:
    """Does the module import from Django's (or DRF's) views, responses or shortcuts?"""
    if "django views" not in module.facts:
        found = False
        for statement in getattr(module.node, "body", ()):
            for small in (
                getattr(statement, "body", ())
                if isinstance(statement, cst.SimpleStatementLine)
                else ()
            ):
                names = (
                    [dotted(a.name) for a in small.names] if isinstance(small, cst.Import) else []
                )
                if isinstance(small, cst.ImportFrom) and small.module is not None:
                    names = [dotted(small.module)]
                found = found or any(n.startswith(DJANGO_VIEW_MODULES) for n in names)
        module.facts["django views"] = found
    return module.facts["django views"]


def _django_kwargs(scopes: Sequence[ScopeBindings]) -> Sequence[cst.Param]:
    """A Django view's URL keyword arguments: the parameters after `request` with no default."""
    function = scopes[-1].node
    assert isinstance(function, cst.FunctionDef)
    params = [p for p in _params(function) if p.name.value not in SKIPPED]
    if not params or params[0].name.value != "request":
        return ()
    in_class = len(scopes) > 1 and scopes[-2].is_class
    if in_class and function.name.value not in VIEW_METHODS:
        return ()
    if not in_class and not _imports_django_views(scopes[0]):
        return ()
    return [p for p in params[1:] if p.default is None and not _object(scopes[-1], p.name.value)]


def _object(scope: ScopeBindings, name: str) -> bool:
    """Is `name` used as an object (`page.content`), not as the text a URL holds? Then the
    function is a helper a view calls with what it looked up (Django's `render_flatpage(request,
    f)`), not a view."""
    key = f"object {name}"
    if key not in scope.facts:
        found = False
        stack: List[cst.CSTNode] = [scope.node]
        while stack and not found:
            node = stack.pop()
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
                found = node.value.value == name and node.attr.value not in STR_METHODS
            stack.extend(node.children)
        scope.facts[key] = found
    return scope.facts[key]


def view_parameter(scopes: Sequence[ScopeBindings], name: str) -> Optional[Origin]:
    """The origin of parameter `name` of the function `scopes[-1]` when that is a web view,
    else None."""
    function = scopes[-1].node
    if name in SKIPPED or name in REQUEST_NAMES or not isinstance(function, cst.FunctionDef):
        return None
    route = route_path(function)
    if route is not None:
        candidates: Sequence[cst.Param] = [p for p in _params(function) if not _injected(p)]
        in_path = re.search(r"[<{](?:\w+(?:\([^)]*\))?:)?" + re.escape(name) + r"\b", route)
        where = "the URL" if in_path else "the request"
    else:
        candidates, where = _django_kwargs(scopes), "the URL"
    param = next((p for p in candidates if p.name.value == name), None)
    if param is None:
        return None
    converted = route is not None and any(
        name in m.groups() for m in CONVERTED_ROUTE.finditer(route)
    )
    if converted or _annotation(param) in CONVERTED_TYPES:
        return Origin(Trust.SAFE)
    source = f"{where} (a parameter of the view `{function.name.value}`)"
    return Origin(Trust.UNTRUSTED, source, param.name, remote=True)
