"""Lines rewritten for detect-secrets: what one string says, whatever lines it spans.

detect-secrets reads a file line by line, and its keyword and entropy plugins want a quoted
value. Three things escape it: a value split over several lines (a shell or Dockerfile line
continued with `\\`, a YAML folded scalar), whose pieces are not the secret; the unquoted values
of environment files and Dockerfiles (`DB_PASSWORD=s3cr3t`, `ENV API_TOKEN=...`), which no
transformer of its own quotes; and, in diff scope, a string whose added line is not its first.
Each `Rewrite` is one string as detect-secrets should see it, with the lines it stands for.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
from typing import Dict, Iterator, List, NamedTuple, Optional, Tuple


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
# `NAME=value` and `export NAME=value` (shell, .env); `ENV`/`ARG` instructions (Dockerfile)
ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_]\w*)=(.*)$")
INSTRUCTION = re.compile(r"^\s*(?:ENV|ARG)\s+(.*)$", re.IGNORECASE)
# a private key's armour: a change of its body (a rotated key) leaves both lines as they were
KEY_BEGIN = re.compile(r"-{4,5} ?BEGIN [A-Z0-9 ]*PRIVATE KEY")
KEY_END = re.compile(r"-{4,5} ?END [A-Z0-9 ]*PRIVATE KEY")
# configuration values that are not secrets, whatever the name they are given to
NOT_SECRETS = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null", "nil"})


def _kind(path: str) -> Optional[str]:
    name = os.path.basename(path).lower()  # `worker.Dockerfile`, `dockerfile.dev`
    for kind, patterns in (("env", ENV_FILES), ("docker", DOCKERFILES), ("shell", SHELL_FILES)):
        if any(fnmatch.fnmatchcase(name, pattern.lower()) for pattern in patterns):
            return kind
    return None


def shell_rewrites(path: str, lines: List[str]) -> List[Rewrite]:
    """Environment files, Dockerfiles and shell scripts: each assignment's value quoted, and
    each line continued with a backslash joined to the lines that continue it."""
    kind = _kind(path)
    if kind is None:
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
