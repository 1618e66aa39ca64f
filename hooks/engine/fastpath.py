"""The clean commit's fast path: decide "nothing here for any rule" without importing any.

The first full run writes a small manifest into the cache: a prefilter (prefilter.py) that is a
superset of every selected rule's, and the file-name globs of rules that judge by name. Later
runs with the same hooks, config and options read it and, when no file given matches, stop
there: no hook module, no libcst, no detect-secrets, no git. Anything unusual (no manifest, a
changed hook, another option) takes the normal path, which is always right.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import sys
import zlib

from hooks import __version__
from hooks.engine.prefilter import Prefilter

# typing costs a few ms to import, and the fast path of a clean commit has about 30 to spend:
# the annotations are strings (see the __future__ import), so only the type checker needs it
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence

HOOKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNIFF = 8192


def default_folder() -> str:
    """Where findings and this manifest are cached: $XDG_CACHE_HOME/diffwarden."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "diffwarden")


def _signature(key: Sequence[str]) -> str:
    """What decides the selected rules and their prefilters: code, config, options. Kept whole
    in the manifest and compared there, so the file name needs only a cheap checksum (hashlib's
    import would cost more than the rest of this module)."""
    parts: List[str] = [__version__, sys.version, *key, *code_stamp()]
    config = _nearest_pyproject()
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


def _path(folder: str, signature: str) -> str:
    data = signature.encode("utf-8", "surrogateescape")
    return os.path.join(folder, f"prefilter-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.json")


def save(folder: str, key: Sequence[str], prefilter: Prefilter, names: Sequence[str]) -> None:
    """Record the prefilter of a full run (atomically; a failure only costs the fast path)."""
    try:
        os.makedirs(folder, exist_ok=True)
        signature = _signature(key)
        target = _path(folder, signature)
        temporary = f"{target}.{os.getpid()}.tmp"
        manifest = {"signature": signature, "prefilter": prefilter.to_json(), "names": list(names)}
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)
        os.replace(temporary, target)
    except OSError:
        return


def certainly_clean(folder: str, key: Sequence[str], files: Sequence[str]) -> bool:
    """True when a manifest exists and no file can interest any selected rule."""
    if not files:
        return False
    try:
        signature = _signature(key)
        with open(_path(folder, signature), encoding="utf-8") as handle:
            manifest: Dict[str, Any] = json.load(handle)
        if manifest["signature"] != signature:
            return False
        prefilter = Prefilter.from_json(manifest["prefilter"])
        names = [str(n) for n in manifest["names"]]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    for path in files:
        if any(fnmatch.fnmatchcase(os.path.basename(path), glob) for glob in names):
            return False
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return False  # the normal path reports it
        try:
            if b"\0" not in data[:SNIFF] and prefilter.matches(data):
                return False
        except re.error:
            return False
    return True
