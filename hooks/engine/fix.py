"""Applying the fixes rules offer: one whole-file parse, one transformer, a loop to a fixed point.

A narrowed tree (narrow.py) is never what gets written: fixing parses the whole text again, and
only a text libcst gives back byte for byte is ever rewritten (libcst 1.9 drops the space in
`except X :`). Each round applies every fix in scope at once (a fix's edit sees its node with
the children already fixed, so nested fixes compose), checks that Python still accepts the
result, and checks again; a fix that makes what another rule fixes is taken in the next round.
The encoding, a BOM, CRLF newlines and a missing final newline survive: libcst keeps every
token, and the text is encoded back with the encoding it was read with.
"""

from __future__ import annotations

import ast
import difflib
import os
import stat
import tempfile
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, List, Optional, Set, Tuple

import libcst as cst

from hooks.engine.cst_parse import parse_module
from hooks.engine.rule import Finding, Fix, FixSafety, RawReport
from hooks.engine.source import DecodeError, Source, encoding_of

if TYPE_CHECKING:
    from hooks.engine.runner import Runner

MAX_ROUNDS = 5


@dataclass
class Outcome:
    """What fixing one file came to: its new bytes (the old ones when nothing changed), how
    many fixes were applied, and, when something stopped the fixer, why."""

    source: Source
    data: bytes
    fixes: int = 0
    problem: str = ""
    lines: Optional[Set[int]] = None  # the change's added lines, carried to the new text

    @property
    def changed(self) -> bool:
        return self.data != self.source.data

    def diff(self) -> str:
        """The unified diff of the change, as `git diff` would show it."""
        before, after = (_text(self.source.data), _text(self.data))
        path = self.source.path
        old, new = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")
        lines = difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), old, new
        )
        return "".join(lines)


def _text(data: bytes) -> str:
    return data.decode(encoding_of(data), "replace")


def allowed(unsafe: bool) -> FrozenSet[FixSafety]:
    return frozenset({FixSafety.SAFE, FixSafety.UNSAFE} if unsafe else {FixSafety.SAFE})


def fix_source(
    runner: Runner, source: Source, lines: Optional[Set[int]], safeties: FrozenSet[FixSafety]
) -> Outcome:
    """Fix what the selected rules find in `source` within `lines` (None: the whole file)."""
    outcome = Outcome(source, source.data, lines=lines)
    try:
        encoding = encoding_of(source.data)
        text = source.data.decode(encoding)
    except (DecodeError, UnicodeDecodeError):
        return _stopped(outcome, "its bytes do not decode", lines)
    if text.encode(encoding) != source.data:
        why = f"its bytes do not survive a round trip through {encoding}"
        return _stopped(outcome, why, lines)
    current = text
    for round_number in range(MAX_ROUNDS + 1):
        module = _parse(current)
        if module is None:
            why = "libcst does not give this file back byte for byte; not rewritten"
            return _stopped(outcome, why, lines)
        fixes = [
            report
            for report, finding in runner.fixable(source.path, current, module, outcome.lines)
            if finding.fix in safeties
        ]
        if not fixes:
            break
        if round_number == MAX_ROUNDS:
            outcome.problem = f"fixes still apply after {MAX_ROUNDS} rounds; stopped there"
            break
        fixed = _apply(module, fixes)
        if fixed is None:
            why = "a fix made code Python does not accept; nothing written"
            return _stopped(outcome, why, lines)
        if fixed == current:
            break
        outcome.lines = carry_lines(current, fixed, outcome.lines)
        outcome.fixes += len(fixes)
        outcome.data = fixed.encode(encoding)
        current = fixed
    return outcome


def _stopped(outcome: Outcome, why: str, lines: Optional[Set[int]]) -> Outcome:
    """Nothing is written: the file keeps every byte, and its added lines stay as they were."""
    outcome.data, outcome.fixes, outcome.problem = outcome.source.data, 0, why
    outcome.lines = lines
    return outcome


def _parse(text: str) -> Optional[cst.Module]:
    """The whole text's libcst tree, or None when libcst cannot give the text back exactly."""
    try:
        module = parse_module(cst, text)
    except Exception:  # libcst raises several kinds, RecursionError among them
        return None
    return module if module.code == text else None


def _apply(module: cst.Module, reports: List[RawReport]) -> Optional[str]:
    """The text with every fix applied and the imports they need added; None when the result
    is not Python (or the tree nests too deeply to rewrite).

    Only the top-level statements that hold a fix are rewritten, and only the leading imports
    are shown to libcst's AddImportsVisitor: a transformer rebuilds every node it passes.
    """
    edits: Dict[int, List[Fix]] = {}
    for report in reports:
        if report.fix is not None:
            edits.setdefault(id(report.node), []).append(report.fix)
    tops = {id(report.top) for report in reports}
    rewriter = _Rewriter(edits)
    try:
        body = [top.visit(rewriter) if id(top) in tops else top for top in module.body]
        imports = {i for report in reports if report.fix is not None for i in report.fix.imports}
        text: str = _with_imports(module.with_changes(body=body), imports).code
    except RecursionError:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text)
        except (SyntaxError, ValueError):
            return None
    return text


def _with_imports(module: cst.Module, imports: Set[Tuple[str, Optional[str]]]) -> cst.Module:
    """`module` with `imports` added where libcst's AddImportsVisitor puts them: after the
    imports at its top. The visitor sees the statements up to the last top-level import (it
    only reads the imports at the top, and inserts among them), not the whole tree."""
    if not imports:
        return module
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    last = 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
        ):
            last = index
    head = module.with_changes(body=module.body[: last + 1], footer=())
    context = CodemodContext()
    for name, obj in sorted(imports, key=lambda i: (i[0], i[1] or "")):
        AddImportsVisitor.add_needed_import(context, name, obj)
    head = AddImportsVisitor(context).transform_module(head)
    return module.with_changes(body=[*head.body, *module.body[last + 1 :]])


class _Rewriter(cst.CSTTransformer):
    """Replaces each reported node by what its fixes make of it, innermost first."""

    def __init__(self, edits: Dict[int, List[Fix]]) -> None:
        super().__init__()
        self.edits = edits

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        for fix in self.edits.get(id(original_node), ()):
            updated_node = fix.edit(updated_node)
        return updated_node


def carry_lines(before: str, after: str, lines: Optional[Set[int]]) -> Optional[Set[int]]:
    """The added lines of `before`, as lines of `after`: unchanged lines keep their place,
    rewritten ones are in scope when what they replace was, and inserted imports are not."""
    if lines is None:
        return None
    old, new = before.splitlines(), after.splitlines()
    carried: Set[int] = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for kind, i1, i2, j1, j2 in matcher.get_opcodes():
        if kind == "equal":
            carried.update(j1 + k + 1 for k in range(i2 - i1) if i1 + k + 1 in lines)
        elif kind == "replace" and any(i + 1 in lines for i in range(i1, i2)):
            carried.update(range(j1 + 1, j2 + 1))
    return carried


class WriteError(Exception):
    """The fixed file could not be written; the old one is untouched."""


def write(path: str, data: bytes, root: str) -> None:
    """Replace the file atomically (a temporary file in the same folder, then a rename), with
    its mode kept. A symlink is written through only to a file inside `root`."""
    target = os.path.realpath(path)
    top = os.path.realpath(root)
    if os.path.islink(path) and os.path.commonpath([target, top]) != top:
        raise WriteError("a symlink to a file outside the repository; not written")
    mode = stat.S_IMODE(os.stat(target).st_mode)
    handle, temporary = tempfile.mkstemp(
        prefix=".diffwarden-", suffix=".tmp", dir=os.path.dirname(target)
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise WriteError(f"cannot write: {exc.strerror or exc}") from None


def fix_all(
    runner: Runner, sources: List[Source], findings: List[Finding], safeties: FrozenSet[FixSafety]
) -> List[Outcome]:
    """Fix every file with a finding the allowed fixes can fix; the others are not read again."""
    fixable = {f.path for f in findings if f.fix in safeties}
    return [
        fix_source(runner, source, runner.scope.lines(source.path), safeties)
        for source in sources
        if source.path in fixable
    ]
