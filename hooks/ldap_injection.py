"""ldap-injection: LDAP search filters and names built from web request data.

**What it finds.** DW134: a value from the request spliced into the filter of an LDAP search
(python-ldap's `search`, `search_s`, `search_st`, `search_ext`, `search_ext_s`; ldap3's
`Connection.search`) or into its base DN. The methods are matched by name on any object (LDAP
connections are rarely resolvable), and the argument must read like LDAP: a filter's literal text
holds `(` and `=`, a DN's holds `=` and `,`. Helpers of the same module are followed one level.

**Why it matters in assistant-written code.** A login or lookup view against a directory is
written as `conn.search_s(BASE, SCOPE, f"(uid={username})")`. A user name of `*)(uid=*))(|(uid=*`
turns the filter into one that matches everyone, so a password check against "the" result
signs in as the first account in the directory.

**Severity.** High.

**Bad**

```python
username = request.form["username"]
conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(uid={username})")
```

**Good**

```python
username = escape_filter_chars(request.form["username"])
conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(uid={username})")
```

**Not flagged.** Values escaped for LDAP (`ldap.filter.escape_filter_chars`,
`ldap3.utils.conv.escape_filter_chars`, `ldap.dn.escape_dn_chars`, `ldap3.utils.dn.escape_rdn`),
numbers, values checked against an allowlist, a pattern (`re.fullmatch`) or `.isalnum()`; filters
from `ldap.filter.filter_format` (it escapes its arguments: the value is not spliced into the
text we see); searches whose arguments do not read like LDAP (`re.search(pattern, text)`,
`index.search(query)`). Values from the command line, the environment or plain parameters.

**Fix.** None automatic. Escape every value with `escape_filter_chars` (or build the filter with
`ldap.filter.filter_format`), and DN parts with `escape_dn_chars`.

**References.** CWE-90 (LDAP injection); no bandit or ruff counterpart (a data-flow check).
"""

from __future__ import annotations

from typing import Iterable, Tuple

from hooks._webflow import FlowRule, literal_text
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Severity

# method -> ((position, keyword), ...) of the base DN and of the filter; python-ldap puts the
# filter third, ldap3 second
SEARCH_METHODS = {
    **{
        name: ((0, "base"), (2, "filterstr"))
        for name in ("search_s", "search_st", "search_ext", "search_ext_s")
    },
    "search": ((0, "search_base"), (1, "search_filter"), (2, "filterstr")),
}


class LdapInjection(FlowRule):
    code = "DW134"
    name = "ldap-injection"
    summary = "An LDAP search filter or base DN is built from web request data."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (90,)
    message = "{sink} searches with request data spliced into LDAP text: it can rewrite the filter"
    hint = "escape each value with escape_filter_chars() (escape_dn_chars() for DN parts)"
    sink = "ldap"
    examples = (
        Bad(
            "import ldap\n"
            "from flask import request\n"
            "\n"
            "BASE_DN = 'ou=people,dc=example,dc=com'\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    username = request.form['username']\n"
            "    conn = ldap.initialize(LDAP_URL)\n"
            "    found = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f'(uid={username})')\n"
            "    return check(found, request.form['password'])\n",
            ((10, 13),),
            why="python-ldap, the filter third",
        ),
        Bad(
            "from ldap3 import Connection, SUBTREE\n"
            "from django.http import JsonResponse\n"
            "\n"
            "def members(request, group):\n"
            "    conn = Connection(SERVER, auto_bind=True)\n"
            "    flt = '(&(objectClass=person)(memberOf=cn=%s))'\n"
            "    conn.search('dc=example,dc=com', flt % group, SUBTREE, attributes=['cn'])\n"
            "    return conn.entries\n",
            ((7, 5),),
            why="ldap3, a Django URL parameter, % formatting",
        ),
        Bad(
            "from fastapi import FastAPI\n"
            "\n"
            "app = FastAPI()\n"
            "\n"
            "@app.get('/directory')\n"
            "def directory(mail: str):\n"
            "    query = '(mail=' + mail + ')'\n"
            "    return directory_conn.search(search_base=BASE, search_filter=query)\n",
            ((8, 12),),
            why="keyword arguments, a filter built in a variable",
        ),
        Bad(
            "from flask import request\n"
            "\n"
            "@app.route('/people')\n"
            "def people():\n"
            "    dept = request.args['ou']\n"
            "    return conn.search_s(f'ou={dept},dc=example,dc=com', SCOPE, '(objectClass=*)')\n",
            ((6, 12),),
            why="the base DN built from the request",
        ),
        Ok(
            "from ldap.filter import escape_filter_chars\n"
            "from flask import request\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    username = escape_filter_chars(request.form['username'])\n"
            "    return conn.search_s(BASE_DN, SCOPE, f'(uid={username})')\n",
            why="escaped for LDAP",
        ),
        Ok(
            "from ldap.filter import filter_format\n"
            "\n"
            "def lookup(request):\n"
            "    flt = filter_format('(uid=%s)', [request.GET['uid']])\n"
            "    return conn.search_s(BASE_DN, SCOPE, flt)\n",
            why="filter_format escapes its values",
        ),
        Ok(
            "import re\n"
            "from flask import request\n"
            "\n"
            "@app.route('/grep')\n"
            "def grep():\n"
            "    return str(re.search(request.args['pattern'], TEXT))\n",
            why="re.search, not LDAP",
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "@app.route('/search')\n"
            "def search():\n"
            "    return index.search(request.args['q'], 'title', limit=10)\n",
            why="a search whose arguments do not read like LDAP",
        ),
        Ok(
            "import re\n"
            "from flask import request, abort\n"
            "\n"
            "@app.route('/user')\n"
            "def user():\n"
            "    uid = request.args['uid']\n"
            "    if not re.fullmatch(r'[a-z0-9_]{1,32}', uid):\n"
            "        abort(400)\n"
            "    return conn.search_s(BASE_DN, SCOPE, f'(uid={uid})')\n",
            why="checked against a pattern",
        ),
        Ok(
            "import sys\n"
            "\n"
            "def main():\n"
            "    conn.search_s(BASE_DN, SCOPE, f'(uid={sys.argv[1]})')\n",
            why="a command-line tool",
        ),
    )

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in SEARCH_METHODS:
            return
        if self.ctx.resolve(func) is not None:
            return  # a module function (re.search), not a connection's method
        for position, keyword in SEARCH_METHODS[func.attr.value]:
            arg = self.ctx.argument(call, position, keyword)
            if arg is None:
                continue
            text = literal_text(self.ctx, arg.value)
            if ("(" in text and "=" in text) or ("=" in text and "," in text):
                yield f".{func.attr.value}", arg.value
