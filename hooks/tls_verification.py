"""tls-verification: TLS that does not check who answers, or that uses an obsolete protocol.

**What it finds.** DW310: certificate or host name checking turned off: `verify=False` in
requests and httpx, `ssl=False` / `verify_ssl=False` in aiohttp, `session.verify = False`,
`ssl.CERT_NONE`, `ssl._create_unverified_context`, `ctx.check_hostname = False`, urllib3's
`cert_reqs="CERT_NONE"` and `assert_hostname=False`; and, at low severity, silencing the warning
that says so (`urllib3.disable_warnings()`, ignoring `InsecureRequestWarning`). DW312: obsolete
protocol versions: `ssl.PROTOCOL_SSLv2` / `SSLv3` / `TLSv1` / `TLSv1_1`, `ssl.TLSVersion.TLSv1`
/ `TLSv1_1` / `SSLv3`, and pyOpenSSL's `SSLv2_METHOD` / `SSLv3_METHOD` / `TLSv1_METHOD` /
`TLSv1_1_METHOD`. DW313: the same mistake in SSH: paramiko's `AutoAddPolicy` / `WarningPolicy`
(any use: passed to `set_missing_host_key_policy`, assigned, subclassed) and asyncssh's
`known_hosts=None`, which accept whatever host key the server shows.

**Why it matters in assistant-written code.** `SSLError: certificate verify failed` has one
answer that always makes the error go away, and assistants give it: `verify=False`, followed by
`urllib3.disable_warnings()` to quiet the log. The connection still looks encrypted, but anyone on
the network path can present their own certificate and read or change every request, credentials
included. Old protocol versions come from copied snippets that "fix" a handshake failure.

**Severity.** DW310 is high; silencing the warning is low (it changes nothing by itself, but it
hides the one signal that verification is off). DW312 is high for SSL 2.0 / 3.0 and medium for
TLS 1.0 / 1.1.

**Bad**

```python
resp = requests.get(url, verify=False)
urllib3.disable_warnings()
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
server = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
```

**Good**

```python
resp = requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")
ctx = ssl.create_default_context(cafile="/etc/ssl/certs/internal-ca.pem")
server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server.minimum_version = ssl.TLSVersion.TLSv1_2
ssh.load_system_host_keys()  # the default RejectPolicy refuses unknown hosts
```

**Not flagged.** `verify=True`, `verify=None` (the default) and `verify="/path/ca.pem"`;
`verify=settings.VERIFY` and any other computed value (we cannot know it, and flagging every
configurable flag would bury real findings); a dict entry `{"verify": False}` (not a call);
`self.verify = False` (an object's own attribute named `verify` is too often something else);
`ssl=False` outside aiohttp (database drivers use it for "no TLS at all", a different question);
`ssl.create_default_context()`, `ssl.PROTOCOL_TLS_CLIENT`, `ssl.OP_NO_TLSv1`,
`check_hostname = True`; paramiko's `RejectPolicy` and policy classes we cannot resolve (a
project's own policy may check a pinned key); asyncssh's `known_hosts=` given anything but a
literal None; and names in comparisons (`if ctx.verify_mode == ssl.CERT_NONE:` checks
for the problem rather than causing it) and in imports (the use is what is reported).

`verify=False` is reported on requests and httpx calls we can resolve, and also on the HTTP
method calls `.get`, `.post`, `.put`, `.patch`, `.delete`, `.head`, `.options`, `.request` and
`.send` of any object: a `requests.Session` or `httpx.Client` is usually made elsewhere and
cannot be resolved, and a literal `verify=False` on such a call is a strong enough signal on its
own. `ssl=False` is treated the same way for aiohttp (plus `.ws_connect`).

**Fix.** Safe, for `verify=False` (or `verify=0`) on requests and httpx calls, and on the HTTP
methods of sessions and clients: the argument is removed, so the library's default (verify)
applies. A server with a self-signed or private certificate then fails the handshake, which is
the point: pass its CA bundle (`verify="/path/ca.pem"`, `ssl.create_default_context(cafile=...)`).
The other findings are not rewritten: keep verification on. For SSH, load the known hosts
(`load_system_host_keys()`, `load_host_keys(path)`) and keep `RejectPolicy`; give asyncssh a
known_hosts file. For TLS versions, use
`ssl.PROTOCOL_TLS_CLIENT` / `PROTOCOL_TLS_SERVER` and `minimum_version = ssl.TLSVersion.TLSv1_2`.

**References.** CWE-295 (improper certificate validation), CWE-322 (key exchange without
entity authentication), CWE-327 (broken or risky cryptographic algorithm); bandit B501, B502,
B503, B504, B323, B507; ruff S501, S502, S503, S504, S323, S507.
"""

from __future__ import annotations

from typing import ClassVar, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from hooks.engine.lazy import cst
from hooks.engine import edits
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Ok, Rule, Severity

TURNS_OFF_CERTS = "turns off TLS certificate verification"
TURNS_OFF_HOSTNAME = "turns off TLS host name checking"
HIDES_WARNING = "hides the warning that TLS verification is off"

# the methods through which a requests Session / httpx Client sends a request
HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send"}
)
AIOHTTP_METHODS = frozenset({*HTTP_METHODS, "ws_connect"})
# keyword -> (libraries where it means "TLS off", methods of unknown objects where it does too)
FALSE_KEYWORDS: Dict[str, Tuple[Tuple[str, ...], FrozenSet[str]]] = {
    "verify": (("requests", "httpx"), HTTP_METHODS),
    "ssl": (("aiohttp",), AIOHTTP_METHODS),
}
# keywords whose literal False turns checking off on any call: the names are specific enough
ANY_CALL_FALSE_KEYWORDS = {"verify_ssl": TURNS_OFF_CERTS, "assert_hostname": TURNS_OFF_HOSTNAME}
# urllib3 also takes cert_reqs as a string
CERT_NONE_STRINGS = frozenset({"CERT_NONE", "NONE"})
# attribute assignments of False that turn checking off
FALSE_ATTRIBUTES = {
    "verify": TURNS_OFF_CERTS,
    "verify_ssl": TURNS_OFF_CERTS,
    "check_hostname": TURNS_OFF_HOSTNAME,
}
OWN_OBJECT = frozenset({"self", "cls"})
UNVERIFIED_NAMES = {
    "ssl.CERT_NONE": TURNS_OFF_CERTS,
    "ssl.VerifyMode.CERT_NONE": TURNS_OFF_CERTS,
    "ssl._create_unverified_context": TURNS_OFF_CERTS,
    "ssl._create_stdlib_context": TURNS_OFF_CERTS,
}
DISABLE_WARNINGS = frozenset(
    {"urllib3.disable_warnings", "requests.packages.urllib3.disable_warnings"}
)
# the urllib3 warning classes that cover "this request was not verified"
TLS_WARNINGS = frozenset({"InsecureRequestWarning", "HTTPWarning", "SecurityWarning"})
# warnings filter function -> position of its `category` parameter
WARNING_FILTERS = {"warnings.filterwarnings": 2, "warnings.simplefilter": 1}

# obsolete protocol constant -> (what it is, severity)
OLD_PROTOCOLS: Dict[str, Tuple[str, Severity]] = {
    "ssl.PROTOCOL_SSLv2": ("SSL 2.0", Severity.HIGH),
    "ssl.PROTOCOL_SSLv3": ("SSL 3.0", Severity.HIGH),
    "ssl.PROTOCOL_TLSv1": ("TLS 1.0", Severity.MEDIUM),
    "ssl.PROTOCOL_TLSv1_1": ("TLS 1.1", Severity.MEDIUM),
    "ssl.TLSVersion.SSLv3": ("SSL 3.0", Severity.HIGH),
    "ssl.TLSVersion.TLSv1": ("TLS 1.0", Severity.MEDIUM),
    "ssl.TLSVersion.TLSv1_1": ("TLS 1.1", Severity.MEDIUM),
    "OpenSSL.SSL.SSLv2_METHOD": ("SSL 2.0", Severity.HIGH),
    "OpenSSL.SSL.SSLv3_METHOD": ("SSL 3.0", Severity.HIGH),
    "OpenSSL.SSL.TLSv1_METHOD": ("TLS 1.0", Severity.MEDIUM),
    "OpenSSL.SSL.TLSv1_1_METHOD": ("TLS 1.1", Severity.MEDIUM),
}
# paramiko's host key policies that connect to a server whose key is unknown
ACCEPTS_ANY_KEY = "accepts any SSH host key, so whoever answers can pose as the server"
ONLY_WARNS = "connects to a server with an unknown SSH host key after only a log warning"
SSH_POLICIES = {
    **{f"{module}.AutoAddPolicy": ACCEPTS_ANY_KEY for module in ("paramiko", "paramiko.client")},
    **{f"{module}.WarningPolicy": ONLY_WARNS for module in ("paramiko", "paramiko.client")},
}
ASYNCSSH_PREFIX = "asyncssh."


UNVERIFY = Fix(lambda call: edits.without_keyword(call, "verify"))


def _last_parts(qualnames: Mapping[str, object]) -> FrozenSet[str]:
    return frozenset(name.rsplit(".", 1)[1] for name in qualnames)


def _is_false(value: cst.BaseExpression) -> bool:
    """A literal False (or 0); None is not false here: it means "the default" to these APIs."""
    if isinstance(value, cst.Name):
        return value.value == "False"
    return isinstance(value, cst.Integer) and value.evaluated_value == 0


def _text(node: cst.BaseExpression) -> str:
    """`a.b.c` for a Name/Attribute chain; `.c` when it starts with a call or a subscript."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _text(node.value)
        return f"{base}.{node.attr.value}" if base else f".{node.attr.value}"
    return ""


def _written(value: cst.BaseExpression) -> str:
    """How a literal flagged here was written (`False`, `0`, `'CERT_NONE'`)."""
    if isinstance(value, (cst.Name, cst.SimpleString, cst.Integer)):
        return value.value
    return "False"


def _last_name(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def _keyword_effect(
    keyword: str, value: cst.BaseExpression, library: str, method: str
) -> Optional[str]:
    """What `keyword=value` turns off in a call into `library` or to `.method`, if anything."""
    if keyword == "cert_reqs":
        named = isinstance(value, cst.SimpleString) and value.evaluated_value in CERT_NONE_STRINGS
        return TURNS_OFF_CERTS if named else None
    if not _is_false(value):
        return None
    if keyword in ANY_CALL_FALSE_KEYWORDS:
        return ANY_CALL_FALSE_KEYWORDS[keyword]
    libraries, methods = FALSE_KEYWORDS.get(keyword, ((), frozenset()))
    return TURNS_OFF_CERTS if library in libraries or method in methods else None


def _compared(node: cst.Comparison) -> Tuple[cst.CSTNode, ...]:
    """The operands of a comparison, and the elements of tuples/lists/sets compared with `in`."""
    found: List[cst.CSTNode] = []
    for operand in (node.left, *(target.comparator for target in node.comparisons)):
        if isinstance(operand, (cst.Tuple, cst.List, cst.Set)):
            found.extend(element.value for element in operand.elements)
        else:
            found.append(operand)
    return tuple(found)


class _NameUseRule(Rule):
    """Reports every use of a qualified name in `names`, whether called, passed or assigned.

    Name nodes that are not uses (the `attr` of an Attribute, a keyword's name, an imported
    name) and comparison operands sit in a stack while their parent is visited.
    """

    names: ClassVar[Mapping[str, object]] = {}
    # resolving is only worth it for names that can be one of ours: the last part of a
    # qualified name, or a local alias from `from ssl import CERT_NONE as NONE`
    worth_resolving: Set[str]
    not_uses: List[Tuple[cst.CSTNode, ...]]

    def visit_Module(self, node: cst.Module) -> None:
        self.worth_resolving = set(_last_parts(self.names))
        self.not_uses = []

    def found(self, node: cst.BaseExpression, qualname: str) -> None:
        raise NotImplementedError

    def _check(self, node: cst.BaseExpression, last: str) -> None:
        if last not in self.worth_resolving:
            return
        if any(node is skipped for group in self.not_uses for skipped in group):
            return
        qualname = self.ctx.resolve(node)
        if qualname is not None and qualname in self.names:
            self.found(node, qualname)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._check(node, node.attr.value)
        self.not_uses.append((node.attr,))

    def leave_Attribute(self, node: cst.Attribute) -> None:
        self.not_uses.pop()

    def visit_Name(self, node: cst.Name) -> None:
        self._check(node, node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        self.not_uses.append(() if node.keyword is None else (node.keyword,))

    def leave_Arg(self, node: cst.Arg) -> None:
        self.not_uses.pop()

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            self.not_uses.append((node.name,))
            return
        local = node.asname.name
        if _last_name(node.name) in self.worth_resolving and isinstance(local, cst.Name):
            self.worth_resolving.add(local.value)
        self.not_uses.append((node.name, local))

    def leave_ImportAlias(self, node: cst.ImportAlias) -> None:
        self.not_uses.pop()

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.not_uses.append(_compared(node))

    def leave_Comparison(self, node: cst.Comparison) -> None:
        self.not_uses.pop()


class TlsVerifyDisabled(_NameUseRule):
    code = "DW310"
    name = "tls-verify-disabled"
    summary = "TLS certificate or host name verification is turned off."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (295,)
    message = "`{found}` {effect}"
    hint = "keep verification on; for a private CA pass its bundle (verify='/path/ca.pem')"
    # `verify=False` is looked for as written: the bare word `verify` is common in prose
    triggers = (
        "requests", "httpx", "aiohttp", "urllib3", "ssl", "verify=False", "verify = False",
        "verify_ssl", "check_hostname", "assert_hostname", "cert_reqs", "InsecureRequestWarning",
    )  # fmt: skip
    names = UNVERIFIED_NAMES
    fix = FixSafety.SAFE
    examples = (
        Bad(
            "import requests\nresp = requests.get(url, verify=False)\n",
            ((2, 8),),
            fixed="import requests\nresp = requests.get(url)\n",
        ),
        Bad(
            "import httpx\n\nclient = httpx.AsyncClient(verify=False, base_url=API_URL)\n",
            ((3, 10),),
            fixed="import httpx\n\nclient = httpx.AsyncClient(base_url=API_URL)\n",
        ),
        Bad(
            "import requests as rq\n\ndef fetch(url):\n"
            "    return rq.post(url, json={}, verify=0)\n",
            ((4, 12),),
            why="an alias, and 0 is as false as False",
            fixed="import requests as rq\n\ndef fetch(url):\n    return rq.post(url, json={})\n",
        ),
        Bad(
            "def download(session, url):\n"
            "    resp = session.get(\n        url,\n        stream=True,\n        verify=False,\n"
            "    )\n    resp.raise_for_status()\n",
            ((2, 12),),
            why="a method call on a session we cannot resolve: verify=False is signal enough",
            fixed="def download(session, url):\n"
            "    resp = session.get(\n        url,\n        stream=True,\n    )\n"
            "    resp.raise_for_status()\n",
        ),
        Bad(
            "import requests\n\nsession = requests.Session()\nsession.verify = False\n",
            ((4, 1),),
        ),
        Bad(
            "class Api:\n    def __init__(self):\n        self.session.verify = False\n",
            ((3, 9),),
        ),
        Bad(
            "import aiohttp\n\nasync def main():\n"
            "    connector = aiohttp.TCPConnector(ssl=False)\n"
            "    async with aiohttp.ClientSession(connector=connector) as session:\n"
            "        async with session.get(URL, ssl=False) as resp:\n"
            "            return await resp.text()\n",
            ((4, 17), (6, 20)),
        ),
        Bad(
            "import aiohttp\nconn = aiohttp.TCPConnector(verify_ssl=False, limit=10)\n",
            ((2, 8),),
            why="the old aiohttp spelling",
        ),
        Bad(
            "import ssl\nimport urllib.request\n\n"
            "ctx = ssl.create_default_context()\nctx.check_hostname = False\n"
            "ctx.verify_mode = ssl.CERT_NONE\n"
            "with urllib.request.urlopen(url, context=ctx) as resp:\n    body = resp.read()\n",
            ((5, 1), (6, 19)),
        ),
        Bad("import ssl\n\nctx = ssl._create_unverified_context()\n", ((3, 7),)),
        Bad(
            "import ssl\nssl._create_default_https_context = ssl._create_unverified_context\n",
            ((2, 37),),
            why="monkeypatching every HTTPS connection of the process",
        ),
        Bad(
            "from ssl import CERT_NONE, wrap_socket\n"
            "conn = wrap_socket(sock, cert_reqs=CERT_NONE)\n",
            ((2, 36),),
        ),
        Bad(
            "import urllib3\n"
            "http = urllib3.PoolManager(cert_reqs='CERT_NONE', assert_hostname=False)\n",
            ((2, 8), (2, 8)),
            why="both keywords turn a check off",
        ),
        Bad(
            "import urllib3\nurllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)\n",
            ((2, 1),),
            severity=Severity.LOW,
        ),
        Bad(
            "import requests\nrequests.packages.urllib3.disable_warnings()\n",
            ((2, 1),),
            severity=Severity.LOW,
        ),
        Bad(
            "import warnings\nfrom urllib3.exceptions import InsecureRequestWarning\n\n"
            "warnings.filterwarnings('ignore', category=InsecureRequestWarning)\n",
            ((4, 1),),
            severity=Severity.LOW,
        ),
        Ok("import requests\nrequests.get(url, verify=True, timeout=10)\n"),
        Ok(
            "import requests\nrequests.get(url, verify='/etc/ssl/certs/ca.pem', timeout=10)\n",
            why="a CA bundle path keeps verification on",
        ),
        Ok(
            "import requests\nfrom django.conf import settings\n\n"
            "requests.post(url, json=body, verify=settings.VERIFY_TLS, timeout=10)\n",
            why="a computed value: we cannot know it",
        ),
        Ok(
            "import requests\nrequests.get(url, verify=None, timeout=5)\n",
            why="None is the default",
        ),
        Ok(
            "import requests\nDEFAULTS = {'verify': False, 'timeout': 5}\n",
            why="a dict entry is not a call",
        ),
        Ok(
            "class Checksum:\n    def __init__(self):\n        self.verify = False\n",
            why="an object's own attribute named verify",
        ),
        Ok(
            "import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = True\n"
            "ctx.verify_mode = ssl.CERT_REQUIRED\n"
        ),
        Ok(
            "import ssl\n\ndef check(ctx):\n    if ctx.verify_mode == ssl.CERT_NONE:\n"
            "        raise ValueError('certificate checking is off')\n",
            why="a comparison checks for the problem",
        ),
        Ok(
            "import asyncpg\n\nasync def connect(dsn):\n"
            "    return await asyncpg.connect(dsn, ssl=False)\n",
            why="ssl=False outside aiohttp",
        ),
        Ok("import ssl\n\ndef f(ssl):\n    return ssl.CERT_NONE\n", why="a parameter shadows ssl"),
        Ok(
            "import ssl\nHELP = 'never use ssl.CERT_NONE or verify=False'\n",
            why="text in a string",
        ),
        Ok("import urllib3\nurllib3.disable_warnings(urllib3.exceptions.SystemTimeWarning)\n"),
        Ok("import ssl\nfrom ssl import CERT_NONE\n", why="an import alone is not a use"),
        Ok("import jwt\nclaims = jwt.decode(token, verify=False)\n", why="not a TLS setting"),
    )

    def found(self, node: cst.BaseExpression, qualname: str) -> None:
        self.report(node, found=qualname, effect=UNVERIFIED_NAMES[qualname])

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in DISABLE_WARNINGS:
            self._disable_warnings(node, func, self.ctx.argument(node, 0, "category"))
            return
        if func in WARNING_FILTERS:
            self._warning_filter(node, func)
            return
        library = func.split(".", 1)[0] if func else ""
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else ""
        for arg in node.args:
            if arg.keyword is None:
                continue
            effect = _keyword_effect(arg.keyword.value, arg.value, library, method)
            if effect is None:
                continue
            shown = func or _text(node.func) or "call"
            written = _written(arg.value)
            keyword = arg.keyword.value
            # only `verify` reaches here on a requests/httpx call or an HTTP method
            fix = UNVERIFY if keyword == "verify" else None
            self.report(node, found=f"{shown}({keyword}={written})", effect=effect, fix=fix)

    def _disable_warnings(self, node: cst.Call, func: str, category: Optional[cst.Arg]) -> None:
        if category is not None and _last_name(category.value) not in TLS_WARNINGS:
            return
        self.report(
            node,
            severity=Severity.LOW,
            confidence=Confidence.MEDIUM,
            found=f"{func}()",
            effect=HIDES_WARNING,
        )

    def _warning_filter(self, node: cst.Call, func: str) -> None:
        action = self.ctx.argument(node, 0, "action")
        category = self.ctx.argument(node, WARNING_FILTERS[func], "category")
        if action is None or category is None:
            return
        ignored = isinstance(action.value, cst.SimpleString) and (
            action.value.evaluated_value == "ignore"
        )
        if ignored and _last_name(category.value) == "InsecureRequestWarning":
            self.report(
                node,
                severity=Severity.LOW,
                confidence=Confidence.MEDIUM,
                found=f"{func}('ignore', InsecureRequestWarning)",
                effect=HIDES_WARNING,
            )

    def visit_Assign(self, node: cst.Assign) -> None:
        if not _is_false(node.value):
            return
        for target in node.targets:
            attribute = target.target
            if not isinstance(attribute, cst.Attribute):
                continue
            effect = FALSE_ATTRIBUTES.get(attribute.attr.value)
            if effect is None:
                continue
            owner = attribute.value
            if attribute.attr.value == "verify" and (
                isinstance(owner, cst.Name) and owner.value in OWN_OBJECT
            ):
                continue
            found = f"{_text(attribute)} = {_written(node.value)}"
            self.report(attribute, found=found, effect=effect)


class WeakTlsProtocol(_NameUseRule):
    code = "DW312"
    name = "weak-tls-protocol"
    summary = "An obsolete SSL/TLS protocol version (SSL 2.0/3.0, TLS 1.0/1.1) is selected."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (327,)
    message = "`{found}` selects {protocol}, an obsolete protocol with known attacks"
    hint = "use ssl.PROTOCOL_TLS_CLIENT (or create_default_context) and TLS 1.2 as the minimum"
    names = OLD_PROTOCOLS
    triggers = tuple(sorted(_last_parts(names)))
    examples = (
        Bad("import ssl\n\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n", ((3, 22),)),
        Bad(
            "import ssl\nsock = ssl.wrap_socket(raw, ssl_version=ssl.PROTOCOL_SSLv3)\n",
            ((2, 41),),
            severity=Severity.HIGH,
        ),
        Bad(
            "import ssl\nctx = ssl.create_default_context()\n"
            "ctx.minimum_version = ssl.TLSVersion.TLSv1\n",
            ((3, 23),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "from ssl import TLSVersion\n\ndef harden(ctx):\n"
            "    ctx.minimum_version = TLSVersion.TLSv1_1\n",
            ((4, 27),),
        ),
        Bad(
            "from OpenSSL import SSL\n\ncontext = SSL.Context(SSL.TLSv1_METHOD)\n",
            ((3, 23),),
        ),
        Bad(
            "from ssl import PROTOCOL_SSLv2 as LEGACY\nctx = SSLContext(LEGACY)\n",
            ((2, 18),),
            severity=Severity.HIGH,
            why="an imported alias",
        ),
        Bad(
            "import ssl\n"
            "PROTOCOLS = {'tls1': ssl.PROTOCOL_TLSv1, 'tls1.1': ssl.PROTOCOL_TLSv1_1}\n",
            ((2, 22), (2, 52)),
        ),
        Ok("import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"),
        Ok("import ssl\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\n"),
        Ok(
            "import ssl\nctx.options |= ssl.OP_NO_SSLv3 | ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1\n",
            why="turning the old versions off",
        ),
        Ok(
            "import ssl\n\ndef check(version):\n"
            "    if version in (ssl.PROTOCOL_TLSv1, ssl.PROTOCOL_TLSv1_1):\n"
            "        raise ValueError('TLS 1.0 and 1.1 are not allowed')\n",
            why="a comparison checks for the problem",
        ),
        Ok("proto = settings.PROTOCOL_TLSv1\n", why="an attribute of an unknown object"),
        Ok(
            "import ssl\n\ndef f(ssl):\n    return ssl.PROTOCOL_SSLv3\n",
            why="shadowed by a parameter",
        ),
        Ok("import ssl\nNOTE = 'ssl.PROTOCOL_TLSv1 is deprecated'\n", why="text in a string"),
        Ok("from OpenSSL import SSL\ncontext = SSL.Context(SSL.TLS_CLIENT_METHOD)\n"),
    )

    def found(self, node: cst.BaseExpression, qualname: str) -> None:
        protocol, severity = OLD_PROTOCOLS[qualname]
        self.report(node, severity=severity, found=qualname, protocol=protocol)


class SshHostKeyUnchecked(_NameUseRule):
    code = "DW313"
    name = "ssh-host-key-unchecked"
    summary = "An SSH client accepts a server whose host key it does not know."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (295, 322)
    message = "`{found}` {effect}"
    hint = "load known hosts (load_system_host_keys) and keep RejectPolicy; pin the key"
    names = SSH_POLICIES
    triggers = ("AutoAddPolicy", "WarningPolicy", "known_hosts")
    examples = (
        Bad(
            "import paramiko\n\n"
            "def run(host, user, key_file, command):\n"
            "    client = paramiko.SSHClient()\n"
            "    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n"
            "    client.connect(host, username=user, key_filename=key_file)\n"
            "    return client.exec_command(command)\n",
            ((5, 40),),
        ),
        Bad(
            "from paramiko import client\n"
            "ssh = client.SSHClient()\n"
            "ssh.set_missing_host_key_policy(client.WarningPolicy)\n",
            ((3, 33),),
            why="the class itself is accepted too",
        ),
        Bad(
            "from paramiko import AutoAddPolicy as Trust\nPOLICY = Trust()\n",
            ((2, 10),),
            why="an alias, assigned for later",
        ),
        Bad(
            "import paramiko\n\nclass QuietPolicy(paramiko.WarningPolicy):\n    pass\n",
            ((3, 19),),
            why="a subclass connects all the same",
        ),
        Bad(
            "import asyncssh\n\n"
            "async def deploy(host):\n"
            "    async with asyncssh.connect(host, known_hosts=None) as conn:\n"
            "        await conn.run('systemctl restart app')\n",
            ((4, 16),),
        ),
        Bad(
            "from asyncssh import SSHClientConnectionOptions\n"
            "OPTIONS = SSHClientConnectionOptions(known_hosts=None, username='deploy')\n",
            ((2, 11),),
        ),
        Ok(
            "import paramiko\n\n"
            "def run(host):\n"
            "    client = paramiko.SSHClient()\n"
            "    client.load_system_host_keys()\n"
            "    client.set_missing_host_key_policy(paramiko.RejectPolicy())\n"
            "    client.connect(host)\n",
            why="the policy that refuses unknown hosts",
        ),
        Ok(
            "from myssh.policies import PinnedKeyPolicy\n"
            "client.set_missing_host_key_policy(PinnedKeyPolicy(FINGERPRINT))\n",
            why="a project's own policy, which may check a pinned key",
        ),
        Ok(
            "import paramiko\n\ndef check(policy):\n    return policy is paramiko.WarningPolicy\n",
            why="a comparison looks for the problem",
        ),
        Ok(
            "import asyncssh\n\n"
            "async def deploy(host, known):\n"
            "    return await asyncssh.connect(host, known_hosts=known)\n",
            why="a known_hosts value we cannot see",
        ),
        Ok(
            "import paramiko\n\ndef f(paramiko):\n    return paramiko.AutoAddPolicy()\n",
            why="shadowed by a parameter",
        ),
        Ok("policy = ssh_config.AutoAddPolicy\n", why="an attribute of an unknown object"),
        Ok("HELP = 'never use paramiko.AutoAddPolicy()'\n", why="text in a string"),
        Ok("from paramiko import AutoAddPolicy\n", why="an import alone is not a use"),
        Ok(
            "def connect(host, known_hosts=None):\n"
            "    return open_session(host, known_hosts=None)\n",
            why="known_hosts=None outside asyncssh",
        ),
    )

    def found(self, node: cst.BaseExpression, qualname: str) -> None:
        self.report(node, found=qualname, effect=SSH_POLICIES[qualname])

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None or not func.startswith(ASYNCSSH_PREFIX):
            return
        known_hosts = self.ctx.argument(node, None, "known_hosts")
        if known_hosts is not None and (
            isinstance(known_hosts.value, cst.Name) and known_hosts.value.value == "None"
        ):
            self.report(node, found=f"{func}(known_hosts=None)", effect=ACCEPTS_ANY_KEY)
