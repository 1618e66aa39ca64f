"""security-disable: code that turns protections off for the whole process (or its children).

**What it finds.** DW808:

- environment variables that turn TLS checking off, set with `os.environ[...] = ...`,
  `os.environ.setdefault`, `os.environ.update({...})` / `update(KEY=...)`, `os.putenv`, on a
  copy of the environment (a variable named like `env`), or in a dict literal passed as `env=`
  to a child process, merged with `**os.environ`, or built with `dict(os.environ, KEY=...)`:
  `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY` (any value: git only checks that it is set),
  `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PIP_TRUSTED_HOST` (any value), and an empty
  `REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE` or `SSL_CERT_FILE`;
- replacing `sys.audit` (`sys.audit = ...`, `setattr(sys, "audit", ...)`), which blinds every
  audit hook;
- `logging.disable()` and `logging.disable(logging.CRITICAL)` (medium), and setting
  `.disabled = True` on the root logger or a logger named like security, audit or auth (medium);
- `warnings.filterwarnings("ignore")` / `warnings.simplefilter("ignore")` with no category,
  message or module: every warning of the process hidden (low).

`ssl._create_default_https_context = ssl._create_unverified_context` is left to DW310
(tls-verify-disabled), which already reports `ssl._create_unverified_context` wherever it is
used; this rule does not report it twice.

**Why it matters in assistant-written code.** A compromised coding agent wants its traffic to
pass through an interception proxy and its actions to leave no trace. One line at import time
does both for the whole process: an environment variable that every HTTPS client honours, a
no-op `sys.audit`, logging switched off. Honest assistants write the same lines to "fix" a
certificate error or a noisy log, with the same effect.

**Severity.** High; medium for logging; low for silencing all warnings.

**Bad**

```python
os.environ["PYTHONHTTPSVERIFY"] = "0"
subprocess.run(["git", "clone", url], env={**os.environ, "GIT_SSL_NO_VERIFY": "1"})
sys.audit = lambda *args: None
logging.disable(logging.CRITICAL)
```

**Good**

```python
os.environ["REQUESTS_CA_BUNDLE"] = "/etc/ssl/certs/corp-ca.pem"  # trust a private CA instead
logging.getLogger("urllib3").setLevel(logging.WARNING)  # quiet one noisy logger
```

**Not flagged.** Reads (`os.environ.get("PYTHONHTTPSVERIFY")`); other variables
(`os.environ["DEBUG"] = "0"`); values that keep checking on (`PYTHONHTTPSVERIFY="1"`, a CA bundle
path, a computed value for the variables where only a literal is known to disable);
`os.environ.pop("GIT_SSL_NO_VERIFY")`; test-scoped settings (`monkeypatch.setenv(...)`,
`mock.patch.dict(os.environ, {...})`), which end with the test; `logging.disable(logging.NOTSET)`
(turning logging back on) and lower levels; `logging.disable` inside test functions, test
classes and `setUp` / `tearDown` / `setup_*` / `teardown_*` (rules cannot see file names: use
per-file-ignores for `conftest.py`); loggers with other names; `warnings.filterwarnings("ignore",
category=DeprecationWarning)` and any filter with a category, message or module; warning filters
inside `with warnings.catch_warnings():`, which restores them.

**Fix.** None automatic. Delete the line. For a private certificate authority, point
`REQUESTS_CA_BUNDLE` / `SSL_CERT_FILE` at its bundle; for noisy logs, raise one logger's level;
for a known warning, filter its category.

**References.** CWE-693 (protection mechanism failure), CWE-295 and CWE-778 in spirit; bandit
and ruff have no counterpart (ruff S501 and bandit B501 cover `verify=False` only).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from hooks._paths import last_names as _last_names
from hooks._paths import string_value
from hooks._paths import worth_resolving
from hooks.engine.bindings import Kind, spelled
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

ANY, ZERO, EMPTY = "any", "zero", "empty"
VARIABLE = "VARIABLE"  # stands for the variable's name in the spelling a message shows
TLS_OFF = "turns off TLS certificate checks"
# variable -> (which values turn the protection off, what it does)
VARIABLES: Dict[str, Tuple[str, str]] = {
    "PYTHONHTTPSVERIFY": (ZERO, f"{TLS_OFF} in Python's standard library"),
    "GIT_SSL_NO_VERIFY": (ANY, f"{TLS_OFF} in git"),
    "NODE_TLS_REJECT_UNAUTHORIZED": (ZERO, f"{TLS_OFF} in Node.js"),
    "PIP_TRUSTED_HOST": (ANY, "tells pip to skip TLS checks for a host"),
    "REQUESTS_CA_BUNDLE": (EMPTY, f"{TLS_OFF} in requests"),
    "CURL_CA_BUNDLE": (EMPTY, f"{TLS_OFF} in requests and curl"),
    "SSL_CERT_FILE": (EMPTY, f"{TLS_OFF} for OpenSSL clients"),
}
ENVIRONMENT = frozenset({"os.environ", "os.environb"})
ENV_NAME = lazy_re(r"(?:^|_)env(?:iron(?:ment)?|s|vars)?(?:_|$)|env$", re.IGNORECASE)
SECURITY_LOGGER = lazy_re(r"secur|audit|auth", re.IGNORECASE)
DISABLE_ALL_LEVELS = frozenset({"logging.CRITICAL", "logging.FATAL"})
CRITICAL = 50
WARNING_FILTERS = {"warnings.filterwarnings": 2, "warnings.simplefilter": 1}
CALL_NAMES = frozenset({"putenv", "setdefault", "update", "disable", *_last_names(WARNING_FILTERS)})
TEST_FUNCTION = lazy_re(r"^(?:test|setUp|tearDown|setup_|teardown_|setup$|teardown$)")


def _key_text(node: cst.BaseExpression) -> Optional[str]:
    text = string_value(node)
    return text if text in VARIABLES else None


def _disables(variable: str, value: Optional[cst.BaseExpression]) -> bool:
    """Does assigning `value` to `variable` turn the protection off?"""
    when, _ = VARIABLES[variable]
    if when == ANY:
        return True
    if value is None:
        return False
    if when == ZERO and isinstance(value, cst.Integer):
        return value.evaluated_value == 0
    text = string_value(value)
    if text is None:
        return False
    return text.strip() in ("0", "false", "False") if when == ZERO else text == ""


def _subscript_key(node: cst.Subscript) -> Optional[cst.BaseExpression]:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return node.slice[0].slice.value


class SecurityDisable(Rule):
    code = "DW808"
    name = "security-disable"
    summary = "Code turns a protection off for the whole process: TLS checks, audit, logging."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (693,)
    message = "`{found}` {effect}"
    hint = "delete it; trust a private CA with its bundle, quiet one logger or one warning"
    triggers = (*VARIABLES, "audit", "disable", "disabled", "filterwarnings", "simplefilter")
    examples = (
        Bad("import os\n\nos.environ['PYTHONHTTPSVERIFY'] = '0'\n", ((3, 1),)),
        Bad(
            "import os\nimport subprocess\n\ndef clone(url):\n"
            "    subprocess.run(['git', 'clone', url],\n"
            "                   env={**os.environ, 'GIT_SSL_NO_VERIFY': '1'}, check=True)\n",
            ((6, 39),),
        ),
        Bad(
            "import os\n\nos.environ.setdefault('NODE_TLS_REJECT_UNAUTHORIZED', '0')\n"
            "os.environ.update({'CURL_CA_BUNDLE': '', 'REQUESTS_CA_BUNDLE': ''})\n",
            ((3, 1), (4, 20), (4, 42)),
        ),
        Bad(
            "import os as _os\n_os.putenv('PIP_TRUSTED_HOST', mirror)\n",
            ((2, 1),),
            why="an alias, and a computed host: any value trusts a host",
        ),
        Bad(
            "import os\n\ndef build_env():\n    env = os.environ.copy()\n"
            "    env['SSL_CERT_FILE'] = ''\n    return env\n",
            ((5, 5),),
            why="a copy for a child process",
        ),
        Bad("import sys\n\nsys.audit = lambda *args: None\n", ((3, 1),)),
        Bad(
            "import sys\nsetattr(sys, 'audit', _quiet)\n",
            ((2, 1),),
        ),
        Bad(
            "import logging\n\nlogging.disable(logging.CRITICAL)\n",
            ((3, 1),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "from logging import disable\n\ndef quiet():\n    disable()\n",
            ((4, 5),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "import logging\n\nlogging.getLogger('app.security').disabled = True\n",
            ((3, 1),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "import logging\n\naudit_log = logging.getLogger('audit')\naudit_log.disabled = True\n",
            ((4, 1),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "import warnings\n\nwarnings.filterwarnings('ignore')\n",
            ((3, 1),),
            severity=Severity.LOW,
        ),
        Bad(
            "import os\nimport subprocess\n\n"
            "subprocess.run(cmd, env=dict(os.environ, GIT_SSL_NO_VERIFY='true'))\n",
            ((4, 42),),
        ),
        Ok("import os\n\nverify = os.environ.get('PYTHONHTTPSVERIFY')\n", why="a read"),
        Ok("import os\n\nos.environ['DEBUG'] = '0'\n", why="another variable"),
        Ok(
            "import os\n\nos.environ['PYTHONHTTPSVERIFY'] = '1'\n"
            "os.environ['REQUESTS_CA_BUNDLE'] = '/etc/ssl/certs/corp-ca.pem'\n",
            why="values that keep checking on",
        ),
        Ok(
            "import logging\n\nlogging.disable(logging.NOTSET)\n",
            why="turning logging back on",
        ),
        Ok(
            "def test_clone_without_tls(monkeypatch):\n"
            "    monkeypatch.setenv('GIT_SSL_NO_VERIFY', '1')\n    assert clone(URL)\n",
            why="a test-scoped setting",
        ),
        Ok(
            "import os\nfrom unittest import mock\n\n"
            "@mock.patch.dict(os.environ, {'GIT_SSL_NO_VERIFY': '1'})\n"
            "def test_clone():\n    assert clone(URL)\n",
            why="mock.patch.dict restores the environment",
        ),
        Ok(
            "import warnings\n\n"
            "warnings.filterwarnings('ignore', category=DeprecationWarning)\n"
            "warnings.filterwarnings('ignore', message='.*unclosed file.*')\n",
        ),
        Ok(
            "import warnings\n\ndef load(path):\n    with warnings.catch_warnings():\n"
            "        warnings.simplefilter('ignore')\n        return legacy_load(path)\n",
            why="scoped by catch_warnings",
        ),
        Ok(
            "import logging\nimport unittest\n\nclass ApiTests(unittest.TestCase):\n"
            "    def setUp(self):\n        logging.disable(logging.CRITICAL)\n",
            why="a test quieting its own output",
        ),
        Ok(
            "import logging\n\nlogging.getLogger('urllib3').disabled = True\n"
            "logging.getLogger('app.security').disabled = False\n",
            why="another logger, and turning one back on",
        ),
        Ok(
            "import os\n\nos.environ.pop('GIT_SSL_NO_VERIFY', None)\n",
            why="removing the variable",
        ),
        Ok(
            "SETTINGS = {'GIT_SSL_NO_VERIFY': 'documented in the README'}\n",
            why="a dict that is no environment",
        ),
        Ok(
            "def pack(inventory, envelope, host):\n"
            "    inventory['PIP_TRUSTED_HOST'] = host\n    envelope['GIT_SSL_NO_VERIFY'] = '1'\n",
            why="containers that are no environment, whatever their keys",
        ),
        Ok(
            "import sys\n\nsys.audit('myapp.event', user)\n",
            why="calling sys.audit raises an event; it does not replace it",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        self.definitions: List[Tuple[str, str]] = []  # ("def" | "class", name), innermost last
        self.catch_warnings: List[cst.With] = []
        self.reported: Set[int] = set()

    # where we are
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.definitions.append(("def", node.name.value))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.definitions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.definitions.append(("class", node.name.value))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.definitions.pop()

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            call = item.item
            if isinstance(call, cst.Call) and self.ctx.resolve(call.func) == (
                "warnings.catch_warnings"
            ):
                self.catch_warnings.append(node)
                return

    def leave_With(self, node: cst.With) -> None:
        if self.catch_warnings and self.catch_warnings[-1] is node:
            self.catch_warnings.pop()

    def _in_test(self) -> bool:
        return any(
            TEST_FUNCTION.match(name) if kind == "def" else name.startswith("Test")
            for kind, name in self.definitions
        ) or any(kind == "class" and name.endswith("Test") for kind, name in self.definitions)

    # environment variables
    def _environment(self, node: cst.BaseExpression) -> bool:
        """`os.environ`, or a name or attribute named like an environment (`env`, `self.env`)."""
        if self.ctx.resolve(node) in ENVIRONMENT:
            return True
        if isinstance(node, cst.Name):
            return bool(ENV_NAME.search(node.value))
        return isinstance(node, cst.Attribute) and bool(ENV_NAME.search(node.attr.value))

    def _variable(
        self,
        node: cst.CSTNode,
        key: Optional[cst.BaseExpression],
        value: Optional[cst.BaseExpression],
        shown: str,
    ) -> None:
        variable = _key_text(key) if key is not None else None
        if variable is None or not _disables(variable, value) or id(node) in self.reported:
            return
        self.reported.add(id(node))
        self.report(node, found=shown.replace(VARIABLE, variable), effect=VARIABLES[variable][1])

    def _dict(self, node: cst.BaseExpression, shown: str) -> None:
        if not isinstance(node, cst.Dict):
            return
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                self._variable(element, element.key, element.value, shown)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assign_target(target.target, node.value)

    def _assign_target(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Subscript) and self._environment(target.value):
            owner = self.ctx.resolve(target.value) or "env"
            self._variable(target, _subscript_key(target), value, owner + f"['{VARIABLE}'] = ...")
        elif isinstance(target, cst.Name) and ENV_NAME.search(target.value):
            self._dict(value, f"{target.value} = {{'{VARIABLE}': ...}}")
        elif isinstance(target, cst.Attribute):
            self._attribute(target, value)

    def visit_Dict(self, node: cst.Dict) -> None:
        merged = any(
            isinstance(el, cst.StarredDictElement) and self.ctx.resolve(el.value) in ENVIRONMENT
            for el in node.elements
        )
        if merged:
            self._dict(node, f"{{**os.environ, '{VARIABLE}': ...}}")

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == "env":
            self._dict(node.value, f"env={{'{VARIABLE}': ...}}")

    def visit_Call(self, node: cst.Call) -> None:
        if not worth_resolving(node, CALL_NAMES):
            return
        func = self.ctx.resolve(node.func)
        if func == "os.putenv" or func == "os.environ.setdefault":
            key, value = self.ctx.argument(node, 0, "key"), self.ctx.argument(node, 1, "value")
            self._variable(
                node, key.value if key else None, value.value if value else None,
                f"{func}('{VARIABLE}', ...)",
            )  # fmt: skip
        elif func == "builtins.dict" and node.args and self._is_os_environ(node.args[0].value):
            self._keywords(node, f"dict(os.environ, {VARIABLE}=...)")
        elif func == "builtins.setattr":
            self._setattr(node)
        elif func == "logging.disable":
            self._logging_disable(node)
        elif func in WARNING_FILTERS:
            self._warning_filter(node, func)
        elif isinstance(node.func, cst.Attribute) and self._environment(node.func.value):
            self._environment_method(node, node.func.attr.value)

    def _is_os_environ(self, node: cst.BaseExpression) -> bool:
        return self.ctx.resolve(node) in ENVIRONMENT

    def _environment_method(self, node: cst.Call, method: str) -> None:
        """`env.update({...})`, `env.update(KEY=...)`, `env.setdefault(KEY, ...)`."""
        shown = spelled(node.func)
        if method == "update":
            if node.args and node.args[0].keyword is None:
                self._dict(node.args[0].value, shown + f"({{'{VARIABLE}': ...}})")
            self._keywords(node, shown + f"({VARIABLE}=...)")
        elif method == "setdefault" and len(node.args) >= 2:
            self._variable(
                node, node.args[0].value, node.args[1].value, shown + f"('{VARIABLE}', ...)"
            )

    def _keywords(self, node: cst.Call, shown: str) -> None:
        for arg in node.args:
            if arg.keyword is not None:
                self._variable(arg, cst.SimpleString(repr(arg.keyword.value)), arg.value, shown)

    # sys.audit
    def _attribute(self, target: cst.Attribute, value: cst.BaseExpression) -> None:
        if self.ctx.resolve(target) == "sys.audit":
            self.report(target, found="sys.audit = ...", effect="blinds every audit hook")
        elif target.attr.value == "disabled" and _is_true(value):
            logger = self._logger_name(target.value)
            if logger is not None:
                effect = (
                    "silences a logger that records security events"
                    if logger
                    else "silences the root logger, and with it most of the program's logs"
                )
                self.report(
                    target,
                    severity=Severity.MEDIUM,
                    found=f"logging.getLogger({repr(logger) if logger else ''}).disabled = True",
                    effect=effect,
                )

    def _logger_name(self, owner: cst.BaseExpression) -> Optional[str]:
        """The name of a security, audit or root logger `owner` is ('' for root), else None."""
        if isinstance(owner, cst.Name):
            bindings, _ = lookup(owner.value, self.ctx.scopes)
            if not bindings or len(bindings) != 1 or bindings[0].kind is not Kind.ASSIGN:
                return None
            owner = bindings[0].value  # type: ignore[assignment]
        if self.ctx.resolve(owner) == "logging.root":
            return ""
        if not isinstance(owner, cst.Call) or self.ctx.resolve(owner.func) != "logging.getLogger":
            return None
        if not owner.args:
            return ""
        name = string_value(owner.args[0].value)
        if name is None:
            return None
        return name if SECURITY_LOGGER.search(name) or name == "root" else None

    def _setattr(self, node: cst.Call) -> None:
        if len(node.args) < 3 or self.ctx.resolve(node.args[0].value) != "sys":
            return
        if string_value(node.args[1].value) == "audit":
            self.report(node, found="setattr(sys, 'audit', ...)", effect="blinds every audit hook")

    # logging and warnings
    def _logging_disable(self, node: cst.Call) -> None:
        if self._in_test():
            return
        level = self.ctx.argument(node, 0, "level")
        if level is not None:
            value = level.value
            if isinstance(value, cst.Integer):
                if int(value.evaluated_value) < CRITICAL:
                    return
            elif self.ctx.resolve(value) not in DISABLE_ALL_LEVELS:
                return
        self.report(
            node,
            severity=Severity.MEDIUM,
            found="logging.disable(" + ("logging.CRITICAL" if level is not None else "") + ")",
            effect="switches off every log message of the process",
        )

    def _warning_filter(self, node: cst.Call, func: str) -> None:
        if self.catch_warnings or self._in_test():
            return
        action = self.ctx.argument(node, 0, "action")
        if action is None or string_value(action.value) != "ignore":
            return
        if len(node.args) > 1:  # a message, category, module or lineno narrows it
            return
        self.report(
            node,
            severity=Severity.LOW,
            confidence=Confidence.MEDIUM,
            found=f"{func}('ignore')",
            effect="hides every warning of the process, security warnings included",
        )


def _is_true(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name):
        return node.value == "True"
    return isinstance(node, cst.Integer) and node.evaluated_value != 0
