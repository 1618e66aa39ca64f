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
import functools
import io
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from hooks.engine.prefilter import SPACES as _SPACES
from hooks.engine.prefilter import fast_start, gate_of, known_needles

DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)
LOOPS = (ast.For, ast.AsyncFor, ast.While)
SCOPES = (*DEFS, ast.ClassDef)
WORD = re.compile(r"\w+")
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
    definition: Optional[ast.AST] = None  # the function or class dropped, if one was
    method: bool = False  # a function of a class whose other statements stay


def _binds(node: ast.stmt) -> bool:
    return any(isinstance(child, BINDERS) for child in ast.walk(node))


def _drop_definition(
    node: "ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef", method: bool
) -> Drop:
    start, end = _span(node)
    stub = (
        f"class {node.name}: pass" if isinstance(node, ast.ClassDef) else f"def {node.name}(): pass"
    )
    return Drop(start, end, node.lineno, stub, node, method)


def _provided(drop: Drop) -> FrozenSet[str]:
    """What code elsewhere may read of a dropped definition: the attributes its statements
    give values to (`self.session = requests.Session()` in `__init__`), its `global` names,
    its name unless it is a method (rules follow a call into a module-level helper), and a
    class's own names (its methods, its class attributes)."""
    node = drop.definition
    if not isinstance(node, SCOPES):
        return frozenset()  # a compound statement that binds nothing
    names = set() if drop.method else {node.name}
    for statement in _statements(node):
        if isinstance(statement, (ast.Global, ast.Nonlocal)):
            names.update(statement.names)
        names.update(name for name, variable in _carriers(statement) if not variable)
    if isinstance(node, ast.ClassDef):
        for statement in node.body:
            names.update(name for name, _ in _carriers(statement))
            if isinstance(statement, SCOPES):
                names.add(statement.name)
    return frozenset(names)


def _needed_back(
    tree: ast.Module, touches: _Touch, dropped: List[Drop], source_lines: List[str]
) -> List[Drop]:
    """`dropped` without the definitions that the kept text reads by name, or that read a
    module-level name given a value on a line of `touches`, however many steps on. Rules that
    follow a call into a helper, an attribute to the method that set it (`self.session.get(url)`
    is a request because `__init__` made `self.session` one), or a module-level value to the
    function that sends it need those definitions for a finding to stay."""
    hidden = [False] * (len(source_lines) + 2)
    for drop in dropped:
        hidden[drop.start : drop.end + 1] = [True] * (drop.end + 1 - drop.start)
    read = set(WORD.findall("".join(t for t, h in zip(source_lines, hidden[1:]) if not h)))
    given = {
        name
        for statement in tree.body
        if not isinstance(statement, (ast.Import, ast.ImportFrom)) and touches(*_span(statement))
        for name, _ in _carriers(statement)
    }  # module-level values set on a line a rule reports (`ENV = dict(os.environ)`)
    words = {drop: set(WORD.findall("".join(source_lines[drop.start - 1 : drop.end])))
             for drop in dropped}  # fmt: skip
    provides = {drop: _provided(drop) for drop in dropped}
    left = list(dropped)
    while True:
        needed = {
            d for d in left if not (provides[d].isdisjoint(read) and words[d].isdisjoint(given))
        }
        if not needed:
            return left
        for drop in needed:
            read.update(words[drop])
        left = [drop for drop in left if drop not in needed]


def _dropped(body: Sequence[ast.stmt], touches: _Touch, nested: bool) -> List[Drop]:
    """What in `body` need not be parsed."""
    dropped: List[Drop] = []
    for statement in body:
        start, end = _span(statement)
        touched = touches(start, end)
        if isinstance(statement, (*DEFS, ast.ClassDef)):
            if not touched:
                dropped.append(_drop_definition(statement, nested))
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
    """Line numbers that a match of `pattern` covers (patterns may span lines: `except:` and
    the `pass` under it are one shape)."""
    found: Set[int] = set()
    for match in pattern.finditer(text):
        first = bisect.bisect_right(starts, match.start())
        found.update(range(first, bisect.bisect_right(starts, match.end() - 1) + 1))
    return found


@dataclass(frozen=True)
class Triggers:
    """What makes a line interesting to the selected rules: whole words, and shape regexes,
    each with the substrings one of which is in any text it matches (prefilter.known_needles)."""

    words: FrozenSet[str]
    # each shape with its needles and its gate (prefilter.gate_of, as bytes)
    shapes: Tuple[Tuple[str, Tuple[Tuple[str, ...], ...], Optional[bytes]], ...]

    @classmethod
    def of(cls, words: Iterable[str], shapes: Iterable[str]) -> Triggers:
        return cls(frozenset(words), tuple((s, _needs(s), _gate(s)) for s in shapes))


def _gate(shape: str) -> Optional[bytes]:
    gate = gate_of(fast_start(shape))
    return gate.encode() if gate is not None else None


@functools.lru_cache(maxsize=None)
def _compiled(shape: str) -> "re.Pattern[str]":
    """A shape compiled on first use (most are never searched: their needles are absent)."""
    return re.compile(fast_start(shape))


def _needs(shape: str) -> Tuple[Tuple[str, ...], ...]:
    """The case-sensitive needle sets of an ASCII shape. A case-insensitive str regex matches
    more than its lower-cased letters (`ſ` is an `s` to it), so those sets are left out."""
    if not shape.isascii():
        return ()
    found = known_needles(shape.encode())
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


def _statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every statement in a module's or a statement's body, nested ones too, without visiting
    a single expression."""
    stack: List[ast.AST] = list(reversed(getattr(tree, "body", [])))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        for name in STATEMENT_LISTS:
            stack.extend(reversed(getattr(node, name, ())))


@dataclass(frozen=True)
class Mentions:
    """What a file mentions of the triggers: the lines (see mentions()), every ASCII word it
    holds, and the shapes that match somewhere in it."""

    lines: Set[int]
    words: FrozenSet[bytes]
    shapes: FrozenSet[str]
    line_words: List[List[bytes]]  # the words of line n at n - 1
    direct: Set[int]  # the lines that hold a trigger itself, before names are followed

    def any_of(self, words: FrozenSet[bytes], shapes: FrozenSet[str]) -> bool:
        """Does the file mention one of these plain words (`Triggers.of`'s, encoded) or shapes
        (patterns of `Triggers.shapes`)?"""
        return not self.words.isdisjoint(words) or not self.shapes.isdisjoint(shapes)


def mentions(text: str, tree: ast.Module, triggers: Triggers) -> Mentions:
    """Lines that mention a trigger, or a name bound on such a line, followed a few steps:
    `from pickle import loads as l` makes `l(data)` a trigger, and `LOG = "/tmp/x.log"` makes
    `open(LOG, "w")` one."""
    lines = _Lines(text)
    words = frozenset().union(*lines.words) if lines.words else frozenset()
    found = lines.with_words(triggers.words)
    shapes = set()
    for shape, needs, gate in triggers.shapes:
        if gate is not None and gate not in words:
            continue
        if all(any(needle in text for needle in needles) for needles in needs):
            matched = lines.matching(_compiled(shape))
            if matched:
                found |= matched
                shapes.add(shape)
    direct = set(found)
    binders = [node for node in _statements(tree) if _bound_names(node)]
    names: Set[str] = set()
    for _ in range(3):
        more = {name for node in binders if node.lineno in found for name in _bound_names(node)}
        if more <= names:
            break
        found |= lines.with_words(more - names)
        names |= more
    return Mentions(found, words, frozenset(shapes), lines.words, direct)


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


def _clauses(node: ast.AST) -> List[ast.AST]:
    """The statements and except clauses right inside `node` (a match's cases lend theirs)."""
    inner: List[ast.AST] = []
    for name in STATEMENT_LISTS:
        for child in getattr(node, name, ()):
            inner.extend([child] if hasattr(child, "lineno") else child.body)
    return inner


def _extent(node: ast.AST) -> Tuple[int, int]:
    if isinstance(node, ast.stmt):
        return _span(node)
    assert isinstance(node, ast.ExceptHandler)  # what _clauses gives besides statements
    return node.lineno, node.end_lineno or node.lineno


@dataclass(frozen=True)
class _Place:
    """Where a statement or except clause runs: the scopes around it (the indices of the
    functions and classes it is in, outermost first), the loops around it in its own scope (and
    itself, if it is one), and its first line."""

    scopes: Tuple[int, ...]
    loops: FrozenSet[int]
    line: int

    def reached_from(self, carrier: _Place, bound_in: Tuple[int, ...]) -> bool:
        """Can a value that a name is given at `carrier`, in scope `bound_in`, be read here?
        In that scope, only further down or around a loop that holds both; in a function
        nested in it, at any time (it runs when called); in any other scope, never: its name
        is another variable."""
        if self.scopes == bound_in:
            return carrier.line <= self.line or not carrier.loops.isdisjoint(self.loops)
        return self.scopes[: len(bound_in)] == bound_in


def _placed_clauses(tree: ast.Module) -> Tuple[List[ast.AST], List[_Place]]:
    """Every statement and except clause, in the order of the text, with its _Place. Each line
    of the file is an own line (_own_lines) of at most one of them, or of several simple
    statements that share it (`a(); b()`)."""
    nodes: List[ast.AST] = []
    places: List[_Place] = []
    empty: FrozenSet[int] = frozenset()
    outermost: Tuple[int, ...] = ()
    stack: List[Tuple[ast.AST, Tuple[int, ...], FrozenSet[int]]] = [
        (node, outermost, empty) for node in reversed(tree.body)
    ]
    while stack:
        node, scopes, loops = stack.pop()
        index = len(nodes)
        if isinstance(node, LOOPS):
            loops = loops | {index}
        nodes.append(node)
        places.append(_Place(scopes, loops, getattr(node, "lineno", 0)))
        if isinstance(node, SCOPES):
            scopes, loops = (*scopes, index), empty
        stack.extend((child, scopes, loops) for child in reversed(_clauses(node)))
    return nodes, places


def _own_lines(node: ast.AST) -> List[int]:
    """The lines of `node` that no statement inside it holds: a simple statement's, and a
    compound one's header, clause lines (`else:`) and comments."""
    start, end = _extent(node)
    own: List[int] = []
    for first, last in sorted(_extent(child) for child in _clauses(node)):
        own.extend(range(start, first))
        start = max(start, last + 1)
    own.extend(range(start, end + 1))
    return own


def _targets(node: ast.AST) -> Iterator[Tuple[str, bool]]:
    """The names by which a target's value is read again, each with whether it is a variable
    of the scope (`a, (b, *c)` -> a, b, c) or a part of some object, read anywhere afterwards
    (`self.conn` -> conn, not `self`, which every method reads; `cache[key]` -> cache)."""
    if isinstance(node, ast.Name):
        yield node.id, True
    elif isinstance(node, ast.Attribute):
        yield node.attr, False
    elif isinstance(node, ast.Subscript):
        for name, _ in _targets(node.value):
            yield name, False
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _targets(element)


def _parameters(arguments: ast.arguments) -> List[ast.arg]:
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return every + [a for a in (arguments.vararg, arguments.kwarg) if a is not None]


def _carriers(node: ast.AST) -> List[Tuple[str, bool]]:
    """Names a statement gives a value to, beyond _bound_names (tuple targets, `with ... as`,
    `for` targets, a function's parameters), each with whether it is a variable (_targets)."""
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [name for target in targets for name in _targets(target)]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [
            name
            for item in node.items
            if item.optional_vars
            for name in _targets(item.optional_vars)
        ]
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return list(_targets(node.target))
    if isinstance(node, DEFS):
        return [(a.arg, True) for a in _parameters(node.args)]
    return [(name, True) for name in _bound_names(node)]


def _header_reads(node: "ast.FunctionDef | ast.AsyncFunctionDef") -> FrozenSet[bytes]:
    """The names a def's header reads: in its decorators, defaults and annotations."""
    arguments = node.args
    parts = [*node.decorator_list, *arguments.defaults, node.returns]
    parts += [*arguments.kw_defaults, *(a.annotation for a in _parameters(arguments))]
    return frozenset(
        (inner.id if isinstance(inner, ast.Name) else inner.attr).encode()
        for part in parts
        if part is not None
        for inner in ast.walk(part)
        if isinstance(inner, (ast.Name, ast.Attribute))
    )


def owned_by_triggers(tree: ast.Module, added: Set[int], seen: Mentions) -> Set[int]:
    """The `added` lines near a trigger (near_triggers) whose own statement (_own_lines)
    mentions a trigger, or a name that a statement mentioning one gave a value which can reach
    it (_Place.reached_from), however many steps on.

    A finding is reported only when its node spans an added line, and rules report the
    construct that mentions their trigger (a call, an argument, an `except:` with `pass`), so an
    added line held by a statement that mentions none cannot hold one: `total = price * 2` added
    next to `cursor.execute(sql)` needs no CST, nor does `data = load(x)` added above
    `data = pickle.loads(blob)` in the same function, or in another function.
    """
    lines = near_triggers(tree, added, seen.lines)
    if not lines or added.issuperset(n for n, said in enumerate(seen.line_words, 1) if said):
        return lines  # none, or a new file: each statement with a trigger keeps its lines
    nodes, places = _placed_clauses(tree)
    carried = [_carriers(node) for node in nodes]
    if not all(name.isascii() for names in carried for name, _ in names):
        return lines  # line words are ASCII runs: such a name is not seen in them
    shared = {name for node in nodes if isinstance(node, (ast.Global, ast.Nonlocal))
              for name in node.names}  # fmt: skip
    # each name's carriers: the statement, and the scope of its variable (None: read anywhere)
    carriers: Dict[bytes, List[Tuple[int, Optional[Tuple[int, ...]]]]] = {}
    for index, names in enumerate(carried):
        scopes = places[index].scopes
        bound_in = (*scopes, index) if isinstance(nodes[index], DEFS) else scopes
        for name, variable in names:
            where = bound_in if variable and name not in shared else None
            carriers.setdefault(name.encode(), []).append((index, where))
    owned = [_own_lines(node) for node in nodes]
    count = len(seen.line_words)

    @functools.lru_cache(maxsize=None)
    def words(index: int) -> FrozenSet[bytes]:
        """The words of a statement's own lines, read only for the statements asked about; of
        a def, the names its header reads (not those it gives its parameters)."""
        node = nodes[index]
        if isinstance(node, DEFS):
            return _header_reads(node)
        return frozenset().union(*(seen.line_words[n - 1] for n in owned[index] if n <= count))

    def sources(index: int) -> Iterator[int]:
        """The statements whose values statement `index` can read."""
        for word in words(index):
            for carrier, bound_in in carriers.get(word, ()):
                if bound_in is None or places[index].reached_from(places[carrier], bound_in):
                    yield carrier

    # what the owners of the lines depend on, however many steps back, and who reads whom
    owners = [index for index, own in enumerate(owned) if not lines.isdisjoint(own)]
    relevant, stack = set(owners), list(owners)
    readers: Dict[int, List[int]] = {}
    while stack:
        reader = stack.pop()
        for carrier in sources(reader):
            readers.setdefault(carrier, []).append(reader)
            if carrier not in relevant:
                relevant.add(carrier)
                stack.append(carrier)
    # then, among those: from the statements that mention a trigger, to those that read what
    # they gave a value to
    mentioned = {index for index in relevant if not seen.direct.isdisjoint(owned[index])}
    pending = list(mentioned)
    while pending:
        for index in readers.get(pending.pop(), ()):
            if index not in mentioned:
                mentioned.add(index)
                pending.append(index)
    return {
        line for index in owners if index in mentioned for line in lines.intersection(owned[index])
    }


def narrow(
    text: str, tree: ast.Module, lines: Set[int], definitions_read: bool = False
) -> Optional[str]:
    """`text` with untouched statements blanked, or None when the whole text should be parsed.
    With `definitions_read` (a rule active here follows calls and attributes into other
    definitions: Rule.reads_definitions), the definitions the kept text reads stay."""
    source_lines = io.StringIO(text, newline="").readlines()
    touches = _Touch(lines)
    dropped = _dropped(tree.body, touches, nested=False)
    if definitions_read:
        dropped = _needed_back(tree, touches, dropped, source_lines)
    if not dropped:
        return None  # libcst parses a blank line at next to no cost: any drop is worth it
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
