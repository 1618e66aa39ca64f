"""Which lines a change adds: the staged diff, a ref range, a base ref, or whole files.

Git is asked once per run for the diff and once for which of the given files it tracks. Paths are
compared relative to the repository root, in POSIX form, whatever the current folder. Rules that
compare a file with its earlier version (test-tampering, gate-tampering) also learn from the same
diff which files the change deletes or renames, and ask git for an earlier version only when
they need it (`Scope.before`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import (
    Collection,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
)

from hooks.engine import git

BINARY = re.compile(rb"^Binary files .* and (.*) differ$")
RENAME = re.compile(rb"^rename (from|to) (.*)$")
HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
BLAMED = re.compile(rb"^([0-9a-f]{40}) \d+ (\d+)")  # `git blame --porcelain`: sha, old, new line
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
    # the revision the change is compared with ("" when there is none, as in whole-file scope)
    base: str = ""
    deleted: FrozenSet[str] = frozenset()
    renamed: Dict[str, str] = field(default_factory=dict)  # new key -> old key
    # earlier versions already read (key -> bytes, None: no earlier version); tests fill it too
    earlier: Dict[str, Optional[bytes]] = field(default_factory=dict)
    # the commits a range is made of (`A..B`), "" for a change not yet committed
    commits: str = ""
    # asked of git once per file, on the first finding there (key -> line -> sha; key -> shas)
    blamed: Dict[str, Dict[int, str]] = field(default_factory=dict)
    touched: Dict[str, List[str]] = field(default_factory=dict)

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

    def changed(self, path: str) -> bool:
        """Does the change touch `path` at all, removing lines only included?"""
        key = self.key(path)
        return self.added is None or key in self.added or key in self.untracked

    def before(self, path: str) -> Optional[bytes]:
        """`path` as it was at the base (under its old name when renamed); None when new."""
        key = self.key(path)
        if key not in self.earlier:
            self.earlier[key] = None
            if self.base:
                old = self.renamed.get(key, key)
                shown = git.run(["show", f"{self.base}:{old}"], cwd=self.root or None)
                self.earlier[key] = shown.stdout if shown.returncode == 0 else None
        return self.earlier[key]

    def authors(self, path: str) -> Dict[int, str]:
        """The commit of the range that added each added line of `path`, by one `git blame -w -M`
        of those lines; "" for a line it only moved or re-indented from before the range; the
        lines of a file blame cannot read are missing."""
        key = self.key(path)
        if key not in self.blamed:
            self.blamed[key] = {}
            lines = sorted((self.added or {}).get(key) or ())
            if self.commits and lines:
                spans = [f"-L{first},{last}" for first, last in line_runs(lines)]
                blame = ["blame", "--porcelain", "-w", "-M", *spans, self.commits, "--", key]
                self.blamed[key] = parse_blame(git.run(blame, cwd=self.root or None).stdout)
        return self.blamed[key]

    def changed_by(self, path: str) -> List[str]:
        """The commits of the range that change `path` (under its old name too), newest first."""
        key = self.key(path)
        if key not in self.touched:
            self.touched[key] = []
            if self.commits:
                names = sorted({key, self.renamed.get(key, key)})
                log = git.run(["log", "--format=%H", self.commits, "--", *names], self.root or None)
                self.touched[key] = log.stdout.decode("ascii", "replace").split()
        return self.touched[key]

    def made_by(self, path: str, span: Iterable[int], among: Collection[str]) -> str:
        """The commit among `among` (a range's assistant-written ones) that made a finding on
        the lines `span` of `path`, or "": blame's word for added lines (a line only moved or
        re-indented stays its author's); for a finding on no added line (a test removed, a file
        deleted) or on lines blame cannot read, any of them that changes the file."""
        added = self.lines(path)
        mine = [n for n in span if added is None or n in added]
        owners = self.authors(path) if mine else {}
        made = [owners.get(n) for n in mine]
        found = next((sha for sha in made if sha in among), None)
        if found is not None or (mine and None not in made):
            return found or ""
        return next((sha for sha in self.changed_by(path) if sha in among), "")

    def added_paths(self) -> List[str]:
        """The files the change adds lines to, relative to the current folder."""
        keys = [key for key, lines in (self.added or {}).items() if lines is None or lines]
        keys.extend(self.untracked)
        return sorted(os.path.relpath(os.path.join(self.root, key)) for key in keys)

    def deleted_paths(self) -> List[str]:
        """The files the change deletes, relative to the current folder."""
        return sorted(os.path.relpath(os.path.join(self.root, key)) for key in self.deleted)


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


def parse_moves(output: bytes) -> Tuple[FrozenSet[str], Dict[str, str]]:
    """The paths a `git diff --find-renames` output deletes, and its renames (new -> old)."""
    deleted: Set[str] = set()
    renamed: Dict[str, str] = {}
    old: Optional[str] = None
    lines = output.split(b"\n")
    for line, following in zip(lines, lines[1:] + [b""]):
        rename = RENAME.match(line)
        if rename and rename.group(1) == b"from":
            old = unquote_path(rename.group(2))
        elif rename and old is not None:
            renamed[unquote_path(rename.group(2))] = old
            old = None
        elif line.startswith(b"--- a/") or line.startswith(b'--- "a/'):
            if following == b"+++ /dev/null":
                name = line[4:][:-1] if line.endswith(b"\t") else line[4:]
                path = unquote_path(name)
                deleted.add(path[2:])
    return frozenset(deleted), renamed


def line_runs(lines: Sequence[int]) -> List[Tuple[int, int]]:
    """Sorted line numbers as (first, last) runs: `1, 2, 3, 7` -> `(1, 3), (7, 7)`."""
    spans: List[Tuple[int, int]] = []
    for line in lines:
        if spans and spans[-1][1] == line - 1:
            spans[-1] = (spans[-1][0], line)
        else:
            spans.append((line, line))
    return spans


def parse_blame(output: bytes) -> Dict[int, str]:
    """Line -> sha from `git blame --porcelain`; "" for a line of a boundary commit (one
    before the range, where blame stops: the line was only moved or re-indented since)."""
    owners: Dict[int, str] = {}
    boundary: Set[str] = set()
    sha = ""
    for line in output.split(b"\n"):
        head = BLAMED.match(line)
        if head:
            sha = head.group(1).decode("ascii")
            owners[int(head.group(2))] = sha
        elif line == b"boundary":
            boundary.add(sha)
    return {number: "" if sha in boundary else sha for number, sha in owners.items()}


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
    root = git.root()
    if root is None:
        return Scope()
    spec = diff_args(environ, diff_base)
    result = git.run(
        ["diff", *spec, "-U0", "--no-color", "--no-ext-diff", "--find-renames", "--"], cwd=root
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ScopeError(f"git diff {' '.join(spec)} failed: {message[0] if message else ''}")
    added = parse_diff(result.stdout)
    deleted, renamed = parse_moves(result.stdout)
    scope = Scope(
        added=added,
        root=root,
        description=f"git diff {spec[0]}",
        base=_base_revision(spec, root),
        deleted=deleted,
        renamed=renamed,
        commits=spec[0].replace("...", "..") if "..." in spec[0] else "",
    )
    if paths:
        keys = [scope.key(p) for p in paths]
        listed = git.run(["ls-files", "-z", "--", *keys], cwd=root)
        tracked = {os.fsdecode(n) for n in listed.stdout.split(b"\0") if n}
        scope.untracked = frozenset(k for k in keys if k not in tracked and k not in added)
    return scope


def _base_revision(spec: Sequence[str], root: str) -> str:
    """The revision whose files the change is compared with: HEAD for the staged change, the
    merge base for a range (what `A...B` diffs against), the ref itself for --diff-base."""
    if spec[0] == "--cached":
        head = git.run(["rev-parse", "--verify", "-q", "HEAD"], cwd=root)
        return "HEAD" if head.returncode == 0 else ""
    if "..." in spec[0]:
        from_ref, to_ref = spec[0].split("...", 1)
        base = git.run(["merge-base", from_ref, to_ref], cwd=root)
        return base.stdout.decode("ascii", "replace").strip() if base.returncode == 0 else ""
    return spec[0]
