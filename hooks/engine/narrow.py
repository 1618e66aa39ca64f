"""Parse only what the change touches.

libcst parses about eight times slower than `ast`. In diff scope, `ast` (C speed, exact line
ranges) finds the statements that overlap added lines; every other function, method and compound
statement is blanked out line for line, so libcst parses a much smaller text while every position
stays exact. Whatever binds a module-level name is kept, so rules resolve names and constants as
they would in the whole file: simple statements and compound statements that bind names stay,
and a dropped function or class leaves a one-line stub (`def name(): pass`) on its own line.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
from dataclasses import dataclass
from typing import FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from hooks.engine.prefilter import SPACES as _SPACES
from hooks.engine.prefilter import needles_of

DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)
# narrowing is worth its bookkeeping only when it drops a good share of the file
MIN_SAVING = 0.3
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as Python counts lines
LINE_BREAK_BYTES = re.compile(LINE_BREAK.pattern.encode())
# the fields of statements and their parts that hold statements
STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


def _span(node: ast.stmt) -> Tuple[int, int]:
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)])
    return start, node.end_lineno or node.lineno


class _Touch:
    def __init__(self, lines: Set[int]) -> None:
        self.sorted = sorted(lines)

    def __call__(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.sorted, start)
        return index < len(self.sorted) and self.sorted[index] <= end


BINDERS = (
    ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr,
    ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.ExceptHandler, ast.Global, ast.Delete,
    *DEFS, ast.ClassDef,
)  # fmt: skip


@dataclass(frozen=True)
class Drop:
    """Lines start..end (inclusive) need not be parsed; `stub` replaces line `stub_line`."""

    start: int
    end: int
    stub_line: int = 0
    stub: str = ""


def _binds(node: ast.stmt) -> bool:
    return any(isinstance(child, BINDERS) for child in ast.walk(node))


def _drop_definition(node: "ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef") -> Drop:
    start, end = _span(node)
    stub = (
        f"class {node.name}: pass" if isinstance(node, ast.ClassDef) else f"def {node.name}(): pass"
    )
    return Drop(start, end, node.lineno, stub)


def _dropped(body: Sequence[ast.stmt], touches: _Touch, nested: bool) -> List[Drop]:
    """What in `body` need not be parsed."""
    dropped: List[Drop] = []
    for statement in body:
        start, end = _span(statement)
        touched = touches(start, end)
        if isinstance(statement, (*DEFS, ast.ClassDef)):
            if not touched:
                dropped.append(_drop_definition(statement))
            elif isinstance(statement, ast.ClassDef) and not nested:
                inner = _dropped(statement.body, touches, nested=True)
                if len(inner) == len(statement.body) and not any(d.stub for d in inner):
                    inner = inner[1:]  # a class body must keep one statement
                dropped.extend(inner)
        elif isinstance(statement, COMPOUND) or type(statement).__name__ == "Match":
            if not touched and not _binds(statement):
                dropped.append(Drop(start, end))
    return dropped


def _bound_names(node: ast.AST) -> List[str]:
    """Names an import or an assignment binds (`import a.b as c` -> c; `X = Y = 1` -> X, Y)."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    targets: List[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    return [t.id for t in targets if isinstance(t, ast.Name)]


def _lines_matching(text: str, starts: List[int], pattern: "re.Pattern[str]") -> Set[int]:
    """Line numbers where a match of `pattern` begins (patterns may span lines)."""
    return {bisect.bisect_right(starts, m.start()) for m in pattern.finditer(text)}


@dataclass(frozen=True)
class Triggers:
    """What makes a line interesting to the selected rules: whole words, and shape regexes,
    each with the substrings one of which is in any text it matches (prefilter.needles_of)."""

    words: FrozenSet[str]
    shapes: Tuple[Tuple["re.Pattern[str]", Tuple[Tuple[str, ...], ...]], ...]

    @classmethod
    def of(cls, words: Iterable[str], shapes: Iterable[str]) -> Triggers:
        return cls(frozenset(words), tuple((re.compile(s), _needs(s)) for s in shapes))


def _needs(shape: str) -> Tuple[Tuple[str, ...], ...]:
    """The case-sensitive needle sets of an ASCII shape. A case-insensitive str regex matches
    more than its lower-cased letters (`ſ` is an `s` to it), so those sets are left out."""
    if not shape.isascii():
        return ()
    found = needles_of(shape.encode())
    return tuple(tuple(n.decode() for n in needles) for folded, needles in found if not folded)


class _Lines:
    """A text's lines as word lists: a set of words is looked up line by line at C speed,
    where one alternation of hundreds of words costs the regex engine a try of each at every
    character. Words are ASCII runs of [A-Za-z0-9_], which finds a superset of what `\bword\b`
    finds (`évaluer` holds the word `valuer` here and none for the regex): a few more lines
    parsed, never one less."""

    def __init__(self, text: str) -> None:
        self.text = text
        data = text.encode("utf-8", "surrogatepass")
        self.words = [line.translate(_SPACES).split() for line in LINE_BREAK_BYTES.split(data)]
        self._starts: Optional[List[int]] = None

    def with_words(self, words: Iterable[str]) -> Set[int]:
        ascii_words = {w.encode() for w in words if w.isascii()}
        found = {n for n, line in enumerate(self.words, 1) if not ascii_words.isdisjoint(line)}
        others = sorted(w for w in words if not w.isascii())
        if others:  # identifiers may be non-ASCII; rare enough for the regex
            found |= self.matching(re.compile(r"\b(?:" + "|".join(map(re.escape, others)) + r")\b"))
        return found

    def matching(self, pattern: "re.Pattern[str]") -> Set[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in LINE_BREAK.finditer(self.text)]
        return _lines_matching(self.text, self._starts, pattern)


def _statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement, nested ones too, without visiting a single expression."""
    stack: List[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        for name in STATEMENT_LISTS:
            stack.extend(reversed(getattr(node, name, ())))


def trigger_lines(text: str, tree: ast.Module, triggers: Triggers) -> Set[int]:
    """Lines that mention a trigger, or a name bound on such a line, followed a few steps:
    `from pickle import loads as l` makes `l(data)` a trigger, and `LOG = "/tmp/x.log"` makes
    `open(LOG, "w")` one."""
    lines = _Lines(text)
    found = lines.with_words(triggers.words)
    for shape, needs in triggers.shapes:
        if all(any(needle in text for needle in needles) for needles in needs):
            found |= lines.matching(shape)
    binders = [node for node in _statements(tree) if _bound_names(node)]
    names: Set[str] = set()
    for _ in range(3):
        more = {name for node in binders if node.lineno in found for name in _bound_names(node)}
        if more <= names:
            break
        found |= lines.with_words(more - names)
        names |= more
    return found


def _units(tree: ast.Module) -> List[Tuple[int, int]]:
    """The line spans narrow() keeps or drops as a whole: each top-level statement, except that
    a top-level class is its header (decorators, bases) and each statement of its body."""
    units: List[Tuple[int, int]] = []
    for statement in tree.body:
        start, end = _span(statement)
        if isinstance(statement, ast.ClassDef) and statement.body:
            body = [_span(inner) for inner in statement.body]
            units.append((start, body[0][0] - 1))
            units.extend(body)
        else:
            units.append((start, end))
    return units


def near_triggers(tree: ast.Module, lines: Set[int], triggers: Set[int]) -> Set[int]:
    """The added `lines` that lie in a unit which mentions a trigger (see trigger_lines).

    Rules report only inside such units (file scope parses nothing else), so a change confined
    to units without one cannot hold a finding: its file needs no CST, and in a file that does,
    the changed units without one are dropped like the unchanged ones.
    """
    touches_trigger = _Touch(triggers)
    kept: Set[int] = set()
    for start, end in _units(tree):
        if touches_trigger(start, end):
            kept.update(line for line in lines if start <= line <= end)
    return kept


def narrow(text: str, tree: ast.Module, lines: Set[int]) -> Optional[str]:
    """`text` with untouched statements blanked, or None when the whole text should be parsed."""
    source_lines = io.StringIO(text, newline="").readlines()
    dropped = _dropped(tree.body, _Touch(lines), nested=False)
    blank = sum(drop.end - drop.start for drop in dropped)
    if blank < MIN_SAVING * len(source_lines):
        return None
    for drop in dropped:
        for index in range(drop.start - 1, min(drop.end, len(source_lines))):
            line = source_lines[index]
            content = line.rstrip("\r\n")
            ending = line[len(content) :] or "\n"
            if index == drop.stub_line - 1:
                indent = content[: len(content) - len(content.lstrip())]
                source_lines[index] = indent + drop.stub + ending
            else:
                source_lines[index] = ending
    return "".join(source_lines)
