"""The clean commit's fast path: decide "nothing here for any rule" without importing any.

A manifest says what the selected rules could want of a file: prefilters (prefilter.py) that
are a superset of every rule's (those of the rules that read only Python files apart), and the
file-name globs of rules that judge by name. When no file
given matches it, the run stops there: no hook module, no libcst, no detect-secrets, no git.
Two manifests serve: the one that ships with diffwarden (hooks/engine/manifests.py, generated
with the docs) for a run that no option or config changes, and, for any other, the one the
first full run with the same options and config wrote into the cache. Anything unusual (no
manifest, a changed hook, another option) takes the normal path, which is always right.
"""

from __future__ import annotations

import os
import sys

from hooks import __version__
from hooks.engine.kinds import is_binary, is_python
from hooks.engine.prefilter import Prefilter

# typing costs a few ms to import, and the fast path of a clean commit has about 30 to spend:
# the annotations are strings (see the __future__ import), so only the type checker needs it
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence

HOOKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the manifest of `diffwarden` given no files, which also runs the rules that compare versions
WHOLE_CHANGE = "diffwarden@change"


class Manifest:
    """What the selected rules could want of a file: `anywhere` in any text file, `python` in
    a Python file (Python rules and text rules that read only those), and file-name globs."""

    __slots__ = ("anywhere", "python", "names")

    def __init__(self, anywhere: Prefilter, python: Prefilter, names: Sequence[str]) -> None:
        self.anywhere, self.python, self.names = anywhere, python, sorted(set(names))

    def to_json(self, fresh: bool = False) -> Dict[str, Any]:
        return {
            "anywhere": self.anywhere.to_json(fresh),
            "python": self.python.to_json(fresh),
            "names": self.names,
        }

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> Manifest:
        """The inverse of to_json; raises KeyError, TypeError or ValueError on anything else."""
        anywhere, python = (
            Prefilter.from_json(data["anywhere"]),
            Prefilter.from_json(data["python"]),
        )
        return cls(anywhere, python, [str(name) for name in data["names"]])

    def wants(self, path: str, data: bytes) -> bool:
        """Could a selected rule want this file? (Its name is asked about apart.)"""
        if is_binary(data):
            return False
        return self.anywhere.matches(data) or (is_python(path, data) and self.python.matches(data))


def default_folder() -> str:
    """Where findings and this manifest are cached: $XDG_CACHE_HOME/diffwarden."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "diffwarden")


def _signature(key: Sequence[str]) -> str:
    """What decides the selected rules and their prefilters: code, config, options. Kept whole
    in the manifest and compared there, so the file name needs only a cheap checksum (hashlib's
    import would cost more than the rest of this module)."""
    parts: List[str] = [__version__, sys.version, *key, *code_stamp()]
    config = find_pyproject(os.getcwd())
    if config:
        stat = os.stat(config)
        parts.append(f"{config}:{stat.st_mtime_ns}:{stat.st_size}")
    return "\n".join(parts)


def code_stamp() -> List[str]:
    """diffwarden's own code as the file system sees it: a hook edited in place (a development
    checkout, an upgrade that keeps the version) must not meet what its old code cached."""
    stamp = []
    for folder, _, names in sorted(os.walk(HOOKS)):
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                stamp.append(f"{folder}/{name}:{stat.st_mtime_ns}:{stat.st_size}")
    return stamp


def find_pyproject(start: str) -> Optional[str]:
    """The nearest pyproject.toml at or above `start` (the config's, and the fast path's key)."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _path(folder: str, signature: str) -> str:
    import zlib

    data = signature.encode("utf-8", "surrogateescape")
    return os.path.join(folder, f"prefilter-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.json")


def save(folder: str, key: Sequence[str], manifest: Manifest) -> None:
    """Record the manifest of a full run (atomically; a failure only costs the fast path)."""
    import json

    try:
        os.makedirs(folder, exist_ok=True)
        signature = _signature(key)
        target = _path(folder, signature)
        temporary = f"{target}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"signature": signature, "manifest": manifest.to_json()}, handle)
        os.replace(temporary, target)
    except OSError:
        return


def staged_paths() -> Optional[List[str]]:
    """The files the staged change adds or edits, relative to here (what a run given no files
    checks); None when the change is not plainly the staged one (a range named in the
    environment), when it deletes a file (rules that compare versions read the old text; a
    rename reads as a deletion here), or when git cannot say."""
    if os.environ.get("PRE_COMMIT_FROM_REF") or os.environ.get("PRE_COMMIT_TO_REF"):
        return None
    from hooks.engine import git

    try:
        root = os.getcwd() if _at_top() else git.root()
        if root is None:
            return None
        diff = git.run(["diff", "--cached", "--name-status", "-z", "--no-renames"], cwd=root)
    except OSError:
        return None
    if diff.returncode != 0:
        return None
    fields = diff.stdout.split(b"\0")
    paths = []
    for status, path in zip(fields[0::2], fields[1::2]):
        if status.startswith(b"D") or not path:
            return None
        paths.append(os.path.relpath(os.path.join(root, os.fsdecode(path))))
    return paths


def _at_top() -> bool:
    """Is here the top of the work tree, as where pre-commit runs hooks? Then git need not be
    asked (a process of its own, 5 ms of a clean commit's 50)."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return False  # the work tree may be elsewhere
    return os.path.exists(".git")  # a folder, or a worktree's or submodule's file


def cached(folder: str, key: Sequence[str]) -> Optional[Manifest]:
    """The manifest an earlier full run with these options and this config wrote, if any."""
    import json

    try:
        signature = _signature(key)
        with open(_path(folder, signature), encoding="utf-8") as handle:
            manifest: Dict[str, Any] = json.load(handle)
        if manifest["signature"] != signature:
            return None
        return Manifest.from_json(manifest["manifest"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def shipped(hook: str) -> Optional[Manifest]:
    """The manifest of `hook` (or of `diffwarden`) that ships with diffwarden, when no config
    can change what its rules want."""
    if not _default_config():
        return None
    from hooks.engine.manifests import MANIFESTS

    try:
        return Manifest.from_json(MANIFESTS[hook])
    except (KeyError, TypeError, ValueError):
        return None


def _default_config() -> bool:
    """No pyproject.toml above here says anything of diffwarden (a cheap, safe test: a file
    that mentions it merely in a comment only costs the fast path)."""
    config = find_pyproject(os.getcwd())
    if config is None:
        return True
    try:
        with open(config, "rb") as handle:
            return b"diffwarden" not in handle.read()
    except OSError:
        return False


def certainly_clean(manifest: Manifest, files: Sequence[str]) -> bool:
    """True when no file can interest any rule of the manifest."""
    import re

    names = manifest.names
    exact = {glob for glob in names if not any(c in glob for c in "*?[")}
    suffixes = tuple(
        g[1:] for g in names if g.startswith("*") and not any(c in g[1:] for c in "*?[")
    )
    others = [glob for glob in names if glob not in exact and glob[1:] not in suffixes]
    for path in files:
        name = os.path.basename(path)
        if name in exact or name.endswith(suffixes) or _any_glob(name, others):
            return False
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return False  # the normal path reports it
        try:
            if manifest.wants(path, data):
                return False
        except re.error:
            return False
    return bool(files)


def _any_glob(name: str, globs: Sequence[str]) -> bool:
    if not globs:
        return False
    import fnmatch

    return any(fnmatch.fnmatchcase(name, glob) for glob in globs)
