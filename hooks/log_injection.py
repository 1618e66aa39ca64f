"""log-injection: web request data written to a log line without its newlines neutralised.

**What it finds.** DW136: a value from the request among the message or the `%` arguments of a
logging call: `logging.info(...)` and kin, and the same methods on a logger known by its name
(`logger`, `log`, `LOG`, `self.logger`, `app.logger`, `logging.getLogger(...)`). Helpers of the
same module are followed one level.

**Why it matters in assistant-written code.** `logger.info(f"Failed login for {username}")` is
what every generated login view does. A user name holding `\\n2024-05-01 INFO Login ok for
admin` writes a forged line into the log that audits, alerting and incident responders trust.

**Severity.** Low: it forges records, it does not run code. Confidence medium.

**Bad**

```python
logger.warning("Failed login for %s", request.form["username"])
```

**Good**

```python
logger.warning("Failed login for %r", request.form["username"])
```

**Not flagged.** Values written with `%r` or `{value!r}` or passed through `repr()` or
`json.dumps()` (they write a newline as `\\n`), values whose `\\n` / `\\r` are replaced
(`name.replace("\\n", " ")`), numbers (`%d`, `int()`), values checked against an allowlist or a
pattern. Request attributes the server fills (`request.user`, `request.method`). Loggers we cannot
tell by name (`audit.info(...)`), and `print`. A handler or formatter that escapes newlines for
the whole application is invisible here: suppress the rule for such a project in its config.

**Fix.** None automatic. Log request values with `%r` (or `!r`), or replace `\\r` and `\\n` in
them before logging.

**References.** CWE-117 (improper output neutralization for logs); no bandit or ruff
counterpart (a data-flow check).
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from hooks._webflow import FlowRule
from hooks.engine.bindings import dotted
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, Severity
from hooks.engine.lazyre import lazy_re
from hooks.logged_secrets import LOG_METHODS, LOGGER_NAMES, LOGGING_FUNCTIONS

PLACEHOLDER = lazy_re(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")
# conversions that write no raw text: repr, and numbers
ESCAPING_CONVERSIONS = frozenset("rdiouxXeEfFgGc")


def _is_logger(node: cst.BaseExpression) -> bool:
    """`logger`, `self.log`, `app.logger`, `logging.getLogger(__name__)`."""
    if isinstance(node, cst.Name):
        return node.value in LOGGER_NAMES
    if isinstance(node, cst.Attribute):
        return node.attr.value in LOGGER_NAMES
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "getLogger"
    )


class LogInjection(FlowRule):
    code = "DW136"
    name = "log-injection"
    summary = "Web request data is logged without its line breaks neutralised."
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    cwe = (117,)
    message = "{sink} logs request data as it is: a line break in it forges log records"
    hint = "log it with %r (or {value!r}), or replace '\\r' and '\\n' in it first"
    sink = "log"
    examples = (
        Bad(
            "import logging\n"
            "from flask import request\n"
            "\n"
            "logger = logging.getLogger(__name__)\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    username = request.form['username']\n"
            "    if not authenticate(username, request.form['password']):\n"
            "        logger.warning('Failed login for %s', username)\n",
            ((10, 9),),
            why="a %s argument; the check is on the password, not the log line",
        ),
        Bad(
            "import logging\n"
            "\n"
            "def search(request):\n"
            "    q = request.GET.get('q', '')\n"
            "    logging.info(f'search: {q}')\n",
            ((5, 5),),
            why="an f-string in a Django view",
        ),
        Bad(
            "from fastapi import FastAPI\n"
            "\n"
            "app = FastAPI()\n"
            "\n"
            "@app.get('/items/{item_id}')\n"
            "def item(item_id: str):\n"
            "    app.logger.info('item ' + item_id + ' requested')\n",
            ((7, 5),),
            why="a path parameter, concatenation",
        ),
        Bad(
            "import logging\n"
            "\n"
            "class Webhook(View):\n"
            "    log = logging.getLogger('hooks')\n"
            "\n"
            "    def post(self, request):\n"
            "        self.log.error('bad signature from {}'.format(request.headers['X-Source']))\n",
            ((7, 9),),
            why="a header, .format",
        ),
        Ok(
            "import logging\n"
            "from flask import request\n"
            "\n"
            "logger = logging.getLogger(__name__)\n"
            "\n"
            "@app.post('/login')\n"
            "def login():\n"
            "    logger.warning('Failed login for %r', request.form['username'])\n"
            "    logger.warning(f\"Failed login for {request.form['username']!r}\")\n",
            why="%r and !r write a newline as \\n",
        ),
        Ok(
            "import logging\n"
            "\n"
            "def search(request):\n"
            "    q = request.GET.get('q', '').replace('\\n', ' ').replace('\\r', ' ')\n"
            "    logging.info('search: %s', q)\n",
            why="line breaks replaced",
        ),
        Ok(
            "import logging\n"
            "\n"
            "def page(request):\n"
            "    logging.debug('page %d of %s', int(request.GET['page']), request.user)\n",
            why="a number, and the server's user",
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "@app.route('/x')\n"
            "def x():\n"
            "    audit.info(request.args['q'])\n"
            "    print(request.args['q'])\n",
            why="not a logger by name",
        ),
        Ok(
            "import logging\n"
            "import socketserver\n"
            "\n"
            "logger = logging.getLogger(__name__)\n"
            "\n"
            "class Server(socketserver.TCPServer):\n"
            "    def handle_error(self, request, client_address):\n"
            "        logger.info('error from %s', client_address)\n",
            why="a socket server's method: `request` is a socket, no view",
        ),
        Ok(
            "import logging\n\ndef handle(message):\n    logging.info('got %s', message)\n",
            why="a plain parameter",
        ),
    )

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in LOG_METHODS:
            return
        if not _is_logger(func.value) and self.ctx.resolve(func) not in LOGGING_FUNCTIONS:
            return
        label = dotted(func) or func.attr.value
        values = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        if func.attr.value == "log":
            values = values[1:]  # the level
        for value in _raw_values(values):
            yield label, value


def _raw_values(values: List[cst.BaseExpression]) -> Iterable[cst.BaseExpression]:
    """The parts of a log call written as raw text: not %r/%d arguments nor {x!r} fields."""
    if not values:
        return
    message, args = values[0], values[1:]
    conversions = _conversions(message)
    for index, arg in enumerate(args):
        if conversions is None or index >= len(conversions):
            yield arg
        elif conversions[index] not in ESCAPING_CONVERSIONS:
            yield arg
    if isinstance(message, cst.FormattedString):
        for part in message.parts:
            if isinstance(part, cst.FormattedStringExpression) and part.conversion != "r":
                yield part.expression
    else:
        yield message


def _conversions(message: cst.BaseExpression) -> Optional[str]:
    """The conversion letters of a literal %-format message, in order (None if not literal)."""
    if not isinstance(message, cst.SimpleString):
        return None
    text = message.evaluated_value
    if not isinstance(text, str):
        return None
    return "".join(m.group()[-1] for m in PLACEHOLDER.finditer(text) if m.group() != "%%")
