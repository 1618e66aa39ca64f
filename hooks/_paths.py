"""Paths as the code spells them, and the calls that read or write them.

Shared by credential-harvest, persistence and exfiltration-endpoint (a private module: the
registry skips names that start with `_`). `render` turns a path or URL expression into text,
keeping what is literal and writing a hole for what is computed:

- `Path.home() / ".ssh" / "id_rsa"` -> `~/.ssh/id_rsa`
- `os.path.join(os.path.expanduser("~"), ".bashrc")` -> `~/.bashrc`
- `f"{base}/.git/hooks/pre-commit"` -> `<hole>/.git/hooks/pre-commit`
- a name assigned once in its scope (or the module's) -> the text of its value

Backslashes are turned into slashes, so Windows spellings match the same patterns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, FrozenSet, Iterable, List, Optional, Tuple

from hooks.engine.bindings import Kind
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

HOLE = "\x00"  # a computed part
HOME = "~"
MAX_DEPTH = 8
PATH_CLASSES = frozenset(
    f"pathlib.{name}"
    for name in ("Path", "PurePath", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath")
)
# calls whose value is their arguments joined with "/"
JOINERS = frozenset({"os.path.join", "posixpath.join", "ntpath.join", *PATH_CLASSES})
HOME_CALLS = frozenset(f"{name}.home" for name in PATH_CLASSES)
# calls and methods that hand back the path they were given
SAME_PATH = frozenset(
    {
        "os.path.expanduser", "os.path.abspath", "os.path.realpath", "os.path.normpath",
        "os.path.expandvars", "os.fspath", "builtins.str",
    }
)  # fmt: skip
SAME_PATH_METHODS = frozenset({"expanduser", "resolve", "absolute", "as_posix"})
ENVIRONMENT_LOOKUPS = frozenset({"os.getenv", "os.environ.get"})
HOME_VARIABLES = frozenset({"HOME", "USERPROFILE"})
FORMAT_FIELD = lazy_re(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrif]")

OPEN_FUNCTIONS = {
    "builtins.open": (0, "file"),
    "io.open": (0, "file"),
    "codecs.open": (0, "filename"),
}
# function -> (position, keyword) of the path it writes to
DESTINATION_FUNCTIONS = {
    **{f"shutil.{name}": (1, "dst") for name in ("copy", "copy2", "copyfile", "copytree", "move")},
    "os.symlink": (1, "dst"),
    "os.link": (1, "dst"),
    "os.rename": (1, "dst"),
    "os.replace": (1, "dst"),
}
COPY_FUNCTIONS = frozenset(
    f"shutil.{name}" for name in ("copy", "copy2", "copyfile", "copytree", "move")
)
WRITE_FLAGS = frozenset(
    f"os.{flag}" for flag in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC")
)
WRITE_METHODS = frozenset({"write_text", "write_bytes"})
READ_METHODS = frozenset({"read_text", "read_bytes"})
MODE_LETTERS = frozenset("rwaxbtU+")
WRITE_MODE_LETTERS = frozenset("wax+")
# the last names of every call `read_path` and `written_path` understand
PATH_CALL_NAMES = frozenset(
    {
        "open", "expanduser", *WRITE_METHODS, *READ_METHODS,
        *(name.rsplit(".", 1)[1] for name in DESTINATION_FUNCTIONS),
    }
)  # fmt: skip


def last_names(qualnames: Iterable[str]) -> FrozenSet[str]:
    return frozenset(name.rsplit(".", 1)[-1] for name in qualnames)


def worth_resolving(call: cst.Call, names: FrozenSet[str]) -> bool:
    """Resolving a callee costs a scope's bindings: a method is resolved only when its name is
    one a rule looks for; a bare name always is (it may be an import alias)."""
    func = call.func
    return not isinstance(func, cst.Attribute) or func.attr.value in names


def string_value(node: cst.BaseExpression) -> Optional[str]:
    """The text of a literal string (str or bytes, implicitly concatenated or not)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value.decode("latin-1") if isinstance(value, bytes) else value
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        return None if left is None or right is None else left + right
    return None


def render(ctx: RuleContext, node: cst.BaseExpression, depth: int = 0) -> str:
    """The text of a path or URL expression, with HOLE for each computed part."""
    if depth > MAX_DEPTH:
        return HOLE
    more = depth + 1
    text = string_value(node)
    if text is not None:
        return text.replace("\\", "/")
    if isinstance(node, cst.FormattedString):
        return "".join(
            part.value if isinstance(part, cst.FormattedStringText) else _part(ctx, part, more)
            for part in node.parts
        ).replace("\\", "/")
    if isinstance(node, cst.ConcatenatedString):  # a literal joined to an f-string
        return render(ctx, node.left, more) + render(ctx, node.right, more)
    if isinstance(node, cst.BinaryOperation):
        return _binary(ctx, node, more)
    if isinstance(node, cst.Name):
        return _name(ctx, node.value, more)
    if isinstance(node, cst.Call):
        return _call(ctx, node, more)
    if isinstance(node, cst.Subscript) and _environment_key(ctx, node) in HOME_VARIABLES:
        return HOME
    return HOLE


def _part(ctx: RuleContext, part: cst.CSTNode, depth: int) -> str:
    if isinstance(part, cst.FormattedStringExpression):
        return render(ctx, part.expression, depth)
    return HOLE


def _binary(ctx: RuleContext, node: cst.BinaryOperation, depth: int) -> str:
    if isinstance(node.operator, cst.Add):
        return render(ctx, node.left, depth) + render(ctx, node.right, depth)
    if isinstance(node.operator, cst.Divide):  # Path("~") / ".ssh"
        return join([render(ctx, node.left, depth), render(ctx, node.right, depth)])
    if isinstance(node.operator, cst.Modulo):  # "%s/.bashrc" % home
        template = string_value(node.left)
        return HOLE if template is None else FORMAT_FIELD.sub(HOLE, template)
    return HOLE


def _name(ctx: RuleContext, name: str, depth: int) -> str:
    bindings, _ = lookup(name, ctx.scopes)
    if not bindings or len(bindings) != 1:
        return HOLE
    binding = bindings[0]
    if binding.kind is not Kind.ASSIGN or binding.value is None:
        return HOLE
    return render(ctx, binding.value, depth)


def _call(ctx: RuleContext, node: cst.Call, depth: int) -> str:
    func = ctx.resolve(node.func)
    args = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
    if func in HOME_CALLS:
        return HOME
    if func in JOINERS:
        if len(args) != len(node.args):
            return HOLE
        return join([render(ctx, arg, depth) for arg in args]) if args else "."
    if func in SAME_PATH:
        return render(ctx, args[0], depth) if args else HOLE
    if func in ENVIRONMENT_LOOKUPS:
        key = string_value(args[0]) if args else None
        return HOME if key in HOME_VARIABLES else HOLE
    if func is None and isinstance(node.func, cst.Attribute):
        method = node.func.attr.value
        if method in SAME_PATH_METHODS:
            return render(ctx, node.func.value, depth)
        if method == "joinpath":
            parts = [render(ctx, node.func.value, depth)]
            return join(parts + [render(ctx, arg, depth) for arg in args])
        if method == "format":
            template = string_value(node.func.value)
            return HOLE if template is None else FORMAT_FIELD.sub(HOLE, template)
    return HOLE


def join(parts: List[str]) -> str:
    """`os.path.join` semantics: an absolute part starts the path again."""
    path = ""
    for part in parts:
        if not path or part.startswith("/"):
            path = part
        elif part:
            path = path.rstrip("/") + "/" + part
    return path


def _environment_key(ctx: RuleContext, node: cst.Subscript) -> Optional[str]:
    """`os.environ["HOME"]` -> "HOME"."""
    if ctx.resolve(node.value) != "os.environ" or len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    return string_value(index.value) if isinstance(index, cst.Index) else None


def mode_text(ctx: RuleContext, call: cst.Call, position: int) -> Optional[str]:
    """The literal mode of an `open` call ("r" when none is given), None when computed."""
    mode = ctx.argument(call, position, "mode")
    if mode is None:
        return "r"
    text = string_value(mode.value)
    if text is None or not MODE_LETTERS.issuperset(text):
        return None
    return text


def _writes(mode: Optional[str]) -> bool:
    return mode is not None and bool(WRITE_MODE_LETTERS.intersection(mode))


def _has_write_flag(ctx: RuleContext, node: cst.BaseExpression, depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, cst.BinaryOperation):
        return _has_write_flag(ctx, node.left, depth + 1) or _has_write_flag(
            ctx, node.right, depth + 1
        )
    return ctx.resolve(node) in WRITE_FLAGS


def written_path(ctx: RuleContext, call: cst.Call) -> Optional[Tuple[str, cst.BaseExpression]]:
    """What `call` writes to, as (how it writes, the path expression); None if it writes none.

    `open(p, "w")` and kin, `os.open` with write flags, `p.write_text()`, `p.open("a")`, and
    the destination of `shutil.copy*` / `move`, `os.symlink`, `os.link`, `os.rename`/`replace`.
    """
    func = ctx.resolve(call.func)
    if func in OPEN_FUNCTIONS:
        position, keyword = OPEN_FUNCTIONS[func]
        path = ctx.argument(call, position, keyword)
        if path is not None and _writes(mode_text(ctx, call, 1)):
            return func.replace("builtins.", ""), path.value
        return None
    if func == "os.open":
        path, flags = ctx.argument(call, 0, "path"), ctx.argument(call, 1, "flags")
        if path is not None and flags is not None and _has_write_flag(ctx, flags.value):
            return func, path.value
        return None
    if func in DESTINATION_FUNCTIONS:
        position, keyword = DESTINATION_FUNCTIONS[func]
        path = ctx.argument(call, position, keyword)
        return (func, path.value) if path is not None else None
    if func is None and isinstance(call.func, cst.Attribute):
        method = call.func.attr.value
        if method in WRITE_METHODS or (method == "open" and _writes(mode_text(ctx, call, 0))):
            return f"Path.{method}", call.func.value
    return None


def read_path(ctx: RuleContext, call: cst.Call) -> Optional[Tuple[str, cst.BaseExpression]]:
    """What `call` reads, as (how it reads, the path expression); None if it reads no file.

    `open(p)` in a mode that does not write, `p.read_text()` / `read_bytes()` / `open()`,
    the source of `shutil.copy*` / `move`, and `os.path.expanduser(p)` (which exists to find a
    file to read in the home folder).
    """
    func = ctx.resolve(call.func)
    if func in OPEN_FUNCTIONS:
        position, keyword = OPEN_FUNCTIONS[func]
        path = ctx.argument(call, position, keyword)
        if path is not None and not _writes(mode_text(ctx, call, 1)):
            return func.replace("builtins.", ""), path.value
        return None
    if func in COPY_FUNCTIONS or func == "os.path.expanduser":
        path = ctx.argument(call, 0, "src" if func in COPY_FUNCTIONS else "path")
        return (func, path.value) if path is not None else None
    if func is None and isinstance(call.func, cst.Attribute):
        method = call.func.attr.value
        if method in READ_METHODS or (method == "open" and not _writes(mode_text(ctx, call, 0))):
            return f"Path.{method}", call.func.value
    return None
