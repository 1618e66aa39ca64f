"""What a string literal is for, in a Python file: the secrets hook's extra precision there.

Line-based detectors see a long random-looking string; the syntax tree says whether it is a
docstring, a regular expression, a digest in a test fixture, or a value given to a name like
`api_key`. `ast` is enough (no libcst): only literals, their places and the names they are
given to are needed, and `ast` parses at C speed. The names are judged by DW503's own rule
(`hooks.hardcoded_credentials`), so both hooks agree on what a credential name and a
placeholder are.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Set, Tuple

from hooks.engine.pyast import tree_of
from hooks.engine.lazyre import lazy_re
from hooks.hardcoded_credentials import credential_word, is_credential

# calls whose string argument is a regular expression
REGEX_CALLS = frozenset(
    {"compile", "match", "fullmatch", "search", "findall", "finditer", "sub", "subn", "split"}
)
# names that hold a regular expression, a digest or a checksum, not a credential
REGEX_NAME = lazy_re(r"(?i)(?:^|_)(?:re|regex|regexp|pattern|pat)$")
DIGEST_NAME = lazy_re(r"(?i)hash|digest|checksum|sha\d*|md5|etag|fingerprint|integrity")
# hex or base64 text as long as a digest: md5, sha1, sha224, sha256, sha384, sha512
HEX_DIGEST = lazy_re(r"(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{56}|[0-9a-fA-F]{64}"
                        r"|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})")  # fmt: skip
BASE64_DIGEST_SIZES = frozenset({24, 28, 40, 44, 64, 88})
BASE64 = lazy_re(r"[A-Za-z0-9+/_\-]+={0,2}")
TEST_PATH = lazy_re(r"(?:^|/)(?:tests?|testing|fixtures?)/|(?:^|/)test_[^/]*$|_test\.py$"
                       r"|(?:^|/)conftest\.py$")  # fmt: skip
# a `+` at a line's end (`"…" +`, `+ \`, `+  # …`), or at a line's start before a quote
# (`+ "…"`): a file without one has no chain of literals over several lines to join
SUM_AT_BREAK = lazy_re(r"""\+[ \t]*\\?[ \t]*(?:#[^\n]*)?\r?\n|\n[ \t]*\+[ \t]*[rRuU]?["']""")

# the node types the readings of python_strings look at
READ = frozenset(
    {
        ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Assign,
        ast.AnnAssign, ast.keyword, ast.Dict, ast.arguments, ast.Compare, ast.Call,
        ast.Constant, ast.JoinedStr,
    }
)  # fmt: skip

Span = Tuple[int, int, int, int]  # start line, start column, end line, end column (1-based)


@dataclass(frozen=True)
class Named:
    """A literal given to a credential name: `api_key = "..."`, `connect(password="...")`."""

    line: int
    col: int
    end_line: int
    name: str
    value: str


@dataclass(frozen=True)
class Joined:
    """A string whose value has no newline but whose source spans lines: one literal, or
    literals joined with `+`."""

    line: int
    col: int
    end_line: int
    value: str


@dataclass
class PythonStrings:
    """The literals of one Python file that matter to the secrets hook."""

    quiet: List[Span] = field(default_factory=list)  # docstrings, regexes, digests
    named: List[Named] = field(default_factory=list)  # judged credentials
    # literals given to a credential name, credentials or not: the tree has judged these lines
    judged: List[Span] = field(default_factory=list)
    # one-line values written over several lines (implicit concatenation, a backslash-newline
    # in the literal, literals joined with `+`): their pieces are not the secret, the value
    # may be
    joined: List[Joined] = field(default_factory=list)

    def judged_lines(self) -> Set[int]:
        return {n for start, _, end, _ in self.judged for n in range(start, end + 1)}

    def is_quiet(self, line: int, col: int) -> bool:
        """Is (line, col) inside a literal that holds no credential?"""
        return any(
            (start, first) <= (line, col) <= (end, last) for start, first, end, last in self.quiet
        )


def python_strings(
    path: str, text: str, wanted: Optional[Set[int]] = None
) -> Optional[PythonStrings]:
    """The quiet and the named literals of `text` (of the statements that hold a `wanted`
    line, when given); None when Python cannot parse it."""
    tree = tree_of(text)
    if tree is None:
        return None
    lines = text.split("\n")
    found = PythonStrings()
    test_file = TEST_PATH.search(path.replace("\\", "/")) is not None
    # once: the readings below look at these nodes only
    near = _walk(tree) if wanted is None else _nodes_near(tree, wanted)
    nodes = [node for node in near if type(node) in READ]
    found.quiet.extend(_span(docstring, lines) for docstring in _docstrings(nodes))
    for name, node in _literals_with_names(nodes):
        pieces = _pieces(node)
        if name is None or pieces is None or any(_raw(piece, lines) for piece in pieces):
            continue
        value = "".join(str(piece.value) for piece in pieces)
        span = _span(node, lines)
        if credential_word(name) is not None:
            found.judged.append(span)
            if is_credential(name, value):
                found.named.append(Named(span[0], span[1], span[2], name, value))
        elif REGEX_NAME.search(name) or DIGEST_NAME.search(name):
            found.quiet.append(span)
    found.quiet.extend(_span(argument, lines) for argument in _regex_arguments(nodes))
    if test_file:
        found.quiet.extend(_span(n, lines) for n in _strings(nodes) if _digest(n.value))
    # `+` chains are rare: their nodes are read only in a file that may hold one
    found.joined.extend(_joined(near if SUM_AT_BREAK.search(text) else nodes, lines))
    return found


def _nodes_near(tree: ast.Module, wanted: Set[int]) -> List[ast.AST]:
    """Every node of the statements that hold a wanted line, and of the compound statements
    around them all but their other statements. A literal and the name it is given to, a
    string over several lines, a regex call: each lies within one statement, and a docstring
    is read from its class or function node, so in diff scope the rest of the file is noise."""
    nodes: List[ast.AST] = [tree]
    stack: List[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.stmt):
                if node is not tree:
                    nodes.extend(_walk(child))  # a header: decorators, arguments, a test
                continue
            end = child.end_lineno or child.lineno
            if wanted.isdisjoint(range(child.lineno, end + 1)):
                continue
            if any(isinstance(part, ast.stmt) for part in ast.iter_child_nodes(child)):
                nodes.append(child)
                stack.append(child)  # compound: its own statements one by one
            else:
                nodes.extend(_walk(child))
    return nodes


def _walk(root: ast.AST) -> List[ast.AST]:
    """`root` and every node below it, in ast.walk's order (breadth first, fields in order),
    read field by field: ast.walk's nested generators cost twice as much."""
    nodes = [root]
    for node in nodes:  # grows while it is read
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                nodes.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                nodes.append(value)
    return nodes


def _joined(nodes: List[ast.AST], lines: List[str]) -> Iterator[Joined]:
    """Strings whose one-line value is written over several lines: a literal (not an f-string
    piece), or a chain of literals joined with `+` that nothing else is added to and no method
    is called on (its value is then computed, not written)."""
    operands: Set[int] = set()  # of an operator, or a method's object
    parts: Set[int] = set()  # f-string pieces
    literals: List[ast.Constant] = []  # over several lines
    chains: List[Tuple[ast.expr, List[ast.Constant]]] = []
    for node in nodes:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and node.end_lineno != node.lineno:
                literals.append(node)
        elif isinstance(node, ast.JoinedStr):
            parts.update(id(part) for part in node.values)
        elif isinstance(node, ast.BinOp):
            operands.update((id(node.left), id(node.right)))
            pieces = _pieces(node) if node.end_lineno != node.lineno else None
            if pieces is not None:
                chains.append((node, pieces))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            operands.add(id(node.func.value))
    chains = [(node, pieces) for node, pieces in chains if id(node) not in operands]
    parts.update(id(piece) for _, pieces in chains for piece in pieces)
    for node, pieces in [*((n, [n]) for n in literals if id(n) not in parts), *chains]:
        value = "".join(str(piece.value) for piece in pieces)
        if "\n" not in value:
            start = _column(lines, node.lineno, node.col_offset)
            yield Joined(node.lineno, start, node.end_lineno or node.lineno, value)


def _pieces(node: ast.AST) -> Optional[List[ast.Constant]]:
    """The str literals of a literal or of a `+` chain made only of them; None for anything
    else (a name, a call, an f-string, bytes)."""
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _pieces(node.left)
        right = _pieces(node.right) if left is not None else None
        return left + right if left is not None and right is not None else None
    return None


def _digest(value: object) -> bool:
    """Hex or base64 text exactly as long as a common digest."""
    if not isinstance(value, str):
        return False
    if HEX_DIGEST.fullmatch(value):
        return True
    return len(value) in BASE64_DIGEST_SIZES and BASE64.fullmatch(value) is not None


def _strings(nodes: List[ast.AST]) -> Iterator[ast.Constant]:
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            yield node


def _docstrings(nodes: List[ast.AST]) -> Iterator[ast.Constant]:
    for node in nodes:
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    yield body[0].value


def _regex_arguments(nodes: List[ast.AST]) -> Iterator[ast.expr]:
    """String literals (or `+` chains) handed to `re.compile(...)`, `re.search(...)` and kin."""
    for node in nodes:
        if isinstance(node, ast.Call) and node.args and _pieces(node.args[0]) is not None:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in REGEX_CALLS:
                yield node.args[0]


def _literals_with_names(nodes: List[ast.AST]) -> Iterator[Tuple[Optional[str], ast.expr]]:
    """(the name a string literal, or a `+` chain of them, is given to, the literal), in the
    places DW503 reads."""
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _pair(_name_of(target), node.value)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            yield from _pair(_name_of(node.target), node.value)
        elif isinstance(node, ast.keyword) and node.arg is not None:
            yield from _pair(node.arg, node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                yield from _pair(_name_of(key) if key is not None else None, value)
        elif isinstance(node, ast.arguments):
            positional = [*node.posonlyargs, *node.args]
            defaults = zip(positional[len(positional) - len(node.defaults) :], node.defaults)
            for arg, default in [*defaults, *zip(node.kwonlyargs, node.kw_defaults)]:
                if default is not None:
                    yield from _pair(arg.arg, default)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            if isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
                left, right = node.left, node.comparators[0]
                yield from _pair(_name_of(left), right)
                yield from _pair(_name_of(right), left)


def _pair(name: Optional[str], value: ast.expr) -> Iterator[Tuple[Optional[str], ast.expr]]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        yield name, value
    elif isinstance(value, ast.BinOp) and _pieces(value) is not None:
        yield name, value


def _name_of(node: ast.AST) -> Optional[str]:
    """The name a value is stored under: `x`, `obj.x`, `d["x"]`, `d.get("x")`, a dict key."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Subscript):
        index = node.slice
        return _name_of(index) if isinstance(index, ast.Constant) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        return _name_of(node.args[0]) if node.func.attr == "get" else None
    return None


def _column(lines: List[str], line: int, offset: int) -> int:
    """ast's UTF-8 byte offset on `line` as a 1-based character column."""
    text = lines[line - 1] if line <= len(lines) else ""
    return len(text.encode("utf-8")[:offset].decode("utf-8", "ignore")) + 1


def _span(node: ast.expr, lines: List[str]) -> Span:
    end_line = node.end_lineno or node.lineno
    end_col = _column(lines, end_line, node.end_col_offset or 0)
    return node.lineno, _column(lines, node.lineno, node.col_offset), end_line, end_col


def _raw(node: ast.expr, lines: List[str]) -> bool:
    """A raw string (`r"..."`) holds a regex or a Windows path, not a password (as for DW503)."""
    text = lines[node.lineno - 1].encode("utf-8")[node.col_offset : node.col_offset + 3]
    prefix = re.match(rb"[A-Za-z]*", text)
    return prefix is not None and b"r" in prefix.group().lower()
