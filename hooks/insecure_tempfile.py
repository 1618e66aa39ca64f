"""insecure-tempfile: temporary files with names another local user can guess and claim first.

**What it finds.** DW401: `tempfile.mktemp`, `os.tempnam` and `os.tmpnam`, which return a name
without creating the file; and writing to a hard-coded path under `/tmp/`, `/var/tmp/` or
`/dev/shm/`: `open(path, "w")` (also `io.open`, `codecs.open`, any mode with `w`, `a`, `x` or
`+`), `os.open(path, os.O_WRONLY | ...)`, `Path(path).write_text` / `write_bytes` /
`open("w")`, and the target of `shutil.copy` / `copy2` / `copyfile` / `copytree` / `move`. A path
counts as hard-coded when its leading text is literal: `"/tmp/x"`, `f"/tmp/{name}"`,
`"/tmp/" + name`, `os.path.join("/tmp", name)`, `Path("/tmp") / name`, or a name assigned one of
those in the same scope.

**Why it matters in assistant-written code.** `/tmp/output.json` is the path every example uses,
so assistants write it into real code. `/tmp` is shared by every user on the machine: another
user can create that name first, as a symlink to a file you own, and your program writes through
it; or they read what you wrote. `mktemp` has the same race between choosing the name and
creating the file.

**Bad**

```python
with open("/tmp/report.csv", "w") as fh:
    fh.write(report)
path = tempfile.mktemp(suffix=".json")
```

**Good**

```python
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
    fh.write(report)
fd, path = tempfile.mkstemp(suffix=".json")
```

**Not flagged.** Reading a fixed path (`open("/tmp/x")`, mode `"r"` or `"rb"`), and a mode we
cannot read; `tempfile.mkstemp`, `NamedTemporaryFile`, `TemporaryFile`, `TemporaryDirectory`
(they create the file atomically with a random name); paths built from `tempfile.gettempdir()`
or from a `TemporaryDirectory` (computed: we cannot tell them from any other directory);
`"/tmp"` in a string that is never opened; paths that merely start alike (`/tmpfoo/x`,
`tmp/x`, `f"{base}/tmp/x"`); `open` methods of other objects (`fs.open("/tmp/x", "w")`).

**Fix.** None automatic. Use `tempfile.mkstemp`, `NamedTemporaryFile` or `TemporaryDirectory`;
for a file that must have a fixed name, put it in a directory only your user can write.

**References.** CWE-377 (insecure temporary file); bandit B108, B306, B325; ruff S108, S306.
"""

from __future__ import annotations

from typing import Tuple

from hooks.engine.bindings import Kind
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity

TMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")
NAME_ONLY_FUNCTIONS = frozenset({"tempfile.mktemp", "os.tempnam", "os.tmpnam"})
# function -> (position, keyword) of the path it opens; the mode is always argument 1 / `mode`
OPEN_FUNCTIONS = {
    "builtins.open": (0, "file"),
    "io.open": (0, "file"),
    "codecs.open": (0, "filename"),
}
COPY_FUNCTIONS = frozenset(
    f"shutil.{name}" for name in ("copy", "copy2", "copyfile", "copytree", "move")
)
PATH_CLASSES = frozenset(f"pathlib.{name}" for name in ("Path", "PosixPath", "PurePosixPath"))
# calls whose value is their arguments joined with "/"
PATH_BUILDERS = frozenset({"os.path.join", "posixpath.join", *PATH_CLASSES})
WRITE_FLAGS = frozenset(
    f"os.{flag}" for flag in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC")
)
PATH_WRITE_METHODS = frozenset({"write_text", "write_bytes"})
WRITE_MODE_LETTERS = frozenset("wax+")
MODE_LETTERS = frozenset("rwaxbtU+")
MAX_DEPTH = 8

# the literal text a path expression starts with, and whether that text is all of it
Leading = Tuple[str, bool]
UNKNOWN: Leading = ("", False)


class InsecureTempFile(Rule):
    code = "DW401"
    name = "insecure-temp-file"
    summary = "A temporary file has a guessable name in a shared directory, open to races."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (377,)
    message = "`{func}` {why}"
    hint = "use tempfile.mkstemp, NamedTemporaryFile or TemporaryDirectory"
    triggers = ("mktemp", "tempnam", "tmpnam", "tmp", "shm")
    examples = (
        Bad(
            "import tempfile\n\ndef export(rows):\n    path = tempfile.mktemp(suffix='.csv')\n"
            "    write_csv(path, rows)\n    return path\n",
            ((4, 12),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "import json\n\ndef save_state(state):\n"
            "    with open('/tmp/agent_state.json', 'w') as fh:\n        json.dump(state, fh)\n",
            ((4, 10),),
        ),
        Bad(
            "def append_log(user_id, line):\n"
            "    with open(f'/tmp/session_{user_id}.log', mode='a') as fh:\n"
            "        fh.write(line)\n",
            ((2, 10),),
            why="an f-string with a literal /tmp/ prefix",
        ),
        Bad(
            "LOG_FILE = '/tmp/worker.log'\n\ndef log(msg):\n"
            "    with open(LOG_FILE, 'a') as fh:\n        fh.write(msg + '\\n')\n",
            ((4, 10),),
            why="a module constant holding the path",
        ),
        Bad(
            "from pathlib import Path\n\ndef stash(token):\n"
            "    Path('/tmp/.auth_token').write_text(token)\n",
            ((4, 5),),
        ),
        Bad(
            "from pathlib import Path as P\nframe_path = P('/dev/shm') / 'frame.raw'\n"
            "frame_path.write_bytes(frame)\n",
            ((3, 1),),
            why="an aliased Path joined with /",
        ),
        Bad(
            "import csv\nimport os\n\nout = os.path.join('/tmp', 'export.csv')\n"
            "with open(out, 'w', newline='') as fh:\n    csv.writer(fh).writerows(rows)\n",
            ((5, 6),),
        ),
        Bad(
            "import os\n"
            "fd = os.open('/var/tmp/app.lock', os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)\n",
            ((2, 6),),
        ),
        Bad(
            "import shutil\n\ndef receive(upload):\n"
            "    shutil.copy(upload.temporary_path, '/tmp/upload.bin')\n",
            ((4, 5),),
        ),
        Bad("import io\nwith io.open('/tmp/out.txt', 'wb') as f:\n    f.write(data)\n", ((2, 6),)),
        Ok(
            "with open('/tmp/input.txt') as fh:\n    data = fh.read()\n",
            why="reading a fixed path",
        ),
        Ok("with open('/tmp/fixture.bin', 'rb') as fh:\n    blob = fh.read()\n"),
        Ok("import tempfile\nfd, path = tempfile.mkstemp(suffix='.json')\n"),
        Ok(
            "import tempfile\n\n"
            "with tempfile.NamedTemporaryFile('w', suffix='.csv', delete=False) as fh:\n"
            "    fh.write(report)\n",
        ),
        Ok(
            "import os\nimport tempfile\n\n"
            "path = os.path.join(tempfile.gettempdir(), 'report.csv')\n"
            "with open(path, 'w') as fh:\n    fh.write(report)\n",
            why="a path computed from gettempdir()",
        ),
        Ok(
            "import os\nimport tempfile\n\nwith tempfile.TemporaryDirectory() as tmp:\n"
            "    with open(os.path.join(tmp, 'out.txt'), 'w') as fh:\n        fh.write(text)\n",
        ),
        Ok(
            "TMP_DIR = '/tmp'\nprint(f'scratch files go to {TMP_DIR}/')\n",
            why="/tmp in a string that is never opened",
        ),
        Ok("with open('/tmpfoo/out.txt', 'w') as fh:\n    fh.write(text)\n", why="not /tmp/"),
        Ok("with open(f'{base}/tmp/out.txt', 'w') as fh:\n    fh.write(text)\n"),
        Ok("def save(open, text):\n    open('/tmp/x.txt', 'w').write(text)\n", why="shadowed"),
        Ok(
            "import fsspec\nfs = fsspec.filesystem('s3')\n"
            "with fs.open('/tmp/part-0.parquet', 'wb') as fh:\n    fh.write(blob)\n",
            why="an open method of another object",
        ),
        Ok("def dump(mode):\n    open('/tmp/dump.txt', mode)\n", why="a mode we cannot read"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in NAME_ONLY_FUNCTIONS:
            self.report(node, func=func, why="returns a name without creating the file: racy")
        elif func in OPEN_FUNCTIONS:
            position, keyword = OPEN_FUNCTIONS[func]
            if self._writes(node, 1) and self._tmp_arg(node, position, keyword):
                self._report_path(node, func.replace("builtins.", ""))
        elif func == "os.open":
            flags = self.ctx.argument(node, 1, "flags")
            writes = flags is not None and self._has_write_flag(flags.value, 0)
            if writes and self._tmp_arg(node, 0, "path"):
                self._report_path(node, func)
        elif func in COPY_FUNCTIONS:
            if self._tmp_arg(node, 1, "dst"):
                self._report_path(node, func)
        elif func is None and isinstance(node.func, cst.Attribute):
            self._path_method(node, node.func)

    def _path_method(self, node: cst.Call, func: cst.Attribute) -> None:
        """`Path("/tmp/x").write_text(...)`; the receiver is checked, not its type: a str has no
        such methods, and a receiver built from a /tmp/ literal is a path."""
        method = func.attr.value
        if method not in PATH_WRITE_METHODS and not (method == "open" and self._writes(node, 0)):
            return
        if self._is_tmp(func.value):
            self._report_path(node, f"Path.{method}")

    def _report_path(self, node: cst.Call, func: str) -> None:
        self.report(
            node,
            func=func,
            why="writes to a fixed path in a shared temporary directory; "
            "another user can create or symlink it first",
        )

    def _writes(self, node: cst.Call, position: int) -> bool:
        mode = self.ctx.argument(node, position, "mode")
        if mode is None:
            return False
        text, complete = self._leading(mode.value, 0)
        if not (complete and text) or not MODE_LETTERS.issuperset(text):
            return False
        return bool(WRITE_MODE_LETTERS.intersection(text))

    def _tmp_arg(self, node: cst.Call, position: int, keyword: str) -> bool:
        arg = self.ctx.argument(node, position, keyword)
        return arg is not None and self._is_tmp(arg.value)

    def _is_tmp(self, node: cst.BaseExpression) -> bool:
        text, _ = self._leading(node, 0)
        return any(text.startswith(f"{directory}/") for directory in TMP_DIRS)

    def _has_write_flag(self, node: cst.BaseExpression, depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, cst.BinaryOperation):
            return self._has_write_flag(node.left, depth + 1) or self._has_write_flag(
                node.right, depth + 1
            )
        return self.ctx.resolve(node) in WRITE_FLAGS

    def _leading(self, node: cst.BaseExpression, depth: int) -> Leading:
        """The literal text `node` starts with, and whether it is the whole value."""
        if depth > MAX_DEPTH:
            return UNKNOWN
        more = depth + 1
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            return (value.decode("latin-1") if isinstance(value, bytes) else value), True
        if isinstance(node, cst.FormattedString):
            return _fstring_leading(node)
        if isinstance(node, cst.ConcatenatedString):
            return self._join(self._leading(node.left, more), node.right, "", more)
        if isinstance(node, cst.BinaryOperation):
            left = self._leading(node.left, more)
            if isinstance(node.operator, cst.Add):
                return self._join(left, node.right, "", more)
            if isinstance(node.operator, cst.Divide):  # Path("/tmp") / "x"
                return self._join(left, node.right, "/", more)
            return UNKNOWN
        if isinstance(node, cst.Name):
            return self._name_leading(node.value, more)
        if isinstance(node, cst.Call):
            return self._call_leading(node, more)
        return UNKNOWN

    def _join(self, left: Leading, right: cst.BaseExpression, sep: str, depth: int) -> Leading:
        text, complete = left
        if not complete:
            return left
        rest, rest_complete = self._leading(right, depth)
        if sep and text:
            text = text.rstrip("/") + sep
        return text + rest, rest_complete

    def _name_leading(self, name: str, depth: int) -> Leading:
        bindings, _ = lookup(name, self.ctx.scopes)
        if not bindings or len(bindings) != 1:
            return UNKNOWN
        binding = bindings[0]
        if binding.kind is not Kind.ASSIGN or binding.value is None:
            return UNKNOWN
        return self._leading(binding.value, depth)

    def _call_leading(self, node: cst.Call, depth: int) -> Leading:
        """`os.path.join("/tmp", x)` and `Path("/tmp", x)`: the parts joined with "/"."""
        if self.ctx.resolve(node.func) not in PATH_BUILDERS:
            return UNKNOWN
        parts = []
        for arg in node.args:
            if arg.keyword is not None or arg.star:
                return UNKNOWN
            parts.append(arg.value)
        if not parts:
            return UNKNOWN
        leading = self._leading(parts[0], depth)
        for part in parts[1:]:
            leading = self._join(leading, part, "/", depth)
        return leading


def _fstring_leading(node: cst.FormattedString) -> Leading:
    text = ""
    for part in node.parts:
        if not isinstance(part, cst.FormattedStringText):
            return text, False
        text += part.value
    return text, True
