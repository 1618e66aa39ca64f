"""url-schemes: urllib opening a URL from outside the program, whatever its scheme.

**What it finds.** DW316: `urllib.request.urlopen`, `urlretrieve` and `Request` (also through
`six.moves.urllib.request`) given a URL that comes from outside the function (a web request,
`input()`, `sys.argv`, the environment, a file read, or a parameter) when the function does not
check its scheme first. urllib opens `file:` URLs as readily as `https:` ones (and `ftp:` and
`data:`), so `file:///etc/passwd` or `file:///proc/self/environ` reads the server's own files.

**Why it matters in assistant-written code.** "Fetch the URL the user gives" comes out as
`urllib.request.urlopen(url).read()`: the standard library needs no install, and the code works
for every `https:` URL anyone tries. Nobody tries `file:`.

**Severity.** Medium; high confidence when the URL comes from a request, `input()`, `sys.argv`,
the environment or a read, medium when it is a parameter of the function.

**Bad**

```python
def fetch(request):
    with urllib.request.urlopen(request.GET["url"], timeout=10) as page:
        return page.read()
```

**Good**

```python
def fetch(request):
    url = request.GET["url"]
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("only http and https URLs")
    with urllib.request.urlopen(url, timeout=10) as page:
        return page.read()
```

**Not flagged.** Literal and constant URLs, a `file:` one included (the code's author chose
it); URLs whose scheme is written in the code (`f"https://api.example.com/{path}"`); URLs we
cannot follow (a call's result, an attribute of a parameter such as `self.feed_url`, a URL built
from the object's own attributes); a whole `req` / `request` parameter passed to `urlopen` (a
`Request` made by the caller, reported where it is made, if anywhere); calls in a function that
checks a scheme before them (reads `.scheme` or calls `.startswith(...)` with an `http` prefix);
`requests` and `httpx`, which refuse `file:` URLs; `opener.open(url)` on openers we cannot
resolve; the deprecated `URLopener` classes (bandit reports their construction; they are removed
in Python 3.14). Whether the host may be reached at all (server-side request forgery) is a
different question, not asked here.

**Fix.** None automatic. Check the scheme (`urlsplit(url).scheme in ("http", "https")`) before
opening, or use `requests` / `httpx`.

**References.** CWE-73 (external control of file name or path), CWE-918 (server-side request
forgery); bandit B310; ruff S310.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List

from hooks._sources import from_outside
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.trust import Trust

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

URL_CALLS = frozenset(
    f"{package}.{name}"
    for package in ("urllib.request", "six.moves.urllib.request")
    for name in ("urlopen", "urlretrieve", "Request")
)
WEB_SCHEMES = ("http://", "https://")
# sources (as origin.py words them) that say nothing about a URL: the object's own settings,
# and a whole parameter named `req`/`request`, which here is a urllib Request made elsewhere
NOT_A_URL_SOURCE = ("parameter `self`", "parameter `cls`", "the request parameter ")


def _leading_text(node: cst.BaseExpression) -> str:
    """The literal text a URL expression starts with ('' when it starts with a value)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else ""
    if isinstance(node, cst.FormattedString):
        first = node.parts[0] if node.parts else None
        return first.value if isinstance(first, cst.FormattedStringText) else ""
    if isinstance(node, (cst.ConcatenatedString, cst.BinaryOperation)):
        return _leading_text(node.left)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value == "format":  # "https://{}/x".format(host)
            return _leading_text(node.func.value)
    return ""


class UrllibAnyScheme(Rule):
    code = "DW316"
    name = "urllib-any-scheme"
    summary = "urllib opens a URL from outside without checking its scheme (file: reads files)."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (73, 918)
    message = "`{func}` opens a URL from outside unchecked: a `file:` URL reads local files"
    hint = "check urlsplit(url).scheme in ('http', 'https') first, or use requests/httpx"
    triggers = ("urlopen", "urlretrieve", "urllib")
    examples = (
        Bad(
            "import urllib.request\n\n"
            "def preview(request):\n"
            "    url = request.GET['url']\n"
            "    with urllib.request.urlopen(url, timeout=10) as page:\n"
            "        return page.read(4096)\n",
            ((5, 10),),
        ),
        Bad(
            "import sys\nfrom urllib.request import urlretrieve\n"
            "urlretrieve(sys.argv[1], 'download.bin')\n",
            ((3, 1),),
        ),
        Bad(
            "from urllib import request\n\n"
            "def fetch_json(url, token):\n"
            "    req = request.Request(url, headers={'Authorization': token})\n"
            "    return request.urlopen(req, timeout=5).read()\n",
            ((4, 11),),
            why="a parameter, reported at the Request that holds it",
        ),
        Bad(
            "import os\nimport urllib.request as ur\n"
            "feed = ur.urlopen(os.environ['FEED_URL'], timeout=5)\n",
            ((3, 8),),
        ),
        Ok(
            "import urllib.parse\nimport urllib.request\n\n"
            "def preview(url):\n"
            "    if urllib.parse.urlsplit(url).scheme not in ('http', 'https'):\n"
            "        raise ValueError(url)\n"
            "    return urllib.request.urlopen(url, timeout=10).read()\n",
            why="the scheme is checked first",
        ),
        Ok(
            "import urllib.request\n\n"
            "def download(url, dest):\n"
            "    if not url.startswith(('https://', 'http://')):\n"
            "        raise ValueError(url)\n"
            "    urllib.request.urlretrieve(url, dest)\n",
            why="a startswith check of the scheme",
        ),
        Ok(
            "import urllib.request\n\n"
            "def user(name):\n"
            "    return urllib.request.urlopen(f'https://api.github.com/users/{name}')\n",
            why="the scheme is written in the code",
        ),
        Ok(
            "import urllib.request\nurllib.request.urlopen('file:///etc/hostname')\n",
            why="a literal URL: the author chose it",
        ),
        Ok(
            "import urllib.request\n\n"
            "def fetch(self):\n"
            "    return urllib.request.urlopen(self.settings.FEED_URL, timeout=5)\n",
            why="a URL we cannot follow",
        ),
        Ok(
            "import requests\n\ndef fetch(url):\n    return requests.get(url, timeout=5)\n",
            why="requests refuses file: URLs",
        ),
        Ok(
            "import urllib.request\n\n"
            "def f(urllib, url):\n    return urllib.request.urlopen(url)\n",
            why="shadowed by a parameter",
        ),
        Ok("HELP = 'urllib.request.urlopen(url) also opens file: URLs'\n", why="text in a string"),
        Ok(
            "import urllib.request\n\n"
            "class Index:\n"
            "    def classifiers(self):\n"
            "        url = self.repository + '?:action=list_classifiers'\n"
            "        return urllib.request.urlopen(url, timeout=10)\n",
            why="built from the object's own settings",
        ),
        Ok(
            "import urllib.request\n\n"
            "def open_with_retries(req, tries=3):\n"
            "    return urllib.request.urlopen(req, timeout=10)\n",
            why="a Request object made by the caller, not a URL",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        # per enclosing function: has a scheme check been seen yet?
        self.checked: List[List[bool]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.checked.append([])

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.checked.pop()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "scheme" and self.checked:
            self.checked[-1].append(True)

    def visit_Call(self, node: cst.Call) -> None:
        if self._scheme_check(node):
            self.checked[-1].append(True)
            return
        func = self.ctx.resolve(node.func)
        if func not in URL_CALLS or (self.checked and self.checked[-1]):
            return
        url = self.ctx.argument(node, 0, "url")
        if url is None or _leading_text(url.value).lower().startswith(WEB_SCHEMES):
            return
        found = self.ctx.origin(url.value)
        if found.trust is not Trust.UNTRUSTED:
            return
        outside = from_outside(found)
        if not outside and isinstance(url.value, (cst.Attribute, cst.Subscript)):
            return  # `self.feed_url`, `config["url"]`: settings of an object passed in
        if found.source.startswith(NOT_A_URL_SOURCE):
            return
        confidence = Confidence.HIGH if outside else Confidence.MEDIUM
        self.report(
            node, confidence=confidence, value=(url.value, found), func=func.rsplit(".", 1)[1]
        )

    def _scheme_check(self, node: cst.Call) -> bool:
        """`x.startswith("http...")` or `x.startswith(("https://", ...))` inside a function."""
        func = node.func
        if not (self.checked and isinstance(func, cst.Attribute)):
            return False
        if func.attr.value != "startswith" or not node.args:
            return False
        prefix = node.args[0].value
        prefixes = (
            [el.value for el in prefix.elements] if isinstance(prefix, cst.Tuple) else [prefix]
        )
        return any(_leading_text(p).lower().startswith("http") for p in prefixes)
