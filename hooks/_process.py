"""Processes as the code starts them: which calls run a program, and the command they run.

Shared by reverse-shell, download-exec and silent-process (a private module: the registry skips
names that start with `_`). A command is the list of expressions it is made of: the elements of
an argument list (followed through a name assigned once), the positional arguments of
`os.exec*` / `os.spawn*` / `asyncio.create_subprocess_exec`, or the one string given to a shell.
`text` renders them with `_paths.render`, a hole for each computed part, joined by spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Sequence

from hooks import _paths
from hooks.engine.bindings import Kind
from hooks.engine.lazy import cst
from hooks.engine.names import lookup
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks.engine.context import RuleContext

SUBPROCESS = frozenset(
    f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "Popen")
)
# functions whose command is one string run by a shell -> the keyword of that string
SHELL_STRING = {
    "os.system": "command",
    "os.popen": "cmd",
    "subprocess.getoutput": "cmd",
    "subprocess.getstatusoutput": "cmd",
    "commands.getoutput": "cmd",
    "commands.getstatusoutput": "cmd",
    "asyncio.create_subprocess_shell": "cmd",
}
# functions whose positional arguments are the program and its arguments -> how many come first
# that are not part of the command (the mode of os.spawn*)
ARGV_FUNCTIONS = {
    **{f"os.exec{s}": 0 for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")},
    **{f"os.spawn{s}": 1 for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")},
    "os.posix_spawn": 0,
    "os.posix_spawnp": 0,
    "asyncio.create_subprocess_exec": 0,
    "pty.spawn": 0,
}
RUNNERS = frozenset({*SUBPROCESS, *SHELL_STRING, *ARGV_FUNCTIONS})
SHELLS = lazy_re(r"^(?:.*/)?(?:ba|z|da|k|c|tc|fi)?sh(?:\.exe)?$")
SEPARATOR = r"(?:^|[\s;|&(`'\"])"


@dataclass(frozen=True)
class Command:
    """What a process call runs: its parts, and whether a shell reads them."""

    parts: Sequence[cst.BaseExpression]
    shell: bool


def resolve(ctx: RuleContext, node: cst.BaseExpression) -> Optional[str]:
    """`ctx.resolve`, and also `__import__("base64").b64decode` -> `base64.b64decode` (the
    one-line spelling that needs no import statement)."""
    found = ctx.resolve(node)
    if found is not None or not isinstance(node, cst.Attribute):
        return found
    inner = node.value
    if isinstance(inner, cst.Attribute):
        base = resolve(ctx, inner)
        return f"{base}.{node.attr.value}" if base else None
    if not isinstance(inner, cst.Call) or len(inner.args) != 1:
        return None
    importer = ctx.resolve(inner.func)
    module = _paths.string_value(inner.args[0].value)
    if not module or importer not in ("builtins.__import__", "importlib.import_module"):
        return None
    if importer == "builtins.__import__":
        module = module.split(".")[0]  # __import__("a.b") hands back the package a
    return f"{module}.{node.attr.value}"


def single_value(ctx: RuleContext, node: cst.BaseExpression) -> cst.BaseExpression:
    """The value a name is assigned once in its scope, else the node itself."""
    if isinstance(node, cst.Name):
        bindings, _ = lookup(node.value, ctx.scopes)
        if bindings and len(bindings) == 1 and bindings[0].kind is Kind.ASSIGN:
            value = bindings[0].value
            if value is not None:
                return value
    return node


def command(ctx: RuleContext, call: cst.Call, func: Optional[str]) -> Optional[Command]:
    """The command `call` runs, None when it starts no process (or we cannot see one)."""
    if func in SUBPROCESS:
        arg = ctx.argument(call, 0, "args")
        if arg is None:
            return None
        value = single_value(ctx, arg.value)
        parts = _elements(ctx, value)
        shell = ctx.truthy_constant(ctx.argument(call, None, "shell"))
        through_shell = bool(shell) or _shell_dash_c(ctx, parts)
        return Command(parts if parts is not None else [value], through_shell)
    if func in SHELL_STRING:
        arg = ctx.argument(call, 0, SHELL_STRING[func])
        return Command([arg.value], True) if arg is not None else None
    if func in ARGV_FUNCTIONS:
        skip = ARGV_FUNCTIONS[func]
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        argv: List[cst.BaseExpression] = []
        for value in positional[skip:]:
            elements = _elements(ctx, single_value(ctx, value))
            argv.extend(elements if elements is not None else [value])
        if func.startswith("os."):
            argv = argv[1:]  # the program's path, then an argv that repeats its name
        return Command(argv, _shell_dash_c(ctx, argv)) if argv else None
    return None


def _elements(
    ctx: RuleContext, value: cst.BaseExpression, depth: int = 0
) -> Optional[List[cst.BaseExpression]]:
    """The parts of an argument list: `[a, b]`, `(a, b)`, `[a] + rest` (rest is one computed
    part), and names assigned one of those; None when it is not a list we can see."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return [el.value for el in value.elements]
    if depth > _paths.MAX_DEPTH:
        return None
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        left = _elements(ctx, single_value(ctx, value.left), depth + 1)
        right = _elements(ctx, single_value(ctx, value.right), depth + 1)
        if left is None and right is None:
            return None
        return (left if left is not None else [value.left]) + (
            right if right is not None else [value.right]
        )
    return None


def _shell_dash_c(ctx: RuleContext, parts: Optional[Sequence[cst.BaseExpression]]) -> bool:
    """`["bash", "-c", script]`: the script is read by a shell."""
    if not parts or len(parts) < 3:
        return False
    program = _paths.render(ctx, parts[0])
    return bool(SHELLS.match(program)) and "-c" in (_paths.render(ctx, p) for p in parts[1:3])


def part_text(ctx: RuleContext, part: cst.BaseExpression) -> str:
    if isinstance(part, cst.StarredElement):
        return _paths.HOLE
    return _paths.render(ctx, part)


def text(ctx: RuleContext, found: Command) -> str:
    """The command as one line, a hole for each computed part."""
    return " ".join(part_text(ctx, part) for part in found.parts)
