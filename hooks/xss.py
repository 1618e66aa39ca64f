"""xss: web request data written into an HTML response without escaping.

**What it finds.** DW133: a value from the request that reaches, unescaped, the body of an HTML
response: Django's `HttpResponse`, Flask's `make_response` and `Response` / Werkzeug's `Response`
(all HTML unless told otherwise), Starlette's and FastAPI's `HTMLResponse`, aiohttp's `Response`
with an HTML `content_type`; or HTML text (a string with `<` built by an f-string, `%`, `+`,
`.format` or `.join`) returned from a Flask, Quart or Bottle view, which those frameworks send as
HTML, or from a FastAPI route declared with `response_class=HTMLResponse`. Helpers of the same
module are followed one level. `Markup(...)` and `mark_safe(...)` of a computed value are DW122
(template-injection), whose message names the request source too.

**Why it matters in assistant-written code.** A quick endpoint "that echoes the search term"
is `return f"<h1>Results for {q}</h1>"`: no template, so no autoescaping, and
`?q=<script>...</script>` runs in the visitor's session, with their cookies and their rights.

**Severity.** High.

**Bad**

```python
@app.route("/search")
def search():
    q = request.args.get("q", "")
    return f"<h1>Results for {q}</h1>"
```

**Good**

```python
@app.route("/search")
def search():
    return render_template("search.html", q=request.args.get("q", ""))
```

**Not flagged.** Values escaped for HTML (`markupsafe.escape`, `html.escape`, Django's `escape` /
`conditional_escape` / `format_html`, `bleach.clean`, `nh3.clean`) or rendered by a template
(`render_template`, `render`, `render_to_string`); numbers (`int()`, a typed parameter); values
checked against an allowlist or a constant. Responses of another type (`content_type=
"application/json"`, `mimetype="text/plain"`, `JsonResponse`, `PlainTextResponse`), and a computed
content type (it may not be HTML). Strings returned from a view without `<` in their literal text
(plain text, JSON), and strings returned from other FastAPI and Starlette views (sent as
JSON). Request attributes the server fills (`request.user`).

**Fix.** None automatic. Render a template (which escapes), or escape each value with
`markupsafe.escape` / `html.escape` / `format_html` before it joins the markup.

**References.** CWE-79 (cross-site scripting); no bandit or ruff counterpart (a data-flow check).
"""

from __future__ import annotations

from typing import Iterable, Optional, Tuple

from hooks._paths import string_value
from hooks._webflow import FlowRule, innermost_function, string_start
from hooks.engine.bindings import Kind, dotted
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, Severity
from hooks.engine.web import route_path

# response -> (position, keyword) of its body, and whether it is HTML when no type is given
RESPONSES = {
    **{f"django.http{module}.HttpResponse": (0, "content", True) for module in ("", ".response")},
    "flask.make_response": (0, "", True),
    "flask.Response": (0, "response", True),
    "werkzeug.wrappers.Response": (0, "response", True),
    "werkzeug.Response": (0, "response", True),
    "starlette.responses.HTMLResponse": (0, "content", True),
    "fastapi.responses.HTMLResponse": (0, "content", True),
    "aiohttp.web.Response": (None, "text", False),
}
TYPE_KEYWORDS = ("content_type", "mimetype", "media_type")
RESPONSE_NAMES = frozenset(name.rsplit(".", 1)[1] for name in RESPONSES)
# frameworks that send a string returned from a view as HTML; the others send JSON
HTML_VIEW_FRAMEWORKS = frozenset({"flask", "quart", "bottle"})
JSON_VIEW_FRAMEWORKS = frozenset({"fastapi", "starlette", "ninja", "rest_framework"})


class Xss(FlowRule):
    code = "DW133"
    name = "xss"
    summary = "Web request data is written into an HTML response without escaping."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (79,)
    message = "{sink} sends request data as HTML unescaped: markup in it runs in the browser"
    hint = "render a template, or escape the value (markupsafe.escape, html.escape, format_html)"
    sink = "html"
    examples = (
        Bad(
            "from flask import Flask, request\n"
            "\n"
            "app = Flask(__name__)\n"
            "\n"
            "@app.route('/search')\n"
            "def search():\n"
            "    q = request.args.get('q', '')\n"
            "    return f'<h1>Results for {q}</h1>'\n",
            ((8, 5),),
            why="an f-string of HTML returned from a Flask view",
        ),
        Bad(
            "from django.http import HttpResponse\n"
            "\n"
            "def greet(request):\n"
            "    name = request.GET.get('name', 'friend')\n"
            "    return HttpResponse('<p>Hello, %s!</p>' % name)\n",
            ((5, 12),),
            why="Django's HttpResponse is HTML by default",
        ),
        Bad(
            "from fastapi import FastAPI\n"
            "from fastapi.responses import HTMLResponse\n"
            "\n"
            "app = FastAPI()\n"
            "\n"
            "@app.get('/hello/{name}')\n"
            "def hello(name: str):\n"
            "    return HTMLResponse(content=f'<html><body>Hi {name}</body></html>')\n",
            ((8, 12),),
            why="a FastAPI path parameter in an HTMLResponse",
        ),
        Bad(
            "from flask import make_response, request\n"
            "\n"
            "@bp.route('/error')\n"
            "def error():\n"
            "    message = request.args['msg']\n"
            "    resp = make_response('<div class=\"error\">' + message + '</div>', 400)\n"
            "    return resp\n",
            ((6, 12),),
        ),
        Bad(
            "from aiohttp import web\n"
            "\n"
            "async def page(request):\n"
            "    title = request.query.get('title', '')\n"
            "    html = '<title>{}</title>'.format(title)\n"
            "    return web.Response(text=html, content_type='text/html')\n",
            ((6, 12),),
            why="aiohttp with an HTML content type",
        ),
        Bad(
            "import json\n"
            "from django.http import HttpResponse\n"
            "\n"
            "def comment(request, post_id):\n"
            "    body = request.POST['body']\n"
            "    return HttpResponse(f'<li>{json.dumps(body)}</li>')\n",
            ((6, 12),),
            why="json.dumps does not escape `<`",
        ),
        Bad(
            "from fastapi import FastAPI\n"
            "from fastapi.responses import HTMLResponse\n"
            "\n"
            "app = FastAPI()\n"
            "\n"
            "@app.get('/welcome', response_class=HTMLResponse)\n"
            "async def welcome(name: str = 'guest'):\n"
            "    return f'<h1>Welcome, {name}</h1>'\n",
            ((8, 5),),
            why="a FastAPI route that declares its response HTML",
        ),
        Ok(
            "from flask import request\n"
            "from markupsafe import escape\n"
            "\n"
            "@app.route('/search')\n"
            "def search():\n"
            "    q = request.args.get('q', '')\n"
            "    return f'<h1>Results for {escape(q)}</h1>'\n",
            why="escaped",
        ),
        Ok(
            "from django.http import HttpResponse\n"
            "from django.utils.html import format_html\n"
            "\n"
            "def greet(request):\n"
            "    return HttpResponse(format_html('<p>Hello, {}!</p>', request.GET['name']))\n",
            why="format_html escapes its arguments",
        ),
        Ok(
            "from flask import render_template, request\n"
            "\n"
            "@app.route('/profile')\n"
            "def profile():\n"
            "    return render_template('profile.html', name=request.args['name'])\n",
            why="a template escapes what it renders",
        ),
        Ok(
            "from django.http import HttpResponse\n"
            "\n"
            "def export(request):\n"
            "    rows = request.GET['rows']\n"
            "    return HttpResponse(rows, content_type='text/csv')\n",
            why="not HTML",
        ),
        Ok(
            "from fastapi import FastAPI\n"
            "\n"
            "app = FastAPI()\n"
            "\n"
            "@app.get('/echo')\n"
            "def echo(text: str):\n"
            "    return f'<b>{text}</b>'\n",
            why="FastAPI sends a returned string as JSON",
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "@app.route('/ping')\n"
            "def ping():\n"
            "    return f\"pong {request.args.get('n', '')}\"\n",
            why="no markup in the text: plain text",
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "@app.route('/page/<int:number>')\n"
            "def page(number):\n"
            "    size = int(request.args.get('size', 20))\n"
            "    return f'<p>Page {number}, {size} per page</p>'\n",
            why="numbers cannot carry markup",
        ),
        Ok(
            "from django.http import HttpResponse\n"
            "\n"
            "def render_page(request, page):\n"
            "    return HttpResponse(f'<article>{page.body}</article>')\n",
            why="`page` is used as an object: a helper views call with a model, no URL text",
        ),
        Ok(
            "from django.http import HttpResponse\n"
            "\n"
            "def whoami(request):\n"
            "    return HttpResponse(f'<p>{request.user.get_full_name()}</p>')\n",
            why="request.user is the server's",
        ),
        Ok(
            "def render_row(cells):\n"
            "    return '<tr>' + ''.join(f'<td>{c}</td>' for c in cells) + '</tr>'\n",
            why="not a view",
        ),
    )

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        func = call.func
        last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if last not in RESPONSE_NAMES:
            return
        qualified = self.ctx.resolve(func)
        if qualified not in RESPONSES:
            return
        position, keyword, html_by_default = RESPONSES[qualified]
        declared = self._declared_type(call)
        if declared is None:
            return  # a computed type may not be HTML
        if "html" not in declared and (declared or not html_by_default):
            return
        arg = self.ctx.argument(call, position, keyword)
        if arg is not None:
            yield qualified, arg.value

    def _declared_type(self, call: cst.Call) -> Optional[str]:
        """The literal content type given to the response ('' when none, None if computed)."""
        for keyword in TYPE_KEYWORDS:
            arg = self.ctx.argument(call, None, keyword)
            if arg is not None:
                text = string_value(arg.value)
                return text.lower() if text is not None else None
        for arg in call.args:  # make_response(body, status, {"Content-Type": ...})
            if isinstance(arg.value, cst.Dict):
                for element in arg.value.elements:
                    key = (
                        string_value(element.key) if isinstance(element, cst.DictElement) else None
                    )
                    if key is not None and key.lower() == "content-type":
                        text = string_value(element.value)
                        return text.lower() if text is not None else None
        return ""

    def visit_Return(self, node: cst.Return) -> None:
        value = node.value
        if value is None or not self._html_text(value, 0):
            return
        function = innermost_function(self.ctx)
        if function is None or not self._html_view(function):
            return
        found = self.untrusted(value)
        if found is not None:
            self.report(node, value=(value, found), sink=f"the view `{function.name.value}`")

    def _html_text(self, node: cst.BaseExpression, depth: int) -> bool:
        """A string built with markup in its literal text (or a name bound only to one)."""
        if isinstance(node, cst.Name) and depth < 3:
            bindings, _ = lookup(node.value, self.ctx.scopes)
            values = [b.value for b in bindings or () if b.kind in (Kind.ASSIGN, Kind.AUGMENT)]
            return any(v is not None and self._html_text(v, depth + 1) for v in values)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if node.func.attr.value == "join":
                return self._html_text(node.func.value, depth) or any(
                    "<" in (string_start(a.value) or "") for a in node.args
                )
        if isinstance(node, cst.BinaryOperation):
            if self._html_text(node.right, depth):
                return True
        if isinstance(node, cst.FormattedString):
            return any(
                isinstance(p, cst.FormattedStringText) and "<" in p.value for p in node.parts
            )
        return "<" in (string_start(node) or "")

    def _html_view(self, function: cst.FunctionDef) -> bool:
        """A routed view whose returned string is sent as HTML: a Flask, Quart or Bottle view
        (in a module that imports one of them, and not FastAPI or Starlette, which send JSON),
        or a FastAPI route declared with `response_class=HTMLResponse`."""
        if route_path(function) is None or not self.ctx.scopes:
            return False
        for decorator in function.decorators:
            call = decorator.decorator
            arg = (
                self.ctx.argument(call, None, "response_class")
                if isinstance(call, cst.Call)
                else None
            )
            if arg is not None and dotted(arg.value).endswith("HTMLResponse"):
                return True
        imported = self.imported()
        return bool(imported & HTML_VIEW_FRAMEWORKS) and not imported & JSON_VIEW_FRAMEWORKS
