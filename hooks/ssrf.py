"""ssrf: the server fetches a URL, or connects to a host, taken from web request data.

**What it finds.** DW132: a value from the request that reaches the URL of `requests.get` /
`post` / ... / `request`, `httpx.get` / ... / `request` / `stream`, `urllib.request.urlopen` /
`Request` / `urlretrieve`, `urllib3.request`, `aiohttp.request`, or the host of
`http.client.HTTPConnection` / `HTTPSConnection` and `socket.create_connection`; also the same
methods on a client made in the function or module (`s = requests.Session()`,
`async with aiohttp.ClientSession() as session`, `httpx.Client()` / `AsyncClient()`,
`urllib3.PoolManager()`) or kept on `self` by its class (`self.session.get(url)`). Helpers
of the same module are followed one level.

**Why it matters in assistant-written code.** "Fetch the preview of a link the user pastes" or
"proxy this image" become `requests.get(request.args["url"])`. The server then fetches
`http://169.254.169.254/latest/meta-data/` (the cloud's credentials), `http://localhost:6379/`
or any internal admin page, and hands the answer back.

**Severity.** High.

**Bad**

```python
url = request.args["url"]
return requests.get(url, timeout=5).content
```

**Good**

```python
url = request.args["url"]
if urlparse(url).hostname not in ALLOWED_HOSTS:
    abort(400)
return requests.get(url, timeout=5).content
```

**Not flagged.** URLs whose literal start fixes the host (`f"https://api.github.com/users/{name}"`,
`BASE + "/items/" + item_id` when `BASE` is a literal URL): the request value can only choose a
path on that host. URLs checked before the call: membership of the value or its
`urlparse(...).hostname` / `netloc` in an allowlist, `.startswith(...)`, a comparison with a
constant, `url_has_allowed_host_and_scheme`, or a function named like a check
(`validate_url(url)`). Methods on objects that are not visibly an HTTP client (`cache.get(key)`).
URLs from the environment, the command line or plain function parameters (configuration, not the
request). A client kept on `self` counts when its class makes it (`self.session =
requests.Session()` in a method, `client = httpx.Client()` in the class body); one handed in
from outside (`self.session = session`) is not followed.

**Fix.** None automatic. Allow only known hosts (compare `urlparse(url).hostname` with a fixed
set), keep request data to the path of a fixed base URL, and refuse private and link-local
addresses if any host must be allowed.

**References.** CWE-918 (server-side request forgery); no bandit or ruff counterpart (a
data-flow check).
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Set, Tuple

from hooks._webflow import FlowRule, fixed_start, innermost_function
from hooks.engine.bindings import Kind, dotted
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, Severity
from hooks.engine.trust import Origin

VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
# function -> (position, keyword) of the URL or host it reaches
FETCHERS: Dict[str, Tuple[int, str]] = {
    **{f"{lib}.{verb}": (0, "url") for lib in ("requests", "httpx") for verb in VERBS},
    "requests.request": (1, "url"),
    "httpx.request": (1, "url"),
    "httpx.stream": (1, "url"),
    "urllib.request.urlopen": (0, "url"),
    "urllib.request.Request": (0, "url"),
    "urllib.request.urlretrieve": (0, "url"),
    "urllib3.request": (1, "url"),
    "aiohttp.request": (1, "url"),
    "http.client.HTTPConnection": (0, "host"),
    "http.client.HTTPSConnection": (0, "host"),
    "socket.create_connection": (0, "address"),
}
CLIENTS = frozenset(
    {
        "requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient",
        "aiohttp.ClientSession", "urllib3.PoolManager", "urllib3.ProxyManager",
    }
)  # fmt: skip
CLIENT_PACKAGES = frozenset(name.split(".")[0] for name in CLIENTS)
# client method -> position of its URL
CLIENT_METHODS = {**{verb: 0 for verb in VERBS}, "request": 1, "stream": 1, "urlopen": 1}
FETCHER_NAMES = frozenset(name.rsplit(".", 1)[1] for name in FETCHERS)


class Ssrf(FlowRule):
    code = "DW132"
    name = "ssrf"
    summary = "The server fetches a URL, or connects to a host, taken from web request data."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (918,)
    message = "{sink} fetches an address from request data: it can reach internal services"
    hint = "allow only known hosts (check urlparse(url).hostname), or keep to a fixed base URL"
    sink = "url"
    examples = (
        Bad(
            "import requests\n"
            "from flask import Flask, request\n"
            "\n"
            "app = Flask(__name__)\n"
            "\n"
            "@app.route('/preview')\n"
            "def preview():\n"
            "    url = request.args['url']\n"
            "    page = requests.get(url, timeout=5)\n"
            "    return {'title': title_of(page.text)}\n",
            ((9, 12),),
            why="a link preview endpoint",
        ),
        Bad(
            "import httpx\n"
            "from fastapi import FastAPI\n"
            "from pydantic import BaseModel\n"
            "\n"
            "class Hook(BaseModel):\n"
            "    callback: str\n"
            "\n"
            "app = FastAPI()\n"
            "\n"
            "@app.post('/webhooks/test')\n"
            "async def test_hook(hook: Hook):\n"
            "    async with httpx.AsyncClient() as client:\n"
            "        await client.post(hook.callback, json={'ping': True})\n",
            ((13, 15),),
            why="a FastAPI body model and an async client",
        ),
        Bad(
            "from urllib.request import urlopen\n"
            "\n"
            "def fetch_avatar(request):\n"
            "    with urlopen(request.POST['avatar_url']) as resp:\n"
            "        return resp.read()\n",
            ((4, 10),),
            why="Django form data into urlopen",
        ),
        Bad(
            "import aiohttp\n"
            "\n"
            "async def proxy(request):\n"
            "    target = request.query['u']\n"
            "    async with aiohttp.ClientSession() as session:\n"
            "        async with session.get(target) as resp:\n"
            "            return web.Response(body=await resp.read())\n",
            ((6, 20),),
            why="aiohttp client in an aiohttp handler",
        ),
        Bad(
            "import requests\n"
            "from flask import request\n"
            "\n"
            "def fetch(host, path):\n"
            "    return requests.get(f'http://{host}/{path}', timeout=3).json()\n"
            "\n"
            "@bp.route('/status')\n"
            "def status():\n"
            "    return fetch(request.args['host'], 'health')\n",
            ((9, 12),),
            why="a helper of the same module builds the URL",
        ),
        Bad(
            "import http.client\n"
            "from django.http import JsonResponse\n"
            "\n"
            "def check(request, host):\n"
            "    conn = http.client.HTTPSConnection(host, timeout=5)\n"
            "    conn.request('GET', '/')\n",
            ((5, 12),),
            why="a Django URL parameter as the host",
        ),
        Ok(
            "import requests\n"
            "from urllib.parse import urlparse\n"
            "from flask import abort, request\n"
            "\n"
            "ALLOWED_HOSTS = {'images.example.com', 'cdn.example.com'}\n"
            "\n"
            "@app.route('/image')\n"
            "def image():\n"
            "    url = request.args['src']\n"
            "    if urlparse(url).hostname not in ALLOWED_HOSTS:\n"
            "        abort(400)\n"
            "    return requests.get(url, timeout=5).content\n",
            why="the host is checked against an allowlist",
        ),
        Ok(
            "import requests\n"
            "\n"
            "def github_user(request, login):\n"
            "    return requests.get(f'https://api.github.com/users/{login}', timeout=5).json()\n",
            why="the host is fixed; the request picks a path on it",
        ),
        Ok(
            "import httpx\n"
            "from fastapi import FastAPI\n"
            "\n"
            "app = FastAPI()\n"
            "API = 'https://billing.internal.example.com'\n"
            "\n"
            "@app.get('/invoices/{number}')\n"
            "async def invoice(number: int):\n"
            "    async with httpx.AsyncClient() as client:\n"
            "        return (await client.get(f'{API}/invoices/{number}')).json()\n",
            why="an int parameter and a module base URL",
        ),
        Ok(
            "import os\n"
            "import requests\n"
            "\n"
            "def notify(message):\n"
            "    requests.post(os.environ['SLACK_WEBHOOK'], json={'text': message}, timeout=5)\n",
            why="a URL from the environment is configuration",
        ),
        Ok(
            "from flask import request\n"
            "\n"
            "@app.route('/cached')\n"
            "def cached():\n"
            "    return cache.get(request.args['key'])\n",
            why="get() on something that is not an HTTP client",
        ),
        Ok(
            "import requests\n"
            "\n"
            "def download(url):\n"
            "    return requests.get(url, timeout=10).content\n",
            why="a plain function parameter",
        ),
        Ok(
            "import requests\n"
            "from flask import abort, request\n"
            "\n"
            "@app.route('/fetch')\n"
            "def fetch():\n"
            "    url = request.args['url'].strip()\n"
            "    if not is_allowed_url(url):\n"
            "        abort(403)\n"
            "    return requests.get(url, timeout=5).text\n",
            why="a function named like a check guards it",
        ),
        Bad(
            "import requests\n"
            "from django.http import JsonResponse\n"
            "from django.views import View\n"
            "\n"
            "class LinkPreview(View):\n"
            "    def __init__(self, **kwargs):\n"
            "        super().__init__(**kwargs)\n"
            "        self.session = requests.Session()\n"
            "\n"
            "    def get(self, request):\n"
            "        page = self.session.get(request.GET['url'], timeout=5)\n"
            "        return JsonResponse({'status': page.status_code})\n",
            ((11, 16),),
            why="a client kept on self by __init__, in a class-based view",
        ),
        Bad(
            "import httpx\n"
            "from flask import request\n"
            "from flask.views import MethodView\n"
            "\n"
            "class Proxy(MethodView):\n"
            "    client: httpx.Client = httpx.Client(timeout=10)\n"
            "\n"
            "    def post(self):\n"
            "        target = request.json['target']\n"
            "        return self.client.request('GET', target).content\n",
            ((10, 16),),
            why="a client made in the class body",
        ),
        Bad(
            "import requests\n"
            "from urllib.parse import urlparse\n"
            "from flask import abort, request\n"
            "\n"
            "@app.route('/image')\n"
            "def image():\n"
            "    url = request.args['src']\n"
            "    resp = requests.get(url, timeout=5)\n"
            "    if urlparse(url).hostname not in ALLOWED_HOSTS:\n"
            "        abort(400)\n"
            "    return resp.content\n",
            ((8, 12),),
            why="the allowlist is checked after the request has gone out",
        ),
        Ok(
            "import requests\n"
            "from flask import request\n"
            "\n"
            "@app.route('/mirror')\n"
            "def mirror():\n"
            "    url = request.args['url']\n"
            "    return requests.get(url).text if is_allowed_url(url) else ''\n",
            why="the check is in the sink's own statement, a conditional expression",
        ),
        Ok(
            "import requests\n"
            "from flask import request\n"
            "\n"
            "class Lookup:\n"
            "    def __init__(self, cache):\n"
            "        self.cache = cache\n"
            "        self.session = requests.Session()\n"
            "\n"
            "    def find(self):\n"
            "        return self.cache.get(request.args['key'])\n",
            why="self.cache is not a client",
        ),
        Ok(
            "import requests\n"
            "\n"
            "class GitHub:\n"
            "    def __init__(self, token):\n"
            "        self.session = requests.Session()\n"
            "        self.session.headers['Authorization'] = f'token {token}'\n"
            "\n"
            "    def fetch(self, url):\n"
            "        return self.session.get(url, timeout=5).json()\n",
            why="an API wrapper: its URL is a plain parameter, not request data",
        ),
        Ok(
            "import requests\n"
            "from flask import request\n"
            "\n"
            "class Users:\n"
            "    def __init__(self):\n"
            "        self.session = requests.Session()\n"
            "\n"
            "    def show(self):\n"
            "        login = request.args['login']\n"
            "        return self.session.get(f'https://api.github.com/users/{login}').json()\n",
            why="the host is fixed",
        ),
        Bad(
            "import requests\n"
            "from flask import request\n"
            "\n"
            "@app.route('/feed')\n"
            "def feed():\n"
            "    source = request.args.get('source', 'news')\n"
            "    if source not in FEEDS:\n"
            "        source = 'news'\n"
            "    return requests.get(FEEDS[source] + request.args['path']).text\n",
            ((9, 12),),
            why="the allowlist checks `source`, not the path appended to it",
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._with_clients: Dict[int, Set[str]] = {}
        self._self_clients: Dict[int, Set[str]] = {}

    def sinks(self, call: cst.Call) -> Iterable[Tuple[str, cst.BaseExpression]]:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in CLIENT_METHODS:
            if CLIENT_PACKAGES & self.imported() and self._is_client(func.value):
                arg = self.ctx.argument(call, CLIENT_METHODS[func.attr.value], "url")
                if arg is not None:
                    yield f"{type_label(func.value)}.{func.attr.value}", arg.value
                return
        last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if last not in FETCHER_NAMES:
            return
        qualified = self.ctx.resolve(func)
        if qualified in FETCHERS:
            position, keyword = FETCHERS[qualified]
            arg = self.ctx.argument(call, position, keyword)
            if arg is not None:
                yield qualified, arg.value

    def quiet(self, value: cst.BaseExpression, found: Origin) -> bool:
        return fixed_start(self.ctx, value)

    def _is_client(self, node: cst.BaseExpression) -> bool:
        """`requests.Session()`, or a name bound to one here or in a `with ... as name`."""
        if isinstance(node, cst.Call):
            return self.ctx.resolve(node.func) in CLIENTS
        if isinstance(node, cst.Attribute) and dotted(node.value) == "self":
            return node.attr.value in self._clients_on_self()
        if not isinstance(node, cst.Name):
            return False
        bindings, _ = lookup(node.value, self.ctx.scopes)
        for binding in bindings or ():
            if binding.kind is Kind.ASSIGN and isinstance(binding.value, cst.Call):
                if self.ctx.resolve(binding.value.func) in CLIENTS:
                    return True
        return node.value in self._clients_opened_here()

    def _clients_on_self(self) -> Set[str]:
        """Attributes the enclosing class sets to a client: `self.session = requests.Session()`
        in any of its methods (`__init__`, `setup`), or `session = httpx.Client()` in its body."""
        owner = next(
            (s.node for s in reversed(self.ctx.scopes) if isinstance(s.node, cst.ClassDef)), None
        )
        if owner is None:
            return set()
        key = id(owner)
        if key not in self._self_clients:
            found: Set[str] = set()
            stack: List[cst.CSTNode] = [owner.body]
            while stack:
                node = stack.pop()
                if isinstance(node, cst.ClassDef):
                    continue  # a nested class has its own `self`
                for target in self._client_targets(node):
                    if isinstance(target, cst.Attribute) and dotted(target.value) == "self":
                        found.add(target.attr.value)
                stack.extend(node.children)
            for line in owner.body.body:
                for small in line.body if isinstance(line, cst.SimpleStatementLine) else ():
                    found.update(
                        t.value for t in self._client_targets(small) if isinstance(t, cst.Name)
                    )
            self._self_clients[key] = found
        return self._self_clients[key]

    def _client_targets(self, node: cst.CSTNode) -> List[cst.BaseExpression]:
        """The targets of `target = <client>(...)`; none for other nodes."""
        targets: List[cst.BaseExpression]
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, cst.AnnAssign):
            targets = [node.target]
        else:
            return []
        value = node.value
        if isinstance(value, cst.Call) and self.ctx.resolve(value.func) in CLIENTS:
            return targets
        return []

    def _clients_opened_here(self) -> Set[str]:
        """Names bound by `with <client>() as name` in the current function."""
        function = innermost_function(self.ctx)
        if function is None:
            return set()
        key = id(function)
        if key not in self._with_clients:
            found: Set[str] = set()
            stack = [function.body]
            while stack:
                node = stack.pop()
                if isinstance(node, cst.WithItem) and isinstance(node.item, cst.Call):
                    target = node.asname.name if node.asname is not None else None
                    if isinstance(target, cst.Name) and self.ctx.resolve(node.item.func) in CLIENTS:
                        found.add(target.value)
                stack.extend(node.children)  # type: ignore[arg-type]
            self._with_clients[key] = found
        return self._with_clients[key]


def type_label(node: cst.BaseExpression) -> str:
    name: Optional[str] = node.value if isinstance(node, cst.Name) else None
    if isinstance(node, cst.Attribute) and dotted(node.value) == "self":
        name = f"self.{node.attr.value}"
    return name or "client"
