"""insecure-cookie: session cookies without `Secure` and `HttpOnly`, and sessions that take the
client's word for who it is.

**What it finds.** DW137: `set_cookie` / `set_signed_cookie` (Flask, Werkzeug, Django,
Starlette, FastAPI, aiohttp: the method is matched by name) for a cookie whose literal name reads
like a session or a credential (`session`, `sid`, `token`, `auth`, `jwt`, `remember`, `login`,
`access`, `refresh`, `api_key`) without `secure=True` or without `httponly=True`. DW138 (trust
boundary): request data stored under an identity or privilege key of the session (`user`,
`user_id`, `role`, `is_admin`, `permissions`, `tenant`, ...) of Flask/Quart (`session[...]`) or
Django (`request.session[...]`), with no credential check of that value before it.

**Why it matters in assistant-written code.** `resp.set_cookie("session_token", token)` works in
every demo. Without `Secure` the browser also sends it over plain HTTP, where anyone on the
network reads it; without `HttpOnly` any injected script reads it. And `session["user_id"] =
request.form["user_id"]` "remembers the user" by letting the user say who they are.

**Severity.** DW137 medium, DW138 high.

**Bad**

```python
resp.set_cookie("session_token", token)
session["user_id"] = request.form["user_id"]
```

**Good**

```python
resp.set_cookie("session_token", token, secure=True, httponly=True, samesite="Lax")
user = authenticate(request.form["username"], request.form["password"])
session["user_id"] = user.id
```

**Not flagged.** DW137: cookies with other names (`theme`, `lang`), CSRF cookies (scripts must
read them), flags given as computed values (`secure=app.config["SECURE"]`) or through
`**options`, and deletions. Project-wide settings (`SESSION_COOKIE_SECURE = False`) are
DW903's (django-settings).
DW138: values the server computed (a user looked up in the database), values checked in the
function by a call named like a credential check (`check_password(username, ...)`,
`authenticate(...)`, `verify_...`) or against an allowlist, and keys that are not about identity
(`cart`, `theme`).

**Fix.** None automatic. Pass `secure=True, httponly=True` (and `samesite`); set the session's
identity only from what a credential check returned.

**References.** CWE-614 (sensitive cookie without Secure), CWE-1004 (without HttpOnly), CWE-501
(trust boundary violation); bandit and ruff have no counterpart.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional, Tuple

from hooks._paths import string_value
from hooks._webflow import FlowRule
from hooks.engine.bindings import dotted
from hooks.engine.lazy import cst
from hooks.engine.tree import spreads_keywords
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity
from hooks.engine.lazyre import lazy_re

COOKIE_METHODS = frozenset({"set_cookie", "set_signed_cookie"})
SESSION_COOKIE = lazy_re(
    r"sess|(?:^|_)sid$|token|auth|jwt|remember|login|access|refresh|api_?key", re.IGNORECASE
)
FLAGS = ("secure", "httponly")
SESSIONS = frozenset({"flask.session", "quart.session"})
IDENTITY_KEY = lazy_re(
    r"user|uid|role|admin|staff|superuser|perm|privilege|group|tenant|account|owner|logged|auth",
    re.IGNORECASE,
)


class InsecureCookie(Rule):
    code = "DW137"
    name = "insecure-cookie"
    summary = "A session or credential cookie is set without the Secure or HttpOnly flag."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (614, 1004)
    message = "cookie `{cookie}` is set without {missing}: {why}"
    hint = "pass secure=True, httponly=True (and samesite='Lax')"
    triggers = tuple(sorted(COOKIE_METHODS))
    examples = (
        Bad(
            "from flask import make_response\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    resp = make_response(redirect('/'))\n"
            "    resp.set_cookie('session_token', new_token())\n"
            "    return resp\n",
            ((6, 5),),
            why="neither flag",
        ),
        Bad(
            "def login_view(request):\n"
            "    response = redirect('home')\n"
            "    response.set_cookie('auth', token, max_age=3600, httponly=True)\n"
            "    return response\n",
            ((3, 5),),
            why="Django, httponly but not secure",
        ),
        Bad(
            "from fastapi import Response\n"
            "\n"
            "@app.post('/token')\n"
            "def token(response: Response):\n"
            "    response.set_cookie(key='access_token', value=make_jwt(), secure=True)\n",
            ((5, 5),),
            why="FastAPI, secure but readable by scripts",
        ),
        Bad(
            "async def remember(request):\n"
            "    resp = web.Response(text='ok')\n"
            "    resp.set_cookie('remember_me', '1', secure=False, httponly=False)\n"
            "    return resp\n",
            ((3, 5),),
            why="flags switched off explicitly",
        ),
        Ok(
            "def login_view(request):\n"
            "    response = redirect('home')\n"
            "    response.set_cookie('sessionid', key, secure=True, httponly=True,"
            " samesite='Lax')\n"
            "    return response\n",
        ),
        Ok(
            "def prefs(request):\n"
            "    response = render(request, 'prefs.html')\n"
            "    response.set_cookie('theme', request.POST['theme'])\n"
            "    return response\n",
            why="not a session cookie",
        ),
        Ok(
            "def csrf(response, token):\n"
            "    response.set_cookie('csrftoken', token, secure=True)\n",
            why="a CSRF cookie must be readable by scripts",
        ),
        Ok(
            "def login(resp, token):\n"
            "    resp.set_cookie('session', token, secure=SECURE, httponly=True)\n"
            "    resp.set_cookie('auth', token, **COOKIE_OPTIONS)\n",
            why="computed flags and options",
        ),
        Ok(
            "def logout(resp):\n    resp.delete_cookie('session')\n",
            why="a deletion",
        ),
        Ok(
            "def doc():\n    return 'call set_cookie(\"session\", token) with secure=True'\n",
            why="text in a string",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in COOKIE_METHODS:
            return
        if spreads_keywords(node):
            return
        key = self.ctx.argument(node, 0, "key") or self.ctx.argument(node, None, "name")
        cookie = string_value(key.value) if key is not None else None
        if cookie is None or "csrf" in cookie.lower() or not SESSION_COOKIE.search(cookie):
            return
        missing = [f for f in FLAGS if self._off(node, f)]
        if not missing:
            return
        why = {
            "secure": "it also travels over plain HTTP",
            "httponly": "scripts on the page can read it",
        }
        self.report(
            node,
            cookie=cookie,
            missing=" and ".join(f"{flag}=True" for flag in missing),
            why="; ".join(why[flag] for flag in missing),
        )

    def _off(self, call: cst.Call, flag: str) -> bool:
        arg = self.ctx.argument(call, None, flag)
        return arg is None or self.ctx.truthy_constant(arg) is False


class SessionFromRequest(FlowRule):
    code = "DW138"
    name = "session-from-request"
    summary = "Request data is stored as the session's identity or privileges without a check."
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    cwe = (501,)
    message = "{sink} is set from request data: the client decides who it is"
    hint = "set identity and privileges only from what a credential check returned"
    sink = "session"
    examples = (
        Bad(
            "from flask import request, session, redirect\n"
            "\n"
            "@app.post('/select-account')\n"
            "def select_account():\n"
            "    session['user_id'] = request.form['user_id']\n"
            "    return redirect('/')\n",
            ((5, 5),),
        ),
        Bad(
            "def become(request):\n"
            "    role = request.GET.get('role', 'viewer')\n"
            "    request.session['role'] = role\n",
            ((3, 5),),
            why="Django's request.session",
        ),
        Bad(
            "from flask import request, session\n"
            "\n"
            "@app.route('/admin-mode')\n"
            "def admin_mode():\n"
            "    session['is_admin'] = request.args.get('admin') or False\n",
            ((5, 5),),
        ),
        Bad(
            "from quart import request, session\n"
            "\n"
            "@app.post('/tenant')\n"
            "async def tenant():\n"
            "    form = await request.form\n"
            "    session['tenant'] = form['tenant']\n",
            ((6, 5),),
            why="Quart, an awaited form",
        ),
        Ok(
            "from flask import request, session\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    user = User.query.filter_by(email=request.form['email']).first()\n"
            "    if user and user.check_password(request.form['password']):\n"
            "        session['user_id'] = user.id\n",
            why="the id comes from the database",
        ),
        Ok(
            "from flask import request, session\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    username = request.form['username']\n"
            "    if check_password(username, request.form['password']):\n"
            "        session['username'] = username\n",
            why="a credential check of that very value",
        ),
        Ok(
            "from flask import request, session\n"
            "\n"
            "@app.post('/cart')\n"
            "def cart():\n"
            "    session['cart'] = request.form.getlist('item')\n",
            why="not identity",
        ),
        Ok(
            "def set_language(request):\n"
            "    request.session['django_language'] = request.POST['language']\n",
            why="not identity",
        ),
        Ok(
            "from flask import session\n"
            "\n"
            "def remember(user_id):\n"
            "    session['user_id'] = user_id\n",
            why="a plain parameter",
        ),
        Ok(
            "ROLES = {'viewer', 'editor'}\n"
            "\n"
            "def pick(request):\n"
            "    role = request.POST['role']\n"
            "    if role in ROLES:\n"
            "        request.session['role'] = role\n",
            why="an allowlist of roles the user may take",
        ),
    )

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        return ()  # the sink is an assignment, not a call

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            label = self._session_key(target.target)
            if label is None:
                continue
            found = self.untrusted(node.value)
            if found is not None:
                self.report(target.target, value=(node.value, found), sink=label)
                return

    def _session_key(self, target: cst.BaseExpression) -> Optional[str]:
        """ "`session['user_id']`" for an identity key of a session, None otherwise."""
        if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
            return None
        index = target.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        if key is None or not IDENTITY_KEY.search(key):
            return None
        owner = target.value
        text = dotted(owner)
        if self.ctx.resolve(owner) in SESSIONS or text in (
            "request.session",
            "self.request.session",
        ):
            return f"`{text}[{key!r}]`"
        return None
