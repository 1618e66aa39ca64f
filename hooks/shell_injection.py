"""shell-injection: commands handed to a shell, or built from values an attacker may shape.

**What it finds.** DW102: a `subprocess` call with `shell=True`. DW103: functions that always run
a shell or a program named by their argument (`os.system`, `os.popen`, `os.exec*`, `os.spawn*`,
`subprocess.getoutput`, `asyncio.create_subprocess_shell`, `pty.spawn`, `commands.*`). DW104:
paramiko's `exec_command`, which hands its command to the remote host's shell (matched on any
object in a file that imports paramiko: the client is seldom made where it is used).

**Why it matters in assistant-written code.** `subprocess.run(f"convert {name} out.png",
shell=True)` is the shortest way to "just run the command", and assistants write it constantly.
Any shell metacharacter in `name` (`; rm -rf ~`) becomes a command.

**Severity.** A fully literal command is low: nothing outside the code can change it. A command
built with an f-string, `%`, `.format`, `+` or held in a variable that is not constant is high.

**Bad**

```python
subprocess.run(f"tar czf {archive} {folder}", shell=True)
```

**Good**

```python
subprocess.run(["tar", "czf", archive, folder])
```

**Fix.** Safe, for DW102 when the command is a string literal written in the call with nothing
a shell would act on (no pipes, redirections, globs, variables, `;`, `&&`, backticks, `~`,
escapes, comments, `VAR=value` prefixes, shell builtins such as `cd`): the literal becomes the
list `shlex.split` makes of it, and `shell=True` is removed. The program then runs directly, as
the shell would have run it. Computed commands need a person: pass an argument list without
`shell=True`; where a shell is truly needed, quote every value with `shlex.quote`.

**Not flagged.** `exec_command` in a file that does not import paramiko; DW104 reports a
literal remote command at low severity, like DW102 and DW103.

**References.** CWE-78 (OS command injection); bandit B601-B607; ruff S601-S607.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Set

from hooks.engine.lazy import cst
from hooks.engine.trust import Origin, Trust
from hooks.engine import edits
from hooks.engine.rule import (
    Bad,
    Confidence,
    Fix,
    FixSafety,
    Ok,
    OptionValue,
    Rule,
    Severity,
)
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

SUBPROCESS_FUNCTIONS = frozenset(
    f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "Popen")
)
SHELL_FUNCTIONS = frozenset(
    {
        "os.system",
        "os.popen",
        "os.popen2",
        "os.popen3",
        "os.popen4",
        "os.startfile",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "commands.getoutput",
        "commands.getstatusoutput",
        "asyncio.create_subprocess_shell",
        "pty.spawn",
        *(f"os.exec{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")),
        *(f"os.spawn{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")),
        *(f"os.posix_spawn{s}" for s in ("", "p")),
    }
)


# a command holding any of these means something to a shell (sh or cmd.exe) beyond its words
SHELL_SYNTAX = lazy_re(r"[|&;<>()$`\\*?\[\]{}~!#%^\n\r]")
# words a shell runs itself (or runs differently from the program of that name)
SHELL_BUILTINS = frozenset(
    {
        ".", ":", "alias", "bg", "break", "builtin", "cd", "command", "continue", "declare",
        "dirs", "echo", "eval", "exec", "exit", "export", "fg", "getopts", "hash", "history",
        "jobs", "let", "local", "popd", "printf", "pushd", "pwd", "read", "readonly", "return",
        "set", "shift", "source", "test", "times", "trap", "type", "ulimit", "umask", "unalias",
        "unset", "wait", "[", "copy", "del", "dir", "start", "cls", "ver", "vol",
    }
)  # fmt: skip


def argument_list(literal: cst.BaseExpression) -> Optional[str]:
    """`"ls -l 'my dir'"` -> `["ls", "-l", "my dir"]` as source text, when the shell would have
    split it the same way and done nothing else with it; None otherwise."""
    if not isinstance(literal, cst.SimpleString) or literal.prefix.lower() not in ("", "u"):
        return None
    command = literal.evaluated_value
    if not isinstance(command, str) or SHELL_SYNTAX.search(command):
        return None
    try:
        words = shlex.split(command)
    except ValueError:  # an unclosed quote
        return None
    if not words or "=" in words[0] or words[0] in SHELL_BUILTINS:
        return None
    quote = '"' if len(literal.quote) == 3 else literal.quote
    shown: List[str] = [quote + w + quote if quote not in w else repr(w) for w in words]
    return "[" + ", ".join(shown) + "]"


KINDS = {
    Trust.SAFE: "a fixed command",
    Trust.UNKNOWN: "a computed command",
    Trust.UNTRUSTED: "a command built from untrusted input",
}


def _assess(rule: Rule, values: Sequence[cst.BaseExpression]) -> Optional[Dict[str, Any]]:
    """How to report a command made of `values`; None when the rule is told to stay quiet.

    A fixed (or fully quoted) command is low severity, a computed one high, and an untrusted one
    high with high confidence and its source named.
    """
    worst: Optional[cst.BaseExpression] = None
    found = Origin(Trust.UNKNOWN)  # no command we can see: passed through *args or **kwargs
    for index, value in enumerate(values):
        origin = rule.ctx.origin(value, sink="shell")
        if index == 0 or origin.trust > found.trust:
            worst, found = value, origin
    if found.trust is Trust.SAFE and not rule.opts["report-literal"]:
        return None
    report: Dict[str, Any] = {
        "severity": Severity.LOW if found.trust is Trust.SAFE else Severity.HIGH,
        "confidence": Confidence.MEDIUM if found.trust is Trust.UNKNOWN else Confidence.HIGH,
        "kind": KINDS[found.trust],
    }
    if worst is not None:
        report["value"] = (worst, found)
    return report


class SubprocessShellTrue(Rule):
    code = "DW102"
    name = "subprocess-shell-true"
    summary = "A subprocess call runs its command through the shell (shell=True)."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (78,)
    message = "`{func}` with shell=True runs {kind} through the shell"
    hint = "pass the command as a list of arguments and drop shell=True"
    triggers = ("shell",)
    options = {"report-literal": True}
    fix = FixSafety.SAFE
    examples = (
        Bad("import subprocess\nsubprocess.run(f'ls {path}', shell=True)\n", ((2, 1),)),
        Bad(
            "import subprocess\n\nout = subprocess.check_output(\n"
            "    \"git commit -q -m 'nightly build'\",  # record the build\n"
            "    shell=True,\n    text=True,\n)\n",
            ((3, 7),),
            severity=Severity.LOW,
            fixed="import subprocess\n\nout = subprocess.check_output(\n"
            '    ["git", "commit", "-q", "-m", "nightly build"],  # record the build\n'
            "    text=True,\n)\n",
        ),
        Bad(
            "import subprocess\nsubprocess.run('ls -l | wc -l', shell=True)\n",
            ((2, 1),),
            severity=Severity.LOW,
            why="not fixed: a pipe needs the shell",
        ),
        Bad(
            "import subprocess\nsubprocess.run('cd build && make', shell=True)\n",
            ((2, 1),),
            severity=Severity.LOW,
            why="not fixed: `cd` is a shell builtin, `&&` shell syntax",
        ),
        Bad(
            "import subprocess as sp\ndef f(cmd):\n    sp.Popen(cmd, shell=True)\n",
            ((3, 5),),
            why="an alias, and a command that is a parameter",
        ),
        Bad(
            "from subprocess import check_output as co\nco('ls -l', shell=True)\n",
            ((2, 1),),
            severity=Severity.LOW,
            why="a literal command is low severity",
            fixed="from subprocess import check_output as co\nco(['ls', '-l'])\n",
        ),
        Bad(
            "import subprocess\nCMD = 'ls' + ' -l'\nsubprocess.call(CMD, shell=1)\n",
            ((3, 1),),
            severity=Severity.LOW,
            why="a module constant built from literals is still fixed",
        ),
        Bad(
            "import subprocess\ndef f(x, use_shell):\n    subprocess.run(x, shell=use_shell)\n",
            ((3, 5),),
            why="a computed shell flag may be true",
        ),
        Ok("import subprocess\nsubprocess.run(['ls', path])\n"),
        Ok("import subprocess\nsubprocess.run(cmd, shell=False)\n"),
        Ok("def run(cmd, shell=True):\n    pass\nrun('x', shell=True)\n", why="not subprocess"),
        Ok(
            "import subprocess\ndef f(subprocess):\n    subprocess.run(x, shell=True)\n",
            why="a parameter shadows the module",
        ),
        Ok("pool.run(cmd, shell=True)\n", why="a method on an unknown object"),
        Ok("import subprocess\nx = 'subprocess.run(cmd, shell=True)'\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func not in SUBPROCESS_FUNCTIONS:
            return
        shell = self.ctx.argument(node, None, "shell")
        if shell is None or self.ctx.truthy_constant(shell) is False:
            return
        command = self.ctx.argument(node, 0, "args")
        assessed = _assess(self, [command.value] if command else [])
        if assessed is not None:
            self.report(node, func=func, fix=self._fix(node, command, shell), **assessed)

    def _fix(self, node: cst.Call, command: Optional[cst.Arg], shell: cst.Arg) -> Optional[Fix]:
        """A literal command without shell syntax becomes its argument list, without a shell;
        `executable=` names the shell itself, and `*`/`**` arguments may hide either."""
        if command is None or self.ctx.truthy_constant(shell) is not True:
            return None
        if any(arg.star for arg in node.args) or self.ctx.argument(node, None, "executable"):
            return None
        listed = argument_list(command.value)
        if listed is None:
            return None

        def edit(call: cst.Call) -> cst.Call:
            call = edits.with_argument(call, 0, "args", listed)
            return edits.without_keyword(call, "shell")

        return Fix(edit)


class ShellCommandFunction(Rule):
    code = "DW103"
    name = "os-shell-command"
    summary = "A function that runs a shell or a named program (os.system and kin) is called."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (78,)
    message = "`{func}` runs {kind}"
    hint = "use subprocess.run with a list of arguments; quote any value with shlex.quote"
    triggers = tuple(sorted({name.rsplit(".", 1)[1] for name in SHELL_FUNCTIONS}))
    options = {"report-literal": True}
    examples = (
        Bad("import os\nos.system('rm -rf ' + folder)\n", ((2, 1),)),
        Bad("import os\nos.system('ls -l')\n", ((2, 1),), severity=Severity.LOW),
        Bad("from os import popen\ndef f(host):\n    return popen(f'ping {host}')\n", ((3, 12),)),
        Bad("import os\nos.execvp(prog, [prog, arg])\n", ((2, 1),)),
        Bad(
            "import asyncio\nasync def f(c):\n    await asyncio.create_subprocess_shell(c)\n",
            ((3, 11),),
        ),
        Bad("import pty\npty.spawn('/bin/sh')\n", ((2, 1),), severity=Severity.LOW),
        Bad("import subprocess as s\nout = s.getoutput(cmd)\n", ((2, 7),)),
        Ok("import os\nos.path.join(a, b)\n"),
        Ok("system('ls')\n", why="an unknown function named system"),
        Ok("import platform\nplatform.system()\n"),
        Ok("import os\ndef f(os):\n    os.system(x)\n", why="a parameter shadows the module"),
        Ok("import asyncio\nasyncio.create_subprocess_exec('ls', '-l')\n"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func not in SHELL_FUNCTIONS:
            return
        if func.startswith(("os.exec", "os.spawn", "os.posix_spawn")):
            values = [arg.value for arg in node.args if arg.keyword is None]
        else:
            command = self.ctx.argument(node, 0, "cmd")
            values = [command.value] if command else []
        assessed = _assess(self, values)
        if assessed is not None:
            self.report(node, func=func, **assessed)


class SshExecCommand(Rule):
    code = "DW104"
    name = "ssh-exec-command"
    summary = "paramiko's exec_command runs a command through the remote host's shell."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (78,)
    message = "`{func}` runs {kind} through the remote host's shell"
    hint = "quote every value with shlex.quote, or check it against an allowlist"
    triggers = ("exec_command",)
    options = {"report-literal": True}
    examples = (
        Bad(
            "import paramiko\n\n"
            "def disk_usage(client: paramiko.SSHClient, folder):\n"
            "    _, out, _ = client.exec_command(f'du -sh {folder}')\n"
            "    return out.read()\n",
            ((4, 17),),
            severity=Severity.HIGH,
        ),
        Bad(
            "from paramiko import SSHClient\n"
            "ssh = SSHClient()\n"
            "ssh.exec_command('systemctl restart app')\n",
            ((3, 1),),
            severity=Severity.LOW,
            why="a literal command: low, as for a local shell",
        ),
        Bad(
            "import sys\nimport paramiko\n"
            "client = paramiko.SSHClient()\n"
            "client.exec_command('tail -n 50 ' + sys.argv[1])\n",
            ((4, 1),),
            why="from sys.argv",
        ),
        Bad(
            "import paramiko as pm\n\n"
            "class Remote:\n"
            "    def run(self, command):\n"
            "        return self.client.exec_command(command, timeout=30)\n",
            ((5, 16),),
        ),
        Bad(
            "import shlex\nimport paramiko\n\n"
            "def disk_usage(client, folder):\n"
            "    return client.exec_command('du -sh ' + shlex.quote(folder))\n",
            ((5, 12),),
            severity=Severity.LOW,
            why="every value quoted: low, as a fixed command",
        ),
        Ok(
            "from myproject.remote import Agent\n\n"
            "def run(agent: Agent, command):\n"
            "    return agent.exec_command(command)\n",
            why="a file that does not import paramiko",
        ),
        Ok(
            "import paramiko\n\n"
            "def upload(client, local, remote):\n"
            "    client.open_sftp().put(local, remote)\n",
            why="SFTP, not a shell",
        ),
        Ok(
            "import paramiko\nNOTE = 'client.exec_command(cmd) runs cmd in a shell'\n",
            why="text in a string",
        ),
        Ok(
            "import functools\nimport paramiko\n"
            "runner = functools.partial(client.exec_command, timeout=5)\n",
            why="the method passed along, not called here",
        ),
        Ok(
            "import paramiko\n\ndef exec_command(command):\n    return command.split()\n",
            why="a function of the same name, not a method call",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        self.imported: Set[str] = set()  # top-level modules imported so far in the file

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.imported.add(_top_module(alias.name))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and not node.relative:
            self.imported.add(_top_module(node.module))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "exec_command"):
            return
        if "paramiko" not in self.imported:
            return
        command = self.ctx.argument(node, 0, "command")
        assessed = _assess(self, [command.value] if command else [])
        if assessed is not None:
            self.report(node, func="exec_command", **assessed)


def _top_module(name: cst.BaseExpression) -> str:
    while isinstance(name, cst.Attribute):
        name = name.value
    return name.value if isinstance(name, cst.Name) else ""
