"""network-timeouts: network calls that wait forever when the other side stops answering.

**What it finds.** DW311: `requests.get/post/put/patch/delete/head/options/request` without a
`timeout=`; `urllib.request.urlopen`, `socket.create_connection`, `http.client.HTTPConnection`
/ `HTTPSConnection`, `smtplib.SMTP` / `SMTP_SSL` and `ftplib.FTP` / `FTP_TLS` without a timeout
(by keyword or at its position); and any of these, or an httpx call or client, given
`timeout=None`, which says "wait forever" explicitly. `smtplib.SMTP()` is flagged even without
a host: its `connect()` has no timeout of its own and uses the constructor's.

**Why it matters in assistant-written code.** `requests.get(url)` is the first line of every
tutorial, and it has no timeout at all: a server that accepts the connection and then stalls
holds the worker, the thread or the cron job forever. A handful of such requests hang a whole
service, which makes a missing timeout an easy denial of service.

**Bad**

```python
resp = requests.get(url)
with urllib.request.urlopen(url) as page:
    body = page.read()
client = httpx.Client(timeout=None)
```

**Good**

```python
resp = requests.get(url, timeout=10)
with urllib.request.urlopen(url, timeout=10) as page:
    body = page.read()
client = httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0))
```

**Not flagged.** Calls with any timeout other than a literal `None` (`timeout=settings.TIMEOUT`
is trusted); calls with a `**kwargs` argument (or, where the timeout can be positional, a
`*args` argument) that may carry the timeout; httpx calls without `timeout=`, because httpx has a
default timeout of 5 seconds, so only an explicit `timeout=None` takes it away; method calls on
a `requests.Session()` or any other object we cannot resolve (`session.get(url)` looks exactly
like `config.get(key)` on a dict, and sessions have no timeout setting of their own to check);
`socket.socket()`, which is not connected yet.

The stdlib calls fall back to `socket.getdefaulttimeout()`, which is None unless the program calls
`socket.setdefaulttimeout()`; the hook cannot see such a process-wide setting, so pass the
timeout explicitly (or suppress the finding with that reason).

**Fix.** Safe, for a missing timeout: `timeout=10` is added (the `fix-timeout` option sets
the number of seconds). A call that waited forever now raises after that long, which is what a
caller can handle; tune the number to the service (requests also takes a `(connect, read)`
pair). An explicit `timeout=None` is left for a person: someone wrote it.

**References.** CWE-400 (uncontrolled resource consumption); bandit B113; ruff S113.
"""

from __future__ import annotations

from typing import Dict, Optional

from hooks.engine import edits
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Ok, Rule, Severity

REQUESTS_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
# qualified name -> position of the timeout parameter (None: keyword only)
TIMEOUT_POSITIONS: Dict[str, Optional[int]] = {
    **{f"{lib}.{verb}": None for lib in ("requests", "requests.api") for verb in REQUESTS_VERBS},
    "urllib.request.urlopen": 2,
    "socket.create_connection": 1,
    "http.client.HTTPConnection": 2,
    # positions of the older signatures; newer Pythons make these keyword only
    "http.client.HTTPSConnection": 4,
    "smtplib.SMTP": 3,
    "smtplib.SMTP_SSL": 5,
    "ftplib.FTP": 4,
    "ftplib.FTP_TLS": 7,
}
# httpx times out after 5 s by default: only an explicit timeout=None is a problem
HTTPX_CALLS = frozenset(
    {
        *(f"httpx.{verb}" for verb in (*REQUESTS_VERBS, "stream")),
        "httpx.Client",
        "httpx.AsyncClient",
    }
)
# these connect only when given a host; otherwise their connect() takes its own timeout
CONNECT_LATER = frozenset({"ftplib.FTP", "ftplib.FTP_TLS"})
NO_TIMEOUT = "has no timeout: a server that stops answering blocks it forever"
NONE_TIMEOUT = "is given timeout=None, which waits forever"


def _is_none(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "None"


class NetworkCallWithoutTimeout(Rule):
    code = "DW311"
    name = "network-call-without-timeout"
    summary = "A network call has no timeout, so a stalled server blocks it forever."
    severity = Severity.LOW
    confidence = Confidence.HIGH
    cwe = (400,)
    message = "`{func}` {why}"
    hint = "pass timeout= in seconds; requests also takes a (connect, read) pair"
    triggers = (
        "requests", "httpx", "urlopen", "create_connection", "HTTPConnection", "HTTPSConnection",
        "smtplib", "ftplib",
    )  # fmt: skip
    fix = FixSafety.SAFE
    # seconds the fix passes as timeout=
    options = {"fix-timeout": 10}
    examples = (
        Bad(
            "from requests import request\nr = request(\n    'DELETE',\n    url,\n)\n",
            ((2, 5),),
            why="one argument per line: so is the new one",
            fixed="from requests import request\nr = request(\n    'DELETE',\n    url,\n"
            "    timeout=10,\n)\n",
        ),
        Bad(
            "import requests\n\nresp = requests.get(url)\nresp.raise_for_status()\n",
            ((3, 8),),
            fixed="import requests\n\nresp = requests.get(url, timeout=10)\n"
            "resp.raise_for_status()\n",
        ),
        Bad(
            "import requests as rq\n\ndef create(payload):\n"
            "    return rq.post(API_URL + '/items', json=payload, headers=HEADERS).json()\n",
            ((4, 12),),
            fixed="import requests as rq\n\ndef create(payload):\n"
            "    return rq.post(API_URL + '/items', json=payload, headers=HEADERS, "
            "timeout=10).json()\n",
        ),
        Bad(
            "from requests import request\nr = request('DELETE', url, auth=auth)\n",
            ((2, 5),),
            fixed="from requests import request\n"
            "r = request('DELETE', url, auth=auth, timeout=10)\n",
        ),
        Bad(
            "import requests\nrequests.get(url, timeout=None)\n",
            ((2, 1),),
            why="timeout=None waits forever",
        ),
        Bad(
            "import httpx\n\nasync def fetch(url):\n"
            "    async with httpx.AsyncClient(timeout=None) as client:\n"
            "        return await client.get(url)\n",
            ((4, 16),),
            why="turns off httpx's default timeout",
        ),
        Bad(
            "from urllib.request import urlopen\n\n"
            "with urlopen(url) as resp:\n    data = resp.read()\n",
            ((3, 6),),
            fixed="from urllib.request import urlopen\n\n"
            "with urlopen(url, timeout=10) as resp:\n    data = resp.read()\n",
        ),
        Bad(
            "import urllib.request\nreq = urllib.request.Request(url, headers=HEADERS)\n"
            "body = urllib.request.urlopen(req, data).read()\n",
            ((3, 8),),
            fixed="import urllib.request\n"
            "req = urllib.request.Request(url, headers=HEADERS)\n"
            "body = urllib.request.urlopen(req, data, timeout=10).read()\n",
        ),
        Bad(
            "import socket\nsock = socket.create_connection((host, port))\n",
            ((2, 8),),
            fixed="import socket\nsock = socket.create_connection((host, port), timeout=10)\n",
        ),
        Bad(
            "import http.client\nconn = http.client.HTTPSConnection('api.example.com')\n"
            "conn.request('GET', '/status')\n",
            ((2, 8),),
            fixed="import http.client\n"
            "conn = http.client.HTTPSConnection('api.example.com', timeout=10)\n"
            "conn.request('GET', '/status')\n",
        ),
        Bad(
            "import smtplib\n\nwith smtplib.SMTP('smtp.example.com', 587) as smtp:\n"
            "    smtp.starttls()\n    smtp.send_message(msg)\n",
            ((3, 6),),
            fixed="import smtplib\n\n"
            "with smtplib.SMTP('smtp.example.com', 587, timeout=10) as smtp:\n"
            "    smtp.starttls()\n    smtp.send_message(msg)\n",
        ),
        Bad(
            "from ftplib import FTP\nftp = FTP('ftp.example.com')\nftp.login()\n",
            ((2, 7),),
            fixed="from ftplib import FTP\nftp = FTP('ftp.example.com', timeout=10)\nftp.login()\n",
        ),
        Ok("import requests\nresp = requests.get(url, timeout=10)\n"),
        Ok("import requests\nresp = requests.post(url, json=body, timeout=(3.05, 27))\n"),
        Ok(
            "import requests\n\ndef call(method, url, **kwargs):\n"
            "    return requests.request(method, url, **kwargs)\n",
            why="**kwargs may carry the timeout",
        ),
        Ok(
            "import requests\n\nsession = requests.Session()\nresp = session.get(url)\n",
            why="a session's methods cannot be resolved",
        ),
        Ok("value = config.get('timeout')\n", why="a method named get on an unknown object"),
        Ok("import httpx\nresp = httpx.get(url)\n", why="httpx has a default timeout"),
        Ok("import socket\nsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"),
        Ok("import socket\nsock = socket.create_connection((host, port), 5)\n"),
        Ok(
            "from urllib.request import urlopen\nurlopen(url, None, 10)\n",
            why="a positional timeout",
        ),
        Ok("import smtplib\nsmtplib.SMTP('smtp.example.com', 587, timeout=30)\n"),
        Ok(
            "import ftplib\nftp = ftplib.FTP()\nftp.connect(host, 21, timeout=30)\n",
            why="FTP() without a host connects later, with connect's own timeout",
        ),
        Ok("import requests\n\ndef get(requests):\n    return requests.get(url)\n", why="shadowed"),
        Ok("import requests\nHELP = 'call requests.get(url) with a timeout'\n", why="in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None:
            return
        httpx = func in HTTPX_CALLS
        if not httpx and func not in TIMEOUT_POSITIONS:
            return
        position = None if httpx else TIMEOUT_POSITIONS[func]
        timeout = self.ctx.argument(node, position, "timeout")
        if timeout is not None:
            if _is_none(timeout.value):
                self.report(node, func=func, why=NONE_TIMEOUT)
            return
        if httpx or self._may_carry_timeout(node, position):
            return
        if func in CONNECT_LATER and self.ctx.argument(node, 0, "host") is None:
            return
        seconds = str(self.opts["fix-timeout"])
        fix = Fix(lambda call: edits.with_keyword(call, "timeout", seconds))
        self.report(node, func=func, why=NO_TIMEOUT, fix=fix)

    @staticmethod
    def _may_carry_timeout(node: cst.Call, position: Optional[int]) -> bool:
        """A `**` argument may hold timeout=; a `*` one may reach its position."""
        return any(
            arg.star == "**" or (arg.star == "*" and position is not None) for arg in node.args
        )
