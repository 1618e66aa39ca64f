"""Which lines a change adds: the staged diff, a ref range, a base ref, or whole files.

Git is asked once per run for the diff and once for which of the given files it tracks. Paths are
compared relative to the repository root, in POSIX form, whatever the current folder.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Mapping, Optional, Sequence, Set

BINARY = re.compile(rb"^Binary files .* and (.*) differ$")
HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


class ScopeError(Exception):
    """Git could not tell what the change adds (a bad ref, say)."""


@dataclass
class Scope:
    """Answers "is this line added by the change?" for each file.

    `added is None` means whole files are in scope. Otherwise a file missing from `added` counts as
    all added when git does not track it (a new file not yet staged) and as untouched when it does.
    """

    added: Optional[Dict[str, Optional[Set[int]]]] = None
    untracked: FrozenSet[str] = frozenset()
    root: str = ""
    description: str = "whole files"

    def key(self, path: str) -> str:
        if not self.root:
            return path.replace(os.sep, "/")
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def lines(self, path: str) -> Optional[Set[int]]:
        """The added line numbers of `path`, or None when the whole file is in scope."""
        if self.added is None:
            return None
        key = self.key(path)
        if key in self.untracked:
            return None
        return self.added.get(key, set())


def unquote_path(raw: bytes) -> str:
    """Undo git's C-style quoting of unusual file names (`"tab\\tn\\303\\251.py"`)."""
    text = raw.decode("utf-8", "surrogateescape")
    if not (text.startswith('"') and text.endswith('"')):
        return text
    out = bytearray()
    body = text[1:-1]
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
        elif body[i + 1] in C_ESCAPES:
            out.append(C_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
    return out.decode("utf-8", "surrogateescape")


def parse_diff(output: bytes) -> Dict[str, Optional[Set[int]]]:
    """Added line numbers per new-side path, from `git diff -U0` output.

    A binary file has no lines: when the change adds or edits one, all of it is in scope (None).
    """
    added: Dict[str, Optional[Set[int]]] = {}
    current: Optional[Set[int]] = None
    for line in output.split(b"\n"):
        binary = BINARY.match(line)
        if binary:
            current = None
            if binary.group(1) != b"/dev/null":
                path = unquote_path(binary.group(1))
                added[path[2:] if path[:2] == "b/" else path] = None
        elif line.startswith(b"+++ "):
            name = line[4:]
            if name.endswith(b"\t"):  # git appends a tab to names that contain spaces
                name = name[:-1]
            if name == b"/dev/null":
                current = None
                continue
            path = unquote_path(name)
            path = path[2:] if path[:2] == "b/" else path
            current = set()
            added[path] = current
        elif current is not None and line.startswith(b"@@"):
            match = HUNK.match(line)
            if match:
                start = int(match.group(1))
                count = int(match.group(2)) if match.group(2) is not None else 1
                current.update(range(start, start + count))
    return added


def _git(args: Sequence[str], cwd: Optional[str] = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "--literal-pathspecs", "-c", "core.quotepath=off", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )


def git_root() -> Optional[str]:
    result = _git(["rev-parse", "--show-toplevel"])
    if result.returncode != 0:
        return None
    return os.fsdecode(result.stdout.rstrip(b"\n"))


def diff_args(environ: Mapping[str, str], diff_base: Optional[str]) -> List[str]:
    """The `git diff` arguments that select this change."""
    if diff_base:
        return [diff_base]
    from_ref = environ.get("PRE_COMMIT_FROM_REF")
    to_ref = environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref:
        return [f"{from_ref}...{to_ref}"]
    return ["--cached"]


def diff_scope(
    paths: Sequence[str], environ: Mapping[str, str], diff_base: Optional[str] = None
) -> Scope:
    """The scope of the current change; whole files when there is no repository."""
    root = git_root()
    if root is None:
        return Scope()
    spec = diff_args(environ, diff_base)
    result = _git(
        ["diff", *spec, "-U0", "--no-color", "--no-ext-diff", "--find-renames", "--"], cwd=root
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ScopeError(f"git diff {' '.join(spec)} failed: {message[0] if message else ''}")
    added = parse_diff(result.stdout)
    scope = Scope(added=added, root=root, description=f"git diff {spec[0]}")
    if paths:
        keys = [scope.key(p) for p in paths]
        listed = _git(["ls-files", "-z", "--", *keys], cwd=root)
        tracked = {os.fsdecode(n) for n in listed.stdout.split(b"\0") if n}
        scope.untracked = frozenset(k for k in keys if k not in tracked and k not in added)
    return scope
