"""The clean commit's fast path: decide "nothing here for any rule" without importing any.

The first full run writes a small manifest into the cache: one bytes regex that is a superset
of every selected rule's prefilter, and the file-name globs of rules that judge by name. Later
runs with the same hooks, config and options read it and, when no file given matches, stop
there: no hook module, no libcst, no detect-secrets, no git. Anything unusual (no manifest, a
changed hook, another option) takes the normal path, which is always right.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import sys
from typing import Dict, List, Optional, Sequence

from hooks import __version__

HOOKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNIFF = 8192


def default_folder() -> str:
    """Where findings and this manifest are cached: $XDG_CACHE_HOME/diffwarden."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "diffwarden")


def _signature(key: Sequence[str]) -> str:
    """What decides the selected rules and their prefilters: code, config, options."""
    parts: List[str] = [__version__, sys.version, *key]
    for folder, _, names in os.walk(HOOKS):
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{stat.st_mtime_ns}:{stat.st_size}")
    config = _nearest_pyproject()
    if config:
        stat = os.stat(config)
        parts.append(f"{config}:{stat.st_mtime_ns}:{stat.st_size}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _nearest_pyproject() -> Optional[str]:
    folder = os.getcwd()
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _path(folder: str, key: Sequence[str]) -> str:
    return os.path.join(folder, f"prefilter-{_signature(key)}.json")


def save(folder: str, key: Sequence[str], pattern: bytes, names: Sequence[str]) -> None:
    """Record the prefilter of a full run (atomically; a failure only costs the fast path)."""
    try:
        os.makedirs(folder, exist_ok=True)
        target = _path(folder, key)
        temporary = f"{target}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"pattern": pattern.decode("latin-1"), "names": list(names)}, handle)
        os.replace(temporary, target)
    except OSError:
        return


def certainly_clean(folder: str, key: Sequence[str], files: Sequence[str]) -> bool:
    """True when a manifest exists and no file can interest any selected rule."""
    if not files:
        return False
    try:
        with open(_path(folder, key), encoding="utf-8") as handle:
            manifest: Dict[str, object] = json.load(handle)
        pattern = re.compile(str(manifest["pattern"]).encode("latin-1"))
        names = [str(n) for n in manifest["names"]]  # type: ignore[attr-defined]
    except (OSError, ValueError, KeyError, TypeError, re.error):
        return False
    for path in files:
        if any(fnmatch.fnmatchcase(os.path.basename(path), glob) for glob in names):
            return False
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return False  # the normal path reports it
        if b"\0" not in data[:SNIFF] and pattern.search(data):
            return False
    return True
