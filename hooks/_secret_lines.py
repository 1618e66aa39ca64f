"""Lines rewritten for detect-secrets: what one string says, whatever lines it spans.

detect-secrets reads a file line by line, and its keyword and entropy plugins want a quoted
value. Three things escape it: a value split over several lines (a shell or Dockerfile line
continued with `\\`, a YAML folded scalar, literals joined with `+` in JavaScript or Go), whose
pieces are not the secret, or kept apart from its name (a Terraform heredoc, a Terraform
variable's `default`); the unquoted values of environment files and Dockerfiles
(`DB_PASSWORD=s3cr3t`, `ENV API_TOKEN=...`), which no transformer of its own quotes; and, in
diff scope, a string whose added line is not its first.
Each `Rewrite` is one string as detect-secrets should see it, with the lines it stands for.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
import shlex
from bisect import bisect_right
from functools import lru_cache
from typing import Dict, Iterable, Iterator, List, Match, NamedTuple, Optional, Pattern, Tuple

from hooks.engine.lazyre import lazy_re
from hooks.hardcoded_credentials import credential_word


class Rewrite(NamedTuple):
    """A string as one scannable line, standing for lines `line` to `end_line` of the file."""

    line: int  # its first line: where it is scanned and reported
    end_line: int  # its last line: the change touches the string when it adds any of them
    col: int  # 1-based, where the string starts on its first line
    text: str  # what detect-secrets' plugins and filters read
    name: Optional[str] = None  # the variable an environment value is given to


ENV_FILES = (".env", ".env.*", "*.env", ".envrc", ".flaskenv")
DOCKERFILES = ("Dockerfile", "Dockerfile.*", "*.dockerfile", "Containerfile", "Containerfile.*")
SHELL_FILES = ("*.sh", "*.bash", "*.zsh")
TERRAFORM_FILES = ("*.tf", "*.tfvars", "*.hcl")
# `NAME=value` and `export NAME=value` (shell, .env); `ENV`/`ARG` instructions (Dockerfile)
ASSIGNMENT = lazy_re(r"^\s*(?:export\s+)?([A-Za-z_]\w*)=(.*)$")
INSTRUCTION = lazy_re(r"^\s*(?:ENV|ARG)\s+(.*)$", re.IGNORECASE)
# a private key's armour: a change of its body (a rotated key) leaves both lines as they were
KEY_BEGIN = lazy_re(r"-{4,5} ?BEGIN [A-Z0-9 ]*PRIVATE KEY")
KEY_END = lazy_re(r"-{4,5} ?END [A-Z0-9 ]*PRIVATE KEY")
# configuration values that are not secrets, whatever the name they are given to
NOT_SECRETS = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null", "nil"})
# a heredoc's opener: `<<EOT`, `<<-EOT`, `<<'EOF'`, `<< "EOF"`, `<<\EOF` (not a here-string)
HEREDOC = lazy_re(r"""(?<!<)<<(-?)[ \t]*\\?(['"]?)([A-Za-z_][\w-]*)\2""")
# what a heredoc is given to, read on its opener before `<<`: an HCL attribute or object key
# (`password = <<EOT`, `"token" = trimspace(<<EOT`), a shell variable (`TOKEN=$(cat <<EOF`,
# `read -r -d '' TOKEN <<EOF`)
HEREDOC_NAMES = {
    "terraform": lazy_re(r"""^\s*["']?([A-Za-z_][\w-]*)["']?\s*[=:]\s*(?:[\w.]+\(\s*)*$"""),
    "shell": lazy_re(
        r"""^\s*(?:(?:export|local|readonly|declare)\s+)?([A-Za-z_]\w*)=["']?\$\(\s*cat\s*$"""
        r"""|^\s*read\b.*\s([A-Za-z_]\w*)\s*$"""
    ),
}
# a Terraform input variable's opener, and a string default given on a line of its block
VARIABLE = lazy_re(r"""^\s*variable\s+"([A-Za-z_][\w-]*)"\s*\{""")
HCL_STRING = lazy_re(r'"(?:[^"\\\n]|\\.)*"')
DEFAULT = lazy_re(rf"^\s*default\s*=\s*({HCL_STRING.pattern})")
# languages that join string literals with an operator, by extension: (operator, whether `#`
# starts a comment)
CONCATENATION: Dict[str, Tuple[str, bool]] = {
    **dict.fromkeys((".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"), ("+", False)),
    **dict.fromkeys((".java", ".go", ".cs", ".kt", ".kts"), ("+", False)),
    ".rb": ("+", True),
    ".php": (".", True),
}
# a quote and an operator at a line's end, or an operator and a quote at its start: a file
# without one has no chain over several lines, and is not lexed
CONTINUED = lazy_re(r"""["'`][ \t]*[+.][ \t]*(?://[^\n]*)?\n|\n[ \t]*[+.][ \t]*["'`]""")
# `${x}`, `$x`, `#{x}`: an interpolated literal is no constant
INTERPOLATION = lazy_re(r"\$[{A-Za-z_]|#\{")
# the name a chain is given to, at the end of the code before its first literal
CHAIN_NAME = lazy_re(r"""([A-Za-z_]\w*)["']?\s*(?::=|=>|=|:)\s*$""")


def _kind(path: str) -> Optional[str]:
    name = os.path.basename(path).lower()  # `worker.Dockerfile`, `dockerfile.dev`
    for kind, patterns in (
        ("env", ENV_FILES), ("docker", DOCKERFILES), ("shell", SHELL_FILES),
        ("terraform", TERRAFORM_FILES),
    ):  # fmt: skip
        if any(fnmatch.fnmatchcase(name, pattern.lower()) for pattern in patterns):
            return kind
    return None


def rewrites_of(path: str, lines: List[str]) -> List[Rewrite]:
    """Every string of a file (not Python: its tree gives them) that detect-secrets would not
    read whole or quoted as written."""
    return [
        *shell_rewrites(path, lines),
        *heredoc_rewrites(path, lines),
        *variable_defaults(path, lines),
        *concatenations(path, lines),
    ]


def shell_rewrites(path: str, lines: List[str]) -> List[Rewrite]:
    """Environment files, Dockerfiles and shell scripts: each assignment's value quoted, and
    each line continued with a backslash joined to the lines that continue it."""
    kind = _kind(path)
    if kind not in ("env", "docker", "shell"):
        return []
    found: List[Rewrite] = []
    for first, last, text in _logical_lines(lines):
        col = len(text) - len(text.lstrip()) + 1
        assigned = list(_assignments(text, kind == "docker"))
        for name, value in assigned:
            if value and (last > first or not _quoted_in(text, value)):
                found.append(Rewrite(first, last, col, f"{name}={quoted(value)}", name))
        if not assigned and last > first:
            found.append(Rewrite(first, last, col, text))
    return found


def heredoc_rewrites(path: str, lines: List[str]) -> List[Rewrite]:
    """A heredoc given to a name whose body is one line, as that name's quoted value:
    `password = <<EOT`, `hunter2…`, `EOT` is judged as `password = "hunter2…"` is. A body of
    several lines is a document (a script, a policy, a key file), read line by line as written."""
    names = HEREDOC_NAMES.get(_kind(path) or "")
    if names is None:
        return []
    found = []
    for first, last, col, head, body in heredocs(lines):
        named = names.match(head)
        values = [line.strip() for line in body if line.strip()]
        if named and len(values) == 1:
            name = next(group for group in named.groups() if group)
            found.append(Rewrite(first, last, col, f"{name} = {quoted(values[0])}", name))
    return found


def variable_defaults(path: str, lines: List[str]) -> List[Rewrite]:
    """A Terraform variable's string default, as a value given to the variable's name:
    `variable "db_password" {` then `default = "s3cr3t…"` is judged as `db_password =
    "s3cr3t…"` is. Only for names DW503 reads as a credential's: `variable "region"` is not."""
    if _kind(path) != "terraform":
        return []
    found = []
    name, depth = "", 0
    for number, line in enumerate(lines, 1):
        opener = VARIABLE.match(line)
        if opener:
            name, depth = opener.group(1), 1
            if credential_word(name) is None:
                name = ""
        if not name:
            continue
        text = line[opener.end() :] if opener else line  # `variable "x" { default = "…" }`
        default = DEFAULT.match(text) if depth == 1 else None
        if default:
            col = len(line) - len(text) + default.start(1) + 1
            found.append(Rewrite(number, number, col, f"{name} = {default.group(1)}", name))
        code = HCL_STRING.sub("", text)
        depth += code.count("{") - code.count("}")
        name = name if depth > 0 else ""
    return found


def heredocs(lines: List[str]) -> Iterator[Tuple[int, int, int, str, List[str]]]:
    """(opener's line, terminator's line, column of `<<`, the opener before it, body lines) of
    each heredoc. A body is text, not code: no opener is looked for in it."""
    number = 0
    while number < len(lines):
        opener = HEREDOC.search(lines[number])
        end = _terminator(lines, number + 1, opener.group(3)) if opener else 0
        if opener is None or not end:
            number += 1
            continue
        head = lines[number][: opener.start()]
        yield number + 1, end, opener.start() + 1, head, lines[number + 1 : end - 1]
        number = end


def _terminator(lines: List[str], start: int, word: str) -> int:
    """The 1-based line that ends a heredoc: its word alone, indented or not (0: none)."""
    for number in range(start, len(lines)):
        if lines[number].strip() == word:
            return number + 1
    return 0


def concatenations(path: str, lines: List[str]) -> List[Rewrite]:
    """String literals joined with `+` (PHP: `.`) over several lines, as one quoted line:
    `const key = "sk-ant-…" +` then `"…AA";` is scanned as `const key = "sk-ant-…AA";`.
    Literal after literal only: a variable or a call in the chain leaves its pieces apart."""
    language = CONCATENATION.get(os.path.splitext(path)[1].lower())
    text = "\n".join(lines) if language else ""
    if language is None or not CONTINUED.search(text):
        return []
    starts = list(itertools.accumulate(len(line) + 1 for line in lines))
    found = []
    for chain in _chains(_lexer(*language).finditer(text), language[0]):
        line, col = _place(starts, chain[0].start())
        end_line, end_col = _place(starts, chain[-1].end())
        if end_line > line:
            head, tail = lines[line - 1][: col - 1], lines[end_line - 1][end_col - 1 :]
            value = quoted("".join(piece.group()[1:-1] for piece in chain))
            named = CHAIN_NAME.search(head)
            name = named.group(1) if named else None
            found.append(Rewrite(line, end_line, col, head + value + tail, name))
    return found


def _place(starts: List[int], offset: int) -> Tuple[int, int]:
    """1-based line and column of an offset, from the offsets where lines 2, 3... start."""
    line = bisect_right(starts, offset)
    return line + 1, offset - (starts[line - 1] if line else 0) + 1


@lru_cache(maxsize=None)
def _lexer(operator: str, hash_comments: bool) -> Pattern[str]:
    """Whitespace and comments, text blocks, one-line literals, the operator (alone, or
    compound: `+=`) and other code, as C-like languages, Ruby and PHP read them."""
    comments = r"//[^\n]*|/\*[\s\S]*?\*/" + (r"|\#[^\n]*" if hash_comments else "")
    op = re.escape(operator)
    return re.compile(
        rf"(?P<space>\s+|{comments})"
        r'|(?P<block>"""[\s\S]*?""")'
        r"""|(?P<literal>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)"""
        rf"|(?P<op>(?<![+.]){op}=?(?![+.]))"
        r"""|(?P<other>[^"'`/#+.\s]+|.)"""
    )


def _chains(tokens: Iterable[Match[str]], operator: str) -> Iterator[List[Match[str]]]:
    """The literals of each `literal op literal…` run that no operator precedes or follows (it
    would join a variable), nor a member access or index (`"…".length`)."""
    code = [token for token in tokens if token.lastgroup != "space"]
    start = 0
    while start < len(code):
        end = start
        while end + 2 < len(code) and _joins(code[end + 1], operator) and _piece(code[end + 2]):
            end += 2
        before = code[start - 1] if start else None
        after = code[end + 1].group() if end + 1 < len(code) else ""
        if end > start and _piece(code[start]) and not after.startswith((operator, ".", "[")):
            if before is None or (before.lastgroup != "op" and not before.group().endswith("$")):
                yield code[start : end + 1 : 2]  # (`$"…"`: C#'s interpolated literal)
        start = end + 1


def _joins(token: Match[str], operator: str) -> bool:
    """The operator alone (not `+=`, not a `+` of `++`)."""
    return token.lastgroup == "op" and token.group() == operator


def _piece(token: Match[str]) -> bool:
    """A literal on one line without interpolation: its value is its text."""
    literal = token.group()
    return (
        token.lastgroup == "literal" and "\n" not in literal and not INTERPOLATION.search(literal)
    )


def _logical_lines(lines: List[str]) -> Iterator[Tuple[int, int, str]]:
    """(first line, last line, text) with backslash-newline removed, as the shell does."""
    number = 0
    while number < len(lines):
        first, text = number + 1, lines[number].rstrip("\r")
        while text.endswith("\\") and number + 1 < len(lines):
            number += 1
            text = text[:-1] + lines[number].rstrip("\r")
        yield first, number + 1, text
        number += 1


def _assignments(text: str, docker: bool) -> Iterator[Tuple[str, str]]:
    """(name, value) of the assignments on a logical line; values that are no secret dropped."""
    instruction = INSTRUCTION.match(text) if docker else None
    if instruction is not None:
        words = _words(instruction.group(1))
        if words and "=" not in words[0]:  # `ENV NAME value`: the rest of the line
            pairs = [(words[0], " ".join(words[1:]))]
        else:
            pairs = [tuple(w.split("=", 1)) for w in words if "=" in w]  # type: ignore[misc]
    else:
        assignment = ASSIGNMENT.match(text)
        words = _words(assignment.group(2)) if assignment else []
        pairs = [(assignment.group(1), words[0])] if assignment and words else []
    for name, value in pairs:
        if value.strip().lower() not in NOT_SECRETS:
            yield name, value.strip()


def _words(text: str) -> List[str]:
    """Shell words, quotes removed and comments dropped; none for a line the shell rejects."""
    try:
        return shlex.split(text, comments=True)
    except ValueError:
        return []


def _quoted_in(text: str, value: str) -> bool:
    """Is `value` written in quotes? Then detect-secrets' plugins read it as written."""
    return f'"{value}"' in text or f"'{value}'" in text


def quoted(value: str) -> str:
    """`value` in quotes, as detect-secrets' keyword and entropy plugins want it."""
    quote = "'" if '"' in value else '"'
    return f"{quote}{value}{quote}"


def key_blocks(lines: List[str]) -> Dict[int, int]:
    """The END line of each private key block, by its BEGIN line (where detect-secrets'
    private key plugin finds the key)."""
    blocks: Dict[int, int] = {}
    begin = 0
    for number, line in enumerate(lines, 1):
        if KEY_BEGIN.search(line):
            begin = number
        elif begin and KEY_END.search(line):
            blocks[begin], begin = number, 0
    return blocks


def yaml_ends(text: str) -> Dict[int, int]:
    """The last line of every YAML scalar value that spans lines, by its key's line and its
    own first line (detect-secrets' YAML rewrite puts the whole value on one of them)."""
    import yaml  # type: ignore[import-untyped, unused-ignore]  # detect-secrets' own parser

    ends: Dict[int, int] = {}
    try:
        for document in yaml.compose_all(
            text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        ):
            _scalar_ends(document, ends)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return {}
    return ends


def _scalar_ends(node: object, ends: Dict[int, int]) -> None:
    import yaml  # type: ignore[import-untyped, unused-ignore]

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.ScalarNode):
                last = _last_line(value)
                if last > value.start_mark.line + 1:
                    ends[key.start_mark.line + 1] = ends[value.start_mark.line + 1] = last
            _scalar_ends(value, ends)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _scalar_ends(item, ends)


def _last_line(node: "object") -> int:
    """1-based last line of a scalar: a block scalar's end mark is at the start of the line
    after its text."""
    end = node.end_mark  # type: ignore[attr-defined]
    return int(end.line) if end.column == 0 else int(end.line) + 1
