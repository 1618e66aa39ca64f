"""A findings cache keyed by file content, rule set, options and versions.

Safe when pre-commit runs several processes at once: each entry is written to a temporary file in
the cache folder and renamed into place, so a reader sees a whole entry or none. A cache that
cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from typing import Any, List, Optional

from hooks import __version__


class Cache:
    def __init__(self, folder: str, fingerprint: str) -> None:
        self.folder = folder
        self.salt = f"{__version__}|{sys.version_info[:2]}|{fingerprint}".encode()

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            digest.update(b"\0")
            digest.update(part.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key[2:] + ".json")

    def get(self, key: str) -> Optional[List[Any]]:
        try:
            with open(self._path(key), encoding="utf-8") as handle:
                value = json.load(handle)
        except (OSError, ValueError):
            return None
        return value if isinstance(value, list) else None

    def put(self, key: str, value: List[Any]) -> None:
        path = self._path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle)
            os.replace(temp, path)
        except OSError:
            return
