"""file-permissions: files and directories made writable by every user on the machine.

**What it finds.** DW403: a mode that gives others write permission (`o+w`, the `0o002` bit):
`os.chmod`, `os.fchmod`, `os.lchmod` and a `.chmod(mode)` method (pathlib, SFTP clients) with
such a mode are high; `os.open`, `os.mkdir`, `os.makedirs`, `os.mkfifo` and the `mode=` of a
`.mkdir()` / `.touch()` method ask for one at creation, where the umask may still remove it
(medium); `os.umask(...)` whose result is thrown away and that leaves the `0o002` bit clear
(`os.umask(0)`) makes every file created later world-writable (medium). Modes are read from
integer literals (`0o777`, `511`), the `stat.S_*` constants combined with `|`, `+`, `&` and `~`,
and names assigned one of those. `stat.S_IWOTH` or `stat.S_IRWXO` or-ed into a mode counts even
when the rest is computed (`os.stat(p).st_mode | stat.S_IWOTH`).

**Why it matters in assistant-written code.** "Permission denied" is answered with `chmod 777`
so often that assistants write `os.chmod(path, 0o777)` as the fix. A world-writable script,
config or socket lets any local user (or any compromised service account) change what your
program reads or runs.

**Bad**

```python
os.chmod(deploy_script, 0o777)
os.umask(0)
```

**Good**

```python
os.chmod(deploy_script, 0o750)
os.chmod(secret_file, stat.S_IRUSR | stat.S_IWUSR)
```

**Not flagged.** Modes without `o+w`: `0o600`, `0o644`, `0o700`, `0o755` (world-readable and
executable is normal for programs); group-writable modes (`0o775`: the group is usually a
deliberate choice); computed modes we cannot read (a parameter, `st.st_mode | stat.S_IXUSR`);
a creation mode equal to the function's own default (`os.makedirs(path, 0o777)`: the same as
leaving it out, and the umask decides), and `os.open(path, flags, 0o666)`, the mode `open()`
itself asks for; `old = os.umask(0)`, whose result is kept (the idiom
for reading the umask, or a change that is put back); `chmod` run as a command
(`subprocess.run(["chmod", "777", path])`); `chmod` functions of other libraries
(`sh.chmod`). A `.chmod()` method is checked on any object: a literal world-writable mode is
the signal, whatever the receiver; its mode is `mode=` or the last of one or two positional
arguments (`path.chmod(mode)`, `sftp.chmod(path, mode)`). `os.open` is only looked at in files
that mention `O_CREAT` (without it the mode is unused), to keep the prefilter sharp.

**Fix.** None automatic. Give the owner what it needs (`0o600` for secrets, `0o644` / `0o755`
for shared files and programs); share with a group (`0o660`, `0o770`) rather than with everyone.

**References.** CWE-732 (incorrect permission assignment for a critical resource); bandit B103;
ruff S103.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from hooks.engine.bindings import Kind
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity

OTHERS_WRITE = 0o002
STAT_VALUES: Dict[str, int] = {
    f"stat.{name}": value
    for name, value in {
        "S_ISUID": 0o4000, "S_ISGID": 0o2000, "S_ISVTX": 0o1000,
        "S_IRWXU": 0o700, "S_IRUSR": 0o400, "S_IWUSR": 0o200, "S_IXUSR": 0o100,
        "S_IRWXG": 0o070, "S_IRGRP": 0o040, "S_IWGRP": 0o020, "S_IXGRP": 0o010,
        "S_IRWXO": 0o007, "S_IROTH": 0o004, "S_IWOTH": 0o002, "S_IXOTH": 0o001,
        "S_IREAD": 0o400, "S_IWRITE": 0o200, "S_IEXEC": 0o100,
    }.items()
}  # fmt: skip
# function -> position of its mode argument (always also `mode=`)
CHMOD_FUNCTIONS = {"os.chmod": 1, "os.fchmod": 1, "os.lchmod": 1}
# function -> (position of its mode, the modes it is ordinarily given: its default, and for
# os.open the 0o666 of open()); the umask applies to these
CREATE_FUNCTIONS: Dict[str, Tuple[int, Tuple[int, ...]]] = {
    "os.open": (2, (0o777, 0o666)),
    "os.mkdir": (1, (0o777,)),
    "os.makedirs": (1, (0o777,)),
    "os.mkfifo": (1, (0o666,)),
}
CHMOD_METHODS = frozenset({"chmod", "lchmod"})
# method -> default mode (pathlib's); only `mode=` is read: positions differ between libraries
CREATE_METHODS = {"mkdir": (0o777,), "touch": (0o666,)}
MAX_DEPTH = 8

# the bits a mode certainly has, and whether they are all of it
Bits = Tuple[int, bool]


class PermissiveFileMode(Rule):
    code = "DW403"
    name = "permissive-file-mode"
    summary = "A file or directory is given a mode that lets every local user write to it."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (732,)
    message = "`{func}` {what}"
    hint = "give others no write bit: 0o600 or 0o644 for files, 0o700 or 0o755 for directories"
    triggers = (
        "chmod", "fchmod", "lchmod", "umask", "mkdir", "makedirs", "mkfifo", "touch",
        "O_CREAT", "S_IWOTH", "S_IRWXO",
    )  # fmt: skip
    examples = (
        Bad(
            "import os\n\ndef make_executable(script):\n    os.chmod(script, 0o777)\n",
            ((4, 5),),
            severity=Severity.HIGH,
        ),
        Bad(
            "from os import chmod\n\nchmod('/srv/app/config.json', 0o666)\n",
            ((3, 1),),
            severity=Severity.HIGH,
        ),
        Bad(
            "import os\nimport stat\n\nst = os.stat(path)\n"
            "os.chmod(path, st.st_mode | stat.S_IWOTH)\n",
            ((5, 1),),
            severity=Severity.HIGH,
            why="S_IWOTH or-ed into a computed mode",
        ),
        Bad(
            "import os\nimport stat as st\n\n"
            "os.chmod(sock_path, st.S_IRWXU | st.S_IRWXG | st.S_IRWXO)\n",
            ((4, 1),),
            severity=Severity.HIGH,
        ),
        Bad(
            "from pathlib import Path\n\nPath('uploads').chmod(0o777)\n",
            ((3, 1),),
            severity=Severity.HIGH,
        ),
        Bad(
            "def publish(sftp, remote_path):\n    sftp.chmod(remote_path, 511)\n",
            ((2, 5),),
            severity=Severity.HIGH,
            why="a method on any object, decimal 511 is 0o777",
        ),
        Bad(
            "import os\n\nSHARED_MODE = 0o666\nos.chmod(cache_file, SHARED_MODE)\n",
            ((4, 1),),
            severity=Severity.HIGH,
        ),
        Bad(
            "import os\n\nfd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o662)\n",
            ((3, 6),),
            severity=Severity.MEDIUM,
            why="a creation mode: the umask may still remove o+w",
        ),
        Ok(
            "import os\n\nfd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)\n",
            why="the mode open() itself asks for; the umask decides",
        ),
        Bad(
            "import os\n\nos.makedirs(shared_dir, mode=0o1777, exist_ok=True)\n",
            ((3, 1),),
            severity=Severity.MEDIUM,
        ),
        Bad("import os\n\nos.umask(0)\nserve_forever()\n", ((3, 1),), severity=Severity.MEDIUM),
        Ok("import os\n\nos.chmod(key_path, 0o600)\n"),
        Ok("import os\n\nos.chmod(config_path, 0o644)\n"),
        Ok("import os\n\nos.chmod(script, 0o755)\n", why="world-readable and executable"),
        Ok("import os\n\nos.makedirs(cache_dir, 0o700, exist_ok=True)\n"),
        Ok("import os\nimport stat\n\nos.chmod(token_file, stat.S_IRUSR | stat.S_IWUSR)\n"),
        Ok(
            "import os\n\ndef restore(path, mode):\n    os.chmod(path, mode)\n",
            why="a computed mode",
        ),
        Ok(
            "import os\nimport stat\n\nos.chmod(p, os.stat(p).st_mode | stat.S_IXUSR)\n",
            why="a computed mode without o+w",
        ),
        Ok(
            "import os\n\nos.makedirs(out_dir, 0o777, exist_ok=True)\n",
            why="the default mode, which the umask decides",
        ),
        Ok(
            "import os\n\ncurrent = os.umask(0)\nos.umask(current)\n",
            why="reading the umask",
        ),
        Ok("import os\n\nos.umask(0o022)\n"),
        Ok("import os\nimport stat\n\nos.chmod(p, 0o777 & ~stat.S_IWOTH)\n"),
        Ok("import subprocess\n\nsubprocess.run(['chmod', '777', path], check=True)\n"),
        Ok("import sh\n\nsh.chmod('777', path)\n", why="another library's chmod"),
        Ok(
            "def chmod(path, mode):\n    print(f'would chmod {path} to {mode:o}')\n\n"
            "chmod('build/run.sh', 0o777)\n",
            why="a local function named chmod",
        ),
        Ok("from pathlib import Path\n\nPath(d).mkdir(parents=True, exist_ok=True)\n"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in CHMOD_FUNCTIONS:
            self._check(node, func, self.ctx.argument(node, CHMOD_FUNCTIONS[func], "mode"), ())
        elif func in CREATE_FUNCTIONS:
            position, ordinary = CREATE_FUNCTIONS[func]
            self._check(node, func, self.ctx.argument(node, position, "mode"), ordinary)
        elif func is None and isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in CHMOD_METHODS:
                mode = self._method_mode(node)
                self._check(node, f".{method}", mode, (), Confidence.MEDIUM)
            elif method in CREATE_METHODS:
                mode = self.ctx.argument(node, None, "mode")
                self._check(node, f".{method}", mode, CREATE_METHODS[method], Confidence.MEDIUM)

    def visit_Expr(self, node: cst.Expr) -> None:
        """`os.umask(0)` as a statement: the old mask is thrown away, the new one stays."""
        call = node.value
        if not isinstance(call, cst.Call) or self.ctx.resolve(call.func) != "os.umask":
            return
        mask = self.ctx.argument(call, 0, "mask")
        bits = self._bits(mask.value, 0) if mask is not None else None
        if bits is None or not bits[1] or bits[0] & OTHERS_WRITE:
            return
        self.report(
            call,
            func=f"os.umask({_octal(bits[0])})",
            what="leaves others' write bit unmasked: files created later can be world-writable",
        )

    def _method_mode(self, node: cst.Call) -> Optional[cst.Arg]:
        """`mode=`, else the last of one (`path.chmod(m)`) or two (`sftp.chmod(p, m)`)."""
        mode = self.ctx.argument(node, None, "mode")
        if mode is not None:
            return mode
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if len(positional) != len(node.args) or len(positional) not in (1, 2):
            return None
        return positional[-1]

    def _check(
        self,
        node: cst.Call,
        func: str,
        mode: Optional[cst.Arg],
        ordinary: Tuple[int, ...],
        confidence: Confidence = Confidence.HIGH,
    ) -> None:
        """`ordinary` is empty for chmod (applied as given), the usual modes for creation."""
        bits = self._bits(mode.value, 0) if mode is not None else None
        if bits is None or not bits[0] & OTHERS_WRITE:
            return
        value, exact = bits
        if exact and value in ordinary:
            return
        shown = f"mode {_octal(value)}" if exact else "a mode with S_IWOTH"
        if not ordinary:
            what = f"sets {shown}: every local user can modify the file"
            self.report(node, severity=Severity.HIGH, confidence=confidence, func=func, what=what)
        else:
            what = f"asks for {shown}: world-writable unless the umask removes the bit"
            self.report(node, confidence=confidence, func=func, what=what)

    def _bits(self, node: cst.BaseExpression, depth: int) -> Optional[Bits]:
        """The bits a mode expression certainly sets; None when nothing is known."""
        if depth > MAX_DEPTH:
            return None
        more = depth + 1
        if isinstance(node, cst.Integer):
            return node.evaluated_value, True
        if isinstance(node, (cst.Name, cst.Attribute)):
            qualified = self.ctx.resolve(node)
            if qualified in STAT_VALUES:
                return STAT_VALUES[qualified], True
            return self._name_bits(node, more) if isinstance(node, cst.Name) else None
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
            inner = self._bits(node.expression, more)
            return (~inner[0], True) if inner is not None and inner[1] else None
        if isinstance(node, cst.BinaryOperation):
            return self._binary_bits(node, more)
        return None

    def _binary_bits(self, node: cst.BinaryOperation, depth: int) -> Optional[Bits]:
        left, right = self._bits(node.left, depth), self._bits(node.right, depth)
        if isinstance(node.operator, cst.BitOr):
            # a computed side adds bits we cannot see, never removes the ones we can
            if left is None or right is None:
                known = left if left is not None else right
                return (known[0], False) if known is not None else None
            return left[0] | right[0], left[1] and right[1]
        if left is None or right is None or not (left[1] and right[1]):
            return None
        if isinstance(node.operator, cst.BitAnd):
            return left[0] & right[0], True
        if isinstance(node.operator, cst.Add):
            return left[0] + right[0], True
        return None

    def _name_bits(self, node: cst.Name, depth: int) -> Optional[Bits]:
        bindings, _ = lookup(node.value, self.ctx.scopes)
        if not bindings or len(bindings) != 1:
            return None
        binding = bindings[0]
        if binding.kind is not Kind.ASSIGN or binding.value is None:
            return None
        return self._bits(binding.value, depth)


def _octal(mode: int) -> str:
    return f"0o{mode & 0o7777:03o}"
