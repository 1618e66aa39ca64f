"""django-settings: Django settings that let any host in or send session cookies in the clear.

**What it finds.** DW903, in the lines a change adds to a Django settings module (`settings.py`,
`settings/*.py`, `*_settings.py`, `settings_*.py`), at its top level:
- `ALLOWED_HOSTS` holding `"*"`: Django then trusts whatever `Host` header a request brings;
- `SESSION_COOKIE_SECURE = False` or `CSRF_COOKIE_SECURE = False`: the cookie also travels over
  plain HTTP;
- `SESSION_COOKIE_HTTPONLY = False`: scripts on the page can read the session cookie;
- `SECURE_SSL_REDIRECT = False`, in production settings only (the file or one of the two
  folders above it named `prod`, `production`, `live`, `deploy` or `staging`): plain-HTTP
  requests are served as they come.

`DEBUG = True` is DW901's (debug-exposure), which knows a settings module by its content.

**Why it matters in assistant-written code.** `DisallowedHost` is the first error a deployed
Django project shows, and the answer that makes it go away is `ALLOWED_HOSTS = ["*"]`. Django then
builds password-reset links and absolute URLs from the attacker's `Host` header (host-header
poisoning). "The login does not stick on my server" gets `SESSION_COOKIE_SECURE = False`, and the
session cookie is readable on every network the user crosses.

**Bad**

```python
# config/settings/production.py
ALLOWED_HOSTS = ["*"]
SESSION_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
```

**Good**

```python
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
```

**Not flagged.** Settings for development and tests: a file, or one of the two folders above
it, whose name has the word
`dev`, `development`, `local`, `test`, `tests`, `testing`, `ci`, `debug`, `example` or `demo`
(`settings/local.py`, `test_settings.py`, `tests/settings.py`), where a browser on `localhost`
over plain HTTP is the point; a framework's defaults (`global_settings.py`,
`default_settings.py`), which projects override. Computed values
(`ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")`, `SESSION_COOKIE_SECURE = not DEBUG`) and
assignments under an `if` or `try` (a per-environment choice) or in a class; leading-dot host
patterns (`".example.com"`) and IP hosts; `SECURE_SSL_REDIRECT = False` outside production
settings (a proxy or the load balancer often redirects instead); modules elsewhere that happen
to use these names.

**Fix.** None automatic. List the site's host names (from the environment), and set
`SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE` and `SECURE_SSL_REDIRECT` to `True` in production
(or leave `SESSION_COOKIE_HTTPONLY` at its default, `True`); `manage.py check --deploy` lists the
rest.

**References.** CWE-183 (permissive list of allowed inputs), CWE-614 (sensitive cookie without
Secure), CWE-1004 (sensitive cookie without HttpOnly), CWE-319 (cleartext transmission); Django's
deployment checklist and `check --deploy` (security.W008, W012, W016, W020). No bandit or ruff
counterpart.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator, List, Optional, Set, Tuple, Union

from hooks.engine.prefilter import Prefilter
from hooks.engine.pyast import tree_of
from hooks.engine.rule import Bad, Confidence, Finding, Ok, Severity, TextRule
from hooks.engine.lazyre import lazy_re

# the files pre-commit passes to this hook alone (`.pre-commit-hooks.yaml`)
PRECOMMIT_FILES = r"(^|/)(settings/[^/]+|(\w+_)?settings(_\w+)?)\.py$"
SETTINGS_PATH = lazy_re(PRECOMMIT_FILES)
# words of a path (split at `/`, `_`, `-`, `.`) that say which environment the settings are for
DEV_WORDS = frozenset(
    {"dev", "develop", "development", "local", "test", "tests", "testing", "ci", "debug",
     "example", "examples", "demo", "sample"}
)  # fmt: skip
# a framework's or an app's defaults (Django's `conf/global_settings.py`), which projects override
DEFAULTS_WORDS = frozenset({"global", "default", "defaults"})
PRODUCTION_WORDS = frozenset({"prod", "production", "live", "deploy", "deployment", "staging"})
NAMES = (
    "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
)  # fmt: skip
NAME_WORDS = lazy_re(rb"\b(" + b"|".join(n.encode() for n in NAMES) + rb")\b")
# setting switched off -> (what it does, whether only production settings are judged)
SWITCHED_OFF = {
    "SESSION_COOKIE_SECURE": ("the session cookie also travels over plain HTTP", False),
    "CSRF_COOKIE_SECURE": ("the CSRF cookie also travels over plain HTTP", False),
    "SESSION_COOKIE_HTTPONLY": ("scripts on the page can read the session cookie", False),
    "SECURE_SSL_REDIRECT": ("plain-HTTP requests are served without a redirect to HTTPS", True),
}
ANY_HOST = "Django accepts any Host header: reset links and absolute URLs take the attacker's host"


def environment(path: str) -> str:
    """`dev` (development, tests or a framework's defaults: not judged), `production` or ""
    (not said), from the words of the file's name and of the two folders above it (not from
    where the checkout lies: `/home/dev/...`)."""
    tail = "/".join(path.replace("\\", "/").lower().split("/")[-3:])
    words = set(re.split(r"[/_.\-]+", tail))
    if words & (DEV_WORDS | DEFAULTS_WORDS):
        return "dev"
    return "production" if words & PRODUCTION_WORDS else ""


def settings(text: str) -> Iterator[Tuple[ast.stmt, str, ast.expr]]:
    """(statement, name, value) of each module-level assignment of a setting we judge."""
    tree = tree_of(text)
    if tree is None:
        return  # the syntax-error check of the Python hooks reports it (DW003 a deep nesting)
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in NAMES:
            yield statement, target.id, value


def _wildcard(value: ast.expr) -> Optional[ast.expr]:
    """The `"*"` element of a literal list, tuple or set of hosts."""
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        for element in value.elts:
            if isinstance(element, ast.Constant) and element.value == "*":
                return element
    return None


class InsecureDjangoSetting(TextRule):
    code = "DW903"
    name = "insecure-django-setting"
    summary = (
        "A Django settings module accepts any Host header, or sends session or CSRF cookies "
        "without Secure or HttpOnly, or (in production) serves plain HTTP."
    )
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (183, 614, 1004, 319)
    message = "{what}: {effect}"
    hint = "list the real host names and keep these protections on in deployed settings"
    prefilter = Prefilter(words=[n.encode() for n in NAMES])
    examples = (
        Bad(
            "from .base import *  # noqa\n\nDEBUG = False\nALLOWED_HOSTS = ['*']\n",
            ((4, 18),),
            path="config/settings/production.py",
            why="the DisallowedHost fix",
        ),
        Bad(
            "import os\n\nSECRET_KEY = os.environ['SECRET_KEY']\n"
            "ALLOWED_HOSTS = ['shop.example.com', '*']\n"
            "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n",
            ((4, 38), (5, 1), (6, 1)),
            path="shop/settings.py",
        ),
        Bad(
            "SESSION_COOKIE_HTTPONLY: bool = False\nSECURE_SSL_REDIRECT = False\n",
            ((1, 1), (2, 1)),
            path="deploy/settings_prod.py",
            why="production settings: the redirect counts too",
        ),
        Bad(
            "ALLOWED_HOSTS = ('*',)\n",
            ((1, 18),),
            path="myproject/settings/__init__.py",
        ),
        Ok(
            "from .base import *\n\nDEBUG = True\nALLOWED_HOSTS = ['*']\n"
            "SESSION_COOKIE_SECURE = False\nSECURE_SSL_REDIRECT = False\n",
            path="config/settings/local.py",
            why="development settings",
        ),
        Ok(
            "ALLOWED_HOSTS = ['*']\nCSRF_COOKIE_SECURE = False\n",
            path="tests/settings.py",
            why="test settings",
        ),
        Ok(
            "ALLOWED_HOSTS = ['*']\n",
            path="myapp/test_settings.py",
        ),
        Ok(
            "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n",
            path="django/conf/global_settings.py",
            why="Django's own defaults, which a project's settings override",
        ),
        Ok(
            "SECURE_SSL_REDIRECT = False  # TLS ends at the load balancer, which redirects\n",
            path="mysite/settings.py",
            why="the redirect is judged in production settings only",
        ),
        Ok(
            "import environ\nenv = environ.Env()\nALLOWED_HOSTS = env.list('ALLOWED_HOSTS', "
            "default=['*'])\nSESSION_COOKIE_SECURE = not DEBUG\n"
            "if DEBUG:\n    CSRF_COOKIE_SECURE = False\n",
            path="config/settings/production.py",
            why="computed, or under an if",
        ),
        Ok(
            "ALLOWED_HOSTS = ['.example.com', '10.0.0.5']\nSESSION_COOKIE_SECURE = True\n",
            path="config/settings/production.py",
        ),
        Ok(
            "ALLOWED_HOSTS = ['*']\nSESSION_COOKIE_SECURE = False\n",
            path="docs/howto/deployment.py",
            why="not a settings module",
        ),
    )

    def wants(self, path: str, data: bytes) -> bool:
        return SETTINGS_PATH.search(path.replace("\\", "/")) is not None and (
            NAME_WORDS.search(data) is not None
        )

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        where = environment(path)
        if text is None or where == "dev":
            return []
        found = []
        for node, what, effect in self._judged(text, production=where == "production"):
            if lines is None or node.lineno in lines:
                end = node.end_col_offset if node.end_lineno == node.lineno else None
                col = node.col_offset + 1
                found.append(self.found(path, node.lineno, col, (end or col) + 1, what=what,
                                        effect=effect))  # fmt: skip
        return found

    def _judged(
        self, text: str, production: bool
    ) -> Iterator[Tuple[Union[ast.stmt, ast.expr], str, str]]:
        for statement, name, value in settings(text):
            if name == "ALLOWED_HOSTS":
                star = _wildcard(value)
                if star is not None:
                    yield star, '`"*"` in `ALLOWED_HOSTS`', ANY_HOST
                continue
            effect, production_only = SWITCHED_OFF[name]
            off = isinstance(value, ast.Constant) and value.value is False
            if off and (production or not production_only):
                yield statement, f"`{name} = False`", effect
