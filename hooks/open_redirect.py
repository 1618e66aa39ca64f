"""open-redirect: a redirect whose target comes from web request data.

**What it finds.** DW131: a value from the request (a `next` / `return_to` query parameter, a
form field, the `Referer` header, a view's URL parameter) that reaches the target of
`flask.redirect` / `werkzeug.utils.redirect` / Quart's and Bottle's `redirect`, Django's
`redirect`, `HttpResponseRedirect` and `HttpResponsePermanentRedirect`, Starlette's and FastAPI's
`RedirectResponse`, or aiohttp's `HTTPFound` / `HTTPSeeOther` / `HTTPMovedPermanently` /
`HTTPTemporaryRedirect` / `HTTPPermanentRedirect`. Helpers of the same module are followed one
level, as in path-traversal.

**Why it matters in assistant-written code.** "Send the user back where they came from after
login" becomes `return redirect(request.args.get("next", "/"))`: a link to your login page with
`?next=https://evil.example` now lands your users, freshly signed in, on a look-alike site that
asks for their password again.

**Severity.** Medium.

**Bad**

```python
next_url = request.args.get("next", "/")
return redirect(next_url)
```

**Good**

```python
next_url = request.args.get("next", "/")
if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
    next_url = "/"
return redirect(next_url)
```

**Not flagged.** Targets whose start fixes the host: a literal path (`"/search?q=" + q`,
`f"/items/{slug}"`), a literal `https://host/` prefix, or the app's own URL (`url_for(...)`,
`reverse(...)`) with request data after it. Targets checked before the redirect with
`url_has_allowed_host_and_scheme` / `is_safe_url`, `.startswith(...)`, membership of the value or
of its `urlparse(...).netloc` in an allowlist, a comparison with a constant, or a function named
like a check. The request's own URL (`request.url`, `request.path`, `request.full_path`,
`request.get_full_path()`), used to reload the same page. Values cleaned by `int()` / `uuid.UUID()`.

**Fix.** None automatic. Check the target with `url_has_allowed_host_and_scheme` (Django) or
compare `urlparse(target).netloc` with your own host, and fall back to a fixed page.

**References.** CWE-601 (open redirect); no bandit or ruff counterpart (a data-flow check).
"""

from __future__ import annotations

from typing import Iterable, Tuple

from hooks._webflow import FlowRule, fixed_start
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Severity
from hooks.engine.trust import Origin

AIOHTTP_REDIRECTS = (
    "HTTPFound", "HTTPSeeOther", "HTTPMovedPermanently", "HTTPTemporaryRedirect",
    "HTTPPermanentRedirect",
)  # fmt: skip
# redirect -> (position, keyword) of its target
REDIRECTS = {
    "flask.redirect": (0, "location"),
    "werkzeug.utils.redirect": (0, "location"),
    "quart.redirect": (0, "location"),
    "bottle.redirect": (0, "url"),
    "django.shortcuts.redirect": (0, "to"),
    **{
        f"django.http{module}.{name}": (0, "redirect_to")
        for module in ("", ".response")
        for name in ("HttpResponseRedirect", "HttpResponsePermanentRedirect")
    },
    "starlette.responses.RedirectResponse": (0, "url"),
    "fastapi.responses.RedirectResponse": (0, "url"),
    **{f"aiohttp.web.{name}": (0, "location") for name in AIOHTTP_REDIRECTS},
}
# the request's own address: redirecting to it reloads the page
OWN_ADDRESS = frozenset(
    {
        "url", "path", "full_path", "base_url", "url_root", "host_url", "script_root",
        "path_info", "get_full_path", "build_absolute_uri", "rel_url",
    }
)  # fmt: skip
REDIRECT_NAMES = frozenset(name.rsplit(".", 1)[1] for name in REDIRECTS)


class OpenRedirect(FlowRule):
    code = "DW131"
    name = "open-redirect"
    summary = "A redirect sends the browser to an address taken from web request data."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (601,)
    message = "{sink} redirects to an address from request data: a link can send users anywhere"
    hint = "check it with url_has_allowed_host_and_scheme() or against your host; else use '/'"
    sink = "redirect"
    examples = (
        Bad(
            "from flask import Flask, redirect, request\n"
            "from flask_login import login_user\n"
            "\n"
            "app = Flask(__name__)\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    login_user(check(request.form['user'], request.form['password']))\n"
            "    next_url = request.args.get('next', '/')\n"
            "    return redirect(next_url)\n",
            ((10, 12),),
            why="the classic `next` parameter",
        ),
        Bad(
            "from django.http import HttpResponseRedirect\n"
            "\n"
            "def switch_language(request):\n"
            "    response = HttpResponseRedirect(request.META.get('HTTP_REFERER', '/'))\n"
            "    response.set_cookie('lang', request.POST['lang'])\n"
            "    return response\n",
            ((4, 16),),
            why="the Referer header is the client's to choose",
        ),
        Bad(
            "from fastapi import FastAPI\n"
            "from fastapi.responses import RedirectResponse\n"
            "\n"
            "app = FastAPI()\n"
            "\n"
            "@app.get('/out')\n"
            "def outbound(target: str):\n"
            "    return RedirectResponse(url=target)\n",
            ((8, 12),),
            why="a FastAPI query parameter",
        ),
        Bad(
            "from django.shortcuts import redirect\n"
            "\n"
            "def done(request):\n"
            "    host = request.GET['host']\n"
            "    return redirect(f'https://{host}/welcome')\n",
            ((5, 12),),
            why="the host itself is built from the request",
        ),
        Bad(
            "from aiohttp import web\n"
            "\n"
            "async def callback(request):\n"
            "    raise web.HTTPFound(request.query['return_to'])\n",
            ((4, 11),),
            why="aiohttp",
        ),
        Bad(
            "from django.shortcuts import redirect\n"
            "from django.utils.http import url_has_allowed_host_and_scheme\n"
            "\n"
            "def after_login(request):\n"
            "    next_url = request.GET.get('next', '/')\n"
            "    response = redirect(next_url)\n"
            "    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):\n"
            "        log.warning('odd next url %r', next_url)\n"
            "    return response\n",
            ((6, 16),),
            why="the check comes after the redirect is made, and only logs",
        ),
        Ok(
            "from django.shortcuts import redirect\n"
            "from django.utils.http import url_has_allowed_host_and_scheme\n"
            "\n"
            "def login_done(request):\n"
            "    next_url = request.POST.get('next', '/')\n"
            "    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):\n"
            "        next_url = '/'\n"
            "    return redirect(next_url)\n",
            why="checked with Django's helper",
        ),
        Ok(
            "from urllib.parse import urlparse\n"
            "from flask import redirect, request\n"
            "\n"
            "ALLOWED = {'shop.example.com', 'help.example.com'}\n"
            "\n"
            "@app.route('/go')\n"
            "def go():\n"
            "    target = request.args['to']\n"
            "    if urlparse(target).netloc not in ALLOWED:\n"
            "        return redirect('/')\n"
            "    return redirect(target)\n",
            why="the host is checked against an allowlist",
        ),
        Ok(
            "from flask import redirect, request, url_for\n"
            "\n"
            "@app.route('/find')\n"
            "def find():\n"
            "    q = request.args['q']\n"
            "    redirect('/search?q=' + q)\n"
            "    return redirect(url_for('results') + '?q=' + q)\n",
            why="a fixed path or the app's own URL in front",
        ),
        Ok(
            "from django.shortcuts import redirect\n"
            "\n"
            "def article(request, slug):\n"
            "    return redirect(f'/articles/{slug}/')\n",
            why="a literal path in front",
        ),
        Ok(
            "from flask import redirect, request\n"
            "\n"
            "@app.post('/cart')\n"
            "def cart():\n"
            "    add(request.form['item'])\n"
            "    return redirect(request.url)\n",
            why="the request's own URL: reload the page",
        ),
        Ok(
            "from django.shortcuts import redirect\n"
            "\n"
            "def legacy(request):\n"
            "    return redirect('orders:detail', pk=int(request.GET['id']))\n",
            why="a URL name; the request value is a keyword and an int",
        ),
        Ok(
            "from flask import redirect\n\ndef bounce(url):\n    return redirect(url)\n",
            why="a plain function parameter, not a view's",
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "@app.route('/proxy')\n"
            "def proxy():\n"
            "    return browser.redirect(request.args['next'])\n",
            why="a method of an unknown object",
        ),
    )

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        func = call.func
        last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if last not in REDIRECT_NAMES:
            return
        qualified = self.ctx.resolve(func)
        if qualified in REDIRECTS:
            position, keyword = REDIRECTS[qualified]
            arg = self.ctx.argument(call, position, keyword)
            if arg is not None:
                yield qualified, arg.value

    def quiet(self, value: cst.BaseExpression, found: Origin) -> bool:
        attribute = found.source.strip("`").rsplit(".", 1)[-1]
        own = found.source.startswith(("`request.", "`self.request.")) and attribute in OWN_ADDRESS
        return own or fixed_start(self.ctx, value)
