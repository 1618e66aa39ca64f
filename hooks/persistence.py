"""persistence: code that installs itself to run again later (start-up files, cron, services).

**What it finds.** DW806: writing to a place whose contents run on their own later:

- shell start-up files: `~/.bashrc`, `~/.bash_profile`, `~/.bash_login`, `~/.profile`,
  `~/.zshrc`, `~/.zprofile`, `~/.zshenv`, `~/.zlogin`, fish's `config.fish` and `conf.d/`,
  `/etc/profile`, `/etc/bash.bashrc`, `/etc/zshrc`, `/etc/environment`, `/etc/profile.d/`;
- `~/.ssh/authorized_keys` (a login for whoever holds the key);
- crontabs (`/etc/crontab`, `/etc/cron.d/` and `cron.hourly` ..., `/var/spool/cron/`), systemd
  units (`/etc/systemd/system/`, `/lib/systemd/system/`, `~/.config/systemd/user/`), launchd
  jobs (`~/Library/LaunchAgents/`, `/Library/LaunchDaemons/`), init scripts (`/etc/init.d/`,
  `/etc/rc.local`) and desktop autostart entries (`~/.config/autostart/*.desktop`);
- Python start-up hooks: any `*.pth` file, `sitecustomize.py`, `usercustomize.py`, and any
  file in a `site-packages` / `dist-packages` folder;
- git hooks (`.git/hooks/...`, medium).

A write is `open()` in a mode that writes (also `io.open`, `codecs.open`, `os.open` with write
flags), `Path.write_text` / `write_bytes` / `open("w")`, and the destination of `shutil.copy*`
/ `move`, `os.symlink`, `os.link`, `os.rename` / `replace`. Paths are followed through literals,
`os.path.expanduser("~/...")`, `Path.home() / ".bashrc"`, `os.path.join(...)`, f-strings and
`+` with a literal suffix, and names assigned once. Commands given to `subprocess`,
`os.system`, `os.popen` and asyncio's subprocess functions are checked for `crontab -` /
`crontab FILE` (installing a crontab), `systemctl enable` (medium), `reg add ...\\Run` and
`schtasks /create`. Windows Run keys: `winreg.SetValueEx` in a function that opens or creates a
key under `...\\CurrentVersion\\Run` (or `RunOnce`), `winreg.SetValue` on such a key, and
`winreg.CreateKey` of one when no `SetValueEx` follows (`_winreg` too).

**Why it matters in assistant-written code.** Persistence is what turns a one-off compromise of a
coding agent into a lasting one: a line appended to `~/.bashrc` or a `.pth` file in
site-packages runs at every new shell or every Python start, long after the agent's session and
its commit are forgotten. Normal project code has no business editing those files.

**Severity.** High; medium for git hooks, `systemctl enable`, and `.pth` files under a `build/`
or `dist/` folder (packaging). Confidence is medium when the folder part of the path is computed
(`os.path.join(base, ".bashrc")`): it may not be the home folder.

**Bad**

```python
with open(os.path.expanduser("~/.bashrc"), "a") as rc:
    rc.write("\\nexport PATH=$HOME/.cache/.x:$PATH\\n")
(Path(site.getsitepackages()[0]) / "init-hook.pth").write_text("import _agent_boot\\n")
subprocess.run("(crontab -l; echo '*/5 * * * * ~/.x/run') | crontab -", shell=True)
```

**Good**

```python
print('Add this line to your ~/.bashrc:  eval "$(mytool completion bash)"')
```

**Not flagged.** Reading start-up files (`open("~/.bashrc")`); a CLI writing its own config
(`~/.config/mytool/config.toml`); `crontab -l` (listing) and `systemctl status`; opening the Run
key to read it; paths whose folder comes from a temporary directory (`tmp_path / ".bashrc"` in a
test, a name holding `tempfile.mkdtemp()`, pip's `temp_dir.path` reached through a `self._site_dir`
set in the same function, where pip writes the `sitecustomize.py` of an isolated build); file
names that merely contain the words (`bashrc.example`, `profile.json`). Legitimate installers
(pre-commit writing `.git/hooks/pre-commit`, a packaging backend writing its `.pth` file,
setuptools' `easy_install` writing `easy-install.pth` into site-packages, a `conda init`-like
command editing `~/.bashrc`) are flagged on purpose and need a suppression with the reason.

**Fix.** None automatic. Remove the write; if installing is the feature, ask the user first and
suppress the finding with the reason.

**References.** CWE-506 (embedded malicious code); MITRE ATT&CK T1546.004, T1053.003, T1543,
T1547.001, T1098.004; no bandit or ruff counterpart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Mapping, Optional, Tuple

from hooks import _paths
from hooks.engine.bindings import Kind, dotted
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, OptionValue, Rule, Severity
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

SHELL = "a shell start-up file, which runs in every new shell"
PTH = "a .pth file, whose import lines run at every Python start"
# (pattern over the rendered path, what runs from there, severity)
TARGETS: Tuple[Tuple["re.Pattern[str]", str, Severity], ...] = tuple(
    (lazy_re(pattern), what, severity)
    for pattern, what, severity in (
        (
            r"(?:^|/)\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv|zlogin)$"
            r"|(?:^|/)\.config/fish/(?:config\.fish$|conf\.d/)",
            SHELL,
            Severity.HIGH,
        ),
        (
            r"^/etc/(?:profile|bash\.bashrc|zshrc|zsh/zshrc|environment)$|^/etc/profile\.d/",
            "a system-wide shell start-up file, which runs in every new shell",
            Severity.HIGH,
        ),
        (
            r"(?:^|/)\.ssh/authorized_keys2?$",
            "SSH authorized_keys, a login for whoever holds the key",
            Severity.HIGH,
        ),
        (
            r"^/etc/crontab$|^/etc/cron\.(?:d|hourly|daily|weekly|monthly)/|^/var/spool/cron/",
            "a crontab, which runs on a schedule",
            Severity.HIGH,
        ),
        (
            r"^/etc/systemd/system/|^/(?:usr/)?lib/systemd/system/|(?:^|/)\.config/systemd/user/",
            "a systemd unit, which the service manager starts",
            Severity.HIGH,
        ),
        (
            r"(?:^|/)Library/LaunchAgents/|^/Library/LaunchDaemons/",
            "a launchd job, which runs at login or boot",
            Severity.HIGH,
        ),
        (
            r"^/etc/init\.d/|^/etc/rc\.local$|(?:^|/)\.config/autostart/",
            "a boot or login script",
            Severity.HIGH,
        ),
        (
            r"(?:^|/)(?:sitecustomize|usercustomize)\.py$",
            "a Python start-up module, which runs at every Python start",
            Severity.HIGH,
        ),
        (r"\.pth$", PTH, Severity.HIGH),
        (
            r"(?:^|/)(?:site|dist)-packages/",
            "the site-packages folder, whose code every program imports",
            Severity.HIGH,
        ),
        (
            r"(?:^|/)\.git/hooks/[^/]",
            "a git hook, which runs at every commit or checkout",
            Severity.MEDIUM,
        ),
    )
)
PACKAGING_FOLDER = lazy_re(r"(?:^|/)(?:build|dist)/")
# names a temporary directory goes by: tests write start-up files into them
TEMPORARY_NAME = lazy_re(r"^_*(?:tmp|temp(?!l|er))|(?:^|_)(?:tmp|temp)(?:_|$)", re.IGNORECASE)

COMMAND_RUNNERS = frozenset(
    {
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
        "subprocess.Popen", "subprocess.getoutput", "subprocess.getstatusoutput", "os.system",
        "os.popen", "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
    }
)  # fmt: skip
SEPARATOR = r"(?:^|[\s;|&(`])"
COMMANDS: Tuple[Tuple["re.Pattern[str]", str, Severity], ...] = tuple(
    (lazy_re(pattern, re.IGNORECASE), what, severity)
    for pattern, what, severity in (
        (
            SEPARATOR + r"crontab(?:\s+-u\s+\S+)?\s+(?!-[lreis]\b)[^\s;|&)]",
            "installs a crontab, which runs on a schedule",
            Severity.HIGH,
        ),
        (
            SEPARATOR + r"systemctl\b[^;|&]*\s(?:enable|link)\b",
            "enables a systemd unit, which then starts at every boot or login",
            Severity.MEDIUM,
        ),
        (
            SEPARATOR + r"reg(?:\.exe)?\s+add\b[^;|&]*CurrentVersion/+Run",
            "adds a Windows Run key, which runs at every login",
            Severity.HIGH,
        ),
        (
            SEPARATOR + r"schtasks(?:\.exe)?\s+/create\b",
            "creates a Windows scheduled task",
            Severity.HIGH,
        ),
    )
)
RUN_KEY = lazy_re(r"CurrentVersion/+Run(?:Once|Services|ServicesOnce)?(?:/|$)", re.IGNORECASE)
KEY_OPENERS = frozenset({"OpenKey", "OpenKeyEx", "CreateKey", "CreateKeyEx"})
KEY_CREATORS = frozenset({"CreateKey", "CreateKeyEx"})
CALL_NAMES = frozenset(
    {
        *_paths.PATH_CALL_NAMES, *_paths.last_names(COMMAND_RUNNERS), *KEY_OPENERS,
        "SetValue", "SetValueEx",
    }
)  # fmt: skip
RUN_KEY_WHAT = "a Windows Run key, which runs at every login"


@dataclass
class _Frame:
    """The winreg calls and attribute assignments of one function (or the module)."""

    run_keys: List[Tuple[cst.Call, str]] = field(default_factory=list)  # (call, function)
    set_values: List[cst.Call] = field(default_factory=list)
    # `self.x` -> the value assigned to it here, None when assigned more than once
    attributes: Dict[str, Optional[cst.BaseExpression]] = field(default_factory=dict)


def _winreg_function(ctx: RuleContext, call: cst.Call) -> Optional[str]:
    """`winreg.SetValueEx` -> "SetValueEx" (also through `_winreg`)."""
    func = ctx.resolve(call.func)
    for module in ("winreg.", "_winreg."):
        if func is not None and func.startswith(module):
            return func[len(module) :]
    return None


def _command_text(ctx: RuleContext, call: cst.Call) -> str:
    arg = ctx.argument(call, 0, "args" if "subprocess" in (ctx.resolve(call.func) or "") else "cmd")
    if arg is None:
        arg = ctx.argument(call, 0, "program")
    if arg is None:
        return ""
    value = arg.value
    if isinstance(value, (cst.List, cst.Tuple)):
        return " ".join(_paths.render(ctx, el.value) for el in value.elements)
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "create_subprocess_exec":
        return " ".join(_paths.render(ctx, a.value) for a in call.args if a.keyword is None)
    return _paths.render(ctx, value)


def _base(
    ctx: RuleContext,
    node: cst.BaseExpression,
    attributes: Mapping[str, Optional[cst.BaseExpression]],
) -> cst.BaseExpression:
    """The leftmost part a path is built from: `tmp_path` in `rc = tmp_path / ".bashrc"`;
    `attributes` are the values of `self.x` assigned once in the function."""
    for _ in range(_paths.MAX_DEPTH):
        if isinstance(node, cst.BinaryOperation):
            node = node.left
        elif isinstance(node, cst.FormattedString) and node.parts:
            part = node.parts[0]
            if not isinstance(part, cst.FormattedStringExpression):
                break
            node = part.expression
        elif isinstance(node, cst.Call):
            func = ctx.resolve(node.func)
            if func in _paths.JOINERS or func in _paths.SAME_PATH:
                if not node.args:
                    break
                node = node.args[0].value  # os.path.join(base, ...), Path(base, ...)
            elif func is None and isinstance(node.func, cst.Attribute):
                node = node.func.value  # base.joinpath(...)
            else:
                break
        elif isinstance(node, cst.Name):
            bindings, _ = lookup(node.value, ctx.scopes)
            if not bindings or len(bindings) != 1 or bindings[0].kind is not Kind.ASSIGN:
                break
            if bindings[0].value is None or TEMPORARY_NAME.search(node.value):
                break
            node = bindings[0].value
        elif isinstance(node, cst.Attribute):
            value = attributes.get(dotted(node))  # self._site = os.path.join(temp_dir.path, ..)
            if value is None:
                break
            node = value
        else:
            break
    return node


def _chain_names(node: cst.BaseExpression) -> List[str]:
    """`temp_dir.path` -> ["path", "temp_dir"]."""
    names = []
    while isinstance(node, cst.Attribute):
        names.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        names.append(node.value)
    return names


class Persistence(Rule):
    code = "DW806"
    name = "persistence"
    summary = "Code writes a start-up file, crontab, service, .pth file or Run key to run again."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (506,)
    message = "`{func}` {action}"
    hint = "remove it; if installing is the feature, ask the user and suppress with the reason"
    triggers = (
        "bashrc", "bash_profile", "bash_login", "zshrc", "zprofile", "zshenv",
        "zlogin", "fish", "authorized_keys", "authorized_keys2", "crontab", "cron", "systemd",
        "systemctl", "LaunchAgents", "LaunchDaemons", "autostart", "sitecustomize",
        "usercustomize", "pth", "winreg", "_winreg", "CurrentVersion", "schtasks",
    )  # fmt: skip
    trigger_patterns = (
        # `.profile`, `/etc/profile`, `"profile"`: not the profile module or cProfile
        r"profile(?<=[./\"']profile)\b",  # a literal first: searched at C speed
        r"site-packages|dist-packages|init\.d|rc\.local",
        r"\.git[/\\]+hooks|[\"']hooks[\"']",
    )
    examples = (
        Bad(
            "import os\n\ndef setup_path():\n"
            "    with open(os.path.expanduser('~/.bashrc'), 'a') as rc:\n"
            "        rc.write('\\nexport PATH=$HOME/.cache/.x:$PATH\\n')\n",
            ((4, 10),),
        ),
        Bad(
            "import site\nfrom pathlib import Path\n\n"
            "(Path(site.getsitepackages()[0]) / 'init-hook.pth').write_text('import _boot\\n')\n",
            ((4, 1),),
            why="a .pth file under a computed folder",
        ),
        Bad(
            "import subprocess\n\nsubprocess.run(\"(crontab -l; echo '*/5 * * * * ~/.x/run') "
            '| crontab -", shell=True)\n',
            ((3, 1),),
        ),
        Bad(
            "from pathlib import Path\n\nkeys = Path.home() / '.ssh' / 'authorized_keys'\n"
            "with keys.open('a') as fh:\n    fh.write(PUBKEY)\n",
            ((4, 6),),
        ),
        Bad(
            "import shutil\n\nshutil.copy('agent.service', '/etc/systemd/system/agent.service')\n",
            ((3, 1),),
        ),
        Bad(
            "import os\n\nhome = os.path.expanduser('~')\n"
            "os.symlink('/opt/x/boot.py', os.path.join(home, 'Library/LaunchAgents/x.plist'))\n",
            ((4, 1),),
        ),
        Bad(
            "import winreg\n\ndef autorun(exe):\n"
            "    key = winreg.OpenKey(winreg.HKEY_CURRENT_USER,\n"
            "                         r'Software\\Microsoft\\Windows\\CurrentVersion\\Run', 0,\n"
            "                         winreg.KEY_SET_VALUE)\n"
            "    winreg.SetValueEx(key, 'updater', 0, winreg.REG_SZ, exe)\n",
            ((7, 5),),
        ),
        Bad(
            "import os\n\ndef install(repo):\n"
            "    hook = os.path.join(repo, '.git', 'hooks', 'pre-commit')\n"
            "    with open(hook, 'w') as fh:\n        fh.write(SCRIPT)\n",
            ((5, 10),),
            severity=Severity.MEDIUM,
            why="git hook installers are medium: legitimate ones need a suppression",
        ),
        Bad(
            "import subprocess\n\nsubprocess.run(['systemctl', '--user', 'enable', 'agent'])\n",
            ((3, 1),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "def write_pth(build_lib):\n"
            "    with open(f'build/lib/{NAME}.pth', 'w') as fh:\n        fh.write(PATH)\n",
            ((2, 10),),
            severity=Severity.MEDIUM,
            why="a .pth file in a build folder: packaging, medium",
        ),
        Bad(
            "import _winreg as reg\n\n"
            "reg.CreateKey(reg.HKEY_CURRENT_USER, 'Software\\\\Microsoft\\\\Windows\\\\"
            "CurrentVersion\\\\RunOnce')\n",
            ((3, 1),),
            why="_winreg, and a Run key created",
        ),
        Bad(
            "import os\n\nclass Shell:\n    def __init__(self):\n"
            "        self.home = os.path.expanduser('~')\n"
            "        with open(os.path.join(self.home, '.bashrc'), 'a') as rc:\n"
            "            rc.write(LINE)\n",
            ((6, 14),),
            why="an attribute followed to a folder that is not a temporary one",
        ),
        Ok(
            "import os\n\ndef aliases():\n"
            "    with open(os.path.expanduser('~/.bashrc')) as rc:\n        return rc.read()\n",
            why="reading a start-up file",
        ),
        Ok(
            "from pathlib import Path\n\n"
            "CONFIG = Path.home() / '.config' / 'mytool' / 'config.toml'\n\ndef save(text):\n"
            "    CONFIG.parent.mkdir(parents=True, exist_ok=True)\n    CONFIG.write_text(text)\n",
            why="a CLI writing its own config",
        ),
        Ok(
            "import subprocess\n\n"
            "jobs = subprocess.run(['crontab', '-l'], capture_output=True, text=True).stdout\n"
            "subprocess.run(['systemctl', 'status', 'nginx'])\n",
        ),
        Ok(
            "def test_init_appends_to_bashrc(tmp_path):\n    rc = tmp_path / '.bashrc'\n"
            "    rc.write_text('# existing\\n')\n    run_init(home=tmp_path)\n",
            why="a test writing into its temporary folder",
        ),
        Ok(
            "import winreg\n\ndef startup_entries():\n"
            "    key = winreg.OpenKey(winreg.HKEY_CURRENT_USER,\n"
            "                         r'Software\\Microsoft\\Windows\\CurrentVersion\\Run')\n"
            "    return winreg.QueryValueEx(key, 'updater')\n",
            why="reading the Run key",
        ),
        Ok(
            "import json\n\nwith open('profile.json', 'w') as fh:\n    json.dump(profile, fh)\n"
            "with open('docs/bashrc.example', 'w') as fh:\n    fh.write(SNIPPET)\n",
            why="names that merely contain the words",
        ),
        Ok(
            "import os\n\ndef save(open):\n"
            "    open(os.path.expanduser('~/.bashrc'), 'a').write('x')\n",
            why="open is a parameter",
        ),
        Ok(
            "import os\nimport shutil\n\ndef backup(dest):\n"
            "    shutil.copy(os.path.expanduser('~/.bashrc'), dest)\n"
            "    shutil.copy(os.path.expanduser('~/.zshrc'), os.path.join(dest, 'zshrc.bak'))\n",
            why="a start-up file as the source of a copy",
        ),
        Ok(
            "print('Add this to your ~/.bashrc: eval \"$(mytool completion bash)\"')\n",
            why="text in a string",
        ),
        Ok(
            "import tempfile, os\n\nhome = tempfile.mkdtemp()\n"
            "with open(os.path.join(home, '.profile'), 'w') as fh:\n    fh.write('x')\n",
            why="a temporary home folder",
        ),
        Ok(
            "import os\n\nclass BuildEnv:\n    def __init__(self):\n"
            "        temp_dir = TempDirectory(kind='build-env')\n"
            "        self._site_dir = os.path.join(temp_dir.path, 'site')\n"
            "        with open(os.path.join(self._site_dir, 'sitecustomize.py'), 'w') as fh:\n"
            "            fh.write(ISOLATION_HOOK)\n",
            why="a sitecustomize.py in a temporary build environment (pip's isolated builds), "
            "through an attribute set in the same function",
        ),
    )

    def __init__(self, ctx: RuleContext, options: Dict[str, OptionValue]) -> None:
        super().__init__(ctx, options)
        self.frames: List[_Frame] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.frames.append(_Frame())

    def leave_Module(self, node: cst.Module) -> None:
        self._judge(self.frames.pop())

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.frames.append(_Frame())

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._judge(self.frames.pop())

    def _judge(self, frame: _Frame) -> None:
        """A Run key opened or created, then a value set: report the sets (else the creates)."""
        if not frame.run_keys:
            return
        reported = [(node, "winreg.SetValueEx") for node in frame.set_values] or [
            (node, f"winreg.{func}") for node, func in frame.run_keys if func in KEY_CREATORS
        ]
        for node, func in reported:
            self.report(node, func=func, action=f"writes {RUN_KEY_WHAT}")

    def visit_Assign(self, node: cst.Assign) -> None:
        attributes = self.frames[-1].attributes
        for target in node.targets:
            if isinstance(target.target, cst.Attribute):
                name = dotted(target.target)
                if name:
                    attributes[name] = None if name in attributes else node.value

    def visit_Call(self, node: cst.Call) -> None:
        if not _paths.worth_resolving(node, CALL_NAMES):
            return
        winreg = _winreg_function(self.ctx, node)
        if winreg is not None:
            self._winreg(node, winreg)
            return
        func = self.ctx.resolve(node.func)
        if func in COMMAND_RUNNERS:
            self._command(node, func)
            return
        written = _paths.written_path(self.ctx, node)
        if written is not None:
            self._write(node, *written)

    def _write(self, node: cst.Call, func: str, path: cst.BaseExpression) -> None:
        text = _paths.render(self.ctx, path)
        for pattern, what, severity in TARGETS:
            if not pattern.search(text):
                continue
            if self._temporary(path):
                return
            if what == PTH and PACKAGING_FOLDER.search(text):
                severity = Severity.MEDIUM
            computed = not text.startswith(("/", _paths.HOME))
            shown = text.replace(_paths.HOLE, "{...}")
            self.report(
                node,
                severity=severity,
                confidence=Confidence.MEDIUM if computed else Confidence.HIGH,
                func=func,
                action=f"writes {what} (`{shown}`)",
            )
            return

    def _temporary(self, path: cst.BaseExpression) -> bool:
        """Built on a temporary folder: `tmp_path / x`, `temp_dir.path`, or on
        `tempfile.mkdtemp()`."""
        base = _base(self.ctx, path, self.frames[-1].attributes)
        if isinstance(base, (cst.Name, cst.Attribute)):
            return any(TEMPORARY_NAME.search(name) for name in _chain_names(base))
        if isinstance(base, cst.Call):
            return (self.ctx.resolve(base.func) or "").startswith("tempfile.")
        return False

    def _command(self, node: cst.Call, func: str) -> None:
        text = _command_text(self.ctx, node)
        for pattern, what, severity in COMMANDS:
            if pattern.search(text):
                self.report(node, severity=severity, func=func, action=what)
                return

    def _winreg(self, node: cst.Call, func: str) -> None:
        if func == "SetValueEx":
            self.frames[-1].set_values.append(node)
            return
        if func not in KEY_OPENERS and func != "SetValue":
            return
        sub_key = self.ctx.argument(node, 1, "sub_key")
        if sub_key is None or not RUN_KEY.search(_paths.render(self.ctx, sub_key.value)):
            return
        if func == "SetValue":
            self.report(node, func=f"winreg.{func}", action=f"writes {RUN_KEY_WHAT}")
        else:
            self.frames[-1].run_keys.append((node, func))
