"""silent-process: a program started in the background with all of its output thrown away.

**What it finds.** DW807: a process started with `subprocess.Popen` / `run` / `call` /
`check_call`, `asyncio.create_subprocess_exec` / `_shell`, `os.system` or `os.spawn*` that is
both silent and detached:

- silent: `stdout` and `stderr` both `subprocess.DEVNULL` (or a file opened on `os.devnull`;
  `stderr=subprocess.STDOUT` counts once stdout is thrown away), with `stdin` left alone or
  `DEVNULL`; or, for a command read by a shell, `> /dev/null 2>&1`, `&> /dev/null` or
  `>/dev/null 2>/dev/null` (`> NUL 2>&1` on Windows);
- detached: `start_new_session=True`, `process_group=`, `preexec_fn=os.setsid` (or
  `os.setpgrp`, or a lambda calling them), `creationflags` with `DETACHED_PROCESS`,
  `CREATE_NO_WINDOW` or `CREATE_NEW_PROCESS_GROUP` (names of `subprocess`, `win32process` and
  `win32con`, or their values), a command that starts with `nohup` or `setsid`, or a shell
  command that ends in `&` or calls `disown`.

**Why it matters in assistant-written code.** A process that outlives its parent and never
writes a line anywhere is how a planted miner, beacon or backdoor keeps running after the coding
agent's session ends: no output in the terminal, no entry in the logs, no child to wait for.
Honest background work (a dev server, a file watcher) logs somewhere.

**Severity.** Medium, medium confidence: legitimate launchers (opening a browser, starting a
detached editor) look the same; say so in a suppression.

**Bad**

```python
subprocess.Popen(["./.cache/agent"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                 start_new_session=True)
os.system("nohup ./sync >/dev/null 2>&1 &")
```

**Good**

```python
log = open(LOG_PATH, "ab")
subprocess.Popen(["./worker"], stdout=log, stderr=log, start_new_session=True)
```

**Not flagged.** Quieting one stream (`subprocess.run(cmd, stdout=DEVNULL)`); both streams thrown
away in a process that is waited for (`subprocess.run(["git", "fetch"], stdout=DEVNULL,
stderr=DEVNULL)`); a detached process whose output is captured or logged to a file; `stdin=PIPE`
(the parent talks to it); streams chosen at run time (`stdout=None if verbose else DEVNULL`);
`os.system("make > /dev/null 2>&1")` without `&`; `server &` whose output still reaches the
terminal; desktop openers (`xdg-open`, `open`, `gio`, `explorer`, `start` and kin) and web
browsers (`firefox`, `chromium`, `konqueror`, ...), which show a file or URL to the user.

**Fix.** None automatic. Log the output to a file the user can find, or keep the process
attached; if a silent detached process is the feature, suppress the finding with the reason.

**References.** CWE-78 (OS command injection, the family of the process-start APIs); MITRE
ATT&CK T1564 (hide artifacts); no bandit or ruff counterpart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, List, Optional, Set

from hooks import _paths, _process
from hooks.engine.lazy import cst
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

STARTERS = frozenset(
    {
        "subprocess.Popen", "subprocess.run", "subprocess.call", "subprocess.check_call",
        "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell", "os.system",
        *(f"os.spawn{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")),
    }
)  # fmt: skip
DEVNULLS = frozenset({"subprocess.DEVNULL", "asyncio.subprocess.DEVNULL"})
STDOUTS = frozenset({"subprocess.STDOUT", "asyncio.subprocess.STDOUT"})
NEW_SESSION_CALLS = frozenset({"os.setsid", "os.setpgrp", "os.setpgid"})
# creation flags that detach a Windows process or hide its window, with their values
DETACHING_FLAGS = {"DETACHED_PROCESS": 0x8, "CREATE_NO_WINDOW": 0x8000000,
                   "CREATE_NEW_PROCESS_GROUP": 0x200}  # fmt: skip
FLAG_OWNERS = ("subprocess", "win32process", "win32con", "_winapi")
DETACHING_MASK = sum(DETACHING_FLAGS.values())
OPEN_FUNCTIONS = frozenset({"builtins.open", "io.open", "os.open"})
NULL_PATHS = frozenset({"/dev/null", "nul", "NUL"})
SHELL_SILENT = lazy_re(
    r"(?:&>>?|>>?)\s*(?:/dev/null|nul)\b[^|;]*?(?:2\s*>\s*&\s*1|2\s*>>?\s*(?:/dev/null|nul)\b)"
    r"|&>>?\s*/dev/null|2\s*>\s*(?:/dev/null|nul)\s+(?:1\s*)?>\s*(?:/dev/null|nul)\b"
    r"|\bnohup\b[^\n]*>\s*/dev/null",
    re.IGNORECASE,
)
SHELL_PREFIX = lazy_re(r"^\s*(?:exec\s+)?(nohup|setsid|start\s+/b)\b", re.IGNORECASE)
SHELL_BACKGROUND = lazy_re(r"(?<![&|>])&\s*(?:disown\b.*)?$|\bdisown\b", re.DOTALL)
DETACHING_PROGRAMS = lazy_re(r"^(?:.*/)?(?:nohup|setsid)$")
# programs that show a file or URL to the user (desktop openers, web browsers): quiet and
# detached by design
OPENERS = lazy_re(
    r"^(?:.*[/\\])?(?:xdg-open|open|gio|gnome-open|kde-open5?|kfmclient|exo-open|wslview"
    r"|sensible-browser|x-www-browser|www-browser|explorer|start|rundll32|konqueror|kfm"
    r"|firefox|iceweasel|seamonkey|mozilla|chromium(?:-browser)?|google-chrome(?:-stable)?"
    r"|chrome|brave-browser|microsoft-edge|msedge|opera|epiphany|galeon|netscape|safari"
    r"|elinks|links|lynx|w3m)(?:\.exe)?$",
    re.IGNORECASE,
)


class SilentProcess(Rule):
    code = "DW807"
    name = "silent-process"
    summary = "A process is started detached, with stdout and stderr both thrown away."
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (78,)
    message = "`{func}` starts a process that is silent ({silent}) and detached ({detached})"
    hint = "log its output to a file, or keep it attached; suppress with the reason if intended"
    triggers = ("DEVNULL", "devnull", "nohup", "setsid", "disown")
    trigger_patterns = (r"/dev/null",)
    examples = (
        Bad(
            "import subprocess\n\nsubprocess.Popen(\n    ['./.cache/agent'],\n"
            "    stdin=subprocess.DEVNULL,\n    stdout=subprocess.DEVNULL,\n"
            "    stderr=subprocess.DEVNULL,\n    start_new_session=True,\n)\n",
            ((3, 1),),
        ),
        Bad(
            "import os\nfrom subprocess import DEVNULL, Popen\n\ndef start(cmd):\n"
            "    Popen(cmd, stdout=DEVNULL, stderr=DEVNULL, preexec_fn=os.setsid)\n",
            ((5, 5),),
        ),
        Bad(
            "import subprocess as sp\n\nflags = sp.DETACHED_PROCESS | sp.CREATE_NO_WINDOW\n"
            "sp.Popen(['svc.exe'], stdout=sp.DEVNULL, stderr=sp.DEVNULL, creationflags=flags)\n",
            ((4, 1),),
            why="Windows creation flags through a name",
        ),
        Bad(
            "import os\n\nos.system('nohup ./sync --daemon > /dev/null 2>&1 &')\n",
            ((3, 1),),
        ),
        Bad(
            "import subprocess\n\nsubprocess.Popen(['nohup', 'python3', 'beacon.py'],\n"
            "                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)\n",
            ((3, 1),),
        ),
        Bad(
            "import asyncio\n\nasync def spawn(path):\n"
            "    await asyncio.create_subprocess_exec(\n        path,\n"
            "        stdout=asyncio.subprocess.DEVNULL,\n"
            "        stderr=asyncio.subprocess.DEVNULL,\n        start_new_session=True,\n    )\n",
            ((4, 11),),
        ),
        Bad(
            "import os\nimport subprocess\n\ndef launch(cmd):\n"
            "    with open(os.devnull, 'wb') as null:\n"
            "        subprocess.Popen(cmd, stdout=null, stderr=null, start_new_session=True)\n",
            ((6, 9),),
            why="a file opened on os.devnull",
        ),
        Bad(
            "import subprocess\n\n"
            "subprocess.Popen('setsid ./worker >/dev/null 2>&1', shell=True)\n",
            ((3, 1),),
        ),
        Ok(
            "import subprocess\n\nsubprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)\n",
            why="quieting one stream",
        ),
        Ok(
            "import subprocess\n\ndef fetch(repo):\n"
            "    subprocess.run(['git', '-C', repo, 'fetch'], stdout=subprocess.DEVNULL,\n"
            "                   stderr=subprocess.DEVNULL, check=True)\n",
            why="silent but waited for",
        ),
        Ok(
            "import subprocess\n\nproc = subprocess.Popen(cmd, stdout=subprocess.PIPE, "
            "stderr=subprocess.PIPE,\n                        start_new_session=True)\n",
            why="detached, output captured",
        ),
        Ok(
            "import subprocess\n\ndef start_worker(cmd, log_path):\n"
            "    log = open(log_path, 'ab')\n"
            "    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,\n"
            "                            stdin=subprocess.DEVNULL, start_new_session=True)\n",
            why="a daemon-style helper that logs to a file",
        ),
        Ok(
            "import subprocess\n\ndef open_browser(cmdline, verbose):\n"
            "    null = subprocess.DEVNULL\n"
            "    subprocess.Popen(cmdline, close_fds=True, stdin=null,\n"
            "                     stdout=None if verbose else null, stderr=null,\n"
            "                     start_new_session=True)\n",
            why="a stream chosen at run time",
        ),
        Ok(
            "import os\n\nos.system('make -s > /dev/null 2>&1')\n"
            "os.system('python -m http.server &')\n",
            why="silent but attached; detached but not silent",
        ),
        Ok(
            "import subprocess\n\nsubprocess.Popen(cmd, stdin=subprocess.PIPE, "
            "stdout=subprocess.DEVNULL,\n"
            "                 stderr=subprocess.DEVNULL, start_new_session=True)\n",
            why="the parent feeds its stdin",
        ),
        Ok(
            "import subprocess\n\ndef run(subprocess, cmd):\n"
            "    subprocess.Popen(cmd, stdout=DEVNULL, stderr=DEVNULL, start_new_session=True)\n",
            why="a parameter shadows the module",
        ),
        Ok(
            "HELP = 'run it as: nohup ./server > /dev/null 2>&1 &'\nprint(HELP)\n",
            why="text in a string",
        ),
        Ok(
            "import subprocess\n\ndef open_in_browser(url):\n    devnull = subprocess.DEVNULL\n"
            "    subprocess.Popen(['konqueror', '--silent', url], close_fds=True, stdin=devnull,\n"
            "                     stdout=devnull, stderr=devnull, start_new_session=True)\n",
            why="a web browser shown to the user (the standard library's webbrowser module)",
        ),
        Ok(
            "import subprocess\nimport sys\n\ndef reveal(path):\n"
            "    opener = 'open' if sys.platform == 'darwin' else 'xdg-open'\n"
            "    subprocess.Popen([opener, path], stdout=subprocess.DEVNULL,\n"
            "                     stderr=subprocess.DEVNULL, start_new_session=True)\n",
            why="a desktop opener: hands the file over and exits",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        # per function: names bound by `with open(os.devnull) as name`
        self.null_files: List[Set[str]] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.null_files.append(set())

    def leave_Module(self, node: cst.Module) -> None:
        self.null_files.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.null_files.append(set())

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.null_files.pop()

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if isinstance(node.asname, cst.AsName) and isinstance(node.asname.name, cst.Name):
            if self._opens_null(node.item):
                self.null_files[-1].add(node.asname.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func not in STARTERS:
            return
        found = _process.command(self.ctx, node, func)
        text = _process.text(self.ctx, found) if found is not None else ""
        shell = found is not None and found.shell
        if found is not None and found.parts and not shell and self._opener(found.parts[0]):
            return
        silent = self._silent_streams(node) or (
            "output and errors to /dev/null" if shell and SHELL_SILENT.search(text) else None
        )
        if silent is None:
            return
        detached = self._detached(node, found, text)
        if detached is not None:
            self.report(node, func=func, silent=silent, detached=detached)

    def _opener(self, program: cst.BaseExpression) -> bool:
        """A desktop opener, also chosen per platform (`"open" if mac else "xdg-open"`)."""
        value = _process.single_value(self.ctx, program)
        if isinstance(value, cst.IfExp):
            return self._opener(value.body) and self._opener(value.orelse)
        return bool(OPENERS.match(_process.part_text(self.ctx, value)))

    def _silent_streams(self, node: cst.Call) -> Optional[str]:
        stdout = self.ctx.argument(node, None, "stdout")
        stderr = self.ctx.argument(node, None, "stderr")
        stdin = self.ctx.argument(node, None, "stdin")
        if stdout is None or stderr is None or not self._null(stdout.value):
            return None
        if not (self._null(stderr.value) or self.ctx.resolve(stderr.value) in STDOUTS):
            return None
        if stdin is not None and not self._null(stdin.value):
            return None
        return "stdout and stderr to DEVNULL"

    def _null(self, node: cst.BaseExpression) -> bool:
        """DEVNULL, a file opened on os.devnull, or a name holding one."""
        if isinstance(node, cst.Name) and node.value in self.null_files[-1]:
            return True
        value = _process.single_value(self.ctx, node)
        return self.ctx.resolve(value) in DEVNULLS or self._opens_null(value)

    def _opens_null(self, node: cst.BaseExpression) -> bool:
        if not isinstance(node, cst.Call) or self.ctx.resolve(node.func) not in OPEN_FUNCTIONS:
            return False
        path = self.ctx.argument(node, 0, "file")
        if path is None:
            return False
        return (
            self.ctx.resolve(path.value) == "os.devnull"
            or _paths.string_value(path.value) in NULL_PATHS
        )

    def _detached(
        self, node: cst.Call, found: Optional[_process.Command], text: str
    ) -> Optional[str]:
        if self.ctx.truthy_constant(self.ctx.argument(node, None, "start_new_session")):
            return "start_new_session=True"
        if self.ctx.argument(node, None, "process_group") is not None:
            return "process_group"
        preexec = self.ctx.argument(node, None, "preexec_fn")
        if preexec is not None and self._new_session(preexec.value):
            return "a new session in preexec_fn"
        flags = self.ctx.argument(node, None, "creationflags")
        if flags is not None and self._detaching_flags(flags.value, 0):
            return "detaching creationflags"
        if found is None or not found.parts:
            return None
        program = _process.part_text(self.ctx, found.parts[0])
        if not found.shell and DETACHING_PROGRAMS.match(program):
            return f"run under {program.rsplit('/', 1)[-1]}"
        if not found.shell:
            return None
        script = self._script(found, text)
        prefix = SHELL_PREFIX.search(script)
        if prefix is not None:
            return f"run under {prefix.group(1)}"
        return "backgrounded by the shell" if SHELL_BACKGROUND.search(script) else None
        return None

    def _script(self, found: _process.Command, text: str) -> str:
        """What the shell reads: the whole command, or the script after `sh -c`."""
        parts = found.parts
        if len(parts) >= 3 and _process.part_text(self.ctx, parts[1]) == "-c":
            return _process.part_text(self.ctx, parts[2]).strip()
        return text.strip()

    def _new_session(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Lambda) and isinstance(node.body, cst.Call):
            node = node.body.func
        return self.ctx.resolve(node) in NEW_SESSION_CALLS

    def _detaching_flags(self, node: cst.BaseExpression, depth: int) -> bool:
        if depth > _paths.MAX_DEPTH:
            return False
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return self._detaching_flags(node.left, depth + 1) or self._detaching_flags(
                node.right, depth + 1
            )
        if isinstance(node, cst.Integer):
            return bool(node.evaluated_value & DETACHING_MASK)
        qualified = self.ctx.resolve(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
        if qualified is not None:
            owner, _, flag = qualified.rpartition(".")
            return owner in FLAG_OWNERS and flag in DETACHING_FLAGS
        value = _process.single_value(self.ctx, node)
        return value is not node and self._detaching_flags(value, depth + 1)
