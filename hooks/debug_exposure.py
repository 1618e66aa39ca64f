"""debug-exposure: debug servers and debug settings left on, and servers open to every network.

**What it finds.** DW901: `.run(debug=True)` on any object (Flask, Flask-SocketIO, Dash's
`run_server`), werkzeug's `run_simple(..., use_debugger=True)`, and a module-level
`DEBUG = True` in a Django settings module. DW902: a server told to listen on `"0.0.0.0"` or
`"::"` (every network interface): `app.run(host="0.0.0.0")`, `uvicorn.run(app, host="0.0.0.0")`,
`waitress.serve`, aiohttp's `run_app`, `run_simple`, `make_server`, `start_server` and
`create_server`, `sock.bind(("0.0.0.0", port))` on any object, and `HTTPServer`,
`socketserver.TCPServer` or any `...Server` class given `("0.0.0.0", port)`.

**Why it matters in assistant-written code.** `app.run(host="0.0.0.0", debug=True)` is the
last line of nearly every Flask answer, so it reaches production scripts and shared dev boxes
unchanged. Werkzeug's debugger turns any error page into a Python console (its PIN can be
derived from facts about the host), and Django's `DEBUG = True` shows tracebacks, settings and
SQL to whoever triggers an error. Listening on every interface puts a server meant for the
developer on the office or cloud network.

**How the rules decide.** Flask apps, sockets and servers are objects we cannot resolve, so the
signal is the literal: `debug=True` given to a method named `run`, a literal tuple starting with
`"0.0.0.0"` given to a method named `bind`. Rules do not see file names, so a Django settings
module is recognised by its content: `DEBUG = True` is flagged only at the top level of a module
that also assigns `ALLOWED_HOSTS`, `INSTALLED_APPS`, `SECRET_KEY`, `DATABASES` or `MIDDLEWARE`.
The same holds for development settings (`settings/local.py`): a Python rule does not see the
file's name; DW903 (django-settings), which does, judges `ALLOWED_HOSTS` and the cookie flags.

**Bad**

```python
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)
```

**Good**

```python
if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000, debug=os.environ.get("FLASK_DEBUG") == "1")
```

**Not flagged.** `debug=False` and computed values (`debug=settings.DEBUG`,
`DEBUG = os.environ.get("DEBUG") == "1"`); `asyncio.run(main(), debug=True)` (asyncio's own debug
mode exposes nothing); `run_simple(..., use_reloader=True)` without the debugger; `DEBUG = True`
in a module without the settings names above, inside a class (`class DevConfig: DEBUG = True`) or
under an `if` or `try` (a per-environment choice); `debug` passed by position. Hosts that are not
literals (`host=os.environ.get("HOST", "0.0.0.0")`: the deployment decides), `"127.0.0.1"`,
`"localhost"` and `""`, and `"0.0.0.0"` anywhere but a host argument (comparisons, log messages,
URLs). The prefilter needs a word to look for and `"::"` has none: an IPv6 all-interfaces bind is
found in files that also mention `AF_INET6` or `uvicorn` (or other trigger words).

**Containers.** A server inside a container must listen on `0.0.0.0` to be reachable through
the published port. Read the host from the environment, or suppress the line with an inline
`ignore[DW902]` comment that gives the reason (the container publishes the port to localhost).

**Fix.** None automatic. Take debug switches and hosts from the environment, default them to off
and `127.0.0.1`, and serve production traffic with gunicorn, uvicorn or waitress behind a proxy.

**References.** CWE-489 (active debug code), CWE-605 (multiple binds to the same port, bandit's
choice for all-interface binds); bandit B104, B201; ruff S104, S201.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple, Union

from hooks.engine.bindings import spelled
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity

# methods that start a development server and take `debug=`; the object is never resolvable
DEBUG_RUN_METHODS = frozenset({"run", "run_server"})
# `.run(debug=True)` on these turns on asyncio's debug mode, which exposes nothing
DEBUG_RUN_EXEMPT = frozenset({"asyncio.run", "uvloop.run"})
RUN_SIMPLE = frozenset({"werkzeug.serving.run_simple", "werkzeug.run_simple"})
# names only a Django settings module assigns together with DEBUG
SETTINGS_NAMES = ("ALLOWED_HOSTS", "INSTALLED_APPS", "SECRET_KEY", "DATABASES", "MIDDLEWARE")
DEBUGGER = "turns on the interactive debugger, which runs code typed into an error page"
DEBUG_PAGES = "shows tracebacks, settings and SQL to anyone who triggers an error"

ALL_INTERFACES = frozenset({"0.0.0.0", "::"})
# callee's last name -> (position, keyword) of its host argument
HOST_ARGUMENTS: Dict[str, Tuple[Optional[int], str]] = {
    "run": (0, "host"),  # Flask's app.run(host, port); uvicorn.run(app, host=...)
    "run_server": (0, "host"),
    "run_app": (None, "host"),
    "serve": (None, "host"),
    "run_simple": (0, "hostname"),
    "make_server": (0, "host"),
    "start_server": (1, "host"),
    "create_server": (1, "host"),  # loop.create_server(factory, host, port)
}
# callees whose first argument is a (host, port) address tuple; so is any `...Server` class
ADDRESS_CALLS = frozenset({"bind", "create_server"})


def _last_name(func: cst.BaseExpression) -> Optional[str]:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def _all_interfaces(value: Optional[cst.BaseExpression]) -> Optional[str]:
    """The literal host when `value` is "0.0.0.0" or "::", else None."""
    if isinstance(value, cst.SimpleString):
        text = value.evaluated_value
        if isinstance(text, str) and text in ALL_INTERFACES:
            return text
    return None


def _address_host(value: Optional[cst.BaseExpression]) -> Optional[str]:
    """The host of a literal `("0.0.0.0", port)` tuple."""
    if isinstance(value, cst.Tuple) and value.elements:
        return _all_interfaces(value.elements[0].value)
    return None


class DebugModeEnabled(Rule):
    code = "DW901"
    name = "debug-mode-enabled"
    summary = "A debug server or Django's DEBUG setting is switched on in code."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (489,)
    message = "{what} {effect}"
    hint = "read the debug switch from the environment and default it to off"
    triggers = ("use_debugger",)
    # `debug=` and `DEBUG =`, not the word: `logger.debug(...)` is on every page of code
    trigger_patterns = (r"\bdebug\s*=(?!=)", r"\bDEBUG\s*(?::[^=\n]*)?=(?!=)")
    examples = (
        Bad(
            "from flask import Flask\n\napp = Flask(__name__)\n\n"
            "if __name__ == '__main__':\n    app.run(debug=True)\n",
            ((6, 5),),
            why="the Flask quickstart",
        ),
        Bad(
            "def main():\n    app = create_app()\n"
            "    app.run(host='127.0.0.1', port=8000, debug=True)\n",
            ((3, 5),),
            why="the object is unknown: the keyword is the signal",
        ),
        Bad(
            "from flask_socketio import SocketIO\nsocketio = SocketIO(app)\n"
            "socketio.run(app, debug=True)\n",
            ((3, 1),),
        ),
        Bad("app.run_server(debug=True, port=8050)\n", ((1, 1),), why="Dash"),
        Bad(
            "from werkzeug.serving import run_simple\n"
            "run_simple('localhost', 5000, app, use_reloader=True, use_debugger=True)\n",
            ((2, 1),),
        ),
        Bad(
            "import os\nfrom pathlib import Path\n\n"
            "BASE_DIR = Path(__file__).resolve().parent.parent\n"
            "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"
            "DEBUG = True\n"
            "ALLOWED_HOSTS = ['shop.example.com']\n",
            ((6, 1),),
            why="a Django settings module",
        ),
        Bad(
            "DEBUG: bool = True\n\nINSTALLED_APPS = [\n    'django.contrib.admin',\n"
            "    'django.contrib.auth',\n]\n",
            ((1, 1),),
            why="settings names may come after DEBUG",
        ),
        Ok("app.run(debug=False)\n"),
        Ok(
            "from django.conf import settings\napp.run(debug=settings.DEBUG)\n",
            why="a computed switch",
        ),
        Ok(
            "import os\nDEBUG = os.environ.get('DEBUG') == '1'\nALLOWED_HOSTS = ['*']\n",
            why="a settings module that reads DEBUG from the environment",
        ),
        Ok("DEBUG = True\nLOG_LEVEL = 'debug'\n", why="no settings names: not a settings module"),
        Ok(
            "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
            "if os.environ.get('ENV') == 'dev':\n    DEBUG = True\n",
            why="a per-environment choice under an if",
        ),
        Ok(
            "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n\n"
            "class DevelopmentConfig:\n    DEBUG = True\n",
            why="a Flask config class, not module level",
        ),
        Ok("import asyncio\nasyncio.run(main(), debug=True)\n", why="asyncio's debug mode"),
        Ok(
            "from werkzeug.serving import run_simple\n"
            "run_simple('localhost', 5000, app, use_reloader=True)\n",
            why="the reloader without the debugger",
        ),
        Ok("import logging\nlogging.debug('app.run(debug=True)')\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in RUN_SIMPLE:
            if self.ctx.truthy_constant(self.ctx.argument(node, 4, "use_debugger")):
                what = f"`{spelled(node.func)}(use_debugger=True)`"
                self.report(node, what=what, effect=DEBUGGER)
            return
        func_node = node.func
        if (
            not isinstance(func_node, cst.Attribute)
            or func_node.attr.value not in DEBUG_RUN_METHODS
        ):
            return
        if func in DEBUG_RUN_EXEMPT:
            return
        if self.ctx.truthy_constant(self.ctx.argument(node, None, "debug")):
            self.report(node, what=f"`{spelled(func_node)}(debug=True)`", effect=DEBUGGER)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1:
            self._check_debug_setting(node, node.targets[0].target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check_debug_setting(node, node.target, node.value)

    def _check_debug_setting(
        self,
        node: Union[cst.Assign, cst.AnnAssign],
        target: cst.BaseExpression,
        value: Optional[cst.BaseExpression],
    ) -> None:
        if not (isinstance(target, cst.Name) and target.value == "DEBUG"):
            return
        if not (isinstance(value, cst.Name) and value.value == "True"):
            return
        # the module's own top level: not in a class, a function, an `if` or a `try`
        if len(self.ctx.scopes) != 1 or len(self.ctx.statements) != 1:
            return
        # the module scope's bindings cover the whole file, so names assigned after DEBUG count
        module = self.ctx.scopes[0]
        if any(module.get(name) for name in SETTINGS_NAMES):
            what = "`DEBUG = True` in a settings module"
            self.report(node, confidence=Confidence.MEDIUM, what=what, effect=DEBUG_PAGES)


class BindAllInterfaces(Rule):
    code = "DW902"
    name = "bind-all-interfaces"
    summary = "A server listens on every network interface (0.0.0.0 or ::)."
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (605,)
    message = "`{call}` listens on {host}, every network interface: other machines can reach it"
    hint = "listen on 127.0.0.1, or read the host from the environment"
    triggers = ("0.0.0.0", "AF_INET6", "uvicorn")
    examples = (
        Bad(
            "from flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0', port=8080)\n",
            ((3, 1),),
        ),
        Bad("app.run('0.0.0.0', 5000)\n", ((1, 1),), why="Flask's host by position"),
        Bad(
            "import uvicorn\n\nif __name__ == '__main__':\n"
            "    uvicorn.run('main:app', host='0.0.0.0', port=8000, reload=True)\n",
            ((4, 5),),
        ),
        Bad(
            "from waitress import serve\nserve(app, host='0.0.0.0', port=8080)\n",
            ((2, 1),),
        ),
        Bad(
            "import socket\n\nsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
            "sock.bind(('0.0.0.0', 9000))\nsock.listen(5)\n",
            ((4, 1),),
            why="sockets are unknown objects: the literal address tuple is the signal",
        ),
        Bad(
            "from http.server import HTTPServer, SimpleHTTPRequestHandler\n"
            "httpd = HTTPServer(('0.0.0.0', 8000), SimpleHTTPRequestHandler)\n",
            ((2, 9),),
        ),
        Bad(
            "import socketserver\n\nwith socketserver.TCPServer(('0.0.0.0', PORT), Handler) "
            "as httpd:\n    httpd.serve_forever()\n",
            ((3, 6),),
        ),
        Bad(
            "import socket\ns = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n"
            "s.bind(('::', 8080))\n",
            ((3, 1),),
            why="the IPv6 any-address",
        ),
        Ok("app.run(host='127.0.0.1', port=8080)\n"),
        Ok(
            "import os\napp.run(host=os.environ.get('HOST', '0.0.0.0'))\n",
            why="read from the environment: the deployment decides",
        ),
        Ok(
            "def is_unspecified(ip):\n    return ip == '0.0.0.0' or ip == '::'\n",
            why="a comparison, not a host argument",
        ),
        Ok(
            "import logging\nlogging.info('listening on 0.0.0.0:%d', port)\n",
            why="a log message",
        ),
        Ok("import socket\nsock.bind(('127.0.0.1', 0))\n"),
        Ok("import requests\nrequests.get('http://0.0.0.0:8000/health')\n", why="a URL"),
        Ok(
            "import socket\nsock.connect(('0.0.0.0', 9000))\n",
            why="connecting is not listening",
        ),
        Ok("ROUTES = {'0.0.0.0/0': 'igw-1234'}\n"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        last = _last_name(node.func)
        if last is None:
            return
        host = None
        if last in HOST_ARGUMENTS:
            position, keyword = HOST_ARGUMENTS[last]
            argument = self.ctx.argument(node, position, keyword)
            host = _all_interfaces(argument.value if argument else None)
        if host is None and (last in ADDRESS_CALLS or last.endswith("Server")):
            argument = self.ctx.argument(node, 0, "server_address")
            host = _address_host(argument.value if argument else None)
        if host is not None:
            self.report(node, call=spelled(node.func), host=f'"{host}"')
